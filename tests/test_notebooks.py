"""House rules for the notebooks, checked on their stored outputs (no kernel needed)."""

from __future__ import annotations

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


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 4


def test_every_notebook_is_in_the_table_of_contents():
    listed = toc_files()
    missing = [p.relative_to(ROOT).with_suffix("").as_posix() for p in NOTEBOOKS
               if p.relative_to(ROOT).with_suffix("").as_posix() not in listed]
    assert not missing, f"notebooks not in _toc.yml: {missing}"


def test_every_toc_entry_exists():
    for entry in toc_files():
        assert any((ROOT / f"{entry}{ext}").is_file() for ext in (".ipynb", ".md")), entry


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_is_executed_and_clean(path):
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code, "no code cells"
    counts = [c.execution_count for c in code if c.source.strip()]
    assert all(counts), "some code cells were never executed: run 'bash tasks.sh execute'"
    assert counts == sorted(counts), "cells were executed out of order"
    for cell in code:
        for out in cell.get("outputs", []):
            assert out.output_type != "error", f"stored error in cell {cell.id}"
            assert not (out.output_type == "stream" and out.name == "stderr"), f"stderr (warnings) stored in cell {cell.id}: {out.text[:200]}"
            text = out.get("data", {}).get("text/plain", "") if out.output_type != "stream" else out.text
            assert not re.search(r"at 0x[0-9a-f]{6,}", text), f"memory address in output of cell {cell.id}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_has_one_title_and_no_skipped_heading_levels(path):
    levels = headings(nbformat.read(path, as_version=4))
    assert levels and levels[0] == 1 and levels.count(1) == 1, f"expected exactly one H1 first, got {levels}"
    for before, after in zip(levels, levels[1:]):
        assert after <= before + 1, f"heading level jumps from {before} to {after}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_figure_has_caption_label_and_alt_text(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        has_image = any("image/png" in out.get("data", {}) or "image/svg+xml" in out.get("data", {})
                        for out in cell.get("outputs", []))
        if not has_image:
            continue
        meta = cell.metadata.get("mystnb", {})
        figure, image = meta.get("figure", {}), meta.get("image", {})
        assert len(figure.get("caption", "")) > 40, f"cell {cell.id}: figure caption missing or too short"
        assert figure.get("name", "").startswith("fig-"), f"cell {cell.id}: figure label (name: fig-...) missing"
        assert len(image.get("alt", "")) > 30, f"cell {cell.id}: alt text missing or too short"
        assert re.search(r"[Ss]ource", figure["caption"]), f"cell {cell.id}: caption does not name its sources"
        assert "set_title" not in cell.source and "suptitle" not in cell.source, f"cell {cell.id}: title inside the figure"
        for label in re.findall(r"set_[xy]label\(\"([^\"]*)\"", cell.source):
            assert label == label.lower(), f"cell {cell.id}: axis label {label!r} is not lowercase"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_opens_with_question_and_sources(path):
    nb = nbformat.read(path, as_version=4)
    opening = nb.cells[0].source
    assert "**The question.**" in opening and "**What you will learn**" in opening and "**Prerequisites.**" in opening
    assert "**Sources" in opening


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
    assert used <= defined, f"glued in prose but never glued in code: {used - defined}"
