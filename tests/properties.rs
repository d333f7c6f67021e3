//! Property tests (proptest): the span tree built from random parent graphs, export → re-parse,
//! tree-row expand/collapse, and the time and number helpers. Case counts are set per block so the
//! whole file runs in a few seconds in a debug build.
//!
//! Native only: proptest is a native-only dev-dependency (see Cargo.toml).
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use serde_json::{json, Value};
use std::collections::HashMap;
use trace_view::layout::{TimeScale, TreeRows};
use trace_view::model::attrs::id_to_hex;
use trace_view::model::export::to_mlflow3_json;
use trace_view::model::format::{axis_label, count, duration_ns, plural, truncate_chars};
use trace_view::model::time::{format_iso_ms, format_utc_ms, parse_iso8601_ms};
use trace_view::model::trace::flags;
use trace_view::model::{parse_str, ProblemKind, Trace};

/// Where a generated span's parent id points.
#[derive(Clone, Debug)]
enum Parent {
    None,
    /// Another span (index taken modulo the span count; may be itself, may close a loop).
    Existing(usize),
    /// An id no span has.
    Missing,
    /// The span's own id.
    Itself,
}

#[derive(Clone, Debug)]
struct GenSpan {
    parent: Parent,
    start: u64,
    end: Option<u64>,
    name: String,
}

fn time() -> impl Strategy<Value = u64> {
    prop_oneof![4 => 0u64..1_000, 1 => any::<u64>()]
}

fn gen_span() -> impl Strategy<Value = GenSpan> {
    let parent = prop_oneof![
        2 => Just(Parent::None),
        6 => (0usize..64).prop_map(Parent::Existing),
        1 => Just(Parent::Missing),
        1 => Just(Parent::Itself),
    ];
    (parent, time(), prop::option::of(time()), "\\PC{0,8}").prop_map(
        |(parent, start, end, name)| GenSpan {
            parent,
            start,
            end,
            name,
        },
    )
}

/// Distinct 16-hex-digit span ids (MLflow's form), and ids that no span has.
fn span_id(i: usize) -> String {
    format!("{:016x}", 0x1000 + i as u64 * 0x9e37)
}
fn missing_id(i: usize) -> String {
    format!("{:016x}", 0xdead_0000_u64 + i as u64)
}

/// The intended parent id of every span (None: a root).
fn parent_ids(spans: &[GenSpan]) -> Vec<Option<String>> {
    let n = spans.len();
    spans
        .iter()
        .enumerate()
        .map(|(i, s)| match s.parent {
            Parent::None => None,
            Parent::Existing(p) => Some(span_id(p % n)),
            Parent::Missing => Some(missing_id(i)),
            Parent::Itself => Some(span_id(i)),
        })
        .collect()
}

fn document(ids: &[String], parents: &[Option<String>], spans: &[GenSpan]) -> String {
    let spans: Vec<Value> = spans
        .iter()
        .enumerate()
        .map(|(i, s)| {
            json!({
                "trace_id": "kk4ASkcSojpn6Sm2PHcA9Q==",
                "span_id": ids[i],
                "parent_span_id": parents[i],
                "name": s.name,
                "start_time_unix_nano": s.start,
                "end_time_unix_nano": s.end,
                "status": {"code": "STATUS_CODE_OK", "message": ""},
                "attributes": {},
                "events": [],
            })
        })
        .collect();
    json!({"info": {"trace_id": "tr-924e004a4712a23a67e929b63c7700f5", "state": "OK"},
           "data": {"spans": spans}})
    .to_string()
}

fn parse_one(text: &str) -> Trace {
    let mut doc = parse_str(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(doc.traces.len(), 1);
    doc.traces.remove(0)
}

/// Tree-shape invariants that hold for any input.
fn assert_tree(t: &Trace) {
    let n = t.len();
    let mut seen = vec![0u32; n];
    for &i in &t.preorder {
        seen[i as usize] += 1;
    }
    assert!(
        seen.iter().all(|&c| c == 1),
        "every span exactly once in tree order"
    );
    for (i, s) in t.spans.iter().enumerate() {
        match s.parent {
            Some(p) => {
                assert_eq!(s.depth, t.span(p).depth + 1, "depth of a tree edge");
                assert!(t.children(p).contains(&(i as u32)));
            }
            None => {
                assert_eq!(s.depth, 0);
                assert!(t.roots.contains(&(i as u32)));
            }
        }
    }
}

/// Spans on a loop of intended parent links (a self-parent is a loop of one).
fn loops(parents: &[Option<String>], ids: &[String]) -> Vec<Vec<usize>> {
    let index: HashMap<&str, usize> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i))
        .collect();
    let next = |i: usize| parents[i].as_deref().and_then(|p| index.get(p).copied());
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut in_loop = vec![false; ids.len()];
    for start in 0..ids.len() {
        // Walk at most n steps; if we come back to `start`, it is on a loop.
        let mut cur = next(start);
        let mut path = vec![start];
        let mut steps = 0;
        while let Some(c) = cur {
            if c == start {
                if !in_loop[start] {
                    for &p in &path {
                        in_loop[p] = true;
                    }
                    out.push(path.clone());
                }
                break;
            }
            steps += 1;
            if steps > ids.len() {
                break;
            }
            path.push(c);
            cur = next(c);
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    /// Random parent graphs with distinct ids: no panic, a tree, orphans and loops marked, every other
    /// link kept.
    #[test]
    fn random_parent_graphs_make_a_marked_tree(spans in prop::collection::vec(gen_span(), 0..40)) {
        let ids: Vec<String> = (0..spans.len()).map(span_id).collect();
        let parents = parent_ids(&spans);
        let t = parse_one(&document(&ids, &parents, &spans));
        prop_assert_eq!(t.len(), spans.len());
        assert_tree(&t);

        let cycles = loops(&parents, &ids);
        let mut on_loop = vec![false; ids.len()];
        for c in &cycles {
            for &i in c {
                on_loop[i] = true;
            }
            // Each loop is cut exactly once, at a span that becomes a marked root.
            let cut: Vec<_> = c.iter().filter(|&&i| t.spans[i].has(flags::CYCLE)).collect();
            prop_assert_eq!(cut.len(), 1, "loop {:?} cut {:?}", c, cut);
            prop_assert!(t.spans[*cut[0]].parent.is_none());
        }
        for (i, s) in t.spans.iter().enumerate() {
            let intended = parents[i].as_ref().and_then(|p| ids.iter().position(|id| id == p));
            match (&parents[i], intended) {
                (None, _) => prop_assert!(s.parent.is_none() && !s.has(flags::ORPHAN)),
                (Some(_), None) => {
                    prop_assert!(s.parent.is_none() && s.has(flags::ORPHAN), "orphan {} marked", i);
                }
                (Some(_), Some(p)) if s.has(flags::CYCLE) => {
                    prop_assert!(on_loop[i] && s.parent.is_none(), "cut {} (parent {}) not on a loop", i, p);
                }
                (Some(_), Some(p)) => prop_assert_eq!(s.parent, Some(p as u32), "link of span {}", i),
            }
        }
        let marked = |k: ProblemKind| t.problems.iter().filter(|p| p.kind == k).count();
        prop_assert_eq!(marked(ProblemKind::OrphanSpan), t.spans.iter().filter(|s| s.has(flags::ORPHAN)).count());
        prop_assert_eq!(marked(ProblemKind::ParentCycle), cycles.len());
    }

    /// Duplicate ids (drawn from a small pool): no panic, a tree, and a resolved parent is always the
    /// first span carrying the parent id.
    #[test]
    fn duplicate_ids_attach_to_the_first(
        spans in prop::collection::vec((0usize..5, prop::option::of(0usize..6), time()), 0..30)
    ) {
        let ids: Vec<String> = spans.iter().map(|(id, _, _)| span_id(*id)).collect();
        let parents: Vec<Option<String>> = spans.iter().map(|(_, p, _)| p.map(span_id)).collect();
        let gen: Vec<GenSpan> = spans
            .iter()
            .map(|&(_, _, start)| GenSpan { parent: Parent::None, start, end: Some(start), name: "s".into() })
            .collect();
        let t = parse_one(&document(&ids, &parents, &gen));
        assert_tree(&t);
        for (i, s) in t.spans.iter().enumerate() {
            if let Some(p) = s.parent {
                let pid = parents[i].as_deref().unwrap_or("");
                prop_assert_eq!(t.text(t.span(p).id), pid);
                prop_assert_eq!(ids.iter().position(|id| id == pid), Some(p as usize));
            }
            let first = ids.iter().position(|id| *id == ids[i]) == Some(i);
            prop_assert_eq!(s.has(flags::DUPLICATE_ID), !first);
        }
    }

    /// Export as MLflow 3 JSON, re-parse: the same span ids, names, parent ids and times.
    #[test]
    fn export_reparse_keeps_spans(spans in prop::collection::vec(gen_span(), 0..30)) {
        let ids: Vec<String> = (0..spans.len()).map(span_id).collect();
        let parents = parent_ids(&spans);
        let t = parse_one(&document(&ids, &parents, &spans));
        let back = parse_one(&to_mlflow3_json(&t));
        let key = |t: &Trace| {
            let mut v: Vec<(String, String, String, u64, Option<u64>)> = t
                .spans
                .iter()
                .map(|s| (
                    id_to_hex(t.text(s.id)),
                    t.text(s.name).to_string(),
                    id_to_hex(t.text(s.parent_id)),
                    s.start_ns,
                    s.end_ns,
                ))
                .collect();
            v.sort();
            v
        };
        prop_assert_eq!(key(&back), key(&t));
        prop_assert_eq!(&back.info.trace_id, &t.info.trace_id);
        assert_tree(&back);
    }

    /// Any sequence of expand/collapse/reveal gives the rows a from-scratch computation gives.
    #[test]
    fn tree_rows_match_a_recompute(
        spans in prop::collection::vec(gen_span(), 1..30),
        ops in prop::collection::vec((0u8..5, 0usize..64), 0..40),
    ) {
        let ids: Vec<String> = (0..spans.len()).map(span_id).collect();
        let t = parse_one(&document(&ids, &parent_ids(&spans), &spans));
        let n = t.len();
        let mut rows = TreeRows::to_depth(&t, 1);
        for (op, k) in ops {
            let span = (k % n) as u32;
            match op {
                0 => rows.toggle(&t, span),
                1 => rows.set_expanded(&t, span, k % 2 == 0),
                2 => {
                    let row = rows.reveal(&t, span);
                    prop_assert_eq!(row.map(|r| rows.rows()[r]), Some(span));
                }
                3 => {
                    rows.expand_all(&t);
                    prop_assert_eq!(rows.rows(), &t.preorder[..]);
                }
                _ => {
                    rows.collapse_all(&t);
                    prop_assert_eq!(rows.rows(), &t.roots[..]);
                }
            }
            // From scratch: a span is visible when every ancestor is expanded.
            let mut shown = vec![false; n];
            let mut expect = Vec::new();
            for &i in &t.preorder {
                let vis = match t.span(i).parent {
                    None => true,
                    Some(p) => shown[p as usize] && rows.is_expanded(p),
                };
                shown[i as usize] = vis;
                if vis {
                    expect.push(i);
                }
            }
            prop_assert_eq!(rows.rows(), &expect[..]);
            for (r, &s) in rows.rows().iter().enumerate() {
                prop_assert_eq!(rows.row_of(&t, s), Some(r));
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(5000))]

    /// Number and duration helpers never panic and keep their shape.
    #[test]
    fn format_helpers(n in any::<u64>(), s in "\\PC{0,40}", max in 0usize..50) {
        prop_assert_eq!(count(n).replace(',', ""), n.to_string());
        prop_assert!(plural(n, "span", "spans").ends_with("span") || plural(n, "span", "spans").ends_with("spans"));
        prop_assert!(!duration_ns(n).is_empty());
        prop_assert!(!axis_label(n).is_empty());
        prop_assert!(truncate_chars(&s, max).chars().count() <= max + 1);
    }

    /// Timeline bars stay on the axis for any times.
    #[test]
    fn bars_stay_on_the_axis(a in any::<u64>(), b in any::<u64>(), s in any::<u64>(), e in prop::option::of(any::<u64>()), k in 0usize..40) {
        let scale = TimeScale::new(a, b);
        let bar = scale.bar(s, e);
        prop_assert!((0.0..=1.0).contains(&bar.left));
        prop_assert!(bar.width >= 0.0 && bar.left + bar.width <= 1.0 + 1e-9);
        let ticks = scale.ticks(k);
        prop_assert!(!ticks.is_empty() && ticks.len() <= k.max(1) + 2);
    }

    /// `format_iso_ms` and `parse_iso8601_ms` round trip for every instant MLflow can write
    /// (years 1970–9999), also as `+hh:mm` offsets and with a space instead of `T`.
    #[test]
    fn iso_time_round_trips(ms in 0u64..253_402_300_800_000, off_min in 0u64..(14 * 60)) {
        let iso = format_iso_ms(ms);
        prop_assert_eq!(parse_iso8601_ms(&iso), Some(ms), "{}", iso);
        prop_assert_eq!(parse_iso8601_ms(&iso.replace('T', " ")), Some(ms));
        // The same instant written in a zone east of UTC.
        if ms >= off_min * 60_000 && ms + off_min * 60_000 < 253_402_300_800_000 {
            let local = format_iso_ms(ms + off_min * 60_000);
            let with_offset = format!(
                "{}+{:02}:{:02}",
                local.trim_end_matches('Z'),
                off_min / 60,
                off_min % 60
            );
            prop_assert_eq!(parse_iso8601_ms(&with_offset), Some(ms), "{}", with_offset);
        }
        prop_assert!(format_utc_ms(ms).ends_with(" UTC"));
    }

    /// The time parser never panics on arbitrary text, and whatever it accepts prints back the same.
    #[test]
    fn iso_parser_total(s in "[0-9TZ:+. -]{0,30}|\\PC{0,30}") {
        if let Some(ms) = parse_iso8601_ms(&s) {
            if ms < 253_402_300_800_000 {
                prop_assert_eq!(parse_iso8601_ms(&format_iso_ms(ms)), Some(ms));
            }
        }
    }
}
