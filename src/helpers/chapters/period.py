"""The period chapters: one function returns everything a period chapter shows."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..cite import register_entries
from ..data import load_table
from ..queries import CENTRAL_ASIA, events_in_period, pair_counts
from .common import chapter_sources, ids_in

__all__ = ["PeriodChapter", "domain_shares_by_period", "partner_events_by_period", "period_chapter"]

#: The chronology's columns (helpers.show_table gives them the headers readers see).
CHRONOLOGY_COLUMNS = ["date", "precision", "event_type", "title", "parties", "n_sources", "n_other_sources"]


def _period_ids(folder=None) -> list[str]:
    return list(load_table("periods", folder).sort_values("order", kind="stable")["period_id"])


def _events_by_period(folder=None) -> pd.DataFrame:
    return pd.concat([events_in_period(p, folder)[["event_id"]].assign(period=p) for p in _period_ids(folder)],
                     ignore_index=True)


def domain_shares_by_period(folder=None) -> pd.DataFrame:
    """Share of each period's events in each field (an event may count in several), one column per period."""
    periods = _period_ids(folder)
    by_period = _events_by_period(folder)
    counts = (by_period.merge(load_table("event_domains", folder), on="event_id")
              .pivot_table(index="domain", columns="period", values="event_id", aggfunc="count", fill_value=0)
              .reindex(columns=periods, fill_value=0))
    shares = (counts / by_period.groupby("period").size().reindex(periods)).round(2)
    return shares.reset_index()


def partner_events_by_period(folder=None) -> pd.DataFrame:
    """How many events of each period each of Kazakhstan's four partners took part in."""
    periods = _period_ids(folder)
    parties = load_table("event_parties", folder)
    partners = [c for c in CENTRAL_ASIA if c != "KAZ"]
    table = (_events_by_period(folder).merge(parties[parties["state_iso3"].isin(partners)], on="event_id")
             .pivot_table(index="state_iso3", columns="period", values="event_id", aggfunc="count", fill_value=0)
             .reindex(index=partners, columns=periods, fill_value=0))
    return table.reset_index().rename(columns={"state_iso3": "partner"})


@dataclass(frozen=True)
class PeriodChapter:
    """One period: its row in data/periods.csv, its events and the register entries about them."""

    period_id: str
    order: int
    title: str
    start: str
    end: str
    events: pd.DataFrame
    conflicts: pd.DataFrame
    folder: object = None

    @property
    def notebook(self) -> str:
        """The chapter notebook's name, by the book's convention ``period_<order>_<period_id>``."""
        return f"period_{self.order}_{self.period_id}"

    def summary(self) -> str:
        return f"{self.title}: {self.start} to {self.end}, {len(self.events)} events"

    def numbers(self) -> dict[str, int]:
        """The counts the prose quotes, by glue name."""
        return {
            "n_period_events": len(self.events),
            "n_corroborated": int((self.events["n_other_sources"] > 0).sum()),
            "n_day_precision": int((self.events["precision"] == "day").sum()),
        }

    def chronology(self) -> pd.DataFrame:
        """One row per event: date, precision, type, title, parties and how many sources (and other sources)."""
        return self.events[CHRONOLOGY_COLUMNS]

    def pairs(self) -> pd.DataFrame:
        """Events shared by each pair of the five states in this period."""
        return pair_counts(self.events, folder=self.folder)

    def register(self) -> pd.DataFrame:
        """The register entries about this period's events (helpers.show_table links each to its entry)."""
        return self.conflicts[["conflict_id", "subjects", "attribute", "claims", "assessment"]]

    def source_ids(self) -> set[str]:
        """The sources of every event and register claim the chapter shows."""
        return ids_in(self.events["sources"]) | ids_in(self.conflicts["sources"])

    def sources(self):
        """The chapter's source list (a :class:`SourceList`): cited in its prose or behind a row it shows."""
        return chapter_sources(self.notebook, self.source_ids())


def period_chapter(period_id: str, folder=None) -> PeriodChapter:
    """Everything a period chapter shows, for one ``period_id`` of data/periods.csv."""
    periods = load_table("periods", folder).set_index("period_id")
    if not isinstance(period_id, str) or period_id not in periods.index:
        raise KeyError(f"period_chapter(period_id={period_id!r}): expected one of {', '.join(periods.index)}")
    row = periods.loc[period_id]
    events = events_in_period(period_id, folder)
    return PeriodChapter(period_id=period_id, order=int(row["order"]), title=row["title"], start=row["start"],
                         end=row["end"], events=events, conflicts=register_entries("events", events, folder),
                         folder=folder)
