"""SPARQL queries for the server: run by a pool of worker processes, each stoppable at once.

Oxigraph has no cancel call, so a query that must be stopped must run in a process of its own
(as :mod:`regiongraph.sparql.worker` does for the CLI). The server keeps a pool of workers
forked from it (``max_queries`` of them), each holding the store. A query goes to an idle
worker over a pipe; the worker evaluates it, negotiates the result format for the query's form,
and sends back one JSON head line (the status and media type, or the error) and the body, in
length-prefixed frames ending with an empty one. The event loop reads the worker's pipe without
blocking, so queries run side by side and a runaway one never holds up other requests. At the
deadline, or when the client goes away mid-answer, the worker is killed (SIGKILL) and a fresh one
forked in its place; a worker also arms its own alarm for each query, so it dies even if the
server is killed outright. Forking per query instead cost 4 ms plus what the child touched.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

import pyoxigraph as ox

# Imported here, not in the child: a child that imports pays for it on every query.
from regiongraph.errors import QueryError
from regiongraph.serve.negotiation import choose_media_type
from regiongraph.sparql.engines import QueryResult, _syntax_error
from regiongraph.sparql.results import render_ask, render_graph, render_select

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

    @classmethod
    def busy(cls) -> Answer:
        """No query slot came free within the time limit: the query never started."""
        return cls(503, "text/plain", "too many queries are running; try again")

    @classmethod
    def stopped(cls, limits: Limits) -> Answer:
        """The query ran past its time limit."""
        message = f"the query ran longer than {limits.timeout:g} s and was stopped"
        return cls(503, "text/plain", message)

    @classmethod
    def from_head(cls, line: str | bytes) -> Answer:
        """The answer of a head line, as :meth:`Endpoint.respond` writes it."""
        head = json.loads(line)
        return cls(
            head["status"],
            head.get("media_type", "text/plain"),
            head.get("message", ""),
            head.get("headers", {}),
        )


@dataclass
class Endpoint:
    """What every answer is made from: the store, its prefixes and JSON-LD context, the limits.

    The store is opened by :meth:`open`, in the process that answers (a server process forked
    from a supervisor opens its own, so that no store thread is forked).
    """

    open_store: Callable[[], ox.Store]
    prefixes: dict[str, str]
    context: dict[str, Any]
    limits: Limits
    store: ox.Store | None = None

    def open(self) -> ox.Store:
        if self.store is None:
            self.store = self.open_store()
        return self.store

    def respond(self, text: str, accept: str | None, out: Any) -> None:
        """Write the answer to ``text`` into ``out`` (its ``write`` and ``started``): a JSON head
        line (status, media type, headers or message), then the body; a failure is a 500."""
        try:
            _answer(self.open(), text, accept, self.prefixes, self.context, self.limits, out)
        except Exception as error:  # noqa: BLE001 - an answer must always be written
            if not out.started:
                _head(out, 500, message=f"the query failed: {error}")


class QueryRunner:
    """Runs queries over one read-only store in a pool of worker processes."""

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint
        self.limits = endpoint.limits
        self._workers: list[_Worker] = []
        self._idle: asyncio.Queue[_Worker] | None = None

    def open(self) -> None:
        """Open the store, here, before any worker is forked (they share it)."""
        self.endpoint.open()

    def _pool(self) -> asyncio.Queue[_Worker]:
        """The idle workers, forked on first use (from the event loop's thread); the one idle
        last is taken first, as its memory is the likeliest to be in the CPU's caches (8
        workers taken in turn cost 0.68 ms of worker CPU per named query, the last one 0.53)."""
        if self._idle is None:
            self.endpoint.open()  # before the fork, so that the workers share it
            self._idle = asyncio.LifoQueue()
            for _ in range(self.limits.max_queries):
                self._idle.put_nowait(self._spawn())
        return self._idle

    def close(self) -> None:
        """Stop every worker."""
        for worker in list(self._workers):
            self._kill(worker)

    async def run(
        self, text: str, accept: str | None
    ) -> tuple[Answer, AsyncIterator[bytes] | bytes]:
        """Start ``text``; its answer's head, and its body: the bytes if the worker has already
        sent all of them (most answers fit in the first read), else chunks (empty for an
        error)."""
        idle = self._pool()
        try:
            worker = idle.get_nowait()
        except asyncio.QueueEmpty:
            try:
                worker = await asyncio.wait_for(idle.get(), self.limits.timeout)
            except TimeoutError:
                return Answer.busy(), _empty()
        deadline = time.monotonic() + self.limits.timeout
        reply = _Reply(worker, deadline)
        try:
            worker.send(text, accept)
            line = await reply.line()
        except TimeoutError:
            self._replace(worker)
            return Answer.stopped(self.limits), _empty()
        except (OSError, EOFError):
            self._replace(worker)
            return Answer(500, "text/plain", "the query process ended without an answer"), _empty()
        except BaseException:
            self._replace(worker)
            raise
        answer = Answer.from_head(line)
        if answer.status != 200:
            await self._finish(worker, reply)
            return answer, _empty()
        whole = reply.whole()
        if whole is not None:  # no stream to follow: the response can be a plain one
            self._release(worker)
            return answer, whole
        return answer, self._body(worker, reply)

    async def _body(self, worker: _Worker, reply: _Reply) -> AsyncIterator[bytes]:
        finished = False
        try:
            async for chunk in reply.chunks():
                yield chunk
            finished = True
        finally:  # cut short (a timeout, a client gone): the worker cannot be reused
            if finished:
                self._release(worker)
            else:
                self._replace(worker)

    async def _finish(self, worker: _Worker, reply: _Reply) -> None:
        try:
            async for _ in reply.chunks():
                pass
        except (TimeoutError, OSError, EOFError):
            self._replace(worker)
            return
        self._release(worker)

    def _release(self, worker: _Worker) -> None:
        assert self._idle is not None
        self._idle.put_nowait(worker)

    def _replace(self, worker: _Worker) -> None:
        self._kill(worker)
        self._release(self._spawn())

    def _kill(self, worker: _Worker) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(worker.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(worker.pid, 0)
        for fd in (worker.requests, worker.answers):
            with contextlib.suppress(OSError):
                os.close(fd)
        if worker in self._workers:
            self._workers.remove(worker)

    def _spawn(self) -> _Worker:
        requests_read, requests_write = os.pipe()
        answers_read, answers_write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker: serve queries until the pipe closes; never return
            status = 1
            try:
                for other in self._workers:  # the other workers' pipes are not ours
                    for fd in (other.requests, other.answers):
                        with contextlib.suppress(OSError):
                            os.close(fd)
                os.close(requests_write)
                os.close(answers_read)
                _serve(self, requests_read, answers_write)
                status = 0
            finally:
                os._exit(status)
        os.close(requests_read)
        os.close(answers_write)
        os.set_blocking(answers_read, False)
        worker = _Worker(pid, requests_write, answers_read)
        self._workers.append(worker)
        return worker


@dataclass(eq=False)
class _Worker:
    pid: int
    requests: int  # our end of the pipe that carries queries to it
    answers: int  # our end of the pipe that carries its answers back (non-blocking)

    def send(self, text: str, accept: str | None) -> None:
        data = json.dumps([text, accept]).encode("utf-8")
        _write_all(self.requests, len(data).to_bytes(4, "big") + data)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _read_exact(fd: int, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = os.read(fd, left)
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _serve(runner: QueryRunner, requests: int, answers: int) -> None:
    """The worker's loop: one query at a time, each answer framed and ended by an empty frame."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server decides when workers stop
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    limits = runner.limits
    endpoint = runner.endpoint
    while True:
        try:
            size = int.from_bytes(_read_exact(requests, 4), "big")
            text, accept = json.loads(_read_exact(requests, size))
        except EOFError:  # the server is gone or closed the pool
            return
        signal.setitimer(signal.ITIMER_REAL, limits.timeout + GRACE)
        out = _Frames(answers)
        endpoint.respond(text, accept, out)
        out.end()
        signal.setitimer(signal.ITIMER_REAL, 0)


class _Frames:
    """The worker's answer: bytes in frames of up to 64 KiB, each with a 4-byte length."""

    LIMIT = 1 << 16

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.buffer = bytearray()
        self.started = False

    def write(self, data: bytes) -> None:
        self.started = True
        self.buffer += data
        while len(self.buffer) >= self.LIMIT:
            self._frame(bytes(self.buffer[: self.LIMIT]))
            del self.buffer[: self.LIMIT]

    def _frame(self, data: bytes) -> None:
        _write_all(self.fd, _framed(data))

    def end(self) -> None:
        """The rest and the empty frame in one write, so the server reads them at once."""
        rest = _framed(bytes(self.buffer)) if self.buffer else b""
        self.buffer.clear()
        _write_all(self.fd, rest + _framed(b""))


def _framed(data: bytes) -> bytes:
    return len(data).to_bytes(4, "big") + data


def _wake(ready: asyncio.Future[None]) -> None:
    if not ready.done():  # the reader fires again until it is removed
        ready.set_result(None)


async def _empty() -> AsyncIterator[bytes]:
    return
    yield b""  # an async generator that yields nothing


class _Reply:
    """One answer read from a worker's pipe by the event loop, until the deadline."""

    def __init__(self, worker: _Worker, deadline: float) -> None:
        self.fd, self.deadline = worker.answers, deadline
        self._raw = b""  # bytes read, not yet parsed into frames
        self._data = b""  # payload of parsed frames, not yet handed on
        self._ended = False

    async def _more(self) -> None:
        loop = asyncio.get_running_loop()
        while True:  # bounded by the deadline
            try:
                chunk = os.read(self.fd, 1 << 16)
            except BlockingIOError:
                left = self.deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError from None
                ready = loop.create_future()
                loop.add_reader(self.fd, _wake, ready)
                expiry = loop.call_later(left, _wake, ready)  # cheaper than wait_for's task
                try:
                    await ready
                finally:
                    expiry.cancel()
                    loop.remove_reader(self.fd)
                continue
            if not chunk:
                raise EOFError
            self._raw += chunk
            self._parse()
            return

    def _parse(self) -> None:
        while len(self._raw) >= 4:
            size = int.from_bytes(self._raw[:4], "big")
            if len(self._raw) < 4 + size:
                return
            frame, self._raw = self._raw[4 : 4 + size], self._raw[4 + size :]
            if not frame:
                self._ended = True
                return
            self._data += frame

    async def line(self) -> str:
        while b"\n" not in self._data:
            if self._ended:
                raise EOFError
            await self._more()
        line, _, self._data = self._data.partition(b"\n")
        return line.decode("utf-8")

    def whole(self) -> bytes | None:
        """The rest of the answer if it has all been read, else None."""
        if not self._ended:
            return None
        data, self._data = self._data, b""
        return data

    async def chunks(self) -> AsyncIterator[bytes]:
        """The rest of the answer; raises TimeoutError at the deadline."""
        while True:
            if self._data:
                data, self._data = self._data, b""
                yield data
            if self._ended:
                return
            await self._more()


def _head(
    out: Any, status: int, media_type: str = "text/plain", message: str = "", **headers: str
) -> None:
    head = {"status": status, "media_type": media_type, "message": message, "headers": headers}
    out.write(json.dumps(head, ensure_ascii=False).encode("utf-8") + b"\n")


def refusal(text: str) -> tuple[int, str] | None:
    """Why ``text`` is not run at all (status and reason): empty, or federated.

    Found by our lexer, before any engine sees the text. Updates need no check here:
    ``Store.query`` parses a query only, so an update fails to parse and never runs;
    ``update_refusal`` then says why.
    """
    from regiongraph.rdf.sparql_lexer import service_positions

    if not text.strip():
        return 400, "empty query: give a SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE)"
    where = service_positions(text)
    if where:
        line, column = where[0]
        return 403, (
            f"SERVICE (a federated query) is refused (line {line}, column {column}): "
            "this endpoint reads its own data only"
        )
    return None


def update_refusal(text: str) -> tuple[int, str] | None:
    """The refusal of a text that did not parse as a query, if it is an update."""
    from regiongraph.rdf.sparql_lexer import looks_like_update

    if looks_like_update(text):
        return 403, "updates are refused: this endpoint is read-only"
    return None


def _answer(
    store: ox.Store,
    text: str,
    accept: str | None,
    prefixes: dict[str, str],
    context: dict[str, Any],
    limits: Limits,
    out: Any,
) -> None:
    """Check, evaluate, negotiate, and write the head line and the body."""
    refused = refusal(text)
    if refused is not None:
        _head(out, refused[0], message=refused[1])
        return
    try:
        result = store.query(text, prefixes=prefixes)
        if isinstance(result, ox.QuerySolutions):
            variables = [v.value for v in result.variables]
            rows = [list(s) for s in islice(result, limits.max_rows + 1)]  # in variables' order
        elif not isinstance(result, ox.QueryBoolean):
            triples = list(islice(result, limits.max_rows + 1))
    except SyntaxError as error:
        refused = update_refusal(text)
        if refused is not None:
            _head(out, refused[0], message=refused[1])
            return
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
