//! The `<trace-view>` custom element: the same viewer, embeddable in any page with one script tag.
//!
//! A small JS class (below) forwards the element's lifecycle to [`render_element`], which reads the
//! element's inputs, mounts the Leptos viewer into a shadow root (styles inside, so the host page's
//! CSS neither breaks it nor is touched by it) and reports back with DOM events:
//! `load` (detail: traceId, spans, traces), `error` (detail: message), `span-select` (detail: spanId, name).
//!
//! Inputs, in order of precedence: the `trace` JS property (object or JSON text), an inline
//! `<script type="application/json">` child, `src="<url>"`, `server="<mlflow url>" trace-id="tr-…"`.
//! Options: `height`, `theme="light|dark|auto"`, `view="tree|timeline|both"`, `selected-span`.

use crate::model::{parse_bytes, Document};
use crate::ui::panels::ErrorPanel;
use crate::ui::trace_list::TraceList;
use crate::ui::trace_view::{Panes, TraceView, ViewOptions};
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use std::sync::Arc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The viewer's stylesheet, placed inside each element's shadow root.
const STYLE: &str = include_str!("../../style/trace-view.css");

#[wasm_bindgen(inline_js = r#"
export function define_trace_view(render) {
  if (customElements.get('trace-view')) return false;
  class TraceViewElement extends HTMLElement {
    static get observedAttributes() {
      return ['src', 'server', 'trace-id', 'height', 'theme', 'view', 'selected-span'];
    }
    constructor() {
      super(); this._handle = null; this._trace = undefined; this._queued = false;
      // A page may set el.trace before this class is defined (the wasm still loading): that made an
      // own property hiding the accessor. Move it behind the accessor (the usual upgrade pattern).
      if (Object.prototype.hasOwnProperty.call(this, 'trace')) {
        const early = this.trace; delete this.trace; this._trace = early;
      }
    }
    connectedCallback() { this._schedule(); }
    disconnectedCallback() { this._unmount(); }
    attributeChangedCallback(name, oldValue, newValue) { if (oldValue !== newValue && this.isConnected) this._schedule(); }
    get trace() { return this._trace; }
    set trace(value) { this._trace = value; if (this.isConnected) this._schedule(); }
    _unmount() { if (this._handle) { this._handle.free(); this._handle = null; } }
    // Several attribute changes in one task re-render once.
    _schedule() {
      if (this._queued) return;
      this._queued = true;
      queueMicrotask(() => {
        this._queued = false;
        if (!this.isConnected) return;
        this._unmount();
        const t = this._trace;
        const json = t === undefined || t === null ? null : (typeof t === 'string' ? t : JSON.stringify(t));
        this._handle = render(this, json);
      });
    }
  }
  customElements.define('trace-view', TraceViewElement);
  return true;
}
"#)]
extern "C" {
    fn define_trace_view(render: &js_sys::Function) -> bool;
}

/// Registers `<trace-view>` once per page.
pub fn register() {
    let render = Closure::<dyn Fn(web_sys::HtmlElement, Option<String>) -> ElementHandle>::new(
        render_element,
    );
    define_trace_view(render.as_ref().unchecked_ref());
    // The element class keeps calling this for the page's lifetime.
    render.forget();
}

/// Owns one element's mounted view; the element frees it on disconnect or re-render.
#[wasm_bindgen]
pub struct ElementHandle {
    _mount: Option<leptos::mount::UnmountHandle<leptos::tachys::view::any_view::AnyViewState>>,
}

/// Where an element's trace comes from.
#[derive(Clone)]
enum Input {
    Text(String),
    Url(String),
    Missing(String),
}

fn read_input(host: &web_sys::HtmlElement, property: Option<String>) -> Input {
    if let Some(json) = property {
        return Input::Text(json);
    }
    if let Ok(Some(script)) = host.query_selector(":scope > script[type='application/json']") {
        return Input::Text(script.text_content().unwrap_or_default());
    }
    if let Some(src) = host.get_attribute("src").filter(|s| !s.is_empty()) {
        return Input::Url(src);
    }
    match (host.get_attribute("server"), host.get_attribute("trace-id")) {
        (Some(server), Some(id)) if !id.is_empty() => Input::Url(crate::api::trace_url(&server, &id)),
        (Some(_), _) => Input::Missing("the element has a server but no trace-id attribute".into()),
        _ => Input::Missing(
            "no trace given: set src=\"<url>\", server + trace-id, an inline <script type=\"application/json\"> child, or the trace property"
                .into(),
        ),
    }
}

fn dispatch(host: &web_sys::HtmlElement, name: &str, detail: &js_sys::Object) {
    let init = web_sys::CustomEventInit::new();
    init.set_detail(detail);
    init.set_bubbles(true);
    init.set_composed(true);
    if let Ok(ev) = web_sys::CustomEvent::new_with_event_init_dict(name, &init) {
        let _ = host.dispatch_event(&ev);
    }
}

fn detail(pairs: &[(&str, JsValue)]) -> js_sys::Object {
    let o = js_sys::Object::new();
    for (k, v) in pairs {
        let _ = js_sys::Reflect::set(&o, &JsValue::from_str(k), v);
    }
    o
}

/// Mounts the viewer for one element (called by the JS class).
pub fn render_element(host: web_sys::HtmlElement, property: Option<String>) -> ElementHandle {
    let shadow = match host.shadow_root() {
        Some(s) => s,
        None => {
            match host.attach_shadow(&web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open)) {
                Ok(s) => s,
                Err(_) => return ElementHandle { _mount: None },
            }
        }
    };
    shadow.set_text_content(None);
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return ElementHandle { _mount: None };
    };
    if let Ok(style) = doc.create_element("style") {
        style.set_text_content(Some(STYLE));
        let _ = shadow.append_child(&style);
    }
    let Ok(container) = doc.create_element("div") else {
        return ElementHandle { _mount: None };
    };
    let height = host
        .get_attribute("height")
        .filter(|h| !h.trim().is_empty())
        .unwrap_or_else(|| "600px".into());
    let height = if height.trim().chars().all(|c| c.is_ascii_digit()) {
        format!("{}px", height.trim())
    } else {
        height
    };
    let theme = match host.get_attribute("theme").as_deref() {
        Some("dark") => "tv-theme-dark",
        Some("auto") => "tv-theme-auto",
        _ => "tv-theme-light",
    };
    let _ = container.set_attribute("class", &format!("tv-root tv-embed {theme}"));
    let _ = container.set_attribute("style", &format!("height: {height}"));
    let _ = shadow.append_child(&container);
    let container: web_sys::HtmlElement = container.unchecked_into();

    let input = read_input(&host, property);
    let options = ElementOptions {
        panes: Panes::parse(&host.get_attribute("view").unwrap_or_default()),
        selected: host.get_attribute("selected-span"),
        host: SendWrapper::new(host),
    };
    let handle = leptos::mount::mount_to(container, move || {
        view! { <Embedded input=input.clone() options=options.clone() /> }.into_any()
    });
    ElementHandle {
        _mount: Some(handle),
    }
}

#[derive(Clone)]
struct ElementOptions {
    panes: Panes,
    selected: Option<String>,
    host: SendWrapper<web_sys::HtmlElement>,
}

#[derive(Clone)]
enum State {
    Loading,
    Failed(String),
    Ready(Arc<Document>),
}

#[component]
fn Embedded(input: Input, options: ElementOptions) -> impl IntoView {
    let state = RwSignal::new(State::Loading);
    let host = options.host.clone();
    let finish = move |result: Result<Document, String>| match result {
        Ok(doc) => {
            let first = doc
                .traces
                .first()
                .map(|t| t.info.trace_id.clone())
                .unwrap_or_default();
            dispatch(
                &host,
                "load",
                &detail(&[
                    ("traceId", first.into()),
                    ("spans", (doc.span_count() as f64).into()),
                    ("traces", (doc.traces.len() as f64).into()),
                ]),
            );
            state.set(State::Ready(Arc::new(doc)));
        }
        Err(message) => {
            dispatch(
                &host,
                "error",
                &detail(&[("message", message.clone().into())]),
            );
            state.set(State::Failed(message));
        }
    };
    match input {
        Input::Text(text) => finish(parse_bytes(text.as_bytes()).map_err(|e| e.to_string())),
        Input::Missing(message) => finish(Err(message)),
        Input::Url(url) => leptos::task::spawn_local(async move {
            let result = match crate::ui::loader::fetch_bytes(&url).await {
                Ok(bytes) => crate::model::parse_owned(bytes).map_err(|e| e.to_string()),
                Err(e) => Err(e),
            };
            finish(result);
        }),
    }
    let opened: RwSignal<Option<usize>> = RwSignal::new(None);
    view! {
        <div class="tv-app tv-embedded">
            {move || match state.get() {
                State::Loading => view! { <div class="tv-panel tv-loading"><div class="tv-spinner"></div>"Loading trace…"</div> }.into_any(),
                State::Failed(message) => view! { <ErrorPanel source="trace-view".to_string() message=message /> }.into_any(),
                State::Ready(doc) => {
                    let single = doc.traces.len() == 1;
                    match (single, opened.get()) {
                        (true, _) | (false, Some(_)) => {
                            let i = opened.get().unwrap_or(0);
                            let trace = Arc::new(doc.traces[i].clone());
                            let host = options.host.clone();
                            let on_select: crate::ui::trace_view::OnSelect = Arc::new(move |id: String, name: String| {
                                dispatch(&host, "span-select", &detail(&[("spanId", id.into()), ("name", name.into())]));
                            });
                            let view_opts = ViewOptions {
                                url_sync: false,
                                initial_span: options.selected.clone(),
                                on_select: Some(on_select),
                                panes: options.panes,
                                hide_tags: false,
                            };
                            let back = (!single).then_some(move || opened.set(None));
                            view! { <TraceView trace=trace on_back=back options=view_opts /> }.into_any()
                        }
                        (false, None) => view! {
                            <TraceList doc=doc.clone() source="".to_string() on_open=move |i: usize| opened.set(Some(i)) />
                        }.into_any(),
                    }
                }
            }}
        </div>
    }
}
