"""Build a PDF of the whole book, offline: `bash tasks.sh pdf`.

1. `jupyter-book build --builder singlehtml` writes every page into one HTML file, in its own
   output folder (_build/pdf/_build/singlehtml), so the web build in _build/html is untouched;
2. Debian's headless Chromium prints that file to _build/pdf/book.pdf (A4, no header or footer
   line; the print rules in _static/book.css let wide tables wrap and keep figures whole);
3. the PDF is checked: it exists, and its text (poppler's pdftotext, when installed) holds the
   title of every page listed in _toc.yml.

Nothing is fetched: Chromium runs with its background networking switched off and the page
loads only local files.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from pdf_titles import missing_titles, single_page, toc_titles  # noqa: E402 - the same reader the PDF test uses
OUT = ROOT / "_build" / "pdf"
PDF = OUT / "book.pdf"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic",
                  "--disable-dev-shm-usage", "--no-pdf-header-footer", "--virtual-time-budget=20000"]


def fail(msg: str) -> None:
    sys.exit(f"== tasks.sh pdf: {msg}")


def chromium() -> str:
    for candidate in ("/usr/lib/chromium/chromium", "/usr/bin/chromium", shutil.which("chromium") or ""):
        if candidate and Path(candidate).exists():
            return candidate
    fail("chromium is not installed (Debian/Ubuntu: apt-get install chromium); the PDF is printed by it")


def main() -> None:
    exe = chromium()
    started = time.perf_counter()
    if OUT.exists():
        shutil.rmtree(OUT)
    subprocess.run(["jupyter-book", "build", str(ROOT), "--builder", "singlehtml", "--path-output", str(OUT),
                    "-W", "-n", "--keep-going", "--quiet"], check=True, cwd=ROOT)
    built = time.perf_counter()
    try:
        page = single_page(OUT / "_build" / "singlehtml")
    except FileNotFoundError as exc:
        fail(str(exc))
    # Sphinx writes the single page as notebooks/intro.html but makes its links relative to the
    # output folder, so print a copy that sits there
    printed_page = OUT / "_build" / "singlehtml" / "book.html"
    shutil.copyfile(page, printed_page)
    result = subprocess.run([exe, *CHROMIUM_FLAGS, f"--print-to-pdf={PDF}", printed_page.as_uri()],
                            capture_output=True, text=True, timeout=300)
    if result.returncode != 0 or not PDF.is_file():
        fail(f"Chromium did not print {PDF} (exit {result.returncode}):\n{result.stderr[-2000:]}")
    printed = time.perf_counter()
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", str(PDF), "-"], capture_output=True, text=True,
                              check=True).stdout
        titles = toc_titles(OUT / "_build" / "singlehtml")
        missing = missing_titles(titles, text)
        if missing:
            fail(f"{PDF} lacks the title of {', '.join(missing)}")
        checked = f"all {len(titles)} page titles found in its text"
    else:
        checked = "text not checked: pdftotext (apt-get install poppler-utils) is not installed"
    print(f"== PDF: {PDF} ({PDF.stat().st_size / 1e6:.1f} MB; single-page build {built - started:.0f} s, "
          f"printing {printed - built:.0f} s; {checked})")


if __name__ == "__main__":
    main()
