//! Writing a document's events as HTML, once for its page and once for its
//! summary.
//!
//! Apart from parsing, links and the summary's end (`mod.rs`) and from the
//! markup of each construct (`constructs`): this is only the walk over the
//! events, which hands each construct echt writes itself to its function
//! and everything else to pulldown-cmark's writer.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use pulldown_cmark::{html, CodeBlockKind, CowStr, Event, HeadingLevel, Tag};

use super::constructs::{self, Anchor, Table};
use super::highlight::{self, Block};
use super::{is_more_marker, matching_end, plain_text, Plan, Spanned, ENCODED_ROOT};
use crate::util::error::{Diagnostic, Lines, Severity};
use crate::util::i18n;
use crate::util::url::ROOT;

impl Plan<'_> {
    /// The page's HTML of all `events`: headings with ids and anchor links,
    /// footnote references with ids, and the footnotes listed at the end;
    /// with a note for each code block in a language echt does not know.
    pub(super) fn write_page(&self, events: &[Spanned<'_>]) -> (String, Vec<Diagnostic>) {
        let mut writer = Writer::new(self, events, Ids::Page);
        writer.write(0..events.len());
        let Writer {
            out,
            notes,
            references,
            unknown,
            ..
        } = writer;
        let remarks = self.unknown_languages(events, &unknown);
        let mut html = to_html(out, events.len());
        if !notes.is_empty() {
            let strings = i18n::strings(self.language);
            // A footnote referred to only from a heading or another
            // footnote has no reference with an id to go back to.
            let linked = |n: usize| references.contains_key(&n);
            html.push_str(&constructs::footnote_list(
                self.page_path,
                strings,
                &notes,
                &linked,
            ));
        }
        (html, remarks)
    }

    /// A note for each code block (by event index) whose language echt
    /// does not know, at the language's place in the fence.
    fn unknown_languages(
        &self,
        events: &[Spanned<'_>],
        unknown: &[(usize, &str)],
    ) -> Vec<Diagnostic> {
        if unknown.is_empty() {
            return Vec::new();
        }
        let lines = Lines::new(self.source);
        unknown
            .iter()
            .map(|&(i, language)| {
                let start = self.body_offset + events[i].1.start;
                let fence = self.source[start..].lines().next().unwrap_or("");
                let at = fence.find(language).map_or(start, |column| start + column);
                Diagnostic::at_offset_in(
                    self.path,
                    &lines,
                    at,
                    language.len(),
                    format!("no highlighting for the unknown language `{language}`: the code block is shown as plain code"),
                )
                .severity(Severity::Note)
                .hint("name a language echt knows (`rust`, `python`, `console`, `sh`, …) or `text` for plain code")
            })
            .collect()
    }

    /// The HTML of events `[0, end)` without ids, so that many summaries
    /// can share a list page; footnote references link to the post's page.
    pub(super) fn write_summary(&self, events: &[Spanned<'_>], end: usize) -> String {
        self.write_without_ids(events, 0..end)
    }

    /// The HTML of `range` without ids and without footnote definitions: a
    /// summary, or the text inside a heading or a footnote (which goes
    /// through here so that footnote references in it are numbered and
    /// linked like all others).
    fn write_without_ids(&self, events: &[Spanned<'_>], range: Range<usize>) -> String {
        let capacity = range.len();
        let mut writer = Writer::new(self, events, Ids::Omitted);
        writer.write(range);
        to_html(writer.out, capacity)
    }
}

/// Whether the HTML being written carries the document's ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ids {
    /// The page itself: ids on headings and footnote references, anchor
    /// links, footnote definitions collected for the list at the end.
    Page,
    /// A summary, or text inside a heading or footnote: no ids, and
    /// footnote definitions are left out.
    Omitted,
}

/// One walk over a range of events, with what it has gathered so far.
#[derive(Debug)]
struct Writer<'w, 'a> {
    plan: &'w Plan<'w>,
    events: &'w [Spanned<'a>],
    ids: Ids,
    /// The events for pulldown-cmark's writer: the constructs echt writes
    /// itself already turned into HTML.
    out: Vec<Event<'a>>,
    table: Table,
    /// How many references to each footnote number have been written.
    references: HashMap<usize, usize>,
    /// Each footnote's body as HTML, by number: the first definition of a
    /// number that is referred to (with [`Ids::Page`] only).
    notes: BTreeMap<usize, String>,
    /// Code blocks in a language echt does not know: the event index and
    /// the language (with [`Ids::Page`] only).
    unknown: Vec<(usize, &'w str)>,
}

impl<'w, 'a> Writer<'w, 'a> {
    fn new(plan: &'w Plan<'w>, events: &'w [Spanned<'a>], ids: Ids) -> Self {
        Writer {
            plan,
            events,
            ids,
            out: Vec::new(),
            table: Table::default(),
            references: HashMap::new(),
            notes: BTreeMap::new(),
            unknown: Vec::new(),
        }
    }

    /// Writes the events of `range`.
    fn write(&mut self, range: Range<usize>) {
        self.out.reserve(range.len());
        let mut i = range.start;
        while i < range.end {
            i = self.event(i);
        }
    }

    /// Writes the event at `i` and returns the index of the next one: a
    /// heading, an image or a footnote definition is written whole, up to
    /// the end of its tag.
    fn event(&mut self, i: usize) -> usize {
        let events = self.events;
        let event = &events[i].0;
        match event {
            Event::Start(Tag::Heading { level, classes, .. }) => {
                return self.heading(i, *level, classes)
            }
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => return self.image(i, dest_url, title),
            Event::Start(Tag::FootnoteDefinition(label)) => {
                return self.footnote_definition(i, label)
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                if let CodeBlockKind::Fenced(info) = kind {
                    if let Some(next) = self.code_block(i, info) {
                        return next;
                    }
                }
                // pulldown-cmark ends it with `</code></pre>`.
                let start = format!("{}><code>", highlight::PRE);
                self.out.push(Event::Html(start.into()));
            }
            Event::FootnoteReference(label) => self.footnote_reference(label),
            Event::Html(h) | Event::InlineHtml(h) if is_more_marker(h) => {}
            _ => {
                let mine = self.table.event(event).or_else(|| {
                    constructs::task_list(events, i, i18n::strings(self.plan.language))
                });
                self.out.push(mine.unwrap_or_else(|| event.clone()));
            }
        }
        i + 1
    }

    /// The heading that starts at `i`, with its text written without ids.
    fn heading(&mut self, i: usize, level: HeadingLevel, classes: &[CowStr<'_>]) -> usize {
        let close = matching_end(self.events, i);
        let inner = self.plan.write_without_ids(self.events, i + 1..close);
        let html = match self.plan.heading(i) {
            Some((_, id, title, _)) => {
                let anchor = Anchor {
                    page_path: self.plan.page_path,
                    id,
                    title,
                    label: i18n::strings(self.plan.language).anchor_label,
                };
                let anchor = (self.ids == Ids::Page).then_some(&anchor);
                constructs::heading(level, classes, &inner, anchor)
            }
            // Not planned (a heading inside a footnote): plain, no classes.
            None => constructs::heading(level, &[], &inner, None),
        };
        self.out.push(Event::Html(html.into()));
        close + 1
    }

    /// The image that starts at `i`; its description becomes the alt text.
    fn image(&mut self, i: usize, src: &str, title: &str) -> usize {
        let close = matching_end(self.events, i);
        let alt = plain_text(&self.events[i + 1..close]);
        let html = match self.plan.pictures.get(&i) {
            Some(picture) => {
                let lazy = self.ids == Ids::Omitted || self.plan.eager != Some(i);
                picture.html(&alt, title, lazy)
            }
            None => constructs::image(src, title, &alt),
        };
        self.out.push(Event::InlineHtml(html.into()));
        close + 1
    }

    /// The fenced code block that starts at `i`, highlighted when its info
    /// string names a language, with numbered lines when it asks for
    /// them. None leaves a block without either to pulldown-cmark.
    fn code_block(&mut self, i: usize, info: &'w str) -> Option<usize> {
        let (written, numbered) = highlight::info(info);
        if written.is_empty() && !numbered {
            return None;
        }
        let close = matching_end(self.events, i);
        let language = if written.is_empty() {
            Some(highlight::Language::Plain)
        } else {
            highlight::resolve(written)
        };
        if language.is_none() && self.ids == Ids::Page {
            self.unknown.push((i, written));
        }
        // A block in the summary is written for the page too: once.
        let html = self
            .plan
            .code
            .borrow_mut()
            .entry(i)
            .or_insert_with(|| {
                let code: String = self.events[i + 1..close]
                    .iter()
                    .filter_map(|(event, _)| match event {
                        Event::Text(text) => Some(text.as_ref()),
                        _ => None,
                    })
                    .collect();
                let block = Block {
                    written,
                    language,
                    numbered,
                };
                highlight::write(&block, &code)
            })
            .clone();
        self.out.push(Event::Html(html.into()));
        Some(close + 1)
    }

    /// A footnote reference, numbered by the plan.
    fn footnote_reference(&mut self, label: &str) {
        let n = self.plan.footnote(label).unwrap_or(0);
        let nth = match self.ids {
            Ids::Page => {
                let seen = self.references.entry(n).or_insert(0);
                *seen += 1;
                Some(*seen)
            }
            Ids::Omitted => None,
        };
        let html = constructs::footnote_reference(self.plan.page_path, n, nth);
        self.out.push(Event::InlineHtml(html.into()));
    }

    /// The footnote definition that starts at `i`: kept for the list at the
    /// end of the page, or left out. Definitions nobody refers to are left
    /// out, and so are repeated ones: each number is listed once.
    fn footnote_definition(&mut self, i: usize, label: &str) -> usize {
        let close = matching_end(self.events, i);
        if self.ids == Ids::Page {
            if let Some(n) = self.plan.footnote(label) {
                if !self.notes.contains_key(&n) {
                    let body = self.plan.write_without_ids(self.events, i + 1..close);
                    self.notes.insert(n, body);
                }
            }
        }
        close + 1
    }
}

/// pulldown-cmark's HTML of `events`, with the root marker it
/// percent-encoded inside link URLs put back. `len` is the number of
/// Markdown events they came from, to size the string.
fn to_html(events: Vec<Event<'_>>, len: usize) -> String {
    let mut html = String::with_capacity(len * 16);
    html::push_html(&mut html, events.into_iter());
    if html.contains(ENCODED_ROOT) {
        html = html.replace(ENCODED_ROOT, ROOT);
    }
    html
}
