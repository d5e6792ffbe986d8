"""Say which sources stand behind a figure or a table."""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterable, Mapping
from typing import NamedTuple

import pandas as pd

from .data import data_dir, load_table, row_keys

__all__ = ["ARTICLE_VERSIONS", "BORDER_REFERENCE", "MAP_SOURCE", "SEED_ARTICLE", "article_family", "bibtex",
           "CitationLabel", "citation_label", "citation_labels", "label_collisions",
           "REGISTER_PAGE", "SOURCE_CLASSES", "mix_sentence", "register_anchor", "register_entries", "register_link",
           "short_citation", "source_link", "source_mix", "sources_note"]

#: The seed article the book starts from (its row in data/sources.csv).
SEED_ARTICLE = "karassayev2023"
#: The seed article and its earlier published version: one argument, not two independent sources.
ARTICLE_VERSIONS = (SEED_ARTICLE, "karassayev2021")
#: The Natural Earth boundaries every map draws (data/map/PROVENANCE.md).
MAP_SOURCE = "naturalearth-admin0-5.1.1"
#: The book's reference figures for the length of each border (CIA World Factbook 2005).
BORDER_REFERENCE = "web-h4-cia2005-kaz"


#: The parts of a citation label: ``name`` ("RFE/RL", "AP RK 5-N/1/431", "Wikipedia, “Tashkent”")
#: and ``date`` ("1999", "1999-02-04", "n.d.", "1997-06-27a"; None for archival files, which are
#: cited by their file alone).
class CitationLabel(NamedTuple):
    name: str
    date: str | None

    @property
    def textual(self) -> str:
        """'Name (date)', as in tables and {cite:t}: 'RFE/RL (1999-02-04)', 'AP RK 5-N/1/431'."""
        return self.name if self.date is None else f"{self.name} ({self.date})"

    @property
    def parenthetical(self) -> str:
        """'Name, date', as inside the brackets of {cite:p}: 'RFE/RL, 1999-02-04', 'AP RK 5-N/1/431'."""
        return self.name if self.date is None else f"{self.name}, {self.date}"


def _present(value) -> bool:
    return value is not None and not (isinstance(value, float) and pd.isna(value)) and value is not pd.NA \
        and str(value).strip() != ""


def _base_label(row: dict) -> tuple[CitationLabel, bool]:
    """The label before any disambiguation, and whether its name came from the title."""
    if row["kind"] == "archival_file":
        return CitationLabel(f"{row['archive']} {row['fund']}/{row['series']}/{row['file']}", None), False
    year = str(row["published"])[:4] if _present(row["published"]) else "n.d."
    if _present(row["author"]):
        surnames = [part.split(",")[0].strip() for part in str(row["author"]).split(" and ")]
        name = surnames[0] + (" et al." if len(surnames) > 2 else f" and {surnames[1]}" if len(surnames) == 2 else "")
        return CitationLabel(name, year), False
    if _present(row["publisher"]):  # an organisation or a site: its name as given, up to any parenthesis
        return CitationLabel(str(row["publisher"]).split(" (")[0].strip(), year), False
    return CitationLabel(str(row["title"]).split(" (")[0].strip(), year), True


def _short_title(title: str, others: Iterable[str]) -> str:
    """The title, or its first words (at least four) when that tells it from ``others``, quoted."""
    words = str(title).split()
    others = {o.casefold() for o in others if o.casefold() != str(title).casefold()}
    if len(words) <= 6:
        return f"“{' '.join(words)}”"
    for n in range(4, len(words)):
        prefix = " ".join(words[:n]).casefold()
        if not any(" ".join(o.split()[:n]) == prefix for o in others):
            while n < len(words) - 1 and words[n - 1].casefold() in _FUNCTION_WORDS:
                n += 1  # never end on 'of', 'the', 'on'...
            return f"“{' '.join(words[:n]).rstrip(',:;.')}…”" if n < len(words) else f"“{' '.join(words)}”"
    return f"“{' '.join(words)}”"


# words a shortened title does not end on
_FUNCTION_WORDS = frozenset("a an and at between by for from in into of on or the to with ... - –".split())


def _letter(i: int) -> str:
    return "abcdefghijklmnopqrstuvwxyz"[i] if i < 26 else _letter(i // 26 - 1) + _letter(i % 26)


def label_collisions(labels: Mapping[str, object]) -> dict[str, list[str]]:
    """The labels that more than one source would carry, each with those sources' ids (sorted).

    >>> label_collisions({"a": "RFE/RL (1999)", "b": "RFE/RL (1999)", "c": "Pannier (2000)"})
    {'RFE/RL (1999)': ['a', 'b']}
    """
    holders: dict[str, list[str]] = {}
    for source_id, label in labels.items():
        holders.setdefault(str(label), []).append(source_id)
    return {label: sorted(ids) for label, ids in holders.items() if len(ids) > 1}


def _compute_labels(rows: list[dict]) -> dict[str, CitationLabel]:
    base = {r["source_id"]: _base_label(r) for r in rows}
    labels = {i: label for i, (label, _) in base.items()}
    by_id = {r["source_id"]: r for r in rows}

    def collisions():
        return [ids for ids in label_collisions({i: tuple(lab) for i, lab in labels.items()}).values()]

    # 1. The same name and year: archival files of one file add their sheets; other sources give
    #    their full date when data/sources.csv has it (month or day).
    for ids in collisions():
        for i in ids:
            row, (name, date) = by_id[i], labels[i]
            if row["kind"] == "archival_file":
                if _present(row["pages"]):
                    pages = str(row["pages"])
                    sheets = "sheets" if any(c in pages for c in "-–,") else "sheet"
                    labels[i] = CitationLabel(f"{name}, {sheets} {pages}", date)
            elif _present(row["published"]) and len(str(row["published"])) > 4:
                labels[i] = CitationLabel(name, str(row["published"]))
    # 2. Still the same: the title, as short as tells them apart (unless the name is the title already).
    for ids in collisions():
        titles = [str(by_id[i]["title"]) for i in ids]
        if len({t.casefold() for t in titles}) < 2:
            continue
        for i in ids:
            if not base[i][1]:
                name, date = labels[i]
                labels[i] = CitationLabel(f"{name}, {_short_title(by_id[i]['title'], titles)}", date)
    # 3. Still the same: the publisher's full name, when it tells them apart ('Wikipedia (German)').
    for ids in collisions():
        publishers = [by_id[i]["publisher"] for i in ids]
        if any(_present(by_id[i]["author"]) or not _present(by_id[i]["publisher"]) for i in ids) \
                or len({str(p).casefold() for p in publishers}) < len(ids):
            continue
        for i in ids:
            name, date = labels[i]
            short = base[i][0].name
            labels[i] = CitationLabel(str(by_id[i]["publisher"]) + name[len(short):], date)
    # 4. Still the same (the same text recorded twice): a, b, c after the date, in source_id order.
    for ids in collisions():
        for n, i in enumerate(sorted(ids)):
            name, date = labels[i]
            if date is None:
                labels[i] = CitationLabel(f"{name} ({_letter(n)})", None)
            else:
                labels[i] = CitationLabel(name, f"{date}-{_letter(n)}" if date == "n.d." else date + _letter(n))
    left = label_collisions({i: lab.textual for i, lab in labels.items()}) | label_collisions(
        {i: lab.parenthetical for i, lab in labels.items()})
    if left:
        raise ValueError("citation labels not unique: " + "; ".join(f"{k}: {', '.join(v)}" for k, v in left.items()))
    return labels


_LABEL_COLUMNS = ("kind", "title", "author", "publisher", "published", "archive", "fund", "series", "file", "pages")
# labels of the frames already seen, by id(frame), with a weak reference to tell a reused id
_label_cache: dict[int, tuple[weakref.ref, dict[str, CitationLabel]]] = {}


def citation_labels(sources: pd.DataFrame | None = None, folder=None) -> dict[str, CitationLabel]:
    """Every source's citation label, unique across the sources table, by source_id.

    ``sources`` is data/sources.csv (indexed by source_id or with its column); by default the
    book's own, from ``folder``. The rule, from the table alone:

    - an archival file: archive, fund/series/file as the article cites them, ``AP RK 5-N/1/431``,
      with its sheets when another source cites the same file (``SASKR 897/1/99a, sheet 48``);
    - anything else: author surname(s) ('et al.' from three authors), else the publisher up to any
      parenthesis, else the title; and the year of ``published``, or 'n.d.';
    - sources that would share a label give their full date (``RFE/RL, 1999-02-04``) when
      ``published`` has one; those still alike add their title, shortened to the first words that
      tell them apart (``Wikipedia, “Tashkent”, n.d.``); those with the same title too name their
      publisher in full when that differs (``Wikipedia (German), “Daşoguz”, n.d.``), or else (one
      text recorded twice) take a, b, c after the date, in source_id order (``RFE/RL, 1997-06-27a``).

    ``references.bib`` carries the same labels, so the book's {cite} labels and its tables agree.
    """
    if sources is None:
        sources = _sources_table(folder)
    cached = _label_cache.get(id(sources))
    if cached is not None and cached[0]() is sources:
        return cached[1]
    frame = sources.reset_index() if "source_id" not in sources.columns else sources
    rows = frame[["source_id", *_LABEL_COLUMNS]].to_dict("records")
    labels = _compute_labels(rows)
    for key in [k for k, (ref, _) in _label_cache.items() if ref() is None]:
        del _label_cache[key]
    _label_cache[id(sources)] = (weakref.ref(sources), labels)
    return labels


# the sources table last loaded for labels, with the (path, mtime, size) of its file
_sources_cache: dict[str, object] = {}


def _sources_table(folder=None) -> pd.DataFrame:
    """data/sources.csv of ``folder``, loaded again only when the file has changed (labels are read per cell)."""
    path = (data_dir(folder) / "sources.csv").resolve()
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if _sources_cache.get("key") != key:
        _sources_cache.update(key=key, frame=load_table("sources", folder))
    return _sources_cache["frame"]


def _row_id(row) -> str:
    return str(row["source_id"]) if "source_id" in row.index else str(row.name)


def citation_label(row, sources: pd.DataFrame | None = None) -> CitationLabel:
    """The label of one row of the sources table, unique within ``sources`` (by default the book's own)."""
    source_id = _row_id(row)
    labels = citation_labels(sources)
    if source_id not in labels:  # a row from elsewhere: labelled among the book's sources
        table = sources if sources is not None else _sources_table()
        table = table.reset_index() if "source_id" not in table.columns else table
        extra = row.to_frame().T.assign(source_id=source_id)
        labels = _compute_labels(pd.concat([table, extra[table.columns.intersection(extra.columns)]],
                                           ignore_index=True)[["source_id", *_LABEL_COLUMNS]].to_dict("records"))
    return labels[source_id]


def short_citation(row, sources: pd.DataFrame | None = None) -> str:
    """A source's label as tables show it: 'Author (year)', 'Publisher (date)', 'AP RK 5-N/1/431'.

    ``row`` is one row of the sources table; ``sources`` the whole table it is unique in (by
    default data/sources.csv). See :func:`citation_labels` for the rule.
    """
    return citation_label(row, sources).textual


#: The conflict register's page, as chapters beside it in notebooks/ link to it.
REGISTER_PAGE = "conflict_register.html"
# a conflict id as data/datapackage.json allows it ('c-' and lower-case letters, digits and hyphens)
_CONFLICT_ID = re.compile(r"^c-[a-z0-9-]+$")


def register_anchor(conflict_id: str) -> str:
    """The HTML id of a register entry on the register page: ``register-`` and its conflict id.

    >>> register_anchor("c-h2-tripartite-date")
    'register-c-h2-tripartite-date'
    """
    if not isinstance(conflict_id, str) or not _CONFLICT_ID.match(conflict_id):
        raise ValueError(f"register_anchor(conflict_id={conflict_id!r}): expected a conflict id of data/conflicts.csv, "
                         "'c-' and lower-case letters, digits and hyphens, such as 'c-h2-tripartite-date'")
    return f"register-{conflict_id}"


def register_link(conflict_id: str, page: str = REGISTER_PAGE) -> str:
    """The address of a register entry, relative to a page in notebooks/ (``page=""`` on the register page itself).

    >>> register_link("c-h2-tripartite-date")
    'conflict_register.html#register-c-h2-tripartite-date'
    """
    return f"{page}#{register_anchor(conflict_id)}"


def source_link(source_id: str, sources: pd.DataFrame) -> tuple[str, str | None]:
    """A source's short citation and its address (None for sources without one, such as archival files).

    ``sources`` is data/sources.csv indexed by source_id.
    """
    if source_id not in sources.index:
        raise KeyError(f"source_link(source_id={source_id!r}): not in data/sources.csv")
    row = sources.loc[source_id]
    url = row["url"] if pd.notna(row["url"]) else None
    return citation_label(row, sources).textual, url


#: The kinds of evidence a source can be (data/sources.csv, column source_class), as readers read them.
SOURCE_CLASSES = {
    "official": "treaty or official texts",
    "press": "contemporary press",
    "scholarship": "scholarship",
    "reference": "reference works",
    "copy": "copies, mirrors or aggregators",
}


def source_mix(source_ids: Iterable[str], folder=None) -> pd.DataFrame:
    """How many of ``source_ids`` are of each kind of evidence, with their share (one row per class, in a fixed order)."""
    if isinstance(source_ids, str):
        raise TypeError("source_mix(source_ids=...): expected a list of source ids, got a single string")
    ids = sorted(set(source_ids))
    sources = load_table("sources", folder).set_index("source_id")
    unknown = [i for i in ids if i not in sources.index]
    if unknown:
        raise KeyError(f"source_mix(source_ids=...): not in data/sources.csv: {', '.join(unknown)}")
    counts = sources.loc[ids, "source_class"].value_counts().reindex(list(SOURCE_CLASSES), fill_value=0)
    total = max(len(ids), 1)
    return pd.DataFrame({"kind of source": [SOURCE_CLASSES[c] for c in counts.index],
                         "sources": counts.to_numpy(dtype=int),
                         "share": [f"{n / total:.0%}" for n in counts.to_numpy(dtype=int)]})


def mix_sentence(source_ids: Iterable[str], folder=None) -> str:
    """The mix of sources as one line of prose, for instance 'Kinds of source (40): 10 treaty or official texts (25%), ...'."""
    mix = source_mix(source_ids, folder)
    shown = mix[mix["sources"] > 0]
    parts = [f"{n} {kind} ({share})" for kind, n, share in zip(shown["kind of source"], shown["sources"], shown["share"])]
    return f"Kinds of source ({int(mix['sources'].sum())}): " + "; ".join(parts) + "."


def sources_note(source_ids: Iterable[str], folder=None) -> str:
    """A caption line naming every source behind a figure or table, with citation keys.

    >>> sources_note(["karassayev2023"])  # doctest: +SKIP
    'Sources: Karassayev et al. (2023) [karassayev2023].'
    """
    if isinstance(source_ids, str):
        raise TypeError("sources_note(source_ids=...): expected a list of source ids, got a single string")
    ids = sorted(set(source_ids))
    if not ids:
        raise ValueError("sources_note(source_ids=...): expected at least one source id")
    sources = load_table("sources", folder).set_index("source_id")
    unknown = [i for i in ids if i not in sources.index]
    if unknown:
        raise KeyError(f"sources_note(source_ids=...): not in data/sources.csv: {', '.join(unknown)}")
    parts = [f"{short_citation(sources.loc[i], sources)} [{i}]" for i in ids]
    return "Sources: " + "; ".join(parts) + "."


def _bib_escape(text: str) -> str:
    for ch in "&%$#_":
        text = text.replace(ch, "\\" + ch)
    return text


def bibtex(folder=None) -> str:
    """references.bib, generated from data/sources.csv (one @misc entry per source, keyed by source_id).

    Each entry carries its citation label (:func:`citation_labels`): ``shortauthor`` is the label's
    name and ``year`` its date (no year for archival files, which are cited by the file alone); the
    book's referencing style (``_ext/book_cite.py``) prints them, so a {cite} label is the label
    the book's tables show.
    """
    sources = load_table("sources", folder)
    labels = citation_labels(sources)
    entries = []
    for row in sources.sort_values("source_id", kind="stable").to_dict("records"):
        label = labels[row["source_id"]]
        fields: dict[str, str] = {}
        author = row["author"] if pd.notna(row["author"]) else row["publisher"] if pd.notna(row["publisher"]) else None
        if pd.notna(row["author"]):
            fields["author"] = _bib_escape(author)
        elif author:
            fields["author"] = "{" + _bib_escape(author) + "}"
        fields["shortauthor"] = "{" + _bib_escape(label.name) + "}"
        fields["title"] = "{" + _bib_escape(row["title"]) + "}"
        if pd.notna(row["publisher"]):
            fields["howpublished"] = _bib_escape(row["publisher"])
        if label.date is not None:
            fields["year"] = label.date
        if pd.notna(row["url"]):
            fields["url"] = row["url"]
        notes = []
        if row["kind"] == "archival_file":
            pages = str(row["pages"])
            sheets = "sheets" if any(c in pages for c in "-–,") else "sheet"
            notes.append(f"{row['archive']} {row['fund']}/{row['series']}/{row['file']}, {sheets} {pages}")
        if pd.notna(row["cited_in"]):
            cited_in = labels[row["cited_in"]].textual if row["cited_in"] in labels else row["cited_in"]
            notes.append(f"As cited in {cited_in}")
        if notes:
            fields["note"] = _bib_escape("; ".join(notes))
        body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields.items())
        entries.append(f"@misc{{{row['source_id']},\n{body}\n}}\n")
    header = "% Generated from data/sources.csv by scripts/make_bib.py; do not edit by hand.\n\n"
    return header + "\n".join(entries)


def article_family(folder=None) -> set[str]:
    """Source ids that are not independent of the seed article: the article, its earlier
    version, and the archival files and books the book knows only through it."""
    sources = load_table("sources", folder)
    through_article = sources["cited_in"].isin(list(ARTICLE_VERSIONS)).fillna(False)
    return set(ARTICLE_VERSIONS) | set(sources.loc[through_article, "source_id"])


def register_entries(table: str | None = None, rows=None, folder=None) -> pd.DataFrame:
    """Conflict-register entries, with the rows they are about and every source's claim on one line.

    ``table`` and ``rows`` select the entries about some rows of one table: ``rows`` is part
    of that table as :func:`helpers.load_table` returns it (any frame with its key columns,
    for example events from :func:`helpers.events_in_period`), or a list of its keys as text
    (see :func:`helpers.row_keys`). With neither, every entry is returned.

    Columns: conflict_id, attribute, description, assessment, ``subjects`` (each row as
    ``table: key``, '; '-joined), ``claims`` ('source: value', ' | '-joined) and
    ``sources`` (the ids of the claiming sources, '; '-joined).
    """
    conflicts = load_table("conflicts", folder)
    claims = load_table("conflict_claims", folder)
    links = load_table("conflict_subjects", folder)
    if rows is not None and table is None:
        raise TypeError("register_entries(rows=...): name the table the rows belong to with table=...")
    if table is not None:
        if table not in _table_names(folder):
            raise KeyError(f"register_entries(table={table!r}): expected one of {', '.join(_table_names(folder))}")
        if rows is None:
            keys = None
        elif isinstance(rows, pd.DataFrame):
            keys = set(row_keys(table, rows, folder))
        elif isinstance(rows, str):
            raise TypeError("register_entries(rows=...): expected a frame of rows or a list of keys, got a single string")
        else:
            keys = set(rows)
        chosen = links[links["subject_table"] == table]
        if keys is not None:
            chosen = chosen[chosen["subject_key"].isin(sorted(keys))]
        conflicts = conflicts[conflicts["conflict_id"].isin(chosen["conflict_id"])]
    joined = (claims.assign(claim=claims["source_id"] + ": " + claims["value"])
              .groupby("conflict_id")["claim"].agg(" | ".join))
    claim_sources = claims.groupby("conflict_id")["source_id"].agg(lambda s: "; ".join(sorted(set(s))))
    subjects = (links.assign(subject=links["subject_table"] + ": " + links["subject_key"])
                .groupby("conflict_id")["subject"].agg(lambda s: "; ".join(sorted(s))))
    return (conflicts.assign(subjects=conflicts["conflict_id"].map(subjects),
                             claims=conflicts["conflict_id"].map(joined),
                             sources=conflicts["conflict_id"].map(claim_sources))
            .sort_values("conflict_id", kind="stable").reset_index(drop=True))


def _table_names(folder=None) -> list[str]:
    from .data import table_names

    return table_names(folder)
