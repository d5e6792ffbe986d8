"""The data package as a whole: valid, cited, consistent with its bibliography and its conflict register."""

from __future__ import annotations

import itertools
from pathlib import Path

import geopandas as gpd
import pytest

import helpers

from helpers import bibtex, load_schema, load_table, table_names, validate_package

ROOT = Path(__file__).resolve().parents[1]


def test_every_table_in_data_is_declared_and_valid():
    declared = {f"{n}.csv" for n in table_names()}
    present = {p.name for p in (ROOT / "data").glob("*.csv")}
    assert present == declared, f"undeclared: {present - declared}; missing: {declared - present}"
    counts = validate_package()
    assert counts["events"] > 0 and counts["sources"] > 0


def test_frictionless_agrees_that_the_package_is_valid():
    """A second, independent validator reads the same descriptor."""
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.Package(str(ROOT / "data" / "datapackage.json")).validate()
    errors = [f"{t.name}: {e.message}" for t in report.tasks for e in t.errors][:10]
    assert report.valid, "\n".join(errors)


def test_every_field_is_described():
    for res in load_schema()["resources"]:
        assert res.get("description"), res["name"]
        for field in res["schema"]["fields"]:
            assert field.get("description"), f"{res['name']}.{field['name']}"


def test_references_bib_is_generated_from_sources_csv():
    committed = (ROOT / "references.bib").read_text(encoding="utf-8")
    assert committed == bibtex(), "references.bib is stale: run 'python scripts/make_bib.py'"


def _cited_in_prose() -> set[str]:
    """Source ids cited with a {cite} role in any chapter or page of the book."""
    from helpers.chapters.common import CITE_ROLE, cited_in_chapter

    ids = set()
    for path in (ROOT / "notebooks").glob("*.ipynb"):
        ids |= cited_in_chapter(path.stem)
    for path in (ROOT / "notebooks").glob("*.md"):
        ids |= {k.strip() for keys in CITE_ROLE.findall(path.read_text(encoding="utf-8")) for k in keys.split(",")}
    return ids


def test_every_web_page_is_used_by_some_row_or_cited_in_the_prose():
    sources = load_table("sources")
    used = _cited_in_prose()
    for name in table_names():
        frame = load_table(name)
        for col in ("source_id", "cited_in"):
            if col in frame.columns and name != "sources" or (name == "sources" and col == "cited_in"):
                used |= set(frame[col].dropna())
    unused = sources[(sources["kind"] == "web_page") & ~sources["source_id"].isin(used)]
    assert unused.empty, f"sources nothing rests on: {list(unused['source_id'])}"


def test_archival_files_and_books_are_known_through_the_article():
    sources = load_table("sources")
    second_hand = sources[sources["kind"].isin(["archival_file", "book"])]
    assert second_hand["cited_in"].eq("karassayev2023").all()
    assert second_hand["citation_as_printed"].notna().sum() == (second_hand["kind"] == "archival_file").sum()


def _compatible(a: str, b: str) -> bool:
    """Two partial dates agree if one refines the other (1993 and 1993-05-19 agree)."""
    return a.startswith(b) or b.startswith(a)


def _date_disagreements():
    events = load_table("events").set_index("event_id")
    claims = load_table("event_sources").dropna(subset=["stated_date"])
    for event_id, group in claims.groupby("event_id"):
        stated = sorted(set(group["stated_date"]) | {events.loc[event_id, "date"]})
        if any(not _compatible(a, b) for a, b in itertools.combinations(stated, 2)):
            yield event_id, stated


def test_every_date_disagreement_between_sources_is_in_the_conflict_register():
    conflicts = load_table("conflicts")
    links = load_table("conflict_subjects")
    dates = conflicts.loc[conflicts["attribute"] == "date", "conflict_id"]
    covered = set(links.loc[(links["subject_table"] == "events") & links["conflict_id"].isin(dates), "subject_key"])
    missing = [(e, s) for e, s in _date_disagreements() if e not in covered]
    assert not missing, f"sources disagree on these dates but no conflict is registered: {missing}"


def test_the_register_check_fails_when_a_new_disagreement_appears(data_copy):
    """Guard the guard: a contradicting claim with no register entry is caught."""
    import helpers.data as hd

    rows = data_copy.rows("event_sources")
    header = rows[0]
    registered = {r[2] for r in data_copy.rows("conflict_subjects")[1:] if r[1] == "events"}
    victim = next(r for r in rows[1:] if r[header.index("stated_date")] and r[0] not in registered)
    data_copy.append("event_sources", {"event_id": victim[0], "source_id": "karassayev2021",
                                       "locator": "test", "stated_date": "1901"})
    original = hd.DATA_DIR
    try:
        hd.DATA_DIR = data_copy.folder
        with pytest.raises(AssertionError, match=victim[0]):
            test_every_date_disagreement_between_sources_is_in_the_conflict_register()
    finally:
        hd.DATA_DIR = original


def test_every_register_entry_names_real_rows_it_is_about():
    """No entry is filed under a vague subject: each names at least one row, and every row exists."""
    conflicts = load_table("conflicts")
    links = load_table("conflict_subjects")  # the loader checks each (table, key) against that table
    assert set(links["conflict_id"]) == set(conflicts["conflict_id"])
    assert "other" not in set(links["subject_table"])
    for table, group in links.groupby("subject_table"):
        keys = set(helpers.row_keys(table, load_table(table)))
        assert set(group["subject_key"]) <= keys, f"register rows point at missing {table} rows"


def test_a_register_link_to_a_missing_row_is_refused(data_copy):
    data_copy.append("conflict_subjects", {"conflict_id": data_copy.value("conflicts", 1, "conflict_id"),
                                           "subject_table": "diaspora", "subject_key": "UZB|1|nowhere|nowhere"})
    with pytest.raises(helpers.DataValidationError, match=r"conflict_subjects.csv.*column 'subject_key'.*state_iso3, ethnic_kazakhs"):
        load_table("conflict_subjects", data_copy.folder)


def test_map_data_is_small_and_covers_the_five_states():
    countries = gpd.read_file(ROOT / "data" / "map" / "countries.geojson")
    assert {"KAZ", "UZB", "KGZ", "TJK", "TKM"} <= set(countries["adm0_a3"])
    for path in (ROOT / "data" / "map").glob("*.geojson"):
        assert path.stat().st_size < 300_000, path.name
    assert "Natural Earth" in (ROOT / "data" / "map" / "PROVENANCE.md").read_text()
