//! Files copied into the site (from `static/`, a theme's `static/`, a post
//! bundle), audited by what they are, not by their names alone.
//!
//! A browser shows an HTML, XHTML, XML or SVG file as a document when a
//! page frames it or a reader opens it, with no policy of echt's around it;
//! a stylesheet loads what it names. So every such file is read by the
//! reader for its kind, and a file whose name says nothing (no extension,
//! an unknown one) is sniffed the way a browser sniffs content that comes
//! without a type. Text must be UTF-8 (stylesheets may say otherwise with a
//! byte order mark or `@charset`, which is followed); what cannot be read
//! with certainty is refused. Fonts, media and archives are only weighed:
//! a browser never runs or follows anything in them. Images (known by
//! their bytes, whatever their names) are read for location data
//! (`location`), unless echt.yaml keeps a file's metadata.

use std::path::Path;

use super::rules::Checker;
use super::{css, html, in_source, location, xml, At, Context, FileFacts, Page};
use crate::util::error::{Diagnostic, Severity};

/// What a copied file is to a browser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nature {
    Html,
    /// XHTML, SVG, feeds and other XML.
    Xml,
    Css,
    /// A web app manifest (JSON that names icons and pages).
    Manifest,
    /// Never run nor followed: images, fonts, media, archives, text.
    Inert,
    /// Not known by name: look at the first bytes.
    Unknown,
    /// A kind echt cannot read, with why.
    Refused(&'static str),
}

/// The nature of `file` by its name. Every extension counts, as for
/// Apache, which serves `seite.html.de` as HTML: a document or stylesheet
/// extension anywhere in the name decides; else the last one.
pub fn nature_by_name(file: &str) -> Nature {
    let name = file.rsplit('/').next().unwrap_or(file);
    let mut extensions = name.split('.').skip(1).filter(|e| !e.is_empty());
    if name.starts_with('.') {
        extensions.next();
    }
    let natures: Vec<Nature> = extensions.map(nature_of_extension).collect();
    natures
        .iter()
        .find(|n| !matches!(n, Nature::Inert | Nature::Unknown))
        .or(natures.last())
        .copied()
        .unwrap_or(Nature::Unknown)
}

/// The nature of one file name extension.
fn nature_of_extension(extension: &str) -> Nature {
    let extension = extension.to_ascii_lowercase();
    match extension.as_str() {
        "html" | "htm" | "shtml" | "shtm" => Nature::Html,
        "xhtml" | "xht" | "xml" | "svg" | "xsl" | "xslt" | "rss" | "atom" | "rdf" | "mml"
        | "kml" | "opml" => Nature::Xml,
        "css" => Nature::Css,
        "webmanifest" => Nature::Manifest,
        "svgz" => Nature::Refused(
            "a compressed SVG (.svgz), which echt cannot read; save it as plain .svg",
        ),
        "mht" | "mhtml" => Nature::Refused(
            "a web archive (.mht), which a browser may open as a page echt cannot read",
        ),
        "swf" | "xap" | "jar" | "class" => {
            Nature::Refused("a plugin file, which no browser should run")
        }
        "png" | "jpg" | "jpeg" | "gif" | "webp" | "avif" | "ico" | "bmp" | "tif" | "tiff"
        | "heic" | "jxl" | "woff" | "woff2" | "ttf" | "otf" | "eot" | "mp4" | "webm" | "mov"
        | "m4v" | "ogv" | "mp3" | "m4a" | "ogg" | "oga" | "opus" | "wav" | "flac" | "vtt"
        | "srt" | "zip" | "gz" | "tgz" | "bz2" | "xz" | "7z" | "tar" | "rar" | "pdf" | "epub"
        | "txt" | "md" | "markdown" | "json" | "js" | "mjs" | "map" | "csv" | "tsv" | "asc"
        | "gpg" | "pub" | "key" | "sig" | "ics" | "vcf" | "doc" | "docx" | "odt" | "xls"
        | "xlsx" | "ods" | "ppt" | "pptx" | "odp" | "psd" | "ai" | "eps" | "raw" | "dng" => {
            Nature::Inert
        }
        _ => Nature::Unknown,
    }
}

/// What a file with no telling name is, by its first bytes, following the
/// WHATWG "rules for identifying an unknown MIME type".
pub fn sniff(head: &[u8]) -> Nature {
    let start = head
        .iter()
        .position(|b| !matches!(b, b'\t' | b'\n' | b'\x0C' | b'\r' | b' '))
        .unwrap_or(head.len());
    let rest = &head[start..];
    let starts = |tag: &[u8]| {
        rest.len() > tag.len()
            && rest[..tag.len()].eq_ignore_ascii_case(tag)
            && matches!(rest[tag.len()], b' ' | b'>')
    };
    const HTML_TAGS: &[&[u8]] = &[
        b"<!doctype html",
        b"<html",
        b"<head",
        b"<script",
        b"<iframe",
        b"<h1",
        b"<div",
        b"<font",
        b"<table",
        b"<a",
        b"<style",
        b"<title",
        b"<b",
        b"<body",
        b"<br",
        b"<p",
        b"<!--",
    ];
    if HTML_TAGS.iter().any(|tag| starts(tag)) || rest.starts_with(b"<!--") {
        return Nature::Html;
    }
    if rest.starts_with(b"<?xml") || starts(b"<svg") || starts(b"<rss") || starts(b"<feed") {
        return Nature::Xml;
    }
    if head.starts_with(&[0xFE, 0xFF]) || head.starts_with(&[0xFF, 0xFE]) {
        return Nature::Refused("UTF-16 text, which echt cannot check; save it as UTF-8");
    }
    Nature::Inert
}

/// How many bytes of `file` the audit reads at first (None: all of
/// them). Every file's start is read, since an image is known by its
/// bytes, not its name; [`needs_all`] says whether the rest is needed.
pub fn needs_reading(file: &str) -> Option<usize> {
    match nature_by_name(file) {
        Nature::Inert | Nature::Unknown => Some(1024),
        _ => None,
    }
}

/// Whether the audit needs all of `file`, whose first bytes are `head`:
/// an image (read for location data), or a file of unknown kind whose
/// start looks like a document.
pub fn needs_all(file: &str, head: &[u8]) -> bool {
    location::sniff(head).is_some()
        || (nature_by_name(file) == Nature::Unknown && sniff(head) != Nature::Inert)
}

/// Audits a file copied into the site as `file` from `shown`; `bytes`
/// are its contents (or their start, for a file [`needs_all`] says is
/// not needed whole), `size` its full size.
pub fn copied(cx: &Context<'_>, file: &str, bytes: &[u8], size: u64, shown: &Path) -> FileFacts {
    let mut facts = by_nature(cx, file, bytes, size, shown);
    facts
        .problems
        .extend(location_problem(cx, file, bytes, size, shown));
    facts
}

/// The location data of an image that echt would publish, as an error.
fn location_problem(
    cx: &Context<'_>,
    file: &str,
    bytes: &[u8],
    size: u64,
    shown: &Path,
) -> Option<Diagnostic> {
    let kind = location::sniff(bytes)?;
    if cx.policy.keeps_metadata(shown) {
        return None;
    }
    let mut reading = if (bytes.len() as u64) < size {
        location::Reading {
            unreadable: Some(format!(
                "only {} of its {size} bytes were read",
                bytes.len()
            )),
            ..location::Reading::default()
        }
    } else {
        location::read(kind, bytes)
    };
    let allow = format!(
        "to publish it as it is, metadata and all, allow it in echt.yaml: `privacy: {{keep_metadata: [{}]}}`",
        shown.display()
    );
    let cleaned = matches!(
        kind,
        location::Kind::Jpeg | location::Kind::Png | location::Kind::Webp | location::Kind::Gif
    );
    let remedy = if cleaned {
        "echt removes this from JPEG, PNG, WebP and GIF files, but could not here"
    } else {
        "echt removes metadata from JPEG, PNG, WebP and GIF files only: export the picture as one of those"
    };
    let message = match (reading.found.is_empty(), reading.unreadable.take()) {
        (false, _) => format!(
            "/{file} carries location data ({kind}): {}",
            reading.found.join("; ")
        ),
        (true, Some(why)) => format!("/{file} ({kind}) cannot be checked for location data: {why}"),
        (true, None) => return None,
    };
    Some(Diagnostic::file(shown, message).hint(format!("{remedy}; {allow}")))
}

/// The verdict on a copied file by what it is to a browser.
fn by_nature(cx: &Context<'_>, file: &str, bytes: &[u8], size: u64, shown: &Path) -> FileFacts {
    let nature = match nature_by_name(file) {
        Nature::Unknown => sniff(bytes),
        nature => nature,
    };
    let page = Page::new(cx.policy, file);
    let mut checker = Checker::new(cx.policy, &page).copied();
    let refuse = |why: &str| FileFacts {
        size,
        problems: vec![
            Diagnostic::file(shown, format!("echt cannot check this file: {why}")).hint(
                "echt publishes nothing it cannot check; remove the file or save it as plain UTF-8",
            ),
        ],
        ..FileFacts::default()
    };
    let text = match nature {
        Nature::Inert => {
            return FileFacts {
                size,
                ..FileFacts::default()
            }
        }
        Nature::Refused(why) => return refuse(why),
        Nature::Css => match decode_css(bytes) {
            Ok(text) => text,
            Err(why) => return refuse(why),
        },
        _ => match decode_utf8(bytes) {
            Ok(text) => text,
            Err(why) => return refuse(why),
        },
    };
    match nature {
        Nature::Html => {
            html::judge_document(&mut checker, &text);
        }
        Nature::Xml => xml::judge(&mut checker, &text, xml::Kind::Document),
        Nature::Css => checker.stylesheet(&text, &At::Span(0..0), css::Kind::Stylesheet, ""),
        Nature::Manifest => manifest(&mut checker, &text),
        _ => {}
    }
    // Unlike the pages echt writes, a copied document keeps its links as
    // they are; a broken one is worth a look, not a failed build.
    let broken = if matches!(nature, Nature::Html | Nature::Xml) {
        Severity::Warning
    } else {
        Severity::Error
    };
    in_source(cx, &text, shown, checker, size, broken)
}

/// Text that must be UTF-8 (with or without a byte order mark).
fn decode_utf8(bytes: &[u8]) -> Result<String, &'static str> {
    if bytes.starts_with(&[0xFE, 0xFF]) || bytes.starts_with(&[0xFF, 0xFE]) {
        return Err("it is UTF-16 text; save it as UTF-8");
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|_| "it is not valid UTF-8 text")?;
    if text.contains('\0') {
        return Err("it contains NUL characters");
    }
    Ok(text.to_string())
}

/// A stylesheet's text, decoded as a browser decodes it: by its byte
/// order mark, else its `@charset`, else as UTF-8.
pub(crate) fn decode_css(bytes: &[u8]) -> Result<String, &'static str> {
    let (encoding, body) = match encoding_rs::Encoding::for_bom(bytes) {
        Some((encoding, bom)) => (encoding, &bytes[bom..]),
        None => (charset_rule(bytes).unwrap_or(encoding_rs::UTF_8), bytes),
    };
    // A stateful encoding turns quotes into text: what the audit reads as
    // a string could be markup to a browser.
    if encoding == encoding_rs::ISO_2022_JP {
        return Err(
            "it is written in ISO-2022-JP, which echt cannot read with certainty; save it as UTF-8",
        );
    }
    let (text, malformed) = encoding.decode_without_bom_handling(body);
    if malformed {
        return Err("its text is not valid in the encoding it says it has");
    }
    if text.contains('\0') {
        return Err("it contains NUL characters (is it UTF-16 without a byte order mark?)");
    }
    Ok(text.into_owned())
}

/// The encoding a stylesheet names in an `@charset "…";` rule at its very
/// start (UTF-16 names mean UTF-8 there, as the CSS standard says).
fn charset_rule(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let rest = bytes.strip_prefix(b"@charset \"")?;
    let end = rest.iter().position(|&b| b == b'"')?;
    if rest.get(end + 1) != Some(&b';') {
        return None;
    }
    let encoding = encoding_rs::Encoding::for_label(&rest[..end])?;
    if encoding == encoding_rs::UTF_16BE || encoding == encoding_rs::UTF_16LE {
        Some(encoding_rs::UTF_8)
    } else {
        Some(encoding)
    }
}

/// A web app manifest: every URL in it (icons, screenshots, start page,
/// shortcuts) is something a browser may fetch.
fn manifest(checker: &mut Checker<'_>, text: &str) {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(text) else {
        checker.find(
            Severity::Error,
            "this web app manifest is not valid JSON, so echt cannot check it".into(),
            "",
            At::Span(0..0),
            Vec::new(),
        );
        return;
    };
    let mut todo = vec![&value];
    while let Some(next) = todo.pop() {
        match next {
            serde_json::Value::String(s) if s.contains("//") || s.contains(':') => {
                let at = super::rules::Attr {
                    name: "src".into(),
                    value: s.as_str().into(),
                    raw: s.as_str().into(),
                    at: At::Span(text.find(s.as_str()).map_or(0..0, |i| i..i + s.len())),
                };
                checker.resource("the web app manifest", &at, s);
            }
            serde_json::Value::Array(items) => todo.extend(items),
            serde_json::Value::Object(map) => todo.extend(map.values()),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natures_by_name_and_by_content() {
        assert_eq!(nature_by_name("a/b.HTML"), Nature::Html);
        assert_eq!(nature_by_name("x.xhtml"), Nature::Xml);
        assert_eq!(nature_by_name("logo.svg"), Nature::Xml);
        assert_eq!(nature_by_name("bild.png"), Nature::Inert);
        assert_eq!(nature_by_name("README"), Nature::Unknown);
        assert_eq!(nature_by_name(".htaccess"), Nature::Unknown);
        assert_eq!(nature_by_name("seite.php"), Nature::Unknown);
        assert_eq!(nature_by_name("seite.html.de"), Nature::Html);
        assert_eq!(nature_by_name("bild.de.png"), Nature::Inert);
        assert_eq!(nature_by_name("archiv.tar.gz"), Nature::Inert);
        assert_eq!(sniff(b"  <!DOCTYPE html><p>x"), Nature::Html);
        assert_eq!(sniff(b"<script>x</script>"), Nature::Html);
        assert_eq!(sniff(b"<?xml version=\"1.0\"?><x/>"), Nature::Xml);
        assert_eq!(
            sniff(b"<svg xmlns=\"http://www.w3.org/2000/svg\">"),
            Nature::Xml
        );
        assert_eq!(sniff(b"\x89PNG\r\n"), Nature::Inert);
        assert_eq!(sniff(b"Hallo Welt"), Nature::Inert);
    }

    #[test]
    fn stylesheets_are_decoded_as_browsers_do() {
        assert_eq!(decode_css(b"a{}").as_deref(), Ok("a{}"));
        assert_eq!(
            decode_css(b"@charset \"iso-8859-1\"; a{content:\"\xE4\"}").as_deref(),
            Ok("@charset \"iso-8859-1\"; a{content:\"ä\"}")
        );
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("a{b:url(x)}".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode_css(&utf16).as_deref(), Ok("a{b:url(x)}"));
        assert!(decode_css(b"a{b:\xFF}").is_err());
        assert!(decode_css(b"a\0{\0").is_err());
    }
}
