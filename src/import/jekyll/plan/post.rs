//! Posts and drafts: their file, front matter, tags, date, and how
//! their old URL keeps answering.

use super::*;

/// What Jekyll knew of a post besides its text.
pub(super) struct PostFacts {
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

pub(super) fn plan_post(
    cx: &mut Context<'_>,
    i: usize,
    doc: &OldDoc,
    report: &mut Report,
) -> Option<NewDoc> {
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
pub(super) fn post_file(cx: &mut Context<'_>, doc: &OldDoc) -> String {
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
pub(super) fn post_tags(
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
pub(super) fn keep_post_url(
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
pub(super) fn post_date(
    cx: &Context<'_>,
    doc: &OldDoc,
    report: &mut Report,
) -> Option<DateTime<FixedOffset>> {
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
