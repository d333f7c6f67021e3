#![no_main]
//! See `trace_view_fuzz::targets::parse_mlflow_json`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| trace_view_fuzz::targets::parse_mlflow_json(data));
