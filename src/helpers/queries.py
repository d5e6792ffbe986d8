"""The few joins the chapters share: events with their links, by period, by pair of states."""

from __future__ import annotations

import itertools

import pandas as pd

from .cite import article_family
from .data import cached_on_data, load_table, partial_date_bounds

#: The five states of the book, in the order the book lists them.
CENTRAL_ASIA = ["KAZ", "UZB", "KGZ", "TJK", "TKM"]

__all__ = ["events_with_links", "events_in_period", "bilateral_events", "pair_counts", "period_of", "shared_events_by_year"]


def _joined(link: pd.DataFrame, column: str) -> pd.Series:
    """One '; '-joined, sorted string per event."""
    return link.groupby("event_id")[column].agg(lambda s: "; ".join(sorted(set(s))))


@cached_on_data
def events_with_links(folder=None) -> pd.DataFrame:
    """All events, sorted by date, with their parties, domains and sources as joined text.

    ``n_other_sources`` counts the sources independent of the seed article (not the article,
    its earlier version, or the archival files and books known only through it).
    Adds ``start`` and ``end`` (the first and last day the date can mean, so a date
    known only to the month spans that month) and ``year``.
    """
    events = load_table("events", folder)
    parties = load_table("event_parties", folder)
    domains = load_table("event_domains", folder)
    sources = load_table("event_sources", folder)
    bounds = events["date"].map(partial_date_bounds)
    events["start"] = pd.to_datetime([b[0] for b in bounds])
    events["end"] = pd.to_datetime([b[1] for b in bounds])
    has_end = events["date_end"].notna()
    events.loc[has_end, "end"] = pd.to_datetime(events.loc[has_end, "date_end"])
    events["year"] = events["start"].dt.year
    events = events.set_index("event_id")
    events["parties"] = _joined(parties, "state_iso3")
    events["domains"] = _joined(domains, "domain")
    events["sources"] = _joined(sources, "source_id")
    non_article = sources[~sources["source_id"].isin(article_family(folder))]
    events["n_sources"] = sources.groupby("event_id")["source_id"].nunique()
    events["n_other_sources"] = non_article.groupby("event_id")["source_id"].nunique().reindex(events.index).fillna(0).astype(int)
    return events.reset_index().sort_values(["start", "event_id"], kind="stable").reset_index(drop=True)


def period_of(date: str, folder=None) -> str:
    """The period_id whose span holds the first day of ``date`` (an ISO date to the day, month or year)."""
    start = partial_date_bounds(date)[0]
    periods = load_table("periods", folder)
    for row in periods.itertuples():
        if pd.Timestamp(row.start) <= start <= pd.Timestamp(row.end):
            return row.period_id
    raise ValueError(f"period_of(date={date!r}): no period in data/periods.csv covers this date")


def events_in_period(period_id: str, folder=None) -> pd.DataFrame:
    """Events whose first possible day falls within the period (see :func:`events_with_links`)."""
    periods = load_table("periods", folder).set_index("period_id")
    if period_id not in periods.index:
        raise KeyError(f"events_in_period(period_id={period_id!r}): expected one of {', '.join(periods.index)}")
    span = periods.loc[period_id]
    events = events_with_links(folder)
    inside = (events["start"] >= pd.Timestamp(span["start"])) & (events["start"] <= pd.Timestamp(span["end"]))
    return events[inside].reset_index(drop=True)


def bilateral_events(a: str, b: str, only_these_two: bool = False, folder=None) -> pd.DataFrame:
    """Events in which both states ``a`` and ``b`` (ISO alpha-3) took part.

    With ``only_these_two=True``, only the events of the pair alone (no third party).
    """
    states = set(load_table("states", folder)["iso3"])
    for arg, code in (("a", a), ("b", b)):
        if code not in states:
            raise ValueError(f"bilateral_events({arg}={code!r}): expected an ISO 3166 alpha-3 code in data/states.csv")
    if a == b:
        raise ValueError(f"bilateral_events(a={a!r}, b={b!r}): expected two different states")
    parties = load_table("event_parties", folder)
    by_event = parties.groupby("event_id")["state_iso3"].agg(frozenset)
    wanted = by_event[by_event.map(lambda s: {a, b} <= s and (not only_these_two or len(s) == 2))].index
    events = events_with_links(folder)
    return events[events["event_id"].isin(wanted)].reset_index(drop=True)


def pair_counts(events: pd.DataFrame, states=None, folder=None) -> pd.DataFrame:
    """How many of ``events`` each pair of ``states`` took part in together (one row per pair)."""
    states = list(CENTRAL_ASIA) if states is None else list(states)
    parties = load_table("event_parties", folder)
    parties = parties[parties["event_id"].isin(events["event_id"]) & parties["state_iso3"].isin(list(states))]
    rows = []
    for event_id, group in parties.groupby("event_id"):
        for a, b in itertools.combinations(sorted(group["state_iso3"]), 2):
            rows.append((a, b, event_id))
    pairs = pd.DataFrame(rows, columns=["a", "b", "event_id"])
    return (pairs.groupby(["a", "b"]).size().rename("events").reset_index()
            .sort_values(["events", "a", "b"], ascending=[False, True, True], kind="stable").reset_index(drop=True))


def shared_events_by_year(partners=("UZB", "KGZ", "TJK", "TKM"), start: int = 1991, end: int = 2002, folder=None) -> pd.DataFrame:
    """Cumulative count, year by year, of the events Kazakhstan shared with each partner.

    Counts every event in which both Kazakhstan and the partner took part (multilateral
    events included), by the first possible day of its date. One column per partner.
    """
    if isinstance(partners, str):
        raise TypeError("shared_events_by_year(partners=...): expected a list of ISO alpha-3 codes, got a single string")
    if not (isinstance(start, int) and isinstance(end, int) and start <= end):
        raise ValueError(f"shared_events_by_year(start={start!r}, end={end!r}): expected two years with start <= end")
    years = range(start, end + 1)
    table = pd.DataFrame(index=pd.Index(years, name="year"))
    for partner in partners:
        pair = bilateral_events("KAZ", partner, folder=folder)
        per_year = pair["year"].value_counts().reindex(years, fill_value=0).sort_index()
        table[partner] = per_year.cumsum().to_numpy()
    return table
