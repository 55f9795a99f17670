//! Navigation between releases: the version switcher of every page, the banner and canonical
//! link of releases other than the latest, and links to the "what changed" page.
//!
//! A switcher link goes to the same checklist in the other release when it is there (matched as
//! `preflight diff` matches checklists, so renames are followed), with the sections that were
//! renamed as a map the page script applies to the current anchor; otherwise it goes to that
//! release's home with `?missing=<id>`, which the home page turns into a notice. Every link is a
//! page that exists, so switching never ends on a 404.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use crate::diff::{ChecklistMatch, pair_checklists};
use crate::model::Checklist;
use crate::releases::{Release, Releases};

/// What the pages of one release know of the others.
pub(super) struct ReleaseNav<'a> {
    releases: &'a [Release],
    current: usize,
    latest: usize,
    versioned: bool,
    /// For each release (none for the current one): this release's checklist id → its partner.
    targets: Vec<Option<HashMap<String, Target>>>,
    /// Ids of this release's checklists listed on its "what changed" page.
    changed: HashSet<String>,
}

/// A checklist's partner in another release.
struct Target {
    id: String,
    /// Section ids that differ there: id here → id there.
    sections: BTreeMap<String, String>,
}

/// The navigation of one page, for templates (`nav`).
#[derive(Debug, Serialize)]
pub(super) struct PageNav {
    /// Every release, newest first, with where this page goes there; empty without releases.
    versions: Vec<VersionLink>,
    /// For a release other than the latest: the same page in the latest.
    banner: Option<Banner>,
    /// Link to the "what changed" entry of this page, relative to the site root.
    changes: Option<String>,
}

#[derive(Debug, Serialize)]
struct VersionLink {
    name: String,
    /// Relative to the site root.
    href: String,
    current: bool,
    /// The page is not in that release: the link goes to its home.
    missing: bool,
    /// `latest`, `draft`, `not in this release`, or the release's date.
    note: Option<String>,
    /// JSON object of renamed section ids (here → there), when any.
    sections: Option<String>,
}

#[derive(Debug, Serialize)]
struct Banner {
    /// The latest release's name.
    latest: String,
    /// The same page in the latest release (or its home), relative to the site root.
    href: String,
    /// The same page in the latest release, when it is there: the canonical URL of this one.
    canonical: Option<String>,
    /// Whether this release is newer than the latest (the working tree).
    draft: bool,
    /// Whether the page's checklist is not in the latest release (`href` is that release's
    /// home).
    missing: bool,
}

impl<'a> ReleaseNav<'a> {
    /// The navigation of a book with one release and no `[releases]`: none.
    pub(super) fn single(release: &'a Release) -> ReleaseNav<'a> {
        ReleaseNav {
            releases: std::slice::from_ref(release),
            current: 0,
            latest: 0,
            versioned: false,
            targets: vec![None],
            changed: HashSet::new(),
        }
    }

    /// The navigation of release `current` of a versioned book, whose checklists are `models`
    /// (one list per release); `changed` are the ids on its "what changed" page.
    pub(super) fn new(
        releases: &'a Releases,
        models: &[Vec<Checklist>],
        current: usize,
        changed: HashSet<String>,
    ) -> ReleaseNav<'a> {
        let here = &models[current];
        let targets = models
            .iter()
            .enumerate()
            .map(|(j, there)| (j != current).then(|| targets(here, there)))
            .collect();
        ReleaseNav {
            releases: &releases.list,
            current,
            latest: releases.latest,
            versioned: true,
            targets,
            changed,
        }
    }

    /// Whether the book has releases (and so switchers and "what changed" pages).
    pub(super) fn versioned(&self) -> bool {
        self.versioned
    }

    /// The navigation of a checklist's page.
    pub(super) fn checklist_page(&self, c: &Checklist) -> PageNav {
        if !self.versioned {
            return PageNav::none();
        }
        let link = |j: usize| -> (String, bool, Option<String>) {
            let dir = &self.releases[j].dir;
            match &self.targets[j] {
                None => (format!("{dir}/{}/index.html", c.id), false, None),
                Some(map) => match map.get(&c.id) {
                    Some(t) => {
                        let sections = (!t.sections.is_empty())
                            .then(|| serde_json::to_string(&t.sections).unwrap_or_default());
                        (format!("{dir}/{}/index.html", t.id), false, sections)
                    }
                    None => (format!("{dir}/index.html?missing={}", c.id), true, None),
                },
            }
        };
        let versions = self.versions(&link);
        let banner = (self.current != self.latest).then(|| {
            let (href, missing, _) = link(self.latest);
            let href = format!(
                "latest/{}",
                href.split_once('/').map_or("", |(_, rest)| rest)
            );
            let mut banner = self.banner(href);
            if missing {
                banner.canonical = None;
                banner.missing = true;
            }
            banner
        });
        let changes = (self.current > 0 && self.changed.contains(&c.id)).then(|| {
            format!(
                "{}/changes/index.html#changes:{}",
                self.releases[self.current].dir, c.id
            )
        });
        PageNav {
            versions,
            banner,
            changes,
        }
    }

    /// The navigation of a release-wide page at `rel` under each release's folder.
    pub(super) fn release_page(&self, rel: &str) -> PageNav {
        if !self.versioned {
            return PageNav::none();
        }
        let link = |j: usize| (format!("{}/{rel}", self.releases[j].dir), false, None);
        let banner = (self.current != self.latest).then(|| {
            let mut banner = self.banner(format!("latest/{rel}"));
            // What changed in another release is another page, not a newer copy of this one.
            if rel.starts_with("changes/") {
                banner.canonical = None;
            }
            banner
        });
        PageNav {
            versions: self.versions(&link),
            banner,
            changes: None,
        }
    }

    fn versions(&self, link: &dyn Fn(usize) -> (String, bool, Option<String>)) -> Vec<VersionLink> {
        (0..self.releases.len())
            .rev()
            .map(|j| {
                let (href, missing, sections) = link(j);
                let r = &self.releases[j];
                VersionLink {
                    name: r.name.clone(),
                    href,
                    current: j == self.current,
                    missing,
                    note: if j == self.latest && missing {
                        Some("latest, not in this release".into())
                    } else if j == self.latest {
                        Some("latest".into())
                    } else if j > self.latest {
                        Some("draft".into())
                    } else if missing {
                        Some("not in this release".into())
                    } else {
                        r.date.clone()
                    },
                    sections,
                }
            })
            .collect()
    }

    fn banner(&self, href: String) -> Banner {
        Banner {
            latest: self.releases[self.latest].name.clone(),
            canonical: Some(href.clone()),
            href,
            draft: self.current > self.latest,
            missing: false,
        }
    }
}

impl PageNav {
    fn none() -> PageNav {
        PageNav {
            versions: Vec::new(),
            banner: None,
            changes: None,
        }
    }
}

/// Each checklist of `here` and its partner in `there`, with the sections renamed between them.
fn targets(here: &[Checklist], there: &[Checklist]) -> HashMap<String, Target> {
    let pairs = pair_checklists(here, there);
    let mut out = HashMap::with_capacity(here.len());
    for (o, c) in here.iter().enumerate() {
        let Some(n) = pairs.new_of(o) else { continue };
        let other = &there[n];
        let ids: HashSet<&str> = other.walk_sections().map(|s| s.id.as_str()).collect();
        let sections = if c.walk_sections().all(|s| ids.contains(s.id.as_str())) {
            BTreeMap::new()
        } else {
            ChecklistMatch::new(c, other)
                .section_ids()
                .filter(|(a, b)| a != b)
                .map(|(a, b)| (a.to_owned(), b.to_owned()))
                .collect()
        };
        out.insert(
            c.id.clone(),
            Target {
                id: other.id.clone(),
                sections,
            },
        );
    }
    out
}
