"""The glossary, the {term} links in the chapters, the people table and the generated index."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest

from helpers import DataValidationError, load_table, validate_package

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = ROOT / "notebooks" / "glossary.md"
INDEX = ROOT / "notebooks" / "book_index.md"
TERM_ROLE = re.compile(r"\{term\}`([^`]*)`")

_spec = importlib.util.spec_from_file_location("make_book_index", ROOT / "scripts" / "make_book_index.py")
make_book_index = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("make_book_index", make_book_index)
_spec.loader.exec_module(make_book_index)


def glossary_entries() -> list[tuple[list[str], str]]:
    """(terms, definition) for every entry of every {glossary} block of the glossary page."""
    entries, inside, terms, body = [], False, [], []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("```{glossary}"):
            inside, terms, body = True, [], []
            continue
        if not inside:
            continue
        if line.startswith("```") or (line and not line.startswith(" ") and body):
            entries.append((terms, " ".join(body)))
            terms, body = [], []
            if line.startswith("```"):
                inside = False
                continue
        if line.startswith(" "):
            body.append(line.strip())
        elif line:
            terms.append(line.strip())
    return entries


def target(role_text: str) -> str:
    m = re.match(r"^(.*?)\s*<([^>]+)>$", role_text)
    return (m.group(2) if m else role_text).strip()


def book_pages() -> list[Path]:
    pages = []
    for page in make_book_index.toc_pages():
        for suffix in (".ipynb", ".md"):
            if (ROOT / f"{page}{suffix}").exists():
                pages.append(ROOT / f"{page}{suffix}")
    return pages


def test_the_glossary_has_at_least_twenty_cited_entries():
    entries = glossary_entries()
    assert len(entries) >= 20, f"the glossary has {len(entries)} entries, the book promises at least 20"
    for terms, body in entries:
        assert terms and body, f"glossary entry {terms} has no definition"
        assert "{cite:p}`" in body, f"glossary entry {terms[0]} cites no source"
        assert len(body.split()) >= 15, f"glossary entry {terms[0]} is too short to define anything: {body!r}"


def test_the_glossary_covers_the_bodies_and_archives_the_book_names():
    terms = {t for ts, _ in glossary_entries() for t in ts}
    wanted = {"CIS", "CAU", "CAEC", "CACO", "ICWC", "IFAS", "ICAS", "ECO", "SCO", "Shanghai Five", "CentrAsBat",
              "Interstate Council", "CABCD", "EurAsEC", "CSTO", "Collective Security Treaty", "OSCE", "AP RK",
              "SASKR", "AFP RF", "IMU", "UNMOT"}
    assert not wanted - terms, f"missing from the glossary: {sorted(wanted - terms)}"


def test_every_citation_in_the_glossary_is_a_known_source():
    known = set(load_table("sources")["source_id"])
    keys = {k for group in re.findall(r"\{cite:[pt]\}`([^`]+)`", GLOSSARY.read_text(encoding="utf-8"))
            for k in group.split(",")}
    assert keys and not keys - known, f"not in data/sources.csv: {sorted(keys - known)}"


def test_every_term_link_in_the_book_resolves_and_sits_in_prose():
    """What the strict build checks, said here with the page and cell: each {term} names a glossary term,
    in a Markdown cell, outside headings; and the chapters do use them."""
    terms = {t.casefold() for ts, _ in glossary_entries() for t in ts}
    used = 0
    for path in book_pages():
        if path.suffix == ".ipynb":
            cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
            texts = [(n, c["cell_type"], "".join(c["source"])) for n, c in enumerate(cells)]
        else:
            texts = [(0, "markdown", path.read_text(encoding="utf-8"))]
        for n, kind, text in texts:
            for line in text.splitlines():
                for role in TERM_ROLE.findall(line):
                    where = f"{path.relative_to(ROOT)}, cell {n}"
                    assert kind == "markdown", f"{where}: a {{term}} role in a {kind} cell"
                    assert not line.lstrip().startswith("#"), f"{where}: a {{term}} role in a heading: {line!r}"
                    assert target(role).casefold() in terms, f"{where}: {{term}}`{role}` is not in the glossary"
                    used += path.name != "glossary.md"
    assert used >= 20, f"only {used} {{term}} links in the chapters"


def test_people_table_loads_and_every_person_is_named_in_the_prose_spellings():
    people = load_table("people")
    assert people["person_id"].is_unique and len(people) >= 12
    for row in people.itertuples():
        names = [n.strip() for n in row.index_names.split(";")]
        assert all(names), f"people.csv, {row.person_id}: an empty spelling in index_names"


def test_a_people_row_ending_before_it_begins_is_named(data_copy):
    row = data_copy.append("people", {"person_id": "x-person", "name_en": "X", "index_names": "X", "role": "r",
                                      "in_office_from": "1999", "in_office_to": "1995", "source_id": "karassayev2023"})
    with pytest.raises(DataValidationError) as err:
        load_table("people", data_copy.folder)
    text = str(err.value)
    assert "people.csv" in text and f"row {row}" in text and "in_office_to" in text and "1999" in text, text


def test_a_people_row_citing_an_unknown_source_is_named(data_copy):
    row = data_copy.append("people", {"person_id": "x-person", "name_en": "X", "index_names": "X", "role": "r",
                                      "source_id": "no-such-source"})
    with pytest.raises(DataValidationError) as err:
        validate_package(data_copy.folder)
    text = str(err.value)
    assert "people.csv" in text and f"row {row}" in text and "source_id" in text and "no-such-source" in text, text


def test_the_index_page_is_current():
    assert INDEX.read_text(encoding="utf-8") == make_book_index.render(), (
        "notebooks/book_index.md is not current: run python scripts/make_book_index.py")


def test_the_index_lists_every_row_and_links_only_to_pages_of_the_book():
    text = INDEX.read_text(encoding="utf-8")
    entries = [line for line in text.splitlines() if line.startswith("- **")]
    tables = sum(len(load_table(t)) for t in ("people", "places", "organisations"))
    assert len(entries) == tables >= 40, f"{len(entries)} index entries for {tables} rows"
    pages = set(make_book_index.toc_pages())
    for link in re.findall(r"\{doc\}`/([^`]+)`", text):
        assert link in pages, f"the index links to {link}, which is not in _toc.yml"
    linked = [line for line in entries if "{doc}`" in line]
    assert len(linked) >= 40, f"only {len(linked)} index entries link to a chapter"


def test_the_index_finds_mentions_under_every_spelling_and_prefers_the_longer_name(monkeypatch):
    texts = {
        "p/a": "Nazarbaev met Akaev in Alma-Ata; the Shanghai Five met later.",
        "p/b": "The Aral Sea shrank. In Shanghai the {term}`SCO <SCO>` was founded; see {cite:p}`almaty-page`.",
    }
    monkeypatch.setattr(make_book_index, "prose", lambda page: make_book_index.ROLE.sub(
        lambda m: m.group(2).split("<")[0] if m.group(1) == "term" else " ", texts[page]))
    entries = make_book_index.entries()
    make_book_index.find_mentions(entries, list(texts))
    found = {e.key: e.chapters for e in entries if e.chapters}
    assert found["person:nazarbayev"] == ["p/a"] and found["person:akayev"] == ["p/a"]
    assert found["place:almaty"] == ["p/a"], "Alma-Ata is Almaty's earlier name (place_names.csv)"
    assert found["org:shanghai_five"] == ["p/a"] and found["org:sco"] == ["p/b"]
    assert found["place:shanghai"] == ["p/b"], "'Shanghai Five' must not count as the city"
    assert "place:aralsk" not in found, "'Aral Sea' is not the town of Aral"
