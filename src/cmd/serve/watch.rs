//! Watching the site's sources with notify, and deciding what a burst of
//! file events means.
//!
//! Editors save in odd ways (write in place, write a temp file and rename
//! it, delete and create, swap files like `.swp`, `~`, `4913`); all events
//! that arrive close together become one [`Batch`], and files that are
//! never published do not count.
//!
//! A batch ends after [`QUIET`] without events, or after the shorter
//! [`CLOSED`] once it is plainly one finished write in place: every file
//! it changed was written and closed again, and nothing was created,
//! removed or renamed (the watcher of Linux reports the close; elsewhere
//! batches always wait for [`QUIET`]).

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

use notify::event::{AccessKind, AccessMode, ModifyKind};
use notify::EventKind;

use crate::source::content::is_ignored;

/// Events closer together than this belong to one save.
pub const QUIET: Duration = Duration::from_millis(40);

/// How long a batch waits for more once every file it wrote was closed
/// again: an editor that writes in place is done then, and what it may
/// still do (remove its backup or swap file) does not matter.
pub const CLOSED: Duration = Duration::from_millis(10);

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
    /// Every path an event named (but for opening and closing).
    pub paths: Vec<PathBuf>,
    /// Whether the watcher may have missed events (its queue overflowed,
    /// or it failed): then nothing known about the files can be trusted.
    pub lost: bool,
    /// Whether anything but writes to files that matter happened: a file
    /// created, removed or renamed, or an event of unknown meaning.
    moved: bool,
    /// Files that matter written to and not closed since.
    open: Vec<PathBuf>,
    /// Whether a file that matters was closed after writing.
    closed: bool,
}

impl Batch {
    /// The changes to `paths`, as the watcher would report them.
    pub fn of(paths: impl IntoIterator<Item = PathBuf>) -> Batch {
        Batch {
            paths: paths.into_iter().collect(),
            ..Batch::default()
        }
    }

    /// Changes the watcher may have missed.
    pub fn lost() -> Batch {
        Batch {
            lost: true,
            ..Batch::default()
        }
    }

    /// Whether anything in the batch can change the site; so can events
    /// the watcher missed.
    pub fn matters(&self, root: &Path) -> bool {
        self.lost || self.paths.iter().any(|p| relevant(root, p))
    }

    /// Whether every path that matters is below `dir`.
    pub fn only_below(&self, root: &Path, dir: &Path) -> bool {
        self.paths
            .iter()
            .all(|p| p.starts_with(dir) || !relevant(root, p))
    }

    /// How long to wait for the next event before the batch is complete.
    fn quiet(&self) -> Duration {
        if self.closed && self.open.is_empty() && !self.moved && !self.lost {
            CLOSED
        } else {
            QUIET
        }
    }

    /// Adds what one event (of a site at `root`) says.
    fn add(&mut self, root: &Path, event: notify::Result<notify::Event>) {
        let event = match event {
            Ok(event) => event,
            Err(_) => {
                self.lost = true;
                return;
            }
        };
        if event.need_rescan() {
            self.lost = true;
        }
        let matters = event.paths.iter().any(|p| relevant(root, p));
        match event.kind {
            EventKind::Access(AccessKind::Close(AccessMode::Write)) => {
                self.open.retain(|p| !event.paths.contains(p));
                self.closed |= matters;
                return;
            }
            EventKind::Access(_) => return,
            EventKind::Modify(ModifyKind::Data(_)) => {
                for path in event.paths.iter().filter(|p| relevant(root, p)) {
                    if !self.open.contains(path) {
                        self.open.push(path.clone());
                    }
                }
            }
            EventKind::Modify(ModifyKind::Metadata(_)) => {}
            _ => self.moved |= matters,
        }
        for path in event.paths {
            if !self.paths.contains(&path) {
                self.paths.push(path);
            }
        }
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

/// Waits for the next burst of events (of the site at `root`) and
/// collects it; None when the watcher is gone.
pub fn next_batch(root: &Path, events: &Receiver<notify::Result<notify::Event>>) -> Option<Batch> {
    let mut batch = Batch::default();
    let first = events.recv().ok()?;
    batch.add(root, first);
    loop {
        match events.recv_timeout(batch.quiet()) {
            Ok(event) => batch.add(root, event),
            Err(RecvTimeoutError::Timeout) => return Some(batch),
            Err(RecvTimeoutError::Disconnected) => return Some(batch),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{CreateKind, DataChange, Flag, MetadataKind, RenameMode};

    fn batch(events: Vec<notify::Result<notify::Event>>) -> Batch {
        let mut batch = Batch::default();
        for event in events {
            batch.add(Path::new("/site"), event);
        }
        batch
    }

    fn event(kind: EventKind, path: &str) -> notify::Result<notify::Event> {
        Ok(notify::Event::new(kind).add_path(PathBuf::from(path)))
    }

    const POST: &str = "/site/content/posts/a.md";
    const WRITE: EventKind = EventKind::Modify(ModifyKind::Data(DataChange::Any));
    const CLOSE: EventKind = EventKind::Access(AccessKind::Close(AccessMode::Write));

    #[test]
    fn a_write_in_place_ends_soon_after_the_file_is_closed() {
        let open = batch(vec![
            event(EventKind::Access(AccessKind::Open(AccessMode::Any)), POST),
            event(WRITE, POST),
            event(WRITE, POST),
        ]);
        assert_eq!(open.quiet(), QUIET);
        let closed = batch(vec![
            event(WRITE, POST),
            event(WRITE, POST),
            event(CLOSE, POST),
        ]);
        assert_eq!(closed.quiet(), CLOSED);
        assert_eq!(closed.paths, [PathBuf::from(POST)]);
        assert!(!closed.lost);
        // A backup or swap file does not count; `touch` is a write too.
        let leftovers = batch(vec![
            event(
                EventKind::Create(CreateKind::File),
                "/site/content/posts/a.md~",
            ),
            event(WRITE, "/site/content/posts/a.md~"),
            event(CLOSE, "/site/content/posts/a.md~"),
            event(WRITE, POST),
            event(
                EventKind::Modify(ModifyKind::Metadata(MetadataKind::Any)),
                POST,
            ),
            event(CLOSE, POST),
        ]);
        assert_eq!(leftovers.quiet(), CLOSED);
        // Closing a file that does not matter proves nothing.
        let backup = batch(vec![
            event(WRITE, "/site/content/posts/a.md~"),
            event(CLOSE, "/site/content/posts/a.md~"),
        ]);
        assert_eq!(backup.quiet(), QUIET);
    }

    #[test]
    fn a_file_written_anew_waits_for_quiet() {
        // A temporary file renamed over the post.
        let renamed = batch(vec![
            event(
                EventKind::Create(CreateKind::File),
                "/site/content/posts/a.md.tmp",
            ),
            event(WRITE, "/site/content/posts/a.md.tmp"),
            event(CLOSE, "/site/content/posts/a.md.tmp"),
            event(EventKind::Modify(ModifyKind::Name(RenameMode::To)), POST),
        ]);
        assert_eq!(renamed.quiet(), QUIET);
        // Deleted and written again.
        let recreated = batch(vec![
            event(EventKind::Remove(notify::event::RemoveKind::File), POST),
            event(EventKind::Create(CreateKind::File), POST),
            event(WRITE, POST),
            event(CLOSE, POST),
        ]);
        assert_eq!(recreated.quiet(), QUIET);
        // Two files, one still open.
        let two = batch(vec![
            event(WRITE, POST),
            event(CLOSE, POST),
            event(WRITE, "/site/content/posts/b.md"),
        ]);
        assert_eq!(two.quiet(), QUIET);
    }

    #[test]
    fn lost_events_are_noted() {
        let overflow = Ok(notify::Event::new(EventKind::Other).set_flag(Flag::Rescan));
        let lost = batch(vec![event(WRITE, POST), event(CLOSE, POST), overflow]);
        assert!(lost.lost);
        assert_eq!(lost.quiet(), QUIET);
        let failed = batch(vec![Err(notify::Error::generic("gone"))]);
        assert!(failed.lost);
        // Even with no path to show for it, it needs a rebuild.
        assert!(failed.matters(Path::new("/site")));
        assert!(!batch(vec![event(WRITE, "/site/public/index.html")]).matters(Path::new("/site")));
    }

    #[test]
    fn a_batch_knows_where_its_changes_are() {
        let root = Path::new("/site");
        let content = root.join("content");
        let edits = Batch::of([
            PathBuf::from(POST),
            // Editor leftovers and the output do not count.
            PathBuf::from("/site/templates/.post.html.swp"),
            PathBuf::from("/site/public/index.html"),
        ]);
        assert!(edits.only_below(root, &content));
        let template = Batch::of([PathBuf::from(POST), root.join("templates/post.html")]);
        assert!(!template.only_below(root, &content));
        assert!(!Batch::of([root.join("echt.yaml")]).only_below(root, &content));
    }

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
