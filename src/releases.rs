//! Releases: which versions of the book a build publishes, from `[releases]` in `book.toml`.
//!
//! Input: the config and the book root. Output: [`Release`]s ordered oldest first, each with its
//! sources (files on disk, or files read from git into memory) and the index of the latest.
//!
//! Order: folders as listed, then refs as listed, then tags matching the pattern by version
//! (`v1.9.0` before `v1.10.0`, `v2.0.0-rc.1` before `v2.0.0`), then the working tree. The latest
//! is the newest that is not the working tree, unless the working tree is the only release.
//! Without `[releases]` the book has one release: the working tree, named `[build] release`.

use std::cmp::Ordering;
use std::collections::HashSet;
use std::path::PathBuf;

use crate::config::{Config, ReleasesConfig};
use crate::discover::{self, SourcePath};
use crate::error::{Error, Result};
use crate::git::Repo;

/// One release of the book.
#[derive(Debug, Clone)]
pub struct Release {
    /// The name as written (a tag name, a ref, a configured name), shown to readers.
    pub name: String,
    /// The folder of the release in the site: the name with anything but letters, digits, `.`,
    /// `_` and `-` replaced, never starting with a dot, unique.
    pub dir: String,
    /// The date of the tag or commit, `YYYY-MM-DD`, when known.
    pub date: Option<String>,
    /// Where it comes from, for messages.
    pub origin: String,
    /// Its Markdown sources.
    pub sources: Vec<SourcePath>,
}

/// The releases of a book, oldest first.
#[derive(Debug, Clone)]
pub struct Releases {
    /// The releases.
    pub list: Vec<Release>,
    /// Index of the latest release in `list`.
    pub latest: usize,
    /// Whether the book configures releases (else it has the one implicit release).
    pub configured: bool,
    /// Things worth saying that do not stop the build (a tag pattern that matches no tag).
    pub warnings: Vec<String>,
}

/// Folder names a release may not take: they hold the site's own files.
pub(crate) const RESERVED: &[&str] = &["latest", "assets", "index.html", "404.html", "schema.json"];

/// Reads the releases of the book at `root`; sources that cannot be read are returned as errors
/// (the rest is still built), a release that cannot be found at all is an error.
pub fn resolve(root: &std::path::Path, config: &Config) -> Result<(Releases, Vec<Error>)> {
    let Some(spec) = &config.releases else {
        discover::content_folder(root, config)?;
        let (sources, errors) = discover::book_sources(root, config);
        let name = config.build.release.clone();
        let release = Release {
            dir: dir_name(&name, &mut HashSet::new()),
            name,
            date: None,
            origin: "working tree".into(),
            sources,
        };
        return Ok((
            Releases {
                list: vec![release],
                latest: 0,
                configured: false,
                warnings: Vec::new(),
            },
            errors,
        ));
    };
    let mut list = Vec::new();
    let mut errors = Vec::new();
    let mut taken = HashSet::new();
    folder_releases(root, spec, &mut taken, &mut list, &mut errors)?;
    let mut warnings = Vec::new();
    let found = git_releases(
        root,
        config,
        spec,
        &mut taken,
        &mut list,
        (&mut errors, &mut warnings),
    )?;
    if let (Some(pattern), 0) = (&spec.tags, found) {
        warnings.push(format!(
            "`[releases] tags = {pattern:?}` matches no tag of the repository (a shallow clone has none: fetch the tags)"
        ));
    }
    let with_tree = spec.working_tree.is_some() || list.is_empty();
    if with_tree {
        let name = spec
            .working_tree
            .clone()
            .unwrap_or_else(|| config.build.release.clone());
        discover::content_folder(root, config)?;
        let (sources, failed) = discover::book_sources(root, config);
        errors.extend(failed);
        list.push(Release {
            dir: dir_name(&name, &mut taken),
            name,
            date: None,
            origin: "working tree".into(),
            sources,
        });
    }
    warnings.extend(same_names(&list));
    let latest = if with_tree && list.len() > 1 {
        list.len() - 2
    } else {
        list.len() - 1
    };
    Ok((
        Releases {
            list,
            latest,
            configured: true,
            warnings,
        },
        errors,
    ))
}

/// The releases of `[releases] folders`, in order.
fn folder_releases(
    root: &std::path::Path,
    spec: &ReleasesConfig,
    taken: &mut HashSet<String>,
    list: &mut Vec<Release>,
    errors: &mut Vec<Error>,
) -> Result<()> {
    for folder in &spec.folders {
        let path = discover::join_root(root, &folder.path);
        if !path.is_dir() {
            return Err(Error::Release {
                name: folder.name.clone(),
                message: format!("folder `{}` does not exist", path.display()),
            });
        }
        let inside =
            |p: &std::path::Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_owned());
        if !inside(&path).starts_with(inside(root)) {
            return Err(Error::Release {
                name: folder.name.clone(),
                message: format!(
                    "folder `{}` is outside the book; a release folder is a path inside it",
                    folder.path.display()
                ),
            });
        }
        let (sources, failed) = discover::path_sources(root, std::slice::from_ref(&path));
        errors.extend(failed);
        list.push(Release {
            dir: dir_name(&folder.name, taken),
            name: folder.name.clone(),
            date: None,
            origin: format!("folder {}", path.display()),
            sources,
        });
    }
    Ok(())
}

/// The releases of `[releases] refs` (in order) and `tags` (by version); returns how many tags
/// matched.
fn git_releases(
    root: &std::path::Path,
    config: &Config,
    spec: &ReleasesConfig,
    taken: &mut HashSet<String>,
    list: &mut Vec<Release>,
    (errors, warnings): (&mut Vec<Error>, &mut Vec<String>),
) -> Result<usize> {
    if spec.refs.is_empty() && spec.tags.is_none() {
        return Ok(0);
    }
    let repo = Repo::open(root).ok_or_else(|| Error::Release {
        name: spec.tags.clone().or_else(|| spec.refs.first().cloned()).unwrap_or_default(),
        message: "`[releases]` names git refs or tags, but the book is not in a git repository (or `git` cannot be run)".into(),
    })?;
    for name in &spec.refs {
        let commit = repo.resolve(name).ok_or_else(|| Error::Release {
            name: name.clone(),
            message: "no such git ref in the repository".into(),
        })?;
        let date = repo.commit_date(&commit).ok();
        let release = git_release(&repo, config, name, &commit, date, taken, errors)?;
        list.extend(with_checklists(release, config, warnings));
    }
    let mut matched = 0;
    if let Some(pattern) = &spec.tags {
        let mut tags: Vec<_> = repo
            .tags()?
            .into_iter()
            .filter(|t| glob(pattern, &t.name))
            .collect();
        tags.sort_by(|a, b| compare_versions(&a.name, &b.name));
        matched = tags.len();
        for tag in tags {
            let date = Some(tag.date.clone()).filter(|d| !d.is_empty());
            let release = git_release(&repo, config, &tag.name, &tag.commit, date, taken, errors)?;
            list.extend(with_checklists(release, config, warnings));
        }
    }
    Ok(matched)
}

/// `release` when it has checklists. A tag on a commit without the content folder (a tag of
/// the code, before the book existed, or after it moved) is left out with a warning: as the
/// latest release it would be an empty site, and the next would list every checklist as added.
fn with_checklists(
    release: Release,
    config: &Config,
    warnings: &mut Vec<String>,
) -> Option<Release> {
    if release.sources.is_empty() {
        warnings.push(format!(
            "release `{}` ({}) has no checklist in `{}`; it is left out of the site",
            release.name,
            release.origin,
            config.build.content.display()
        ));
        None
    } else {
        Some(release)
    }
}

fn git_release(
    repo: &Repo,
    config: &Config,
    name: &str,
    commit: &str,
    date: Option<String>,
    taken: &mut HashSet<String>,
    errors: &mut Vec<Error>,
) -> Result<Release> {
    let (sources, failed) = repo.sources(name, commit, &config.build.content)?;
    errors.extend(failed);
    Ok(Release {
        dir: dir_name(name, taken),
        name: name.to_owned(),
        date,
        origin: format!("git {commit}"),
        sources,
    })
}

/// Warnings for releases that share a name (a ref listed twice, a folder named like a tag):
/// readers could not tell them apart in the version switcher.
fn same_names(list: &[Release]) -> Vec<String> {
    let mut by_name: std::collections::BTreeMap<&str, Vec<&Release>> =
        std::collections::BTreeMap::new();
    for release in list {
        by_name
            .entry(release.name.as_str())
            .or_default()
            .push(release);
    }
    by_name
        .into_iter()
        .filter(|(_, same)| same.len() > 1)
        .map(|(name, same)| {
            let places: Vec<String> = same
                .iter()
                .map(|r| format!("{} in {}/", r.origin, r.dir))
                .collect();
            format!(
                "{} releases are named `{name}` ({}); the version switcher cannot tell them apart: give each its own name",
                same.len(),
                places.join(", ")
            )
        })
        .collect()
}

/// A safe, unique folder name for a release name.
fn dir_name(name: &str, taken: &mut HashSet<String>) -> String {
    let mut dir: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '-'
            }
        })
        .collect();
    if dir.starts_with(['.', '-']) || dir.is_empty() {
        dir.insert(0, '_');
    }
    if RESERVED.contains(&dir.to_ascii_lowercase().as_str()) {
        dir.push_str("-release");
    }
    let mut unique = dir.clone();
    let mut n = 2;
    while !taken.insert(unique.to_ascii_lowercase()) {
        unique = format!("{dir}-{n}");
        n += 1;
    }
    unique
}

/// Whether `name` matches a glob `pattern` (`*` any run of characters, `?` one character).
#[must_use]
pub fn glob(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    // Iterative matching with backtracking to the last `*`: linear in practice, never recursive.
    let (mut i, mut j) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while j < n.len() {
        if i < p.len() && (p[i] == '?' || p[i] == n[j]) {
            i += 1;
            j += 1;
        } else if i < p.len() && p[i] == '*' {
            star = Some((i, j));
            i += 1;
        } else if let Some((si, sj)) = star {
            i = si + 1;
            j = sj + 1;
            star = Some((si, sj + 1));
        } else {
            return false;
        }
    }
    p[i..].iter().all(|&c| c == '*')
}

/// Orders version-like names: a leading text (`v`, `release-`) first, then numbers as numbers; a
/// pre-release (`-rc.1`) comes before its release, and names that tie otherwise compare as text.
#[must_use]
pub fn compare_versions(a: &str, b: &str) -> Ordering {
    let key = |s: &str| {
        let digits = s.find(|c: char| c.is_ascii_digit()).unwrap_or(s.len());
        let (prefix, s) = s.split_at(digits);
        let prefix = prefix.to_ascii_lowercase();
        let prefix = prefix.trim_start_matches('v').to_owned();
        let (core, pre) = match s.find(['-', '+']) {
            Some(at) => (&s[..at], Some(&s[at..])),
            None => (s, None),
        };
        let numbers: Vec<u64> = core
            .split(|c: char| !c.is_ascii_digit())
            .filter(|p| !p.is_empty())
            .map(|p| p.parse().unwrap_or(u64::MAX))
            .collect();
        (prefix, numbers, pre.is_none(), pre.map(chunks))
    };
    key(a).cmp(&key(b)).then_with(|| a.cmp(b))
}

/// A pre-release tag split into text and numbers, for a natural order (`rc.2` < `rc.10`).
fn chunks(s: &str) -> Vec<(String, u64)> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut digits = String::new();
    for c in s.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else {
            if !digits.is_empty() {
                out.push((
                    std::mem::take(&mut text),
                    digits.parse().unwrap_or(u64::MAX),
                ));
                digits.clear();
            }
            text.push(c);
        }
    }
    out.push((text, digits.parse().unwrap_or(0)));
    out
}

/// A path of a release folder, for `[releases] folders`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FolderRelease {
    /// The release name.
    pub name: String,
    /// The folder of Markdown checklists, relative to the book root.
    pub path: PathBuf,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_sort_naturally() {
        let mut prefixed = vec![
            "release-2.0",
            "release-2.0-rc.1",
            "release-1.10",
            "release-1.9",
        ];
        prefixed.sort_by(|a, b| compare_versions(a, b));
        assert_eq!(
            prefixed,
            [
                "release-1.9",
                "release-1.10",
                "release-2.0-rc.1",
                "release-2.0"
            ]
        );
        let mut tags = vec![
            "v1.10.0",
            "v1.9.0",
            "v2.0.0",
            "v2.0.0-rc.10",
            "v2.0.0-rc.2",
            "v1.9",
        ];
        tags.sort_by(|a, b| compare_versions(a, b));
        assert_eq!(
            tags,
            [
                "v1.9",
                "v1.9.0",
                "v1.10.0",
                "v2.0.0-rc.2",
                "v2.0.0-rc.10",
                "v2.0.0"
            ]
        );
    }

    #[test]
    fn globs_match_like_git_tag_patterns() {
        assert!(glob("v*", "v1.0"));
        assert!(glob("*", "--output=x"));
        assert!(glob("release-?.*", "release-1.2"));
        assert!(!glob("v*", "1.0"));
        assert!(glob("*a*b*c*", "xaxbxcx"));
        assert!(!glob("a*a*a*a*b", &"a".repeat(5000)));
    }

    /// Regression: a ref listed twice, or a folder named like a tag, gave two releases of one
    /// name with no word of it.
    #[test]
    fn releases_of_one_name_are_a_warning() {
        let release = |name: &str, dir: &str| Release {
            name: name.into(),
            dir: dir.into(),
            date: None,
            origin: "working tree".into(),
            sources: Vec::new(),
        };
        let list = [
            release("v1.0.0", "v1.0.0"),
            release("v1.1.0", "v1.1.0"),
            release("v1.0.0", "v1.0.0-2"),
        ];
        let warnings = same_names(&list);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0].starts_with("2 releases are named `v1.0.0`"),
            "{warnings:?}"
        );
        assert!(same_names(&list[..2]).is_empty());
    }

    #[test]
    fn dir_names_are_safe_and_unique() {
        let mut taken = HashSet::new();
        assert_eq!(dir_name("--output=x", &mut taken), "_--output-x");
        assert_eq!(dir_name("-h", &mut taken), "_-h");
        assert_eq!(dir_name("..", &mut taken), "_..");
        assert_eq!(dir_name("a b", &mut taken), "a-b");
        assert_eq!(dir_name("a/b", &mut taken), "a-b-2");
        assert_eq!(dir_name("latest", &mut taken), "latest-release");
        assert_eq!(dir_name("", &mut taken), "_");
    }
}
