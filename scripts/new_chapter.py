"""Start a chapter from the template (`bash tasks.sh new-chapter NAME "Title"`).

    bash tasks.sh new-chapter theme_trade "Trade and transit, 1991-2000"
    bash tasks.sh new-chapter my_question "My question" --part "Themes"

1. copies notebooks/chapter_template.ipynb to notebooks/NAME.ipynb;
2. sets its H1 title to "Title";
3. renames every label the template defines, so no label exists twice in the book: figure and
   table names in the cells' ``mystnb`` metadata (``mystnb.figure.name``), MyST targets
   ``(label)=`` and directive ``:name:``/``:label:`` options; every use of those labels in the
   notebook (``{numref}``, ``{ref}``, links) follows. ``fig-template-timeline`` becomes
   ``fig-NAME-timeline`` (underscores as hyphens), as in the book's chapters. Glue names stay:
   myst-nb looks a glued name up in its own notebook only;
4. lists it in _toc.yml: in the part whose chapters share NAME's prefix (``theme_`` goes to the
   part holding the theme_ chapters), in the part named with --part, or else in a part
   "Further chapters" placed before the part that holds the template;
5. re-executes it in place, so it passes the house rules and nbval at once
   (``--no-execute`` leaves its outputs cleared instead).

The work is generic (patterns over the notebook's JSON and the YAML text), so it keeps working
when the template changes. It refuses a NAME that is not a slug or that the book already has.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "notebooks" / "chapter_template.ipynb"
TOC = ROOT / "_toc.yml"
SLUG = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
LABEL_KINDS = {"fig", "tbl", "table", "eq", "sec", "lst", "code", "box", "note"}
FALLBACK_PART = "Further chapters"
LABEL_CHARS = r"A-Za-z0-9_.:-"
MYST_TARGET = re.compile(rf"^\(([{LABEL_CHARS}]+)\)=\s*$", re.M)
DIRECTIVE_LABEL = re.compile(rf"^\s*:(?:name|label):\s*([{LABEL_CHARS}]+)\s*$", re.M)


class Refusal(SystemExit):
    def __init__(self, message: str):
        super().__init__(f"new-chapter: {message}")


def check_name(name: str, title: str) -> None:
    if not SLUG.fullmatch(name) or len(name) > 60:
        raise Refusal(f"{name!r} is not a valid chapter name: use lowercase letters, digits and single "
                      f"underscores, starting with a letter (for example theme_trade or bilateral_rus)")
    if not title.strip() or "\n" in title:
        raise Refusal("the title must be one non-empty line, for example \"Trade and transit, 1991-2000\"")
    for suffix in (".ipynb", ".md"):
        existing = ROOT / "notebooks" / f"{name}{suffix}"
        if existing.exists():
            raise Refusal(f"notebooks/{name}{suffix} already exists; pick another name or edit that chapter")
    if f"notebooks/{name}" in toc_entries():
        raise Refusal(f"_toc.yml already lists notebooks/{name}; pick another name")


def toc_entries() -> set[str]:
    found: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("file"), str):
                found.add(node["file"].removesuffix(".ipynb").removesuffix(".md"))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(yaml.safe_load(TOC.read_text(encoding="utf-8")))
    return found


def defined_labels(nb: dict) -> list[str]:
    """Every label the notebook defines (not the ones it only refers to)."""
    labels: list[str] = []
    for cell in nb["cells"]:
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        for value in (cell.get("metadata", {}).get("mystnb") or {}).values():
            if isinstance(value, dict) and isinstance(value.get("name"), str):
                labels.append(value["name"])
        if cell["cell_type"] == "markdown":
            labels += MYST_TARGET.findall(source) + DIRECTIVE_LABEL.findall(source)
    return list(dict.fromkeys(labels))


def renamed(label: str, name: str, template_slug: str) -> str:
    slug = name.replace("_", "-")
    kind, _, rest = label.partition("-")
    if kind not in LABEL_KINDS or not rest:
        kind, rest = "", label
    for own in (template_slug, "template"):  # the template's own marker gives way to the new name
        if rest == own:
            rest = ""
        elif rest.startswith(own + "-"):
            rest = rest[len(own) + 1:]
    return "-".join(part for part in (kind, slug, rest) if part)


def scaffold(name: str, title: str) -> tuple[nbformat.NotebookNode, dict[str, str]]:
    text = TEMPLATE.read_text(encoding="utf-8")
    labels = defined_labels(json.loads(text))
    mapping = {label: renamed(label, name, TEMPLATE.stem.replace("_", "-")) for label in labels}
    if len(set(mapping.values())) != len(mapping):
        raise Refusal(f"renaming the template's labels would merge two of them: {mapping}")
    for old, new in sorted(mapping.items(), key=lambda item: -len(item[0])):
        text = re.sub(rf"(?<![{LABEL_CHARS}]){re.escape(old)}(?![{LABEL_CHARS}])", new, text)
    nb = nbformat.reads(text, as_version=4)
    set_title(nb, title)
    for cell in nb.cells:
        if cell.cell_type == "code":
            # the chapter names itself, so that its source list reads the citations of its own prose
            cell.source = re.sub(rf"(?m)^CHAPTER = \"{TEMPLATE.stem}\"", f'CHAPTER = "{name}"', cell.source)
            cell.outputs = []
            cell.execution_count = None
    nb.metadata.get("language_info", {}).pop("version", None)
    return nb, mapping


def set_title(nb, title: str) -> None:
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        source, count = re.subn(r"^# .*$", lambda _: f"# {title.strip()}", cell.source, count=1, flags=re.M)
        if count:
            cell.source = source
            return
    nb.cells.insert(0, nbformat.v4.new_markdown_cell(f"# {title.strip()}"))


def choose_part(toc: dict, name: str, wanted: str | None) -> str:
    parts = toc.get("parts", [])
    captions = [p.get("caption", "") for p in parts]
    if wanted:
        if wanted not in captions:
            raise Refusal(f"_toc.yml has no part {wanted!r}; its parts are: {', '.join(captions)}")
        return wanted
    if "_" in name:
        prefix = name.split("_")[0] + "_"
        scores = []
        for part in parts:
            files = [c.get("file", "") for c in part.get("chapters", []) if isinstance(c, dict)]
            scores.append(sum(Path(f).name.startswith(prefix) for f in files))
        if scores and max(scores) > 0:
            return captions[scores.index(max(scores))]
    return FALLBACK_PART


def add_to_toc(name: str, part: str) -> None:
    """Insert ``- file: notebooks/NAME`` as the last chapter of ``part`` (created if missing), keeping comments."""
    lines = TOC.read_text(encoding="utf-8").splitlines()
    captions = [i for i, line in enumerate(lines) if re.match(r"^\s*- caption:", line)]
    if not captions:
        raise Refusal("_toc.yml has no parts (- caption: ...); add the chapter to it by hand")
    part_indent = re.match(r"^(\s*)", lines[captions[0]]).group(1)
    chapter_line = next((line for line in lines if re.match(r"^\s*- file:", line)
                         and len(re.match(r"^(\s*)", line).group(1)) > len(part_indent)), None)
    chapter_indent = re.match(r"^(\s*)", chapter_line).group(1) if chapter_line else part_indent + "    "
    entry = f"{chapter_indent}- file: notebooks/{name}"
    target = next((i for i in captions if re.sub(r"^\s*- caption:\s*", "", lines[i]).strip().strip("\"'") == part), None)
    if target is not None:
        end = next((i for i in captions if i > target), len(lines))
        while end > target and not lines[end - 1].strip():
            end -= 1
        lines.insert(end, entry)
    else:
        holder = next((i for i in reversed(captions) if any("chapter_template" in line for line in
                       lines[i:next((j for j in captions if j > i), len(lines))])), None)
        at = holder if holder is not None else len(lines)
        lines[at:at] = [f"{part_indent}- caption: {part}", f"{part_indent}  chapters:", entry]
    new_text = "\n".join(lines) + "\n"
    parsed = yaml.safe_load(new_text)  # never leave a broken table of contents behind
    if not any(c.get("file") == f"notebooks/{name}" for p in parsed["parts"] if p.get("caption") == part
               for c in p.get("chapters", [])):
        raise Refusal(f"could not place notebooks/{name} in part {part!r} of _toc.yml; add it by hand")
    TOC.write_text(new_text, encoding="utf-8")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bash tasks.sh new-chapter", description=__doc__.split("\n\n")[0])
    parser.add_argument("name", help="file name without .ipynb: lowercase letters, digits, underscores")
    parser.add_argument("title", help="the chapter's title (its H1)")
    parser.add_argument("--part", help="caption of the _toc.yml part to list it in")
    parser.add_argument("--no-execute", action="store_true", help="leave the outputs cleared")
    args = parser.parse_args(argv)
    check_name(args.name, args.title)
    toc = yaml.safe_load(TOC.read_text(encoding="utf-8"))
    part = choose_part(toc, args.name, args.part)
    nb, mapping = scaffold(args.name, args.title)
    path = ROOT / "notebooks" / f"{args.name}.ipynb"
    nbformat.write(nb, path)
    add_to_toc(args.name, part)
    print(f"new-chapter: wrote notebooks/{args.name}.ipynb titled {args.title.strip()!r}")
    for old, new in mapping.items():
        print(f"new-chapter:   label {old} -> {new}")
    print(f"new-chapter: listed it in _toc.yml under {part!r}")
    if args.no_execute:
        print("new-chapter: outputs left cleared; run 'bash tasks.sh check notebooks/"
              f"{args.name}.ipynb' once you have written it")
        return
    sys.path.insert(0, str(ROOT / "scripts"))
    from execute_notebooks import execute

    print(f"new-chapter: executing notebooks/{args.name}.ipynb", flush=True)
    execute(path)
    print(f"new-chapter: done. Write the chapter, then run: bash tasks.sh check notebooks/{args.name}.ipynb")


if __name__ == "__main__":
    main(sys.argv[1:])
