"""Shared fixtures: private copies of a data package that a test may break.

``pristine`` is the small, valid, invented package in tests/fixtures/package/ under the
book's real schema (data/datapackage.json), so a bad-input test fails only for the one
thing it breaks, never because of a bad cell in the working data/. ``data_copy`` is a
copy of the working data/ itself, for tests about the book's own data.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "package"


class DataCopy:
    """A copy of data/ in a temporary folder, with small tools to damage one table."""

    def __init__(self, folder: Path):
        self.folder = folder

    def path(self, table: str) -> Path:
        return self.folder / f"{table}.csv"

    def rows(self, table: str) -> list[list[str]]:
        with open(self.path(table), newline="", encoding="utf-8") as fh:
            return list(csv.reader(fh))

    def write_rows(self, table: str, rows: list[list[str]]) -> None:
        with open(self.path(table), "w", newline="", encoding="utf-8") as fh:
            csv.writer(fh, lineterminator="\n").writerows(rows)

    def set_value(self, table: str, row: int, column: str, value: str) -> None:
        """Set one value; ``row`` counts data rows from 1, as error messages do."""
        rows = self.rows(table)
        rows[row][rows[0].index(column)] = value
        self.write_rows(table, rows)

    def append(self, table: str, values: dict[str, str]) -> int:
        """Append a row (missing columns empty); return its data-row number."""
        rows = self.rows(table)
        rows.append([values.get(c, "") for c in rows[0]])
        self.write_rows(table, rows)
        return len(rows) - 1

    def value(self, table: str, row: int, column: str) -> str:
        rows = self.rows(table)
        return rows[row][rows[0].index(column)]


@pytest.fixture
def data_copy(tmp_path) -> DataCopy:
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    return DataCopy(folder)


def fitted_fixture(folder: Path) -> None:
    """Write the fixture package into ``folder`` under the book's current schema.

    Each table gets the schema's columns in the schema's order, from the committed
    fixture's column of the same name. So that a column or table added to the schema
    does not break every bad-input test at once, a column the fixture lacks is filled
    with the first allowed value if it is required and has a list of them, else left
    empty, and a table it lacks gets its header only; the test of the fixture itself
    still reports both, so that the committed files get updated.
    """
    folder.mkdir()
    shutil.copy(DATA / "datapackage.json", folder / "datapackage.json")
    for res in json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))["resources"]:
        fields = res["schema"]["fields"]
        source = FIXTURE / res["path"]
        with open(source, newline="", encoding="utf-8") if source.is_file() else io.StringIO("") as fh:
            rows = list(csv.DictReader(fh))
        with open(folder / res["path"], "w", newline="", encoding="utf-8") as fh:
            out = csv.writer(fh, lineterminator="\n")
            out.writerow([f["name"] for f in fields])
            out.writerows([row.get(f["name"], filler(f)) for f in fields] for row in rows)


def filler(field: dict) -> str:
    cons = field.get("constraints", {})
    return cons["enum"][0] if cons.get("required") and cons.get("enum") else ""


@pytest.fixture
def pristine(tmp_path) -> DataCopy:
    """The small invented package of tests/fixtures/package/ under the book's own schema,
    in a private folder: the starting point of every bad-input test."""
    fitted_fixture(tmp_path / "pristine")
    return DataCopy(tmp_path / "pristine")
