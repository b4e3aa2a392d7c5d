//! The old blog's files in a post (images, players, links to uploads)
//! pointed at their copies in the new site where [`Media`] finds them.
//! A player whose file was not found becomes a plain link (a player that
//! loads from the old host would be a third-party load); an image not
//! found is left to the embed step, which makes it a link. A file of the
//! blog's own that was not found leaves its words only (alternative text,
//! link text, file name): the new site replaces the old one at its
//! address, so a link there would be dead. `srcset` lists only the old
//! host's size variants and is dropped.

use crate::import::html::{self, Index};
use crate::import::mapped::Out;
use crate::util::escape;

use super::{changed, review, Media, RawNote};

/// The media step over one text.
pub(super) fn run(input: &str, media: &dyn Media) -> (Out, Vec<RawNote>) {
    let mut out = Out::default();
    let mut notes = Vec::new();
    let mut index = Index::new(input);
    let mut copied = 0;
    let mut i = 0;
    while let Some(found) = input[i..].find('<') {
        let at = i + found;
        i = at + 1;
        let Some(tag) = html::start_tag(input, at) else {
            continue;
        };
        let key = match tag.name.as_str() {
            "img" | "audio" | "video" | "source" => "src",
            "a" => "href",
            _ => continue,
        };
        // Attributes to change, in order: (range, new text).
        let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
        // An attribute without a value (`<img src>`) names no file.
        let attr = tag.attrs.iter().find(|a| a.0 == key);
        if let Some(((_, value, _), start)) =
            attr.and_then(|a| Some((a, html::offset_in(input, a.1)?)))
        {
            let url = html::url(value);
            match media.local(&url) {
                Some(local) => {
                    notes.push(changed(at, format!("{url} became {local}")));
                    edits.push((start..start + value.len(), escape::html(&local)));
                }
                None if media.own(&url) && tag.name != "source" => {
                    let (end, words) = unlinked(input, &tag, &mut index);
                    notes.push(review(
                        at,
                        format!("{url} was not found: its words stay, without a link to it"),
                    ));
                    out.copy(input, copied..at);
                    out.insert(&words, at);
                    copied = end;
                    i = end;
                    continue;
                }
                None if matches!(tag.name.as_str(), "audio" | "video") && is_remote(&url) => {
                    let end = index.close(tag.end, &tag.name).map_or(tag.end, |c| c.end);
                    notes.push(review(
                        at,
                        format!("{url} was not found: the player became a link to it"),
                    ));
                    out.copy(input, copied..at);
                    out.insert(&file_link(&url), at);
                    copied = end;
                    i = end;
                    continue;
                }
                None => {}
            }
        }
        for (name, _, range) in &tag.attrs {
            if matches!(name.as_str(), "srcset" | "sizes") {
                // With the space before it.
                let start = input[..range.start].trim_end().len();
                edits.push((start..range.end, String::new()));
            }
        }
        edits.sort_by_key(|e| e.0.start);
        for (range, text) in edits {
            if range.start < copied {
                continue;
            }
            out.copy(input, copied..range.start);
            out.insert(&text, range.start);
            copied = range.end;
        }
        i = i.max(tag.end);
    }
    out.copy(input, copied..input.len());
    (out, notes)
}

/// What stays of a tag whose file is missing, and where the input goes on:
/// a link's content (its end tag dropped), an image's alternative text,
/// a player's file name.
fn unlinked(input: &str, tag: &html::Tag<'_>, index: &mut Index<'_>) -> (usize, String) {
    match tag.name.as_str() {
        "a" => match index.close(tag.end, "a") {
            Some(close) => (close.end, input[tag.end..close.start].to_string()),
            None => (tag.end, String::new()),
        },
        "img" => {
            let alt = tag.attr("alt").unwrap_or("").trim();
            let words = if alt.is_empty() {
                file_name(tag.attr("src").unwrap_or(""))
            } else {
                alt.to_string()
            };
            (tag.end, words)
        }
        _ => {
            let end = index.close(tag.end, &tag.name).map_or(tag.end, |c| c.end);
            (end, escape::html(&file_name(tag.attr("src").unwrap_or(""))))
        }
    }
}

fn file_name(url: &str) -> String {
    let url = html::url(url);
    let url = url.split(['?', '#']).next().unwrap_or(&url);
    url.rsplit('/')
        .find(|n| !n.is_empty())
        .unwrap_or(url)
        .to_string()
}

/// `<a href="URL">NAME</a>` with the file's name.
fn file_link(url: &str) -> String {
    let name = url.rsplit('/').find(|n| !n.is_empty()).unwrap_or(url);
    format!(
        "<a href=\"{}\">{}</a>",
        escape::html(url),
        escape::html(name)
    )
}

fn is_remote(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("//")
}
