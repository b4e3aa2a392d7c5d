//! The post's HTML as Markdown where Markdown says the same: paragraphs,
//! headings, emphasis, links, inline code, lists, quotes, rules and code
//! blocks (fenced, with their language). What Markdown cannot say
//! (figures, galleries, tables, players, anything with attributes that
//! matter) stays HTML, which echt's Markdown passes through, kept free of
//! empty lines so that it stays one HTML block. Layout wrappers (columns,
//! groups, button rows) are dropped and their content read as flow.

use crate::import::html::{self, Index, Tag};
use crate::import::mapped::Out;
use crate::import::wordpress::wxr::lenient_unescape;

use super::{changed, review, RawNote};

/// Elements that stand as blocks at the top of a post.
const BLOCKS: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "blockquote",
    "pre",
    "hr",
    "div",
    "figure",
    "table",
    "dl",
    "section",
    "article",
    "aside",
    "header",
    "footer",
    "nav",
    "form",
    "details",
    "address",
    "fieldset",
    "audio",
    "video",
    "iframe",
    "script",
    "style",
    "object",
];

/// The Markdown step over one text.
pub(super) fn run(input: &str) -> (Out, Vec<RawNote>) {
    let mut step = Step {
        input,
        index: Index::new(input),
        out: Out::default(),
        notes: Vec::new(),
    };
    step.flow(0..input.len());
    (step.out, step.notes)
}

struct Step<'i> {
    input: &'i str,
    index: Index<'i>,
    out: Out,
    notes: Vec<RawNote>,
}

impl Step<'_> {
    /// Writes `text` as a block standing for the input at `at`.
    fn block(&mut self, text: &str, at: usize) {
        if !self.out.text.is_empty() {
            self.out.trim_end();
            self.out.insert("\n\n", at);
        }
        self.out.insert(text, at);
    }

    /// Copies `range` as an HTML block, without its empty lines.
    fn html(&mut self, range: std::ops::Range<usize>) {
        if !self.out.text.is_empty() {
            self.out.trim_end();
            self.out.insert("\n\n", range.start);
        }
        let keep_blank = self.input[range.clone()].contains("<pre");
        let mut from = range.start;
        for line in self.input[range.clone()].split_inclusive('\n') {
            if keep_blank || !line.trim().is_empty() {
                self.out.copy(self.input, from..from + line.len());
            }
            from += line.len();
        }
    }

    /// The top-level elements and text of `range`, one block each.
    fn flow(&mut self, range: std::ops::Range<usize>) {
        let input = self.input;
        let mut i = range.start;
        while i < range.end {
            let rest = &input[i..range.end];
            let skip = rest.len() - rest.trim_start().len();
            i += skip;
            if i >= range.end {
                break;
            }
            if input[i..range.end].starts_with("<!--") {
                i = self.comment(i, range.end);
                continue;
            }
            let tag = html::start_tag(input, i)
                .filter(|t| t.end <= range.end && BLOCKS.contains(&t.name.as_str()));
            i = match tag {
                Some(tag) => self.element(&tag, range.end),
                None => self.inline_run(i, range.end),
            };
        }
    }

    /// `<!--more-->` as echt writes it; other comments as they are.
    fn comment(&mut self, at: usize, limit: usize) -> usize {
        let end = self
            .input
            .get(at + 4..limit)
            .and_then(|rest| rest.find("-->"))
            .map_or(limit, |e| at + 4 + e + 3);
        let inner = self.input[at..end]
            .trim_start_matches("<!--")
            .trim_end_matches("-->")
            .trim();
        match inner {
            "more" => self.block("<!-- more -->", at),
            "nextpage" => self.notes.push(review(
                at,
                "<!--nextpage--> split the post into pages; it is one page now".into(),
            )),
            _ => self.html(at..end),
        }
        end
    }

    /// One block element; returns where it ends.
    fn element(&mut self, tag: &Tag<'_>, limit: usize) -> usize {
        let name = tag.name.as_str();
        let void = name == "hr" || self.input[..tag.end].ends_with("/>");
        let close = if void {
            None
        } else {
            self.index.close(tag.end, name).filter(|c| c.end <= limit)
        };
        let (inner, end) = match &close {
            Some(c) => (tag.end..c.start, c.end),
            None if void => (tag.end..tag.end, tag.end),
            None => (tag.end..limit, limit),
        };
        let text = &self.input[inner.clone()];
        let converted = match name {
            _ if styled(tag) => None,
            // An anchor others may link to (headings keep theirs below).
            "p" | "ul" | "ol" | "blockquote" | "pre" if tag.attr("id").is_some() => None,
            "hr" => Some("---".to_string()),
            "p" => inline(text),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let level = usize::from(name.as_bytes()[1] - b'0');
                let id = tag.attr("id").map(str::trim).filter(|id| {
                    !id.is_empty()
                        && id
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
                });
                let attribute = id.map_or_else(String::new, |id| format!(" {{#{id}}}"));
                inline(text)
                    .filter(|t| !t.contains('\n'))
                    .map(|t| format!("{} {t}{attribute}", "#".repeat(level)))
            }
            "ul" | "ol" => list(text, name == "ol"),
            "blockquote" => quote(text),
            "pre" => fence(tag, text),
            "div" if unwrapped(tag) => {
                self.flow(inner);
                return end;
            }
            "figure" if tag.has_class("wp-block-pullquote") => {
                let start = text.find("<blockquote");
                let quoted = start.and_then(|s| {
                    let t = html::start_tag(text, s)?;
                    let c = text[t.end..].rfind("</blockquote>")? + t.end;
                    quote(&text[t.end..c])
                });
                if quoted.is_some() {
                    self.notes
                        .push(changed(tag.start, "pull quote became a quote".into()));
                }
                quoted
            }
            _ => None,
        };
        match converted {
            Some(md) => self.block(&md, tag.start),
            None => self.html(tag.start..end),
        }
        end
    }

    /// Text and inline elements up to the next block or empty line.
    fn inline_run(&mut self, at: usize, limit: usize) -> usize {
        let input = self.input;
        let mut end = limit;
        let mut j = at;
        while j < limit {
            let rest = &input[j..limit];
            let Some(next) = rest.find(['<', '\n']) else {
                break;
            };
            let k = j + next;
            if input.as_bytes()[k] == b'\n' {
                let line_end = input[k + 1..limit].find('\n').map_or(limit, |e| k + 1 + e);
                if input[k + 1..line_end].trim().is_empty() {
                    end = k;
                    break;
                }
            } else if k > at
                && html::start_tag(input, k).is_some_and(|t| BLOCKS.contains(&t.name.as_str()))
            {
                end = k;
                break;
            }
            j = k + 1;
        }
        let end = end.max(at + 1).min(limit);
        let end = (end..=limit)
            .find(|&e| input.is_char_boundary(e))
            .unwrap_or(limit);
        let text = &input[at..end];
        match inline(text) {
            Some(md) => self.block(&md, at),
            None => self.html(at..end),
        }
        end
    }
}

/// Whether an element's attributes say how it looks (alignment, colour,
/// a style), which Markdown cannot say.
fn styled(tag: &Tag<'_>) -> bool {
    tag.attr("style").is_some()
        || tag.attr("align").is_some()
        || tag.attr("class").is_some_and(|c| {
            c.split_whitespace().any(|c| {
                c.starts_with("has-text-align-")
                    || c.starts_with("align")
                    || (c.starts_with("has-") && c.ends_with("-color"))
                    || c == "has-background"
            })
        })
}

/// Wrappers read as plain flow: a `div` of the block editor's layout
/// blocks, or one without attributes.
fn unwrapped(tag: &Tag<'_>) -> bool {
    if tag.attrs.is_empty() {
        return true;
    }
    let layout = [
        "wp-block-columns",
        "wp-block-column",
        "wp-block-group",
        "wp-block-buttons",
        "wp-block-button",
        "wp-block-group__inner-container",
    ];
    layout.iter().any(|c| tag.has_class(c)) && tag.attr("id").is_none()
}

/// Inline HTML (text, `strong`/`b`, `em`/`i`, `a href`, `code`, `br`) as
/// Markdown; None when it holds anything else.
pub(super) fn inline(html_text: &str) -> Option<String> {
    let mut md = String::new();
    let mut stack: Vec<(String, usize, Option<String>)> = Vec::new();
    let mut i = 0;
    let mut at_line_start = true;
    let text = html_text.trim();
    while i < text.len() {
        let rest = &text[i..];
        if rest.starts_with("</") {
            let close = rest.find('>')?;
            let name = rest[2..close].trim().to_ascii_lowercase();
            close_inline(&mut md, stack.pop()?, &name)?;
            i += close + 1;
            at_line_start = false;
            continue;
        }
        if rest.starts_with('<') {
            let tag = html::start_tag(text, i)?;
            match tag.name.as_str() {
                "br" => {
                    md.push_str("\\\n");
                    i = tag.end;
                    i += text[i..].len() - text[i..].trim_start().len();
                    at_line_start = true;
                    continue;
                }
                "code" => {
                    let close = text[tag.end..].find("</code>")? + tag.end;
                    let code = &text[tag.end..close];
                    if code.contains('<') || code.is_empty() {
                        return None;
                    }
                    md.push_str(&code_span(&lenient_unescape(code)));
                    i = close + "</code>".len();
                    at_line_start = false;
                    continue;
                }
                "strong" | "b" | "em" | "i" if tag.attrs.is_empty() => {
                    stack.push((tag.name.clone(), md.len(), None));
                }
                "a" if tag.attrs.iter().all(|a| {
                    matches!(a.0.as_str(), "href" | "title" | "rel" | "target" | "class")
                }) =>
                {
                    let href = html::url(tag.attr("href")?);
                    stack.push((tag.name.clone(), md.len(), Some(href)));
                }
                _ => return None,
            }
            i = tag.end;
            continue;
        }
        let next = rest.find('<').unwrap_or(rest.len());
        escape_text(&rest[..next], &mut md, &mut at_line_start);
        i += next;
    }
    stack.is_empty().then_some(md)
}

/// Ends the inline element `open` (name, where its Markdown starts, its
/// link address) at its end tag `name`; None when the tags do not match
/// or the content starts or ends with a space (which would not be
/// emphasis in Markdown).
fn close_inline(md: &mut String, open: (String, usize, Option<String>), name: &str) -> Option<()> {
    let (open, from, href) = open;
    if open != name {
        return None;
    }
    let inner = md[from..].to_string();
    if inner.trim().is_empty() || inner.trim() != inner {
        return None;
    }
    md.truncate(from);
    md.push_str(&match name {
        "strong" | "b" => format!("**{inner}**"),
        "em" | "i" => format!("*{inner}*"),
        "a" => format!("[{inner}]({})", destination(href.as_deref()?)),
        _ => return None,
    });
    Some(())
}

/// A link destination, in `<…>` when it has spaces or parentheses.
fn destination(href: &str) -> String {
    if href.contains([' ', '(', ')', '<', '>']) {
        format!("<{}>", href.replace('<', "%3C").replace('>', "%3E"))
    } else {
        href.to_string()
    }
}

/// `` `code` ``, with enough backticks.
fn code_span(code: &str) -> String {
    let longest = longest_run(code, '`');
    let ticks = "`".repeat(longest + 1);
    let pad = if code.starts_with('`') || code.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{ticks}{pad}{code}{pad}{ticks}")
}

fn longest_run(text: &str, c: char) -> usize {
    let mut longest = 0;
    let mut run = 0;
    for ch in text.chars() {
        run = if ch == c { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest
}

/// Text as Markdown that shows it as it is: Markdown's own characters
/// escaped, each line's indentation dropped.
fn escape_text(text: &str, md: &mut String, at_line_start: &mut bool) {
    for c in text.chars() {
        if c == '\n' {
            md.push('\n');
            *at_line_start = true;
            continue;
        }
        if *at_line_start {
            if c == ' ' || c == '\t' {
                continue;
            }
            if matches!(c, '#' | '>' | '-' | '+' | '=') {
                md.push('\\');
            }
            *at_line_start = false;
        }
        if matches!(c, '\\' | '*' | '_' | '`' | '[' | ']' | '~' | '|') {
            md.push('\\');
        }
        md.push(c);
    }
    escape_numbered(md);
}

/// `1. ` at the start of a line (which would start a list) as `1\. `.
fn escape_numbered(md: &mut String) {
    let line_start = md.rfind('\n').map_or(0, |n| n + 1);
    let line = &md[line_start..];
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && matches!(line.as_bytes().get(digits), Some(b'.' | b')')) {
        md.insert(line_start + digits, '\\');
    }
}

/// `<li>` items as a Markdown list, when each is simple inline text.
fn list(inner: &str, ordered: bool) -> Option<String> {
    let mut items = Vec::new();
    let mut rest = inner.trim();
    while !rest.is_empty() {
        if rest.starts_with("<!--") {
            let end = rest.find("-->")? + 3;
            rest = rest[end..].trim_start();
            continue;
        }
        let tag = html::start_tag(rest, 0).filter(|t| t.name == "li")?;
        let close = rest[tag.end..].find("</li>")? + tag.end;
        let item = inline(&rest[tag.end..close])?;
        items.push(item.replace('\n', "\n   "));
        rest = rest[close + 5..].trim_start();
    }
    if items.is_empty() {
        return None;
    }
    Some(
        items
            .iter()
            .enumerate()
            .map(|(n, item)| {
                if ordered {
                    format!("{}. {item}", n + 1)
                } else {
                    format!("- {item}")
                }
            })
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

/// A quote of paragraphs (and a `<cite>`) as `> ` lines.
fn quote(inner: &str) -> Option<String> {
    let mut paragraphs = Vec::new();
    let mut rest = inner.trim();
    while !rest.is_empty() {
        if rest.starts_with("<!--") {
            let end = rest.find("-->")? + 3;
            rest = rest[end..].trim_start();
            continue;
        }
        let Some(tag) = html::start_tag(rest, 0).filter(|t| t.name == "p" || t.name == "cite")
        else {
            // Text without paragraphs: one paragraph up to the cite (a
            // `<cite` that is no tag leaves the quote as HTML).
            let end = rest.find("<cite").unwrap_or(rest.len());
            if end == 0 {
                return None;
            }
            paragraphs.push(inline(&rest[..end])?);
            rest = rest[end..].trim_start();
            continue;
        };
        let end_tag = format!("</{}>", tag.name);
        let close = rest[tag.end..].find(&end_tag)? + tag.end;
        let text = inline(&rest[tag.end..close])?;
        paragraphs.push(if tag.name == "cite" {
            format!("— {text}")
        } else {
            text
        });
        rest = rest[close + end_tag.len()..].trim_start();
    }
    if paragraphs.is_empty() {
        return None;
    }
    let lines: Vec<String> = paragraphs
        .join("\n\n")
        .lines()
        .map(|l| {
            if l.is_empty() {
                ">".to_string()
            } else {
                format!("> {l}")
            }
        })
        .collect();
    Some(lines.join("\n"))
}

/// `<pre>` (with a `<code>` inside or not) as a fenced code block, its
/// language from a `language-X` class; None for verse and for
/// preformatted text with markup inside.
fn fence(tag: &Tag<'_>, inner: &str) -> Option<String> {
    if tag.has_class("wp-block-verse") {
        return None;
    }
    let mut code = inner;
    let mut language = language_of(tag);
    if let Some(t) = html::start_tag(inner.trim_start(), 0).filter(|t| t.name == "code") {
        let trimmed = inner.trim_start();
        let close = trimmed.rfind("</code>")?;
        if !trimmed[close + 7..].trim().is_empty() || close < t.end {
            return None;
        }
        language = language.or_else(|| language_of(&t));
        code = &trimmed[t.end..close];
    }
    if code.contains('<') {
        return None;
    }
    let code = lenient_unescape(code).replace("&nbsp;", "\u{a0}");
    let code = code.strip_prefix('\n').unwrap_or(&code).trim_end();
    let ticks = "`".repeat(longest_run(code, '`').max(2) + 1);
    Some(format!(
        "{ticks}{}\n{code}\n{ticks}",
        language.unwrap_or_default()
    ))
}

fn language_of(tag: &Tag<'_>) -> Option<String> {
    let class = tag.attr("class")?;
    class
        .split_whitespace()
        .find_map(|c| {
            c.strip_prefix("language-")
                .or_else(|| c.strip_prefix("lang-"))
        })
        .filter(|l| !l.is_empty())
        .map(str::to_string)
}
