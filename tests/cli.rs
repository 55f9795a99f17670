//! The real binary, run in temporary copies of fixtures: exit codes, stdout and stderr.

mod common;

use common::{preflight, run, tempdir, write};
use insta_cmd::assert_cmd_snapshot;

/// A book with one good file and each kind of bad input.
fn bad_inputs_book() -> tempfile::TempDir {
    let dir = tempdir();
    write(dir.path(), "book.toml", b"[book]\ntitle = \"Bad inputs\"\n");
    write(dir.path(), "content/good.md", b"# Good\n\n- [ ] works\n");
    write(
        dir.path(),
        "content/latin1.md",
        b"# Caf\xe9\n\n- [ ] r\xe9sum\xe9 checked\n",
    );
    write(
        dir.path(),
        "content/unterminated.md",
        b"---\ntitle: x\n\n# Heading\n\n- [ ] item\n",
    );
    write(
        dir.path(),
        "content/malformed.md",
        b"---\ntitle: [unclosed\n---\n# M\n\n- [ ] item\n",
    );
    write(dir.path(), "content/empty.md", b"");
    dir
}

#[test]
fn check_example_book_reports_warnings_and_exits_0() {
    let out = run(preflight(&common::repo()).arg("check").output());
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("content/sme-receivable-platform.md:10:4: warning[mojibake]"),
        "{stdout}"
    );
    assert!(stdout.contains(
        "warning[declared-count-mismatch]: heading declares 10 items but the section holds 12"
    ));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("checked 5 files: 0 errors,"), "{stderr}");
}

#[test]
fn check_human_output_of_one_file() {
    assert_cmd_snapshot!(
        preflight(&common::repo()).args(["check", "content/heypeter-academy-lms.md"])
    );
}

#[test]
fn check_deny_warnings_exits_1() {
    let out = run(preflight(&common::repo())
        .args(["check", "--deny", "warnings", "-q"])
        .output());
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn check_bad_inputs() {
    let book = bad_inputs_book();
    assert_cmd_snapshot!(preflight(book.path()).arg("check"));
}

#[test]
fn check_json_format() {
    let book = bad_inputs_book();
    let out = run(preflight(book.path())
        .args(["check", "--format", "json"])
        .output());
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report["summary"]["files"], 5);
    assert_eq!(report["files"][2]["path"], "content/latin1.md");
    assert_eq!(report["files"][2]["diagnostics"][0]["code"], "invalid-utf8");
    assert_eq!(
        report["files"][0]["diagnostics"][0]["code"],
        "empty-checklist"
    );
}

#[test]
fn export_bad_inputs_still_exports_every_file() {
    let book = bad_inputs_book();
    let out = run(preflight(book.path())
        .args(["export", "--out", "json"])
        .output());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for id in ["good", "latin1", "unterminated", "malformed", "empty"] {
        let path = book.path().join(format!("json/checklists/{id}.json"));
        let doc: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&path).unwrap_or_default())
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(doc["schema_version"], "1.3");
    }
    let latin1 = std::fs::read_to_string(book.path().join("json/checklists/latin1.json"))
        .unwrap_or_default();
    assert!(
        latin1.contains("résumé checked"),
        "text read as Windows-1252 is kept"
    );
    let empty =
        std::fs::read_to_string(book.path().join("json/checklists/empty.json")).unwrap_or_default();
    assert!(empty.contains("\"tasks\":0"), "{empty}");
    let index: serde_json::Value = serde_json::from_slice(
        &std::fs::read(book.path().join("json/index.json")).unwrap_or_default(),
    )
    .unwrap_or_default();
    assert_eq!(
        index["book"]["releases"][0]["checklists"]
            .as_array()
            .map(Vec::len),
        Some(5)
    );
}

#[test]
fn export_one_file_to_stdout() {
    let out = run(preflight(&common::repo())
        .args(["export", "content/invoice-discounting-platform.md"])
        .output());
    assert_eq!(out.status.code(), Some(0));
    let doc: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(doc["checklist"]["stats"]["tasks"], 59);
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn export_twice_replaces_its_own_output() {
    let book = bad_inputs_book();
    for _ in 0..2 {
        let status = preflight(book.path())
            .args(["export", "--out", "json", "-q"])
            .status();
        assert_eq!(status.map(|s| s.code()).ok().flatten(), Some(0));
    }
}

#[test]
fn export_refuses_a_folder_it_did_not_create() {
    let book = bad_inputs_book();
    write(book.path(), "json/notes.txt", b"mine");
    assert_cmd_snapshot!(preflight(book.path()).args(["export", "--out", "json"]));
    assert!(book.path().join("json/notes.txt").exists());
}

#[test]
fn missing_path_is_an_operational_error() {
    let book = bad_inputs_book();
    assert_cmd_snapshot!(preflight(book.path()).args(["check", "nope.md"]));
}

/// Regression: `print typo.md --out print` replaced the last print with an empty one; a
/// mistyped path now leaves the output folder as it was, for `export --out` too.
#[test]
fn a_mistyped_path_leaves_the_last_output_as_it_was() {
    let book = bad_inputs_book();
    for (command, kept) in [
        ("print", "print/good/index.html"),
        ("export", "print/index.json"),
    ] {
        let out = book.path().join("print");
        let _ = std::fs::remove_dir_all(&out);
        let first = preflight(book.path())
            .args([command, "content", "--out", "print", "-q"])
            .status()
            .expect("run");
        assert!(first.success() || first.code() == Some(2), "{first:?}");
        assert!(book.path().join(kept).is_file(), "{command}: {kept}");
        for paths in [&["typo.md"][..], &["content", "typo.md"]] {
            let output = run(preflight(book.path())
                .arg(command)
                .args(paths)
                .args(["--out", "print"])
                .output());
            assert_eq!(output.status.code(), Some(2), "{output:?}");
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(
                stderr.contains("`typo.md`: no such file or folder")
                    && stderr.contains("nothing written: `print` is left as it was"),
                "{stderr}"
            );
            assert!(
                book.path().join(kept).is_file(),
                "{command} {paths:?}: {kept} lost"
            );
        }
    }
}

/// Regression: in a folder that is no book, every command said "`content`: no such file or
/// folder", and nothing said what a book is or how to make one.
#[test]
fn a_folder_that_is_no_book_says_so() {
    let dir = tempdir();
    for command in ["check", "build", "export", "print"] {
        let out = run(preflight(dir.path()).arg(command).output());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{command}: {stderr}");
        assert!(
            stderr.contains("is not a book") && stderr.contains("preflight init"),
            "{command}: {stderr}"
        );
    }
    let out = run(preflight(dir.path())
        .args(["-C", "nowhere", "check"])
        .output());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("`nowhere`: no such file or folder"),
        "{stderr}"
    );
}

/// Regression: with `-C DIR`, `--out` was read from DIR but files named on the command line
/// from the current folder, so `-C book check content/a.md` found nothing.
#[test]
fn paths_are_read_from_the_root_as_the_output_is() {
    let dir = tempdir();
    write(dir.path(), "book/book.toml", b"[book]\ntitle = \"B\"\n");
    write(dir.path(), "book/content/a.md", b"# A\n\n- [ ] Step\n");
    for path in ["content/a.md", "book/content/a.md"] {
        let out = run(preflight(dir.path())
            .args(["-C", "book", "export", path, "--out", "json"])
            .output());
        assert!(
            out.status.success(),
            "{path}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert!(dir.path().join("book/json").is_dir());
    assert!(!dir.path().join("json").exists());
}

#[test]
fn unknown_config_key_is_located() {
    let dir = tempdir();
    write(
        dir.path(),
        "book.toml",
        b"[book]\ntitle = \"x\"\ncolour = \"red\"\n",
    );
    assert_cmd_snapshot!(preflight(dir.path()).arg("check"));
}

#[test]
fn schema_is_draft_2020_12() {
    let out = run(preflight(&common::repo()).arg("schema").output());
    assert_eq!(out.status.code(), Some(0));
    let schema: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert!(schema["$defs"]["Item"].is_object());
}

#[test]
fn usage_error_exits_2() {
    let out = run(preflight(&common::repo())
        .args(["export", "--bogus"])
        .output());
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn help_of_every_command() {
    let dir = tempdir();
    assert_cmd_snapshot!("help", preflight(dir.path()).arg("--help"));
    for command in [
        "build",
        "serve",
        "check",
        "export",
        "diff",
        "print",
        "schema",
        "rules",
        "init",
        "completions",
        "man",
    ] {
        assert_cmd_snapshot!(
            format!("help-{command}"),
            preflight(dir.path()).args([command, "--help"])
        );
    }
}

#[test]
fn init_then_build_and_check_cleanly() {
    let dir = tempdir();
    let output = run(preflight(dir.path()).args(["init", "demo"]).output());
    assert!(output.status.success(), "{output:?}");
    let book = dir.path().join("demo");
    for file in [
        "book.toml",
        "content/deployment-checklist.md",
        ".gitignore",
        ".github/workflows/preflight.yml",
    ] {
        assert!(book.join(file).is_file(), "{file} missing");
    }
    let build = run(preflight(&book).arg("build").output());
    assert!(build.status.success(), "{build:?}");
    assert!(
        book.join("public/current/deployment-checklist/index.html")
            .is_file()
    );
    let check = run(preflight(&book).arg("check").output());
    assert!(check.status.success(), "{check:?}");
    assert_eq!(
        String::from_utf8_lossy(&check.stderr).trim(),
        "checked 1 file: 0 errors, 0 warnings, 0 notes"
    );
    assert!(check.stdout.is_empty(), "{check:?}");
}

#[test]
fn init_overwrites_nothing() {
    let dir = tempdir();
    write(dir.path(), "book.toml", b"# mine\n");
    assert_cmd_snapshot!(preflight(dir.path()).arg("init"));
    let kept = std::fs::read_to_string(dir.path().join("book.toml")).unwrap_or_default();
    assert_eq!(kept, "# mine\n");
    assert!(!dir.path().join("content").exists());
}

/// Regression: `init` in a repository that had a `.gitignore` refused to write anything; it
/// adds the lines the `.gitignore` lacks and keeps every other file as it was.
#[test]
fn init_keeps_existing_files_and_completes_the_gitignore() {
    let dir = tempdir();
    write(dir.path(), ".gitignore", b"target/");
    write(dir.path(), ".github/workflows/preflight.yml", b"# mine\n");
    let output = run(preflight(dir.path()).arg("init").output());
    assert!(output.status.success(), "{output:?}");
    let ignore = std::fs::read_to_string(dir.path().join(".gitignore")).unwrap_or_default();
    assert!(ignore.starts_with("target/\n"), "{ignore}");
    assert!(ignore.contains("\n/public/\n"), "{ignore}");
    let workflow = std::fs::read_to_string(dir.path().join(".github/workflows/preflight.yml"))
        .unwrap_or_default();
    assert_eq!(workflow, "# mine\n");
    assert!(dir.path().join("book.toml").is_file());
    // Again in a folder whose `.gitignore` has the lines: it is left alone.
    std::fs::remove_file(dir.path().join("book.toml")).ok();
    let output = run(preflight(dir.path()).arg("init").output());
    assert!(output.status.success(), "{output:?}");
    let again = std::fs::read_to_string(dir.path().join(".gitignore")).unwrap_or_default();
    assert_eq!(again, ignore);
}

/// `init runbooks` in a git repository writes its workflow in the book's folder, where GitHub
/// does not run it, so a note says where it goes and how to run it in the book's folder.
#[test]
fn init_in_a_folder_of_a_repository_says_where_the_workflow_goes() {
    let dir = tempdir();
    std::fs::create_dir_all(dir.path().join(".git")).ok();
    let output = run(preflight(dir.path()).args(["init", "runbooks"]).output());
    assert!(output.status.success(), "{output:?}");
    assert!(
        dir.path()
            .join("runbooks/.github/workflows/preflight.yml")
            .is_file()
    );
    assert!(!dir.path().join(".github").exists());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("note: GitHub runs only the workflows at the root of a repository")
            && stderr.contains("working-directory: 'runbooks'"),
        "{stderr}"
    );
}

/// Regression: for a book in a folder of a repository, GitHub annotations named the file
/// relative to the book (`content/x.md`), which GitHub cannot place; on Actions they are
/// relative to the workspace (`runbooks/content/x.md`).
#[test]
fn github_annotations_are_relative_to_the_workspace() {
    let dir = tempdir();
    write(dir.path(), "runbooks/content/x.md", b"# X\n\n-[ ] glued\n");
    let book = dir.path().join("runbooks");
    let output = run(preflight(&book)
        .args(["check", "--format", "github"])
        .env("GITHUB_WORKSPACE", dir.path())
        .output());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("file=runbooks/content/x.md,line=3"),
        "{stdout}"
    );
    let output = run(preflight(&book)
        .args(["check", "--format", "github"])
        .env_remove("GITHUB_WORKSPACE")
        .output());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("file=content/x.md,line=3"), "{stdout}");
}

#[test]
fn man_pages_and_completions_are_generated() {
    let dir = tempdir();
    let man = run(preflight(dir.path()).args(["man", "--out", "man"]).output());
    assert!(man.status.success(), "{man:?}");
    for page in [
        "preflight.1",
        "preflight-build.1",
        "preflight-check.1",
        "preflight-init.1",
    ] {
        let text = std::fs::read_to_string(dir.path().join("man").join(page)).unwrap_or_default();
        assert!(text.contains(".TH"), "{page} is not a man page");
    }
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = run(preflight(dir.path()).args(["completions", shell]).output());
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && text.contains("build") && text.contains("format"),
            "{shell}"
        );
    }
}

/// A side that is not text is compared as read, and says so on stderr with its file and line.
#[test]
fn diff_of_a_file_that_is_not_text_warns() {
    let dir = tempdir();
    write(dir.path(), "old.md", b"# A\n\n- [ ] one\n");
    write(
        dir.path(),
        "new.md",
        b"# A\n\n- [ ] one\x00\x01\n- [ ] \xff two\n",
    );
    let out = run(preflight(dir.path())
        .args(["diff", "old.md", "new.md"])
        .output());
    assert!(out.status.success(), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("new.md:4:7: warning[invalid-utf8]: file is not valid UTF-8"),
        "{stderr}"
    );
    assert!(
        stderr.contains("new.md:3:10: warning[control-character]"),
        "{stderr}"
    );
    assert!(!stderr.contains("old.md"), "{stderr}");
}

/// Regression: with two folders, a warning named `bin.md` twice, not which side it was on.
#[test]
fn diff_warnings_name_the_side_of_the_file() {
    let dir = tempdir();
    write(dir.path(), "old/a.md", b"# A\n\n- [ ] \xff one\n");
    write(dir.path(), "new/a.md", b"# A\n\n- [ ] one\n");
    let out = run(preflight(dir.path()).args(["diff", "old", "new/"]).output());
    assert!(out.status.success(), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("old/a.md:3:7: warning[invalid-utf8]"),
        "{stderr}"
    );
}

/// Regression: `-q` still printed the whole diff; as `git diff --quiet`, it prints nothing and
/// the exit code says whether the checklists changed.
#[test]
fn diff_quiet_prints_nothing_and_sets_the_exit_code() {
    let dir = tempdir();
    write(dir.path(), "old.md", b"# A\n\n- [ ] one\n");
    write(dir.path(), "same.md", b"# A\n\n- [ ] one\n");
    write(dir.path(), "new.md", b"# A\n\n- [ ] one\n- [ ] two\n");
    for (new, code) in [("new.md", 1), ("same.md", 0)] {
        let out = run(preflight(dir.path())
            .args(["diff", "-q", "old.md", new])
            .output());
        assert_eq!(out.status.code(), Some(code), "{out:?}");
        assert!(out.stdout.is_empty() && out.stderr.is_empty(), "{out:?}");
    }
}

/// The JSON diff of `old.md` and `new.md` in `dir`, which differ (exit code 1).
fn json_diff_of_changed_files(dir: &std::path::Path) -> serde_json::Value {
    let out = run(preflight(dir)
        .args([
            "diff",
            "--exit-code",
            "--format",
            "json",
            "old.md",
            "new.md",
        ])
        .output());
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    serde_json::from_slice(&out.stdout).unwrap_or_default()
}

/// Regression: a control of text direction (U+202E) in changed text went raw into the text,
/// Markdown and HTML diffs, so reviewers saw `/srv/app/ppa/pmt` where the file says otherwise;
/// those formats show it by its code point, and JSON keeps the text as written.
#[test]
fn diff_shows_controls_of_text_direction() {
    let dir = tempdir();
    write(
        dir.path(),
        "old.md",
        b"# D\n\n- [ ] Run rm -rf /srv/app/tmp\n",
    );
    let new = "# D\n\n- [ ] Run rm -rf /srv/app/tmp \u{202e}/pmt/ppa\u{202c}\n";
    write(dir.path(), "new.md", new.as_bytes());
    for format in ["text", "markdown", "html"] {
        let out = run(preflight(dir.path())
            .args([
                "diff", "--color", "never", "--format", format, "old.md", "new.md",
            ])
            .output());
        let shown = String::from_utf8_lossy(&out.stdout);
        assert!(shown.contains("⟦U+202E⟧"), "{format}: {shown}");
        assert!(!shown.contains('\u{202e}'), "{format}: {shown}");
    }
    let json = json_diff_of_changed_files(dir.path());
    assert!(json.to_string().contains('\u{202e}'), "{json}");
}

/// Regression: links that now lead elsewhere (an item's, a field's, a table cell's, the
/// intro's) with the same text gave "No changes" and exit 0.
#[test]
fn diff_sees_link_targets_change() {
    let dir = tempdir();
    let doc = |host: &str| {
        format!(
            "# D\n\nSee [the wiki](https://{host}/intro).\n\n## Rollback\n\n**Runbook**: [failover](https://{host}/failover)\n\n| Board | Link |\n|---|---|\n| API | [board](https://{host}/board) |\n\n- [ ] Run [the script](https://{host}/rollback.sh)\n"
        )
    };
    write(dir.path(), "old.md", doc("example.com").as_bytes());
    write(dir.path(), "new.md", doc("example.net").as_bytes());
    let json = json_diff_of_changed_files(dir.path());
    let c = &json["checklists"][0];
    let field = |list: &serde_json::Value, name: &str| -> Option<(String, String)> {
        let f = list.as_array()?.iter().find(|f| f["field"] == name)?;
        Some((f["old"].as_str()?.to_owned(), f["new"].as_str()?.to_owned()))
    };
    assert_eq!(
        field(&c["meta"], "intro-links"),
        Some((
            "https://example.com/intro".into(),
            "https://example.net/intro".into()
        )),
        "{json}"
    );
    assert_eq!(
        field(&c["sections"][0]["fields"], "links"),
        Some((
            "https://example.com/failover https://example.com/board".into(),
            "https://example.net/failover https://example.net/board".into()
        )),
        "{json}"
    );
    assert_eq!(
        field(&c["items"][0]["fields"], "links"),
        Some((
            "https://example.com/rollback.sh".into(),
            "https://example.net/rollback.sh".into()
        )),
        "{json}"
    );
}

/// Regression: a changed command in a section's own code block, or changed prose and code
/// before the first section, gave "No changes" and exit 0.
#[test]
fn diff_sees_section_code_and_what_comes_before_the_first_section() {
    let dir = tempdir();
    let doc = |when: &str, intro: &str, clean: &str| {
        format!(
            "# D\n\nRun after {when} UTC.\n\n```bash\nkubectl {intro} -f prod.yaml\n```\n\n## S\n\n```bash\nrm -rf {clean}\n```\n\n- [ ] x\n"
        )
    };
    write(
        dir.path(),
        "old.md",
        doc("18:00", "apply", "/tmp/cache").as_bytes(),
    );
    write(dir.path(), "new.md", doc("02:00", "delete", "/").as_bytes());
    let json = json_diff_of_changed_files(dir.path());
    let changes = &json["checklists"][0];
    let fields = |list: &serde_json::Value| -> Vec<(String, String, String)> {
        list.as_array()
            .into_iter()
            .flatten()
            .map(|f| {
                let s = |k: &str| f[k].as_str().unwrap_or_default().to_owned();
                (s("field"), s("old"), s("new"))
            })
            .collect()
    };
    assert_eq!(
        fields(&changes["meta"]),
        [
            (
                "intro".into(),
                "Run after 18:00 UTC.".into(),
                "Run after 02:00 UTC.".into()
            ),
            (
                "intro-code".into(),
                "kubectl apply -f prod.yaml\n".into(),
                "kubectl delete -f prod.yaml\n".into()
            ),
        ],
        "{json}"
    );
    assert_eq!(
        fields(&changes["sections"][0]["fields"]),
        [(
            "code".into(),
            "rm -rf /tmp/cache\n".into(),
            "rm -rf /\n".into()
        )],
        "{json}"
    );
    let markdown = run(preflight(dir.path())
        .args(["diff", "--format", "markdown", "old.md", "new.md"])
        .output());
    let markdown = String::from_utf8_lossy(&markdown.stdout);
    assert!(
        markdown.contains("Section **changed**: S (**code**: rm -rf /tmp/cache → rm -rf /)"),
        "{markdown}"
    );
}

/// Regression: `-q` ("print only errors") still printed every warning and note of `check`.
#[test]
fn check_quiet_shows_only_errors_and_keeps_the_exit_code() {
    let dir = tempdir();
    write(
        dir.path(),
        "content/deploy.md",
        "# Deploy\n\n- [ ] Call [Name]\n- [ ] Run `make \u{202e}deploy`\n".as_bytes(),
    );
    let output = run(preflight(dir.path())
        .args(["check", "-q", "--color", "never"])
        .output());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("error[bidi-control]"), "{stdout}");
    assert!(!stdout.contains("warning["), "{stdout}");
    assert!(!stdout.contains("info["), "{stdout}");
    assert_eq!(output.status.code(), Some(1), "{output:?}");
}

/// Regression: an operating system error was printed twice ("Not a directory (os error 20):
/// Not a directory (os error 20)").
#[test]
fn an_error_that_stops_a_command_names_its_cause_once() {
    let dir = tempdir();
    write(dir.path(), "content/deploy.md", b"# Deploy\n\n- [ ] Ship\n");
    write(dir.path(), "taken", b"a file");
    let output = run(preflight(dir.path())
        .args(["export", "--out", "taken/json"])
        .output());
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.matches("os error").count(), 1, "{stderr}");
}

/// Regression: `man --out` wrote over any file named like one of its pages.
#[test]
fn man_replaces_its_own_pages_and_keeps_anyone_elses() {
    let dir = tempdir();
    let pages = dir.path().join("man1");
    let status = |out: &std::path::Path| {
        run(preflight(dir.path())
            .arg("man")
            .arg("--out")
            .arg(out)
            .output())
        .status
        .code()
    };
    assert_eq!(status(&pages), Some(0));
    assert_eq!(
        status(&pages),
        Some(0),
        "a second run replaces its own pages"
    );
    write(&pages, "preflight-build.1", b"my notes");
    assert_eq!(status(&pages), Some(2));
    let kept = std::fs::read(pages.join("preflight-build.1")).unwrap_or_default();
    assert_eq!(kept, b"my notes");
}

/// Regression: `export` of a folder with no Markdown printed nothing at all, not even the index.
#[test]
fn export_of_an_empty_folder_prints_an_empty_index() {
    let dir = tempdir();
    std::fs::create_dir_all(dir.path().join("empty")).ok();
    let output = run(preflight(dir.path()).args(["export", "empty"]).output());
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let index: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_default();
    assert_eq!(
        index["book"]["releases"][0]["checklists"],
        serde_json::json!([]),
        "{index}"
    );
}

/// Regression: `export missing.md` printed an empty index besides its error, and `export a.md
/// missing.md` printed `a.md`'s document alone: the shape of the output depended on which files
/// exist.
#[test]
fn export_shape_depends_on_the_paths_given() {
    let dir = tempdir();
    write(dir.path(), "a.md", b"# A\n\n- [ ] x\n");
    let output = run(preflight(dir.path())
        .args(["export", "missing.md"])
        .output());
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert!(output.stdout.is_empty(), "{output:?}");
    let output = run(preflight(dir.path())
        .args(["export", "a.md", "missing.md"])
        .output());
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(lines[0].contains("\"checklist\""), "{stdout}");
    assert!(lines[1].contains("\"book\""), "{stdout}");
}

/// Regression: a file `check` could not read (a dangling link) made it exit 2, but the JSON,
/// SARIF and GitHub formats did not name it and the summary counted no error: CI failed with
/// nothing to click on.
#[cfg(unix)]
#[test]
fn check_names_unreadable_files_in_every_format() {
    let dir = tempdir();
    write(dir.path(), "book.toml", b"[book]\ntitle = \"T\"\n");
    write(dir.path(), "content/good.md", b"# Good\n\n- [ ] works\n");
    std::os::unix::fs::symlink(
        dir.path().join("missing.md"),
        dir.path().join("content/gone.md"),
    )
    .expect("symlink");
    let check = |format: &str| {
        let out = run(preflight(dir.path())
            .args(["check", "--format", format])
            .output());
        assert_eq!(out.status.code(), Some(2), "{out:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let json: serde_json::Value = serde_json::from_str(&check("json")).expect("json");
    assert_eq!(json["summary"]["errors"], 1, "{json}");
    let gone = json["files"]
        .as_array()
        .and_then(|files| files.iter().find(|f| f["path"] == "content/gone.md"))
        .unwrap_or_else(|| panic!("{json}"));
    assert_eq!(gone["diagnostics"][0]["code"], "unreadable");
    assert!(
        check("github").starts_with("::error file=content/gone.md,line=1,"),
        "annotation"
    );
    let sarif = check("sarif");
    assert!(sarif.contains("\"ruleId\": \"unreadable\""), "{sarif}");
    let out = run(preflight(dir.path()).arg("check").output());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("checked 2 files: 1 error"), "{stderr}");
}

/// Regression: a section moved among its siblings was "moved from (top) to (top)" in the
/// terminal and "moved moved" on the "what changed" page.
#[test]
fn diff_says_where_a_section_moved() {
    let dir = tempdir();
    write(
        dir.path(),
        "old.md",
        b"# R\n\n## Deploy\n\n- [ ] a\n\n### Smoke\n\n- [ ] s\n\n## Verify\n\n- [ ] v\n",
    );
    write(
        dir.path(),
        "new.md",
        b"# R\n\n## Verify\n\n- [ ] v\n\n### Smoke\n\n- [ ] s\n\n## Deploy\n\n- [ ] a\n",
    );
    let diff = |format: &str| {
        let out = run(preflight(dir.path())
            .args([
                "diff", "--color", "never", "--format", format, "old.md", "new.md",
            ])
            .output());
        assert!(out.status.success(), "{out:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let text = diff("text");
    assert!(text.contains("(moved from Deploy to Verify)"), "{text}");
    assert!(
        text.contains("(moved among the top-level sections)"),
        "{text}"
    );
    assert!(!text.contains("(top)"), "{text}");
    let html = diff("html");
    assert!(
        html.contains("<span class=\"diff-place\">moved from Deploy to Verify</span>"),
        "{html}"
    );
    assert!(diff("markdown").contains("(moved from Deploy to Verify)"));
}

/// A nested item's place names its parent item as well as its section, in every format, so
/// `Watch dashboards` added under `Roll out` is not read as a step of its own; an item without
/// text says so rather than showing a blank line.
#[test]
fn diff_places_a_nested_item_under_its_parent() {
    let dir = tempdir();
    write(
        dir.path(),
        "old.md",
        b"# R\n\n## Deploy\n\n- [ ] Build\n  - [ ] Tag latest\n- [ ] Roll out\n",
    );
    write(
        dir.path(),
        "new.md",
        b"# R\n\n## Deploy\n\n- [ ] Build\n- [ ] Roll out\n  - [ ] Tag latest\n  - [ ] Watch dashboards\n- [ ]\n",
    );
    let diff = |format: &str| {
        let out = run(preflight(dir.path())
            .args([
                "diff", "--color", "never", "--format", format, "old.md", "new.md",
            ])
            .output());
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let text = diff("text");
    assert!(
        text.contains("+ Watch dashboards  [Deploy › Roll out]"),
        "{text}"
    );
    assert!(
        text.contains("Tag latest  [moved from Deploy › Build to Deploy › Roll out]"),
        "{text}"
    );
    assert!(text.contains("+ (no text)  [Deploy]"), "{text}");
    let markdown = diff("markdown");
    assert!(
        markdown.contains("**Added** in *Deploy › Roll out*: Watch dashboards"),
        "{markdown}"
    );
    assert!(
        markdown.contains("**Added** in *Deploy*: *(no text)*"),
        "{markdown}"
    );
    let html = diff("html");
    assert!(
        html.contains("<span class=\"diff-place\">in Deploy › Roll out</span>"),
        "{html}"
    );
    let json: serde_json::Value = serde_json::from_str(&diff("json")).expect("json");
    let added = &json["checklists"][0]["items"][1];
    assert_eq!(added["new_place"]["under"], "Roll out", "{json:#}");
}

/// Regression: a Japanese item diffed character by character marked `「` and `。` with `~~`
/// and `**` next to letters, which Markdown does not close there: the markers showed literally.
#[test]
fn markdown_diff_of_unspaced_text_renders() {
    let dir = tempdir();
    write(
        dir.path(),
        "old.md",
        "# R\n\n## 確認\n\n- [ ] 「本番」環境を確認する\n".as_bytes(),
    );
    write(
        dir.path(),
        "new.md",
        "# R\n\n## 確認\n\n- [ ] 本番環境を確認する。\n".as_bytes(),
    );
    let out = run(preflight(dir.path())
        .args(["diff", "--format", "markdown", "old.md", "new.md"])
        .output());
    let markdown = String::from_utf8_lossy(&out.stdout);
    let mut html = String::new();
    pulldown_cmark::html::push_html(
        &mut html,
        pulldown_cmark::Parser::new_ext(&markdown, pulldown_cmark::Options::ENABLE_STRIKETHROUGH),
    );
    let line = html
        .lines()
        .find(|l| l.contains("環境"))
        .unwrap_or_default();
    assert!(
        !line.contains("~~") && !line.contains("**"),
        "{markdown}\n{line}"
    );
    assert!(
        line.contains("<del>「</del>") && line.contains("<ins>。</ins>"),
        "{line}"
    );
}

/// Regression: a comment edited in a section (`<!-- - [ ] old step -->`) was a change of its
/// content; and the HTML diff struck out every line of a changed section's text and inserted
/// it again, unchanged lines included.
#[test]
fn diff_sees_what_a_reader_sees() {
    let dir = tempdir();
    let section = |comment: &str, line: &str| {
        format!(
            "# R\n\n## Prepare\n\n<!-- {comment} -->\n\nRead the handbook first.\n\n{line}\n\n- [ ] a\n"
        )
    };
    write(
        dir.path(),
        "old.md",
        section("- [ ] old step", "Ask in #release.").as_bytes(),
    );
    write(
        dir.path(),
        "new.md",
        section("- [ ] other step", "Ask in #release.").as_bytes(),
    );
    let out = run(preflight(dir.path())
        .args(["diff", "--color", "never", "old.md", "new.md"])
        .output());
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("No changes"),
        "{out:?}"
    );
    write(
        dir.path(),
        "new.md",
        section("- [ ] old step", "Ask in #releases.").as_bytes(),
    );
    let out = run(preflight(dir.path())
        .args(["diff", "--format", "html", "old.md", "new.md"])
        .output());
    let html = String::from_utf8_lossy(&out.stdout);
    assert!(
        html.contains("<del>- Ask in #release.</del><ins>+ Ask in #releases.</ins>"),
        "{html}"
    );
    assert!(!html.contains("<del>- Read the handbook"), "{html}");
}

/// Regression: `book.toml` refused an output inside the content folder, but `--out
/// content/site` was accepted and wrote a site into the checklists' folder.
#[test]
fn output_inside_the_content_folder_is_refused() {
    let dir = tempdir();
    write(dir.path(), "book.toml", b"[book]\ntitle = \"T\"\n");
    write(dir.path(), "content/a.md", b"# A\n\n- [ ] x\n");
    for command in ["build", "print", "export"] {
        let out = run(preflight(dir.path())
            .args([command, "-q", "--out", "content/out"])
            .output());
        assert_eq!(out.status.code(), Some(2), "{command}: {out:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("must not be or hold the content folder"),
            "{stderr}"
        );
        assert!(!dir.path().join("content/out").exists(), "{command} wrote");
    }
}

/// `/dev/null` is an empty side, as in `git diff`: a new checklist is all added.
#[cfg(unix)]
#[test]
fn diff_against_dev_null_is_all_added() {
    let dir = tempdir();
    write(dir.path(), "new.md", b"# N\n\n- [ ] one\n- [ ] two\n");
    let out = run(preflight(dir.path())
        .args(["diff", "--format", "json", "/dev/null", "new.md"])
        .output());
    assert!(out.status.success(), "{out:?}");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(doc["summary"]["checklists_added"], 1, "{doc}");
    assert_eq!(doc["summary"]["items_added"], 2, "{doc}");
}

/// Regression: a build stopped with Ctrl-C left its half-written staging folder beside the
/// output, and nothing removed it.
#[test]
#[cfg(unix)]
fn an_interrupted_build_leaves_nothing_beside_the_output() {
    let book = tempdir();
    write(
        book.path(),
        "book.toml",
        b"[book]\ntitle = \"Big\"\n\n[print]\npdf = false\n",
    );
    for i in 0..1500 {
        let text = format!(
            "# Checklist {i}\n\n## Steps\n\n- [ ] Deploy service {i}\n  - [ ] Check logs\n"
        );
        write(book.path(), &format!("content/c{i:04}.md"), text.as_bytes());
    }
    let mut child = preflight(book.path())
        .args(["build", "--out", "site", "-q"])
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let staging = || {
        std::fs::read_dir(book.path()).map_or(0, |entries| {
            entries
                .flatten()
                .filter(|e| e.file_name().to_string_lossy().starts_with(".site."))
                .count()
        })
    };
    let started = std::time::Instant::now();
    while staging() == 0 && started.elapsed() < std::time::Duration::from_secs(60) {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    assert!(status.is_ok_and(|s| s.success()), "kill -INT");
    let code = child.wait().map(|s| s.code()).ok().flatten();
    assert_eq!(code, Some(130), "stopped by the signal, not finished");
    assert_eq!(staging(), 0, "no staging folder is left");
    assert!(
        !book.path().join("site").exists(),
        "no output was swapped in"
    );
}

/// Regression: `check` passed a book that `build` refuses (two files with one id, a file named
/// like one of the site's folders), and `export` to stdout printed two documents with one id.
#[test]
fn check_and_export_refuse_what_build_refuses() {
    let dir = tempdir();
    write(dir.path(), "book.toml", b"[book]\ntitle = \"T\"\n");
    write(dir.path(), "content/deploy.md", b"# A\n\n- [ ] x\n");
    write(dir.path(), "content/Deploy.markdown", b"# B\n\n- [ ] y\n");
    write(dir.path(), "content/changes.md", b"# C\n\n- [ ] z\n");
    let check = run(preflight(dir.path())
        .args(["check", "--format", "json"])
        .output());
    assert_eq!(check.status.code(), Some(2), "{check:?}");
    let json: serde_json::Value = serde_json::from_slice(&check.stdout).expect("json");
    assert_eq!(json["summary"]["files"], 3, "{json}");
    assert_eq!(json["summary"]["errors"], 2, "{json}");
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert!(stderr.contains("is taken by `content/"), "{stderr}");
    let export = run(preflight(dir.path()).args(["export"]).output());
    assert_eq!(export.status.code(), Some(2), "{export:?}");
    let stdout = String::from_utf8_lossy(&export.stdout);
    assert_eq!(
        stdout.matches("\"checklist\":{\"id\":\"deploy\"").count(),
        1,
        "{stdout}"
    );
}

/// Regression: when a side could not be read in full, `diff` printed a complete diff in which
/// the unreadable checklists were removed, then exited 2.
#[cfg(unix)]
#[test]
fn diff_prints_nothing_when_a_side_cannot_be_read() {
    let dir = tempdir();
    write(dir.path(), "old/deploy.md", b"# Deploy\n\n- [ ] one\n");
    write(dir.path(), "new/other.md", b"# Other\n\n- [ ] two\n");
    std::os::unix::fs::symlink(dir.path().join("nowhere"), dir.path().join("new/deploy.md"))
        .expect("symlink");
    let out = run(preflight(dir.path())
        .args(["diff", "old", "new", "--format", "markdown"])
        .output());
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("new/deploy.md"));
}

/// Regression: `init` beside a `.gitignore` that is not UTF-8 stopped with "cannot write" after
/// writing `book.toml`, leaving a half-made book that a second `init` refused.
#[test]
fn init_completes_a_gitignore_that_is_not_utf8() {
    let dir = tempdir();
    write(dir.path(), ".gitignore", b"caf\xe9/\n");
    let output = run(preflight(dir.path()).args(["init"]).output());
    assert!(output.status.success(), "{output:?}");
    let ignore = std::fs::read(dir.path().join(".gitignore")).unwrap_or_default();
    assert!(ignore.starts_with(b"caf\xe9/\n"), "{ignore:?}");
    assert!(
        String::from_utf8_lossy(&ignore).contains("public"),
        "{ignore:?}"
    );
}

/// Regression: a checklist read from a pipe lost its first bytes (read once to look for front
/// matter, then again from where that read stopped): `# Deploy checklist` became a paragraph.
#[cfg(unix)]
#[test]
fn a_checklist_from_a_pipe_is_read_whole() {
    use std::io::Write;
    let dir = tempdir();
    let mut child = preflight(dir.path())
        .args(["export", "/dev/stdin"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(b"# Deploy checklist\n\n- [ ] Backup\n")
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let out = run(child.wait_with_output());
    let doc: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(doc["checklist"]["title"], "Deploy checklist");
    assert_eq!(doc["checklist"]["stats"]["tasks"], 1);
}

/// Regression: `--out static/site` published the site inside the next one, build after build.
#[test]
fn an_output_inside_a_published_folder_is_refused() {
    let dir = tempdir();
    write(dir.path(), "content/a.md", b"# A\n\n- [ ] a\n");
    write(dir.path(), "static/robots.txt", b"User-agent: *\n");
    let out = run(preflight(dir.path())
        .args(["build", "--out", "static/site", "-q"])
        .output());
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("must not be or hold the book's `static` folder"),
        "{stderr}"
    );
    assert!(!dir.path().join("static/site").exists());
    // A folder not made yet is no way round it.
    let out = run(preflight(dir.path())
        .args(["build", "--out", "themes/site", "-q"])
        .output());
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(!dir.path().join("themes").exists());
    // `export` may write into `static/`, to publish its JSON with the site.
    let out = run(preflight(dir.path())
        .args(["export", "--out", "static/api", "-q"])
        .output());
    assert_eq!(out.status.code(), Some(0), "{out:?}");
}

/// Regression: `-C deploy.md` said "no such file or folder" of a file that exists.
#[test]
fn a_file_given_as_the_book_folder_is_named_as_one() {
    let dir = tempdir();
    write(dir.path(), "deploy.md", b"# A\n\n- [ ] a\n");
    for command in ["check", "build", "diff"] {
        let mut args = vec!["-C", "deploy.md", command];
        if command == "diff" {
            args.push("HEAD");
        }
        let out = run(preflight(dir.path()).args(&args).output());
        assert_eq!(out.status.code(), Some(2), "{command}: {out:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("`deploy.md` is a file, not a folder"),
            "{command}: {stderr}"
        );
    }
}

/// Regression: two folders of one checklist each were always paired, so unrelated checklists
/// showed as one renamed. Two files given are still two versions of one.
#[test]
fn unrelated_checklists_in_two_folders_are_added_and_removed() {
    let dir = tempdir();
    write(
        dir.path(),
        "r1/deploy.md",
        b"# Deploy\n\n## Pre\n\n- [ ] Backup db\n- [ ] Notify team\n",
    );
    write(
        dir.path(),
        "r2/ship.md",
        b"# Totally different\n\n- [ ] Foo\n- [ ] Bar\n",
    );
    let out = run(preflight(dir.path())
        .args(["diff", "r1", "r2", "--format", "json"])
        .output());
    let doc: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(doc["summary"]["checklists_added"], 1, "{doc}");
    assert_eq!(doc["summary"]["checklists_removed"], 1, "{doc}");
    for args in [
        &["diff", "r1/deploy.md", "r2/ship.md"][..],
        &["-C", "r1", "diff", "deploy.md", "../r2/ship.md"],
    ] {
        let mut cmd = preflight(dir.path());
        cmd.args(args);
        let out = run(cmd.args(["--format", "json"]).output());
        let doc: serde_json::Value =
            serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(doc["summary"]["checklists_changed"], 1, "{args:?}: {doc}");
    }
}
