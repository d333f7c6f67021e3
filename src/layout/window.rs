//! The slice of rows a virtualized list keeps in the DOM.

/// Rows `[first, last)` to render for a scroll position, with overscan on both sides.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RowWindow {
    pub first: usize,
    pub last: usize,
}

impl RowWindow {
    pub fn compute(
        scroll_top: f64,
        viewport: f64,
        row_height: f64,
        rows: usize,
        overscan: usize,
    ) -> RowWindow {
        if rows == 0 || row_height <= 0.0 {
            return RowWindow { first: 0, last: 0 };
        }
        let top = (scroll_top.max(0.0) / row_height).floor() as usize;
        let visible = (viewport.max(0.0) / row_height).ceil() as usize + 1;
        let first = top.saturating_sub(overscan).min(rows);
        let last = (top + visible + overscan).min(rows);
        RowWindow { first, last }
    }

    pub fn len(&self) -> usize {
        self.last - self.first
    }
    pub fn is_empty(&self) -> bool {
        self.first == self.last
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_is_bounded_by_viewport_not_rows() {
        let w = RowWindow::compute(0.0, 600.0, 24.0, 1_000_000, 10);
        assert_eq!(w, RowWindow { first: 0, last: 36 });
        let w = RowWindow::compute(24.0 * 500_000.0, 600.0, 24.0, 1_000_000, 10);
        assert_eq!(w.first, 499_990);
        assert_eq!(w.len(), 46);
        let w = RowWindow::compute(1e12, 600.0, 24.0, 100, 10);
        assert_eq!((w.first, w.last), (100, 100));
        assert!(RowWindow::compute(0.0, 600.0, 24.0, 0, 10).is_empty());
    }
}
