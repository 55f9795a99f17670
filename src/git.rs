//! Reading checklists out of a git repository by running the `git` program.
//!
//! Every command is plumbing (`rev-parse`, `for-each-ref`, `ls-tree`, `cat-file`) with
//! machine-readable output (`-z`, `%00`). Names given by users or found in the repository (tags,
//! refs, paths) are data: refs are resolved after `--end-of-options` and paths after `--` with
//! `--literal-pathspecs`, so a tag called `--output=x` or `-h` is never read as an option and a
//! path is never a pattern. Contents are then read by resolved object id only.

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
        for record in out.split(|&b| b == 0).filter(|r| !r.is_empty()) {
            let Ok(record) = std::str::from_utf8(record) else {
                continue;
            };
            let Some((meta, path)) = record.split_once('\t') else {
                continue;
            };
            let fields: Vec<&str> = meta.split_whitespace().collect();
            let [mode, kind, id, size] = fields[..] else {
                continue;
            };
            if kind != "blob" || mode == "120000" || !is_markdown(Path::new(path)) {
                continue;
            }
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
