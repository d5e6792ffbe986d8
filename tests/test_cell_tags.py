"""House rule: plumbing is out of the reader's way.

Every code cell of a chapter is tagged: ``remove-input`` where it shows the reader nothing
(imports, set-up, glue, bookkeeping) and ``hide-input`` (folded code, one click away) or
``remove-input`` where it shows a table, a figure or text. ``scripts/tag_cells.py`` applies the
rule to a new chapter.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from tag_cells import INPUT_TAGS, shows_something  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def rule_breaks(nb) -> list[str]:
    broken = []
    for cell in nb.cells:
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        tags = cell.metadata.get("tags", [])
        first_line = cell.source.strip().splitlines()[0][:60]
        if not any(t in tags for t in INPUT_TAGS):
            broken.append(f"cell {cell.get('id')} ({first_line!r}) has none of the tags {', '.join(INPUT_TAGS)}")
        elif not shows_something(cell) and "hide-input" in tags:
            broken.append(f"cell {cell.get('id')} ({first_line!r}) shows nothing, so its code must be removed "
                          "(tag remove-input), not folded")
    return broken


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_every_code_cell_is_folded_or_removed(path):
    broken = rule_breaks(nbformat.read(path, as_version=4))
    assert not broken, (f"{path.name} breaks the house rule on code cells; run "
                        f"'python scripts/tag_cells.py notebooks/{path.name}' after executing it:\n  " + "\n  ".join(broken))


def test_the_rule_catches_an_untagged_cell_and_a_folded_glue_cell():
    nb = nbformat.v4.new_notebook()
    untagged = nbformat.v4.new_code_cell("print('hello')", id="a1")
    glue_only = nbformat.v4.new_code_cell("glue_numbers({'n': 1})", id="b2", metadata={"tags": ["hide-input"]})
    glue_only.outputs = [nbformat.v4.new_output("display_data", data={"application/papermill.record/text/plain": "1"})]
    nb.cells = [untagged, glue_only]
    broken = rule_breaks(nb)
    assert len(broken) == 2 and "a1" in broken[0] and "b2" in broken[1]
