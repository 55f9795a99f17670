//! Templates: the minijinja environment with preflight's templates built in, and a book's own
//! `templates/` folder overriding them file by file.
//!
//! Auto-escaping is on for every template whatever its name; only the view model's `*_html`
//! fields (sanitised when they were built) are marked safe, in the templates themselves.

use std::path::Path;

use minijinja::syntax::SyntaxConfig;
use minijinja::value::{Serde, Value};
use minijinja::{AutoEscape, Environment, UndefinedBehavior};

use crate::diff::Place;
use crate::diff::format::Shown;
use crate::error::{Error, Result};

/// The built-in templates, by name.
pub(super) const BUILTIN: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("macros.html", include_str!("../../templates/macros.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("release.html", include_str!("../../templates/release.html")),
    (
        "checklist.html",
        include_str!("../../templates/checklist.html"),
    ),
    ("404.html", include_str!("../../templates/404.html")),
    ("changes.html", include_str!("../../templates/changes.html")),
    ("diff.html", include_str!("../../templates/diff.html")),
    ("print.html", include_str!("../../templates/print.html")),
    (
        "diff-macros.html",
        include_str!("../../templates/diff-macros.html"),
    ),
];

/// Builds the environment: built-in templates, then the book's `templates/*.html` over them.
pub(super) fn environment(book_templates: &Path) -> Result<Environment<'static>> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    env.set_undefined_behavior(UndefinedBehavior::Chainable);
    env.set_recursion_limit(4000);
    env.add_filter("place", |place: Serde<Place>| {
        crate::diff::format::place_label(&place, "the top")
    });
    env.add_function("changed_lines", changed_lines);
    env.set_syntax(
        SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .build()
            .map_err(|e| template_error(Path::new("syntax"), &e))?,
    );
    for (name, source) in BUILTIN {
        add(&mut env, name, (*source).to_owned(), Path::new(name))?;
    }
    for (name, path) in super::files_under(book_templates)? {
        let source = std::fs::read_to_string(&path).map_err(|source| Error::Read {
            path: path.clone(),
            source,
        })?;
        add(&mut env, &name, source, &path)?;
    }
    Ok(env)
}

/// For a field change in a template: the lines removed and added when a value has several
/// (`{lines: [["-", "old line"], ["+", "new line"]], more}`), none when both fit on a line.
fn changed_lines(old: Option<&str>, new: Option<&str>) -> Value {
    match crate::diff::format::shown_change(old, new) {
        Shown::Inline(..) => Value::from(()),
        Shown::Lines(lines, more) => {
            let lines: Vec<Value> = lines
                .into_iter()
                .map(|(sign, line)| Value::from(vec![sign.to_string(), line]))
                .collect();
            minijinja::context! { lines => lines, more => more }
        }
    }
}

fn add(env: &mut Environment<'static>, name: &str, source: String, path: &Path) -> Result<()> {
    env.add_template_owned(name.to_owned(), source)
        .map_err(|e| template_error(path, &e))
}

/// A template error as a preflight error naming the file, line and what went wrong.
#[must_use]
pub(super) fn template_error(path: &Path, e: &minijinja::Error) -> Error {
    let mut message = e
        .detail()
        .map_or_else(|| e.kind().to_string(), str::to_owned);
    if let Some(line) = e.line() {
        message = format!("line {line}: {message}");
    }
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        message.push_str(": ");
        message.push_str(&c.to_string());
        cause = c.source();
    }
    Error::Template {
        path: e.name().map_or_else(|| path.to_owned(), Into::into),
        message,
    }
}
