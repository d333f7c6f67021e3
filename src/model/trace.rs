//! The span arena: spans in a flat `Vec`, linked by `u32` indices, plus the indices every view needs
//! (roots, sorted children, pre-order, depth, subtree sizes, self time).
//!
//! Built in [`Trace::build`] with iterative algorithms only: a 100,000-deep parent chain must not
//! overflow the stack. Broken structure (orphans, duplicate ids, parent cycles) is kept visible:
//! such spans become roots, carry a flag, and are listed in [`Trace::problems`].

use super::error::{Problem, ProblemKind};
use super::raw::AttrEncoding;
use super::text::{Strings, Text};
use std::collections::HashMap;

/// Index of a span in its trace's arena.
pub type SpanIdx = u32;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum StatusCode {
    #[default]
    Unset,
    Ok,
    Error,
}

impl StatusCode {
    /// Accepts every spelling MLflow and OTLP use (`STATUS_CODE_ERROR`, `ERROR`, `2`, …).
    pub fn parse(s: &str) -> StatusCode {
        let u = s.trim().to_ascii_uppercase();
        let u = u.strip_prefix("STATUS_CODE_").unwrap_or(&u);
        match u {
            "OK" | "1" => StatusCode::Ok,
            "ERROR" | "2" => StatusCode::Error,
            _ => StatusCode::Unset,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            StatusCode::Unset => "UNSET",
            StatusCode::Ok => "OK",
            StatusCode::Error => "ERROR",
        }
    }
}

/// Trace state as MLflow reports it (`info.state`, or `status` in MLflow 2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum TraceState {
    #[default]
    Unspecified,
    Ok,
    Error,
    InProgress,
}

impl TraceState {
    pub fn parse(s: &str) -> TraceState {
        match s.trim().to_ascii_uppercase().as_str() {
            "OK" => TraceState::Ok,
            "ERROR" => TraceState::Error,
            "IN_PROGRESS" => TraceState::InProgress,
            _ => TraceState::Unspecified,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            TraceState::Unspecified => "UNKNOWN",
            TraceState::Ok => "OK",
            TraceState::Error => "ERROR",
            TraceState::InProgress => "IN PROGRESS",
        }
    }
}

/// MLflow's span types; anything else is kept as a custom type name.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub enum SpanType {
    Llm,
    ChatModel,
    Chain,
    Agent,
    Tool,
    Embedding,
    Retriever,
    Parser,
    Reranker,
    Memory,
    Guardrail,
    Evaluator,
    #[default]
    Unknown,
    Custom(String),
}

impl SpanType {
    pub fn parse(s: &str) -> SpanType {
        match s.trim().to_ascii_uppercase().as_str() {
            "LLM" => SpanType::Llm,
            "CHAT_MODEL" => SpanType::ChatModel,
            "CHAIN" => SpanType::Chain,
            "AGENT" => SpanType::Agent,
            "TOOL" => SpanType::Tool,
            "EMBEDDING" => SpanType::Embedding,
            "RETRIEVER" => SpanType::Retriever,
            "PARSER" => SpanType::Parser,
            "RERANKER" => SpanType::Reranker,
            "MEMORY" => SpanType::Memory,
            "GUARDRAIL" => SpanType::Guardrail,
            "EVALUATOR" => SpanType::Evaluator,
            "UNKNOWN" | "" => SpanType::Unknown,
            _ => SpanType::Custom(s.trim().to_string()),
        }
    }
    pub fn label(&self) -> &str {
        match self {
            SpanType::Llm => "LLM",
            SpanType::ChatModel => "CHAT_MODEL",
            SpanType::Chain => "CHAIN",
            SpanType::Agent => "AGENT",
            SpanType::Tool => "TOOL",
            SpanType::Embedding => "EMBEDDING",
            SpanType::Retriever => "RETRIEVER",
            SpanType::Parser => "PARSER",
            SpanType::Reranker => "RERANKER",
            SpanType::Memory => "MEMORY",
            SpanType::Guardrail => "GUARDRAIL",
            SpanType::Evaluator => "EVALUATOR",
            SpanType::Unknown => "UNKNOWN",
            SpanType::Custom(s) => s,
        }
    }
    /// A short stable class name for styling (`llm`, `chat-model`, …, `custom`).
    pub fn css_class(&self) -> &'static str {
        match self {
            SpanType::Llm => "llm",
            SpanType::ChatModel => "chat-model",
            SpanType::Chain => "chain",
            SpanType::Agent => "agent",
            SpanType::Tool => "tool",
            SpanType::Embedding => "embedding",
            SpanType::Retriever => "retriever",
            SpanType::Parser => "parser",
            SpanType::Reranker => "reranker",
            SpanType::Memory => "memory",
            SpanType::Guardrail => "guardrail",
            SpanType::Evaluator => "evaluator",
            SpanType::Unknown => "unknown",
            SpanType::Custom(_) => "custom",
        }
    }
}

/// Per-span structural flags (bit set).
pub mod flags {
    pub const ORPHAN: u8 = 1;
    pub const DUPLICATE_ID: u8 = 2;
    pub const CYCLE: u8 = 4;
    pub const UNFINISHED: u8 = 8;
    pub const NEGATIVE_DURATION: u8 = 16;
    pub const BAD_FIELD: u8 = 32;
}

/// One attribute: key and raw JSON value, decoded only when shown (see `attrs`).
#[derive(Clone, Copy, Debug)]
pub struct Attr {
    pub key: Text,
    pub raw: Text,
    pub encoding: AttrEncoding,
}

#[derive(Clone, Debug)]
pub struct Event {
    pub name: Text,
    pub time_ns: Option<u64>,
    pub attrs: std::ops::Range<u32>,
}

#[derive(Clone, Debug)]
pub struct Span {
    /// The id as written in the source (base64, hex or `0x` hex).
    pub id: Text,
    pub parent_id: Text,
    pub name: Text,
    pub start_ns: u64,
    /// `None` for spans that never ended.
    pub end_ns: Option<u64>,
    pub status: StatusCode,
    pub status_message: Text,
    pub span_type: SpanType,
    pub attrs: std::ops::Range<u32>,
    pub events: std::ops::Range<u32>,
    pub flags: u8,
    // --- filled in by `Trace::build` ---
    pub parent: Option<SpanIdx>,
    pub depth: u32,
    /// Position in `Trace::preorder`.
    pub order: u32,
    /// Number of spans in this span's subtree, itself included.
    pub subtree: u32,
    /// Duration not covered by any child.
    pub self_ns: u64,
}

impl Span {
    /// Duration in ns; unfinished spans count as zero.
    pub fn duration_ns(&self) -> u64 {
        self.end_ns
            .map(|e| e.saturating_sub(self.start_ns))
            .unwrap_or(0)
    }
    pub fn has(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }
    pub fn is_error(&self) -> bool {
        self.status == StatusCode::Error
    }
}

/// Trace-level facts from `info` (or derived when a file carries spans only).
#[derive(Clone, Debug, Default)]
pub struct TraceInfo {
    pub trace_id: String,
    pub client_request_id: Option<String>,
    pub experiment_id: Option<String>,
    /// Request time in ms since the epoch, if known.
    pub request_time_ms: Option<u64>,
    pub execution_ms: Option<u64>,
    pub state: TraceState,
    pub metadata: Vec<(String, String)>,
    pub tags: Vec<(String, String)>,
    pub request_preview: Option<String>,
    pub response_preview: Option<String>,
    /// Raw JSON of the assessments list, shown read-only.
    pub assessments_json: Option<String>,
}

impl TraceInfo {
    pub fn metadata(&self, key: &str) -> Option<&str> {
        self.metadata
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
    pub fn tag(&self, key: &str) -> Option<&str> {
        self.tags
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// A parsed trace: info, span arena and indices.
#[derive(Clone, Debug)]
pub struct Trace {
    pub info: TraceInfo,
    pub strings: Strings,
    pub spans: Vec<Span>,
    pub attrs: Vec<Attr>,
    pub events: Vec<Event>,
    /// Top-level spans (true roots, then orphans and cycle breaks), sorted by start time.
    pub roots: Vec<SpanIdx>,
    /// CSR children lists: children of `i` are `children[child_start[i]..child_start[i+1]]`, by start.
    child_start: Vec<u32>,
    children: Vec<SpanIdx>,
    /// All spans in depth-first pre-order (roots in order, children by start time).
    pub preorder: Vec<SpanIdx>,
    pub problems: Vec<Problem>,
    /// Earliest start and latest end over all spans (ns since the epoch).
    pub start_ns: u64,
    pub end_ns: u64,
}

impl Trace {
    /// Links spans into a forest and computes every index. `spans` must already hold ids, times,
    /// names, attributes; structural fields are overwritten.
    pub fn build(
        info: TraceInfo,
        strings: Strings,
        mut spans: Vec<Span>,
        attrs: Vec<Attr>,
        events: Vec<Event>,
        mut problems: Vec<Problem>,
    ) -> Trace {
        let n = spans.len();

        // 1. Resolve parent ids. First occurrence of an id wins; later duplicates are flagged.
        let mut by_id: HashMap<&str, SpanIdx> = HashMap::with_capacity(n);
        for (i, s) in spans.iter().enumerate() {
            let id = strings.get(s.id);
            if id.is_empty() {
                continue;
            }
            if by_id.contains_key(id) {
                problems.push(Problem {
                    span: Some(i as u32),
                    kind: ProblemKind::DuplicateSpanId,
                    detail: format!("span id {id} is used by more than one span; both are shown"),
                });
            } else {
                by_id.insert(id, i as SpanIdx);
            }
        }
        let mut parent: Vec<Option<SpanIdx>> = vec![None; n];
        let mut flag_bits = vec![0u8; n];
        for (i, s) in spans.iter().enumerate() {
            let pid = strings.get(s.parent_id);
            if pid.is_empty() {
                continue;
            }
            match by_id.get(pid) {
                Some(&p) if p as usize == i => {
                    flag_bits[i] |= flags::CYCLE;
                    problems.push(Problem {
                        span: Some(i as u32),
                        kind: ProblemKind::ParentCycle,
                        detail: "span is its own parent; shown as a root".into(),
                    });
                }
                Some(&p) => parent[i] = Some(p),
                None => {
                    flag_bits[i] |= flags::ORPHAN;
                    problems.push(Problem {
                        span: Some(i as u32),
                        kind: ProblemKind::OrphanSpan,
                        detail: format!("parent span {pid} is not in the trace; shown as a root"),
                    });
                }
            }
        }
        for (i, s) in spans.iter().enumerate() {
            if by_id
                .get(strings.get(s.id))
                .is_some_and(|&first| first as usize != i)
            {
                flag_bits[i] |= flags::DUPLICATE_ID;
            }
        }
        drop(by_id);

        // 2. Break parent cycles: a span whose ancestor chain never reaches a root is in (or below) a
        //    loop. Walk up from it, find the loop, cut it at the first span met twice.
        let mut state = vec![0u8; n]; // 0 unknown, 1 on current walk, 2 reaches a root
        let mut walk: Vec<usize> = Vec::new();
        for start in 0..n {
            if state[start] != 0 {
                continue;
            }
            walk.clear();
            let mut cur = start;
            loop {
                if state[cur] == 2 {
                    break;
                }
                if state[cur] == 1 {
                    // `cur` closes a loop: make it a root.
                    parent[cur] = None;
                    flag_bits[cur] |= flags::CYCLE;
                    problems.push(Problem {
                        span: Some(cur as u32),
                        kind: ProblemKind::ParentCycle,
                        detail:
                            "following parent ids loops back to this span; the loop is cut here"
                                .into(),
                    });
                    break;
                }
                state[cur] = 1;
                walk.push(cur);
                match parent[cur] {
                    Some(p) => cur = p as usize,
                    None => break,
                }
            }
            for &w in &walk {
                state[w] = 2;
            }
        }
        drop(state);

        // 3. Children in CSR form, each list sorted by (start, index).
        let mut child_count = vec![0u32; n + 1];
        for p in parent.iter().flatten() {
            child_count[*p as usize] += 1;
        }
        let mut child_start = vec![0u32; n + 1];
        for i in 0..n {
            child_start[i + 1] = child_start[i] + child_count[i];
        }
        let mut fill = child_start.clone();
        let mut children = vec![0 as SpanIdx; child_start[n] as usize];
        let mut roots = Vec::new();
        for (i, p) in parent.iter().enumerate() {
            match *p {
                Some(p) => {
                    let slot = &mut fill[p as usize];
                    children[*slot as usize] = i as SpanIdx;
                    *slot += 1;
                }
                None => roots.push(i as SpanIdx),
            }
        }
        let by_start = |a: &SpanIdx, b: &SpanIdx| {
            (spans[*a as usize].start_ns, *a).cmp(&(spans[*b as usize].start_ns, *b))
        };
        for i in 0..n {
            children[child_start[i] as usize..child_start[i + 1] as usize]
                .sort_unstable_by(by_start);
        }
        // True roots first, then orphans and cycle breaks, each group by start time.
        roots.sort_unstable_by(|a, b| {
            let broken = |i: &SpanIdx| flag_bits[*i as usize] & (flags::ORPHAN | flags::CYCLE) != 0;
            broken(a).cmp(&broken(b)).then_with(|| by_start(a, b))
        });

        // 4. Pre-order and depth with an explicit stack.
        let mut preorder = Vec::with_capacity(n);
        let mut depth = vec![0u32; n];
        let mut stack: Vec<SpanIdx> = roots.iter().rev().copied().collect();
        while let Some(i) = stack.pop() {
            preorder.push(i);
            let (a, b) = (
                child_start[i as usize] as usize,
                child_start[i as usize + 1] as usize,
            );
            for &c in children[a..b].iter().rev() {
                depth[c as usize] = depth[i as usize] + 1;
                stack.push(c);
            }
        }
        debug_assert_eq!(
            preorder.len(),
            n,
            "every span is reachable once cycles are cut"
        );

        // 5. Subtree sizes (reverse pre-order) and self time (children merged as intervals).
        let mut subtree = vec![1u32; n];
        for &i in preorder.iter().rev() {
            if let Some(p) = parent[i as usize] {
                subtree[p as usize] += subtree[i as usize];
            }
        }
        let mut self_ns = vec![0u64; n];
        for i in 0..n {
            let s = &spans[i];
            let Some(end) = s.end_ns else { continue };
            let (lo, hi) = (s.start_ns, end.max(s.start_ns));
            let (a, b) = (child_start[i] as usize, child_start[i + 1] as usize);
            let mut covered = 0u64;
            let mut cur: Option<(u64, u64)> = None;
            for &c in &children[a..b] {
                let cs = &spans[c as usize];
                let cs_start = cs.start_ns.clamp(lo, hi);
                let cs_end = cs.end_ns.unwrap_or(cs.start_ns).clamp(lo, hi);
                if cs_end <= cs_start {
                    continue;
                }
                cur = match cur {
                    Some((x, y)) if cs_start <= y => Some((x, y.max(cs_end))),
                    Some((x, y)) => {
                        covered += y - x;
                        Some((cs_start, cs_end))
                    }
                    None => Some((cs_start, cs_end)),
                };
            }
            if let Some((x, y)) = cur {
                covered += y - x;
            }
            self_ns[i] = (hi - lo).saturating_sub(covered);
        }

        // 6. Write back, with per-span timing problems.
        let mut start_ns = u64::MAX;
        let mut end_ns = 0u64;
        for (order, &i) in preorder.iter().enumerate() {
            spans[i as usize].order = order as u32;
        }
        for (i, s) in spans.iter_mut().enumerate() {
            s.parent = parent[i];
            s.depth = depth[i];
            s.subtree = subtree[i];
            s.self_ns = self_ns[i];
            s.flags |= flag_bits[i];
            if s.end_ns.is_none() {
                s.flags |= flags::UNFINISHED;
            }
            if let Some(e) = s.end_ns {
                if e < s.start_ns {
                    s.flags |= flags::NEGATIVE_DURATION;
                    problems.push(Problem {
                        span: Some(i as u32),
                        kind: ProblemKind::NegativeDuration,
                        detail: "span ends before it starts; drawn with zero width".into(),
                    });
                }
            }
            if s.start_ns > 0 {
                start_ns = start_ns.min(s.start_ns);
            }
            end_ns = end_ns.max(s.end_ns.unwrap_or(s.start_ns)).max(s.start_ns);
        }
        let unfinished = spans.iter().filter(|s| s.end_ns.is_none()).count();
        if unfinished > 0 {
            problems.push(Problem {
                span: spans
                    .iter()
                    .position(|s| s.end_ns.is_none())
                    .map(|i| i as u32),
                kind: ProblemKind::UnfinishedSpan,
                detail: format!("{unfinished} span(s) have no end time (still running or lost)"),
            });
        }
        if start_ns == u64::MAX {
            start_ns = end_ns.min(spans.first().map(|s| s.start_ns).unwrap_or(0));
        }

        Trace {
            info,
            strings,
            spans,
            attrs,
            events,
            roots,
            child_start,
            children,
            preorder,
            problems,
            start_ns,
            end_ns: end_ns.max(start_ns),
        }
    }

    pub fn len(&self) -> usize {
        self.spans.len()
    }
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }
    pub fn span(&self, i: SpanIdx) -> &Span {
        &self.spans[i as usize]
    }
    pub fn children(&self, i: SpanIdx) -> &[SpanIdx] {
        let i = i as usize;
        &self.children[self.child_start[i] as usize..self.child_start[i + 1] as usize]
    }
    pub fn text(&self, t: Text) -> &str {
        self.strings.get(t)
    }
    pub fn name(&self, i: SpanIdx) -> &str {
        self.text(self.span(i).name)
    }
    pub fn span_attrs(&self, i: SpanIdx) -> &[Attr] {
        let r = &self.span(i).attrs;
        &self.attrs[r.start as usize..r.end as usize]
    }
    pub fn span_events(&self, i: SpanIdx) -> &[Event] {
        let r = &self.span(i).events;
        &self.events[r.start as usize..r.end as usize]
    }
    pub fn event_attrs(&self, e: &Event) -> &[Attr] {
        &self.attrs[e.attrs.start as usize..e.attrs.end as usize]
    }
    /// Raw attribute by key (first match).
    pub fn attr(&self, i: SpanIdx, key: &str) -> Option<&Attr> {
        self.span_attrs(i).iter().find(|a| self.text(a.key) == key)
    }
    /// The span shown first: the earliest true root.
    pub fn root(&self) -> Option<SpanIdx> {
        self.roots.first().copied()
    }
    /// Trace duration: the span extent (ns precision) when there are spans, else the info's
    /// execution time (whole ms).
    pub fn duration_ns(&self) -> u64 {
        let extent = self.end_ns.saturating_sub(self.start_ns);
        match self.info.execution_ms {
            Some(ms) if extent == 0 => ms.saturating_mul(1_000_000),
            _ => extent,
        }
    }
    /// The trace's display name: the `mlflow.traceName` tag, else the root span's name.
    pub fn display_name(&self) -> &str {
        if let Some(n) = self.info.tag("mlflow.traceName").filter(|s| !s.is_empty()) {
            return n;
        }
        self.root()
            .map(|r| self.name(r))
            .filter(|s| !s.is_empty())
            .unwrap_or("(unnamed trace)")
    }
    pub fn error_count(&self) -> usize {
        self.spans.iter().filter(|s| s.is_error()).count()
    }
    /// Trace status: the info's state, else derived from the root span.
    pub fn state(&self) -> TraceState {
        match self.info.state {
            TraceState::Unspecified => match self.root().map(|r| self.span(r).status) {
                Some(StatusCode::Error) => TraceState::Error,
                Some(StatusCode::Ok) => TraceState::Ok,
                _ if self.spans.iter().any(|s| s.end_ns.is_none()) => TraceState::InProgress,
                _ => TraceState::Unspecified,
            },
            s => s,
        }
    }
    /// Largest depth of any span.
    pub fn max_depth(&self) -> u32 {
        self.spans.iter().map(|s| s.depth).max().unwrap_or(0)
    }
    /// Bytes of memory held beyond the shared source text (for benchmarks).
    pub fn heap_bytes(&self) -> usize {
        use std::mem::size_of;
        self.spans.capacity() * size_of::<Span>()
            + self.attrs.capacity() * size_of::<Attr>()
            + self.events.capacity() * size_of::<Event>()
            + (self.roots.capacity()
                + self.children.capacity()
                + self.child_start.capacity()
                + self.preorder.capacity())
                * 4
            + self.strings.side_bytes()
    }
}
