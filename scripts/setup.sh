#!/usr/bin/env bash
# Idempotent, non-interactive setup of everything trace-view's build and tests need on a fresh
# Debian 12 machine that has rustup/cargo, node/npm and python3 (and reaches only the package registries).
# Each step checks first and is skipped when its result is already there; each prints its duration.
#
#   bash scripts/setup.sh          # install what is missing
#   source scripts/env.sh          # put the tools on PATH (wasm-opt 132 first, venv, chromedriver)
#
# Tools live outside the clone (TRACE_VIEW_TOOLS, default ~/.cache/trace-view) so a fresh clone on the
# same machine reuses them; cargo-installed binaries go to ~/.cargo/bin as usual.
#
# Why npm binaryen and not Debian's: Debian 12's wasm-opt is version 108 and its -Oz output of
# wasm-bindgen 0.2.130 fails at load ("WebAssembly.Table.set(): Argument 1 is invalid for table").
set -euo pipefail

WASM_BINDGEN_VERSION=0.2.130   # must equal the `=` pin of the wasm-bindgen crate in Cargo.toml
TRUNK_VERSION=0.21.14          # 0.22 needs a newer rustc than the machine's
BINARYEN_NPM_VERSION=132.0.0
PLAYWRIGHT_CORE_VERSION=1.65.1
MLFLOW_VERSION=3.17.2
TOOLS="${TRACE_VIEW_TOOLS:-$HOME/.cache/trace-view}"
VENV="$TOOLS/venv"
export PATH="$HOME/.cargo/bin:$PATH"
mkdir -p "$TOOLS"

T_ALL=$(date +%s)
step() { # step NAME CHECK_CMD INSTALL_CMD
  local name="$1" check="$2" install="$3" t0
  t0=$(date +%s)
  if eval "$check" >/dev/null 2>&1; then
    echo "[setup] $name: present"
  else
    echo "[setup] $name: installing..."
    eval "$install"
    eval "$check" >/dev/null 2>&1 || { echo "[setup] $name: FAILED its post-install check" >&2; exit 1; }
    echo "[setup] $name: installed in $(( $(date +%s) - t0 ))s"
  fi
}

apt_pkgs="chromium chromium-driver postgresql"
step "apt: $apt_pkgs" \
  "dpkg -s $apt_pkgs" \
  "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $apt_pkgs"

step "rustup target wasm32-unknown-unknown" \
  "rustup target list --installed | grep -qx wasm32-unknown-unknown" \
  "rustup target add wasm32-unknown-unknown"

# --locked fails to resolve here (its lock pins a webpki-roots release the registry lacks): try, then fall back.
step "wasm-bindgen-cli $WASM_BINDGEN_VERSION" \
  "[ \"\$(wasm-bindgen --version)\" = 'wasm-bindgen $WASM_BINDGEN_VERSION' ] && [ \"\$(wasm-bindgen-test-runner --version)\" = 'wasm-bindgen-test-runner $WASM_BINDGEN_VERSION' ]" \
  "cargo install wasm-bindgen-cli --version $WASM_BINDGEN_VERSION --locked || cargo install wasm-bindgen-cli --version $WASM_BINDGEN_VERSION"

# --locked is required: a fresh resolve picks a cssparser that lightningcss fails to compile against.
step "trunk $TRUNK_VERSION" \
  "[ \"\$(trunk --version)\" = 'trunk $TRUNK_VERSION' ]" \
  "cargo install trunk --version $TRUNK_VERSION --locked"

# npm tools are pinned in package.json / package-lock.json and installed into the repo's node_modules.
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
step "npm binaryen@$BINARYEN_NPM_VERSION playwright-core@$PLAYWRIGHT_CORE_VERSION (repo node_modules)" \
  "[ \"\$($REPO/node_modules/.bin/wasm-opt --version)\" = 'wasm-opt version 132 (version_132)' ] && grep -q '\"version\": \"$PLAYWRIGHT_CORE_VERSION\"' $REPO/node_modules/playwright-core/package.json" \
  "cd $REPO && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund && cd - >/dev/null"

py_pkgs="mlflow[auth]==$MLFLOW_VERSION pytest nbclient nbconvert ipykernel jupyterlab notebook psycopg2-binary wheel"
step "python venv ($py_pkgs)" \
  "$VENV/bin/python -c 'import mlflow, flask_wtf, pytest, nbclient, nbconvert, ipykernel, jupyterlab, notebook, psycopg2, wheel; assert mlflow.__version__ == \"$MLFLOW_VERSION\"'" \
  "{ [ -x $VENV/bin/python ] || python3 -m venv $VENV; } && $VENV/bin/pip install -q --upgrade pip && $VENV/bin/pip install -q $py_pkgs"

echo "[setup] done in $(( $(date +%s) - T_ALL ))s (tools in $TOOLS)"
