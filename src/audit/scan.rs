//! Reading a page's bytes without a parser, for the pages that need no
//! rewriting (see [`super::html`]): where lol_html would put echt's
//! `<meta>`s when the page starts in the plainest way, every place a
//! tokenizer could read a link attribute, and the few tags after which a
//! streaming rewriter and the tree builder may read a page differently.
//!
//! Nothing here is a verdict. Each function either answers exactly for
//! the narrow shape it knows or says it does not know (None), and the
//! callers take the full way (lol_html, then html5ever) then.

use std::ops::Range;

/// HTML's ASCII whitespace, with CR (which the tokenizer reads as LF).
fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0C' | b'\r' | b' ')
}

fn skip_space(bytes: &[u8], mut i: usize) -> usize {
    while bytes.get(i).copied().is_some_and(is_space) {
        i += 1;
    }
    i
}

/// A start tag written the plainest way: a lower-case name, attributes
/// separated by whitespace, values in double quotes or none. Anything
/// else (unquoted or single-quoted values, upper case, spaces around
/// `=`) is not read, so there is only one way to read what is.
#[derive(Debug)]
pub(crate) struct PlainTag<'a> {
    pub name: &'a str,
    /// (name, where the name starts, the value without quotes)
    pub attrs: Vec<(&'a str, usize, Option<&'a str>)>,
    /// Where the `>` is.
    pub close: usize,
    /// Written with `/` before `>`.
    pub slash: bool,
    /// Every attribute after exactly one space, nothing between the last
    /// one and `>`: the way lol_html writes a tag it changed.
    pub tight: bool,
}

impl PlainTag<'_> {
    pub fn has(&self, name: &str) -> bool {
        self.attrs.iter().any(|(n, ..)| *n == name)
    }
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b':' | b'.')
}

/// Reads the start tag at `at` if it is written the plainest way.
pub(crate) fn plain_tag(text: &str, at: usize) -> Option<PlainTag<'_>> {
    let mut attrs = Vec::new();
    let end = read_tag(text, at, |name, at, value| {
        attrs.push((name, at, value));
        Some(())
    })?;
    Some(PlainTag {
        name: end.name,
        attrs,
        close: end.close,
        slash: end.slash,
        tight: end.tight,
    })
}

/// A start tag read by [`read_tag`], less its attributes.
#[derive(Debug)]
pub(crate) struct TagEnd<'a> {
    pub name: &'a str,
    /// Where the `>` is.
    pub close: usize,
    /// Written with `/` before `>`.
    pub slash: bool,
    /// See [`PlainTag::tight`].
    pub tight: bool,
}

/// Reads the start tag at `at` if it is written the plainest way (see
/// [`PlainTag`]), handing each attribute (name, where the name starts,
/// the value without quotes) to `attr` as it goes, which may stop the
/// reading with None.
pub(crate) fn read_tag<'a>(
    text: &'a str,
    at: usize,
    mut attr: impl FnMut(&'a str, usize, Option<&'a str>) -> Option<()>,
) -> Option<TagEnd<'a>> {
    let bytes = text.as_bytes();
    if bytes.get(at) != Some(&b'<') || !bytes.get(at + 1)?.is_ascii_lowercase() {
        return None;
    }
    let mut i = at + 1;
    while bytes
        .get(i)
        .copied()
        .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        i += 1;
    }
    let name = &text[at + 1..i];
    let mut tight = true;
    loop {
        let spaces = skip_space(bytes, i);
        let separated = spaces > i;
        let one_space = spaces == i + 1 && bytes[i] == b' ';
        i = spaces;
        match *bytes.get(i)? {
            b'>' => {
                tight &= !separated;
                return Some(TagEnd {
                    name,
                    close: i,
                    slash: false,
                    tight,
                });
            }
            b'/' if bytes.get(i + 1) == Some(&b'>') => {
                return Some(TagEnd {
                    name,
                    close: i + 1,
                    slash: true,
                    tight: false,
                });
            }
            b if is_name_byte(b) && separated => {
                tight &= one_space;
                let start = i;
                while bytes.get(i).copied().is_some_and(is_name_byte) {
                    i += 1;
                }
                let name = &text[start..i];
                let value = if bytes.get(i) == Some(&b'=') {
                    if bytes.get(i + 1) != Some(&b'"') {
                        return None;
                    }
                    let open = i + 2;
                    let end = open + memchr::memchr(b'"', bytes.get(open..)?)?;
                    i = end + 1;
                    Some(&text[open..end])
                } else {
                    None
                };
                attr(name, start, value)?;
            }
            _ => return None,
        }
    }
}

/// Where lol_html's pass in [`super::html`] puts echt's `<meta>`s, for a
/// page that starts `<!doctype html>`, `<html …>`, `<head>` (each written
/// the plainest way, with only whitespace between) and then a start tag:
/// after that tag if it is a `<meta charset>`, else before it. None for
/// any other start: the rewrite finds the place then.
pub(crate) fn head_insertion(text: &str) -> Option<usize> {
    const DOCTYPE: &[u8] = b"<!doctype html>";
    let bytes = text.as_bytes();
    if !bytes.get(..DOCTYPE.len())?.eq_ignore_ascii_case(DOCTYPE) {
        return None;
    }
    let html = plain_tag(text, skip_space(bytes, DOCTYPE.len()))?;
    if html.name != "html" || html.slash {
        return None;
    }
    let head = plain_tag(text, skip_space(bytes, html.close + 1))?;
    if head.name != "head" || head.slash {
        return None;
    }
    let at = skip_space(bytes, head.close + 1);
    let first = plain_tag(text, at)?;
    Some(if first.name == "meta" && first.has("charset") {
        first.close + 1
    } else {
        at
    })
}

/// What kind of link attribute a place may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Name {
    Href,
    XlinkHref,
    Rel,
}

/// A place where a tokenizer could read a link attribute.
#[derive(Debug)]
pub(crate) struct Written {
    pub name: Name,
    /// Where its name starts.
    pub at: usize,
    /// The value as written (without quotes).
    pub value: Range<usize>,
}

/// What one pass over a page's bytes found.
#[derive(Debug)]
pub(crate) struct Reading {
    pub markers: Markers,
    /// How many `<` the text has.
    pub tags: usize,
    /// Every place in the text where an HTML tokenizer, in whatever state
    /// it is, could read an attribute `href`, `xlink:href` or `rel` with a
    /// value, in order: a superset of the attributes any tokenizer reads
    /// (most places in text are not attributes; the callers compare with
    /// the tree). An attribute's name starts after whitespace, `/` or a
    /// quote and ends, maybe after whitespace, at `=`; its value is read
    /// as the tokenizer reads it. None when a value runs to the end of the
    /// text, which a tokenizer reads as no tag at all.
    pub links: Option<Vec<Written>>,
}

/// Reads `text` once for its [`Markers`] and link attributes.
pub(crate) fn read(text: &str) -> Reading {
    let bytes = text.as_bytes();
    let mut markers = Markers::default();
    let mut tags = 0;
    let mut links = Some(Vec::new());
    for at in Hits::new(bytes) {
        if bytes[at] == b'<' {
            tags += 1;
            markers.see(bytes, at);
        } else if let Some(found) = links.as_mut() {
            match link_attribute(bytes, at) {
                Some(Some(written)) => found.push(written),
                Some(None) => {}
                None => links = None,
            }
        }
    }
    Reading {
        markers,
        tags,
        links,
    }
}

/// The link attribute whose `=` is at `equals`, if it could be one
/// (Some(None) if not); None if its value would run to the end.
fn link_attribute(bytes: &[u8], equals: usize) -> Option<Option<Written>> {
    let mut end = equals;
    while end > 0 && is_space(bytes[end - 1]) {
        end -= 1;
    }
    let before = &bytes[..end];
    let ends_with = |name: &[u8]| {
        before.len() > name.len()
            && before[before.len() - name.len()..].eq_ignore_ascii_case(name)
            && matches!(
                before[before.len() - name.len() - 1],
                b'\t' | b'\n' | b'\x0C' | b'\r' | b' ' | b'/' | b'"' | b'\''
            )
    };
    let (name, length) = if ends_with(b"xlink:href") {
        (Name::XlinkHref, 10)
    } else if ends_with(b"href") {
        (Name::Href, 4)
    } else if ends_with(b"rel") {
        (Name::Rel, 3)
    } else {
        return Some(None);
    };
    let start = skip_space(bytes, equals + 1);
    let value = match bytes.get(start) {
        None => return None,
        Some(&quote @ (b'"' | b'\'')) => {
            let close = bytes[start + 1..].iter().position(|&b| b == quote)?;
            start + 1..start + 1 + close
        }
        Some(b'>') => start..start,
        Some(_) => {
            let close = bytes[start..]
                .iter()
                .position(|&b| is_space(b) || b == b'>')?;
            start..start + close
        }
    };
    Some(Some(Written {
        name,
        at: end - length,
        value,
    }))
}

/// Tags after which the reading of a page depends on more than the
/// tokenizer: found anywhere (comments and raw text included), in any
/// case.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Markers {
    /// `<noscript>`: markup or text, depending on scripting.
    pub noscript: bool,
    /// `<select>` or `<frameset>`, inside which lol_html cannot always
    /// tell text from markup (it refuses to rewrite then).
    pub ambiguous: bool,
    /// `<svg>` or `<math>`: lol_html follows foreign content by a
    /// simpler model than the tree builder's.
    pub foreign: bool,
}

impl Markers {
    /// Looks at the `<` at `at`.
    fn see(&mut self, bytes: &[u8], at: usize) {
        let is = |name: &[u8]| {
            bytes
                .get(at + 1..at + 1 + name.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(name))
        };
        match bytes.get(at + 1).map(u8::to_ascii_lowercase) {
            Some(b'n') => self.noscript |= is(b"noscript"),
            Some(b's') => {
                self.ambiguous |= is(b"select");
                self.foreign |= is(b"svg");
            }
            Some(b'f') => self.ambiguous |= is(b"frameset"),
            Some(b'm') => self.foreign |= is(b"math"),
            _ => {}
        }
    }
}

/// The positions of `<` and `=` in a text, in order, found eight bytes at
/// a time: a page has one of them every few dozen bytes.
struct Hits<'a> {
    bytes: &'a [u8],
    /// Where the word of `mask` starts.
    word: usize,
    /// The bytes of that word that are `<` or `=`, by their top bits.
    mask: u64,
}

impl<'a> Hits<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Hits {
            bytes,
            word: 0,
            mask: word_at(bytes, 0).map_or(0, lt_or_equals),
        }
    }
}

impl Iterator for Hits<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        while self.mask == 0 {
            self.word += 8;
            let word = word_at(self.bytes, self.word)?;
            self.mask = lt_or_equals(word);
        }
        let at = self.word + (self.mask.trailing_zeros() / 8) as usize;
        self.mask &= self.mask - 1;
        Some(at)
    }
}

/// The eight bytes from `at` as a little-endian word, padded with zeros at
/// the end of `bytes`; None past the end.
fn word_at(bytes: &[u8], at: usize) -> Option<u64> {
    match bytes.get(at..at + 8) {
        Some(eight) => eight.try_into().ok().map(u64::from_le_bytes),
        None => {
            let rest = bytes.get(at..).filter(|rest| !rest.is_empty())?;
            let mut word = [0u8; 8];
            for (to, from) in word.iter_mut().zip(rest) {
                *to = *from;
            }
            Some(u64::from_le_bytes(word))
        }
    }
}

/// The top bit of each byte of `word` that is `<` (0x3C) or `=` (0x3D):
/// they differ only in the lowest bit, so one comparison finds both.
fn lt_or_equals(word: u64) -> u64 {
    equal_bytes(word | 0x0101_0101_0101_0101, b'=')
}

/// The top bit of each byte of `word` that equals `byte` (exact: no carry
/// crosses from one byte to the next).
fn equal_bytes(word: u64, byte: u8) -> u64 {
    const LOW: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let x = word ^ (0x0101_0101_0101_0101 * u64::from(byte));
    !(((x & LOW) + LOW) | x) & !LOW
}

/// How many `byte`s `bytes` holds, eight at a time.
pub(crate) fn count(bytes: &[u8], byte: u8) -> usize {
    let mut chunks = bytes.chunks_exact(8);
    let mut n = 0;
    for chunk in &mut chunks {
        let word = chunk.try_into().map_or(0, u64::from_le_bytes);
        n += equal_bytes(word, byte).count_ones() as usize;
    }
    n + chunks.remainder().iter().filter(|&&b| b == byte).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_head_is_found_only_when_written_plainly() {
        let page = "<!doctype html>\n<html lang=\"de\">\n<head>\n<meta charset=\"utf-8\">\n<title>";
        assert_eq!(head_insertion(page), page.find("\n<title>"));
        let page = "<!DOCTYPE html><html><head> <title>x</title>";
        assert_eq!(head_insertion(page), page.find("<title>"));
        let page = "<!doctype html><html><head><meta name=\"x\" charset=\"utf-8\"/><title>";
        assert_eq!(head_insertion(page), page.find("<title>"));
        for page in [
            "<html><head><title>",
            "<!doctype html><!-- x --><html><head><title>",
            "<!doctype html><html lang=de><head><title>",
            "<!doctype html><html><head><!-- x --><title>",
            "<!doctype html><html><HEAD><title>",
            "<!doctype html><html><head/><title>",
            "<!doctype html><html><head></head>",
            "<!doctype html><html><head>x<title>",
            "<!doctype html><html><body><head><title>",
            "<!doctype html><html><head><meta charset=\"utf-8\"",
        ] {
            assert_eq!(head_insertion(page), None, "{page}");
        }
    }

    #[test]
    fn plain_tags_know_how_lol_html_would_write_them() {
        let text = "<a href=\"x\" title=\"a > b\">";
        let tag = plain_tag(text, 0).unwrap();
        assert_eq!(
            (tag.name, tag.close, tag.tight),
            ("a", text.len() - 1, true)
        );
        assert_eq!(tag.attrs[1], ("title", 12, Some("a > b")));
        assert!(!plain_tag("<a  href=\"x\">", 0).unwrap().tight);
        assert!(!plain_tag("<a href=\"x\" >", 0).unwrap().tight);
        assert!(plain_tag("<a href='x'>", 0).is_none());
        assert!(plain_tag("<a href=x>", 0).is_none());
        assert!(plain_tag("<a href=\"x\"title=\"y\">", 0).is_none());
        assert!(plain_tag("<A href=\"x\">", 0).is_none());
    }

    #[test]
    fn every_place_a_link_attribute_could_be_is_found() {
        let text = "<a data-href=\"no\" HREF = 'one' rel=\"me\"/href=two>x href=\"three\" \
                    <svg:a xlink:href=four>";
        let found = read(text).links.unwrap();
        let values: Vec<(Name, &str)> = found
            .iter()
            .map(|w| (w.name, &text[w.value.clone()]))
            .collect();
        assert_eq!(
            values,
            [
                (Name::Href, "one"),
                (Name::Rel, "me"),
                (Name::Href, "two"),
                (Name::Href, "three"),
                (Name::XlinkHref, "four"),
            ]
        );
        assert_eq!(&text[found[0].at..found[0].at + 4], "HREF");
        assert!(read("<a href=\"x").links.is_none());
        assert!(read("<a href=x").links.is_none());
        assert_eq!(read("<a href=>").links.unwrap()[0].value, 8..8);
        // Found in every position of the words the scan reads.
        for n in 0..20 {
            let text = format!("{}<a href=\"x\">{}", " ".repeat(n), "=".repeat(n));
            let found = read(&text).links.unwrap();
            assert_eq!(found.len(), 1, "{text}");
            assert_eq!(found[0].at, n + 3);
            let hits: Vec<usize> = Hits::new(text.as_bytes()).collect();
            assert_eq!(count(text.as_bytes(), b'='), n + 1);
            assert_eq!(read(&text).tags, 1);
            let expected: Vec<usize> = text
                .bytes()
                .enumerate()
                .filter(|(_, b)| matches!(b, b'<' | b'='))
                .map(|(i, _)| i)
                .collect();
            assert_eq!(hits, expected);
        }
    }

    #[test]
    fn words_find_exactly_the_bytes_asked_for() {
        for b in 0..=255u8 {
            for at in 0..8 {
                let mut bytes = [b'<' ^ 0x80; 8];
                bytes[at] = b;
                let word = u64::from_le_bytes(bytes);
                let expected = (0..8)
                    .filter(|&i| bytes[i] == b'<')
                    .fold(0u64, |m, i| m | 0x80 << (8 * i));
                assert_eq!(equal_bytes(word, b'<'), expected, "{b} at {at}");
                let either = (0..8)
                    .filter(|&i| matches!(bytes[i], b'<' | b'='))
                    .fold(0u64, |m, i| m | 0x80 << (8 * i));
                assert_eq!(lt_or_equals(word), either, "{b} at {at}");
            }
        }
    }

    #[test]
    fn markers_are_found_in_any_case() {
        let markers = |text: &str| read(text).markers;
        let m = markers("<p><NoScript><svg");
        assert!(m.noscript && m.foreign && !m.ambiguous);
        assert!(markers("<!-- <frameset> -->").ambiguous);
        assert!(markers("<SELECT>").ambiguous);
        assert!(!markers("<p>a < b, <strong>math</strong>").foreign);
    }
}
