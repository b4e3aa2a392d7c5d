//! echt.yaml from `_config.yml`: what has an equivalent is carried over,
//! what has none is named in the report.

use serde_yaml::{Mapping, Value};

use crate::import::jekyll::config::{line_of_key, Person};
use crate::import::jekyll::plan::Plan;
use crate::import::jekyll::read::OldSite;
use crate::import::jekyll::report::{Level, Report};
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
    let text = &site.config_text;
    let line = |key: &str| line_of_key(text, key);
    let mut yaml = Mapping::new();
    let title = config.title.clone().unwrap_or_else(|| {
        report.add(
            Level::Review,
            "_config.yml",
            0,
            0,
            "no `title`: echt.yaml says `My blog`".into(),
        );
        "My blog".into()
    });
    yaml.insert("title".into(), title.into());
    if let Some(description) = &config.description {
        yaml.insert("description".into(), description.clone().into());
    }
    let base_url = if config.url.is_empty() {
        report.add(Level::Review, "_config.yml", 0, 0, "no `url`: echt.yaml's `base_url` is https://example.org/ — put the site's address there".into());
        format!("https://example.org{}/", config.baseurl)
    } else {
        format!("{}{}/", config.url, config.baseurl)
    };
    if !config.baseurl.is_empty() {
        report.add(
            Level::Changed,
            "_config.yml",
            line("baseurl"),
            1,
            format!("`url` and `baseurl` → `base_url: {base_url}`"),
        );
    }
    yaml.insert("base_url".into(), base_url.into());
    yaml.insert("language".into(), plan.language.code().into());
    let mut extra = Mapping::new();
    if let Some(person) = site_author(site, report) {
        let mut author = Mapping::new();
        author.insert("name".into(), person.name.clone().into());
        if let Some(email) = &person.email {
            author.insert("email".into(), email.clone().into());
        }
        if let Some(url) = &person.url {
            author.insert("url".into(), url.clone().into());
        }
        yaml.insert("author".into(), Value::Mapping(author));
        if let Some(bio) = &person.bio {
            extra.insert("author_bio".into(), bio.clone().into());
            report.add(Level::Review, "_config.yml", line("author"), 1, "echt's author has no bio: it is in echt.yaml's `extra.author_bio`, for a template to show".into());
        }
    }
    if let Some(per_page) = config.paginate {
        yaml.insert("posts_per_page".into(), (per_page as u64).into());
    }
    if let Some(permalink) = &plan.permalink {
        yaml.insert("permalink".into(), permalink.clone().into());
    }
    let mut markdown = Mapping::new();
    markdown.insert(
        "heading_ids".into(),
        heading_ids(&config.kramdown_input).into(),
    );
    yaml.insert("markdown".into(), Value::Mapping(markdown));
    if !plan.redirects.is_empty() {
        let redirects = plan
            .redirects
            .iter()
            .map(|(from, to)| {
                let mut pair = Mapping::new();
                pair.insert("from".into(), from.clone().into());
                pair.insert("to".into(), to.clone().into());
                Value::Mapping(pair)
            })
            .collect();
        yaml.insert("redirects".into(), Value::Sequence(redirects));
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
    format!(
        "{header}{}",
        serde_yaml::to_string(&Value::Mapping(yaml)).unwrap_or_default()
    )
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
    if site.config.has_defaults {
        report.add(
            Level::Review,
            "_config.yml",
            line_of_key(&site.config_text, "defaults"),
            1,
            "front matter `defaults:` are not applied: set what they gave in the posts themselves"
                .into(),
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
    let ids = heading_ids(input);
    report.add(Level::Changed, "_config.yml", line, 1, format!("kramdown's input `{input}` → `markdown: heading_ids: {ids}`: headings keep the ids the old site gave them"));
}
