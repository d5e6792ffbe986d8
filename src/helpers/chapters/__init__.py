"""Chapter modules: what a family of chapters computes, written once.

Layering: ``helpers.data`` (tables) -> ``helpers.queries`` and ``helpers.cite`` (joins) ->
``helpers.chapters`` (one function per chapter family) -> ``helpers.plots`` (figures).
A chapter notebook keeps its prose and short calls such as::

    from helpers.chapters import period_chapter
    chapter = period_chapter("union")
"""

from .bilateral import BilateralChapter, bilateral_chapter
from .common import cited_in_chapter, chapter_sources, glue_numbers, ids_in, number, table_or_note
from .period import PeriodChapter, domain_shares_by_period, partner_events_by_period, period_chapter

__all__ = [
    "BilateralChapter", "PeriodChapter", "bilateral_chapter", "chapter_sources", "cited_in_chapter",
    "domain_shares_by_period", "glue_numbers", "ids_in", "number", "partner_events_by_period", "period_chapter", "table_or_note",
]
