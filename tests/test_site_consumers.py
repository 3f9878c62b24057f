"""The published site with its real consumers: headless Chromium (through Selenium and Debian's
chromedriver), and nginx and Apache negotiating content, all on 127.0.0.1 only."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import tempfile
import threading
import urllib.request
from pathlib import Path

import pytest
from conftest import copy_project, free_port, wait_until_serving

from regiongraph.cli import main

TOYAMA = "region/2013-research-and-industry-advancement-3"


#: A region's extension-less IRI, by Accept: the file served and its media type.
NEGOTIATED = pytest.mark.parametrize(
    ("accept", "suffix", "media_type"),
    [
        ("text/turtle", ".ttl", "text/turtle"),
        ("application/ld+json", ".jsonld", "application/ld+json"),
        ("application/n-triples", ".nt", "application/n-triples"),
        ("text/html,application/xhtml+xml,*/*;q=0.8", ".html", "text/html"),
    ],
)


def assert_negotiates(url: str, site: Path, accept: str, suffix: str, media_type: str) -> None:
    """The server at ``url`` answers the region's IRI with the site's file, typed and varied."""
    request = urllib.request.Request(f"{url}/{TOYAMA}", headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=10) as response:
        body = response.read()
        assert response.headers["Content-Type"].split(";")[0] == media_type
        assert "Accept" in response.headers.get("Vary", "")
    assert body == (site / f"{TOYAMA}{suffix}").read_bytes()


def require(tool: str) -> str:
    """The tool's path; CI (REGIONGRAPH_REQUIRE_SYSTEM_TOOLS) installs them, and fails without."""
    path = shutil.which(tool) or next(
        (p for p in (f"/usr/sbin/{tool}", f"/usr/bin/{tool}") if os.access(p, os.X_OK)), None
    )
    if path is None:
        if os.environ.get("REGIONGRAPH_REQUIRE_SYSTEM_TOOLS"):
            pytest.fail(f"{tool} is not installed (.ci/run installs it from Debian's packages)")
        pytest.skip(
            f"{tool} is not installed (apt-get install chromium chromium-driver nginx-light apache2 virtuoso-opensource)"
        )
    return path


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    from click.testing import CliRunner

    project = copy_project(tmp_path_factory.mktemp("site") / "project")
    runner = CliRunner()
    assert runner.invoke(main, ["build", "--project", str(project)]).exit_code == 0
    assert runner.invoke(main, ["publish", "--project", str(project)]).exit_code == 0
    return project / "dist" / "site"


@pytest.fixture(scope="module")
def served(site):
    """The site served by Python's own server on 127.0.0.1, recording every request path."""
    requests: list[str] = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:  # quiet; and record
            requests.append(self.path)

    handler = functools.partial(Handler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()
    server.server_close()


def test_chromium_shows_the_index_filters_it_switches_language_and_asks_nothing_outside(
    served, tmp_path
) -> None:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    url, requests = served
    options = webdriver.ChromeOptions()
    options.binary_location = require("chromium")
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--window-size=1200,1600",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(require("chromedriver")))
    try:
        driver.set_page_load_timeout(30)
        driver.get(f"{url}/index.html")
        assert "とやまナノテクコネクト・コアコンピタンスエリア" in driver.page_source
        rows = driver.find_elements(By.CSS_SELECTOR, "#regions tbody tr")
        assert len(rows) == 8
        assert len(driver.find_elements(By.CSS_SELECTOR, "svg rect.hosts")) == 9
        driver.save_screenshot(str(tmp_path / "index.png"))
        driver.find_element(By.ID, "filter").send_keys("富山")
        visible = [r for r in rows if r.is_displayed()]
        assert len(visible) == 2  # Hokuriku and Toyama
        driver.find_element(By.ID, "language").click()
        assert driver.find_element(By.CSS_SELECTOR, "h1 span[lang=en]").is_displayed()
        driver.get(f"{url}/{TOYAMA}.html")  # the choice is remembered
        heading = driver.find_element(By.CSS_SELECTOR, "h1 span[lang=en]")
        assert (
            heading.is_displayed()
            and heading.text == "Toyama Nanotech Connect Core Competence Area"
        )
        driver.save_screenshot(str(tmp_path / "region.png"))
        asked = [
            entry["message"]
            for entry in driver.get_log("performance")
            if '"Network.requestWillBeSent"' in entry["message"]
        ]
    finally:
        driver.quit()
    assert (tmp_path / "index.png").stat().st_size > 1000
    assert asked
    outside = [m for m in asked if '"url":"http' in m and f'"url":"{url}' not in m]
    assert outside == []
    assert "/assets/site.js" in requests


@pytest.fixture(scope="module")
def nginx(site, tmp_path_factory):
    binary = require("nginx")
    work = tmp_path_factory.mktemp("nginx")
    port = free_port()
    ours = (site / "nginx.conf").read_text(encoding="utf-8")
    ours = ours.replace("listen 8080;", f"listen 127.0.0.1:{port};")
    ours = ours.replace("root /srv/regiongraph/site;", f"root {site};")
    (work / "site.conf").write_text(ours, encoding="utf-8")
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must read pytest's 0700 dirs
    (work / "nginx.conf").write_text(
        f"{user}daemon off;\nworker_processes 1;\npid {work}/nginx.pid;\nerror_log {work}/error.log;\n"
        f"events {{}}\nhttp {{\n  access_log off;\n  client_body_temp_path {work};\n"
        f"  proxy_temp_path {work};\n  fastcgi_temp_path {work};\n  uwsgi_temp_path {work};\n"
        f"  scgi_temp_path {work};\n  include {work}/site.conf;\n}}\n",
        encoding="utf-8",
    )
    checked = subprocess.run(
        [binary, "-t", "-p", str(work), "-c", str(work / "nginx.conf")],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen(
        [binary, "-p", str(work), "-c", str(work / "nginx.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(f"{url}/index.html")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@NEGOTIATED
def test_nginx_negotiates_an_extension_less_iri(site, nginx, accept, suffix, media_type) -> None:
    assert_negotiates(nginx, site, accept, suffix, media_type)


APACHE_MODULES = ("mpm_event", "authz_core", "mime", "rewrite", "headers", "dir")


@pytest.fixture(scope="module")
def apache(site):
    """Apache httpd from a private configuration on 127.0.0.1, honouring the site's .htaccess."""
    from conftest import start_apache

    require("apache2")
    work = Path(tempfile.mkdtemp(prefix="regiongraph-apache-"))
    try:
        work.chmod(0o755)
        shutil.copytree(site, work / "site")
        body = (
            f"TypesConfig /etc/mime.types\nDocumentRoot {work}/site\n<Directory {work}/site>\n"
            "  AllowOverride All\n  Require all granted\n</Directory>\n"
        )
        process, url = start_apache(work, APACHE_MODULES, body, "/index.html")
        try:
            yield url
        finally:
            process.terminate()
            process.wait(timeout=10)
    finally:
        shutil.rmtree(work, ignore_errors=True)


@NEGOTIATED
def test_apache_negotiates_an_extension_less_iri_through_the_sites_htaccess(
    site, apache, accept, suffix, media_type
) -> None:
    assert_negotiates(apache, site, accept, suffix, media_type)
