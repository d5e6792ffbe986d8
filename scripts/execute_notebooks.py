"""Re-execute the book's notebooks in place, so their stored outputs match the data.

    bash tasks.sh execute                       # every notebook in notebooks/
    bash tasks.sh execute notebooks/foo.ipynb   # just these

Runs each notebook in its own folder with the 'python3' kernel, records no timing
metadata (outputs stay byte-stable), and stops at the first error, naming the cell.
The interpreter's patch version is not stored either (``language_info.version``), so
re-running under another supported Python changes nothing in the file.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import zmq
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from traitlets.config import Config

ROOT = Path(__file__).resolve().parents[1]


def kernel_config() -> Config:
    """Kernel-manager settings for every kernel the book's scripts start.

    jupyter_client (8.10) can provision CurveZMQ keys for a kernel whose kernelspec declares
    ``supported_encryption: curve`` (ipykernel's does); ipykernel then encrypts its sockets and
    no longer logs "Kernel is running over TCP without encryption" on every start
    (ipykernel/kernelapp.py, ``init_sockets``). The policy is the manager's
    ``transport_encryption`` trait; it needs libzmq with CURVE, which pyzmq's wheels have.
    """
    config = Config()
    if zmq.has("curve"):
        config.KernelManager.transport_encryption = "auto"
    return config


def notebook_client(nb, path: Path, **kwargs) -> NotebookClient:
    """A client that runs ``nb`` as the book does: in the notebook's folder, no timing metadata."""
    return NotebookClient(nb, timeout=600, kernel_name="python3", record_timing=False,
                          resources={"metadata": {"path": str(path.parent)}}, config=kernel_config(), **kwargs)


def display_path(path: Path) -> str:
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)


def shown_errors(nb) -> list[str]:
    """Errors a cell shows although it ran to its end.

    IPython catches an exception raised while it displays a result (a figure that fails the
    legibility audit of helpers.use_book_style, for one) and shows it as an error output of a cell
    that otherwise succeeded, so the kernel's reply does not count it as a failure.
    """
    return [f"cell {i} ({cell.get('id', '?')}): {out.get('ename')}: {out.get('evalue')}"
            for i, cell in enumerate(nb.cells) for out in cell.get("outputs", []) if out.get("output_type") == "error"]


def execute(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    try:
        notebook_client(nb, path).execute()
    except CellExecutionError as exc:
        raise SystemExit(f"{display_path(path)}: a cell failed\n{exc}") from None
    errors = shown_errors(nb)
    if errors:
        raise SystemExit(f"{display_path(path)}: a cell showed an error (the notebook was not saved)\n" + "\n".join(errors))
    nb.metadata.pop("widgets", None)
    nb.metadata.get("language_info", {}).pop("version", None)
    nbformat.write(nb, path)


def main(args: list[str]) -> None:
    paths = [Path(a).resolve() for a in args] or sorted((ROOT / "notebooks").rglob("*.ipynb"))
    paths = [p for p in paths if ".ipynb_checkpoints" not in p.parts]
    missing = [str(p) for p in paths if not p.is_file() or p.suffix != ".ipynb"]
    if missing:
        raise SystemExit(f"not a notebook: {', '.join(missing)} (expected paths such as notebooks/NAME.ipynb)")
    for path in paths:
        print(f"executing {display_path(path)}", flush=True)
        execute(path)


if __name__ == "__main__":
    main(sys.argv[1:])
