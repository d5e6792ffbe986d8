"""Every figure is legible at the size the book shows it: the audit that enforces it, and the shared figures."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import helpers  # noqa: E402
from helpers import legibility  # noqa: E402
from helpers.legibility import IllegibleFigureError, min_font_pt, shown_width_px  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"


@pytest.fixture(autouse=True)
def book_style():
    helpers.use_book_style()
    yield
    plt.close("all")


def show(fig) -> bytes:
    """Save the figure as the notebooks' inline backend shows it (PNG, tight box, the figure's dpi)."""
    buffer = io.BytesIO()
    fig.canvas.print_figure(buffer, format="png", bbox_inches="tight", dpi=fig.dpi,
                            facecolor=fig.get_facecolor(), edgecolor=fig.get_edgecolor())
    return buffer.getvalue()


def drawn_texts(fig):
    fig.canvas.draw()
    return [t for t in fig.findobj(matplotlib.text.Text) if t.get_visible() and t.get_text().strip()]


def smallest_allowed(fig) -> float:
    fig.canvas.draw()  # lays the figure out first, as showing it does
    return min_font_pt(fig, width_px=shown_width_px(fig, "tight"))


def test_a_figure_with_text_too_small_raises_naming_the_figure_and_the_text():
    fig, ax = plt.subplots(figsize=(8, 4))
    fig.suptitle("Treaties by year")
    ax.plot([1991, 2000], [1, 5])
    ax.annotate("footnote in tiny print", (1995, 3), fontsize=6)
    with pytest.raises(IllegibleFigureError) as error:
        show(fig)
    message = str(error.value)
    assert "'Treaties by year'" in message
    assert "'footnote in tiny print' (6 pt)" in message
    assert "How to fix" in message


def test_savefig_is_audited_too():
    fig, ax = plt.subplots(figsize=(8, 4))
    ax.set_xlabel("year", fontsize=5)
    with pytest.raises(IllegibleFigureError, match="the figure with axis labels 'year'.*'year' \\(5 pt\\)"):
        fig.savefig(io.BytesIO(), format="png", bbox_inches="tight")


def test_a_legend_beside_the_axes_widens_the_figure_and_so_raises_the_minimum():
    fig, ax = plt.subplots(figsize=(8, 4))
    ax.plot([0, 1], [0, 1], label="a label long enough to push the legend far out to the right")
    ax.legend(fontsize=9, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.canvas.draw()
    assert shown_width_px(fig, "tight") > legibility.CONTENT_WIDTH_PX * 1.2
    with pytest.raises(IllegibleFigureError, match=r"a label long enough .* \(9 pt\)"):
        show(fig)


def test_a_figure_with_legible_text_shows_without_error():
    fig, ax = plt.subplots(figsize=(8, 4))
    fig.suptitle("Treaties by year")
    ax.plot([1991, 2000], [1, 5], label="treaties")
    ax.annotate("a note", (1995, 3), fontsize=legibility.text_pt(fig))
    ax.legend()
    assert show(fig).startswith(b"\x89PNG")


def test_hidden_and_empty_texts_are_not_audited():
    fig, ax = plt.subplots(figsize=(8, 4))
    ax.text(0.5, 0.5, "hidden", fontsize=4, visible=False)
    ax.text(0.2, 0.2, "  ", fontsize=4)
    show(fig)


def test_the_book_style_defaults_are_legible_on_its_default_figure():
    fig = plt.figure()
    assert tuple(fig.get_size_inches()) == (8, 4.5)
    smallest = legibility.text_pt(fig)
    for key in ("font.size", "xtick.labelsize", "ytick.labelsize", "legend.fontsize", "legend.title_fontsize",
                "axes.labelsize", "axes.titlesize", "figure.titlesize"):
        assert legibility.rc_points(key) >= smallest, key


def test_text_size_grows_with_the_width_a_figure_is_shown_at():
    assert legibility.text_pt(6.4) == legibility.SMALL_PT  # 660 px: shown at its own size
    assert legibility.text_pt(8) == 10.0  # 820 px shown 660 px wide
    assert legibility.text_pt(10) == 12.5  # 1020 px shown 660 px wide
    fig = plt.figure(figsize=(10, 3))
    assert legibility.text_pt(fig) >= min_font_pt(fig, width_px=(10 + 0.2) * fig.dpi)


def long_titled_events(n: int = 12) -> pd.DataFrame:
    events = helpers.events_with_links()
    longest = events.assign(length=events["title"].str.len()).sort_values(["length", "event_id"], ascending=False)
    return longest.head(n).drop(columns="length")


def test_a_timeline_writes_every_long_title_in_full_and_legibly():
    events = long_titled_events()
    assert events["title"].str.len().min() > 80  # all far longer than one line
    ax = helpers.timeline(events)
    fig = ax.figure
    labels = [t for t in ax.get_yticklabels() if t.get_text()]
    assert sorted(" ".join(t.get_text().split()) for t in labels) == sorted(events["title"])
    assert not any("…" in t.get_text() or "..." in t.get_text() for t in fig.findobj(matplotlib.text.Text))
    smallest = smallest_allowed(fig)
    too_small = [(t.get_text(), t.get_fontsize()) for t in drawn_texts(fig) if t.get_fontsize() < smallest]
    assert too_small == [], f"below {smallest:.2f} pt: {too_small}"
    show(fig)  # and the audit agrees


def test_a_timeline_s_wrapped_labels_do_not_overlap_and_fit_the_content_column():
    ax = helpers.timeline(long_titled_events(20))
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = sorted((t.get_window_extent(renderer) for t in ax.get_yticklabels() if t.get_text()), key=lambda b: -b.y1)
    assert all(upper.y0 >= lower.y1 for upper, lower in zip(boxes, boxes[1:]))
    assert shown_width_px(fig, "tight") <= legibility.CONTENT_WIDTH_PX + 1


def test_a_timeline_in_a_short_axes_makes_its_figure_taller():
    fig, ax = plt.subplots(figsize=(9, 2.0))
    helpers.timeline(long_titled_events(8), ax=ax, label_width=48)
    fig.tight_layout()
    assert fig.get_figheight() > 2.0
    test_labels = [t for t in ax.get_yticklabels() if t.get_text()]
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = sorted((t.get_window_extent(renderer) for t in test_labels), key=lambda b: -b.y1)
    assert all(upper.y0 >= lower.y1 for upper, lower in zip(boxes, boxes[1:]))
    show(fig)


@pytest.mark.parametrize("draw", ["relationships_compared", "pairs_map"])
def test_the_other_shared_figures_are_legible(draw):
    if draw == "pairs_map":
        ax = helpers.pairs_map(helpers.events_with_links())
    else:
        ax, _ = helpers.relationships_compared()
    show(ax.figure)


def test_a_notebook_that_shows_an_illegible_figure_fails_to_execute(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("import matplotlib.pyplot as plt\nfrom helpers import use_book_style\n\nuse_book_style()"),
        nbformat.v4.new_code_cell('fig, ax = plt.subplots()\nax.set_title("Tiny labels")\n'
                                  'ax.annotate("unreadable note", (0.5, 0.5), fontsize=5)\nplt.show()'),
    ])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "tiny.ipynb"
    nbformat.write(nb, path)
    out = subprocess.run([sys.executable, str(ROOT / "scripts" / "execute_notebooks.py"), str(path)],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode != 0
    assert "IllegibleFigureError" in out.stderr and "'unreadable note' (5 pt)" in out.stderr, out.stderr
    assert "'Tiny labels'" in out.stderr


def _shows_a_figure(cell) -> bool:
    return any("image/png" in out.get("data", {}) for out in cell.get("outputs", []))


def _code_cells(path: Path) -> list[dict]:
    return [c for c in json.loads(path.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]


WITH_FIGURES = [p for p in sorted(NOTEBOOKS.glob("*.ipynb")) if any(_shows_a_figure(c) for c in _code_cells(p))]


def test_most_notebooks_show_figures():
    assert len(WITH_FIGURES) >= 20, "the figure rule below would be checking almost nothing"


@pytest.mark.parametrize("path", WITH_FIGURES, ids=lambda p: p.name)
def test_every_notebook_that_shows_a_figure_runs_the_book_style_first(path):
    cells = _code_cells(path)
    first_figure = next(i for i, c in enumerate(cells) if _shows_a_figure(c))
    styled = [i for i, c in enumerate(cells) if "use_book_style()" in "".join(c["source"])]
    assert styled and styled[0] < first_figure, (
        f"House rule broken: {path.name} shows a figure (code cell {first_figure}) before it calls use_book_style(), "
        "which sets the book's figure style and checks that every figure is legible. "
        "How to fix: call use_book_style() in the first code cell (see the chapter template)")
