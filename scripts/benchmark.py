"""Print what readers and contributors wait for, as a table (`bash tasks.sh benchmark [options]`).

- clean strict build and no-change rebuild;
- the one-chapter loop, `bash tasks.sh check` on one chapter (``--chapter``, default below);
- nbval over all notebooks, serial and with two workers;
- each notebook's execution time next to its floor: a kernel that only imports the same libraries;
- page weight (HTML plus images) per page and for the whole book;
- with ``--full-test``: the whole `bash tasks.sh test` command (about 3 to 5 minutes more, so it is
  off by default).

Targets on the 2-core reference machine: the one-chapter check under 10 s, every notebook within
1.5x its floor, a no-change rebuild under 3 s, no page over 1 MB. Timings are wall-clock seconds;
per-notebook times are the best of ``--repeat`` runs (other work on the machine only adds time, so
the minimum is the fairest estimate). The load average is printed first for that reason.
"""

from __future__ import annotations

import argparse
import ast
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
HTML = ROOT / "_build" / "html"
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "scripts"))

from execute_notebooks import notebook_client  # noqa: E402

DEFAULT_CHAPTER = "notebooks/region_and_chronology.ipynb"  # a map, a timeline, tables: a typical chapter


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
    client = notebook_client(nb, path)
    start = time.perf_counter()
    client.execute()
    return time.perf_counter() - start


def notebook_rows(repeat: int) -> list[tuple[str, float, float]]:
    rows = []
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        source = nbformat.read(path, as_version=4)
        floor_nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(imports_of(source))])
        floor_nb.metadata = source.metadata
        full = min(run_notebook(nbformat.from_dict(source), path) for _ in range(repeat))
        floor = min(run_notebook(nbformat.from_dict(floor_nb), path) for _ in range(repeat))
        rows.append((path.name, full, floor))
    return rows


def check_loop(chapter: str) -> tuple[float, str]:
    """`bash tasks.sh check CHAPTER`, leaving the notebook as it was (check re-executes it in place)."""
    path = ROOT / chapter
    stored = path.read_bytes()
    try:
        return timed([sys.executable, "scripts/check_chapter.py", chapter])
    finally:
        path.write_bytes(stored)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bash tasks.sh benchmark", description="Timings as a table.")
    parser.add_argument("--chapter", default=DEFAULT_CHAPTER, help=f"chapter for the check loop ({DEFAULT_CHAPTER})")
    parser.add_argument("--repeat", type=int, default=2, help="runs per notebook, best one kept (2)")
    parser.add_argument("--full-test", action="store_true", help="also time the whole 'bash tasks.sh test'")
    args = parser.parse_args(argv)
    from test_site import built_pages, page_weight

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"machine: {os.cpu_count()} cores, load average {load} at the start; Python {sys.version.split()[0]}",
          flush=True)
    out: list[tuple[str, str, str]] = []
    shutil.rmtree(ROOT / "_build", ignore_errors=True)
    clean, note = timed(build_cmd())
    out.append(("clean strict build", f"{clean:.1f} s", note))
    rebuild, note = timed(build_cmd())
    out.append(("no-change rebuild", f"{rebuild:.1f} s", "target < 3 s" + (" MISSED" if rebuild >= 3 else "") + (" " + note if note else "")))
    loops = [check_loop(args.chapter) for _ in range(2)]  # the loop is run again and again: best of two
    seconds, note = min(loops)
    out.append((f"check {args.chapter} (one-chapter loop)", f"{seconds:.1f} s",
                "target < 10 s" + (" MISSED" if seconds >= 10 else "") + (" " + note if note else "")))
    for workers, label in ((1, "nbval, serial"), (2, "nbval, 2 workers")):
        seconds, note = timed(nbval_cmd(workers))
        out.append((label, f"{seconds:.1f} s", note))
    if args.full_test:
        seconds, note = timed(["bash", "tasks.sh", "test"])
        out.append(("bash tasks.sh test (everything)", f"{seconds:.1f} s", note))
    else:
        out.append(("bash tasks.sh test (everything)", "not run", "add --full-test (3 to 5 min more)"))
    for name, full, floor in notebook_rows(args.repeat):
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
    main(sys.argv[1:])
