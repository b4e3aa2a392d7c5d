//! Reading XML documents with quick-xml: SVG images, XHTML and other XML
//! files, and feeds. Elements are judged by their namespace, whatever
//! prefix names it, through the same rules as HTML ones; a feed's entries
//! are HTML carried as text, read as HTML fragments.
//!
//! A browser renders such a file as a document when it is framed or opened,
//! so the reader refuses what it cannot read with certainty: text that is
//! not well-formed, a DOCTYPE with an internal subset (its entities could
//! expand to anything), an encoding other than UTF-8, and XSLT stylesheets,
//! which turn the file into a page that exists only in the browser.

use std::borrow::Cow;
use std::ops::Range;

use quick_xml::events::{BytesStart, BytesText, Event};
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;

use super::rules::{Attr, Checker, Element, Vocabulary};
use super::{css, html, At};
use crate::util::error::Severity;

#[derive(Debug, Clone, Copy)]
pub(crate) enum Kind<'a> {
    /// SVG, XHTML or any other XML a browser may show.
    Document,
    /// An Atom or RSS feed: elements of the feed formats hold HTML text,
    /// judged once per text however many feeds carry it.
    Feed(&'a super::Fragments),
}

const XHTML: &[u8] = b"http://www.w3.org/1999/xhtml";
const SVG: &[u8] = b"http://www.w3.org/2000/svg";
const MATHML: &[u8] = b"http://www.w3.org/1998/Math/MathML";
const XLINK: &[u8] = b"http://www.w3.org/1999/xlink";
const XML_NAMESPACE: &[u8] = b"http://www.w3.org/XML/1998/namespace";

/// Elements of a feed whose text is a URL.
const FEED_URLS: &[&str] = &[
    "uri", "link", "url", "comments", "docs", "icon", "logo", "id",
];

/// Elements of a feed whose text is HTML (with `type="html"` in Atom).
const HTML_TEXT: &[&str] = &["content", "summary", "description", "subtitle", "title"];

const UNSURE_HINT: &str = "save it as plain UTF-8 XML without a DOCTYPE subset or XSLT; echt publishes nothing it cannot check";

/// An element still open, and the text of a `<style>` being collected.
struct Open {
    name: String,
    /// For `<style>`: its text pieces as (offset in the file, text).
    style: Option<Vec<(usize, String)>>,
    /// For a feed's HTML text: whether its `type` says HTML.
    html_text: bool,
}

fn vocabulary(ns: &ResolveResult<'_>) -> Vocabulary {
    match ns {
        ResolveResult::Bound(ns) if ns.as_ref() == XHTML => Vocabulary::Html,
        ResolveResult::Bound(ns) if ns.as_ref() == SVG => Vocabulary::Svg,
        ResolveResult::Bound(ns) if ns.as_ref() == MATHML => Vocabulary::MathMl,
        _ => Vocabulary::Other,
    }
}

/// Refuses what echt cannot read: an error at `span`.
fn refuse(checker: &mut Checker<'_>, message: String, span: Range<usize>) {
    checker.refuse(message, UNSURE_HINT, span);
}

/// The text of `t` with its references resolved, or None once refused.
fn unescaped<'t>(
    checker: &mut Checker<'_>,
    t: &'t BytesText<'_>,
    span: &Range<usize>,
) -> Option<Cow<'t, str>> {
    match t.unescape() {
        Ok(content) => Some(content),
        Err(e) => {
            refuse(
                checker,
                format!("echt cannot read this XML text: {e}"),
                span.clone(),
            );
            None
        }
    }
}

/// Judges the XML `text`; what is found goes into `checker`.
pub(crate) fn judge(checker: &mut Checker<'_>, text: &str, kind: Kind<'_>) {
    let mut reader = NsReader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut open: Vec<Open> = Vec::new();
    let mut before = 0usize;
    loop {
        let event = reader.read_event();
        let after = usize::try_from(reader.buffer_position()).unwrap_or(text.len());
        let span = before..after.max(before);
        match event {
            Ok(Event::Start(e)) => {
                let (ns, _) = reader.resolve_element(e.name());
                let vocabulary = vocabulary(&ns);
                let name = element(checker, &reader, vocabulary, &e, text, span.clone());
                let html_text = matches!(kind, Kind::Feed(_))
                    && vocabulary == Vocabulary::Other
                    && HTML_TEXT.contains(&name.as_str())
                    && feed_text_is_html(&e);
                let style = (name == "style"
                    && matches!(vocabulary, Vocabulary::Svg | Vocabulary::Html))
                .then(Vec::new);
                open.push(Open {
                    name,
                    style,
                    html_text,
                });
            }
            Ok(Event::Empty(e)) => {
                let (ns, _) = reader.resolve_element(e.name());
                element(checker, &reader, vocabulary(&ns), &e, text, span.clone());
            }
            Ok(Event::End(_)) => {
                if let Some(Open {
                    style: Some(pieces),
                    ..
                }) = open.pop()
                {
                    style_text(checker, &pieces);
                }
            }
            Ok(Event::Text(t)) if feed_html(&open, kind).is_some() => {
                // An entry's HTML, as a feed reader shows it: its problems
                // point at the element in the feed. Known by its text as
                // written when another feed carried it, without unescaping.
                let Some(fragments) = feed_html(&open, kind) else {
                    continue;
                };
                let written = text.get(span.clone()).unwrap_or_default();
                let found = match fragments.get(written) {
                    Some(found) => found,
                    None => {
                        let Some(content) = unescaped(checker, &t, &span) else {
                            break;
                        };
                        let mut inner = Checker::new(checker.policy(), checker.page());
                        html::judge_fragment(&mut inner, &content);
                        fragments.insert(written, inner.findings)
                    }
                };
                for finding in found.iter() {
                    let mut finding = finding.clone();
                    finding.at = At::Span(span.clone());
                    checker.findings.push(finding);
                }
            }
            Ok(event @ (Event::Text(_) | Event::CData(_))) => {
                let content = match &event {
                    Event::Text(t) => match unescaped(checker, t, &span) {
                        Some(content) => content,
                        None => break,
                    },
                    Event::CData(t) => String::from_utf8_lossy(t),
                    _ => Cow::Borrowed(""),
                };
                if let Some(parent) = open.last_mut() {
                    if let Some(pieces) = &mut parent.style {
                        // CDATA text starts after `<![CDATA[`.
                        let start = if matches!(event, Event::CData(_)) {
                            span.start + "<![CDATA[".len()
                        } else {
                            span.start
                        };
                        pieces.push((start, content.into_owned()));
                    } else if matches!(kind, Kind::Feed(_))
                        && FEED_URLS.contains(&parent.name.as_str())
                    {
                        // A feed reader shows these as links or loads them.
                        let at = Attr {
                            name: Cow::Owned(parent.name.clone()),
                            value: Cow::Owned(content.to_string()),
                            raw: Cow::Owned(content.to_string()),
                            at: At::Span(span.clone()),
                        };
                        checker.feed_link(&format!("`<{}>`", parent.name), &at);
                    } else if let (true, Kind::Feed(_)) = (parent.html_text, kind) {
                        // An entry's HTML in CDATA (echt writes none).
                        let mut inner = Checker::new(checker.policy(), checker.page());
                        html::judge_fragment(&mut inner, &content);
                        for mut finding in inner.findings {
                            finding.at = At::Span(span.clone());
                            checker.findings.push(finding);
                        }
                    }
                }
            }
            Ok(Event::PI(pi)) => {
                if pi.target() == b"xml-stylesheet" {
                    stylesheet_pi(
                        checker,
                        &String::from_utf8_lossy(pi.content()),
                        span.clone(),
                    );
                }
            }
            Ok(Event::DocType(doctype)) => {
                // A subset is written in brackets; a malformed one may lack
                // them, so any markup inside the DOCTYPE counts as one.
                if doctype
                    .iter()
                    .any(|b| matches!(b, b'[' | b']' | b'<' | b'>'))
                {
                    refuse(
                        checker,
                        "a DOCTYPE with declarations of its own (entities), which echt cannot check".into(),
                        span.clone(),
                    );
                }
            }
            Ok(Event::Decl(decl)) => {
                if let Some(Ok(encoding)) = decl.encoding() {
                    let name = String::from_utf8_lossy(&encoding).to_ascii_lowercase();
                    if name != "utf-8" && name != "utf8" {
                        refuse(
                            checker,
                            format!(
                                "this XML says it is written in `{name}`; echt reads only UTF-8"
                            ),
                            span.clone(),
                        );
                    }
                }
            }
            Ok(Event::Eof) => {
                if let Some(unclosed) = open.last() {
                    refuse(
                        checker,
                        format!("the element `{}` is never closed", unclosed.name),
                        span,
                    );
                }
                break;
            }
            Ok(_) => {}
            Err(e) => {
                refuse(
                    checker,
                    format!("this file is not well-formed XML, so echt cannot check it: {e}"),
                    span,
                );
                break;
            }
        }
        before = after;
    }
}

/// The cache of entries' HTML when the innermost open element of a feed
/// holds HTML text.
fn feed_html<'f>(open: &[Open], kind: Kind<'f>) -> Option<&'f super::Fragments> {
    match (open.last(), kind) {
        (Some(parent), Kind::Feed(fragments)) if parent.html_text => Some(fragments),
        _ => None,
    }
}

/// Whether a feed element's text is HTML: Atom says so with
/// `type="html"`; RSS's `description` always is.
fn feed_text_is_html(e: &BytesStart<'_>) -> bool {
    let name = e.local_name();
    let declared = e
        .attributes()
        .with_checks(false)
        .filter_map(Result::ok)
        .find(|a| a.key.local_name().as_ref() == b"type")
        .map(|a| String::from_utf8_lossy(&a.value).to_ascii_lowercase());
    match declared.as_deref() {
        Some("html") => true,
        Some(_) => false,
        None => name.as_ref() == b"description",
    }
}

/// Checks one element; returns its local name in lower case.
fn element(
    checker: &mut Checker<'_>,
    reader: &NsReader<&[u8]>,
    vocabulary: Vocabulary,
    e: &BytesStart<'_>,
    text: &str,
    span: Range<usize>,
) -> String {
    let name = String::from_utf8_lossy(e.local_name().as_ref()).to_ascii_lowercase();
    let tag_text = text.get(span.clone()).unwrap_or_default();
    let mut attrs: Vec<Attr<'_>> = Vec::new();
    for a in e.attributes().with_checks(true) {
        let Ok(a) = a else {
            checker.find(
                Severity::Error,
                "an attribute here is not well-formed XML (written twice, or without quotes)"
                    .into(),
                UNSURE_HINT,
                At::Span(span.clone()),
                Vec::new(),
            );
            continue;
        };
        if a.key.as_namespace_binding().is_some() {
            continue;
        }
        let raw = String::from_utf8_lossy(&a.value).into_owned();
        let value = match a.unescape_value() {
            Ok(v) => v.into_owned(),
            Err(err) => {
                checker.find(
                    Severity::Error,
                    format!("echt cannot read this attribute value: {err}"),
                    UNSURE_HINT,
                    At::Span(span.clone()),
                    vec![raw.clone()],
                );
                continue;
            }
        };
        let (attr_ns, local) = reader.resolve_attribute(a.key);
        let local = String::from_utf8_lossy(local.as_ref()).to_ascii_lowercase();
        let key = match attr_ns {
            ResolveResult::Bound(n) if n.as_ref() == XLINK => format!("xlink:{local}"),
            ResolveResult::Bound(n) if n.as_ref() == XML_NAMESPACE => format!("xml:{local}"),
            ResolveResult::Unbound => local,
            // Attributes in other namespaces mean nothing to a browser.
            _ => format!("(other):{local}"),
        };
        let at = tag_text.find(&raw).filter(|_| !raw.is_empty()).map_or_else(
            || span.clone(),
            |i| span.start + i..span.start + i + raw.len(),
        );
        attrs.push(Attr {
            name: Cow::Owned(key),
            value: Cow::Owned(value),
            raw: Cow::Owned(raw),
            at: At::Span(at),
        });
    }
    checker.element(&Element {
        vocabulary,
        tag: &name,
        attrs: &attrs,
        at: At::Span(span.clone()),
        raw: tag_text,
    });
    name
}

/// The stylesheet a `<style>` element's text pieces make, joined as a
/// browser joins them (comments and child elements do not count).
fn style_text(checker: &mut Checker<'_>, pieces: &[(usize, String)]) {
    let css: String = pieces.iter().map(|(_, t)| t.as_str()).collect();
    // Positions are counted from the first piece: exact unless a comment
    // splits the text.
    let start = pieces.first().map_or(0, |(offset, _)| *offset);
    checker.stylesheet(&css, &At::Span(start..start), css::Kind::Stylesheet, "");
}

/// `<?xml-stylesheet href="x" type="text/css"?>`: a stylesheet the
/// browser loads, or an XSLT transformation, which is refused.
fn stylesheet_pi(checker: &mut Checker<'_>, content: &str, span: Range<usize>) {
    let attributes = pseudo_attributes(content);
    let get = |name: &str| {
        attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    // Browsers take `text/xsl`, `text/xml`, `application/xml` and the like
    // as XSLT: only a stylesheet that says it is CSS is one.
    let kind = get("type").unwrap_or_default().trim().to_ascii_lowercase();
    if kind != "text/css" {
        checker.find(
            Severity::Error,
            "an XSLT stylesheet turns this file into a page that exists only in the browser, which echt cannot check".into(),
            UNSURE_HINT,
            At::Span(span),
            Vec::new(),
        );
        return;
    }
    if let Some(href) = get("href") {
        let at = Attr {
            name: Cow::Borrowed("href"),
            value: Cow::Owned(href.clone()),
            raw: Cow::Owned(href.clone()),
            at: At::Span(span),
        };
        checker.resource("<?xml-stylesheet href?>", &at, &href);
    }
}

/// The pseudo-attributes of a processing instruction, with character
/// references decoded, as browsers read them.
fn pseudo_attributes(content: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut rest = content;
    loop {
        rest = rest.trim_start();
        let Some(eq) = rest.find('=') else { break };
        let name = rest[..eq].trim().to_ascii_lowercase();
        let after = rest[eq + 1..].trim_start();
        let Some(quote) = after.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            break;
        };
        let value = &after[1..];
        let Some(end) = value.find(quote) else { break };
        let raw = &value[..end];
        let decoded =
            quick_xml::escape::unescape(raw).map_or_else(|_| raw.to_string(), Cow::into_owned);
        found.push((name, decoded));
        rest = &value[end + 1..];
    }
    found
}
