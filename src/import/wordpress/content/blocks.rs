//! Gutenberg's block comments (`<!-- wp:paragraph -->`, self-closing
//! `<!-- wp:spacer /-->`, with their JSON attributes) removed, and the few
//! blocks whose HTML does not say all they are rewritten: code (its
//! language), embeds (a plain link), files (the link, not the button).
//! Every other known block's HTML stays for the Markdown step; an unknown
//! block's HTML stays visible and is noted.

use crate::import::html;
use crate::import::jekyll::content::words::{What, Words};
use crate::import::mapped::Out;
use crate::util::escape;

use super::{changed, inner_text, review, RawNote};

/// Blocks whose HTML the later steps read as it is.
const PLAIN: &[&str] = &[
    "paragraph",
    "heading",
    "list",
    "list-item",
    "quote",
    "pullquote",
    "image",
    "gallery",
    "preformatted",
    "verse",
    "table",
    "separator",
    "columns",
    "column",
    "group",
    "buttons",
    "button",
    "audio",
    "video",
    "more",
    "nextpage",
    "html",
    "shortcode",
    "freeform",
    "missing",
];

/// One block comment.
struct Delimiter {
    range: std::ops::Range<usize>,
    /// Without `core/`.
    name: String,
    attrs: serde_json::Value,
    closer: bool,
    self_closing: bool,
}

/// The block step over one text.
pub(super) fn run(input: &str, language: &str) -> (Out, Vec<RawNote>) {
    let words = Words::new(language);
    let mut out = Out::default();
    let mut notes = Vec::new();
    let mut copied = 0;
    let mut from = 0;
    while let Some(found) = input[from..].find("<!--") {
        let at = from + found;
        let Some(d) = delimiter(input, at) else {
            from = at + 4;
            continue;
        };
        out.copy(input, copied..at);
        let mut end = d.range.end;
        if !d.closer {
            if let Some((text, whole)) = special(input, &d, words, &mut notes) {
                out.insert(&text, at);
                end = whole;
            } else {
                note_block(&d, &mut notes);
            }
        }
        // The line the comment leaves empty goes with it.
        if input[end..].starts_with('\n') && out.at_line_start() {
            end += 1;
        }
        copied = end;
        from = end;
    }
    out.copy(input, copied..input.len());
    (out, notes)
}

/// The block comment at `at` (which holds `<!--`), if it is one.
fn delimiter(input: &str, at: usize) -> Option<Delimiter> {
    let close = input.get(at + 4..)?.find("-->")? + at + 4;
    let inner = input[at + 4..close].trim();
    let (closer, rest) = match inner.strip_prefix("/wp:") {
        Some(rest) => (true, rest),
        None => (false, inner.strip_prefix("wp:")?),
    };
    let name_len = rest
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_'))
        .count();
    let raw_name = rest[..name_len].trim_end_matches('/');
    if raw_name.is_empty() {
        return None;
    }
    let rest = rest[name_len..].trim();
    let self_closing = !closer && inner.ends_with('/');
    let json = rest.trim_end_matches('/').trim();
    let attrs = if json.is_empty() {
        serde_json::Value::Null
    } else {
        serde_json::from_str(json).unwrap_or(serde_json::Value::Null)
    };
    Some(Delimiter {
        range: at..close + 3,
        name: raw_name
            .strip_prefix("core/")
            .unwrap_or(raw_name)
            .to_string(),
        attrs,
        closer,
        self_closing,
    })
}

/// A note for a block whose comments were removed and whose HTML stays.
fn note_block(d: &Delimiter, notes: &mut Vec<RawNote>) {
    let at = d.range.start;
    if d.name == "spacer" {
        notes.push(changed(at, "spacer block removed".into()));
    } else if d.self_closing && d.name != "separator" {
        notes.push(review(
            at,
            format!(
                "block {} is made by WordPress when the page is shown and has no text of its own: removed",
                d.name
            ),
        ));
    } else if !PLAIN.contains(&d.name.as_str()) {
        notes.push(review(
            at,
            format!("block {} is not known: its HTML is kept as it is", d.name),
        ));
    }
}

/// The end of the closer of block `d` and the HTML between.
fn body<'i>(input: &'i str, d: &Delimiter) -> Option<(&'i str, usize)> {
    if d.self_closing {
        return None;
    }
    let mut from = d.range.end;
    while let Some(found) = input[from..].find("<!--") {
        let at = from + found;
        match delimiter(input, at) {
            Some(c) if c.closer && c.name == d.name => {
                return Some((&input[d.range.end..at], c.range.end));
            }
            Some(c) => from = c.range.end,
            None => from = at + 4,
        }
    }
    None
}

/// Blocks rewritten whole: the new text and where the block ends.
fn special(
    input: &str,
    d: &Delimiter,
    words: Words,
    notes: &mut Vec<RawNote>,
) -> Option<(String, usize)> {
    let (inner, end) = body(input, d)?;
    let at = d.range.start;
    let text = match d.name.as_str() {
        "code" => code(inner, &d.attrs)?,
        "file" => {
            let (href, name) = first_link(inner)?;
            notes.push(changed(at, format!("file block became a link to {href}")));
            format!("<p>{}</p>", link(&href, &name))
        }
        name if name == "embed" || name.starts_with("core-embed/") => {
            let (url, text) = embed(inner, d, words)?;
            notes.push(changed(at, format!("embed became a link to {url}")));
            format!("<p>{}</p>", link(&url, &text))
        }
        _ => return None,
    };
    Some((text, end))
}

/// `<a href="URL">TEXT</a>`, TEXT already HTML.
fn link(url: &str, text: &str) -> String {
    format!("<a href=\"{}\">{text}</a>", escape::html(url))
}

/// A code block as `<pre><code class="language-X">`, the language from the
/// block's attributes or a `language-X` class.
fn code(inner: &str, attrs: &serde_json::Value) -> Option<String> {
    let start = inner.find("<code")?;
    let tag = html::start_tag(inner, start)?;
    let close = inner.rfind("</code>").filter(|&c| c >= tag.end)?;
    let from_class = tag.attr("class").and_then(|c| {
        c.split_whitespace().find_map(|c| {
            c.strip_prefix("language-")
                .or_else(|| c.strip_prefix("lang-"))
        })
    });
    let language = attrs
        .get("language")
        .and_then(|l| l.as_str())
        .or(from_class)
        .filter(|l| {
            l.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+-_#.".contains(&b))
        });
    let class = language.map_or_else(String::new, |l| format!(" class=\"language-{l}\""));
    Some(format!(
        "<pre><code{class}>{}</code></pre>",
        &inner[tag.end..close]
    ))
}

/// The first link of some HTML: its address and its content.
fn first_link(inner: &str) -> Option<(String, String)> {
    let start = inner.find("<a ")?;
    let tag = html::start_tag(inner, start)?;
    let href = html::url(tag.attr("href")?);
    let close = inner[tag.end..].find("</a>")? + tag.end;
    let text = inner_text(&inner[tag.end..close]);
    Some((
        href.clone(),
        if text.is_empty() {
            escape::html(&href)
        } else {
            text
        },
    ))
}

/// An embed's address and the words of its link: its caption, or what
/// it showed and where ("Video on YouTube").
fn embed(inner: &str, d: &Delimiter, words: Words) -> Option<(String, String)> {
    let url = d
        .attrs
        .get("url")
        .and_then(|u| u.as_str())
        .map(str::to_string)
        .or_else(|| {
            inner_text(inner)
                .split_whitespace()
                .find(|w| w.starts_with("http"))
                .map(str::to_string)
        })?;
    let caption = inner
        .find("<figcaption")
        .and_then(|c| html::start_tag(inner, c))
        .and_then(|t| {
            let close = inner[t.end..].find("</figcaption>")? + t.end;
            Some(inner_text(&inner[t.end..close]))
        })
        .filter(|c| !c.is_empty());
    if let Some(caption) = caption {
        return Some((url, caption));
    }
    let slug = d
        .attrs
        .get("providerNameSlug")
        .and_then(|p| p.as_str())
        .map(str::to_string)
        .or_else(|| d.name.strip_prefix("core-embed/").map(str::to_string))
        .unwrap_or_default();
    let what = match d.attrs.get("type").and_then(|t| t.as_str()) {
        Some("video") => What::Video,
        Some("audio") => What::Audio,
        Some("rich") => What::Post,
        _ if ["youtube", "vimeo", "dailymotion", "videopress", "tiktok"]
            .contains(&slug.as_str()) =>
        {
            What::Video
        }
        _ if ["spotify", "soundcloud", "mixcloud"].contains(&slug.as_str()) => What::Audio,
        _ => What::Page,
    };
    let text = if slug.is_empty() {
        escape::html(&url)
    } else {
        escape::html(&words.on(what, &provider_name(&slug)))
    };
    Some((url, text))
}

/// `youtube` → `YouTube`.
fn provider_name(slug: &str) -> String {
    let known = [
        ("youtube", "YouTube"),
        ("vimeo", "Vimeo"),
        ("twitter", "Twitter"),
        ("soundcloud", "SoundCloud"),
        ("spotify", "Spotify"),
        ("flickr", "Flickr"),
        ("instagram", "Instagram"),
        ("facebook", "Facebook"),
        ("wordpress", "WordPress"),
        ("tiktok", "TikTok"),
        ("videopress", "VideoPress"),
        ("mastodon", "Mastodon"),
    ];
    if let Some((_, name)) = known.iter().find(|k| k.0 == slug) {
        return (*name).to_string();
    }
    let mut chars = slug.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_uppercase()
            .chain(chars.map(|c| if c == '-' { ' ' } else { c }))
            .collect()
    })
}
