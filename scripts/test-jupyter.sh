#!/usr/bin/env bash
# Runs every Jupyter integration test (tests/jupyter/): hook unit tests in a real IPython shell with the
# real MLflow SDK, show() inputs/errors/sizes, and end-to-end notebooks (nbclient + ipykernel + nbconvert
# HTML opened offline in headless Chromium; a live JupyterLab when available).
#   bash scripts/test-jupyter.sh              # extra pytest args are passed on, e.g. -k e2e
# Assumes `bash scripts/setup.sh` ran (venv with mlflow/pytest/nbclient/..., Chromium, node_modules).
# Builds the viewer if dist/ is missing, builds the wheel and installs it into the venv (idempotent), and
# ends with pytest's summary line; exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/env.sh
VENV="${TRACE_VIEW_TOOLS:-$HOME/.cache/trace-view}/venv"
PY="$VENV/bin/python"

if [ ! -f dist/core/trace-view_bg.wasm ]; then
  echo "[test-jupyter] dist/ is missing: building the viewer"
  trunk build --release
fi
if [ ! -d node_modules/playwright-core ]; then
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
fi
mkdir -p target/screenshots/jupyter target/test-logs
PYTHON="$PY" bash scripts/build-wheel.sh >target/test-logs/build-wheel.log 2>&1 || { cat target/test-logs/build-wheel.log; exit 1; }
"$PY" -m pip install -q --force-reinstall --no-deps target/wheels/trace_view-*.whl
"$PY" -c 'import trace_view; i = trace_view.info(); print("[test-jupyter] trace_view", i["version"], "(" + i["viewer_build"] + "), one-time code", i["loader_bytes"], "bytes")'

# -p no:cacheprovider: keep the tree clean; the summary line is pytest's last line.
exec "$PY" -m pytest tests/jupyter -q -rfE -p no:cacheprovider -W ignore::DeprecationWarning "$@"
