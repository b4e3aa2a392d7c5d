//! Just enough reading of HTML written into Markdown to find an embed: one
//! start tag with its attributes, and the end tag that closes it.

use std::ops::Range;

/// A start tag.
#[derive(Debug)]
pub(super) struct Tag<'t> {
    pub(super) start: usize,
    /// Just past the `>`.
    pub(super) end: usize,
    /// Lowercase.
    pub(super) name: String,
    /// Name (lowercase), value as written, and the whole attribute's range.
    pub(super) attrs: Vec<(String, &'t str, Range<usize>)>,
}

impl Tag<'_> {
    pub(super) fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|a| a.0 == name).map(|a| a.1)
    }

    pub(super) fn has_class(&self, class: &str) -> bool {
        self.attr("class")
            .is_some_and(|c| c.split_whitespace().any(|c| c == class))
    }
}

/// The start tag at `at` (which holds `<`).
pub(super) fn start_tag(input: &str, at: usize) -> Option<Tag<'_>> {
    let bytes = input.as_bytes();
    let mut i = at + 1;
    let name_len = bytes[i..]
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
        .count();
    if name_len == 0 || !bytes[i].is_ascii_alphabetic() {
        return None;
    }
    let name = input[i..i + name_len].to_ascii_lowercase();
    i += name_len;
    let mut attrs = Vec::new();
    loop {
        while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        match bytes.get(i)? {
            b'>' => break,
            b'/' if bytes.get(i + 1) == Some(&b'>') => {
                i += 1;
                break;
            }
            b'/' => {
                i += 1;
                continue;
            }
            _ => {}
        }
        let from = i;
        while bytes
            .get(i)
            .is_some_and(|b| !b.is_ascii_whitespace() && !matches!(b, b'=' | b'>' | b'/'))
        {
            i += 1;
        }
        if i == from {
            return None;
        }
        let key = input[from..i].to_ascii_lowercase();
        let mut value = "";
        let mut j = i;
        while bytes.get(j).is_some_and(u8::is_ascii_whitespace) {
            j += 1;
        }
        if bytes.get(j) == Some(&b'=') {
            j += 1;
            while bytes.get(j).is_some_and(u8::is_ascii_whitespace) {
                j += 1;
            }
            match bytes.get(j)? {
                q @ (b'"' | b'\'') => {
                    let close = input[j + 1..].find(*q as char)? + j + 1;
                    value = &input[j + 1..close];
                    i = close + 1;
                }
                _ => {
                    let v = j;
                    while bytes
                        .get(j)
                        .is_some_and(|b| !b.is_ascii_whitespace() && *b != b'>')
                    {
                        j += 1;
                    }
                    value = &input[v..j];
                    i = j;
                }
            }
        }
        attrs.push((key, value, from..i));
    }
    Some(Tag {
        start: at,
        end: i + 1,
        name,
        attrs,
    })
}

/// The end tag closing an element named `name` whose start tag ends at
/// `from`, counting nested elements of the same name: its range.
pub(super) fn close(input: &str, from: usize, name: &str) -> Option<Range<usize>> {
    let lower = input.get(from..)?.to_ascii_lowercase();
    let open = format!("<{name}");
    let end = format!("</{name}");
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(rel) = lower[i..].find('<') {
        let at = i + rel;
        let rest = &lower[at..];
        let boundary = |s: &str| {
            s.as_bytes()
                .first()
                .is_none_or(|b| b.is_ascii_whitespace() || matches!(b, b'>' | b'/'))
        };
        if rest.starts_with(&end) && boundary(&rest[end.len()..]) {
            let stop = rest.find('>').map_or(lower.len(), |g| at + g + 1);
            if depth == 0 {
                return Some(from + at..from + stop);
            }
            depth -= 1;
        } else if rest.starts_with(&open) && boundary(&rest[open.len()..]) {
            depth += 1;
        }
        i = at + 1;
    }
    None
}

/// The text of some HTML: tags removed, whitespace collapsed (entities are
/// kept, the text stays HTML).
pub(super) fn text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// An attribute value as a URL (the entity for `&` decoded).
pub(super) fn url(value: &str) -> String {
    value.trim().replace("&amp;", "&")
}
