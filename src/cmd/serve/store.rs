//! The preview's copy of the site, in memory.
//!
//! A rebuild renders into a fresh [`MemorySink`]; only when it succeeds does
//! the finished [`Snapshot`] replace the one being served, so readers never
//! see half a site and `public/` is never touched by the preview.
//!
//! A snapshot shares the files of the one it was made from: it holds only
//! what changed since, until that is a good part of the site (then it is
//! merged), so a save that renders three files of 13,000 does not copy
//! the list of all of them.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use crate::cmd::serve::http::Target;
use crate::output::Sink;
use crate::util::error::{io_message, Diagnostic};

/// Output path → content.
type Files = HashMap<String, Arc<[u8]>>;

/// One complete build: output path → content.
#[derive(Debug, Default, Clone)]
pub struct Snapshot {
    /// The files of an earlier snapshot.
    shared: Arc<Files>,
    /// What changed since: a file written, or removed (None).
    changed: HashMap<String, Option<Arc<[u8]>>>,
}

/// What a request finds in a snapshot.
#[derive(Debug, PartialEq, Eq)]
pub enum Lookup {
    File {
        rel: String,
        body: Arc<[u8]>,
    },
    /// A folder asked for without its trailing slash.
    Redirect(String),
    /// The site's 404 page, if it has one.
    NotFound(Option<Arc<[u8]>>),
}

impl Snapshot {
    fn get(&self, rel: &str) -> Option<&Arc<[u8]>> {
        match self.changed.get(rel) {
            Some(changed) => changed.as_ref(),
            None => self.shared.get(rel),
        }
    }

    fn contains(&self, rel: &str) -> bool {
        self.get(rel).is_some()
    }

    /// Every file, in no particular order.
    #[cfg(test)]
    fn files(&self) -> impl Iterator<Item = (&String, &Arc<[u8]>)> {
        let shared = self
            .shared
            .iter()
            .filter(|(rel, _)| !self.changed.contains_key(*rel));
        let changed = self
            .changed
            .iter()
            .filter_map(|(rel, body)| Some((rel, body.as_ref()?)));
        shared.chain(changed)
    }

    /// Merges what changed into the shared files once it is more than a
    /// small part of them (and then copies them once).
    fn settle(mut self) -> Snapshot {
        if self.changed.len() <= 64 + self.shared.len() / 16 {
            return self;
        }
        let mut files = Arc::unwrap_or_clone(self.shared);
        for (rel, body) in self.changed.drain() {
            match body {
                Some(body) => files.insert(rel, body),
                None => files.remove(&rel),
            };
        }
        Snapshot {
            shared: Arc::new(files),
            changed: HashMap::new(),
        }
    }

    pub fn lookup(&self, target: &Target) -> Lookup {
        let Target::Path { rel, dir } = target else {
            return self.not_found();
        };
        let index = if rel.is_empty() {
            "index.html".to_string()
        } else {
            format!("{rel}/index.html")
        };
        if *dir {
            return match self.get(&index) {
                Some(body) => Lookup::File {
                    rel: index,
                    body: body.clone(),
                },
                None => self.not_found(),
            };
        }
        if let Some(body) = self.get(rel) {
            return Lookup::File {
                rel: rel.clone(),
                body: body.clone(),
            };
        }
        if self.contains(&index) {
            return Lookup::Redirect(format!("/{rel}/"));
        }
        self.not_found()
    }

    fn not_found(&self) -> Lookup {
        Lookup::NotFound(self.get("404.html").cloned())
    }

    /// The files that differ between two snapshots, for tests.
    #[cfg(test)]
    pub fn differences(&self, other: &Snapshot) -> Vec<String> {
        let mut files: Vec<String> = self
            .files()
            .chain(other.files())
            .map(|(rel, _)| rel)
            .filter(|f| self.get(f) != other.get(f))
            .cloned()
            .collect();
        files.sort();
        files.dedup();
        files
    }

    /// Drops files the site no longer has.
    pub fn remove<'a>(&mut self, files: impl IntoIterator<Item = &'a String>) {
        for file in files {
            self.changed.insert(file.clone(), None);
        }
    }
}

/// Collects a build in memory.
#[derive(Debug, Default)]
pub struct MemorySink {
    shared: Arc<Files>,
    changed: Mutex<HashMap<String, Option<Arc<[u8]>>>>,
}

/// Starts from an earlier build: files not written again are kept as they are.
impl From<&Snapshot> for MemorySink {
    fn from(snapshot: &Snapshot) -> Self {
        MemorySink {
            shared: snapshot.shared.clone(),
            changed: Mutex::new(snapshot.changed.clone()),
        }
    }
}

impl MemorySink {
    pub fn into_snapshot(self) -> Snapshot {
        let changed = self
            .changed
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        Snapshot {
            shared: self.shared,
            changed,
        }
        .settle()
    }

    fn insert(&self, rel: &str, bytes: Arc<[u8]>) {
        let mut changed = self
            .changed
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        changed.insert(rel.to_string(), Some(bytes));
    }
}

impl Sink for MemorySink {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        self.insert(rel, Arc::from(bytes));
        Ok(())
    }

    fn copy(&self, from: &Path, rel: &str) -> Result<(), Diagnostic> {
        let bytes = std::fs::read(from).map_err(|e| Diagnostic::file(from, io_message(&e)))?;
        self.insert(rel, Arc::from(bytes));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cmd::serve::http::resolve;

    fn snapshot() -> Snapshot {
        let sink = MemorySink::default();
        for (rel, text) in [
            ("index.html", "start"),
            ("posts/a/index.html", "a"),
            ("style.css", "css"),
            ("404.html", "weg"),
        ] {
            sink.write(rel, text.as_bytes()).expect("memory");
        }
        sink.into_snapshot()
    }

    #[test]
    fn a_snapshot_shares_the_files_of_the_last() {
        let first = snapshot();
        let second = MemorySink::from(&first);
        second.write("posts/a/index.html", b"a2").expect("memory");
        second.write("posts/b/index.html", b"b").expect("memory");
        let mut second = second.into_snapshot();
        second.remove(&["style.css".to_string()]);
        assert!(Arc::ptr_eq(&first.shared, &second.shared));
        assert_eq!(
            second.differences(&first),
            ["posts/a/index.html", "posts/b/index.html", "style.css"]
        );
        assert!(matches!(
            second.lookup(&resolve("/style.css")),
            Lookup::NotFound(_)
        ));
        assert!(matches!(
            first.lookup(&resolve("/style.css")),
            Lookup::File { .. }
        ));
        // Written again after it was removed.
        let third = MemorySink::from(&second);
        third.write("style.css", b"css").expect("memory");
        let third = third.into_snapshot();
        assert_eq!(
            third.differences(&first),
            ["posts/a/index.html", "posts/b/index.html"]
        );
        // Once much has changed, the changes are merged in.
        let fourth = MemorySink::from(&third);
        for i in 0..100 {
            fourth.write(&format!("{i}.html"), b"x").expect("memory");
        }
        let fourth = fourth.into_snapshot();
        assert!(fourth.changed.is_empty());
        assert_eq!(fourth.differences(&third).len(), 100);
        assert_eq!(
            fourth.get("posts/a/index.html").map(|b| &b[..]),
            Some(&b"a2"[..])
        );
    }

    #[test]
    fn folders_serve_their_index_and_redirect_without_slash() {
        let s = snapshot();
        assert!(matches!(s.lookup(&resolve("/")), Lookup::File { rel, .. } if rel == "index.html"));
        assert!(
            matches!(s.lookup(&resolve("/posts/a/")), Lookup::File { rel, .. } if rel == "posts/a/index.html")
        );
        assert_eq!(
            s.lookup(&resolve("/posts/a")),
            Lookup::Redirect("/posts/a/".into())
        );
        assert!(matches!(
            s.lookup(&resolve("/style.css")),
            Lookup::File { .. }
        ));
        assert_eq!(
            s.lookup(&resolve("/fehlt/")),
            Lookup::NotFound(Some(Arc::from(&b"weg"[..])))
        );
        assert_eq!(
            s.lookup(&resolve("/../etc/passwd")),
            Lookup::NotFound(Some(Arc::from(&b"weg"[..])))
        );
    }
}
