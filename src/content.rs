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

/// Decodes a file as UTF-8, pointing at the first bad byte otherwise, and
/// refuses control characters (see [`control_characters`]). Content files,
/// templates and `echt.yaml` all come through here.
pub fn decode_utf8(path: &Path, bytes: &[u8]) -> Result<String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => {
            let problems = control_characters(path, s);
            if problems.is_empty() {
                Ok(s.to_string())
            } else {
                Err(Error::new(problems))
            }
        }
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

/// Whether `c` is a control character no text file should hold: C0 except
/// tab, line feed and carriage return, DEL, and C1 (U+0080 to U+009F).
/// They are invisible in most editors, arrive by copying from PDFs and old
/// word processors, and make pages and feeds invalid (XML forbids most of
/// them outright).
pub fn is_control(c: char) -> bool {
    (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || ('\u{7F}'..='\u{9F}').contains(&c)
}

/// `U+0000 (NUL)`: how messages name a control character.
pub fn control_name(c: char) -> String {
    let name = match c {
        '\0' => " (NUL)",
        '\u{8}' => " (backspace)",
        '\u{B}' => " (vertical tab)",
        '\u{C}' => " (form feed)",
        '\u{1B}' => " (escape)",
        '\u{7F}' => " (DEL)",
        '\u{85}' => " (next line)",
        _ => "",
    };
    format!("U+{:04X}{name}", u32::from(c))
}

/// The most control characters reported per file; a file full of them is
/// probably not text at all.
const MAX_CONTROL_REPORTS: usize = 10;

/// A diagnostic for each control character in `text` (up to
/// [`MAX_CONTROL_REPORTS`]), at its line and column.
pub fn control_characters(path: &Path, text: &str) -> Vec<Diagnostic> {
    let bytes = text.as_bytes();
    // Scanning bytes keeps this as fast as the UTF-8 check: C0 and DEL are
    // single bytes, C1 is 0xC2 followed by 0x80..=0x9F.
    let found = bytes.iter().enumerate().filter(|&(i, &b)| {
        (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
            || b == 0x7F
            || (b == 0xC2 && bytes.get(i + 1).is_some_and(|n| (0x80..=0x9F).contains(n)))
    });
    let mut problems = Vec::new();
    let mut more = 0;
    for (offset, _) in found {
        if problems.len() == MAX_CONTROL_REPORTS {
            more += 1;
            continue;
        }
        let c = text[offset..].chars().next().unwrap_or('\0');
        problems.push(
            Diagnostic::at_offset(
                path,
                text,
                offset,
                c.len_utf8(),
                format!("the file contains the control character {}", control_name(c)),
            )
            .hint("remove it: control characters are invisible in most editors and make pages and feeds invalid (they often come with text copied from PDFs)"),
        );
    }
    if more > 0 {
        if let Some(last) = problems.pop() {
            problems.push(last.note(format!("and {more} more control characters in this file")));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_located() {
        let text = "---\ntitle: a\u{0}b\n---\nÜber\u{7F} \u{85}\tTab\r\n";
        let problems = control_characters(Path::new("content/x.md"), text);
        let found: Vec<(usize, usize, &str)> = problems
            .iter()
            .map(|d| (d.line, d.column, d.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (2, 9, "the file contains the control character U+0000 (NUL)"),
                (4, 5, "the file contains the control character U+007F (DEL)"),
                (
                    4,
                    7,
                    "the file contains the control character U+0085 (next line)"
                ),
            ]
        );
        let shown = problems[0].to_string();
        assert!(
            shown.contains(" 2 | title: a\u{2400}b\n   |         ^\n"),
            "{shown}"
        );
        let many = "\u{1}".repeat(25);
        let problems = control_characters(Path::new("x"), &many);
        assert_eq!(problems.len(), MAX_CONTROL_REPORTS);
        assert_eq!(
            problems[9].note.as_deref(),
            Some("and 15 more control characters in this file")
        );
        assert!(decode_utf8(Path::new("x"), b"a\x1bb").is_err());
        assert!(decode_utf8(Path::new("x"), b"a\tb\r\n\xC2\xA0").is_ok());
    }

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
