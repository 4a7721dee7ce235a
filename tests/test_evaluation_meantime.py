"""The MEANTIME evaluator: B-cubed on hand-made clusterings, the CAT XML reader on a tiny hand-made corpus, the
scores of hand-made extraction results, and ``kg evaluate meantime`` on that corpus (real model, two documents)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import InputError
from kg.evaluation import meantime
from kg.evaluation.scores import b_cubed
from kg.model import ArticleResult, Mention
from kg.resolve import resolve_article

# --- B-cubed ------------------------------------------------------------------------------------------------

GOLD = {"a": 1, "b": 1, "c": 2}


@pytest.mark.parametrize(
    "predicted, expected",
    [
        ({"a": "x", "b": "x", "c": "y"}, (1.0, 1.0, 1.0)),  # perfect, whatever the cluster names
        ({"a": "a", "b": "b", "c": "c"}, (1.0, 0.6667, 0.8)),  # all singletons: r = (1/2 + 1/2 + 1) / 3
        ({"a": 0, "b": 0, "c": 0}, (0.5556, 1.0, 0.7143)),  # one cluster: p = (2/3 + 2/3 + 1/3) / 3
    ],
)
def test_b_cubed_of_hand_computed_clusterings(predicted, expected):
    s = b_cubed(GOLD, predicted)
    assert (s["p"], s["r"], s["f1"]) == expected and s["items"] == 3


def test_b_cubed_of_bagga_and_baldwins_example():
    gold = {i: "A" for i in "12345"} | {i: "B" for i in "67"} | {i: "C" for i in "89abc"}
    merged = {i: "A" for i in "12345"} | {i: "B" for i in "6789abc"}  # the two small clusters joined
    assert b_cubed(gold, merged) == {"p": 0.7619, "r": 1.0, "f1": 0.8649, "items": 12}
    assert b_cubed(merged, gold) == {"p": 1.0, "r": 0.7619, "f1": 0.8649, "items": 12}


def test_b_cubed_needs_the_same_items():
    assert b_cubed({}, {})["f1"] == 0.0
    with pytest.raises(ValueError, match="1 only in gold, 0 only in predicted"):
        b_cubed(GOLD, {"a": 1, "b": 1})


# --- a tiny corpus in CAT XML -------------------------------------------------------------------------------

APPLE = [
    ["Apple", "sues", "over", "iPhone"],
    ["March", "1", ",", "2011"],
    ["The", "computer", "maker", "Apple", "said", "Steve", "Jobs", "'s", "team", "would", "fight", "."],
]
APPLE_TEXT = "Apple sues over iPhone\n\nMarch 1, 2011\n\nThe computer maker Apple said Steve Jobs's team would fight."
JOBS = [["Jobs", "returns"], ["May", "2", ",", "2011"], ["Jobs", "met", "the", "board", "."]]


def _cat_xml(doc_id: str, sentences: list[list[str]], mentions: dict[str, list[int]], refers: dict[str, tuple]) -> str:
    """A CAT XML document: ``mentions`` m_id -> token ids; ``refers`` entity m_id -> (type, instance_id or None,
    mention ids)."""
    tokens, t_id = [], 0
    for number, sentence in enumerate(sentences):
        for token in sentence:
            t_id += 1
            tokens.append(f'<token number="{t_id - 1}" sentence="{number}" t_id="{t_id}">{token}</token>')
    markables = [
        f'<ENTITY_MENTION m_id="{m_id}" syntactic_type="">'
        + "".join(f'<token_anchor t_id="{t}"/>' for t in anchors)
        + "</ENTITY_MENTION>"
        for m_id, anchors in mentions.items()
    ]
    relations = []
    for m_id, (kind, instance, sources) in refers.items():
        instance_attribute = f' instance_id="{instance}"' if instance else ""
        markables.append(f'<ENTITY TAG_DESCRIPTOR="" ent_type="{kind}"{instance_attribute} m_id="{m_id}"/>')
        relations.append(
            f'<REFERS_TO r_id="r{m_id}">'
            + "".join(f'<source m_id="{s}"/>' for s in sources)
            + f'<target m_id="{m_id}"/></REFERS_TO>'
        )
    return (
        f'<?xml version="1.0" ?><Document doc_id="{doc_id}" doc_name="d{doc_id}" lang="en" url="http://x/{doc_id}">\n'
        + "\n".join(tokens)
        + "\n<Markables>\n"
        + "\n".join(markables)
        + "\n</Markables>\n<Relations>\n"
        + "\n".join(relations)
        + "\n</Relations>\n</Document>\n"
    )


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """Two documents: Apple twice (a name, then a whole noun phrase), Steve Jobs, a product (left out); then
    "Jobs" alone, and an organisation annotated in its document only."""
    folder = tmp_path / "meantime_newsreader_english_oct15" / meantime.CROSS_DOC_FOLDER / "corpus_apple"
    folder.mkdir(parents=True)
    (folder / "1_apple.xml").write_text(
        _cat_xml(
            "1",
            APPLE,
            {"1": [1], "2": [9, 10, 11, 12], "3": [14, 15], "4": [4]},
            {"10": ("ORG", "ORG1", ["1", "2"]), "11": ("PER", "PER1", ["3"]), "12": ("PRO", "PRO1", ["4"])},
        ),
        encoding="utf-8",
    )
    (folder / "2_jobs.xml").write_text(
        _cat_xml(
            "2",
            JOBS,
            {"1": [1], "2": [9, 10]},
            {"10": ("PER", "PER1", ["1"]), "11": ("ORG", None, ["2"])},
        ),
        encoding="utf-8",
    )
    return tmp_path


def test_reader_detokenises_with_offsets_and_reads_mentions(corpus: Path):
    apple, jobs = meantime.read_documents(corpus)
    assert apple.text == APPLE_TEXT
    assert apple.title == "Apple sues over iPhone" and apple.article().title == apple.title
    tokens = [token for sentence in APPLE for token in sentence]
    assert [apple.text[start:end] for start, end in apple.spans] == tokens
    assert apple.spans[15] == (APPLE_TEXT.index("'s"), APPLE_TEXT.index("'s") + 2)
    assert [(m.id, m.start, m.end, m.type, m.entity) for m in apple.mentions] == [
        ("1", 0, 1, "ORG", "ORG1"),
        ("2", 8, 12, "ORG", "ORG1"),
        ("3", 13, 15, "PER", "PER1"),
        ("4", 3, 4, "PRO", "PRO1"),
    ]
    # an entity without an instance_id is its own, within its document
    assert [(m.start, m.end, m.entity) for m in jobs.mentions] == [(0, 1, "PER1"), (8, 10, "2#11")]
    assert apple.token_span(APPLE_TEXT.index("Steve"), APPLE_TEXT.index("'s")) == (13, 15)


@pytest.mark.parametrize(
    "where",
    [".", "meantime_newsreader_english_oct15", f"meantime_newsreader_english_oct15/{meantime.CROSS_DOC_FOLDER}"],
)
def test_documents_are_found_from_the_corpus_folder_or_inside_it(corpus: Path, where: str):
    assert [path.name for path in meantime.find_documents(corpus / where)] == ["1_apple.xml", "2_jobs.xml"]


def test_a_folder_without_the_cross_document_annotation_is_refused(tmp_path: Path):
    (tmp_path / "intra-doc_annotation").mkdir()
    with pytest.raises(InputError, match="intra_cross-doc_annotation"):
        meantime.find_documents(tmp_path)


def _result(document: meantime.Document, names: list[tuple[str, str, int]]) -> ArticleResult:
    """What extraction would give: mentions of (text, type, sentence) at their first place in that sentence."""
    article = document.article()
    mentions = []
    for text, kind, sentence in names:
        first = document.sentences.index(sentence)
        start = document.text.index(text, document.spans[first][0])
        mentions.append(Mention(text, kind, start, start + len(text), sentence))
    entities, _ = resolve_article(mentions, article.id)
    return ArticleResult(article, entities, [], mentions)


def test_scores_of_hand_made_results(corpus: Path):
    apple, jobs = meantime.read_documents(corpus)
    results = [
        _result(
            apple,
            [("Apple", "Organisation", 0), ("iPhone", "Organisation", 0), ("Apple", "Organisation", 2)]
            + [("Steve Jobs", "Person", 2)],
        ),
        _result(jobs, [("Jobs", "Person", 0)]),
    ]
    s = meantime.score_results([apple, jobs], results)
    assert s["documents"] == 2 and s["left_out"] == {"PRO": 1}
    # strict: "Apple" is not "The computer maker Apple"; a product tagged as an organisation is a false positive
    strict, head = s["mentions_strict"], s["mentions_head"]
    assert (strict["tp"], strict["fp"], strict["fn"]) == (3, 2, 2)
    assert strict["per_type"]["ORG"] == {"p": 0.3333, "r": 0.3333, "f1": 0.3333, "tp": 1, "fp": 2, "fn": 2}
    assert strict["per_type"]["PER"]["f1"] == 1.0 and strict["per_type"]["LOC"]["tp"] == 0
    assert (head["tp"], head["fp"], head["fn"]) == (4, 1, 1)
    # "Jobs" in the second article joins Steve Jobs across articles, as in kg build
    identity = s["identity"]
    assert (identity["p"], identity["r"], identity["f1"]) == (1.0, 1.0, 1.0)
    assert identity["items"] == 4 and identity["gold_mentions"] == 5 and identity["not_found"] == 1
    assert identity["gold_entities"] == 2 and identity["kg_clusters"] == 2
    assert s["baselines"]["singletons"] == {"p": 1.0, "r": 0.5, "f1": 0.6667, "items": 4}
    assert s["baselines"]["lowercase_text"] == {"p": 1.0, "r": 0.75, "f1": 0.8571, "items": 4}
    text = meantime.report(s)
    assert "left out of the gold (no kg type): PRO 1 mentions" in text
    assert "B-cubed over the 4 of 5 gold mentions kg found" in text


# --- the command --------------------------------------------------------------------------------------------


def test_cli_prints_one_json_object_with_the_scores(corpus: Path):
    result = CliRunner().invoke(main, ["evaluate", "meantime", str(corpus), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert set(scores) == {"documents", "left_out", "mentions_strict", "mentions_head", "identity", "baselines"}
    for key in ("mentions_strict", "mentions_head"):
        assert set(scores[key]) == {"p", "r", "f1", "tp", "fp", "fn", "per_type"}
        assert set(scores[key]["per_type"]) == {"LOC", "ORG", "PER"}
    assert set(scores["identity"]) == {
        "p", "r", "f1", "items", "gold_mentions", "not_found", "gold_entities", "kg_clusters"
    }  # fmt: skip
    assert set(scores["baselines"]) == {"singletons", "lowercase_text"}
    assert scores["documents"] == 2 and scores["identity"]["gold_mentions"] == 5


def test_cli_prints_the_tables(corpus: Path):
    result = CliRunner().invoke(main, ["evaluate", "meantime", str(corpus)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("MEANTIME: 2 documents")
    assert any(line.startswith("entity mentions, strict") for line in lines)
    assert any(line.startswith("entity mentions, head") for line in lines)
    assert [line.split()[0] for line in lines[-3:]] == ["kg", "singletons", "lowercase_text"]


def test_cli_says_which_folder_it_needs(tmp_path: Path):
    result = CliRunner().invoke(main, ["evaluate", "meantime", str(tmp_path)])
    assert result.exit_code == 1 and "intra_cross-doc_annotation" in result.output
