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
//! Stage 2. Takes one document's text and the map of where every other
//! document lives; hands on its HTML, table of contents, summary and the
//! links it asked for.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::path::Path;

use pulldown_cmark::{html, Alignment, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;
use unicode_normalization::{is_nfc, UnicodeNormalization};

use crate::util::error::{Diagnostic, Lines};
use crate::util::escape;
use crate::util::i18n;
use crate::util::i18n::Language;
use crate::util::slug::slugify;
use crate::util::url::{self, ROOT};

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
}

/// Content files (by path below `content/`) to their site paths. Every
/// lookup is recorded, hit or miss: a rendering depends on exactly the
/// entries it looked up, so a cached one stays good while they are unchanged.
#[derive(Debug)]
pub struct Links<'a> {
    map: &'a HashMap<String, String>,
    looked_up: RefCell<Vec<(String, Option<String>)>>,
}

impl<'a> Links<'a> {
    pub fn new(map: &'a HashMap<String, String>) -> Self {
        Links {
            map,
            looked_up: RefCell::new(Vec::new()),
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
        self.looked_up.borrow_mut().push((rel, found.clone()));
        found
    }

    /// Every lookup made, with what it found.
    pub fn into_looked_up(self) -> Vec<(String, Option<String>)> {
        self.looked_up.into_inner()
    }
}

/// A rendered document.
#[derive(Debug, Clone, Default)]
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
}

/// One heading in the table of contents.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
    pub children: Vec<TocEntry>,
}

/// [`ROOT`] as it appears in an `href` written by pulldown-cmark.
const ENCODED_ROOT: &str = "%EE%80%80";

fn options() -> Options {
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
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                match rewrite_url(input, dest_url) {
                    Ok(Some(new)) => *dest_url = new.into(),
                    Ok(None) => {}
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
    let mut html = plan.write(&events, events.len(), true);
    html.shrink_to_fit();
    let (summary_end, has_more) = summary_end(&events);
    let mut summary = plan.write(&events, summary_end, false);
    summary.shrink_to_fit();
    let summary_text = truncate_words(&plain_text(&events[..summary_end]), DESCRIPTION_LENGTH);
    Ok(Rendered {
        html,
        summary,
        summary_text,
        has_more,
        toc: plan.toc(),
        words,
    })
}

/// Renders a whole text as a summary (a front matter `summary`): HTML
/// without ids, and its plain text for descriptions.
pub fn render_summary(input: &Input<'_>) -> Result<(String, String), Vec<Diagnostic>> {
    let (events, _) = events(input)?;
    let html = Plan::new(&events, input).write(&events, events.len(), false);
    Ok((
        html,
        truncate_words(&plain_text(&events), DESCRIPTION_LENGTH),
    ))
}

/// Resolves a URL the way a link in `input` would be (for front matter
/// `image`): `Ok(None)` keeps it as it is.
pub fn resolve_url(input: &Input<'_>, dest: &str) -> Result<Option<String>, (String, String)> {
    rewrite_url(input, dest)
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
    let decoded = percent_decode(written);
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
        None => match url::join(input.page_path, written) {
            Some(p) => p,
            None => return Ok(None),
        },
    };
    Ok(Some(format!("{ROOT}{resolved}{suffix}")))
}

/// `%XX` escapes decoded, if there are any and they make UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    if !text.contains('%') {
        return None;
    }
    let hex = |b: u8| char::from(b).to_digit(16);
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) => hex(h).zip(hex(l)),
            _ => None,
        };
        match escaped {
            Some((h, l)) => {
                out.push(u8::try_from(h * 16 + l).unwrap_or(b'?'));
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
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

fn count_words(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
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
    language: Language,
    /// Heading id and level by the event index of the heading's start.
    headings: Vec<(usize, String, String, u8)>,
    /// Footnote label to its number, in order of first reference.
    footnotes: HashMap<String, usize>,
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
        let mut headings = Vec::new();
        let mut next_number: HashMap<String, usize> = HashMap::new();
        let mut in_footnote = 0;
        for (i, (event, _)) in events.iter().enumerate() {
            match event {
                Event::Start(Tag::FootnoteDefinition(_)) => in_footnote += 1,
                Event::End(TagEnd::FootnoteDefinition) => in_footnote -= 1,
                Event::Start(Tag::Heading { level, id, .. }) if in_footnote == 0 => {
                    let title = plain_text(&events[i + 1..heading_end(events, i)]);
                    let id = match id {
                        Some(id) => id.to_string(),
                        None => {
                            let slug = slugify(&title);
                            let base = if slug.is_empty() {
                                fallback.to_string()
                            } else {
                                slug
                            };
                            // Each base remembers the number it got to: a
                            // thousand headings "Notiz" take a thousand
                            // steps, not half a million.
                            let next = next_number.entry(base.clone()).or_insert(1);
                            let mut id = if *next == 1 {
                                base.clone()
                            } else {
                                format!("{base}-{next}")
                            };
                            while used.contains(&id) {
                                *next += 1;
                                id = format!("{base}-{next}");
                            }
                            *next += 1;
                            used.insert(id.clone());
                            id
                        }
                    };
                    headings.push((i, id, title, heading_number(*level)));
                }
                _ => {}
            }
        }
        Plan {
            page_path: input.page_path,
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

    /// Writes events `[0, end)` as HTML; `full` adds ids, anchors and the
    /// footnote list.
    fn write(&self, events: &[Spanned<'_>], end: usize, full: bool) -> String {
        self.write_range(events, 0, end, full)
    }

    /// Writes events `[start, end)`; parts inside headings and footnotes
    /// come through here too, so footnote references in them are numbered
    /// and linked like all others.
    fn write_range(&self, events: &[Spanned<'_>], start: usize, end: usize, full: bool) -> String {
        let strings = i18n::strings(self.language);
        let mut out: Vec<Event<'_>> = Vec::with_capacity(end - start);
        let mut definitions: Vec<(usize, String)> = Vec::new();
        let mut defined: HashSet<usize> = HashSet::new();
        let mut references_seen: HashMap<usize, usize> = HashMap::new();
        let mut alignments: Vec<Alignment> = Vec::new();
        let mut cell = 0;
        let mut in_head = false;
        let mut i = start;
        while i < end {
            let (event, _) = &events[i];
            match event {
                Event::Start(Tag::Heading { level, classes, .. }) => {
                    let close = heading_end(events, i);
                    let inner = self.write_range(events, i + 1, close, false);
                    let Some((_, id, title, _)) = self.heading(i) else {
                        // Not planned (cannot happen outside footnotes): plain.
                        out.push(Event::Html(format!("<{level}>{inner}</{level}>\n").into()));
                        i = close + 1;
                        continue;
                    };
                    let class = if classes.is_empty() {
                        String::new()
                    } else {
                        format!(" class=\"{}\"", escape::html(&classes.join(" ")))
                    };
                    let tag = level.to_string();
                    let html = if full {
                        format!(
                            "<{tag} id=\"{id}\"{class}>{inner} <a class=\"anchor\" href=\"{ROOT}{page}#{id}\" aria-label=\"{label}: {title}\">#</a></{tag}>\n",
                            id = escape::html(id),
                            page = self.page_path,
                            label = strings.anchor_label,
                            title = escape::html(title),
                        )
                    } else {
                        format!("<{tag}{class}>{inner}</{tag}>\n")
                    };
                    out.push(Event::Html(html.into()));
                    i = close + 1;
                    continue;
                }
                Event::Start(Tag::Image {
                    dest_url, title, ..
                }) => {
                    let close = matching_end(events, i);
                    let alt = plain_text(&events[i + 1..close]);
                    let title = if title.is_empty() {
                        String::new()
                    } else {
                        format!(" title=\"{}\"", escape::html(title))
                    };
                    out.push(Event::InlineHtml(
                        format!(
                            "<img src=\"{}\" alt=\"{}\"{title} loading=\"lazy\" decoding=\"async\">",
                            escape::html(dest_url),
                            escape::html(&alt)
                        )
                        .into(),
                    ));
                    i = close + 1;
                    continue;
                }
                Event::FootnoteReference(label) => {
                    let n = self
                        .footnotes
                        .get(&label.to_lowercase())
                        .copied()
                        .unwrap_or(0);
                    let seen = references_seen.entry(n).or_insert(0);
                    *seen += 1;
                    let html = if full {
                        let id = if *seen == 1 {
                            format!("fnref-{n}")
                        } else {
                            format!("fnref-{n}-{seen}")
                        };
                        format!("<sup class=\"footnote-ref\"><a href=\"{ROOT}{page}#fn-{n}\" id=\"{id}\">{n}</a></sup>", page = self.page_path)
                    } else {
                        format!("<sup class=\"footnote-ref\"><a href=\"{ROOT}{page}#fn-{n}\">{n}</a></sup>", page = self.page_path)
                    };
                    out.push(Event::InlineHtml(html.into()));
                }
                Event::Start(Tag::FootnoteDefinition(label)) => {
                    let close = matching_end(events, i);
                    // Definitions nobody refers to are left out, and so are
                    // repeated ones: each number is listed once.
                    let number = self.footnotes.get(&label.to_lowercase()).copied();
                    if let Some(n) = number.filter(|n| full && defined.insert(*n)) {
                        definitions.push((n, self.write_range(events, i + 1, close, false)));
                    }
                    i = close + 1;
                    continue;
                }
                Event::Html(h) | Event::InlineHtml(h) if is_more_marker(h) => {}
                Event::Start(Tag::Table(aligns)) => {
                    alignments = aligns.clone();
                    out.push(Event::Html("<div class=\"table-wrap\">\n<table>\n".into()));
                }
                Event::End(TagEnd::Table) => {
                    out.push(Event::Html("</tbody>\n</table>\n</div>\n".into()))
                }
                Event::Start(Tag::TableHead) => {
                    in_head = true;
                    cell = 0;
                    out.push(Event::Html("<thead>\n<tr>".into()));
                }
                Event::End(TagEnd::TableHead) => {
                    in_head = false;
                    out.push(Event::Html("</tr>\n</thead>\n<tbody>\n".into()));
                }
                Event::Start(Tag::TableRow) => {
                    cell = 0;
                    out.push(Event::Html("<tr>".into()));
                }
                Event::End(TagEnd::TableRow) => out.push(Event::Html("</tr>\n".into())),
                Event::Start(Tag::TableCell) => {
                    let tag = if in_head { "th" } else { "td" };
                    let class = match alignments.get(cell) {
                        Some(Alignment::Left) => " class=\"align-left\"",
                        Some(Alignment::Center) => " class=\"align-center\"",
                        Some(Alignment::Right) => " class=\"align-right\"",
                        _ => "",
                    };
                    out.push(Event::Html(format!("<{tag}{class}>").into()));
                }
                Event::End(TagEnd::TableCell) => {
                    out.push(Event::Html(if in_head { "</th>" } else { "</td>" }.into()));
                    cell += 1;
                }
                Event::Start(Tag::List(start)) if starts_task_list(events, i) => {
                    let html = match start {
                        Some(n) if *n != 1 => format!("<ol class=\"task-list\" start=\"{n}\">\n"),
                        Some(_) => "<ol class=\"task-list\">\n".to_string(),
                        None => "<ul class=\"task-list\">\n".to_string(),
                    };
                    out.push(Event::Html(html.into()));
                }
                Event::Start(Tag::Item)
                    if matches!(events.get(i + 1), Some((Event::TaskListMarker(_), _))) =>
                {
                    out.push(Event::Html("<li class=\"task\">".into()));
                }
                Event::TaskListMarker(done) => {
                    let checked = if *done { " checked" } else { "" };
                    out.push(Event::InlineHtml(
                        format!("<input type=\"checkbox\" disabled{checked}> ").into(),
                    ));
                }
                other => out.push(other.clone()),
            }
            i += 1;
        }
        let mut html_out = String::with_capacity((end - start) * 16);
        html::push_html(&mut html_out, out.into_iter());
        // pulldown-cmark percent-encodes the root marker inside link URLs.
        if html_out.contains(ENCODED_ROOT) {
            html_out = html_out.replace(ENCODED_ROOT, ROOT);
        }
        if full && !definitions.is_empty() {
            definitions.sort_by_key(|(n, _)| *n);
            html_out.push_str(&format!(
                "<section class=\"footnotes\" aria-label=\"{}\">\n<ol>\n",
                strings.footnotes
            ));
            for (n, body) in definitions {
                let back = format!(
                    " <a class=\"footnote-back\" href=\"{ROOT}{page}#fnref-{n}\" aria-label=\"{label}\">↩</a>",
                    page = self.page_path,
                    label = strings.back_to_text
                );
                let body = body.trim_end();
                let body = match body.strip_suffix("</p>") {
                    Some(inner) => format!("{inner}{back}</p>"),
                    None => format!("{body}{back}"),
                };
                html_out.push_str(&format!("<li id=\"fn-{n}\">{body}</li>\n"));
            }
            html_out.push_str("</ol>\n</section>\n");
        }
        html_out
    }
}

/// Whether the list starting at `i` has a task marker in its first item.
fn starts_task_list(events: &[(Event<'_>, std::ops::Range<usize>)], i: usize) -> bool {
    matches!(events.get(i + 2), Some((Event::TaskListMarker(_), _)))
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

fn heading_end(events: &[(Event<'_>, std::ops::Range<usize>)], start: usize) -> usize {
    matching_end(events, start)
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
mod tests {
    use super::*;

    fn render_with(
        body: &str,
        language: Language,
        links: &HashMap<String, String>,
    ) -> Result<Rendered, Vec<Diagnostic>> {
        let links = Links::new(links);
        let source = format!("---\ntitle: t\n---\n{body}");
        let input = Input {
            path: Path::new("content/posts/a.md"),
            source: &source,
            body_offset: 16,
            page_path: "posts/a/",
            source_dir: "posts",
            links: &links,
            language,
        };
        render(&input)
    }

    fn de(body: &str) -> Rendered {
        render_with(body, Language::De, &HashMap::new()).unwrap()
    }

    #[test]
    fn german_quotes() {
        let r = de("Sie sagte \"Hallo\" und 'so' geht's.\n");
        assert!(r.html.contains("„Hallo“"), "{}", r.html);
        assert!(r.html.contains("‚so‘"), "{}", r.html);
        assert!(r.html.contains("geht’s"), "{}", r.html);
        let en = render_with("\"Hi\"\n", Language::En, &HashMap::new()).unwrap();
        assert!(en.html.contains("“Hi”"), "{}", en.html);
    }

    #[test]
    fn headings_get_stable_unique_ids() {
        let r = de("## Über uns\n\n## Über uns\n\n### Tiefer {#eigene-id}\n");
        assert!(r.html.contains("<h2 id=\"ueber-uns\">"), "{}", r.html);
        assert!(r.html.contains("<h2 id=\"ueber-uns-2\">"), "{}", r.html);
        assert!(r.html.contains("<h3 id=\"eigene-id\">"), "{}", r.html);
        assert!(
            r.html.contains("href=\"\u{E000}posts/a/#ueber-uns\""),
            "{}",
            r.html
        );
        assert_eq!(r.toc.len(), 2);
        assert_eq!(r.toc[1].children[0].id, "eigene-id");
    }

    #[test]
    fn summary_stops_at_more_marker() {
        let r = de("Erster Absatz.\n\nZweiter.\n\n<!-- more -->\n\nRest.\n");
        assert_eq!(r.summary, "<p>Erster Absatz.</p>\n<p>Zweiter.</p>\n");
        assert!(r.has_more);
        assert!(!r.html.contains("more"), "{}", r.html);
        let r = de("Eins <!--more--> zwei.\n\nRest.\n");
        assert!(r.summary.starts_with("<p>Eins"), "{}", r.summary);
        assert!(r.has_more);
    }

    #[test]
    fn more_marker_inside_raw_html_keeps_tags_balanced() {
        let r = de(
            "Intro.\n\n<figure>\n<img src=\"x.jpg\" alt=\"\">\n</figure>\n<!-- more -->\n\nRest.\n",
        );
        assert!(r.summary.contains("</figure>"), "{}", r.summary);
        assert!(!r.summary.contains("Rest"), "{}", r.summary);
        assert!(r.has_more);
    }

    #[test]
    fn summary_defaults_to_first_paragraph() {
        let r = de("## Titel\n\nErster Absatz.\n\nZweiter.\n");
        assert_eq!(r.summary, "<h2>Titel</h2>\n<p>Erster Absatz.</p>\n");
        assert_eq!(r.summary_text, "Titel Erster Absatz.");
        let short = de("Nur ein Absatz.\n");
        assert!(!short.has_more);
    }

    #[test]
    fn heading_ids_never_repeat_and_explicit_ids_stay() {
        let r = de("## Dup\n\n## Dup\n\n## Dup-2\n\n## Eigen {#dup}\n\n## Fn 1\n\nText[^a].\n\n[^a]: Note.\n");
        let ids: Vec<&str> = r
            .html
            .match_indices(" id=\"")
            .map(|(i, _)| {
                let rest = &r.html[i + 5..];
                &rest[..rest.find('"').unwrap()]
            })
            .collect();
        assert_eq!(
            ids,
            ["dup-2", "dup-3", "dup-2-2", "dup", "fn-1-2", "fnref-1", "fn-1"]
        );
    }

    #[test]
    fn footnote_labels_ignore_case_and_unused_or_repeated_definitions_are_dropped() {
        let r = de("Text[^A].\n\n[^a]: Erste.\n[^a]: Doppelt.\n[^b]: Unbenutzt.\n");
        assert!(
            r.html.contains("href=\"\u{E000}posts/a/#fn-1\""),
            "{}",
            r.html
        );
        assert_eq!(r.html.matches("<li id=").count(), 1, "{}", r.html);
        assert!(
            !r.html.contains("Unbenutzt") && !r.html.contains("Doppelt"),
            "{}",
            r.html
        );
    }

    #[test]
    fn footnotes_in_headings_and_footnotes_are_linked() {
        let r = de("## Titel[^x]\n\nText[^y].\n\n[^x]: Eins.\n[^y]: Zwei, siehe[^x].\n");
        assert!(
            r.html.contains(
                "Titel<sup class=\"footnote-ref\"><a href=\"\u{E000}posts/a/#fn-1\">1</a></sup>"
            ),
            "{}",
            r.html
        );
        assert!(r.html.contains("Zwei, siehe<sup class=\"footnote-ref\"><a href=\"\u{E000}posts/a/#fn-1\">1</a></sup>"), "{}", r.html);
    }

    #[test]
    fn footnotes_are_collected_at_the_end() {
        let r = de("Text[^a] und mehr[^b].\n\n[^b]: Zweite.\n[^a]: Erste.\n\nSchluss.\n");
        assert!(
            r.html
                .contains("<a href=\"\u{E000}posts/a/#fn-1\" id=\"fnref-1\">1</a>"),
            "{}",
            r.html
        );
        let list = &r.html[r.html.find("<section class=\"footnotes\"").unwrap()..];
        assert!(list.find("fn-1").unwrap() < list.find("fn-2").unwrap());
        assert!(list.contains("Erste."), "{list}");
        assert!(r.html.find("Schluss").unwrap() < r.html.find("footnotes").unwrap());
        assert!(!r.summary.contains("id="), "{}", r.summary);
    }

    #[test]
    fn links_to_markdown_files_become_urls() {
        let links = HashMap::from([
            ("posts/b.md".to_string(), "posts/b/".to_string()),
            ("ueber-mich.md".to_string(), "ueber-mich/".to_string()),
        ]);
        let r = render_with(
            "[B](b.md#teil) [Ich](../ueber-mich.md) [x](https://example.org/a.md)\n",
            Language::De,
            &links,
        )
        .unwrap();
        assert!(
            r.html.contains("href=\"\u{E000}posts/b/#teil\""),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("href=\"\u{E000}ueber-mich/\""),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("href=\"https://example.org/a.md\""),
            "{}",
            r.html
        );
        let errors =
            render_with("Text\n\nSiehe [dort](fehlt.md).\n", Language::De, &links).unwrap_err();
        let msg = errors[0].to_string();
        assert!(msg.contains("content/posts/a.md:6:7"), "{msg}");
        assert!(msg.contains("link to `fehlt.md`"), "{msg}");
    }

    #[test]
    fn links_find_files_in_any_unicode_form_and_with_escapes() {
        // The link map's keys are NFC; the file was NFD on disk.
        let links = HashMap::from([
            ("posts/Über.md".to_string(), "posts/ueber/".to_string()),
            (
                "posts/mein beitrag.md".to_string(),
                "posts/mein-beitrag/".to_string(),
            ),
            (
                "posts/a/Grüße 1.png".to_string(),
                "posts/a/Grüße 1.png".to_string(),
            ),
        ]);
        let r = render_with(
            "[nfc](Über.md) [nfd](U\u{308}ber.md#teil) [leer](mein%20beitrag.md?x=1#a) [bild](a/Gr%C3%BC%C3%9Fe%201.png) [roh](%zz.png)\n",
            Language::De,
            &links,
        )
        .unwrap();
        for href in [
            "href=\"\u{E000}posts/ueber/\"",
            "href=\"\u{E000}posts/ueber/#teil\"",
            "href=\"\u{E000}posts/mein-beitrag/?x=1#a\"",
            "href=\"\u{E000}posts/a/Gr%C3%BC%C3%9Fe%201.png\"",
            "href=\"\u{E000}posts/a/%zz.png\"",
        ] {
            assert!(r.html.contains(href), "{href} in {}", r.html);
        }
        assert_eq!(percent_decode("a%20b%C3%BC"), Some("a bü".to_string()));
        assert_eq!(percent_decode("100%"), Some("100%".to_string()));
        assert_eq!(percent_decode("%FF"), None);
        assert_eq!(percent_decode("ohne"), None);
    }

    #[test]
    fn many_equal_headings_and_footnotes() {
        let mut body = String::new();
        for i in 0..3000 {
            body.push_str(&format!("## Notiz\n\nText[^{i}].\n\n"));
        }
        body.push_str("## Notiz-2\n\n");
        for i in 0..3000 {
            body.push_str(&format!("[^{i}]: Fußnote {i}.\n"));
        }
        let r = de(&body);
        let ids: Vec<&str> = r.toc.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(&ids[..3], ["notiz", "notiz-2", "notiz-3"]);
        assert_eq!(ids[2999], "notiz-3000");
        // Generated before, so this one steps aside.
        assert_eq!(ids[3000], "notiz-2-2");
        assert_eq!(r.html.matches("<li id=\"fn-").count(), 3000);
        assert!(
            r.html.contains("<li id=\"fn-3000\"><p>Fußnote 2999."),
            "{}",
            &r.html[r.html.len() - 300..]
        );
    }

    #[test]
    fn many_broken_links_are_all_located() {
        let body = "[a](fehlt.md) ".repeat(5000);
        let errors = render_with(&body, Language::De, &HashMap::new()).unwrap_err();
        assert_eq!(errors.len(), 5000);
        assert_eq!((errors[4999].line, errors[4999].column), (4, 4999 * 14 + 1));
        assert_eq!(
            errors[4999].source_line.as_ref().map(|l| l.chars().count()),
            Some(100)
        );
    }

    #[test]
    fn tables_use_classes_not_styles() {
        let r = de("| a | b |\n|:--|--:|\n| 1 | 2 |\n");
        assert!(
            r.html.contains("<th class=\"align-left\">a</th>"),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("<td class=\"align-right\">2</td>"),
            "{}",
            r.html
        );
        assert!(!r.html.contains("style="), "{}", r.html);
    }

    #[test]
    fn images_are_lazy_and_keep_alt_text() {
        let r = de("![Ein *Bild*](bild.png \"Titel\")\n");
        assert!(r.html.contains("<img src=\"\u{E000}posts/a/bild.png\" alt=\"Ein Bild\" title=\"Titel\" loading=\"lazy\" decoding=\"async\">"), "{}", r.html);
    }

    #[test]
    fn task_lists() {
        let r = de("- [x] erledigt\n- [ ] offen\n");
        assert!(r.html.contains("<ul class=\"task-list\">"), "{}", r.html);
        assert!(
            r.html
                .contains("<li class=\"task\"><input type=\"checkbox\" disabled checked> erledigt"),
            "{}",
            r.html
        );
    }

    #[test]
    fn truncation_keeps_words_whole() {
        assert_eq!(truncate_words("eins zwei drei", 9), "eins zwei…");
        assert_eq!(truncate_words("kurz", 9), "kurz");
    }

    #[test]
    fn words_are_counted() {
        assert_eq!(de("Eins zwei drei — vier.\n").words, 4);
    }
}
