"""Writing quads to RDF files: pyoxigraph's streaming serializers for Turtle, N-Triples, N-Quads, TriG, RDF/XML and
JSON-LD, rdflib for ``longturtle`` and ``n3``, and the checks that keep a file readable (no lone surrogates, no
control characters in XML). :mod:`kg.rdf` makes the rows; this module only turns them into terms and bytes."""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import rdflib
from rdflib import Literal, URIRef

from kg.errors import OutputError

if TYPE_CHECKING:
    import pyoxigraph

#: The formats that hold named graphs: they are written from :func:`kg.rdf.to_dataset`'s quads.
DATASET_FORMATS = frozenset({"trig", "nquads"})

#: A literal: (lexical form, datatype IRI or "" for a plain string, language or "").
_Literal = tuple[str, str, str]
#: A row as :func:`kg.rdf._rows` makes it: (graph, subject, predicate is not rdf:type, predicate, object).
_Row = tuple[str, str, bool, str, tuple]

_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")  # lone surrogates: in a Python str, but no RDF literal holds them
_CUT_ESCAPE = re.compile(r"%[0-9A-Fa-f]?\Z")  # the end of a namespace cut inside a percent escape


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while the millions of tuples and terms of a large graph are made:
    none of them can be part of a cycle, and the collector's passes over them took a third of the writing time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def rdflib_terms() -> Callable[[str | tuple], rdflib.term.Identifier]:
    """A function from an IRI (``str`` or ``(iri,)``) or a literal to rdflib's term, each made once."""
    made: dict[str | tuple, rdflib.term.Identifier] = {}

    def term(value: str | tuple) -> rdflib.term.Identifier:
        found = made.get(value)
        if found is None:
            if value.__class__ is str:
                found = URIRef(value)
            elif len(value) == 1:
                found = URIRef(value[0])
            else:
                text, datatype, language = value
                found = Literal(text, datatype=URIRef(datatype) if datatype else None, lang=language or None)
            made[value] = found
        return found

    return term


def oxigraph_statements(rows: Iterable[_Row], *, dataset: bool) -> Iterator[pyoxigraph.Quad | pyoxigraph.Triple]:
    """Rows as ``pyoxigraph.Quad`` (``dataset``) or ``pyoxigraph.Triple`` objects, one at a time."""
    import pyoxigraph

    # The IRIs and literals met again and again (predicates, classes, the subject of a block, small numbers) are
    # made once; the cache is bounded, so memory does not grow with the graph.
    named = lru_cache(maxsize=1024)(pyoxigraph.NamedNode)
    literal = lru_cache(maxsize=1024)(_oxigraph_literal)
    quad, triple = pyoxigraph.Quad, pyoxigraph.Triple
    for g, s, _, p, o in rows:
        try:
            obj = named(o[0]) if len(o) == 1 else literal(o)
            if not dataset:
                statement = triple(named(s), named(p), obj)
            elif g:
                statement = quad(named(s), named(p), obj, named(g))
            else:
                statement = quad(named(s), named(p), obj)  # the default graph
        except (ValueError, UnicodeError) as error:
            _check_surrogates(o)
            raise OutputError(
                f"Cannot write this graph as RDF: {error}. Check the ids and texts of the input."
            ) from error
        yield statement


def _oxigraph_literal(value: _Literal) -> pyoxigraph.Literal:
    import pyoxigraph

    text, datatype, language = value
    if language:
        return pyoxigraph.Literal(text, language=language)
    if datatype:
        return pyoxigraph.Literal(text, datatype=pyoxigraph.NamedNode(datatype))
    return pyoxigraph.Literal(text)


_OXIGRAPH_FORMATS = {
    "turtle": "TURTLE",
    "nt": "N_TRIPLES",
    "nquads": "N_QUADS",
    "trig": "TRIG",
    "xml": "RDF_XML",
    "json-ld": "JSON_LD",
}


def _write_with_oxigraph(rows: Iterator[_Row], path: Path, format: str, prefixes: dict[str, str]) -> None:
    # pyoxigraph's serializers write each statement as it comes (grouping those of one subject that follow each
    # other), so the file is written while the rows are made.
    import pyoxigraph

    if format == "xml":
        rows = _checked_for_xml(rows)
    statements = oxigraph_statements(rows, dataset=format in DATASET_FORMATS)
    rdf_format = getattr(pyoxigraph.RdfFormat, _OXIGRAPH_FORMATS[format])
    with open(path, "wb") as handle:
        pyoxigraph.serialize(statements, handle, rdf_format, prefixes=prefixes)


def _write_with_rdflib(rows: Iterator[_Row], path: Path, format: str, prefixes: dict[str, str]) -> None:
    # rdflib's default store iterates its triples through a set, whose order changes from one process to the next;
    # a dict-based store filled in the rows' order makes the order follow the data. rdflib holds the whole graph.
    R = _WritableGraph(store="SimpleMemory", bind_namespaces="none")
    for prefix, namespace in prefixes.items():
        R.bind(prefix, namespace)
    term = rdflib_terms()
    for _, s, _, p, o in rows:
        _check_surrogates(o)  # rdflib would write them as \\u escapes that no reader takes
        R.add((term(s), term(p), term(o)))
    path.write_bytes(R.serialize(format=format, encoding="utf-8"))


class _WritableGraph(rdflib.Graph):
    """An rdflib graph whose IRIs get a prefixed name only where rdflib's cut is valid: rdflib cuts an IRI such
    as ``kgv:%7D%20DROP%7B`` inside a percent escape (``%7`` / ``B``) and declares the prefix ``<...%7>``, which
    no reader takes. Such an IRI is written whole instead."""

    def compute_qname(self, uri: str, generate: bool = True) -> tuple[str, URIRef, str]:
        prefix, namespace, local = super().compute_qname(uri, generate)
        if _CUT_ESCAPE.search(namespace):
            raise ValueError(f"no prefixed name for {uri}")
        return prefix, namespace, local


#: format name -> the function that writes it: one call site, in :func:`write_rdf`.
WRITERS: dict[str, Callable[[Iterator[_Row], Path, str, dict[str, str]], None]] = {
    **dict.fromkeys(_OXIGRAPH_FORMATS, _write_with_oxigraph),
    "longturtle": _write_with_rdflib,
    "n3": _write_with_rdflib,
}


def _checked_for_xml(rows: Iterable[_Row]) -> Iterator[_Row]:
    # XML 1.0 cannot hold control characters: rdflib writes them as they are (an unreadable file), pyoxigraph
    # drops them (a silently different text).
    for row in rows:
        obj = row[4]
        found = _NOT_IN_XML.search(obj[0]) if len(obj) == 3 else None
        if found:
            raise OutputError(
                f"RDF/XML cannot hold the character U+{ord(found.group()):04X} "
                f"in the text {obj[0][:80]!r}. "
                "Write another format (turtle, nt, json-ld) or remove control characters from the input."
            )
        yield row


def _check_surrogates(obj: tuple) -> None:
    """Raise if a literal (a row's object) holds a lone surrogate."""
    found = _SURROGATE.search(obj[0]) if len(obj) == 3 else None
    if found:
        raise OutputError(
            f"RDF cannot hold the lone surrogate U+{ord(found.group()):04X} in the text {obj[0][:80]!r}: it is "
            "half of a UTF-16 pair, not a Unicode character. Remove it from the input (kg.ingest refuses it)."
        )
