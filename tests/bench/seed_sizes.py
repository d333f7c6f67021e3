#!/usr/bin/env python3
"""Logs benchmark traces with the real MLflow SDK: one trace per requested span count (an agent loop of
CHAIN steps with TOOL children, explicit timestamps), plus N small traces for the trace-list benchmark.
Prints JSON: {"experiment_id", "traces": {"<spans>": "<trace id>"}, "list_experiment_id"}."""
import argparse
import json
import os
import time

os.environ.setdefault("MLFLOW_ASYNC_TRACE_LOGGING_MAX_QUEUE_SIZE", "1000000")
import mlflow  # noqa: E402
from mlflow.entities import SpanType  # noqa: E402


def log_trace(n_spans):
    t0 = time.time_ns() - 120_000_000_000
    root = mlflow.start_span_no_context("bench_agent", span_type=SpanType.AGENT, inputs={"spans": n_spans}, start_time_ns=t0)
    made, t, step = 1, t0 + 1_000, 0
    while made < n_spans:
        step += 1
        s = mlflow.start_span_no_context(f"step_{step}", span_type=SpanType.CHAIN, parent_span=root, start_time_ns=t,
                                         inputs={"step": step})
        made += 1
        for k in range(min(4, n_spans - made)):
            c = mlflow.start_span_no_context(f"tool_{k}", span_type=SpanType.TOOL, parent_span=s, start_time_ns=t + 10_000 * (k + 1),
                                             inputs={"k": k, "query": f"lookup {step}/{k}"})
            c.set_outputs({"result": f"value {step}/{k}", "score": k / 4})
            c.end(end_time_ns=t + 100_000 * (k + 2))
            made += 1
        s.set_outputs({"ok": True})
        s.end(end_time_ns=t + 700_000)
        t += 800_000
    root.set_outputs("done")
    root.end(end_time_ns=t)
    return root.trace_id


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tracking-uri", required=True)
    ap.add_argument("--sizes", default="100,1000")
    ap.add_argument("--list-traces", type=int, default=0)
    a = ap.parse_args()
    mlflow.set_tracking_uri(a.tracking_uri)
    out = {"experiment_id": mlflow.set_experiment("bench-traces").experiment_id, "traces": {}}
    for n in [int(x) for x in a.sizes.split(",") if x]:
        out["traces"][str(n)] = log_trace(n)
        mlflow.flush_trace_async_logging()
    if a.list_traces:
        out["list_experiment_id"] = mlflow.set_experiment("bench-list").experiment_id
        for i in range(a.list_traces):
            with mlflow.start_span(f"request_{i:05d}", span_type=SpanType.CHAIN) as s:
                s.set_inputs({"i": i})
                s.set_outputs({"ok": True})
        mlflow.flush_trace_async_logging()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
