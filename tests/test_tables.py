"""Tables for people: readable headers, ids as links, no NaN; every register entry has its own address."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from helpers import load_table, register_anchor, register_link, short_citation, show_table
from helpers.style import column_label

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
REGISTER_HTML = ROOT / "_build" / "html" / "notebooks" / "conflict_register.html"


class Cells(HTMLParser):
    """The text of every table cell (th and td) of an HTML fragment, and every link's href."""

    def __init__(self):
        super().__init__()
        self.cells: list[tuple[str, str]] = []
        self.hrefs: list[str] = []
        self.ids: set[str] = set()
        self._cell: list[str] | None = None
        self._tag = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])
        if tag in ("td", "th"):
            self._cell, self._tag = [], tag

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.cells.append((self._tag, "".join(self._cell).strip()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def parse(fragment: str) -> Cells:
    cells = Cells()
    cells.feed(fragment)
    return cells


def sources() -> pd.DataFrame:
    return load_table("sources").set_index("source_id")


def a_source(with_url: bool) -> str:
    table = sources()
    chosen = table[table["url"].notna() if with_url else table["kind"] == "archival_file"]
    return chosen.index[0]


# ---------------------------------------------------------------- anchors and links

def test_register_anchor_and_link_are_derived_from_the_conflict_id():
    conflict_id = load_table("conflicts")["conflict_id"].iloc[0]
    assert register_anchor(conflict_id) == f"register-{conflict_id}"
    assert register_link(conflict_id) == f"conflict_register.html#register-{conflict_id}"
    assert register_link(conflict_id, page="") == f"#register-{conflict_id}"


@pytest.mark.parametrize("bad", ["", "C-upper", "x-not-a-conflict", "c-with space", "c-\"quote", None, 3])
def test_register_anchor_refuses_what_is_not_a_conflict_id(bad):
    with pytest.raises(ValueError, match="register_anchor"):
        register_anchor(bad)


def test_every_conflict_id_makes_a_distinct_anchor():
    ids = load_table("conflicts")["conflict_id"]
    assert len({register_anchor(c) for c in ids}) == len(ids)


# ---------------------------------------------------------------- show_table

def test_show_table_links_source_ids_to_their_address_as_short_citations():
    web, archive = a_source(with_url=True), a_source(with_url=False)
    table = sources()
    html = show_table(pd.DataFrame({"source_id": [web, archive], "sources": [f"{web}; {archive}", None]})).data
    web_citation = short_citation(table.loc[web]).replace("&", "&amp;").replace("'", "&#x27;")
    assert f'<a href="{table.loc[web, "url"].replace("&", "&amp;")}" title="{web}">{web_citation}</a>' in html
    cells = parse(html)
    archive_citation = short_citation(table.loc[archive])
    assert ("td", archive_citation) in cells.cells  # archive files have no address: plain text
    assert table.loc[web, "url"] in cells.hrefs and len(cells.hrefs) == 2  # only the web source is linked, twice
    assert ("td", f"{short_citation(table.loc[web])}; {archive_citation}") in cells.cells
    assert ("th", "source") in cells.cells and ("th", "sources") in cells.cells


def test_show_table_links_conflict_ids_to_their_register_entry():
    ids = list(load_table("conflicts")["conflict_id"].iloc[:2])
    cells = parse(show_table(pd.DataFrame({"conflict_id": ["; ".join(ids), ids[1]]})).data)
    assert cells.hrefs == [register_link(ids[0]), register_link(ids[1]), register_link(ids[1])]
    assert ("th", "register entry") in cells.cells
    on_register = parse(show_table(pd.DataFrame({"conflict_id": ids[:1]}), register_page="").data)
    assert on_register.hrefs == [f"#{register_anchor(ids[0])}"]


def test_show_table_cites_the_sources_of_register_claims():
    entry = load_table("conflict_claims").iloc[0]
    claim = f"{entry['source_id']}: {entry['value']}"
    cells = parse(show_table(pd.DataFrame({"claims": [claim + " | not-a-source: a value"]})).data)
    expected = f"{short_citation(sources().loc[entry['source_id']])}: {entry['value']} | not-a-source: a value"
    assert ("td", expected) in cells.cells


def test_show_table_escapes_text_and_leaves_unknown_ids_as_text():
    html = show_table(pd.DataFrame({"note": ["<script>x</script> & more"], "conflict_id": ["c-no-such-entry"],
                                    "sources": ["3"]})).data
    assert "<script>" not in html and "&lt;script&gt;x&lt;/script&gt; &amp; more" in html
    assert "<a " not in html
    assert ("td", "c-no-such-entry") in parse(html).cells and ("td", "3") in parse(html).cells


def test_show_table_shows_missing_values_as_empty_cells():
    frame = pd.DataFrame({"year": pd.array([1994, None], dtype="Int64"), "share": [0.5, float("nan")],
                          "note": ["a", pd.NA], "name": pd.array(["b", None], dtype="string"),
                          "day": [pd.Timestamp("1994-04-30"), pd.NaT], "sources": [None, float("nan")]})
    cells = parse(show_table(frame).data).cells
    texts = [text for tag, text in cells if tag == "td"]
    assert texts[:5] == ["1994", "0.5", "a", "b", "1994-04-30 00:00:00"] and texts[6:] == ["", "", "", "", "", ""]
    assert not any(bad in text for text in texts for bad in ("NaN", "nan", "<NA>", "None", "NaT"))


def test_show_table_gives_columns_readable_headers():
    frame = pd.DataFrame({"event_type": ["treaty"], "n_other_sources": [1], "state_iso3": ["KAZ"],
                          "subject_table": ["events"], "some_new_column": ["x"]})
    headers = [text for tag, text in parse(show_table(frame).data).cells if tag == "th"]
    assert headers == ["type", "independent sources", "state", "table", "some new column"]
    assert column_label("n_other_sources") == "independent sources" and column_label("plain") == "plain"


def test_show_table_refuses_what_is_not_a_frame():
    with pytest.raises(TypeError, match="show_table"):
        show_table([1, 2])


# ---------------------------------------------------------------- stored outputs

def stored_tables(notebook: Path):
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        for output in cell.get("outputs", []):
            html = output.get("data", {}).get("text/html")
            if html:
                yield "".join(html) if isinstance(html, list) else html


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_stored_table_cell_shows_nan_or_na(notebook):
    bad = [(tag, text) for fragment in stored_tables(notebook) for tag, text in parse(fragment).cells
           if text in ("nan", "NaT", "None") or "NaN" in text or "<NA>" in text]
    assert not bad, (f"Table rule broken in {notebook.name}: a table cell shows a missing value as text: {bad[:5]}. "
                     "How to fix: show the table with helpers.show_table, which leaves missing values empty, and "
                     "re-execute the notebook")


# ---------------------------------------------------------------- the built register page

@pytest.mark.build
def test_every_register_entry_has_its_own_anchor_on_the_built_page():
    if not REGISTER_HTML.is_file():
        pytest.fail("the book is not built: run 'bash tasks.sh build' first")
    page = parse(REGISTER_HTML.read_text(encoding="utf-8"))
    missing = [c for c in load_table("conflicts")["conflict_id"] if register_anchor(c) not in page.ids]
    assert not missing, f"register entries without an anchor on conflict_register.html: {missing[:10]}"


@pytest.mark.build
def test_chapters_link_register_entries_to_their_anchors():
    pages = sorted((ROOT / "_build" / "html" / "notebooks").glob("*.html"))
    links = [href for page in pages if page != REGISTER_HTML
             for href in parse(page.read_text(encoding="utf-8")).hrefs if href.startswith("conflict_register.html#")]
    anchors = parse(REGISTER_HTML.read_text(encoding="utf-8")).ids
    assert links, "no chapter links a register entry"
    assert not [h for h in links if h.split("#", 1)[1] not in anchors]
    period_pages = [p for p in pages if p.name.startswith("period_")]
    linked = [p.name for p in period_pages if "conflict_register.html#register-" in p.read_text(encoding="utf-8")]
    assert linked == [p.name for p in period_pages if "register-c-" in p.read_text(encoding="utf-8")] and linked


def test_register_links_and_subjects_read_as_words_not_ids():
    from helpers import show_table
    from helpers.chapters import bilateral_chapter

    table = bilateral_chapter("KGZ").border_register_table()
    page = show_table(table).data
    visible = re.sub(r"<[^>]+>", " ", page)
    for conflict_id in table["conflict_id"]:
        assert f"#register-{conflict_id}" in page and f">{conflict_id}</a>" not in page
    assert "events: e" not in visible and "Shanghai Five summit in Bishkek" in visible


# ---------------------------------------------------------------- ids become words

def visible_text(fragment: str) -> str:
    import html as html_module

    return html_module.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)))


def test_show_table_names_events_bodies_places_states_and_figures_instead_of_their_keys():
    events = load_table("events").set_index("event_id")
    event_id = events.index[0]
    org = load_table("organisations").iloc[0]
    place = load_table("places").iloc[0]
    figure = load_table("article_figures").iloc[0]
    frame = pd.DataFrame({"founded_event_id": [event_id], "org_id": [org["org_id"]], "place_id": [place["place_id"]],
                          "state_iso3": ["KGZ"], "figure_id": [figure["figure_id"]]})
    shown = visible_text(show_table(frame).data)
    assert events.loc[event_id, "title"] in shown and events.loc[event_id, "date"] in shown
    assert org["name_en"] in shown and place["name_en"] in shown and "Kyrgyzstan" in shown
    assert figure["quantity"] in shown
    for key in (event_id, org["org_id"], place["place_id"], figure["figure_id"]):
        assert f" {key} " not in f" {shown} "


def test_show_table_turns_ids_written_inside_text_into_words_and_links():
    conflict_id = load_table("conflicts")["conflict_id"].iloc[0]
    event_id = load_table("events")["event_id"].iloc[0]
    source = load_table("sources").set_index("source_id").loc["karassayev2023"]
    note = f"see {conflict_id}; compare {event_id} and karassayev2023, not karassayev2023x or example.org/karassayev2023"
    page = show_table(pd.DataFrame({"note": [note]})).data
    shown = visible_text(page)
    assert f'href="{register_link(conflict_id)}"' in page and conflict_id not in shown
    assert event_id not in shown and short_citation(source) in shown
    assert "karassayev2023x" in shown and "example.org/karassayev2023" in shown  # not ids: left as they are


def test_row_label_words_a_row_of_each_table_the_register_is_about():
    from helpers import row_label, row_keys

    for table in ["border_lengths", "diaspora", "aral_sea", "repatriation", "memberships", "place_names",
                  "article_figures", "organisations"]:
        frame = load_table(table)
        key = row_keys(table, frame).iloc[0]
        label = row_label(table, key)
        assert label and "|" not in label and not label.startswith(column_label(table) + ":"), (table, label)
    assert row_label("border_lengths", "KAZ|TKM|web-h4-cia2005-kaz|Geography: Land boundaries").startswith(
        "Kazakhstan–Turkmenistan border")
    assert "Kazakhstan" in row_label("states", "KAZ")
    with pytest.raises(TypeError, match="row_label"):
        row_label("events", 3)
