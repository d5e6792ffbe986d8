"""Shared fixtures and options.

``pristine`` is the small, valid, invented package in tests/fixtures/package/ under the
book's real schema (data/datapackage.json), so a bad-input test fails only for the one
thing it breaks, never because of a bad cell in the working data/. ``data_copy`` is a
copy of the working data/ itself, for tests about the book's own data. ``--notebook``
checks one notebook; the real-browser tests report loudly when they cannot run.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import warnings
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


# ------------------------------------------------- one notebook at a time (bash tasks.sh check)

def pytest_addoption(parser):
    parser.addoption(
        "--notebook", action="append", default=[], metavar="PATH",
        help="run the per-notebook tests (house rules) for this notebook only; repeat for several")


def pytest_collection_modifyitems(config, items):
    """With --notebook, drop the per-notebook test cases of every other notebook."""
    wanted = {Path(p).resolve() for p in config.getoption("notebook")}
    if not wanted:
        return
    known = {p.resolve() for p in (ROOT / "notebooks").rglob("*.ipynb")}
    unknown = sorted(str(p) for p in wanted - known)
    if unknown:
        raise pytest.UsageError(f"--notebook: not a notebook of the book: {', '.join(unknown)} "
                                f"(expected notebooks/NAME.ipynb)")
    keep, drop = [], []
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        path = params.get("path")
        other = isinstance(path, Path) and path.suffix == ".ipynb" and path.resolve() not in wanted
        (drop if other else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


# ------------------------------------------------- a browser that could not run is reported loudly

class BrowserNotRun(pytest.PytestWarning):
    """The real-browser tests of tests/test_site.py did not run."""


_BROWSER_PROBLEM = pytest.StashKey[str]()


@pytest.fixture(scope="session")
def report_browser_problem(request):
    """Record why Chromium could not be used: a warning now, a banner at the end of the run."""
    def report(reason: str) -> None:
        if _BROWSER_PROBLEM not in request.config.stash:
            request.config.stash[_BROWSER_PROBLEM] = reason
            warnings.warn(BrowserNotRun(f"real-browser tests did not run: {reason}"), stacklevel=2)
    return report


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    reason = config.stash.get(_BROWSER_PROBLEM, None)
    if reason:
        terminalreporter.write_sep("!", "REAL-BROWSER TESTS DID NOT RUN", red=True, bold=True)
        terminalreporter.write_line(f"reason: {reason}", red=True, bold=True)
        terminalreporter.write_line("the pages were not opened in Chromium; the link, image and weight checks did run",
                                    red=True)
