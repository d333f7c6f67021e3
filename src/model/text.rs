//! Compact string handles into a trace's source text.
//!
//! A trace keeps the bytes it was parsed from (shared, reference counted) and refers to names, ids and
//! raw attribute values by byte range instead of allocating one `String` each: a 1M-span trace would
//! otherwise make millions of small allocations and double its memory. Strings that had JSON escapes
//! (so are not a verbatim slice of the source) go into a per-trace side buffer.

use std::sync::Arc;

/// A handle to a string held by [`Strings`]. Copyable, 8 bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Text {
    start: u32,
    len: u32,
}

/// The text a document was parsed from, shared by its traces. `Arc<String>` rather than `Arc<str>` so an
/// owned download becomes the source without a copy.
pub type Source = Arc<String>;

/// Marks a [`Text`] whose bytes are in the side buffer rather than the source.
const SIDE: u32 = 1 << 31;

impl Text {
    pub const EMPTY: Text = Text { start: 0, len: 0 };

    pub fn is_empty(self) -> bool {
        self.len == 0
    }
}

/// The source text of a document plus a side buffer for unescaped strings.
#[derive(Clone, Debug)]
pub struct Strings {
    source: Source,
    side: String,
}

impl Strings {
    pub fn new(source: Source) -> Self {
        Strings {
            source,
            side: String::new(),
        }
    }

    pub fn source(&self) -> &Source {
        &self.source
    }

    /// Returns the string a handle refers to.
    pub fn get(&self, t: Text) -> &str {
        let (buf, start) = if t.start & SIDE != 0 {
            (self.side.as_str(), (t.start & !SIDE) as usize)
        } else {
            (self.source.as_str(), t.start as usize)
        };
        buf.get(start..start + t.len as usize).unwrap_or("")
    }

    /// Stores `s`: a slice of the source becomes a range (no copy); anything else is appended to the
    /// side buffer.
    pub fn intern(&mut self, s: &str) -> Text {
        if s.is_empty() {
            return Text::EMPTY;
        }
        if let Some(start) = self.offset_in_source(s) {
            if start < SIDE as usize && s.len() < u32::MAX as usize {
                return Text {
                    start: start as u32,
                    len: s.len() as u32,
                };
            }
        }
        self.push_side(s)
    }

    /// Appends to the side buffer even if `s` could be found in the source.
    pub fn push_side(&mut self, s: &str) -> Text {
        let start = self.side.len();
        if start >= SIDE as usize || s.len() >= u32::MAX as usize {
            // Beyond 2 GiB of unescaped strings: keep a marker rather than corrupt offsets.
            return Text::EMPTY;
        }
        self.side.push_str(s);
        Text {
            start: start as u32 | SIDE,
            len: s.len() as u32,
        }
    }

    fn offset_in_source(&self, s: &str) -> Option<usize> {
        let base = self.source.as_ptr() as usize;
        let p = s.as_ptr() as usize;
        if p >= base && p + s.len() <= base + self.source.len() {
            Some(p - base)
        } else {
            None
        }
    }

    /// Bytes held beyond the shared source (for memory accounting).
    pub fn side_bytes(&self) -> usize {
        self.side.capacity()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_of_the_source_are_not_copied() {
        let src: Source = Arc::new("hello world".to_string());
        let mut s = Strings::new(src.clone());
        let t = s.intern(&src[6..]);
        assert_eq!(s.get(t), "world");
        assert_eq!(s.side_bytes(), 0);
        let o = s.intern("elsewhere");
        assert_eq!(s.get(o), "elsewhere");
        assert_eq!(s.get(Text::EMPTY), "");
    }
}
