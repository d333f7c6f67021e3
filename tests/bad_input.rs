//! Bad input gives a marked trace or a typed error with a message a person can act on — never a panic.

use trace_view::model::{parse_str, LoadError, ProblemKind, TraceState};

fn span(id: &str, parent: Option<&str>, start: u64, end: Option<u64>) -> String {
    format!(
        r#"{{"trace_id":"T","span_id":"{id}","parent_span_id":{},"name":"s-{id}","start_time_unix_nano":{start},"end_time_unix_nano":{},"status":{{"code":"STATUS_CODE_OK","message":""}},"attributes":{{}},"events":[]}}"#,
        parent.map(|p| format!("\"{p}\"")).unwrap_or("null".into()),
        end.map(|e| e.to_string()).unwrap_or("null".into()),
    )
}

fn doc(spans: &[String]) -> String {
    format!(
        r#"{{"info":{{"trace_id":"tr-1","state":"OK"}},"data":{{"spans":[{}]}}}}"#,
        spans.join(",")
    )
}

fn kinds(t: &trace_view::model::Trace) -> Vec<ProblemKind> {
    t.problems.iter().map(|p| p.kind).collect()
}

#[test]
fn malformed_json_says_where() {
    let e = parse_str("{\"info\": {\"trace_id\": \"tr-1\",}").unwrap_err();
    match &e {
        LoadError::Syntax {
            line: 1, column, ..
        } => assert!(*column > 20),
        other => panic!("{other:?}"),
    }
    let truncated = &doc(&[span("a", None, 1, Some(2))])[..60];
    let msg = parse_str(truncated).unwrap_err().to_string();
    assert!(msg.contains("cut short"), "{msg}");
    assert_eq!(parse_str("  \n").unwrap_err(), LoadError::Empty);
    assert!(parse_str("not json")
        .unwrap_err()
        .to_string()
        .starts_with("not valid JSON — line 1, column 2"));
}

#[test]
fn wrong_shapes_are_named() {
    let run = r#"{"info": {"run_id": "abc", "experiment_id": "1"}, "data": {"metrics": [], "params": []}}"#;
    assert!(parse_str(run)
        .unwrap_err()
        .to_string()
        .starts_with("this file is an MLflow run, not a trace"));
    let exps = r#"{"experiments": [{"experiment_id": "1", "name": "x"}]}"#;
    assert!(parse_str(exps)
        .unwrap_err()
        .to_string()
        .contains("MLflow experiment"));
    let err = r#"{"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "Trace not found"}"#;
    assert_eq!(
        parse_str(err).unwrap_err(),
        LoadError::Server {
            code: "RESOURCE_DOES_NOT_EXIST".into(),
            message: "Trace not found".into()
        }
    );
    let other = parse_str(r#"{"hello": 1, "world": 2}"#)
        .unwrap_err()
        .to_string();
    assert!(other.contains("keys hello, world"), "{other}");
    assert!(parse_str("42")
        .unwrap_err()
        .to_string()
        .contains("single JSON value"));
    assert!(parse_str("[]")
        .unwrap_err()
        .to_string()
        .contains("empty list"));
}

#[test]
fn orphans_are_kept_as_marked_roots() {
    let t = parse_str(&doc(&[
        span("a", None, 1, Some(10)),
        span("b", Some("missing"), 2, Some(3)),
    ]))
    .unwrap()
    .traces
    .remove(0);
    assert_eq!(t.len(), 2);
    assert_eq!(t.roots.len(), 2);
    assert_eq!(kinds(&t), [ProblemKind::OrphanSpan]);
    // true root first, orphan after
    assert_eq!(t.name(t.roots[0]), "s-a");
    assert!(t
        .span(t.roots[1])
        .has(trace_view::model::trace::flags::ORPHAN));
}

#[test]
fn cycles_are_cut_and_reported() {
    // a -> b -> c -> a, plus a self-parent d, plus e hanging below the loop
    let spans = [
        span("a", Some("c"), 1, Some(9)),
        span("b", Some("a"), 2, Some(8)),
        span("c", Some("b"), 3, Some(7)),
        span("d", Some("d"), 4, Some(5)),
        span("e", Some("b"), 5, Some(6)),
    ];
    let t = parse_str(&doc(&spans)).unwrap().traces.remove(0);
    assert_eq!(t.len(), 5);
    assert_eq!(t.preorder.len(), 5, "every span reachable exactly once");
    assert_eq!(
        kinds(&t)
            .iter()
            .filter(|k| **k == ProblemKind::ParentCycle)
            .count(),
        2
    );
    assert_eq!(t.roots.len(), 2);
}

#[test]
fn duplicate_ids_keep_both_spans() {
    let t = parse_str(&doc(&[
        span("a", None, 1, Some(10)),
        span("a", None, 2, Some(3)),
        span("c", Some("a"), 4, Some(5)),
    ]))
    .unwrap()
    .traces
    .remove(0);
    assert_eq!(t.len(), 3);
    assert_eq!(kinds(&t), [ProblemKind::DuplicateSpanId]);
    // the child attaches to the first span with that id
    let c = (0..3).find(|&i| t.name(i) == "s-c").unwrap();
    assert_eq!(t.span(c).parent, Some(0));
}

#[test]
fn null_end_times_and_reversed_durations() {
    let t = parse_str(&doc(&[
        span("a", None, 10, None),
        span("b", Some("a"), 20, Some(15)),
    ]))
    .unwrap()
    .traces
    .remove(0);
    assert!(kinds(&t).contains(&ProblemKind::UnfinishedSpan));
    assert!(kinds(&t).contains(&ProblemKind::NegativeDuration));
    assert_eq!(t.span(1).duration_ns(), 0);
    assert_eq!(t.span(0).duration_ns(), 0);
}

#[test]
fn a_100k_deep_chain_does_not_overflow() {
    let n = 100_000;
    let mut spans = vec![span("s0", None, 0, Some(2 * n as u64))];
    for i in 1..n {
        spans.push(span(
            &format!("s{i}"),
            Some(&format!("s{}", i - 1)),
            i as u64,
            Some(2 * n as u64 - i as u64),
        ));
    }
    let t = parse_str(&doc(&spans)).unwrap().traces.remove(0);
    assert_eq!(t.len(), n);
    assert_eq!(t.max_depth(), n as u32 - 1);
    let mut rows = trace_view::layout::TreeRows::expanded(&t);
    assert_eq!(rows.len(), n);
    rows.toggle(&t, 0);
    assert_eq!(rows.len(), 1);
}

#[test]
fn wrong_field_types_are_marked_not_fatal() {
    let json = r#"{"info":{"trace_id":"tr-1","state":"OK","tags":"oops"},"data":{"spans":[
        {"span_id":"a","name":7,"start_time_unix_nano":"12","end_time_unix_nano":"x","status":"ERROR","attributes":[1,2]},
        {"span_id":"b","parent_span_id":"a","name":{"n":1},"start_time_unix_nano":-1,"events":"nope"}
    ]}}"#;
    let t = parse_str(json).unwrap().traces.remove(0);
    assert_eq!(t.len(), 2);
    assert_eq!(t.name(0), "7");
    assert_eq!(t.span(0).start_ns, 12);
    assert_eq!(t.span(0).status, trace_view::model::StatusCode::Error);
    assert!(kinds(&t).contains(&ProblemKind::BadField));
}

#[test]
fn nan_literals_in_the_file_are_read_as_text() {
    let json = doc(&[span("a", None, 1, Some(2))])
        .replace("\"state\":\"OK\"", "\"state\":\"OK\",\"score\":NaN");
    let d = parse_str(&json).unwrap();
    assert_eq!(d.traces[0].len(), 1);
    assert_eq!(d.problems[0].kind, ProblemKind::NonStandardJson);
}

#[test]
fn invalid_utf8_is_repaired_and_reported() {
    let mut bytes = doc(&[span("a", None, 1, Some(2))]).into_bytes();
    let at = bytes.windows(3).position(|w| w == b"s-a").unwrap();
    bytes[at] = 0xff;
    let d = trace_view::model::parse_bytes(&bytes).unwrap();
    assert_eq!(d.traces[0].name(0), "\u{FFFD}-a");
    assert_eq!(d.problems[0].kind, ProblemKind::InvalidUtf8);
}

#[test]
fn timestamps_above_2_pow_53_keep_precision() {
    let t = parse_str(&doc(&[span(
        "a",
        None,
        1_795_433_138_352_873_001,
        Some(1_795_433_138_352_873_999),
    )]))
    .unwrap()
    .traces
    .remove(0);
    assert_eq!(t.span(0).duration_ns(), 998);
}

#[test]
fn empty_trace_still_opens() {
    let t = parse_str(r#"{"info":{"trace_id":"tr-x","state":"IN_PROGRESS"},"data":{"spans":[]}}"#)
        .unwrap()
        .traces
        .remove(0);
    assert!(t.is_empty());
    assert_eq!(t.state(), TraceState::InProgress);
}

#[test]
fn mlflow2_trace_json() {
    let json = r#"{"info":{"request_id":"abc123","experiment_id":"1","timestamp_ms":1700000000000,"execution_time_ms":42,
        "status":"ERROR","request_metadata":{"mlflow.trace.user":"u1"},"tags":{"mlflow.traceName":"v2trace"}},
      "data":{"request":"{}","response":"{}","spans":[
        {"name":"root","context":{"trace_id":"0xabc","span_id":"0x01"},"parent_id":null,"start_time":1700000000000000000,
         "end_time":1700000000042000000,"status_code":"ERROR","status_message":"boom",
         "attributes":{"mlflow.spanType":"\"CHAIN\"","mlflow.spanInputs":"{\"q\": 1}"},"events":[]},
        {"name":"child","context":{"trace_id":"0xabc","span_id":"0x02"},"parent_id":"0x01","start_time":1700000000001000000,
         "end_time":1700000000002000000,"status_code":"OK","status_message":"","attributes":{},"events":[]}]}}"#;
    let d = parse_str(json).unwrap();
    assert_eq!(d.format, trace_view::model::Format::Mlflow2);
    let t = &d.traces[0];
    assert_eq!(t.info.trace_id, "abc123");
    assert_eq!(t.display_name(), "v2trace");
    assert_eq!(t.state(), TraceState::Error);
    assert_eq!(t.duration_ns(), 42_000_000);
    assert_eq!(t.children(0).len(), 1);
    assert_eq!(t.span(0).span_type, trace_view::model::SpanType::Chain);
    assert_eq!(t.text(t.span(0).status_message), "boom");
}

#[test]
fn rest_and_spans_only_and_list_forms() {
    let spans = [
        span("a", None, 1, Some(5)),
        span("b", Some("a"), 2, Some(3)),
    ];
    let rest = format!(
        r#"{{"trace":{{"trace_info":{{"trace_id":"tr-9","state":"OK","execution_duration":"0.115s"}},"spans":[{}]}}}}"#,
        spans.join(",")
    );
    let d = parse_str(&rest).unwrap();
    assert_eq!(d.format, trace_view::model::Format::MlflowRest);
    assert_eq!(d.traces[0].info.execution_ms, Some(115));
    let only = format!(r#"{{"spans":[{}]}}"#, spans.join(","));
    assert_eq!(parse_str(&only).unwrap().traces[0].len(), 2);
    let list = format!(r#"{{"traces":[{},{}]}}"#, doc(&spans), doc(&spans[..1]));
    let d = parse_str(&list).unwrap();
    assert_eq!(d.traces.len(), 2);
    assert_eq!(d.span_count(), 3);
    let ndjson = format!("{}\n{}\n", doc(&spans), doc(&spans[..1]));
    let d = parse_str(&ndjson).unwrap();
    assert_eq!(d.format, trace_view::model::Format::Ndjson);
    assert_eq!(d.span_count(), 3);
}

#[test]
fn a_bad_item_in_a_list_does_not_lose_the_others() {
    let list = format!(
        r#"[{}, {{"experiments": []}}]"#,
        doc(&[span("a", None, 1, Some(2))])
    );
    let d = parse_str(&list).unwrap();
    assert_eq!(d.traces.len(), 1);
    assert!(d.problems[0]
        .detail
        .starts_with("item 2: this file is an MLflow experiment"));
}

#[test]
fn fifty_megabyte_strings_load_and_stay_lazy() {
    use trace_view::model::{derive, search};
    let big = "x".repeat(50_000_000) + "NEEDLE";
    let name = "n".repeat(50_000_000);
    let attrs = format!(r#"{{"mlflow.spanInputs": "\"{big}\"", "mlflow.spanType": "\"LLM\""}}"#);
    let text = format!(
        r#"{{"info":{{"trace_id":"tr-1","state":"OK"}},"data":{{"spans":[{{"trace_id":"T","span_id":"a","parent_span_id":null,"name":"{name}","start_time_unix_nano":1,"end_time_unix_nano":2,"status":{{"code":"STATUS_CODE_OK"}},"attributes":{attrs},"events":[]}}]}}}}"#
    );
    let d = parse_str(&text).unwrap();
    let t = &d.traces[0];
    assert_eq!(t.len(), 1);
    assert_eq!(t.name(0).len(), 50_000_000);
    // What rows and titles show is cut, so a huge name is not a huge DOM node.
    let label = trace_view::model::format::label(t.name(0));
    assert_eq!(
        label.chars().count(),
        trace_view::model::format::LABEL_CHARS + 1
    );
    let inputs = derive::inputs(t, 0).unwrap();
    assert_eq!(inputs.value.as_str().map(str::len), Some(50_000_006));
    assert_eq!(search::find(t, "needle"), vec![0]);
    // The export keeps every byte.
    let out = trace_view::model::export::to_mlflow3_json(t);
    assert!(out.len() > 100_000_000);
    assert_eq!(parse_str(&out).unwrap().traces[0].name(0).len(), 50_000_000);
}

#[test]
fn ten_thousand_attributes_on_a_span() {
    use trace_view::model::attrs::decode;
    let attrs: Vec<String> = (0..10_000)
        .map(|i| format!(r#""key.{i}": "{i}""#))
        .collect();
    let text = format!(
        r#"{{"info":{{"trace_id":"tr-1","state":"OK"}},"data":{{"spans":[{{"trace_id":"T","span_id":"a","parent_span_id":null,"name":"wide","start_time_unix_nano":1,"end_time_unix_nano":2,"status":{{"code":"STATUS_CODE_OK"}},"attributes":{{{}}},"events":[]}}]}}}}"#,
        attrs.join(",")
    );
    let d = parse_str(&text).unwrap();
    let t = &d.traces[0];
    assert_eq!(t.span_attrs(0).len(), 10_000);
    let last = t.attr(0, "key.9999").expect("the last attribute is kept");
    assert_eq!(decode(t, last).value, serde_json::json!(9999));
}

#[test]
fn inputs_over_the_size_limit_are_refused_with_a_reason() {
    use trace_view::model::parse::{check_input_size, MAX_INPUT_BYTES};
    assert!(check_input_size("big.json", MAX_INPUT_BYTES).is_ok());
    let e = check_input_size("big.json", 1_000_000_000).unwrap_err();
    assert!(matches!(
        e,
        LoadError::TooLarge {
            bytes: 1_000_000_000,
            ..
        }
    ));
    let msg = e.to_string();
    assert!(
        msg.starts_with(
            "big.json is too large to open here (1.00 GB): trace-view opens at most 805 MB"
        ),
        "{msg}"
    );
    assert!(msg.contains("MLflow server"), "{msg}");
}

#[test]
fn gzip_bombs_and_nested_gzip_are_refused() {
    use std::io::Write;
    use trace_view::model::parse::gunzip_capped;
    let gz = |data: &[u8]| {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    };
    // 10 MB of spaces compress to ~10 KB; with a 1 MB cap, decompression stops early with a reason.
    let bomb = gz(&vec![b' '; 10_000_000]);
    assert!(bomb.len() < 20_000);
    let e = gunzip_capped(&bomb, 1_000_000).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("the decompressed gzip file is too large"),
        "{e}"
    );
    let inner = gz(doc(&[span("a", None, 1, Some(2))]).as_bytes());
    let nested = gz(&inner);
    let msg = trace_view::model::parse_bytes(&nested)
        .unwrap_err()
        .to_string();
    assert!(msg.contains("another gzip file"), "{msg}");
    assert_eq!(
        trace_view::model::parse_bytes(&inner).unwrap().span_count(),
        1
    );
}
