"""kg.validate and ``kg validate``: kg's output conforms to its SHACL shapes in every format (the sample graph and
a real build); hand-broken files fail with a report that names the problem."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from conftest import A1
from rdflib import RDF, RDFS, URIRef
from rdflib.namespace import PROV

from kg.cli import main
from kg.errors import InputError
from kg.rdf import FORMATS, KGV, SCHEMA, article_iri, entity_iri, to_dataset, to_rdf, write_rdf
from kg.validate import SHAPES_FILE, Problem, validate, validate_file

ARTICLE = Path(__file__).resolve().parents[1] / "data" / "syria-tillerson.txt"
PUTIN, RUSSIA = entity_iri("person:vladimir-putin"), entity_iri("country:russia")
SAMPLE_SUMMARY = "177 triples: 6 entities, 2 articles, 6 statements, 1 co-occurrence, 8 pieces of evidence"


@pytest.fixture(scope="module")
def built_graph():
    """The graph of a real article, built with the real model."""
    from kg.pipeline import build

    return build(ARTICLE)


def test_the_shapes_file_is_shipped_and_reads():
    assert SHAPES_FILE.parent.name == "data" and SHAPES_FILE.parent.parent.name == "kg"
    assert len(rdflib.Graph().parse(SHAPES_FILE)) > 100


@pytest.mark.parametrize("format", sorted(FORMATS))
def test_the_sample_output_conforms_in_every_format(sample_graph, tmp_path: Path, format: str):
    path = tmp_path / f"kg{FORMATS[format]}"
    write_rdf(sample_graph, path, format=format)
    report = validate_file(path, format=None if format != "longturtle" else "longturtle")
    assert report.conforms, str(report)
    assert str(report) == f"{path} conforms to kg's shapes ({SAMPLE_SUMMARY})."


def test_graphs_and_datasets_conform_with_and_without_the_vocabulary(sample_graph):
    for data in (to_rdf(sample_graph), to_dataset(sample_graph), to_rdf(sample_graph, include_vocabulary=True)):
        report = validate(data)
        assert report.conforms, str(report)
        assert report.counts["entity"] == 6 and report.counts["piece of evidence"] == 8


@pytest.mark.parametrize("format", sorted(FORMATS))
def test_a_real_build_conforms_in_every_format(built_graph, tmp_path: Path, format: str):
    path = tmp_path / f"graph{FORMATS[format]}"
    write_rdf(built_graph, path, format=format)
    report = validate_file(path, format=format)
    assert report.conforms, str(report)
    assert report.counts["entity"] == built_graph.number_of_nodes()
    assert report.counts["statement"] + report.counts["co-occurrence"] == built_graph.number_of_edges()


# --- hand-broken files ------------------------------------------------------------------------------------


def _statement(R: rdflib.Graph) -> URIRef:
    (statement,) = R.subjects(RDF.predicate, KGV.leader_of)
    return statement


def _evidence(R: rdflib.Graph) -> URIRef:
    return R.value(_statement(R), KGV.evidence)


def _line(s, p, o=None) -> str:
    return f"<{s}> <{p}> " + (o.n3() if o is not None else "")


BREAKS = {
    # name: (function (N-Triples lines, sample RDF) -> lines, words the report must contain)
    "no label": (
        lambda lines, R: [x for x in lines if not x.startswith(_line(RUSSIA, RDFS.label))],
        ["<http://example.org/kg/entity/country/russia> rdfs:label", "exactly one rdfs:label"],
    ),
    "no schema.org type": (
        lambda lines, R: [x for x in lines if x != _line(PUTIN, RDF.type, SCHEMA.Person) + " ."],
        ["rdf:type", "schema:Person, schema:Country, schema:Organization, schema:Place"],
    ),
    "confidence above 1": (
        lambda lines, R: [
            x.replace('"0.85"', '"1.5"') if x.startswith(_line(_statement(R), KGV.confidence)) else x for x in lines
        ],
        ["kgv:confidence", "from 0 to 1", "(value: 1.5)"],
    ),
    "start after end": (
        lambda lines, R: [
            x.replace('"53"', '"-1"') if x.startswith(_line(_evidence(R), KGV.endOffset)) else x for x in lines
        ],
        ["kgv:startOffset", "not after its kgv:endOffset"],
    ),
    "evidence without an article": (
        lambda lines, R: [x for x in lines if not x.startswith(_line(_evidence(R), PROV.wasDerivedFrom))],
        ["prov:wasDerivedFrom", "exactly one prov:wasDerivedFrom"],
    ),
    "article not typed": (
        lambda lines, R: [x for x in lines if x != _line(article_iri(A1), RDF.type, SCHEMA.NewsArticle) + " ."],
        ["schema:subjectOf points to an article", "prov:wasDerivedFrom, an article of the file"],
    ),
    "statement without evidence": (
        lambda lines, R: [x for x in lines if not x.startswith(_line(_statement(R), KGV.evidence))],
        ["kgv:evidence", "at least one kgv:evidence"],
    ),
    "relation not asserted": (
        lambda lines, R: [x for x in lines if x != _line(PUTIN, KGV.leader_of, RUSSIA) + " ."],
        ["The relation a statement describes is asserted"],
    ),
    "undeclared predicate": (
        lambda lines, R: [x.replace(str(KGV.leader_of), str(KGV.rules)) for x in lines],
        ["kgv:rules", "not declared in kg's vocabulary"],
    ),
}


def _write_broken(sample_graph, tmp_path: Path, name: str) -> Path:
    path = tmp_path / "broken.nt"
    write_rdf(sample_graph, path, format="nt")
    lines = path.read_text(encoding="utf-8").splitlines()
    broken = BREAKS[name][0](lines, to_rdf(sample_graph))
    assert broken != lines, "the break changed nothing"
    path.write_text("\n".join(broken) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("name", sorted(BREAKS))
def test_a_broken_file_fails_with_a_message_that_names_the_problem(sample_graph, tmp_path: Path, name: str):
    report = validate_file(_write_broken(sample_graph, tmp_path, name))
    text = str(report)
    assert not report.conforms
    assert text.startswith(f"{tmp_path / 'broken.nt'} does not conform to kg's shapes (")
    for words in BREAKS[name][1]:
        assert words in text, text


def test_problems_are_listed_one_per_line_in_a_fixed_order(sample_graph, tmp_path: Path):
    report = validate_file(_write_broken(sample_graph, tmp_path, "confidence above 1"))
    assert report.problems == [
        Problem(
            focus=_statement(to_rdf(sample_graph)).n3(),
            path="kgv:confidence",
            message="It has exactly one kgv:confidence, an xsd:decimal from 0 to 1.",
            value="1.5",
        )
    ]
    assert str(report).splitlines()[1] == (
        f"- {_statement(to_rdf(sample_graph)).n3()} kgv:confidence: "
        "It has exactly one kgv:confidence, an xsd:decimal from 0 to 1. (value: 1.5)"
    )


# --- reading ----------------------------------------------------------------------------------------------


def test_an_unknown_suffix_asks_for_the_format(sample_graph, tmp_path: Path):
    path = tmp_path / "kg.data"
    write_rdf(sample_graph, path, format="trig")
    with pytest.raises(InputError, match="--format"):
        validate_file(path)
    assert validate_file(path, format="trig").conforms


def test_a_file_that_is_not_rdf_in_its_format_is_an_input_error(tmp_path: Path):
    path = tmp_path / "kg.ttl"
    path.write_text("this is not turtle\n", encoding="utf-8")
    with pytest.raises(InputError, match="is not valid turtle RDF"):
        validate_file(path)
    with pytest.raises(InputError, match="is not valid turtle RDF"):  # "ttl" is another name of Turtle
        validate_file(path, format="ttl")
    with pytest.raises(InputError, match="Unknown RDF format 'tortle'"):
        validate_file(path, format="tortle")


# --- kg validate ------------------------------------------------------------------------------------------


def test_cli_validate_a_conforming_file(sample_graph, tmp_path: Path):
    path = tmp_path / "kg.trig"
    write_rdf(sample_graph, path, format="trig")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{path} conforms to kg's shapes ({SAMPLE_SUMMARY}).\n"


def test_cli_validate_a_broken_file_exits_1_with_the_report(sample_graph, tmp_path: Path):
    path = _write_broken(sample_graph, tmp_path, "no label")
    result = CliRunner().invoke(main, ["validate", str(path), "--format", "nt"])
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{path} does not conform to kg's shapes (")
    assert "- <http://example.org/kg/entity/country/russia> rdfs:label: An entity has exactly one" in result.stdout


def test_cli_validate_an_unreadable_file_exits_1_with_the_fix(tmp_path: Path):
    path = tmp_path / "kg.ttl"
    path.write_text("this is not turtle\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {str(path)!r} is not valid turtle RDF: ")
    assert "Pass the right format (--format) or fix the file." in result.stderr
