"""The helper library: loading, joins, arguments, styles and citations."""

from __future__ import annotations

import pandas as pd
import pytest

import helpers
from helpers import (
    bilateral_events,
    events_in_period,
    events_with_links,
    load_table,
    partial_date_bounds,
    period_of,
    sources_note,
    state_colour,
)


def test_helpers_find_data_from_their_own_location_not_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert len(load_table("states")) > 0
    assert helpers.DATA_DIR.name == "data" and (helpers.DATA_DIR / "datapackage.json").is_file()


def test_unknown_table_name_lists_the_tables_that_exist():
    with pytest.raises(KeyError, match=r"name='treaties'.*expected one of states, places"):
        load_table("treaties")


def test_table_name_must_be_a_string():
    with pytest.raises(TypeError, match="expected a table name as a string"):
        load_table(3)


def test_tables_are_typed():
    places = load_table("places")
    assert str(places["lat"].dtype) == "Float64"
    periods = load_table("periods")
    assert str(periods["order"].dtype) == "Int64"
    assert str(load_table("events")["event_id"].dtype).startswith("string")


@pytest.mark.parametrize("value, start, end", [
    ("1993", "1993-01-01", "1993-12-31"),
    ("1996-02", "1996-02-01", "1996-02-29"),
    ("1993-05-19", "1993-05-19", "1993-05-19"),
])
def test_partial_dates_span_the_period_their_precision_allows(value, start, end):
    assert partial_date_bounds(value) == (pd.Timestamp(start), pd.Timestamp(end))


@pytest.mark.parametrize("bad", ["93", "1993-13", "1993-02-30", "1993/05", ""])
def test_partial_date_bounds_rejects_non_dates(bad):
    with pytest.raises(ValueError, match="partial_date_bounds"):
        partial_date_bounds(bad)


def test_events_with_links_keeps_every_event_once_in_date_order():
    events = events_with_links()
    assert len(events) == len(load_table("events"))
    assert events["event_id"].is_unique
    assert events["start"].is_monotonic_increasing
    assert events["parties"].notna().all() and events["sources"].notna().all()


def test_month_precision_event_spans_the_whole_month():
    events = events_with_links().set_index("event_id")
    month_events = events[(events["precision"] == "month") & events["date_end"].isna()]
    assert len(month_events) > 0
    for row in month_events.itertuples():
        assert row.start.day == 1 and (row.end + pd.Timedelta(days=1)).day == 1


def test_events_in_period_partition_the_chronology():
    periods = load_table("periods")["period_id"]
    total = sum(len(events_in_period(p)) for p in periods)
    assert total == len(load_table("events"))


def test_events_in_period_rejects_unknown_period():
    with pytest.raises(KeyError, match="expected one of prelude"):
        events_in_period("golden-age")


def test_period_of_a_date():
    assert period_of("1994-07-08") == "union"
    with pytest.raises(ValueError, match="no period"):
        period_of("1985")


def test_bilateral_events_need_both_states():
    pair = bilateral_events("KAZ", "UZB")
    assert len(pair) > 0
    assert pair["parties"].map(lambda s: {"KAZ", "UZB"} <= set(s.split("; "))).all()
    only = bilateral_events("KAZ", "UZB", only_these_two=True)
    assert only["parties"].eq("KAZ; UZB").all()
    assert len(only) <= len(pair)


@pytest.mark.parametrize("a, b, message", [("KAZ", "XXX", "b='XXX'"), ("kaz", "UZB", "a='kaz'"), ("KAZ", "KAZ", "two different")])
def test_bilateral_events_rejects_bad_arguments(a, b, message):
    with pytest.raises(ValueError, match=message):
        bilateral_events(a, b)


def test_state_colours_are_defined_once_and_others_are_neutral():
    assert state_colour("KAZ") == helpers.STATE_COLOURS["KAZ"]
    assert state_colour("RUS") == helpers.NEUTRAL
    with pytest.raises(ValueError, match="state_colour"):
        state_colour("Kazakhstan")


def test_sources_note_names_every_source_sorted():
    note = sources_note(["web-rferl-1081412", "karassayev2023", "karassayev2023"])
    assert note.startswith("Sources: Karassayev et al. (2023) [karassayev2023]; ")
    assert note.count("[") == 2


def test_sources_note_rejects_unknown_ids_and_bare_strings():
    with pytest.raises(KeyError, match="not in data/sources.csv: nope"):
        sources_note(["nope"])
    with pytest.raises(TypeError, match="single string"):
        sources_note("karassayev2023")
    with pytest.raises(ValueError, match="at least one"):
        sources_note([])


def test_region_map_draws_the_five_states_and_capitals():
    import matplotlib

    matplotlib.use("Agg")
    ax = helpers.region_map()
    labels = {t.get_text() for t in ax.texts}
    assert {"KAZAKHSTAN", "UZBEKISTAN", "KYRGYZSTAN", "TAJIKISTAN", "TURKMENISTAN"} <= labels
    assert "Tashkent" in labels
    with pytest.raises(ValueError, match="region_map"):
        helpers.region_map(highlight=["XYZ"])


def test_article_family_holds_the_article_and_what_is_known_only_through_it():
    family = helpers.article_family()
    sources = load_table("sources").set_index("source_id")
    assert {helpers.SEED_ARTICLE, "karassayev2021"} <= family
    assert all(s in helpers.ARTICLE_VERSIONS or sources.loc[s, "cited_in"] in helpers.ARTICLE_VERSIONS for s in family)
    assert not any(s.startswith("web-") for s in family)


def test_register_entries_select_by_table_and_key_and_join_every_claim():
    entries = helpers.register_entries("events", ["e1994-tripartite-single-economic-space"])
    assert len(entries) >= 2
    assert all("events: e1994-tripartite-single-economic-space" in s.split("; ") for s in entries["subjects"])
    claims = load_table("conflict_claims")
    for row in entries.itertuples():
        assert row.claims.count(" | ") + 1 == (claims["conflict_id"] == row.conflict_id).sum()
        assert set(row.sources.split("; ")) == set(claims.loc[claims["conflict_id"] == row.conflict_id, "source_id"])


def test_register_entries_accept_a_frame_of_rows_of_any_table():
    uzbekistan = load_table("diaspora").query("state_iso3 == 'UZB'")
    by_frame = helpers.register_entries("diaspora", uzbekistan)
    by_keys = helpers.register_entries("diaspora", list(helpers.row_keys("diaspora", uzbekistan)))
    assert list(by_frame["conflict_id"]) == list(by_keys["conflict_id"]) and len(by_frame) >= 1
    assert helpers.register_entries("diaspora", uzbekistan.iloc[:0]).empty


def test_register_entries_reject_wrong_arguments():
    with pytest.raises(TypeError, match="single string"):
        helpers.register_entries("events", "e1994-tripartite-single-economic-space")
    with pytest.raises(TypeError, match="name the table"):
        helpers.register_entries(rows=["e1994-tripartite-single-economic-space"])
    with pytest.raises(KeyError, match="register_entries\\(table='nope'\\)"):
        helpers.register_entries("nope")


def test_row_keys_join_the_primary_key_in_declared_order():
    border = load_table("border_lengths").iloc[:1]
    assert helpers.row_keys("border_lengths", border).iloc[0] == "|".join(
        str(border.iloc[0][k]) for k in ["state_a", "state_b", "source_id", "locator"])
    with pytest.raises(ValueError, match="missing"):
        helpers.row_keys("border_lengths", border[["state_a"]])


def test_source_mix_counts_every_class_in_a_fixed_order_and_refuses_unknown_ids():
    sources = load_table("sources")
    sample = list(sources.groupby("source_class")["source_id"].first())
    mix = helpers.source_mix(sample + sample[:1])  # a repeated id counts once
    assert list(mix["kind of source"]) == list(helpers.SOURCE_CLASSES.values())
    assert mix["sources"].sum() == len(sample) and set(mix["sources"]) == {1}
    assert helpers.mix_sentence(sample).startswith(f"Kinds of source ({len(sample)}): 1 treaty or official texts (20%)")
    with pytest.raises(KeyError, match="no-such-source"):
        helpers.source_mix(["no-such-source"])
    with pytest.raises(TypeError, match="single string"):
        helpers.source_mix(helpers.SEED_ARTICLE)
