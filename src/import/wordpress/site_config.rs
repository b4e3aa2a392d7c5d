//! echt.yaml from the export's channel: the blog's title, tagline,
//! address and language, the permalink pattern its posts follow, and the
//! redirects of its archives and feeds.

use std::collections::BTreeMap;

use serde_yaml::{Mapping, Value};

use crate::import::report::{Level, Report};
use crate::import::wordpress::plan::{Plan, EXPORT};
use crate::import::wordpress::urls::Redirects;
use crate::import::wordpress::wxr::Export;
use crate::util::i18n::Language;

/// The text of echt.yaml.
pub fn echt_yaml(
    export: &Export,
    plan: &Plan,
    redirects: &Redirects,
    report: &mut Report,
) -> String {
    let site = &export.site;
    let mut yaml = Mapping::new();
    let title = htmlize::unescape(site.title.trim()).into_owned();
    let title = if title.is_empty() {
        report.add(
            Level::Review,
            EXPORT,
            0,
            0,
            "the export has no title: echt.yaml says `My blog`".into(),
        );
        "My blog".to_string()
    } else {
        title
    };
    yaml.insert("title".into(), title.into());
    let tagline = htmlize::unescape(site.description.trim()).into_owned();
    if !tagline.is_empty() {
        yaml.insert("description".into(), tagline.into());
    }
    yaml.insert("base_url".into(), plan.base_url.clone().into());
    yaml.insert("language".into(), plan.language.code().into());
    if let Some(name) = main_author(export, plan) {
        let mut author = Mapping::new();
        author.insert("name".into(), name.into());
        yaml.insert("author".into(), Value::Mapping(author));
    }
    if let Some(permalink) = &plan.permalink {
        yaml.insert("permalink".into(), permalink.clone().into());
    }
    let all: BTreeMap<&String, &String> = redirects.pages.iter().chain(&redirects.feeds).collect();
    if !all.is_empty() {
        let list = all
            .into_iter()
            .map(|(from, to)| {
                let mut m = Mapping::new();
                m.insert("from".into(), from.clone().into());
                m.insert("to".into(), to.clone().into());
                Value::Mapping(m)
            })
            .collect();
        yaml.insert("redirects".into(), Value::Sequence(list));
    }
    report.add(
        Level::Review,
        EXPORT,
        0,
        0,
        "readers can answer by e-mail once echt.yaml says where: `comments: {email: …}`".into(),
    );
    let header = match plan.language {
        Language::De => {
            "# Aus dem WordPress-Export übernommen (echt import wordpress); siehe IMPORT.md.\n"
        }
        Language::En => {
            "# Made from the WordPress export (echt import wordpress); see IMPORT.md.\n"
        }
    };
    let body = serde_yaml::to_string(&Value::Mapping(yaml)).unwrap_or_default();
    format!("{header}{body}")
}

/// The display name of whoever wrote most published posts.
fn main_author(export: &Export, plan: &Plan) -> Option<String> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for doc in plan.docs.iter().filter(|d| d.post && d.published) {
        *counts
            .entry(export.items[doc.item].creator.as_str())
            .or_default() += 1;
    }
    let login = counts
        .into_iter()
        .max_by_key(|(login, n)| (*n, std::cmp::Reverse(*login)))?
        .0;
    let author = export.site.authors.iter().find(|a| a.login == login)?;
    let name = author.display_name.trim();
    Some(if name.is_empty() {
        author.login.clone()
    } else {
        name.to_string()
    })
}
