"""Validate the data package after adding or changing data (`bash tasks.sh validate`).

Checks, in this order, and stops with a clear message at the first kind of problem:

1. every CSV in data/ is declared in data/datapackage.json and every declared table exists;
2. every table against its schema, with the helpers' loader (types, required values, allowed
   values, dates and their precision, keys, foreign keys, required links): every problem is
   listed with its file, row, column, value and what was expected;
3. references.bib is what scripts/make_bib.py makes from data/sources.csv.

Prints the number of rows of each table when all is well. The test suite checks the same and more
(for example that every date disagreement between sources is in the conflict register).
"""

from __future__ import annotations

import sys
from pathlib import Path

from helpers import DataValidationError, bibtex, table_names, validate_package

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"


def main(argv: list[str]) -> int:
    data = Path(argv[0]).resolve() if argv else DATA  # another copy of data/ (the tests use one)
    declared = {f"{name}.csv" for name in table_names(data)}
    present = {p.name for p in data.glob("*.csv")}
    if present != declared:
        for name in sorted(present - declared):
            print(f"{data / name}: not declared in data/datapackage.json; add a resource for it "
                  f"(name, path, description, schema with fields, primaryKey, foreignKeys)", file=sys.stderr)
        for name in sorted(declared - present):
            print(f"{data / 'datapackage.json'} declares {name}, but {data / name} does not exist", file=sys.stderr)
        return 1
    try:
        counts = validate_package(data)
    except DataValidationError as exc:
        print(exc, file=sys.stderr)
        return 1
    if (data.parent / "references.bib").read_text(encoding="utf-8") != bibtex(data):
        print("references.bib is out of date with data/sources.csv: run 'python scripts/make_bib.py' "
              "(from .venv: .venv/bin/python scripts/make_bib.py)", file=sys.stderr)
        return 1
    width = max(len(name) for name in counts)
    for name, rows in counts.items():
        print(f"{name:<{width}} {rows:>6} rows")
    print(f"valid: {len(counts)} tables, {sum(counts.values())} rows; references.bib is current")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
