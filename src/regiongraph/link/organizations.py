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
    base = _PROVISIONAL.sub("", name).strip()
    # Longest spelling first, so that 地方独立行政法人 is not read as 独立行政法人.
    spellings = sorted(
        ((spelling, form) for form in legal_forms for spelling in (form.form_ja, *form.aliases)),
        key=lambda item: -len(item[0]),
    )
    for spelling, form in spellings:
        if base.startswith(spelling) and len(base) > len(spelling):
            return OrganizationName(name, base[len(spelling) :].strip(), form, provisional)
        if base.endswith(spelling) and len(base) > len(spelling):
            return OrganizationName(name, base[: -len(spelling)].strip(), form, provisional)
    return OrganizationName(name, base, None, provisional)
