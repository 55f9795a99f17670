//! The offline search index, built at build time and written as `.js` files so that it loads
//! from `file://` as well as over HTTP.
//!
//! Input: for each checklist, in id order, its searchable entries (title, sections, items, code,
//! and text: prose, callouts, fields and table rows).
//! Output: files under `<release>/search/`:
//! - `index.js`: the checklists (id, title), the term shards that exist and where each document
//!   shard starts;
//! - `d-<n>.js`: documents (checklist, anchor, kind, text), a shard per batch of checklists;
//! - `t-<hex>.js`: terms sharing a prefix, each with its ascending, delta-encoded document numbers.
//!
//! Each file calls `PreflightSearch.add(name, data)`. The browser loads `index.js`, then only the
//! term shards of the words typed and the document shards of the hits, so a query touches a small
//! part of an index that grows linearly with the book.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use foldhash::fast::RandomState;
use serde::Serialize;

use crate::diag::floor_char_boundary;
use crate::model::{Block, Checklist, Item, html_text};

/// What an entry is, as written in the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EntryKind {
    /// The checklist title.
    Title,
    /// A section heading.
    Section,
    /// An item.
    Item,
    /// A code block.
    Code,
    /// Prose, a callout, a field (`Deployed By: …`) or a table row.
    Text,
}

/// One searchable thing on a checklist page.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Element id on the page (empty for the page itself).
    pub anchor: String,
    /// What it is.
    pub kind: EntryKind,
    /// Text shown in results, cut to a length that fits a result line (for code, its first
    /// lines, one of which is shown).
    pub text: String,
    /// The terms it is found by (code by all its words, up to its first 4 KiB).
    pub terms: Vec<String>,
}

impl Entry {
    /// An entry shown as `text` and found by the words of `indexed`.
    fn new(anchor: String, kind: EntryKind, text: &str, indexed: &str) -> Entry {
        Entry {
            anchor,
            kind,
            text: cut_chars(text, SHOWN_CHARS).to_owned(),
            terms: terms(indexed),
        }
    }
}

/// Longest text shown for a result; longer texts are cut at a character boundary.
const SHOWN_CHARS: usize = 160;
/// Most code kept to show per block, in whole lines.
const SHOWN_CODE_BYTES: usize = 640;
/// Longest code indexed per block.
const INDEXED_CODE_BYTES: usize = 4096;
/// Longest term indexed.
const MAX_TERM_CHARS: usize = 32;
/// Checklists per document shard.
pub const CHECKLISTS_PER_SHARD: usize = 64;

/// Marks the terms of other text in the postings: terms are made of letters and digits only.
const TEXT_MARK: char = '~';

/// Words too common to be worth a posting list.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "of", "on",
    "or", "the", "to", "with",
];

/// The entries of one checklist, in page order.
#[must_use]
pub fn entries(c: &Checklist) -> Vec<Entry> {
    let mut out = vec![Entry::new(
        String::new(),
        EntryKind::Title,
        &c.title,
        &c.title,
    )];
    push_blocks(&c.blocks, "", &mut out);
    for s in c.walk_sections() {
        out.push(Entry::new(
            s.id.clone(),
            EntryKind::Section,
            &s.title,
            &s.title,
        ));
        push_blocks(&s.blocks, &s.id, &mut out);
    }
    out
}

/// The entries of `blocks`, in the section whose anchor is `section` (empty before the first).
fn push_blocks(blocks: &[Block], section: &str, out: &mut Vec<Entry>) {
    for b in blocks {
        match b {
            Block::List { items, .. } => {
                for i in items {
                    push_item(i, out);
                }
            }
            Block::Code { text, .. } => push_code(text, section, out),
            Block::Quote { title, blocks, .. } => {
                if let Some(title) = title {
                    push_text(title, section, out);
                }
                push_blocks(blocks, section, out);
            }
            Block::Paragraph { text, .. } => push_text(text, section, out),
            Block::Fields { fields, .. } => {
                for f in fields {
                    push_text(&format!("{}: {}", f.label, f.value), section, out);
                }
            }
            // A row of a table of tasks is found by any of its cells (`DBA`), and leads to
            // its task.
            Block::Table {
                items,
                rows,
                tick_column,
                ..
            } if !items.is_empty() => {
                for (item, row) in items.iter().zip(rows) {
                    let cells: Vec<&str> = row
                        .iter()
                        .enumerate()
                        .filter(|(c, _)| Some(*c) != *tick_column)
                        .map(|(_, cell)| cell.as_str())
                        .collect();
                    out.push(Entry::new(
                        format!("item-{}", item.id),
                        EntryKind::Item,
                        &item.text,
                        &cells.join(" · "),
                    ));
                }
            }
            Block::Table { rows, .. } => {
                let mut seen = std::collections::HashSet::new();
                for row in rows.iter().filter(|r| seen.insert(*r)) {
                    push_text(&row.join(" · "), section, out);
                }
            }
            Block::Html { text, .. } => push_text(&html_text(text), section, out),
        }
    }
}

/// Text other than items and code links to its section.
fn push_text(text: &str, section: &str, out: &mut Vec<Entry>) {
    if text.trim().is_empty() {
        return;
    }
    out.push(Entry::new(
        section.to_owned(),
        EntryKind::Text,
        text.trim(),
        text,
    ));
}

fn push_item(item: &Item, out: &mut Vec<Entry>) {
    let anchor = format!("item-{}", item.id);
    for b in &item.blocks {
        if let Block::Code { text, .. } = b {
            push_code(text, &anchor, out);
        }
    }
    out.push(Entry::new(anchor, EntryKind::Item, &item.text, &item.text));
    for c in &item.children {
        push_item(c, out);
    }
}

/// Code is found by its words; its first lines are kept (one per line, at most
/// [`SHOWN_CODE_BYTES`]) so that `search.js` shows the line that matched, else the first. It
/// links to the item that holds it, or to the nearest section (`anchor` empty: the entry before
/// it decides).
fn push_code(code: &str, anchor: &str, out: &mut Vec<Entry>) {
    let anchor = if anchor.is_empty() {
        out.last().map(|e| e.anchor.clone()).unwrap_or_default()
    } else {
        anchor.to_owned()
    };
    let indexed = &code[..floor_char_boundary(code, INDEXED_CODE_BYTES)];
    let mut shown = String::new();
    for line in code.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let line = cut_chars(line, SHOWN_CHARS);
        if !shown.is_empty() && shown.len() + line.len() > SHOWN_CODE_BYTES {
            break;
        }
        if !shown.is_empty() {
            shown.push('\n');
        }
        shown.push_str(line);
    }
    out.push(Entry {
        anchor,
        kind: EntryKind::Code,
        text: shown,
        terms: terms(indexed),
    });
}

/// A letter of the Latin, Greek or Cyrillic scripts without its accents (`ü` → `u`, `ể` → `e`), so that
/// `uberprufe` finds `Überprüfe`; other characters as they are. `search.js` folds a query the
/// same way, one character for one, so results still highlight in place.
fn unaccented(c: char) -> char {
    if !matches!(c, '\u{c0}'..='\u{52f}' | '\u{1e00}'..='\u{1fff}') {
        return c;
    }
    let mut base = None;
    unicode_normalization::char::decompose_canonical(c, |part| {
        if base.is_none() {
            base = Some(part);
        }
    });
    base.filter(|b| !unicode_normalization::char::is_combining_mark(*b))
        .unwrap_or(c)
}

/// The terms of a text, lower-cased, unaccented and deduplicated, in first-seen order: its
/// words; a value whose parts a dot, dash, underscore, colon, slash or at sign joins, whole
/// (`10.0.1.10`, `pg-node-1`, `v1.28.4-00`), so that it is found as written and not only by its
/// parts; and in Chinese and Japanese, written without spaces, every two characters that follow
/// each other and a run's last character, so that a word is found inside a run (`登录` in
/// `用户登录正常`). `search.js` cuts a query the same way.
#[must_use]
pub fn terms(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    // Most texts have a few terms, searched in the list; a long one (a minified line of a
    // hundred thousand words) is searched in a set, so it is not quadratic.
    let mut seen: std::collections::HashSet<String, foldhash::fast::RandomState> =
        std::collections::HashSet::default();
    let mut push = |term: String| {
        if STOP_WORDS.contains(&term.as_str()) {
            return;
        }
        let new = if out.len() < 32 {
            !out.contains(&term)
        } else {
            if seen.is_empty() {
                seen.extend(out.iter().cloned());
            }
            seen.insert(term.clone())
        };
        if new {
            out.push(term);
        }
    };
    for chunk in text.split(|c: char| !c.is_alphanumeric() && !JOINS.contains(&c)) {
        if let Some(whole) = compound(chunk) {
            push(term_of(whole));
        }
        for word in chunk.split(|c: char| !c.is_alphanumeric()) {
            word_terms(word, &mut push);
        }
    }
    out
}

/// What joins the parts of a value: `10.0.1.10`, `pg-node-1`, `ops@example.com`.
const JOINS: &[char] = &['.', '-', '_', ':', '/', '@'];

/// A run of letters, digits and [`JOINS`] that is a value made of parts (`10.0.1.10` in
/// `host=10.0.1.10`), without the joins at its ends (`pg-node-1.`).
fn compound(chunk: &str) -> Option<&str> {
    let value = chunk.trim_matches(JOINS);
    let parts = value.split(JOINS).filter(|p| !p.is_empty()).count();
    (parts >= 2).then_some(value)
}

/// The terms of one word (letters and digits only): the word, or in scripts written without
/// spaces, its pairs of characters and its last character.
fn word_terms(word: &str, push: &mut impl FnMut(String)) {
    if word.len() < 2 {
        // One byte is one character: too short to index.
        return;
    }
    if word.is_ascii() {
        push(term_of(word));
        return;
    }
    let chars: Vec<char> = word.chars().collect();
    let mut start = 0;
    while start < chars.len() {
        let cjk = crate::normalise::unspaced(chars[start]);
        let end = chars[start..]
            .iter()
            .position(|&c| crate::normalise::unspaced(c) != cjk)
            .map_or(chars.len(), |n| start + n);
        let run = &chars[start..end];
        if cjk {
            for pair in run.windows(2) {
                push(pair.iter().collect());
            }
            push(run[run.len() - 1].to_string());
        } else if run.len() >= 2 {
            push(term_of(&run.iter().collect::<String>()));
        }
        start = end;
    }
}

/// `text` as a term: lower-cased, unaccented, at most [`MAX_TERM_CHARS`] characters.
fn term_of(text: &str) -> String {
    if text.is_ascii() {
        let mut term = text[..text.len().min(MAX_TERM_CHARS)].to_owned();
        term.make_ascii_lowercase();
        term
    } else {
        text.chars()
            .take(MAX_TERM_CHARS)
            .flat_map(char::to_lowercase)
            .map(unaccented)
            .collect()
    }
}

/// One batch of checklists made searchable: its document shard and its postings, numbered from
/// the batch's first document. A batch depends only on its checklists, its shard number and the
/// number of its first checklist, so `serve` can keep it from one build to the next.
#[derive(Debug)]
pub struct Batch {
    /// File name of the document shard (`d-<n>.js`).
    pub name: String,
    /// Its content.
    pub bytes: std::sync::Arc<[u8]>,
    checklists: Vec<(String, String)>,
    docs: u32,
    postings: Vec<(String, Vec<u32>)>,
}

impl Batch {
    /// The batch of `checklists` (id, title, entries), written as shard `shard` whose first
    /// checklist is number `first`.
    #[must_use]
    pub fn new(shard: usize, first: usize, checklists: &[(&str, &str, &[Entry])]) -> Batch {
        let mut rows: Vec<DocRow<'_>> = Vec::new();
        let mut postings: HashMap<Cow<'_, str>, Vec<u32>, RandomState> = HashMap::default();
        let mut docs = 0u32;
        for (offset, (_, _, entries)) in checklists.iter().enumerate() {
            for e in *entries {
                let text = e.kind == EntryKind::Text;
                for term in &e.terms {
                    // Other text is found after titles, sections, items and code: its terms
                    // are kept apart (`~` before them), and looked up only when those give
                    // too few results, so prose never crowds them out.
                    let key = if text {
                        Cow::Owned(format!("{TEXT_MARK}{term}"))
                    } else {
                        Cow::Borrowed(term.as_str())
                    };
                    postings.entry(key).or_default().push(docs);
                }
                docs += 1;
                rows.push((first + offset, &e.anchor, e.kind, &e.text));
            }
        }
        let name = format!("d-{shard}");
        let bytes = script(&name, &rows);
        Batch {
            name: format!("{name}.js"),
            bytes: bytes.into(),
            checklists: checklists
                .iter()
                .map(|(id, title, _)| ((*id).to_owned(), (*title).to_owned()))
                .collect(),
            docs,
            postings: postings
                .into_iter()
                .map(|(term, docs)| (term.into_owned(), docs))
                .collect(),
        }
    }
}

/// The index being built, one batch of checklists at a time.
#[derive(Debug, Default)]
pub struct IndexBuilder {
    checklists: Vec<(String, String)>,
    postings: HashMap<String, Vec<u32>, RandomState>,
    shard_starts: Vec<u32>,
    docs: u32,
}

/// A document as written in a shard: checklist number, anchor, kind, shown text.
type DocRow<'a> = (usize, &'a str, EntryKind, &'a str);

impl IndexBuilder {
    /// How many checklists were added so far: the number of the next one.
    #[must_use]
    pub fn checklists(&self) -> usize {
        self.checklists.len()
    }

    /// How many batches were added so far: the shard number of the next one.
    #[must_use]
    pub fn shards(&self) -> usize {
        self.shard_starts.len()
    }

    /// Adds a batch made by [`Batch::new`] with the next shard and checklist numbers.
    pub fn add(&mut self, batch: &Batch) {
        self.shard_starts.push(self.docs);
        self.checklists.extend(batch.checklists.iter().cloned());
        for (term, docs) in &batch.postings {
            let list = match self.postings.get_mut(term) {
                Some(list) => list,
                None => self.postings.entry(term.clone()).or_default(),
            };
            list.extend(docs.iter().map(|d| d + self.docs));
        }
        self.docs += batch.docs;
    }

    /// Adds a batch of checklists (id, title, entries) and returns the document shard to write
    /// for it: its file name and content.
    pub fn add_batch(&mut self, batch: &[(String, String, Vec<Entry>)]) -> (String, Vec<u8>) {
        let members: Vec<(&str, &str, &[Entry])> = batch
            .iter()
            .map(|(id, title, entries)| (id.as_str(), title.as_str(), entries.as_slice()))
            .collect();
        let batch = Batch::new(self.shards(), self.checklists(), &members);
        self.add(&batch);
        (batch.name, batch.bytes.to_vec())
    }

    /// Finishes the index: the term shards and `index.js`, as (file name, content) pairs.
    #[must_use]
    pub fn finish(self) -> Vec<(String, Vec<u8>)> {
        let total: usize = self.postings.values().map(Vec::len).sum();
        let prefix = match total {
            0..=40_000 => 0,
            40_001..=800_000 => 1,
            _ => 2,
        };
        let mut shards: BTreeMap<String, BTreeMap<&str, Vec<u32>>> = BTreeMap::new();
        for (term, docs) in &self.postings {
            let key: String = term
                .trim_start_matches(TEXT_MARK)
                .chars()
                .take(prefix)
                .collect();
            shards
                .entry(key)
                .or_default()
                .insert(term.as_str(), delta(docs));
        }
        let mut files = Vec::with_capacity(shards.len() + 1);
        let mut keys = Vec::with_capacity(shards.len());
        for (key, terms) in &shards {
            let name = format!("t-{}", hex(key));
            files.push((format!("{name}.js"), script(&name, terms)));
            keys.push(hex(key));
        }
        let meta = Meta {
            checklists: &self.checklists,
            prefix,
            terms: keys,
            docs: &self.shard_starts,
        };
        files.push(("index.js".to_owned(), script("meta", &meta)));
        files
    }
}

#[derive(Serialize)]
struct Meta<'a> {
    checklists: &'a [(String, String)],
    prefix: usize,
    terms: Vec<String>,
    docs: &'a [u32],
}

/// `PreflightSearch.add("name", <json>);`
fn script<T: Serialize + ?Sized>(name: &str, data: &T) -> Vec<u8> {
    let mut out = format!("PreflightSearch.add(\"{name}\",").into_bytes();
    // Serialising plain strings, numbers and maps cannot fail.
    let _ = serde_json::to_writer(&mut out, data);
    out.extend_from_slice(b");\n");
    out
}

fn delta(docs: &[u32]) -> Vec<u32> {
    let mut prev = 0;
    docs.iter()
        .map(|&d| {
            let out = d - prev;
            prev = d;
            out
        })
        .collect()
}

/// Lower-case hex of the UTF-8 bytes: a file-name-safe spelling of any prefix.
#[must_use]
pub fn hex(key: &str) -> String {
    use std::fmt::Write as _;
    key.bytes().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

fn cut_chars(s: &str, n: usize) -> &str {
    s.char_indices().nth(n).map_or(s, |(i, _)| &s[..i])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression: `uberprufe` did not find `Überprüfe`, as people type without accents.
    #[test]
    fn terms_are_unaccented_in_latin_greek_and_cyrillic() {
        assert_eq!(terms("Überprüfe die Größe"), ["uberprufe", "die", "große"]);
        assert_eq!(terms("Vérifier l'état"), ["verifier", "etat"]);
        assert_eq!(terms("Ἀθῆναι Йод"), ["αθηναι", "иод"]);
        assert_eq!(terms("Kiểm tra"), ["kiem", "tra"]);
        assert_eq!(terms("한국어"), ["한국어"]);
    }

    #[test]
    fn terms_are_lowercase_words_without_stop_words() {
        assert_eq!(
            terms("Run the Rollback: rollback.sh --to=v1.2 ÉTAPE"),
            [
                "run",
                "rollback",
                "rollback.sh",
                "sh",
                "v1.2",
                "v1",
                "etape"
            ]
        );
    }

    /// Regression: `登录` did not find `用户登录正常`: a run of Chinese was one word, found only
    /// by its start.
    #[test]
    fn unspaced_scripts_are_found_inside_a_run() {
        assert_eq!(
            terms("用户登录 M5环境"),
            ["用户", "户登", "登录", "录", "m5", "环境", "境"]
        );
        assert_eq!(terms("確"), ["確"]);
    }

    /// Regression: `10.0.1.10` found everything with a `10` in it, and not first the line that
    /// holds the address.
    #[test]
    fn values_of_parts_are_terms_whole() {
        assert_eq!(
            terms("ssh (10.0.1.10), pg-node-1."),
            ["ssh", "10.0.1.10", "10", "pg-node-1", "pg", "node"]
        );
        assert_eq!(terms("a - b ..."), Vec::<String>::new());
    }

    #[test]
    fn postings_are_delta_encoded_and_sharded() {
        let mut b = IndexBuilder::default();
        let entry = |t: &str| Entry::new("a".into(), EntryKind::Item, t, t);
        let (name, doc) = b.add_batch(&[(
            "x".into(),
            "X".into(),
            vec![
                entry("rollback now"),
                entry("nothing"),
                entry("rollback later"),
            ],
        )]);
        assert_eq!(name, "d-0.js");
        assert!(String::from_utf8_lossy(&doc).starts_with("PreflightSearch.add(\"d-0\",[[0,"));
        let files = b.finish();
        let all: String = files
            .iter()
            .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
            .collect();
        assert!(all.contains("\"rollback\":[0,2]"), "{all}");
        assert!(all.contains("\"prefix\":0"), "{all}");
    }

    #[test]
    fn hex_names_are_safe() {
        assert_eq!(hex("ro"), "726f");
        assert_eq!(hex(""), "");
    }
}
