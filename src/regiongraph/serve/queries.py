"""SPARQL queries for the server: each in a forked child, stopped at its deadline, streamed back.

Oxigraph has no cancel call, so a query that must be stopped must run in a process of its own
(as :mod:`regiongraph.sparql.worker` does for the CLI). Here the server forks from its event
loop's thread: the child evaluates, negotiates the result format for the query's form, and writes
one JSON header line (the status and media type, or the error) and then the body into a pipe;
the event loop reads the pipe without blocking, so many queries run at once and a runaway one
never holds up other requests. At the deadline the child is killed (SIGKILL), and it also arms
its own alarm, so it dies even if the server is killed outright.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

import pyoxigraph as ox

from regiongraph.serve.negotiation import choose_media_type

GRACE = 2.0  # seconds the child's own alarm allows beyond the deadline
#: Results of SELECT and ASK, by media type (the first is the default).
RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/json": "json",
    "application/xml": "xml",
}
#: Results of CONSTRUCT and DESCRIBE, by media type (the first is the default).
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/n-triples": "n-triples",
}
#: ``?format=`` names for both kinds (as the CLI's --format), mapped to media types.
FORMAT_NAMES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "json-ld": "application/ld+json",
    "jsonld": "application/ld+json",
    "n-triples": "application/n-triples",
    "nt": "application/n-triples",
}


@dataclass(frozen=True)
class Limits:
    """What one request may cost; each is configurable on the command line."""

    timeout: float = 30.0  # seconds a query may run
    max_rows: int = 10_000  # rows (or triples) of an answer; the rest is cut off
    max_body: int = 1 << 20  # bytes of a POST body (413 beyond)
    max_query_string: int = 8192  # bytes of a GET query string (414 beyond)
    max_queries: int = 8  # queries running at once; others wait for a slot


@dataclass
class Answer:
    """What the child said before its body: the status, media type and headers."""

    status: int
    media_type: str
    message: str = ""
    headers: dict[str, str] = field(default_factory=dict)


class QueryRunner:
    """Runs queries over one read-only store, each in a forked child."""

    def __init__(
        self, store: ox.Store, prefixes: dict[str, str], context: dict[str, Any], limits: Limits
    ) -> None:
        self.store = store
        self.prefixes = prefixes
        self.context = context
        self.limits = limits
        self._slots = asyncio.Semaphore(limits.max_queries)

    async def run(self, text: str, accept: str | None) -> tuple[Answer, AsyncIterator[bytes]]:
        """Start ``text``; its answer's head, and its body as chunks (empty for an error)."""
        try:
            await asyncio.wait_for(self._slots.acquire(), self.limits.timeout)
        except TimeoutError:
            return Answer(503, "text/plain", "too many queries are running; try again"), _empty()
        deadline = time.monotonic() + self.limits.timeout
        try:
            read_end, pid = self._fork(text, accept)
        except BaseException:
            self._slots.release()
            raise
        reader = _PipeReader(read_end, pid, deadline, self._slots.release)
        try:
            line = await reader.line()
        except TimeoutError:
            reader.close()
            seconds = f"{self.limits.timeout:g}"
            return Answer(
                503, "text/plain", f"the query ran longer than {seconds} s and was stopped"
            ), _empty()
        if line is None:
            reader.close()
            return Answer(500, "text/plain", "the query process ended without an answer"), _empty()
        head = json.loads(line)
        answer = Answer(
            head["status"],
            head.get("media_type", "text/plain"),
            head.get("message", ""),
            head.get("headers", {}),
        )
        if answer.status != 200:
            reader.close()
            return answer, _empty()
        return answer, reader.chunks()

    def _fork(self, text: str, accept: str | None) -> tuple[int, int]:
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: answer, write, and leave without touching the server's state
            status = 1
            try:
                os.close(read_end)
                signal.signal(signal.SIGALRM, signal.SIG_DFL)
                signal.setitimer(signal.ITIMER_REAL, self.limits.timeout + GRACE)
                with os.fdopen(write_end, "wb") as out:
                    _answer(self.store, text, accept, self.prefixes, self.context, self.limits, out)
                status = 0
            finally:
                os._exit(status)
        os.close(write_end)
        os.set_blocking(read_end, False)
        return read_end, pid


def _wake(ready: asyncio.Future[None]) -> None:
    if not ready.done():  # the reader fires again until it is removed
        ready.set_result(None)


async def _empty() -> AsyncIterator[bytes]:
    return
    yield b""  # an async generator that yields nothing


class _PipeReader:
    """The parent's end of one query's pipe, read from the event loop until the deadline."""

    def __init__(self, fd: int, pid: int, deadline: float, release: Any) -> None:
        self.fd, self.pid, self.deadline = fd, pid, deadline
        self._release = release
        self._buffer = b""
        self._closed = False

    async def _read(self) -> bytes:
        loop = asyncio.get_running_loop()
        while True:  # bounded by the deadline
            try:
                return os.read(self.fd, 1 << 16)
            except BlockingIOError:
                pass
            ready = loop.create_future()
            loop.add_reader(self.fd, _wake, ready)
            try:
                left = self.deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError
                await asyncio.wait_for(ready, left)
            finally:
                loop.remove_reader(self.fd)

    async def line(self) -> str | None:
        while b"\n" not in self._buffer:
            chunk = await self._read()
            if not chunk:
                return None
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line.decode("utf-8")

    async def chunks(self) -> AsyncIterator[bytes]:
        """The body; raises TimeoutError at the deadline (the response is then cut short)."""
        try:
            if self._buffer:
                yield self._buffer
                self._buffer = b""
            while chunk := await self._read():
                yield chunk
        finally:
            self.close()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
        os.close(self.fd)
        self._release()


def _head(
    out: Any, status: int, media_type: str = "text/plain", message: str = "", **headers: str
) -> None:
    head = {"status": status, "media_type": media_type, "message": message, "headers": headers}
    out.write(json.dumps(head, ensure_ascii=False).encode("utf-8") + b"\n")


def _answer(
    store: ox.Store,
    text: str,
    accept: str | None,
    prefixes: dict[str, str],
    context: dict[str, Any],
    limits: Limits,
    out: Any,
) -> None:
    """In the child: evaluate, negotiate, and write the head line and the body."""
    from regiongraph.errors import QueryError
    from regiongraph.sparql.engines import QueryResult, _syntax_error
    from regiongraph.sparql.results import render_ask, render_graph, render_select

    try:
        result = store.query(text, prefixes=prefixes)
        if isinstance(result, ox.QuerySolutions):
            variables = [v.value for v in result.variables]
            rows = [[s[v] for v in variables] for s in islice(result, limits.max_rows + 1)]
        elif not isinstance(result, ox.QueryBoolean):
            triples = list(islice(result, limits.max_rows + 1))
    except SyntaxError as error:
        _head(out, 400, message=str(_syntax_error(text, str(error), prefixes)))
        return
    except (RuntimeError, OSError, ValueError, QueryError) as error:
        _head(out, 400, message=f"SPARQL error: {error}")
        return
    offers = (
        GRAPH_TYPES if not isinstance(result, ox.QueryBoolean | ox.QuerySolutions) else RESULT_TYPES
    )
    media_type = choose_media_type(accept, list(offers))
    if media_type is None:
        _head(out, 406, message="acceptable here: " + ", ".join(offers))
        return
    fmt = offers[media_type]
    limited: dict[str, str] = {"X-Result-Limit": str(limits.max_rows)}
    if isinstance(result, ox.QueryBoolean):
        body = render_ask(QueryResult("ask", boolean=bool(result)), fmt)
        limited = {}
    elif isinstance(result, ox.QuerySolutions):
        if len(rows) > limits.max_rows:
            limited["X-Result-Truncated"] = "true"
        body = render_select(
            QueryResult("select", variables, rows[: limits.max_rows]), fmt, prefixes
        )  # type: ignore[arg-type]
    else:
        if len(triples) > limits.max_rows:
            limited["X-Result-Truncated"] = "true"
        body = render_graph(triples[: limits.max_rows], fmt, prefixes, context)
    _head(out, 200, media_type, **limited)
    out.write(body.encode("utf-8"))
