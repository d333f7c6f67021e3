//! The visible rows of the span tree: the pre-order of the trace with collapsed subtrees skipped.
//!
//! Expanding or collapsing splices only the affected range, so the cost is proportional to the rows
//! that appear or disappear, not to the trace.

use crate::model::{SpanIdx, Trace};

#[derive(Clone, Debug, PartialEq)]
pub struct TreeRows {
    /// Span index of each visible row, top to bottom.
    rows: Vec<SpanIdx>,
    /// Per span: are its children shown?
    expanded: Vec<bool>,
}

impl TreeRows {
    /// Every span expanded (the whole tree visible).
    pub fn expanded(trace: &Trace) -> TreeRows {
        TreeRows {
            rows: trace.preorder.clone(),
            expanded: vec![true; trace.len()],
        }
    }

    /// Expanded down to `depth` (roots are depth 0); deeper spans are collapsed.
    pub fn to_depth(trace: &Trace, depth: u32) -> TreeRows {
        let expanded: Vec<bool> = trace.spans.iter().map(|s| s.depth < depth).collect();
        let mut t = TreeRows {
            rows: Vec::new(),
            expanded,
        };
        t.rows = t.visible_under(trace, None);
        t
    }

    pub fn rows(&self) -> &[SpanIdx] {
        &self.rows
    }
    pub fn len(&self) -> usize {
        self.rows.len()
    }
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
    pub fn is_expanded(&self, span: SpanIdx) -> bool {
        self.expanded.get(span as usize).copied().unwrap_or(false)
    }
    /// Row number of a span, if visible.
    pub fn row_of(&self, trace: &Trace, span: SpanIdx) -> Option<usize> {
        // Rows are in pre-order, so binary search by pre-order position.
        let order = trace.span(span).order;
        self.rows
            .binary_search_by_key(&order, |&s| trace.span(s).order)
            .ok()
    }

    /// Pre-order of the visible descendants of `root` (or of the whole forest), honouring `expanded`.
    fn visible_under(&self, trace: &Trace, root: Option<SpanIdx>) -> Vec<SpanIdx> {
        let mut out = Vec::new();
        let mut stack: Vec<SpanIdx> = match root {
            Some(r) => trace.children(r).iter().rev().copied().collect(),
            None => trace.roots.iter().rev().copied().collect(),
        };
        while let Some(i) = stack.pop() {
            out.push(i);
            if self.expanded[i as usize] {
                stack.extend(trace.children(i).iter().rev());
            }
        }
        out
    }

    /// Number of visible rows below `span` (its visible descendants).
    fn visible_descendants(&self, trace: &Trace, row: usize) -> usize {
        let span = trace.span(self.rows[row]);
        let end_order = span.order + span.subtree;
        self.rows[row + 1..]
            .iter()
            .take_while(|&&s| trace.span(s).order < end_order)
            .count()
    }

    pub fn set_expanded(&mut self, trace: &Trace, span: SpanIdx, open: bool) {
        if self.is_expanded(span) == open {
            return;
        }
        self.expanded[span as usize] = open;
        let Some(row) = self.row_of(trace, span) else {
            return;
        };
        if open {
            let add = self.visible_under(trace, Some(span));
            self.rows.splice(row + 1..row + 1, add);
        } else {
            let n = self.visible_descendants(trace, row);
            self.rows.drain(row + 1..row + 1 + n);
        }
    }

    pub fn toggle(&mut self, trace: &Trace, span: SpanIdx) {
        let open = !self.is_expanded(span);
        self.set_expanded(trace, span, open);
    }

    /// Expands every ancestor of `span` so that it is visible; returns its row.
    pub fn reveal(&mut self, trace: &Trace, span: SpanIdx) -> Option<usize> {
        let mut chain = Vec::new();
        let mut cur = trace.span(span).parent;
        while let Some(p) = cur {
            chain.push(p);
            cur = trace.span(p).parent;
        }
        for &p in chain.iter().rev() {
            self.set_expanded(trace, p, true);
        }
        self.row_of(trace, span)
    }

    pub fn expand_all(&mut self, trace: &Trace) {
        *self = TreeRows::expanded(trace);
    }

    pub fn collapse_all(&mut self, trace: &Trace) {
        *self = TreeRows::to_depth(trace, 0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::parse_str;

    /// root ─ a ─ a1
    ///      │   └ a2
    ///      └ b
    fn sample() -> Trace {
        let span = |id: &str, parent: &str, name: &str, start: u64| {
            format!(
                r#"{{"span_id":"{id}","parent_span_id":{p},"name":"{name}","start_time_unix_nano":{start},"end_time_unix_nano":{end}}}"#,
                p = if parent.is_empty() {
                    "null".to_string()
                } else {
                    format!("\"{parent}\"")
                },
                end = start + 10
            )
        };
        let spans = [
            span("r", "", "root", 0),
            span("b", "r", "b", 5),
            span("a", "r", "a", 1),
            span("a2", "a", "a2", 3),
            span("a1", "a", "a1", 2),
        ];
        let json = format!(r#"{{"spans":[{}]}}"#, spans.join(","));
        parse_str(&json).unwrap().traces.remove(0)
    }

    fn names(t: &Trace, rows: &TreeRows) -> Vec<String> {
        rows.rows().iter().map(|&i| t.name(i).to_string()).collect()
    }

    #[test]
    fn collapse_and_expand_splice_rows() {
        let t = sample();
        let mut rows = TreeRows::expanded(&t);
        assert_eq!(names(&t, &rows), ["root", "a", "a1", "a2", "b"]);
        let a = rows.rows()[1];
        rows.toggle(&t, a);
        assert_eq!(names(&t, &rows), ["root", "a", "b"]);
        rows.toggle(&t, a);
        assert_eq!(names(&t, &rows), ["root", "a", "a1", "a2", "b"]);
        let root = rows.rows()[0];
        rows.toggle(&t, root);
        assert_eq!(names(&t, &rows), ["root"]);
        // a stays expanded underneath: re-opening root shows a's children again
        rows.toggle(&t, root);
        assert_eq!(rows, TreeRows::expanded(&t));
    }

    #[test]
    fn reveal_opens_ancestors() {
        let t = sample();
        let mut rows = TreeRows::to_depth(&t, 0);
        assert_eq!(names(&t, &rows), ["root"]);
        let a2 = t.preorder[3];
        assert_eq!(rows.reveal(&t, a2), Some(3));
        assert_eq!(names(&t, &rows), ["root", "a", "a1", "a2", "b"]);
    }
}
