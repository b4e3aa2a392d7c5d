//! Who wrote each post: the people of echt.yaml (the site's `author` and
//! the entries of `authors`) and the guests a post names by itself; each
//! person's bio rendered, photo resolved and posts listed, and whether
//! they get a page of their own.
//!
//! A post's `author: max` names the entry `max` of `authors` (or a person
//! by their exact name). Once a site has `authors`, a bare name that is
//! neither is an error listing the keys, because a typo would otherwise
//! quietly become a new person; a guest is written as a map,
//! `author: {name: …}`. Without `authors`, a bare name stays a plain name,
//! as it always was.
//!
//! A person of echt.yaml who wrote a published post gets a page (listing
//! the posts, with the bio and photo) when more than one person of
//! echt.yaml wrote the site's posts (guests do not count), or when they
//! have a bio or a photo to show: a blog with
//! one author and nothing about them would only repeat its home page.
//! Feeds per person only when several people write: one person's feed is
//! the site's.

use crate::markdown::picture::{Display, Responsive};
use crate::markdown::{self, Links};
use crate::source::config::{Author, Config, CONFIG_FILE};
use crate::source::frontmatter;
use crate::source::yaml::locate::{self, Step};
use crate::util::error::Diagnostic;
use crate::util::i18n::Language;
use crate::util::slug::slugify;
use crate::util::url;

use super::{link_key, Around, Document};

/// How wide a photo is shown, in CSS pixels (the default theme's box).
pub const PHOTO_WIDTH: u32 = 96;

/// Someone who wrote here.
#[derive(Debug, Clone)]
pub struct Person {
    /// Their key in echt.yaml's `authors` (or the slug of their name): the
    /// last part of their page's URL.
    pub key: String,
    pub name: String,
    pub email: Option<String>,
    pub url: Option<String>,
    /// From echt.yaml, not a guest that a post names by itself.
    pub known: bool,
    /// The site's author: posts without `author` are theirs.
    pub main: bool,
    /// The bio as HTML (internal links with the root marker).
    pub bio: Option<String>,
    pub photo: Option<Photo>,
    /// Indices into [`super::Site::posts`], newest first.
    pub posts: Vec<usize>,
    /// Whether they have a page (see the module's doc).
    pub page: bool,
    /// Whether their page has feeds.
    pub feeds: bool,
}

impl Person {
    /// Their page's path below the site root: `autoren/max/`.
    pub fn path(&self, language: Language) -> String {
        format!("{}{}/", crate::util::i18n::authors_path(language), self.key)
    }
}

/// A person's photo as pages show it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Photo {
    /// The file (internal URL, with the root marker).
    pub url: String,
    /// Its versions, when it is a picture of `content/`; a photo from
    /// `static/` is shown as it is.
    pub picture: Option<Responsive>,
}

/// The people of the site, with each document's `authors` set; problems
/// (bios, photos, names that are no one's) go to `errors`.
pub(super) fn people(
    around: &Around<'_>,
    posts: &mut [Document],
    pages: &mut [Document],
    errors: &mut Vec<Diagnostic>,
) -> Vec<Person> {
    let config = around.config;
    let (mut people, site_author) = known(around, errors);
    let known_count = people.len();
    for (p, doc) in posts.iter_mut().enumerate() {
        doc.authors = of_document(config, doc, &mut people, known_count, site_author, errors);
        for &a in &doc.authors {
            people[a].posts.push(p);
        }
    }
    for doc in pages.iter_mut() {
        doc.authors = of_document(config, doc, &mut people, known_count, site_author, errors);
    }
    // Guests do not count: a guest post makes no blog one of several
    // people.
    let writers = people
        .iter()
        .filter(|p| p.known && !p.posts.is_empty())
        .count();
    for person in &mut people {
        person.page = person.known
            && !person.posts.is_empty()
            && (writers > 1 || person.bio.is_some() || person.photo.is_some());
        person.feeds = person.page && writers > 1 && config.feed.authors;
    }
    people
}

/// The people of echt.yaml, and which of them is the site's author: the
/// entry of `authors` with the same name, or the site's `author` itself.
fn known(around: &Around<'_>, errors: &mut Vec<Diagnostic>) -> (Vec<Person>, usize) {
    let config = around.config;
    let mut people: Vec<Person> = config
        .authors
        .iter()
        .map(|(key, author)| {
            let at = [Step::key("authors"), Step::key(key)];
            person(around, key.clone(), author, &at, errors)
        })
        .collect();
    let site = &config.author;
    let site_author = match config.authors.iter().position(|(_, a)| a.name == site.name) {
        Some(i) => {
            // The entry is the person; what it leaves out, `author` says.
            let entry = &mut people[i];
            entry.email = entry.email.take().or_else(|| site.email.clone());
            entry.url = entry.url.take().or_else(|| site.url.clone());
            if entry.bio.is_none() && entry.photo.is_none() {
                let own = person(
                    around,
                    entry.key.clone(),
                    site,
                    &[Step::key("author")],
                    errors,
                );
                entry.bio = own.bio;
                entry.photo = own.photo;
            }
            i
        }
        None => {
            let key = match slugify(&site.name) {
                key if key.is_empty() => "autor".to_string(),
                key => key,
            };
            if config.authors.iter().any(|(k, _)| *k == key) {
                // Two people on one page: say so where it can be fixed.
                errors.push(at_node(
                    config,
                    &[Step::key("authors"), Step::key(&key), Step::key("name")],
                    Diagnostic::file(
                        CONFIG_FILE,
                        format!(
                            "the site's author `{}` has the page of the key `{key}`, whose name differs",
                            site.name
                        ),
                    )
                    .hint("if this is the site's author, write the same name as in `author`; otherwise choose another key"),
                ));
            }
            people.push(person(around, key, site, &[Step::key("author")], errors));
            people.len() - 1
        }
    };
    people[site_author].main = true;
    (people, site_author)
}

/// One person of echt.yaml, written at `at`, with bio and photo made.
fn person(
    around: &Around<'_>,
    key: String,
    author: &Author,
    at: &[Step],
    errors: &mut Vec<Diagnostic>,
) -> Person {
    let config = around.config;
    let field = |name: &str| {
        let mut path = at.to_vec();
        path.push(Step::key(name));
        path
    };
    let bio = author.bio.as_deref().and_then(|bio| {
        bio_html(around, bio)
            .map_err(|problems| {
                errors.extend(
                    problems
                        .into_iter()
                        .map(|d| at_node(config, &field("bio"), d)),
                );
            })
            .ok()
    });
    let photo = author.photo.as_deref().and_then(|file| {
        photo(around, file)
            .map_err(|d| errors.push(at_node(config, &field("photo"), d)))
            .ok()
    });
    Person {
        key,
        name: author.name.clone(),
        email: author.email.clone(),
        url: author.url.clone(),
        known: true,
        main: false,
        bio,
        photo,
        posts: Vec::new(),
        page: false,
        feeds: false,
    }
}

/// A bio's Markdown as HTML; its links resolve like a post's at the root.
fn bio_html(around: &Around<'_>, bio: &str) -> Result<String, Vec<Diagnostic>> {
    let config = around.config;
    let links = Links::new(around.links);
    let input = markdown::Input {
        path: std::path::Path::new(CONFIG_FILE),
        source: bio,
        body_offset: 0,
        page_path: "",
        source_dir: "",
        links: &links,
        language: config.language,
        heading_ids: config.heading_ids,
    };
    markdown::render_bio(&input)
}

/// The site paths of the photos of `content/` that echt.yaml names: a
/// picture there that cannot be used is reported at the photo, not again
/// as a picture nobody shows.
pub(super) fn photo_paths<'l>(
    config: &Config,
    links: &'l std::collections::HashMap<String, String>,
) -> Vec<&'l str> {
    std::iter::once(&config.author)
        .chain(config.authors.iter().map(|(_, a)| a))
        .filter_map(|a| a.photo.as_deref()?.strip_prefix("content/"))
        .filter_map(|rel| links.get(&link_key(rel)).map(String::as_str))
        .collect()
}

/// A photo's file (`static/…` or `content/…`, checked by the config) as
/// pages show it.
fn photo(around: &Around<'_>, file: &str) -> Result<Photo, Diagnostic> {
    let config = around.config;
    if let Some(site_path) = file.strip_prefix("static/") {
        return Ok(Photo {
            url: url::internal(site_path),
            picture: None,
        });
    }
    let rel = file.strip_prefix("content/").unwrap_or(file);
    let Some(site_path) = around.links.get(&link_key(rel)) else {
        return Err(Diagnostic::file(
            CONFIG_FILE,
            format!("the photo `{file}` is not published (it belongs to a draft or is no file of the site)"),
        ));
    };
    let picture = match around.images.get(site_path) {
        None => None,
        Some(Ok(picture)) => Some(Responsive::new(
            picture,
            Display::Width(PHOTO_WIDTH),
            &config.images,
        )),
        Some(Err(unusable)) => {
            let d = Diagnostic::file(
                CONFIG_FILE,
                format!("the photo cannot be published: it {}", unusable.message),
            );
            return Err(match &unusable.hint {
                Some(hint) => d.hint(hint.clone()),
                None => d,
            });
        }
    };
    Ok(Photo {
        url: url::internal(site_path),
        picture,
    })
}

/// `d` shown at the value at `path` in echt.yaml.
fn at_node(config: &Config, path: &[Step], d: Diagnostic) -> Diagnostic {
    let source = &config.text;
    let located = match locate::node(source, path) {
        Some(at) => {
            let width = crate::source::yaml::written_width(source, at.offset).max(1);
            Diagnostic::at_offset(CONFIG_FILE, source, at.offset, width, d.message)
        }
        None => Diagnostic::file(CONFIG_FILE, d.message),
    };
    match d.hint {
        Some(hint) => located.hint(hint),
        None => located,
    }
}

/// The people (by index) who wrote `doc`: those its `author` names, or
/// the site's author. Guests are added to `people`.
fn of_document(
    config: &Config,
    doc: &Document,
    people: &mut Vec<Person>,
    known_count: usize,
    site_author: usize,
    errors: &mut Vec<Diagnostic>,
) -> Vec<usize> {
    let mut found = Vec::new();
    for (i, written) in doc.front.authors.iter().enumerate() {
        let known = &people[..known_count];
        let by_key = || {
            known
                .iter()
                .position(|p| written.bare && p.key == written.name)
        };
        let by_name = || {
            known
                .iter()
                .position(|p| written.bare && p.name == written.name)
        };
        let index = match by_key().or_else(by_name) {
            Some(index) => index,
            None if written.bare && !config.authors.is_empty() => {
                errors.push(unknown(config, doc, i, &written.name));
                continue;
            }
            None => guest(people, known_count, written),
        };
        if !found.contains(&index) {
            found.push(index);
        }
    }
    if found.is_empty() && doc.front.authors.is_empty() {
        found.push(site_author);
    }
    found
}

/// The guest `written` names, added to `people` when first met.
fn guest(people: &mut Vec<Person>, known_count: usize, written: &frontmatter::Author) -> usize {
    let same = |p: &Person| p.name == written.name && p.url == written.url;
    if let Some(i) = people[known_count..].iter().position(same) {
        return known_count + i;
    }
    people.push(Person {
        key: slugify(&written.name),
        name: written.name.clone(),
        email: None,
        url: written.url.clone(),
        known: false,
        main: false,
        bio: None,
        photo: None,
        posts: Vec::new(),
        page: false,
        feeds: false,
    });
    people.len() - 1
}

/// A bare `author` that names no one, located where it is written.
fn unknown(config: &Config, doc: &Document, index: usize, name: &str) -> Diagnostic {
    let keys: Vec<String> = config
        .authors
        .iter()
        .map(|(k, _)| format!("`{k}`"))
        .collect();
    frontmatter::list_item_diagnostic(
        &doc.source.display_path(),
        &doc.text,
        "author",
        index,
        format!("`{name}` is no key of `authors` in echt.yaml"),
    )
    .hint(format!(
        "write one of {}, or a guest's name as `author: {{name: \"{name}\"}}`",
        keys.join(", ")
    ))
}
