"""regiongraph link corporate-numbers: the NTA's bulk files (全件データ) read as published, the
matching rules, the curation file build uses, and the refusals of what is not NTA data.

The bulk files here are written by the test in the NTA's 30-column layout (data/reference/
LINKING.md, section c). Their corporations are synthetic: made-up numbers with valid check
digits, not real bodies' numbers, and they never reach the shipped data. The check digit is
tested on the real numbers LINKING.md cites.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
import rdflib
from conftest import BASE, copy_project

from regiongraph.cli import main
from regiongraph.link.corporate_numbers import check_digit, is_corporate_number

TOYAMA_ORG = "公益財団法人富山県新世紀産業機構"
HOKURIKU_ORG = "一般財団法人北陸産業活性化センター"


def number(base: str) -> str:
    """A synthetic corporate number: ``base`` (12 digits) with its check digit in front."""
    return f"{check_digit(base)}{base}"


TOYAMA_NO = number("900000000016")
ISHIKAWA_NO = number("900000000017")
KYOTO_NO = number("900000000026")
GUNMA_NO = number("900000000010")


def row(
    corporate: str,
    name: str,
    code: str,
    prefecture: str,
    *,
    latest: str = "1",
    process: str = "01",
    closed: str = "",
) -> list[str]:
    cells = [""] * 30
    cells[0], cells[1], cells[2], cells[3] = "1", corporate, process, "0"
    cells[4], cells[5], cells[6], cells[8] = "2026-01-30", "2015-10-05", name, "399"
    cells[9], cells[10], cells[11] = prefecture, "富山市", "高田527"
    cells[13], cells[14], cells[15] = code, "201", "9300866"
    cells[18], cells[22], cells[23] = closed, "2015-10-05", latest
    return cells


ROWS = [
    row(TOYAMA_NO, "公益財団法人富山県新世紀産業機構", "16", "富山県"),
    # the same name elsewhere (another prefecture): not the region's body
    row(number("900000000099"), "公益財団法人京都高度技術研究所", "13", "東京都"),
    row(KYOTO_NO, "（公財）京都高度技術研究所", "26", "京都府"),
    # a closed record and a superseded one: never taken
    row(
        number("900000000031"),
        "公益財団法人鳥取県産業振興機構",
        "31",
        "鳥取県",
        closed="2020-03-31",
        process="21",
    ),
    row(number("900000000032"), "公益財団法人鳥取県産業振興機構", "31", "鳥取県", latest="0"),
    # two corporations of one name in the region's prefectures: ambiguous
    row(ISHIKAWA_NO, "一般財団法人北陸産業活性化センター", "17", "石川県"),
    row(number("900000000018"), "一般財団法人 北陸産業活性化センター", "18", "福井県"),
    # renamed: the old name only in a superseded record, the current record under a new name
    row(GUNMA_NO, "公益財団法人群馬県産業支援機構", "10", "群馬県", latest="0"),
    row(GUNMA_NO, "公益財団法人群馬県産業創造機構", "10", "群馬県", process="11"),
    # old character forms and spaces: 縣
    row(number("900000000022"), "公益財団法人 静岡縣産業振興財団", "22", "静岡県"),
]


def csv_bytes(rows: list[list[str]], encoding: str) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def zipped(path: Path, member: str, data: bytes) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member, data)
    return path


@pytest.fixture
def project(tmp_path) -> Path:
    return copy_project(tmp_path / "project")


def link(runner, project: Path, *files: Path):
    return runner.invoke(
        main, ["link", "corporate-numbers", "--project", str(project), *map(str, files)]
    )


def test_the_check_digit_on_the_numbers_linking_md_cites() -> None:
    # LINKING.md, section c: gBizINFO's example resource and the IMI tools' example 法人番号.
    assert is_corporate_number("7120105001131") and is_corporate_number("4000012090001")
    assert not is_corporate_number("8120105001131") and not is_corporate_number("712010500113")


def test_matching_takes_only_certain_matches(runner, project, tmp_path) -> None:
    bulk = zipped(tmp_path / "00_zenkoku_all_20260130.zip", "00_zenkoku_all_20260130.csv",
                  csv_bytes(ROWS, "utf-8"))  # fmt: skip
    result = link(runner, project, bulk)
    assert result.exit_code == 0, result.output
    assert "read 10 rows: 3 organizations matched" in result.output
    with (project / "data/curation/corporate-numbers.csv").open(encoding="utf-8") as handle:
        matched = {r["organization"]: r for r in csv.DictReader(handle)}
    assert {name: r["corporate_number"] for name, r in matched.items()} == {
        TOYAMA_ORG: TOYAMA_NO,
        "公益財団法人京都高度技術研究所": KYOTO_NO,  # （公財） read as 公益財団法人; not Tokyo's
        "公益財団法人静岡県産業振興財団": number("900000000022"),  # 縣 read as 県, spaces ignored
    }
    assert (
        matched[TOYAMA_ORG]["source_file"]
        == "00_zenkoku_all_20260130.zip!00_zenkoku_all_20260130.csv"
    )
    assert matched[TOYAMA_ORG]["source_row"] == "1"
    assert matched[TOYAMA_ORG]["address"] == "富山県富山市高田527"
    with (project / "data/curation/corporate-numbers-unsettled.csv").open(
        encoding="utf-8"
    ) as handle:
        unsettled = {r["organization"]: r["reason"] for r in csv.DictReader(handle)}
    assert unsettled[HOKURIKU_ORG].startswith("several corporations of this name:")
    assert ISHIKAWA_NO in unsettled[HOKURIKU_ORG]
    assert unsettled["公益財団法人鳥取県産業振興機構"].startswith(
        "no current record"
    )  # closed, old
    assert len(unsettled) == 8 - 3


def test_the_same_inputs_give_the_same_files_and_shift_jis_reads_the_same(
    runner, project, tmp_path
) -> None:
    unicode = tmp_path / "unicode.csv"
    unicode.write_bytes(csv_bytes(ROWS, "utf-8"))
    sjis = tmp_path / "sjis.csv"
    sjis.write_bytes(csv_bytes(ROWS, "cp932"))
    curation = project / "data/curation/corporate-numbers.csv"
    assert link(runner, project, unicode).exit_code == 0
    first = curation.read_bytes()
    assert link(runner, project, unicode).exit_code == 0
    assert curation.read_bytes() == first
    assert link(runner, project, sjis).exit_code == 0
    assert curation.read_bytes() == first.replace(b"unicode.csv", b"sjis.csv")
    packed = zipped(
        tmp_path / "16_toyama_all_20260130.zip",
        "16_toyama_all_20260130.csv",
        csv_bytes(ROWS, "cp932"),
    )  # the Shift_JIS edition, zipped
    assert link(runner, project, packed).exit_code == 0
    assert curation.read_bytes() == first.replace(
        b"unicode.csv", b"16_toyama_all_20260130.zip!16_toyama_all_20260130.csv"
    )


def test_build_states_the_number_three_ways(runner, project, tmp_path) -> None:
    bulk = tmp_path / "bulk.csv"
    bulk.write_bytes(csv_bytes(ROWS, "utf-8"))
    assert link(runner, project, bulk).exit_code == 0
    built = runner.invoke(main, ["build", "--project", str(project)])
    assert built.exit_code == 0, built.output
    graph = rdflib.Graph().parse(project / "dist/regiongraph.ttl")
    org = rdflib.URIRef(BASE + "organization/toyama-new-industry-organization")
    rg = rdflib.Namespace(BASE + "ontology#")
    ic = rdflib.Namespace("http://imi.go.jp/ns/core/rdf#")
    assert graph.value(org, rg.corporateNumber) == rdflib.Literal(TOYAMA_NO)
    identifier = graph.value(org, ic.ID)
    assert graph.value(identifier, ic["識別値"]) == rdflib.Literal(TOYAMA_NO)
    assert graph.value(graph.value(identifier, ic["体系"]), ic["表記"]) == rdflib.Literal(
        "法人番号"
    )
    assert (
        org,
        rdflib.RDFS.seeAlso,
        rdflib.URIRef(f"http://hojin-info.go.jp/data/basic/{TOYAMA_NO}"),
    ) in graph
    assert graph.value(identifier, rg.matchSource) == rdflib.Literal("bulk.csv, row 1")
    hokuriku = rdflib.URIRef(BASE + "organization/hokuriku-industrial-advancement-center")
    assert graph.value(hokuriku, rg.corporateNumber) is None  # ambiguous: left out
    import json

    nodes = json.loads((project / "dist/regiongraph.jsonld").read_text(encoding="utf-8"))["@graph"]
    toyama = next(n for n in nodes if n["id"] == "organization/toyama-new-industry-organization")
    assert (
        toyama["corporateNumber"] == TOYAMA_NO and toyama["ID"] == f"corporate-number/{TOYAMA_NO}"
    )
    identifier = next(n for n in nodes if n["id"] == f"corporate-number/{TOYAMA_NO}")
    assert identifier["識別値"] == TOYAMA_NO  # IMI's own JSON-LD key
    assert not [key for node in nodes for key in node if ":" in key]  # every key compacted


def test_the_shipped_curation_holds_no_number_until_linked() -> None:
    from conftest import ROOT

    path = ROOT / "data/curation/corporate-numbers.csv"
    assert not path.exists() or len(path.read_text(encoding="utf-8").splitlines()) <= 1


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        (
            "thirty-one.csv",
            csv_bytes([[*ROWS[0], "extra"]], "utf-8"),
            ":1: 31 columns, where the NTA layout read here has 30",
        ),
        (
            "truncated.csv",
            csv_bytes(ROWS[:2], "utf-8") + ",".join(ROWS[2][:12]).encode(),
            ":3: 12 columns",
        ),
        (
            "not-nta.csv",
            csv_bytes([["a"] * 30], "utf-8"),
            ":1: column 2 is not a corporate number: 'a'",
        ),
        (
            "bad-check.csv",
            csv_bytes([row("8120105001131", "x", "16", "富山県")], "utf-8"),
            ":1: column 2 is not a corporate number",
        ),
        (
            "latin1.csv",
            csv_bytes(ROWS[:1], "utf-8").replace("富".encode(), b"\xff\xfe\xfd"),
            ": neither UTF-8",
        ),
        ("damaged.zip", b"PK\x03\x04" + b"\x00" * 40, "not a zip archive"),
        ("empty.csv", b"", ": empty: no rows"),
    ],
)
def test_what_is_not_nta_data_is_refused_and_nothing_is_written(
    runner, project, tmp_path, name, content, problem
) -> None:
    curation = project / "data/curation/corporate-numbers.csv"
    curation.write_text(",".join(["organization", "corporate_number", "matched_name", "address",
                                  "source_file", "source_row", "method"]) + "\n", encoding="utf-8")  # fmt: skip
    before = curation.read_bytes()
    bad = tmp_path / name
    bad.write_bytes(content)
    result = link(runner, project, bad)
    assert result.exit_code == 2
    assert problem in result.output, result.output
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert curation.read_bytes() == before
    assert not (project / "data/curation/corporate-numbers-unsettled.csv").exists()


def test_a_damaged_member_of_a_real_zip_is_refused(runner, project, tmp_path) -> None:
    good = zipped(tmp_path / "a.zip", "a.csv", csv_bytes(ROWS * 50, "utf-8"))
    data = bytearray(good.read_bytes())
    data[200:260] = b"\x00" * 60  # inside the compressed member
    bad = tmp_path / "b.zip"
    bad.write_bytes(bytes(data))
    result = link(runner, project, bad)
    assert result.exit_code == 2 and "b.zip" in result.output
    assert "Traceback" not in result.output


def test_blocks_of_a_few_rows_in_worker_processes_give_the_same_answer(
    project, tmp_path, monkeypatch
) -> None:
    """The scan cuts files into blocks for worker processes: row numbers and matches must be
    those of a plain read, wherever the cuts fall."""
    from regiongraph import api
    from regiongraph.errors import SourceError
    from regiongraph.link import corporate_numbers

    bulk = tmp_path / "bulk.csv"
    bulk.write_bytes(csv_bytes(ROWS * 3, "utf-8"))
    whole = api.link_corporate_numbers(bulk, project=project)
    expected = (project / "data/curation/corporate-numbers.csv").read_bytes()
    monkeypatch.setattr(corporate_numbers, "BLOCK", 300)  # a block or two of rows each
    cut = api.link_corporate_numbers(bulk, project=project)
    assert cut.rows_read == whole.rows_read == 30 and cut.matched == whole.matched
    assert (project / "data/curation/corporate-numbers.csv").read_bytes() == expected
    broken = tmp_path / "broken.csv"
    broken.write_bytes(
        csv_bytes(ROWS * 2, "utf-8") + csv_bytes([ROWS[0][:12]], "utf-8") + csv_bytes(ROWS, "utf-8")
    )
    with pytest.raises(SourceError) as raised:
        api.link_corporate_numbers(broken, project=project)
    assert raised.value.line == 21 and "12 columns" in raised.value.problem
