//! The timeline's overview (minimap): every span of the trace, merged into a small grid of time
//! columns × depth bands, so a million spans draw as a few thousand rectangles (level of detail:
//! sub-pixel spans add up instead of being drawn one by one).

use crate::layout::TimeScale;
use crate::model::Trace;

/// Span counts per (depth band, column); `errors` counts the failed spans alone.
#[derive(Clone, Debug, PartialEq)]
pub struct Density {
    pub cols: usize,
    pub bands: usize,
    pub counts: Vec<u32>,
    pub errors: Vec<u32>,
    /// The largest count, for shading.
    pub max: u32,
}

impl Density {
    /// Counts, for each column and band, the spans that overlap the column's time slice. Depths past
    /// the last band share it. O(spans + cols × bands) with per-band difference arrays.
    pub fn compute(trace: &Trace, cols: usize, bands: usize) -> Density {
        let (cols, bands) = (cols.max(1), bands.max(1));
        let scale = TimeScale::new(trace.start_ns, trace.end_ns);
        let mut diff = vec![0i64; bands * (cols + 1)];
        let mut err_diff = vec![0i64; bands * (cols + 1)];
        for s in &trace.spans {
            let band = (s.depth as usize).min(bands - 1);
            let a = ((scale.fraction(s.start_ns) * cols as f64) as usize).min(cols - 1);
            let end = s.end_ns.unwrap_or(trace.end_ns).max(s.start_ns);
            let b = ((scale.fraction(end) * cols as f64).ceil() as usize).clamp(a + 1, cols);
            let row = band * (cols + 1);
            diff[row + a] += 1;
            diff[row + b] -= 1;
            if s.is_error() {
                err_diff[row + a] += 1;
                err_diff[row + b] -= 1;
            }
        }
        let mut counts = vec![0u32; bands * cols];
        let mut errors = vec![0u32; bands * cols];
        let mut max = 0;
        for band in 0..bands {
            let (mut run, mut err_run) = (0i64, 0i64);
            for col in 0..cols {
                run += diff[band * (cols + 1) + col];
                err_run += err_diff[band * (cols + 1) + col];
                let c = run.max(0) as u32;
                counts[band * cols + col] = c;
                errors[band * cols + col] = err_run.max(0) as u32;
                max = max.max(c);
            }
        }
        Density {
            cols,
            bands,
            counts,
            errors,
            max,
        }
    }

    pub fn count(&self, band: usize, col: usize) -> u32 {
        self.counts[band * self.cols + col]
    }

    pub fn error_count(&self, band: usize, col: usize) -> u32 {
        self.errors[band * self.cols + col]
    }

    /// Opacity for a cell: logarithmic, so one span is visible next to a thousand.
    pub fn shade(&self, count: u32) -> f64 {
        if count == 0 || self.max == 0 {
            return 0.0;
        }
        let t = (1.0 + count as f64).ln() / (1.0 + self.max as f64).ln();
        0.45 + 0.55 * t
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::parse_str;

    fn trace(spans: &[(&str, Option<&str>, u64, u64, &str)]) -> Trace {
        let spans: Vec<String> = spans
            .iter()
            .map(|(id, parent, start, end, status)| {
                format!(
                    r#"{{"trace_id":"T","span_id":"{id}","parent_span_id":{},"name":"{id}","start_time_unix_nano":{start},"end_time_unix_nano":{end},"status":{{"code":"{status}"}},"attributes":{{}},"events":[]}}"#,
                    parent.map(|p| format!("\"{p}\"")).unwrap_or("null".into())
                )
            })
            .collect();
        let text = format!(
            r#"{{"info":{{"trace_id":"tr-1","state":"OK"}},"data":{{"spans":[{}]}}}}"#,
            spans.join(",")
        );
        parse_str(&text).unwrap().traces.remove(0)
    }

    #[test]
    fn spans_are_counted_where_they_run() {
        let t = trace(&[
            ("root", None, 1_000, 1_100, "STATUS_CODE_OK"),
            ("a", Some("root"), 1_000, 1_050, "STATUS_CODE_OK"),
            ("b", Some("root"), 1_050, 1_100, "STATUS_CODE_ERROR"),
            ("c", Some("a"), 1_010, 1_011, "STATUS_CODE_OK"),
        ]);
        let d = Density::compute(&t, 10, 3);
        assert_eq!(
            (0..10).map(|c| d.count(0, c)).collect::<Vec<_>>(),
            vec![1; 10]
        );
        assert_eq!(
            (0..10).map(|c| d.count(1, c)).collect::<Vec<_>>(),
            vec![1, 1, 1, 1, 1, 1, 1, 1, 1, 1]
        );
        assert_eq!((0..10).map(|c| d.error_count(1, c)).sum::<u32>(), 5);
        // a span shorter than a column still shows in its column
        assert_eq!(d.count(2, 1), 1);
        assert_eq!((0..10).map(|c| d.count(2, c)).sum::<u32>(), 1);
        assert_eq!(d.max, 1);
    }

    #[test]
    fn many_spans_merge_into_a_bounded_grid() {
        let mut spans = vec![("root".to_string(), None, 1_000u64, 1_001_000u64)];
        for i in 0..10_000u64 {
            spans.push((
                format!("s{i}"),
                Some("root"),
                1_000 + i * 100,
                1_000 + i * 100 + 50,
            ));
        }
        let owned: Vec<(&str, Option<&str>, u64, u64, &str)> = spans
            .iter()
            .map(|(id, p, a, b)| (id.as_str(), *p, *a, *b, "STATUS_CODE_OK"))
            .collect();
        let t = trace(&owned);
        let d = Density::compute(&t, 200, 4);
        assert_eq!(d.counts.len(), 800);
        // 10,000 children over 200 columns: 50 per column (51 where float rounding at a column
        // edge counts a span in both neighbours)
        let band1: Vec<u32> = (0..200).map(|c| d.count(1, c)).collect();
        assert!(band1.iter().all(|&c| c == 50 || c == 51), "{band1:?}");
        assert!(d.shade(1) > 0.45 && d.shade(d.max) == 1.0 && d.shade(0) == 0.0);
    }
}
