//! Pages: rewritten where they must be, then judged on the tree a browser
//! builds from the result.
//!
//! The rewrite puts the Content-Security-Policy and referrer `<meta>`s
//! first in the head, removes tracking parameters from links and adds
//! `rel="noopener noreferrer"` to outbound ones; then html5ever (see
//! [`super::tree`]) parses the very bytes that will be published, and the
//! rules judge its elements by vocabulary and name. Every parse error
//! html5ever reports is an error: the page is not published unless the
//! audit read all of it without doubt.
//!
//! Most pages need of the rewrite only what can be written without a
//! rewriter: the `<meta>`s go in by a byte insertion where it would put
//! them, `rel` onto outbound links written plainly, and the one parse of
//! the verdict confirms that nothing else would change
//! ([`audit_directly`]). Every other page takes the full way: lol_html, a
//! streaming rewriter that changes the page where it must and keeps every
//! other byte, then the verdict on what it wrote; whatever lol_html cannot
//! rewrite with certainty is an error too.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use html5ever::{local_name, ns};
use lol_html::html_content::{ContentType, Element as LolElement};
use lol_html::{element, HtmlRewriter, Settings};

use super::plain;
use super::rules::{self, Attr, Checker, Element, Vocabulary};
use super::scan;
use super::tree::{self, Kind, Tree};
use super::{At, Finding, Page, Policy, Target};
use crate::util::error::Severity;

const UNSURE_HINT: &str = "write the HTML so that there is only one way to read it (the Nu HTML Checker shows the same problems); echt publishes nothing it cannot check";

/// A page after the audit: its new text, what the rules found in it, and
/// what rewriting it did (notes located in the text before rewriting).
#[derive(Debug)]
pub(crate) struct Audited<'a> {
    pub html: String,
    pub checker: Checker<'a>,
    pub notes: Vec<Finding>,
}

/// Rewrites and judges a whole page of the site.
pub(crate) fn audit_page<'a>(policy: &'a Policy, page: &'a Page, html: &str) -> Audited<'a> {
    audit_directly(policy, page, html).unwrap_or_else(|| audit_fully(policy, page, html))
}

/// The full way: lol_html's pass, then the verdict on what it wrote.
pub(super) fn audit_fully<'a>(policy: &'a Policy, page: &'a Page, html: &str) -> Audited<'a> {
    let mut checker = Checker::new(policy, page);
    match rewrite(policy, page, html, true) {
        Ok((rewritten, notes)) => {
            let tree = judge_document(&mut checker, &rewritten);
            check_policy_first(&mut checker, &tree);
            Audited {
                html: rewritten,
                checker,
                notes,
            }
        }
        Err(why) => {
            // lol_html explains at length; its first sentence says what,
            // and names the tag (`<style>`) to look for in the sources.
            let tag = why
                .split_once("(`<")
                .and_then(|(_, rest)| rest.split_once('>'))
                .map(|(name, _)| format!("<{name}"));
            let why = why
                .split(". ")
                .next()
                .unwrap_or_default()
                .trim_end_matches('.');
            checker.find(
                Severity::Error,
                format!("echt cannot rewrite this page with certainty: {why}"),
                UNSURE_HINT,
                At::Span(0..0),
                tag.into_iter().collect(),
            );
            // The rest of the page is judged all the same, so that one
            // build shows every problem.
            judge_document(&mut checker, html);
            Audited {
                html: html.to_string(),
                checker,
                notes: Vec::new(),
            }
        }
    }
}

/// What lol_html's pass adds to an outbound link without `rel`.
const REL: &str = " rel=\"noopener noreferrer\"";

/// The one-parse way, for the common page that needs of lol_html's pass
/// only what can be written without it: echt's `<meta>`s, inserted where
/// the pass would put them (found by [`scan::head_insertion`] on pages
/// that start plainly), and `rel` on outbound links written plainly. The
/// verdict then reads the bytes that are published, as always, and also
/// confirms that the pass would have changed nothing else: no parse error
/// (where lol_html and html5ever could read tags differently), the policy
/// first in `<head>`, and every outbound link as the pass leaves it
/// ([`links_as_cleaned`]). None whenever any of that is not certain: the
/// page then takes the full way, lol_html and a second parse.
///
/// Returns exactly what the full way returns, with the same findings, for
/// every page it accepts; `audit::tests::one_parse_publishes_what_the_rewrite_would`
/// holds it to that.
pub(super) fn audit_directly<'a>(
    policy: &'a Policy,
    page: &'a Page,
    html: &str,
) -> Option<Audited<'a>> {
    let scan::Reading {
        markers,
        tags,
        links,
    } = scan::read(html);
    if markers.noscript || markers.ambiguous {
        return None;
    }
    let head_at = scan::head_insertion(html)?;
    let written = links?;
    let mut outbound: Vec<Cow<'_, str>> = Vec::new();
    let mut splices: Vec<usize> = Vec::new();
    for w in written.iter().filter(|w| w.name != scan::Name::Rel) {
        let raw = &html[w.value.clone()];
        if raw.contains('\0') {
            return None;
        }
        let value = if raw.contains('&') {
            htmlize::unescape_attribute(raw)
        } else {
            Cow::Borrowed(raw)
        };
        let Some(host) = policy.outbound_host(page, &value) else {
            continue;
        };
        // Removing tracking parameters is the pass's work, with a note.
        if !super::tracking::strip(value.trim(), &host).1.is_empty() {
            return None;
        }
        // lol_html follows SVG and MathML more simply than html5ever; with
        // neither on the page, every `<a>` it sees is an HTML one.
        if w.name == scan::Name::Href && !markers.foreign {
            if let Some(close) = plain_link_without_rel(html, w.at) {
                if close > head_at && splices.last().is_none_or(|&last| last < close) {
                    splices.push(close);
                }
            }
        }
        outbound.push(value);
    }
    // The pass compares `rel` as written; the tree has it decoded.
    let rel_as_written = || {
        written
            .iter()
            .filter(|w| w.name == scan::Name::Rel)
            .all(|w| !html[w.value.clone()].contains(['&', '\0']))
    };
    if !outbound.is_empty() && !rel_as_written() {
        return None;
    }
    let mut text =
        String::with_capacity(html.len() + policy.head_of(page).len() + splices.len() * REL.len());
    text.push_str(&html[..head_at]);
    text.push_str(policy.head_of(page));
    let mut from = head_at;
    for close in splices {
        text.push_str(&html[from..close]);
        text.push_str(REL);
        from = close;
    }
    text.push_str(&html[from..]);

    if let Some(checker) = judge_plainly(policy, page, &text, &outbound) {
        return Some(Audited {
            html: text,
            checker,
            notes: Vec::new(),
        });
    }
    // Each level of nesting takes a `<`: most pages have too few to ask.
    let tags = tags + scan::count(policy.head_of(page).as_bytes(), b'<');
    if tags > tree::MAX_DEPTH && tree::too_deep(&text).is_some() {
        return None;
    }
    let tree = tree::document(&text, OPTIONS);
    if !tree.errors.is_empty()
        || !policy_is_first(&tree)
        || !links_as_cleaned(policy, page, tree_links(&tree), &outbound)
    {
        return None;
    }
    let mut checker = Checker::new(policy, page);
    walk(&mut checker, &tree);
    refine(&text, &mut checker.findings);
    Some(Audited {
        html: text,
        checker,
        notes: Vec::new(),
    })
}

/// The `>` of the start tag whose `href` starts at `name_at`, if that tag
/// is an `<a>` or `<area>` without `rel`, written the plainest way and as
/// lol_html writes tags it changes ([`scan::PlainTag::tight`]): the pass
/// would add [`REL`] right there.
fn plain_link_without_rel(html: &str, name_at: usize) -> Option<usize> {
    let start = html[..name_at].rfind('<')?;
    let tag = scan::plain_tag(html, start)?;
    let is_link = matches!(tag.name, "a" | "area");
    let href_here = tag
        .attrs
        .iter()
        .any(|(name, at, value)| *name == "href" && *at == name_at && value.is_some());
    (is_link && href_here && tag.tight && !tag.has("rel")).then_some(tag.close)
}

/// The verdict on a page without html5ever, for a page written plainly
/// (see [`plain`]) that passes clean: echt's `<meta>`s first in `<head>`,
/// every outbound link as lol_html's pass leaves it, and no finding at
/// all. None otherwise: the caller parses the page with html5ever then,
/// which also places any finding exactly.
fn judge_plainly<'a>(
    policy: &'a Policy,
    page: &'a Page,
    text: &str,
    outbound: &[Cow<'_, str>],
) -> Option<Checker<'a>> {
    let read = plain::read(text)?;
    let links = read.elements.iter().flat_map(|e| {
        let rel = matches!(e.name, "a" | "area").then(|| e.attr("rel"));
        e.attrs
            .iter()
            .filter(|(name, _)| matches!(*name, "href" | "xlink:href"))
            .map(move |(name, value)| LinkAttr {
                value,
                rel: if *name == "href" { rel } else { None },
            })
    });
    if !plain_policy_is_first(&read) || !links_as_cleaned(policy, page, links, outbound) {
        return None;
    }
    let checker = walk_plain(Checker::new(policy, page), &read)?;
    #[cfg(debug_assertions)]
    if let Err(why) = plain::agrees(&read, &tree::document(text, OPTIONS)) {
        panic!("the plain reading of a page differs from html5ever's: {why}\n{text}");
    }
    Some(checker)
}

/// Applies the rules to the elements of a plain reading, in `checker`
/// (an empty one); None if they found anything (the caller then judges
/// the text on html5ever's tree, which places each finding).
fn walk_plain<'a>(mut checker: Checker<'a>, read: &plain::Plain<'_>) -> Option<Checker<'a>> {
    let mut attrs: Vec<Attr<'_>> = Vec::new();
    for e in &read.elements {
        attrs.clear();
        let at = At::Line(e.line);
        attrs.extend(e.attrs.iter().map(|(name, value)| Attr {
            name: Cow::Borrowed(*name),
            value: Cow::Borrowed(value.as_ref()),
            raw: Cow::Borrowed(""),
            at: at.clone(),
        }));
        judge_element(
            &mut checker,
            Vocabulary::Html,
            e.name,
            &mut attrs,
            e.text,
            at,
        );
    }
    checker.findings.is_empty().then_some(checker)
}

/// A link attribute (`href`, `xlink:href`) as [`links_as_cleaned`] sees it.
struct LinkAttr<'t> {
    value: &'t str,
    /// For the `href` of an `<a>` or `<area>`: its `rel`, if it is an HTML
    /// element that has one.
    rel: Option<Option<&'t str>>,
}

/// The link attributes of a tree's elements, in the order the parser
/// made them.
fn tree_links(tree: &Tree) -> impl Iterator<Item = LinkAttr<'_>> {
    tree.nodes.iter().flat_map(|node| {
        let (name, attrs) = match &node.kind {
            Kind::Element { name, attrs, .. } => (Some(name), attrs.as_slice()),
            _ => (None, [].as_slice()),
        };
        let is_link_element =
            name.is_some_and(|n| n.local == local_name!("a") || n.local == local_name!("area"));
        let rel = is_link_element.then(|| {
            attrs
                .iter()
                .find(|r| r.name.ns == ns!() && r.name.local == local_name!("rel"))
                .filter(|_| name.is_some_and(|n| n.ns == ns!(html)))
                .map(|r| &*r.value)
        });
        attrs.iter().filter_map(move |a| {
            let plain_href = a.name.ns == ns!() && a.name.local == local_name!("href");
            let is_link = plain_href
                || (a.name.ns == ns!() && &*a.name.local == "xlink:href")
                || (a.name.ns == ns!(xlink) && a.name.local == local_name!("href"));
            is_link.then(|| LinkAttr {
                value: &a.value,
                rel: if plain_href { rel } else { None },
            })
        })
    })
}

/// Whether lol_html's pass would leave every outbound link of a page as
/// it is: the page's outbound `href`s and `xlink:href`s, in the order
/// the parser made their elements, are exactly the `expected` values (the
/// byte scan's, a superset of what any tokenizer reads, so no link of
/// the pass can be missing from the page), and each outbound `href` of
/// an `<a>` or `<area>` is on an HTML element whose `rel` already has
/// `noopener` and `noreferrer` as the pass writes them.
fn links_as_cleaned<'t>(
    policy: &Policy,
    page: &Page,
    links: impl Iterator<Item = LinkAttr<'t>>,
    expected: &[Cow<'_, str>],
) -> bool {
    let mut expected = expected.iter();
    for link in links {
        if policy.outbound_host(page, link.value).is_none() {
            continue;
        }
        if expected.next().map(AsRef::as_ref) != Some(link.value) {
            return false;
        }
        if link.rel.is_some_and(|rel| !rel.is_some_and(rel_as_cleaned)) {
            return false;
        }
    }
    expected.next().is_none()
}

/// Whether lol_html's pass leaves this `rel` as it is (see [`clean_link`]).
fn rel_as_cleaned(rel: &str) -> bool {
    let has = |token: &str| {
        rel.split_ascii_whitespace()
            .any(|t| t.eq_ignore_ascii_case(token))
    };
    has("noopener")
        && has("noreferrer")
        && rel.split_ascii_whitespace().collect::<Vec<_>>().join(" ") == rel
}

/// Cleans an HTML fragment (a post in a feed) the way pages are cleaned:
/// links lose tracking parameters and outbound ones get `noopener
/// noreferrer`. The feed's audit judges the result.
pub fn clean_fragment(policy: &Policy, html: &str) -> String {
    let page = Page::new(policy, "index.html");
    // The pass changes only elements with an outbound link: without one
    // in the bytes (a superset of what it reads), it changes nothing.
    let outbound = scan::read(html).links.is_none_or(|written| {
        written
            .iter()
            .filter(|w| w.name != scan::Name::Rel)
            .any(|w| {
                let raw = &html[w.value.clone()];
                raw.contains('\0')
                    || policy
                        .outbound_host(&page, &htmlize::unescape_attribute(raw))
                        .is_some()
            })
    });
    if !outbound {
        return html.to_string();
    }
    rewrite(policy, &page, html, false).map_or_else(|_| html.to_string(), |(text, _)| text)
}

/// Judges a whole document (a page, a copied HTML file, a frame's
/// `srcdoc`); returns its tree (parsed as by a browser without scripts).
pub(crate) fn judge_document(checker: &mut Checker<'_>, text: &str) -> Tree {
    judge(checker, text, tree::document)
}

/// Judges the document of an `<iframe srcdoc>`.
pub(crate) fn judge_srcdoc(checker: &mut Checker<'_>, text: &str) {
    judge(checker, text, |text, options| {
        tree::document(
            text,
            tree::Options {
                srcdoc: true,
                ..options
            },
        )
    });
}

/// Judges a piece of HTML shown inside another page (a feed entry).
///
/// A fragment written plainly (see [`plain`]) that passes clean is
/// judged without html5ever.
pub(crate) fn judge_fragment(checker: &mut Checker<'_>, text: &str) {
    let plainly = plain::read_fragment(text)
        .and_then(|read| Some((walk_plain(checker.sibling(), &read)?, read)));
    if let Some((clean, _read)) = plainly {
        #[cfg(debug_assertions)]
        if let Err(why) = plain::agrees(&_read, &tree::fragment(text, OPTIONS)) {
            panic!("the plain reading of a fragment differs from html5ever's: {why}\n{text}");
        }
        checker.extend(clean);
        return;
    }
    judge(checker, text, tree::fragment);
}

/// How the verdict parses: as a browser without scripts, with html5ever's
/// quick error messages.
const OPTIONS: tree::Options = tree::Options {
    scripting: false,
    exact_errors: false,
    srcdoc: false,
};

fn judge(checker: &mut Checker<'_>, text: &str, parse: fn(&str, tree::Options) -> Tree) -> Tree {
    let options = OPTIONS;
    if let Some(offset) = tree::too_deep(text) {
        checker.find(
            Severity::Error,
            format!("elements are nested more than {} deep here; browsers stop nesting them there, so echt cannot tell how they read the rest", tree::MAX_DEPTH),
            "close the elements you open",
            At::Span(offset..offset + 1),
            Vec::new(),
        );
        return parse("", options);
    }
    let tree = parse(text, options);
    walk(checker, &tree);
    let mut errors = tree.errors.clone();
    // With scripts on, `<noscript>` holds text instead of markup, and what
    // follows may be read differently: judge that reading too.
    if contains_ignoring_case(text, "<noscript") {
        let scripted = parse(
            text,
            tree::Options {
                scripting: true,
                ..options
            },
        );
        walk(checker, &scripted);
        errors.extend(scripted.errors);
    }
    refine(text, &mut checker.findings);
    if !errors.is_empty() {
        // Again with the parser's precise messages, which cost time.
        let exact = parse(
            text,
            tree::Options {
                exact_errors: true,
                ..options
            },
        );
        report_parse_errors(checker, text, &exact.errors);
    }
    tree
}

/// Whether `text` contains `needle`, which starts with `<`, in any case.
fn contains_ignoring_case(text: &str, needle: &str) -> bool {
    let bytes = text.as_bytes();
    text.match_indices('<').any(|(i, _)| {
        bytes
            .get(i..i + needle.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
    })
}

/// Reports the first parse error of a document: the ones after it are
/// most often its consequences, and the next build shows them if not.
fn report_parse_errors(checker: &mut Checker<'_>, text: &str, errors: &[(u64, Cow<'static, str>)]) {
    let Some((line, message)) = errors.first() else {
        return;
    };
    // The line as written (a template copies most lines verbatim), else
    // its first start tag (which Markdown keeps when it wraps the line).
    let source_line = line_text(text, *line).trim();
    let mut needles = Vec::new();
    if source_line.chars().count() >= 5 {
        needles.push(source_line.to_string());
    }
    if let Some(start) = source_line
        .find('<')
        .filter(|&i| i > 0 || source_line.len() > 1)
    {
        let tag = &source_line[start..];
        let end = tag.find('>').map_or(tag.len(), |e| e + 1);
        if end > 2 {
            needles.push(tag[..end].to_string());
        }
    }
    checker.find(
        Severity::Error,
        format!(
            "echt cannot be sure how browsers read this HTML: {}",
            humane(message)
        ),
        UNSURE_HINT,
        At::Line(*line),
        needles,
    );
}

/// Places findings that the tree could only put on a line: a token-level
/// reading of the same text (lol_html, which keeps byte positions) finds
/// the attribute each is about, its bytes and its value as written, so
/// that a value spelled with character references is found in the source
/// that wrote it. Runs only when there is something to place.
fn refine(text: &str, findings: &mut [Finding]) {
    if !findings.iter().any(|f| matches!(f.at, At::Line(_))) {
        return;
    }
    let line_of =
        |offset: usize| text.get(..offset).map_or(0, |t| t.matches('\n').count()) as u64 + 1;
    let mut tags: Vec<Written> = Vec::new();
    let scanned = {
        let mut rewriter = HtmlRewriter::new(
            Settings {
                element_content_handlers: vec![element!("*", |el| {
                    let span = el.source_location().bytes();
                    let line = line_of(span.end);
                    let mut attrs = Vec::new();
                    for a in el.attributes() {
                        if let (Some(name), Some(value)) =
                            (a.name_source_location(), a.value_source_location())
                        {
                            let raw = text.get(value.bytes()).unwrap_or_default().to_string();
                            attrs.push((a.name(), name.bytes(), raw, value.bytes()));
                        }
                    }
                    tags.push(Written {
                        line,
                        tag: el.tag_name(),
                        raw: text.get(span.clone()).unwrap_or_default().to_string(),
                        span,
                        attrs,
                    });
                    Ok(())
                })],
                ..Settings::new()
            },
            |_: &[u8]| {},
        );
        rewriter
            .write(text.as_bytes())
            .and_then(|()| rewriter.end())
    };
    if scanned.is_err() {
        return;
    }
    for finding in findings.iter_mut() {
        let At::Line(line) = finding.at else { continue };
        // The closest tag ending on the line or up to eight lines before.
        let near = || {
            tags.iter()
                .rev()
                .filter(move |t| t.line <= line && t.line + 8 >= line)
        };
        let needles = finding.needles.clone();
        let is_needle = |n: &str| needles.iter().any(|x| x == n);
        let by_value = near().find_map(|t| {
            t.attrs.iter().find(|(_, _, raw, _)| {
                !raw.is_empty()
                    && (is_needle(raw) || is_needle(&htmlize::unescape_attribute(raw.as_str())))
            })
        });
        if let Some((_, _, raw, span)) = by_value {
            finding.at = At::Span(span.clone());
            if !is_needle(raw) {
                finding.needles.insert(0, raw.clone());
            }
            continue;
        }
        let by_name = near().find_map(|t| {
            t.attrs
                .iter()
                .find(|(name, ..)| is_needle(name) || is_needle(&format!("{name}=")))
        });
        if let Some((_, span, _, _)) = by_name {
            finding.at = At::Span(span.clone());
            continue;
        }
        let by_tag = near().find(|t| is_needle(&format!("<{}", t.tag)));
        if let Some(t) = by_tag {
            finding.at = At::Span(t.span.clone());
            finding.needles.insert(0, t.raw.clone());
        }
    }
}

/// A start tag as written, for [`refine`].
struct Written {
    /// The line its `>` is on.
    line: u64,
    tag: String,
    raw: String,
    span: std::ops::Range<usize>,
    /// (name, its bytes, value as written, its bytes)
    attrs: Vec<(
        String,
        std::ops::Range<usize>,
        String,
        std::ops::Range<usize>,
    )>,
}

/// html5ever's parse error messages in words an author can act on: its
/// detailed messages print tokens as Rust debug output.
fn humane(message: &str) -> String {
    let message = &message.replace("\\'", "'");
    let name_in = |text: &str| -> Option<String> {
        let start = text.find("Atom('")? + "Atom('".len();
        let end = text[start..].find('\'')? + start;
        Some(text[start..end].to_string())
    };
    if let Some(rest) = message.strip_prefix("Unexpected token ") {
        let (token, mode) = rest
            .rsplit_once(" in insertion mode ")
            .unwrap_or((rest, ""));
        let what = if token.contains("kind: StartTag") {
            name_in(token).map_or_else(|| "a tag".to_string(), |n| format!("`<{n}>`"))
        } else if token.contains("kind: EndTag") {
            name_in(token).map_or_else(|| "an end tag".to_string(), |n| format!("`</{n}>`"))
        } else if token.starts_with("Characters") || token.starts_with("Character") {
            "text".to_string()
        } else if token.starts_with("Comment") {
            "a comment".to_string()
        } else if token.starts_with("NullCharacter") {
            "a NUL character".to_string()
        } else {
            "something".to_string()
        };
        return format!("{what} is not allowed {}", place(mode));
    }
    if let Some(mode) = message.strip_prefix("DOCTYPE in insertion mode ") {
        return format!("`<!doctype html>` is not allowed {}", place(mode));
    }
    if let Some(rest) = message.strip_prefix("Unexpected open element while closing ") {
        if let Some(name) = name_in(rest) {
            return format!(
                "an element opened inside `<{name}>` is still open where `</{name}>` closes it"
            );
        }
    }
    // Elsewhere, show atoms as plain names.
    let mut text = message.to_string();
    while let Some(start) = text.find("Atom('") {
        let Some(end) = text[start..].find(')').map(|e| start + e + 1) else {
            break;
        };
        let name = name_in(&text[start..end]).unwrap_or_default();
        text.replace_range(start..end, &format!("`{name}`"));
    }
    text
}

/// Where the parser was, by html5ever's name of its insertion mode.
fn place(mode: &str) -> &'static str {
    match mode {
        "Initial" => "before `<!doctype html>` (the page must start with it)",
        "BeforeHtml" | "BeforeHead" => "before `<head>`",
        "InHead" | "InHeadNoscript" => "inside `<head>`",
        "AfterHead" => "between `</head>` and `<body>`",
        "InBody" => "inside `<body>`",
        "InTable" | "InTableText" | "InTableBody" | "InRow" | "InCell" | "InCaption"
        | "InColumnGroup" => "inside a table",
        "InSelect" | "InSelectInTable" => "inside a `<select>`",
        "InTemplate" => "inside a `<template>`",
        "AfterBody" | "AfterAfterBody" => "after `</body>`",
        "InFrameset" | "AfterFrameset" | "AfterAfterFrameset" => "in a frameset",
        _ => "here",
    }
}

/// The text of the 1-based `line` of `text`.
pub(crate) fn line_text(text: &str, line: u64) -> &str {
    let index = usize::try_from(line.saturating_sub(1)).unwrap_or(usize::MAX);
    text.split('\n').nth(index).unwrap_or_default()
}

/// Elements that matter even without attributes (`<script>` in HTML and
/// SVG alike).
const BARE: &[&str] = &[
    "script",
    "object",
    "embed",
    "applet",
    "portal",
    "fencedframe",
];

/// Applies the rules to every element the parser made.
fn walk(checker: &mut Checker<'_>, tree: &Tree) {
    let mut attrs: Vec<Attr<'_>> = Vec::new();
    for (id, node) in tree.nodes.iter().enumerate() {
        let Kind::Element {
            name,
            attrs: written,
            ..
        } = &node.kind
        else {
            continue;
        };
        let vocabulary = if name.ns == ns!(html) {
            Vocabulary::Html
        } else if name.ns == ns!(svg) {
            Vocabulary::Svg
        } else if name.ns == ns!(mathml) {
            Vocabulary::MathMl
        } else {
            Vocabulary::Other
        };
        let at = At::Line(node.line);
        let tag: Cow<'_, str> = if vocabulary == Vocabulary::Html {
            Cow::Borrowed(&*name.local)
        } else {
            Cow::Owned(str::to_ascii_lowercase(&name.local))
        };
        let css = (tag == "style").then(|| tree.child_text(id));
        attrs.clear();
        for a in written {
            let key: Cow<'_, str> = if a.name.ns == ns!(xlink) {
                Cow::Owned(format!("xlink:{}", a.name.local))
            } else if a.name.ns == ns!(xml) {
                Cow::Owned(format!("xml:{}", a.name.local))
            } else if a.name.ns == ns!(xmlns) {
                continue;
            } else if vocabulary == Vocabulary::Html {
                Cow::Borrowed(&*a.name.local)
            } else {
                Cow::Owned(str::to_ascii_lowercase(&a.name.local))
            };
            attrs.push(Attr {
                name: key,
                value: Cow::Borrowed(&a.value),
                raw: Cow::Borrowed(""),
                at: at.clone(),
            });
        }
        judge_element(checker, vocabulary, &tag, &mut attrs, css.as_deref(), at);
    }
}

/// Applies the rules to one element: its `<style>` text (in HTML and
/// SVG), and the attributes that matter. An HTML element keeps only the
/// attributes the rules look at; those of SVG and MathML keep all, since
/// any of them may hold a CSS value.
fn judge_element<'t>(
    checker: &mut Checker<'_>,
    vocabulary: Vocabulary,
    tag: &str,
    attrs: &mut Vec<Attr<'t>>,
    style: Option<&str>,
    at: At,
) {
    if let Some(css) = style.filter(|_| matches!(vocabulary, Vocabulary::Html | Vocabulary::Svg)) {
        checker.stylesheet(css, &at, super::css::Kind::Stylesheet, "");
    }
    if vocabulary == Vocabulary::Html {
        attrs.retain(|a| rules::matters(&a.name));
    }
    if attrs.is_empty() && !BARE.contains(&tag) {
        return;
    }
    checker.element(&Element {
        vocabulary,
        tag,
        attrs,
        at,
        raw: "",
    });
}

/// Checks on the tree that echt's `<meta>`s are the first children of
/// `<head>` (after `<meta charset>`), before anything that loads: a
/// browser ignores a policy that comes later or stands in the body.
fn check_policy_first(checker: &mut Checker<'_>, tree: &Tree) {
    let (head, first, _) = head_start(tree);
    if policy_is_first(tree) {
        return;
    }
    let is_policy = |id: usize| is_policy(tree, id);
    let policy = tree
        .nodes
        .iter()
        .enumerate()
        .find(|(id, n)| n.name().is_some() && is_policy(*id))
        .map(|(id, _)| id);
    let (message, at, needles) = match policy {
        Some(p) if head.is_some_and(|h| tree.nodes[p].parent() == Some(h)) => {
            let before = first.filter(|&f| f != p);
            let shown = before.and_then(|b| tree.nodes[b].name()).map_or_else(
                || "another element".to_string(),
                |n| format!("`<{}>`", n.local),
            );
            (
                format!("{shown} comes before echt's Content-Security-Policy `<meta>` in `<head>`, so the policy would not cover it"),
                At::Line(before.map_or(tree.nodes[p].line, |b| tree.nodes[b].line)),
                Vec::new(),
            )
        }
        Some(p) => {
            let (cause, line, needle) = body_start(tree, p);
            (
                format!("echt's Content-Security-Policy `<meta>` ends up outside `<head>`, where browsers ignore it: {cause} starts the page's body early"),
                At::Line(line),
                needle.into_iter().collect(),
            )
        }
        None => (
            "echt could not put its Content-Security-Policy `<meta>` into this page's `<head>`"
                .to_string(),
            At::Line(1),
            Vec::new(),
        ),
    };
    checker.find(
        Severity::Error,
        message,
        "start the template with `<!doctype html>` and `<head>`, with nothing before them, not even an invisible character",
        at,
        needles,
    );
    if let Some(finding) = checker.findings.last_mut() {
        finding.layout = true;
    }
}

/// Whether echt's `<meta>`s are the first children of `<head>` (after
/// `<meta charset>`).
fn policy_is_first(tree: &Tree) -> bool {
    let (_, first, second) = head_start(tree);
    let meta = |id: usize| MetaAttrs::of_tree(tree, id);
    first.and_then(meta).is_some_and(|m| m.is_policy())
        && second.and_then(meta).is_some_and(|m| m.is_referrer())
}

/// The `<head>` of the document, and its first two elements after a
/// `<meta charset>` that comes first.
fn head_start(tree: &Tree) -> (Option<usize>, Option<usize>, Option<usize>) {
    let head = tree
        .children(0)
        .find(|&c| tree.nodes[c].is_html(&local_name!("html")))
        .and_then(|html| tree.child_element(html, &local_name!("head")));
    let mut elements = head
        .into_iter()
        .flat_map(|h| tree.children(h))
        .filter(|&c| tree.nodes[c].name().is_some())
        .peekable();
    if elements.peek().is_some_and(|&first| {
        tree.nodes[first].is_html(&local_name!("meta"))
            && element_attr(tree, first, "charset").is_some()
    }) {
        elements.next();
    }
    (head, elements.next(), elements.next())
}

/// The same as [`policy_is_first`] for a page read plainly.
fn plain_policy_is_first(read: &plain::Plain<'_>) -> bool {
    let mut head = read
        .head
        .iter()
        .map(|&i| MetaAttrs::of_plain(&read.elements[i]))
        .peekable();
    if head
        .peek()
        .is_some_and(|m| m.as_ref().is_some_and(|m| m.charset))
    {
        head.next();
    }
    head.next().flatten().is_some_and(|m| m.is_policy())
        && head.next().flatten().is_some_and(|m| m.is_referrer())
}

/// What tells echt's `<meta>`s apart.
struct MetaAttrs<'t> {
    charset: bool,
    http_equiv: Option<&'t str>,
    name: Option<&'t str>,
}

impl<'t> MetaAttrs<'t> {
    /// Those of an HTML `<meta>` in `tree`; None for any other node.
    fn of_tree(tree: &'t Tree, id: usize) -> Option<Self> {
        tree.nodes[id]
            .is_html(&local_name!("meta"))
            .then(|| MetaAttrs {
                charset: element_attr(tree, id, "charset").is_some(),
                http_equiv: element_attr(tree, id, "http-equiv"),
                name: element_attr(tree, id, "name"),
            })
    }

    /// Those of a `<meta>` read plainly; None for any other element.
    fn of_plain(e: &'t plain::Seen<'_>) -> Option<Self> {
        (e.name == "meta").then(|| MetaAttrs {
            charset: e.attr("charset").is_some(),
            http_equiv: e.attr("http-equiv"),
            name: e.attr("name"),
        })
    }

    fn is_policy(&self) -> bool {
        self.http_equiv
            .is_some_and(|v| v.eq_ignore_ascii_case("content-security-policy"))
    }

    fn is_referrer(&self) -> bool {
        self.name
            .is_some_and(|v| v.eq_ignore_ascii_case("referrer"))
    }
}

fn is_policy(tree: &Tree, id: usize) -> bool {
    MetaAttrs::of_tree(tree, id).is_some_and(|m| m.is_policy())
}

/// What made the body start before the policy `<meta>` at `policy`: the
/// first thing in the body, described, its line and what to look for.
fn body_start(tree: &Tree, policy: usize) -> (String, u64, Option<String>) {
    let body = tree
        .ancestors(policy)
        .find(|&a| tree.nodes[a].is_html(&local_name!("body")));
    let first = body.and_then(|b| tree.children(b).next());
    match first.map(|f| (f, &tree.nodes[f].kind)) {
        Some((f, Kind::Text(text))) => {
            let c = text
                .chars()
                .find(|c| !c.is_ascii_whitespace())
                .unwrap_or(' ');
            let shown = if c.is_alphanumeric() || c.is_ascii_punctuation() {
                format!(
                    "the text `{}`",
                    text.trim().chars().take(20).collect::<String>()
                )
            } else {
                format!("the invisible character U+{:04X}", u32::from(c))
            };
            // The first word: text around it may come from variables.
            let needle = if c.is_alphanumeric() || c.is_ascii_punctuation() {
                text.split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .to_string()
            } else {
                c.to_string()
            };
            (shown, tree.nodes[f].line, Some(needle))
        }
        Some((f, Kind::Element { name, .. })) => (
            format!("the `<{}>` element", name.local),
            tree.nodes[f].line,
            Some(format!("<{}", name.local)),
        ),
        _ => ("something before `<head>`".to_string(), 1, None),
    }
}

fn element_attr<'t>(tree: &'t Tree, id: usize, name: &str) -> Option<&'t str> {
    match &tree.nodes[id].kind {
        Kind::Element { attrs, .. } => attrs
            .iter()
            .find(|a| a.name.ns == ns!() && &*a.name.local == name)
            .map(|a| &*a.value),
        _ => None,
    }
}

/// Where echt's `<meta>` elements go in a page.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Inject {
    /// Before `<head>`.
    Waiting,
    /// Right after `<head>`, before its first element; the flag tells the
    /// head's end tag whether that came.
    InHead(Rc<Cell<bool>>),
    Done,
}

impl Inject {
    fn step(&mut self, el: &mut LolElement<'_, '_>, head: &str) {
        if *self == Inject::Done {
            return;
        }
        let tag = el.tag_name();
        match self {
            Inject::Done => {}
            Inject::Waiting if tag == "head" => {
                let injected = Rc::new(Cell::new(false));
                *self = Inject::InHead(injected.clone());
                // An empty head gets them before its end tag.
                if el.can_have_content() {
                    let head = head.to_string();
                    let _ = el.on_end_tag(lol_html::end_tag!(move |end| {
                        if !injected.get() {
                            end.before(&head, ContentType::Html);
                        }
                        Ok(())
                    }));
                }
            }
            // Without `<head>`, elements of the head start it implicitly
            // and anything else starts the body: go in front of either.
            Inject::Waiting if tag == "html" => {}
            Inject::Waiting => {
                if tag == "meta" && el.has_attribute("charset") {
                    el.after(head, ContentType::Html);
                } else {
                    el.before(head, ContentType::Html);
                }
                *self = Inject::Done;
            }
            Inject::InHead(injected) => {
                if tag == "meta" && el.has_attribute("charset") {
                    el.after(head, ContentType::Html);
                } else {
                    el.before(head, ContentType::Html);
                }
                injected.set(true);
                *self = Inject::Done;
            }
        }
    }
}

const HTML_NS: &str = "http://www.w3.org/1999/xhtml";

/// The lol_html pass: echt's `<meta>`s into the head (`page`), tracking
/// parameters out of every link a reader can follow, `noopener
/// noreferrer` onto outbound `<a>` and `<area>`. Returns the new text and
/// a note per cleaned link, or why lol_html could not be sure.
fn rewrite(
    policy: &Policy,
    page: &Page,
    html: &str,
    inject_policy: bool,
) -> Result<(String, Vec<Finding>), String> {
    // Narrow selectors keep lol_html fast, and nearly every page has a
    // `<head>` tag; one without gets the policy in front of its first
    // element, which only a handler on every element finds.
    let first = rewrite_with(policy, page, html, inject_policy, false)?;
    match first {
        (text, notes, true) => Ok((text, notes)),
        (_, _, false) => {
            let (text, notes, _) = rewrite_with(policy, page, html, true, true)?;
            Ok((text, notes))
        }
    }
}

/// One lol_html pass; returns the text, the notes and whether the policy
/// went in (or was not asked for).
fn rewrite_with(
    policy: &Policy,
    page: &Page,
    html: &str,
    inject_policy: bool,
    every_element: bool,
) -> Result<(String, Vec<Finding>, bool), String> {
    let notes = RefCell::new(Vec::new());
    let mut out = Vec::with_capacity(html.len() + 512);
    let inject = RefCell::new(if inject_policy {
        Inject::Waiting
    } else {
        Inject::Done
    });
    let step = |el: &mut LolElement<'_, '_>| {
        inject.borrow_mut().step(el, policy.head_of(page));
        Ok(())
    };
    // Every `href` loses its tracking parameters: lol_html does not always
    // know an element's namespace (MathML's `<mi href>`), and a parameter
    // removed from a URL that is no link harms nothing.
    let clean = |el: &mut LolElement<'_, '_>| {
        let tag = el.tag_name();
        let html_link = el.namespace_uri() == HTML_NS && (tag == "a" || tag == "area");
        for name in ["href", "xlink:href"] {
            clean_link(policy, page, el, name, html_link, &notes);
        }
        Ok(())
    };
    let mut handlers = vec![element!("[href]", clean), element!("[xlink\\:href]", clean)];
    if every_element {
        handlers.push(element!("*", step));
    } else if inject_policy {
        handlers.push(element!("head", step));
        handlers.push(element!("head > *", step));
    }
    let result = {
        let mut rewriter = HtmlRewriter::new(
            Settings {
                element_content_handlers: handlers,
                ..Settings::new()
            },
            |bytes: &[u8]| out.extend_from_slice(bytes),
        );
        rewriter
            .write(html.as_bytes())
            .and_then(|()| rewriter.end())
    };
    let injected = *inject.borrow() != Inject::Waiting;
    match result {
        Ok(()) => {
            let text = String::from_utf8(out).map_err(|e| e.to_string())?;
            Ok((text, notes.into_inner(), injected))
        }
        Err(e) => Err(e.to_string()),
    }
}

/// Removes tracking parameters from one link attribute and, on HTML
/// links (`html_link`) to other hosts, adds `rel="noopener noreferrer"`.
fn clean_link(
    policy: &Policy,
    page: &Page,
    el: &mut LolElement<'_, '_>,
    name: &str,
    html_link: bool,
    notes: &RefCell<Vec<Finding>>,
) {
    let Some(attribute) = el.attributes().iter().find(|a| a.name() == name) else {
        return;
    };
    let written = attribute.value();
    let span = attribute
        .value_source_location()
        .map_or_else(|| el.source_location().bytes(), |l| l.bytes());
    let value = if written.contains('&') {
        htmlize::unescape_attribute(written.as_str()).into_owned()
    } else {
        written.clone()
    };
    let host = match policy.judge(page, &value) {
        Target::Foreign(host) | Target::Allowed(host) => host,
        _ => return,
    };
    let (cleaned, removed) = super::tracking::strip(value.trim(), &host);
    if !removed.is_empty() {
        let list = removed
            .iter()
            .map(|p| format!("`{p}`"))
            .collect::<Vec<_>>()
            .join(", ");
        notes.borrow_mut().push(Finding {
            layout: false,
            severity: Severity::Note,
            message: format!(
                "removed the tracking parameter{} {list} from a link to `{host}`",
                if removed.len() == 1 { "" } else { "s" }
            ),
            hint: "",
            at: At::Span(span),
            needles: vec![written.clone(), value.clone()],
        });
        // Values set here are escaped by lol_html for quotes only.
        let _ = el.set_attribute(name, &cleaned.replace('&', "&amp;"));
    }
    if html_link && name == "href" {
        let current = el.get_attribute("rel").unwrap_or_default();
        let mut tokens: Vec<&str> = current.split_ascii_whitespace().collect();
        for needed in ["noopener", "noreferrer"] {
            if !tokens.iter().any(|t| t.eq_ignore_ascii_case(needed)) {
                tokens.push(needed);
            }
        }
        let new = tokens.join(" ");
        if new != current {
            let _ = el.set_attribute("rel", &new);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::humane;

    #[test]
    fn parse_errors_in_words() {
        assert_eq!(
            humane("Unexpected token Tag(Tag { kind: StartTag, name: Atom('html' type=inline), self_closing: false, attrs: [], had_duplicate_attributes: false }) in insertion mode Initial"),
            "`<html>` is not allowed before `<!doctype html>` (the page must start with it)"
        );
        assert_eq!(
            humane("Unexpected token Tag(Tag { kind: EndTag, name: Atom('p' type=inline), self_closing: false, attrs: [] }) in insertion mode InBody"),
            "`</p>` is not allowed inside `<body>`"
        );
        assert_eq!(
            humane("Unexpected open element while closing Atom('p' type=inline)"),
            "an element opened inside `<p>` is still open where `</p>` closes it"
        );
        assert_eq!(humane("nested forms"), "nested forms");
    }
}
