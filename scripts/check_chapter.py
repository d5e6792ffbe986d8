"""The one-chapter loop (`bash tasks.sh check notebooks/NAME.ipynb`): what CI will say about it, in seconds.

1. re-executes the notebook in place (as `bash tasks.sh execute` does);
2. then, at the same time on the two cores:
   - one pytest run: nbval re-executes it again and compares every output with the one just
     stored, figures byte for byte (so anything not reproducible shows up now, not on CI), and
     the house rules of tests/test_notebooks.py run for this notebook only (``--notebook``);
   - an incremental strict book build (``-W -n --keep-going``): Sphinx re-reads only what changed.
     The first build in a fresh clone is a full one and takes longer.

Exit status 0 only if all of it passed. The full `bash tasks.sh test` still runs everything.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "scripts"))

from execute_notebooks import display_path, execute  # noqa: E402

NBVAL = ["--nbval", "--nbval-current-env", "--nbval-sanitize-with", "tests/nbval_sanitize.cfg"]


def check_commands(notebooks: list[Path]) -> dict[str, list[str]]:
    names = [display_path(p) for p in notebooks]
    only = [arg for name in names for arg in ("--notebook", name)]
    return {
        "nbval and house rules": [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *NBVAL, *names,
                                  "tests/test_notebooks.py", *only],
        "incremental strict build": [str(BIN / "jupyter-book"), "build", ".", "--path-output", ".",
                                     "-W", "-n", "--keep-going", "--quiet"],
    }


def main(args: list[str]) -> int:
    if not args or any(a.startswith("-") for a in args):
        print("usage: bash tasks.sh check notebooks/NAME.ipynb [more notebooks]", file=sys.stderr)
        return 2
    notebooks = [Path(a).resolve() for a in args]
    wrong = [a for a, p in zip(args, notebooks) if p.suffix != ".ipynb" or not p.is_file()
             or p.parent != ROOT / "notebooks"]
    if wrong:
        print(f"check: not a chapter notebook: {', '.join(wrong)} (expected notebooks/NAME.ipynb)", file=sys.stderr)
        return 2
    first_build = not (ROOT / "_build" / "html" / "index.html").is_file()
    timings: list[tuple[str, float, bool]] = []
    start = time.perf_counter()
    for path in notebooks:
        print(f"== check: executing {display_path(path)} in place", flush=True)
        t0 = time.perf_counter()
        try:
            execute(path)
        except SystemExit as exc:
            print(exc, file=sys.stderr)
            print(f"== check: FAILED: {display_path(path)} does not run (see above); fix the cell and check again")
            return 1
        timings.append((f"execute {display_path(path)}", time.perf_counter() - t0, True))
    if first_build:
        print("== check: no earlier build in _build/html, so this build is a full one (later ones are incremental)")
    print("== check: nbval and house rules for it, and an incremental strict build, side by side", flush=True)
    running = {}
    for label, cmd in check_commands(notebooks).items():
        running[label] = (subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True),
                          time.perf_counter())
    ok = True
    for label, (proc, t0) in running.items():
        output, _ = proc.communicate()
        passed = proc.returncode == 0
        timings.append((label, time.perf_counter() - t0, passed))
        ok &= passed
        if not passed or label.startswith("nbval"):
            print(f"---- {label}: {'passed' if passed else 'FAILED'}")
            print(output.rstrip())
    total = time.perf_counter() - start
    for label, seconds, passed in timings:
        print(f"== check: {label:<45} {seconds:5.1f} s  {'ok' if passed else 'FAILED'}")
    print(f"== check: {'passed' if ok else 'FAILED'} in {total:.1f} s"
          + ("" if ok else " (see the reports above; each says what to change)"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
