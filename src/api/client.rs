//! Sends requests to an MLflow server from the browser (gloo-net), with a timeout, and turns every
//! failure into an [`ApiError`]. Credentials (basic auth, cookies) are whatever the browser holds for
//! the server; nothing is stored by the viewer.

use super::*;
use crate::model::{parse_bytes, Document};
use gloo_net::http::{Method, RequestBuilder};
use wasm_bindgen::JsCast;

/// Requests that take longer than this are abandoned with a clear message (`?timeout=<s>` overrides it,
/// which the fault tests use).
pub const TIMEOUT_SECONDS: u32 = 30;

fn timeout_seconds() -> u32 {
    crate::ui::loader::query_param("timeout")
        .and_then(|t| t.parse().ok())
        .filter(|t| *t > 0)
        .unwrap_or(TIMEOUT_SECONDS)
}

/// A server to talk to: `""` means the origin the viewer is served from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Server {
    pub base: String,
}

impl Server {
    pub fn label(&self) -> String {
        if self.base.is_empty() {
            web_sys::window()
                .and_then(|w| w.location().origin().ok())
                .unwrap_or_else(|| "this origin".into())
        } else {
            self.base.clone()
        }
    }

    async fn send(
        &self,
        method: Method,
        url: &str,
        body: Option<String>,
    ) -> Result<Vec<u8>, ApiError> {
        let controller = web_sys::AbortController::new().ok();
        let mut builder = RequestBuilder::new(url).method(method);
        if let Some(c) = &controller {
            builder = builder.abort_signal(Some(&c.signal()));
        }
        // Abort after the timeout; the flag tells a timeout from other network errors.
        let timed_out = std::rc::Rc::new(std::cell::Cell::new(false));
        let timer = controller.clone().and_then(|c| {
            let flag = timed_out.clone();
            let cb = wasm_bindgen::closure::Closure::once_into_js(move || {
                flag.set(true);
                c.abort();
            });
            web_sys::window()?
                .set_timeout_with_callback_and_timeout_and_arguments_0(
                    cb.unchecked_ref(),
                    (timeout_seconds() * 1000) as i32,
                )
                .ok()
        });
        let request = match body {
            Some(b) => builder.header("Content-Type", "application/json").body(b),
            None => builder.build(),
        }
        .map_err(|e| ApiError::BadResponse(e.to_string()))?;
        let result = request.send().await;
        if let (Some(t), Some(w)) = (timer, web_sys::window()) {
            w.clear_timeout_with_handle(t);
        }
        let resp = match result {
            Ok(r) => r,
            Err(_) if timed_out.get() => {
                return Err(ApiError::Timeout {
                    seconds: timeout_seconds(),
                })
            }
            Err(e) => {
                return Err(ApiError::Network {
                    server: self.label(),
                    detail: e.to_string(),
                })
            }
        };
        let status = resp.status();
        let bytes = resp.binary().await.map_err(|e| {
            if timed_out.get() {
                ApiError::Timeout {
                    seconds: timeout_seconds(),
                }
            } else {
                ApiError::Network {
                    server: self.label(),
                    detail: e.to_string(),
                }
            }
        })?;
        if (200..300).contains(&status) {
            Ok(bytes)
        } else {
            Err(error_from_response(
                status,
                &String::from_utf8_lossy(&bytes),
                url,
            ))
        }
    }

    async fn text(
        &self,
        method: Method,
        url: &str,
        body: Option<String>,
    ) -> Result<String, ApiError> {
        let bytes = self.send(method, url, body).await?;
        String::from_utf8(bytes)
            .map_err(|_| ApiError::BadResponse("the answer is not UTF-8 text".into()))
    }

    pub async fn search_experiments(
        &self,
        name_contains: &str,
    ) -> Result<Vec<Experiment>, ApiError> {
        let body = search_experiments_body(name_contains, None);
        let text = self
            .text(
                Method::POST,
                &search_experiments_url(&self.base),
                Some(body),
            )
            .await?;
        parse_experiments(&text).map(|(e, _)| e)
    }

    pub async fn get_experiment(&self, id: &str) -> Result<Experiment, ApiError> {
        let text = self
            .text(Method::GET, &get_experiment_url(&self.base, id), None)
            .await?;
        parse_experiment(&text)
    }

    pub async fn search_traces(
        &self,
        experiment_id: &str,
        filter: &str,
        sort: TraceSort,
        page_size: u32,
        page_token: Option<&str>,
    ) -> Result<TracePage, ApiError> {
        let body = search_traces_body(experiment_id, filter, sort, page_size, page_token);
        let text = self
            .text(Method::POST, &search_traces_url(&self.base), Some(body))
            .await?;
        parse_search_traces(&text)
    }

    /// Every page of a search, up to `limit` traces (sessions are derived from these); see
    /// [`PageCollector`] for how a server whose paging never ends is stopped.
    pub async fn search_all_traces(
        &self,
        experiment_id: &str,
        filter: &str,
        sort: TraceSort,
        limit: usize,
    ) -> Result<PageCollector, ApiError> {
        let mut pages = PageCollector::new(limit);
        let mut token: Option<String> = None;
        for _ in 0..pages.max_pages() {
            let page = self
                .search_traces(experiment_id, filter, sort, MAX_PAGE, token.as_deref())
                .await?;
            token = pages.add(page);
            if token.is_none() {
                break;
            }
        }
        Ok(pages)
    }

    /// A full trace: info and spans in one request.
    /// A full trace: the info and the span file, fetched in parallel (one round trip of latency).
    /// Falls back to `traces/get` if the span file route is missing (a proxy that only forwards /api/).
    pub async fn get_trace(&self, trace_id: &str) -> Result<Document, ApiError> {
        let info_url = trace_info_url(&self.base, trace_id);
        let spans_url = trace_spans_url(&self.base, trace_id);
        let (info, spans) = futures_join(
            self.text(Method::GET, &info_url, None),
            self.send(Method::GET, &spans_url, None),
        )
        .await;
        let info = parse_trace_info(&info?)?;
        let spans = match spans {
            Ok(b) => b,
            Err(ApiError::NotMlflow { .. }) => {
                let bytes = self
                    .send(Method::GET, &trace_url(&self.base, trace_id), None)
                    .await?;
                return parse_bytes(&bytes).map_err(|e| ApiError::BadResponse(e.to_string()));
            }
            Err(e) => return Err(e),
        };
        let mut doc =
            crate::model::parse_owned(spans).map_err(|e| ApiError::BadResponse(e.to_string()))?;
        if let Some(t) = doc.traces.first_mut() {
            t.info = info;
        }
        Ok(doc)
    }

    /// A trace's info alone (tags, metadata, state): what a tag edit checks before writing.
    pub async fn get_trace_info(&self, trace_id: &str) -> Result<TraceInfo, ApiError> {
        let text = self
            .text(Method::GET, &trace_info_url(&self.base, trace_id), None)
            .await?;
        parse_trace_info(&text)
    }

    pub async fn set_tag(&self, trace_id: &str, key: &str, value: &str) -> Result<(), ApiError> {
        self.send(
            Method::PATCH,
            &trace_tags_url(&self.base, trace_id),
            Some(set_tag_body(key, value)),
        )
        .await
        .map(|_| ())
    }

    pub async fn delete_tag(&self, trace_id: &str, key: &str) -> Result<(), ApiError> {
        self.send(
            Method::DELETE,
            &trace_tags_url(&self.base, trace_id),
            Some(delete_tag_body(key)),
        )
        .await
        .map(|_| ())
    }
}

/// Polls two futures concurrently (no executor-specific join needed).
async fn futures_join<A: std::future::Future, B: std::future::Future>(
    a: A,
    b: B,
) -> (A::Output, B::Output) {
    use std::pin::pin;
    use std::task::Poll;
    let mut a = pin!(a);
    let mut b = pin!(b);
    let (mut ra, mut rb) = (None, None);
    std::future::poll_fn(move |cx| {
        if ra.is_none() {
            if let Poll::Ready(v) = a.as_mut().poll(cx) {
                ra = Some(v);
            }
        }
        if rb.is_none() {
            if let Poll::Ready(v) = b.as_mut().poll(cx) {
                rb = Some(v);
            }
        }
        if ra.is_some() && rb.is_some() {
            Poll::Ready((
                ra.take().unwrap_or_else(|| unreachable!()),
                rb.take().unwrap_or_else(|| unreachable!()),
            ))
        } else {
            Poll::Pending
        }
    })
    .await
}
