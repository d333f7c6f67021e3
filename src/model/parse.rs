//! Bytes → traces: format detection and conversion of every supported shape into [`Trace`]s.
//!
//! Supported (auto-detected):
//! - MLflow 3 `Trace.to_json()` — `{"info": {trace_id, …}, "data": {"spans": [...]}}`;
//! - MLflow 2 trace JSON — `info.request_id`, spans with `context`/`parent_id`;
//! - a JSON array of traces, `{"traces": [...]}` (also search responses: infos without spans);
//! - MLflow REST `traces/get` — `{"trace": {"trace_info", "spans"}}` with OTLP-proto spans;
//! - `{"spans": [...]}` (the `get-trace-artifact` body) and `search_traces` DataFrame records;
//! - OTLP JSON `ExportTraceServiceRequest` (`resourceSpans` → `scopeSpans` → `spans`);
//! - newline-delimited JSON (one of the above per line).
//!
//! Anything else gets a [`LoadError`] that says what was recognised.

use super::attrs::{id_to_hex, quote_nonstandard_literals};
use super::error::{LoadError, Problem, ProblemKind};
use super::raw::{AttrEncoding, JsonStr, Nanos, RawInfo, RawSpan, StatusField};
use super::text::{Source, Strings};
use super::time::parse_iso8601_ms;
use super::trace::{flags, Attr, Event, Span, SpanType, StatusCode, Trace, TraceInfo, TraceState};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::sync::Arc;

/// What a file turned out to contain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Mlflow3,
    Mlflow2,
    MlflowRest,
    SpansOnly,
    Otlp,
    TraceList,
    SearchResults,
    Ndjson,
}

impl Format {
    pub fn label(self) -> &'static str {
        match self {
            Format::Mlflow3 => "MLflow 3 trace JSON",
            Format::Mlflow2 => "MLflow 2 trace JSON",
            Format::MlflowRest => "MLflow REST trace response",
            Format::SpansOnly => "MLflow span data",
            Format::Otlp => "OTLP JSON",
            Format::TraceList => "list of traces",
            Format::SearchResults => "trace search results",
            Format::Ndjson => "newline-delimited JSON",
        }
    }
}

/// A parsed document: one or more traces.
#[derive(Clone, Debug)]
pub struct Document {
    pub format: Format,
    pub traces: Vec<Trace>,
    /// Problems that concern the whole file (encoding, non-standard JSON).
    pub problems: Vec<Problem>,
}

impl Document {
    pub fn span_count(&self) -> usize {
        self.traces.iter().map(Trace::len).sum()
    }
}

/// Largest input accepted, as read and after gzip decompression. Measured: a 498 MB file of 1M spans
/// takes 1.38 GB of wasm memory, and wasm32 memory ends at 4 GiB, so 768 MiB leaves room to spare; a
/// bigger file would crash the tab part-way instead of saying why.
pub const MAX_INPUT_BYTES: u64 = 768 << 20;

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Refuses an input whose whole size, `bytes`, is above [`MAX_INPUT_BYTES`] (a file's size, a
/// declared Content-Length).
pub fn check_input_size(what: &str, bytes: u64) -> Result<(), LoadError> {
    check_size(what, bytes, false)
}

/// Refuses a stream once the `bytes` read so far pass [`MAX_INPUT_BYTES`].
pub fn check_streamed_size(what: &str, bytes: u64) -> Result<(), LoadError> {
    check_size(what, bytes, true)
}

fn check_size(what: &str, bytes: u64, partial: bool) -> Result<(), LoadError> {
    if bytes > MAX_INPUT_BYTES {
        return Err(LoadError::TooLarge {
            what: what.to_string(),
            bytes,
            limit: MAX_INPUT_BYTES,
            partial,
        });
    }
    Ok(())
}

/// Decompresses gzip, stopping as soon as the output passes `limit` (a decompression-bomb guard).
pub fn gunzip_capped(bytes: &[u8], limit: u64) -> Result<Vec<u8>, LoadError> {
    use std::io::Read;
    let mut out = Vec::new();
    let mut reader = flate2::read::MultiGzDecoder::new(bytes).take(limit + 1);
    reader
        .read_to_end(&mut out)
        .map_err(|e| LoadError::Unrecognized {
            seen: format!("a gzip file that could not be decompressed ({e})"),
        })?;
    if out.len() as u64 > limit {
        return Err(LoadError::TooLarge {
            what: "the decompressed gzip file".into(),
            bytes: out.len() as u64,
            limit,
            partial: true,
        });
    }
    Ok(out)
}

/// Parses raw bytes: gzip is decompressed, invalid UTF-8 is repaired (and reported), a BOM is skipped.
pub fn parse_bytes(bytes: &[u8]) -> Result<Document, LoadError> {
    if bytes.starts_with(&GZIP_MAGIC) {
        let out = gunzip_capped(bytes, MAX_INPUT_BYTES)?;
        // One layer only: nested gzip would recurse once per layer (a stack-overflow input).
        if out.starts_with(&GZIP_MAGIC) {
            return Err(LoadError::Unrecognized {
                seen: "a gzip file that contains another gzip file; decompress it once first"
                    .into(),
            });
        }
        return parse_owned(out);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => parse_str(s),
        Err(_) => {
            let text = String::from_utf8_lossy(bytes);
            let mut doc = parse_str(&text)?;
            doc.problems.push(Problem {
                span: None,
                kind: ProblemKind::InvalidUtf8,
                detail: "the file is not valid UTF-8; broken bytes are shown as \u{FFFD}".into(),
            });
            Ok(doc)
        }
    }
}

/// Parses text. The document's traces share one copy of it.
pub fn parse_str(text: &str) -> Result<Document, LoadError> {
    parse_string(text.to_string())
}

/// Parses owned bytes without copying them (the big-file path: a 500 MB download is not duplicated).
pub fn parse_owned(bytes: Vec<u8>) -> Result<Document, LoadError> {
    if bytes.starts_with(&[0x1f, 0x8b]) {
        return parse_bytes(&bytes);
    }
    match String::from_utf8(bytes) {
        Ok(s) => parse_string(s),
        Err(e) => parse_bytes(e.as_bytes()),
    }
}

fn parse_string(mut text: String) -> Result<Document, LoadError> {
    if text.starts_with('\u{FEFF}') {
        text.drain(..'\u{FEFF}'.len_utf8());
    }
    if text.trim().is_empty() {
        return Err(LoadError::Empty);
    }
    let source: Source = Arc::new(text);
    match parse_source(&source) {
        Ok(doc) => Ok(doc),
        Err(first) => {
            // Python's json.dumps writes NaN/Infinity; read them as strings rather than refuse the file.
            if let Some(fixed) = quote_nonstandard_literals(&source) {
                let fixed: Source = Arc::new(fixed);
                if let Ok(mut doc) = parse_source(&fixed) {
                    doc.problems.push(Problem {
                        span: None,
                        kind: ProblemKind::NonStandardJson,
                        detail: "the file contains NaN or Infinity, which JSON does not allow; they are shown as text"
                            .into(),
                    });
                    return Ok(doc);
                }
            }
            Err(first)
        }
    }
}

fn parse_source(source: &Source) -> Result<Document, LoadError> {
    // No separate validation pass: the shape parse below reads the document once; a "trailing
    // characters" error there means more than one top-level value, i.e. NDJSON.
    let text: &str = source;
    match parse_text(source, text) {
        Err(LoadError::Syntax {
            message,
            line,
            column,
        }) if message.starts_with("trailing characters") => {
            parse_ndjson(source).ok_or(LoadError::Syntax {
                message,
                line,
                column,
            })
        }
        other => other,
    }
}

fn parse_ndjson(source: &Source) -> Option<Document> {
    let mut traces = Vec::new();
    let mut problems = Vec::new();
    for (n, line) in source.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match parse_text(source, line) {
            Ok(doc) => {
                traces.extend(doc.traces);
                problems.extend(doc.problems);
            }
            Err(e) => problems.push(Problem {
                span: None,
                kind: ProblemKind::BadField,
                detail: format!("line {}: {e}", n + 1),
            }),
        }
    }
    if traces.is_empty() {
        return None;
    }
    Some(Document {
        format: Format::Ndjson,
        traces,
        problems,
    })
}

/// Keys that tell shapes apart at the top of an object.
#[derive(Default, Deserialize)]
#[serde(default)]
struct Top<'a> {
    #[serde(borrow)]
    info: Option<&'a RawValue>,
    #[serde(borrow)]
    data: Option<Data<'a>>,
    #[serde(borrow)]
    spans: Option<&'a RawValue>,
    #[serde(borrow)]
    traces: Option<&'a RawValue>,
    #[serde(borrow)]
    trace: Option<&'a RawValue>,
    #[serde(borrow)]
    trace_info: Option<&'a RawValue>,
    #[serde(borrow, alias = "resource_spans")]
    #[serde(rename = "resourceSpans")]
    resource_spans: Option<&'a RawValue>,
    #[serde(borrow)]
    trace_id: Option<&'a RawValue>,
    #[serde(borrow)]
    request_id: Option<&'a RawValue>,
    #[serde(borrow)]
    experiments: Option<&'a RawValue>,
    #[serde(borrow)]
    experiment: Option<&'a RawValue>,
    #[serde(borrow)]
    experiment_id: Option<&'a RawValue>,
    #[serde(borrow)]
    runs: Option<&'a RawValue>,
    #[serde(borrow)]
    run: Option<&'a RawValue>,
    #[serde(borrow)]
    registered_models: Option<&'a RawValue>,
    #[serde(borrow)]
    error_code: JsonStr<'a>,
    #[serde(borrow)]
    message: JsonStr<'a>,
}

/// `data` of a trace document, read in the same pass as the top level. A `data` that is not an object
/// reads as empty (and the trace then has no spans) instead of failing the document.
#[derive(Default)]
struct Data<'a> {
    spans: Option<&'a RawValue>,
    has_run_fields: bool,
}

impl<'de: 'a, 'a> Deserialize<'de> for Data<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::{IgnoredAny, MapAccess, SeqAccess, Visitor};
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Data<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("the data object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Data<'de>, A::Error> {
                let mut out = Data::default();
                while let Some(k) = m.next_key::<JsonStr<'de>>()? {
                    match k.as_str() {
                        Some("spans") => out.spans = Some(m.next_value()?),
                        Some("metrics" | "params") => {
                            m.next_value::<IgnoredAny>()?;
                            out.has_run_fields = true;
                        }
                        _ => {
                            m.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(out)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Data<'de>, A::Error> {
                while s.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Data::default())
            }
            fn visit_str<E>(self, _: &str) -> Result<Data<'de>, E> {
                Ok(Data::default())
            }
            fn visit_u64<E>(self, _: u64) -> Result<Data<'de>, E> {
                Ok(Data::default())
            }
            fn visit_i64<E>(self, _: i64) -> Result<Data<'de>, E> {
                Ok(Data::default())
            }
            fn visit_f64<E>(self, _: f64) -> Result<Data<'de>, E> {
                Ok(Data::default())
            }
            fn visit_bool<E>(self, _: bool) -> Result<Data<'de>, E> {
                Ok(Data::default())
            }
            fn visit_unit<E>(self) -> Result<Data<'de>, E> {
                Ok(Data::default())
            }
        }
        d.deserialize_any(V)
    }
}

fn parse_value(source: &Source, raw: &RawValue) -> Result<Document, LoadError> {
    parse_text(source, raw.get())
}

/// Detects the shape of one JSON value (the whole document, a list item, an NDJSON line) and reads it.
fn parse_text<'a>(source: &Source, text: &'a str) -> Result<Document, LoadError> {
    let t = text.trim_start();
    if t.starts_with('[') {
        let items: Vec<&'a RawValue> =
            serde_json::from_str(text).map_err(|e| LoadError::from_json(&e))?;
        return parse_list(source, &items, Format::TraceList);
    }
    if !t.starts_with('{') {
        // Not an object or a list: report broken JSON as such, valid JSON as the wrong kind of value.
        if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(text) {
            return Err(LoadError::from_json(&e));
        }
        let what = if t.starts_with('"') {
            "a JSON string"
        } else {
            "a single JSON value"
        };
        return Err(LoadError::Unrecognized {
            seen: format!("{what}, not an object or a list"),
        });
    }
    let top: Top<'a> = serde_json::from_str(text).map_err(|e| LoadError::from_json(&e))?;

    if let Some(msg) = top
        .message
        .as_str()
        .filter(|_| top.error_code.as_str().is_some())
    {
        return Err(LoadError::Server {
            code: top.error_code.as_str().unwrap_or("").into(),
            message: msg.into(),
        });
    }
    if let (Some(info), Some(data)) = (top.info, top.data.as_ref()) {
        let raw_info: RawInfo = serde_json::from_str(info.get()).unwrap_or_default();
        // A run has `info.run_id` itself. Not a text search for `"run_id"`: that also matched a trace
        // with a tag or metadata key `run_id`, which then failed to load (found by fuzzing).
        if data.has_run_fields || raw_info.run_id.as_str().is_some() {
            return Err(not_a_trace("an MLflow run"));
        }
        let (trace, v2) = build_trace(source, raw_info, data.spans)?;
        return Ok(single(
            trace,
            if v2 { Format::Mlflow2 } else { Format::Mlflow3 },
        ));
    }
    if let Some(trace) = top.trace {
        // `{"trace": "<json>"}`: a search_traces DataFrame record holds the trace as a string.
        if let Ok(inner) = serde_json::from_str::<String>(trace.get()) {
            return parse_str(&inner);
        }
        #[derive(Default, Deserialize)]
        #[serde(default)]
        struct RestTrace<'a> {
            #[serde(borrow)]
            trace_info: Option<&'a RawValue>,
            #[serde(borrow)]
            spans: Option<&'a RawValue>,
        }
        let rest: RestTrace = serde_json::from_str(trace.get()).unwrap_or_default();
        if let Some(info) = rest.trace_info {
            let raw_info: RawInfo = serde_json::from_str(info.get()).unwrap_or_default();
            let (trace, _) = build_trace(source, raw_info, rest.spans)?;
            return Ok(single(trace, Format::MlflowRest));
        }
        return parse_value(source, trace);
    }
    if let Some(info) = top.trace_info {
        let raw_info: RawInfo = serde_json::from_str(info.get()).unwrap_or_default();
        let (trace, _) = build_trace(source, raw_info, top.spans)?;
        return Ok(single(trace, Format::MlflowRest));
    }
    if let Some(traces) = top.traces {
        let items: Vec<&'a RawValue> =
            serde_json::from_str(traces.get()).map_err(|e| LoadError::from_json(&e))?;
        return parse_list(source, &items, Format::TraceList);
    }
    if let Some(rs) = top.resource_spans {
        return parse_otlp(source, rs);
    }
    if let Some(spans) = top.spans {
        // The span file alone (`get-trace-artifact`), or a DataFrame record with info fields beside it.
        let raw_info: RawInfo = serde_json::from_str(text).unwrap_or_default();
        let (trace, _) = build_trace(source, raw_info, Some(spans))?;
        return Ok(single(trace, Format::SpansOnly));
    }
    if top.trace_id.is_some() || top.request_id.is_some() {
        // A bare trace info (search result row): a trace without spans.
        let raw_info: RawInfo = serde_json::from_str(text).unwrap_or_default();
        let (trace, _) = build_trace(source, raw_info, None)?;
        return Ok(single(trace, Format::SearchResults));
    }
    if top.experiments.is_some() || top.experiment.is_some() || top.experiment_id.is_some() {
        return Err(not_a_trace("an MLflow experiment (or experiment list)"));
    }
    if top.runs.is_some() || top.run.is_some() || top.info.is_some() {
        return Err(not_a_trace("an MLflow run"));
    }
    if top.registered_models.is_some() {
        return Err(not_a_trace("a model registry listing"));
    }
    let keys: Vec<String> =
        serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(text)
            .map(|m| m.keys().take(6).cloned().collect())
            .unwrap_or_default();
    Err(LoadError::Unrecognized {
        seen: if keys.is_empty() {
            "an empty object".into()
        } else {
            format!("an object with keys {}", keys.join(", "))
        },
    })
}

fn not_a_trace(what: &str) -> LoadError {
    LoadError::NotATrace {
        what: what.into(),
        hint: "Export a trace with Trace.to_json(), `mlflow traces get`, or mlflow.search_traces(return_type=\"list\")."
            .into(),
    }
}

fn single(trace: Trace, format: Format) -> Document {
    Document {
        format,
        traces: vec![trace],
        problems: Vec::new(),
    }
}

fn parse_list(source: &Source, items: &[&RawValue], format: Format) -> Result<Document, LoadError> {
    let mut traces = Vec::new();
    let mut problems = Vec::new();
    let mut first_err = None;
    let mut all_infos = !items.is_empty();
    for (i, item) in items.iter().enumerate() {
        match parse_value(source, item) {
            Ok(doc) => {
                all_infos &= doc.format == Format::SearchResults;
                traces.extend(doc.traces);
                problems.extend(doc.problems);
            }
            Err(e) => {
                problems.push(Problem {
                    span: None,
                    kind: ProblemKind::BadField,
                    detail: format!("item {}: {e}", i + 1),
                });
                first_err.get_or_insert(e);
            }
        }
    }
    if traces.is_empty() {
        return Err(match first_err {
            Some(e) => e,
            None => LoadError::Unrecognized {
                seen: "an empty list".into(),
            },
        });
    }
    let format = if all_infos {
        Format::SearchResults
    } else {
        format
    };
    Ok(Document {
        format,
        traces,
        problems,
    })
}

/// OTLP JSON: `resourceSpans[].scopeSpans[].spans[]`, grouped into one trace per trace id.
fn parse_otlp(source: &Source, rs: &RawValue) -> Result<Document, LoadError> {
    #[derive(Default, Deserialize)]
    #[serde(default)]
    struct Resource<'a> {
        #[serde(borrow, alias = "scope_spans", alias = "instrumentationLibrarySpans")]
        #[serde(rename = "scopeSpans")]
        scope_spans: Vec<Scope<'a>>,
    }
    #[derive(Default, Deserialize)]
    #[serde(default)]
    struct Scope<'a> {
        #[serde(borrow)]
        spans: Vec<&'a RawValue>,
    }
    let resources: Vec<Resource> =
        serde_json::from_str(rs.get()).map_err(|e| LoadError::from_json(&e))?;
    let mut groups: Vec<(String, Vec<&RawValue>)> = Vec::new();
    for r in &resources {
        for s in &r.scope_spans {
            for span in &s.spans {
                #[derive(Default, Deserialize)]
                #[serde(default)]
                struct Tid<'a> {
                    #[serde(borrow, alias = "trace_id")]
                    #[serde(rename = "traceId")]
                    trace_id: JsonStr<'a>,
                }
                let tid: Tid = serde_json::from_str(span.get()).unwrap_or_default();
                let tid = tid.trace_id.as_str().unwrap_or("").to_string();
                match groups.iter_mut().find(|(t, _)| *t == tid) {
                    Some((_, v)) => v.push(span),
                    None => groups.push((tid, vec![span])),
                }
            }
        }
    }
    if groups.is_empty() {
        return Err(LoadError::Unrecognized {
            seen: "OTLP JSON with no spans".into(),
        });
    }
    let mut traces = Vec::new();
    for (tid, spans) in groups {
        let raw_spans: Vec<RawSpan> = spans
            .iter()
            .map(|s| serde_json::from_str(s.get()).unwrap_or_default())
            .collect();
        let info = TraceInfo {
            trace_id: format!("tr-{}", id_to_hex(&tid)),
            ..Default::default()
        };
        traces.push(assemble(source, info, raw_spans, Vec::new()));
    }
    Ok(Document {
        format: Format::Otlp,
        traces,
        problems: Vec::new(),
    })
}

/// Builds one trace from its info and its (optional) spans array. Returns whether it was MLflow 2.
fn build_trace(
    source: &Source,
    raw: RawInfo,
    spans: Option<&RawValue>,
) -> Result<(Trace, bool), LoadError> {
    let builder = match spans {
        None => SpanBuilder::new(source, Vec::new(), 0),
        Some(list) => {
            // Fast path: each span goes into the arena as soon as it is read.
            let mut b = SpanBuilder::new(source, Vec::new(), 0);
            let mut de = serde_json::Deserializer::from_str(list.get());
            let streamed = {
                use serde::de::DeserializeSeed;
                SpanSink(&mut b)
                    .deserialize(&mut de)
                    .and_then(|()| de.end())
            };
            match streamed {
                Ok(()) => b,
                Err(_) => {
                    drop(b);
                    let mut problems = Vec::new();
                    let raw_spans: Vec<RawSpan> = {
                        // One malformed span must not lose the others: read them one by one.
                        let items: Vec<&RawValue> = match serde_json::from_str(list.get()) {
                            Ok(items) => items,
                            Err(e) if list.get().trim_start().starts_with('[') => {
                                return Err(LoadError::from_json(&e))
                            }
                            Err(_) => {
                                problems.push(Problem {
                                    span: None,
                                    kind: ProblemKind::BadField,
                                    detail: "`spans` is not a list; no spans could be read".into(),
                                });
                                Vec::new()
                            }
                        };
                        items
                            .iter()
                            .enumerate()
                            .map(|(i, s)| {
                                serde_json::from_str::<RawSpan>(s.get()).unwrap_or_else(|e| {
                                    problems.push(Problem {
                                        span: None,
                                        kind: ProblemKind::BadField,
                                        detail: format!(
                                            "span #{} could not be read ({e}); it is shown empty",
                                            i + 1
                                        ),
                                    });
                                    RawSpan::default()
                                })
                            })
                            .collect()
                    };
                    let mut b = SpanBuilder::new(source, problems, raw_spans.len());
                    for rs in raw_spans {
                        b.push(rs);
                    }
                    b
                }
            }
        }
    };
    let v2 = raw.request_id.as_str().is_some() && raw.trace_id.as_str().is_none()
        || builder.first_has_context == Some(true);
    let info = convert_info(&raw);
    let mut trace = builder.finish(info);
    if trace.info.trace_id.is_empty() {
        trace.info.trace_id = "(no trace id)".into();
    }
    Ok((trace, v2))
}

/// Reads one trace info (MLflow 3 REST/`to_dict` or MLflow 2), e.g. a row of a search response.
pub fn trace_info_from_json(json: &str) -> Result<TraceInfo, LoadError> {
    let raw: RawInfo = serde_json::from_str(json).map_err(|e| LoadError::from_json(&e))?;
    Ok(convert_info(&raw))
}

fn convert_info(raw: &RawInfo) -> TraceInfo {
    let owned = |j: &JsonStr| j.as_str().filter(|s| !s.is_empty()).map(str::to_string);
    let experiment_id = owned(&raw.experiment_id).or_else(|| {
        let loc: serde_json::Value = serde_json::from_str(raw.trace_location?.get()).ok()?;
        loc.pointer("/mlflow_experiment/experiment_id")
            .and_then(|v| v.as_str())
            .map(str::to_string)
    });
    let request_time_ms = raw
        .request_time
        .as_str()
        .and_then(parse_iso8601_ms)
        .or_else(|| raw.timestamp_ms.value());
    let execution_ms = raw
        .execution_duration_ms
        .value()
        .or(raw.execution_time_ms.value())
        .or_else(|| {
            // protobuf Duration: "0.115s"
            let s = raw.execution_duration.as_str()?.trim().strip_suffix('s')?;
            s.parse::<f64>()
                .ok()
                .filter(|v| v.is_finite() && *v >= 0.0)
                .map(|v| (v * 1000.0).round() as u64)
        });
    let state_text = raw.state.as_str().or(raw.status.as_str()).unwrap_or("");
    let assessments_json = raw
        .assessments
        .map(|a| a.get().to_string())
        .filter(|a| a.trim() != "[]" && a.trim() != "null");
    TraceInfo {
        trace_id: owned(&raw.trace_id)
            .or_else(|| owned(&raw.request_id))
            .unwrap_or_default(),
        client_request_id: owned(&raw.client_request_id),
        experiment_id,
        request_time_ms,
        execution_ms,
        state: TraceState::parse(state_text),
        metadata: raw.trace_metadata.0.clone(),
        tags: raw.tags.0.clone(),
        request_preview: owned(&raw.request_preview),
        response_preview: owned(&raw.response_preview),
        assessments_json,
    }
}

/// Converts raw spans into the arena and builds the trace.
/// Turns raw spans into the arena one at a time, so the list of raw spans never exists whole (a
/// million-span file would hold hundreds of MB of them next to the arena).
struct SpanBuilder {
    strings: Strings,
    spans: Vec<Span>,
    attrs: Vec<Attr>,
    events: Vec<Event>,
    problems: Vec<Problem>,
    first_trace_id: Option<String>,
    /// Whether the first span has an MLflow 2 `context` object.
    first_has_context: Option<bool>,
}

impl SpanBuilder {
    fn new(source: &Source, problems: Vec<Problem>, capacity: usize) -> SpanBuilder {
        SpanBuilder {
            strings: Strings::new(source.clone()),
            spans: Vec::with_capacity(capacity),
            attrs: Vec::new(),
            events: Vec::new(),
            problems,
            first_trace_id: None,
            first_has_context: None,
        }
    }

    fn push(&mut self, rs: RawSpan) {
        let i = self.spans.len();
        if self.first_has_context.is_none() {
            self.first_has_context = Some(rs.context.is_some());
        }
        let idx = Some(i as u32);
        let bad = |what: &str, problems: &mut Vec<Problem>| {
            problems.push(Problem {
                span: idx,
                kind: ProblemKind::BadField,
                detail: what.to_string(),
            });
        };
        let ctx = rs.context.as_ref();
        let id = rs
            .span_id
            .as_str()
            .or_else(|| ctx.and_then(|c| c.span_id.as_str()))
            .unwrap_or("");
        let parent_id = rs
            .parent_span_id
            .as_str()
            .or_else(|| rs.parent_id.as_str())
            .unwrap_or("");
        if self.first_trace_id.is_none() {
            self.first_trace_id = rs
                .trace_id
                .as_str()
                .or_else(|| ctx.and_then(|c| c.trace_id.as_str()))
                .map(str::to_string);
        }
        let name = match &rs.name {
            JsonStr::Str(s) => self.strings.intern(s),
            JsonStr::WrongType => {
                bad("the span name is not text", &mut self.problems);
                self.strings.push_side("(invalid name)")
            }
            _ => self.strings.push_side("(unnamed span)"),
        };
        let mut span_flags = 0u8;
        let start_ns = match rs.start_time_unix_nano {
            Nanos::Value(v) => v,
            Nanos::Invalid => {
                bad(
                    "the start time is not a valid timestamp",
                    &mut self.problems,
                );
                span_flags |= flags::BAD_FIELD;
                0
            }
            _ => 0,
        };
        let end_ns = match rs.end_time_unix_nano {
            Nanos::Value(v) => Some(v),
            Nanos::Invalid => {
                bad("the end time is not a valid timestamp", &mut self.problems);
                span_flags |= flags::BAD_FIELD;
                None
            }
            _ => None,
        };
        let (code, message) = match &rs.status {
            StatusField::Object(o) => (
                o.code.as_str().or(o.status_code.as_str()).unwrap_or(""),
                o.message.as_str().or(o.description.as_str()).unwrap_or(""),
            ),
            StatusField::Text(t) => (t.as_str().unwrap_or(""), ""),
            StatusField::Absent => (
                rs.status_code.as_str().unwrap_or(""),
                rs.status_message.as_str().unwrap_or(""),
            ),
        };
        let status = StatusCode::parse(code);
        let status_message = self.strings.intern(message);

        // Attributes: MLflow map values are JSON inside strings; OTLP lists hold AnyValues.
        let attr_start = self.attrs.len() as u32;
        let enc = if rs.attributes.otlp_list {
            AttrEncoding::AnyValue
        } else {
            AttrEncoding::JsonInString
        };
        if rs.attributes.wrong_type {
            bad(
                "some attributes could not be read (wrong type)",
                &mut self.problems,
            );
        }
        for (k, v) in &rs.attributes.entries {
            let key = match k.as_str() {
                Some(k) => self.strings.intern(k),
                None => continue,
            };
            self.attrs.push(Attr {
                key,
                raw: self.strings.intern(v.get()),
                encoding: enc,
            });
        }
        for (key, value) in [
            ("mlflow.spanType", rs.span_type),
            ("mlflow.spanInputs", rs.inputs),
            ("mlflow.spanOutputs", rs.outputs),
        ] {
            if let Some(v) = value {
                if !self.attrs[attr_start as usize..]
                    .iter()
                    .any(|a| self.strings.get(a.key) == key)
                {
                    let key = self.strings.push_side(key);
                    self.attrs.push(Attr {
                        key,
                        raw: self.strings.intern(v.get()),
                        encoding: AttrEncoding::Plain,
                    });
                }
            }
        }
        let attr_end = self.attrs.len() as u32;

        let event_start = self.events.len() as u32;
        for ev in rs.events.unwrap_or_default() {
            let a0 = self.attrs.len() as u32;
            let enc = if ev.attributes.otlp_list {
                AttrEncoding::AnyValue
            } else {
                AttrEncoding::Plain
            };
            for (k, v) in &ev.attributes.entries {
                if let Some(k) = k.as_str() {
                    let key = self.strings.intern(k);
                    self.attrs.push(Attr {
                        key,
                        raw: self.strings.intern(v.get()),
                        encoding: enc,
                    });
                }
            }
            let name = self.strings.intern(ev.name.as_str().unwrap_or("event"));
            self.events.push(Event {
                name,
                time_ns: ev.time_unix_nano.value(),
                attrs: a0..self.attrs.len() as u32,
            });
        }

        let span_type = span_type_of(
            &self.strings,
            &self.attrs[attr_start as usize..attr_end as usize],
        );
        self.spans.push(Span {
            id: self.strings.intern(id),
            parent_id: self.strings.intern(parent_id),
            name,
            start_ns,
            end_ns,
            status,
            status_message,
            span_type,
            attrs: attr_start..attr_end,
            events: event_start..self.events.len() as u32,
            flags: span_flags,
            parent: None,
            depth: 0,
            order: 0,
            subtree: 1,
            self_ns: 0,
        });
    }

    fn finish(mut self, mut info: TraceInfo) -> Trace {
        // Growth by doubling left up to half of each list unused; give it back (the arena lives long).
        self.spans.shrink_to_fit();
        self.attrs.shrink_to_fit();
        self.events.shrink_to_fit();
        if info.trace_id.is_empty() {
            if let Some(t) = self.first_trace_id.filter(|t| !t.is_empty()) {
                let hex = id_to_hex(&t);
                info.trace_id = if hex.starts_with("tr-") {
                    hex
                } else {
                    format!("tr-{hex}")
                };
            }
        }
        Trace::build(
            info,
            self.strings,
            self.spans,
            self.attrs,
            self.events,
            self.problems,
        )
    }
}

fn assemble(
    source: &Source,
    info: TraceInfo,
    raw_spans: Vec<RawSpan>,
    problems: Vec<Problem>,
) -> Trace {
    let mut b = SpanBuilder::new(source, problems, raw_spans.len());
    for rs in raw_spans {
        b.push(rs);
    }
    b.finish(info)
}

/// Feeds each span of a JSON list to a [`SpanBuilder`] as soon as it is read.
struct SpanSink<'b>(&'b mut SpanBuilder);

impl<'de> serde::de::DeserializeSeed<'de> for SpanSink<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> serde::de::Visitor<'de> for SpanSink<'_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a list of spans")
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(rs) = seq.next_element::<RawSpan<'de>>()? {
            self.0.push(rs);
        }
        Ok(())
    }
}

/// The span type from `mlflow.spanType`, or from OpenInference / GenAI conventions for OTLP spans.
fn span_type_of(strings: &Strings, attrs: &[Attr]) -> SpanType {
    let find = |key: &str| attrs.iter().find(|a| strings.get(a.key) == key);
    if let Some(a) = find("mlflow.spanType") {
        let d = super::attrs::decode_raw(strings.get(a.raw), a.encoding);
        if let Some(s) = d.value.as_str() {
            return SpanType::parse(s);
        }
    }
    if let Some(a) = find("openinference.span.kind") {
        let d = super::attrs::decode_raw(strings.get(a.raw), a.encoding);
        if let Some(s) = d.value.as_str() {
            return SpanType::parse(s);
        }
    }
    if let Some(a) = find("gen_ai.operation.name") {
        let d = super::attrs::decode_raw(strings.get(a.raw), a.encoding);
        return match d.value.as_str() {
            Some("chat") => SpanType::ChatModel,
            Some("text_completion") | Some("generate_content") => SpanType::Llm,
            Some("embeddings") => SpanType::Embedding,
            Some("execute_tool") => SpanType::Tool,
            Some("invoke_agent") | Some("create_agent") => SpanType::Agent,
            _ => SpanType::Unknown,
        };
    }
    SpanType::Unknown
}
