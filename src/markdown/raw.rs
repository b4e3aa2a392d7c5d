//! Files beside a post named in raw HTML it writes itself
//! (`<img src="foto.jpg">`, `<a href="plan.pdf">`): resolved like
//! Markdown's own images and links to them, so that a bundle's image
//! written as HTML shows wherever the post's text does (its page, the
//! lists that show its summary, the feeds). Only a plain relative path
//! that names one of the site's files is touched; everything else stays
//! as written, for the audit to judge on the page it ends up on.

use std::sync::LazyLock;

use regex::Regex;

use super::Input;
use crate::util::url::{self, ROOT};

/// `src="…"` or `href='…'` inside a tag.
static ATTRIBUTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)(\s(?:src|href)\s*=\s*)(?:"([^"]*)"|'([^']*)')"#)
        .unwrap_or_else(|e| unreachable!("a fixed pattern: {e}"))
});

/// The HTML with the URLs of its tags' `src` and `href` resolved; None
/// when nothing changed.
pub(super) fn rewrite(input: &Input<'_>, html: &str) -> Option<String> {
    if !(html.contains("src")
        || html.contains("href")
        || html.contains("SRC")
        || html.contains("HREF"))
    {
        return None;
    }
    let mut out = String::with_capacity(html.len() + 16);
    let mut copied = 0;
    let mut at = 0;
    while let Some(open) = html[at..].find('<').map(|i| at + i) {
        if html[open..].starts_with("<!--") {
            at = html[open..]
                .find("-->")
                .map_or(html.len(), |i| open + i + 3);
            continue;
        }
        let close = html[open..].find('>').map_or(html.len(), |i| open + i);
        let tag = &html[open..close];
        for caps in ATTRIBUTE.captures_iter(tag) {
            let Some(value) = caps.get(2).or_else(|| caps.get(3)) else {
                continue;
            };
            let quote = if caps.get(2).is_some() { '"' } else { '\'' };
            let Some(new) = file_beside(input, value.as_str()) else {
                continue;
            };
            if new.contains([quote, '<', '>', '&']) {
                continue;
            }
            out.push_str(&html[copied..open + value.start()]);
            out.push_str(&new);
            copied = open + value.end();
        }
        at = close.max(open + 1);
    }
    if copied == 0 {
        return None;
    }
    out.push_str(&html[copied..]);
    Some(out)
}

/// Where the file a plain relative path names goes, when the site has it.
fn file_beside(input: &Input<'_>, written: &str) -> Option<String> {
    let plain = |c: char| c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | '~' | '/' | '%');
    if written.is_empty() || written.starts_with('/') || !written.chars().all(plain) {
        return None;
    }
    let decoded = url::percent_decode(written);
    let path = decoded.as_deref().unwrap_or(written);
    let target = url::join(input.source_dir, path)?;
    let site_path = input.links.get(&target)?;
    Some(format!("{ROOT}{site_path}"))
}
