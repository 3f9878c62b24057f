"""Fast unit tests of the link stage and the graph builder on small, hand-made records."""

from __future__ import annotations

import shutil
from functools import cache

import pytest
from conftest import BASE, ROOT

from regiongraph.graph.builder import GraphBuilder, LinkingData
from regiongraph.link.curation import Curation, load_curation
from regiongraph.link.fields import FieldMatcher
from regiongraph.link.prefectures import CURATED, EXPLICIT, REGIONAL, Gazetteer, locate
from regiongraph.link.reference import Prefecture, load_prefectures
from regiongraph.source.records import Category, Provenance, RegionRecord, SourceDocument

CATEGORY = Category(1, "国際競争力強化地域", "", 1, 5)


@cache
def prefectures() -> tuple[Prefecture, ...]:
    return tuple(load_prefectures(ROOT / "data" / "reference" / "prefectures.csv"))


@cache
def curation() -> Curation:
    return load_curation(ROOT / "data" / "curation", {p.code for p in prefectures()})


def record(number: int = 1, name: str = "地域", summary: str = "", **cells: str) -> RegionRecord:
    values = {
        "council": "推進協議会",
        "coordinating_organization": "公益財団法人テスト財団",
        "theme": "テーマ",
        **cells,
    }
    raw = (name, values["council"], values["coordinating_organization"], values["theme"], summary)
    return RegionRecord(
        fiscal_year=2013,
        fiscal_year_label="平成25年度",
        category=CATEGORY,
        number=number,
        region_name=name,
        summary=summary,
        provenance=Provenance("test.txt", 10 + number, raw, "\t".join(raw)),
        **values,
    )


def places(rec: RegionRecord, cur: Curation | None = None) -> list[tuple[str, str, str]]:
    gazetteer = Gazetteer(list(prefectures()), curation().regional_names)
    return [
        (p.prefecture.code, p.method, p.evidence) for p in locate(rec, gazetteer, cur or curation())
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("富山県の地域", [("16", EXPLICIT, "富山県")]),
        ("富山の地域", [("16", EXPLICIT, "富山")]),
        ("とやまナノテク", [("16", EXPLICIT, "とやま")]),
        ("TOYAMA valley", [("16", EXPLICIT, "TOYAMA")]),
        ("東京都の地域", [("13", EXPLICIT, "東京都")]),  # 京都 is not found inside 東京都
        ("ならばの地域", []),  # kana inside a longer run of hiragana is not なら (Nara)
    ],
)
def test_prefectures_named_in_a_cell(name, expected) -> None:
    assert places(record(name=name)) == expected


def test_a_regional_name_stands_for_its_prefectures() -> None:
    found = places(record(name="北陸の地域"))
    assert [(code, method) for code, method, _ in found] == [
        ("16", REGIONAL),
        ("17", REGIONAL),
        ("18", REGIONAL),
    ]


def test_the_summary_counts_only_when_the_cells_name_none() -> None:
    assert places(record(name="静岡の地域", summary="富山県と連携")) == [("22", EXPLICIT, "静岡")]
    assert places(record(name="地域", summary="富山県と連携")) == [("16", EXPLICIT, "富山県")]


def test_curation_adds_and_removes(tmp_path) -> None:
    directory = tmp_path / "curation"
    shutil.copytree(ROOT / "data" / "curation", directory)
    (directory / "region-prefectures.csv").write_text(
        "fiscal_year,category,number,prefecture_code,action,evidence\n"
        "2013,1,1,17,remove,石川県は連携先であって地域ではない\n"
        "2013,1,1,15,add,協議会の所在地\n",
        encoding="utf-8",
    )
    edited = load_curation(directory, {p.code for p in prefectures()})
    found = places(record(name="富山・石川の地域"), edited)
    assert found == [("15", CURATED, "協議会の所在地"), ("16", EXPLICIT, "富山")]


def test_fields_by_signal_terms_longest_first() -> None:
    matcher = FieldMatcher(curation().fields)
    found = matcher.match(record(theme="創薬と医療機器", summary="ライフサイエンスの拠点"))
    assert [(f.field.slug, f.terms, f.cells) for f in found] == [
        ("life-science", ("ライフサイエンス",), ("全体構想の概要",)),
        ("pharmaceuticals", ("創薬",), ("全体構想のテーマ名",)),
        ("medical-devices", ("医療機器",), ("全体構想のテーマ名",)),
    ]
    assert matcher.match(record(theme="観光", summary="まちづくり")) == []


def test_the_builder_states_a_region_with_its_links() -> None:
    rec = record(name="富山の地域", theme="医療機器")
    document = SourceDocument(
        "test.txt", "一覧", 2013, "平成25年度", None, "utf-8", "0" * 64, 20, (CATEGORY,), (rec,)
    )
    builder = GraphBuilder(BASE, LinkingData(list(prefectures()), curation()))
    builder.add_document(document)
    graph = builder.finish()
    statements = dict(graph.subjects)
    region_key = next(k for k in statements if "/region/" in k)
    region = {(p[1:-1], o) for p, o in statements[region_key][1]}
    rg = BASE + "ontology#"
    assert (rg + "prefecture", f"<{BASE}prefecture/16>") in region
    assert (rg + "field", f"<{BASE}field/medical-devices>") in region
    assert (rg + "numberInCategory", '"1"^^<http://www.w3.org/2001/XMLSchema#integer>') in region
    organization = next(k for k in statements if "/organization/" in k)
    labels = {o for p, o in statements[organization][1] if p.endswith("prefLabel>")}
    assert labels == {'"公益財団法人テスト財団"@ja'}
    assert graph.stats.regions == 1 and graph.stats.organizations == 1


def test_a_name_loses_the_longest_legal_form_that_starts_or_ends_it() -> None:
    """The split takes, of the shipped forms' spellings longest first, the first that starts
    or ends the name with a name left over (at the start if both): as a plain loop over them
    does, on every spelling placed before, after, alone, twice and inside a name."""
    import itertools

    from regiongraph.link.organizations import split_name

    forms = curation().legal_forms
    spellings = sorted(
        [(s, form) for form in forms for s in (form.form_ja, *form.aliases)],
        key=lambda item: -len(item[0]),
    )

    def by_loop(name: str) -> tuple[str, str | None]:
        for spelling, form in spellings:
            if name.startswith(spelling) and len(name) > len(spelling):
                return name[len(spelling) :].strip(), form.slug
            if name.endswith(spelling) and len(name) > len(spelling):
                return name[: -len(spelling)].strip(), form.slug
        return name, None

    assert len(spellings) > 10
    texts = [s for s, _ in spellings]
    names = [
        *texts,
        *(f"{a}京都{b}" for a, b in itertools.product([*texts, ""], repeat=2)),
        *(f"{a}{b}" for a, b in itertools.product(texts, repeat=2)),
        *(f"京都{a}研究所" for a in texts),
    ]
    for name in names:
        parts = split_name(name, forms)
        form = parts.legal_form.slug if parts.legal_form else None
        assert (parts.base_name, form) == by_loop(name), name
    assert (
        split_name("地方独立行政法人京都市産業技術研究所", forms).base_name
        == "京都市産業技術研究所"
    )
    assert split_name("京都産業21（公財）", forms).legal_form is not None
