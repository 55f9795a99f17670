//! PDF of printable runbooks, typeset by the typst compiler inside the binary: no browser, no
//! external program, and the fonts built in (see the `fonts` module), so a PDF whose text they
//! cover is the same on every machine.
//!
//! The typst template (`templates/runbook.typ`, which a book may override) is the only source
//! file; the sheets are a JSON file it reads, so checklist text is never parsed as typst.
//! With the same sheets and timestamp, the bytes are the same.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use serde::Serialize;
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Smart};
use typst::layout::PagedDocument;
use typst::syntax::{FileId, Source, VirtualPath};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use super::fonts::{self, Fonts};
use super::{Sheet, civil};

/// The built-in typst template.
pub const TEMPLATE: &str = include_str!("../../templates/runbook.typ");

/// What the template reads from `sheet.json`.
#[derive(Serialize)]
struct Input<'a> {
    title: &'a str,
    author: &'a str,
    release: &'a str,
    paper: &'a str,
    sheets: &'a [&'a Sheet],
}

/// A finished PDF.
#[derive(Debug)]
pub struct Pdf {
    /// Its bytes.
    pub bytes: Vec<u8>,
    /// Its number of pages.
    pub pages: usize,
    /// The characters of its text no font has, which print as empty boxes.
    pub missing: BTreeSet<char>,
}

fn library() -> &'static LazyHash<Library> {
    static LIBRARY: OnceLock<LazyHash<Library>> = OnceLock::new();
    LIBRARY.get_or_init(|| LazyHash::new(Library::default()))
}

/// The world of one compilation: the template and the sheets.
struct SheetWorld {
    main: Source,
    data_id: FileId,
    data: Bytes,
    today: Datetime,
    fonts: &'static Fonts,
}

impl World for SheetWorld {
    fn library(&self) -> &LazyHash<Library> {
        library()
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.fonts.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::NotFound(id.vpath().as_rootless_path().into()))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            Ok(self.data.clone())
        } else {
            Err(FileError::NotFound(id.vpath().as_rootless_path().into()))
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.font(index)
    }

    fn today(&self, _offset: Option<i64>) -> Option<Datetime> {
        Some(self.today)
    }
}

/// Characters of the title in page headers, footers and the PDF's metadata; a longer one is cut.
const MAX_RUNNING_TITLE: usize = 120;

/// The title as headers and footers show it: at most [`MAX_RUNNING_TITLE`] characters, cut with
/// `…`. A title of many lines' length repeated on every page of a document made as long by it
/// would make typesetting time grow with the square of the title.
fn running_title(title: &str) -> String {
    match title.char_indices().nth(MAX_RUNNING_TITLE) {
        Some((cut, _)) => format!("{}…", title[..cut].trim_end()),
        None => title.to_owned(),
    }
}

/// Why a PDF was not made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The template is wrong: typst's messages.
    Template(String),
    /// The typesetter stopped on this input (a panic inside it, caught).
    Stopped,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Template(message) => f.write_str(message),
            Failure::Stopped => f.write_str("the PDF typesetter stopped on this input"),
        }
    }
}

/// How many generations of typst's memoised results are kept: each typesetting run is one, and
/// results no run of the last few used are dropped, so memory stays flat over many PDFs.
const CACHE_GENERATIONS: usize = 8;

/// Typesets `sheets` (one checklist, or a release pack) with `template`; `title` and `release`
/// go to the page headers and the PDF metadata, `epoch` (seconds, UTC) is the PDF's creation
/// date, and `ident` names the document stably across builds.
pub fn render(
    template: &str,
    title: &str,
    release: &str,
    sheets: &[&Sheet],
    epoch: i64,
    ident: &str,
) -> Result<Pdf, Failure> {
    let paper = sheets.first().map_or("a4", |s| s.paper);
    let title = &running_title(title);
    let input = Input {
        title,
        author: "preflight",
        release,
        paper,
        sheets,
    };
    let mut value = serde_json::to_value(&input).map_err(|e| Failure::Template(e.to_string()))?;
    // The running title and the metadata stay as written.
    if let Some(sheets) = value.get_mut("sheets") {
        breakable_strings(sheets, Some(TEXT));
    }
    let data = serde_json::to_string(&value).map_err(|e| Failure::Template(e.to_string()))?;
    let fonts = fonts::for_text(&data);
    let missing = fonts::missing(fonts, &data);
    let main_id = FileId::new(None, VirtualPath::new("runbook.typ"));
    let data_id = FileId::new(None, VirtualPath::new("sheet.json"));
    let (year, month, day, hour, minute, second) = civil(epoch);
    let today = Datetime::from_ymd(year, month, day)
        .ok_or_else(|| Failure::Template("date out of range".to_owned()))?;
    let world = SheetWorld {
        main: Source::new(main_id, template.to_owned()),
        data_id,
        data: Bytes::from_string(data),
        today,
        fonts,
    };
    let timestamp = Datetime::from_ymd_hms(year, month, day, hour, minute, second)
        .map(typst_pdf::Timestamp::new_utc);
    let options = typst_pdf::PdfOptions {
        ident: Smart::Custom(ident),
        timestamp,
        ..typst_pdf::PdfOptions::default()
    };
    // The typesetter and the PDF writer are large; should either fail on an input no test
    // foresaw, that checklist gets an error and the other files are still written.
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let compiled = typst::compile::<PagedDocument>(&world);
        let document = compiled
            .output
            .map_err(|errors| Failure::Template(messages(&errors, &world.main)))?;
        let bytes = typst_pdf::pdf(&document, &options)
            .map_err(|errors| Failure::Template(messages(&errors, &world.main)))?;
        Ok(Pdf {
            bytes,
            pages: document.pages.len(),
            missing,
        })
    }))
    .unwrap_or(Err(Failure::Stopped));
    comemo::evict(CACHE_GENERATIONS);
    result
}

/// A small checklist with each kind of content a sheet can hold, to try a template on.
const SAMPLE: &str = "# Sample runbook

**Version**: 1.0

## Pre-deployment (15 minutes)

- [ ] Back up the database
  - [ ] Check the backup
- [x] Announce the window

```bash
make deploy
```

## Contacts

| Role | Name | Phone |
|------|------|-------|
| On-call | | |

## Sign-off

**Deployed By**: ____________
";

/// Typesets a small sample with `template`, so that a broken template is reported once, before
/// anything is written, rather than for every checklist.
pub fn check_template(template: &str) -> Result<(), String> {
    let loaded = crate::pipeline::from_bytes("sample.md", "sample", SAMPLE.as_bytes());
    let imprint = super::Imprint {
        book: "Sample".into(),
        release: "current".into(),
        date: "2000-01-01".into(),
        revision: None,
        paper: super::Paper::A4,
    };
    let sheet = super::sheet(&loaded.checklist, &imprint);
    render(
        template,
        "Sample",
        "current",
        &[&sheet],
        946_684_800,
        "sample",
    )
    .map(|_| ())
    .map_err(|failure| failure.to_string())
}

/// How long a run of characters without white space may be before it gets places to break,
/// and the most characters it then keeps between two of them.
#[derive(Debug, Clone, Copy)]
struct Breaks {
    long_run: usize,
    every: usize,
}

/// For text as wide as the page: a checksum or a URL. A break is a zero-width space, which
/// stays in the PDF's text: a run that fits on a line (a SHA-256 of 64 characters) gets none,
/// so that it copies from the PDF as written.
const TEXT: Breaks = Breaks {
    long_run: 64,
    every: 48,
};

/// Every string in `value` made [`breakable`] with `breaks`, but for table cells (`breaks`
/// none), which the template breaks where a word is wider than its column, measured.
fn breakable_strings(value: &mut serde_json::Value, breaks: Option<Breaks>) {
    match value {
        serde_json::Value::String(s) => {
            if !s.is_ascii() {
                cap_marks(s);
            }
            if let Some(breaks) = breaks.filter(|b| s.len() > b.long_run) {
                *s = breakable(s, breaks);
            }
        }
        serde_json::Value::Array(items) => {
            for v in items {
                breakable_strings(v, breaks);
            }
        }
        serde_json::Value::Object(map) => {
            let table = map.get("type").and_then(|t| t.as_str()) == Some("table");
            for v in map.values_mut() {
                breakable_strings(v, breaks.filter(|_| !table));
            }
        }
        _ => {}
    }
}

/// Most combining marks kept on one character. Text stacks a few (Vietnamese two, some
/// scripts four); long runs are noise that can stop the typesetter.
const MAX_MARKS: usize = 16;

/// Drops the combining marks past [`MAX_MARKS`] in each run of them.
fn cap_marks(text: &mut String) {
    use unicode_normalization::char::is_combining_mark;
    let mut run = 0;
    let long = text.chars().any(|c| {
        run = if is_combining_mark(c) { run + 1 } else { 0 };
        run > MAX_MARKS
    });
    if !long {
        return;
    }
    let mut run = 0;
    text.retain(|c| {
        run = if is_combining_mark(c) { run + 1 } else { 0 };
        run <= MAX_MARKS
    });
}

/// `text` with places to break (zero-width spaces) inside each run without white space longer
/// than `breaks.long_run`: after punctuation that splits such runs (`/`, `.`, `-`, `_`, `:`,
/// `=` …) and at least every `breaks.every` characters. typst breaks lines only between words,
/// so a checksum, an ARN or a URL would otherwise run over the next column and off the page,
/// its end lost on paper. A break never goes before a combining mark or inside scripts that
/// typst breaks by itself (Indic, Thai, Lao).
fn breakable(text: &str, breaks: Breaks) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut rest = text;
    while !rest.is_empty() {
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let (run, tail) = rest.split_at(end);
        if run.chars().nth(breaks.long_run).is_some() {
            break_run(run, breaks.every, &mut out);
        } else {
            out.push_str(run);
        }
        let space = tail.len() - tail.trim_start().len();
        out.push_str(&tail[..space]);
        rest = &tail[space..];
    }
    out
}

/// Writes `run` with places to break, as [`breakable`] says.
fn break_run(run: &str, every: usize, out: &mut String) {
    let mut since = 0;
    let mut chars = run.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        since = if c == '\u{200b}' { 0 } else { since + 1 };
        let Some(&next) = chars.peek() else {
            break;
        };
        let splits = matches!(
            c,
            '/' | '.' | '-' | '_' | ':' | '=' | ',' | '?' | '&' | '@' | '|' | ';' | '+' | '\\'
        );
        // Few breaks, since each stays in the PDF's text: after punctuation once half a line
        // has gone by, else after `every` characters.
        if ((splits && since >= every / 2) || since >= every)
            && next != '\u{200b}'
            && !joins_previous(next)
        {
            out.push('\u{200b}');
            since = 0;
        }
    }
}

/// Combining marks, and the scripts whose vowel signs attach to the letter before them.
fn joins_previous(c: char) -> bool {
    matches!(
        u32::from(c),
        0x0300..=0x036F
            | 0x0483..=0x0489
            | 0x0591..=0x05C7
            | 0x0610..=0x061A
            | 0x064B..=0x065F
            | 0x0900..=0x0EFF
            | 0x1AB0..=0x1AFF
            | 0x1DC0..=0x1DFF
            | 0x200C..=0x200D
            | 0x20D0..=0x20FF
            | 0xFE00..=0xFE0F
            | 0xFE20..=0xFE2F
    )
}

/// typst's diagnostics as one line.
fn messages(errors: &[typst::diag::SourceDiagnostic], main: &Source) -> String {
    errors
        .iter()
        .map(|e| match place(e.span, main) {
            Some((line, column)) => format!("line {line}, column {column}: {}", e.message),
            None => e.message.to_string(),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// 1-based line and column of `span` when it lies in the template.
fn place(span: typst::syntax::Span, main: &Source) -> Option<(usize, usize)> {
    if span.id() != Some(main.id()) {
        return None;
    }
    let start = main.range(span)?.start;
    let (line, column) = main.lines().byte_to_line_column(start)?;
    Some((line + 1, column + 1))
}

#[cfg(test)]
mod tests {
    use super::{MAX_MARKS, MAX_RUNNING_TITLE, TEXT, breakable, cap_marks, running_title};

    /// Regression: a run of 65,537 combining marks stopped the typesetter (a panic in text
    /// shaping), and the checklist was left out of the site.
    #[test]
    fn long_runs_of_combining_marks_are_cut() {
        let mut text = format!("a{}b\u{301}", "\u{301}".repeat(70_000));
        cap_marks(&mut text);
        assert_eq!(text, format!("a{}b\u{301}", "\u{301}".repeat(MAX_MARKS)));
        let mut vietnamese = "Việt Nam".to_owned();
        cap_marks(&mut vietnamese);
        assert_eq!(vietnamese, "Việt Nam");
    }

    #[test]
    fn running_titles_are_cut_at_a_character() {
        assert_eq!(running_title("Deploy"), "Deploy");
        let long = "é".repeat(MAX_RUNNING_TITLE + 5);
        let cut = running_title(&long);
        assert_eq!(cut.chars().count(), MAX_RUNNING_TITLE + 1);
        assert!(cut.ends_with('…'));
    }

    #[test]
    fn long_runs_break_but_never_before_a_mark() {
        let word = "é".repeat(450);
        let broken = breakable(&word, TEXT);
        assert_eq!(broken.matches('\u{200b}').count(), 449 / TEXT.every);
        assert_eq!(broken.replace('\u{200b}', ""), word);
        let short = "a normal sentence with words, even internationalisation";
        assert_eq!(breakable(short, TEXT), short);
        let flag = "ENABLE_MILESTONE_WORKFLOWS (true/false)";
        assert_eq!(breakable(flag, TEXT), flag);
        let thai = "กิ".repeat(300);
        assert!(!breakable(&thai, TEXT).contains('\u{200b}'));
    }

    /// Regression: a sha512 in an item and an ARN in a table cell ran off the page in the PDF,
    /// their ends lost on paper.
    #[test]
    fn checksums_and_arns_get_places_to_break() {
        let hash = "9d50551afe62".repeat(11);
        let broken = breakable(&format!("Verify `{hash}` matches"), TEXT);
        assert!(
            broken
                .split(['\u{200b}', ' '])
                .all(|piece| piece.chars().count() <= TEXT.every),
            "{broken}"
        );
        let sha256 = "cdc909a6da9d64c01e8c".repeat(4);
        let sha256 = &sha256[..64];
        assert_eq!(breakable(sha256, TEXT), sha256);
        let arn = "arn:aws:iam::123456789012:role/deploy-production-release-with-a-longer-name";
        let broken = breakable(arn, TEXT);
        assert!(broken.contains("012:\u{200b}role"), "{broken}");
        assert!(
            broken
                .split('\u{200b}')
                .all(|piece| piece.chars().count() <= TEXT.every),
            "{broken}"
        );
        assert_eq!(broken.replace('\u{200b}', ""), arn);
    }
}
