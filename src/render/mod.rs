//! Rendering: every page of the site through its template, in parallel.
//!
//! Templates get small contexts: a post page sees its post and two
//! neighbours, a list page the ten cards it shows. Cards are serialised once
//! per build and shared by every list they appear in, so 10,000 posts do not
//! mean 10,000 copies of the whole site in template contexts. Each finished
//! page is written at once and dropped, which keeps memory flat.
//!
//! Stage 6, the last. Takes the site model and the [`theme`]'s templates;
//! turns them into pages and [`feed`]s, has each judged by the audit and
//! hands the verdict's bytes to an output sink.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use chrono::{DateTime, Datelike, FixedOffset};
use rayon::prelude::*;
use serde::Serialize;
use serde_json::{json, Value};
use tera::Context;

use crate::audit::{self, Facts, FileFacts, Origin, Policy};
use crate::markdown::TocEntry;
use crate::output::plan::Fingerprints;
use crate::output::Sink;
use crate::render::theme::{StaticFile, Theme};
use crate::site::registry::{Owner, Registry};
use crate::site::{Document, Site};
use crate::util::error::Diagnostic;
use crate::util::escape;
use crate::util::fingerprint::fingerprint;
use crate::util::i18n::Language;
use crate::util::i18n::{self, format_date};
use crate::util::url;

pub mod feed;
pub mod theme;

/// Counts for the summary line.
#[derive(Debug, Default, Clone, Copy)]
pub struct Stats {
    pub pages: usize,
    pub posts: usize,
    pub tags: usize,
    pub files: usize,
}

/// Posts long enough to deserve a table of contents.
const TOC_MIN_WORDS: usize = 600;
const TOC_MIN_HEADINGS: usize = 3;

/// One output file to produce from a template.
#[derive(Debug)]
enum Job {
    Home {
        page: usize,
    },
    Post(usize),
    Page(usize),
    Tags,
    Tag {
        tag: usize,
        page: usize,
    },
    Archive,
    NotFound,
    /// The privacy page; with the content page at its URL, if there is one.
    Privacy {
        page: Option<usize>,
    },
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

/// Everything a site's output consists of, decided before any rendering.
struct Outputs<'a> {
    /// Pages rendered through templates.
    jobs: Vec<Job>,
    /// Small generated files: sitemap, robots.txt, redirect pages.
    extra: Vec<(String, Vec<u8>)>,
    /// Files copied as they are, by destination.
    copies: BTreeMap<String, Copied<'a>>,
    /// Who writes every output file; clashes are errors.
    registry: Registry,
    /// Paths the registry refused: nothing is written there.
    refused: HashSet<String>,
    /// What merging the host files (`_headers`, …) with the site's own
    /// found, by file: reported as the audit's findings about them.
    host_problems: BTreeMap<String, Vec<Diagnostic>>,
}

impl<'a> Outputs<'a> {
    fn new(site: &'a Site, theme: &'a Theme) -> Self {
        let per_page = site.config.posts_per_page;
        let mut jobs: Vec<Job> = Vec::new();
        jobs.extend((0..page_count(site.posts.len(), per_page)).map(|page| Job::Home { page }));
        jobs.extend((0..site.posts.len()).map(Job::Post));
        let privacy_page = site.config.privacy.page.then(|| {
            let path = i18n::privacy_path(site.config.language);
            site.pages.iter().position(|p| p.path == path)
        });
        jobs.extend(
            (0..site.pages.len())
                .filter(|&i| privacy_page != Some(Some(i)))
                .map(Job::Page),
        );
        if let Some(page) = privacy_page {
            jobs.push(Job::Privacy { page });
        }
        jobs.push(Job::Tags);
        for (t, tag) in site.tags.iter().enumerate() {
            jobs.extend(
                (0..page_count(tag.posts.len(), per_page)).map(|page| Job::Tag { tag: t, page }),
            );
        }
        jobs.push(Job::Archive);
        jobs.push(Job::NotFound);

        let (mut copies, copy_clashes) = files_to_copy(site, theme);
        let mut extra: Vec<(String, Vec<u8>)> = Vec::new();
        extra.push(("sitemap.xml".into(), feed::sitemap(site).into_bytes()));
        // A site may bring its own robots.txt.
        if !copies.contains_key("robots.txt") {
            extra.push(("robots.txt".into(), feed::robots(&site.config).into_bytes()));
        }
        // The files a host reads: echt's, merged with the site's own (the
        // one that would have been copied), never replaced by them.
        let mut host_problems = BTreeMap::new();
        for file in audit::headers::HOST_FILES {
            let own = copies
                .remove(file)
                .map(|from| read_copied(site, file, &from));
            let (own, mut problems) = match own {
                Some(Ok(own)) => (Some(own), Vec::new()),
                Some(Err(e)) => (None, vec![e]),
                None => (None, Vec::new()),
            };
            let own = own
                .as_ref()
                .map(|(shown, text)| audit::headers::Own { shown, text });
            if let Some(merged) = audit::headers::host_file(&site.config, file, own) {
                problems.extend(merged.problems);
                extra.push((file.into(), merged.text.into_bytes()));
            }
            if !problems.is_empty() {
                host_problems.insert(file.to_string(), problems);
            }
        }
        for alias in &site.aliases {
            extra.push((
                alias.file.clone(),
                redirect_page(site, &alias.file, &alias.target).into_bytes(),
            ));
        }
        // One owner per path, claimed in the order of who may keep it.
        let mut registry = Registry::default();
        registry.problems.extend(copy_clashes);
        for job in &jobs {
            registry.claim(&job.file(site), job.owner(site));
        }
        let all: Vec<usize> = (0..site.posts.len()).collect();
        for feed in feed::feeds(site, &all) {
            for file in feed.files() {
                registry.claim(&file, Owner::generated(format!("the feed /{file}")));
            }
        }
        for (path, _) in &extra {
            let owner = match site.aliases.iter().find(|a| &a.file == path) {
                Some(alias) => Owner {
                    what: format!(
                        "the alias `{}` of {}",
                        alias.written,
                        alias.source.display()
                    ),
                    ..Owner::file(&alias.source)
                },
                None => Owner::generated(format!("echt's /{path}")),
            };
            registry.claim(path, owner);
        }
        copies.retain(|to, from| {
            let owner = match from {
                Copied::File(path) => {
                    Owner::file(path.strip_prefix(&site.config.root).unwrap_or(path))
                }
                Copied::Embedded(_) => Owner::generated(format!("the default theme's {to}")),
            };
            registry.claim(to, owner)
        });
        let refused: HashSet<String> = registry.check().into_iter().collect();
        Outputs {
            jobs,
            extra,
            copies,
            registry,
            refused,
            host_problems,
        }
    }
}

/// The text of a file that would be copied, and how it is shown.
fn read_copied(site: &Site, to: &str, from: &Copied<'_>) -> Result<(PathBuf, String), Diagnostic> {
    match from {
        Copied::File(path) => {
            let shown = path
                .strip_prefix(&site.config.root)
                .unwrap_or(path)
                .to_path_buf();
            let bytes = std::fs::read(path)
                .map_err(|e| Diagnostic::file(&shown, crate::util::error::io_message(&e)))?;
            let text = crate::util::text::decode_utf8(&shown, &bytes).map_err(|e| {
                e.diagnostics
                    .into_iter()
                    .next()
                    .unwrap_or_else(|| Diagnostic::file(&shown, "not UTF-8 text"))
            })?;
            Ok((shown, text))
        }
        Copied::Embedded(bytes) => Ok((
            PathBuf::from(format!("(built-in default theme)/static/{to}")),
            String::from_utf8_lossy(bytes).into_owned(),
        )),
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

/// A site ready to render: what every page shares and the list of output
/// files, made once for both the fingerprints and the rendering.
pub struct Prepared<'a> {
    site: &'a Site,
    theme: &'a Theme,
    shared: Shared,
    outputs: Outputs<'a>,
    policy: Policy,
    /// Every file of the site, for the audit's link checks.
    files: HashSet<String>,
    /// How the output folder is named in messages.
    output: PathBuf,
    /// Whether the audit keeps outbound links (see `check`).
    outbound: bool,
    /// Which job writes which file, for locating findings afterwards.
    jobs_by_file: OnceLock<HashMap<String, usize>>,
}

impl audit::Locate for Prepared<'_> {
    fn locate(&self, file: &str, finding: &audit::Finding) -> Option<Diagnostic> {
        let jobs = self.jobs_by_file.get_or_init(|| {
            let site = self.site;
            self.outputs
                .jobs
                .iter()
                .enumerate()
                .map(|(i, job)| (job.file(site), i))
                .collect()
        });
        let job = &self.outputs.jobs[*jobs.get(file)?];
        audit::locate_in(job_origins(self.site, self.theme, job), file, finding)
    }
}

impl std::fmt::Debug for Prepared<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Prepared")
            .field("jobs", &self.outputs.jobs.len())
            .finish_non_exhaustive()
    }
}

impl<'a> Prepared<'a> {
    pub fn new(site: &'a Site, theme: &'a Theme, options: &RenderOptions) -> Self {
        let outputs = Outputs::new(site, theme);
        let files = outputs.registry.paths().cloned().collect();
        Prepared {
            site,
            theme,
            shared: Shared::new(site, options),
            outputs,
            policy: Policy::new(&site.config),
            files,
            output: PathBuf::from("public"),
            outbound: false,
            jobs_by_file: OnceLock::new(),
        }
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
        let Prepared {
            site,
            theme,
            shared,
            outputs,
            ..
        } = self;
        let cx = audit::Context {
            outbound: self.outbound,
            ..audit::Context::new(&self.policy, &self.files, &self.output)
        };

        let mut facts = Facts::new();
        let mut errors = outputs.registry.problems.clone();
        // Nothing is written where the registry found a clash.
        let out = &Refusing {
            out,
            refused: &outputs.refused,
        };
        let pages = outputs
            .jobs
            .par_iter()
            .filter_map(|job| render_job(site, theme, shared, &cx, out, job).transpose())
            .collect();
        gather(pages, &mut facts, &mut errors);
        // One broken template fails every page that uses it: say it once.
        errors.dedup_by(|a, b| a.path == b.path && a.line == b.line && a.message == b.message);
        gather(feed::write_feeds(site, &cx, out), &mut facts, &mut errors);
        let extra = outputs
            .extra
            .par_iter()
            .filter(|(path, _)| out.wants(path))
            .map(|(path, bytes)| {
                let mut written = write_extra(&cx, out, path, bytes);
                if let (Ok((_, facts)), Some(problems)) =
                    (&mut written, outputs.host_problems.get(path))
                {
                    facts.problems.extend(problems.iter().cloned());
                }
                written
            })
            .collect();
        gather(extra, &mut facts, &mut errors);
        let copied: Vec<Result<(String, FileFacts), Diagnostic>> = outputs
            .copies
            .par_iter()
            .filter(|(to, _)| out.wants(to))
            .map(|(to, from)| copy(&cx, site, out, to, from))
            .collect();
        gather(copied, &mut facts, &mut errors);

        Rendering {
            stats: Stats {
                pages: outputs.jobs.len() + site.aliases.len(),
                posts: site.posts.len(),
                tags: site.tags.len(),
                files: outputs.copies.len(),
            },
            facts,
            errors,
        }
    }

    /// The fingerprint of every output file (see `plan`). `stamp` tells
    /// when a copied file's source changed.
    pub fn fingerprints(&self, stamp: &(dyn Fn(&Path) -> u64 + Sync)) -> Fingerprints {
        let Prepared {
            site,
            theme,
            shared,
            outputs,
            ..
        } = self;
        let common = fingerprint((
            serde_json::to_string(&shared.base.clone().into_json()).unwrap_or_default(),
            format!("{:?}", site.config),
        ));
        let templates = theme.fingerprints();
        let cards: Vec<u64> = site
            .posts
            .par_iter()
            .map(|p| card_fingerprint(site, p))
            .collect();
        let mut prints = Fingerprints::default();
        let jobs: Vec<(String, u64)> = outputs
            .jobs
            .par_iter()
            .map(|job| {
                let template = templates.get(job.template());
                (
                    job.file(site),
                    fingerprint((common, template, job.fingerprint(site, &cards))),
                )
            })
            .collect();
        for (file, print) in jobs {
            prints.insert(file, print);
        }
        feed::fingerprints(site, common, &mut prints);
        for (file, bytes) in &outputs.extra {
            // A host file's findings depend on lines its text leaves out.
            let problems = outputs.host_problems.get(file).map(|p| format!("{p:?}"));
            prints.insert(file.clone(), fingerprint((bytes, problems)));
        }
        let copies: Vec<(String, u64)> = outputs
            .copies
            .par_iter()
            .map(|(to, from)| {
                let print = match from {
                    Copied::File(path) => fingerprint((path, stamp(path))),
                    Copied::Embedded(bytes) => fingerprint(bytes),
                };
                (to.clone(), print)
            })
            .collect();
        for (file, print) in copies {
            prints.insert(file, print);
        }
        prints
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

/// Sorts what writing files gave into their facts and the errors.
fn gather(
    results: Vec<Result<(String, FileFacts), Diagnostic>>,
    facts: &mut Facts,
    errors: &mut Vec<Diagnostic>,
) {
    for result in results {
        match result {
            Ok((file, f)) => {
                facts.insert(file, Arc::new(f));
            }
            Err(e) => errors.push(e),
        }
    }
}

/// Where a copied file comes from.
#[derive(Debug)]
enum Copied<'a> {
    File(&'a Path),
    Embedded(&'static [u8]),
}

/// Every file copied as is, by destination: the theme's static files, then
/// the site's `static/`, then files from `content/`, each winning over the
/// one before.
fn files_to_copy<'a>(
    site: &'a Site,
    theme: &'a Theme,
) -> (BTreeMap<String, Copied<'a>>, Vec<Diagnostic>) {
    let mut copies = BTreeMap::new();
    for (to, from) in &theme.static_files {
        let from = match from {
            StaticFile::OnDisk(path) => Copied::File(path),
            StaticFile::Embedded(bytes) => Copied::Embedded(bytes),
        };
        copies.insert(to.clone(), from);
    }
    for (to, from) in &site.static_files {
        copies.insert(to.clone(), Copied::File(from));
    }
    // A file from content/ and one from static/ for the same path are a
    // clash: both are the site's own.
    let mut clashes = Vec::new();
    let statics: HashMap<&str, &PathBuf> = site
        .static_files
        .iter()
        .map(|(to, from)| (to.as_str(), from))
        .collect();
    let shown = |path: &Path| {
        path.strip_prefix(&site.config.root)
            .unwrap_or(path)
            .to_path_buf()
    };
    for file in &site.files {
        if let Some(other) = statics.get(file.to.as_str()) {
            clashes.push(
                Diagnostic::file(
                    shown(&file.from),
                    format!(
                        "{} and {} would both be written to /{}",
                        shown(other).display(),
                        shown(&file.from).display(),
                        file.to
                    ),
                )
                .hint("rename or remove one of them"),
            );
            continue;
        }
        copies.insert(file.to.clone(), Copied::File(&file.from));
    }
    (copies, clashes)
}

/// Copies one file and audits it by what it is (see `audit::files`):
/// documents and stylesheets are read and checked, images, fonts and
/// other inert files only weighed.
fn copy(
    cx: &audit::Context<'_>,
    site: &Site,
    out: &dyn Sink,
    to: &str,
    from: &Copied<'_>,
) -> Result<(String, FileFacts), Diagnostic> {
    let facts = match from {
        Copied::Embedded(bytes) => {
            let shown = PathBuf::from(format!("(built-in default theme)/static/{to}"));
            let facts = audit::copied(cx, to, bytes, bytes.len() as u64, &shown);
            out.write(to, bytes)?;
            facts
        }
        Copied::File(path) => {
            let shown = path
                .strip_prefix(&site.config.root)
                .unwrap_or(path)
                .to_path_buf();
            let unreadable =
                |e: std::io::Error| Diagnostic::file(*path, crate::util::error::io_message(&e));
            let size = std::fs::metadata(path).map_err(unreadable)?.len();
            match audit::files::needs_reading(to) {
                None => {
                    out.copy(path, to)?;
                    FileFacts {
                        size,
                        ..FileFacts::default()
                    }
                }
                Some(limit) => {
                    let mut bytes = read_start(path, limit).map_err(unreadable)?;
                    let sniffed = limit.is_some()
                        && audit::files::sniff(&bytes) != audit::files::Nature::Inert;
                    if sniffed {
                        bytes = std::fs::read(path).map_err(unreadable)?;
                    }
                    let facts = audit::copied(cx, to, &bytes, size, &shown);
                    // What was audited is what is published: the file is
                    // not read a second time.
                    if limit.is_none() || sniffed {
                        out.write(to, &bytes)?;
                    } else {
                        out.copy(path, to)?;
                    }
                    facts
                }
            }
        }
    };
    Ok((to.to_string(), facts))
}

/// The first `limit` bytes of a file, or all of them.
fn read_start(path: &Path, limit: Option<usize>) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    match limit {
        None => std::fs::read(path),
        Some(limit) => {
            let mut bytes = Vec::with_capacity(limit);
            std::fs::File::open(path)?
                .take(limit as u64)
                .read_to_end(&mut bytes)?;
            Ok(bytes)
        }
    }
}

/// Writes a small generated file (a redirect page, the sitemap) after
/// auditing it like any other.
fn write_extra(
    cx: &audit::Context<'_>,
    out: &dyn Sink,
    file: &str,
    bytes: &[u8],
) -> Result<(String, FileFacts), Diagnostic> {
    let text = String::from_utf8_lossy(bytes);
    let facts = if file.ends_with(".html") {
        let (html, facts) = audit::page(cx, file, &text, &Vec::new);
        out.write(file, html.as_bytes())?;
        return Ok((file.to_string(), facts));
    } else if file.ends_with(".xml") {
        audit::feed(cx, file, &text, &Vec::new)
    } else {
        FileFacts {
            size: bytes.len() as u64,
            ..FileFacts::default()
        }
    };
    out.write(file, bytes)?;
    Ok((file.to_string(), facts))
}

fn page_count(items: usize, per_page: usize) -> usize {
    items.div_ceil(per_page).max(1)
}

/// Data every page shares, serialised once.
struct Shared {
    base: Context,
    /// One card per post, in site order, made when first needed: a
    /// rebuild of a few pages needs only a few.
    cards: Vec<OnceLock<Value>>,
}

impl Shared {
    fn new(site: &Site, options: &RenderOptions) -> Self {
        let config = &site.config;
        let menu = |which: &str| -> Vec<Value> {
            site.pages
                .iter()
                .filter(|p| p.front.menu.as_deref() == Some(which))
                .map(|p| json!({ "title": p.front.title, "url": url::internal(&p.path) }))
                .collect()
        };
        let site_value = json!({
            "title": config.title,
            "description": config.description,
            "language": config.language.code(),
            "base_url": config.base_url,
            "author": config.author,
            "extra": config.extra,
            "menu": menu("main"),
            "footer_menu": menu("footer"),
            "home_url": url::internal(""),
            "archive_url": url::internal(i18n::archive_path(config.language)),
            "tags_url": url::internal("tags/"),
            "atom_url": url::internal("atom.xml"),
            "rss_url": url::internal("rss.xml"),
            "privacy_url": config
                .privacy
                .page
                .then(|| url::internal(i18n::privacy_path(config.language))),
        });
        let mut base = Context::new();
        base.insert("site", &site_value);
        base.insert("t", i18n::strings(config.language));
        base.insert("year", &options.year);
        base.insert("preview", &options.preview);
        let cards = site.posts.iter().map(|_| OnceLock::new()).collect();
        Shared { base, cards }
    }

    fn card(&self, site: &Site, post: usize) -> &Value {
        self.cards[post].get_or_init(|| card(site, &site.posts[post]))
    }

    fn cards(&self, site: &Site, posts: impl Iterator<Item = usize>) -> Vec<&Value> {
        posts.map(|p| self.card(site, p)).collect()
    }
}

#[derive(Serialize)]
struct TagLink<'a> {
    name: &'a str,
    url: String,
}

fn tag_links<'a>(site: &'a Site, doc: &Document) -> Vec<TagLink<'a>> {
    doc.tags
        .iter()
        .map(|&t| TagLink {
            name: &site.tags[t].name,
            url: url::internal(&site.tags[t].path()),
        })
        .collect()
}

fn iso(date: Option<DateTime<FixedOffset>>) -> Option<String> {
    date.map(|d| d.to_rfc3339())
}

fn display(date: Option<DateTime<FixedOffset>>, language: Language) -> Option<String> {
    date.map(|d| format_date(&d, language))
}

/// The fields a post has in every list.
fn card(site: &Site, post: &Document) -> Value {
    json!({
        "title": post.front.title,
        "url": url::internal(&post.path),
        "date": iso(post.date),
        "date_display": display(post.date, post.language),
        "updated": iso(post.front.updated),
        "updated_display": display(post.front.updated, post.language),
        "reading_time": post.reading_time(),
        "tags": tag_links(site, post),
        "summary": post.rendered.summary,
        "has_more": post.rendered.has_more,
        "draft": post.front.draft,
        "future": post.future,
        "lang": post.language.code(),
    })
}

/// Everything a post or page template knows about its document.
fn page_value(site: &Site, doc: &Document) -> Value {
    let mut value = card(site, doc);
    let description = doc
        .front
        .description
        .clone()
        .unwrap_or_else(|| doc.rendered.summary_text.clone());
    let author = doc.front.author.as_ref().map_or_else(
        || json!({ "name": site.config.author.name, "url": site.config.author.url }),
        |a| json!({ "name": a.name, "url": a.url }),
    );
    let image = doc.image.as_ref().map(|src| {
        json!({ "url": src, "alt": doc.front.image_alt.clone().unwrap_or_default(), "credit": doc.front.image_credit })
    });
    let toc_size = count_toc(&doc.rendered.toc);
    let extra = json!({
        "content": doc.rendered.html,
        "permalink": format!("{}{}", site.config.base_url, doc.path),
        "description": description,
        "toc": doc.rendered.toc,
        "show_toc": toc_size >= TOC_MIN_HEADINGS && doc.rendered.words >= TOC_MIN_WORDS,
        "words": doc.rendered.words,
        "categories": doc.front.categories,
        "author": author,
        "image": image,
        "extra": doc.front.extra,
    });
    if let (Value::Object(map), Value::Object(more)) = (&mut value, extra) {
        map.extend(more);
    }
    value
}

fn count_toc(toc: &[TocEntry]) -> usize {
    toc.iter().map(|e| 1 + count_toc(&e.children)).sum()
}

#[derive(Serialize)]
struct Paginator {
    current: usize,
    total: usize,
    previous_url: Option<String>,
    next_url: Option<String>,
    first_url: String,
    last_url: String,
}

/// Path of page `n` (0-based) of a list whose first page is at `base`.
fn list_path(base: &str, n: usize) -> String {
    if n == 0 {
        base.to_string()
    } else {
        format!("{base}page/{}/", n + 1)
    }
}

fn paginator(base: &str, page: usize, total: usize) -> Paginator {
    Paginator {
        current: page + 1,
        total,
        previous_url: (page > 0).then(|| url::internal(&list_path(base, page - 1))),
        next_url: (page + 1 < total).then(|| url::internal(&list_path(base, page + 1))),
        first_url: url::internal(base),
        last_url: url::internal(&list_path(base, total - 1)),
    }
}

impl Job {
    /// Who writes this page, for the output registry.
    fn owner(&self, site: &Site) -> Owner {
        match self {
            Job::Post(i) => Owner::file(site.posts[*i].source.display_path()),
            Job::Page(i) => Owner::file(site.pages[*i].source.display_path()),
            Job::Privacy { page: Some(i) } => Owner {
                what: format!(
                    "the privacy page (with {})",
                    site.pages[*i].source.display_path().display()
                ),
                ..Owner::file(site.pages[*i].source.display_path())
            },
            Job::Privacy { page: None } => Owner::generated("the privacy page"),
            Job::Home { page: 0 } => Owner::generated("the home page"),
            Job::Home { page } => Owner::generated(format!("page {} of the home page", page + 1)),
            Job::Tags => Owner::generated("the list of tags"),
            Job::Tag { tag, page } => Owner::generated(format!(
                "page {} of the tag `{}`",
                page + 1,
                site.tags[*tag].name
            )),
            Job::Archive => Owner::generated("the archive"),
            Job::NotFound => Owner::generated("the 404 page"),
        }
    }

    fn template(&self) -> &'static str {
        match self {
            Job::Home { .. } => "index.html",
            Job::Post(_) => "post.html",
            Job::Page(_) => "page.html",
            Job::Tags => "tags.html",
            Job::Tag { .. } => "tag.html",
            Job::Archive => "archive.html",
            Job::NotFound => "404.html",
            Job::Privacy { .. } => "privacy.html",
        }
    }

    /// The documents whose text the page shows.
    fn documents<'s>(&self, site: &'s Site) -> Vec<&'s Document> {
        let per_page = site.config.posts_per_page;
        let page_of = |posts: Vec<usize>, page: usize| -> Vec<&'s Document> {
            posts
                .into_iter()
                .skip(page * per_page)
                .take(per_page)
                .map(|p| &site.posts[p])
                .collect()
        };
        match self {
            Job::Post(i) => vec![&site.posts[*i]],
            Job::Page(i) | Job::Privacy { page: Some(i) } => vec![&site.pages[*i]],
            Job::Home { page } => page_of((0..site.posts.len()).collect(), *page),
            Job::Tag { tag, page } => page_of(site.tags[*tag].posts.clone(), *page),
            _ => Vec::new(),
        }
    }

    /// The template, the page's path below the site root and its language.
    fn target(&self, site: &Site) -> (&'static str, String, Language) {
        let language = site.config.language;
        let (path, language) = match self {
            Job::Home { page } => (list_path("", *page), language),
            Job::Post(i) => (site.posts[*i].path.clone(), site.posts[*i].language),
            Job::Page(i) => (site.pages[*i].path.clone(), site.pages[*i].language),
            Job::Tags => ("tags/".to_string(), language),
            Job::Tag { tag, page } => (list_path(&site.tags[*tag].path(), *page), language),
            Job::Archive => (i18n::archive_path(language).to_string(), language),
            Job::NotFound => (String::new(), language),
            Job::Privacy { .. } => (i18n::privacy_path(language).to_string(), language),
        };
        (self.template(), path, language)
    }

    /// The output file, below the site root.
    fn file(&self, site: &Site) -> String {
        match self {
            Job::NotFound => "404.html".to_string(),
            job => format!("{}index.html", job.target(site).1),
        }
    }

    /// Adds what this page's template shows to `ctx`.
    fn fill(&self, ctx: &mut Context, site: &Site, shared: &Shared) {
        let per_page = site.config.posts_per_page;
        match self {
            Job::Home { page } => {
                let start = page * per_page;
                let end = (start + per_page).min(site.posts.len());
                ctx.insert("posts", &shared.cards(site, start..end));
                ctx.insert(
                    "paginator",
                    &paginator("", *page, page_count(site.posts.len(), per_page)),
                );
            }
            Job::Post(i) => {
                let neighbour = |j: usize| {
                    let p = &site.posts[j];
                    json!({ "title": p.front.title, "url": url::internal(&p.path) })
                };
                ctx.insert("page", &page_value(site, &site.posts[*i]));
                // Posts are newest first: the previous (older) post comes after.
                ctx.insert(
                    "previous",
                    &(i + 1 < site.posts.len()).then(|| neighbour(i + 1)),
                );
                ctx.insert("next", &(*i > 0).then(|| neighbour(i - 1)));
            }
            Job::Page(i) => ctx.insert("page", &page_value(site, &site.pages[*i])),
            Job::Tags => {
                let tags: Vec<Value> = site
                    .tags
                    .iter()
                    .map(|t| json!({ "name": t.name, "slug": t.slug, "url": url::internal(&t.path()), "count": t.posts.len() }))
                    .collect();
                ctx.insert("tags", &tags);
            }
            Job::Tag { tag, page } => {
                let t = &site.tags[*tag];
                let base = t.path();
                let start = page * per_page;
                let end = (start + per_page).min(t.posts.len());
                ctx.insert(
                    "posts",
                    &shared.cards(site, t.posts[start..end].iter().copied()),
                );
                // Feed links only for feeds that are written (`feed.tags`),
                // so templates can test for them.
                let feeds = site.config.feed.tags;
                ctx.insert(
                    "tag",
                    &json!({
                        "name": t.name, "slug": t.slug, "url": url::internal(&base), "count": t.posts.len(),
                        "atom_url": feeds.then(|| url::internal(&format!("{base}atom.xml"))),
                        "rss_url": feeds.then(|| url::internal(&format!("{base}rss.xml"))),
                    }),
                );
                ctx.insert(
                    "paginator",
                    &paginator(&base, *page, page_count(t.posts.len(), per_page)),
                );
            }
            Job::Archive => ctx.insert("years", &archive_years(site)),
            Job::NotFound => {}
            Job::Privacy { page } => {
                ctx.insert("privacy", &privacy_value(site));
                if let Some(i) = page {
                    ctx.insert("page", &page_value(site, &site.pages[*i]));
                }
            }
        }
    }

    /// A hash of what [`Job::fill`] puts in the context, beyond the data
    /// every page shares; `cards` are [`card_fingerprint`]s by post.
    fn fingerprint(&self, site: &Site, cards: &[u64]) -> u64 {
        let per_page = site.config.posts_per_page;
        let page_of = |posts: &[usize], page: usize| -> Vec<u64> {
            let start = page * per_page;
            let end = (start + per_page).min(posts.len());
            posts[start..end].iter().map(|&p| cards[p]).collect()
        };
        match self {
            Job::Home { page } => {
                let all: Vec<usize> = (0..site.posts.len()).collect();
                let total = page_count(all.len(), per_page);
                fingerprint(("home", page, total, page_of(&all, *page)))
            }
            Job::Post(i) => {
                let neighbour = |j: usize| {
                    let p = &site.posts[j];
                    (&p.front.title, &p.path)
                };
                let previous = (i + 1 < site.posts.len()).then(|| neighbour(i + 1));
                let next = (*i > 0).then(|| neighbour(i - 1));
                let post = &site.posts[*i];
                fingerprint((
                    "post",
                    post.fingerprint,
                    tag_names(site, post),
                    previous,
                    next,
                ))
            }
            Job::Page(i) => {
                let page = &site.pages[*i];
                fingerprint(("page", page.fingerprint, tag_names(site, page)))
            }
            Job::Tags => {
                let tags: Vec<_> = site
                    .tags
                    .iter()
                    .map(|t| (&t.name, &t.slug, t.posts.len()))
                    .collect();
                fingerprint(("tags", tags))
            }
            Job::Tag { tag, page } => {
                let t = &site.tags[*tag];
                let total = page_count(t.posts.len(), per_page);
                fingerprint((
                    "tag",
                    &t.name,
                    &t.slug,
                    t.posts.len(),
                    page,
                    total,
                    page_of(&t.posts, *page),
                ))
            }
            Job::Archive => {
                let posts: Vec<_> = site
                    .posts
                    .iter()
                    .map(|p| (&p.front.title, &p.path, p.date, p.language))
                    .collect();
                fingerprint(("archive", posts))
            }
            Job::NotFound => fingerprint("404"),
            Job::Privacy { page } => fingerprint((
                "privacy",
                page.map(|i| (site.pages[i].fingerprint, tag_names(site, &site.pages[i]))),
            )),
        }
    }
}

fn tag_names<'a>(site: &'a Site, doc: &Document) -> Vec<&'a str> {
    doc.tags
        .iter()
        .map(|&t| site.tags[t].name.as_str())
        .collect()
}

/// A hash of the fields of [`card`]: what lists show of a post.
fn card_fingerprint(site: &Site, post: &Document) -> u64 {
    let r = &post.rendered;
    fingerprint((
        (&post.front.title, &post.path, post.date, post.front.updated),
        post.reading_time(),
        tag_names(site, post),
        (&r.summary, r.has_more),
        (post.front.draft, post.future, post.language),
    ))
}

/// What the privacy page states: facts the audit makes true, since a
/// build that would break them fails. The rules every page carries itself
/// (`page_rules`) are kept apart from those only server headers give
/// (`server_rules`), which hold only where the host sends them: a page
/// cannot know where it is served from.
fn privacy_value(site: &Site) -> Value {
    let privacy = &site.config.privacy;
    let headers = audit::headers::headers(&site.config);
    // The `<meta>`s the audit puts at the start of every page's head.
    let page_policy =
        audit::headers::content_security_policy(&privacy.allow_hosts, privacy.own_scripts, false);
    let page_rules = json!([
        {
            "name": "Content-Security-Policy",
            "element": "<meta http-equiv=\"Content-Security-Policy\">",
            "value": page_policy,
        },
        {
            "name": "Referrer-Policy",
            "element": "<meta name=\"referrer\">",
            "value": "no-referrer",
        },
    ]);
    // What the headers add: the directives a `<meta>` cannot carry, and
    // the headers that have no `<meta>` form at all.
    let in_page: Vec<&str> = page_policy.split("; ").collect();
    let server_rules: Vec<Value> = headers
        .iter()
        .filter_map(|(name, value)| match *name {
            "Content-Security-Policy" => {
                let added: Vec<&str> = value.split("; ").filter(|d| !in_page.contains(d)).collect();
                (!added.is_empty())
                    .then(|| json!({ "name": name, "value": added.join("; "), "addition": true }))
            }
            "Referrer-Policy" => None,
            _ => Some(json!({ "name": name, "value": value, "addition": false })),
        })
        .collect();
    let all: Vec<Value> = headers
        .into_iter()
        .map(|(name, value)| json!({ "name": name, "value": value }))
        .collect();
    json!({
        "allow_hosts": privacy.allow_hosts,
        "allow_redirects": privacy.allow_redirects,
        "own_scripts": privacy.own_scripts,
        "page_rules": page_rules,
        "server_rules": server_rules,
        "headers": all,
        "page_budget": audit::kilobytes(site.config.page_budget),
    })
}

/// Posts grouped by year, newest first, for the archive.
fn archive_years(site: &Site) -> Vec<Value> {
    let mut years: Vec<Value> = Vec::new();
    let mut current: Option<(i32, Vec<Value>)> = None;
    for p in &site.posts {
        let year = p.date.map_or(0, |d| d.year());
        let entry = json!({
            "title": p.front.title,
            "url": url::internal(&p.path),
            "date": iso(p.date),
            "date_display": display(p.date, p.language),
        });
        match &mut current {
            Some((y, posts)) if *y == year => posts.push(entry),
            _ => {
                if let Some((y, posts)) = current.take() {
                    years.push(json!({ "year": y, "posts": posts }));
                }
                current = Some((year, vec![entry]));
            }
        }
    }
    if let Some((y, posts)) = current {
        years.push(json!({ "year": y, "posts": posts }));
    }
    years
}

fn render_job(
    site: &Site,
    theme: &Theme,
    shared: &Shared,
    cx: &audit::Context<'_>,
    out: &dyn Sink,
    job: &Job,
) -> Result<Option<(String, FileFacts)>, Diagnostic> {
    let file = job.file(site);
    if !out.wants(&file) {
        return Ok(None);
    }
    let (template, path, language) = job.target(site);
    let not_found = matches!(job, Job::NotFound);
    // The 404 page is served at any depth, so its links start at the site root.
    let root = if not_found {
        site.config.base_path().to_string()
    } else {
        url::relative_root(&file).into_owned()
    };
    let mut ctx = shared.base.clone();
    job.fill(&mut ctx, site, shared);
    ctx.insert("root", &root);
    ctx.insert("lang", language.code());
    // The 404 page stands in for pages that do not exist: it has no URL of
    // its own to be canonical or current.
    let own_url = (!not_found).then(|| url::internal(&path));
    let canonical = (!not_found).then(|| format!("{}{}", site.config.base_url, path));
    ctx.insert("current_url", &own_url);
    ctx.insert("canonical", &canonical);

    let html = theme
        .tera
        .render(template, &ctx)
        .map_err(|e| theme.render_error(template, &e, &format!("/{path}")))?;
    // Read only when the audit found something to locate.
    let origins = || job_origins(site, theme, job);
    let (html, facts) = audit::page(cx, &file, &url::finish(&html, &root), &origins);
    out.write(&file, html.as_bytes())?;
    Ok(Some((file, facts)))
}

/// The sources a page is made of, read only to locate what the audit
/// found: the documents it shows, its template and the templates that one
/// uses, and echt.yaml (whose values templates show).
fn job_origins(site: &Site, theme: &Theme, job: &Job) -> Vec<Origin> {
    let mut origins: Vec<Origin> = job
        .documents(site)
        .into_iter()
        .filter_map(|doc| Origin::content(&site.config.root, &doc.source))
        .collect();
    origins.extend(theme.origins(job.template()));
    origins.extend(Origin::config(&site.config.root));
    origins
}

/// A small page that sends readers of an old URL to the new one.
fn redirect_page(site: &Site, file: &str, target: &str) -> String {
    let root = url::relative_root(file);
    let href = escape::html(&format!("{root}{target}"));
    let canonical = escape::html(&format!("{}{target}", site.config.base_url));
    let lang = site.config.language;
    let text = i18n::strings(lang).redirect_text;
    format!(
        "<!doctype html>\n<html lang=\"{code}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<meta http-equiv=\"refresh\" content=\"0; url={href}\">\n<link rel=\"canonical\" href=\"{canonical}\">\n<meta name=\"robots\" content=\"noindex\">\n</head>\n<body>\n<p>{text} <a href=\"{href}\">{canonical}</a></p>\n</body>\n</html>\n",
        code = lang.code(),
        title = escape::html(&site.config.title),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::util::url::ROOT;

    #[test]
    fn pagination_paths() {
        assert_eq!(list_path("", 0), "");
        assert_eq!(list_path("", 1), "page/2/");
        assert_eq!(list_path("tags/x/", 2), "tags/x/page/3/");
        let p = paginator("", 0, 3);
        assert_eq!(p.previous_url, None);
        assert_eq!(
            p.next_url.as_deref(),
            Some(format!("{ROOT}page/2/").as_str())
        );
        assert_eq!(p.last_url, format!("{ROOT}page/3/"));
    }
}
