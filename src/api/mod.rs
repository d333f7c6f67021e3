//! The MLflow tracking server's REST API: URLs, request bodies, response types, filter strings.
//! Everything here except `client` is pure and tested natively; `client` sends the requests (wasm).

#[cfg(target_arch = "wasm32")]
pub mod client;

/// Joins a server base URL (`http://host:5000`, `http://host/mlflow/`, or `""` for same origin) and a
/// path without doubling or dropping slashes.
pub fn join(server: &str, path: &str) -> String {
    let base = server.trim().trim_end_matches('/');
    let path = path.trim_start_matches('/');
    if base.is_empty() {
        path.to_string()
    } else {
        format!("{base}/{path}")
    }
}

/// Percent-encodes a query parameter value.
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The full trace (info + spans) as MLflow's own UI fetches it for traces in the tracking store.
pub fn trace_url(server: &str, trace_id: &str) -> String {
    join(
        server,
        &format!(
            "ajax-api/3.0/mlflow/traces/get?trace_id={}&allow_partial=true",
            encode_component(trace_id)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(
            join("http://h:5000/", "/ajax-api/x"),
            "http://h:5000/ajax-api/x"
        );
        assert_eq!(join("", "ajax-api/x"), "ajax-api/x");
        assert_eq!(
            trace_url("http://127.0.0.1:5000", "tr-abc"),
            "http://127.0.0.1:5000/ajax-api/3.0/mlflow/traces/get?trace_id=tr-abc&allow_partial=true"
        );
        assert_eq!(encode_component("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
    }
}
