"""``regiongraph query``: named queries answer the document's facts, on both engines alike."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import sys
import xml.etree.ElementTree as ET

import pytest
from conftest import BASE, ROOT

from regiongraph.cli import main
from regiongraph.sparql.named import named_queries

QUERIES = named_queries(ROOT / "queries")
PARAMS = {
    "regions-in-prefecture": {"pref": "富山県"},
    "regions-in-field": {"field": "life-science"},
    "region-record": {"region": "とやまナノテクコネクト・コアコンピタンスエリア"},
}
TOYAMA = BASE + "region/2013-research-and-industry-advancement-3"
HOKURIKU = BASE + "region/2013-international-competitiveness-2"


@pytest.fixture(scope="session")
def data(built):
    return [built / "regiongraph.nt", built / "dataset.ttl", built / "ontology.ttl"]


def rows(runner, data, *args) -> list[dict[str, str]]:
    result = runner.invoke(
        main, ["query", *args, "--format", "csv", *sum((["--data", str(p)] for p in data), [])]
    )
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.output)))


def test_every_named_query_has_a_question() -> None:
    assert len(QUERIES) >= 9
    for query in QUERIES.values():
        assert query.question.endswith("?"), query.name


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_both_engines_give_identical_results(name, data) -> None:
    from regiongraph.api import answer

    params = PARAMS.get(name, {})
    fast, slow = (
        answer(name=name, params=params, data=data, project=ROOT, engine=engine).result
        for engine in ("oxigraph", "rdflib")
    )
    assert fast.kind == slow.kind
    if fast.kind == "select":
        assert fast.variables == slow.variables
        assert [[str(t) for t in row] for row in fast.rows] == [
            [str(t) for t in row] for row in slow.rows
        ]
        assert fast.rows or name == "organizations-serving-several"
    else:
        assert {str(t) for t in fast.triples} == {str(t) for t in slow.triples}
        assert fast.triples


def test_regions_per_category(runner, data) -> None:
    assert rows(runner, data, "--name", "regions-per-category") == [
        {"year": "2013", "category": "国際競争力強化地域", "regions": "4"},
        {"year": "2013", "category": "研究機能・産業集積高度化地域", "regions": "4"},
    ]


def test_regions_and_prefectures(runner, data) -> None:
    found = {
        (r["name"], r["prefecture"], r["method"], r["evidence"])
        for r in rows(runner, data, "--name", "regions-and-prefectures")
    }
    assert (
        "とやまナノテクコネクト・コアコンピタンスエリア",
        "富山県",
        "Explicit mention",
        "とやま",
    ) in found
    assert (
        "NIIGATA SKY PROJECT・イノベーション創出エリア",
        "新潟県",
        "Explicit mention",
        "NIIGATA",
    ) in found
    hokuriku = {p for (n, p, m, e) in found if n.endswith("北陸ライフサイエンスクラスター")}
    assert hokuriku == {"富山県", "石川県", "福井県"}
    assert len(found) == 10


@pytest.mark.parametrize(
    "pref",
    [
        "富山県",
        "富山",
        "とやま",
        "とやまけん",
        "Toyama",
        "TOYAMA",
        "16",
        "１６",
        "pref:16",
        BASE + "prefecture/16",
        f"<{BASE}prefecture/16>",
    ],
)
def test_regions_in_toyama_are_the_toyama_and_hokuriku_regions(runner, data, pref) -> None:
    """Every form the tool prints or a person types names the same prefecture."""
    found = rows(runner, data, "--name", "regions-in-prefecture", "--param", f"pref={pref}")
    assert [r["region"] for r in found] == [HOKURIKU, TOYAMA]
    assert {r["pref"] for r in found} == {BASE + "prefecture/16"}


@pytest.mark.parametrize(
    "field",
    [
        "ライフサイエンス",
        "Life science",
        "life-science",
        "field:life-science",
        BASE + "field/life-science",
    ],
)
def test_regions_in_a_field_by_any_of_its_forms(runner, data, field) -> None:
    found = rows(runner, data, "--name", "regions-in-field", "--param", f"field={field}")
    assert len({r["region"] for r in found}) == 5
    assert {r["field"] for r in found} == {BASE + "field/life-science"}


@pytest.mark.parametrize(
    "region",
    [
        "とやまナノテクコネクト・コアコンピタンスエリア",
        "Toyama Nanotech Connect Core Competence Area",
        "region:2013-research-and-industry-advancement-3",
        TOYAMA,
    ],
)
def test_a_region_record_by_any_of_its_forms(runner, data, region) -> None:
    files = sum((["--data", str(p)] for p in data), [])
    result = runner.invoke(
        main,
        [
            "query",
            "--name",
            "region-record",
            "--param",
            f"region={region}",
            "--format",
            "n-triples",
            *files,
        ],
    )
    assert result.exit_code == 0, result.output
    assert f"<{TOYAMA}> <{BASE}ontology#council>" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--name", "regions-in-prefecture", "--param", "pref=富山件"],
            "Error: parameter pref='富山件' matches no prefecture; nearest: 富山県, 岡山県",
        ),
        (
            ["--name", "regions-in-field", "--param", "field=biology"],
            "Error: parameter field='biology' matches no field",
        ),
        (
            ["--name", "region-record", "--param", "region=nowhere"],
            "Error: parameter region='nowhere' matches no region",
        ),
    ],
)
def test_a_parameter_that_matches_nothing_is_an_error_with_candidates(
    runner, data, args, message
) -> None:
    files = sum((["--data", str(p)] for p in data), [])
    result = runner.invoke(main, ["query", *args, *files])
    assert result.exit_code == 2
    assert result.output.startswith(message)
    assert len(result.output.splitlines()) == 1


def test_regions_in_shizuoka_and_ishikawa(runner, data) -> None:
    shizuoka = rows(runner, data, "--name", "regions-in-prefecture", "--param", "pref=静岡県")
    assert [r["name"] for r in shizuoka] == ["富士山麓ファルマバレー戦略推進地域"]
    ishikawa = rows(runner, data, "--name", "regions-in-prefecture", "--param", "pref=石川県")
    assert [r["region"] for r in ishikawa] == [HOKURIKU]
    assert rows(runner, data, "--name", "regions-in-prefecture", "--param", "pref=沖縄県") == []


def test_regions_per_field(runner, data) -> None:
    counts = {
        r["label"]: int(r["regions"]) for r in rows(runner, data, "--name", "regions-per-field")
    }
    assert counts["ものづくり"] == 4  # Hokuriku, Gunma, Niigata, Toyama
    assert counts["ライフサイエンス"] == 3  # Kanagawa, Hokuriku, Tottori
    assert counts["無人航空機"] == 1  # Niigata
    assert counts["ナノテクノロジー"] == 1  # Toyama


def test_regions_in_a_field_and_its_narrower_fields(runner, data) -> None:
    found = rows(runner, data, "--name", "regions-in-field", "--param", "field=ライフサイエンス")
    assert sorted({r["name"] for r in found}) == sorted(
        {
            "神奈川県国際ライフサイエンス実用化開発拠点",
            "健やかな少子高齢化社会の構築をリードする北陸ライフサイエンスクラスター",
            "富士山麓ファルマバレー戦略推進地域",
            "ぐんま次世代環境・医療新技術創出拠点",
            "鳥取次世代創業・健康産業創出地域",
        }
    )
    assert {r["matchedField"] for r in found if r["name"].startswith("富士山麓")} == {
        "Pharmaceuticals",
        "Cancer care",
        "Health industry",
        "Medical care",
        "Medical devices",
    }


def test_organizations_by_legal_form(runner, data) -> None:
    found = [
        (r["legalForm"], r["nameWithoutLegalForm"])
        for r in rows(runner, data, "--name", "organizations-by-legal-form")
    ]
    assert found[0] == ("一般財団法人", "北陸産業活性化センター")
    assert len(found) == 8
    assert {form for form, _ in found[1:]} == {"公益財団法人"}


def test_no_organization_serves_several_regions_in_fy2013(runner, data) -> None:
    assert rows(runner, data, "--name", "organizations-serving-several") == []


def test_an_organization_in_two_calls_is_found(runner, tmp_path) -> None:
    from test_build import SECOND_LIST

    project = tmp_path / "project"
    for part in ("data", "ontology", "shapes", "queries"):
        shutil.copytree(ROOT / part, project / part)
    (project / "data" / "source" / "fy2014.txt").write_text(SECOND_LIST, encoding="utf-8")
    args = ["query", "--project", str(project), "--name", "organizations-serving-several"]
    # no dist/ yet: query says so in one line and writes nothing
    refused = runner.invoke(main, [*args, "--format", "csv"])
    assert refused.exit_code == 2
    assert refused.output == (
        f"Error: {project / 'dist'}: no built graph here; run 'regiongraph build' first, "
        "or give the files with --data FILE\n"
    )
    assert not (project / "dist").exists()
    assert runner.invoke(main, ["build", "--project", str(project)]).exit_code == 0
    result = runner.invoke(main, [*args, "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert list(csv.DictReader(io.StringIO(result.output))) == [
        {
            "organization": BASE + "organization/toyama-new-industry-organization",
            "name": "公益財団法人富山県新世紀産業機構",
            "regions": "2",
            "calls": "2",
        }
    ]


def test_regions_with_wikidata(runner, data) -> None:
    found = rows(runner, data, "--name", "regions-with-wikidata")
    toyama = [r for r in found if r["region"] == TOYAMA]
    assert toyama == [
        {
            "region": TOYAMA,
            "prefecture": "富山県",
            "wikidata": "http://www.wikidata.org/entity/Q132929",
            "estatCode": "http://data.e-stat.go.jp/lod/sac/C16000",
        }
    ]
    assert len(found) == 10


@pytest.mark.parametrize(
    "region", ["とやまナノテクコネクト・コアコンピタンスエリア", f"<{TOYAMA}>", TOYAMA]
)
def test_region_record(runner, data, region) -> None:
    args = [
        "query",
        "--name",
        "region-record",
        "--param",
        f"region={region}",
        "--format",
        "n-triples",
    ]
    result = runner.invoke(main, [*args, *sum((["--data", str(p)] for p in data), [])])
    assert result.exit_code == 0, result.output
    text = result.output
    assert (
        f'<{TOYAMA}> <http://www.w3.org/2000/01/rdf-schema#label> "とやまナノテクコネクト・コアコンピタンスエリア"@ja .'
        in text
    )
    assert '"とやまナノテクコネクト推進協議会"@ja' in text  # its council
    assert '"公益財団法人富山県新世紀産業機構"@ja' in text  # its coordinating organization
    assert '"富山県の第2次産業は、' in text  # its plan's summary
    assert "鳥取" not in text


def test_result_formats(runner, data) -> None:
    base = ["query", "--name", "regions-per-category", *sum((["--data", str(p)] for p in data), [])]
    as_json = json.loads(runner.invoke(main, [*base, "--format", "json"]).output)
    assert as_json["head"]["vars"] == ["year", "category", "regions"]
    first = as_json["results"]["bindings"][0]
    assert first["year"] == {
        "type": "literal",
        "value": "2013",
        "datatype": "http://www.w3.org/2001/XMLSchema#integer",
    }
    assert first["category"] == {"type": "literal", "value": "国際競争力強化地域", "xml:lang": "ja"}
    xml = ET.fromstring(runner.invoke(main, [*base, "--format", "xml"]).output)
    ns = "{http://www.w3.org/2005/sparql-results#}"
    assert [v.get("name") for v in xml.iter(f"{ns}variable")] == ["year", "category", "regions"]
    assert len(list(xml.iter(f"{ns}result"))) == 2
    tsv = runner.invoke(main, [*base, "--format", "tsv"]).output.splitlines()
    assert tsv[0] == "?year\t?category\t?regions"
    year, category, regions = tsv[1].split("\t")
    assert (year, category) == (
        "2013",
        '"国際競争力強化地域"@ja',
    )
    assert regions in (
        "4",
        '"4"^^<http://www.w3.org/2001/XMLSchema#integer>',
    )  # both are SPARQL TSV
    table = runner.invoke(main, [*base, "--format", "table"]).output.splitlines()
    assert table[0].split() == ["year", "category", "regions"]
    assert table[2].split() == ["2013", "国際競争力強化地域", "4"]


def test_ask_exit_codes(runner, data) -> None:
    files = sum((["--data", str(p)] for p in data), [])
    yes = runner.invoke(main, ["query", "ASK { ?r rg:prefecture pref:16 }", *files])
    assert (yes.exit_code, yes.output) == (0, "true\n")
    no = runner.invoke(main, ["query", "ASK { ?r rg:prefecture pref:47 }", *files])
    assert (no.exit_code, no.output) == (1, "false\n")


def test_query_from_file_and_stdin(runner, data, tmp_path) -> None:
    files = sum((["--data", str(p)] for p in data), [])
    query = tmp_path / "q.rq"
    query.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?r a rg:Region }", encoding="utf-8")
    assert runner.invoke(
        main, ["query", "--file", str(query), "--format", "csv", *files]
    ).output.splitlines() == ["n", "8"]
    piped = runner.invoke(
        main,
        ["query", "--format", "csv", *files],
        input="SELECT (COUNT(*) AS ?n) WHERE { ?c a rg:Council }",
    )
    assert piped.output.splitlines() == ["n", "8"]


def test_syntax_error_shows_line_column_and_context(runner, data) -> None:
    files = sum((["--data", str(p)] for p in data), [])
    result = runner.invoke(
        main, ["query", "SELECT ?r\nWHERE {\n  ?r a rg:Region\n  FILTER (\n}", *files]
    )
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert lines[0].startswith("Error: SPARQL syntax error at line 5, column ")
    assert "    4 |   FILTER (" in lines
    assert "    5 | }" in lines


def test_unknown_name_update_and_parameters_are_refused(runner, data) -> None:
    files = sum((["--data", str(p)] for p in data), [])
    unknown = runner.invoke(main, ["query", "--name", "regions-in-kyoto", *files])
    assert unknown.exit_code == 2
    assert (
        "unknown query name 'regions-in-kyoto'; known queries: organizations-by-legal-form,"
        in unknown.output
    )
    update = runner.invoke(main, ["query", "DELETE WHERE { ?s ?p ?o }", *files])
    assert update.exit_code == 2
    assert (
        "update queries (INSERT, DELETE, LOAD, ...) are refused: query only reads" in update.output
    )
    missing = runner.invoke(main, ["query", "--name", "regions-in-prefecture", *files])
    assert missing.exit_code == 2
    assert (
        "query 'regions-in-prefecture': missing pref parameter; it takes: pref:" in missing.output
    )


def test_a_parameter_cannot_inject_sparql(runner, data) -> None:
    files = sum((["--data", str(p)] for p in data), [])
    evil = '富山県") || true || ("'
    named = runner.invoke(
        main, ["query", "--name", "regions-in-prefecture", "--param", f"pref={evil}", *files]
    )
    assert named.exit_code == 2  # resolved to nothing, never pasted into the query
    assert "matches no prefecture" in named.output
    adhoc = runner.invoke(
        main,
        [
            "query",
            "SELECT ?x WHERE { VALUES ?x { UNDEF } }",
            "--param",
            f"x={evil}",
            "--format",
            "csv",
            *files,
        ],
    )
    assert adhoc.exit_code == 0, adhoc.output
    assert list(csv.reader(io.StringIO(adhoc.output))) == [["x"], [evil]]


def test_list_and_prefixes(runner) -> None:
    listed = runner.invoke(main, ["query", "--list"]).output
    assert "regions-in-prefecture" in listed
    assert (
        "Which regions lie in a given prefecture? [--param pref=…: the prefecture: 富山県, 富山, "
        "とやま, Toyama, 16, pref:16 or its IRI]"
    ) in listed
    prefixes = runner.invoke(main, ["query", "--prefixes"]).output
    assert "PREFIX rg: <https://example.org/regiongraph/ontology#>" in prefixes
    assert "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>" in prefixes


HEAVY = ("pyshacl", "rdflib", "regiongraph.pipeline", "regiongraph.graph", "importlib.metadata")


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["query", "--list"],
        ["query", "--name", "regions-in-prefecture", "--param", "pref=富山県"],
    ],
    ids=["help", "list", "named-query"],
)
def test_commands_import_only_what_they_use(built, args) -> None:
    """``--help`` and a named query load neither rdflib, pyshacl nor the build pipeline."""
    import subprocess

    code = (
        "import sys; from click.testing import CliRunner; from regiongraph.cli import main; "
        f"r = CliRunner().invoke(main, {args!r} + sys.argv[1:]); "
        "assert r.exit_code == 0, r.output; "
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    )
    data = [] if args[0] == "--help" else ["--data", str(built / "regiongraph.nt")]
    out = subprocess.run(
        [sys.executable, "-c", code, *data], capture_output=True, text=True, cwd=ROOT
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_native_result_writers_agree_with_ours(runner, data, fmt) -> None:
    """Oxigraph writes CSV/JSON itself; the rdflib engine goes through regiongraph's writers."""
    files = sum((["--data", str(p)] for p in data), [])
    args = [
        "query",
        "--name",
        "regions-in-prefecture",
        "--param",
        "pref=富山県",
        "--format",
        fmt,
        *files,
    ]
    fast = runner.invoke(main, args).output
    slow = runner.invoke(main, [*args, "--engine", "rdflib"]).output
    if fmt == "csv":
        assert list(csv.reader(io.StringIO(fast))) == list(csv.reader(io.StringIO(slow)))
    else:
        assert json.loads(fast) == json.loads(slow)


def test_the_query_cache_is_made_for_large_graphs_only(runner, tmp_path, monkeypatch) -> None:
    from regiongraph.sparql import store

    project = tmp_path / "project"
    for part in ("data", "ontology", "shapes", "queries"):
        shutil.copytree(ROOT / part, project / part)
    assert runner.invoke(main, ["build", "--project", str(project)]).exit_code == 0
    args = ["query", "--project", str(project), "--name", "regions-per-category", "--format", "csv"]
    small = runner.invoke(main, args)
    assert small.exit_code == 0
    assert not (project / "dist" / ".oxigraph").exists()  # 0.3 MB: parsed, not cached
    monkeypatch.setattr(store, "CACHE_MIN_BYTES", 0)
    cached = runner.invoke(main, args)
    manifest = project / "dist" / ".oxigraph" / "manifest.json"
    assert manifest.is_file()
    again = runner.invoke(main, args)
    assert small.output == cached.output == again.output
    assert "国際競争力強化地域" in small.output


QUERY_PARAMS_FOR_SHOW = {
    "regions-in-prefecture": {"pref": "とやま"},
    "regions-in-field": {"field": "field:life-science"},
    "region-record": {"region": "Toyama Nanotech Connect Core Competence Area"},
}


@pytest.fixture(scope="module")
def oxigraph_server(built, tmp_path_factory):
    """A real Oxigraph server on 127.0.0.1 holding the build, through the Graph Store protocol."""
    import urllib.request

    from conftest import start_oxigraph

    process, url = start_oxigraph(tmp_path_factory.mktemp("oxigraph"))
    try:
        for name, media_type in (
            ("regiongraph.nt", "application/n-triples"),
            ("dataset.ttl", "text/turtle"),
            ("ontology.ttl", "text/turtle"),
        ):
            request = urllib.request.Request(
                f"{url}/store?default",
                data=(built / name).read_bytes(),
                headers={"Content-Type": media_type},
                method="POST",
            )
            urllib.request.urlopen(request, timeout=30)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_shown_queries_answer_the_same_on_a_sparql_endpoint(
    runner, data, oxigraph_server, name
) -> None:
    """--show gives a query any SPARQL 1.1 endpoint answers as regiongraph does."""
    import urllib.parse
    import urllib.request

    files = sum((["--data", str(p)] for p in data), [])
    params = sum(
        (["--param", f"{k}={v}"] for k, v in QUERY_PARAMS_FOR_SHOW.get(name, {}).items()), []
    )
    shown = runner.invoke(main, ["query", "--name", name, *params, "--show", *files])
    assert shown.exit_code == 0, shown.output
    assert "UNDEF" not in shown.output
    assert not re.search(r'"[^"]*[^\x00-\x7f][^"]*"(?!@|\^\^)', shown.output.split("WHERE", 1)[1])
    graph_query = "CONSTRUCT" in shown.output
    accept = "application/n-triples" if graph_query else "text/csv"
    request = urllib.request.Request(
        f"{oxigraph_server}/query",
        data=urllib.parse.urlencode({"query": shown.output}).encode(),
        headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
    )
    remote = urllib.request.urlopen(request, timeout=30).read().decode("utf-8")
    fmt = "n-triples" if graph_query else "csv"
    local = runner.invoke(main, ["query", "--name", name, *params, "--format", fmt, *files])
    assert local.exit_code == 0, local.output
    if graph_query:
        assert set(remote.splitlines()) == set(local.output.splitlines())
        assert remote.strip()
    else:
        assert list(csv.reader(io.StringIO(remote))) == list(csv.reader(io.StringIO(local.output)))
