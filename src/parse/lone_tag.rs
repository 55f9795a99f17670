//! HTML blocks that are a name in angle brackets, not HTML: `1. <Step>` or `<Describe the
//! change>` in a template. A browser (and GitHub) would hide them as unknown tags; they are a
//! placeholder for the author to fill in, so they are kept as the text of a paragraph.

use std::collections::HashSet;

/// Names of HTML elements (current and obsolete ones still seen in Markdown), lower case.
const HTML_ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "acronym",
    "address",
    "applet",
    "area",
    "article",
    "aside",
    "audio",
    "b",
    "base",
    "basefont",
    "bdi",
    "bdo",
    "big",
    "blink",
    "blockquote",
    "body",
    "br",
    "button",
    "canvas",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "datalist",
    "dd",
    "del",
    "details",
    "dfn",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "fieldset",
    "figcaption",
    "figure",
    "font",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "i",
    "iframe",
    "image",
    "img",
    "input",
    "ins",
    "kbd",
    "keygen",
    "label",
    "legend",
    "li",
    "link",
    "listing",
    "main",
    "map",
    "mark",
    "marquee",
    "math",
    "menu",
    "menuitem",
    "meta",
    "meter",
    "nav",
    "nobr",
    "noembed",
    "noframes",
    "noscript",
    "object",
    "ol",
    "optgroup",
    "option",
    "output",
    "p",
    "param",
    "picture",
    "plaintext",
    "pre",
    "progress",
    "q",
    "rb",
    "rp",
    "rt",
    "rtc",
    "ruby",
    "s",
    "samp",
    "script",
    "search",
    "section",
    "select",
    "slot",
    "small",
    "source",
    "span",
    "strike",
    "strong",
    "style",
    "sub",
    "summary",
    "sup",
    "svg",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "time",
    "title",
    "tr",
    "track",
    "tt",
    "u",
    "ul",
    "var",
    "video",
    "wbr",
    "xmp",
];

/// Lower-case names of the closing tags in `text` (`</Note>` gives `note`).
pub(super) fn closing_tags(text: &str) -> HashSet<String> {
    let mut names = HashSet::new();
    for at in memchr::memmem::find_iter(text.as_bytes(), b"</") {
        let name: String = text[at + 2..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .take(64)
            .collect();
        if !name.is_empty() {
            names.insert(name.to_ascii_lowercase());
        }
    }
    names
}

/// Whether an HTML block's text is one `<name>` on one line whose name is no HTML element and
/// is closed nowhere in the document (`closed`, from [`closing_tags`]): `<Note>` … `</Note>`
/// around a body is a component of MDX and its kin, HTML to leave alone.
pub(super) fn is_lone_unknown_tag(text: &str, closed: Option<&HashSet<String>>) -> bool {
    let text = text.trim();
    let Some(inner) = text.strip_prefix('<').and_then(|t| t.strip_suffix('>')) else {
        return false;
    };
    let plain = inner.len() <= 64
        && inner.starts_with(|c: char| c.is_ascii_alphabetic())
        && !inner.contains(['<', '>', '\n', '=', '"', '\'', '/']);
    let name = inner
        .split(|c: char| c.is_whitespace())
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    plain
        && !HTML_ELEMENTS.contains(&name.as_str())
        && !name.contains('-')
        && !closed.is_some_and(|closed| closed.contains(&name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_angle_brackets_are_not_html() {
        assert!(is_lone_unknown_tag("<Step>\n", None));
        assert!(is_lone_unknown_tag("<Describe the change>", None));
        assert!(is_lone_unknown_tag("<TBD>", None));
        let closed = closing_tags("<Note>\n\nBody\n\n</Note>\n");
        assert!(!is_lone_unknown_tag("<Note>", Some(&closed)));
        for html in [
            "<details>",
            "<DIV>",
            "<br/>",
            "<details open>",
            "<img src=x>",
            "<!-- note -->",
            "</Step>",
            "<my-widget>",
            "<Step>\n<b>x</b>",
            "<nobr>",
        ] {
            assert!(!is_lone_unknown_tag(html, None), "{html}");
        }
    }
}
