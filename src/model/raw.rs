//! Lenient, borrowing serde types for every JSON shape spans and trace infos arrive in.
//!
//! One set of structs covers MLflow 3 (`Span.to_dict`), MLflow's REST OTLP-proto JSON, MLflow 2
//! (`context`/`parent_id`) and standard OTLP JSON (camelCase, via serde aliases). Fields are read
//! leniently — a number where a string was expected is kept as text, a wrong type becomes "absent" and
//! is reported — so one odd field never throws away a whole trace. Strings borrow from the source when
//! they have no escapes; attribute values are kept as raw JSON text.

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::fmt;

/// A JSON value read as text: strings as-is, numbers and booleans in their JSON spelling.
#[derive(Debug, Default, Clone, PartialEq)]
pub enum JsonStr<'a> {
    #[default]
    Absent,
    Null,
    Str(Cow<'a, str>),
    /// An object or array where a scalar was expected.
    WrongType,
}

impl<'a> JsonStr<'a> {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            JsonStr::Str(s) => Some(s),
            _ => None,
        }
    }
    pub fn is_wrong_type(&self) -> bool {
        matches!(self, JsonStr::WrongType)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for JsonStr<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = JsonStr<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(JsonStr::Str(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(JsonStr::Str(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
                Ok(JsonStr::Str(Cow::Owned(v)))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
                Ok(JsonStr::Str(Cow::Owned(v.to_string())))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
                Ok(JsonStr::Str(Cow::Owned(v.to_string())))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
                Ok(JsonStr::Str(Cow::Owned(v.to_string())))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
                Ok(JsonStr::Str(Cow::Owned(v.to_string())))
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(JsonStr::Null)
            }
            fn visit_none<E>(self) -> Result<Self::Value, E> {
                Ok(JsonStr::Null)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
                while m.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(JsonStr::WrongType)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Self::Value, A::Error> {
                while s.next_element::<IgnoredAny>()?.is_some() {}
                Ok(JsonStr::WrongType)
            }
        }
        d.deserialize_any(V)
    }
}

/// A nanosecond (or millisecond, by context) timestamp: a JSON number or a decimal string (OTLP).
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub enum Nanos {
    #[default]
    Absent,
    Null,
    Value(u64),
    /// Negative, fractional beyond range, unparsable text, or a non-scalar.
    Invalid,
}

impl Nanos {
    pub fn value(self) -> Option<u64> {
        match self {
            Nanos::Value(v) => Some(v),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for Nanos {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Nanos;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a timestamp")
            }
            fn visit_u64<E>(self, v: u64) -> Result<Nanos, E> {
                Ok(Nanos::Value(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Nanos, E> {
                Ok(if v >= 0 {
                    Nanos::Value(v as u64)
                } else {
                    Nanos::Invalid
                })
            }
            fn visit_f64<E>(self, v: f64) -> Result<Nanos, E> {
                Ok(if (0.0..1.8e19).contains(&v) {
                    Nanos::Value(v as u64)
                } else {
                    Nanos::Invalid
                })
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Nanos, E> {
                let t = v.trim();
                if let Ok(n) = t.parse::<u64>() {
                    return Ok(Nanos::Value(n));
                }
                match t.parse::<f64>() {
                    Ok(f) => self.visit_f64(f),
                    Err(_) => Ok(Nanos::Invalid),
                }
            }
            fn visit_unit<E>(self) -> Result<Nanos, E> {
                Ok(Nanos::Null)
            }
            fn visit_none<E>(self) -> Result<Nanos, E> {
                Ok(Nanos::Null)
            }
            fn visit_bool<E>(self, _: bool) -> Result<Nanos, E> {
                Ok(Nanos::Invalid)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Nanos, A::Error> {
                while m.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Nanos::Invalid)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Nanos, A::Error> {
                while s.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Nanos::Invalid)
            }
        }
        d.deserialize_any(V)
    }
}

/// How an attribute's raw JSON must be decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttrEncoding {
    /// MLflow span attributes: a JSON string whose content is itself JSON (`"\"AGENT\""`).
    JsonInString,
    /// A plain JSON value (event attributes, MLflow 2 extras).
    Plain,
    /// An OTLP `AnyValue` object (`{"string_value": …}` or `{"stringValue": …}`).
    AnyValue,
}

/// Attributes as either a JSON object (MLflow) or a list of `{key, value}` (OTLP).
#[derive(Debug, Default)]
pub struct RawAttrs<'a> {
    pub entries: Vec<(JsonStr<'a>, &'a RawValue)>,
    /// True when the list form was used (values are `AnyValue`s).
    pub otlp_list: bool,
    pub wrong_type: bool,
}

impl<'de: 'a, 'a> Deserialize<'de> for RawAttrs<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawAttrs<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an attribute map or list")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::with_capacity(m.size_hint().unwrap_or(8));
                while let Some((k, v)) = m.next_entry::<JsonStr<'de>, &'de RawValue>()? {
                    entries.push((k, v));
                }
                Ok(RawAttrs {
                    entries,
                    otlp_list: false,
                    wrong_type: false,
                })
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Self::Value, A::Error> {
                #[derive(Deserialize)]
                struct KeyValue<'a> {
                    #[serde(borrow, default)]
                    key: JsonStr<'a>,
                    #[serde(borrow, default)]
                    value: Option<&'a RawValue>,
                }
                let mut entries = Vec::new();
                let mut wrong_type = false;
                while let Some(kv) = s.next_element::<MaybeKv<'de>>()? {
                    match kv {
                        MaybeKv::Kv(KeyValue {
                            key,
                            value: Some(value),
                        }) => entries.push((key, value)),
                        MaybeKv::Kv(KeyValue { key, value: None }) => {
                            entries.push((key, null_raw()))
                        }
                        MaybeKv::Other => wrong_type = true,
                    }
                }
                return Ok(RawAttrs {
                    entries,
                    otlp_list: true,
                    wrong_type,
                });

                enum MaybeKv<'a> {
                    Kv(KeyValue<'a>),
                    Other,
                }
                impl<'de: 'a, 'a> Deserialize<'de> for MaybeKv<'a> {
                    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                        let raw: &'de RawValue = Deserialize::deserialize(d)?;
                        Ok(match serde_json::from_str::<KeyValue<'de>>(raw.get()) {
                            Ok(kv) => MaybeKv::Kv(kv),
                            Err(_) => MaybeKv::Other,
                        })
                    }
                }
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(RawAttrs::default())
            }
            fn visit_none<E>(self) -> Result<Self::Value, E> {
                Ok(RawAttrs::default())
            }
            fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
                Ok(RawAttrs {
                    wrong_type: true,
                    ..Default::default()
                })
            }
            fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
                Ok(RawAttrs {
                    wrong_type: true,
                    ..Default::default()
                })
            }
            fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
                Ok(RawAttrs {
                    wrong_type: true,
                    ..Default::default()
                })
            }
            fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
                Ok(RawAttrs {
                    wrong_type: true,
                    ..Default::default()
                })
            }
            fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
                Ok(RawAttrs {
                    wrong_type: true,
                    ..Default::default()
                })
            }
        }
        d.deserialize_any(V)
    }
}

fn null_raw() -> &'static RawValue {
    // A valid literal, so this cannot fail; the fallback keeps `unwrap` out of data paths.
    static NULL: &str = "null";
    serde_json::from_str::<&RawValue>(NULL)
        .unwrap_or_else(|_| unreachable!("\"null\" is valid JSON"))
}

/// `{"code": …, "message": …}` (MLflow 3 / OTLP) or `{"status_code": …, "description": …}` (old MLflow 2).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RawStatus<'a> {
    #[serde(borrow)]
    pub code: JsonStr<'a>,
    #[serde(borrow)]
    pub message: JsonStr<'a>,
    #[serde(borrow)]
    pub status_code: JsonStr<'a>,
    #[serde(borrow)]
    pub description: JsonStr<'a>,
}

/// `status` is an object in most formats, a bare string in some hand-written files.
#[derive(Debug, Default)]
pub enum StatusField<'a> {
    #[default]
    Absent,
    Object(RawStatus<'a>),
    Text(JsonStr<'a>),
}

impl<'de: 'a, 'a> Deserialize<'de> for StatusField<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw: &'de RawValue = Deserialize::deserialize(d)?;
        let text = raw.get().trim_start();
        Ok(if text.starts_with('{') {
            StatusField::Object(serde_json::from_str(raw.get()).unwrap_or_default())
        } else {
            StatusField::Text(serde_json::from_str(raw.get()).unwrap_or(JsonStr::WrongType))
        })
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RawContext<'a> {
    #[serde(borrow)]
    pub trace_id: JsonStr<'a>,
    #[serde(borrow)]
    pub span_id: JsonStr<'a>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RawEvent<'a> {
    #[serde(borrow)]
    pub name: JsonStr<'a>,
    #[serde(alias = "timeUnixNano", alias = "timestamp")]
    pub time_unix_nano: Nanos,
    #[serde(borrow)]
    pub attributes: RawAttrs<'a>,
}

/// One span in any of the supported shapes.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RawSpan<'a> {
    #[serde(borrow, alias = "traceId")]
    pub trace_id: JsonStr<'a>,
    #[serde(borrow, alias = "spanId")]
    pub span_id: JsonStr<'a>,
    #[serde(borrow, alias = "parentSpanId")]
    pub parent_span_id: JsonStr<'a>,
    /// MLflow 2: parent id beside a `context` object.
    #[serde(borrow)]
    pub parent_id: JsonStr<'a>,
    #[serde(borrow)]
    pub context: Option<RawContext<'a>>,
    #[serde(borrow)]
    pub name: JsonStr<'a>,
    #[serde(alias = "startTimeUnixNano", alias = "start_time")]
    pub start_time_unix_nano: Nanos,
    #[serde(alias = "endTimeUnixNano", alias = "end_time")]
    pub end_time_unix_nano: Nanos,
    #[serde(borrow)]
    pub status: StatusField<'a>,
    /// MLflow 2 flat status fields.
    #[serde(borrow)]
    pub status_code: JsonStr<'a>,
    #[serde(borrow)]
    pub status_message: JsonStr<'a>,
    #[serde(borrow)]
    pub attributes: RawAttrs<'a>,
    #[serde(borrow)]
    pub events: Option<Vec<RawEvent<'a>>>,
    /// Old MLflow 2 exports carried these at top level rather than as attributes.
    #[serde(borrow)]
    pub span_type: Option<&'a RawValue>,
    #[serde(borrow)]
    pub inputs: Option<&'a RawValue>,
    #[serde(borrow)]
    pub outputs: Option<&'a RawValue>,
}

/// String-to-string maps arrive as objects (`to_dict`) or `[{key, value}]` lists (REST v2).
#[derive(Debug, Default)]
pub struct StringMap(pub Vec<(String, String)>);

impl<'de> Deserialize<'de> for StringMap {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = StringMap;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map of strings")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<StringMap, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = m.next_entry::<JsonStr<'de>, JsonStr<'de>>()? {
                    if let Some(k) = k.as_str() {
                        out.push((k.to_owned(), v.as_str().unwrap_or("").to_owned()));
                    }
                }
                Ok(StringMap(out))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<StringMap, A::Error> {
                #[derive(Deserialize, Default)]
                #[serde(default)]
                struct Kv<'a> {
                    #[serde(borrow)]
                    key: JsonStr<'a>,
                    #[serde(borrow)]
                    value: JsonStr<'a>,
                }
                let mut out = Vec::new();
                while let Some(raw) = s.next_element::<&'de RawValue>()? {
                    if let Ok(kv) = serde_json::from_str::<Kv>(raw.get()) {
                        if let Some(k) = kv.key.as_str() {
                            out.push((k.to_owned(), kv.value.as_str().unwrap_or("").to_owned()));
                        }
                    }
                }
                Ok(StringMap(out))
            }
            fn visit_unit<E>(self) -> Result<StringMap, E> {
                Ok(StringMap::default())
            }
            fn visit_none<E>(self) -> Result<StringMap, E> {
                Ok(StringMap::default())
            }
            fn visit_str<E>(self, _: &str) -> Result<StringMap, E> {
                Ok(StringMap::default())
            }
            fn visit_u64<E>(self, _: u64) -> Result<StringMap, E> {
                Ok(StringMap::default())
            }
            fn visit_i64<E>(self, _: i64) -> Result<StringMap, E> {
                Ok(StringMap::default())
            }
            fn visit_f64<E>(self, _: f64) -> Result<StringMap, E> {
                Ok(StringMap::default())
            }
            fn visit_bool<E>(self, _: bool) -> Result<StringMap, E> {
                Ok(StringMap::default())
            }
        }
        d.deserialize_any(V)
    }
}

/// Trace-level info, MLflow 3 (`trace_id`, `request_time`, `state`) and MLflow 2 (`request_id`,
/// `timestamp_ms`, `status`) alike.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RawInfo<'a> {
    #[serde(borrow)]
    pub trace_id: JsonStr<'a>,
    #[serde(borrow)]
    pub request_id: JsonStr<'a>,
    #[serde(borrow)]
    pub client_request_id: JsonStr<'a>,
    #[serde(borrow)]
    pub trace_location: Option<&'a RawValue>,
    #[serde(borrow)]
    pub experiment_id: JsonStr<'a>,
    /// ISO 8601 string (MLflow 3) or integer ms (pandas export).
    #[serde(borrow)]
    pub request_time: JsonStr<'a>,
    pub timestamp_ms: Nanos,
    pub execution_duration_ms: Nanos,
    pub execution_time_ms: Nanos,
    /// REST form: protobuf Duration string like "0.115s".
    #[serde(borrow)]
    pub execution_duration: JsonStr<'a>,
    #[serde(borrow)]
    pub state: JsonStr<'a>,
    #[serde(borrow)]
    pub status: JsonStr<'a>,
    #[serde(alias = "request_metadata")]
    pub trace_metadata: StringMap,
    pub tags: StringMap,
    #[serde(borrow)]
    pub request_preview: JsonStr<'a>,
    #[serde(borrow)]
    pub response_preview: JsonStr<'a>,
    #[serde(borrow)]
    pub assessments: Option<&'a RawValue>,
    /// Present on an MLflow *run*, never on a trace.
    #[serde(borrow)]
    pub run_id: JsonStr<'a>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lenient_scalars() {
        let s: RawSpan = serde_json::from_str(
            r#"{"span_id": 12, "name": {"x":1}, "start_time_unix_nano": "1795433138352873001",
                "end_time_unix_nano": -5, "status": "OK", "attributes": {"a": "\"b\""}}"#,
        )
        .unwrap();
        assert_eq!(s.span_id.as_str(), Some("12"));
        assert!(s.name.is_wrong_type());
        assert_eq!(
            s.start_time_unix_nano,
            Nanos::Value(1_795_433_138_352_873_001)
        );
        assert_eq!(s.end_time_unix_nano, Nanos::Invalid);
        assert!(matches!(s.status, StatusField::Text(JsonStr::Str(_))));
        assert_eq!(s.attributes.entries.len(), 1);
        assert_eq!(s.attributes.entries[0].1.get(), "\"\\\"b\\\"\"");
    }

    #[test]
    fn otlp_camel_case_and_attribute_lists() {
        let s: RawSpan = serde_json::from_str(
            r#"{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331",
                "startTimeUnixNano":"1","endTimeUnixNano":"2",
                "attributes":[{"key":"k","value":{"stringValue":"v"}}, 5]}"#,
        )
        .unwrap();
        assert_eq!(s.span_id.as_str(), Some("b7ad6b7169203331"));
        assert!(s.attributes.otlp_list);
        assert!(s.attributes.wrong_type);
        assert_eq!(s.attributes.entries.len(), 1);
    }

    #[test]
    fn string_maps_from_objects_and_lists() {
        let a: StringMap = serde_json::from_str(r#"{"a":"1","b":2}"#).unwrap();
        assert_eq!(
            a.0,
            vec![("a".into(), "1".into()), ("b".into(), "2".into())]
        );
        let b: StringMap = serde_json::from_str(r#"[{"key":"a","value":"1"}]"#).unwrap();
        assert_eq!(b.0, vec![("a".into(), "1".into())]);
    }
}
