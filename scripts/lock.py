"""Recompile requirements.txt from requirements.in so that every pin installs on Python 3.11.0 to 3.13.

    bash tasks.sh lock

pip-compile resolves for the interpreter it runs on (say 3.11.7), so a pin can come out that an
older patch release refuses (soupsieve 4.1.3 needs 3.11.5; Debian 12 ships 3.11.2). After compiling,
this script asks pip, for each supported version, whether the whole lock would install there
(``pip install --dry-run --python-version ... --only-binary=:all:``). If a pin is refused, it finds
the newest release that the oldest supported Python accepts, adds a cap for it to requirements.in
(in the block marked below) and compiles again. It never lowers a pin that already works.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REQUIREMENTS_IN = ROOT / "requirements.in"
REQUIREMENTS_TXT = ROOT / "requirements.txt"
#: The supported range, oldest first; "3.11" means 3.11.0 to pip.
PYTHONS = ["3.11", "3.12", "3.13"]
CAPS_HEADER = "# Caps so that every pin installs on Python 3.11.0 to 3.13 (added by 'bash tasks.sh lock'):"
HEADER = [
    "# Exact pins for every package the book needs, compiled from requirements.in by",
    "# 'bash tasks.sh lock' (pip-compile), checked to install on Python 3.11.0 to 3.13.",
    "# The last line installs the book's own helpers.",
]
PIP = [sys.executable, "-m", "pip", "--disable-pip-version-check"]


def quiet(text: str) -> str:
    """Drop this machine's notes about absent local package mirrors."""
    return "\n".join(line for line in text.splitlines() if "is ignored" not in line)


def compile_lock() -> str:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "requirements.txt"
        if REQUIREMENTS_TXT.is_file():  # pip-compile keeps the pins it finds there unless they no longer fit
            out.write_text(REQUIREMENTS_TXT.read_text(encoding="utf-8"), encoding="utf-8")
        done = subprocess.run(
            [str(Path(sys.executable).parent / "pip-compile"), "--quiet", "--strip-extras", "--no-emit-index-url", "--no-emit-find-links",
             "--no-header", "--output-file", str(out), str(REQUIREMENTS_IN)],
            cwd=ROOT, capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(f"pip-compile failed:\n{quiet(done.stdout + done.stderr)}")
        body = [line for line in out.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    return "\n".join(HEADER + body + ["-e ."]) + "\n"


def refused_pin(lock: str, python: str) -> str | None:
    """None if every pin of ``lock`` installs on ``python``; else the first refused 'name==version'."""
    with tempfile.TemporaryDirectory() as tmp:
        pins = Path(tmp) / "pins.txt"
        pins.write_text("\n".join(line for line in lock.splitlines() if not line.startswith("-e")), encoding="utf-8")
        done = subprocess.run(
            PIP + ["install", "--dry-run", "--quiet", "--no-deps", "--ignore-installed", "--only-binary=:all:",
                   "--python-version", python, "-r", str(pins)],
            capture_output=True, text=True)
    if done.returncode == 0:
        return None
    found = re.search(r"No matching distribution found for (\S+)", done.stderr)
    if not found:
        raise SystemExit(f"checking the lock on Python {python} failed:\n{quiet(done.stderr)}")
    return found.group(1)


def newest_release_for(name: str, python: str) -> str:
    done = subprocess.run(PIP + ["index", "versions", name, "--python-version", python, "--only-binary=:all:"],
                          capture_output=True, text=True)
    found = re.search(rf"^{re.escape(name)} \(([^)]+)\)", done.stdout, flags=re.M | re.I)
    if not found:
        raise SystemExit(f"no release of {name} installs on Python {python}; drop the requirement "
                         f"that pulls it in or raise the supported minimum in tasks.sh")
    return found.group(1)


def add_cap(name: str, version: str, python: str) -> None:
    text = REQUIREMENTS_IN.read_text(encoding="utf-8")
    if CAPS_HEADER not in text:
        text = text.rstrip("\n") + "\n" + CAPS_HEADER + "\n"
    text = text.rstrip("\n") + f"\n{name}<={version}  # newer releases refuse Python {python}.0\n"
    REQUIREMENTS_IN.write_text(text, encoding="utf-8")
    print(f"lock: {name} capped at {version} in requirements.in (newer releases refuse Python {python}.0)")


def main() -> None:
    for _ in range(10):
        lock = compile_lock()
        refused = {python: refused_pin(lock, python) for python in PYTHONS}
        bad = [(python, pin) for python, pin in refused.items() if pin]
        if not bad:
            # pip-compile names requirements.in by its absolute path: keep the file the same wherever the book lives
            REQUIREMENTS_TXT.write_text(lock.replace(f"{ROOT}/", ""), encoding="utf-8")
            print(f"lock: requirements.txt written; every pin installs on Python {', '.join(PYTHONS)} (x86_64 Linux wheels)")
            return
        python, pin = bad[0]
        name = pin.split("==")[0]
        if python != PYTHONS[0]:
            raise SystemExit(f"lock: {pin} has no wheel for Python {python}; pick a release that does "
                             f"and pin it in requirements.in")
        add_cap(name, newest_release_for(name, python), python)
    raise SystemExit("lock: gave up after 10 rounds of caps; see requirements.in")


if __name__ == "__main__":
    main()
