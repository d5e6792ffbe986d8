"""Every source has a label of its own (issue 10, item 4): in the tables (short_citation), in
references.bib, and in the built book's {cite} links. Archival files read like 'AP RK 5-N/1/431'.

The uniqueness checks are tried on two sources made to share a label, so a check that can
never fail would be caught.
"""

from __future__ import annotations

import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pandas as pd
import pytest
from pybtex.database import parse_file

from helpers import citation_labels, label_collisions, load_table, short_citation
from helpers.cite import _LABEL_COLUMNS, _base_label

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
GLOSSARY = ROOT / "notebooks" / "glossary.md"


def sources() -> pd.DataFrame:
    return load_table("sources").set_index("source_id")


def frame(*rows: dict) -> pd.DataFrame:
    """A small sources table: each row names what it needs, the other label columns are empty."""
    return pd.DataFrame([{"source_id": r["source_id"], **{c: r.get(c) for c in _LABEL_COLUMNS}} for r in rows])


def web(source_id, publisher="RFE/RL", published="1999", title="A report", **more) -> dict:
    return {"source_id": source_id, "kind": "web_page", "publisher": publisher, "published": published,
            "title": title, **more}


# ---------------------------------------------------------------- (a) the tables' short citations

def test_every_short_citation_is_unique():
    table = sources()
    labels = {i: short_citation(table.loc[i], table) for i in table.index}
    clashes = label_collisions(labels)
    assert not clashes, "sources share a short citation:\n" + "\n".join(f"  {k}: {v}" for k, v in clashes.items())
    # and without passing the table: short_citation(row) labels among the book's own sources
    assert all(short_citation(table.loc[i]) == labels[i] for i in table.index[:40])


def test_every_parenthetical_label_is_unique():
    labels = {i: lab.parenthetical for i, lab in citation_labels().items()}
    assert not label_collisions(labels)


def test_references_bib_carries_the_same_labels():
    """The {cite} labels come from shortauthor and year in references.bib: they are the tables' labels."""
    bib = parse_file(str(ROOT / "references.bib"))
    labels = citation_labels()
    assert set(bib.entries) == set(labels)
    wrong = []
    for key, entry in bib.entries.items():
        name = entry.fields["shortauthor"].strip("{}").replace("\\&", "&").replace("\\_", "_")
        date = entry.fields.get("year")
        if (name, date) != tuple(labels[key]):
            wrong.append(f"{key}: bib has {(name, date)}, expected {tuple(labels[key])}")
    assert not wrong, "references.bib is out of step with citation_labels (run scripts/make_bib.py):\n" + "\n".join(wrong[:20])


def test_labels_do_not_depend_on_row_order():
    table = load_table("sources")
    shuffled = table.sample(frac=1, random_state=1).reset_index(drop=True)
    assert citation_labels(shuffled) == citation_labels(table)


# ---------------------------------------------------------------- the rule, on small tables

def test_a_label_stays_plain_when_nothing_shares_it():
    labels = citation_labels(frame(web("a", published="1999-02-04"), web("b", published="2000-01-01")))
    assert [labels["a"].textual, labels["b"].textual] == ["RFE/RL (1999)", "RFE/RL (2000)"]


def test_sources_of_one_name_and_year_give_their_full_date():
    labels = citation_labels(frame(web("a", published="1999-02-04"), web("b", published="1999-08"),
                                   web("c", published="1999")))
    assert {i: lab.parenthetical for i, lab in labels.items()} == {
        "a": "RFE/RL, 1999-02-04", "b": "RFE/RL, 1999-08", "c": "RFE/RL, 1999"}


def test_sources_without_dates_give_their_title_shortened_to_what_tells_them_apart():
    labels = citation_labels(frame(
        web("a", publisher="Wikipedia", published=None, title="Tashkent"),
        web("b", publisher="Wikipedia", published=None, title="Osh"),
        web("c", publisher="CIS Legislation", published=None,
            title="Agreement on creation of economic union, of September 24, 1993"),
        web("d", publisher="CIS Legislation", published=None,
            title="Agreement on creation of the Interstate Council, of 1994")))
    assert labels["a"].parenthetical == "Wikipedia, “Tashkent”, n.d."
    assert labels["b"].textual == "Wikipedia, “Osh” (n.d.)"
    # four words at least, never ending on 'of' or 'the'
    assert labels["c"].name == "CIS Legislation, “Agreement on creation of economic…”"
    assert labels["d"].name == "CIS Legislation, “Agreement on creation of the Interstate…”"


def test_the_same_title_on_two_sites_names_the_publisher_in_full():
    labels = citation_labels(frame(web("a", publisher="Wikipedia", published=None, title="Daşoguz"),
                                   web("b", publisher="Wikipedia (German)", published=None, title="Daşoguz"),
                                   web("c", publisher="Wikipedia", published=None, title="Osh")))
    assert labels["a"].name == "Wikipedia, “Daşoguz”" and labels["b"].name == "Wikipedia (German), “Daşoguz”"


def test_one_text_recorded_twice_takes_a_and_b_in_source_id_order():
    labels = citation_labels(frame(web("z-copy", published="1997-06-27"), web("a-first", published="1997-06-27"),
                                   web("n", publisher="Euromoney", published=None),
                                   web("m", publisher="Euromoney", published=None)))
    assert labels["a-first"].date == "1997-06-27a" and labels["z-copy"].date == "1997-06-27b"
    assert labels["m"].parenthetical == "Euromoney, n.d.-a" and labels["n"].parenthetical == "Euromoney, n.d.-b"


def test_authors_give_surnames_and_et_al():
    labels = citation_labels(frame(
        {"source_id": "x", "kind": "article", "author": "Karassayev, G. and Yensenov, K. and Naimanbayev, B.",
         "published": "2023-05-04", "title": "T"},
        {"source_id": "y", "kind": "book", "author": "Ploskikh, V. M. and Dzhunushaliyev, D. D.",
         "published": "2009", "title": "T"}))
    assert labels["x"].textual == "Karassayev et al. (2023)" and labels["y"].textual == "Ploskikh and Dzhunushaliyev (2009)"


# ---------------------------------------------------------------- (c) archival files

ARCHIVAL = re.compile(r"^(?P<archive>AP RK|SASKR|AFP RF) (?P<fund>[0-9A-Za-z-]+)/(?P<series>[0-9A-Za-z-]+)/"
                      r"(?P<file>[0-9A-Za-z-]+)(?:, sheets? (?P<pages>[0-9][0-9, -]*))?$")


def test_archival_files_read_like_AP_RK_5_N_1_431():
    table, labels = sources(), citation_labels()
    assert labels["aprk-5n-1-431-p18"].textual == "AP RK 5-N/1/431"
    assert labels["aprk-5n-1-431-p18"].parenthetical == "AP RK 5-N/1/431"
    archival = table[table["kind"] == "archival_file"]
    assert len(archival) >= 10
    for source_id, row in archival.iterrows():
        label = short_citation(row, table)
        match = ARCHIVAL.match(label)
        assert match, f"{source_id}: archival label {label!r} is not of the form 'AP RK 5-N/1/431'"
        assert (match["archive"], match["fund"], match["series"], match["file"]) == (
            row["archive"], row["fund"], row["series"], row["file"]), f"{source_id}: {label!r} does not name its file"
        assert labels[source_id].date is None, f"{source_id}: an archival file is cited by the file, without a year"


def test_two_citations_of_one_archival_file_add_their_sheets():
    labels = citation_labels()
    assert labels["saskr-897-1-99a-p48"].textual == "SASKR 897/1/99a, sheet 48"
    assert labels["saskr-897-1-99a-p39-40"].textual == "SASKR 897/1/99a, sheets 39-40"


def test_archive_abbreviations_are_glossary_terms():
    terms = {line.strip() for line in GLOSSARY.read_text(encoding="utf-8").splitlines()}
    used = set(sources().query("kind == 'archival_file'")["archive"])
    assert used <= terms, f"archive abbreviations without a glossary entry: {sorted(used - terms)}"


# ---------------------------------------------------------------- (d) the checks can fail

def test_label_collisions_reports_two_sources_with_one_label():
    assert label_collisions({"a": "RFE/RL (1999)", "b": "RFE/RL (1999)", "c": "RFE/RL (2000)"}) == {
        "RFE/RL (1999)": ["a", "b"]}


def test_the_uniqueness_check_catches_what_the_plain_author_year_rule_would_share():
    """Two RFE/RL pages of 1999 and two files of one archive: the plain rule gives each pair one label
    (the check fails on it); the book's rule tells them apart (the check passes)."""
    pair = frame(web("rferl-a", published="1999-02-04"), web("rferl-b", published="1999-08-25"),
                 {"source_id": "aprk-a", "kind": "archival_file", "archive": "AP RK", "fund": "5-N", "series": "1",
                  "file": "431", "pages": "18", "publisher": "Archive of the President of the Republic of Kazakhstan"},
                 {"source_id": "aprk-b", "kind": "archival_file", "archive": "AP RK", "fund": "5-N", "series": "1",
                  "file": "431", "pages": "20-21",
                  "publisher": "Archive of the President of the Republic of Kazakhstan"})
    plain = {r["source_id"]: _base_label(r)[0].textual for r in pair.to_dict("records")}
    assert label_collisions(plain) == {"RFE/RL (1999)": ["rferl-a", "rferl-b"], "AP RK 5-N/1/431": ["aprk-a", "aprk-b"]}
    labels = {i: lab.textual for i, lab in citation_labels(pair).items()}
    assert not label_collisions(labels), labels
    assert labels["aprk-b"] == "AP RK 5-N/1/431, sheets 20-21"


def test_a_duplicated_source_row_still_gets_a_label_of_its_own(data_copy):
    rows = data_copy.rows("sources")
    header, original = rows[0], next(r for r in rows if r[0] == "aprk-5n-1-431-p18")
    data_copy.append("sources", dict(zip(header, original)) | {"source_id": "aprk-5n-1-431-p18-copy"})
    labels = citation_labels(folder=data_copy.folder)
    assert labels["aprk-5n-1-431-p18"].textual == "AP RK 5-N/1/431, sheet 18 (a)"
    assert labels["aprk-5n-1-431-p18-copy"].textual == "AP RK 5-N/1/431, sheet 18 (b)"


# ---------------------------------------------------------------- (b) the built book

class Citations(HTMLParser):
    """Every {cite} link of a page: its whole label, as 'Name, date' (a textual citation's
    'Name [date]', where only the date is the link, is put the same way), and its href."""

    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, str]] = []
        self._depth = 0            # span nesting inside a bibtex-citation span (0: outside one)
        self._before = ""          # text since the last link inside the citation
        self._href: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "span":
            if self._depth:
                self._depth += 1
            elif "bibtex-citation" in (a.get("class") or "").split():
                self._depth, self._before = 1, ""
        elif tag == "a" and self._depth and a.get("href"):
            self._href, self._text = a["href"], ""

    def handle_endtag(self, tag):
        if tag == "span" and self._depth:
            self._depth -= 1
        elif tag == "a" and self._href is not None:
            name = self._before.strip(" [];")
            label = f"{name}, {self._text}" if name else self._text
            self.found.append((" ".join(label.split()), self._href))
            self._href, self._before = None, ""

    def handle_data(self, data):
        if self._href is not None:
            self._text += data
        elif self._depth:
            self._before += data


def citation_targets(pages: dict[str, str]) -> dict[str, set[str]]:
    """label -> the bibliography anchors it links to ('page#id'), over pages {path: html}."""
    targets: dict[str, set[str]] = {}
    for path, text in pages.items():
        parser = Citations()
        parser.feed(text)
        for label, href in parser.found:
            url = urlparse(href)
            page = posixpath.normpath(posixpath.join(posixpath.dirname(path), unquote(url.path))) if url.path else path
            targets.setdefault(label, set()).add(f"{page}#{url.fragment}")
    return targets


def label_problems(targets: dict[str, set[str]]) -> list[str]:
    """Labels that lead to more than one entry, and entries reached under more than one label."""
    problems = [f"{label!r} links to {len(t)} entries: {sorted(t)}" for label, t in targets.items() if len(t) > 1]
    by_entry: dict[str, set[str]] = {}
    for label, t in targets.items():
        for target in t:
            by_entry.setdefault(target, set()).add(label)
    problems += [f"{target} is cited as {sorted(labels)}" for target, labels in by_entry.items() if len(labels) > 1]
    return problems


def test_the_site_check_fails_on_one_label_for_two_entries():
    page = ('<p><span class="bibtex-citation">[<a href="bibliography.html#id1">RFE/RL, 1999</a>; '
            '<a href="bibliography.html#id2">RFE/RL, 1999</a>]</span> and '
            '<span class="bibtex-citation">Karassayev <em>et al.</em> [<a href="bibliography.html#id3">2023</a>]</span></p>')
    targets = citation_targets({"notebooks/x.html": page})
    assert targets == {"RFE/RL, 1999": {"notebooks/bibliography.html#id1", "notebooks/bibliography.html#id2"},
                       "Karassayev et al., 2023": {"notebooks/bibliography.html#id3"}}
    assert label_problems(targets) == [
        "'RFE/RL, 1999' links to 2 entries: ['notebooks/bibliography.html#id1', 'notebooks/bibliography.html#id2']"]


@pytest.fixture(scope="module")
def site_targets() -> dict[str, set[str]]:
    if not (HTML / "index.html").is_file():
        pytest.fail("the book is not built: run 'bash tasks.sh build' first")
    pages = {p.relative_to(HTML).as_posix(): p.read_text(encoding="utf-8")
             for p in HTML.rglob("*.html") if "_static" not in p.parts and "_sources" not in p.parts}
    return citation_targets(pages)


@pytest.mark.build
def test_every_cite_label_in_the_book_leads_to_one_entry_and_back(site_targets):
    assert len(site_targets) > 100, f"only {len(site_targets)} citation labels found in the built book"
    problems = label_problems(site_targets)
    assert not problems, "citation labels in the built book are not one per entry:\n" + "\n".join(problems[:30])


@pytest.mark.build
def test_the_book_cites_with_the_labels_of_data_sources(site_targets):
    expected = {lab.parenthetical for lab in citation_labels().values()}
    strange = sorted(set(site_targets) - expected)
    assert not strange, f"{{cite}} labels in the built book that citation_labels does not make: {strange[:20]}"
    assert "AP RK 5-N/1/431" in site_targets and "SASKR 897/1/99a, sheet 48" in site_targets


@pytest.mark.build
def test_the_bibliography_lists_every_source_once():
    text = (HTML / "notebooks" / "bibliography.html").read_text(encoding="utf-8")
    ids = re.findall(r'<div class="citation" id="([^"]+)"', text)
    assert len(ids) == len(set(ids)) == len(sources()), f"{len(ids)} entries, {len(sources())} sources"
    assert "AP RK 5-N/1/431, sheet 18; As cited in Karassayev et al. (2023)." in text
