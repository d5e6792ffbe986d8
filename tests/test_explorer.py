"""The chronology explorer (notebooks/explorer.ipynb, helpers.explore).

Without a browser: the filter rule, the date labels, the page fragment (only the book's own
library, no random ids, light enough) and the vendored Bokeh file. With Chromium (marker
``browser``, after 'bash tasks.sh build'): the built page filters as the data say it should.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest
from browser_tools import keep_local

from helpers import events_with_links
from helpers.explore import BOKEH_BUNDLE, date_label, explorer_events, explorer_html, filter_events

ROOT = Path(__file__).resolve().parents[1]
PAGE = "notebooks/explorer.html"

# the built site and Chromium, set up exactly as for the rest of the site's tests
from test_site import browser, site  # noqa: E402,F401


@pytest.fixture(scope="module")
def events():
    return explorer_events()


def expected_count(partner: str | None = None, field: str | None = None, period: str | None = None,
                   event_type: str | None = None) -> int:
    """The events a filter should keep, counted straight from helpers.events_with_links."""
    from helpers import load_table

    events = events_with_links()
    keep = events["event_id"].notna()
    if partner:
        keep &= events["parties"].map(lambda p: partner in p.split("; "))
    if field:
        keep &= events["domains"].map(lambda d: field in d.split("; "))
    if period:
        span = load_table("periods").set_index("period_id").loc[period]
        keep &= events["start"].between(span["start"], span["end"])
    if event_type:
        keep &= events["event_type"] == event_type
    return int(keep.sum())


# ---------------------------------------------------------------- without a browser

def test_date_labels_say_how_precisely_a_date_is_known():
    assert date_label("1994-04-30", "day") == "30 April 1994 (to the day)"
    assert date_label("1990-06", "month") == "June 1990 (to the month)"
    assert date_label("1998", "year") == "1998 (year only)"
    assert date_label("1991-10-10", "day", "1991-10-12") == "10 October 1991 to 12 October 1991 (to the day)"


def test_a_date_that_does_not_match_its_precision_is_refused():
    with pytest.raises(ValueError, match=r"date_label\(date='1998', precision='day'\)"):
        date_label("1998", "day")


@pytest.mark.parametrize("choice", [
    {"partner": "KGZ", "field": "environment_water"},
    {"partner": "TKM"},
    {"field": "borders", "period": "epilogue"},
    {"period": "security", "event_type": "summit"},
    {"partner": "KAZ", "field": "migration_diaspora", "period": "deepening"},
])
def test_the_filter_keeps_what_the_data_say(events, choice):
    assert len(filter_events(events, **choice)) == expected_count(**choice)


def test_the_open_filter_keeps_every_event_and_each_event_has_a_period(events):
    assert len(filter_events(events)) == len(events_with_links())
    assert events["period_id"].notna().all()
    kgz_water = filter_events(events, partner="KGZ", field="environment_water")
    assert 0 < len(kgz_water) < len(events), "the example filter of the browser test must narrow the list"


def test_every_source_with_an_address_is_linked_from_its_events(events):
    from helpers import load_table

    urls = load_table("sources").set_index("source_id")["url"].dropna()
    links = load_table("event_sources")
    for row in events.itertuples():
        for source_id in links.loc[links["event_id"] == row.event_id, "source_id"]:
            if source_id in urls.index and urls[source_id].startswith(("http://", "https://")):
                href = 'href="' + urls[source_id].replace("&", "&amp;").replace('"', "&quot;") + '"'
                assert href in row.detail, f"{row.event_id}: no link to {source_id} ({urls[source_id]})"


def test_the_page_loads_only_the_books_own_library(events):
    import bokeh

    page = explorer_html(events)
    scripts = re.findall(r"<script[^>]*src=\"([^\"]+)\"", page)
    assert scripts == ["../" + BOKEH_BUNDLE.format(version=bokeh.__version__)]
    assert not any(urlparse(s).scheme for s in scripts)
    item = json.loads(re.search(r'id="explorer-item">(.*?)</script>', page, flags=re.S).group(1).replace("<\\/", "</"))
    assert item["target_id"] == "explorer-root"
    assert len(page.encode("utf-8")) < 600_000, "the explorer's data should leave room for the page's figure"


def test_the_vendored_library_is_present_and_matches_the_installed_bokeh():
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "vendor_bokeh.py"), "--check"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_page_fragment_is_the_same_from_two_fresh_kernels():
    code = ("import hashlib; from helpers.explore import explorer_events, explorer_html; "
            "print(hashlib.sha256(explorer_html(explorer_events()).encode()).hexdigest())")
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
            for _ in range(2)}
    assert len(runs) == 1, "explorer_html wrote different bytes in two fresh interpreters (random ids?)"


# ---------------------------------------------------------------- in Chromium, on the built book

def open_bokeh_page(browser, site: str, page: str, model: str):
    """A 1280 px tab on a built page, kept local, once Bokeh has drawn the named model; and its problems."""
    host = urlparse(site).netloc
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    problems = []
    tab.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    tab.on("console", lambda m: problems.append(f"console error: {m.text} at {m.location.get('url')}")
           if m.type == "error" and "favicon.ico" not in str(m.location.get("url")) else None)
    keep_local(tab, host, problems)
    tab.goto(f"{site}/{page}", wait_until="load")
    tab.wait_for_function("window.Bokeh && Bokeh.documents.length > 0 && "
                          f"Bokeh.documents[0].get_model_by_name('{model}') !== null", timeout=20_000)
    return context, tab, problems


@pytest.fixture(scope="module")
def explorer_tab(browser, site):
    context, tab, problems = open_bokeh_page(browser, site, PAGE, "explorer-events")
    yield tab, problems
    context.close()


def shown(tab) -> str:
    return tab.locator("#explorer-count").inner_text()


def choose(tab, filter_name: str, label: str) -> None:
    tab.locator(f".explorer-{filter_name} select").select_option(label=label)


@pytest.mark.browser
def test_explorer_filters_to_the_events_the_data_hold(explorer_tab):
    from helpers import load_table

    tab, problems = explorer_tab
    everything = expected_count()
    assert shown(tab).startswith(f"{everything} events shown")
    choose(tab, "partner", "Kyrgyzstan")
    choose(tab, "field", "environment and water")
    want = expected_count(partner="KGZ", field="environment_water")
    tab.wait_for_function(f"document.getElementById('explorer-count').textContent.startsWith('{want} event')")
    assert shown(tab).startswith(f"{want} events shown")
    # the map follows: one circle per place with coordinates among the shown events
    events = events_with_links()
    places = load_table("places").set_index("place_id")
    chosen = events[events["parties"].str.split("; ").map(lambda p: "KGZ" in p)
                    & events["domains"].str.split("; ").map(lambda d: "environment_water" in d)]
    placed = {p for p in chosen["place_id"].dropna() if p in places.index and places.loc[p, "lat"] == places.loc[p, "lat"]}
    on_map = tab.evaluate("Bokeh.documents[0].get_model_by_name('explorer-places').data.place_id.length")
    assert on_map == len(placed)
    # another combination, then back to everything
    choose(tab, "partner", "any state")
    choose(tab, "field", "any field")
    choose(tab, "period", next(f"{r.title} ({r.start[:4]}-{r.end[:4]})" for r in
                               load_table("periods").itertuples() if r.period_id == "security"))
    choose(tab, "event_type", "summit")
    want = expected_count(period="security", event_type="summit")
    tab.wait_for_function(f"document.getElementById('explorer-count').textContent.startsWith('{want} event')")
    choose(tab, "period", "1990-2002, all periods")
    choose(tab, "event_type", "any type")
    tab.wait_for_function(f"document.getElementById('explorer-count').textContent.startsWith('{everything} event')")
    assert not problems, "\n".join(problems)


@pytest.mark.browser
def test_picking_an_event_shows_its_dated_record_and_linked_sources(explorer_tab):
    from helpers import load_table

    tab, problems = explorer_tab
    events = explorer_events()
    urls = load_table("sources").set_index("source_id")["url"].dropna()
    # the first event (in date order) that has a source on the web
    k = next(i for i, s in enumerate(events["sources"]) if any(x in urls.index for x in s.split("; ")))
    tab.evaluate(f"Bokeh.documents[0].get_model_by_name('explorer-events').selected.indices = [{k}]")
    details = tab.locator(".explorer-details")
    details.get_by_text(events.loc[k, "date_text"]).wait_for(timeout=5_000)
    text = details.evaluate("e => (e.shadowRoot || e).textContent")  # Bokeh draws its Div in a shadow root
    assert events.loc[k, "title"] in text
    hrefs = details.locator("a").evaluate_all("els => els.map(e => e.href)")
    assert any(h.startswith(("http://", "https://")) and urlparse(h).netloc for h in hrefs), hrefs
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------- the small timelines in the chapters

def test_chapter_timeline_holds_exactly_the_events_it_is_given():
    from helpers.explore import chapter_timeline_html

    chosen = list(explorer_events()["event_id"].iloc[[5, 2, 9]])
    page = chapter_timeline_html(chosen + chosen[:1], "demo")
    item = json.loads(re.search(r'id="demo-timeline-item">(.*?)</script>', page, flags=re.S).group(1)
                      .replace("<\\/", "</"))
    text = json.dumps(item)
    assert sorted(e for e in explorer_events()["event_id"] if f'"{e}"' in text) == sorted(chosen)
    assert page.startswith('<div class="explorer chapter-timeline"><p class="explorer-count">3 events')
    assert 'id="demo-timeline"' in page and "noscript" in page
    assert f'src="../{BOKEH_BUNDLE.format(version=__import__("bokeh").__version__)}"' in page


@pytest.mark.parametrize("event_ids, key, error, message", [
    ("e1994-central-asian-bank", "demo", TypeError, "single string"),
    ([], "demo", ValueError, "at least one"),
    (["e1994-central-asian-bank"], "Demo View", ValueError, "lower-case"),
    (["no-such-event"], "demo", KeyError, "no-such-event"),
])
def test_chapter_timeline_refuses_bad_arguments_by_name(event_ids, key, error, message):
    from helpers.explore import chapter_timeline_html

    with pytest.raises(error, match=message):
        chapter_timeline_html(event_ids, key)


def test_every_period_and_bilateral_chapter_embeds_its_timeline_once():
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        if not path.stem.startswith(("period_", "bilateral_")):
            continue
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        shown = [out for cell in cells for out in cell.get("outputs", [])
                 if 'class="explorer chapter-timeline"' in "".join(out.get("data", {}).get("text/html", ""))]
        assert len(shown) == 1, path.name


@pytest.mark.browser
def test_a_chapter_timeline_draws_and_shows_an_event_when_clicked(browser, site):
    context, tab, problems = open_bokeh_page(browser, site, "notebooks/period_3_union.html", "union-events")
    title = tab.evaluate("Bokeh.documents[0].get_model_by_name('union-events').data.title[0]")
    tab.evaluate("Bokeh.documents[0].get_model_by_name('union-events').selected.indices = [0]")
    details = tab.locator(".chapter-timeline .explorer-details")
    details.get_by_text(title).wait_for(timeout=5_000)
    context.close()
    assert not problems, "\n".join(problems)
