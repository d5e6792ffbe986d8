"""Make `pytest --nbval` compare figures too, so a stored figure cannot go stale.

nbval 0.11 leaves image/png and image/jpeg out of its comparison unless it runs with --nbdime
(see ``IPyNbFile.__init__`` in nbval/plugin.py: they are appended to ``skip_compare``). The book
draws every figure deterministically (one style, a fixed ``svg.hashsalt``, no clock, no
randomness), so a re-rendered figure is byte-identical to the stored one, and any difference
means the data, the code or a library changed the picture. This hook takes the image types
back out of the skip list for every notebook nbval collects: the base64 text of each PNG and
JPEG is compared byte for byte, like the text outputs (SVG was already compared).

It lives in the book's root, so it applies to every nbval run started from here: the
``bash tasks.sh test`` and ``check`` commands, and a plain
``pytest --nbval notebooks/NAME.ipynb``. ``tests/test_nbval_figures.py`` proves it works.
"""

from __future__ import annotations

#: Output types that nbval skips by default and this book compares.
COMPARED_IMAGES = ("image/png", "image/jpeg")


def pytest_collectstart(collector):
    skip = getattr(collector, "skip_compare", None)
    if skip is not None and type(collector).__name__ == "IPyNbFile":
        collector.skip_compare = tuple(key for key in skip if key not in COMPARED_IMAGES)


def pytest_runtest_makereport(item, call):
    """After an nbval mismatch, say what it means and how to fix it (nbval only shows the diff)."""
    if call.when != "call" or call.excinfo is None or type(item).__name__ != "IPyNbCell":
        return
    if "Cell outputs differ" not in str(call.excinfo.value):
        return  # the cell raised: nbval's own report shows the traceback
    root = item.config.rootpath
    notebook = item.path.relative_to(root) if item.path.is_relative_to(root) else item.path
    lines = getattr(item, "comparison_traceback", None) or []
    figure = any(f"mismatch '{key}'" in line for key in (*COMPARED_IMAGES, "image/svg+xml") for line in lines)
    what = "a figure" if figure else "an output"
    item.add_report_section("call", "how to fix", (
        f"{notebook}, cell {item.cell_num}: {what} stored in the notebook differs from a fresh run.\n"
        f"- If the change is intended (new data, helpers or code), re-execute and commit the notebook:\n"
        f"      bash tasks.sh execute {notebook}\n"
        f"- If nothing was meant to change, the cell is not reproducible: remove randomness, the clock,\n"
        f"  memory addresses and unordered sets from its output (see notebooks/extending.md)."))
