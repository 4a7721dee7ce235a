"""The triple store: an embedded, persistent Oxigraph store (pushes to remote SPARQL endpoints: :mod:`kg.remote`).

The embedded store is a folder on disk (``pyoxigraph.Store``). ``open(path)`` gives a :class:`Store`;
``Store.load(G)`` adds a build's RDF; ``Store.query(sparql)`` returns plain rows.

How loads add up: **a load is the authority on every resource it describes and on its articles.** Loading
replaces the store's description (every triple, in any graph, whose subject the load describes) of each entity,
statement, evidence and article in the load, and removes the resources the store holds that were derived only
from the load's articles but that the load no longer describes (e.g. ``person:tillerson`` once a later build joins
it to ``person:rex-tillerson``). A named graph in the load replaces the store's graph of that name. So:

- loading the same build again changes nothing;
- building from articles A, then from A and B, leaves the store exactly as one build from A and B would:
  aggregates (``kgv:mentionCount``, ``kgv:weight``, ``kgv:confidence``) take the new values, never both;
- a build of B alone adds B's resources, and the entities and relations it shares with A take B's description
  (counts from B only). Build from all the articles to keep the counts of the whole collection.

``Store.load(G, removed_articles=ids)`` also takes articles out: each one's resource and evidence graph, and every
resource derived only from them and the load's articles that the load does not describe (an entity named only
there, a relation stated only there, its evidence), with the triples that point at what goes. Given the graph of
the load that last wrote the store (``previous=``), a load computes and writes only the RDF of what differs
between the two graphs, with the same result. ``kg build --store`` and ``kg remove`` load the graph of the whole
collection this way (see :func:`kg.pipeline.update`).

A load changes the store in one short step at its end (the removals, then one atomic insertion); Ctrl-C waits for
it. A process killed inside that step leaves the store partly updated, and the next whole load of the same graph
(without ``previous``) completes it.

Every update goes through pyoxigraph's term objects or SPARQL substitutions, never through query text built from
data, so no label or user value can change a query.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import itertools
import logging
import os
import signal
import threading
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import unquote

import networkx as nx
import pyoxigraph as ox

from kg import cache, rdf
from kg.errors import KGError, os_error_reason
from kg.sparql import PREFIXES, compacting, known_prefixes, ordered_columns, plain_value, syntax_message


class StoreError(KGError):
    """The store cannot be opened, loaded or queried, or an endpoint refused a push."""


#: The file in a store folder that readers lock shared and the writer exclusively (``flock``), so a store is never
#: read while it is written: Oxigraph's read-only mode does not follow a writer, and a reader opened beside a
#: build can grow without bound (gigabytes within minutes) until it is killed.
LOCK_FILE = ".kg-lock"


#: RDF file formats, by rdflib's name -> the pyoxigraph format (parser and HTTP media type) and file suffixes.
FORMATS: dict[str, tuple[ox.RdfFormat, tuple[str, ...]]] = {
    "turtle": (ox.RdfFormat.TURTLE, (".ttl", ".turtle")),
    "nt": (ox.RdfFormat.N_TRIPLES, (".nt",)),
    "nquads": (ox.RdfFormat.N_QUADS, (".nq", ".nquads")),
    "trig": (ox.RdfFormat.TRIG, (".trig",)),
    "json-ld": (ox.RdfFormat.JSON_LD, (".jsonld", ".json")),
    "xml": (ox.RdfFormat.RDF_XML, (".rdf", ".xml", ".owl")),
    "n3": (ox.RdfFormat.N3, (".n3",)),
}


_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")
_SUBJECT = ox.NamedNode(PREFIXES["rdf"] + "subject")
_PREDICATE = ox.NamedNode(PREFIXES["rdf"] + "predicate")
_OBJECT = ox.NamedNode(PREFIXES["rdf"] + "object")
_NEWS_ARTICLE = ox.NamedNode(str(rdf.SCHEMA.NewsArticle))
_SUBJECT_OF = ox.NamedNode(str(rdf.SCHEMA.subjectOf))
_DERIVED_FROM = ox.NamedNode(PREFIXES["prov"] + "wasDerivedFrom")
_EVIDENCE = ox.NamedNode(str(rdf.KGV.evidence))


class Loaded(NamedTuple):
    """What a load did: quads it added, quads it removed (replaced or stale), quads in the store after."""

    added: int
    removed: int
    total: int


class Rows(list):
    """Query results: a list of ``{variable: value}`` dicts, with the variables in order in ``columns``."""

    def __init__(self, rows: Iterable[dict[str, Any]] = (), columns: Iterable[str] = ()) -> None:
        super().__init__(rows)
        self.columns = list(columns)


class Store:
    """An Oxigraph store; see :func:`open`. Also a context manager that closes the store on exit."""

    def __init__(
        self, store: ox.Store, path: Path | None = None, *, read_only: bool = False, lock: int | None = None
    ) -> None:
        self._store: ox.Store | None = store
        self.path = path
        self.read_only = read_only
        self._lock = lock  # the descriptor of the store's LOCK_FILE, locked while the store is open

    def __repr__(self) -> str:
        where = str(self.path) if self.path is not None else "in memory"
        return f"<kg.store.Store {where}{' (read-only)' if self.read_only else ''}>"

    def __enter__(self) -> Store:
        return self

    def __exit__(self, exc_type: object, *exc_info: object) -> None:
        if exc_type is None:
            self.close()
            return
        try:  # an error is on its way already (a full disk?): it is the one to report
            self.close()
        except StoreError as error:
            logging.getLogger("kg.store").debug("while closing after an error: %s", error)

    def __len__(self) -> int:
        return self.count()

    @property
    def oxigraph(self) -> ox.Store:
        """The underlying ``pyoxigraph.Store``, for anything this class does not wrap."""
        if self._store is None:
            raise StoreError(f"The store {self.path or ''} is closed. Open it again with kg.store.open(path).")
        return self._store

    def close(self) -> None:
        """Write pending data and release the store's lock (another process may open it then).

        Raises
        ------
        StoreError : if the pending data cannot be written (the store keeps what its last complete write left).
        """
        store, self._store = self._store, None
        try:
            if store is not None and not self.read_only:
                store.flush()
        except OSError as error:
            raise StoreError(f"Cannot write the store {self.path}: {os_error_reason(error)}.") from error
        finally:
            del store  # Oxigraph's own lock goes with the object
            if self._lock is not None:
                os.close(self._lock)
                self._lock = None

    def count(self) -> int:
        """How many quads (triples, in any graph) the store holds."""
        return len(self.oxigraph)

    def load(
        self,
        G: nx.MultiDiGraph,
        *,
        base: str = rdf.DEFAULT_BASE,
        removed_articles: Iterable[str] = (),
        previous: nx.MultiDiGraph | None = None,
    ) -> Loaded:
        """Add the RDF of a graph (:func:`kg.rdf.to_rdf`) to the store, replacing what it describes.

        ``removed_articles`` are ids of articles to take out in the same step (ids that ``G`` has are kept). See
        the module docstring for how loads add up and what a removal takes with it.

        ``previous`` is the graph whose load (with the same ``base``) last wrote the store: then only the RDF of
        the nodes, edges and articles that differ between the two graphs is computed and written, which is much
        faster for a small change to a large graph, with the same result as without it. The caller vouches that
        the store holds what that load left; :func:`kg.pipeline.update` keeps that record.

        Raises
        ------
        OutputError : if ``base`` is not an absolute IRI.
        StoreError : if the store is read-only or cannot be written.

        >>> G = nx.MultiDiGraph(); G.add_node("person:rex-tillerson", label="Rex Tillerson", type="Person")
        >>> with open() as store:
        ...     store.load(G).total
        3
        """
        gone = sorted(set(removed_articles) - set(G.graph.get("articles", {})))
        if previous is not None and set(gone) <= set(previous.graph.get("articles", {})):
            before, after = _changed_parts(previous, G)
            old, new = set(_quads(before, base=base)), set(_quads(after, base=base))
            return self._write(old - new, new - old)
        return self._replace(
            _quads(G, base=base),
            removed=[ox.NamedNode(str(rdf.article_iri(article, base=base))) for article in gone],
            removed_graphs=[ox.NamedNode(str(rdf.graph_iri(article, base=base))) for article in gone],
        )

    def articles(self, *, base: str = rdf.DEFAULT_BASE) -> list[str]:
        """The ids of the articles (``schema:NewsArticle`` resources under ``base``) the store holds, sorted.

        >>> G = nx.MultiDiGraph(articles={"trump-meets-putin-751f5ed0": {"title": "Trump meets Putin"}})
        >>> with open() as store:
        ...     _ = store.load(G)
        ...     store.articles()
        ['trump-meets-putin-751f5ed0']
        """
        prefix = str(rdf.article_iri("", base=base))
        found = (quad.subject for quad in self.oxigraph.quads_for_pattern(None, _TYPE, _NEWS_ARTICLE, None))
        iris = {s.value for s in found if isinstance(s, ox.NamedNode) and s.value.startswith(prefix)}
        return sorted(unquote(iri.removeprefix(prefix)) for iri in iris)

    def load_file(self, path: str | Path, *, format: str | None = None) -> Loaded:
        """Add an RDF file (any of :data:`FORMATS`, named or guessed from the suffix) as :meth:`load` does.

        Triples go to the default graph; the quads of N-Quads and TriG to their graphs.
        """
        rdf_format = format_of(path, format)
        try:
            quads = list(ox.parse(path=str(path), format=rdf_format))
        except OSError as error:
            raise StoreError(f"Cannot read {str(path)!r}: {error.strerror or error}. Check the path.") from error
        except SyntaxError as error:
            raise StoreError(f"{path} is not valid {rdf_format.name}: {error}. Check the file or --format.") from error
        return self._replace(quads)

    def load_vocabulary(self) -> Loaded:
        """Add kg's vocabulary (:data:`kg.rdf.VOCABULARY_FILE`: labels, comments, domains and ranges of the ``kgv:``
        terms) to the default graph, replacing an earlier copy, so queries can read the relations' names
        (``?p a rdf:Property ; rdfs:label ?name``). Loads of graphs leave it in place.
        """
        return self.load_file(rdf.VOCABULARY_FILE, format="turtle")

    def query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Any] | None = None,
        union_default_graph: bool = True,
        compact_iris: bool = False,
        base: str = rdf.DEFAULT_BASE,
    ) -> Rows:
        """Run a SPARQL query; rows of ``{variable: value}`` in the order of the SELECT.

        Values are ``str`` for IRIs and literals (``_:id`` for blank nodes), ``int`` / ``float`` for numeric
        literals, ``bool`` for booleans and ``None`` where a variable is unbound. ``ASK`` gives one row
        ``{"boolean": ...}``; ``CONSTRUCT`` / ``DESCRIBE`` rows of ``subject``, ``predicate``, ``object``.

        ``bindings`` gives variables values without writing them into the query text (SPARQL substitution:
        each bound variable must appear in the SELECT, or use ``SELECT *``): ``str`` becomes a plain literal, numbers
        and booleans typed literals; pass a ``pyoxigraph.NamedNode`` for an IRI. The prefixes in :data:`PREFIXES`
        need no declaration, nor do those of kg's IRIs under ``base`` (:func:`known_prefixes`: ``person:``,
        ``country:``, ...). With ``union_default_graph`` the query sees the triples of every graph.

        With ``compact_iris`` IRIs are written ``prefix:name`` where a prefix of the query or of
        :func:`known_prefixes` covers them (``person:rex-tillerson``, ``kgv:works_for``). ``SELECT *`` gives its
        columns in the order the variables first appear in the query.

        Raises
        ------
        StoreError : if the query is not valid SPARQL or a binding cannot be used.

        >>> G = nx.MultiDiGraph(); G.add_node("person:rex-tillerson", label="Rex Tillerson", type="Person")
        >>> store = open(); _ = store.load(G)
        >>> store.query("SELECT * WHERE { ?person rdfs:label ?label }", bindings={"label": "Rex Tillerson"})
        [{'person': 'http://example.org/kg/entity/person/rex-tillerson', 'label': 'Rex Tillerson'}]
        """
        substitutions = {ox.Variable(name): _term(name, value) for name, value in (bindings or {}).items()}
        try:
            results = self.oxigraph.query(
                sparql,
                prefixes=known_prefixes(base),
                use_default_graph_as_union=union_default_graph,
                substitutions=substitutions or None,
            )
        except SyntaxError as error:
            raise StoreError(syntax_message(sparql, error, base)) from error
        except RuntimeError as error:  # a substitution the query cannot take
            raise StoreError(
                f"Cannot run the query with bindings for {', '.join(sorted(bindings or {}))}: {error}. "
                "Each bound variable must appear in the SELECT clause (or use SELECT *)."
            ) from error
        except OSError as error:
            raise StoreError(f"Cannot read the store {self.path}: {error}.") from error
        value = compacting(sparql, base) if compact_iris else plain_value
        if isinstance(results, ox.QuerySolutions):
            columns = ordered_columns([variable.value for variable in results.variables], sparql)
            return Rows(({name: value(solution[name]) for name in columns} for solution in results), columns)
        if isinstance(results, ox.QueryBoolean):
            return Rows([{"boolean": bool(results)}], ["boolean"])
        columns = ["subject", "predicate", "object"]
        return Rows(
            (
                {"subject": value(t.subject), "predicate": value(t.predicate), "object": value(t.object)}
                for t in results
            ),
            columns,
        )

    def _replace(
        self,
        quads: list[ox.Quad],
        *,
        removed: Iterable[ox.NamedNode] = (),
        removed_graphs: Iterable[ox.NamedNode] = (),
    ) -> Loaded:
        if self.read_only:
            raise StoreError(f"The store {self.path} is open read-only. Open it with kg.store.open(path) to load.")
        store = self.oxigraph
        new = set(quads)
        subjects = {quad.subject for quad in new}
        articles = {quad.subject for quad in new if quad.predicate == _TYPE and quad.object == _NEWS_ARTICLE}
        gone = set(removed) - subjects
        graphs = {quad.graph_name for quad in new if not isinstance(quad.graph_name, ox.DefaultGraph)}
        graphs |= set(removed_graphs)
        stale = self._stale(subjects, articles | gone) | gone
        old: set[ox.Quad] = set()
        for resource in subjects | stale:
            old.update(store.quads_for_pattern(resource, None, None, None))
        for resource in stale:  # nothing may point at a resource that goes
            old.update(store.quads_for_pattern(None, None, resource, None))
        for graph in graphs:
            old.update(store.quads_for_pattern(None, None, None, graph))
        for statement in stale:
            # the triple a stale rdf:Statement asserts goes with it
            parts = [self._objects(statement, key) for key in (_SUBJECT, _PREDICATE, _OBJECT)]
            for s, p, o in itertools.product(*parts):
                if isinstance(p, ox.NamedNode) and not isinstance(s, ox.Literal):
                    old.update(store.quads_for_pattern(s, p, o, None))
        return self._write(old - new, new - old)

    def _write(self, removed: set[ox.Quad], added: set[ox.Quad]) -> Loaded:
        if self.read_only:
            raise StoreError(f"The store {self.path} is open read-only. Open it with kg.store.open(path) to load.")
        store = self.oxigraph
        try:
            with _interrupt_deferred():
                for quad in removed:
                    store.remove(quad)
                store.extend(added)  # atomic
        except OSError as error:
            raise StoreError(
                f"Cannot write to the store {self.path}: {os_error_reason(error)}. Load again to complete it."
            ) from error
        return Loaded(added=len(added), removed=len(removed), total=len(store))

    def _stale(self, subjects: set, articles: set) -> set:
        """Resources derived only from ``articles`` (entities through schema:subjectOf, evidence through
        prov:wasDerivedFrom, statements through their evidence) that the load does not describe."""
        store = self.oxigraph
        candidates = set()
        for article in articles:
            candidates.update(quad.subject for quad in store.quads_for_pattern(None, _SUBJECT_OF, article, None))
            for evidence in store.quads_for_pattern(None, _DERIVED_FROM, article, None):
                candidates.add(evidence.subject)
                candidates.update(q.subject for q in store.quads_for_pattern(None, _EVIDENCE, evidence.subject, None))
        return {resource for resource in candidates - subjects if self._sources(resource) <= articles}

    def _sources(self, resource: ox.NamedNode | ox.BlankNode) -> set:
        sources = set(self._objects(resource, _SUBJECT_OF)) | set(self._objects(resource, _DERIVED_FROM))
        for evidence in self._objects(resource, _EVIDENCE):
            sources.update(self._objects(evidence, _DERIVED_FROM))
        return sources

    def _objects(self, subject: Any, predicate: ox.NamedNode) -> list:
        if not isinstance(subject, ox.NamedNode | ox.BlankNode):
            return []
        return [quad.object for quad in self.oxigraph.quads_for_pattern(subject, predicate, None, None)]


def _changed_parts(before: nx.MultiDiGraph, after: nx.MultiDiGraph) -> tuple[nx.MultiDiGraph, nx.MultiDiGraph]:
    """The parts of two graphs that differ: the nodes, edges and articles whose attributes differ or that only one
    graph has, with the ends of those edges (whose RDF is the same on both sides when they did not change).

    The RDF of a graph is the union of the RDF of its nodes, edges and articles, none of which share a triple
    (:func:`kg.rdf.to_quads`), so the quads that differ between the two graphs are those that differ between
    the two parts.
    """
    old_articles, new_articles = before.graph.get("articles", {}), after.graph.get("articles", {})
    articles = {
        key for key in old_articles.keys() | new_articles.keys() if old_articles.get(key) != new_articles.get(key)
    }
    nodes = {node for node in before.nodes | after.nodes if before.nodes.get(node) != after.nodes.get(node)}
    edges = {
        edge
        for edge in set(before.edges(keys=True)) | set(after.edges(keys=True))
        if _edge_data(before, edge) != _edge_data(after, edge)
    }
    nodes |= {end for source, target, _ in edges for end in (source, target)}

    def part(G: nx.MultiDiGraph, records: dict) -> nx.MultiDiGraph:
        H = nx.MultiDiGraph(articles={key: records[key] for key in sorted(articles) if key in records})
        H.add_nodes_from((node, G.nodes[node]) for node in sorted(nodes) if node in G)
        H.add_edges_from((*edge, G.edges[edge]) for edge in sorted(edges) if G.has_edge(*edge))
        return H

    return part(before, old_articles), part(after, new_articles)


def _edge_data(G: nx.MultiDiGraph, edge: tuple[str, str, str]) -> dict | None:
    return G.edges[edge] if G.has_edge(*edge) else None


@contextlib.contextmanager
def _interrupt_deferred() -> Iterator[None]:
    """Hold Ctrl-C (SIGINT) back until the block is done, so an interrupt never splits a store write in two.

    Only the main thread can handle signals; elsewhere the block runs as it is.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[object] = []
    previous = signal.signal(signal.SIGINT, lambda *args: received.append(args))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.SIG_DFL if previous is None else previous)
    if received:
        if callable(previous):
            previous(signal.SIGINT, None)
        elif previous != signal.SIG_IGN:
            signal.raise_signal(signal.SIGINT)


# Named as files are opened (kg.store.open(path)); inside this module the builtin is not used.
def open(path: str | Path | None = None, *, read_only: bool = False) -> Store:
    """Open (or create) the persistent store in the folder ``path``; an in-memory store when ``path`` is None.

    A folder is open in one process at a time. ``read_only=True`` opens an existing store for reading only;
    several processes may read it at once, but not while another one writes it: Oxigraph does not support that
    (a reader beside a writer can take all memory), so each side refuses while the other has the store open.

    Raises
    ------
    StoreError : if the folder is not a store, does not exist (read-only), is open in another process, or is
        written by another process (read-only) or read by one (to write).

    >>> import tempfile
    >>> with open(tempfile.mkdtemp()) as store:
    ...     store.count()
    0
    """
    if path is None:
        return Store(ox.Store())
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise StoreError(f"{path} is a file, not a store folder. Pass a folder (it is created if missing).")
    is_store = (path / "CURRENT").is_file()
    if read_only and not is_store:
        raise StoreError(f"No store at {path}. Create one with: kg build SOURCES --store {path}")
    if path.is_dir() and not is_store and any(entry.name not in (cache.FOLDER, LOCK_FILE) for entry in path.iterdir()):
        raise StoreError(f"{path} holds other files and is not an Oxigraph store. Pass an empty or new folder.")
    lock = _lock(path, read_only=read_only)
    try:
        store = ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
    except (OSError, RuntimeError) as error:  # RuntimeError: files that changed while they were read
        if lock is not None:
            os.close(lock)
        if "lock" in str(error).lower():
            raise StoreError(
                f"The store {path} is open in another process (a notebook, a running kg build?). "
                "Close it there and try again."
            ) from error
        raise StoreError(
            f"Cannot open the store {path}: {error}. If another process is writing it, try again once it is done."
        ) from error
    return Store(store, path, read_only=read_only, lock=lock)


def _lock(path: Path, *, read_only: bool) -> int | None:
    """Lock the store folder's :data:`LOCK_FILE` (shared to read, exclusive to write); its descriptor, or None for
    a store on a medium that cannot hold the file (read-only: nobody writes it there)."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path / LOCK_FILE, os.O_CREAT | (os.O_RDONLY if read_only else os.O_RDWR), 0o644)
    except OSError as error:
        if read_only and error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return None
        raise StoreError(f"Cannot open the store {path}: {os_error_reason(error)}.") from error
    try:
        fcntl.flock(descriptor, (fcntl.LOCK_SH if read_only else fcntl.LOCK_EX) | fcntl.LOCK_NB)
    except OSError as error:
        os.close(descriptor)
        if read_only:
            raise StoreError(
                f"The store {path} is being written by another process (a kg build or kg remove?); reading it at "
                "the same time could take all memory. Try again once it is done, or query a copy of the folder."
            ) from error
        raise StoreError(
            f"The store {path} is open in another process (a notebook, a kg query, a running kg build?). Close it "
            "there and try again: a store cannot be written while another process reads or writes it."
        ) from error
    return descriptor


def load_graph(store_path: str | Path, G: nx.MultiDiGraph, *, base: str = rdf.DEFAULT_BASE) -> Loaded:
    """Open the store at ``store_path``, :meth:`Store.load` the graph into it and close it.

    >>> import tempfile
    >>> load_graph(tempfile.mkdtemp(), nx.MultiDiGraph())
    Loaded(added=0, removed=0, total=0)
    """
    with open(store_path) as store:
        return store.load(G, base=base)


def _quads(G: nx.MultiDiGraph, *, base: str) -> list[ox.Quad]:
    """The build's quads: each article's evidence in the article's named graph, the rest in the default graph."""
    return list(rdf.to_quads(G, base=base))


def format_of(path: str | Path, name: str | None) -> ox.RdfFormat:
    if name is not None:
        name = rdf.format_name(name)
        if name not in FORMATS:
            raise StoreError(f"Unknown RDF format {name!r}. Use one of: {', '.join(sorted(FORMATS))}.")
        return FORMATS[name][0]
    suffix = Path(path).suffix.lower()
    for rdf_format, suffixes in FORMATS.values():
        if suffix in suffixes:
            return rdf_format
    known = ", ".join(s for _, suffixes in FORMATS.values() for s in suffixes)
    raise StoreError(
        f"Cannot tell the RDF format of {str(path)!r} from its suffix. Use one of {known}, or pass --format "
        f"({', '.join(sorted(FORMATS))})."
    )


def _term(name: str, value: Any) -> ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple:
    if isinstance(value, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple):
        return value
    if isinstance(value, bool | int | float | str):
        return ox.Literal(value)
    raise StoreError(
        f"Cannot bind ?{name} to {value!r} ({type(value).__name__}): pass a str, a number, a bool or a pyoxigraph "
        "term (NamedNode for an IRI)."
    )
