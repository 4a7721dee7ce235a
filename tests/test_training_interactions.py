"""Calibrating interaction confidences: smoothed precision per rule and category, read back by the extractor."""

from __future__ import annotations

from kg.extraction import context
from kg.training import interactions


def test_calibrate_smooths_each_rule_towards_all_rules_and_each_category_towards_its_rule():
    found = [("verb", "consult", True)] * 3 + [("verb", "assault", False)] * 3 + [("noun", "consult", True)]
    table = interactions.calibrate(found)
    overall = 4 / 7
    w = interactions.PRIOR_WEIGHT
    assert table[("verb", "*")] == round((3 + w * overall) / (6 + w), 2)
    assert table[("verb", "consult")] > table[("verb", "*")] > table[("verb", "assault")]
    assert ("noun", "consult") not in table  # seen once: the rule's own value applies
    assert 0 < table[("noun", "*")] < 1


def test_the_shipped_table_is_read_and_unknown_pairs_fall_back_to_the_rule_default(tmp_path, monkeypatch):
    path = tmp_path / "confidence.tsv"
    path.write_text("# method\tcategory\tconfidence\nverb\t*\t0.42\t1\t2\nverb\tassault\t0.8\t3\t3\n")
    monkeypatch.setattr(context, "INTERACTION_CONFIDENCE_FILE", path)
    context._calibrated.cache_clear()
    try:
        assert context.interaction_confidence("verb", "assault") == 0.8
        assert context.interaction_confidence("verb", "consult") == 0.42
        assert context.interaction_confidence("noun", "consult") == context.CONFIDENCE["noun"]
    finally:
        context._calibrated.cache_clear()


def test_kg_train_interactions_writes_a_table_from_the_calibration_part(tmp_path):
    from click.testing import CliRunner

    from kg.cli import main

    out = tmp_path / "confidence.tsv"
    result = CliRunner().invoke(main, ["train", "interactions", "../shared/data/re3d", "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = [line.split("\t") for line in out.read_text().splitlines() if not line.startswith("#")]
    assert rows and all(0 < float(row[2]) < 1 and int(row[3]) <= int(row[4]) for row in rows)
