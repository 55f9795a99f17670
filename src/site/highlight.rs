//! Code highlighting: syntect grammars (with two-face's extras and a PowerShell grammar of our
//! own) to HTML spans with CSS classes, and the light and dark stylesheets for those classes.
//!
//! Input: a code block's language and text. Output: escaped HTML, highlighted when the language
//! is known, plain otherwise. Highlighting never fails a build: an unknown language, a grammar
//! error or an oversized block falls back to escaped text.

use std::fmt::Write as _;
use std::sync::OnceLock;

use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::{SyntaxDefinition, SyntaxReference, SyntaxSet, SyntaxSetBuilder};
use syntect::util::LinesWithEndings;
use two_face::theme::EmbeddedThemeName;

/// Class prefix of highlighted spans, so they never clash with the theme's own classes.
const STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Blocks larger than this are shown as plain text: highlighting cost grows with size and a
/// runbook snippet this long is a log or a dump, not something to read in colour.
const MAX_HIGHLIGHT_BYTES: usize = 64 * 1024;

/// Lines longer than this disable highlighting of their block (regex grammars can be slow on them).
const MAX_LINE_BYTES: usize = 4 * 1024;

/// The PowerShell grammar written for preflight.
const POWERSHELL: &str = include_str!("syntaxes/PowerShell.sublime-syntax");

/// The grammars, loaded once on first use.
struct Grammars {
    extra: SyntaxSet,
    own: SyntaxSet,
}

fn grammars() -> &'static Grammars {
    static GRAMMARS: OnceLock<Grammars> = OnceLock::new();
    GRAMMARS.get_or_init(|| {
        let mut own = SyntaxSetBuilder::new();
        // The grammar is a constant of this crate, checked by a unit test.
        if let Ok(def) = SyntaxDefinition::load_from_str(POWERSHELL, true, None) {
            own.add(def);
        }
        Grammars {
            extra: two_face::syntax::extra_newlines(),
            own: own.build(),
        }
    })
}

/// The grammar name for a fence language, after aliases (`sh`, `console` → bash).
fn canonical(lang: &str) -> &str {
    match lang {
        "sh" | "shell" | "console" | "zsh" | "shellscript" | "shell-session" | "terminal" => "bash",
        "ps" | "ps1" | "pwsh" | "powershell" | "posh" => "powershell",
        "yml" => "yaml",
        "env" | "dotenv" | ".env" => "ini",
        "tf" | "terraform" | "hcl2" => "hcl",
        "docker" | "containerfile" => "dockerfile",
        "js" | "node" => "javascript",
        "ts" => "typescript",
        "py" | "python3" => "python",
        "rb" => "ruby",
        "conf" | "nginx.conf" => "nginx",
        "psql" | "postgresql" | "mysql" => "sql",
        "jsonc" | "json5" => "json",
        other => other,
    }
}

/// Finds the grammar and the set it lives in.
fn find(lang: &str) -> Option<(&'static SyntaxSet, &'static SyntaxReference)> {
    let g = grammars();
    let name = canonical(lang);
    if name == "powershell" {
        return g.own.find_syntax_by_name("PowerShell").map(|s| (&g.own, s));
    }
    g.extra
        .find_syntax_by_token(name)
        .or_else(|| g.extra.find_syntax_by_extension(name))
        .map(|s| (&g.extra, s))
}

/// Whether `lang` names a grammar preflight can highlight.
#[must_use]
pub fn is_known(lang: &str) -> bool {
    find(&lang.to_ascii_lowercase()).is_some()
}

/// The code as HTML (the inside of a `<code>` element): highlighted spans, or escaped text.
#[must_use]
pub fn code_html(lang: Option<&str>, code: &str) -> String {
    highlighted(lang, code).0
}

/// The code as HTML, and a notice when it has a known language but is shown as plain text
/// because it is too large to highlight.
#[must_use]
pub fn highlighted(lang: Option<&str>, code: &str) -> (String, Option<&'static str>) {
    let Some((set, syntax)) = lang.and_then(|l| find(&l.to_ascii_lowercase())) else {
        return (escape(code), None);
    };
    if code.len() > MAX_HIGHLIGHT_BYTES || code.lines().any(|l| l.len() > MAX_LINE_BYTES) {
        return (
            escape(code),
            Some("shown without colours: this block is too large to highlight"),
        );
    }
    match highlight(set, syntax, code) {
        Some(html) => (html, None),
        None => (
            escape(code),
            Some("shown without colours: the highlighter could not read it"),
        ),
    }
}

fn highlight(set: &SyntaxSet, syntax: &SyntaxReference, code: &str) -> Option<String> {
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, set, STYLE);
    for line in LinesWithEndings::from(code) {
        generator
            .parse_html_for_line_which_includes_newline(line)
            .ok()?;
    }
    Some(generator.finalize())
}

/// Escapes text for HTML element content and attribute values.
#[must_use]
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The stylesheet for highlighted code: a light theme, and a dark one under
/// `prefers-color-scheme: dark`.
#[must_use]
pub fn stylesheet() -> String {
    let themes = two_face::theme::extra();
    let light = css_for_theme_with_class_style(themes.get(EmbeddedThemeName::Github), STYLE)
        .unwrap_or_default();
    let dark = css_for_theme_with_class_style(themes.get(EmbeddedThemeName::OneHalfDark), STYLE)
        .unwrap_or_default();
    let mut css = String::from(
        "/* Code colours: GitHub (light) and OneHalfDark (dark), each colour adjusted to a\n   contrast of at least 4.5:1 on the code background (WCAG AA). */\n",
    );
    css.push_str(&readable(&scope_to_code(&light), LIGHT_CODE_BG));
    let _ = write!(
        css,
        "@media (prefers-color-scheme: dark) {{\n{}}}\n",
        readable(&scope_to_code(&dark), DARK_CODE_BG)
    );
    css
}

/// Code background of the default theme in each scheme (`--code-bg` in `preflight.css`).
const LIGHT_CODE_BG: [u8; 3] = [0xf6, 0xf8, 0xfa];
const DARK_CODE_BG: [u8; 3] = [0x16, 0x1b, 0x22];
/// The contrast every code colour reaches: WCAG AA for normal text, with a margin for rounding.
const MIN_CONTRAST: f64 = 4.6;

/// Rewrites every `color: #rrggbb` so that it reads on `background`; background colours are
/// dropped (the theme's stylesheet owns the code background).
fn readable(css: &str, background: [u8; 3]) -> String {
    let mut out = String::with_capacity(css.len());
    for line in css.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("background-color:") {
            continue;
        }
        let rgb = trimmed
            .strip_prefix("color: #")
            .and_then(|rest| rest.get(..6))
            .and_then(parse_hex);
        if let Some(rgb) = rgb {
            let [r, g, b] = with_contrast(rgb, background);
            let _ = writeln!(out, " color: #{r:02x}{g:02x}{b:02x};");
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

fn parse_hex(hex: &str) -> Option<[u8; 3]> {
    let byte = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

/// `fg` moved towards black (on a light background) or white (on a dark one) until its contrast
/// with `bg` is at least [`MIN_CONTRAST`].
fn with_contrast(fg: [u8; 3], bg: [u8; 3]) -> [u8; 3] {
    let target: u8 = if luminance(bg) > 0.5 { 0 } else { 255 };
    let mut colour = fg;
    for step in 1..=20 {
        if contrast(colour, bg) >= MIN_CONTRAST {
            break;
        }
        colour = fg.map(|c| mix(c, target, step));
    }
    colour
}

/// `from` moved `step` twentieths of the way to `to`.
fn mix(from: u8, to: u8, step: i32) -> u8 {
    let (from, to) = (i32::from(from), i32::from(to));
    u8::try_from(from + (to - from) * step / 20).unwrap_or(u8::MAX)
}

/// Relative luminance (WCAG 2).
fn luminance(rgb: [u8; 3]) -> f64 {
    let channel = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2])
}

/// Contrast ratio (WCAG 2) of two colours.
fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// Limits theme rules to code blocks: syntect's `.hl-code` background rule and every other rule
/// apply only inside `pre.code`.
fn scope_to_code(css: &str) -> String {
    let mut out = String::with_capacity(css.len() + css.len() / 4);
    for line in css.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with('.') && line.ends_with('{') {
            let selectors: Vec<String> = trimmed
                .trim_end_matches('{')
                .split(',')
                .map(|s| format!("pre.code {}", s.trim()))
                .collect();
            out.push_str(&selectors.join(", "));
            out.push_str(" {\n");
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn powershell_grammar_loads() {
        assert!(SyntaxDefinition::load_from_str(POWERSHELL, true, None).is_ok());
        let html = code_html(Some("pwsh"), "Get-Service -Name $svc # check\n");
        assert!(html.contains("hl-support hl-function"), "{html}");
        assert!(html.contains("hl-comment"), "{html}");
    }

    #[test]
    fn aliases_and_extra_grammars_resolve() {
        for lang in [
            "bash",
            "sh",
            "shell",
            "console",
            "toml",
            "dockerfile",
            "ini",
            "env",
            "hcl",
            "yaml",
            "json",
            "powershell",
        ] {
            assert!(is_known(lang), "{lang} has no grammar");
        }
        assert!(!is_known("no-such-language"));
    }

    #[test]
    fn unknown_language_is_escaped_text() {
        assert_eq!(
            code_html(Some("nope"), "<b>&</b>"),
            "&lt;b&gt;&amp;&lt;/b&gt;"
        );
        let html = code_html(Some("bash"), "echo '<script>'\n");
        assert!(!html.contains("<script>"), "{html}");
    }

    #[test]
    fn every_code_colour_reads_on_its_background() {
        let css = stylesheet();
        let (light, dark) = css.split_once("@media").unwrap_or((&css, ""));
        for (part, bg) in [(light, LIGHT_CODE_BG), (dark, DARK_CODE_BG)] {
            let colours: Vec<[u8; 3]> = part
                .lines()
                .filter_map(|l| l.trim().strip_prefix("color: #"))
                .filter_map(|h| parse_hex(&h[..6]))
                .collect();
            assert!(colours.len() > 10);
            for c in colours {
                assert!(contrast(c, bg) >= 4.5, "{c:?} on {bg:?}");
            }
        }
    }

    #[test]
    fn oversized_blocks_are_plain_with_a_notice() {
        let long = format!("echo {}\n", "x".repeat(MAX_LINE_BYTES + 1));
        let (html, notice) = highlighted(Some("bash"), &long);
        assert!(!html.contains("hl-"));
        assert!(notice.is_some());
        assert_eq!(highlighted(Some("nope"), "x").1, None);
    }

    #[test]
    fn stylesheet_has_both_schemes() {
        let css = stylesheet();
        assert!(css.contains("prefers-color-scheme: dark"));
        assert!(css.contains("pre.code .hl-"));
    }
}
