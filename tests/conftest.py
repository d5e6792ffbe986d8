"""Shared fixtures: a private copy of the data package that a test may break."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"


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
