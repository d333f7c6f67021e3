"""The viewer code shipped in the package (static/): the wasm-bindgen glue, its inline_js snippet and the
wasm, turned into ONE self-contained inline module script that defines `globalThis.__traceViewReady`.

The glue and the wasm are gzipped and base64-encoded; the browser inflates them with DecompressionStream
(Chromium 80+, Firefox 113+, Safari 16.4+, so JupyterLab/Notebook/VS Code/exported HTML in any current
browser). The `<trace-view>` element gets defined when the wasm starts, and every `<trace-view>` already
on the page upgrades then: outputs need only carry their data.
"""
from __future__ import annotations

import base64
import functools
import gzip
import json
import pathlib

STATIC = pathlib.Path(__file__).parent / "static"
GLUE = "trace-view.js"
WASM = "trace-view_bg.wasm"


class AssetsMissing(RuntimeError):
    pass


def _check() -> None:
    if not (STATIC / GLUE).is_file() or not (STATIC / WASM).is_file():
        raise AssetsMissing(
            f"the trace-view viewer files are missing from {STATIC}. This happens with an install made "
            "straight from the source folder. Build and install the wheel instead: "
            "`bash scripts/build-wheel.sh && pip install target/wheels/trace_view-*.whl` (from the repo root)."
        )


def _gz_b64(data: bytes) -> str:
    return base64.b64encode(gzip.compress(data, compresslevel=9, mtime=0)).decode("ascii")


def self_contained_glue() -> str:
    """The glue with each `from "./snippets/…"` import turned into a data: URL.

    Only the import specifier is rewritten: the same string is also the key of the wasm import object and
    must stay as it is.
    """
    _check()
    glue = (STATIC / GLUE).read_text(encoding="utf-8")
    for snip in sorted((STATIC / "snippets").glob("**/*.js")):
        rel = "./" + snip.relative_to(STATIC).as_posix()
        url = "data:text/javascript;base64," + base64.b64encode(snip.read_bytes()).decode("ascii")
        n = 0
        for q in ('"', "'"):
            spec = f"from {q}{rel}{q}"
            n += glue.count(spec)
            glue = glue.replace(spec, f"from {q}{url}{q}")
        if n == 0:
            raise AssetsMissing(f"the glue {GLUE} does not import {rel}; the static files do not match each other")
    return glue


LOADER_TEMPLATE = """<script type="module" data-trace-view-loader="{version}">
// trace-view {version}: the viewer (wasm-bindgen glue + wasm, gzip+base64), loaded once per page.
const G = globalThis;
if (!G.__traceViewReady) {{
  const unzip = async (b64) => {{
    const bin = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const s = new Blob([bin]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(s).arrayBuffer();
  }};
  G.__traceViewReady = (async () => {{
    const glue = new TextDecoder().decode(await unzip("{glue}"));
    const url = URL.createObjectURL(new Blob([glue], {{ type: "text/javascript" }}));
    const mod = await import(url);
    await mod.default({{ module_or_path: await unzip("{wasm}") }});
    return mod;
  }})();
  G.__traceViewReady.catch((e) => {{ G.__traceViewError = String(e && e.message || e); console.error("trace-view:", e); }});
}}
</script>"""


@functools.lru_cache(maxsize=1)
def loader_html() -> str:
    from . import __version__

    _check()
    glue = _gz_b64(self_contained_glue().encode("utf-8"))
    wasm = _gz_b64((STATIC / WASM).read_bytes())
    return LOADER_TEMPLATE.format(version=__version__, glue=glue, wasm=wasm)


def build_id() -> str:
    p = STATIC / "BUILD"
    return p.read_text().strip() if p.is_file() else "unknown"


def js_string(s: str) -> str:
    return json.dumps(s).replace("<", "\\u003c")
