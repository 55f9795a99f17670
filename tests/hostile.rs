//! Hostile input: every kind of bad or adversarial file, generated at test time, goes through the
//! whole pipeline (and the real binary) with its documented outcome: no panic, no hang, a clear
//! diagnostic with file and line, time linear in the input (a quadrupling check) and bounded memory.

mod common;

use common::hostile::{
    brackets, codes, emphasis, everything, indented, long_line, nested, quotes, stars, tasks,
};
use common::{preflight, run, tempdir, write};
use preflight::{diff, pipeline};

#[test]
fn deep_nesting_is_flattened_with_a_diagnostic() {
    for bytes in [nested(10_000), quotes(10_000), indented(1_000)] {
        let loaded = everything(&bytes);
        assert!(
            codes(&loaded).contains(&"nesting-too-deep"),
            "{:?}",
            codes(&loaded)
        );
    }
}

#[test]
fn runs_of_brackets_stars_and_emphasis_finish() {
    for bytes in [brackets(100_000), stars(100_000), emphasis(20_000)] {
        let loaded = everything(&bytes);
        assert!(!loaded.checklist.title.is_empty());
    }
}

#[test]
fn a_5_mb_line_finishes() {
    let loaded = everything(&long_line(5 * 1024 * 1024));
    assert_eq!(loaded.checklist.stats.tasks, 1);
}

#[test]
fn a_million_tasks_are_all_read() {
    let loaded = everything(&tasks(1_000_000));
    assert_eq!(loaded.checklist.stats.tasks, 1_000_000);
}

#[test]
fn encodings_line_endings_and_nul_bytes() {
    let cases: &[(&[u8], &str)] = &[
        (b"\xEF\xBB\xBF# BOM\n\n- [ ] task\n", ""),
        (b"# CRLF\r\n\r\n- [ ] one\r\n- [ ] two\r\n", ""),
        (b"# CR\r\r- [ ] one\r- [ ] two\r", ""),
        (b"# NUL\n\n- [ ] a\0b\n", ""),
        (b"# Latin\n\n- [ ] caf\xe9\n", "invalid-utf8"),
        (b"\xFF\xFE#\0 \0U\0\n\0", "encoding"),
    ];
    for (bytes, code) in cases {
        let loaded = everything(bytes);
        if !code.is_empty() {
            assert!(
                codes(&loaded).contains(code),
                "{:?}: {:?}",
                bytes,
                codes(&loaded)
            );
        }
    }
    let crlf = everything(b"# CRLF\r\n\r\n- [ ] one\r\n- [ ] two\r\n");
    assert_eq!(crlf.checklist.stats.tasks, 2);
    let cr = everything(b"# CR\r\r- [ ] one\r- [ ] two\r");
    assert_eq!(cr.checklist.stats.tasks, 2);
}

#[test]
fn hostile_front_matter_is_located() {
    let cases: &[&str] = &[
        "---\na: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e]\n---\n# Bomb\n",
        "---\ntitle: a\ntitle: b\n---\n# Dup\n",
        "---\ntitle: [1, 2]\ntags: {a: b}\nphase: nowhere\n---\n# Types\n",
        "---\n: : :\n---\n# Broken\n",
        "---\ntitle: never closed\n# Heading\n",
    ];
    for text in cases {
        let loaded = everything(text.as_bytes());
        let d = loaded
            .checklist
            .diagnostics
            .iter()
            .find(|d| d.code == "front-matter");
        assert!(
            d.is_some_and(|d| d.line >= 1),
            "{text}: {:?}",
            codes(&loaded)
        );
    }
}

#[test]
fn hostile_code_fence_languages_stay_text() {
    let text = "# Fences\n\n```\"><script>alert(1)</script>\necho hi\n```\n\n```../../etc/passwd\nx\n```\n\n```".to_owned()
        + &"a".repeat(100_000)
        + "\ny\n```\n";
    let loaded = everything(text.as_bytes());
    assert_eq!(loaded.checklist.stats.code_blocks, 3);
    // The language is kept as text (templates escape it) and never selects a grammar.
    let html =
        preflight::site::highlight::code_html(Some("\"><script>alert(1)</script>"), "echo hi\n");
    assert_eq!(html, "echo hi\n");
}

/// A book of hostile files, built and checked by the real binary.
#[test]
fn the_binary_builds_a_hostile_book_and_reports_each_file() {
    let dir = tempdir();
    let root = dir.path();
    write(root, "content/script.md", b"# <script>alert(1)</script>\n\n- [ ] <img src=x onerror=alert(1)> [x](javascript:alert(1))\n");
    write(root, "content/nul.md", b"# NUL\0\n\n- [ ] a\0\n");
    write(root, "content/deep.md", &nested(3_000));
    write(
        root,
        "content/fence.md",
        b"# Fence\n\n```\"><script>alert(1)</script>\necho hi\n```\n",
    );
    write(root, "content/latin1.md", b"# Caf\xe9\n");
    write(
        root,
        "content/bidi.md",
        "# Bidi\n\n- [ ] run `ls \u{202e}txt.exe`\n".as_bytes(),
    );
    // A file over the size limit, made sparse so the test stays cheap.
    let huge = root.join("content/huge.md");
    let file = std::fs::File::create(&huge).unwrap_or_else(|e| panic!("{e}"));
    file.set_len(65 * 1024 * 1024)
        .unwrap_or_else(|e| panic!("{e}"));
    // A symlink loop.
    #[cfg(unix)]
    {
        let _ = std::os::unix::fs::symlink(root.join("content/loop"), root.join("content/loop"));
        let _ = std::os::unix::fs::symlink(root.join("content"), root.join("content/self"));
        let _ =
            std::os::unix::fs::symlink(root.join("nowhere.md"), root.join("content/dangling.md"));
        // Broken links that cannot be checklists: a text file's, an editor's lock file.
        let _ =
            std::os::unix::fs::symlink(root.join("nowhere.txt"), root.join("content/notes.txt"));
        let _ = std::os::unix::fs::symlink("user@host.1234", root.join("content/.#deploy.md"));
        write(root, "content/locked.md", b"# Locked\n");
        let locked = root.join("content/locked.md");
        let _ = std::fs::set_permissions(
            &locked,
            <std::fs::Permissions as std::os::unix::fs::PermissionsExt>::from_mode(0o000),
        );
    }
    let out = root.join("site");
    let build = run(preflight(root)
        .args(["build", "-q", "--out"])
        .arg(&out)
        .output());
    let stderr = String::from_utf8_lossy(&build.stderr);
    assert_eq!(build.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("huge.md") && stderr.contains("over the limit"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    #[cfg(unix)]
    {
        assert!(stderr.contains("symlink loop"), "{stderr}");
        assert!(stderr.contains("dangling.md"), "{stderr}");
        assert!(
            !stderr.contains("notes.txt") && !stderr.contains(".#deploy"),
            "{stderr}"
        );
        // Root reads any file; anyone else gets a message naming the locked one.
        if std::fs::read(root.join("content/locked.md")).is_err() {
            assert!(
                stderr.contains("locked.md") && stderr.contains("cannot read"),
                "{stderr}"
            );
        }
    }
    for page in ["script", "nul", "deep", "latin1", "bidi", "fence"] {
        assert!(
            out.join(format!("current/{page}/index.html")).is_file(),
            "{page} missing"
        );
    }
    let page = std::fs::read_to_string(out.join("current/script/index.html")).unwrap_or_default();
    assert!(
        !page.contains("<script>alert")
            && !page.contains("onerror=")
            && !page.contains("javascript:")
    );
    let check = run(preflight(root).args(["check"]).output());
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert!(
        stdout.contains("content/latin1.md:1:6: error[invalid-utf8]"),
        "{stdout}"
    );
    assert!(stdout.contains("content/bidi.md:3:"), "{stdout}");
    assert!(stdout.contains("nesting-too-deep"), "{stdout}");
}

#[test]
fn a_million_tasks_stay_in_bounded_memory() {
    let dir = tempdir();
    write(dir.path(), "content/many.md", &tasks(1_000_000));
    let output = run(preflight(dir.path())
        .args(["export", "--out", "json", "-q"])
        .output());
    assert!(output.status.success(), "{output:?}");
    let usage = nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_CHILDREN)
        .unwrap_or_else(|e| panic!("{e}"));
    // The input is 17 MB; the model of a million items, its JSON and the peak of both stay
    // well under 2 GiB (the measure covers every child this test process has run).
    assert!(
        usage.max_rss() < 2 * 1024 * 1024,
        "peak RSS {} KiB",
        usage.max_rss()
    );
}

/// `preflight diff`'s engine on hostile inputs: each against itself has no changes, and against
/// a variant with one reworded line finds it. None of this may hang or overflow the stack.
#[test]
fn diffs_of_hostile_inputs_finish() {
    let same_text = |n: usize| {
        let mut s = String::from("# Same\n\n## Steps\n\n");
        s.push_str(&"- [ ] Check\n".repeat(n));
        s.into_bytes()
    };
    let inputs: Vec<(&str, Vec<u8>)> = vec![
        ("nested", nested(20_000)),
        ("quotes", quotes(20_000)),
        ("long line", long_line(2 * 1024 * 1024)),
        ("tasks", tasks(100_000)),
        ("same text", same_text(20_000)),
    ];
    for (name, bytes) in inputs {
        let old = pipeline::from_bytes("content/x.md", "x", &bytes).checklist;
        let doc = diff::diff(
            "a",
            "b",
            std::slice::from_ref(&old),
            std::slice::from_ref(&old),
        );
        assert!(!doc.summary.has_changes(), "{name}: itself");
        let mut variant = bytes.clone();
        variant.extend_from_slice(b"\n- [ ] Check the new last step twice\n");
        let new = pipeline::from_bytes("content/x.md", "x", &variant).checklist;
        let doc = diff::diff("a", "b", &[old], &[new]);
        assert!(doc.summary.has_changes(), "{name}: variant");
        assert_eq!(doc.summary.items_removed, 0, "{name}: {:?}", doc.summary);
    }
}

/// Regression: a device named on the command line (`/dev/zero`) was read until memory ran out;
/// reading stops past the size limit.
#[cfg(target_os = "linux")]
#[test]
fn an_endless_file_is_read_only_up_to_the_limit() {
    let dir = tempdir();
    let output = run(preflight(dir.path()).args(["check", "/dev/zero"]).output());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("`/dev/zero`: cannot read: file is over the limit"),
        "{stderr}"
    );
}

/// Regression: one file named in two spellings was checked (and fixed, racing itself) twice.
#[test]
fn one_file_named_twice_is_read_once() {
    let dir = tempdir();
    write(dir.path(), "a.md", b"# A\n\n-[ ] x\n");
    let output = run(preflight(dir.path())
        .args(["check", "--fix", "a.md", "./a.md", "."])
        .output());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("checked 1 file"), "{stderr}");
    let fixed = std::fs::read_to_string(dir.path().join("a.md")).unwrap_or_default();
    assert_eq!(fixed, "# A\n\n- [ ] x\n");
}

/// Regression: a link named `env.md` to a file outside the book (`/proc/self/environ`) was read
/// and published, and links fanning out to one folder made the walk exponential (24 levels of
/// two links each: 2^25 files).
#[cfg(unix)]
#[test]
fn links_out_of_the_book_are_refused_and_shared_folders_walked_once() {
    use std::os::unix::fs::symlink;
    let dir = tempdir();
    let elsewhere = tempdir();
    write(
        elsewhere.path(),
        "secret.md",
        b"# Secret\n\n- [ ] TOKEN=hunter2\n",
    );
    write(dir.path(), "book.toml", b"[book]\ntitle = \"T\"\n");
    write(dir.path(), "content/a.md", b"# A\n\n- [ ] x\n");
    let content = dir.path().join("content");
    symlink(elsewhere.path().join("secret.md"), content.join("env.md")).expect("symlink");
    for level in 0..24 {
        let here = content.join(format!("d{level}"));
        std::fs::create_dir_all(&here).expect("folder");
        for name in ["a", "b"] {
            symlink(format!("../d{}", level + 1), here.join(name)).expect("symlink");
        }
    }
    write(&content, "d24/leaf.md", b"# Leaf\n\n- [ ] y\n");
    let output = run(preflight(dir.path()).args(["export"]).output());
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(!stdout.contains("hunter2"), "{stdout}");
    assert!(
        stderr.contains("`content/env.md`: the link leads to"),
        "{stderr}"
    );
    // Each folder once: the two checklists, not millions of copies.
    assert_eq!(stdout.matches("\"checklist\"").count(), 2, "{stdout}");
}

/// A link to a folder inside the content folder is not followed (the folder is read under its
/// own name, so ids never depend on a link's name); a link out of the book to a folder without
/// Markdown is no error; a content folder configured outside the book is read.
#[cfg(unix)]
#[test]
fn links_inside_the_book_keep_real_names_and_configured_folders_are_read() {
    use std::os::unix::fs::symlink;
    let dir = tempdir();
    let book = dir.path().join("book");
    write(&book, "content/releases/v2/deploy.md", b"# D\n\n- [ ] x\n");
    symlink("releases/v2", book.join("content/current")).expect("symlink");
    write(dir.path(), "images/logo.png", b"png");
    symlink(dir.path().join("images"), book.join("content/img")).expect("symlink");
    let output = run(preflight(&book).args(["export"]).output());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{output:?}");
    assert!(stdout.contains("\"id\":\"releases/v2/deploy\""), "{stdout}");
    assert!(!stdout.contains("current/deploy"), "{stdout}");
    write(dir.path(), "runbooks/r.md", b"# R\n\n- [ ] r\n");
    write(&book, "book.toml", b"[build]\ncontent = \"../runbooks\"\n");
    let output = run(preflight(&book).args(["export"]).output());
    assert!(output.status.success(), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stdout).contains("\"id\":\"r\""));
}

/// Regression: `export json/mine.md --out json` replaced the output folder `json` and deleted
/// the checklist it had just read; `print` did the same. The output must not hold an input.
#[test]
fn an_output_folder_holding_an_input_is_refused() {
    let dir = tempdir();
    write(dir.path(), "book.toml", b"[book]\ntitle = \"T\"\n");
    write(dir.path(), "mine.md", b"# M\n\n- [ ] x\n");
    let made = run(preflight(dir.path())
        .args(["export", "mine.md", "--out", "json", "-q"])
        .output());
    assert!(made.status.success(), "{made:?}");
    std::fs::copy(dir.path().join("mine.md"), dir.path().join("json/mine.md")).expect("copy");
    for command in ["export", "print"] {
        let output = run(preflight(dir.path())
            .args([command, "json/mine.md", "--out", "json"])
            .output());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{command}: {stderr}");
        assert!(stderr.contains("holds the input"), "{command}: {stderr}");
        assert!(
            dir.path().join("json/mine.md").is_file(),
            "{command} deleted the input"
        );
    }
}

/// Regression: a release folder (`[releases] folders`) inside the site's output folder was
/// read, then deleted with the old site, with exit code 0.
#[test]
fn a_release_folder_inside_the_output_is_refused() {
    let dir = tempdir();
    write(dir.path(), "book.toml", b"[book]\ntitle = \"T\"\n");
    write(dir.path(), "content/d.md", b"# D\n\n- [ ] x\n");
    let made = run(preflight(dir.path()).args(["build", "-q"]).output());
    assert!(made.status.success(), "{made:?}");
    write(dir.path(), "public/archive/d.md", b"# D\n\n- [ ] old\n");
    write(dir.path(), "public/archive/NOTES.md", b"precious\n");
    write(
        dir.path(),
        "book.toml",
        b"[book]\ntitle = \"T\"\n\n[releases]\nfolders = [{ name = \"old\", path = \"public/archive\" }]\n",
    );
    let output = run(preflight(dir.path()).args(["build"]).output());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("folder of release `old`"), "{stderr}");
    assert!(dir.path().join("public/archive/NOTES.md").is_file());
}

/// Regression: a named pipe that nobody writes to (`mkfifo content/fifo.md`) made `check` wait
/// for ever; it reads as empty.
#[cfg(unix)]
#[test]
fn a_named_pipe_without_a_writer_does_not_hang() {
    let dir = tempdir();
    write(dir.path(), "book.toml", b"[book]\ntitle = \"T\"\n");
    write(dir.path(), "content/ok.md", b"# OK\n\n- [ ] x\n");
    let fifo = dir.path().join("content/fifo.md");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo failed");
    let mut child = preflight(dir.path())
        .args(["check", "content/fifo.md", "content/ok.md"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let start = std::time::Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if start.elapsed() > std::time::Duration::from_secs(60) {
            let _ = child.kill();
            panic!("check of a named pipe did not finish");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let output = child.wait_with_output().expect("output");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("checked 2 files"), "{stderr}");
}

/// Regression: `init` into a folder whose `content` is a file wrote `book.toml`, then failed,
/// leaving half a book; it now checks first and writes nothing.
#[test]
fn init_writes_nothing_when_a_folder_it_needs_is_a_file() {
    let dir = tempdir();
    write(dir.path(), "e/content", b"not a folder\n");
    let output = run(preflight(dir.path()).args(["init", "e"]).output());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("exists and is not a folder"), "{stderr}");
    assert!(!dir.path().join("e/book.toml").exists());
}
