//! Server mode: the SPA next to (or behind the same proxy as) an MLflow tracking server.
//! Experiments → traces (server-side search, sort, pages) → a trace (tags editable) and sessions.

pub mod experiments;
pub mod route;
pub mod sessions;
pub mod tags;
pub mod trace_page;
pub mod traces;

use crate::api::client::Server;
use crate::api::ApiError;
use leptos::prelude::*;
use route::{Route, Router};

/// Shared by every server page.
#[derive(Clone)]
pub struct ServerCtx {
    pub server: Server,
    pub router: Router,
}

/// Where the server is: `?server=`, else `config.json` beside index.html (`{"server": "…"}`), else the
/// origin the viewer is served from. Returns `(base, explicitly configured)`.
pub async fn configured_server() -> (String, bool) {
    if let Some(s) = super::loader::query_param("server") {
        return (s, true);
    }
    match config_json_server().await {
        Some(s) => (s, true),
        None => (String::new(), false),
    }
}

/// The `server` named by a `config.json` beside index.html, if there is one.
pub async fn config_json_server() -> Option<String> {
    let bytes = super::loader::fetch_bytes("config.json").await.ok()?;
    let v = serde_json::from_slice::<serde_json::Value>(&bytes).ok()?;
    v.get("server").and_then(|s| s.as_str()).map(str::to_string)
}

#[component]
pub fn ServerApp(server: Server) -> impl IntoView {
    let router = Router::new();
    provide_context(ServerCtx { server, router });
    view! {
        <div class="tv-server">
            <Breadcrumbs />
            {move || {
                let r = router.route.get();
                match (&r.experiment, &r.trace, &r.session) {
                    (_, Some(trace), _) => view! { <trace_page::TracePage trace_id=trace.clone() /> }.into_any(),
                    (Some(exp), None, Some(session)) => {
                        view! { <sessions::SessionPage experiment=exp.clone() session=session.clone() /> }.into_any()
                    }
                    (Some(exp), None, None) => view! { <experiments::ExperimentPage experiment=exp.clone() /> }.into_any(),
                    (None, None, _) => view! { <experiments::ExperimentList /> }.into_any(),
                }
            }}
        </div>
    }
}

#[component]
fn Breadcrumbs() -> impl IntoView {
    let ctx = expect_context::<ServerCtx>();
    let router = ctx.router;
    let label = ctx.server.label();
    view! {
        <nav class="tv-crumbs">
            <a href="?" on:click=move |ev| { ev.prevent_default(); router.go(Route::default()); }>"Experiments"</a>
            {move || {
                let r = router.route.get();
                r.experiment.clone().map(|exp| {
                    let exp2 = exp.clone();
                    view! {
                        <span class="tv-crumb-sep">"›"</span>
                        <a href="#" on:click=move |ev| {
                            ev.prevent_default();
                            router.go(Route { experiment: Some(exp2.clone()), ..Default::default() });
                        }>{format!("Experiment {exp}")}</a>
                    }
                })
            }}
            {move || {
                let r = router.route.get();
                let sess = r.session.clone().map(|s| view! { <span class="tv-crumb-sep">"›"</span><span>{format!("Session {s}")}</span> });
                let tr = r.trace.clone().map(|t| view! { <span class="tv-crumb-sep">"›"</span><span class="tv-mono">{t}</span> });
                (sess, tr)
            }}
            <span class="tv-spacer"></span>
            <span class="tv-muted tv-small" title="MLflow tracking server">{label}</span>
        </nav>
    }
}

/// A failed request, with a retry button; on 401 also a way to sign in: opening an API address of
/// the server in a new tab makes the browser ask for the credentials (HTTP Basic), which it then
/// sends with this page's requests too. trace-view never sees or stores the password.
#[component]
pub fn ApiErrorView(error: ApiError, #[prop(into)] retry: Callback<()>) -> impl IntoView {
    let sign_in = error.is_sign_in_required().then(|| {
        let href = use_context::<ServerCtx>()
            .map(|c| c.server.base)
            .unwrap_or_default();
        let href = crate::api::join(&href, "ajax-api/2.0/mlflow/experiments/search?max_results=1");
        view! {
            <a class="tv-btn tv-btn-primary tv-sign-in" href=href target="_blank" rel="noopener noreferrer">
                "Sign in to the MLflow server ↗"
            </a>
        }
    });
    view! {
        <div class="tv-panel tv-error-panel" role="alert">
            <h2>{error.title()}</h2>
            <p class="tv-error-message">{error.to_string()}</p>
            <div class="tv-actions">
                {sign_in}
                <button class="tv-btn" on:click=move |_| retry.run(())>"Retry"</button>
            </div>
        </div>
    }
}

#[component]
pub fn Loading(#[prop(into)] what: String) -> impl IntoView {
    view! {
        <div class="tv-loading-inline" role="status">
            <div class="tv-spinner"></div>
            <span>{format!("Loading {what}…")}</span>
        </div>
    }
}
