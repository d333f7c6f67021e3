#!/usr/bin/env bash
# Fuzzes trace-view's parsers for a bounded time, ONE target at a time on one core.
#
#   bash scripts/fuzz.sh                 # every target, 600 s each
#   bash scripts/fuzz.sh parse_any 60    # one target, 60 s
#   SANITIZER=none bash scripts/fuzz.sh  # without AddressSanitizer (faster; the code is safe Rust)
#
# Stable rustc + RUSTC_BOOTSTRAP=1 (cargo-fuzz passes nightly-only -Z flags). New inputs go to
# fuzz/corpus/<target>/ (commit them after `cargo fuzz cmin`); crashes to fuzz/artifacts/<target>/.
# Not run by CI: CI replays the committed corpora through tests/fuzz_regressions.rs (cargo test).
set -euo pipefail
cd "$(dirname "$0")/.."

ALL=(parse_any parse_mlflow_json parse_otlp parse_ndjson rest_responses attributes derive_all)
target=${1:-all}
secs=${2:-600}
sanitizer=${SANITIZER:-address}
export RUSTC_BOOTSTRAP=1 CARGO_BUILD_JOBS=1

command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --version 0.13.2 -j 1
python3 fuzz/seeds.py

if [ "$target" = all ]; then targets=("${ALL[@]}"); else targets=("$target"); fi
for t in "${targets[@]}"; do
  case $t in
    parse_any | derive_all | parse_mlflow_json | parse_ndjson) max_len=131072 ;;
    *) max_len=65536 ;;
  esac
  mkdir -p "fuzz/corpus/$t" "fuzz/target/seeds/$t"
  echo "== $t: ${secs}s, sanitizer $sanitizer, max_len $max_len"
  # One process (libFuzzer's default: no -jobs/-workers), bounded in time, memory and per-input time.
  cargo fuzz run --sanitizer "$sanitizer" "$t" "$PWD/fuzz/corpus/$t" "$PWD/fuzz/target/seeds/$t" -- \
    -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len="$max_len" \
    -dict="$PWD/fuzz/trace.dict" -print_final_stats=1
done
