//! Finding a site's sources: posts, pages and the files beside them.
//!
//! Walks `content/` once. Markdown under `content/posts/` is a post (in
//! subfolders too); a folder with an `index.md` there is a bundle whose other
//! files belong to the post and travel with it. Other Markdown files are
//! standalone pages at their own paths; everything else is copied as is.
//! Hidden files and editor leftovers are never published.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::error::{Diagnostic, Error, Result};

pub const CONTENT_DIR: &str = "content";
pub const POSTS_DIR: &str = "posts";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Post,
    Page,
}

/// A Markdown source file.
#[derive(Debug, Clone)]
pub struct Source {
    /// Relative to `content/`, with `/` separators: `posts/a/index.md`.
    pub rel: String,
    pub kind: Kind,
    /// For bundles (`.../name/index.md`): the folder, relative to `content/`.
    pub bundle: Option<String>,
}

impl Source {
    /// The path shown in messages: `content/posts/a.md`.
    pub fn display_path(&self) -> PathBuf {
        Path::new(CONTENT_DIR).join(&self.rel)
    }

    /// The file name without extension, or the bundle folder's name.
    pub fn stem(&self) -> &str {
        let path = self.bundle.as_deref().unwrap_or(&self.rel);
        let name = path.rsplit('/').next().unwrap_or(path);
        if self.bundle.is_some() {
            return name;
        }
        name.rsplit_once('.').map_or(name, |(stem, _)| stem)
    }
}

/// A file that is copied, not rendered.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Relative to `content/`.
    pub rel: String,
    /// The index in [`Inventory::sources`] of the bundle this file belongs
    /// to; its output folder is the post's URL.
    pub bundle: Option<usize>,
    /// Relative to the bundle folder (or equal to `rel`).
    pub rel_in_bundle: String,
}

/// Everything under `content/`, sorted by path for stable output.
#[derive(Debug, Default)]
pub struct Inventory {
    pub sources: Vec<Source>,
    pub assets: Vec<Asset>,
}

pub fn is_markdown(name: &str) -> bool {
    name.ends_with(".md") || name.ends_with(".markdown")
}

/// Files an editor or the OS leaves behind that must never be published.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
        || name == "Thumbs.db"
}

/// Walks `content/` below `root`.
pub fn discover(root: &Path) -> Result<Inventory> {
    let content = root.join(CONTENT_DIR);
    if !content.is_dir() {
        return Ok(Inventory::default());
    }
    let mut files = Vec::new();
    let walker = WalkDir::new(&content)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()));
    let mut errors = Vec::new();
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                let rel = e.path().strip_prefix(&content).unwrap_or(e.path());
                files.push(slash_path(rel));
            }
            Ok(_) => {}
            Err(e) => {
                let path = e.path().map_or_else(|| content.clone(), Path::to_path_buf);
                let path = path
                    .strip_prefix(root)
                    .map(Path::to_path_buf)
                    .unwrap_or(path);
                errors.push(Diagnostic::file(path, format!("cannot read: {e}")));
            }
        }
    }
    if !errors.is_empty() {
        return Err(Error::new(errors));
    }
    Ok(classify(files))
}

/// Sorts relative paths into posts, pages, bundles and assets.
pub fn classify(files: Vec<String>) -> Inventory {
    let posts_prefix = format!("{POSTS_DIR}/");
    let is_bundle_index = |f: &str| {
        f.starts_with(&posts_prefix)
            && matches!(f.rsplit('/').next(), Some("index.md" | "index.markdown"))
    };
    // Bundle folders, deepest first so a file belongs to its nearest bundle.
    let mut bundles: Vec<(String, usize)> = Vec::new();
    let mut inv = Inventory::default();
    for f in &files {
        if !is_markdown(f) {
            continue;
        }
        let kind = if f.starts_with(&posts_prefix) {
            Kind::Post
        } else {
            Kind::Page
        };
        let bundle = is_bundle_index(f).then(|| parent(f).to_string());
        if let Some(dir) = &bundle {
            bundles.push((format!("{dir}/"), inv.sources.len()));
        }
        inv.sources.push(Source {
            rel: f.clone(),
            kind,
            bundle,
        });
    }
    bundles.sort_by_key(|(dir, _)| std::cmp::Reverse(dir.len()));
    for f in files {
        if is_markdown(&f) {
            continue;
        }
        let owner = bundles.iter().find(|(dir, _)| f.starts_with(dir.as_str()));
        let (bundle, rel_in_bundle) = match owner {
            Some((dir, index)) => (Some(*index), f[dir.len()..].to_string()),
            None => (None, f.clone()),
        };
        inv.assets.push(Asset {
            rel: f,
            bundle,
            rel_in_bundle,
        });
    }
    inv
}

fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// A path with `/` separators, whatever the platform.
pub fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Decodes a file as UTF-8, pointing at the first bad byte otherwise.
pub fn decode_utf8(path: &Path, bytes: &[u8]) -> Result<String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => {
            let good = e.valid_up_to();
            let lossy = String::from_utf8_lossy(bytes);
            // Position in the lossy text equals the position in the valid prefix.
            let prefix = String::from_utf8_lossy(&bytes[..good]);
            let (line, column) = crate::error::line_column(&prefix, prefix.len());
            Err(Diagnostic::at(
                path,
                &lossy,
                line,
                column,
                format!("the file is not valid UTF-8 (byte 0x{:02X})", bytes[good]),
            )
            .hint("save the file as UTF-8 in your editor (often under \"Save with encoding\")")
            .into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundles_own_their_files() {
        let inv = classify(vec![
            "impressum.md".into(),
            "images/logo.png".into(),
            "posts/2024/a.md".into(),
            "posts/b/index.md".into(),
            "posts/b/bild.jpg".into(),
            "posts/b/extra/skizze.png".into(),
        ]);
        let kinds: Vec<_> = inv
            .sources
            .iter()
            .map(|s| (s.rel.as_str(), s.kind))
            .collect();
        assert_eq!(
            kinds,
            [
                ("impressum.md", Kind::Page),
                ("posts/2024/a.md", Kind::Post),
                ("posts/b/index.md", Kind::Post)
            ]
        );
        assert_eq!(inv.sources[2].stem(), "b");
        assert_eq!(inv.sources[1].stem(), "a");
        let assets: Vec<_> = inv
            .assets
            .iter()
            .map(|a| (a.rel_in_bundle.as_str(), a.bundle))
            .collect();
        assert_eq!(
            assets,
            [
                ("images/logo.png", None),
                ("bild.jpg", Some(2)),
                ("extra/skizze.png", Some(2))
            ]
        );
    }

    #[test]
    fn editor_leftovers_are_ignored() {
        for name in [".a.md.swp", "a.md~", "#a.md#", "4913", ".DS_Store"] {
            assert!(is_ignored(name), "{name}");
        }
        assert!(!is_ignored("a.md"));
    }

    #[test]
    fn invalid_utf8_is_located() {
        let err = decode_utf8(Path::new("content/x.md"), b"---\ntitle: Gr\xFC\xDFe\n---\n")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("content/x.md:2:10"), "{err}");
        assert!(err.contains("0xFC"), "{err}");
    }
}
