//! Writing the site without ever losing the last good one.
//!
//! A build writes into a staging folder beside the output folder and swaps
//! it in only when everything succeeded; on any error the staging folder is
//! removed and `public/` stays exactly as it was. The output folder is also
//! checked so that a build can never overwrite the site's own sources.

use std::path::{Component, Path, PathBuf};

use crate::error::{io_message, Diagnostic, Error, Result};

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
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
            committed: false,
        })
    }

    pub fn path(&self) -> &Path {
        &self.dir
    }

    fn file(&self, rel: &str) -> std::result::Result<PathBuf, Diagnostic> {
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
        let path = self.dir.join(rel_path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| Diagnostic::file(parent, io_message(&e)))?;
        }
        Ok(path)
    }

    /// Writes `bytes` to `rel` (a `/`-separated path below the output root).
    pub fn write(&self, rel: &str, bytes: &[u8]) -> std::result::Result<(), Diagnostic> {
        let path = self.file(rel)?;
        std::fs::write(&path, bytes)
            .map_err(|e| Diagnostic::file(rel, format!("cannot write: {}", io_message(&e))))
    }

    /// Copies the file `from` to `rel`.
    pub fn copy(&self, from: &Path, rel: &str) -> std::result::Result<(), Diagnostic> {
        let path = self.file(rel)?;
        std::fs::copy(from, &path).map(|_| ()).map_err(|e| {
            Diagnostic::file(from, format!("cannot copy to {rel}: {}", io_message(&e)))
        })
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

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Removes a folder tree, its subfolders in parallel.
fn remove_tree(dir: &Path) {
    use rayon::prelude::*;
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

/// Refuses output folders that would overwrite or contain the sources.
pub fn check_output_dir(root: &Path, output: &Path) -> Result<()> {
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

    #[test]
    fn output_may_not_overwrite_sources() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("content")).unwrap();
        assert!(check_output_dir(&root, &root.join("public")).is_ok());
        assert!(check_output_dir(&root, &root).is_err());
        assert!(check_output_dir(&root, dir.path()).is_err());
        assert!(check_output_dir(&root, &root.join("content")).is_err());
        assert!(check_output_dir(&root, &root.join("content/x")).is_err());
        assert!(check_output_dir(&root, &root.join("public/../content")).is_err());
        assert!(check_output_dir(&root, &dir.path().join("elsewhere")).is_ok());
    }

    #[test]
    fn staging_is_removed_unless_committed() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("old.html"), "alt").unwrap();
        let staging = Staging::new(&target).unwrap();
        staging.write("a/index.html", b"neu").unwrap();
        assert!(staging.write("../escape.html", b"x").is_err());
        let staged = staging.path().to_path_buf();
        drop(staging);
        assert!(!staged.exists());
        assert!(target.join("old.html").exists());

        let staging = Staging::new(&target).unwrap();
        staging.write("a/index.html", b"neu").unwrap();
        staging.commit().unwrap();
        assert!(!target.join("old.html").exists());
        assert_eq!(
            std::fs::read_to_string(target.join("a/index.html")).unwrap(),
            "neu"
        );
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no leftovers beside the output"
        );
    }
}
