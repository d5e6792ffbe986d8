#!/usr/bin/env bash
# One entry point for everything the book needs. Each command sets up its own
# environment first (a virtualenv in .venv, built from the pinned requirements.txt),
# so a fresh machine with Python 3.11.0 to 3.13 needs nothing else.
#
#   bash tasks.sh build                     set up, then build the book into _build/html (strict, clean)
#   bash tasks.sh test                      set up, then run every test (helpers, data, notebooks, build, links, browser)
#   bash tasks.sh new-chapter NAME "Title"  start notebooks/NAME.ipynb from the chapter template and list it in _toc.yml
#   bash tasks.sh check notebooks/X.ipynb   one chapter: re-execute it, nbval and house rules for it, incremental build
#   bash tasks.sh execute [notebook ...]    re-execute notebooks in place (all of them by default)
#   bash tasks.sh validate                  check data/ against data/datapackage.json, and references.bib
#   bash tasks.sh benchmark [--full-test]   print build, check, nbval, per-notebook and page-weight timings
#   bash tasks.sh pdf                       build _build/pdf/book.pdf, the whole book, offline (headless Chromium)
#   bash tasks.sh setup                     only set up .venv (then: .venv/bin/jupyter lab)
#   bash tasks.sh lock                      recompile requirements.txt from requirements.in (checked on 3.11.0-3.13)
#   bash tasks.sh map-data                  regenerate data/map/ from Natural Earth (maintainers only)
#
# PYTHON=/path/to/python3.x picks the interpreter; VENV=/path picks another virtualenv folder.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
VENV=${VENV:-$ROOT/.venv}
STAMP=$VENV/.requirements.sha256
# The supported interpreters: 3.11.0 up to, not including, 3.14 (reproducibility.ipynb states the same range).
PY_MIN=3.11.0
PY_BELOW=3.14

die() { echo "== tasks.sh: $*" >&2; exit 1; }

py_version() { "$1" -c 'import platform; print(platform.python_version())' 2>/dev/null; }

py_supported() {
  "$1" - "$PY_MIN" "$PY_BELOW" <<'EOF' >/dev/null 2>&1
import sys
low, below = (tuple(int(p) for p in v.split(".")) for v in sys.argv[1:3])
sys.exit(0 if low <= sys.version_info[:len(low)] and sys.version_info[:len(below)] < below else 1)
EOF
}

find_python() {
  # Up front, before anything is installed: an interpreter in the supported range, or a clear refusal.
  if [ -n "${PYTHON:-}" ]; then
    local v
    v=$(py_version "$PYTHON") || die "PYTHON=$PYTHON does not run. Point PYTHON at a Python $PY_MIN to <$PY_BELOW interpreter."
    py_supported "$PYTHON" || die "PYTHON=$PYTHON is Python $v; the book needs Python $PY_MIN or newer, older than $PY_BELOW (3.11, 3.12 or 3.13)."
    PY=$PYTHON
    return
  fi
  local cand v seen=""
  for cand in python3.11 python3.12 python3.13 python3; do
    command -v "$cand" >/dev/null 2>&1 || continue
    v=$(py_version "$cand") || continue   # (a pyenv shim for a version that is not active fails here)
    if py_supported "$cand"; then PY=$cand; return; fi
    seen="$seen $cand=$v"
  done
  die "no supported Python found (found:${seen:- none}). The book needs Python $PY_MIN or newer, older than $PY_BELOW
   (3.11, 3.12 or 3.13): install one (Debian/Ubuntu: apt-get install python3.11 python3.11-venv) and run again,
   or point PYTHON=/path/to/python3.x at one."
}

setup() {
  find_python
  local want have_py want_py
  want_py=$(py_version "$PY")
  want=$(cat requirements.txt pyproject.toml | sha256sum | cut -d' ' -f1)-$want_py
  if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$STAMP" 2>/dev/null)" != "$want" ]; then
    echo "== setting up $VENV (Python $want_py: $(command -v "$PY"))"
    "$PY" -c "import ensurepip, venv" 2>/dev/null \
      || die "$PY $want_py has no venv/ensurepip module. On Debian/Ubuntu: apt-get install python${want_py%.*}-venv"
    have_py=$(py_version "$VENV/bin/python" || true)
    if [ -n "$have_py" ] && [ "$have_py" != "$want_py" ]; then
      echo "== $VENV was made with Python $have_py; rebuilding it with $want_py"
      "$PY" -m venv --clear "$VENV"
    else
      "$PY" -m venv "$VENV"
    fi
    # (the grep drops this machine's notes about absent local package mirrors)
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade "pip==24.3.1" 2>&1 | grep -v "is ignored" || true
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r requirements.txt 2>&1 | grep -v "is ignored" || true
    # ...and remove what an older lock installed and this one no longer lists (pip-sync comes with pip-tools)
    [ ! -x "$VENV/bin/pip-sync" ] || "$VENV/bin/pip-sync" --quiet requirements.txt 2>&1 | grep -v "is ignored" || true
    "$VENV/bin/python" -c "import helpers, jupyter_book, nbval" || die "setup failed: see the pip messages above"
    echo "$want" > "$STAMP"
  fi
  # JupyterLab's kernels: provision CurveZMQ keys (jupyter_server's MappingKernelManager.transport_encryption),
  # so ipykernel encrypts its sockets instead of warning "running over TCP without encryption".
  # The book's scripts set the same policy on the kernels they start (scripts/execute_notebooks.py).
  # (a file in jupyter_server_config.d/ is not read for this; the virtualenv's own config file is)
  mkdir -p "$VENV/etc/jupyter"
  echo '{"MappingKernelManager": {"transport_encryption": "auto"}}' > "$VENV/etc/jupyter/jupyter_server_config.json"
  export PATH="$VENV/bin:$PATH"
  # (no MPLBACKEND here: the kernels must use the inline backend the stored outputs were made with)
  unset MPLBACKEND
  export PYTHONHASHSEED=0 PYDEVD_DISABLE_FILE_VALIDATION=1
}

build_incremental() {
  jupyter-book build . --path-output . -W -n --keep-going --quiet "$@"
}

build() {
  setup
  rm -rf _build/html _build/.doctrees
  build_incremental "$@"
  echo "== built: $ROOT/_build/html/index.html"
}

banner() {
  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
  echo "!!! $*"
  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
}

browser_setup() {
  # Debian's Chromium for the real-browser test; no browser download from elsewhere.
  # CHROMIUM_SETUP tells tests/test_site.py why Chromium is missing (it stays empty when all is well).
  CHROMIUM_SETUP=""
  if ! command -v chromium >/dev/null 2>&1; then
    if ! command -v apt-get >/dev/null 2>&1; then
      CHROMIUM_SETUP="chromium is not installed and this machine has no apt-get to install it"
    elif [ "$(id -u)" != 0 ]; then
      CHROMIUM_SETUP="chromium is not installed and tasks.sh is not running as root, so it cannot apt-get install it (run: sudo apt-get install chromium)"
    else
      echo "== installing Debian's chromium for the browser test"
      if ! (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null); then
        CHROMIUM_SETUP="apt-get install chromium failed (see the apt-get messages above)"
      fi
    fi
    [ -z "$CHROMIUM_SETUP" ] || banner "NO BROWSER: $CHROMIUM_SETUP; the real-browser tests will not run"
  fi
  export CHROMIUM_SETUP
}

pdf_setup() {
  # pdftotext (poppler-utils) checks the PDF's text; Chromium prints it. Both from Debian, when root.
  browser_setup
  [ -z "$CHROMIUM_SETUP" ] || die "cannot print the PDF: $CHROMIUM_SETUP"
  if ! command -v pdftotext >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "== installing Debian's poppler-utils (pdftotext) to check the PDF"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null \
      || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null) \
      || echo "== poppler-utils could not be installed: the PDF's text will not be checked"
  fi
}

NBVAL=(--nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg)

run_tests() {
  setup
  echo "== 1/5 helpers, data and notebook metadata"
  python -m pytest -q tests -m "not build and not browser and not pdf"
  echo "== 2/5 notebooks re-executed and compared with their stored outputs, figures included (nbval)"
  python -m pytest -q -n 2 --dist loadscope "${NBVAL[@]}" notebooks
  echo "== 3/5 strict book build"
  build
  echo "== 4/5 built site: links, anchors, images, page weight, real browser"
  browser_setup
  python -m pytest -q tests -m "(build or browser) and not pdf"
  echo "== 5/5 the PDF of the whole book (headless Chromium), and every chapter title in its text"
  if [ -n "$CHROMIUM_SETUP" ]; then
    banner "NO PDF CHECK: $CHROMIUM_SETUP"
  else
    pdf_setup
    python scripts/build_pdf.py
    python -m pytest -q tests -m pdf
  fi
}

case "${1:-}" in
  setup) setup ;;
  build) shift; build "$@" ;;
  test) run_tests ;;
  new-chapter) shift; setup; python scripts/new_chapter.py "$@" ;;
  check) shift; setup; python scripts/check_chapter.py "$@" ;;
  execute) shift; setup; python scripts/execute_notebooks.py "$@" ;;
  validate) setup; python scripts/validate_data.py ;;
  pdf) setup; pdf_setup; python scripts/build_pdf.py ;;
  benchmark) shift; setup; python scripts/benchmark.py "$@" ;;
  lock) setup; python scripts/lock.py; python scripts/vendor_bokeh.py ;;
  map-data) setup; python scripts/extract_map_data.py ;;
  *) sed -n '2,/^set /{/^#/p}' "$0"; exit 2 ;;
esac
