//! HTML blocks that are a name in angle brackets, not HTML: `1. <Step>` or `<Describe the
//! change>` in a template. A browser (and GitHub) would hide them as unknown tags; they are a
//! placeholder for the author to fill in, so they are kept as the text of a paragraph.

/// Names of HTML elements (current and obsolete ones still seen in Markdown), lower case.
const HTML_ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "address",
    "area",
    "article",
    "aside",
    "audio",
    "b",
    "base",
    "bdi",
    "bdo",
    "big",
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
    "img",
    "input",
    "ins",
    "kbd",
    "label",
    "legend",
    "li",
    "link",
    "main",
    "map",
    "mark",
    "marquee",
    "math",
    "menu",
    "meta",
    "meter",
    "nav",
    "noscript",
    "object",
    "ol",
    "optgroup",
    "option",
    "output",
    "p",
    "param",
    "picture",
    "pre",
    "progress",
    "q",
    "rp",
    "rt",
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
];

/// Whether an HTML block's text is one `<name>` on one line whose name is no HTML element.
pub(super) fn is_lone_unknown_tag(text: &str) -> bool {
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
    plain && !HTML_ELEMENTS.contains(&name.as_str()) && !name.contains('-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_angle_brackets_are_not_html() {
        assert!(is_lone_unknown_tag("<Step>\n"));
        assert!(is_lone_unknown_tag("<Describe the change>"));
        assert!(is_lone_unknown_tag("<TBD>"));
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
        ] {
            assert!(!is_lone_unknown_tag(html), "{html}");
        }
    }
}
