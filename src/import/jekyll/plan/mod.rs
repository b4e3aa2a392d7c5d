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
use crate::import::jekyll::url::{self, Doc, EchtPost, Kind};
use crate::import::report::{Level, Report, UrlRow};
use crate::import::strings;
use crate::util::i18n::Language;
use crate::util::slug::slugify;

mod fields;
mod page;
mod post;
mod urls;

use fields::*;
use page::*;
use post::*;
use urls::*;

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
    if doc.defaulted.iter().any(|k| k == key) {
        return 1;
    }
    if doc.front.contains_key(key) {
        line_of_key(&doc.yaml, key) + 1
    } else {
        1
    }
}

/// A line of the report at `key` of a document's front matter.
fn note(report: &mut Report, level: Level, doc: &OldDoc, key: &str, message: String) {
    report.add(level, &doc.rel, key_line(doc, key), 1, message);
}

fn excerpt_separator(site: &OldSite, doc: &OldDoc) -> Option<String> {
    front::text(&doc.front, "excerpt_separator").or_else(|| site.config.excerpt_separator.clone())
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
            defaulted: Vec::new(),
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
