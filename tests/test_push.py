"""regiongraph push: the built dataset into a real Oxigraph server through the Graph Store
protocol; replaced, not doubled; a store killed mid-upload, failing, refusing credentials (Apache
httpd with digest and basic authentication in front of Oxigraph), silent or absent."""

from __future__ import annotations

import hashlib
import http.server
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import rdflib
from conftest import BASE, copy_project, free_port, start_oxigraph, wait_until_serving

GRAPH = BASE + "dataset"
TOYAMA = BASE + "region/2013-research-and-industry-advancement-3"


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    from click.testing import CliRunner

    from regiongraph.cli import main

    found = copy_project(tmp_path_factory.mktemp("push") / "project")
    assert CliRunner().invoke(main, ["build", "--project", str(found)]).exit_code == 0
    return found


@pytest.fixture(scope="module")
def local_count(project) -> int:
    """Distinct triples of the graph, its description and the ontology, counted by rdflib."""
    graph = rdflib.Graph()
    for name in ("regiongraph.nt", "dataset.ttl", "ontology.ttl"):
        graph.parse(project / "dist" / name)
    return len(graph)


@pytest.fixture
def oxigraph(tmp_path):
    location = tmp_path / "store"
    process, url = start_oxigraph(location)
    state = {"process": process, "url": url, "location": location}
    yield state
    state["process"].terminate()
    state["process"].wait(timeout=10)


def push(project: Path, *options: str, env: dict[str, str] | None = None):
    return subprocess.run(
        [sys.executable, "-m", "regiongraph", "push", "--project", str(project), *options],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


def count(url: str, graph: str = GRAPH) -> int:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    request = urllib.request.Request(
        f"{url}/query?" + urllib.parse.urlencode({"query": query}), headers={"Accept": "text/csv"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return int(response.read().decode().split()[1])


def ask(url: str, query: str) -> bool:
    request = urllib.request.Request(
        f"{url}/query?" + urllib.parse.urlencode({"query": query}),
        headers={"Accept": "application/sparql-results+json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        import json

        return bool(json.loads(response.read())["boolean"])


def test_push_loads_the_dataset_and_a_second_push_replaces_it(project, oxigraph, local_count):
    url = oxigraph["url"]
    stale = urllib.request.Request(  # a graph of the same name from "last year"
        f"{url}/store?graph={urllib.parse.quote(GRAPH)}",
        data=b'<urn:stale> <urn:p> "last year" .\n',
        headers={"Content-Type": "application/n-triples"},
        method="PUT",
    )
    urllib.request.urlopen(stale, timeout=30)
    done = push(project, "--endpoint", f"{url}/store", "--gzip")
    assert done.returncode == 0, done.stderr
    assert f"pushed {local_count} triples into <{GRAPH}>" in done.stdout
    assert count(url) == local_count
    assert ask(
        url,
        f'ASK {{ GRAPH <{GRAPH}> {{ <{TOYAMA}> <http://www.w3.org/2000/01/rdf-schema#label> "とやまナノテクコネクト・コアコンピタンスエリア"@ja }} }}',
    )
    assert not ask(url, f"ASK {{ GRAPH <{GRAPH}> {{ <urn:stale> ?p ?o }} }}")  # replaced
    again = push(project, "--endpoint", f"{url}/store", "--query-endpoint", f"{url}/query")
    assert again.returncode == 0, again.stderr
    assert count(url) == local_count  # replaced, not doubled
    other = push(project, "--endpoint", f"{url}/store", "--graph", "urn:regiongraph:copy")
    assert other.returncode == 0 and count(url, "urn:regiongraph:copy") == local_count
    assert count(url) == local_count


SLOW_PUSH = """
import sys, time
import regiongraph.push as p
from regiongraph import api
p.CHUNK = 1 << 14
plain = p._Body._plain
def slow(self, tail):
    for chunk in plain(self, tail):
        time.sleep(0.25)
        yield chunk
p._Body._plain = slow
try:
    api.push(sys.argv[1], project=sys.argv[2])
except Exception as error:
    print(error, file=sys.stderr)
    sys.exit(3)
"""


def test_a_store_killed_mid_upload_keeps_the_old_graph(project, oxigraph, local_count, tmp_path):
    url = oxigraph["url"]
    assert push(project, "--endpoint", f"{url}/store").returncode == 0
    # The second upload is slowed on our side (16 KiB every 250 ms, about 5 s in all), and the
    # server is killed outright a second into it.
    slow = subprocess.Popen(
        [sys.executable, "-c", SLOW_PUSH, f"{url}/store", str(project)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(1.0)
    oxigraph["process"].send_signal(signal.SIGKILL)
    oxigraph["process"].wait(timeout=10)
    _, stderr = slow.communicate(timeout=60)
    assert slow.returncode == 3
    assert "the connection broke off" in stderr or "connection refused" in stderr
    assert len(stderr.strip().splitlines()) == 1
    port = int(url.rsplit(":", 1)[1])
    oxigraph["process"], oxigraph["url"] = start_oxigraph(oxigraph["location"], port)
    assert count(oxigraph["url"]) == local_count  # the old graph, whole


class _Failing(http.server.BaseHTTPRequestHandler):
    def do_PUT(self) -> None:  # noqa: N802
        length = self.headers.get("Content-Length")
        if length:
            self.rfile.read(int(length))
        else:  # chunked: read to the last chunk
            while (size := int(self.rfile.readline().strip() or b"0", 16)) > 0:
                self.rfile.read(size + 2)
            self.rfile.readline()
        body = b"Internal Server Error: disk full\n"
        self.send_response(500)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_HEAD = do_PUT  # noqa: N815

    def log_message(self, *args: object) -> None:
        pass


def test_a_failing_store_gets_one_line_and_exit_3(project) -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Failing)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        done = push(project, "--endpoint", f"http://127.0.0.1:{server.server_port}/store")
    finally:
        server.shutdown()
    assert done.returncode == 3
    assert done.stderr.strip().splitlines() == [
        f"Error: http://127.0.0.1:{server.server_port}/store: the store answered 500 to the "
        "upload: Internal Server Error: disk full"
    ]


def test_a_silent_store_times_out_and_an_absent_one_is_refused(project) -> None:
    with socket.socket() as silent:  # accepts connections (the kernel does) but never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        start = time.monotonic()
        done = push(project, "--endpoint", f"http://127.0.0.1:{port}/store", "--timeout", "1")
        assert time.monotonic() - start < 30
    assert done.returncode == 3
    assert "the store did not answer within 1 s" in done.stderr
    absent = push(project, "--endpoint", f"http://127.0.0.1:{free_port()}/store")
    assert absent.returncode == 3 and "connection refused" in absent.stderr
    assert "Traceback" not in done.stderr + absent.stderr
    bad = push(project, "--endpoint", "ftp://example.org/store")
    assert bad.returncode == 3 and "not an http:// or https:// address" in bad.stderr


APACHE_MODULES = (
    "mpm_event", "authz_core", "authn_core", "authn_file", "auth_basic", "auth_digest",
    "authz_user", "proxy", "proxy_http",
)  # fmt: skip


@pytest.fixture
def guarded(oxigraph):
    """Apache httpd on 127.0.0.1 in front of Oxigraph: /digest/ with digest, /basic/ with basic."""
    from conftest import start_apache

    work = Path(tempfile.mkdtemp(prefix="regiongraph-auth-"))
    try:
        work.chmod(0o755)
        realm, user, password = "regiongraph", "loader", "s3cret-パス"
        ha1 = hashlib.md5(f"{user}:{realm}:{password}".encode()).hexdigest()
        (work / "digest").write_text(f"{user}:{realm}:{ha1}\n")
        import base64

        sha = base64.b64encode(hashlib.sha1(password.encode()).digest()).decode()
        (work / "basic").write_text(f"{user}:{{SHA}}{sha}\n")
        backend = oxigraph["url"]
        body = (
            f"<Location /digest/>\n  AuthType Digest\n  AuthName {realm}\n"
            f"  AuthDigestProvider file\n  AuthUserFile {work}/digest\n  Require valid-user\n"
            f"  ProxyPass {backend}/\n</Location>\n"
            f'<Location /basic/>\n  AuthType Basic\n  AuthName "{realm}"\n'
            f"  AuthBasicProvider file\n  AuthUserFile {work}/basic\n  Require valid-user\n"
            f"  ProxyPass {backend}/\n</Location>\n"
        )
        process, url = start_apache(work, APACHE_MODULES, body, "/digest/query")
        try:
            yield {"url": url, "user": user, "password": password}
        finally:
            process.terminate()
            process.wait(timeout=10)
    finally:
        shutil.rmtree(work, ignore_errors=True)


@pytest.mark.parametrize("scheme", ["digest", "basic"])
def test_credentials_from_the_environment(project, oxigraph, guarded, local_count, scheme):
    endpoint = f"{guarded['url']}/{scheme}/store"
    right = {
        "REGIONGRAPH_STORE_USER": guarded["user"],
        "REGIONGRAPH_STORE_PASSWORD": guarded["password"],
    }
    done = push(
        project,
        "--endpoint",
        endpoint,
        "--query-endpoint",
        f"{guarded['url']}/{scheme}/query",
        env=right,
    )
    assert done.returncode == 0, done.stderr
    assert count(oxigraph["url"]) == local_count
    wrong = push(project, "--endpoint", endpoint, env={**right, "REGIONGRAPH_STORE_PASSWORD": "no"})
    assert wrong.returncode == 3
    assert "the store refused the credentials" in wrong.stderr
    none = push(project, "--endpoint", endpoint, env={"REGIONGRAPH_STORE_USER": ""})
    assert none.returncode == 3 and "asks for credentials (401)" in none.stderr
    assert count(oxigraph["url"]) == local_count  # untouched by the refused attempts


VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")


@pytest.fixture
def virtuoso(tmp_path):
    """OpenLink Virtuoso (Debian's virtuoso-opensource) from a private database and ini, both
    ports on 127.0.0.1; a fresh database's administrator is dba/dba."""
    import re

    from test_site_consumers import require

    binary = require("virtuoso-t")
    if not VIRTUOSO_INI.is_file():
        pytest.fail(f"{VIRTUOSO_INI} is missing (apt-get install virtuoso-opensource)")
    work = tmp_path / "virtuoso"
    work.mkdir()
    sql, http_port = free_port(), free_port()
    ini = VIRTUOSO_INI.read_text(encoding="utf-8").replace(
        "/var/lib/virtuoso-opensource-7/db/", f"{work}/"
    )
    ini = re.sub(r"(?m)^ServerPort\s*=\s*1111\s*$", f"ServerPort = 127.0.0.1:{sql}", ini)
    ini = re.sub(r"(?m)^ServerPort\s*=\s*8890\s*$", f"ServerPort = 127.0.0.1:{http_port}", ini)
    assert f"127.0.0.1:{sql}" in ini and f"127.0.0.1:{http_port}" in ini
    (work / "virtuoso.ini").write_text(ini, encoding="utf-8")
    process = subprocess.Popen(
        [binary, "-f", "-c", str(work / "virtuoso.ini")],
        cwd=work,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{http_port}"
    try:
        wait_until_serving(f"{url}/sparql?query=ASK%7B%7D", 120)  # first start makes the db
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def test_push_into_virtuoso_with_digest_authentication(project, virtuoso, local_count) -> None:
    dba = {"REGIONGRAPH_STORE_USER": "dba", "REGIONGRAPH_STORE_PASSWORD": "dba"}
    endpoint = f"{virtuoso}/sparql-graph-crud-auth"
    query = ["--query-endpoint", f"{virtuoso}/sparql"]
    done = push(project, "--endpoint", endpoint, *query, env=dba)
    assert done.returncode == 0, done.stderr
    assert f"its graph holds {local_count})" in done.stdout
    again = push(project, "--endpoint", endpoint, *query, env=dba)
    assert again.returncode == 0, again.stderr  # replaced: the count matches again
    request = urllib.request.Request(
        f"{virtuoso}/sparql?"
        + urllib.parse.urlencode(
            {
                "query": f"SELECT ?l WHERE {{ GRAPH <{GRAPH}> {{ <{BASE}prefecture/16> "
                "<http://www.w3.org/2000/01/rdf-schema#label> ?l } }"
            }
        ),
        headers={"Accept": "application/sparql-results+json"},
    )
    import json

    with urllib.request.urlopen(request, timeout=30) as response:
        bindings = json.loads(response.read())["results"]["bindings"]
    assert sorted((b["l"]["value"], b["l"].get("xml:lang")) for b in bindings) == [
        ("Toyama", "en"),
        ("富山県", "ja"),  # non-ASCII literals arrive whole through the Graph Store protocol
    ]
    wrong = push(project, "--endpoint", endpoint, env={**dba, "REGIONGRAPH_STORE_PASSWORD": "x"})
    assert wrong.returncode == 3 and "refused the credentials" in wrong.stderr
