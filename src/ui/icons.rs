//! Inline SVG icons: symbol fonts are not everywhere (headless Chromium has none), SVG is.

use leptos::prelude::*;

pub fn copy_icon() -> impl IntoView {
    view! {
        <svg class="tv-icon" viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
            <rect x="5" y="5" width="9" height="9" rx="1.5" fill="none" stroke="currentColor" stroke-width="1.5"></rect>
            <path d="M3 11V3.5C3 2.7 3.7 2 4.5 2H11" fill="none" stroke="currentColor" stroke-width="1.5"></path>
        </svg>
    }
}

pub fn upload_icon() -> impl IntoView {
    view! {
        <svg class="tv-icon" viewBox="0 0 24 24" width="28" height="28" aria-hidden="true">
            <path d="M12 16V4M6 10l6-6 6 6M4 20h16" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"></path>
        </svg>
    }
}
