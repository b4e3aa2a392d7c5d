//! Markdown to HTML, with what a blog needs on top of CommonMark.
//!
//! pulldown-cmark parses (tables, footnotes, strikethrough, task lists,
//! heading attributes, smart punctuation); this module then walks the events
//! once to give headings stable ids and anchor links, collect the table of
//! contents, turn quotes German („…“) where the text is German, rewrite links
//! to other posts' `.md` files into their URLs, gather footnotes at the end,
//! and find the summary. The summary is written a second time without ids, so
//! many summaries can share a list page.
//!
//! Parsing, links, quotes, the plan of ids and footnote numbers and the
//! summary's end are here; `write` walks the events into HTML, and
//! `constructs` holds the markup of each construct echt writes itself.
//!
//! Stage 3. Takes one document's text, the map of where every other
//! document lives and the site's pictures; hands on its HTML, table of
//! contents, summary and the links and pictures it asked for.

mod bio;
pub mod comment;
mod constructs;
pub mod highlight;
mod ids;
pub mod picture;
mod raw;
mod write;

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;
use unicode_normalization::{is_nfc, UnicodeNormalization};

use crate::image::{Images, Picture, Unusable};
use crate::source::config::{HeadingIds, ImageConfig};
use crate::util::error::{Diagnostic, Lines};
use crate::util::i18n::Language;
use crate::util::url::{self, ROOT};

pub use bio::render_bio;

/// Where a document lives, for resolving its links and locating errors.
#[derive(Debug)]
pub struct Input<'a> {
    /// The file, for messages.
    pub path: &'a Path,
    /// The whole file and where the Markdown body starts in it.
    pub source: &'a str,
    pub body_offset: usize,
    /// The page's path below the site root: `posts/a/`.
    pub page_path: &'a str,
    /// The source file's folder below `content/`: `posts`.
    pub source_dir: &'a str,
    pub links: &'a Links<'a>,
    pub language: Language,
    /// Whose rules generated heading ids follow.
    pub heading_ids: HeadingIds,
}

/// Content files (by path below `content/`) to their site paths, and the
/// pictures made of them. Every lookup is recorded, hit or miss: a
/// rendering depends on exactly the entries it looked up, so a cached one
/// stays good while they are unchanged.
#[derive(Debug)]
pub struct Links<'a> {
    map: &'a HashMap<String, String>,
    pictures: Option<(&'a Images, &'a ImageConfig)>,
    looked_up: RefCell<LookedUp>,
}

/// What a rendering looked up: paths below `content/` with the site path
/// found, and pictures by site path with a fingerprint of what was found.
#[derive(Debug, Default, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct LookedUp {
    pub links: Vec<(String, Option<String>)>,
    pub pictures: Vec<(String, u64)>,
}

impl<'a> Links<'a> {
    pub fn new(map: &'a HashMap<String, String>) -> Self {
        Links {
            map,
            pictures: None,
            looked_up: RefCell::new(LookedUp::default()),
        }
    }

    /// The same, with the site's pictures: images naming one are written
    /// as responsive pictures.
    pub fn with_pictures(self, images: &'a Images, config: &'a ImageConfig) -> Self {
        Links {
            pictures: Some((images, config)),
            ..self
        }
    }

    /// Looks up a path below `content/`. Keys are in NFC (see
    /// `site::link_map`), and so is what is looked up: macOS writes file
    /// names decomposed (`U` + `¨`), editors write links composed.
    fn get(&self, rel: &str) -> Option<String> {
        let rel: String = if is_nfc(rel) {
            rel.to_string()
        } else {
            rel.nfc().collect()
        };
        let found = self.map.get(&rel).cloned();
        self.looked_up.borrow_mut().links.push((rel, found.clone()));
        found
    }

    /// The picture published at `site_path`, if the site has pictures.
    fn picture(&self, site_path: &str) -> Option<&'a Result<Arc<Picture>, Unusable>> {
        let (images, _) = self.pictures?;
        let found = images.get(site_path);
        self.looked_up
            .borrow_mut()
            .pictures
            .push((site_path.to_string(), picture_print(found)));
        found
    }

    /// Every lookup made, with what it found.
    pub fn into_looked_up(self) -> LookedUp {
        self.looked_up.into_inner()
    }
}

/// A fingerprint of what a picture lookup found, to tell later whether
/// the same lookup would find the same.
pub fn picture_print(found: Option<&Result<Arc<Picture>, Unusable>>) -> u64 {
    crate::util::fingerprint::fingerprint(found.map(|r| r.as_ref().map(|p| p.key)))
}

/// A rendered document.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Rendered {
    pub html: String,
    /// The summary as HTML without ids: the text before `<!-- more -->`, or
    /// the first paragraph.
    pub summary: String,
    /// The summary as plain text of at most about 160 characters, for meta
    /// descriptions.
    pub summary_text: String,
    /// Whether the document goes on after its summary.
    pub has_more: bool,
    pub toc: Vec<TocEntry>,
    pub words: usize,
    /// What the author should know but need not fix (a code block in a
    /// language echt does not know), located in the source.
    #[serde(default)]
    pub notes: Vec<Diagnostic>,
}

/// One heading in the table of contents.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, serde::Deserialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
    pub children: Vec<TocEntry>,
}

/// [`ROOT`] as it appears in an `href` written by pulldown-cmark.
const ENCODED_ROOT: &str = "%EE%80%80";

/// The Markdown extensions echt's renderer reads (the import asks the
/// same parser where code is).
pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
}

/// An event with its byte range in the body.
type Spanned<'a> = (Event<'a>, std::ops::Range<usize>);

/// Parses the body of `input` and settles quotes and URLs; link errors are
/// returned all together. Also counts the words.
fn events<'a>(input: &Input<'a>) -> Result<(Vec<Spanned<'a>>, usize), Vec<Diagnostic>> {
    let body = &input.source[input.body_offset..];
    let mut events: Vec<(Event<'_>, std::ops::Range<usize>)> = Parser::new_ext(body, options())
        .into_offset_iter()
        .collect();

    let mut errors = Vec::new();
    // Made once there is an error: locating each of thousands of broken
    // links from the start of the file would be quadratic.
    let mut lines = None;
    let mut words = 0;
    let mut quotes = QuoteState::default();
    for (event, range) in &mut events {
        let is_image = matches!(event, Event::Start(Tag::Image { .. }));
        match event {
            Event::Text(text) => {
                words += count_words(text);
                if input.language == Language::De && range.len() == 1 {
                    if let Some(q) = quotes.german(text, &body[range.end..]) {
                        *text = CowStr::Borrowed(q);
                    }
                }
            }
            Event::Code(code) => words += count_words(code),
            Event::Html(html) | Event::InlineHtml(html) => {
                if let Some(new) = raw::rewrite(input, html) {
                    *html = new.into();
                }
            }
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                let written = dest_url.to_string();
                let checked = rewrite_url(input, dest_url).and_then(|new| {
                    if let Some(new) = new {
                        *dest_url = new.into();
                    }
                    if is_image {
                        check_picture(input, &written, dest_url)?;
                    }
                    Ok(())
                });
                match checked {
                    Ok(()) => {}
                    Err((message, hint)) => {
                        let offset = input.body_offset + range.start;
                        let lines = lines.get_or_insert_with(|| Lines::new(input.source));
                        errors.push(
                            Diagnostic::at_offset_in(
                                input.path,
                                lines,
                                offset,
                                range.len(),
                                message,
                            )
                            .hint(hint),
                        );
                    }
                }
            }
            _ => {}
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok((events, words))
}

/// Renders the body of `input`; link errors are returned all together.
pub fn render(input: &Input<'_>) -> Result<Rendered, Vec<Diagnostic>> {
    let (events, words) = events(input)?;
    let plan = Plan::new(&events, input);
    // Rendered documents live until the build ends: give back the slack
    // that growing the strings left (it doubled peak memory).
    let (mut html, notes) = plan.write_page(&events);
    html.shrink_to_fit();
    let (summary_end, has_more) = summary_end(&events);
    let mut summary = plan.write_summary(&events, summary_end);
    summary.shrink_to_fit();
    let summary_text = truncate_words(&plain_text(&events[..summary_end]), DESCRIPTION_LENGTH);
    Ok(Rendered {
        html,
        summary,
        summary_text,
        has_more,
        toc: plan.toc(),
        words,
        notes,
    })
}

/// Renders a whole text as a summary (a front matter `summary`): HTML
/// without ids, and its plain text for descriptions.
pub fn render_summary(input: &Input<'_>) -> Result<(String, String), Vec<Diagnostic>> {
    let (events, _) = events(input)?;
    let html = Plan::new(&events, input).write_summary(&events, events.len());
    Ok((
        html,
        truncate_words(&plain_text(&events), DESCRIPTION_LENGTH),
    ))
}

/// Resolves an image URL the way an image in `input`'s text would be
/// (for front matter `image`): the URL, and how to show it when it names a
/// picture of the site.
pub fn resolve_image(
    input: &Input<'_>,
    dest: &str,
) -> Result<(String, Option<picture::Responsive>), (String, String)> {
    let url = rewrite_url(input, dest)?.unwrap_or_else(|| dest.to_string());
    check_picture(input, dest, &url)?;
    let shown = picture::split(&url).and_then(|(site_path, fragment)| {
        let display = picture::Display::from_fragment(fragment).ok()?;
        let (_, config) = input.links.pictures?;
        match input.links.picture(site_path)? {
            Ok(p) => Some(picture::Responsive::new(
                p,
                display.unwrap_or(picture::Display::Responsive),
                config,
            )),
            Err(_) => None,
        }
    });
    Ok((url, shown))
}

/// Decides what a link or image URL becomes; Err for a broken `.md` link.
fn rewrite_url(input: &Input<'_>, dest: &str) -> Result<Option<String>, (String, String)> {
    // The way a browser reads the scheme: spaces and tabs do not count.
    let scheme: String = dest
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
        .take_while(|c| *c != ':')
        .collect::<String>()
        .to_ascii_lowercase();
    if dest.contains(':') && (scheme == "javascript" || scheme == "vbscript") {
        return Err((
            format!("a `{scheme}:` link runs code in the reader's browser"),
            "echt pages work without JavaScript; link to a page instead".to_string(),
        ));
    }
    if dest.is_empty() || url::has_scheme(dest) || dest.starts_with("//") {
        return Ok(None);
    }
    if let Some(fragment) = dest.strip_prefix('#') {
        return Ok(Some(format!("{ROOT}{}#{fragment}", input.page_path)));
    }
    if let Some(site_path) = dest.strip_prefix('/') {
        return Ok(Some(url::internal(site_path)));
    }
    let (written, suffix) = dest
        .find(['#', '?'])
        .map_or((dest, ""), |i| dest.split_at(i));
    // `mein%20beitrag.md` is the file `mein beitrag.md`.
    let decoded = url::percent_decode(written);
    let path = decoded.as_deref().unwrap_or(written);
    let target = url::join(input.source_dir, path);
    if crate::source::content::is_markdown(path) {
        return match target.and_then(|t| input.links.get(&t)) {
            Some(site_path) => Ok(Some(format!("{ROOT}{site_path}{suffix}"))),
            None => Err((
                format!("link to `{path}`, which is not a post or page of this site"),
                "link to another post by its file, relative to this one, e.g. `[Text](anderer-beitrag.md)`".to_string(),
            )),
        };
    }
    // A file beside the source (a bundle's image) goes where that file goes;
    // anything else is relative to the page, as a browser would read it.
    let resolved = match target.and_then(|t| input.links.get(&t)) {
        Some(site_path) => site_path,
        None => match url::join(url::folder(input.page_path), written) {
            Some(p) => p,
            None => return Ok(None),
        },
    };
    Ok(Some(format!("{ROOT}{resolved}{suffix}")))
}

/// Whether the image `written` (now `url`) can be shown: a picture that
/// cannot be used, or a request of a size from a file that is not a
/// picture, is an error naming the file.
fn check_picture(input: &Input<'_>, written: &str, url: &str) -> Result<(), (String, String)> {
    let Some((site_path, fragment)) = picture::split(url) else {
        return Ok(());
    };
    let display = picture::Display::from_fragment(fragment).map_err(|message| {
        (
            message,
            "write `#width=400` to show a picture 400 pixels wide, or `#as-is` to show the file as it is".to_string(),
        )
    })?;
    let file = written.split(['#', '?']).next().unwrap_or(written);
    match input.links.picture(site_path) {
        Some(Err(unusable)) => Err((
            format!(
                "the picture `{file}` cannot be shown: it {}",
                unusable.message
            ),
            unusable.hint.clone().unwrap_or_else(|| {
                "save it again as JPEG, PNG or WebP, or remove it from the post".to_string()
            }),
        )),
        None if display.is_some() && input.links.pictures.is_some() => Err((
            format!("`#{fragment}` asks for a size, but `{file}` is not a picture in `content/`"),
            "sizes apply to JPEG, PNG and WebP files beside the post".to_string(),
        )),
        _ => Ok(()),
    }
}

/// Turns pulldown-cmark's English curly quotes German: “…” → „…“ and ‘…’ →
/// ‚…‘, keeping ’ as the apostrophe in "geht’s".
#[derive(Debug, Default)]
struct QuoteState {
    open_single: usize,
}

impl QuoteState {
    fn german(&mut self, text: &str, after: &str) -> Option<&'static str> {
        match text {
            "\u{201C}" => Some("\u{201E}"),
            "\u{201D}" => Some("\u{201C}"),
            "\u{2018}" => {
                self.open_single += 1;
                Some("\u{201A}")
            }
            "\u{2019}" => {
                let next_is_letter = after.chars().next().is_some_and(char::is_alphanumeric);
                if self.open_single > 0 && !next_is_letter {
                    self.open_single -= 1;
                    Some("\u{2018}")
                } else {
                    None
                }
            }
            _ => None,
        }
    }
}

/// Cuts plain text at a word boundary near `max` characters.
pub fn truncate_words(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out = String::new();
    for word in text.split_whitespace() {
        if out.chars().count() + word.chars().count() + 1 > max {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out.push('…');
    out
}

/// How long a description made from the summary may be, in characters.
const DESCRIPTION_LENGTH: usize = 160;

/// The words of `text`: runs between whitespace that hold a letter or a
/// digit (so a lone dash is none), in one pass.
fn count_words(text: &str) -> usize {
    let mut words = 0;
    // Whether the run so far is already counted.
    let mut counted = false;
    for c in text.chars() {
        if c.is_whitespace() {
            counted = false;
        } else if !counted && c.is_alphanumeric() {
            words += 1;
            counted = true;
        }
    }
    words
}

/// Where the summary ends (an event index) and whether more follows.
fn summary_end(events: &[(Event<'_>, std::ops::Range<usize>)]) -> (usize, bool) {
    let mut depth = 0usize;
    let mut first_paragraph_end = None;
    let mut block_end = None;
    let mut more_at = None;
    for (i, (event, _)) in events.iter().enumerate() {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(end) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    if block_end.is_none() {
                        block_end = Some(i + 1);
                    }
                    if first_paragraph_end.is_none() && *end == TagEnd::Paragraph {
                        first_paragraph_end = Some(i + 1);
                    }
                    if more_at.is_some() {
                        // The marker sat inside this block: end after it.
                        return (i + 1, has_content_after(events, i + 1));
                    }
                }
            }
            Event::Html(h) | Event::InlineHtml(h) if is_more_marker(h) => {
                // A marker that is a top-level HTML block of its own ends the
                // summary before it; anywhere else (inside a paragraph, a
                // list, after other raw HTML) the summary ends after the
                // enclosing top-level block, so no tag is left open.
                let alone = depth == 1
                    && matches!(
                        events.get(i.wrapping_sub(1)),
                        Some((Event::Start(Tag::HtmlBlock), _))
                    )
                    && matches!(events.get(i + 1), Some((Event::End(TagEnd::HtmlBlock), _)));
                if alone {
                    return (i - 1, has_content_after(events, i + 1));
                }
                more_at = Some(i);
            }
            _ => {}
        }
    }
    let end = first_paragraph_end.or(block_end).unwrap_or(events.len());
    (end, has_content_after(events, end))
}

fn is_more_marker(html: &str) -> bool {
    let h = html.trim();
    let Some(inner) = h.strip_prefix("<!--").and_then(|h| h.strip_suffix("-->")) else {
        return false;
    };
    inner.trim().eq_ignore_ascii_case("more")
}

fn has_content_after(events: &[(Event<'_>, std::ops::Range<usize>)], from: usize) -> bool {
    events[from.min(events.len())..]
        .iter()
        .any(|(e, _)| match e {
            Event::Html(h) | Event::InlineHtml(h) => !is_more_marker(h) && !h.trim().is_empty(),
            Event::End(_) | Event::SoftBreak | Event::HardBreak => false,
            Event::Start(Tag::FootnoteDefinition(_) | Tag::HtmlBlock) => false,
            Event::Text(t) => !t.trim().is_empty(),
            _ => true,
        })
}

fn plain_text(events: &[(Event<'_>, std::ops::Range<usize>)]) -> String {
    let mut text = String::new();
    let mut in_footnote = 0;
    for (e, _) in events {
        match e {
            Event::Start(Tag::FootnoteDefinition(_)) => in_footnote += 1,
            Event::End(TagEnd::FootnoteDefinition) => in_footnote -= 1,
            Event::Text(t) | Event::Code(t) if in_footnote == 0 => text.push_str(t),
            Event::End(
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link
                | TagEnd::Image,
            ) => {}
            Event::SoftBreak | Event::HardBreak | Event::End(_) => text.push(' '),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What the writer needs to know about a document before writing it.
#[derive(Debug)]
struct Plan<'i> {
    page_path: &'i str,
    /// The file, its text and where the body starts, to locate notes.
    path: &'i Path,
    source: &'i str,
    body_offset: usize,
    /// Each code block's HTML by the event index of its start, once
    /// written (a block in the summary is written twice).
    code: RefCell<HashMap<usize, String>>,
    language: Language,
    /// Heading id and level by the event index of the heading's start.
    headings: Vec<(usize, String, String, u8)>,
    /// Footnote label to its number, in order of first reference.
    footnotes: HashMap<String, usize>,
    /// Each picture by the event index of its image's start.
    pictures: HashMap<usize, picture::Responsive>,
    /// The picture near enough to the top to be on the first screen,
    /// loaded at once; every other one waits until the reader scrolls.
    eager: Option<usize>,
}

impl<'i> Plan<'i> {
    fn new(events: &[(Event<'_>, std::ops::Range<usize>)], input: &Input<'i>) -> Self {
        let fallback = match input.language {
            Language::De => "abschnitt",
            Language::En => "section",
        };
        // Footnotes are numbered by first reference; labels match without
        // regard to case, as in pulldown-cmark.
        let mut footnotes = HashMap::new();
        for (event, _) in events {
            if let Event::FootnoteReference(label) = event {
                let next = footnotes.len() + 1;
                footnotes.entry(label.to_lowercase()).or_insert(next);
            }
        }
        // Ids written by the author are kept as they are; generated ones
        // avoid them and the footnote ids.
        let mut used: HashSet<String> = HashSet::new();
        for (event, _) in events {
            if let Event::Start(Tag::Heading { id: Some(id), .. }) = event {
                used.insert(id.to_string());
            }
        }
        for n in 1..=footnotes.len() {
            used.insert(format!("fn-{n}"));
            used.insert(format!("fnref-{n}"));
        }
        let mut ids = ids::Ids::new(input.heading_ids, fallback, used);
        let mut headings = Vec::new();
        let mut in_footnote = 0;
        for (i, (event, range)) in events.iter().enumerate() {
            match event {
                Event::Start(Tag::FootnoteDefinition(_)) => in_footnote += 1,
                Event::End(TagEnd::FootnoteDefinition) => in_footnote -= 1,
                Event::Start(Tag::Heading { level, id, .. }) if in_footnote == 0 => {
                    let content = &events[i + 1..matching_end(events, i)];
                    let title = plain_text(content);
                    let id = match id {
                        Some(id) => id.to_string(),
                        None => {
                            let at = input.body_offset + range.start..input.body_offset + range.end;
                            ids.make(content, input.source.get(at).unwrap_or_default())
                        }
                    };
                    headings.push((i, id, title, heading_number(*level)));
                }
                _ => {}
            }
        }
        let pictures = pictures(events, input);
        let eager = pictures
            .keys()
            .min()
            .filter(|i| events[**i].1.start < FIRST_SCREEN_BYTES)
            .copied();
        Plan {
            pictures,
            eager,
            page_path: input.page_path,
            path: input.path,
            source: input.source,
            body_offset: input.body_offset,
            code: RefCell::new(HashMap::new()),
            language: input.language,
            headings,
            footnotes,
        }
    }

    /// The id and title of the heading that starts at event `i`.
    fn heading(&self, i: usize) -> Option<&(usize, String, String, u8)> {
        self.headings
            .binary_search_by_key(&i, |h| h.0)
            .ok()
            .map(|k| &self.headings[k])
    }

    /// The number of the footnote `label`, if anything refers to it.
    fn footnote(&self, label: &str) -> Option<usize> {
        self.footnotes.get(&label.to_lowercase()).copied()
    }

    fn toc(&self) -> Vec<TocEntry> {
        let flat: Vec<TocEntry> = self
            .headings
            .iter()
            .map(|(_, id, title, level)| TocEntry {
                level: *level,
                id: id.clone(),
                title: title.clone(),
                children: Vec::new(),
            })
            .collect();
        nest(flat)
    }
}

/// How far into a body (in bytes of Markdown) a picture counts as on the
/// first screen: a paragraph or two.
const FIRST_SCREEN_BYTES: usize = 400;

/// The responsive pictures of `events`, by the index of each image's start.
fn pictures(events: &[Spanned<'_>], input: &Input<'_>) -> HashMap<usize, picture::Responsive> {
    let Some((_, config)) = input.links.pictures else {
        return HashMap::new();
    };
    let mut found = HashMap::new();
    for (i, (event, _)) in events.iter().enumerate() {
        let Event::Start(Tag::Image { dest_url, .. }) = event else {
            continue;
        };
        let Some((site_path, fragment)) = picture::split(dest_url) else {
            continue;
        };
        let display = match picture::Display::from_fragment(fragment) {
            Ok(display) => display.unwrap_or(picture::Display::Responsive),
            Err(_) => continue,
        };
        if let Some(Ok(p)) = input.links.picture(site_path) {
            found.insert(i, picture::Responsive::new(p, display, config));
        }
    }
    found
}

fn heading_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// The index of the `End` that closes the `Start` at `start`.
fn matching_end(events: &[(Event<'_>, std::ops::Range<usize>)], start: usize) -> usize {
    let mut depth = 0;
    for (i, (e, _)) in events.iter().enumerate().skip(start) {
        match e {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    events.len().saturating_sub(1)
}

/// Nests a flat list of headings by level.
fn nest(flat: Vec<TocEntry>) -> Vec<TocEntry> {
    let mut roots: Vec<TocEntry> = Vec::new();
    for entry in flat {
        insert(&mut roots, entry);
    }
    roots
}

fn insert(siblings: &mut Vec<TocEntry>, entry: TocEntry) {
    match siblings.last_mut() {
        Some(last) if entry.level > last.level => insert(&mut last.children, entry),
        _ => siblings.push(entry),
    }
}

#[cfg(test)]
mod tests;
