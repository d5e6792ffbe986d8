"""Print what readers and contributors wait for, as a table (`bash tasks.sh benchmark`).

- clean strict build and no-change rebuild;
- nbval over all notebooks, serial and with two workers;
- each notebook's execution time next to its floor: a kernel that only imports the same libraries;
- page weight (HTML plus images) per page and for the whole book.

Targets on the 2-core reference machine: every notebook within 1.5x its floor, a no-change
rebuild under 3 s, no page over 1 MB. Timings are wall-clock seconds of one run each.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
HTML = ROOT / "_build" / "html"
sys.path.insert(0, str(ROOT / "tests"))


def timed(cmd: list[str]) -> tuple[float, str]:
    """Wall-clock seconds of one run, and a note if the command failed."""
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start, "" if done.returncode == 0 else f"FAILED (exit {done.returncode})"


def build_cmd() -> list[str]:
    return [str(BIN / "jupyter-book"), "build", ".", "--path-output", ".", "-W", "-n", "--keep-going", "--quiet"]


def nbval_cmd(workers: int) -> list[str]:
    cmd = [sys.executable, "-m", "pytest", "-q", "--nbval", "--nbval-current-env",
           "--nbval-sanitize-with", "tests/nbval_sanitize.cfg", "notebooks"]
    return cmd + (["-n", str(workers), "--dist", "loadscope"] if workers > 1 else [])


def imports_of(nb) -> str:
    """The import statements of a notebook, as one cell's source."""
    lines = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for node in ast.parse(cell.source).body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                lines.append(ast.unparse(node))
    return "\n".join(lines)


def run_notebook(nb, path: Path) -> float:
    client = NotebookClient(nb, timeout=600, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    return time.perf_counter() - start


def notebook_rows() -> list[tuple[str, float, float]]:
    rows = []
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        full = run_notebook(nb, path)
        floor_nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(imports_of(nb))])
        floor_nb.metadata = nb.metadata
        floor = run_notebook(floor_nb, path)
        rows.append((path.name, full, floor))
    return rows


def main() -> None:
    from test_site import built_pages, page_weight

    out: list[tuple[str, str, str]] = []
    shutil.rmtree(ROOT / "_build", ignore_errors=True)
    clean, note = timed(build_cmd())
    out.append(("clean strict build", f"{clean:.1f} s", note))
    rebuild, note = timed(build_cmd())
    out.append(("no-change rebuild", f"{rebuild:.1f} s", "target < 3 s" + (" MISSED" if rebuild >= 3 else "") + (" " + note if note else "")))
    for workers, label in ((1, "nbval, serial"), (2, "nbval, 2 workers")):
        seconds, note = timed(nbval_cmd(workers))
        out.append((label, f"{seconds:.1f} s", note))
    for name, full, floor in notebook_rows():
        ratio = full / floor
        out.append((f"execute {name}", f"{full:.1f} s", f"floor {floor:.1f} s, {ratio:.2f}x" + (" MISSED (target 1.5x)" if ratio > 1.5 else "")))
    weights = {p.relative_to(HTML).as_posix(): page_weight(p) for p in built_pages()}
    for page, weight in sorted(weights.items()):
        out.append((f"page {page}", f"{weight / 1024:.0f} KiB", "MISSED (1 MB)" if weight > 1_000_000 else ""))
    total = sum(p.stat().st_size for p in HTML.rglob("*") if p.is_file())
    out.append(("whole book (_build/html)", f"{total / 1024 / 1024:.1f} MiB", ""))
    width = max(len(r[0]) for r in out)
    print(f"| {'measure':<{width}} | value | note |")
    print(f"|{'-' * (width + 2)}|-------|------|")
    for name, value, note in out:
        print(f"| {name:<{width}} | {value} | {note} |")


if __name__ == "__main__":
    main()
