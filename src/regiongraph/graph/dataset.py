"""The dataset's own description (DCAT and VoID): title, licence, sources, size, vocabularies."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from pyoxigraph import Literal, NamedNode, Triple

from regiongraph.project import GRAPH_STEM
from regiongraph.rdf.formats import GRAPH_FORMATS
from regiongraph.rdf.iris import file_slug
from regiongraph.rdf.namespaces import (
    DCAT,
    DCTERMS,
    FOAF,
    RDF,
    RDFS,
    STANDARD_PREFIXES,
    VOID,
)
from regiongraph.rdf.terms import en, iri, ja, triple_order, typed
from regiongraph.source.records import SourceDocument

CC_BY_4 = "https://creativecommons.org/licenses/by/4.0/"
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


def describe_dataset(
    base: str,
    documents: Sequence[SourceDocument],
    vocabulary: Iterable[str],
    size: int,
    example_resources: Sequence[str],
    publisher: str,
) -> list[Triple]:
    """DCAT/VoID triples describing the graph built from ``documents``."""
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
    agent = iri(f"{base}publisher")
    add(dataset, DCTERMS + "publisher", agent)
    add(agent, RDF + "type", iri(FOAF + "Agent"))
    add(agent, FOAF + "name", Literal(publisher))
    add(dataset, DCTERMS + "license", iri(CC_BY_4))
    add(dataset, RDFS + "seeAlso", iri(GOV_TERMS_2))
    titles = "、".join(f"「{d.title}」" for d in documents)
    add(
        dataset,
        DCTERMS + "rights",
        ja(
            f"出典：{titles}（文部科学省ほか）を加工して作成。政府標準利用規約（第2.0版）に準拠し、"
            "クリエイティブ・コモンズ 表示 4.0 国際（CC BY 4.0）と互換。"
            "英語ラベル・分野・法人格等の付加情報は"
            "regiongraph による整備。"
        ),
    )
    add(
        dataset,
        DCTERMS + "rights",
        en(
            f"Source: {titles} (MEXT and other ministries), edited. Used under the Government of "
            "Japan Standard Terms of Use (Ver. 2.0), compatible with CC BY 4.0. English labels, "
            "fields, legal forms and other additions are curated by regiongraph."
        ),
    )
    for document in documents:
        stem = document.source.rsplit(".", 1)[0]
        add(dataset, DCTERMS + "source", iri(f"{base}source/{file_slug(stem)}"))
    years = sorted({d.fiscal_year for d in documents})
    for year in years:
        add(dataset, DCTERMS + "temporal", iri(f"{base}call/{year}"))
    date = build_date()
    if date:
        add(dataset, DCTERMS + "modified", typed(date, "date"))
    add(dataset, VOID + "triples", typed(size, "integer"))
    add(dataset, VOID + "uriSpace", Literal(base))
    for namespace in used_vocabularies(vocabulary):
        add(dataset, VOID + "vocabulary", iri(namespace))
    for example in example_resources:
        add(dataset, VOID + "exampleResource", iri(example))
    for fmt in GRAPH_FORMATS:
        name, media_type = f"{GRAPH_STEM}.{fmt.extension}", fmt.media_type
        distribution = iri(f"{base}dataset/{name.replace('.', '-')}")
        add(dataset, DCAT + "distribution", distribution)
        add(distribution, RDF + "type", iri(DCAT + "Distribution"))
        add(
            distribution,
            DCAT + "mediaType",
            iri(f"https://www.iana.org/assignments/media-types/{media_type}"),
        )
        add(distribution, DCTERMS + "title", Literal(name))
        add(dataset, VOID + "dataDump", iri(f"{base}{name}"))
    return sorted(out, key=triple_order)
