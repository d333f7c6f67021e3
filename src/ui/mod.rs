//! Leptos components (wasm only). They read the model and the layout; they never parse or fetch.
//! Loading lives at the edge, in `loader`; routing (query parameters) in `app`.
//!
//! Invariant: trace text is inserted as text nodes only — never as markup (tests/architecture.rs checks).

pub mod app;
pub mod chat;
pub mod detail;
pub mod header;
pub mod icons;
pub mod json;
pub mod loader;
pub mod panels;
pub mod server;
pub mod timeline;
pub mod trace_list;
pub mod trace_view;
pub mod tree;

use wasm_bindgen::JsCast;

/// Copies text to the clipboard; failures (no permission, insecure context) are ignored on purpose:
/// the text is also visible and selectable.
pub fn copy_to_clipboard(text: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.navigator().clipboard().write_text(text);
    }
}

/// Offers `bytes` as a file download named `name`.
pub fn download(name: &str, mime: &str, text: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Ok(a) = doc.create_element("a") {
        let a: web_sys::HtmlElement = a.unchecked_into();
        let _ = a.set_attribute("href", &url);
        let _ = a.set_attribute("download", name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}
