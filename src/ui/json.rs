//! A collapsible JSON tree. Long strings are folded, big arrays and objects show their first items,
//! and deep levels start closed. Everything is rendered as text nodes.

use super::copy_to_clipboard;
use leptos::prelude::*;
use serde_json::Value;

/// Strings longer than this many characters are folded behind "show all".
const FOLD_CHARS: usize = 400;
/// Children shown before "show N more".
const FIRST_ITEMS: usize = 100;
/// Levels open by default.
const OPEN_LEVELS: usize = 2;

/// A titled, copyable JSON value.
#[component]
pub fn JsonBlock(
    title: String,
    value: Value,
    #[prop(optional)] note: Option<String>,
) -> impl IntoView {
    let pretty = serde_json::to_string_pretty(&value).unwrap_or_default();
    view! {
        <div class="tv-json-block">
            <div class="tv-json-title">
                <span>{title}</span>
                {note.map(|n| view! { <span class="tv-note">{n}</span> })}
                <button class="tv-icon-btn" title="Copy as JSON" on:click=move |_| copy_to_clipboard(&pretty)>{super::icons::copy_icon()}" Copy"</button>
            </div>
            <div class="tv-json">{json_node(None, &value, 0)}</div>
        </div>
    }
}

/// One node; `key` is the object key or array index label.
pub fn json_node(key: Option<String>, value: &Value, level: usize) -> AnyView {
    let key_view = key.map(
        |k| view! { <span class="tv-json-key">{k}</span><span class="tv-json-colon">": "</span> },
    );
    match value {
        Value::Object(map) if !map.is_empty() => {
            let items: Vec<(String, Value)> =
                map.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
            let summary = format!("{{…}} {} keys", items.len());
            container(key_view, summary, items, level)
        }
        Value::Array(list) if !list.is_empty() => {
            let items: Vec<(String, Value)> = list
                .iter()
                .enumerate()
                .map(|(i, v)| (i.to_string(), v.clone()))
                .collect();
            let summary = format!("[…] {} items", items.len());
            container(key_view, summary, items, level)
        }
        _ => view! { <div class="tv-json-leaf">{key_view}{scalar(value)}</div> }.into_any(),
    }
}

fn container(
    key_view: Option<impl IntoView + 'static>,
    summary: String,
    items: Vec<(String, Value)>,
    level: usize,
) -> AnyView {
    let total = items.len();
    let shown = RwSignal::new(FIRST_ITEMS.min(total));
    let items = StoredValue::new(items);
    view! {
        <details class="tv-json-node" open=level < OPEN_LEVELS>
            <summary>{key_view}<span class="tv-json-summary">{summary}</span></summary>
            <div class="tv-json-children">
                {move || {
                    let n = shown.get();
                    items.with_value(|items| {
                        items[..n].iter().map(|(k, v)| json_node(Some(k.clone()), v, level + 1)).collect_view()
                    })
                }}
                {move || (shown.get() < total).then(|| view! {
                    <button class="tv-link-btn" on:click=move |_| shown.update(|n| *n = (*n + FIRST_ITEMS * 10).min(total))>
                        {format!("show {} more", total - shown.get())}
                    </button>
                })}
            </div>
        </details>
    }
    .into_any()
}

fn scalar(v: &Value) -> AnyView {
    match v {
        Value::String(s) => long_text(s.clone(), "tv-json-string"),
        Value::Number(n) => {
            view! { <span class="tv-json-number">{n.to_string()}</span> }.into_any()
        }
        Value::Bool(b) => view! { <span class="tv-json-bool">{b.to_string()}</span> }.into_any(),
        Value::Null => view! { <span class="tv-json-null">"null"</span> }.into_any(),
        Value::Object(_) => view! { <span class="tv-json-empty">"{}"</span> }.into_any(),
        Value::Array(_) => view! { <span class="tv-json-empty">"[]"</span> }.into_any(),
    }
}

/// Text that folds when long; shown with visible line breaks.
pub fn long_text(s: String, class: &'static str) -> AnyView {
    // Control, zero-width and bidi characters are shown, so text cannot disguise itself.
    let s = match crate::model::format::reveal_invisible(&s) {
        std::borrow::Cow::Borrowed(_) => s,
        std::borrow::Cow::Owned(o) => o,
    };
    let chars = s.chars().count();
    if chars <= FOLD_CHARS {
        return view! { <span class=class>{s}</span> }.into_any();
    }
    let open = RwSignal::new(false);
    let head: String = s.chars().take(FOLD_CHARS).collect();
    let full = StoredValue::new(s);
    view! {
        <span class=class>
            {move || if open.get() { full.get_value() } else { format!("{head}…") }}
        </span>
        <button class="tv-link-btn" on:click=move |_| open.update(|o| *o = !*o)>
            {move || if open.get() { "show less".to_string() } else { format!("show all ({} chars)", crate::model::format::count(chars as u64)) }}
        </button>
    }
    .into_any()
}
