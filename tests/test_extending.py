"""A reader's new chapter is picked up by the tests and the build with no change beyond _toc.yml."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))
from test_notebooks import toc_files  # noqa: E402

BOOK_PARTS = ["_config.yml", "_toc.yml", "references.bib", "notebooks", "_ext", "tests"]


@pytest.fixture(scope="module")
def extended_book(tmp_path_factory) -> Path:
    """A scratch copy of the book where a reader followed notebooks/extending.md."""
    book = tmp_path_factory.mktemp("book")
    for part in BOOK_PARTS:
        src = ROOT / part
        (shutil.copytree if src.is_dir() else shutil.copy)(src, book / part)
    template = (book / "notebooks" / "chapter_template.ipynb").read_text(encoding="utf-8")
    # figure labels are book-wide, so the guide's first step gives the copy its own
    (book / "notebooks" / "my_chapter.ipynb").write_text(template.replace("fig-template-", "fig-my-chapter-"), encoding="utf-8")
    toc = (book / "_toc.yml").read_text(encoding="utf-8")
    toc = toc.replace("      - file: notebooks/how_to_cite", "      - file: notebooks/my_chapter\n      - file: notebooks/how_to_cite")
    (book / "_toc.yml").write_text(toc, encoding="utf-8")
    return book


def test_new_chapter_is_in_the_copied_toc(extended_book):
    assert "notebooks/my_chapter" in toc_files(extended_book / "_toc.yml")


def test_nbval_collects_the_new_chapter(extended_book):
    out = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "--nbval", "--nbval-current-env",
         "-p", "no:cacheprovider", "notebooks/my_chapter.ipynb"],
        cwd=extended_book, capture_output=True, text=True, timeout=300,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "my_chapter.ipynb::Cell 0" in out.stdout


def test_notebook_rules_cover_the_new_chapter(extended_book):
    out = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_notebooks.py", "-k", "my_chapter"],
        cwd=extended_book, capture_output=True, text=True, timeout=300,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    passed = re.search(r"(\d+) passed", out.stdout)
    assert passed and int(passed.group(1)) >= 5, out.stdout


def test_strict_build_renders_the_new_chapter(extended_book):
    out = subprocess.run(
        [str(Path(sys.executable).parent / "jupyter-book"), "build", ".", "-W", "-n", "--keep-going", "--quiet"],
        cwd=extended_book, capture_output=True, text=True, timeout=600,
    )
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    page = extended_book / "_build" / "html" / "notebooks" / "my_chapter.html"
    assert page.is_file()
    assert "Chapter template: one relationship over time" in page.read_text(encoding="utf-8")
