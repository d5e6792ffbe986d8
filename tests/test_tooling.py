"""The contributor tooling: the Python range tasks.sh enforces, and quiet, version-neutral execution."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
TASKS = ROOT / "tasks.sh"


def supported_range() -> tuple[str, str]:
    text = TASKS.read_text(encoding="utf-8")
    low = re.search(r"^PY_MIN=(\d+\.\d+\.\d+)$", text, flags=re.M)
    below = re.search(r"^PY_BELOW=(\d+\.\d+)$", text, flags=re.M)
    assert low and below, "tasks.sh must define PY_MIN=X.Y.Z and PY_BELOW=X.Y"
    return low.group(1), below.group(1)


def fake_python(folder: Path, version: str) -> Path:
    """An executable that answers tasks.sh's version questions as Python ``version`` would."""
    major, minor, *_ = (int(p) for p in version.split("."))
    path = folder / f"python{major}.{minor}"
    path.write_text(
        "#!/bin/sh\n"
        f"# stands in for Python {version}: prints its version, fails the range check\n"
        f'case "$*" in *python_version*) echo {version}; exit 0;; esac\n'
        "cat >/dev/null; exit 1\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return path


def test_reproducibility_chapter_states_the_range_tasks_sh_enforces():
    low, below = supported_range()
    major, minor = (int(p) for p in below.split("."))
    stated = f"{low} to {major}.{minor - 1}.x"
    nb = nbformat.read(ROOT / "notebooks" / "reproducibility.ipynb", as_version=4)
    outputs = [out.get("data", {}).get("text/plain", "") for cell in nb.cells if cell.cell_type == "code"
               for out in cell.outputs]
    assert any(re.search(rf"^python\s+{re.escape(stated)}$", text, flags=re.M) for text in outputs), (
        f"notebooks/reproducibility.ipynb should show 'python {stated}' (the range in tasks.sh); "
        f"update SUPPORTED_PYTHON there and run 'bash tasks.sh execute notebooks/reproducibility.ipynb'")
    running = f"{sys.version_info.major}.{sys.version_info.minor}.{sys.version_info.micro}"
    assert not any(running in text for text in outputs), "the stored output names the interpreter that ran it"


def test_tasks_sh_refuses_an_unsupported_python_before_installing_anything(tmp_path):
    venv = tmp_path / "venv"
    env = dict(os.environ, PYTHON=str(fake_python(tmp_path, "3.10.4")), VENV=str(venv))
    out = subprocess.run(["bash", str(TASKS), "setup"], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode != 0
    assert "is Python 3.10.4" in out.stderr and "3.11.0 or newer, older than 3.14" in out.stderr, out.stderr
    assert not venv.exists()


def test_tasks_sh_names_a_python_that_does_not_run(tmp_path):
    env = dict(os.environ, PYTHON=str(tmp_path / "no-such-python"), VENV=str(tmp_path / "venv"))
    out = subprocess.run(["bash", str(TASKS), "build"], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode != 0 and "does not run" in out.stderr, out.stderr


def test_execute_script_is_quiet_and_stores_no_interpreter_version(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(6 * 7)")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "tiny.ipynb"
    nbformat.write(nb, path)
    out = subprocess.run([sys.executable, str(ROOT / "scripts" / "execute_notebooks.py"), str(path)],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "without encryption" not in out.stderr and "WARNING" not in out.stderr, out.stderr
    done = nbformat.read(path, as_version=4)
    assert done.cells[0].outputs[0]["text"] == "42\n"
    assert "version" not in done.metadata.get("language_info", {})


def validate(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "validate_data.py"), str(folder)],
                          capture_output=True, text=True, timeout=120)


def test_validate_passes_on_the_book_data(data_copy, tmp_path):
    (tmp_path / "references.bib").write_bytes((ROOT / "references.bib").read_bytes())
    out = validate(data_copy.folder)
    assert out.returncode == 0, out.stderr
    assert re.search(r"^events\s+\d+ rows$", out.stdout, flags=re.M) and "references.bib is current" in out.stdout


def test_validate_names_an_undeclared_table(data_copy, tmp_path):
    (tmp_path / "references.bib").write_bytes((ROOT / "references.bib").read_bytes())
    data_copy.write_rows("trade_routes", [["route_id", "source_id"], ["r1", "karassayev2023"]])
    out = validate(data_copy.folder)
    assert out.returncode == 1 and "trade_routes.csv: not declared in data/datapackage.json" in out.stderr, out.stderr


def test_validate_reports_a_bad_row_and_a_stale_bibliography(data_copy, tmp_path):
    (tmp_path / "references.bib").write_text("stale\n", encoding="utf-8")
    out = validate(data_copy.folder)
    assert out.returncode == 1 and "references.bib is out of date" in out.stderr, out.stderr
    data_copy.set_value("places", 2, "lat", "95.0")
    out = validate(data_copy.folder)
    assert out.returncode == 1 and "places.csv" in out.stderr and "95.0" in out.stderr, out.stderr
