"""Load the dataset into a triple store through the SPARQL 1.1 Graph Store HTTP Protocol.

One ``PUT`` replaces the named graph with the graph, its description and the ontology, so a
store that applies a request atomically (Oxigraph, Virtuoso, Fuseki, GraphDB do) shows readers
the old dataset or the new one, never half of either. The body is N-Triples, streamed from the
built files in chunks with its length stated (gzipped first into a temporary file with
``gzip=True``), so memory stays bounded whatever the graph's size. Credentials come from the
environment (basic or digest authentication). After the upload the store's graph is counted,
by a SPARQL query when a query endpoint is given, else by reading the graph back as N-Triples,
and compared with the triples sent.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import http.client
import os
import re
import secrets
import socket
import ssl
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from regiongraph.errors import StoreError
from regiongraph.project import Dist

USER_VARIABLE = "REGIONGRAPH_STORE_USER"
PASSWORD_VARIABLE = "REGIONGRAPH_STORE_PASSWORD"
CHUNK = 1 << 20
NTRIPLES = "application/n-triples"


@dataclass(frozen=True)
class PushResult:
    """What was pushed where, and what the store holds afterwards."""

    endpoint: str
    graph: str
    triples: int  # distinct triples sent
    stored: int  # triples in the store's graph afterwards
    status: int  # the store's answer to the PUT


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str

    @classmethod
    def from_environment(cls) -> Credentials | None:
        user = os.environ.get(USER_VARIABLE)
        if not user:
            return None
        return cls(user, os.environ.get(PASSWORD_VARIABLE, ""))


def push(
    dist: Dist,
    endpoint: str,
    graph: str,
    query_endpoint: str | None = None,
    gzip: bool = False,
    timeout: float = 300.0,
    credentials: Credentials | None = None,
) -> PushResult:
    """PUT the built dataset into ``graph`` at the Graph Store ``endpoint``; check the count."""
    files = dist.dataset_files()
    body = _Body(files)
    client = _Client(endpoint, timeout, credentials)
    target = _with_query(endpoint, {"graph": graph})
    headers = {"Content-Type": NTRIPLES}
    if gzip:
        headers["Content-Encoding"] = "gzip"
    with body.opened(gzip) as (length, chunks):
        headers["Content-Length"] = str(length)
        status, text = client.send("PUT", target, headers, chunks)
    if status not in (200, 201, 204):
        hint = " (does this store take a gzipped body? try without --gzip)" if gzip else ""
        raise StoreError(
            f"{endpoint}: the store answered {status} to the upload: {_first(text)}{hint}"
        )
    stored = (
        _count_by_query(client, query_endpoint, graph)
        if query_endpoint
        else client.lines(target, NTRIPLES)
    )
    if stored != body.count:
        raise StoreError(
            f"{endpoint}: the store's graph <{graph}> holds {stored} triples after the upload, "
            f"but {body.count} were sent"
        )
    return PushResult(endpoint, graph, body.count, stored, status)


class _Body:
    """The request body: the graph's N-Triples as they are on disk, then the small files'.

    The description and the ontology are Turtle: they are turned into N-Triples here (they are
    small), without the lines the graph already holds, so that ``count`` is the number of
    distinct triples a store will hold.
    """

    def __init__(self, files: list[Path]) -> None:
        from regiongraph.rdf.read import read_triples
        from regiongraph.rdf.write import to_ntriples

        self.graph = files[0]
        lines: dict[bytes, None] = {}
        for path in files[1:]:
            for line in to_ntriples(list(read_triples(path))).splitlines():
                lines[line] = None
        seen = 0
        with self.graph.open("rb") as handle:
            for line in handle:  # the graph's triples are distinct: the builder states each once
                line = line.rstrip(b"\n")
                if line and not line.startswith(b"#"):
                    seen += 1
                    lines.pop(line, None)
        self.rest = b"".join(line + b"\n" for line in lines)
        self.count = seen + len(lines)

    @contextlib.contextmanager
    def opened(self, gzip: bool) -> Iterator[tuple[int, Iterator[bytes]]]:
        """The body's length and its chunks.

        The length is sent as ``Content-Length``: some stores (Virtuoso) take a chunked body
        for an empty one. Gzipped, the body is compressed into a temporary file first, in
        chunks, so that its length is known and memory stays bounded.
        """
        with self.graph.open("rb") as handle:
            handle.seek(0, os.SEEK_END)
            size = handle.tell()
            if size:
                handle.seek(-1, os.SEEK_END)
                newline = handle.read(1) == b"\n"
            else:
                newline = True
        tail = (b"" if newline else b"\n") + self.rest
        if not gzip:
            yield size + len(tail), self._plain(tail)
            return
        compressor = zlib.compressobj(6, zlib.DEFLATED, 31)  # 31: with the gzip header
        with tempfile.TemporaryFile() as packed:
            for chunk in self._plain(tail):
                packed.write(compressor.compress(chunk))
            packed.write(compressor.flush())
            length = packed.tell()
            packed.seek(0)
            yield length, iter(functools.partial(packed.read, CHUNK), b"")

    def _plain(self, tail: bytes) -> Iterator[bytes]:
        with self.graph.open("rb") as handle:
            while chunk := handle.read(CHUNK):
                yield chunk
        yield tail


class _Client:
    """One store's HTTP(S) connections: timeouts, authentication and one-line errors."""

    def __init__(self, endpoint: str, timeout: float, credentials: Credentials | None) -> None:
        parts = urlsplit(endpoint)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise StoreError(f"{endpoint}: not an http:// or https:// address")
        self.endpoint, self.parts, self.timeout = endpoint, parts, timeout
        self.credentials = credentials
        self._digest: dict[str, str] | None = None
        self._count = 0

    def _connection(self) -> http.client.HTTPConnection:
        host, port = self.parts.hostname or "", self.parts.port
        if self.parts.scheme == "https":
            return http.client.HTTPSConnection(
                host, port, timeout=self.timeout, context=ssl.create_default_context()
            )
        return http.client.HTTPConnection(host, port, timeout=self.timeout)

    def send(
        self,
        method: str,
        target: str,
        headers: dict[str, str],
        body: Iterator[bytes] | bytes | None,
    ) -> tuple[int, str]:
        """One request, authenticated as the store asks; its status and (the start of) its text."""
        connection = self._connection()
        try:
            response = self._open(connection, method, target, headers, body)
            return response.status, response.read(1 << 16).decode("utf-8", "replace")
        except (OSError, http.client.HTTPException) as error:
            raise self._unreachable(error) from None
        finally:
            connection.close()

    def lines(self, target: str, accept: str) -> int:
        """GET ``target`` and count its non-empty lines, reading in chunks."""
        connection = self._connection()
        try:
            response = self._open(connection, "GET", target, {"Accept": accept}, None)
            if response.status != 200:
                text = response.read(2000).decode("utf-8", "replace")
                raise StoreError(
                    f"{self.endpoint}: the store answered {response.status} when the graph was "
                    f"read back: {_first(text)}"
                )
            count, last = 0, b"\n"
            while chunk := response.read(CHUNK):
                count += chunk.count(b"\n")
                last = chunk[-1:]
            return count + (0 if last == b"\n" else 1)
        except (OSError, http.client.HTTPException) as error:
            raise self._unreachable(error) from None
        finally:
            connection.close()

    def _open(
        self,
        connection: http.client.HTTPConnection,
        method: str,
        target: str,
        headers: dict[str, str],
        body: Iterator[bytes] | bytes | None,
        again: bool = True,
    ) -> http.client.HTTPResponse:
        streamed = isinstance(body, Iterator)
        if self.credentials and self._digest is None and streamed:
            self._challenge(target)  # learn the scheme before the body is streamed
        sent = {**headers, "User-Agent": "regiongraph-push"}
        authorization = self._authorization(method, target)
        if authorization:
            sent["Authorization"] = authorization
        try:
            connection.request(method, target, body=body, headers=sent)
        except (BrokenPipeError, ConnectionResetError):
            # The store answered before the body was all sent (a refusal, typically) and
            # closed the connection: its answer may still be there to read.
            try:
                response = connection.getresponse()
            except (OSError, http.client.HTTPException):
                raise ConnectionResetError("the store closed the connection") from None
        else:
            response = connection.getresponse()
        if response.status == 401:
            challenge = response.getheader("WWW-Authenticate", "")
            response.read()
            if self.credentials is None:
                raise StoreError(
                    f"{self.endpoint}: the store asks for credentials (401); set "
                    f"{USER_VARIABLE} and {PASSWORD_VARIABLE}"
                )
            digest = challenge.lower().startswith("digest")
            fresh = self._digest in (None, {}) or "stale=true" in challenge.lower()
            if digest and fresh and again and not streamed:
                self._digest = _parse_challenge(challenge)  # once more, with the answer
                return self._open(connection, method, target, headers, body, again=False)
            raise StoreError(
                f"{self.endpoint}: the store refused the credentials in {USER_VARIABLE} and "
                f"{PASSWORD_VARIABLE} (401)"
            )
        if response.status == 403:
            response.read()
            raise StoreError(
                f"{self.endpoint}: the store forbids this (403); check its permissions"
            )
        return response

    def _challenge(self, target: str) -> None:
        """Ask once without a body, so that a digest challenge is known before the upload."""
        connection = self._connection()
        try:
            connection.request("HEAD", target, headers={"User-Agent": "regiongraph-push"})
            response = connection.getresponse()
            response.read()
            challenge = response.getheader("WWW-Authenticate", "")
            if response.status == 401 and challenge.lower().startswith("digest"):
                self._digest = _parse_challenge(challenge)
            else:
                self._digest = {}
        except (OSError, http.client.HTTPException) as error:
            raise self._unreachable(error) from None
        finally:
            connection.close()

    def _authorization(self, method: str, target: str) -> str | None:
        if self.credentials is None:
            return None
        user, password = self.credentials.user, self.credentials.password
        if not self._digest:
            import base64

            token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
            return f"Basic {token}"
        self._count += 1
        return _digest_header(self._digest, user, password, method, target, self._count)

    def _unreachable(self, error: BaseException) -> StoreError:
        if isinstance(error, TimeoutError | socket.timeout):
            return StoreError(
                f"{self.endpoint}: the store did not answer within {self.timeout:g} s"
            )
        if isinstance(error, ConnectionRefusedError):
            return StoreError(f"{self.endpoint}: cannot connect: connection refused")
        if isinstance(error, socket.gaierror):
            return StoreError(f"{self.endpoint}: cannot resolve {self.parts.hostname}")
        if isinstance(error, ConnectionError | http.client.HTTPException):
            return StoreError(
                f"{self.endpoint}: the connection broke off ({error.__class__.__name__})"
            )
        return StoreError(f"{self.endpoint}: {error}")


def _parse_challenge(header: str) -> dict[str, str]:
    return {
        key.lower(): value.strip('"')
        for key, value in re.findall(r'(\w+)=("[^"]*"|[^,\s]+)', header.split(" ", 1)[-1])
    }


def _digest_header(
    challenge: dict[str, str], user: str, password: str, method: str, uri: str, count: int
) -> str:
    """RFC 7616 digest authentication (MD5 or SHA-256, qop=auth or none)."""
    algorithm = challenge.get("algorithm", "MD5")
    digest = hashlib.sha256 if algorithm.upper().startswith("SHA-256") else hashlib.md5

    def h(text: str) -> str:
        return digest(text.encode("utf-8")).hexdigest()

    realm, nonce = challenge.get("realm", ""), challenge.get("nonce", "")
    ha1, ha2 = h(f"{user}:{realm}:{password}"), h(f"{method}:{uri}")
    fields = {"username": user, "realm": realm, "nonce": nonce, "uri": uri}
    qop = challenge.get("qop", "")
    if "auth" in [q.strip() for q in qop.split(",")]:
        cnonce, nc = secrets.token_hex(8), f"{count:08x}"
        fields |= {"qop": "auth", "nc": nc, "cnonce": cnonce}
        fields["response"] = h(f"{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}")
    else:
        fields["response"] = h(f"{ha1}:{nonce}:{ha2}")
    if "opaque" in challenge:
        fields["opaque"] = challenge["opaque"]
    fields["algorithm"] = algorithm
    unquoted = {"qop", "nc", "algorithm"}
    return "Digest " + ", ".join(
        f"{k}={v}" if k in unquoted else f'{k}="{v}"' for k, v in fields.items()
    )


def _count_by_query(client: _Client, query_endpoint: str, graph: str) -> int:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    body = urlencode({"query": query}).encode("ascii")
    counter = _Client(query_endpoint, client.timeout, client.credentials)
    status, text = counter.send(
        "POST",
        _target(query_endpoint),
        {"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/csv"},
        body,
    )
    if status != 200:
        raise StoreError(f"{query_endpoint}: the count query got {status}: {_first(text)}")
    with contextlib.suppress(ValueError, IndexError):
        return int(text.split()[1].strip('"').split("^^")[0].strip('"'))
    raise StoreError(f"{query_endpoint}: the count query's answer is not a number: {_first(text)}")


def _target(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _with_query(endpoint: str, params: dict[str, str]) -> str:
    parts = urlsplit(endpoint)
    query = (parts.query + "&" if parts.query else "") + urlencode(params)
    return (parts.path or "/") + "?" + query


def _first(text: str) -> str:
    line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return line[:200] or "(no message)"
