"""The parser and ``regiongraph extract`` on the FY2013 source of record."""

from __future__ import annotations

import doctest
import hashlib
import json

import pytest
from conftest import SOURCE

from regiongraph.cli import main
from regiongraph.source import eras
from regiongraph.source import repair as text
from regiongraph.source.parse import parse_source


def test_source_of_record_is_unchanged() -> None:
    digest = hashlib.sha256(SOURCE.read_bytes()).hexdigest()
    assert digest == "f6f452b109b8b18e377c8dbcb6afc1db71e4726f362f9d5a2e652fbbf6829e32"


def test_document_level_facts() -> None:
    document = parse_source(SOURCE)
    assert document.title == "地域イノベーション戦略推進地域（平成25年度公募分）一覧"
    assert (document.fiscal_year, document.fiscal_year_label) == (2013, "平成25年度")
    assert document.attachment == "別添1"
    assert [(c.number, c.name, c.announced_count, c.line) for c in document.categories] == [
        (1, "国際競争力強化地域", 4, 7),
        (2, "研究機能・産業集積高度化地域", 4, 16),
    ]
    assert document.categories[0].description == (
        "海外からもヒト・モノ・カネを惹きつける強力なポテンシャルを持った地域"
    )
    assert document.categories[1].description == (
        "地域の特性を活かしたイノベーションが期待でき、将来的に海外市場を獲得できる"
        "ポテンシャルを有する地域"
    )


def test_region_names_numbers_and_lines() -> None:
    regions = parse_source(SOURCE).regions
    assert [(r.category.number, r.number, r.provenance.line, r.region_name) for r in regions] == [
        (1, 1, 11, "神奈川県国際ライフサイエンス実用化開発拠点"),
        (1, 2, 12, "健やかな少子高齢化社会の構築をリードする北陸ライフサイエンスクラスター"),
        (1, 3, 13, "富士山麓ファルマバレー戦略推進地域"),
        (1, 4, 14, "京都科学技術イノベーション創出地域"),
        (2, 1, 20, "ぐんま次世代環境・医療新技術創出拠点"),
        (2, 2, 21, "NIIGATA SKY PROJECT・イノベーション創出エリア"),
        (2, 3, 24, "とやまナノテクコネクト・コアコンピタンスエリア"),
        (2, 4, 25, "鳥取次世代創業・健康産業創出地域"),
    ]


def test_every_cell_of_the_kanagawa_row() -> None:
    kanagawa = parse_source(SOURCE).regions[0]
    assert kanagawa.cells() == (
        "神奈川県国際ライフサイエンス実用化開発拠点",
        "神奈川県ライフサイエンス実用化開発拠点推進協議会（仮称）",
        "公益財団法人神奈川県科学技術アカデミー",
        "神奈川県国際ライフサイエンス実用化開発拠点",
        "神奈川のもつ全国トップクラスの知的資源と産業の集積を生かし、国際競争力を生み出す"
        "科学技術基盤の構築と技術シーズの実用化展開、先端的研究開発をリードする人材の育成により、"
        "世界に通用する革新的な医薬品・医療機器の開発や新たな健康関連産業を創出する"
        "ライフサイエンス分野の実用化開発拠点を形成し、我が国の国際競争力向上を図りながら"
        "持続的な経済成長を牽引する。",
    )
    assert kanagawa.provenance.raw_cells == kanagawa.cells()


def test_every_cell_of_the_niigata_row_keeps_latin_spaces() -> None:
    niigata = parse_source(SOURCE).regions[5]
    assert niigata.cells()[:4] == (
        "NIIGATA SKY PROJECT・イノベーション創出エリア",
        "イノベーション推進協議会",
        "公益財団法人新潟県産業振興財団",
        "「NIIGATA SKY PROJECT」航空機産業の国内生産体制の確立と次世代航空機産業の創出",
    )
    assert niigata.summary.startswith("本地域では「第4期科学技術基本計画」における")


def test_line_wrap_repair_in_the_toyama_row() -> None:
    toyama = parse_source(SOURCE).regions[6]
    assert toyama.cells()[:4] == (
        "とやまナノテクコネクト・コアコンピタンスエリア",
        "とやまナノテクコネクト推進協議会",
        "公益財団法人富山県新世紀産業機構",
        "とやまナノテクコネクト・コアコンピタンスエリア",
    )
    assert toyama.summary.endswith("革新的なものづくりのコアコンピタンスエリアを形成する。")
    assert toyama.provenance.raw_cells[:3] == (
        "とやまナノテクコネク ト・コアコンピ タンスエリア",
        "とやまナノ テクコネク ト推進協 議会",
        "公益財団法人富山 県新世紀産 業機構",
    )
    assert toyama.provenance.raw_cells[3] == "とやまナノ テクコネ クト・コア コンピタ ンスエ リア"


def test_line_wrap_repair_in_the_tottori_row() -> None:
    tottori = parse_source(SOURCE).regions[7]
    assert tottori.cells()[:4] == (
        "鳥取次世代創業・健康産業創出地域",
        "イノベーション推進協議会",
        "公益財団法人鳥取県産業振興機構",
        "鳥取県次世代創業・健康産業創出地域",
    )
    assert tottori.provenance.raw_cells[:2] == (
        "鳥取次世代創 業・健康産 業創出地 域",
        "イノベー ション推 進協 議会",
    )
    assert tottori.summary == (
        "染色体工学技術等のライフサイエンス分野のシーズを、医療・医薬品分野の企業等と連携し、"
        "バイオマーカー評価系等の構築及び事業化、地元企業が有する農林水産資源を利用した"
        "食品・素材の機能性評価及び商品化に、切れ目無く迅速に結びつける拠点を形成し、"
        "新産業の創出と雇用の創出を図る。"
    )


def test_cp932_with_crlf_gives_identical_records(tmp_path, source_text) -> None:
    converted = tmp_path / SOURCE.name
    converted.write_bytes(source_text.replace("\n", "\r\n").encode("cp932"))
    original, reencoded = parse_source(SOURCE), parse_source(converted)
    assert reencoded.encoding == "cp932"
    assert reencoded.regions == original.regions
    assert reencoded.categories == original.categories


def test_utf8_bom_gives_identical_records(tmp_path) -> None:
    with_bom = tmp_path / SOURCE.name
    with_bom.write_bytes(b"\xef\xbb\xbf" + SOURCE.read_bytes())
    assert parse_source(with_bom).regions == parse_source(SOURCE).regions


def test_extract_json_through_the_cli(runner) -> None:
    result = runner.invoke(main, ["extract", str(SOURCE), "--format", "json"])
    assert result.exit_code == 0, result.output
    records = json.loads(result.output)
    assert len(records) == 8
    assert records[6]["council"] == "とやまナノテクコネクト推進協議会"
    assert records[6]["provenance"] == {
        "source": SOURCE.name,
        "line": 24,
        "raw_cells": list(parse_source(SOURCE).regions[6].provenance.raw_cells),
    }
    assert records[1]["category"]["name"] == "国際競争力強化地域"


def test_extract_csv_and_table(runner) -> None:
    csv_out = runner.invoke(main, ["extract", str(SOURCE), "-f", "csv"]).output
    lines = csv_out.splitlines()
    assert lines[0].startswith("fiscal_year,fiscal_year_label,category_number,category,")
    assert lines[8].startswith(
        "2013,平成25年度,2,研究機能・産業集積高度化地域,"
        "地域の特性を活かしたイノベーションが期待でき、将来的に海外市場を獲得できるポテンシャルを"
        "有する地域,4,鳥取次世代創業・健康産業創出地域,イノベーション推進協議会,"
    )
    table = runner.invoke(main, ["extract", str(SOURCE), "-f", "table"]).output
    assert "富士山麓ファルマバレー戦略推進地域" in table
    # columns line up by display width: every row's source column starts at the same column
    from regiongraph.tables import display_width

    rows = table.splitlines()
    starts = {display_width(row[: row.index("regional-")]) for row in rows[2:]}
    assert len(starts) == 1


def test_extract_defaults_to_the_project_sources(runner) -> None:
    result = runner.invoke(main, ["extract", "-f", "json"])
    assert result.exit_code == 0, result.output
    assert (
        json.loads(result.output)[0]["region_name"] == "神奈川県国際ライフサイエンス実用化開発拠点"
    )


@pytest.mark.parametrize("module", [eras, text])
def test_doctests(module) -> None:
    failures, _ = doctest.testmod(module)
    assert failures == 0
