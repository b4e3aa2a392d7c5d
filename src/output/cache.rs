//! The build cache: what `echt build` keeps of its last good build, so
//! that the next one reads, renders and audits only what changed.
//!
//! The cache is a folder *beside* the output folder (`.public.echt.cache`
//! next to `public/`), never inside it: the output folder is what gets
//! deployed, and the cache holds the text of every source, drafts and
//! future posts included. Each of its files is written to a temporary file
//! that is renamed over the old one only after a fully successful build,
//! so it is always either a good build's or absent.
//!
//! What is in the files is up to the caller (`cmd::build`), in one part
//! or several, of which a reader may decode only the first; this module
//! keeps them honest: a [`Key`] says which echt and which site settings
//! wrote a file, a checksum covers its contents, and anything that does
//! not match, does not decode or does not add up is a [`Miss`]: the build
//! makes that part anew. A cache can make a build faster, never different.
//!
//! It also answers three questions about files on disk that a cached build
//! must ask: which output files are no longer as the last build left them
//! ([`Written`]), which sources were modified so recently that their
//! modification time cannot tell a later write apart ([`recent`]), and
//! whether any file below the site's folders changed at all since the last
//! build ([`stamp_files`]).
//!
//! Part of the output stage; knows nothing of what it stores.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::util::error::{io_message, Error, Result};
use crate::util::fingerprint::{fingerprint, FileStamp};

/// The first bytes of a cache file.
const MAGIC: &[u8; 12] = b"echt-cache\n\0";

/// Changes whenever the layout of the cache changes in a way the other
/// parts of [`Key`] would not notice.
const FORMAT: u32 = 2;

/// What a cache must have been written by, and for, to be used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Key {
    format: u32,
    /// `CARGO_PKG_VERSION`.
    version: String,
    /// The echt binary's size and modification time: a rebuilt echt of the
    /// same version (a developer's, a distribution's patch) may render
    /// differently, and the cache would not know.
    binary: Option<(u64, u128)>,
    /// A fingerprint of a fixed value: stored fingerprints mean something
    /// only to an echt that hashes the same way.
    hasher: u64,
    /// What the caller says the cache depends on (config, options).
    site: u64,
}

impl Key {
    /// The key for this echt and a site described by `site`.
    pub fn new(site: u64) -> Key {
        let binary = std::env::current_exe()
            .and_then(std::fs::metadata)
            .ok()
            .map(|meta| (meta.len(), modified_nanos(&meta)));
        Key {
            format: FORMAT,
            version: env!("CARGO_PKG_VERSION").to_string(),
            binary,
            hasher: fingerprint(("echt", 1_u64, [2_u8, 3, 4])),
            site,
        }
    }
}

/// Why a cache was not used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Miss {
    /// There is none (the first build with a cache, or it was removed).
    Missing,
    /// Written by another echt, or for other settings.
    Stale,
    /// It cannot be read, or does not decode.
    Damaged(String),
}

impl std::fmt::Display for Miss {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Miss::Missing => write!(f, "there is no build cache"),
            Miss::Stale => write!(f, "the build cache is from another echt or other settings"),
            Miss::Damaged(why) => write!(f, "the build cache is damaged ({why})"),
        }
    }
}

/// The folder of the build cache of the output folder `output`: beside
/// it, hidden, named after it (`public` → `.public.echt.cache`).
pub fn folder(output: &Path) -> PathBuf {
    let name = output
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    let parent = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    parent.join(format!(".{name}.echt.cache"))
}

/// Reads the cache file at `path` if `key` wrote it.
///
/// The file is `MAGIC`, the key and the contents, in MessagePack
/// (self-describing, so that front matter's free-form values read back as
/// they were written), then the length of all that and its CRC-32. It is
/// decoded as it is read, never held whole: a buffer of a hundred
/// megabytes costs more to map than to decode.
///
/// `T` need only deserialize from `'static` data (an audit finding keeps
/// `&'static str`s): a reader owns whatever it hands out.
pub fn read<T: Deserialize<'static>>(path: &Path, key: &Key) -> std::result::Result<T, Miss> {
    let (value, rest) = read_first(path, key)?;
    rest.check()?;
    Ok(value)
}

/// Reads the first part of the cache file at `path` (see [`write_parts`])
/// if `key` wrote it. What it says can be trusted only once the [`Rest`]
/// is checked (or decoded, which checks it).
pub fn read_first<T: Deserialize<'static>>(
    path: &Path,
    key: &Key,
) -> std::result::Result<(T, Rest), Miss> {
    let mut file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Miss::Missing),
        Err(e) => return Err(Miss::Damaged(io_message(&e))),
    };
    let damaged = |why: &str| Miss::Damaged(why.to_string());
    let io = |e: std::io::Error| Miss::Damaged(io_message(&e));
    let size = file.metadata().map_err(io)?.len();
    let body = size
        .checked_sub(TRAILER as u64)
        .ok_or_else(|| damaged("truncated"))?;
    file.seek(SeekFrom::Start(body)).map_err(io)?;
    let mut trailer = [0; TRAILER];
    file.read_exact(&mut trailer).map_err(io)?;
    let (len, crc) = trailer.split_at(8);
    let len = u64::from_le_bytes(len.try_into().unwrap_or_default());
    let crc = u32::from_le_bytes(crc.try_into().unwrap_or_default());
    if len != body {
        return Err(damaged("truncated"));
    }
    file.seek(SeekFrom::Start(0)).map_err(io)?;
    // The checksum is taken of what the buffer reads, in large pieces.
    let mut reader = BufReader::with_capacity(BUFFER, Checked::new(file.take(body)));
    let mut magic = [0; MAGIC.len()];
    reader.read_exact(&mut magic).map_err(io)?;
    if magic != *MAGIC {
        return Err(damaged("not an echt cache"));
    }
    let written: Key = rmp_serde::from_read(&mut reader).map_err(|_| damaged("no key"))?;
    if written != *key {
        return Err(Miss::Stale);
    }
    let mut rest = Rest { reader, body, crc };
    let value = rest.decode()?;
    Ok((value, rest))
}

/// What follows the first part of a cache file, not yet read.
pub struct Rest {
    reader: BufReader<Checked<std::io::Take<File>>>,
    /// The length and checksum the file says it has.
    body: u64,
    crc: u32,
}

impl Rest {
    /// Decodes the next part and checks the whole file.
    pub fn value<T: Deserialize<'static>>(mut self) -> std::result::Result<T, Miss> {
        let value = self.decode()?;
        self.check()?;
        Ok(value)
    }

    fn decode<T: Deserialize<'static>>(&mut self) -> std::result::Result<T, Miss> {
        T::deserialize(&mut rmp_serde::Deserializer::new(&mut self.reader))
            .map_err(|e| Miss::Damaged(e.to_string()))
    }

    /// Reads what is left without decoding it: only now is it known
    /// whether what was decoded was what was written.
    pub fn check(mut self) -> std::result::Result<(), Miss> {
        std::io::copy(&mut self.reader, &mut std::io::sink())
            .map_err(|e| Miss::Damaged(io_message(&e)))?;
        let checked = self.reader.into_inner();
        if checked.count != self.body || checked.crc.finalize() != self.crc {
            return Err(Miss::Damaged("checksum mismatch".into()));
        }
        Ok(())
    }
}

impl std::fmt::Debug for Rest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rest").field("body", &self.body).finish()
    }
}

/// Writes `value` as the cache file at `path`, atomically: into a
/// temporary file beside it that is then renamed over the old one.
pub fn write<T: Serialize>(path: &Path, key: &Key, value: &T) -> Result<()> {
    write_parts(path, key, &[value])
}

/// Writes `parts` one after the other as the cache file at `path`,
/// atomically (see [`write`]); a reader can stop after the first
/// ([`read_first`]).
pub fn write_parts(path: &Path, key: &Key, parts: &[&dyn Part]) -> Result<()> {
    let temporary = temporary(path);
    let renamed =
        write_file(&temporary, key, parts).and_then(|()| std::fs::rename(&temporary, path));
    renamed.map_err(|e| {
        let _ = std::fs::remove_file(&temporary);
        Error::io(path, &e)
    })
}

/// Starts writing what `make` returns as the cache file at `path`, on
/// another thread, so that a large file is encoded while the build goes
/// on (and what it holds is freed once written). It replaces the old file
/// only when [`Pending::commit`]ted; dropped, it leaves no trace.
pub fn write_later<T, F>(path: PathBuf, key: Key, make: F) -> Pending
where
    T: Serialize,
    F: FnOnce() -> T + Send + 'static,
{
    let temporary = temporary(&path);
    let to = temporary.clone();
    let thread = std::thread::Builder::new()
        .spawn(move || write_file(&to, &key, &[&make()]))
        .map_err(|e| Error::io(&path, &e));
    Pending {
        path,
        temporary,
        thread: Some(thread),
    }
}

/// A cache file being written (see [`write_later`]).
#[derive(Debug)]
pub struct Pending {
    path: PathBuf,
    temporary: PathBuf,
    thread: Option<Result<std::thread::JoinHandle<std::io::Result<()>>>>,
}

impl Pending {
    /// Waits for the file and puts it in place.
    pub fn commit(mut self) -> Result<()> {
        let written = match self.thread.take() {
            Some(Ok(thread)) => thread
                .join()
                .unwrap_or_else(|_| Err(std::io::Error::other("the writing thread failed"))),
            Some(Err(e)) => return Err(e),
            None => Ok(()),
        };
        written
            .and_then(|()| std::fs::rename(&self.temporary, &self.path))
            .map_err(|e| Error::io(&self.path, &e))
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        if let Some(Ok(thread)) = self.thread.take() {
            let _ = thread.join();
        }
        let _ = std::fs::remove_file(&self.temporary);
    }
}

/// Where a cache file is written before it replaces `path`.
fn temporary(path: &Path) -> PathBuf {
    path.with_extension(format!("tmp-{}", std::process::id()))
}

/// A part of a cache file: any value that serialises.
pub trait Part {
    fn encode(&self, out: &mut dyn Write) -> std::result::Result<(), rmp_serde::encode::Error>;
}

impl<T: Serialize> Part for T {
    fn encode(&self, mut out: &mut dyn Write) -> std::result::Result<(), rmp_serde::encode::Error> {
        rmp_serde::encode::write(&mut out, self)
    }
}

fn write_file(temporary: &Path, key: &Key, parts: &[&dyn Part]) -> std::io::Result<()> {
    if let Some(folder) = temporary.parent() {
        std::fs::create_dir_all(folder)?;
    }
    let file = File::create(temporary)?;
    let mut writer = BufWriter::with_capacity(BUFFER, Checked::new(file));
    writer.write_all(MAGIC)?;
    let encode = |e: rmp_serde::encode::Error| std::io::Error::other(e.to_string());
    key.encode(&mut writer).map_err(encode)?;
    for part in parts {
        part.encode(&mut writer).map_err(encode)?;
    }
    let checked = writer
        .into_inner()
        .map_err(std::io::IntoInnerError::into_error)?;
    let mut file = checked.inner;
    file.write_all(&checked.count.to_le_bytes())?;
    file.write_all(&checked.crc.finalize().to_le_bytes())
}

/// The length and CRC-32 at the end of a cache file.
const TRAILER: usize = 12;

/// Bytes read or written at once.
const BUFFER: usize = 1 << 20;

/// A reader or writer that counts and checksums what passes through.
struct Checked<T> {
    inner: T,
    count: u64,
    crc: crc32fast::Hasher,
}

impl<T> Checked<T> {
    fn new(inner: T) -> Self {
        Checked {
            inner,
            count: 0,
            crc: crc32fast::Hasher::new(),
        }
    }
}

impl<R: Read> Read for Checked<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.crc.update(&buf[..n]);
        self.count += n as u64;
        Ok(n)
    }
}

impl<W: Write> Write for Checked<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.crc.update(&buf[..n]);
        self.count += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Removes the cache file at `path`, before something makes it wrong (the
/// output changing without it). Only a file that is still there after
/// failing to remove it is an error.
pub fn discard(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::io(path, &e)),
        _ => Ok(()),
    }
}

/// Reads a `&'static str` back from the cache (an audit finding's hint is
/// one of echt's own texts). Each distinct text is allocated once per run.
pub fn static_str<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> std::result::Result<&'static str, D::Error> {
    static KNOWN: Mutex<Option<HashSet<&'static str>>> = Mutex::new(None);
    let text = String::deserialize(deserializer)?;
    let mut known = KNOWN
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let known = known.get_or_insert_with(HashSet::new);
    if let Some(found) = known.get(text.as_str()) {
        return Ok(found);
    }
    let leaked: &'static str = Box::leak(text.into_boxed_str());
    known.insert(leaked);
    Ok(leaked)
}

fn modified_nanos(meta: &std::fs::Metadata) -> u128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos())
}

/// Size and modification time of a file, as the build left it.
type WrittenStamp = (u64, u128);

fn file_stamp(path: &Path) -> Option<WrittenStamp> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    meta.is_file().then(|| (meta.len(), modified_nanos(&meta)))
}

/// How the output files looked when the last build was done with them.
///
/// A cached build renders only files whose sources changed; a file that
/// was changed or removed in the output folder by something else (by
/// hand, by another program, by an echt without this cache) must be
/// rendered again too, or the output would stay wrong.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct Written(HashMap<String, WrittenStamp>);

impl Written {
    /// Notes how the files `rel` (below `target`) look now; files that
    /// are not there are forgotten.
    pub fn record<'a>(&mut self, target: &Path, rel: impl IntoParallelIterator<Item = &'a String>) {
        let stamps: Vec<(&String, Option<WrittenStamp>)> = rel
            .into_par_iter()
            .map(|rel| (rel, file_stamp(&target.join(rel))))
            .collect();
        for (rel, stamp) in stamps {
            match stamp {
                Some(stamp) => self.0.insert(rel.clone(), stamp),
                None => self.0.remove(rel),
            };
        }
    }

    /// Forgets the files `rel`.
    pub fn forget<'a>(&mut self, rel: impl IntoIterator<Item = &'a String>) {
        for rel in rel {
            self.0.remove(rel);
        }
    }

    /// The files below `target` that are not as they were recorded:
    /// changed, replaced or gone.
    pub fn altered(&self, target: &Path) -> Vec<String> {
        self.0
            .par_iter()
            .filter(|(rel, stamp)| file_stamp(&target.join(rel)).as_ref() != Some(*stamp))
            .map(|(rel, _)| rel.clone())
            .collect()
    }

    /// `altered` (see [`Written::altered`]) with the files among `files`
    /// of which nothing is recorded.
    pub fn unknown<'a>(
        &self,
        files: impl IntoIterator<Item = &'a String>,
        mut altered: Vec<String>,
    ) -> Vec<String> {
        altered.extend(
            files
                .into_iter()
                .filter(|f| !self.0.contains_key(*f))
                .cloned(),
        );
        altered
    }

    /// Whether it holds a record of every one of `files`.
    pub fn covers<'a>(&self, mut files: impl Iterator<Item = &'a String>) -> bool {
        files.all(|f| self.0.contains_key(f))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Removes the files `rel` below `target` and the folders they leave
/// empty, and returns how many files were there. Paths come from a cache
/// file: anything that is not a plain path below `target`, and hidden
/// files (the marker), are left alone.
pub fn remove_files<'a>(target: &Path, rel: impl IntoIterator<Item = &'a String>) -> Result<usize> {
    let mut removed = 0;
    for rel in rel {
        let plain = Path::new(rel)
            .components()
            .all(|c| matches!(c, Component::Normal(n) if !n.to_string_lossy().starts_with('.')));
        if !plain || rel.is_empty() {
            continue;
        }
        let path = target.join(rel);
        match std::fs::remove_file(&path) {
            Ok(()) => removed += 1,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(Error::io(&path, &e)),
        }
        let mut dir = path.parent();
        while let Some(d) = dir.filter(|d| *d != target) {
            if std::fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
    }
    Ok(removed)
}

/// How long after a file was modified its modification time still cannot
/// tell a second write apart: file systems count time in ticks (FAT in two
/// seconds, others in milliseconds), and a second write within the same
/// tick, and of the same size, would look unchanged.
pub const RACY: Duration = Duration::from_secs(2);

/// The files below `dirs` modified at `since` or later (see [`RACY`]):
/// their stamps from this build do not prove that a later build sees the
/// same content. Folders and files for which `skip` is true are passed by.
pub fn recent(
    dirs: &[PathBuf],
    since: SystemTime,
    skip: &(dyn Fn(&str) -> bool + Sync),
) -> Vec<PathBuf> {
    dirs.par_iter()
        .flat_map_iter(|dir| {
            walkdir::WalkDir::new(dir)
                .follow_links(true)
                .into_iter()
                .filter_entry(|e| e.depth() == 0 || !skip(&e.file_name().to_string_lossy()))
                .filter_map(std::result::Result::ok)
                .filter(|e| e.file_type().is_file())
                .filter(|e| {
                    e.metadata()
                        .ok()
                        .and_then(|m| m.modified().ok())
                        .is_none_or(|t| t >= since)
                })
                .map(walkdir::DirEntry::into_path)
        })
        .collect()
}

/// What [`stamp_files`] found.
#[derive(Debug, Default)]
pub struct Stamps {
    /// A fingerprint of every file below the folders (and of which of the
    /// folders exist), as a later walk finds them only if no file was
    /// added, removed, renamed, rewritten or replaced: each file counts
    /// with its name and [`FileStamp`] (through symbolic links, of the
    /// file they point to). None when it proves nothing: a file was
    /// modified at `since` or later (see [`RACY`]), something could not be
    /// read, or symbolic links lead round in a circle.
    pub print: Option<u64>,
    /// Every file's stamp by path, with whether it is
    /// [`linked`](crate::util::fingerprint::linked).
    pub files: HashMap<PathBuf, (FileStamp, bool)>,
}

/// Stamps every file below `dirs` (see [`Stamps`]). Entries for which
/// `skip` is true are passed by, as the build passes them by.
pub fn stamp_files(
    dirs: &[PathBuf],
    since: SystemTime,
    skip: &(dyn Fn(&str) -> bool + Sync),
) -> Stamps {
    // For each folder: None if it could not be read, Some(None) if it is
    // not a folder.
    let stamped: Vec<Option<Option<Vec<Stamped>>>> = dirs
        .par_iter()
        .map(|dir| {
            if !dir.is_dir() {
                return Some(None);
            }
            let followed = [std::fs::canonicalize(dir).ok()?];
            stamp_folder(dir, skip, &followed).map(Some)
        })
        .collect();
    let whole = stamped.iter().all(Option::is_some);
    let recent = stamped
        .iter()
        .flatten()
        .flatten()
        .flatten()
        .any(|file| file.stamp.modified().is_none_or(|t| t >= since));
    let print = (whole && !recent).then(|| fingerprint((dirs, &stamped)));
    let files = stamped
        .into_iter()
        .flatten()
        .flatten()
        .flatten()
        .map(|file| (file.path, (file.stamp, file.linked)))
        .collect();
    Stamps { print, files }
}

/// What [`stamp_files`] notes of a file.
#[derive(Hash)]
struct Stamped {
    path: PathBuf,
    stamp: FileStamp,
    linked: bool,
}

/// Every file below the folder `dir`, its own before those of its
/// folders, each in the order the system lists them (which changes only
/// with what is in the folder); None if one could not be read. `followed`
/// are the folders, as their real paths, that the walk went into from the
/// start or through a symbolic link.
fn stamp_folder(
    dir: &Path,
    skip: &(dyn Fn(&str) -> bool + Sync),
    followed: &[PathBuf],
) -> Option<Vec<Stamped>> {
    let mut files = Vec::new();
    let mut folders = Vec::new();
    for entry in std::fs::read_dir(dir).ok()? {
        let entry = entry.ok()?;
        if skip(&entry.file_name().to_string_lossy()) {
            continue;
        }
        let kind = entry.file_type().ok()?;
        if kind.is_dir() {
            folders.push((entry.path(), None));
        } else if kind.is_symlink() && std::fs::metadata(entry.path()).ok()?.is_dir() {
            let real = std::fs::canonicalize(entry.path()).ok()?;
            if followed.contains(&real) {
                return None;
            }
            folders.push((entry.path(), Some(real)));
        } else {
            files.push(entry);
        }
    }
    let mut stamped = files
        .into_par_iter()
        .map(|entry| {
            // As `symlink_metadata` describes it.
            let own = entry.metadata().ok()?;
            let path = entry.path();
            let linked = crate::util::fingerprint::linked(&own);
            let stamp = if own.file_type().is_symlink() {
                FileStamp::of(&std::fs::metadata(&path).ok()?)
            } else {
                FileStamp::of(&own)
            };
            Some(Stamped {
                path,
                stamp,
                linked,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    let below = folders
        .into_par_iter()
        .map(|(folder, real)| {
            let mut followed = followed.to_vec();
            followed.extend(real);
            stamp_folder(&folder, skip, &followed)
        })
        .collect::<Option<Vec<_>>>()?;
    stamped.extend(below.into_iter().flatten());
    Some(stamped)
}

#[cfg(test)]
mod tests {
    use super::*;

    type TestResult = std::result::Result<(), Box<dyn std::error::Error>>;

    #[test]
    fn the_cache_lives_beside_the_output() {
        assert_eq!(
            folder(Path::new("site/public")),
            Path::new("site/.public.echt.cache")
        );
        assert_eq!(folder(Path::new("out")), Path::new("./.out.echt.cache"));
    }

    #[test]
    fn a_cache_is_used_only_with_its_key_and_intact() -> TestResult {
        let dir = tempfile::tempdir()?;
        let file = dir.path().join(".public.echt.cache/sources");
        let key = Key::new(1);
        let value: Vec<(String, serde_json::Value)> =
            vec![("a".into(), serde_json::json!({"x": [1, "zwei", null]}))];
        assert_eq!(
            read::<Vec<(String, serde_json::Value)>>(&file, &key),
            Err(Miss::Missing)
        );
        write(&file, &key, &value)?;
        assert_eq!(
            read::<Vec<(String, serde_json::Value)>>(&file, &key),
            Ok(value.clone())
        );
        assert_eq!(
            read::<Vec<(String, serde_json::Value)>>(&file, &Key::new(2)),
            Err(Miss::Stale)
        );
        // Every byte flipped and every length cut is noticed.
        let bytes = std::fs::read(&file)?;
        for at in 0..bytes.len() {
            let mut flipped = bytes.clone();
            flipped[at] ^= 0x20;
            std::fs::write(&file, &flipped)?;
            let loaded = read::<Vec<(String, serde_json::Value)>>(&file, &key);
            assert!(loaded.is_err(), "byte {at} flipped went unnoticed");
            std::fs::write(&file, &bytes[..at])?;
            let loaded = read::<Vec<(String, serde_json::Value)>>(&file, &key);
            assert!(loaded.is_err(), "cut at {at} went unnoticed");
        }
        // No temporary file is left beside it.
        assert_eq!(
            std::fs::read_dir(file.parent().unwrap_or(dir.path()))?.count(),
            1
        );
        Ok(())
    }

    #[test]
    fn a_file_of_parts_is_read_as_far_as_wanted_and_checked_whole() -> TestResult {
        let dir = tempfile::tempdir()?;
        let file = dir.path().join("outputs");
        let key = Key::new(1);
        let tail: Vec<String> = (0..100).map(|i| format!("Teil {i}")).collect();
        write_parts(&file, &key, &[&"Kopf", &tail])?;
        let (head, rest) = read_first::<String>(&file, &key).map_err(|m| m.to_string())?;
        assert_eq!(head, "Kopf");
        assert_eq!(rest.value::<Vec<String>>(), Ok(tail));
        let (_, rest) = read_first::<String>(&file, &key).map_err(|m| m.to_string())?;
        assert_eq!(rest.check(), Ok(()));
        // A byte changed after the first part is noticed by the check,
        // without decoding.
        let mut bytes = std::fs::read(&file)?;
        let at = bytes.len() - 40;
        bytes[at] ^= 0x20;
        std::fs::write(&file, &bytes)?;
        let (head, rest) = read_first::<String>(&file, &key).map_err(|m| m.to_string())?;
        assert_eq!(head, "Kopf");
        assert!(rest.check().is_err());
        Ok(())
    }

    #[test]
    fn a_pending_file_replaces_the_old_one_only_when_committed() -> TestResult {
        let dir = tempfile::tempdir()?;
        let file = dir.path().join("cache/sources");
        let key = Key::new(1);
        write(&file, &key, &"alt")?;
        drop(write_later(file.clone(), key.clone(), || "verworfen"));
        assert_eq!(read::<String>(&file, &key), Ok("alt".to_string()));
        assert_eq!(std::fs::read_dir(dir.path().join("cache"))?.count(), 1);
        write_later(file.clone(), key.clone(), || "neu").commit()?;
        assert_eq!(read::<String>(&file, &key), Ok("neu".to_string()));
        assert_eq!(std::fs::read_dir(dir.path().join("cache"))?.count(), 1);
        Ok(())
    }

    #[test]
    fn written_files_altered_later_are_noticed() -> TestResult {
        let dir = tempfile::tempdir()?;
        let target = dir.path();
        let files: Vec<String> = ["a.html", "b/index.html", "c.css"]
            .map(String::from)
            .to_vec();
        for rel in &files {
            std::fs::create_dir_all(target.join(rel).parent().unwrap_or(target))?;
            std::fs::write(target.join(rel), "eins")?;
        }
        let mut written = Written::default();
        written.record(target, &files);
        assert_eq!(written.len(), 3);
        assert!(written.altered(target).is_empty());
        std::fs::write(target.join("a.html"), "zwei und mehr")?;
        std::fs::remove_file(target.join("c.css"))?;
        let mut altered = written.altered(target);
        altered.sort();
        assert_eq!(altered, ["a.html", "c.css"]);
        Ok(())
    }

    #[test]
    fn stamps_of_files_tell_every_change() -> TestResult {
        let dir = tempfile::tempdir()?;
        let site = dir.path();
        let folders = [site.join("content"), site.join("themes/eigen")];
        std::fs::create_dir_all(site.join("content/posts"))?;
        let long_ago = SystemTime::now() - Duration::from_secs(3600);
        let write = |rel: &str, text: &str| -> std::io::Result<()> {
            let path = site.join(rel);
            std::fs::write(&path, text)?;
            File::options()
                .write(true)
                .open(&path)?
                .set_modified(long_ago)
        };
        let skip = |name: &str| name.starts_with('.');
        let since = SystemTime::now() - RACY;
        let stamp = || stamp_files(&folders, since, &skip).print;
        write("content/posts/a.md", "eins")?;
        let first = stamp();
        assert!(first.is_some());
        assert_eq!(stamp(), first, "nothing changed");
        write("content/posts/.a.md.swp", "vim")?;
        assert_eq!(stamp(), first, "what the build passes by does not count");
        let mut last = first;
        let mut changed = |what: &str| {
            let now = stamp();
            assert!(now.is_some() && now != last, "{what} went unnoticed");
            last = now;
        };
        write("content/posts/a.md", "zwei")?;
        changed("the same size, dated back");
        write("content/posts/b.md", "neu")?;
        changed("a new file");
        std::fs::rename(
            site.join("content/posts/b.md"),
            site.join("content/posts/c.md"),
        )?;
        changed("a renamed file");
        std::fs::remove_file(site.join("content/posts/c.md"))?;
        changed("a removed file");
        std::fs::create_dir_all(&folders[1])?;
        changed("a folder that now exists");
        std::fs::create_dir_all(site.join("content/bilder"))?;
        assert_eq!(
            stamp(),
            last,
            "an empty folder holds nothing the build reads"
        );
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(site.join("content"), site.join("content/bilder/rund"))?;
            assert_eq!(stamp(), None, "links that lead round in a circle");
            std::fs::remove_file(site.join("content/bilder/rund"))?;
            assert_eq!(stamp(), last);
        }
        std::fs::write(site.join("content/posts/a.md"), "drei")?;
        assert_eq!(stamp(), None, "a file modified just now proves nothing");
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn stamps_of_files_are_those_of_what_they_name() -> TestResult {
        let dir = tempfile::tempdir()?;
        let content = dir.path().join("content");
        std::fs::create_dir_all(content.join("posts"))?;
        std::fs::write(content.join("posts/a.md"), "a")?;
        std::fs::write(content.join("b.md"), "b")?;
        std::fs::hard_link(content.join("b.md"), dir.path().join("b-auch.md"))?;
        std::os::unix::fs::symlink(content.join("posts"), content.join("alt"))?;
        let stamps = stamp_files(
            std::slice::from_ref(&content),
            SystemTime::now(),
            &|_: &str| false,
        );
        let mut files: Vec<&PathBuf> = stamps.files.keys().collect();
        files.sort();
        assert_eq!(
            files,
            ["alt/a.md", "b.md", "posts/a.md"]
                .map(|f| content.join(f))
                .iter()
                .collect::<Vec<_>>()
        );
        for (path, (stamp, linked)) in &stamps.files {
            assert_eq!(*stamp, FileStamp::of(&std::fs::metadata(path)?), "{path:?}");
            let own = std::fs::symlink_metadata(path)?;
            assert_eq!(*linked, crate::util::fingerprint::linked(&own), "{path:?}");
        }
        assert!(
            stamps.files[&content.join("b.md")].1,
            "a file with two names"
        );
        assert!(!stamps.files[&content.join("posts/a.md")].1);
        Ok(())
    }

    #[test]
    fn only_plain_paths_are_removed() -> TestResult {
        let dir = tempfile::tempdir()?;
        let target = dir.path().join("public");
        std::fs::create_dir_all(target.join("posts/a"))?;
        std::fs::write(target.join("posts/a/index.html"), "a")?;
        std::fs::write(target.join(".echt-output"), "")?;
        std::fs::write(dir.path().join("outside.txt"), "bleibt")?;
        let gone: Vec<String> = [
            "posts/a/index.html",
            "../outside.txt",
            ".echt-output",
            "nie.html",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(remove_files(&target, &gone)?, 1);
        assert!(!target.join("posts").exists(), "emptied folders go too");
        assert!(target.join(".echt-output").exists());
        assert!(dir.path().join("outside.txt").exists());
        Ok(())
    }
}
