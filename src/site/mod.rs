//! The site model: every post and page with its URL, in order, with tags.
//!
//! Loading reads and parses all sources in parallel, decides each URL from
//! the file name (so a title edit never breaks a link), leaves out drafts
//! and future posts unless asked, refuses two sources on one URL, and only
//! then renders Markdown, because links between posts need every URL first.
//! All problems of all files are collected before anything is rendered.
//!
//! Stage 4. Takes the checked config and the sources; hands on the ordered,
//! linked [`Site`] with every document's rendered HTML, and the
//! [`registry`] that gives every output path one owner.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;
use unicode_normalization::UnicodeNormalization;

use crate::image::{self, Images};
use crate::markdown::picture::Responsive;
use crate::markdown::{self, LookedUp, Rendered};
use crate::source::config::{Config, HeadingIds};
use crate::source::content::{self, Inventory, Kind, Source, CONTENT_DIR};
use crate::source::frontmatter::{self, FileDate, FileDateError, FrontMatter};
use crate::source::permalink::{self, Permalink};
use crate::source::yaml;
use crate::util::error::{Diagnostic, Origin, Result};
use crate::util::fingerprint::{fingerprint, linked, FileStamp};
use crate::util::i18n::Language;
use crate::util::slug::slugify;

pub mod authors;
pub mod comments;
pub mod registry;
pub mod related;
pub mod series;

/// What to include in a build.
#[derive(Debug, Clone)]
pub struct Selection {
    pub drafts: bool,
    pub future: bool,
    /// Posts dated after this are "future".
    pub now: DateTime<FixedOffset>,
}

/// A post or a standalone page, parsed and rendered.
#[derive(Debug)]
pub struct Document {
    pub source: Source,
    pub front: Arc<FrontMatter>,
    /// Path below the site root: `posts/hallo/`.
    pub path: String,
    pub date: Option<DateTime<FixedOffset>>,
    pub language: Language,
    pub rendered: Arc<Rendered>,
    /// The front matter `image`, resolved like an image in the text.
    pub image: Option<FrontImage>,
    /// Dated after the build started (shown only with `--future`).
    pub future: bool,
    /// Indices into [`Site::tags`].
    pub tags: Vec<usize>,
    /// Who wrote it, by index into [`Site::authors`]: those its `author`
    /// names, or the site's author.
    pub authors: Vec<usize>,
    /// Index into [`Site::series`], for a post of a series.
    pub series: Option<usize>,
    /// Indices into [`Site::posts`]: related posts, best first (see
    /// [`related`]).
    pub related: Vec<usize>,
    /// Changes whenever anything the document is made of changes: its
    /// source file, URL, language, or what its links point to.
    pub fingerprint: u64,
    /// The file's text as read, where the audit locates findings.
    pub text: Arc<str>,
    /// Readers' comments (only a bundle post has any).
    pub comments: Arc<comments::Thread>,
}

impl Document {
    /// The document as a source of the pages that show it.
    pub fn origin(&self) -> Origin {
        Origin {
            shown: self.source.display_path(),
            text: self.text.clone(),
        }
    }

    pub fn reading_time(&self) -> usize {
        self.rendered.words.div_ceil(200).max(1)
    }

    /// The later of `updated` and `date`.
    pub fn last_modified(&self) -> Option<DateTime<FixedOffset>> {
        self.front.updated.max(self.date)
    }
}

#[derive(Debug)]
pub struct Tag {
    pub name: String,
    pub slug: String,
    /// Indices into [`Site::posts`], newest first.
    pub posts: Vec<usize>,
}

impl Tag {
    pub fn path(&self) -> String {
        format!("tags/{}/", self.slug)
    }
}

/// A document's front matter `image`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct FrontImage {
    /// Resolved like an image in the text.
    pub url: String,
    /// How to show it, when it is a picture of the site.
    pub picture: Option<Responsive>,
}

/// A file copied into the output unchanged.
#[derive(Debug)]
pub struct CopiedFile {
    pub from: PathBuf,
    /// Path below the site root.
    pub to: String,
}

/// An old URL that redirects to a post.
#[derive(Debug)]
pub struct Alias {
    /// Output file below the site root: `2019/03/alt/index.html`.
    pub file: String,
    /// Path of the post it points to.
    pub target: String,
    /// As written in the front matter, and where.
    pub written: String,
    pub source: PathBuf,
}

#[derive(Debug)]
pub struct Site {
    pub config: Config,
    /// Newest first.
    pub posts: Vec<Document>,
    pub pages: Vec<Document>,
    /// Sorted by name.
    pub tags: Vec<Tag>,
    /// Everyone who wrote here: echt.yaml's people (by key), then the
    /// guests posts name.
    pub authors: Vec<authors::Person>,
    /// Sorted by slug.
    pub series: Vec<series::Series>,
    /// Files from `content/` that are copied (bundle images and others).
    pub files: Vec<CopiedFile>,
    /// The site's `static/` folder: (path below the site root, file).
    pub static_files: Vec<(String, PathBuf)>,
    pub aliases: Vec<Alias>,
    /// The pictures of `content/`, made for readers.
    pub images: Arc<Images>,
    /// Each picture's file as messages name it, by the site path of its
    /// original.
    pub picture_files: HashMap<String, PathBuf>,
}

/// A source read and its front matter checked.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct Parsed {
    source: Source,
    text: Arc<str>,
    front: Arc<FrontMatter>,
    body_offset: usize,
    date: Option<DateTime<FixedOffset>>,
    slug_stem: String,
    /// The URL path the document asks for (see [`document_path`]).
    path: String,
}

/// What the preview keeps from one load to the next, so that a save re-reads,
/// re-parses and re-renders only the sources it touched. `echt build`
/// starts with an empty one.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Cache {
    /// How often the watcher reported each file: a rewrite within the file
    /// system's timestamp granularity still gives the file a new stamp.
    seen: HashMap<PathBuf, u64>,
    /// By path below `content/`.
    sources: HashMap<String, CachedSource>,
    /// What the last load found in `content/`, kept for the preview: see
    /// [`Cache::stale_sources`].
    #[serde(skip)]
    walked: Option<Inventory>,
    /// Every path the watcher reported since the last load.
    #[serde(skip)]
    reported: Vec<PathBuf>,
    /// The last link map, and a fingerprint of what it was made from.
    #[serde(skip)]
    links: Option<(u64, Arc<HashMap<String, String>>)>,
    /// Whether the last load found no problem (see [`Site::patch`]).
    #[serde(skip)]
    clean: bool,
    /// Stamps of files taken for this load already (see [`Cache::stamped`]).
    #[serde(skip)]
    known: HashMap<PathBuf, (FileStamp, bool)>,
    /// Where pictures are kept between loads.
    #[serde(skip)]
    pub images: image::Store,
    /// The pictures of the last load.
    #[serde(skip)]
    pictures: Option<Arc<Images>>,
}

#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct CachedSource {
    stamp: u64,
    /// The stamp the file had when its text last changed: a save that
    /// leaves the text as it was (or a `touch`) changes the stamp, not
    /// this, so the document's fingerprint and its pages stay the same.
    version: u64,
    parsed: Arc<std::result::Result<Parsed, Vec<Diagnostic>>>,
    rendering: Option<Arc<Rendering>>,
}

/// A document's rendered Markdown and what it was made from besides the
/// source text.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct Rendering {
    path: String,
    language: Language,
    /// Every lookup of a link or picture, with what it found.
    looked_up: LookedUp,
    result: std::result::Result<(Arc<Rendered>, Option<FrontImage>), Vec<Diagnostic>>,
}

impl Rendering {
    fn still_good(&self, path: &str, language: Language, around: &Around<'_>) -> bool {
        self.path == path
            && self.language == language
            && self
                .looked_up
                .links
                .iter()
                .all(|(rel, found)| around.links.get(rel) == found.as_ref())
            && self.looked_up.pictures.iter().all(|(site_path, found)| {
                markdown::picture_print(around.images.get(site_path)) == *found
            })
    }
}

/// What a document's rendering may look up besides its own text: where
/// every file goes, the pictures, the settings.
#[derive(Debug, Clone, Copy)]
struct Around<'a> {
    links: &'a HashMap<String, String>,
    images: &'a Images,
    config: &'a Config,
}

impl Cache {
    /// Splits the sources' entries into `n` caches of about equal size,
    /// to be stored and read again in parallel ([`Cache::join`]); the
    /// first also keeps what the watcher saw.
    pub fn split(self, n: usize) -> Vec<Cache> {
        let n = n.max(1);
        let mut shards: Vec<Cache> = (0..n).map(|_| Cache::default()).collect();
        let mut sources: Vec<(String, CachedSource)> = self.sources.into_iter().collect();
        sources.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        for (i, (rel, source)) in sources.into_iter().enumerate() {
            shards[i % n].sources.insert(rel, source);
        }
        shards[0].seen = self.seen;
        shards
    }

    /// One cache of the entries of `shards` ([`Cache::split`]).
    pub fn join(shards: Vec<Cache>) -> Cache {
        let mut joined = Cache::default();
        joined
            .sources
            .reserve(shards.iter().map(|s| s.sources.len()).sum());
        for shard in shards {
            joined.sources.extend(shard.sources);
            joined.seen.extend(shard.seen);
        }
        joined
    }

    /// The pictures of the last load.
    pub fn pictures(&self) -> Option<&Arc<Images>> {
        self.pictures.as_ref()
    }

    /// Notes the files the watcher reported as changed.
    pub fn touch(&mut self, paths: &[PathBuf]) {
        for path in paths {
            *self.seen.entry(path.clone()).or_default() += 1;
        }
        if self.walked.is_some() {
            self.reported.extend_from_slice(paths);
        }
    }

    /// Forgets what the last load found in `content/`, so the next load
    /// walks it again and stamps every file: for when the watcher may
    /// have missed a change.
    pub fn forget_walk(&mut self) {
        self.walked = None;
        self.reported.clear();
    }

    /// The date of every source it holds that has one: drafts, future
    /// posts and pages too.
    pub fn dates(&self) -> impl Iterator<Item = DateTime<FixedOffset>> + '_ {
        self.sources
            .values()
            .filter_map(|source| source.parsed.as_ref().as_ref().ok()?.date)
    }

    /// Takes the stamps of `files` (with whether each is [`linked`]) as
    /// they were just taken, by someone who walked the site before any of
    /// them was read (`echt build`), instead of taking them again.
    pub fn stamped(&mut self, files: HashMap<PathBuf, (FileStamp, bool)>) {
        self.known = files;
    }

    /// A number that changes whenever the file at `path` may have changed:
    /// its [`FileStamp`] and how often the watcher reported it.
    pub fn stamp(&self, path: &Path) -> u64 {
        match self.known.get(path) {
            Some((stamp, _)) => self.stamp_with(path, Some(*stamp)),
            None => self.stamp_with(
                path,
                std::fs::metadata(path).ok().as_ref().map(FileStamp::of),
            ),
        }
    }

    fn stamp_with(&self, path: &Path, stamp: Option<FileStamp>) -> u64 {
        fingerprint((stamp, self.seen.get(path)))
    }

    /// A source's stamp, and whether the file may be changed under
    /// another path (see [`linked`]). The stamp is [`Cache::stamp`]'s: a
    /// symbolic link's is that of the file it points to.
    fn source_stamp(&self, path: &Path) -> (u64, bool) {
        if let Some((stamp, linked)) = self.known.get(path) {
            return (self.stamp_with(path, Some(*stamp)), *linked);
        }
        let meta = std::fs::symlink_metadata(path).ok();
        let linked = meta.as_ref().is_some_and(linked);
        let meta = if meta.as_ref().is_some_and(|m| m.file_type().is_symlink()) {
            std::fs::metadata(path).ok()
        } else {
            meta
        };
        (
            self.stamp_with(path, meta.as_ref().map(FileStamp::of)),
            linked,
        )
    }

    /// The sources to stamp again if the last load's inventory of
    /// `content/` is still right; None when `content/` must be walked and
    /// every source stamped.
    ///
    /// A file appears, disappears or moves in `content/` only with an event
    /// naming its path, so the inventory still holds if every path the
    /// watcher reported below `content/` since is a file it lists, and
    /// still a file (editor leftovers, which no walk finds, do not count).
    /// The files it did not report kept their stamps. A site with a source
    /// that can be changed under another path (a symbolic link, a file
    /// with two names) never gets here: the watcher reports a change under
    /// the path that was written to (see `Site::load`).
    fn stale_sources(&self, content_dir: &Path) -> Option<HashSet<String>> {
        let inventory = self.walked.as_ref()?;
        let mut stale = HashSet::new();
        for path in &self.reported {
            let Ok(rel) = path.strip_prefix(content_dir) else {
                // Elsewhere in the site (a template, echt.yaml), or
                // `content/` itself.
                if content_dir.starts_with(path) {
                    return None;
                }
                continue;
            };
            let mut names = Vec::new();
            for component in rel.components() {
                match component {
                    std::path::Component::Normal(name) => names.push(name.to_str()?),
                    _ => return None,
                }
            }
            if names.is_empty() {
                return None;
            }
            if names.iter().any(|name| content::is_ignored(name)) {
                continue;
            }
            let rel = names.join("/");
            let is_file = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_file());
            if !is_file {
                return None;
            }
            if self.sources.contains_key(&rel) {
                stale.insert(rel);
            } else if is_picture(&rel) || !inventory.assets.iter().any(|asset| asset.rel == rel) {
                // A picture changed is made again, and the pages showing it
                // with it: the site is loaded again.
                return None;
            }
        }
        Some(stale)
    }
}

/// A document of a [`Site`], by its index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentAt {
    Post(usize),
    Page(usize),
}

impl Site {
    /// The document at `at`.
    pub fn document(&self, at: DocumentAt) -> &Document {
        match at {
            DocumentAt::Post(i) => &self.posts[i],
            DocumentAt::Page(i) => &self.pages[i],
        }
    }

    fn document_of(&self, rel: &str) -> Option<DocumentAt> {
        if let Some(i) = self.posts.iter().position(|d| d.source.rel == rel) {
            return Some(DocumentAt::Post(i));
        }
        let i = self.pages.iter().position(|d| d.source.rel == rel)?;
        Some(DocumentAt::Page(i))
    }

    /// Brings this site, which the last load made with `cache`, up to date
    /// without loading it again, if what changed since changes nothing but
    /// the documents' own pages: the watcher reported nothing but edits of
    /// sources (see `Cache::stale_sources`), the last load found no
    /// problem, and each source whose text changed kept its front matter
    /// and, rendered again without a problem, the summary and reading time
    /// that lists show. Every other part of the site is made of front
    /// matter, file names and summaries alone, so it stays as it is.
    ///
    /// Returns the documents whose text changed; None when the site must be
    /// loaded again, and then neither the site nor the cache has changed.
    pub fn patch(&mut self, selection: &Selection, cache: &mut Cache) -> Option<Vec<DocumentAt>> {
        // Without `future`, a post is left out until its date: the site
        // changes by itself.
        if !cache.clean || !selection.future {
            return None;
        }
        let now = selection.now;
        let still_future = |d: &Document| d.future == d.date.is_some_and(|date| date > now);
        if !self.posts.iter().chain(&self.pages).all(still_future) {
            return None;
        }
        let content_dir = self.config.root.join(CONTENT_DIR);
        let stale = cache.stale_sources(&content_dir)?;
        let links = cache.links.as_ref()?.1.clone();
        let images = cache.pictures.clone()?;
        let around = Around {
            links: &links,
            images: &images,
            config: &self.config,
        };
        let mut updates = Vec::new();
        for rel in stale {
            let cached = cache.sources.get(&rel)?;
            let (stamp, linked) = cache.source_stamp(&content_dir.join(&rel));
            if linked {
                return None;
            }
            if stamp == cached.stamp {
                continue;
            }
            let old = cached.parsed.as_ref().as_ref().ok()?;
            let text = read(&self.config, &old.source).ok()?;
            if *text == *old.text {
                let same = CachedSource {
                    stamp,
                    ..cached.clone()
                };
                updates.push((rel, same, None));
                continue;
            }
            let new = parse(&old.source, text, &self.config.permalink).ok()?;
            if new.text[..new.body_offset] != old.text[..old.body_offset] {
                return None;
            }
            let at = self.document_of(&rel)?;
            let doc = self.document(at);
            let rendering = render_document(&new, &doc.path, doc.language, &around);
            let (rendered, image) = rendering.result.as_ref().ok()?;
            let edited = Document {
                fingerprint: document_print(&rel, stamp, &doc.path, &rendering, doc.future),
                source: doc.source.clone(),
                front: new.front.clone(),
                path: doc.path.clone(),
                date: doc.date,
                language: doc.language,
                rendered: rendered.clone(),
                image: image.clone(),
                future: doc.future,
                tags: doc.tags.clone(),
                authors: doc.authors.clone(),
                series: doc.series,
                related: doc.related.clone(),
                text: new.text.clone(),
                comments: doc.comments.clone(),
            };
            if rendered.summary != doc.rendered.summary
                || rendered.has_more != doc.rendered.has_more
                || edited.reading_time() != doc.reading_time()
                || edited.image != doc.image
            {
                return None;
            }
            let source = CachedSource {
                stamp,
                version: stamp,
                parsed: Arc::new(Ok(new)),
                rendering: Some(Arc::new(rendering)),
            };
            updates.push((rel, source, Some((at, edited))));
        }
        let mut edited = Vec::new();
        for (rel, source, document) in updates {
            cache.sources.insert(rel, source);
            if let Some((at, document)) = document {
                match at {
                    DocumentAt::Post(i) => self.posts[i] = document,
                    DocumentAt::Page(i) => self.pages[i] = document,
                }
                edited.push(at);
            }
        }
        cache.reported.clear();
        Some(edited)
    }
}

impl Site {
    /// Reads, checks and renders everything under `content/`, reusing from
    /// `cache` what has not changed since the last load. Returns the site
    /// built from every source that is fine, and the problems of the others;
    /// only an unreadable `content/` folder is an error outright.
    pub fn load(
        config: Config,
        selection: &Selection,
        cache: &mut Cache,
    ) -> Result<(Site, Vec<Diagnostic>)> {
        let content_dir = config.root.join(CONTENT_DIR);
        let stale = cache.stale_sources(&content_dir);
        cache.reported.clear();
        let walked = cache.walked.take();
        let (inventory, stale) = match (walked, stale) {
            (Some(inventory), Some(stale)) => (inventory, Some(stale)),
            _ => (content::discover(&config.root)?, None),
        };
        let mut errors = Vec::new();
        let (sources, mut linked) = read_sources(&config, &inventory, cache, stale.as_ref());
        if stale.is_none() && !linked {
            linked = linked_folders(&content_dir, &inventory);
        }
        let (mut parsed, broken) = parsed_sources(&inventory, &sources, &mut errors);
        parsed.retain(|(_, doc, _)| is_published(doc, selection));
        let placed = place(parsed, &mut errors);
        let links = cache.link_map(&inventory, &placed, &broken);
        let jobs = picture_jobs(&config, &inventory, &links);
        let pictures: HashMap<String, PathBuf> = jobs
            .iter()
            .map(|job| (job.site_path.clone(), job.display.clone()))
            .collect();
        let images = Arc::new(Images::process(jobs, &config.images, &cache.images));
        let around = Around {
            links: &links,
            images: &images,
            config: &config,
        };
        let renderings = render_placed(&placed, &around);
        let mut shown: HashSet<&str> = renderings
            .iter()
            .flat_map(|r| r.looked_up.pictures.iter().map(|(p, _)| p.as_str()))
            .collect();
        shown.extend(authors::photo_paths(&config, &links));
        unusable_pictures(&images, &pictures, &shown, &mut errors);
        drop(shown);
        let Documents {
            mut posts,
            mut pages,
            rendered_now,
        } = documents(placed, renderings, selection, &mut errors);
        remember(&mut cache.sources, &inventory, sources, rendered_now);
        let mut threads = comments::threads(&config, &inventory, selection.drafts, &mut errors);
        for post in &mut posts {
            if let Some(thread) = threads.remove(&post.source.rel) {
                post.comments = Arc::new(thread);
            }
        }
        order(&mut posts, &mut pages);
        let tags = tags(&mut posts, &cache.sources, &mut errors);
        let authors = authors::people(&around, &mut posts, &mut pages, &mut errors);
        let series = series::collect(&mut posts, config.language, &mut errors);
        let related = related::related(&posts, &tags, config.related_count);
        for (post, related) in posts.iter_mut().zip(related) {
            post.related = related;
        }
        let mut aliases = collect_aliases(&posts, &pages, &mut errors);
        aliases.extend(config.redirects.iter().map(|redirect| Alias {
            file: redirect.file.clone(),
            target: redirect.to.clone(),
            written: redirect.from.clone(),
            source: PathBuf::from(crate::source::config::CONFIG_FILE),
        }));
        cache.pictures = Some(images.clone());
        let files = copied_files(&config, &inventory, &posts, &images);
        let static_files = static_files(&config, &mut errors);
        if !linked {
            cache.walked = Some(inventory);
        }
        cache.clean = errors.is_empty();
        Ok((
            Site {
                config,
                posts,
                pages,
                tags,
                authors,
                series,
                files,
                static_files,
                aliases,
                images,
                picture_files: pictures,
            },
            errors,
        ))
    }
}

impl Clone for CachedSource {
    fn clone(&self) -> Self {
        CachedSource {
            stamp: self.stamp,
            version: self.version,
            parsed: self.parsed.clone(),
            rendering: self.rendering.clone(),
        }
    }
}

/// Whether a folder on the way from `content/` to a source is a symbolic
/// link (see [`linked`]).
fn linked_folders(content_dir: &Path, inventory: &Inventory) -> bool {
    let mut folders: HashSet<&str> = HashSet::new();
    for source in &inventory.sources {
        let mut rel = source.rel.as_str();
        while let Some((folder, _)) = rel.rsplit_once('/') {
            if !folders.insert(folder) {
                break;
            }
            rel = folder;
        }
    }
    folders.into_iter().any(|folder| {
        std::fs::symlink_metadata(content_dir.join(folder))
            .is_ok_and(|m| m.file_type().is_symlink())
    })
}

/// Every source of `inventory`, read and parsed, or taken from `cache` if
/// its stamp is unchanged (with its last rendering, which is checked later).
/// With `stale`, only the sources it names are stamped again; the others
/// keep the stamps they had. Also says whether a source is a symbolic link.
fn read_sources(
    config: &Config,
    inventory: &Inventory,
    cache: &Cache,
    stale: Option<&HashSet<String>>,
) -> (Vec<CachedSource>, bool) {
    let content_dir = config.root.join(CONTENT_DIR);
    let read: Vec<(CachedSource, bool)> = inventory
        .sources
        .par_iter()
        .map(|s| {
            let cached = cache.sources.get(&s.rel);
            if let (Some(stale), Some(c)) = (stale, cached) {
                if !stale.contains(&s.rel) {
                    return (c.clone(), false);
                }
            }
            // The stamp is taken before the file is read: a write in
            // between makes the next load read it again.
            let (stamp, linked) = cache.source_stamp(&content_dir.join(&s.rel));
            let source = match cached {
                Some(c) if c.stamp == stamp => c.clone(),
                Some(c) => read_again(config, s, c, stamp),
                None => CachedSource {
                    stamp,
                    version: stamp,
                    parsed: Arc::new(
                        read(config, s).and_then(|text| parse(s, text, &config.permalink)),
                    ),
                    rendering: None,
                },
            };
            (source, linked)
        })
        .collect();
    let linked = read.iter().any(|(_, linked)| *linked);
    (read.into_iter().map(|(source, _)| source).collect(), linked)
}

/// A source whose stamp changed: parsed again, unless its text is what it
/// was (a save without changes, `touch`).
fn read_again(config: &Config, source: &Source, cached: &CachedSource, stamp: u64) -> CachedSource {
    let text = read(config, source);
    if let (Ok(text), Ok(parsed)) = (&text, cached.parsed.as_ref()) {
        if **text == *parsed.text {
            return CachedSource {
                stamp,
                ..cached.clone()
            };
        }
    }
    CachedSource {
        stamp,
        version: stamp,
        parsed: Arc::new(text.and_then(|text| parse(source, text, &config.permalink))),
        rendering: None,
    }
}

/// The sources that parsed, by index into `sources`, and the paths of
/// those that did not (whose problems go to `errors`).
fn parsed_sources<'a>(
    inventory: &Inventory,
    sources: &'a [CachedSource],
    errors: &mut Vec<Diagnostic>,
) -> (Vec<(usize, &'a Parsed, &'a CachedSource)>, Vec<String>) {
    let mut parsed = Vec::new();
    // Files that failed to parse still exist: links to them are not
    // reported a second time as broken.
    let mut broken = Vec::new();
    for (i, (cached, source)) in sources.iter().zip(&inventory.sources).enumerate() {
        match cached.parsed.as_ref() {
            Ok(p) => parsed.push((i, p, cached)),
            Err(e) => {
                errors.extend(e.iter().cloned());
                broken.push(source.rel.clone());
            }
        }
    }
    (parsed, broken)
}

/// A source's text, as parsing wants it.
fn read(config: &Config, source: &Source) -> std::result::Result<String, Vec<Diagnostic>> {
    let display = source.display_path();
    let file = config.root.join(CONTENT_DIR).join(&source.rel);
    let bytes = std::fs::read(&file).map_err(|e| {
        vec![Diagnostic::file(
            &display,
            crate::util::error::io_message(&e),
        )]
    })?;
    let mut text = crate::util::text::decode_utf8(&display, &bytes).map_err(|e| e.diagnostics)?;
    if text.contains(crate::util::url::ROOT) {
        text = text.replace(crate::util::url::ROOT, "");
    }
    Ok(text)
}

fn parse(
    source: &Source,
    text: String,
    permalink: &Permalink,
) -> std::result::Result<Parsed, Vec<Diagnostic>> {
    let display = source.display_path();
    let split = frontmatter::split(&display, &text).map_err(|d| vec![d])?;
    let front = frontmatter::parse(&display, &split)?;
    let body_offset = split.body_offset;

    let (file_date, stem) = name_parts(source);
    let date =
        document_date(front.date, file_date).map_err(|far| vec![far.diagnostic(&display)])?;
    if source.kind == Kind::Post && date.is_none() {
        return Err(vec![Diagnostic::at(&display, &text, 2, 1, "the post has no date")
            .hint("add a line like `date: 2024-03-11` to the front matter, or start the file name with the date (2024-03-11-titel.md)")]);
    }
    if date.is_none() && front.permalink.as_ref().is_some_and(Permalink::needs_date) {
        return Err(vec![yaml::key_diagnostic(
            &display,
            split.yaml,
            "permalink",
            split.yaml_shift,
            "the permalink needs a date, and this page has none",
        )
        .hint(
            "add `date:` to the front matter, or leave the date out of the permalink",
        )]);
    }
    let mut parsed = Parsed {
        source: source.clone(),
        text: Arc::from(text),
        front: Arc::new(front),
        body_offset,
        date,
        slug_stem: stem.to_string(),
        path: String::new(),
    };
    parsed.path = document_path(&parsed, permalink);
    Ok(parsed)
}

/// The date a Jekyll file name starts with, if any, and the rest of the
/// name, which a post's URL is made from: `2024-03-11-titel.md` →
/// (2024-03-11, `titel`). A bundle is named by its folder.
fn name_parts(source: &Source) -> (Option<FileDate>, &str) {
    match frontmatter::date_from_file_name(source.stem()) {
        Some((date, rest)) => (Some(date), rest),
        None => (None, source.stem()),
    }
}

/// A document's date: `date:`, else the file name's. A file named after a
/// day feeds cannot carry is refused only when that day would be used.
fn document_date(
    front: Option<DateTime<FixedOffset>>,
    file: Option<FileDate>,
) -> std::result::Result<Option<DateTime<FixedOffset>>, FileDateError> {
    match (front, file) {
        (Some(date), _) | (None, Some(Ok(date))) => Ok(Some(date)),
        (None, Some(Err(far))) => Err(far),
        (None, None) => Ok(None),
    }
}

fn is_published(doc: &Parsed, selection: &Selection) -> bool {
    let draft_ok = !doc.front.draft || selection.drafts;
    let date_ok = selection.future
        || doc.source.kind == Kind::Page
        || doc.date.is_none_or(|d| d <= selection.now);
    draft_ok && date_ok
}

/// A published source and the URL path it claimed.
struct Placed<'a> {
    /// Index into the load's sources.
    index: usize,
    doc: &'a Parsed,
    cached: &'a CachedSource,
    path: String,
}

/// Decides each document's URL path and claims it; a document without a
/// usable path, or on a path another one claimed first, is left out with a
/// problem in `errors`.
fn place<'a>(
    documents: Vec<(usize, &'a Parsed, &'a CachedSource)>,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Placed<'a>> {
    let mut urls = UrlRegistry::new();
    let mut placed = Vec::with_capacity(documents.len());
    for (index, doc, cached) in documents {
        if is_nameless(&doc.path) {
            errors.push(
                Diagnostic::file(
                    doc.source.display_path(),
                    "the file name has no letters or digits for a URL",
                )
                .hint("rename the file, or set `slug:` in its front matter"),
            );
            continue;
        }
        match urls.claim(&doc.path, &doc.source) {
            Ok(()) => placed.push(Placed {
                index,
                doc,
                cached,
                path: doc.path.clone(),
            }),
            Err(e) => errors.push(e),
        }
    }
    placed
}

/// Whether a document path has a segment without a name: `posts/a/` has
/// one empty segment, after its last slash; a file name without letters
/// gives `posts//`.
fn is_nameless(path: &str) -> bool {
    match path.strip_suffix(".html") {
        // A file: `2014/07/07/.html` or `a//b.html`.
        Some(file) => file.ends_with('/') || file.split('/').any(str::is_empty),
        None => path.split('/').filter(|segment| segment.is_empty()).count() > 1,
    }
}

/// The URL path of a document, from its file name (or `slug:`).
fn document_path(doc: &Parsed, permalink: &Permalink) -> String {
    let chosen = doc
        .front
        .slug
        .as_deref()
        .map(slugify)
        .filter(|s| !s.is_empty());
    let pattern = match (&doc.front.permalink, doc.source.kind) {
        (Some(own), _) => own,
        (None, Kind::Post) => permalink,
        (None, Kind::Page) => return page_path(&doc.source.rel, chosen.as_deref()),
    };
    let slug = chosen.unwrap_or_else(|| slugify(&doc.slug_stem));
    pattern.expand(&permalink::Values {
        date: doc.date,
        slug: &slug,
        name: doc.front.slug.as_deref().unwrap_or(&doc.slug_stem),
        categories: &doc.front.categories,
    })
}

/// A page's path from its place below `content/` (`über uns.md` →
/// `ueber-uns/`): each folder slugified, `index` meaning its folder, the
/// last part replaced by `slug` (already checked to have letters).
pub fn page_path(rel: &str, slug: Option<&str>) -> String {
    let rel = rel.rsplit_once('.').map_or(rel, |(s, _)| s);
    let mut segments: Vec<String> = rel.split('/').map(slugify).collect();
    if segments.last().is_some_and(|s| s == "index") {
        segments.pop();
    }
    if let Some(slug) = slug {
        match segments.last_mut() {
            Some(last) => *last = slug.to_string(),
            None => segments.push(slug.to_string()),
        }
    }
    // `content/index.md` is the home page's path (and clashes
    // with it); `content/🎉.md` has a nameless segment, `/`.
    let mut path = segments.join("/");
    if !segments.is_empty() {
        path.push('/');
    }
    path
}

/// Which file claimed which output path; generated pages are reserved.
struct UrlRegistry<'a, O> {
    /// Output path (`posts/a/`, `alt/seite.html`) → the file that claimed
    /// it.
    claimed: HashMap<&'a str, O>,
}

/// A file that claims a URL, named only when it cannot have it.
trait Claimant: Copy {
    fn shown(self) -> PathBuf;
}

impl Claimant for &Path {
    fn shown(self) -> PathBuf {
        self.to_path_buf()
    }
}

impl Claimant for &Source {
    fn shown(self) -> PathBuf {
        self.display_path()
    }
}

impl<'a, O: Claimant> UrlRegistry<'a, O> {
    /// Documents claim their URLs against each other here, before links
    /// are resolved; every other output path is claimed against these in
    /// `registry`, which owns the whole output folder.
    fn new() -> Self {
        UrlRegistry {
            claimed: HashMap::new(),
        }
    }

    /// Claims an output path for `by`. `x/index.html` and `x/` are the same.
    fn claim(&mut self, path: &'a str, by: O) -> std::result::Result<(), Diagnostic> {
        let path = path.strip_suffix("index.html").unwrap_or(path);
        let owner = match self.claimed.entry(path) {
            std::collections::hash_map::Entry::Vacant(entry) => {
                entry.insert(by);
                return Ok(());
            }
            std::collections::hash_map::Entry::Occupied(entry) => entry.get().shown(),
        };
        let by = by.shown();
        let shown = format!("/{path}");
        Err(Diagnostic::file(
            &by,
            format!("the URL {shown} is already taken by {}", owner.display()),
        )
        .hint(format!(
            "{} and {} would both be written to {shown}; rename one of them or give it a `slug:` in its front matter",
            owner.display(),
            by.display()
        )))
    }
}

/// A path below `content/` as a key of the link map: in NFC, because macOS
/// writes file names decomposed (`U` + `¨`) and editors write links
/// composed; `markdown::Links` looks up in NFC too.
fn link_key(rel: &str) -> String {
    if unicode_normalization::is_nfc(rel) {
        rel.to_string()
    } else {
        rel.nfc().collect()
    }
}

impl Cache {
    /// [`link_map`], or the last one if it was made from the same files
    /// placed at the same paths.
    fn link_map(
        &mut self,
        inventory: &Inventory,
        placed: &[Placed<'_>],
        broken: &[String],
    ) -> Arc<HashMap<String, String>> {
        let print = fingerprint(LinkInputs {
            inventory,
            placed,
            broken,
        });
        match &self.links {
            Some((last, links)) if *last == print => links.clone(),
            _ => {
                let links = Arc::new(link_map(inventory, placed, broken));
                self.links = Some((print, links.clone()));
                links
            }
        }
    }
}

/// Everything [`link_map`] reads, hashed.
struct LinkInputs<'a> {
    inventory: &'a Inventory,
    placed: &'a [Placed<'a>],
    broken: &'a [String],
}

impl std::hash::Hash for LinkInputs<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.placed.len().hash(state);
        for p in self.placed {
            (&p.doc.source.rel, &p.doc.source.bundle, &p.path).hash(state);
        }
        self.broken.hash(state);
        self.inventory.assets.len().hash(state);
        for asset in &self.inventory.assets {
            let bundle = asset.bundle.map(|i| &self.inventory.sources[i].rel);
            (&asset.rel, bundle, &asset.rel_in_bundle).hash(state);
        }
    }
}

/// Where each content file ends up, by its path below `content/` (in NFC).
fn link_map(
    inventory: &Inventory,
    placed: &[Placed<'_>],
    broken: &[String],
) -> HashMap<String, String> {
    let mut links = HashMap::new();
    let mut bundle_paths: HashMap<&str, &str> = HashMap::new();
    for Placed { doc, path, .. } in placed {
        links.insert(link_key(&doc.source.rel), path.clone());
        if doc.source.bundle.is_some() {
            bundle_paths.insert(doc.source.rel.as_str(), path.as_str());
        }
    }
    // A source that failed to parse keeps a placeholder URL so that links to
    // it are not reported again. Drafts and future posts get none: a link to
    // them from a published post would be broken on the site.
    for rel in broken {
        links.entry(link_key(rel)).or_insert_with(String::new);
    }
    for asset in &inventory.assets {
        let to = match asset.bundle {
            Some(i) => match bundle_paths.get(inventory.sources[i].rel.as_str()) {
                Some(post_path) => format!("{post_path}{}", asset.rel_in_bundle),
                None => continue,
            },
            None => asset.rel.clone(),
        };
        links.insert(link_key(&asset.rel), to);
    }
    links
}

/// Every placed document's Markdown rendered, in parallel; a rendering from
/// the last load is kept when nothing it was made from changed.
fn render_placed(placed: &[Placed<'_>], around: &Around<'_>) -> Vec<Arc<Rendering>> {
    placed
        .par_iter()
        .map(
            |Placed {
                 doc, cached, path, ..
             }| {
                let language = doc.front.lang.unwrap_or(around.config.language);
                match &cached.rendering {
                    Some(r) if r.still_good(path, language, around) => r.clone(),
                    _ => Arc::new(render_document(doc, path, language, around)),
                }
            },
        )
        .collect()
}

/// Renders the body, and the front matter fields that hold Markdown or
/// URLs (`summary`, `image`) the same way, so links in them work too.
fn render_document(doc: &Parsed, path: &str, language: Language, around: &Around<'_>) -> Rendering {
    let links =
        markdown::Links::new(around.links).with_pictures(around.images, &around.config.images);
    let result = render_with_links(doc, path, language, around.config.heading_ids, &links);
    Rendering {
        path: path.to_string(),
        language,
        looked_up: links.into_looked_up(),
        result,
    }
}

fn render_with_links(
    doc: &Parsed,
    path: &str,
    language: Language,
    heading_ids: HeadingIds,
    links: &markdown::Links<'_>,
) -> std::result::Result<(Arc<Rendered>, Option<FrontImage>), Vec<Diagnostic>> {
    let display = doc.source.display_path();
    let source_dir = doc.source.rel.rsplit_once('/').map_or("", |(dir, _)| dir);
    let input = markdown::Input {
        path: &display,
        source: &doc.text,
        body_offset: doc.body_offset,
        page_path: path,
        source_dir,
        links,
        language,
        heading_ids,
    };
    let front_matter = &doc.text[..doc.body_offset];
    // Problems in a front matter field are shown at that field's line.
    let at_key = |key: &str, d: &Diagnostic| {
        let located = yaml::key_diagnostic(&display, front_matter, key, 0, d.message.clone());
        match &d.hint {
            Some(hint) => located.hint(hint.clone()),
            None => located,
        }
    };
    let mut errors = Vec::new();
    let mut rendered = markdown::render(&input).unwrap_or_else(|mut e| {
        errors.append(&mut e);
        Rendered::default()
    });
    if let Some(summary) = &doc.front.summary {
        let summary_input = markdown::Input {
            source: summary,
            body_offset: 0,
            ..input
        };
        match markdown::render_summary(&summary_input) {
            Ok((html, text)) => {
                rendered.summary = html;
                rendered.summary_text = text;
                rendered.has_more = true;
            }
            Err(e) => errors.extend(e.iter().map(|d| at_key("summary", d))),
        }
    }
    let image =
        doc.front
            .image
            .as_ref()
            .and_then(|src| match markdown::resolve_image(&input, src) {
                Ok((url, picture)) => Some(FrontImage { url, picture }),
                Err((message, hint)) => {
                    errors.push(at_key(
                        "image",
                        &Diagnostic::file(&display, message).hint(hint),
                    ));
                    None
                }
            });
    if errors.is_empty() {
        Ok((Arc::new(rendered), image))
    } else {
        Err(errors)
    }
}

/// The documents of a load.
struct Documents {
    posts: Vec<Document>,
    pages: Vec<Document>,
    /// The renderings made now, by index into the load's sources, for the
    /// cache.
    rendered_now: Vec<(usize, Arc<Rendering>)>,
}

/// The placed sources as documents, posts and pages apart; one whose
/// rendering failed is left out with its problems in `errors`.
fn documents(
    placed: Vec<Placed<'_>>,
    renderings: Vec<Arc<Rendering>>,
    selection: &Selection,
    errors: &mut Vec<Diagnostic>,
) -> Documents {
    let mut posts = Vec::new();
    let mut pages = Vec::new();
    let mut rendered_now = Vec::new();
    for (placed, rendering) in placed.into_iter().zip(renderings) {
        let Placed {
            index,
            doc,
            cached,
            path,
        } = placed;
        let new = cached
            .rendering
            .as_ref()
            .is_none_or(|r| !Arc::ptr_eq(r, &rendering));
        if new {
            rendered_now.push((index, rendering.clone()));
        }
        let (rendered, image) = match &rendering.result {
            Ok(r) => r.clone(),
            Err(e) => {
                errors.extend(e.iter().cloned());
                continue;
            }
        };
        let future = doc.date.is_some_and(|d| d > selection.now);
        let document = Document {
            fingerprint: document_print(&doc.source.rel, cached.version, &path, &rendering, future),
            source: doc.source.clone(),
            front: doc.front.clone(),
            path,
            date: doc.date,
            language: rendering.language,
            rendered,
            image,
            future,
            tags: Vec::new(),
            authors: Vec::new(),
            series: None,
            related: Vec::new(),
            text: doc.text.clone(),
            comments: Arc::default(),
        };
        match document.source.kind {
            Kind::Post => posts.push(document),
            Kind::Page => pages.push(document),
        }
    }
    Documents {
        posts,
        pages,
        rendered_now,
    }
}

/// A document's fingerprint (see [`Document::fingerprint`]): its source
/// at `version` rendered as `rendering` describes.
fn document_print(rel: &str, version: u64, path: &str, rendering: &Rendering, future: bool) -> u64 {
    fingerprint((
        rel,
        version,
        path,
        rendering.language,
        future,
        &rendering.looked_up,
    ))
}

/// Makes `cache` what the next load starts from: every source of this
/// one, with the rendering it got now, if any; files that are gone are
/// forgotten.
fn remember(
    cache: &mut HashMap<String, CachedSource>,
    inventory: &Inventory,
    mut sources: Vec<CachedSource>,
    rendered_now: Vec<(usize, Arc<Rendering>)>,
) {
    for (i, rendering) in rendered_now {
        sources[i].rendering = Some(rendering);
    }
    for (source, cached) in inventory.sources.iter().zip(sources) {
        match cache.get_mut(&source.rel) {
            Some(slot) => *slot = cached,
            None => {
                cache.insert(source.rel.clone(), cached);
            }
        }
    }
    if cache.len() > inventory.sources.len() {
        let now: HashSet<&str> = inventory.sources.iter().map(|s| s.rel.as_str()).collect();
        cache.retain(|rel, _| now.contains(rel.as_str()));
    }
}

/// Posts newest first (equal dates by path), pages by path.
fn order(posts: &mut [Document], pages: &mut [Document]) {
    posts.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.path.cmp(&b.path)));
    pages.sort_by(|a, b| a.path.cmp(&b.path));
}

/// The site's tags, with each post's tags set; the problems of spellings
/// that cannot have their page go to `errors`, located in the front matter
/// of the sources in `sources`.
fn tags(
    posts: &mut [Document],
    sources: &HashMap<String, CachedSource>,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Tag> {
    let (tags, problems) = collect_tags(posts);
    errors.extend(tag_diagnostics(posts, &problems, |post| {
        let parsed = sources
            .get(&post.source.rel)?
            .parsed
            .as_ref()
            .as_ref()
            .ok()?;
        Some(&*parsed.text)
    }));
    tags
}

/// A tag as written in a post: (index in [`Site::posts`], index in the
/// post's `tags`).
type TagAt = (usize, usize);

/// A tag that cannot have its page as written.
#[derive(Debug, PartialEq, Eq)]
enum TagProblem {
    /// No letters or digits: its page would be `/tags//`.
    NoSlug(TagAt),
    /// Spelled differently from the tag at `with`, but on the same page.
    Clash {
        at: TagAt,
        with: TagAt,
        slug: String,
    },
}

/// Groups posts by tag. Two spellings that would share a page (`C` and
/// `C++`, `Vertrauen` and `vertrauen`) are a problem, not one tag: merging
/// them silently would hide a post from the tag its author chose. The
/// spelling most posts use names the tag; every other one is reported where
/// it is written. Spellings that differ only in Unicode form (an umlaut as
/// one character or two, as macOS writes them) are the same.
fn collect_tags(posts: &mut [Document]) -> (Vec<Tag>, Vec<TagProblem>) {
    struct Spelling {
        name: String,
        /// Posts using it, and its every occurrence.
        posts: usize,
        at: Vec<TagAt>,
    }
    struct Group {
        posts: Vec<usize>,
        spellings: Vec<Spelling>,
    }
    let mut problems = Vec::new();
    let mut by_slug: BTreeMap<String, Group> = BTreeMap::new();
    // Sites use few tags many times: each spelling is normalised once.
    let mut normalised: HashMap<&str, (String, String)> = HashMap::new();
    for (i, post) in posts.iter().enumerate() {
        for (t, written) in post.front.tags.iter().enumerate() {
            let (name, slug) = normalised.entry(written).or_insert_with(|| {
                let name: String = written.nfc().collect();
                let slug = slugify(&name);
                (name, slug)
            });
            if slug.is_empty() {
                problems.push(TagProblem::NoSlug((i, t)));
                continue;
            }
            if !by_slug.contains_key(slug.as_str()) {
                by_slug.insert(
                    slug.clone(),
                    Group {
                        posts: Vec::new(),
                        spellings: Vec::new(),
                    },
                );
            }
            let Some(group) = by_slug.get_mut(slug.as_str()) else {
                continue;
            };
            if group.posts.last() != Some(&i) {
                group.posts.push(i);
            }
            match group.spellings.iter_mut().find(|s| s.name == *name) {
                Some(spelling) => {
                    if spelling.at.last().is_none_or(|&(p, _)| p != i) {
                        spelling.posts += 1;
                    }
                    spelling.at.push((i, t));
                }
                None => group.spellings.push(Spelling {
                    name: name.clone(),
                    posts: 1,
                    at: vec![(i, t)],
                }),
            }
        }
    }
    let mut tags = Vec::with_capacity(by_slug.len());
    for (slug, mut group) in by_slug {
        // Most posts first; among equals, the one met first (newest post).
        group
            .spellings
            .sort_by_key(|s| (std::cmp::Reverse(s.posts), s.at.first().copied()));
        let mut spellings = group.spellings.into_iter();
        let Some(main) = spellings.next() else {
            continue;
        };
        for other in spellings {
            for &at in &other.at {
                problems.push(TagProblem::Clash {
                    at,
                    with: main.at[0],
                    slug: slug.clone(),
                });
            }
        }
        tags.push(Tag {
            name: main.name,
            slug,
            posts: group.posts,
        });
    }
    for (t, tag) in tags.iter().enumerate() {
        for &p in &tag.posts {
            posts[p].tags.push(t);
        }
    }
    problems.sort_by_key(|p| match p {
        TagProblem::NoSlug(at) | TagProblem::Clash { at, .. } => *at,
    });
    (tags, problems)
}

/// The diagnostics for `problems`, located in the posts' front matter
/// (`text` gives a post's file text).
fn tag_diagnostics<'a>(
    posts: &[Document],
    problems: &[TagProblem],
    text: impl Fn(&Document) -> Option<&'a str>,
) -> Vec<Diagnostic> {
    let locate = |(p, t): TagAt, message: String| {
        let post = &posts[p];
        let path = post.source.display_path();
        match text(post) {
            Some(text) => frontmatter::list_item_diagnostic(&path, text, "tags", t, message),
            None => Diagnostic::file(path, message),
        }
    };
    let name = |(p, t): TagAt| posts[p].front.tags[t].as_str();
    problems
        .iter()
        .map(|problem| match problem {
            TagProblem::NoSlug(at) => locate(
                *at,
                format!("the tag `{}` has no letters or digits for the URL of its page", name(*at)),
            )
            .hint("give the tag a letter or a digit, e.g. `Feier 🎉`"),
            TagProblem::Clash { at, with, slug } => {
                let other = locate(*with, String::new());
                let message = format!(
                    "the tags `{}` and `{}` would share the page /tags/{slug}/",
                    name(*at),
                    name(*with)
                );
                locate(*at, message)
                    .hint(format!(
                        "write `{}` the same way in every post, or make the names differ in letters or digits (a tag's URL ignores case, accents and punctuation)",
                        name(*with)
                    ))
                    .note(if other.line == 0 {
                        format!("`{}` is written in {}", name(*with), other.path.display())
                    } else {
                        format!(
                            "`{}` is written at {}:{}:{}",
                            name(*with),
                            other.path.display(),
                            other.line,
                            other.column
                        )
                    })
            }
        })
        .collect()
}

fn collect_aliases(
    posts: &[Document],
    pages: &[Document],
    errors: &mut Vec<Diagnostic>,
) -> Vec<Alias> {
    let mut aliases = Vec::new();
    for doc in posts.iter().chain(pages) {
        for alias in &doc.front.aliases {
            match crate::util::url::old_path_file(alias) {
                // The output registry checks that nothing else is written
                // there.
                Some(file) => aliases.push(Alias {
                    file,
                    target: doc.path.clone(),
                    written: alias.clone(),
                    source: doc.source.display_path(),
                }),
                None => errors.push(
                    Diagnostic::file(
                        doc.source.display_path(),
                        format!("the alias `{alias}` is not a path on this site"),
                    )
                    .hint("write old URLs as paths, e.g. `/2019/03/alter-name/`"),
                ),
            }
        }
    }
    aliases
}

/// The pictures among the files of `content/`: every JPEG, PNG, WebP or
/// GIF (by name; the image stage reads what they are) that is published.
fn picture_jobs(
    config: &Config,
    inventory: &Inventory,
    links: &HashMap<String, String>,
) -> Vec<image::Job> {
    let content = config.root.join(CONTENT_DIR);
    inventory
        .assets
        .iter()
        .filter(|asset| is_picture(&asset.rel))
        .filter_map(|asset| {
            let site_path = links.get(&link_key(&asset.rel))?;
            let display = Path::new(CONTENT_DIR).join(&asset.rel);
            Some(image::Job {
                source: content.join(&asset.rel),
                keep_metadata: config.privacy.keeps_metadata(&display),
                display,
                site_path: site_path.clone(),
            })
        })
        .collect()
}

/// Whether a file of `content/` is made into a picture, by its name.
fn is_picture(rel: &str) -> bool {
    let extension = rel.rsplit_once('.').map_or("", |(_, e)| e);
    ["jpg", "jpeg", "png", "webp", "gif"]
        .iter()
        .any(|known| extension.eq_ignore_ascii_case(known))
}

/// A problem for each picture that cannot be used and that no document
/// shows (one that a document shows is reported where it shows it).
fn unusable_pictures(
    images: &Images,
    files: &HashMap<String, PathBuf>,
    shown: &HashSet<&str>,
    errors: &mut Vec<Diagnostic>,
) {
    let mut unusable: Vec<Diagnostic> = images
        .pictures()
        .filter(|(site_path, _)| !shown.contains(site_path))
        .filter_map(|(site_path, picture)| {
            let unusable = picture.as_ref().err()?;
            let display = files.get(site_path)?;
            let d = Diagnostic::file(
                display,
                format!("this picture cannot be published: it {}", unusable.message),
            );
            Some(match &unusable.hint {
                Some(hint) => d.hint(hint.clone()),
                None => d,
            })
        })
        .collect();
    unusable.sort_by(|a, b| a.path.cmp(&b.path));
    errors.append(&mut unusable);
}

/// The files of `content/` copied as they are: all but the pictures, which
/// the image stage publishes.
fn copied_files(
    config: &Config,
    inventory: &Inventory,
    posts: &[Document],
    images: &Images,
) -> Vec<CopiedFile> {
    let bundle_paths: HashMap<&str, &str> = posts
        .iter()
        .filter(|p| p.source.bundle.is_some())
        .map(|p| (p.source.rel.as_str(), crate::util::url::folder(&p.path)))
        .collect();
    let content = config.root.join(CONTENT_DIR);
    inventory
        .assets
        .iter()
        .filter_map(|asset| {
            let to = match asset.bundle {
                Some(i) => format!(
                    "{}{}",
                    bundle_paths.get(inventory.sources[i].rel.as_str())?,
                    asset.rel_in_bundle
                ),
                None => asset.rel.clone(),
            };
            if images.get(&to).is_some() {
                return None;
            }
            Some(CopiedFile {
                from: content.join(&asset.rel),
                to,
            })
        })
        .collect()
}

/// The site's `static/` folder: (path below the site root, file).
fn static_files(config: &Config, errors: &mut Vec<Diagnostic>) -> Vec<(String, PathBuf)> {
    let (files, mut problems) = content::walk_files(&config.root, &config.root.join("static"));
    errors.append(&mut problems);
    files
}

#[cfg(test)]
mod tests;
