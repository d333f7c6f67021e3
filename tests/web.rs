//! Component tests in headless Chromium (wasm-bindgen-test):
//! `cargo test --target wasm32-unknown-unknown --test web`.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use std::sync::Arc;
use trace_view::model::{parse_str, Trace};
use trace_view::ui::header::TraceHeader;
use trace_view::ui::json::JsonBlock;
use trace_view::ui::trace_view::TraceView;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const SMALL: &str = r#"{"info":{"trace_id":"tr-0123456789abcdef0123456789abcdef","state":"ERROR",
  "request_time":"2026-11-23T11:25:38.352Z","execution_duration_ms":12,
  "trace_metadata":{"mlflow.trace.tokenUsage":"{\"input_tokens\": 10, \"output_tokens\": 5, \"total_tokens\": 15}"},
  "tags":{"mlflow.traceName":"small_agent","team":"search"}},
 "data":{"spans":[
  {"span_id":"AAAAAAAAAAE=","parent_span_id":null,"name":"small_agent","start_time_unix_nano":1000000,"end_time_unix_nano":13000000,
   "status":{"code":"STATUS_CODE_ERROR","message":"boom"},"attributes":{"mlflow.spanType":"\"AGENT\"","mlflow.spanInputs":"{\"q\": \"hi\"}"},"events":[]},
  {"span_id":"AAAAAAAAAAI=","parent_span_id":"AAAAAAAAAAE=","name":"call <b>llm</b>","start_time_unix_nano":2000000,"end_time_unix_nano":5000000,
   "status":{"code":"STATUS_CODE_OK","message":""},
   "attributes":{"mlflow.spanType":"\"CHAT_MODEL\"",
     "mlflow.spanInputs":"{\"messages\": [{\"role\": \"user\", \"content\": \"<script>window.__pwned = 1</script>hello\"}]}",
     "mlflow.spanOutputs":"{\"choices\": [{\"message\": {\"role\": \"assistant\", \"content\": \"hi there\"}}]}",
     "mlflow.chat.tokenUsage":"{\"input_tokens\": 10, \"output_tokens\": 5, \"total_tokens\": 15}"},"events":[]},
  {"span_id":"AAAAAAAAAAM=","parent_span_id":"AAAAAAAAAAE=","name":"lookup","start_time_unix_nano":6000000,"end_time_unix_nano":9000000,
   "status":{"code":"STATUS_CODE_ERROR","message":"not found"},"attributes":{"mlflow.spanType":"\"TOOL\""},
   "events":[{"name":"exception","time_unix_nano":8000000,"attributes":{"exception.type":"KeyError","exception.message":"'x'","exception.stacktrace":"Traceback..."}}]}
 ]}}"#;

fn small() -> Arc<Trace> {
    Arc::new(parse_str(SMALL).unwrap().traces.remove(0))
}

fn host() -> web_sys::HtmlElement {
    let doc = web_sys::window().unwrap().document().unwrap();
    let el: web_sys::HtmlElement = doc.create_element("div").unwrap().unchecked_into();
    // the tree pane needs a height to have a viewport
    el.set_attribute(
        "style",
        "height: 600px; width: 1200px; display: flex; flex-direction: column",
    )
    .unwrap();
    doc.body().unwrap().append_child(&el).unwrap();
    el
}

fn text(root: &web_sys::HtmlElement, sel: &str) -> String {
    root.query_selector(sel)
        .unwrap()
        .unwrap_or_else(|| panic!("no {sel}"))
        .text_content()
        .unwrap_or_default()
}

#[wasm_bindgen_test]
fn header_shows_name_status_count_tokens_tags() {
    let el = host();
    let _h = leptos::mount::mount_to(el.clone(), || view! { <TraceHeader trace=small() /> });
    assert_eq!(text(&el, ".tv-trace-name"), "small_agent");
    assert_eq!(text(&el, ".tv-span-count"), "3 spans");
    assert_eq!(text(&el, ".tv-status"), "ERROR");
    assert_eq!(text(&el, ".tv-fact-error"), "2 errors");
    assert!(text(&el, ".tv-header").contains("15 tokens"));
    assert!(text(&el, ".tv-header").contains("2026-11-23 11:25:38.352 UTC"));
    assert!(text(&el, ".tv-tags").contains("team"));
}

#[wasm_bindgen_test]
async fn tree_rows_select_and_detail_follows() {
    let el = host();
    let _h = leptos::mount::mount_to(
        el.clone(),
        || view! { <TraceView trace=small() on_back={None::<fn()>} /> },
    );
    leptos::task::tick().await;
    let names: Vec<String> = {
        let list = el.query_selector_all(".tv-row .tv-name").unwrap();
        (0..list.length())
            .map(|i| list.item(i).unwrap().text_content().unwrap())
            .collect()
    };
    assert_eq!(names, ["small_agent", "call <b>llm</b>", "lookup"]);
    // trace text is text: no <b> element was created from the span name
    assert!(el.query_selector(".tv-name b").unwrap().is_none());
    // the root is selected at start
    assert_eq!(text(&el, ".tv-span-name"), "small_agent");
    // click the chat span: detail, chat tab and tokens follow
    let row: web_sys::HtmlElement = el
        .query_selector(".tv-row[data-span=\"1\"]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    row.click();
    leptos::task::tick().await;
    assert_eq!(text(&el, ".tv-span-name"), "call <b>llm</b>");
    assert!(text(&el, ".tv-detail").contains("15 tokens (10 in · 5 out)"));
    let chat = text(&el, ".tv-chat");
    assert!(
        chat.contains("<script>window.__pwned = 1</script>hello"),
        "{chat}"
    );
    assert!(chat.contains("hi there"));
    assert!(el.query_selector(".tv-chat script").unwrap().is_none());
    assert!(
        js_sys::Reflect::get(&web_sys::window().unwrap(), &"__pwned".into())
            .unwrap()
            .is_undefined()
    );
    // the error span shows its exception
    let row: web_sys::HtmlElement = el
        .query_selector(".tv-row[data-span=\"2\"]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    row.click();
    leptos::task::tick().await;
    assert!(text(&el, ".tv-exception").contains("KeyError"));
    assert!(text(&el, ".tv-error-banner").contains("not found"));
}

#[wasm_bindgen_test]
async fn collapsing_hides_children() {
    let el = host();
    let _h = leptos::mount::mount_to(
        el.clone(),
        || view! { <TraceView trace=small() on_back={None::<fn()>} /> },
    );
    leptos::task::tick().await;
    assert_eq!(el.query_selector_all(".tv-row").unwrap().length(), 3);
    let twisty: web_sys::HtmlElement = el
        .query_selector(".tv-twisty")
        .unwrap()
        .unwrap()
        .unchecked_into();
    twisty.click();
    leptos::task::tick().await;
    assert_eq!(el.query_selector_all(".tv-row").unwrap().length(), 1);
}

#[wasm_bindgen_test]
async fn zoom_buttons_narrow_the_timeline_and_fit_restores_it() {
    let el = host();
    let _h = leptos::mount::mount_to(
        el.clone(),
        || view! { <TraceView trace=small() on_back={None::<fn()>} /> },
    );
    leptos::task::tick().await;
    let click = |sel: &str| {
        el.query_selector(sel)
            .unwrap()
            .unwrap_or_else(|| panic!("no {sel}"))
            .unchecked_into::<web_sys::HtmlElement>()
            .click()
    };
    let visible_bars = || {
        el.query_selector_all(".tv-bar:not(.tv-bar-out)")
            .unwrap()
            .length()
    };
    assert_eq!(text(&el, ".tv-zoom-range"), "whole trace");
    assert_eq!(visible_bars(), 3);
    // The trace runs 1–13 ms; zooming in twice (×½ each) at the centre shows 5.5–8.5 ms, labelled
    // from the trace start as 4.5–7.5 ms.
    click(".tv-zoom-in");
    click(".tv-zoom-in");
    leptos::task::tick().await;
    assert_eq!(text(&el, ".tv-zoom-range"), "4.5 ms – 7.5 ms of 12.0 ms");
    // Only the root and "lookup" (6–9 ms) overlap 5.5–8.5 ms; "call llm" (2–5 ms) is hidden.
    assert_eq!(visible_bars(), 2);
    click(".tv-zoom-fit");
    leptos::task::tick().await;
    assert_eq!(text(&el, ".tv-zoom-range"), "whole trace");
    assert_eq!(visible_bars(), 3);
}

#[wasm_bindgen_test]
fn json_block_renders_values_as_text() {
    let el = host();
    let value =
        serde_json::json!({"html": "<img src=x onerror=alert(1)>", "n": 3, "list": [true, null]});
    let _h = leptos::mount::mount_to(
        el.clone(),
        move || view! { <JsonBlock title="Inputs".to_string() value=value.clone() /> },
    );
    let t = text(&el, ".tv-json");
    assert!(t.contains("<img src=x onerror=alert(1)>"));
    assert!(t.contains("3"));
    assert!(el.query_selector(".tv-json img").unwrap().is_none());
}
