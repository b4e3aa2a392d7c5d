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

/// The absolute URL of the path below the site root at `base_url`, with
/// everything an URL cannot hold as it is (letters beyond ASCII, spaces)
/// percent-encoded: sitemaps, feeds and canonical links want URLs, not the
/// IRIs HTML allows.
pub fn absolute(base_url: &str, path: &str) -> String {
    let mut out = String::with_capacity(base_url.len() + path.len());
    out.push_str(base_url);
    for c in path.chars() {
        if c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@/%#?".contains(c) {
            out.push(c);
        } else {
            let mut buf = [0; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
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

/// The folder a page's relative links start from: a folder path is its
/// own (`posts/a/`), a file's is the one it is in (`2014/07/07/a.html` →
/// `2014/07/07/`).
pub fn folder(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..=i])
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

/// The output file of an old URL: `/2019/03/alt/` and `/2019/03/alt` are
/// `2019/03/alt/index.html`, `/alt.html` stays a file; `%XX` escapes are
/// decoded (`/release%20notes/` is the folder `release notes`). None for
/// what is not a path on this site: another site's URL, `.` or `..`, a
/// query or a fragment.
pub fn old_path_file(old: &str) -> Option<String> {
    let trimmed = old.trim();
    let decoded = percent_decode(trimmed);
    let trimmed = decoded
        .as_deref()
        .unwrap_or(trimmed)
        .trim_start_matches('/');
    let bad = trimmed.split('/').any(|s| s == ".." || s == ".")
        || has_scheme(trimmed)
        || trimmed.contains(['?', '#', '\\'])
        || trimmed.chars().any(crate::util::text::is_control);
    if bad {
        return None;
    }
    Some(if trimmed.ends_with(".html") || trimmed.ends_with(".htm") {
        trimmed.to_string()
    } else if trimmed.is_empty() || trimmed.ends_with('/') {
        format!("{trimmed}index.html")
    } else {
        format!("{trimmed}/index.html")
    })
}

/// A path on this site as written in echt.yaml (`/archiv/`), below the
/// site root (`archiv/`). None for another site's URL, a relative path,
/// `.` or `..`, a query or a fragment.
pub fn site_path(written: &str) -> Option<String> {
    let path = written.trim().strip_prefix('/')?;
    let bad = path.starts_with('/')
        || path.split('/').any(|s| s == ".." || s == ".")
        || path.contains(['?', '#', '\\'])
        || path
            .chars()
            .any(|c| c.is_whitespace() || crate::util::text::is_control(c));
    (!bad).then(|| path.to_string())
}

/// `text` as one component of a URL (a query value, a path segment, the
/// header fields of a `mailto:`): its UTF-8 bytes percent-encoded, all but
/// RFC 3986's unreserved characters (letters, digits, `-._~`). Stricter
/// than either RFC asks, so the result means the same wherever it is put:
/// a space is `%20` (never `+`, which `mailto:` reads as a plus), `&`,
/// `=`, `#`, `%` and line breaks are escaped.
pub fn encode_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `%XX` escapes decoded, if there are any and they make UTF-8; a `%`
/// without two hex digits stays as it is.
pub fn percent_decode(text: &str) -> Option<String> {
    if !text.contains('%') {
        return None;
    }
    String::from_utf8(unescape(text)).ok()
}

/// `%XX` escapes decoded, bytes that are not UTF-8 replaced (`U+FFFD`).
pub fn percent_decode_lossy(text: &str) -> String {
    if !text.contains('%') {
        return text.to_string();
    }
    String::from_utf8_lossy(&unescape(text)).into_owned()
}

/// `%XX` escapes decoded; None for a `%` without two hex digits or for
/// what is not UTF-8, as a request path is refused.
pub fn percent_decode_strict(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let malformed = bytes.iter().enumerate().any(|(i, &b)| {
        b == b'%'
            && !(bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
    });
    if malformed {
        return None;
    }
    String::from_utf8(unescape(text)).ok()
}

/// The bytes of `text` with every `%XX` escape decoded.
fn unescape(text: &str) -> Vec<u8> {
    let hex = |b: u8| char::from(b).to_digit(16);
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) => hex(h).zip(hex(l)),
            _ => None,
        };
        match escaped {
            Some((h, l)) => {
                out.push(u8::try_from(h * 16 + l).unwrap_or(b'?'));
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    out
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
    fn absolute_urls_are_encoded() {
        assert_eq!(
            absolute("https://e.org/blog/", "2015/Über Größe.html#x"),
            "https://e.org/blog/2015/%C3%9Cber%20Gr%C3%B6%C3%9Fe.html#x"
        );
        assert_eq!(
            absolute("https://e.org/", "posts/a/"),
            "https://e.org/posts/a/"
        );
    }

    #[test]
    fn components_keep_only_unreserved_characters() {
        assert_eq!(
            encode_component("Größe & Maß? 100% a+b=c #1"),
            "Gr%C3%B6%C3%9Fe%20%26%20Ma%C3%9F%3F%20100%25%20a%2Bb%3Dc%20%231"
        );
        assert_eq!(
            encode_component("https://e.org/posts/a/?x=1"),
            "https%3A%2F%2Fe.org%2Fposts%2Fa%2F%3Fx%3D1"
        );
        assert_eq!(encode_component("Zeile\r\nzwei"), "Zeile%0D%0Azwei");
        assert_eq!(encode_component("a-b.c_d~e"), "a-b.c_d~e");
        assert_eq!(
            percent_decode_lossy(&encode_component("„Über“ 😀")),
            "„Über“ 😀"
        );
    }

    #[test]
    fn folders_of_pages() {
        assert_eq!(folder("posts/a/"), "posts/a/");
        assert_eq!(folder("2014/07/07/a.html"), "2014/07/07/");
        assert_eq!(folder("a.html"), "");
        assert_eq!(folder(""), "");
    }

    #[test]
    fn old_paths_become_files() {
        assert_eq!(
            old_path_file("/2019/03/alt/").as_deref(),
            Some("2019/03/alt/index.html")
        );
        assert_eq!(
            old_path_file("/2019/03/alt").as_deref(),
            Some("2019/03/alt/index.html")
        );
        assert_eq!(old_path_file("/alt.html").as_deref(), Some("alt.html"));
        assert_eq!(
            old_path_file("/release%20notes/2016/x.html").as_deref(),
            Some("release notes/2016/x.html")
        );
        assert_eq!(
            old_path_file("/2015/%C3%9Cber-Gr%C3%B6%C3%9Fe.html").as_deref(),
            Some("2015/Über-Größe.html")
        );
        for bad in [
            "https://x.org/a/",
            "/a/../b/",
            "/a?x=1",
            "/a#b",
            "/a%2F..%2F..%2Fb/",
        ] {
            assert_eq!(old_path_file(bad), None, "{bad}");
        }
        assert_eq!(site_path("/archiv/").as_deref(), Some("archiv/"));
        assert_eq!(site_path("/").as_deref(), Some(""));
        for bad in ["archiv/", "//x.org/", "https://x.org/", "/a b/", "/../x/"] {
            assert_eq!(site_path(bad), None, "{bad}");
        }
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
