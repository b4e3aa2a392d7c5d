//! A reader's comment: one file `comments/<id>.md` in a post's bundle.
//!
//! The format is shared with the tools that write comments (the WordPress
//! import, `echt comment`): front matter with `id` (the file's stem),
//! optional `parent`, `author`, optional `url`, `date` and optional
//! `draft`, and nothing else, because a key echt does not know may be an
//! e-mail or IP address that must never be published. Every problem is
//! located at its key, all of them at once, as for posts.

use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use serde_yaml::Value;

use crate::source::frontmatter::{self, DATE_HINT};
use crate::source::yaml;
use crate::util::error::Diagnostic;

/// The folder of a bundle that holds its comments.
pub const COMMENTS_DIR: &str = "comments";

/// The keys a comment's front matter may have.
const KEYS: &[&str] = &["id", "parent", "author", "url", "date", "draft"];

/// One comment, checked.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Comment {
    /// Relative to `content/`: `posts/a/comments/wp-12.md`.
    pub rel: String,
    pub id: String,
    pub parent: Option<String>,
    pub author: String,
    pub url: Option<String>,
    pub date: DateTime<FixedOffset>,
    pub draft: bool,
    /// The Markdown body.
    pub body: String,
    /// The whole file as read, to locate problems found later (a parent
    /// that does not exist).
    pub text: Arc<str>,
}

impl Comment {
    /// The path shown in messages.
    pub fn display_path(&self) -> std::path::PathBuf {
        Path::new(crate::source::content::CONTENT_DIR).join(&self.rel)
    }

    /// A problem at the key `key` of this comment's front matter.
    pub fn diagnostic_at(&self, key: &str, message: impl Into<String>) -> Diagnostic {
        let path = self.display_path();
        match frontmatter::split(&path, &self.text) {
            Ok(split) => yaml::key_diagnostic(&path, split.yaml, key, split.yaml_shift, message),
            Err(_) => Diagnostic::file(path, message),
        }
    }
}

/// Whether `id` is a comment id: lowercase ASCII letters, digits and `-`.
pub fn is_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Parses the comment file `rel` (below `content/`) with the text `text`.
pub fn parse(rel: &str, text: &str) -> Result<Comment, Vec<Diagnostic>> {
    let path = Path::new(crate::source::content::CONTENT_DIR).join(rel);
    let split = frontmatter::split(&path, text).map_err(|d| vec![d])?;
    let value: Value = yaml::parse(&path, split.yaml, split.yaml_shift).map_err(|d| vec![d])?;
    let mut errors = yaml::escaped_controls(&path, split.yaml, &value, split.yaml_shift);
    let at = |key: &str, message: String| {
        yaml::key_diagnostic(&path, split.yaml, key, split.yaml_shift, message)
    };
    let map = match value {
        Value::Mapping(map) => map,
        Value::Null => serde_yaml::Mapping::new(),
        _ => {
            return Err(vec![Diagnostic::at(
                &path,
                split.yaml,
                1,
                1,
                "front matter must be a list of `key: value` lines",
            )
            .shifted(split.yaml_shift)])
        }
    };
    let mut fields = Fields::default();
    let mut present = Vec::new();
    for (key, value) in &map {
        let key = yaml::scalar_string(key).unwrap_or_default();
        present.push(key.clone());
        if let Err((message, hint)) = fields.read(&key, value) {
            errors.push(at(&key, message).hint(hint));
        }
    }
    let stem = rel
        .rsplit('/')
        .next()
        .and_then(|name| name.strip_suffix(".md"))
        .unwrap_or(rel);
    let missing = |key: &str| {
        Diagnostic::at(
            &path,
            split.yaml,
            1,
            1,
            format!("the comment has no `{key}`"),
        )
        .shifted(split.yaml_shift)
        .hint(format!("add a line `{key}: ...` between the `---` lines"))
    };
    let absent = |key: &str| !present.iter().any(|k| k == key);
    match &fields.id {
        None if absent("id") => errors.push(missing("id")),
        None => {}
        Some(id) if id != stem => errors.push(
            at(
                "id",
                format!("the id `{id}` is not the file's name `{stem}`"),
            )
            .hint(format!("name the file `{id}.md`, or write `id: {stem}`")),
        ),
        Some(_) => {}
    }
    if absent("author") {
        errors.push(missing("author"));
    }
    if absent("date") {
        errors.push(missing("date"));
    }
    match (fields.id, fields.author, fields.date) {
        (Some(id), Some(author), Some(date)) if errors.is_empty() => Ok(Comment {
            rel: rel.to_string(),
            id,
            parent: fields.parent,
            author,
            url: fields.url,
            date,
            draft: fields.draft,
            body: split.body.to_string(),
            text: Arc::from(text),
        }),
        _ => Err(errors),
    }
}

/// The fields read so far.
#[derive(Default)]
struct Fields {
    id: Option<String>,
    parent: Option<String>,
    author: Option<String>,
    url: Option<String>,
    date: Option<DateTime<FixedOffset>>,
    draft: bool,
}

type Problem = (String, String);

impl Fields {
    /// Reads `key`, or says what is wrong with it (message, hint).
    fn read(&mut self, key: &str, value: &Value) -> Result<(), Problem> {
        match key {
            "id" => self.id = Some(id(key, value)?),
            "parent" => self.parent = Some(id(key, value)?),
            "author" => self.author = Some(author(value)?),
            "url" => self.url = Some(url(value)?),
            "date" => self.date = Some(date(value)?),
            "draft" => match value {
                Value::Bool(draft) => self.draft = *draft,
                _ => {
                    return Err((
                        "`draft` must be true or false".into(),
                        "write `draft: true` while the comment waits for review".into(),
                    ))
                }
            },
            _ => {
                return Err((
                    format!("unknown key `{key}` in a comment"),
                    format!(
                        "a comment has only {}; never an e-mail or IP address",
                        KEYS.join(", ")
                    ),
                ))
            }
        }
        Ok(())
    }
}

fn string(key: &str, value: &Value) -> Result<String, Problem> {
    match value {
        Value::String(s) if !s.trim().is_empty() => Ok(s.trim().to_string()),
        Value::Number(_) => Ok(yaml::scalar_string(value).unwrap_or_default()),
        _ => Err((
            format!("`{key}` must be text that is not empty"),
            format!("write `{key}: ...` with a value"),
        )),
    }
}

fn id(key: &str, value: &Value) -> Result<String, Problem> {
    let id = string(key, value)?;
    if is_id(&id) {
        return Ok(id);
    }
    Err((
        format!("`{key}` must be an id of lowercase letters, digits and `-`, not `{id}`"),
        "comment ids look like `wp-1042` or `m-3f9a1c2e`".into(),
    ))
}

fn author(value: &Value) -> Result<String, Problem> {
    let name = string("author", value)?;
    if name.contains('@') {
        return Err((
            "`author` must be a name, not an e-mail address".into(),
            "write the name the reader signed with; echt never publishes e-mail addresses".into(),
        ));
    }
    Ok(name)
}

fn url(value: &Value) -> Result<String, Problem> {
    let url = string("url", value)?;
    let parsed = url::Url::parse(&url).ok();
    match parsed {
        Some(u)
            if matches!(u.scheme(), "http" | "https")
                && u.host_str().is_some()
                && u.username().is_empty()
                && u.password().is_none() =>
        {
            Ok(u.to_string())
        }
        _ => Err((
            format!("`url` must be an http or https address, not `{url}`"),
            "write the reader's website, e.g. `url: https://example.org/`".into(),
        )),
    }
}

fn date(value: &Value) -> Result<DateTime<FixedOffset>, Problem> {
    let written = yaml::scalar_string(value).unwrap_or_default();
    frontmatter::parse_date(&written).map_err(|_| {
        (
            format!("invalid date `{written}` in `date`"),
            DATE_HINT.into(),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const REL: &str = "posts/a/comments/wp-12.md";

    fn errors(text: &str) -> String {
        match parse(REL, text) {
            Ok(c) => panic!("taken: {c:?}"),
            Err(ds) => ds
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }

    #[test]
    fn a_comment_is_read() {
        let c = parse(
            REL,
            "---\nid: wp-12\nparent: wp-3\nauthor: Jana Beispiel\nurl: https://example.org/jana\ndate: 2019-03-11T14:22:00+01:00\n---\nSchön *geschrieben*.\n",
        )
        .expect("parses");
        assert_eq!(c.id, "wp-12");
        assert_eq!(c.parent.as_deref(), Some("wp-3"));
        assert_eq!(c.author, "Jana Beispiel");
        assert_eq!(c.url.as_deref(), Some("https://example.org/jana"));
        assert_eq!(c.date.to_rfc3339(), "2019-03-11T14:22:00+01:00");
        assert!(!c.draft);
        assert_eq!(c.body, "Schön *geschrieben*.\n");
    }

    #[test]
    fn quoted_names_and_a_blank_line_before_the_text() {
        let c = parse(
            "posts/a/comments/m-0000abcd.md",
            "---\nid: m-0000abcd\nparent: m-1234abcd\nauthor: \"Zoë \\\"Zo\\\" Müller: #1\"\ndate: 2026-03-12T14:22:05+01:00\ndraft: true\n---\n\nDanke!\n",
        )
        .expect("parses");
        assert_eq!(c.author, "Zoë \"Zo\" Müller: #1");
        assert!(c.draft);
        assert_eq!(c.body.trim(), "Danke!");
    }

    #[test]
    fn every_problem_is_located_at_its_key() {
        let shown = errors(
            "---\nid: wp-13\nauthor: jana@example.org\nurl: javascript:alert(1)\ndate: gestern\nemail: jana@example.org\ndraft: ja\n---\nx\n",
        );
        for (message, at) in [
            ("the id `wp-13` is not the file's name `wp-12`", ":2:5"),
            ("`author` must be a name, not an e-mail address", ":3:9"),
            ("`url` must be an http or https address", ":4:6"),
            ("invalid date `gestern`", ":5:7"),
            ("unknown key `email` in a comment", ":6:"),
            ("`draft` must be true or false", ":7:8"),
        ] {
            let want = message;
            let found = shown.split("error: ").find(|e| e.starts_with(want));
            let found = found.unwrap_or_else(|| panic!("missing {want:?} in\n{shown}"));
            assert!(found.contains(&format!("wp-12.md{at}")), "{found}");
        }
        assert!(!shown.contains("has no"), "{shown}");
    }

    #[test]
    fn required_keys_are_named() {
        let shown = errors("---\nparent: wp-1\n---\nx\n");
        for key in ["id", "author", "date"] {
            assert!(
                shown.contains(&format!("the comment has no `{key}`")),
                "{key}: {shown}"
            );
        }
    }

    #[test]
    fn ids_are_lowercase_words() {
        assert!(is_id("wp-1042") && is_id("m-3f9a1c2e"));
        for bad in ["", "WP-1", "a_b", "ä", "a/b", "a.b"] {
            assert!(!is_id(bad), "{bad}");
        }
        let shown = errors("---\nid: wp-12\nparent: Wp 3\nauthor: A\ndate: 2019-03-11\n---\n");
        assert!(shown.contains("`parent` must be an id"), "{shown}");
        assert!(shown.contains("wp-12.md:3:9"), "{shown}");
    }

    #[test]
    fn urls_are_web_addresses() {
        for bad in [
            "ftp://example.org/",
            "//example.org",
            "data:text/html,x",
            "https://u:p@example.org/",
        ] {
            let text =
                format!("---\nid: wp-12\nauthor: A\nurl: \"{bad}\"\ndate: 2019-03-11\n---\n");
            assert!(errors(&text).contains("`url` must be"), "{bad}");
        }
    }
}
