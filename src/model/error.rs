//! Errors a person can act on, for everything that stops a document from loading.

use std::fmt;

/// Why a document could not be turned into traces.
#[derive(Clone, Debug, PartialEq)]
pub enum LoadError {
    /// Nothing but whitespace.
    Empty,
    /// Not JSON at all, or broken JSON: where it broke and what the parser expected.
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    /// Valid JSON that is a known MLflow object other than a trace.
    NotATrace { what: String, hint: String },
    /// Valid JSON of a shape we do not recognise; lists what was seen.
    Unrecognized { seen: String },
    /// The MLflow server answered with an error body instead of data.
    Server { code: String, message: String },
    /// The input is bigger than a browser tab can hold as a trace; refused before it is read whole.
    TooLarge {
        what: String,
        bytes: u64,
        limit: u64,
        /// `bytes` is what was read before stopping, not the whole size (a stream or gzip).
        partial: bool,
    },
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Empty => write!(f, "the file is empty: there is no trace in it"),
            LoadError::Syntax { line, column, message } => {
                write!(f, "not valid JSON — line {line}, column {column}: {message}")
            }
            LoadError::NotATrace { what, hint } => write!(f, "this file is {what}, not a trace. {hint}"),
            LoadError::Unrecognized { seen } => write!(
                f,
                "this JSON is not a trace format trace-view knows ({seen}). Expected an MLflow trace \
                 (Trace.to_json(): {{\"info\": …, \"data\": {{\"spans\": […]}}}}), a list of traces, \
                 a search_traces response, or OTLP JSON."
            ),
            LoadError::Server { code, message } => write!(f, "the server answered with an error ({code}): {message}"),
            LoadError::TooLarge { what, bytes, limit, partial } => write!(
                f,
                "{what} is too large to open here ({}{}): trace-view opens at most {} in a browser tab — \
                 a loaded trace needs about 3× its file size and a tab has a few GB. Open a smaller \
                 export (fewer traces, e.g. mlflow.search_traces(max_results=…)), or browse the traces \
                 one at a time from an MLflow server.",
                if *partial { "more than " } else { "" },
                crate::model::format::bytes(*bytes),
                crate::model::format::bytes(*limit)
            ),
        }
    }
}

impl std::error::Error for LoadError {}

impl LoadError {
    pub(crate) fn from_json(e: &serde_json::Error) -> LoadError {
        // serde_json's message ends with " at line L column C"; keep just the reason.
        let full = e.to_string();
        let message = match full.rfind(" at line ") {
            Some(i) => full[..i].to_string(),
            None => full,
        };
        let message = match message.as_str() {
            "expected ident" => {
                "expected `true`, `false` or `null` (a word JSON does not know)".to_string()
            }
            "expected value" => {
                "expected a value (a string, number, object, list, true, false or null)".to_string()
            }
            _ => message,
        };
        let message = if e.is_eof() {
            format!("{message} (the file looks cut short)")
        } else {
            message
        };
        LoadError::Syntax {
            line: e.line(),
            column: e.column(),
            message,
        }
    }
}

/// Something wrong inside a trace that did not stop it from loading: the span is still shown, marked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The span it concerns, if any (index into the trace's span arena).
    pub span: Option<u32>,
    pub kind: ProblemKind,
    pub detail: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProblemKind {
    /// The span's parent id names no span in the trace: it is shown as a root.
    OrphanSpan,
    /// Another span already has this id: both are kept.
    DuplicateSpanId,
    /// Following parents leads back to this span: the loop is cut here and the span shown as a root.
    ParentCycle,
    /// The span has no end time (still running, or lost its end).
    UnfinishedSpan,
    /// The span ends before it starts.
    NegativeDuration,
    /// A field had the wrong type or an impossible value; what could be read is shown.
    BadField,
    /// The input was not valid UTF-8 and was repaired with U+FFFD.
    InvalidUtf8,
    /// Non-standard JSON literals (NaN, Infinity) were read as strings.
    NonStandardJson,
}

impl ProblemKind {
    pub fn label(self) -> &'static str {
        match self {
            ProblemKind::OrphanSpan => "orphan span",
            ProblemKind::DuplicateSpanId => "duplicate span id",
            ProblemKind::ParentCycle => "parent cycle",
            ProblemKind::UnfinishedSpan => "unfinished span",
            ProblemKind::NegativeDuration => "negative duration",
            ProblemKind::BadField => "bad field",
            ProblemKind::InvalidUtf8 => "invalid UTF-8",
            ProblemKind::NonStandardJson => "non-standard JSON",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_errors_say_where_and_what() {
        let e =
            serde_json::from_str::<serde_json::Value>("{\n  \"a\": 1,\n  \"b\": x\n}").unwrap_err();
        let msg = LoadError::from_json(&e).to_string();
        assert_eq!(msg, "not valid JSON — line 3, column 8: expected a value (a string, number, object, list, true, false or null)");
    }

    #[test]
    fn truncation_is_named() {
        let e = serde_json::from_str::<serde_json::Value>("{\"a\": [1, 2").unwrap_err();
        assert!(LoadError::from_json(&e).to_string().contains("cut short"));
    }
}
