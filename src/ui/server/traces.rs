//! The trace list of an experiment: server-side search (MLflow filter syntax), quick filters that
//! write into the filter, sort, and pages through the server's page tokens.

use super::route::Route;
use super::{ApiErrorView, Loading, ServerCtx};
use crate::api::{combine_filter, QuickFilters, TraceSort};
use crate::model::derive::{TokenUsage, META_SESSION, META_TOKEN_USAGE, META_USER};
use crate::model::format::{count, duration_ns, label, truncate_chars};
use crate::model::time::format_utc_ms;
use crate::model::TraceInfo;
use crate::ui::trace_list::state_class;
use leptos::prelude::*;

const DEFAULT_PAGE: u32 = 50;

#[component]
pub fn TraceTable(experiment: String) -> impl IntoView {
    let ctx = expect_context::<ServerCtx>();
    let router = ctx.router;
    let server = ctx.server.clone();
    // Page tokens seen so far: tokens[i] opens page i (page 0 has none).
    let tokens: RwSignal<Vec<Option<String>>> = RwSignal::new(vec![None]);
    let page = RwSignal::new(0usize);
    let reload = RwSignal::new(0u32);
    let query = Memo::new(move |_| {
        router.route.with(|r| {
            (
                r.filter.clone(),
                r.sort,
                r.page_size.unwrap_or(DEFAULT_PAGE),
            )
        })
    });
    // A new query starts from the first page.
    Effect::new(move |prev: Option<(String, TraceSort, u32)>| {
        let q = query.get();
        if prev.is_some_and(|p| p != q) {
            tokens.set(vec![None]);
            page.set(0);
        }
        q
    });
    let exp = experiment.clone();
    let results = LocalResource::new(move || {
        let (filter, sort, size) = query.get();
        let p = page.get();
        reload.track();
        let token = tokens.with_untracked(|t| t.get(p).cloned().flatten());
        let (server, exp) = (server.clone(), exp.clone());
        async move {
            server
                .search_traces(&exp, &filter, sort, size, token.as_deref())
                .await
        }
    });
    // Remember the next page's token when a page arrives.
    Effect::new(move |_| {
        if let Some(Ok(r)) = results.get() {
            let p = page.get_untracked();
            tokens.update(|t| {
                t.truncate(p + 1);
                t.push(r.next_page_token.clone());
            });
        }
    });

    let typed = RwSignal::new(router.route.with_untracked(|r| r.filter.clone()));
    Effect::new(move |_| typed.set(router.route.with(|r| r.filter.clone())));
    let status_q = RwSignal::new(String::new());
    let session_q = RwSignal::new(String::new());
    let user_q = RwSignal::new(String::new());
    let text_q = RwSignal::new(String::new());
    let apply = move || {
        let quick = QuickFilters {
            status: Some(status_q.get_untracked()),
            session: Some(session_q.get_untracked()),
            user: Some(user_q.get_untracked()),
            text: Some(text_q.get_untracked()),
        };
        let filter = combine_filter(&typed.get_untracked(), &quick);
        status_q.set(String::new());
        session_q.set(String::new());
        user_q.set(String::new());
        text_q.set(String::new());
        let mut r = router.route.get_untracked();
        r.filter = filter;
        router.go(r);
    };
    let set_sort = move |key: String| {
        let mut r = router.route.get_untracked();
        r.sort = TraceSort::from_key(&key);
        router.replace(r);
    };
    let input_text = |sig: RwSignal<String>, placeholder: &'static str, class: &'static str| {
        view! {
            <input class=format!("tv-input {class}") placeholder=placeholder prop:value=move || sig.get()
                on:input=move |ev| sig.set(event_target_value(&ev))
                on:keydown=move |ev: web_sys::KeyboardEvent| if ev.key() == "Enter" { apply() } />
        }
    };

    view! {
        <div class="tv-search">
            <div class="tv-filter-row">
                <input
                    class="tv-input tv-filter"
                    placeholder="MLflow filter, e.g. tag.env = 'demo' AND trace.status = 'ERROR'"
                    prop:value=move || typed.get()
                    on:input=move |ev| typed.set(event_target_value(&ev))
                    on:keydown=move |ev: web_sys::KeyboardEvent| if ev.key() == "Enter" { apply() }
                />
                <button class="tv-btn tv-apply" on:click=move |_| apply()>"Search"</button>
                <select class="tv-input tv-sort" on:change=move |ev| set_sort(event_target_value(&ev))>
                    {TraceSort::ALL.into_iter().map(|s| view! {
                        <option value=s.key() selected=move || router.route.with(|r| r.sort == s)>{s.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="tv-quick-row">
                <span class="tv-muted tv-small">"Add to filter:"</span>
                <select class="tv-input tv-quick-status" prop:value=move || status_q.get() on:change=move |ev| status_q.set(event_target_value(&ev))>
                    <option value="">"any status"</option>
                    <option value="OK">"OK"</option>
                    <option value="ERROR">"ERROR"</option>
                    <option value="IN_PROGRESS">"IN_PROGRESS"</option>
                </select>
                {input_text(session_q, "session id", "tv-quick-session")}
                {input_text(user_q, "user", "tv-quick-user")}
                {input_text(text_q, "text in spans, or a trace id", "tv-quick-text")}
                {move || (!router.route.with(|r| r.filter.is_empty())).then(|| view! {
                    <button class="tv-link-btn" on:click=move |_| {
                        let mut r = router.route.get_untracked();
                        r.filter.clear();
                        router.go(r);
                    }>"clear filter"</button>
                })}
            </div>
        </div>
        {move || match results.get() {
            None => view! { <Loading what="traces" /> }.into_any(),
            // The server's verdict on a filter belongs next to the box; other failures get the error panel.
            Some(Err(e @ crate::api::ApiError::Server { status: 400, .. })) => view! {
                <div class="tv-filter-error" role="alert">{format!("The server rejected this filter: {e}")}</div>
            }.into_any(),
            Some(Err(e)) => view! { <ApiErrorView error=e retry=move |_| reload.update(|n| *n += 1) /> }.into_any(),
            Some(Ok(p)) if p.traces.is_empty() && page.get_untracked() == 0 => {
                let filtered = router.route.with_untracked(|r| !r.filter.is_empty());
                view! {
                    <div class="tv-empty-state">
                        {if filtered {
                            view! { <h2>"No traces match this filter"</h2><p>"Change or clear the filter."</p> }.into_any()
                        } else {
                            view! {
                                <h2>"No traces yet"</h2>
                                <p>"Log one with the MLflow SDK, pointed at this server and experiment:"</p>
                                <pre class="tv-code">"@mlflow.trace\ndef answer(question):\n    return \"42\"\n\nanswer(\"what is six times seven?\")"</pre>
                            }.into_any()
                        }}
                    </div>
                }.into_any()
            }
            Some(Ok(p)) => {
                let size = router.route.with_untracked(|r| r.page_size.unwrap_or(DEFAULT_PAGE)) as usize;
                let first = page.get_untracked() * size + 1;
                let last = first + p.traces.len() - 1;
                let has_next = p.next_page_token.is_some();
                view! {
                    <div class="tv-pager">
                        <span class="tv-page-info">{format!("Page {} · traces {}–{}", page.get_untracked() + 1, count(first as u64), count(last as u64))}</span>
                        <button class="tv-btn tv-btn-small tv-prev" disabled=move || page.get() == 0 on:click=move |_| page.update(|p| *p = p.saturating_sub(1))>"← Previous"</button>
                        <button class="tv-btn tv-btn-small tv-next" disabled=!has_next on:click=move |_| page.update(|p| *p += 1)>"Next →"</button>
                    </div>
                    <TraceRows traces=p.traces />
                }.into_any()
            }
        }}
    }
}

#[component]
fn TraceRows(traces: Vec<TraceInfo>) -> impl IntoView {
    let ctx = expect_context::<ServerCtx>();
    let router = ctx.router;
    view! {
        <div class="tv-table-wrap">
            <table class="tv-table tv-traces">
                <thead>
                    <tr>
                        <th>"Trace ID"</th><th>"Name"</th><th>"Request"</th><th>"Response"</th><th>"Request time"</th>
                        <th class="tv-num">"Duration"</th><th>"Status"</th><th class="tv-num">"Tokens"</th>
                        <th>"Session"</th><th>"User"</th><th>"Tags"</th>
                    </tr>
                </thead>
                <tbody>
                    {traces.into_iter().map(|t| {
                        let id = t.trace_id.clone();
                        let tokens = t.metadata(META_TOKEN_USAGE)
                            .and_then(|m| serde_json::from_str::<serde_json::Value>(m).ok())
                            .and_then(|v| TokenUsage::from_json(&v))
                            .map(|u| count(u.total)).unwrap_or_default();
                        let tags: Vec<String> = t.tags.iter().filter(|(k, _)| !k.starts_with("mlflow.")).map(|(k, v)| label(&format!("{k}={v}"))).collect();
                        let name = label(t.tag("mlflow.traceName").unwrap_or(""));
                        view! {
                            <tr class="tv-list-row" tabindex="0" on:click=move |_| {
                                let mut r = router.route.get_untracked();
                                r.trace = Some(id.clone());
                                r.span = None;
                                router.go(r);
                            }>
                                <td class="tv-mono tv-small">{t.trace_id.clone()}</td>
                                <td class="tv-list-name">{name}</td>
                                <td class="tv-small tv-ellipsis">{label(&truncate_chars(t.request_preview.as_deref().unwrap_or(""), 120))}</td>
                                <td class="tv-small tv-ellipsis">{label(&truncate_chars(t.response_preview.as_deref().unwrap_or(""), 120))}</td>
                                <td class="tv-small">{t.request_time_ms.map(format_utc_ms).unwrap_or_default()}</td>
                                <td class="tv-num">{t.execution_ms.map(|ms| duration_ns(ms * 1_000_000)).unwrap_or_default()}</td>
                                <td><span class=format!("tv-status tv-status-{}", state_class(t.state))>{t.state.label()}</span></td>
                                <td class="tv-num">{tokens}</td>
                                <td class="tv-small">{label(t.metadata(META_SESSION).unwrap_or(""))}</td>
                                <td class="tv-small">{label(t.metadata(META_USER).unwrap_or(""))}</td>
                                <td class="tv-small">{tags.into_iter().map(|t| view! { <span class="tv-chip">{t}</span> }).collect_view()}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// Routes to a trace of an experiment (used by the session page too).
pub fn open_trace(router: super::route::Router, experiment: &str, trace_id: &str) {
    router.go(Route {
        experiment: Some(experiment.to_string()),
        trace: Some(trace_id.to_string()),
        ..Default::default()
    });
}
