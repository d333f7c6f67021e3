#!/usr/bin/env bash
# Runs every test of trace-view: native model/layout tests, the Jupyter package's tests (real kernel,
# nbconvert HTML offline, live JupyterLab), wasm component tests in headless Chromium, end-to-end tests
# of the built SPA, element and server mode in headless Chromium, and the benchmark's smoke run.
# Installs what is missing first.
# Ends with one summary line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }
source scripts/env.sh
LOGS=target/test-logs
mkdir -p "$LOGS"
T0=$(date +%s)
status=0

stage() { # stage NAME LOG CMD...
  local name="$1" log="$2" t; shift 2
  t=$(date +%s)
  echo "=== $name"
  "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  echo "=== $name: exit $rc in $(( $(date +%s) - t ))s"
  [ "$rc" -eq 0 ] || status=1
}

stage "native tests (cargo test)" "$LOGS/native.log" cargo test --color never
stage "build the SPA (trunk build --release)" "$LOGS/build.log" trunk build --release
stage "Jupyter integration (pytest: hook, show(), nbclient + nbconvert offline, live JupyterLab/Notebook)" \
  "$LOGS/jupyter.log" bash scripts/test-jupyter.sh
stage "component tests in Chromium (wasm-bindgen-test)" "$LOGS/wasm.log" \
  cargo test --color never --target wasm32-unknown-unknown --test web
stage "end-to-end tests in Chromium (node --test)" "$LOGS/e2e.log" node --test tests/e2e/
# The benchmark's smoke run (1k spans, 1 repeat) keeps it from rotting; its numbers are not asserted.
stage "benchmark smoke run" "$LOGS/bench.log" node tests/bench/bench.mjs --quick

# One summary over all runners.
passed=0; failed=0
for log in "$LOGS/native.log" "$LOGS/wasm.log"; do
  p=$(grep -Eo 'test result: [A-Za-z]+\. [0-9]+ passed; [0-9]+ failed' "$log" | awk '{s+=$4} END {print s+0}')
  f=$(grep -Eo 'test result: [A-Za-z]+\. [0-9]+ passed; [0-9]+ failed' "$log" | awk '{s+=$6} END {print s+0}')
  passed=$((passed + p)); failed=$((failed + f))
done
p=$(grep -Eo '^# pass [0-9]+' "$LOGS/e2e.log" | awk '{s+=$3} END {print s+0}')
f=$(grep -Eo '^# fail [0-9]+' "$LOGS/e2e.log" | awk '{s+=$3} END {print s+0}')
passed=$((passed + p)); failed=$((failed + f))
p=$(tail -1 "$LOGS/jupyter.log" | grep -Eo '[0-9]+ passed' | grep -Eo '[0-9]+' || echo 0)
f=$(tail -1 "$LOGS/jupyter.log" | grep -Eo '[0-9]+ (failed|error)' | awk '{s+=$1} END {print s+0}')
passed=$((passed + p)); failed=$((failed + f))
# A stage that failed without reporting test failures (a build error) still counts as a failure.
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "=== all tests took $(( $(date +%s) - T0 ))s"
echo "$passed passed, $failed failed"
exit $status
