"""Write notebooks/book_index.md: the book's index of people, places and organisations.

The entries come from the data: data/people.csv (names and the spellings to look for,
column index_names), data/places.csv with the earlier and local names in
data/place_names.csv, and data/organisations.csv (abbreviation and name). Each entry
links to every chapter in _toc.yml whose prose (Markdown cells and Markdown pages,
without code, citation keys, link targets or other roles' contents) names it.

Matching is case-sensitive, on whole words, and where two entries' names overlap in
the text the longer name wins ("Shanghai Five" is the organisation, not the city).

    python scripts/make_book_index.py           write the page
    python scripts/make_book_index.py --check   exit 1 if the page is not current

Offline and deterministic: the same data and chapters give the same bytes.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
PAGE = ROOT / "notebooks" / "book_index.md"
GLOSSARY = ROOT / "notebooks" / "glossary.md"

#: Pages that are not searched: the index itself and the glossary (which names every body).
SKIP_PAGES = {"notebooks/book_index", "notebooks/glossary", "notebooks/bibliography"}

#: Names the chapters use that the tables do not carry as a separate spelling.
EXTRA_NAMES = {
    "org:cau": ["Central Asian Union", "Central Asian Economic Union"],
    "org:ca_grouping_1991": ["Central Asian Commonwealth", "TsARS"],
    "org:interstate_council": ["Interstate Council"],
    "org:cis_customs_union": ["Customs Union"],
    "org:centrasbat": ["CentrAsBat", "CENTRASBAT"],
    "org:osce": ["CSCE", "OSCE", "Organization for Security and Co-operation in Europe"],
    "org:un": ["United Nations"],
    "place:new_york": ["New York"],
}
#: Names in the tables that would find the wrong thing in the prose, per entry.
DROP_NAMES = {
    "place:aralsk": ["Aral"],            # the town; "Aral" alone is almost always the sea
    "place:turkistan": ["Turkestan"],    # the chapters' "Turkestan" is the region or the proposed republic
}
#: Phrases that contain an entry's name without meaning it; matched first and then ignored.
BLOCKERS = ["Aral Sea", "Turkestan republic", "Washington Post", "Moscow Times", "New York Times",
            "Shanghai Convention", "Tashkent Treaty", "Tashkent pact"]


@dataclass
class Entry:
    key: str
    section: str
    title: str
    detail: str
    names: list[str]
    glossary: str | None = None
    chapters: list[str] = field(default_factory=list)


def read_csv(name: str) -> list[dict]:
    with open(DATA / f"{name}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def toc_pages() -> list[str]:
    """The pages of _toc.yml in reading order (without a YAML parser: the file is a plain list)."""
    pages = []
    for line in (ROOT / "_toc.yml").read_text(encoding="utf-8").splitlines():
        m = re.match(r"\s*(?:-\s*)?(?:file|root):\s*(\S+)", line)
        if m:
            pages.append(m.group(1))
    return pages


ROLE = re.compile(r"\{([\w:-]+)\}`([^`]*)`")
FENCE = re.compile(r"^(```|~~~|:::).*?^\1\s*$", re.M | re.S)


def prose(page: str) -> str:
    """The page's searchable prose: Markdown cells (notebooks) or the Markdown file."""
    nb, md = ROOT / f"{page}.ipynb", ROOT / f"{page}.md"
    if nb.exists():
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        text = "\n\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    else:
        text = md.read_text(encoding="utf-8")
    text = FENCE.sub(" ", text)
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
    # a {term} role keeps the words it shows; every other role (cite, glue, doc, ...) is dropped
    text = ROLE.sub(lambda m: m.group(2).split("<")[0] if m.group(1) == "term" else " ", text)
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    return text


def latin(name: str) -> bool:
    return all(ord(ch) < 0x0400 for ch in name)


def split_names(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\s*/\s*", text) if p.strip()]


def glossary_terms() -> set[str]:
    terms, inside = set(), False
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        if line.startswith("```{glossary}"):
            inside = True
        elif line.startswith("```"):
            inside = False
        elif inside and line and not line.startswith(" "):
            terms.add(line.strip())
    return terms


def entries() -> list[Entry]:
    out = []
    for r in read_csv("people"):
        out.append(Entry(f"person:{r['person_id']}", "People", r["name_en"], r["role"],
                         [n.strip() for n in r["index_names"].split(";") if n.strip()]))
    states = {r["iso3"]: r["name_en"] for r in read_csv("states")}
    variants: dict[str, list[str]] = {}
    for r in read_csv("place_names"):
        if r["language"] != "und":
            variants.setdefault(r["place_id"], []).extend(n for n in split_names(r["variant"]) if latin(n))
    for r in read_csv("places"):
        main = re.sub(r"\s*\(.*\)\s*$", "", r["name_en"]).strip()
        inner = re.findall(r"\(([^)]*)\)", r["name_en"])
        names = [main] + [n for part in inner for n in split_names(part) if "," not in n and " " not in n]
        names += variants.get(r["place_id"], [])
        out.append(Entry(f"place:{r['place_id']}", "Places", r["name_en"], states[r["state_iso3"]], names))
    terms = glossary_terms()
    for r in read_csv("organisations"):
        main = re.split(r"\s*[(,]", r["name_en"])[0].strip()
        names = [main] + split_names(r["abbreviation"])[::-1]   # the current abbreviation (OSCE) first
        out.append(Entry(f"org:{r['org_id']}", "Organisations", r["name_en"], r["abbreviation"], names))
        out[-1].glossary = next((t for t in names + EXTRA_NAMES.get(f"org:{r['org_id']}", []) if t in terms), None)
    for e in out:
        names = e.names + EXTRA_NAMES.get(e.key, [])
        drop = set(DROP_NAMES.get(e.key, []))
        e.names = sorted({n for n in names if n and n not in drop}, key=lambda n: (-len(n), n))
    return out


def find_mentions(all_entries: list[Entry], pages: list[str]) -> None:
    owners: dict[str, str] = {}
    for e in all_entries:
        for n in e.names:
            if owners.setdefault(n, e.key) != e.key:
                raise SystemExit(f"make_book_index: the name {n!r} belongs to both {owners[n]} and {e.key}")
    for b in BLOCKERS:
        owners.setdefault(b, "")
    alternatives = sorted(owners, key=lambda n: (-len(n), n))
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in alternatives) + r")(?!\w)")
    by_key = {e.key: e for e in all_entries}
    for page in pages:
        found = {owners[m.group(0)] for m in pattern.finditer(prose(page))} - {""}
        for key in sorted(found):
            by_key[key].chapters.append(page)


def sort_key(title: str) -> str:
    return title.casefold()


def render() -> str:
    pages = [p for p in toc_pages() if p not in SKIP_PAGES]
    all_entries = entries()
    find_mentions(all_entries, pages)
    lines = [
        "# Index of people, places and organisations",
        "",
        "<!-- Generated by scripts/make_book_index.py from data/people.csv, data/places.csv, data/place_names.csv "
        "and data/organisations.csv; do not edit by hand. -->",
        "",
        "Every person, place and organisation in the book's tables, with links to the chapters whose text names them "
        "(under any spelling the tables record). People come from `data/people.csv`, places from `data/places.csv` "
        "with their earlier names from `data/place_names.csv`, organisations from `data/organisations.csv`; each row "
        "there cites its source. The {doc}`glossary` explains the abbreviations. An entry marked *tables only* is in "
        "the data (an event's place or party, for example) but not named in any chapter's prose.",
    ]
    for section in ("People", "Places", "Organisations"):
        chosen = sorted((e for e in all_entries if e.section == section), key=lambda e: sort_key(e.title))
        lines += ["", f"## {section}", ""]
        for e in chosen:
            head = f"**{e.title}**"
            if e.detail:
                head += f" ({e.detail})"
            if e.glossary:
                head += f", see {{term}}`{e.glossary}`"
            where = ", ".join(f"{{doc}}`/{p}`" for p in e.chapters) if e.chapters else "*tables only*"
            lines.append(f"- {head}: {where}")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    text = render()
    if argv[1:] == ["--check"]:
        if PAGE.exists() and PAGE.read_text(encoding="utf-8") == text:
            return 0
        print(f"{PAGE.relative_to(ROOT)} is not current: run python scripts/make_book_index.py", file=sys.stderr)
        return 1
    if argv[1:]:
        print(__doc__, file=sys.stderr)
        return 2
    PAGE.write_text(text, encoding="utf-8")
    print(f"wrote {PAGE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
