"""kg.rdf: the RDF shape, round trips through rdflib and Oxigraph in every format, SPARQL, stable bytes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from conftest import A1, A2, HOSTILE_ID, HOSTILE_LABEL, HOSTILE_SENTENCE
from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.compare import to_isomorphic
from rdflib.namespace import PROV, SKOS

from kg.errors import OutputError
from kg.rdf import DEFAULT_BASE, FORMATS, KGV, SCHEMA, article_iri, entity_iri, to_rdf, write_rdf

OXIGRAPH_FORMATS = {"turtle": "TURTLE", "longturtle": "TURTLE", "n3": "N3", "nt": "N_TRIPLES",
                    "xml": "RDF_XML", "json-ld": "JSON_LD"}  # fmt: skip
READERS = {"longturtle": "turtle"}  # rdflib reads long Turtle with its Turtle parser
PREFIXES = "PREFIX kgv: <http://example.org/kg/vocab#> PREFIX schema: <https://schema.org/> "


def _from_oxigraph(data: bytes, format: str) -> rdflib.Graph:
    """Parse with Oxigraph (an independent reader) and convert its terms to rdflib's."""
    pyoxigraph = pytest.importorskip("pyoxigraph")

    def term(node):
        if isinstance(node, pyoxigraph.NamedNode):
            return URIRef(node.value)
        if isinstance(node, pyoxigraph.Literal):
            if node.language:
                return Literal(node.value, lang=node.language)
            if node.datatype.value == str(rdflib.XSD.string):
                return Literal(node.value)
            return Literal(node.value, datatype=URIRef(node.datatype.value))
        raise AssertionError(f"unexpected term {node!r}: kg writes no blank nodes")

    R = rdflib.Graph()
    for quad in pyoxigraph.parse(input=data, format=getattr(pyoxigraph.RdfFormat, OXIGRAPH_FORMATS[format])):
        R.add((term(quad.subject), term(quad.predicate), term(quad.object)))
    return R


def _triples(R: rdflib.Graph) -> set:
    # Literals are compared by lexical form and datatype, so "0.9" and "0.90" differ, as they should here.
    return {(s, p, o.n3() if isinstance(o, Literal) else o) for s, p, o in R}


@pytest.mark.parametrize("format", sorted(FORMATS))
def test_every_format_round_trips_through_rdflib_and_oxigraph(sample_graph, tmp_path: Path, format: str):
    expected = to_rdf(sample_graph)
    path = tmp_path / f"kg{FORMATS[format]}"
    write_rdf(sample_graph, path, format=format)
    data = path.read_bytes()

    by_rdflib = rdflib.Graph().parse(data=data, format=READERS.get(format, format))
    by_oxigraph = _from_oxigraph(data, format)

    assert not any(isinstance(term, rdflib.BNode) for triple in by_rdflib for term in triple)
    assert _triples(by_rdflib) == _triples(expected)
    assert _triples(by_oxigraph) == _triples(expected)
    assert to_isomorphic(by_rdflib) == to_isomorphic(expected)


@pytest.mark.parametrize("format", ["turtle", "nt", "xml", "json-ld"])
def test_hostile_text_round_trips_exactly(sample_graph, tmp_path: Path, format: str):
    path = tmp_path / "kg.out"
    write_rdf(sample_graph, path, format=format)
    R = rdflib.Graph().parse(path, format=format)

    assert str(R.value(entity_iri(HOSTILE_ID), RDFS.label)) == HOSTILE_LABEL
    assert {str(o) for o in R.objects(entity_iri(HOSTILE_ID), SKOS.altLabel)} == {'"onerror" \\ Corp'}
    assert HOSTILE_SENTENCE in {str(o) for o in R.objects(None, KGV.sentence)}
    assert str(R.value(article_iri(A2), SCHEMA.headline)) == 'Exxon, a "backer" of <b>Tillerson</b>'


def test_entities_articles_and_their_properties(sample_graph):
    R = to_rdf(sample_graph)
    russia, tillerson = entity_iri("country:russia"), entity_iri("person:rex-tillerson")

    assert str(russia) == "http://example.org/kg/entity/country/russia"
    assert set(R.objects(russia, RDF.type)) == {SCHEMA.Country, KGV.Entity}
    assert R.value(russia, KGV.countryCode) == Literal("RU")
    assert R.value(russia, SKOS.altLabel) == Literal("Russian Federation")
    assert R.value(tillerson, KGV.mentionCount) == Literal(5, datatype=rdflib.XSD.integer)
    assert R.value(tillerson, KGV.title) == Literal("U.S. Secretary of State")
    assert set(R.objects(tillerson, SCHEMA.subjectOf)) == {article_iri(A1), article_iri(A2)}
    assert (entity_iri("organisation:exxonmobil"), RDF.type, SCHEMA.Organization) in R
    assert (entity_iri("place:moscow"), RDF.type, SCHEMA.Place) in R

    first, second = article_iri(A1), article_iri(A2)
    assert (first, RDF.type, SCHEMA.NewsArticle) in R
    assert R.value(first, SCHEMA.url) == URIRef("https://example.com/news/1")
    assert R.value(first, SCHEMA.datePublished) == Literal("2017-04-12", datatype=rdflib.XSD.date)
    assert R.value(second, SCHEMA.datePublished) == Literal("April 13, 2017")
    assert R.value(second, KGV.source) == Literal("news/2.txt")


def test_edges_are_asserted_and_described_by_a_statement_with_evidence(sample_graph):
    R = to_rdf(sample_graph)
    putin, russia = entity_iri("person:vladimir-putin"), entity_iri("country:russia")

    assert (putin, KGV.leader_of, russia) in R
    (statement,) = R.subjects(RDF.predicate, KGV.leader_of)
    assert str(statement).startswith(DEFAULT_BASE + "statement/")
    assert set(R.objects(statement, RDF.type)) == {RDF.Statement, KGV.Assertion}
    assert R.value(statement, RDF.subject) == putin
    assert R.value(statement, RDF.object) == russia
    assert R.value(statement, KGV.kind) == Literal("typed")
    assert R.value(statement, KGV.confidence) == Literal("0.85", datatype=rdflib.XSD.decimal)
    evidence = R.value(statement, KGV.evidence)
    assert (evidence, RDF.type, KGV.Evidence) in R
    assert R.value(evidence, PROV.wasDerivedFrom) == article_iri(A1)
    assert R.value(evidence, KGV.trigger) == Literal("President")
    assert R.value(evidence, KGV.startOffset) == Literal(0)
    assert R.value(evidence, KGV.endOffset) == Literal(53)
    assert R.value(evidence, KGV.method) == Literal("title_of_country")

    (said,) = R.subjects(RDF.predicate, KGV.said_about)
    assert R.value(R.value(said, KGV.evidence), KGV.quote) == Literal("Russia must choose")
    (supports,) = R.subjects(RDF.predicate, KGV.supports)
    assert R.value(supports, KGV.kind) == Literal("interaction")
    assert R.value(R.value(supports, KGV.evidence), KGV.trigger) == Literal("backer")


def test_cooccurrence_is_a_resource_and_never_a_direct_triple(sample_graph):
    R = to_rdf(sample_graph)
    tillerson, putin = entity_iri("person:rex-tillerson"), entity_iri("person:vladimir-putin")

    assert not list(R.predicates(tillerson, putin)) and not list(R.predicates(putin, tillerson))
    assert (None, KGV.co_occurs, None) not in R
    assert (None, RDF.predicate, KGV.co_occurs) not in R
    (resource,) = R.subjects(RDF.type, KGV.CoOccurrence)
    assert set(R.objects(resource, KGV.entity)) == {tillerson, putin}
    assert R.value(resource, KGV.weight) == Literal(2)
    articles = {R.value(e, PROV.wasDerivedFrom) for e in R.objects(resource, KGV.evidence)}
    assert articles == {article_iri(A1), article_iri(A2)}


def test_sparql_people_labels(sample_graph):
    rows = to_rdf(sample_graph).query(
        PREFIXES + "SELECT ?label WHERE { ?p a schema:Person ; rdfs:label ?label } ORDER BY ?label"
    )
    assert [str(row.label) for row in rows] == ["Rex Tillerson", "Vladimir Putin"]


def test_sparql_evidence_sentences_of_one_edge_through_its_statement(sample_graph):
    query = (
        PREFIXES
        + """
        SELECT ?sentence ?headline WHERE {
            ?st rdf:subject ?s ; rdf:predicate kgv:said_about ; rdf:object ?o ; kgv:evidence ?ev .
            ?s rdfs:label "Rex Tillerson" .
            ?ev kgv:sentence ?sentence ; prov:wasDerivedFrom/schema:headline ?headline .
        }"""
    )
    rows = list(to_rdf(sample_graph).query(query))
    assert [(str(r.sentence), str(r.headline)) for r in rows] == [(HOSTILE_SENTENCE, "Tillerson meets Putin in Moscow")]


def test_base_is_used_for_minted_iris_but_not_for_the_vocabulary(sample_graph):
    R = to_rdf(sample_graph, base="https://news.example.net/graph")
    tillerson = URIRef("https://news.example.net/graph/entity/person/rex-tillerson")
    assert (
        tillerson,
        KGV.works_for,
        URIRef("https://news.example.net/graph/entity/organisation/exxonmobil"),
    ) in R
    assert not any(str(s).startswith(DEFAULT_BASE) and not str(s).startswith(str(KGV)) for s in R.subjects())


def test_unsafe_characters_in_ids_are_percent_encoded():
    assert str(entity_iri("place:a b/c")) == "http://example.org/kg/entity/place/a%20b%2Fc"


def test_unknown_format_lists_the_valid_names(sample_graph, tmp_path: Path):
    with pytest.raises(OutputError) as raised:
        write_rdf(sample_graph, tmp_path / "kg.x", format="turtel")
    message = str(raised.value)
    assert "'turtel'" in message
    assert all(name in message for name in ("turtle", "nt", "xml", "json-ld"))


def test_a_base_that_is_not_an_iri_is_refused(sample_graph):
    with pytest.raises(OutputError, match="not an absolute IRI"):
        to_rdf(sample_graph, base="example org")


def test_control_characters_are_refused_in_rdf_xml_only(sample_graph, tmp_path: Path):
    sample_graph.nodes["place:moscow"]["label"] = "Mos\x0bcow"
    with pytest.raises(OutputError, match="U\\+000B"):
        write_rdf(sample_graph, tmp_path / "kg.rdf", format="xml")
    write_rdf(sample_graph, tmp_path / "kg.nt", format="nt")
    R = rdflib.Graph().parse(tmp_path / "kg.nt", format="nt")
    assert str(R.value(entity_iri("place:moscow"), RDFS.label)) == "Mos\x0bcow"


def test_same_graph_gives_the_same_bytes(sample_graph, tmp_path: Path):
    for format in FORMATS:
        write_rdf(sample_graph, tmp_path / "a", format=format)
        write_rdf(sample_graph, tmp_path / "b", format=format)
        assert (tmp_path / "a").read_bytes() == (tmp_path / "b").read_bytes(), format


def test_same_bytes_across_processes_with_other_hash_seeds(tmp_path: Path):
    # rdflib's store iterates through sets, whose order changes with PYTHONHASHSEED from process to process.
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]); from conftest import make_sample_graph; "
        "from kg.rdf import FORMATS, write_rdf; G = make_sample_graph(); "
        "[write_rdf(G, f'{sys.argv[2]}/{f}', format=f) for f in FORMATS]"
    )
    tests = str(Path(__file__).parent)
    outputs = []
    for seed in ("1", "2"):
        folder = tmp_path / seed
        folder.mkdir()
        subprocess.run(
            [sys.executable, "-c", script, tests, str(folder)],
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        outputs.append({f: (folder / f).read_bytes() for f in FORMATS})
    assert outputs[0] == outputs[1]
