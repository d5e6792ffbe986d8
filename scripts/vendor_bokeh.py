"""Copy the installed Bokeh's JavaScript into _static/vendor/ as ONE file the explorer page loads.

    .venv/bin/python scripts/vendor_bokeh.py          # write it (after a lock that changes Bokeh)
    .venv/bin/python scripts/vendor_bokeh.py --check  # exit 1 if the file is missing or stale

The file joins bokeh.min.js and bokeh-widgets.min.js from the bokeh package, so the built book
serves the library itself and the page fetches nothing from elsewhere. It is named ``.mjs``
because Jupyter Book 1.x adds every ``*.js`` under _static/ to every page; ``.mjs`` is served as
JavaScript (text/javascript) by ordinary web servers but is not picked up that way, so only the
explorer loads it. Bokeh's licence (BSD-3-Clause) is copied beside it.
"""

from __future__ import annotations

import sys
from importlib import metadata
from pathlib import Path

import bokeh

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from helpers.explore import BOKEH_BUNDLE  # noqa: E402

PARTS = ["bokeh.min.js", "bokeh-widgets.min.js"]


def bundle() -> bytes:
    js = Path(bokeh.__file__).parent / "server" / "static" / "js"
    chunks = [f"/* {name} from bokeh {bokeh.__version__} (BSD-3-Clause, see LICENSE-bokeh.txt) */\n".encode()
              + (js / name).read_bytes().rstrip() + b"\n;\n" for name in PARTS]
    return b"".join(chunks)


def licence() -> bytes:
    dist = metadata.distribution("bokeh")
    for f in dist.files or []:
        if f.name.upper().startswith("LICENSE"):
            return Path(dist.locate_file(f)).read_bytes()
    raise FileNotFoundError("the installed bokeh has no LICENSE file in its metadata")


def main(argv: list[str]) -> int:
    target = ROOT / BOKEH_BUNDLE.format(version=bokeh.__version__)
    folder = target.parent
    if "--check" in argv:
        ok = target.is_file() and target.read_bytes() == bundle()
        stale = sorted(p.name for p in folder.glob("bokeh-*.min.mjs") if p != target)
        if not ok or stale:
            print(f"{target.relative_to(ROOT)} is missing or stale{' (old: ' + ', '.join(stale) + ')' if stale else ''}: "
                  "run '.venv/bin/python scripts/vendor_bokeh.py'")
            return 1
        return 0
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("bokeh-*.min.mjs"):
        if old != target:
            old.unlink()
    target.write_bytes(bundle())
    (folder / "LICENSE-bokeh.txt").write_bytes(licence())
    print(f"wrote {target.relative_to(ROOT)} ({target.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
