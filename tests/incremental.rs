//! Incremental rebuilds (what `serve` does on every change): a build that reuses the cache of
//! the previous one writes exactly the files a full build writes, after edits, additions,
//! deletions, and changes to the config or the theme.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;

use common::{repo, tempdir, write};
use preflight::error::Result;
use preflight::output::Sink;
use preflight::{discover, releases, site};

/// A site in memory.
#[derive(Default)]
struct Files(Mutex<BTreeMap<String, Vec<u8>>>);

impl Sink for Files {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        if let Ok(mut files) = self.0.lock() {
            files.insert(rel.to_owned(), bytes.to_vec());
        }
        Ok(())
    }
}

/// The site of the book at `root`, built with `cache` (or fully, without one).
fn build(root: &Path, cache: Option<&site::Cache>) -> BTreeMap<String, Vec<u8>> {
    let config = discover::load_config(root).unwrap_or_else(|e| panic!("{e}"));
    let (releases, errors) = releases::resolve(root, &config).unwrap_or_else(|e| panic!("{e}"));
    assert!(errors.is_empty(), "{errors:?}");
    let files = Files::default();
    let options = site::Options {
        cache,
        progress: None,
        pdf: false,
    };
    site::render(root, &config, &releases, &files, options).unwrap_or_else(|e| panic!("{e}"));
    files.0.into_inner().unwrap_or_default()
}

/// Asserts that a build with `cache` equals a full build, naming the first file that differs.
fn assert_same_as_full(root: &Path, cache: &site::Cache, step: &str) {
    let cached = build(root, Some(cache));
    let full = build(root, None);
    let names = |m: &BTreeMap<String, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&cached), names(&full), "{step}: different files");
    for (name, bytes) in &full {
        assert!(
            cached[name] == *bytes,
            "{step}: {name} differs from a full build"
        );
    }
}

#[test]
fn a_cached_rebuild_writes_what_a_full_build_writes() {
    let dir = tempdir();
    let root = dir.path();
    for entry in std::fs::read_dir(repo().join("content")).unwrap_or_else(|e| panic!("{e}")) {
        let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        write(
            root,
            &format!("content/{name}"),
            &std::fs::read(&path).unwrap_or_default(),
        );
    }
    write(root, "book.toml", b"[book]\ntitle = \"Cached\"\n");
    let cache = site::Cache::default();
    assert_same_as_full(root, &cache, "first build");
    assert_same_as_full(root, &cache, "nothing changed");

    let deploy = root.join("content/payments-platform.md");
    let mut text = std::fs::read_to_string(&deploy).unwrap_or_default();
    text.push_str("\n- [ ] A step added while serving\n");
    std::fs::write(&deploy, &text).unwrap_or_else(|e| panic!("{e}"));
    assert_same_as_full(root, &cache, "one checklist edited");

    write(
        root,
        "content/zz-new.md",
        b"# New\n\n## Steps\n\n- [ ] First\n",
    );
    assert_same_as_full(root, &cache, "a checklist added");
    write(
        root,
        "content/aa-first.md",
        b"# First by id\n\n- [ ] Shifts every batch\n",
    );
    assert_same_as_full(root, &cache, "a checklist added before the others");
    std::fs::remove_file(root.join("content/zz-new.md")).unwrap_or_else(|e| panic!("{e}"));
    assert_same_as_full(root, &cache, "a checklist deleted");

    write(root, "book.toml", b"[book]\ntitle = \"Renamed book\"\n");
    assert_same_as_full(root, &cache, "the config changed");
    write(root, "themes/default/extra.css", b"body { color: red }\n");
    assert_same_as_full(root, &cache, "the theme changed");
    write(
        root,
        "templates/checklist.html",
        b"{% extends \"base.html\" %}{% block body %}<main id=\"main\">{{ checklist.title }}</main>{% endblock %}",
    );
    assert_same_as_full(root, &cache, "a template changed");
}
