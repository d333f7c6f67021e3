//! The experiment list, and an experiment's page (traces and sessions tabs).

use super::route::Route;
use super::sessions::SessionList;
use super::traces::TraceTable;
use super::{ApiErrorView, Loading, ServerCtx};
use crate::model::time::format_utc_ms;
use leptos::prelude::*;

const LAST_EXPERIMENT_KEY: &str = "trace-view.last-experiment";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

#[component]
pub fn ExperimentList() -> impl IntoView {
    let ctx = expect_context::<ServerCtx>();
    let router = ctx.router;
    let search = RwSignal::new(String::new());
    let reload = RwSignal::new(0u32);
    let server = ctx.server.clone();
    let list = LocalResource::new(move || {
        let (needle, server) = (search.get(), server.clone());
        reload.track();
        async move { server.search_experiments(&needle).await }
    });
    let last = storage().and_then(|s| s.get_item(LAST_EXPERIMENT_KEY).ok().flatten());
    view! {
        <section class="tv-page">
            <div class="tv-page-head">
                <h1>"Experiments"</h1>
                <input
                    class="tv-input"
                    type="search"
                    placeholder="Search experiments by name"
                    on:change=move |ev| search.set(event_target_value(&ev))
                />
            </div>
            {move || match list.get() {
                None => view! { <Loading what="experiments" /> }.into_any(),
                Some(Err(e)) => view! { <ApiErrorView error=e retry=move |_| reload.update(|n| *n += 1) /> }.into_any(),
                Some(Ok(exps)) if exps.is_empty() => view! {
                    <div class="tv-empty-state">
                        <h2>"No experiments"</h2>
                        <p>"Log a trace with the MLflow SDK and it will appear here:"</p>
                        <pre class="tv-code">"import mlflow\nmlflow.set_tracking_uri(\"<this server>\")\n\n@mlflow.trace\ndef answer(q):\n    return q.upper()\n\nanswer(\"hello\")"</pre>
                    </div>
                }.into_any(),
                Some(Ok(exps)) => {
                    let last = last.clone();
                    view! {
                        <table class="tv-table tv-experiments">
                            <thead><tr><th>"Name"</th><th>"ID"</th><th>"Last updated"</th></tr></thead>
                            <tbody>
                                {exps.into_iter().map(|e| {
                                    let id = e.experiment_id.clone();
                                    let is_last = last.as_deref() == Some(id.as_str());
                                    view! {
                                        <tr class="tv-list-row" class:tv-last=is_last tabindex="0" on:click=move |_| {
                                            router.go(Route { experiment: Some(id.clone()), ..Default::default() });
                                        }>
                                            <td class="tv-list-name">
                                                {crate::model::format::label(&e.name)}
                                                {is_last.then(|| view! { <span class="tv-chip">"last opened"</span> })}
                                            </td>
                                            <td class="tv-mono">{e.experiment_id.clone()}</td>
                                            <td class="tv-small">{e.last_update_time.map(format_utc_ms).unwrap_or_default()}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                }
            }}
        </section>
    }
}

#[component]
pub fn ExperimentPage(experiment: String) -> impl IntoView {
    let ctx = expect_context::<ServerCtx>();
    let router = ctx.router;
    if let Some(s) = storage() {
        let _ = s.set_item(LAST_EXPERIMENT_KEY, &experiment);
    }
    let server = ctx.server.clone();
    let exp_id = experiment.clone();
    let info = LocalResource::new(move || {
        let (server, id) = (server.clone(), exp_id.clone());
        async move { server.get_experiment(&id).await.ok() }
    });
    let exp_a = experiment.clone();
    let exp_b = experiment.clone();
    let tab_sessions = move || router.route.with(|r| r.sessions_tab);
    view! {
        <section class="tv-page">
            <div class="tv-page-head">
                <h1>{move || info.get().flatten().map(|e| crate::model::format::label(&e.name)).unwrap_or_else(|| format!("Experiment {experiment}"))}</h1>
                <nav class="tv-tabs tv-page-tabs">
                    <button class="tv-tab" class:tv-tab-active=move || !tab_sessions() on:click=move |_| {
                        router.go(Route { experiment: Some(exp_a.clone()), ..Default::default() });
                    }>"Traces"</button>
                    <button class="tv-tab" class:tv-tab-active=tab_sessions on:click=move |_| {
                        router.go(Route { experiment: Some(exp_b.clone()), sessions_tab: true, ..Default::default() });
                    }>"Sessions"</button>
                </nav>
            </div>
            {move || {
                let r = router.route.get();
                let exp = r.experiment.clone().unwrap_or_default();
                if r.sessions_tab {
                    view! { <SessionList experiment=exp /> }.into_any()
                } else {
                    view! { <TraceTable experiment=exp /> }.into_any()
                }
            }}
        </section>
    }
}
