"""Say which sources stand behind a figure or a table."""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from .data import load_table, row_keys

__all__ = ["ARTICLE_VERSIONS", "BORDER_REFERENCE", "MAP_SOURCE", "SEED_ARTICLE", "article_family", "bibtex",
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


def short_citation(row) -> str:
    """'Author (year)' or 'Publisher (year)' for one row of the sources table."""
    who = row["author"] if pd.notna(row["author"]) else row["publisher"]
    if pd.isna(who):
        who = row["title"]
    if row["kind"] == "archival_file":
        return f"{row['archive']} f. {row['fund']}, s. {row['series']}, file {row['file']}"
    if pd.isna(row["author"]):  # an organisation or a site: its name as given, up to any parenthesis
        name = str(who).split(" (")[0].strip()
        year = str(row["published"])[:4] if pd.notna(row["published"]) else "n.d."
        return f"{name} ({year})"
    surnames = [part.split(",")[0].strip() for part in str(who).split(" and ")]
    name = surnames[0] + (" et al." if len(surnames) > 2 else f" and {surnames[1]}" if len(surnames) == 2 else "")
    year = str(row["published"])[:4] if pd.notna(row["published"]) else "n.d."
    return f"{name} ({year})"


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
    return short_citation(row), url


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
    parts = [f"{short_citation(sources.loc[i])} [{i}]" for i in ids]
    return "Sources: " + "; ".join(parts) + "."


def _bib_escape(text: str) -> str:
    for ch in "&%$#_":
        text = text.replace(ch, "\\" + ch)
    return text


def bibtex(folder=None) -> str:
    """references.bib, generated from data/sources.csv (one @misc entry per source, keyed by source_id)."""
    sources = load_table("sources", folder).sort_values("source_id", kind="stable")
    entries = []
    for row in sources.to_dict("records"):
        fields: dict[str, str] = {}
        author = row["author"] if pd.notna(row["author"]) else row["publisher"] if pd.notna(row["publisher"]) else None
        if pd.notna(row["author"]):
            fields["author"] = _bib_escape(author)
        elif author:
            fields["author"] = "{" + _bib_escape(author) + "}"
        fields["title"] = "{" + _bib_escape(row["title"]) + "}"
        if pd.notna(row["publisher"]):
            fields["howpublished"] = _bib_escape(row["publisher"])
        fields["year"] = str(row["published"])[:4] if pd.notna(row["published"]) else "n.d."
        if pd.notna(row["url"]):
            fields["url"] = row["url"]
        notes = []
        if row["kind"] == "archival_file":
            notes.append(f"{row['archive']}, f. {row['fund']}, s. {row['series']}, file {row['file']}, sheets {row['pages']}")
        if pd.notna(row["cited_in"]):
            citing = sources[sources["source_id"] == row["cited_in"]]  # by its citation, never by its key
            notes.append("As cited in " + (short_citation(citing.iloc[0]) if len(citing) else str(row["cited_in"])))
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
