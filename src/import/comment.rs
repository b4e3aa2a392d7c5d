//! The comment file every way in writes (the format every part of echt
//! reads: `id`, `parent`, `author`, `url`, `date`, `draft`, and the
//! Markdown body): a reader's e-mail and a WordPress export's comments.

use chrono::{DateTime, FixedOffset, SecondsFormat};

use crate::util::i18n::Language;

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
    /// The reader's website (http or https).
    pub url: Option<&'a str>,
    pub date: DateTime<FixedOffset>,
    pub body: &'a str,
    /// Waiting for the author's review: not published until `draft: true`
    /// is removed.
    pub draft: bool,
}

impl NewComment<'_> {
    /// The file's text: front matter and body.
    pub fn text(&self) -> String {
        let mut text = format!("---\nid: {}\n", self.id);
        if let Some(parent) = self.parent {
            text.push_str(&format!("parent: {parent}\n"));
        }
        text.push_str(&format!("author: {}\n", yaml_string(self.author)));
        if let Some(url) = self.url {
            text.push_str(&format!("url: {}\n", yaml_string(url)));
        }
        text.push_str(&format!(
            "date: {}\n{}---\n\n{}",
            self.date.to_rfc3339_opts(SecondsFormat::Secs, false),
            if self.draft { "draft: true\n" } else { "" },
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
    fn the_file_is_front_matter_echt_reads() {
        let date = DateTime::parse_from_rfc3339("2026-03-12T14:22:05+01:00").unwrap();
        let comment = NewComment {
            id: "m-0000abcd",
            parent: Some("m-1234abcd"),
            author: "Zoë \"Zo\" Müller: #1",
            url: None,
            date,
            body: "Danke!\n",
            draft: true,
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

    #[test]
    fn a_published_comment_with_a_website() {
        let date = DateTime::parse_from_rfc3339("2025-04-12T09:05:00+02:00").unwrap();
        let text = NewComment {
            id: "wp-12",
            parent: None,
            author: "Jana",
            url: Some("https://jana.example.org/#über"),
            date,
            body: "Schön.\n",
            draft: false,
        }
        .text();
        assert_eq!(text, "---\nid: wp-12\nauthor: \"Jana\"\nurl: \"https://jana.example.org/#über\"\ndate: 2025-04-12T09:05:00+02:00\n---\n\nSchön.\n");
        let comment = crate::source::comment::parse("posts/a/comments/wp-12.md", &text)
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(
            comment.url.as_deref(),
            Some("https://jana.example.org/#%C3%BCber")
        );
    }
}
