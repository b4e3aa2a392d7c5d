//! The contexts templates see: checked against the theme README's tables,
//! and the archive's and privacy page's data.

use std::collections::{BTreeMap, BTreeSet};

use super::*;
use crate::render::fixture::{self, config, post};
use crate::render::outputs::What;

const README: &str = include_str!("../../../themes/default/README.md");

/// A site with something in every field: three posts (the middle one with
/// an image, a table of contents, an author, categories and `extra`),
/// pages in both menus and a privacy page of its own.
fn full_site() -> fixture::Fixture {
    let long = "## Eins\n\nText.\n\n### Unter\n\nMehr.\n\n## Zwei\n\nText.\n\n## Drei\n\nEnde.";
    fixture::load(&[
        (
            "echt.yaml",
            &config("privacy:\n  keep_metadata: [content/posts/b/bild.svg]\nauthors:\n  max:\n    name: Max\n    url: https://example.org/max/\n    bio: Schreibt *hier*.\n    photo: content/posts/b/bild.svg\nsearch: true\nextra:\n  motto: \"ehrlich\"\n"),
        ),
        (
            "content/posts/a.md",
            &post("title: A\ndate: 2023-05-01\ntags: [Eins]\nseries: Reihe", "Von A."),
        ),
        (
            "content/posts/b/index.md",
            &post(
                "title: B\ndate: 2024-02-01\nupdated: 2024-02-03\ntags: [Eins, Zwei]\nseries: Reihe\nimage: bild.svg\nimage_alt: Ein Bild\nimage_credit: Erika\ncategories: [Arbeit]\nauthor: max\nstimmung: gut",
                long,
            ),
        ),
        ("content/posts/b/bild.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"3\"/>"),
        (
            "content/posts/c.md",
            &post("title: C\ndate: 2024-03-01\ntags: [Zwei]", "Von C."),
        ),
        ("content/ueber.md", &post("title: Über\nmenu: main", "Ich.")),
        (
            "content/impressum.md",
            &post("title: Impressum\nmenu: footer", "Adresse."),
        ),
        ("content/datenschutz.md", &post("title: Datenschutz", "Wir.")),
    ])
}

/// Every page's template and its context, as JSON, with the shared data.
struct Contexts {
    base: Value,
    pages: Vec<(&'static str, Value)>,
    cards: Vec<Value>,
}

fn json(value: impl Serialize) -> Value {
    serde_json::to_value(value).expect("json")
}

fn contexts(f: &fixture::Fixture) -> Contexts {
    let site = &f.site;
    let outputs = Outputs::new(site, &f.theme);
    let options = RenderOptions {
        year: 2024,
        preview: true,
    };
    let cards = Cards::new(site);
    let pages = outputs
        .files
        .iter()
        .filter_map(|file| match &file.what {
            What::Page(job) => {
                let page = PageContext::new(site, &outputs, &cards, job, &file.path);
                Some((job.template(), json(&page)))
            }
            _ => None,
        })
        .collect();
    Contexts {
        base: json(Base::new(site, &outputs, &options)),
        pages,
        cards: (0..site.posts.len()).map(|i| json(cards.post(i))).collect(),
    }
}

/// The dotted names of the fields of `value`: `a.b` for fields of
/// objects, `a[].b` for fields of the objects in a list; names in `stop`
/// are not looked into.
fn keys(value: &Value, prefix: &str, stop: &[&str], out: &mut BTreeSet<String>) {
    let join = |key: &str| {
        if prefix.is_empty() {
            key.to_string()
        } else {
            format!("{prefix}.{key}")
        }
    };
    match value {
        Value::Object(fields) if !stop.contains(&prefix) => {
            for (key, field) in fields {
                keys(field, &join(key), stop, out);
            }
        }
        Value::Array(items)
            if !stop.contains(&prefix) && items.first().is_some_and(Value::is_object) =>
        {
            for item in items {
                keys(item, &format!("{prefix}[]"), stop, out);
            }
        }
        _ => {
            out.insert(prefix.to_string());
        }
    }
}

/// [`keys`] of several values of one kind: a field that is null in one
/// and an object in another counts once, by the object's fields.
fn keys_of<'v>(values: impl IntoIterator<Item = &'v Value>, stop: &[&str]) -> BTreeSet<String> {
    let mut all = BTreeSet::new();
    for value in values {
        keys(value, "", stop, &mut all);
    }
    let nested: Vec<String> = all
        .iter()
        .filter(|key| {
            all.iter()
                .any(|k| k.starts_with(&format!("{key}.")) || k.starts_with(&format!("{key}[]")))
        })
        .cloned()
        .collect();
    for key in nested {
        all.remove(&key);
    }
    all
}

/// The lines of the README below the heading `heading`, up to the next.
fn section(heading: &str) -> Vec<&'static str> {
    let mut lines = README.lines().skip_while(|l| *l != heading);
    assert!(lines.next().is_some(), "the README has no {heading:?}");
    lines.take_while(|l| !l.starts_with('#')).collect()
}

/// The cells of the rows of the table in a section (without its header).
fn rows(heading: &str) -> Vec<Vec<&'static str>> {
    section(heading)
        .into_iter()
        .filter(|l| l.starts_with('|'))
        .skip(2)
        .map(|l| l.trim_matches('|').split('|').map(str::trim).collect())
        .collect()
}

/// What is written in backticks in `text`.
fn quoted(text: &str) -> BTreeSet<String> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// The names in the first column of a section's table.
fn names(heading: &str) -> BTreeSet<String> {
    rows(heading)
        .iter()
        .flat_map(|row| quoted(row[0]))
        .collect()
}

/// The fields every page has besides its view, from the 404 page (which
/// shows nothing else).
fn common(contexts: &Contexts) -> BTreeSet<String> {
    let (_, not_found) = contexts
        .pages
        .iter()
        .find(|(template, _)| *template == "404.html")
        .expect("a 404 page");
    keys_of([not_found], &["meta"])
}

#[test]
fn the_readme_lists_what_every_template_gets() {
    let f = full_site();
    let contexts = contexts(&f);
    let mut all = keys_of([&contexts.base], &["t", "site.extra"]);
    all.extend(common(&contexts));
    assert_eq!(all, names("## Variables every template gets"));
}

#[test]
fn the_readme_lists_what_each_template_gets() {
    let f = full_site();
    let contexts = contexts(&f);
    let common = common(&contexts);
    let mut by_template: BTreeMap<&str, Vec<&Value>> = BTreeMap::new();
    for (template, value) in &contexts.pages {
        by_template.entry(template).or_default().push(value);
    }
    let served: BTreeMap<String, BTreeSet<String>> = by_template
        .into_iter()
        .map(|(template, values)| {
            let own = keys_of(
                values,
                &[
                    "posts",
                    "page",
                    "paginator",
                    "privacy",
                    "meta",
                    "series",
                    "related",
                    "all_series",
                ],
            );
            (template.to_string(), &own - &common)
        })
        .collect();
    let documented: BTreeMap<String, BTreeSet<String>> = rows("## Per template")
        .iter()
        .map(|row| {
            let template = quoted(row[0]).into_iter().next().expect("a template");
            (template, quoted(row[1]))
        })
        .collect();
    assert_eq!(served, documented);
}

#[test]
fn the_readme_lists_the_fields_of_cards_pages_and_paginators() {
    let f = full_site();
    let contexts = contexts(&f);
    let cards = keys_of(&contexts.cards, &[]);
    assert_eq!(cards, names("### A card"));
    let pages = keys_of(
        contexts.pages.iter().filter_map(|(_, v)| v.get("page")),
        &["toc[].children", "extra"],
    );
    assert!(cards.is_subset(&pages));
    assert_eq!(&pages - &cards, names("### A page"));
    let paginators = keys_of(
        contexts
            .pages
            .iter()
            .filter_map(|(_, v)| v.get("paginator")),
        &[],
    );
    assert_eq!(paginators, names("### A paginator"));
    let privacy = keys_of(
        contexts.pages.iter().filter_map(|(_, v)| v.get("privacy")),
        &[],
    );
    let privacy: BTreeSet<String> = privacy.iter().map(|k| format!("privacy.{k}")).collect();
    assert_eq!(privacy, names("### The privacy page (`privacy`)"));
    let meta = keys_of(
        contexts.pages.iter().filter_map(|(_, v)| v.get("meta")),
        &[],
    );
    let meta: BTreeSet<String> = meta.iter().map(|k| format!("meta.{k}")).collect();
    assert_eq!(meta, names("### Link previews (`meta`)"));
}

#[test]
fn the_readme_lists_the_fields_of_series_and_related_posts() {
    let f = full_site();
    let contexts = contexts(&f);
    let posts: Vec<&Value> = contexts
        .pages
        .iter()
        .filter(|(template, _)| *template == "post.html")
        .map(|(_, v)| v)
        .collect();
    let boxes: Vec<Value> = posts
        .iter()
        .map(|v| serde_json::json!({"series": v["series"], "related": v["related"]}))
        .collect();
    let boxes = keys_of(&boxes, &[]);
    assert_eq!(
        boxes,
        names("### Series and related posts (`series` and `related` of `post.html`)")
    );
    let series = keys_of(
        contexts
            .pages
            .iter()
            .filter(|(t, _)| *t == "series.html")
            .filter_map(|(_, v)| v.get("series"))
            .chain(
                contexts
                    .pages
                    .iter()
                    .filter_map(|(_, v)| v.get("all_series")?.as_array())
                    .flatten(),
            ),
        &["first", "last"],
    );
    assert_eq!(
        series,
        names("### A series (`series` of `series.html`, `all_series[]` of `series_index.html`)")
    );
    // What the fields say on this site: A and B are a series, B's
    // related post is C (A is its series).
    let b = posts.iter().find(|v| v["page"]["title"] == "B").expect("B");
    assert_eq!(b["series"]["part"], 2);
    assert_eq!(b["series"]["total"], 2);
    assert_eq!(b["series"]["parts"][1]["current"], true);
    assert_eq!(b["related"][0]["title"], "C");
    assert_eq!(b["related"].as_array().map(Vec::len), Some(1));
}

#[test]
fn the_readme_lists_every_ui_string() {
    let f = full_site();
    let contexts = contexts(&f);
    let strings = keys_of([&contexts.base["t"]], &[]);
    let documented: BTreeSet<String> = section("## UI strings (`t`)")
        .join(" ")
        .split('`')
        .skip(1)
        .step_by(2)
        .flat_map(|names| names.split(','))
        .map(|name| name.trim().to_string())
        .filter(|name| !name.is_empty())
        .collect();
    assert_eq!(strings, documented);
}

/// The context of the first page rendered with `template`.
fn context_of<'c>(contexts: &'c Contexts, template: &str) -> &'c Value {
    let (_, value) = contexts
        .pages
        .iter()
        .find(|(t, _)| *t == template)
        .expect("a page");
    value
}

#[test]
fn the_archive_groups_posts_by_year_newest_first() {
    let f = full_site();
    let contexts = contexts(&f);
    let years = &context_of(&contexts, "archive.html")["years"];
    let summary: Vec<(i64, Vec<&str>)> = years
        .as_array()
        .expect("a list")
        .iter()
        .map(|y| {
            let titles = y["posts"].as_array().expect("posts");
            let titles = titles.iter().map(|p| p["title"].as_str().expect("a title"));
            (y["year"].as_i64().expect("a year"), titles.collect())
        })
        .collect();
    assert_eq!(summary, [(2024, vec!["C", "B"]), (2023, vec!["A"])]);
    let a = &years[1]["posts"][0];
    assert_eq!(a["date"], "2023-05-01T00:00:00+00:00");
    assert_eq!(a["date_display"], "1. Mai 2023");
    assert_eq!(a["url"], format!("{}posts/a/", url::ROOT));
}

#[test]
fn the_privacy_page_states_the_rules_and_shows_its_own_text() {
    let f = full_site();
    let contexts = contexts(&f);
    let context = context_of(&contexts, "privacy.html");
    let privacy = &context["privacy"];
    assert_eq!(privacy["own_scripts"], false);
    assert_eq!(privacy["allow_hosts"], serde_json::json!([]));
    assert_eq!(privacy["page_budget"], "512 KB");
    assert_eq!(
        privacy["keep_metadata"],
        serde_json::json!([{
            "source": "content/posts/b/bild.svg",
            "path": "posts/b/bild.svg",
            "url": format!("{}posts/b/bild.svg", url::ROOT),
        }])
    );
    let rules = &privacy["page_rules"];
    assert_eq!(rules[0]["name"], "Content-Security-Policy");
    let policy = rules[0]["value"].as_str().expect("a policy");
    assert!(policy.starts_with("default-src 'self'"), "{policy}");
    assert!(policy.contains("script-src 'none'"), "{policy}");
    assert_eq!(rules[1]["value"], "no-referrer");
    // The server rules leave out what the page carries already.
    let server = privacy["server_rules"].as_array().expect("a list");
    assert!(server.iter().all(|r| r["name"] != "Referrer-Policy"));
    let added = server
        .iter()
        .find(|r| r["name"] == "Content-Security-Policy")
        .expect("directives only a header carries");
    assert_eq!(added["addition"], true);
    for directive in added["value"].as_str().expect("text").split("; ") {
        assert!(!policy.contains(directive), "{directive}");
    }
    assert!(server
        .iter()
        .any(|r| r["name"] == "Permissions-Policy" && r["addition"] == false));
    assert_eq!(context["page"]["title"], "Datenschutz");
    assert_eq!(context["current_url"], format!("{}datenschutz/", url::ROOT));
    assert_eq!(
        contexts.base["site"]["privacy_url"],
        format!("{}datenschutz/", url::ROOT)
    );
}

#[test]
fn links_to_files_the_site_does_not_write_are_null() {
    let f = fixture::load(&[
        (
            "echt.yaml",
            &config("feed:\n  tags: false\nprivacy:\n  page: false\n"),
        ),
        (
            "content/posts/a.md",
            &post("title: A\ndate: 2024-01-01\ntags: [Eins]", "Von A."),
        ),
    ]);
    let contexts = contexts(&f);
    let site = &contexts.base["site"];
    assert_eq!(site["privacy_url"], Value::Null);
    assert_eq!(site["atom_url"], format!("{}atom.xml", url::ROOT));
    assert_eq!(site["archive_url"], format!("{}archiv/", url::ROOT));
    let tag = &context_of(&contexts, "tag.html")["tag"];
    assert_eq!(tag["url"], format!("{}tags/eins/", url::ROOT));
    assert_eq!(tag["atom_url"], Value::Null);
    assert_eq!(tag["rss_url"], Value::Null);
    assert!(contexts.pages.iter().all(|(t, _)| *t != "privacy.html"));
}

#[test]
fn a_privacy_page_without_text_of_its_own_has_no_page() {
    let f = fixture::load(&[("echt.yaml", &config(""))]);
    let contexts = contexts(&f);
    let context = context_of(&contexts, "privacy.html");
    assert!(context.get("page").is_none(), "{context}");
    // With no posts, the home page still has its one page.
    let home = context_of(&contexts, "index.html");
    assert_eq!(home["posts"], serde_json::json!([]));
    assert_eq!(home["paginator"]["total"], 1);
}
