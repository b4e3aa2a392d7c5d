//! What becomes of each item of the export: posts and pages as bundles in
//! `content/` with echt's front matter, the URL WordPress gave each one
//! and how it keeps answering (the site's `permalink:`, the item's own
//! permalink, or an alias), and what is left out and why.
//!
//! Published posts and pages are published; drafts, pending, private and
//! future items become drafts; a password-protected item is a draft
//! whatever its status, so that its text is never published in the clear;
//! trash is left out.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::Datelike as _;
use serde_yaml::{Mapping, Value};

use crate::import::report::{Level, Report, UrlRow};
use crate::import::wordpress::wxr::{Export, Item, Kind, MenuItem, Status};
use crate::import::{add_alias, format_date, strings};
use crate::source::permalink::{Permalink, Values};
use crate::util::i18n::Language;
use crate::util::slug::slugify;

/// Where the export's lines are named in the report.
pub const EXPORT: &str = "export";

/// One post or page of the new site.
#[derive(Debug, Clone)]
pub struct NewDoc {
    /// Index into [`Export::items`].
    pub item: usize,
    /// The bundle below `content/`: `posts/beet-anlegen`, `ueber-uns/team`.
    pub dir: String,
    pub front: Mapping,
    pub post: bool,
    /// Whether it is published (not a draft).
    pub published: bool,
    /// Its path in the new site (`2025/04/beet-anlegen/`).
    pub path: String,
}

/// The new site, decided.
#[derive(Debug, Clone)]
pub struct Plan {
    pub docs: Vec<NewDoc>,
    /// echt.yaml's `permalink:`; None for echt's default.
    pub permalink: Option<String>,
    pub language: Language,
    /// The blog's address with a trailing slash (`https://garten.example.org/`).
    pub base_url: String,
    /// The path the blog lives under on its host (`/`, `/blog/`).
    pub base_path: String,
    /// The hosts of the blog's own files (its address, `base_blog_url`),
    /// with the port where one is named.
    pub hosts: Vec<String>,
}

/// Decides the new site.
pub fn plan(export: &Export, report: &mut Report) -> Plan {
    let language = language(export, report);
    let base_url = base_url(export, report);
    let base_path = url::Url::parse(&base_url)
        .map(|u| u.path().to_string())
        .unwrap_or_else(|_| "/".into());
    let hosts = hosts(export);
    let permalink = site_pattern(export, &base_url);
    let pattern = permalink
        .as_deref()
        .and_then(|p| Permalink::parse(p).ok())
        .unwrap_or_default();
    let mut cx = Context {
        export,
        base_url: &base_url,
        pattern,
        taken: BTreeSet::new(),
        tag_spelling: BTreeMap::new(),
        menu: menu_pages(export, report),
    };
    let mut docs = Vec::new();
    for (index, item) in export.items.iter().enumerate() {
        match item.kind {
            Kind::Post | Kind::Page if item.status == Status::Trash => {
                report.add(
                    Level::Changed,
                    EXPORT,
                    item.line,
                    1,
                    format!("“{}” was in the trash: left out", title(item)),
                );
            }
            Kind::Post => docs.push(cx.post(index, item, report)),
            Kind::Page => docs.push(cx.page(index, item, report)),
            Kind::Attachment | Kind::NavMenuItem => {}
            Kind::Other(ref kind) => {
                report.add(
                    Level::Review,
                    EXPORT,
                    item.line,
                    1,
                    format!(
                        "“{}” is a `{kind}`, which echt has no place for: left out",
                        title(item)
                    ),
                );
            }
        }
    }
    for doc in &docs {
        let item = &export.items[doc.item];
        let c = &mut report.counts;
        if doc.post {
            c.posts += 1;
            c.drafts += usize::from(!doc.published);
        } else {
            c.pages += 1;
        }
        if item.is_protected() {
            report.add(Level::Review, EXPORT, item.line, 1, format!("“{}” was protected by a password: it is a draft, so that its text is never published in the clear", title(item)));
        }
    }
    Plan {
        docs,
        permalink,
        language,
        base_url,
        base_path,
        hosts,
    }
}

/// What planning one item needs to know about the rest.
struct Context<'a> {
    export: &'a Export,
    base_url: &'a str,
    pattern: Permalink,
    /// Bundles already taken.
    taken: BTreeSet<String>,
    /// The first spelling of each tag (by echt's slug).
    tag_spelling: BTreeMap<String, String>,
    /// Pages in the blog's navigation menu, in its order.
    menu: Vec<u64>,
}

impl Context<'_> {
    fn post(&mut self, index: usize, item: &Item, report: &mut Report) -> NewDoc {
        let slug = echt_slug(item);
        let dir = self.unique(format!("posts/{slug}"));
        let name = dir.rsplit('/').next().unwrap_or(&slug).to_string();
        let mut fm = self.common(item, report);
        let published = published(item);
        let tags = self.tags(item);
        if !tags.is_empty() {
            fm.insert("tags".into(), strings(&tags));
        }
        if item.sticky {
            fm.insert("pinned".into(), true.into());
            report.add(Level::Review, EXPORT, item.line, 1, format!("“{}” was sticky: echt lists posts by date, so it says `pinned: true` for a template that shows it first (as `page.extra.pinned`)", title(item)));
        }
        let path = self.pattern.expand(&Values {
            date: item.date,
            slug: &name,
            name: &name,
            categories: &[],
        });
        let path = path.trim_start_matches('/').to_string();
        let mut doc = NewDoc {
            item: index,
            dir,
            front: fm,
            post: true,
            published,
            path,
        };
        if published {
            let with_old_slug = self.pattern.expand(&Values {
                date: item.date,
                slug: &item.slug,
                name: &item.slug,
                categories: &[],
            });
            let with_old_slug = with_old_slug.trim_start_matches('/').to_string();
            self.keep_url(item, &mut doc, &with_old_slug, report);
        }
        doc
    }

    fn page(&mut self, index: usize, item: &Item, report: &mut Report) -> NewDoc {
        let mut segments = vec![echt_slug(item)];
        let mut old_segments = vec![item.slug.clone()];
        let mut parent = item.parent;
        let mut seen = BTreeSet::new();
        while parent != 0 && seen.insert(parent) {
            match self
                .export
                .items
                .iter()
                .find(|i| i.id == parent && i.kind == Kind::Page)
            {
                Some(p) => {
                    segments.push(echt_slug(p));
                    old_segments.push(p.slug.clone());
                    parent = p.parent;
                }
                None => break,
            }
        }
        segments.reverse();
        old_segments.reverse();
        let dir = self.unique(segments.join("/"));
        let mut fm = self.common(item, report);
        if let Some(at) = self.menu.iter().position(|&id| id == item.id) {
            fm.insert("menu".into(), "main".into());
            fm.insert("weight".into(), Value::from(at as u64 + 1));
        }
        let published = published(item);
        let mut doc = NewDoc {
            item: index,
            path: format!("{dir}/"),
            dir,
            front: fm,
            post: false,
            published,
        };
        if published {
            let with_old_slugs = format!("{}/", old_segments.join("/"));
            self.keep_url(item, &mut doc, &with_old_slugs, report);
        }
        doc
    }

    /// Title, date, author, summary and draft, for posts and pages alike.
    fn common(&self, item: &Item, report: &mut Report) -> Mapping {
        let mut fm = Mapping::new();
        fm.insert("title".into(), title(item).into());
        match item.date {
            Some(date) => {
                fm.insert("date".into(), format_date(&date).into());
            }
            None => report.add(
                Level::Review,
                EXPORT,
                item.line,
                1,
                format!(
                    "“{}” has no date: echt dates it when it is built; give it `date:`",
                    title(item)
                ),
            ),
        }
        if let Some(author) = self
            .export
            .site
            .authors
            .iter()
            .find(|a| a.login == item.creator)
        {
            let name = if author.display_name.trim().is_empty() {
                author.login.clone()
            } else {
                author.display_name.trim().to_string()
            };
            let mut person = Mapping::new();
            person.insert("name".into(), name.into());
            fm.insert("author".into(), Value::Mapping(person));
        }
        let excerpt = plain(&item.excerpt);
        if !excerpt.is_empty() {
            fm.insert("summary".into(), excerpt.into());
        }
        if !published(item) {
            fm.insert("draft".into(), true.into());
            let was = match &item.status {
                Status::Draft => "a draft",
                Status::Pending => "waiting for review",
                Status::Private => "private",
                Status::Future => "scheduled",
                _ => "protected by a password",
            };
            if !item.is_protected() {
                report.add(
                    Level::Changed,
                    EXPORT,
                    item.line,
                    1,
                    format!("“{}” was {was}: it is a draft", title(item)),
                );
            }
        }
        fm
    }

    /// Categories and tags, as echt's tags: one spelling per tag across
    /// the site, WordPress's default category left out.
    fn tags(&mut self, item: &Item) -> Vec<String> {
        let mut tags: Vec<String> = Vec::new();
        let categories: Vec<String> = item
            .terms_in("category")
            .filter(|t| t.nicename != "uncategorized")
            .flat_map(|t| self.with_ancestors(&t.nicename, &t.name))
            .collect();
        let names = categories
            .into_iter()
            .chain(item.terms_in("post_tag").map(|t| t.name.clone()));
        for name in names {
            let name = htmlize::unescape(name.trim()).into_owned();
            let slug = slugify(&name);
            if slug.is_empty() {
                continue;
            }
            let spelled = self
                .tag_spelling
                .entry(slug.clone())
                .or_insert(name)
                .clone();
            if !tags.iter().any(|t| slugify(t) == slug) {
                tags.push(spelled);
            }
        }
        tags
    }

    /// A category's name and those of the categories above it: WordPress
    /// lists a post in a child category in its parent's archive too, and
    /// echt's tag page is where that archive's URL leads.
    fn with_ancestors(&self, slug: &str, name: &str) -> Vec<String> {
        let all = &self.export.site.categories;
        let mut names = vec![name.to_string()];
        let mut parent = all
            .iter()
            .find(|c| c.slug == slug)
            .map(|c| c.parent.clone())
            .unwrap_or_default();
        let mut seen = BTreeSet::new();
        while !parent.is_empty() && seen.insert(parent.clone()) {
            let Some(up) = all.iter().find(|c| c.slug == parent) else {
                break;
            };
            names.push(up.name.clone());
            parent = up.parent.clone();
        }
        names
    }

    /// Makes the item's old URL answer: nothing when echt gives it the
    /// same path, an alias when only slugs changed (echt's slugs are
    /// lowercase ASCII; `with_old_slugs` is the new path with WordPress's
    /// slugs), else its own `permalink:`, or an alias where the path
    /// cannot be one.
    fn keep_url(&self, item: &Item, doc: &mut NewDoc, with_old_slugs: &str, report: &mut Report) {
        // A link with a query (`/?p=12`, plain permalinks) answers
        // through the host files' rules (`urls`).
        let Some(old) = old_path(&item.link, self.base_url) else {
            return;
        };
        let decoded = crate::util::url::percent_decode_lossy(&old);
        let want = decoded.trim_start_matches('/');
        let how = if want == doc.path {
            "kept".to_string()
        } else if (!item.slug.is_empty() && with_old_slugs == want) || !permalink_safe(want) {
            add_alias(&mut doc.front, &old);
            format!("alias → `/{}`", doc.path)
        } else {
            doc.front
                .insert("permalink".into(), format!("/{want}").into());
            doc.path = want.to_string();
            "kept (own `permalink:`)".to_string()
        };
        report.urls.insert(UrlRow {
            old,
            how,
            from: format!("{EXPORT}:{}", item.line),
        });
    }

    /// `dir`, or `dir-2`, `dir-3`, … when taken.
    fn unique(&mut self, dir: String) -> String {
        let mut candidate = dir.clone();
        let mut n = 2;
        while !self.taken.insert(candidate.clone()) {
            candidate = format!("{dir}-{n}");
            n += 1;
        }
        candidate
    }
}

/// `p` for posts, `page_id` for pages: WordPress's query for an item.
pub fn query_key(post: bool) -> &'static str {
    if post {
        "p"
    } else {
        "page_id"
    }
}

fn published(item: &Item) -> bool {
    item.status == Status::Publish && !item.is_protected()
}

/// The title as readers saw it (entities decoded), or one made from the
/// slug.
pub fn title(item: &Item) -> String {
    let title = htmlize::unescape(item.title.trim()).into_owned();
    if !title.is_empty() {
        return title;
    }
    if item.slug.is_empty() {
        format!("#{}", item.id)
    } else {
        item.slug.replace('-', " ")
    }
}

/// echt's slug for an item: its WordPress slug (percent-decoded) in
/// echt's rules, else its title's, else its id.
fn echt_slug(item: &Item) -> String {
    let from_slug = slugify(&item.slug);
    if !from_slug.is_empty() {
        return from_slug;
    }
    let from_title = slugify(&title(item));
    if from_title.is_empty() {
        format!("{}", item.id)
    } else {
        from_title
    }
}

/// Text of some HTML (an excerpt): tags removed, entities decoded.
fn plain(html: &str) -> String {
    htmlize::unescape(crate::import::html::text(html).trim()).into_owned()
}

/// What a permalink may hold: a path of plain segments, ending in `/` or
/// `.html`.
fn permalink_safe(path: &str) -> bool {
    (path.ends_with('/') || path.ends_with(".html"))
        && Permalink::parse(&format!("/{path}")).is_ok_and(|p| !p.needs_date())
        && !path.contains(':')
}

/// The path of an item's `<link>` below the blog's address, as written
/// (percent-encoded): `/2025/04/beet/`. None for a link elsewhere or
/// one with a query (`/?p=12`).
pub fn old_path(link: &str, base_url: &str) -> Option<String> {
    let link = link.trim();
    let base = base_url.trim_end_matches('/');
    let rest = strip_origin(link, base)?;
    if rest.contains(['?', '#']) || rest.is_empty() || rest == "/" {
        return None;
    }
    let rest = if rest.starts_with('/') {
        rest.to_string()
    } else {
        format!("/{rest}")
    };
    Some(rest)
}

/// `link` without `base` in front, `http`/`https` and `www.` aside.
fn strip_origin<'l>(link: &'l str, base: &str) -> Option<&'l str> {
    let bare = |u: &str| -> String {
        let u = u
            .strip_prefix("https://")
            .or_else(|| u.strip_prefix("http://"))
            .unwrap_or(u);
        u.strip_prefix("www.").unwrap_or(u).to_ascii_lowercase()
    };
    let scheme_len = if link.starts_with("https://") {
        8
    } else if link.starts_with("http://") {
        7
    } else {
        return None;
    };
    let www = if link[scheme_len..].starts_with("www.") {
        4
    } else {
        0
    };
    let base = bare(base);
    let after = link.get(scheme_len + www..)?;
    (after.get(..base.len())?.to_ascii_lowercase() == base).then(|| &after[base.len()..])
}

/// The pattern most published posts' old URLs follow, in echt's terms
/// (`/:year/:month/:slug/`); None when that is echt's default or no
/// pattern fits most of them.
fn site_pattern(export: &Export, base_url: &str) -> Option<String> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    let mut total = 0;
    for item in &export.items {
        if item.kind != Kind::Post || !published(item) {
            continue;
        }
        let Some(old) = old_path(&item.link, base_url) else {
            continue;
        };
        total += 1;
        if let Some(pattern) = pattern_of(item, &old) {
            *counts.entry(pattern).or_default() += 1;
        }
    }
    let (pattern, n) = counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))?;
    (n * 2 > total && pattern != "/posts/:slug/").then_some(pattern)
}

/// One post's old path as a pattern: its date's parts and its slug as
/// placeholders.
fn pattern_of(item: &Item, old: &str) -> Option<String> {
    let decoded = crate::util::url::percent_decode_lossy(old);
    let date = item.date?;
    let (path, ending) = match decoded.strip_suffix(".html") {
        Some(p) => (p.to_string(), ".html"),
        None => (decoded.trim_end_matches('/').to_string(), "/"),
    };
    let slug = item.slug.as_str();
    let mut out = String::new();
    let mut has_slug = false;
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        out.push('/');
        let part = if segment == format!("{:04}", date.year()) {
            ":year"
        } else if segment == format!("{:02}", date.month()) {
            ":month"
        } else if segment == format!("{:02}", date.day()) {
            ":day"
        } else if !slug.is_empty() && segment == slug {
            has_slug = true;
            ":slug"
        } else {
            segment
        };
        out.push_str(part);
    }
    out.push_str(ending);
    (has_slug && Permalink::parse(&out).is_ok()).then_some(out)
}

/// The blog's language, as echt knows it.
fn language(export: &Export, report: &mut Report) -> Language {
    let written = export.site.language.trim();
    let code = written
        .split(['_', '-'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    Language::from_code(&code).unwrap_or_else(|| {
        let why = if written.is_empty() {
            "the export names no language: the site is taken as English".to_string()
        } else {
            format!("echt has no words for the language `{written}`: the site is taken as English")
        };
        report.add(Level::Review, EXPORT, 0, 0, why);
        Language::En
    })
}

/// The blog's address with a trailing slash.
fn base_url(export: &Export, report: &mut Report) -> String {
    let written = [&export.site.link, &export.site.base_blog_url]
        .into_iter()
        .map(|s| s.trim().trim_end_matches('/'))
        .find(|s| s.starts_with("http://") || s.starts_with("https://"));
    match written {
        Some(url) => format!("{url}/"),
        None => {
            report.add(Level::Review, EXPORT, 0, 0, "the export has no address for the blog: echt.yaml's `base_url` is https://example.org/, put the blog's address there".into());
            "https://example.org/".into()
        }
    }
}

/// The hosts of the blog's own files, lower case.
fn hosts(export: &Export) -> Vec<String> {
    let mut hosts: Vec<String> = [&export.site.link, &export.site.base_blog_url]
        .into_iter()
        .filter_map(|u| url::Url::parse(u.trim()).ok())
        .filter_map(|u| {
            let host = u.host_str()?.to_ascii_lowercase();
            Some(match u.port() {
                Some(port) => format!("{host}:{port}"),
                None => host,
            })
        })
        .collect();
    hosts.sort();
    hosts.dedup();
    hosts
}

/// The pages the navigation menu links to, in the menu's order (the
/// first menu when there are several); its other entries (sub-entries,
/// categories, links elsewhere) are listed in the report.
fn menu_pages(export: &Export, report: &mut Report) -> Vec<u64> {
    let mut entries: Vec<(usize, MenuItem)> = export
        .items
        .iter()
        .filter_map(|i| i.menu_item().map(|m| (i.line, m)))
        .collect();
    let Some(first) = entries.iter().map(|(_, e)| e.menu.clone()).min() else {
        return Vec::new();
    };
    entries.retain(|(_, e)| e.menu == first);
    entries.sort_by_key(|(_, e)| e.order);
    let is_page = |id: u64| {
        export
            .items
            .iter()
            .any(|i| i.id == id && i.kind == Kind::Page && published(i))
    };
    let mut pages = Vec::new();
    for (line, entry) in entries {
        if entry.target_kind == "post_type" && entry.parent == 0 && is_page(entry.target_id) {
            pages.push(entry.target_id);
            continue;
        }
        let what = if entry.parent != 0 {
            "a sub-entry, and echt's menu has one level"
        } else if entry.target_kind == "custom" {
            "a link, and echt's menu lists pages"
        } else {
            "not a published page"
        };
        let title = if entry.title.trim().is_empty() {
            export
                .items
                .iter()
                .find(|i| i.id == entry.target_id && entry.target_kind == "post_type")
                .map(title)
                .unwrap_or_default()
        } else {
            entry.title.clone()
        };
        let name = if entry.url.is_empty() {
            title
        } else {
            format!("{title} ({})", entry.url)
        };
        report.add(Level::Review, EXPORT, line, 1, format!("the menu entry “{name}” is {what}: not in the new menu; add it to a template if it should stay"));
    }
    pages
}
