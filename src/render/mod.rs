//! Rendering: every file of the site, in parallel, as one pipeline.
//!
//! `outputs` decides once what the site outputs: every file, what makes
//! it and who owns its path. Each file then goes through three steps, one
//! function each: `Prepared::render_file` makes it (a page through its
//! template, a [`feed`], a generated file, a copied file read as far as the
//! audit needs), `Prepared::audit_file` has the audit judge and rewrite
//! it, and `write_file` hands the result to the output sink. Each
//! finished file is written at once and dropped, which keeps memory flat.
//!
//! Templates get small typed contexts (`context`): a post page sees its
//! post and two neighbours, a list page the ten cards it shows. The data
//! every page shares is serialised once per build and each rendering
//! thread keeps one copy of it; a card's fingerprint is taken once per
//! build and shared by every list it appears in. The same structs hash
//! into each page's fingerprint (`Prepared::fingerprints`, for the
//! preview and the build cache).
//!
//! Stage 7, before the importers and the commands. Takes the site model and the
//! [`theme`]'s templates; hands the audited bytes to an output sink.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;
use serde::{Serialize, Serializer};
use serde_json::Value;
use tera::Context;

use crate::audit::{self, Facts, FileFacts, Policy};
use crate::output::plan::Fingerprints;
use crate::output::Sink;
use crate::render::context::{Base, Cards, PageContext};
use crate::render::feed::{Bodies, Feed};
pub use crate::render::outputs::{page_file, Layout};
use crate::render::outputs::{Copied, Job, Output, Outputs, What};
use crate::render::theme::Theme;
use crate::site::{Document, DocumentAt, Site};
use crate::util::error::Diagnostic;
use crate::util::error::Origin;
use crate::util::fingerprint::fingerprint;
use crate::util::url;

mod context;
mod copied;
pub mod feed;
#[cfg(test)]
mod fixture;
mod outputs;
mod search;
pub mod theme;

/// Counts for the summary line.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Stats {
    pub pages: usize,
    pub posts: usize,
    pub tags: usize,
    pub files: usize,
    /// Pictures of `content/`, and how many of them were made now (not
    /// taken from the picture store).
    #[serde(default)]
    pub pictures: usize,
    #[serde(default)]
    pub pictures_made: usize,
}

/// How pages are rendered.
#[derive(Debug, Clone, Copy)]
pub struct RenderOptions {
    /// The year of the build, for copyright lines.
    pub year: i32,
    /// For `echt serve`: templates see `preview` and mark drafts and
    /// future posts; never set for `echt build`.
    pub preview: bool,
}

/// A value that hashes as a fingerprint taken of what it is made of: a
/// post's HTML as the post's fingerprint, which changes whenever the HTML
/// can. Serialises as the value.
#[derive(Debug, Clone, Copy)]
pub(crate) struct HashedAs<T> {
    pub value: T,
    print: u64,
}

impl<T> HashedAs<T> {
    pub fn new(value: T, print: u64) -> Self {
        HashedAs { value, print }
    }
}

impl<T> Hash for HashedAs<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.print.hash(state);
    }
}

impl<T: Serialize> Serialize for HashedAs<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}

/// A date as pages and feeds write it. chrono hashes only the instant,
/// but what is written shows the offset too: `10:00+02:00` and
/// `08:00+00:00` are different bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Date(pub DateTime<FixedOffset>);

impl Hash for Date {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.hash(state);
        self.0.offset().local_minus_utc().hash(state);
    }
}

/// Renders and writes the site into `out` (every file `out` wants).
pub fn render_site(
    site: &Site,
    theme: &Theme,
    out: &dyn Sink,
    options: &RenderOptions,
) -> Rendering {
    Prepared::new(site, theme, options).render(out)
}

/// What rendering produced besides the files.
#[derive(Debug, Default)]
pub struct Rendering {
    pub stats: Stats,
    /// What the audit learned about each file rendered (see `audit`).
    pub facts: Facts,
    /// Template errors, files that could not be written or copied.
    pub errors: Vec<Diagnostic>,
}

/// A site ready to render: the list of output files and what every page
/// shares, made once for both the fingerprints and the rendering.
pub struct Prepared<'a> {
    site: &'a Site,
    theme: &'a Theme,
    outputs: Outputs<'a>,
    /// What every page shares, serialised, and its fingerprint.
    base: Context,
    base_print: u64,
    cards: Cards<'a>,
    policy: Policy,
    /// How the output folder is named in messages.
    output: PathBuf,
    /// Whether the audit keeps outbound links (see `check`).
    outbound: bool,
    /// Which page writes which file, for locating findings afterwards.
    pages_by_file: OnceLock<HashMap<String, Job>>,
}

impl audit::Locate for Prepared<'_> {
    fn locate(&self, file: &str, finding: &audit::Finding) -> Option<Diagnostic> {
        let pages = self.pages_by_file.get_or_init(|| {
            self.outputs
                .files
                .iter()
                .filter_map(|file| match file.what {
                    What::Page(job) => Some((file.path.clone(), job)),
                    _ => None,
                })
                .collect()
        });
        let job = pages.get(file)?;
        audit::locate_in(job_origins(self.site, self.theme, job), file, finding)
    }
}

impl std::fmt::Debug for Prepared<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Prepared")
            .field("files", &self.outputs.files.len())
            .finish_non_exhaustive()
    }
}

/// A file made and not yet audited.
enum Made<'f> {
    /// A page from its template, its links finished.
    Page {
        html: String,
        job: &'f Job,
    },
    Feed {
        text: String,
        feed: &'f Feed<'f>,
    },
    Generated {
        bytes: &'f [u8],
        problems: &'f [Diagnostic],
    },
    /// A copied file, read as far as the audit needs it.
    Copy(Copying<'f>),
    /// A picture's file as the image stage made it, whole.
    Picture {
        bytes: Vec<u8>,
        shown: &'f Path,
    },
    /// A file of the search index (JSON), or the search script.
    Search {
        text: &'f str,
        part: search::Part,
    },
}

/// A copied file, as far as it was read.
enum Copying<'f> {
    /// The theme's file, compiled in.
    Embedded(&'static [u8]),
    /// A file the audit reads (`copied`): its start, or all of it
    /// (`whole`, and then with its metadata removed if it is an image).
    Read {
        from: &'f Path,
        bytes: Vec<u8>,
        size: u64,
        whole: bool,
    },
}

/// What is written: bytes, or a file the sink copies.
enum Body<'f> {
    Bytes(Cow<'f, [u8]>),
    File(&'f Path),
}

impl Body<'_> {
    fn text(text: String) -> Self {
        Body::Bytes(Cow::Owned(text.into_bytes()))
    }
}

impl<'a> Prepared<'a> {
    pub fn new(site: &'a Site, theme: &'a Theme, options: &RenderOptions) -> Self {
        Prepared::with_outputs(site, theme, Outputs::new(site, theme), options)
    }

    /// [`Prepared::new`] with the layout of an earlier load of `site`
    /// (with `theme`) that differs from it in nothing a list, a link or
    /// the sitemap shows (see `site::Site::patch`).
    pub fn with_layout(
        site: &'a Site,
        theme: &'a Theme,
        layout: Arc<Layout>,
        options: &RenderOptions,
    ) -> Self {
        let outputs = Outputs::with(site, layout);
        // Every test that patches checks the layout against a new one.
        debug_assert!(
            outputs.same_as(&Outputs::new(site, theme)),
            "the layout of a patched site changed"
        );
        Prepared::with_outputs(site, theme, outputs, options)
    }

    fn with_outputs(
        site: &'a Site,
        theme: &'a Theme,
        outputs: Outputs<'a>,
        options: &RenderOptions,
    ) -> Self {
        let base = Base::new(site, &outputs, options);
        Prepared {
            site,
            theme,
            base: Context::from_serialize(&base).unwrap_or_default(),
            base_print: fingerprint(&base),
            outputs,
            cards: Cards::new(site),
            policy: Policy::new(&site.config),
            output: PathBuf::from("public"),
            outbound: false,
            pages_by_file: OnceLock::new(),
        }
    }

    /// The output files and their owners, to keep for
    /// [`Prepared::with_layout`].
    pub fn layout(&self) -> Arc<Layout> {
        self.outputs.layout()
    }

    /// Has the audit keep every outbound link and where it was written.
    pub fn with_outbound_links(mut self) -> Self {
        self.outbound = true;
        self
    }

    /// Names the output folder in messages (`public` by default).
    pub fn shown_as(mut self, output: impl Into<PathBuf>) -> Self {
        self.output = output.into();
        self
    }

    /// Renders, audits and writes every file `out` wants.
    pub fn render(&self, out: &dyn Sink) -> Rendering {
        let cx = audit::Context {
            outbound: self.outbound,
            ..audit::Context::new(&self.policy, &self.outputs.paths, &self.output)
        };
        // Nothing is written where the registry found a clash.
        let out = &Refusing {
            out,
            refused: &self.outputs.refused,
        };
        let bodies = Bodies::new(self.site, &self.policy);
        // The index is made once, before the files are, and only when a
        // file of it is wanted.
        let wanted = |file: &&Output| matches!(file.what, What::Search(_)) && out.wants(&file.path);
        let index = self
            .outputs
            .files
            .iter()
            .any(|file| wanted(&file))
            .then(|| search::build(self.site));
        let with = With {
            bodies: &bodies,
            index: index.as_ref(),
        };
        let done: Vec<Result<(String, FileFacts), Diagnostic>> = self
            .outputs
            .files
            .par_iter()
            .filter(|file| out.wants(&file.path))
            // Each thread keeps a copy of what every page shares; pages
            // add their own fields to it and take them out again.
            .map_init(
                || self.base.clone(),
                |shared, file| {
                    let made = self.render_file(file, shared, &with)?;
                    let (body, facts) = self.audit_file(&cx, &file.path, made);
                    write_file(out, &file.path, body)?;
                    Ok((file.path.clone(), facts))
                },
            )
            .collect();

        let mut facts = Facts::new();
        let mut errors = self.outputs.registry.problems.clone();
        for result in done {
            match result {
                Ok((file, f)) => {
                    facts.insert(file, Arc::new(f));
                }
                Err(e) => errors.push(e),
            }
        }
        // One broken template fails every page that uses it: say it once.
        errors.dedup_by(|a, b| a.path == b.path && a.line == b.line && a.message == b.message);
        let count = |pick: fn(&What) -> bool| {
            let files = &self.outputs.files;
            files.iter().filter(|file| pick(&file.what)).count()
        };
        Rendering {
            stats: Stats {
                pages: count(|what| matches!(what, What::Page(_))) + self.site.aliases.len(),
                posts: self.site.posts.len(),
                tags: self.site.tags.len(),
                files: count(|what| matches!(what, What::Copy(_))),
                pictures: self.site.images.pictures().count(),
                pictures_made: self.site.images.made(),
            },
            facts,
            errors,
        }
    }

    /// Makes one file: renders a page through its template (with its
    /// fields added to `shared`) or a feed, or reads a copied file as far
    /// as the audit needs it.
    // Never inlined, here and in the next two steps, so that a profile
    // shows them apart (`bench/stages.sh`); each runs once per file.
    #[inline(never)]
    fn render_file<'f>(
        &'f self,
        file: &'f Output,
        shared: &mut Context,
        made: &With<'f, '_>,
    ) -> Result<Made<'f>, Diagnostic> {
        let bodies = made.bodies;
        let site = self.site;
        Ok(match &file.what {
            What::Page(job) => {
                let page = PageContext::new(site, &self.outputs, &self.cards, job, &file.path);
                let template = job.template();
                let html = with_fields(shared, &page, |context| {
                    self.theme.tera.render(template, context)
                })
                .map_err(|e| {
                    let shown = format!("/{}", job.path(site));
                    self.theme.render_error(template, &e, &shown)
                })?;
                Made::Page {
                    html: url::finish(&html, &page.root),
                    job,
                }
            }
            What::Feed { feed, format } => {
                let feed = &self.outputs.feeds[*feed];
                Made::Feed {
                    text: feed.render(*format, bodies),
                    feed,
                }
            }
            What::Generated { bytes, problems } => Made::Generated { bytes, problems },
            What::Search(part) => Made::Search {
                text: made.index.map_or("", |index| index.text(*part)),
                part: *part,
            },
            What::Copy(Copied::Embedded(bytes)) => Made::Copy(Copying::Embedded(bytes)),
            What::Copy(Copied::File(from)) => {
                Made::Copy(copied::read(from, &file.path, &site.config)?)
            }
            What::Picture { original } => {
                let shown = site
                    .picture_files
                    .get(original)
                    .map_or(Path::new(original.as_str()), PathBuf::as_path);
                let bytes = match site.images.bytes(&file.path) {
                    Some(Ok(bytes)) => bytes,
                    Some(Err(unusable)) => {
                        return Err(Diagnostic::file(
                            shown,
                            format!("/{} cannot be made: it {}", file.path, unusable.message),
                        ))
                    }
                    None => {
                        return Err(Diagnostic::file(
                            shown,
                            format!("/{} is not a picture echt made", file.path),
                        ))
                    }
                };
                Made::Picture { bytes, shown }
            }
        })
    }

    /// Has the audit judge (and, for pages, rewrite) one file; says what
    /// to write.
    #[inline(never)]
    fn audit_file<'f>(
        &self,
        cx: &audit::Context<'_>,
        path: &str,
        made: Made<'f>,
    ) -> (Body<'f>, FileFacts) {
        let site = self.site;
        match made {
            Made::Page { html, job } => {
                // Read only when the audit found something to locate.
                let origins = || job_origins(site, self.theme, job);
                let (html, mut facts) = audit::page(cx, path, &html, &origins);
                // What the page's own document noted while it was
                // rendered (an unknown language of a code block) is
                // reported with the audit's notes, and kept with them in
                // the build cache.
                if let Job::Post(i) | Job::Page(i) | Job::Privacy { page: Some(i) } = job {
                    let document = match job {
                        Job::Post(_) => &site.posts[*i],
                        _ => &site.pages[*i],
                    };
                    facts
                        .problems
                        .extend(document.rendered.notes.iter().cloned());
                }
                (Body::text(html), facts)
            }
            Made::Feed { text, feed } => {
                let facts = audit::feed(cx, path, &text, &|| feed.origins(site));
                (Body::text(text), facts)
            }
            Made::Generated { bytes, problems } => {
                let (body, mut facts) = if path.ends_with(".html") {
                    let text = String::from_utf8_lossy(bytes);
                    let (html, facts) = audit::page(cx, path, &text, &Vec::new);
                    (Body::text(html), facts)
                } else if path.ends_with(".xml") {
                    let text = String::from_utf8_lossy(bytes);
                    let facts = audit::feed(cx, path, &text, &Vec::new);
                    (Body::Bytes(Cow::Borrowed(bytes)), facts)
                } else {
                    let facts = FileFacts {
                        size: bytes.len() as u64,
                        ..FileFacts::default()
                    };
                    (Body::Bytes(Cow::Borrowed(bytes)), facts)
                };
                facts.problems.extend(problems.iter().cloned());
                (body, facts)
            }
            Made::Copy(Copying::Embedded(bytes)) => {
                let shown = PathBuf::from(format!("(built-in default theme)/static/{path}"));
                let facts = audit::copied(cx, path, bytes, bytes.len() as u64, &shown);
                (Body::Bytes(Cow::Borrowed(bytes)), facts)
            }
            Made::Picture { bytes, shown } => {
                let facts = audit::copied(cx, path, &bytes, bytes.len() as u64, shown);
                (Body::Bytes(Cow::Owned(bytes)), facts)
            }
            // The script is echt's own text; the index is read as the
            // script reads it.
            Made::Search {
                text,
                part: search::Part::Script,
            } => {
                let facts = FileFacts {
                    size: text.len() as u64,
                    ..FileFacts::default()
                };
                (Body::Bytes(Cow::Borrowed(text.as_bytes())), facts)
            }
            Made::Search { text, .. } => {
                let facts = audit::search_index(cx, path, text);
                (Body::Bytes(Cow::Borrowed(text.as_bytes())), facts)
            }
            Made::Copy(Copying::Read {
                from,
                bytes,
                size,
                whole,
            }) => {
                let shown = from.strip_prefix(&site.config.root).unwrap_or(from);
                let facts = audit::copied(cx, path, &bytes, size, shown);
                // What was audited is what is published: the file is not
                // read a second time.
                let body = if whole {
                    Body::Bytes(Cow::Owned(bytes))
                } else {
                    Body::File(from)
                };
                (body, facts)
            }
        }
    }

    /// The fingerprint of every output file (see `plan`). `stamp` tells
    /// when a copied file's source changed.
    pub fn fingerprints(&self, stamp: &(dyn Fn(&Path) -> u64 + Sync)) -> Fingerprints {
        let mut fingerprints = Fingerprints::default();
        for (file, print) in self.fingerprints_where(stamp, |_| true) {
            fingerprints.insert(file.clone(), print);
        }
        fingerprints
    }

    /// The fingerprints that can differ from those of the site before
    /// the edits `site::Site::patch` made to the `edited` documents: their
    /// own pages', and those of every file that is not a page. A patch
    /// leaves what other pages show of a document as it was.
    pub fn fingerprints_after_patch(
        &self,
        edited: &[DocumentAt],
        stamp: &(dyn Fn(&Path) -> u64 + Sync),
    ) -> Vec<(&String, u64)> {
        self.fingerprints_where(stamp, |what| {
            let at = match what {
                What::Page(Job::Post(i)) => DocumentAt::Post(*i),
                What::Page(Job::Page(i) | Job::Privacy { page: Some(i) }) => DocumentAt::Page(*i),
                What::Page(_) => return false,
                _ => return true,
            };
            edited.contains(&at)
        })
    }

    /// The fingerprints of the output files `wanted` picks.
    fn fingerprints_where(
        &self,
        stamp: &(dyn Fn(&Path) -> u64 + Sync),
        wanted: impl Fn(&What) -> bool + Sync,
    ) -> Vec<(&String, u64)> {
        let site = self.site;
        // The audit's policy and everything else echt.yaml decides.
        let config = fingerprint(format!("{:?}", site.config));
        let shared = fingerprint((config, self.base_print));
        let templates = self.theme.fingerprints();
        // The index changes with any document's text.
        let documents = OnceLock::new();
        let documents = || {
            *documents.get_or_init(|| {
                let prints: Vec<u64> = search::documents(site).map(|d| d.fingerprint).collect();
                fingerprint((config, prints))
            })
        };
        self.outputs
            .files
            .par_iter()
            .filter(|file| wanted(&file.what))
            .map(|file| {
                let print = match &file.what {
                    What::Page(job) => {
                        let page =
                            PageContext::new(site, &self.outputs, &self.cards, job, &file.path);
                        fingerprint((shared, templates.get(job.template()), page))
                    }
                    What::Feed { feed, format } => {
                        fingerprint((config, format, &self.outputs.feeds[*feed]))
                    }
                    // A host file's findings depend on lines its text
                    // leaves out.
                    What::Generated { bytes, problems } => {
                        fingerprint((bytes, format!("{problems:?}")))
                    }
                    // A picture is published as it is when echt.yaml keeps
                    // its metadata, else cleaned.
                    What::Copy(Copied::File(path)) => {
                        let source = path.strip_prefix(&site.config.root).unwrap_or(path);
                        let kept = site.config.privacy.keeps_metadata(source);
                        fingerprint((path, stamp(path), kept))
                    }
                    What::Copy(Copied::Embedded(bytes)) => fingerprint(bytes),
                    What::Picture { original } => {
                        let made = site.images.get(original).map(|p| p.as_ref().map(|p| p.key));
                        fingerprint((&file.path, made))
                    }
                    What::Search(search::Part::Script) => fingerprint(search::SCRIPT),
                    What::Search(part) => fingerprint((documents(), part)),
                };
                (&file.path, print)
            })
            .collect()
    }

    /// The fingerprint of what all pages share besides their templates:
    /// echt.yaml and the data every template sees.
    pub fn shared_print(&self) -> u64 {
        let config = fingerprint(format!("{:?}", self.site.config));
        fingerprint((config, self.base_print))
    }

    /// How many files the site outputs.
    pub fn file_count(&self) -> usize {
        self.outputs.files.len()
    }
}

/// What making a file may need besides the file: the feeds' bodies and
/// the search index.
struct With<'f, 'b> {
    bodies: &'f Bodies<'b>,
    index: Option<&'f search::Index>,
}

/// Adds the fields of `page` to `shared` for `render`, and takes them out
/// again.
fn with_fields(
    shared: &mut Context,
    page: &PageContext<'_>,
    render: impl FnOnce(&Context) -> tera::Result<String>,
) -> tera::Result<String> {
    let fields = match serde_json::to_value(page) {
        Ok(Value::Object(fields)) => fields,
        Ok(_) => return Err(tera::Error::msg("a page's context is not a map")),
        Err(e) => return Err(tera::Error::json(e)),
    };
    let keys: Vec<String> = fields.keys().cloned().collect();
    // Taking out a page's field must never take out a shared one.
    if let Some(key) = keys.iter().find(|key| shared.contains_key(key)) {
        return Err(tera::Error::msg(format!(
            "a page's `{key}` would hide the shared one"
        )));
    }
    shared.extend(Context::from_value(Value::Object(fields))?);
    let rendered = render(shared);
    for key in &keys {
        shared.remove(key);
    }
    rendered
}

/// Writes one file.
#[inline(never)]
fn write_file(out: &dyn Sink, path: &str, body: Body<'_>) -> Result<(), Diagnostic> {
    match body {
        Body::Bytes(bytes) => out.write(path, &bytes),
        Body::File(from) => out.copy(from, path),
    }
}

/// A sink that produces nothing at the paths the registry refused.
struct Refusing<'a> {
    out: &'a dyn Sink,
    refused: &'a HashSet<String>,
}

impl Sink for Refusing<'_> {
    fn wants(&self, rel: &str) -> bool {
        !self.refused.contains(rel) && self.out.wants(rel)
    }

    fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        self.out.write(rel, bytes)
    }

    fn copy(&self, from: &Path, rel: &str) -> Result<(), Diagnostic> {
        self.out.copy(from, rel)
    }
}

/// The sources a page is made of, looked at only to locate what the audit
/// found: the documents it shows, its template and the templates that one
/// uses, and echt.yaml (whose values templates show).
fn job_origins(site: &Site, theme: &Theme, job: &Job) -> Vec<Origin> {
    let mut origins: Vec<Origin> = job
        .documents(site)
        .into_iter()
        .map(Document::origin)
        .collect();
    origins.extend(theme.origins(job.template()));
    origins.push(site.config.origin());
    origins
}

#[cfg(test)]
mod tests;
