"""Helpers for the book *Kazakhstan and Central Asia, 1991-2000*.

Layers, each importing only those before it: ``data`` (load and validate tables),
``queries`` and ``cite`` (joins, the register, source notes), ``style`` and ``legibility``
(figure and table style; the check that every figure's text is legible at the size the book
shows it), ``chapters`` (what each family of chapters computes), then ``maps`` and ``plots``
(figures), and ``explore`` (the interactive chronology explorer).
"""

from .cite import (
    ARTICLE_VERSIONS, BORDER_REFERENCE, MAP_SOURCE, REGISTER_PAGE, SEED_ARTICLE, article_family, bibtex,
    CitationLabel, citation_label, citation_labels, label_collisions, register_anchor, register_entries, register_link, SOURCE_CLASSES, mix_sentence, short_citation, source_link,
    source_mix, sources_note,
)
from .data import (
    DATA_DIR,
    DataValidationError,
    Problem,
    data_dir,
    load_schema,
    load_table,
    partial_date_bounds,
    row_keys,
    table_names,
    tables_read,
    validate_package,
)
from .maps import CENTRAL_ASIA, load_countries, load_lakes, load_rivers, places_frame, region_map, size_legend
from .plots import pair_counts, pairs_map, relationships_compared, timeline
from .queries import bilateral_events, events_in_period, events_with_links, period_of, shared_events_by_year
from .style import DOMAIN_COLOURS, NEUTRAL, STATE_COLOURS, linked_text, row_label, show_table, state_colour, use_book_style

__all__ = [
    "ARTICLE_VERSIONS", "BORDER_REFERENCE", "REGISTER_PAGE", "register_anchor", "register_link", "source_link", "MAP_SOURCE", "SEED_ARTICLE", "row_keys", "shared_events_by_year",
    "CENTRAL_ASIA", "DATA_DIR", "article_family", "bibtex", "CitationLabel", "citation_label", "citation_labels",
    "label_collisions", "register_entries", "DOMAIN_COLOURS", "DataValidationError", "NEUTRAL", "Problem",
    "STATE_COLOURS", "bilateral_events", "data_dir", "events_in_period", "events_with_links",
    "load_countries", "load_lakes", "load_schema", "load_table", "partial_date_bounds", "period_of",
    "places_frame", "region_map", "linked_text", "row_label", "load_rivers", "size_legend", "SOURCE_CLASSES", "mix_sentence", "source_mix", "short_citation", "show_table", "sources_note", "state_colour", "table_names", "tables_read",
    "use_book_style", "validate_package", "pair_counts", "pairs_map", "relationships_compared", "timeline",
]
