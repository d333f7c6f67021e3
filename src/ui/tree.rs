//! The span tree and its timeline, as one virtualized list: each row is a tree cell and a timeline
//! cell, so the two are aligned by construction. Only the rows in view (plus overscan) are in the DOM.

use super::timeline::{pointer_fraction, Minimap, TimeAxis, TimeView, ZoomControls};
use super::trace_view::TraceCtx;
use crate::layout::minimap::Density;
use crate::layout::timeline::TimeScale;
use crate::layout::RowWindow;
use crate::model::format::{count, duration_ns, label, plural};
use crate::model::search::IncrementalSearch;
use crate::model::trace::flags;
use crate::model::SpanIdx;
use leptos::prelude::*;

/// Search matches of the current query (pre-order), for row highlighting.
#[derive(Clone, Copy)]
struct SearchHits(RwSignal<Vec<SpanIdx>>);

/// Fixed row height in px (must match `.tv-row` in the stylesheet).
pub const ROW_HEIGHT: f64 = 26.0;
const OVERSCAN: usize = 12;
/// Spans searched between clock checks (the slice ends after ~8 ms).
const SEARCH_SLICE: usize = 2_000;
/// Indentation stops growing here so very deep traces stay readable; the depth is shown instead.
const MAX_INDENT_LEVELS: u32 = 24;

#[component]
pub fn SpanTree() -> impl IntoView {
    let ctx = expect_context::<TraceCtx>();
    let scroll_top = RwSignal::new(0.0f64);
    let viewport = RwSignal::new(800.0f64);
    let scroller = NodeRef::<leptos::html::Div>::new();
    let time = TimeView::new(
        ctx.trace
            .with_value(|t| TimeScale::new(t.start_ns, t.end_ns)),
    );
    let time_head = NodeRef::<leptos::html::Div>::new();
    let density = StoredValue::new(None::<Density>);
    // Depth bands of the minimap: one per level down to 8 (deeper levels share the last band).
    let compute_density = move |cols: usize| {
        ctx.trace.with_value(|t| {
            let bands = (t.max_depth() as usize + 1).clamp(1, 8);
            Density::compute(t, cols, bands)
        })
    };
    // Ctrl/⌘ + wheel zooms and Shift + wheel pans when the pointer is over the time column.
    let on_wheel = move |ev: web_sys::WheelEvent| {
        let Some(head) = time_head.get_untracked() else {
            return;
        };
        let r = head.get_bounding_client_rect();
        let x = ev.client_x() as f64;
        if x >= r.left() && x <= r.right() {
            time.on_wheel(&ev, pointer_fraction(&head, ev.client_x()));
        }
    };

    // Track the viewport height with a ResizeObserver: it reports after the browser's own layout, so
    // the first render never forces a synchronous layout (measured: ~50 ms on open).
    Effect::new(move |_| {
        use wasm_bindgen::{closure::Closure, JsCast};
        let Some(el) = scroller.get() else { return };
        let on_size = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
            if let Some(e) = entries.get(0).dyn_ref::<web_sys::ResizeObserverEntry>() {
                viewport.set(e.content_rect().height());
            }
        });
        if let Ok(observer) = web_sys::ResizeObserver::new(on_size.as_ref().unchecked_ref()) {
            observer.observe(&el);
            let keep = send_wrapper::SendWrapper::new((observer, on_size));
            on_cleanup(move || {
                let (observer, _on_size) = keep.take();
                observer.disconnect();
            });
        }
    });

    // Scroll a revealed span into view.
    Effect::new(move |_| {
        let Some(span) = ctx.scroll_to.get() else {
            return;
        };
        let row = ctx
            .trace
            .with_value(|t| ctx.rows.with_untracked(|r| r.row_of(t, span)));
        if let (Some(row), Some(el)) = (row, scroller.get()) {
            // From the signals, not the DOM: reading the DOM here would force a layout mid-render.
            let top = row as f64 * ROW_HEIGHT;
            let h = viewport.get_untracked();
            let cur = scroll_top.get_untracked();
            if top < cur || top + ROW_HEIGHT > cur + h {
                el.set_scroll_top((top - h / 3.0).max(0.0) as i32);
            }
        }
    });

    let window = Memo::new(move |_| {
        RowWindow::compute(
            scroll_top.get(),
            viewport.get(),
            ROW_HEIGHT,
            ctx.rows.with(|r| r.len()),
            OVERSCAN,
        )
    });
    let total_height = move || format!("{}px", ctx.rows.with(|r| r.len()) as f64 * ROW_HEIGHT);

    let on_key = move |ev: web_sys::KeyboardEvent| {
        let Some(cur) = ctx.selected.get_untracked() else {
            return;
        };
        let (row, len) = ctx
            .trace
            .with_value(|t| ctx.rows.with_untracked(|r| (r.row_of(t, cur), r.len())));
        let Some(row) = row else { return };
        let pick = |r: usize| ctx.rows.with_untracked(|rows| rows.rows()[r]);
        match ev.key().as_str() {
            "ArrowDown" if row + 1 < len => ctx.reveal(pick(row + 1)),
            "ArrowUp" if row > 0 => ctx.reveal(pick(row - 1)),
            "ArrowRight" => ctx
                .trace
                .with_value(|t| ctx.rows.update(|r| r.set_expanded(t, cur, true))),
            "ArrowLeft" => {
                let (open, parent) = ctx.trace.with_value(|t| {
                    (
                        ctx.rows.with_untracked(|r| r.is_expanded(cur))
                            && !t.children(cur).is_empty(),
                        t.span(cur).parent,
                    )
                });
                if open {
                    ctx.trace
                        .with_value(|t| ctx.rows.update(|r| r.set_expanded(t, cur, false)));
                } else if let Some(p) = parent {
                    ctx.reveal(p);
                }
            }
            _ => return,
        }
        ev.prevent_default();
    };

    // Search within the trace: matches in tree order; Enter / Shift+Enter walk through them.
    let query = RwSignal::new(String::new());
    let matches: RwSignal<Vec<SpanIdx>> = RwSignal::new(Vec::new());
    // Enter pressed while a search runs: the step waits for its result.
    let pending_step = StoredValue::new(None::<bool>);
    let step = move |backwards: bool| {
        let from = ctx.selected.get_untracked();
        let next = ctx.trace.with_value(|t| {
            matches.with_untracked(|m| crate::model::search::next_match(t, m, from, backwards))
        });
        if let Some(s) = next {
            ctx.reveal(s);
        }
    };
    // A huge trace is searched in slices of ~8 ms with the browser free in between; a new query
    // abandons the one running (generation counter).
    let searching: RwSignal<Option<f64>> = RwSignal::new(None); // progress while running
    let generation = StoredValue::new(0u64);
    let running = StoredValue::new(false);
    let run_search = move |q: String| {
        query.set(q.clone());
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        running.set_value(true);
        let mut search = IncrementalSearch::new(&q);
        leptos::task::spawn_local(async move {
            loop {
                let started = js_sys::Date::now();
                let done = ctx.trace.with_value(|t| loop {
                    if search.step(t, SEARCH_SLICE) {
                        break true;
                    }
                    if js_sys::Date::now() - started > 8.0 {
                        break false;
                    }
                });
                if generation.get_value() != mine {
                    return;
                }
                if done {
                    // Set once at the end: a million matches are not copied once per slice.
                    matches.set(std::mem::take(&mut search.matches));
                    searching.set(None);
                    running.set_value(false);
                    if let Some(backwards) = pending_step.get_value() {
                        pending_step.set_value(None);
                        step(backwards);
                    }
                    return;
                }
                searching.set(Some(ctx.trace.with_value(|t| search.progress(t))));
                super::loader::yield_to_browser().await;
                if generation.get_value() != mine {
                    return;
                }
            }
        });
    };
    let match_label = move || {
        let q = query.get();
        if q.trim().is_empty() {
            return String::new();
        }
        if let Some(p) = searching.get() {
            return format!("searching… {:.0}%", p * 100.0);
        }
        matches.with(|m| {
            if m.is_empty() {
                return "no matches".to_string();
            }
            let pos = ctx
                .selected
                .get()
                .and_then(|s| m.iter().position(|&x| x == s));
            match pos {
                Some(p) => format!("{} of {}", count(p as u64 + 1), count(m.len() as u64)),
                None => plural(m.len() as u64, "match", "matches"),
            }
        })
    };
    provide_context(SearchHits(matches));

    view! {
        <section class="tv-tree-pane">
            <div class="tv-toolbar">
                <button class="tv-btn tv-btn-small" on:click=move |_| ctx.trace.with_value(|t| ctx.rows.update(|r| r.expand_all(t)))>
                    "Expand all"
                </button>
                <button class="tv-btn tv-btn-small" on:click=move |_| ctx.trace.with_value(|t| ctx.rows.update(|r| r.collapse_all(t)))>
                    "Collapse all"
                </button>
                <span class="tv-muted tv-small tv-rows-shown">
                    {move || plural(ctx.rows.with(|r| r.len()) as u64, "row", "rows") + " shown"}
                </span>
                <span class="tv-spacer"></span>
                <input
                    class="tv-input tv-search-input"
                    type="search"
                    placeholder="Search spans: names, inputs, outputs, attributes"
                    on:change=move |ev| {
                        let q = event_target_value(&ev);
                        if q != query.get_untracked() {
                            run_search(q);
                        }
                    }
                    on:keydown=move |ev: web_sys::KeyboardEvent| {
                        if ev.key() == "Enter" {
                            let q = event_target_value(&ev);
                            if q != query.get_untracked() {
                                run_search(q);
                            }
                            if running.get_value() {
                                pending_step.set_value(Some(ev.shift_key()));
                            } else {
                                step(ev.shift_key());
                            }
                        }
                    }
                />
                <span class="tv-small tv-match-count">{match_label}</span>
                <button class="tv-btn tv-btn-small tv-prev-match" title="Previous match (Shift+Enter)" on:click=move |_| step(true)>"↑"</button>
                <button class="tv-btn tv-btn-small tv-next-match" title="Next match (Enter)" on:click=move |_| step(false)>"↓"</button>
            </div>
            <div class="tv-timebar">
                <div class="tv-col-tree"><ZoomControls view=time /></div>
                <div class="tv-col-time"><Minimap density=density view=time compute=compute_density /></div>
            </div>
            <div class="tv-colheads">
                <div class="tv-col-tree">"Span"</div>
                <div class="tv-col-time" node_ref=time_head><TimeAxis view=time /></div>
            </div>
            <div
                class="tv-scroll"
                node_ref=scroller
                tabindex="0"
                on:scroll=move |_| {
                    if let Some(el) = scroller.get_untracked() {
                        scroll_top.set(el.scroll_top() as f64);
                    }
                }
                on:keydown=on_key
                on:wheel=on_wheel
            >
                <div class="tv-rows" style:height=total_height>
                    // Keyed by (row, span): scrolling creates only the rows that come into view.
                    <For
                        each=move || {
                            let w = window.get();
                            ctx.rows.with(|r| {
                                r.rows()[w.first..w.last].iter().enumerate().map(|(k, &s)| (w.first + k, s)).collect::<Vec<_>>()
                            })
                        }
                        key=|&(row, span)| (row, span)
                        children=move |(row, span)| span_row(ctx, time, row, span)
                    />
                </div>
            </div>
        </section>
    }
}

fn span_row(ctx: TraceCtx, time: TimeView, row: usize, span: SpanIdx) -> impl IntoView {
    let (name, ty, ty_class, depth, has_children, dur, (start, end), is_error, flagged, status_msg) =
        ctx.trace.with_value(|t| {
            let s = t.span(span);
            let bar = (s.start_ns, s.end_ns);
            let flagged = s.flags
                & (flags::ORPHAN
                    | flags::CYCLE
                    | flags::DUPLICATE_ID
                    | flags::UNFINISHED
                    | flags::NEGATIVE_DURATION
                    | flags::BAD_FIELD);
            (
                label(t.name(span)),
                s.span_type.label().to_string(),
                s.span_type.css_class(),
                s.depth,
                !t.children(span).is_empty(),
                if s.end_ns.is_some() {
                    duration_ns(s.duration_ns())
                } else {
                    "running".into()
                },
                bar,
                s.is_error(),
                flagged,
                t.text(s.status_message).to_string(),
            )
        });
    let indent = depth.min(MAX_INDENT_LEVELS) as f64 * 14.0 + 4.0;
    let deep_marker = (depth > MAX_INDENT_LEVELS).then(
        || view! { <span class="tv-deep" title="nesting depth">{format!("↳{depth}")}</span> },
    );
    let expanded = move || ctx.rows.with(|r| r.is_expanded(span));
    let hits = use_context::<SearchHits>();
    let order = ctx.trace.with_value(|t| t.span(span).order);
    let is_hit = move || {
        hits.is_some_and(|h| {
            h.0.with(|m| {
                ctx.trace
                    .with_value(|t| m.binary_search_by_key(&order, |&x| t.span(x).order).is_ok())
            })
        })
    };
    // Zooming and panning only restyle the bar (no new elements).
    let bar = Memo::new(move |_| time.range.get().bar_in_view(start, end));
    let flag_title = flag_text(flagged);
    let name_title = name.clone();
    view! {
        <div
            class="tv-row"
            class:tv-selected=move || ctx.selected.get() == Some(span)
            class:tv-row-error=is_error
            class:tv-match=is_hit
            data-span=span.to_string()
            style:top=format!("{}px", row as f64 * ROW_HEIGHT)
            on:click=move |_| ctx.select(Some(span))
        >
            <div class="tv-cell-tree" style:padding-left=format!("{indent}px")>
                {if has_children {
                    view! {
                        <button
                            class="tv-twisty"
                            aria-label="expand or collapse"
                            on:click=move |ev| {
                                ev.stop_propagation();
                                ctx.toggle(span);
                            }
                        >
                            {move || if expanded() { "▾" } else { "▸" }}
                        </button>
                    }
                        .into_any()
                } else {
                    view! { <span class="tv-twisty-space"></span> }.into_any()
                }}
                {deep_marker}
                <span class=format!("tv-badge tv-type-{ty_class}") title=ty.clone()>{short_type(&ty)}</span>
                <span class="tv-name" title=name_title>{name}</span>
                {is_error.then(|| view! { <span class="tv-err-dot" title=format!("error: {status_msg}")>"!"</span> })}
                {(!flag_title.is_empty()).then(|| view! { <span class="tv-flag" title=flag_title.clone()>"⚠"</span> })}
                <span class="tv-dur">{dur}</span>
            </div>
            <div class="tv-cell-time" title="double-click to zoom to this span"
                on:dblclick=move |_| time.show(start, end.unwrap_or(time.bounds.end_ns))>
                <div
                    class=format!("tv-bar tv-type-{ty_class}")
                    class:tv-bar-error=is_error
                    class:tv-bar-out=move || bar.get().is_none()
                    style:left=move || bar.get().map(|b| format!("{:.4}%", b.left * 100.0))
                    style:width=move || bar.get().map(|b| format!("max(2px, {:.4}%)", b.width * 100.0))
                ></div>
            </div>
        </div>
    }
}

fn short_type(label: &str) -> String {
    match label {
        "CHAT_MODEL" => "CHAT".into(),
        "EMBEDDING" => "EMBED".into(),
        "RETRIEVER" => "RETRV".into(),
        "RERANKER" => "RRANK".into(),
        "GUARDRAIL" => "GUARD".into(),
        "EVALUATOR" => "EVAL".into(),
        "UNKNOWN" => "SPAN".into(),
        other => crate::model::format::truncate_chars(other, 6),
    }
}

fn flag_text(f: u8) -> String {
    let mut parts = Vec::new();
    for (bit, text) in [
        (flags::ORPHAN, "parent not in trace"),
        (flags::CYCLE, "parent cycle cut here"),
        (flags::DUPLICATE_ID, "duplicate span id"),
        (flags::UNFINISHED, "no end time"),
        (flags::NEGATIVE_DURATION, "ends before it starts"),
        (flags::BAD_FIELD, "a field could not be read"),
    ] {
        if f & bit != 0 {
            parts.push(text);
        }
    }
    parts.join("; ")
}
