"""Small pieces every chapter family uses: numbers as prose shows them, glue, and source lists."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from ..cite import SOURCE_CLASSES, mix_sentence, short_citation, sources_note
from ..data import DATA_DIR, load_table, tables_read

__all__ = ["NOTEBOOKS_DIR", "SourceList", "used_source_ids", "chapter_sources", "cited_in_chapter", "glue_numbers", "ids_in", "number", "table_or_note"]

#: The chapters' folder, found from this file (src/helpers/chapters/ -> repo root/notebooks).
NOTEBOOKS_DIR = DATA_DIR.parent / "notebooks"
#: Where the built book serves each table's CSV (_ext/book_cite.py copies them), seen from a chapter in notebooks/.
DOWNLOADS_FROM_CHAPTER = "../downloads/data"
#: The page that describes every table and offers the zip of all of them, seen from a chapter.
DATA_PAGE = "data_and_sources.html#data-downloads"

# {cite}`a,b`, {cite:p}`a`, {cite:t}`a` and the other sphinxcontrib-bibtex roles
# (not inside inline code, where a role is only being talked about)
CITE_ROLE = re.compile(r"(?<!`)\{cite(?::[a-z]+)?\}`([a-z0-9][a-z0-9_.-]*(?:\s*,\s*[a-z0-9][a-z0-9_.-]*)*)`")


def number(value) -> str:
    """A figure as prose shows it: thousands separated, one decimal only where the value has one."""
    if isinstance(value, bool) or value is None or pd.isna(value):
        raise ValueError(f"number(value={value!r}): expected a number")
    value = float(value)
    return f"{value:,.0f}" if value.is_integer() else f"{value:,.1f}"


def glue_numbers(values: Mapping[str, object]) -> None:
    """Glue every value for the prose's ``{glue:text}`` roles, without showing it."""
    if not isinstance(values, Mapping):
        raise TypeError(f"glue_numbers(values=...): expected a mapping of glue names to values, got {type(values).__name__}")
    from myst_nb import glue

    for name, value in values.items():
        glue(name, value, display=False)


def ids_in(column: pd.Series) -> set[str]:
    """The ids in a column of '; '-joined id lists (as ``events_with_links`` gives ``sources``)."""
    if not isinstance(column, pd.Series):
        raise TypeError(f"ids_in(column=...): expected a pandas Series, got {type(column).__name__}")
    return {part for text in column.dropna() for part in str(text).split("; ") if part}


def cited_in_chapter(name: str, folder: Path | None = None) -> set[str]:
    """Every source id the chapter ``name`` cites in its prose with a ``{cite}`` role.

    The notebook is looked for in ``folder``, else in the working folder (where a kernel
    runs a notebook), else in the book's notebooks/ folder.
    """
    # the kernel runs in the notebook's own folder, which may be a reader's copy of the book
    candidates = [Path(folder)] if folder is not None else [Path.cwd(), NOTEBOOKS_DIR]
    path = next((c / f"{name}.ipynb" for c in candidates if (c / f"{name}.ipynb").is_file()), None)
    if path is None:
        raise FileNotFoundError(f"cited_in_chapter(name={name!r}): expected a notebook {name}.ipynb in "
                                f"{' or '.join(str(c) for c in candidates)}")
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    prose = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return {key.strip() for keys in CITE_ROLE.findall(prose) for key in keys.split(",") if key.strip()}


class SourceList:
    """A chapter's sources: its mix by kind, then one entry per source, grouped by kind.

    In a notebook it shows as a linked HTML list (``_repr_html_``); as text (``str`` or ``repr``)
    it is the mix line and the sources with their citation keys, one line.
    """

    def __init__(self, source_ids, folder=None, tables=()):
        self.ids = sorted(set(source_ids))
        self.text = mix_sentence(self.ids, folder) + "\n\n" + sources_note(self.ids, folder)
        self._all_sources = load_table("sources", folder).set_index("source_id")  # labels are unique among all
        self._sources = self._all_sources.loc[self.ids]
        if isinstance(tables, str):
            raise TypeError("SourceList(tables=...): expected a list of table names, got a single string")
        self.tables = sorted(set(tables))
        if self.tables:
            self.text += "\n\nData: " + ", ".join(f"{t}.csv" for t in self.tables) + "."

    def __str__(self) -> str:
        return self.text

    __repr__ = __str__

    def _entry(self, source_id: str) -> str:
        row = self._sources.loc[source_id]
        label = html.escape(short_citation(row, self._all_sources))
        title = html.escape(str(row["title"]))
        if pd.notna(row["url"]):
            head = f'<a href="{html.escape(str(row["url"]), quote=True)}">{label}</a>'
        else:
            head = label
        parts = [f"{head}: <em>{title}</em>"]
        if row["kind"] == "archival_file" and pd.notna(row["pages"]):
            parts.append(f"Sheets {html.escape(str(row['pages']))}")
        if pd.notna(row["publisher"]):
            parts.append(html.escape(str(row["publisher"])))
        if pd.notna(row["cited_in"]):
            parts.append("Known through the seed article")
        return "<li>" + ". ".join(parts) + ".</li>"

    def _repr_html_(self) -> str:
        blocks = [f'<p class="source-mix">{html.escape(mix_sentence(self.ids))}</p>']
        classes = self._sources["source_class"]
        for kind, label in SOURCE_CLASSES.items():
            members = [i for i in self.ids if classes.loc[i] == kind]
            if not members:
                continue
            members.sort(key=lambda i: (short_citation(self._sources.loc[i], self._all_sources).lower(), i))
            blocks.append(f'<p class="source-kind"><strong>{html.escape(label.capitalize())}</strong> ({len(members)})</p>'
                          f'<ul class="source-list">{"".join(self._entry(i) for i in members)}</ul>')
        if self.tables:
            links = ", ".join(f'<a href="{DOWNLOADS_FROM_CHAPTER}/{html.escape(t)}.csv" download>{html.escape(t)}.csv</a>'
                              for t in self.tables)
            blocks.append(f'<p class="chapter-data"><strong>The data of this chapter.</strong> Its code read these '
                          f'tables of the book, each a CSV file to download: {links}. Their columns are described, and '
                          f'all tables can be downloaded in one zip, in <a href="{DATA_PAGE}">Data and sources</a>.</p>')
        return '<div class="chapter-sources">' + "".join(blocks) + "</div>"


def chapter_sources(name: str, *shown: Iterable[str], folder: Path | None = None) -> SourceList:
    """The chapter's mix of sources by kind, then its source list: what its prose cites plus the sources of the rows it shows.

    Called at the end of a chapter, it also lists the tables the chapter's code read
    (:func:`helpers.tables_read`), each linked to its CSV download in the built book.
    """
    ids = set(cited_in_chapter(name, folder))
    for collection in shown:
        if isinstance(collection, str):
            raise TypeError("chapter_sources(*shown): expected collections of source ids, got a single string")
        ids |= set(collection)
    load_table("sources")  # the reference list is drawn from it, so it is always among the chapter's tables
    return SourceList(sorted(ids), tables=tables_read())


def table_or_note(frame: pd.DataFrame, note: str):
    """The frame as a book table, or ``note`` printed when it has no rows (so a reader never meets an empty table)."""
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"table_or_note(frame=...): expected a DataFrame, got {type(frame).__name__}")
    from ..style import show_table

    if frame.empty:
        print(note)
        return None
    return show_table(frame)


def used_source_ids(folder=None, notebooks: Path | None = None) -> set[str]:
    """Every source the book rests on: named by a row of any table, or cited in the prose of a page.

    A web page outside this set is one nothing rests on (see scripts/prune_sources.py).
    """
    from ..data import table_names

    used: set[str] = set()
    for name in table_names(folder):
        frame = load_table(name, folder)
        for column in ("source_id", "cited_in"):
            if column in frame.columns and (name != "sources" or column == "cited_in"):
                used |= set(frame[column].dropna())
    pages = Path(notebooks or NOTEBOOKS_DIR)
    for path in pages.glob("*.ipynb"):
        used |= cited_in_chapter(path.stem, folder=pages)
    for path in pages.glob("*.md"):
        used |= {k.strip() for keys in CITE_ROLE.findall(path.read_text(encoding="utf-8")) for k in keys.split(",")}
    return used
