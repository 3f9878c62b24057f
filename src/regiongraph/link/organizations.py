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
    spellings = _spellings(legal_forms)
    # the first spelling (longest first) that starts or ends the name, with a name left over
    first = spellings.leading.match(base)
    last = spellings.trailing.search(base)
    if first is None and last is None:
        return OrganizationName(name, base, None, provisional)
    at_start = spellings.rank[first.group()] if first is not None else len(spellings.forms)
    at_end = spellings.rank[last.group()] if last is not None else len(spellings.forms)
    if at_start <= at_end:
        spelling, form = spellings.forms[at_start]
        return OrganizationName(name, base[len(spelling) :].strip(), form, provisional)
    spelling, form = spellings.forms[at_end]
    return OrganizationName(name, base[: -len(spelling)].strip(), form, provisional)


@dataclass(frozen=True)
class _Spellings:
    """Every spelling of a list of legal forms with its form, longest first (so that
    地方独立行政法人 is not read as 独立行政法人), its place in that order, and two patterns: the
    first spelling that starts a longer text, and the first that ends one."""

    forms: list[tuple[str, LegalForm]]
    rank: dict[str, int]
    leading: re.Pattern[str]
    trailing: re.Pattern[str]

    @classmethod
    def of(cls, legal_forms: list[LegalForm]) -> _Spellings:
        every = [(s, form) for form in legal_forms for s in (form.form_ja, *form.aliases)]
        forms = sorted(every, key=lambda item: -len(item[0]))
        rank: dict[str, int] = {}
        for index, (spelling, _) in enumerate(forms):
            rank.setdefault(spelling, index)
        # alternatives are tried in order: the longest first, then as listed; a regular
        # expression that matches nothing stands for an empty list
        either = "|".join(re.escape(spelling) for spelling, _ in forms) or "(?!)"
        leading = re.compile(rf"(?:{either})(?=[\s\S])")
        trailing = re.compile(rf"(?<=[\s\S])(?:{either})\Z")
        return cls(forms, rank, leading, trailing)


_SPELLINGS: dict[int, tuple[list[LegalForm], _Spellings]] = {}


def _spellings(legal_forms: list[LegalForm]) -> _Spellings:
    """The spellings of ``legal_forms``, made once per list of forms (a build splits a name
    per body)."""
    found = _SPELLINGS.get(id(legal_forms))
    if found is None or found[0] is not legal_forms:  # the list kept: its id is not reused
        found = _SPELLINGS[id(legal_forms)] = (legal_forms, _Spellings.of(legal_forms))
    return found[1]
