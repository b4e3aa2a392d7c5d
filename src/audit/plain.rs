//! The elements of a page written so plainly that its tree needs no tree
//! builder: the pages echt's own templates and Markdown write.
//!
//! html5ever's parse (see [`super::tree`]) was most of the time of a fresh
//! build, and almost every page echt writes is the same simple shape: a
//! doctype, `<html>`, a `<head>` of `<meta>`, `<link>`, `<title>` and
//! `<style>`, a `<body>` of ordinary elements, each closed by its own end
//! tag, every tag written the plainest way. For such a page the tree is
//! the nesting of its tags, and every element is made from one tag, in the
//! order of the tags, with the tag's attributes.
//!
//! [`read`] reads a page only if it is of that shape, and says it does not
//! know (None) at the first thing that is not: a tag written otherwise, a
//! `<` that opens no plain tag, a character reference outside a short
//! list, an element outside a list of those the tree builder treats
//! simply, an end tag that does not close the current element, or any
//! start tag after which the tree builder would close, move, clone or
//! imply an element (a block inside `<p>`, a `<li>` in an open `<li>`, a
//! link in a link, anything but rows and cells in a table, …). The caller
//! then takes html5ever's way, so a page this reader cannot vouch for is
//! judged exactly as before, never less strictly. In debug builds (the
//! tests and the fuzzer) every page it reads is read by html5ever too, and
//! the two readings must agree ([`agrees`]).

use std::borrow::Cow;

use super::scan;
use super::tree::{Kind, Tree};

/// One element of a plain page, as the tree builder would make it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Seen<'a> {
    /// An HTML element's name (the reader knows no other vocabulary).
    pub name: &'a str,
    /// Its attributes in the order written, values decoded.
    pub attrs: Vec<(&'a str, Cow<'a, str>)>,
    /// The line of the tag's `>`, where html5ever's tokenizer is when it
    /// hands the tag on.
    pub line: u64,
    /// The text of a `<style>`.
    pub text: Option<&'a str>,
}

impl Seen<'_> {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_ref())
    }
}

/// A page read plainly.
#[derive(Debug)]
pub(crate) struct Plain<'a> {
    /// Every element, in the order of their start tags.
    pub elements: Vec<Seen<'a>>,
    /// Which of them are children of `<head>`, in order.
    pub head: Vec<usize>,
}

/// Where in the document the reader is: the tree builder's insertion
/// modes that plain pages pass through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    BeforeHtml,
    BeforeHead,
    InHead,
    AfterHead,
    InBody,
    AfterBody,
    AfterHtml,
}

/// Nesting deeper than this is left to html5ever, which knows where
/// browsers stop nesting.
const MAX_DEPTH: usize = 256;

/// The elements of `text` if it is a plain page; None if not.
pub(crate) fn read(text: &str) -> Option<Plain<'_>> {
    const DOCTYPE: &[u8] = b"<!doctype html>";
    let bytes = text.as_bytes();
    if !bytes.get(..DOCTYPE.len())?.eq_ignore_ascii_case(DOCTYPE) {
        return None;
    }
    Reader::new(text, Mode::BeforeHtml, Vec::new()).run(DOCTYPE.len())
}

/// The elements of `text` read as the content of a `<div>` (a feed
/// entry, see [`super::tree::fragment`]) if it is plain; None if not.
/// The first two elements are those the tree builder makes first, both
/// without attributes: the context `<div>` and the fragment's root
/// `<html>`.
pub(crate) fn read_fragment(text: &str) -> Option<Plain<'_>> {
    let mut reader = Reader::new(text, Mode::InBody, vec!["html"]);
    for name in ["div", "html"] {
        reader.plain.elements.push(Seen {
            name,
            attrs: Vec::new(),
            line: 1,
            text: None,
        });
    }
    reader.run(0)
}

/// NUL (an error wherever it stands), CR (the tokenizer turns it into a
/// line feed, which would move every line) and the other C0 controls.
fn has_unusual_bytes(bytes: &[u8]) -> bool {
    // A chunk at a time without stopping early, which compiles to SIMD.
    bytes.chunks(64).any(|chunk| {
        chunk.iter().fold(false, |found, &b| {
            found | (b < 0x20 && b != b'\t' && b != b'\n' && b != b'\x0C')
        })
    })
}

struct Reader<'a> {
    text: &'a str,
    mode: Mode,
    /// The open elements, outermost first.
    stack: Vec<(&'a str, Class)>,
    /// How many `<p>` and `<a>` are open.
    open_p: usize,
    open_a: usize,
    /// How many of them no end tag in the body may close: `<html>` and
    /// `<body>` of a page, the root of a fragment.
    floor: usize,
    plain: Plain<'a>,
    /// The line at byte `counted`.
    line: u64,
    counted: usize,
}

impl<'a> Reader<'a> {
    fn new(text: &'a str, mode: Mode, stack: Vec<&'a str>) -> Self {
        Reader {
            text,
            mode,
            floor: if stack.is_empty() { 2 } else { stack.len() },
            stack: stack.into_iter().map(|name| (name, class(name))).collect(),
            open_p: 0,
            open_a: 0,
            plain: Plain {
                // Pages have a tag every hundred bytes or so.
                elements: Vec::with_capacity(text.len() / 128),
                head: Vec::new(),
            },
            line: 1,
            counted: 0,
        }
    }

    /// Reads from byte `at` to the end.
    fn run(mut self, mut at: usize) -> Option<Plain<'a>> {
        let bytes = self.text.as_bytes();
        if has_unusual_bytes(bytes) {
            return None;
        }
        while let Some(lt) = memchr::memchr(b'<', &bytes[at..]).map(|i| at + i) {
            self.text_between(at, lt)?;
            at = match bytes.get(lt + 1)? {
                b'!' => comment_end(bytes, lt)?,
                b'/' => self.end_tag(lt)?,
                _ => self.start_tag(lt)?,
            };
        }
        self.text_between(at, bytes.len())?;
        let ended = match self.mode {
            Mode::InBody => self.stack.len() == self.floor,
            Mode::AfterBody | Mode::AfterHtml => true,
            _ => false,
        };
        ended.then_some(self.plain)
    }

    fn current(&self) -> (&'a str, Class) {
        self.stack.last().copied().unwrap_or(("", Class(0)))
    }

    fn push(&mut self, name: &'a str, class: Class) {
        self.open_p += usize::from(name == "p");
        self.open_a += usize::from(name == "a");
        self.stack.push((name, class));
    }

    fn pop(&mut self) {
        if let Some((name, _)) = self.stack.pop() {
            self.open_p -= usize::from(name == "p");
            self.open_a -= usize::from(name == "a");
        }
    }

    /// The text between two tags.
    fn text_between(&self, from: usize, to: usize) -> Option<()> {
        let text = self.text.get(from..to)?;
        let only_space = match self.mode {
            Mode::InBody => self.current().1.has(Class::TABLE_PART),
            // After `</body>` text would go back into the body.
            _ => true,
        };
        if only_space {
            return text.bytes().all(is_space).then_some(());
        }
        plain_references(text).then_some(())
    }

    /// The line of byte `at` (which only grows between calls).
    fn line_at(&mut self, at: usize) -> u64 {
        let bytes = &self.text.as_bytes()[self.counted..at];
        self.line += memchr::memchr_iter(b'\n', bytes).count() as u64;
        self.counted = at;
        self.line
    }

    /// An end tag at `lt`; where reading goes on.
    fn end_tag(&mut self, lt: usize) -> Option<usize> {
        let bytes = self.text.as_bytes();
        let name_end = lt
            + 2
            + bytes[lt + 2..]
                .iter()
                .position(|b| !(b.is_ascii_lowercase() || b.is_ascii_digit()))?;
        if bytes.get(name_end) != Some(&b'>') || name_end == lt + 2 {
            return None;
        }
        let name = &self.text[lt + 2..name_end];
        match (self.mode, name) {
            (Mode::InHead, "head") => self.mode = Mode::AfterHead,
            (Mode::InBody, "body") if self.floor == 2 && self.stack.len() == 2 => {
                self.mode = Mode::AfterBody;
            }
            (Mode::AfterBody, "html") => self.mode = Mode::AfterHtml,
            (Mode::InBody, _) if self.stack.len() > self.floor && self.current().0 == name => {}
            _ => return None,
        }
        if self.mode != Mode::AfterHtml {
            self.pop();
        }
        Some(name_end + 1)
    }

    /// A start tag at `lt`; where reading goes on.
    fn start_tag(&mut self, lt: usize) -> Option<usize> {
        let mut attrs: Vec<(&'a str, Cow<'a, str>)> = Vec::new();
        let tag = scan::read_tag(self.text, lt, |name, _, value| {
            // html5ever keeps the first of two equal names, with an error.
            if attrs.iter().any(|(n, _)| *n == name) {
                return None;
            }
            attrs.push((name, decode(value.unwrap_or_default())?));
            Some(())
        })?;
        let line = self.line_at(tag.close);
        let name = tag.name;
        let class = class(name);
        let void = class.has(Class::VOID);
        if tag.slash && !void {
            return None;
        }
        match self.mode {
            Mode::BeforeHtml if name == "html" => self.mode = Mode::BeforeHead,
            Mode::BeforeHead if name == "head" => self.mode = Mode::InHead,
            Mode::InHead if matches!(name, "meta" | "link" | "base" | "title" | "style") => {
                self.plain.head.push(self.plain.elements.len());
            }
            Mode::AfterHead if name == "body" => self.mode = Mode::InBody,
            Mode::InBody if self.may_open(name, class) && self.stack.len() < MAX_DEPTH => {}
            _ => return None,
        }
        let mut seen = Seen {
            name,
            attrs,
            line,
            text: None,
        };
        let mut next = tag.close + 1;
        if matches!(name, "title" | "style") {
            let (content, after) = raw_text(self.text, next, name)?;
            if name == "title" && !plain_references(content) {
                return None;
            }
            if name == "style" {
                seen.text = Some(content);
            }
            next = after;
        } else if !void {
            self.push(name, class);
        }
        self.plain.elements.push(seen);
        Some(next)
    }

    /// Whether a start tag `name` in the body makes exactly one element
    /// at the current place and nothing else.
    fn may_open(&self, name: &str, class: Class) -> bool {
        let (current, around) = self.current();
        if around.has(Class::TABLE_PART) {
            return table_children(current).contains(&name);
        }
        if !class.has(Class::BODY) || class.has(Class::CLOSES_P) && self.open_p > 0 {
            return false;
        }
        match name {
            "li" => !self.closes_open(&["li"]),
            "dd" | "dt" => !self.closes_open(&["dd", "dt"]),
            "a" => self.open_a == 0,
            _ => !(class.has(Class::HEADING) && around.has(Class::HEADING)),
        }
    }

    /// Whether a `<li>` (or `<dd>`, `<dt>`) would close one of `names`
    /// that is open: the tree builder looks down the open elements for one
    /// and stops at the first special element other than `<address>`,
    /// `<div>` and `<p>`.
    fn closes_open(&self, names: &[&str]) -> bool {
        for (open, class) in self.stack.iter().rev() {
            if names.contains(open) {
                return true;
            }
            if class.has(Class::SPECIAL) && !matches!(*open, "address" | "div" | "p") {
                return false;
            }
        }
        false
    }
}

/// The end of the comment at `lt` (after its `-->`), if it is one written
/// plainly: no `--` inside, and not starting with `>` or `->`.
fn comment_end(bytes: &[u8], lt: usize) -> Option<usize> {
    if bytes.get(lt..lt + 4)? != b"<!--" {
        return None;
    }
    let body = lt + 4;
    if matches!(bytes.get(body..body + 1), Some(b">")) || bytes.get(body..body + 2)? == b"->" {
        return None;
    }
    let dashes = body + memchr::memmem::find(&bytes[body..], b"--")?;
    let inside = &bytes[body..dashes];
    // `<!--` inside a comment, or one ending in `<!-`, is an error.
    if memchr::memmem::find(inside, b"<!--").is_some() || inside.ends_with(b"<!-") {
        return None;
    }
    (bytes.get(dashes + 2) == Some(&b'>')).then_some(dashes + 3)
}

/// The text of a `<title>` or `<style>` starting at `from` and where
/// reading goes on after its end tag, which must be the first `</name`
/// in any case and written `</name>`.
fn raw_text<'a>(text: &'a str, from: usize, name: &str) -> Option<(&'a str, usize)> {
    let bytes = text.as_bytes();
    let mut at = from;
    loop {
        let close = at + memchr::memmem::find(&bytes[at..], b"</")?;
        let after = close + 2;
        let candidate = bytes.get(after..after + name.len());
        if candidate.is_some_and(|c| c.eq_ignore_ascii_case(name.as_bytes())) {
            return (candidate == Some(name.as_bytes())
                && bytes.get(after + name.len()) == Some(&b'>'))
            .then(|| (&text[from..close], after + name.len() + 1));
        }
        at = after;
    }
}

/// The character references echt's escaping writes (tera's and
/// pulldown-cmark's), and what they stand for.
const REFERENCES: &[(&str, &str)] = &[
    ("&amp;", "&"),
    ("&lt;", "<"),
    ("&gt;", ">"),
    ("&quot;", "\""),
    ("&#x27;", "'"),
    ("&#39;", "'"),
    ("&#x2F;", "/"),
];

/// The reference at the start of `text`, and its length.
fn reference(text: &str) -> Option<(&'static str, usize)> {
    REFERENCES
        .iter()
        .find(|(r, _)| text.starts_with(r))
        .map(|(r, c)| (*c, r.len()))
}

/// Whether every `&` in `text` starts a reference of [`REFERENCES`] (an
/// `&` before a space or at the end stands for itself).
fn plain_references(text: &str) -> bool {
    memchr::memchr_iter(b'&', text.as_bytes()).all(|at| {
        let rest = &text[at..];
        reference(rest).is_some() || rest.as_bytes().get(1).is_none_or(|&b| is_space(b))
    })
}

/// An attribute value with its references decoded; None for any `&`
/// that starts no reference of [`REFERENCES`].
fn decode(value: &str) -> Option<Cow<'_, str>> {
    let Some(first) = memchr::memchr(b'&', value.as_bytes()) else {
        return Some(Cow::Borrowed(value));
    };
    let mut out = String::with_capacity(value.len());
    out.push_str(&value[..first]);
    let mut rest = &value[first..];
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let (ch, len) = reference(&rest[amp..])?;
        out.push_str(ch);
        rest = &rest[amp + len..];
    }
    out.push_str(rest);
    Some(Cow::Owned(out))
}

fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0C' | b' ')
}

/// What the tree builder does with an element, as far as this reader
/// needs to know: flags, for the elements it reads (every other element
/// has none and is left to html5ever).
#[derive(Debug, Clone, Copy)]
struct Class(u8);

impl Class {
    /// No content and no end tag.
    const VOID: u8 = 1;
    /// Its start tag closes an open `<p>`.
    const CLOSES_P: u8 = 2;
    /// May be opened in the body (where the other rules allow).
    const BODY: u8 = 4;
    /// One of html5ever's special elements
    /// (`tree_builder::tag_sets::special_tag`).
    const SPECIAL: u8 = 8;
    const HEADING: u8 = 16;
    /// Holds only other table elements, no text.
    const TABLE_PART: u8 = 32;

    fn has(self, flag: u8) -> bool {
        self.0 & flag != 0
    }
}

fn class(name: &str) -> Class {
    const BLOCK: u8 = Class::CLOSES_P | Class::BODY | Class::SPECIAL;
    Class(match name {
        "address" | "article" | "aside" | "blockquote" | "center" | "details" | "dialog"
        | "dir" | "div" | "dl" | "fieldset" | "figcaption" | "figure" | "footer" | "header"
        | "hgroup" | "main" | "menu" | "nav" | "ol" | "p" | "section" | "summary" | "ul"
        | "pre" | "li" | "dd" | "dt" => BLOCK,
        // Closes `<p>` in html5ever, but is not one of its special elements.
        "search" => Class::CLOSES_P | Class::BODY,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => BLOCK | Class::HEADING,
        "hr" => BLOCK | Class::VOID,
        "table" => BLOCK | Class::TABLE_PART,
        "thead" | "tbody" | "tfoot" | "tr" | "colgroup" => Class::SPECIAL | Class::TABLE_PART,
        "td" | "th" | "html" | "head" | "body" | "title" => Class::SPECIAL,
        "style" => Class::SPECIAL | Class::BODY,
        "col" | "base" | "link" | "meta" => Class::SPECIAL | Class::VOID,
        // The formatting elements (less `<nobr>`, with rules of its own)
        // and elements inserted where they stand and nothing else.
        "a" | "b" | "big" | "code" | "em" | "font" | "i" | "s" | "small" | "strike" | "strong"
        | "tt" | "u" | "abbr" | "bdi" | "bdo" | "cite" | "data" | "del" | "dfn" | "ins" | "kbd"
        | "label" | "mark" | "picture" | "q" | "samp" | "span" | "sub" | "sup" | "time" | "var" => {
            Class::BODY
        }
        "area" | "br" | "img" | "input" | "source" | "track" | "wbr" => {
            Class::BODY | Class::SPECIAL | Class::VOID
        }
        _ => 0,
    })
}

/// What may be opened in a table part without the tree builder implying
/// or moving an element.
fn table_children(current: &str) -> &'static [&'static str] {
    match current {
        "table" => &["colgroup", "thead", "tbody", "tfoot"],
        "thead" | "tbody" | "tfoot" => &["tr"],
        "tr" => &["td", "th"],
        "colgroup" => &["col"],
        _ => &[],
    }
}

/// Whether html5ever reads `text` as `plain` says: no parse error, and
/// exactly these elements, in this order, with these attributes and
/// lines, `<style>` texts and children of `<head>`. The cross-check of
/// debug builds.
pub(crate) fn agrees(plain: &Plain<'_>, tree: &Tree) -> Result<(), String> {
    if let Some((line, error)) = tree.errors.first() {
        return Err(format!(
            "html5ever reports a parse error on line {line}: {error}"
        ));
    }
    let mut elements = plain.elements.iter();
    let mut head = Vec::new();
    for (id, node) in tree.nodes.iter().enumerate() {
        let Kind::Element { name, attrs, .. } = &node.kind else {
            continue;
        };
        let parent = node.parent().and_then(|p| tree.nodes[p].name());
        if parent.is_some_and(|p| &*p.local == "head") {
            head.push(id);
        }
        let seen = Seen {
            name: &name.local,
            attrs: attrs
                .iter()
                .map(|a| (&*a.name.local, Cow::Borrowed(&*a.value)))
                .collect(),
            line: node.line,
            text: None,
        };
        let css = (&*name.local == "style").then(|| tree.child_text(id));
        let Some(expected) = elements.next() else {
            return Err(format!("html5ever has more elements: {seen:?}"));
        };
        let same_name = name.ns == html5ever::ns!(html) && seen.name == expected.name;
        if !same_name
            || seen.attrs != expected.attrs
            || seen.line != expected.line
            || css.as_deref() != expected.text
        {
            return Err(format!(
                "html5ever reads {seen:?} (style {css:?}) where the plain reading has {expected:?}"
            ));
        }
    }
    if let Some(rest) = elements.next() {
        return Err(format!("the plain reading has more elements: {rest:?}"));
    }
    // Element ids of the tree count every node; compare positions among
    // elements.
    let element_index = |id: usize| {
        tree.nodes[..id]
            .iter()
            .filter(|n| matches!(n.kind, Kind::Element { .. }))
            .count()
    };
    let head: Vec<usize> = head.into_iter().map(element_index).collect();
    if head != plain.head {
        return Err(format!(
            "html5ever's `<head>` holds elements {head:?}, the plain reading's {:?}",
            plain.head
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::tree;

    const OPTIONS: tree::Options = tree::Options {
        scripting: false,
        exact_errors: false,
        srcdoc: false,
    };

    fn page(body: &str) -> String {
        format!(
            "<!doctype html>\n<html lang=\"de\">\n<head>\n<meta charset=\"utf-8\">\n<title>T &amp; t</title>\n\
             <style>p {{ color: red }}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
        )
    }

    /// Reads `text` both ways, as a page; the plain reading, if any, must
    /// agree.
    fn both(text: &str) -> bool {
        both_with(text, read, tree::document)
    }

    /// Reads `text` plainly with `plain` and by html5ever with `parse`.
    fn both_with(
        text: &str,
        plain: fn(&str) -> Option<Plain<'_>>,
        parse: fn(&str, tree::Options) -> Tree,
    ) -> bool {
        let read = plain(text);
        if let Some(read) = &read {
            if let Err(why) = agrees(read, &parse(text, OPTIONS)) {
                panic!("{why}\n{text}");
            }
        }
        read.is_some()
    }

    #[test]
    fn pages_echt_writes_are_read_plainly() {
        for body in [
            "<header><nav><ul><li><a href=\"/\" aria-current=\"page\">Start</a></li></ul></nav></header>",
            "<main><article><h1 id=\"x\">Titel</h1><p>Ein <em>Satz</em> &amp; <code>x &lt; y</code>.</p>\n\
             <pre><code class=\"language-rust\">fn main() {}\n</code></pre>\n<hr>\n<img src=\"a.png\" alt=\"A\" loading=\"lazy\"></article></main>",
            "<table>\n<thead>\n<tr>\n<th>a</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>1</td>\n</tr>\n</tbody>\n</table>",
            "<ul>\n<li><input disabled=\"\" type=\"checkbox\" checked=\"\"/>\nx</li>\n<li><p>a</p><ul><li>b</li></ul></li>\n</ul>",
            "<dl><dt>a</dt><dd>b<div><p>c</p></div></dd></dl><!-- a comment -->",
            "<p>A &amp; B, <a href=\"https://example.org/?a=1&amp;b=2\" rel=\"noopener noreferrer\">link</a><br/>x</p>",
            "<blockquote><p>Zitat</p></blockquote><figure><img src=\"x.png\" alt=\"\"><figcaption>Bild</figcaption></figure>",
            "<div><a href=\"/x/\"><div>block in a link</div></a></div><p>R&amp;D &amp; more & less</p>",
            "<div><style>.x { color: red }</style><search><p>x</p></search></div>",
        ] {
            assert!(both(&page(body)), "{body}");
        }
        let bare = "<!DOCTYPE html><html><head><title>x</title></head><body><p>x</p>";
        assert!(both(bare));
    }

    #[test]
    fn anything_the_tree_builder_does_more_with_is_left_to_it() {
        for body in [
            "<p><div>block in p</div></p>",
            "<p>one<p>two</p></p>",
            "<ul><li>a<li>b</li></ul>",
            "<ul><li><div><li>x</li></div></li></ul>",
            "<a href=\"/\"><a href=\"/y/\">x</a></a>",
            "<table><tr><td>x</td></tr></table>",
            "<table><tbody><tr><td>x</td></tr></tbody>text</table>",
            "<h1><h2>x</h2></h1>",
            "<b><i>x</b></i>",
            "<p>x</P>",
            "<P>x</p>",
            "<p class=x>y</p>",
            "<p class='x'>y</p>",
            "<p class=\"a\" class=\"b\">y</p>",
            "<p>&nbsp;</p>",
            "<p>a &copy b</p>",
            "<a href=\"/?a=1&b=2\">x</a>",
            "<svg><a href=\"x\">y</a></svg>",
            "<math><mi>x</mi></math>",
            "<script>x</script>",
            "<noscript><p>x</p></noscript>",
            "<template><p>x</p></template>",
            "<select><option>x</option></select>",
            "<textarea>x</textarea>",
            "<p>a < b</p>",
            "<p>a <!-- x -- y --> b</p>",
            "<p>a <!--> b</p>",
            "<p>a <!---> b</p>",
            "<p>a <!-- <!-- --> b</p>",
            "<div/>x",
            "<custom-element>x</custom-element>",
            "<image src=\"x.png\">",
            "<body class=\"x\">",
            "<p>x\0y</p>",
            "<p>x\ry</p>",
            "<style>a {}</STYLE>",
            "<style>a {}</style >",
            "</p>",
            "<br></br>",
        ] {
            assert!(!both(&page(body)), "{body}");
        }
        for text in [
            "<html><head></head><body></body></html>",
            "<!doctype html><html><head><div></div></head><body></body></html>",
            "<!doctype html><html><head></head>x<body></body></html>",
            "<!doctype html><html><head></head><body></body></html>x",
            "<!doctype html><html><head></head><body><div></body></html>",
            "<!doctype html><html><head></head><body></body><p>x</p></html>",
            "<!doctype html><html><head></head><body><p>x</p></div></body></html>",
            "<!doctype html><html><head><title>x</head><body></body></html>",
            "<!doctype html><p>x</p>",
        ] {
            assert!(!both(text), "{text}");
        }
    }

    #[test]
    fn feed_entries_are_read_as_fragments() {
        let read_both = |text: &str| both_with(text, read_fragment, tree::fragment);
        for text in [
            "<p>Der <em>erste</em> Absatz &amp; mehr.</p>\n<ul>\n<li>a</li>\n</ul>",
            "<h2 id=\"x\">T</h2><table><thead><tr><th>a</th></tr></thead></table>",
            "Text ohne Element",
            "",
        ] {
            assert!(read_both(text), "{text}");
        }
        for text in [
            "<p>a<div>b</div></p>",
            "</div>",
            "<body><p>x</p></body>",
            "<!doctype html><p>x</p>",
            "<p>offen",
        ] {
            assert!(!read_both(text), "{text}");
        }
    }

    #[test]
    fn lines_are_where_the_tokenizer_hands_each_tag_on() {
        let text = page("<p\nclass=\"a\">x</p>\n\n<a\n  href=\"/\">y</a>");
        assert!(both(&text));
        let plain = read(&text).unwrap();
        let a = plain.elements.iter().find(|e| e.name == "a").unwrap();
        assert_eq!(
            a.line,
            text[..text.find("href").unwrap()].matches('\n').count() as u64 + 1
        );
    }

    #[test]
    fn values_are_decoded_and_style_text_kept() {
        let text = page("<a href=\"/?a=1&amp;b=&quot;2&quot;\" title=\"&#x27;x&#39;&#x2F;\">y</a>");
        let plain = read(&text).unwrap();
        let a = plain.elements.iter().find(|e| e.name == "a").unwrap();
        assert_eq!(a.attr("href"), Some("/?a=1&b=\"2\""));
        assert_eq!(a.attr("title"), Some("'x'/"));
        let style = plain.elements.iter().find(|e| e.name == "style").unwrap();
        assert_eq!(style.text, Some("p { color: red }"));
        assert_eq!(plain.head, [2, 3, 4]);
    }
}
