"""kg.rdf: the RDF shape, the vocabulary, named graphs, round trips through rdflib and Oxigraph in every format,
SPARQL, IRIs for any id, stable bytes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from conftest import (
    A1,
    A2,
    HOSTILE_ID,
    HOSTILE_LABEL,
    HOSTILE_SENTENCE,
    make_dense_graph,
    make_sample_graph,
    peak_memory,
)
from rdflib import OWL, RDF, RDFS, Literal, URIRef
from rdflib.compare import to_isomorphic
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import PROV, SKOS

from kg.errors import OutputError
from kg.model import COOCCURRENCE
from kg.rdf import (
    DATASET_FORMATS,
    DEFAULT_BASE,
    FORMATS,
    KGV,
    SCHEMA,
    VOCABULARY_FILE,
    article_iri,
    entity_iri,
    graph_iri,
    to_dataset,
    to_quads,
    to_rdf,
    vocabulary,
    write_rdf,
)

OXIGRAPH_FORMATS = {"turtle": "TURTLE", "longturtle": "TURTLE", "n3": "N3", "nt": "N_TRIPLES", "nquads": "N_QUADS",
                    "trig": "TRIG", "xml": "RDF_XML", "json-ld": "JSON_LD"}  # fmt: skip
READERS = {"longturtle": "turtle"}  # rdflib reads long Turtle with its Turtle parser
PREFIXES = "PREFIX kgv: <http://example.org/kg/vocab#> PREFIX schema: <https://schema.org/> "
WIKIDATA = rdflib.Namespace("http://www.wikidata.org/entity/")


def _term(node) -> rdflib.term.Identifier:
    """An Oxigraph term as rdflib's."""
    if isinstance(node, pyoxigraph.NamedNode):
        return URIRef(node.value)
    if isinstance(node, pyoxigraph.Literal):
        if node.language:
            return Literal(node.value, lang=node.language)
        if node.datatype.value == str(rdflib.XSD.string):
            return Literal(node.value)
        return Literal(node.value, datatype=URIRef(node.datatype.value))
    raise AssertionError(f"unexpected term {node!r}: kg writes no blank nodes")


def _key(s, p, o, g) -> tuple:
    # Literals are compared by lexical form and datatype, so "0.9" and "0.90" differ, as they should here.
    graph = None if g is None or g == DATASET_DEFAULT_GRAPH_ID else URIRef(g)
    return s, p, o.n3() if isinstance(o, Literal) else o, graph


def _by_oxigraph(data: bytes, format: str) -> set:
    """Parse with Oxigraph (an independent reader): the set of quads, None for the default graph."""
    quads = pyoxigraph.parse(input=data, format=getattr(pyoxigraph.RdfFormat, OXIGRAPH_FORMATS[format]))
    return {
        _key(
            _term(q.subject),
            _term(q.predicate),
            _term(q.object),
            None if isinstance(q.graph_name, pyoxigraph.DefaultGraph) else q.graph_name.value,
        )
        for q in quads
    }


def _by_rdflib(data: bytes, format: str) -> set:
    D = rdflib.Dataset().parse(data=data, format=READERS.get(format, format))
    return {_key(*quad) for quad in D.quads((None, None, None, None))}


def _expected(G, format: str) -> set:
    if format in DATASET_FORMATS:
        return {_key(*quad) for quad in to_dataset(G).quads((None, None, None, None))}
    return {_key(s, p, o, None) for s, p, o in to_rdf(G)}


def _with_spans(G):
    """The sample graph with the names' offsets on one piece of evidence, so every kgv term is written."""
    evidence = G.edges["person:rex-tillerson", "organisation:exxonmobil", "works_for"]["evidence"][0]
    evidence.update(source_span=[200, 213], target_span=[235, 245])
    return G


# --- formats ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("format", sorted(FORMATS))
def test_every_format_round_trips_through_rdflib_and_oxigraph(sample_graph, tmp_path: Path, format: str):
    G = _with_spans(sample_graph)
    path = tmp_path / f"kg{FORMATS[format]}"
    write_rdf(G, path, format=format)
    data = path.read_bytes()
    expected = _expected(G, format)

    by_rdflib, by_oxigraph = _by_rdflib(data, format), _by_oxigraph(data, format)

    assert not any(isinstance(term, rdflib.BNode) for quad in by_rdflib for term in quad)
    assert by_rdflib == expected
    assert by_oxigraph == expected
    assert len(expected) == len(to_rdf(G))  # every triple once, named graph or not


def test_triple_formats_are_isomorphic_to_to_rdf(sample_graph, tmp_path: Path):
    for format in sorted(set(FORMATS) - DATASET_FORMATS):
        write_rdf(sample_graph, tmp_path / "kg", format=format)
        R = rdflib.Graph().parse(tmp_path / "kg", format=READERS.get(format, format))
        assert to_isomorphic(R) == to_isomorphic(to_rdf(sample_graph)), format


@pytest.mark.parametrize("format", sorted(FORMATS))
def test_hostile_text_round_trips_exactly(sample_graph, tmp_path: Path, format: str):
    path = tmp_path / "kg.out"
    write_rdf(sample_graph, path, format=format)
    R = rdflib.Graph()
    R.addN((s, p, o, R) for s, p, o, _ in rdflib.Dataset().parse(path, format=READERS.get(format, format)).quads())

    assert str(R.value(entity_iri(HOSTILE_ID), RDFS.label)) == HOSTILE_LABEL
    assert {str(o) for o in R.objects(entity_iri(HOSTILE_ID), SKOS.altLabel)} == {'"onerror" \\ Corp'}
    assert HOSTILE_SENTENCE in {str(o) for o in R.objects(None, KGV.sentence)}
    assert str(R.value(article_iri(A2), SCHEMA.headline)) == 'Exxon, a "backer" of <b>Tillerson</b>'


def test_turtle_groups_each_resource_under_readable_prefixes(sample_graph, tmp_path: Path):
    write_rdf(sample_graph, tmp_path / "kg.ttl")
    text = (tmp_path / "kg.ttl").read_text(encoding="utf-8")

    assert "@prefix person: <http://example.org/kg/entity/person/> ." in text
    assert "\nperson:vladimir-putin a kgv:Entity , schema:Person ;\n" in text
    assert text.count("\nperson:vladimir-putin ") == 1


def test_unknown_format_lists_the_valid_names(sample_graph, tmp_path: Path):
    with pytest.raises(OutputError) as raised:
        write_rdf(sample_graph, tmp_path / "kg.x", format="turtel")
    message = str(raised.value)
    assert "'turtel'" in message
    assert all(name in message for name in ("turtle", "nt", "nquads", "trig", "xml", "json-ld"))


def test_control_characters_are_refused_in_rdf_xml_only(sample_graph, tmp_path: Path):
    sample_graph.nodes["place:moscow"]["label"] = "Mos\x0bcow"
    with pytest.raises(OutputError, match="U\\+000B"):
        write_rdf(sample_graph, tmp_path / "kg.rdf", format="xml")
    write_rdf(sample_graph, tmp_path / "kg.nt", format="nt")
    R = rdflib.Graph().parse(tmp_path / "kg.nt", format="nt")
    assert str(R.value(entity_iri("place:moscow"), RDFS.label)) == "Mos\x0bcow"


def test_a_folder_that_does_not_exist_is_an_output_error(sample_graph, tmp_path: Path):
    with pytest.raises(OutputError, match="Check the folder exists"):
        write_rdf(sample_graph, tmp_path / "missing" / "kg.ttl")


def test_same_graph_gives_the_same_bytes(sample_graph, tmp_path: Path):
    for format in FORMATS:
        write_rdf(sample_graph, tmp_path / "a", format=format)
        write_rdf(make_sample_graph(), tmp_path / "b", format=format)
        assert (tmp_path / "a").read_bytes() == (tmp_path / "b").read_bytes(), format


def test_same_bytes_across_processes_with_other_hash_seeds(tmp_path: Path):
    # rdflib's store iterates through sets, whose order changes with PYTHONHASHSEED from process to process.
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]); from conftest import make_sample_graph; "
        "from kg.rdf import FORMATS, write_rdf; G = make_sample_graph(); "
        "[write_rdf(G, f'{sys.argv[2]}/{f}', format=f, include_vocabulary=True) for f in FORMATS]"
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


# --- shape ------------------------------------------------------------------------------------------------


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
    (supports,) = R.subjects(RDF.predicate, KGV.support)
    assert R.value(supports, KGV.kind) == Literal("interaction")
    assert R.value(R.value(supports, KGV.evidence), KGV.trigger) == Literal("backer")


def test_the_offsets_of_the_two_names_are_kept(sample_graph):
    R = to_rdf(_with_spans(sample_graph))
    (statement,) = R.subjects(RDF.predicate, KGV.works_for)
    evidence = R.value(statement, KGV.evidence)
    offsets = [R.value(evidence, KGV[name]) for name in ("sourceStart", "sourceEnd", "targetStart", "targetEnd")]
    assert offsets == [Literal(200), Literal(213), Literal(235), Literal(245)]


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


# --- named graphs -----------------------------------------------------------------------------------------


def test_each_articles_evidence_is_in_a_named_graph_of_its_own(sample_graph):
    D = to_dataset(sample_graph)
    named = {g.identifier for g in D.graphs() if g.identifier != DATASET_DEFAULT_GRAPH_ID}
    assert named == {graph_iri(A1), graph_iri(A2)}
    assert str(graph_iri(A1)) == f"{DEFAULT_BASE}graph/{A1}"

    default = D.default_graph
    assert (None, RDF.type, KGV.Evidence) not in default
    assert (None, KGV.evidence, None) not in default
    assert (entity_iri("person:vladimir-putin"), KGV.leader_of, entity_iri("country:russia")) in default
    for article in (A1, A2):
        graph = D.graph(graph_iri(article))
        evidence = set(graph.subjects(RDF.type, KGV.Evidence))
        assert evidence
        assert {graph.value(e, PROV.wasDerivedFrom) for e in evidence} == {article_iri(article)}
        assert {s for s in graph.subjects() if s not in evidence} <= set(default.subjects(RDF.type, None))
        assert set(graph.objects(None, KGV.evidence)) == evidence


def test_the_union_of_the_dataset_is_to_rdf(sample_graph):
    union = {(s, p, o) for s, p, o, _ in to_dataset(sample_graph).quads((None, None, None, None))}
    assert union == set(to_rdf(sample_graph))


def test_to_quads_are_the_datasets_quads_in_order(sample_graph):
    quads = to_quads(sample_graph)
    as_rdflib = [_key(_term(q.subject), _term(q.predicate), _term(q.object), _graph_name(q)) for q in quads]
    assert set(as_rdflib) == _expected(sample_graph, "nquads")
    assert len(as_rdflib) == len(set(as_rdflib))
    assert quads == to_quads(make_sample_graph())


def _graph_name(quad):
    return None if isinstance(quad.graph_name, pyoxigraph.DefaultGraph) else quad.graph_name.value


# --- SPARQL -----------------------------------------------------------------------------------------------


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


def test_sparql_evidence_of_one_edge_in_the_dataset_with_oxigraph(sample_graph, tmp_path: Path):
    # The query of kg.rdf's docstring, on the N-Quads file loaded into Oxigraph (whose default graph is not the
    # union of the named graphs).
    write_rdf(sample_graph, tmp_path / "kg.nq", format="nquads")
    store = pyoxigraph.Store()
    store.load(path=str(tmp_path / "kg.nq"), format=pyoxigraph.RdfFormat.N_QUADS)
    query = """
        PREFIX kgv: <http://example.org/kg/vocab#> PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        PREFIX person: <http://example.org/kg/entity/person/>
        SELECT ?sentence ?article ?g WHERE {
            ?st rdf:subject person:rex-tillerson ; rdf:predicate kgv:works_for ; rdf:object ?target .
            GRAPH ?g { ?st kgv:evidence ?ev . ?ev kgv:sentence ?sentence ; prov:wasDerivedFrom ?article . }
        }"""
    rows = [(r["sentence"].value, r["article"].value, r["g"].value) for r in store.query(query)]
    assert rows == [("Rex Tillerson, the former chief of ExxonMobil, spoke.", str(article_iri(A2)), str(graph_iri(A2)))]


# --- vocabulary -------------------------------------------------------------------------------------------


def _kgv_terms(R: rdflib.Graph) -> set[URIRef]:
    terms = {t for triple in R for t in triple if isinstance(t, URIRef) and t.startswith(KGV)}
    assert terms
    return terms


def test_every_kgv_term_of_the_output_is_declared_in_the_vocabulary_file(sample_graph):
    V = rdflib.Graph().parse(VOCABULARY_FILE, format="turtle")
    for term in sorted(_kgv_terms(to_rdf(_with_spans(sample_graph)))):
        assert set(V.objects(term, RDF.type)) & {RDF.Property, RDFS.Class}, term
        assert V.value(term, RDFS.label) is not None, term
        assert V.value(term, RDFS.comment) is not None, term
        assert V.value(term, RDFS.isDefinedBy) == URIRef(str(KGV).rstrip("#")), term


def test_every_relation_the_extractor_can_write_is_declared_with_domain_and_range():
    from kg.extraction.relations import SIGNATURES

    V = vocabulary()
    for name, (kind, _, _) in SIGNATURES.items():
        if kind == COOCCURRENCE:
            continue
        assert (KGV[name], RDF.type, RDF.Property) in V, name
        assert V.value(KGV[name], RDFS.domain) is not None, name
        assert V.value(KGV[name], RDFS.range) is not None, name


@pytest.mark.parametrize(
    ("relation", "aligned"),
    [
        ("works_for", SCHEMA.worksFor),
        ("member_of", SCHEMA.memberOf),
        ("located_in", SCHEMA.containedInPlace),
        ("based_in", SCHEMA.location),
        ("lives_in", SCHEMA.homeLocation),
        ("nationality", SCHEMA.nationality),
    ],
)
def test_relations_are_aligned_to_schema_org(relation: str, aligned: URIRef):
    assert (KGV[relation], RDFS.subPropertyOf, aligned) in vocabulary()


def test_relations_without_a_schema_org_property_point_to_wikidata():
    V = vocabulary()
    assert {WIKIDATA.P35, WIKIDATA.P6} <= set(V.objects(KGV.leader_of, RDFS.seeAlso))
    assert not list(V.triples((None, OWL.equivalentProperty, None)))  # a kgv triple is a claim, not the fact


def test_the_vocabulary_has_no_blank_nodes_and_oxigraph_reads_it():
    V = vocabulary()
    assert not any(isinstance(t, rdflib.BNode) for triple in V for t in triple)
    by_oxigraph = _by_oxigraph(VOCABULARY_FILE.read_bytes(), "turtle")
    assert by_oxigraph == {_key(s, p, o, None) for s, p, o in V}


def test_include_vocabulary_adds_the_declarations_to_the_default_graph(sample_graph, tmp_path: Path):
    V = vocabulary()
    assert set(V) <= set(to_rdf(sample_graph, include_vocabulary=True))
    assert set(V) <= set(to_dataset(sample_graph, include_vocabulary=True).default_graph)
    assert not set(V) & set(to_rdf(sample_graph))

    write_rdf(sample_graph, tmp_path / "kg.ttl", include_vocabulary=True)
    R = rdflib.Graph().parse(tmp_path / "kg.ttl")
    assert R.value(KGV.works_for, RDFS.subPropertyOf) == SCHEMA.worksFor
    assert "@prefix wd: <http://www.wikidata.org/entity/> ." in (tmp_path / "kg.ttl").read_text(encoding="utf-8")


# --- IRIs -------------------------------------------------------------------------------------------------


def test_base_is_used_for_minted_iris_but_not_for_the_vocabulary(sample_graph):
    R = to_rdf(sample_graph, base="https://news.example.net/graph")
    tillerson = URIRef("https://news.example.net/graph/entity/person/rex-tillerson")
    assert (
        tillerson,
        KGV.works_for,
        URIRef("https://news.example.net/graph/entity/organisation/exxonmobil"),
    ) in R
    assert not any(str(s).startswith(DEFAULT_BASE) and not str(s).startswith(str(KGV)) for s in R.subjects())
    named = {str(g.identifier) for g in to_dataset(sample_graph, base="urn:kg:news#").graphs()}
    assert f"urn:kg:news#graph/{A1}" in named


def test_same_iris_in_every_run(sample_graph):
    assert set(to_rdf(sample_graph)) == set(to_rdf(make_sample_graph()))


@pytest.mark.parametrize(
    ("base", "reason"),
    [
        ("example org", "no scheme"),
        ("", "no scheme"),
        ("kg/", "no scheme"),
        ("http://example.org/my kg/", "' '"),
        ("http://example.org/<kg>/", "'<'"),
        ("http:", "needs a host"),
        ("http://example.org/%zz/", "percent"),
        (None, "no scheme"),
    ],
)
def test_a_base_that_is_not_an_iri_is_refused_with_the_reason(sample_graph, base, reason: str):
    for convert in (to_rdf, to_dataset, to_quads):
        with pytest.raises(OutputError, match="not an absolute IRI") as raised:
            convert(sample_graph, base=base)
        assert repr(base) in str(raised.value) and reason in str(raised.value) and "--base" in str(raised.value)


IDS = [
    "place:a b/c",
    "place:a%20b%2Fc",
    "person:josé-garcía",
    "person:\ud800lone",
    'organisation:<x> "y" {z} | \\ ^ `',
    "organisation:#?[]@!$&'()*+,;=",
    "country:\x00\x7f\n",
    "place:a:b",
    "thing",
    "person:",
]


def test_any_id_gives_a_valid_distinct_percent_encoded_iri():
    iris = [str(entity_iri(node)) for node in IDS]
    assert len(set(iris)) == len(IDS)
    for iri in iris:
        pyoxigraph.NamedNode(iri)  # raises on an invalid IRI
        assert iri.isascii() and " " not in iri
    assert iris[0] == "http://example.org/kg/entity/place/a%20b%2Fc"
    assert iris[1] == "http://example.org/kg/entity/place/a%2520b%252Fc"
    assert str(article_iri("a b?")) == "http://example.org/kg/article/a%20b%3F"


def test_a_graph_with_hostile_ids_and_relation_names_round_trips(tmp_path: Path):
    import networkx as nx

    G = nx.MultiDiGraph()
    G.graph["articles"] = {"a/b c": {"title": "T"}}
    for node in IDS:
        G.add_node(node, label=node.encode("utf-8", "replace").decode("utf-8"), type="Place", articles=["a/b c"])
    evidence = {"article": "a/b c", "sentence": "S", "start": 0, "end": 1, "method": "m", "confidence": 0.5}
    G.add_edge(IDS[0], IDS[2], key="is near", relation="is near", kind="typed", confidence=0.5, weight=1,
               evidence=[evidence])  # fmt: skip
    for format in ("nt", "turtle", "nquads"):
        write_rdf(G, tmp_path / "kg", format=format)
        assert _by_oxigraph((tmp_path / "kg").read_bytes(), format) == _expected(G, format), format


# --- writing in bounded memory ----------------------------------------------------------------------------


@pytest.mark.parametrize("format", ["turtle", "nquads"])
def test_streamed_formats_are_written_in_bounded_memory(tmp_path: Path, format: str):
    # 1,000 edges with 10 pieces of evidence each: 126,000 triples, 3 MB of Turtle. Made, deduplicated and sorted
    # all at once before they were serialized (kg before issue 7), they took 41 MB (Turtle) and 48 MB (N-Quads) of
    # Python memory; streamed, block by block, about 1 MB.
    G = make_dense_graph(1000, 10)
    path = tmp_path / f"kg{FORMATS[format]}"

    peak = peak_memory(lambda: write_rdf(G, path, format=format))

    assert peak < 8_000_000
    written = pyoxigraph.parse(path=str(path), format=getattr(pyoxigraph.RdfFormat, OXIGRAPH_FORMATS[format]))
    assert _as_set(written, format) == _as_set(to_quads(G), format)


def _as_set(quads, format: str) -> set:
    keep = format in DATASET_FORMATS
    return {(q.subject, q.predicate, q.object, q.graph_name if keep else None) for q in quads}


def test_a_resource_of_two_nodes_or_two_edges_is_written_once(tmp_path: Path):
    import networkx as nx

    G = nx.MultiDiGraph()
    G.add_node("thing:x", label="X")  # "thing:x" and "x" are both {base}entity/thing/x
    G.add_node("x", label="X")
    evidence = {"article": "a", "sentence": "S", "start": 0, "end": 1, "method": "m", "confidence": 0.5}
    for key in ("consult", "met"):  # two keys, one relation: one statement
        G.add_edge("thing:x", "person:y", key=key, relation="consult", kind="interaction", evidence=[evidence])
    for format in ("nt", "nquads"):
        write_rdf(G, tmp_path / "kg", format=format)
        lines = (tmp_path / "kg").read_text(encoding="utf-8").splitlines()
        assert len(lines) == len(set(lines)), format
        assert _by_oxigraph((tmp_path / "kg").read_bytes(), format) == _expected(G, format), format
    write_rdf(G, tmp_path / "kg.ttl")
    text = (tmp_path / "kg.ttl").read_text(encoding="utf-8")
    assert text.count("\nkg:entity\\/thing\\/x a ") == 1 and text.count("\nstatement:") == 1
