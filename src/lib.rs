//! preflight turns Markdown deployment checklists into a normalised model, JSON, diagnostics —
//! and, built on the same model, runbook sites, printable sheets and diffs.
//!
//! The pipeline, one module per stage, in order:
//!
//! ```text
//! discover ─► parse ─► normalise ─► model ─┬─► lint ─────────► diagnostics
//!  (files)    (tree     (clean text,        └─► render::json ─► documents + schema
//!             + spans)   ids, phases)
//! ```
//!
//! - [`discover`] finds the book's config and sources (touches the disk);
//! - [`parse`] turns bytes into a block tree with source offsets (never fails);
//! - [`normalise`] turns the tree into the [`model`];
//! - [`lint`] checks the model;
//! - [`render`] turns the model into output files in memory ([`render::json`], and diagnostics
//!   as GitHub annotations or SARIF); [`site`] renders the runbook site; [`fix`] applies the
//!   safe fixes diagnostics carry; [`serve`] serves the site while it is written;
//! - [`output`] writes them atomically; [`pipeline`] runs one file through the stages;
//! - [`diag`] and [`model`] are leaves every stage may use; [`error`] holds operational failures.

pub mod cli;
pub mod config;
pub mod diag;
pub mod diff;
pub mod discover;
pub mod error;
pub mod fix;
pub mod git;
pub mod lint;
pub mod model;
pub mod normalise;
pub mod output;
pub mod parse;
pub mod pipeline;
pub mod print;
pub mod releases;
pub mod render;
pub mod serve;
pub mod site;
