"""Commands that behave under stress: runaway queries stopped, no network by surprise, clear
messages, prefixes that follow the build, one output convention."""

from __future__ import annotations

import csv
import io
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

import pytest
from conftest import ROOT

from regiongraph.cli import main

CROSS = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def data_args(built) -> list[str]:
    files = ("regiongraph.nt", "dataset.ttl", "ontology.ttl")
    return [arg for name in files for arg in ("--data", str(built / name))]


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "regiongraph", *args]


@pytest.mark.parametrize("query", [CROSS, COUNT], ids=["streaming", "blocking"])
def test_a_runaway_query_is_stopped_at_its_time_limit(built, query) -> None:
    start = time.monotonic()
    done = subprocess.run(  # the rows (hundreds of MB a second) go to /dev/null
        command("query", query, "--timeout", "2", *data_args(built)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        timeout=30,
        cwd=ROOT,
    )
    elapsed = time.monotonic() - start
    assert done.returncode == 124
    assert done.stderr == "Error: the query ran longer than 2 s and was stopped (--timeout)\n"
    assert 2 <= elapsed < 8


@pytest.mark.parametrize("query", [CROSS, COUNT], ids=["streaming", "blocking"])
def test_ctrl_c_stops_a_running_query_within_a_second(built, query) -> None:
    process = subprocess.Popen(
        command("query", query, *data_args(built)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    time.sleep(1.5)
    assert process.poll() is None  # still running
    process.send_signal(signal.SIGINT)
    sent = time.monotonic()
    try:
        returncode = process.wait(timeout=5)
    finally:
        process.kill()
    assert time.monotonic() - sent < 1.0
    assert returncode == 130
    assert process.stderr is not None and process.stderr.read() == "Error: interrupted\n"


@pytest.fixture
def listener():
    """A socket listening on 127.0.0.1 that records whether anything connected."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.settimeout(0.5)
    yield server
    server.close()


def connected(server: socket.socket) -> bool:
    try:
        client, _ = server.accept()
    except TimeoutError:
        return False
    client.close()
    return True


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
        "select * where {{ service silent <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
        "LOAD <http://127.0.0.1:{port}/data.ttl>",
        "INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
    ],
    ids=["service", "service-silent", "load", "update-with-service"],
)
def test_nothing_reaches_the_network(built, listener, template) -> None:
    port = listener.getsockname()[1]
    done = subprocess.run(
        command("query", template.format(port=port), *data_args(built)),
        capture_output=True,
        text=True,
        timeout=30,
        cwd=ROOT,
    )
    assert done.returncode == 2
    assert len(done.stderr.splitlines()) == 1
    assert "refused" in done.stderr
    assert not connected(listener)


def test_service_is_allowed_on_request(built, listener) -> None:
    port = listener.getsockname()[1]
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
    process = subprocess.Popen(
        command("query", query, "--allow-service", "--timeout", "5", *data_args(built)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )
    try:
        listener.settimeout(10)
        assert connected(listener)
    finally:
        process.kill()
        process.wait(timeout=10)


def test_the_lexer_tells_service_from_text_that_mentions_it() -> None:
    from regiongraph.rdf.sparql_lexer import service_positions

    assert service_positions('SELECT * WHERE { ?s ?p "SERVICE" }') == []
    assert service_positions("SELECT * WHERE { ?s <http://x/SERVICE> ?o } # SERVICE") == []
    assert service_positions("SELECT ?service WHERE { ?service schema:Service ?o }") == []
    assert service_positions("SELECT * WHERE {\n  SeRvIcE ?endpoint { ?s ?p ?o } }") == [(2, 3)]
    # '<' as less-than must not hide code in a would-be IRI
    tricky = "SELECT * WHERE { ?a ?b ?o FILTER(?o<'a>b') SERVICE <http://x/> { ?s ?p ?o } }"
    assert service_positions(tricky) != []


_FRAGMENTS = [
    *("PREFIX", "prefix", "BASE", "PREFIXES", "rg:", "rg:a.", "a.b:", ":", "::", "_:b", "_a:"),
    *("²a:", "é:", "PREFIX:", "PREFIX-x", "<http://x/>", "<", ">", "<a b>", " ", "\n", "\t"),
    *("#c\n", "#", "INSERT", "DATA", "LOAD", "delete", "SELECT", "WITH", ".", "'s'", '"s"'),
    *("@en", "-", "{", "}", "(", "?x", "1", "\\u0049NSERT"),
]


def _update_by_tokens(text: str) -> bool:
    """looks_like_update as it was written before its prologue fast path: token by token."""
    from regiongraph.rdf.sparql_lexer import _UPDATE_WORDS, tokens

    for kind, value, _ in tokens(text):
        if kind == "word" and value.upper() in ("PREFIX", "BASE"):
            continue
        if kind in ("pname", "iri"):
            continue
        return kind == "word" and value.upper() in _UPDATE_WORDS
    return False


def test_the_prologue_fast_path_reads_updates_as_the_tokens_do() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from regiongraph.rdf.sparql_lexer import looks_like_update

    assert looks_like_update("PREFIX rg: <http://x/>\nBASE <http://y/>\n# c\nINSERT DATA {}")
    assert not looks_like_update("PREFIX rg: <http://x/>\nSELECT * { ?s ?p ?o }")
    assert not looks_like_update("PREFIX rg:. INSERT DATA {}")  # '.' ends the prologue

    @settings(max_examples=3000, deadline=None)
    @given(st.lists(st.sampled_from(_FRAGMENTS), max_size=14))
    def agree(parts: list[str]) -> None:
        text = "".join(parts)
        assert looks_like_update(text) == _update_by_tokens(text), text

    agree()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Error: empty query: give a SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE)"),
        ("# only a comment\n", "Error: empty query: only comments; give a SPARQL query"),
        (
            "SELECT * WHERE { ?s foo:bar ?o }",
            "Error: SPARQL syntax error: unknown prefix 'foo:' at line 1, column 21: declare it "
            "with PREFIX ('regiongraph query --prefixes' lists the predeclared ones)",
        ),
    ],
    ids=["empty", "comment-only", "unknown-prefix"],
)
def test_query_mistakes_get_one_line(runner, built, query, message) -> None:
    result = runner.invoke(main, ["query", query, *data_args(built)])
    assert result.exit_code == 2
    assert result.output == message + "\n"


@pytest.mark.parametrize("content", ["", "# nothing here\n"], ids=["empty", "comment-only"])
@pytest.mark.parametrize("command_name", ["validate", "query"])
def test_an_empty_rdf_file_is_an_input_error(runner, tmp_path, content, command_name) -> None:
    path = tmp_path / "empty.ttl"
    path.write_text(content, encoding="utf-8")
    args = (
        ["validate", str(path)]
        if command_name == "validate"
        else ["query", "ASK {}", "--data", str(path)]
    )
    result = runner.invoke(main, args)
    assert result.exit_code == 2
    assert result.output == f"Error: {path}: no triples (an empty or comment-only file)\n"


def test_prefixes_follow_the_base_iri_of_the_build(runner, tmp_path) -> None:
    project = tmp_path / "project"
    for part in ("data", "ontology", "shapes", "queries"):
        shutil.copytree(ROOT / part, project / part)
    base = "https://data.example.jp/regiongraph/"
    built = runner.invoke(main, ["build", "--project", str(project), "--base-iri", base])
    assert built.exit_code == 0, built.output
    ask = runner.invoke(
        main, ["query", "--project", str(project), "ASK { ?r rg:prefecture pref:16 }"]
    )
    assert (ask.exit_code, ask.output) == (0, "true\n")
    listed = runner.invoke(main, ["query", "--project", str(project), "--prefixes"]).output
    assert f"PREFIX pref: <{base}prefecture/>" in listed


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_every_result_format_ends_with_a_newline(runner, built, fmt) -> None:
    result = runner.invoke(
        main, ["query", "--name", "regions-per-category", "-f", fmt, *data_args(built)]
    )
    assert result.exit_code == 0
    assert result.output.endswith("\n")


def test_csv_is_rfc_4180_on_every_command(built) -> None:
    """CRLF line ends, as RFC 4180 and SPARQL's CSV results say, from query and from extract."""
    for args in (
        ["query", "--name", "regions-per-category", "-f", "csv", *data_args(built)],
        ["extract", "-f", "csv"],
    ):
        out = subprocess.run(command(*args), capture_output=True, check=True, cwd=ROOT).stdout
        lines = out.split(b"\r\n")
        assert len(lines) > 2 and all(b"\n" not in line for line in lines), args


def test_results_stream_before_the_query_ends(built) -> None:
    """A large SELECT shows its first rows at once (Oxigraph writes them as it makes them)."""
    process = subprocess.Popen(
        command("query", CROSS, "-f", "csv", *data_args(built)),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.read(100_000)
        assert first.startswith(b"a,b,c,d,e,f,g,h,i,j,k,l\r\n")
        assert process.poll() is None  # still producing rows
    finally:
        process.kill()
        process.wait(timeout=10)


def test_table_cells_can_be_shown_whole(runner, built) -> None:
    args = ["query", "--name", "regions-and-prefectures", "-f", "table", *data_args(built)]
    cut = runner.invoke(main, args).output
    whole = runner.invoke(main, [*args, "--width", "0"]).output
    name = "健やかな少子高齢化社会の構築をリードする北陸ライフサイエンスクラスター"
    assert name not in cut and "…" in cut
    assert name in whole


def test_ctrl_c_in_build_exits_130_and_writes_nothing(runner, tmp_path, monkeypatch) -> None:
    import regiongraph.pipeline

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(regiongraph.pipeline, "validate_graph_file", interrupted)
    out = tmp_path / "dist"
    result = runner.invoke(main, ["build", "--project", str(ROOT), "--out", str(out)])
    assert result.exit_code == 130
    assert result.output == "Error: interrupted\n"
    assert not out.exists()
    assert os.listdir(tmp_path) == []  # no staging directory left either


def test_auto_engine_choice_counts_bytes_not_only_triples() -> None:
    from regiongraph.validation.validate import choose_engine

    assert choose_engine("auto", 10, 100) == "pyshacl"
    assert choose_engine("auto", 10, 10_000_000) == "fast"  # one region with a 10 MB cell
    assert choose_engine("auto", 30_000, 100) == "fast"


def _stderr_on_a_terminal(args: list[str], cwd) -> str:
    """Run a command with standard error on a pseudo-terminal; what it wrote there."""
    import pty

    main_fd, terminal = pty.openpty()
    try:
        done = subprocess.run(
            command(*args), stdout=subprocess.DEVNULL, stderr=terminal, cwd=cwd, timeout=120
        )
        assert done.returncode == 0
        os.close(terminal)
        terminal = -1
        chunks = []
        while True:
            try:
                chunk = os.read(main_fd, 65536)
            except OSError:  # the terminal's other end is closed: all read
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks).decode("utf-8")
    finally:
        if terminal != -1:
            os.close(terminal)
        os.close(main_fd)


def test_progress_shows_on_a_terminal_only(tmp_path) -> None:
    project = tmp_path / "project"
    for part in ("data", "ontology", "shapes", "queries"):
        shutil.copytree(ROOT / part, project / part)
    shown = _stderr_on_a_terminal(["build", "--project", str(project)], tmp_path)
    assert "parse: 8 regions in 1 lists" in shown
    assert "graph: " in shown and " triples" in shown
    assert "validate: conforms, 1 results" in shown
    assert "serialize turtle" in shown and "serialize json-ld" in shown
    assert _stderr_on_a_terminal(["build", "--project", str(project), "--quiet"], tmp_path) == ""
    piped = subprocess.run(
        command("build", "--project", str(project)), capture_output=True, text=True, cwd=tmp_path
    )
    assert piped.returncode == 0 and piped.stderr == ""


def test_limit_rows_stops_a_large_answer(built) -> None:
    done = subprocess.run(
        command("query", CROSS, "-f", "csv", "--limit-rows", "3", *data_args(built)),
        capture_output=True,
        timeout=60,
        cwd=ROOT,
    )
    assert done.returncode == 0
    rows = list(csv.reader(io.StringIO(done.stdout.decode("utf-8"))))
    assert rows[0] == list("abcdefghijkl") and len(rows) == 4
