//! The fonts PDFs are typeset with.
//!
//! The built-in fonts (typst's font assets: Libertinus Serif, New Computer Modern, `DejaVu` Sans
//! Mono) set every PDF whose text they cover, so such a PDF is the same on every machine. Text
//! they lack (Chinese, Japanese, Korean, Armenian, emoji…) would print as empty boxes: for a
//! document holding any, the fonts installed on the system are added after the built-in ones,
//! and the typesetter falls back to them for the characters the built-in fonts do not have.
//! System fonts are listed once per process, and each is read only when a PDF uses it.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::OnceLock;

use typst::foundations::Bytes;
use typst::text::{Font, FontBook, FontFlags, FontInfo};
use typst::utils::LazyHash;

/// A set of fonts: what the typesetter sees as its font book.
pub(super) struct Fonts {
    pub(super) book: LazyHash<FontBook>,
    slots: Vec<Slot>,
}

/// One font of a [`Fonts`]: loaded, or a face of a file read when first asked for.
struct Slot {
    file: Option<(PathBuf, u32)>,
    font: OnceLock<Option<Font>>,
}

impl Fonts {
    /// The font at `index` of the book.
    pub(super) fn font(&self, index: usize) -> Option<Font> {
        let slot = self.slots.get(index)?;
        slot.font
            .get_or_init(|| {
                let (path, face) = slot.file.as_ref()?;
                let data = std::fs::read(path).ok()?;
                Font::new(Bytes::new(data), *face)
            })
            .clone()
    }

    /// Whether some font of the book has `c`.
    fn covers(&self, c: char) -> bool {
        (0..self.slots.len())
            .filter_map(|i| self.book.info(i))
            .any(|info| info.coverage.contains(u32::from(c)))
    }

    /// Whether some font of the book that is not monospace has `c`: prose set in the code font
    /// (Arabic or Hebrew, which the built-in `DejaVu` Sans Mono alone has) reads as code, its
    /// letters spaced apart.
    fn covers_prose(&self, c: char) -> bool {
        (0..self.slots.len())
            .filter_map(|i| self.book.info(i))
            .filter(|info| !info.flags.contains(FontFlags::MONOSPACE))
            .any(|info| info.coverage.contains(u32::from(c)))
    }
}

/// The fonts for a document whose text is `text`: the built-in ones when their fonts for prose
/// cover it, else the built-in ones and the system's.
pub(super) fn for_text(text: &str) -> &'static Fonts {
    let builtin = builtin();
    if needed(text).any(|c| !builtin.covers_prose(c)) {
        with_system()
    } else {
        builtin
    }
}

/// The characters of `text` that no font `fonts` has, which print as empty boxes.
pub(super) fn missing(fonts: &Fonts, text: &str) -> BTreeSet<char> {
    needed(text).filter(|&c| !fonts.covers(c)).collect()
}

/// The characters of `text` a font must draw: not ASCII (which the built-in fonts have), white
/// space or invisible.
fn needed(text: &str) -> impl Iterator<Item = char> + '_ {
    let mut seen = BTreeSet::new();
    text.chars()
        .filter(|c| !c.is_ascii() && !c.is_whitespace() && !invisible(*c))
        .filter(move |c| seen.insert(*c))
}

/// Characters that shape text rather than draw: joiners, marks of direction, variation
/// selectors, tags and the break opportunities the sheets add.
fn invisible(c: char) -> bool {
    crate::normalise::is_invisible(c)
        || matches!(c, '\u{fe00}'..='\u{fe0f}' | '\u{e0000}'..='\u{e007f}' | '\u{e0100}'..='\u{e01ef}')
        || c.is_control()
}

fn builtin() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| {
        let fonts: Vec<Font> = typst_assets::fonts()
            .flat_map(|data| Font::iter(Bytes::new(data)))
            .collect();
        Fonts {
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            slots: fonts
                .into_iter()
                .map(|font| Slot {
                    file: None,
                    font: OnceLock::from(Some(font)),
                })
                .collect(),
        }
    })
}

/// The built-in fonts, then the system's faces of families the built-in fonts do not have (so
/// a family the template names is always the built-in one), in a stable order.
fn with_system() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| {
        let builtin = builtin();
        let mut book = FontBook::new();
        let mut slots = Vec::new();
        for (i, slot) in builtin.slots.iter().enumerate() {
            if let Some(info) = builtin.book.info(i) {
                book.push(info.clone());
                slots.push(Slot {
                    file: None,
                    font: slot.font.clone(),
                });
            }
        }
        for (path, face, info) in system_faces() {
            if is_builtin_family(&info) {
                continue;
            }
            book.push(info);
            slots.push(Slot {
                file: Some((path, face)),
                font: OnceLock::new(),
            });
        }
        Fonts {
            book: LazyHash::new(book),
            slots,
        }
    })
}

fn is_builtin_family(info: &FontInfo) -> bool {
    let builtin = builtin();
    (0..builtin.slots.len())
        .filter_map(|i| builtin.book.info(i))
        .any(|b| b.family.eq_ignore_ascii_case(&info.family))
}

/// Every face of the fonts installed on the system, by path and face index.
fn system_faces() -> Vec<(PathBuf, u32, FontInfo)> {
    let mut db = fontdb::Database::new();
    db.load_system_fonts();
    let mut faces: Vec<(PathBuf, u32, FontInfo)> = db
        .faces()
        .filter_map(|face| {
            let path = match &face.source {
                fontdb::Source::File(path) | fontdb::Source::SharedFile(path, _) => path.clone(),
                fontdb::Source::Binary(_) => return None,
            };
            let info = db.with_face_data(face.id, FontInfo::new).flatten()?;
            Some((path, face.index, info))
        })
        .collect();
    faces.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    faces
}

#[cfg(test)]
mod tests {
    use super::{builtin, missing, needed};

    #[test]
    fn built_in_fonts_cover_latin_and_the_sheets_marks() {
        let text = "Déploiement — vérifier “ça” ✓ ✗ → ½ ☐ …\u{200b}";
        assert!(missing(builtin(), text).is_empty());
    }

    #[test]
    fn the_characters_a_font_must_draw_are_listed_once() {
        let text = "a 配置 配置\u{200d}\u{fe0f}\u{ad} é";
        assert_eq!(needed(text).collect::<String>(), "配置é");
    }

    #[test]
    fn built_in_fonts_lack_cjk() {
        let lacking = missing(builtin(), "署部 ok");
        assert_eq!(lacking.into_iter().collect::<String>(), "署部");
    }
}
