//! What the site outputs: the one list of output files, each with what
//! makes it and who owns its path.
//!
//! Everything else asks this list: the registry (one owner per path) is
//! filled from it, templates learn from it which pages and feeds exist
//! (`site.privacy_url` is null when there is no privacy page, a tag's
//! `atom_url` when its feed is not written), the sitemap lists its pages,
//! the renderer walks it, and the preview fingerprints it.
//!
//! The list with its registry (the [`Layout`]) owns all it holds, so the
//! preview can keep it for a site patched where no list shows it (see
//! `site::Site::patch`).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};

use crate::audit;
use crate::render::feed::{self, Feed, Format};
use crate::render::search;
use crate::render::theme::{StaticFile, Theme};
use crate::site::registry::{Owner, Registry};
use crate::site::{Document, Site};
use crate::util::error::Diagnostic;
use crate::util::escape;
use crate::util::i18n::{self, Language};
use crate::util::url;

/// One page rendered through a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Job {
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
    /// A page of the posts of one person (by index into the site's
    /// authors), when they have one (see `site::authors`).
    Author {
        author: usize,
        page: usize,
    },
    /// The list of series (only on a site with a series).
    SeriesIndex,
    /// A series' page: all its parts.
    Series(usize),
    NotFound,
    /// The privacy page; with the content page at its URL, if there is one.
    Privacy {
        page: Option<usize>,
    },
    /// The search page (`search: true`).
    Search,
}

/// One file of the output.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Output {
    /// Below the output folder: `posts/a/index.html`.
    pub path: String,
    pub what: What,
}

/// What makes an output file.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum What {
    /// A page, through its template.
    Page(Job),
    /// A feed (by index into [`Outputs::feeds`]) in one format.
    Feed { feed: usize, format: Format },
    /// A small file made with the list: the sitemap, robots.txt, the host
    /// files (with what merging the site's own found: reported as the
    /// audit's findings about them) and redirect pages.
    Generated {
        bytes: Vec<u8>,
        problems: Vec<Diagnostic>,
    },
    /// A file copied as it is.
    Copy(Copied),
    /// A picture of `content/` as the image stage made it: the cleaned
    /// original or a version, of the picture published at `original`.
    Picture { original: String },
    /// A file of the search index, or the search script (`search: true`).
    Search(search::Part),
}

/// Where a copied file comes from.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Copied {
    File(PathBuf),
    Embedded(&'static [u8]),
}

/// Everything a site's output consists of, decided before any rendering.
#[derive(Debug)]
pub(super) struct Outputs<'a> {
    layout: Arc<Layout>,
    pub feeds: Vec<Feed<'a>>,
}

/// The output files, and who owns each path.
#[derive(Debug)]
pub struct Layout {
    /// Every output file, in the order their owners claimed their paths.
    pub(super) files: Vec<Output>,
    /// Who writes every output file; clashes are errors.
    pub(super) registry: Registry,
    /// Paths the registry refused: nothing is written there.
    pub(super) refused: HashSet<String>,
    /// Every path, for the audit's link checks.
    pub(super) paths: HashSet<String>,
}

impl std::ops::Deref for Outputs<'_> {
    type Target = Layout;

    fn deref(&self) -> &Layout {
        &self.layout
    }
}

impl<'a> Outputs<'a> {
    pub fn new(site: &'a Site, theme: &'a Theme) -> Self {
        let feeds = feed::feeds(site);
        Outputs {
            layout: Arc::new(Layout::new(site, theme, &feeds)),
            feeds,
        }
    }

    /// The outputs of `site` with the layout of an earlier load of it that
    /// lists, links and the sitemap show the same (see
    /// `site::Site::patch`).
    pub fn with(site: &'a Site, layout: Arc<Layout>) -> Self {
        Outputs {
            layout,
            feeds: feed::feeds(site),
        }
    }

    /// The layout, to keep.
    pub fn layout(&self) -> Arc<Layout> {
        self.layout.clone()
    }
}

impl Layout {
    fn new(site: &Site, theme: &Theme, feeds: &[Feed<'_>]) -> Self {
        let jobs = jobs(site);
        let (mut copies, copy_clashes) = files_to_copy(site, theme);

        let mut generated: Vec<(String, Vec<u8>, Vec<Diagnostic>, Owner)> = Vec::new();
        let echt = |path: &str| Owner::generated(format!("echt's /{path}"));
        let pages = jobs.iter().filter_map(|job| {
            let lastmod = job.in_sitemap(site)?;
            Some((job.path(site), lastmod))
        });
        let sitemap: Vec<(String, _)> = pages.collect();
        let sitemap = feed::sitemap(
            &site.config,
            sitemap
                .iter()
                .map(|(path, lastmod)| (path.as_str(), *lastmod)),
        );
        generated.push((
            "sitemap.xml".into(),
            sitemap.into_bytes(),
            Vec::new(),
            echt("sitemap.xml"),
        ));
        // A site may bring its own robots.txt.
        if !copies.contains_key("robots.txt") {
            let robots = feed::robots(&site.config).into_bytes();
            generated.push(("robots.txt".into(), robots, Vec::new(), echt("robots.txt")));
        }
        // The files a host reads: echt's, merged with the site's own (the
        // one that would have been copied), never replaced by them.
        let search_paths = site
            .config
            .search
            .then(|| search_paths(site, &jobs, feeds, &copies, &generated));
        let mut unreadable = Vec::new();
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
            match audit::headers::host_file(&site.config, file, own, search_paths.as_ref()) {
                Some(merged) => {
                    problems.extend(merged.problems);
                    generated.push((file.into(), merged.text.into_bytes(), problems, echt(file)));
                }
                // A host file echt does not write itself (`_redirects`)
                // that could not be read: the build fails, saying why.
                None => unreadable.extend(problems),
            }
        }
        for alias in &site.aliases {
            let owner = Owner {
                what: format!(
                    "the alias `{}` of {}",
                    alias.written,
                    alias.source.display()
                ),
                ..Owner::file(&alias.source)
            };
            let page = redirect_page(site, &alias.file, &alias.target).into_bytes();
            generated.push((alias.file.clone(), page, Vec::new(), owner));
        }
        for post in &site.posts {
            if let Some(file) = feed::comments_file(post) {
                let text = feed::comments_atom(&site.config, post, &file).into_bytes();
                let owner = Owner::generated(format!("the comments feed /{file}"));
                generated.push((file, text, Vec::new(), owner));
            }
        }

        // One owner per path, claimed in the order of who may keep it.
        let mut registry = Registry::default();
        registry.problems.extend(copy_clashes);
        registry.problems.extend(unreadable);
        let mut files = Vec::new();
        for job in jobs {
            let path = job.file(site);
            registry.claim(&path, job.owner(site));
            files.push(Output {
                path,
                what: What::Page(job),
            });
        }
        for (i, feed) in feeds.iter().enumerate() {
            for format in Format::ALL {
                let path = feed.file(format);
                registry.claim(&path, Owner::generated(format!("the feed /{path}")));
                files.push(Output {
                    path,
                    what: What::Feed { feed: i, format },
                });
            }
        }
        if site.config.search {
            for part in search::parts(search::documents(site).count()) {
                let path = part.file();
                let owner = Owner::generated(format!("echt's search index /{path}"));
                registry.claim(&path, owner);
                files.push(Output {
                    path,
                    what: What::Search(part),
                });
            }
        }
        for (path, bytes, problems, owner) in generated {
            registry.claim(&path, owner);
            files.push(Output {
                path,
                what: What::Generated { bytes, problems },
            });
        }
        for (path, from) in copies {
            let owner = match &from {
                Copied::File(file) => {
                    Owner::file(file.strip_prefix(&site.config.root).unwrap_or(file))
                }
                Copied::Embedded(_) => Owner::generated(format!("the default theme's {path}")),
            };
            if registry.claim(&path, owner) {
                files.push(Output {
                    path,
                    what: What::Copy(from),
                });
            }
        }
        let mut pictures: Vec<(&str, &str)> = site
            .images
            .files()
            .map(|(version, original)| (version.site_path.as_str(), original))
            .collect();
        pictures.sort_unstable();
        for (path, original) in pictures {
            let source = site.picture_files.get(original);
            let owner = source.map_or_else(|| Owner::generated(original), Owner::file);
            if registry.claim(path, owner) {
                files.push(Output {
                    path: path.to_string(),
                    what: What::Picture {
                        original: original.to_string(),
                    },
                });
            }
        }
        let refused = registry.check().into_iter().collect();
        let paths = registry.paths().cloned().collect();
        Layout {
            files,
            registry,
            refused,
            paths,
        }
    }

    /// Whether two layouts list the same files, owned alike.
    pub(super) fn same_as(&self, other: &Layout) -> bool {
        self.files == other.files
            && self.refused == other.refused
            && self.paths == other.paths
            && self.registry.problems == other.registry.problems
            && self.registry.paths().all(|path| {
                format!("{:?}", self.registry.owner(path))
                    == format!("{:?}", other.registry.owner(path))
            })
    }
}

impl Outputs<'_> {
    /// The pages rendered through templates.
    pub fn jobs(&self) -> impl Iterator<Item = &Job> {
        self.files.iter().filter_map(|file| match &file.what {
            What::Page(job) => Some(job),
            _ => None,
        })
    }

    /// The URL of the first page `wanted` picks, if the site has one.
    pub fn page_url(&self, site: &Site, wanted: impl Fn(&Job) -> bool) -> Option<String> {
        let job = self.jobs().find(|job| wanted(job))?;
        Some(url::internal(&job.path(site)))
    }

    /// The URL of the feed of the page at `base` in `format`, if the site
    /// has one.
    pub fn feed_url(&self, base: &str, format: Format) -> Option<String> {
        let feed = self.feeds.iter().find(|feed| feed.base == base)?;
        Some(url::internal(&feed.file(format)))
    }
}

/// Every page rendered through a template, in the order they claim their
/// paths (and the sitemap lists them).
fn jobs(site: &Site) -> Vec<Job> {
    let per_page = site.config.posts_per_page;
    let mut jobs: Vec<Job> = Vec::new();
    jobs.extend((0..page_count(site.posts.len(), per_page)).map(|page| Job::Home { page }));
    jobs.extend((0..site.posts.len()).map(Job::Post));
    // The privacy page takes the place of a content page at its URL.
    let privacy_page = site.config.privacy.page.then(|| {
        let path = i18n::privacy_path(site.config.language);
        site.pages.iter().position(|p| p.path == path)
    });
    jobs.extend((0..site.pages.len()).map(|i| match privacy_page {
        Some(Some(page)) if page == i => Job::Privacy { page: Some(i) },
        _ => Job::Page(i),
    }));
    if privacy_page == Some(None) {
        jobs.push(Job::Privacy { page: None });
    }
    jobs.push(Job::Tags);
    for (t, tag) in site.tags.iter().enumerate() {
        jobs.extend(
            (0..page_count(tag.posts.len(), per_page)).map(|page| Job::Tag { tag: t, page }),
        );
    }
    for (a, person) in site.authors.iter().enumerate() {
        if person.page {
            jobs.extend(
                (0..page_count(person.posts.len(), per_page))
                    .map(|page| Job::Author { author: a, page }),
            );
        }
    }
    jobs.push(Job::Archive);
    if site.config.search {
        jobs.push(Job::Search);
    }
    if !site.series.is_empty() {
        jobs.push(Job::SeriesIndex);
        jobs.extend((0..site.series.len()).map(Job::Series));
    }
    jobs.push(Job::NotFound);
    jobs
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
            Job::Author { author, page } => Owner::generated(format!(
                "page {} of the author `{}`",
                page + 1,
                site.authors[*author].name
            )),
            Job::Archive => Owner::generated("the archive"),
            Job::Search => Owner::generated("the search page"),
            Job::SeriesIndex => Owner::generated("the list of series"),
            Job::Series(s) => {
                Owner::generated(format!("the page of the series `{}`", site.series[*s].name))
            }
            Job::NotFound => Owner::generated("the 404 page"),
        }
    }

    pub fn template(&self) -> &'static str {
        match self {
            Job::Home { .. } => "index.html",
            Job::Post(_) => "post.html",
            Job::Page(_) => "page.html",
            Job::Tags => "tags.html",
            Job::Tag { .. } => "tag.html",
            Job::Archive => "archive.html",
            Job::Author { .. } => "author.html",
            Job::SeriesIndex => "series_index.html",
            Job::Series(_) => "series.html",
            Job::NotFound => "404.html",
            Job::Privacy { .. } => "privacy.html",
            Job::Search => "search.html",
        }
    }

    /// The documents whose text the page shows.
    pub fn documents<'s>(&self, site: &'s Site) -> Vec<&'s Document> {
        let per_page = site.config.posts_per_page;
        let page_of = |posts: &[usize], page: usize| -> Vec<&'s Document> {
            posts[list_range(posts.len(), page, per_page)]
                .iter()
                .map(|&p| &site.posts[p])
                .collect()
        };
        match self {
            Job::Post(i) => vec![&site.posts[*i]],
            Job::Page(i) | Job::Privacy { page: Some(i) } => vec![&site.pages[*i]],
            Job::Home { page } => site.posts[list_range(site.posts.len(), *page, per_page)]
                .iter()
                .collect(),
            Job::Tag { tag, page } => page_of(&site.tags[*tag].posts, *page),
            Job::Author { author, page } => page_of(&site.authors[*author].posts, *page),
            Job::Series(s) => site.series[*s]
                .posts
                .iter()
                .map(|&p| &site.posts[p])
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The page's path below the site root: `posts/a/`; `` for the home
    /// and the 404 page.
    pub fn path(&self, site: &Site) -> String {
        let language = site.config.language;
        match self {
            Job::Home { page } => list_path("", *page),
            Job::Post(i) => site.posts[*i].path.clone(),
            Job::Page(i) => site.pages[*i].path.clone(),
            Job::Tags => "tags/".to_string(),
            Job::Tag { tag, page } => list_path(&site.tags[*tag].path(), *page),
            Job::Archive => i18n::archive_path(language).to_string(),
            Job::Author { author, page } => list_path(&site.authors[*author].path(language), *page),
            Job::SeriesIndex => i18n::series_path(language).to_string(),
            Job::Series(s) => site.series[*s].path(language),
            Job::NotFound => String::new(),
            Job::Privacy { .. } => i18n::privacy_path(language).to_string(),
            Job::Search => i18n::search_path(language).to_string(),
        }
    }

    /// The language the page is written in.
    pub fn language(&self, site: &Site) -> Language {
        match self {
            Job::Post(i) => site.posts[*i].language,
            Job::Page(i) => site.pages[*i].language,
            _ => site.config.language,
        }
    }

    /// The output file, below the site root.
    fn file(&self, site: &Site) -> String {
        match self {
            Job::NotFound => "404.html".to_string(),
            job => page_file(job.path(site)),
        }
    }

    /// Whether the sitemap lists the page, and with which date: the first
    /// page of each list, every post and content page.
    fn in_sitemap(&self, site: &Site) -> Option<Option<DateTime<FixedOffset>>> {
        match self {
            Job::Home { page: 0 } => Some(site.posts.first().and_then(Document::last_modified)),
            Job::Post(i) => Some(site.posts[*i].last_modified()),
            Job::Page(i) | Job::Privacy { page: Some(i) } => Some(site.pages[*i].last_modified()),
            Job::Tags
            | Job::Tag { page: 0, .. }
            | Job::Author { page: 0, .. }
            | Job::Archive
            | Job::Search
            | Job::SeriesIndex
            | Job::Series(_) => Some(None),
            _ => None,
        }
    }
}

/// The search page and every other entry of the output's top folder,
/// for the host files (`audit::headers::SearchPaths`): from every file
/// the site will have, besides the host files themselves.
fn search_paths(
    site: &Site,
    jobs: &[Job],
    feeds: &[Feed<'_>],
    copies: &BTreeMap<String, Copied>,
    generated: &[(String, Vec<u8>, Vec<Diagnostic>, Owner)],
) -> audit::headers::SearchPaths {
    let page = i18n::search_path(site.config.language).to_string();
    let mut files: Vec<String> = jobs.iter().map(|job| job.file(site)).collect();
    files.extend(
        feeds
            .iter()
            .flat_map(|feed| Format::ALL.map(|format| feed.file(format))),
    );
    files.extend(copies.keys().cloned());
    files.extend(generated.iter().map(|(path, ..)| path.clone()));
    files.extend(
        site.images
            .files()
            .map(|(version, _)| version.site_path.clone()),
    );
    files.extend(search::parts(0).into_iter().map(search::Part::file));
    let mut others: Vec<String> = files
        .iter()
        .map(|file| match file.split_once('/') {
            Some((folder, _)) => format!("{folder}/"),
            None => file.clone(),
        })
        .filter(|top| *top != page && !audit::headers::HOST_FILES.contains(&top.as_str()))
        .collect();
    others.sort_unstable();
    others.dedup();
    audit::headers::SearchPaths { page, others }
}

/// The file of the page at `path`: a folder's index.html, or the file a
/// permalink such as `2014/07/07/a.html` names.
pub fn page_file(path: String) -> String {
    if path.is_empty() || path.ends_with('/') {
        path + "index.html"
    } else {
        path
    }
}

/// How many pages a list of `items` takes (one, even when empty).
pub(super) fn page_count(items: usize, per_page: usize) -> usize {
    items.div_ceil(per_page).max(1)
}

/// Which of a list's `items` page `page` (0-based) shows.
pub(super) fn list_range(items: usize, page: usize, per_page: usize) -> std::ops::Range<usize> {
    let start = (page * per_page).min(items);
    start..(start + per_page).min(items)
}

/// Path of page `n` (0-based) of a list whose first page is at `base`.
pub(super) fn list_path(base: &str, n: usize) -> String {
    if n == 0 {
        base.to_string()
    } else {
        format!("{base}page/{}/", n + 1)
    }
}

/// The text of a file that would be copied, and how it is shown.
fn read_copied(site: &Site, to: &str, from: &Copied) -> Result<(PathBuf, String), Diagnostic> {
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

/// Every file copied as is, by destination: the theme's static files, then
/// the site's `static/`, then files from `content/`, each winning over the
/// one before.
fn files_to_copy(site: &Site, theme: &Theme) -> (BTreeMap<String, Copied>, Vec<Diagnostic>) {
    let mut copies = BTreeMap::new();
    for (to, from) in &theme.static_files {
        let from = match from {
            StaticFile::OnDisk(path) => Copied::File(path.clone()),
            StaticFile::Embedded(bytes) => Copied::Embedded(bytes),
        };
        copies.insert(to.clone(), from);
    }
    for (to, from) in &site.static_files {
        copies.insert(to.clone(), Copied::File(from.clone()));
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
        copies.insert(file.to.clone(), Copied::File(file.from.clone()));
    }
    (copies, clashes)
}

/// A small page that sends readers of an old URL to the new one.
fn redirect_page(site: &Site, file: &str, target: &str) -> String {
    let root = url::relative_root(file);
    let href = escape::html(&format!("{root}{target}"));
    let canonical = escape::html(&url::absolute(&site.config.base_url, target));
    let lang = site.config.language;
    let text = i18n::strings(lang).redirect_text;
    format!(
        "<!doctype html>\n<html lang=\"{code}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<meta http-equiv=\"refresh\" content=\"0; url={href}\">\n<link rel=\"canonical\" href=\"{canonical}\">\n<meta name=\"robots\" content=\"noindex\">\n</head>\n<body>\n<p>{text} <a href=\"{href}\">{canonical}</a></p>\n</body>\n</html>\n",
        code = lang.code(),
        title = escape::html(&site.config.title),
    )
}
