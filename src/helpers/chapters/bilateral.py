"""The bilateral chapters: Kazakhstan and one partner, everything such a chapter shows."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from ..cite import BORDER_REFERENCE, SEED_ARTICLE, article_family, register_entries
from ..data import load_table, table_names
from ..queries import bilateral_events, shared_events_by_year
from .common import chapter_sources, ids_in, number

__all__ = ["BilateralChapter", "bilateral_chapter", "PARTNERS"]

#: Kazakhstan's four partners, each with a chapter ``bilateral_<code in lower case>``.
PARTNERS = ("UZB", "KGZ", "TJK", "TKM")
#: Titles that mark a basic political treaty (friendship, foundations of relations, and the like).
BASIC_TREATY = r"[Ff]riend|foundations|basic relations|further development of cooperation"
#: Event types that are signed documents.
SIGNED = ["treaty", "agreement", "declaration", "joint_statement", "programme", "accession",
          "border_agreement", "water_agreement"]
ORDINAL = {1: "first", 2: "second", 3: "third", 4: "fourth"}
#: The time axis all four bilateral timelines share, so that they can be compared.
TIMELINE_SPAN = ("1991-01-01", "2003-01-01")
REGISTER_COLUMNS = ["conflict_id", "subjects", "attribute", "claims", "assessment"]
EVENT_COLUMNS = ["date", "event_type", "title", "parties", "sources"]


def _yes_no(flags: pd.Series) -> pd.Series:
    return flags.map({True: "yes", False: "no"})


@dataclass
class BilateralChapter:
    """Kazakhstan and ``partner``: shared events, signed documents, border, people, culture and the register."""

    partner: str
    folder: object = None
    span: tuple = TIMELINE_SPAN

    # ---- the events --------------------------------------------------------------------------
    @cached_property
    def partner_name(self) -> str:
        return load_table("states", self.folder).set_index("iso3").loc[self.partner, "name_en"]

    @property
    def notebook(self) -> str:
        return f"bilateral_{self.partner.lower()}"

    @cached_property
    def events(self) -> pd.DataFrame:
        """Every event both states took part in."""
        return bilateral_events("KAZ", self.partner, folder=self.folder)

    @cached_property
    def events_alone(self) -> pd.DataFrame:
        """Events of the two states and no third."""
        return bilateral_events("KAZ", self.partner, only_these_two=True, folder=self.folder)

    def _alone(self, frame: pd.DataFrame) -> pd.Series:
        return frame["event_id"].isin(self.events_alone["event_id"])

    def summary(self) -> str:
        return (f"Kazakhstan and {self.partner_name}: {len(self.events)} shared events, "
                f"{len(self.events_alone)} of them of the two alone")

    def company_table(self) -> pd.DataFrame:
        """Events by type, of the two alone or with other states."""
        company = self._alone(self.events).map({True: "the two alone", False: "with other states"})
        return (self.events.assign(company=company)
                .pivot_table(index="event_type", columns="company", values="event_id", aggfunc="count", fill_value=0)
                .reindex(columns=["the two alone", "with other states"], fill_value=0).reset_index())

    # ---- diplomatic relations and the treaty ladder ------------------------------------------
    def stated_dates(self) -> pd.DataFrame:
        """Each source's date for the establishment of diplomatic relations, with its register entry."""
        diplomatic = self.events[self.events["event_type"] == "diplomatic_relations"]
        stated = (load_table("event_sources", self.folder).merge(diplomatic[["event_id", "start", "title"]], on="event_id")
                  .drop_duplicates(["event_id", "source_id", "stated_date"])
                  .sort_values(["start", "stated_date", "source_id"], na_position="last"))
        dates = register_entries("events", diplomatic, self.folder)
        dates = dates[dates["attribute"] == "date"]
        links = load_table("conflict_subjects", self.folder)
        by_event = (links[links["conflict_id"].isin(dates["conflict_id"]) & (links["subject_table"] == "events")]
                    .groupby("subject_key")["conflict_id"].agg("; ".join))
        stated["register entry"] = stated["event_id"].map(by_event).fillna("")
        return stated[["title", "source_id", "stated_date", "locator", "register entry"]]

    @cached_property
    def ladder(self) -> pd.DataFrame:
        """The basic political treaties and declarations, in date order."""
        events = self.events
        return events[events["event_type"].isin(["treaty", "agreement", "declaration"])
                      & events["title"].str.contains(BASIC_TREATY)][["event_id", "date", "event_type", "title", "parties", "sources"]]

    def ladder_table(self) -> pd.DataFrame:
        return self.ladder[EVENT_COLUMNS]

    @cached_property
    def documents(self) -> pd.DataFrame:
        """Signed documents other than the basic treaties, with whether the two signed alone."""
        events = self.events
        docs = events[events["event_type"].isin(SIGNED) & ~events["event_id"].isin(self.ladder["event_id"])]
        return docs.assign(alone=self._alone(docs))

    def documents_by_field(self) -> pd.DataFrame:
        by_field = self.documents.assign(domain=self.documents["domains"].str.split("; ")).explode("domain")
        table = by_field.groupby("domain").agg(**{
            "the two alone": ("alone", "sum"),
            "with other states": ("alone", lambda alone: int((~alone).sum())),
        })
        table["documents of the two alone"] = (by_field[by_field["alone"]].assign(item=lambda f: f["date"] + " " + f["title"])
                                               .groupby("domain")["item"].agg("; ".join))
        return table.fillna("").reset_index()

    # ---- economy -----------------------------------------------------------------------------
    @cached_property
    def economic(self) -> pd.DataFrame:
        return self.events[self.events["domains"].str.contains("economic")]

    def economic_alone(self) -> pd.DataFrame:
        economic = self.economic
        return economic[self._alone(economic)][["date", "event_type", "title", "domains", "sources"]]

    @staticmethod
    def trade_tables(folder=None) -> list[str]:
        """Tables of the book about trade (none yet: the chapters say so)."""
        return [name for name in table_names(folder) if "trade" in name]

    # ---- the border --------------------------------------------------------------------------
    @cached_property
    def border(self) -> pd.DataFrame:
        lengths = load_table("border_lengths", self.folder)
        return (lengths[(lengths["state_a"] == "KAZ") & (lengths["state_b"] == self.partner)]
                .sort_values(["length_km", "source_id"]))

    def border_table(self) -> pd.DataFrame:
        return self.border.assign(length_km=self.border["length_km"].map(number))[
            ["state_a", "state_b", "length_km", "source_id", "locator", "note"]]

    @cached_property
    def border_events(self) -> pd.DataFrame:
        events = self.events[self.events["domains"].str.contains("borders")]
        return events.assign(alone=_yes_no(self._alone(events)))

    @cached_property
    def border_register(self) -> pd.DataFrame:
        """Register entries about the border: the pair's border lengths and its border events."""
        entries = [register_entries("border_lengths", self.border, self.folder),
                   register_entries("events", self.border_events, self.folder)]
        return (pd.concat(entries).drop_duplicates("conflict_id").sort_values("conflict_id", kind="stable")
                .reset_index(drop=True))

    def border_events_table(self) -> pd.DataFrame:
        return self.border_events[["date", "event_type", "title", "parties", "alone"]]

    def border_register_table(self) -> pd.DataFrame:
        return self.border_register[REGISTER_COLUMNS]

    # ---- people --------------------------------------------------------------------------------
    @cached_property
    def diaspora(self) -> pd.DataFrame:
        table = load_table("diaspora", self.folder)
        return table[table["state_iso3"] == self.partner]

    @cached_property
    def repatriation(self) -> pd.DataFrame:
        table = load_table("repatriation", self.folder)
        return table[table["from_state_iso3"] == self.partner]

    def article_figures(self, topics) -> pd.DataFrame:
        table = load_table("article_figures", self.folder)
        return table[(table["state_iso3"] == self.partner) & table["topic"].isin(list(topics))]

    def people(self) -> pd.DataFrame:
        """Diaspora, repatriation and the article's migration figures for the partner, in one table."""
        in_partner, moved, quoted = self.diaspora, self.repatriation, self.article_figures(["migration", "diaspora"])
        span = moved["year_from"].astype("string").where(
            moved["year_from"] == moved["year_to"],
            moved["year_from"].astype("string") + "–" + moved["year_to"].astype("string"))
        return pd.concat([
            pd.DataFrame({"table": "diaspora", "year": in_partner["year"].astype("string"),
                          "what": "ethnic Kazakhs living in " + self.partner_name + " (" + in_partner["estimate_kind"] + ")",
                          "value": in_partner["ethnic_kazakhs"].map(number), "unit": "persons",
                          "source_id": in_partner["source_id"], "note": in_partner["note"]}),
            pd.DataFrame({"table": "repatriation", "year": span,
                          "what": "Kazakhs who moved from " + self.partner_name + " to Kazakhstan",
                          "value": moved["persons"].map(number), "unit": "persons",
                          "source_id": moved["source_id"], "note": moved["locator"]}),
            pd.DataFrame({"table": "article_figures", "year": quoted["year"].astype("string"), "what": quoted["quantity"],
                          "value": quoted["value"].map(number), "unit": quoted["unit"],
                          "source_id": quoted["source_id"], "note": quoted["note"]}),
        ]).sort_values(["table", "year", "source_id"], na_position="last", kind="stable")

    @cached_property
    def diaspora_register(self) -> pd.DataFrame:
        return register_entries("diaspora", self.diaspora, self.folder)

    def diaspora_register_table(self) -> pd.DataFrame:
        return self.diaspora_register[REGISTER_COLUMNS]

    # ---- culture and education -------------------------------------------------------------
    @cached_property
    def cultural(self) -> pd.DataFrame:
        return self.events[self.events["domains"].str.contains("cultural")]

    @cached_property
    def education(self) -> pd.DataFrame:
        return self.article_figures(["education", "culture"])

    def cultural_table(self) -> pd.DataFrame:
        return self.cultural[EVENT_COLUMNS]

    def education_table(self) -> pd.DataFrame:
        return self.education[["year", "quantity", "value", "unit", "source_id", "note"]]

    def quoted_figure(self, figure_id: str) -> str:
        """The value of one row of data/article_figures.csv, as prose shows it ('none' if there is no such row)."""
        table = load_table("article_figures", self.folder)
        match = table.loc[table["figure_id"] == figure_id, "value"]
        return number(match.iloc[0]) if len(match) else "none"

    # ---- where the article stands ------------------------------------------------------------
    @cached_property
    def versus(self) -> pd.DataFrame:
        """Register entries about the pair's events: what the article says against what the others say."""
        entries = register_entries("events", self.events, self.folder)
        claims = load_table("conflict_claims", self.folder)
        claims = claims[claims["conflict_id"].isin(entries["conflict_id"])]
        by_article = claims["source_id"].isin(article_family(self.folder))
        article_says = claims[by_article].groupby("conflict_id")["value"].agg(" | ".join)
        others_say = (claims[~by_article].assign(claim=claims["source_id"] + ": " + claims["value"])
                      .groupby("conflict_id")["claim"].agg(" | ".join))
        links = load_table("conflict_subjects", self.folder)
        alone_ids = set(self.events_alone["event_id"])
        about_alone = links[(links["subject_table"] == "events") & links["subject_key"].isin(sorted(alone_ids))]["conflict_id"]
        return entries.assign(
            alone=_yes_no(entries["conflict_id"].isin(about_alone)),
            article=entries["conflict_id"].map(article_says).fillna(""),
            others=entries["conflict_id"].map(others_say).fillna(""),
        ).sort_values(["subjects", "conflict_id"], kind="stable")

    def article_claims(self) -> pd.DataFrame:
        versus = self.versus
        return versus.loc[versus["article"] != "", ["subjects", "attribute", "alone", "article", "others", "assessment"]]

    # ---- numbers for the prose ---------------------------------------------------------------
    def numbers(self) -> dict[str, object]:
        """Every number the chapter's prose quotes, by glue name."""
        family = article_family(self.folder)
        source_sets = self.events["sources"].str.split("; ").map(set)
        docs, economic = self.documents, self.economic
        border, in_partner, moved = self.border, self.diaspora, self.repatriation
        by_article = border.loc[border["source_id"] == SEED_ARTICLE, "length_km"]
        by_reference = border.loc[border["source_id"] == BORDER_REFERENCE, "length_km"]
        others = in_partner[in_partner["source_id"] != SEED_ARTICLE].sort_values("year", na_position="last")
        moved_1990s = moved[(moved["year_from"] == 1991) & (moved["year_to"] == 2000)]
        moved_1991 = moved[(moved["year_from"] == 1991) & (moved["year_to"] == 1991)]
        article_diaspora = in_partner.loc[in_partner["source_id"] == SEED_ARTICLE, "ethnic_kazakhs"]
        code = self.partner.lower()
        versus = self.versus
        compared = shared_events_by_year(folder=self.folder)
        totals = compared.loc[2002].sort_values(ascending=False)
        names = load_table("states", self.folder).set_index("iso3")["name_en"]
        return {
            "n_pair": len(self.events),
            "n_pair_only": len(self.events_alone),
            "n_with_others": len(self.events) - len(self.events_alone),
            "n_in_article": int(source_sets.map(lambda ids: bool(ids & family)).sum()),
            "n_rests_on_article": int(source_sets.map(lambda ids: ids <= family).sum()),
            "n_ladder": len(self.ladder),
            "n_docs_alone": int(docs["alone"].sum()),
            "n_docs_with_others": int((~docs["alone"]).sum()),
            "n_econ": len(economic),
            "n_econ_alone": int(self._alone(economic).sum()),
            "n_econ_with_others": int((~self._alone(economic)).sum()),
            "border_min": number(border["length_km"].min()),
            "border_max": number(border["length_km"].max()),
            "border_n": len(border),
            "border_article": number(by_article.iloc[0]) if len(by_article) else "no figure",
            "border_cia": number(by_reference.iloc[0]) if len(by_reference) else "no figure",
            "dias_article": number(article_diaspora.iloc[0]) if len(article_diaspora) else "no figure",
            "dias_others": "; ".join(f"{number(row.ethnic_kazakhs)} ({row.year if pd.notna(row.year) else 'year not given'})"
                                     for row in others.itertuples()),
            "repat_total": number(moved_1990s["persons"].iloc[0]) if len(moved_1990s) else "no figure",
            "repat_1991": number(moved_1991["persons"].iloc[0]) if len(moved_1991) else "no figure",
            "imm1997_share": self.quoted_figure(f"imm1997-{code}"),
            "n_cultural": len(self.cultural),
            "n_cultural_alone": int(self._alone(self.cultural).sum()),
            "edu_titles": self.quoted_figure(f"{code}-textbooks-titles-1998"),
            "edu_cost": self.quoted_figure(f"{code}-textbooks-cost-1998"),
            "edu_unclear": self.quoted_figure(f"{code}-sent-1998-unclear" if self.partner == "UZB" else f"{code}-textbooks-copies-1998"),
            "karakalpak": self.quoted_figure(f"{code}-karakalpak-students-admitted"),
            "n_pair_conflicts": len(versus),
            "n_article_claims": int((versus["article"] != "").sum()),
            "n_article_claims_alone": int(((versus["article"] != "") & (versus["alone"] == "yes")).sum()),
            "compared_2002": int(compared.loc[2002, self.partner]),
            "compared_rank": ORDINAL[int(totals.index.get_loc(self.partner)) + 1],
            "compared_2002_all": ", ".join(f"{names[p]} {int(n)}" for p, n in totals.items()),
            "compared_1993_all": ", ".join(f"{names[p]} {int(n)}"
                                           for p, n in compared.loc[1993].sort_values(ascending=False).items()),
        }

    # ---- sources -------------------------------------------------------------------------------
    def source_ids(self) -> set[str]:
        """Sources of every row the chapter shows: events, border lengths, people, education and register claims."""
        ids = ids_in(self.events["sources"]) | set(self.border["source_id"]) | set(self.education["source_id"])
        ids |= set(self.diaspora["source_id"]) | set(self.repatriation["source_id"])
        ids |= set(self.article_figures(["migration", "diaspora"])["source_id"])
        for entries in (self.versus, self.border_register, self.diaspora_register):
            ids |= ids_in(entries["sources"])
        return ids

    def sources(self):
        """The chapter's source list (a :class:`SourceList`)."""
        return chapter_sources(self.notebook, self.source_ids())


def bilateral_chapter(partner: str, folder=None) -> BilateralChapter:
    """Everything the chapter on Kazakhstan and ``partner`` (UZB, KGZ, TJK or TKM) shows."""
    if partner not in PARTNERS:
        raise ValueError(f"bilateral_chapter(partner={partner!r}): expected one of {', '.join(PARTNERS)}")
    return BilateralChapter(partner=partner, folder=folder)
