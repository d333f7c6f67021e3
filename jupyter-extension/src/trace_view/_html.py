"""The MIME bundle of one output: text/html with the <trace-view> element, its data and a static
summary (shown where scripts cannot run), plus a readable text/plain."""
from __future__ import annotations

import html
import uuid

from ._payload import Payload, TraceSummary, fmt_count, fmt_duration

# Runs in every output (classic script, ~1 KB): follows JupyterLab's / VS Code's light-dark theme, and if
# the element is still undefined after a while (the output that carried the viewer code was cleared, or is
# not rendered yet), says how to get it back. The hint goes away by itself once the element is defined.
PER_OUTPUT_JS = """(function(){var s=document.currentScript,el=s&&s.previousElementSibling;
if(!el||el.localName!=="trace-view")return;var b=document.body,G=globalThis,h=null;
function th(){if(!el.isConnected){o&&o.disconnect();return}var t=b.getAttribute("data-jp-theme-light"),c=b.classList,
v=t==="true"?"light":t==="false"?"dark":c.contains("vscode-dark")||c.contains("vscode-high-contrast")?"dark":c.contains("vscode-light")?"light":"auto";
if(el.getAttribute("theme")!==v)el.setAttribute("theme",v)}
var o=null;if(el.getAttribute("data-theme")==="auto"){th();o=new MutationObserver(th);o.observe(b,{attributes:true,attributeFilter:["data-jp-theme-light","class"]})}
setTimeout(function(){if(customElements.get("trace-view")||!el.isConnected)return;h=document.createElement("div");
h.className="tvj-hint";h.style.cssText="font:13px/1.4 system-ui,sans-serif;color:#8a5a00;background:#fff6e0;border:1px solid #e0c080;border-radius:4px;padding:6px 10px;margin:4px 0";
h.textContent=G.__traceViewError?"trace-view could not start: "+G.__traceViewError:"The trace-view viewer code is not on this page (the output that carried it was cleared, or is not rendered yet). Run `import trace_view; trace_view.load()` in a cell, or re-run this cell. The summary below is static.";
el.parentNode.insertBefore(h,el)},%(timeout)d);
customElements.whenDefined("trace-view").then(function(){h&&h.remove()})})();"""


def _esc(s: str) -> str:
    return html.escape(s, quote=True)


def script_json(data: str) -> str:
    """JSON text made safe inside <script type="application/json">: every '<' (only ever inside JSON
    strings) becomes \\u003c, so '</script>' and '<!--' cannot end or confuse the script element."""
    return data.replace("<", "\\u003c")


def _trace_line(t: TraceSummary) -> str:
    bits = [f"<b>{_esc(t.name or '(unnamed trace)')}</b>"]
    if t.state:
        color = "#c62828" if t.state.upper() == "ERROR" else "#2e7d32" if t.state.upper() == "OK" else "inherit"
        bits.append(f'<span style="color:{color}">{_esc(t.state)}</span>')
    bits.append(_esc(fmt_duration(t.duration_ms)))
    bits.append(_esc(fmt_count(t.n_spans, "span")))
    if t.trace_id:
        bits.append(f"<code>{_esc(t.trace_id)}</code>")
    return " · ".join(bits)


def static_summary(p: Payload, note: str) -> str:
    out = ['<div class="tvj-static" style="font:13px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;'
           'border:1px solid rgba(128,128,128,.4);border-radius:6px;padding:8px 12px;margin:2px 0">']
    if p.is_list:
        out.append(f"<div><b>{_esc(fmt_count(len(p.traces), 'trace'))}</b> · {_esc(fmt_count(p.n_spans, 'span'))}</div>")
        out.append('<ol style="margin:4px 0;padding-left:22px">')
        for t in p.traces[:20]:
            out.append(f"<li>{_trace_line(t)}</li>")
        if len(p.traces) > 20:
            out.append(f"<li>… {len(p.traces) - 20} more</li>")
        out.append("</ol>")
    else:
        t = p.traces[0] if p.traces else TraceSummary()
        out.append(f"<div>{_trace_line(t)}</div>")
        if t.top_spans:
            out.append('<ul style="margin:4px 0;padding-left:18px;list-style:none">')
            for s in t.top_spans:
                typ = f' <span style="opacity:.65">{_esc(s.span_type)}</span>' if s.span_type else ""
                out.append(f'<li style="padding-left:{s.depth * 16}px">{_esc(s.name)}{typ} '
                           f'<span style="opacity:.65">{_esc(fmt_duration(s.duration_ms))}</span></li>')
            if t.n_spans > len(t.top_spans):
                out.append(f'<li style="opacity:.65">… {t.n_spans - len(t.top_spans):,} more spans</li>')
            out.append("</ul>")
    out.append(f'<div style="opacity:.7;font-size:12px">{_esc(note)}</div></div>')
    return "".join(out)


def text_plain(p: Payload) -> str:
    def line(t: TraceSummary) -> str:
        parts = [repr(t.name or "(unnamed)"), t.state or "?", fmt_duration(t.duration_ms), fmt_count(t.n_spans, "span")]
        return f"Trace({t.trace_id or '?'}) " + " · ".join(parts)

    if p.is_list:
        head = f"trace-view: {fmt_count(len(p.traces), 'trace')} · {fmt_count(p.n_spans, 'span')}"
        return "\n".join([head] + ["  " + line(t) for t in p.traces[:20]] + (["  …"] if len(p.traces) > 20 else []))
    t = p.traces[0] if p.traces else TraceSummary()
    lines = [line(t)]
    for s in t.top_spans:
        typ = f" [{s.span_type}]" if s.span_type else ""
        lines.append("  " + "  " * s.depth + f"{s.name}{typ} {fmt_duration(s.duration_ms)}")
    if t.n_spans > len(t.top_spans):
        lines.append(f"  … {t.n_spans - len(t.top_spans):,} more spans")
    return "\n".join(lines)


STATIC_NOTE = ("Static summary. The interactive trace-view viewer replaces it where the output can run "
               "scripts (a trusted notebook in JupyterLab, Notebook 7, VS Code, or exported HTML).")


def element_html(p: Payload, *, height: str = "560", theme: str = "auto", view: str | None = None,
                 hint_timeout_ms: int = 6000) -> str:
    uid = uuid.uuid4().hex[:12]
    attrs = [f'id="tv-{uid}"', f'height="{_esc(str(height))}"', 'style="display:block;width:100%"']
    if theme == "auto":
        attrs.append('theme="auto" data-theme="auto"')
    else:
        attrs.append(f'theme="{_esc(theme)}"')
    if view:
        attrs.append(f'view="{_esc(view)}"')
    return (
        f'<div class="tvj-output">'
        f'<trace-view {" ".join(attrs)}>'
        f'<script type="application/json">{script_json(p.data)}</script>'
        f"{static_summary(p, STATIC_NOTE)}"
        f"</trace-view>"
        f"<script>{PER_OUTPUT_JS % {'timeout': hint_timeout_ms}}</script>"
        f"</div>"
    )


def too_big_html(p: Payload, size: int, limit: int, path: str | None, how: str) -> str:
    msg = (f"This output would carry {size / 1e6:.1f} MB of trace data, over trace-view's inline limit of "
           f"{limit / 1e6:.1f} MB, so it is not embedded in the notebook.")
    saved = f" The JSON is saved to <code>{_esc(path)}</code>." if path else ""
    return (
        '<div class="tvj-output tvj-too-big" style="font:13px/1.45 system-ui,sans-serif">'
        f'<div style="background:#fff6e0;color:#6a4a00;border:1px solid #e0c080;border-radius:4px;padding:6px 10px;margin:4px 0">'
        f"{_esc(msg)}{saved} {how}</div>"
        f"{static_summary(p, 'Static summary of the trace that was too big to embed.')}"
        "</div>"
    )
