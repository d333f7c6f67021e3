//! One trace: header, span tree with its timeline, and the selected span's detail.
//! Selection is shared by tree and timeline (they are the same rows). In the SPA it is mirrored in
//! `?span=`; an embedding (the `<trace-view>` element) gets a callback instead.

use super::detail::SpanDetail;
use super::header::TraceHeader;
use super::loader::set_query_param;
use super::tree::SpanTree;
use crate::layout::TreeRows;
use crate::model::attrs::id_to_hex;
use crate::model::{SpanIdx, Trace};
use leptos::prelude::*;
use std::sync::Arc;

/// Called with (span id in hex, span name) when the selection changes.
pub type OnSelect = Arc<dyn Fn(String, String) + Send + Sync>;

/// Which panes a trace view shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Panes {
    #[default]
    Both,
    Tree,
    Timeline,
}

impl Panes {
    pub fn parse(s: &str) -> Panes {
        match s.trim() {
            "tree" => Panes::Tree,
            "timeline" => Panes::Timeline,
            _ => Panes::Both,
        }
    }
}

/// How a trace view behaves in its home (SPA, element, notebook).
#[derive(Clone, Default)]
pub struct ViewOptions {
    /// Mirror the selection in the page's `?span=` (SPA only).
    pub url_sync: bool,
    /// Span to select first (id as written or hex); the root otherwise.
    pub initial_span: Option<String>,
    pub on_select: Option<OnSelect>,
    pub panes: Panes,
    /// Tags are shown elsewhere (the server page's tag editor).
    pub hide_tags: bool,
}

/// State shared by the parts of a trace view (`Copy`: every field is a handle).
#[derive(Clone, Copy)]
pub struct TraceCtx {
    pub trace: StoredValue<Arc<Trace>>,
    pub rows: RwSignal<TreeRows>,
    pub selected: RwSignal<Option<SpanIdx>>,
    /// Set when the selection should be scrolled into view (keyboard, deep link).
    pub scroll_to: RwSignal<Option<SpanIdx>>,
    pub panes: Panes,
    url_sync: bool,
    on_select: StoredValue<Option<OnSelect>>,
}

impl TraceCtx {
    pub fn new(trace: Arc<Trace>, opts: &ViewOptions) -> TraceCtx {
        let rows = TreeRows::expanded(&trace);
        TraceCtx {
            trace: StoredValue::new(trace),
            rows: RwSignal::new(rows),
            selected: RwSignal::new(None),
            scroll_to: RwSignal::new(None),
            panes: opts.panes,
            url_sync: opts.url_sync,
            on_select: StoredValue::new(opts.on_select.clone()),
        }
    }

    pub fn select(&self, span: Option<SpanIdx>) {
        if self.selected.get_untracked() == span {
            return;
        }
        self.selected.set(span);
        let picked = span.map(|s| {
            self.trace
                .with_value(|t| (id_to_hex(t.text(t.span(s).id)), t.name(s).to_string()))
        });
        if self.url_sync {
            set_query_param("span", picked.as_ref().map(|(id, _)| id.as_str()));
        }
        if let (Some(cb), Some((id, name))) = (self.on_select.get_value(), picked) {
            cb(id, name);
        }
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
    let want_hex = want.to_ascii_lowercase();
    (0..trace.len() as SpanIdx).find(|&i| {
        let raw = trace.text(trace.span(i).id);
        raw == want || id_to_hex(raw) == want_hex
    })
}

#[component]
pub fn TraceView<B>(
    trace: Arc<Trace>,
    on_back: Option<B>,
    #[prop(optional)] options: Option<ViewOptions>,
) -> impl IntoView
where
    B: Fn() + Clone + Send + Sync + 'static,
{
    // Without options this is the SPA: the selection lives in `?span=`.
    let options = options.unwrap_or_else(|| ViewOptions {
        url_sync: true,
        initial_span: super::loader::query_param("span"),
        ..Default::default()
    });
    let ctx = TraceCtx::new(trace.clone(), &options);
    provide_context(ctx);
    // Deep link or attribute first; otherwise the root, so the detail pane is never empty.
    let initial = options
        .initial_span
        .as_deref()
        .and_then(|id| find_span(&trace, id))
        .or_else(|| trace.root());
    if let Some(s) = initial {
        // Not `reveal`: the initial selection is not a user's choice, so no callback and no URL write.
        ctx.trace.with_value(|t| {
            ctx.rows.update(|r| {
                r.reveal(t, s);
            })
        });
        ctx.selected.set(Some(s));
        ctx.scroll_to.set(Some(s));
    }
    let panes_class = match ctx.panes {
        Panes::Both => "tv-panes-both",
        Panes::Tree => "tv-panes-tree",
        Panes::Timeline => "tv-panes-timeline",
    };
    view! {
        <div class=format!("tv-trace {panes_class}")>
            {on_back.map(|back| view! {
                <button class="tv-btn tv-back" on:click=move |_| back()>"← All traces"</button>
            })}
            <TraceHeader trace=trace.clone() hide_tags=options.hide_tags />
            <div class="tv-split">
                <SpanTree />
                <SpanDetail />
            </div>
        </div>
    }
}
