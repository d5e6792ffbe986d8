"""One figure style and one table style for the whole book, and one colour per state, defined here only."""

from __future__ import annotations

import html
import re

import matplotlib as mpl
import pandas as pd

from .cite import REGISTER_PAGE, register_link, source_link
from .data import data_state, load_table

__all__ = ["COLUMN_LABELS", "STATE_COLOURS", "DOMAIN_COLOURS", "NEUTRAL", "column_label", "linked_text", "row_label", "show_table", "state_colour",
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
    """Renders ids as words and links, with each table it needs loaded once per table shown."""

    def __init__(self, register_page: str):
        self.register_page = register_page
        self._tables: dict[str, pd.DataFrame] = {}
        self._ids = None

    def _table(self, name: str, key: str) -> pd.DataFrame:
        # loaded once per _Links, and there is one _Links per state of the data (_links_for): the
        # citation labels are cached by the identity of the sources frame, and nothing here changes a frame
        if name not in self._tables:
            self._tables[name] = load_table(name).set_index(key)
        return self._tables[name]

    @property
    def sources(self) -> pd.DataFrame:
        return self._table("sources", "source_id")

    @property
    def conflicts(self) -> pd.Series:
        """Each entry's disputed attribute, by conflict id."""
        return self._table("conflicts", "conflict_id")["attribute"]

    @property
    def events(self) -> pd.DataFrame:
        return self._table("events", "event_id")

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

    def event(self, event_id: str) -> str:
        if event_id not in self.events.index:
            return html.escape(event_id)
        return html.escape(f"{self.events.loc[event_id, 'title']} ({self.events.loc[event_id, 'date']})")

    def named(self, table: str, key: str, value: str) -> str:
        """A row of a table with a name (a body, a place, a state, an article figure) by that name."""
        column = _NAME_COLUMNS[table]
        frame = self._table(table, key)
        if value not in frame.index:
            return html.escape(value)
        if table == "organisations" and not _missing(frame.loc[value, "abbreviation"]):
            return html.escape(f"{frame.loc[value, 'name_en']} ({frame.loc[value, 'abbreviation']})")
        named = frame.loc[value, column]
        return html.escape(str(named.iloc[0] if isinstance(named, pd.Series) else named))

    def state(self, iso3: str) -> str:
        return self.named("states", "iso3", iso3)

    def subject(self, subject: str) -> str:
        """One row a register entry is about, 'table: key', as :func:`row_label` words it (sources linked)."""
        table, sep, key = subject.partition(": ")
        if not sep:
            return html.escape(subject)
        return self.row(table, key)

    def row(self, table: str, key: str, linked: bool = True) -> str:
        """A row of any table, named by its primary key ('|'-joined), in words; HTML, its sources cited."""
        parts = key.split("|")
        cite = self.source if linked else (lambda i: html.escape(source_link(i, self.sources)[0])
                                          if i in self.sources.index else html.escape(i))
        try:
            if table == "events":
                return self.event(key)
            if table == "border_lengths":
                a, b, source, _ = parts
                return f"{self.state(a)}–{self.state(b)} border as {cite(source)} gives it"
            if table == "diaspora":
                iso3, number, source, _ = parts
                return f"{int(number):,} ethnic Kazakhs in {self.state(iso3)}, as {cite(source)} gives it"
            if table == "aral_sea":
                year, source, _ = parts
                return f"the Aral Sea in {html.escape(year)}, as {cite(source)} gives it"
            if table == "repatriation":
                iso3, first, last, source, _ = parts
                years = first if first == last else f"{first}–{last}"
                return f"repatriates from {self.state(iso3)}, {html.escape(years)}, as {cite(source)} gives them"
            if table == "memberships":
                org, iso3, joined, source = parts
                return (f"{self.state(iso3)} in the {self.named('organisations', 'org_id', org)}, joined "
                        f"{html.escape(joined)} according to {cite(source)}")
            if table == "place_names":
                place, variant, source = parts
                return (f"{html.escape(variant)} as a name of {self.named('places', 'place_id', place)}, "
                        f"according to {cite(source)}")
            if table == "article_figures":
                figure, source, _ = parts
                quantity = self.named("article_figures", "figure_id", figure)
                return f"{quantity}, as {cite(source)} gives it"
            if table in _NAME_KEYS:
                return self.named(table, _NAME_KEYS[table], key)
        except ValueError:  # a key of another shape: fall through to the general form
            pass
        shown = [cite(p) if p in self.sources.index else html.escape(p) for p in parts]
        return html.escape(column_label(table)) + ": " + ", ".join(shown)

    def claim(self, claim: str) -> str:
        source_id, sep, value = claim.partition(": ")
        if sep and source_id in self.sources.index:
            return f"{self.source(source_id)}: {self.text(value)}"
        return self.text(claim)

    @property
    def known_ids(self) -> dict[str, str]:
        """Every id that may stand inside free text (a note, an assessment), with the kind of row it names."""
        if self._ids is None:
            self._ids = {**{i: "source" for i in self.sources.index if _ID_LIKE.fullmatch(i)},
                         **{i: "event" for i in self.events.index},
                         **{i: "conflict" for i in self.conflicts.index}}
        return self._ids

    def text(self, value) -> str:
        """Free text, escaped; an event, source or register id written inside it becomes words or a link."""
        shown = _text(value)
        if not shown:
            return shown
        ids = self.known_ids
        render = {"source": self.source, "event": self.event, "conflict": self.conflict}

        def replace(match: re.Match) -> str:
            kind = ids.get(match.group(0))
            return render[kind](match.group(0)) if kind else match.group(0)
        return _TOKEN.sub(replace, shown)


_LINKS: dict[tuple, _Links] = {}


def _links_for(register_page: str) -> _Links:
    """One _Links per register address and state of the data, so its tables and id list are built once."""
    state = (register_page, data_state())
    if state not in _LINKS:
        if len(_LINKS) > 16:  # older states of the data
            _LINKS.clear()
        _LINKS[state] = _Links(register_page)
    return _LINKS[state]


#: Tables whose rows readers know by a name, with their key and the column holding the name.
_NAME_KEYS = {"organisations": "org_id", "places": "place_id", "states": "iso3", "people": "person_id",
              "periods": "period_id", "article_figures": "figure_id"}
_NAME_COLUMNS = {"organisations": "name_en", "places": "name_en", "states": "name_en", "people": "name_en",
                 "periods": "title", "article_figures": "quantity"}
#: Columns whose cells are keys of a named table: each shows as the row's name, never as its id.
NAMED_COLUMNS = {"org_id": "organisations", "successor_org_id": "organisations", "place_id": "places",
                 "person_id": "people", "period_id": "periods", "figure_id": "article_figures",
                 "state_iso3": "states", "from_state_iso3": "states", "state_a": "states", "state_b": "states"}
#: Columns whose cells are event ids: each shows as the event's title and date.
EVENT_COLUMNS = frozenset({"event_id", "founded_event_id"})
# an id as it may stand in text: lower-case words joined by hyphens or underscores, or a word with digits
_TOKEN = re.compile(r"(?<![\w/.#-])[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*(?![\w/-])")
_ID_LIKE = re.compile(r"[a-z][a-z0-9]*(?:[-_][a-z0-9]+)+|[a-z]+[0-9][a-z0-9]*")


def row_label(table: str, key: str, linked: bool = False) -> str:
    """A row of any table, named by its primary key as :func:`helpers.row_keys` gives it, in words.

    Events read as their title and date, border lengths as 'Kazakhstan–Turkmenistan border as
    <source> gives it', and so on; ``linked=True`` gives HTML with the sources linked, otherwise
    the text (HTML-escaped) names them by their short citation.

    >>> row_label("border_lengths", "KAZ|TKM|web-h4-cia2005-kaz|Geography: Land boundaries")  # doctest: +SKIP
    'Kazakhstan–Turkmenistan border as CIA (2005) gives it'
    """
    if not isinstance(table, str) or not isinstance(key, str):
        raise TypeError(f"row_label(table={table!r}, key={key!r}): expected a table name and a '|'-joined key, both text")
    return _links_for(REGISTER_PAGE).row(table, key, linked=linked)


def linked_text(text, register_page: str = REGISTER_PAGE) -> str:
    """Free text as HTML, with any event, source or register id inside it turned into words or a link.

    For prose stored in the data (a register entry's description or assessment, a note) that a
    chapter prints outside a table. ``register_page`` as for :func:`show_table`.
    """
    return _links_for(register_page).text(text)


def _cells(column: pd.Series, kind: str, links: _Links) -> list[str]:
    if kind == "conflict":
        return ["; ".join(links.conflict(i) for i in _split(v, ";")) for v in column]
    if kind == "source":
        return ["; ".join(links.source(i) for i in _split(v, ";")) for v in column]
    if kind == "subject":
        return ["; ".join(links.subject(x) for x in _SUBJECT_SPLIT.split(str(v))) if not _missing(v) else "" for v in column]
    if kind == "claim":
        return [" | ".join(links.claim(c) for c in _split(v, " | ")) for v in column]
    if kind == "event":
        return ["; ".join(links.event(i) for i in _split(v, ";")) for v in column]
    if kind in _NAME_KEYS:
        return ["; ".join(links.named(kind, _NAME_KEYS[kind], i) for i in _split(v, ";")) for v in column]
    return [links.text(v) for v in column]


def show_table(frame, index: bool = False, register_page: str = REGISTER_PAGE):
    """A DataFrame as the book's HTML table: readable headers, links for ids, nothing missing shown.

    Headers: :func:`column_label`. Cells of ``conflict_id`` columns link to the register entry
    (``register_page`` is the register's address from the page showing the table; ``""`` on the
    register page itself); ``source_id`` and ``sources`` cells ('; '-joined ids) become short
    citations, linked to the source's address when it has one; ``claims`` cells cite their
    sources the same way; ``subjects`` cells name rows in words (:func:`row_label`). Event-id
    columns show the event's title and date; body, place, state, person, period and article-figure
    columns (:data:`NAMED_COLUMNS`) show the row's name. In any other text, an event, source or
    register id written inside the text becomes words or a link, so no internal id reaches the
    reader. NaN and <NA> show as empty cells. Numbers keep pandas' formatting.
    """
    from IPython.display import HTML

    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"show_table(frame=...): expected a pandas DataFrame, got {type(frame).__name__}")
    links = _links_for(register_page)
    shown = pd.DataFrame(index=frame.index)
    labels = []
    for position, name in enumerate(frame.columns):
        column = frame.iloc[:, position]
        key = str(name)
        kind = ("conflict" if key in CONFLICT_COLUMNS else "source" if key in SOURCE_COLUMNS
                else "claim" if key in CLAIM_COLUMNS else "subject" if key in SUBJECT_COLUMNS
                else "event" if key in EVENT_COLUMNS else NAMED_COLUMNS.get(key))
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
