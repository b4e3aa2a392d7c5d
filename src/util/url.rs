//! Site-relative URLs, decided late.
//!
//! A page's links depend on where the page ends up (`../../posts/a/` from a
//! post, `posts/a/` from the home page, absolute in a feed), but a post's
//! HTML is rendered once and shown in many places. So everything internal is
//! written as [`ROOT`] followed by the path below the site root, and each
//! output file replaces [`ROOT`] with its own way to the root just before it
//! is written. Sites then work from any subfolder and straight from disk.

use std::borrow::Cow;

/// Stands for "the site root, as seen from the page being written". A
/// private-use character never appears in real text (sources are cleaned of
/// it when read).
pub const ROOT: &str = "\u{E000}";

/// The internal form of a path below the site root (`posts/a/`).
pub fn internal(path: &str) -> String {
    let mut s = String::with_capacity(ROOT.len() + path.len());
    s.push_str(ROOT);
    s.push_str(path);
    s
}

/// The way from the file at `output_path` (e.g. `posts/a/index.html`) back
/// to the site root: `../../`, or `./` for files at the top.
pub fn relative_root(output_path: &str) -> Cow<'static, str> {
    let depth = output_path.matches('/').count();
    if depth == 0 {
        Cow::Borrowed("./")
    } else {
        Cow::Owned("../".repeat(depth))
    }
}

/// Replaces every [`ROOT`] in `text` with `root` (in one pass that finds
/// them with SIMD: every page and feed goes through here).
pub fn finish(text: &str, root: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 64);
    let mut from = 0;
    for at in memchr::memmem::find_iter(text.as_bytes(), ROOT.as_bytes()) {
        out.push_str(&text[from..at]);
        out.push_str(root);
        from = at + ROOT.len();
    }
    out.push_str(&text[from..]);
    out
}

/// True for `https:`, `mailto:` and other URLs with a scheme.
pub fn has_scheme(url: &str) -> bool {
    let Some(colon) = url.find(':') else {
        return false;
    };
    let scheme = &url[..colon];
    !scheme.is_empty()
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Joins a relative path onto a directory (both below the site or content
/// root, `/`-separated) and removes `.` and `..`. None when it climbs above.
pub fn join(dir: &str, relative: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    let trailing_slash = relative.ends_with('/') || relative.is_empty();
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    let mut joined = parts.join("/");
    if trailing_slash && !joined.is_empty() {
        joined.push('/');
    }
    Some(joined)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_root_is_replaced() {
        let text = format!("<a href=\"{ROOT}posts/a/\">ä{ROOT}</a>{ROOT}");
        assert_eq!(finish(&text, "../"), "<a href=\"../posts/a/\">ä../</a>../");
        assert_eq!(finish("ohne", "./"), "ohne");
        assert_eq!(finish("", "./"), "");
    }

    #[test]
    fn roots_by_depth() {
        assert_eq!(relative_root("index.html"), "./");
        assert_eq!(relative_root("posts/a/index.html"), "../../");
        assert_eq!(relative_root("tags/x/page/2/index.html"), "../../../../");
    }

    #[test]
    fn joining() {
        assert_eq!(
            join("posts", "../ueber-mich.md").as_deref(),
            Some("ueber-mich.md")
        );
        assert_eq!(
            join("posts/b", "./bild.png").as_deref(),
            Some("posts/b/bild.png")
        );
        assert_eq!(join("posts/a/", "../b/").as_deref(), Some("posts/b/"));
        assert_eq!(join("", "../x.md"), None);
    }

    #[test]
    fn schemes() {
        assert!(has_scheme("https://example.org"));
        assert!(has_scheme("mailto:a@b.c"));
        assert!(!has_scheme("bild.png"));
        assert!(!has_scheme("a/b:c"));
        assert!(!has_scheme("/x"));
    }
}
