//! Renderers: from the model to in-memory output files. Only the output writer touches the disk.

pub mod diagnostics;
pub mod json;
