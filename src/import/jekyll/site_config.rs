//! echt.yaml from `_config.yml`: what has an equivalent is carried over,
//! what has none is named in the report.

use serde_yaml::{Mapping, Value};

use crate::import::jekyll::config::{line_of_key, Person};
use crate::import::jekyll::plan::Plan;
use crate::import::jekyll::read::OldSite;
use crate::import::report::{Level, Report};
use crate::util::i18n::Language;

/// The heading ids echt writes for a site whose `kramdown: input:` is
/// `input`: the GFM parser (Jekyll's default) and classic kramdown.
pub fn heading_ids(input: &str) -> &'static str {
    if input.eq_ignore_ascii_case("kramdown") {
        "kramdown-classic"
    } else {
        "kramdown"
    }
}

/// The text of echt.yaml.
pub fn echt_yaml(site: &OldSite, plan: &Plan, report: &mut Report) -> String {
    let config = &site.config;
    let mut yaml = Mapping::new();
    let title = config.title.clone().unwrap_or_else(|| {
        let why = "no `title`: echt.yaml says `My blog`".to_string();
        report.add(Level::Review, "_config.yml", 0, 0, why);
        "My blog".into()
    });
    yaml.insert("title".into(), title.into());
    if let Some(description) = &config.description {
        yaml.insert("description".into(), description.clone().into());
    }
    yaml.insert("base_url".into(), base_url(site, report).into());
    yaml.insert("language".into(), plan.language.code().into());
    let mut extra = Mapping::new();
    if let Some(person) = site_author(site, report) {
        yaml.insert("author".into(), author(&person));
        if let Some(bio) = &person.bio {
            extra.insert("author_bio".into(), bio.clone().into());
            let why = "echt's author has no bio: it is in echt.yaml's `extra.author_bio`, for a template to show";
            let line = line_of_key(&site.config_text, "author");
            report.add(Level::Review, "_config.yml", line, 1, why.into());
        }
    }
    if let Some(per_page) = config.paginate {
        yaml.insert("posts_per_page".into(), (per_page as u64).into());
    }
    if let Some(permalink) = &plan.permalink {
        yaml.insert("permalink".into(), permalink.clone().into());
    }
    let mut markdown = Mapping::new();
    let ids = heading_ids(&config.kramdown_input);
    markdown.insert("heading_ids".into(), ids.into());
    yaml.insert("markdown".into(), Value::Mapping(markdown));
    if !plan.redirects.is_empty() {
        yaml.insert("redirects".into(), redirects(plan));
    }
    if !extra.is_empty() {
        yaml.insert("extra".into(), Value::Mapping(extra));
    }
    left_over_keys(site, report);
    let header = match plan.language {
        Language::De => {
            "# Aus der Jekyll-Seite übernommen (echt import jekyll); siehe IMPORT.md.\n"
        }
        Language::En => {
            "# Made from the Jekyll site's _config.yml (echt import jekyll); see IMPORT.md.\n"
        }
    };
    let body = serde_yaml::to_string(&Value::Mapping(yaml)).unwrap_or_default();
    format!("{header}{body}")
}

/// `url` + `baseurl`, with a trailing slash.
fn base_url(site: &OldSite, report: &mut Report) -> String {
    let config = &site.config;
    if config.url.is_empty() {
        let why = "no `url`: echt.yaml's `base_url` is https://example.org/, put the site's address there";
        report.add(Level::Review, "_config.yml", 0, 0, why.into());
        return format!("https://example.org{}/", config.baseurl);
    }
    let base_url = format!("{}{}/", config.url, config.baseurl);
    if !config.baseurl.is_empty() {
        let line = line_of_key(&site.config_text, "baseurl");
        let why = format!("`url` and `baseurl` → `base_url: {base_url}`");
        report.add(Level::Changed, "_config.yml", line, 1, why);
    }
    base_url
}

fn author(person: &Person) -> Value {
    let mut author = Mapping::new();
    author.insert("name".into(), person.name.clone().into());
    if let Some(email) = &person.email {
        author.insert("email".into(), email.clone().into());
    }
    if let Some(url) = &person.url {
        author.insert("url".into(), url.clone().into());
    }
    Value::Mapping(author)
}

/// `redirects:` as echt reads them: a list of `from` and `to`.
fn redirects(plan: &Plan) -> Value {
    let pairs = plan.redirects.iter().map(|(from, to)| {
        let mut pair = Mapping::new();
        pair.insert("from".into(), from.clone().into());
        pair.insert("to".into(), to.clone().into());
        Value::Mapping(pair)
    });
    Value::Sequence(pairs.collect())
}

/// The site's author: `author:` as a key of the authors, a name, or a map.
fn site_author(site: &OldSite, report: &mut Report) -> Option<Person> {
    let written = site.config.author.as_ref()?;
    let line = line_of_key(&site.config_text, "author");
    match written {
        Value::Mapping(map) => {
            let get = |k: &str| map.get(k).and_then(crate::source::yaml::scalar_string);
            Some(Person {
                name: get("name")?,
                email: get("email"),
                url: get("url").or_else(|| get("uri")),
                bio: get("bio"),
            })
        }
        value => {
            let key = crate::source::yaml::scalar_string(value)?;
            match site.person(&key) {
                Some(person) => {
                    report.add(
                        Level::Changed,
                        "_config.yml",
                        line,
                        1,
                        format!("author `{key}` → `{}`", person.name),
                    );
                    Some(person.clone())
                }
                None => Some(Person {
                    name: key,
                    ..Person::default()
                }),
            }
        }
    }
}

/// Keys of `_config.yml` that have no equivalent, named in the report.
fn left_over_keys(site: &OldSite, report: &mut Report) {
    for (key, line) in &site.config.unused {
        report.add(
            Level::Review,
            "_config.yml",
            *line,
            1,
            format!("`{key}` has no equivalent in echt and is not carried over"),
        );
    }
    for plugin in &site.config.plugins {
        let known = matches!(
            plugin.as_str(),
            "jekyll-paginate"
                | "jekyll-feed"
                | "jekyll-sitemap"
                | "jekyll-redirect-from"
                | "jekyll-seo-tag"
        );
        if !known {
            report.add(
                Level::Review,
                "_config.yml",
                line_of_key(&site.config_text, "plugins"),
                1,
                format!("the plugin `{plugin}` has no equivalent in echt"),
            );
        }
    }
    let input = &site.config.kramdown_input;
    let line = line_of_key(&site.config_text, "kramdown");
    if let Some(prefix) = &site.config.auto_id_prefix {
        let why = format!("`auto_id_prefix: {prefix}`: echt's heading ids have no prefix, links to `#{prefix}…` from elsewhere no longer find their heading");
        report.add(Level::Review, "_config.yml", line, 1, why);
    }
    let ids = heading_ids(input);
    report.add(Level::Changed, "_config.yml", line, 1, format!("kramdown's input `{input}` → `markdown: heading_ids: {ids}`: headings keep the ids the old site gave them"));
}
