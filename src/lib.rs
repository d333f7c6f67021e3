//! trace-view: a viewer for MLflow Tracing data.
//!
//! Data flows one way: bytes → [`model::parse`] → [`model::Trace`] (span arena + indices) →
//! [`layout`] (visible rows, timeline geometry) → `ui` (Leptos components, wasm only).
//! `model` and `layout` are pure Rust with no web dependencies and are tested natively; `ui`,
//! `api` and the wasm entry points exist only when compiling for the browser.

pub mod api;
pub mod layout;
pub mod model;

#[cfg(target_arch = "wasm32")]
pub mod ui;

#[cfg(target_arch = "wasm32")]
pub mod embed;
#[cfg(target_arch = "wasm32")]
mod entry;
#[cfg(target_arch = "wasm32")]
pub use entry::*;
