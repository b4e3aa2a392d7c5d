//! A person's bio: a few lines of Markdown from echt.yaml, shown in the
//! box under each of their posts and on their page.
//!
//! The box sits in the middle of a page whose headings, pictures and
//! footnotes belong to the post, so a bio keeps to text: paragraphs,
//! emphasis, links, inline code and short lists. Anything else is refused,
//! naming what it found, rather than dropped without a word.

use pulldown_cmark::{Event, Tag};

use super::{events, Input, Plan};
use crate::util::error::Diagnostic;

/// The bio's HTML (no ids, like a summary), or what it may not contain.
pub fn render_bio(input: &Input<'_>) -> Result<String, Vec<Diagnostic>> {
    let (events, _) = events(input)?;
    let refused: Vec<Diagnostic> = events
        .iter()
        .filter_map(|(event, _)| refused(event))
        .map(|what| {
            Diagnostic::file(input.path, format!("a bio cannot contain {what}")).hint(
                "keep a bio to a few sentences of text with links; the photo has its own key, `photo`",
            )
        })
        .collect();
    if !refused.is_empty() {
        return Err(refused);
    }
    Ok(Plan::new(&events, input).write_summary(&events, events.len()))
}

/// What `event` starts that a bio may not have, in words.
fn refused(event: &Event<'_>) -> Option<&'static str> {
    match event {
        Event::Start(tag) => match tag {
            Tag::Heading { .. } => Some("a heading"),
            Tag::Image { .. } => Some("an image"),
            Tag::Table(_) => Some("a table"),
            Tag::CodeBlock(_) => Some("a code block"),
            Tag::BlockQuote(_) => Some("a quotation block"),
            Tag::FootnoteDefinition(_) => Some("a footnote"),
            Tag::HtmlBlock => Some("HTML"),
            _ => None,
        },
        Event::Html(_) | Event::InlineHtml(_) => Some("HTML"),
        Event::FootnoteReference(_) => Some("a footnote"),
        Event::Rule => Some("a horizontal rule"),
        _ => None,
    }
}
