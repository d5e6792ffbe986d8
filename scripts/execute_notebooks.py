"""Re-execute the book's notebooks in place, so their stored outputs match the data.

    bash tasks.sh execute                       # every notebook in notebooks/
    bash tasks.sh execute notebooks/foo.ipynb   # just these

Runs each notebook in its own folder with the 'python3' kernel, records no timing
metadata (outputs stay byte-stable), and stops at the first error, naming the cell.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parents[1]


def execute(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(path.parent)}})
    try:
        client.execute()
    except CellExecutionError as exc:
        raise SystemExit(f"{path.relative_to(ROOT)}: a cell failed\n{exc}") from None
    nb.metadata.pop("widgets", None)
    nbformat.write(nb, path)


def main(args: list[str]) -> None:
    paths = [Path(a).resolve() for a in args] or sorted((ROOT / "notebooks").rglob("*.ipynb"))
    paths = [p for p in paths if ".ipynb_checkpoints" not in p.parts]
    for path in paths:
        print(f"executing {path.relative_to(ROOT)}", flush=True)
        execute(path)


if __name__ == "__main__":
    main(sys.argv[1:])
