//! Pure layout: which rows are visible and where things go. No web dependencies; tested natively.

pub mod minimap;
pub mod timeline;
pub mod tree;
pub mod window;

pub use timeline::TimeScale;
pub use tree::TreeRows;
pub use window::RowWindow;
