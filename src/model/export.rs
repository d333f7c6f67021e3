//! Writing a trace back out as MLflow 3 `Trace.to_json()` — whatever format it came in — so a trace can
//! be shared and reopened anywhere (including by MLflow's own `Trace.from_json`).

use super::attrs::{decode, id_to_hex};
use super::raw::AttrEncoding;
use super::time::format_iso_ms;
use super::trace::{Attr, StatusCode, Trace, TraceState};
use base64::Engine;
use serde_json::{json, Map, Value};

/// MLflow 3 writes span and trace ids as base64 of their bytes.
fn id_b64(id: &str) -> Value {
    if id.is_empty() {
        return Value::Null;
    }
    let hex = id_to_hex(id);
    let bytes: Option<Vec<u8>> =
        (hex.len().is_multiple_of(2) && hex.bytes().all(|b| b.is_ascii_hexdigit())).then(|| {
            (0..hex.len())
                .step_by(2)
                .filter_map(|i| u8::from_str_radix(&hex[i..i + 2], 16).ok())
                .collect()
        });
    match bytes {
        Some(b) if b.len() == 8 || b.len() == 16 => {
            Value::String(base64::engine::general_purpose::STANDARD.encode(b))
        }
        _ => Value::String(id.to_string()),
    }
}

/// A span attribute in MLflow's form: a JSON string holding the value's JSON.
fn attr_value(trace: &Trace, a: &Attr) -> Value {
    if a.encoding == AttrEncoding::JsonInString {
        if let Ok(s) = serde_json::from_str::<String>(trace.text(a.raw)) {
            return Value::String(s);
        }
    }
    Value::String(decode(trace, a).value.to_string())
}

pub fn to_mlflow3_value(trace: &Trace) -> Value {
    let info = &trace.info;
    let trace_hex = info
        .trace_id
        .strip_prefix("tr-")
        .unwrap_or(&info.trace_id)
        .to_string();
    let trace_id_b64 = id_b64(&trace_hex);
    let spans: Vec<Value> = trace
        .preorder
        .iter()
        .map(|&i| {
            let s = trace.span(i);
            let mut attrs = Map::new();
            for a in trace.span_attrs(i) {
                attrs.insert(trace.text(a.key).to_string(), attr_value(trace, a));
            }
            let events: Vec<Value> = trace
                .span_events(i)
                .iter()
                .map(|e| {
                    let mut ea = Map::new();
                    for a in trace.event_attrs(e) {
                        ea.insert(trace.text(a.key).to_string(), decode(trace, a).value);
                    }
                    json!({"name": trace.text(e.name), "time_unix_nano": e.time_ns, "attributes": ea})
                })
                .collect();
            let code = match s.status {
                StatusCode::Ok => "STATUS_CODE_OK",
                StatusCode::Error => "STATUS_CODE_ERROR",
                StatusCode::Unset => "STATUS_CODE_UNSET",
            };
            json!({
                "trace_id": trace_id_b64,
                "span_id": id_b64(trace.text(s.id)),
                "parent_span_id": id_b64(trace.text(s.parent_id)),
                "name": trace.name(i),
                "start_time_unix_nano": s.start_ns,
                "end_time_unix_nano": s.end_ns,
                "events": events,
                "status": {"code": code, "message": trace.text(s.status_message)},
                "attributes": attrs,
                "links": [],
            })
        })
        .collect();
    let state = match trace.state() {
        TraceState::Ok => "OK",
        TraceState::Error => "ERROR",
        TraceState::InProgress => "IN_PROGRESS",
        TraceState::Unspecified => "STATE_UNSPECIFIED",
    };
    let mut info_out = json!({
        "trace_id": info.trace_id,
        "trace_location": {"type": "MLFLOW_EXPERIMENT", "mlflow_experiment": {"experiment_id": info.experiment_id.clone().unwrap_or_else(|| "0".into())}},
        "request_time": format_iso_ms(info.request_time_ms.unwrap_or(trace.start_ns / 1_000_000)),
        "execution_duration_ms": info.execution_ms.unwrap_or(trace.duration_ns() / 1_000_000),
        "state": state,
        "tags": Value::Object(info.tags.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect()),
    });
    info_out["trace_metadata"] = Value::Object(
        info.metadata
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect(),
    );
    if let Some(p) = &info.request_preview {
        info_out["request_preview"] = Value::String(p.clone());
    }
    if let Some(p) = &info.response_preview {
        info_out["response_preview"] = Value::String(p.clone());
    }
    if let Some(c) = &info.client_request_id {
        info_out["client_request_id"] = Value::String(c.clone());
    }
    if let Some(a) = info
        .assessments_json
        .as_deref()
        .and_then(|a| serde_json::from_str::<Value>(a).ok())
    {
        info_out["assessments"] = a;
    }
    json!({"info": info_out, "data": {"spans": spans}})
}

/// The trace as MLflow 3 JSON text.
pub fn to_mlflow3_json(trace: &Trace) -> String {
    serde_json::to_string(&to_mlflow3_value(trace)).unwrap_or_default()
}
