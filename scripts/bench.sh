#!/usr/bin/env bash
# The benchmark: trace-view vs MLflow's own UI on the same real mlflow server, plus offline floors.
#   bash scripts/bench.sh            # full run (100/1k/10k spans via the SDK, 10k/100k offline, 3 repeats)
#   bash scripts/bench.sh --quick    # the smoke run CI does (1k spans, 1 repeat)
# Extra arguments go to tests/bench/bench.mjs (e.g. --offline 1000000, --no-mlflow-ui, --repeat 5).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh >/dev/null
source scripts/env.sh
[ -f dist/index.html ] || trunk build --release
exec node tests/bench/bench.mjs "$@"
