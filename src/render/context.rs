//! What templates see: typed contexts that serialise into tera's data and
//! hash into the page's fingerprint, so the two cannot disagree.
//!
//! Every template gets the data all pages share ([`Base`]: `site`, `t`,
//! `year`, `preview`), serialised once per build, and its own
//! ([`PageContext`]: `root`, `lang`, its URLs and a [`View`] per kind of
//! page). Lists and pages hold [`CardRef`]s, which serialise to the
//! document's card and hash as the card's fingerprint, taken once per
//! build: a list page's fingerprint covers what its cards show, never the
//! posts' full texts.
//!
//! Hashing stays cheap because no field is formatted to be hashed: URLs
//! and dates are formatted when serialised and hash as what they are made
//! of ([`Url`], [`Absolute`], [`Iso`], [`Shown`]); fields made from a
//! document's text alone (its HTML, description, table of contents and
//! front matter `extra`) hash as the document's fingerprint, which changes
//! whenever they can ([`HashedAs`]); JSON from echt.yaml hashes as its
//! serialised text ([`Json`]).
//!
//! themes/default/README.md documents these structs field by field; the
//! tests keep the two in step.

use std::borrow::Cow;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::OnceLock;

use chrono::Datelike;
use serde::{Serialize, Serializer};
use serde_json::Value;

use crate::audit;
use crate::markdown::picture::Source;
use crate::markdown::TocEntry;
use crate::render::feed::Format;
use crate::render::outputs::{list_path, list_range, page_count, Job, Outputs};
use crate::render::{Date, HashedAs, RenderOptions};
use crate::site::{Document, FrontImage, Site, Tag};
use crate::util::fingerprint::fingerprint;
use crate::util::i18n::{self, format_date, Language, Strings};
use crate::util::url;

mod authors;
mod comments;
mod meta;
mod series;
mod share;

use authors::AuthorPage;

/// Posts long enough to deserve a table of contents.
const TOC_MIN_WORDS: usize = 600;
const TOC_MIN_HEADINGS: usize = 3;

/// A value that hashes as its serialised JSON: for maps from YAML
/// (`extra`), whose floats and maps have no `Hash` of their own.
#[derive(Debug, Clone, Copy)]
struct Json<T>(T);

impl<T: Serialize> Serialize for Json<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<T: Serialize> Hash for Json<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        serde_json::to_string(&self.0)
            .unwrap_or_default()
            .hash(state);
    }
}

/// What every page shares.
#[derive(Debug, Serialize, Hash)]
pub(super) struct Base<'a> {
    site: SiteView<'a>,
    t: Json<&'static Strings>,
    year: i32,
    preview: bool,
}

/// `site`: the site as every template sees it.
#[derive(Debug, Serialize, Hash)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    language: &'static str,
    base_url: &'a str,
    author: SiteAuthor<'a>,
    extra: Json<&'a Value>,
    menu: Vec<Link<'a>>,
    footer_menu: Vec<Link<'a>>,
    home_url: Option<String>,
    archive_url: Option<String>,
    series_url: Option<String>,
    tags_url: Option<String>,
    atom_url: Option<String>,
    rss_url: Option<String>,
    json_url: Option<String>,
    privacy_url: Option<String>,
    /// The search page, or null without `search: true`.
    search_url: Option<String>,
}

#[derive(Debug, Serialize, Hash)]
struct SiteAuthor<'a> {
    name: &'a str,
    email: Option<&'a str>,
    url: Option<&'a str>,
}

/// A link to a page: menus, the previous and the next post.
#[derive(Debug, Serialize, Hash)]
struct Link<'a> {
    title: &'a str,
    url: Url<'a>,
}

impl<'a> Base<'a> {
    pub fn new(site: &'a Site, outputs: &Outputs<'_>, options: &RenderOptions) -> Self {
        let config = &site.config;
        let menu = |which: &str| -> Vec<Link<'a>> {
            let mut pages: Vec<&Document> = site
                .pages
                .iter()
                .filter(|p| p.front.menu.as_deref() == Some(which))
                .collect();
            // Stable: pages without a weight keep their order, after.
            pages.sort_by_key(|p| p.front.weight.map_or((1, 0), |w| (0, w)));
            pages
                .into_iter()
                .map(|p| Link {
                    title: &p.front.title,
                    url: Url(Cow::Borrowed(&p.path)),
                })
                .collect()
        };
        let page = |wanted: fn(&Job) -> bool| outputs.page_url(site, wanted);
        Base {
            site: SiteView {
                title: &config.title,
                description: &config.description,
                language: config.language.code(),
                base_url: &config.base_url,
                author: SiteAuthor {
                    name: &config.author.name,
                    email: config.author.email.as_deref(),
                    url: config.author.url.as_deref(),
                },
                extra: Json(&config.extra),
                menu: menu("main"),
                footer_menu: menu("footer"),
                home_url: page(|job| *job == Job::Home { page: 0 }),
                archive_url: page(|job| *job == Job::Archive),
                series_url: page(|job| *job == Job::SeriesIndex),
                tags_url: page(|job| *job == Job::Tags),
                atom_url: outputs.feed_url("", Format::Atom),
                rss_url: outputs.feed_url("", Format::Rss),
                json_url: outputs.feed_url("", Format::Json),
                privacy_url: page(|job| matches!(job, Job::Privacy { .. })),
                search_url: page(|job| *job == Job::Search),
            },
            t: Json(i18n::strings(config.language)),
            year: options.year,
            preview: options.preview,
        }
    }
}

/// What one page's template sees besides [`Base`].
#[derive(Debug, Serialize, Hash)]
pub(super) struct PageContext<'a> {
    /// From the page to the site root: `../../`.
    pub root: String,
    lang: &'static str,
    current_url: Option<String>,
    canonical: Option<Absolute<'a>>,
    /// The link preview: meta description, OpenGraph, Twitter card.
    meta: meta::Meta<'a>,
    #[serde(flatten)]
    view: View<'a>,
}

/// What each kind of page shows.
#[derive(Debug, Serialize, Hash)]
#[serde(untagged)]
enum View<'a> {
    Home {
        posts: Vec<CardRef<'a>>,
        paginator: Paginator,
    },
    Post {
        page: PageView<'a>,
        previous: Option<Link<'a>>,
        next: Option<Link<'a>>,
        comments: comments::CommentsView<'a>,
        share: Vec<share::ShareLink>,
        series: Option<series::SeriesBox<'a>>,
        related: Vec<series::PostLink<'a>>,
    },
    Page {
        page: PageView<'a>,
    },
    Tags {
        tags: Vec<TagView<'a>>,
    },
    Tag {
        tag: TagPage<'a>,
        posts: Vec<CardRef<'a>>,
        paginator: Paginator,
    },
    Archive {
        years: Vec<Year<'a>>,
    },
    Author {
        author: AuthorPage<'a>,
        posts: Vec<CardRef<'a>>,
        paginator: Paginator,
    },
    SeriesIndex {
        all_series: Vec<series::SeriesView<'a>>,
    },
    Series {
        series: Option<series::SeriesView<'a>>,
        /// Oldest first.
        posts: Vec<CardRef<'a>>,
    },
    NotFound {},
    Search {
        search: SearchView,
    },
    Privacy {
        privacy: PrivacyView<'a>,
        #[serde(skip_serializing_if = "Option::is_none")]
        page: Option<PageView<'a>>,
    },
}

/// The card of every post and page, made whenever a page shows it, and
/// its fingerprint, taken when first needed (a rebuild of a few pages
/// needs only a few) and then shared by every list it is in and by its
/// own page. Cards are not kept: every card of a site serialised is
/// larger than all its posts' texts (50 MB at 10,000 posts), and made
/// again costs no more than copying a kept one into a page's context.
#[derive(Debug)]
pub(super) struct Cards<'a> {
    site: &'a Site,
    /// Each tag's path, by index.
    tag_paths: Vec<String>,
    /// By document: the posts, then the pages.
    prints: Vec<OnceLock<u64>>,
}

impl<'a> Cards<'a> {
    pub fn new(site: &'a Site) -> Self {
        let documents = site.posts.len() + site.pages.len();
        Cards {
            site,
            tag_paths: site.tags.iter().map(Tag::path).collect(),
            prints: (0..documents).map(|_| OnceLock::new()).collect(),
        }
    }

    fn card(&self, document: usize) -> Card<'_> {
        let site = self.site;
        let doc = match document.checked_sub(site.posts.len()) {
            None => &site.posts[document],
            Some(page) => &site.pages[page],
        };
        Card::new(site, &self.tag_paths, doc)
    }

    fn print(&self, document: usize) -> u64 {
        *self.prints[document].get_or_init(|| fingerprint(self.card(document)))
    }

    fn post(&self, post: usize) -> CardRef<'_> {
        CardRef {
            cards: self,
            document: post,
        }
    }

    fn page(&self, page: usize) -> CardRef<'_> {
        CardRef {
            cards: self,
            document: self.site.posts.len() + page,
        }
    }

    fn list(&self, posts: impl Iterator<Item = usize>) -> Vec<CardRef<'_>> {
        posts.map(|post| self.post(post)).collect()
    }
}

/// A document's card: serialised as the card, hashed as its fingerprint.
#[derive(Debug)]
struct CardRef<'a> {
    cards: &'a Cards<'a>,
    document: usize,
}

impl Serialize for CardRef<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.cards.card(self.document).serialize(serializer)
    }
}

impl Hash for CardRef<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.cards.print(self.document).hash(state);
    }
}

/// The fields a post has in every list.
#[derive(Debug, Serialize, Hash)]
struct Card<'a> {
    title: &'a str,
    url: Url<'a>,
    date: Iso,
    date_display: Shown,
    updated: Iso,
    updated_display: Shown,
    reading_time: usize,
    tags: Vec<TagLink<'a>>,
    summary: &'a str,
    has_more: bool,
    draft: bool,
    future: bool,
    lang: &'static str,
    /// Readers' comments shown under the post.
    comment_count: usize,
}

#[derive(Debug, Serialize, Hash)]
struct TagLink<'a> {
    name: &'a str,
    url: Url<'a>,
}

/// An internal URL (see `url::internal`) of a path below the site root,
/// made when serialised; hashed as the path.
#[derive(Debug, Hash)]
struct Url<'a>(Cow<'a, str>);

impl Serialize for Url<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&format_args!("{}{}", url::ROOT, self.0))
    }
}

/// An absolute URL: the site's `base_url` and a path below it; made when
/// serialised.
#[derive(Debug, Hash)]
struct Absolute<'a> {
    base_url: &'a str,
    path: Cow<'a, str>,
}

impl Serialize for Absolute<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&url::absolute(self.base_url, &self.path))
    }
}

/// A date in ISO 8601 (RFC 3339), or null; formatted when serialised.
#[derive(Debug, Hash)]
struct Iso(Option<Date>);

impl Serialize for Iso {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Some(date) => serializer.collect_str(&date.0.to_rfc3339()),
            None => serializer.serialize_none(),
        }
    }
}

/// A date as readers of a language write it ("11. März 2015"), or null;
/// formatted when serialised.
#[derive(Debug, Hash)]
struct Shown(Option<Date>, Language);

impl Serialize for Shown {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Some(date) => serializer.collect_str(&format_date(&date.0, self.1)),
            None => serializer.serialize_none(),
        }
    }
}

impl<'a> Card<'a> {
    fn new(site: &'a Site, tag_paths: &'a [String], doc: &'a Document) -> Self {
        Card {
            title: &doc.front.title,
            url: Url(Cow::Borrowed(&doc.path)),
            date: Iso(doc.date.map(Date)),
            date_display: Shown(doc.date.map(Date), doc.language),
            updated: Iso(doc.front.updated.map(Date)),
            updated_display: Shown(doc.front.updated.map(Date), doc.language),
            reading_time: doc.reading_time(),
            tags: doc
                .tags
                .iter()
                .map(|&t| TagLink {
                    name: &site.tags[t].name,
                    url: Url(Cow::Borrowed(&tag_paths[t])),
                })
                .collect(),
            summary: &doc.rendered.summary,
            has_more: doc.rendered.has_more,
            draft: doc.front.draft,
            future: doc.future,
            lang: doc.language.code(),
            comment_count: doc.comments.count,
        }
    }
}

/// Everything a post or page template knows about its document.
#[derive(Debug, Serialize, Hash)]
struct PageView<'a> {
    #[serde(flatten)]
    card: CardRef<'a>,
    content: HashedAs<&'a str>,
    permalink: Absolute<'a>,
    /// From the front matter or the text: hashed as the document.
    description: HashedAs<&'a str>,
    toc: HashedAs<&'a [TocEntry]>,
    show_toc: bool,
    words: usize,
    categories: &'a [String],
    /// The first of `authors`.
    author: PageAuthor<'a>,
    authors: Vec<authors::PersonView<'a>>,
    image: Option<Image<'a>>,
    extra: HashedAs<&'a serde_json::Map<String, Value>>,
}

#[derive(Debug, Serialize, Hash)]
struct PageAuthor<'a> {
    name: &'a str,
    url: Option<&'a str>,
}

/// The front matter `image`: `url` as written (resolved), and how to
/// show it: `src`, `srcset`, `sizes`, `sources` (other formats, each with
/// `type` and `srcset`), `width` and `height` when it is a picture of the
/// site; otherwise `src` is `url` and the rest empty.
#[derive(Debug, Serialize, Hash)]
struct Image<'a> {
    url: &'a str,
    alt: &'a str,
    credit: Option<&'a str>,
    src: &'a str,
    srcset: &'a str,
    sizes: &'a str,
    sources: &'a [Source],
    width: Option<u32>,
    height: Option<u32>,
}

impl<'a> Image<'a> {
    fn new(image: &'a FrontImage, doc: &'a Document) -> Self {
        let picture = image.picture.as_ref();
        Image {
            url: &image.url,
            alt: doc.front.image_alt.as_deref().unwrap_or_default(),
            credit: doc.front.image_credit.as_deref(),
            src: picture.map_or(&image.url, |p| &p.src),
            srcset: picture.map_or("", |p| &p.srcset),
            sizes: picture.map_or("", |p| &p.sizes),
            sources: picture.map_or(&[], |p| &p.sources),
            width: picture.map(|p| p.width),
            height: picture.map(|p| p.height),
        }
    }
}

impl<'a> PageView<'a> {
    /// The page of `doc`, whose card is `card`.
    fn new(site: &'a Site, card: CardRef<'a>, doc: &'a Document) -> Self {
        let config = &site.config;
        let rendered = &doc.rendered;
        let authors: Vec<authors::PersonView<'a>> = doc
            .authors
            .iter()
            .map(|&a| authors::PersonView::new(site, &site.authors[a]))
            .collect();
        let author = match doc.authors.first().map(|&a| &site.authors[a]) {
            Some(a) => PageAuthor {
                name: &a.name,
                url: a.url.as_deref(),
            },
            None => PageAuthor {
                name: &config.author.name,
                url: config.author.url.as_deref(),
            },
        };
        PageView {
            card,
            content: HashedAs::new(&rendered.html, doc.fingerprint),
            permalink: Absolute {
                base_url: &config.base_url,
                path: Cow::Borrowed(&doc.path),
            },
            description: HashedAs::new(
                doc.front
                    .description
                    .as_deref()
                    .unwrap_or(&rendered.summary_text),
                doc.fingerprint,
            ),
            toc: HashedAs::new(&rendered.toc, doc.fingerprint),
            show_toc: count_toc(&rendered.toc) >= TOC_MIN_HEADINGS
                && rendered.words >= TOC_MIN_WORDS,
            words: rendered.words,
            categories: &doc.front.categories,
            author,
            authors,
            image: doc.image.as_ref().map(|image| Image::new(image, doc)),
            extra: HashedAs::new(&doc.front.extra, doc.fingerprint),
        }
    }
}

fn count_toc(toc: &[TocEntry]) -> usize {
    toc.iter().map(|e| 1 + count_toc(&e.children)).sum()
}

#[derive(Debug, Serialize, Hash)]
pub(super) struct Paginator {
    current: usize,
    total: usize,
    previous_url: Option<String>,
    next_url: Option<String>,
    first_url: String,
    last_url: String,
}

/// Page `page` (0-based) of `total` of the list whose first page is at
/// `base`.
pub(super) fn paginator(base: &str, page: usize, total: usize) -> Paginator {
    Paginator {
        current: page + 1,
        total,
        previous_url: (page > 0).then(|| url::internal(&list_path(base, page - 1))),
        next_url: (page + 1 < total).then(|| url::internal(&list_path(base, page + 1))),
        first_url: url::internal(base),
        last_url: url::internal(&list_path(base, total - 1)),
    }
}

/// A tag in the list of tags.
#[derive(Debug, Serialize, Hash)]
struct TagView<'a> {
    name: &'a str,
    slug: &'a str,
    url: Url<'a>,
    count: usize,
}

/// The tag of a tag page, with its feeds, if they are written.
#[derive(Debug, Serialize, Hash)]
struct TagPage<'a> {
    #[serde(flatten)]
    tag: TagView<'a>,
    atom_url: Option<String>,
    rss_url: Option<String>,
    json_url: Option<String>,
}

/// One year of the archive.
#[derive(Debug, Serialize, Hash)]
struct Year<'a> {
    year: i32,
    posts: Vec<ArchiveEntry<'a>>,
}

#[derive(Debug, Serialize, Hash)]
struct ArchiveEntry<'a> {
    title: &'a str,
    url: Url<'a>,
    date: Iso,
    date_display: Shown,
}

/// Posts grouped by year, newest first; undated posts count as year 0.
fn archive_years(site: &Site) -> Vec<Year<'_>> {
    let mut years: Vec<Year<'_>> = Vec::new();
    for p in &site.posts {
        let year = p.date.map_or(0, |d| d.year());
        let entry = ArchiveEntry {
            title: &p.front.title,
            url: Url(Cow::Borrowed(&p.path)),
            date: Iso(p.date.map(Date)),
            date_display: Shown(p.date.map(Date), p.language),
        };
        match years.last_mut() {
            Some(last) if last.year == year => last.posts.push(entry),
            _ => years.push(Year {
                year,
                posts: vec![entry],
            }),
        }
    }
    years
}

/// `search`: what the search page needs besides the shared data.
#[derive(Debug, Serialize, Hash)]
struct SearchView {
    /// echt's search script, the one `<script src>` the audit allows,
    /// on this page alone.
    script_url: Url<'static>,
}

/// What the privacy page states: facts the audit makes true, since a
/// build that would break them fails. The rules every page carries itself
/// (`page_rules`) are kept apart from those only server headers give
/// (`server_rules`), which hold only where the host sends them: a page
/// cannot know where it is served from.
#[derive(Debug, Serialize, Hash)]
struct PrivacyView<'a> {
    allow_hosts: &'a [String],
    allow_redirects: &'a [String],
    own_scripts: bool,
    /// With `search: true`: the search page and the policy it alone
    /// carries, which lets echt's search script run.
    search_url: Option<String>,
    search_policy: Option<String>,
    page_rules: Vec<PageRule>,
    server_rules: Vec<ServerRule>,
    headers: Vec<Header>,
    page_budget: String,
    /// Whether the site shows readers' comments or asks for replies.
    comments: bool,
    /// Where replies go (echt.yaml's `comments.email`).
    comments_email: Option<&'a str>,
    /// The pictures published with their metadata
    /// (`privacy.keep_metadata`).
    keep_metadata: Vec<KeptFile<'a>>,
}

/// A file published as it is, metadata (and perhaps where it was taken)
/// and all.
#[derive(Debug, Serialize, Hash)]
struct KeptFile<'a> {
    /// The path below the site root, as echt.yaml names it.
    source: &'a str,
    /// Where it is published (below the site's URL), when the site
    /// publishes it.
    path: Option<&'a str>,
    url: Option<Url<'a>>,
}

impl<'a> KeptFile<'a> {
    /// Each file of `privacy.keep_metadata`, with its published URL.
    fn all(site: &'a Site) -> Vec<KeptFile<'a>> {
        let root = &site.config.root;
        let is =
            |from: &Path, kept: &str| from.strip_prefix(root).is_ok_and(|f| f == Path::new(kept));
        site.config
            .privacy
            .keep_metadata
            .iter()
            .map(|kept| {
                let published = site
                    .static_files
                    .iter()
                    .find(|(_, from)| is(from, kept))
                    .map(|(to, _)| to)
                    .or_else(|| site.files.iter().find(|f| is(&f.from, kept)).map(|f| &f.to))
                    .or_else(|| {
                        // A picture of `content/`, published by the image stage.
                        site.picture_files
                            .iter()
                            .find(|(_, file)| file.as_path() == Path::new(kept))
                            .map(|(to, _)| to)
                    });
                KeptFile {
                    source: kept,
                    path: published.map(String::as_str),
                    url: published.map(|to| Url(Cow::Borrowed(to.as_str()))),
                }
            })
            .collect()
    }
}

/// A rule every page carries in a `<meta>`.
#[derive(Debug, Serialize, Hash)]
struct PageRule {
    name: &'static str,
    element: &'static str,
    value: String,
}

/// What a server header adds to the pages' own rules.
#[derive(Debug, Serialize, Hash)]
struct ServerRule {
    name: &'static str,
    value: String,
    /// Directives added to the page's own policy, rather than a header
    /// with no `<meta>` form.
    addition: bool,
}

#[derive(Debug, Serialize, Hash)]
struct Header {
    name: &'static str,
    value: String,
}

impl<'a> PrivacyView<'a> {
    fn new(site: &'a Site) -> Self {
        let privacy = &site.config.privacy;
        let headers = audit::headers::headers(&site.config);
        // The `<meta>`s the audit puts at the start of every page's head.
        let page_policy = audit::headers::content_security_policy(
            &privacy.allow_hosts,
            privacy.own_scripts,
            false,
        );
        // What the headers add: the directives a `<meta>` cannot carry,
        // and the headers that have no `<meta>` form at all.
        let in_page: Vec<&str> = page_policy.split("; ").collect();
        let server_rules = headers
            .iter()
            .filter_map(|(name, value)| match *name {
                "Content-Security-Policy" => {
                    let added: Vec<&str> =
                        value.split("; ").filter(|d| !in_page.contains(d)).collect();
                    (!added.is_empty()).then(|| ServerRule {
                        name,
                        value: added.join("; "),
                        addition: true,
                    })
                }
                "Referrer-Policy" => None,
                _ => Some(ServerRule {
                    name,
                    value: value.clone(),
                    addition: false,
                }),
            })
            .collect();
        let page_rules = vec![
            PageRule {
                name: "Content-Security-Policy",
                element: "<meta http-equiv=\"Content-Security-Policy\">",
                value: page_policy,
            },
            PageRule {
                name: "Referrer-Policy",
                element: "<meta name=\"referrer\">",
                value: "no-referrer".to_string(),
            },
        ];
        PrivacyView {
            allow_hosts: &privacy.allow_hosts,
            allow_redirects: &privacy.allow_redirects,
            own_scripts: privacy.own_scripts,
            search_url: site
                .config
                .search
                .then(|| url::internal(i18n::search_path(site.config.language))),
            search_policy: site
                .config
                .search
                .then(|| audit::headers::search_policy(&privacy.allow_hosts, false)),
            page_rules,
            server_rules,
            headers: headers
                .into_iter()
                .map(|(name, value)| Header { name, value })
                .collect(),
            page_budget: audit::kilobytes(site.config.page_budget),
            comments: site.config.comments_email.is_some()
                || site.posts.iter().any(|p| p.comments.count > 0),
            comments_email: site.config.comments_email.as_deref(),
            keep_metadata: KeptFile::all(site),
        }
    }
}

impl<'a> PageContext<'a> {
    /// The context of the page `job` writes to `file`.
    pub fn new(
        site: &'a Site,
        outputs: &Outputs<'_>,
        cards: &'a Cards<'a>,
        job: &Job,
        file: &str,
    ) -> Self {
        let per_page = site.config.posts_per_page;
        let path = job.path(site);
        let not_found = matches!(job, Job::NotFound);
        let view = match *job {
            Job::Home { page } => View::Home {
                posts: cards.list(list_range(site.posts.len(), page, per_page)),
                paginator: paginator("", page, page_count(site.posts.len(), per_page)),
            },
            Job::Post(i) => {
                let neighbour = |j: usize| {
                    let p = &site.posts[j];
                    Link {
                        title: &p.front.title,
                        url: Url(Cow::Borrowed(&p.path)),
                    }
                };
                View::Post {
                    page: PageView::new(site, cards.post(i), &site.posts[i]),
                    // Posts are newest first: the previous (older) post
                    // comes after.
                    previous: (i + 1 < site.posts.len()).then(|| neighbour(i + 1)),
                    next: (i > 0).then(|| neighbour(i - 1)),
                    comments: comments::CommentsView::new(
                        &site.config,
                        &site.posts[i],
                        crate::render::feed::comments_file(&site.posts[i]),
                    ),
                    share: share::links(
                        &site.config.share,
                        &site.posts[i].front.title,
                        &url::absolute(&site.config.base_url, &site.posts[i].path),
                        i18n::strings(site.config.language),
                    ),
                    series: series::series_box(site, i),
                    related: series::related(site, i),
                }
            }
            Job::Page(i) => View::Page {
                page: PageView::new(site, cards.page(i), &site.pages[i]),
            },
            Job::Tags => View::Tags {
                tags: site
                    .tags
                    .iter()
                    .map(|t| TagView {
                        name: &t.name,
                        slug: &t.slug,
                        url: Url(Cow::Owned(t.path())),
                        count: t.posts.len(),
                    })
                    .collect(),
            },
            Job::Tag { tag, page } => {
                let t = &site.tags[tag];
                let base = t.path();
                View::Tag {
                    tag: TagPage {
                        tag: TagView {
                            name: &t.name,
                            slug: &t.slug,
                            url: Url(Cow::Owned(base.clone())),
                            count: t.posts.len(),
                        },
                        atom_url: outputs.feed_url(&base, Format::Atom),
                        rss_url: outputs.feed_url(&base, Format::Rss),
                        json_url: outputs.feed_url(&base, Format::Json),
                    },
                    posts: cards.list(
                        t.posts[list_range(t.posts.len(), page, per_page)]
                            .iter()
                            .copied(),
                    ),
                    paginator: paginator(&base, page, page_count(t.posts.len(), per_page)),
                }
            }
            Job::Archive => View::Archive {
                years: archive_years(site),
            },
            Job::Author { author, page } => {
                let person = &site.authors[author];
                let base = person.path(site.config.language);
                View::Author {
                    author: AuthorPage::new(site, outputs, person, &base),
                    posts: cards.list(
                        person.posts[list_range(person.posts.len(), page, per_page)]
                            .iter()
                            .copied(),
                    ),
                    paginator: paginator(&base, page, page_count(person.posts.len(), per_page)),
                }
            }
            Job::SeriesIndex => View::SeriesIndex {
                all_series: series::SeriesView::all(site),
            },
            Job::Series(s) => View::Series {
                series: series::SeriesView::new(site, &site.series[s]),
                posts: cards.list(site.series[s].posts.iter().copied()),
            },
            Job::NotFound => View::NotFound {},
            Job::Search => View::Search {
                search: SearchView {
                    script_url: Url(Cow::Borrowed(i18n::SEARCH_SCRIPT)),
                },
            },
            Job::Privacy { page } => View::Privacy {
                privacy: PrivacyView::new(site),
                page: page.map(|i| PageView::new(site, cards.page(i), &site.pages[i])),
            },
        };
        let meta = page_meta(site, job, (!not_found).then(|| path.clone()));
        PageContext {
            // The 404 page is served at any depth, so its links start at
            // the site root.
            root: if not_found {
                site.config.base_path().to_string()
            } else {
                url::relative_root(file).into_owned()
            },
            lang: job.language(site).code(),
            // The 404 page stands in for pages that do not exist: it has
            // no URL of its own to be canonical or current.
            current_url: (!not_found).then(|| url::internal(&path)),
            canonical: (!not_found).then(|| Absolute {
                base_url: &site.config.base_url,
                path: Cow::Owned(path),
            }),
            meta,
            view,
        }
    }
}

/// The link preview of the page `job` writes at `path` (None for the 404
/// page).
fn page_meta<'a>(site: &'a Site, job: &Job, path: Option<String>) -> meta::Meta<'a> {
    let t = i18n::strings(site.config.language);
    let list = |title: &'a str, description: Option<String>| {
        meta::Meta::list(site, Cow::Borrowed(title), description, path.clone())
    };
    match *job {
        Job::Post(i) => meta::Meta::document(site, &site.posts[i], true),
        Job::Page(i) | Job::Privacy { page: Some(i) } => {
            meta::Meta::document(site, &site.pages[i], false)
        }
        Job::Home { .. } => list(&site.config.title, None),
        Job::Archive => list(t.archive, None),
        Job::Tags => list(t.all_tags, None),
        Job::Tag { tag, .. } => {
            let name = &site.tags[tag].name;
            meta::Meta::list(
                site,
                Cow::Owned(format!("{} {name}", t.posts_tagged)),
                Some(format!("{} {name} – {}", t.posts_tagged, site.config.title)),
                path,
            )
        }
        Job::Author { author, .. } => {
            let name = &site.authors[author].name;
            meta::Meta::list(
                site,
                Cow::Owned(format!("{} {name}", t.posts_by)),
                Some(format!("{} {name} – {}", t.posts_by, site.config.title)),
                path,
            )
        }
        Job::Search => list(t.search, None),
        Job::SeriesIndex => list(t.all_series, None),
        Job::Series(s) => {
            let name = &site.series[s].name;
            meta::Meta::list(
                site,
                Cow::Owned(format!("{} {name}", t.series)),
                Some(format!("{} {name} – {}", t.series, site.config.title)),
                path,
            )
        }
        Job::Privacy { page: None } => list(t.privacy, None),
        Job::NotFound => list(t.not_found_title, None),
    }
}

#[cfg(test)]
mod tests;
