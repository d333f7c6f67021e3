//! Parser timing on a generated 100k-span trace: `cargo test --release --test perf_parse -- --ignored --nocapture`.
//! Not a pass/fail speed test: it prints numbers for the benchmark notes.

#[test]
#[ignore]
fn parse_100k() {
    let path = format!(
        "{}/tests/fixtures/generated/large_100000.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let Ok(bytes) = std::fs::read(&path) else {
        eprintln!("generate it first: python3 tests/gen_trace.py --spans 100000 --out {path}");
        return;
    };
    // PARSE_ONLY=1: skip the serde_json::Value comparison (for `perf record` of our parser alone).
    let t = std::time::Instant::now();
    if std::env::var_os("PARSE_ONLY").is_none() {
        let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        drop(v);
    }
    let value_ms = t.elapsed().as_secs_f64() * 1e3;
    let t = std::time::Instant::now();
    let d = trace_view::model::parse_bytes(&bytes).unwrap();
    let ours_ms = t.elapsed().as_secs_f64() * 1e3;
    let mb = bytes.len() as f64 / 1e6;
    eprintln!(
        "{} spans, {mb:.1} MB: trace-view parse {ours_ms:.0} ms ({:.0} MB/s); serde_json::Value {value_ms:.0} ms ({:.0} MB/s); model heap {:.1} MB",
        d.span_count(),
        mb / (ours_ms / 1e3),
        mb / (value_ms / 1e3),
        d.traces[0].heap_bytes() as f64 / 1e6
    );
}
