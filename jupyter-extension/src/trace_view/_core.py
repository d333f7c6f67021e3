"""Public API and the IPython integration.

Once per kernel session, the first trace output also carries the viewer code (one inline module script,
see _assets.loader_html); every output carries only its own data, a static summary and ~1.3 KB of script.
"""
from __future__ import annotations

import hashlib
import logging
import os
import sys
import threading
from typing import Any

from . import _assets, _html
from ._payload import Payload, normalize

_log = logging.getLogger("trace_view")

DEFAULT_MAX_INLINE_BYTES = 20_000_000


class _Options:
    def __init__(self) -> None:
        self.height: str = "560"
        self.theme: str = "auto"
        self.view: str | None = None
        self.max_inline_bytes: int | None = DEFAULT_MAX_INLINE_BYTES
        self.export_dir: str = "trace_view_exports"
        self.hint_timeout_ms: int = 6000
        self.wait_for_writes_s: float = 10.0

    def update(self, **kw: Any) -> None:
        for k, v in kw.items():
            if v is None and k not in ("max_inline_bytes", "view"):
                continue
            if not hasattr(self, k):
                raise TypeError(f"unknown trace_view option {k!r}; known: height, theme, view, max_inline_bytes, export_dir, wait_for_writes_s")
            if k == "theme" and v not in ("auto", "light", "dark"):
                raise ValueError(f"theme must be 'auto', 'light' or 'dark', not {v!r}")
            if k == "view" and v not in (None, "tree", "timeline", "both"):
                raise ValueError(f"view must be 'tree', 'timeline' or 'both', not {v!r}")
            if k == "height":
                v = str(v)
            setattr(self, k, v)


class _State:
    def __init__(self) -> None:
        self.enabled = False
        self.ip = None
        # the viewer code is on the page (emitted in this kernel session, in cell `loader_cell_id`)
        self.loader_emitted = False
        self.loader_cell_id: str | None = None
        self.current_cell_id: str | None = None
        self.lock = threading.Lock()
        self.created: dict[str, Any] = {}  # trace id → Trace, exported during the current cell
        self.searches: list[Any] = []  # search_traces results of the current cell
        self.shown: set[str] = set()  # trace ids already displayed in the current cell
        self.patches: list[tuple[Any, str, Any]] = []
        self.mlflow_patched = False
        self.mlflow_display_was_disabled: bool | None = None
        self.stats = {"outputs": 0, "loader_emitted": 0}


options = _Options()
_state = _State()
_tls = threading.local()


# ------------------------------------------------------------------ building outputs


def _bundle(p: Payload, *, height=None, theme=None, view=None, max_inline_bytes: Any = "default") -> dict:
    limit = options.max_inline_bytes if max_inline_bytes == "default" else max_inline_bytes
    size = len(p.data.encode("utf-8"))
    plain = _html.text_plain(p)
    if limit is not None and size > limit:
        path = _export(p)
        how = (
            "Open it in the standalone viewer: run <code>bash scripts/run.sh</code> in the trace-view repo and "
            "use its <i>Open file</i> button, or serve the file and open <code>?src=&lt;its URL&gt;</code>. "
            "To embed it anyway: <code>trace_view.show(x, max_inline_bytes=None)</code>."
        )
        _state.stats["outputs"] += 1
        return {
            "text/plain": plain + f"\n(too big to embed: {size / 1e6:.1f} MB > {limit / 1e6:.1f} MB; saved to {path})",
            "text/html": _html.too_big_html(p, size, limit, path, how),
        }
    body = _html.element_html(
        p,
        height=height or options.height,
        theme=theme or options.theme,
        view=view if view is not None else options.view,
        hint_timeout_ms=options.hint_timeout_ms,
    )
    html = body
    if not _state.loader_emitted:
        html = _assets.loader_html() + body
        _state.loader_emitted = True
        _state.loader_cell_id = _state.current_cell_id
        _state.stats["loader_emitted"] += 1
    _state.stats["outputs"] += 1
    return {"text/plain": plain, "text/html": html}


def _export(p: Payload) -> str | None:
    try:
        os.makedirs(options.export_dir, exist_ok=True)
        name = (p.trace_ids[0] if len(p.trace_ids) == 1 else "traces-" + hashlib.sha1(p.data.encode()).hexdigest()[:12])
        path = os.path.abspath(os.path.join(options.export_dir, f"{name}.json"))
        with open(path, "w", encoding="utf-8") as f:
            f.write(p.data)
        return path
    except OSError as e:
        _log.warning("trace_view: could not save the trace JSON: %s", e)
        return None


def _publish(bundle: dict) -> None:
    from IPython.display import display

    display(bundle, raw=True)


def _in_ipython():
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return get_ipython()


def bundle(x: Any, **kw: Any) -> dict:
    """The MIME bundle ({'text/plain', 'text/html'}) that show(x) displays. Marks the viewer code as
    emitted when it includes it."""
    p = normalize(x)
    return _bundle(p, **kw)


def show(x: Any, *, height: Any = None, theme: str | None = None, view: str | None = None,
         max_inline_bytes: Any = "default") -> None:
    """Show a trace (or several) inline.

    x: an mlflow.entities.Trace, a list of traces, the DataFrame or list returned by
    mlflow.search_traces(), a dict (Trace.to_dict()), JSON text, or the path of an exported JSON file.
    height: "560" / "560px" (default 560); theme: "auto" (follows JupyterLab), "light", "dark";
    view: "tree", "timeline" or "both"; max_inline_bytes: over this the data is not embedded but saved
    to a file (None: no limit).
    """
    if theme is not None and theme not in ("auto", "light", "dark"):
        raise ValueError(f"theme must be 'auto', 'light' or 'dark', not {theme!r}")
    if view is not None and view not in ("tree", "timeline", "both"):
        raise ValueError(f"view must be 'tree', 'timeline' or 'both', not {view!r}")
    p = normalize(x)
    b = _bundle(p, height=height, theme=theme, view=view, max_inline_bytes=max_inline_bytes)
    _state.shown.update(p.trace_ids)
    if _in_ipython() is None:
        print(b["text/plain"])
        return None
    _publish(b)
    return None


def load() -> None:
    """(Re)put the viewer code on the page, e.g. after the output that carried it was cleared."""
    from IPython.display import display

    _state.loader_emitted = True
    _state.loader_cell_id = _state.current_cell_id
    _state.stats["loader_emitted"] += 1
    display({"text/plain": "trace-view viewer code loaded", "text/html": _assets.loader_html()}, raw=True)


class TraceView:
    """A displayable object: `TraceView(trace)` as the last value of a cell shows the viewer."""

    def __init__(self, x: Any, **kw: Any) -> None:
        self._payload = normalize(x)
        self._kw = kw

    def _repr_mimebundle_(self, include=None, exclude=None):
        _state.shown.update(self._payload.trace_ids)
        return _bundle(self._payload, **self._kw)


# ------------------------------------------------------------------ IPython hook


def _trace_formatter(trace: Any):
    """mimebundle formatter registered for mlflow.entities.Trace while enabled."""
    try:
        p = normalize(trace)
        b = _bundle(p)
        _state.shown.update(p.trace_ids)
        return b
    except Exception as e:  # never break the display of a value
        _log.warning("trace_view: could not render the trace: %s", e)
        return {"text/plain": repr(trace)}


def _record_created(traces: Any) -> None:
    if not _state.enabled:
        return
    try:
        with _state.lock:
            for t in traces or []:
                tid = getattr(getattr(t, "info", None), "trace_id", None)
                if tid:
                    _state.created[tid] = t
    except Exception:
        _log.debug("trace_view: could not record traces", exc_info=True)


def _record_search(result: Any) -> None:
    if not _state.enabled:
        return
    with _state.lock:
        _state.searches.append(result)


def _patch(obj: Any, name: str, new: Any) -> None:
    _state.patches.append((obj, name, obj.__dict__.get(name, getattr(obj, name))))
    setattr(obj, name, new)


def _patch_mlflow() -> None:
    """Hook MLflow (once it is imported): collect exported traces and search_traces results, and switch
    MLflow's own notebook display off (restored by disable())."""
    if _state.mlflow_patched or "mlflow" not in sys.modules:
        return
    try:
        import mlflow
        import mlflow.tracing.fluent as tfluent
        from mlflow import MlflowClient
        from mlflow.tracing.display.display_handler import IPythonTraceDisplayHandler as H
    except Exception:
        _log.debug("trace_view: mlflow import failed", exc_info=True)
        return
    _state.mlflow_patched = True
    _state.mlflow_display_was_disabled = bool(H.disabled)
    H.disabled = True  # MLflow's iframe display off while ours is on

    orig_display = H.display_traces

    def display_traces(self, traces, _orig=orig_display):
        # Called by MLflow's exporter when a trace finishes (and by MlflowClient.get_trace).
        _record_created(traces)
        return _orig(self, traces)

    _patch(H, "display_traces", display_traces)

    def wrap_search(orig):
        def search_traces(*args, **kwargs):
            # mlflow.search_traces calls MlflowClient.search_traces: record the outermost call only
            outer = not getattr(_tls, "searching", False)
            _tls.searching = True
            try:
                result = orig(*args, **kwargs)
            finally:
                if outer:
                    _tls.searching = False
            if outer:
                try:
                    if len(result):
                        _record_search(result)
                except Exception:
                    _log.debug("trace_view: could not record search_traces", exc_info=True)
            return result

        search_traces.__wrapped__ = orig
        search_traces.__doc__ = orig.__doc__
        search_traces.__name__ = getattr(orig, "__name__", "search_traces")
        search_traces._trace_view = True
        return search_traces

    # mlflow.search_traces is the same function object as mlflow.tracing.fluent.search_traces
    fluent_search = tfluent.search_traces
    wrapped = wrap_search(fluent_search)
    _patch(tfluent, "search_traces", wrapped)
    if getattr(mlflow, "search_traces", None) is fluent_search:
        _patch(mlflow, "search_traces", wrapped)
    _patch(MlflowClient, "search_traces", wrap_search(MlflowClient.search_traces))


def _unpatch_mlflow() -> None:
    for obj, name, orig in reversed(_state.patches):
        try:
            setattr(obj, name, orig)
        except Exception:
            pass
    _state.patches.clear()
    if _state.mlflow_patched:
        try:
            from mlflow.tracing.display.display_handler import IPythonTraceDisplayHandler as H

            H.disabled = bool(_state.mlflow_display_was_disabled)
        except Exception:
            pass
    _state.mlflow_patched = False


def _pre_run_cell(info: Any = None) -> None:
    cell_id = getattr(info, "cell_id", None)
    _state.current_cell_id = cell_id
    if cell_id and cell_id == _state.loader_cell_id:
        # This cell's outputs (holding the viewer code) are about to be replaced: emit it again.
        _state.loader_emitted = False
        _state.loader_cell_id = None
    with _state.lock:
        _state.shown = set()
    _patch_mlflow()


def _flush_mlflow(timeout_ms: int = 10_000) -> None:
    """Drain MLflow's batch span processors: traces that finished in this cell are exported now (and so
    reach display_traces above) instead of up to 5 s later, in some later cell.

    Only the span queue is drained (what mlflow.flush_trace_async_logging() does first); its second step,
    draining the database-write queue, restarts worker threads and costs 1-2 s per call, and the display
    does not need it: the trace data is embedded in the output.
    """
    if "mlflow.tracing.processor.base_mlflow" not in sys.modules:
        return  # no trace was started yet
    try:
        from mlflow.tracing.processor import base_mlflow as bm

        registry = getattr(bm, "_batch_processor_registry", None)
        if registry is None:  # another MLflow version: use the public API
            import mlflow

            mlflow.flush_trace_async_logging()
            return
        with bm._batch_processor_registry_lock:
            processors = list(registry)
        for p in processors:
            cond = getattr(p, "_pending_on_end_condition", None)
            if cond is not None:
                with cond:
                    cond.wait_for(lambda p=p: getattr(p, "_pending_on_end_count", 0) == 0, timeout=timeout_ms / 1000)
            p.force_flush(timeout_ms)
    except Exception:
        _log.debug("trace_view: flush failed", exc_info=True)


def _wait_for_trace_writes(timeout_s: float = 5.0) -> None:
    """Wait (bounded) until MLflow's async exporters have written the queued traces to the store, so
    that `mlflow.get_trace(...)` / `search_traces()` in the next cell find them. Unlike
    flush_trace_async_logging() this does not stop and restart the worker threads (1-2 s)."""
    import time

    try:
        queues = []
        from mlflow.tracing.processor import base_mlflow as bm

        with bm._batch_processor_registry_lock:
            processors = list(bm._batch_processor_registry)
        from mlflow.tracing.provider import _get_trace_exporter

        exporters = [getattr(p, "span_exporter", None) for p in processors] + [_get_trace_exporter()]
        for e in exporters:
            q = getattr(getattr(e, "_async_queue", None), "_queue", None)
            if q is not None and hasattr(q, "unfinished_tasks") and all(q is not x for x in queues):
                queues.append(q)
        deadline = time.monotonic() + timeout_s
        while any(q.unfinished_tasks for q in queues) and time.monotonic() < deadline:
            time.sleep(0.005)
    except Exception:
        _log.debug("trace_view: could not wait for trace writes", exc_info=True)


def _post_run_cell(result: Any = None) -> None:
    if not _state.enabled:
        return
    _patch_mlflow()
    _flush_mlflow()
    with _state.lock:
        created = [t for tid, t in _state.created.items() if tid not in _state.shown]
        searches = list(_state.searches)
        _state.created.clear()
        _state.searches.clear()
    try:
        if created:
            p = normalize(created if len(created) > 1 else created[0])
            _state.shown.update(p.trace_ids)
            _publish(_bundle(p))
        for s in searches:
            _publish(_bundle(normalize(s)))
    except Exception as e:
        _log.warning("trace_view: could not display the traces of this cell: %s", e)
    if created and options.wait_for_writes_s:
        _wait_for_trace_writes(options.wait_for_writes_s)


def enable(**kw: Any) -> None:
    """Show MLflow traces inline in this IPython/Jupyter session:

    * under a cell whose execution created traces (also with MLflow's batched export),
    * after mlflow.search_traces() / MlflowClient.search_traces() (a trace list),
    * when an mlflow.entities.Trace is displayed (last value of a cell, display(trace)).

    MLflow's own iframe display is switched off meanwhile; disable() restores it.
    Options (also for show()): height, theme ("auto"/"light"/"dark"), view, max_inline_bytes, export_dir.
    """
    options.update(**kw)
    ip = _in_ipython()
    if ip is None:
        raise RuntimeError("trace_view.enable() needs IPython/Jupyter; use trace_view.show(x) elsewhere")
    if _state.enabled and _state.ip is ip:
        return
    _assets._check()
    _state.ip = ip
    ip.events.register("pre_run_cell", _pre_run_cell)
    ip.events.register("post_run_cell", _post_run_cell)
    ip.display_formatter.mimebundle_formatter.for_type_by_name("mlflow.entities.trace", "Trace", _trace_formatter)
    _state.enabled = True
    # Hook MLflow now rather than at its first import: with MLFLOW_USE_BATCH_SPAN_PROCESSOR=false a trace
    # is exported during the cell that imports mlflow, before any later hook could see it.
    if "mlflow" not in sys.modules:
        import importlib.util

        if importlib.util.find_spec("mlflow") is not None:
            try:
                import mlflow  # noqa: F401
            except Exception:
                _log.debug("trace_view: importing mlflow failed", exc_info=True)
    _patch_mlflow()


def disable() -> None:
    """Undo enable(): no more automatic display; MLflow's own notebook display is restored."""
    ip = _state.ip
    if ip is not None:
        for name, fn in (("pre_run_cell", _pre_run_cell), ("post_run_cell", _post_run_cell)):
            try:
                ip.events.unregister(name, fn)
            except ValueError:
                pass
        fmt = ip.display_formatter.mimebundle_formatter
        try:
            fmt.pop("mlflow.entities.trace.Trace")
        except KeyError:
            pass
        # for_type_by_name entries move to type_printers once the type was seen
        for typ in list(fmt.type_printers):
            if fmt.type_printers[typ] is _trace_formatter:
                del fmt.type_printers[typ]
    _unpatch_mlflow()
    _state.enabled = False
    _state.ip = None
    with _state.lock:
        _state.created.clear()
        _state.searches.clear()


def is_enabled() -> bool:
    return _state.enabled


def info() -> dict:
    """Sizes and state, for diagnostics and tests."""
    from . import __version__

    return {
        "version": __version__,
        "viewer_build": _assets.build_id(),
        "enabled": _state.enabled,
        "loader_emitted": _state.loader_emitted,
        "loader_bytes": len(_assets.loader_html().encode()),
        "stats": dict(_state.stats),
        "options": dict(vars(options)),
    }


def _reset_session() -> None:
    """Forget that the viewer code was emitted (what a kernel restart does). For tests."""
    _state.loader_emitted = False
    _state.loader_cell_id = None
