//! The edge where bytes come in: URLs (`?src=`), picked files and dropped files.
//! Everything returns bytes or a message a person can act on; parsing happens in the model.

use crate::model::parse::{check_input_size, check_streamed_size, MAX_INPUT_BYTES};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Fetches a URL's body as bytes, streamed straight into wasm memory (no whole-file JS buffer beside
/// it) and refused past [`MAX_INPUT_BYTES`] — by its declared length before reading, else as it arrives.
pub async fn fetch_bytes(url: &str) -> Result<Vec<u8>, String> {
    let resp = gloo_net::http::Request::get(url).send().await.map_err(|e| {
        format!(
            "could not fetch {url}: {e}. Check that the address is right and that the server is running \
             (and, for another origin, that it allows cross-origin requests)."
        )
    })?;
    if !resp.ok() {
        return Err(format!(
            "the server answered {} {} for {url}",
            resp.status(),
            resp.status_text()
        ));
    }
    // With Content-Encoding the declared length is the compressed size: a hint, checked again while reading.
    let declared = resp
        .headers()
        .get("content-length")
        .and_then(|v| v.trim().parse::<u64>().ok());
    if let Some(n) = declared {
        check_input_size(url, n).map_err(|e| e.to_string())?;
    }
    match resp.body() {
        Some(body) => read_stream(body, declared, url).await,
        None => Ok(Vec::new()),
    }
}

/// Reads a `File` (picked or dropped) into bytes; a file over [`MAX_INPUT_BYTES`] is refused unread.
pub async fn read_file(file: &web_sys::File) -> Result<Vec<u8>, String> {
    let name = file.name();
    let size = file.size() as u64;
    check_input_size(&name, size).map_err(|e| e.to_string())?;
    read_stream(file.stream(), Some(size), &name).await
}

/// Copies a byte stream chunk by chunk into one Vec, sized up front when the length is known.
async fn read_stream(
    stream: web_sys::ReadableStream,
    size_hint: Option<u64>,
    what: &str,
) -> Result<Vec<u8>, String> {
    let reader: web_sys::ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    let mut out = Vec::with_capacity(size_hint.unwrap_or(0).min(MAX_INPUT_BYTES) as usize);
    let (done_key, value_key) = (JsValue::from_str("done"), JsValue::from_str("value"));
    loop {
        let step = JsFuture::from(reader.read())
            .await
            .map_err(|e| format!("could not read {what}: {}", js_error_text(&e)))?;
        let done = js_sys::Reflect::get(&step, &done_key)
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(true);
        if done {
            return Ok(out);
        }
        let chunk: js_sys::Uint8Array = js_sys::Reflect::get(&step, &value_key)
            .ok()
            .and_then(|v| v.dyn_into().ok())
            .ok_or_else(|| {
                format!("could not read {what}: the stream gave something other than bytes")
            })?;
        let len = chunk.length() as usize;
        if let Err(e) = check_streamed_size(what, (out.len() + len) as u64) {
            let _ = reader.cancel();
            return Err(e.to_string());
        }
        let start = out.len();
        out.resize(start + len, 0);
        chunk.copy_to(&mut out[start..]);
    }
}

fn js_error_text(e: &JsValue) -> String {
    e.as_string()
        .or_else(|| {
            js_sys::Reflect::get(e, &JsValue::from_str("message"))
                .ok()
                .and_then(|m| m.as_string())
        })
        .unwrap_or_else(|| "the browser gave no reason".into())
}

/// Reads a query parameter of the current page.
pub fn query_param(name: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok()?;
    params.get(name).filter(|v| !v.is_empty())
}

/// Sets (or with `None` removes) a query parameter without reloading, so the address is a deep link.
pub fn set_query_param(name: &str, value: Option<&str>) {
    let Some(w) = web_sys::window() else { return };
    let Ok(href) = w.location().href() else {
        return;
    };
    let Ok(url) = web_sys::Url::new(&href) else {
        return;
    };
    match value {
        Some(v) => url.search_params().set(name, v),
        None => url.search_params().delete(name),
    }
    if let Ok(history) = w.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url.href()));
    }
}

/// A macrotask boundary (setTimeout 0): the browser paints and handles input before the caller goes on.
pub async fn yield_to_browser() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
        }
    });
    let _ = JsFuture::from(promise).await;
}
