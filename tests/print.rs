//! Printable runbooks, through the real binary: every item, section title and sign-off role of
//! each example checklist is in its PDF, in order (read back with poppler's `pdftotext`);
//! typst and Markdown special characters print literally; `SOURCE_DATE_EPOCH` makes PDFs
//! byte-identical.

#![cfg(feature = "pdf")]

mod common;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{model_of, preflight, repo, run, tempdir, write};
use preflight::print::printable;

/// Prints the book at `root` into `out` with a fixed date and `threads` worker threads.
fn print(root: &Path, out: &Path, threads: &str) {
    let output = run(preflight(root)
        .args(["print", "-q", "--out"])
        .arg(out)
        .env("SOURCE_DATE_EPOCH", "0")
        .env("RAYON_NUM_THREADS", threads)
        .output());
    assert!(output.status.success(), "print failed: {output:?}");
}

/// The text of a PDF, white space collapsed.
fn pdf_text(pdf: &Path) -> String {
    let output = Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap_or_else(|e| panic!("cannot run pdftotext (Debian: poppler-utils): {e}"));
    assert!(output.status.success(), "pdftotext failed: {output:?}");
    String::from_utf8_lossy(&output.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn every_item_section_and_role_of_the_examples_is_printed_in_order() {
    let dir = tempdir();
    let out = dir.path().join("print");
    print(&repo(), &out, "2");
    for path in common::examples() {
        let c = model_of(&path);
        let text = pdf_text(&out.join(&c.id).join("runbook.pdf"));
        let mut at = 0;
        for (_, item) in c.walk_items() {
            let wanted = collapse(&printable(&item.text));
            if wanted.is_empty() {
                continue;
            }
            let found = text[at..].find(&wanted).unwrap_or_else(|| {
                panic!(
                    "{}: item {wanted:?} (line {}) is not printed after offset {at}",
                    c.id, item.line
                )
            });
            at += found + wanted.len();
        }
        for section in c.walk_sections() {
            let title = collapse(&printable(&section.title));
            assert!(
                text.contains(&title),
                "{}: section {title:?} is not printed",
                c.id
            );
        }
        let sheet = preflight::print::sheet(&c, &preflight::print::Imprint::default());
        for role in &sheet.roles {
            let tail = &text[text.rfind("Sign-off").unwrap_or(0)..];
            assert!(
                tail.contains(role.as_str()),
                "{}: role {role:?} is not on the sign-off sheet",
                c.id
            );
        }
    }
    assert!(out.join("runbook.pdf").is_file(), "no release pack");
}

#[test]
fn typst_and_markdown_syntax_prints_literally() {
    let dir = tempdir();
    let book = dir.path();
    let nasty = [
        r#"Set #set page(width: 1cm) and #panic("no")"#,
        r"Math $x^2$ and (parens) back\slash",
        r"Close ] brackets [ and } braces { and <label> @ref",
        r#"A "quoted" `raw` ~tilde~ _under_ and // not a comment"#,
        r"Typst #{ 1 + 1 } #let x = 1 = heading",
    ];
    let mut md = String::from("# Hostile #title $x$\n\n## Steps ] #set\n\n");
    for line in nasty {
        md.push_str("- [ ] ");
        md.push_str(
            &line
                .replace('`', "\\`")
                .replace('_', "\\_")
                .replace('~', "\\~"),
        );
        md.push('\n');
    }
    md.push_str("\n```sh\necho \"#set text(red)\" $HOME ]\n```\n");
    write(book, "content/hostile.md", md.as_bytes());
    let out = book.join("out");
    print(book, &out, "1");
    let text = pdf_text(&out.join("hostile/runbook.pdf"));
    for line in nasty {
        assert!(
            text.contains(&collapse(line)),
            "{line:?} is not printed literally in:\n{text}"
        );
    }
    assert!(text.contains("Hostile #title $x$"), "{text}");
    assert!(text.contains("echo \"#set text(red)\" $HOME ]"), "{text}");
}

#[test]
fn raw_html_prints_as_its_text_and_leading_check_marks_are_not_done() {
    let md = "# PR\n\n## Checks\n\n<!-- Tick the boxes that apply -->\n\n<details>\n<summary>Adding a <b>new</b> page?</summary>\n\n- [ ] ✅ `npm run quality` passes\n\n</details>\n";
    let sheet = preflight::print::sheet(&common::model(md), &preflight::print::Imprint::default());
    let json = serde_json::to_string(&sheet).unwrap_or_default();
    for raw in [
        "<!--",
        "Tick the boxes",
        "<details",
        "summary>",
        "</details>",
        "Done",
        "✓",
    ] {
        assert!(!json.contains(raw), "{raw:?} is printed: {json}");
    }
    assert!(json.contains("Adding a new page?"), "{json}");
    assert!(json.contains("npm run quality passes"), "{json}");
}

#[test]
fn steps_print_their_number_alone_and_durations_once() {
    let dir = tempdir();
    let book = dir.path();
    let md = "# Release\n\n- [ ] Before any heading\n\n## Deploy\n\n1. Notify stakeholders\n2. Run smoke tests (5 min)\n\n- [ ] Tag the release\n";
    write(book, "content/release.md", md.as_bytes());
    let out = book.join("out");
    print(book, &out, "1");
    let text = pdf_text(&out.join("release/runbook.pdf"));
    // Steps are numbered, not bulleted (the number sits in the column a bullet would).
    assert!(!text.contains('•'), "{text}");
    assert!(
        text.contains("1.") && text.contains("Notify stakeholders"),
        "{text}"
    );
    assert_eq!(text.matches("5 min").count(), 1, "{text}");
    let site = book.join("site");
    let output = run(preflight(book)
        .args(["build", "-q", "--out"])
        .arg(&site)
        .output());
    assert!(output.status.success(), "{output:?}");
    let page =
        std::fs::read_to_string(site.join("current/release/print/index.html")).unwrap_or_default();
    assert!(
        page.contains(r#"<span class="bullet number">1.</span><span class="text">Notify"#),
        "{page}"
    );
    assert_eq!(page.matches("(5 min)").count(), 1, "{page}");
    // The tasks before the first heading have the column heads too.
    assert_eq!(page.matches(r#"<div class="heads""#).count(), 2, "{page}");
}

/// Regression: print dropped section numbers that the text refers to ("see section 3"), and a
/// checksum or a table cell's URL ran off the PDF's page, its end lost.
#[test]
fn section_numbers_and_long_tokens_print_whole() {
    let dir = tempdir();
    let book = dir.path();
    let hash = "9d50551afe62".repeat(11);
    let md = format!(
        "# Drill\n\n## 3. Verify\n\n- [ ] Check the checksum is {hash}\n\n| A | B | C | D | E | F | G |\n|---|---|---|---|---|---|---|\n| a | payments-oncall-primary@example.com | https://grafana.example.com/d/abc123/payments | d | e | f | g |\n"
    );
    write(book, "content/drill.md", md.as_bytes());
    let out = book.join("out");
    print(book, &out, "1");
    let text = pdf_text(&out.join("drill/runbook.pdf"));
    assert!(text.contains("3. Verify"), "{text}");
    // Lines break inside the long tokens instead of cutting them at the page's edge.
    let joined: String = text.replace('\u{200b}', "").split(' ').collect();
    assert!(joined.contains(&hash), "{text}");
    assert!(
        joined.contains("https://grafana.example.com/d/abc123/payments"),
        "{text}"
    );
}

#[test]
fn roles_come_from_lines_to_sign_that_name_a_role() {
    let md = "# Go-live\n\n## Deploy\n\n**Deployment Coordinator**: ______ Date: ____\n**Ticket**: ______\n\n## Final Sign-Off\n\n**CTO**: ________ Date/Time: ____\n\n**Deployed By**: Alice\n\n- VP Engineering Approval: ________ Date: ____\n- Date/Time: ________\n\n**Approver Name**: ____\n**Approver Signature**: ____\n";
    let sheet = preflight::print::sheet(&common::model(md), &preflight::print::Imprint::default());
    assert!(sheet.roles_named);
    assert_eq!(
        sheet.roles,
        [
            "Deployment Coordinator",
            "CTO",
            "Deployed By",
            "VP Engineering",
            "Approver"
        ]
    );
}

#[test]
fn a_word_of_thousands_of_accented_letters_prints() {
    let dir = tempdir();
    let book = dir.path();
    let word = "é".repeat(33_000);
    let md = format!("# Long\n\n- [ ] {word}\n\n```\n{word}\n```\n");
    write(book, "content/long.md", md.as_bytes());
    let out = book.join("out");
    print(book, &out, "1");
    // The text flows over several pages instead of being cut at the first one.
    let text = pdf_text(&out.join("long/runbook.pdf"));
    assert!(text.matches('é').count() >= 33_000, "{}", text.len());
}

#[test]
fn pdfs_are_byte_identical_with_source_date_epoch() {
    let dir = tempdir();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    print(&repo(), &a, "1");
    print(&repo(), &b, "2");
    for path in common::examples() {
        let id = model_of(&path).id;
        let (x, y) = (
            a.join(&id).join("runbook.pdf"),
            b.join(&id).join("runbook.pdf"),
        );
        let (x, y) = (
            std::fs::read(x).unwrap_or_default(),
            std::fs::read(y).unwrap_or_default(),
        );
        assert!(!x.is_empty() && x == y, "{id}: PDFs differ between runs");
    }
    let pack = |d: &Path| std::fs::read(d.join("runbook.pdf")).unwrap_or_default();
    assert_eq!(pack(&a), pack(&b));
}

/// A book of checklists `names` (each a `## Steps` section holding `steps`, where `{name}` is
/// the checklist's name) with `book_toml`, printed into `print/`: the book, that folder and
/// the run, which succeeded.
fn printed_book(
    book_toml: &[u8],
    names: &[&str],
    steps: &str,
) -> (tempfile::TempDir, PathBuf, std::process::Output) {
    let dir = tempdir();
    write(dir.path(), "book.toml", book_toml);
    for name in names {
        let body = steps.replace("{name}", name);
        write(
            dir.path(),
            &format!("content/{name}.md"),
            format!("# {name}\n\n## Steps\n\n{body}\n").as_bytes(),
        );
    }
    let out = dir.path().join("print");
    let output = run(preflight(dir.path())
        .args(["print", "--out"])
        .arg(&out)
        .output());
    assert!(output.status.success(), "{output:?}");
    (dir, out, output)
}

/// Regression: with `pdf = false` there was no pack print page and no "Print all" link,
/// though print pages are made either way.
#[test]
fn a_pack_print_page_is_made_without_pdfs() {
    let (dir, out, _) = printed_book(
        b"[book]\ntitle = \"T\"\n\n[print]\npdf = false\n",
        &["a", "b"],
        "- [ ] Step of {name}",
    );
    let pack = std::fs::read_to_string(out.join("index.html")).expect("pack page");
    assert!(
        pack.contains("Step of a") && pack.contains("Step of b"),
        "{pack}"
    );
    assert!(!pack.contains("runbook.pdf"), "no PDF to link to");
    let site = dir.path().join("site");
    let output = run(preflight(dir.path())
        .args(["build", "-q", "--out"])
        .arg(&site)
        .output());
    assert!(output.status.success(), "{output:?}");
    assert!(site.join("current/print/index.html").exists());
    let dashboard = std::fs::read_to_string(site.join("current/index.html")).unwrap_or_default();
    assert!(dashboard.contains("Print all"), "{dashboard}");
    // Past ten times `pack-max-rows`, no pack page, no link, and a note.
    write(
        dir.path(),
        "book.toml",
        b"[book]\ntitle = \"T\"\n\n[print]\npdf = false\npack-max-rows = 0\n",
    );
    let output = run(preflight(dir.path())
        .args(["build", "--out"])
        .arg(&site)
        .output());
    assert!(output.status.success(), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("no print page of all its checklists"),
        "{stderr}"
    );
    assert!(!site.join("current/print/index.html").exists());
    let dashboard = std::fs::read_to_string(site.join("current/index.html")).unwrap_or_default();
    assert!(!dashboard.contains("Print all"), "{dashboard}");
}

/// Regression: the release pack's PDF typeset every checklist of the book at once, which for
/// a book of hundreds of checklists took gigabytes and minutes; above `pack-max-rows` only its
/// print page is made, and a note says so.
#[test]
fn a_pack_over_its_row_limit_gets_no_pdf_and_a_note() {
    let (dir, out, output) = printed_book(
        b"[book]\ntitle = \"T\"\n\n[print]\npack-max-rows = 200\n",
        &["a", "b", "c"],
        "- [ ] One\n- [ ] Two",
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("`print.pack-max-rows` (200)"), "{stderr}");
    assert!(stderr.contains("(3 PDFs)"), "{stderr}");
    assert!(!out.join("runbook.pdf").exists());
    assert!(out.join("a/runbook.pdf").exists());
    let pack = std::fs::read_to_string(out.join("index.html")).expect("pack page");
    assert!(
        pack.contains(">One<") && !pack.contains("runbook.pdf"),
        "{pack}"
    );
    // Under the limit, the pack has its PDF.
    write(dir.path(), "book.toml", b"[book]\ntitle = \"T\"\n");
    let output = run(preflight(dir.path())
        .args(["print", "-q", "--out"])
        .arg(&out)
        .output());
    assert!(output.status.success(), "{output:?}");
    assert!(out.join("runbook.pdf").exists());
}

/// The names of the fonts a PDF embeds, read back with poppler's `pdffonts`.
fn pdf_fonts(pdf: &Path) -> String {
    let output = Command::new("pdffonts")
        .arg(pdf)
        .output()
        .unwrap_or_else(|e| panic!("cannot run pdffonts (Debian: poppler-utils): {e}"));
    assert!(output.status.success(), "pdffonts failed: {output:?}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Regression: text the built-in fonts lack (here Armenian, which the system's `DejaVu` Sans
/// has) printed as empty boxes; now it is set in a system font, a character no font has is
/// named in a note, and a PDF of Latin text still uses the built-in fonts alone.
#[test]
fn text_the_built_in_fonts_lack_is_set_in_a_system_font() {
    let armenian = "Բարեւ";
    let (_dir, out, output) = printed_book(
        b"[book]\ntitle = \"T\"\n",
        &["armenian"],
        &format!("- [ ] Check {{name}}: {armenian} \u{10600}"),
    );
    let fonts = pdf_fonts(&out.join("armenian/runbook.pdf"));
    assert!(fonts.contains("+DejaVuSans "), "{fonts}");
    assert!(pdf_text(&out.join("armenian/runbook.pdf")).contains(armenian));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("no font has \u{10600} (U+10600),"),
        "{stderr}"
    );
    assert!(!stderr.contains("U+0532"), "{stderr}");
    let (_dir, out, output) = printed_book(
        b"[book]\ntitle = \"T\"\n",
        &["latin"],
        "- [ ] Vérifier « {name} » — ½ ✓",
    );
    let fonts = pdf_fonts(&out.join("latin/runbook.pdf"));
    assert!(!fonts.contains("+DejaVuSans "), "{fonts}");
    assert!(fonts.contains("LibertinusSerif"), "{fonts}");
    assert!(!String::from_utf8_lossy(&output.stderr).contains("no font"));
}

/// The boxes of the words of a PDF (page, x min, y min, x max, y max, word), read back with
/// poppler's `pdftotext -bbox`.
fn pdf_words(pdf: &Path) -> Vec<(usize, [f64; 4], String)> {
    let output = Command::new("pdftotext")
        .args(["-bbox"])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap_or_else(|e| panic!("cannot run pdftotext (Debian: poppler-utils): {e}"));
    assert!(output.status.success(), "pdftotext failed: {output:?}");
    let xml = String::from_utf8_lossy(&output.stdout);
    let number = |tag: &str, key: &str| -> f64 {
        let at = tag
            .find(&format!("{key}=\""))
            .map_or(0, |i| i + key.len() + 2);
        tag[at..]
            .split('"')
            .next()
            .and_then(|v| v.parse().ok())
            .unwrap_or(f64::NAN)
    };
    let mut page = 0;
    xml.lines()
        .filter_map(|line| {
            let line = line.trim();
            if line.starts_with("<page ") {
                page += 1;
            }
            let (tag, rest) = line.strip_prefix("<word ")?.split_once('>')?;
            let word = rest.strip_suffix("</word>")?.to_owned();
            let edges = ["xMin", "yMin", "xMax", "yMax"].map(|key| number(tag, key));
            Some((page, edges, word))
        })
        .collect()
}

/// Regression: in a table of twelve columns, addresses and instance ids wider than their
/// column ran into the next cell and printed over its text.
#[test]
fn words_of_a_wide_table_never_print_over_each_other() {
    let dir = tempdir();
    let header = "| Host | Private IP | Public IP | Role | AZ | Instance | Image | Port | Status | Owner | Checked by | Time |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n";
    let mut rows = String::new();
    for i in 0..3 {
        let _ = writeln!(
            rows,
            "| db-replica-0{i} | 10.120.130.14{i} | 203.0.113.14{i} | replica | eu-west-1a | i-0123456789a{i} | ami-0abc1234d{i} | 5432 | ready | dba-oncall | | |"
        );
    }
    write(
        dir.path(),
        "content/hosts.md",
        format!("# Hosts\n\n## Steps\n\n- [ ] Drain every host\n\n{header}{rows}").as_bytes(),
    );
    let out = dir.path().join("print");
    print(dir.path(), &out, "1");
    let words = pdf_words(&out.join("hosts/runbook.pdf"));
    let text: String = words.iter().map(|w| w.2.replace('\u{200b}', "")).collect();
    assert!(text.contains("10.120.130.142"), "{text}");
    assert_apart(&words);
}

/// Asserts that no two words of a page print over each other.
fn assert_apart(words: &[(usize, [f64; 4], String)]) {
    for (i, (page, a, word)) in words.iter().enumerate() {
        for (_, b, other) in words[i + 1..].iter().filter(|w| w.0 == *page) {
            let overlap_x = a[2].min(b[2]) - a[0].max(b[0]);
            let overlap_y = a[3].min(b[3]) - a[1].max(b[1]);
            assert!(
                overlap_x < 0.5 || overlap_y < 0.5,
                "{word} and {other} print over each other"
            );
        }
    }
}

/// Regression: a table of forty columns printed its letters over each other, past the margin;
/// a table too wide for the page prints each row as a record of its cells under their headers.
#[test]
fn a_table_too_wide_for_the_page_prints_as_records() {
    let n = 40;
    let header = (1..=n).fold(String::new(), |mut s, i| {
        let _ = write!(s, "| C{i} ");
        s
    });
    let rule = "|---".repeat(n);
    let rows = (0..2).fold(String::new(), |mut s, r| {
        for i in 1..=n {
            let _ = write!(s, "| r{r}c{i} ");
        }
        s.push_str("|\n");
        s
    });
    let (_dir, out, _) = printed_book(
        b"[book]\ntitle = \"T\"\n",
        &["wide"],
        &format!("- [ ] Drain {{name}}\n\n{header}|\n{rule}|\n{rows}"),
    );
    let words = pdf_words(&out.join("wide/runbook.pdf"));
    let all: Vec<&str> = words.iter().map(|w| w.2.as_str()).collect();
    for cell in ["C1", "C40", "r0c1", "r1c40"] {
        assert!(all.contains(&cell), "{cell} missing: {all:?}");
    }
    assert_apart(&words);
    let page_width = 595.0;
    assert!(
        words.iter().all(|w| w.1[2] < page_width - 30.0),
        "a word past the margin"
    );
}

/// Regression: a checklist of tens of thousands of rows (here a table of twenty, each row
/// counted) took gigabytes to typeset; past `pack-max-rows` it gets its print page, without a
/// PDF or a link to one, and a note.
#[test]
fn a_checklist_over_the_row_limit_gets_no_pdf_and_a_note() {
    let steps: String = (0..20).fold(
        String::from("- [ ] Drain the hosts\n\n| Host | Step |\n|---|---|\n"),
        |mut steps, i| {
            let _ = writeln!(steps, "| host-{i} | Step {i} |");
            steps
        },
    );
    let (_dir, out, output) = printed_book(
        b"[book]\ntitle = \"T\"\n\n[print]\npack-max-rows = 8\n",
        &["long"],
        &steps,
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("no PDF of long, longer than `print.pack-max-rows` (8)"),
        "{stderr}"
    );
    assert!(stderr.contains("(0 PDFs)"), "{stderr}");
    assert!(!out.join("long/runbook.pdf").exists());
    let page = std::fs::read_to_string(out.join("long/index.html")).unwrap_or_default();
    assert!(
        page.contains("Step 19") && !page.contains("runbook.pdf"),
        "{page}"
    );
}

/// Bold, italics, struck-out text and inline code print as written, in the PDF and on the print
/// page; a checklist without italics embeds no italic font.
#[test]
fn bold_italics_and_strikes_print_as_written() {
    let (_dir, out, _) = printed_book(
        b"[book]\ntitle = \"T\"\n",
        &["styled", "plain"],
        "- [ ] **Do not** restart the *primary* of {name} before ~~noon~~ `14:00`",
    );
    let page = std::fs::read_to_string(out.join("styled/index.html")).expect("print page");
    assert!(
        page.contains("<strong>Do not</strong> restart the <em>primary</em> of styled before <del>noon</del> <code>14:00</code>"),
        "{page}"
    );
    let fonts = pdf_fonts(&out.join("styled/runbook.pdf"));
    assert!(fonts.contains("LibertinusSerif-Italic"), "{fonts}");
    let (_dir, out, _) = printed_book(
        b"[book]\ntitle = \"T\"\n",
        &["plain"],
        "- [ ] Restart {name}",
    );
    let fonts = pdf_fonts(&out.join("plain/runbook.pdf"));
    assert!(!fonts.contains("Italic"), "{fonts}");
}

/// Regression: an item with sub-items could end a page, its sub-items starting the next one.
#[test]
fn an_item_never_ends_a_page_apart_from_its_sub_items() {
    let steps: String = (0..70).fold(String::new(), |mut s, n| {
        let _ = writeln!(s, "- [ ] Parent {n}");
        for k in 0..=(n % 3 + n % 4) {
            let _ = writeln!(s, "  - [ ] child {n}.{k}");
        }
        s
    });
    let (_dir, out, _) = printed_book(b"[book]\ntitle = \"T\"\n", &["nested"], &steps);
    let output = Command::new("pdftotext")
        .args(["-layout"])
        .arg(out.join("nested/runbook.pdf"))
        .arg("-")
        .output()
        .expect("pdftotext");
    let text = String::from_utf8_lossy(&output.stdout);
    let pages: Vec<&str> = text.split('\u{c}').collect();
    assert!(pages.len() > 4, "{} pages", pages.len());
    for (n, page) in pages.iter().enumerate() {
        let last = page
            .lines()
            .rfind(|l| l.contains("Parent") || l.contains("child"));
        if let Some(last) = last {
            assert!(
                !last.contains("Parent") || last.contains("Parent 69"),
                "page {} ends with {last:?}",
                n + 1
            );
        }
    }
}

/// Regression: Arabic and Hebrew, which among the built-in fonts only the code font has, were
/// set in it, letters spaced apart as code; they take a system font for prose now.
#[test]
fn right_to_left_prose_is_not_set_in_the_code_font() {
    let (_dir, out, _) = printed_book(
        b"[book]\ntitle = \"T\"\n",
        &["rtl"],
        "- [ ] تحقق من النسخ الاحتياطي {name}\n- [ ] בדוק את הגיבוי",
    );
    let fonts = pdf_fonts(&out.join("rtl/runbook.pdf"));
    assert!(fonts.contains("+DejaVuSans "), "{fonts}");
    assert!(!fonts.contains("DejaVuSansMono"), "{fonts}");
}
