"""Malformed data is refused with an error that names the file, row, line, column, value
and what was expected.

Every test starts from ``pristine``: the small invented package in tests/fixtures/package/
under the book's real schema, copied to a private folder. It breaks exactly one thing
there, so a test fails only for its own reason, never because of a bad cell in data/.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

import helpers
from helpers import DataValidationError, data_dir, load_schema, load_table, table_names, validate_package

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "package"


def refusal(table: str, folder) -> tuple[helpers.Problem, str]:
    """Load ``table``; return the first problem and the whole message of the refusal."""
    with pytest.raises(DataValidationError) as info:
        load_table(table, folder)
    return info.value.problems[0], str(info.value)


def assert_names(message: str, *parts: str) -> None:
    for part in parts:
        assert part in message, f"{part!r} missing from error message:\n{message}"


# --- the fixture itself ------------------------------------------------------------

def test_the_fixture_package_is_valid_and_fills_every_table(pristine):
    """The starting point of every test below loads cleanly under the book's schema."""
    counts = validate_package(pristine.folder)
    assert set(counts) == set(table_names())
    assert all(n >= 1 for n in counts.values()), counts


def test_the_committed_fixture_has_exactly_the_schemas_tables_and_columns():
    """When the schema gains or loses a column or a table, tests/fixtures/package/ must follow."""
    for res in load_schema()["resources"]:
        path = FIXTURE / res["path"]
        assert path.is_file(), f"add {path.relative_to(ROOT)} with a few invented rows"
        with open(path, newline="", encoding="utf-8") as fh:
            header = next(csv.reader(fh))
        assert header == [f["name"] for f in res["schema"]["fields"]], \
            f"update the columns of {path.relative_to(ROOT)} to those of data/datapackage.json"
    stray = {p.name for p in FIXTURE.glob("*.csv")} - {r["path"] for r in load_schema()["resources"]}
    assert not stray, f"tests/fixtures/package/ has tables the schema does not declare: {stray}"


def test_the_fixture_holds_none_of_the_working_data(pristine):
    """The fixture is independent of data/: no row of it is a row of the book's tables."""
    for name in table_names():
        ours = {tuple(r) for r in pristine.rows(name)[1:]}
        with open(ROOT / "data" / f"{name}.csv", newline="", encoding="utf-8") as fh:
            book = {tuple(r) for r in csv.reader(fh)}
        assert not ours & book, name


# --- one bad value -----------------------------------------------------------------
# (table, data row, column, bad value, a phrase the expectation must contain)
BAD_VALUES = {
    "required value empty": ("events", 1, "title", "", "this field is required"),
    "only spaces": ("events", 1, "title", "   ", "no leading or trailing spaces"),
    "leading space": ("events", 2, "title", " An invented summit", "no leading or trailing spaces"),
    "trailing space in a key": ("event_parties", 1, "state_iso3", "KAZ ", "no leading or trailing spaces"),
    "trailing zero-width space": ("events", 1, "title", "An invented treaty\u200b", "invisible characters"),
    "zero-width space inside text": ("places", 1, "name_en", "Fixture\u200bCapital", "U+200B ZERO WIDTH SPACE"),
    "soft hyphen inside text": ("places", 1, "name_en", "Fix\u00adture Capital", "U+00AD SOFT HYPHEN"),
    "byte-order mark inside text": ("events", 3, "summary", "Invented\ufefffor the tests.", "U+FEFF"),
    "bidi override inside text": ("sources", 1, "title", "An \u202einvented article", "U+202E"),
    "control character": ("events", 1, "summary", "Invented\x07.", "U+0007"),
    "line break inside a value": ("events", 1, "summary", "Invented\nfor the tests.", "U+000A"),
    "value outside the allowed list": ("event_domains", 1, "domain", "sport", "one of political, economic"),
    "code not matching its pattern": ("states", 2, "iso3", "Uzb", "the pattern ^[A-Z]{3}$"),
    "id not matching its pattern": ("events", 3, "event_id", "E1998 visit", "the pattern ^e(19|20)"),
    "date in another format": ("events", 2, "date", "24/04/1994", "YYYY, YYYY-MM or YYYY-MM-DD"),
    "date in non-ASCII digits": ("events", 3, "date", "\u0661\u0669\u0669\u0668", "YYYY, YYYY-MM or YYYY-MM-DD"),
    "day that does not exist": ("events", 1, "date", "1993-02-30", "has no day 30"),
    "month that does not exist": ("memberships", 2, "joined", "1994-13", "month 13 is not 01-12"),
    "full date without leading zeros": ("periods", 1, "start", "1990-1-1", "a real calendar date as YYYY-MM-DD"),
    "event dated 2091": ("events", 1, "date", "2091-12-21", "a date between 1985 and 2005 (the book's range for events"),
    "event dated 1850": ("events", 3, "date", "1850", "a date between 1985 and 2005"),
    "event ending in 2091": ("events", 2, "date_end", "2091-04-30", "a date between 1985 and 2005"),
    "period starting in 1850": ("periods", 1, "start", "1850-01-01", "a date between 1985 and 2005"),
    "membership from 2091": ("memberships", 2, "joined", "2091", "a date between 1985 and 2010"),
    "source published in 2091": ("sources", 1, "published", "2091-05-04", "a date between 1900 and 2026"),
    "date stated by a source in 1850": ("event_sources", 1, "stated_date", "1850-12-21", "a date between 1900 and 2026"),
    "precision says day, date is a year": ("events", 1, "date", "1991", "written to the day as 'precision' says"),
    "precision says month, date is a year": ("memberships", 1, "left", "1998", "written to the month"),
    "NaN": ("places", 1, "lat", "NaN", "a finite number"),
    "nan": ("aral_sea", 1, "level_m", "nan", "a finite number"),
    "inf": ("border_lengths", 1, "length_km", "inf", "a finite number"),
    "-inf": ("places", 2, "lon", "-inf", "a finite number"),
    "Infinity": ("article_figures", 1, "value", "Infinity", "a finite number"),
    "+INFINITY": ("aral_sea", 2, "area_km2", "+INFINITY", "a finite number"),
    "number too large to represent": ("aral_sea", 1, "volume_km3", "1e999", "too large to represent"),
    "thousands separator": ("aral_sea", 1, "area_km2", "60,000", "no thousands separator"),
    "decimal comma": ("places", 1, "lon", "70,25", "a number"),
    "number in non-ASCII digits": ("border_lengths", 1, "length_km", "\u0662\u0662\u0660\u0660", "a number"),
    "integer with decimals": ("periods", 1, "order", "1.0", "a whole number"),
    "integer with a space": ("diaspora", 1, "ethnic_kazakhs", "800 000", "a whole number"),
    "negative count of people": ("diaspora", 1, "ethnic_kazakhs", "-5", "a value of at least 0"),
    "negative count of returnees": ("repatriation", 1, "persons", "-1", "a value of at least 0"),
    "implausibly many returnees": ("repatriation", 1, "persons", "5000000", "a value of at most 1000000"),
    "latitude out of range": ("places", 1, "lat", "95.0", "a value of at most 90"),
    "longitude out of range": ("places", 1, "lon", "-181", "a value of at least -180"),
    "area larger than the sea ever was": ("aral_sea", 1, "area_km2", "1e6", "a value of at most 100000"),
    "year before any figure": ("aral_sea", 1, "year", "1850", "a value of at least 1900"),
    "negative figure": ("article_figures", 1, "value", "-12.5", "a value of at least 0"),
    "order zero": ("periods", 1, "order", "0", "a value of at least 1"),
    "URL http://x": ("sources", 1, "url", "http://x", "a host name with a dot"),
    "URL with another scheme": ("sources", 1, "url", "ftp://example.org/a", "an http:// or https:// scheme"),
    "URL without a scheme": ("sources", 2, "url", "news.example.org/1998/03", "an http:// or https:// scheme"),
    "URL with a zero-width space": ("sources", 1, "url", "https://exam\u200bple.org/a", "U+200B ZERO WIDTH SPACE"),
    "URL with a zero-width non-joiner": ("sources", 1, "url", "https://example.org/a\u200cb", "U+200C"),
    "URL with a zero-width joiner": ("sources", 1, "url", "https://example.org/a\u200db", "U+200D"),
    "URL with a byte-order mark": ("sources", 1, "url", "https://example.org/\ufeffa", "U+FEFF"),
    "URL with a soft hyphen": ("sources", 1, "url", "https://exam\u00adple.org/a", "U+00AD SOFT HYPHEN"),
    "URL with a left-to-right mark": ("sources", 1, "url", "https://example.org/a\u200eb", "U+200E"),
    "URL with a space": ("sources", 1, "url", "https://example.org/a b", "U+0020 SPACE"),
    "URL with a broken host": ("sources", 1, "url", "http://[::1/a", "a well-formed host"),
    "event ending before it starts": ("events", 2, "date_end", "1994-03-31", "on or after 'date' (1994-04)"),
    "period ending before it starts": ("periods", 2, "end", "1995-12-31", "on or after 'start' (1996-01-01)"),
    "membership left before joined": ("memberships", 1, "left", "1993-12", "on or after 'joined' (1994-04-30)"),
    "span of years ending before it starts": ("repatriation", 1, "year_to", "1990", "on or after 'year_from' (1991)"),
    "party not in the states table": ("event_parties", 3, "state_iso3", "FRA", "a value of iso3 that exists in data/states.csv"),
    "successor organisation that does not exist": ("organisations", 1, "successor_org_id", "nope", "a value of org_id that exists in data/organisations.csv"),
}


@pytest.mark.parametrize("table, row, column, value, expected", BAD_VALUES.values(), ids=BAD_VALUES.keys())
def test_a_bad_value_is_refused_naming_file_row_column_value_and_expectation(pristine, table, row, column, value, expected):
    pristine.set_value(table, row, column, value)
    problem, message = refusal(table, pristine.folder)
    assert (problem.row, problem.column, problem.value) == (row, column, value)
    assert problem.file.endswith(f"{table}.csv")
    assert_names(message, f"{table}.csv, row {row} (line {row + 1}), column '{column}': got {value!r}; expected",
                 expected)


def test_the_message_reads_as_one_sentence_a_person_can_act_on(pristine):
    pristine.set_value("events", 2, "date", "2091-01-01")
    pristine.set_value("events", 2, "date_end", "")
    _, message = refusal("events", pristine.folder)
    assert re.search(r"events\.csv, row 2 \(line 3\), column 'date': got '2091-01-01'; expected a date between "
                     r"1985 and 2005 \(the book's range for events", message), message


def test_only_the_intended_rows_are_refused_the_neighbours_still_pass(pristine):
    """The fixture's edge cases are accepted: an end inside its start month, a year-only membership."""
    pristine.set_value("events", 2, "date_end", "1994-04-01")
    pristine.set_value("memberships", 1, "left", "1994")  # the year it joined, to the year
    pristine.set_value("memberships", 1, "left_precision", "year")
    assert validate_package(pristine.folder)["events"] == 3


# --- keys and links ----------------------------------------------------------------

def test_duplicate_primary_key_is_refused_and_points_at_the_first_copy(pristine):
    pristine.set_value("events", 3, "event_id", "e1991-fixture-treaty")
    problem, message = refusal("events", pristine.folder)
    assert (problem.row, problem.column, problem.value) == (3, "event_id", "e1991-fixture-treaty")
    assert_names(message, "events.csv, row 3 (line 4), column 'event_id'", "a unique key; the same key is already on row 1")


def test_duplicate_composite_key_names_every_key_column(pristine):
    pristine.set_value("event_domains", 2, "event_id", "e1991-fixture-treaty")
    pristine.set_value("event_domains", 2, "domain", "political")
    problem, message = refusal("event_domains", pristine.folder)
    assert (problem.row, problem.column) == (2, "event_id,domain")
    assert_names(message, "event_domains.csv, row 2 (line 3)", "already on row 1")


def test_event_without_any_source_is_refused(pristine):
    rows = pristine.rows("event_sources")
    pristine.write_rows("event_sources", [r for r in rows if r[0] != "e1994-fixture-summit"])
    problem, message = refusal("events", pristine.folder)
    assert (problem.row, problem.column, problem.value) == (2, "event_id", "e1994-fixture-summit")
    assert_names(message, "events.csv, row 2 (line 3), column 'event_id'",
                 "at least 1 matching row(s) in data/event_sources.csv", "every event needs at least one source")


def test_conflict_with_a_single_claim_is_refused(pristine):
    pristine.write_rows("conflict_claims", pristine.rows("conflict_claims")[:2])
    problem, message = refusal("conflicts", pristine.folder)
    assert (problem.row, problem.column, problem.value) == (1, "conflict_id", "c-fixture-date")
    assert_names(message, "conflicts.csv, row 1 (line 2)", "at least 2 matching row(s) in data/conflict_claims.csv")


def test_orphan_link_row_is_refused(pristine):
    row = pristine.append("event_domains", {"event_id": "e1999-no-such-event", "domain": "political"})
    problem, message = refusal("event_domains", pristine.folder)
    assert (problem.row, problem.column, problem.value) == (row, "event_id", "e1999-no-such-event")
    assert_names(message, f"row {row} (line {row + 1})", "exists in data/events.csv")


# --- a broken CSV file -------------------------------------------------------------

def edit_line(copy, table: str, line: int, old: str, new: str) -> None:
    path = copy.path(table)
    lines = path.read_text(encoding="utf-8").split("\n")
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    path.write_text("\n".join(lines), encoding="utf-8")


def test_stray_quote_is_refused_with_its_line_and_column_not_a_raw_csv_error(pristine):
    edit_line(pristine, "events", 3, ",An invented summit,", ',"An invented" summit,')
    problem, message = refusal("events", pristine.folder)
    assert (problem.row, problem.line, problem.column) == (2, 3, "title")
    assert_names(message, "events.csv, row 2 (line 3), column 'title'", "got '\"An invented\" summit'",
                 "wholly inside them", "the CSV reader says")


def test_quote_never_closed_is_refused_at_the_line_where_it_opens(pristine):
    edit_line(pristine, "events", 4, ",An invented visit,", ',"An invented visit,')
    problem, message = refusal("events", pristine.folder)
    assert (problem.row, problem.line, problem.column) == (3, 4, "title")
    assert_names(message, "events.csv, row 3 (line 4), column 'title'", "a closing double quote")


def test_undecodable_bytes_are_refused_with_their_line_and_column(pristine):
    path = pristine.path("places")
    path.write_bytes(path.read_bytes().replace(b"Fixture Town", b"Fixture T\xe9wn"))
    problem, message = refusal("places", pristine.folder)
    assert (problem.row, problem.column) == (2, "name_en")
    assert_names(message, "places.csv, row 2 (line 3), column 'name_en': got 'Fixture T\ufffdwn'",
                 "expected UTF-8 text (byte 0xE9 at byte offset")


def test_a_utf16_file_is_refused_as_not_utf8(pristine):
    path = pristine.path("states")
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    problem, message = refusal("states", pristine.folder)
    assert problem.line == 1
    assert_names(message, "states.csv, line 1", "byte 0xFF at byte offset 0 is not UTF-8", "save the file as UTF-8")


def test_a_utf8_byte_order_mark_at_the_start_is_accepted(pristine):
    path = pristine.path("states")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert len(load_table("states", pristine.folder)) == 3


def test_a_file_with_windows_line_endings_loads_whole(pristine):
    """.gitattributes keeps the committed CSVs LF; a CRLF copy from an editor still loads row for row."""
    path = pristine.path("events")
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    events = load_table("events", pristine.folder)
    assert list(events["event_id"]) == [r[0] for r in pristine.rows("events")[1:]]
    assert not events["summary"].str.contains("\r").any()


def test_extra_column_is_refused_by_name(pristine):
    pristine.write_rows("states", [r + (["population"] if i == 0 else ["1"]) for i, r in enumerate(pristine.rows("states"))])
    problem, message = refusal("states", pristine.folder)
    assert problem.column == "population"
    assert_names(message, "states.csv, line 1, column 'population'", "unexpected column(s) ['population']")


def test_missing_column_is_refused_by_name(pristine):
    rows = pristine.rows("periods")
    col = rows[0].index("rationale")
    pristine.write_rows("periods", [r[:col] + r[col + 1:] for r in rows])
    problem, message = refusal("periods", pristine.folder)
    assert problem.column == "rationale"
    assert_names(message, "periods.csv, line 1, column 'rationale'", "missing column(s) ['rationale']")


def test_renamed_column_is_refused_naming_both_names(pristine):
    edit_line(pristine, "places", 1, ",lat,", ",latitude,")
    problem, message = refusal("places", pristine.folder)
    assert_names(message, "places.csv, line 1", "missing column(s) ['lat']", "unexpected column(s) ['latitude']")


def test_columns_in_another_order_are_refused(pristine):
    pristine.write_rows("event_domains", [r[::-1] for r in pristine.rows("event_domains")])
    problem, message = refusal("event_domains", pristine.folder)
    assert_names(message, "event_domains.csv, line 1", "got 'domain,event_id'",
                 "the header event_id,domain (the columns in the schema's order)")


def test_row_with_too_few_values_names_the_first_missing_column(pristine):
    rows = pristine.rows("event_parties")
    rows[2] = rows[2][:2]
    pristine.write_rows("event_parties", rows)
    problem, message = refusal("event_parties", pristine.folder)
    assert (problem.row, problem.column) == (2, "role")
    assert_names(message, "event_parties.csv, row 2 (line 3), column 'role'", "expected 3 values", "found 2")


def test_row_with_an_unquoted_comma_is_refused(pristine):
    edit_line(pristine, "event_domains", 2, "political", "political,economic")
    problem, message = refusal("event_domains", pristine.folder)
    assert problem.row == 1
    assert_names(message, "event_domains.csv, row 1 (line 2)", "expected 2 values", "found 3",
                 "a comma inside a value needs the value in double quotes")


def test_blank_line_is_refused(pristine):
    edit_line(pristine, "event_domains", 2, "political", "political\n")
    problem, message = refusal("event_domains", pristine.folder)
    assert_names(message, "event_domains.csv, row 2 (line 3)", "no blank line")


def test_empty_file_is_refused(pristine):
    pristine.path("periods").write_text("", encoding="utf-8")
    _, message = refusal("periods", pristine.folder)
    assert_names(message, "periods.csv, line 1", "a header row: period_id,order,title,start,end,rationale")


def test_missing_file_is_refused_as_bad_data(pristine):
    pristine.path("diaspora").unlink()
    _, message = refusal("diaspora", pristine.folder)
    assert_names(message, "diaspora.csv", "a file for the table 'diaspora' that datapackage.json declares")


def test_lines_stay_right_after_a_value_that_spans_two_lines(pristine):
    pristine.set_value("events", 1, "summary", "Invented\nfor the tests.")
    pristine.set_value("events", 3, "date", "2091")
    with pytest.raises(DataValidationError) as info:
        load_table("events", pristine.folder)
    last = info.value.problems[-1]
    assert (last.row, last.line, last.column) == (3, 5, "date")
    assert "row 3 (line 5)" in str(info.value)


# --- a broken datapackage.json -----------------------------------------------------

def test_truncated_datapackage_json_is_refused_with_line_and_column(pristine):
    path = pristine.folder / "datapackage.json"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(DataValidationError) as info:
        load_table("events", pristine.folder)
    problem = info.value.problems[0]
    assert problem.line == text[: len(text) // 2].count("\n") + 1 and isinstance(problem.column, int)
    assert_names(str(info.value), "datapackage.json, line ", f", column {problem.column}", "expected valid JSON (",
                 "truncated")


def test_missing_comma_in_datapackage_json_points_at_it(pristine):
    path = pristine.folder / "datapackage.json"
    lines = path.read_text(encoding="utf-8").split("\n")
    n = next(i for i, line in enumerate(lines) if line.strip() == '"format": "csv",')
    lines[n] = lines[n].rstrip(",")
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(DataValidationError) as info:
        validate_package(pristine.folder)
    assert (info.value.problems[0].line, info.value.problems[0].column) == (n + 2, 7)
    assert_names(str(info.value), f"datapackage.json, line {n + 2}, column 7", "Expecting ',' delimiter")


def test_datapackage_json_that_is_not_an_object_is_refused(pristine):
    (pristine.folder / "datapackage.json").write_text('["states", "places"]\n', encoding="utf-8")
    with pytest.raises(DataValidationError) as info:
        table_names(pristine.folder)
    assert_names(str(info.value), "datapackage.json: got 'list'", "a JSON object with a non-empty 'resources' list")


def change_schema(copy, change) -> None:
    path = copy.folder / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    change({r["name"]: r for r in package["resources"]})
    path.write_text(json.dumps(package, indent=2), encoding="utf-8")


def test_a_key_naming_a_column_the_table_lacks_is_refused(pristine):
    change_schema(pristine, lambda res: res["events"]["schema"]["foreignKeys"][0].update(fields=["venue_id"]))
    with pytest.raises(DataValidationError) as info:
        load_table("states", pristine.folder)
    assert_names(str(info.value), "datapackage.json: got 'venue_id'", "resources[", "('events')",
                 "each column named in foreignKeys to be a column of the table")


def test_a_row_rule_naming_a_column_the_table_lacks_is_refused(pristine):
    change_schema(pristine, lambda res: res["periods"]["schema"]["x-rowRules"][0].update(notBefore="begin"))
    with pytest.raises(DataValidationError) as info:
        load_table("periods", pristine.folder)
    assert_names(str(info.value), "got 'begin'", "('periods')", "x-rowRules")


def test_a_field_of_unknown_type_is_refused(pristine):
    change_schema(pristine, lambda res: res["places"]["schema"]["fields"][4].update(type="float"))
    with pytest.raises(DataValidationError) as info:
        load_table("places", pristine.folder)
    assert_names(str(info.value), "got 'lat'", "('places')", "a type out of date, integer, number, string")


# --- many problems at once -----------------------------------------------------------

def test_every_problem_in_a_file_is_reported_not_just_the_first(pristine):
    pristine.set_value("event_domains", 1, "domain", "sport")
    pristine.set_value("event_domains", 3, "domain", "music")
    with pytest.raises(DataValidationError) as info:
        load_table("event_domains", pristine.folder)
    assert [(p.row, p.value) for p in info.value.problems] == [(1, "sport"), (3, "music")]


def test_validate_package_collects_problems_from_every_table(pristine):
    pristine.set_value("event_domains", 1, "domain", "sport")
    pristine.set_value("places", 1, "lat", "-91")
    with pytest.raises(DataValidationError) as info:
        validate_package(pristine.folder)
    files = {Path(p.file).name for p in info.value.problems}
    assert {"event_domains.csv", "places.csv"} <= files


@pytest.mark.parametrize("package", ["pristine", "data_copy"])
def test_no_row_is_ever_dropped(package, request):
    """Every line of every CSV becomes exactly one row of the loaded table (the fixture's and the book's)."""
    copy = request.getfixturevalue(package)
    for name, count in validate_package(copy.folder).items():
        lines = len(copy.rows(name)) - 1
        assert count == lines, f"{name}: {lines} data lines but {count} rows loaded"


# --- the schema states its rules -----------------------------------------------------

def test_every_date_column_states_its_range_and_every_number_column_its_bounds():
    for res in load_schema()["resources"]:
        for field in res["schema"]["fields"]:
            where = f"{res['name']}.{field['name']}"
            if field["type"] == "date" or "x-partialDate" in field:
                span = field.get("x-dateRange", {})
                assert span.get("minimum") and span.get("maximum") and span.get("description"), where
            if field["type"] in ("integer", "number"):
                cons = field.get("constraints", {})
                assert "minimum" in cons and "maximum" in cons, where


def test_the_book_range_for_events_covers_the_events_and_refuses_1850_and_2091():
    fields = {f["name"]: f for f in load_schema()["resources"][table_names().index("events")]["schema"]["fields"]}
    span = fields["date"]["x-dateRange"]
    assert span["minimum"] <= 1990 and span["maximum"] >= 2002
    assert span["minimum"] > 1850 and span["maximum"] < 2091


# --- wrong arguments to the helpers --------------------------------------------------

@pytest.mark.parametrize("call, error, phrase", [
    (lambda: load_table(123), TypeError, r"load_table\(name=123\): expected a table name as a string, got int"),
    (lambda: load_table(["events"]), TypeError, r"load_table\(name=\['events'\]\): expected a table name as a string"),
    (lambda: load_table("nope"), KeyError, r"load_table\(name='nope'\): no such table; expected one of states, places"),
    (lambda: load_table("events", "/nonexistent"), FileNotFoundError,
     r"load_table\(folder='/nonexistent'\): no datapackage.json in '/nonexistent'; expected the folder"),
    (lambda: data_dir("/nonexistent"), FileNotFoundError,
     r"data_dir\(path='/nonexistent'\): no datapackage.json in '/nonexistent'; expected the folder"),
    (lambda: data_dir(42), TypeError, r"data_dir\(path=42\): expected a folder as a string or pathlib.Path"),
    (lambda: validate_package(3.5), TypeError, r"validate_package\(folder=3.5\): expected a folder"),
    (lambda: table_names("/nonexistent"), FileNotFoundError, r"load_schema\(folder='/nonexistent'\)"),
], ids=["name-int", "name-list", "name-unknown", "folder-missing", "data_dir-missing", "data_dir-int",
        "validate-float", "table_names-missing"])
def test_wrong_arguments_are_named_with_what_was_expected(call, error, phrase):
    with pytest.raises(error, match=phrase):
        call()
