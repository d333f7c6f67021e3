#!/usr/bin/env bash
# Fuzzes trace-view's parsers for a bounded time, ONE target at a time on one core.
#
#   bash scripts/fuzz.sh                 # every target, 600 s each
#   bash scripts/fuzz.sh parse_any 60    # one target, 60 s
#   SANITIZER=none bash scripts/fuzz.sh  # without AddressSanitizer (faster; the code is safe Rust)
#   bash scripts/fuzz.sh --cmin [target] # minimize fuzz/corpus/<target> (all targets by default)
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

max_len_of() {
  case $1 in
    parse_any | derive_all | parse_mlflow_json | parse_ndjson) echo 131072 ;;
    *) echo 65536 ;;
  esac
}

if [ "$target" = --cmin ]; then
  # cargo fuzz cmin, then keep the committed corpus small: drop inputs over 4 KiB (the big fixtures
  # are seeds anyway) and keep the fewest inputs that cover the same edges (set-cover merge).
  if [ $# -ge 2 ]; then cmin_targets=("$2"); else cmin_targets=("${ALL[@]}"); fi
  for t in "${cmin_targets[@]}"; do
    cargo fuzz cmin --sanitizer "$sanitizer" "$t" "fuzz/corpus/$t" -- \
      -rss_limit_mb=2048 -timeout=10 -max_len="$(max_len_of "$t")"
    small=$(mktemp -d) && min=$(mktemp -d)
    find "fuzz/corpus/$t" -type f -size -4097c -exec cp {} "$small/" \;
    "fuzz/target/x86_64-unknown-linux-gnu/release/$t" -set_cover_merge=1 -use_counters=0 \
      -rss_limit_mb=2048 -timeout=10 "$min" "$small"
    rm -rf "fuzz/corpus/$t" && mv "$min" "fuzz/corpus/$t" && rm -rf "$small"
    echo "== $t: $(find "fuzz/corpus/$t" -type f | wc -l) files, $(du -sb "fuzz/corpus/$t" | cut -f1) bytes"
  done
  exit 0
fi

python3 fuzz/seeds.py

if [ "$target" = all ]; then targets=("${ALL[@]}"); else targets=("$target"); fi
for t in "${targets[@]}"; do
  max_len=$(max_len_of "$t")
  mkdir -p "fuzz/corpus/$t" "fuzz/target/seeds/$t"
  echo "== $t: ${secs}s, sanitizer $sanitizer, max_len $max_len"
  # One process (libFuzzer's default: no -jobs/-workers), bounded in time, memory and per-input time.
  cargo fuzz run --sanitizer "$sanitizer" "$t" "$PWD/fuzz/corpus/$t" "$PWD/fuzz/target/seeds/$t" -- \
    -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len="$max_len" \
    -dict="$PWD/fuzz/trace.dict" -print_final_stats=1
done
