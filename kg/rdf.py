"""The graph as RDF: an ``rdflib.Graph`` with schema.org classes, a small ``kgv:`` vocabulary and provenance.

Shape (``kg:`` stands for the base IRI, ``kgv:`` for the fixed vocabulary ``http://example.org/kg/vocab#``):

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
  ``kgv:method``, ``kgv:confidence`` and, when known, ``kgv:trigger`` and ``kgv:quote``.

Every IRI is derived from the data (no blank nodes), so the same graph gives the same triples and, in Turtle,
the same bytes. The evidence of an edge is found with SPARQL through its statement::

    SELECT ?sentence WHERE {
        ?st rdf:predicate kgv:works_for ; rdf:subject person:rex-tillerson ;
            kgv:evidence/kgv:sentence ?sentence .
    }
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote, urlsplit

import networkx as nx
import rdflib
from rdflib import RDF, RDFS, XSD, Literal, Namespace, URIRef
from rdflib.namespace import PROV, SKOS

from kg.errors import OutputError
from kg.model import COOCCURRENCE, ENTITY_TYPES

#: The base of every IRI kg mints. An example domain: pass your own (``--base`` on the command line).
DEFAULT_BASE = "http://example.org/kg/"

#: kg's own vocabulary: classes and predicates (one per relation name, e.g. ``kgv:works_for``).
#: Fixed, whatever the base, so that queries work on every export.
KGV = Namespace("http://example.org/kg/vocab#")
SCHEMA = Namespace("https://schema.org/")

#: Output formats, by rdflib's own name -> the usual file suffix. Each gives the same bytes for the same graph
#: (rdflib's "pretty-xml" does not, and "trig" / "nquads" are for datasets, so they are left out).
FORMATS = {
    "turtle": ".ttl",
    "longturtle": ".ttl",
    "n3": ".n3",
    "nt": ".nt",
    "xml": ".rdf",
    "json-ld": ".jsonld",
}

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
)
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Characters an IRI may not contain (RFC 3987) and that N-Triples cannot write.
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|\\^`\x7f]')


def to_rdf(G: nx.MultiDiGraph, *, base: str = DEFAULT_BASE) -> rdflib.Graph:
    """The graph as RDF triples (see the module docstring for the shape).

    Parameters
    ----------
    G : the graph of :func:`kg.graph.build_graph`.
    base : the namespace the entity, article, statement and evidence IRIs are minted in.

    Raises
    ------
    OutputError : if ``base`` is not an absolute IRI.

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("person:rex-tillerson", label="Rex Tillerson", type="Person")
    >>> R = to_rdf(G)
    >>> str(R.value(URIRef("http://example.org/kg/entity/person/rex-tillerson"), RDFS.label))
    'Rex Tillerson'
    """
    base = _checked_base(base)
    R = rdflib.Graph(bind_namespaces="core")
    R.bind("schema", SCHEMA)
    R.bind("skos", SKOS)
    R.bind("prov", PROV)
    R.bind("kgv", KGV)
    R.bind("kg", Namespace(base))
    # One prefix per IRI folder, so Turtle reads ``person:rex-tillerson`` like the node id.
    for folder in _FOLDERS:
        R.bind(folder.rpartition("/")[2], Namespace(f"{base}{folder}/"))
    for article, record in sorted(G.graph.get("articles", {}).items()):
        _add_article(R, article_iri(article, base=base), record)
    for node, attrs in sorted(G.nodes(data=True)):
        _add_entity(R, entity_iri(node, base=base), attrs, base)
    for source, target, key, attrs in sorted(G.edges(keys=True, data=True), key=lambda e: e[:3]):
        _add_edge(R, source, target, attrs.get("relation", key), attrs, base)
    return R


def write_rdf(G: nx.MultiDiGraph, path: str | Path, *, format: str = "turtle", base: str = DEFAULT_BASE) -> None:
    """Write the graph as RDF in one of :data:`FORMATS` (rdflib's names: turtle, nt, xml, json-ld, ...).

    Raises
    ------
    OutputError : if the format is unknown or ``base`` is not an absolute IRI.

    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "kg.ttl")
    >>> write_rdf(nx.MultiDiGraph(), path, format="turtle")
    """
    if format not in FORMATS:
        raise OutputError(f"Unknown RDF format {format!r}. Use one of: {', '.join(sorted(FORMATS))}.")
    data = _serialize(to_rdf(G, base=base), format)
    try:
        Path(path).write_bytes(data)
    except OSError as error:
        raise OutputError(f"Cannot write RDF to {str(path)!r}: {error.strerror}. Check the folder exists.") from error


def entity_iri(node: str, *, base: str = DEFAULT_BASE) -> URIRef:
    """The IRI of an entity: ``{base}entity/{type}/{slug}`` from its node id ``type:slug``.

    >>> str(entity_iri("person:rex-tillerson"))
    'http://example.org/kg/entity/person/rex-tillerson'
    """
    kind, _, slug = node.partition(":")
    if not slug:
        kind, slug = "thing", node
    return URIRef(f"{base}entity/{quote(kind, safe='')}/{quote(slug, safe='')}")


def article_iri(article: str, *, base: str = DEFAULT_BASE) -> URIRef:
    """The IRI of an article: ``{base}article/{article id}``.

    >>> str(article_iri("trump-meets-putin-751f5ed0"))
    'http://example.org/kg/article/trump-meets-putin-751f5ed0'
    """
    return URIRef(f"{base}article/{quote(article, safe='')}")


def _serialize(R: rdflib.Graph, format: str) -> bytes:
    # rdflib's default store iterates its triples through a set, so the N-Triples, RDF/XML and JSON-LD writers
    # (which do not sort, unlike Turtle) would change order from one process to the next. A copy in a
    # dict-based store, filled in sorted order, makes the order follow the data.
    if format == "xml":
        _check_xml_chars(R)
    ordered = rdflib.Graph(store="SimpleMemory", bind_namespaces="none")
    for prefix, namespace in R.namespaces():
        ordered.bind(prefix, namespace)
    for triple in sorted(R, key=lambda t: tuple(term.n3() for term in t)):
        ordered.add(triple)
    data = ordered.serialize(format=format, encoding="utf-8")
    if format == "json-ld":
        # The JSON-LD writer collects its nodes in a set(); the order of a JSON-LD array carries no meaning.
        nodes = sorted(json.loads(data), key=lambda node: node["@id"])
        data = (json.dumps(nodes, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")
    return data


def _check_xml_chars(R: rdflib.Graph) -> None:
    # rdflib writes control characters into RDF/XML as they are, which makes the file unreadable.
    for _, _, obj in R:
        found = _NOT_IN_XML.search(obj) if isinstance(obj, Literal) else None
        if found:
            raise OutputError(
                f"RDF/XML cannot hold the character U+{ord(found.group()):04X} "
                f"in the text {str(obj)[:80]!r}. "
                "Write another format (turtle, nt, json-ld) or remove control characters from the input."
            )


def _checked_base(base: str) -> str:
    if not urlsplit(base).scheme or _NOT_IN_IRI.search(base):
        raise OutputError(f"The RDF base {base!r} is not an absolute IRI. Pass one such as {DEFAULT_BASE!r} (--base).")
    return base if base.endswith(("/", "#")) else base + "/"


def _add_article(R: rdflib.Graph, iri: URIRef, record: dict) -> None:
    R.add((iri, RDF.type, SCHEMA.NewsArticle))
    if record.get("title"):
        R.add((iri, SCHEMA.headline, Literal(record["title"])))
    url = record.get("url")
    if url:
        R.add((iri, SCHEMA.url, URIRef(url) if _is_iri(url) else Literal(url)))
    if record.get("date"):
        R.add((iri, SCHEMA.datePublished, _date(record["date"])))
    if record.get("source"):
        R.add((iri, KGV.source, Literal(record["source"])))


def _add_entity(R: rdflib.Graph, iri: URIRef, attrs: dict, base: str) -> None:
    R.add((iri, RDF.type, KGV.Entity))
    if attrs.get("type") in _CLASSES:
        R.add((iri, RDF.type, _CLASSES[attrs["type"]]))
    if attrs.get("label") is not None:
        R.add((iri, RDFS.label, Literal(attrs["label"])))
    for alias in attrs.get("aliases", ()):
        R.add((iri, SKOS.altLabel, Literal(alias)))
    for title in attrs.get("titles", ()):
        R.add((iri, KGV.title, Literal(title)))
    if attrs.get("mentions") is not None:
        R.add((iri, KGV.mentionCount, Literal(int(attrs["mentions"]))))
    if attrs.get("country_code"):
        R.add((iri, KGV.countryCode, Literal(attrs["country_code"])))
    for article in attrs.get("articles", ()):
        R.add((iri, SCHEMA.subjectOf, article_iri(article, base=base)))


def _add_edge(R: rdflib.Graph, source: str, target: str, relation: str, attrs: dict, base: str) -> None:
    key = _hash(source, relation, target)
    subject, obj = entity_iri(source, base=base), entity_iri(target, base=base)
    if attrs.get("kind") == COOCCURRENCE:
        # Two names in one sentence say nothing about how the entities relate, so nothing is asserted.
        node = URIRef(f"{base}cooccurrence/{key}")
        R.add((node, RDF.type, KGV.CoOccurrence))
        R.add((node, KGV.entity, subject))
        R.add((node, KGV.entity, obj))
    else:
        predicate = KGV[quote(relation, safe="")]
        node = URIRef(f"{base}statement/{key}")
        R.add((subject, predicate, obj))
        R.add((node, RDF.type, RDF.Statement))
        R.add((node, RDF.type, KGV.Assertion))
        R.add((node, RDF.subject, subject))
        R.add((node, RDF.predicate, predicate))
        R.add((node, RDF.object, obj))
        R.add((node, KGV.kind, Literal(attrs.get("kind", ""))))
    if attrs.get("confidence") is not None:
        R.add((node, KGV.confidence, _decimal(attrs["confidence"])))
    if attrs.get("weight") is not None:
        R.add((node, KGV.weight, Literal(int(attrs["weight"]))))
    for item in attrs.get("evidence", ()):
        _add_evidence(R, node, key, item, base)


def _add_evidence(R: rdflib.Graph, statement: URIRef, key: str, item: dict, base: str) -> None:
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
    node = URIRef(f"{base}evidence/{digest}")
    R.add((statement, KGV.evidence, node))
    R.add((node, RDF.type, KGV.Evidence))
    R.add((node, PROV.wasDerivedFrom, article_iri(item["article"], base=base)))
    R.add((node, KGV.sentence, Literal(item["sentence"])))
    R.add((node, KGV.startOffset, Literal(int(item["start"]))))
    R.add((node, KGV.endOffset, Literal(int(item["end"]))))
    if item.get("method"):
        R.add((node, KGV.method, Literal(item["method"])))
    if item.get("confidence") is not None:
        R.add((node, KGV.confidence, _decimal(item["confidence"])))
    if item.get("trigger"):
        R.add((node, KGV.trigger, Literal(item["trigger"])))
    if item.get("quote"):
        R.add((node, KGV.quote, Literal(item["quote"])))
    for name, predicates in (
        ("source_span", (KGV.sourceStart, KGV.sourceEnd)),
        ("target_span", (KGV.targetStart, KGV.targetEnd)),
    ):
        for predicate, offset in zip(predicates, item.get(name, []), strict=False):
            R.add((node, predicate, Literal(int(offset))))


def _hash(*parts: str) -> str:
    return hashlib.sha1("|".join(parts).encode("utf-8")).hexdigest()[:16]


def _decimal(value: float) -> Literal:
    # A fixed lexical form ("0.9", "1.0"), so every reader and every run sees the same literal.
    text = f"{Decimal(str(value)):.4f}".rstrip("0")
    return Literal(text + "0" if text.endswith(".") else text, datatype=XSD.decimal)


def _date(value: str) -> Literal:
    if _ISO_DATE.fullmatch(value):
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            return Literal(value)
        return Literal(value, datatype=XSD.date)
    return Literal(value)


def _is_iri(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not _NOT_IN_IRI.search(value)
