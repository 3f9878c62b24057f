#!/usr/bin/env python3
"""Generate a regiongraph project whose source documents have the FY2013 list's exact layout.

    python bench/generate.py --regions 10000 --seed 1 --out bench/out/p10000

Deterministic for a given seed. The regions are spread over calls of 1,000 (one document per
fiscal year, 平成 or 令和), each with two or three selection categories and:
- the column-header row repeated at page breaks (every 20 to 30 rows) and blank lines;
- line-wrap spaces inside the cells of about one row in eight;
- realistic Japanese names built from all 47 prefectures, kana and romaji forms and regional names;
- councils that share names (イノベーション推進協議会 and others) and coordinating organizations
  that recur across calls.
The project's reference data, curation, ontology, shapes and queries are copied from the
repository, so the generated directory builds with ``regiongraph build --project``.

Three knobs set the data's shape (see SHAPES for the two that ``bench/run`` measures):
- ``--curated SHARE``: the share of regions whose summary names curated fields and whose region,
  council and organization have English names in the project's ``english-names.csv`` (written
  for the generated project; never shipped). The rest look like a newly added list: no field
  words, no English names, so validation warns about each.
- ``--organizations N``: the size of the pool of coordinating organizations the regions draw
  from (default: six per prefecture, 282, which recur across calls). A pool as large as the
  list gives about 63% distinct organizations, as a new list has.
- ``--multi-prefecture SHARE``: the share of regions named after two prefectures (富山・石川) or
  a regional name (北陸), so linked to several prefectures.
"""

from __future__ import annotations

import argparse
import csv
import random
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REGIONS_PER_CALL = 1000
HEADER = "\t地域名\t協議会\t総合調整機関\t全体構想のテーマ名\t全体構想の概要"
CATEGORIES = [
    ("国際競争力強化地域", "海外からもヒト・モノ・カネを惹きつける強力なポテンシャルを持った地域"),
    (
        "研究機能・産業集積高度化地域",
        "地域の特性を活かしたイノベーションが期待でき、将来的に海外市場を獲得できるポテンシャルを有する地域",
    ),
    ("新産業創出地域", "地域資源を活かして新たな産業と雇用を生み出す地域"),
]
FIELD_WORDS = [
    ("ライフサイエンス", "ライフサイエンス分野の実用化開発拠点を形成し"),
    ("医薬品", "革新的な医薬品の開発を進め"),
    ("医療機器", "医療現場のニーズに応える医療機器を開発し"),
    ("がん医療", "がん医療の発展に貢献し"),
    ("健康産業", "新たな健康産業を創出し"),
    ("環境・エネルギー", "環境・エネルギー分野の技術革新を進め"),
    ("航空機", "航空機部品の生産体制を構築し"),
    ("無人航空機", "無人航空機の世界基準・規格開発を進め"),
    ("ナノテク", "ナノテク技術とコア技術を融合し"),
    ("ものづくり", "ものづくり企業の技を結集し"),
    ("機能性食品", "農林水産資源を利用した機能性食品を商品化し"),
    ("先端医療技術", "先端医療技術の研究開発拠点を構築し"),
]
THEME_WORDS = ["次世代", "国際", "先端", "革新的", "持続可能な", "未来型", "グローバル"]
PLACE_SUFFIXES = [
    "創出拠点",
    "推進地域",
    "創出地域",
    "クラスター",
    "コアコンピタンスエリア",
    "創出エリア",
]
SHARED_COUNCILS = [
    "イノベーション推進協議会",
    "地域イノベーション戦略推進協議会",
    "産学官連携推進協議会",
]
ORG_FORMS = [
    "公益財団法人",
    "公益財団法人",
    "公益財団法人",
    "一般財団法人",
    "一般社団法人",
    "国立大学法人",
    "株式会社",
]
ORG_NAMES = [
    "産業振興財団",
    "産業支援機構",
    "科学技術振興機構",
    "新産業創造機構",
    "産業技術総合研究所",
    "地域振興センター",
]
THEME_EN = dict(
    zip(
        THEME_WORDS,
        [
            "Next-generation",
            "International",
            "Advanced",
            "Innovative",
            "Sustainable",
            "Future",
            "Global",
        ],
        strict=True,
    )
)
FIELD_EN = {
    "ライフサイエンス": "Life Science",
    "医薬品": "Pharmaceutical",
    "医療機器": "Medical Device",
    "がん医療": "Cancer Care",
    "健康産業": "Health Industry",
    "環境・エネルギー": "Environment and Energy",
    "航空機": "Aircraft",
    "無人航空機": "Unmanned Aircraft",
    "ナノテク": "Nanotech",
    "ものづくり": "Manufacturing",
    "機能性食品": "Functional Food",
    "先端医療技術": "Advanced Medical Technology",
    "科学技術イノベーション": "Science and Technology Innovation",
}
SUFFIX_EN = dict(
    zip(
        PLACE_SUFFIXES,
        [
            "Creation Hub",
            "Promotion Region",
            "Creation Region",
            "Cluster",
            "Core Competence Area",
            "Creation Area",
        ],
        strict=True,
    )
)
ORG_EN = dict(
    zip(
        ORG_NAMES,
        [
            "Industrial Promotion Foundation",
            "Industry Support Organization",
            "Science and Technology Agency",
            "New Industry Creation Organization",
            "Industrial Technology Institute",
            "Regional Promotion Center",
        ],
        strict=True,
    )
)
#: Katakana syllables that make distinct organization names (no prefecture is written in them).
SYLLABLES = (
    "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワ"
)
REGIONAL = [
    ("北陸", ["16", "17", "18"], "Hokuriku"),
    ("東北", ["02", "03", "04", "05", "06", "07"], "Tohoku"),
    ("山陰", ["31", "32"], "San'in"),
]


def load_prefectures() -> list[dict[str, str]]:
    with (ROOT / "data" / "reference" / "prefectures.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def short(name: str) -> str:
    return name if name == "北海道" else name[:-1]


def kana(prefecture: dict[str, str]) -> str:
    for suffix in ("けん", "ふ", "と"):
        if prefecture["name_kana"].endswith(suffix) and prefecture["name_ja"][-1] in "県府都":
            return prefecture["name_kana"][: -len(suffix)]
    return prefecture["name_kana"]


def wrap(text: str, rng: random.Random) -> str:
    """Insert line-wrap spaces between Japanese characters, as a PDF table extraction does."""
    out = []
    for i, char in enumerate(text):
        out.append(char)
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if nxt and ord(char) > 0x3000 and ord(nxt) > 0x3000 and rng.random() < 0.2:
            out.append(" ")
    return "".join(out)


def era(year: int) -> str:
    if year >= 2019:
        return "令和元年度" if year == 2019 else f"令和{year - 2018}年度"
    return "平成元年度" if year == 1989 else f"平成{year - 1988}年度"


@dataclass(frozen=True)
class Shape:
    """What a generated list looks like (see the module's docstring)."""

    curated: float = 1.0
    organizations: int | None = None
    multi_prefecture: float = 0.05


#: The data shapes ``bench/run`` measures: a curated list, and a newly added one.
SHAPES = {
    "curated": lambda regions: Shape(),
    "new-list": lambda regions: Shape(curated=0.0, organizations=regions),
}


def _syllables(index: int) -> str:
    out = ""
    while True:
        index, digit = divmod(index, len(SYLLABLES))
        out += SYLLABLES[digit]
        if index == 0:
            return out


class Generator:
    def __init__(self, seed: int, shape: Shape = Shape()) -> None:
        self.rng = random.Random(seed)
        self.shape = shape
        self.prefectures = load_prefectures()
        self.by_code = {p["code"]: p for p in self.prefectures}
        self.english: dict[tuple[str, str], str] = {}
        # Organizations recur across calls: a pool per prefecture, six each by default.
        self.organizations: dict[str, list[tuple[str, str]]] = {
            p["code"]: [] for p in self.prefectures
        }
        if shape.organizations is None:
            for p in self.prefectures:
                for form, name in zip(ORG_FORMS, ORG_NAMES, strict=False):
                    self.organizations[p["code"]].append(
                        (f"{form}{short(p['name_ja'])}{name}", f"{p['name_en']} {ORG_EN[name]}")
                    )
        else:
            for index in range(shape.organizations):
                p = self.prefectures[index % len(self.prefectures)]
                name = ORG_NAMES[index % len(ORG_NAMES)]
                word = _syllables(index // len(self.prefectures))
                self.organizations[p["code"]].append(
                    (
                        f"{ORG_FORMS[index % len(ORG_FORMS)]}{short(p['name_ja'])}{word}{name}",
                        f"{p['name_en']} {word} {ORG_EN[name]}",
                    )
                )

    def place_word(self) -> tuple[str, str, str]:
        """A way of naming a prefecture (kanji, short, kana, romaji), two, or a regional name:
        the word, the code of a prefecture it names, and its English."""
        rng = self.rng
        if rng.random() < self.shape.multi_prefecture:
            if rng.random() < 0.5:
                word, codes, english = rng.choice(REGIONAL)
                return word, rng.choice(codes), english
            first, second = rng.sample(self.prefectures, 2)
            word = f"{short(first['name_ja'])}・{short(second['name_ja'])}"
            return word, first["code"], f"{first['name_en']}-{second['name_en']}"
        roll = rng.random()
        p = rng.choice(self.prefectures)
        english = p["name_en"]
        if roll < 0.1:
            return kana(p), p["code"], english
        if roll < 0.15:
            return p["name_en"].upper(), p["code"], english
        if roll < 0.6:
            return short(p["name_ja"]), p["code"], english
        return p["name_ja"], p["code"], english

    def row(self, number: int) -> str:
        rng = self.rng
        place, code, place_en = self.place_word()
        curated = rng.random() < self.shape.curated
        fields = rng.sample(FIELD_WORDS, rng.randint(1, 3)) if curated else []
        focus = fields[0][0] if fields else "科学技術イノベーション"
        theme_word, suffix = rng.choice(THEME_WORDS), rng.choice(PLACE_SUFFIXES)
        name = f"{place}{theme_word}{focus}{suffix}"
        council = (
            rng.choice(SHARED_COUNCILS) if rng.random() < 0.15 else f"{place}{focus}推進協議会"
        )
        if rng.random() < 0.05:
            council += "（仮称）"
        organization, organization_en = rng.choice(self.organizations[code])
        if curated:
            focus_en = FIELD_EN[focus]
            self.english[("region", name)] = (
                f"{place_en} {THEME_EN[theme_word]} {focus_en} {SUFFIX_EN[suffix]}"
            )
            self.english[("council", council)] = f"{place_en} {focus_en} Promotion Council"
            self.english[("organization", organization)] = organization_en
        theme = f"{place}の{focus}による{rng.choice(THEME_WORDS)}産業クラスターの形成"
        summary = (
            f"{place}に集積する大学や企業の強みを生かし、"
            + "".join(phrase for _, phrase in fields)
            + "産学官金の連携によって地域の活性化と新たな雇用の創出を目指す。"
        )
        cells = [name, council, organization, theme, summary]
        if rng.random() < 0.125:
            cells = [wrap(cell, rng) for cell in cells[:4]] + [summary]
        return "\t".join([str(number), *cells])

    def document(self, year: int, regions: int) -> str:
        rng = self.rng
        categories = CATEGORIES[: 2 if regions < 300 else 3]
        counts = [regions // len(categories)] * len(categories)
        counts[0] += regions - sum(counts)
        lines = [
            "",
            "",
            f"地域イノベーション戦略推進地域（{era(year)}公募分）一覧",
            "",
            "別添1",
            "",
        ]
        for index, ((category, description), count) in enumerate(
            zip(categories, counts, strict=True), start=1
        ):
            lines += [
                f"({index}) {category}に選定された{count}地域  ",
                f" ({description})",
                "",
                HEADER,
            ]
            next_break = rng.randint(20, 30)
            for number in range(1, count + 1):
                lines.append(self.row(number))
                next_break -= 1
                if next_break == 0 and number < count:
                    lines += ["", HEADER]
                    next_break = rng.randint(20, 30)
            lines.append("")
        return "\n".join(lines)


def generate(regions: int, seed: int, out: Path, shape: Shape = Shape()) -> list[Path]:
    """Write a project with ``regions`` regions of ``shape`` into ``out``; return the sources."""
    if out.exists():
        shutil.rmtree(out)
    for part in ("data/reference", "data/curation", "ontology", "shapes", "queries"):
        shutil.copytree(ROOT / part, out / part)
    shutil.copy(ROOT / "regiongraph.toml", out / "regiongraph.toml")
    source_dir = out / "data" / "source"
    source_dir.mkdir(parents=True)
    generator = Generator(seed, shape)
    written = []
    year, left = 1989, regions
    while left > 0:
        count = min(REGIONS_PER_CALL, left)
        path = source_dir / f"regions-fy{year}.txt"
        path.write_text(generator.document(year, count), encoding="utf-8")
        written.append(path)
        left -= count
        year += 1
    _add_english_names(out / "data" / "curation" / "english-names.csv", generator.english)
    return written


def _add_english_names(path: Path, english: dict[tuple[str, str], str]) -> None:
    """Append the generated English names the shipped file does not already hold."""
    with path.open(encoding="utf-8") as handle:
        known = {(row["kind"], row["name_ja"]) for row in csv.DictReader(handle)}
    with path.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        for (kind, name), label in sorted(english.items()):
            if (kind, name) not in known:
                writer.writerow([kind, name, label, "translation", ""])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--regions", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--shape", choices=sorted(SHAPES), help="a named shape (default: curated)")
    parser.add_argument("--curated", type=float, help="share of curated regions (0 to 1)")
    parser.add_argument("--organizations", type=int, help="size of the organization pool")
    parser.add_argument("--multi-prefecture", type=float, help="share of multi-prefecture regions")
    args = parser.parse_args()
    shape = SHAPES[args.shape or "curated"](args.regions)
    knobs = {
        "curated": args.curated,
        "organizations": args.organizations,
        "multi_prefecture": args.multi_prefecture,
    }
    shape = replace(shape, **{k: v for k, v in knobs.items() if v is not None})
    files = generate(args.regions, args.seed, args.out, shape)
    print(f"{args.out}: {args.regions} regions in {len(files)} source documents")


if __name__ == "__main__":
    main()
