//! `echt new` and `echt post`: starting a site and starting a post.
//!
//! A new site gets everything it needs to build at once, including a copy
//! of the built-in default theme to adapt. A new post takes its file name
//! from the title, the same German-aware way as every URL, and never
//! overwrites an existing file.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::render::theme::DEFAULT_THEME;
use crate::source::config::{Config, CONFIG_FILE};
use crate::source::content::{CONTENT_DIR, POSTS_DIR};
use crate::util::error::{Diagnostic, Error, Result};
use crate::util::slug::slugify;

/// Creates a working site in `dir` (which must be empty or missing).
pub fn new_site(dir: &Path, today: NaiveDate) -> Result<Vec<PathBuf>> {
    if dir.exists() {
        let empty = std::fs::read_dir(dir)
            .map_err(|e| Error::io(dir, &e))?
            .next()
            .is_none();
        if !empty {
            return Err(Diagnostic::file(dir, "the folder is not empty")
                .hint("choose a new folder name, e.g. `echt new mein-blog`")
                .into());
        }
    }
    let name = dir
        .file_name()
        .map_or_else(|| "Mein Blog".into(), |n| n.to_string_lossy().into_owned());
    let mut files: Vec<(PathBuf, Vec<u8>)> = vec![
        (PathBuf::from(CONFIG_FILE), config_text(&name).into_bytes()),
        (
            PathBuf::from(".gitignore"),
            b"/public\n/.public.echt.cache\n".to_vec(),
        ),
        (
            Path::new(CONTENT_DIR).join(POSTS_DIR).join("hallo-welt.md"),
            first_post(today).into_bytes(),
        ),
        (
            Path::new(CONTENT_DIR).join("ueber-mich.md"),
            ABOUT.as_bytes().to_vec(),
        ),
        (PathBuf::from("static/.gitkeep"), Vec::new()),
    ];
    for (path, bytes) in DEFAULT_THEME {
        files.push((Path::new("themes/default").join(path), bytes.to_vec()));
    }
    let mut written = Vec::new();
    for (rel, bytes) in files {
        let path = dir.join(&rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, &e))?;
        }
        std::fs::write(&path, bytes).map_err(|e| Error::io(&path, &e))?;
        written.push(rel);
    }
    Ok(written)
}

/// Creates `content/posts/<slug>.md` for `title`; returns its path.
pub fn new_post(root: &Path, title: &str, today: NaiveDate) -> Result<PathBuf> {
    // Only a real site gets posts: this also checks echt.yaml.
    Config::load(root)?;
    let slug = slugify(title);
    if slug.is_empty() {
        return Err(Diagnostic::file(
            CONTENT_DIR,
            format!("the title `{title}` has no letters or digits for a file name"),
        )
        .hint("use a title with words, e.g. echt post \"Warum ich schreibe\"")
        .into());
    }
    let rel = Path::new(CONTENT_DIR)
        .join(POSTS_DIR)
        .join(format!("{slug}.md"));
    let path = root.join(&rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, &e))?;
    }
    let text = format!(
        "---\ntitle: {}\ndate: {today}\ntags: []\n# draft: true\n---\n\n",
        yaml_string(title)
    );
    // create_new: never overwrite, even if the file appears meanwhile.
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path);
    match file {
        Ok(mut f) => {
            use std::io::Write;
            f.write_all(text.as_bytes())
                .map_err(|e| Error::io(&rel, &e))?;
            Ok(rel)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(Diagnostic::file(
            &rel,
            "the post already exists",
        )
        .hint("echt post never overwrites a file; choose another title or edit the existing post")
        .into()),
        Err(e) => Err(Error::io(&rel, &e)),
    }
}

/// A double-quoted YAML string.
fn yaml_string(text: &str) -> String {
    let escaped = text.replace('\\', "\\\\").replace('"', "\\\"");
    format!("\"{escaped}\"")
}

fn config_text(name: &str) -> String {
    format!(
        "title: {title}\ndescription: \"Gedanken, ohne Werbung und ohne Tracking.\"\nbase_url: \"https://example.org/\"\nlanguage: de\nauthor:\n  name: \"Dein Name\"\ntheme: default\nposts_per_page: 10\n",
        title = yaml_string(name)
    )
}

fn first_post(today: NaiveDate) -> String {
    format!(
        "---\ntitle: \"Hallo, Welt\"\ndate: {today}\ntags: [Anfang]\n---\n\nDies ist der erste Beitrag. Schreib hier, was du zu sagen hast.\n\n<!-- more -->\n\nAlles ab hier erscheint nur auf der Seite des Beitrags, nicht in der Übersicht.\n"
    )
}

const ABOUT: &str = "---\ntitle: \"Über mich\"\nmenu: main\n---\n\nWer hier schreibt, und warum.\n";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_in_titles_stay_valid_yaml() {
        let s = yaml_string("Er sagte \"Nein\"");
        let parsed: String = serde_yaml::from_str(&s).unwrap();
        assert_eq!(parsed, "Er sagte \"Nein\"");
    }
}
