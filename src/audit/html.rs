//! Reading and rewriting HTML with lol_html, a streaming HTML tokenizer
//! that follows the browsers' parsing rules (raw text in `<style>` and
//! `<script>`, SVG inside HTML, attributes in any case and quoting).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use lol_html::html_content::{ContentType, Element};
use lol_html::{element, text, HtmlRewriter, Settings};

use super::rules::{Attr, Changes, Checker};
use super::{css, Page, Policy};

/// An audited page: its new text and what was found in it.
pub(crate) struct Audited<'a> {
    pub html: String,
    pub checker: Checker<'a>,
}

/// Audits `html`; a whole page (`page_mode`) also gets echt's `<meta>`
/// elements at the start of its `<head>`.
pub(crate) fn audit<'a>(
    policy: &'a Policy,
    page: &'a Page,
    html: &str,
    page_mode: bool,
) -> Audited<'a> {
    let checker = RefCell::new(Checker::new(policy, page));
    let style = RefCell::new((0usize, String::new()));
    let mut out = Vec::with_capacity(html.len() + 512);
    // echt's `<meta>` elements go right after `<meta charset>` when the
    // head starts with one (it must stay early), else first in the head.
    let mut inject = if page_mode {
        Inject::Waiting
    } else {
        Inject::Done
    };
    let result = {
        let mut rewriter = HtmlRewriter::new(
            Settings {
                element_content_handlers: vec![
                    element!("*", |el| {
                        inject.step(el, policy.head());
                        on_element(&mut checker.borrow_mut(), el, html);
                        Ok(())
                    }),
                    text!("style", |chunk| {
                        let mut style = style.borrow_mut();
                        if style.1.is_empty() {
                            style.0 = chunk.source_location().bytes().start;
                        }
                        style.1.push_str(chunk.as_str());
                        if chunk.last_in_text_node() {
                            let (offset, text) = std::mem::take(&mut *style);
                            checker.borrow_mut().stylesheet(
                                &text,
                                offset,
                                css::Kind::Stylesheet,
                                "",
                            );
                        }
                        Ok(())
                    }),
                ],
                ..Settings::new()
            },
            |bytes: &[u8]| out.extend_from_slice(bytes),
        );
        rewriter
            .write(html.as_bytes())
            .and_then(|()| rewriter.end())
    };
    let html = match result {
        Ok(()) => String::from_utf8(out)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
        // lol_html fails only on memory limits we do not set; keep the page.
        Err(_) => html.to_string(),
    };
    Audited {
        html,
        checker: checker.into_inner(),
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
    fn step(&mut self, el: &mut Element<'_, '_>, head: &str) {
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

/// The attributes the rules look at besides `on*` handlers; the others
/// (`class`, `alt`, `aria-*`, …) can neither load nor run anything.
const MATTERS: &[&str] = &[
    "href",
    "src",
    "srcset",
    "imagesrcset",
    "style",
    "id",
    "name",
    "rel",
    "http-equiv",
    "content",
    "action",
    "formaction",
    "data",
    "poster",
    "background",
    "xlink:href",
    "ping",
    "manifest",
    "srcdoc",
    "cite",
    "codebase",
    "longdesc",
    "lowsrc",
    "dynsrc",
    "icon",
    "to",
    "from",
    "values",
    "charset",
];

/// Reads one element for the rules.
fn on_element(checker: &mut Checker<'_>, el: &mut Element<'_, '_>, html: &str) {
    let tag = el.tag_name();
    // Most elements have no attributes and nothing to check.
    let bare = matches!(
        tag.as_str(),
        "script" | "object" | "embed" | "applet" | "portal"
    );
    if !bare && el.attributes().is_empty() {
        return;
    }
    let span = el.source_location().bytes();
    let tag_text = html.get(span.clone()).unwrap_or_default();
    let attrs: Vec<Attr> = el
        .attributes()
        .iter()
        .filter_map(|a| {
            let name = a.name();
            let handler = name.starts_with("on");
            if !handler && !MATTERS.contains(&name.as_str()) {
                return None;
            }
            let location = if handler {
                a.name_source_location()
            } else {
                a.value_source_location()
            };
            let written = a.value();
            let (value, raw) = if written.contains('&') {
                (
                    htmlize::unescape_attribute(written.as_str()).into_owned(),
                    written,
                )
            } else {
                (written, String::new())
            };
            Some(Attr {
                value,
                name,
                raw,
                span: location.map_or_else(|| span.clone(), |l| l.bytes()),
            })
        })
        .collect();
    // An `srcdoc` frame is a page of its own, written into the attribute.
    if tag == "iframe" {
        if let Some(srcdoc) = attrs.iter().find(|a| a.name == "srcdoc") {
            let (policy, page) = checker.context();
            let inner = audit(policy, page, &srcdoc.value, false).checker;
            for mut finding in inner.findings {
                finding.span = srcdoc.span.clone();
                finding.needles.push(srcdoc.written().to_string());
                checker.findings.push(finding);
            }
        }
    }
    let Changes { href, rel } = checker.element(&tag, &attrs, span, tag_text);
    // Values set here are escaped by lol_html for quotes only.
    if let Some(href) = href {
        let _ = el.set_attribute("href", &href.replace('&', "&amp;"));
    }
    if let Some(rel) = rel {
        let _ = el.set_attribute("rel", &rel);
    }
}

/// Cleans an HTML fragment (a post in a feed) the way pages are cleaned:
/// outbound links lose tracking parameters and get `noopener noreferrer`.
pub fn clean_fragment(policy: &Policy, html: &str) -> String {
    let page = Page::new(policy, "index.html");
    audit(policy, &page, html, false).html
}
