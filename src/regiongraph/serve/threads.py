"""SPARQL queries run in threads of the server process, for a server under a supervisor.

Handing each query to a worker process (:mod:`regiongraph.serve.queries`) costs more than most
queries: two pipe writes, two process wake-ups and a cold cache, about 0.2 ms of CPU on each
side for answers that take 0.3 ms to make. Here a query runs in one of ``max_queries`` threads
of the server process instead (Oxigraph evaluates with the GIL released for much of the work).

A thread cannot be stopped, and Oxigraph has no cancel call, so a query still running at its
deadline is answered 503 and ``on_overrun`` is called: the supervisor
(:class:`regiongraph.serve.server.Supervisor`) starts a fresh server process on the same
socket while this one stops accepting, finishes its other requests and exits, which ends the
query. A query still waiting for a free thread at its deadline was never started: it is
answered 503 (too many queries) and nothing else happens.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import time
from collections.abc import Callable

from regiongraph.serve.queries import Answer, Endpoint


class ThreadQueryRunner:
    """Runs queries over one read-only store in a pool of threads of this process."""

    def __init__(self, endpoint: Endpoint, on_overrun: Callable[[], None]) -> None:
        self.endpoint = endpoint
        self.limits = endpoint.limits
        self.on_overrun = on_overrun
        self._executor: concurrent.futures.ThreadPoolExecutor | None = None

    def open(self) -> None:
        """Open the store and make the threads: in the server process, after the fork."""
        self.endpoint.open()
        self._executor = concurrent.futures.ThreadPoolExecutor(
            self.limits.max_queries, thread_name_prefix="query"
        )

    def close(self) -> None:
        """Start no more queries (those running end with the process)."""
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)

    async def run(self, text: str, accept: str | None) -> tuple[Answer, bytes]:
        """The answer to ``text``: its head, and its body (empty for an error).

        A query may wait ``timeout`` seconds for a free thread, then run ``timeout`` seconds
        from its start: time spent queued behind others is not held against it.
        """
        out = _Buffer()
        started: list[float] = []  # when a thread took it up

        def job() -> None:
            started.append(time.monotonic())
            self.endpoint.respond(text, accept, out)

        if self._executor is None:
            self.open()
        assert self._executor is not None
        submitted = time.monotonic()
        future = self._executor.submit(job)
        answered = asyncio.wrap_future(future)
        while not answered.done():  # bounded: each turn waits until a deadline that has passed
            left = (started[0] if started else submitted) + self.limits.timeout - time.monotonic()
            if left > 0:
                await asyncio.wait({answered}, timeout=left)
            elif started:
                self.on_overrun()
                return Answer.stopped(self.limits), b""
            elif future.cancel():  # still waiting for a thread: it never started
                return Answer.busy(), b""
            else:
                await asyncio.sleep(0)  # a thread took it up this instant
        line, _, body = bytes(out.data).partition(b"\n")
        answer = Answer.from_head(line)
        return answer, (body if answer.status == 200 else b"")


class _Buffer:
    """The answer as :meth:`~regiongraph.serve.queries.Endpoint.respond` writes it."""

    def __init__(self) -> None:
        self.data = bytearray()
        self.started = False

    def write(self, data: bytes) -> None:
        self.started = True
        self.data += data
