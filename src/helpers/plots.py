"""The few figures several chapters share: an honest timeline and a who-met-whom map."""

from __future__ import annotations

import math
import textwrap

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .data import load_table
from .legibility import CONTENT_WIDTH_PX, rc_points, text_pt
from .maps import region_map
from .queries import CENTRAL_ASIA, pair_counts, shared_events_by_year
from .style import DOMAIN_COLOURS

__all__ = ["timeline", "pair_counts", "pairs_map", "relationships_compared"]  # pair_counts: re-exported from queries

MIN_BAR_DAYS = 6  # so that a single day stays visible on a decade-long axis


def _first_domain(domains: str) -> str:
    order = list(DOMAIN_COLOURS)
    return min(domains.split("; "), key=order.index)


def _wrapped(title: str, width: int) -> str:
    """``title`` on as few lines of at most ``width`` characters as it needs, the lines as even as they can be."""
    lines = textwrap.wrap(title, width, break_long_words=False, break_on_hyphens=False)
    for even in range(math.ceil(len(title) / len(lines)), width):  # the same number of lines, each shorter
        tried = textwrap.wrap(title, even, break_long_words=False, break_on_hyphens=False)
        if len(tried) == len(lines):
            return "\n".join(tried)
    return "\n".join(lines)


def timeline(events: pd.DataFrame, ax=None, label_width: int = 48, span=None):
    """One row per event from its first to its last possible day, coloured by its first field.

    A date known to the day is drawn as a short tick with a dot, a date known only to the
    month or the year as a bar across that month or year, so imprecise dates are not
    shown as exact points. ``events`` is a frame from :func:`helpers.events_with_links`.
    ``span`` (two ISO dates) fixes the time axis, so that several timelines can be compared.

    Every title is written out in full: one longer than ``label_width`` characters wraps onto
    further lines, and its row is as tall as its lines. Without ``ax`` the figure is as wide as the
    book's content column (so it is shown at its own size), as tall as its rows, laid out with
    constrained layout, and the legend sits below the axis; with ``ax`` the legend sits beside the
    axes, the figure grows taller if the axes cannot hold the rows, and the caller lays the figure
    out. Text sizes come from :func:`helpers.legibility.text_pt`; the time axis is labelled every
    year, or every second or fifth year on a long span.
    """
    needed = {"start", "end", "precision", "domains", "title"}
    missing = needed - set(events.columns)
    if missing:
        raise ValueError(f"timeline(events=...): expected a frame from events_with_links(); missing columns {sorted(missing)}")
    if events.empty:
        raise ValueError("timeline(events=...): expected at least one event")
    if label_width < 10:
        raise ValueError(f"timeline(label_width={label_width!r}): expected at least 10 characters a line")
    events = events.sort_values(["start", "event_id"], kind="stable").reset_index(drop=True)
    labels = [_wrapped(t, label_width) for t in events["title"]]
    lines = [label.count("\n") + 1 for label in labels]
    own_figure = ax is None
    if own_figure:
        width = CONTENT_WIDTH_PX / plt.rcParams["figure.dpi"] - 2 * plt.rcParams["savefig.pad_inches"]
        size = text_pt(width)
    else:
        size = text_pt(ax.figure)
    # rows in inches: each title's lines plus a gap, so that wrapped titles never touch their neighbours
    line_in = size * 1.2 / 72
    heights = [n * line_in + 0.08 for n in lines]
    bottoms = np.cumsum([0.0] + heights[:-1])
    centres = bottoms + np.array(heights) / 2
    total = float(sum(heights))
    if own_figure:
        legend_rows = math.ceil((len({_first_domain(d) for d in events["domains"]}) + 2) / 3)
        height = total + 0.75 + legend_rows * line_in * 1.25 + 0.3
        _, ax = plt.subplots(figsize=(width, height), layout="constrained")
    else:  # the caller's axes: make its figure taller if the axes cannot hold every row at full size
        share = ax.get_position().height
        ax.figure.set_figheight(max(ax.figure.get_figheight(), total / share))
    bar = min(0.16, 0.7 * line_in)
    for y, row in zip(centres, events.itertuples()):
        colour = DOMAIN_COLOURS[_first_domain(row.domains)]
        days = max((row.end - row.start).days + 1, MIN_BAR_DAYS)
        ax.barh(y, days, left=row.start, height=bar, color=colour, alpha=0.9 if row.precision == "day" else 0.45)
        if row.precision == "day":
            ax.plot(row.start, y, "o", color=colour, markersize=3.5)
    ax.set_yticks(centres, labels, fontsize=size)
    ax.tick_params(axis="y", length=0)
    ax.set_ylim(total, 0)
    if span is not None:
        if len(span) != 2:
            raise ValueError(f"timeline(span={span!r}): expected two ISO dates, first and last")
        ax.set_xlim(pd.Timestamp(span[0]), pd.Timestamp(span[1]))
        years = (pd.Timestamp(span[1]) - pd.Timestamp(span[0])).days / 365.25
    else:
        years = (events["end"].max() - events["start"].min()).days / 365.25
    # a label every year on a short span, every second or fifth on a long one, so that none overlaps the next
    ax.xaxis.set_major_locator(mdates.YearLocator(1 if years <= 8 else 2 if years <= 16 else 5))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.tick_params(axis="x", labelsize=max(size, rc_points("xtick.labelsize")))
    ax.set_xlabel("date (bars: the span a month- or\nyear-precise date could mean)",
                  fontsize=max(size, rc_points("axes.labelsize")))
    used = sorted({_first_domain(d) for d in events["domains"]}, key=list(DOMAIN_COLOURS).index)
    handles = [Patch(color=DOMAIN_COLOURS[d], label=d.replace("_", " ")) for d in used]
    handles += [Line2D([], [], marker="o", linestyle="", color="grey", label="known to the day"),
                Patch(color="grey", alpha=0.45, label="known to month or year")]
    if own_figure:
        ax.figure.legend(handles=handles, fontsize=size, loc="outside lower center", ncols=3)
    else:
        ax.legend(handles=handles, fontsize=size, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return ax


def pairs_map(events: pd.DataFrame, ax=None, folder=None, fontsize: float | None = None):
    """The region map with a line between the capitals of every pair of the five that met or signed.

    Line width grows with the number of shared events (a legend gives three widths); the number on
    each line is that count, set in a box on the line at the first of a few points along it that is
    clear of the other boxes; capital, state and river labels then avoid the boxes. ``fontsize``:
    the map's text size, as for :func:`helpers.region_map` (``MAP_FONT_PT`` by default).
    """
    from .maps import MAP_FONT_PT, label_placer

    counts = pair_counts(events, folder=folder)
    ax = region_map(ax=ax, folder=folder, **({} if fontsize is None else {"fontsize": fontsize}))
    size = MAP_FONT_PT if fontsize is None else fontsize
    placer = label_placer(ax)
    states = load_table("states", folder).set_index("iso3")
    places = load_table("places", folder).set_index("place_id")
    coord = {c: (places.loc[states.loc[c, "capital_place_id"], "lon"], places.loc[states.loc[c, "capital_place_id"], "lat"])
             for c in CENTRAL_ASIA}
    most = max(int(counts["events"].max()), 1) if len(counts) else 1

    def width(n: int) -> float:
        return 0.8 + 5.0 * n / most

    boxes = []
    for row in counts.itertuples():
        (x0, y0), (x1, y1) = coord[row.a], coord[row.b]
        ax.plot([x0, x1], [y0, y1], color="#333333", linewidth=width(row.events), alpha=0.6, zorder=4)
        along = [{"xy": (x0 + f * (x1 - x0), y0 + f * (y1 - y0))} for f in (0.5, 0.4, 0.6, 0.3, 0.7, 0.25, 0.75)]
        along += [{"xy": along[0]["xy"], "xytext": (0, dy)} for dy in (10, -10, 16, -16)]  # beside a short line
        box = ax.annotate(str(row.events), along[0]["xy"], xytext=(0, 0), textcoords="offset points", fontsize=size,
                          ha="center", va="center",
                          bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85}, zorder=6)
        boxes.append((box, along))
    # the boxes are placed first, so that the map's own labels (added by region_map) move out of their way
    placer.items[:0] = [(box, along, True) for box, along in boxes]
    if len(counts):
        shown = sorted({1, most, max(1, round(most / 2))})
        handles = [Line2D([], [], color="#333333", alpha=0.6, linewidth=width(n), label=str(n)) for n in shown]
        legend = ax.legend(handles=handles, title="shared events", loc="upper left", fontsize=size,
                           title_fontsize=size, frameon=True, framealpha=0.9, handlelength=2.5)
        legend.set_zorder(8)
        placer.add_obstacle(legend)
    return ax


def relationships_compared(ax=None, partners=("UZB", "KGZ", "TJK", "TKM"), start=1991, end=2002, folder=None):
    """The four relationships side by side: cumulative events Kazakhstan shared with each partner.

    One step line per partner in its book colour, counting every event in which both
    Kazakhstan and the partner took part (multilateral events included), by the first
    possible day of its date. Returns the Axes and the yearly table it plots.
    """
    from .style import STATE_COLOURS

    unknown = [p for p in partners if p not in STATE_COLOURS or p == "KAZ"]
    if unknown:
        raise ValueError(f"relationships_compared(partners=...): expected partners among UZB, KGZ, TJK, TKM, got {unknown}")
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4))
    table = shared_events_by_year(partners, start, end, folder)
    states = load_table("states", folder).set_index("iso3")
    for partner in partners:
        ax.step(list(table.index), table[partner], where="post", color=STATE_COLOURS[partner], linewidth=2,
                label=f"Kazakhstan and {states.loc[partner, 'name_en']}")
    ax.set_xlabel("year")
    ax.set_ylabel("events shared with Kazakhstan, cumulative")
    ax.set_xticks(list(table.index))
    ax.tick_params(axis="x", rotation=90)
    ax.legend(fontsize=text_pt(ax.figure), loc="upper left")
    return ax, table
