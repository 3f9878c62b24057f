"""Run a query in a forked child that can be stopped: a hard time limit, and Ctrl-C that works.

Oxigraph has no cancel call, checks no signal while it evaluates, and releases the GIL: a
runaway query (a cross product, an ORDER BY over millions of rows) can only be stopped by
ending the process it runs in. So the work runs in a child made with ``os.fork`` (about 1 ms;
``multiprocessing`` alone costs 10 ms to import). The parent waits on a pipe with ``select``,
which Ctrl-C interrupts, and kills the child (SIGKILL) at the deadline or on Ctrl-C; the child
also arms its own alarm, so it dies even if the parent is killed outright. The result, or the
exception raised, comes back pickled; the child is always reaped.

Where ``os.fork`` does not exist (Windows), the work runs in this process, without a limit.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import sys
import time
from collections.abc import Callable
from typing import TypeVar

from regiongraph.errors import QueryError

T = TypeVar("T")
GRACE = 2.0  # seconds the child's own alarm allows beyond the deadline


class QueryTimeout(QueryError):
    """The query ran past its time limit and was stopped (the command exits 124)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(f"the query ran longer than {seconds:g} s and was stopped (--timeout)")

    def __reduce__(self) -> tuple[type[QueryTimeout], tuple[float]]:
        return QueryTimeout, (self.seconds,)


def run_stoppable(work: Callable[[], T], timeout: float | None = None) -> T:
    """``work()`` in a forked child; its result, or its exception, raised here.

    Raises :class:`QueryTimeout` after ``timeout`` seconds and ``KeyboardInterrupt`` on Ctrl-C,
    the child stopped in both cases. ``work`` may write to the inherited standard output.
    """
    if not hasattr(os, "fork"):
        return work()
    for stream in (sys.stdout, sys.stderr):  # or the child would write their buffers again
        stream.flush()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read_end)
        _child(work, write_end, timeout)
    os.close(write_end)
    try:
        data = _receive(read_end, None if timeout is None else time.monotonic() + timeout)
    except TimeoutError:
        _stop(pid)
        raise QueryTimeout(timeout or 0) from None
    except BaseException:  # Ctrl-C: the child must not outlive the query
        _stop(pid)
        raise
    finally:
        os.close(read_end)
    status = _reap(pid)
    if not data:
        raise QueryError(f"the query process ended without an answer ({status})")
    kind, value = pickle.loads(data)
    if kind == "error":
        raise value
    return value  # type: ignore[no-any-return]


def _child(work: Callable[[], object], write_end: int, timeout: float | None) -> None:
    status = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C at the terminal ends it at once
        if timeout is not None:
            signal.signal(signal.SIGALRM, signal.SIG_DFL)
            signal.setitimer(signal.ITIMER_REAL, timeout + GRACE)
        try:
            message: tuple[str, object] = ("ok", work())
        except BaseException as error:  # every failure goes to the parent
            message = ("error", error)
        try:
            data = pickle.dumps(message)
        except Exception as error:  # an unpicklable result or exception
            failure = QueryError(f"the query's answer cannot be sent: {error}")
            data = pickle.dumps(("error", failure))
        with os.fdopen(write_end, "wb") as out:
            out.write(data)
        status = 0
    finally:
        with contextlib.suppress(Exception):  # a closed pipe downstream
            sys.stdout.flush()
        os._exit(status)  # no atexit handlers, no cleanup of the parent's state


def _receive(fd: int, deadline: float | None) -> bytes:
    chunks: list[bytes] = []
    while True:
        left = None if deadline is None else deadline - time.monotonic()
        if left is not None and left <= 0:
            raise TimeoutError
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            continue
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _stop(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    _reap(pid)


def _reap(pid: int) -> str:
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:
        return "already reaped"
    return f"exit status {os.waitstatus_to_exitcode(status)}"
