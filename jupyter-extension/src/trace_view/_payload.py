"""Turn what the user has (Trace, list, DataFrame, dict, JSON text, file path) into the JSON the
<trace-view> element reads, plus a small summary for the text/plain and static HTML fallbacks.

Nothing here needs mlflow or pandas to be installed: objects are recognised by duck typing.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any

ACCEPTED = (
    "an mlflow.entities.Trace, a list of traces, the DataFrame or list returned by "
    "mlflow.search_traces(), a dict, a JSON string, or the path of an exported trace JSON file"
)


@dataclass
class SpanLine:
    depth: int
    name: str
    span_type: str
    duration_ms: float | None


@dataclass
class TraceSummary:
    trace_id: str = ""
    name: str = ""
    state: str = ""
    duration_ms: float | None = None
    n_spans: int = 0
    top_spans: list[SpanLine] = field(default_factory=list)


@dataclass
class Payload:
    """What one output shows: `data` is the JSON text given to the element."""

    data: str
    traces: list[TraceSummary]
    is_list: bool
    source: str  # what it was made from, for messages

    @property
    def n_spans(self) -> int:
        return sum(t.n_spans for t in self.traces)

    @property
    def trace_ids(self) -> list[str]:
        return [t.trace_id for t in self.traces if t.trace_id]


# ---------------------------------------------------------------- recognising inputs


def _is_trace(x: Any) -> bool:
    return hasattr(x, "info") and hasattr(x, "data") and callable(getattr(x, "to_dict", None))


def _is_dataframe(x: Any) -> bool:
    return type(x).__name__ == "DataFrame" and hasattr(x, "to_dict") and hasattr(x, "columns")


def _trace_dict(x: Any, where: str) -> dict:
    """One trace as a JSON-ready dict."""
    if _is_trace(x):
        return json.loads(_dumps(x.to_dict()))
    if isinstance(x, dict):
        return x
    if isinstance(x, (str, bytes)):
        return _parse_json_text(x, where)
    raise TypeError(f"{where}: expected a trace, got {type(x).__name__}. trace_view.show() takes {ACCEPTED}.")


def _parse_json_text(text: str | bytes, where: str) -> Any:
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise ValueError(
            f"{where} is not valid JSON ({e.msg} at line {e.lineno} column {e.colno}). "
            "Pass the text of an exported trace (Trace.to_json()), or the trace object itself."
        ) from None


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), default=_json_default)


def _json_default(o: Any) -> Any:
    if _is_trace(o):
        return o.to_dict()
    for attr in ("isoformat", "tolist", "item"):
        f = getattr(o, attr, None)
        if callable(f):
            try:
                return f()
            except Exception:
                pass
    if isinstance(o, (set, tuple)):
        return list(o)
    return str(o)


def _dataframe_traces(df: Any) -> list:
    if len(df) == 0:
        raise ValueError(
            "the DataFrame has no rows: mlflow.search_traces() found no traces. "
            "Check the experiment (mlflow.set_experiment) and the filter."
        )
    if "trace" in df.columns:
        return [_trace_dict(v, "a 'trace' value of the DataFrame") for v in df["trace"].tolist()]
    # Older/other shapes: search_traces records; the element understands them.
    records = json.loads(_dumps(df.to_dict(orient="records")))
    return records


def normalize(x: Any) -> Payload:
    """Anything show() accepts → Payload. Raises TypeError/ValueError with an actionable message."""
    source = type(x).__name__
    if x is None:
        raise TypeError(f"trace_view.show(None): nothing to show. It takes {ACCEPTED}.")
    if _is_trace(x):
        obj: Any = _trace_dict(x, "the trace")
    elif _is_dataframe(x):
        obj = _dataframe_traces(x)
    elif isinstance(x, os.PathLike):
        obj = _read_file(os.fspath(x))
        source = f"file {os.fspath(x)}"
    elif isinstance(x, (str, bytes)):
        text = x.decode("utf-8") if isinstance(x, bytes) else x
        stripped = text.lstrip()
        if stripped[:1] in ("{", "["):
            obj = _parse_json_text(text, "the string")
            source = "JSON text"
        elif not stripped:
            raise ValueError("trace_view.show(''): the string is empty. Pass trace JSON text or a file path.")
        else:
            obj = _read_file(text.strip())
            source = f"file {text.strip()}"
    elif isinstance(x, dict):
        obj = x
    elif isinstance(x, (list, tuple)):
        if len(x) == 0:
            raise ValueError(
                "the list is empty: there are no traces to show (did mlflow.search_traces() find none?)."
            )
        obj = [_trace_dict(t, f"item {i} of the list") for i, t in enumerate(x)]
    else:
        raise TypeError(f"trace_view.show() cannot show a {type(x).__module__}.{type(x).__name__}. It takes {ACCEPTED}.")

    if isinstance(obj, list) and len(obj) == 1 and isinstance(obj[0], dict) and _looks_like_trace(obj[0]):
        obj = obj[0]
    if isinstance(obj, dict) and "traces" in obj and isinstance(obj["traces"], list):
        items = obj["traces"]
        is_list = True
    elif isinstance(obj, list):
        if not obj:
            raise ValueError("the JSON list is empty: there are no traces to show.")
        items = obj
        is_list = True
    elif isinstance(obj, dict):
        if not obj:
            raise ValueError("the dict is empty: there is no trace in it. Pass Trace.to_dict() or a Trace.")
        items = [obj]
        is_list = False
    else:
        raise ValueError(
            f"the JSON holds a {type(obj).__name__}, not a trace. Pass an exported trace "
            "(an object with 'info' and 'data', or a list of them)."
        )
    for i, t in enumerate(items):
        if not isinstance(t, dict):
            raise TypeError(
                f"item {i} of the list is a {type(t).__name__}, not a trace. trace_view.show() takes {ACCEPTED}."
            )
    summaries = [summarize(t) for t in items]
    return Payload(data=_dumps(obj), traces=summaries, is_list=is_list, source=source)


def _read_file(path: str) -> Any:
    if not os.path.exists(path):
        raise ValueError(
            f"{path!r} is neither trace JSON nor an existing file. Pass a Trace object, JSON text "
            "(starting with '{' or '['), or the path of an exported trace JSON file."
        )
    if os.path.isdir(path):
        raise ValueError(f"{path!r} is a directory; pass the path of one exported trace JSON file.")
    with open(path, "rb") as f:
        raw = f.read()
    text = raw.decode("utf-8-sig")
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        # JSON Lines: one trace per line.
        lines = [ln for ln in text.splitlines() if ln.strip()]
        try:
            return [json.loads(ln) for ln in lines]
        except json.JSONDecodeError as e:
            raise ValueError(f"the file {path!r} is not JSON or JSON Lines ({e.msg}, line {e.lineno}).") from None


def _looks_like_trace(d: dict) -> bool:
    return "info" in d and "data" in d


# ---------------------------------------------------------------- summaries


def _attr(attrs: dict, key: str) -> Any:
    v = attrs.get(key)
    if isinstance(v, str):
        try:
            return json.loads(v)
        except (json.JSONDecodeError, ValueError):
            return v
    return v


def _int(v: Any) -> int | None:
    try:
        return int(v)
    except (TypeError, ValueError):
        return None


def _duration_ms(info: dict) -> float | None:
    for k in ("execution_duration_ms", "execution_time_ms"):
        if info.get(k) is not None:
            try:
                return float(info[k])
            except (TypeError, ValueError):
                pass
    d = info.get("execution_duration")
    if isinstance(d, str) and d.endswith("s"):
        try:
            return float(d[:-1]) * 1000.0
        except ValueError:
            pass
    if isinstance(d, (int, float)):
        return float(d)
    return None


def summarize(t: dict) -> TraceSummary:
    """Name, state, duration, span count and the first spans (tree order) of one trace dict."""
    # search_traces records carry the trace as JSON text in "trace"
    if "trace" in t and isinstance(t["trace"], (str, dict)) and "info" not in t:
        inner = t["trace"]
        if isinstance(inner, str):
            try:
                inner = json.loads(inner)
            except ValueError:
                inner = None
        if isinstance(inner, dict):
            t = inner
    info = t.get("info") if isinstance(t.get("info"), dict) else {}
    data = t.get("data") if isinstance(t.get("data"), dict) else {}
    spans = data.get("spans") if isinstance(data.get("spans"), list) else (t.get("spans") if isinstance(t.get("spans"), list) else [])
    spans = [s for s in spans if isinstance(s, dict)]
    s = TraceSummary()
    s.trace_id = str(info.get("trace_id") or info.get("request_id") or t.get("trace_id") or "")
    s.state = str(info.get("state") or info.get("status") or t.get("state") or "")
    s.duration_ms = _duration_ms(info)
    s.n_spans = len(spans)

    def sid(x):
        v = x.get("span_id")
        if v is None and isinstance(x.get("context"), dict):
            v = x["context"].get("span_id")
        return v

    def pid(x):
        return x.get("parent_span_id") or x.get("parent_id") or None

    ids = {sid(x) for x in spans}
    children: dict[Any, list] = {}
    roots = []
    for x in spans:
        p = pid(x)
        if p and p in ids:
            children.setdefault(p, []).append(x)
        else:
            roots.append(x)

    def start(x):
        return _int(x.get("start_time_unix_nano") or x.get("start_time_ns") or x.get("start_time")) or 0

    def line(x, depth):
        attrs = x.get("attributes") if isinstance(x.get("attributes"), dict) else {}
        st, en = start(x), _int(x.get("end_time_unix_nano") or x.get("end_time_ns") or x.get("end_time"))
        dur = (en - st) / 1e6 if en and st and en >= st else None
        typ = _attr(attrs, "mlflow.spanType") or x.get("span_type") or ""
        return SpanLine(depth, str(x.get("name", "")), str(typ), dur)

    out: list[SpanLine] = []
    stack = [(r, 0) for r in sorted(roots, key=start, reverse=True)]
    while stack and len(out) < 8:
        x, d = stack.pop()
        out.append(line(x, d))
        for c in sorted(children.get(sid(x), []), key=start, reverse=True):
            stack.append((c, d + 1))
    s.top_spans = out
    root = min(roots, key=start) if roots else None
    s.name = str(root.get("name", "")) if root else ""
    if s.duration_ms is None and root is not None:
        s.duration_ms = line(root, 0).duration_ms
    if not s.state and root is not None:
        code = (root.get("status") or {}).get("code", "") if isinstance(root.get("status"), dict) else ""
        s.state = {"STATUS_CODE_OK": "OK", "STATUS_CODE_ERROR": "ERROR"}.get(code, "")
    return s


def fmt_duration(ms: float | None) -> str:
    if ms is None:
        return "?"
    if ms == 0:
        return "0 ms"
    if ms < 1:
        return f"{ms * 1000:.0f} µs"
    if ms < 1000:
        return f"{ms:.0f} ms" if ms >= 10 else f"{ms:.1f} ms"
    if ms < 60_000:
        return f"{ms / 1000:.2f} s"
    return f"{ms / 60000:.1f} min"


def fmt_count(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"
