"""The built book's figures: each opens at full size when clicked (_ext/book_figures.py, no JavaScript), and none is
shown narrower than the legibility audit (helpers.legibility) assumes."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from bs4 import BeautifulSoup
from test_site import HTML, browser, built_pages, site  # noqa: F401 (browser, site: fixtures)

ROOT = Path(__file__).resolve().parents[1]


def local_file(page: Path, ref: str) -> Path | None:
    url = urlparse(ref)
    if url.scheme or ref.startswith(("//", "data:")):
        return None
    return (page.parent / unquote(url.path)).resolve()


@pytest.mark.build
def test_every_figure_image_is_a_link_to_its_own_image_file():
    checked, broken = 0, []
    for page in built_pages():
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for img in soup.select("figure img, div.cell_output img, article img"):
            checked += 1
            where = f"{page.relative_to(HTML)}: {img.get('src', '')[:60]}"
            link = img.find_parent("a")
            src = local_file(page, img.get("src", ""))
            if link is None or not link.get("href"):
                broken.append(f"{where}: not inside a link")
                continue
            target = local_file(page, link["href"])
            if target is None or target != src:
                broken.append(f"{where}: the link goes to {link['href']}, not to the image itself")
            elif not target.is_file():
                broken.append(f"{where}: the link's target {link['href']} does not exist")
            if not (link.get_text(strip=True) or img.get("alt", "").strip()):
                broken.append(f"{where}: the link has no accessible name (the image has no alt text)")
    assert checked >= 42, f"expected the book's figures on the built pages, found {checked} images"
    assert not broken, ("Site rule broken: clicking a figure opens its image at full size\n" + "\n".join(broken)
                        + "\nHow to fix: keep book_figures in _config.yml's local_extensions and rebuild")


@pytest.mark.browser
def test_no_figure_is_shown_narrower_than_the_legibility_audit_assumes(browser, site):
    """helpers.legibility assumes a figure is shown at its own size, or CONTENT_WIDTH_PX wide if it is wider.

    Measured in a 1265 px wide viewport: a 1280 px window less a classic 15 px scrollbar, the narrower case.
    """
    from helpers.legibility import CONTENT_WIDTH_PX

    tab = browser.new_page(viewport={"width": 1265, "height": 900})
    shown = []
    for page in built_pages():
        if "<img" not in page.read_text(encoding="utf-8"):
            continue
        tab.goto(f"{site}/{page.relative_to(HTML).as_posix()}", wait_until="load")
        sizes = tab.evaluate("Array.from(document.querySelectorAll('figure img'))"
                             ".map(i => [i.naturalWidth, i.getBoundingClientRect().width])")
        shown += [(page.relative_to(HTML).as_posix(), natural, width) for natural, width in sizes]
    tab.close()
    assert len(shown) >= 42
    narrower = [f"{page}: {natural} px image shown {width:.0f} px wide" for page, natural, width in shown
                if width < min(natural, CONTENT_WIDTH_PX) - 0.5]
    assert not narrower, (f"figures shown narrower than the {CONTENT_WIDTH_PX} px that helpers.legibility assumes, so "
                          f"their text is smaller than it checked:\n" + "\n".join(narrower)
                          + "\nHow to fix: measure the column and set CONTENT_WIDTH_PX in src/helpers/legibility.py")
    column = [width for _, natural, width in shown if natural > CONTENT_WIDTH_PX]
    assert column and max(column) < CONTENT_WIDTH_PX + 0.5, (
        f"wide figures are shown {max(column, default=0):.0f} px wide, more than CONTENT_WIDTH_PX = {CONTENT_WIDTH_PX}: "
        "the audit asks for larger text than it needs to; measure the column and update the constant")
