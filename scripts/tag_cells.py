"""Give every untagged code cell the tag the house rules ask for (see tests/test_cell_tags.py).

    python scripts/tag_cells.py notebooks/my_chapter.ipynb

A cell that shows the reader nothing (imports, set-up, glue) gets ``remove-input``; a cell that
shows a table, a figure or text gets ``hide-input``, so its code is folded but one click away.
Cells that already carry one of the tags are left as they are. Run it after executing.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
INPUT_TAGS = ("remove-input", "hide-input", "remove-cell")
GLUE_MIME = "application/papermill.record/"


def shows_something(cell) -> bool:
    """True if a stored output of the cell is visible in the book (glue with display=False is not)."""
    for out in cell.get("outputs", []):
        if out.output_type == "stream":
            return True
        data = out.get("data", {})
        if any(not key.startswith(GLUE_MIME) for key in data):
            return True
    return False


def tag(path: Path) -> int:
    nb = nbformat.read(path, as_version=4)
    changed = 0
    for cell in nb.cells:
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        tags = cell.metadata.setdefault("tags", [])
        if not any(t in tags for t in INPUT_TAGS):
            tags.append("hide-input" if shows_something(cell) else "remove-input")
            changed += 1
    if changed:
        nbformat.write(nb, path)
    return changed


if __name__ == "__main__":
    targets = [Path(a) for a in sys.argv[1:]] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    for target in targets:
        print(f"{target.name}: tagged {tag(target)} cell(s)")
