#![no_main]
//! See `trace_view_fuzz::targets::rest_responses`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| trace_view_fuzz::targets::rest_responses(data));
