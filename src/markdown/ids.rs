//! Heading ids: echt's own, or the ones a moved blog's old generator made.
//!
//! Other sites link into posts by heading id (`…/post.html#what-changed-`).
//! A blog that moves from Jekyll keeps those links only if its headings get
//! the ids kramdown gave them; `markdown.heading_ids` in echt.yaml says
//! whose rules to follow. Ids the author wrote (`{#id}`) and footnote ids
//! are never given twice.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

use crate::source::config::HeadingIds;
use crate::util::slug::slugify;
use crate::util::text::is_word;

/// Gives each heading of one document its id.
#[derive(Debug)]
pub(super) struct Ids {
    style: HeadingIds,
    /// echt's id for a heading without letters: `abschnitt`, `section`.
    fallback: &'static str,
    /// Every id given or written so far.
    used: HashSet<String>,
    /// Per base id, the number of the next heading with that base.
    next_number: HashMap<String, usize>,
}

impl Ids {
    /// `used` holds the ids the author wrote and the footnotes' ids.
    pub(super) fn new(style: HeadingIds, fallback: &'static str, used: HashSet<String>) -> Self {
        Ids {
            style,
            fallback,
            used,
            next_number: HashMap::new(),
        }
    }

    /// The id of the heading whose content is `content` (the events
    /// between its start and end) and whose Markdown is `source`.
    pub(super) fn make(&mut self, content: &[(Event<'_>, Range<usize>)], source: &str) -> String {
        let base = match self.style {
            HeadingIds::Echt => slugify(&super::plain_text(content)),
            HeadingIds::Kramdown => gfm(&text(content, false), true),
            HeadingIds::Github => gfm(&text(content, true), false),
            HeadingIds::KramdownClassic => classic(heading_source(source)),
        };
        // echt's second "Notiz" is `notiz-2`, kramdown's and GitHub's
        // `notiz-1`.
        let first = if self.style == HeadingIds::Echt { 2 } else { 1 };
        if base.is_empty() {
            return self.numbered(self.fallback.to_string(), first);
        }
        self.numbered(base, first)
    }

    /// `base` the first time, then `base-N` with N from `first` on, never
    /// an id already given. Each base remembers the number it got to: a
    /// thousand headings "Notiz" take a thousand steps, not half a million.
    fn numbered(&mut self, base: String, first: usize) -> String {
        let next = self.next_number.entry(base.clone()).or_insert(0);
        let mut id = if *next == 0 {
            base.clone()
        } else {
            format!("{base}-{next}")
        };
        while self.used.contains(&id) {
            *next = (*next + 1).max(first);
            id = format!("{base}-{next}");
        }
        *next = (*next + 1).max(first);
        self.used.insert(id.clone());
        id
    }
}

/// The heading's text as kramdown and GitHub read it: text and code, with
/// its spaces as written, without images' alt text. pulldown-cmark has
/// made `--` an en dash, as kramdown does; `undo_typography` gives GitHub
/// back what was typed.
fn text(content: &[(Event<'_>, Range<usize>)], undo_typography: bool) -> String {
    let mut text = String::new();
    let mut in_image = 0;
    for (event, _) in content {
        match event {
            Event::Start(Tag::Image { .. }) => in_image += 1,
            Event::End(TagEnd::Image) => in_image -= 1,
            Event::Text(t) | Event::Code(t) if in_image == 0 => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    if !undo_typography {
        return text;
    }
    let mut typed = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '–' => typed.push_str("--"),
            '—' => typed.push_str("---"),
            '…' => typed.push_str("..."),
            '‘' | '’' | '‚' => typed.push('\''),
            '“' | '”' | '„' => typed.push('"'),
            c => typed.push(c),
        }
    }
    typed
}

/// kramdown's GFM ids (Jekyll's default) and GitHub's: lower case, only
/// word characters, hyphens and spaces kept, each space a hyphen. kramdown
/// turns tabs into hyphens too; GitHub drops them.
fn gfm(text: &str, tab_is_space: bool) -> String {
    let mut id = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            ' ' => id.push('-'),
            '\t' if tab_is_space => id.push('-'),
            '-' => id.push('-'),
            // Ruby lowers each character on its own: no final sigma.
            c if is_word(c) => id.extend(c.to_lowercase()),
            _ => {}
        }
    }
    id
}

/// kramdown's own ids (`input: kramdown`): from the heading as written,
/// leading characters up to the first ASCII letter dropped, then only ASCII
/// letters, digits, spaces and hyphens kept, spaces made hyphens.
fn classic(source: &str) -> String {
    let from_letter = source.trim_start_matches(|c: char| !c.is_ascii_alphabetic());
    from_letter
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_ascii_alphanumeric() || c == '-' => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

/// The text of a heading as written: `## Titel ##` and `Titel\n===` give
/// `Titel`; an attribute block `{#id}` at the end is not part of it.
fn heading_source(source: &str) -> &str {
    let first_line = source.lines().next().unwrap_or_default().trim();
    let atx = first_line.starts_with('#');
    let mut text = first_line.trim_start_matches('#').trim();
    if atx {
        text = text.trim_end_matches('#').trim_end();
    }
    if text.ends_with('}') {
        if let Some(open) = text.rfind('{') {
            text = text[..open].trim_end();
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{Options, Parser};

    /// The ids of every heading of `markdown`, in `style`.
    fn ids(style: HeadingIds, markdown: &str) -> Vec<String> {
        let events: Vec<_> = Parser::new_ext(
            markdown,
            Options::ENABLE_SMART_PUNCTUATION | Options::ENABLE_HEADING_ATTRIBUTES,
        )
        .into_offset_iter()
        .collect();
        let mut ids = Ids::new(style, "section", HashSet::new());
        let mut found = Vec::new();
        for (i, (event, range)) in events.iter().enumerate() {
            if let Event::Start(Tag::Heading { .. }) = event {
                let end = events[i..]
                    .iter()
                    .position(|(e, _)| matches!(e, Event::End(TagEnd::Heading(_))))
                    .map_or(events.len(), |p| i + p);
                found.push(ids.make(&events[i + 1..end], &markdown[range.clone()]));
            }
        }
        found
    }

    /// Headings and the ids real kramdown 2.4 (with kramdown-parser-gfm
    /// 1.1, as Jekyll 4.3 runs it) gave them, all in one document.
    const KRAMDOWN: [(&str, &str, &str); 20] = [
        ("What changed?", "what-changed", "what-changed"),
        ("What changed ?", "what-changed-", "what-changed-"),
        ("What changed? 🎉", "what-changed--1", "what-changed--1"),
        ("Über Größe & Maß", "über-größe--maß", "ber-gre--ma"),
        ("What changed?", "what-changed-1", "what-changed-1"),
        ("2. Schritt: Los!", "2-schritt-los", "schritt-los"),
        ("🎉 Party time 🎉", "-party-time-", "party-time-"),
        (
            "`code` and *emph* -- dash",
            "code-and-emph--dash",
            "code-and-emph----dash",
        ),
        ("Straße", "straße", "strae"),
        ("C++ & C#", "c--c", "c--c"),
        ("what-changed", "what-changed-2", "what-changed-2"),
        ("Hello   World", "hello---world", "hello---world"),
        ("Ende.", "ende", "ende"),
        (
            "[Link text](http://example.org) here",
            "link-text-here",
            "link-texthttpexampleorg-here",
        ),
        ("A_b_c", "a_b_c", "abc"),
        (
            "Fragen & Antworten: Teil 2/3",
            "fragen--antworten-teil-23",
            "fragen--antworten-teil-23",
        ),
        ("Ça va? Oui!", "ça-va-oui", "a-va-oui"),
        ("München – Berlin", "münchen--berlin", "mnchen--berlin"),
        ("it's <b>bold</b>", "its-bold", "its-bboldb"),
        ("x &amp; y", "x--y", "x-amp-y"),
    ];

    #[test]
    fn kramdown_ids_as_jekyll_made_them() {
        let markdown: String = KRAMDOWN
            .iter()
            .map(|(h, _, _)| format!("## {h}\n\n"))
            .collect();
        let want: Vec<&str> = KRAMDOWN.iter().map(|(_, gfm, _)| *gfm).collect();
        assert_eq!(ids(HeadingIds::Kramdown, &markdown), want);
        let want: Vec<&str> = KRAMDOWN.iter().map(|(_, _, classic)| *classic).collect();
        assert_eq!(ids(HeadingIds::KramdownClassic, &markdown), want);
    }

    #[test]
    fn github_keeps_what_was_typed() {
        let got = ids(
            HeadingIds::Github,
            "# `code` and *emph* -- dash\n\n# Tab\there\n\n# Über Größe\n\n# Über Größe\n",
        );
        assert_eq!(
            got,
            [
                "code-and-emph----dash",
                "tabhere",
                "über-größe",
                "über-größe-1"
            ]
        );
    }

    #[test]
    fn echt_ids_stay_as_they_were() {
        let got = ids(
            HeadingIds::Echt,
            "# Über uns\n\n# Über uns\n\n# 🎉\n\n# …\n",
        );
        assert_eq!(got, ["ueber-uns", "ueber-uns-2", "section", "section-2"]);
    }

    #[test]
    fn an_empty_id_gets_the_fallback() {
        assert_eq!(
            ids(HeadingIds::Kramdown, "# ...\n\n# 🎉 🎉\n"),
            ["section", "-"]
        );
        assert_eq!(
            ids(HeadingIds::KramdownClassic, "# 100%\n\n## Ab {#x}\n"),
            ["section", "ab"]
        );
    }

    #[test]
    fn written_ids_are_not_given_again() {
        let events: Vec<_> = Parser::new("# A\n").into_offset_iter().collect();
        let used = HashSet::from(["a".to_string(), "a-1".to_string()]);
        let mut ids = Ids::new(HeadingIds::Kramdown, "section", used);
        assert_eq!(ids.make(&events[1..2], "# A"), "a-2");
    }
}
