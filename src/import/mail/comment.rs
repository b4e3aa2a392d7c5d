//! The comment file a reply becomes (the format every part of echt reads:
//! `id`, `parent`, `author`, `date`, `draft`, and the Markdown body).
//!
//! A comment's id is `m-` and a hash of its message's `Message-ID`, so
//! that the same message always becomes the same file, and a reply's
//! parent is found from its `In-Reply-To` and `References` by hashing the
//! ids there the same way: the thread is kept without writing any message
//! id down, in the site or beside it. Message ids can name the sender's
//! host or machine; hashes tell nothing.

use chrono::{DateTime, FixedOffset, SecondsFormat};

use crate::import::mail::Reply;
use crate::util::i18n::Language;

/// The comment id of the message with this `Message-ID`.
pub fn id_of(message_id: &str) -> String {
    id_from_hash(xxhash_rust::xxh3::xxh3_64(message_id.as_bytes()))
}

/// The comment id of `reply`: from its `Message-ID`, or from the whole
/// message where it has none.
pub fn id_for(reply: &Reply) -> String {
    reply
        .message_id
        .as_deref()
        .map_or_else(|| id_from_hash(reply.digest), id_of)
}

/// Eight hex digits: plenty for the comments of one post, and short
/// enough to read in a file name.
fn id_from_hash(hash: u64) -> String {
    format!("m-{:08x}", hash >> 32)
}

/// The name shown for a reader who gave none (or only their address).
pub fn anonymous(language: Language) -> &'static str {
    match language {
        Language::De => "Leserin",
        Language::En => "A reader",
    }
}

/// Everything a new comment file says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewComment<'a> {
    pub id: &'a str,
    pub parent: Option<&'a str>,
    pub author: &'a str,
    pub date: DateTime<FixedOffset>,
    pub body: &'a str,
}

impl NewComment<'_> {
    /// The file's text: front matter and body, a draft for review.
    pub fn text(&self) -> String {
        let mut text = format!("---\nid: {}\n", self.id);
        if let Some(parent) = self.parent {
            text.push_str(&format!("parent: {parent}\n"));
        }
        text.push_str(&format!(
            "author: {}\ndate: {}\ndraft: true\n---\n\n{}",
            yaml_string(self.author),
            self.date.to_rfc3339_opts(SecondsFormat::Secs, false),
            self.body
        ));
        if !text.ends_with('\n') {
            text.push('\n');
        }
        text
    }
}

/// A double-quoted YAML string: any name stays one string, whatever it
/// holds (`:`, `#`, quotes, a leading `-`).
fn yaml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            // Controls, and what YAML readers take for line breaks or a
            // byte order mark.
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}') => {
                out.push_str(&format!("\\u{:04X}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_short_and_in_the_format() {
        let id = id_of("20260312142200.4711@mail.example.org");
        assert_eq!(id, id_of("20260312142200.4711@mail.example.org"));
        assert_ne!(id, id_of("20260312142200.4712@mail.example.org"));
        assert_eq!(id.len(), 10);
        assert!(id.starts_with("m-"));
        assert!(id[2..]
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
    }

    #[test]
    fn the_file_is_front_matter_echt_reads() {
        let date = DateTime::parse_from_rfc3339("2026-03-12T14:22:05+01:00").unwrap();
        let comment = NewComment {
            id: "m-0000abcd",
            parent: Some("m-1234abcd"),
            author: "Zoë \"Zo\" Müller: #1",
            date,
            body: "Danke!\n",
        };
        let text = comment.text();
        let odd = NewComment {
            author: "Zeile\u{2028}zwei\u{FEFF}\t",
            ..comment.clone()
        }
        .text();
        let front = odd.split("---\n").nth(1).unwrap();
        let parsed: serde_yaml::Value = serde_yaml::from_str(front).unwrap();
        assert_eq!(
            parsed["author"].as_str(),
            Some("Zeile\u{2028}zwei\u{FEFF}\t")
        );
        assert_eq!(
            text,
            "---\nid: m-0000abcd\nparent: m-1234abcd\nauthor: \"Zoë \\\"Zo\\\" Müller: #1\"\ndate: 2026-03-12T14:22:05+01:00\ndraft: true\n---\n\nDanke!\n"
        );
        let front = text.split("---\n").nth(1).unwrap();
        let parsed: serde_yaml::Value = serde_yaml::from_str(front).unwrap();
        assert_eq!(parsed["author"].as_str(), Some("Zoë \"Zo\" Müller: #1"));
        assert_eq!(parsed["draft"].as_bool(), Some(true));
    }
}
