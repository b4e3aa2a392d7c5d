//! Just enough reading of HTML written into Markdown or into a WordPress
//! post to find an embed or a block: one start tag with its attributes,
//! and the end tag that closes it.

use std::collections::HashMap;
use std::ops::Range;

/// A start tag.
#[derive(Debug)]
pub(crate) struct Tag<'t> {
    pub(crate) start: usize,
    /// Just past the `>`.
    pub(crate) end: usize,
    /// Lowercase.
    pub(crate) name: String,
    /// Name (lowercase), value as written, and the whole attribute's range.
    pub(crate) attrs: Vec<(String, &'t str, Range<usize>)>,
}

impl Tag<'_> {
    pub(crate) fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|a| a.0 == name).map(|a| a.1)
    }

    pub(crate) fn has_class(&self, class: &str) -> bool {
        self.attr("class")
            .is_some_and(|c| c.split_whitespace().any(|c| c == class))
    }
}

/// The start tag at `at`; None when there is none (or no `<` there).
pub(crate) fn start_tag(input: &str, at: usize) -> Option<Tag<'_>> {
    let bytes = input.as_bytes();
    if bytes.get(at) != Some(&b'<') {
        return None;
    }
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

/// The start and end tags of each name in a text, each name found in one
/// pass, so that finding end tags costs little however many there are.
#[derive(Debug)]
pub(crate) struct Index<'t> {
    input: &'t str,
    /// Per lowercase name: where each tag starts, whether it is an end
    /// tag, and where it stops.
    tags: HashMap<String, Vec<(usize, bool, usize)>>,
}

impl<'t> Index<'t> {
    pub(crate) fn new(input: &'t str) -> Self {
        Self {
            input,
            tags: HashMap::new(),
        }
    }

    fn tags(&mut self, name: &str) -> &[(usize, bool, usize)] {
        let input = self.input;
        self.tags.entry(name.to_string()).or_insert_with(|| {
            let bytes = input.as_bytes();
            let mut found = Vec::new();
            for (at, _) in input.match_indices('<') {
                let end = bytes.get(at + 1) == Some(&b'/');
                let from = at + 1 + usize::from(end);
                let Some(written) = bytes.get(from..from + name.len()) else {
                    continue;
                };
                let boundary = bytes
                    .get(from + name.len())
                    .is_none_or(|b| b.is_ascii_whitespace() || matches!(b, b'>' | b'/'));
                if written.eq_ignore_ascii_case(name.as_bytes()) && boundary {
                    let stop = input[at..].find('>').map_or(input.len(), |g| at + g + 1);
                    found.push((at, end, stop));
                }
            }
            found
        })
    }

    /// The end tag closing an element named `name` whose start tag ends
    /// at `from`: the first one for elements whose content is raw text
    /// (`script`, `iframe`), else counting nested elements of the name.
    pub(crate) fn close(&mut self, from: usize, name: &str) -> Option<Range<usize>> {
        let raw = matches!(name, "script" | "iframe" | "style" | "textarea");
        let tags = self.tags(name);
        let first = tags.partition_point(|t| t.0 < from);
        let mut depth = 0usize;
        for &(at, end, stop) in &tags[first..] {
            match (end, depth) {
                (true, 0) => return Some(at..stop),
                (true, _) => depth -= 1,
                (false, _) if !raw => depth += 1,
                (false, _) => {}
            }
        }
        None
    }
}

/// The text of some HTML: tags removed, whitespace collapsed (entities are
/// kept, the text stays HTML).
pub(crate) fn text(html: &str) -> String {
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

/// Where `value` (an attribute value of a tag read from `input`) starts
/// in `input`; None for a value that is not part of it (an attribute
/// written without one).
pub(crate) fn offset_in(input: &str, value: &str) -> Option<usize> {
    let start = (value.as_ptr() as usize).checked_sub(input.as_ptr() as usize)?;
    (!value.is_empty() && start + value.len() <= input.len()).then_some(start)
}

/// An attribute value as a URL (the entity for `&` decoded).
pub(crate) fn url(value: &str) -> String {
    value.trim().replace("&amp;", "&")
}
