"""Local Sphinx extension: citation metadata, "Cite this chapter" boxes and data downloads.

Everything is generated at build time from two files the repository already keeps
up to date, so nothing here can drift from them:

* ``CITATION.cff``: title, authors, version, release date (and a public URL, only if
  the file gives one). They go into Highwire ``citation_*`` meta tags on every page
  (what Zotero and other reference managers read), into a "Cite this chapter" box
  with plain text, BibTeX and RIS at the foot of every chapter (a page made from a
  notebook), and into per-chapter ``.bib``/``.ris`` files under ``downloads/cite/``.
* ``data/``: every ``data/*.csv`` is copied byte for byte to ``downloads/data/`` in the
  HTML output, and one deterministic zip (fixed timestamps, sorted names) holds
  ``datapackage.json``, every CSV, ``data/map/`` and a README with licence and citation.

Markup for the pages:

* ``{data-csv}`events``` links to one table's CSV (an unknown table fails the build);
* ``{data-zip}`download the data``` links to the zip;
* ```{data-downloads}``` (a directive) lists every table of ``data/datapackage.json``
  with its CSV link, and the zip; every chapter's footer links to the page that holds it;
* ```{book-citation}``` renders the whole book's citation (plain text, BibTeX, RIS).

No network: nothing is fetched, and no URL is written that CITATION.cff does not give.
"""

from __future__ import annotations

import csv
import html
import io
import json
import posixpath
import re
import shutil
import zipfile
from pathlib import Path

import yaml
from docutils import nodes
from docutils.parsers.rst import Directive
from sphinx.util import logging

logger = logging.getLogger(__name__)

DOWNLOADS = "downloads"               # folder in the HTML output
DATA_DIR = f"{DOWNLOADS}/data"        # one CSV per table, byte-identical to data/
CITE_DIR = f"{DOWNLOADS}/cite"        # .bib and .ris files, one pair per chapter and one for the book
ZIP_TIME = (1980, 1, 1, 0, 0, 0)      # the earliest time a zip can hold: no build timestamp leaks in
ANCHOR = "data-downloads"             # id of the list made by the data-downloads directive


# ---------------------------------------------------------------- the book's metadata

class BookError(Exception):
    pass


def root_of(app) -> Path:
    # the book's folder (where _config.yml, CITATION.cff and data/ live)
    return Path(app.confdir)


def read_cff(root: Path) -> dict:
    path = root / "CITATION.cff"
    try:
        cff = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise BookError(f"{path}: cannot read it as YAML ({exc})") from exc
    missing = [k for k in ("title", "authors", "version", "date-released") if not cff.get(k)]
    if missing:
        raise BookError(f"{path}: the book's citation needs {', '.join(missing)} (see https://citation-file-format.github.io/)")
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(cff["date-released"])):
        raise BookError(f"{path}: date-released is {cff['date-released']!r}; expected a quoted date YYYY-MM-DD")
    for i, a in enumerate(cff["authors"], 1):
        if not (a.get("name") or a.get("family-names")):
            raise BookError(f"{path}: author {i} has neither 'name' nor 'family-names'")
    cff["date-released"] = str(cff["date-released"])
    return cff


class Book:
    """The citation of the book and of its pages, from CITATION.cff."""

    def __init__(self, cff: dict, language: str):
        self.cff = cff
        self.title = cff["title"]
        self.version = str(cff["version"])
        self.date = cff["date-released"]
        self.year = self.date[:4]
        self.url = (cff.get("url") or "").rstrip("/")   # only if the file gives it: never guessed
        self.language = language
        self.slug = re.sub(r"[^a-z0-9]+", "-", self.title.split(":")[0].lower()).strip("-")

    # authors in the forms each format wants
    def _people(self):
        for a in self.cff["authors"]:
            if a.get("family-names"):
                yield "person", a["family-names"], a.get("given-names", "")
            else:
                yield "entity", a["name"], ""

    def meta_authors(self) -> list[str]:
        return [f"{fam}, {giv}" if giv else fam for _, fam, giv in self._people()]

    def plain_authors(self) -> str:
        names = [f"{fam}, {giv}" if giv else fam for _, fam, giv in self._people()]
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

    def bib_authors(self) -> str:
        return " and ".join(f"{bib_escape(fam)}, {bib_escape(giv)}" if kind == "person" and giv
                            else "{" + bib_escape(fam) + "}" for kind, fam, giv in self._people())

    def page_url(self, target_uri: str) -> str:
        return f"{self.url}/{target_uri}" if self.url else ""

    # citations
    def plain(self, chapter: str | None, url: str = "") -> str:
        where = f"In {self.title}" if chapter else self.title
        head = f"{self.plain_authors()} ({self.year}). " + (f"{chapter}. " if chapter else "")
        tail = f", version {self.version}, released {self.date}."
        return head + where + tail + (f" {url}" if url else "")

    def bibtex(self, chapter: str | None, key: str, url: str = "") -> str:
        fields = [("author", self.bib_authors())]
        if chapter:
            fields += [("title", bib_escape(chapter)), ("booktitle", bib_escape(self.title))]
        else:
            fields += [("title", bib_escape(self.title))]
        fields += [("year", self.year), ("date", self.date), ("version", self.version),
                   ("note", f"Version {self.version}"), ("language", self.language)]
        if url:
            fields.append(("url", url))
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        return f"@{'incollection' if chapter else 'book'}{{{key},\n{body}\n}}\n"

    def ris(self, chapter: str | None, url: str = "") -> str:
        lines = [("TY", "CHAP" if chapter else "BOOK")]
        lines += [("AU", a) for a in self.meta_authors()]
        if chapter:
            lines += [("TI", chapter), ("T2", self.title)]
        else:
            lines += [("TI", self.title)]
        lines += [("PY", self.year), ("DA", self.date.replace("-", "/")), ("ET", f"Version {self.version}"),
                  ("LA", self.language)]
        if url:
            lines.append(("UR", url))
        lines.append(("ER", ""))
        return "".join(f"{tag}  - {value}".rstrip() + "\n" for tag, value in lines)


def bib_escape(text: str) -> str:
    return re.sub(r"([&%$#_{}])", r"\\\1", text)


def book_of(app) -> Book:
    book = getattr(app, "_book_citation", None)
    if book is None:
        book = app._book_citation = Book(read_cff(root_of(app)), app.config.language or "en")
    return book


# ---------------------------------------------------------------- the data

def data_dir(app) -> Path:
    return root_of(app) / "data"


def package(app) -> dict:
    path = data_dir(app) / "datapackage.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise BookError(f"{path}: cannot read the data package ({exc})") from exc


def zip_name(app) -> str:
    return f"{package(app)['name']}-data-{book_of(app).version}.zip"


def csv_files(app) -> list[Path]:
    return sorted(data_dir(app).glob("*.csv"))


def zip_readme(app) -> str:
    book, pkg = book_of(app), package(app)
    lines = [f"# {pkg['title']}", "",
             f"The data of the book *{book.title}*, version {book.version}, released {book.date}.", "",
             pkg.get("description", ""), "",
             "## Files", "",
             "- `datapackage.json`: the schema of every table (Frictionless Data Package): columns, types, "
             "allowed values, keys and links between tables.",
             ]
    for res in pkg["resources"]:
        lines.append(f"- `{res['path']}`: {res.get('description', res['name'])}")
    lines += ["- `map/`: the Natural Earth extract the book's maps are drawn from; `map/PROVENANCE.md` says where "
              "it comes from and how it was processed.", "",
              "## Licence", ""]
    for lic in pkg.get("licenses", []):
        lines.append(f"The tables and `datapackage.json`: {lic.get('title', lic['name'])} ({lic['name']}), "
                     f"{lic.get('path', '')}.")
    lines += ["The map data in `map/`: Natural Earth, public domain.", "",
              "## Sources", "",
              "Every row names its source (see the `source_id` columns and `sources.csv`). When you use a fact, "
              "cite the source given for it as well as the book.", "",
              "## How to cite", "",
              book.plain(None, book.url), "", "```bibtex", book.bibtex(None, book.slug, book.url).rstrip(), "```", ""]
    return "\n".join(lines)


def write_zip(app, target: Path) -> None:
    """One zip, the same bytes for the same inputs: sorted names, fixed times and modes."""
    folder = f"{package(app)['name']}-{book_of(app).version}"
    members: dict[str, bytes] = {"README.md": zip_readme(app).encode("utf-8"),
                                 "datapackage.json": (data_dir(app) / "datapackage.json").read_bytes()}
    for path in csv_files(app):
        members[path.name] = path.read_bytes()
    for path in sorted((data_dir(app) / "map").rglob("*")):
        if path.is_file():
            members["map/" + path.relative_to(data_dir(app) / "map").as_posix()] = path.read_bytes()
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w") as zf:
        for name in sorted(members):
            info = zipfile.ZipInfo(f"{folder}/{name}", date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            zf.writestr(info, members[name], compresslevel=9)


def copy_downloads(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    target = out / DATA_DIR
    if target.exists():
        shutil.rmtree(target)      # a table removed from data/ must not linger in the output
    target.mkdir(parents=True)
    for path in csv_files(app):
        shutil.copyfile(path, target / path.name)
    for old in (out / DOWNLOADS).glob("*.zip"):
        old.unlink()
    write_zip(app, out / DOWNLOADS / zip_name(app))
    book = book_of(app)
    cite = out / CITE_DIR
    cite.mkdir(parents=True, exist_ok=True)
    (cite / "book.bib").write_text(book.bibtex(None, book.slug, book.url), encoding="utf-8")
    (cite / "book.ris").write_text(book.ris(None, book.url), encoding="utf-8")


# ---------------------------------------------------------------- links to the downloads

def download_ref(text: str, target: str) -> nodes.reference:
    # refuri is filled in per page in resolve_download_links, when the page's place is known
    ref = nodes.reference("", text, internal=True, classes=["book-download"])
    ref["book_download"] = target
    return ref


def data_csv_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    env = inliner.document.settings.env
    table = text.strip()
    csv_path = root_of(env.app) / "data" / f"{table}.csv"
    if not csv_path.is_file():
        msg = inliner.reporter.error(f"{{data-csv}}: no table '{table}' in data/ (expected data/{table}.csv)",
                                     line=lineno)
        return [inliner.problematic(rawtext, rawtext, msg)], [msg]
    env.note_dependency(str(csv_path))
    return [download_ref(f"{table}.csv", f"{DATA_DIR}/{table}.csv")], []


def data_zip_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    env = inliner.document.settings.env
    env.note_dependency(str(root_of(env.app) / "CITATION.cff"))
    return [download_ref(text.strip() or zip_name(env.app), f"{DOWNLOADS}/{zip_name(env.app)}")], []


class DataDownloads(Directive):
    """Every table of data/datapackage.json with a link to its CSV, and the zip of all of them."""

    has_content = False

    def run(self):
        env = self.state.document.settings.env
        app = env.app
        try:
            pkg = package(app)
            zname = zip_name(app)
        except BookError as exc:
            raise self.error(str(exc)) from exc
        for dep in ("data/datapackage.json", "CITATION.cff"):
            env.note_dependency(str(root_of(app) / dep))
        container = nodes.container(ids=[ANCHOR], classes=["book-data-downloads"])
        para = nodes.paragraph()
        para += nodes.Text("All the data in one file: ")
        para += download_ref(zname, f"{DOWNLOADS}/{zname}")
        para += nodes.Text(" (datapackage.json with the schema, every CSV, the map data and a README with the "
                           "licence and how to cite).")
        container += para
        items = nodes.bullet_list()
        for res in pkg["resources"]:
            path = data_dir(app) / res["path"]
            if not path.is_file():
                raise self.error(f"data/datapackage.json declares {res['path']}, but data/{res['path']} is missing")
            env.note_dependency(str(path))
            with open(path, newline="", encoding="utf-8") as fh:
                rows = sum(1 for _ in csv.reader(fh)) - 1
            item = nodes.paragraph()
            item += download_ref(res["path"], f"{DATA_DIR}/{res['path']}")
            item += nodes.Text(f" ({rows} rows, {path.stat().st_size / 1024:.1f} KiB): "
                               f"{res.get('description', '')}")
            items += nodes.list_item("", item)
        container += items
        env.book_data_downloads_doc = env.docname
        return [container]


class BookCitation(Directive):
    """The citation of the whole book: plain text, BibTeX and RIS, from CITATION.cff."""

    has_content = False

    def run(self):
        env = self.state.document.settings.env
        env.note_dependency(str(root_of(env.app) / "CITATION.cff"))
        try:
            book = book_of(env.app)
        except BookError as exc:
            raise self.error(str(exc)) from exc
        out = [nodes.paragraph("", "", nodes.Text("In plain text:")),
               nodes.block_quote("", nodes.paragraph("", book.plain(None, book.url))),
               nodes.paragraph("", "", nodes.Text("BibTeX ("), download_ref("book.bib", f"{CITE_DIR}/book.bib"),
                               nodes.Text("):")),
               nodes.literal_block("", book.bibtex(None, book.slug, book.url), language="bibtex"),
               nodes.paragraph("", "", nodes.Text("RIS ("), download_ref("book.ris", f"{CITE_DIR}/book.ris"),
                               nodes.Text("):")),
               nodes.literal_block("", book.ris(None, book.url), language="text")]
        return out


def page_dir(app, docname: str) -> str:
    """The folder, in the output, of the file that shows ``docname``."""
    if app.builder.name == "singlehtml":
        # Sphinx writes the single page to ROOT_DOC.html but makes its links relative to the output
        # folder itself; scripts/build_pdf.py prints a copy placed there, so links start from "".
        return ""
    return posixpath.dirname(app.builder.get_target_uri(docname).split("#")[0])


def resolve_download_links(app, doctree, docname):
    for ref in doctree.findall(nodes.reference):
        target = ref.get("book_download")
        if target:
            ref["refuri"] = posixpath.relpath(target, page_dir(app, docname) or ".")


def merge_env(app, env, docnames, other):
    doc = getattr(other, "book_data_downloads_doc", None)
    if doc in docnames:
        env.book_data_downloads_doc = doc


def purge_env(app, env, docname):
    if getattr(env, "book_data_downloads_doc", None) == docname:
        env.book_data_downloads_doc = None


# ---------------------------------------------------------------- every page: meta tags; chapters: cite box

def is_chapter(app, pagename: str) -> bool:
    return pagename in app.env.all_docs and Path(app.env.doc2path(pagename)).suffix == ".ipynb"


def meta(name: str, content: str) -> str:
    return f'<meta name="{name}" content="{html.escape(content, quote=True)}" />\n'


def page_context(app, pagename, templatename, context, doctree):
    if app.builder.format != "html":
        return
    book = book_of(app)
    title_node = app.env.titles.get(pagename)
    title = title_node.astext() if title_node is not None else book.title
    single = app.builder.name == "singlehtml"
    url = "" if single else book.page_url(app.builder.get_target_uri(pagename))
    tags = meta("citation_title", title if not single else book.title)
    tags += "".join(meta("citation_author", a) for a in book.meta_authors())
    tags += meta("citation_publication_date", book.date)
    tags += meta("citation_book_title", book.title)
    tags += meta("citation_language", book.language)
    tags += meta("citation_version", book.version)
    if url:
        tags += meta("citation_public_url", url)
    context["metatags"] = context.get("metatags", "") + tags
    if single:
        drop_unused_mathjax(context, doctree)
    if single or not is_chapter(app, pagename) or "body" not in context:
        return
    stem = posixpath.basename(pagename)
    key = f"{book.slug}:{posixpath.basename(pagename)}"
    bib, ris = book.bibtex(title, key, url), book.ris(title, url)
    cite = Path(app.outdir) / CITE_DIR
    cite.mkdir(parents=True, exist_ok=True)
    (cite / f"{stem}.bib").write_text(bib, encoding="utf-8")
    (cite / f"{stem}.ris").write_text(ris, encoding="utf-8")
    here = page_dir(app, pagename) or "."
    rel = lambda target: html.escape(posixpath.relpath(target, here), quote=True)  # noqa: E731
    data_doc = getattr(app.env, "book_data_downloads_doc", None)
    source = Path(app.env.doc2path(pagename, base=False)).as_posix()
    parts = ['<aside class="book-page-footer" aria-label="Data, rerunning and citation">']
    if data_doc:
        parts.append(f'<p class="book-data-line">Data used by this book: every table as CSV, or all of them in one '
                     f'zip, on <a href="{html.escape(app.builder.get_relative_uri(pagename, data_doc))}#{ANCHOR}">'
                     f'{html.escape(app.env.titles[data_doc].astext())}</a>.</p>')
    parts.append(f'<p class="book-rerun-line">To rerun this chapter: the notebook from the download button '
                 f'(<code>{html.escape(posixpath.basename(source))}</code>) reads the tables through the book\'s '
                 f'helpers, so it runs only inside a copy of the whole repository. In that copy run '
                 f'<code>bash tasks.sh setup</code>, then <code>.venv/bin/jupyter lab</code>, and open '
                 f'<code>{html.escape(source)}</code>.</p>')
    parts.append(
        '<details class="book-cite-box">'
        '<summary>Cite this chapter (plain text, BibTeX, RIS)</summary>'
        f'<p class="book-cite-plain">{html.escape(book.plain(title, url))}</p>'
        f'<p>BibTeX (<a href="{rel(f"{CITE_DIR}/{stem}.bib")}" download>{stem}.bib</a>):</p>'
        f'<pre class="book-cite-bibtex">{html.escape(bib)}</pre>'
        f'<p>RIS (<a href="{rel(f"{CITE_DIR}/{stem}.ris")}" download>{stem}.ris</a>):</p>'
        f'<pre class="book-cite-ris">{html.escape(ris)}</pre>'
        '<p>Cite, too, the source the book names for each fact you use.</p>'
        '</details>')
    parts.append("</aside>")
    context["body"] += "\n".join(parts)


def drop_unused_mathjax(context, doctree) -> None:
    """The single page loads MathJax from a CDN even when no page has math; offline that is a failed
    request (and a wait) in the PDF's browser. Drop it when the book has no math; keep it when it does."""
    has_math = doctree is not None and any(True for _ in doctree.findall(
        lambda n: isinstance(n, (nodes.math, nodes.math_block))))
    scripts = context.get("script_files")
    if has_math or not scripts:
        return
    scripts[:] = [s for s in scripts if "mathjax" not in str(getattr(s, "filename", s) or "").lower()]


def check_data_page(app, env):
    if not getattr(env, "book_data_downloads_doc", None):
        logger.warning("no page holds the {data-downloads} directive, so the chapters' 'Data used by this book' "
                       "line has nothing to link to; put it on the data page (notebooks/data_and_sources.ipynb)",
                       type="book_cite")
    return []


def config_inited(app, config):
    try:
        book_of(app)
        package(app)
    except BookError as exc:
        from sphinx.errors import ConfigError
        raise ConfigError(str(exc)) from exc


def setup(app):
    app.connect("config-inited", config_inited)
    app.add_role("data-csv", data_csv_role)
    app.add_role("data-zip", data_zip_role)
    app.add_directive("data-downloads", DataDownloads)
    app.add_directive("book-citation", BookCitation)
    app.connect("doctree-resolved", resolve_download_links)
    app.connect("env-merge-info", merge_env)
    app.connect("env-purge-doc", purge_env)
    app.connect("env-check-consistency", check_data_page)
    app.connect("html-page-context", page_context)
    app.connect("build-finished", copy_downloads)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
