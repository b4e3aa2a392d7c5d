//! The image store: made pictures kept between builds, in a folder
//! outside the output (it is never published).
//!
//! One file per entry, `<key>.img`, named by the key of the source's
//! content, the settings and this code's version: a header, a manifest
//! (what [`Made`] records, each file's length and XXH3) with its own
//! checksum, then the files one after the other. An entry is written to a
//! temporary name and renamed into place, so a crash leaves either the
//! whole entry or none; reading one file checks its length and hash, so a
//! damaged entry is never handed on.
//!
//! To know a source's content without reading it, the store keeps an
//! index from each source's [`FileStamp`] to its content hash, in memory
//! (for the preview) and in the folder (`index`, for the next build). A
//! file changed less than [`RACY`] ago is not indexed: its stamp could
//! still stay the same through another change.
//!
//! Without a folder (`--no-cache`), entries go to a temporary folder that
//! is removed when the store and the [`super::Images`] using it are gone.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, SystemTime};

use super::make::{hash, Made};
use super::Unusable;
use crate::util::fingerprint::{fingerprint, FileStamp};

/// What an entry records: the picture, or why it cannot be used.
pub(super) type Manifest = Result<Made, Unusable>;

/// The first bytes of an entry.
const ENTRY_MAGIC: &[u8; 8] = b"echtimg1";
/// The first bytes of the index.
const INDEX_MAGIC: &[u8; 8] = b"echtidx1";
/// A manifest is small; a header claiming more is damaged.
const MAX_MANIFEST: u32 = 1 << 20;
/// How long after a change a file's stamp is trusted to show the next
/// change (file systems keep times in coarse ticks).
pub(super) const RACY: Duration = Duration::from_secs(2);

/// Where prepared pictures are kept between builds, and what the last
/// process learnt about unchanged files.
#[derive(Debug, Default)]
pub struct Store {
    /// The cache folder; None keeps entries in a temporary folder for
    /// this process only (`--no-cache`).
    pub dir: Option<PathBuf>,
    index: Mutex<Index>,
    folder: OnceLock<Option<Arc<Folder>>>,
}

/// Source path → (fingerprint of its stamp, content hash).
#[derive(Debug, Default)]
struct Index {
    loaded: bool,
    changed: bool,
    sources: HashMap<String, (u64, u64)>,
}

/// A folder holding entries; a temporary one is removed when dropped.
#[derive(Debug)]
pub(super) struct Folder {
    pub path: PathBuf,
    temporary: bool,
}

impl Drop for Folder {
    fn drop(&mut self) {
        if self.temporary {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

impl Folder {
    /// Where the entry of `key` lives.
    pub fn entry(&self, key: u64) -> PathBuf {
        self.path.join(format!("{key:016x}.img"))
    }
}

/// What the store knows of a source's content.
pub(super) enum Content {
    /// Its hash, from the index (the file was not read).
    Known(u64),
    /// The file, read now, and its hash.
    Read(Vec<u8>, u64),
}

impl Store {
    /// A store keeping its entries in `dir` (created when first written),
    /// or in a temporary folder for `None`.
    pub fn new(dir: Option<PathBuf>) -> Store {
        Store {
            dir,
            ..Store::default()
        }
    }

    /// The folder entries go to; None when no folder can be made (then
    /// every file is made again when it is asked for).
    pub(super) fn folder(&self) -> Option<Arc<Folder>> {
        self.folder
            .get_or_init(|| {
                let folder = match &self.dir {
                    Some(dir) => Folder {
                        path: dir.clone(),
                        temporary: false,
                    },
                    None => temporary_folder()?,
                };
                std::fs::create_dir_all(&folder.path).ok()?;
                Some(Arc::new(folder))
            })
            .clone()
    }

    fn index(&self) -> MutexGuard<'_, Index> {
        let mut index = self.index.lock().unwrap_or_else(|e| e.into_inner());
        if !index.loaded {
            index.loaded = true;
            if let Some(dir) = &self.dir {
                index.sources = read_index(&dir.join("index")).unwrap_or_default();
            }
        }
        index
    }

    /// The content hash of the file at `path`: from the index when its
    /// stamp is unchanged, otherwise read (and indexed).
    pub(super) fn content(&self, path: &Path) -> std::io::Result<Content> {
        let name = path.to_string_lossy().into_owned();
        let stamp = FileStamp::of(&std::fs::metadata(path)?);
        let stamp_key = fingerprint(stamp);
        if let Some(&(known, content)) = self.index().sources.get(&name) {
            if known == stamp_key {
                return Ok(Content::Known(content));
            }
        }
        let bytes = std::fs::read(path)?;
        let content = hash(&bytes);
        self.remember(name, stamp, content);
        Ok(Content::Read(bytes, content))
    }

    /// Records that `path` with `stamp` holds `content`, unless the stamp
    /// is too recent to be trusted.
    fn remember(&self, name: String, stamp: FileStamp, content: u64) {
        let settled = stamp
            .modified()
            .is_some_and(|m| m + RACY < SystemTime::now());
        let mut index = self.index();
        if settled {
            index.sources.insert(name, (fingerprint(stamp), content));
        } else {
            index.sources.remove(&name);
        }
        index.changed = true;
    }

    /// Writes the index when it changed (best effort: without it the next
    /// build reads every source once more).
    pub(super) fn save_index(&self) {
        let mut index = self.index();
        if !index.changed {
            return;
        }
        let Some(dir) = &self.dir else {
            index.changed = false;
            return;
        };
        if write_index(&dir.join("index"), &index.sources).is_ok() {
            index.changed = false;
        }
    }

    /// Removes the entries and index rows that `images` does not use:
    /// what pictures that were changed or deleted left behind. Call it
    /// after a whole site was processed, never after a part of one.
    pub fn prune(&self, images: &super::Images) -> std::io::Result<usize> {
        let Some(folder) = self.folder() else {
            return Ok(0);
        };
        let used: HashSet<PathBuf> = images.entries().map(|key| folder.entry(key)).collect();
        let sources: HashSet<String> = images.sources_read().collect();
        {
            let mut index = self.index();
            let before = index.sources.len();
            index.sources.retain(|name, _| sources.contains(name));
            index.changed |= index.sources.len() != before;
        }
        self.save_index();
        let mut removed = 0;
        for entry in std::fs::read_dir(&folder.path)? {
            let path = entry?.path();
            let is_entry = path.extension().is_some_and(|e| e == "img");
            if is_entry && !used.contains(&path) {
                std::fs::remove_file(&path)?;
                removed += 1;
            }
        }
        Ok(removed)
    }
}

/// A new folder below the system's temporary folder.
fn temporary_folder() -> Option<Folder> {
    let base = std::env::temp_dir();
    (0..100).find_map(|attempt| {
        let path = base.join(format!(
            "echt-images-{}-{}",
            std::process::id(),
            unique() + attempt
        ));
        std::fs::create_dir(&path).ok().map(|()| Folder {
            path,
            temporary: true,
        })
    })
}

/// A number no other call in this process gets.
fn unique() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// Writes `parts` to `path` by way of a temporary file in its folder. Not
/// synced: a file cut short by a power loss fails its length or checksum
/// and counts as missing.
fn write_atomically(path: &Path, parts: &[&[u8]]) -> std::io::Result<()> {
    use std::io::Write;
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let temporary = path.with_file_name(format!(".{name}.{}-{}.tmp", std::process::id(), unique()));
    let written = (|| {
        let mut file = File::create(&temporary)?;
        for part in parts {
            file.write_all(part)?;
        }
        std::fs::rename(&temporary, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written
}

/// Writes the entry of `key`: its manifest and, for a made picture, its
/// files (the original first).
pub(super) fn write_entry(
    path: &Path,
    manifest: &Manifest,
    files: &[Vec<u8>],
) -> std::io::Result<()> {
    let encoded = rmp_serde::to_vec(manifest).map_err(std::io::Error::other)?;
    let len = u32::try_from(encoded.len()).map_err(std::io::Error::other)?;
    let len = len.to_le_bytes();
    let check = fingerprint(&encoded[..]).to_le_bytes();
    let mut parts: Vec<&[u8]> = vec![ENTRY_MAGIC, &len, &encoded, &check];
    parts.extend(files.iter().map(Vec::as_slice));
    write_atomically(path, &parts)
}

/// The manifest of the entry at `path` and where its files begin; None
/// for an entry that is missing, damaged or not as long as it says.
pub(super) fn read_manifest(path: &Path) -> Option<(Manifest, u64)> {
    let mut file = File::open(path).ok()?;
    let size = file.metadata().ok()?.len();
    let (manifest, start) = read_header(&mut file)?;
    let files: u64 = match &manifest {
        Ok(made) => std::iter::once(&made.original)
            .chain(&made.versions)
            .map(|f| f.len)
            .sum(),
        Err(_) => 0,
    };
    (start.checked_add(files) == Some(size)).then_some((manifest, start))
}

fn read_header(file: &mut File) -> Option<(Manifest, u64)> {
    let mut head = [0u8; 12];
    file.read_exact(&mut head).ok()?;
    if &head[..8] != ENTRY_MAGIC {
        return None;
    }
    let len = u32::from_le_bytes([head[8], head[9], head[10], head[11]]);
    if len > MAX_MANIFEST {
        return None;
    }
    let mut encoded = vec![0; len as usize + 8];
    file.read_exact(&mut encoded).ok()?;
    let (encoded, check) = encoded.split_at(len as usize);
    if fingerprint(encoded).to_le_bytes() != check {
        return None;
    }
    let manifest = rmp_serde::from_slice(encoded).ok()?;
    Some((manifest, 12 + u64::from(len) + 8))
}

/// File number `number` of the entry at `path` (0 is the original), if
/// it is there with the length and hash the manifest gives.
pub(super) fn read_file(path: &Path, number: usize) -> Option<Vec<u8>> {
    let mut file = File::open(path).ok()?;
    let (manifest, start) = read_header(&mut file)?;
    let made = manifest.ok()?;
    let files: Vec<_> = std::iter::once(&made.original)
        .chain(&made.versions)
        .collect();
    let wanted = files.get(number)?;
    let offset: u64 = files[..number].iter().map(|f| f.len).sum();
    file.seek(SeekFrom::Start(start + offset)).ok()?;
    let mut bytes = vec![0; usize::try_from(wanted.len).ok()?];
    file.read_exact(&mut bytes).ok()?;
    (hash(&bytes) == wanted.hash).then_some(bytes)
}

fn read_index(path: &Path) -> Option<HashMap<String, (u64, u64)>> {
    let bytes = std::fs::read(path).ok()?;
    let body = bytes.strip_prefix(INDEX_MAGIC.as_slice())?;
    let (encoded, check) = body.split_at_checked(body.len().checked_sub(8)?)?;
    if fingerprint(encoded).to_le_bytes() != check {
        return None;
    }
    rmp_serde::from_slice(encoded).ok()
}

fn write_index(path: &Path, sources: &HashMap<String, (u64, u64)>) -> std::io::Result<()> {
    let encoded = rmp_serde::to_vec(sources).map_err(std::io::Error::other)?;
    let check = fingerprint(&encoded[..]).to_le_bytes();
    write_atomically(path, &[INDEX_MAGIC, &encoded, &check])
}
