"""regiongraph serve as users run it: the real server (Uvicorn) on 127.0.0.1, a real SPARQL
client (SPARQLWrapper), runaway queries beside ordinary requests, the access log."""

from __future__ import annotations

import concurrent.futures
import contextlib
import http.client
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import BASE, copy_project, free_port, wait_until_serving

TOYAMA = "region/2013-research-and-industry-advancement-3"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
COMBINED = re.compile(
    r'^127\.0\.0\.1 - - \[\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d [+-]\d{4}\] "(?P<request>[^"]*)" '
    r'(?P<status>\d{3}) (?P<bytes>\d+|-) "[^"]*" "(?P<agent>[^"]*)"$'
)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    from click.testing import CliRunner

    from regiongraph.cli import main

    found = copy_project(tmp_path_factory.mktemp("live") / "project")
    assert CliRunner().invoke(main, ["build", "--project", str(found)]).exit_code == 0
    return found


def _start(project: Path, log: Path, *options: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    command = [sys.executable, "-m", "regiongraph", "serve", "--project", str(project)]
    process = subprocess.Popen(
        [*command, "--port", str(port), *options],
        stdout=subprocess.DEVNULL,
        stderr=log.open("wb"),
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(f"{url}/index.html", 30)
    except BaseException:
        process.kill()
        raise
    return process, url


def _stop(process: subprocess.Popen) -> int:
    process.send_signal(signal.SIGINT)
    try:
        return process.wait(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()


@pytest.fixture(scope="module")
def server(project, tmp_path_factory):
    log = tmp_path_factory.mktemp("log") / "access.log"
    process, url = _start(project, log, "--timeout", "2", "--max-queries", "4")
    yield url, log, process
    _stop(process)


def _children(pid: int) -> list[int]:
    found = []
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children") as handle:
            found += [int(child) for child in handle.read().split()]
    return found


def test_sparqlwrapper_selects_asks_and_constructs(server) -> None:
    from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

    url, _, _ = server
    client = SPARQLWrapper(f"{url}/sparql")
    client.setQuery(
        "SELECT ?name WHERE { ?r rg:prefecture pref:16 ; rdfs:label ?name "
        'FILTER(lang(?name) = "ja") } ORDER BY ?name'
    )
    client.setReturnFormat(JSON)
    names = [b["name"]["value"] for b in client.queryAndConvert()["results"]["bindings"]]
    assert names == [  # the two regions of Toyama in the FY2013 list
        "とやまナノテクコネクト・コアコンピタンスエリア",
        "健やかな少子高齢化社会の構築をリードする北陸ライフサイエンスクラスター",
    ]
    client.setQuery("ASK { ?r rg:prefecture pref:13 }")  # no region in Tokyo
    assert client.queryAndConvert()["boolean"] is False
    client.setMethod("POST")
    client.setQuery(f"DESCRIBE <{BASE}prefecture/16>")
    client.setReturnFormat(TURTLE)
    described = client.queryAndConvert()
    assert b"Q132929" in described  # its Wikidata item, from the reference data


def test_sparqlwrapper_sees_updates_refused(server) -> None:
    from SPARQLWrapper import POST, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    url, _, _ = server
    client = SPARQLWrapper(f"{url}/sparql")
    client.setMethod(POST)
    client.setQuery("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    with pytest.raises((SPARQLWrapperException, urllib.error.HTTPError)) as raised:
        client.query()
    assert "403" in str(raised.value) or getattr(raised.value, "code", None) == 403


def _get(url: str, accept: str = "*/*") -> tuple[int, float]:
    start = time.monotonic()
    request = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            return response.status, time.monotonic() - start
    except urllib.error.HTTPError as error:
        return error.code, time.monotonic() - start


def _cpu_seconds(pids: set[int]) -> float:
    total = 0.0
    for pid in pids:
        with contextlib.suppress(OSError):
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def _until_gone(pid: int, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:  # bounded
        if not os.path.exists(f"/proc/{pid}"):
            return True
        time.sleep(0.05)
    return False


def test_runaway_queries_are_stopped_and_never_block_other_requests(server) -> None:
    url, _, process = server
    small = f"{url}/sparql?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})
    assert _get(small)[0] == 200
    (serving,) = _children(process.pid)  # one server process; the supervisor serves nothing
    runaway = f"{url}/sparql?" + urllib.parse.urlencode({"query": RUNAWAY})
    pages = [f"{url}/{TOYAMA}", f"{url}/prefecture/16", f"{url}/index.html"]
    with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool_of_clients:
        stopped = [pool_of_clients.submit(_get, runaway) for _ in range(3)]
        time.sleep(0.5)  # the runaways are running now, in three of the four query threads
        others = [pool_of_clients.submit(_get, page, "text/html") for page in pages * 10]
        quick = pool_of_clients.submit(_get, small)
        answered = [future.result() for future in others]
        assert all(status == 200 for status, _ in answered)
        assert max(seconds for _, seconds in answered) < 1.5  # while the runaways still run
        assert quick.result()[0] == 200 and quick.result()[1] < 1.5  # the fourth thread
        results = [future.result() for future in stopped]
    assert [status for status, _ in results] == [503, 503, 503]
    assert all(1.5 < seconds < 6 for _, seconds in results)
    # Only the end of its process stops a query: the one that ran them has ended (reaped),
    # and a fresh one, forked at the first overrun, serves in its place.
    assert _until_gone(serving)
    (fresh,) = _children(process.pid)
    assert fresh != serving and _get(small)[0] == 200
    tree = _tree(process.pid)
    before = _cpu_seconds(tree)
    time.sleep(1)
    assert _cpu_seconds(tree) - before < 0.3  # nothing runs on (a runaway takes a whole core)


def test_a_server_process_that_dies_is_replaced(server) -> None:
    url, _, process = server
    (serving,) = _children(process.pid)
    os.kill(serving, signal.SIGKILL)
    assert _until_gone(serving)
    assert _get(f"{url}/prefecture/16", "text/turtle")[0] == 200  # waited in the socket's queue
    (fresh,) = _children(process.pid)
    assert fresh != serving


def test_a_port_in_use_is_a_clear_error(project) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "regiongraph", "serve", "--project", str(project)]
            + ["--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}: Address already in use" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    "path",
    [
        "/assets/../../pyproject.toml",
        "/assets/%2e%2e/%2e%2e/pyproject.toml",
        "/../../../etc/passwd",
        "/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/assets/..%c0%af..%c0%afetc/passwd",
        "//etc/passwd",
    ],
)
def test_raw_traversal_requests_get_404(server, path) -> None:
    url, _, _ = server
    host, port = url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        connection.putrequest("GET", path, skip_accept_encoding=True)  # sent as written
        connection.endheaders()
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    assert response.status in (400, 404), (path, response.status)
    assert b"root:" not in body and b"[project]" not in body


def _raw(url: str, chunks: list[bytes]) -> bytes:
    """Send ``chunks`` one by one on a fresh connection; what the server answered."""
    import socket

    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        received = b""
        try:
            for chunk in chunks:
                sock.sendall(chunk)
            sock.shutdown(socket.SHUT_WR)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may close the connection before the last chunk: read its answer
        for _ in range(10_000):  # bounded: the server closes after its answer
            try:
                data = sock.recv(65536)
            except ConnectionResetError:
                break
            if not data:
                break
            received += data
        return received


@pytest.mark.parametrize("pieces", [1, 40])
def test_a_request_head_beyond_64_kib_gets_431_and_the_server_goes_on(server, pieces) -> None:
    url, _, _ = server
    head = b"GET /prefecture/16 HTTP/1.1\r\nHost: x\r\nX-Filler: " + b"a" * (100 * 1024)
    size = -(-len(head) // pieces)
    answer = _raw(url, [head[i : i + size] for i in range(0, len(head), size)])
    assert answer.startswith(b"HTTP/1.1 431 "), answer[:80]
    assert b"larger than 65536 bytes" in answer
    assert urllib.request.urlopen(f"{url}/prefecture/16", timeout=10).status == 200


def test_a_head_within_the_bound_and_a_body_beyond_it_are_served(server) -> None:
    url, _, _ = server
    filler = b"a" * (60 * 1024)
    answer = _raw(
        url,
        [
            b"GET /prefecture/16 HTTP/1.1\r\nHost: x\r\nX-Filler: " + filler + b"\r\n"
            b"Connection: close\r\n\r\n"
        ],
    )
    assert answer.startswith(b"HTTP/1.1 200 "), answer[:80]
    query = "ASK { ?s ?p ?o }" + " " * (300 * 1024)  # a 300 KiB body: within --max-body
    request = urllib.request.Request(
        f"{url}/sparql",
        data=query.encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200 and b'"boolean"' in response.read()


def test_the_access_log_is_in_the_combined_format(server) -> None:
    url, log, _ = server
    request = urllib.request.Request(f"{url}/prefecture/16", headers={"User-Agent": "probe/1"})
    urllib.request.urlopen(request, timeout=10).read()
    deadline = time.monotonic() + 5
    lines: list[str] = []
    while time.monotonic() < deadline:  # bounded: the log is flushed per request
        lines = [
            m.groupdict() for line in log.read_text().splitlines() if (m := COMBINED.match(line))
        ]  # type: ignore[misc]
        if any(line["agent"] == "probe/1" for line in lines):
            break
        time.sleep(0.05)
    ours = [line for line in lines if line["agent"] == "probe/1"]
    assert ours and ours[-1]["request"] == "GET /prefecture/16 HTTP/1.1"
    assert ours[-1]["status"] == "200" and int(ours[-1]["bytes"]) > 1000


def test_quiet_writes_no_access_log_and_ctrl_c_stops_cleanly(project, tmp_path) -> None:
    log = tmp_path / "quiet.log"
    process, url = _start(project, log, "--quiet")
    assert _get(f"{url}/{TOYAMA}")[0] == 200
    assert _stop(process) == 130  # interrupted, as every command exits on Ctrl-C
    written = log.read_text()
    assert "GET /" not in written and "Traceback" not in written


def _tree(pid: int) -> set[int]:
    found, queue = set(), [pid]
    while queue:  # bounded by the process tree
        current = queue.pop()
        if os.path.exists(f"/proc/{current}"):
            found.add(current)
            queue += _children(current)
    return found


def _listening_sockets(pid: int) -> set[str]:
    found = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        with contextlib.suppress(OSError):
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
            if target.startswith("socket:"):
                found.add(target)
    return found


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_several_server_processes_share_the_port_and_stop_together(project, tmp_path, stop) -> None:
    process, url = _start(project, tmp_path / "log", "--processes", "2", "--max-queries", "2")
    try:
        servers = _children(process.pid)  # two server processes; the supervisor serves none
        assert len(servers) == 2
        held = _listening_sockets(process.pid)  # the supervisor holds a socket for each
        first, second = (_listening_sockets(pid) & held for pid in servers)
        assert first and second and not first & second  # in one SO_REUSEPORT group
        small = f"{url}/sparql?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})
        requests = [f"{url}/{TOYAMA}", f"{url}/prefecture/16", small] * 20
        with concurrent.futures.ThreadPoolExecutor(max_workers=16) as clients:
            answered = list(clients.map(_get, requests))
        assert [status for status, _ in answered] == [200] * len(requests)
        tree = _tree(process.pid)
        assert len(tree) == 3  # the supervisor and the two servers (queries run in threads)
        process.send_signal(stop)
        process.wait(timeout=20)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and any(os.path.exists(f"/proc/{p}") for p in tree):
            time.sleep(0.05)  # bounded: both servers end with the supervisor
        assert not [p for p in tree if os.path.exists(f"/proc/{p}")]
        assert "Traceback" not in (tmp_path / "log").read_text()
    finally:
        if process.poll() is None:
            process.kill()


def test_serving_without_a_build_says_so(tmp_path) -> None:
    project = copy_project(tmp_path / "project")
    done = subprocess.run(
        [sys.executable, "-m", "regiongraph", "serve", "--project", str(project), "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "no built graph here; run 'regiongraph build' first" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_server_process_that_cannot_start_is_an_error_not_a_loop() -> None:
    from regiongraph.errors import ServerError
    from regiongraph.serve.server import Supervisor

    async def broken(scope, receive, send) -> None:  # an application whose startup fails
        if scope["type"] == "lifespan":
            await receive()
            await send({"type": "lifespan.startup.failed", "message": "no graph"})

    with pytest.raises(ServerError, match="a server process could not start"):
        Supervisor("127.0.0.1", 0, 2).run(broken, quiet=True)


def test_server_processes_end_with_a_supervisor_killed_outright(project, tmp_path) -> None:
    process, url = _start(project, tmp_path / "log", "--processes", "2")
    try:
        servers = _children(process.pid)
        assert len(servers) == 2
        process.kill()  # SIGKILL: the supervisor can stop nothing itself
        process.wait(timeout=10)
        assert all(_until_gone(pid) for pid in servers)  # the kernel told them (PDEATHSIG)
    finally:
        if process.poll() is None:
            process.kill()


RETIRING = """
import asyncio, os, sys
from regiongraph.serve.server import Supervisor

supervisor = Supervisor("127.0.0.1", int(sys.argv[1]), 1, drain=10)


async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            await send({"type": message["type"] + ".complete"})
            if message["type"] == "lifespan.shutdown":
                return
    if scope["path"] == "/overrun":  # as the query runner does at a query's deadline
        supervisor.overrun()
        body = b"retired"
    elif scope["path"] == "/slow":
        await asyncio.sleep(4)
        body = b"slow"
    else:
        body = str(os.getpid()).encode()
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": body})


supervisor.run(app, quiet=True)
"""


def test_a_retired_process_is_replaced_at_once_and_finishes_what_it_was_doing(tmp_path) -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-c", RETIRING, str(port)], stderr=(tmp_path / "log").open("wb")
    )
    url = f"http://127.0.0.1:{port}"

    def get(path: str) -> str:
        with urllib.request.urlopen(url + path, timeout=30) as response:
            return response.read().decode()

    try:
        wait_until_serving(url + "/", 30)
        first = int(get("/"))
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as client:
            slow = client.submit(get, "/slow")  # under way in the first process
            time.sleep(0.5)
            assert get("/overrun") == "retired"
            deadline, serving = time.monotonic() + 5, first
            while serving == first and time.monotonic() < deadline:  # bounded
                serving = int(get("/"))
                time.sleep(0.05)
            assert serving != first  # the replacement serves...
            assert os.path.exists(f"/proc/{first}")  # ...while the first still finishes
            assert slow.result() == "slow"  # 4 s: past GRACE, within its own time
        assert _until_gone(first)
        assert "Traceback" not in (tmp_path / "log").read_text()
    finally:
        _stop(process)
