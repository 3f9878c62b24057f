"""Uvicorn's httptools (llhttp) protocol, with a bound on the size of a request's head.

llhttp parses in C, about a third less work per request than h11, but puts no limit on a head:
httptools and Uvicorn gather the target and the header fields as they arrive, so a client that
sends an endless header field would make the server hold all of it. Here the bytes received
while a head is incomplete are counted, and past ``MAX_HEAD`` the request is answered 431 and
the connection closed. The count starts afresh after each head and after each message, so a
head may exceed the bound by at most one read (the bytes that followed the previous message in
the same read are not counted).
"""

from __future__ import annotations

from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

MAX_HEAD = 64 * 1024  # bytes of request line and header fields


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    """An HTTP/1.1 connection whose request heads may not exceed ``MAX_HEAD`` bytes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._in_head = True  # between messages, or within a head
        self._head_bytes = 0

    def data_received(self, data: bytes) -> None:
        if self._in_head:
            self._head_bytes += len(data)
        super().data_received(data)
        if self._in_head and self._head_bytes > MAX_HEAD and not self.transport.is_closing():
            self._refuse()

    def on_headers_complete(self) -> None:
        self._in_head, self._head_bytes = False, 0
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._in_head, self._head_bytes = True, 0
        super().on_message_complete()

    def _refuse(self) -> None:
        message = f"the request's head is larger than {MAX_HEAD} bytes".encode("ascii")
        self.transport.write(
            b"HTTP/1.1 431 Request Header Fields Too Large\r\n"
            b"content-type: text/plain; charset=utf-8\r\n"
            b"content-length: " + str(len(message)).encode("ascii") + b"\r\n"
            b"connection: close\r\n\r\n" + message
        )
        self.transport.close()
