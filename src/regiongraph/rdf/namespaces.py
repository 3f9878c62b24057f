"""Namespaces used by the graph, and the prefixes shown in Turtle, JSON-LD and queries."""

from __future__ import annotations

from functools import lru_cache

RG = "https://example.org/regiongraph/ontology#"
DEFAULT_BASE_IRI = "https://example.org/regiongraph/"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"
VOID = "http://rdfs.org/ns/void#"
PROV = "http://www.w3.org/ns/prov#"
ORG = "http://www.w3.org/ns/org#"
SCHEMA = "https://schema.org/"
FOAF = "http://xmlns.com/foaf/0.1/"
IC = "http://imi.go.jp/ns/core/rdf#"
SH = "http://www.w3.org/ns/shacl#"
WD = "http://www.wikidata.org/entity/"
SAC = "http://data.e-stat.go.jp/lod/sac/"
SPDX = "http://spdx.org/rdf/terms#"
#: The EU Publications Office authority tables that DCAT-AP uses (file types, data themes).
EU_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
EU_DATA_THEME = "http://publications.europa.eu/resource/authority/data-theme/"
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"

#: Prefixes predeclared everywhere (Turtle, JSON-LD, queries), in display order.
STANDARD_PREFIXES: dict[str, str] = {
    "rg": RG,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "owl": OWL,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "dcat": DCAT,
    "void": VOID,
    "prov": PROV,
    "org": ORG,
    "schema": SCHEMA,
    "foaf": FOAF,
    "ic": IC,
    "wd": WD,
    "sac": SAC,
    "spdx": SPDX,
}


def compact(iri: str, prefixes: dict[str, str]) -> str:
    """``prefix:local`` for the longest namespace of ``prefixes`` that ``iri`` starts with.

    >>> compact("http://www.w3.org/2000/01/rdf-schema#label", STANDARD_PREFIXES)
    'rdfs:label'
    """
    for prefix, namespace in _longest_first(tuple(prefixes.items())):
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


@lru_cache(maxsize=16)
def _longest_first(prefixes: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
    """The prefixes, longest namespace first (sorted once per set: compact runs per term)."""
    return sorted(prefixes, key=lambda item: -len(item[1]))


def prefixes_for(base: str) -> dict[str, str]:
    """Standard prefixes plus short prefixes for the project's own resources under ``base``."""
    own = {
        "region": f"{base}region/",
        "pref": f"{base}prefecture/",
        "field": f"{base}field/",
        "orgn": f"{base}organization/",
        "council": f"{base}council/",
        "plan": f"{base}plan/",
        "assignment": f"{base}assignment/",
        "category": f"{base}category/",
        "legalform": f"{base}legal-form/",
        "call": f"{base}call/",
        "source": f"{base}source/",
        "curation": f"{base}curation/",
    }
    return {**STANDARD_PREFIXES, **own}
