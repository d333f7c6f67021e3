#!/usr/bin/env bash
# Builds the viewer and serves it on loopback with the bundled example traces.
#   bash scripts/run.sh            # then open the printed URL
#   PORT=8080 bash scripts/run.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
source scripts/env.sh
trunk build --release
exec node tests/e2e/serve.mjs "${PORT:-8080}"
