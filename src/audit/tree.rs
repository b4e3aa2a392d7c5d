//! The tree a browser builds from a page: html5ever (Servo's HTML parser,
//! the spec's tree construction) into a small arena.
//!
//! The audit judges this tree, not a token stream, because only the tree
//! says what a browser will do with markup that is not what it seems: a
//! `<style>` inside a `<select>`, SVG and MathML (foreign content) and the
//! ways out of it, `<noscript>` read as markup by readers without
//! JavaScript, `<template>` contents, elements the parser moves (foster
//! parenting, the adoption agency) and attributes a second `<html>` or
//! `<body>` tag adds to the first. Every element the parser ever created
//! is kept, whether or not it stays in the document, so that nothing it
//! moved or detached escapes the rules.
//!
//! html5ever reports a parse error wherever the input is not what the HTML
//! standard allows; browsers recover from each in the way the standard
//! prescribes, but a browser made after this parser may recover
//! differently (the `<select>` rules changed in 2025). So the audit takes
//! every parse error as something it cannot vouch for.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};

use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tokenizer::TokenizerOpts;
use html5ever::tree_builder::{
    ElemName, ElementFlags, NodeOrText, QuirksMode, TreeBuilderOpts, TreeSink,
};
use html5ever::{local_name, ns, Attribute, LocalName, Namespace, ParseOpts, QualName};

/// An index into [`Tree::nodes`].
pub(crate) type Id = usize;

/// What a node is.
#[derive(Debug)]
pub(crate) enum Kind {
    Document,
    /// A template's contents (a document fragment).
    Fragment,
    Element {
        name: QualName,
        attrs: Vec<Attribute>,
        /// For `<annotation-xml encoding="text/html">` in MathML.
        integration_point: bool,
    },
    Text(StrTendril),
    Other,
}

/// An optional link to another node in four bytes instead of sixteen: a
/// page makes a node for every twenty bytes or so, and the arena's size
/// is much of the tree's cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Slot(u32);

impl Slot {
    const NONE: Slot = Slot(u32::MAX);

    /// A link to `id`; none for an id beyond what four bytes hold, which
    /// the sink reports as a parse error (the page is refused).
    fn to(id: Id) -> Slot {
        u32::try_from(id).map_or(Slot::NONE, Slot)
    }

    fn get(self) -> Option<Id> {
        (self != Slot::NONE).then_some(self.0 as usize)
    }
}

/// One node and where it sits.
#[derive(Debug)]
pub(crate) struct Node {
    pub kind: Kind,
    /// The line of the input where the parser was when it made the node.
    pub line: u64,
    parent: Slot,
    first_child: Slot,
    last_child: Slot,
    previous: Slot,
    next: Slot,
    /// A template's contents.
    contents: Slot,
}

impl Node {
    fn new(kind: Kind, line: u64) -> Self {
        Node {
            kind,
            line,
            parent: Slot::NONE,
            first_child: Slot::NONE,
            last_child: Slot::NONE,
            previous: Slot::NONE,
            next: Slot::NONE,
            contents: Slot::NONE,
        }
    }

    /// The node's parent (a template's contents have the template).
    pub fn parent(&self) -> Option<Id> {
        self.parent.get()
    }

    /// The element's name, if it is one.
    pub fn name(&self) -> Option<&QualName> {
        match &self.kind {
            Kind::Element { name, .. } => Some(name),
            _ => None,
        }
    }

    /// Whether this is the HTML element `local`.
    pub fn is_html(&self, local: &LocalName) -> bool {
        self.name()
            .is_some_and(|n| n.ns == ns!(html) && &n.local == local)
    }
}

/// A parsed document or fragment.
#[derive(Debug)]
pub(crate) struct Tree {
    /// Node 0 is the document (or the fragment's root).
    pub nodes: Vec<Node>,
    /// Parse errors, with the line each was found on.
    pub errors: Vec<(u64, Cow<'static, str>)>,
}

/// How to parse.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Options {
    /// Whether the reader's browser runs scripts: it decides whether
    /// `<noscript>` holds text or markup.
    pub scripting: bool,
    /// Detailed parse error messages (slower; for reporting).
    pub exact_errors: bool,
    /// An `<iframe srcdoc>` document, which needs no doctype.
    pub srcdoc: bool,
}

fn parse_opts(options: Options) -> ParseOpts {
    ParseOpts {
        tokenizer: TokenizerOpts {
            exact_errors: options.exact_errors,
            ..TokenizerOpts::default()
        },
        tree_builder: TreeBuilderOpts {
            scripting_enabled: options.scripting,
            exact_errors: options.exact_errors,
            iframe_srcdoc: options.srcdoc,
            ..TreeBuilderOpts::default()
        },
    }
}

/// How deep elements may nest. Browsers stop nesting deeper (Chrome and
/// Safari at 512 levels) and the standard's parser slows down with depth,
/// so the audit refuses what goes beyond.
pub(crate) const MAX_DEPTH: usize = 512;

/// Elements without end tags, and those whose end tag may be left out
/// (the next one of their kind closes them): they do not nest.
fn is_flat(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "source"
            | "track"
            | "wbr"
            | "param"
            | "keygen"
            | "frame"
            | "basefont"
            | "bgsound"
            | "image"
            | "p"
            | "li"
            | "dt"
            | "dd"
            | "option"
            | "optgroup"
            | "tr"
            | "td"
            | "th"
            | "thead"
            | "tbody"
            | "tfoot"
            | "rt"
            | "rp"
            | "caption"
            | "colgroup"
            | "html"
            | "head"
            | "body"
    )
}

/// Elements whose content is text up to their end tag.
fn is_raw(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "textarea"
            | "title"
            | "xmp"
            | "iframe"
            | "noembed"
            | "noframes"
            | "plaintext"
    )
}

/// Where `text`, read roughly (start and end tags counted, comments and
/// raw text skipped), first nests elements deeper than [`MAX_DEPTH`]:
/// a cheap guard run before the real parser, which would take quadratic
/// time on such input.
pub(crate) fn too_deep(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    // Each level takes a start tag: a text with fewer `<` than that
    // cannot be too deep (most pages; counting is quick).
    if super::scan::count(bytes, b'<') <= MAX_DEPTH {
        return None;
    }
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(found) = bytes
        .get(i..)
        .and_then(|rest| rest.iter().position(|&b| b == b'<'))
    {
        i += found + 1;
        if bytes[i..].starts_with(b"!--") {
            i = find(bytes, i, b"-->").map_or(bytes.len(), |end| end + 3);
            continue;
        }
        let closing = bytes.get(i) == Some(&b'/');
        let start = if closing { i + 1 } else { i };
        let end = bytes[start..]
            .iter()
            .position(|b| !b.is_ascii_alphanumeric() && *b != b'-' && *b != b':')
            .map_or(bytes.len(), |n| start + n);
        if end == start || !bytes[start].is_ascii_alphabetic() {
            continue;
        }
        // Names are compared in lower case without allocating: every name
        // in the lists is shorter than this buffer.
        let mut buffer = [0u8; 16];
        let written = &bytes[start..end];
        let name: &str = if written.len() <= buffer.len() {
            for (to, from) in buffer.iter_mut().zip(written) {
                *to = from.to_ascii_lowercase();
            }
            std::str::from_utf8(&buffer[..written.len()]).unwrap_or_default()
        } else {
            ""
        };
        if closing {
            if !is_flat(name) {
                depth = depth.saturating_sub(1);
            }
            continue;
        }
        if is_raw(name) {
            let close = format!("</{name}");
            i = find_ignoring_case(bytes, end, close.as_bytes()).unwrap_or(bytes.len());
            continue;
        }
        if !is_flat(name) {
            depth += 1;
            if depth > MAX_DEPTH {
                return Some(start - 1);
            }
        }
    }
    None
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|n| from + n)
}

fn find_ignoring_case(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map(|n| from + n)
}

/// Parses a whole page.
pub(crate) fn document(text: &str, options: Options) -> Tree {
    html5ever::parse_document(Sink::new(text), parse_opts(options)).one(text)
}

/// Parses a piece of HTML as the content of a `<div>` (a feed entry).
pub(crate) fn fragment(text: &str, options: Options) -> Tree {
    let context = QualName::new(None, ns!(html), local_name!("div"));
    html5ever::parse_fragment(
        Sink::new(text),
        parse_opts(options),
        context,
        Vec::new(),
        options.scripting,
    )
    .one(text)
}

impl Tree {
    /// The children of `id`, in order.
    pub fn children(&self, id: Id) -> Children<'_> {
        Children {
            tree: self,
            next: self.nodes.get(id).and_then(|n| n.first_child.get()),
        }
    }

    /// The text of `id`'s text children, joined: what a `<style>`
    /// element's stylesheet is made of (comments and elements in between
    /// do not count, as in a browser).
    pub fn child_text(&self, id: Id) -> String {
        let mut text = String::new();
        for child in self.children(id) {
            if let Kind::Text(t) = &self.nodes[child].kind {
                text.push_str(t);
            }
        }
        text
    }

    /// The first child element of `id` that is the HTML element `local`.
    pub fn child_element(&self, id: Id, local: &LocalName) -> Option<Id> {
        self.children(id).find(|&c| self.nodes[c].is_html(local))
    }

    /// The parents of `id`, nearest first (a template's contents count
    /// the template as their parent).
    pub fn ancestors(&self, id: Id) -> Ancestors<'_> {
        Ancestors {
            tree: self,
            next: self.nodes.get(id).and_then(|n| n.parent.get()),
        }
    }
}

/// See [`Tree::children`].
#[derive(Debug)]
pub(crate) struct Children<'a> {
    tree: &'a Tree,
    next: Option<Id>,
}

impl Iterator for Children<'_> {
    type Item = Id;

    fn next(&mut self) -> Option<Id> {
        let current = self.next?;
        self.next = self.tree.nodes[current].next.get();
        Some(current)
    }
}

/// See [`Tree::ancestors`].
#[derive(Debug)]
pub(crate) struct Ancestors<'a> {
    tree: &'a Tree,
    next: Option<Id>,
}

impl Iterator for Ancestors<'_> {
    type Item = Id;

    fn next(&mut self) -> Option<Id> {
        let current = self.next?;
        self.next = self.tree.nodes[current].parent.get();
        Some(current)
    }
}

/// Builds the arena while html5ever parses.
struct Sink {
    nodes: RefCell<Vec<Node>>,
    errors: RefCell<Vec<(u64, Cow<'static, str>)>>,
    line: Cell<u64>,
}

impl Sink {
    /// A sink for `text`: room for the nodes a page of its length makes.
    fn new(text: &str) -> Self {
        let mut nodes = Vec::with_capacity(text.len() / 16 + 8);
        nodes.push(Node::new(Kind::Document, 1));
        Sink {
            nodes: RefCell::new(nodes),
            errors: RefCell::new(Vec::new()),
            line: Cell::new(1),
        }
    }

    fn add(&self, kind: Kind) -> Id {
        self.push(&mut self.nodes.borrow_mut(), kind)
    }

    fn push(&self, nodes: &mut Vec<Node>, kind: Kind) -> Id {
        if nodes.len() == Slot::NONE.0 as usize {
            // Links to more nodes read as none: refuse the page.
            self.parse_error(Cow::Borrowed("too many nodes"));
        }
        nodes.push(Node::new(kind, self.line.get()));
        nodes.len() - 1
    }

    fn detach(nodes: &mut [Node], id: Id) {
        let (parent, previous, next) = {
            let n = &nodes[id];
            (n.parent, n.previous, n.next)
        };
        let Some(parent) = parent.get() else { return };
        match previous.get() {
            Some(p) => nodes[p].next = next,
            None => nodes[parent].first_child = next,
        }
        match next.get() {
            Some(n) => nodes[n].previous = previous,
            None => nodes[parent].last_child = previous,
        }
        let n = &mut nodes[id];
        n.parent = Slot::NONE;
        n.previous = Slot::NONE;
        n.next = Slot::NONE;
    }

    fn append_node(nodes: &mut [Node], parent: Id, child: Id) {
        Sink::detach(nodes, child);
        let last = nodes[parent].last_child;
        nodes[child].parent = Slot::to(parent);
        nodes[child].previous = last;
        match last.get() {
            Some(l) => nodes[l].next = Slot::to(child),
            None => nodes[parent].first_child = Slot::to(child),
        }
        nodes[parent].last_child = Slot::to(child);
    }

    fn insert_before(nodes: &mut [Node], sibling: Id, child: Id) {
        let Some(parent) = nodes[sibling].parent.get() else {
            return;
        };
        Sink::detach(nodes, child);
        let previous = nodes[sibling].previous;
        nodes[child].parent = Slot::to(parent);
        nodes[child].previous = previous;
        nodes[child].next = Slot::to(sibling);
        nodes[sibling].previous = Slot::to(child);
        match previous.get() {
            Some(p) => nodes[p].next = Slot::to(child),
            None => nodes[parent].first_child = Slot::to(child),
        }
    }

    /// Appends text to `parent`, merged with a text node before it.
    fn append_text(&self, parent: Id, text: &StrTendril) {
        let mut nodes = self.nodes.borrow_mut();
        if let Some(last) = nodes[parent].last_child.get() {
            if let Kind::Text(existing) = &mut nodes[last].kind {
                existing.push_tendril(text);
                return;
            }
        }
        let id = self.push(&mut nodes, Kind::Text(text.clone()));
        Sink::append_node(&mut nodes, parent, id);
    }
}

/// The name of an element, borrowed from the arena.
#[derive(Debug)]
struct Name<'a> {
    nodes: std::cell::Ref<'a, Vec<Node>>,
    id: Id,
}

/// Non-elements never reach [`ElemName`]; this stands in if one did.
static NO_NAME: std::sync::LazyLock<QualName> =
    std::sync::LazyLock::new(|| QualName::new(None, ns!(), local_name!("")));

impl Name<'_> {
    fn qual(&self) -> &QualName {
        self.nodes[self.id].name().unwrap_or_else(|| &NO_NAME)
    }
}

impl ElemName for Name<'_> {
    fn ns(&self) -> &Namespace {
        &self.qual().ns
    }

    fn local_name(&self) -> &LocalName {
        &self.qual().local
    }
}

impl TreeSink for Sink {
    type Handle = Id;
    type Output = Tree;
    type ElemName<'a> = Name<'a>;

    fn finish(self) -> Tree {
        Tree {
            nodes: self.nodes.into_inner(),
            errors: self.errors.into_inner(),
        }
    }

    fn parse_error(&self, message: Cow<'static, str>) {
        self.errors.borrow_mut().push((self.line.get(), message));
    }

    fn get_document(&self) -> Id {
        0
    }

    fn elem_name<'a>(&'a self, target: &'a Id) -> Name<'a> {
        Name {
            nodes: self.nodes.borrow(),
            id: *target,
        }
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> Id {
        let id = self.add(Kind::Element {
            name,
            attrs,
            integration_point: flags.mathml_annotation_xml_integration_point,
        });
        if flags.template {
            let contents = self.add(Kind::Fragment);
            let mut nodes = self.nodes.borrow_mut();
            nodes[id].contents = Slot::to(contents);
            // Not a child, but its elements are inside the template.
            nodes[contents].parent = Slot::to(id);
        }
        id
    }

    fn create_comment(&self, _text: StrTendril) -> Id {
        self.add(Kind::Other)
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> Id {
        self.add(Kind::Other)
    }

    fn append(&self, parent: &Id, child: NodeOrText<Id>) {
        match child {
            NodeOrText::AppendNode(id) => {
                Sink::append_node(&mut self.nodes.borrow_mut(), *parent, id);
            }
            NodeOrText::AppendText(text) => self.append_text(*parent, &text),
        }
    }

    fn append_based_on_parent_node(&self, element: &Id, previous: &Id, child: NodeOrText<Id>) {
        let has_parent = self.nodes.borrow()[*element].parent.get().is_some();
        if has_parent {
            self.append_before_sibling(element, child);
        } else {
            self.append(previous, child);
        }
    }

    fn append_doctype_to_document(&self, _: StrTendril, _: StrTendril, _: StrTendril) {
        let id = self.add(Kind::Other);
        Sink::append_node(&mut self.nodes.borrow_mut(), 0, id);
    }

    fn get_template_contents(&self, target: &Id) -> Id {
        let contents = self.nodes.borrow()[*target].contents.get();
        contents.unwrap_or_else(|| {
            // html5ever asks only for templates, which have contents; a
            // fragment made here keeps the arena consistent regardless.
            let id = self.add(Kind::Fragment);
            let mut nodes = self.nodes.borrow_mut();
            nodes[*target].contents = Slot::to(id);
            nodes[id].parent = Slot::to(*target);
            id
        })
    }

    fn same_node(&self, x: &Id, y: &Id) -> bool {
        x == y
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &Id, new_node: NodeOrText<Id>) {
        match new_node {
            NodeOrText::AppendNode(id) => {
                Sink::insert_before(&mut self.nodes.borrow_mut(), *sibling, id);
            }
            NodeOrText::AppendText(text) => {
                let mut nodes = self.nodes.borrow_mut();
                if nodes[*sibling].parent.get().is_none() {
                    return;
                }
                if let Some(previous) = nodes[*sibling].previous.get() {
                    if let Kind::Text(existing) = &mut nodes[previous].kind {
                        existing.push_tendril(&text);
                        return;
                    }
                }
                let id = self.push(&mut nodes, Kind::Text(text));
                Sink::insert_before(&mut nodes, *sibling, id);
            }
        }
    }

    fn add_attrs_if_missing(&self, target: &Id, attrs: Vec<Attribute>) {
        let mut nodes = self.nodes.borrow_mut();
        if let Kind::Element {
            attrs: existing, ..
        } = &mut nodes[*target].kind
        {
            for attr in attrs {
                if !existing.iter().any(|a| a.name == attr.name) {
                    existing.push(attr);
                }
            }
        }
    }

    fn remove_from_parent(&self, target: &Id) {
        Sink::detach(&mut self.nodes.borrow_mut(), *target);
    }

    fn reparent_children(&self, node: &Id, new_parent: &Id) {
        let mut nodes = self.nodes.borrow_mut();
        while let Some(child) = nodes[*node].first_child.get() {
            Sink::append_node(&mut nodes, *new_parent, child);
        }
    }

    fn is_mathml_annotation_xml_integration_point(&self, handle: &Id) -> bool {
        matches!(
            self.nodes.borrow()[*handle].kind,
            Kind::Element {
                integration_point: true,
                ..
            }
        )
    }

    fn set_current_line(&self, line: u64) {
        self.line.set(line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPTIONS: Options = Options {
        scripting: false,
        exact_errors: false,
        srcdoc: false,
    };

    fn elements(tree: &Tree) -> Vec<String> {
        tree.nodes
            .iter()
            .filter_map(Node::name)
            .map(|n| {
                let prefix = if n.ns == ns!(svg) {
                    "svg:"
                } else if n.ns == ns!(mathml) {
                    "math:"
                } else {
                    ""
                };
                format!("{prefix}{}", n.local)
            })
            .collect()
    }

    #[test]
    fn builds_the_tree_a_browser_builds() {
        let tree = document(
            "<!doctype html><title>t</title><p>a<svg><a href=x><text>y</text></a></svg><table><img src=i></table>",
            OPTIONS,
        );
        assert_eq!(
            elements(&tree),
            [
                "html", "head", "title", "body", "p", "svg:svg", "svg:a", "svg:text", "table",
                "img"
            ]
        );
        // The image is foster-parented out of the table, before it.
        let img = tree
            .nodes
            .iter()
            .position(|n| n.is_html(&local_name!("img")));
        let table = tree
            .nodes
            .iter()
            .position(|n| n.is_html(&local_name!("table")));
        let parent = |id: Option<usize>| id.and_then(|i| tree.nodes[i].parent());
        assert_eq!(parent(img), parent(table));
        assert_eq!(img.and_then(|i| tree.nodes[i].next.get()), table);
        assert!(!tree.errors.is_empty(), "foster parenting is a parse error");
    }

    #[test]
    fn text_moved_out_of_a_table_keeps_its_siblings() {
        let tree = document(
            "<!doctype html><body><p>a</p><table>x<tr><td>y</td></tr></table><div>z</div>",
            OPTIONS,
        );
        let body = tree
            .nodes
            .iter()
            .position(|n| n.is_html(&local_name!("body")))
            .unwrap_or_default();
        let children: Vec<String> = tree
            .children(body)
            .map(|c| match &tree.nodes[c].kind {
                Kind::Text(t) => t.to_string(),
                Kind::Element { name, .. } => format!("<{}>", name.local),
                _ => "?".to_string(),
            })
            .collect();
        assert_eq!(children, ["<p>", "x", "<table>", "<div>"]);
    }

    #[test]
    fn noscript_is_markup_only_without_scripting() {
        let text = "<!doctype html><noscript><img src=x></noscript>";
        assert!(elements(&document(text, OPTIONS)).contains(&"img".to_string()));
        let scripting = Options {
            scripting: true,
            ..OPTIONS
        };
        assert!(!elements(&document(text, scripting)).contains(&"img".to_string()));
    }

    #[test]
    fn style_text_joins_its_text_children() {
        let tree = document(
            "<!doctype html><svg><style>a{b:u<!--x-->rl(y)}</style></svg>",
            OPTIONS,
        );
        let style = tree
            .nodes
            .iter()
            .position(|n| n.name().is_some_and(|q| &*q.local == "style"));
        assert_eq!(
            style.map(|s| tree.child_text(s)).as_deref(),
            Some("a{b:url(y)}")
        );
    }

    #[test]
    fn a_second_body_tag_adds_its_attributes() {
        let tree = document("<!doctype html><body><p>x<body onload=y>", OPTIONS);
        let body = tree.nodes.iter().find(|n| n.is_html(&local_name!("body")));
        let Some(Node {
            kind: Kind::Element { attrs, .. },
            ..
        }) = body
        else {
            panic!("no body");
        };
        assert!(attrs.iter().any(|a| &*a.name.local == "onload"));
    }

    #[test]
    fn deep_nesting_is_found_before_parsing() {
        let deep = format!("<!doctype html>{}x", "<div>".repeat(100_000));
        assert_eq!(too_deep(&deep), Some(15 + 5 * MAX_DEPTH));
        let closed = format!("<!doctype html>{}", "<div>x</div><p>y<br>".repeat(100_000));
        assert_eq!(too_deep(&closed), None);
        let hidden = format!(
            "<!-- {} --><script>{}</script><p>{}",
            "<div>".repeat(1000),
            "<b>".repeat(1000),
            "<li>".repeat(1000)
        );
        assert_eq!(too_deep(&hidden), None);
        let allowed = format!("<!doctype html>{}x", "<div>".repeat(MAX_DEPTH));
        let tree = document(&allowed, OPTIONS);
        assert_eq!(tree.ancestors(tree.nodes.len() - 1).count(), MAX_DEPTH + 3);
    }
}
