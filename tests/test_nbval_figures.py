"""A stored figure that no longer matches what its cell draws fails the nbval run.

nbval 0.11 on its own never compares PNG outputs; the book's root conftest.py makes it. A small
throwaway notebook proves both halves: its figure is drawn, stored, and then the cell is changed
so that it draws a different picture with the same text representation.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]

DRAW = """import matplotlib.pyplot as plt
fig, ax = plt.subplots(figsize=(2, 1.5), dpi=50)
ax.plot([0, 1], {ys})
plt.show()"""


def nbval(folder: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval", "--nbval-current-env", *args],
        cwd=folder, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def figure_book(tmp_path_factory) -> Path:
    """A folder with the book's conftest.py, a notebook whose stored figure is current and one whose is stale."""
    folder = tmp_path_factory.mktemp("figures")
    shutil.copy(ROOT / "conftest.py", folder / "conftest.py")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(DRAW.format(ys=[0, 1]))])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(folder)}}).execute()
    outputs = nb.cells[0].outputs
    assert any("image/png" in out.get("data", {}) for out in outputs), "the throwaway cell drew no PNG"
    nbformat.write(nb, folder / "current.ipynb")
    nb.cells[0].source = DRAW.format(ys=[1, 0])  # another line, same "<Figure size ...>" text
    nbformat.write(nb, folder / "stale.ipynb")
    return folder


def test_current_figure_passes_and_stale_figure_fails(figure_book):
    out = nbval(figure_book, "current.ipynb", "stale.ipynb")
    report = out.stdout + out.stderr
    assert out.returncode == 1, report
    assert "1 failed, 1 passed" in report, report
    assert "FAILED stale.ipynb::Cell 0" in report, report
    assert "mismatch 'image/png'" in report, report
    assert "a figure stored in the notebook differs from a fresh run" in report, report
    assert "bash tasks.sh execute stale.ipynb" in report, report


def test_without_the_book_conftest_nbval_misses_the_stale_figure(figure_book):
    """Why the hook is needed: plain nbval compares only the text, which did not change."""
    out = nbval(figure_book, "--noconftest", "stale.ipynb")
    assert out.returncode == 0 and "1 passed" in out.stdout, out.stdout + out.stderr
