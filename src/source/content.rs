//! Finding a site's sources: posts, pages and the files beside them.
//!
//! Walks `content/` once. Markdown under `content/posts/` is a post (in
//! subfolders too); a folder with an `index.md` there is a bundle whose other
//! files belong to the post and travel with it. Other Markdown files are
//! standalone pages at their own paths; everything else is copied as is.
//! Hidden files and editor leftovers are never published.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::util::error::{Diagnostic, Error, Result};
use crate::util::text::slash_path;

pub const CONTENT_DIR: &str = "content";
pub const POSTS_DIR: &str = "posts";

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Kind {
    Post,
    Page,
}

/// A Markdown source file.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
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

/// A reader's comment on a bundle post (`posts/a/comments/wp-12.md`).
#[derive(Debug, Clone)]
pub struct CommentFile {
    /// Relative to `content/`.
    pub rel: String,
    /// The index in [`Inventory::sources`] of the post it belongs to.
    pub post: usize,
}

/// Everything under `content/`, sorted by path for stable output.
#[derive(Debug, Default)]
pub struct Inventory {
    pub sources: Vec<Source>,
    pub assets: Vec<Asset>,
    pub comments: Vec<CommentFile>,
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
    let (files, errors) = walk_files(root, &root.join(CONTENT_DIR));
    if !errors.is_empty() {
        return Err(Error::new(errors));
    }
    Ok(classify(files.into_iter().map(|(rel, _)| rel).collect()))
}

/// The files below `dir` as (path below `dir` with `/`, full path), sorted,
/// without hidden files and editor leftovers. Symbolic links are followed
/// within the site only: one that leads outside `root` is an error, so that
/// neither a build nor the preview can publish a file from elsewhere on
/// the machine.
pub fn walk_files(root: &Path, dir: &Path) -> (Vec<(String, PathBuf)>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    if !dir.is_dir() {
        return (files, errors);
    }
    let shown = |path: &Path| path.strip_prefix(root).unwrap_or(path).to_path_buf();
    let site = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut walker = WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()));
    while let Some(entry) = walker.next() {
        match entry {
            Ok(e)
                if e.path_is_symlink()
                    && !e
                        .path()
                        .canonicalize()
                        .is_ok_and(|to| to.starts_with(&site)) =>
            {
                errors.push(
                    Diagnostic::file(shown(e.path()), "a symbolic link to outside the site folder")
                        .hint("echt publishes only files inside the site folder; copy the file here instead of linking to it"),
                );
                if e.file_type().is_dir() {
                    walker.skip_current_dir();
                }
            }
            // A name from an old system (Latin-1 `grün` is `gr\xFCn`): no
            // URL can be made from it, and the lossy form we could show
            // names a file that does not exist.
            Ok(e) if e.depth() > 0 && e.file_name().to_str().is_none() => {
                let what = if e.file_type().is_dir() {
                    "folder"
                } else {
                    "file"
                };
                errors.push(
                    Diagnostic::file(shown(e.path()), format!("the {what} name is not valid UTF-8"))
                        .hint(format!("rename the {what} (it was probably named on a system that did not use UTF-8); echt makes URLs from names, and URLs need UTF-8")),
                );
                if e.file_type().is_dir() {
                    walker.skip_current_dir();
                }
            }
            Ok(e) if e.file_type().is_file() => {
                let rel = e.path().strip_prefix(dir).unwrap_or(e.path());
                files.push((slash_path(rel), e.path().to_path_buf()));
            }
            Ok(_) => {}
            Err(e) => {
                let path = e
                    .path()
                    .map_or_else(|| dir.to_path_buf(), Path::to_path_buf);
                errors.push(Diagnostic::file(shown(&path), format!("cannot read: {e}")));
            }
        }
    }
    (files, errors)
}

/// Sorts relative paths into posts, pages, bundles, comments and assets.
/// The `comments/` folder of a bundle post holds its comments
/// (`comments/*.md`) and nothing else that is read: no file in it is a
/// post, page or copied file.
pub fn classify(files: Vec<String>) -> Inventory {
    let posts_prefix = format!("{POSTS_DIR}/");
    let is_bundle_index = |f: &str| {
        f.starts_with(&posts_prefix)
            && matches!(f.rsplit('/').next(), Some("index.md" | "index.markdown"))
    };
    let bundle_dirs: Vec<String> = files
        .iter()
        .filter(|f| is_bundle_index(f))
        .map(|f| parent(f).to_string())
        .collect();
    // The bundle whose `comments/` folder holds `f`, if it is in one.
    let comments_of = |f: &str| {
        bundle_dirs
            .iter()
            .find(|dir| {
                f.strip_prefix(dir.as_str())
                    .and_then(|rest| rest.strip_prefix('/'))
                    .and_then(|rest| rest.strip_prefix(crate::source::comment::COMMENTS_DIR))
                    .is_some_and(|rest| rest.starts_with('/'))
            })
            .cloned()
    };
    let (in_comments, files): (Vec<String>, Vec<String>) =
        files.into_iter().partition(|f| comments_of(f).is_some());
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
    for f in in_comments {
        let Some(dir) = comments_of(&f) else { continue };
        let name = &f[dir.len() + 1 + crate::source::comment::COMMENTS_DIR.len() + 1..];
        let post = inv
            .sources
            .iter()
            .position(|s| s.bundle.as_deref() == Some(dir.as_str()));
        if let (Some(post), false, true) = (post, name.contains('/'), name.ends_with(".md")) {
            inv.comments.push(CommentFile { rel: f, post });
        }
    }
    inv
}

fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn links_to_outside_the_site_are_errors_and_never_listed() {
        use std::os::unix::fs::symlink;
        let outside = tempfile::tempdir().expect("temp dir");
        std::fs::write(outside.path().join("passwd"), "geheim").expect("write");
        let site = tempfile::tempdir().expect("temp dir");
        let root = site.path();
        let static_dir = root.join("static");
        std::fs::create_dir_all(static_dir.join("bilder")).expect("mkdir");
        std::fs::write(static_dir.join("bilder/a.png"), "png").expect("write");
        symlink(outside.path().join("passwd"), static_dir.join("passwd")).expect("link");
        symlink(outside.path(), static_dir.join("draussen")).expect("link");
        // A link within the site is fine.
        symlink(static_dir.join("bilder/a.png"), static_dir.join("b.png")).expect("link");

        let (files, errors) = walk_files(root, &static_dir);
        let names: Vec<&str> = files.iter().map(|(rel, _)| rel.as_str()).collect();
        assert_eq!(names, ["b.png", "bilder/a.png"]);
        let shown: Vec<String> = errors
            .iter()
            .map(|e| e.path.display().to_string())
            .collect();
        assert_eq!(shown, ["static/draussen", "static/passwd"]);
        assert!(errors[0].message.contains("outside the site folder"));
    }

    #[cfg(unix)]
    #[test]
    fn names_that_are_not_utf8_are_errors_and_never_listed() {
        use std::ffi::OsStr;
        use std::os::unix::ffi::OsStrExt;
        let site = tempfile::tempdir().expect("temp dir");
        let root = site.path();
        let dir = root.join("static");
        std::fs::create_dir_all(&dir).expect("mkdir");
        std::fs::write(dir.join(OsStr::from_bytes(b"gr\xFCn.png")), "png").expect("write");
        std::fs::create_dir(dir.join(OsStr::from_bytes(b"B\xFCro"))).expect("mkdir");
        std::fs::write(dir.join(OsStr::from_bytes(b"B\xFCro/a.png")), "png").expect("write");
        std::fs::write(dir.join("ok.png"), "png").expect("write");
        let (files, errors) = walk_files(root, &dir);
        let names: Vec<&str> = files.iter().map(|(rel, _)| rel.as_str()).collect();
        assert_eq!(names, ["ok.png"]);
        let shown: Vec<String> = errors
            .iter()
            .map(|e| format!("{}: {}", e.path.display(), e.message))
            .collect();
        assert_eq!(
            shown,
            [
                "static/B\u{FFFD}ro: the folder name is not valid UTF-8",
                "static/gr\u{FFFD}n.png: the file name is not valid UTF-8"
            ]
        );
    }

    #[test]
    fn bundles_own_their_files() {
        let inv = classify(vec![
            "impressum.md".into(),
            "images/logo.png".into(),
            "posts/2024/a.md".into(),
            "posts/b/index.md".into(),
            "posts/b/bild.jpg".into(),
            "posts/b/extra/skizze.png".into(),
            "posts/b/comments/wp-1.md".into(),
            "posts/b/comments/notiz.txt".into(),
            "posts/b/comments/alt/wp-2.md".into(),
            "posts/c/comments/wp-3.md".into(),
        ]);
        let comments: Vec<_> = inv
            .comments
            .iter()
            .map(|c| (c.rel.as_str(), c.post))
            .collect();
        assert_eq!(comments, [("posts/b/comments/wp-1.md", 2)]);
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
                ("posts/b/index.md", Kind::Post),
                ("posts/c/comments/wp-3.md", Kind::Post)
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
}
