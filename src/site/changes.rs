//! Diffs as HTML: the site's "what changed" page of each release, and the standalone page of
//! `preflight diff --format html`. Both render the `diff-macros.html` template, so a book's
//! `templates/` folder restyles both.

use std::path::Path;

use minijinja::Value;
use minijinja::value::Serde;

use super::templates;
use crate::diff::DiffDocument;
use crate::error::Result;

/// `doc` as the templates see it: its controls of text direction shown by their code points
/// (`⟦U+202E⟧`), so that the page shows text as written, not reordered by them.
#[must_use]
pub fn shown(doc: &DiffDocument) -> Value {
    match serde_json::to_value(doc) {
        Ok(mut value) => {
            crate::diff::format::show_bidi(&mut value);
            Value::from(Serde(value))
        }
        Err(_) => Value::from(Serde(doc)),
    }
}

/// A standalone HTML page of `doc`, with the theme's stylesheet inlined; the book at `root` may
/// override the templates and the stylesheet.
pub fn standalone(root: &Path, doc: &DiffDocument) -> Result<String> {
    let env = templates::environment(&crate::discover::join_root(root, Path::new("templates")))?;
    let assets = super::assets::collect(&super::inside_book(root, "themes/default")?)?;
    let css = assets
        .get("preflight.css")
        .map(|b| String::from_utf8_lossy(b).replace("</", "<\\/"))
        .unwrap_or_default();
    let template = env
        .get_template("diff.html")
        .map_err(|e| templates::template_error(Path::new("diff.html"), &e))?;
    template
        .render(minijinja::context! {
            doc => shown(doc),
            summary_line => doc.summary.line(),
            css => Value::from_safe_string(css),
            version => env!("CARGO_PKG_VERSION"),
        })
        .map_err(|e| templates::template_error(Path::new("diff.html"), &e))
}
