//! Every real MLflow export in tests/fixtures/corpus (copied from ../shared/corpus, written by the real
//! MLflow 3.17.2 SDK) parses with the right span count, tree shape, statuses and token totals.
//! Expected values were computed independently with Python's json module from the same files.

use trace_view::model::derive::{chat, exceptions, span_tokens, trace_tokens, Part};
use trace_view::model::{parse_bytes, Format, SpanType, StatusCode, Trace, TraceState};

fn load(name: &str) -> trace_view::model::Document {
    let path = format!(
        "{}/tests/fixtures/corpus/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    parse_bytes(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// (file, traces, total spans, first trace: roots, max depth, error spans, total tokens, root name)
type Expected = (
    &'static str,
    usize,
    usize,
    usize,
    u32,
    usize,
    Option<u64>,
    &'static str,
);
const EXPECTED: &[Expected] = &[
    (
        "01_all_span_types.json",
        1,
        13,
        1,
        3,
        0,
        Some(83),
        "research_agent",
    ),
    (
        "02_error_nested_caught.json",
        1,
        3,
        1,
        2,
        2,
        None,
        "top_caught",
    ),
    (
        "04_error_record_exception.json",
        1,
        2,
        1,
        1,
        1,
        None,
        "manual_error_root",
    ),
    (
        "10_openai_autolog_tool_calls.json",
        1,
        5,
        1,
        1,
        0,
        Some(319),
        "weather_agent",
    ),
    (
        "11_openai_autolog_single_call.json",
        1,
        1,
        1,
        0,
        0,
        Some(23),
        "Completions",
    ),
    (
        "20_langchain_lcel_chain.json",
        1,
        4,
        1,
        1,
        0,
        Some(43),
        "RunnableSequence",
    ),
    (
        "30_session_sess-alice-001_turn1.json",
        1,
        2,
        1,
        1,
        0,
        Some(49),
        "chat_turn",
    ),
    (
        "30_session_sess-alice-001_turn2.json",
        1,
        2,
        1,
        1,
        0,
        Some(76),
        "chat_turn",
    ),
    (
        "30_session_sess-alice-001_turn3.json",
        1,
        2,
        1,
        1,
        0,
        Some(101),
        "chat_turn",
    ),
    (
        "30_session_sess-alice-003_turn1.json",
        1,
        2,
        1,
        1,
        0,
        Some(40),
        "chat_turn",
    ),
    (
        "30_session_sess-alice-003_turn2.json",
        1,
        2,
        1,
        1,
        0,
        Some(70),
        "chat_turn",
    ),
    (
        "30_session_sess-bob-002_turn1.json",
        1,
        2,
        1,
        1,
        0,
        Some(48),
        "chat_turn",
    ),
    (
        "30_session_sess-bob-002_turn2.json",
        1,
        2,
        1,
        1,
        0,
        Some(80),
        "chat_turn",
    ),
    (
        "30_session_sess-bob-002_turn3.json",
        1,
        2,
        1,
        1,
        0,
        Some(111),
        "chat_turn",
    ),
    (
        "30_session_sess-bob-002_turn4.json",
        1,
        2,
        1,
        1,
        0,
        Some(134),
        "chat_turn",
    ),
    (
        "40_hostile_unicode_xss_1MiB.json",
        1,
        7,
        1,
        1,
        0,
        None,
        "hostile_root <img src=x onerror=alert('spanname')>",
    ),
    (
        "42_span_with_200_attributes.json",
        1,
        2,
        1,
        1,
        0,
        None,
        "root_of_200_attr_span",
    ),
    (
        "50_async_gather_overlapping.json",
        1,
        19,
        1,
        2,
        0,
        None,
        "async_fanout_agent",
    ),
    (
        "60_large_1000_spans.json",
        1,
        1000,
        1,
        29,
        0,
        Some(29854),
        "agent_run",
    ),
    (
        "60_large_100_spans.json",
        1,
        100,
        1,
        9,
        0,
        Some(2874),
        "agent_run",
    ),
    (
        "90_search_traces_list_sessions.json",
        9,
        18,
        1,
        1,
        0,
        Some(70),
        "chat_turn",
    ),
    (
        "91_search_traces_pandas_sessions.json",
        9,
        18,
        1,
        1,
        0,
        Some(70),
        "chat_turn",
    ),
];

#[test]
fn every_corpus_file_is_covered() {
    let dir = format!("{}/tests/fixtures/corpus", env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|f| f.ends_with(".json"))
        .collect();
    files.sort();
    let mut expected: Vec<&str> = EXPECTED.iter().map(|e| e.0).collect();
    expected.sort();
    assert_eq!(files, expected);
}

#[test]
fn corpus_shapes() {
    for &(file, n_traces, n_spans, roots, depth, errors, tokens, root_name) in EXPECTED {
        let doc = load(file);
        assert_eq!(doc.traces.len(), n_traces, "{file}: traces");
        assert_eq!(doc.span_count(), n_spans, "{file}: spans");
        let t = &doc.traces[0];
        assert_eq!(t.roots.len(), roots, "{file}: roots");
        assert_eq!(t.max_depth(), depth, "{file}: depth");
        assert_eq!(t.error_count(), errors, "{file}: error spans");
        assert_eq!(trace_tokens(t).map(|u| u.total), tokens, "{file}: tokens");
        assert_eq!(t.name(t.root().unwrap()), root_name, "{file}: root");
        assert_eq!(t.state(), TraceState::Ok, "{file}: state");
        assert!(
            t.problems.is_empty(),
            "{file}: unexpected problems {:?}",
            t.problems
        );
        assert!(
            t.info.trace_id.starts_with("tr-"),
            "{file}: trace id {}",
            t.info.trace_id
        );
        // structural invariants
        assert_eq!(t.preorder.len(), t.len());
        for (pos, &i) in t.preorder.iter().enumerate() {
            let s = t.span(i);
            assert_eq!(s.order as usize, pos);
            if let Some(p) = s.parent {
                assert_eq!(t.span(p).depth + 1, s.depth);
                assert!(t.span(p).order < s.order);
            }
            let kids = t.children(i);
            assert!(
                kids.windows(2)
                    .all(|w| t.span(w[0]).start_ns <= t.span(w[1]).start_ns),
                "{file}: children sorted"
            );
            assert!(s.self_ns <= s.duration_ns());
        }
    }
}

#[test]
fn formats_are_detected() {
    assert_eq!(load("01_all_span_types.json").format, Format::Mlflow3);
    assert_eq!(
        load("90_search_traces_list_sessions.json").format,
        Format::TraceList
    );
    assert_eq!(
        load("91_search_traces_pandas_sessions.json").format,
        Format::TraceList
    );
}

fn find(t: &Trace, name: &str) -> u32 {
    (0..t.len() as u32)
        .find(|&i| t.name(i) == name)
        .unwrap_or_else(|| panic!("no span {name}"))
}

#[test]
fn span_types_including_custom() {
    let doc = load("01_all_span_types.json");
    let t = &doc.traces[0];
    let ty = |n: &str| t.span(find(t, n)).span_type.clone();
    assert_eq!(ty("research_agent"), SpanType::Agent);
    assert_eq!(ty("completion_llm"), SpanType::Llm);
    assert_eq!(ty("retrieve"), SpanType::Retriever);
    assert_eq!(ty("rerank"), SpanType::Reranker);
    assert_eq!(ty("ChatModel.invoke"), SpanType::ChatModel);
    assert_eq!(
        ty("custom_type_span"),
        SpanType::Custom("MY_CUSTOM_TYPE".into())
    );
    assert_eq!(ty("untyped_span"), SpanType::Unknown);
}

#[test]
fn errors_and_exceptions() {
    let doc = load("02_error_nested_caught.json");
    let t = &doc.traces[0];
    let middle = find(t, "middle");
    assert_eq!(t.span(middle).status, StatusCode::Error);
    let ex = exceptions(t, middle);
    assert_eq!(ex.len(), 1);
    assert_eq!(ex[0].kind, "ValueError");
    assert!(ex[0].message.contains("connection reset by peer"));
    assert!(ex[0].stacktrace.starts_with("Traceback"));
    assert_eq!(t.span(t.root().unwrap()).status, StatusCode::Ok);
}

#[test]
fn chat_messages_and_tool_calls_from_openai_autolog() {
    let doc = load("10_openai_autolog_tool_calls.json");
    let t = &doc.traces[0];
    let first = (0..t.len() as u32)
        .find(|&i| t.name(i) == "Completions")
        .unwrap();
    let c = chat(t, first).expect("chat");
    assert_eq!(c.tools, ["get_weather"]);
    let roles: Vec<&str> = c.messages.iter().map(|m| m.role.as_str()).collect();
    assert_eq!(roles, ["system", "user", "assistant"]);
    let calls: Vec<&Part> = c.messages[2]
        .parts
        .iter()
        .filter(|p| matches!(p, Part::ToolCall { .. }))
        .collect();
    assert_eq!(calls.len(), 2);
    match calls[0] {
        Part::ToolCall {
            name,
            arguments,
            id,
        } => {
            assert_eq!(name, "get_weather");
            assert!(arguments.contains("Paris"));
            assert_eq!(id.as_deref(), Some("call_4b2ca83f4085"));
        }
        _ => unreachable!(),
    }
    assert_eq!(span_tokens(t, first).unwrap().total, 119);
    // the second call sees the tool results
    let second = (0..t.len() as u32)
        .filter(|&i| t.name(i) == "Completions")
        .nth(1)
        .unwrap();
    let c2 = chat(t, second).unwrap();
    assert!(c2.messages.iter().any(|m| m.role == "tool"
        && matches!(&m.parts[0], Part::ToolResult { content, .. } if content.contains("18"))));
    assert_eq!(c2.messages.last().unwrap().role, "assistant");
    // a tool span is not a chat
    assert!(chat(t, find(t, "get_weather")).is_none());
}

#[test]
fn langchain_chat() {
    let doc = load("20_langchain_lcel_chain.json");
    let t = &doc.traces[0];
    let c = chat(t, find(t, "GenericFakeChatModel")).unwrap();
    let text: Vec<String> = c
        .messages
        .iter()
        .map(|m| format!("{}: {:?}", m.role, m.parts[0]))
        .collect();
    assert_eq!(text.len(), 3, "{text:?}");
    assert!(text[2].contains("Bonjour le monde"));
}

#[test]
fn hostile_strings_survive_verbatim() {
    let doc = load("40_hostile_unicode_xss_1MiB.json");
    let t = &doc.traces[0];
    assert!(t.name(t.root().unwrap()).contains("<img src=x onerror="));
    // the 1 MiB output is decoded lazily and intact
    let big = (0..t.len() as u32)
        .filter_map(|i| trace_view::model::derive::outputs(t, i))
        .map(|d| d.value.to_string().len())
        .max()
        .unwrap();
    assert!(big > 1_000_000, "{big}");
}

#[test]
fn sessions_metadata_is_available() {
    let doc = load("90_search_traces_list_sessions.json");
    let sessions: std::collections::BTreeSet<&str> = doc
        .traces
        .iter()
        .filter_map(|t| t.info.metadata("mlflow.trace.session"))
        .collect();
    assert_eq!(
        sessions.into_iter().collect::<Vec<_>>(),
        ["sess-alice-001", "sess-alice-003", "sess-bob-002"]
    );
}
