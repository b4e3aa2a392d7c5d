//! The text of one WordPress post or page turned into echt's Markdown:
//! block comments removed and each block mapped, shortcodes converted,
//! WordPress's paragraph formatting recreated for classic content, media
//! of the old blog made local, and nothing from a third party left active.
//! What cannot be converted stays visible and is noted at its line.
//!
//! The conversion knows nothing of files: what it needs to know about the
//! export and the media found, it asks through [`Media`].

mod autop;
mod blocks;
mod markdown;
mod media;
mod shortcodes;

#[cfg(test)]
mod tests;

use crate::import::jekyll::content as jekyll;
pub use crate::import::note::{Note, NoteKind};
use crate::import::note::{RawNote, Steps};

/// An attachment of the export, as the conversion needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// `wp:attachment_url`.
    pub url: String,
    /// The caption (the attachment's excerpt), maybe empty.
    pub caption: String,
    /// The title, the image's alternative text when nothing better is
    /// known.
    pub title: String,
}

/// What the conversion of one post needs to know about the rest of the
/// export and about the media found.
pub trait Media {
    /// The attachment with this `wp:post_id`.
    fn attachment(&self, id: u64) -> Option<Attachment>;
    /// The ids of the attachments uploaded to the post being converted
    /// (a `[gallery]` without `ids` shows them), in their order.
    fn attached(&self) -> Vec<u64>;
    /// Where the file at `url` (an upload of the old blog, a size variant
    /// such as `-300x200.jpg` included) is in the new site, relative to
    /// the converted post (`beet.jpg`); None when it was not found.
    fn local(&self, url: &str) -> Option<String>;
    /// Whether `url` is one of the old blog's own files. Where one was
    /// not found, a link to it would be dead once the new site stands at
    /// the old address: its text stays, without the link.
    fn own(&self, _url: &str) -> bool {
        false
    }
}

/// How one post is converted.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    /// The language the text is written in (`de`, `en-US`, …), for the
    /// words the conversion writes itself (a link that replaces a video).
    pub language: &'a str,
}

/// The converted text and what the report says about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Converted {
    pub text: String,
    pub notes: Vec<Note>,
    /// Whether the text was written with the block editor.
    pub blocks: bool,
}

/// Whether `content` was written with the block editor.
pub fn has_blocks(content: &str) -> bool {
    content.contains("<!-- wp:")
}

/// Converts the `content:encoded` of one post or page.
///
/// Blocks come first (they say what their HTML is), then shortcodes
/// (which WordPress runs after its paragraph formatting, but whose
/// figures must not be cut into paragraphs), then the paragraph
/// formatting of classic content, the media, the Markdown, and last the
/// embed step that leaves nothing from another host active.
pub fn convert(content: &str, options: &Options<'_>, media: &dyn Media) -> Converted {
    let content = content.replace("\r\n", "\n");
    let blocks = has_blocks(&content);
    let mut steps = Steps::new(&content);
    let mut text = content.clone();
    if blocks {
        let (out, notes) = blocks::run(&text, options.language);
        text = steps.take(out, notes);
    }
    let (out, notes) = shortcodes::run(&text, options.language, media);
    text = steps.take(out, notes);
    if !blocks {
        let out = autop::run(&text);
        text = steps.take(out, Vec::new());
    }
    let (out, notes) = media::run(&text, media);
    text = steps.take(out, notes);
    let (out, notes) = markdown::run(&text);
    text = steps.take(out, notes);
    text = jekyll::embeds_in_markdown(text, options.language, &NoHost, &mut steps);
    let text = format!("{}\n", text.trim_end());
    Converted {
        text: if text == "\n" { String::new() } else { text },
        notes: steps.finish(),
        blocks,
    }
}

/// Converts the text of a comment (`wp:comment_content`): WordPress shows
/// it with its paragraph formatting but runs no shortcodes in it and
/// knows no blocks there, so only the paragraphs, the Markdown and the
/// embed step apply. The sanitising of what a comment may say is the
/// comment renderer's part, not this one's.
pub fn convert_comment(content: &str, options: &Options<'_>) -> Converted {
    let content = content.replace("\r\n", "\n");
    let mut steps = Steps::new(&content);
    let text = steps.take(autop::run(&content), Vec::new());
    let (out, notes) = markdown::run(&text);
    let text = steps.take(out, notes);
    let text = jekyll::embeds_in_markdown(text, options.language, &NoHost, &mut steps);
    let text = format!("{}\n", text.trim_end());
    Converted {
        text: if text == "\n" { String::new() } else { text },
        notes: steps.finish(),
        blocks: false,
    }
}

/// The embed step's questions about the old site: none of them applies,
/// as the media step has already made the blog's own files local.
struct NoHost;

impl jekyll::Site for NoHost {
    fn post_url(&self, _: &str) -> Option<String> {
        None
    }
    fn link(&self, _: &str) -> Option<String> {
        None
    }
    fn include(&self, _: &str) -> Option<String> {
        None
    }
    fn baseurl(&self) -> &str {
        ""
    }
    fn url(&self) -> &str {
        ""
    }
}

/// The text of an element's content, entities as written.
fn inner_text(html: &str) -> String {
    crate::import::html::text(html)
}

/// `RawNote::changed` and `::review` under shorter names.
fn changed(at: usize, message: String) -> RawNote {
    RawNote::changed(at, message)
}

fn review(at: usize, message: String) -> RawNote {
    RawNote::review(at, message)
}
