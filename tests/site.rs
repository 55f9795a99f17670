//! `preflight build`, run as the real binary: the layout of the site, its content, determinism,
//! sanitising, template overrides and refusals.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{preflight, repo, run, tempdir, walkdir, write};

/// Builds the book at `root` into `out` with `threads` worker threads.
fn build(root: &Path, out: &Path, threads: &str) -> std::process::Output {
    run(preflight(root)
        .args(["build", "-q", "--out"])
        .arg(out)
        .env("RAYON_NUM_THREADS", threads)
        .output())
}

/// Every file under `dir` with its bytes, by relative path.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir(dir)
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (
                p.strip_prefix(dir).map(Path::to_path_buf).unwrap_or(p),
                bytes,
            )
        })
        .collect()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn example_book_builds_every_page_with_every_task() {
    let dir = tempdir();
    let out = dir.path().join("site");
    let output = build(&repo(), &out, "2");
    assert!(output.status.success(), "{output:?}");
    for file in [
        "index.html",
        "404.html",
        "schema.json",
        "assets/preflight.css",
        "assets/preflight.js",
        "assets/search.js",
        "assets/highlight.css",
        "current/index.html",
        "current/json/index.json",
        "current/search/index.js",
    ] {
        assert!(out.join(file).is_file(), "{file} is missing");
    }
    for path in common::examples() {
        let checklist = common::model_of(&path);
        let page = read(&out.join(format!("current/{}/index.html", checklist.id)));
        let ticks = page.matches("class=\"tick\"").count();
        assert_eq!(ticks, checklist.stats.tasks, "{}", checklist.id);
        for (_, item) in checklist.walk_items() {
            assert!(
                page.contains(&format!("id=\"item-{}\"", item.id)),
                "{}: item {} has no element",
                checklist.id,
                item.id
            );
        }
        for section in checklist.walk_sections() {
            assert!(
                page.contains(&format!("id=\"{}\" data-phase", section.id)),
                "{}: section {} has no anchor",
                checklist.id,
                section.id
            );
        }
        let dashboard = read(&out.join("current/index.html"));
        assert!(dashboard.contains(&format!("href=\"{}/index.html\"", checklist.id)));
    }
    // The total estimate reads like each checklist's (`4 h`, `1 h 10 min`), not as decimal hours.
    let dashboard = read(&out.join("current/index.html"));
    assert!(
        dashboard.contains("<li><strong>4 h</strong> estimated</li>"),
        "{dashboard}"
    );
}

#[test]
fn code_is_highlighted_with_classes() {
    let dir = tempdir();
    let out = dir.path().join("site");
    assert!(build(&repo(), &out, "2").status.success());
    let page = read(&out.join("current/invoice-discounting-platform/index.html"));
    assert!(
        page.contains("<span class=\"hl-source hl-shell"),
        "bash is not highlighted"
    );
    assert!(
        !page.contains("style=\""),
        "highlighting must use classes, not inline styles"
    );
    let css = read(&out.join("assets/highlight.css"));
    assert!(css.contains("@media (prefers-color-scheme: dark)"));
}

#[test]
fn builds_are_byte_identical_with_one_and_two_threads() {
    let dir = tempdir();
    let one = dir.path().join("one");
    let two = dir.path().join("two");
    assert!(build(&repo(), &one, "1").status.success());
    assert!(build(&repo(), &two, "2").status.success());
    let (a, b) = (tree(&one), tree(&two));
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "different files"
    );
    for (path, bytes) in &a {
        assert!(b[path] == *bytes, "{} differs", path.display());
    }
}

/// A book with hostile content.
fn hostile_book() -> tempfile::TempDir {
    let dir = tempdir();
    write(dir.path(), "book.toml", b"[book]\ntitle = \"Hostile\"\n");
    write(
        dir.path(),
        "content/x.md",
        br#"# X <img src=x onerror=alert(1)>

<script>alert("block")</script>
<div onclick="steal()"><a href="javascript:alert(2)">click</a> ok</div>

## Steps

- [ ] Run <script>alert(3)</script> now
- [ ] Open [link](javascript:alert(4)) and [good](https://example.com)
- [ ] Fill in [Name] and `<GENERATED>`

```bash
echo "</code></pre><script>alert(5)</script>"
```
"#,
    );
    dir
}

#[test]
fn raw_html_and_unsafe_urls_never_reach_the_page() {
    let dir = hostile_book();
    let out = dir.path().join("site");
    let output = build(dir.path(), &out, "2");
    assert!(output.status.success(), "{output:?}");
    let page = read(&out.join("current/x/index.html"));
    assert!(!page.contains("<script>alert"), "script survived");
    assert!(!page.contains("onerror="), "event handler survived");
    assert!(!page.contains("onclick="), "event handler survived");
    assert!(!page.contains("javascript:"), "javascript: URL survived");
    assert!(
        page.contains("href=\"https://example.com\""),
        "safe link lost"
    );
    assert!(page.contains("<mark class=\"placeholder\">[Name]</mark>"));
}

#[test]
fn a_book_template_overrides_the_built_in_one() {
    let dir = hostile_book();
    write(
        dir.path(),
        "templates/404.html",
        b"{% extends \"base.html\" %}{% block body %}<main id=\"main\">Lost: {{ \"<b>\" }}</main>{% endblock %}",
    );
    write(dir.path(), "themes/default/extra.css", b"body{}");
    let out = dir.path().join("site");
    assert!(build(dir.path(), &out, "2").status.success());
    let page = read(&out.join("404.html"));
    assert!(
        page.contains("Lost: &lt;b&gt;"),
        "override not used or not escaped: {page}"
    );
    assert!(out.join("assets/extra.css").is_file());
}

#[test]
fn a_broken_template_is_located_and_writes_nothing() {
    let dir = hostile_book();
    write(
        dir.path(),
        "templates/checklist.html",
        b"{% extends \"base.html\" %}\n{% block body %}\n{{ checklist.title | nosuchfilter }}\n{% endblock %}\n",
    );
    let out = dir.path().join("site");
    let output = build(dir.path(), &out, "2");
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("checklist.html"), "{stderr}");
    assert!(stderr.contains("line 3"), "{stderr}");
    assert!(!out.exists(), "a failed build left output behind");
}

/// Regression: a misspelt content folder was reported, then an empty site replaced the last
/// good one.
#[test]
fn a_missing_content_folder_keeps_the_previous_site() {
    let dir = tempdir();
    let root = dir.path();
    write(root, "book.toml", b"[book]\ntitle = \"Runbooks\"\n");
    write(root, "content/deploy.md", b"# Deploy\n\n- [ ] Ship\n");
    let out = root.join("site");
    assert!(build(root, &out, "2").status.success());
    write(
        root,
        "book.toml",
        b"[book]\ntitle = \"Runbooks\"\n\n[build]\ncontent = \"contnet\"\n",
    );
    let output = build(root, &out, "2");
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("book.toml`:5:11"), "{stderr}");
    assert!(stderr.contains("`contnet` does not exist"), "{stderr}");
    assert!(out.join("current/deploy/index.html").is_file());
    // Regression: a content "folder" that is a file was said not to exist.
    write(
        root,
        "book.toml",
        b"[book]\ntitle = \"Runbooks\"\n\n[build]\ncontent = \"book.toml\"\n",
    );
    let output = build(root, &out, "2");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("`book.toml` is not a folder"), "{stderr}");
}

/// Regression: a typst template that does not compile failed every checklist's PDF, and the
/// site without them replaced the last good one.
#[cfg(feature = "pdf")]
#[test]
fn a_broken_print_template_is_located_and_keeps_the_previous_site() {
    let dir = tempdir();
    let root = dir.path();
    write(root, "content/deploy.md", b"# Deploy\n\n- [ ] Ship\n");
    let out = root.join("site");
    assert!(build(root, &out, "2").status.success());
    write(
        root,
        "templates/runbook.typ",
        b"#set page(width: 10cm)\n#let x = (\n",
    );
    let output = build(root, &out, "2");
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("runbook.typ"), "{stderr}");
    assert!(stderr.contains("line 2, column"), "{stderr}");
    assert!(out.join("current/deploy/index.html").is_file());
    assert!(out.join("current/deploy/print/runbook.pdf").is_file());
}

#[test]
fn build_refuses_a_folder_it_did_not_create() {
    let dir = hostile_book();
    let out = dir.path().join("mine");
    write(&out, "notes.txt", b"keep me");
    let output = build(dir.path(), &out, "2");
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert_eq!(read(&out.join("notes.txt")), "keep me");
    assert!(String::from_utf8_lossy(&output.stderr).contains("refusing"));
}

#[test]
fn two_files_with_one_id_are_reported_and_the_first_is_kept() {
    let dir = tempdir();
    write(dir.path(), "content/Deploy Plan.md", b"# One\n\n- [ ] a\n");
    write(dir.path(), "content/deploy-plan.md", b"# Two\n\n- [ ] b\n");
    let out = dir.path().join("site");
    let output = build(dir.path(), &out, "2");
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("`deploy-plan` is taken"));
    assert!(out.join("current/deploy-plan/index.html").is_file());
}

/// Regression: an id declared in front matter skipped the checks on ids, so `id: deploy` in
/// another file silently replaced `deploy.md`'s page, and `id: json` took the JSON folder.
#[test]
fn ids_declared_in_front_matter_are_checked_like_file_names() {
    let dir = tempdir();
    write(dir.path(), "content/deploy.md", b"# Deploy\n\n- [ ] a\n");
    write(
        dir.path(),
        "content/rollback.md",
        b"---\nid: deploy\n---\n# Rollback\n\n- [ ] b\n",
    );
    write(
        dir.path(),
        "content/reserved.md",
        b"---\nid: json\n---\n# R\n\n- [ ] c\n",
    );
    // With a byte-order mark, and as a list (read as `deploy-prod`).
    write(
        dir.path(),
        "content/zbom.md",
        b"\xef\xbb\xbf---\nid: deploy\n---\n# B\n\n- [ ] e\n",
    );
    write(
        dir.path(),
        "content/listed.md",
        b"---\nid: [deploy, prod]\n---\n# L\n\n- [ ] f\n",
    );
    write(dir.path(), "content/deploy-prod.md", b"# P\n\n- [ ] g\n");
    let long = format!("---\nid: {}\n---\n# Long\n\n- [ ] d\n", "x".repeat(300));
    write(dir.path(), "content/long.md", long.as_bytes());
    let out = dir.path().join("site");
    let output = build(dir.path(), &out, "2");
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("`content/rollback.md`: its checklist id `deploy` is taken"),
        "{stderr}"
    );
    assert!(
        stderr.contains("`content/reserved.md`: its checklist id `json`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("`content/zbom.md`: its checklist id `deploy` is taken"),
        "{stderr}"
    );
    assert!(
        stderr.contains("its checklist id `deploy-prod` is taken"),
        "{stderr}"
    );
    assert!(read(&out.join("current/deploy/index.html")).contains("<title>Deploy"));
    // A long declared id is capped as ids from paths are, so its file can be written.
    let index = read(&out.join("current/json/index.json"));
    assert!(index.contains("\"path\":\"content/long.md\""), "{index}");
    assert!(!index.contains(&"x".repeat(101)), "{index}");
}

/// Regression: `print` and `export --out` wrote a later file over an earlier one with the same
/// id (`a/x.md`, `b/x.md`) and said they printed both.
#[test]
fn print_and_export_report_two_files_with_one_id() {
    let dir = tempdir();
    write(dir.path(), "a/x.md", b"# A\n\n- [ ] a\n");
    write(dir.path(), "b/x.md", b"# B\n\n- [ ] b\n");
    for command in ["print", "export"] {
        let out = dir.path().join(command);
        let output = run(preflight(dir.path())
            .args([command, "a/x.md", "b/x.md", "--out"])
            .arg(&out)
            .output());
        assert_eq!(output.status.code(), Some(2), "{command}: {output:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("`b/x.md`: its checklist id `x` is taken"),
            "{stderr}"
        );
    }
    assert!(read(&dir.path().join("print/x/index.html")).contains(">A<"));
}

/// Regression: `deploy/print.md` was written over the print page of `deploy.md`, so its "Print"
/// link opened another runbook.
#[test]
fn a_checklist_at_the_address_of_a_print_page_is_refused() {
    let dir = tempdir();
    write(dir.path(), "content/deploy.md", b"# Deploy\n\n- [ ] a\n");
    write(
        dir.path(),
        "content/deploy/print.md",
        b"# Printing\n\n- [ ] b\n",
    );
    write(dir.path(), "content/search.md", b"# Search\n\n- [ ] c\n");
    let out = dir.path().join("site");
    let output = build(dir.path(), &out, "2");
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("`deploy/print` is the address of the print page of `deploy`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("`search` is one of the site's own folders"),
        "{stderr}"
    );
    let print = read(&out.join("current/deploy/print/index.html"));
    assert!(
        print.contains("Deploy") && !print.contains("Printing"),
        "{print}"
    );
}

/// Regression: a file name near the file system's limit gave a checklist id too long for its
/// JSON file, and the site was written without it.
#[test]
fn a_file_with_a_very_long_name_gets_a_shorter_id_and_is_built() {
    let dir = tempdir();
    let name = format!("content/{}.md", "L".repeat(250));
    write(dir.path(), &name, b"# Long\n\n- [ ] a\n");
    write(dir.path(), "content/short.md", b"# Short\n\n- [ ] b\n");
    let out = dir.path().join("site");
    let output = build(dir.path(), &out, "2");
    assert!(output.status.success(), "{output:?}");
    let ids: Vec<String> = std::fs::read_dir(out.join("current/json/checklists"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(ids.len(), 2, "{ids:?}");
    assert!(ids.iter().all(|id| id.len() <= 110), "{ids:?}");
}

/// Regression: a link to another checklist of the book pointed at its `.md` file, which the
/// site does not have.
#[test]
fn links_to_other_checklists_go_to_their_pages() {
    let dir = tempdir();
    write(
        dir.path(),
        "content/deploy.md",
        b"# Deploy\n\n- [ ] If it fails, run [the failover](ops/DB%20Failover.md#rollback)\n",
    );
    write(
        dir.path(),
        "content/ops/DB Failover.md",
        b"# Failover\n\n## Rollback\n\n- [ ] a\n",
    );
    let out = dir.path().join("site");
    let output = build(dir.path(), &out, "2");
    assert!(output.status.success(), "{output:?}");
    let page = read(&out.join("current/deploy/index.html"));
    assert!(
        page.contains("href=\"../ops/db-failover/index.html#rollback\""),
        "{page}"
    );
    let target = read(&out.join("current/ops/db-failover/index.html"));
    assert!(target.contains("id=\"rollback\""), "{target}");
}

/// Footnote references link to the footnote's text, which carries the element id; a second
/// footnote with the same label shows its text without a second element of that id.
#[test]
fn footnote_references_link_to_their_text() {
    let dir = tempdir();
    write(
        dir.path(),
        "content/deploy.md",
        "# Deploy\n\n- [ ] Migrate[^1]\n- [ ] Tell them[^🚀]\n\n[^1]: Only on Tuesdays.\n[^🚀]: In chat.\n[^1]: Again.\n".as_bytes(),
    );
    let out = dir.path().join("site");
    let output = build(dir.path(), &out, "2");
    assert!(output.status.success(), "{output:?}");
    let page = read(&out.join("current/deploy/index.html"));
    assert!(
        page.contains("Migrate<sup><a href=\"#fn:1\">1</a></sup>"),
        "{page}"
    );
    assert!(page.contains("href=\"#fn:1f680\""), "{page}");
    assert_eq!(page.matches("id=\"fn:1\"").count(), 1, "{page}");
    assert!(page.contains("id=\"fn:1f680\""), "{page}");
    assert!(
        page.contains("Only on Tuesdays.") && page.contains("Again."),
        "{page}"
    );
    let print = read(&out.join("current/deploy/print/index.html"));
    assert!(print.contains("[1] Only on Tuesdays."), "{print}");
}

/// Regression: a GitHub alert (`> [!WARNING]`) was a plain quote: the word that made it a
/// warning was gone from the JSON, the page and the print.
#[test]
fn github_alerts_keep_their_kind() {
    let dir = tempdir();
    write(
        dir.path(),
        "content/deploy.md",
        b"# Deploy\n\n> [!CAUTION]\n> Never on Fridays.\n\n- [ ] Ship\n",
    );
    let out = dir.path().join("site");
    let output = build(dir.path(), &out, "2");
    assert!(output.status.success(), "{output:?}");
    let page = read(&out.join("current/deploy/index.html"));
    assert!(
        page.contains(
            "<div class=\"alert alert-caution\" role=\"note\"><p class=\"alert-title\">Caution</p>"
        ),
        "{page}"
    );
    let json = read(&out.join("current/json/checklists/deploy.json"));
    assert!(json.contains("\"alert\":\"caution\""), "{json}");
    let print = read(&out.join("current/deploy/print/index.html"));
    assert!(print.contains("CAUTION"), "{print}");
}

/// A block of `**Key**: value` lines read as metadata shows on the page every field its header
/// does not: the header shows the version, the block the ticket and the blanks to fill in.
#[test]
fn metadata_fields_the_header_does_not_show_stay_on_the_page() {
    let md = "# R\n\n**Version**: 2.1\n**Change Ticket**: CHG-1234\n**Maintenance Window**: Sat 02:00 UTC\n\n## Deploy\n\n- [ ] x\n\n---\n\n**Last Updated**: [Date]\n**Version**: [Version Number]\n";
    let c = common::model(md);
    let view = preflight::site::view::ChecklistView::new(&c);
    let html = preflight::site::html::body(&view.blocks, &view.sections);
    assert_eq!(view.meta, [("Version".to_owned(), "2.1".to_owned())]);
    assert!(!html.contains("<dd>2.1</dd>"), "{html}");
    for shown in [
        "CHG-1234",
        "Sat 02:00 UTC",
        "Last Updated",
        "Version Number",
    ] {
        assert!(html.contains(shown), "{shown}: {html}");
    }
}

#[test]
fn an_unclosed_details_shows_its_summary_and_keeps_its_tasks_visible() {
    let md = "# PR\n\n## Checks\n\n<details>\n<summary>Adding a page?</summary>\n\n- [ ] Add it to the sidebar\n\n</details>\n\n<details><summary>Balanced</summary>Body</details>\n";
    let view = preflight::site::view::ChecklistView::new(&common::model(md));
    let json = serde_json::to_string(&view).unwrap_or_default();
    assert!(json.contains("Adding a page?</p>"), "{json}");
    assert!(!json.contains("<summary>Adding"), "{json}");
    assert!(
        json.contains("<details><summary>Balanced</summary>Body</details>"),
        "{json}"
    );
    assert!(json.contains("Add it to the sidebar"), "{json}");
}

/// A runbook with no boxes to tick has no progress bar ("0 of 0 done"); one with tasks has.
#[test]
fn a_checklist_without_tasks_has_no_progress_bar() {
    let dir = tempdir();
    let root = dir.path();
    write(root, "book.toml", b"[book]\ntitle = \"Runbooks\"\n");
    write(
        root,
        "content/notes.md",
        b"# Notes\n\n## Steps\n\n1. Drain the node\n2. Restart it\n",
    );
    write(
        root,
        "content/tasks.md",
        b"# Tasks\n\n## Steps\n\n- [ ] Drain\n",
    );
    let out = root.join("site");
    assert!(build(root, &out, "2").status.success());
    let notes = read(&out.join("current/notes/index.html"));
    assert!(!notes.contains("id=\"progress\""), "{notes}");
    assert!(!notes.contains("0 of 0 done"), "{notes}");
    let tasks = read(&out.join("current/tasks/index.html"));
    assert!(tasks.contains("0 of 1 done"), "{tasks}");
}

/// A book of every example and every fixture checklist, with `extra` files beside it.
fn book_of_all_checklists(root: &Path, extra: &[(&str, &[u8])]) {
    let repo = repo();
    let mut sources = common::examples();
    sources.extend(
        walkdir(&repo.join("tests/fixtures"))
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "md")),
    );
    for (n, path) in sources.iter().enumerate() {
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        write(root, &format!("content/c{n:03}.md"), &bytes);
    }
    write(root, "book.toml", b"[book]\ntitle = \"All\"\n");
    for (rel, bytes) in extra {
        write(root, rel, bytes);
    }
}

/// Checklist and print pages are written in Rust unless the book overrides `macros.html` or
/// `print.html`; both ways give the same bytes, for every example and fixture.
#[test]
fn pages_written_directly_match_the_templates() {
    let dir = tempdir();
    let direct = dir.path().join("direct");
    let macros = dir.path().join("macros");
    book_of_all_checklists(&direct, &[]);
    let builtin =
        |name: &str| std::fs::read(repo().join("templates").join(name)).expect("built-in template");
    let (page, print) = (builtin("macros.html"), builtin("print.html"));
    book_of_all_checklists(
        &macros,
        &[
            ("templates/macros.html", &page),
            ("templates/print.html", &print),
        ],
    );
    let (a, b) = (direct.join("site"), macros.join("site"));
    // The fixtures hold error-level diagnostics, so both builds exit with 1 (findings).
    assert_eq!(build(&direct, &a, "2").status.code(), Some(1));
    assert_eq!(build(&macros, &b, "2").status.code(), Some(1));
    let (a, b) = (tree(&a), tree(&b));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    let (mut pages, mut prints) = (0, 0);
    for (path, bytes) in &a {
        if path.ends_with("index.html") && path.components().count() == 3 {
            pages += 1;
        }
        if path.ends_with("print/index.html") {
            prints += 1;
        }
        assert!(
            *bytes == b[path],
            "{} differs:\n{}",
            path.display(),
            first_difference(bytes, &b[path])
        );
    }
    assert!(pages > 20, "only {pages} checklist pages");
    assert!(prints > 20, "only {prints} print pages");
}

/// Where two outputs first differ, with some context.
fn first_difference(a: &[u8], b: &[u8]) -> String {
    let at = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let from = at.saturating_sub(200);
    format!(
        "direct: {}\nmacros: {}",
        String::from_utf8_lossy(&a[from..(at + 200).min(a.len())]),
        String::from_utf8_lossy(&b[from..(at + 200).min(b.len())])
    )
}

/// A book of one construct fixture, as `content/<name>.md`, built into `site` with two threads.
fn build_fixture(fixture: &str, name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempdir();
    let md =
        std::fs::read(repo().join("tests/fixtures/constructs").join(fixture)).expect("fixture");
    write(dir.path(), &format!("content/{name}.md"), &md);
    let out = dir.path().join("site");
    let output = build(dir.path(), &out, "2");
    assert!(output.status.success(), "{output:?}");
    (dir, out)
}

/// A table of tasks: each row an item with a checkbox in its column of boxes, counted in the
/// progress; the print draws a box in that column whatever the source wrote; a matrix of boxes
/// stays a plain table.
#[test]
fn table_of_tasks_rows_have_checkboxes() {
    let (_dir, out) = build_fixture("task-table.md", "cutover");
    let page = read(&out.join("current/cutover/index.html"));
    assert_eq!(page.matches("<tr class=\"item").count(), 5, "{page}");
    assert!(page.contains(
        "<tr class=\"item\" id=\"item-repoint\" data-kind=\"task\"><td>3</td><td>Point <mark class=\"placeholder\">[SERVICE_HOST]</mark>"
    ), "{page}");
    assert!(
        page.contains("<tr class=\"item done\" id=\"item-cutover.snapshot-the-database\""),
        "{page}"
    );
    assert!(page.contains("<td class=\"tick-cell\"><label class=\"item-label\"><input type=\"checkbox\" class=\"tick\" checked data-source-checked><span class=\"visually-hidden\">Snapshot the database</span>"), "{page}");
    assert!(page.contains("data-total=\"5\""), "{page}");
    assert_eq!(page.matches("class=\"tick-cell\"").count(), 5, "{page}");
    assert!(
        page.contains("<td>[ ]</td><td>[ ]</td>"),
        "the matrix keeps its text:\n{page}"
    );
    let print = read(&out.join("current/cutover/print/index.html"));
    // Three rows to tick, two empty cells under `✓`, and the matrix's two `[ ]`; one ticked.
    assert_eq!(print.matches("To tick").count(), 6, "{print}");
    assert_eq!(print.matches(">Ticked<").count(), 1, "{print}");
}

/// Regression: MkDocs admonitions (`!!! warning "Title"` over an indented body) were published
/// as the header's text followed by a code block, so tasks in them were not items.
#[test]
fn mkdocs_admonitions_are_alerts_with_their_titles() {
    let (_dir, out) = build_fixture("callouts.md", "failover");
    let page = read(&out.join("current/failover/index.html"));
    for alert in [
        "<div class=\"alert alert-warning\" role=\"note\"><p class=\"alert-title\">Before you start</p>",
        "<div class=\"alert alert-caution\" role=\"note\"><p class=\"alert-title\">Danger</p>",
        "<div class=\"alert alert-note\" role=\"note\"><p>A note with no title.</p>",
    ] {
        assert!(page.contains(alert), "{alert} missing:\n{page}");
    }
    assert!(!page.contains("!!!"), "{page}");
    assert!(page.contains("id=\"item-freeze-writes\""), "{page}");
    let json = read(&out.join("current/json/checklists/failover.json"));
    assert!(json.contains("\"title\":\"Before you start\""), "{json}");
    let print = read(&out.join("current/failover/print/index.html"));
    // An alert's own title prints as written (it may quote a command); the kind's in capitals.
    assert!(print.contains(">Before you start<"), "{print}");
    assert!(print.contains(">Danger<"), "{print}");
    assert!(print.contains(">WARNING<"), "{print}");
}

/// Regression: MkDocs content tabs (`=== "Kubernetes"` over an indented body) were published as
/// text and a code block, so their tasks were not items.
#[test]
fn mkdocs_content_tabs_are_titled_panels() {
    let (_dir, out) = build_fixture("tabs.md", "rotate");
    let page = read(&out.join("current/rotate/index.html"));
    for tab in ["Kubernetes", "VM", "Managed &#x27;edge&#x27; service"] {
        let panel = format!("<div class=\"tab\" role=\"group\"><p class=\"tab-title\">{tab}</p>");
        assert!(page.contains(&panel), "{panel} missing:\n{page}");
    }
    assert!(!page.contains("=== &quot;"), "{page}");
    assert!(page.contains("id=\"item-reload-nginx\""), "{page}");
    assert!(page.contains("=== not a tab"), "{page}");
    let json = read(&out.join("current/json/checklists/rotate.json"));
    assert!(json.contains("\"title\":\"Kubernetes\""), "{json}");
    let print = read(&out.join("current/rotate/print/index.html"));
    assert!(print.contains(">Kubernetes<"), "{print}");
}

/// Regression: text written after an item's nested list was shown before the list.
#[test]
fn text_after_a_nested_list_stays_after_it() {
    let (_dir, out) = build_fixture("after-nested-list.md", "run");
    let page = read(&out.join("current/run/index.html"));
    let print = read(&out.join("current/run/print/index.html"));
    for html in [&page, &print] {
        let at = |text: &str| {
            html.find(text)
                .unwrap_or_else(|| panic!("{text} missing:\n{html}"))
        };
        assert!(at("Branch: the release") < at("Then link to the run"));
        assert!(at("Then link to the run") < at("Link to the test run"));
        assert!(at("Link to the test run") < at("watch"));
        assert!(at("Push the tag") < at("Wait for the build"));
    }
}

/// Regression: `check` accepted links to the anchors GitHub gives headings
/// (`#rollback-plan-15-minutes`), but the site had no element with that id.
#[test]
fn anchors_written_for_github_lead_to_their_section() {
    let dir = tempdir();
    let md = "# Deploy\n\nSee [db](#database), [rb](#rollback-plan-15-minutes), [st](#-step-1-prep).\n\n## Pre-deployment\n\n### Database\n\n- [ ] Back up\n\n## Rollback plan (15 minutes)\n\n- [ ] Revert\n\n## 🚀 Step 1: Prep\n\n- [ ] x\n\n## Notes\n\n## Notes\n";
    write(dir.path(), "content/deploy.md", md.as_bytes());
    let check = run(preflight(dir.path())
        .args(["check", "--deny", "warnings"])
        .output());
    assert!(check.status.success(), "{check:?}");
    let out = dir.path().join("site");
    assert!(build(dir.path(), &out, "2").status.success());
    let page = read(&out.join("current/deploy/index.html"));
    for alias in [
        "database",
        "rollback-plan-15-minutes",
        "-step-1-prep",
        "notes-1",
    ] {
        assert_eq!(
            page.matches(&format!(" id=\"{alias}\"")).count(),
            1,
            "{alias}:\n{page}"
        );
    }
}

/// Docusaurus and VitePress containers (`:::warning[Title]` … `:::`) are alerts too; a stray
/// `:::note` without a closing line stays text.
#[test]
fn colon_containers_are_alerts() {
    let (_dir, out) = build_fixture("containers.md", "deploy");
    let page = read(&out.join("current/deploy/index.html"));
    for alert in [
        "<div class=\"alert alert-warning\" role=\"note\"><p class=\"alert-title\">Before you start</p>",
        "<div class=\"alert alert-tip\" role=\"note\"><p class=\"alert-title\">Use the dashboard</p>",
        "<div class=\"alert alert-caution\" role=\"note\"><p class=\"alert-title\">Danger</p>",
    ] {
        assert!(page.contains(alert), "{alert} missing:\n{page}");
    }
    assert!(page.contains("id=\"item-freeze-writes\""), "{page}");
    assert!(page.contains("A stray :::note here."), "{page}");
}

/// Regression: a page said "2 diagnostics" and nothing on the site said which; the count now
/// links to the list, each with its line, column, code and message, escaped.
#[test]
fn a_checklist_page_lists_its_diagnostics() {
    let dir = tempdir();
    write(
        dir.path(),
        "content/deploy.md",
        b"# Deploy <b>\n\n## Deployment\n\n- [ ] Ship to [Name]\n- [] Verify\n",
    );
    let out = dir.path().join("site");
    let output = build(dir.path(), &out, "2");
    assert!(output.status.success(), "{output:?}");
    let page = read(&out.join("current/deploy/index.html"));
    assert!(page.contains("<a href=\"#pf_diagnostics\">"), "{page}");
    assert!(
        page.contains("<details class=\"diagnostics\" id=\"pf_diagnostics\">"),
        "{page}"
    );
    assert!(
        page.contains("<span class=\"diag-where\">5:15</span> <span class=\"diag-code\">warning[unfilled-placeholder]</span> placeholder `[Name]` is not filled in"),
        "{page}"
    );
    assert!(page.contains("near-miss-task-marker"), "{page}");
    assert!(!page.contains("Deploy <b>"), "{page}");
}

/// Files of the book's `static/` folder are copied to the site's root (a `CNAME` for GitHub
/// Pages), and one at the path of a page preflight writes is left out.
#[test]
fn static_files_are_copied_to_the_root() {
    let dir = tempdir();
    write(dir.path(), "book.toml", b"[book]\ntitle = \"S\"\n");
    write(dir.path(), "content/a.md", b"# A\n\n- [ ] Step\n");
    write(dir.path(), "static/CNAME", b"runbooks.example.com\n");
    write(
        dir.path(),
        "static/.well-known/security.txt",
        b"Contact: ops@example.com\n",
    );
    write(dir.path(), "static/index.html", b"not the home page");
    let out = dir.path().join("site");
    assert!(build(dir.path(), &out, "2").status.success());
    assert_eq!(
        std::fs::read(out.join("CNAME")).unwrap_or_default(),
        b"runbooks.example.com\n"
    );
    assert!(out.join(".well-known/security.txt").is_file());
    let home = std::fs::read_to_string(out.join("index.html")).unwrap_or_default();
    assert!(home.contains("<html"), "{home}");
}

/// A `static` folder that leads out of the book is refused, not published; files at paths of
/// the site's own are left out with a note.
#[cfg(unix)]
#[test]
fn static_files_stay_inside_the_book_and_off_the_sites_own_paths() {
    let dir = tempdir();
    let book = dir.path().join("book");
    write(&book, "book.toml", b"[book]\ntitle = \"S\"\n");
    write(&book, "content/a.md", b"# A\n\n- [ ] Step\n");
    write(dir.path(), "secret/key.txt", b"SECRET");
    std::os::unix::fs::symlink(dir.path().join("secret"), book.join("static"))
        .unwrap_or_else(|e| panic!("{e}"));
    let out = book.join("site");
    let output = build(&book, &out, "2");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("leads out of the book"), "{stderr}");
    assert!(!out.join("key.txt").exists());
    std::fs::remove_file(book.join("static")).unwrap_or_else(|e| panic!("{e}"));
    write(&book, "static/current/x.txt", b"x");
    write(&book, "static/assets/preflight.css", b"x");
    write(&book, "static/robots.txt", b"User-agent: *\n");
    let output = run(preflight(&book).args(["build", "--out"]).arg(&out).output());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("not copied") && stderr.contains("`static/current/x.txt`"),
        "{stderr}"
    );
    assert!(out.join("robots.txt").is_file());
    assert!(!out.join("current/x.txt").exists());
    assert_ne!(
        std::fs::read(out.join("assets/preflight.css")).unwrap_or_default(),
        b"x"
    );
}

/// Regression: every page of a book said `<html lang="en">`, a French or Chinese checklist's
/// too; its front matter's `lang` is its page's language, and a value that is no language tag
/// is left out.
#[test]
fn a_checklist_page_says_its_own_language() {
    let dir = tempdir();
    write(dir.path(), "book.toml", b"[book]\ntitle = \"T\"\n");
    write(
        dir.path(),
        "content/fr.md",
        "---\nlang: fr\n---\n# Déploiement\n\n- [ ] Vérifier\n".as_bytes(),
    );
    write(
        dir.path(),
        "content/bad.md",
        b"---\nlang: \"en\\\" onload=\\\"x\"\n---\n# Bad\n\n- [ ] a\n",
    );
    let out = dir.path().join("site");
    assert!(build(dir.path(), &out, "2").status.success());
    let lang = |page: &str| {
        let html = read(&out.join(page));
        html.split("<html lang=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .map(str::to_owned)
    };
    assert_eq!(lang("current/fr/index.html").as_deref(), Some("fr"));
    assert_eq!(lang("current/bad/index.html").as_deref(), Some("en"));
    assert_eq!(lang("current/index.html").as_deref(), Some("en"));
}
