#!/usr/bin/env python3
"""Logs benchmark traces with the real MLflow SDK: one trace per requested span count (the demo's agent loop
of CHAIN steps with TOOL children, explicit timestamps; scripts/seed_demo.py), plus N small traces for the trace-list benchmark.
Prints JSON: {"experiment_id", "traces": {"<spans>": "<trace id>"}, "list_experiment_id"}."""
import argparse
import json
import os
import sys

os.environ.setdefault("MLFLOW_ASYNC_TRACE_LOGGING_MAX_QUEUE_SIZE", "1000000")
import mlflow  # noqa: E402
from mlflow.entities import SpanType  # noqa: E402

# The same agent-loop shape as the demo's large trace.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts"))
from seed_demo import log_large as log_trace  # noqa: E402


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
