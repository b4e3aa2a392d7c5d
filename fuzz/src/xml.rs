//! The XML oracle (SVG and XHTML documents): quick-xml's namespace-aware
//! reader, every element judged by its namespace whatever prefix names it,
//! `<style>` text, and `<?xml-stylesheet?>` instructions (a stylesheet,
//! or an XSLT transformation, which can write any page, scripts included).

use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;
use url::Url;

use crate::{Attribute, Problems, Vocabulary};

/// `<?xml-stylesheet type?>` values that browsers treat as XSLT.
const XSLT_TYPES: &[&str] = &[
    "text/xsl",
    "application/xslt+xml",
    "text/xml",
    "application/xml",
    "application/xhtml+xml",
    "application/rss+xml",
    "application/atom+xml",
];

fn namespace(ns: &ResolveResult<'_>) -> String {
    match ns {
        ResolveResult::Bound(ns) => String::from_utf8_lossy(ns.as_ref()).into_owned(),
        _ => String::new(),
    }
}

/// An open element: whether it is a `<style>` whose text is collected.
struct Open {
    style: Option<(Vocabulary, String, Vec<Attribute>, String)>,
}

/// Checks the XML document `text`.
pub fn check(text: &str, base: &Url, depth: usize, out: &mut Problems) {
    let mut reader = NsReader::from_str(text);
    let mut open: Vec<Open> = Vec::new();
    // A browser shows nothing after the first error.
    while let Ok((ns, event)) = reader.read_resolved_event() {
        let vocabulary = Vocabulary::of(&namespace(&ns));
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let local = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                let mut attrs = Vec::new();
                for a in e.attributes().with_checks(false).flatten() {
                    if a.key.as_namespace_binding().is_some() {
                        continue;
                    }
                    let (attr_ns, attr_local) = reader.resolve_attribute(a.key);
                    let attr_local =
                        String::from_utf8_lossy(attr_local.as_ref()).to_ascii_lowercase();
                    let name = match &attr_ns {
                        ResolveResult::Unbound => attr_local,
                        ResolveResult::Bound(n) if n.as_ref() == crate::XLINK_NS.as_bytes() => {
                            format!("xlink:{attr_local}")
                        }
                        ResolveResult::Bound(n) if n.as_ref() == crate::XML_NS.as_bytes() => {
                            format!("xml:{attr_local}")
                        }
                        _ => continue,
                    };
                    let value = match a.unescape_value() {
                        Ok(v) => v.into_owned(),
                        Err(_) => String::from_utf8_lossy(&a.value).into_owned(),
                    };
                    attrs.push(Attribute { name, value });
                }
                let is_style = local.eq_ignore_ascii_case("style")
                    && matches!(vocabulary, Vocabulary::Svg | Vocabulary::Html);
                if is_style && matches!(event, Event::Start(_)) {
                    open.push(Open {
                        style: Some((vocabulary, local, attrs, String::new())),
                    });
                    continue;
                }
                crate::element(vocabulary, &local, &attrs, Some(""), base, depth, out);
                if matches!(event, Event::Start(_)) {
                    open.push(Open { style: None });
                }
            }
            Event::End(_) => {
                if let Some(Open {
                    style: Some((vocabulary, local, attrs, css)),
                }) = open.pop()
                {
                    crate::element(vocabulary, &local, &attrs, Some(&css), base, depth, out);
                }
            }
            Event::Text(ref t) => {
                if let Some(Open {
                    style: Some((_, _, _, css)),
                }) = open.last_mut()
                {
                    match t.unescape() {
                        Ok(s) => css.push_str(&s),
                        Err(_) => css.push_str(&String::from_utf8_lossy(t)),
                    }
                }
            }
            Event::CData(ref t) => {
                if let Some(Open {
                    style: Some((_, _, _, css)),
                }) = open.last_mut()
                {
                    css.push_str(&String::from_utf8_lossy(t));
                }
            }
            Event::PI(ref pi) if pi.target() == b"xml-stylesheet" => {
                stylesheet_instruction(&String::from_utf8_lossy(pi.content()), base, out);
            }
            Event::DocType(ref d) => {
                let text = String::from_utf8_lossy(d);
                if text.contains("<!ENTITY") {
                    out.push(format!(
                        "a DOCTYPE that declares entities, which browsers expand: {text:?}"
                    ));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    // Elements left open at the end: a `<style>` still counts.
    while let Some(Open { style }) = open.pop() {
        if let Some((vocabulary, local, attrs, css)) = style {
            crate::element(vocabulary, &local, &attrs, Some(&css), base, depth, out);
        }
    }
}

/// `<?xml-stylesheet href="…" type="…"?>`, its pseudo-attributes read
/// like attributes.
fn stylesheet_instruction(content: &str, base: &Url, out: &mut Problems) {
    let mut href = None;
    let mut kind = None;
    let mut rest = content;
    while let Some(eq) = rest.find('=') {
        let name = rest[..eq].trim().to_ascii_lowercase();
        let after = rest[eq + 1..].trim_start();
        let Some(quote) = after.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            break;
        };
        let Some(end) = after[1..].find(quote) else {
            break;
        };
        let raw = &after[1..1 + end];
        let value =
            quick_xml::escape::unescape(raw).map_or_else(|_| raw.to_string(), |v| v.into_owned());
        match name.as_str() {
            "href" => href = Some(value),
            "type" => kind = Some(value.trim().to_ascii_lowercase()),
            _ => {}
        }
        rest = &after[1 + end + 1..];
    }
    if kind.as_deref().is_some_and(|k| XSLT_TYPES.contains(&k)) {
        out.push(format!(
            "an XSLT transformation `<?xml-stylesheet {content}?>`, which can write scripts"
        ));
    }
    if let Some(href) = href {
        crate::resource(base, "<?xml-stylesheet href?>", &href, out);
    }
}
