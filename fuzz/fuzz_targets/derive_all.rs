#![no_main]
//! See `trace_view_fuzz::targets::derive_all`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| trace_view_fuzz::targets::derive_all(data));
