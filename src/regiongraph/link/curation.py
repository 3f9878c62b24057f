"""Load the project's curation files (data/curation/*.csv): our additions to the sources."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from regiongraph.errors import DataError
from regiongraph.link.csv_files import read_rows

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

#: Curation files, by key: the file name under data/curation/.
CURATION_FILES = {
    "categories": "categories.csv",
    "legal_forms": "legal-forms.csv",
    "fields": "fields.csv",
    "regional_names": "regional-names.csv",
    "region_prefectures": "region-prefectures.csv",
    "english_names": "english-names.csv",
    "organizations": "organizations.csv",
    "corporate_numbers": "corporate-numbers.csv",  # optional: written by 'link corporate-numbers'
}
#: The columns of corporate-numbers.csv, as 'regiongraph link corporate-numbers' writes them.
CORPORATE_NUMBER_COLUMNS = (
    "organization",
    "corporate_number",
    "matched_name",
    "address",
    "source_file",
    "source_row",
    "method",
)


@dataclass(frozen=True)
class CategoryCuration:
    name_ja: str
    slug: str
    label_en: str
    description_en: str


@dataclass(frozen=True)
class LegalForm:
    form_ja: str
    aliases: tuple[str, ...]
    slug: str
    label_en: str


@dataclass(frozen=True)
class FieldConcept:
    slug: str
    broader: str | None
    label_ja: str
    label_en: str
    terms: tuple[str, ...]


@dataclass(frozen=True)
class EnglishName:
    """An English name: the body's own (``official``, with the public ``source`` that shows it)
    or ours (``translation``)."""

    label: str
    official: bool
    source: str | None


@dataclass(frozen=True)
class RegionalName:
    name_ja: str
    prefecture_codes: tuple[str, ...]
    evidence: str


@dataclass(frozen=True)
class CuratedPrefecture:
    fiscal_year: int
    category: int
    number: int
    prefecture_code: str
    action: str
    evidence: str
    line: int


@dataclass(frozen=True)
class CorporateNumber:
    """An organization's corporate number, as matched in the NTA's bulk data."""

    number: str
    matched_name: str
    address: str
    source_file: str
    source_row: int
    method: str


@dataclass
class Curation:
    """Everything in data/curation, checked."""

    directory: Path
    categories: dict[str, CategoryCuration] = field(default_factory=dict)
    legal_forms: list[LegalForm] = field(default_factory=list)
    fields: list[FieldConcept] = field(default_factory=list)
    regional_names: list[RegionalName] = field(default_factory=list)
    region_prefectures: list[CuratedPrefecture] = field(default_factory=list)
    english_names: dict[tuple[str, str], EnglishName] = field(default_factory=dict)
    organization_slugs: dict[str, str] = field(default_factory=dict)
    corporate_numbers: dict[str, CorporateNumber] = field(default_factory=dict)  # by name

    def path(self, key: str) -> Path:
        return self.directory / CURATION_FILES[key]

    def english(self, kind: str, name_ja: str) -> EnglishName | None:
        """The curated English name of a ``region``, ``council`` or ``organization``."""
        return self.english_names.get((kind, name_ja))


def _slug(path: Path, line: int, value: str) -> str:
    if not SLUG.fullmatch(value):
        raise DataError(
            f"{path}:{line}: slug {value!r} must be lowercase ASCII words joined by '-'"
        )
    return value


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split("|") if part.strip())


def load_curation(directory: Path, prefecture_codes: set[str]) -> Curation:
    """Read and check every curation file in ``directory``."""
    curation = Curation(directory)

    path = curation.path("categories")
    for line, row in read_rows(path, ("name_ja", "slug", "label_en"), ("description_en",)):
        curation.categories[row["name_ja"]] = CategoryCuration(
            row["name_ja"], _slug(path, line, row["slug"]), row["label_en"], row["description_en"]
        )

    path = curation.path("legal_forms")
    for line, row in read_rows(path, ("form_ja", "slug", "label_en"), ("aliases",)):
        curation.legal_forms.append(
            LegalForm(
                row["form_ja"],
                _split(row["aliases"]),
                _slug(path, line, row["slug"]),
                row["label_en"],
            )
        )

    path = curation.path("fields")
    slugs: set[str] = set()
    for line, row in read_rows(path, ("slug", "label_ja", "label_en", "terms"), ("broader",)):
        slug = _slug(path, line, row["slug"])
        if slug in slugs:
            raise DataError(f"{path}:{line}: duplicate field {slug!r}")
        broader = row["broader"] or None
        if broader is not None and broader not in slugs:
            raise DataError(f"{path}:{line}: broader field {broader!r} must be defined above")
        slugs.add(slug)
        curation.fields.append(
            FieldConcept(slug, broader, row["label_ja"], row["label_en"], _split(row["terms"]))
        )

    path = curation.path("regional_names")
    for line, row in read_rows(path, ("name_ja", "prefecture_codes", "evidence")):
        codes = _split(row["prefecture_codes"])
        unknown = [code for code in codes if code not in prefecture_codes]
        if unknown:
            raise DataError(f"{path}:{line}: unknown prefecture code(s) {', '.join(unknown)}")
        curation.regional_names.append(RegionalName(row["name_ja"], codes, row["evidence"]))

    path = curation.path("region_prefectures")
    columns = ("fiscal_year", "category", "number", "prefecture_code", "action", "evidence")
    for line, row in read_rows(path, columns):
        if row["action"] not in ("add", "remove"):
            raise DataError(
                f"{path}:{line}: action must be 'add' or 'remove', not {row['action']!r}"
            )
        if row["prefecture_code"] not in prefecture_codes:
            raise DataError(f"{path}:{line}: unknown prefecture code {row['prefecture_code']!r}")
        try:
            year, category, number = (int(row[k]) for k in ("fiscal_year", "category", "number"))
        except ValueError:
            raise DataError(
                f"{path}:{line}: fiscal_year, category and number must be integers"
            ) from None
        curation.region_prefectures.append(
            CuratedPrefecture(
                year, category, number, row["prefecture_code"], row["action"], row["evidence"], line
            )
        )

    path = curation.path("english_names")
    for line, row in read_rows(path, ("kind", "name_ja", "label_en", "status"), ("source",)):
        if row["kind"] not in ("region", "council", "organization"):
            raise DataError(f"{path}:{line}: kind must be region, council or organization")
        if row["status"] not in ("official", "translation"):
            raise DataError(f"{path}:{line}: status must be official or translation")
        official = row["status"] == "official"
        if official and not re.fullmatch(r"https?://\S+", row["source"]):
            raise DataError(
                f"{path}:{line}: an official English name needs its source: "
                "the http(s) address of the public page that shows it"
            )
        curation.english_names[(row["kind"], row["name_ja"])] = EnglishName(
            row["label_en"], official, row["source"] or None
        )

    path = curation.path("organizations")
    for line, row in read_rows(path, ("name_ja", "slug")):
        slug = _slug(path, line, row["slug"])
        if slug in curation.organization_slugs.values():
            raise DataError(f"{path}:{line}: slug {slug!r} is used by another organization")
        curation.organization_slugs[row["name_ja"]] = slug

    path = curation.path("corporate_numbers")
    if path.is_file():
        _load_corporate_numbers(curation, path)
    return curation


def _load_corporate_numbers(curation: Curation, path: Path) -> None:
    from regiongraph.link.corporate_numbers import is_corporate_number

    for line, row in read_rows(path, CORPORATE_NUMBER_COLUMNS):
        number = row["corporate_number"]
        if not is_corporate_number(number):
            raise DataError(
                f"{path}:{line}: {number!r} is not a corporate number (13 digits, the first "
                "the check digit of the rest)"
            )
        if not row["source_row"].isdigit():
            raise DataError(f"{path}:{line}: source_row must be a row number")
        if row["organization"] in curation.corporate_numbers:
            raise DataError(f"{path}:{line}: {row['organization']} has a number above already")
        curation.corporate_numbers[row["organization"]] = CorporateNumber(
            number,
            row["matched_name"],
            row["address"],
            row["source_file"],
            int(row["source_row"]),
            row["method"],
        )
