"""Run the application with Uvicorn, with an access log in the Combined Log Format."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any, TextIO

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


def serve(app: ASGIApp, host: str, port: int, quiet: bool = False, processes: int = 1) -> None:
    """Serve ``app`` until interrupted (Ctrl-C or SIGTERM end it cleanly).

    With ``processes`` above one, the socket is bound here and that many server processes
    (this one and forked copies, which share the graph read before the fork) accept on it:
    one Python event loop per core. Each process has its own pool of query workers.
    """
    import uvicorn

    from regiongraph.serve.http import BoundedHttpToolsProtocol

    wrapped = app if quiet else AccessLog(app)
    config = uvicorn.Config(
        wrapped,
        host=host,
        port=port,
        access_log=False,
        log_level="warning",
        server_header=False,
        timeout_graceful_shutdown=5,
        http=BoundedHttpToolsProtocol,  # llhttp, with a bound on a request's head
    )
    if processes <= 1:
        uvicorn.Server(config).run()
        return
    sock = config.bind_socket()
    children: list[int] = []
    # Uvicorn shuts down on SIGTERM, then raises it again: here it must end in an exception,
    # so that the other server processes are stopped before this one goes.
    previous = signal.signal(signal.SIGTERM, _terminated)
    try:
        for _ in range(processes - 1):
            pid = os.fork()
            if pid == 0:  # a server process: serve until told to stop; never return
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                status = 1
                try:
                    uvicorn.Server(config).run(sockets=[sock])
                    status = 0
                finally:
                    os._exit(status)
            children.append(pid)
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        signal.signal(signal.SIGTERM, previous)
        _stop(children)
        sock.close()


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
