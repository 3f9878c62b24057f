"""Run memory-heavy work in a forked child process, so that its memory goes back to the system.

Building a large graph makes millions of small Python objects. Freed, they leave the process's
memory fragmented: the C allocator keeps it, and the validation engine that runs next cannot
reuse it. Done in a child, the work's whole memory is returned when the child exits.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Generic, TypeVar

T = TypeVar("T")


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
        if not can_fork():
            try:
                self._done = ("ok", work())
            except Exception as error:
                self._done = ("error", error)
            return
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_run, args=(work, send, nice), daemon=True)
        self._process.start()
        send.close()

    def result(self) -> T:
        if self._done is None:
            self._done = self._wait()
        status, value = self._done
        if status == "error":
            raise value  # type: ignore[misc]
        return value  # type: ignore[return-value]

    def _wait(self) -> tuple[str, object]:
        child, receive = self._process, self._receive
        try:
            while not receive.poll(0.2):  # bounded: ends with the child
                if not child.is_alive() and not receive.poll(0):
                    break
            try:
                done: tuple[str, object] = receive.recv()
                return done
            except EOFError:  # the child ended without sending anything
                child.join(5)
                message = f"the worker process ended without a result (exit {child.exitcode})"
                return "error", RuntimeError(message)
        finally:
            receive.close()
            child.join(5)
            if child.is_alive():
                child.kill()
                child.join()


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
        try:
            send.send(result)
        except Exception as error:  # an unpicklable result or error
            send.send(("error", RuntimeError(f"the worker process cannot return: {error}")))
        send.close()
    finally:
        os._exit(0)  # skip tearing down millions of objects: the system takes the memory back
