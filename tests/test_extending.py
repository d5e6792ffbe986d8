"""A reader's new chapter, started with `bash tasks.sh new-chapter`, is picked up by the tests and the build."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))
from test_notebooks import defined_labels, toc_files  # noqa: E402

BOOK_PARTS = ["_config.yml", "_toc.yml", "references.bib", "CITATION.cff", "_static", "data", "notebooks", "_ext", "tests", "scripts", "conftest.py"]
TITLE = "Trade and transit across the region"
NBVAL = ["--nbval", "--nbval-current-env", "--nbval-sanitize-with", "tests/nbval_sanitize.cfg"]


def copy_book(folder: Path, parts=BOOK_PARTS) -> Path:
    for part in parts:
        src = ROOT / part
        (shutil.copytree if src.is_dir() else shutil.copy)(src, folder / part)
    return folder


def new_chapter(book: Path, *args: str) -> subprocess.CompletedProcess:
    """What a reader types: bash tasks.sh new-chapter NAME "Title" (tasks.sh runs this script after setup)."""
    return subprocess.run([sys.executable, "scripts/new_chapter.py", *args], cwd=book, capture_output=True,
                          text=True, timeout=300)


@pytest.fixture(scope="module")
def extended_book(tmp_path_factory) -> Path:
    """A scratch copy of the book where a reader started a chapter with `bash tasks.sh new-chapter`."""
    book = copy_book(tmp_path_factory.mktemp("book"))
    out = new_chapter(book, "my_chapter", TITLE)
    assert out.returncode == 0, out.stdout + out.stderr
    return book


@pytest.fixture
def small_book(tmp_path) -> Path:
    """Just enough of the book to scaffold chapters without executing them."""
    return copy_book(tmp_path, ["_toc.yml", "notebooks", "scripts"])


def test_new_chapter_is_in_the_copied_toc(extended_book):
    assert "notebooks/my_chapter" in toc_files(extended_book / "_toc.yml")
    toc = yaml.safe_load((extended_book / "_toc.yml").read_text(encoding="utf-8"))
    part = next(p for p in toc["parts"] if {"file": "notebooks/my_chapter"} in p["chapters"])
    # a name with no family among the chapters gets a part of its own, before the part about the book itself
    assert part["caption"] == "Further chapters"
    captions = [p["caption"] for p in toc["parts"]]
    holder = next((p["caption"] for p in toc["parts"] if "notebooks/chapter_template" in str(p)), None)
    expected = captions.index(holder) - 1 if holder else len(captions) - 1
    assert captions.index("Further chapters") == expected, captions


def test_new_chapter_has_its_title_and_labels_of_its_own(extended_book):
    nb = nbformat.read(extended_book / "notebooks" / "my_chapter.ipynb", as_version=4)
    titles = [line for c in nb.cells if c.cell_type == "markdown" for line in c.source.splitlines()
              if line.startswith("# ")]
    assert titles == [f"# {TITLE}"], titles
    mine = defined_labels(extended_book / "notebooks" / "my_chapter.ipynb")
    template = defined_labels(extended_book / "notebooks" / "chapter_template.ipynb")
    assert mine and not mine & template
    assert all(label.startswith("fig-my-chapter-") for label in mine if label.startswith("fig-"))
    text = (extended_book / "notebooks" / "my_chapter.ipynb").read_text(encoding="utf-8")
    assert not any(label in text for label in template), "a reference still points at a template label"


def test_new_chapter_is_executed_and_passes_nbval(extended_book):
    out = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *NBVAL, "notebooks/my_chapter.ipynb"],
        cwd=extended_book, capture_output=True, text=True, timeout=300,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "my_chapter" not in out.stdout and re.search(r"\d+ passed", out.stdout), out.stdout


def test_notebook_rules_cover_the_new_chapter(extended_book):
    out = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_notebooks.py",
         "--notebook", "notebooks/my_chapter.ipynb"],
        cwd=extended_book, capture_output=True, text=True, timeout=300,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    passed = re.search(r"(\d+) passed", out.stdout)
    assert passed and int(passed.group(1)) >= 6 and "failed" not in out.stdout, out.stdout


def test_strict_build_renders_the_new_chapter(extended_book):
    out = subprocess.run(
        [str(Path(sys.executable).parent / "jupyter-book"), "build", ".", "-W", "-n", "--keep-going", "--quiet"],
        cwd=extended_book, capture_output=True, text=True, timeout=600,
    )
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    page = extended_book / "_build" / "html" / "notebooks" / "my_chapter.html"
    assert page.is_file()
    assert TITLE in page.read_text(encoding="utf-8")


def check(book: Path, notebook: str) -> subprocess.CompletedProcess:
    """What a reader types: bash tasks.sh check NOTEBOOK (tasks.sh runs this script after setup)."""
    return subprocess.run([sys.executable, "scripts/check_chapter.py", notebook], cwd=book, capture_output=True,
                          text=True, timeout=600)


def test_check_passes_on_the_new_chapter(extended_book):
    out = check(extended_book, "notebooks/my_chapter.ipynb")
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    assert "== check: passed in" in out.stdout
    assert re.search(r"\d+ passed, \d+ deselected", out.stdout), out.stdout  # house rules of this chapter only


def test_check_catches_an_output_that_a_second_run_does_not_reproduce(extended_book):
    path = extended_book / "notebooks" / "my_chapter.ipynb"
    stored = path.read_bytes()
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("import time\nprint(time.perf_counter_ns())"))
    nbformat.write(nb, path)
    try:
        out = check(extended_book, "notebooks/my_chapter.ipynb")
    finally:
        path.write_bytes(stored)
    assert out.returncode == 1, out.stdout[-3000:]
    assert "== check: FAILED" in out.stdout
    assert "an output stored in the notebook differs from a fresh run" in out.stdout, out.stdout[-3000:]


def test_a_chapter_of_a_family_joins_its_part(small_book):
    out = new_chapter(small_book, "theme_trade", "Trade", "--no-execute")
    assert out.returncode == 0, out.stdout + out.stderr
    toc = yaml.safe_load((small_book / "_toc.yml").read_text(encoding="utf-8"))
    themes = next(p for p in toc["parts"] if {"file": "notebooks/theme_trade"} in p["chapters"])
    assert all(c["file"].startswith("notebooks/theme_") for c in themes["chapters"])
    nb = nbformat.read(small_book / "notebooks" / "theme_trade.ipynb", as_version=4)
    assert not any(c.get("outputs") or c.get("execution_count") for c in nb.cells if c.cell_type == "code")


@pytest.mark.parametrize("args, message", [
    (["glossary", "Again"], "notebooks/glossary.md already exists"),
    (["theme_borders", "Again"], "notebooks/theme_borders.ipynb already exists"),
    (["My-Chapter", "Title"], "'My-Chapter' is not a valid chapter name"),
    (["2nd_chapter", "Title"], "is not a valid chapter name"),
    (["my__chapter", "Title"], "is not a valid chapter name"),
    (["my_chapter", " "], "the title must be one non-empty line"),
    (["my_chapter", "Title", "--part", "Appendix"], "_toc.yml has no part 'Appendix'"),
])
def test_new_chapter_refuses_clearly_and_changes_nothing(small_book, args, message):
    before = {p.name: p.read_bytes() for p in [small_book / "_toc.yml", *(small_book / "notebooks").iterdir()]}
    out = new_chapter(small_book, *args, "--no-execute")
    assert out.returncode != 0
    assert message in out.stderr, out.stderr
    after = {p.name: p.read_bytes() for p in [small_book / "_toc.yml", *(small_book / "notebooks").iterdir()]}
    assert after == before


def test_new_chapter_gathers_its_sources_from_its_own_prose(extended_book):
    nb = nbformat.read(extended_book / "notebooks" / "my_chapter.ipynb", as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert 'CHAPTER = "my_chapter"' in code and "chapter_template" not in code
