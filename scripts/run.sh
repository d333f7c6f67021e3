#!/usr/bin/env bash
# The demo: a real MLflow tracking server on sqlite (loopback, a free port), seeded with demo traces by
# the real MLflow SDK (sessions and users, chat spans with tool calls, token usage, an error, tags, one
# large trace), and the viewer served in front of it on one origin. Prints the URL to open.
#   bash scripts/run.sh                 # viewer on http://127.0.0.1:8080/
#   PORT=9000 LARGE_SPANS=10000 bash scripts/run.sh
# Ctrl-C stops both servers. Data lives in a fresh temp dir per run (DEMO_DIR to keep one).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
source scripts/env.sh
trunk build --release

PY="$TRACE_VIEW_TOOLS/venv/bin/python"
DEMO_DIR="${DEMO_DIR:-$(mktemp -d -t trace-view-demo-XXXX)}"
MLFLOW_PORT=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
MLFLOW_URL="http://127.0.0.1:$MLFLOW_PORT"
echo "[run] starting mlflow server on $MLFLOW_URL (store: $DEMO_DIR/mlflow.db)"
"$TRACE_VIEW_TOOLS/venv/bin/mlflow" server --backend-store-uri "sqlite:///$DEMO_DIR/mlflow.db" \
  --artifacts-destination "$DEMO_DIR/artifacts" --host 127.0.0.1 --port "$MLFLOW_PORT" --workers 1 \
  > "$DEMO_DIR/mlflow.log" 2>&1 &
MLFLOW_PID=$!
trap 'kill $MLFLOW_PID 2>/dev/null || true' EXIT INT TERM
for _ in $(seq 1 120); do
  curl -fs "$MLFLOW_URL/health" >/dev/null 2>&1 && break
  kill -0 $MLFLOW_PID 2>/dev/null || { echo "[run] mlflow server exited; see $DEMO_DIR/mlflow.log"; exit 1; }
  sleep 0.5
done
curl -fs "$MLFLOW_URL/health" >/dev/null || { echo "[run] mlflow server did not start; see $DEMO_DIR/mlflow.log"; exit 1; }
echo "[run] seeding demo traces with the MLflow SDK…"
"$PY" scripts/seed_demo.py --tracking-uri "$MLFLOW_URL" --extra 30 --large-spans "${LARGE_SPANS:-2000}" | tail -1
echo "[run] open http://127.0.0.1:${PORT:-8080}/ (MLflow's own UI for comparison: $MLFLOW_URL)"
node tests/e2e/serve.mjs "${PORT:-8080}" "$MLFLOW_URL"
