//! Editing a trace's tags on the server: the change shows at once and is rolled back, with the
//! server's reason, if the server rejects it. Before writing, the tag is read again: if someone changed
//! it meanwhile, nothing is written and the server's value is shown (MLflow has no compare-and-set, so
//! a change landing between that read and the write can still be overwritten; the window is one
//! round trip). MLflow's own tags (`mlflow.*`) are read-only.

use super::ServerCtx;
use crate::api::{tag_conflict, ApiError, TagConflict};
use crate::model::format::label;
use leptos::prelude::*;

#[component]
pub fn TagEditor(trace_id: String, initial: Vec<(String, String)>) -> impl IntoView {
    let ctx = expect_context::<ServerCtx>();
    let server = StoredValue::new(ctx.server.clone());
    let trace_id = StoredValue::new(trace_id);
    let tags = RwSignal::new(initial);
    let message: RwSignal<Option<(bool, String)>> = RwSignal::new(None); // (is_error, text)
    let pending = RwSignal::new(0u32);

    // The tags as last read from the server: an edit is only sent if the server still has the value
    // the person saw, so a concurrent change elsewhere is never overwritten blindly.
    let base = StoredValue::new(tags.get_untracked());

    // Optimistic write: show the new tags now; check the server's current value, then write; restore
    // the old tags (or show the server's) with the reason if it fails or conflicts.
    let write = move |op: TagOp| {
        let before = tags.get_untracked();
        let mut next = before.clone();
        op.apply(&mut next);
        tags.set(next);
        message.set(None);
        pending.update(|n| *n += 1);
        leptos::task::spawn_local(async move {
            let server = server.get_value();
            let id = trace_id.get_value();
            let outcome = match server.get_trace_info(&id).await {
                Err(e) => Err(Failure::Server(e)),
                Ok(info) => match tag_conflict(op.key(), &base.get_value(), &info.tags) {
                    Some(c) => Err(Failure::Conflict(c, info.tags)),
                    None => {
                        let sent = match &op {
                            TagOp::Set(k, v) => server.set_tag(&id, k, v).await,
                            TagOp::Delete(k) => server.delete_tag(&id, k).await,
                        };
                        sent.map(|()| info.tags).map_err(Failure::Server)
                    }
                },
            };
            pending.update(|n| *n -= 1);
            match outcome {
                Ok(mut now) => {
                    // The server's tags with this edit: also picks up others' changes to other keys.
                    op.apply(&mut now);
                    base.set_value(now.clone());
                    tags.set(now);
                    message.set(Some((false, op.done())));
                }
                Err(Failure::Conflict(c, now)) => {
                    base.set_value(now.clone());
                    tags.set(now);
                    message.set(Some((true, c.to_string())));
                }
                Err(Failure::Server(e)) => {
                    tags.set(before);
                    message.set(Some((
                        true,
                        format!(
                            "The server rejected {}; the change was undone. {e}",
                            op.doing()
                        ),
                    )));
                }
            }
        });
    };
    let set_tag = move |k: String, v: String| write(TagOp::Set(k, v));
    let delete_tag = move |k: String| write(TagOp::Delete(k));

    let new_key = RwSignal::new(String::new());
    let new_value = RwSignal::new(String::new());
    let editing: RwSignal<Option<String>> = RwSignal::new(None);
    let edit_value = RwSignal::new(String::new());
    let add = move || {
        let k = new_key.get_untracked().trim().to_string();
        if k.is_empty() {
            message.set(Some((true, "A tag needs a key.".into())));
            return;
        }
        set_tag(k, new_value.get_untracked());
        new_key.set(String::new());
        new_value.set(String::new());
    };
    view! {
        <div class="tv-tag-editor">
            <span class="tv-tag-editor-title">"Tags"</span>
            {move || {
                let (user, internal): (Vec<_>, Vec<_>) = tags.get().into_iter().partition(|(k, _)| !k.starts_with("mlflow."));
                view! {
                    {user.into_iter().map(|(k, v)| {
                        let (k1, k2, k3, v1) = (k.clone(), k.clone(), k.clone(), v.clone());
                        let is_editing = move || editing.get().as_deref() == Some(k1.as_str());
                        view! {
                            <span class="tv-tag tv-tag-editable" data-key=k.clone()>
                                <span class="tv-tag-key">{label(&k)}</span>
                                {move || if is_editing() {
                                    let k = k2.clone();
                                    view! {
                                        <input class="tv-input tv-tag-input" prop:value=move || edit_value.get()
                                            on:input=move |ev| edit_value.set(event_target_value(&ev))
                                            on:keydown=move |ev: web_sys::KeyboardEvent| {
                                                if ev.key() == "Enter" { editing.set(None); set_tag(k.clone(), edit_value.get_untracked()); }
                                                if ev.key() == "Escape" { editing.set(None); }
                                            } />
                                    }.into_any()
                                } else {
                                    let (k, v) = (k2.clone(), v1.clone());
                                    view! {
                                        <span class="tv-tag-value" title="click to edit" on:click=move |_| {
                                            edit_value.set(v.clone());
                                            editing.set(Some(k.clone()));
                                        }>{label(&v1)}</span>
                                    }.into_any()
                                }}
                                <button class="tv-icon-btn tv-tag-delete" title="Delete tag" on:click=move |_| delete_tag(k3.clone())>"×"</button>
                            </span>
                        }
                    }).collect_view()}
                    {(!internal.is_empty()).then(|| view! {
                        <details class="tv-internal-tags">
                            <summary class="tv-muted tv-small">{format!("{} MLflow tags", internal.len())}</summary>
                            {internal.into_iter().map(|(k, v)| view! {
                                <span class="tv-tag tv-tag-internal"><span class="tv-tag-key">{label(&k)}</span><span class="tv-tag-value">{label(&v)}</span></span>
                            }).collect_view()}
                        </details>
                    })}
                }
            }}
            <span class="tv-tag-add">
                <input class="tv-input tv-new-tag-key" placeholder="key" prop:value=move || new_key.get()
                    on:input=move |ev| new_key.set(event_target_value(&ev)) />
                <input class="tv-input tv-new-tag-value" placeholder="value" prop:value=move || new_value.get()
                    on:input=move |ev| new_value.set(event_target_value(&ev))
                    on:keydown=move |ev: web_sys::KeyboardEvent| if ev.key() == "Enter" { add() } />
                <button class="tv-btn tv-btn-small tv-add-tag" on:click=move |_| add()>"Add tag"</button>
            </span>
            {move || (pending.get() > 0).then(|| view! { <span class="tv-muted tv-small tv-saving">"saving…"</span> })}
            {move || message.get().map(|(err, text)| view! {
                <div class=if err { "tv-tag-message tv-tag-error" } else { "tv-tag-message tv-tag-ok" } role="status">{text}</div>
            })}
        </div>
    }
}

enum TagOp {
    Set(String, String),
    Delete(String),
}

impl TagOp {
    fn key(&self) -> &str {
        match self {
            TagOp::Set(k, _) | TagOp::Delete(k) => k,
        }
    }

    fn apply(&self, tags: &mut Vec<(String, String)>) {
        match self {
            TagOp::Set(k, v) => match tags.iter_mut().find(|(key, _)| key == k) {
                Some(slot) => slot.1 = v.clone(),
                None => tags.push((k.clone(), v.clone())),
            },
            TagOp::Delete(k) => tags.retain(|(key, _)| key != k),
        }
    }

    fn doing(&self) -> String {
        match self {
            TagOp::Set(k, _) => format!("saving tag {k}"),
            TagOp::Delete(k) => format!("deleting tag {k}"),
        }
    }

    fn done(&self) -> String {
        match self {
            TagOp::Set(k, _) => format!("Saved tag {k}"),
            TagOp::Delete(k) => format!("Deleted tag {k}"),
        }
    }
}

enum Failure {
    Server(ApiError),
    Conflict(TagConflict, Vec<(String, String)>),
}
