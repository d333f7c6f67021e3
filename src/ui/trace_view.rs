//! One trace: header, span tree with its timeline, and the selected span's detail.
//! Selection is shared by tree and timeline (they are the same rows) and mirrored in `?span=`.

use super::detail::SpanDetail;
use super::header::TraceHeader;
use super::loader::{query_param, set_query_param};
use super::tree::SpanTree;
use crate::layout::TreeRows;
use crate::model::attrs::id_to_hex;
use crate::model::{SpanIdx, Trace};
use leptos::prelude::*;
use std::sync::Arc;

/// State shared by the parts of a trace view.
#[derive(Clone, Copy)]
pub struct TraceCtx {
    pub trace: StoredValue<Arc<Trace>>,
    pub rows: RwSignal<TreeRows>,
    pub selected: RwSignal<Option<SpanIdx>>,
    /// Bumped when the selection should be scrolled into view (keyboard, deep link).
    pub scroll_to: RwSignal<Option<SpanIdx>>,
}

impl TraceCtx {
    pub fn new(trace: Arc<Trace>) -> TraceCtx {
        let rows = TreeRows::expanded(&trace);
        TraceCtx {
            trace: StoredValue::new(trace),
            rows: RwSignal::new(rows),
            selected: RwSignal::new(None),
            scroll_to: RwSignal::new(None),
        }
    }

    pub fn select(&self, span: Option<SpanIdx>) {
        self.selected.set(span);
        let id = span.map(|s| self.trace.with_value(|t| id_to_hex(t.text(t.span(s).id))));
        set_query_param("span", id.as_deref());
    }

    /// Selects a span, expanding its ancestors and scrolling it into view.
    pub fn reveal(&self, span: SpanIdx) {
        self.trace.with_value(|t| {
            self.rows.update(|r| {
                r.reveal(t, span);
            })
        });
        self.select(Some(span));
        self.scroll_to.set(Some(span));
    }

    pub fn toggle(&self, span: SpanIdx) {
        self.trace
            .with_value(|t| self.rows.update(|r| r.toggle(t, span)));
    }
}

/// Finds a span by id as written or in hex (deep links use hex, like MLflow's UI).
pub fn find_span(trace: &Trace, id: &str) -> Option<SpanIdx> {
    let want = id.trim();
    (0..trace.len() as SpanIdx).find(|&i| {
        let raw = trace.text(trace.span(i).id);
        raw == want || id_to_hex(raw) == want.to_ascii_lowercase()
    })
}

#[component]
pub fn TraceView<B>(trace: Arc<Trace>, on_back: Option<B>) -> impl IntoView
where
    B: Fn() + Clone + Send + Sync + 'static,
{
    let ctx = TraceCtx::new(trace.clone());
    provide_context(ctx);
    // Deep link: ?span=<id>; otherwise the root is selected so the detail pane is never empty.
    let initial = query_param("span")
        .and_then(|id| find_span(&trace, &id))
        .or_else(|| trace.root());
    if let Some(s) = initial {
        ctx.reveal(s);
    }
    view! {
        <div class="tv-trace">
            {on_back.map(|back| view! {
                <button class="tv-btn tv-back" on:click=move |_| back()>"← All traces"</button>
            })}
            <TraceHeader trace=trace.clone() />
            <div class="tv-split">
                <SpanTree />
                <SpanDetail />
            </div>
        </div>
    }
}
