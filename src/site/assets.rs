//! Static assets: the default theme built into the binary (CSS, scripts, icon), the generated
//! code-colour stylesheet, and a book's own `themes/default/` files over them, file by file.

use std::collections::BTreeMap;
use std::path::Path;

use super::highlight;
use crate::error::{Error, Result};

/// The built-in theme, by file name under `assets/`.
const BUILTIN: &[(&str, &[u8])] = &[
    (
        "preflight.css",
        include_bytes!("../../themes/default/preflight.css"),
    ),
    (
        "preflight.js",
        include_bytes!("../../themes/default/preflight.js"),
    ),
    (
        "search.js",
        include_bytes!("../../themes/default/search.js"),
    ),
    ("icon.svg", include_bytes!("../../themes/default/icon.svg")),
    (
        "print.css",
        include_bytes!("../../themes/default/print.css"),
    ),
];

/// Every asset to write under `assets/`, by relative path, in a stable order.
pub(super) fn collect(book_theme: &Path) -> Result<BTreeMap<String, Vec<u8>>> {
    let mut out: BTreeMap<String, Vec<u8>> = BUILTIN
        .iter()
        .map(|(name, bytes)| ((*name).to_owned(), bytes.to_vec()))
        .collect();
    out.insert(
        "highlight.css".to_owned(),
        highlight::stylesheet().into_bytes(),
    );
    for (name, path) in super::files_under(book_theme)? {
        let bytes = std::fs::read(&path).map_err(|source| Error::Read { path, source })?;
        out.insert(name, bytes);
    }
    Ok(out)
}
