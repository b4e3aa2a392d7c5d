//! The URL every document had under Jekyll 4.3, and the one echt will give
//! it: two functions side by side, so that the import can write an explicit
//! `permalink:` (or an alias) exactly where they differ.
//!
//! Both sides are compared as paths below the site root, percent-decoded:
//! Jekyll writes the file `2015/01/01/Über.html` for the URL
//! `/2015/01/01/%C3%9Cber.html`, and that file is what keeps answering.

use std::sync::LazyLock;

use chrono::{DateTime, Datelike, FixedOffset};
use regex::Regex;

use crate::source::frontmatter::date_from_file_name;
use crate::source::permalink::{Permalink, Values};
use crate::util::slug::slugify as echt_slugify;

/// Jekyll's named permalink styles and the templates of their posts.
pub fn style_template(style: &str) -> Option<&'static str> {
    Some(match style {
        "date" => "/:categories/:year/:month/:day/:title:output_ext",
        "pretty" => "/:categories/:year/:month/:day/:title/",
        "ordinal" => "/:categories/:year/:y_day/:title:output_ext",
        "weekdate" => "/:categories/:year/W:week/:short_day/:title:output_ext",
        "none" => "/:categories/:title:output_ext",
        _ => return None,
    })
}

/// The posts' template of a `permalink:` setting: a style or the pattern.
pub fn post_template(permalink: &str) -> String {
    style_template(permalink).map_or_else(|| permalink.to_string(), str::to_string)
}

/// Jekyll's `add_permalink_suffix`: how pages and collections end, after
/// the site's style.
pub fn add_suffix(template: &str, permalink: &str) -> String {
    let suffix = match permalink {
        "pretty" => "/",
        "date" | "ordinal" | "none" => ":output_ext",
        custom if custom.ends_with('/') => "/",
        custom if custom.ends_with(":output_ext") => ":output_ext",
        _ => "",
    };
    format!("{template}{suffix}")
}

/// How Jekyll's `slugify` treats characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Default,
    Pretty,
}

static DEFAULT_RUN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[^\p{M}\p{L}\p{Nd}]+").unwrap_or_else(|_| unreachable!("a fixed pattern"))
});
static PRETTY_RUN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[^\p{M}\p{L}\p{Nd}._~!$&'()+,;=@]+")
        .unwrap_or_else(|_| unreachable!("a fixed pattern"))
});

/// `Jekyll::Utils.slugify` (4.x): runs of other characters become one
/// hyphen, one hyphen is trimmed at each end, lower case unless `cased`
/// (character by character, as Ruby does: no final sigma).
pub fn jekyll_slugify(text: &str, mode: Mode, cased: bool) -> String {
    let run = match mode {
        Mode::Default => &*DEFAULT_RUN,
        Mode::Pretty => &*PRETTY_RUN,
    };
    let replaced = run.replace_all(text, "-");
    let trimmed = replaced.strip_prefix('-').unwrap_or(&replaced);
    let trimmed = trimmed.strip_suffix('-').unwrap_or(trimmed);
    if cased {
        trimmed.to_string()
    } else {
        lower(trimmed)
    }
}

/// Ruby's `downcase`: character by character.
pub fn lower(text: &str) -> String {
    text.chars().flat_map(char::to_lowercase).collect()
}

/// What kind of document a URL is made for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Post,
    /// A document of the collection with this label.
    Collection(String),
    Page,
}

/// What Jekyll makes a document's URL from.
#[derive(Debug, Clone)]
pub struct Doc {
    pub kind: Kind,
    /// For posts and collection documents, the path inside the collection
    /// without extension (`sub/2016-05-11-x`, `news/2016-05-09-x`); for
    /// pages, the folder (`docs` or ``).
    pub path: String,
    /// Posts: the file name after the date, without extension and trailing
    /// dots; others: the file name without extension.
    pub basename: String,
    /// The whole file name without extension (`:name`).
    pub name: String,
    /// `slug:` of the front matter.
    pub slug: Option<String>,
    /// In the site's time zone.
    pub date: Option<DateTime<FixedOffset>>,
    pub categories: Vec<String>,
    /// `permalink:` of the front matter.
    pub permalink: Option<String>,
    /// Whether the output is HTML (`.html`); other pages keep their
    /// extension.
    pub output_ext: String,
}

/// The problem with a template Jekyll would refuse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownPlaceholder(pub String);

/// The URL Jekyll gives `doc` under `template` (already chosen: the front
/// matter's permalink, the collection's, or the site's), percent-encoded
/// as Jekyll writes it into links.
pub fn jekyll_url(doc: &Doc, template: &str) -> Result<String, UnknownPlaceholder> {
    let mut out = String::new();
    let mut rest = template;
    while let Some(at) = rest.find(':') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let len = after
            .bytes()
            .take_while(|b| b.is_ascii_lowercase() || *b == b'_')
            .count();
        if len == 0 {
            out.push(':');
            rest = after;
            continue;
        }
        let name = &after[..len];
        let (value, used) = match placeholder(doc, name) {
            Some(v) => (v, len),
            None => match name.strip_suffix('_').and_then(|n| placeholder(doc, n)) {
                Some(v) => (v, len - 1),
                None => return Err(UnknownPlaceholder(name.to_string())),
            },
        };
        out.push_str(&escape_path(&value));
        rest = &after[used..];
    }
    out.push_str(rest);
    Ok(sanitize(&squeeze(&out)))
}

/// The value of one placeholder, or None when Jekyll has no such key.
fn placeholder(doc: &Doc, name: &str) -> Option<String> {
    let page = doc.kind == Kind::Page;
    let value = match name {
        "path" => doc.path.clone(),
        "basename" if page => doc.basename.clone(),
        "output_ext" => doc.output_ext.clone(),
        _ if page => return None,
        "collection" => match &doc.kind {
            Kind::Collection(label) => label.clone(),
            _ => "posts".to_string(),
        },
        "title" => jekyll_slugify(
            doc.slug.as_deref().unwrap_or(&doc.basename),
            Mode::Pretty,
            true,
        ),
        "slug" => jekyll_slugify(
            doc.slug.as_deref().unwrap_or(&doc.basename),
            Mode::Default,
            false,
        ),
        "name" => jekyll_slugify(&doc.name, Mode::Default, false),
        "categories" => categories(&doc.categories),
        "slugified_categories" => doc
            .categories
            .iter()
            .map(|c| jekyll_slugify(c, Mode::Default, false))
            .collect::<Vec<_>>()
            .join("/"),
        date => return date_placeholder(doc.date.as_ref(), date),
    };
    Some(value)
}

/// `:categories`: each lower-cased (not slugified), once, joined by `/`.
pub fn categories(categories: &[String]) -> String {
    let mut seen: Vec<String> = Vec::new();
    for c in categories {
        let c = lower(c);
        if !seen.contains(&c) {
            seen.push(c);
        }
    }
    seen.join("/")
}

/// The date placeholders, formatted as Ruby's strftime does (C locale).
fn date_placeholder(date: Option<&DateTime<FixedOffset>>, name: &str) -> Option<String> {
    let format = match name {
        "year" => "%Y",
        "short_year" => "%y",
        "month" => "%m",
        "i_month" => return Some(date.map(|d| d.month().to_string()).unwrap_or_default()),
        "short_month" => "%b",
        "long_month" => "%B",
        "day" => "%d",
        "i_day" => return Some(date.map(|d| d.day().to_string()).unwrap_or_default()),
        "y_day" => "%j",
        "hour" => "%H",
        "minute" => "%M",
        "second" => "%S",
        "w_year" => "%G",
        "week" => "%V",
        "w_day" => {
            return Some(
                date.map(|d| d.weekday().number_from_monday().to_string())
                    .unwrap_or_default(),
            )
        }
        "short_day" => "%a",
        "long_day" => "%A",
        _ => return None,
    };
    Some(
        date.map(|d| d.format(format).to_string())
            .unwrap_or_default(),
    )
}

/// `Jekyll::URL.escape_path`: left alone when plain, else percent-encoded
/// except for what a URI may hold (Addressable keeps `?` too), then `#`.
pub fn escape_path(value: &str) -> String {
    let plain = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'/' | b'-');
    if !value.is_empty() && value.bytes().all(plain) {
        return value.to_string();
    }
    let keep = |b: u8| {
        b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'-' | b'.'
                    | b'_'
                    | b'~'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b':'
                    | b'@'
                    | b'/'
                    | b'?'
            )
    };
    let mut out = String::new();
    for b in value.bytes() {
        if keep(b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The inverse of [`escape_path`]: the bytes of the file Jekyll writes.
pub fn unescape(url: &str) -> String {
    let bytes = url.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push(u8::try_from(h * 16 + l).unwrap_or(b'?'));
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn squeeze(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        if !(c == '/' && out.ends_with('/')) {
            out.push(c);
        }
    }
    out
}

/// `Jekyll::URL#sanitize_url`: a leading `/`, no `..` or `./`, no `//`.
fn sanitize(url: &str) -> String {
    let url = url.replace("..", "/").replace("./", "");
    squeeze(&format!("/{url}"))
}

/// The output file below the site root that answers `url` (decoded), and
/// whether the URL itself names it (false for extensionless URLs, which
/// only answer where the server adds `.html`).
pub fn file_of(url: &str) -> (String, bool) {
    let path = unescape(url);
    let path = path.trim_start_matches('/');
    if path.is_empty() || path.ends_with('/') {
        (format!("{path}index.html"), true)
    } else if has_extension(path) {
        (path.to_string(), true)
    } else {
        (format!("{path}.html"), false)
    }
}

/// Whether the last segment of a path has an extension (`.html`, `.xml`).
pub fn has_extension(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or(path);
    last.rsplit_once('.')
        .is_some_and(|(stem, ext)| !stem.is_empty() && !ext.is_empty())
}

/// What echt makes a post's URL from, with the front matter the import
/// writes.
#[derive(Debug, Clone)]
pub struct EchtPost<'a> {
    /// The new file's stem (`2014-07-07-titel`).
    pub stem: &'a str,
    pub slug: Option<&'a str>,
    pub date: Option<DateTime<FixedOffset>>,
    pub categories: &'a [String],
}

/// The path echt gives a post under the site's `permalink:` (echt's own
/// code), decoded, below the site root (`2014/07/07/titel.html`,
/// `posts/titel/`); None for a setting echt refuses.
pub fn echt_post_path(post: &EchtPost<'_>, permalink: &str) -> Option<String> {
    let pattern = Permalink::parse(permalink).ok()?;
    let stem = date_from_file_name(post.stem).map_or(post.stem, |(_, rest)| rest);
    let chosen = post.slug.map(echt_slugify).filter(|s| !s.is_empty());
    let slug = chosen.unwrap_or_else(|| echt_slugify(stem));
    if pattern.needs_date() && post.date.is_none() {
        return None;
    }
    Some(pattern.expand(&Values {
        date: post.date,
        slug: &slug,
        name: post.slug.unwrap_or(stem),
        categories: post.categories,
    }))
}

/// Whether echt's patterns may hold `c` as it is (what a URL path can
/// carry unescaped, letters of any script included).
fn echt_allows(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || "/-._~!$&'()*+,;=:@".contains(c)
    } else {
        !c.is_whitespace() && !c.is_control()
    }
}

/// Whether a decoded path can be written as an echt `permalink:` as it is
/// (no placeholder, nothing a URL path would have to escape).
pub fn permalink_safe(path: &str) -> bool {
    !path.contains(':') && path.chars().all(echt_allows)
}

/// The placeholders an echt permalink pattern may use.
pub const ECHT_PLACEHOLDERS: &[&str] = &[
    "y_day",
    "year",
    "month",
    "day",
    "i_month",
    "i_day",
    "slug",
    "title",
    "categories",
];

/// What echt.yaml's `permalink:` says for the old site's setting: the
/// same style or pattern where echt can follow it (`:output_ext` is
/// `.html`, an extensionless pattern becomes a folder), else None (echt's
/// default, and every post gets its own permalink).
pub fn echt_setting(permalink: &str) -> Option<String> {
    if matches!(permalink, "date" | "pretty" | "ordinal" | "none") {
        return Some(permalink.to_string());
    }
    let pattern = permalink.replace(":output_ext", ".html");
    let mut rest = pattern.as_str();
    while let Some(at) = rest.find(':') {
        let after = &rest[at + 1..];
        let len = after
            .bytes()
            .take_while(|b| b.is_ascii_lowercase() || *b == b'_')
            .count();
        if !ECHT_PLACEHOLDERS.contains(&&after[..len]) {
            return None;
        }
        rest = &after[len..];
    }
    if !pattern.starts_with('/') {
        return None;
    }
    let pattern = if pattern.ends_with('/') || pattern.ends_with(".html") {
        pattern
    } else if has_extension(&pattern) {
        return None;
    } else {
        format!("{pattern}/")
    };
    Permalink::parse(&pattern).ok().map(|_| pattern)
}

/// The path echt gives a page at `rel` below `content/` (`über uns.md` →
/// `ueber-uns/`), `slug:` in place of the name.
pub fn echt_page_path(rel: &str, slug: Option<&str>) -> String {
    let slug = slug.map(echt_slugify).filter(|s| !s.is_empty());
    crate::site::page_path(rel, slug.as_deref())
}

/// The decoded path below the site root of a Jekyll URL, in echt's terms:
/// `a/b/` for a folder, `a/b.html` for a file; an extensionless URL has
/// none (it needs a folder and an alias).
pub fn decoded_path(url: &str) -> String {
    unescape(url).trim_start_matches('/').to_string()
}

static DATE_FILE_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{2,4})-(\d{1,2})-(\d{1,2})-([^/]*)(\.[^./]+)$")
        .unwrap_or_else(|_| unreachable!("a fixed pattern"))
});

/// What a post's place tells: `news/_posts/sub/2016-05-09-x.md`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostName {
    /// The folders above `_posts` (`news`), which are categories.
    pub folder_categories: Vec<String>,
    /// `:path`: inside the collection, without `_posts` and extension.
    pub path: String,
    /// Year, month, day of the file name.
    pub date: (i32, u32, u32),
    /// After the date, without extension and trailing dots.
    pub basename: String,
    /// The file name without extension (`:name`).
    pub name: String,
    /// The extension with its dot.
    pub ext: String,
}

/// Reads a post's path relative to the site root (with its `_posts` or
/// `_drafts` folder); None when the file name has no date, which Jekyll
/// skips silently (a draft's date is then the file's time).
pub fn post_name(rel: &str, folder: &str) -> Option<PostName> {
    let (above, inside) = match rel.split_once(&format!("{folder}/")) {
        Some((above, inside)) if above.is_empty() || above.ends_with('/') => (above, inside),
        _ => return None,
    };
    let file = inside.rsplit('/').next().unwrap_or(inside);
    let caps = DATE_FILE_NAME.captures(file)?;
    let number = |i: usize| caps.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
    let year = i32::try_from(number(1)?).ok()?;
    let date = (year, number(2)?, number(3)?);
    let rest = caps.get(4).map_or("", |m| m.as_str());
    let ext = caps.get(5).map_or("", |m| m.as_str());
    let stem = &file[..file.len() - ext.len()];
    let inside_stem = &inside[..inside.len() - ext.len()];
    Some(PostName {
        folder_categories: above
            .split('/')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        path: squeeze(&format!("{above}/{}", inside_stem.trim_end_matches('.')))
            .trim_start_matches('/')
            .to_string(),
        date,
        basename: rest.trim_end_matches('.').to_string(),
        name: stem.to_string(),
        ext: ext.to_string(),
    })
}

#[cfg(test)]
mod tests;
