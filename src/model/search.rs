//! Search within a trace: which spans mention a text, in tree order. Names, attribute keys and values,
//! status messages and event attributes are searched; values are matched in their raw JSON text, so
//! nothing is decoded (a million spans are searched without building a single JSON value).

use super::trace::{SpanIdx, Trace};

/// Case-insensitive substring test; `needle` must already be lowercase.
fn contains_ci(hay: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return true;
    }
    if needle.is_ascii() {
        let (h, n) = (hay.as_bytes(), needle.as_bytes());
        h.len() >= n.len() && h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
    } else {
        hay.to_lowercase().contains(needle)
    }
}

/// Does span `i` mention `needle` (lowercase)?
pub fn span_matches(trace: &Trace, i: SpanIdx, needle: &str) -> bool {
    let s = trace.span(i);
    if contains_ci(trace.name(i), needle)
        || contains_ci(trace.text(s.status_message), needle)
        || contains_ci(s.span_type.label(), needle)
    {
        return true;
    }
    let attr_hit = |a: &super::trace::Attr| {
        contains_ci(trace.text(a.key), needle) || contains_ci(trace.text(a.raw), needle)
    };
    trace.span_attrs(i).iter().any(attr_hit)
        || trace.span_events(i).iter().any(|e| {
            contains_ci(trace.text(e.name), needle) || trace.event_attrs(e).iter().any(attr_hit)
        })
}

/// Spans matching `query`, in pre-order (the order rows appear). Empty or blank query: none.
pub fn find(trace: &Trace, query: &str) -> Vec<SpanIdx> {
    let mut search = IncrementalSearch::new(query);
    search.step(trace, usize::MAX);
    search.matches
}

/// A search run in slices of the pre-order, so the view can yield to input between slices on a huge
/// trace (a million spans take about a second in wasm). Matches found so far are already in order.
#[derive(Clone, Debug)]
pub struct IncrementalSearch {
    needle: String,
    next: usize,
    pub matches: Vec<SpanIdx>,
}

impl IncrementalSearch {
    pub fn new(query: &str) -> IncrementalSearch {
        IncrementalSearch {
            needle: query.trim().to_lowercase(),
            next: 0,
            matches: Vec::new(),
        }
    }

    /// Searches up to `budget` more spans; true when the whole trace has been searched.
    pub fn step(&mut self, trace: &Trace, budget: usize) -> bool {
        if self.needle.is_empty() {
            self.next = trace.preorder.len();
            return true;
        }
        let end = self.next.saturating_add(budget).min(trace.preorder.len());
        let needle = &self.needle;
        self.matches.extend(
            trace.preorder[self.next..end]
                .iter()
                .copied()
                .filter(|&i| span_matches(trace, i, needle)),
        );
        self.next = end;
        self.is_done(trace)
    }

    pub fn is_done(&self, trace: &Trace) -> bool {
        self.next >= trace.preorder.len()
    }

    /// Fraction of the spans searched so far.
    pub fn progress(&self, trace: &Trace) -> f64 {
        if trace.preorder.is_empty() {
            1.0
        } else {
            self.next as f64 / trace.preorder.len() as f64
        }
    }
}

/// The next match after (or, backwards, before) the span at pre-order position `from`, wrapping.
pub fn next_match(
    trace: &Trace,
    matches: &[SpanIdx],
    from: Option<SpanIdx>,
    backwards: bool,
) -> Option<SpanIdx> {
    if matches.is_empty() {
        return None;
    }
    let pos = from.map(|s| trace.span(s).order);
    let idx = match (pos, backwards) {
        (None, false) => 0,
        (None, true) => matches.len() - 1,
        (Some(p), false) => matches.partition_point(|&m| trace.span(m).order <= p) % matches.len(),
        (Some(p), true) => {
            let k = matches.partition_point(|&m| trace.span(m).order < p);
            if k == 0 {
                matches.len() - 1
            } else {
                k - 1
            }
        }
    };
    Some(matches[idx])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::parse_str;

    fn trace() -> Trace {
        parse_str(
            r#"{"spans":[
            {"span_id":"a","name":"Agent","start_time_unix_nano":1,"end_time_unix_nano":9,"attributes":{"mlflow.spanInputs":"{\"city\": \"Paris\"}"}},
            {"span_id":"b","parent_span_id":"a","name":"lookup","start_time_unix_nano":2,"end_time_unix_nano":3,
             "status":{"code":"STATUS_CODE_ERROR","message":"Timeout talking to Paris"}},
            {"span_id":"c","parent_span_id":"a","name":"Tokyo 東京","start_time_unix_nano":4,"end_time_unix_nano":5,
             "events":[{"name":"exception","attributes":{"exception.type":"KeyError"}}]}]}"#,
        )
        .unwrap()
        .traces
        .remove(0)
    }

    #[test]
    fn finds_names_values_statuses_events_case_insensitively() {
        let t = trace();
        let names = |v: Vec<SpanIdx>| {
            v.into_iter()
                .map(|i| t.name(i).to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(names(find(&t, "paris")), ["Agent", "lookup"]);
        assert_eq!(names(find(&t, "AGENT")), ["Agent"]);
        assert_eq!(names(find(&t, "keyerror")), ["Tokyo 東京"]);
        assert_eq!(names(find(&t, "東京")), ["Tokyo 東京"]);
        assert!(find(&t, "  ").is_empty());
        assert!(find(&t, "absent").is_empty());
    }

    #[test]
    fn next_and_previous_wrap_around() {
        let t = trace();
        let m = find(&t, "o"); // lookup, Tokyo (and Agent? no 'o' in "Agent"... inputs have none)
        let first = next_match(&t, &m, None, false).unwrap();
        assert_eq!(first, m[0]);
        let second = next_match(&t, &m, Some(first), false).unwrap();
        assert_eq!(second, m[1 % m.len()]);
        let last = next_match(&t, &m, Some(m[0]), true).unwrap();
        assert_eq!(last, m[m.len() - 1]);
        assert_eq!(next_match(&t, &[], None, false), None);
    }

    #[test]
    fn sliced_search_equals_the_whole_search() {
        let t = trace();
        for q in ["paris", "o", "a", "absent", ""] {
            let mut s = IncrementalSearch::new(q);
            let mut slices = 0;
            while !s.step(&t, 1) {
                slices += 1;
                assert!(slices <= t.len(), "a slice of 1 span makes progress");
            }
            assert_eq!(s.matches, find(&t, q), "{q}");
            assert_eq!(s.progress(&t), 1.0);
        }
        let mut s = IncrementalSearch::new("paris");
        assert!(!s.step(&t, 1));
        assert!((s.progress(&t) - 1.0 / 3.0).abs() < 1e-9);
        assert_eq!(s.matches.len(), 1, "matches so far are usable");
    }
}
