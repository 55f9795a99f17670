//! Links between checklists on the site: a relative link to a Markdown file of the book
//! (`[failover](ops/db-failover.md#rollback)`) goes to that checklist's page instead of a `.md`
//! file the site does not have.
//!
//! The target's id is made the way every checklist id is (each path part slugged), from the
//! linking checklist's folder, so it needs no list of the release's checklists: a link to a file
//! that is not in the book stays dead either way, and `broken-link` reports it.

use std::borrow::Cow;
use std::path::Path;

use crate::discover::markdown_id;
use crate::normalise::percent_decode;

/// `html` with every link to a Markdown file rewritten to the page of its checklist, for a page
/// of the checklist `id` (at `<release>/<id>/`).
#[must_use]
pub fn rewrite<'a>(html: &'a str, id: &str) -> Cow<'a, str> {
    if !html.contains(".md") && !html.contains(".markdown") && !html.contains(".MD") {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find("href=\"") {
        let start = at + "href=\"".len();
        let Some(len) = rest[start..].find('"') else {
            break;
        };
        out.push_str(&rest[..start]);
        let value = &rest[start..start + len];
        match page_of(&value.replace("&amp;", "&"), id) {
            Some(page) => out.push_str(&page),
            None => out.push_str(value),
        }
        rest = &rest[start + len..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// [`rewrite`] of an owned string, which is returned as it is when nothing changes.
#[must_use]
pub fn rewrite_owned(html: String, id: &str) -> String {
    match rewrite(&html, id) {
        Cow::Borrowed(_) => html,
        Cow::Owned(changed) => changed,
    }
}

/// The page a link from checklist `id` goes to, when it is a relative link to a Markdown file.
fn page_of(href: &str, id: &str) -> Option<String> {
    let (path, fragment) = match href.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (href, None),
    };
    let path = path.split('?').next().unwrap_or(path);
    let markdown = Path::new(path)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"));
    if !markdown || is_absolute(path) {
        return None;
    }
    let decoded = percent_decode(path)?;
    let joined = crate::discover::join_relative(id, &decoded)?;
    let target = markdown_id(Path::new(&joined));
    let up = "../".repeat(id.split('/').count());
    Some(match fragment {
        Some(f) if !f.is_empty() => format!("{up}{target}/index.html#{f}"),
        _ => format!("{up}{target}/index.html"),
    })
}

/// A link with a scheme (`https:`, `mailto:`), to another host (`//`) or from the site root.
fn is_absolute(path: &str) -> bool {
    path.starts_with('/')
        || path
            .split_once(':')
            .is_some_and(|(scheme, _)| !scheme.contains('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(href: &str, id: &str) -> String {
        rewrite(&format!("<a href=\"{href}\">x</a>"), id).into_owned()
    }

    #[test]
    fn markdown_links_go_to_checklist_pages() {
        assert_eq!(
            link("db-failover.md", "deploy"),
            "<a href=\"../db-failover/index.html\">x</a>"
        );
        assert_eq!(
            link("../Ops/DB%20Failover.md#rollback", "team/deploy"),
            "<a href=\"../../ops/db-failover/index.html#rollback\">x</a>"
        );
        assert_eq!(
            link("./notes/a.markdown", "ops/deploy"),
            "<a href=\"../../ops/notes/a/index.html\">x</a>"
        );
    }

    #[test]
    fn other_links_are_kept() {
        for href in [
            "https://example.com/a.md",
            "/docs/a.md",
            "#rollback",
            "script.sh",
            "../../outside.md",
            "mailto:ops@example.com",
        ] {
            assert_eq!(link(href, "deploy"), format!("<a href=\"{href}\">x</a>"));
        }
    }
}
