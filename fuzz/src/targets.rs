//! The body of every fuzz target. Each takes the fuzzer's bytes and panics only on a bug: a panic in
//! trace-view itself, or a violated invariant (see `checks`).
//!
//! Shared by `fuzz_targets/*.rs` and `tests/fuzz_regressions.rs` (included there with `#[path]`).

use crate::{checks, gen};
use arbitrary::Unstructured;
use trace_view::api;
use trace_view::model::attrs::{
    any_value_to_json, decode_raw, id_to_hex, parse_lenient, quote_nonstandard_literals, Fidelity,
};
use trace_view::model::derive::TokenUsage;
use trace_view::model::parse::trace_info_from_json;
use trace_view::model::raw::AttrEncoding;
use trace_view::model::time::{format_iso_ms, format_utc_ms, parse_iso8601_ms};
use trace_view::model::{
    format, parse_bytes, parse_owned, parse_str, sessions, Document, LoadError, SpanType,
    StatusCode, TraceState,
};

/// Structured targets read input starting like JSON (or gzip) as a file — so real exports seed them —
/// and any other input as bytes for a generator.
fn is_raw(data: &[u8]) -> bool {
    matches!(
        data.first(),
        None | Some(b'{' | b'[' | b' ' | b'\t' | b'\n' | b'\r' | 0x1f | 0xEF)
    )
}

fn summary(r: &Result<Document, LoadError>) -> Result<(usize, usize), String> {
    match r {
        Ok(d) => Ok((d.traces.len(), d.span_count())),
        Err(e) => Err(e.to_string()),
    }
}

/// `parse_any`: `parse_bytes` on anything (gzip, NDJSON, every JSON shape); `parse_owned` agrees.
pub fn parse_any(data: &[u8]) {
    let r = parse_bytes(data);
    checks::outcome(&r);
    let owned = parse_owned(data.to_vec());
    assert_eq!(
        summary(&r),
        summary(&owned),
        "parse_bytes and parse_owned disagree"
    );
}

/// `parse_mlflow_json`: MLflow 3/2 traces and their wrappers (lists, `{"traces"}`, DataFrame records,
/// REST `traces/get`), raw or generated; parsed documents survive export → re-parse.
pub fn parse_mlflow_json(data: &[u8]) {
    let text = if is_raw(data) {
        String::from_utf8_lossy(data).into_owned()
    } else {
        match gen::mlflow_document(&mut Unstructured::new(data)) {
            Ok(t) => t,
            Err(_) => return,
        }
    };
    whole_document(&text, None);
}

/// `parse_otlp`: OTLP JSON (`resourceSpans`, camelCase or snake_case, AnyValue attributes), raw or
/// generated; parsed documents survive export → re-parse.
pub fn parse_otlp(data: &[u8]) {
    let text = if is_raw(data) {
        String::from_utf8_lossy(data).into_owned()
    } else {
        match gen::otlp_document(&mut Unstructured::new(data)) {
            Ok(t) => t,
            Err(_) => return,
        }
    };
    whole_document(&text, None);
}

fn whole_document(text: &str, needle: Option<&str>) {
    let r = parse_str(text);
    checks::outcome(&r);
    if let Ok(doc) = &r {
        for t in &doc.traces {
            if let Some(needle) = needle {
                checks::derived(t, needle);
            }
            checks::export_roundtrip(t);
        }
    }
}

/// A good first line: whatever follows, NDJSON reading must keep this trace.
const GOOD_LINE: &str = r#"{"spans":[{"span_id":"a","name":"first line","start_time_unix_nano":1,"end_time_unix_nano":2}]}"#;

/// `parse_ndjson`: the input alone, then after a good line (which forces the NDJSON path, because the
/// whole text is then more than one JSON value): bad lines become problems, the good line survives.
pub fn parse_ndjson(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    checks::outcome(&parse_str(&text));
    let forced = format!("{GOOD_LINE}\n{text}");
    let r = parse_str(&forced);
    checks::outcome(&r);
    match &r {
        Ok(doc) => {
            let first = &doc.traces[0];
            assert_eq!(first.name(0), "first line", "the good line was lost");
        }
        Err(e) => panic!("a good first line did not load: {e}"),
    }
}

const STATUSES: [u16; 10] = [200, 400, 401, 403, 404, 405, 429, 500, 503, 0];

/// `rest_responses`: every MLflow REST response parser, and `error_from_response` with a status
/// derived from the input.
pub fn rest_responses(data: &[u8]) {
    let body = String::from_utf8_lossy(data);
    let h = data.iter().fold(data.len(), |a, &b| {
        a.wrapping_mul(31).wrapping_add(b as usize)
    });
    let status = STATUSES[h % STATUSES.len()];
    let status = if status == 0 {
        (h % 1000) as u16
    } else {
        status
    };

    let msg = |e: &api::ApiError| assert!(!e.to_string().trim().is_empty(), "{e:?}");
    match api::parse_search_traces(&body) {
        Ok(page) => {
            let _ = sessions::summarize(&page.traces);
            if let Some(t) = &page.next_page_token {
                assert!(!t.is_empty());
            }
        }
        Err(e) => msg(&e),
    }
    match api::parse_experiments(&body) {
        Ok((_, token)) => assert!(token.is_none_or(|t| !t.is_empty())),
        Err(e) => msg(&e),
    }
    if let Err(e) = api::parse_experiment(&body) {
        msg(&e);
    }
    if let Err(e) = api::parse_trace_info(&body) {
        msg(&e);
    }
    match trace_info_from_json(&body) {
        Ok(info) => {
            let _ = sessions::summarize(&[info.clone(), info]);
        }
        Err(e) => checks::load_error(&e),
    }
    let e = api::error_from_response(status, &body, "http://127.0.0.1:5000/ajax-api/2.0/mlflow/x");
    msg(&e);
    match status {
        401 | 403 => assert!(matches!(e, api::ApiError::Auth { .. }), "{status}: {e:?}"),
        _ => assert!(!matches!(e, api::ApiError::Auth { .. }), "{status}: {e:?}"),
    }
    // A traces/get body is also read by the file parser.
    checks::outcome(&parse_str(&body));
}

/// `attributes`: the attribute decoders and the small text parsers on arbitrary text.
pub fn attributes(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    for enc in [
        AttrEncoding::Plain,
        AttrEncoding::JsonInString,
        AttrEncoding::AnyValue,
    ] {
        let d = decode_raw(&text, enc);
        let _ = TokenUsage::from_json(&d.value);
        let _ = any_value_to_json(&d.value);
    }
    let d = parse_lenient(&text);
    if d.fidelity == Fidelity::RawText {
        assert_eq!(d.value, serde_json::Value::String(text.to_string()));
    }
    let _ = TokenUsage::from_json(&d.value);
    if let Some(q) = quote_nonstandard_literals(&text) {
        // Every bare literal was quoted, so a second pass finds none.
        assert_eq!(
            quote_nonstandard_literals(&q),
            None,
            "quoting is not idempotent"
        );
    }
    let hex = id_to_hex(&text);
    assert!(
        hex == text.trim()
            || hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
        "id_to_hex gave {hex:?}"
    );
    if let Some(ms) = parse_iso8601_ms(&text) {
        // Any accepted time prints and reads back to the same instant (years up to 9999).
        if ms < 253_402_300_800_000 {
            assert_eq!(parse_iso8601_ms(&format_iso_ms(ms)), Some(ms), "{text:?}");
        }
        let _ = format_utc_ms(ms);
    }
    let _ = (StatusCode::parse(&text), TraceState::parse(&text));
    let st = SpanType::parse(&text);
    let _ = (st.label(), st.css_class());
    let shown = format::reveal_invisible(&text);
    assert!(!shown.contains('\u{202E}') && !shown.contains('\u{200B}'));
    let cut = format::truncate_chars(&text, 7);
    assert!(cut.chars().count() <= 8);
}

/// `derive_all`: parse (raw bytes, or a generated MLflow/OTLP document), then every derived fact for
/// every span (chat messages, exceptions, tokens, inputs/outputs, model), search with a needle taken
/// from the input, tree rows and timeline, and export → re-parse.
pub fn derive_all(data: &[u8]) {
    if is_raw(data) {
        let mid = data.len() / 2;
        let needle = String::from_utf8_lossy(&data[mid..(mid + data.len() % 8).min(data.len())]);
        let r = parse_bytes(data);
        checks::outcome(&r);
        if let Ok(doc) = &r {
            for t in &doc.traces {
                checks::derived(t, &needle);
                checks::export_roundtrip(t);
            }
        }
        return;
    }
    let mut u = Unstructured::new(data);
    let Ok(otlp) = u.ratio(1, 4) else { return };
    let text = if otlp {
        gen::otlp_document(&mut u)
    } else {
        gen::mlflow_document(&mut u)
    };
    let Ok(text) = text else { return };
    let needle: String = u.arbitrary().unwrap_or_default();
    whole_document(&text, Some(&needle));
}
