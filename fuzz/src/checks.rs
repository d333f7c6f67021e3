//! Invariants every parsed document must satisfy, whatever the input. A violated invariant panics, so
//! the fuzzer reports it like a crash.
//!
//! Shared by the fuzz targets and `tests/fuzz_regressions.rs` (included there with `#[path]`).

use trace_view::layout::{RowWindow, TimeScale, TreeRows};
use trace_view::model::derive::{
    chat, exceptions, inputs, metadata_json, model_name, outputs, span_tokens, trace_tokens,
};
use trace_view::model::trace::flags;
use trace_view::model::{attrs, export, format, search, sessions, Document, LoadError, Trace};

/// An error must say something a person can read.
pub fn load_error(e: &LoadError) {
    assert!(!e.to_string().trim().is_empty(), "empty message for {e:?}");
}

/// The arena and its indices agree: pre-order is a permutation, depths follow tree edges, children
/// lists hold exactly the spans whose parent they are, subtree sizes add up, broken links are roots.
pub fn structure(t: &Trace) {
    let n = t.len();
    assert_eq!(t.preorder.len(), n, "pre-order misses or repeats spans");
    let mut seen = vec![false; n];
    for (k, &i) in t.preorder.iter().enumerate() {
        assert!(!seen[i as usize], "span {i} twice in pre-order");
        seen[i as usize] = true;
        assert_eq!(t.span(i).order as usize, k, "order field of span {i}");
    }
    let mut child_total = 0;
    for i in 0..n as u32 {
        let s = t.span(i);
        match s.parent {
            Some(p) => {
                assert_ne!(p, i, "span {i} is its own parent");
                assert_eq!(s.depth, t.span(p).depth + 1, "depth of span {i}");
                assert!(
                    t.children(p).contains(&i),
                    "span {i} missing from its parent's children"
                );
                assert!(t.span(p).order < s.order, "parent after child in pre-order");
                assert!(
                    !s.has(flags::ORPHAN) && !s.has(flags::CYCLE),
                    "linked span {i} marked broken"
                );
            }
            None => {
                assert_eq!(s.depth, 0, "root {i} has a depth");
                assert!(
                    t.roots.contains(&i),
                    "span {i} has no parent but is not a root"
                );
            }
        }
        let kids = t.children(i);
        child_total += kids.len();
        let mut size = 1u32;
        for w in kids.windows(2) {
            let (a, b) = (t.span(w[0]), t.span(w[1]));
            assert!(
                (a.start_ns, w[0]) < (b.start_ns, w[1]),
                "children not sorted"
            );
        }
        for &c in kids {
            assert_eq!(
                t.span(c).parent,
                Some(i),
                "child {c} of {i} points elsewhere"
            );
            size += t.span(c).subtree;
        }
        assert_eq!(s.subtree, size, "subtree size of span {i}");
        assert!(s.self_ns <= s.duration_ns(), "self time above duration");
        assert_eq!(s.end_ns.is_none(), s.has(flags::UNFINISHED));
    }
    assert_eq!(t.roots.len() + child_total, n, "roots + children != spans");
    if n > 0 {
        assert!(t.start_ns <= t.end_ns);
    }
}

/// Everything a view derives from a trace, for every span: none of it may panic.
pub fn derived(t: &Trace, needle: &str) {
    for i in 0..t.len() as u32 {
        if let Some(c) = chat(t, i) {
            assert!(!c.messages.is_empty(), "a chat with no messages");
        }
        let _ = exceptions(t, i);
        let _ = span_tokens(t, i);
        let _ = inputs(t, i);
        let _ = outputs(t, i);
        let _ = model_name(t, i);
        for a in t.span_attrs(i) {
            let _ = attrs::decode(t, a);
        }
        for e in t.span_events(i) {
            for a in t.event_attrs(e) {
                let _ = attrs::decode(t, a);
            }
        }
        let s = t.span(i);
        let _ = format::duration_ns(s.duration_ns());
        let _ = format::axis_label(s.self_ns);
        let _ = format::reveal_invisible(t.name(i));
        let _ = attrs::id_to_hex(t.text(s.id));
    }
    let _ = trace_tokens(t);
    for (k, _) in &t.info.metadata {
        let _ = metadata_json(t, k);
    }
    let _ = (
        t.display_name(),
        t.state(),
        t.duration_ns(),
        t.error_count(),
        t.max_depth(),
    );
    let _ = t.heap_bytes();

    // Search: matches in pre-order, each one really matching; walking wraps around.
    let found = search::find(t, needle);
    let q = needle.trim().to_lowercase();
    for w in found.windows(2) {
        assert!(
            t.span(w[0]).order < t.span(w[1]).order,
            "matches out of order"
        );
    }
    for &m in &found {
        assert!(search::span_matches(t, m, &q));
    }
    if let Some(&first) = found.first() {
        assert!(search::next_match(t, &found, Some(first), false).is_some());
        assert!(search::next_match(t, &found, Some(first), true).is_some());
    }

    layout(t);
}

/// Tree rows after expand/collapse equal a recomputation from the expanded flags; bars stay on the axis.
fn layout(t: &Trace) {
    let mut rows = TreeRows::expanded(t);
    assert_eq!(rows.rows(), &t.preorder[..]);
    assert_eq!(TreeRows::to_depth(t, 0).rows(), &t.roots[..]);
    // Toggle a few spans (deterministic choice) and compare with the rows computed from scratch.
    let n = t.len() as u32;
    for k in 0..n.min(6) {
        let span = (k * 7 + 3) % n;
        rows.toggle(t, span);
        let expected: Vec<u32> = visible_from_scratch(t, &rows);
        assert_eq!(
            rows.rows(),
            &expected[..],
            "rows after toggling span {span}"
        );
        if let Some(r) = rows.row_of(t, span) {
            assert_eq!(rows.rows()[r], span);
        }
    }
    if n > 0 {
        let last = t.preorder[t.len() - 1];
        let row = rows.reveal(t, last);
        assert_eq!(row.map(|r| rows.rows()[r]), Some(last));
    }
    let w = RowWindow::compute(t.start_ns as f64, t.end_ns as f64, 24.0, rows.len(), 10);
    assert!(w.first <= w.last && w.last <= rows.len());

    let scale = TimeScale::new(t.start_ns, t.end_ns);
    for s in &t.spans {
        let b = scale.bar(s.start_ns, s.end_ns);
        assert!((0.0..=1.0).contains(&b.left) && b.width >= 0.0 && b.left + b.width <= 1.0 + 1e-9);
    }
    let ticks = scale.ticks(8);
    assert!(
        !ticks.is_empty() && ticks.len() <= 10,
        "{} ticks",
        ticks.len()
    );
}

/// Rows visible given the expanded flags: a span is shown when every ancestor is expanded.
fn visible_from_scratch(t: &Trace, rows: &TreeRows) -> Vec<u32> {
    let mut shown = vec![false; t.len()];
    let mut out = Vec::new();
    for &i in &t.preorder {
        let vis = match t.span(i).parent {
            None => true,
            Some(p) => shown[p as usize] && rows.is_expanded(p),
        };
        shown[i as usize] = vis;
        if vis {
            out.push(i);
        }
    }
    out
}

/// Export as MLflow 3 JSON and read it back: the same spans (names and times) come back.
pub fn export_roundtrip(t: &Trace) {
    let json = export::to_mlflow3_json(t);
    let doc = match trace_view::model::parse_str(&json) {
        Ok(d) => d,
        Err(e) => panic!("the export of a trace does not parse: {e}\n{json}"),
    };
    assert_eq!(doc.traces.len(), 1, "export re-parsed into several traces");
    let back = &doc.traces[0];
    assert_eq!(back.len(), t.len(), "span count changed by export");
    let key = |t: &Trace| {
        let mut v: Vec<(String, u64, Option<u64>)> = t
            .spans
            .iter()
            .map(|s| (t.text(s.name).to_string(), s.start_ns, s.end_ns))
            .collect();
        v.sort();
        v
    };
    assert_eq!(key(back), key(t), "span names/times changed by export");
}

/// A parsed document: every trace's structure, the sessions of its infos, its problems' messages.
pub fn document(doc: &Document) {
    let _ = doc.format.label();
    for t in &doc.traces {
        structure(t);
        for p in &t.problems {
            assert!(!p.detail.is_empty());
            let _ = p.kind.label();
        }
    }
    let infos: Vec<_> = doc.traces.iter().map(|t| t.info.clone()).collect();
    for s in sessions::summarize(&infos) {
        assert!(s.turns > 0);
        let _ = sessions::turns(&infos, &s.id);
    }
}

/// Parse result of a whole-document entry point: an error has a message, a document is consistent.
pub fn outcome(r: &Result<Document, LoadError>) {
    match r {
        Ok(doc) => document(doc),
        Err(e) => load_error(e),
    }
}
