//! [`Images::process`] and [`Images::bytes`]: every picture of a site,
//! in parallel, taken from the store when its entry is there and made
//! otherwise; each published file read back from the store and checked,
//! or made again from its source.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use super::cache::{self, Content, Folder, Manifest, Store};
use super::make::{self, Made};
use super::{ImageFormat, Images, Job, Picture, Unusable, Version};
use crate::source::config::ImageConfig;
use crate::util::fingerprint::fingerprint;

/// Changes whenever this code makes different files from the same
/// source, so that old entries are not taken for new ones.
const CODE_VERSION: u32 = 1;

/// Where one published file is kept.
#[derive(Debug, Clone)]
pub(super) struct Kept {
    /// The original's site path (the picture's name in [`Images`]).
    original: String,
    /// The file's number in its entry (0: the original).
    number: usize,
    hash: u64,
}

/// What a picture was made from, to make it again.
#[derive(Debug, Clone)]
pub(super) struct Source {
    job: Job,
    content: u64,
    key: u64,
}

/// What [`Images::bytes`] needs besides the pictures.
#[derive(Debug)]
pub(super) struct Shared {
    folder: Option<Arc<Folder>>,
    settings: ImageConfig,
    /// Held while an entry is made again, so that two files of one
    /// damaged entry do not make it twice at once.
    remaking: Mutex<()>,
}

/// One job's result.
struct Done {
    job: Job,
    outcome: Result<(Source, Manifest), Unusable>,
    made: bool,
}

/// The key of an entry: the source's content, what of the settings
/// changes files, the allowance to keep metadata, and this code.
fn entry_key(content: u64, settings: &ImageConfig, keep_metadata: bool) -> u64 {
    fingerprint((
        CODE_VERSION,
        content,
        &settings.widths,
        settings.quality,
        settings.webp,
        settings.max_pixels,
        keep_metadata,
    ))
}

/// Where a version of the original at `original` is published:
/// `posts/a/foto.jpg` → `posts/a/foto-800w.webp`.
pub(super) fn version_path(original: &str, width: u32, format: ImageFormat) -> String {
    let name_start = original.rfind('/').map_or(0, |i| i + 1);
    let stem = match original[name_start..].rfind('.') {
        Some(dot) if dot > 0 => &original[..name_start + dot],
        _ => original,
    };
    let ext = match format {
        ImageFormat::Jpeg => "jpg",
        ImageFormat::Png => "png",
        ImageFormat::Webp => "webp",
        ImageFormat::Gif => "gif",
    };
    format!("{stem}-{width}w.{ext}")
}

/// The picture `made` describes, published at `site_path`.
fn picture(made: &Made, site_path: &str, key: u64) -> Picture {
    let version = |file: &make::File, path: String| Version {
        site_path: path,
        width: file.width,
        height: file.height,
        format: file.format,
        len: file.len,
    };
    Picture {
        width: made.width,
        height: made.height,
        original: version(&made.original, site_path.to_string()),
        versions: made
            .versions
            .iter()
            .map(|f| version(f, version_path(site_path, f.width, f.format)))
            .collect(),
        had_location: made.had_location,
        key,
    }
}

fn unreadable(error: &std::io::Error) -> Unusable {
    Unusable {
        message: format!("cannot be read: {}", crate::util::error::io_message(error)),
        hint: None,
    }
}

/// Takes one job's picture from the store, or makes it (and stores it).
fn one(job: Job, settings: &ImageConfig, store: &Store, folder: Option<&Folder>) -> Done {
    let content = match store.content(&job.source) {
        Ok(content) => content,
        Err(e) => {
            let outcome = Err(unreadable(&e));
            return Done {
                job,
                outcome,
                made: false,
            };
        }
    };
    if let Content::Known(content) = content {
        let key = entry_key(content, settings, job.keep_metadata);
        if let Some((manifest, _)) = folder.and_then(|f| cache::read_manifest(&f.entry(key))) {
            let source = Source {
                job: job.clone(),
                content,
                key,
            };
            return Done {
                job,
                outcome: Ok((source, manifest)),
                made: false,
            };
        }
    }
    let (bytes, content) = match content {
        Content::Read(bytes, content) => (bytes, content),
        Content::Known(_) => match std::fs::read(&job.source) {
            Ok(bytes) => {
                let content = make::hash(&bytes);
                (bytes, content)
            }
            Err(e) => {
                let outcome = Err(unreadable(&e));
                return Done {
                    job,
                    outcome,
                    made: false,
                };
            }
        },
    };
    let key = entry_key(content, settings, job.keep_metadata);
    let source = Source {
        job: job.clone(),
        content,
        key,
    };
    if let Some((manifest, _)) = folder.and_then(|f| cache::read_manifest(&f.entry(key))) {
        return Done {
            job,
            outcome: Ok((source, manifest)),
            made: false,
        };
    }
    let manifest = store_made(&bytes, settings, job.keep_metadata, folder, key).0;
    Done {
        job,
        outcome: Ok((source, manifest)),
        made: true,
    }
}

/// Makes the picture in `bytes` and writes its entry (best effort: a
/// missing entry is made again when a file is asked for).
fn store_made(
    bytes: &[u8],
    settings: &ImageConfig,
    keep_metadata: bool,
    folder: Option<&Folder>,
    key: u64,
) -> (Manifest, Vec<Vec<u8>>) {
    let (manifest, files) = match make::make(bytes, settings, keep_metadata) {
        Ok(output) => (Ok(output.made), output.files),
        Err(unusable) => (Err(unusable), Vec::new()),
    };
    if let Some(folder) = folder {
        let _ = cache::write_entry(&folder.entry(key), &manifest, &files);
    }
    (manifest, files)
}

impl Images {
    /// Prepares `jobs` with `settings`, reusing what `store` holds.
    pub fn process(jobs: Vec<Job>, settings: &ImageConfig, store: &Store) -> Images {
        let folder = store.folder();
        let made = AtomicUsize::new(0);
        let done: Vec<Done> = jobs
            .into_par_iter()
            .map(|job| {
                let done = one(job, settings, store, folder.as_deref());
                if done.made {
                    made.fetch_add(1, Ordering::Relaxed);
                }
                done
            })
            .collect();
        store.save_index();
        let made = made.into_inner();
        let mut images = Images {
            reused: done.iter().filter(|d| d.outcome.is_ok()).count() - made,
            made,
            shared: Some(Shared {
                folder,
                settings: settings.clone(),
                remaking: Mutex::new(()),
            }),
            ..Images::default()
        };
        for done in done {
            images.add(done);
        }
        images
    }

    fn add(&mut self, done: Done) {
        let site_path = done.job.site_path;
        let (source, manifest) = match done.outcome {
            Ok(both) => both,
            Err(unusable) => {
                self.pictures.insert(site_path, Err(unusable));
                return;
            }
        };
        let made = match manifest {
            Ok(made) => made,
            Err(unusable) => {
                self.pictures.insert(site_path, Err(unusable));
                return;
            }
        };
        let picture = picture(&made, &site_path, source.key);
        let files = std::iter::once(&made.original).chain(&made.versions);
        let paths = std::iter::once(&picture.original).chain(&picture.versions);
        for (number, (file, version)) in files.zip(paths).enumerate() {
            let kept = Kept {
                original: site_path.clone(),
                number,
                hash: file.hash,
            };
            self.files.insert(version.site_path.clone(), kept);
        }
        self.sources.insert(site_path.clone(), source);
        self.pictures.insert(site_path, Ok(Arc::new(picture)));
    }

    /// The bytes of the published file at `site_path`, read from the store
    /// and checked against what was made; a damaged or missing entry is
    /// made again from its source. None for a path no picture publishes.
    pub fn bytes(&self, site_path: &str) -> Option<Result<Vec<u8>, Unusable>> {
        let kept = self.files.get(site_path)?;
        let source = self.sources.get(&kept.original)?;
        let shared = self.shared.as_ref()?;
        let stored = |folder: &Folder| cache::read_file(&folder.entry(source.key), kept.number);
        if let Some(bytes) = shared.folder.as_deref().and_then(stored) {
            return Some(Ok(bytes));
        }
        let _one_at_a_time = shared.remaking.lock().unwrap_or_else(|e| e.into_inner());
        // Another thread may have made it meanwhile.
        if let Some(bytes) = shared.folder.as_deref().and_then(stored) {
            return Some(Ok(bytes));
        }
        Some(remake(source, kept, shared))
    }

    /// The keys of the entries these pictures use.
    pub(super) fn entries(&self) -> impl Iterator<Item = u64> + '_ {
        self.sources.values().map(|s| s.key)
    }

    /// The sources these pictures were made from, as the store's index
    /// names them.
    pub(super) fn sources_read(&self) -> impl Iterator<Item = String> + '_ {
        self.sources
            .values()
            .map(|s| s.job.source.to_string_lossy().into_owned())
    }
}

/// Makes the entry of `source` again and returns the file `kept` names,
/// if the source and the file are still what they were.
fn remake(source: &Source, kept: &Kept, shared: &Shared) -> Result<Vec<u8>, Unusable> {
    let job = &source.job;
    let bytes = std::fs::read(&job.source).map_err(|e| unreadable(&e))?;
    if make::hash(&bytes) != source.content {
        return Err(changed(&job.source));
    }
    let folder = shared.folder.as_deref();
    let (manifest, mut files) = store_made(
        &bytes,
        &shared.settings,
        job.keep_metadata,
        folder,
        source.key,
    );
    manifest?;
    if kept.number >= files.len() {
        return Err(changed(&job.source));
    }
    let file = files.swap_remove(kept.number);
    if make::hash(&file) != kept.hash {
        return Err(Unusable {
            message: "came out different when it was made again from the same file".to_string(),
            hint: Some("build again; if it persists, this is a bug in echt".to_string()),
        });
    }
    Ok(file)
}

fn changed(_source: &std::path::Path) -> Unusable {
    Unusable {
        message: "changed while the site was being built".to_string(),
        hint: Some("build again".to_string()),
    }
}
