"""regiongraph export csv: one row per region, and CSVW metadata that real CSVW processors read
back as the graph's own triples (csvw_functions, which passes the W3C CSVW RDF test suite, over
HTTP on 127.0.0.1; and the csvw package for the table's typed, multi-valued cells)."""

from __future__ import annotations

import csv
import functools
import http.server
import threading
from pathlib import Path

import pytest
import rdflib
from conftest import BASE, copy_project

from regiongraph.cli import main

TOYAMA = BASE + "region/2013-research-and-industry-advancement-3"
HOKURIKU = BASE + "region/2013-international-competitiveness-2"
RG = rdflib.Namespace(BASE + "ontology#")


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    from click.testing import CliRunner

    project = copy_project(tmp_path_factory.mktemp("export") / "project")
    runner = CliRunner()
    assert runner.invoke(main, ["build", "--project", str(project)]).exit_code == 0
    result = runner.invoke(main, ["export", "csv", "--project", str(project)])
    assert result.exit_code == 0, result.output
    assert "exported 8 regions" in result.output
    return project / "dist"


def rows(dist: Path) -> dict[str, dict[str, str]]:
    with (dist / "regions.csv").open(encoding="utf-8", newline="") as handle:
        return {row["region IRI"]: row for row in csv.DictReader(handle)}


def test_one_row_per_region_with_the_source_documents_values(exported) -> None:
    table = rows(exported)
    assert len(table) == 8
    toyama = table[TOYAMA]
    assert toyama["name (ja)"] == "とやまナノテクコネクト・コアコンピタンスエリア"
    assert toyama["call year"] == "2013" and toyama["number in category"] == "3"
    assert toyama["category (ja)"] == "研究機能・産業集積高度化地域"
    assert toyama["prefecture codes"] == "16" and toyama["prefectures"] == "富山県"
    assert toyama["council (ja)"] == "とやまナノテクコネクト推進協議会"
    assert toyama["coordinating organization (ja)"] == "公益財団法人富山県新世紀産業機構"
    assert toyama["legal form (ja)"] == "公益財団法人"
    assert toyama["fields"] == "manufacturing nanotechnology"
    assert table[HOKURIKU]["prefecture codes"] == "16 17 18"
    assert table[HOKURIKU]["prefectures"] == "富山県 石川県 福井県"


@pytest.fixture(scope="module")
def served(exported):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(exported))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_a_csvw_processor_reads_the_tables_as_the_graphs_own_triples(exported, served) -> None:
    import csvw_functions

    group = csvw_functions.create_annotated_table_group(
        f"{served}/regions.csv-metadata.json", validate=True
    )
    read = rdflib.Graph().parse(
        data=csvw_functions.create_rdf(group, mode="minimal"), format="turtle"
    )
    graph = rdflib.Graph().parse(exported / "regiongraph.nt")
    assert len(read) > 100 and len(read - graph) == 0  # nothing the graph does not say
    for predicate in (
        RG.prefecture,
        RG.field,
        RG.council,
        RG.coordinatingOrganization,
        RG.call,
        RG.selectionCategory,
        RG.numberInCategory,
    ):
        assert set(read.triples((None, predicate, None))) == set(
            graph.triples((None, predicate, None))
        ), predicate
    toyama = rdflib.URIRef(TOYAMA)
    assert (
        toyama,
        rdflib.RDFS.label,
        rdflib.Literal("とやまナノテクコネクト・コアコンピタンスエリア", lang="ja"),
    ) in read
    assert set(read.objects(rdflib.URIRef(HOKURIKU), RG.prefecture)) == {
        rdflib.URIRef(f"{BASE}prefecture/{code}") for code in ("16", "17", "18")
    }


def test_the_csvw_package_reads_typed_and_multi_valued_cells(exported) -> None:
    from csvw import TableGroup

    group = TableGroup.from_file(exported / "regions.csv-metadata.json")
    group.check_referential_integrity()  # raises if a links row names no region
    regions = {row["region"].unsplit(): row for row in group.tables[0].iterdicts()}
    assert regions[HOKURIKU]["prefecture_codes"] == ["16", "17", "18"]
    assert regions[TOYAMA]["fields"] == ["manufacturing", "nanotechnology"]
    assert regions[TOYAMA]["number"] == 3 and regions[TOYAMA]["fiscal_year"] == 2013
    links = list(group.tables[1].iterdicts())
    assert {
        (r["region"].unsplit(), r["prefecture"]) for r in links if r["region"].unsplit() == HOKURIKU
    } == {(HOKURIKU, code) for code in ("16", "17", "18")}


def test_excel_gets_a_byte_order_mark_and_exports_are_deterministic(
    exported, tmp_path, runner
) -> None:
    project = exported.parent
    again = tmp_path / "again.csv"
    assert (
        runner.invoke(
            main, ["export", "csv", "--project", str(project), "-o", str(again)]
        ).exit_code
        == 0
    )
    assert again.read_bytes() == (exported / "regions.csv").read_bytes()
    excel = tmp_path / "excel.csv"
    assert (
        runner.invoke(
            main, ["export", "csv", "--project", str(project), "-o", str(excel), "--excel"]
        ).exit_code
        == 0
    )
    assert excel.read_bytes() == b"\xef\xbb\xbf" + again.read_bytes()
    assert (tmp_path / "excel.csv-metadata.json").is_file()


def test_export_without_a_build_says_so(tmp_path, runner) -> None:
    project = copy_project(tmp_path / "project")
    result = runner.invoke(main, ["export", "csv", "--project", str(project)])
    assert result.exit_code == 2
    assert "no built graph here; run 'regiongraph build' first" in result.output
