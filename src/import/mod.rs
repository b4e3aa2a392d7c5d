//! Moving in: turns a blog written for another generator into an echt site.
//!
//! An import reads the old site and never writes to it; it writes a new
//! echt site (echt.yaml, content/, static/) and a report of every change and
//! of everything that needs the author's eye. It sits beside the commands,
//! above the pipeline: it produces the input the pipeline reads. A reader's
//! e-mail comes in the same way ([`mail`]): as a comment file beside its post.

#[cfg(test)]
pub(crate) mod audited;
pub mod comment;
pub mod download;
pub(crate) mod html;
pub mod jekyll;
pub mod mail;
pub(crate) mod mapped;
pub mod note;
pub mod report;
pub mod wordpress;

use std::path::{Path, PathBuf};

use crate::util::error::{Diagnostic, Error, Result};

/// DEST must not exist or be an empty folder.
pub(crate) fn refuse_non_empty(dest: &Path) -> Result<()> {
    match std::fs::read_dir(dest) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(Error::from(
                    Diagnostic::file(dest, "the destination is not empty")
                        .hint("import into a new or empty folder; nothing was written"),
                ));
            }
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io(dest, &e)),
    }
}

/// Writes every file below `dest`, making folders as needed.
pub(crate) fn write_all(dest: &Path, files: &[(PathBuf, Vec<u8>)]) -> Result<()> {
    std::fs::create_dir_all(dest).map_err(|e| Error::io(dest, &e))?;
    for (rel, bytes) in files {
        let path = dest.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, &e))?;
        }
        std::fs::write(&path, bytes).map_err(|e| Error::io(&path, &e))?;
    }
    Ok(())
}

/// Adds `alias` to a front matter's `aliases`, once.
pub(crate) fn add_alias(fm: &mut serde_yaml::Mapping, alias: &str) {
    use serde_yaml::Value;
    let mut aliases = match fm.remove("aliases") {
        Some(Value::Sequence(items)) => items,
        _ => Vec::new(),
    };
    if !aliases.iter().any(|a| a.as_str() == Some(alias)) {
        aliases.push(alias.into());
    }
    fm.insert("aliases".into(), Value::Sequence(aliases));
}

/// A date as front matter writes it: `2025-04-06T10:15:00+02:00`.
pub fn format_date(date: &chrono::DateTime<chrono::FixedOffset>) -> String {
    date.format("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

/// A list of texts as a YAML sequence.
pub(crate) fn strings(items: &[String]) -> serde_yaml::Value {
    serde_yaml::Value::Sequence(items.iter().map(|s| s.as_str().into()).collect())
}
