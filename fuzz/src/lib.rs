//! Independent oracles for the fuzz targets: given text that echt's audit
//! passed, they read it again, with other code than the audit's, and list
//! everything in it that would make a reader's browser run code or contact
//! another host. A fuzz target fails when the audit reports no error but an
//! oracle finds something.
//!
//! The oracles are deliberately simple and judge every URL in a loading
//! position with the WHATWG URL parser (the `url` crate): anything that
//! resolves to a host other than the site's own (and the two allowed in
//! the fuzz config) is foreign, and `javascript:`/`vbscript:` is code.
//! Where a browser would read a document inside a document (`srcdoc`,
//! `data:` frames and stylesheets, SVG `<use>` of a `data:` document), the
//! oracles read that too.

pub mod css;
pub mod html;
pub mod import;
pub mod json;
pub mod site;
pub mod xml;

use url::Url;

/// The site the fuzz targets audit: its config, as `echt.yaml` text.
pub const CONFIG: &str = "title: Fuzz\nbase_url: https://blog.example/\nlanguage: en\nprivacy:\n  allow_hosts: [media.example.net, \"*.cdn.example\"]\n";

/// The site's own host.
pub const OWN_HOST: &str = "blog.example";

/// How deep the oracles follow documents inside documents.
pub const MAX_DEPTH: usize = 6;

/// What the oracles found: one line per problem.
pub type Problems = Vec<String>;

/// The problems worth failing for: all of them, except those containing
/// one of the `|`-separated texts in `ECHT_FUZZ_IGNORE`, set to fuzz on
/// while a known finding waits for its fix (CI never sets it).
pub fn unknown(problems: Problems) -> Problems {
    if problems.is_empty() {
        return problems;
    }
    let ignored = std::env::var("ECHT_FUZZ_IGNORE").unwrap_or_default();
    let ignored: Vec<&str> = ignored.split('|').filter(|s| !s.is_empty()).collect();
    problems
        .into_iter()
        .filter(|p| !ignored.iter().any(|i| p.contains(i)))
        .collect()
}

/// The page an `audit_html` input stands for: itself if it starts with a
/// doctype, else the body of a page.
pub fn page(input: &str) -> std::borrow::Cow<'_, str> {
    let start = input.trim_start_matches(|c: char| c.is_ascii_whitespace());
    let doctype = start
        .get(..9)
        .is_some_and(|s| s.eq_ignore_ascii_case("<!doctype"));
    if doctype {
        std::borrow::Cow::Borrowed(input)
    } else {
        std::borrow::Cow::Owned(format!(
            "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Fuzz</title>\n</head>\n<body>\n{input}\n</body>\n</html>\n"
        ))
    }
}

/// The SVG file an `audit_svg` input stands for: itself if it starts like
/// an XML document, else the content of an `<svg>` element.
pub fn svg(input: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    let body = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    let start = body
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map_or(&[][..], |i| &body[i..]);
    if start.starts_with(b"<?") || start.starts_with(b"<!") || start.starts_with(b"<svg") {
        return std::borrow::Cow::Borrowed(input);
    }
    let mut file = b"<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" xmlns:h=\"http://www.w3.org/1999/xhtml\" viewBox=\"0 0 10 10\">\n".to_vec();
    file.extend_from_slice(input);
    file.extend_from_slice(b"\n</svg>\n");
    std::borrow::Cow::Owned(file)
}

/// Whether `host` (lower case) is the site's or one the config allows.
pub fn is_allowed(host: &str) -> bool {
    host == OWN_HOST
        || host == "media.example.net"
        || host
            .strip_suffix(".cdn.example")
            .is_some_and(|sub| !sub.is_empty())
}

/// What a URL in a loading position does.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Loads from the site, an allowed host, or nowhere.
    Fine,
    /// Loads from this other host.
    Foreign(String),
    /// Runs code.
    Script,
}

/// Resolves `value` against `base` as a browser would.
pub fn judge(base: &Url, value: &str) -> Verdict {
    let Ok(url) = base.join(value) else {
        // A browser loads nothing for a URL it cannot parse.
        return Verdict::Fine;
    };
    match url.scheme() {
        "javascript" | "vbscript" => return Verdict::Script,
        // Only these reach a host: `data:` never does, whatever follows it
        // (`data://host/…` has a host to the URL parser), and a browser
        // loads nothing through other schemes.
        "http" | "https" | "ws" | "wss" | "ftp" => {}
        _ => return Verdict::Fine,
    }
    match url.host_str() {
        Some(host) if !host.is_empty() => {
            let host = host.to_ascii_lowercase();
            if is_allowed(&host) {
                Verdict::Fine
            } else {
                Verdict::Foreign(host)
            }
        }
        _ => Verdict::Fine,
    }
}

/// Records a problem if `value`, loaded as `what`, leaves the site or
/// runs code.
pub fn resource(base: &Url, what: &str, value: &str, out: &mut Problems) {
    match judge(base, value) {
        Verdict::Fine => {}
        Verdict::Foreign(host) => out.push(format!("{what} loads from `{host}`: {value:?}")),
        Verdict::Script => out.push(format!("{what} runs code: {value:?}")),
    }
}

/// Records a problem if a link the reader may follow runs code.
pub fn link(base: &Url, what: &str, value: &str, out: &mut Problems) {
    if judge(base, value) == Verdict::Script {
        out.push(format!("{what} runs code: {value:?}"));
    }
}

/// What a `data:` URL holds, for the oracle that reads it.
#[derive(Debug, PartialEq, Eq)]
pub enum Inner {
    Html,
    Xml,
    Css,
    /// Images, text, and what cannot be decoded: nothing a browser runs.
    Inert,
}

/// Decodes a `data:` URL: its kind and its text (None if it is not one).
pub fn data_url(value: &str) -> Option<(Inner, String)> {
    let parsed = data_url::DataUrl::process(value.trim()).ok()?;
    let mime = parsed.mime_type();
    let essence = format!("{}/{}", mime.type_, mime.subtype).to_ascii_lowercase();
    let charset = mime.get_parameter("charset").map(str::to_string);
    let (body, _) = parsed.decode_to_vec().ok()?;
    let encoding = charset
        .and_then(|c| encoding_rs::Encoding::for_label(c.as_bytes()))
        .unwrap_or(encoding_rs::UTF_8);
    let (text, _, _) = encoding.decode(&body);
    let kind = match essence.as_str() {
        "text/html" => Inner::Html,
        "text/css" => Inner::Css,
        "image/svg+xml" | "application/xml" | "text/xml" | "application/xhtml+xml" => Inner::Xml,
        _ => Inner::Inert,
    };
    Some((kind, text.into_owned()))
}

/// Reads a `data:` URL that a browser shows as a document (a frame), a
/// stylesheet or an SVG document it uses, with the oracle for its kind.
pub fn inner_document(base: &Url, what: &str, value: &str, depth: usize, out: &mut Problems) {
    if !is_data(value) {
        return;
    }
    if depth >= MAX_DEPTH {
        return;
    }
    let Some((kind, text)) = data_url(value) else {
        return;
    };
    let mut inner = Problems::new();
    match kind {
        Inner::Html => html::check(&text, base, depth + 1, &mut inner),
        Inner::Xml => xml::check(&text, base, depth + 1, &mut inner),
        Inner::Css => css::check(&text, css::Kind::Stylesheet, base, depth + 1, &mut inner),
        Inner::Inert => {}
    }
    out.extend(inner.into_iter().map(|p| format!("in {what}: {p}")));
}

/// Whether `value` is a `data:` URL.
pub fn is_data(value: &str) -> bool {
    let trimmed = value.trim_start_matches(|c: char| c <= ' ');
    trimmed
        .get(..5)
        .is_some_and(|s| s.eq_ignore_ascii_case("data:"))
}

/// The vocabulary of an element, by its namespace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vocabulary {
    Html,
    Svg,
    MathMl,
    Other,
}

pub const HTML_NS: &str = "http://www.w3.org/1999/xhtml";
pub const SVG_NS: &str = "http://www.w3.org/2000/svg";
pub const MATHML_NS: &str = "http://www.w3.org/1998/Math/MathML";
pub const XLINK_NS: &str = "http://www.w3.org/1999/xlink";
pub const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

impl Vocabulary {
    pub fn of(namespace: &str) -> Vocabulary {
        match namespace {
            HTML_NS => Vocabulary::Html,
            SVG_NS => Vocabulary::Svg,
            MATHML_NS => Vocabulary::MathMl,
            _ => Vocabulary::Other,
        }
    }
}

/// An attribute as the element rules see it: `name` is the local name in
/// lower case, `xlink:NAME` or `xml:NAME` for those namespaces; attributes
/// of any other namespace are left out by the readers.
#[derive(Debug)]
pub struct Attribute {
    pub name: String,
    pub value: String,
}

/// `<link rel>` keywords that only name another page: a `<link>` whose
/// every keyword is one of these loads nothing (HTML's hyperlink keywords
/// and the microformats a blog uses).
const HYPERLINK_RELS: &[&str] = &[
    "alternate",
    "author",
    "bookmark",
    "canonical",
    "external",
    "help",
    "license",
    "next",
    "prev",
    "previous",
    "search",
    "tag",
    "nofollow",
    "noopener",
    "noreferrer",
    "opener",
    "privacy-policy",
    "terms-of-service",
    "me",
    "webmention",
    "pingback",
    "archives",
    "first",
    "last",
    "up",
    "index",
    "contents",
    "start",
    "home",
    "sitemap",
    "edit",
];

/// SVG elements that animate another attribute.
const ANIMATIONS: &[&str] = &[
    "set",
    "animate",
    "animatemotion",
    "animatetransform",
    "animatecolor",
];

/// Checks one element of any document (HTML tree or XML events).
/// `children_text` is the text of a `<style>` element; `depth` how deep
/// in documents inside documents this one is.
pub fn element(
    vocabulary: Vocabulary,
    local: &str,
    attrs: &[Attribute],
    style_text: Option<&str>,
    base: &Url,
    depth: usize,
    out: &mut Problems,
) {
    let tag = local.to_ascii_lowercase();
    let get = |name: &str| {
        attrs
            .iter()
            .find(|a| a.name == name)
            .map(|a| a.value.as_str())
    };
    if vocabulary == Vocabulary::Other {
        return;
    }
    if tag == "script" {
        out.push(format!("a `{local}` element ({vocabulary:?})"));
    }
    for a in attrs {
        if a.name.len() > 2 && a.name.starts_with("on") {
            out.push(format!(
                "an event handler `{}` on `<{local}>` ({vocabulary:?})",
                a.name
            ));
        }
        if a.name == "style" {
            css::check(&a.value, css::Kind::Declarations, base, depth, out);
        }
        if a.name == "xml:base" {
            resource(base, "xml:base", &a.value, out);
        }
    }
    if let Some(text) = style_text {
        if tag == "style" && matches!(vocabulary, Vocabulary::Html | Vocabulary::Svg) {
            css::check(text, css::Kind::Stylesheet, base, depth, out);
        }
    }
    match vocabulary {
        Vocabulary::Html => html_element(&tag, attrs, &get, base, depth, out),
        Vocabulary::Svg => svg_element(&tag, attrs, &get, base, depth, out),
        Vocabulary::MathMl => {
            for a in attrs {
                match a.name.as_str() {
                    "href" | "xlink:href" => link(base, "a MathML link", &a.value, out),
                    "src" if tag == "mglyph" => resource(base, "<mglyph src>", &a.value, out),
                    _ => {}
                }
            }
        }
        Vocabulary::Other => {}
    }
}

fn html_element<'a>(
    tag: &str,
    attrs: &'a [Attribute],
    get: &dyn Fn(&str) -> Option<&'a str>,
    base: &Url,
    depth: usize,
    out: &mut Problems,
) {
    let link_loads = || {
        get("rel").is_none_or(|rel| {
            rel.split_ascii_whitespace()
                .any(|r| !HYPERLINK_RELS.contains(&r.to_ascii_lowercase().as_str()))
        })
    };
    for a in attrs {
        let what = format!("<{tag} {}>", a.name);
        match a.name.as_str() {
            "href" if matches!(tag, "a" | "area") => link(base, &what, &a.value, out),
            "href" if tag == "link" => {
                if link_loads() {
                    resource(base, &what, &a.value, out);
                    let stylesheet = get("rel").is_some_and(|rel| {
                        rel.split_ascii_whitespace()
                            .any(|r| r.eq_ignore_ascii_case("stylesheet"))
                    });
                    if stylesheet {
                        inner_document(base, &what, &a.value, depth, out);
                    }
                } else {
                    link(base, &what, &a.value, out);
                }
            }
            // On any other HTML element (`<a␡>` is one) `href` loads and
            // navigates nowhere; `<base href>` moves every relative URL.
            "href" if tag == "base" => resource(base, &what, &a.value, out),
            "href" => {}
            "imagesrcset" if tag == "link" && link_loads() => {
                for url in srcset(&a.value) {
                    resource(base, &what, url, out);
                }
            }
            // Each attribute loads on the elements the HTML standard (or an
            // old browser) gives it to; on others (`<pt src>`) it is inert.
            "src"
                if !matches!(
                    tag,
                    "img"
                        | "image"
                        | "script"
                        | "iframe"
                        | "frame"
                        | "embed"
                        | "video"
                        | "audio"
                        | "source"
                        | "track"
                        | "input"
                        | "portal"
                ) => {}
            "data" | "codebase" | "archive" | "classid" if !matches!(tag, "object" | "applet") => {}
            "poster" if tag != "video" => {}
            "action" if tag != "form" => {}
            "formaction" if !matches!(tag, "button" | "input") => {}
            "lowsrc" | "dynsrc" if tag != "img" => {}
            "manifest" if tag != "html" => {}
            "src" | "data" | "poster" | "background" | "action" | "formaction" | "lowsrc"
            | "dynsrc" | "manifest" | "codebase" | "archive" | "classid" | "icon" => {
                resource(base, &what, &a.value, out);
                if matches!(
                    (tag, a.name.as_str()),
                    ("iframe" | "frame" | "embed", "src") | ("object", "data")
                ) {
                    inner_document(base, &what, &a.value, depth, out);
                }
            }
            // Browsers read `srcset` on these two only (`<image>` becomes
            // `<img>` in the tree).
            "srcset" if !matches!(tag, "img" | "source") => {}
            "srcset" => {
                for url in srcset(&a.value) {
                    resource(base, &what, url, out);
                }
            }
            "ping" => {
                for url in a.value.split_ascii_whitespace() {
                    resource(base, &what, url, out);
                }
            }
            "srcdoc" if tag == "iframe" && depth < MAX_DEPTH => {
                let mut inner = Problems::new();
                html::check(&a.value, base, depth + 1, &mut inner);
                out.extend(
                    inner
                        .into_iter()
                        .map(|p| format!("in <iframe srcdoc>: {p}")),
                );
            }
            "content" if tag == "meta" => {
                let refresh =
                    get("http-equiv").is_some_and(|h| h.trim().eq_ignore_ascii_case("refresh"));
                let starts_with_time = a
                    .value
                    .trim_start_matches(|c: char| c.is_ascii_whitespace())
                    .starts_with(|c: char| c.is_ascii_digit() || c == '.');
                if refresh && starts_with_time {
                    // Every word of it, which is stricter than the
                    // standard's reading of the URL after the time.
                    for word in a
                        .value
                        .split(|c: char| c.is_ascii_whitespace() || matches!(c, ';' | ',' | '='))
                    {
                        let word = word.trim_matches(|c| c == '"' || c == '\'');
                        if !word.is_empty() {
                            resource(base, "<meta http-equiv=refresh>", word, out);
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

fn svg_element<'a>(
    tag: &str,
    attrs: &'a [Attribute],
    get: &dyn Fn(&str) -> Option<&'a str>,
    base: &Url,
    depth: usize,
    out: &mut Problems,
) {
    for a in attrs {
        let what = format!("<svg:{tag} {}>", a.name);
        match a.name.as_str() {
            "href" | "xlink:href" if tag == "a" => link(base, &what, &a.value, out),
            "href" | "xlink:href" => {
                resource(base, &what, &a.value, out);
                if tag != "image" && tag != "feimage" {
                    inner_document(base, &what, &a.value, depth, out);
                }
            }
            "style" => {}
            name if name.starts_with("on") => {}
            // Presentation attributes are CSS values: `fill="url(…)"`.
            name if a.value.contains('(') => {
                let declaration = format!("{name}: {}", a.value);
                css::check(&declaration, css::Kind::Declarations, base, depth, out);
            }
            _ => {}
        }
    }
    if ANIMATIONS.contains(&tag) {
        let target = get("attributename")
            .map(|n| n.trim().to_ascii_lowercase())
            .unwrap_or_default();
        if target.ends_with("href") || target == "src" {
            for name in ["to", "from", "by", "values"] {
                if let Some(value) = get(name) {
                    for item in value.split(';') {
                        let item = item.trim();
                        if !item.is_empty() {
                            resource(base, &format!("<svg:{tag} {name}>"), item, out);
                        }
                    }
                }
            }
        }
    }
}

/// The URLs of a `srcset`, split as the HTML standard says (candidates by
/// commas, each a URL then descriptors, commas in parentheses kept).
pub fn srcset(value: &str) -> Vec<&str> {
    let is_space = |c: char| matches!(c, ' ' | '\t' | '\n' | '\x0C' | '\r');
    let mut urls = Vec::new();
    let mut position = 0;
    let bytes = value.as_bytes();
    loop {
        while position < bytes.len()
            && (is_space(bytes[position] as char) || bytes[position] == b',')
        {
            position += 1;
        }
        if position >= bytes.len() {
            return urls;
        }
        let start = position;
        while position < bytes.len() && !is_space(bytes[position] as char) {
            position += 1;
        }
        let mut url = &value[start..position];
        if url.ends_with(',') {
            url = url.trim_end_matches(',');
            urls.push(url);
            continue;
        }
        urls.push(url);
        // Descriptors: up to a comma outside parentheses.
        let mut in_parens = false;
        while position < bytes.len() {
            match bytes[position] {
                b'(' => in_parens = true,
                b')' => in_parens = false,
                b',' if !in_parens => {
                    position += 1;
                    break;
                }
                _ => {}
            }
            position += 1;
        }
    }
}
