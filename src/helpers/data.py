"""Load the book's tables, validated against the one schema in data/datapackage.json.

Every problem found in a file is reported with the file, the row (and its line), the
column, the value and what the schema expected. Nothing is dropped: a table either
loads whole or raises :class:`DataValidationError`.

Beyond the Table Schema standard the descriptor uses four small extensions, all
enforced here and nowhere tied to a particular table:

* ``x-partialDate`` on a field: an ISO date given to the day, the month or the year,
  whose precision may be stated in another column (``precisionField``);
* ``x-dateRange`` on a date field: the first and last year a date may fall in, and why;
* ``x-rowRules`` in a table's schema: a column whose value may not fall before another
  column's value in the same row (an end before its start);
* ``x-requiredLinks`` at the top: rows that need matching rows in a link table.
"""

from __future__ import annotations

import calendar
import csv
import functools
import io
import json
import math
import os
import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

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
    "tables_read",
    "cached_on_data",
    "data_state",
    "KEY_SEPARATOR",
]

#: The data folder, found from this file's own location (src/helpers/ -> repo root).
DATA_DIR = Path(__file__).resolve().parents[2] / "data"

PARTIAL_DATE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")
PRECISION_OF_PARTS = {1: "year", 2: "month", 3: "day"}
FIELD_TYPES = {"string", "integer", "number", "date"}
INTEGER = re.compile(r"-?[0-9]+")
NUMBER = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
NOT_FINITE = {"nan", "inf", "infinity"}
#: Unicode categories no value may contain: control characters, invisible format
#: characters (zero-width spaces and joiners, soft hyphen, byte-order mark, bidi marks)
#: and line or paragraph separators.
INVISIBLE = {"Cc", "Cf", "Zl", "Zp"}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one value (or one row, or one file).

    ``row`` counts data rows from 1 (the first row under the header); ``line`` is the
    line of the file, when it is not simply ``row + 1``. ``column`` is a column name,
    or for a JSON file the character position on the line.
    """

    file: str
    row: int | None
    column: str | int | None
    value: str | None
    expected: str
    line: int | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row} (line {self.line or self.row + 1})")
        elif self.line is not None:
            where.append(f"line {self.line}")
        if isinstance(self.column, int):
            where.append(f"column {self.column}")
        elif self.column is not None:
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


def _folder(path, argument: str) -> Path:
    if path is None:
        return DATA_DIR
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"{argument}: expected a folder as a string or pathlib.Path (or None for the "
                        f"book's own data/), got {type(path).__name__} {path!r}")
    folder = Path(path)
    if not (folder / "datapackage.json").is_file():
        raise FileNotFoundError(
            f"{argument}: no datapackage.json in {str(folder)!r}; expected the folder of the book's data "
            "package, or None for the book's own data/ (install the helpers with 'pip install -e .' "
            "from the book's root)"
        )
    return folder


def data_dir(path: str | Path | None = None) -> Path:
    """Return the data folder: ``path`` if given, else the book's own ``data/``."""
    return _folder(path, f"data_dir(path={path!r})")


def _rel(folder: Path, name: str) -> str:
    """How messages name a file: data/... for the book's own data, else the full path."""
    return f"data/{name}" if folder == DATA_DIR else str(folder / name)


def _invisible(value: str, also: set[str] = frozenset()) -> str | None:
    """Describe the first control or invisible character in ``value`` (or of a category in ``also``)."""
    for i, ch in enumerate(value):
        if unicodedata.category(ch) in INVISIBLE | also:
            name = unicodedata.name(ch, "control character")
            return f"U+{ord(ch):04X} {name} at position {i + 1}"
    return None


def _not_utf8(raw: bytes, exc: UnicodeDecodeError) -> str:
    return (f"UTF-8 text (byte 0x{raw[exc.start]:02X} at byte offset {exc.start} is not UTF-8; "
            "save the file as UTF-8)")


@lru_cache(maxsize=8)
def _schema_cached(folder: Path, mtime: float) -> dict:
    rel = _rel(folder, "datapackage.json")
    raw = (folder / "datapackage.json").read_bytes()
    try:
        descriptor = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        text = raw.split(b"\n")[line - 1].decode("utf-8", "replace").strip()
        raise DataValidationError([Problem(rel, None, None, text[:60], _not_utf8(raw, exc), line=line)]) from None
    except json.JSONDecodeError as exc:
        text = exc.doc.split("\n")[exc.lineno - 1]
        excerpt = text[max(0, exc.colno - 30): exc.colno + 10].strip() if text else None
        raise DataValidationError([Problem(rel, None, exc.colno, excerpt,
                                           f"valid JSON ({exc.msg}); the file may be truncated or "
                                           "have a missing comma, quote or bracket",
                                           line=exc.lineno)]) from None
    problems = _check_descriptor(descriptor, rel)
    if problems:
        raise DataValidationError(problems)
    return descriptor


def _check_descriptor(pkg, rel: str) -> list[Problem]:
    """The descriptor's own shape: what the loader relies on, so that a slip in it
    (a renamed column left in a key, a rule naming no column) is named, not a KeyError."""
    def problem(where: str, value, expected: str) -> Problem:
        return Problem(rel, None, None, None if value is None else str(value)[:60], f"{where} {expected}")

    if not isinstance(pkg, dict) or not isinstance(pkg.get("resources"), list) or not pkg["resources"]:
        got = type(pkg).__name__ if not isinstance(pkg, dict) else f"keys {sorted(pkg)}"
        return [problem("the descriptor", got, "to be a JSON object with a non-empty 'resources' list")]
    problems: list[Problem] = []
    columns: dict[str, set] = {}
    for n, res in enumerate(pkg["resources"]):
        schema = res.get("schema") if isinstance(res, dict) else None
        fields = schema.get("fields") if isinstance(schema, dict) else None
        if not (isinstance(res, dict) and isinstance(res.get("name"), str) and isinstance(res.get("path"), str)
                and isinstance(fields, list) and fields and all(isinstance(f, dict) for f in fields)):
            problems.append(problem(f"resources[{n}]", None, "to be an object with a 'name', a 'path' and a "
                                                            "'schema' holding a non-empty list of 'fields'"))
            continue
        where = f"resources[{n}] ('{res['name']}'):"
        for f in fields:
            if not isinstance(f.get("name"), str) or f.get("type") not in FIELD_TYPES:
                problems.append(problem(where, f.get("name"), f"each field to have a name and a type "
                                                              f"out of {', '.join(sorted(FIELD_TYPES))}"))
        columns[res["name"]] = {f.get("name") for f in fields}
    for n, res in enumerate(pkg["resources"]):
        if res.get("name") not in columns:
            continue
        where, schema, own = f"resources[{n}] ('{res['name']}'):", res["schema"], columns[res["name"]]
        used = [("primaryKey", c) for c in schema.get("primaryKey", [])]
        used += [("x-rowRules", r.get(k)) for r in schema.get("x-rowRules", []) for k in ("field", "notBefore")]
        used += [("foreignKeys", c) for fk in schema.get("foreignKeys", []) for c in fk.get("fields", [])]
        for key, column in used:
            if column not in own:
                problems.append(problem(where, column, f"each column named in {key} to be a column of the table"))
        for fk in schema.get("foreignKeys", []):
            target = fk.get("reference", {})
            if not set(target.get("fields", [])) <= columns.get(target.get("resource"), set()):
                problems.append(problem(where, target, "each foreign key to refer to columns of a declared table"))
        for f in res["schema"]["fields"]:
            span = f.get("x-dateRange")
            if span is not None and not (isinstance(span, dict) and isinstance(span.get("minimum"), int)
                                         and isinstance(span.get("maximum"), int)):
                problems.append(problem(where, f.get("name"), "x-dateRange to give a minimum and a maximum year"))
    for link in pkg.get("x-requiredLinks", []):
        if link.get("field") not in columns.get(link.get("resource"), set()) or \
                link.get("linkField") not in columns.get(link.get("linkResource"), set()):
            problems.append(problem("x-requiredLinks", link.get("message"), "to name declared tables and columns"))
    return problems


def load_schema(folder: str | Path | None = None) -> dict:
    """The data package descriptor (the one declaration of every table's schema)."""
    folder = _folder(folder, f"load_schema(folder={folder!r})")
    return _schema_cached(folder, (folder / "datapackage.json").stat().st_mtime_ns)


def table_names(folder: str | Path | None = None) -> list[str]:
    """Names of all tables, in the order the data package declares them."""
    return [r["name"] for r in load_schema(folder)["resources"]]


def _check_name(name) -> None:
    if not isinstance(name, str):
        raise TypeError(f"load_table(name={name!r}): expected a table name as a string, got {type(name).__name__}")


def _resource(name: str, folder: Path) -> dict:
    _check_name(name)
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


def _bad_quote(text: str) -> tuple[int, str, bool]:
    """Where the quoting of the CSV record that starts ``text`` goes wrong: (field index,
    the field as written on its first line, whether its quote is never closed). Only
    called after the csv module has refused the record."""
    field, start, quoted, i = 0, 0, False, 0
    while i < len(text):
        ch = text[i]
        if quoted and text.startswith('""', i):
            i += 2
            continue
        if ch == '"' and (quoted or i == start):
            quoted = not quoted
            if not quoted and text[i + 1:i + 2] not in ("", ",", "\r", "\n"):
                break  # a closing quote followed by more text
        elif not quoted and ch in ",\r\n":
            if ch != ",":
                break  # the end of the record
            field, start = field + 1, i + 1
        i += 1
    written = (text[start:].splitlines() or [""])[0]
    end = written.find(",", i - start)
    return field, written[: end if end > 0 and not quoted else None][:60], quoted


def _read_rows(path: Path, rel: str, fields: list[str]) -> tuple[list[list[str]], list[int]]:
    """Read a CSV strictly: UTF-8, exact header, every row the header's width.

    Returns the data rows and the line each starts on."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        text = raw.split(b"\n")[line - 1].decode("utf-8", "replace")
        cells = next(csv.reader([text]), []) if line > 1 else []
        k = next((k for k, c in enumerate(cells) if "\ufffd" in c and k < len(fields)), None)
        raise DataValidationError([Problem(rel, line - 1 if line > 1 else None, None if k is None else fields[k],
                                           (text if k is None else cells[k])[:60], _not_utf8(raw, exc),
                                           line=line)]) from None
    if text.startswith("\ufeff"):  # a UTF-8 byte-order mark, as spreadsheet programs write it
        text = text[1:]
    lines = io.StringIO(text, newline="").readlines()
    reader = csv.reader(lines, strict=True)
    rows, starts = [], []
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            k, written, unclosed = _bad_quote("".join(lines[start - 1:]))
            expected = ("a closing double quote: the quoted value that opens here runs on to the end of the file"
                        if unclosed else
                        "a value either without double quotes or wholly inside them, with any quote "
                        'inside written twice ("")')
            raise DataValidationError([Problem(rel, len(rows) or None, fields[k] if rows and k < len(fields) else None,
                                               written, f"{expected} (the CSV reader says: {exc})",
                                               line=start)]) from None
        rows.append(row)
        starts.append(start)
    if not rows:
        raise DataValidationError([Problem(rel, None, None, None, f"a header row: {','.join(fields)}", line=1)])
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
                                           f"the header {','.join(fields)} ({'; '.join(detail)})", line=1)])
    problems = []
    for i, row in enumerate(body, start=1):
        if not row:
            problems.append(Problem(rel, i, None, "", f"no blank line; a row of {len(fields)} values", starts[i]))
        elif len(row) < len(fields):
            problems.append(Problem(rel, i, fields[len(row)], ",".join(row),
                                    f"{len(fields)} values ({','.join(fields)}), found {len(row)}: "
                                    f"'{fields[len(row)]}' and after are missing", starts[i]))
        elif len(row) > len(fields):
            problems.append(Problem(rel, i, None, ",".join(row),
                                    f"{len(fields)} values ({','.join(fields)}), found {len(row)} "
                                    "(a comma inside a value needs the value in double quotes)", starts[i]))
    if problems:
        raise DataValidationError(problems)
    return body, starts[1:]


def _check_uri(value: str) -> str | None:
    """None if ``value`` is a usable web address, else what is wrong with it."""
    odd = _invisible(value, also={"Zs"})
    if odd:
        return f"no spaces or invisible characters (found {odd})"
    try:
        parts = urlsplit(value)
    except ValueError as exc:
        return f"a well-formed host ({exc})"
    if parts.scheme not in ("http", "https"):
        return "an http:// or https:// scheme"
    if "." not in (parts.hostname or "").strip("."):  # (a final dot, as in 'example.org.', is allowed)
        return "a host name with a dot in it, like example.org"
    return None


def _convert(value: str, field: dict, rel: str, row: int, problems: list[Problem]):
    name, ftype = field["name"], field["type"]
    cons = field.get("constraints", {})

    def refuse(expected: str) -> None:
        problems.append(Problem(rel, row, name, value, expected))

    if value == "":
        if cons.get("required"):
            refuse(f"a value ({field.get('description', name)}); this field is required")
        return None
    if value != value.strip() or _invisible(value[0] + value[-1]):
        return refuse("no leading or trailing spaces or invisible characters")
    if field.get("format") == "uri":
        bad = _check_uri(value)
        if bad:
            return refuse(f"a web address (URL) with {bad}")
    odd = _invisible(value)
    if odd:
        return refuse(f"text without control or invisible characters (found {odd})")
    out: object = value
    if ftype == "integer":
        if not INTEGER.fullmatch(value):
            return refuse("a whole number (digits only, no decimal point or thousands separator)")
        out = int(value)
    elif ftype == "number":
        if value.lower().lstrip("+-") in NOT_FINITE:
            return refuse("a finite number (NaN and infinity are not allowed)")
        if not NUMBER.fullmatch(value):
            return refuse("a number (digits with a decimal point, no thousands separator)")
        out = float(value)
        if not math.isfinite(out):
            return refuse("a finite number (this one is too large to represent)")
    elif ftype == "date":
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value) or _check_partial_date(value):
            return refuse("a real calendar date as YYYY-MM-DD")
    if "x-partialDate" in field:
        bad = _check_partial_date(value)
        if bad:
            return refuse(bad)
    span = field.get("x-dateRange")
    if span and (ftype == "date" or "x-partialDate" in field):
        if not span["minimum"] <= int(value[:4]) <= span["maximum"]:
            why = f" ({span['description']})" if span.get("description") else ""
            return refuse(f"a date between {span['minimum']} and {span['maximum']}{why}")
    if "pattern" in cons and not re.fullmatch(cons["pattern"].lstrip("^").rstrip("$"), value, re.ASCII):
        return refuse(f"text matching the pattern {cons['pattern']}")
    if "enum" in cons and value not in cons["enum"]:
        return refuse(f"one of {', '.join(cons['enum'])}")
    if "minimum" in cons and out < cons["minimum"]:
        refuse(f"a value of at least {cons['minimum']}")
    if "maximum" in cons and out > cons["maximum"]:
        refuse(f"a value of at most {cons['maximum']}")
    return out


def _before(later, earlier) -> bool:
    """True if ``later`` certainly falls before ``earlier`` (dates at any precision, or numbers)."""
    if isinstance(later, str):
        return partial_date_bounds(later)[1] < partial_date_bounds(earlier)[0]
    return later < earlier


def _read_table(name: str, folder: Path) -> tuple[pd.DataFrame, list[int], list[Problem]]:
    """Read one table, check everything that concerns it alone; return it, the line each
    row starts on, and its problems."""
    res = _resource(name, folder)
    fields = res["schema"]["fields"]
    names = [f["name"] for f in fields]
    rel = _rel(folder, res["path"])
    path = folder / res["path"]
    if not path.is_file():
        raise DataValidationError([Problem(rel, None, None, None,
                                           f"a file for the table '{name}' that datapackage.json declares")])
    body, starts = _read_rows(path, rel, names)
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
        for rule in res["schema"].get("x-rowRules", []):
            later, earlier = converted[rule["field"]], converted[rule["notBefore"]]
            if later is not None and earlier is not None and _before(later, earlier):
                problems.append(Problem(rel, i, rule["field"], str(later),
                                        f"a value on or after {rule['notBefore']!r} ({earlier}): "
                                        f"{rule.get('description', 'it may not come before it')}"))
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
    return frame, starts, [_at_line(p, starts) for p in problems]


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
            target = _raw_table(table, folder)[0]
            known[table] = (set(row_keys(table, target, folder)), _resource(table, folder)["schema"]["primaryKey"])
        keys, pk = known[table]
        if key not in keys:
            problems.append(Problem(rel, i, ref["keyField"], key,
                                    f"the primary key of a row of data/{table}.csv: its fields "
                                    f"{', '.join(pk)} joined by '{ref.get('separator', KEY_SEPARATOR)}'"))
    return problems


def _at_line(problem: Problem, starts: list[int]) -> Problem:
    """Give a row's problem the line the row starts on (rows can span lines when quoted)."""
    if problem.row is None or problem.line is not None or problem.row > len(starts):
        return problem
    return replace(problem, line=starts[problem.row - 1])


def _check_links(name: str, frame: pd.DataFrame, starts: list[int], folder: Path) -> list[Problem]:
    """Foreign keys of ``name`` and the package's required links that start from it."""
    res = _resource(name, folder)
    rel = _rel(folder, res["path"])
    problems = []
    for fk in res["schema"].get("foreignKeys", []):
        (col,), target = fk["fields"], fk["reference"]
        (tcol,) = target["fields"]
        tframe = frame if target["resource"] == name else _raw_table(target["resource"], folder)[0]
        tpath = _resource(target["resource"], folder)["path"]
        known = set(tframe[tcol].dropna())
        for i, value in enumerate(frame[col], start=1):
            if pd.notna(value) and value not in known:
                problems.append(Problem(rel, i, col, value, f"a value of {tcol} that exists in data/{tpath}"))
    for link in load_schema(folder).get("x-requiredLinks", []):
        if link["resource"] != name:
            continue
        counts = _raw_table(link["linkResource"], folder)[0][link["linkField"]].value_counts()
        lpath = _resource(link["linkResource"], folder)["path"]
        need = link.get("minCount", 1)
        for i, value in enumerate(frame[link["field"]], start=1):
            if counts.get(value, 0) < need:
                problems.append(Problem(rel, i, link["field"], value,
                                        f"at least {need} matching row(s) in data/{lpath} "
                                        f"({link.get('message', 'a required link')})"))
    problems += _check_row_references(name, res, rel, frame, folder)
    return [_at_line(p, starts) for p in problems]


_CACHE: dict[tuple, tuple[pd.DataFrame, list[int]]] = {}


def _stamp(folder: Path) -> tuple:
    return tuple(sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in folder.glob("*.csv")))


def data_state(folder=None) -> tuple:
    """A key that changes whenever a file of the data package changes (name, size, modification time).

    For caches of anything computed from the data: a cache keyed on it is never stale.
    """
    return _cache_key("", _folder(folder, f"data_state(folder={folder!r})"))


def _cache_key(name: str, folder: Path) -> tuple:
    return (str(folder), name, _stamp(folder), (folder / "datapackage.json").stat().st_mtime_ns)


def _raw_table(name: str, folder: Path) -> tuple[pd.DataFrame, list[int]]:
    """A table checked on its own (types, constraints, keys), without its links, with the
    line each row starts on; cached."""
    key = _cache_key(name, folder)
    if key not in _CACHE:
        frame, starts, problems = _read_table(name, folder)
        if problems:
            raise DataValidationError(problems)
        _CACHE[key] = frame, starts
    return _CACHE[key]


def load_table(name: str, folder: str | Path | None = None) -> pd.DataFrame:
    """Load one table by name as a typed DataFrame, validated against its schema.

    Checks CSV syntax, types, required values, allowed values, patterns, ranges, real
    calendar dates with their stated precision and range, web addresses, row rules,
    unique keys, foreign keys and required links. Raises :class:`DataValidationError`
    naming file, row, column, value and what was expected; never drops a row.
    """
    _check_name(name)
    folder = _folder(folder, f"load_table(folder={folder!r})")
    key = _cache_key(name, folder)
    if key not in _CHECKED:
        frame, starts = _raw_table(name, folder)
        problems = _check_links(name, frame, starts, folder)
        if problems:
            raise DataValidationError(problems)
        _CHECKED[key] = frame
    if folder == DATA_DIR:
        _TABLES_READ.add(name)
    return _CHECKED[key].copy()


#: Tables that passed every check, links included, by the state of the files they were read from.
_CHECKED: dict[tuple, pd.DataFrame] = {}


def cached_on_data(function):
    """Cache a function of the data package (its only argument the data folder, None for the book's own).

    The result is recomputed whenever a file of the package changes (its name, size or
    modification time), and every call gets its own copy, so callers may change it freely.
    Chapters call the joins it wraps many times in one kernel; this keeps that cheap.
    """
    store: dict[tuple, pd.DataFrame] = {}

    @functools.wraps(function)
    def wrapper(folder=None):
        key = _cache_key("", _folder(folder, f"{function.__name__}(folder={folder!r})"))
        if key not in store:
            store.clear()  # only the newest state of the data is worth keeping
            store[key] = function(folder)
        return store[key].copy()

    return wrapper


#: The book's tables that load_table has returned in this process (a chapter's kernel), for its data list.
_TABLES_READ: set[str] = set()


def tables_read() -> list[str]:
    """The names of the book's own tables that :func:`load_table` has loaded so far in this process, sorted.

    A chapter calls it at its end (through ``helpers.chapters.chapter_sources``) to list, with a
    download link each, the tables its code read, directly or through the helpers.
    """
    return sorted(_TABLES_READ)


def validate_package(folder: str | Path | None = None) -> dict[str, int]:
    """Validate every table; return the number of rows in each. Collects all problems before raising."""
    folder = _folder(folder, f"validate_package(folder={folder!r})")
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
