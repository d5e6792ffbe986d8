"""Load the book's tables, validated against the one schema in data/datapackage.json.

Every problem found in a file is reported with the file, the row, the column, the
value and what the schema expected. Nothing is dropped: a table either loads whole
or raises :class:`DataValidationError`.
"""

from __future__ import annotations

import calendar
import csv
import io
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

__all__ = [
    "DATA_DIR",
    "DataValidationError",
    "Problem",
    "data_dir",
    "load_schema",
    "table_names",
    "load_table",
    "validate_package",
    "partial_date_bounds",
    "row_keys",
    "KEY_SEPARATOR",
]

#: The data folder, found from this file's own location (src/helpers/ -> repo root).
DATA_DIR = Path(__file__).resolve().parents[2] / "data"

PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
PRECISION_OF_PARTS = {1: "year", 2: "month", 3: "day"}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one value (or one row, or one file)."""

    file: str
    row: int | None  # data row number, 1 = first row under the header
    column: str | None
    value: str | None
    expected: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row} (line {self.row + 1})")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        got = "" if self.value is None else f": got {self.value!r}"
        return f"{', '.join(where)}{got}; expected {self.expected}"


class DataValidationError(ValueError):
    """Raised when a table does not match its schema. ``problems`` lists every one found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        shown = "\n  ".join(str(p) for p in self.problems[:25])
        more = f"\n  ... and {len(self.problems) - 25} more" if len(self.problems) > 25 else ""
        super().__init__(f"{len(self.problems)} problem(s) in the data:\n  {shown}{more}")


def data_dir(path: str | Path | None = None) -> Path:
    """Return the data folder: ``path`` if given, else the book's own ``data/``."""
    folder = DATA_DIR if path is None else Path(path)
    if not (folder / "datapackage.json").is_file():
        raise FileNotFoundError(
            f"no datapackage.json in {folder}; expected the book's data folder "
            "(install the helpers with 'pip install -e .' from the book's root)"
        )
    return folder


@lru_cache(maxsize=8)
def _schema_cached(folder: Path, mtime: float) -> dict:
    with open(folder / "datapackage.json", encoding="utf-8") as fh:
        return json.load(fh)


def load_schema(folder: str | Path | None = None) -> dict:
    """The data package descriptor (the one declaration of every table's schema)."""
    folder = data_dir(folder)
    return _schema_cached(folder, (folder / "datapackage.json").stat().st_mtime)


def table_names(folder: str | Path | None = None) -> list[str]:
    """Names of all tables, in the order the data package declares them."""
    return [r["name"] for r in load_schema(folder)["resources"]]


def _resource(name: str, folder: Path) -> dict:
    if not isinstance(name, str):
        raise TypeError(f"load_table(name=...): expected a table name as a string, got {type(name).__name__}")
    for r in load_schema(folder)["resources"]:
        if r["name"] == name:
            return r
    raise KeyError(f"load_table(name={name!r}): no such table; expected one of {', '.join(table_names(folder))}")


def partial_date_bounds(value: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day covered by an ISO date given to the day, the month or the year.

    >>> partial_date_bounds("1993-05")
    (Timestamp('1993-05-01 00:00:00'), Timestamp('1993-05-31 00:00:00'))
    """
    if not isinstance(value, str):
        raise TypeError(f"partial_date_bounds(value=...): expected a string like '1993', '1993-05' or '1993-05-19', got {value!r}")
    m = PARTIAL_DATE.match(value)
    if not m:
        raise ValueError(f"partial_date_bounds(value={value!r}): expected YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(x) if x else None for x in m.groups())
    if month is None:
        return pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31)
    if not 1 <= month <= 12:
        raise ValueError(f"partial_date_bounds(value={value!r}): month {month} is not 01-12")
    last = calendar.monthrange(year, month)[1]
    if day is None:
        return pd.Timestamp(year, month, 1), pd.Timestamp(year, month, last)
    if not 1 <= day <= last:
        raise ValueError(f"partial_date_bounds(value={value!r}): {year}-{month:02d} has no day {day}")
    return pd.Timestamp(year, month, day), pd.Timestamp(year, month, day)


def _check_partial_date(value: str) -> str | None:
    """Return None if ``value`` is a real partial date, else what was expected."""
    try:
        partial_date_bounds(value)
    except ValueError as exc:
        detail = str(exc).split(": ", 1)[1]
        if detail.startswith("expected"):
            return "a real calendar date as YYYY, YYYY-MM or YYYY-MM-DD"
        return f"a real calendar date as YYYY, YYYY-MM or YYYY-MM-DD ({detail})"
    return None


def _read_rows(path: Path, rel: str, fields: list[str]) -> list[list[str]]:
    """Read a CSV strictly: UTF-8, exact header, every row the header's width."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataValidationError([Problem(rel, line - 1 if line > 1 else None, None,
                                           repr(raw[exc.start:exc.end])[1:],
                                           f"UTF-8 text (undecodable byte at line {line}, byte offset {exc.start})")])
    if text.startswith("\ufeff"):
        text = text[1:]
    rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    if not rows:
        raise DataValidationError([Problem(rel, None, None, None, f"a header row: {','.join(fields)}")])
    header, body = rows[0], rows[1:]
    if header != fields:
        missing = [f for f in fields if f not in header]
        extra = [h for h in header if h not in fields]
        detail = []
        if missing:
            detail.append(f"missing column(s) {missing}")
        if extra:
            detail.append(f"unexpected column(s) {extra}")
        if not detail:
            detail.append("the columns in the schema's order")
        raise DataValidationError([Problem(rel, None, ",".join(missing + extra) or None, ",".join(header),
                                           f"the header {','.join(fields)} ({'; '.join(detail)})")])
    problems = []
    for i, row in enumerate(body, start=1):
        if len(row) != len(fields):
            problems.append(Problem(rel, i, None, ",".join(row),
                                    f"{len(fields)} values ({','.join(fields)}), found {len(row)}"))
    if problems:
        raise DataValidationError(problems)
    return body


def _convert(value: str, field: dict, rel: str, row: int, problems: list[Problem]):
    name, ftype = field["name"], field["type"]
    cons = field.get("constraints", {})
    if value == "":
        if cons.get("required"):
            problems.append(Problem(rel, row, name, value, f"a value ({field['description']}); this field is required"))
        return None
    if value != value.strip():
        problems.append(Problem(rel, row, name, value, "no leading or trailing spaces"))
        return None
    out: object = value
    if ftype == "integer":
        if not re.fullmatch(r"-?\d+", value):
            problems.append(Problem(rel, row, name, value, "a whole number"))
            return None
        out = int(value)
    elif ftype == "number":
        try:
            out = float(value)
        except ValueError:
            problems.append(Problem(rel, row, name, value, "a number (decimal point, no thousands separator)"))
            return None
    elif ftype == "date":
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) or _check_partial_date(value):
            problems.append(Problem(rel, row, name, value, "a real calendar date as YYYY-MM-DD"))
            return None
    if "x-partialDate" in field:
        bad = _check_partial_date(value)
        if bad:
            problems.append(Problem(rel, row, name, value, bad))
            return None
    if "pattern" in cons and not re.fullmatch(cons["pattern"].lstrip("^").rstrip("$"), value):
        problems.append(Problem(rel, row, name, value, f"text matching the pattern {cons['pattern']}"))
        return None
    if "enum" in cons and value not in cons["enum"]:
        problems.append(Problem(rel, row, name, value, f"one of {', '.join(cons['enum'])}"))
        return None
    if "minimum" in cons and out < cons["minimum"]:
        problems.append(Problem(rel, row, name, value, f"a value of at least {cons['minimum']}"))
    if "maximum" in cons and out > cons["maximum"]:
        problems.append(Problem(rel, row, name, value, f"a value of at most {cons['maximum']}"))
    return out


def _read_table(name: str, folder: Path) -> tuple[pd.DataFrame, list[Problem]]:
    """Read one table, check everything that concerns it alone, return it with its problems."""
    res = _resource(name, folder)
    fields = res["schema"]["fields"]
    names = [f["name"] for f in fields]
    rel = f"data/{res['path']}" if folder == DATA_DIR else str(folder / res["path"])
    path = folder / res["path"]
    if not path.is_file():
        raise FileNotFoundError(f"{rel}: the table '{name}' declared in datapackage.json has no file")
    body = _read_rows(path, rel, names)
    problems: list[Problem] = []
    columns: dict[str, list] = {n: [] for n in names}
    for i, row in enumerate(body, start=1):
        converted = {f["name"]: _convert(v, f, rel, i, problems) for f, v in zip(fields, row)}
        for f in fields:
            pf = f.get("x-partialDate", {}).get("precisionField")
            value = converted[f["name"]]
            if pf and value is not None and converted.get(pf) is not None:
                implied = PRECISION_OF_PARTS[value.count("-") + 1]
                if implied != converted[pf]:
                    problems.append(Problem(rel, i, f["name"], value,
                                            f"a date written to the {converted[pf]} as '{pf}' says "
                                            f"(this value is written to the {implied})"))
        if "date_end" in converted and converted.get("date_end") and converted.get("date"):
            if converted["date_end"] < partial_date_bounds(converted["date"])[0].strftime("%Y-%m-%d"):
                problems.append(Problem(rel, i, "date_end", converted["date_end"],
                                        f"a day on or after the start date {converted['date']}"))
        for n in names:
            columns[n].append(converted[n])
    # primary key: unique and complete
    pk = res["schema"].get("primaryKey", [])
    seen: dict[tuple, int] = {}
    for i, key in enumerate(zip(*(columns[k] for k in pk)), start=1):
        if None in key:  # already reported as missing or invalid
            continue
        if key in seen:
            problems.append(Problem(rel, i, ",".join(pk), ",".join(map(str, key)),
                                    f"a unique key; the same key is already on row {seen[key]}"))
        else:
            seen[key] = i
    frame = pd.DataFrame({
        f["name"]: pd.array(columns[f["name"]],
                            dtype={"integer": "Int64", "number": "Float64"}.get(f["type"], "string"))
        for f in fields
    })
    return frame, problems


#: Joins the values of a composite primary key into one text key (see :func:`row_keys`).
KEY_SEPARATOR = "|"


def _key_text(value) -> str:
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def row_keys(name: str, frame: pd.DataFrame, folder=None) -> pd.Series:
    """Each row's primary key as one text: the key fields' values in declared order, joined by '|'.

    This is the form in which a link table (for example ``conflict_subjects``) names a row of
    any table. ``frame`` is all or part of table ``name``, as :func:`load_table` returns it.
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"row_keys(frame=...): expected a DataFrame of table {name!r}, got {type(frame).__name__}")
    pk = _resource(name, data_dir(folder))["schema"].get("primaryKey", [])
    missing = [k for k in pk if k not in frame.columns]
    if missing:
        raise ValueError(f"row_keys(frame=...): expected the key columns {pk} of table {name!r}; missing {missing}")
    if frame.empty:
        return pd.Series([], index=frame.index, dtype="string")
    return pd.Series([KEY_SEPARATOR.join(_key_text(v) for v in values) for values in zip(*(frame[k] for k in pk))],
                     index=frame.index, dtype="string")


def _check_row_references(name: str, res: dict, rel: str, frame: pd.DataFrame, folder: Path) -> list[Problem]:
    """A (table, key) pair in a link table must name an existing row of that table."""
    ref = res["schema"].get("x-rowReference")
    if not ref:
        return []
    problems, known = [], {}
    for i, (table, key) in enumerate(zip(frame[ref["tableField"]], frame[ref["keyField"]]), start=1):
        if pd.isna(table) or pd.isna(key):
            continue
        if table not in known:
            target = _raw_table(table, folder)
            known[table] = (set(row_keys(table, target, folder)), _resource(table, folder)["schema"]["primaryKey"])
        keys, pk = known[table]
        if key not in keys:
            problems.append(Problem(rel, i, ref["keyField"], key,
                                    f"the primary key of a row of data/{table}.csv: its fields "
                                    f"{', '.join(pk)} joined by '{ref.get('separator', KEY_SEPARATOR)}'"))
    return problems


def _check_links(name: str, frame: pd.DataFrame, folder: Path) -> list[Problem]:
    """Foreign keys of ``name`` and the package's required links that start from it."""
    res = _resource(name, folder)
    rel = f"data/{res['path']}" if folder == DATA_DIR else str(folder / res["path"])
    problems = []
    for fk in res["schema"].get("foreignKeys", []):
        (col,), target = fk["fields"], fk["reference"]
        (tcol,) = target["fields"]
        tframe = frame if target["resource"] == name else _raw_table(target["resource"], folder)
        known = set(tframe[tcol].dropna())
        for i, value in enumerate(frame[col], start=1):
            if pd.notna(value) and value not in known:
                problems.append(Problem(rel, i, col, value,
                                        f"a value of {tcol} that exists in data/{target['resource']}.csv"))
    for link in load_schema(folder).get("x-requiredLinks", []):
        if link["resource"] != name:
            continue
        counts = _raw_table(link["linkResource"], folder)[link["linkField"]].value_counts()
        need = link.get("minCount", 1)
        for i, value in enumerate(frame[link["field"]], start=1):
            if counts.get(value, 0) < need:
                problems.append(Problem(rel, i, link["field"], value,
                                        f"at least {need} matching row(s) in data/{link['linkResource']}.csv "
                                        f"({link['message']})"))
    problems += _check_row_references(name, res, rel, frame, folder)
    return problems


_CACHE: dict[tuple, pd.DataFrame] = {}


def _stamp(folder: Path) -> tuple:
    return tuple(sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in folder.glob("*.csv")))


def _raw_table(name: str, folder: Path) -> pd.DataFrame:
    """A table checked on its own (types, constraints, keys), without its links; cached."""
    key = (str(folder), name, _stamp(folder), (folder / "datapackage.json").stat().st_mtime_ns)
    if key not in _CACHE:
        frame, problems = _read_table(name, folder)
        if problems:
            raise DataValidationError(problems)
        _CACHE[key] = frame
    return _CACHE[key]


def load_table(name: str, folder: str | Path | None = None) -> pd.DataFrame:
    """Load one table by name as a typed DataFrame, validated against its schema.

    Checks types, required values, allowed values, patterns, ranges, real calendar
    dates and their stated precision, unique keys, foreign keys and required links.
    Raises :class:`DataValidationError` naming file, row, column, value and what was
    expected; never drops a row.
    """
    folder = data_dir(folder)
    frame = _raw_table(name, folder)
    problems = _check_links(name, frame, folder)
    if problems:
        raise DataValidationError(problems)
    return frame.copy()


def validate_package(folder: str | Path | None = None) -> dict[str, int]:
    """Validate every table; return the number of rows in each. Collects all problems before raising."""
    folder = data_dir(folder)
    problems: list[Problem] = []
    counts = {}
    for name in table_names(folder):
        try:
            counts[name] = len(load_table(name, folder))
        except DataValidationError as exc:
            problems.extend(p for p in exc.problems if p not in problems)
    if problems:
        raise DataValidationError(problems)
    return counts
