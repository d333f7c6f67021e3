//! Whole-screen states: landing (how to open a trace), loading, and the error panel.

use crate::model::Problem;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

#[component]
pub fn Landing<F>(on_file: F) -> impl IntoView
where
    F: Fn(web_sys::File) + Clone + Send + Sync + 'static,
{
    let input_ref = NodeRef::<leptos::html::Input>::new();
    let on_change = move |ev: web_sys::Event| {
        let input: Option<web_sys::HtmlInputElement> = ev.target().and_then(|t| t.dyn_into().ok());
        if let Some(file) = input.and_then(|i| i.files()).and_then(|f| f.get(0)) {
            on_file(file);
        }
    };
    view! {
        <section class="tv-landing">
            <h1>"Open an MLflow trace"</h1>
            <p class="tv-muted">
                "Drop a trace JSON file anywhere on this page, pick one, or open a URL with "
                <code>"?src=<url>"</code> "."
            </p>
            <div class="tv-dropzone" on:click=move |_| {
                if let Some(i) = input_ref.get() {
                    i.click();
                }
            }>
                <div class="tv-dropzone-icon">{super::icons::upload_icon()}</div>
                <div>"Drop a file here or " <u>"choose a file"</u></div>
                <div class="tv-muted tv-small">
                    "MLflow 3 and 2 trace JSON (Trace.to_json(), mlflow traces get), lists of traces, "
                    "search_traces results, OTLP JSON, newline-delimited JSON"
                </div>
            </div>
            <input node_ref=input_ref class="tv-hidden" type="file" accept=".json,.jsonl,.ndjson,.gz,application/json,application/gzip" on:change=on_change />
            <p class="tv-muted tv-small">
                "Files are read in your browser and never uploaded. Trace text is shown as text: nothing in a trace can run."
            </p>
            <ExampleLinks />
        </section>
    }
}

/// Links to the example traces the demo server ships (if it does: the list is fetched, not assumed).
#[component]
fn ExampleLinks() -> impl IntoView {
    let examples = LocalResource::new(|| async {
        let bytes = super::loader::fetch_bytes("examples/index.json")
            .await
            .ok()?;
        serde_json::from_slice::<Vec<String>>(&bytes).ok()
    });
    view! {
        <Suspense fallback=|| ()>
            {move || {
                examples
                    .get()
                    .flatten()
                    .map(|names| {
                        view! {
                            <div class="tv-examples">
                                <h2>"Example traces"</h2>
                                <ul>
                                    {names
                                        .into_iter()
                                        .map(|n| {
                                            let href = format!("?src=examples/{n}");
                                            view! {
                                                <li>
                                                    <a href=href>{n}</a>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            </div>
                        }
                    })
            }}
        </Suspense>
    }
}

#[component]
pub fn LoadingPanel(source: String) -> impl IntoView {
    view! {
        <section class="tv-panel tv-loading" role="status">
            <div class="tv-spinner"></div>
            <div>"Loading " <span class="tv-mono">{source}</span> "…"</div>
        </section>
    }
}

#[component]
pub fn ErrorPanel(source: String, message: String) -> impl IntoView {
    view! {
        <section class="tv-panel tv-error-panel" role="alert">
            <h2>"Could not open this trace"</h2>
            <div class="tv-error-source tv-mono">{source}</div>
            <p class="tv-error-message">{message}</p>
            <p class="tv-muted">
                "Open another file with the button above or by dropping it on the page. "
                "Supported: MLflow 3/2 trace JSON, lists of traces, search_traces results, OTLP JSON, NDJSON."
            </p>
        </section>
    }
}

/// Problems with the file as a whole (encoding, non-standard JSON, unreadable list items).
#[component]
pub fn DocProblems(problems: Vec<Problem>) -> impl IntoView {
    view! {
        <details class="tv-doc-problems">
            <summary>{format!("⚠ {} problem(s) reading this file — what could be read is shown", problems.len())}</summary>
            <ul>
                {problems
                    .into_iter()
                    .map(|p| view! { <li><b>{p.kind.label()}</b> ": " {p.detail}</li> })
                    .collect_view()}
            </ul>
        </details>
    }
}
