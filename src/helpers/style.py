"""One figure style for the whole book, and one colour per state, defined here only."""

from __future__ import annotations

import matplotlib as mpl

__all__ = ["STATE_COLOURS", "DOMAIN_COLOURS", "NEUTRAL", "show_table", "state_colour", "use_book_style"]

#: One colour per Central Asian state (Okabe-Ito, chosen to stay apart under the
#: common colour-vision deficiencies and in greyscale; tests/test_palette.py checks it).
STATE_COLOURS: dict[str, str] = {
    "KAZ": "#0072B2",  # blue
    "UZB": "#E69F00",  # orange
    "KGZ": "#882255",  # wine
    "TJK": "#009E73",  # bluish green
    "TKM": "#F0E442",  # yellow
}

#: Grey for neighbours and for everything that is not one of the five.
NEUTRAL = "#BBBBBB"

#: Fields of cooperation, in the order of the schema's enum.
DOMAIN_COLOURS: dict[str, str] = {
    "political": "#332288",
    "economic": "#88CCEE",
    "defence_security": "#44AA99",
    "cultural": "#117733",
    "social_humanitarian": "#999933",
    "environment_water": "#DDCC77",
    "migration_diaspora": "#CC6677",
    "borders": "#AA4499",
}


def state_colour(iso3: str) -> str:
    """The book's colour for a state; neutral grey for any state outside the five."""
    if not isinstance(iso3, str) or len(iso3) != 3 or not iso3.isupper():
        raise ValueError(f"state_colour(iso3={iso3!r}): expected an ISO 3166 alpha-3 code such as 'KAZ'")
    return STATE_COLOURS.get(iso3, NEUTRAL)


def use_book_style() -> None:
    """Set matplotlib defaults: deterministic output, readable sizes, no chart junk."""
    mpl.rcParams.update({
        "figure.figsize": (8, 4.5),
        "figure.dpi": 100,
        "savefig.dpi": 100,
        "font.size": 10,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titlesize": 11,
        "axes.labelsize": 10,
        "legend.frameon": False,
        "svg.hashsalt": "kazakhstan-central-asia",
        "path.simplify": True,
    })


def show_table(frame, index: bool = False):
    """A DataFrame as a plain HTML table without the index (stable output, no object reprs)."""
    from IPython.display import HTML

    return HTML(frame.to_html(index=index, border=0, na_rep="", classes="dataframe book-table", escape=True))
