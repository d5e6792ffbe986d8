"""The interactive chronology explorer (notebooks/explorer.ipynb): one table of events, one Bokeh page.

``explorer_events`` gives one row per event with everything the page shows: the date as the
sources give it (with its precision), the parties and fields, the period, the place and the
sources with their addresses. ``filter_events`` is the same filter the page runs in the browser,
so a test can count what the page should show. ``explorer_html`` builds the page fragment: Bokeh's
JSON for the widgets, the timeline and the map, which the browser draws with the Bokeh library
served from the book's own ``_static`` folder (``scripts/vendor_bokeh.py`` copies it there); nothing
is fetched from elsewhere. Model ids are Bokeh's simple counters, so a fresh kernel writes the
same bytes every time.
"""

from __future__ import annotations

import html
import json
import re

import bokeh
import pandas as pd
from bokeh.embed import json_item
from bokeh.layouts import column, row
from bokeh.models import (
    CDSView, ColumnDataSource, CustomJS, Div, HoverTool, IndexFilter, Range1d, Select, TapTool,
)
from bokeh.plotting import figure

from .cite import short_citation
from .data import cached_on_data, load_table
from .maps import EXTENT, LAKE_COLOUR, load_countries, load_lakes
from .queries import CENTRAL_ASIA, events_with_links, period_of
from .style import DOMAIN_COLOURS, NEUTRAL, STATE_COLOURS

__all__ = ["ALL", "BOKEH_BUNDLE", "chapter_timeline_html", "explorer_events", "explorer_html", "filter_events", "date_label", "field_label", "FILTERS"]

#: The option that leaves a filter open.
ALL = "all"
#: The shared library file, relative to the book's root (one file: Bokeh core and widgets).
BOKEH_BUNDLE = "_static/vendor/bokeh-{version}.min.mjs"
#: The four filters of the page: column of ``explorer_events`` and how a row matches a choice.
FILTERS = {"partner": "parties", "field": "domains", "period": "period_id", "event_type": "event_type"}

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def date_label(date: str, precision: str, date_end=None) -> str:
    """A date as a reader says it, with how precisely it is known: '15 March 1991 (to the day)'."""
    parts = str(date).split("-")
    if precision == "day" and len(parts) == 3:
        text = f"{int(parts[2])} {MONTHS[int(parts[1]) - 1]} {parts[0]}"
    elif precision == "month" and len(parts) >= 2:
        text = f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    elif precision == "year":
        text = parts[0]
    else:
        raise ValueError(f"date_label(date={date!r}, precision={precision!r}): expected a date to the day, "
                         "month or year matching its precision")
    if isinstance(date_end, str) and date_end:
        year, month, day = date_end.split("-")
        text += f" to {int(day)} {MONTHS[int(month) - 1]} {year}"
    return f"{text} (to the {precision})" if precision != "year" else f"{text} (year only)"


def field_label(domain: str) -> str:
    """A field of cooperation as the page names it: 'environment_water' is 'environment and water'."""
    return domain.replace("_", " and " if domain == "environment_water" else " ")


@cached_on_data
def explorer_events(folder=None) -> pd.DataFrame:
    """Every event with the columns the explorer shows and filters on (one row per event, by date)."""
    events = events_with_links(folder)
    states = load_table("states", folder).set_index("iso3")["name_en"]
    places = load_table("places", folder).set_index("place_id")
    sources = load_table("sources", folder).set_index("source_id")
    links = load_table("event_sources", folder)
    periods = load_table("periods", folder).set_index("period_id")["title"]
    events["period_id"] = events["date"].map(lambda date: period_of(date, folder))
    events["period"] = events["period_id"].map(periods)
    events["date_text"] = [date_label(r.date, r.precision, r.date_end) for r in events.itertuples()]
    events["party_names"] = events["parties"].map(lambda p: ", ".join(states.get(c, c) for c in p.split("; ")))
    events["place"] = events["place_id"].map(places["name_en"])
    events["lon"] = events["place_id"].map(places["lon"]).astype(float)
    events["lat"] = events["place_id"].map(places["lat"]).astype(float)
    events["detail"] = [_detail(row, links[links["event_id"] == row.event_id], sources) for row in events.itertuples()]
    events["source_names"] = events["sources"].map(
        lambda ids: "; ".join(short_citation(sources.loc[i], sources) for i in ids.split("; ")))
    return events


def _detail(row, links: pd.DataFrame, sources: pd.DataFrame) -> str:
    """The click panel for one event: escaped text, links only to the sources' own addresses."""
    esc = html.escape
    items = []
    for link in links.sort_values("source_id").itertuples():
        src = sources.loc[link.source_id]
        name = f"{src['title']}" if isinstance(src["title"], str) else link.source_id
        where = f", {link.locator}" if isinstance(link.locator, str) and link.locator else ""
        url = src["url"] if isinstance(src["url"], str) and src["url"].startswith(("http://", "https://")) else ""
        label = f"<a href=\"{esc(url, quote=True)}\" rel=\"noopener\">{esc(name)}</a>" if url else esc(name)
        items.append(f"<li>{label}{esc(where)}</li>")
    fields = ", ".join(field_label(d) for d in row.domains.split("; "))
    place = f" · {esc(row.place)}" if isinstance(row.place, str) else ""
    return (f"<p><strong>{esc(row.date_text)}</strong>{place}</p><p><strong>{esc(row.title)}</strong></p>"
            f"<p>{esc(row.summary)}</p><p>Parties: {esc(row.party_names)}. Fields: {esc(fields)}. "
            f"Type: {esc(row.event_type.replace('_', ' '))}. Period: {esc(row.period)}.</p>"
            f"<p>Sources:</p><ul>{''.join(items)}</ul>")


def filter_events(events: pd.DataFrame, partner: str = ALL, field: str = ALL, period: str = ALL,
                  event_type: str = ALL) -> pd.DataFrame:
    """The events the page shows for these choices: a state that took part, a field, a period, a type.

    ``ALL`` leaves a filter open. This is the rule the page's JavaScript applies.
    """
    keep = pd.Series(True, index=events.index)
    for name, value in (("partner", partner), ("field", field), ("period", period), ("event_type", event_type)):
        if value == ALL:
            continue
        column = events[FILTERS[name]]
        if name in ("partner", "field"):
            keep &= column.str.split("; ").map(lambda items, v=value: v in items)
        else:
            keep &= column == value
    return events[keep]


def _options(events: pd.DataFrame, folder=None) -> dict[str, list[tuple[str, str]]]:
    states = load_table("states", folder).set_index("iso3")["name_en"]
    periods = load_table("periods", folder).sort_values("order")
    present = set("; ".join(events["parties"]).split("; "))
    partners = [c for c in CENTRAL_ASIA if c in present] + sorted(present - set(CENTRAL_ASIA), key=states.get)
    fields = [d for d in DOMAIN_COLOURS if d in set("; ".join(events["domains"]).split("; "))]
    types = sorted(events["event_type"].unique())
    return {
        "partner": [(ALL, "any state")] + [(c, states[c]) for c in partners],
        "field": [(ALL, "any field")] + [(d, field_label(d)) for d in fields],
        "period": [(ALL, "1990-2002, all periods")] + [(r.period_id, f"{r.title} ({r.start[:4]}-{r.end[:4]})")
                                                      for r in periods.itertuples()],
        "event_type": [(ALL, "any type")] + [(t, t.replace("_", " ")) for t in types],
    }


def _outlines(folder=None, tolerance: float = 0.08):
    """Country and lake outlines as Bokeh multi-polygon coordinates, simplified to keep the page light."""
    def rings(geometry):
        polys = list(geometry.geoms) if geometry.geom_type == "MultiPolygon" else [geometry]
        xs = [[[round(x, 2) for x in p.exterior.xy[0]]] for p in polys]
        ys = [[[round(y, 2) for y in p.exterior.xy[1]]] for p in polys]
        return xs, ys

    countries = load_countries(folder)
    countries["geometry"] = countries.geometry.simplify(tolerance, preserve_topology=True)
    lakes = load_lakes(folder)
    lakes = lakes[lakes["area_km2"] > 2000].copy()
    lakes["geometry"] = lakes.geometry.simplify(tolerance, preserve_topology=True)
    country = {"xs": [], "ys": [], "colour": [], "alpha": []}
    for row in countries.sort_values("adm0_a3").itertuples():
        xs, ys = rings(row.geometry)
        country["xs"].append(xs)
        country["ys"].append(ys)
        country["colour"].append(STATE_COLOURS.get(row.adm0_a3, NEUTRAL))
        country["alpha"].append(0.45 if row.adm0_a3 in STATE_COLOURS else 0.3)
    lake = {"xs": [], "ys": []}
    for row in lakes.sort_values("area_km2", ascending=False).itertuples():
        xs, ys = rings(row.geometry)
        lake["xs"].append(xs)
        lake["ys"].append(ys)
    return country, lake


def _event_columns(events: pd.DataFrame) -> dict[str, list]:
    """The columns of the Bokeh data source for a frame of :func:`explorer_events` rows, in its order."""
    first_field = events["domains"].str.split("; ").str[0]
    return {
        "event_id": list(events["event_id"]),
        "start": [t.value // 10**6 for t in events["start"]],
        "end": [(t + pd.Timedelta(days=1)).value // 10**6 for t in events["end"]],
        "date_text": list(events["date_text"]),
        "title": list(events["title"]),
        "party_names": list(events["party_names"]),
        "parties": list(events["parties"]),
        "domains": list(events["domains"]),
        "period_id": list(events["period_id"]),
        "event_type": list(events["event_type"]),
        "source_names": list(events["source_names"]),
        "colour": [DOMAIN_COLOURS[f] for f in first_field],
        "place_id": [p if isinstance(p, str) else "" for p in events["place_id"]],
        "detail": list(events["detail"]),
        "y": list(range(len(events), 0, -1)),
    }


def _timeline_plot(source, shown, rows: int, span: tuple[str, str], height: int):
    """One row per event from its first to its last possible day; hover names it, a click selects it."""

    x_range = Range1d(pd.Timestamp(span[0]).value // 10**6, pd.Timestamp(span[1]).value // 10**6)
    timeline = figure(x_axis_type="datetime", height=height, sizing_mode="stretch_width", x_range=x_range,
                      y_range=Range1d(0, rows + 1), tools="xpan,xwheel_zoom,reset", toolbar_location="above",
                      x_axis_label="date (a bar spans the month or year of a less precise date)",
                      y_axis_label="events in date order")
    timeline.toolbar.logo = None
    timeline.yaxis.visible = False
    timeline.ygrid.visible = False
    bars = timeline.quad(left="start", right="end", bottom="y", top="y", source=source, view=CDSView(filter=shown),
                         line_color="colour", line_width=6, line_alpha=0.5)
    dots = timeline.scatter(x="start", y="y", source=source, view=CDSView(filter=shown), size=8, color="colour",
                            line_color="black", line_width=0.5, nonselection_alpha=0.35, selection_line_width=2)
    timeline.add_tools(HoverTool(renderers=[dots, bars], tooltips=[
        ("date", "@date_text"), ("event", "@title"), ("parties", "@party_names"), ("sources", "@source_names")]))
    timeline.add_tools(TapTool(renderers=[dots]))
    return timeline


def _show_detail_on_click(source, details) -> None:

    source.selected.js_on_change("indices", CustomJS(args=dict(source=source, details=details), code="""
const i = source.selected.indices;
if (i.length) details.text = source.data.detail[i[0]];
"""))


def _embed(layout, root_id: str, item_id: str, library: str) -> str:
    """A Bokeh layout as a page fragment: its JSON, and the calls that draw it with the book's own copy of Bokeh."""

    item = json_item(layout, target=root_id)
    # (key order kept as Bokeh wrote it: its decoder needs each model defined where it first appears)
    payload = json.dumps(item, separators=(",", ":"), ensure_ascii=False).replace("</", "<\\/")
    return (f"<div id=\"{root_id}\"></div>"
            f"<script src=\"{library}\"></script>"
            f"<script type=\"application/json\" id=\"{item_id}\">{payload}</script>"
            "<script>(function () { if (typeof Bokeh === 'undefined') { return; } "
            f"Bokeh.embed.embed_item(JSON.parse(document.getElementById('{item_id}').textContent), '{root_id}'); "
            "})();</script>")


def _library(static_prefix: str) -> str:

    return static_prefix + BOKEH_BUNDLE.format(version=bokeh.__version__)


def _bokeh_layout(events: pd.DataFrame, folder=None):

    full = _event_columns(events)
    source = ColumnDataSource(data=full, name="explorer-events")
    shown = IndexFilter(indices=list(range(len(events))))
    places = events.dropna(subset=["lat"]).groupby("place_id").agg(
        name=("place", "first"), lon=("lon", "first"), lat=("lat", "first"), n=("event_id", "size")).reset_index()
    place_data = {"place_id": list(places["place_id"]), "name": list(places["name"]),
                  "lon": list(places["lon"]), "lat": list(places["lat"]), "n": [int(n) for n in places["n"]]}
    place_data["size"] = [6 + 2.2 * n ** 0.5 for n in place_data["n"]]
    all_places = dict(place_data)
    shown_places = ColumnDataSource(data=dict(place_data), name="explorer-places")

    options = _options(events, folder)
    labels = {"partner": "State taking part", "field": "Field of cooperation", "period": "Period",
              "event_type": "Type of event"}
    selects = {key: Select(title=labels[key], value=ALL, options=opts, css_classes=[f"explorer-{key}"],
                           sizing_mode="stretch_width", min_width=150) for key, opts in options.items()}

    timeline = _timeline_plot(source, shown, len(events), ("1990-01-01", "2003-01-01"), height=520)

    x0, x1, y0, y1 = EXTENT
    country, lake = _outlines(folder)
    geo = figure(height=360, sizing_mode="stretch_width", x_range=Range1d(x0, x1), y_range=Range1d(y0, y1),
                 tools="pan,wheel_zoom,reset", toolbar_location="above", match_aspect=True,
                 x_axis_label="longitude (degrees east)", y_axis_label="latitude (degrees north)")
    geo.toolbar.logo = None
    geo.grid.visible = False
    geo.multi_polygons(xs="xs", ys="ys", source=ColumnDataSource(country), fill_color="colour", fill_alpha="alpha",
                       line_color="white", line_width=0.8)
    geo.multi_polygons(xs="xs", ys="ys", source=ColumnDataSource(lake), fill_color=LAKE_COLOUR, line_color="#7FB3D5",
                       line_width=0.5)
    spots = geo.scatter(x="lon", y="lat", size="size", source=shown_places, fill_color="black", fill_alpha=0.55,
                        line_color="white")
    geo.add_tools(HoverTool(renderers=[spots], tooltips=[("place", "@name"), ("events shown", "@n")]))

    details = Div(text="<p>Click or tap an event on the timeline to see its date, parties and sources here.</p>",
                  css_classes=["explorer-details"], sizing_mode="stretch_width")
    code = """
const want = {};
for (const [k, s] of Object.entries(selects)) want[k] = s.value;
const full = source.data;
const keep = [];
const counts = {};
let unplaced = 0;
for (let i = 0; i < full.event_id.length; i++) {
  if (want.partner !== ALL && !full.parties[i].split('; ').includes(want.partner)) continue;
  if (want.field !== ALL && !full.domains[i].split('; ').includes(want.field)) continue;
  if (want.period !== ALL && full.period_id[i] !== want.period) continue;
  if (want.event_type !== ALL && full.event_type[i] !== want.event_type) continue;
  keep.push(i);
  const p = full.place_id[i];
  if (p && all_places.place_id.includes(p)) counts[p] = (counts[p] || 0) + 1; else unplaced += 1;
}
const n = keep.length;
const y = new Array(full.event_id.length).fill(0);
keep.forEach((i, j) => { y[i] = n - j; });
source.selected.indices = [];
source.data = Object.assign({}, full, {y: y});
shown.indices = keep;
timeline_y.end = Math.max(n, 1) + 1;
const places = {place_id: [], name: [], lon: [], lat: [], n: [], size: []};
for (let j = 0; j < all_places.place_id.length; j++) {
  const k = counts[all_places.place_id[j]];
  if (!k) continue;
  for (const c of ['place_id', 'name', 'lon', 'lat']) places[c].push(all_places[c][j]);
  places.n.push(k);
  places.size.push(6 + 2.2 * Math.sqrt(k));
}
shown_places.data = places;
details.text = '<p>Click or tap an event on the timeline to see its date, parties and sources here.</p>';
const count = document.getElementById('explorer-count');
if (count) count.textContent = n + (n === 1 ? ' event shown' : ' events shown')
  + (unplaced ? ' (' + unplaced + ' without a place on the map)' : '');
"""
    refilter = CustomJS(args=dict(selects=selects, source=source, shown=shown, shown_places=shown_places,
                                  all_places=all_places, details=details, timeline_y=timeline.y_range, ALL=ALL),
                        code=code)
    for select in selects.values():
        select.js_on_change("value", refilter)
    _show_detail_on_click(source, details)
    # the four menus share a line on a wide screen and wrap two by two on a phone
    controls = row(*selects.values(), sizing_mode="stretch_width", css_classes=["explorer-controls"],
                   styles={"flex-wrap": "wrap", "gap": "4px 12px"})
    return column(controls, timeline, details, geo, sizing_mode="stretch_width")


def explorer_html(events: pd.DataFrame, folder=None, static_prefix: str = "../") -> str:
    """The page fragment: a count line, the Bokeh document as JSON, and the calls that draw it.

    The library is loaded from ``static_prefix + BOKEH_BUNDLE``, a file of the book itself.
    """
    layout = _bokeh_layout(events, folder)
    unplaced = int(events["lat"].isna().sum())
    count = f"{len(events)} events shown" + (f" ({unplaced} without a place on the map)" if unplaced else "")
    return ("<div class=\"explorer\">"
            f"<p id=\"explorer-count\" class=\"explorer-count\" aria-live=\"polite\">{count}</p>"
            + _embed(layout, "explorer-root", "explorer-item", _library(static_prefix))
            + "<noscript><p>The explorer needs JavaScript; the static figure below shows the same events.</p></noscript>"
            "</div>")


#: A chapter view's key: lower-case letters, digits and hyphens (it becomes part of the page's element ids).
_VIEW_KEY = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def chapter_timeline_html(event_ids, key: str, folder=None, static_prefix: str = "../") -> str:
    """A small interactive timeline of one chapter's events, for the chapter's page.

    Hovering over an event shows its date (with its precision), title, parties and sources; a click
    shows its summary and links to its sources below the timeline. ``event_ids`` are rows of
    data/events.csv; ``key`` names the view in the page's element ids (one view per key and page).
    The static figure stays in the chapter for print and for readers without JavaScript.
    """

    if isinstance(event_ids, str):
        raise TypeError("chapter_timeline_html(event_ids=...): expected a list of event ids, got a single string")
    if not isinstance(key, str) or not _VIEW_KEY.match(key):
        raise ValueError(f"chapter_timeline_html(key={key!r}): expected lower-case letters, digits and hyphens")
    wanted = list(dict.fromkeys(event_ids))
    if not wanted:
        raise ValueError("chapter_timeline_html(event_ids=...): expected at least one event id")
    events = explorer_events(folder)
    unknown = sorted(set(wanted) - set(events["event_id"]))
    if unknown:
        raise KeyError(f"chapter_timeline_html(event_ids=...): not in data/events.csv: {', '.join(unknown)}")
    events = events[events["event_id"].isin(wanted)].reset_index(drop=True)
    source = ColumnDataSource(data=_event_columns(events), name=f"{key}-events")
    margin = pd.Timedelta(days=45)
    span = (f"{events['start'].min() - margin:%Y-%m-%d}", f"{events['end'].max() + margin:%Y-%m-%d}")
    timeline = _timeline_plot(source, IndexFilter(indices=list(range(len(events)))), len(events), span,
                              height=min(max(120 + 16 * len(events), 260), 720))
    details = Div(text="<p>Click or tap an event to see its summary and its sources here.</p>",
                  css_classes=["explorer-details"], sizing_mode="stretch_width")
    _show_detail_on_click(source, details)
    layout = column(timeline, details, sizing_mode="stretch_width")
    return (f"<div class=\"explorer chapter-timeline\">"
            f"<p class=\"explorer-count\">{len(events)} events: hover over one for its date, parties and sources; "
            "drag or use the wheel tool to move along the years.</p>"
            + _embed(layout, f"{key}-timeline", f"{key}-timeline-item", _library(static_prefix))
            + "<noscript><p>This view needs JavaScript; the figure above shows the same events.</p></noscript></div>")
