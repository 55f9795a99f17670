//! A deterministic generator of checklists shaped like the example book: metadata lines,
//! decorated and counted headings, nested tasks, times, code blocks, env templates, tables,
//! sign-off fields, placeholders and some mojibake.

use std::fmt::Write as _;
use std::path::Path;

/// A small linear congruential generator: deterministic on every platform.
pub(crate) struct Rng(u64);

impl Rng {
    /// A generator seeded with `seed`.
    #[must_use]
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1))
    }

    /// The next 31-bit value.
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    /// A value in `0..n`.
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// One of `items`.
    pub(crate) fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const VERBS: &[&str] = &[
    "Verify", "Check", "Confirm", "Enable", "Review", "Rotate", "Back up", "Restart", "Deploy",
    "Monitor", "Test", "Document",
];
const NOUNS: &[&str] = &[
    "database migrations",
    "SSL certificates",
    "health endpoint",
    "error logs",
    "queue workers",
    "CDN cache",
    "feature flags",
    "rate limits",
    "API keys",
    "backup restore",
    "DNS records",
    "load balancer",
    "alert rules",
    "on-call rota",
    "container images",
];
const TAILS: &[&str] = &[
    "",
    " (if applicable)",
    " in staging",
    " for 30 minutes",
    " with `kubectl get pods`",
    " — see **runbook**",
    " on all nodes",
    "",
];
const PHASES: &[&str] = &[
    "âœ… **PRE-DEPLOYMENT CHECKLIST**",
    "ðŸš€ Deployment Steps",
    "Post-Deployment Verification",
    "Rollback Procedure",
    "Ongoing Maintenance",
    "Monitoring Setup",
];
const SUBS: &[&str] = &[
    "Code & Repository",
    "Infrastructure",
    "Secrets Management",
    "Database",
    "Security Hardening",
    "Networking",
    "Observability",
    "Communication",
];

fn item_text(rng: &mut Rng) -> String {
    format!("{} {}{}", rng.pick(VERBS), rng.pick(NOUNS), rng.pick(TAILS))
}

/// One checklist of roughly 8–12 KiB.
#[must_use]
pub(crate) fn checklist(index: usize) -> String {
    let mut rng = Rng::new(index as u64);
    let mut md = String::with_capacity(12 * 1024);
    let _ = writeln!(md, "# Production Deployment Checklist {index}\n");
    let _ = writeln!(
        md,
        "**Platform**: Service {index}  \n**Version**: 1.{}.0  \n**Date**: October 2025\n\n---\n",
        index % 10
    );
    for (p, phase) in PHASES.iter().enumerate() {
        let _ = writeln!(md, "## {phase}\n");
        for s in 0..2 + rng.below(2) {
            let groups = 1 + rng.below(3);
            let mut body = String::new();
            let mut leaves = 0;
            for _ in 0..groups {
                let _ = writeln!(body, "- [ ] **{}**", rng.pick(SUBS));
                for _ in 0..2 + rng.below(4) {
                    let _ = writeln!(body, "  - [ ] {}", item_text(&mut rng));
                    leaves += 1;
                }
                body.push('\n');
            }
            let declared = if rng.below(5) == 0 {
                leaves + 1
            } else {
                leaves
            };
            let _ = writeln!(
                md,
                "### {}. {} ({declared} items)\n\n{body}",
                s + 1,
                rng.pick(SUBS)
            );
        }
        if p == 1 {
            let _ = writeln!(
                md,
                "### Step {}: Release ({} minutes)\n",
                p,
                15 * (1 + rng.below(4))
            );
            let _ = writeln!(
                md,
                "- [ ] **9:{:02} AM**: {}\n  ```bash\n  kubectl rollout status deploy/api-{index}\n  helm upgrade api ./chart --set image.tag=v1.{index}\n  ```\n",
                rng.below(60),
                item_text(&mut rng)
            );
            let _ = writeln!(
                md,
                "```env\nDATABASE_URL=postgres://...\nAPI_KEY=your-api-key\nLOG_LEVEL=info\n```\n"
            );
        }
    }
    let _ = writeln!(
        md,
        "## Emergency Contacts\n\n| Role | Name | Phone |\n|------|------|-------|\n| On-call | [Name] | +1-XXX-XXX-XXXX |\n| DBA | | |\n"
    );
    let _ = writeln!(
        md,
        "## Sign-Off\n\n**Deployed By**: __________  \n**Date**: __________  \n**Status**: ⬜ Success / ⬜ Rolled Back / ⬜ Partial\n"
    );
    md
}

/// Writes a book of `n` checklists under `dir` (replacing what was there).
pub(crate) fn write_book(dir: &Path, n: usize) -> std::io::Result<u64> {
    if dir.exists() {
        std::fs::remove_dir_all(dir)?;
    }
    let content = dir.join("content");
    std::fs::create_dir_all(&content)?;
    // PDFs are measured on their own (`bench_print`): typesetting thousands of them would
    // swamp the figures of the site build.
    std::fs::write(
        dir.join("book.toml"),
        "[book]\ntitle = \"Generated\"\n\n[print]\npdf = false\n",
    )?;
    let mut bytes = 0;
    for i in 0..n {
        let text = checklist(i);
        bytes += text.len() as u64;
        std::fs::write(content.join(format!("checklist-{i:05}.md")), text)?;
    }
    Ok(bytes)
}

/// Items per generated checklist in a diff pair, and items per section.
const DIFF_ITEMS_PER_CHECKLIST: usize = 100;
const DIFF_ITEMS_PER_SECTION: usize = 20;

/// Two versions of a book of `items` tasks, in `dir/old` and `dir/new`: in the new one, 5% of
/// the items are changed (reworded), moved to another section, removed, or have a new item
/// added after them, in equal parts. Returns how many items were changed, moved, removed and
/// added.
pub(crate) fn write_diff_pair(dir: &Path, items: usize) -> std::io::Result<[usize; 4]> {
    if dir.exists() {
        std::fs::remove_dir_all(dir)?;
    }
    let (old_dir, new_dir) = (dir.join("old"), dir.join("new"));
    std::fs::create_dir_all(&old_dir)?;
    std::fs::create_dir_all(&new_dir)?;
    let mut rng = Rng::new(items as u64);
    let mut touched = [0; 4];
    for c in 0..items.div_ceil(DIFF_ITEMS_PER_CHECKLIST) {
        let count = DIFF_ITEMS_PER_CHECKLIST.min(items - c * DIFF_ITEMS_PER_CHECKLIST);
        let sections = count.div_ceil(DIFF_ITEMS_PER_SECTION);
        let mut old: Vec<Vec<String>> = vec![Vec::new(); sections];
        for k in 0..count {
            let text = format!(
                "{} the {}{} (step {c}-{k})",
                rng.pick(VERBS),
                rng.pick(NOUNS),
                rng.pick(TAILS)
            );
            old[k / DIFF_ITEMS_PER_SECTION].push(text);
        }
        let mut new = old.clone();
        let mut moved = Vec::new();
        for (s, section) in new.iter_mut().enumerate() {
            let mut k = 0;
            while k < section.len() {
                if rng.below(20) == 0 {
                    let kind = rng.below(4);
                    touched[kind] += 1;
                    match kind {
                        0 => section[k].push_str(" and record the result"),
                        1 => moved.push((s, section.remove(k))),
                        2 => {
                            section.remove(k);
                            continue;
                        }
                        _ => {
                            section.insert(k + 1, format!("Announce the new check {c}-{s}-{k}"));
                            k += 1;
                        }
                    }
                }
                k += 1;
            }
        }
        for (s, item) in moved {
            let to = (s + 1) % new.len();
            new[to].push(item);
        }
        for (folder, book) in [(&old_dir, &old), (&new_dir, &new)] {
            let mut text = format!("# Generated checklist {c}\n");
            for (s, section) in book.iter().enumerate() {
                let _ = write!(text, "\n## {} {s}\n\n", rng_free_section(s));
                for item in section {
                    let _ = writeln!(text, "- [ ] {item}");
                }
            }
            std::fs::write(folder.join(format!("checklist-{c:05}.md")), text)?;
        }
    }
    Ok(touched)
}

/// A section title that does not depend on the generator, so both versions share it.
fn rng_free_section(s: usize) -> &'static str {
    SUBS[s % SUBS.len()]
}
