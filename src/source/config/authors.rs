//! `author` and `authors` in echt.yaml: who writes the site, each with a
//! short bio and a photo of the site's own.
//!
//! Checked here, once: keys that can be a URL, bios short enough for a box
//! under a post, photos that are files of the site (never another host's,
//! which every reader's browser would ask for). The bio's Markdown is
//! rendered by the site stage, which knows where its links go.

use std::collections::BTreeMap;
use std::path::{Component, Path};

use super::{Author, Place, Problem, RawAuthor};
use crate::source::yaml::locate::Step;
use crate::util::slug::slugify;

/// The longest bio, in characters: a few sentences, not a page.
pub const BIO_LIMIT: usize = 600;

const PHOTO_HINT: &str =
    "name an image file of the site, e.g. `photo: static/lena.jpg` or `photo: content/bilder/lena.jpg`";

/// `author`: the site's author; the site's title when not set.
pub(super) fn site_author(
    raw: Option<RawAuthor>,
    title: &str,
    root: &Path,
) -> Result<Author, Vec<Problem>> {
    match raw {
        Some(raw) => person(raw, root, &[Step::key("author")]),
        None => Ok(Author {
            name: title.to_string(),
            email: None,
            url: None,
            bio: None,
            photo: None,
        }),
    }
}

/// `authors`: one entry per person, by a key that becomes the URL of
/// their page (`autoren/max/`), sorted by key.
pub(super) fn authors(
    raw: Option<BTreeMap<String, RawAuthor>>,
    root: &Path,
) -> Result<Vec<(String, Author)>, Vec<Problem>> {
    let mut people = Vec::new();
    let mut problems = Vec::new();
    for (key, raw) in raw.unwrap_or_default() {
        if slugify(&key) != key {
            problems.push(
                Problem::at_text(
                    "authors",
                    "authors",
                    &key,
                    format!("the author key `{key}` cannot be part of a URL"),
                )
                .hint(
                    "write keys in lower case with digits and hyphens, e.g. `max` or `max-berger`",
                ),
            );
            continue;
        }
        match person(raw, root, &[Step::key("authors"), Step::key(&key)]) {
            Ok(author) => people.push((key, author)),
            Err(mut p) => problems.append(&mut p),
        }
    }
    if problems.is_empty() {
        Ok(people)
    } else {
        Err(problems)
    }
}

/// One person's entry, found at `at` in echt.yaml.
fn person(raw: RawAuthor, root: &Path, at: &[Step]) -> Result<Author, Vec<Problem>> {
    let field = |name: &str| {
        let mut path = at.to_vec();
        path.push(Step::key(name));
        path
    };
    let mut problems = Vec::new();
    let name = raw.name.trim().to_string();
    if name.is_empty() {
        problems.push(Problem {
            at: Place::Node(field("name")),
            message: "the author's name is empty".into(),
            hint: Some("write the name readers know the person by"),
        });
    }
    let bio = raw
        .bio
        .map(|bio| bio.trim().to_string())
        .filter(|bio| !bio.is_empty());
    if let Some(length) = bio.as_ref().map(|bio| bio.chars().count()) {
        if length > BIO_LIMIT {
            problems.push(Problem {
                at: Place::Node(field("bio")),
                message: format!(
                    "the bio has {length} characters; a bio under a post has at most {BIO_LIMIT}"
                ),
                hint: Some("say in a few sentences who writes here; a longer text fits a page of its own, linked from the bio"),
            });
        }
    }
    let photo = match raw.photo.as_deref().map(|p| photo(root, p)) {
        None => None,
        Some(Ok(file)) => Some(file),
        Some(Err(message)) => {
            problems.push(Problem {
                at: Place::Node(field("photo")),
                message,
                hint: Some(PHOTO_HINT),
            });
            None
        }
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Author {
        name,
        email: raw.email,
        url: raw.url,
        bio,
        photo,
    })
}

/// A `photo`, checked: a relative path without `..` to an existing file in
/// `static/` or `content/`, `/`-separated and without `./` steps.
fn photo(root: &Path, written: &str) -> Result<String, String> {
    let entry = written.trim();
    if entry.contains("://") || entry.starts_with("//") || crate::util::url::has_scheme(entry) {
        return Err(format!(
            "the photo `{entry}` is on another host: every reader's browser would ask it for the picture"
        ));
    }
    let mut parts = Vec::new();
    for part in Path::new(entry).components() {
        match part {
            Component::Normal(name) => match name.to_str() {
                Some(name) if !name.contains('\\') => parts.push(name),
                _ => return Err(format!("the photo `{entry}` is not a plain path")),
            },
            Component::CurDir => {}
            _ => {
                return Err(format!(
                    "the photo `{entry}` is not a path below the site's folder"
                ))
            }
        }
    }
    let file = parts.join("/");
    if file.is_empty() {
        return Err("`photo` names no file".to_string());
    }
    if !matches!(parts.first(), Some(&("static" | "content"))) || parts.len() < 2 {
        return Err(format!(
            "the photo `{file}` is not published: only files in static/ and content/ are"
        ));
    }
    if !root.join(&file).is_file() {
        return Err(format!("the photo `{file}` does not exist"));
    }
    Ok(file)
}

#[cfg(test)]
mod tests {
    use crate::source::config::Config;
    use crate::util::error::Result;

    /// A site folder with `static/lena.png` and `content/bilder/max.jpg`.
    fn site() -> std::io::Result<tempfile::TempDir> {
        let dir = tempfile::tempdir()?;
        std::fs::create_dir_all(dir.path().join("static"))?;
        std::fs::create_dir_all(dir.path().join("content/bilder"))?;
        std::fs::write(dir.path().join("static/lena.png"), b"png")?;
        std::fs::write(dir.path().join("content/bilder/max.jpg"), b"jpg")?;
        Ok(dir)
    }

    fn parse(root: &std::path::Path, authors: &str) -> Result<Config> {
        Config::parse(
            root,
            &format!("title: Blog\nbase_url: https://example.org/\n{authors}"),
        )
    }

    /// The first error, as echt prints it.
    fn error(root: &std::path::Path, authors: &str) -> String {
        match parse(root, authors) {
            Ok(_) => String::from("no error"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn authors_are_read_by_key_with_bio_and_photo(
    ) -> std::result::Result<(), Box<dyn std::error::Error>> {
        let dir = site()?;
        let c = parse(
            dir.path(),
            "author:\n  name: Lena Vogt\n  bio: Schreibt *hier*.\n  photo: static/lena.png\nauthors:\n  max:\n    name: Max Berger\n    url: https://max.example.net/\n    photo: ./content/bilder/max.jpg\n  lena:\n    name: Lena Vogt\n",
        )
        .map_err(|e| e.to_string())?;
        assert_eq!(c.author.bio.as_deref(), Some("Schreibt *hier*."));
        assert_eq!(c.author.photo.as_deref(), Some("static/lena.png"));
        let keys: Vec<&str> = c.authors.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["lena", "max"]);
        assert_eq!(
            c.authors[1].1.photo.as_deref(),
            Some("content/bilder/max.jpg")
        );
        assert_eq!(
            c.authors[1].1.url.as_deref(),
            Some("https://max.example.net/")
        );
        assert!(c.feed.authors);
        Ok(())
    }

    #[test]
    fn problems_are_located_at_the_person_s_field() -> std::io::Result<()> {
        let dir = site()?;
        let root = dir.path();
        let e = error(
            root,
            "authors:\n  max:\n    name: Max\n    photo: https://cdn.example.com/max.jpg\n",
        );
        assert!(e.contains("echt.yaml:6:12"), "{e}");
        assert!(e.contains("is on another host"), "{e}");
        let e = error(
            root,
            "authors:\n  max:\n    name: Max\n    photo: static/fehlt.jpg\n",
        );
        assert!(
            e.contains("echt.yaml:6:12") && e.contains("`static/fehlt.jpg` does not exist"),
            "{e}"
        );
        let e = error(root, "author:\n  name: Lena\n  photo: ../lena.png\n");
        assert!(
            e.contains("echt.yaml:5:10") && e.contains("not a path below"),
            "{e}"
        );
        let e = error(root, "author:\n  name: Lena\n  photo: themes/x.png\n");
        assert!(e.contains("is not published"), "{e}");
        let long = "Wort ".repeat(130);
        let e = error(root, &format!("author:\n  name: Lena\n  bio: {long}\n"));
        assert!(
            e.contains("echt.yaml:5:8") && e.contains("649 characters"),
            "{e}"
        );
        let e = error(root, "authors:\n  Max B:\n    name: Max\n");
        assert!(
            e.contains("echt.yaml:4:3") && e.contains("`Max B` cannot be part of a URL"),
            "{e}"
        );
        let e = error(root, "authors:\n  max:\n    name: ' '\n");
        assert!(
            e.contains("echt.yaml:5:11") && e.contains("name is empty"),
            "{e}"
        );
        // Unknown keys are refused where they are written, naming the valid ones.
        let e = error(
            root,
            "authors:\n  max:\n    name: Max\n    foto: static/lena.png\n",
        );
        assert!(
            e.contains("unknown field `foto`") && e.contains("echt.yaml:6:5"),
            "{e}"
        );
        assert!(e.contains("`photo`"), "{e}");
        Ok(())
    }
}
