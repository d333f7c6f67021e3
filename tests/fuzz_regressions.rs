//! Fuzz findings and fuzz corpora, replayed natively in `cargo test` (CI runs these; it does not fuzz).
//!
//! - `tests/fixtures/fuzz/<target>/*`: inputs that once crashed, hung or broke an invariant (one file
//!   per finding, named after what it found);
//! - `fuzz/corpus/<target>/*`: the minimized corpus of every fuzz target (`cargo fuzz cmin`).
//!
//! Each file goes through the very function the fuzz target calls (`fuzz/src/targets.rs`, included
//! below with the checks and generators it uses), so a replay asserts the same thing the fuzzer did:
//! no panic, a typed error with a message or a consistent document, and the target's own invariants.

#[path = "../fuzz/src/checks.rs"]
mod checks;
#[path = "../fuzz/src/gen.rs"]
mod gen;
#[path = "../fuzz/src/targets.rs"]
mod targets;

use std::path::{Path, PathBuf};

type Target = fn(&[u8]);

const TARGETS: [(&str, Target); 7] = [
    ("parse_any", targets::parse_any),
    ("parse_mlflow_json", targets::parse_mlflow_json),
    ("parse_otlp", targets::parse_otlp),
    ("parse_ndjson", targets::parse_ndjson),
    ("rest_responses", targets::rest_responses),
    ("attributes", targets::attributes),
    ("derive_all", targets::derive_all),
];

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(_) => Vec::new(),
    };
    v.retain(|p| p.is_file());
    v.sort();
    v
}

/// Runs every file of `dir` through `f`; returns how many ran. Fails listing every file that panicked.
fn replay(dir: &Path, f: Target) -> usize {
    let list = files(dir);
    let mut failed = Vec::new();
    for p in &list {
        let data = std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        if std::panic::catch_unwind(|| f(&data)).is_err() {
            failed.push(p.display().to_string());
        }
    }
    assert!(failed.is_empty(), "panicked on:\n{}", failed.join("\n"));
    list.len()
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn target(name: &str) -> Target {
    TARGETS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, f)| *f)
        .unwrap_or_else(|| panic!("no fuzz target {name}"))
}

/// Every committed corpus is replayed, and none is empty (an empty folder would test nothing).
fn corpus(name: &str) {
    let n = replay(&root().join("fuzz/corpus").join(name), target(name));
    assert!(n > 0, "fuzz/corpus/{name} is empty");
}

#[test]
fn corpus_parse_any() {
    corpus("parse_any");
}

#[test]
fn corpus_parse_mlflow_json() {
    corpus("parse_mlflow_json");
}

#[test]
fn corpus_parse_otlp() {
    corpus("parse_otlp");
}

#[test]
fn corpus_parse_ndjson() {
    corpus("parse_ndjson");
}

#[test]
fn corpus_rest_responses() {
    corpus("rest_responses");
}

#[test]
fn corpus_attributes() {
    corpus("attributes");
}

#[test]
fn corpus_derive_all() {
    corpus("derive_all");
}

/// Findings: each file through the target that found it, and through the whole-file parser too.
#[test]
fn findings() {
    let dir = root().join("tests/fixtures/fuzz");
    for (name, f) in TARGETS {
        replay(&dir.join(name), f);
        replay(&dir.join(name), targets::parse_any);
    }
}

/// Token counts up to u64::MAX saturate instead of overflowing (found by the `attributes` target).
#[test]
fn token_counts_saturate() {
    use trace_view::model::derive::{trace_tokens, TokenUsage};
    let v = serde_json::json!({"input_tokens": u64::MAX, "output_tokens": 1});
    assert_eq!(TokenUsage::from_json(&v).map(|t| t.total), Some(u64::MAX));
    let data = std::fs::read(root().join("tests/fixtures/fuzz/derive_all/token_sum_overflow.json"))
        .expect("fixture");
    let doc = trace_view::model::parse_bytes(&data).expect("parses");
    let sum = trace_tokens(&doc.traces[0]).expect("token usage");
    assert_eq!(
        (sum.input, sum.output, sum.total),
        (u64::MAX, u64::MAX, u64::MAX)
    );
}

/// A trace with a tag or metadata key `run_id` is a trace, not an MLflow run, and its export reopens
/// (found by the `parse_mlflow_json` target); a real run is still named as one.
#[test]
fn run_id_tag_is_not_a_run() {
    use trace_view::model::{export::to_mlflow3_json, parse_str, LoadError};
    let data = std::fs::read(root().join("tests/fixtures/fuzz/parse_mlflow_json/run_id_tag.json"))
        .expect("fixture");
    let doc = trace_view::model::parse_bytes(&data).expect("a trace with a run_id tag loads");
    let t = &doc.traces[0];
    assert_eq!(t.info.tag("run_id"), Some("a"));
    let back = parse_str(&to_mlflow3_json(t)).expect("its export reloads");
    assert_eq!(back.traces[0].len(), 1);
    let run = r#"{"info": {"run_id": "abc", "experiment_id": "1"}, "data": {}}"#;
    assert!(matches!(parse_str(run), Err(LoadError::NotATrace { .. })));
}

/// Session sums of outside times, durations and token counts saturate (found by `derive_all`).
#[test]
fn session_sums_saturate() {
    use trace_view::model::sessions::summarize;
    let body = std::fs::read_to_string(
        root().join("tests/fixtures/fuzz/rest_responses/session_sums_overflow.json"),
    )
    .expect("fixture");
    let page = trace_view::api::parse_search_traces(&body).expect("a search response");
    let s = summarize(&page.traces);
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].turns, 2);
    assert_eq!(s[0].last_ms, Some(u64::MAX));
    assert_eq!(s[0].total_ms, u64::MAX);
    assert_eq!(s[0].tokens, Some(u64::MAX));
}
