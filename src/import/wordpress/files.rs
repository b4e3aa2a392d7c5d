//! The blog's media in the new site: each file a post shows is looked up
//! in the copy of `wp-content/uploads` (`--media`) or among the files
//! fetched from the blog's own host (`--download`), the original in place
//! of a size variant, and put beside the post in its bundle with its
//! metadata (a photo's position above all) removed. Nothing is ever
//! linked from the old host: what is not found becomes a plain link and
//! is listed.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::import::report::{Level, Report};
use crate::import::wordpress::plan::EXPORT;
use crate::import::wordpress::uploads::{original, upload_path};
use crate::util::error::{Error, Result};

/// Where the blog's files can be found: the folders tried in order.
#[derive(Debug, Clone, Default)]
pub struct Library {
    pub dirs: Vec<PathBuf>,
}

impl Library {
    /// The file at `upload` (a path under `wp-content/uploads`).
    pub fn find(&self, upload: &str) -> Option<PathBuf> {
        if upload
            .split('/')
            .any(|s| s.is_empty() || s == "." || s == "..")
        {
            return None;
        }
        self.dirs
            .iter()
            .map(|d| d.join(upload))
            .find(|p| p.is_file())
    }
}

/// The media of one post or page: which upload is which file in its
/// bundle, and which addresses were not found.
#[derive(Debug, Default)]
pub struct Bundle {
    /// Upload path → file name in the bundle.
    placed: BTreeMap<String, (String, PathBuf)>,
    /// Addresses of the blog's files that were not found.
    pub missing: BTreeSet<String>,
    /// Upload paths asked for (originals), found or not.
    pub wanted: BTreeSet<String>,
}

/// Answers the conversion's question "where is this file now?" for one
/// post, and remembers the answers.
#[derive(Debug)]
pub struct Finder<'a> {
    pub library: &'a Library,
    pub hosts: &'a [String],
    pub bundle: RefCell<Bundle>,
}

impl<'a> Finder<'a> {
    pub fn new(library: &'a Library, hosts: &'a [String]) -> Self {
        Self {
            library,
            hosts,
            bundle: RefCell::new(Bundle::default()),
        }
    }

    /// The file name beside the post of the blog's file at `url`; None
    /// for other addresses and for files not found.
    pub fn local(&self, url: &str) -> Option<String> {
        let hosts: Vec<&str> = self.hosts.iter().map(String::as_str).collect();
        let upload = upload_path(url, &hosts)?;
        let upload = crate::util::url::percent_decode_lossy(&upload);
        let first = original(&upload);
        let mut bundle = self.bundle.borrow_mut();
        bundle.wanted.insert(first.clone());
        if let Some((name, _)) = bundle.placed.get(&first) {
            return Some(name.clone());
        }
        let found = [first.as_str(), upload.as_str()]
            .into_iter()
            .find_map(|u| self.library.find(u).map(|p| (u.to_string(), p)));
        let Some((_, path)) = found else {
            bundle.missing.insert(url.to_string());
            return None;
        };
        let name = unique_name(&bundle.placed, &first);
        bundle.placed.insert(first, (name.clone(), path));
        Some(name)
    }
}

/// The file's own name, or `name-2.ext`… when the bundle has one of that
/// name from another month.
fn unique_name(placed: &BTreeMap<String, (String, PathBuf)>, upload: &str) -> String {
    let name = upload.rsplit('/').next().unwrap_or(upload);
    let name = file_name(name);
    let taken = |n: &str| placed.values().any(|(p, _)| p == n);
    if !taken(&name) {
        return name;
    }
    let (stem, ext) = name.rsplit_once('.').unwrap_or((&name, ""));
    (2..)
        .map(|n| {
            if ext.is_empty() {
                format!("{stem}-{n}")
            } else {
                format!("{stem}-{n}.{ext}")
            }
        })
        .find(|n| !taken(n))
        .unwrap_or(name.clone())
}

/// A file name that needs no escaping in a link: WordPress's own names
/// are, older uploads may hold umlauts or spaces (`Grüne Bohnen.JPG` →
/// `gruene-bohnen.jpg`).
fn file_name(name: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_');
    if !name.is_empty() && name.chars().all(plain) && !name.starts_with('.') {
        return name.to_string();
    }
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    let stem = match crate::util::slug::slugify(stem) {
        s if s.is_empty() => "datei".to_string(),
        s => s,
    };
    let ext = crate::util::slug::slugify(ext);
    if ext.is_empty() {
        stem
    } else {
        format!("{stem}.{ext}")
    }
}

/// The files of a bundle, read and cleaned, as (path in DEST, bytes).
pub fn bundle_files(
    bundle: &Bundle,
    dir: &Path,
    line: usize,
    report: &mut Report,
) -> Result<Vec<(PathBuf, Vec<u8>)>> {
    let mut out = Vec::new();
    for (name, source) in bundle.placed.values() {
        let bytes = std::fs::read(source).map_err(|e| Error::io(source, &e))?;
        let bytes = clean(bytes, name, line, report);
        out.push((dir.join(name), bytes));
        report.counts.media += 1;
    }
    for url in &bundle.missing {
        report.counts.media_missing += 1;
        report.add(Level::Review, EXPORT, line, 1, format!("the blog's file {url} was not found: give `--media` a copy of wp-content/uploads, or use `--download`"));
    }
    Ok(out)
}

/// The file without its metadata; a file that cannot be read as what it
/// says it is stays as it was, listed.
fn clean(bytes: Vec<u8>, name: &str, line: usize, report: &mut Report) -> Vec<u8> {
    match crate::util::image_meta::clean(&bytes) {
        Ok(cleaned) if cleaned.format.is_none() && may_carry_position(name) => {
            report.add(Level::Review, EXPORT, line, 1, format!("`{name}` is a kind of image echt cannot clean of metadata: copied as it was, check it carries no position"));
            bytes
        }
        Ok(cleaned) if cleaned.removed.is_empty() => bytes,
        Ok(cleaned) => {
            let what: Vec<String> = cleaned.removed.iter().map(ToString::to_string).collect();
            let level = if cleaned.location() {
                Level::Review
            } else {
                Level::Changed
            };
            report.add(
                level,
                EXPORT,
                line,
                1,
                format!("`{name}`: removed {}", what.join(", ")),
            );
            cleaned.bytes.into_owned()
        }
        Err(damaged) => {
            report.add(Level::Review, EXPORT, line, 1, format!("`{name}` could not be read as an image ({damaged}): copied as it was, check it carries no location"));
            bytes
        }
    }
}

/// Images whose metadata echt does not read (HEIC, AVIF, TIFF, raw).
fn may_carry_position(name: &str) -> bool {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    matches!(
        ext.as_deref(),
        Some("heic" | "heif" | "avif" | "tif" | "tiff" | "dng" | "cr2" | "nef" | "arw")
    )
}
