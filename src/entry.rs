//! wasm entry point: register `<trace-view>`, and mount the SPA when the page asks for it.

use crate::ui::app::App;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    crate::embed::register();
    // SPA mode: index.html marks its mount point with data-trace-view-app.
    let mount = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("[data-trace-view-app]").ok().flatten());
    if let Some(el) = mount {
        use wasm_bindgen::JsCast;
        leptos::mount::mount_to(el.unchecked_into::<web_sys::HtmlElement>(), App).forget();
    }
}

/// Parses a document and returns its span count, without rendering (used by the benchmark to compare
/// the parser's throughput with the browser's own `JSON.parse` on the same bytes).
#[wasm_bindgen]
pub fn parse_span_count(bytes: &[u8]) -> Result<u32, JsValue> {
    crate::model::parse_bytes(bytes)
        .map(|d| d.span_count() as u32)
        .map_err(|e| JsValue::from_str(&e.to_string()))
}
