#!/usr/bin/env bash
# Builds the trace-view Python wheel (jupyter-extension/) with the built viewer inside it.
#   bash scripts/build-wheel.sh            # → target/wheels/trace_view-<version>-py3-none-any.whl
#   pip install target/wheels/trace_view-*.whl
# Builds the viewer first (trunk build --release) when dist/ is missing. Uses the project venv's Python
# (PYTHON=... to override); needs setuptools and wheel there (installs wheel from PyPI if missing).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPO="$PWD"
PYTHON="${PYTHON:-${TRACE_VIEW_TOOLS:-$HOME/.cache/trace-view}/venv/bin/python}"
[ -x "$PYTHON" ] || PYTHON=python3

if [ ! -f dist/core/trace-view_bg.wasm ]; then
  echo "[build-wheel] dist/ is missing: building the viewer (trunk build --release)"
  source scripts/env.sh
  trunk build --release
fi

# The package ships the wasm-bindgen glue, its inline_js snippet(s) and the wasm (not the page loader).
STATIC=jupyter-extension/src/trace_view/static
rm -rf "$STATIC"
mkdir -p "$STATIC"
cp dist/core/trace-view.js dist/core/trace-view_bg.wasm "$STATIC/"
cp -r dist/core/snippets "$STATIC/"
# Remember which viewer build is inside (shown by trace_view.info()): the wasm's hash and the repo commit.
echo "wasm sha256:$(sha256sum dist/core/trace-view_bg.wasm | cut -c1-12), repo $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)" > "$STATIC/BUILD"

"$PYTHON" -c 'import setuptools, wheel' 2>/dev/null || "$PYTHON" -m pip install -q wheel
rm -rf jupyter-extension/build target/wheels
"$PYTHON" -m pip wheel -q --no-deps --no-build-isolation ./jupyter-extension -w target/wheels
rm -rf jupyter-extension/build jupyter-extension/src/*.egg-info
ls -l target/wheels/*.whl
