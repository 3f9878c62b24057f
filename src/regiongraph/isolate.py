"""Run memory-heavy work in a forked child process, so that its memory goes back to the system.

Building a large graph makes millions of small Python objects. Freed, they leave the process's
memory fragmented: the C allocator keeps it, and the validation engine that runs next cannot
reuse it. Done in a child, the work's whole memory is returned when the child exits.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Callable, Generator, Sequence
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

T = TypeVar("T")
A = TypeVar("A")
#: In a child: the pipe its result goes back through.
_sending: Connection | None = None


def can_fork() -> bool:
    """True where :class:`Child` runs its work in a child process (else it runs it at once)."""
    return "fork" in multiprocessing.get_all_start_methods()


class Child(Generic[T]):
    """``work()`` started in a forked child process; :meth:`result` waits for it.

    Where fork is not available, the work is done in this process, when it is started. The
    result, or the exception raised, must be picklable; it is passed back as it is. Start a
    child while no other thread of this process is running. ``nice`` lowers the child's
    priority, for work that should yield the CPU to this process.
    """

    def __init__(self, work: Callable[[], T], nice: int = 0) -> None:
        self._done: tuple[str, object] | None = None
        self._status: int | None = None
        if not can_fork():
            try:
                self._done = ("ok", work())
            except Exception as error:
                self._done = ("error", error)
            return
        self._receive, send = multiprocessing.Pipe(duplex=False)
        _flush_std_streams()  # else the child would write this process's pending output again
        # os.fork, not a multiprocessing.Process: a child may start children of its own
        self._pid = os.fork()
        if self._pid == 0:
            self._receive.close()
            global _sending
            if _sending is not None:  # a child of a child: its copy of its parent's pipe
                _sending.close()  # closed, so that the parent's pipe ends with its parent
            _sending = send
            _run(work, send, nice)  # never returns
        send.close()

    def result(self) -> T:
        if self._done is None:
            self._done = self._wait()
        status, value = self._done
        if status == "error":
            raise value  # type: ignore[misc]
        return value  # type: ignore[return-value]

    def _wait(self) -> tuple[str, object]:
        receive = self._receive
        done: tuple[str, object] | None = None
        try:
            while not receive.poll(0.2):  # bounded: ends with the child
                if self._exited() and not receive.poll(0):
                    break
            try:
                done = receive.recv()
                return done
            except EOFError:  # the child ended without sending anything
                self._reap(5.0)
                code = None if self._status is None else os.waitstatus_to_exitcode(self._status)
                message = f"the worker process ended without a result (exit {code})"
                return "error", RuntimeError(message)
        finally:
            receive.close()
            _reap_exited()
            if done is not None and done[0] == "ok" and not self._exited():
                # Its result is here, and it only exits: not waited for, as the system takes
                # back a large child's memory (0.5 s for the graph's 1.3 GB), but reaped later.
                _exiting.append(self)
            elif not self._reap(5.0):
                os.kill(self._pid, signal.SIGKILL)
                self._reap(None)

    def _exited(self) -> bool:
        if self._status is None:
            pid, status = os.waitpid(self._pid, os.WNOHANG)
            if pid != 0:
                self._status = status
        return self._status is not None

    def _reap(self, timeout: float | None) -> bool:
        """Wait for the child's exit, at most ``timeout`` seconds (``None``: until it exits)."""
        if timeout is None:
            if self._status is None:
                self._status = os.waitpid(self._pid, 0)[1]
            return True
        deadline = time.monotonic() + timeout
        while not self._exited() and time.monotonic() < deadline:  # bounded by the deadline
            time.sleep(0.01)
        return self._status is not None


#: Children that sent their result and were exiting when it was taken: reaped once exited.
_exiting: list[Child[Any]] = []


def _reap_exited() -> None:
    """Reap the children of :data:`_exiting` that have exited (none is waited for)."""
    _exiting[:] = [child for child in _exiting if not child._exited()]


def _flush_std_streams() -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # a closed or replaced stream
            stream.flush()


def mapped_ahead(
    function: Callable[[A], T], items: Sequence[A], chunk: int = 2_000
) -> Generator[T, None, None]:
    """``function`` of each item, in order, worked out by a forked child process ahead of the
    caller, which reads the results a chunk at a time (where fork is missing, or for fewer
    items than a chunk: here, as they are read).

    For pure work that the caller would otherwise do between its own: on two cores, the child
    does it while the caller goes on. The function's errors are raised here, in order.
    """
    if not can_fork() or len(items) < chunk:
        yield from map(function, items)
        return
    receive, send = multiprocessing.Pipe(duplex=False)

    def work() -> None:
        receive.close()
        for start in range(0, len(items), chunk):  # waits while the caller is a chunk behind
            send.send([function(item) for item in items[start : start + chunk]])
        send.close()

    child = Child(work)
    send.close()
    done = False
    try:
        for _ in range(0, len(items), chunk):
            try:
                results: list[T] = receive.recv()
            except EOFError:  # the child failed: its error
                child.result()
                raise RuntimeError("the worker process ended early") from None
            yield from results
        done = True
    finally:
        receive.close()  # a child still sending then stops (its pipe is broken)
        if done:
            child.result()
        else:
            with contextlib.suppress(Exception):  # the caller's own error goes on
                child.result()


def in_child(work: Callable[[], T]) -> T:
    """``work()``, run in a forked child process (see :class:`Child`)."""
    return Child(work).result()


def _run(work: Callable[[], object], send: Connection, nice: int) -> None:
    try:
        if nice:
            os.nice(nice)
        try:
            result: tuple[str, object] = ("ok", work())
        except BaseException as error:  # handed to the parent, which raises it
            result = ("error", error)
        _flush_std_streams()  # before the parent goes on, which may not wait for the exit
        try:
            send.send(result)
        except Exception as error:  # an unpicklable result or error
            send.send(("error", RuntimeError(f"the worker process cannot return: {error}")))
        send.close()
    finally:
        _flush_std_streams()
        os._exit(0)  # skip tearing down millions of objects: the system takes the memory back
