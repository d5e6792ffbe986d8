"""Citing and downloading from the built book (issue 11), checked on the built HTML and, when
`bash tasks.sh pdf` has made it, the PDF.

Expected values are read from CITATION.cff and data/ here, independently of _ext/book_cite.py.
"""

from __future__ import annotations

import functools
import json
import shutil
import subprocess
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
DATA = ROOT / "data"
PDF = ROOT / "_build" / "pdf" / "book.pdf"
SINGLE = ROOT / "_build" / "pdf" / "_build" / "singlehtml"
CFF = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
PACKAGE = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))


def built_pages() -> list[Path]:
    if not (HTML / "index.html").is_file():
        pytest.fail("the book is not built: run 'bash tasks.sh build' first")
    return sorted(p for p in HTML.rglob("*.html")
                  if p.relative_to(HTML).parts[0] not in ("_static", "_sources") and p.name != "index.html")


CHAPTERS = sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))
ZIP_NAME = f"{PACKAGE['name']}-data-{CFF['version']}.zip"


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.title_h1: list[str] = []
        self.in_h1 = self.skip = 0
        self.assets: list[tuple[str, str]] = []
        self.hrefs: list[str] = []
        self.summaries: list[str] = []
        self.in_summary = False
        self.details: list[dict] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and a.get("name", "").startswith("citation_"):
            self.meta.setdefault(a["name"], []).append(a.get("content", ""))
        if tag == "h1" and not self.title_h1:
            self.in_h1 = 1
        elif self.in_h1 and tag == "a" and "headerlink" in (a.get("class") or ""):
            self.skip = 1
        if tag in ("script", "img", "source", "iframe") and a.get("src"):
            self.assets.append((tag, a["src"]))
        if tag == "link" and a.get("href") and set((a.get("rel") or "").split()) & {"stylesheet", "preload", "icon"}:
            self.assets.append((tag, a["href"]))
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])
        if tag == "details":
            self.details.append(a)
        if tag == "summary":
            self.in_summary = True
            self.summaries.append("")

    def handle_endtag(self, tag):
        if tag == "a" and self.skip:
            self.skip = 0
        if tag == "h1" and self.in_h1:
            self.in_h1 = 0
            self.title_h1 = [" ".join("".join(self.title_h1).split())]
        if tag == "summary":
            self.in_summary = False

    def handle_data(self, data):
        if self.in_h1 and not self.skip:
            self.title_h1.append(data)
        if self.in_summary:
            self.summaries[-1] += data


@functools.cache
def page(path: Path) -> Page:
    p = Page()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def author_names() -> list[str]:
    return [f"{a['family-names']}, {a['given-names']}" if a.get("family-names") and a.get("given-names")
            else a.get("family-names") or a["name"] for a in CFF["authors"]]


# ---------------------------------------------------------------- CITATION.cff itself

def test_citation_cff_has_a_real_version_and_date():
    assert str(CFF["version"]).count(".") == 2 and all(p.isdigit() for p in str(CFF["version"]).split(".")), (
        f"CITATION.cff version {CFF['version']!r} is not MAJOR.MINOR.PATCH")
    assert str(CFF["date-released"]) >= "2026-12-02", "CITATION.cff date-released is older than this release"
    assert "<" not in (ROOT / "README.md").read_text(encoding="utf-8").replace("<br>", ""), (
        "README.md still holds an angle-bracket placeholder (such as <this repository>): say what a reader does")


# ---------------------------------------------------------------- meta tags and the cite box

@pytest.mark.build
def test_every_page_carries_citation_meta_tags():
    problems = []
    for path in built_pages():
        rel, meta = path.relative_to(HTML).as_posix(), page(path).meta
        title = page(path).title_h1[0] if page(path).title_h1 else None
        expected = {"citation_title": [title], "citation_author": author_names(),
                    "citation_publication_date": [str(CFF["date-released"])],
                    "citation_book_title": [CFF["title"]], "citation_language": ["en"]}
        if not rel.startswith("notebooks/"):
            expected.pop("citation_title")  # search and index pages have no h1: any title, but one
            if len(meta.get("citation_title", [])) != 1:
                problems.append(f"{rel}: citation_title {meta.get('citation_title')}")
        for name, want in expected.items():
            if meta.get(name) != want:
                problems.append(f"{rel}: {name} is {meta.get(name)}, expected {want}")
        if "citation_public_url" in meta and not CFF.get("url"):
            problems.append(f"{rel}: citation_public_url without a url in CITATION.cff (an invented address)")
    assert not problems, "citation meta tags wrong:\n" + "\n".join(problems[:30])


@pytest.mark.build
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_has_cite_box_and_data_line(chapter):
    path = HTML / "notebooks" / f"{chapter}.html"
    text = path.read_text(encoding="utf-8")
    p = page(path)
    assert any(s.startswith("Cite this chapter") for s in p.summaries), f"{chapter}: no 'Cite this chapter' box"
    title = p.title_h1[0]
    assert f"@incollection{{" in text and f"title = {{{title}}}" in text.replace("&#x27;", "'"), (
        f"{chapter}: the BibTeX entry does not carry the chapter's title {title!r}")
    assert f"TI  - {title}" in text.replace("&#x27;", "'"), f"{chapter}: the RIS entry lacks TI  - {title}"
    assert f"version {CFF['version']}" in text, f"{chapter}: the plain citation lacks the version"
    bib = HTML / "downloads" / "cite" / f"{chapter}.bib"
    ris = HTML / "downloads" / "cite" / f"{chapter}.ris"
    assert bib.is_file() and ris.is_file(), f"{chapter}: no {bib.name}/{ris.name} next to the box"
    assert ris.read_text(encoding="utf-8").startswith("TY  - CHAP\n") and "ER  -" in ris.read_text(encoding="utf-8")
    data_link = "#data-downloads" if chapter == "data_and_sources" else "data_and_sources.html#data-downloads"
    assert data_link in p.hrefs, f"{chapter}: no 'Data used by this book' link ({data_link})"
    assert f"notebooks/{chapter}.ipynb" in text, f"{chapter}: the note on rerunning does not name the notebook"


@pytest.mark.build
def test_markdown_pages_have_no_cite_box():
    for md in (ROOT / "notebooks").glob("*.md"):
        assert not any(s.startswith("Cite this chapter") for s in page(HTML / "notebooks" / f"{md.stem}.html").summaries)


# ---------------------------------------------------------------- downloads

@pytest.mark.build
def test_every_table_downloads_byte_identical():
    out = HTML / "downloads" / "data"
    tables = sorted(p.name for p in DATA.glob("*.csv"))
    assert tables and sorted(p.name for p in out.glob("*.csv")) == tables, (
        f"downloads/data/ holds {sorted(p.name for p in out.glob('*.csv'))}, data/ holds {tables}")
    differ = [t for t in tables if (out / t).read_bytes() != (DATA / t).read_bytes()]
    assert not differ, f"downloads differ from data/: {differ} (rebuild with 'bash tasks.sh build')"


@pytest.mark.build
def test_data_page_links_every_table_and_the_zip():
    p = page(HTML / "notebooks" / "data_and_sources.html")
    links = {h for h in p.hrefs if h.startswith("../downloads/")}
    wanted = {f"../downloads/data/{r['path']}" for r in PACKAGE["resources"]} | {f"../downloads/{ZIP_NAME}"}
    assert wanted <= links, f"Data and sources lacks links to {sorted(wanted - links)}"
    cite = page(HTML / "notebooks" / "how_to_cite.html").hrefs
    assert f"../downloads/{ZIP_NAME}" in cite, "How to cite does not link the data zip"


@pytest.mark.build
def test_zip_members_are_byte_identical_and_deterministic():
    path = HTML / "downloads" / ZIP_NAME
    assert path.is_file(), f"no {path.relative_to(ROOT)}"
    folder = f"{PACKAGE['name']}-{CFF['version']}/"
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
        names = [i.filename for i in infos]
        assert names == sorted(names), "zip members are not in sorted order"
        assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in infos), "zip members carry build timestamps"
        members = {n.removeprefix(folder): zf.read(n) for n in names}
    expected = {p.name: p.read_bytes() for p in DATA.glob("*.csv")}
    expected["datapackage.json"] = (DATA / "datapackage.json").read_bytes()
    expected |= {"map/" + p.relative_to(DATA / "map").as_posix(): p.read_bytes()
                 for p in (DATA / "map").rglob("*") if p.is_file()}
    readme = members.pop("README.md", b"").decode("utf-8")
    assert members.keys() == expected.keys(), f"zip holds {sorted(members)}, expected {sorted(expected)}"
    assert [n for n in expected if members[n] != expected[n]] == []
    assert "CC BY 4.0" in readme or "CC-BY-4.0" in readme, "the zip's README does not state the licence"
    assert CFF["title"] in readme and str(CFF["version"]) in readme, "the zip's README does not say how to cite"


@pytest.mark.build
def test_zip_is_rebuilt_to_the_same_bytes(tmp_path):
    """Two writes of the zip from the same data give the same bytes."""
    sys.path.insert(0, str(ROOT / "_ext"))
    import book_cite

    class App:  # the little the zip writer reads from Sphinx's app
        confdir = str(ROOT)

        class config:  # noqa: N801
            language = "en"

    a, b = tmp_path / "a.zip", tmp_path / "b.zip"
    book_cite.write_zip(App, a)
    book_cite.write_zip(App, b)
    assert a.read_bytes() == b.read_bytes() == (HTML / "downloads" / ZIP_NAME).read_bytes()


# ---------------------------------------------------------------- nothing from other hosts

@pytest.mark.build
def test_no_page_loads_scripts_styles_or_images_from_another_host():
    remote = [f"{p.relative_to(HTML)}: <{tag}> {ref}" for p in built_pages() for tag, ref in page(p).assets
              if urlparse(ref).scheme in ("http", "https") or ref.startswith("//")]
    assert not remote, "pages load assets from other hosts:\n" + "\n".join(remote[:20])


# ---------------------------------------------------------------- the PDF (after `bash tasks.sh pdf`)

@pytest.mark.pdf
def test_pdf_holds_every_page_title():
    # 'bash tasks.sh test' prints the PDF just before it runs this test (marker pdf), and says so
    # loudly when it cannot; run alone, the test needs 'bash tasks.sh pdf' first
    if not PDF.is_file():
        pytest.fail("no _build/pdf/book.pdf: run 'bash tasks.sh pdf' first (bash tasks.sh test does)")
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext is not installed, so the PDF's text cannot be read (apt-get install poppler-utils)")
    sys.path.insert(0, str(ROOT / "tests"))
    from pdf_titles import missing_titles, toc_titles
    titles = toc_titles(SINGLE)
    assert len(titles) == len(list((ROOT / "notebooks").glob("*.ipynb"))) + len(
        list((ROOT / "notebooks").glob("*.md"))), f"the single page has {len(titles)} titles"
    text = subprocess.run(["pdftotext", "-layout", str(PDF), "-"], capture_output=True, text=True, check=True).stdout
    assert PDF.read_bytes()[:5] == b"%PDF-", f"{PDF} is not a PDF"
    assert not missing_titles(titles, text), f"{PDF} lacks titles: {missing_titles(titles, text)}"
