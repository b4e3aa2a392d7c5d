//! Front matter fields every kind of document shares: dates, authors,
//! images, aliases, and the keys echt does not know.

use super::*;

/// Fields posts, pages and collection documents share.
pub(super) fn common_fields(cx: &Context<'_>, doc: &OldDoc, fm: &mut Mapping, report: &mut Report) {
    if !doc.defaulted.is_empty() {
        let keys = doc.defaulted.join("`, `");
        let why = format!("front matter from `defaults:` in _config.yml: `{keys}`");
        report.add(Level::Changed, &doc.rel, 1, 1, why);
    }
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
pub(super) fn extras(doc: &OldDoc, fm: &mut Mapping, report: &mut Report) {
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
pub(super) fn image(doc: &OldDoc, fm: &mut Mapping) {
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
pub(super) fn author(
    cx: &Context<'_>,
    doc: &OldDoc,
    report: &mut Report,
) -> Option<Vec<(Value, Value)>> {
    let written = doc
        .front
        .get("author")
        .or_else(|| doc.front.get("authors"))?;
    if let Value::Mapping(map) = written {
        let get = |k: &str| map.get(k).and_then(crate::source::yaml::scalar_string);
        let mut author = Mapping::new();
        author.insert("name".into(), get("name")?.into());
        if let Some(url) = get("url").or_else(|| get("uri")) {
            author.insert("url".into(), url.into());
        }
        return Some(vec![("author".into(), Value::Mapping(author))]);
    }
    let keys = author_keys(cx, written);
    let people: Vec<(&str, Option<&Person>)> = keys
        .iter()
        .map(|k| (k.as_str(), cx.site.person(k)))
        .collect();
    let names: Vec<&str> = people
        .iter()
        .map(|(k, p)| p.map_or(*k, |p| p.name.as_str()))
        .collect();
    let and = if cx.language == Language::De {
        " und "
    } else {
        " and "
    };
    let joined = names.join(and);
    if people.iter().any(|(_, p)| p.is_some()) {
        let line = key_line(doc, "author").max(key_line(doc, "authors"));
        let why = format!("author `{}` → `{joined}`", keys.join(", "));
        report.add(Level::Changed, &doc.rel, line, 1, why);
    }
    let [(_, Some(person))] = people.as_slice() else {
        return Some(vec![("author".into(), joined.into())]);
    };
    let mut author = Mapping::new();
    author.insert("name".into(), person.name.clone().into());
    if let Some(url) = &person.url {
        author.insert("url".into(), url.clone().into());
    }
    let mut fields = vec![("author".into(), Value::Mapping(author))];
    if let Some(bio) = &person.bio {
        fields.push(("author_bio".into(), bio.clone().into()));
    }
    Some(fields)
}

/// The author keys of `author:`: a list, or one key; a name with spaces
/// that is no key stays one name.
fn author_keys(cx: &Context<'_>, written: &Value) -> Vec<String> {
    let keys = front::word_list(Some(written));
    let one_name = matches!(written, Value::String(_))
        && keys.len() > 1
        && cx.site.person(&keys.join(" ")).is_none();
    if one_name {
        vec![keys.join(" ")]
    } else {
        keys
    }
}
