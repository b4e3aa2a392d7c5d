//! Rebuilding only what a change touches, for the preview and for a
//! cached `echt build`.
//!
//! Every output file gets a fingerprint: a hash of everything it is made
//! from. For a page that is its template (with the templates that one
//! extends, imports or includes), the data all pages share, and the
//! documents it shows, counting only the fields it shows of them: a list
//! page hashes each post's card (title, date, summary, …), not its full
//! text. Copied files are fingerprinted by their source's stamp. Comparing
//! the fingerprints of two loads of the site gives the [`Plan`]: the files
//! to render again and the files to remove. A file whose fingerprint is
//! unchanged would render to the same bytes, so the preview after any
//! series of edits equals a clean build of the same sources.
//!
//! The fingerprints themselves are computed by the code that renders each
//! file (`render::Prepared::fingerprints`), from the same typed template
//! contexts the templates are given, so what a page shows and what its
//! fingerprint covers cannot drift apart.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use crate::output::Sink;
use crate::util::error::Diagnostic;

/// Output file (below the site root) → fingerprint of what it is made of.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Fingerprints(HashMap<String, u64>);

impl Fingerprints {
    /// Records `file`; the first record of a path wins, as the first
    /// writer does in a build.
    pub fn insert(&mut self, file: String, fingerprint: u64) {
        self.0.entry(file).or_insert(fingerprint);
    }

    /// Replaces the fingerprint of a file it has; false if it has none.
    pub fn replace(&mut self, file: &str, fingerprint: u64) -> bool {
        match self.0.get_mut(file) {
            Some(print) => {
                *print = fingerprint;
                true
            }
            None => false,
        }
    }

    /// The fingerprint of `file`, if the site has it.
    pub fn get(&self, file: &str) -> Option<u64> {
        self.0.get(file).copied()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Every output file, in no particular order.
    pub fn files(&self) -> impl Iterator<Item = &String> {
        self.0.keys()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// What to do to turn the output of `previous` into the output of
    /// `self`: every file when there is no previous output.
    pub fn plan(&self, previous: Option<&Fingerprints>) -> Plan {
        let write = self
            .0
            .iter()
            .filter(|(file, now)| previous.and_then(|p| p.0.get(*file)) != Some(now))
            .map(|(file, _)| file.clone())
            .collect();
        let remove = previous
            .map(|p| {
                p.0.keys()
                    .filter(|file| !self.0.contains_key(*file))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        Plan { write, remove }
    }
}

/// The files a rebuild renders and removes.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Plan {
    pub write: BTreeSet<String>,
    pub remove: BTreeSet<String>,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.write.is_empty() && self.remove.is_empty()
    }

    /// Whether the change is to stylesheets alone, which a browser can
    /// swap without reloading the page.
    pub fn only_stylesheets(&self) -> bool {
        self.remove.is_empty()
            && !self.write.is_empty()
            && self.write.iter().all(|f| f.ends_with(".css"))
    }
}

/// A sink that produces only the files a plan lists.
#[derive(Debug)]
pub struct Planned<'a, S: Sink> {
    pub out: &'a S,
    pub plan: &'a Plan,
}

impl<S: Sink> Sink for Planned<'_, S> {
    fn wants(&self, rel: &str) -> bool {
        self.plan.write.contains(rel) && self.out.wants(rel)
    }

    fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        self.out.write(rel, bytes)
    }

    fn copy(&self, from: &Path, rel: &str) -> Result<(), Diagnostic> {
        self.out.copy(from, rel)
    }
}
