"""The triple store: an embedded, persistent Oxigraph store (the default) and pushes to remote SPARQL endpoints.

The embedded store is a folder on disk (``pyoxigraph.Store``). ``open(path)`` gives a :class:`Store`;
``Store.load(G)`` adds a build's RDF; ``Store.query(sparql)`` returns plain rows. ``push`` sends an RDF file to
any SPARQL 1.1 Graph Store Protocol endpoint (Oxigraph, Fuseki, GraphDB, ...).

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

import base64
import contextlib
import itertools
import re
import signal
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import quote, unquote, urlsplit, urlunsplit

import networkx as nx
import pyoxigraph as ox

from kg import cache, rdf
from kg.errors import KGError


class StoreError(KGError):
    """The store cannot be opened, loaded or queried, or an endpoint refused a push."""


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

_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")
_SUBJECT = ox.NamedNode(PREFIXES["rdf"] + "subject")
_PREDICATE = ox.NamedNode(PREFIXES["rdf"] + "predicate")
_OBJECT = ox.NamedNode(PREFIXES["rdf"] + "object")
_NEWS_ARTICLE = ox.NamedNode(str(rdf.SCHEMA.NewsArticle))
_SUBJECT_OF = ox.NamedNode(str(rdf.SCHEMA.subjectOf))
_DERIVED_FROM = ox.NamedNode(PREFIXES["prov"] + "wasDerivedFrom")
_EVIDENCE = ox.NamedNode(str(rdf.KGV.evidence))

#: Statuses worth another try: the server may answer later.
_RETRY_STATUSES = {408, 425, 429, 500, 502, 503, 504}
_MAX_DELAY = 30.0
_sleep = time.sleep  # replaced in tests


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

    def __init__(self, store: ox.Store, path: Path | None = None, *, read_only: bool = False) -> None:
        self._store: ox.Store | None = store
        self.path = path
        self.read_only = read_only

    def __repr__(self) -> str:
        where = str(self.path) if self.path is not None else "in memory"
        return f"<kg.store.Store {where}{' (read-only)' if self.read_only else ''}>"

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __len__(self) -> int:
        return self.count()

    @property
    def oxigraph(self) -> ox.Store:
        """The underlying ``pyoxigraph.Store``, for anything this class does not wrap."""
        if self._store is None:
            raise StoreError(f"The store {self.path or ''} is closed. Open it again with kg.store.open(path).")
        return self._store

    def close(self) -> None:
        """Write pending data and release the store's lock (another process may open it then)."""
        if self._store is not None and not self.read_only:
            self._store.flush()
        self._store = None

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
        rdf_format = _format_of(path, format)
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
            raise StoreError(_syntax_message(sparql, error, base)) from error
        except RuntimeError as error:  # a substitution the query cannot take
            raise StoreError(
                f"Cannot run the query with bindings for {', '.join(sorted(bindings or {}))}: {error}. "
                "Each bound variable must appear in the SELECT clause (or use SELECT *)."
            ) from error
        except OSError as error:
            raise StoreError(f"Cannot read the store {self.path}: {error}.") from error
        value = _compacting(sparql, base) if compact_iris else _value
        if isinstance(results, ox.QuerySolutions):
            columns = _ordered([variable.value for variable in results.variables], sparql)
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
            raise StoreError(f"Cannot write to the store {self.path}: {error}. Load again to complete it.") from error
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
    several processes may read it at once, but not while another one writes it (Oxigraph does not support that).

    Raises
    ------
    StoreError : if the folder is not a store, does not exist (read-only) or is open in another process.

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
    if path.is_dir() and not is_store and any(entry.name != cache.FOLDER for entry in path.iterdir()):
        raise StoreError(f"{path} holds other files and is not an Oxigraph store. Pass an empty or new folder.")
    try:
        store = ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
    except (OSError, RuntimeError) as error:  # RuntimeError: files that changed while they were read
        if "lock" in str(error).lower():
            raise StoreError(
                f"The store {path} is open in another process (a notebook, a running kg build?). "
                "Close it there and try again."
            ) from error
        raise StoreError(
            f"Cannot open the store {path}: {error}. If another process is writing it, try again once it is done."
        ) from error
    return Store(store, path, read_only=read_only)


def load_graph(store_path: str | Path, G: nx.MultiDiGraph, *, base: str = rdf.DEFAULT_BASE) -> Loaded:
    """Open the store at ``store_path``, :meth:`Store.load` the graph into it and close it.

    >>> import tempfile
    >>> load_graph(tempfile.mkdtemp(), nx.MultiDiGraph())
    Loaded(added=0, removed=0, total=0)
    """
    with open(store_path) as store:
        return store.load(G, base=base)


class Pushed(NamedTuple):
    """A successful push: where it went, the HTTP status, how many tries it took and how many bytes it sent."""

    url: str
    status: int
    attempts: int
    size: int


def push(
    path: str | Path,
    endpoint: str,
    *,
    graph: str | None = None,
    format: str | None = None,
    user: str | None = None,
    password: str | None = None,
    token: str | None = None,
    timeout: float = 60.0,
    retries: int = 3,
    backoff: float = 0.5,
) -> Pushed:
    """POST an RDF file to a SPARQL 1.1 Graph Store Protocol endpoint (``…/store`` on Oxigraph, ``…/data`` on
    Fuseki).

    Triples go to ``?graph=IRI``, or ``?default`` without ``graph``; N-Quads and TriG files carry their own
    graphs and are posted to the endpoint as they are. The format is named (:data:`FORMATS`) or guessed from the
    suffix and sent as the Content-Type. Refused connections, timeouts and HTTP 408/429/5xx are tried again
    ``retries`` times, waiting ``backoff`` seconds, then twice that, and so on (at most 30 s, or the server's
    Retry-After). Credentials: HTTP Basic (``user`` and ``password``) or a bearer ``token``.

    Raises
    ------
    StoreError : saying what happened (refused, timed out, which HTTP status and the server's message) and how
        to fix it.

    >>> push("out/graph.ttl", "http://localhost:7878/store")  # doctest: +SKIP
    Pushed(url='http://localhost:7878/store?default', status=204, attempts=1, size=123456)
    """
    path = Path(path)
    rdf_format = _format_of(path, format)
    if not path.is_file():
        raise StoreError(f"No file {str(path)!r} to push. Check the path (kg build writes out/graph.ttl).")
    url = _target(endpoint, graph, dataset=rdf_format.supports_datasets)
    headers = {"Content-Type": f"{rdf_format.media_type}; charset=utf-8", "Content-Length": str(path.stat().st_size)}
    if token is not None and user is not None:
        raise StoreError("Pass either --user and --password or --token, not both.")
    if password is not None and user is None:
        raise StoreError("A password needs a user name: pass --user too.")
    if user is not None:
        if password is None:
            raise StoreError(f"A password is needed with the user {user!r}: pass --password (or KG_PASSWORD).")
        credentials = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        headers["Authorization"] = f"Basic {credentials}"
    elif token is not None:
        headers["Authorization"] = f"Bearer {token}"
    opener = urllib.request.build_opener(_NoRedirect)
    what = f"Cannot push {path} to {url}"
    attempts = retries + 1
    for attempt in range(1, attempts + 1):
        wait = min(backoff * 2 ** (attempt - 1), _MAX_DELAY)
        try:
            with path.open("rb") as body:
                request = urllib.request.Request(url, data=body, headers=headers, method="POST")
                with opener.open(request, timeout=timeout) as response:
                    return Pushed(url, response.status, attempt, path.stat().st_size)
        except urllib.error.HTTPError as error:
            detail = _body_excerpt(error)
            error.close()
            if error.code in _RETRY_STATUSES and attempt < attempts:
                _sleep(_retry_after(error, wait))
                continue
            raise StoreError(_http_message(what, error.code, error.reason, detail, attempt, error.headers)) from error
        except (urllib.error.URLError, OSError) as error:
            reason = error.reason if isinstance(error, urllib.error.URLError) else error
            if isinstance(reason, str) or _is_dns_failure(reason):
                raise StoreError(f"{what}: {reason}. Check the host name in --endpoint.") from error
            if attempt < attempts:
                _sleep(wait)
                continue
            tries = f"tried {attempt} time{'s' if attempt > 1 else ''}"
            host = urlsplit(url).netloc
            if isinstance(reason, ConnectionRefusedError):
                raise StoreError(
                    f"{what}: connection refused by {host} ({tries}). Is the server running and listening "
                    "there? Start it (e.g. oxigraph serve --location DIR) or fix --endpoint."
                ) from error
            if isinstance(reason, TimeoutError):
                raise StoreError(
                    f"{what}: timed out, no answer within {timeout:g} s ({tries}). The server may be busy or the "
                    "file large: pass a larger --timeout, or check --endpoint."
                ) from error
            raise StoreError(f"{what}: {reason} ({tries}). Check --endpoint and that the server is up.") from error
    raise AssertionError("unreachable")  # pragma: no cover


def _quads(G: nx.MultiDiGraph, *, base: str) -> list[ox.Quad]:
    """The build's quads: each article's evidence in the article's named graph, the rest in the default graph."""
    return list(rdf.to_quads(G, base=base))


def _format_of(path: str | Path, name: str | None) -> ox.RdfFormat:
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


def _target(endpoint: str, graph: str | None, *, dataset: bool) -> str:
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise StoreError(
            f"The endpoint {endpoint!r} is not an http(s) URL. Pass one such as http://localhost:7878/store."
        )
    if dataset:
        if graph is not None:
            raise StoreError("An N-Quads or TriG file names its own graphs: leave out --graph.")
        return endpoint
    if graph is None:
        parameter = "default"
    else:
        try:
            ox.NamedNode(graph)
        except ValueError as error:
            raise StoreError(f"The graph name {graph!r} is not an absolute IRI: {error}.") from error
        parameter = "graph=" + quote(graph, safe="")
    query = f"{parts.query}&{parameter}" if parts.query else parameter
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


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


def _syntax_message(sparql: str, error: SyntaxError, base: str) -> str:
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


def _ordered(columns: list[str], sparql: str) -> list[str]:
    """SELECT *'s columns in the order the variables first appear in the query (Oxigraph gives them sorted)."""
    if not _SELECT_ALL.search(sparql):
        return columns
    text = _NOT_NAMES.sub(lambda match: " " * len(match.group()), sparql)
    first = {name: index for index, name in reversed(list(enumerate(_VARIABLE.findall(text))))}
    return sorted(columns, key=lambda name: (first.get(name, len(first)), name))


def _compacting(sparql: str, base: str) -> Callable[[Any], Any]:
    """:func:`_value`, with IRIs written ``prefix:name`` under the longest namespace that covers them."""
    namespaces = known_prefixes(base)
    namespaces.update((prefix or "", iri) for prefix, iri in _PREFIX_DECLARATION.findall(sparql))
    longest_first = sorted(namespaces.items(), key=lambda item: -len(item[1]))

    def value(term: Any) -> Any:
        if isinstance(term, ox.NamedNode):
            for prefix, namespace in longest_first:
                local = term.value[len(namespace) :]
                if namespace and term.value.startswith(namespace) and _LOCAL_NAME.fullmatch(local):
                    return f"{prefix}:{local}"
        return _value(term)

    return value


def _term(name: str, value: Any) -> ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple:
    if isinstance(value, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple):
        return value
    if isinstance(value, bool | int | float | str):
        return ox.Literal(value)
    raise StoreError(
        f"Cannot bind ?{name} to {value!r} ({type(value).__name__}): pass a str, a number, a bool or a pyoxigraph "
        "term (NamedNode for an IRI)."
    )


def _value(term: Any) -> Any:
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


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # urllib turns a redirected POST into a GET without the body, which would look like success.
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001
        return None


def _http_message(what: str, code: int, reason: str, detail: str, attempt: int, headers: Any) -> str:
    said = f"HTTP {code} {reason}".rstrip()
    if attempt > 1:
        said += f" on each of {attempt} attempts"
    said += f": {detail}" if detail else ""
    if 300 <= code < 400:
        location = headers.get("Location") if headers is not None else None
        return f"{what}: {said}. The endpoint redirects{f' to {location}' if location else ''}: pass that URL."
    hints = {
        400: "The server could not read the file: check that its suffix or --format matches its content.",
        401: "The endpoint needs credentials: pass --user and --password, or --token.",
        403: "The credentials may not write here: check --user/--password or --token and the server's rights.",
        404: "Check --endpoint: Oxigraph's is http://HOST:7878/store, Fuseki's http://HOST:3030/DATASET/data.",
        405: "This URL does not take POST: point --endpoint at the Graph Store Protocol URL, not the query URL.",
        413: "The file is too large for the server: raise its upload limit or split the file.",
        415: "The server does not take this format: convert the file (e.g. to Turtle or N-Triples).",
    }
    if code >= 500:
        hint = "The server failed: check its log, then push again."
    else:
        hint = hints.get(code, "Check --endpoint, --graph and the credentials.")
    return f"{what}: {said}. {hint}"


def _body_excerpt(error: urllib.error.HTTPError) -> str:
    try:
        text = error.read(500).decode("utf-8", "replace")
    except (OSError, ValueError):
        return ""
    return " ".join(text.split())[:300]


def _retry_after(error: urllib.error.HTTPError, wait: float) -> float:
    value = error.headers.get("Retry-After") if error.headers is not None else None
    if value and value.strip().isdigit():
        return min(max(wait, float(value)), _MAX_DELAY)
    return wait


def _is_dns_failure(reason: object) -> bool:
    return isinstance(reason, socket.gaierror)
