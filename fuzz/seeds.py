#!/usr/bin/env python3
"""Writes the seed inputs of every fuzz target into fuzz/target/seeds/<target>/ (not committed).

Seeds come from the test fixtures (real MLflow exports, REST bodies, OTLP JSON, bad files) plus forms
made from them here: gzip, NDJSON, MLflow 2, BOM, invalid UTF-8, and attribute values cut out of spans.
scripts/fuzz.sh passes this folder to libFuzzer as a second, read-only corpus, so each run starts from
the fixtures as well as from the committed, minimized fuzz/corpus/<target>/.
"""
import gzip
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIX = ROOT / "tests" / "fixtures"
OUT = ROOT / "fuzz" / "target" / "seeds"
MAX = 128 * 1024  # larger fixtures (1 MiB) are covered by tests/corpus.rs; libFuzzer would cut them


def files(*globs):
    for g in globs:
        for p in sorted(FIX.glob(g)):
            if p.is_file() and p.suffix == ".json" and p.stat().st_size <= MAX:
                yield p


def write(target, name, data):
    d = OUT / target
    d.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    (d / name).write_bytes(data)


def mlflow2(trace):
    """The same trace as MLflow 2 wrote it: request_id, context/parent_id, start_time, status_code."""
    info = trace["info"]
    spans = []
    for s in trace["data"]["spans"]:
        spans.append({
            "name": s.get("name"),
            "context": {"span_id": s.get("span_id"), "trace_id": info.get("trace_id")},
            "parent_id": s.get("parent_span_id"),
            "start_time": s.get("start_time_unix_nano"),
            "end_time": s.get("end_time_unix_nano"),
            "status_code": (s.get("status") or {}).get("code", "OK").replace("STATUS_CODE_", ""),
            "status_message": (s.get("status") or {}).get("message", ""),
            "attributes": s.get("attributes", {}),
            "events": s.get("events", []),
        })
    return {
        "info": {
            "request_id": info.get("trace_id"),
            "experiment_id": "0",
            "timestamp_ms": 1795433138352,
            "execution_time_ms": info.get("execution_duration_ms"),
            "status": info.get("state"),
            "request_metadata": info.get("trace_metadata", {}),
            "tags": info.get("tags", {}),
        },
        "data": {"spans": spans},
    }


def main():
    every = list(files("corpus/*.json", "formats/*.json", "rest/*.json", "bad/*.json"))
    traces = [p for p in files("corpus/*.json", "formats/trace_to_json_agent.json")
              if p.read_bytes().lstrip().startswith(b"{")]
    small = sorted(traces, key=lambda p: p.stat().st_size)[:4]

    for p in every:
        raw = p.read_bytes()
        for t in ("parse_any", "derive_all"):
            write(t, p.name, raw)
    for p in files("corpus/*.json", "formats/trace_to_json_agent.json", "formats/rest_*.json", "bad/*.json"):
        write("parse_mlflow_json", p.name, p.read_bytes())
    for p in files("formats/otlp_*.json"):
        write("parse_otlp", p.name, p.read_bytes())
        write("derive_all", p.name, p.read_bytes())
    for p in files("rest/*.json", "formats/rest_*.json"):
        write("rest_responses", p.name, p.read_bytes())
    write("rest_responses", "error_404.json", '{"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "No trace"}')
    write("rest_responses", "html.txt", "<html><body>404 Not Found</body></html>\n")
    write("rest_responses", "experiment.json", '{"experiment": {"experiment_id": "1", "name": "x", "lifecycle_stage": "active", "creation_time": 1}}')

    for p in small:
        t = json.loads(p.read_text())
        v2 = json.dumps(mlflow2(t))
        for target in ("parse_any", "parse_mlflow_json", "derive_all"):
            write(target, "mlflow2_" + p.name, v2)
        write("parse_any", p.name + ".gz", gzip.compress(p.read_bytes()))
        write("parse_any", "bom_" + p.name, b"\xef\xbb\xbf" + p.read_bytes())
        write("parse_any", "latin1_" + p.name, p.read_bytes().replace(b"e", b"\xe9", 3))
        write("parse_any", "nan_" + p.name, p.read_text().replace("null", "NaN", 2))
        write("derive_all", p.name + ".gz", gzip.compress(p.read_bytes()))
        write("parse_mlflow_json", "list_" + p.name, json.dumps([t, mlflow2(t)]))
        write("parse_mlflow_json", "traces_" + p.name, json.dumps({"traces": [t]}))
        write("parse_mlflow_json", "record_" + p.name, json.dumps({"trace": json.dumps(t)}))

    # NDJSON: the trace lists, one trace per line (also gzip).
    for p in files("corpus/9*.json"):
        items = json.loads(p.read_text())
        nd = "\n".join(json.dumps(i) if not isinstance(i, str) else i for i in items) + "\n"
        write("parse_ndjson", p.stem + ".ndjson", nd)
        write("parse_any", p.stem + ".ndjson", nd)
        write("parse_any", p.stem + ".ndjson.gz", gzip.compress(nd.encode()))
    for p in small:
        write("parse_ndjson", p.stem + ".ndjson", json.dumps(json.loads(p.read_text())) + "\n{broken\n\n")

    # Attribute values as they sit in the files (JSON in a string), and their decoded text.
    n = 0
    for p in files("corpus/*.json", "formats/*.json"):
        try:
            t = json.loads(p.read_text())
        except ValueError:
            continue
        if not (isinstance(t, dict) and "data" in t):
            continue
        for s in t["data"]["spans"][:20]:
            for k, v in list((s.get("attributes") or {}).items())[:10]:
                if isinstance(v, str) and n < 400:
                    write("attributes", f"attr{n:04}", json.dumps(v))
                    write("attributes", f"inner{n:04}", v)
                    n += 1
    for i, s in enumerate([
        "2026-11-23T11:25:38.352Z", "2026-11-23T12:25:38.352+01:00", "2024-02-29 00:00:00",
        "1795433138352", "kk4ASkcSojo=", "0x924E004A4712A23A", '{"x": NaN, "y": -Infinity}',
        '{"input_tokens": 18446744073709551615, "output_tokens": 1}', "invoice\u202efdp.exe",
        '{"kvlist_value": {"values": [{"key": "x", "value": {"int_value": 1}}]}}',
    ]):
        write("attributes", f"text{i:02}", s)
    print(f"seeds written to {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
