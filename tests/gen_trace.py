#!/usr/bin/env python3
"""Generate large MLflow 3 traces (the exact `Trace.to_json()` shape the SDK writes) without MLflow.

The corpus stops at 1,000 spans; this makes 10k/100k/1M-span traces for opening and scrolling tests
and benchmarks. Shape: an agent loop of steps; each step has a CHAT_MODEL call with messages and
token usage, some TOOL calls, and every 40th step a retrieval fan-out; ids are base64 like MLflow 3.

    python3 tests/gen_trace.py --spans 100000 --out tests/fixtures/generated/large_100000.json
"""
import argparse
import base64
import json
import os
import random
import struct


def b64(n: int, size: int) -> str:
    return base64.b64encode(n.to_bytes(size, "big")).decode()


def generate(n_spans: int, seed: int = 7) -> dict:
    rnd = random.Random(seed)
    trace_num = rnd.getrandbits(128)
    trace_b64 = b64(trace_num, 16)
    trace_id = "tr-" + format(trace_num, "032x")
    t0 = 1_795_433_000_000_000_000
    spans = []
    next_id = [1]

    def new_span(parent, name, span_type, start, end, inputs, outputs, extra=None):
        sid = next_id[0]
        next_id[0] += 1
        attrs = {
            "mlflow.traceRequestId": json.dumps(trace_id),
            "mlflow.spanType": json.dumps(span_type),
            "mlflow.spanInputs": json.dumps(inputs),
            "mlflow.spanOutputs": json.dumps(outputs),
        }
        if extra:
            attrs.update({k: json.dumps(v) for k, v in extra.items()})
        spans.append({
            "trace_id": trace_b64,
            "span_id": b64(sid, 8),
            "parent_span_id": None if parent is None else b64(parent, 8),
            "name": name,
            "start_time_unix_nano": start,
            "end_time_unix_nano": end,
            "events": [],
            "status": {"code": "STATUS_CODE_OK", "message": ""},
            "attributes": attrs,
            "links": [],
        })
        return sid

    # Reserve the root; its end is fixed up at the end.
    root = new_span(None, "agent_run", "AGENT", t0, t0, {"task": "answer the question"}, "done")
    total_in = total_out = 0
    t = t0 + 1000
    step = 0
    while len(spans) < n_spans:
        step += 1
        step_start = t
        step_id = new_span(root, f"step_{step}", "CHAIN", t, t, {"step": step}, {"ok": True})
        step_idx = len(spans) - 1
        t += 2_000
        # LLM call
        tin, tout = rnd.randint(50, 900), rnd.randint(10, 300)
        total_in += tin
        total_out += tout
        dur = rnd.randint(200_000, 3_000_000)
        new_span(step_id, "ChatOpenAI", "CHAT_MODEL", t, t + dur,
                 {"messages": [{"role": "user", "content": f"step {step}: what next?"}]},
                 {"choices": [{"message": {"role": "assistant", "content": f"do tool call {step}"}}]},
                 {"mlflow.chat.tokenUsage": {"input_tokens": tin, "output_tokens": tout, "total_tokens": tin + tout},
                  "mlflow.llm.model": "gpt-4o-mini"})
        t += dur + 1_000
        # tools, with a fan-out every 40th step
        n_tools = rnd.randint(1, 3) if step % 40 else rnd.randint(20, 200)
        parallel = step % 40 == 0
        fan_start = t
        for k in range(n_tools):
            if len(spans) >= n_spans:
                break
            d = rnd.randint(20_000, 800_000)
            s = fan_start + rnd.randint(0, 50_000) if parallel else t
            new_span(step_id, f"tool_{k % 7}", "TOOL", s, s + d, {"arg": k}, {"result": k * 2})
            t = max(t, s + d + 500)
        spans[step_idx]["end_time_unix_nano"] = t
        t += 5_000
    spans = spans[:n_spans]
    spans[0]["end_time_unix_nano"] = t
    info = {
        "trace_id": trace_id,
        "trace_location": {"type": "MLFLOW_EXPERIMENT", "mlflow_experiment": {"experiment_id": "0"}},
        "request_time": "2026-11-23T11:23:20.000Z",
        "state": "OK",
        "trace_metadata": {
            "mlflow.trace_schema.version": "3",
            "mlflow.trace.tokenUsage": json.dumps({"input_tokens": total_in, "output_tokens": total_out,
                                                   "total_tokens": total_in + total_out}),
        },
        "tags": {"mlflow.traceName": "agent_run", "generator": "tests/gen_trace.py"},
        "request_preview": json.dumps({"task": "answer the question"}),
        "response_preview": json.dumps("done"),
        "execution_duration_ms": (t - t0) // 1_000_000,
    }
    return {"info": info, "data": {"spans": spans}}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--spans", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    doc = generate(a.spans, a.seed)
    with open(a.out, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
    print(f"wrote {a.out}: {len(doc['data']['spans'])} spans, {os.path.getsize(a.out):,} bytes")


if __name__ == "__main__":
    main()
