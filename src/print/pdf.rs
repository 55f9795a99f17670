//! PDF of printable runbooks, typeset by the typst compiler inside the binary: no browser, no
//! external program, and the fonts built in (typst's own font assets: Libertinus Serif, New
//! Computer Modern, `DejaVu` Sans Mono), so a PDF is the same on every machine.
//!
//! The typst template (`templates/runbook.typ`, which a book may override) is the only source
//! file; the sheets are a JSON file it reads, so checklist text is never parsed as typst.
//! With the same sheets and timestamp, the bytes are the same.

use std::sync::OnceLock;

use serde::Serialize;
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Smart};
use typst::layout::PagedDocument;
use typst::syntax::{FileId, Source, VirtualPath};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

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
}

/// The fonts built into the binary, loaded once.
struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| {
        let fonts: Vec<Font> = typst_assets::fonts()
            .flat_map(|data| Font::iter(Bytes::new(data)))
            .collect();
        Fonts {
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
        }
    })
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
}

impl World for SheetWorld {
    fn library(&self) -> &LazyHash<Library> {
        library()
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &fonts().book
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
        fonts().fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<i64>) -> Option<Datetime> {
        Some(self.today)
    }
}

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
) -> Result<Pdf, String> {
    let paper = sheets.first().map_or("a4", |s| s.paper);
    let input = Input {
        title,
        author: "preflight",
        release,
        paper,
        sheets,
    };
    let data = serde_json::to_vec(&input).map_err(|e| e.to_string())?;
    let main_id = FileId::new(None, VirtualPath::new("runbook.typ"));
    let data_id = FileId::new(None, VirtualPath::new("sheet.json"));
    let (year, month, day, hour, minute, second) = civil(epoch);
    let today = Datetime::from_ymd(year, month, day).ok_or("date out of range")?;
    let world = SheetWorld {
        main: Source::new(main_id, template.to_owned()),
        data_id,
        data: Bytes::new(data),
        today,
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
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let compiled = typst::compile::<PagedDocument>(&world);
        let document = compiled.output.map_err(|errors| messages(&errors))?;
        let bytes = typst_pdf::pdf(&document, &options).map_err(|errors| messages(&errors))?;
        Ok(Pdf {
            bytes,
            pages: document.pages.len(),
        })
    }))
    .unwrap_or_else(|_| Err("the PDF typesetter stopped on this input".to_owned()))
}

/// typst's diagnostics as one line.
fn messages(errors: &[typst::diag::SourceDiagnostic]) -> String {
    errors
        .iter()
        .map(|e| e.message.to_string())
        .collect::<Vec<_>>()
        .join("; ")
}
