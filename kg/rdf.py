"""The graph as RDF: an rdflib ``Graph`` or ``Dataset``, pyoxigraph quads for a store, and files in every RDF
format. What the triples are (classes, the ``kgv:`` vocabulary, IRIs, provenance, named graphs) is
:mod:`kg.rdf_shape`'s; the public names of both modules are here.

**Writing.** :func:`write_rdf` writes any of :data:`FORMATS` (rdflib's names). Turtle, N-Triples, N-Quads,
TriG, RDF/XML and JSON-LD (expanded, one line) are streamed to pyoxigraph's serializers, which takes seconds for a
million triples where rdflib's Turtle writer takes minutes: the quads are made in blocks that each hold every quad
of their subjects (an article; an entity with the relations it asserts; an edge's statement or co-occurrence with
its evidence), blocks in the order of their IRIs or of the edges' (source, target, relation), each block sorted and
written before the next is made. So memory does not grow with the triples, and Turtle lists each resource once;
TriG opens a graph block for each run of quads of one named graph (files 3-7% larger than with one block per
graph). ``longturtle`` and ``n3`` are written by rdflib, which holds the whole graph. Every format gives the same
bytes for the same graph, in every process.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx
import rdflib
from rdflib import URIRef

from kg.cache import write_atomically
from kg.errors import OutputError, os_error_reason
from kg.rdf_shape import (
    DEFAULT_BASE,
    KGV,
    SCHEMA,
    VOCABULARY_FILE,
    WIKIDATA,
    _checked_base,
    _prefixes,
    _quads,
    _rows,
    article_iri,
    entity_iri,
    graph_iri,
    prefixes,
    vocabulary,
)
from kg.rdf_writing import DATASET_FORMATS, WRITERS, gc_paused, oxigraph_statements, rdflib_terms

if TYPE_CHECKING:
    import pyoxigraph

__all__ = [
    "DATASET_FORMATS",
    "DEFAULT_BASE",
    "FORMATS",
    "FORMAT_ALIASES",
    "KGV",
    "SCHEMA",
    "VOCABULARY_FILE",
    "WIKIDATA",
    "article_iri",
    "entity_iri",
    "format_name",
    "graph_iri",
    "prefixes",
    "to_dataset",
    "to_quads",
    "to_rdf",
    "vocabulary",
    "write_rdf",
]

#: Output formats, by rdflib's own name -> the usual file suffix. Each gives the same bytes for the same graph
#: (rdflib's "pretty-xml" does not, so it is left out).
FORMATS = {
    "turtle": ".ttl",
    "nt": ".nt",
    "nquads": ".nq",
    "trig": ".trig",
    "xml": ".rdf",
    "json-ld": ".jsonld",
    "longturtle": ".ttl",
    "n3": ".n3",
}
#: Other common names of the formats (file suffixes, MIME-ish spellings) -> rdflib's name (:func:`format_name`).
FORMAT_ALIASES = {
    "ttl": "turtle",
    "n-triples": "nt",
    "ntriples": "nt",
    "nq": "nquads",
    "n-quads": "nquads",
    "jsonld": "json-ld",
    "json": "json-ld",
    "rdf": "xml",
    "rdfxml": "xml",
    "rdf/xml": "xml",
    "owl": "xml",
}


def format_name(name: str) -> str:
    """rdflib's name of an RDF format given by that name or a common alias (:data:`FORMAT_ALIASES`), any case;
    an unknown name comes back as it is, for the caller to refuse with the list of names.

    >>> format_name("TTL"), format_name("jsonld"), format_name("trig")
    ('turtle', 'json-ld', 'trig')
    """
    lowered = name.lower()
    return FORMAT_ALIASES.get(lowered, lowered)


assert set(WRITERS) == set(FORMATS)


def to_rdf(G: nx.MultiDiGraph, *, base: str = DEFAULT_BASE, include_vocabulary: bool = False) -> rdflib.Graph:
    """The graph as RDF triples (see the module docstring for the shape).

    Parameters
    ----------
    G : the graph of :func:`kg.graph.build_graph`.
    base : the namespace the entity, article, statement and evidence IRIs are minted in.
    include_vocabulary : add the triples of :data:`VOCABULARY_FILE` (the declarations of the ``kgv:`` terms).

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
    R = rdflib.Graph(bind_namespaces="none")
    for prefix, namespace in _prefixes(base, include_vocabulary).items():
        R.bind(prefix, namespace)
    term = rdflib_terms()
    with gc_paused():
        R.addN((term(s), term(p), term(o), R) for s, p, o, _ in _quads(G, base, include_vocabulary))
    return R


def to_dataset(G: nx.MultiDiGraph, *, base: str = DEFAULT_BASE, include_vocabulary: bool = False) -> rdflib.Dataset:
    """The graph as an RDF dataset: the evidence of each article in the named graph ``{base}graph/{article id}``,
    everything else in the default graph (see the module docstring).

    Raises
    ------
    OutputError : if ``base`` is not an absolute IRI.

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("person:rex-tillerson", label="Rex Tillerson", type="Person")
    >>> len(to_dataset(G).default_graph)
    3
    """
    base = _checked_base(base)
    D = rdflib.Dataset()
    for prefix, namespace in _prefixes(base, include_vocabulary).items():
        D.bind(prefix, namespace)
    term = rdflib_terms()
    graphs: dict[str, rdflib.Graph] = {"": D.default_graph}

    def graph(name: str) -> rdflib.Graph:
        if name not in graphs:
            graphs[name] = D.graph(URIRef(name))
        return graphs[name]

    with gc_paused():
        D.addN((term(s), term(p), term(o), graph(g)) for s, p, o, g in _quads(G, base, include_vocabulary))
    return D


def to_quads(
    G: nx.MultiDiGraph, *, base: str = DEFAULT_BASE, include_vocabulary: bool = False
) -> list[pyoxigraph.Quad]:
    """The quads of :func:`to_dataset` as ``pyoxigraph.Quad`` objects, each once, in the order :func:`write_rdf`
    writes them: the fast way into an Oxigraph store (``store.bulk_extend(to_quads(G))``), without building an
    rdflib graph first.

    Raises
    ------
    OutputError : if ``base`` is not an absolute IRI.

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("person:rex-tillerson", label="Rex Tillerson", type="Person")
    >>> str(to_quads(G)[0].subject)
    '<http://example.org/kg/entity/person/rex-tillerson>'
    """
    base = _checked_base(base)
    with gc_paused():
        return list(oxigraph_statements(_rows(G, base, include_vocabulary, dataset=True), dataset=True))


def write_rdf(
    G: nx.MultiDiGraph,
    path: str | Path,
    *,
    format: str = "turtle",
    base: str = DEFAULT_BASE,
    include_vocabulary: bool = False,
) -> None:
    """Write the graph as RDF in one of :data:`FORMATS` (rdflib's names: turtle, nt, nquads, trig, xml, json-ld,
    longturtle, n3). ``trig`` and ``nquads`` hold :func:`to_dataset`'s named graphs; the others the triples of
    :func:`to_rdf`.

    Turtle, N-Triples, N-Quads, TriG, RDF/XML and JSON-LD are streamed: the triples are made block by block (an
    entity with the relations it asserts, a statement with its evidence, ...) and written as they are made, so
    memory does not grow with the number of triples. ``longturtle`` and ``n3`` are written by rdflib, which holds
    the whole graph in memory. The file is written under a temporary name and renamed when complete: a failed or
    interrupted write leaves any earlier file at ``path`` as it was.

    Raises
    ------
    OutputError : if the format is unknown, ``base`` is not an absolute IRI, a text cannot be written in RDF
        (a lone surrogate) or in RDF/XML (a control character), or the file cannot be written.

    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "kg.ttl")
    >>> write_rdf(nx.MultiDiGraph(), path, format="turtle")
    """
    format = format_name(format)
    writer = WRITERS.get(format)
    if writer is None:
        raise OutputError(f"Unknown RDF format {format!r}. Use one of: {', '.join(sorted(WRITERS))}.")
    base = _checked_base(base)
    rows = _rows(G, base, include_vocabulary, dataset=format in DATASET_FORMATS)
    try:
        with gc_paused():
            write_atomically(
                Path(path), lambda temporary: writer(rows, temporary, format, _prefixes(base, include_vocabulary))
            )
    except OSError as error:
        raise OutputError(f"Cannot write RDF to {str(path)!r}: {os_error_reason(error)}.") from error
