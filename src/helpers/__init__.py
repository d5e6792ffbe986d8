"""Helpers for the book *Kazakhstan and Central Asia, 1991-2000*.

Small on purpose: load and validate tables, a few joins, one figure style, one map,
and source notes. The analysis lives in the notebooks.
"""

from .cite import article_family, bibtex, register_entries, short_citation, sources_note
from .data import (
    DATA_DIR,
    DataValidationError,
    Problem,
    data_dir,
    load_schema,
    load_table,
    partial_date_bounds,
    table_names,
    validate_package,
)
from .maps import CENTRAL_ASIA, load_countries, load_lakes, places_frame, region_map
from .plots import pair_counts, pairs_map, relationships_compared, timeline
from .queries import bilateral_events, events_in_period, events_with_links, period_of
from .style import DOMAIN_COLOURS, NEUTRAL, STATE_COLOURS, show_table, state_colour, use_book_style

__all__ = [
    "CENTRAL_ASIA", "DATA_DIR", "article_family", "bibtex", "register_entries", "DOMAIN_COLOURS", "DataValidationError", "NEUTRAL", "Problem",
    "STATE_COLOURS", "bilateral_events", "data_dir", "events_in_period", "events_with_links",
    "load_countries", "load_lakes", "load_schema", "load_table", "partial_date_bounds", "period_of",
    "places_frame", "region_map", "short_citation", "show_table", "sources_note", "state_colour", "table_names",
    "use_book_style", "validate_package", "pair_counts", "pairs_map", "relationships_compared", "timeline",
]
