//! Human-readable numbers, durations and times, shared by every view.

/// `12,345` — thousands separated by commas (tests and users rely on `<N> spans`).
pub fn count(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `1 span` / `12,345 spans`.
pub fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", count(n), if n == 1 { one } else { many })
}

/// A duration with three significant digits and a unit that fits: `0 ms`, `850 µs`, `12.3 ms`, `4.56 s`,
/// `2m 05s`, `1h 02m`.
pub fn duration_ns(ns: u64) -> String {
    let f = ns as f64;
    if ns == 0 {
        "0 ms".into()
    } else if ns < 1_000 {
        format!("{ns} ns")
    } else if ns < 1_000_000 {
        sig3(f / 1e3, "µs")
    } else if ns < 1_000_000_000 {
        sig3(f / 1e6, "ms")
    } else if ns < 60_000_000_000 {
        sig3(f / 1e9, "s")
    } else if ns < 3_600_000_000_000 {
        let s = ns / 1_000_000_000;
        format!("{}m {:02}s", s / 60, s % 60)
    } else {
        let m = ns / 60_000_000_000;
        format!("{}h {:02}m", m / 60, m % 60)
    }
}

/// Axis labels: like [`duration_ns`] without trailing zeros (`50 ms`, `2.5 s`), and `0` at the origin.
pub fn axis_label(ns: u64) -> String {
    if ns == 0 {
        return "0".into();
    }
    let d = duration_ns(ns);
    match d.split_once(' ') {
        Some((num, unit)) if num.contains('.') => {
            format!("{} {unit}", num.trim_end_matches('0').trim_end_matches('.'))
        }
        _ => d,
    }
}

fn sig3(v: f64, unit: &str) -> String {
    if v >= 100.0 {
        format!("{v:.0} {unit}")
    } else if v >= 10.0 {
        format!("{v:.1} {unit}")
    } else {
        format!("{v:.2} {unit}")
    }
}

/// A size in bytes for people: `512 B`, `12.3 KB`, `498 MB`, `1.07 GB` (decimal units, like file managers).
pub fn bytes(n: u64) -> String {
    let f = n as f64;
    if n < 1_000 {
        format!("{n} B")
    } else if n < 1_000_000 {
        sig3(f / 1e3, "KB")
    } else if n < 1_000_000_000 {
        sig3(f / 1e6, "MB")
    } else {
        sig3(f / 1e9, "GB")
    }
}

/// Shortens text for one-line display, on a character boundary, with an ellipsis.
pub fn truncate_chars(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// Longest one-line label (span and trace names, tag keys and values in chips): past this a name is
/// cut, so a 50 MB span name costs a short text node per row, not 50 MB of DOM.
pub const LABEL_CHARS: usize = 300;

/// A one-line label: cut to [`LABEL_CHARS`] and with invisible characters revealed.
pub fn label(s: &str) -> String {
    match s.char_indices().nth(LABEL_CHARS) {
        Some((i, _)) => format!("{}…", reveal_invisible(&s[..i])),
        None => reveal_invisible(s).into_owned(),
    }
}

/// Makes invisible or direction-changing characters visible, so trace text cannot spoof the UI:
/// bidi overrides/isolates and marks become `⟨RLO⟩`-style tags, zero-width characters `⟨ZWSP⟩`…,
/// and C0/C1 control characters (other than newline and tab) their Unicode control pictures or `⟨U+0085⟩`.
/// Text without such characters is returned unchanged (borrowed).
pub fn reveal_invisible(s: &str) -> std::borrow::Cow<'_, str> {
    fn name(c: char) -> Option<&'static str> {
        Some(match c {
            '\u{202A}' => "LRE",
            '\u{202B}' => "RLE",
            '\u{202C}' => "PDF",
            '\u{202D}' => "LRO",
            '\u{202E}' => "RLO",
            '\u{2066}' => "LRI",
            '\u{2067}' => "RLI",
            '\u{2068}' => "FSI",
            '\u{2069}' => "PDI",
            '\u{200E}' => "LRM",
            '\u{200F}' => "RLM",
            '\u{061C}' => "ALM",
            '\u{200B}' => "ZWSP",
            '\u{200C}' => "ZWNJ",
            '\u{200D}' => "ZWJ",
            '\u{2060}' => "WJ",
            '\u{FEFF}' => "BOM",
            _ => return None,
        })
    }
    let needs = |c: char| name(c).is_some() || (c.is_control() && c != '\n' && c != '\t');
    if !s.chars().any(needs) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if let Some(n) = name(c) {
            out.push('⟨');
            out.push_str(n);
            out.push('⟩');
        } else if c.is_control() && c != '\n' && c != '\t' {
            match c as u32 {
                v @ 0..=0x1F => out.push(char::from_u32(0x2400 + v).unwrap_or('?')),
                0x7F => out.push('\u{2421}'),
                v => out.push_str(&format!("⟨U+{v:04X}⟩")),
            }
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1000), "1,000");
        assert_eq!(count(12345), "12,345");
        assert_eq!(count(1_000_000), "1,000,000");
        assert_eq!(plural(1, "span", "spans"), "1 span");
        assert_eq!(plural(12345, "span", "spans"), "12,345 spans");
    }

    #[test]
    fn durations() {
        assert_eq!(duration_ns(0), "0 ms");
        assert_eq!(duration_ns(999), "999 ns");
        assert_eq!(duration_ns(850_000), "850 µs");
        assert_eq!(duration_ns(12_340_000), "12.3 ms");
        assert_eq!(duration_ns(288_000_000), "288 ms");
        assert_eq!(duration_ns(4_560_000_000), "4.56 s");
        assert_eq!(duration_ns(125_000_000_000), "2m 05s");
        assert_eq!(duration_ns(3_720_000_000_000), "1h 02m");
    }

    #[test]
    fn axis_labels() {
        assert_eq!(axis_label(0), "0");
        assert_eq!(axis_label(50_000_000), "50 ms");
        assert_eq!(axis_label(2_500_000_000), "2.5 s");
        assert_eq!(axis_label(1_250_000), "1.25 ms");
    }

    #[test]
    fn invisible_characters_are_revealed() {
        assert_eq!(reveal_invisible("plain name"), "plain name");
        assert!(matches!(
            reveal_invisible("plain"),
            std::borrow::Cow::Borrowed(_)
        ));
        assert_eq!(
            reveal_invisible("invoice\u{202E}fdp.exe"),
            "invoice⟨RLO⟩fdp.exe"
        );
        assert_eq!(reveal_invisible("a\u{200B}b\u{FEFF}"), "a⟨ZWSP⟩b⟨BOM⟩");
        assert_eq!(
            reveal_invisible("nul\0 esc\u{1b}[31m"),
            "nul\u{2400} esc\u{241B}[31m"
        );
        assert_eq!(
            reveal_invisible("keep\nlines\tand tabs"),
            "keep\nlines\tand tabs"
        );
        assert_eq!(reveal_invisible("c1\u{85}"), "c1⟨U+0085⟩");
    }

    #[test]
    fn truncation_respects_characters() {
        assert_eq!(truncate_chars("héllo wörld", 5), "héllo…");
        assert_eq!(truncate_chars("short", 10), "short");
    }
}
