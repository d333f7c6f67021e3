//! The same trace in every format MLflow traces travel in parses to the same model, and the MLflow 3
//! export round-trips. Fixtures: one agent trace written by MLflow 3.17.2 as `Trace.to_json()`, as the
//! REST `traces/get` response (OTLP-proto JSON spans), as the `get-trace-artifact` span file, and as
//! OTLP JSON made with MLflow's own `Span.to_otel_proto()` (see ../shared/notes/examples).

use serde_json::Value;
use std::io::Write;
use trace_view::model::attrs::{decode, id_to_hex};
use trace_view::model::export::to_mlflow3_json;
use trace_view::model::{parse_bytes, parse_str, Format, Trace};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn one(name: &str) -> (Format, Trace) {
    let mut d = parse_bytes(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(d.traces.len(), 1, "{name}");
    (d.format, d.traces.remove(0))
}

/// What must agree across formats: per span in pre-order — name, hex id, hex parent id, start, end,
/// status, type, and decoded inputs/outputs.
type SpanShape = (
    String,
    String,
    String,
    u64,
    Option<u64>,
    String,
    String,
    Value,
    Value,
);

fn shape(t: &Trace) -> Vec<SpanShape> {
    t.preorder
        .iter()
        .map(|&i| {
            let s = t.span(i);
            let io = |key: &str| {
                t.attr(i, key)
                    .map(|a| decode(t, a).value)
                    .unwrap_or(Value::Null)
            };
            (
                t.name(i).to_string(),
                id_to_hex(t.text(s.id)),
                id_to_hex(t.text(s.parent_id)),
                s.start_ns,
                s.end_ns,
                s.status.label().to_string(),
                s.span_type.label().to_string(),
                io("mlflow.spanInputs"),
                io("mlflow.spanOutputs"),
            )
        })
        .collect()
}

#[test]
fn every_format_gives_the_same_trace() {
    let (f3, mlflow3) = one("formats/trace_to_json_agent.json");
    assert_eq!(f3, Format::Mlflow3);
    let reference = shape(&mlflow3);
    assert_eq!(reference.len(), 9);
    for (file, format) in [
        ("formats/rest_traces_get_response.json", Format::MlflowRest),
        (
            "formats/rest_get_trace_artifact_body.json",
            Format::SpansOnly,
        ),
        (
            "formats/otlp_json_from_span_to_otel_proto.json",
            Format::Otlp,
        ),
    ] {
        let (f, t) = one(file);
        assert_eq!(f, format, "{file}");
        assert_eq!(t.info.trace_id, mlflow3.info.trace_id, "{file}");
        let got = shape(&t);
        for (a, b) in reference.iter().zip(&got) {
            assert_eq!(a, b, "{file}");
        }
        assert_eq!(got.len(), reference.len(), "{file}");
        // the event attributes (exceptions) agree too
        let errors = |t: &Trace| t.spans.iter().filter(|s| s.is_error()).count();
        assert_eq!(errors(&t), errors(&mlflow3), "{file}");
    }
}

#[test]
fn export_round_trips() {
    for name in [
        "formats/trace_to_json_agent.json",
        "formats/otlp_json_from_span_to_otel_proto.json",
        "corpus/10_openai_autolog_tool_calls.json",
        "corpus/40_hostile_unicode_xss_1MiB.json",
        "corpus/60_large_1000_spans.json",
    ] {
        let (_, t) = one(name);
        let out = to_mlflow3_json(&t);
        let back = parse_str(&out).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(back.format, Format::Mlflow3);
        let b = &back.traces[0];
        assert_eq!(shape(b), shape(&t), "{name}");
        assert_eq!(b.info.trace_id, t.info.trace_id);
        let sorted = |v: &Vec<(String, String)>| {
            let mut v = v.clone();
            v.sort();
            v
        };
        assert_eq!(sorted(&b.info.tags), sorted(&t.info.tags));
        assert_eq!(sorted(&b.info.metadata), sorted(&t.info.metadata));
        assert_eq!(b.state(), t.state());
        // ids come out as MLflow 3 writes them: base64
        let v: Value = serde_json::from_str(&out).unwrap();
        let id = v["data"]["spans"][0]["span_id"].as_str().unwrap();
        assert_eq!(id.len(), 12, "{id}");
    }
}

#[test]
fn mlflow3_export_is_byte_identical_for_mlflow3_attributes() {
    // Attribute values are copied through untouched (no re-serialisation of MLflow's JSON strings).
    let (_, t) = one("corpus/01_all_span_types.json");
    let out: Value = serde_json::from_str(&to_mlflow3_json(&t)).unwrap();
    let orig: Value = serde_json::from_slice(&fixture("corpus/01_all_span_types.json")).unwrap();
    let by_name = |v: &Value, n: &str| {
        v["data"]["spans"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == n)
            .cloned()
            .unwrap()
    };
    for n in ["ChatModel.invoke", "retrieve", "untyped_span"] {
        assert_eq!(
            by_name(&out, n)["attributes"],
            by_name(&orig, n)["attributes"],
            "{n}"
        );
    }
}

#[test]
fn gzip_files_open() {
    let raw = fixture("corpus/60_large_100_spans.json");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&raw).unwrap();
    let bytes = gz.finish().unwrap();
    assert!(bytes.len() < raw.len() / 3);
    let d = parse_bytes(&bytes).unwrap();
    assert_eq!(d.span_count(), 100);
    let broken = &bytes[..bytes.len() / 2];
    assert!(parse_bytes(broken)
        .unwrap_err()
        .to_string()
        .contains("gzip"));
}

#[test]
fn ndjson_of_real_traces() {
    let mut text = String::new();
    for f in [
        "30_session_sess-bob-002_turn1.json",
        "30_session_sess-bob-002_turn2.json",
        "02_error_nested_caught.json",
    ] {
        let v: Value = serde_json::from_slice(&fixture(&format!("corpus/{f}"))).unwrap();
        text.push_str(&v.to_string());
        text.push('\n');
    }
    let d = parse_str(&text).unwrap();
    assert_eq!(d.format, Format::Ndjson);
    assert_eq!(d.traces.len(), 3);
    assert_eq!(d.span_count(), 7);
}
