//! The output writer: the one place that writes files, atomically.
//!
//! Files go into a staging folder next to the output folder; [`Staging::commit`] swaps it into
//! place. An existing output folder is replaced only when preflight made it (it holds the marker
//! file [`MARKER`]) or it is empty; anything else is refused before anything is written.
//!
//! A file whose bytes are the same as in the output it replaces is not written again: the old
//! file is hard-linked into the staging folder. A run that changes a few checklists writes only
//! their files, and unchanged files keep their modification times, so tools that sync by size
//! and time (`rsync`, object-store uploaders) send only what changed.

use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use crate::error::{Error, Result};

/// Marker file that says preflight created a folder and may replace it.
pub const MARKER: &str = ".preflight-output";

/// Staging folders being filled by this process, removed by [`interrupted`].
static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Set once the process is being stopped: no file is written after it.
static STOPPING: AtomicBool = AtomicBool::new(false);

/// Writes under way, which [`interrupted`] waits for before it removes their folders.
static WRITING: AtomicUsize = AtomicUsize::new(0);

/// Removes the staging folders this process is filling, for a run stopped by a signal (Ctrl-C):
/// the output keeps its previous state and nothing half-written stays beside it. Writes still
/// under way fail from now on.
pub fn interrupted() {
    STOPPING.store(true, Ordering::SeqCst);
    let waited = std::time::Instant::now();
    while WRITING.load(Ordering::SeqCst) > 0 && waited.elapsed().as_secs() < 5 {
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    let live = std::mem::take(&mut *LIVE.lock().unwrap_or_else(PoisonError::into_inner));
    for dir in live {
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// Whether the process is being stopped by a signal: the command's own end is then left to
/// the signal's handler, which exits once the staging folders are removed.
#[must_use]
pub fn stopping() -> bool {
    STOPPING.load(Ordering::SeqCst)
}

/// The error of a write or swap refused because the process is being stopped.
fn interrupted_error(path: PathBuf) -> Error {
    Error::Write {
        path,
        source: std::io::Error::new(std::io::ErrorKind::Interrupted, "interrupted"),
    }
}

/// A write under way, counted in [`WRITING`] while it lasts.
struct Writing;

impl Writing {
    /// Starts a write, unless the process is being stopped. The count goes up before the flag
    /// is read, so [`interrupted`] either sees this write or this write sees the flag.
    fn start() -> Option<Writing> {
        WRITING.fetch_add(1, Ordering::SeqCst);
        let writing = Writing;
        (!STOPPING.load(Ordering::SeqCst)).then_some(writing)
    }
}

impl Drop for Writing {
    fn drop(&mut self) {
        WRITING.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Where a build writes its files: a staging folder on disk, or memory (for `serve`).
pub trait Sink: Sync {
    /// Writes one file at `rel`, a relative path with `/` separators.
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()>;

    /// Writes bytes that the caller keeps too (a cached page): a sink in memory can share them
    /// instead of copying.
    fn write_shared(&self, rel: &str, bytes: &Arc<[u8]>) -> Result<()> {
        self.write(rel, bytes)
    }

    /// Copies the file at `from` to `rel`. A sink on disk streams it, so a large file (a video
    /// in `static/`) is never held in memory.
    fn copy(&self, rel: &str, from: &Path) -> Result<()> {
        let bytes = std::fs::read(from).map_err(|source| Error::Read {
            path: from.to_owned(),
            source,
        })?;
        self.write(rel, &bytes)
    }
}

impl Sink for Staging {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        Staging::write(self, rel, bytes)
    }

    fn copy(&self, rel: &str, from: &Path) -> Result<()> {
        Staging::copy(self, rel, from)
    }
}

/// A staging folder being filled.
#[derive(Debug)]
pub struct Staging {
    target: PathBuf,
    dir: PathBuf,
    /// The output being replaced, when preflight made it: unchanged files are linked from it.
    previous: Option<PathBuf>,
    /// What a file written now looks like, which a file linked instead must match.
    fresh: Option<Fresh>,
    /// Folders of the previous output known to be real folders, not links.
    checked_dirs: Mutex<std::collections::HashSet<PathBuf>>,
    committed: bool,
    files: AtomicUsize,
    bytes: AtomicU64,
    kept: AtomicUsize,
}

impl Staging {
    /// Checks that `target` may be replaced and creates a staging folder beside it.
    pub fn new(given: &Path) -> Result<Staging> {
        let target = &resolve(given)?;
        check_replaceable(target, given)?;
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent).map_err(|source| Error::Write {
            path: parent.to_owned(),
            source,
        })?;
        let name = target
            .file_name()
            .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
        remove_abandoned(parent, &name, target);
        let dir = parent.join(format!(".{name}.staging-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|source| Error::Write {
                path: dir.clone(),
                source,
            })?;
        }
        // Listed before it exists, so an interrupt from now on removes it.
        LIVE.lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(dir.clone());
        let created = std::fs::create_dir(&dir);
        if stopping() {
            let _ = std::fs::remove_dir_all(&dir);
            return Err(interrupted_error(dir));
        }
        created.map_err(|source| Error::Write {
            path: dir.clone(),
            source,
        })?;
        std::fs::write(
            dir.join(MARKER),
            b"This folder is written by preflight and replaced on each run.\n",
        )
        .map_err(|source| Error::Write {
            path: dir.join(MARKER),
            source,
        })?;
        let previous = target.join(MARKER).is_file().then(|| target.to_owned());
        let fresh = Fresh::of(&dir.join(MARKER));
        Ok(Staging {
            target: target.to_owned(),
            dir,
            previous,
            fresh,
            checked_dirs: Mutex::new(std::collections::HashSet::new()),
            committed: false,
            files: AtomicUsize::new(0),
            bytes: AtomicU64::new(0),
            kept: AtomicUsize::new(0),
        })
    }

    /// Starts writing the file at `rel` (a relative path with `/` separators): the path checked
    /// to stay inside, its place in the staging folder, its folder made, and the write counted
    /// as under way.
    fn start(&self, rel: &str) -> Result<(PathBuf, PathBuf, Writing)> {
        let rel = safe_relative(rel).ok_or_else(|| Error::UnsafeOutput {
            path: PathBuf::from(rel),
            message: "output path leaves the output folder".into(),
        })?;
        let path = self.dir.join(&rel);
        let Some(writing) = Writing::start() else {
            return Err(interrupted_error(path));
        };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| Error::Write {
                path: parent.to_owned(),
                source,
            })?;
        }
        Ok((rel, path, writing))
    }

    /// Writes one file at `rel` (a relative path with `/` separators) inside the staging folder,
    /// or links the previous output's file there when it holds the same bytes.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let (rel, path, _writing) = self.start(rel)?;
        if self.link_unchanged(&rel, &path, bytes) {
            self.kept.fetch_add(1, Ordering::Relaxed);
        } else {
            if self.previous.is_some() {
                // A file written twice may be a link to the previous output by now: write a
                // new file, never into the linked one.
                let _ = std::fs::remove_file(&path);
            }
            std::fs::write(&path, bytes).map_err(|source| Error::Write { path, source })?;
        }
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        Ok(())
    }

    /// Copies the file at `from` to `rel` inside the staging folder, streaming it.
    pub fn copy(&self, rel: &str, from: &Path) -> Result<()> {
        let (_, path, _writing) = self.start(rel)?;
        let _ = std::fs::remove_file(&path);
        let mut source = std::fs::File::open(from).map_err(|source| Error::Read {
            path: from.to_owned(),
            source,
        })?;
        let mut file = std::fs::File::create(&path).map_err(|source| Error::Write {
            path: path.clone(),
            source,
        })?;
        let copied = std::io::copy(&mut source, &mut file).map_err(|source| Error::Write {
            path: path.clone(),
            source,
        })?;
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(copied, Ordering::Relaxed);
        Ok(())
    }

    /// Links the previous output's file at `rel` to `to` when it holds exactly `bytes`; false
    /// (and nothing done) otherwise. A file with other names too (linked by someone else) is
    /// never shared, so a later change to those names cannot reach the new output.
    fn link_unchanged(&self, rel: &Path, to: &Path, bytes: &[u8]) -> bool {
        let (Some(previous), Some(fresh)) = (&self.previous, &self.fresh) else {
            return false;
        };
        let from = previous.join(rel);
        let Ok(meta) = std::fs::symlink_metadata(&from) else {
            return false;
        };
        if !meta.is_file() || meta.len() != bytes.len() as u64 || !fresh.matches(&meta) {
            return false;
        }
        self.real_folders(previous, rel)
            && std::fs::read(&from).is_ok_and(|old| old == bytes)
            && std::fs::hard_link(&from, to).is_ok()
    }

    /// Whether every folder on the way from `previous` to `rel` is a folder of the previous
    /// output itself, not a link to one elsewhere (whose files are not the output's to share).
    fn real_folders(&self, previous: &Path, rel: &Path) -> bool {
        let mut checked = self
            .checked_dirs
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let mut dir = previous.to_path_buf();
        let Some(parent) = rel.parent() else {
            return true;
        };
        for part in parent.components() {
            dir.push(part);
            if checked.contains(&dir) {
                continue;
            }
            if !std::fs::symlink_metadata(&dir).is_ok_and(|m| m.is_dir()) {
                return false;
            }
            checked.insert(dir.clone());
        }
        true
    }

    /// Files and bytes written so far (files kept from the previous output included).
    #[must_use]
    pub fn totals(&self) -> (usize, u64) {
        (
            self.files.load(Ordering::Relaxed),
            self.bytes.load(Ordering::Relaxed),
        )
    }

    /// How many of the files were kept from the previous output, unchanged.
    #[must_use]
    pub fn kept(&self) -> usize {
        self.kept.load(Ordering::Relaxed)
    }

    /// Swaps the staging folder into place of the target.
    pub fn commit(mut self) -> Result<PathBuf> {
        let old = self.old_dir();
        // An interrupt and the swap exclude each other: either the swap is done and this
        // folder is off the list before the handler takes it, or the handler has begun and
        // nothing is swapped.
        let mut live = LIVE.lock().unwrap_or_else(PoisonError::into_inner);
        if stopping() {
            return Err(interrupted_error(self.dir.clone()));
        }
        let had_target = self.target.exists();
        if old.exists() {
            // Left by an ended run that had this process id: nothing of this run's.
            let _ = std::fs::remove_dir_all(&old);
        }
        if had_target {
            std::fs::rename(&self.target, &old).map_err(|source| Error::Write {
                path: self.target.clone(),
                source,
            })?;
        }
        if let Err(source) = std::fs::rename(&self.dir, &self.target) {
            if had_target {
                let _ = std::fs::rename(&old, &self.target);
            }
            return Err(Error::Write {
                path: self.target.clone(),
                source,
            });
        }
        self.committed = true;
        live.retain(|d| *d != self.dir);
        drop(live);
        // The new output is in place: an old one that cannot be removed now (a folder in it
        // made unreadable) is left for a later run to remove, and is no reason to fail.
        if had_target {
            let _ = remove_tree(&old);
        }
        Ok(self.target.clone())
    }

    /// Where the output being replaced goes while the new one takes its place: named after this
    /// run, so runs at once never share it.
    fn old_dir(&self) -> PathBuf {
        let name = self
            .dir
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
            .replacen(".staging-", ".old-", 1);
        self.dir.with_file_name(name)
    }

    /// Takes this staging folder off the list of those to remove on an interrupt.
    fn unlist(&self) {
        LIVE.lock()
            .unwrap_or_else(PoisonError::into_inner)
            .retain(|d| *d != self.dir);
    }
}

/// The first error that is a failed write, taken out of `errors`: output with a file missing is
/// not swapped in, so the caller stops with it and the previous output stays as it was.
pub fn fail_on_write_error(errors: &mut Vec<Error>) -> Result<()> {
    match errors.iter().position(|e| matches!(e, Error::Write { .. })) {
        Some(i) => Err(errors.remove(i)),
        None => Ok(()),
    }
}

/// The permissions and owner a file written by this run gets, read off one it wrote.
#[derive(Debug)]
struct Fresh {
    mode: u32,
    uid: u32,
    gid: u32,
}

impl Fresh {
    /// Read off `written`; `None` where they cannot be compared (not Unix), and no file is
    /// linked then.
    #[cfg(unix)]
    fn of(written: &Path) -> Option<Fresh> {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::metadata(written).ok()?;
        Some(Fresh {
            mode: meta.mode() & 0o7777,
            uid: meta.uid(),
            gid: meta.gid(),
        })
    }

    #[cfg(not(unix))]
    fn of(_written: &Path) -> Option<Fresh> {
        None
    }

    /// Whether a file of the previous output can stand for one written now: same permissions
    /// and owner, and no other name (someone else's link, which a later change of theirs would
    /// reach through).
    #[cfg(unix)]
    fn matches(&self, meta: &std::fs::Metadata) -> bool {
        use std::os::unix::fs::MetadataExt;
        meta.nlink() == 1
            && meta.mode() & 0o7777 == self.mode
            && meta.uid() == self.uid
            && meta.gid() == self.gid
    }

    #[cfg(not(unix))]
    fn matches(&self, _meta: &std::fs::Metadata) -> bool {
        false
    }
}

/// Removes a folder and everything in it, its entries in parallel: a site has thousands of
/// folders, and removing them one by one waits on the file system each time.
fn remove_tree(dir: &Path) -> std::io::Result<()> {
    use rayon::prelude::*;
    let entries: Vec<std::fs::DirEntry> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.par_iter().try_for_each(|entry| {
        if entry.file_type()?.is_dir() {
            std::fs::remove_dir_all(entry.path())
        } else {
            std::fs::remove_file(entry.path())
        }
    })?;
    std::fs::remove_dir(dir)
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            self.unlist();
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// How long a staging folder of an ended run is left alone before it is taken as abandoned.
const ABANDONED_AFTER: std::time::Duration = std::time::Duration::from_secs(3600);

/// The largest process id Linux hands out: a larger number after `.staging-` or `.old-` is not
/// a process id, and the folder is not preflight's to remove (a dated backup, say).
const PID_MAX: u32 = 1 << 22;

/// Tidies what runs no longer going left beside the output `target` (named `name`): staging
/// folders of runs stopped by a kill are removed, and so are outputs being replaced by runs
/// killed during the swap, unless the output itself is missing, in which case such a previous
/// output is put back. A folder is touched only when its process has ended, which is known where
/// `/proc` lists processes (Linux; elsewhere they are left), and when it holds preflight's
/// marker; a staging folder also only when the marker is over an hour old, as a run in another
/// container (its own process ids) may be filling it.
fn remove_abandoned(parent: &Path, name: &str, target: &Path) {
    let staging = format!(".{name}.staging-");
    let old = format!(".{name}.old-");
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(file_name) = file_name.to_str() else {
            continue;
        };
        let (pid, is_staging) = match (
            file_name.strip_prefix(&staging),
            file_name.strip_prefix(&old),
        ) {
            (Some(pid), _) => (pid, true),
            (_, Some(pid)) => (pid, false),
            _ => continue,
        };
        let Some(pid) = pid.parse::<u32>().ok().filter(|p| *p <= PID_MAX) else {
            continue;
        };
        let ended = Path::new("/proc/self").exists()
            && pid != std::process::id()
            && !Path::new("/proc").join(pid.to_string()).exists();
        let path = entry.path();
        if !ended || !path.join(MARKER).is_file() {
            continue;
        }
        if is_staging {
            let stale = std::fs::metadata(path.join(MARKER))
                .and_then(|m| m.modified())
                .is_ok_and(|t| t.elapsed().is_ok_and(|age| age > ABANDONED_AFTER));
            if stale {
                let _ = std::fs::remove_dir_all(&path);
            }
        } else if !target.exists() {
            // Killed between moving the output aside and moving the new one in: the output
            // moved aside is the only one there is.
            let _ = std::fs::rename(&path, target);
        } else {
            let _ = std::fs::remove_dir_all(&path);
        }
    }
}

/// Replaces one existing file atomically: the new content is written beside it, given the same
/// permissions and owner, and renamed over it, so a crash leaves the old or the new file, never
/// half of one. A read-only file, one whose owner the new file could not keep, or one that no
/// longer holds `was` (the bytes the new content was made from) is refused and left as it is.
pub fn replace_file(path: &Path, bytes: &[u8], was: &[u8]) -> Result<()> {
    static TEMPS: AtomicUsize = AtomicUsize::new(0);
    let write_error = |source| Error::Write {
        path: path.to_owned(),
        source,
    };
    let refused = |why: &str| {
        write_error(std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            format!("{why}; it is left as it is"),
        ))
    };
    // Through a symbolic link, the file it points to is replaced and the link is kept.
    let resolved = std::fs::canonicalize(path).map_err(write_error)?;
    let path = resolved.as_path();
    let name = path
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    let temp = path.with_file_name(format!(
        ".{name}.preflight-{}-{}",
        std::process::id(),
        TEMPS.fetch_add(1, Ordering::Relaxed)
    ));
    let metadata = std::fs::metadata(path).map_err(write_error)?;
    if metadata.permissions().readonly() {
        return Err(refused("the file is read-only"));
    }
    // A new file renamed over one name would leave the file's other names (hard links) with
    // the old text, silently.
    if links(&metadata) > 1 {
        return Err(refused(
            "the file has other names (hard links), which would keep the old text",
        ));
    }
    let result = std::fs::write(&temp, bytes)
        .and_then(|()| std::fs::set_permissions(&temp, metadata.permissions()))
        .map_err(write_error)
        .and_then(|()| {
            keep_owner(&temp, &metadata)
                .map_err(|_| refused("the file belongs to another user, who would lose it"))
        });
    // An edit saved since the file was read must not be lost: the file is compared again just
    // before it is replaced.
    let result = result.and_then(|()| match std::fs::read(path) {
        Ok(now) if now == was => Ok(()),
        Ok(_) => Err(refused(
            "the file changed while it was being fixed; run again",
        )),
        Err(e) => Err(write_error(e)),
    });
    if let Err(e) = result {
        let _ = std::fs::remove_file(&temp);
        return Err(e);
    }
    let result = std::fs::rename(&temp, path);
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result.map_err(write_error)
}

/// Gives `file` the owner and group of `original`.
#[cfg(unix)]
fn keep_owner(file: &Path, original: &std::fs::Metadata) -> std::io::Result<()> {
    use std::os::unix::fs::MetadataExt;
    let now = std::fs::metadata(file)?;
    if (now.uid(), now.gid()) == (original.uid(), original.gid()) {
        return Ok(());
    }
    std::os::unix::fs::chown(file, Some(original.uid()), Some(original.gid()))
}

#[cfg(not(unix))]
fn keep_owner(_file: &Path, _original: &std::fs::Metadata) -> std::io::Result<()> {
    Ok(())
}

/// Where `target` really is: absolute, with every part that exists resolved through symbolic
/// links and each `..` applied to the real folder before it. `nonexistent/../site` is `site`
/// (the check that follows must see the folder that would be replaced, not a path that does not
/// exist yet), and an output folder that is a link to another folder is replaced where it points,
/// the link kept.
fn resolve(target: &Path) -> Result<PathBuf> {
    let absolute = if target.is_absolute() {
        target.to_owned()
    } else {
        std::env::current_dir()
            .map_err(|source| Error::Read {
                path: PathBuf::from("."),
                source,
            })?
            .join(target)
    };
    let mut out = PathBuf::new();
    for part in absolute.components() {
        match part {
            Component::Prefix(_) | Component::RootDir => out.push(part.as_os_str()),
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            Component::Normal(name) => {
                out.push(name);
                match std::fs::canonicalize(&out) {
                    Ok(real) => out = real,
                    Err(_) if out.is_symlink() => {
                        return Err(Error::UnsafeOutput {
                            path: target.to_owned(),
                            message: format!(
                                "`{}` is a symbolic link to nothing; refusing to write through it",
                                out.display()
                            ),
                        });
                    }
                    Err(_) => {}
                }
            }
        }
    }
    Ok(out)
}

/// Refuses a target that exists, is not empty, and was not made by preflight; `given` is the
/// path as the user wrote it, for messages.
fn check_replaceable(target: &Path, given: &Path) -> Result<()> {
    let refuse = |message: &str| {
        Err(Error::UnsafeOutput {
            path: given.to_owned(),
            message: message.to_owned(),
        })
    };
    if !target.exists() {
        return Ok(());
    }
    if !target.is_dir() {
        return refuse("exists and is not a folder; refusing to replace it");
    }
    if target.join(MARKER).is_file() {
        return Ok(());
    }
    let mut entries = std::fs::read_dir(target).map_err(|source| Error::Read {
        path: given.to_owned(),
        source,
    })?;
    if entries.next().is_some() {
        return refuse(
            "is not empty and was not created by preflight; refusing to replace it (choose another folder or empty it)",
        );
    }
    Ok(())
}

/// Refuses an output folder (`given`) inside a folder of the book (`folder`, described as
/// `what`: the content folder, `static`), or holding it: the output is replaced as a whole on
/// every run, the book's files are not its to hold, and an output inside `static/` would be
/// published inside the next one.
pub fn refuse_inside(given: &Path, folder: &Path, what: &str) -> Result<()> {
    let out = resolve(given)?;
    // A folder not made yet is compared as written: `--out static/site` must not make it.
    let Ok(folder) = std::fs::canonicalize(folder).or_else(|_| std::path::absolute(folder)) else {
        return Ok(());
    };
    if out.starts_with(&folder) || folder.starts_with(&out) {
        return Err(Error::UnsafeOutput {
            path: given.to_owned(),
            message: format!(
                "must not be or hold the {what} `{}`, nor be inside it: it is replaced on every run",
                folder.display()
            ),
        });
    }
    Ok(())
}

/// Refuses an output folder (`given`) that holds `input`, a file or folder the command reads:
/// the output is replaced as a whole, and the input with it.
pub fn refuse_holding(given: &Path, input: &Path) -> Result<()> {
    let out = resolve(given)?;
    let Ok(input) = std::fs::canonicalize(input).or_else(|_| std::path::absolute(input)) else {
        return Ok(());
    };
    if input.starts_with(&out) {
        return Err(Error::UnsafeOutput {
            path: given.to_owned(),
            message: format!(
                "holds the input `{}`, which replacing the output would delete",
                input.display()
            ),
        });
    }
    Ok(())
}

/// How many names (hard links) a file has; 1 where the platform does not say.
fn links(metadata: &std::fs::Metadata) -> u64 {
    #[cfg(unix)]
    {
        std::os::unix::fs::MetadataExt::nlink(metadata)
    }
    #[cfg(not(unix))]
    {
        let _ = metadata;
        1
    }
}

/// `rel` as a path that stays inside its base: no `..`, no root, no prefix.
fn safe_relative(rel: &str) -> Option<PathBuf> {
    let path = Path::new(rel);
    path.components()
        .all(|c| matches!(c, Component::Normal(_)))
        .then(|| path.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression: `check --fix` renamed its result over an edit saved while it ran.
    #[test]
    fn a_file_changed_since_it_was_read_is_not_replaced() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("a.md");
        std::fs::write(&path, "- [ ] edited\n").unwrap_or_else(|e| panic!("{e}"));
        let err = replace_file(&path, b"- [ ] fixed\n", b"-[ ] old\n");
        assert!(err.is_err_and(|e| e.to_string().contains("changed while it was being fixed")),);
        let kept = std::fs::read_to_string(&path).unwrap_or_default();
        assert_eq!(kept, "- [ ] edited\n");
        let left = std::fs::read_dir(dir.path()).map_or(0, Iterator::count);
        assert_eq!(left, 1, "no temporary file is left");
        replace_file(&path, b"- [ ] fixed\n", b"- [ ] edited\n").unwrap_or_else(|e| panic!("{e}"));
        let now = std::fs::read_to_string(&path).unwrap_or_default();
        assert_eq!(now, "- [ ] fixed\n");
    }

    /// Regression: a build stopped by Ctrl-C left `.public.staging-<pid>` for good.
    #[cfg(target_os = "linux")]
    #[test]
    fn staging_folders_of_ended_runs_are_removed() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let stale = dir.path().join(".out.staging-4194301");
        let foreign = dir.path().join(".out.staging-4194302");
        std::fs::create_dir(&stale).unwrap_or_else(|e| panic!("{e}"));
        let marker = std::fs::File::create(stale.join(MARKER)).unwrap_or_else(|e| panic!("{e}"));
        let old = std::time::SystemTime::now() - 2 * ABANDONED_AFTER;
        marker.set_modified(old).unwrap_or_else(|e| panic!("{e}"));
        drop(marker);
        let recent = dir.path().join(".out.staging-4194300");
        std::fs::create_dir(&recent).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(recent.join(MARKER), "x").unwrap_or_else(|e| panic!("{e}"));
        std::fs::create_dir(&foreign).unwrap_or_else(|e| panic!("{e}"));
        let staging = Staging::new(&dir.path().join("out")).unwrap_or_else(|e| panic!("{e}"));
        assert!(!stale.exists(), "the abandoned folder is removed");
        assert!(
            foreign.exists(),
            "a folder without the marker is not preflight's"
        );
        assert!(
            recent.exists(),
            "a recent folder may be another container's run"
        );
        staging.commit().unwrap_or_else(|e| panic!("{e}"));
    }

    /// Regression: a run killed while swapping its output in left `.out.old`, and every later
    /// run failed with "Directory not empty" once all its work was done.
    #[test]
    #[cfg(target_os = "linux")]
    fn an_old_output_left_by_a_killed_run_blocks_nothing() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let target = dir.path().join("out");
        let ended = dir.path().join(".out.old-4194299");
        let mine = dir.path().join(format!(".out.old-{}", std::process::id()));
        for left in [&ended, &mine] {
            std::fs::create_dir_all(left.join("x")).unwrap_or_else(|e| panic!("{e}"));
            std::fs::write(left.join(MARKER), "").unwrap_or_else(|e| panic!("{e}"));
        }
        for round in ["one", "two"] {
            let staging = Staging::new(&target).unwrap_or_else(|e| panic!("{e}"));
            staging
                .write(&format!("{round}.json"), b"{}")
                .unwrap_or_else(|e| panic!("{e}"));
            staging.commit().unwrap_or_else(|e| panic!("{e}"));
        }
        assert!(target.join("two.json").exists());
        assert!(!ended.exists() && !mine.exists());
    }

    /// A run killed between moving the output aside and moving the new one in leaves no
    /// output but the one moved aside: the next run puts it back, and a dated backup beside it
    /// (not a process id) is not touched.
    #[test]
    #[cfg(target_os = "linux")]
    fn the_output_of_a_run_killed_mid_swap_is_put_back() {
        let (root, target) = scratch();
        let aside = root.path().join(".out.old-4194298");
        let backup = root.path().join(".out.old-20240101");
        for dir in [&aside, &backup] {
            std::fs::create_dir(dir).unwrap_or_else(|e| panic!("{e}"));
            std::fs::write(dir.join(MARKER), "").unwrap_or_else(|e| panic!("{e}"));
            std::fs::write(dir.join("page.html"), "kept").unwrap_or_else(|e| panic!("{e}"));
        }
        let staging = Staging::new(&target).unwrap_or_else(|e| panic!("{e}"));
        assert!(!aside.exists() && backup.exists());
        let read = std::fs::read_to_string(target.join("page.html")).unwrap_or_default();
        assert_eq!(read, "kept", "the output moved aside is back in place");
        drop(staging);
        assert!(target.join("page.html").exists(), "a failed run keeps it");
    }

    /// Regression: a file made private (`chmod 600`) in the output stayed private in every
    /// later output, as it was linked instead of written.
    #[test]
    #[cfg(unix)]
    fn a_file_whose_permissions_changed_is_written_anew() {
        use std::os::unix::fs::PermissionsExt;
        let (_root, target) = scratch();
        round(&target, &[("a.css", "x"), ("b.css", "y")], true);
        let mode = |rel: &str| {
            std::fs::metadata(target.join(rel)).map_or(0, |m| m.permissions().mode() & 0o777)
        };
        let fresh = mode("a.css");
        std::fs::set_permissions(target.join("a.css"), std::fs::Permissions::from_mode(0o600))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(round(&target, &[("a.css", "x"), ("b.css", "y")], true), 1);
        assert_eq!((mode("a.css"), mode("b.css")), (fresh, fresh));
    }

    /// Regression: a folder of the old output that was a link to a folder elsewhere had its
    /// files linked into the new output, which then shared them with the folder outside.
    #[test]
    #[cfg(unix)]
    fn files_reached_through_a_linked_folder_are_not_shared() {
        let (root, target) = scratch();
        round(&target, &[("sub/page.html", "p")], true);
        let outside = root.path().join("elsewhere");
        std::fs::create_dir(&outside).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(outside.join("page.html"), "p").unwrap_or_else(|e| panic!("{e}"));
        std::fs::remove_dir_all(target.join("sub")).unwrap_or_else(|e| panic!("{e}"));
        std::os::unix::fs::symlink(&outside, target.join("sub")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(round(&target, &[("sub/page.html", "p")], true), 0);
        assert_ne!(
            inode(&target.join("sub/page.html")),
            inode(&outside.join("page.html"))
        );
    }

    #[test]
    fn refuses_foreign_non_empty_folder() {
        let dir = tempfile::tempdir().ok();
        let Some(dir) = dir else { return };
        std::fs::write(dir.path().join("keep.txt"), "mine").ok();
        assert!(Staging::new(dir.path()).is_err());
        assert!(dir.path().join("keep.txt").exists());
    }

    #[test]
    fn replaces_its_own_output() {
        let Some(root) = tempfile::tempdir().ok() else {
            return;
        };
        let target = root.path().join("out");
        for round in ["one", "two"] {
            let staging = Staging::new(&target).ok();
            let staging = staging.unwrap_or_else(|| panic!("staging {round}"));
            assert!(staging.write(&format!("{round}.json"), b"{}").is_ok());
            assert!(staging.commit().is_ok());
        }
        assert!(target.join("two.json").exists());
        assert!(!target.join("one.json").exists());
    }

    /// Runs one round of output into `target`: `files` written, then committed or, when
    /// `commit` is false, dropped as a failed run is.
    #[cfg(unix)]
    fn round(target: &Path, files: &[(&str, &str)], commit: bool) -> usize {
        let staging = Staging::new(target).unwrap_or_else(|e| panic!("{e}"));
        for (rel, text) in files {
            staging
                .write(rel, text.as_bytes())
                .unwrap_or_else(|e| panic!("{e}"));
        }
        let kept = staging.kept();
        if commit {
            staging.commit().unwrap_or_else(|e| panic!("{e}"));
        }
        kept
    }

    /// A temporary folder and the output path `out` in it.
    #[cfg(unix)]
    fn scratch() -> (tempfile::TempDir, PathBuf) {
        let root = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let target = root.path().join("out");
        (root, target)
    }

    #[cfg(unix)]
    fn inode(path: &Path) -> u64 {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path).map_or(0, |m| m.ino())
    }

    #[test]
    #[cfg(unix)]
    fn unchanged_files_are_kept_and_changed_ones_written() {
        let (_root, target) = scratch();
        let first = [("a/same.json", "{\"a\":1}"), ("b.json", "{\"b\":1}")];
        assert_eq!(round(&target, &first, true), 0);
        let same = inode(&target.join("a/same.json"));
        let changed = inode(&target.join("b.json"));
        let second = [("a/same.json", "{\"a\":1}"), ("b.json", "{\"b\":2}")];
        assert_eq!(round(&target, &second, true), 1);
        assert_eq!(inode(&target.join("a/same.json")), same);
        assert_ne!(inode(&target.join("b.json")), changed);
        let read = |rel: &str| std::fs::read_to_string(target.join(rel)).unwrap_or_default();
        assert_eq!(read("a/same.json"), "{\"a\":1}");
        assert_eq!(read("b.json"), "{\"b\":2}");
    }

    #[test]
    #[cfg(unix)]
    fn a_failed_run_leaves_the_previous_output_whole() {
        let (root, target) = scratch();
        round(&target, &[("same.json", "1"), ("gone.json", "2")], true);
        assert_eq!(round(&target, &[("same.json", "1")], false), 1);
        let read = |rel: &str| std::fs::read_to_string(target.join(rel)).unwrap_or_default();
        assert_eq!(
            (read("same.json"), read("gone.json")),
            ("1".into(), "2".into())
        );
        let names = std::fs::read_dir(root.path()).map_or(0, Iterator::count);
        assert_eq!(names, 1, "the staging folder is removed");
    }

    /// A file of the output that someone linked elsewhere is written anew, so the new output
    /// shares nothing with their copy.
    #[test]
    #[cfg(unix)]
    fn a_file_linked_elsewhere_is_not_shared() {
        let (root, target) = scratch();
        round(&target, &[("same.json", "1")], true);
        let copy = root.path().join("copy.json");
        std::fs::hard_link(target.join("same.json"), &copy).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(round(&target, &[("same.json", "1")], true), 0);
        assert_ne!(inode(&target.join("same.json")), inode(&copy));
    }

    /// Regression: `missing/../site` did not exist when checked, so a folder of the user's was
    /// replaced once creating `missing` made the path resolve.
    #[test]
    fn a_path_through_a_missing_folder_is_checked_where_it_lands() {
        let Some(root) = tempfile::tempdir().ok() else {
            return;
        };
        let mine = root.path().join("mine");
        std::fs::create_dir(&mine).ok();
        std::fs::write(mine.join("keep.txt"), "mine").ok();
        let sneaky = root.path().join("missing").join("..").join("mine");
        assert!(matches!(
            Staging::new(&sneaky),
            Err(Error::UnsafeOutput { .. })
        ));
        assert!(mine.join("keep.txt").is_file());
        assert!(!root.path().join("missing").exists());
    }

    /// Regression: an output folder that is a symbolic link was renamed away and the build
    /// failed, leaving the folder it pointed to emptied.
    #[cfg(unix)]
    #[test]
    fn an_output_folder_that_is_a_link_is_replaced_where_it_points() {
        let Some(root) = tempfile::tempdir().ok() else {
            return;
        };
        let real = root.path().join("site-v1");
        let link = root.path().join("public");
        for (round, target) in [("one", &real), ("two", &link)] {
            let staging = Staging::new(target).unwrap_or_else(|e| panic!("{round}: {e}"));
            assert!(staging.write(&format!("{round}.json"), b"{}").is_ok());
            assert!(staging.commit().is_ok(), "{round}");
            if round == "one" {
                std::os::unix::fs::symlink(&real, &link).ok();
            }
        }
        assert!(link.is_symlink());
        assert!(real.join("two.json").is_file());
        assert!(!real.join("one.json").exists());
        let left: Vec<_> = std::fs::read_dir(root.path())
            .into_iter()
            .flatten()
            .collect();
        assert_eq!(left.len(), 2, "{left:?}");
    }

    #[test]
    fn rejects_escaping_paths() {
        assert!(safe_relative("../x").is_none());
        assert!(safe_relative("/etc/x").is_none());
        assert!(safe_relative("a/b.json").is_some());
    }
}
