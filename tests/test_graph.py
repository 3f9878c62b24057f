"""The knowledge graph built from the shipped data states the document's facts."""

from __future__ import annotations

import pytest
import rdflib
from conftest import BASE
from rdflib import RDF, RDFS, SKOS, Literal, Namespace, URIRef

RG = Namespace("https://example.org/regiongraph/ontology#")
REGION = Namespace(BASE + "region/")
IC = Namespace("http://imi.go.jp/ns/core/rdf#")

REGIONS = {
    "kanagawa": REGION["2013-international-competitiveness-1"],
    "hokuriku": REGION["2013-international-competitiveness-2"],
    "fuji": REGION["2013-international-competitiveness-3"],
    "kyoto": REGION["2013-international-competitiveness-4"],
    "gunma": REGION["2013-research-and-industry-advancement-1"],
    "niigata": REGION["2013-research-and-industry-advancement-2"],
    "toyama": REGION["2013-research-and-industry-advancement-3"],
    "tottori": REGION["2013-research-and-industry-advancement-4"],
}


def label(graph: rdflib.Graph, node, lang: str = "ja") -> str:
    values = [o for o in graph.objects(node, RDFS.label) if o.language == lang]
    assert len(values) == 1, (node, values)
    return str(values[0])


def prefecture_names(graph: rdflib.Graph, region) -> set[str]:
    return {label(graph, p) for p in graph.objects(region, RG.prefecture)}


def field_slugs(graph: rdflib.Graph, region) -> set[str]:
    return {str(f).removeprefix(BASE + "field/") for f in graph.objects(region, RG.field)}


def test_every_region_has_its_name_number_category_and_line(graph) -> None:
    rows = {
        "kanagawa": ("神奈川県国際ライフサイエンス実用化開発拠点", 1, "国際競争力強化地域", 11),
        "toyama": (
            "とやまナノテクコネクト・コアコンピタンスエリア",
            3,
            "研究機能・産業集積高度化地域",
            24,
        ),
        "tottori": ("鳥取次世代創業・健康産業創出地域", 4, "研究機能・産業集積高度化地域", 25),
    }
    for key, (name, number, category, line) in rows.items():
        region = REGIONS[key]
        assert (region, RDF.type, RG.Region) in graph
        assert label(graph, region) == name
        assert graph.value(region, RG.numberInCategory).toPython() == number
        assert label(graph, graph.value(region, RG.selectionCategory)) == category
        assert graph.value(region, RG.sourceLine).toPython() == line
    assert len(set(graph.subjects(RDF.type, RG.Region))) == 8


@pytest.mark.parametrize(
    ("key", "prefectures"),
    [
        ("kanagawa", {"神奈川県"}),
        ("hokuriku", {"富山県", "石川県", "福井県"}),
        ("fuji", {"静岡県"}),
        ("kyoto", {"京都府"}),
        ("gunma", {"群馬県"}),
        ("niigata", {"新潟県"}),
        ("toyama", {"富山県"}),  # 北陸地域有数の in its summary adds nothing
        ("tottori", {"鳥取県"}),
    ],
)
def test_region_prefectures(graph, key, prefectures) -> None:
    assert prefecture_names(graph, REGIONS[key]) == prefectures


def test_prefecture_assignments_keep_their_evidence(graph) -> None:
    assignment = URIRef(BASE + "assignment/2013-research-and-industry-advancement-3-prefecture-16")
    assert (REGIONS["toyama"], RG.assignment, assignment) in graph
    assert graph.value(assignment, RG.method) == RG.ExplicitMention
    assert graph.value(assignment, RG.evidence) == Literal("とやま", lang="ja")
    assert graph.value(assignment, RG.evidenceCell) == Literal("地域名", lang="ja")
    hokuriku = URIRef(BASE + "assignment/2013-international-competitiveness-2-prefecture-17")
    assert graph.value(hokuriku, RG.method) == RG.RegionalName
    assert graph.value(hokuriku, RG.evidence) == Literal("北陸", lang="ja")
    fuji = URIRef(BASE + "assignment/2013-international-competitiveness-3-prefecture-22")
    assert graph.value(fuji, RG.evidenceCell) == Literal("総合調整機関", lang="ja")
    niigata = URIRef(BASE + "assignment/2013-research-and-industry-advancement-2-prefecture-15")
    assert graph.value(niigata, RG.evidence) == Literal("NIIGATA", lang="ja-Latn")  # romaji


def test_three_distinct_councils_share_a_name(graph) -> None:
    councils = {
        c
        for c in graph.subjects(RDF.type, RG.Council)
        if label(graph, c) == "イノベーション推進協議会"
    }
    assert len(councils) == 3
    owners = {graph.value(predicate=RG.council, object=c) for c in councils}
    assert owners == {REGIONS["hokuriku"], REGIONS["niigata"], REGIONS["tottori"]}


def test_legal_forms_of_the_coordinating_organizations(graph) -> None:
    found = {}
    for key, region in REGIONS.items():
        organization = graph.value(region, RG.coordinatingOrganization)
        form = graph.value(organization, RG.legalForm)
        found[key] = (
            label(graph, form),
            str(graph.value(organization, RG.nameWithoutLegalForm)),
        )
    assert found == {
        "kanagawa": ("公益財団法人", "神奈川県科学技術アカデミー"),
        "hokuriku": ("一般財団法人", "北陸産業活性化センター"),
        "fuji": ("公益財団法人", "静岡県産業振興財団"),
        "kyoto": ("公益財団法人", "京都高度技術研究所"),
        "gunma": ("公益財団法人", "群馬県産業支援機構"),
        "niigata": ("公益財団法人", "新潟県産業振興財団"),
        "toyama": ("公益財団法人", "富山県新世紀産業機構"),
        "tottori": ("公益財団法人", "鳥取県産業振興機構"),
    }


def test_provisional_council_name(graph) -> None:
    kanagawa = graph.value(REGIONS["kanagawa"], RG.council)
    assert label(graph, kanagawa) == "神奈川県ライフサイエンス実用化開発拠点推進協議会（仮称）"
    assert graph.value(kanagawa, RG.provisionalName).toPython() is True
    assert str(graph.value(kanagawa, RG.nameWithoutLegalForm)) == (
        "神奈川県ライフサイエンス実用化開発拠点推進協議会"
    )
    toyama = graph.value(REGIONS["toyama"], RG.council)
    assert graph.value(toyama, RG.provisionalName).toPython() is False


@pytest.mark.parametrize(
    ("key", "fields"),
    [
        ("kyoto", set()),  # its text names no specific field
        # グリーンイノベーション: the summary places the project in green innovation
        ("niigata", {"environment-and-energy", "aircraft", "unmanned-aircraft", "manufacturing"}),
        ("toyama", {"nanotechnology", "manufacturing"}),
        ("kanagawa", {"life-science", "pharmaceuticals", "medical-devices", "health-industry"}),
        # 富士山麓ファルマバレー (Pharma Valley), in the region's name
        (
            "fuji",
            {
                "pharmaceuticals",
                "medical-care",
                "medical-devices",
                "cancer-care",
                "health-industry",
            },
        ),
        (
            "tottori",
            {
                "life-science",
                "pharmaceuticals",
                "medical-care",
                "health-industry",
                "food",  # 食品・素材の機能性評価: evaluation, not functional foods themselves
            },
        ),
    ],
)
def test_region_fields(graph, key, fields) -> None:
    assert field_slugs(graph, REGIONS[key]) == fields


def test_field_evidence_names_the_cell_it_was_found_in(graph) -> None:
    pharma = URIRef(BASE + "assignment/2013-international-competitiveness-3-field-pharmaceuticals")
    assert {str(e) for e in graph.objects(pharma, RG.evidence)} == {"ファルマバレー"}
    assert {str(c) for c in graph.objects(pharma, RG.evidenceCell)} == {"地域名"}
    green = URIRef(
        BASE + "assignment/2013-research-and-industry-advancement-2-field-environment-and-energy"
    )
    assert {str(e) for e in graph.objects(green, RG.evidence)} == {"グリーンイノベーション"}
    assert {str(c) for c in graph.objects(green, RG.evidenceCell)} == {"全体構想の概要"}


def test_field_evidence_and_scheme(graph) -> None:
    assignment = URIRef(
        BASE + "assignment/2013-research-and-industry-advancement-2-field-unmanned-aircraft"
    )
    assert graph.value(assignment, RG.method) == RG.TermMatch
    assert {str(e) for e in graph.objects(assignment, RG.evidence)} == {"無人航空機"}
    unmanned = URIRef(BASE + "field/unmanned-aircraft")
    assert graph.value(unmanned, SKOS.broader) == URIRef(BASE + "field/aircraft")
    assert Literal("Unmanned aircraft", lang="en") in set(graph.objects(unmanned, SKOS.prefLabel))


def test_plan_theme_and_summary(graph) -> None:
    plan = graph.value(REGIONS["niigata"], RG.overallPlan)
    title = graph.value(plan, URIRef("http://purl.org/dc/terms/title"))
    assert title == Literal(
        "「NIIGATA SKY PROJECT」航空機産業の国内生産体制の確立と次世代航空機産業の創出", lang="ja"
    )
    summary = str(graph.value(plan, URIRef("http://purl.org/dc/terms/abstract")))
    assert summary.endswith("複合的な航空機産業の地域創出を目指すものである。")


def test_categories_are_a_skos_scheme_with_descriptions(graph) -> None:
    category = URIRef(BASE + "category/international-competitiveness")
    assert (category, SKOS.inScheme, URIRef(BASE + "category")) in graph
    definitions = {o.language: str(o) for o in graph.objects(category, SKOS.definition)}
    assert (
        definitions["ja"] == "海外からもヒト・モノ・カネを惹きつける強力なポテンシャルを持った地域"
    )
    assert "en" in definitions


def test_all_47_prefectures_with_their_links(graph) -> None:
    prefectures = set(graph.subjects(RDF.type, RG.Prefecture))
    assert len(prefectures) == 47
    toyama = URIRef(BASE + "prefecture/16")
    assert graph.value(toyama, URIRef("https://schema.org/sameAs")) == URIRef(
        "http://www.wikidata.org/entity/Q132929"
    )
    assert graph.value(toyama, SKOS.exactMatch) is None
    assert graph.value(toyama, IC["都道府県コード"]) == URIRef(
        "http://data.e-stat.go.jp/lod/sac/C16000"
    )
    assert str(graph.value(toyama, RG.localGovernmentCode)) == "160008"
    assert str(graph.value(toyama, RG.jisCode)) == "16"
    assert label(graph, toyama, "en") == "Toyama"


def test_the_call_and_source_document(graph) -> None:
    call = URIRef(BASE + "call/2013")
    assert graph.value(REGIONS["kyoto"], RG.call) == call
    assert str(graph.value(call, RG.fiscalYear)) == "2013"
    assert graph.value(call, RG.fiscalYearLabel) == Literal("平成25年度", lang="ja")
    source = graph.value(REGIONS["kyoto"], RG.sourceDocument)
    assert str(graph.value(source, URIRef("http://purl.org/dc/terms/identifier"))) == (
        "regional-innovation-strategy-regions-fy2013.txt"
    )


def test_english_labels_are_marked_curated(graph) -> None:
    toyama = REGIONS["toyama"]
    assert label(graph, toyama, "en") == "Toyama Nanotech Connect Core Competence Area"
    assert graph.value(toyama, RG.curatedIn) == URIRef(BASE + "curation/english-names")
    assert graph.value(toyama, RG.translatedLabel) == Literal(
        "Toyama Nanotech Connect Core Competence Area", lang="en"
    )
    assert graph.value(toyama, RG.officialEnglishName) is None


def test_an_official_english_name_is_told_from_our_translations(graph) -> None:
    """HIAC's own English page names it; every other English name is ours, and says so."""
    hiac = URIRef(BASE + "organization/hokuriku-industrial-advancement-center")
    name = Literal("The Hokuriku Industrial Advancement Center", lang="en")
    assert graph.value(hiac, RG.officialEnglishName) == name
    assert (hiac, URIRef("http://www.w3.org/2000/01/rdf-schema#label"), name) in graph
    assert graph.value(hiac, RG.englishNameSource) == URIRef(
        "https://hiac.or.jp/cluster/en/project/index.html"
    )
    assert graph.value(hiac, RG.translatedLabel) is None
    english = {
        s
        for s, o in graph.subject_objects(URIRef("http://www.w3.org/2000/01/rdf-schema#label"))
        if getattr(o, "language", None) == "en"
        and (s, RG.curatedIn, URIRef(BASE + "curation/english-names")) in graph
    }
    marked = set(graph.subjects(RG.translatedLabel)) | set(graph.subjects(RG.officialEnglishName))
    assert english == marked


def test_niigatas_foundation_does_not_carry_nicos_name(graph) -> None:
    """公益財団法人新潟県産業振興財団 is not NICO (公益財団法人にいがた産業創造機構)."""
    foundation = URIRef(BASE + "organization/niigata-industrial-promotion-foundation")
    assert label(graph, foundation, "ja") == "公益財団法人新潟県産業振興財団"
    assert label(graph, foundation, "en") == "Niigata Prefecture Industrial Promotion Foundation"
    names = {
        str(o) for o in graph.objects(None, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))
    }
    assert not any("Industrial Creation" in name for name in names)
