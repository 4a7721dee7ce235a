"""Pushing RDF files to a remote SPARQL 1.1 Graph Store Protocol endpoint (Oxigraph, Fuseki, GraphDB, ...):
``kg push``. One POST per file, tried again on refused connections, timeouts and HTTP 408/429/5xx, with errors that
say what the server said and how to fix it."""

from __future__ import annotations

import base64
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import quote, urlsplit, urlunsplit

import pyoxigraph as ox

from kg.store import StoreError, format_of

#: Statuses worth another try: the server may answer later.
_RETRY_STATUSES = {408, 425, 429, 500, 502, 503, 504}
_MAX_DELAY = 30.0
_sleep = time.sleep


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
    on_retry: Callable[[str], None] | None = None,
) -> Pushed:
    """POST an RDF file to a SPARQL 1.1 Graph Store Protocol endpoint (``…/store`` on Oxigraph, ``…/data`` on
    Fuseki).

    Triples go to ``?graph=IRI``, or ``?default`` without ``graph``; N-Quads and TriG files carry their own
    graphs and are posted to the endpoint as they are. The format is named (:data:`FORMATS`) or guessed from the
    suffix and sent as the Content-Type. Refused connections, timeouts and HTTP 408/429/5xx are tried again
    ``retries`` times, waiting ``backoff`` seconds, then twice that, and so on (at most 30 s, or the server's
    Retry-After); ``on_retry`` is called with a line saying what happened before each wait, so a server that never
    answers is not silence for minutes. Credentials: HTTP Basic (``user`` and ``password``) or a bearer ``token``.

    Raises
    ------
    StoreError : saying what happened (refused, timed out, which HTTP status and the server's message) and how
        to fix it.

    >>> push("out/graph.ttl", "http://localhost:7878/store")  # doctest: +SKIP
    Pushed(url='http://localhost:7878/store?default', status=204, attempts=1, size=123456)
    """
    path = Path(path)
    rdf_format = format_of(path, format)
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
                wait = _retry_after(error, wait)
                _retrying(on_retry, f"HTTP {error.code} {error.reason}".rstrip(), wait, attempt, attempts)
                _sleep(wait)
                continue
            raise StoreError(_http_message(what, error.code, error.reason, detail, attempt, error.headers)) from error
        except (urllib.error.URLError, OSError) as error:
            reason = error.reason if isinstance(error, urllib.error.URLError) else error
            if isinstance(reason, str) or _is_dns_failure(reason):
                raise StoreError(f"{what}: {reason}. Check the host name in --endpoint.") from error
            if attempt < attempts:
                said = f"no answer within {timeout:g} s" if isinstance(reason, TimeoutError) else str(reason)
                _retrying(on_retry, f"{urlsplit(url).netloc}: {said}", wait, attempt, attempts)
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


def _retrying(on_retry: Callable[[str], None] | None, what: str, wait: float, attempt: int, attempts: int) -> None:
    if on_retry is not None:
        on_retry(f"{what} (attempt {attempt} of {attempts}); trying again in {wait:g} s")


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
