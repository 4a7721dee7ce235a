"""kg.evaluation.gum: reading GUM's CoNLL-U entity annotation, the scores of hand-made extraction results on a
two-document fixture, and ``kg evaluate gum`` on the real measuring part."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import InputError
from kg.evaluation import gum
from kg.model import ArticleResult, Mention
from kg.resolve import resolve_article

GUM_FOLDER = Path(__file__).parents[2] / "shared" / "data" / "gum"

_ALPHA = """\
# newdoc id = GUM_bio_alpha
# global.Entity = GRP-etype-infstat-salience-centering-minspan-link-identity
# newpar
# newpar_block = head (1 s)
# sent_id = GUM_bio_alpha-1
# text = Ada Lovelace
1	Ada	Ada	PROPN	NNP	_	0	root	_	Entity=(1-person-new-sssss-cf1-1,2-coref-Ada_Lovelace
2	Lovelace	Lovelace	PROPN	NNP	_	1	flat	_	Entity=1)

# newpar
# newpar_block = p (2 s)
# sent_id = GUM_bio_alpha-2
# text = Lovelace worked in London for the Analytical Society.
1	Lovelace	Lovelace	PROPN	NNP	_	2	nsubj	_	Entity=(1-person-giv:act-sssss-cf1-1-coref-Ada_Lovelace)
2	worked	work	VERB	VBD	_	0	root	_	_
3	in	in	ADP	IN	_	4	case	_	_
4	London	London	PROPN	NNP	_	2	obl	_	Entity=(2-place-new-sssss-cf2-1-coref-London)
5	for	for	ADP	IN	_	8	case	_	_
6	the	the	DET	DT	_	8	det	_	Entity=(3-organization-new-nnnnn-cf3-3-sgl
7	Analytical	analytical	ADJ	JJ	_	8	amod	_	_
8	Society	Society	PROPN	NNP	_	2	obl	_	Entity=3)|SpaceAfter=No
9	.	.	PUNCT	.	_	2	punct	_	_

# sent_id = GUM_bio_alpha-3
# text = She loved it.
1	She	she	PRON	PRP	_	2	nsubj	_	Entity=(1-person-giv:act-sssss-cf1-1-coref-Ada_Lovelace)
2	loved	love	VERB	VBD	_	0	root	_	_
3	it	it	PRON	PRP	_	2	obj	_	Entity=(4-abstract-new-nnnnn-cf4-1-sgl)|SpaceAfter=No
4	.	.	PUNCT	.	_	2	punct	_	_

"""

_BETA = """\
# newdoc id = GUM_bio_beta
# newpar
# newpar_block = p (1 s)
# text = Ada Byron's London house.
1	Ada	Ada	PROPN	NNP	_	5	nmod:poss	_	Entity=(1-person-new-sssss-cf1-1,2-coref-Ada_Lovelace
2-3	Byron's	_	_	_	_	_	_	_	_
2	Byron	Byron	PROPN	NNP	_	1	flat	_	Entity=1)
3	's	's	PART	POS	_	1	case	_	_
4	London	London	PROPN	NNP	_	5	compound	_	Entity=(3-object-new-nnnnn-cf3-2-sgl(2-place-giv:act-sssss-cf2-1-coref-London)
5	house	house	NOUN	NN	_	0	root	_	Entity=3)|SpaceAfter=No
6	.	.	PUNCT	.	_	5	punct	_	_

"""  # noqa: E501


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "GUM_bio_alpha.conllu").write_text(_ALPHA, encoding="utf-8")
    (tmp_path / "GUM_bio_beta.conllu").write_text(_BETA, encoding="utf-8")
    return tmp_path


def test_reads_text_title_and_mentions(folder: Path):
    alpha, beta = gum.read_documents(folder, part="all")
    assert alpha.text == "Ada Lovelace\n\nLovelace worked in London for the Analytical Society. She loved it."
    assert alpha.title == "Ada Lovelace" and beta.title == ""
    named = [(alpha.text[m.start : m.end], alpha.text[slice(*m.head)], m.type, m.entity) for m in alpha.named()]
    assert named == [
        ("Ada Lovelace", "Ada", "person", "Ada_Lovelace"),
        ("Lovelace", "Lovelace", "person", "Ada_Lovelace"),
        ("London", "London", "place", "London"),
        ("the Analytical Society", "Society", "organization", "#GUM_bio_alpha#3"),
    ]
    # pronouns are mentions but not named ones
    assert len(alpha.mentions) == 6
    # a multiword token ("Byron's") and a mention nested in another that opens on the same token
    assert beta.text == "Ada Byron's London house."
    spans = sorted((beta.text[m.start : m.end], m.type, m.named) for m in beta.mentions)
    assert spans == [("Ada Byron", "person", True), ("London", "place", True), ("London house", "object", False)]


def test_parts_follow_the_fixed_split(folder: Path):
    assert gum.document_files(folder, "measuring") == []
    assert len(gum.document_files(folder, "train")) == 2
    with pytest.raises(InputError, match="measuring, train, all"):
        gum.read_documents(folder, part="dev")
    with pytest.raises(InputError, match="GUM_"):
        gum.read_documents(folder / "GUM_bio_alpha.conllu".replace(".conllu", ""), part="all")


def _result(document: gum.Document, names: list[tuple[str, str, int]]) -> ArticleResult:
    """What extraction would give: mentions of (text, type, occurrence) at that occurrence of the text."""
    article = document.article()
    mentions = []
    for text, kind, occurrence in names:
        start = -1
        for _ in range(occurrence + 1):
            start = document.text.index(text, start + 1)
        mentions.append(Mention(text, kind, start, start + len(text), 0))
    entities, _ = resolve_article(mentions, article.id)
    return ArticleResult(article, entities, [], mentions)


def test_scores_of_hand_made_results(folder: Path):
    alpha, beta = gum.read_documents(folder, part="all")
    results = [
        _result(
            alpha,
            [("Ada Lovelace", "Person", 0), ("Lovelace", "Person", 1), ("London", "Place", 0)]
            # typed wrong; and a pronoun, which is no name
            + [("the Analytical Society", "Place", 0), ("it", "Organisation", 0)],
        ),
        # "Byron's London" reaches outside the gold "London": no head match, a false positive and a miss
        _result(beta, [("Ada Byron", "Person", 0), ("Byron's London", "Place", 0)]),
    ]
    s = gum.score_results([alpha, beta], results)
    assert s["mentions"] == {"p": 0.7143, "r": 0.8333, "f1": 0.7692, "tp": 5, "fp": 2, "fn": 1}
    assert s["recall_per_type"] == {"person": 1.0, "organization": 1.0, "place": 0.5}
    assert s["type_accuracy"] == 0.8
    assert s["identity_within"] == {"p": 1.0, "r": 1.0, "f1": 1.0, "items": 5}
    # "Ada Byron" is Ada Lovelace by her Wikipedia identity, another node for kg
    assert s["identity_across"] == {"p": 1.0, "r": 0.7333, "f1": 0.8462, "items": 5, "gold_entities": 3}


def test_report_has_one_row_per_model(folder: Path):
    alpha, beta = gum.read_documents(folder, part="all")
    row = gum.score_results([alpha, beta], [_result(alpha, []), _result(beta, [])])
    scores = {"documents": 2, "part": "all", "gold": {"person": 3}, "rows": {"kg": row, "stock spaCy": row}}
    lines = gum.report(scores).splitlines()
    assert lines[0].startswith("GUM, all part: 2 documents")
    assert [line.split()[0] for line in lines[-2:]] == ["kg", "stock"]


def test_cli_scores_the_measuring_part_of_the_real_corpus():
    result = CliRunner().invoke(main, ["evaluate", "gum", str(GUM_FOLDER), "--no-baseline", "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert scores["documents"] == 22 and scores["gold"] == {"organization": 173, "person": 411, "place": 515}
    row = scores["rows"]["kg"]
    assert set(scores["rows"]) == {"kg"}
    assert 0.5 < row["mentions"]["r"] <= 1 and 0.5 < row["type_accuracy"] <= 1
    assert row["identity_within"]["items"] == row["mentions"]["tp"]


def test_cli_says_which_folder_it_needs(tmp_path: Path):
    result = CliRunner().invoke(main, ["evaluate", "gum", str(tmp_path)])
    assert result.exit_code == 1 and "GUM_*.conllu" in result.output
