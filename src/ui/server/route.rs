//! Deep links: the server views live in query parameters (any static host works, no rewrite rules).
//! `server`, `experiment`, `trace`, `span`, `session`, `filter`, plus `view=sessions`, `sort`, `page_size`.
//! Navigation pushes history entries; back/forward re-read the address.

use crate::api::TraceSort;
use leptos::prelude::*;

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Route {
    pub experiment: Option<String>,
    pub trace: Option<String>,
    pub span: Option<String>,
    pub session: Option<String>,
    pub sessions_tab: bool,
    pub filter: String,
    pub sort: TraceSort,
    pub page_size: Option<u32>,
}

fn params() -> Option<web_sys::UrlSearchParams> {
    let search = web_sys::window()?.location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search).ok()
}

impl Route {
    pub fn current() -> Route {
        let Some(p) = params() else {
            return Route::default();
        };
        let get = |k: &str| p.get(k).filter(|v| !v.is_empty());
        Route {
            experiment: get("experiment"),
            trace: get("trace"),
            span: get("span"),
            session: get("session"),
            sessions_tab: get("view").as_deref() == Some("sessions"),
            filter: get("filter").unwrap_or_default(),
            sort: TraceSort::from_key(&get("sort").unwrap_or_default()),
            page_size: get("page_size").and_then(|v| v.parse().ok()),
        }
    }

    /// The query string for this route, keeping `server` and `timeout` from the current address.
    pub fn query(&self) -> String {
        let Ok(p) = web_sys::UrlSearchParams::new() else {
            return String::new();
        };
        for keep in ["server", "timeout"] {
            if let Some(s) = params().and_then(|c| c.get(keep)).filter(|s| !s.is_empty()) {
                p.set(keep, &s);
            }
        }
        let set = |k: &str, v: Option<&str>| {
            if let Some(v) = v.filter(|v| !v.is_empty()) {
                p.set(k, v);
            }
        };
        set("experiment", self.experiment.as_deref());
        set("view", self.sessions_tab.then_some("sessions"));
        set("session", self.session.as_deref());
        set("trace", self.trace.as_deref());
        set("span", self.span.as_deref());
        set("filter", Some(self.filter.as_str()));
        set(
            "sort",
            (self.sort != TraceSort::default()).then_some(self.sort.key()),
        );
        let size = self.page_size.map(|s| s.to_string());
        set("page_size", size.as_deref());
        let q: String = p.to_string().into();
        if q.is_empty() {
            "?".into()
        } else {
            format!("?{q}")
        }
    }
}

/// The app's router: a signal mirrored in the address bar.
#[derive(Clone, Copy)]
pub struct Router {
    pub route: RwSignal<Route>,
}

impl Router {
    pub fn new() -> Router {
        let route = RwSignal::new(Route::current());
        let handle =
            window_event_listener(leptos::ev::popstate, move |_| route.set(Route::current()));
        // The router lives as long as the app; keep the listener.
        std::mem::forget(handle);
        Router { route }
    }

    pub fn go(&self, to: Route) {
        if let Some(h) = web_sys::window().and_then(|w| w.history().ok()) {
            let _ = h.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&to.query()));
        }
        self.route.set(to);
    }

    /// Changes the route without a new history entry (typing in a filter box, paging).
    pub fn replace(&self, to: Route) {
        if let Some(h) = web_sys::window().and_then(|w| w.history().ok()) {
            let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&to.query()));
        }
        self.route.set(to);
    }
}

impl Default for Router {
    fn default() -> Self {
        Router::new()
    }
}
