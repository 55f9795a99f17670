//! Diffs as HTML: the site's "what changed" page of each release, and the standalone page of
//! `preflight diff --format html`. Both render the `diff-macros.html` template, so a book's
//! `templates/` folder restyles both.

use std::path::Path;

use minijinja::Value;
use minijinja::value::Serde;

use super::templates;
use crate::diff::DiffDocument;
use crate::error::Result;

/// A standalone HTML page of `doc`, with the theme's stylesheet inlined; the book at `root` may
/// override the templates and the stylesheet.
pub fn standalone(root: &Path, doc: &DiffDocument) -> Result<String> {
    let env = templates::environment(&crate::discover::join_root(root, Path::new("templates")))?;
    let assets = super::assets::collect(&crate::discover::join_root(
        root,
        Path::new("themes/default"),
    ))?;
    let css = assets
        .get("preflight.css")
        .map(|b| String::from_utf8_lossy(b).replace("</", "<\\/"))
        .unwrap_or_default();
    let template = env
        .get_template("diff.html")
        .map_err(|e| templates::template_error(Path::new("diff.html"), &e))?;
    template
        .render(minijinja::context! {
            doc => Value::from(Serde(doc)),
            summary_line => doc.summary.line(),
            css => Value::from_safe_string(css),
            version => env!("CARGO_PKG_VERSION"),
        })
        .map_err(|e| templates::template_error(Path::new("diff.html"), &e))
}
