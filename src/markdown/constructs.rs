//! The HTML echt writes for the Markdown constructs it does not leave to
//! pulldown-cmark: headings, images, footnote references and the footnote
//! list, tables, task lists.
//!
//! Apart from the walk over a document's events (`write`) so that each
//! construct's markup can be read and tested on its own: these functions
//! know nothing of the document, only of the parts of one construct.

use std::collections::BTreeMap;

use pulldown_cmark::{Alignment, CowStr, Event, HeadingLevel, Tag, TagEnd};

use super::Spanned;
use crate::util::escape;
use crate::util::i18n::Strings;
use crate::util::url::ROOT;

/// What a heading on its own page carries: its id, and a link to itself
/// labelled with its title.
#[derive(Debug)]
pub(super) struct Anchor<'a> {
    /// The page's path below the site root: `posts/a/`.
    pub page_path: &'a str,
    pub id: &'a str,
    /// The heading as plain text.
    pub title: &'a str,
    /// "Link to this section", in the page's language.
    pub label: &'a str,
}

/// A heading around its already written `inner` HTML; with an anchor it
/// gets its id and the link to itself after the text.
pub(super) fn heading(
    level: HeadingLevel,
    classes: &[CowStr<'_>],
    inner: &str,
    anchor: Option<&Anchor<'_>>,
) -> String {
    let class = if classes.is_empty() {
        String::new()
    } else {
        format!(" class=\"{}\"", escape::html(&classes.join(" ")))
    };
    match anchor {
        Some(a) => format!(
            "<{level} id=\"{id}\"{class}>{inner} <a class=\"anchor\" href=\"{ROOT}{page}#{id}\" aria-label=\"{label}: {title}\">#</a></{level}>\n",
            id = escape::html(a.id),
            page = a.page_path,
            label = a.label,
            title = escape::html(a.title),
        ),
        None => format!("<{level}{class}>{inner}</{level}>\n"),
    }
}

/// An image, loaded lazily; `alt` is the plain text of its description.
pub(super) fn image(src: &str, title: &str, alt: &str) -> String {
    let title = if title.is_empty() {
        String::new()
    } else {
        format!(" title=\"{}\"", escape::html(title))
    };
    format!(
        "<img src=\"{}\" alt=\"{}\"{title} loading=\"lazy\" decoding=\"async\">",
        escape::html(src),
        escape::html(alt)
    )
}

/// A reference to footnote `n`. `nth` says which reference to it this is
/// on the page, for its id (`fnref-1`, then `fnref-1-2`); None writes it
/// without an id.
pub(super) fn footnote_reference(page_path: &str, n: usize, nth: Option<usize>) -> String {
    match nth {
        Some(nth) => {
            let id = if nth == 1 {
                format!("fnref-{n}")
            } else {
                format!("fnref-{n}-{nth}")
            };
            format!("<sup class=\"footnote-ref\"><a href=\"{ROOT}{page_path}#fn-{n}\" id=\"{id}\">{n}</a></sup>")
        }
        None => {
            format!(
                "<sup class=\"footnote-ref\"><a href=\"{ROOT}{page_path}#fn-{n}\">{n}</a></sup>"
            )
        }
    }
}

/// The list of footnotes at the end of a page, by number, each with a link
/// back to its first reference (inside its last paragraph, if it ends with
/// one) where `linked` says the page has one with an id. `notes` holds
/// each footnote's body as HTML.
pub(super) fn footnote_list(
    page_path: &str,
    strings: &Strings,
    notes: &BTreeMap<usize, String>,
    linked: &dyn Fn(usize) -> bool,
) -> String {
    let mut html = format!(
        "<section class=\"footnotes\" aria-label=\"{}\">\n<ol>\n",
        strings.footnotes
    );
    for (n, body) in notes {
        let body = body.trim_end();
        if !linked(*n) {
            html.push_str(&format!("<li id=\"fn-{n}\">{body}</li>\n"));
            continue;
        }
        let back = format!(
            " <a class=\"footnote-back\" href=\"{ROOT}{page_path}#fnref-{n}\" aria-label=\"{label}\">↩</a>",
            label = strings.back_to_text
        );
        let body = match body.strip_suffix("</p>") {
            Some(inner) => format!("{inner}{back}</p>"),
            None => format!("{body}{back}"),
        };
        html.push_str(&format!("<li id=\"fn-{n}\">{body}</li>\n"));
    }
    html.push_str("</ol>\n</section>\n");
    html
}

/// Where the writer is in a table: a cell is `th` in the head and `td` in
/// the body, and takes its column's alignment as a class (a page's policy
/// allows no `style` attributes).
#[derive(Debug, Default)]
pub(super) struct Table {
    alignments: Vec<Alignment>,
    in_head: bool,
    /// The column of the next cell.
    cell: usize,
}

impl Table {
    /// The markup for a table's event, or None for any other event. The
    /// table is wrapped so that a wide one scrolls on its own.
    pub(super) fn event(&mut self, event: &Event<'_>) -> Option<Event<'static>> {
        let html: CowStr<'static> = match event {
            Event::Start(Tag::Table(alignments)) => {
                self.alignments.clone_from(alignments);
                "<div class=\"table-wrap\">\n<table>\n".into()
            }
            Event::End(TagEnd::Table) => "</tbody>\n</table>\n</div>\n".into(),
            Event::Start(Tag::TableHead) => {
                self.in_head = true;
                self.cell = 0;
                "<thead>\n<tr>".into()
            }
            Event::End(TagEnd::TableHead) => {
                self.in_head = false;
                "</tr>\n</thead>\n<tbody>\n".into()
            }
            Event::Start(Tag::TableRow) => {
                self.cell = 0;
                "<tr>".into()
            }
            Event::End(TagEnd::TableRow) => "</tr>\n".into(),
            Event::Start(Tag::TableCell) => {
                let tag = if self.in_head { "th" } else { "td" };
                let class = match self.alignments.get(self.cell) {
                    Some(Alignment::Left) => " class=\"align-left\"",
                    Some(Alignment::Center) => " class=\"align-center\"",
                    Some(Alignment::Right) => " class=\"align-right\"",
                    _ => "",
                };
                format!("<{tag}{class}>").into()
            }
            Event::End(TagEnd::TableCell) => {
                self.cell += 1;
                if self.in_head { "</th>" } else { "</td>" }.into()
            }
            _ => return None,
        };
        Some(Event::Html(html))
    }
}

/// The markup for the event at `i` if it belongs to a task list: the list
/// and each task get a class, and a task's marker becomes a mark that
/// shows (the stylesheet draws a box) and says (`task_done`,
/// `task_open`) whether it is done. Not a form control: a static page
/// cannot keep a tick, and a checkbox without a label is a barrier for
/// screen readers. None for any other event.
pub(super) fn task_list(
    events: &[Spanned<'_>],
    i: usize,
    strings: &Strings,
) -> Option<Event<'static>> {
    let is_marker = |at: usize| matches!(events.get(at), Some((Event::TaskListMarker(_), _)));
    match events.get(i).map(|(event, _)| event) {
        // A list is a task list if its first item starts with a marker.
        Some(Event::Start(Tag::List(start))) if is_marker(i + 2) => {
            let html = match start {
                Some(n) if *n != 1 => format!("<ol class=\"task-list\" start=\"{n}\">\n"),
                Some(_) => "<ol class=\"task-list\">\n".to_string(),
                None => "<ul class=\"task-list\">\n".to_string(),
            };
            Some(Event::Html(html.into()))
        }
        Some(Event::Start(Tag::Item)) if is_marker(i + 1) => {
            Some(Event::Html("<li class=\"task\">".into()))
        }
        Some(Event::TaskListMarker(done)) => {
            let (class, state) = if *done {
                ("task-mark task-done", strings.task_done)
            } else {
                ("task-mark", strings.task_open)
            };
            Some(Event::InlineHtml(
                format!("<span class=\"{class}\" role=\"img\" aria-label=\"{state}\"></span> ")
                    .into(),
            ))
        }
        _ => None,
    }
}
