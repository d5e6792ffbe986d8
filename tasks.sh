#!/usr/bin/env bash
# One entry point for everything the book needs. Each command sets up its own
# environment first (a virtualenv in .venv, built from the pinned requirements.txt),
# so a fresh machine with Python 3.11 needs nothing else.
#
#   bash tasks.sh build      set up, then build the book into _build/html (strict)
#   bash tasks.sh test       set up, then run every test (helpers, data, notebooks, build, links, browser)
#   bash tasks.sh execute    re-execute every notebook in place (after data or helpers change)
#   bash tasks.sh benchmark  print build, test and page-weight timings as a table
#   bash tasks.sh lock       recompile requirements.txt from requirements.in
#   bash tasks.sh map-data   regenerate data/map/ from Natural Earth (maintainers only)
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3
VENV=$ROOT/.venv
STAMP=$VENV/.requirements.sha256

setup() {
  local want
  want=$(cat requirements.txt pyproject.toml | sha256sum | cut -d' ' -f1)
  if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$STAMP" 2>/dev/null)" != "$want" ]; then
    echo "== setting up $VENV (Python: $("$PY" --version))"
    "$PY" -m venv "$VENV"
    # (the grep drops this machine's notes about absent local package mirrors)
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade "pip==24.3.1" 2>&1 | grep -v "is ignored" || true
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r requirements.txt 2>&1 | grep -v "is ignored" || true
    "$VENV/bin/python" -c "import helpers, jupyter_book, nbval" || { echo "== setup failed"; exit 1; }
    echo "$want" > "$STAMP"
  fi
  export PATH="$VENV/bin:$PATH"
  # (no MPLBACKEND here: the kernels must use the inline backend the stored outputs were made with)
  unset MPLBACKEND
  export PYTHONHASHSEED=0 PYDEVD_DISABLE_FILE_VALIDATION=1
}

build() {
  setup
  rm -rf _build/html _build/.doctrees
  jupyter-book build . --path-output . -W -n --keep-going --quiet "$@"
  echo "== built: $ROOT/_build/html/index.html"
}

browser_setup() {
  # Debian's Chromium for the real-browser test; no browser download from elsewhere.
  if ! command -v chromium >/dev/null 2>&1; then
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
      echo "== installing Debian's chromium for the browser test"
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
        || echo "== could not install chromium; the browser test will be skipped"
    fi
  fi
}

run_tests() {
  setup
  echo "== 1/4 helpers, data and notebook metadata"
  python -m pytest -q tests -m "not build and not browser"
  echo "== 2/4 notebooks re-executed and compared with their stored outputs (nbval)"
  python -m pytest -q -n 2 --dist loadscope --nbval --nbval-current-env \
    --nbval-sanitize-with tests/nbval_sanitize.cfg notebooks
  echo "== 3/4 strict book build"
  build
  echo "== 4/4 built site: links, anchors, images, page weight, real browser"
  browser_setup
  python -m pytest -q tests -m "build or browser"
}

case "${1:-}" in
  setup) setup ;;
  build) shift; build "$@" ;;
  test) run_tests ;;
  execute) setup; python scripts/execute_notebooks.py "${@:2}" ;;
  benchmark) setup; browser_setup; python scripts/benchmark.py ;;
  lock)
    setup
    tmp=$(mktemp)
    pip-compile --quiet --strip-extras --no-emit-index-url --no-header --output-file "$tmp" requirements.in
    { echo "# Exact pins for every package the book needs, compiled from requirements.in by"
      echo "# 'bash tasks.sh lock' (pip-compile). The last line installs the book's own helpers."
      grep -v '^#' "$tmp" | sed '/^$/d'; echo "-e ."; } > requirements.txt
    rm -f "$tmp" ;;
  map-data) setup; python scripts/extract_map_data.py ;;
  *) sed -n '2,12p' "$0"; exit 2 ;;
esac
