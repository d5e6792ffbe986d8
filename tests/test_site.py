"""The built book as a web site: internal links, anchors, images, page weight, and a real browser.

Run after `jupyter-book build` (tasks.sh test does both, in that order).
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from browser_tools import keep_local

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
ARTIFACTS = ROOT / "artifacts"
PAGE_LIMIT = 1_000_000  # bytes: HTML plus the images it embeds or loads


def built_pages() -> list[Path]:
    if not (HTML / "index.html").is_file():
        pytest.fail("the book is not built: run 'bash tasks.sh build' first")
    return sorted(p for p in HTML.rglob("*.html") if "_static" not in p.parts and "_sources" not in p.parts)


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.refs: list[tuple[str, str]] = []
        self.images: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and "name" in attrs:
            self.ids.add(attrs["name"])
        if tag == "a" and attrs.get("href"):
            self.refs.append(("href", attrs["href"]))
        if tag in ("img", "script") and attrs.get("src"):
            self.refs.append(("src", attrs["src"]))
        if tag == "link" and attrs.get("href"):
            self.refs.append(("href", attrs["href"]))
        if tag == "img":
            self.images.append(attrs)


@functools.cache
def parsed(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def internal_targets(page: Path):
    for kind, ref in parsed(page).refs:
        url = urlparse(ref)
        if url.scheme or ref.startswith(("//", "mailto:", "javascript:", "data:")):
            continue
        path, anchor = url.path, url.fragment
        target = page if not path else (page.parent / unquote(path)).resolve()
        yield ref, target, anchor


@pytest.mark.build
def test_every_internal_link_and_image_resolves():
    broken = []
    for page in built_pages():
        for ref, target, anchor in internal_targets(page):
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page.relative_to(HTML)} -> {ref}")
            elif anchor and target.suffix == ".html" and anchor not in parsed(target).ids:
                broken.append(f"{page.relative_to(HTML)} -> {ref} (no such anchor)")
    assert not broken, ("Site rule broken: every internal link, image and anchor resolves\n" + "\n".join(broken[:30])
                        + "\nHow to fix: correct the link target in the page's source (for a page use {doc}`name`, for "
                        "a figure {numref}`fig-...`, for a section a (label)= target), then rebuild")


@pytest.mark.build
def test_every_image_has_alt_text():
    missing = [f"{page.relative_to(HTML)}: {img.get('src', '')[:60]}" for page in built_pages()
               for img in parsed(page).images if not img.get("alt", "").strip()]
    assert not missing, ("Site rule broken: every image has alt text\n" + "\n".join(missing)
                         + "\nHow to fix: give the figure's cell mystnb.image.alt metadata (see the chapter template)")


@pytest.mark.build
def test_every_chapter_is_built():
    built = {p.relative_to(HTML).with_suffix("").as_posix() for p in built_pages()}
    for nb in (ROOT / "notebooks").rglob("*.ipynb"):
        assert nb.relative_to(ROOT).with_suffix("").as_posix() in built, (
            f"Site rule broken: every notebook becomes a page, but {nb.name} was not built. "
            f"How to fix: list it in _toc.yml ('- file: notebooks/{nb.stem}') and rebuild")


def page_weight(page: Path) -> int:
    size = page.stat().st_size
    for kind, ref in parsed(page).refs:
        if kind == "src" and not urlparse(ref).scheme:
            target = (page.parent / unquote(urlparse(ref).path)).resolve()
            if target.suffix.lower() in {".png", ".jpg", ".jpeg", ".svg", ".gif"} and target.is_file():
                size += target.stat().st_size
    return size


@pytest.mark.build
def test_no_page_weighs_more_than_a_megabyte():
    heavy = {p.relative_to(HTML).as_posix(): page_weight(p) for p in built_pages() if page_weight(p) > PAGE_LIMIT}
    assert not heavy, (f"Site rule broken: no page weighs more than {PAGE_LIMIT:,} bytes with its images: {heavy}. "
                       "How to fix: split the chapter, draw fewer or smaller figures (figsize, dpi 100), or show "
                       "long tables as summaries")


# ---------------------------------------------------------------- real browser

def chromium_path() -> str | None:
    for candidate in ("/usr/lib/chromium/chromium", "/usr/bin/chromium", shutil.which("chromium") or ""):
        if candidate and Path(candidate).exists():
            return candidate
    return None


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site():
    built_pages()
    handler = functools.partial(QuietHandler, directory=str(HTML))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def browser_problem_is_fatal() -> bool:
    """On CI, as root with apt-get, Chromium can always be installed: its absence is a failure there."""
    return os.environ.get("CI") == "true" and os.geteuid() == 0 and shutil.which("apt-get") is not None


@pytest.fixture(scope="module")
def browser(report_browser_problem):
    def unavailable(reason: str):
        if browser_problem_is_fatal():
            pytest.fail(f"real-browser tests cannot run on CI: {reason}. CI runs as root with apt-get, so "
                        f"'bash tasks.sh test' should have installed Debian's chromium; see its log above.",
                        pytrace=False)
        report_browser_problem(reason)
        pytest.skip(f"REAL BROWSER NOT AVAILABLE: {reason}")

    exe = chromium_path()
    if exe is None:
        unavailable(os.environ.get("CHROMIUM_SETUP") or
                    "chromium is not installed ('bash tasks.sh test' installs Debian's chromium with "
                    "apt-get when it runs as root)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        unavailable(f"playwright is not importable ({exc}); run 'bash tasks.sh setup'")
    with sync_playwright() as p:
        try:
            b = p.chromium.launch(executable_path=exe, headless=True, args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--no-first-run", "--disable-sync", "--disable-quic", "--disable-dev-shm-usage"])
        except Exception as exc:  # noqa: BLE001 - any launch failure is reported, with its message
            first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            unavailable(f"Chromium at {exe} did not start: {first_line}")
        yield b
        b.close()


PAGES = [p.relative_to(ROOT).with_suffix(".html").as_posix() for p in sorted((ROOT / "notebooks").glob("*.*"))
                          if p.suffix in {".ipynb", ".md"}]
SCREENSHOTS = {"notebooks/intro.html", "notebooks/region_and_chronology.html", "notebooks/conflict_register.html",
               "notebooks/period_1_prelude.html", "notebooks/data_and_sources.html"}
PHONE = {"width": 390, "height": 844}  # CSS pixels of a current mid-size phone
DESKTOP = {"width": 1280, "height": 800}


@pytest.mark.browser
@pytest.mark.parametrize("page", PAGES)
def test_page_loads_offline_without_errors(browser, site, page):
    host = urlparse(site).netloc
    context = browser.new_context()
    tab = context.new_page()
    problems = []
    tab.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    tab.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    tab.on("requestfailed", lambda r: problems.append(f"failed request: {r.url}"))
    tab.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)

    keep_local(tab, host, problems)
    tab.goto(f"{site}/{page}", wait_until="load")
    broken_images = tab.evaluate(
        "Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0 || !i.alt.trim()).map(i => i.src)")
    problems += [f"image not loaded or without alt text: {src}" for src in broken_images]
    if page in SCREENSHOTS:
        ARTIFACTS.mkdir(exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / (page.replace("/", "_").removesuffix(".html") + ".png")), full_page=False)
        tab.set_viewport_size(DESKTOP)
        tab.screenshot(path=str(screenshot_path(page, 1280)), full_page=False)
    context.close()
    problems = [p for p in problems if "favicon.ico" not in p]
    assert not problems, "\n".join(problems)


@pytest.mark.browser
def test_front_page_leads_to_the_introduction(browser, site):
    tab = browser.new_page()
    tab.goto(f"{site}/index.html", wait_until="load")
    tab.wait_for_url("**/notebooks/intro.html", timeout=10_000)
    tab.close()


@pytest.mark.browser
def test_search_finds_a_term_the_book_contains(browser, site):
    tab = browser.new_page()
    tab.goto(f"{site}/search.html?q=Interstate", wait_until="load")
    tab.wait_for_function("document.querySelectorAll('#search-results li').length > 0 || "
                          "(document.querySelector('#search-results p') || {}).textContent?.includes('did not match')",
                          timeout=20_000)
    hits = tab.eval_on_selector_all("#search-results li a", "els => els.map(e => e.textContent)")
    tab.close()
    assert hits, "searching the built book for 'Interstate' (in the introduction) found nothing"


def screenshot_path(page: str, width: int, what: str = "") -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / f"{page.replace('/', '_').removesuffix('.html')}-{width}px{what}.png"


# What the accessibility audit fails on: axe-core's two worst levels, and header cells that name nothing
# (a minor rule for axe, but the book's own: every table header says what its column or row holds).
AXE_FAILS_ON_IMPACT = {"critical", "serious"}
AXE_FAILS_ON_RULE = {"empty-table-header"}


@pytest.fixture(scope="module")
def axe():
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError as exc:
        pytest.fail(f"axe-playwright-python is not importable ({exc}); run 'bash tasks.sh setup'", pytrace=False)
    return Axe()  # axe-core itself comes inside the package: the audit fetches nothing


@pytest.mark.browser
@pytest.mark.parametrize("page", PAGES)
def test_page_passes_the_accessibility_audit(browser, site, axe, page):
    context = browser.new_context(viewport=DESKTOP)
    tab = context.new_page()
    tab.goto(f"{site}/{page}", wait_until="load")
    violations = axe.run(tab).response["violations"]
    context.close()
    failing = [v for v in violations if v["impact"] in AXE_FAILS_ON_IMPACT or v["id"] in AXE_FAILS_ON_RULE]
    lines = [f"{v['impact']} {v['id']}: {v['help']} ({len(v['nodes'])} elements, e.g. "
             f"{v['nodes'][0]['html'][:160]!r})" for v in failing]
    assert not failing, (f"Site rule broken: {page} fails the axe-core accessibility audit\n" + "\n".join(lines)
                         + "\nHow to fix: see each rule's page at dequeuniversity.com/rules/axe/; markup written by "
                         "Sphinx, the theme or pandas is repaired after the build in _ext/book_a11y.py")


@pytest.mark.browser
@pytest.mark.parametrize("page", PAGES)
def test_page_does_not_scroll_sideways_on_a_phone(browser, site, page):
    # (not is_mobile: Chromium's mobile emulation widens the layout viewport to fit the content, so
    # window.innerWidth would grow with the overflow it is meant to catch)
    context = browser.new_context(viewport=PHONE, device_scale_factor=1)
    tab = context.new_page()
    tab.goto(f"{site}/{page}", wait_until="load")
    scroll_width, inner_width = tab.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    too_wide = tab.evaluate("""() => Array.from(document.querySelectorAll('.bd-article *'))
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                     && !e.closest('.cell_output .output, pre, .pst-scrollable-table-container, .bd-toc'))
        .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ')[0] : '')
                               + ' ' + (e.textContent || '').trim().slice(0, 40))""")
    if page in SCREENSHOTS:
        tab.screenshot(path=str(screenshot_path(page, PHONE["width"])), full_page=False)
        table = tab.query_selector(".cell_output table")
        if table is not None:
            table.scroll_into_view_if_needed()
            tab.screenshot(path=str(screenshot_path(page, PHONE["width"], "-table")), full_page=False)
    context.close()
    assert inner_width == PHONE["width"], f"the browser window is {inner_width} px wide, not {PHONE['width']}"
    assert scroll_width <= inner_width, (
        f"Site rule broken: {page} scrolls sideways on a {inner_width} px wide phone (the page is {scroll_width} px "
        f"wide); elements reaching past the edge: {too_wide}. How to fix: let the element wrap or scroll inside "
        f"its own box (see the phone rules in _static/book.css)")


# ------------------------------------------------- the repairs of _ext/book_a11y.py, on small pieces of HTML

def book_a11y():
    import importlib.util
    spec = importlib.util.spec_from_file_location("book_a11y", ROOT / "_ext" / "book_a11y.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def cells(html: str) -> list[str]:
    import re
    return re.findall(r"<(th|td)>([^<]*)</\1>", html)


def test_a_column_of_empty_row_headers_is_dropped():
    # pandas' to_html(index=False) of a frame whose column axis is named "period"
    html = ('<table class="dataframe book-table"><thead><tr><th>period</th><th>domain</th><th>prelude</th></tr>'
            '</thead><tbody><tr><th></th><td>borders</td><td>0.22</td></tr><tr><th></th><td>water</td><td>0.1</td>'
            '</tr></tbody></table>')
    fixed = book_a11y().fix_table(html)
    assert cells(fixed) == [("th", "domain"), ("th", "prelude"), ("td", "borders"), ("td", "0.22"),
                            ("td", "water"), ("td", "0.1")]


def test_a_named_index_moves_into_the_empty_corner():
    html = ('<table class="dataframe"><thead><tr><th></th><th>sources</th></tr><tr><th>kind</th><th></th></tr>'
            '</thead><tbody><tr><th>archival_file</th><td>16</td></tr></tbody></table>')
    fixed = book_a11y().fix_table(html)
    assert cells(fixed) == [("th", "kind"), ("th", "sources"), ("th", "archival_file"), ("td", "16")]


def test_an_empty_corner_becomes_a_data_cell_and_the_repairs_are_stable():
    module = book_a11y()
    html = ('<p>x</p><table class="dataframe"><thead><tr><th></th><th>version</th></tr></thead>'
            '<tbody><tr><th>python</th><td>3.11</td></tr></tbody></table><div role="doc-biblioentry"></div>')
    fixed = module.fix_page(html)
    assert cells(fixed) == [("td", ""), ("th", "version"), ("th", "python"), ("td", "3.11")]
    assert 'role="listitem"' in fixed and "doc-biblioentry" not in fixed
    assert module.fix_page(fixed) == fixed


def test_the_sidebar_toggles_get_a_name_and_the_sidebar_a_landmark():
    module = book_a11y()
    html = (module.SIDEBAR + '<li><a class="current reference internal" href="#">Extending the book</a>'
            '<details open="open"><summary><span class="toctree-toggle" role="presentation"><i></i></span></summary>'
            '</details></li></div>')
    fixed = module.fix_page(html)
    assert '<summary><span class="book-sr-only">Pages of Extending the book</span>' in fixed
    assert 'role="complementary" aria-label="Book contents"' in fixed
    assert module.fix_page(fixed) == fixed
