//! Releases and `preflight diff`, on a real git repository with three tagged releases
//! (`tests/fixtures/releases/make.sh`): the site has every release and `latest`, every version
//! switcher link lands on a page that exists, older releases point to the latest, and the diff
//! reports exactly the changes made between the tags.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{preflight, repo, run, tempdir, walkdir};
use serde_json::Value;

/// A fresh copy of the fixture repository, in a temporary folder.
fn fixture() -> (tempfile::TempDir, PathBuf) {
    let dir = tempdir();
    let book = dir.path().join("book");
    let script = repo().join("tests/fixtures/releases/make.sh");
    let out = run(Command::new("bash").arg(&script).arg(&book).output());
    assert!(out.status.success(), "make.sh failed: {out:?}");
    (dir, book)
}

fn git(book: &Path, args: &[&str]) {
    let out = run(Command::new("git").arg("-C").arg(book).args(args).output());
    assert!(out.status.success(), "git {args:?}: {out:?}");
}

/// Commits what is staged in `book`, as a fixed author.
fn commit(book: &Path, message: &str) {
    git(
        book,
        &[
            "-c",
            "user.name=preflight",
            "-c",
            "user.email=preflight@example.invalid",
            "commit",
            "-q",
            "-m",
            message,
        ],
    );
}

fn build(book: &Path, out: &Path) -> std::process::Output {
    let output = run(preflight(book)
        .args(["build", "-q", "--out"])
        .arg(out)
        .output());
    assert!(output.status.success(), "build failed: {output:?}");
    output
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The `href`s of `<a>` elements inside the element that starts with `start`, entities decoded.
fn hrefs_in(html: &str, start: &str) -> Vec<String> {
    let Some(at) = html.find(start) else {
        return Vec::new();
    };
    let rest = &html[at..];
    let end = rest.find("</details>").unwrap_or(rest.len());
    hrefs(&rest[..end])
}

fn hrefs(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(|h| {
            h.replace("&#x2f;", "/")
                .replace("&amp;", "&")
                .replace("&#x27;", "'")
                .replace("&quot;", "\"")
        })
        .collect()
}

/// The file a relative link from `page` points to, without its fragment.
fn target(page: &Path, href: &str) -> PathBuf {
    let path = href.split(['#', '?']).next().unwrap_or_default();
    let mut out = page.parent().map(Path::to_path_buf).unwrap_or_default();
    for part in path.split('/') {
        match part {
            ".." => {
                out.pop();
            }
            "" | "." => {}
            p => out.push(p),
        }
    }
    if path.ends_with('/') || path.is_empty() {
        out.push("index.html");
    }
    out
}

fn diff_json(book: &Path, old: &str, new: &str) -> Value {
    let out = run(preflight(book)
        .args(["diff", "--format", "json", "--", old, new])
        .output());
    assert!(out.status.success(), "diff failed: {out:?}");
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"))
}

/// (status, text) of every item change of checklist `id`, sorted.
fn item_changes(doc: &Value, id: &str) -> Vec<(String, String)> {
    let checklist = doc["checklists"]
        .as_array()
        .and_then(|a| a.iter().find(|c| c["id"] == id))
        .unwrap_or_else(|| panic!("no checklist {id} in {doc}"));
    let mut out: Vec<(String, String)> = checklist["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|i| {
                    (
                        i["status"].as_str().unwrap_or_default().to_owned(),
                        i["text"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

#[test]
fn the_site_has_every_release_and_latest() {
    let (dir, book) = fixture();
    let out = dir.path().join("site");
    build(&book, &out);
    for release in ["v1.0.0", "v1.1.0", "v1.2.0", "draft", "latest"] {
        assert!(
            out.join(release).join("index.html").is_file(),
            "{release} missing"
        );
        assert!(out.join(release).join("changes/index.html").is_file());
    }
    assert_eq!(
        read(&out.join("latest/deploy/index.html")),
        read(&out.join("v1.2.0/deploy/index.html"))
    );
    assert!(out.join("v1.1.0/rollback/index.html").is_file());
    assert!(out.join("v1.0.0/old-name/index.html").is_file());
    // The renamed checklist's badge says so (it used to say "changed").
    let changes = read(&out.join("v1.1.0/changes/index.html"));
    assert!(
        changes.contains(
            "<h2 id=\"changes-title:rollback\"><span class=\"diff-status status-changed\">renamed</span>"
        ),
        "{changes}"
    );
    assert!(!out.join("v1.1.0/hotfix").exists());
    let index = read(&out.join("index.html"));
    for (name, date) in [
        ("v1.0.0", "2026-01-15"),
        ("v1.1.0", "2026-02-15"),
        ("v1.2.0", "2026-03-15"),
    ] {
        assert!(
            index.contains(name) && index.contains(date),
            "{name} {date}"
        );
    }
    assert!(index.contains("latest/index.html"));
    // Older releases point to the same page in the latest; the latest does not.
    let old = read(&out.join("v1.0.0/old-name/index.html"));
    assert!(old.contains("rel=\"canonical\" href=\"../../latest&#x2f;rollback&#x2f;index.html\""));
    assert!(old.contains("class=\"release-banner\""));
    let latest = read(&out.join("v1.2.0/deploy/index.html"));
    assert!(!latest.contains("rel=\"canonical\"") && !latest.contains("release-banner"));
    // Ticks are kept per release.
    assert!(old.contains("data-release=\"v1.0.0\""));
}

#[test]
fn every_switcher_link_lands_on_a_page() {
    let (dir, book) = fixture();
    let out = dir.path().join("site");
    build(&book, &out);
    let mut links = 0;
    for page in walkdir(&out)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
    {
        let html = read(&page);
        for href in hrefs_in(&html, "<details class=\"versions\"") {
            let file = target(&page, &href);
            assert!(
                file.is_file(),
                "{}: switcher link {href} → missing {}",
                page.display(),
                file.display()
            );
            links += 1;
        }
        for href in hrefs(&html).iter().filter(|h| !h.contains(':')) {
            let file = target(&page, href);
            assert!(file.is_file(), "{}: link {href} is broken", page.display());
        }
    }
    assert!(links > 50, "only {links} switcher links");
    // A renamed checklist is followed; a checklist missing from a release goes to its home,
    // and a renamed section is mapped.
    let html = read(&out.join("v1.0.0/old-name/index.html"));
    let switcher = hrefs_in(&html, "<details class=\"versions\"");
    assert!(
        switcher
            .iter()
            .any(|h| h == "../../v1.2.0/rollback/index.html")
    );
    let html = read(&out.join("v1.2.0/hotfix/index.html"));
    let switcher = hrefs_in(&html, "<details class=\"versions\"");
    assert!(
        switcher
            .iter()
            .any(|h| h == "../../v1.0.0/index.html?missing=hotfix")
    );
    let html = read(&out.join("v1.0.0/deploy/index.html"));
    assert!(
        html.contains("data-sections=\"{&quot;pre-deployment&quot;:&quot;preparation&quot;}\"")
    );
}

#[test]
fn diff_reports_exactly_the_changes_made() {
    let (_dir, book) = fixture();
    let doc = diff_json(&book, "v1.0.0", "v1.1.0");
    assert_eq!(
        item_changes(&doc, "deploy"),
        [
            ("added".to_owned(), "Deploy the worker tier".to_owned()),
            (
                "changed".to_owned(),
                "Notify the team in #releases".to_owned()
            ),
            ("moved".to_owned(), "Purge the CDN cache".to_owned()),
            ("removed".to_owned(), "Check the error budget".to_owned()),
        ]
    );
    let deploy = &doc["checklists"][0];
    assert_eq!(deploy["sections"].as_array().map(Vec::len), Some(1));
    assert_eq!(deploy["sections"][0]["old_title"], "Pre-deployment");
    assert_eq!(deploy["sections"][0]["title"], "Preparation");
    assert_eq!(deploy["meta"][0]["field"], "version");
    let rollback = &doc["checklists"][1];
    assert_eq!(rollback["id"], "rollback");
    assert_eq!(rollback["old_id"], "old-name");
    assert_eq!(rollback["status"], "changed");
    assert!(rollback.get("items").is_none());
    let summary = &doc["summary"];
    assert_eq!(summary["checklists_changed"], 2);
    assert_eq!(summary["checklists_renamed"], 1);

    let doc = diff_json(&book, "v1.1.0", "v1.2.0");
    assert_eq!(
        item_changes(&doc, "deploy"),
        [("moved".to_owned(), "Smoke test the login page".to_owned())]
    );
    assert_eq!(doc["summary"]["checklists_added"], 1);
    assert_eq!(doc["checklists"][1]["id"], "hotfix");
    assert_eq!(doc["checklists"][1]["status"], "added");

    // One side: that ref against the working tree, which is v1.2.0.
    let out = run(preflight(&book)
        .args(["diff", "v1.2.0", "--exit-code"])
        .output());
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("No changes"));
    let out = run(preflight(&book)
        .args(["diff", "v1.0.0", "--exit-code"])
        .output());
    assert_eq!(out.status.code(), Some(1), "{out:?}");
}

#[test]
fn hostile_tag_names_are_data() {
    let (dir, book) = fixture();
    for name in ["-h", "--output=x", "v9;touch_pwned", "--help"] {
        git(
            &book,
            &["update-ref", &format!("refs/tags/{name}"), "v1.1.0"],
        );
    }
    std::fs::write(
        book.join("book.toml"),
        "[book]\ntitle = \"Hostile\"\n[releases]\ntags = \"*\"\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let out = dir.path().join("site");
    build(&book, &out);
    let mut top: Vec<String> = std::fs::read_dir(&out)
        .unwrap_or_else(|e| panic!("{e}"))
        .map(|e| {
            e.map(|e| e.file_name().to_string_lossy().into_owned())
                .unwrap_or_default()
        })
        .collect();
    top.sort();
    assert_eq!(
        top,
        [
            ".preflight-output",
            "404.html",
            "_--help",
            "_--output-x",
            "_-h",
            "assets",
            "index.html",
            "latest",
            "schema.json",
            "v1.0.0",
            "v1.1.0",
            "v1.2.0",
            "v9-touch_pwned"
        ]
    );
    assert!(!book.join("x").exists() && !book.join("touch_pwned").exists());
    let index = read(&out.join("index.html"));
    for shown in [">-h<", ">--output=x<", ">v9;touch_pwned<", ">--help<"] {
        assert!(index.contains(shown), "{shown} not shown as itself");
    }
    let doc = diff_json(&book, "-h", "--output=x");
    assert_eq!(doc["old"], "-h");
    assert_eq!(doc["new"], "--output=x");
    assert_eq!(doc["summary"]["checklists_changed"], 0);

    // A ref that does not exist (a name with spaces cannot be a git ref) is a clear error.
    std::fs::write(
        book.join("book.toml"),
        "[releases]\nrefs = [\"my release\"]\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let failed = run(preflight(&book).args(["build", "--out"]).arg(&out).output());
    assert_eq!(failed.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(
        stderr.contains("release `my release`: no such git ref"),
        "{stderr}"
    );
    // The previous site is untouched.
    assert!(out.join("v1.0.0/index.html").is_file());
}

#[test]
fn diff_formats_of_the_fixture() {
    let (_dir, book) = fixture();
    let text = run(preflight(&book).args(["diff", "v1.0.0", "v1.1.0"]).output());
    insta::assert_snapshot!("diff-text", String::from_utf8_lossy(&text.stdout));
    let markdown = run(preflight(&book)
        .args(["diff", "v1.0.0", "v1.1.0", "--format", "markdown"])
        .output());
    insta::assert_snapshot!("diff-markdown", String::from_utf8_lossy(&markdown.stdout));
    let html = run(preflight(&book)
        .args(["diff", "v1.0.0", "v1.1.0", "--format", "html"])
        .output());
    let html = String::from_utf8_lossy(&html.stdout);
    assert!(html.starts_with("<!doctype html>"));
    assert!(html.contains("<del>#deploys</del>") && html.contains("<ins>#releases</ins>"));
    let unknown = run(preflight(&book).args(["diff", "no-such-ref"]).output());
    assert_eq!(unknown.status.code(), Some(2));
    insta::assert_snapshot!("diff-unknown-ref", String::from_utf8_lossy(&unknown.stderr));
}

/// Regression: a folder release and the working tree hold the same checklist at different paths
/// (`archive/1.0/deploy.md`, `content/deploy.md`); that is not a rename, nor any change.
#[test]
fn a_folder_release_is_not_renamed_by_its_path() {
    let dir = tempdir();
    let book = dir.path();
    let text = b"# Deploy\n\n## Steps\n\n- [ ] Ship it\n";
    common::write(book, "content/deploy.md", text);
    common::write(book, "archive/1.0/deploy.md", text);
    common::write(
        book,
        "book.toml",
        b"[releases]\nfolders = [{ name = \"1.0\", path = \"archive/1.0\" }]\nworking-tree = \"draft\"\n",
    );
    let out = book.join("public");
    build(book, &out);
    let changes = read(&out.join("draft/changes/index.html"));
    assert!(changes.contains("No changes"), "{changes}");
    let out = run(preflight(book)
        .args(["diff", "archive/1.0", "--exit-code"])
        .output());
    assert_eq!(out.status.code(), Some(0), "{out:?}");
}

/// Regression: `build` counted the errors of an older release in its summary ("1 error")
/// without naming them, while exiting 0: only the newest release's findings count.
#[test]
fn errors_of_an_older_release_are_not_counted() {
    let dir = tempdir();
    let book = dir.path();
    common::write(
        book,
        "content/deploy.md",
        b"# Deploy\n\n## Steps\n\n- [ ] Ship it\n",
    );
    common::write(
        book,
        "archive/old/deploy.md",
        b"# D\n\n## Rollback\n\n- [ ] x {#a}\n- [ ] y {#a}\n",
    );
    common::write(
        book,
        "book.toml",
        b"[print]\npdf = false\n[releases]\nfolders = [{ name = \"old\", path = \"archive/old\" }]\nworking-tree = \"draft\"\n",
    );
    let out = run(preflight(book).args(["build", "--out", "public"]).output());
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("; 0 errors,"), "{stderr}");
}

/// Regression: a tag on a commit without the content folder was published as an empty release
/// and, being the newest, became `latest/`: the site's latest release showed no checklist.
#[test]
fn a_tag_without_the_content_folder_is_left_out() {
    let (dir, book) = fixture();
    git(&book, &["mv", "content", "runbooks"]);
    commit(&book, "Move the content");
    git(&book, &["tag", "v1.3.0"]);
    std::fs::write(
        book.join("book.toml"),
        "[book]\ntitle = \"T\"\n[releases]\ntags = \"v*\"\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let out = dir.path().join("site");
    let output = run(preflight(&book).args(["build", "--out"]).arg(&out).output());
    assert!(output.status.success(), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("release `v1.3.0`") && stderr.contains("left out"),
        "{stderr}"
    );
    assert!(!out.join("v1.3.0").exists());
    let latest = read(&out.join("latest/index.html"));
    assert!(latest.contains("Release v1.2.0"), "{latest}");
}

/// Regression: a checklist named like one of the site's own folders (`changes.md`) in a tag
/// failed every build to come, though the tag cannot be changed; in a past release it is left
/// out with a note. In the working tree it is still an error.
#[test]
fn a_reserved_id_in_a_past_release_is_a_note() {
    let (dir, book) = fixture();
    std::fs::write(
        book.join("content/changes.md"),
        "# Changes\n\n- [ ] Review\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    git(&book, &["add", "-A"]);
    commit(&book, "Add a checklist named changes");
    git(&book, &["tag", "v1.3.0"]);
    git(
        &book,
        &["mv", "content/changes.md", "content/change-review.md"],
    );
    commit(&book, "Rename it");
    let out = dir.path().join("site");
    let output = run(preflight(&book).args(["build", "--out"]).arg(&out).output());
    assert!(output.status.success(), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("note: release v1.3.0:")
            && stderr.contains("left out of this past release"),
        "{stderr}"
    );
    std::fs::write(
        book.join("content/changes.md"),
        "# Changes\n\n- [ ] Review\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let output = run(preflight(&book).args(["build", "--out"]).arg(&out).output());
    assert_eq!(output.status.code(), Some(2), "{output:?}");
}

/// Regression: a committed checklist that is a link (to a checklist elsewhere in the book) was
/// read in the working tree but left out of every git side, so `diff HEAD` on a clean tree
/// reported it added and tagged releases lacked it.
#[cfg(unix)]
#[test]
fn a_linked_checklist_is_read_from_git_as_from_the_tree() {
    let dir = tempdir();
    let book = dir.path().join("book");
    std::fs::create_dir_all(book.join("content")).expect("content");
    std::fs::create_dir_all(book.join("shared")).expect("shared");
    std::fs::write(book.join("content/deploy.md"), "# Deploy\n\n- [ ] one\n").expect("write");
    std::fs::write(
        book.join("shared/rollback.md"),
        "# Rollback\n\n- [ ] undo\n",
    )
    .expect("write");
    std::os::unix::fs::symlink("../shared/rollback.md", book.join("content/rollback.md"))
        .expect("symlink");
    std::os::unix::fs::symlink("deploy.md", book.join("content/again.md")).expect("symlink");
    git(&book, &["init", "-q"]);
    git(&book, &["add", "-A"]);
    commit(&book, "init");
    let out = run(preflight(&book)
        .args(["diff", "HEAD", "--exit-code"])
        .output());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("No changes"), "{stdout}");
}

/// Regression: a checklist removed in the latest release said "see this page in v1.3.0",
/// linking to that release's home, and the switcher marked that release only as the latest.
#[test]
fn a_checklist_removed_in_the_latest_says_so() {
    let (dir, book) = fixture();
    git(&book, &["rm", "-q", "content/hotfix.md"]);
    commit(&book, "Drop the hotfix checklist");
    git(&book, &["tag", "v1.3.0"]);
    let out = dir.path().join("site");
    let output = run(preflight(&book).args(["build", "--out"]).arg(&out).output());
    assert!(output.status.success(), "{output:?}");
    let page = read(&out.join("v1.2.0/hotfix/index.html"));
    assert!(
        page.contains("this checklist is not in v1.3.0")
            && page.contains("see the checklists of v1.3.0")
            && !page.contains("see this page in"),
        "{page}"
    );
    assert!(page.contains("latest, not in this release"), "{page}");
    assert!(!page.contains("rel=\"canonical\""), "{page}");
    // What changed in v1.2.0 is not a copy of what changed in v1.3.0.
    let changes = read(&out.join("v1.2.0/changes/index.html"));
    assert!(!changes.contains("rel=\"canonical\""), "{changes}");
}
