//! Fuzzes the whole pipeline on arbitrary bytes: decode, parse, normalise, lint, the JSON
//! document (and its round trip), the site's view model and search entries.
#![no_main]

use libfuzzer_sys::fuzz_target;
use preflight::model::Document;
use preflight::render::json;
use preflight::site::{search, view};

fuzz_target!(|bytes: &[u8]| {
    let loaded = preflight::pipeline::from_bytes("fuzz.md", "fuzz", bytes);
    let checklist = loaded.checklist;
    let _ = view::ChecklistView::new(&checklist);
    let _ = search::entries(&checklist);
    let text = json::to_bytes(&json::checklist_document(checklist), false)
        .expect("a checklist always serialises");
    let back: Document = serde_json::from_slice(&text).expect("exported JSON reads back");
    let again = json::to_bytes(&back, false).expect("serialises again");
    assert_eq!(text, again, "JSON round trip changed the document");
});
