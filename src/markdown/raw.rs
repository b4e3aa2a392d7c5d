//! URLs in raw HTML that a post writes itself (`<img src="foto.jpg">`,
//! `<a href="/archiv/">`): resolved like Markdown's own links and images,
//! so that a bundle's image written as HTML shows wherever the post's text
//! does (its page, the lists that show its summary, the feeds) and a
//! site-relative link works from a site in a subfolder. Values the
//! resolver refuses (a `javascript:` link, a missing `.md` file) are left
//! as written: the audit judges the page they end up on.

use std::sync::LazyLock;

use regex::Regex;

use super::{rewrite_url, Input};

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
            let Ok(Some(new)) = rewrite_url(input, value.as_str()) else {
                continue;
            };
            if new.contains([quote, '<', '>']) {
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
