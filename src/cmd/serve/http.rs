//! The HTTP side of the preview server, as pure functions: which file a
//! request may see, with which content type.
//!
//! Kept free of sockets so every rule that guards the author's disk can be
//! tested on its own: only paths below the served site, never `..` (however
//! it is spelled), no backslashes, no NUL, no encoded slashes.

/// What a request path resolves to, before looking at the site's files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A path below the site root, `/`-separated, without a leading slash;
    /// `dir` is true when the request ended with `/`.
    Path { rel: String, dir: bool },
    /// A request that tries to leave the site or is malformed.
    Forbidden,
}

/// Resolves a request target such as `/posts/a/?x=1`.
pub fn resolve(target: &str) -> Target {
    let path = target.split(['?', '#']).next().unwrap_or_default();
    let Some(path) = path.strip_prefix('/') else {
        return Target::Forbidden;
    };
    // An encoded slash or backslash would smuggle a separator past the
    // checks below; they never appear in echt's own URLs.
    let lower = path.to_ascii_lowercase();
    if lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00") {
        return Target::Forbidden;
    }
    let Some(decoded) = crate::util::url::percent_decode_strict(path) else {
        return Target::Forbidden;
    };
    if decoded.contains(['\\', '\0']) {
        return Target::Forbidden;
    }
    let mut segments = Vec::new();
    for segment in decoded.split('/') {
        match segment {
            "" => {}
            "." | ".." => return Target::Forbidden,
            s if s.contains(':') && segments.is_empty() => return Target::Forbidden,
            s => segments.push(s),
        }
    }
    Target::Path {
        rel: segments.join("/"),
        dir: decoded.is_empty() || decoded.ends_with('/'),
    }
}

/// The Content-Type for a file name.
pub fn content_type(rel: &str) -> &'static str {
    let extension = rel
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "json" => "application/json",
        "txt" => "text/plain; charset=utf-8",
        "pdf" => "application/pdf",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(rel: &str, dir: bool) -> Target {
        Target::Path {
            rel: rel.to_string(),
            dir,
        }
    }

    #[test]
    fn ordinary_paths() {
        assert_eq!(resolve("/"), path("", true));
        assert_eq!(resolve("/posts/a/"), path("posts/a", true));
        assert_eq!(resolve("/posts/a"), path("posts/a", false));
        assert_eq!(resolve("/style.css?v=2#x"), path("style.css", false));
        assert_eq!(
            resolve("/tags/%C3%B6ffentlich/"),
            path("tags/öffentlich", true)
        );
        assert_eq!(resolve("//posts//a/"), path("posts/a", true));
    }

    #[test]
    fn traversal_in_every_spelling_is_refused() {
        for bad in [
            "/../etc/passwd",
            "/posts/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc%2Fpasswd",
            "/posts/..%2f..%2fetc/passwd",
            "/..%5c..%5cetc",
            "/posts\\..\\..\\etc",
            "/a%00.html",
            "/./style.css",
            "/%ZZ",
            "/%C3",
            "etc/passwd",
            "http://example.org/",
            "/C:/Windows/win.ini",
        ] {
            assert_eq!(resolve(bad), Target::Forbidden, "{bad}");
        }
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.CSS"), "text/css; charset=utf-8");
        assert_eq!(content_type("atom.xml"), "application/xml; charset=utf-8");
        assert_eq!(content_type("bild.webp"), "image/webp");
        assert_eq!(content_type("font.woff2"), "font/woff2");
        assert_eq!(content_type("README"), "application/octet-stream");
    }
}
