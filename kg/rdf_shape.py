"""What triples a graph gives: kg's namespaces, the IRIs it mints, and the quads of every node, edge and piece
of evidence, in the order they are written. :mod:`kg.rdf` turns these into rdflib graphs, pyoxigraph quads and
files.

Shape (``kg:`` stands for the base IRI, ``kgv:`` for the fixed vocabulary ``http://example.org/kg/vocab#``, declared
in :data:`VOCABULARY_FILE`, which ships with the package):

- each node is ``kg:entity/{type}/{slug}``, a ``kgv:Entity`` and a ``schema:Person`` / ``Country`` /
  ``Organization`` / ``Place`` with ``rdfs:label``, ``skos:altLabel`` (aliases), ``kgv:title``,
  ``kgv:mentionCount``, ``kgv:countryCode`` (countries) and ``schema:subjectOf`` -> each article it is
  named in;
- each article is ``kg:article/{id}``, a ``schema:NewsArticle`` with ``schema:headline``, ``schema:url``,
  ``schema:datePublished`` and ``kgv:source``;
- a typed, interaction or attribution edge is asserted as ``(source, kgv:{relation}, target)`` and described
  by a ``kg:statement/{hash}`` resource (``rdf:Statement`` and ``kgv:Assertion``: ``rdf:subject`` /
  ``rdf:predicate`` / ``rdf:object``, ``kgv:kind``, ``kgv:confidence``, ``kgv:weight``, ``kgv:evidence``);
- a co-occurrence is never asserted between the entities: it is a ``kg:cooccurrence/{hash}`` resource of type
  ``kgv:CoOccurrence`` with ``kgv:entity`` (both), ``kgv:weight``, ``kgv:confidence`` and ``kgv:evidence``;
- each piece of evidence is a ``kg:evidence/{hash}`` resource of type ``kgv:Evidence`` with
  ``prov:wasDerivedFrom`` -> article, ``kgv:sentence``, ``kgv:startOffset`` / ``kgv:endOffset``,
  ``kgv:method``, ``kgv:confidence`` and, when known, ``kgv:trigger``, ``kgv:quote`` and the offsets of the two
  names (``kgv:sourceStart`` / ``sourceEnd`` / ``targetStart`` / ``targetEnd``).

Every IRI is derived from the data (no blank nodes) and percent-encoded, so the same graph gives the same
triples in every run, and graphs of different runs merge in a store. :func:`kg.rdf.to_rdf` gives the triples as an
``rdflib.Graph``; ``include_vocabulary=True`` adds the vocabulary's own triples.

**Named graphs.** :func:`kg.rdf.to_dataset` (and the ``trig`` / ``nquads`` formats) puts the evidence of each article in
a named graph of its own, ``kg:graph/{article id}``: the ``kgv:Evidence`` resources of that article, their
triples and the ``kgv:evidence`` links that point to them. Everything else (entities, articles, asserted
relations, statements, co-occurrences, the vocabulary) is in the default graph. The union of all graphs is
exactly :func:`kg.rdf.to_rdf`'s triples. Dropping an article's graph in a store removes its evidence without leaving
dangling links.

The evidence of an edge, from the triples (a Turtle file, or a store whose default graph is the union)::

    SELECT ?sentence ?article WHERE {
        ?st rdf:subject person:rex-tillerson ; rdf:predicate kgv:works_for ; rdf:object ?target ;
            kgv:evidence ?ev .
        ?ev kgv:sentence ?sentence ; prov:wasDerivedFrom ?article .
    }

and from the dataset (TriG, N-Quads; the default graph is not the union, as in Oxigraph)::

    SELECT ?sentence ?article ?g WHERE {
        ?st rdf:subject person:rex-tillerson ; rdf:predicate kgv:works_for ; rdf:object ?target .
        GRAPH ?g { ?st kgv:evidence ?ev . ?ev kgv:sentence ?sentence ; prov:wasDerivedFrom ?article . }
    }
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from functools import lru_cache
from itertools import chain, groupby
from operator import itemgetter
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote, urlsplit

import networkx as nx
import rdflib
from rdflib import OWL, RDF, RDFS, XSD, Literal, Namespace, URIRef
from rdflib.namespace import PROV, SKOS

from kg.errors import OutputError
from kg.model import COOCCURRENCE, ENTITY_TYPES

#: The base of every IRI kg mints. An example domain: pass your own (``--base`` on the command line).
DEFAULT_BASE = "http://example.org/kg/"

#: kg's own vocabulary: classes and predicates (one per relation name, e.g. ``kgv:works_for``).
#: Fixed, whatever the base, so that queries work on every export. Declared in :data:`VOCABULARY_FILE`.
KGV = Namespace("http://example.org/kg/vocab#")
SCHEMA = Namespace("https://schema.org/")
WIKIDATA = Namespace("http://www.wikidata.org/entity/")

#: The Turtle file that declares every ``kgv:`` class and predicate (labels, comments, domains, ranges and
#: alignments to schema.org and Wikidata).
VOCABULARY_FILE = Path(__file__).parent / "data" / "vocab.ttl"

_CLASSES = {
    "Person": SCHEMA.Person,
    "Country": SCHEMA.Country,
    "Organisation": SCHEMA.Organization,
    "Place": SCHEMA.Place,
}
_FOLDERS = (
    *(f"entity/{kind.lower()}" for kind in ENTITY_TYPES),
    "article",
    "statement",
    "cooccurrence",
    "evidence",
    "graph",
)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Characters an IRI may not contain (RFC 3987) and that N-Triples cannot write.
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|\\^`\x7f]')
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


#: A literal before it is handed to rdflib or pyoxigraph: (lexical form, datatype IRI or "" for a plain string,
#: language or ""). An IRI is a plain ``str``: both are cheaper to make, hash and sort than rdflib's terms.
_Literal = tuple[str, str, str]
#: subject, predicate, object, graph ("" for the default graph)
_Quad = tuple[str, str, "str | _Literal", str]
#: A quad as it is sorted and written: (graph, subject, predicate is not rdf:type, predicate, object), the object
#: always a tuple, ``(iri,)`` or a literal. Python sorts these natively, in the order a block of quads is written
#: (:func:`_rows`): by graph, then subject (so Turtle groups each resource), with rdf:type first.
_Row = tuple[str, str, bool, str, tuple]


def vocabulary() -> rdflib.Graph:
    """The ``kgv:`` vocabulary: the declarations in :data:`VOCABULARY_FILE`.

    >>> str(vocabulary().value(KGV.works_for, RDFS.subPropertyOf))
    'https://schema.org/worksFor'
    """
    R = rdflib.Graph()
    R.parse(VOCABULARY_FILE, format="turtle")
    return R


def entity_iri(node: str, *, base: str = DEFAULT_BASE) -> URIRef:
    """The IRI of an entity: ``{base}entity/{type}/{slug}`` from its node id ``type:slug``, percent-encoded.

    >>> str(entity_iri("person:rex-tillerson"))
    'http://example.org/kg/entity/person/rex-tillerson'
    """
    return URIRef(_entity(node, base))


def article_iri(article: str, *, base: str = DEFAULT_BASE) -> URIRef:
    """The IRI of an article: ``{base}article/{article id}``.

    >>> str(article_iri("trump-meets-putin-751f5ed0"))
    'http://example.org/kg/article/trump-meets-putin-751f5ed0'
    """
    return URIRef(_article(article, base))


def graph_iri(article: str, *, base: str = DEFAULT_BASE) -> URIRef:
    """The name of the graph that holds an article's evidence in :func:`kg.rdf.to_dataset`:
    ``{base}graph/{article id}``.

    >>> str(graph_iri("trump-meets-putin-751f5ed0"))
    'http://example.org/kg/graph/trump-meets-putin-751f5ed0'
    """
    return URIRef(_graph(article, base))


# IRIs as plain strings (the quads are built from these; rdflib's URIRef is only made at the end).


def _safe(text: object) -> str:
    # Every character outside the unreserved set is percent-encoded, so any id gives a valid IRI segment.
    return quote(str(text), safe="", errors="surrogatepass")


def _entity(node: object, base: str) -> str:
    kind, _, slug = str(node).partition(":")
    if not kind or not slug:
        kind, slug = "thing", str(node)
    return f"{base}entity/{_safe(kind)}/{_safe(slug)}"


def _article(article: object, base: str) -> str:
    return f"{base}article/{_safe(article)}"


def _graph(article: object, base: str) -> str:
    return f"{base}graph/{_safe(article)}"


def _predicate(relation: object) -> str:
    return str(KGV) + _safe(relation)


def _names(namespace: str, names: str) -> SimpleNamespace:
    """Terms of a namespace as plain strings: faster to hash and sort than rdflib's URIRefs."""
    return SimpleNamespace(**{name: str(namespace) + name for name in names.split()})


_RDF = _names(RDF, "type Statement subject predicate object")
_RDFS = _names(RDFS, "label")
_XSD = _names(XSD, "integer decimal date boolean")
_PROV = _names(PROV, "wasDerivedFrom")
_SKOS = _names(SKOS, "altLabel")
_SCHEMA = _names(SCHEMA, "NewsArticle headline url datePublished subjectOf")
#: Every kgv term kg writes, apart from the relation predicates (``kgv:{relation}``).
_KGV = _names(
    KGV,
    "Entity Assertion CoOccurrence Evidence title mentionCount countryCode source kind confidence weight evidence "
    "entity sentence startOffset endOffset method trigger quote sourceStart sourceEnd targetStart targetEnd negated "
    "sourceGroup targetGroup",
)
_TYPE = _RDF.type
_CLASS_IRIS = {name: str(iri) for name, iri in _CLASSES.items()}


def prefixes(*, base: str = DEFAULT_BASE, include_vocabulary: bool = True) -> dict[str, str]:
    """The prefixes of the RDF kg writes: the standard vocabularies, ``kgv``, ``kg`` (the base) and one per folder
    of IRIs under the base (``person``, ``country``, ``article``, ``graph``, ...).

    >>> prefixes()["person"]
    'http://example.org/kg/entity/person/'
    """
    return _prefixes(_checked_base(base), include_vocabulary)


def _prefixes(base: str, include_vocabulary: bool) -> dict[str, str]:
    # Fixed and sorted, so the files start with the same lines. One prefix per IRI folder, so Turtle reads
    # ``person:rex-tillerson`` like the node id.
    names = {
        "rdf": str(RDF),
        "rdfs": str(RDFS),
        "xsd": str(XSD),
        "schema": str(SCHEMA),
        "skos": str(SKOS),
        "prov": str(PROV),
        "kgv": str(KGV),
        "kg": base,
        **{folder.rpartition("/")[2]: f"{base}{folder}/" for folder in _FOLDERS},
    }
    if include_vocabulary:
        names.update(owl=str(OWL), wd=str(WIKIDATA))
    return dict(sorted(names.items()))


def _checked_base(base: str) -> str:
    reason = None
    if not isinstance(base, str) or not _SCHEME.match(base):
        reason = "it has no scheme such as http:"
    elif found := _NOT_IN_IRI.search(base):
        reason = f"it contains {found.group()!r}, which an IRI cannot hold"
    elif urlsplit(base).scheme.lower() in ("http", "https") and not urlsplit(base).netloc:
        reason = "an http(s) IRI needs a host"
    else:
        import pyoxigraph

        try:
            pyoxigraph.NamedNode(base)
        except ValueError as error:
            reason = str(error)
    if reason:
        raise OutputError(
            f"The RDF base {base!r} is not an absolute IRI: {reason}. Pass one such as {DEFAULT_BASE!r} (--base)."
        )
    return base if base.endswith(("/", "#")) else base + "/"


# The triples, in a neutral form that both rdflib and pyoxigraph terms are made from.


def _quads(G: nx.MultiDiGraph, base: str, include_vocabulary: bool) -> Iterator[_Quad]:
    return chain.from_iterable(_blocks(G, base, include_vocabulary))


def _blocks(G: nx.MultiDiGraph, base: str, include_vocabulary: bool) -> Iterator[Iterable[_Quad]]:
    """The quads in blocks, each holding every quad of its subjects, so that no quad is in two blocks: the
    vocabulary, each article, each entity with the relations it asserts, each edge's statement or co-occurrence
    with its evidence. Blocks come in the order of their IRIs or (source, target, relation)."""
    if include_vocabulary:
        yield _vocabulary_quads()
    articles = G.graph.get("articles", {})
    for iri, article in sorted(((_article(a, base), a) for a in articles), key=itemgetter(0)):
        yield _article_quads(iri, articles[article])
    entities = sorted(((_entity(node, base), node) for node in G), key=itemgetter(0))
    for iri, group in groupby(entities, key=itemgetter(0)):  # ids such as "thing:x" and "x" are one entity
        yield chain.from_iterable(_entity_quads(iri, G, node, base) for _, node in group)
    edges = sorted(G.edges(keys=True, data=True), key=_edge_order)
    for (source, target, relation, _), group in groupby(edges, key=_edge_order):  # edges of one statement
        yield chain.from_iterable(_edge_quads(source, target, relation, attrs, base) for *_, attrs in group)


def _edge_order(edge: tuple) -> tuple[str, str, str, bool]:
    source, target, key, attrs = edge
    return source, target, attrs.get("relation", key), bool(attrs.get("negated"))


def _article_quads(iri: str, record: dict) -> Iterator[_Quad]:
    yield iri, _TYPE, _SCHEMA.NewsArticle, ""
    if record.get("title"):
        yield iri, _SCHEMA.headline, _string(record["title"]), ""
    url = record.get("url")
    if url:
        yield iri, _SCHEMA.url, url if _is_iri(url) else _string(url), ""
    if record.get("date"):
        yield iri, _SCHEMA.datePublished, _date(record["date"]), ""
    if record.get("source"):
        yield iri, _KGV.source, _string(record["source"]), ""


def _entity_quads(iri: str, G: nx.MultiDiGraph, node: object, base: str) -> Iterator[_Quad]:
    attrs = G.nodes[node]
    yield iri, _TYPE, _KGV.Entity, ""
    if attrs.get("type") in _CLASS_IRIS:
        yield iri, _TYPE, _CLASS_IRIS[attrs["type"]], ""
    if attrs.get("label") is not None:
        yield iri, _RDFS.label, _string(attrs["label"]), ""
    for alias in attrs.get("aliases", ()):
        yield iri, _SKOS.altLabel, _string(alias), ""
    for title in attrs.get("titles", ()):
        yield iri, _KGV.title, _string(title), ""
    if attrs.get("mentions") is not None:
        yield iri, _KGV.mentionCount, _integer(attrs["mentions"]), ""
    if attrs.get("country_code"):
        yield iri, _KGV.countryCode, _string(attrs["country_code"]), ""
    for article in attrs.get("articles", ()):
        yield iri, _SCHEMA.subjectOf, _article(article, base), ""
    for target, edges in G.succ[node].items():
        for key, edge in edges.items():
            if edge.get("kind") != COOCCURRENCE and not edge.get("negated"):  # asserted, in its subject's block
                yield iri, _predicate(edge.get("relation", key)), _entity(target, base), ""


def _edge_quads(source: str, target: str, relation: str, attrs: dict, base: str) -> Iterator[_Quad]:
    # A negated interaction ("did not attack") is a statement of its own, described but never asserted.
    key = _hash(source, relation, target, *(["negated"] if attrs.get("negated") else []))
    subject, obj = _entity(source, base), _entity(target, base)
    if attrs.get("kind") == COOCCURRENCE:
        # Two names in one sentence say nothing about how the entities relate, so nothing is asserted.
        node = f"{base}cooccurrence/{key}"
        yield node, _TYPE, _KGV.CoOccurrence, ""
        yield node, _KGV.entity, subject, ""
        yield node, _KGV.entity, obj, ""
    else:
        predicate = _predicate(relation)
        node = f"{base}statement/{key}"  # (subject, predicate, obj) itself is in the subject's block
        yield node, _TYPE, _RDF.Statement, ""
        yield node, _TYPE, _KGV.Assertion, ""
        yield node, _RDF.subject, subject, ""
        yield node, _RDF.predicate, predicate, ""
        yield node, _RDF.object, obj, ""
        yield node, _KGV.kind, _string(attrs.get("kind", "")), ""
        if attrs.get("negated"):
            yield node, _KGV.negated, _boolean(True), ""
    if attrs.get("confidence") is not None:
        yield node, _KGV.confidence, _decimal(attrs["confidence"]), ""
    if attrs.get("weight") is not None:
        yield node, _KGV.weight, _integer(attrs["weight"]), ""
    for item in attrs.get("evidence", ()):
        yield from _evidence_quads(node, key, item, base)


def _evidence_quads(statement: str, key: str, item: dict, base: str) -> Iterator[_Quad]:
    # The trigger and the names' spans are part of the identity: graph.py keeps records that differ only in them.
    digest = _hash(
        key,
        item["article"],
        str(item["start"]),
        str(item["end"]),
        item.get("method", ""),
        item.get("trigger") or "",
        *(str(offset) for offset in item.get("source_span", []) + item.get("target_span", [])),
    )
    node = f"{base}evidence/{digest}"
    graph = _graph(item["article"], base)  # each article's evidence in a named graph of its own
    yield statement, _KGV.evidence, node, graph
    yield node, _TYPE, _KGV.Evidence, graph
    yield node, _PROV.wasDerivedFrom, _article(item["article"], base), graph
    yield node, _KGV.sentence, _string(item["sentence"]), graph
    yield node, _KGV.startOffset, _integer(item["start"]), graph
    yield node, _KGV.endOffset, _integer(item["end"]), graph
    if item.get("method"):
        yield node, _KGV.method, _string(item["method"]), graph
    if item.get("confidence") is not None:
        yield node, _KGV.confidence, _decimal(item["confidence"]), graph
    if item.get("trigger"):
        yield node, _KGV.trigger, _string(item["trigger"]), graph
    if item.get("quote"):
        yield node, _KGV.quote, _string(item["quote"]), graph
    if item.get("negated"):
        yield node, _KGV.negated, _boolean(True), graph
    for name, predicate in (("source_group", _KGV.sourceGroup), ("target_group", _KGV.targetGroup)):
        if item.get(name):
            yield node, predicate, _string(item[name]), graph
    for name, predicates in (
        ("source_span", (_KGV.sourceStart, _KGV.sourceEnd)),
        ("target_span", (_KGV.targetStart, _KGV.targetEnd)),
    ):
        for predicate, offset in zip(predicates, item.get(name, []), strict=False):
            yield node, predicate, _integer(offset), graph


@lru_cache(maxsize=1)
def _vocabulary_quads() -> tuple[_Quad, ...]:
    quads = []
    for s, p, o in vocabulary():
        if isinstance(o, Literal):
            quads.append((str(s), str(p), (str(o), str(o.datatype or ""), o.language or ""), ""))
        else:
            quads.append((str(s), str(p), str(o), ""))
    return tuple(quads)


def _hash(*parts: str) -> str:
    # surrogatepass: a lone surrogate in an id gives a hash too (the same bytes as UTF-8 for every other text)
    return hashlib.sha1("|".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _string(value: object) -> _Literal:
    return str(value), "", ""


def _integer(value: int) -> _Literal:
    return str(int(value)), _XSD.integer, ""


def _boolean(value: bool) -> _Literal:
    return ("true" if value else "false"), _XSD.boolean, ""


def _decimal(value: float) -> _Literal:
    # A fixed lexical form ("0.9", "1.0"), so every reader and every run sees the same literal.
    text = f"{Decimal(str(value)):.4f}".rstrip("0")
    return text + "0" if text.endswith(".") else text, _XSD.decimal, ""


def _date(value: str) -> _Literal:
    if _ISO_DATE.fullmatch(value):
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            return _string(value)
        return value, _XSD.date, ""
    return _string(value)


def _is_iri(value: str) -> bool:
    # A URL from the input that is not a valid IRI (e.g. "http://[x", "https://a/%zz") is written as a string.
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or not parts.netloc or _NOT_IN_IRI.search(value):
        return False
    import pyoxigraph

    try:
        pyoxigraph.NamedNode(value)
    except ValueError:
        return False
    return True


# Ordering.


def _rows(G: nx.MultiDiGraph, base: str, include_vocabulary: bool, *, dataset: bool) -> Iterator[_Row]:
    """The quads as rows, block by block (:func:`_blocks`), each block without repeats and sorted; without their
    graph unless ``dataset``. Only one block is in memory at a time."""
    for block in _blocks(G, base, include_vocabulary):
        yield from sorted(
            {(g if dataset else "", s, p != _TYPE, p, (o,) if o.__class__ is str else o) for s, p, o, g in block}
        )
