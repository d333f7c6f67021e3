//! The pure trace model: bytes → [`parse::Document`] → [`Trace`] arena → derived facts.
//!
//! No web dependencies (checked by `tests/architecture.rs`): everything here is tested natively.

pub mod attrs;
pub mod derive;
pub mod error;
pub mod export;
pub mod format;
pub mod parse;
pub mod raw;
pub mod search;
pub mod sessions;
pub mod text;
pub mod time;
pub mod trace;

pub use error::{LoadError, Problem, ProblemKind};
pub use parse::{parse_bytes, parse_owned, parse_str, Document, Format};
pub use trace::{Span, SpanIdx, SpanType, StatusCode, Trace, TraceInfo, TraceState};
