//! Pages and the documents of collections; the pages that listed posts,
//! which echt makes its own way.

use super::*;

/// What a page that lists posts becomes: echt makes its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ListPage {
    Home,
    Archive,
    Tags,
}

pub(super) fn list_page(doc: &OldDoc) -> Option<ListPage> {
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

pub(super) fn list_target(list: ListPage, language: Language) -> String {
    match list {
        ListPage::Home => "/".into(),
        ListPage::Archive => format!("/{}", crate::util::i18n::archive_path(language)),
        ListPage::Tags => "/tags/".into(),
    }
}

pub(super) fn plan_page(
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
pub(super) fn page_url(site: &OldSite, doc: &OldDoc, html: bool) -> Result<String, String> {
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
pub(super) fn replaced(
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
pub(super) fn page_file(cx: &mut Context<'_>, doc: &OldDoc) -> String {
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

pub(super) fn page_title(doc: &OldDoc, stem: &str, report: &mut Report) -> String {
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

pub(super) fn plan_collection(
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
pub(super) fn collection_url(
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
