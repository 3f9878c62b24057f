"""Queries in threads of a server process (serve/threads.py): each query's time is its own."""

from __future__ import annotations

import asyncio
import json
import time

import pyoxigraph as ox

from regiongraph.serve.queries import Endpoint, Limits
from regiongraph.serve.threads import ThreadQueryRunner


class SlowStore:
    """A store whose every query takes ``seconds`` (a stand-in for a slow query)."""

    def __init__(self, seconds: float) -> None:
        self.seconds, self.store = seconds, ox.Store()

    def query(self, text: str, **options: object) -> object:
        time.sleep(self.seconds)
        return self.store.query(text, **options)


def _answers(seconds: float, limits: Limits) -> tuple[list[tuple[int, bytes]], list[int]]:
    """Two queries at once, each taking ``seconds``: their statuses and bodies, and the
    overruns reported (each would retire the server process)."""
    overruns: list[int] = []
    endpoint = Endpoint(lambda: SlowStore(seconds), {}, {}, limits)  # type: ignore[arg-type,return-value]
    runner = ThreadQueryRunner(endpoint, lambda: overruns.append(1))
    runner.open()

    async def both() -> list[tuple[int, bytes]]:
        answers = await asyncio.gather(*(runner.run("ASK {}", None) for _ in range(2)))
        return [(answer.status, body) for answer, body in answers]

    try:
        return asyncio.run(both()), overruns
    finally:
        runner.close()


def test_time_queued_behind_another_query_is_not_held_against_a_query() -> None:
    # One thread, a limit of 1 s, two queries of 0.6 s: the second starts at 0.6 s and ends
    # at 1.2 s, past the limit counted from its arrival but within it counted from its start.
    answers, overruns = _answers(0.6, Limits(timeout=1, max_queries=1))
    assert [status for status, _ in answers] == [200, 200]
    assert all(json.loads(body)["boolean"] is True for _, body in answers)  # ASK {}: one match
    assert overruns == []


def test_a_query_that_never_gets_a_thread_is_refused_without_retiring_the_process() -> None:
    # One thread, a limit of 0.5 s, two queries of 1.5 s: the first overruns (the process must
    # end, so on_overrun is called once); the second never started, so it is only refused.
    answers, overruns = _answers(1.5, Limits(timeout=0.5, max_queries=1))
    assert [status for status, _ in answers] == [503, 503]
    assert overruns == [1]
