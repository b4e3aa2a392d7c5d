//! The preview's copy of the site, in memory.
//!
//! A rebuild renders into a fresh [`MemorySink`]; only when it succeeds does
//! the finished [`Snapshot`] replace the one being served, so readers never
//! see half a site and `public/` is never touched by the preview.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use crate::cmd::serve::http::Target;
use crate::output::Sink;
use crate::util::error::{io_message, Diagnostic};

/// One complete build: output path → content.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Snapshot {
    files: HashMap<String, Arc<[u8]>>,
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
            return match self.files.get(&index) {
                Some(body) => Lookup::File {
                    rel: index,
                    body: body.clone(),
                },
                None => self.not_found(),
            };
        }
        if let Some(body) = self.files.get(rel) {
            return Lookup::File {
                rel: rel.clone(),
                body: body.clone(),
            };
        }
        if self.files.contains_key(&index) {
            return Lookup::Redirect(format!("/{rel}/"));
        }
        self.not_found()
    }

    fn not_found(&self) -> Lookup {
        Lookup::NotFound(self.files.get("404.html").cloned())
    }

    /// The files that differ between two snapshots, for tests.
    #[cfg(test)]
    pub fn differences(&self, other: &Snapshot) -> Vec<String> {
        let mut files: Vec<String> = self
            .files
            .keys()
            .chain(other.files.keys())
            .filter(|f| self.files.get(*f) != other.files.get(*f))
            .cloned()
            .collect();
        files.sort();
        files.dedup();
        files
    }

    /// Drops files the site no longer has.
    pub fn remove<'a>(&mut self, files: impl IntoIterator<Item = &'a String>) {
        for file in files {
            self.files.remove(file);
        }
    }
}

/// Collects a build in memory.
#[derive(Debug, Default)]
pub struct MemorySink {
    files: Mutex<HashMap<String, Arc<[u8]>>>,
}

/// Starts from an earlier build: files not written again are kept as they are.
impl From<&Snapshot> for MemorySink {
    fn from(snapshot: &Snapshot) -> Self {
        MemorySink {
            files: Mutex::new(snapshot.files.clone()),
        }
    }
}

impl MemorySink {
    pub fn into_snapshot(self) -> Snapshot {
        Snapshot {
            files: self
                .files
                .into_inner()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        }
    }

    fn insert(&self, rel: &str, bytes: Arc<[u8]>) {
        let mut files = self
            .files
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        files.insert(rel.to_string(), bytes);
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
