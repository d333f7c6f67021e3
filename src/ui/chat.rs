//! Chat messages of a span: roles, content, tool calls and the results that answer them.

use super::json::long_text;
use crate::model::derive::{Chat, Part};
use leptos::prelude::*;

#[component]
pub fn ChatView(chat: Chat) -> impl IntoView {
    let tools = chat.tools.clone();
    view! {
        <div class="tv-chat">
            {(!tools.is_empty()).then(|| view! {
                <div class="tv-chat-tools">
                    "Tools offered: "
                    {tools.into_iter().map(|t| view! { <span class="tv-chip">{t}</span> }).collect_view()}
                </div>
            })}
            {chat.messages.into_iter().map(|m| {
                let role = m.role.clone();
                let role_class = match role.as_str() {
                    "user" | "human" => "user",
                    "assistant" | "ai" | "model" => "assistant",
                    "system" | "developer" => "system",
                    "tool" | "function" => "tool",
                    _ => "other",
                };
                view! {
                    <div class=format!("tv-msg tv-msg-{role_class}")>
                        <div class="tv-msg-role">
                            {role}
                            {m.name.map(|n| view! { <span class="tv-muted">{format!(" · {}", crate::model::format::label(&n))}</span> })}
                            {m.tool_call_id.map(|id| view! { <span class="tv-muted tv-mono">{format!(" · answers {id}")}</span> })}
                        </div>
                        {m.parts.into_iter().map(part_view).collect_view()}
                    </div>
                }
            }).collect_view()}
        </div>
    }
}

fn part_view(p: Part) -> AnyView {
    match p {
        Part::Text(t) => view! { <div class="tv-msg-text">{long_text(t, "tv-pre")}</div> }.into_any(),
        Part::ToolCall { id, name, arguments } => {
            let args = pretty_if_json(&arguments);
            view! {
                <div class="tv-tool-call">
                    <div class="tv-tool-call-head">
                        <span class="tv-muted">"tool call "</span> <b>{crate::model::format::label(&name)}</b>
                        {id.map(|id| view! { <span class="tv-muted tv-mono">{format!("  {id}")}</span> })}
                    </div>
                    <div class="tv-tool-args">{long_text(args, "tv-pre tv-mono")}</div>
                </div>
            }
            .into_any()
        }
        Part::ToolResult { id, content } => view! {
            <div class="tv-tool-result">
                <div class="tv-tool-call-head">
                    <span class="tv-muted">"tool result"</span>
                    {id.map(|id| view! { <span class="tv-muted tv-mono">{format!("  {id}")}</span> })}
                </div>
                <div class="tv-tool-args">{long_text(pretty_if_json(&content), "tv-pre tv-mono")}</div>
            </div>
        }
        .into_any(),
        Part::Other { kind } => view! { <div class="tv-muted">{format!("[{kind} content not shown]")}</div> }.into_any(),
    }
}

fn pretty_if_json(s: &str) -> String {
    match serde_json::from_str::<serde_json::Value>(s) {
        Ok(v @ (serde_json::Value::Object(_) | serde_json::Value::Array(_))) => {
            serde_json::to_string_pretty(&v).unwrap_or_else(|_| s.to_string())
        }
        _ => s.to_string(),
    }
}
