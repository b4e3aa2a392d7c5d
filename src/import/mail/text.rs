//! The reader's text as a comment's Markdown: line ends, format=flowed,
//! addresses removed, and only the escapes that keep plain words plain.

use std::sync::LazyLock;

use regex::Regex;

use crate::util::i18n::Language;

/// `\n` line ends (mail has CRLF, some programs lone CR), without the
/// control characters no content file may hold.
pub fn lines(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|&c| !crate::util::text::is_control(c))
        .collect()
}

/// Joins the lines of a `format=flowed` text (RFC 3676) that end in a
/// space (with `DelSp=yes`, that space was added and goes), and undoes
/// space-stuffing. Quoted lines keep their `>` so quotes are still found.
pub fn unflow(text: &str, delsp: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut joining = false;
    let text = text.strip_suffix('\n').unwrap_or(text);
    for line in text.split('\n') {
        let line = if joining {
            line
        } else {
            line.strip_prefix(' ').unwrap_or(line)
        };
        let soft = line.ends_with(' ') && line != "-- ";
        if soft {
            out.push_str(if delsp { &line[..line.len() - 1] } else { line });
        } else {
            out.push_str(line);
            out.push('\n');
        }
        joining = soft;
    }
    out
}

/// Anything that looks like an e-mail address, and the sender's local part
/// where it is an identifier rather than a word (it has a digit, `.`, `_`,
/// `-` or `+`): replaced with a note in the site's language. Returns the
/// text and how many were replaced.
pub fn without_addresses(text: &str, sender: Option<&str>, language: Language) -> (String, usize) {
    static ADDRESS: LazyLock<Option<Regex>> = LazyLock::new(|| {
        Regex::new(r"(?i)(mailto:)?[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+").ok()
    });
    let removed = match language {
        Language::De => "[E-Mail-Adresse entfernt]",
        Language::En => "[e-mail address removed]",
    };
    let mut count = 0;
    let mut text = match ADDRESS.as_ref() {
        Some(re) => re
            .replace_all(text, |_: &regex::Captures<'_>| {
                count += 1;
                removed
            })
            .into_owned(),
        // Fails closed: without the pattern, no text is safe to keep.
        None => return (String::new(), 0),
    };
    if let Some(local) = identifying_local_part(sender) {
        {
            if let Ok(re) = Regex::new(&format!(
                r"(?i)(^|[^\w.+-]){}($|[^\w+-]|\.\W|\.$)",
                regex::escape(local)
            )) {
                // One at a time, each search after the last replacement:
                // neighbouring matches share a boundary.
                let mut from = 0;
                while let Some(m) = re.captures_at(&text, from) {
                    let (Some(whole), Some(before), Some(after)) = (m.get(0), m.get(1), m.get(2))
                    else {
                        break;
                    };
                    let replaced = format!("{}{removed}", before.as_str());
                    from = whole.start() + replaced.len();
                    let replaced = replaced + after.as_str();
                    text.replace_range(whole.range(), &replaced);
                    count += 1;
                }
            }
        }
    }
    (text, count)
}

/// The local part of `sender` (`anna.k87` of `anna.k87@example.org`) if
/// it is an identifier rather than a word: it has a digit, `.`, `_`, `-`
/// or `+`. A plain word (`anna`) is a name people sign with, not half an
/// address.
pub fn identifying_local_part(sender: Option<&str>) -> Option<&str> {
    let (local, _) = sender?.rsplit_once('@')?;
    let identifier = local.chars().count() >= 3
        && local
            .chars()
            .any(|c| c.is_ascii_digit() || matches!(c, '.' | '_' | '-' | '+'));
    identifier.then_some(local)
}

/// The reader's plain words as Markdown that shows them as written: a
/// `<` that would start a tag, a `#` that would make a heading and a line
/// of `=` or `-` that would underline one are escaped; lines lose trailing
/// spaces (two would be a hard break). Everything else is left alone: the
/// comment is rendered through a sanitiser anyway.
pub fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for line in text.lines() {
        let line = line.trim_end();
        let indent = line.len() - line.trim_start().len();
        let rest = &line[indent..];
        if indent < 4 && heading_like(rest) {
            out.push_str(&line[..indent]);
            out.push('\\');
            out.push_str(&escape_tags(rest));
        } else {
            out.push_str(&escape_tags(line));
        }
        out.push('\n');
    }
    out.trim_matches('\n').to_string() + "\n"
}

/// `# title` (an ATX heading) or a line of only `=` or `-` (a setext
/// underline, or a thematic break).
fn heading_like(rest: &str) -> bool {
    let hashes = rest.bytes().take_while(|&b| b == b'#').count();
    let atx = (1..=6).contains(&hashes)
        && rest[hashes..]
            .chars()
            .next()
            .is_none_or(|c| c == ' ' || c == '\t');
    let underline = !rest.is_empty()
        && (rest.chars().all(|c| c == '=' || c == ' ')
            || rest.chars().all(|c| c == '-' || c == ' '))
        && rest.chars().filter(|c| *c != ' ').count() >= 2;
    atx || underline
}

/// `<` before a letter, `/`, `!` or `?` (where Markdown sees HTML) as `\<`.
fn escape_tags(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '<'
            && chars
                .peek()
                .is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?'))
        {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_and_lone_cr_become_line_feeds_and_controls_go() {
        assert_eq!(lines("a\r\nb\rc\u{c}d\u{85}\n"), "a\nb\ncd\n");
    }

    #[test]
    fn flowed_lines_are_joined() {
        let text = "Ein langer Satz, der \nweitergeht.\n Von mir.\n-- \nSig\n";
        assert_eq!(
            unflow(text, false),
            "Ein langer Satz, der weitergeht.\nVon mir.\n-- \nSig\n"
        );
        assert_eq!(
            unflow("Zusammen \ngeschrieben\n", true),
            "Zusammengeschrieben\n"
        );
    }

    #[test]
    fn every_address_and_an_identifying_local_part_go() {
        let (text, n) = without_addresses(
            "Schreib an lotte.k87@example.org oder mailto:x@y.de. Gruß, lotte.k87.",
            Some("lotte.k87@example.org"),
            Language::De,
        );
        assert_eq!(
            text,
            "Schreib an [E-Mail-Adresse entfernt] oder [E-Mail-Adresse entfernt]. Gruß, [E-Mail-Adresse entfernt]."
        );
        assert_eq!(n, 3);
        // A local part that is a plain word is a name, not an identifier.
        let (text, n) = without_addresses("Anna liest.", Some("anna@example.org"), Language::En);
        assert_eq!((text.as_str(), n), ("Anna liest.", 0));
    }

    #[test]
    fn markdown_escapes_only_what_would_change_the_words() {
        assert_eq!(
            markdown("# Nummer eins\nSo <b>nicht</b>, 3 < 4 <3\n===\nEnde  \n"),
            "\\# Nummer eins\nSo \\<b>nicht\\</b>, 3 < 4 <3\n\\===\nEnde\n"
        );
        assert_eq!(
            markdown("#hashtag und C# und * Liste"),
            "#hashtag und C# und * Liste\n"
        );
    }
}
