# Source me: puts trace-view's tools on PATH — npm's wasm-opt 132 first (Debian's 108 breaks the module),
# cargo's bin (trunk, wasm-bindgen), and the Python venv.
_tv_repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRACE_VIEW_TOOLS="${TRACE_VIEW_TOOLS:-$HOME/.cache/trace-view}"
export TRACE_VIEW_TOOLS
export PATH="$_tv_repo/node_modules/.bin:$HOME/.cargo/bin:$TRACE_VIEW_TOOLS/venv/bin:$PATH"
export CHROMEDRIVER=/usr/bin/chromedriver
# trunk looks for Trunk.toml; the project's file is trunk.toml.
export TRUNK_CONFIG="$_tv_repo/trunk.toml"
unset _tv_repo
