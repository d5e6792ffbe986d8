"""The chapter modules: each period and each partner, the period boundaries, sources gathered, layering."""

from __future__ import annotations

import ast
from pathlib import Path

import pandas as pd
import pytest

import helpers
from helpers import load_table
from helpers.chapters import (
    bilateral_chapter, chapter_sources, cited_in_chapter, domain_shares_by_period, number, partner_events_by_period,
    period_chapter,
)
from helpers.chapters.bilateral import PARTNERS

ROOT = Path(__file__).resolve().parents[1]
PERIODS = list(load_table("periods").sort_values("order")["period_id"])


@pytest.mark.parametrize("period_id", PERIODS)
def test_period_chapter_holds_exactly_the_events_that_start_inside_the_period(period_id):
    chapter = period_chapter(period_id)
    start, end = pd.Timestamp(chapter.start), pd.Timestamp(chapter.end)
    everything = helpers.events_with_links()
    expected = everything[(everything["start"] >= start) & (everything["start"] <= end)]
    assert list(chapter.events["event_id"]) == list(expected["event_id"])
    assert chapter.numbers()["n_period_events"] == len(expected)
    assert list(chapter.chronology().columns) == ["date", "precision", "event_type", "title", "parties", "n_sources", "n_other_sources"]
    assert (ROOT / "notebooks" / f"{chapter.notebook}.ipynb").is_file()


@pytest.mark.parametrize("period_id", PERIODS)
def test_period_register_holds_every_entry_about_its_events_and_no_other(period_id):
    chapter = period_chapter(period_id)
    links = load_table("conflict_subjects")
    about = links[(links["subject_table"] == "events") & links["subject_key"].isin(chapter.events["event_id"])]
    assert set(chapter.conflicts["conflict_id"]) == set(about["conflict_id"])


def test_every_event_falls_in_exactly_one_period():
    counts = sum(len(period_chapter(p).events) for p in PERIODS)
    assert counts == len(load_table("events"))


def _add_event(data_copy, event_id: str, date: str, precision: str) -> None:
    data_copy.append("events", {"event_id": event_id, "date": date, "precision": precision, "event_type": "meeting",
                                "title": "A test meeting", "summary": "Added by a test."})
    data_copy.append("event_parties", {"event_id": event_id, "state_iso3": "KAZ", "role": "participant"})
    data_copy.append("event_parties", {"event_id": event_id, "state_iso3": "KGZ", "role": "participant"})
    data_copy.append("event_domains", {"event_id": event_id, "domain": "political"})
    data_copy.append("event_sources", {"event_id": event_id, "source_id": helpers.SEED_ARTICLE, "locator": "test"})


@pytest.mark.parametrize("period_id", PERIODS)
def test_an_event_on_the_last_day_of_a_period_belongs_to_that_period(data_copy, period_id):
    periods = load_table("periods").set_index("period_id")
    last_day = periods.loc[period_id, "end"]
    _add_event(data_copy, f"e{last_day[:4]}-test-last-day", last_day, "day")
    inside = period_chapter(period_id, folder=data_copy.folder)
    assert f"e{last_day[:4]}-test-last-day" in set(inside.events["event_id"])
    later = [p for p in PERIODS if periods.loc[p, "order"] == periods.loc[period_id, "order"] + 1]
    for following in later:
        assert f"e{last_day[:4]}-test-last-day" not in set(period_chapter(following, folder=data_copy.folder).events["event_id"])


def test_an_event_known_only_to_its_month_counts_where_its_first_day_falls(data_copy):
    _add_event(data_copy, "e1993-test-december", "1993-12", "month")
    assert "e1993-test-december" in set(period_chapter("bilateral", folder=data_copy.folder).events["event_id"])
    assert "e1993-test-december" not in set(period_chapter("union", folder=data_copy.folder).events["event_id"])


def test_book_wide_tables_have_one_column_per_period():
    shares = domain_shares_by_period()
    partners = partner_events_by_period()
    assert list(shares.columns) == ["domain", *PERIODS]
    assert list(partners["partner"]) == ["UZB", "KGZ", "TJK", "TKM"]
    assert (shares[PERIODS] >= 0).all().all() and (shares[PERIODS] <= 1).all().all()


def test_period_chapter_rejects_an_unknown_period():
    with pytest.raises(KeyError, match="expected one of prelude"):
        period_chapter("renaissance")


@pytest.mark.parametrize("partner", PARTNERS)
def test_bilateral_chapter_numbers_match_its_tables(partner):
    chapter = bilateral_chapter(partner)
    numbers = chapter.numbers()
    assert numbers["n_pair"] == len(chapter.events) == numbers["n_pair_only"] + numbers["n_with_others"]
    assert set(chapter.events_alone["event_id"]) <= set(chapter.events["event_id"])
    assert all(set(p.split("; ")) == {"KAZ", partner} for p in chapter.events_alone["parties"])
    assert numbers["n_docs_alone"] + numbers["n_docs_with_others"] == len(chapter.documents)
    assert numbers["compared_rank"] in {"first", "second", "third", "fourth"}
    assert set(chapter.border["state_b"]) <= {partner}
    assert chapter.notebook == f"bilateral_{partner.lower()}"


@pytest.mark.parametrize("partner", PARTNERS)
def test_bilateral_sources_cover_the_rows_shown_and_the_prose(partner):
    chapter = bilateral_chapter(partner)
    note = str(chapter.sources())
    for source_id in chapter.source_ids() | cited_in_chapter(chapter.notebook):
        assert f"[{source_id}]" in note


def test_bilateral_chapter_rejects_kazakhstan_and_strangers():
    for wrong in ("KAZ", "RUS", "kgz"):
        with pytest.raises(ValueError, match="expected one of UZB, KGZ, TJK, TKM"):
            bilateral_chapter(wrong)


def test_cited_in_chapter_reads_every_cite_role(tmp_path):
    notebook = {"cells": [{"cell_type": "markdown", "source": ["See {cite:p}`a,b` and {cite:t}`c`.\n", "{cite}`d`\n",
                                                               "The role `{cite}` reads ids; `code` is not one.\n"]},
                          {"cell_type": "code", "source": ["'{cite:p}`not-prose`'"]}]}
    (tmp_path / "demo.ipynb").write_text(__import__("json").dumps(notebook))
    assert cited_in_chapter("demo", folder=tmp_path) == {"a", "b", "c", "d"}
    with pytest.raises(FileNotFoundError, match="nowhere"):
        cited_in_chapter("nowhere", folder=tmp_path)


def test_chapter_sources_refuse_unknown_ids_and_single_strings(tmp_path):
    (tmp_path / "demo.ipynb").write_text('{"cells": []}')
    with pytest.raises(KeyError, match="no-such-source"):
        chapter_sources("demo", ["no-such-source"], folder=tmp_path)
    with pytest.raises(TypeError, match="single string"):
        chapter_sources("demo", helpers.SEED_ARTICLE, folder=tmp_path)


def test_chapter_sources_link_every_table_the_chapter_read_to_its_csv(tmp_path):
    from helpers import tables_read

    (tmp_path / "demo.ipynb").write_text('{"cells": []}')
    load_table("organisations")
    listed = chapter_sources("demo", [helpers.SEED_ARTICLE], folder=tmp_path)
    assert {"organisations", "sources"} <= set(listed.tables) and listed.tables == tables_read()
    page = listed._repr_html_()
    for table in listed.tables:
        assert f'href="../downloads/data/{table}.csv"' in page
    assert 'href="data_and_sources.html#data-downloads"' in page
    assert "organisations.csv" in str(listed)


def test_a_source_list_without_tables_shows_no_data_paragraph():
    listed = helpers.chapters.common.SourceList([helpers.SEED_ARTICLE])
    assert "chapter-data" not in listed._repr_html_() and "Data:" not in str(listed)
    with pytest.raises(TypeError, match="single string"):
        helpers.chapters.common.SourceList([helpers.SEED_ARTICLE], tables="events")


def test_only_the_books_own_tables_count_as_read(data_copy):
    from helpers.data import _TABLES_READ

    saved = set(_TABLES_READ)
    _TABLES_READ.clear()
    try:
        load_table("repatriation", data_copy.folder)  # a reader's copy of the data: not the book's table
        assert _TABLES_READ == set()
        load_table("repatriation")
        assert _TABLES_READ == {"repatriation"}
    finally:
        _TABLES_READ.clear()
        _TABLES_READ.update(saved)


def test_number_formats_as_prose_does():
    assert number(1500000) == "1,500,000"
    assert number(2356.666) == "2,356.7"
    with pytest.raises(ValueError):
        number(float("nan"))


LAYERS = {"data": 0, "queries": 1, "cite": 1, "chapters": 2, "maps": 3, "plots": 3, "style": 1, "legibility": 1,
          "explore": 4}


def _module_layer(path: Path) -> str:
    rel = path.relative_to(ROOT / "src" / "helpers")
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def test_helpers_import_only_from_layers_below_them():
    for path in sorted((ROOT / "src" / "helpers").rglob("*.py")):
        if path.name == "__init__.py":
            continue
        layer = _module_layer(path)
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level:
                target = (node.module or "").split(".")[0] or "chapters"
                if layer == "chapters" and node.level == 1:
                    continue  # a chapter module importing a sibling
                assert target in LAYERS, f"{path.name} imports unknown module {target}"
                assert LAYERS[target] <= LAYERS[layer], f"{path.name} ({layer}) imports {target}, a higher layer"


def _literal_ids(code: str, ids: set[str]) -> set[str]:
    """Source or register ids written as string literals in a cell's code."""
    found = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in ids:
            found.add(node.value)
    return found


def test_no_notebook_names_a_source_or_register_id_in_its_code():
    """Chapters select by table and key and gather their sources; fixed ids are named constants in the helpers."""
    import nbformat

    ids = set(load_table("sources")["source_id"]) | set(load_table("conflicts")["conflict_id"])
    offenders = {}
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
        code = "\n".join(line for line in code.splitlines() if not line.lstrip().startswith(("%", "!")))
        found = _literal_ids(code, ids)
        if found:
            offenders[path.name] = sorted(found)
    assert not offenders, f"literal source or register ids in notebook code (use helpers' named constants): {offenders}"


def test_the_literal_id_check_finds_an_id_written_in_code():
    assert _literal_ids('x = "karassayev2023"\ny = f"{x}"', {"karassayev2023", "c-h1-x"}) == {"karassayev2023"}


def test_a_source_list_shows_as_linked_entries_grouped_by_kind():
    chapter = bilateral_chapter("KGZ")
    listing = chapter.sources()
    page = listing._repr_html_()
    sources = load_table("sources").set_index("source_id")
    shown = sources.loc[sorted(chapter.source_ids())]
    kinds = [label.capitalize() for key, label in helpers.SOURCE_CLASSES.items() if (shown["source_class"] == key).any()]
    positions = [page.index(f"<strong>{kind}</strong>") for kind in kinds]
    assert positions == sorted(positions), "groups follow the fixed order of source kinds"
    assert page.count("<li>") == len(listing.ids)
    with_url = shown[shown["url"].notna()]
    assert all(f'href="{url}"' in page for url in with_url["url"].head(20))
    assert not any(f"[{i}]" in page for i in listing.ids), "the HTML list shows no citation keys"
    assert repr(listing) == str(listing) and "at 0x" not in repr(listing)


def test_used_source_ids_leaves_out_a_page_nothing_rests_on(data_copy):
    from helpers.chapters.common import used_source_ids

    data_copy.append("sources", {"source_id": "web-test-unused", "kind": "web_page", "title": "Nothing cites it",
                                 "url": "https://example.org/page", "language": "en", "source_class": "press"})
    used = used_source_ids(folder=data_copy.folder)
    assert "web-test-unused" not in used and helpers.SEED_ARTICLE in used
