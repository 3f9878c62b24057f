"""regiongraph publish: a static site where every IRI of the graph has a page and its own data."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import html5lib
import pytest
import rdflib
from conftest import BASE, ROOT, copy_project
from rdflib.compare import isomorphic

from regiongraph.cli import main

TOYAMA = "region/2013-research-and-industry-advancement-3"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    from click.testing import CliRunner

    project = copy_project(tmp_path_factory.mktemp("publish") / "project")
    runner = CliRunner()
    assert runner.invoke(main, ["build", "--project", str(project)]).exit_code == 0
    result = runner.invoke(main, ["publish", "--project", str(project)])
    assert result.exit_code == 0, result.output
    return project / "dist" / "site"


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        for name in ("href", "src"):
            if found.get(name):
                self.links.append((tag, found[name] or "", found))


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_one_page_per_resource_and_an_index(site) -> None:
    names = {str(p.relative_to(site)) for p in pages(site)}
    assert len(names) > 100
    assert {
        "index.html",
        f"{TOYAMA}.html",
        "prefecture/16.html",
        "dataset.html",
        "ontology.html",
    } <= names
    for suffix in ("ttl", "jsonld", "nt"):
        assert (site / f"{TOYAMA}.{suffix}").is_file()
    for name in (".htaccess", "nginx.conf", "regiongraph.ttl.gz", "downloads.json"):
        assert (site / name).is_file()


def test_every_page_is_valid_html5(site) -> None:
    parser = html5lib.HTMLParser(strict=True)
    for page in pages(site):
        parser.parse(page.read_bytes())  # raises on any parse error


def test_every_internal_link_resolves_and_nothing_loads_from_outside(site) -> None:
    for page in pages(site):
        links = Links()
        links.feed(page.read_text(encoding="utf-8"))
        for tag, target, attrs in links.links:
            if re.match(r"^[a-z]+:", target):
                assert tag == "a" and attrs.get("rel") == "external", (page, target)
                continue
            path = target.split("#", 1)[0]
            assert (page.parent / path).resolve().is_file(), (page, target)


def test_a_region_page_shows_names_labels_and_evidence(site) -> None:
    page = (site / f"{TOYAMA}.html").read_text(encoding="utf-8")
    assert "とやまナノテクコネクト・コアコンピタンスエリア" in page
    assert "Toyama Nanotech Connect Core Competence Area" in page
    assert (
        '<a href="../prefecture/16.html"><span lang="ja">富山県</span><span lang="en">Toyama</span></a>'
        in page
    )
    assert (
        '<link rel="alternate" type="text/turtle" href="2013-research-and-industry-advancement-3.ttl">'
        in page
    )
    prefecture = (site / "prefecture/16.html").read_text(encoding="utf-8")
    assert (
        "とやまナノテクコネクト・コアコンピタンスエリア" in prefecture
    )  # linked from: its regions
    assert 'href="http://www.wikidata.org/entity/Q132929" rel="external"' in prefecture


def test_each_resource_file_holds_exactly_its_description(site) -> None:
    graph = rdflib.Graph().parse(site.parent / "regiongraph.nt")
    for page in sorted((site / "region").glob("*.ttl")):
        iri = rdflib.URIRef(BASE + "region/" + page.stem)
        own = rdflib.Graph()
        for triple in graph.triples((iri, None, None)):
            own.add(triple)
        assert len(own) > 10
        assert isomorphic(rdflib.Graph().parse(page), own), page
        nt = rdflib.Graph().parse(page.with_suffix(".nt"))
        jsonld = rdflib.Graph().parse(page.with_suffix(".jsonld"), format="json-ld")
        assert isomorphic(nt, own) and isomorphic(jsonld, own)


def test_publishing_twice_gives_byte_identical_sites(site, tmp_path) -> None:
    from regiongraph.api import publish

    again = publish(site.parent.parent, tmp_path / "again").out
    first = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first == second


def _files(site: Path) -> dict[Path, bytes]:
    return {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_a_failed_publish_leaves_the_previous_site_as_it_was(site, tmp_path, monkeypatch) -> None:
    from regiongraph.api import publish
    from regiongraph.publish.render import Renderer

    out = publish(site.parent.parent, tmp_path / "site").out
    before = _files(out)
    page = Renderer.page

    def failing(self, iri: str, language: str | None = None) -> str:
        if iri.endswith(TOYAMA):  # in whichever worker renders it
            raise RuntimeError("disk full, say")
        return page(self, iri, language)

    monkeypatch.setattr(Renderer, "page", failing)
    with pytest.raises(RuntimeError, match="disk full, say"):
        publish(site.parent.parent, out)
    assert _files(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no staging left


def test_the_old_site_is_removed_after_a_publish_without_being_waited_for(site, tmp_path) -> None:
    import time

    from regiongraph.api import publish

    out = publish(site.parent.parent, tmp_path / "site").out
    (out / "region" / "gone.html").write_text("not published any more")
    stale = tmp_path / ".site.discarded-stale"  # as a remover killed mid-way leaves it
    (stale / "region").mkdir(parents=True)
    (stale / "region" / "old.html").write_text("old")
    publish(site.parent.parent, out)
    assert _files(out) == _files(site)  # the new site, whole, at once
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # bounded: the detached removers finish
        if sorted(p.name for p in tmp_path.iterdir()) == ["site"]:
            break
        time.sleep(0.05)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_every_label_and_literal_is_escaped(tmp_path, runner) -> None:
    project = tmp_path / "project"
    for part in ("data", "ontology", "shapes", "queries"):
        shutil.copytree(ROOT / part, project / part)
    source = project / "data" / "source" / "regional-innovation-strategy-regions-fy2013.txt"
    text = source.read_text(encoding="utf-8")
    source.write_text(
        text.replace("京都科学技術イノベーション創出地域", "京都<script>alert(1)</script>地域", 1),
        encoding="utf-8",
    )
    assert runner.invoke(main, ["build", "--project", str(project), "--no-validate"]).exit_code == 0
    assert runner.invoke(main, ["publish", "--project", str(project)]).exit_code == 0
    found = [
        p
        for p in (project / "dist" / "site").rglob("*.html")
        if "alert(1)" in p.read_text(encoding="utf-8")
    ]
    assert found
    for page in found:
        html = page.read_text(encoding="utf-8")
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_publish_without_a_build_says_so(tmp_path, runner) -> None:
    project = tmp_path / "project"
    for part in ("data", "ontology", "shapes", "queries"):
        shutil.copytree(ROOT / part, project / part)
    result = runner.invoke(main, ["publish", "--project", str(project)])
    assert result.exit_code == 2
    assert "no built graph here; run 'regiongraph build' first" in result.output


def test_the_map_has_47_prefectures_and_highlights_those_with_regions(site) -> None:
    index = (site / "index.html").read_text(encoding="utf-8")
    tiles = re.findall(r'<a href="prefecture/(\d\d)\.html"><rect [^>]*class="(hosts|other)"', index)
    assert len(tiles) == 47 and len({code for code, _ in tiles}) == 47
    hosting = {code for code, kind in tiles if kind == "hosts"}
    assert hosting == {"10", "14", "15", "16", "17", "18", "22", "26", "31"}


def test_the_ontology_and_shapes_pages(site) -> None:
    ontology = (site / "ontology.html").read_text(encoding="utf-8")
    assert '<section id="Region">' in ontology
    assert "Used 8 times in this data" in ontology  # the eight regions
    shapes = (site / "shapes.html").read_text(encoding="utf-8")
    assert "A region has exactly one Japanese name" in shapes or "Japanese" in shapes
    dataset = (site / "dataset.html").read_text(encoding="utf-8")
    assert "regiongraph.ttl.gz" in dataset and "regions-in-prefecture" in dataset


def _text(html: str) -> str:
    """The page's Japanese text: English spans and tags dropped, as a reader in ja sees it."""
    return re.sub(r"<[^>]+>", "", re.sub(r'<span lang="en">[^<]*</span>', "", html))


def test_a_region_page_shows_the_evidence_of_each_link_inline(site) -> None:
    page = (site / f"{TOYAMA}.html").read_text(encoding="utf-8")
    evidence = page[
        page.index('<table class="evidence">') : page.index(
            "</table>", page.index('<table class="evidence">')
        )
    ]
    rows = [_text(row) for row in re.findall(r"<tr><td>.*?</tr>", evidence)]
    # Linked to, method, words found, cell: as the source line 24 gives them.
    assert rows[0].startswith("富山県明示的な言及とやま地域名")
    assert any(r.startswith("ナノテクノロジー用語一致") and "ナノテク" in r for r in rows)
    assert any(r.startswith("ものづくり用語一致") and "全体構想の概要" in r for r in rows)
    assert len(rows) == 3  # one prefecture and two fields
    assert "、24 行目" in _text(page[page.index('<p class="source">') :])


def test_a_field_page_lists_the_regions_of_its_narrower_fields(site) -> None:
    page = (site / "field/medical-care.html").read_text(encoding="utf-8")
    start = page.index('<ul class="field-regions">')
    items = [
        _text(li) for li in re.findall(r"<li>.*?</li>", page[start : page.index("</ul>\n", start)])
    ]
    # Kanagawa's hub is in 医療機器 (medical devices), a narrower field of 医療 only.
    assert "神奈川県国際ライフサイエンス実用化開発拠点 （下位分野：医療機器）" in items
    assert "鳥取次世代創業・健康産業創出地域" in items  # in 医療 itself
    assert len(items) == len(set(items))  # each region once


def test_the_ontology_data_holds_its_declarations_of_foreign_terms(site) -> None:
    dump = rdflib.Graph().parse(site / "ontology.ttl")
    assert (rdflib.URIRef(BASE + "ontology"), rdflib.RDF.type, rdflib.OWL.Ontology) in dump
    assert any(not str(s).startswith(BASE) for s in dump.subjects())  # e.g. ic:都道府県コード
    for suffix, fmt in (("nt", "nt"), ("jsonld", "json-ld")):
        assert isomorphic(rdflib.Graph().parse(site / f"ontology.{suffix}", format=fmt), dump)
