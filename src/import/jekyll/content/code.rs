//! Where a Markdown text has code: fenced and indented code blocks and code
//! spans, found by CommonMark's rules (closely enough to err on the side
//! of code). The kramdown, embed and excerpt steps change nothing there.

use std::ops::Range;

/// The code of one text, as sorted byte ranges.
#[derive(Debug, Default)]
pub(super) struct Code {
    blocks: Vec<Range<usize>>,
    spans: Vec<Range<usize>>,
}

impl Code {
    /// Nothing is code (HTML files: code there is escaped anyway).
    pub(super) fn none() -> Self {
        Self::default()
    }

    /// Code as far as this scan can tell before the text is Markdown that
    /// echt reads: a step that leaves code alone errs towards code.
    pub(super) fn markdown(text: &str) -> Self {
        let mut code = Self::default();
        let mut chunk: Option<usize> = None;
        let mut scan = BlockScan::default();
        for line in lines(text) {
            let kind = scan.line(&text[line.clone()]);
            let blank = text[line.clone()].trim().is_empty();
            if kind == Kind::Code {
                code.blocks.push(line.clone());
            }
            if kind != Kind::Text || blank {
                if let Some(start) = chunk.take() {
                    code.spans_in(text, start..line.start);
                }
            } else if chunk.is_none() {
                chunk = Some(line.start);
            }
        }
        if let Some(start) = chunk {
            code.spans_in(text, start..text.len());
        }
        code
    }

    /// Code exactly where echt's Markdown renderer finds it: for a step
    /// that must not miss active HTML (a script taken for code would be
    /// published), since any approximation errs one way or the other.
    pub(super) fn rendered(text: &str) -> Self {
        use pulldown_cmark::{Event, Parser, Tag};
        let mut code = Self::default();
        for (event, range) in Parser::new_ext(text, crate::markdown::options()).into_offset_iter() {
            match event {
                Event::Start(Tag::CodeBlock(_)) => code.blocks.push(range),
                Event::Code(_) => code.spans.push(range),
                _ => {}
            }
        }
        code.blocks.sort_by_key(|r| r.start);
        code.spans.sort_by_key(|r| r.start);
        code
    }

    fn spans_in(&mut self, text: &str, range: Range<usize>) {
        let bytes = text.as_bytes();
        let mut i = range.start;
        while i < range.end {
            if bytes[i] != b'`' {
                i += 1;
                continue;
            }
            let run = run_len(bytes, i, range.end, b'`');
            let escaped = i > range.start && bytes[i - 1] == b'\\';
            if escaped {
                i += 1;
                continue;
            }
            // Only spans closed on their own line count: a span over lines
            // may be cut by a block start this scan does not know, and
            // text wrongly taken for code would be left unconverted.
            let line_end = text[i..range.end].find('\n').map_or(range.end, |n| i + n);
            let mut j = i + run;
            let mut closed = None;
            while j < line_end {
                if bytes[j] == b'`' {
                    let other = run_len(bytes, j, line_end, b'`');
                    if other == run {
                        closed = Some(j + other);
                        break;
                    }
                    j += other;
                } else {
                    j += 1;
                }
            }
            match closed {
                Some(end) => {
                    self.spans.push(i..end);
                    i = end;
                }
                None => i += run,
            }
        }
    }

    /// Whether byte `at` is in a code block.
    pub(super) fn in_block(&self, at: usize) -> bool {
        inside(&self.blocks, at)
    }

    /// Whether byte `at` is in any code.
    pub(super) fn contains(&self, at: usize) -> bool {
        inside(&self.blocks, at) || inside(&self.spans, at)
    }
}

fn inside(ranges: &[Range<usize>], at: usize) -> bool {
    let i = ranges.partition_point(|r| r.start <= at);
    i > 0 && ranges[i - 1].end > at
}

fn run_len(bytes: &[u8], from: usize, end: usize, b: u8) -> usize {
    bytes[from..end].iter().take_while(|&&c| c == b).count()
}

/// The lines of a text, each with its line break (`\n`, `\r\n` or, as
/// CommonMark has it, a lone `\r`).
pub(super) fn lines(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
            out.push(start..i + 1);
            start = i + 1;
        }
    }
    if start < text.len() {
        out.push(start..text.len());
    }
    out
}

/// Columns of leading whitespace (tabs to the next multiple of four) and
/// the byte where the rest starts.
pub(super) fn indent(line: &str) -> (usize, usize) {
    let mut cols = 0;
    for (i, b) in line.bytes().enumerate() {
        match b {
            b' ' => cols += 1,
            b'\t' => cols += 4 - cols % 4,
            _ => return (cols, i),
        }
    }
    (cols, line.len())
}

/// The line without blockquote markers (`> `) in front.
fn unquote(line: &str) -> &str {
    let mut rest = line;
    loop {
        let (cols, at) = indent(rest);
        match rest[at..].strip_prefix('>') {
            Some(after) if cols < 4 => rest = after.strip_prefix(' ').unwrap_or(after),
            _ => return rest,
        }
    }
}

/// The start of a list item: the columns its content is indented by.
pub(super) fn list_item(line: &str) -> Option<usize> {
    let (cols, at) = indent(line);
    if cols > 3 {
        return None;
    }
    let rest = &line[at..];
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let marker = match rest.as_bytes().get(digits) {
        Some(b'-' | b'*' | b'+') if digits == 0 => 1,
        Some(b'.' | b')') if (1..10).contains(&digits) => digits + 1,
        _ => return None,
    };
    let after = &rest[marker..];
    let content = after.trim_end_matches(['\n', '\r']);
    if !content.is_empty() && !content.starts_with([' ', '\t']) {
        return None;
    }
    let (spaces, _) = indent(after);
    let spaces = if (1..=4).contains(&spaces) { spaces } else { 1 };
    Some(cols + marker + spaces)
}

/// A fence: its character and length, when the line opens or closes one.
fn fence(line: &str) -> Option<(u8, usize, &str)> {
    let (_, at) = indent(line);
    let rest = &line[at..];
    let c = *rest.as_bytes().first()?;
    if c != b'`' && c != b'~' {
        return None;
    }
    let n = rest.bytes().take_while(|&b| b == c).count();
    if n < 3 {
        return None;
    }
    let info = &rest[n..];
    if c == b'`' && info.contains('`') {
        return None;
    }
    Some((c, n, info))
}

/// What one line is, for the scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// In a fenced or indented code block.
    Code,
    /// In an HTML block: neither code nor Markdown.
    Html,
    Text,
}

/// How an HTML block ends (CommonMark's seven kinds).
#[derive(Debug, Clone, PartialEq, Eq)]
enum HtmlEnd {
    /// At a line containing this (lowercase).
    Marker(String),
    /// At a blank line.
    Blank,
}

/// The names that start an HTML block of kind 6.
const BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "aside",
    "base",
    "basefont",
    "blockquote",
    "body",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "iframe",
    "legend",
    "li",
    "link",
    "main",
    "menu",
    "menuitem",
    "nav",
    "noframes",
    "ol",
    "optgroup",
    "option",
    "p",
    "param",
    "search",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "track",
    "ul",
];

/// Whether `rest` (a line from its first non-space) starts an HTML block,
/// and how that block ends.
fn html_start(rest: &str, after_paragraph: bool) -> Option<HtmlEnd> {
    if !rest.starts_with('<') {
        return None;
    }
    let head: String = rest
        .chars()
        .take(12)
        .collect::<String>()
        .to_ascii_lowercase();
    let ends_name = |after: Option<char>| after.is_none_or(|c| c.is_whitespace() || c == '>');
    for raw in ["pre", "script", "style", "textarea"] {
        if let Some(after) = head[1..].strip_prefix(raw) {
            if ends_name(after.chars().next()) {
                return Some(HtmlEnd::Marker(format!("</{raw}>")));
            }
        }
    }
    let marker = |m: &str| Some(HtmlEnd::Marker(m.to_string()));
    if head.starts_with("<!--") {
        return marker("-->");
    }
    if head.starts_with("<?") {
        return marker("?>");
    }
    if head.starts_with("<![cdata[") {
        return marker("]]>");
    }
    if head[1..].starts_with('!') && head[2..].starts_with(|c: char| c.is_ascii_alphabetic()) {
        return marker(">");
    }
    let name_start = if head[1..].starts_with('/') { 2 } else { 1 };
    let name: String = rest[name_start..]
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    let after = &rest[name_start + name.len()..];
    let boundary = after.is_empty()
        || after.starts_with(|c: char| c.is_whitespace() || c == '>')
        || after.starts_with("/>");
    if boundary && BLOCK_TAGS.contains(&name.as_str()) {
        return Some(HtmlEnd::Blank);
    }
    (!after_paragraph && !name.is_empty() && alone_tag(rest)).then_some(HtmlEnd::Blank)
}

/// A complete start or end tag with nothing but whitespace after it.
fn alone_tag(rest: &str) -> bool {
    let trimmed = rest.trim_end();
    if let Some(end) = trimmed.strip_prefix("</") {
        let name_len = end.chars().take_while(char::is_ascii_alphanumeric).count();
        return name_len > 0 && end[name_len..].trim() == ">";
    }
    super::html::start_tag(trimmed, 0).is_some_and(|t| t.end == trimmed.len())
}

/// Line-by-line state of the block scan.
#[derive(Debug, Default)]
struct BlockScan {
    fence: Option<(u8, usize)>,
    html: Option<HtmlEnd>,
    indented: bool,
    after_blank: bool,
    paragraph: bool,
    started: bool,
    list: Option<usize>,
}

impl BlockScan {
    /// Reads the next line: what it is.
    fn line(&mut self, raw: &str) -> Kind {
        let line = unquote(raw);
        let blank = line.trim().is_empty();
        let may_start_block = !self.started || self.after_blank;
        self.started = true;
        if let Some((c, n)) = self.fence {
            if let Some((c2, n2, info)) = fence(line) {
                if c2 == c && n2 >= n && info.trim().is_empty() {
                    self.fence = None;
                }
            }
            self.after_blank = false;
            return Kind::Code;
        }
        if let Some(end) = &self.html {
            let ended = match end {
                HtmlEnd::Blank => blank,
                HtmlEnd::Marker(m) => line.to_ascii_lowercase().contains(m.as_str()),
            };
            if ended {
                self.html = None;
            }
            self.after_blank = blank;
            self.paragraph = false;
            return if blank { Kind::Text } else { Kind::Html };
        }
        let (cols, at) = indent(line);
        let base = self.list.filter(|&l| cols >= l).unwrap_or(0);
        if blank {
            self.after_blank = true;
            self.paragraph = false;
            return if self.indented {
                Kind::Code
            } else {
                Kind::Text
            };
        }
        if cols >= base + 4 && (may_start_block || self.indented) {
            self.indented = true;
            self.after_blank = false;
            return Kind::Code;
        }
        self.indented = false;
        let item = list_item(line);
        if let Some(item) = item {
            self.list = Some(item);
        } else if self.after_blank && self.list.is_some_and(|l| cols < l) {
            self.list = None;
        }
        self.after_blank = false;
        if cols < base + 4 && item.is_none() {
            if let Some((c, n, _)) = fence(line) {
                self.fence = Some((c, n));
                self.paragraph = false;
                return Kind::Code;
            }
            if let Some(end) = html_start(&line[at..], self.paragraph) {
                let ends_here = match &end {
                    HtmlEnd::Marker(m) => line[at..].to_ascii_lowercase()[1..].contains(m.as_str()),
                    HtmlEnd::Blank => false,
                };
                if !ends_here {
                    self.html = Some(end);
                }
                self.paragraph = false;
                return Kind::Html;
            }
        }
        self.paragraph = !line[at..].starts_with('#');
        Kind::Text
    }
}
