//! How an old URL keeps answering: the same path, an own permalink, an
//! alias; redirects for list pages and for what plugins made.

use super::*;
pub(super) use crate::import::add_alias;

/// Makes the old URL answer: nothing when echt gives the document the same
/// path, else its own `permalink:`, or an alias where the path cannot be
/// a permalink (an extensionless URL, a space in a category).
pub(super) fn keep_url(
    old: &str,
    echt: Option<&str>,
    doc: &OldDoc,
    fm: &mut Mapping,
    report: &mut Report,
) {
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

pub(super) fn insert_row(report: &mut Report, old: &str, how: String, doc: &OldDoc) {
    report.urls.insert(UrlRow {
        old: old.to_string(),
        how,
        from: doc.rel.clone(),
    });
}

/// A redirect from a list page's old URL to echt's page, unless echt's
/// page is already there.
pub(super) fn redirect_list(
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
pub(super) fn plugin_redirects(
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
