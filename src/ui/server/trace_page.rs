//! One trace from the server: the trace view, with editable tags and read-only assessments.

use super::tags::TagEditor;
use super::{ApiErrorView, Loading, ServerCtx};
use crate::ui::trace_view::{TraceView, ViewOptions};
use leptos::prelude::*;
use std::sync::Arc;

#[component]
pub fn TracePage(trace_id: String) -> impl IntoView {
    let ctx = expect_context::<ServerCtx>();
    let router = ctx.router;
    let server = ctx.server.clone();
    let reload = RwSignal::new(0u32);
    let id = trace_id.clone();
    let data = LocalResource::new(move || {
        reload.track();
        let (server, id) = (server.clone(), id.clone());
        async move { server.get_trace(&id).await }
    });
    view! {
        <section class="tv-trace-page">
            {move || match data.get() {
                None => view! { <Loading what=format!("trace {trace_id}") /> }.into_any(),
                Some(Err(e)) => view! { <ApiErrorView error=e retry=move |_| reload.update(|n| *n += 1) /> }.into_any(),
                Some(Ok(doc)) => match doc.traces.into_iter().next() {
                    None => view! { <div class="tv-empty">"The server returned no trace."</div> }.into_any(),
                    Some(trace) => {
                        let trace = Arc::new(trace);
                        let options = ViewOptions {
                            url_sync: true,
                            initial_span: router.route.with_untracked(|r| r.span.clone()),
                            hide_tags: true,
                            ..Default::default()
                        };
                        let back = router.route.with_untracked(|r| r.experiment.is_some()).then_some(move || {
                            let mut r = router.route.get_untracked();
                            r.trace = None;
                            r.span = None;
                            router.go(r);
                        });
                        view! {
                            <div class="tv-trace-extras">
                                <TagEditor trace_id=trace.info.trace_id.clone() initial=trace.info.tags.clone() />
                                <Assessments json=trace.info.assessments_json.clone() />
                            </div>
                            <TraceView trace=trace on_back=back options=options />
                        }.into_any()
                    }
                },
            }}
        </section>
    }
}

/// Feedback and expectations attached to the trace (read-only).
#[component]
fn Assessments(json: Option<String>) -> impl IntoView {
    let list: Vec<serde_json::Value> = json
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or_default();
    (!list.is_empty()).then(|| {
        view! {
            <details class="tv-assessments" open=true>
                <summary>{format!("Assessments ({})", list.len())}</summary>
                <table class="tv-attr-table">
                    <tbody>
                        {list.into_iter().map(|a| {
                            let name = a.get("assessment_name").and_then(|v| v.as_str()).unwrap_or("(unnamed)").to_string();
                            let (kind, value) = if let Some(f) = a.get("feedback") {
                                ("feedback", f.get("value").cloned().unwrap_or_default())
                            } else if let Some(e) = a.get("expectation") {
                                let v = e.get("value").cloned()
                                    .or_else(|| e.pointer("/serialized_value/value").and_then(|v| v.as_str()).and_then(|s| serde_json::from_str(s).ok()))
                                    .unwrap_or_default();
                                ("expectation", v)
                            } else {
                                ("assessment", serde_json::Value::Null)
                            };
                            let source = a.pointer("/source/source_type").and_then(|v| v.as_str()).unwrap_or("").to_string();
                            let rationale = a.get("rationale").and_then(|v| v.as_str()).unwrap_or("").to_string();
                            let value = match value { serde_json::Value::String(s) => s, v => v.to_string() };
                            view! {
                                <tr>
                                    <th>{name}<div class="tv-muted tv-small">{format!("{kind} · {source}")}</div></th>
                                    <td><b>{value}</b><div class="tv-muted tv-small tv-pre">{rationale}</div></td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </details>
        }
    })
}
