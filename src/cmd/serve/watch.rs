//! Watching the site's sources with notify, and deciding what a burst of
//! file events means.
//!
//! Editors save in odd ways (write in place, write a temp file and rename
//! it, delete and create, swap files like `.swp`, `~`, `4913`); all events
//! that arrive close together become one [`Batch`], and files that are
//! never published do not count.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

use crate::source::content::is_ignored;

/// Events closer together than this belong to one save.
const QUIET: Duration = Duration::from_millis(40);

/// The folders and files of a site that a rebuild depends on.
pub fn watched_paths(root: &Path) -> Vec<(PathBuf, bool)> {
    let mut paths: Vec<(PathBuf, bool)> = ["content", "static", "templates", "themes"]
        .iter()
        .map(|dir| (root.join(dir), true))
        .filter(|(p, _)| p.is_dir())
        .collect();
    // The root itself, not recursively: for echt.yaml (and folders created later).
    paths.push((root.to_path_buf(), false));
    paths
}

/// One burst of changes.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Batch {
    pub paths: Vec<PathBuf>,
}

impl Batch {
    /// Whether anything in the batch can change the site.
    pub fn matters(&self, root: &Path) -> bool {
        self.paths.iter().any(|p| relevant(root, p))
    }
}

/// A path whose change can alter the built site.
pub fn relevant(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let mut components = rel.components().map(|c| c.as_os_str().to_string_lossy());
    let Some(first) = components.next() else {
        return false;
    };
    if first == crate::source::config::CONFIG_FILE && rel.components().count() == 1 {
        return true;
    }
    if !["content", "static", "templates", "themes"].contains(&first.as_ref()) {
        return false;
    }
    // Editor leftovers anywhere on the way are never published.
    rel.components()
        .all(|c| !is_ignored(&c.as_os_str().to_string_lossy()))
}

/// Waits for the next burst of events and collects it; None when the
/// watcher is gone.
pub fn next_batch(events: &Receiver<notify::Result<notify::Event>>) -> Option<Batch> {
    let mut batch = Batch::default();
    let first = events.recv().ok()?;
    add(&mut batch, first);
    loop {
        match events.recv_timeout(QUIET) {
            Ok(event) => add(&mut batch, event),
            Err(RecvTimeoutError::Timeout) => return Some(batch),
            Err(RecvTimeoutError::Disconnected) => return Some(batch),
        }
    }
}

fn add(batch: &mut Batch, event: notify::Result<notify::Event>) {
    if let Ok(event) = event {
        if matches!(event.kind, notify::EventKind::Access(_)) {
            return;
        }
        for path in event.paths {
            if !batch.paths.contains(&path) {
                batch.paths.push(path);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_leftovers_and_output_do_not_count() {
        let root = Path::new("/site");
        assert!(relevant(root, Path::new("/site/content/posts/a.md")));
        assert!(relevant(root, Path::new("/site/echt.yaml")));
        assert!(relevant(
            root,
            Path::new("/site/themes/default/static/style.css")
        ));
        for ignored in [
            "/site/content/posts/.a.md.swp",
            "/site/content/posts/a.md~",
            "/site/content/posts/4913",
            "/site/content/posts/#a.md#",
            "/site/public/index.html",
            "/site/target/x",
            "/site/notizen.txt",
            "/elsewhere/content/a.md",
        ] {
            assert!(!relevant(root, Path::new(ignored)), "{ignored}");
        }
    }
}
