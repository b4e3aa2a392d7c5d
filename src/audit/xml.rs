//! Reading SVG images and feeds with quick-xml. SVG elements go through the
//! same rules as HTML ones (`<script>`, `on*`, `<image href>`, `<use
//! href>`, CSS); a feed's entries are HTML carried as text, read as HTML.

use std::ops::Range;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::rules::{Attr, Checker};
use super::{css, html, Finding, Page, Policy};
use crate::error::Severity;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Svg,
    Feed,
}

/// Elements of a feed whose text is HTML (with `type="html"` in Atom).
const HTML_TEXT: &[&str] = &["content", "summary", "description", "subtitle"];

pub(crate) fn audit<'a>(policy: &'a Policy, page: &'a Page, text: &str, kind: Kind) -> Checker<'a> {
    let mut checker = Checker::new(policy, page);
    let mut reader = Reader::from_str(text);
    // Where the current text element started, and whether it holds HTML or CSS.
    let mut open: Vec<String> = Vec::new();
    let mut before = 0usize;
    loop {
        let event = reader.read_event();
        let after = usize::try_from(reader.buffer_position()).unwrap_or(text.len());
        let span = before..after.max(before);
        match event {
            Ok(Event::Start(e)) => {
                let name = element(&mut checker, &e, text, span);
                open.push(name);
            }
            Ok(Event::Empty(e)) => {
                element(&mut checker, &e, text, span);
            }
            Ok(Event::End(_)) => {
                open.pop();
            }
            Ok(event @ (Event::Text(_) | Event::CData(_))) => {
                let content = match &event {
                    Event::Text(t) => t.unescape().ok(),
                    Event::CData(t) => Some(String::from_utf8_lossy(t)),
                    _ => None,
                };
                if let Some(content) = content {
                    inner_text(
                        &mut checker,
                        policy,
                        page,
                        open.last(),
                        kind,
                        &content,
                        span,
                    );
                }
            }
            Ok(Event::PI(pi)) => {
                if pi.target() == b"xml-stylesheet" {
                    let content = String::from_utf8_lossy(pi.content()).into_owned();
                    if let Some(href) = pseudo_attribute(&content, "href") {
                        let attrs = [Attr {
                            name: "href".into(),
                            value: href.clone(),
                            raw: href,
                            span: span.clone(),
                        }];
                        checker.element("link", &with_rel(&attrs), span, &content);
                    }
                }
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(_) => {
                checker.findings.push(Finding {
                    severity: Severity::Error,
                    message: "this file is not well-formed XML, so echt cannot check it".into(),
                    hint: "",
                    span: span.clone(),
                    needles: Vec::new(),
                });
                break;
            }
        }
        before = after;
    }
    checker
}

/// A `<link rel=stylesheet>` stand-in for an `<?xml-stylesheet?>`.
fn with_rel(attrs: &[Attr]) -> Vec<Attr> {
    let mut all = attrs.to_vec();
    if let Some(first) = attrs.first() {
        all.push(Attr {
            name: "rel".into(),
            value: "stylesheet".into(),
            raw: String::new(),
            span: first.span.clone(),
        });
    }
    all
}

/// Checks one element; returns its local name in lower case.
fn element(
    checker: &mut Checker<'_>,
    e: &BytesStart<'_>,
    text: &str,
    span: Range<usize>,
) -> String {
    let name = String::from_utf8_lossy(e.local_name().as_ref()).to_ascii_lowercase();
    let tag_text = text.get(span.clone()).unwrap_or_default();
    let attrs: Vec<Attr> = e
        .attributes()
        .with_checks(false)
        .filter_map(Result::ok)
        .map(|a| {
            let raw = String::from_utf8_lossy(&a.value).into_owned();
            let value = a
                .unescape_value()
                .map_or_else(|_| raw.clone(), |v| v.into_owned());
            let key = String::from_utf8_lossy(a.key.as_ref()).to_ascii_lowercase();
            let at = tag_text.find(&raw).filter(|_| !raw.is_empty()).map_or_else(
                || span.clone(),
                |i| span.start + i..span.start + i + raw.len(),
            );
            Attr {
                name: key,
                value,
                raw,
                span: at,
            }
        })
        .collect();
    checker.element(&name, &attrs, span, tag_text);
    name
}

fn inner_text(
    checker: &mut Checker<'_>,
    policy: &Policy,
    page: &Page,
    parent: Option<&String>,
    kind: Kind,
    content: &str,
    span: Range<usize>,
) {
    let Some(parent) = parent else { return };
    if parent == "style" {
        checker.stylesheet(content, span.start, css::Kind::Stylesheet, content);
    } else if kind == Kind::Feed && HTML_TEXT.contains(&parent.as_str()) {
        // The entry's HTML, as a feed reader would show it: its problems
        // point at the element in the feed.
        let inner = html::audit(policy, page, content, false).checker;
        for mut finding in inner.findings {
            finding.span = span.clone();
            checker.findings.push(finding);
        }
    }
}

/// `href="x"` in the content of `<?xml-stylesheet href="x" type="text/css"?>`.
fn pseudo_attribute(content: &str, name: &str) -> Option<String> {
    let start = content.find(&format!("{name}="))? + name.len() + 1;
    let rest = &content[start..];
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &rest[1..];
    let end = value.find(quote)?;
    Some(value[..end].to_string())
}
