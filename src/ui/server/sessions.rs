//! Sessions (traces grouped by `mlflow.trace.session`): a list per experiment and a session page with
//! the turns on one time axis and each turn's input and output as a conversation.

use super::route::Route;
use super::traces::open_trace;
use super::{ApiErrorView, Loading, ServerCtx};
use crate::api::{any_session_filter, session_filter, TraceSort};
use crate::layout::TimeScale;
use crate::model::format::{count, duration_ns, label, plural, reveal_invisible};
use crate::model::sessions::{summarize, turns};
use crate::model::time::format_utc_ms;
use crate::model::{TraceInfo, TraceState};
use leptos::prelude::*;

/// Sessions are derived from at most this many traces per experiment.
const SESSION_SCAN_LIMIT: usize = 5000;

#[component]
pub fn SessionList(experiment: String) -> impl IntoView {
    let ctx = expect_context::<ServerCtx>();
    let router = ctx.router;
    let server = ctx.server.clone();
    let reload = RwSignal::new(0u32);
    let exp = experiment.clone();
    let data = LocalResource::new(move || {
        reload.track();
        let (server, exp) = (server.clone(), exp.clone());
        async move {
            server
                .search_all_traces(
                    &exp,
                    &any_session_filter(),
                    TraceSort::NewestFirst,
                    SESSION_SCAN_LIMIT,
                )
                .await
        }
    });
    view! {
        {move || match data.get() {
            None => view! { <Loading what="sessions" /> }.into_any(),
            Some(Err(e)) => view! { <ApiErrorView error=e retry=move |_| reload.update(|n| *n += 1) /> }.into_any(),
            Some(Ok(pages)) => {
                let sessions = summarize(&pages.traces);
                let truncated = pages.truncated;
                let paging_problem = pages.paging_problem.clone();
                if sessions.is_empty() {
                    return view! {
                        <div class="tv-empty-state">
                            <h2>"No sessions yet"</h2>
                            <p>"Traces join a session when they carry the session id in their metadata:"</p>
                            <pre class="tv-code">"mlflow.update_current_trace(metadata={\n    \"mlflow.trace.session\": session_id,\n    \"mlflow.trace.user\": user_id,\n})"</pre>
                        </div>
                    }.into_any();
                }
                let exp = experiment.clone();
                view! {
                    {truncated.then(|| view! { <div class="tv-note">{format!("Sessions of the newest {} traces.", count(SESSION_SCAN_LIMIT as u64))}</div> })}
                    {paging_problem.map(|p| view! { <div class="tv-note tv-paging-problem">{format!("Sessions may be incomplete: {p}.")}</div> })}
                    <div class="tv-list-summary">{plural(sessions.len() as u64, "session", "sessions")}</div>
                    <table class="tv-table tv-sessions">
                        <thead><tr>
                            <th>"Session"</th><th>"Users"</th><th class="tv-num">"Turns"</th><th>"First"</th><th>"Last"</th>
                            <th class="tv-num">"Total duration"</th><th class="tv-num">"Tokens"</th><th>"Errors"</th>
                        </tr></thead>
                        <tbody>
                            {sessions.into_iter().map(|s| {
                                let (id, exp) = (s.id.clone(), exp.clone());
                                view! {
                                    <tr class="tv-list-row" tabindex="0" on:click=move |_| router.go(Route {
                                        experiment: Some(exp.clone()), session: Some(id.clone()), ..Default::default()
                                    })>
                                        <td class="tv-list-name">{label(&s.id)}</td>
                                        <td class="tv-small">{label(&s.users.join(", "))}</td>
                                        <td class="tv-num">{s.turns}</td>
                                        <td class="tv-small">{s.first_ms.map(format_utc_ms).unwrap_or_default()}</td>
                                        <td class="tv-small">{s.last_ms.map(format_utc_ms).unwrap_or_default()}</td>
                                        <td class="tv-num">{duration_ns(s.total_ms * 1_000_000)}</td>
                                        <td class="tv-num">{s.tokens.map(count).unwrap_or_default()}</td>
                                        <td>{(s.errors > 0).then(|| view! { <span class="tv-status tv-status-error">{plural(s.errors as u64, "error", "errors")}</span> })}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }
        }}
    }
}

/// A preview as text: MLflow stores the last user / assistant message text, or JSON of the inputs.
fn preview_text(p: Option<&str>) -> String {
    let p = p.unwrap_or("").trim();
    match serde_json::from_str::<serde_json::Value>(p) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(v @ serde_json::Value::Object(_)) => {
            // Common shapes: {"question": "..."}, {"query": ...}; else the only string field; else JSON.
            const KEYS: [&str; 7] = [
                "question", "query", "input", "message", "prompt", "text", "content",
            ];
            if let Some(s) = KEYS.iter().find_map(|k| v.get(*k).and_then(|x| x.as_str())) {
                return s.to_string();
            }
            let strings: Vec<&str> = v
                .as_object()
                .into_iter()
                .flatten()
                .filter_map(|(_, x)| x.as_str())
                .collect();
            if strings.len() == 1 {
                strings[0].to_string()
            } else {
                v.to_string()
            }
        }
        _ => p.to_string(),
    }
}

#[component]
pub fn SessionPage(experiment: String, session: String) -> impl IntoView {
    let ctx = expect_context::<ServerCtx>();
    let router = ctx.router;
    let server = ctx.server.clone();
    let reload = RwSignal::new(0u32);
    let (exp, sess) = (experiment.clone(), session.clone());
    let data = LocalResource::new(move || {
        reload.track();
        let (server, exp, sess) = (server.clone(), exp.clone(), sess.clone());
        async move {
            server
                .search_all_traces(&exp, &session_filter(&sess), TraceSort::OldestFirst, 1000)
                .await
        }
    });
    view! {
        <section class="tv-page tv-session-page">
            {move || match data.get() {
                None => view! { <Loading what="the session" /> }.into_any(),
                Some(Err(e)) => view! { <ApiErrorView error=e retry=move |_| reload.update(|n| *n += 1) /> }.into_any(),
                Some(Ok(pages)) => session_view(router, &experiment, &session, &pages.traces).into_any(),
            }}
        </section>
    }
}

fn session_view(
    router: super::route::Router,
    experiment: &str,
    session: &str,
    infos: &[TraceInfo],
) -> impl IntoView {
    let turns: Vec<TraceInfo> = turns(infos, session).into_iter().cloned().collect();
    let summary = summarize(&turns).into_iter().next().unwrap_or_default();
    let start = turns
        .iter()
        .filter_map(|t| t.request_time_ms)
        .min()
        .unwrap_or(0);
    let end = turns
        .iter()
        .filter_map(|t| t.request_time_ms.map(|s| s + t.execution_ms.unwrap_or(0)))
        .max()
        .unwrap_or(start);
    let scale = TimeScale::new(start * 1_000_000, end.max(start + 1) * 1_000_000);
    let exp = experiment.to_string();
    view! {
        <div class="tv-page-head">
            <h1>{format!("Session {}", label(session))}</h1>
            <span class="tv-turn-count tv-fact">{plural(turns.len() as u64, "turn", "turns")}</span>
            <span class="tv-fact">{summary.users.join(", ")}</span>
            <span class="tv-fact">{duration_ns(summary.total_ms * 1_000_000)} " in turns"</span>
            {summary.tokens.map(|t| view! { <span class="tv-fact">{format!("{} tokens", count(t))}</span> })}
            {(summary.errors > 0).then(|| view! { <span class="tv-fact tv-fact-error">{plural(summary.errors as u64, "error", "errors")}</span> })}
        </div>
        <div class="tv-session-timeline">
            <div class="tv-muted tv-small">{format!("{} → {}", format_utc_ms(start), format_utc_ms(end))}</div>
            {turns.iter().enumerate().map(|(i, t)| {
                let s = t.request_time_ms.unwrap_or(start) * 1_000_000;
                let bar = scale.bar(s, Some(s + t.execution_ms.unwrap_or(0) * 1_000_000));
                let (id, exp) = (t.trace_id.clone(), exp.clone());
                let err = t.state == TraceState::Error;
                view! {
                    <div class="tv-turn-lane" on:click=move |_| open_trace(router, &exp, &id) title="open this turn's trace">
                        <span class="tv-turn-label">{format!("Turn {}", i + 1)}</span>
                        <div class="tv-turn-track">
                            <div class="tv-bar tv-turn-bar" class:tv-bar-error=err
                                style:left=format!("{:.3}%", bar.left * 100.0)
                                style:width=format!("max(3px, {:.3}%)", bar.width * 100.0)></div>
                        </div>
                        <span class="tv-dur">{t.execution_ms.map(|ms| duration_ns(ms * 1_000_000)).unwrap_or_default()}</span>
                    </div>
                }
            }).collect_view()}
        </div>
        <div class="tv-conversation">
            {turns.iter().enumerate().map(|(i, t)| {
                let (id, exp) = (t.trace_id.clone(), exp.clone());
                let err = t.state == TraceState::Error;
                view! {
                    <div class="tv-turn" on:click=move |_| open_trace(router, &exp, &id)>
                        <div class="tv-turn-head">
                            <b>{format!("Turn {}", i + 1)}</b>
                            <span class="tv-muted tv-small">{t.request_time_ms.map(format_utc_ms).unwrap_or_default()}</span>
                            {err.then(|| view! { <span class="tv-status tv-status-error">"ERROR"</span> })}
                            <span class="tv-spacer"></span>
                            <span class="tv-link-btn">"open trace →"</span>
                        </div>
                        <div class="tv-msg tv-msg-user"><div class="tv-msg-role">"user"</div>
                            <div class="tv-pre">{reveal_invisible(&preview_text(t.request_preview.as_deref())).into_owned()}</div></div>
                        <div class="tv-msg tv-msg-assistant"><div class="tv-msg-role">"assistant"</div>
                            <div class="tv-pre">{
                                let text = preview_text(t.response_preview.as_deref());
                                if text.is_empty() && err { "(no response: this turn failed — open the trace to see the error)".to_string() } else { reveal_invisible(&text).into_owned() }
                            }</div></div>
                    </div>
                }
            }).collect_view()}
        </div>
    }
}
