"""Local Sphinx extension: repair what an axe-core audit of the built book finds in the markup that
Sphinx, the theme and pandas write, after every HTML build (tests/test_site.py runs the audit).

The repairs are plain text rewrites of each written page, the same output for the same input, and
a second pass changes nothing (incremental builds run them again over pages written earlier):

* the bibliography: docutils marks each entry ``role="doc-biblioentry"`` inside a ``role="list"``,
  a role that ARIA has deprecated and that a list may not hold (axe: critical). The entries become
  ``role="listitem"``;
* the theme's sidebar: each chapter with sub-pages has a ``<summary>`` that holds only a chevron
  icon, so a screen reader announces an unnamed control (axe: serious). It gets a hidden text
  naming the chapter whose pages it shows or hides;
* the theme's sidebar: the book's title sits outside every landmark (axe: content not in a region).
  The sidebar becomes a ``complementary`` landmark labelled "Book contents";
* pandas tables: empty header cells (axe: empty-table-header), of three kinds:
  - ``index=False`` with a named column axis makes pandas write the axis name over a column of
    empty ``<th>`` that lines up with nothing; that column is dropped (the column labels themselves
    say what they are);
  - an unnamed index leaves the top-left corner ``<th>`` empty; with a named index pandas puts the
    name in a second header row of otherwise empty cells. The name moves up into the corner and the
    empty row goes; where the corner is still empty it becomes a ``<td>``, which heads nothing;
  - any other empty ``<th>`` in a pandas table becomes a ``<td>``.
"""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup

SIDEBAR = '<div id="pst-primary-sidebar" class="bd-sidebar-primary bd-sidebar">'
SIDEBAR_LANDMARK = ('<div id="pst-primary-sidebar" class="bd-sidebar-primary bd-sidebar" '
                    'role="complementary" aria-label="Book contents">')
# the chapter's link, then the theme's unnamed disclosure (a chevron only)
TOGGLE = re.compile(
    r'(<a class="[^"]*" href="[^"]*">(?P<title>[^<]*)</a><details(?: open="open")?>)'
    r'<summary>(<span class="toctree-toggle" role="presentation">)')
EMPTY_TH = re.compile(r"<th(?:\s[^>]*)?>\s*</th>")
DATAFRAME = re.compile(r'<table[^>]*class="[^"]*\bdataframe\b[^"]*"[^>]*>.*?</table>', re.S)


def _drop(cell) -> None:
    """Remove a cell and the indentation before it (so that a second pass finds the same text)."""
    before = cell.previous_sibling
    if isinstance(before, str) and not before.strip():
        before.extract()
    cell.decompose()


def _empty(cell) -> bool:
    return cell.name == "th" and not cell.get_text(strip=True)


def fix_table(html: str) -> str:
    """One pandas table (``<table class="dataframe">...</table>``) without empty header cells."""
    if not EMPTY_TH.search(html):
        return html
    soup = BeautifulSoup(html, "html.parser")
    table = soup.table
    head_rows = table.thead.find_all("tr", recursive=False) if table.thead else []
    body_rows = table.tbody.find_all("tr", recursive=False) if table.tbody else []

    # 1. index=False and a named column axis: a column of empty <th> under the axis name
    firsts = [row.find(["th", "td"], recursive=False) for row in body_rows]
    if body_rows and all(cell is not None and _empty(cell) and not cell.get("rowspan") for cell in firsts):
        for cell in firsts:
            _drop(cell)
        for row in head_rows:
            first = row.find(["th", "td"], recursive=False)
            if first is not None and not first.get("colspan"):
                _drop(first)

    # 2. a named index: its name alone in a second header row; move it into the empty corner
    if len(head_rows) == 2:
        top = head_rows[0].find_all(["th", "td"], recursive=False)
        second = head_rows[1].find_all(["th", "td"], recursive=False)
        if (top and second and _empty(top[0]) and not _empty(second[0]) and second[0].name == "th"
                and all(_empty(cell) for cell in second[1:])):
            top[0].string = second[0].get_text()
            _drop(head_rows[1])

    # 3. whatever is still an empty header heads nothing: make it a data cell
    for cell in table.find_all("th"):
        if _empty(cell):
            cell.name = "td"
    return str(soup)


def fix_page(html: str) -> str:
    """Every repair above, on one page's HTML. fix_page(fix_page(x)) == fix_page(x)."""
    html = html.replace('role="doc-biblioentry"', 'role="listitem"')
    html = html.replace(SIDEBAR, SIDEBAR_LANDMARK)
    html = TOGGLE.sub(
        lambda m: (f'{m.group(1)}<summary><span class="book-sr-only">Pages of {m.group("title")}</span>'
                   f'{m.group(3)}'), html)
    return DATAFRAME.sub(lambda m: fix_table(m.group(0)), html)


def fix_written_pages(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    for page in sorted(Path(app.outdir).rglob("*.html")):
        if "_static" in page.parts:
            continue
        text = page.read_text(encoding="utf-8")
        fixed = fix_page(text)
        if fixed != text:
            page.write_text(fixed, encoding="utf-8")


def setup(app):
    app.connect("build-finished", fix_written_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
