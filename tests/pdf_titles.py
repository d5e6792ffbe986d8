"""Read every page's title from the single-page build, and find which titles a PDF's text lacks.

Used by scripts/build_pdf.py (`bash tasks.sh pdf`) and by tests/test_cite.py.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path


class _Titles(HTMLParser):
    """The first heading (<h1> for the root page, <h2> or deeper for the others, by their depth in _toc.yml) after each `id="document-NAME"` marker that Sphinx's singlehtml writes per page."""

    def __init__(self):
        super().__init__()
        self.titles: dict[str, str] = {}
        self.pending: str | None = "root"
        self.in_h1 = False
        self.skip = 0
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if (attrs.get("id") or "").startswith("document-"):
            self.pending = attrs["id"].removeprefix("document-")
        if tag in ("h1", "h2", "h3", "h4") and self.pending:
            self.in_h1, self.text = True, []
        elif self.in_h1 and tag == "a" and "headerlink" in (attrs.get("class") or ""):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag == "a" and self.skip:
            self.skip -= 1
        elif tag in ("h1", "h2", "h3", "h4") and self.in_h1:
            self.titles[self.pending] = " ".join("".join(self.text).split())
            self.in_h1, self.pending = False, None

    def handle_data(self, data):
        if self.in_h1 and not self.skip:
            self.text.append(data)


def single_page(singlehtml: Path) -> Path:
    """The one page of a singlehtml build (index.html only redirects to it; book.html is the copy that
    scripts/build_pdf.py prints)."""
    pages = [p for p in sorted(singlehtml.rglob("*.html"))
             if p.relative_to(singlehtml).parts[0] not in ("_static", "_sources") and p.relative_to(singlehtml).as_posix() not in ("index.html", "book.html")]
    if len(pages) != 1:
        raise FileNotFoundError(f"expected one page in {singlehtml} (run 'bash tasks.sh pdf'), found "
                                f"{[p.relative_to(singlehtml).as_posix() for p in pages]}")
    return pages[0]


def toc_titles(singlehtml: Path) -> dict[str, str]:
    parser = _Titles()
    parser.feed(single_page(singlehtml).read_text(encoding="utf-8"))
    return parser.titles


def squash(text: str) -> str:
    """Compare text as words: pdftotext wraps long titles and may turn dashes and quotes into look-alikes."""
    text = text.replace("\u2010", "-").replace("\u2011", "-").replace("\u00ad", "")
    return " ".join(re.sub(r"[^\w\u2013\u2014-]+", " ", text).split()).lower()


def missing_titles(titles: dict[str, str], pdf_text: str) -> list[str]:
    flat = squash(pdf_text)
    return [f"{page} ({title!r})" for page, title in titles.items() if squash(title) not in flat]
