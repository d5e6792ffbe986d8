"""The data package as a whole: valid, cited, consistent with its bibliography and its conflict register."""

from __future__ import annotations

import itertools
from pathlib import Path
from urllib.parse import urlparse

import geopandas as gpd
import pytest

import helpers
from helpers import DataValidationError, bibtex, load_schema, load_table, table_names, validate_package

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


def test_every_web_page_is_used_by_some_row_or_cited_in_the_prose():
    from helpers.chapters.common import used_source_ids

    sources = load_table("sources")
    used = used_source_ids()
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


# --- source_class: how much weight a source carries (issue 12, item 3) ---------------------------------------

SOURCE_CLASSES = {"official", "press", "scholarship", "reference", "copy"}

#: Sites that only mirror, proxy, translate or repost other people's text (mostly Wikipedia). Whatever a page on one
#: of them says, the book read a copy and should look for the original; so a source hosted here must be class 'copy'.
MIRROR_HOSTS = {
    "wikimili.com", "piglix.com", "thefullwiki.org", "maps.thefullwiki.org", "askwikinow.com", "a.osmarks.net",
    "wikipedia.jakami.de", "de.zxc.wiki", "de.abcdef.wiki", "library.kiwix.org", "kiwix.casplantje.nl",
    "zims-en.kiwix.campusafrica.gos.orange.com", "the-uncensored-wiki.com", "wiki-gateway.eudic.net",
    "review.clateway.com", "infospaze.com", "absoluteastronomy.com", "popflock.com", "infomutt.com", "wiki-org.ru",
    "ru.m.wiki.x.io", "perceptiotr.com", "perceptiofr.com", "perceptiode.com", "perceptiono.com", "movatter.jp",
    "fanyv88.com", "enacademic.com", "universalium.en-academic.com", "en.wikidat.com", "nl.wiki7.org",
    "ro.frwiki.wiki", "profilpelajar.com", "enbaike.710302.xyz", "dumps.wikimedia.your.org",
    "docslib.org", "de.scribd.com", "slideplayer.com", "studfiles.ru", "studmed.ru",
}


def _host(url) -> str | None:
    host = urlparse(url).hostname if isinstance(url, str) and url else None
    return host.lower().rstrip(".").removeprefix("www.") if host else None


def _mirrors_not_classed_copy(sources) -> list[str]:
    on_mirror = sources["url"].map(_host).isin(MIRROR_HOSTS)
    return sorted(sources.loc[on_mirror & (sources["source_class"] != "copy"), "source_id"])


def test_every_source_has_a_valid_class():
    sources = load_table("sources")
    assert list(sources.columns)[-1] == "source_class", "source_class must stay the last column of sources.csv"
    declared = next(f for r in load_schema()["resources"] if r["name"] == "sources"
                    for f in r["schema"]["fields"] if f["name"] == "source_class")
    assert set(declared["constraints"]["enum"]) == SOURCE_CLASSES and declared["constraints"]["required"]
    missing = sources.loc[sources["source_class"].isna(), "source_id"].tolist()
    assert not missing, f"sources without a class: {missing}"
    assert set(sources["source_class"]) <= SOURCE_CLASSES
    assert set(sources["source_class"]) == SOURCE_CLASSES, "every class should be in use"


def test_the_seed_article_is_scholarship_and_archival_files_are_official():
    sources = load_table("sources").set_index("source_id")
    assert sources.loc["karassayev2023", "source_class"] == "scholarship"
    archival = sources[sources["kind"] == "archival_file"]
    assert len(archival) > 0 and archival["source_class"].eq("official").all(), \
        archival.loc[archival["source_class"] != "official"].index.tolist()


def test_pages_on_mirror_sites_are_classed_copy():
    sources = load_table("sources")
    misclassed = _mirrors_not_classed_copy(sources)
    assert not misclassed, f"pages on mirror sites must be class 'copy': {misclassed}"


def test_the_mirror_check_fails_when_a_known_mirror_is_classed_otherwise(data_copy):
    """Guard the guard: a WikiMili page classed as 'reference' is caught."""
    data_copy.append("sources", {"source_id": "web-test-wikimili", "kind": "web_page", "title": "A mirrored article",
                                 "url": "https://wikimili.com/en/Test", "language": "en", "source_class": "reference"})
    assert _mirrors_not_classed_copy(load_table("sources", data_copy.folder)) == ["web-test-wikimili"]


def test_an_unknown_source_class_is_refused(data_copy):
    data_copy.set_value("sources", 1, "source_class", "blog")
    with pytest.raises(DataValidationError, match=r"sources.csv, row 1 .*column 'source_class'.*'blog'"):
        load_table("sources", data_copy.folder)


# --- renamed places: rows keyed by today's name, text uses the name of the time ---------------------------------

#: (place_id, name of the time, later name, first date of the later name), each earlier name a variant in
#: place_names. Dates as the place_names notes and the register give them: Akmola renamed Astana on 6 May 1998;
#: Alma-Ata current to 1993 (c-h4-almaty-rename-years); Ashgabat the official form from 1992; Dashkhovuz 1992-1999;
#: Chimkent until 1993; Leninabad and Frunze until 1991.
RENAMES = [
    ("astana", "Akmola", "Astana", "1998-05-06"),
    ("almaty", "Alma-Ata", "Almaty", "1994"),
    ("ashgabat", "Ashkhabad", "Ashgabat", "1992"),
    ("dashoguz", "Dashkhovuz", "Dashoguz", "1999"),
    ("shymkent", "Chimkent", "Shymkent", "1994"),
    ("khujand", "Leninabad", "Khujand", "1991"),
    ("bishkek", "Frunze", "Bishkek", "1991"),
]


def _anachronistic_place_names(events) -> list[tuple[str, str]]:
    """Events before a renaming whose title uses the later name, or whose text never uses the name of the time."""
    bad = []
    for place, then, later, since in RENAMES:
        for row in events[(events["place_id"] == place) & (events["date"] < since)].itertuples():
            if later in row.title or then not in f"{row.title} {row.summary}":
                bad.append((row.event_id, then))
    return bad


def test_renamed_places_are_named_as_they_were_at_the_time():
    variants = set(zip(load_table("place_names")["place_id"], load_table("place_names")["variant"]))
    assert all((place, then) in variants for place, then, _, _ in RENAMES), "RENAMES must use place_names variants"
    events = load_table("events")
    assert events["place_id"].isin([p for p, *_ in RENAMES]).any()
    assert not _anachronistic_place_names(events)


def test_the_place_name_check_fails_on_a_later_name(data_copy):
    """Guard the guard: calling the Akmola summit of 1997 the 'Astana summit' is caught."""
    rows = data_copy.rows("events")
    number = next(i for i, r in enumerate(rows[1:], start=1) if r[0] == "e1997-akmola-central-asian-union-summit")
    data_copy.set_value("events", number, "title", "Astana summit approves regional consortiums")
    assert _anachronistic_place_names(load_table("events", data_copy.folder)) == [
        ("e1997-akmola-central-asian-union-summit", "Akmola")]
