//! The list of traces in a multi-trace document.

use crate::model::derive::{trace_tokens, META_SESSION, META_USER};
use crate::model::format::{count, duration_ns, plural, truncate_chars};
use crate::model::time::format_utc_ms;
use crate::model::{Document, TraceState};
use leptos::prelude::*;
use std::sync::Arc;

#[component]
pub fn TraceList<F>(doc: Arc<Document>, source: String, on_open: F) -> impl IntoView
where
    F: Fn(usize) + Clone + Send + Sync + 'static,
{
    let summary = format!(
        "{} · {}",
        plural(doc.traces.len() as u64, "trace", "traces"),
        plural(doc.span_count() as u64, "span", "spans")
    );
    let rows = doc
        .traces
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let on_open = on_open.clone();
            let state = t.state();
            let tokens = trace_tokens(t).map(|u| count(u.total)).unwrap_or_default();
            let started = t.info.request_time_ms.map(format_utc_ms).unwrap_or_default();
            let preview = t.info.request_preview.as_deref().map(|p| truncate_chars(p, 80)).unwrap_or_default();
            let session = t.info.metadata(META_SESSION).unwrap_or("").to_string();
            let user = t.info.metadata(META_USER).unwrap_or("").to_string();
            view! {
                <tr class="tv-list-row" on:click=move |_| on_open(i) tabindex="0">
                    <td class="tv-list-name">{crate::model::format::label(t.display_name())}</td>
                    <td class="tv-mono tv-small">{t.info.trace_id.clone()}</td>
                    <td>
                        <span class=format!("tv-status tv-status-{}", state_class(state))>{state.label()}</span>
                    </td>
                    <td class="tv-small">{started}</td>
                    <td class="tv-num">{duration_ns(t.duration_ns())}</td>
                    <td class="tv-num">{plural(t.len() as u64, "span", "spans")}</td>
                    <td class="tv-num">{tokens}</td>
                    <td class="tv-small">{session}</td>
                    <td class="tv-small">{user}</td>
                    <td class="tv-small tv-muted tv-ellipsis">{preview}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="tv-trace-list">
            <div class="tv-list-head">
                <h1>{source}</h1>
                <span class="tv-list-summary">{summary}</span>
            </div>
            <table class="tv-table">
                <thead>
                    <tr>
                        <th>"Name"</th>
                        <th>"Trace ID"</th>
                        <th>"Status"</th>
                        <th>"Request time"</th>
                        <th class="tv-num">"Duration"</th>
                        <th class="tv-num">"Spans"</th>
                        <th class="tv-num">"Tokens"</th>
                        <th>"Session"</th>
                        <th>"User"</th>
                        <th>"Request"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
}

pub fn state_class(s: TraceState) -> &'static str {
    match s {
        TraceState::Ok => "ok",
        TraceState::Error => "error",
        TraceState::InProgress => "running",
        TraceState::Unspecified => "unknown",
    }
}
