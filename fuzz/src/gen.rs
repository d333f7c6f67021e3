//! Structured inputs: fuzz bytes (through `arbitrary::Unstructured`) drive generators of JSON in the
//! shapes trace-view reads — MLflow 3/2 traces and their wrappers, OTLP JSON, chat messages — so that
//! mutations reach span linking, attribute decoding and chat extraction instead of failing in the JSON
//! syntax. Every choice is a `Result`: when the bytes run out, the generator takes the first option.
//!
//! Shared by the fuzz targets and by `tests/fuzz_regressions.rs` (included there with `#[path]`), so
//! the committed corpora replay to the same documents in `cargo test`.

use arbitrary::{Result, Unstructured};
use base64::Engine;
use serde_json::{json, Map, Value};

/// Keys the parser and `derive` look at (a dictionary, in effect), plus a few ordinary ones.
const KEYS: &[&str] = &[
    "role",
    "content",
    "type",
    "text",
    "tool_calls",
    "function",
    "name",
    "arguments",
    "args",
    "id",
    "call_id",
    "output",
    "input",
    "messages",
    "system",
    "choices",
    "message",
    "generations",
    "tool_use_id",
    "tool_call_id",
    "input_tokens",
    "output_tokens",
    "total_tokens",
    "prompt_tokens",
    "completion_tokens",
    "values",
    "key",
    "value",
    "stringValue",
    "string_value",
    "intValue",
    "int_value",
    "arrayValue",
    "array_value",
    "kvlistValue",
    "kvlist_value",
    "boolValue",
    "doubleValue",
    "bytesValue",
    "info",
    "data",
    "spans",
    "traces",
    "trace",
    "trace_info",
    "resourceSpans",
    "trace_id",
    "request_id",
    "run_id",
    "metrics",
    "params",
    "error_code",
    "experiments",
    "x",
    "",
];

const STRS: &[&str] = &[
    "user",
    "assistant",
    "system",
    "tool",
    "human",
    "ai",
    "text",
    "input_text",
    "output_text",
    "tool_use",
    "tool_result",
    "function_call",
    "function_call_output",
    "image_url",
    "chat",
    "NaN",
    "Infinity",
    "-Infinity",
    "",
    " ",
    "{}",
    "[]",
    "{\"a\":1}",
    "[1,2]",
    "{\"role\":\"user\"}",
    "\u{202E}rlo",
    "é東京",
    "\"q\"",
    "\\",
    "0x",
    "STATUS_CODE_ERROR",
    "ERROR",
    "OK",
    "2",
    "1970-01-01T00:00:00Z",
    "2026-11-23T11:25:38.352+01:00",
    "9999-12-31T23:59:59.999Z",
    "kk4ASkcSojo=",
    "924e004a4712a23a",
    "0.115s",
    "-1s",
    "1e400s",
];

const ATTR_KEYS: &[&str] = &[
    "mlflow.spanType",
    "mlflow.spanInputs",
    "mlflow.spanOutputs",
    "mlflow.chat.messages",
    "mlflow.chat.tokenUsage",
    "mlflow.chat.tools",
    "mlflow.llm.model",
    "openinference.span.kind",
    "gen_ai.operation.name",
    "mlflow.traceRequestId",
];

const SPAN_TYPES: &[&str] = &[
    "LLM",
    "CHAT_MODEL",
    "CHAIN",
    "AGENT",
    "TOOL",
    "EMBEDDING",
    "RETRIEVER",
    "PARSER",
    "RERANKER",
    "MEMORY",
    "GUARDRAIL",
    "EVALUATOR",
    "UNKNOWN",
    "",
    "custom",
    "chat",
    "text_completion",
    "embeddings",
    "execute_tool",
    "invoke_agent",
];

const META_KEYS: &[&str] = &[
    "mlflow.trace.session",
    "mlflow.trace.user",
    "mlflow.traceName",
    "mlflow.trace.tokenUsage",
    "mlflow.traceInputs",
    "run_id",
    "mlflow.sourceRun",
];

fn pick<'a>(u: &mut Unstructured, from: &[&'a str]) -> Result<&'a str> {
    Ok(*u.choose(from)?)
}

/// Short arbitrary text, sometimes a dictionary word.
fn text(u: &mut Unstructured) -> Result<String> {
    if u.ratio(1, 2)? {
        return Ok(pick(u, STRS)?.to_string());
    }
    let len = u.int_in_range(0..=24)?;
    let mut s = String::new();
    for _ in 0..len {
        s.push(u.arbitrary::<char>()?);
    }
    Ok(s)
}

fn number(u: &mut Unstructured) -> Result<Value> {
    Ok(match u.int_in_range(0..=6)? {
        0 => json!(u.int_in_range(0u64..=1000)?),
        1 => json!(u.arbitrary::<u64>()?),
        2 => json!(u64::MAX - u.int_in_range(0u64..=3)?),
        3 => json!(u.arbitrary::<i64>()?),
        4 => serde_json::Number::from_f64(u.arbitrary::<f64>()?)
            .map(Value::Number)
            .unwrap_or(Value::Null),
        5 => json!(-(u.int_in_range(1i64..=10)?)),
        _ => json!(0),
    })
}

/// Any JSON value, nested at most `depth` more levels.
pub fn value(u: &mut Unstructured, depth: u32) -> Result<Value> {
    let top = if depth == 0 { 3 } else { 6 };
    Ok(match u.int_in_range(0..=top)? {
        0 => Value::Null,
        1 => Value::Bool(u.arbitrary()?),
        2 => number(u)?,
        3 => Value::String(text(u)?),
        4 => {
            let n = u.int_in_range(0..=4)?;
            let mut v = Vec::new();
            for _ in 0..n {
                v.push(value(u, depth - 1)?);
            }
            Value::Array(v)
        }
        5 => {
            let n = u.int_in_range(0..=4)?;
            let mut m = Map::new();
            for _ in 0..n {
                let k = if u.ratio(3, 4)? {
                    pick(u, KEYS)?.to_string()
                } else {
                    text(u)?
                };
                m.insert(k, value(u, depth - 1)?);
            }
            Value::Object(m)
        }
        _ => message(u, depth - 1)?,
    })
}

/// A content block (Anthropic / OpenAI Responses style).
fn block(u: &mut Unstructured, depth: u32) -> Result<Value> {
    if u.ratio(1, 6)? {
        return value(u, depth);
    }
    let mut m = Map::new();
    let kind = pick(
        u,
        &[
            "text",
            "input_text",
            "output_text",
            "tool_use",
            "tool_result",
            "image_url",
            "x",
        ],
    )?;
    m.insert("type".into(), json!(kind));
    for key in ["text", "id", "name", "input", "tool_use_id", "content"] {
        if u.ratio(1, 2)? {
            let v = match key {
                "text" | "id" | "name" | "tool_use_id" if u.ratio(3, 4)? => json!(text(u)?),
                _ => value(u, depth.saturating_sub(1))?,
            };
            m.insert(key.into(), v);
        }
    }
    Ok(Value::Object(m))
}

/// A chat message in one of the shapes `derive::chat` reads.
pub fn message(u: &mut Unstructured, depth: u32) -> Result<Value> {
    let mut m = Map::new();
    if u.ratio(3, 4)? {
        m.insert(
            "role".into(),
            json!(pick(u, &["user", "assistant", "system", "tool", "x"])?),
        );
    } else {
        let t = pick(
            u,
            &[
                "human",
                "ai",
                "system",
                "tool",
                "function_call",
                "function_call_output",
                "y",
            ],
        )?;
        m.insert("type".into(), json!(t));
    }
    match u.int_in_range(0..=4)? {
        0 => {}
        1 => {
            m.insert("content".into(), json!(text(u)?));
        }
        2 => {
            m.insert("content".into(), Value::Null);
        }
        3 => {
            let n = u.int_in_range(0..=3)?;
            let mut blocks = Vec::new();
            for _ in 0..n {
                blocks.push(block(u, depth)?);
            }
            m.insert("content".into(), Value::Array(blocks));
        }
        _ => {
            m.insert("content".into(), value(u, depth)?);
        }
    }
    if u.ratio(1, 3)? {
        let n = u.int_in_range(0..=3)?;
        let mut calls = Vec::new();
        for _ in 0..n {
            let args = if u.ratio(1, 2)? {
                json!(text(u)?)
            } else {
                value(u, depth)?
            };
            let call = if u.ratio(3, 4)? {
                json!({"id": text(u)?, "type": "function", "function": {"name": text(u)?, "arguments": args}})
            } else {
                json!({"name": text(u)?, "args": args})
            };
            calls.push(call);
        }
        m.insert("tool_calls".into(), Value::Array(calls));
    }
    for key in ["tool_call_id", "name", "call_id", "output", "arguments"] {
        if u.ratio(1, 6)? {
            let v = if u.ratio(1, 2)? {
                json!(text(u)?)
            } else {
                value(u, depth)?
            };
            m.insert(key.into(), v);
        }
    }
    Ok(Value::Object(m))
}

fn messages(u: &mut Unstructured, depth: u32) -> Result<Value> {
    let n = u.int_in_range(0..=4)?;
    let mut v = Vec::new();
    for _ in 0..n {
        v.push(if u.ratio(1, 8)? {
            value(u, depth)?
        } else {
            message(u, depth)?
        });
    }
    Ok(Value::Array(v))
}

fn chat_inputs(u: &mut Unstructured) -> Result<Value> {
    Ok(match u.int_in_range(0..=5)? {
        0 => {
            let mut m = json!({"messages": messages(u, 2)?});
            if u.ratio(1, 2)? {
                m["system"] = json!(text(u)?);
            }
            m
        }
        1 => json!({"input": text(u)?}),
        2 => json!({"input": messages(u, 2)?}),
        3 => messages(u, 2)?,
        4 => json!([messages(u, 2)?]),
        _ => value(u, 3)?,
    })
}

fn chat_outputs(u: &mut Unstructured) -> Result<Value> {
    Ok(match u.int_in_range(0..=5)? {
        0 => {
            let n = u.int_in_range(0..=2)?;
            let mut choices = Vec::new();
            for _ in 0..n {
                choices.push(json!({"index": 0, "message": message(u, 2)?}));
            }
            json!({"choices": choices})
        }
        1 => json!({"output": messages(u, 2)?}),
        2 => message(u, 2)?,
        3 => {
            json!({"generations": [[{"message": message(u, 2)?}, {"text": text(u)?}], value(u, 1)?]})
        }
        4 => json!(text(u)?),
        _ => value(u, 3)?,
    })
}

fn tokens(u: &mut Unstructured) -> Result<Value> {
    let mut m = Map::new();
    for key in [
        "input_tokens",
        "output_tokens",
        "total_tokens",
        "prompt_tokens",
        "completion_tokens",
    ] {
        if u.ratio(1, 2)? {
            m.insert(key.into(), number(u)?);
        }
    }
    Ok(Value::Object(m))
}

/// The decoded value an attribute with this key usually holds (or anything).
fn attr_payload(u: &mut Unstructured, key: &str) -> Result<Value> {
    if u.ratio(1, 8)? {
        return value(u, 3);
    }
    Ok(match key {
        "mlflow.spanType" | "openinference.span.kind" | "gen_ai.operation.name" => {
            json!(pick(u, SPAN_TYPES)?)
        }
        "mlflow.spanInputs" => chat_inputs(u)?,
        "mlflow.spanOutputs" => chat_outputs(u)?,
        "mlflow.chat.messages" => messages(u, 2)?,
        "mlflow.chat.tokenUsage" => tokens(u)?,
        "mlflow.chat.tools" => {
            let n = u.int_in_range(0..=3)?;
            let mut v = Vec::new();
            for _ in 0..n {
                v.push(if u.ratio(1, 2)? {
                    json!({"type": "function", "function": {"name": text(u)?}})
                } else {
                    json!({"name": value(u, 1)?})
                });
            }
            Value::Array(v)
        }
        "mlflow.llm.model" => json!(text(u)?),
        _ => value(u, 3)?,
    })
}

/// JSON text of a value, sometimes with `null`s turned into Python's `NaN`/`Infinity`.
fn json_text(u: &mut Unstructured, v: &Value) -> Result<String> {
    let s = v.to_string();
    if u.ratio(1, 5)? {
        let lit = pick(u, &["NaN", "Infinity", "-Infinity"])?;
        return Ok(s.replace("null", lit));
    }
    Ok(s)
}

fn attr_key(u: &mut Unstructured) -> Result<String> {
    Ok(if u.ratio(4, 5)? {
        pick(u, ATTR_KEYS)?.to_string()
    } else {
        text(u)?
    })
}

/// MLflow span attributes: a map of JSON-in-string values (sometimes a wrong type or plain text).
fn mlflow_attrs(u: &mut Unstructured) -> Result<Value> {
    match u.int_in_range(0..=15)? {
        0 => return value(u, 2),
        1 => {
            return Ok(Value::Array(vec![
                json!({"key": attr_key(u)?, "value": any_value(u, 2)?}),
            ]))
        }
        _ => {}
    }
    let n = u.int_in_range(0..=6)?;
    let mut m = Map::new();
    for _ in 0..n {
        let key = attr_key(u)?;
        let payload = attr_payload(u, &key)?;
        let v = match u.int_in_range(0..=7)? {
            0 => json!(text(u)?),
            1 => payload,
            _ => json!(json_text(u, &payload)?),
        };
        m.insert(key, v);
    }
    Ok(Value::Object(m))
}

/// Span and trace ids in the spellings MLflow and OTLP use.
fn id(u: &mut Unstructured, bytes: usize) -> Result<String> {
    let raw: Vec<u8> = (0..bytes)
        .map(|_| u.arbitrary::<u8>())
        .collect::<Result<_>>()?;
    let hex: String = raw.iter().map(|b| format!("{b:02x}")).collect();
    Ok(match u.int_in_range(0..=6)? {
        0 | 1 => hex,
        2 => base64::engine::general_purpose::STANDARD.encode(&raw),
        3 => format!("0x{}", hex.to_ascii_uppercase()),
        4 => format!("s{}", u.int_in_range(0..=9)?),
        5 => String::new(),
        _ => text(u)?,
    })
}

fn nanos(u: &mut Unstructured) -> Result<Value> {
    Ok(match u.int_in_range(0..=7)? {
        0 | 1 => json!(1_700_000_000_000_000_000u64 + u.int_in_range(0u64..=10_000)?),
        2 => json!(u.int_in_range(0u64..=100)?.to_string()),
        3 => number(u)?,
        4 => Value::Null,
        5 => json!(text(u)?),
        6 => value(u, 1)?,
        _ => json!(u.arbitrary::<u64>()?.to_string()),
    })
}

fn event(u: &mut Unstructured, otlp: bool) -> Result<Value> {
    let name = if u.ratio(2, 3)? {
        "exception".to_string()
    } else {
        text(u)?
    };
    let mut attrs = Vec::new();
    for key in [
        "exception.type",
        "exception.message",
        "exception.stacktrace",
        "x",
    ] {
        if u.ratio(2, 3)? {
            attrs.push((key, value(u, 2)?));
        }
    }
    let attributes = if otlp {
        Value::Array(
            attrs
                .into_iter()
                .map(|(k, v)| json!({"key": k, "value": {"stringValue": v.to_string()}}))
                .collect(),
        )
    } else {
        Value::Object(attrs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    };
    let time_key = pick(u, &["time_unix_nano", "timeUnixNano", "timestamp"])?;
    Ok(json!({"name": name, time_key: nanos(u)?, "attributes": attributes}))
}

fn status(u: &mut Unstructured) -> Result<Option<Value>> {
    let code = || -> &'static [&'static str] {
        &[
            "STATUS_CODE_OK",
            "STATUS_CODE_ERROR",
            "STATUS_CODE_UNSET",
            "OK",
            "ERROR",
            "2",
            "x",
        ]
    };
    Ok(match u.int_in_range(0..=4)? {
        0 => None,
        1 => Some(json!({"code": pick(u, code())?, "message": text(u)?})),
        2 => Some(json!({"status_code": pick(u, code())?, "description": text(u)?})),
        3 => Some(json!(pick(u, code())?)),
        _ => Some(value(u, 1)?),
    })
}

/// One MLflow span (3 or 2 style) whose ids come from `ids` (parents may be missing, self or cyclic).
fn mlflow_span(u: &mut Unstructured, ids: &[String], v2: bool) -> Result<Value> {
    let mut m = Map::new();
    let me = u.choose(ids)?.clone();
    let parent = match u.int_in_range(0..=5)? {
        0 => Value::Null,
        1 => json!("missing-parent"),
        2 => json!(me.clone()),
        _ => json!(u.choose(ids)?.clone()),
    };
    if v2 {
        m.insert(
            "context".into(),
            json!({"span_id": me, "trace_id": "tr-v2"}),
        );
        m.insert("parent_id".into(), parent);
    } else {
        m.insert("trace_id".into(), json!("kk4ASkcSojpn6Sm2PHcA9Q=="));
        m.insert("span_id".into(), json!(me));
        m.insert("parent_span_id".into(), parent);
    }
    if u.ratio(7, 8)? {
        let name = if u.ratio(7, 8)? {
            json!(text(u)?)
        } else {
            value(u, 1)?
        };
        m.insert("name".into(), name);
    }
    let (start_key, end_key) = if v2 {
        ("start_time", "end_time")
    } else {
        ("start_time_unix_nano", "end_time_unix_nano")
    };
    m.insert(start_key.into(), nanos(u)?);
    m.insert(end_key.into(), nanos(u)?);
    if let Some(s) = status(u)? {
        m.insert("status".into(), s);
    }
    if v2 && u.ratio(1, 2)? {
        m.insert("status_code".into(), json!(pick(u, &["OK", "ERROR"])?));
        m.insert("status_message".into(), json!(text(u)?));
    }
    m.insert("attributes".into(), mlflow_attrs(u)?);
    if u.ratio(1, 2)? {
        let n = u.int_in_range(0..=2)?;
        let mut evs = Vec::new();
        for _ in 0..n {
            evs.push(event(u, false)?);
        }
        m.insert("events".into(), Value::Array(evs));
    }
    if v2 && u.ratio(1, 3)? {
        m.insert("span_type".into(), json!(pick(u, SPAN_TYPES)?));
        m.insert("inputs".into(), chat_inputs(u)?);
        m.insert("outputs".into(), chat_outputs(u)?);
    }
    Ok(Value::Object(m))
}

fn string_map(u: &mut Unstructured, keys: &[&str]) -> Result<Value> {
    let n = u.int_in_range(0..=4)?;
    let mut pairs = Vec::new();
    for _ in 0..n {
        let k = if u.ratio(3, 4)? {
            pick(u, keys)?.to_string()
        } else {
            text(u)?
        };
        let v = match k.as_str() {
            "mlflow.trace.tokenUsage" => json!(tokens(u)?.to_string()),
            _ if u.ratio(7, 8)? => json!(text(u)?),
            _ => value(u, 1)?,
        };
        pairs.push((k, v));
    }
    Ok(if u.ratio(4, 5)? {
        Value::Object(pairs.into_iter().collect())
    } else {
        Value::Array(
            pairs
                .into_iter()
                .map(|(k, v)| json!({"key": k, "value": v}))
                .collect(),
        )
    })
}

fn info(u: &mut Unstructured, v2: bool) -> Result<Value> {
    let mut m = Map::new();
    let tid = if u.ratio(3, 4)? {
        format!("tr-{}", id(u, 16)?)
    } else {
        text(u)?
    };
    m.insert(
        if v2 { "request_id" } else { "trace_id" }.into(),
        json!(tid),
    );
    if u.ratio(1, 2)? {
        let t = if v2 { "timestamp_ms" } else { "request_time" };
        let v = if v2 || u.ratio(1, 4)? {
            number(u)?
        } else {
            json!(pick(u, STRS)?)
        };
        m.insert(t.into(), v);
    }
    if u.ratio(1, 2)? {
        let k = pick(
            u,
            &[
                "execution_duration_ms",
                "execution_time_ms",
                "execution_duration",
            ],
        )?;
        let v = if k == "execution_duration" {
            json!(pick(u, STRS)?)
        } else {
            number(u)?
        };
        m.insert(k.into(), v);
    }
    if u.ratio(1, 2)? {
        let k = if v2 { "status" } else { "state" };
        m.insert(
            k.into(),
            json!(pick(u, &["OK", "ERROR", "IN_PROGRESS", "x"])?),
        );
    }
    let meta_key = if v2 {
        "request_metadata"
    } else {
        "trace_metadata"
    };
    m.insert(meta_key.into(), string_map(u, META_KEYS)?);
    m.insert(
        "tags".into(),
        string_map(u, &["mlflow.traceName", "run_id", "env"])?,
    );
    if u.ratio(1, 4)? {
        m.insert(
            "trace_location".into(),
            json!({"type": "MLFLOW_EXPERIMENT", "mlflow_experiment": {"experiment_id": text(u)?}}),
        );
    }
    for k in [
        "request_preview",
        "response_preview",
        "client_request_id",
        "experiment_id",
    ] {
        if u.ratio(1, 5)? {
            m.insert(k.into(), json!(text(u)?));
        }
    }
    if u.ratio(1, 5)? {
        m.insert("assessments".into(), value(u, 2)?);
    }
    if u.ratio(1, 16)? {
        let k = pick(u, KEYS)?;
        m.insert(k.into(), value(u, 1)?);
    }
    Ok(Value::Object(m))
}

fn spans(u: &mut Unstructured, v2: bool) -> Result<Vec<Value>> {
    let n_ids = u.int_in_range(1..=8)?;
    let ids: Vec<String> = (0..n_ids).map(|_| id(u, 8)).collect::<Result<_>>()?;
    let n = u.int_in_range(0..=12)?;
    (0..n).map(|_| mlflow_span(u, &ids, v2)).collect()
}

/// One MLflow trace as `Trace.to_json()` (MLflow 3) or MLflow 2 writes it.
fn mlflow_trace(u: &mut Unstructured) -> Result<Value> {
    let v2 = u.ratio(1, 4)?;
    let info = info(u, v2)?;
    let spans = spans(u, v2)?;
    let mut data = json!({"spans": spans});
    if u.ratio(1, 32)? {
        data["metrics"] = json!([]);
    }
    Ok(json!({"info": info, "data": data}))
}

/// A whole document in one of the MLflow shapes (and their wrappers), as text.
pub fn mlflow_document(u: &mut Unstructured) -> Result<String> {
    let doc = match u.int_in_range(0..=9)? {
        0..=2 => mlflow_trace(u)?,
        3 => {
            let n = u.int_in_range(0..=3)?;
            Value::Array((0..n).map(|_| mlflow_trace(u)).collect::<Result<_>>()?)
        }
        4 => {
            let n = u.int_in_range(0..=3)?;
            let items: Vec<Value> = (0..n)
                .map(|_| {
                    if u.ratio(1, 2)? {
                        info(u, false)
                    } else {
                        mlflow_trace(u)
                    }
                })
                .collect::<Result<_>>()?;
            json!({"traces": items, "next_page_token": text(u)?})
        }
        5 => json!({"trace": mlflow_trace(u)?.to_string()}),
        6 => json!({"trace": {"trace_info": info(u, false)?, "spans": spans(u, false)?}}),
        7 => {
            let mut rec = info(u, false)?;
            rec["spans"] = Value::Array(spans(u, false)?);
            rec
        }
        8 => {
            let v2 = u.ratio(1, 2)?;
            info(u, v2)?
        }
        _ => {
            let mut t = mlflow_trace(u)?;
            let k = pick(u, KEYS)?;
            t[k] = value(u, 2)?;
            t
        }
    };
    json_text(u, &doc)
}

/// An OTLP `AnyValue`, camelCase or snake_case, nested at most `depth` more levels.
fn any_value(u: &mut Unstructured, depth: u32) -> Result<Value> {
    let snake = u.ratio(1, 3)?;
    let k = |camel: &'static str, s: &'static str| if snake { s } else { camel };
    let top = if depth == 0 { 6 } else { 8 };
    Ok(match u.int_in_range(0..=top)? {
        0 => {
            let s = if u.ratio(1, 2)? {
                text(u)?
            } else {
                let key = pick(u, ATTR_KEYS)?;
                let payload = attr_payload(u, key)?;
                json_text(u, &payload)?
            };
            json!({k("stringValue", "string_value"): s})
        }
        1 => {
            let v = if u.ratio(1, 2)? {
                json!(u.arbitrary::<i64>()?.to_string())
            } else {
                value(u, 0)?
            };
            json!({k("intValue", "int_value"): v})
        }
        2 => json!({k("doubleValue", "double_value"): number(u)?}),
        3 => json!({k("boolValue", "bool_value"): u.arbitrary::<bool>()?}),
        4 => json!({k("bytesValue", "bytes_value"): text(u)?}),
        5 => json!({}),
        6 => value(u, 1)?,
        7 => {
            let n = u.int_in_range(0..=3)?;
            let vals: Vec<Value> = (0..n)
                .map(|_| any_value(u, depth - 1))
                .collect::<Result<_>>()?;
            json!({k("arrayValue", "array_value"): {"values": vals}})
        }
        _ => {
            let n = u.int_in_range(0..=3)?;
            let vals: Vec<Value> = (0..n)
                .map(|_| Ok(json!({"key": text(u)?, "value": any_value(u, depth - 1)?})))
                .collect::<Result<_>>()?;
            json!({k("kvlistValue", "kvlist_value"): {"values": vals}})
        }
    })
}

fn otlp_span(u: &mut Unstructured, tids: &[String], ids: &[String]) -> Result<Value> {
    let me = u.choose(ids)?.clone();
    let mut m = Map::new();
    let camel = u.ratio(3, 4)?;
    let key = |c: &'static str, s: &'static str| if camel { c } else { s };
    if u.ratio(15, 16)? {
        m.insert(key("traceId", "trace_id").into(), json!(u.choose(tids)?));
    }
    m.insert(key("spanId", "span_id").into(), json!(me.clone()));
    let parent = match u.int_in_range(0..=5)? {
        0 => json!(""),
        1 => json!("missing-parent"),
        2 => json!(me),
        _ => json!(u.choose(ids)?.clone()),
    };
    m.insert(key("parentSpanId", "parent_span_id").into(), parent);
    m.insert("name".into(), json!(text(u)?));
    m.insert("kind".into(), json!(u.int_in_range(0..=5)?));
    m.insert(
        key("startTimeUnixNano", "start_time_unix_nano").into(),
        nanos(u)?,
    );
    m.insert(
        key("endTimeUnixNano", "end_time_unix_nano").into(),
        nanos(u)?,
    );
    let n = u.int_in_range(0..=6)?;
    let mut attrs = Vec::new();
    for _ in 0..n {
        let item = if u.ratio(1, 16)? {
            value(u, 1)?
        } else {
            json!({"key": attr_key(u)?, "value": any_value(u, 2)?})
        };
        attrs.push(item);
    }
    m.insert("attributes".into(), Value::Array(attrs));
    if u.ratio(1, 2)? {
        let n = u.int_in_range(0..=2)?;
        let evs: Vec<Value> = (0..n).map(|_| event(u, true)).collect::<Result<_>>()?;
        m.insert("events".into(), Value::Array(evs));
    }
    if u.ratio(2, 3)? {
        let code = match u.int_in_range(0..=3)? {
            0 => json!(u.int_in_range(0..=3)?),
            1 => json!("STATUS_CODE_ERROR"),
            2 => json!("STATUS_CODE_OK"),
            _ => value(u, 0)?,
        };
        m.insert("status".into(), json!({"code": code, "message": text(u)?}));
    }
    Ok(Value::Object(m))
}

/// An OTLP JSON `ExportTraceServiceRequest`, as text.
pub fn otlp_document(u: &mut Unstructured) -> Result<String> {
    let n_tids = u.int_in_range(1..=3)?;
    let tids: Vec<String> = (0..n_tids).map(|_| id(u, 16)).collect::<Result<_>>()?;
    let n_ids = u.int_in_range(1..=8)?;
    let ids: Vec<String> = (0..n_ids).map(|_| id(u, 8)).collect::<Result<_>>()?;
    let n_res = u.int_in_range(0..=2)?;
    let mut resources = Vec::new();
    for _ in 0..n_res {
        let scope_key = pick(
            u,
            &["scopeSpans", "scope_spans", "instrumentationLibrarySpans"],
        )?;
        let n_scopes = u.int_in_range(0..=2)?;
        let mut scopes = Vec::new();
        for _ in 0..n_scopes {
            let n = u.int_in_range(0..=8)?;
            let spans: Vec<Value> = (0..n)
                .map(|_| otlp_span(u, &tids, &ids))
                .collect::<Result<_>>()?;
            scopes.push(json!({"scope": {"name": "fuzz"}, "spans": spans}));
        }
        resources.push(json!({
            "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "svc"}}]},
            scope_key: scopes,
        }));
    }
    let top_key = pick(u, &["resourceSpans", "resourceSpans", "resource_spans"])?;
    let doc = json!({ top_key: resources });
    let doc = match u.int_in_range(0..=7)? {
        0 => Value::Array(vec![doc.clone(), doc]),
        1 => json!({"traces": [doc]}),
        _ => doc,
    };
    json_text(u, &doc)
}
