"""The region map: the five states, their neighbours, the large lakes and the capitals.

Boundaries come from data/map/ (Natural Earth, public domain; see data/map/PROVENANCE.md).
Nothing is downloaded.

Speed, without changing any figure: geopandas is imported only when a map is drawn or read (a
chapter without a map does not pay for it); each GeoJSON layer is parsed once per kernel and
handed out as a copy (the cache is keyed by path, modification time and size, so an edited file
is read again); and ``region_map`` does not let geopandas redraw the whole figure after each
layer it adds (geopandas calls ``canvas.draw_idle()`` after every ``.plot``, which renders the
figure at once under the inline and Agg backends). The figure is still drawn once, when shown.
"""

from __future__ import annotations

from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib.pyplot as plt

from .data import data_dir, load_table
from .queries import CENTRAL_ASIA
from .style import NEUTRAL, STATE_COLOURS

__all__ = ["CENTRAL_ASIA", "load_countries", "load_lakes", "region_map", "places_frame"]

LAKE_COLOUR = "#D6EAF8"
EXTENT = (46.0, 90.0, 34.5, 56.0)  # lon min, lon max, lat min, lat max

if TYPE_CHECKING:
    import geopandas as gpd


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


def region_map(ax=None, highlight=CENTRAL_ASIA, capitals: bool = True, label_states: bool = True, folder=None):
    """Draw the region: ``highlight`` states in their book colours, others grey; lakes; capitals.

    Returns the matplotlib Axes so a chapter can draw its own layer on top.
    """
    unknown = [c for c in highlight if c not in STATE_COLOURS]
    if unknown:
        raise ValueError(f"region_map(highlight=...): expected codes among {', '.join(STATE_COLOURS)}, got {unknown}")
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 5.6))
    with _one_draw_at_the_end(ax.figure):
        countries = load_countries(folder)
        is_main = countries["adm0_a3"].isin(list(highlight))
        countries[~is_main].plot(ax=ax, color=NEUTRAL, alpha=0.35, edgecolor="white", linewidth=0.6)
        countries[is_main].plot(ax=ax, color=[STATE_COLOURS[c] for c in countries.loc[is_main, "adm0_a3"]],
                                edgecolor="white", linewidth=0.8, alpha=0.55)
        load_lakes(folder).plot(ax=ax, color=LAKE_COLOUR, edgecolor="#7FB3D5", linewidth=0.3)
        if label_states:
            states = load_table("states", folder).set_index("iso3")
            for row in countries[is_main].itertuples():
                point = row.geometry.representative_point()
                ax.annotate(states.loc[row.adm0_a3, "name_en"].upper(), (point.x, point.y), ha="center",
                            fontsize=8, color="#333333", alpha=0.8)
        if capitals:
            states = load_table("states", folder)
            caps = states[states["iso3"].isin(list(highlight))]["capital_place_id"].dropna()
            points = places_frame(caps, folder)
            points.plot(ax=ax, color="black", markersize=14, marker="s", zorder=5)
            for row in points.itertuples():
                ax.annotate(row.name_en, (row.lon, row.lat), xytext=(4, 3), textcoords="offset points", fontsize=8)
    lon0, lon1, lat0, lat1 = EXTENT
    ax.set_xlim(lon0, lon1)
    ax.set_ylim(lat0, lat1)
    ax.set_aspect(1 / 0.75)  # roughly equal distances at 41 degrees north
    ax.set_xlabel("longitude (degrees east)")
    ax.set_ylabel("latitude (degrees north)")
    for side in ("top", "right"):
        ax.spines[side].set_visible(True)
    ax.tick_params(labelsize=8)
    ax.set_facecolor("white")
    return ax
