"""The parser handles the layout in general: any number of sections and rows, headers anywhere."""

from __future__ import annotations

from regiongraph.source.parse import parse_source

HEADER = "\t地域名\t協議会\t総合調整機関\t全体構想のテーマ名\t全体構想の概要"


def _row(number: int, name: str) -> str:
    return f"{number}\t{name}\t{name}協議会\t一般社団法人{name}機構\t{name}の構想\t{name}の概要。"


def test_three_sections_headers_everywhere_and_blank_lines(tmp_path) -> None:
    lines = [
        "\ufeff地域イノベーション戦略推進地域（令和元年度公募分）一覧",
        "",
        "（１）甲区分に選定された２地域",
        "（甲の説明）",
        HEADER,
        _row(1, "あ地域"),
        "",
        HEADER,
        "",
        _row(2, "い 地 域"),
        "(2) 乙区分に選定された1地域  ",
        " (乙の説明)",
        _row(1, "う地域"),
        HEADER,
        "(3) 丙区分に選定された地域",
        HEADER,
        _row(1, "え地域"),
        _row(2, "お地域"),
        HEADER,
        "",
    ]
    path = tmp_path / "r1.txt"
    path.write_bytes("\r\n".join(lines).encode("utf-8"))
    document = parse_source(path)
    assert (document.fiscal_year, document.fiscal_year_label) == (2019, "令和元年度")
    assert [(c.number, c.name, c.description, c.announced_count) for c in document.categories] == [
        (1, "甲区分", "甲の説明", 2),
        (2, "乙区分", "乙の説明", 1),
        (3, "丙区分", "", 2),
    ]
    assert [
        (r.category.number, r.number, r.region_name, r.provenance.line) for r in document.regions
    ] == [
        (1, 1, "あ地域", 6),
        (1, 2, "い地域", 10),
        (2, 1, "う地域", 13),
        (3, 1, "え地域", 17),
        (3, 2, "お地域", 18),
    ]
    assert document.regions[1].coordinating_organization == "一般社団法人い地域機構"
