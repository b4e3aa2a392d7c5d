//! What becomes of each document: its file in the new site, its front
//! matter in echt's keys, the URL Jekyll gave it and how that URL keeps
//! answering (the site's pattern, its own permalink, an alias, or a
//! redirect for the list pages echt makes its own way).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, FixedOffset};
use chrono_tz::Tz;
use serde_yaml::{Mapping, Value};

use crate::import::jekyll::config::{line_of_key, Person};
use crate::import::jekyll::content::Markup;
use crate::import::jekyll::front::{self, format_date};
use crate::import::jekyll::read::{DocKind, OldDoc, OldSite};
use crate::import::jekyll::report::{Level, Report, UrlRow};
use crate::import::jekyll::url::{self, Doc, EchtPost, Kind};
use crate::util::i18n::Language;
use crate::util::slug::slugify;

/// One document of the new site.
#[derive(Debug, Clone)]
pub struct NewDoc {
    /// Index into [`OldSite::docs`].
    pub old: usize,
    /// Below `content/`: `posts/2014-07-07-titel.md`, `impressum.md`.
    pub rel: String,
    pub front: Mapping,
    pub markup: Markup,
    pub excerpt_separator: Option<String>,
}

/// The new site, decided.
#[derive(Debug, Clone)]
pub struct Plan {
    pub docs: Vec<NewDoc>,
    /// Old path → new path, for list pages (echt.yaml `redirects:`).
    pub redirects: BTreeMap<String, String>,
    /// echt.yaml `permalink:`; None for echt's default.
    pub permalink: Option<String>,
    pub zone: Tz,
    pub language: Language,
}

/// Everything a document's planning needs to know about the site.
struct Context<'a> {
    site: &'a OldSite,
    zone: Tz,
    language: Language,
    /// echt.yaml's `permalink:`.
    setting: Option<String>,
    /// Content paths already taken.
    taken: BTreeSet<String>,
    /// Which pages are in the header navigation (`header_pages`).
    header_pages: Vec<String>,
    /// The first spelling of each tag (by echt's slug): echt wants one
    /// spelling per tag across the site.
    tag_spelling: BTreeMap<String, String>,
}

/// The site's time zone: `timezone:`, else UTC (what GitHub Pages builds
/// in), with a note.
pub fn zone(site: &OldSite, report: &mut Report) -> Tz {
    let line = line_of_key(&site.config_text, "timezone");
    match site.config.timezone.as_deref().map(str::parse::<Tz>) {
        Some(Ok(zone)) => zone,
        Some(Err(_)) => {
            let name = site.config.timezone.clone().unwrap_or_default();
            report.add(
                Level::Review,
                "_config.yml",
                line,
                1,
                format!("unknown time zone `{name}`; dates are read as UTC"),
            );
            Tz::UTC
        }
        None => {
            report.add(Level::Review, "_config.yml", 0, 0, "no `timezone`: Jekyll used the build machine's zone; dates are read as UTC (as on GitHub Pages), check a post's URL if the old site was built elsewhere".into());
            Tz::UTC
        }
    }
}

/// The language of the site: `lang`/`locale` (`de_DE` → de); English
/// when missing or one echt has no words for.
pub fn language(site: &OldSite, report: &mut Report) -> Language {
    let written = site.config.lang.clone().unwrap_or_default();
    let code = written
        .split(['_', '-'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    match Language::from_code(&code) {
        Some(language) => language,
        None => {
            let why = if written.is_empty() {
                "no `lang` or `locale`: the site is taken as English".to_string()
            } else {
                format!(
                    "echt has no words for the language `{written}`: the site is taken as English"
                )
            };
            report.add(Level::Review, "_config.yml", 0, 0, why);
            Language::En
        }
    }
}

/// Decides every document of `site`.
pub fn plan(site: &OldSite, report: &mut Report) -> Plan {
    let zone = zone(site, report);
    let language = language(site, report);
    let setting = url::echt_setting(site.config.post_permalink());
    if setting.is_none() {
        report.add(
            Level::Review,
            "_config.yml",
            line_of_key(&site.config_text, "permalink"),
            1,
            format!("echt cannot follow the permalink `{}`: every post gets its own `permalink:`, new posts go to /posts/<slug>/", site.config.post_permalink()),
        );
    }
    let mut context = Context {
        site,
        zone,
        language,
        setting: setting.clone(),
        taken: BTreeSet::new(),
        header_pages: header_pages(site),
        tag_spelling: BTreeMap::new(),
    };
    let mut plan = Plan {
        docs: Vec::new(),
        redirects: BTreeMap::new(),
        permalink: setting,
        zone,
        language,
    };
    let mut posts = 0;
    for (i, doc) in site.docs.iter().enumerate() {
        let planned = match &doc.kind {
            DocKind::Post | DocKind::Draft => plan_post(&mut context, i, doc, report),
            DocKind::Page => plan_page(&mut context, i, doc, report, &mut plan.redirects),
            DocKind::Collection(label) => plan_collection(&mut context, i, doc, label, report),
        };
        if let Some(planned) = planned {
            if doc.kind == DocKind::Post && planned.front.get("draft") != Some(&Value::Bool(true)) {
                posts += 1;
            }
            plan.docs.push(planned);
        }
    }
    plugin_redirects(site, language, posts, &mut plan.redirects, report);
    plan
}

/// The pages of `header_pages` (minima's navigation).
fn header_pages(site: &OldSite) -> Vec<String> {
    let Ok(serde_yaml::Value::Mapping(map)) = serde_yaml::from_str::<Value>(&site.config_text)
    else {
        return Vec::new();
    };
    front::word_list(map.get("header_pages"))
}

/// The line of `key` in a document's front matter, in the file.
fn key_line(doc: &OldDoc, key: &str) -> usize {
    if doc.front.contains_key(key) {
        line_of_key(&doc.yaml, key) + 1
    } else {
        1
    }
}

/// What Jekyll knew of a post besides its text.
struct PostFacts {
    /// The file name after its date (`:title` comes from it).
    basename: String,
    date: Option<DateTime<FixedOffset>>,
    categories: Vec<String>,
    slug: Option<String>,
    draft: bool,
}

impl PostFacts {
    fn of(cx: &Context<'_>, doc: &OldDoc, report: &mut Report) -> PostFacts {
        let name = doc.name.as_ref();
        let published = doc.front.get("published") != Some(&Value::Bool(false));
        PostFacts {
            basename: name.map_or_else(|| doc.stem().to_string(), |n| n.basename.clone()),
            date: post_date(cx, doc, report),
            categories: front::categories(
                name.map_or(&[][..], |n| &n.folder_categories[..]),
                &doc.front,
            ),
            slug: front::text(&doc.front, "slug"),
            draft: doc.kind == DocKind::Draft || !published,
        }
    }
}

/// A line of the report at `key` of a document's front matter.
fn note(report: &mut Report, level: Level, doc: &OldDoc, key: &str, message: String) {
    report.add(level, &doc.rel, key_line(doc, key), 1, message);
}

fn plan_post(cx: &mut Context<'_>, i: usize, doc: &OldDoc, report: &mut Report) -> Option<NewDoc> {
    let facts = PostFacts::of(cx, doc, report);
    let rel = post_file(cx, doc);
    let mut fm = Mapping::new();
    let title = front::text(&doc.front, "title").unwrap_or_else(|| {
        let made = front::titleize(&facts.basename);
        let why = format!("no `title`: `{made}`, from the file name, as Jekyll shows it");
        note(report, Level::Changed, doc, "title", why);
        made
    });
    fm.insert("title".into(), title.into());
    if let Some(date) = &facts.date {
        fm.insert("date".into(), format_date(date).into());
    }
    common_fields(cx, doc, &mut fm, report);
    post_tags(cx, doc, &facts.categories, &mut fm, report);
    if facts.draft {
        fm.insert("draft".into(), true.into());
        let why = if doc.kind == DocKind::Draft {
            "a draft (`_drafts`)"
        } else {
            "`published: false`"
        };
        note(
            report,
            Level::Changed,
            doc,
            "published",
            format!("{why}: `draft: true`"),
        );
    }
    if let Some(slug) = &facts.slug {
        fm.insert("slug".into(), slug.clone().into());
    }
    if !facts.draft {
        keep_post_url(cx, doc, &facts, &rel, &mut fm, report);
    }
    Some(NewDoc {
        old: i,
        rel,
        front: fm,
        markup: doc.markup,
        excerpt_separator: excerpt_separator(cx.site, doc),
    })
}

/// `posts/<the old file name>.md`; a name taken twice (two `_posts`
/// folders) goes into a folder named after the old one.
fn post_file(cx: &mut Context<'_>, doc: &OldDoc) -> String {
    let mut rel = format!("posts/{}.md", doc.stem());
    if cx.taken.contains(&rel) {
        let folder = doc.rel.rsplit('/').nth(1).unwrap_or("more");
        rel = format!("posts/{folder}/{}.md", doc.stem());
    }
    cx.taken.insert(rel.clone());
    rel
}

/// Categories and tags together as tags; categories also as themselves
/// (`:categories` in the permalink reads them).
fn post_tags(
    cx: &mut Context<'_>,
    doc: &OldDoc,
    categories: &[String],
    fm: &mut Mapping,
    report: &mut Report,
) {
    let mut tags: Vec<String> = categories.to_vec();
    tags.extend(front::word_list(
        doc.front.get("tags").or_else(|| doc.front.get("tag")),
    ));
    let tags = spelled_alike(cx, doc, unique_by_slug(tags), report);
    if !tags.is_empty() {
        fm.insert("tags".into(), strings(&tags));
    }
    if !categories.is_empty() {
        fm.insert("categories".into(), strings(categories));
        let key = if doc.front.contains_key("category") {
            "category"
        } else {
            "categories"
        };
        if doc.front.contains_key(key) {
            let why = "categories are kept and also become tags".to_string();
            note(report, Level::Changed, doc, key, why);
        }
    }
}

/// The post's URL under Jekyll and under echt, and what keeps the old one.
fn keep_post_url(
    cx: &Context<'_>,
    doc: &OldDoc,
    facts: &PostFacts,
    rel: &str,
    fm: &mut Mapping,
    report: &mut Report,
) {
    let name = doc.name.as_ref();
    let jdoc = Doc {
        kind: Kind::Post,
        path: name.map_or_else(|| doc.stem().to_string(), |n| n.path.clone()),
        basename: facts.basename.clone(),
        name: name.map_or_else(|| doc.stem().to_string(), |n| n.name.clone()),
        slug: facts.slug.clone(),
        date: facts.date,
        categories: facts.categories.clone(),
        permalink: front::text(&doc.front, "permalink"),
        output_ext: ".html".into(),
    };
    let template = jdoc
        .permalink
        .clone()
        .unwrap_or_else(|| url::post_template(cx.site.config.post_permalink()));
    let stem = rel
        .rsplit('/')
        .next()
        .unwrap_or(rel)
        .trim_end_matches(".md");
    let echt = EchtPost {
        stem,
        slug: facts.slug.as_deref(),
        date: facts.date,
        categories: &facts.categories,
    };
    let setting = cx
        .setting
        .as_deref()
        .unwrap_or(crate::source::permalink::DEFAULT);
    let echt_path = url::echt_post_path(&echt, setting);
    match url::jekyll_url(&jdoc, &template) {
        Ok(old) => keep_url(&old, echt_path.as_deref(), doc, fm, report),
        Err(unknown) => {
            let why = format!(
                "the permalink uses `:{}`, which Jekyll does not know: no old URL to keep",
                unknown.0
            );
            note(report, Level::Review, doc, "permalink", why);
        }
    }
}

/// The date of a post: the front matter's, else the file name's, else
/// (drafts) the file's time.
fn post_date(cx: &Context<'_>, doc: &OldDoc, report: &mut Report) -> Option<DateTime<FixedOffset>> {
    if let Some(written) = front::written(&doc.yaml, "date") {
        match front::read_date(&written, cx.zone) {
            Some(date) => {
                if written.quoted || !written.text.contains('+') && written.text.len() > 10 {
                    report.add(
                        Level::Changed,
                        &doc.rel,
                        key_line(doc, "date"),
                        1,
                        format!(
                            "`date: {}` read as Jekyll reads it: {}",
                            written.text,
                            format_date(&date)
                        ),
                    );
                }
                return Some(date);
            }
            None => report.add(
                Level::Review,
                &doc.rel,
                key_line(doc, "date"),
                1,
                format!(
                    "`date: {}` is not a date Jekyll reads; the file name's date is used",
                    written.text
                ),
            ),
        }
    }
    if let Some(name) = &doc.name {
        return front::file_date(name.date, cx.zone);
    }
    let modified = std::fs::metadata(cx.site.root.join(&doc.rel))
        .and_then(|m| m.modified())
        .ok()?;
    report.add(
        Level::Review,
        &doc.rel,
        1,
        1,
        "a draft without a date: the file's modification time is its date".into(),
    );
    Some(front::instant(modified, cx.zone))
}

/// Fields posts, pages and collection documents share.
fn common_fields(cx: &Context<'_>, doc: &OldDoc, fm: &mut Mapping, report: &mut Report) {
    if let Some(updated) = ["last_modified_at", "updated", "modified"]
        .iter()
        .find_map(|k| front::written(&doc.yaml, k).filter(|_| doc.front.contains_key(*k)))
        .and_then(|w| front::read_date(&w, cx.zone))
    {
        fm.insert("updated".into(), format_date(&updated).into());
    }
    if let Some(author) = author(cx, doc, report) {
        for (k, v) in author {
            fm.insert(k, v);
        }
    }
    for key in ["description"] {
        if let Some(text) = front::text(&doc.front, key) {
            fm.insert(key.into(), text.into());
        }
    }
    if let Some(excerpt) = front::text(&doc.front, "excerpt") {
        fm.insert("summary".into(), excerpt.into());
        report.add(
            Level::Changed,
            &doc.rel,
            key_line(doc, "excerpt"),
            1,
            "`excerpt` → `summary`".into(),
        );
    }
    image(doc, fm);
    let mut aliases = front::word_list(doc.front.get("redirect_from"));
    aliases.extend(front::word_list(doc.front.get("aliases")));
    if !aliases.is_empty() {
        fm.insert("aliases".into(), strings(&aliases));
        if cx.site.config.has_plugin("jekyll-redirect-from") {
            for alias in front::word_list(doc.front.get("redirect_from")) {
                let old = if alias.starts_with('/') {
                    alias
                } else {
                    format!("/{alias}")
                };
                let how = "alias (redirect_from)".to_string();
                report.urls.insert(UrlRow {
                    old,
                    how,
                    from: doc.rel.clone(),
                });
            }
        }
        if doc.front.contains_key("redirect_from") {
            report.add(
                Level::Changed,
                &doc.rel,
                key_line(doc, "redirect_from"),
                1,
                "`redirect_from` → `aliases`".into(),
            );
        }
    }
    if let Some(lang) = front::text(&doc.front, "lang") {
        let code = lang
            .split(['_', '-'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        if Language::from_code(&code).is_some() {
            fm.insert("lang".into(), code.into());
        }
    }
    extras(doc, fm, report);
}

/// Keys echt does not know stay under their names (templates see them as
/// `extra`); keys that would mean something else to echt are renamed.
fn extras(doc: &OldDoc, fm: &mut Mapping, report: &mut Report) {
    const USED: &[&str] = &[
        "title",
        "date",
        "layout",
        "categories",
        "category",
        "tags",
        "tag",
        "published",
        "excerpt",
        "description",
        "image",
        "slug",
        "permalink",
        "redirect_from",
        "aliases",
        "author",
        "authors",
        "lang",
        "last_modified_at",
        "updated",
        "modified",
        "excerpt_separator",
        "render_with_liquid",
    ];
    const ECHT: &[&str] = &[
        "summary",
        "draft",
        "menu",
        "image_alt",
        "image_credit",
        "extra",
    ];
    for (key, value) in &doc.front {
        let Some(key) = key.as_str() else { continue };
        if USED.contains(&key) || fm.contains_key(key) {
            continue;
        }
        if ECHT.contains(&key) {
            let renamed = format!("jekyll_{key}");
            report.add(
                Level::Review,
                &doc.rel,
                key_line(doc, key),
                1,
                format!("`{key}` means something else to echt: kept as `{renamed}`"),
            );
            fm.insert(renamed.into(), value.clone());
        } else {
            fm.insert(key.into(), value.clone());
        }
    }
    if doc.front.contains_key("redirect_to") {
        report.add(
            Level::Review,
            &doc.rel,
            key_line(doc, "redirect_to"),
            1,
            "`redirect_to`: echt has no page that only sends readers elsewhere; kept as a field"
                .into(),
        );
    }
}

/// `image:` as a path, or a map with `path` (and `alt`).
fn image(doc: &OldDoc, fm: &mut Mapping) {
    match doc.front.get("image") {
        Some(Value::Mapping(map)) => {
            let get = |k: &str| map.get(k).and_then(crate::source::yaml::scalar_string);
            if let Some(path) = get("path").or_else(|| get("url")) {
                fm.insert("image".into(), path.into());
            }
            if let Some(alt) = get("alt") {
                fm.insert("image_alt".into(), alt.into());
            }
        }
        Some(value) => {
            if let Some(path) = crate::source::yaml::scalar_string(value) {
                fm.insert("image".into(), path.into());
            }
        }
        None => {}
    }
}

/// `author:` (a key of the site's authors, a name, or a map) as echt's
/// `author`, with the author's bio as `author_bio`.
fn author(cx: &Context<'_>, doc: &OldDoc, report: &mut Report) -> Option<Vec<(Value, Value)>> {
    let line = key_line(doc, "author").max(key_line(doc, "authors"));
    let written = doc
        .front
        .get("author")
        .or_else(|| doc.front.get("authors"))?;
    let keys = match written {
        Value::Mapping(map) => {
            let get = |k: &str| map.get(k).and_then(crate::source::yaml::scalar_string);
            let mut author = Mapping::new();
            author.insert("name".into(), get("name")?.into());
            if let Some(url) = get("url").or_else(|| get("uri")) {
                author.insert("url".into(), url.into());
            }
            return Some(vec![("author".into(), Value::Mapping(author))]);
        }
        other => front::word_list(Some(other)),
    };
    let keys = if matches!(written, Value::String(_))
        && cx.site.person(&keys.join(" ")).is_none()
        && keys.len() > 1
    {
        vec![keys.join(" ")]
    } else {
        keys
    };
    let people: Vec<(String, Option<&Person>)> = keys
        .iter()
        .map(|k| (k.clone(), cx.site.person(k)))
        .collect();
    let names: Vec<String> = people
        .iter()
        .map(|(k, p)| p.map_or_else(|| k.clone(), |p| p.name.clone()))
        .collect();
    let mut fields = Vec::new();
    let joined = names.join(if cx.language == Language::De {
        " und "
    } else {
        " and "
    });
    let found = people.iter().filter(|(_, p)| p.is_some()).count();
    if found > 0 {
        report.add(
            Level::Changed,
            &doc.rel,
            line,
            1,
            format!("author `{}` → `{joined}`", keys.join(", ")),
        );
    }
    match people.as_slice() {
        [(_, Some(person))] => {
            let mut author = Mapping::new();
            author.insert("name".into(), person.name.clone().into());
            if let Some(url) = &person.url {
                author.insert("url".into(), url.clone().into());
            }
            fields.push(("author".into(), Value::Mapping(author)));
            if let Some(bio) = &person.bio {
                fields.push(("author_bio".into(), bio.clone().into()));
            }
        }
        _ => fields.push(("author".into(), joined.into())),
    }
    Some(fields)
}

/// Makes the old URL answer: nothing when echt gives the document the same
/// path, else its own `permalink:`, or an alias where the path cannot be
/// a permalink (an extensionless URL, a space in a category).
fn keep_url(old: &str, echt: Option<&str>, doc: &OldDoc, fm: &mut Mapping, report: &mut Report) {
    let want = url::decoded_path(old);
    let line = key_line(doc, "permalink");
    let page = want.is_empty() || want.ends_with('/') || want.ends_with(".html");
    let (folder, alias) = if page {
        (want.clone(), old.to_string())
    } else if !url::has_extension(&want) {
        (format!("{want}/"), format!("{old}.html"))
    } else {
        report.add(
            Level::Review,
            &doc.rel,
            line,
            1,
            format!("the URL `{old}` is not a page echt can write; it no longer answers"),
        );
        return;
    };
    let how = if echt == Some(folder.as_str()) {
        "kept".to_string()
    } else if url::permalink_safe(&folder) {
        fm.insert("permalink".into(), format!("/{folder}").into());
        "kept (own `permalink:`)".to_string()
    } else {
        let at = echt.map_or_else(|| "its new place".to_string(), |e| format!("`/{e}`"));
        report.add(Level::Changed, &doc.rel, line, 1, format!("the URL `{old}` holds characters a permalink cannot: the page is at {at}, the old URL leads there"));
        add_alias(fm, old);
        return insert_row(report, old, format!("alias → {at}"), doc);
    };
    if !page {
        add_alias(fm, &alias);
        report.add(Level::Changed, &doc.rel, line, 1, format!("the URL `{old}` had no extension: the page is at `/{folder}`, and `{alias}` (which servers find for `{old}`) leads there"));
        return insert_row(report, old, format!("alias → `/{folder}`"), doc);
    }
    insert_row(report, old, how, doc);
}

fn insert_row(report: &mut Report, old: &str, how: String, doc: &OldDoc) {
    report.urls.insert(UrlRow {
        old: old.to_string(),
        how,
        from: doc.rel.clone(),
    });
}

fn add_alias(fm: &mut Mapping, alias: &str) {
    let mut aliases = match fm.remove("aliases") {
        Some(Value::Sequence(items)) => items,
        _ => Vec::new(),
    };
    if !aliases.iter().any(|a| a.as_str() == Some(alias)) {
        aliases.push(alias.into());
    }
    fm.insert("aliases".into(), Value::Sequence(aliases));
}

fn excerpt_separator(site: &OldSite, doc: &OldDoc) -> Option<String> {
    front::text(&doc.front, "excerpt_separator").or_else(|| site.config.excerpt_separator.clone())
}

/// What a page that lists posts becomes: echt makes its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ListPage {
    Home,
    Archive,
    Tags,
}

fn list_page(doc: &OldDoc) -> Option<ListPage> {
    let body = &doc.body;
    if body.contains("paginator.") {
        return Some(ListPage::Home);
    }
    if !body.contains("{% for") && !body.contains("{%- for") {
        return None;
    }
    if body.contains("site.tags") || body.contains("site.categories") {
        Some(ListPage::Tags)
    } else if body.contains("site.posts") {
        Some(ListPage::Archive)
    } else {
        None
    }
}

fn list_target(list: ListPage, language: Language) -> String {
    match list {
        ListPage::Home => "/".into(),
        ListPage::Archive => format!("/{}", crate::util::i18n::archive_path(language)),
        ListPage::Tags => "/tags/".into(),
    }
}

fn plan_page(
    cx: &mut Context<'_>,
    i: usize,
    doc: &OldDoc,
    report: &mut Report,
    redirects: &mut BTreeMap<String, String>,
) -> Option<NewDoc> {
    let html = matches!(doc.ext().as_str(), "md" | "markdown" | "html" | "htm");
    let old = match page_url(cx.site, doc, html) {
        Ok(old) => old,
        Err(unknown) => {
            let why = format!(
                "the permalink uses `:{unknown}`, which Jekyll refuses for pages: not imported"
            );
            note(report, Level::Review, doc, "permalink", why);
            return None;
        }
    };
    if replaced(cx, doc, &old, html, redirects, report) {
        return None;
    }
    let rel = page_file(cx, doc);
    let mut fm = Mapping::new();
    let stem = doc.stem().trim_end_matches('.').to_string();
    fm.insert("title".into(), page_title(doc, &stem, report).into());
    if let Some(date) =
        front::written(&doc.yaml, "date").and_then(|w| front::read_date(&w, cx.zone))
    {
        fm.insert("date".into(), format_date(&date).into());
    }
    if cx.header_pages.iter().any(|p| p == &doc.rel) {
        fm.insert("menu".into(), "main".into());
        let why = "listed in `header_pages`: `menu: main`".to_string();
        report.add(Level::Changed, &doc.rel, 1, 1, why);
    }
    common_fields(cx, doc, &mut fm, report);
    let echt = url::echt_page_path(&rel, None);
    keep_url(&old, Some(&echt), doc, &mut fm, report);
    Some(NewDoc {
        old: i,
        rel,
        front: fm,
        markup: doc.markup,
        excerpt_separator: None,
    })
}

/// A page's URL under Jekyll; Err names a placeholder Jekyll refuses.
fn page_url(site: &OldSite, doc: &OldDoc, html: bool) -> Result<String, String> {
    let ext = doc.ext();
    let stem = doc.stem().trim_end_matches('.').to_string();
    let jdoc = Doc {
        kind: Kind::Page,
        path: doc.rel.rsplit_once('/').map_or("", |(d, _)| d).to_string(),
        basename: stem.clone(),
        name: stem.clone(),
        slug: None,
        date: None,
        categories: Vec::new(),
        permalink: front::text(&doc.front, "permalink"),
        output_ext: if html {
            ".html".into()
        } else {
            format!(".{ext}")
        },
    };
    let template = jdoc.permalink.clone().unwrap_or_else(|| {
        if stem == "index" {
            "/:path/".into()
        } else if !html {
            "/:path/:basename:output_ext".into()
        } else {
            url::add_suffix("/:path/:basename", &site.config.permalink)
        }
    });
    url::jekyll_url(&jdoc, &template).map_err(|unknown| unknown.0)
}

/// Whether echt makes this page its own way (the home page, lists of
/// posts, feeds, the 404 page); its old URL then redirects or is echt's.
fn replaced(
    cx: &Context<'_>,
    doc: &OldDoc,
    old: &str,
    html: bool,
    redirects: &mut BTreeMap<String, String>,
    report: &mut Report,
) -> bool {
    let path = url::decoded_path(old);
    let message = if path.is_empty() {
        let row = UrlRow {
            old: old.to_string(),
            how: "echt's home page".into(),
            from: doc.rel.clone(),
        };
        report.urls.insert(row);
        "the home page: echt writes its own, the text of this page is not imported".to_string()
    } else if let Some(list) = list_page(doc).filter(|_| html) {
        let target = list_target(list, cx.language);
        redirect_list(old, &target, &doc.rel, redirects, report);
        format!(
            "a page that lists posts (Liquid loops): not imported, echt's {target} takes its place"
        )
    } else if matches!(
        path.as_str(),
        "atom.xml" | "rss.xml" | "sitemap.xml" | "robots.txt"
    ) {
        format!("`/{path}` made with Liquid: echt writes its own")
    } else if path == "feed.xml" {
        redirect_list(old, "/atom.xml", &doc.rel, redirects, report);
        "a feed made with Liquid: echt's Atom feed takes its place".to_string()
    } else if !html {
        format!("`/{path}` is made with Liquid: not imported, write it by hand into static/ if it is still needed")
    } else if path == "404.html" {
        let row = UrlRow {
            old: old.to_string(),
            how: "echt's 404 page".into(),
            from: doc.rel.clone(),
        };
        report.urls.insert(row);
        "the 404 page: echt writes its own".to_string()
    } else {
        return false;
    };
    report.add(Level::Review, &doc.rel, 1, 1, message);
    true
}

/// The page's file below `content/`: its old place, as Markdown (not
/// below `posts/`, where echt finds posts).
fn page_file(cx: &mut Context<'_>, doc: &OldDoc) -> String {
    let stem = doc.stem().trim_end_matches('.');
    let mut rel = match doc.rel.rsplit_once('/') {
        Some((dir, _)) => format!("{dir}/{stem}.md"),
        None => format!("{stem}.md"),
    };
    if rel.starts_with("posts/") {
        rel = format!("pages/{rel}");
    }
    if cx.taken.contains(&rel) {
        rel = format!("{}-{}.md", rel.trim_end_matches(".md"), doc.ext());
    }
    cx.taken.insert(rel.clone());
    rel
}

fn page_title(doc: &OldDoc, stem: &str, report: &mut Report) -> String {
    front::text(&doc.front, "title").unwrap_or_else(|| {
        let made = front::titleize(&stem.replace(' ', "-"));
        report.add(
            Level::Review,
            &doc.rel,
            1,
            1,
            format!("no `title`: `{made}`, from the file name"),
        );
        made
    })
}

fn plan_collection(
    cx: &mut Context<'_>,
    i: usize,
    doc: &OldDoc,
    label: &str,
    report: &mut Report,
) -> Option<NewDoc> {
    let inside = doc
        .rel
        .strip_prefix(&format!("_{label}/"))
        .unwrap_or(&doc.rel);
    let inside_stem = inside.rsplit_once('.').map_or(inside, |(s, _)| s);
    let date = front::written(&doc.yaml, "date").and_then(|w| front::read_date(&w, cx.zone));
    let rel = format!("{label}/{inside_stem}.md");
    cx.taken.insert(rel.clone());
    let mut fm = Mapping::new();
    fm.insert("title".into(), page_title(doc, doc.stem(), report).into());
    if let Some(date) = date {
        fm.insert("date".into(), format_date(&date).into());
    }
    common_fields(cx, doc, &mut fm, report);
    // Pages have no tags in echt; templates still see them.
    let mut tags = front::categories(&[], &doc.front);
    tags.extend(front::word_list(doc.front.get("tags")));
    let tags = unique_by_slug(tags);
    if !tags.is_empty() {
        fm.insert("jekyll_tags".into(), strings(&tags));
    }
    match collection_url(cx.site, doc, label, inside_stem, date) {
        Some(Ok(old)) => {
            let echt = url::echt_page_path(&rel, None);
            keep_url(&old, Some(&echt), doc, &mut fm, report);
        }
        Some(Err(unknown)) => {
            let why =
                format!("the collection's permalink uses `:{unknown}`, which Jekyll does not know");
            report.add(Level::Review, &doc.rel, 1, 1, why);
        }
        None => return None,
    }
    let why = format!("a document of the collection `{label}`: an echt page at `content/{rel}`");
    report.add(Level::Changed, &doc.rel, 1, 1, why);
    Some(NewDoc {
        old: i,
        rel,
        front: fm,
        markup: doc.markup,
        excerpt_separator: None,
    })
}

/// A collection document's URL under Jekyll: its own permalink, the
/// collection's, or `/:collection/:path` with the site's suffix.
fn collection_url(
    site: &OldSite,
    doc: &OldDoc,
    label: &str,
    inside_stem: &str,
    date: Option<DateTime<FixedOffset>>,
) -> Option<Result<String, String>> {
    let collection = site.config.collections.iter().find(|c| c.label == label)?;
    let jdoc = Doc {
        kind: Kind::Collection(label.to_string()),
        path: inside_stem.trim_end_matches('.').to_string(),
        basename: doc.stem().to_string(),
        name: doc.stem().to_string(),
        slug: front::text(&doc.front, "slug"),
        date,
        categories: front::categories(&[], &doc.front),
        permalink: front::text(&doc.front, "permalink"),
        output_ext: ".html".into(),
    };
    let template = jdoc.permalink.clone().unwrap_or_else(|| {
        collection
            .permalink
            .clone()
            .unwrap_or_else(|| url::add_suffix("/:collection/:path", &site.config.permalink))
    });
    Some(url::jekyll_url(&jdoc, &template).map_err(|unknown| unknown.0))
}

/// A redirect from a list page's old URL to echt's page, unless echt's
/// page is already there.
fn redirect_list(
    old: &str,
    target: &str,
    from: &str,
    redirects: &mut BTreeMap<String, String>,
    report: &mut Report,
) {
    let path = url::decoded_path(old);
    // An extensionless URL was the file `<url>.html`, which servers find.
    let decoded = if path.is_empty() || path.ends_with('/') || url::has_extension(&path) {
        format!("/{path}")
    } else {
        format!("/{path}.html")
    };
    let how = if decoded == target
        || (decoded.ends_with("/index.html") && decoded.trim_end_matches("index.html") == target)
    {
        "echt's own page".to_string()
    } else {
        redirects.insert(decoded, target.to_string());
        format!("redirect → `{target}`")
    };
    report.urls.insert(UrlRow {
        old: old.to_string(),
        how,
        from: from.to_string(),
    });
}

/// The pages plugins made: jekyll-paginate's `/page2/`…, jekyll-feed's
/// `/feed.xml`, jekyll-sitemap's `/sitemap.xml`.
fn plugin_redirects(
    site: &OldSite,
    language: Language,
    posts: usize,
    redirects: &mut BTreeMap<String, String>,
    report: &mut Report,
) {
    let config = &site.config;
    if let (Some(per_page), true) = (config.paginate, config.has_plugin("jekyll-paginate")) {
        let pages = posts.div_ceil(per_page).max(1);
        for n in 2..=pages {
            let old = format!(
                "/{}/",
                config
                    .paginate_path
                    .replace(":num", &n.to_string())
                    .trim_matches('/')
            );
            let old = old.replace("//", "/");
            redirect_list(
                &old,
                &format!("/page/{n}/"),
                "(jekyll-paginate)",
                redirects,
                report,
            );
        }
        if pages > 1 {
            report.add(Level::Changed, "_config.yml", line_of_key(&site.config_text, "paginate"), 1, format!("`paginate: {per_page}` → `posts_per_page: {per_page}`; the old list pages {}…{} redirect to echt's", config.paginate_path.replace(":num", "2"), config.paginate_path.replace(":num", &pages.to_string())));
        }
    }
    if config.has_plugin("jekyll-feed") && !redirects.contains_key("/feed.xml") {
        redirect_list("/feed.xml", "/atom.xml", "(jekyll-feed)", redirects, report);
        report.add(Level::Review, "_config.yml", line_of_key(&site.config_text, "plugins"), 1, format!("jekyll-feed's `/feed.xml` redirects to `/atom.xml` with an HTML page, which many feed readers do not follow: static/_redirects has a 301 for Netlify and Cloudflare Pages; on nginx add `location = {b}/feed.xml {{ return 301 {b}/atom.xml; }}`", b = config.baseurl));
    }
    if config.has_plugin("jekyll-sitemap") {
        for file in ["/sitemap.xml", "/robots.txt"] {
            report.urls.insert(UrlRow {
                old: file.into(),
                how: "echt's own file".into(),
                from: "(jekyll-sitemap)".into(),
            });
        }
    }
    let _ = language;
}

/// Each tag as it was first spelled in the site (`Team`, not `team`).
fn spelled_alike(
    cx: &mut Context<'_>,
    doc: &OldDoc,
    tags: Vec<String>,
    report: &mut Report,
) -> Vec<String> {
    tags.into_iter()
        .map(|tag| {
            let first = cx
                .tag_spelling
                .entry(slugify(&tag))
                .or_insert_with(|| tag.clone());
            if *first != tag {
                let line = key_line(doc, "tags").max(key_line(doc, "categories"));
                report.add(
                    Level::Changed,
                    &doc.rel,
                    line,
                    1,
                    format!("the tag `{tag}` is spelled `{first}`, as in the posts before"),
                );
            }
            first.clone()
        })
        .collect()
}

/// Tags once each, by the slug echt gives them.
fn unique_by_slug(tags: Vec<String>) -> Vec<String> {
    let mut seen = BTreeSet::new();
    tags.into_iter()
        .filter(|t| !t.trim().is_empty() && seen.insert(slugify(t)))
        .collect()
}

fn strings(items: &[String]) -> Value {
    Value::Sequence(items.iter().map(|s| Value::String(s.clone())).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(rel: &str) -> OldDoc {
        OldDoc {
            rel: rel.into(),
            kind: DocKind::Post,
            front: Mapping::new(),
            yaml: String::new(),
            body: String::new(),
            body_shift: 2,
            markup: Markup::Markdown,
            name: None,
        }
    }

    fn kept(old: &str, echt: &str) -> (Mapping, Report) {
        let mut fm = Mapping::new();
        let mut report = Report::default();
        keep_url(old, Some(echt), &doc("_posts/x.md"), &mut fm, &mut report);
        (fm, report)
    }

    fn field(fm: &Mapping, key: &str) -> String {
        serde_yaml::to_string(&fm.get(key)).unwrap_or_default()
    }

    #[test]
    fn the_same_path_needs_nothing() {
        let (fm, report) = kept(
            "/2019/01/14/teamtreffen.html",
            "2019/01/14/teamtreffen.html",
        );
        assert!(fm.is_empty());
        assert_eq!(
            report.urls.iter().next().map(|r| r.how.as_str()),
            Some("kept")
        );
    }

    #[test]
    fn another_path_gets_its_own_permalink() {
        let (fm, _) = kept("/2019/05/20/%C3%9Cber.html", "posts/ueber/");
        assert_eq!(field(&fm, "permalink"), "/2019/05/20/Über.html\n");
    }

    #[test]
    fn an_extensionless_url_becomes_a_folder_and_an_alias() {
        let (fm, report) = kept("/impressum", "impressum/");
        assert!(fm.get("permalink").is_none());
        assert_eq!(field(&fm, "aliases"), "- /impressum.html\n");
        assert_eq!(report.count(Level::Changed), 1);
        let (fm, _) = kept("/2014/7/7/titel", "posts/titel/");
        assert_eq!(field(&fm, "permalink"), "/2014/7/7/titel/\n");
        assert_eq!(field(&fm, "aliases"), "- /2014/7/7/titel.html\n");
    }

    #[test]
    fn a_path_no_permalink_can_hold_gets_an_alias() {
        let (fm, report) = kept(
            "/community%20call/2020/12/07/x/",
            "community-call/2020/12/07/x/",
        );
        assert!(fm.get("permalink").is_none());
        assert_eq!(field(&fm, "aliases"), "- /community%20call/2020/12/07/x/\n");
        let row = report.urls.iter().next().map(|r| r.how.clone());
        assert_eq!(
            row.as_deref(),
            Some("alias → `/community-call/2020/12/07/x/`")
        );
    }

    #[test]
    fn tags_keep_their_first_spelling() {
        assert_eq!(
            unique_by_slug(vec!["Team".into(), "team".into(), "Über".into()]),
            vec!["Team".to_string(), "Über".to_string()]
        );
    }
}
