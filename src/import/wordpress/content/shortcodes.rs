//! WordPress shortcodes: `[caption]` becomes a figure with its caption,
//! `[gallery]` the images it showed, `[embed]` and `[youtube]` a link,
//! `[audio]` and `[video]` the player (made local, or a link, by the media
//! step). Any other shortcode stays visible as text and is noted; nothing
//! is changed inside `<pre>` and `<code>`, and `[[name]]` (WordPress's way
//! of writing a shortcode as text) becomes `[name]`.

use crate::import::jekyll::content::words::{What, Words};
use crate::import::mapped::Out;
use crate::util::escape;

use super::{changed, review, Media, RawNote};

/// The shortcodes this step converts.
#[cfg(test)]
pub(super) const KNOWN: &[&str] = &[
    "caption",
    "wp_caption",
    "gallery",
    "embed",
    "youtube",
    "audio",
    "video",
];

/// One shortcode as written.
struct Shortcode<'i> {
    name: &'i str,
    /// Named attributes, and positional ones under `""`.
    attrs: Vec<(String, String)>,
    /// What stands between `[name]` and `[/name]`.
    content: Option<&'i str>,
    end: usize,
}

impl Shortcode<'_> {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| a.0 == name)
            .map(|a| a.1.as_str())
    }
}

/// The shortcode step over one text.
pub(super) fn run(input: &str, language: &str, media: &dyn Media) -> (Out, Vec<RawNote>) {
    let words = Words::new(language);
    let skip = code_ranges(input);
    let mut out = Out::default();
    let mut notes = Vec::new();
    let mut copied = 0;
    let mut i = 0;
    while let Some(found) = input[i..].find('[') {
        let at = i + found;
        i = at + 1;
        if skip.iter().any(|r| r.contains(&at)) {
            continue;
        }
        if let Some(end) = escaped(input, at) {
            out.copy(input, copied..at);
            out.copy(input, at + 1..end - 1);
            copied = end;
            i = end;
            continue;
        }
        let Some(sc) = parse(input, at) else { continue };
        let replacement = convert(&sc, at, words, media, &mut notes);
        if let Some(text) = replacement {
            out.copy(input, copied..at);
            out.insert(&text, at);
            copied = sc.end;
            i = sc.end;
        }
    }
    out.copy(input, copied..input.len());
    (out, notes)
}

/// The end of `[[name …]]` at `at`.
fn escaped(input: &str, at: usize) -> Option<usize> {
    let rest = input.get(at..)?;
    if !rest.starts_with("[[") || !rest[2..].starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let close = rest.find("]]")?;
    (!rest[..close].contains('\n')).then_some(at + close + 2)
}

/// The byte ranges of `<pre>…</pre>` and `<code>…</code>`.
fn code_ranges(input: &str) -> Vec<std::ops::Range<usize>> {
    let lower = input.to_ascii_lowercase();
    let mut ranges = Vec::new();
    for (open, close) in [("<pre", "</pre>"), ("<code", "</code>")] {
        let mut from = 0;
        while let Some(found) = lower[from..].find(open) {
            let start = from + found;
            let end = lower[start..]
                .find(close)
                .map_or(input.len(), |e| start + e + close.len());
            ranges.push(start..end);
            from = end.max(start + 1);
        }
    }
    ranges
}

/// The shortcode at `at` (which holds `[`).
fn parse(input: &str, at: usize) -> Option<Shortcode<'_>> {
    let rest = &input[at + 1..];
    let name_len = rest
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
        .count();
    if name_len == 0 || !rest.as_bytes()[0].is_ascii_alphabetic() {
        return None;
    }
    let name = &rest[..name_len];
    let after = &rest[name_len..];
    if !after.starts_with([' ', ']', '/', '=', '\t']) {
        return None;
    }
    let close = after.find(']')?;
    let attr_text = &after[..close];
    if attr_text.contains(['[', '\n']) && !attr_text.starts_with('=') {
        return None;
    }
    let self_closing = attr_text.trim_end().ends_with('/');
    let attrs = attributes(attr_text.trim_end_matches('/'));
    let mut end = at + 1 + name_len + close + 1;
    let mut content = None;
    if !self_closing {
        let closer = format!("[/{name}]");
        if let Some(c) = input[end..].find(&closer) {
            content = Some(&input[end..end + c]);
            end += c + closer.len();
        }
    }
    Some(Shortcode {
        name,
        attrs,
        content,
        end,
    })
}

/// `key="v" key='v' key=v v "v"`; WordPress.com's `=URL` as positional.
fn attributes(text: &str) -> Vec<(String, String)> {
    let mut attrs = Vec::new();
    let mut rest = text.trim_start();
    if let Some(value) = rest.strip_prefix('=') {
        attrs.push((String::new(), value.trim().to_string()));
        return attrs;
    }
    while !rest.is_empty() {
        let key_len = rest
            .find(|c: char| c.is_whitespace() || c == '=' || c == '"' || c == '\'')
            .unwrap_or(rest.len());
        let (key, after) = rest.split_at(key_len);
        let is_name = key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'));
        if !is_name {
            // A positional value such as an address, `=` and all.
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            attrs.push((String::new(), rest[..end].to_string()));
            rest = rest[end..].trim_start();
            continue;
        }
        let (key, value_text) = match after.strip_prefix('=') {
            Some(v) => (key.to_ascii_lowercase(), v),
            None if key.is_empty() => (String::new(), after),
            None => {
                attrs.push((String::new(), key.to_string()));
                rest = after.trim_start();
                continue;
            }
        };
        let (value, remaining) = match value_text.chars().next() {
            Some(q @ ('"' | '\'')) => {
                let inner = &value_text[1..];
                let close = inner.find(q).unwrap_or(inner.len());
                (&inner[..close], inner.get(close + 1..).unwrap_or(""))
            }
            _ => {
                let end = value_text
                    .find(char::is_whitespace)
                    .unwrap_or(value_text.len());
                value_text.split_at(end)
            }
        };
        attrs.push((key, value.to_string()));
        if remaining.len() == rest.len() {
            break;
        }
        rest = remaining.trim_start();
    }
    attrs
}

/// The text that replaces a shortcode; None to keep it.
fn convert(
    sc: &Shortcode<'_>,
    at: usize,
    words: Words,
    media: &dyn Media,
    notes: &mut Vec<RawNote>,
) -> Option<String> {
    match sc.name.to_ascii_lowercase().as_str() {
        "caption" | "wp_caption" => caption(sc, at, notes),
        "gallery" => Some(gallery(sc, at, media, notes)),
        "embed" | "youtube" => {
            let url = sc
                .attr("")
                .or(sc.attr("url"))
                .or(sc.content)
                .map(crate::import::html::url)
                .filter(|u| u.starts_with("http"))?;
            let url = without_player_size(&url);
            let url = url.as_str();
            notes.push(changed(at, format!("[{}] became a link to {url}", sc.name)));
            Some(format!(
                "<a href=\"{}\">{}</a>",
                escape::html(url),
                escape::html(&link_words(url, words))
            ))
        }
        "audio" | "video" => player(sc, at, notes),
        _ => {
            let noted =
                sc.content.is_some() || !sc.attrs.is_empty() || sc.name.contains(['-', '_']);
            if noted {
                notes.push(review(
                    at,
                    format!(
                        "shortcode [{}] is not known to the import: kept as text",
                        sc.name
                    ),
                ));
            }
            None
        }
    }
}

/// "Video on YouTube" for a YouTube address, the address for others.
fn link_words(url: &str, words: Words) -> String {
    let host = url.split('/').nth(2).unwrap_or("").to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    match host {
        "youtube.com" | "youtu.be" | "m.youtube.com" => words.on(What::Video, "YouTube"),
        "vimeo.com" => words.on(What::Video, "Vimeo"),
        _ => url.to_string(),
    }
}

/// `[caption]<img …> Text[/caption]` (or with `caption="Text"`).
fn caption(sc: &Shortcode<'_>, at: usize, notes: &mut Vec<RawNote>) -> Option<String> {
    let content = sc.content?.trim();
    let lower = content.to_ascii_lowercase();
    let img = lower.find("<img")?;
    let img_end = lower[img..].find('>')? + img + 1;
    // The image, with the link around it if there is one.
    let media_end = if lower[..img].trim_start().starts_with("<a") {
        lower[img_end..]
            .find("</a>")
            .map_or(img_end, |e| img_end + e + 4)
    } else {
        img_end
    };
    let media_start = if lower[..img].trim_start().starts_with("<a") {
        0
    } else {
        img
    };
    let text = content[media_end..].trim();
    let text = if text.is_empty() {
        sc.attr("caption").unwrap_or("").trim()
    } else {
        text
    };
    notes.push(changed(
        at,
        "[caption] became a figure with its caption".into(),
    ));
    let caption = if text.is_empty() {
        String::new()
    } else {
        format!("\n<figcaption>{text}</figcaption>")
    };
    Some(format!(
        "<figure>\n{}{caption}\n</figure>",
        content[media_start..media_end].trim()
    ))
}

/// `[gallery ids="1,2"]`, or the post's own attachments without `ids`.
/// Jetpack's `[youtube URL&w=640&h=360]` sizes the player in the address;
/// the link goes to the video alone.
fn without_player_size(url: &str) -> String {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let (base, extra) = match base.split_once('&') {
        Some((b, rest)) => (b, rest),
        None => (base, ""),
    };
    let kept: Vec<&str> = query
        .split('&')
        .chain(extra.split('&'))
        .filter(|p| !p.is_empty() && !p.starts_with("w=") && !p.starts_with("h="))
        .collect();
    if kept.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", kept.join("&"))
    }
}

/// Whether an attachment's address names an image, by its extension.
fn is_image(url: &str) -> bool {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    matches!(
        ext.as_deref(),
        Some("jpg" | "jpeg" | "jpe" | "png" | "gif" | "webp" | "avif" | "bmp" | "svg" | "heic")
    )
}

fn gallery(sc: &Shortcode<'_>, at: usize, media: &dyn Media, notes: &mut Vec<RawNote>) -> String {
    let ids: Vec<u64> = match sc.attr("ids").or(sc.attr("include")) {
        Some(ids) => ids
            .split(',')
            .filter_map(|i| i.trim().parse().ok())
            .collect(),
        None => media.attached(),
    };
    let mut images = Vec::new();
    for id in &ids {
        match media.attachment(*id) {
            // WordPress shows only the images among a post's attachments.
            Some(a) if !is_image(&a.url) => {}
            Some(a) => {
                let alt = if a.caption.is_empty() {
                    &a.title
                } else {
                    &a.caption
                };
                images.push(format!(
                    "<img src=\"{}\" alt=\"{}\">",
                    escape::html(&a.url),
                    escape::html(alt)
                ));
            }
            None => notes.push(review(
                at,
                format!("[gallery] shows attachment {id}, which the export does not have"),
            )),
        }
    }
    notes.push(changed(
        at,
        format!("[gallery] became a gallery of {} images", images.len()),
    ));
    format!(
        "<figure class=\"gallery\">\n{}\n</figure>",
        images.join("\n")
    )
}

/// `[audio src=…]`, `[video mp4=…]`: the player, or nothing to change.
fn player(sc: &Shortcode<'_>, at: usize, notes: &mut Vec<RawNote>) -> Option<String> {
    let keys = [
        "src", "mp3", "m4a", "ogg", "wav", "mp4", "webm", "ogv", "m4v", "mov", "",
    ];
    let src = keys
        .iter()
        .find_map(|k| sc.attr(k))
        .or(sc.content)
        .map(crate::import::html::url)
        .filter(|s| !s.is_empty())?;
    let element = if sc.name.eq_ignore_ascii_case("audio") {
        "audio"
    } else {
        "video"
    };
    notes.push(changed(at, format!("[{}] became a player", sc.name)));
    Some(format!(
        "<{element} controls src=\"{}\"></{element}>",
        escape::html(&src)
    ))
}
