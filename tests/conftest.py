from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "data" / "source" / "regional-innovation-strategy-regions-fy2013.txt"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def source_text() -> str:
    return SOURCE.read_text(encoding="utf-8")


BASE = "https://example.org/regiongraph/"


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """The shipped project built once into a temporary directory."""
    from regiongraph.cli import main

    out = tmp_path_factory.mktemp("dist")
    result = CliRunner().invoke(main, ["build", "--project", str(ROOT), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="session")
def graph(built):
    import rdflib

    return rdflib.Graph().parse(built / "regiongraph.ttl")


def copy_project(destination: Path) -> Path:
    """A copy of the project's data, ontology, shapes and queries at ``destination``."""
    import shutil

    for part in ("data", "ontology", "shapes", "queries"):
        shutil.copytree(ROOT / part, destination / part)
    return destination


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_serving(url: str, seconds: float = 10) -> None:
    """Return once ``url`` answers (any HTTP status), or fail after ``seconds``."""
    import time
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


def start_oxigraph(location: Path, port: int | None = None):  # noqa: ANN201
    """A real Oxigraph server (PyPI ``oxigraph``) on 127.0.0.1: its process and its URL."""
    import subprocess
    import sys

    server = Path(sys.executable).with_name("oxigraph")
    port = port or free_port()
    process = subprocess.Popen(
        [str(server), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(f"{url}/query?query=ASK%7B%7D", 30)
    except BaseException:
        process.kill()
        raise
    return process, url


def start_apache(work: Path, modules: tuple[str, ...], body: str, ready: str):  # noqa: ANN201
    """Apache httpd from a private configuration in ``work`` on 127.0.0.1: process and URL.

    ``body``: the site's own directives; ``ready``: the path that answers once it serves. Its
    children drop root for ``nobody``, so what it serves must be readable by all.
    """
    import subprocess

    from test_site_consumers import require

    binary = require("apache2")
    port = free_port()
    loaded = "".join(f"LoadModule {m}_module modules/mod_{m}.so\n" for m in modules)
    (work / "httpd.conf").write_text(
        f"ServerRoot /usr/lib/apache2\nServerName 127.0.0.1\nListen 127.0.0.1:{port}\n"
        f"PidFile {work}/httpd.pid\nErrorLog {work}/error.log\n{loaded}"
        f"User nobody\nGroup nogroup\n{body}",
        encoding="utf-8",
    )
    config = ["-f", str(work / "httpd.conf")]
    checked = subprocess.run([binary, "-t", *config], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen(
        [binary, *config, "-DFOREGROUND"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(f"{url}{ready}")
    except BaseException:
        process.kill()
        raise
    return process, url
