//! Timeline geometry: where a span's bar goes on the trace's time axis, and the axis ticks.

/// Maps a time range (ns since the epoch) onto fractions `[0, 1]` of the timeline width.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TimeScale {
    pub start_ns: u64,
    pub end_ns: u64,
}

/// The narrowest zoom: 1 µs across the whole timeline.
pub const MIN_VIEW_NS: u64 = 1_000;

/// A bar as fractions of the timeline width.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bar {
    pub left: f64,
    pub width: f64,
}

impl TimeScale {
    pub fn new(start_ns: u64, end_ns: u64) -> TimeScale {
        TimeScale {
            start_ns,
            end_ns: end_ns.max(start_ns),
        }
    }

    pub fn span_ns(&self) -> u64 {
        (self.end_ns - self.start_ns).max(1)
    }

    pub fn fraction(&self, t: u64) -> f64 {
        (t.saturating_sub(self.start_ns) as f64 / self.span_ns() as f64).clamp(0.0, 1.0)
    }

    /// The bar for `[start, end]`; unfinished spans (`end = None`) run to the end of the axis.
    pub fn bar(&self, start: u64, end: Option<u64>) -> Bar {
        let left = self.fraction(start);
        let right = self.fraction(end.unwrap_or(self.end_ns).max(start));
        Bar {
            left,
            width: (right - left).max(0.0),
        }
    }

    /// The bar for `[start, end]` if any of it is inside this (zoomed) range; spans wholly outside
    /// get no bar rather than a sliver at the edge.
    pub fn bar_in_view(&self, start: u64, end: Option<u64>) -> Option<Bar> {
        let end = end.unwrap_or(u64::MAX).max(start);
        (end >= self.start_ns && start <= self.end_ns).then(|| self.bar(start, Some(end)))
    }

    /// The time at fraction `f` of the axis.
    pub fn time_at(&self, f: f64) -> u64 {
        self.start_ns + (f.clamp(0.0, 1.0) * self.span_ns() as f64) as u64
    }

    /// Zooms by `factor` (< 1 zooms in) keeping the time under fraction `anchor` in place, staying
    /// inside `bounds` and no narrower than [`MIN_VIEW_NS`].
    pub fn zoomed(&self, factor: f64, anchor: f64, bounds: TimeScale) -> TimeScale {
        let anchor = anchor.clamp(0.0, 1.0);
        let pivot = self.time_at(anchor) as f64;
        let width = (self.span_ns() as f64 * factor.max(1e-6)).clamp(
            MIN_VIEW_NS.min(bounds.span_ns()) as f64,
            bounds.span_ns() as f64,
        );
        let start = pivot - width * anchor;
        TimeScale::window(start, width, bounds)
    }

    /// Moves the range by `delta` of its own width (negative: earlier), staying inside `bounds`.
    pub fn panned(&self, delta: f64, bounds: TimeScale) -> TimeScale {
        let width = self.span_ns() as f64;
        TimeScale::window(self.start_ns as f64 + delta * width, width, bounds)
    }

    /// `[start, end]` widened to at least [`MIN_VIEW_NS`] and padded by `pad` of its width on each
    /// side, inside `bounds` (zoom to a span or a dragged range).
    pub fn fit(start: u64, end: u64, pad: f64, bounds: TimeScale) -> TimeScale {
        let (a, b) = (start.min(end) as f64, start.max(end) as f64);
        let width = ((b - a) * (1.0 + 2.0 * pad)).max(MIN_VIEW_NS.min(bounds.span_ns()) as f64);
        let mid = (a + b) / 2.0;
        TimeScale::window(
            mid - width / 2.0,
            width.min(bounds.span_ns() as f64),
            bounds,
        )
    }

    /// A range of `width` starting at `start`, shifted (not shrunk) to lie inside `bounds`.
    fn window(start: f64, width: f64, bounds: TimeScale) -> TimeScale {
        let lo = bounds.start_ns as f64;
        let hi = bounds.end_ns as f64;
        let width = width.min(hi - lo).max(0.0);
        let start = start.clamp(lo, (hi - width).max(lo));
        let s = start.round() as u64;
        TimeScale::new(s, (s + width.round() as u64).min(bounds.end_ns))
    }

    /// Whether this is the whole of `bounds` (not zoomed).
    pub fn covers(&self, bounds: TimeScale) -> bool {
        self.start_ns <= bounds.start_ns && self.end_ns >= bounds.end_ns
    }

    /// About `target` ticks at a round step, placed at round offsets from `origin` (the trace start)
    /// even when this range is zoomed: `(fraction of this axis, offset from origin in ns)`.
    pub fn ticks_from(&self, target: usize, origin: u64) -> Vec<(f64, u64)> {
        let step = round_step(self.span_ns() as f64 / target.max(1) as f64);
        let from = self.start_ns.saturating_sub(origin);
        let first = from.div_ceil(step) * step;
        (0..)
            .map(|k| first + k * step)
            .take_while(|off| origin + off <= self.end_ns)
            .take(target * 3 + 2)
            .map(|off| (self.fraction(origin + off), off))
            .collect()
    }

    /// About `target` evenly spaced ticks at a round step (1, 2 or 5 × 10^k ns), as
    /// `(fraction, offset from start in ns)`.
    pub fn ticks(&self, target: usize) -> Vec<(f64, u64)> {
        let span = self.span_ns();
        let raw = span as f64 / target.max(1) as f64;
        let mag = 10f64.powf(raw.log10().floor());
        let step = [1.0, 2.0, 5.0, 10.0]
            .iter()
            .map(|m| m * mag)
            .find(|s| *s >= raw)
            .unwrap_or(10.0 * mag);
        let step = (step as u64).max(1);
        (0..=span / step)
            .map(|k| k * step)
            .map(|off| (off as f64 / span as f64, off))
            .collect()
    }
}

/// The smallest 1, 2 or 5 × 10^k ns step at least `raw`.
fn round_step(raw: f64) -> u64 {
    let mag = 10f64.powf(raw.max(1.0).log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    (step as u64).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_are_fractions_of_the_axis() {
        let s = TimeScale::new(1_000, 2_000);
        assert_eq!(
            s.bar(1_000, Some(2_000)),
            Bar {
                left: 0.0,
                width: 1.0
            }
        );
        assert_eq!(
            s.bar(1_250, Some(1_500)),
            Bar {
                left: 0.25,
                width: 0.25
            }
        );
        assert_eq!(
            s.bar(1_500, None),
            Bar {
                left: 0.5,
                width: 0.5
            }
        );
        // reversed and out-of-range spans stay inside the axis with no negative width
        assert_eq!(s.bar(1_900, Some(1_100)).width, 0.0);
        assert_eq!(
            s.bar(0, Some(5_000)),
            Bar {
                left: 0.0,
                width: 1.0
            }
        );
    }

    #[test]
    fn zoom_keeps_the_anchor_and_stays_in_bounds() {
        let all = TimeScale::new(0, 1_000_000);
        let z = all.zoomed(0.5, 0.5, all);
        assert_eq!((z.start_ns, z.end_ns), (250_000, 750_000));
        // anchored at the left edge: the left edge stays
        let z2 = z.zoomed(0.5, 0.0, all);
        assert_eq!((z2.start_ns, z2.end_ns), (250_000, 500_000));
        // zooming out past the whole trace gives the whole trace
        assert_eq!(z2.zoomed(100.0, 0.3, all), all);
        assert!(all.zoomed(1.0, 0.5, all).covers(all));
        // never narrower than 1 µs
        let tiny = all.zoomed(1e-9, 0.5, all);
        assert_eq!(tiny.span_ns(), MIN_VIEW_NS);
    }

    #[test]
    fn pan_and_fit_stay_in_bounds() {
        let all = TimeScale::new(1_000, 11_000);
        let z = TimeScale::new(3_000, 5_000);
        assert_eq!(z.panned(0.5, all), TimeScale::new(4_000, 6_000));
        assert_eq!(z.panned(-10.0, all), TimeScale::new(1_000, 3_000));
        assert_eq!(z.panned(10.0, all), TimeScale::new(9_000, 11_000));
        let f = TimeScale::fit(5_000, 7_000, 0.05, all);
        assert_eq!((f.start_ns, f.end_ns), (4_900, 7_100));
        assert_eq!(TimeScale::fit(0, u64::MAX, 0.0, all), all);
        // a zero-length span still gets a visible range
        assert_eq!(
            TimeScale::fit(5_000, 5_000, 0.1, all).span_ns(),
            MIN_VIEW_NS
        );
    }

    #[test]
    fn bars_outside_the_view_are_hidden() {
        let v = TimeScale::new(1_000, 2_000);
        assert_eq!(v.bar_in_view(0, Some(999)), None);
        assert_eq!(v.bar_in_view(2_001, Some(3_000)), None);
        let b = v.bar_in_view(500, Some(1_500)).unwrap();
        assert_eq!((b.left, b.width), (0.0, 0.5));
        // unfinished spans run on past the view
        assert_eq!(v.bar_in_view(1_500, None).unwrap().width, 0.5);
    }

    #[test]
    fn zoomed_ticks_stay_round_from_the_trace_start() {
        let origin = 1_000_000_000;
        let v = TimeScale::new(origin + 12_345_678, origin + 22_345_678); // 12.3–22.3 ms in
        let t = v.ticks_from(5, origin);
        assert_eq!(t[0].1, 14_000_000);
        assert!(t.iter().all(|(_, off)| off % 2_000_000 == 0));
        assert!(t.iter().all(|(f, _)| (0.0..=1.0).contains(f)));
        assert_eq!(t.len(), 5);
        let all = TimeScale::new(origin, origin + 288_000_000);
        assert_eq!(all.ticks_from(6, origin)[1].1, 50_000_000);
    }

    #[test]
    fn ticks_are_round() {
        let s = TimeScale::new(0, 288_000_000); // 288 ms
        let t = s.ticks(6);
        assert_eq!(t[1].1, 50_000_000);
        assert_eq!(t.len(), 6);
        assert!(t.iter().all(|(f, _)| (0.0..=1.0).contains(f)));
        assert_eq!(TimeScale::new(5, 5).ticks(5).len(), 2);
    }
}
