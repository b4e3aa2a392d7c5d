//! The HTML oracle: html5ever into `markup5ever_rcdom` (not the audit's
//! own arena), read as a browser without scripts reads it and, if the
//! text has a `<noscript>`, once more as one with scripts; every element
//! of the document is checked, template contents included.

use html5ever::tendril::TendrilSink;
use html5ever::tree_builder::TreeBuilderOpts;
use html5ever::{ns, ParseOpts};
use markup5ever_rcdom::{Handle, NodeData, RcDom};
use url::Url;

use crate::{Attribute, Problems, Vocabulary};

/// Checks the HTML document `text`.
pub fn check(text: &str, base: &Url, depth: usize, out: &mut Problems) {
    check_reading(text, false, base, depth, out);
    if contains_ignoring_case(text, "<noscript") {
        check_reading(text, true, base, depth, out);
    }
}

fn contains_ignoring_case(text: &str, needle: &str) -> bool {
    text.as_bytes()
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

fn check_reading(text: &str, scripting: bool, base: &Url, depth: usize, out: &mut Problems) {
    let opts = ParseOpts {
        tree_builder: TreeBuilderOpts {
            scripting_enabled: scripting,
            ..TreeBuilderOpts::default()
        },
        ..ParseOpts::default()
    };
    let dom = html5ever::parse_document(RcDom::default(), opts).one(text);
    let mut todo: Vec<Handle> = vec![dom.document.clone()];
    while let Some(node) = todo.pop() {
        if let NodeData::Element {
            name,
            attrs,
            template_contents,
            ..
        } = &node.data
        {
            let vocabulary = if name.ns == ns!(html) {
                Vocabulary::Html
            } else if name.ns == ns!(svg) {
                Vocabulary::Svg
            } else if name.ns == ns!(mathml) {
                Vocabulary::MathMl
            } else {
                Vocabulary::Other
            };
            let attributes: Vec<Attribute> = attrs
                .borrow()
                .iter()
                .filter_map(|a| {
                    let local = str::to_ascii_lowercase(&a.name.local);
                    let name = if a.name.ns == ns!() {
                        local
                    } else if a.name.ns == ns!(xlink) {
                        format!("xlink:{local}")
                    } else if a.name.ns == ns!(xml) {
                        format!("xml:{local}")
                    } else {
                        return None;
                    };
                    Some(Attribute {
                        name,
                        value: a.value.to_string(),
                    })
                })
                .collect();
            let style = if name
                .local
                .eq_ignore_ascii_case(&html5ever::local_name!("style"))
            {
                let mut css = String::new();
                for child in node.children.borrow().iter() {
                    if let NodeData::Text { contents } = &child.data {
                        css.push_str(&contents.borrow());
                    }
                }
                Some(css)
            } else {
                None
            };
            crate::element(
                vocabulary,
                &name.local,
                &attributes,
                style.as_deref(),
                base,
                depth,
                out,
            );
            if let Some(contents) = template_contents.borrow().as_ref() {
                todo.push(contents.clone());
            }
        }
        todo.extend(node.children.borrow().iter().cloned());
    }
}
