//! The MLflow tracking server's REST API: URLs, request bodies, response parsing, filter strings and
//! errors. Everything here except `client` is pure and tested natively; `client` sends requests (wasm).
//!
//! Paths are the `ajax-api` ones MLflow's own UI calls (see ../shared/notes/mlflow-api.md §1).

#[cfg(target_arch = "wasm32")]
pub mod client;

use crate::model::parse::trace_info_from_json;
use crate::model::TraceInfo;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::fmt;

/// The server rejects more than 500 per page.
pub const MAX_PAGE: u32 = 500;

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

/// The full trace (info + spans) in one request, as MLflow's UI fetches traces in the tracking store.
pub fn trace_url(server: &str, trace_id: &str) -> String {
    join(
        server,
        &format!(
            "ajax-api/3.0/mlflow/traces/get?trace_id={}&allow_partial=true",
            encode_component(trace_id)
        ),
    )
}

/// A trace's info (with assessments) alone.
pub fn trace_info_url(server: &str, trace_id: &str) -> String {
    join(
        server,
        &format!("ajax-api/3.0/mlflow/traces/{}", encode_component(trace_id)),
    )
}

/// A trace's span data file (`{"spans": [...]}` in `Span.to_dict` form). Ajax-only route; measured an
/// order of magnitude faster than `traces/get` for 1k-span traces, so the viewer fetches this and the
/// info in parallel.
pub fn trace_spans_url(server: &str, trace_id: &str) -> String {
    join(
        server,
        &format!(
            "ajax-api/3.0/mlflow/get-trace-artifact?request_id={}",
            encode_component(trace_id)
        ),
    )
}

/// Reads `{"trace": {"trace_info": …}}` (the answer of [`trace_info_url`]).
pub fn parse_trace_info(body: &str) -> Result<TraceInfo, ApiError> {
    #[derive(Deserialize)]
    struct Inner<'a> {
        #[serde(borrow)]
        trace_info: &'a RawValue,
    }
    #[derive(Deserialize)]
    struct Resp<'a> {
        #[serde(borrow)]
        trace: Inner<'a>,
    }
    let r: Resp = serde_json::from_str(body).map_err(|e| ApiError::BadResponse(e.to_string()))?;
    trace_info_from_json(r.trace.trace_info.get()).map_err(|e| ApiError::BadResponse(e.to_string()))
}

pub fn search_traces_url(server: &str) -> String {
    join(server, "ajax-api/3.0/mlflow/traces/search")
}

pub fn search_experiments_url(server: &str) -> String {
    join(server, "ajax-api/2.0/mlflow/experiments/search")
}

pub fn get_experiment_url(server: &str, id: &str) -> String {
    join(
        server,
        &format!(
            "ajax-api/2.0/mlflow/experiments/get?experiment_id={}",
            encode_component(id)
        ),
    )
}

/// PATCH (set, body `{key, value}`) and DELETE (body `{key}`: a query string is ignored by the server).
pub fn trace_tags_url(server: &str, trace_id: &str) -> String {
    join(
        server,
        &format!(
            "ajax-api/3.0/mlflow/traces/{}/tags",
            encode_component(trace_id)
        ),
    )
}

/// Sort orders the server supports for traces (the ones MLflow's UI offers).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum TraceSort {
    #[default]
    NewestFirst,
    OldestFirst,
    SlowestFirst,
    FastestFirst,
}

impl TraceSort {
    pub const ALL: [TraceSort; 4] = [
        TraceSort::NewestFirst,
        TraceSort::OldestFirst,
        TraceSort::SlowestFirst,
        TraceSort::FastestFirst,
    ];
    pub fn order_by(self) -> &'static str {
        match self {
            TraceSort::NewestFirst => "timestamp DESC",
            TraceSort::OldestFirst => "timestamp ASC",
            TraceSort::SlowestFirst => "execution_time DESC",
            TraceSort::FastestFirst => "execution_time ASC",
        }
    }
    pub fn key(self) -> &'static str {
        match self {
            TraceSort::NewestFirst => "newest",
            TraceSort::OldestFirst => "oldest",
            TraceSort::SlowestFirst => "slowest",
            TraceSort::FastestFirst => "fastest",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            TraceSort::NewestFirst => "Newest first",
            TraceSort::OldestFirst => "Oldest first",
            TraceSort::SlowestFirst => "Slowest first",
            TraceSort::FastestFirst => "Fastest first",
        }
    }
    pub fn from_key(k: &str) -> TraceSort {
        TraceSort::ALL
            .into_iter()
            .find(|s| s.key() == k)
            .unwrap_or_default()
    }
}

#[derive(Serialize)]
struct ExperimentLocation<'a> {
    experiment_id: &'a str,
}

#[derive(Serialize)]
struct Location<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    mlflow_experiment: ExperimentLocation<'a>,
}

#[derive(Serialize)]
struct SearchTracesBody<'a> {
    locations: [Location<'a>; 1],
    #[serde(skip_serializing_if = "str::is_empty")]
    filter: &'a str,
    max_results: u32,
    order_by: [&'a str; 1],
    #[serde(skip_serializing_if = "Option::is_none")]
    page_token: Option<&'a str>,
}

/// The body of `POST traces/search`.
pub fn search_traces_body(
    experiment_id: &str,
    filter: &str,
    sort: TraceSort,
    page_size: u32,
    page_token: Option<&str>,
) -> String {
    let body = SearchTracesBody {
        locations: [Location {
            kind: "MLFLOW_EXPERIMENT",
            mlflow_experiment: ExperimentLocation { experiment_id },
        }],
        filter: filter.trim(),
        max_results: page_size.clamp(1, MAX_PAGE),
        order_by: [sort.order_by()],
        page_token: page_token.filter(|t| !t.is_empty()),
    };
    serde_json::to_string(&body).unwrap_or_default()
}

/// The body of `POST experiments/search` (active experiments, most recently updated first).
pub fn search_experiments_body(name_contains: &str, page_token: Option<&str>) -> String {
    let mut body = serde_json::json!({
        "max_results": 1000,
        "order_by": ["last_update_time DESC"],
        "view_type": "ACTIVE_ONLY",
    });
    let needle = name_contains.trim();
    if !needle.is_empty() {
        body["filter"] = serde_json::Value::String(format!("name ILIKE {}", quote_like(needle)));
    }
    if let Some(t) = page_token.filter(|t| !t.is_empty()) {
        body["page_token"] = serde_json::Value::String(t.to_string());
    }
    body.to_string()
}

pub fn set_tag_body(key: &str, value: &str) -> String {
    serde_json::json!({ "key": key, "value": value }).to_string()
}

pub fn delete_tag_body(key: &str) -> String {
    serde_json::json!({ "key": key }).to_string()
}

/// A page of trace infos.
#[derive(Clone, Debug, Default)]
pub struct TracePage {
    pub traces: Vec<TraceInfo>,
    pub next_page_token: Option<String>,
}

/// A tag that changed on the server since the viewer last read it: an edit would overwrite
/// someone else's change blindly, so it is not sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TagConflict {
    pub key: String,
    /// The value this page showed (None: the tag did not exist).
    pub seen: Option<String>,
    /// The value on the server now (None: deleted there).
    pub now: Option<String>,
}

impl fmt::Display for TagConflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let show = |v: &Option<String>| match v {
            Some(v) => format!("\"{}\"", crate::model::format::truncate_chars(v, 80)),
            None => "not set".into(),
        };
        write!(
            f,
            "Tag {} was changed on the server since this page read it (you saw {}, it is now {}), so \
             your edit was not saved. The tags now show the server's values; edit again to overwrite.",
            self.key,
            show(&self.seen),
            show(&self.now)
        )
    }
}

/// Compares the tag `key` as last read (`seen`) with the server's current tags (`now`).
pub fn tag_conflict(
    key: &str,
    seen: &[(String, String)],
    now: &[(String, String)],
) -> Option<TagConflict> {
    let get =
        |tags: &[(String, String)]| tags.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    let (seen, now) = (get(seen), get(now));
    (seen != now).then(|| TagConflict {
        key: key.to_string(),
        seen,
        now,
    })
}

/// Gathers every page of a search up to a limit, and stops — saying why — when a server's paging
/// misbehaves: a page token seen before, or a page with nothing new (the same traces again forever).
/// Traces are kept once each, so a repeated page cannot double-count a session's turns.
#[derive(Clone, Debug, Default)]
pub struct PageCollector {
    pub traces: Vec<TraceInfo>,
    /// More traces exist than the limit allowed.
    pub truncated: bool,
    /// Paging was stopped because the server's pages did not make progress.
    pub paging_problem: Option<String>,
    limit: usize,
    seen_ids: std::collections::HashSet<String>,
    seen_tokens: std::collections::HashSet<String>,
}

impl PageCollector {
    pub fn new(limit: usize) -> Self {
        PageCollector {
            limit,
            ..Default::default()
        }
    }

    /// Adds a page; returns the token of the next page to fetch, or `None` when done.
    pub fn add(&mut self, page: TracePage) -> Option<String> {
        let before = self.traces.len();
        for t in page.traces {
            if self.traces.len() >= self.limit {
                self.truncated = true;
                return None;
            }
            if self.seen_ids.insert(t.trace_id.clone()) {
                self.traces.push(t);
            }
        }
        let token = page.next_page_token?;
        if self.traces.len() >= self.limit {
            self.truncated = true;
            return None;
        }
        if self.traces.len() == before {
            self.paging_problem = Some(format!(
                "the server's next page held no new traces (after {}); paging stopped there",
                crate::model::format::plural(before as u64, "trace", "traces")
            ));
            return None;
        }
        if !self.seen_tokens.insert(token.clone()) {
            self.paging_problem = Some(format!(
                "the server sent a page token it had sent before (after {}); paging stopped there",
                crate::model::format::plural(self.traces.len() as u64, "trace", "traces")
            ));
            return None;
        }
        Some(token)
    }

    /// Most pages a collection can take: every page but the last must bring a new trace.
    pub fn max_pages(&self) -> usize {
        self.limit + 1
    }
}

pub fn parse_search_traces(body: &str) -> Result<TracePage, ApiError> {
    #[derive(Deserialize)]
    struct Resp<'a> {
        #[serde(borrow, default)]
        traces: Vec<&'a RawValue>,
        #[serde(default)]
        next_page_token: Option<String>,
    }
    let r: Resp = serde_json::from_str(body).map_err(|e| ApiError::BadResponse(e.to_string()))?;
    let traces = r
        .traces
        .iter()
        .map(|t| trace_info_from_json(t.get()).map_err(|e| ApiError::BadResponse(e.to_string())))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(TracePage {
        traces,
        next_page_token: r.next_page_token.filter(|t| !t.is_empty()),
    })
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct Experiment {
    pub experiment_id: String,
    pub name: String,
    #[serde(default)]
    pub lifecycle_stage: String,
    #[serde(default)]
    pub last_update_time: Option<u64>,
    #[serde(default)]
    pub creation_time: Option<u64>,
}

pub fn parse_experiments(body: &str) -> Result<(Vec<Experiment>, Option<String>), ApiError> {
    #[derive(Deserialize)]
    struct Resp {
        #[serde(default)]
        experiments: Vec<Experiment>,
        #[serde(default)]
        next_page_token: Option<String>,
    }
    let r: Resp = serde_json::from_str(body).map_err(|e| ApiError::BadResponse(e.to_string()))?;
    Ok((r.experiments, r.next_page_token.filter(|t| !t.is_empty())))
}

pub fn parse_experiment(body: &str) -> Result<Experiment, ApiError> {
    #[derive(Deserialize)]
    struct Resp {
        experiment: Experiment,
    }
    serde_json::from_str::<Resp>(body)
        .map(|r| r.experiment)
        .map_err(|e| ApiError::BadResponse(e.to_string()))
}

// ---------------------------------------------------------------------------------------------
// Filters

/// A single-quoted MLflow filter string literal. MLflow's filter parser has no escape for `'`, so a
/// value containing one cannot be matched exactly; callers use [`eq_or_like`] which falls back to LIKE
/// with `_` (any one character) in its place.
fn quote(value: &str) -> String {
    format!("'{value}'")
}

fn quote_like(value: &str) -> String {
    format!("'%{}%'", value.replace('\'', "_"))
}

/// `<lhs> = '<value>'`, or `<lhs> LIKE '<value with ' as _>'` when the value contains a quote.
fn eq_or_like(lhs: &str, value: &str) -> String {
    if value.contains('\'') {
        format!("{lhs} LIKE {}", quote(&value.replace('\'', "_")))
    } else {
        format!("{lhs} = {}", quote(value))
    }
}

/// A metadata/tag key in backticks (keys contain dots).
fn key(prefix: &str, k: &str) -> String {
    format!("{prefix}.`{}`", k.replace('`', ""))
}

/// The quick filters of the trace list, turned into MLflow filter syntax (clauses joined by AND).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct QuickFilters {
    /// `OK`, `ERROR` or `IN_PROGRESS`.
    pub status: Option<String>,
    pub session: Option<String>,
    pub user: Option<String>,
    /// Free text searched in span content (`trace.text ILIKE`), or a trace id.
    pub text: Option<String>,
}

impl QuickFilters {
    pub fn clauses(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(s) = self.status.as_deref().filter(|s| !s.is_empty()) {
            out.push(format!("trace.status = {}", quote(&s.replace('\'', ""))));
        }
        if let Some(s) = self.session.as_deref().filter(|s| !s.is_empty()) {
            out.push(eq_or_like(&key("metadata", "mlflow.trace.session"), s));
        }
        if let Some(u) = self.user.as_deref().filter(|s| !s.is_empty()) {
            out.push(eq_or_like(&key("metadata", "mlflow.trace.user"), u));
        }
        if let Some(t) = self
            .text
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            let is_id = t.len() == 35
                && t.starts_with("tr-")
                && t[3..].bytes().all(|b| b.is_ascii_hexdigit());
            if is_id {
                out.push(format!("trace.request_id = {}", quote(t)));
            } else {
                out.push(format!("trace.text ILIKE {}", quote_like(t)));
            }
        }
        out
    }
}

/// Joins a hand-written filter and quick-filter clauses with AND (MLflow has no OR).
pub fn combine_filter(typed: &str, quick: &QuickFilters) -> String {
    let mut parts: Vec<String> = Vec::new();
    if !typed.trim().is_empty() {
        parts.push(typed.trim().to_string());
    }
    parts.extend(quick.clauses());
    parts.join(" AND ")
}

/// The filter of one session's turns.
pub fn session_filter(session: &str) -> String {
    eq_or_like(&key("metadata", "mlflow.trace.session"), session)
}

/// Traces that belong to any session.
pub fn any_session_filter() -> String {
    format!("{} IS NOT NULL", key("metadata", "mlflow.trace.session"))
}

// ---------------------------------------------------------------------------------------------
// Errors

/// Why a request failed, in terms a person can act on.
#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// fetch() itself failed: server down, wrong address, or a cross-origin refusal (the browser does
    /// not say which).
    Network {
        server: String,
        detail: String,
    },
    Timeout {
        seconds: u32,
    },
    /// 401/403: sign in (basic auth) or the server refused this origin/host.
    Auth {
        status: u16,
        message: String,
    },
    /// The server answered with an MLflow error (bad filter, not found, …).
    Server {
        status: u16,
        code: String,
        message: String,
    },
    /// 404 with a non-MLflow body: not an MLflow server (or an old one) at this address.
    NotMlflow {
        status: u16,
        url: String,
    },
    BadResponse(String),
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Network { server, detail } => write!(
                f,
                "Could not reach the MLflow server at {server} ({detail}). Is it running? If the viewer is \
                 served from another origin, start the server with --cors-allowed-origins <this page's origin>."
            ),
            ApiError::Timeout { seconds } => {
                write!(f, "The MLflow server did not answer within {seconds} s. It may be overloaded; try again.")
            }
            ApiError::Auth { status: 401, .. } => write!(
                f,
                "Sign-in required (401): this MLflow server uses authentication. Sign in to it in this browser \
                 (the sign-in button opens one of its pages, where the browser asks for your user name and \
                 password), then retry. trace-view itself never sees or stores the password."
            ),
            ApiError::Auth { status, message } if is_origin_refusal(message) => write!(
                f,
                "The server refused the request ({status}): {message}. Start mlflow server with \
                 --cors-allowed-origins / --allowed-hosts that include this page."
            ),
            ApiError::Auth { status, message } => write!(
                f,
                "Access denied ({status}: {message}): you are signed in, but this user may not see or change \
                 this. Ask an administrator of the MLflow server for permission on the experiment, or sign \
                 in as another user."
            ),
            ApiError::Server { status, code, message } if code == "RESOURCE_DOES_NOT_EXIST" => write!(
                f,
                "{message} ({code}, HTTP {status}). It may have been deleted, or the link may be for \
                 another server or experiment."
            ),
            ApiError::Server { status, code, message } => write!(f, "{message} ({code}, HTTP {status})"),
            ApiError::NotMlflow { status, url } => write!(
                f,
                "No MLflow API at {url} (HTTP {status}). Check the server address (?server=…) — it should be \
                 the address of `mlflow server`, which must be version 3.x."
            ),
            ApiError::BadResponse(d) => write!(f, "The server's answer could not be read: {d}"),
        }
    }
}

/// MLflow's host and CORS guards answer 403 too ("Invalid Host header…", "Cross-origin request blocked").
fn is_origin_refusal(message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    ["origin", "host header", "cors"]
        .iter()
        .any(|w| m.contains(w))
}

impl ApiError {
    /// 401: the server wants credentials this browser has not given.
    pub fn is_sign_in_required(&self) -> bool {
        matches!(self, ApiError::Auth { status: 401, .. })
    }

    /// A short title for the error panel.
    pub fn title(&self) -> &'static str {
        match self {
            ApiError::Auth { status: 401, .. } => "Sign in required",
            ApiError::Auth { message, .. } if !is_origin_refusal(message) => "Access denied",
            _ => "Could not load from the MLflow server",
        }
    }
}

/// Turns an HTTP error status and body into an [`ApiError`].
pub fn error_from_response(status: u16, body: &str, url: &str) -> ApiError {
    #[derive(Deserialize)]
    struct Body {
        #[serde(default)]
        error_code: String,
        #[serde(default)]
        message: String,
    }
    let parsed = serde_json::from_str::<Body>(body)
        .ok()
        .filter(|b| !b.message.is_empty() || !b.error_code.is_empty());
    match (status, parsed) {
        (401, _) => ApiError::Auth {
            status,
            message: first_line(body),
        },
        (403, Some(b)) => ApiError::Auth {
            status,
            message: b.message,
        },
        (403, None) => ApiError::Auth {
            status,
            message: first_line(body),
        },
        (_, Some(b)) => ApiError::Server {
            status,
            code: b.error_code,
            message: b.message,
        },
        (404 | 405, None) => ApiError::NotMlflow {
            status,
            url: url.to_string(),
        },
        (_, None) => ApiError::Server {
            status,
            code: "HTTP_ERROR".into(),
            message: first_line(body),
        },
    }
}

fn first_line(body: &str) -> String {
    let t = body.trim();
    let line = t.lines().next().unwrap_or("").trim();
    if line.is_empty() {
        "no details".into()
    } else {
        crate::model::format::truncate_chars(line, 300)
    }
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
        assert_eq!(
            trace_tags_url("", "tr-1"),
            "ajax-api/3.0/mlflow/traces/tr-1/tags"
        );
    }

    #[test]
    fn search_body_has_location_filter_order_and_token() {
        let b: serde_json::Value = serde_json::from_str(&search_traces_body(
            "7",
            " tag.a = 'b' ",
            TraceSort::SlowestFirst,
            900,
            Some("tok"),
        ))
        .unwrap();
        assert_eq!(
            b,
            serde_json::json!({
                "locations": [{"type": "MLFLOW_EXPERIMENT", "mlflow_experiment": {"experiment_id": "7"}}],
                "filter": "tag.a = 'b'", "max_results": 500, "order_by": ["execution_time DESC"], "page_token": "tok"
            })
        );
        let b: serde_json::Value = serde_json::from_str(&search_traces_body(
            "7",
            "",
            TraceSort::NewestFirst,
            50,
            Some(""),
        ))
        .unwrap();
        assert!(b.get("filter").is_none() && b.get("page_token").is_none());
    }

    #[test]
    fn quick_filters_build_mlflow_syntax() {
        let q = QuickFilters {
            status: Some("ERROR".into()),
            session: Some("s-1".into()),
            user: Some("o'brien".into()),
            text: Some("Paris".into()),
        };
        assert_eq!(
            combine_filter("tag.env = 'demo'", &q),
            "tag.env = 'demo' AND trace.status = 'ERROR' AND metadata.`mlflow.trace.session` = 's-1' AND \
             metadata.`mlflow.trace.user` LIKE 'o_brien' AND trace.text ILIKE '%Paris%'"
        );
        let id = QuickFilters {
            text: Some("tr-0123456789abcdef0123456789abcdef".into()),
            ..Default::default()
        };
        assert_eq!(
            combine_filter("", &id),
            "trace.request_id = 'tr-0123456789abcdef0123456789abcdef'"
        );
        assert_eq!(combine_filter("  ", &QuickFilters::default()), "");
        assert_eq!(
            session_filter("a`b"),
            "metadata.`mlflow.trace.session` = 'a`b'"
        );
    }

    #[test]
    fn parses_real_search_pages() {
        let page1 = include_str!("../../tests/fixtures/rest/traces_search_page1.json");
        let p = parse_search_traces(page1).unwrap();
        assert!(!p.traces.is_empty());
        assert!(p.next_page_token.is_some());
        assert!(p.traces.iter().all(|t| t.trace_id.starts_with("tr-")));
        assert!(p.traces[0].request_time_ms.is_some());
        let empty = parse_search_traces("{}").unwrap();
        assert!(empty.traces.is_empty() && empty.next_page_token.is_none());
    }

    #[test]
    fn trace_info_response() {
        let body = include_str!("../../tests/fixtures/rest/trace_info.json");
        let info = parse_trace_info(body).unwrap();
        assert!(info.trace_id.starts_with("tr-"));
        assert!(!info.tags.is_empty());
        assert_eq!(
            trace_spans_url("", "tr-1"),
            "ajax-api/3.0/mlflow/get-trace-artifact?request_id=tr-1"
        );
    }

    #[test]
    fn errors_are_actionable() {
        let e = error_from_response(
            400,
            r#"{"error_code": "INVALID_PARAMETER_VALUE", "message": "Invalid clause(s) in filter string: 'OR'"}"#,
            "x",
        );
        assert_eq!(
            e.to_string(),
            "Invalid clause(s) in filter string: 'OR' (INVALID_PARAMETER_VALUE, HTTP 400)"
        );
        assert!(error_from_response(401, "You are not authenticated.", "x")
            .to_string()
            .starts_with("Sign-in required"));
        assert!(matches!(
            error_from_response(404, "<html>Not Found</html>", "u"),
            ApiError::NotMlflow { .. }
        ));
        assert!(error_from_response(500, "", "u")
            .to_string()
            .contains("no details"));
    }

    fn page(ids: &[&str], next: Option<&str>) -> TracePage {
        TracePage {
            traces: ids
                .iter()
                .map(|id| TraceInfo {
                    trace_id: id.to_string(),
                    ..Default::default()
                })
                .collect(),
            next_page_token: next.map(str::to_string),
        }
    }

    #[test]
    fn paging_collects_every_page_once() {
        let mut c = PageCollector::new(100);
        assert_eq!(c.add(page(&["a", "b"], Some("t1"))).as_deref(), Some("t1"));
        assert_eq!(c.add(page(&["c"], None)), None);
        assert_eq!(c.traces.len(), 3);
        assert!(!c.truncated && c.paging_problem.is_none());
    }

    #[test]
    fn paging_stops_at_the_limit_and_says_so() {
        let mut c = PageCollector::new(3);
        assert!(c.add(page(&["a", "b"], Some("t1"))).is_some());
        assert_eq!(c.add(page(&["c", "d"], Some("t2"))), None);
        assert_eq!(c.traces.len(), 3);
        assert!(c.truncated);
    }

    #[test]
    fn a_page_token_that_never_ends_is_stopped() {
        // The same page with a new token each time: no progress after the first page.
        let mut c = PageCollector::new(5000);
        let mut pages = 0;
        let mut token = Some("t0".to_string());
        while token.is_some() && pages < c.max_pages() {
            pages += 1;
            token = c.add(page(&["a", "b"], Some(&format!("t{pages}"))));
        }
        assert_eq!(pages, 2);
        assert_eq!(c.traces.len(), 2, "no trace is counted twice");
        assert!(c
            .paging_problem
            .as_deref()
            .unwrap()
            .starts_with("the server's next page held no new traces (after 2 traces)"));
        // New traces on every page, but the token repeats.
        let mut c = PageCollector::new(5000);
        assert!(c.add(page(&["a"], Some("same"))).is_some());
        assert_eq!(c.add(page(&["b"], Some("same"))), None);
        assert!(c
            .paging_problem
            .as_deref()
            .unwrap()
            .contains("page token it had sent before"));
        // An empty page with a token: nothing new, stop.
        let mut c = PageCollector::new(5000);
        assert_eq!(c.add(page(&[], Some("t"))), None);
        assert!(c.paging_problem.is_some());
    }

    #[test]
    fn tag_conflicts_are_changes_of_the_edited_key_only() {
        let t = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        let seen = t(&[("env", "dev"), ("owner", "ann")]);
        // Someone else changed another key: no conflict for ours.
        assert_eq!(
            tag_conflict("env", &seen, &t(&[("env", "dev"), ("owner", "bob")])),
            None
        );
        let c = tag_conflict("env", &seen, &t(&[("env", "prod")])).unwrap();
        assert_eq!(
            (c.seen.as_deref(), c.now.as_deref()),
            (Some("dev"), Some("prod"))
        );
        assert!(c.to_string().starts_with(
            "Tag env was changed on the server since this page read it (you saw \"dev\", it is now \"prod\")"
        ));
        // Added or deleted elsewhere.
        assert!(tag_conflict("new", &seen, &t(&[("new", "x")]))
            .unwrap()
            .to_string()
            .contains("you saw not set"));
        assert_eq!(
            tag_conflict("owner", &seen, &t(&[("env", "dev")]))
                .unwrap()
                .now,
            None
        );
    }
}
