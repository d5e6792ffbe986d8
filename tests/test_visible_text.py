"""What readers see on the built pages: words, not the data's internal ids, and no missing-value markers.

The text checked is what a browser shows: code (blocks, inline code and the folded cell inputs)
and attribute values (addresses, tooltips) are left out, since ids belong there.
Run after `jupyter-book build` (tasks.sh test does both, in that order).
"""

from __future__ import annotations

import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from helpers import load_schema, load_table  # noqa: E402
from test_site import HTML, built_pages  # noqa: E402

#: The tables whose keys are the book's internal ids, with their key column.
ID_TABLES = {"events": "event_id", "sources": "source_id", "conflicts": "conflict_id", "article_figures": "figure_id",
             "people": "person_id", "places": "place_id", "organisations": "org_id", "periods": "period_id"}
#: Elements whose text is code, not prose; their text is not checked.
CODE_TAGS = {"code", "pre", "script", "style", "head", "kbd", "samp"}
CODE_CLASSES = {"highlight", "cell_input", "cite-box"}
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
MISSING_MARKERS = {"nan", "NaN", "<NA>", "None", "NaT"}


class VisibleText(HTMLParser):
    """Collects the prose text of a page, and the text of every table cell, leaving out code."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.hidden = 0
        self.text: list[str] = []
        self.cells: list[str] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag in VOID_TAGS:
            return
        classes = set((dict(attrs).get("class") or "").split())
        code = tag in CODE_TAGS or bool(classes & CODE_CLASSES)
        self.stack.append((tag, code))
        self.hidden += code
        if tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.cells.append("".join(self._cell).strip())
            self._cell = None
        while self.stack:
            name, code = self.stack.pop()
            self.hidden -= code
            if name == tag:
                break

    def handle_data(self, data):
        if self.hidden:
            return
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)


def visible(page_html: str) -> VisibleText:
    parser = VisibleText()
    parser.feed(page_html)
    return parser


#: Tables whose keys may be single lower-case words that are also proper names ('almaty', 'caec'); a key of
#: another table counts only when it cannot be an English word (it holds a hyphen, an underscore or a digit).
NAME_KEY_TABLES = {"places", "organisations", "people"}
ID_LIKE = re.compile(r".*[-_0-9].*")


def vocabulary() -> set[str]:
    """The values the schema lists for its coded columns (languages, fields, kinds): words the book may print."""
    return {value for resource in load_schema()["resources"] for field in resource["schema"]["fields"]
            for value in field.get("constraints", {}).get("enum", [])}


def internal_ids() -> set[str]:
    ids: set[str] = set()
    for table, key in ID_TABLES.items():
        keys = load_table(table)[key].dropna().astype(str)
        ids.update(k for k in keys if table in NAME_KEY_TABLES or ID_LIKE.fullmatch(k))
    return ids - vocabulary()  # ('sco' is a body's key and the language code of Scots)


def id_pattern(ids: set[str]) -> re.Pattern:
    """An id standing as a word of its own: not inside a longer word, an address or a file name."""
    alternatives = "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True))
    return re.compile(rf"(?<![\w/.#@-])({alternatives})(?![\w/@-]|\.\w)")


def ids_shown(page_html: str, pattern: re.Pattern) -> list[str]:
    text = " ".join(visible(page_html).text)
    return [f"{m.group(1)!r} in '…{text[max(0, m.start() - 50):m.end() + 30].strip()}…'" for m in pattern.finditer(text)]


def missing_cells(page_html: str) -> list[str]:
    return [cell for cell in visible(page_html).cells if cell in MISSING_MARKERS]


@pytest.fixture(scope="module")
def pattern():
    return id_pattern(internal_ids())


@pytest.mark.build
def test_no_page_shows_an_internal_id_in_its_text(pattern):
    found = {}
    for page in built_pages():
        shown = ids_shown(page.read_text(encoding="utf-8"), pattern)
        if shown:
            found[page.relative_to(HTML).as_posix()] = shown
    report = "\n".join(f"{page} ({len(hits)}): " + "; ".join(hits[:3]) for page, hits in sorted(found.items()))
    assert not found, ("Reader rule broken: no internal id (event, source, register, body, place, person or figure key) "
                       f"in the text readers see\n{report}\nHow to fix: show tables with helpers.show_table, which "
                       "turns id columns and ids inside text into names and links; print stored prose with "
                       "helpers.linked_text; name rows in words with helpers.row_label")


@pytest.mark.build
def test_no_table_cell_on_any_page_reads_nan_or_na():
    found = {page.relative_to(HTML).as_posix(): missing_cells(page.read_text(encoding="utf-8"))
             for page in built_pages()}
    found = {page: cells for page, cells in found.items() if cells}
    assert not found, (f"Reader rule broken: no table cell reads NaN, <NA> or None: {found}\nHow to fix: show the "
                       "table with helpers.show_table, which leaves missing values empty")


# The checks themselves: each must fail on what it is meant to catch, and only on that.

def test_the_id_check_finds_an_id_in_prose_and_in_a_table_cell():
    pattern = id_pattern({"e1994-tripartite-treaty", "karassayev2023", "c-h2-date"})
    page = ("<p>As karassayev2023 says</p><table><tr><td>e1994-tripartite-treaty</td></tr></table>"
            "<p>(see c-h2-date).</p>")
    assert [hit.split("'")[1] for hit in ids_shown(page, pattern)] == ["karassayev2023", "e1994-tripartite-treaty",
                                                                         "c-h2-date"]


def test_the_id_check_leaves_code_addresses_tooltips_and_longer_words_alone():
    pattern = id_pattern({"karassayev2023", "almaty"})
    page = ('<p><a href="https://example.org/almaty/karassayev2023" title="karassayev2023">Karassayev et al. '
            "(2023)</a> and <code>karassayev2023</code> in Almaty, almaty.kz, karassayev2023x</p>"
            '<div class="cell_input"><pre>load("karassayev2023")</pre></div><pre>almaty</pre>')
    assert ids_shown(page, pattern) == []


def test_the_missing_value_check_finds_nan_and_na_cells_but_not_words_containing_them():
    page = "<table><tr><th>a</th><td>NaN</td><td>&lt;NA&gt;</td><td>nanometre</td><td></td><td>None given</td></tr></table>"
    assert missing_cells(page) == ["NaN", "<NA>"]
