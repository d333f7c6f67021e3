//! Sessions: traces grouped by `mlflow.trace.session`, users from `mlflow.trace.user`.
//! MLflow 3.17 has no sessions endpoint; sessions are derived from trace infos, as its own UI does.

use super::derive::{TokenUsage, META_SESSION, META_TOKEN_USAGE, META_USER};
use super::trace::{TraceInfo, TraceState};

#[derive(Clone, Debug, PartialEq, Default)]
pub struct SessionSummary {
    pub id: String,
    /// Distinct users, in order of first appearance.
    pub users: Vec<String>,
    pub turns: usize,
    pub first_ms: Option<u64>,
    pub last_ms: Option<u64>,
    /// Sum of the turns' execution times.
    pub total_ms: u64,
    pub tokens: Option<u64>,
    pub errors: usize,
}

pub fn session_of(info: &TraceInfo) -> Option<&str> {
    info.metadata(META_SESSION).filter(|s| !s.is_empty())
}

fn tokens_of(info: &TraceInfo) -> Option<u64> {
    let v: serde_json::Value = serde_json::from_str(info.metadata(META_TOKEN_USAGE)?).ok()?;
    TokenUsage::from_json(&v).map(|t| t.total)
}

/// Groups trace infos into sessions, most recently active first. Traces without a session are skipped.
pub fn summarize(infos: &[TraceInfo]) -> Vec<SessionSummary> {
    let mut out: Vec<SessionSummary> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for info in infos {
        let Some(id) = session_of(info) else { continue };
        let i = *index.entry(id.to_string()).or_insert_with(|| {
            out.push(SessionSummary {
                id: id.to_string(),
                ..Default::default()
            });
            out.len() - 1
        });
        let s = &mut out[i];
        s.turns += 1;
        if let Some(u) = info.metadata(META_USER).filter(|u| !u.is_empty()) {
            if !s.users.iter().any(|x| x == u) {
                s.users.push(u.to_string());
            }
        }
        // Times, durations and token counts come from the server or a file and may be anything up to
        // u64::MAX: every sum below saturates instead of overflowing (found by fuzzing).
        if let Some(t) = info.request_time_ms {
            s.first_ms = Some(s.first_ms.map_or(t, |f| f.min(t)));
            let end = t.saturating_add(info.execution_ms.unwrap_or(0));
            s.last_ms = Some(s.last_ms.map_or(end, |l| l.max(end)));
        }
        s.total_ms = s.total_ms.saturating_add(info.execution_ms.unwrap_or(0));
        if let Some(t) = tokens_of(info) {
            s.tokens = Some(s.tokens.unwrap_or(0).saturating_add(t));
        }
        if info.state == TraceState::Error {
            s.errors += 1;
        }
    }
    out.sort_by(|a, b| b.last_ms.cmp(&a.last_ms).then_with(|| a.id.cmp(&b.id)));
    out
}

/// The turns of one session in time order.
pub fn turns<'a>(infos: &'a [TraceInfo], session: &str) -> Vec<&'a TraceInfo> {
    let mut t: Vec<&TraceInfo> = infos
        .iter()
        .filter(|i| session_of(i) == Some(session))
        .collect();
    t.sort_by_key(|i| (i.request_time_ms, i.trace_id.clone()));
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(
        id: &str,
        session: &str,
        user: &str,
        t: u64,
        ms: u64,
        state: TraceState,
        tokens: u64,
    ) -> TraceInfo {
        TraceInfo {
            trace_id: id.into(),
            request_time_ms: Some(t),
            execution_ms: Some(ms),
            state,
            metadata: vec![
                (META_SESSION.into(), session.into()),
                (META_USER.into(), user.into()),
                (
                    META_TOKEN_USAGE.into(),
                    format!(
                        "{{\"input_tokens\": 1, \"output_tokens\": 1, \"total_tokens\": {tokens}}}"
                    ),
                ),
            ],
            ..Default::default()
        }
    }

    #[test]
    fn groups_turns_users_times_tokens_errors() {
        let infos = vec![
            info("t3", "s1", "alice", 3000, 10, TraceState::Ok, 5),
            info("t1", "s1", "alice", 1000, 20, TraceState::Error, 7),
            info("t2", "s2", "bob", 2000, 30, TraceState::Ok, 11),
            info("t4", "s1", "carol", 2500, 5, TraceState::Ok, 1),
            TraceInfo {
                trace_id: "lonely".into(),
                ..Default::default()
            },
        ];
        let s = summarize(&infos);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].id, "s1");
        assert_eq!(s[0].turns, 3);
        assert_eq!(s[0].users, ["alice", "carol"]);
        assert_eq!((s[0].first_ms, s[0].last_ms), (Some(1000), Some(3010)));
        assert_eq!(s[0].total_ms, 35);
        assert_eq!(s[0].tokens, Some(13));
        assert_eq!(s[0].errors, 1);
        let t: Vec<&str> = turns(&infos, "s1")
            .iter()
            .map(|i| i.trace_id.as_str())
            .collect();
        assert_eq!(t, ["t1", "t4", "t3"]);
    }
}
