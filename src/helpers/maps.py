"""The region map: the five states, their neighbours, water (lakes, the Caspian, six rivers) and the capitals.

Boundaries, lakes and rivers come from data/map/ (Natural Earth, public domain; GSHHG/WDBII
rivers, LGPL; see data/map/PROVENANCE.md). Nothing is downloaded.

Labels never collide: every label is placed when the figure is drawn (so after a chapter has
zoomed, added its own layer or called ``tight_layout``), by :class:`LabelPlacer`, which tries a
short, fixed list of positions for each label in a fixed order and keeps the first one that stays
inside the axes and overlaps neither a label placed before it nor an obstacle (a capital's marker,
a count box, the scale bar, a legend, any label a chapter wrote itself). The result is deterministic.
Land is drawn below zorder 1, so a chapter's own layers (hatching, lines) lie on top of it.

Text is legible at the book's content width: :func:`helpers.legibility.min_font_pt` (re-exported here)
gives the smallest font size that is still ``MIN_CSS_PX`` CSS pixels tall when a figure of its width and
dpi is shown scaled to ``CONTENT_WIDTH_PX``; map text uses ``MAP_FONT_PT``, which is at least that for the
8-inch figures, and every figure is checked when it is shown (see :mod:`helpers.legibility`).

Speed, without changing any figure: geopandas is imported only when a map is drawn or read (a
chapter without a map does not pay for it); each GeoJSON layer is parsed once per kernel and
handed out as a copy (the cache is keyed by path, modification time and size, so an edited file
is read again); and ``region_map`` does not let geopandas redraw the whole figure after each
layer it adds (geopandas calls ``canvas.draw_idle()`` after every ``.plot``, which renders the
figure at once under the inline and Agg backends). The figure is still drawn once, when shown.
"""

from __future__ import annotations

import math
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
from matplotlib.artist import Artist
from matplotlib.colors import to_hex, to_rgb
from matplotlib.transforms import Bbox

from .data import data_dir, load_table
from .legibility import CONTENT_WIDTH_PX, MIN_CSS_PX, min_font_pt  # noqa: F401 (re-exported: maps.min_font_pt)
from .queries import CENTRAL_ASIA
from .style import NEUTRAL, STATE_COLOURS

__all__ = ["CENTRAL_ASIA", "LabelPlacer", "load_countries", "load_lakes", "load_rivers", "min_font_pt", "places_frame",
           "region_map", "scale_bar", "size_legend"]

#: Water: the axes background (so the Caspian, which Natural Earth's admin-0 layer leaves as a gap,
#: shows as sea), the lakes and the rivers.
WATER = "#9CCBEB"
WATER_EDGE = "#2F6D96"
RIVER_COLOUR = "#1F5F99"
LAKE_COLOUR = "#D6EAF8"  # the lake colour of the interactive explorer (helpers.explore); the static maps use WATER
#: Land outside the five states, and the base that the five states' tints are mixed into.
LAND = "#F5F0E1"
BORDER = "#555555"
STATE_TINT = 0.18  # share of the state's colour in its fill; its full colour is the band inside its border
EXTENT = (46.0, 90.0, 34.5, 56.0)  # lon min, lon max, lat min, lat max

#: Map text size in points: a map alone in an 8-inch, 100-dpi figure is saved about 704 px wide and shown 660 px
#: wide, where 9 pt is 11.7 CSS px (min_font_pt gives 8.45).
MAP_FONT_PT = 9.0

#: Where each state's name is written (lon, lat): inside the state, clear of its capital and of the rivers.
STATE_LABEL_AT = {"KAZ": (67.0, 48.6), "UZB": (63.2, 41.9), "TKM": (58.6, 39.4), "KGZ": (74.6, 41.45), "TJK": (71.6, 38.9)}
#: Neighbours named in grey.
NEIGHBOUR_LABEL_AT = {"RUS": (61.0, 54.6), "CHN": (84.5, 40.0), "IRN": (55.5, 35.3), "AFG": (65.5, 35.3)}
#: A point near which each river is labelled (the label's anchor is the nearest point on the river).
RIVER_LABEL_AT = {"Syr Darya": (64.5, 45.0), "Amu Darya": (62.5, 39.7), "Chu": (73.7, 43.9), "Talas": (70.5, 43.6),
                  "Ili": (76.0, 44.6), "Irtysh": (77.5, 52.6)}
#: Water bodies named on the map (label text, anchor lon, lat). The Aral outline is Natural Earth's recent one.
WATER_LABELS = [("Caspian\nSea", 50.6, 42.2), ("Aral Sea\n(today's outline)", 60.3, 45.6), ("Lake\nBalkhash", 76.6, 46.3)]
SCALE_KM = 500
SCALE_LAT = 40.0

if TYPE_CHECKING:
    import geopandas as gpd


def _tint(colour: str, share: float, base: str = LAND) -> str:
    """``share`` of ``colour`` mixed into ``base``, as an opaque colour (no alpha, so water never shows through)."""
    c, b = to_rgb(colour), to_rgb(base)
    return to_hex(tuple(share * x + (1 - share) * y for x, y in zip(c, b)))


@lru_cache(maxsize=8)
def _parsed_layer(path: str, mtime_ns: int, size: int) -> gpd.GeoDataFrame:
    import geopandas as gpd

    return gpd.read_file(path)


def read_layer(path: Path) -> gpd.GeoDataFrame:
    """A GeoJSON layer, parsed once per (path, modification time, size); each caller gets its own copy."""
    stat = Path(path).stat()
    return _parsed_layer(str(Path(path).resolve()), stat.st_mtime_ns, stat.st_size).copy()


def load_countries(folder=None) -> gpd.GeoDataFrame:
    """Country polygons clipped to the region (columns adm0_a3, iso_a3, name_en, name_ru)."""
    return read_layer(data_dir(folder) / "map" / "countries.geojson")


def load_lakes(folder=None) -> gpd.GeoDataFrame:
    """The region's large lakes (Aral Sea, Balkhash, Issyk-Kul and others), area in km2."""
    return read_layer(data_dir(folder) / "map" / "lakes.geojson")


def load_rivers(folder=None) -> gpd.GeoDataFrame:
    """Six main rivers (Syr Darya, Amu Darya, Chu, Talas, Ili, Irtysh), columns name and length_km."""
    return read_layer(data_dir(folder) / "map" / "rivers.geojson")


class LabelPlacer(Artist):
    """Places annotations at draw time so that none overlaps another or an obstacle.

    Each label has candidate positions, tried in order; the first that lies inside the axes and
    clear of everything placed before wins. A required label that finds no free position keeps its
    first candidate (and ``unplaced`` names it, so a test can fail); an optional one is hidden.
    Labels whose anchor lies outside the axes (a chapter zoomed in) are skipped.
    """

    zorder = -100  # drawn before the labels it moves

    def __init__(self):
        super().__init__()
        self.items: list[tuple] = []
        self.obstacles: list = []
        self.points: list[tuple[float, float, float]] = []
        self.unplaced: list[str] = []

    def add(self, annotation, candidates, required: bool = True):
        """``candidates``: dicts with keys xy (data), xytext (points), ha, va; any may be left out."""
        if not candidates:
            raise ValueError(f"LabelPlacer.add({annotation.get_text()!r}): expected at least one candidate position")
        self.items.append((annotation, list(candidates), required))
        return annotation

    def add_obstacle(self, artist):
        self.obstacles.append(artist)

    def add_point(self, lon: float, lat: float, radius_pt: float = 4.0):
        """A marker at (lon, lat) that no label may cover."""
        self.points.append((lon, lat, radius_pt))

    def draw(self, renderer):
        ax = self.axes
        frame = ax.get_window_extent(renderer)
        px = renderer.points_to_pixels(1.0)
        taken = [a.get_window_extent(renderer) for a in self.obstacles if a.get_visible() and a.axes is not None]
        mine = {id(item[0]) for item in self.items}
        for text in ax.texts:  # a chapter's own labels stay where the chapter put them; ours move out of their way
            if id(text) not in mine and text.get_visible() and text.get_text().strip():
                taken.append(text.get_window_extent(renderer))
        for lon, lat, r in self.points:
            x, y = ax.transData.transform((lon, lat))
            if frame.contains(x, y):
                taken.append(Bbox.from_extents(x - r * px, y - r * px, x + r * px, y + r * px))
        self.unplaced = []
        for annotation, candidates, required in self.items:
            annotation.set_visible(True)
            chosen = None
            for k, candidate in enumerate(candidates):
                self._apply(annotation, candidate)
                anchor = ax.transData.transform(annotation.xy)
                if k == 0 and not frame.contains(*anchor):
                    break
                box = annotation.get_window_extent(renderer).padded(1.5 * px)
                inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
                if inside and not any(box.overlaps(t) for t in taken):
                    chosen = box
                    break
            if chosen is None:
                anchor = ax.transData.transform(annotation.xy)
                if not frame.contains(*anchor):
                    annotation.set_visible(False)
                    continue
                if required:
                    self._apply(annotation, candidates[0])
                    self.unplaced.append(annotation.get_text())
                    chosen = annotation.get_window_extent(renderer)
                else:
                    annotation.set_visible(False)
                    continue
            taken.append(chosen)
        self.stale = False

    @staticmethod
    def _apply(annotation, candidate):
        if "xy" in candidate:
            annotation.xy = candidate["xy"]
        if "xytext" in candidate:
            annotation.xyann = candidate["xytext"]
        if "ha" in candidate:
            annotation.set_horizontalalignment(candidate["ha"])
        if "va" in candidate:
            annotation.set_verticalalignment(candidate["va"])


def label_placer(ax) -> LabelPlacer:
    """The axes' placer (one per axes, made on first use)."""
    for child in ax.get_children():
        if isinstance(child, LabelPlacer):
            return child
    placer = LabelPlacer()
    ax.add_artist(placer)
    return placer


def around(offset: float = 5.0, far: float = 11.0) -> list[dict]:
    """Candidate positions around a point marker: the four corners close, then above and below, then further out."""
    near = [(offset, offset * 0.6, "left", "bottom"), (offset, -offset * 0.6, "left", "top"),
            (-offset, offset * 0.6, "right", "bottom"), (-offset, -offset * 0.6, "right", "top"),
            (0, offset * 1.2, "center", "bottom"), (0, -offset * 1.2, "center", "top")]
    further = [(far, far, "left", "bottom"), (-far, far, "right", "bottom"), (far, -far, "left", "top"),
               (-far, -far, "right", "top"), (0, 2 * far, "center", "bottom"), (0, -2 * far, "center", "top"),
               (2 * far, 0, "left", "center"), (-2 * far, 0, "right", "center")]
    return [{"xytext": (dx, dy), "ha": ha, "va": va} for dx, dy, ha, va in near + further]


def nudges(step: float = 8.0) -> list[dict]:
    """Candidate positions for an area label: centred on its anchor, then shifted a little each way."""
    moves = [(0, 0), (0, step), (0, -step), (step * 2, 0), (-step * 2, 0), (0, 2 * step), (0, -2 * step),
             (step * 2, step), (-step * 2, -step), (step * 4, 0), (-step * 4, 0)]
    return [{"xytext": m, "ha": "center", "va": "center"} for m in moves]


def scale_bar(ax, km: int = SCALE_KM, lat: float = SCALE_LAT, loc: str = "lower right", fontsize: float = MAP_FONT_PT):
    """A bar ``km`` long along the parallel ``lat`` (the map's degrees of longitude shrink northwards)."""
    from matplotlib.font_manager import FontProperties
    from mpl_toolkits.axes_grid1.anchored_artists import AnchoredSizeBar

    degrees = km / (111.32 * math.cos(math.radians(lat)))
    bar = AnchoredSizeBar(ax.transData, degrees, f"{km} km (along {lat:g}° N)", loc, pad=0.4, borderpad=0.6, sep=4,
                          frameon=True, size_vertical=0.12, color="#222222",
                          fontproperties=FontProperties(size=fontsize))
    bar.patch.set(facecolor="white", edgecolor="#999999", alpha=0.9)
    bar.set_zorder(8)
    ax.add_artist(bar)
    label_placer(ax).add_obstacle(bar)
    return bar


def size_legend(ax, values, size_of, title: str, colour: str = "black", loc: str = "upper right",
                fontsize: float = MAP_FONT_PT, **scatter_kw):
    """A legend for circles whose area varies: one circle per value in ``values``, sized by ``size_of(value)``.

    ``size_of`` must be the function the chapter used for ``scatter(s=...)``; the legend is an obstacle for labels.
    """
    from matplotlib.lines import Line2D

    if not values:
        raise ValueError("size_legend(values=...): expected at least one value")
    handles = [Line2D([], [], linestyle="", marker="o", markersize=math.sqrt(size_of(v)), color=colour,
                      markeredgecolor=scatter_kw.get("edgecolor", colour), alpha=scatter_kw.get("alpha", 1.0),
                      label=str(v)) for v in values]
    legend = ax.legend(handles=handles, title=title, loc=loc, fontsize=fontsize, title_fontsize=fontsize,
                       frameon=True, framealpha=0.9, labelspacing=1.0, borderpad=0.8, handletextpad=1.0)
    legend.set_zorder(8)
    label_placer(ax).add_obstacle(legend)
    return legend


@contextmanager
def _one_draw_at_the_end(figure):
    """Skip the full redraw geopandas asks for after each layer; the figure is drawn when shown."""
    canvas = figure.canvas
    own = vars(canvas).get("draw_idle")
    canvas.draw_idle = lambda *args, **kwargs: None
    try:
        yield
    finally:
        if own is None:
            del canvas.draw_idle
        else:
            canvas.draw_idle = own


def places_frame(place_ids=None, folder=None) -> gpd.GeoDataFrame:
    """Places as points; all of them, or those in ``place_ids`` (each must exist)."""
    places = load_table("places", folder)
    if place_ids is not None:
        wanted = list(dict.fromkeys(place_ids))
        unknown = sorted(set(wanted) - set(places["place_id"]))
        if unknown:
            raise KeyError(f"places_frame(place_ids=...): not in data/places.csv: {', '.join(unknown)}")
        places = places[places["place_id"].isin(wanted)]
    import geopandas as gpd

    return gpd.GeoDataFrame(
        places.reset_index(drop=True),
        geometry=gpd.points_from_xy(places["lon"].astype(float), places["lat"].astype(float)),
        crs="EPSG:4326",
    )


def _ring_path(geometry):
    """A matplotlib Path of a (multi)polygon: every exterior and hole a closed ring."""
    import numpy as np
    from matplotlib.path import Path as MplPath

    polygons = getattr(geometry, "geoms", [geometry])
    rings = [ring for polygon in polygons for ring in (polygon.exterior, *polygon.interiors)]
    return MplPath.make_compound_path(*[MplPath(np.asarray(ring.coords)[:, :2], closed=True) for ring in rings])


def _halo(width: float = 2.5):
    import matplotlib.patheffects as path_effects

    return [path_effects.withStroke(linewidth=width, foreground="white")]


def region_map(ax=None, highlight=CENTRAL_ASIA, capitals: bool = True, label_states: bool = True,
               rivers: bool = True, label_water: bool = True, scale: bool = True, folder=None,
               fontsize: float = MAP_FONT_PT):
    """Draw the region: ``highlight`` states in their book colours, others as plain land; water; capitals.

    Each highlighted state is filled with a light tint of its colour and carries a band of its full
    colour inside its border (a full-strength fill of Kazakhstan's blue would read as water). The
    sea is the axes background, so the Caspian shows as water. ``rivers`` draws and labels the six
    main rivers, ``label_water`` names the Caspian, the Aral Sea (today's outline) and Balkhash,
    ``scale`` adds a scale bar. Labels are placed at draw time without overlaps (:class:`LabelPlacer`).
    ``fontsize`` is the size of every text on the map: ``MAP_FONT_PT`` suits a map alone in an
    8-inch figure; a map sharing a wider figure needs more (``helpers.legibility.text_pt(fig)``).
    Returns the matplotlib Axes so a chapter can draw its own layer on top.
    """
    from matplotlib.patches import PathPatch

    unknown = [c for c in highlight if c not in STATE_COLOURS]
    if unknown:
        raise ValueError(f"region_map(highlight=...): expected codes among {', '.join(STATE_COLOURS)}, got {unknown}")
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 5.6))
    placer = label_placer(ax)
    text = {"fontsize": fontsize, "textcoords": "offset points", "annotation_clip": True}
    with _one_draw_at_the_end(ax.figure):
        countries = load_countries(folder)
        is_main = countries["adm0_a3"].isin(list(highlight))
        countries[~is_main].plot(ax=ax, color=_tint(NEUTRAL, 0.35), edgecolor="none", zorder=0.5)
        for row in countries[is_main].itertuples():
            patch = PathPatch(_ring_path(row.geometry), facecolor=_tint(STATE_COLOURS[row.adm0_a3], STATE_TINT),
                              edgecolor=STATE_COLOURS[row.adm0_a3], linewidth=3.5, transform=ax.transData, zorder=0.6)
            ax.add_patch(patch)
            patch.set_clip_path(patch)  # only the inner half of the thick edge shows: a band inside the border
        load_lakes(folder).plot(ax=ax, color=WATER, edgecolor=WATER_EDGE, linewidth=0.4, zorder=2)
        countries.boundary.plot(ax=ax, color=BORDER, linewidth=0.5, zorder=3)
        if rivers:
            river_lines = load_rivers(folder)
            river_lines.plot(ax=ax, color=RIVER_COLOUR, linewidth=1.4, zorder=2.5)
        states = load_table("states", folder).set_index("iso3")
        if capitals:
            caps = states.loc[[c for c in highlight if c in states.index], "capital_place_id"].dropna()
            points = places_frame(caps, folder)
            ax.scatter(points["lon"], points["lat"], color="black", s=16, marker="s", zorder=5)
            for row in points.itertuples():
                placer.add_point(row.lon, row.lat)
                placer.add(ax.annotate(row.name_en, (row.lon, row.lat), xytext=(5, 3), zorder=7,
                                       path_effects=_halo(), **text), around())
        if label_states:
            for code in highlight:
                if code in STATE_LABEL_AT:
                    placer.add(ax.annotate(states.loc[code, "name_en"].upper(), STATE_LABEL_AT[code], xytext=(0, 0),
                                           ha="center", va="center", color="#222222", zorder=6, path_effects=_halo(),
                                           **text), nudges())
            for code, at in NEIGHBOUR_LABEL_AT.items():
                placer.add(ax.annotate(states.loc[code, "name_en"].upper(), at, xytext=(0, 0), ha="center",
                                       va="center", color="#666666", zorder=6, **text), nudges(), required=False)
        if rivers:
            from shapely.geometry import Point
            from shapely.ops import nearest_points

            for row in river_lines.itertuples():
                near = nearest_points(row.geometry, Point(RIVER_LABEL_AT[row.name]))[0]
                longest = max(getattr(row.geometry, "geoms", [row.geometry]), key=lambda part: part.length)
                anchors = [near] + [longest.interpolate(f, normalized=True) for f in (0.5, 0.35, 0.65, 0.2, 0.8, 0.95, 0.05)]
                candidates = [{"xy": (a.x, a.y), **c} for a in anchors for c in around(4, 9)]
                placer.add(ax.annotate(row.name, (near.x, near.y), xytext=(4, 4), color=RIVER_COLOUR, style="italic",
                                       zorder=6, path_effects=_halo(), **text), candidates)
        if label_water:
            for name, lon, lat in WATER_LABELS:
                placer.add(ax.annotate(name, (lon, lat), xytext=(0, 0), ha="center", va="center", color=WATER_EDGE,
                                       style="italic", zorder=6, linespacing=1.0, path_effects=_halo(), **text),
                           nudges(), required=False)
    lon0, lon1, lat0, lat1 = EXTENT
    ax.set_xlim(lon0, lon1)
    ax.set_ylim(lat0, lat1)
    ax.set_aspect(1 / 0.75)  # roughly equal distances at 41 degrees north
    # (geopandas sets its axis labels to "small", 8.3 pt, which is too small once a map is shown scaled down)
    ax.set_xlabel("longitude (degrees east)", fontsize=fontsize)
    ax.set_ylabel("latitude (degrees north)", fontsize=fontsize)
    for side in ("top", "right"):
        ax.spines[side].set_visible(True)
    ax.tick_params(labelsize=fontsize)
    ax.set_facecolor(WATER)  # the sea: Natural Earth's admin-0 layer has no polygon for the Caspian
    if scale:
        scale_bar(ax, fontsize=fontsize)
    return ax
