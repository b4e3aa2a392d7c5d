//! Writing the site without ever losing the last good one.
//!
//! Renderers hand every file to a [`Sink`]. There are two:
//!
//! - [`Staging`], for a first build: everything is written into a staging
//!   folder beside the output folder, which is swapped in only when the whole
//!   build succeeded; on any error it is removed.
//! - [`Update`], for a rebuild over an existing output folder. Creating
//!   files and folders is the slowest thing a build does (on a typical disk
//!   far slower than rendering), while most files of a rebuild are unchanged.
//!   So the build renders everything and only *compares* with what is on
//!   disk, keeping changed files in memory (up to a limit) and writing
//!   nothing; if the build has any error, the output is untouched. Otherwise
//!   the changed files overwrite the old ones in place (a second rendering
//!   pass produces those that did not fit in memory), and files the site no
//!   longer has are removed.
//!
//! The output folder is also checked so that a build can never overwrite the
//! site's own sources.
//!
//! Stage 5. Takes files to write; hands on `public/` (or the preview's
//! memory), through [`plan`] which files a change touches, and through
//! [`cache`] what the last good build knew, kept beside the output.

use std::collections::HashSet;
use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::util::error::{io_message, Diagnostic, Error, Result};

pub mod cache;
pub mod plan;

/// The file that marks a folder as echt's output, safe to update.
pub const MARKER: &str = ".echt-output";

/// Where rendered files go. Paths are `/`-separated, below the output root.
pub trait Sink: Sync {
    /// Whether the file at `rel` needs to be produced at all; renderers skip
    /// the work when it does not.
    fn wants(&self, _rel: &str) -> bool {
        true
    }
    fn write(&self, rel: &str, bytes: &[u8]) -> std::result::Result<(), Diagnostic>;
    /// Copies the file `from` to `rel`.
    fn copy(&self, from: &Path, rel: &str) -> std::result::Result<(), Diagnostic>;
}

/// Rejects paths that would leave the output folder.
fn checked(rel: &str) -> std::result::Result<&Path, Diagnostic> {
    let rel_path = Path::new(rel);
    let safe = rel_path
        .components()
        .all(|c| matches!(c, Component::Normal(_)));
    if !safe || rel.is_empty() {
        return Err(Diagnostic::file(
            rel,
            "refusing to write outside the output folder",
        ));
    }
    Ok(rel_path)
}

fn write_file(path: &Path, rel: &str, bytes: &[u8]) -> std::result::Result<(), Diagnostic> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Diagnostic::file(parent, io_message(&e)))?;
    }
    std::fs::write(path, bytes)
        .map_err(|e| Diagnostic::file(rel, format!("cannot write: {}", io_message(&e))))
}

fn copy_file(from: &Path, path: &Path, rel: &str) -> std::result::Result<(), Diagnostic> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Diagnostic::file(parent, io_message(&e)))?;
    }
    std::fs::copy(from, path)
        .map(|_| ())
        .map_err(|e| Diagnostic::file(from, format!("cannot copy to {rel}: {}", io_message(&e))))
}

/// A folder being filled with a new build.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    committed: bool,
}

impl Staging {
    /// Creates an empty staging folder next to `target`.
    pub fn new(target: &Path) -> Result<Staging> {
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, &e))?;
        let name = target
            .file_name()
            .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
        let dir = parent.join(format!(".{name}.echt-staging-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|e| Error::io(&dir, &e))?;
        }
        std::fs::create_dir(&dir).map_err(|e| Error::io(&dir, &e))?;
        let marker = "Written by echt: files here are replaced on every build.\n";
        std::fs::write(dir.join(MARKER), marker).map_err(|e| Error::io(&dir, &e))?;
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
            committed: false,
        })
    }

    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Replaces the target folder with the finished build.
    pub fn commit(mut self) -> Result<()> {
        let old = self.dir.with_file_name(format!(
            ".{}.echt-old-{}",
            self.target
                .file_name()
                .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned()),
            std::process::id()
        ));
        let had_old = self.target.exists();
        if had_old {
            std::fs::rename(&self.target, &old).map_err(|e| {
                Error::from(Diagnostic::file(&self.target, format!("cannot replace the output folder: {}", io_message(&e)))
                    .hint("is a program holding it open, or is it a mount point? Choose another folder with --output"))
            })?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.target) {
            if had_old {
                // Put the previous site back before reporting.
                let _ = std::fs::rename(&old, &self.target);
            }
            return Err(Error::io(&self.target, &e));
        }
        self.committed = true;
        if had_old {
            remove_tree(&old);
        }
        Ok(())
    }
}

impl Sink for Staging {
    fn write(&self, rel: &str, bytes: &[u8]) -> std::result::Result<(), Diagnostic> {
        write_file(&self.dir.join(checked(rel)?), rel, bytes)
    }

    fn copy(&self, from: &Path, rel: &str) -> std::result::Result<(), Diagnostic> {
        copy_file(from, &self.dir.join(checked(rel)?), rel)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Changed files kept in memory by the comparing pass, at most this many
/// bytes; the rest are rendered a second time instead of held.
const KEEP_LIMIT: usize = 32 << 20;

/// A rebuild over an existing output folder (see the module documentation):
/// [`Update::compare`], then [`Changes::write_kept`], then, only if the
/// changes were too large to keep, [`Update::redo`] as a second pass.
#[derive(Debug)]
pub struct Update {
    target: PathBuf,
    /// In the second pass: the files still to write. None when comparing.
    redo: Option<HashSet<String>>,
    /// How many bytes of changed files the comparing pass keeps.
    keep_limit: usize,
    found: Mutex<Changes>,
}

/// What the comparing pass found.
#[derive(Debug, Default)]
pub struct Changes {
    /// Every file the build produces.
    produced: Vec<String>,
    changed: usize,
    /// Changed files with their new content.
    kept: Vec<(String, Vec<u8>)>,
    kept_bytes: usize,
    /// Changed files to produce again in a second pass.
    redo: HashSet<String>,
}

impl Changes {
    pub fn changed(&self) -> usize {
        self.changed
    }

    pub fn needs_second_pass(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Writes the changed files that were kept in memory.
    pub fn write_kept(&self, target: &Path) -> Result<()> {
        let errors: Vec<Diagnostic> = self
            .kept
            .par_iter()
            .filter_map(|(rel, bytes)| write_file(&target.join(rel), rel, bytes).err())
            .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Error::new(errors))
        }
    }

    /// Removes files the site no longer produces, and emptied folders.
    pub fn remove_stale(&self, target: &Path) -> Result<usize> {
        let produced: HashSet<&str> = self.produced.iter().map(String::as_str).collect();
        // Hidden entries (the marker, a .git folder for deployment) are
        // never published by echt and never removed.
        let stale: Vec<PathBuf> = walkdir::WalkDir::new(target)
            .min_depth(1)
            .into_iter()
            .filter_entry(|e| !e.file_name().to_string_lossy().starts_with('.'))
            .filter_map(std::result::Result::ok)
            .filter(|entry| !entry.file_type().is_dir())
            .filter(|entry| {
                let rel = entry
                    .path()
                    .strip_prefix(target)
                    .map(crate::util::text::slash_path);
                !rel.is_ok_and(|rel| produced.contains(rel.as_str()))
            })
            .map(|entry| entry.path().to_path_buf())
            .collect();
        for path in &stale {
            std::fs::remove_file(path).map_err(|e| Error::io(path, &e))?;
            // Remove folders left empty, up to the output root.
            let mut dir = path.parent();
            while let Some(d) = dir.filter(|d| *d != target) {
                if std::fs::remove_dir(d).is_err() {
                    break;
                }
                dir = d.parent();
            }
        }
        Ok(stale.len())
    }
}

impl Update {
    /// Whether `target` holds a previous build to update.
    /// Whether `target` holds a previous build to update (false when it is
    /// missing or empty). A folder with other files is refused: a rebuild
    /// removes what the site no longer has, which must never hit files that
    /// echt did not write.
    pub fn previous_build(target: &Path) -> Result<bool> {
        if target.join(MARKER).is_file() {
            return Ok(true);
        }
        let empty = std::fs::read_dir(target).map(|mut entries| entries.next().is_none());
        match empty {
            Err(_) | Ok(true) => Ok(false),
            Ok(false) => Err(Diagnostic::file(
                target,
                "the output folder is not empty and was not written by echt",
            )
            .hint("choose an empty or new folder with --output, or empty this one first")
            .into()),
        }
    }

    /// The first pass: compares, writes nothing.
    pub fn compare(target: &Path) -> Update {
        Update::compare_keeping(target, KEEP_LIMIT)
    }

    fn compare_keeping(target: &Path, keep_limit: usize) -> Update {
        Update {
            target: target.to_path_buf(),
            redo: None,
            keep_limit,
            found: Mutex::new(Changes::default()),
        }
    }

    /// The second pass: writes the changed files that were not kept.
    pub fn redo(target: &Path, changes: &Changes) -> Update {
        Update {
            target: target.to_path_buf(),
            redo: Some(changes.redo.clone()),
            keep_limit: 0,
            found: Mutex::new(Changes::default()),
        }
    }

    pub fn changes(self) -> Changes {
        self.found
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Notes a file of the comparing pass; `new` is its content if it differs
    /// and may be kept, None if it must be produced again.
    fn record(&self, rel: &str, same: bool, new: Option<&[u8]>) {
        let mut found = self
            .found
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        found.produced.push(rel.to_string());
        if same {
            return;
        }
        found.changed += 1;
        match new {
            Some(bytes) if found.kept_bytes + bytes.len() <= self.keep_limit => {
                found.kept_bytes += bytes.len();
                found.kept.push((rel.to_string(), bytes.to_vec()));
            }
            _ => {
                found.redo.insert(rel.to_string());
            }
        }
    }
}

/// Whether the file at `path` holds exactly `bytes`.
fn same_content(path: &Path, bytes: &[u8]) -> bool {
    let Ok(mut file) = std::fs::File::open(path) else {
        return false;
    };
    if file.metadata().map(|m| m.len()).ok() != Some(bytes.len() as u64) {
        return false;
    }
    let mut existing = Vec::with_capacity(bytes.len());
    file.read_to_end(&mut existing).is_ok() && existing == bytes
}

impl Sink for Update {
    fn wants(&self, rel: &str) -> bool {
        self.redo.as_ref().is_none_or(|redo| redo.contains(rel))
    }

    fn write(&self, rel: &str, bytes: &[u8]) -> std::result::Result<(), Diagnostic> {
        let path = self.target.join(checked(rel)?);
        match &self.redo {
            None => self.record(rel, same_content(&path, bytes), Some(bytes)),
            Some(redo) if redo.contains(rel) => write_file(&path, rel, bytes)?,
            Some(_) => {}
        }
        Ok(())
    }

    fn copy(&self, from: &Path, rel: &str) -> std::result::Result<(), Diagnostic> {
        let path = self.target.join(checked(rel)?);
        match &self.redo {
            None => {
                let bytes =
                    std::fs::read(from).map_err(|e| Diagnostic::file(from, io_message(&e)))?;
                // Copying again is cheap: never keep copied files in memory.
                self.record(rel, same_content(&path, &bytes), None);
            }
            Some(redo) if redo.contains(rel) => copy_file(from, &path, rel)?,
            Some(_) => {}
        }
        Ok(())
    }
}

/// Removes a folder tree, its subfolders in parallel.
fn remove_tree(dir: &Path) {
    if let Ok(entries) = std::fs::read_dir(dir) {
        let entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        entries.par_iter().for_each(|p| {
            if p.is_dir() {
                let _ = std::fs::remove_dir_all(p);
            } else {
                let _ = std::fs::remove_file(p);
            }
        });
    }
    let _ = std::fs::remove_dir_all(dir);
}

/// Refuses output folders that would overwrite or contain the sources, and
/// output paths that are (or lie below) something other than a folder.
pub fn check_output_dir(root: &Path, output: &Path) -> Result<()> {
    // A file given as the output "folder" would be swapped away whole by the
    // first build; say so before anything is written.
    let mut existing = Some(output);
    while let Some(path) = existing.filter(|p| !p.as_os_str().is_empty()) {
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => break,
            Ok(_) => {
                let what = if path == output {
                    "is a file, not a folder".to_string()
                } else {
                    format!("lies below {}, which is a file", path.display())
                };
                return Err(Diagnostic::file(output, format!("the output folder {what}"))
                    .hint("--output names the folder echt fills with the site (created if missing): choose a folder, not a file")
                    .into());
            }
            Err(_) => existing = path.parent(),
        }
    }
    let root = absolute(root);
    let output = absolute(output);
    let refuse = |what: &str| -> Result<()> {
        Err(Diagnostic::file(&output, format!("the output folder may not be {what}"))
            .hint("the build replaces the whole output folder; use a folder of its own such as `public`")
            .into())
    };
    if root.starts_with(&output) {
        return refuse("the site folder or a folder above it");
    }
    for protected in ["content", "static", "themes", "templates", "echt.yaml"] {
        let p = root.join(protected);
        if output.starts_with(&p) || p.starts_with(&output) {
            return refuse(&format!("{protected}/ or inside it"));
        }
    }
    Ok(())
}

/// An absolute, normalised path, resolving symlinks of the part that exists.
fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    // Resolve `.` and `..` by hand first: the folders in between may not exist.
    let mut lexical = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::ParentDir => {
                lexical.pop();
            }
            Component::CurDir => {}
            c => lexical.push(c),
        }
    }
    let mut existing = lexical.clone();
    let mut missing = Vec::new();
    while !existing.exists() {
        let Some(name) = existing.file_name().map(ToOwned::to_owned) else {
            break;
        };
        missing.push(name);
        existing.pop();
    }
    let mut resolved = existing.canonicalize().unwrap_or(existing);
    resolved.extend(missing.into_iter().rev());
    resolved
}

#[cfg(test)]
mod tests {
    use super::*;

    type TestResult = std::result::Result<(), Box<dyn std::error::Error>>;

    #[test]
    fn output_may_not_overwrite_sources() -> TestResult {
        let dir = tempfile::tempdir()?;
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("content"))?;
        assert!(check_output_dir(&root, &root.join("public")).is_ok());
        assert!(check_output_dir(&root, &root).is_err());
        assert!(check_output_dir(&root, dir.path()).is_err());
        assert!(check_output_dir(&root, &root.join("content")).is_err());
        assert!(check_output_dir(&root, &root.join("content/x")).is_err());
        assert!(check_output_dir(&root, &root.join("public/../content")).is_err());
        assert!(check_output_dir(&root, &dir.path().join("elsewhere")).is_ok());
        // A file is no output folder, nor is anything below one.
        let file = dir.path().join("notes.txt");
        std::fs::write(&file, "keep me")?;
        let err = check_output_dir(&root, &file)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("is a file, not a folder"), "{err}");
        let err = check_output_dir(&root, &file.join("public"))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("which is a file"), "{err}");
        assert_eq!(std::fs::read_to_string(&file)?, "keep me");
        Ok(())
    }

    #[test]
    fn staging_is_removed_unless_committed() -> TestResult {
        let dir = tempfile::tempdir()?;
        let target = dir.path().join("public");
        std::fs::create_dir(&target)?;
        std::fs::write(target.join("old.html"), "alt")?;
        let staging = Staging::new(&target)?;
        staging.write("a/index.html", b"neu")?;
        assert!(staging.write("../escape.html", b"x").is_err());
        let staged = staging.path().to_path_buf();
        drop(staging);
        assert!(!staged.exists());
        assert!(target.join("old.html").exists());

        let staging = Staging::new(&target)?;
        staging.write("a/index.html", b"neu")?;
        staging.commit()?;
        assert!(Update::previous_build(&target)?);
        assert!(!target.join("old.html").exists());
        assert_eq!(std::fs::read_to_string(target.join("a/index.html"))?, "neu");
        assert_eq!(
            std::fs::read_dir(dir.path())?.count(),
            1,
            "no leftovers beside the output"
        );
        Ok(())
    }

    #[test]
    fn updates_write_only_what_changed_and_remove_what_is_gone() -> TestResult {
        let dir = tempfile::tempdir()?;
        let target = dir.path().join("public");
        for (rel, text) in [
            ("same.html", "gleich"),
            ("changed.html", "alt"),
            ("gone/index.html", "weg"),
        ] {
            write_file(&target.join(rel), rel, text.as_bytes())?;
        }
        let produce = |sink: &dyn Sink| -> std::result::Result<(), Diagnostic> {
            for (rel, text) in [
                ("same.html", "gleich"),
                ("changed.html", "neu"),
                ("new/index.html", "frisch"),
            ] {
                if sink.wants(rel) {
                    sink.write(rel, text.as_bytes())?;
                }
            }
            Ok(())
        };
        let compare = Update::compare(&target);
        produce(&compare)?;
        let changes = compare.changes();
        assert_eq!(changes.changed(), 2);
        assert_eq!(
            std::fs::read_to_string(target.join("changed.html"))?,
            "alt",
            "first pass writes nothing"
        );
        assert!(
            !changes.needs_second_pass(),
            "small changes are kept in memory"
        );
        changes.write_kept(&target)?;
        assert_eq!(changes.remove_stale(&target)?, 1);
        assert_eq!(std::fs::read_to_string(target.join("changed.html"))?, "neu");
        assert_eq!(
            std::fs::read_to_string(target.join("new/index.html"))?,
            "frisch"
        );
        assert!(!target.join("gone").exists(), "emptied folder removed");
        Ok(())
    }

    #[test]
    fn large_changes_are_rendered_again_instead_of_kept() -> TestResult {
        let dir = tempfile::tempdir()?;
        let target = dir.path().join("public");
        write_file(&target.join("a.html"), "a.html", b"alt")?;
        let compare = Update::compare_keeping(&target, 0);
        compare.write("a.html", b"neu")?;
        compare.write("b/index.html", b"frisch")?;
        let changes = compare.changes();
        assert!(changes.needs_second_pass());
        changes.write_kept(&target)?;
        assert_eq!(std::fs::read_to_string(target.join("a.html"))?, "alt");
        let redo = Update::redo(&target, &changes);
        assert!(redo.wants("a.html") && redo.wants("b/index.html"));
        redo.write("a.html", b"neu")?;
        redo.write("b/index.html", b"frisch")?;
        assert_eq!(std::fs::read_to_string(target.join("a.html"))?, "neu");
        assert_eq!(
            std::fs::read_to_string(target.join("b/index.html"))?,
            "frisch"
        );
        Ok(())
    }
}
