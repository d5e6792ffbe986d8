"""House rules for the notebooks, checked on their stored outputs (no kernel needed)."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p for p in (ROOT / "notebooks").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
IDS = [p.name for p in NOTEBOOKS]


def toc_files(toc_path: Path = ROOT / "_toc.yml") -> set[str]:
    toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    found = {toc["root"]}

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                found.add(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(toc.get("parts", []))
    return {f.removesuffix(".ipynb").removesuffix(".md") for f in found}


def headings(nb) -> list[int]:
    levels = []
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        in_fence = False
        for line in cell.source.splitlines():
            if line.lstrip().startswith(("```", ":::")):
                in_fence = not in_fence
            m = re.match(r"^(#{1,6}) ", line)
            if m and not in_fence:
                levels.append(len(m.group(1)))
    return levels


GUIDE = "notebooks/extending.md"


def broken(rule: str, problems: list[str], fix: str) -> None:
    """Fail with the rule that was broken, where, and how to fix it (no assert dump)."""
    rules([(rule, problems, fix)])


def rules(checks: list[tuple[str, list[str], str]]) -> None:
    """Fail once, naming every rule in ``checks`` that has problems, each with where and how to fix it."""
    lines = []
    for rule, problems, fix in checks:
        if problems:
            lines += [f"House rule broken: {rule}"] + [f"  - {p}" for p in problems] + [f"  How to fix: {fix}"]
    if lines:
        pytest.fail("\n".join(lines), pytrace=False)


def name_of(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def where(cell, index: int) -> str:
    first = next((line for line in cell.source.splitlines() if line.strip()), "")
    return f"cell {index} (id {cell.get('id', '?')}, starts {first[:50]!r})"


def test_there_are_notebooks():
    broken("the book has chapters", [] if len(NOTEBOOKS) >= 4 else [f"only {len(NOTEBOOKS)} notebooks in notebooks/"],
           "notebooks live in notebooks/*.ipynb; did a move or a .gitignore drop them?")


def test_every_notebook_is_in_the_table_of_contents():
    listed = toc_files()
    missing = [p.relative_to(ROOT).with_suffix("").as_posix() for p in NOTEBOOKS
               if p.relative_to(ROOT).with_suffix("").as_posix() not in listed]
    broken("every notebook is a page of the book (listed in _toc.yml)",
           [f"{m}.ipynb is not in _toc.yml" for m in missing],
           "add '- file: notebooks/NAME' under the right part of _toc.yml ('bash tasks.sh new-chapter' does "
           "this for a new chapter), or delete the notebook")


def test_every_toc_entry_exists():
    broken("every _toc.yml entry names a file that exists",
           [f"{e} has no {e}.ipynb or {e}.md" for e in sorted(toc_files())
            if not any((ROOT / f"{e}{ext}").is_file() for ext in (".ipynb", ".md"))],
           "correct the path in _toc.yml (without the extension) or remove the entry")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_is_executed_and_clean(path):
    nb = nbformat.read(path, as_version=4)
    execute = f"bash tasks.sh execute {name_of(path)}"
    kernel = nb.metadata.get("kernelspec", {}).get("name")
    broken("notebooks run on the 'python3' kernel", [] if kernel == "python3" else [f"kernelspec is {kernel!r}"],
           f"in JupyterLab choose Kernel > Change Kernel > Python 3, or run '{execute}'")
    code = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    broken("a chapter computes its evidence in code cells", [] if code else ["no code cells"],
           f"start from the template ('bash tasks.sh new-chapter'); see {GUIDE}")
    unrun = [where(c, i) for i, c in code if c.source.strip() and not c.execution_count]
    broken("every code cell is stored executed, with its outputs", unrun, f"run '{execute}' and commit the result")
    counts = [c.execution_count for _, c in code if c.source.strip()]
    broken("cells were executed once, top to bottom",
           [] if counts == sorted(counts) else [f"execution counts {counts}"],
           f"re-run from a fresh kernel: '{execute}' (not cells run by hand out of order)")
    errors, stderr, addresses = [], [], []
    for i, cell in code:
        for out in cell.get("outputs", []):
            if out.output_type == "error":
                errors.append(f"{where(cell, i)}: {out.get('ename')}: {out.get('evalue', '')[:120]}")
            if out.output_type == "stream" and out.name == "stderr":
                stderr.append(f"{where(cell, i)}: {out.text.strip()[:200]}")
            text = out.get("data", {}).get("text/plain", "") if out.output_type != "stream" else out.text
            if re.search(r"at 0x[0-9a-f]{6,}", text):
                addresses.append(f"{where(cell, i)}: {re.search(r'.{0,40}at 0x[0-9a-f]{6,}', text).group(0)!r}")
    rules([
        ("no cell stores an error", errors, f"fix the cell, then run '{execute}'"),
        ("no cell stores warnings or other stderr output", stderr,
         f"remove the cause of the warning (for example a deprecated call) rather than hiding it, then run '{execute}'"),
        ("no output shows a memory address (it changes on every run, so nbval fails)", addresses,
         "end a plotting cell with 'plt.show()' or ';' so the object's repr is not printed, or display "
         "a value instead of the object"),
    ])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_has_one_title_and_no_skipped_heading_levels(path):
    levels = headings(nbformat.read(path, as_version=4))
    rules([
        ("one title: the first heading is the only H1 ('# Title')",
         [] if levels and levels[0] == 1 and levels.count(1) == 1 else [f"heading levels in order: {levels}"],
         "keep one '# Title' in the first Markdown cell and make every other heading '##' or deeper"),
        ("heading levels go down one step at a time",
         [f"a level-{b} heading is followed by a level-{a} heading" for b, a in zip(levels, levels[1:]) if a > b + 1],
         "use '##' under '#', '###' under '##'; screen readers and the page outline rely on it"),
    ])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_figure_has_caption_label_and_alt_text(path):
    nb = nbformat.read(path, as_version=4)
    problems = {key: [] for key in ("caption", "sources", "label", "alt", "title", "axis")}
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        has_image = any("image/png" in out.get("data", {}) or "image/svg+xml" in out.get("data", {})
                        for out in cell.get("outputs", []))
        if not has_image:
            continue
        meta = cell.metadata.get("mystnb", {})
        figure, image = meta.get("figure", {}), meta.get("image", {})
        at = where(cell, i)
        if len(figure.get("caption", "")) <= 40:
            problems["caption"].append(f"{at}: caption {figure.get('caption', '')!r}")
        elif not re.search(r"[Ss]ource", figure["caption"]):
            problems["sources"].append(f"{at}: caption {figure['caption'][:60]!r}...")
        if not figure.get("name", "").startswith("fig-"):
            problems["label"].append(f"{at}: name {figure.get('name')!r}")
        if len(image.get("alt", "")) <= 30:
            problems["alt"].append(f"{at}: alt {image.get('alt', '')!r}")
        if "set_title" in cell.source or "suptitle" in cell.source:
            problems["title"].append(at)
        problems["axis"] += [f"{at}: {label!r}" for label in re.findall(r"set_[xy]label\(\"([^\"]*)\"", cell.source)
                             if label != label.lower()]
    where_meta = "the cell's metadata (JupyterLab: the gear icon > Cell metadata), as in the template"
    rules([
        ("every figure has a caption of more than 40 characters", problems["caption"],
         f"set mystnb.figure.caption in {where_meta}"),
        ("every figure caption names its sources", problems["sources"],
         "end the caption with 'Sources: ...' naming the tables or documents the figure rests on"),
        ("every figure has a label starting 'fig-'", problems["label"],
         f"set mystnb.figure.name to 'fig-<chapter>-<what>' in {where_meta}; labels must be unique in the book"),
        ("every figure has alt text of more than 30 characters", problems["alt"],
         f"set mystnb.image.alt in {where_meta}: say what the figure shows for a reader who cannot see it"),
        ("no title inside the figure (the caption is its title)", problems["title"],
         "remove set_title/suptitle and put the words in the caption"),
        ("axis labels are lowercase", problems["axis"],
         "write axis labels in lowercase with units, for example 'area (thousand km2)'"),
    ])


@functools.cache
def defined_labels(path: Path) -> set[str]:
    """Figure names from the cells' metadata and MyST targets '(label)=' from the Markdown."""
    labels = set()
    for cell in nbformat.read(path, as_version=4).cells:
        for value in (cell.metadata.get("mystnb") or {}).values():
            if isinstance(value, dict) and isinstance(value.get("name"), str):
                labels.add(value["name"])
        if cell.cell_type == "markdown":
            labels |= set(re.findall(r"^\(([A-Za-z0-9_.:-]+)\)=\s*$", cell.source, flags=re.M))
    return labels


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_labels_are_unique_in_the_book(path):
    mine = defined_labels(path)
    clashes = [f"{label!r} is also defined in {name_of(other)}" for other in NOTEBOOKS if other != path
               for label in sorted(mine & defined_labels(other))]
    broken("every figure label and cross-reference target is unique in the whole book", clashes,
           "rename the label in this notebook, for example 'fig-<chapter>-<what>', and the references "
           "to it ('bash tasks.sh new-chapter' renames the template's labels for you)")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_opens_with_question_and_sources(path):
    nb = nbformat.read(path, as_version=4)
    opening = nb.cells[0].source if nb.cells else ""
    parts = ["**The question.**", "**What you will learn**", "**Prerequisites.**", "**Sources"]
    broken("the first cell states the question, what the reader will learn, prerequisites and sources",
           [f"the first cell has no {part!r}" for part in parts if part not in opening],
           f"copy the opening of notebooks/chapter_template.ipynb and fill it in; see {GUIDE}")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_glued_names_used_in_prose_are_defined(path):
    nb = nbformat.read(path, as_version=4)
    used = set()
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            used |= set(re.findall(r"\{glue:[a-z]*\}`([^`]+)`", cell.source))
    defined = set()  # names recorded by myst_nb.glue in the stored outputs
    for cell in nb.cells:
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            name = out.get("metadata", {}).get("scrapbook", {}).get("name")
            if name:
                defined.add(name)
    broken("every number glued into the prose is glued in a code cell",
           [f"{{glue}}`{name}` is used in the text but never glued" for name in sorted(used - defined)],
           f"add glue({sorted(used - defined)[0] if used - defined else 'name'!r}, value, display=False) in the "
           f"code cell that computes it, then run 'bash tasks.sh execute {name_of(path)}'")
