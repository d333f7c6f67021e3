//! Timeline geometry: where a span's bar goes on the trace's time axis, and the axis ticks.

/// Maps a time range (ns since the epoch) onto fractions `[0, 1]` of the timeline width.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TimeScale {
    pub start_ns: u64,
    pub end_ns: u64,
}

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
    fn ticks_are_round() {
        let s = TimeScale::new(0, 288_000_000); // 288 ms
        let t = s.ticks(6);
        assert_eq!(t[1].1, 50_000_000);
        assert_eq!(t.len(), 6);
        assert!(t.iter().all(|(f, _)| (0.0..=1.0).contains(f)));
        assert_eq!(TimeScale::new(5, 5).ticks(5).len(), 2);
    }
}
