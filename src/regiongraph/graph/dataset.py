"""The dataset's own description (DCAT and VoID): title, licence, sources, size, vocabularies."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime

from pyoxigraph import Literal, NamedNode, Triple

from regiongraph.project import GRAPH_STEM, ONTOLOGY_FILE
from regiongraph.rdf.formats import GRAPH_FORMATS, Format, by_name
from regiongraph.rdf.iris import file_slug
from regiongraph.rdf.namespaces import (
    DCAT,
    DCTERMS,
    EU_DATA_THEME,
    EU_FILE_TYPE,
    FOAF,
    IANA_MEDIA_TYPES,
    PROV,
    RDF,
    RDFS,
    SKOS,
    SPDX,
    STANDARD_PREFIXES,
    VOID,
)
from regiongraph.rdf.terms import en, iri, ja, triple_order, typed
from regiongraph.source.records import SourceDocument

CC_BY_4 = "https://creativecommons.org/licenses/by/4.0/"
#: DCAT-AP data themes that fit, with the labels of the EU data-theme table.
THEMES = {"REGI": "Regions and cities", "TECH": "Science and technology"}
KEYWORDS = (
    ja("地域イノベーション"),
    ja("選定地域"),
    ja("都道府県"),
    en("regional innovation"),
    en("selected regions"),
    en("prefectures of Japan"),
)
GOV_TERMS_2 = "https://www.kantei.go.jp/jp/singi/it2/densi/kettei/gl2_betten_1.pdf"


def build_date() -> str | None:
    """The date to stamp on the output: from SOURCE_DATE_EPOCH only, never from the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return None
    try:
        return datetime.fromtimestamp(int(epoch), tz=UTC).date().isoformat()
    except (ValueError, OverflowError):
        return None


def used_vocabularies(terms: Iterable[str]) -> list[str]:
    """Namespaces (of the standard prefixes) of ``terms``: the predicates and classes used."""
    used = set()
    namespaces = sorted(STANDARD_PREFIXES.values(), key=len, reverse=True)
    for term in terms:
        for namespace in namespaces:
            if term.startswith(namespace):
                used.add(namespace)
                break
    return sorted(used)


def distributions() -> list[tuple[str, Format]]:
    """The files a build publishes as distributions: the graph in each format, the ontology."""
    graphs = [(f"{GRAPH_STEM}.{fmt.extension}", fmt) for fmt in GRAPH_FORMATS]
    return [*graphs, (ONTOLOGY_FILE, by_name("turtle"))]


def describe_dataset(
    base: str,
    documents: Sequence[SourceDocument],
    vocabulary: Iterable[str],
    size: int,
    example_resources: Sequence[str],
    publisher: str,
    downloads: str | None = None,
) -> list[Triple]:
    """DCAT/VoID triples describing the graph built from ``documents`` (DCAT-AP 3.0).

    ``downloads``: the address the files are published under (default: ``base``). Byte sizes
    and checksums are added by :func:`describe_files` once the files are written.
    """
    downloads = downloads or base
    dataset = iri(f"{base}dataset")
    out: list[Triple] = []

    def add(s: NamedNode, p: str, o: NamedNode | Literal) -> None:
        out.append(Triple(s, iri(p), o))

    add(dataset, RDF + "type", iri(DCAT + "Dataset"))
    add(dataset, RDF + "type", iri(VOID + "Dataset"))
    add(dataset, DCTERMS + "title", ja("地域イノベーション戦略推進地域 知識グラフ"))
    add(dataset, DCTERMS + "title", en("Regional innovation strategy regions knowledge graph"))
    add(
        dataset,
        DCTERMS + "description",
        en(
            "Regions selected in Japanese government calls, with their selection categories, "
            "councils, coordinating organizations, overall plans, prefectures and fields, "
            "read from "
            "the published lists and linked to prefecture codes, Wikidata and e-Stat."
        ),
    )
    for keyword in KEYWORDS:
        add(dataset, DCAT + "keyword", keyword)
    for code, label in THEMES.items():
        theme = iri(EU_DATA_THEME + code)
        add(dataset, DCAT + "theme", theme)
        add(theme, RDF + "type", iri(SKOS + "Concept"))
        add(theme, SKOS + "prefLabel", en(label))
    agent = iri(f"{base}publisher")
    add(dataset, DCTERMS + "publisher", agent)
    add(agent, RDF + "type", iri(FOAF + "Agent"))
    add(agent, FOAF + "name", Literal(publisher))
    add(dataset, DCTERMS + "license", iri(CC_BY_4))
    add(iri(CC_BY_4), RDF + "type", iri(DCTERMS + "LicenseDocument"))
    add(dataset, RDFS + "seeAlso", iri(GOV_TERMS_2))
    titles = "、".join(f"「{d.title}」" for d in documents)
    files = "、".join(f"data/source/{d.source}（SHA-256 {d.sha256}）" for d in documents)
    files_en = ", ".join(f"data/source/{d.source} (SHA-256 {d.sha256})" for d in documents)
    add(
        dataset,
        DCTERMS + "rights",
        ja(
            f"出典：{titles}（文部科学省ほか）を加工して作成。出典文書は本データセットに {files} "
            "として収録。政府標準利用規約（第2.0版）に準拠し、"
            "クリエイティブ・コモンズ 表示 4.0 国際（CC BY 4.0）と互換。"
            "英語名称・分野・法人格等の付加情報は"
            "regiongraph による整備。"
        ),
    )
    add(
        dataset,
        DCTERMS + "rights",
        en(
            f"Source: {titles} (MEXT and other ministries), edited; the source documents are kept "
            f"with this dataset as {files_en}. Used under the Government of "
            "Japan Standard Terms of Use (Ver. 2.0), compatible with CC BY 4.0. English names, "
            "fields, legal forms and other additions are curated by regiongraph."
        ),
    )
    for document in documents:
        stem = document.source.rsplit(".", 1)[0]
        add(dataset, PROV + "wasDerivedFrom", iri(f"{base}source/{file_slug(stem)}"))
    years = sorted({d.fiscal_year for d in documents})
    if years:  # Japanese fiscal years: 1 April to 31 March of the next year
        period = iri(f"{base}dataset/period")
        add(dataset, DCTERMS + "temporal", period)
        add(period, RDF + "type", iri(DCTERMS + "PeriodOfTime"))
        add(period, DCAT + "startDate", typed(f"{years[0]}-04-01", "date"))
        add(period, DCAT + "endDate", typed(f"{years[-1] + 1}-03-31", "date"))
    date = build_date()
    if date:
        add(dataset, DCTERMS + "modified", typed(date, "date"))
    add(dataset, VOID + "triples", typed(size, "integer"))
    add(dataset, VOID + "uriSpace", Literal(base))
    for namespace in used_vocabularies(vocabulary):
        add(dataset, VOID + "vocabulary", iri(namespace))
    for example in example_resources:
        add(dataset, VOID + "exampleResource", iri(example))
    out += _distributions(base, downloads, dataset)
    return sorted(out, key=triple_order)


def _distributions(base: str, downloads: str, dataset: NamedNode) -> list[Triple]:
    """The dataset's distributions: where each file is, its media type, format and licence."""
    out: list[Triple] = []

    def add(s: NamedNode, p: str, o: NamedNode | Literal) -> None:
        out.append(Triple(s, iri(p), o))

    for name, fmt in distributions():
        distribution = iri(f"{base}dataset/{name.replace('.', '-')}")
        media_type = iri(IANA_MEDIA_TYPES + fmt.media_type)
        add(dataset, DCAT + "distribution", distribution)
        add(distribution, RDF + "type", iri(DCAT + "Distribution"))
        add(distribution, DCTERMS + "title", Literal(name))
        add(distribution, DCAT + "accessURL", iri(downloads + name))
        add(distribution, DCAT + "downloadURL", iri(downloads + name))
        add(distribution, DCAT + "mediaType", media_type)
        add(media_type, RDF + "type", iri(DCTERMS + "MediaType"))
        if fmt.eu_file_type:
            file_type = iri(EU_FILE_TYPE + fmt.eu_file_type)
            add(distribution, DCTERMS + "format", file_type)
            add(file_type, RDF + "type", iri(DCTERMS + "MediaTypeOrExtent"))
        add(distribution, DCTERMS + "license", iri(CC_BY_4))
        add(dataset, VOID + "dataDump", iri(downloads + name))
    return out


def describe_files(base: str, files: Mapping[str, tuple[int, str]]) -> list[Triple]:
    """Byte size and SHA-256 checksum of each distribution, by file name: ``(size, hex)``."""
    out: list[Triple] = []
    for name, (size, sha256) in sorted(files.items()):
        distribution = iri(f"{base}dataset/{name.replace('.', '-')}")
        checksum = iri(f"{base}dataset/{name.replace('.', '-')}-checksum")
        out += [
            Triple(distribution, iri(DCAT + "byteSize"), typed(size, "nonNegativeInteger")),
            Triple(distribution, iri(SPDX + "checksum"), checksum),
            Triple(checksum, iri(RDF + "type"), iri(SPDX + "Checksum")),
            Triple(checksum, iri(SPDX + "algorithm"), iri(SPDX + "checksumAlgorithm_sha256")),
            Triple(checksum, iri(SPDX + "checksumValue"), typed(sha256, "hexBinary")),
        ]
    return out
