//! Fuzz targets of trace-view: one function per target in [`targets`], called by the thin
//! `fuzz_targets/*.rs` binaries and, on every committed corpus file, by `tests/fuzz_regressions.rs`.

pub mod checks;
pub mod gen;
pub mod targets;
