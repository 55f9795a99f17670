//! Reading checklists out of a git repository by running the `git` program.
//!
//! Every command is plumbing (`rev-parse`, `for-each-ref`, `ls-tree`, `cat-file`) with
//! machine-readable output (`-z`, `%00`). Names given by users or found in the repository (tags,
//! refs, paths) are data: refs are resolved after `--end-of-options` and paths after `--` with
//! `--literal-pathspecs`, so a tag called `--output=x` or `-h` is never read as an option and a
//! path is never a pattern. Contents are then read by resolved object id only.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;

use crate::discover::{MAX_FILE_BYTES, SourcePath, is_markdown, markdown_id};
use crate::error::{Error, Result};

/// A repository that holds a book.
#[derive(Debug, Clone)]
pub struct Repo {
    /// The book root, where commands run.
    dir: PathBuf,
    /// The book root's path inside the repository (`docs/runbooks/`, or empty).
    prefix: String,
}

/// A tag and what it points to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// The tag name, without `refs/tags/`.
    pub name: String,
    /// The commit it resolves to.
    pub commit: String,
    /// The date of the tag (annotated) or of its commit (lightweight), `YYYY-MM-DD`.
    pub date: String,
}

impl Repo {
    /// The repository holding `dir`, or none when `dir` is not in a work tree (or `git` cannot
    /// be run).
    #[must_use]
    pub fn open(dir: &Path) -> Option<Repo> {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        let repo = Repo {
            dir: dir.to_owned(),
            prefix: String::new(),
        };
        let out = repo.git(&["rev-parse", "--show-prefix"]).ok()?;
        let prefix = String::from_utf8(out)
            .ok()?
            .trim_end_matches('\n')
            .to_owned();
        Some(Repo { prefix, ..repo })
    }

    /// Runs git with `args` in the book root; its stdout, or an error with its stderr.
    fn git(&self, args: &[&str]) -> Result<Vec<u8>> {
        let output = self
            .command(args)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| self.error(args, &format!("cannot run git: {e}")))?;
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            return Err(self.error(args, stderr.trim()));
        }
        Ok(output.stdout)
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new("git");
        command
            .arg("-C")
            .arg(&self.dir)
            .arg("--literal-pathspecs")
            .args(["-c", "core.quotePath=false"])
            .args(args)
            .env("GIT_TERMINAL_PROMPT", "0")
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE");
        command
    }

    fn error(&self, args: &[&str], message: &str) -> Error {
        Error::Git {
            path: self.dir.clone(),
            command: args.first().copied().unwrap_or_default().to_owned(),
            message: message.to_owned(),
        }
    }

    /// The commit a ref (tag, branch, object id, `HEAD~2`…) names; none when it names none.
    #[must_use]
    pub fn resolve(&self, name: &str) -> Option<String> {
        let spec = format!("{name}^{{commit}}");
        let out = self
            .git(&[
                "rev-parse",
                "--verify",
                "--quiet",
                "--end-of-options",
                &spec,
            ])
            .ok()?;
        let id = String::from_utf8(out).ok()?.trim().to_owned();
        (!id.is_empty() && id.bytes().all(|b| b.is_ascii_hexdigit())).then_some(id)
    }

    /// Every tag that resolves to a commit, sorted by name.
    pub fn tags(&self) -> Result<Vec<Tag>> {
        let format = "%(refname)%00%(objecttype)%00%(objectname)%00%(*objecttype)%00%(*objectname)%00%(creatordate:short)";
        let out = self.git(&[
            "for-each-ref",
            "--sort=refname",
            &format!("--format={format}"),
            "refs/tags/",
        ])?;
        let mut tags = Vec::new();
        for line in out.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
            let Ok(line) = std::str::from_utf8(line) else {
                continue;
            };
            let fields: Vec<&str> = line.split('\0').collect();
            let [refname, kind, id, peeled_kind, peeled, date] = fields[..] else {
                continue;
            };
            let commit = match (kind, peeled_kind) {
                ("commit", _) => id,
                ("tag", "commit") => peeled,
                _ => continue,
            };
            let Some(name) = refname.strip_prefix("refs/tags/") else {
                continue;
            };
            tags.push(Tag {
                name: name.to_owned(),
                commit: commit.to_owned(),
                date: date.to_owned(),
            });
        }
        Ok(tags)
    }

    /// The committer date of a commit (a resolved id), `YYYY-MM-DD`.
    pub fn commit_date(&self, commit: &str) -> Result<String> {
        let out = self.git(&[
            "log",
            "-1",
            "--no-show-signature",
            "--format=%cs",
            commit,
            "--",
        ])?;
        Ok(String::from_utf8_lossy(&out).trim().to_owned())
    }

    /// The Markdown files under `content` (relative to the book root) at `commit`, read into
    /// memory; `label` names the side in paths (`v1.0:content/deploy.md`).
    pub fn sources(
        &self,
        label: &str,
        commit: &str,
        content: &Path,
    ) -> Result<(Vec<SourcePath>, Vec<Error>)> {
        // Only plain parts: `./content` is `content`; `..` and roots cannot name a tree entry.
        let content = content
            .components()
            .filter_map(|c| match c {
                std::path::Component::Normal(part) => Some(part.to_string_lossy()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("/");
        let base = format!("{}{content}/", self.prefix);
        let out = self.git(&[
            "ls-tree",
            "-r",
            "-l",
            "-z",
            "--full-tree",
            commit,
            "--",
            &base,
        ])?;
        let mut entries = Vec::new();
        let mut errors = Vec::new();
        let records: Vec<(&str, &str, &str, &str)> = out
            .split(|&b| b == 0)
            .filter_map(|r| std::str::from_utf8(r).ok())
            .filter_map(|record| {
                let (meta, path) = record.split_once('\t')?;
                let fields: Vec<&str> = meta.split_whitespace().collect();
                let [mode, kind, id, size] = fields[..] else {
                    return None;
                };
                (kind == "blob").then_some((mode, id, size, path))
            })
            .collect();
        let links = self.link_targets(commit, &records)?;
        for &(mode, id, size, path) in &records {
            if !is_markdown(Path::new(path)) {
                continue;
            }
            // A link to a checklist of the content folder has that checklist's text, as
            // a link in the working tree has.
            let (id, size) = if mode == "120000" {
                match links.get(path) {
                    Some((id, size)) => (id.as_str(), size.as_str()),
                    None => continue,
                }
            } else {
                (id, size)
            };
            let Some(rel) = path.strip_prefix(&base) else {
                continue;
            };
            let display = path.strip_prefix(&self.prefix).unwrap_or(path).to_owned();
            let shown = PathBuf::from(format!("{label}:{display}"));
            if size.parse::<u64>().unwrap_or(u64::MAX) > MAX_FILE_BYTES {
                errors.push(Error::Read {
                    path: shown,
                    source: std::io::Error::other(format!(
                        "file is {size} bytes, over the limit of {MAX_FILE_BYTES}"
                    )),
                });
                continue;
            }
            entries.push((id.to_owned(), shown, display, markdown_id(Path::new(rel))));
        }
        let ids: Vec<&str> = entries.iter().map(|(id, ..)| id.as_str()).collect();
        let blobs = self.blobs(&ids)?;
        let sources = entries
            .into_iter()
            .zip(blobs)
            .map(|((_, path, display, id), bytes)| SourcePath {
                path,
                display,
                id,
                content: Some(Arc::from(bytes)),
            })
            .collect();
        Ok((sources, errors))
    }

    /// For each link among `records` (mode, id, size, path of the blobs of a tree), the id and
    /// size of the file it leads to, when that is another blob of `records` (links to links
    /// followed up to 8 times); links to anything else are left out.
    fn link_targets<'r>(
        &self,
        commit: &str,
        records: &[(&'r str, &'r str, &'r str, &'r str)],
    ) -> Result<HashMap<&'r str, (String, String)>> {
        let links: Vec<&(&str, &str, &str, &str)> =
            records.iter().filter(|r| r.0 == "120000").collect();
        if links.is_empty() {
            return Ok(HashMap::new());
        }
        let targets = self.blobs(&links.iter().map(|r| r.1).collect::<Vec<_>>())?;
        let target_of: HashMap<&str, String> = links
            .iter()
            .zip(&targets)
            .filter_map(|(r, t)| Some((r.3, resolve(r.3, std::str::from_utf8(t).ok()?)?)))
            .collect();
        // Blobs by path: those listed, and the targets outside the content folder (a link
        // to `../shared/rollback.md`), looked up in one more listing.
        let mut by_path: HashMap<String, (String, String, String)> = records
            .iter()
            .map(|r| {
                (
                    r.3.to_owned(),
                    (r.0.to_owned(), r.1.to_owned(), r.2.to_owned()),
                )
            })
            .collect();
        let elsewhere: Vec<&str> = target_of
            .values()
            .filter(|t| !by_path.contains_key(t.as_str()))
            .map(String::as_str)
            .collect();
        if !elsewhere.is_empty() {
            let mut args = vec!["ls-tree", "-l", "-z", "--full-tree", commit, "--"];
            args.extend(elsewhere);
            let out = self.git(&args)?;
            for record in out
                .split(|&b| b == 0)
                .filter_map(|r| std::str::from_utf8(r).ok())
            {
                let Some((meta, path)) = record.split_once('\t') else {
                    continue;
                };
                if let [mode, "blob", id, size] = meta.split_whitespace().collect::<Vec<_>>()[..] {
                    by_path.insert(path.to_owned(), (mode.into(), id.into(), size.into()));
                }
            }
        }
        let mut out = HashMap::new();
        for link in &links {
            let mut at = link.3.to_owned();
            for _ in 0..8 {
                let Some(target) = target_of.get(at.as_str()) else {
                    break;
                };
                let Some((mode, id, size)) = by_path.get(target) else {
                    break;
                };
                if mode != "120000" {
                    out.insert(link.3, (id.clone(), size.clone()));
                    break;
                }
                at.clone_from(target);
            }
        }
        Ok(out)
    }

    /// The contents of blobs, by object id, in order (`git cat-file --batch`).
    fn blobs(&self, ids: &[&str]) -> Result<Vec<Vec<u8>>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let args = ["cat-file", "--batch"];
        let mut child = self
            .command(&args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| self.error(&args, &format!("cannot run git: {e}")))?;
        let mut stdin = child.stdin.take();
        let request = ids.join("\n") + "\n";
        let writer = std::thread::spawn(move || {
            if let Some(stdin) = stdin.as_mut() {
                let _ = stdin.write_all(request.as_bytes());
            }
        });
        let mut out = Vec::with_capacity(ids.len());
        let mut reader = child.stdout.take().map(BufReader::new);
        let result = (|| {
            let reader = reader
                .as_mut()
                .ok_or_else(|| self.error(&args, "no output"))?;
            for id in ids {
                let mut header = String::new();
                reader
                    .read_line(&mut header)
                    .map_err(|e| self.error(&args, &e.to_string()))?;
                let size = header
                    .trim_end()
                    .strip_prefix(id)
                    .and_then(|rest| rest.strip_prefix(" blob "))
                    .and_then(|n| n.parse::<usize>().ok())
                    .ok_or_else(|| self.error(&args, &format!("cannot read object {id}")))?;
                let mut bytes = vec![0; size + 1];
                reader
                    .read_exact(&mut bytes)
                    .map_err(|e| self.error(&args, &e.to_string()))?;
                bytes.pop();
                out.push(bytes);
            }
            Ok(())
        })();
        drop(reader);
        let _ = writer.join();
        let _ = child.wait();
        result.map(|()| out)
    }
}

/// The path in the tree that a link at `link` with target `target` leads to: relative to the
/// link's folder, `.` and `..` applied. None for an absolute target or one above the root.
fn resolve(link: &str, target: &str) -> Option<String> {
    if target.starts_with('/') || target.contains('\\') {
        return None;
    }
    crate::discover::join_relative(link, target)
}

#[cfg(test)]
mod tests {
    use super::resolve;

    #[test]
    fn link_targets_resolve_in_the_tree() {
        assert_eq!(
            resolve("content/a.md", "b.md").as_deref(),
            Some("content/b.md")
        );
        assert_eq!(
            resolve("content/x/a.md", "../shared/b.md").as_deref(),
            Some("content/shared/b.md")
        );
        assert_eq!(resolve("a.md", "../b.md"), None);
        assert_eq!(resolve("content/a.md", "/etc/passwd"), None);
    }
}
