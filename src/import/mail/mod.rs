//! Replies by e-mail: a reader's message into the words, name, date and
//! thread of a comment.
//!
//! A reader answers a post from their own mail program; the author saves
//! the message (or pipes it in) and `echt comment` turns it into a comment
//! file to review. This module reads the message: RFC 5322 headers with
//! RFC 2047 encoded words, MIME parts, transfer encodings and charsets
//! (mail-parser, with encoding_rs for the charsets), the text part or the
//! text of an HTML-only message ([`html`]), the reader's own words without
//! the quoted message and signature ([`quotes`]), as Markdown that says
//! what the reader wrote ([`text`]). [`comment`] makes the comment file.
//!
//! The sender's address is read only to keep it out: [`Reply`] has no
//! field that could hold it, a display name that gives the address away is
//! dropped, and every address in the text is replaced before the text
//! leaves this module (and checked once more, failing closed).

pub mod comment;
mod html;
mod quotes;
mod text;

use std::path::Path;

use chrono::{DateTime, FixedOffset, NaiveDate};
use mail_parser::{Message, MessageParser, MimeHeaders, PartType};

use crate::util::error::{Diagnostic, Result};
use crate::util::i18n::Language;

/// What a reader's message says, ready to become a comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// The name the reader gave in `From`, decoded; `None` when there is
    /// none, or when it would tell the address (see [`name_from`]).
    pub name: Option<String>,
    /// `Date`, with the offset the reader's mail program wrote.
    pub date: Option<DateTime<FixedOffset>>,
    /// `Message-ID` without its angle brackets.
    pub message_id: Option<String>,
    /// The messages this one answers, nearest first: `In-Reply-To`, then
    /// `References` from last to first.
    pub answers: Vec<String>,
    /// The reader's own words as Markdown.
    pub body: String,
    /// A fingerprint of the whole message: the comment's id when it has no
    /// `Message-ID`.
    pub digest: u64,
    /// What was done that the author should know (in English, for the
    /// terminal): attachments left out, quoted text removed, …
    pub notes: Vec<String>,
}

/// Reads the message in `bytes`; `path` names it in errors (the file, or
/// `<stdin>`). `language` is the site's, for the words echt writes into
/// the text (where an address was removed).
pub fn read(path: &Path, bytes: &[u8], language: Language) -> Result<Reply> {
    let message = parse(path, bytes)?;
    let mut notes = Vec::new();
    let sender = message
        .from()
        .and_then(|from| from.first())
        .and_then(|addr| addr.address())
        .map(str::to_string);
    let name = message
        .from()
        .and_then(|from| from.first())
        .and_then(|addr| name_from(addr.name(), sender.as_deref()));
    let raw = words(path, &message, &mut notes)?;
    let own = quotes::own_words(&raw);
    notes.extend(own.notes());
    let (body, removed) = text::without_addresses(&own.text, sender.as_deref(), language);
    if removed > 0 {
        notes.push(format!(
            "{removed} e-mail address{} removed from the text",
            if removed == 1 { "" } else { "es" }
        ));
    }
    let body = text::markdown(&body);
    if body.trim().is_empty() {
        return Err(Diagnostic::file(
            path,
            "the message has no words of its own: only quoted text, a signature or nothing",
        )
        .into());
    }
    keeps_address_out(path, sender.as_deref(), name.as_deref(), &body)?;
    Ok(Reply {
        name,
        date: date(&message, &mut notes),
        message_id: message.message_id().map(|id| trim_id(id).to_string()),
        answers: answers(&message),
        body,
        digest: xxhash_rust::xxh3::xxh3_64(bytes),
        notes,
    })
}

/// The message in `bytes`, if it is one: mail-parser takes anything, so
/// a text with none of From, Date and Message-ID is refused here.
fn parse<'x>(path: &Path, bytes: &'x [u8]) -> Result<Message<'x>> {
    MessageParser::new()
        .parse(bytes)
        .filter(|m| m.from().is_some() || m.date().is_some() || m.message_id().is_some())
        .ok_or_else(|| {
            Diagnostic::file(path, "this is not an e-mail message: it has no From, Date or Message-ID header")
                .hint("save the whole message with its headers (in most mail programs: “Save as” or “Show source”, as .eml)")
                .into()
        })
}

/// Fails closed: nothing before may have let the sender's address, or
/// the local part that identifies it, into the name or the text.
fn keeps_address_out(
    path: &Path,
    sender: Option<&str>,
    name: Option<&str>,
    body: &str,
) -> Result<()> {
    let secrets = [sender, text::identifying_local_part(sender)];
    for secret in secrets.into_iter().flatten() {
        let secret = secret.to_lowercase();
        let leaks = body.to_lowercase().contains(&secret)
            || name.is_some_and(|n| n.to_lowercase().contains(&secret));
        if leaks {
            return Err(Diagnostic::file(
                path,
                "the sender's address is still in the text; nothing was written",
            )
            .into());
        }
    }
    Ok(())
}

/// The display name of `From`, unless it is empty or tells the address:
/// an address itself, or the address's local part (`anna.k` for
/// `anna.k@example.org`), which would publish half of it.
fn name_from(name: Option<&str>, address: Option<&str>) -> Option<String> {
    let name: String = name?
        .chars()
        .map(|c| {
            if c.is_whitespace() || crate::util::text::is_control(c) {
                ' '
            } else {
                c
            }
        })
        .collect();
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    let name = name.trim_matches(|c: char| c == '"' || c == '\'' || c.is_whitespace());
    if name.is_empty() || name.contains('@') {
        return None;
    }
    if let Some((local, _)) = address.and_then(|a| a.rsplit_once('@')) {
        if name.eq_ignore_ascii_case(local) {
            return None;
        }
    }
    if let Some(local) = text::identifying_local_part(address) {
        if name.to_lowercase().contains(&local.to_lowercase()) {
            return None;
        }
    }
    Some(name.to_string())
}

/// The text the reader wrote: every inline text part, in order (the plain
/// one of a multipart/alternative), or the text of the HTML where a message
/// has no plain text (or an empty one). Attachments are named in the notes
/// and left out.
fn words(path: &Path, message: &Message<'_>, notes: &mut Vec<String>) -> Result<String> {
    let mut parts = texts(path, message, &message.text_body, notes)?;
    if parts.iter().all(|p| p.trim().is_empty()) {
        let html: Vec<_> = message
            .html_body
            .iter()
            .copied()
            .filter(|&id| {
                matches!(
                    message.parts.get(id as usize).map(|p| &p.body),
                    Some(PartType::Html(_))
                )
            })
            .collect();
        if !html.is_empty() {
            parts = texts(path, message, &html, notes)?;
        }
    }
    for part in message.attachments() {
        notes.push(format!("{} was left out", attachment(part)));
    }
    if parts.is_empty() {
        return Err(Diagnostic::file(
            path,
            "the message has no text: neither a plain text part nor an HTML part",
        )
        .hint(
            "echt takes the words of a reader's message; attachments alone cannot become a comment",
        )
        .into());
    }
    Ok(parts.join("\n\n"))
}

/// The text of the parts `ids`: plain text as it is (format=flowed
/// joined), HTML by its visible words.
fn texts(
    path: &Path,
    message: &Message<'_>,
    ids: &[u32],
    notes: &mut Vec<String>,
) -> Result<Vec<String>> {
    let mut parts = Vec::new();
    for &id in ids {
        let Some(part) = message.parts.get(id as usize) else {
            continue;
        };
        match &part.body {
            PartType::Text(text) => {
                let attribute = |name: &str, value: &str| {
                    part.content_type()
                        .and_then(|ct| ct.attribute(name))
                        .is_some_and(|v| v.eq_ignore_ascii_case(value))
                };
                let text = text::lines(text);
                parts.push(if attribute("format", "flowed") {
                    text::unflow(&text, attribute("delsp", "yes"))
                } else {
                    text
                });
            }
            PartType::Html(markup) => {
                notes.push(
                    "the message has no plain text: its words were taken from its HTML".into(),
                );
                let text = html::text(markup).ok_or_else(|| {
                    Diagnostic::file(
                        path,
                        "the message's HTML nests deeper than browsers show it",
                    )
                })?;
                // Control characters a browser would not show either.
                parts.push(text::lines(&text));
            }
            _ => {}
        }
    }
    Ok(parts)
}

/// How the notes name an attachment: by its file name, else its type.
fn attachment(part: &mail_parser::MessagePart<'_>) -> String {
    if let Some(name) = part.attachment_name() {
        let name: String = name.chars().filter(|c| !c.is_control()).collect();
        return format!("the attachment `{name}`");
    }
    part.content_type().map_or_else(
        || "an attachment".to_string(),
        |ct| {
            format!(
                "an attachment ({}/{})",
                ct.ctype(),
                ct.subtype().unwrap_or("?")
            )
        },
    )
}

/// `Date` as a date with its offset; `None` (and a note) when it is
/// missing or impossible.
fn date(message: &Message<'_>, notes: &mut Vec<String>) -> Option<DateTime<FixedOffset>> {
    let Some(d) = message.date() else {
        notes.push("the message has no Date header".into());
        return None;
    };
    let seconds = i32::from(d.tz_hour) * 3600 + i32::from(d.tz_minute) * 60;
    let offset = FixedOffset::east_opt(if d.tz_before_gmt { -seconds } else { seconds });
    let local = NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
        .and_then(|day| {
            day.and_hms_opt(u32::from(d.hour), u32::from(d.minute), u32::from(d.second))
        });
    let date = offset
        .zip(local)
        .and_then(|(offset, local)| local.and_local_timezone(offset).single());
    if date.is_none() {
        notes.push("the message's Date header is not a date".into());
    }
    date
}

/// `In-Reply-To`, then `References` from the last (the nearest) to the first.
fn answers(message: &Message<'_>) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    let mut add = |value: &mail_parser::HeaderValue<'_>, reverse: bool| {
        let mut list: Vec<&str> = match value {
            mail_parser::HeaderValue::Text(id) => vec![id.as_ref()],
            mail_parser::HeaderValue::TextList(list) => list.iter().map(AsRef::as_ref).collect(),
            _ => Vec::new(),
        };
        if reverse {
            list.reverse();
        }
        for id in list {
            let id = trim_id(id);
            if !id.is_empty() && !ids.iter().any(|known| known == id) {
                ids.push(id.to_string());
            }
        }
    };
    add(message.in_reply_to(), false);
    add(message.references(), true);
    ids
}

/// A message id without its angle brackets and spaces.
fn trim_id(id: &str) -> &str {
    id.trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim()
}

#[cfg(test)]
mod tests;
