"""Check RDF against the shapes of kg's output: the SHACL shapes shipped in :data:`SHAPES_FILE`, run by pyshacl.

The shapes say what :mod:`kg.rdf` writes: every entity has one ``rdfs:label`` and one of the four schema.org
types; every statement has its subject, predicate and object, a confidence from 0 to 1 and at least one piece of
evidence, and the relation it describes is asserted; every piece of evidence has its sentence, offsets (start not
after end) and the article it comes from, a ``schema:NewsArticle``. Besides the shapes, every ``kgv:`` term used
must be declared in the vocabulary (:data:`kg.rdf.VOCABULARY_FILE`).

A TriG or N-Quads file is checked as the union of its graphs (kg puts each article's evidence in a named graph of
its own, and the statements that point to it in the default graph).

>>> import networkx as nx
>>> from kg.rdf import to_rdf
>>> validate(to_rdf(nx.MultiDiGraph())).conforms
True
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import rdflib
from rdflib import RDF, RDFS, XSD, URIRef
from rdflib.namespace import OWL, PROV, SH, SKOS, NamespaceManager

from kg.errors import InputError
from kg.rdf import DATASET_FORMATS, FORMATS, KGV, SCHEMA, format_name, vocabulary

#: The SHACL shapes of kg's RDF output.
SHAPES_FILE = Path(__file__).parent / "data" / "shapes.ttl"

#: File suffix -> the rdflib parser that reads it, for files given without a format.
SUFFIXES = {
    **{suffix: name for name, suffix in FORMATS.items() if name not in ("longturtle",)},
    ".xml": "xml",
    ".owl": "xml",
    ".json": "json-ld",
    ".nquads": "nquads",
}
_PARSERS = {"longturtle": "turtle"}  # rdflib reads long Turtle with its Turtle parser
_COUNTED = {  # class -> (one, many), for the summary line
    KGV.Entity: ("entity", "entities"),
    SCHEMA.NewsArticle: ("article", "articles"),
    KGV.Assertion: ("statement", "statements"),
    KGV.CoOccurrence: ("co-occurrence", "co-occurrences"),
    KGV.Evidence: ("piece of evidence", "pieces of evidence"),
}
_NUMBERS = (XSD.integer, XSD.decimal)


@dataclass(frozen=True, order=True)
class Problem:
    """One way the data does not conform: the resource, the property and what is expected."""

    focus: str  # the resource, written with the file's prefixes where it has them
    path: str  # the property ("" for a problem of the resource itself)
    message: str
    value: str = ""  # the offending value, when there is one


@dataclass
class Report:
    """The result of a validation; ``str(report)`` is the readable report ``kg validate`` prints."""

    conforms: bool
    problems: list[Problem]
    triples: int
    counts: dict[str, int] = field(default_factory=dict)  # "entity", "statement", ... -> how many
    name: str = "the data"

    def __str__(self) -> str:
        names = dict(_COUNTED.values())
        counted = ", ".join(f"{count} {what if count == 1 else names[what]}" for what, count in self.counts.items())
        summary = f"{self.triples} triples" + (f": {counted}" if counted else "")
        if self.conforms:
            return f"{self.name} conforms to kg's shapes ({summary})."
        problems = f"{len(self.problems)} problem" + ("" if len(self.problems) == 1 else "s")
        lines = [f"{self.name} does not conform to kg's shapes ({summary}): {problems}."]
        for problem in self.problems:
            where = f"{problem.focus} {problem.path}".rstrip()
            value = f" (value: {problem.value})" if problem.value else ""
            lines.append(f"- {where}: {problem.message}{value}")
        return "\n".join(lines)


def validate(data: rdflib.Graph, *, name: str = "the data") -> Report:
    """Check triples against kg's SHACL shapes and vocabulary.

    ``data`` is an ``rdflib.Graph``; a ``Dataset`` is checked as the union of its graphs.

    >>> import networkx as nx
    >>> from kg.rdf import to_rdf
    >>> G = nx.MultiDiGraph(); G.add_node("person:a", type="Person")  # no label
    >>> print(validate(to_rdf(G)))  # doctest: +NORMALIZE_WHITESPACE
    the data does not conform to kg's shapes (2 triples: 1 entity): 1 problem.
    - person:a rdfs:label: An entity has exactly one rdfs:label, a plain string.
    """
    import pyshacl

    graph = _union(data) if isinstance(data, rdflib.Dataset) else data
    conforms, results, _ = pyshacl.validate(graph, shacl_graph=_shapes(), inference="none", allow_warnings=False)
    names = _names(graph)
    problems = {_problem(results, result, names) for result in results.subjects(RDF.type, SH.ValidationResult)}
    problems |= _undeclared_terms(graph, names)
    counts = Counter(_COUNTED[o][0] for o in graph.objects(None, RDF.type) if o in _COUNTED)
    return Report(
        conforms=bool(conforms) and not problems,
        problems=sorted(problems),
        triples=len(graph),
        counts={one: counts[one] for one, _ in _COUNTED.values() if counts[one]},
        name=name,
    )


def validate_file(path: str | Path, *, format: str | None = None) -> Report:
    """Read an RDF file (the format is guessed from the suffix unless given) and :func:`validate` it.

    Raises
    ------
    InputError : if the file cannot be read, its format is unknown or it is not valid RDF in that format.

    >>> import networkx as nx, tempfile, os
    >>> from kg.rdf import write_rdf
    >>> path = os.path.join(tempfile.mkdtemp(), "kg.ttl"); write_rdf(nx.MultiDiGraph(), path)
    >>> validate_file(path).conforms
    True
    """
    return validate(read_rdf(path, format=format), name=str(path))


def read_rdf(path: str | Path, *, format: str | None = None) -> rdflib.Graph:
    """The triples of an RDF file (all graphs of a TriG or N-Quads file together), with rdflib's parsers.

    Raises
    ------
    InputError : as :func:`validate_file`.
    """
    path = Path(path)
    if format is not None:
        format = format_name(format)
    if format is None:
        format = SUFFIXES.get(path.suffix.lower())
        if format is None:
            raise InputError(
                f"Cannot tell the RDF format of {str(path)!r} from its suffix. "
                f"Pass the format (--format): one of {', '.join(sorted(FORMATS))}."
            )
    elif format not in FORMATS:
        raise InputError(f"Unknown RDF format {format!r}. Use one of: {', '.join(sorted(FORMATS))}.")
    parser = _PARSERS.get(format, format)
    try:
        if format in DATASET_FORMATS:
            graph = _union(rdflib.Dataset().parse(path, format=parser))
        else:
            graph = rdflib.Graph().parse(path, format=parser)
    except OSError as error:
        raise InputError(f"Cannot read {str(path)!r}: {error.strerror}.") from error
    except Exception as error:  # rdflib's parsers raise many kinds of error on bad input
        raise InputError(
            f"{str(path)!r} is not valid {format} RDF: {error}. Pass the right format (--format) or fix the file."
        ) from error
    return graph


def _union(dataset: rdflib.Dataset) -> rdflib.Graph:
    graph = rdflib.Graph()
    for prefix, namespace in dataset.namespaces():
        graph.bind(prefix, namespace, replace=True)
    graph.addN((s, p, o, graph) for s, p, o, _ in dataset.quads((None, None, None, None)))
    return graph


def _shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(SHAPES_FILE, format="turtle")


def _names(graph: rdflib.Graph) -> NamespaceManager:
    """The prefixes of the file and kg's own, to write IRIs short in the report."""
    names = NamespaceManager(rdflib.Graph(), bind_namespaces="core")
    for prefix, namespace in {"kgv": KGV, "schema": SCHEMA, "prov": PROV, "skos": SKOS}.items():
        names.bind(prefix, namespace)
    for prefix, namespace in graph.namespaces():
        names.bind(prefix, namespace, replace=True)
    return names


def _problem(results: rdflib.Graph, result: rdflib.term.Node, names: NamespaceManager) -> Problem:
    def text(predicate: URIRef) -> str:
        value = results.value(result, predicate)
        if value is None:
            return ""
        if isinstance(value, rdflib.Literal):
            if predicate != SH.value:
                return str(value)
            return str(value) if value.datatype in _NUMBERS else value.n3(names)
        if isinstance(value, rdflib.BNode):  # a path such as [ sh:inversePath kgv:evidence ]
            inverse = results.value(value, SH.inversePath)
            return f"^{inverse.n3(names)}" if inverse is not None else ""
        return value.n3(names)

    return Problem(
        focus=text(SH.focusNode),
        path=text(SH.resultPath),
        message=text(SH.resultMessage),
        value=text(SH.value) if results.value(result, SH.value) != results.value(result, SH.focusNode) else "",
    )


def _undeclared_terms(graph: rdflib.Graph, names: NamespaceManager) -> set[Problem]:
    declared = _declared()
    used = {p for p in graph.predicates() if p.startswith(KGV)}
    used |= {o for o in graph.objects(None, RDF.type) if isinstance(o, URIRef) and o.startswith(KGV)}
    used |= {o for o in graph.objects(None, RDF.predicate) if isinstance(o, URIRef) and o.startswith(KGV)}
    return {
        Problem(
            focus=term.n3(names),
            path="",
            message="not declared in kg's vocabulary (kg/data/vocab.ttl): kg does not write this class or predicate.",
        )
        for term in used - declared
    }


def _declared() -> set[URIRef]:
    V = vocabulary()
    kinds = (RDF.Property, RDFS.Class, OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    return {s for kind in kinds for s in V.subjects(RDF.type, kind) if isinstance(s, URIRef)}
