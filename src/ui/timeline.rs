//! The timeline's controls: the zoomed time range shared by the axis and every row's bar, a minimap
//! of the whole trace drawn on a `<canvas>` (density of all spans, precomputed by
//! [`crate::layout::minimap::Density`]), and the gestures: drag on the minimap to zoom to a range,
//! click it to move there, Ctrl/⌘ + wheel over the timeline to zoom, Shift + wheel to pan,
//! double-click a bar to zoom to its span, buttons to zoom in/out and to fit.

use crate::layout::minimap::Density;
use crate::layout::TimeScale;
use crate::model::format::{axis_label, duration_ns};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The whole trace's range and the part of it the timeline shows.
#[derive(Clone, Copy)]
pub struct TimeView {
    pub bounds: TimeScale,
    pub range: RwSignal<TimeScale>,
}

impl TimeView {
    pub fn new(bounds: TimeScale) -> TimeView {
        TimeView {
            bounds,
            range: RwSignal::new(bounds),
        }
    }

    pub fn zoom(&self, factor: f64, anchor: f64) {
        let b = self.bounds;
        self.range.update(|r| *r = r.zoomed(factor, anchor, b));
    }

    pub fn pan(&self, delta: f64) {
        let b = self.bounds;
        self.range.update(|r| *r = r.panned(delta, b));
    }

    pub fn show(&self, start: u64, end: u64) {
        self.range
            .set(TimeScale::fit(start, end, 0.05, self.bounds));
    }

    pub fn reset(&self) {
        self.range.set(self.bounds);
    }

    /// Wheel over the timeline: Ctrl/⌘ zooms at the pointer, Shift or a sideways wheel pans; a plain
    /// wheel is left to scroll the rows. `x` is the pointer's fraction of the time column.
    pub fn on_wheel(&self, ev: &web_sys::WheelEvent, x: f64) {
        if ev.ctrl_key() || ev.meta_key() {
            ev.prevent_default();
            self.zoom((ev.delta_y() / 300.0).exp(), x);
        } else if ev.shift_key() || ev.delta_x().abs() > ev.delta_y().abs() {
            ev.prevent_default();
            let d = if ev.shift_key() && ev.delta_x() == 0.0 {
                ev.delta_y()
            } else {
                ev.delta_x()
            };
            self.pan(d / 1000.0);
        }
    }
}

/// Where the pointer is across an element, as a fraction of its width.
pub fn pointer_fraction(el: &web_sys::Element, client_x: i32) -> f64 {
    let r = el.get_bounding_client_rect();
    if r.width() <= 0.0 {
        return 0.5;
    }
    ((client_x as f64 - r.left()) / r.width()).clamp(0.0, 1.0)
}

/// Axis labels of the shown range, measured from the trace start.
#[component]
pub fn TimeAxis(view: TimeView) -> impl IntoView {
    view! {
        {move || {
            view.range.get().ticks_from(5, view.bounds.start_ns).into_iter().map(|(f, off)| view! {
                <span class="tv-tick" style:left=format!("{:.3}%", f * 100.0)>{axis_label(off)}</span>
            }).collect_view()
        }}
    }
}

/// The overview strip: every span of the trace by time (x) and depth band (y), with the shown range
/// as a brush.
#[component]
pub fn Minimap(
    density: StoredValue<Option<Density>>,
    view: TimeView,
    #[prop(into)] compute: Callback<usize, Density>,
) -> impl IntoView {
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let strip = NodeRef::<leptos::html::Div>::new();
    // Drag state: the fraction where the drag started and where it is now.
    let drag: RwSignal<Option<(f64, f64)>> = RwSignal::new(None);

    let draw = move || {
        let Some(el) = canvas.get_untracked() else {
            return;
        };
        let el: &web_sys::HtmlCanvasElement = &el;
        let css_w = el.client_width().max(1) as usize;
        let css_h = el.client_height().max(1) as f64;
        let dpr = web_sys::window()
            .map(|w| w.device_pixel_ratio())
            .unwrap_or(1.0)
            .max(1.0);
        el.set_width((css_w as f64 * dpr) as u32);
        el.set_height((css_h * dpr) as u32);
        let needs = density.with_value(|d| d.as_ref().is_none_or(|d| d.cols != css_w));
        if needs {
            density.set_value(Some(compute.run(css_w)));
        }
        let Some(ctx) = el
            .get_context("2d")
            .ok()
            .flatten()
            .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
        else {
            return;
        };
        let _ = ctx.scale(dpr, dpr);
        density.with_value(|d| {
            let Some(d) = d else { return };
            let band_h = css_h / d.bands as f64;
            for (color, errors) in [("#5b8def", false), ("#d63031", true)] {
                ctx.set_fill_style_str(color);
                for band in 0..d.bands {
                    for col in 0..d.cols {
                        let n = if errors {
                            d.error_count(band, col)
                        } else {
                            d.count(band, col)
                        };
                        if n == 0 {
                            continue;
                        }
                        ctx.set_global_alpha(if errors { 0.9 } else { d.shade(n) });
                        ctx.fill_rect(col as f64, band as f64 * band_h + 0.5, 1.0, band_h - 1.0);
                    }
                }
            }
            ctx.set_global_alpha(1.0);
        });
    };
    // Drawn on the next frame: measuring the canvas here would force a layout in the middle of the
    // first render, delaying the tree.
    Effect::new(move |_| {
        if canvas.get().is_some() {
            request_animation_frame(draw);
        }
    });
    let on_resize = window_event_listener(leptos::ev::resize, move |_| draw());
    on_cleanup(move || on_resize.remove());

    let frac = move |ev: &web_sys::MouseEvent| {
        strip
            .get_untracked()
            .map(|el| pointer_fraction(&el, ev.client_x()))
            .unwrap_or(0.5)
    };
    let b = view.bounds;
    let brush = move || {
        let r = view.range.get();
        let (l, w) = (
            b.fraction(r.start_ns),
            b.fraction(r.end_ns) - b.fraction(r.start_ns),
        );
        (
            format!("{:.3}%", l * 100.0),
            format!("max(4px, {:.3}%)", w * 100.0),
        )
    };
    let selection = move || {
        drag.get().map(|(a, z)| {
            (
                format!("{:.3}%", a.min(z) * 100.0),
                format!("{:.3}%", (a - z).abs() * 100.0),
            )
        })
    };
    view! {
        <div class="tv-minimap" node_ref=strip title="Drag to zoom to a range; click to move there"
            on:mousedown=move |ev| { ev.prevent_default(); let f = frac(&ev); drag.set(Some((f, f))); }
            on:mousemove=move |ev| { if drag.get_untracked().is_some() { let f = frac(&ev); drag.update(|d| if let Some(d) = d { d.1 = f }); } }
            on:mouseleave=move |_| drag.set(None)
            on:mouseup=move |ev| {
                let Some((a, _)) = drag.get_untracked() else { return };
                drag.set(None);
                let z = frac(&ev);
                if (a - z).abs() > 0.005 {
                    view.show(b.time_at(a.min(z)), b.time_at(a.max(z)));
                } else {
                    // A click: centre the shown range there.
                    let r = view.range.get_untracked();
                    let centre = b.fraction(r.start_ns) + (b.fraction(r.end_ns) - b.fraction(r.start_ns)) / 2.0;
                    let shift = (z - centre) * b.span_ns() as f64 / r.span_ns() as f64;
                    view.pan(shift);
                }
            }
        >
            <canvas class="tv-minimap-canvas" node_ref=canvas></canvas>
            <div class="tv-minimap-brush" class:tv-minimap-brush-zoomed=move || !view.range.get().covers(b) style:left=move || brush().0 style:width=move || brush().1></div>
            {move || selection().map(|(l, w)| view! { <div class="tv-minimap-selection" style:left=l style:width=w></div> })}
        </div>
    }
}

/// Zoom buttons and the shown range.
#[component]
pub fn ZoomControls(view: TimeView) -> impl IntoView {
    let zoomed = move || !view.range.get().covers(view.bounds);
    let label = move || {
        let r = view.range.get();
        if zoomed() {
            format!(
                "{} – {} of {}",
                axis_label(r.start_ns - view.bounds.start_ns),
                axis_label(r.end_ns - view.bounds.start_ns),
                duration_ns(view.bounds.span_ns())
            )
        } else {
            "whole trace".to_string()
        }
    };
    view! {
        <div class="tv-zoom" title="Ctrl/⌘ + wheel over the timeline zooms, Shift + wheel pans; double-click a bar to zoom to its span">
            <button class="tv-btn tv-btn-small tv-zoom-out" title="Zoom out" on:click=move |_| view.zoom(2.0, 0.5)>"−"</button>
            <button class="tv-btn tv-btn-small tv-zoom-in" title="Zoom in" on:click=move |_| view.zoom(0.5, 0.5)>"+"</button>
            <button class="tv-btn tv-btn-small tv-zoom-fit" title="Show the whole trace" disabled=move || !zoomed() on:click=move |_| view.reset()>"Fit"</button>
            <span class="tv-small tv-muted tv-zoom-range">{label}</span>
        </div>
    }
}
