//! Decoding attribute values on demand, and the JSON leniency MLflow's Python side needs.
//!
//! MLflow writes span attributes with Python's `json.dumps`, which emits `NaN` and `Infinity` —
//! not JSON. Such values are read with those literals turned into strings, and marked.

use super::raw::AttrEncoding;
use super::trace::{Attr, Trace};
use base64::Engine;
use serde_json::{Map, Value};

/// A decoded attribute value and how faithfully it could be read.
#[derive(Clone, Debug, PartialEq)]
pub struct Decoded {
    pub value: Value,
    pub fidelity: Fidelity,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fidelity {
    /// Exactly what was written.
    Exact,
    /// `NaN`/`Infinity` literals were turned into strings to read the rest.
    NonStandardLiterals,
    /// Not JSON (or too deeply nested): shown as the raw text.
    RawText,
}

/// Decodes one attribute value according to its encoding.
pub fn decode(trace: &Trace, attr: &Attr) -> Decoded {
    decode_raw(trace.text(attr.raw), attr.encoding)
}

pub fn decode_raw(raw: &str, encoding: AttrEncoding) -> Decoded {
    match encoding {
        AttrEncoding::Plain => parse_lenient(raw),
        AttrEncoding::JsonInString => match serde_json::from_str::<String>(raw) {
            // MLflow: the value is a JSON string whose content is JSON. Plain text that is not JSON
            // (written by other tools) is shown as the string itself.
            Ok(inner) => match parse_lenient(&inner) {
                Decoded {
                    fidelity: Fidelity::RawText,
                    ..
                } => Decoded {
                    value: Value::String(inner),
                    fidelity: Fidelity::Exact,
                },
                d => d,
            },
            Err(_) => parse_lenient(raw),
        },
        AttrEncoding::AnyValue => {
            let d = parse_lenient(raw);
            Decoded {
                value: any_value_to_json(&d.value),
                fidelity: d.fidelity,
            }
        }
    }
}

/// Parses JSON; on failure retries with non-standard literals quoted; else keeps the text.
pub fn parse_lenient(text: &str) -> Decoded {
    match serde_json::from_str::<Value>(text) {
        Ok(value) => Decoded {
            value,
            fidelity: Fidelity::Exact,
        },
        Err(_) => match quote_nonstandard_literals(text)
            .and_then(|t| serde_json::from_str::<Value>(&t).ok())
        {
            Some(value) => Decoded {
                value,
                fidelity: Fidelity::NonStandardLiterals,
            },
            None => Decoded {
                value: Value::String(text.to_string()),
                fidelity: Fidelity::RawText,
            },
        },
    }
}

/// Rewrites bare `NaN`, `Infinity` and `-Infinity` (outside strings) as JSON strings.
/// Returns `None` when there were none, so callers know a retry is pointless.
pub fn quote_nonstandard_literals(text: &str) -> Option<String> {
    const LITERALS: [&str; 3] = ["-Infinity", "Infinity", "NaN"];
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len() + 16);
    let (mut i, mut last, mut in_str, mut changed) = (0, 0, false, false);
    while i < b.len() {
        let c = b[i];
        if in_str {
            match c {
                b'\\' => i += 1,
                b'"' => in_str = false,
                _ => {}
            }
        } else if c == b'"' {
            in_str = true;
        } else if let Some(lit) = LITERALS.iter().find(|l| b[i..].starts_with(l.as_bytes())) {
            out.push_str(&text[last..i]);
            out.push('"');
            out.push_str(lit);
            out.push('"');
            i += lit.len();
            last = i;
            changed = true;
            continue;
        }
        i += 1;
    }
    if !changed {
        return None;
    }
    out.push_str(&text[last.min(text.len())..]);
    Some(out)
}

/// Converts an OTLP `AnyValue` (snake_case as MLflow's REST API writes it, or camelCase as the OTLP
/// JSON spec does) into plain JSON. Strings that hold JSON objects or arrays are expanded, since
/// MLflow and most instrumentations put structured inputs into string attributes.
pub fn any_value_to_json(v: &Value) -> Value {
    convert_any_value(v, true)
}

/// `expand`: only the attribute's own string is expanded, never strings nested inside it (a tool
/// call's `arguments` stays the JSON text it was).
fn convert_any_value(v: &Value, expand: bool) -> Value {
    let Value::Object(o) = v else {
        return v.clone();
    };
    let get = |snake: &str, camel: &str| o.get(snake).or_else(|| o.get(camel));
    if let Some(s) = get("string_value", "stringValue") {
        if let (Value::String(s), true) = (s, expand) {
            let t = s.trim_start();
            if t.starts_with('{') || t.starts_with('[') {
                if let Ok(parsed) = serde_json::from_str::<Value>(s) {
                    return parsed;
                }
            }
        }
        return s.clone();
    }
    if let Some(i) = get("int_value", "intValue") {
        // OTLP JSON writes int64 as a string.
        return match i {
            Value::String(s) => s
                .parse::<i64>()
                .map(Value::from)
                .unwrap_or_else(|_| i.clone()),
            _ => i.clone(),
        };
    }
    if let Some(d) = get("double_value", "doubleValue") {
        return d.clone();
    }
    if let Some(b) = get("bool_value", "boolValue") {
        return b.clone();
    }
    if let Some(b) = get("bytes_value", "bytesValue") {
        return b.clone();
    }
    if let Some(a) = get("array_value", "arrayValue") {
        let items = a
            .get("values")
            .and_then(Value::as_array)
            .map(|v| v.iter().map(|x| convert_any_value(x, false)).collect());
        return Value::Array(items.unwrap_or_default());
    }
    if let Some(kv) = get("kvlist_value", "kvlistValue") {
        let mut m = Map::new();
        for e in kv
            .get("values")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(k) = e.get("key").and_then(Value::as_str) {
                m.insert(
                    k.to_string(),
                    e.get("value")
                        .map(|x| convert_any_value(x, false))
                        .unwrap_or(Value::Null),
                );
            }
        }
        return Value::Object(m);
    }
    if o.is_empty() {
        return Value::Null;
    }
    v.clone()
}

/// Span and trace ids for display: MLflow 3 writes base64 (`kk4ASkcSojo=`), MLflow's UI and the
/// assessments use lowercase hex (`924e004a4712a23a`); `0x` prefixes (MLflow 2) are dropped.
pub fn id_to_hex(id: &str) -> String {
    let id = id.trim();
    let stripped = id.strip_prefix("0x").unwrap_or(id);
    let is_hex = !stripped.is_empty() && stripped.bytes().all(|b| b.is_ascii_hexdigit());
    if is_hex && (stripped.len() == 16 || stripped.len() == 32 || id.starts_with("0x")) {
        return stripped.to_ascii_lowercase();
    }
    match base64::engine::general_purpose::STANDARD.decode(id) {
        Ok(bytes) if bytes.len() == 8 || bytes.len() == 16 => {
            bytes.iter().map(|b| format!("{b:02x}")).collect()
        }
        _ => id.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn mlflow_json_in_string() {
        let d = decode_raw(r#""\"AGENT\"""#, AttrEncoding::JsonInString);
        assert_eq!(d.value, json!("AGENT"));
        let d = decode_raw(r#""{\"a\": [1, 2]}""#, AttrEncoding::JsonInString);
        assert_eq!(d.value, json!({"a": [1, 2]}));
        // plain text from another tool
        let d = decode_raw(r#""hello world""#, AttrEncoding::JsonInString);
        assert_eq!(d.value, json!("hello world"));
        assert_eq!(d.fidelity, Fidelity::Exact);
    }

    #[test]
    fn nan_and_infinity_are_read_and_marked() {
        let d = decode_raw(
            r#""{\"x\": NaN, \"y\": -Infinity, \"s\": \"NaN in text\"}""#,
            AttrEncoding::JsonInString,
        );
        assert_eq!(
            d.value,
            json!({"x": "NaN", "y": "-Infinity", "s": "NaN in text"})
        );
        assert_eq!(d.fidelity, Fidelity::NonStandardLiterals);
        assert_eq!(quote_nonstandard_literals("[1, 2]"), None);
    }

    #[test]
    fn too_deep_json_is_kept_as_text() {
        let deep = "[".repeat(1000) + &"]".repeat(1000);
        let d = parse_lenient(&deep);
        assert_eq!(d.fidelity, Fidelity::RawText);
    }

    #[test]
    fn otlp_any_values() {
        let v = json!({"kvlist_value": {"values": [
            {"key": "x", "value": {"int_value": 1}},
            {"key": "y", "value": {"arrayValue": {"values": [{"stringValue": "a"}, {"boolValue": true}]}}},
            {"key": "z", "value": {"intValue": "9007199254740993"}}
        ]}});
        assert_eq!(
            any_value_to_json(&v),
            json!({"x": 1, "y": ["a", true], "z": 9007199254740993i64})
        );
        assert_eq!(
            any_value_to_json(&json!({"string_value": "{\"k\": 1}"})),
            json!({"k": 1})
        );
    }

    #[test]
    fn ids_to_hex() {
        assert_eq!(id_to_hex("kk4ASkcSojo="), "924e004a4712a23a");
        assert_eq!(id_to_hex("0x924E004A4712A23A"), "924e004a4712a23a");
        assert_eq!(id_to_hex("924e004a4712a23a"), "924e004a4712a23a");
        assert_eq!(id_to_hex("not an id"), "not an id");
    }
}
