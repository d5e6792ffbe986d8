"""One figure style and one table style for the whole book, and one colour per state, defined here only."""

from __future__ import annotations

import html
import re

import matplotlib as mpl
import pandas as pd

from .cite import REGISTER_PAGE, register_link, source_link
from .data import load_table

__all__ = ["COLUMN_LABELS", "STATE_COLOURS", "DOMAIN_COLOURS", "NEUTRAL", "column_label", "show_table", "state_colour",
           "use_book_style"]

#: One colour per Central Asian state (Okabe-Ito, chosen to stay apart under the
#: common colour-vision deficiencies and in greyscale; tests/test_palette.py checks it).
STATE_COLOURS: dict[str, str] = {
    "KAZ": "#0072B2",  # blue
    "UZB": "#E69F00",  # orange
    "KGZ": "#882255",  # wine
    "TJK": "#009E73",  # bluish green
    "TKM": "#F0E442",  # yellow
}

#: Grey for neighbours and for everything that is not one of the five.
NEUTRAL = "#BBBBBB"

#: Fields of cooperation, in the order of the schema's enum.
DOMAIN_COLOURS: dict[str, str] = {
    "political": "#332288",
    "economic": "#88CCEE",
    "defence_security": "#44AA99",
    "cultural": "#117733",
    "social_humanitarian": "#999933",
    "environment_water": "#DDCC77",
    "migration_diaspora": "#CC6677",
    "borders": "#AA4499",
}


def state_colour(iso3: str) -> str:
    """The book's colour for a state; neutral grey for any state outside the five."""
    if not isinstance(iso3, str) or len(iso3) != 3 or not iso3.isupper():
        raise ValueError(f"state_colour(iso3={iso3!r}): expected an ISO 3166 alpha-3 code such as 'KAZ'")
    return STATE_COLOURS.get(iso3, NEUTRAL)


def use_book_style() -> None:
    """Set matplotlib defaults: deterministic output, legible sizes, no chart junk; check every figure shown.

    Text sizes follow from the width a figure is shown at (:mod:`helpers.legibility`): the default
    8-inch figure, saved with the inline backend's pad, is shown scaled down to the content column,
    and ``text_pt`` gives the smallest size that stays legible there (10 pt), which tick labels,
    legends and axis labels get; titles one point more, a figure's title two. From here on every
    figure saved or shown raises ``IllegibleFigureError`` if any of its texts is smaller than the
    least legible size at the size it is shown.
    """
    from matplotlib.figure import Figure

    from .legibility import install_audit, text_pt

    width, height = 8, 4.5
    small = text_pt(Figure(figsize=(width, height), dpi=100))
    mpl.rcParams.update({
        "figure.figsize": (width, height),
        "figure.dpi": 100,
        "savefig.dpi": 100,
        "font.size": small,
        "xtick.labelsize": small,
        "ytick.labelsize": small,
        "legend.fontsize": small,
        "legend.title_fontsize": small,
        "axes.labelsize": small,
        "axes.titlesize": small + 1,
        "figure.titlesize": small + 2,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "legend.frameon": False,
        "svg.hashsalt": "kazakhstan-central-asia",
        "path.simplify": True,
    })
    install_audit()


#: Column headers as readers see them, for the data's snake_case names; any other name shows
#: with its underscores as spaces (:func:`column_label`).
COLUMN_LABELS: dict[str, str] = {
    "conflict_id": "register entry",
    "source_id": "source",
    "sources": "sources",
    "event_type": "type",
    "event_id": "event",
    "n_sources": "number of sources",
    "n_other_sources": "independent sources",
    "state_iso3": "state",
    "from_state_iso3": "from",
    "state_a": "state",
    "state_b": "neighbour",
    "subject_table": "table",
    "subject_key": "row",
    "subjects": "about",
    "stated_date": "date given",
    "date_end": "end date",
    "length_km": "length (km)",
    "level_m": "level (m)",
    "name_en": "name",
    "org_id": "body",
    "place_id": "place",
    "figure_id": "figure",
    "founded_event_id": "founding event",
    "year_from": "from year",
    "year_to": "to year",
    "ethnic_kazakhs": "ethnic Kazakhs",
    "estimate_kind": "kind of estimate",
    "joined_precision": "precision of joining",
    "left_precision": "precision of leaving",
    "alone": "the two alone",
    "first_day": "first day",
}
#: Columns whose cells are conflict ids ('; '-joined when several): each becomes a link to its register entry.
CONFLICT_COLUMNS = frozenset({"conflict_id", "register entry"})
#: Columns whose cells are source ids ('; '-joined when several): each becomes a short citation.
SOURCE_COLUMNS = frozenset({"source_id", "sources"})
#: Columns of register claims, 'source_id: value' joined by ' | ' (as :func:`helpers.register_entries` gives them).
CLAIM_COLUMNS = frozenset({"claims", "others"})
#: Columns naming the rows a register entry is about, 'table: key' joined by '; ' (as register_entries gives them).
SUBJECT_COLUMNS = frozenset({"subjects"})
_SUBJECT_SPLIT = re.compile(r"; (?=[a-z_]+: )")
_MISSING_TEXT = re.compile(r"^(nan|NaN|<NA>|None|NaT)$")


def column_label(name) -> str:
    """The header readers see for a column: :data:`COLUMN_LABELS`, else the name with underscores as spaces."""
    text = str(name)
    return COLUMN_LABELS.get(text, text.replace("_", " "))


def _missing(value) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # lists and other containers
        return False


def _text(value) -> str:
    """A cell as escaped text; missing values (NaN, <NA>, None, NaT) as the empty string."""
    if _missing(value):
        return ""
    text = str(value)
    return "" if _MISSING_TEXT.match(text) else html.escape(text)


def _split(value, sep: str) -> list[str]:
    return [part.strip() for part in str(value).split(sep) if part.strip()] if not _missing(value) else []


class _Links:
    """Renders ids as links, with the sources table loaded once per table."""

    def __init__(self, register_page: str):
        self.register_page = register_page
        self._sources = None
        self._conflicts = None
        self._events = None

    @property
    def sources(self) -> pd.DataFrame:
        if self._sources is None:
            self._sources = load_table("sources").set_index("source_id")
        return self._sources

    @property
    def conflicts(self) -> pd.Series:
        """Each entry's disputed attribute, by conflict id."""
        if self._conflicts is None:
            self._conflicts = load_table("conflicts").set_index("conflict_id")["attribute"]
        return self._conflicts

    @property
    def events(self) -> pd.DataFrame:
        if self._events is None:
            self._events = load_table("events").set_index("event_id")
        return self._events

    def source(self, source_id: str) -> str:
        if source_id not in self.sources.index:  # not an id (a count, a note): shown as it is
            return html.escape(source_id)
        citation, url = source_link(source_id, self.sources)
        if url is None:
            return html.escape(citation)
        return f'<a href="{html.escape(url)}" title="{html.escape(source_id)}">{html.escape(citation)}</a>'

    def conflict(self, conflict_id: str) -> str:
        if conflict_id not in self.conflicts.index:
            return html.escape(conflict_id)
        attribute = self.conflicts[conflict_id]  # the id stays in the address, not in the text readers see
        label = "register entry" if attribute == "other" else f"register entry on the {attribute}"
        return (f'<a href="{html.escape(register_link(conflict_id, self.register_page))}" '
                f'title="{html.escape(conflict_id)}">{html.escape(label)}</a>')

    def subject(self, subject: str) -> str:
        """One row a register entry is about: an event by its title and date, another row by its key, sources cited."""
        table, sep, key = subject.partition(": ")
        if not sep:
            return html.escape(subject)
        if table == "events" and key in self.events.index:
            return html.escape(f"{self.events.loc[key, 'title']} ({self.events.loc[key, 'date']})")
        parts = [self.source(p) if p in self.sources.index else html.escape(p) for p in key.split("|")]
        return html.escape(column_label(table)) + ": " + ", ".join(parts)

    def claim(self, claim: str) -> str:
        source_id, sep, value = claim.partition(": ")
        if sep and source_id in self.sources.index:
            return f"{self.source(source_id)}: {html.escape(value)}"
        return html.escape(claim)


def _cells(column: pd.Series, kind: str, links: _Links) -> list[str]:
    if kind == "conflict":
        return ["; ".join(links.conflict(i) for i in _split(v, ";")) for v in column]
    if kind == "source":
        return ["; ".join(links.source(i) for i in _split(v, ";")) for v in column]
    if kind == "subject":
        return ["; ".join(links.subject(x) for x in _SUBJECT_SPLIT.split(str(v))) if not _missing(v) else "" for v in column]
    if kind == "claim":
        return [" | ".join(links.claim(c) for c in _split(v, " | ")) for v in column]
    return [_text(v) for v in column]


def show_table(frame, index: bool = False, register_page: str = REGISTER_PAGE):
    """A DataFrame as the book's HTML table: readable headers, links for ids, nothing missing shown.

    Headers: :func:`column_label`. Cells of ``conflict_id`` columns link to the register entry
    (``register_page`` is the register's address from the page showing the table; ``""`` on the
    register page itself); ``source_id`` and ``sources`` cells ('; '-joined ids) become short
    citations, linked to the source's address when it has one; ``claims`` cells cite their
    sources the same way. Everything else is escaped text; NaN and <NA> show as empty cells.
    Numbers keep pandas' formatting.
    """
    from IPython.display import HTML

    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"show_table(frame=...): expected a pandas DataFrame, got {type(frame).__name__}")
    links = _Links(register_page)
    shown = pd.DataFrame(index=frame.index)
    labels = []
    for position, name in enumerate(frame.columns):
        column = frame.iloc[:, position]
        key = str(name)
        kind = ("conflict" if key in CONFLICT_COLUMNS else "source" if key in SOURCE_COLUMNS
                else "claim" if key in CLAIM_COLUMNS else "subject" if key in SUBJECT_COLUMNS else None)
        if (kind is None and pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column)
                and not (pd.api.types.is_extension_array_dtype(column) and column.isna().any())):
            shown[position] = column  # numbers: pandas formats them, na_rep empties NaN
        else:
            shown[position] = _cells(column, kind, links)
        labels.append(html.escape(column_label(name)))
    shown.columns = labels
    if index:
        shown.index = [_text(v) for v in frame.index]
        shown.index.name = _text(column_label(frame.index.name)) if frame.index.name is not None else None
    return HTML(shown.to_html(index=index, border=0, na_rep="", classes="dataframe book-table", escape=False))
