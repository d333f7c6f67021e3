//! The trace header: name, id, status, start, duration, tokens, `<N> spans`, tags, problems.

use super::copy_to_clipboard;
use super::trace_list::state_class;
use crate::model::derive::{trace_tokens, META_SESSION, META_USER};
use crate::model::format::{count, duration_ns, label, plural};
use crate::model::time::format_utc_ms;
use crate::model::Trace;
use leptos::prelude::*;
use std::sync::Arc;

#[component]
pub fn TraceHeader(trace: Arc<Trace>, #[prop(optional)] hide_tags: bool) -> impl IntoView {
    let state = trace.state();
    let id = trace.info.trace_id.clone();
    let id_copy = id.clone();
    let started = trace
        .info
        .request_time_ms
        .or_else(|| (trace.start_ns > 0).then_some(trace.start_ns / 1_000_000))
        .map(format_utc_ms)
        .unwrap_or_else(|| "unknown".into());
    let tokens = trace_tokens(&trace);
    let errors = trace.error_count();
    let session = trace.info.metadata(META_SESSION).map(str::to_string);
    let user = trace.info.metadata(META_USER).map(str::to_string);
    // Tags people set; MLflow's own bookkeeping tags (mlflow.*) are listed last, dimmed.
    let mut tags = if hide_tags {
        Vec::new()
    } else {
        trace.info.tags.clone()
    };
    tags.sort_by_key(|(k, _)| k.starts_with("mlflow."));
    let problems = trace.problems.clone();
    let for_download = trace.clone();
    let download = move |_| {
        let name = format!(
            "{}.json",
            for_download.info.trace_id.replace(['/', '\\', ':'], "_")
        );
        super::download(
            &name,
            "application/json",
            &crate::model::export::to_mlflow3_json(&for_download),
        );
    };
    view! {
        <header class="tv-header">
            <div class="tv-header-title">
                <h1 class="tv-trace-name">{label(trace.display_name())}</h1>
                <span class=format!("tv-status tv-status-{}", state_class(state))>{state.label()}</span>
                <span class="tv-spacer"></span>
                <button class="tv-btn tv-btn-small tv-download" title="Download this trace as MLflow 3 JSON (Trace.to_json format)" on:click=download>
                    "Download JSON"
                </button>
            </div>
            <div class="tv-header-facts">
                <span class="tv-fact tv-trace-id" title="Trace ID">
                    <span class="tv-mono">{id}</span>
                    <button class="tv-icon-btn" title="Copy trace ID" on:click=move |_| copy_to_clipboard(&id_copy)>
                        {super::icons::copy_icon()}
                    </button>
                </span>
                <span class="tv-fact" title="Start time">{started}</span>
                <span class="tv-fact" title="Duration">{duration_ns(trace.duration_ns())}</span>
                <span class="tv-fact tv-span-count" data-testid="span-count">
                    {plural(trace.len() as u64, "span", "spans")}
                </span>
                {(errors > 0).then(|| view! {
                    <span class="tv-fact tv-fact-error">{plural(errors as u64, "error", "errors")}</span>
                })}
                {tokens.map(|t| view! {
                    <span class="tv-fact" title=format!("input {} · output {} · total {}", count(t.input), count(t.output), count(t.total))>
                        {format!("{} tokens", count(t.total))}
                        <span class="tv-muted">{format!(" ({} in · {} out)", count(t.input), count(t.output))}</span>
                    </span>
                })}
                {session.map(|s| view! { <span class="tv-fact" title="Session (mlflow.trace.session)">"Session " <b>{s}</b></span> })}
                {user.map(|u| view! { <span class="tv-fact" title="User (mlflow.trace.user)">"User " <b>{u}</b></span> })}
            </div>
            {(!tags.is_empty()).then(|| view! {
                <div class="tv-tags">
                    {tags.into_iter().map(|(k, v)| {
                        let internal = k.starts_with("mlflow.");
                        let title = format!("{k} = {v}");
                        view! {
                            <span class="tv-tag" class:tv-tag-internal=internal title=title>
                                <span class="tv-tag-key">{label(&k)}</span>
                                <span class="tv-tag-value">{label(&v)}</span>
                            </span>
                        }
                    }).collect_view()}
                </div>
            })}
            {(!problems.is_empty()).then(|| view! {
                <details class="tv-problems">
                    <summary>{format!("⚠ {} — the affected spans are marked in the tree", plural(problems.len() as u64, "problem", "problems"))}</summary>
                    <ul>
                        {problems.into_iter().take(200).map(|p| view! {
                            <li><b>{p.kind.label()}</b> ": " {p.detail}</li>
                        }).collect_view()}
                    </ul>
                </details>
            })}
        </header>
    }
}
