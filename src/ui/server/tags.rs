//! Editing a trace's tags on the server: the change shows at once and is rolled back, with the
//! server's reason, if the server rejects it. MLflow's own tags (`mlflow.*`) are read-only.

use super::ServerCtx;
use leptos::prelude::*;

#[component]
pub fn TagEditor(trace_id: String, initial: Vec<(String, String)>) -> impl IntoView {
    let ctx = expect_context::<ServerCtx>();
    let server = StoredValue::new(ctx.server.clone());
    let trace_id = StoredValue::new(trace_id);
    let tags = RwSignal::new(initial);
    let message: RwSignal<Option<(bool, String)>> = RwSignal::new(None); // (is_error, text)
    let pending = RwSignal::new(0u32);

    // Optimistic write: show the new tags now, restore the old ones if the server says no.
    let write = move |next: Vec<(String, String)>, op: TagOp| {
        let before = tags.get_untracked();
        tags.set(next);
        message.set(None);
        pending.update(|n| *n += 1);
        leptos::task::spawn_local(async move {
            let server = server.get_value();
            let id = trace_id.get_value();
            let (result, done) = match &op {
                TagOp::Set(k, v) => (server.set_tag(&id, k, v).await, format!("Saved tag {k}")),
                TagOp::Delete(k) => (server.delete_tag(&id, k).await, format!("Deleted tag {k}")),
            };
            pending.update(|n| *n -= 1);
            match result {
                Ok(()) => message.set(Some((false, done))),
                Err(e) => {
                    tags.set(before);
                    let what = match op {
                        TagOp::Set(k, _) => format!("saving tag {k}"),
                        TagOp::Delete(k) => format!("deleting tag {k}"),
                    };
                    message.set(Some((
                        true,
                        format!("The server rejected {what}; the change was undone. {e}"),
                    )));
                }
            }
        });
    };
    let set_tag = move |k: String, v: String| {
        let mut next = tags.get_untracked();
        match next.iter_mut().find(|(key, _)| *key == k) {
            Some(slot) => slot.1 = v.clone(),
            None => next.push((k.clone(), v.clone())),
        }
        write(next, TagOp::Set(k, v));
    };
    let delete_tag = move |k: String| {
        let next: Vec<_> = tags
            .get_untracked()
            .into_iter()
            .filter(|(key, _)| *key != k)
            .collect();
        write(next, TagOp::Delete(k));
    };

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
                                <span class="tv-tag-key">{k.clone()}</span>
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
                                        }>{v1.clone()}</span>
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
                                <span class="tv-tag tv-tag-internal"><span class="tv-tag-key">{k}</span><span class="tv-tag-value">{v}</span></span>
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
