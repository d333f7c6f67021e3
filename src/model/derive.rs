//! Facts derived from spans on demand: inputs/outputs, token usage, chat messages and tool calls,
//! exceptions. Everything here decodes only the attributes it needs, when a view asks.

use super::attrs::{decode, decode_raw, Decoded};
use super::raw::AttrEncoding;
use super::trace::{SpanIdx, Trace};
use serde_json::Value;

pub const ATTR_INPUTS: &str = "mlflow.spanInputs";
pub const ATTR_OUTPUTS: &str = "mlflow.spanOutputs";
pub const ATTR_TOKEN_USAGE: &str = "mlflow.chat.tokenUsage";
pub const ATTR_MESSAGES: &str = "mlflow.chat.messages";
pub const ATTR_TOOLS: &str = "mlflow.chat.tools";
pub const ATTR_MODEL: &str = "mlflow.llm.model";
pub const META_TOKEN_USAGE: &str = "mlflow.trace.tokenUsage";
pub const META_SESSION: &str = "mlflow.trace.session";
pub const META_USER: &str = "mlflow.trace.user";

/// Decodes a span attribute by key.
pub fn attr_value(trace: &Trace, span: SpanIdx, key: &str) -> Option<Decoded> {
    trace.attr(span, key).map(|a| decode(trace, a))
}

pub fn inputs(trace: &Trace, span: SpanIdx) -> Option<Decoded> {
    attr_value(trace, span, ATTR_INPUTS)
}

pub fn outputs(trace: &Trace, span: SpanIdx) -> Option<Decoded> {
    attr_value(trace, span, ATTR_OUTPUTS)
}

pub fn model_name(trace: &Trace, span: SpanIdx) -> Option<String> {
    attr_value(trace, span, ATTR_MODEL).and_then(|d| d.value.as_str().map(str::to_string))
}

/// Token counts as MLflow records them (`input_tokens`, `output_tokens`, `total_tokens`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TokenUsage {
    pub input: u64,
    pub output: u64,
    pub total: u64,
}

impl TokenUsage {
    pub fn from_json(v: &Value) -> Option<TokenUsage> {
        let o = v.as_object()?;
        let n = |keys: &[&str]| keys.iter().find_map(|k| o.get(*k).and_then(Value::as_u64));
        let input = n(&["input_tokens", "prompt_tokens"]);
        let output = n(&["output_tokens", "completion_tokens"]);
        let total = n(&["total_tokens"]);
        if input.is_none() && output.is_none() && total.is_none() {
            return None;
        }
        let (input, output) = (input.unwrap_or(0), output.unwrap_or(0));
        Some(TokenUsage {
            input,
            output,
            // Counts come from the file and may be anything up to u64::MAX: saturate rather than
            // overflow (a panic in debug builds, a wrapped total in release; found by fuzzing).
            total: total.unwrap_or(input.saturating_add(output)),
        })
    }

    fn add(&mut self, o: TokenUsage) {
        // Saturating for the same reason as in `from_json`: the sum over spans of outside numbers.
        self.input = self.input.saturating_add(o.input);
        self.output = self.output.saturating_add(o.output);
        self.total = self.total.saturating_add(o.total);
    }
}

/// A span's own token usage (`mlflow.chat.tokenUsage`).
pub fn span_tokens(trace: &Trace, span: SpanIdx) -> Option<TokenUsage> {
    attr_value(trace, span, ATTR_TOKEN_USAGE).and_then(|d| TokenUsage::from_json(&d.value))
}

/// The trace's token usage: MLflow's own total from the metadata, else the sum over spans.
pub fn trace_tokens(trace: &Trace) -> Option<TokenUsage> {
    if let Some(m) = trace.info.metadata(META_TOKEN_USAGE) {
        if let Some(t) = serde_json::from_str::<Value>(m)
            .ok()
            .as_ref()
            .and_then(TokenUsage::from_json)
        {
            return Some(t);
        }
    }
    let key = ATTR_TOKEN_USAGE;
    let mut sum = TokenUsage::default();
    let mut any = false;
    for a in trace.attrs.iter().filter(|a| trace.text(a.key) == key) {
        if let Some(t) = TokenUsage::from_json(&decode(trace, a).value) {
            sum.add(t);
            any = true;
        }
    }
    any.then_some(sum)
}

/// One piece of a chat message.
#[derive(Clone, Debug, PartialEq)]
pub enum Part {
    Text(String),
    ToolCall {
        id: Option<String>,
        name: String,
        arguments: String,
    },
    ToolResult {
        id: Option<String>,
        content: String,
    },
    /// Images, audio and anything else: shown as a label, never loaded.
    Other {
        kind: String,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Message {
    pub role: String,
    pub name: Option<String>,
    /// For `tool` messages: the call this answers.
    pub tool_call_id: Option<String>,
    pub parts: Vec<Part>,
}

/// The conversation a chat span carries: input messages then the response message(s).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Chat {
    pub messages: Vec<Message>,
    /// Names of the tools offered to the model.
    pub tools: Vec<String>,
}

/// Extracts chat messages from a span (OpenAI chat/Responses, Anthropic, LangChain-normalised, or
/// MLflow's `mlflow.chat.messages`). `None` when the span carries no conversation.
pub fn chat(trace: &Trace, span: SpanIdx) -> Option<Chat> {
    let mut messages = Vec::new();
    if let Some(d) = attr_value(trace, span, ATTR_MESSAGES) {
        messages_from_list(&d.value, &mut messages);
    }
    if messages.is_empty() {
        if let Some(d) = inputs(trace, span) {
            input_messages(&d.value, &mut messages);
        }
        let n_in = messages.len();
        if n_in > 0 {
            if let Some(d) = outputs(trace, span) {
                output_messages(&d.value, &mut messages);
            }
        }
    }
    if messages.is_empty() {
        return None;
    }
    let tools = attr_value(trace, span, super::derive::ATTR_TOOLS)
        .map(|d| tool_names(&d.value))
        .unwrap_or_default();
    Some(Chat { messages, tools })
}

fn input_messages(v: &Value, out: &mut Vec<Message>) {
    match v {
        Value::Object(o) => {
            if let Some(m) = o.get("messages") {
                messages_from_list(m, out);
            } else if let Some(input) = o.get("input") {
                // OpenAI Responses API: a string or a list of items.
                match input {
                    Value::String(s) => out.push(text_message("user", s)),
                    Value::Array(_) => messages_from_list(input, out),
                    _ => {}
                }
            }
            if let Some(Value::String(sys)) = o.get("system") {
                // Anthropic puts the system prompt beside the messages.
                out.insert(0, text_message("system", sys));
            }
        }
        // LangChain chat models: a list of messages, or a batch (list of lists).
        Value::Array(items) => match items.first() {
            Some(Value::Array(_)) => messages_from_list(&items[0], out),
            _ => messages_from_list(v, out),
        },
        _ => {}
    }
}

fn output_messages(v: &Value, out: &mut Vec<Message>) {
    match v {
        Value::Object(o) => {
            if let Some(Value::Array(choices)) = o.get("choices") {
                for c in choices {
                    if let Some(m) = c.get("message").and_then(message_from) {
                        out.push(m);
                    }
                }
            } else if let Some(Value::Array(items)) = o.get("output") {
                messages_from_list(&Value::Array(items.clone()), out);
            } else if o.contains_key("role") && o.contains_key("content") {
                if let Some(m) = message_from(v) {
                    out.push(m);
                }
            } else if let Some(gens) = o.get("generations").and_then(Value::as_array) {
                for g in gens
                    .iter()
                    .flat_map(|g| g.as_array().cloned().unwrap_or_default())
                {
                    if let Some(m) = g.get("message").and_then(message_from) {
                        out.push(m);
                    } else if let Some(t) = g.get("text").and_then(Value::as_str) {
                        out.push(text_message("assistant", t));
                    }
                }
            }
        }
        Value::String(s) => out.push(text_message("assistant", s)),
        _ => {}
    }
}

fn messages_from_list(v: &Value, out: &mut Vec<Message>) {
    for item in v.as_array().into_iter().flatten() {
        // Responses API function calls and their outputs are items of their own.
        match item.get("type").and_then(Value::as_str) {
            Some("function_call") => {
                out.push(Message {
                    role: "assistant".into(),
                    name: None,
                    tool_call_id: None,
                    parts: vec![Part::ToolCall {
                        id: str_field(item, "call_id"),
                        name: str_field(item, "name").unwrap_or_default(),
                        arguments: stringify(item.get("arguments")),
                    }],
                });
                continue;
            }
            Some("function_call_output") => {
                out.push(Message {
                    role: "tool".into(),
                    name: None,
                    tool_call_id: str_field(item, "call_id"),
                    parts: vec![Part::ToolResult {
                        id: str_field(item, "call_id"),
                        content: stringify(item.get("output")),
                    }],
                });
                continue;
            }
            _ => {}
        }
        if let Some(m) = message_from(item) {
            out.push(m);
        }
    }
}

fn message_from(v: &Value) -> Option<Message> {
    let o = v.as_object()?;
    // LangChain serialised messages use `type` (human/ai/system/tool) instead of `role`.
    let role = o.get("role").and_then(Value::as_str).or_else(|| {
        match o.get("type").and_then(Value::as_str) {
            Some("human") => Some("user"),
            Some("ai") => Some("assistant"),
            Some(t @ ("system" | "tool")) => Some(t),
            _ => None,
        }
    })?;
    let mut parts = Vec::new();
    match o.get("content") {
        Some(Value::String(s)) if !s.is_empty() => parts.push(Part::Text(s.clone())),
        Some(Value::Array(blocks)) => {
            for b in blocks {
                parts.push(block_part(b));
            }
        }
        Some(Value::Null) | None => {}
        Some(other) => parts.push(Part::Text(other.to_string())),
    }
    for call in o
        .get("tool_calls")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let f = call.get("function").unwrap_or(call);
        parts.push(Part::ToolCall {
            id: str_field(call, "id"),
            name: str_field(f, "name").unwrap_or_default(),
            arguments: stringify(f.get("arguments").or_else(|| f.get("args"))),
        });
    }
    let tool_call_id = str_field(v, "tool_call_id");
    if role == "tool" {
        if let [Part::Text(t)] = parts.as_slice() {
            parts = vec![Part::ToolResult {
                id: tool_call_id.clone(),
                content: t.clone(),
            }];
        }
    }
    Some(Message {
        role: role.to_string(),
        name: str_field(v, "name"),
        tool_call_id,
        parts,
    })
}

fn block_part(b: &Value) -> Part {
    match b.get("type").and_then(Value::as_str) {
        Some("text" | "input_text" | "output_text") => {
            Part::Text(str_field(b, "text").unwrap_or_default())
        }
        Some("tool_use") => Part::ToolCall {
            id: str_field(b, "id"),
            name: str_field(b, "name").unwrap_or_default(),
            arguments: stringify(b.get("input")),
        },
        Some("tool_result") => Part::ToolResult {
            id: str_field(b, "tool_use_id"),
            content: stringify(b.get("content")),
        },
        Some(kind) => Part::Other {
            kind: kind.to_string(),
        },
        None => match b {
            Value::String(s) => Part::Text(s.clone()),
            _ => Part::Other {
                kind: "content".into(),
            },
        },
    }
}

fn text_message(role: &str, text: &str) -> Message {
    Message {
        role: role.into(),
        name: None,
        tool_call_id: None,
        parts: vec![Part::Text(text.into())],
    }
}

fn str_field(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_string)
}

/// Tool arguments are usually a JSON string; objects are shown as compact JSON.
fn stringify(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) if items.iter().all(|i| i.get("text").is_some()) => items
            .iter()
            .filter_map(|i| i.get("text").and_then(Value::as_str))
            .collect::<Vec<_>>()
            .join("\n"),
        Some(other) => other.to_string(),
    }
}

fn tool_names(v: &Value) -> Vec<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| {
            t.pointer("/function/name")
                .or_else(|| t.get("name"))
                .and_then(Value::as_str)
        })
        .map(str::to_string)
        .collect()
}

/// An exception recorded as a span event (`exception.type`, `.message`, `.stacktrace`).
#[derive(Clone, Debug, PartialEq)]
pub struct Exception {
    pub kind: String,
    pub message: String,
    pub stacktrace: String,
}

pub fn exceptions(trace: &Trace, span: SpanIdx) -> Vec<Exception> {
    trace
        .span_events(span)
        .iter()
        .filter(|e| trace.text(e.name) == "exception")
        .map(|e| {
            let get = |key: &str| {
                trace
                    .event_attrs(e)
                    .iter()
                    .find(|a| trace.text(a.key) == key)
                    .map(|a| match decode(trace, a).value {
                        Value::String(s) => s,
                        other => other.to_string(),
                    })
                    .unwrap_or_default()
            };
            Exception {
                kind: get("exception.type"),
                message: get("exception.message"),
                stacktrace: get("exception.stacktrace"),
            }
        })
        .collect()
}

/// Decodes a trace metadata value that holds JSON (e.g. `mlflow.traceInputs`).
pub fn metadata_json(trace: &Trace, key: &str) -> Option<Value> {
    trace
        .info
        .metadata(key)
        .map(|v| decode_raw(v, AttrEncoding::Plain).value)
}
