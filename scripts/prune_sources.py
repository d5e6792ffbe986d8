"""Drop web pages that nothing in the book rests on any more (no data row, no citation in the prose).

    python scripts/prune_sources.py          # list them
    python scripts/prune_sources.py --write  # and remove them from data/sources.csv

Run it after repointing rows to better sources; then run scripts/make_bib.py.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from helpers.chapters.common import used_source_ids  # noqa: E402


def main(write: bool) -> None:
    path = ROOT / "data" / "sources.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        header, rows = reader.fieldnames, list(reader)
    used = used_source_ids()
    unused = [r["source_id"] for r in rows if r["kind"] == "web_page" and r["source_id"] not in used]
    print(f"{len(unused)} web page(s) nothing rests on: {', '.join(unused) or 'none'}")
    if write and unused:
        with open(path, "w", encoding="utf-8", newline="") as fh:
            out = csv.DictWriter(fh, header, lineterminator="\n")
            out.writeheader()
            out.writerows(r for r in rows if r["source_id"] not in set(unused))


if __name__ == "__main__":
    main("--write" in sys.argv[1:])
