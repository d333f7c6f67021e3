//! The edge where bytes come in: URLs (`?src=`), picked files and dropped files.
//! Everything returns bytes or a message a person can act on; parsing happens in the model.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Fetches a URL's body as bytes.
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
    resp.binary()
        .await
        .map_err(|e| format!("could not read the response from {url}: {e}"))
}

/// Reads a `File` (picked or dropped) into bytes.
pub async fn read_file(file: &web_sys::File) -> Result<Vec<u8>, String> {
    let buf = JsFuture::from(file.array_buffer()).await.map_err(|e| {
        format!(
            "could not read {}: {:?}",
            file.name(),
            e.as_string().unwrap_or_default()
        )
    })?;
    let buf: js_sys::ArrayBuffer = buf
        .dyn_into()
        .map_err(|_| format!("could not read {}", file.name()))?;
    Ok(js_sys::Uint8Array::new(&buf).to_vec())
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
