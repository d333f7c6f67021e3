//! The offline SPA shell: open a document (`?src=`, file picker, drag-and-drop), then show its trace
//! list or its single trace. Deep-link parameters: `src` (URL of a trace file), `trace` (trace id in a
//! multi-trace file), `span` (span id, hex or as written).

use super::loader::{fetch_bytes, query_param, read_file, set_query_param};
use super::panels::{ErrorPanel, Landing, LoadingPanel};
use super::trace_list::TraceList;
use super::trace_view::TraceView;
use crate::model::{parse_owned, Document};
use leptos::prelude::*;
use std::sync::Arc;
use wasm_bindgen::JsCast;

/// What the shell is showing.
#[derive(Clone)]
pub enum Screen {
    Landing,
    Loading(String),
    Failed {
        source: String,
        message: String,
    },
    Loaded {
        source: String,
        doc: Arc<Document>,
    },
    /// Talking to an MLflow server.
    Server(crate::api::client::Server),
    /// No MLflow API at the configured address.
    ServerDown {
        server: String,
        message: String,
    },
}

/// Parses bytes into a screen, after letting the browser paint the loading state.
pub async fn open_bytes(source: String, bytes: Vec<u8>, screen: RwSignal<Screen>) {
    screen.set(Screen::Loading(source.clone()));
    // Yield so "Loading…" is painted before a long parse blocks the thread.
    super::loader::yield_to_browser().await;
    // Owned: a big download becomes the document's source without a second copy.
    match parse_owned(bytes) {
        Ok(doc) => screen.set(Screen::Loaded {
            source,
            doc: Arc::new(doc),
        }),
        Err(e) => screen.set(Screen::Failed {
            source,
            message: e.to_string(),
        }),
    }
}

pub async fn open_url(url: String, screen: RwSignal<Screen>) {
    screen.set(Screen::Loading(url.clone()));
    match fetch_bytes(&url).await {
        Ok(bytes) => open_bytes(url, bytes, screen).await,
        Err(message) => screen.set(Screen::Failed {
            source: url,
            message,
        }),
    }
}

pub fn open_file(file: web_sys::File, screen: RwSignal<Screen>) {
    leptos::task::spawn_local(async move {
        let name = file.name();
        set_query_param("src", None);
        match read_file(&file).await {
            Ok(bytes) => open_bytes(name, bytes, screen).await,
            Err(message) => screen.set(Screen::Failed {
                source: name,
                message,
            }),
        }
    });
}

#[component]
pub fn App() -> impl IntoView {
    let screen = RwSignal::new(Screen::Loading("…".into()));
    match query_param("src") {
        Some(src) => leptos::task::spawn_local(open_url(src, screen)),
        None => leptos::task::spawn_local(connect_server(screen)),
    }
    let dragging = RwSignal::new(false);
    let on_drop = move |ev: web_sys::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        let file = ev
            .data_transfer()
            .and_then(|dt| dt.files())
            .and_then(|f| f.get(0));
        if let Some(file) = file {
            open_file(file, screen);
        }
    };
    view! {
        <div
            class="tv-app"
            class:tv-dragging=move || dragging.get()
            on:dragover=move |ev: web_sys::DragEvent| {
                ev.prevent_default();
                dragging.set(true);
            }
            on:dragleave=move |ev: web_sys::DragEvent| {
                // only when leaving the window, not when moving between children
                if ev.related_target().is_none() {
                    dragging.set(false);
                }
            }
            on:drop=on_drop
        >
            <TopBar screen=screen />
            <main class="tv-content">{move || screen_view(screen)}</main>
            <div class="tv-drop-overlay">"Drop a trace file to open it"</div>
        </div>
    }
}

/// Server mode when an MLflow API answers at the configured address (same origin by default);
/// otherwise the offline landing page. Deep links into server views skip the probe.
async fn connect_server(screen: RwSignal<Screen>) {
    use crate::api::{client::Server, ApiError};
    let deep_link = ["experiment", "trace", "session"]
        .iter()
        .any(|k| query_param(k).is_some());
    if deep_link && query_param("server").is_none() {
        // A deep link opens at once against this origin (the usual setup) while config.json is
        // looked up; if it names another server, the view moves there. Saves a round trip on open.
        screen.set(Screen::Server(Server {
            base: String::new(),
        }));
        if let Some(base) = super::server::config_json_server().await {
            screen.set(Screen::Server(Server { base }));
        }
        return;
    }
    let (base, explicit) = super::server::configured_server().await;
    let server = Server { base: base.clone() };
    if deep_link {
        screen.set(Screen::Server(server));
        return;
    }
    match server.get_experiment("0").await {
        // Any answer in MLflow's error format also proves an MLflow API is there; so does a demand
        // to sign in (the basic-auth app), which the server pages then explain.
        Ok(_) | Err(ApiError::Server { .. }) | Err(ApiError::Auth { status: 401, .. }) => {
            screen.set(Screen::Server(server))
        }
        Err(e) if explicit => screen.set(Screen::ServerDown {
            server: server.label(),
            message: e.to_string(),
        }),
        Err(_) => screen.set(Screen::Landing),
    }
}

fn screen_view(screen: RwSignal<Screen>) -> AnyView {
    match screen.get() {
        Screen::Landing => view! { <Landing on_file=move |f| open_file(f, screen) /> }.into_any(),
        Screen::Loading(source) => view! { <LoadingPanel source=source /> }.into_any(),
        Screen::Failed { source, message } => {
            view! { <ErrorPanel source=source message=message /> }.into_any()
        }
        Screen::Loaded { source, doc } => {
            view! { <DocumentView source=source doc=doc /> }.into_any()
        }
        Screen::Server(server) => view! { <super::server::ServerApp server=server /> }.into_any(),
        Screen::ServerDown { server, message } => view! {
            <section class="tv-panel tv-error-panel" role="alert">
                <h2>"Could not connect to the MLflow server"</h2>
                <div class="tv-error-source tv-mono">{server}</div>
                <p class="tv-error-message">{message}</p>
                <button class="tv-btn" on:click=move |_| leptos::task::spawn_local(connect_server(screen))>"Retry"</button>
                <p class="tv-muted">"You can still open trace files: use Open file… or drop one on the page."</p>
            </section>
        }
        .into_any(),
    }
}

/// A single trace opens directly; several show a list that opens each (`?trace=` remembers which).
#[component]
fn DocumentView(source: String, doc: Arc<Document>) -> impl IntoView {
    let initial =
        query_param("trace").and_then(|id| doc.traces.iter().position(|t| t.info.trace_id == id));
    let open: RwSignal<Option<usize>> = RwSignal::new(if doc.traces.len() == 1 {
        Some(0)
    } else {
        initial
    });
    let multi = doc.traces.len() > 1;
    let problems = doc.problems.clone();
    let doc2 = doc.clone();
    view! {
        {(!problems.is_empty()).then(|| view! { <super::panels::DocProblems problems=problems.clone() /> })}
        {move || match open.get() {
            Some(i) => {
                let trace = Arc::new(doc2.traces[i].clone());
                let back = multi.then_some(move || {
                    set_query_param("trace", None);
                    set_query_param("span", None);
                    open.set(None);
                });
                view! { <TraceView trace=trace on_back=back /> }.into_any()
            }
            None => {
                let doc = doc2.clone();
                view! {
                    <TraceList
                        doc=doc.clone()
                        source=source.clone()
                        on_open=move |i: usize| {
                            set_query_param("trace", Some(&doc.traces[i].info.trace_id));
                            open.set(Some(i));
                        }
                    />
                }
                    .into_any()
            }
        }}
    }
}

#[component]
fn TopBar(screen: RwSignal<Screen>) -> impl IntoView {
    let input_ref = NodeRef::<leptos::html::Input>::new();
    let on_change = move |ev: web_sys::Event| {
        let input: Option<web_sys::HtmlInputElement> = ev.target().and_then(|t| t.dyn_into().ok());
        if let Some(file) = input
            .as_ref()
            .and_then(|i| i.files())
            .and_then(|f| f.get(0))
        {
            open_file(file, screen);
        }
        if let Some(i) = input {
            i.set_value("");
        }
    };
    view! {
        <header class="tv-topbar">
            <a class="tv-logo" href="?" title="trace-view home">
                <span class="tv-logo-mark">"◆"</span>
                "trace-view"
            </a>
            <span class="tv-topbar-source">
                {move || match screen.get() {
                    Screen::Loaded { source, doc } => format!("{} · {}", source, doc.format.label()),
                    Screen::Loading(s) => s,
                    Screen::Server(s) => format!("MLflow server · {}", s.label()),
                    _ => String::new(),
                }}
            </span>
            <span class="tv-spacer"></span>
            <button class="tv-btn" on:click=move |_| {
                if let Some(i) = input_ref.get() {
                    i.click();
                }
            }>"Open file…"</button>
            <input
                node_ref=input_ref
                class="tv-hidden"
                type="file"
                accept=".json,.jsonl,.ndjson,.gz,application/json,application/gzip"
                on:change=on_change
            />
        </header>
    }
}
