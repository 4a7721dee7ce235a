"""SPARQL text as ``kg query`` and :meth:`kg.store.Store.query` read and print it: the prefixes a query needs not
declare, the error message for a prefix it forgot, the column order of ``SELECT *``, and query results as plain
Python values (IRIs compacted to ``prefix:name``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pyoxigraph as ox

from kg import rdf

#: Prefixes every query may use without declaring them (a query's own PREFIX lines take precedence).
PREFIXES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": str(rdf.SCHEMA),
    "kgv": str(rdf.KGV),
}


def known_prefixes(base: str = rdf.DEFAULT_BASE) -> dict[str, str]:
    """:data:`PREFIXES` and the prefixes of kg's own IRIs under ``base`` (``person:``, ``country:``, ``article:``,
    ``graph:``, ``kg:``, ...; :func:`kg.rdf.prefixes`): what :meth:`Store.query` reads and writes IRIs with.

    >>> known_prefixes()["country"]
    'http://example.org/kg/entity/country/'
    """
    return {**rdf.prefixes(base=base), **PREFIXES}


_XSD = PREFIXES["xsd"]
_INTEGERS = {
    _XSD + name
    for name in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "negativeInteger",
        "nonPositiveInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    )
}
_REALS = {_XSD + "decimal", _XSD + "double", _XSD + "float"}
_BOOLEAN = _XSD + "boolean"

#: Namespaces a query may mean by a prefix it did not declare, for the error message.
_WELL_KNOWN = {
    "wd": "http://www.wikidata.org/entity/",
    "wdt": "http://www.wikidata.org/prop/direct/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "geo": "http://www.opengis.net/ont/geosparql#",
}
_PREFIX_DECLARATION = re.compile(r"PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE)
_PREFIXED_NAME = re.compile(r"(?<![\w?$:/#.-])([A-Za-z][\w.-]*)?:(?=[\w%\\])")
# What a prefixed name cannot be inside of: IRIs, strings and comments, blanked out before looking for prefixes.
_NOT_NAMES = re.compile(r"<[^<>\s]*>|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'|#[^\n]*")
_SELECT_ALL = re.compile(r"\bSELECT\s+(?:DISTINCT\s+|REDUCED\s+)?\*", re.IGNORECASE)
_VARIABLE = re.compile(r"[?$]([\w]+)")
_LOCAL_NAME = re.compile(r"[\w%-](?:[\w.%-]*[\w%-])?|")


def syntax_message(sparql: str, error: SyntaxError, base: str) -> str:
    """Name the prefixes a query uses without declaring them, or give the parser's message."""
    known = known_prefixes(base)
    declared = {prefix or "" for prefix, _ in _PREFIX_DECLARATION.findall(sparql)} | set(known)
    text = _NOT_NAMES.sub(lambda match: " " * len(match.group()), sparql)
    used = dict.fromkeys(prefix or "" for prefix in _PREFIXED_NAME.findall(text))
    unknown = [prefix for prefix in used if prefix not in declared]
    if unknown:
        names = ", ".join(f"{prefix}:" for prefix in unknown)
        first = unknown[0]
        return (
            f"The query uses the prefix {names} without declaring it. Declare it at the top of the query "
            f"(PREFIX {first}: <{_WELL_KNOWN.get(first, 'http://...')}>) or use a built-in one: "
            f"{', '.join(f'{prefix}:' for prefix in sorted(known))}."
        )
    return f"The query is not valid SPARQL: {error}."


def ordered_columns(columns: list[str], sparql: str) -> list[str]:
    """SELECT *'s columns in the order the variables first appear in the query (Oxigraph gives them sorted)."""
    if not _SELECT_ALL.search(sparql):
        return columns
    text = _NOT_NAMES.sub(lambda match: " " * len(match.group()), sparql)
    first = {name: index for index, name in reversed(list(enumerate(_VARIABLE.findall(text))))}
    return sorted(columns, key=lambda name: (first.get(name, len(first)), name))


def compacting(sparql: str, base: str) -> Callable[[Any], Any]:
    """:func:`plain_value`, with IRIs written ``prefix:name`` under the longest namespace that covers them."""
    namespaces = known_prefixes(base)
    namespaces.update((prefix or "", iri) for prefix, iri in _PREFIX_DECLARATION.findall(sparql))
    longest_first = sorted(namespaces.items(), key=lambda item: -len(item[1]))

    def value(term: Any) -> Any:
        if isinstance(term, ox.NamedNode):
            for prefix, namespace in longest_first:
                local = term.value[len(namespace) :]
                if namespace and term.value.startswith(namespace) and _LOCAL_NAME.fullmatch(local):
                    return f"{prefix}:{local}"
        return plain_value(term)

    return value


def plain_value(term: Any) -> Any:
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        try:
            if datatype in _INTEGERS:
                return int(term.value)
            if datatype in _REALS:
                return float(term.value)
        except ValueError:  # an ill-typed literal keeps its text
            return term.value
        if datatype == _BOOLEAN:
            return term.value in ("true", "1")
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode):
        return term.value
    return str(term)  # an RDF-star triple
