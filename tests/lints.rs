//! One fixture per lint rule (`tests/fixtures/lints/<code>.md`), with the lines each rule must
//! flag there (hits) and, by omission, the near misses it must leave alone; a snapshot of the
//! human output of each fixture; settings and inline suppressions; `--fix`; machine formats.

mod common;

use std::path::{Path, PathBuf};

use common::{preflight, repo, run, tempdir, write};
use preflight::diag::render_human;
use preflight::lint;
use preflight::lint::settings::Levels;
use preflight::pipeline;

/// Each rule and the lines of its fixture it must flag.
const EXPECTED: &[(&str, &[u32])] = &[
    ("declared-count-mismatch", &[8]),
    (
        "unfilled-placeholder",
        &[5, 5, 21, 21, 29, 30, 31, 37, 38, 39, 40, 40, 40],
    ),
    ("empty-checklist", &[1]),
    (
        "near-miss-task-marker",
        &[
            5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 21, 22, 26, 40, 42, 45, 48, 53, 54, 63,
        ],
    ),
    ("task-in-comment", &[5, 9]),
    ("duplicate-item", &[7, 21, 41]),
    ("empty-section", &[7, 15]),
    ("empty-item", &[4, 7, 8]),
    ("secret-in-code", &[8, 12, 16, 17, 23]),
    ("broken-link", &[6, 9, 11, 13, 17, 26, 33, 33]),
    ("missing-rollback", &[1]),
    ("missing-sign-off", &[1]),
    ("inconsistent-task-marker", &[7, 9, 11]),
    ("bidi-control", &[3, 3, 5]),
];

fn fixture(code: &str) -> PathBuf {
    repo().join(format!("tests/fixtures/lints/{code}.md"))
}

fn check(path: &Path) -> pipeline::Loaded {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    pipeline::run("fixture.md", "fixture", &bytes, Some(path), &Levels::new())
}

#[test]
fn every_rule_has_a_fixture_and_an_expectation() {
    for rule in lint::rules() {
        assert!(
            fixture(rule.code()).is_file(),
            "{} has no fixture",
            rule.code()
        );
        assert!(
            EXPECTED.iter().any(|(c, _)| *c == rule.code()),
            "{} has no expectation",
            rule.code()
        );
        assert!(!rule.why().is_empty() && !rule.summary().is_empty());
    }
}

/// The lines `code` flags in a checked file.
fn flagged(loaded: &pipeline::Loaded, code: &str) -> Vec<u32> {
    loaded
        .checklist
        .diagnostics
        .iter()
        .filter(|d| d.code == code)
        .map(|d| d.line)
        .collect()
}

#[test]
fn each_rule_flags_exactly_its_hits() {
    for (code, lines) in EXPECTED {
        let loaded = check(&fixture(code));
        assert_eq!(&flagged(&loaded, code), lines, "{code}: flagged lines");
    }
}

/// Line numbers do not depend on the line endings: Windows (`\r\n`) and classic Mac (a lone
/// `\r`) files are flagged on the same lines as Unix ones.
#[test]
fn rules_flag_the_same_lines_whatever_the_line_endings() {
    for (code, lines) in EXPECTED {
        let path = fixture(code);
        let text = std::fs::read_to_string(&path).expect("fixture");
        for ending in ["\r\n", "\r"] {
            let bytes = text.replace('\n', ending);
            let loaded = pipeline::run(
                "fixture.md",
                "fixture",
                bytes.as_bytes(),
                Some(&path),
                &Levels::new(),
            );
            assert_eq!(
                &flagged(&loaded, code),
                lines,
                "{code} with {ending:?} line endings"
            );
        }
    }
}

#[test]
fn human_output_of_each_fixture() {
    for (code, _) in EXPECTED {
        let loaded = check(&fixture(code));
        let out: String = loaded
            .checklist
            .diagnostics
            .iter()
            .map(|d| render_human(&format!("{code}.md"), Some(&loaded.text), d, false))
            .collect();
        insta::assert_snapshot!(format!("lint-{code}"), out);
    }
}

#[test]
fn front_matter_and_inline_comments_silence_rules() {
    let text = "---\nlint:\n  empty-section: off\n  unfilled-placeholder: error\n  no-such-rule: off\n---\n# T\n\n## Empty\n\n## Contacts\n\n- **On-call**: [Name]\n<!-- preflight-disable unfilled-placeholder -->\n- **Backup**: [Name]\n\n- **Lead**: [Name] <!-- preflight-disable -->\n";
    let loaded = pipeline::from_bytes("t.md", "t", text.as_bytes());
    let codes: Vec<(String, u32, String)> = loaded
        .checklist
        .diagnostics
        .iter()
        .map(|d| (d.code.clone(), d.line, d.severity.as_str().to_owned()))
        .collect();
    assert_eq!(
        codes,
        [
            ("front-matter".to_owned(), 5, "warning".to_owned()),
            ("unfilled-placeholder".to_owned(), 13, "error".to_owned()),
        ],
        "{codes:?}"
    );
}

/// A disable comment naming a code that is not a rule silences nothing and says so, where the
/// comment is; the codes it names that exist still apply.
#[test]
fn a_disable_comment_naming_no_rule_is_flagged_where_written() {
    let text = "# T\n\n## Contacts\n\n- **On-call**: [Name] <!-- preflight-disable unfilled-placeholdr, empty-item -->\n- **Lead**: [Name] <!-- preflight-disable unfilled-placeholder -->\n";
    let loaded = pipeline::from_bytes("t.md", "t", text.as_bytes());
    let found: Vec<(&str, u32, u32)> = loaded
        .checklist
        .diagnostics
        .iter()
        .map(|d| (d.code.as_str(), d.line, d.column))
        .collect();
    assert_eq!(
        found,
        [("unfilled-placeholder", 5, 16), ("lint-comment", 5, 23)],
        "{found:?}"
    );
    assert!(
        loaded.checklist.diagnostics[1]
            .message
            .contains("`unfilled-placeholdr`")
    );
}

#[test]
fn book_levels_apply_and_the_file_wins() {
    let dir = tempdir();
    write(
        dir.path(),
        "book.toml",
        b"[lint]\nempty-section = \"error\"\nmissing-rollback = \"off\"\n",
    );
    write(
        dir.path(),
        "content/a.md",
        b"# A\n\n## Deployment\n\n- [ ] go\n\n## Later\n",
    );
    let output = run(preflight(dir.path())
        .args(["check", "--format", "json"])
        .output());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("\"code\": \"empty-section\",\n          \"severity\": \"error\""),
        "{stdout}"
    );
    assert!(!stdout.contains("missing-rollback"), "{stdout}");
}

#[test]
fn fix_repairs_what_is_certain_and_keeps_the_rest() {
    let dir = tempdir();
    let original = "\u{feff}# Fix me\n\n## âœ… Checks (3 items)\n\n-[ ] glued\n- [] empty\n- [-] unknown mark\n[ ] bare\n\n## Deployment\n\n- [ ] deploy\n";
    write(dir.path(), "content/a.md", original.as_bytes());
    write(
        dir.path(),
        "content/latin1.md",
        b"# Caf\xe9\n\n-[ ] r\xe9sum\xe9\n",
    );
    let output = run(preflight(dir.path()).args(["check", "--fix"]).output());
    // The file that is not UTF-8 is an error, and stays one.
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let fixed = std::fs::read_to_string(dir.path().join("content/a.md")).unwrap_or_default();
    assert_eq!(
        fixed,
        "\u{feff}# Fix me\n\n## ✅ Checks (3 items)\n\n- [ ] glued\n- [ ] empty\n- [-] unknown mark\n- [ ] bare\n\n## Deployment\n\n- [ ] deploy\n"
    );
    let latin1 = std::fs::read(dir.path().join("content/latin1.md")).unwrap_or_default();
    assert_eq!(
        latin1, b"# Caf\xe9\n\n-[ ] r\xe9sum\xe9\n",
        "a non-UTF-8 file was rewritten"
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("unknown mark") || stdout.contains("[-]"),
        "{stdout}"
    );
    assert!(!stdout.contains("mojibake"), "{stdout}");
}

/// Regression: `--fix` turned `[ ] text` in a YAML block of the front matter, in an HTML comment
/// and in a `<div>` into Markdown tasks, changing the front matter and the raw HTML.
#[test]
fn fix_leaves_front_matter_and_raw_html_alone() {
    let dir = tempdir();
    let original = "---\ndescription: |\n  -[ ] yaml\n  [ ] yaml too\n---\n# T\n\n-[ ] glued\n\n<!--\n[ ] kept for history\n-->\n\n<div>\n-[ ] in a div\n</div>\n";
    write(dir.path(), "content/a.md", original.as_bytes());
    let output = run(preflight(dir.path()).args(["check", "--fix"]).output());
    assert!(output.status.success(), "{output:?}");
    let fixed = std::fs::read_to_string(dir.path().join("content/a.md")).unwrap_or_default();
    assert_eq!(fixed, original.replacen("-[ ] glued", "- [ ] glued", 1));
}

/// Regression: `--fix` replaced one name of a file with hard links, the others keeping the old
/// text without a word. Such a file is left alone, and the error says why.
#[cfg(unix)]
#[test]
fn fix_leaves_a_file_with_other_names_and_says_so() {
    let dir = tempdir();
    write(dir.path(), "content/a.md", b"# T\n\n-[ ] linked\n");
    let other = dir.path().join("elsewhere.md");
    std::fs::hard_link(dir.path().join("content/a.md"), &other).unwrap_or_default();
    let output = run(preflight(dir.path()).args(["check", "--fix"]).output());
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("has other names (hard links)"), "{stderr}");
    for path in [dir.path().join("content/a.md"), other] {
        assert_eq!(
            std::fs::read(&path).unwrap_or_default(),
            b"# T\n\n-[ ] linked\n"
        );
    }
}

/// Regression: `--fix` replaced a read-only file (and, run by another user, took it over). It is
/// now left alone with an error naming it; its findings are still shown, and other files are
/// fixed and counted.
#[cfg(unix)]
#[test]
fn fix_leaves_a_read_only_file_and_says_so() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempdir();
    write(dir.path(), "content/locked.md", b"# T\n\n-[ ] locked\n");
    write(dir.path(), "content/open.md", b"# T\n\n-[ ] open\n");
    let locked = dir.path().join("content/locked.md");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o444)).unwrap_or_default();
    let output = run(preflight(dir.path()).args(["check", "--fix"]).output());
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("content/locked.md`: cannot write: the file is read-only"),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/open.md: applied 1 fix"),
        "{stderr}"
    );
    assert!(stderr.contains("checked 2 files"), "{stderr}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("locked.md:3:1: warning[near-miss-task-marker]"),
        "{stdout}"
    );
    assert_eq!(
        std::fs::read(&locked).unwrap_or_default(),
        b"# T\n\n-[ ] locked\n"
    );
    assert_eq!(
        std::fs::read(dir.path().join("content/open.md")).unwrap_or_default(),
        b"# T\n\n- [ ] open\n"
    );
}

/// Regression: a stale count that a fixed task marker made stale again was counted as two
/// fixes, so "applied 3 fixes" was said of two.
#[test]
fn fix_counts_each_problem_fixed_once() {
    let dir = tempdir();
    write(
        dir.path(),
        "content/a.md",
        b"# T\n\n## Steps (3 items)\n\n- [ ] a\n-[ ] b\n",
    );
    write(
        dir.path(),
        "content/b.md",
        "# T\n\n- [ ] run \u{202e}cmd\u{202c} now and \u{2066}x\u{2069} ok\n".as_bytes(),
    );
    let output = run(preflight(dir.path()).args(["check", "--fix"]).output());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("content/a.md: applied 2 fixes"), "{stderr}");
    assert!(stderr.contains("content/b.md: applied 4 fixes"), "{stderr}");
    assert_eq!(
        std::fs::read(dir.path().join("content/a.md")).unwrap_or_default(),
        b"# T\n\n## Steps (2 items)\n\n- [ ] a\n- [ ] b\n"
    );
}

/// Regression: the count of an indented, closed or setext heading was located as if written
/// `## Title (N items)`, so its column was wrong and `--fix` never applied.
#[test]
fn counts_of_every_heading_form_are_located_and_fixed() {
    let dir = tempdir();
    let original = "# T\n\n   ##   Indented (3 items) ##\n\n- [ ] a\n\nTwo line\nsetext (5 items)\n---\n\n- [ ] b\n";
    write(dir.path(), "content/a.md", original.as_bytes());
    let loaded = check(&dir.path().join("content/a.md"));
    let found: Vec<(u32, u32)> = loaded
        .checklist
        .diagnostics
        .iter()
        .filter(|d| d.code == "declared-count-mismatch")
        .map(|d| (d.line, d.column))
        .collect();
    assert_eq!(found, [(3, 18), (8, 8)]);
    let output = run(preflight(dir.path()).args(["check", "--fix"]).output());
    assert!(output.status.success(), "{output:?}");
    let fixed = std::fs::read_to_string(dir.path().join("content/a.md")).unwrap_or_default();
    assert_eq!(
        fixed,
        original
            .replace("(3 items)", "(1 item)")
            .replace("(5 items)", "(1 item)")
    );
}

#[test]
fn fix_through_a_symbolic_link_fixes_its_target_and_keeps_the_link() {
    let dir = tempdir();
    write(dir.path(), "shared/shared.md", b"# Shared\n\n-[ ] Backup\n");
    std::fs::create_dir_all(dir.path().join("content")).unwrap_or_default();
    let link = dir.path().join("content/shared.md");
    std::os::unix::fs::symlink("../shared/shared.md", &link).unwrap_or_default();
    let output = run(preflight(dir.path()).args(["check", "--fix"]).output());
    assert!(output.status.code().is_some(), "{output:?}");
    let meta = std::fs::symlink_metadata(&link).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        meta.file_type().is_symlink(),
        "the link was replaced by a file"
    );
    let target = std::fs::read_to_string(dir.path().join("shared/shared.md")).unwrap_or_default();
    assert_eq!(target, "# Shared\n\n- [ ] Backup\n");
}

#[test]
fn github_format_is_workflow_commands() {
    let output = run(preflight(&repo())
        .args([
            "check",
            "--format",
            "github",
            "tests/fixtures/lints/declared-count-mismatch.md",
        ])
        .output());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        stdout.lines().next(),
        Some(
            "::warning file=tests/fixtures/lints/declared-count-mismatch.md,line=8,col=10,endColumn=19,title=preflight declared-count-mismatch::heading declares 3 items but the section holds 2%0Achange the heading to `(2 items)`"
        ),
        "{stdout}"
    );
}

#[test]
fn sarif_has_rules_results_and_fixes() {
    let output = run(preflight(&repo())
        .args(["check", "--format", "sarif", "tests/fixtures/lints"])
        .output());
    let sarif: serde_json::Value =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("not JSON: {e}"));
    assert_eq!(sarif["version"], "2.1.0");
    let run0 = &sarif["runs"][0];
    let rules = run0["tool"]["driver"]["rules"]
        .as_array()
        .map_or(0, Vec::len);
    assert!(rules >= lint::rules().len());
    let results = run0["results"].as_array().cloned().unwrap_or_default();
    assert!(results.len() > 20, "{}", results.len());
    for r in &results {
        let index = r["ruleIndex"].as_u64().unwrap_or(u64::MAX);
        let id = &run0["tool"]["driver"]["rules"][usize::try_from(index).unwrap_or(0)]["id"];
        assert_eq!(&r["ruleId"], id);
        assert!(r["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64() > Some(0));
    }
    assert!(results.iter().any(|r| r.get("fixes").is_some()));
}

/// Regression: a list nested past the depth limit on one line (`- - - … [ ] x`) gave one
/// `empty-item` per flattened level, thousands of identical warnings for one line.
#[test]
fn a_line_of_lists_too_deep_is_one_empty_item() {
    let text = format!("# T\n\n{}[ ] x\n", "- ".repeat(400));
    let loaded = pipeline::from_bytes("t.md", "t", text.as_bytes());
    let codes: Vec<&str> = loaded
        .checklist
        .diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .collect();
    assert_eq!(codes, ["empty-item", "nesting-too-deep"], "{codes:?}");
}

/// Regression: `--fix` turned `2.[ ] second` under a line of text into `2. [ ] second`, which is
/// still paragraph text (a numbered list must start at 1 to interrupt a paragraph), and the
/// next run reported nothing: a flagged missing step became an unflagged one.
#[test]
fn fix_leaves_a_numbered_task_under_text_to_the_author() {
    let dir = tempdir();
    let source = "# T\n\nSome text\n2.[ ] second\n\n- [ ] a\n";
    write(dir.path(), "a.md", source.as_bytes());
    let output = run(preflight(dir.path())
        .args(["check", "--fix", "a.md"])
        .output());
    assert!(output.status.success(), "{output:?}");
    let after = std::fs::read_to_string(dir.path().join("a.md")).unwrap_or_default();
    assert_eq!(after, source);
    let output = run(preflight(dir.path()).args(["check", "a.md"]).output());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("a.md:4:1: warning[near-miss-task-marker]"),
        "{stdout}"
    );
}

/// Regression: placeholders in front matter (`author: "[Author name]"`) became the checklist's
/// owner, unflagged; a YAML list in brackets (`tags: [deploy]`) is no placeholder.
#[test]
fn front_matter_placeholders_are_flagged_where_written() {
    let text = "---\ntitle: Deploy\nauthor: \"[Author name]\"\ndate: YYYY-MM-DD\ntags: [deploy]\n---\n# Deploy\n\n- [ ] Go\n";
    let loaded = pipeline::from_bytes("t.md", "t", text.as_bytes());
    let found: Vec<(u32, u32)> = loaded
        .checklist
        .diagnostics
        .iter()
        .filter(|d| d.code == "unfilled-placeholder")
        .map(|d| (d.line, d.column))
        .collect();
    assert_eq!(found, [(3, 10), (4, 7)]);
}

/// Regression (review): an issue template's `title: "[Release] "` was flagged as a placeholder,
/// though it is what the issues it opens start with.
#[test]
fn an_issue_templates_title_is_no_placeholder() {
    let text = "---\nname: Release\nabout: Cut a release\ntitle: \"[Release] \"\nlabels: [release]\n---\n# Release\n\n- [ ] Tag\n";
    let loaded = pipeline::from_bytes("t.md", "t", text.as_bytes());
    assert!(
        loaded
            .checklist
            .diagnostics
            .iter()
            .all(|d| d.code != "unfilled-placeholder"),
        "{:?}",
        loaded.checklist.diagnostics
    );
}

/// Regression: lines to sign in a list (`- Prepared by: ____` under `**Sign-off:**`), which
/// the printed sheet lists, did not count as a sign-off; and substrings named phases, so
/// `Reverted commits` hid a missing rollback.
#[test]
fn sign_off_lines_in_a_list_count_and_cue_words_are_whole() {
    let signed = "# Upgrade\n\n## Upgrade\n\n- [ ] Upgrade the cluster\n\n## Rollback\n\n- [ ] Restore etcd\n\n## Summary\n\n**Sign-off:**\n\n- Prepared by: ______ Date: ____\n- Reviewed by: ______ Date: ____\n";
    let loaded = pipeline::from_bytes("t.md", "t", signed.as_bytes());
    assert!(flagged(&loaded, "missing-sign-off").is_empty());
    let unsigned = "# Deploy\n\n## Deploy\n\n- [ ] Deploy the build\n\n## Verify package signatures\n\n- [ ] Check the GPG signature\n\n## Reverted commits\n\n- [ ] Confirm reverted commits are absent\n";
    let loaded = pipeline::from_bytes("t.md", "t", unsigned.as_bytes());
    assert_eq!(flagged(&loaded, "missing-sign-off"), [1]);
    assert_eq!(flagged(&loaded, "missing-rollback"), [1]);
}
