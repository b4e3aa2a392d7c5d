//! The text of one Jekyll post or page turned into echt's: Liquid, kramdown
//! extras and third-party embeds become what echt reads, and everything that
//! cannot be converted stays visible and is noted at its line.
//!
//! The conversion knows nothing of files: what it needs to know about the
//! rest of the old site, it asks through [`Site`].

mod code;
mod embeds;
mod excerpt;
mod kramdown;
mod liquid;
pub(crate) mod words;

#[cfg(test)]
mod tests;

pub use crate::import::note::{Note, NoteKind};
use crate::import::note::{RawNote, Steps};
use crate::import::{html, mapped};
use words::Words;

/// What the conversion of one file needs to know about the rest of the site.
pub trait Site {
    /// The link target for `{% post_url NAME %}` (NAME as written, e.g.
    /// `2014-07-07-some-title` or `2014/2014-07-07-some-title`), relative to
    /// the converted file's place in the new site, e.g.
    /// `2014-07-07-some-title.md`; None when there is no such post.
    fn post_url(&self, name: &str) -> Option<String>;
    /// The link target for `{% link PATH %}` (PATH relative to the old
    /// site's root, e.g. `_posts/2014-07-07-x.md`, `about.md`,
    /// `assets/a.pdf`), relative to the converted file's place for Markdown
    /// files, site-relative (`/assets/a.pdf`) for others; None when there is
    /// no such file.
    fn link(&self, path: &str) -> Option<String>;
    /// The text of `_includes/NAME`, when it exists.
    fn include(&self, name: &str) -> Option<String>;
    /// `baseurl` of `_config.yml`: `""` or `/blog` (no trailing slash).
    fn baseurl(&self) -> &str;
    /// `url` of `_config.yml` without a trailing slash, e.g.
    /// `https://example.org`, or `""`.
    fn url(&self) -> &str;
}

/// What kind of text is converted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Markup {
    Markdown,
    Html,
}

/// How one file is converted.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    pub markup: Markup,
    /// The site's or the file's `excerpt_separator`, which becomes
    /// `<!-- more -->`; None for Jekyll's default (the first paragraph,
    /// which is echt's default too).
    pub excerpt_separator: Option<&'a str>,
    /// The language the text is written in (`de`, `en`, …), for the words
    /// the conversion writes itself (an embed's link text).
    pub language: &'a str,
}

/// The converted text and what the report says about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Converted {
    pub text: String,
    pub notes: Vec<Note>,
}

/// How often the embed step may run over its own output.
const EMBED_ROUNDS: usize = 8;

/// Converts the body (the text after the front matter) of one file.
///
/// The steps run in order, each over the text the one before wrote:
/// Liquid first (as in Jekyll, where it runs before Markdown), then
/// kramdown's extensions and block syntax, the excerpt separator, embeds
/// and abbreviations. Steps that change lines (where blocks start) come
/// before the embed step, which relies on knowing what is code. Each step
/// notes where it changed something in its own input; the maps of the
/// steps before lead that back to the body.
pub fn convert(body: &str, options: &Options<'_>, site: &dyn Site) -> Converted {
    let words = Words::new(options.language);
    let mut steps = Steps::new(body);
    let (out, notes) = liquid::run(body, options.markup, words, site);
    let mut text = steps.take(out, notes);
    let mut abbrs = Vec::new();
    if options.markup == Markup::Markdown {
        let (out, notes) = kramdown::extensions(&text);
        text = steps.take(out, notes);
        let (out, notes, found) = kramdown::blocks(&text);
        abbrs = found;
        text = steps.take(out, notes);
    }
    if let Some(separator) = options
        .excerpt_separator
        .filter(|s| !s.is_empty() && *s != "\n\n")
    {
        let (out, notes) = excerpt::run(&text, separator, options.markup);
        text = steps.take(out, notes);
    }
    text = third_party(text, options.markup, words, site, &mut steps);
    if !abbrs.is_empty() {
        let out = kramdown::abbreviations(&text, &abbrs);
        text = steps.take(out, Vec::new());
    }
    Converted {
        text,
        notes: steps.finish(),
    }
}

/// The embed step over `text`: third-party embeds, scripts and images
/// from other hosts become links. Replacing an embed can change what the
/// text around it is (a line that started an HTML block may now start a
/// paragraph), so the step runs again until it finds nothing more.
fn third_party(
    mut text: String,
    markup: Markup,
    words: Words,
    site: &dyn Site,
    steps: &mut Steps<'_>,
) -> String {
    for _ in 0..EMBED_ROUNDS {
        let (out, notes) = embeds::run(&text, markup, words, site);
        let done = out.text == text;
        text = steps.take(out, notes);
        if done {
            break;
        }
    }
    text
}

/// The embed step for another importer's Markdown text (which may hold
/// HTML), its notes placed through `steps`.
pub(crate) fn embeds_in_markdown(
    text: String,
    language: &str,
    site: &dyn Site,
    steps: &mut Steps<'_>,
) -> String {
    third_party(text, Markup::Markdown, Words::new(language), site, steps)
}
