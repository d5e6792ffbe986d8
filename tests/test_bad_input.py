"""Malformed data is refused with an error that names the file, row, column, value and what was expected.

Each test damages one thing in a private copy of data/ and checks the first problem reported.
"""

from __future__ import annotations

import re

import pytest

from helpers import DataValidationError, load_table, validate_package


def problem_of(table: str, folder) -> "Problem":  # noqa: F821
    with pytest.raises(DataValidationError) as info:
        load_table(table, folder)
    return info.value.problems[0], str(info.value)


def assert_names(message: str, *parts: str) -> None:
    for part in parts:
        assert part in message, f"{part!r} missing from error message:\n{message}"


def test_wrongly_formatted_date_is_refused_with_the_expected_format(data_copy):
    data_copy.set_value("events", 2, "date", "24/06/1992")
    problem, message = problem_of("events", data_copy.folder)
    assert (problem.row, problem.column, problem.value) == (2, "date", "24/06/1992")
    assert_names(message, "events.csv", "row 2", "column 'date'", "'24/06/1992'", "YYYY")


def test_impossible_calendar_date_is_refused(data_copy):
    row = data_copy.append("events", {"event_id": "e1993-test-event", "date": "1993-02-30", "precision": "day",
                                      "event_type": "summit", "title": "t", "summary": "s"})
    problem, message = problem_of("events", data_copy.folder)
    assert (problem.row, problem.column, problem.value) == (row, "date", "1993-02-30")
    assert_names(message, "has no day 30")


def test_malformed_iso_code_is_refused(data_copy):
    data_copy.set_value("event_parties", 1, "state_iso3", "Kaz")
    problem, message = problem_of("event_parties", data_copy.folder)
    assert (problem.row, problem.column, problem.value) == (1, "state_iso3", "Kaz")
    assert_names(message, "event_parties.csv", "exists in data/states.csv")


def test_party_not_in_states_table_is_refused(data_copy):
    data_copy.set_value("event_parties", 3, "state_iso3", "FRA")
    problem, message = problem_of("event_parties", data_copy.folder)
    assert (problem.row, problem.column, problem.value) == (3, "state_iso3", "FRA")
    assert_names(message, "a value of iso3 that exists in data/states.csv")


def test_duplicate_primary_key_is_refused_and_points_at_the_first_copy(data_copy):
    first = data_copy.value("events", 1, "event_id")
    data_copy.set_value("events", 4, "event_id", first)
    problem, message = problem_of("events", data_copy.folder)
    assert (problem.row, problem.column, problem.value) == (4, "event_id", first)
    assert_names(message, "already on row 1")


def test_event_without_any_source_is_refused(data_copy):
    rows = data_copy.rows("event_sources")
    victim = rows[1][0]
    data_copy.write_rows("event_sources", [r for r in rows if r[0] != victim])
    problem, message = problem_of("events", data_copy.folder)
    assert (problem.column, problem.value) == ("event_id", victim)
    assert_names(message, "every event needs at least one source")


def test_orphan_link_row_is_refused(data_copy):
    row = data_copy.append("event_domains", {"event_id": "e1999-no-such-event", "domain": "political"})
    problem, message = problem_of("event_domains", data_copy.folder)
    assert (problem.row, problem.column, problem.value) == (row, "event_id", "e1999-no-such-event")
    assert_names(message, "exists in data/events.csv")


def test_precision_that_contradicts_the_date_is_refused(data_copy):
    data_copy.set_value("events", 1, "precision", "day")
    data_copy.set_value("events", 1, "date", "1993")
    problem, message = problem_of("events", data_copy.folder)
    assert (problem.row, problem.column, problem.value) == (1, "date", "1993")
    assert_names(message, "written to the day", "written to the year")


def test_empty_required_field_is_refused(data_copy):
    data_copy.set_value("events", 5, "title", "")
    problem, message = problem_of("events", data_copy.folder)
    assert (problem.row, problem.column) == (5, "title")
    assert_names(message, "this field is required")


def test_undecodable_bytes_are_refused_with_their_line(data_copy):
    path = data_copy.path("events")
    lines = path.read_bytes().split(b"\n")
    lines[3] = lines[3].replace(b"Treaty", b"Tr\xe9aty", 1) if b"Treaty" in lines[3] else lines[3] + b"\xff"
    path.write_bytes(b"\n".join(lines))
    problem, message = problem_of("events", data_copy.folder)
    assert problem.row == 3
    assert_names(message, "events.csv", "UTF-8", "line 4")


def test_extra_column_is_refused_by_name(data_copy):
    rows = data_copy.rows("states")
    data_copy.write_rows("states", [r + (["population"] if i == 0 else ["1"]) for i, r in enumerate(rows)])
    problem, message = problem_of("states", data_copy.folder)
    assert problem.column == "population"
    assert_names(message, "unexpected column(s) ['population']")


def test_missing_column_is_refused_by_name(data_copy):
    rows = data_copy.rows("periods")
    col = rows[0].index("rationale")
    data_copy.write_rows("periods", [r[:col] + r[col + 1:] for r in rows])
    problem, message = problem_of("periods", data_copy.folder)
    assert problem.column == "rationale"
    assert_names(message, "missing column(s) ['rationale']")


def test_coordinates_out_of_range_are_refused(data_copy):
    data_copy.set_value("places", 2, "lat", "95.0")
    problem, message = problem_of("places", data_copy.folder)
    assert (problem.row, problem.column, problem.value) == (2, "lat", "95.0")
    assert_names(message, "at most 90")


def test_row_with_too_few_values_is_refused(data_copy):
    rows = data_copy.rows("event_domains")
    rows[2] = rows[2][:1]
    data_copy.write_rows("event_domains", rows)
    problem, message = problem_of("event_domains", data_copy.folder)
    assert problem.row == 2
    assert_names(message, "expected 2 values")


def test_value_outside_the_allowed_list_is_refused_with_the_list(data_copy):
    data_copy.set_value("event_domains", 1, "domain", "sport")
    problem, message = problem_of("event_domains", data_copy.folder)
    assert (problem.row, problem.column, problem.value) == (1, "domain", "sport")
    assert_names(message, "one of political, economic")


def test_end_date_before_start_is_refused(data_copy):
    rows = data_copy.rows("events")
    row = next(i for i, r in enumerate(rows[1:], start=1) if r[rows[0].index("date_end")])
    data_copy.set_value("events", row, "date_end", "1900-01-01")
    problem, message = problem_of("events", data_copy.folder)
    assert (problem.row, problem.column) == (row, "date_end")
    assert_names(message, "on or after the start date")


def test_non_numeric_coordinate_is_refused(data_copy):
    data_copy.set_value("places", 1, "lon", "76,9")
    problem, message = problem_of("places", data_copy.folder)
    assert (problem.row, problem.column, problem.value) == (1, "lon", "76,9")
    assert_names(message, "a number")


def test_every_problem_in_a_file_is_reported_not_just_the_first(data_copy):
    data_copy.set_value("event_domains", 1, "domain", "sport")
    data_copy.set_value("event_domains", 3, "domain", "music")
    with pytest.raises(DataValidationError) as info:
        load_table("event_domains", data_copy.folder)
    assert [p.value for p in info.value.problems] == ["sport", "music"]


def test_validate_package_collects_problems_from_every_table(data_copy):
    data_copy.set_value("event_domains", 1, "domain", "sport")
    data_copy.set_value("places", 1, "lat", "-91")
    with pytest.raises(DataValidationError) as info:
        validate_package(data_copy.folder)
    files = {p.file.rsplit("/", 1)[-1] for p in info.value.problems}
    assert {"event_domains.csv", "places.csv"} <= files


def test_no_row_is_ever_dropped(data_copy):
    """Every line of every CSV becomes exactly one row of the loaded table."""
    for name, count in validate_package(data_copy.folder).items():
        lines = len(data_copy.rows(name)) - 1
        assert count == lines, f"{name}: {lines} data lines but {count} rows loaded"


def test_message_says_row_and_line_so_a_reader_can_find_it_in_an_editor(data_copy):
    data_copy.set_value("events", 2, "precision", "week")
    _, message = problem_of("events", data_copy.folder)
    assert re.search(r"row 2 \(line 3\)", message)
