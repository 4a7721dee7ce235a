"""The re3d evaluator: the fixed split, reading the shared copy, and matching on hand-made predictions."""

from __future__ import annotations

from pathlib import Path

from kg.evaluation import re3d
from kg.model import Article, ArticleResult, Evidence, Mention, Relation

RE3D = Path("../shared/data/re3d")

TEXT = "Russia attacked Ukraine. Putin met Erdogan."


def _relation(source: tuple[int, int], target: tuple[int, int], name: str) -> Relation:
    evidence = Evidence("a", TEXT, 0, len(TEXT), source, target)
    return Relation("s", "t", name, "interaction", evidence, "verb", 0.7)


def test_the_split_is_fixed_by_the_document_id_and_halves_the_shared_copy():
    assert re3d.part_of("09FF200CBB76594D688F8EB565717543") == "calibration"
    measuring = re3d.read_documents(RE3D, part="measuring")
    calibration = re3d.read_documents(RE3D, part="calibration")
    assert {d.id for d in measuring}.isdisjoint(d.id for d in calibration)
    assert len(measuring) + len(calibration) == len(re3d.read_documents(RE3D)) == 90
    assert all(re3d.part_of(d.id) == "measuring" for d in measuring)


def test_a_relation_matches_gold_of_its_class_in_either_direction_and_counts_found_actors():
    gold = (
        re3d.GoldRelation("d", (0, 6), (16, 23), "FightingAgainst", "attacked"),
        re3d.GoldRelation("d", (35, 42), (25, 30), "CommWith", "met"),
        re3d.GoldRelation("d", (0, 6), (25, 30), "AlliesOf/Likes", ""),
    )
    document = re3d.Document("d", "", TEXT, gold)
    mentions = [Mention(TEXT[s:e], "Country", s, e, 0) for s, e in ((0, 6), (16, 23))]
    relations = [
        _relation((0, 6), (16, 23), "assault"),
        _relation((25, 30), (35, 42), "consult"),  # gold has it the other way round
        _relation((0, 6), (16, 23), "support"),  # no such gold relation
        _relation((0, 6), (16, 23), "request"),  # no re3d class: not scored
    ]
    counts = re3d.score_document(document, ArticleResult(Article("a", TEXT), [], relations, mentions))
    found = counts["found"]
    assert (found["FightingAgainst"].tp, found["CommWith"].tp) == (1, 1)
    assert (found["AlliesOf/Likes"].fp, found["AlliesOf/Likes"].fn) == (1, 1)
    # only the assault's two actors are names kg found
    assert {name: (c.tp, c.fn) for name, c in counts["found_actors"].items()} == {"FightingAgainst": (1, 0)}
