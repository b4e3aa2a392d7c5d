//! kramdown's syntax beyond CommonMark: attribute lists (`{: .class}`),
//! extensions (`{::comment}`, `{::nomarkdown}`, `{::options}`), `{:toc}`,
//! abbreviations, `markdown="1"` and math. Heading attributes become
//! echt's `{#id .class}`; the rest is converted or removed and noted.

use super::code::{self, Code};
use super::html;
use super::mapped::Out;
use super::RawNote;
use crate::util::escape;

/// An abbreviation defined with `*[WORD]: title`.
#[derive(Debug, Clone)]
pub(super) struct Abbr {
    pub(super) word: String,
    pub(super) title: String,
}

/// An attribute list: `{: #id .class key="value" ref}`.
#[derive(Debug, Default)]
struct Ial {
    ids: Vec<String>,
    classes: Vec<String>,
    /// Everything else, as written.
    others: Vec<String>,
}

impl Ial {
    fn heading_attrs(&self) -> Option<String> {
        if self.ids.is_empty() && self.classes.is_empty() {
            return None;
        }
        let mut parts: Vec<String> = self
            .ids
            .first()
            .map(|i| format!("#{i}"))
            .into_iter()
            .collect();
        parts.extend(self.classes.iter().map(|c| format!(".{c}")));
        Some(format!("{{{}}}", parts.join(" ")))
    }
}

/// Reads what is between `{:` and `}`.
fn parse_ial(inner: &str) -> Option<Ial> {
    if inner.starts_with([':', '/']) {
        return None;
    }
    let mut ial = Ial::default();
    let mut rest = inner.trim();
    // An attribute list definition `{:name: …}` is dropped as a whole.
    if let Some((name, _)) = rest.split_once(':') {
        if !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
        {
            ial.others.push(format!("{name}:"));
            return Some(ial);
        }
    }
    while !rest.is_empty() {
        let word_end = rest
            .find(|c: char| c.is_whitespace() || c == '=')
            .unwrap_or(rest.len());
        let word = &rest[..word_end];
        let after = &rest[word_end..];
        if let Some(value) = after.strip_prefix('=') {
            let q = value.chars().next()?;
            if q != '"' && q != '\'' {
                return None;
            }
            let close = value[1..].find(q)? + 1;
            if word.is_empty()
                || !word
                    .chars()
                    .all(|c| c.is_alphanumeric() || "-_:".contains(c))
            {
                return None;
            }
            ial.others.push(format!("{word}={}", &value[..=close]));
            rest = value[close + 1..].trim_start();
            continue;
        }
        let valid =
            |s: &str| !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || "-_".contains(c));
        if let Some(id) = word.strip_prefix('#') {
            if !valid(id) {
                return None;
            }
            ial.ids.push(id.to_string());
        } else if let Some(class) = word.strip_prefix('.') {
            if !valid(class) {
                return None;
            }
            ial.classes.push(class.to_string());
        } else if valid(word) {
            ial.others.push(word.to_string());
        } else {
            return None;
        }
        rest = after.trim_start();
    }
    Some(ial)
}

/// The attribute list filling a whole line (`{: .x}`), if it is one.
fn ial_line(line: &str) -> Option<Ial> {
    let (cols, _) = code::indent(line);
    let t = line.trim();
    if cols > 3 || !t.starts_with("{:") || !t.ends_with('}') || t.len() < 3 {
        return None;
    }
    parse_ial(&t[2..t.len() - 1])
}

fn is_toc(ial: &Ial) -> bool {
    ial.ids.is_empty() && ial.classes.is_empty() && ial.others == ["toc"]
}

fn content(line: &str) -> &str {
    line.trim_end_matches(['\n', '\r'])
}

fn eol(line: &str) -> &str {
    &line[content(line).len()..]
}

/// First step: the extensions `{::name}…{:/name}` and `{::name /}`.
pub(super) fn extensions(input: &str) -> (Out, Vec<RawNote>) {
    let code = Code::markdown(input);
    let mut misses = Vec::new();
    let mut out = Out::default();
    let mut notes = Vec::new();
    let mut copied = 0;
    let mut i = 0;
    while let Some(rel) = input.get(i..).and_then(|s| s.find("{::")) {
        let at = i + rel;
        i = at + 3;
        if code.contains(at) {
            continue;
        }
        let line_end = input[at..].find('\n').map_or(input.len(), |n| at + n);
        let Some(close) = input[at..line_end].find('}') else {
            continue;
        };
        let tag_end = at + close + 1;
        let tag = &input[at + 3..tag_end - 1];
        let name: String = tag.chars().take_while(|c| c.is_alphanumeric()).collect();
        if tag.trim_end().ends_with('/') {
            if name == "options" {
                out.copy(input, copied..at);
                copied = whole_line(input, at, tag_end, &mut out);
                i = copied;
                let message = format!(
                    "kramdown `{}` removed: it sets options of kramdown only",
                    &input[at..tag_end]
                );
                notes.push(RawNote::changed(at, message));
            }
            continue;
        }
        let Some((end_at, end_len)) = extension_end(input, tag_end, &name, &mut misses) else {
            notes.push(RawNote::review(
                at,
                format!(
                    "kramdown `{}` without its end kept as text",
                    &input[at..tag_end]
                ),
            ));
            continue;
        };
        let inner = &input[tag_end..end_at];
        let Some((replacement, message)) = extension(&name, inner, own_line(input, at, tag_end))
        else {
            let message = format!("kramdown extension `{{::{name}}}` kept as text");
            notes.push(RawNote::review(at, message));
            continue;
        };
        notes.push(RawNote::changed(at, message.to_string()));
        out.copy(input, copied..at);
        out.insert(&replacement, at);
        copied = end_at + end_len;
        i = copied;
    }
    out.copy(input, copied..input.len());
    (out, notes)
}

/// Where `{:/name}` or `{:/}` closes an extension, and its length.
/// `misses` remembers the searches that found nothing (a later one for
/// the same name finds nothing either).
fn extension_end(
    input: &str,
    from: usize,
    name: &str,
    misses: &mut Vec<(String, usize)>,
) -> Option<(usize, usize)> {
    if misses.iter().any(|(n, f)| n == name && *f <= from) {
        return None;
    }
    let end = [format!("{{:/{name}}}"), "{:/}".to_string()]
        .iter()
        .filter_map(|e| input[from..].find(e.as_str()).map(|p| (from + p, e.len())))
        .min();
    if end.is_none() {
        misses.push((name.to_string(), from));
    }
    end
}

/// What a block extension with its inside becomes, and the note's words.
fn extension(name: &str, inner: &str, block: bool) -> Option<(String, &'static str)> {
    match name {
        "comment" => Some((
            format!("<!--{inner}-->"),
            "kramdown comment became an HTML comment (kramdown wrote it into the page too)",
        )),
        "nomarkdown" => {
            let html: Vec<&str> = inner.lines().filter(|l| !l.trim().is_empty()).collect();
            let html = html.join("\n");
            let html = if !block {
                html
            } else if html.trim_start().starts_with('<') {
                format!("\n{html}\n")
            } else {
                format!("\n<div>\n{html}\n</div>\n")
            };
            Some((html, "kramdown `{::nomarkdown}` became raw HTML"))
        }
        _ => None,
    }
}

/// Whether `start..end` is alone on its line.
fn own_line(input: &str, start: usize, end: usize) -> bool {
    let line_start = input[..start].rfind('\n').map_or(0, |i| i + 1);
    let rest = &input[end..];
    let line_end = rest.find('\n').unwrap_or(rest.len());
    input[line_start..start].trim().is_empty() && rest[..line_end].trim().is_empty()
}

/// When `start..end` is alone on its line, the line goes (the output is
/// cut back to the line's start); returns where the input goes on.
fn whole_line(input: &str, start: usize, end: usize, out: &mut Out) -> usize {
    if !own_line(input, start, end) {
        return end;
    }
    let cut = out.text.rfind('\n').map_or(0, |i| i + 1);
    out.truncate(cut);
    input[end..].find('\n').map_or(input.len(), |n| end + n + 1)
}

/// Second step, line by line: attribute lists, `{:toc}`, abbreviation
/// definitions, `markdown="1"`, math. Returns the abbreviations found.
pub(super) fn blocks(input: &str) -> (Out, Vec<RawNote>, Vec<Abbr>) {
    let code = Code::markdown(input);
    let lines = code::lines(input);
    let mut out = Out::default();
    let mut notes = Vec::new();
    let mut abbrs = Vec::new();
    let mut breaks: Vec<usize> = Vec::new();
    let mut index = html::Index::new(input);
    let mut n = 0;
    while let Some(r) = lines.get(n).cloned() {
        n += 1;
        let line = &input[r.clone()];
        if code.in_block(r.start) {
            match indented_with_language(input, &lines, n - 1, &code) {
                Some((fenced, skip, ial_at)) => {
                    out.insert(&fenced, r.start);
                    notes.push(RawNote::changed(ial_at, "indented code with kramdown's `{: .language-…}` became a fenced code block with that language".to_string()));
                    n += skip;
                }
                None => out.copy(input, r),
            }
            continue;
        }
        breaks.retain(|&b| b >= r.start);
        if let Some(&b) = breaks.first().filter(|&&b| b < r.end) {
            breaks.remove(0);
            copy_with_break(input, r, b, &mut out);
            continue;
        }
        if let Some(skip) = with_ial(input, &lines, n - 1, &mut out, &mut notes) {
            n += skip;
            continue;
        }
        if removed_line(line, r.start, &mut notes, &mut abbrs) {
            continue;
        }
        if let Some(close) = markdown_attr(input, r.clone(), &mut index, &mut out, &mut notes) {
            breaks.extend(close);
            breaks.sort_unstable();
            continue;
        }
        if let Some(m) = math(input, r.clone(), &code) {
            notes.push(RawNote::review(
                m,
                "kramdown math `$$…$$` kept as written: echt does not typeset math".to_string(),
            ));
        }
        span_ials(input, r, &code, &mut out, &mut notes);
    }
    (out, notes, abbrs)
}

/// Line `n` with the attribute list(s) after it that belong to it (a
/// heading's, a setext heading's, `{:toc}` after its list line), written;
/// how many more lines that took.
fn with_ial(
    input: &str,
    lines: &[std::ops::Range<usize>],
    n: usize,
    out: &mut Out,
    notes: &mut Vec<RawNote>,
) -> Option<usize> {
    let r = lines[n].clone();
    let line = &input[r.clone()];
    let next = lines.get(n + 1).map(|r| &input[r.clone()]);
    let after = lines.get(n + 2).map(|r| &input[r.clone()]);
    if let (Some(under), Some(ial)) = (next, after.and_then(ial_line)) {
        if let Some(attrs) = setext_ial(line, under, &ial) {
            out.insert(&attrs, r.start);
            out.copy(input, lines[n + 1].clone());
            notes.push(RawNote::changed(lines[n + 1].end, heading_message(&ial)));
            return Some(2);
        }
    }
    let ial = next.and_then(ial_line)?;
    if let Some(skip) = heading_ial(input, r.clone(), &ial, out, notes) {
        return Some(skip);
    }
    if is_toc(&ial) && code::list_item(line).is_some() {
        notes.push(RawNote::review(r.start, toc_message()));
        return Some(1);
    }
    None
}

/// Indented code starting at line `first` that an attribute list with
/// a class `language-X` follows directly (kramdown highlights it as X): the
/// fenced block, how many more lines it takes (the list's included), and
/// where the list is.
fn indented_with_language(
    input: &str,
    lines: &[std::ops::Range<usize>],
    first: usize,
    code: &Code,
) -> Option<(String, usize, usize)> {
    let starts_block = first == 0 || input[lines[first - 1].clone()].trim().is_empty();
    let (cols, _) = code::indent(&input[lines[first].clone()]);
    if !starts_block || cols < 4 || (first > 0 && code.in_block(lines[first - 1].start)) {
        return None;
    }
    let mut last = first;
    while lines
        .get(last + 1)
        .is_some_and(|l| code.in_block(l.start) && !input[l.clone()].trim().is_empty())
    {
        last += 1;
    }
    let ial_range = lines.get(last + 1)?.clone();
    let ial = ial_line(&input[ial_range.clone()])?;
    let lang = ial
        .classes
        .iter()
        .find_map(|c| c.strip_prefix("language-"))?;
    if lines[first..=last]
        .iter()
        .any(|l| code::indent(&input[l.clone()]).0 < 4)
    {
        return None;
    }
    let mut block = format!("```{lang}\n");
    for l in &lines[first..=last] {
        let line = content(&input[l.clone()]);
        let cut = line
            .strip_prefix('\t')
            .or_else(|| line.get(4..))
            .unwrap_or("");
        block.push_str(cut);
        block.push('\n');
    }
    block.push_str("```\n");
    Some((
        block,
        last + 1 - first,
        ial_range.start + input[ial_range].find('{').unwrap_or(0),
    ))
}

/// A line removed as a whole: an attribute list of its own (`{: .x}`,
/// `{:toc}`) or an abbreviation's definition.
fn removed_line(line: &str, at: usize, notes: &mut Vec<RawNote>, abbrs: &mut Vec<Abbr>) -> bool {
    if let Some(ial) = ial_line(line) {
        let written = content(line).trim();
        if is_toc(&ial) {
            notes.push(RawNote::review(at, toc_message()));
        } else {
            let message = format!(
                "kramdown attributes `{written}` removed: echt sets none on paragraphs, lists, tables, images or code"
            );
            notes.push(RawNote::changed(at + line.find('{').unwrap_or(0), message));
        }
        return true;
    }
    let Some(abbr) = abbreviation(line) else {
        return false;
    };
    let message = format!(
        "abbreviation `{}` ({}): the definition is removed and the word's first use is marked with <abbr>",
        abbr.word, abbr.title
    );
    notes.push(RawNote::changed(at, message));
    abbrs.push(abbr);
    true
}

/// A setext heading (`line` underlined by `under`) followed by an
/// attribute list: the heading's line with `{#id .class}`.
fn setext_ial(line: &str, under: &str, ial: &Ial) -> Option<String> {
    let (cols, _) = code::indent(under);
    let u = under.trim();
    let underline =
        cols < 4 && !u.is_empty() && (u.bytes().all(|b| b == b'=') || u.bytes().all(|b| b == b'-'));
    let text = content(line).trim_end();
    let (cols, start) = code::indent(text);
    let paragraph = cols < 4
        && !text[start..].is_empty()
        && !text[start..].starts_with(['#', '<', '>', '{', '|'])
        && code::list_item(text).is_none();
    if !underline || !paragraph || text.ends_with('}') {
        return None;
    }
    let attrs = ial.heading_attrs()?;
    Some(format!("{text} {attrs}{}", eol(line)))
}

fn heading_message(ial: &Ial) -> String {
    let dropped: Vec<&str> = ial
        .others
        .iter()
        .map(String::as_str)
        .chain(ial.ids.iter().skip(1).map(String::as_str))
        .collect();
    let mut m = format!(
        "kramdown attributes after the heading became `{}`",
        ial.heading_attrs().unwrap_or_default()
    );
    if !dropped.is_empty() {
        m.push_str(&format!(" ({} dropped)", dropped.join(" ")));
    }
    m
}

fn toc_message() -> String {
    "kramdown table of contents (`{:toc}` and its list line) removed: echt's theme shows a table of contents on its own on long posts".to_string()
}

/// `line` is a heading and the next line(s) end in an attribute list:
/// writes the heading with `{#id .class}`; returns how many lines to skip.
fn heading_ial(
    input: &str,
    r: std::ops::Range<usize>,
    ial: &Ial,
    out: &mut Out,
    notes: &mut Vec<RawNote>,
) -> Option<usize> {
    let line = &input[r.clone()];
    let text = content(line);
    let (cols, at) = code::indent(text);
    let hashes = text[at..].bytes().take_while(|&b| b == b'#').count();
    let atx = cols < 4
        && (1..=6).contains(&hashes)
        && text[at + hashes..]
            .chars()
            .next()
            .is_none_or(|c| c == ' ' || c == '\t');
    if !atx {
        return None;
    }
    let mut head = text.trim_end();
    let closing = head.trim_end_matches('#');
    if closing.len() < head.len() && closing.ends_with([' ', '\t']) {
        head = closing.trim_end();
    }
    match ial.heading_attrs() {
        Some(attrs) if !head.ends_with('}') => {
            out.insert(&format!("{head} {attrs}{}", eol(line)), r.start);
            notes.push(RawNote::changed(r.end, heading_message(ial)));
        }
        _ => {
            out.copy(input, r.clone());
            let message = "kramdown attributes after the heading removed: echt has no equivalent";
            notes.push(RawNote::changed(r.end, message.to_string()));
        }
    }
    Some(1)
}

fn copy_with_break(input: &str, r: std::ops::Range<usize>, at: usize, out: &mut Out) {
    if input[r.start..at].trim().is_empty() {
        out.insert("\n", r.start);
        out.copy(input, r);
    } else {
        out.copy(input, r.start..at);
        out.insert("\n\n", at);
        out.copy(input, at..r.end);
    }
}

/// `*[WORD]: title`.
fn abbreviation(line: &str) -> Option<Abbr> {
    let (cols, at) = code::indent(line);
    let rest = line[at..].strip_prefix("*[")?;
    if cols > 3 {
        return None;
    }
    let (word, title) = rest.split_once("]:")?;
    let word = word.trim();
    if word.is_empty() || word.contains(']') {
        return None;
    }
    Some(Abbr {
        word: word.to_string(),
        title: title.trim().to_string(),
    })
}

/// An HTML start tag at the line's start with `markdown="…"`: the
/// attribute is removed and blank lines put after the tag and (returned)
/// before its end tag, so that pulldown-cmark reads the inside as Markdown.
/// None when the line is not such a tag; else where the end tag starts.
fn markdown_attr(
    input: &str,
    r: std::ops::Range<usize>,
    index: &mut html::Index<'_>,
    out: &mut Out,
    notes: &mut Vec<RawNote>,
) -> Option<Option<usize>> {
    let line = &input[r.clone()];
    let (cols, at) = code::indent(line);
    if cols > 3 || !line[at..].starts_with('<') {
        return None;
    }
    let tag = html::start_tag(input, r.start + at).filter(|t| t.end <= r.end)?;
    let (_, value, range) = tag.attrs.iter().find(|a| a.0 == "markdown")?.clone();
    let close = index.close(tag.end, &tag.name);
    let parse = matches!(value, "1" | "block" | "span");
    let before = input[..range.start].trim_end_matches([' ', '\t']).len();
    out.copy(input, r.start..before);
    out.copy(input, range.end..tag.end);
    let rest_of_line = &input[tag.end..r.end];
    notes.push(RawNote::changed(
        r.start + at,
        format!(
            "kramdown's `markdown=\"{}\"` removed from <{}>{}",
            value,
            tag.name,
            if parse {
                "; blank lines around its inside let echt read it as Markdown"
            } else {
                ""
            }
        ),
    ));
    if !parse {
        out.copy(input, tag.end..r.end);
        return Some(None);
    }
    if rest_of_line.trim().is_empty() {
        out.copy(input, tag.end..r.end);
        out.insert("\n", r.end);
    } else {
        out.insert("\n\n", tag.end);
        out.copy(input, tag.end..r.end);
    }
    Some(close.map(|c| c.start).filter(|&c| c >= r.end))
}

/// The first `$$` of a line outside code.
fn math(input: &str, r: std::ops::Range<usize>, code: &Code) -> Option<usize> {
    input[r.clone()]
        .match_indices("$$")
        .map(|(i, _)| r.start + i)
        .find(|&i| !code.contains(i))
}

/// Copies a line, removing span attribute lists (`[a](b){:target="_blank"}`).
fn span_ials(
    input: &str,
    r: std::ops::Range<usize>,
    code: &Code,
    out: &mut Out,
    notes: &mut Vec<RawNote>,
) {
    let mut copied = r.start;
    let line = &input[r.clone()];
    for (i, _) in line.match_indices("{:") {
        let at = r.start + i;
        if at < copied || code.contains(at) || i == 0 {
            continue;
        }
        let prev = line[..i].chars().next_back();
        if prev.is_none_or(char::is_whitespace) {
            continue;
        }
        let Some(close) = line[i..].find('}') else {
            continue;
        };
        let end = at + close + 1;
        if parse_ial(&input[at + 2..end - 1]).is_none() {
            continue;
        }
        out.copy(input, copied..at);
        notes.push(RawNote::changed(at, format!("kramdown attributes `{}` removed: echt has no attributes on links, images or emphasis", &input[at..end])));
        copied = end;
    }
    out.copy(input, copied..r.end);
}

/// Last step for abbreviations: the first use of each word (outside code,
/// tags, link targets and headings) is wrapped in `<abbr title="…">`.
pub(super) fn abbreviations(input: &str, abbrs: &[Abbr]) -> Out {
    let code = Code::markdown(input);
    let mut marks: Vec<(usize, &Abbr)> = abbrs
        .iter()
        .filter_map(|a| first_use(input, &code, &a.word).map(|at| (at, a)))
        .collect();
    marks.sort_by_key(|m| m.0);
    let mut out = Out::default();
    let mut copied = 0;
    for (at, abbr) in marks {
        if at < copied {
            continue;
        }
        out.copy(input, copied..at);
        let end = at + abbr.word.len();
        out.insert(
            &format!("<abbr title=\"{}\">", escape::html(&abbr.title)),
            at,
        );
        out.copy(input, at..end);
        out.insert("</abbr>", end);
        copied = end;
    }
    out.copy(input, copied..input.len());
    out
}

fn first_use(input: &str, code: &Code, word: &str) -> Option<usize> {
    let is_word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    input.match_indices(word).map(|(i, _)| i).find(|&i| {
        let before = &input[..i];
        let line = &before[before.rfind('\n').map_or(0, |n| n + 1)..];
        !code.contains(i)
            && !is_word(before.chars().next_back())
            && !is_word(input[i + word.len()..].chars().next())
            && !line.trim_start().starts_with('#')
            && line
                .rfind('<')
                .is_none_or(|lt| line.rfind('>').is_some_and(|gt| gt > lt))
            && line.rfind("](").is_none_or(|l| line[l..].contains(')'))
    })
}
