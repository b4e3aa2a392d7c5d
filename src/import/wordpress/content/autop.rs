//! WordPress's paragraph formatting (`wpautop`) recreated for classic
//! content, which has no `<p>`: text separated by an empty line becomes
//! paragraphs, a single line break inside one becomes `<br />`, block
//! elements (tables, lists, figures, `<pre>`, …) are left as they are,
//! and the text inside a `<blockquote>` or `<div>` is formatted the same
//! way. Nothing inside `<pre>` changes.

use crate::import::html::{self, Index};
use crate::import::mapped::Out;

/// The elements WordPress does not put into paragraphs.
const BLOCKS: &[&str] = &[
    "table",
    "thead",
    "tfoot",
    "caption",
    "col",
    "colgroup",
    "tbody",
    "tr",
    "td",
    "th",
    "div",
    "dl",
    "dd",
    "dt",
    "ul",
    "ol",
    "li",
    "pre",
    "form",
    "map",
    "area",
    "blockquote",
    "address",
    "math",
    "style",
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "fieldset",
    "legend",
    "section",
    "article",
    "aside",
    "hgroup",
    "header",
    "footer",
    "nav",
    "figure",
    "figcaption",
    "details",
    "menu",
    "summary",
    "script",
    "iframe",
    "video",
    "audio",
    "object",
];

/// Elements whose text is formatted as the text around them is.
const FLOW: &[&str] = &["blockquote", "div"];

/// Elements without end tag.
const VOID: &[&str] = &["hr", "col", "area"];

/// The paragraph step over one (classic) text.
pub(super) fn run(input: &str) -> Out {
    let mut out = Out::default();
    let mut index = Index::new(input);
    flow(input, 0..input.len(), &mut index, &mut out);
    out
}

/// Formats `input[range]`: paragraphs between block elements.
fn flow(input: &str, range: std::ops::Range<usize>, index: &mut Index<'_>, out: &mut Out) {
    let mut text_from = range.start;
    let mut i = range.start;
    while let Some(found) = input[i..range.end].find('<') {
        let at = i + found;
        i = at + 1;
        let block = block_at(input, at, range.end, index);
        let Some((name, start_end, end)) = block else {
            continue;
        };
        paragraphs(input, text_from..at, out);
        separate(out, at);
        if FLOW.contains(&name.as_str()) && start_end < end {
            let close_start = input[..end].rfind("</").unwrap_or(end);
            out.copy(input, at..start_end);
            flow(input, start_end..close_start.max(start_end), index, out);
            out.copy(input, close_start.max(start_end)..end);
        } else {
            out.copy(input, at..end);
        }
        separate(out, end);
        text_from = end;
        i = end;
    }
    paragraphs(input, text_from..range.end, out);
}

/// The block element (or comment on its own) at `at`: its name, the end
/// of its start tag, and its end (past the end tag).
fn block_at(
    input: &str,
    at: usize,
    limit: usize,
    index: &mut Index<'_>,
) -> Option<(String, usize, usize)> {
    if input[at..limit].starts_with("<!--") {
        let end = input.get(at + 4..limit)?.find("-->")? + at + 7;
        let line_start = input[..at].rfind('\n').map_or(0, |n| n + 1);
        let own_line = input[line_start..at].trim().is_empty()
            && input[end..limit]
                .split('\n')
                .next()
                .unwrap_or("")
                .trim()
                .is_empty();
        return own_line.then(|| ("!--".to_string(), end, end));
    }
    let tag = html::start_tag(input, at).filter(|t| t.end <= limit)?;
    if !BLOCKS.contains(&tag.name.as_str()) {
        return None;
    }
    if VOID.contains(&tag.name.as_str()) || input[..tag.end].ends_with("/>") {
        return Some((tag.name, tag.end, tag.end));
    }
    let close = index.close(tag.end, &tag.name).filter(|c| c.end <= limit);
    let end = close.map_or(limit, |c| c.end);
    Some((tag.name, tag.end, end))
}

/// An empty line between what was written and what comes (at `at` in
/// the input).
fn separate(out: &mut Out, at: usize) {
    if out.text.is_empty() || out.text.ends_with("\n\n") {
        return;
    }
    out.trim_end();
    out.insert("\n\n", at);
}

/// The text in `range` as paragraphs: split at empty lines, each line
/// break inside one a `<br />`.
fn paragraphs(input: &str, range: std::ops::Range<usize>, out: &mut Out) {
    let text = &input[range.clone()];
    for chunk in split_blank(text) {
        let start = range.start + chunk.0;
        let para = &text[chunk.0..chunk.1];
        let lead = para.len() - para.trim_start().len();
        let para_trimmed = para.trim();
        if para_trimmed.is_empty() {
            continue;
        }
        let from = start + lead;
        separate(out, from);
        out.insert("<p>", from);
        let mut line_from = from;
        let lines: Vec<&str> = para_trimmed.split('\n').collect();
        for (n, line) in lines.iter().enumerate() {
            let trimmed = line.trim_end();
            out.copy(input, line_from..line_from + trimmed.len());
            if n + 1 < lines.len() {
                out.insert("<br />\n", line_from + line.len());
            }
            line_from += line.len() + 1;
        }
        out.insert("</p>", from + para_trimmed.len());
    }
}

/// The byte ranges of the parts of `text` between empty lines.
fn split_blank(text: &str) -> Vec<(usize, usize)> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut line_start = 0;
    let mut blank_run_start: Option<usize> = None;
    for (i, c) in text.char_indices() {
        if c != '\n' {
            continue;
        }
        let line = &text[line_start..i];
        if line.trim().is_empty() {
            if blank_run_start.is_none() {
                blank_run_start = Some(line_start);
            }
        } else if let Some(blank) = blank_run_start.take() {
            parts.push((start, blank));
            start = line_start;
        }
        line_start = i + 1;
    }
    if let Some(blank) = blank_run_start.filter(|_| text[line_start..].trim().is_empty()) {
        parts.push((start, blank));
    } else if let Some(blank) = blank_run_start {
        parts.push((start, blank));
        parts.push((line_start, text.len()));
    } else {
        parts.push((start, text.len()));
    }
    parts
}
