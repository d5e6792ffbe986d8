"""Legible figures: every text at least ``MIN_CSS_PX`` CSS pixels tall at the size the book shows it.

In a 1280 px window the book shows a figure at most ``CONTENT_WIDTH_PX`` CSS pixels wide: at its own
pixel size when it fits, else scaled down to that width, so how large a font must be depends on how
wide the saved image is: :func:`min_font_pt` gives that size in points and
:func:`text_pt` the size the helpers use for a figure's small text (tick labels, legends, labels).

:func:`install_audit` (run by :func:`helpers.use_book_style`, which every chapter with a figure
runs first) makes matplotlib check every figure as it is saved or shown: after the figure is drawn
it measures the saved width (the tight bounding box plus its pad, as the notebooks' inline backend
saves it) and raises :class:`IllegibleFigureError` naming the figure and each text drawn smaller
than :func:`min_font_pt`. In a notebook IPython shows that error in place of the figure, so nbval,
the house rules (no stored error) and ``tasks.sh execute`` all fail on an illegible figure.

This module imports only matplotlib, so that ``style`` (which installs it) stays low in the layers.
"""

from __future__ import annotations

import functools
import math
from contextvars import ContextVar

import matplotlib as mpl
from matplotlib.backend_bases import FigureCanvasBase
from matplotlib.text import Text

__all__ = ["CONTENT_WIDTH_PX", "MIN_CSS_PX", "SMALL_PT", "IllegibleFigureError", "check_legible", "install_audit",
           "min_font_pt", "rc_points", "shown_width_px", "text_pt"]

#: How wide, in CSS pixels, the book shows a figure at most in a 1280 px wide window: figures wider than this are
#: scaled down to it. Measured in Chromium (tests/test_figure_links.py checks it on the built book): a 1280 px window
#: with a classic 15 px scrollbar leaves a 1265 px viewport, where the article column is 740 px wide and a figure
#: in a cell output 660 px (the article's padding and the figure's margin take the rest; 672 px with overlay
#: scrollbars, so 660 px is the narrower case).
CONTENT_WIDTH_PX = 660
#: The smallest text height, in CSS pixels, that the book accepts on a figure.
MIN_CSS_PX = 11
#: The smallest size the helpers give a figure's small text (tick labels, legends, labels on the plot), for a
#: figure shown at its own size; :func:`text_pt` raises it for a figure that is shown scaled down.
SMALL_PT = 9.0

#: The texts drawn while a figure is being saved (None when no save is being audited).
_DRAWN: ContextVar[list | None] = ContextVar("helpers_legibility_drawn", default=None)


class IllegibleFigureError(ValueError):
    """A figure has text smaller than the book's minimum at the size the figure is shown."""


def min_font_pt(figure, content_width_px: float = CONTENT_WIDTH_PX, min_css_px: float = MIN_CSS_PX,
                width_px: float | None = None) -> float:
    """The smallest font size (points) that stays ``min_css_px`` tall when ``figure`` is shown at the content width.

    A figure ``width_px`` pixels wide (by default its width in inches times its dpi) is shown at its own
    size if it fits the content column, else scaled down to ``content_width_px``.
    """
    dpi = figure.dpi
    width = figure.get_figwidth() * dpi if width_px is None else width_px
    scale = min(1.0, content_width_px / width)
    return min_css_px / scale * 72.0 / dpi


def _pad_inches(pad_inches=None) -> float:
    pad = mpl.rcParams["savefig.pad_inches"] if pad_inches is None else pad_inches
    return float(pad) if isinstance(pad, (int, float)) else 0.0


def text_pt(figure, at_least: float = SMALL_PT, step: float = 0.5) -> float:
    """The size for ``figure``'s small text: ``at_least``, or more if the figure is shown so much smaller.

    ``figure``: a matplotlib figure, or a width in inches (at ``figure.dpi`` from the rcParams).
    Assumes the saved image is no wider than the figure plus the inline backend's pad (true when the
    figure uses constrained or tight layout, or keeps its texts inside itself); rounded up to ``step``.
    """
    if isinstance(figure, (int, float)):
        width_in, dpi = float(figure), mpl.rcParams["figure.dpi"]
    else:
        width_in, dpi = figure.get_figwidth(), figure.dpi
    width_px = (width_in + 2 * _pad_inches()) * dpi
    scale = min(1.0, CONTENT_WIDTH_PX / width_px)
    needed = math.ceil(MIN_CSS_PX / scale * 72.0 / dpi / step - 1e-9) * step
    return max(at_least, needed)


def rc_points(key: str) -> float:
    """The size in points an rcParams font setting (``"xtick.labelsize"``, maybe ``"medium"``) stands for."""
    from matplotlib.font_manager import FontProperties

    value = mpl.rcParams[key]
    return FontProperties(size=mpl.rcParams["font.size"] if value is None else value).get_size_in_points()


def shown_width_px(figure, bbox_inches="tight", pad_inches=None, renderer=None) -> float:
    """The width, in the figure's own pixels, of the image that saving ``figure`` this way gives.

    ``bbox_inches="tight"`` (what the notebooks' inline backend uses) crops the figure to the box around
    everything drawn and adds ``pad_inches`` on each side; ``None`` keeps the whole figure.
    """
    if bbox_inches is None:
        bbox_inches = mpl.rcParams["savefig.bbox"]
    if bbox_inches == "tight":
        renderer = renderer or figure._get_renderer()
        width_in = figure.get_tightbbox(renderer).width + 2 * _pad_inches(pad_inches)
    elif bbox_inches in (None, "standard"):
        width_in = figure.get_figwidth()
    else:  # a Bbox in inches
        width_in = bbox_inches.width
    return width_in * figure.dpi


def figure_name(figure) -> str:
    """How an error names a figure: its suptitle, else its axes' titles, else their axis labels."""
    if figure._suptitle is not None and figure._suptitle.get_text().strip():
        return repr(figure._suptitle.get_text())
    for kind, get in (("titled", lambda ax: [t.get_text() for t in (ax.title, ax._left_title, ax._right_title)]),
                      ("with axis labels", lambda ax: [ax.get_xlabel(), ax.get_ylabel()])):
        names = [n for ax in figure.axes for n in get(ax) if n.strip()]
        if names:
            return f"the figure {kind} " + ", ".join(repr(n) for n in dict.fromkeys(names))
    return f"an untitled figure with {len(figure.axes)} axes"


def illegible_texts(figure, texts, width_px: float) -> list[tuple[str, float]]:
    """(text, size in points) for each of ``texts`` smaller than :func:`min_font_pt` at ``width_px``."""
    smallest = min_font_pt(figure, width_px=width_px)
    small = {}
    for text in texts:
        content = text.get_text()
        if text.get_visible() and content.strip() and text.get_fontsize() < smallest - 1e-9:
            small.setdefault((content, text.get_fontsize()), None)
    return list(small)


def check_legible(figure, texts=None, bbox_inches="tight", pad_inches=None, renderer=None) -> None:
    """Raise :class:`IllegibleFigureError` if any of ``texts`` is too small when ``figure`` is shown in the book.

    ``texts``: the texts drawn (by default every visible text of the figure). The figure must have
    been drawn, so that its layout and the texts' places are final.
    """
    if texts is None:
        texts = figure.findobj(Text)
    width_px = shown_width_px(figure, bbox_inches, pad_inches, renderer)
    small = illegible_texts(figure, texts, width_px)
    if not small:
        return
    smallest = min_font_pt(figure, width_px=width_px)
    shown = min(width_px, CONTENT_WIDTH_PX)
    listed = ", ".join(f"{content!r} ({size:g} pt)" for content, size in small[:12])
    more = f" and {len(small) - 12} more" if len(small) > 12 else ""
    raise IllegibleFigureError(
        f"{figure_name(figure)} has text too small to read in the book: {listed}{more}. "
        f"Saved {width_px:.0f} px wide and shown {shown:.0f} px wide (the content column is {CONTENT_WIDTH_PX} px "
        f"at a 1280 px window), text needs at least {smallest:.2f} pt to stay {MIN_CSS_PX} CSS px tall. "
        f"How to fix: give these texts fontsize={math.ceil(smallest * 2) / 2:g} or more "
        f"(helpers.legibility.text_pt(fig) gives the size), or keep the figure narrower "
        f"(a legend beside the axes widens it: put it inside or below, or use layout='constrained')")


def _recording(draw):
    @functools.wraps(draw)
    def wrapper(self, renderer, *args, **kwargs):
        drawn = _DRAWN.get()
        if drawn is not None:
            drawn.append(self)
        return draw(self, renderer, *args, **kwargs)

    wrapper._book_audit = True
    return wrapper


def _audited(print_figure):
    @functools.wraps(print_figure)
    def wrapper(self, filename, *args, **kwargs):
        figure = self.figure
        dpi = figure.dpi  # saving may set another dpi for the file; the shown size follows the figure's own
        drawn = []
        token = _DRAWN.set(drawn)
        try:
            result = print_figure(self, filename, *args, **kwargs)
        finally:
            _DRAWN.reset(token)
        if drawn and figure.dpi == dpi:
            check_legible(figure, drawn, kwargs.get("bbox_inches"), kwargs.get("pad_inches"))
        return result

    wrapper._book_audit = True
    return wrapper


def install_audit() -> None:
    """Make every figure saved or shown from now on raise :class:`IllegibleFigureError` if it has illegible text.

    Wraps ``FigureCanvasBase.print_figure`` (the path of ``savefig`` and of the notebooks' inline
    backend) and records which texts ``Text.draw`` draws meanwhile; idempotent.
    """
    if not getattr(Text.draw, "_book_audit", False):
        Text.draw = _recording(Text.draw)
    if not getattr(FigureCanvasBase.print_figure, "_book_audit", False):
        FigureCanvasBase.print_figure = _audited(FigureCanvasBase.print_figure)
