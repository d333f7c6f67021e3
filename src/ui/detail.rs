//! The selected span: summary, then tabs for chat, inputs/outputs, attributes and events.
//! Attribute values are decoded here, when the span is shown — never at load.

use super::chat::ChatView;
use super::copy_to_clipboard;
use super::json::{long_text, JsonBlock};
use super::trace_view::TraceCtx;
use crate::model::attrs::{decode, id_to_hex, Fidelity};
use crate::model::derive::{self, chat, exceptions, span_tokens};
use crate::model::format::{count, duration_ns};
use crate::model::{SpanIdx, StatusCode, Trace};
use leptos::prelude::*;
use serde_json::Value;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    Chat,
    Io,
    Attributes,
    Events,
}

#[component]
pub fn SpanDetail() -> impl IntoView {
    let ctx = expect_context::<TraceCtx>();
    view! {
        <section class="tv-detail">
            {move || match ctx.selected.get() {
                None => view! { <div class="tv-empty">"Select a span to see its inputs, outputs and attributes."</div> }.into_any(),
                Some(span) => ctx.trace.with_value(|t| span_detail(t, span)),
            }}
        </section>
    }
}

fn span_detail(t: &Trace, span: SpanIdx) -> AnyView {
    let s = t.span(span);
    let name = crate::model::format::label(t.name(span));
    let id_hex = id_to_hex(t.text(s.id));
    let id_copy = id_hex.clone();
    let ty = s.span_type.label().to_string();
    let ty_class = s.span_type.css_class();
    let offset = duration_ns(s.start_ns.saturating_sub(t.start_ns));
    let dur = if s.end_ns.is_some() {
        duration_ns(s.duration_ns())
    } else {
        "not finished".into()
    };
    let self_time = duration_ns(s.self_ns);
    let status = s.status;
    let status_msg = t.text(s.status_message).to_string();
    let tokens = span_tokens(t, span);
    let model = derive::model_name(t, span);
    let chat = chat(t, span);
    let inputs = derive::inputs(t, span);
    let outputs = derive::outputs(t, span);
    let exc = exceptions(t, span);
    let n_events = t.span_events(span).len();
    let attrs = attribute_rows(t, span);
    let events = event_rows(t, span);

    let initial = if chat.is_some() { Tab::Chat } else { Tab::Io };
    let tab = RwSignal::new(initial);
    let has_chat = chat.is_some();
    let chat = StoredValue::new(chat);
    let io = StoredValue::new((inputs, outputs));
    let attrs = StoredValue::new(attrs);
    let events = StoredValue::new(events);
    let tab_btn = move |which: Tab, label: String| {
        view! {
            <button class="tv-tab" class:tv-tab-active=move || tab.get() == which on:click=move |_| tab.set(which)>
                {label}
            </button>
        }
    };
    view! {
        <div class="tv-detail-head">
            <div class="tv-detail-title">
                <span class=format!("tv-badge tv-type-{ty_class}")>{ty}</span>
                <h2 class="tv-span-name">{name}</h2>
            </div>
            <div class="tv-detail-facts">
                <span class=format!("tv-status tv-status-{}", match status { StatusCode::Error => "error", StatusCode::Ok => "ok", StatusCode::Unset => "unknown" })>
                    {status.label()}
                </span>
                <span title="Duration"><b>{dur}</b></span>
                <span title="Time not covered by child spans">"self " {self_time}</span>
                <span title="Start, relative to the trace start">"+" {offset}</span>
                {model.map(|m| view! { <span class="tv-chip" title="mlflow.llm.model">{m}</span> })}
                {tokens.map(|u| view! {
                    <span class="tv-chip" title="mlflow.chat.tokenUsage">
                        {format!("{} tokens ({} in · {} out)", count(u.total), count(u.input), count(u.output))}
                    </span>
                })}
                <span class="tv-mono tv-small tv-muted">{id_hex}</span>
                <button class="tv-icon-btn" title="Copy span ID" on:click=move |_| copy_to_clipboard(&id_copy)>{super::icons::copy_icon()}</button>
            </div>
            {(status == StatusCode::Error && !status_msg.is_empty()).then(|| view! {
                <div class="tv-error-banner">{long_text(status_msg, "tv-pre")}</div>
            })}
            {exc.into_iter().map(|e| view! {
                <details class="tv-exception" open=true>
                    <summary><b>{e.kind}</b> ": " {e.message}</summary>
                    <pre class="tv-stack">{e.stacktrace}</pre>
                </details>
            }).collect_view()}
        </div>
        <nav class="tv-tabs">
            {has_chat.then(|| tab_btn(Tab::Chat, "Chat".into()))}
            {tab_btn(Tab::Io, "Inputs / Outputs".into())}
            {tab_btn(Tab::Attributes, format!("Attributes ({})", attrs.with_value(|a| a.len())))}
            {tab_btn(Tab::Events, format!("Events ({n_events})"))}
        </nav>
        <div class="tv-tab-body">
            {move || match tab.get() {
                Tab::Chat => chat.with_value(|c| c.clone().map(|c| view! { <ChatView chat=c /> }.into_any()).unwrap_or_else(|| ().into_any())),
                Tab::Io => io.with_value(|(i, o)| {
                    let block = |title: &str, d: &Option<crate::model::attrs::Decoded>| match d {
                        Some(d) => view! { <JsonBlock title=title.to_string() value=d.value.clone() note=fidelity_note(d.fidelity) /> }.into_any(),
                        None => view! { <div class="tv-json-block"><div class="tv-json-title">{title.to_string()}</div><div class="tv-muted tv-small">"none recorded"</div></div> }.into_any(),
                    };
                    view! { {block("Inputs", i)} {block("Outputs", o)} }.into_any()
                }),
                Tab::Attributes => attrs.with_value(|rows| attributes_table(rows.clone())),
                Tab::Events => events.with_value(|ev| events_list(ev.clone())),
            }}
        </div>
    }
    .into_any()
}

fn fidelity_note(f: Fidelity) -> String {
    match f {
        Fidelity::Exact => String::new(),
        Fidelity::NonStandardLiterals => "contains NaN/Infinity, shown as text".into(),
        Fidelity::RawText => "not valid JSON: shown as recorded".into(),
    }
}

/// (key, decoded value, is MLflow-internal)
fn attribute_rows(t: &Trace, span: SpanIdx) -> Vec<(String, Value, bool)> {
    let mut rows: Vec<(String, Value, bool)> = t
        .span_attrs(span)
        .iter()
        .map(|a| {
            let key = t.text(a.key).to_string();
            let internal = key.starts_with("mlflow.");
            (key, decode(t, a).value, internal)
        })
        .collect();
    // What people set themselves first; MLflow's bookkeeping after.
    rows.sort_by_key(|r| r.2);
    rows
}

/// Attribute rows drawn before "show all": a span with 10,000 attributes opens instantly.
const FIRST_ATTRS: usize = 200;

fn attributes_table(rows: Vec<(String, Value, bool)>) -> AnyView {
    if rows.is_empty() {
        return view! { <div class="tv-muted">"No attributes."</div> }.into_any();
    }
    let total = rows.len();
    let all = RwSignal::new(total <= FIRST_ATTRS);
    let rows = StoredValue::new(rows);
    view! {
        <table class="tv-attr-table">
            <tbody>
                {move || {
                    let n = if all.get() { total } else { FIRST_ATTRS };
                    rows.with_value(|rows| rows[..n].iter().map(|(k, v, internal)| {
                        let value = match v {
                            Value::String(s) => long_text(s.clone(), "tv-pre"),
                            Value::Object(_) | Value::Array(_) => super::json::json_node(None, v, 1),
                            other => view! { <span class="tv-mono">{other.to_string()}</span> }.into_any(),
                        };
                        view! {
                            <tr class:tv-attr-internal=*internal>
                                <th class="tv-mono">{crate::model::format::label(k)}</th>
                                <td>{value}</td>
                            </tr>
                        }
                    }).collect_view())
                }}
            </tbody>
        </table>
        {move || (!all.get()).then(|| view! {
            <button class="tv-link-btn tv-show-all" on:click=move |_| all.set(true)>
                {format!("show all {} attributes", count(total as u64))}
            </button>
        })}
    }
    .into_any()
}

/// An event as shown: name, offset from the trace start, attributes.
type EventRow = (String, String, Vec<(String, Value)>);

fn event_rows(t: &Trace, span: SpanIdx) -> Vec<EventRow> {
    t.span_events(span)
        .iter()
        .map(|e| {
            let when = e
                .time_ns
                .map(|ns| format!("+{}", duration_ns(ns.saturating_sub(t.start_ns))))
                .unwrap_or_default();
            let attrs = t
                .event_attrs(e)
                .iter()
                .map(|a| (t.text(a.key).to_string(), decode(t, a).value))
                .collect();
            (t.text(e.name).to_string(), when, attrs)
        })
        .collect()
}

fn events_list(events: Vec<EventRow>) -> AnyView {
    if events.is_empty() {
        return view! { <div class="tv-muted">"No events."</div> }.into_any();
    }
    events
        .into_iter()
        .map(|(name, when, attrs)| {
            let is_exc = name == "exception";
            view! {
                <div class="tv-event" class:tv-event-exception=is_exc>
                    <div class="tv-event-head"><b>{name}</b> <span class="tv-muted tv-small">{when}</span></div>
                    {attributes_table(attrs.into_iter().map(|(k, v)| (k, v, false)).collect())}
                </div>
            }
        })
        .collect_view()
        .into_any()
}
