"""Run the application with Uvicorn in supervised server processes, with an access log in the
Combined Log Format."""

from __future__ import annotations

import contextlib
import math
import os
import select
import signal
import socket
import sys
import time
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from typing import Any, TextIO

from regiongraph.errors import ServerError

GRACE = 2.0  # seconds beyond its drain after which a retired server process is ended
NOT_STARTED = 3  # Uvicorn's exit status when the application did not start (STARTUP_FAILURE)
QUICK_ENDS = 5  # server processes in a row ending within a second of their start: give up
HELD = {signal.SIGINT, signal.SIGTERM}

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class AccessLog:
    """ASGI middleware: one line per request, as Apache and nginx write them ("combined")."""

    def __init__(self, app: ASGIApp, stream: TextIO = sys.stderr) -> None:
        self.app, self.stream = app, stream

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status, sent = [0], [0]

        async def counting(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            elif message["type"] == "http.response.body":
                sent[0] += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, counting)
        finally:
            self.stream.write(_line(scope, status[0], sent[0]) + "\n")
            self.stream.flush()


def _line(scope: Scope, status: int, sent: int) -> str:
    headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
    client = (scope.get("client") or ("-", 0))[0]
    path = scope.get("raw_path") or scope["path"].encode()
    target = path.decode("latin-1") + (
        "?" + scope["query_string"].decode("latin-1") if scope.get("query_string") else ""
    )
    when = time.strftime("%d/%b/%Y:%H:%M:%S %z", time.localtime())
    request = f"{scope['method']} {target} HTTP/{scope.get('http_version', '1.1')}"
    request_line, referer, agent = (
        _quote(text)
        for text in (request, headers.get("referer", "-"), headers.get("user-agent", "-"))
    )
    return (
        f'{client} - - [{when}] "{request_line}" {status or "-"} {sent or "-"} '
        f'"{referer}" "{agent}"'
    )


def _quote(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


class Supervisor:
    """Server processes on one port, each replaced when it ends or when a query overruns.

    ``processes`` sockets are bound here, each with ``SO_REUSEPORT`` so that the kernel
    spreads new connections over them (one shared socket would let the first process to wake
    take every waiting connection), and each is served by one server process forked from this
    one, which shares the graph read before the fork. This process serves nothing: it holds
    the sockets, so a server process can be replaced without losing a connection (those that
    arrive meanwhile wait in its socket's queue), and it replaces any that ends.

    A server process runs its queries in threads (:mod:`regiongraph.serve.threads`); when one
    overruns, :meth:`overrun` (in that process) tells this one, which forks a replacement at
    once, while the old process stops accepting, finishes the requests under way (each query
    within its own time, ``drain`` at most) and exits; its own alarm ends it :data:`GRACE`
    seconds after that if need be. Idle keep-alive connections of the old process are closed,
    as at any graceful shutdown.
    """

    def __init__(self, host: str, port: int, processes: int = 1, drain: float = 30.0) -> None:
        self.host, self.port, self.processes = host, port, max(1, processes)
        self.drain = drain  # seconds a retired process may take to finish its other requests
        self.sockets: list[socket.socket] = []
        self._notices, self._notify = -1, -1  # the pipe of "replace me" notices, in run()
        self._server: Any = None  # in a server process: its Uvicorn server

    def overrun(self) -> None:
        """In a server process: a query overran, and only the end of this process stops it."""
        server = self._server
        if server is None or server.should_exit:
            return
        server.should_exit = True  # stop accepting; finish the requests under way, then end
        signal.setitimer(signal.ITIMER_REAL, self.drain + GRACE)  # SIGALRM: the latest end
        with contextlib.suppress(OSError):  # the supervisor is gone: nothing will replace us
            os.write(self._notify, os.getpid().to_bytes(4, "big"))

    def run(self, app: ASGIApp, quiet: bool = False) -> None:
        """Serve ``app`` until interrupted (Ctrl-C or SIGTERM end every process cleanly)."""
        config = _config(app, quiet, self.drain)
        self.sockets = _listen(self.host, self.port, self.processes)
        self._notices, self._notify = os.pipe()
        serving: dict[int, tuple[int, float]] = {}  # pid: the index of its socket, its start
        retiring: set[int] = set()
        quick = [0] * self.processes  # server processes in a row that ended as they started

        def start(index: int) -> None:
            with _signals_held():  # Ctrl-C cannot fall between the fork and this record
                serving[self._start(config, index)] = (index, time.monotonic())

        # Uvicorn shuts down on SIGTERM, then raises it again: here it must end in an
        # exception, so that the server processes are stopped before this one goes.
        previous = signal.signal(signal.SIGTERM, _terminated)
        try:
            for index in range(self.processes):
                start(index)
            while True:  # until interrupted
                ready, _, _ = select.select([self._notices], [], [], 0.2)
                if ready:
                    data = os.read(self._notices, 4096)
                    for at in range(0, len(data) - 3, 4):
                        pid = int.from_bytes(data[at : at + 4], "big")
                        if pid in serving:  # retired: its replacement starts now
                            index, _ = serving.pop(pid)
                            retiring.add(pid)
                            start(index)
                for pid, status in _ended([*serving, *retiring]):
                    retiring.discard(pid)
                    if pid not in serving:
                        continue
                    index, started = serving.pop(pid)
                    if os.WIFEXITED(status) and os.WEXITSTATUS(status) == NOT_STARTED:
                        raise ServerError(
                            "a server process could not start; see the messages above"
                        )
                    quick[index] = quick[index] + 1 if time.monotonic() - started < 1 else 0
                    if quick[index] >= QUICK_ENDS:
                        raise ServerError(
                            f"server processes ended {QUICK_ENDS} times in a row as they "
                            f"started (the last: {_status(status)}); see the messages above"
                        )
                    start(index)  # ended, or killed: replaced
        finally:
            signal.signal(signal.SIGTERM, previous)
            _stop([*serving, *retiring])
            for sock in self.sockets:
                sock.close()
            for fd in (self._notices, self._notify):
                os.close(fd)

    def _start(self, config: Any, index: int) -> int:
        """Fork a server process for socket ``index``; its pid."""
        import uvicorn

        supervisor = os.getpid()
        pid = os.fork()
        if pid:
            return pid
        status = 1  # the server process: serve until told to stop; never return
        try:
            _end_with_parent(supervisor)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.default_int_handler)
            signal.signal(signal.SIGALRM, signal.SIG_DFL)  # the alarm of overrun() must end us
            signal.pthread_sigmask(signal.SIG_UNBLOCK, HELD)
            os.close(self._notices)
            for other, sock in enumerate(self.sockets):
                if other != index:
                    sock.close()
            self._server = uvicorn.Server(config)
            try:
                self._server.run(sockets=[self.sockets[index]])
                status = 0
            except SystemExit as exit:  # Uvicorn's way of saying the application did not start
                status = exit.code if isinstance(exit.code, int) else 1
        finally:
            os._exit(status)


def _end_with_parent(parent: int) -> None:
    """Have the kernel send this process SIGTERM when ``parent`` ends, even killed outright
    (Linux's PR_SET_PDEATHSIG; elsewhere, nothing), so no server process outlives its
    supervisor and keeps the port."""
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1: PR_SET_PDEATHSIG
    if os.getppid() != parent:  # it ended before the request was made
        os._exit(1)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """SIGINT and SIGTERM held back (delivered when this ends) across a fork and its record."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _status(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return f"exit status {os.waitstatus_to_exitcode(status)}"


def _config(app: ASGIApp, quiet: bool, drain: float) -> Any:
    import uvicorn

    from regiongraph.serve.http import BoundedHttpToolsProtocol

    return uvicorn.Config(
        app if quiet else AccessLog(app),
        access_log=False,
        log_level="warning",
        server_header=False,
        timeout_graceful_shutdown=math.ceil(drain),  # a retired process: its queries' own time
        http=BoundedHttpToolsProtocol,  # llhttp, with a bound on a request's head
    )


def _listen(host: str, port: int, count: int) -> list[socket.socket]:
    """``count`` listening sockets on ``host:port`` (a free port for 0), in one reuse group."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sockets: list[socket.socket] = []
    try:
        for _ in range(count):
            sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
            sockets.append(sock)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            sock.bind((host, port))
            port = sock.getsockname()[1]  # the port chosen for 0, for the others
            sock.listen(2048)
            sock.set_inheritable(True)
    except OSError as error:
        for sock in sockets:
            sock.close()
        raise ServerError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
    return sockets


def _ended(pids: list[int]) -> list[tuple[int, int]]:
    """Those of ``pids`` (our server processes) that have ended, reaped, with their status."""
    found = []
    for pid in pids:
        with contextlib.suppress(ChildProcessError):
            ended, status = os.waitpid(pid, os.WNOHANG)
            if ended:
                found.append((pid, status))
    return found


def _terminated(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def _stop(children: list[int], grace: float = 10.0) -> None:
    """Ask the other server processes to finish (SIGTERM), then kill those still running."""
    for pid in children:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    waiting = set(children)
    while waiting and time.monotonic() < deadline:  # bounded by the grace period
        for pid in list(waiting):
            with contextlib.suppress(ChildProcessError):
                if os.waitpid(pid, os.WNOHANG)[0] == 0:
                    continue
            waiting.discard(pid)
        time.sleep(0.02)
    for pid in waiting:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
