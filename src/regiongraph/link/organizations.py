"""Organization names: legal form (法人格) and provisional-name mark (（仮称）)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from regiongraph.link.curation import LegalForm

_PROVISIONAL = re.compile(r"\s*[(（]\s*仮称\s*[)）]\s*")


@dataclass(frozen=True)
class OrganizationName:
    """A name as written, split into its parts."""

    as_written: str
    base_name: str
    legal_form: LegalForm | None
    provisional: bool


def split_name(name: str, legal_forms: list[LegalForm]) -> OrganizationName:
    """Split ``name`` into legal form (before or after the name), base name and provisional mark.

    >>> from regiongraph.link.curation import LegalForm
    >>> forms = [LegalForm("公益財団法人", ("（公財）",), "pif", "Public interest foundation")]
    >>> split_name("公益財団法人京都高度技術研究所", forms).base_name
    '京都高度技術研究所'
    >>> split_name("神奈川県推進協議会（仮称）", forms).provisional
    True
    """
    provisional = bool(_PROVISIONAL.search(name))
    base = _PROVISIONAL.sub("", name).strip() if provisional else name.strip()
    for spelling, form in _spellings(legal_forms):
        if base.startswith(spelling) and len(base) > len(spelling):
            return OrganizationName(name, base[len(spelling) :].strip(), form, provisional)
        if base.endswith(spelling) and len(base) > len(spelling):
            return OrganizationName(name, base[: -len(spelling)].strip(), form, provisional)
    return OrganizationName(name, base, None, provisional)


_SPELLINGS: dict[int, tuple[list[LegalForm], list[tuple[str, LegalForm]]]] = {}


def _spellings(legal_forms: list[LegalForm]) -> list[tuple[str, LegalForm]]:
    """Every spelling of the forms with its form, longest first, so that 地方独立行政法人 is not
    read as 独立行政法人; sorted once per list of forms (a build splits a name per body)."""
    found = _SPELLINGS.get(id(legal_forms))
    if found is None or found[0] is not legal_forms:  # the list kept: its id is not reused
        every = [(s, form) for form in legal_forms for s in (form.form_ja, *form.aliases)]
        spellings = sorted(every, key=lambda item: -len(item[0]))
        found = _SPELLINGS[id(legal_forms)] = (legal_forms, spellings)
    return found[1]
