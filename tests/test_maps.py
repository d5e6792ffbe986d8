"""The maps: labels never overlap, text stays legible at the content width, rivers and the scale bar are right."""

from __future__ import annotations

import itertools
import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

import helpers  # noqa: E402
from helpers import maps  # noqa: E402
from helpers.plots import pairs_map  # noqa: E402

RIVERS = {"Syr Darya", "Amu Darya", "Chu", "Talas", "Ili", "Irtysh"}
STATES = {"KAZAKHSTAN", "UZBEKISTAN", "KYRGYZSTAN", "TAJIKISTAN", "TURKMENISTAN"}
CAPITALS = {"Almaty", "Tashkent", "Bishkek", "Dushanbe", "Ashgabat"}


def drawn(draw):
    helpers.use_book_style()
    fig, ax = plt.subplots(figsize=(8, 5.6))
    draw(ax)
    fig.canvas.draw()
    return fig, ax


@pytest.fixture(scope="module")
def region():
    fig, ax = drawn(lambda ax: helpers.region_map(ax=ax))
    yield fig, ax
    plt.close(fig)


@pytest.fixture(scope="module")
def pairs():
    events = helpers.events_with_links()
    fig, ax = drawn(lambda ax: pairs_map(events, ax=ax))
    yield fig, ax
    plt.close(fig)


def visible_labels(ax):
    renderer = ax.figure.canvas.get_renderer()
    return {t.get_text(): t.get_window_extent(renderer) for t in ax.texts if t.get_visible()}


def overlaps(boxes):
    return [(a, b) for (a, ba), (b, bb) in itertools.combinations(boxes.items(), 2) if ba.overlaps(bb)]


@pytest.mark.parametrize("which", ["region", "pairs"])
def test_no_two_labels_overlap(which, request):
    fig, ax = request.getfixturevalue(which)
    boxes = visible_labels(ax)
    assert RIVERS | STATES | CAPITALS <= set(boxes), f"missing labels: {sorted(RIVERS | STATES | CAPITALS - set(boxes))}"
    assert overlaps(boxes) == []
    assert maps.label_placer(ax).unplaced == []
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    for name, box in boxes.items():
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1, name


def test_capital_labels_clear_the_count_boxes_and_the_legend(pairs):
    fig, ax = pairs
    renderer = fig.canvas.get_renderer()
    boxes = visible_labels(ax)
    legend = ax.get_legend().get_window_extent(renderer)
    for name in RIVERS | STATES | CAPITALS:
        assert not boxes[name].overlaps(legend), f"{name} lies under the legend"
    counts = [name for name in boxes if name.isdigit()]
    assert counts, "pairs_map should write the count of shared events on each line"


def test_the_placer_reports_a_label_it_cannot_place():
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    placer = maps.label_placer(ax)
    for name in ("first", "second"):
        placer.add(ax.annotate(name, (0.5, 0.5), xytext=(0, 0), textcoords="offset points", ha="center"),
                   [{"xytext": (0, 0), "ha": "center"}])
    fig.canvas.draw()
    assert placer.unplaced == ["second"]
    assert overlaps(visible_labels(ax)) == [("first", "second")]
    plt.close(fig)


def test_min_font_pt_follows_figure_width_dpi_and_content_width():
    fig = plt.figure(figsize=(8, 5), dpi=100)
    assert maps.CONTENT_WIDTH_PX == 660  # a figure's width in a 1280 px window (tests/test_figure_links.py measures it)
    assert maps.min_font_pt(fig) == pytest.approx(11 * 72 / 100 / (660 / 800))  # 9.6 pt
    assert maps.min_font_pt(fig, width_px=600) == pytest.approx(11 * 72 / 100)  # not scaled up when narrower
    plt.close(fig)


@pytest.mark.parametrize("which", ["region", "pairs"])
def test_every_text_is_legible_at_the_content_width(which, request):
    fig, ax = request.getfixturevalue(which)
    renderer = fig.canvas.get_renderer()
    shown_width = (fig.get_tightbbox(renderer).width + 0.2) * fig.dpi  # as the inline backend saves it (pad 0.1 in)
    smallest = maps.min_font_pt(fig, width_px=shown_width)
    assert maps.MAP_FONT_PT >= smallest
    texts = [t for t in fig.findobj(matplotlib.text.Text) if t.get_visible() and t.get_text().strip()]
    too_small = [(t.get_text(), t.get_fontsize()) for t in texts if t.get_fontsize() < smallest - 1e-9]
    assert too_small == [], f"below {smallest:.2f} pt: {too_small}"


def test_rivers_layer_holds_the_six_rivers_inside_the_region():
    rivers = maps.load_rivers()
    assert set(rivers["name"]) == RIVERS
    lon0, lon1, lat0, lat1 = 45.0, 90.0, 33.0, 57.0
    for row in rivers.itertuples():
        x0, y0, x1, y1 = row.geometry.bounds
        assert lon0 <= x0 and x1 <= lon1 and lat0 <= y0 and y1 <= lat1, row.name
        assert row.length_km >= 250, f"{row.name}: only {row.length_km} km kept"
    assert (helpers.data_dir() / "map" / "rivers.geojson").stat().st_size < 40_000


def test_scale_bar_is_500_km_along_40_degrees_north(region):
    fig, ax = region
    from mpl_toolkits.axes_grid1.anchored_artists import AnchoredSizeBar

    (bar,) = [a for a in ax.artists if isinstance(a, AnchoredSizeBar)]
    rectangle = bar.size_bar.get_children()[0]
    assert rectangle.get_width() == pytest.approx(500 / (111.32 * math.cos(math.radians(40))))
    assert "500 km" in bar.txt_label.get_text()


def test_the_sea_is_water_and_no_state_fill_is_transparent(region):
    fig, ax = region
    assert matplotlib.colors.to_hex(ax.get_facecolor()) == maps.WATER.lower()
    fills = [p for p in ax.patches if isinstance(p, matplotlib.patches.PathPatch)]
    assert len(fills) == 5 and all(p.get_facecolor()[3] == 1.0 for p in fills)


def test_map_labels_make_way_for_a_chapter_s_own_labels():
    def draw(ax):
        helpers.region_map(ax=ax, capitals=False)
        ax.annotate("Dushanbe (2002)", (68.77, 38.56), xytext=(4, 3), textcoords="offset points", fontsize=9)
        ax.annotate("Kyzylorda (1993)", (65.5, 44.85), xytext=(4, 3), textcoords="offset points", fontsize=9)

    fig, ax = drawn(draw)
    boxes = visible_labels(ax)
    assert {"TAJIKISTAN", "Syr Darya", "Dushanbe (2002)", "Kyzylorda (1993)"} <= set(boxes)
    assert overlaps(boxes) == []
    plt.close(fig)
