//! Jekyll's `excerpt_separator` becomes echt's `<!-- more -->` on a line
//! of its own.

use super::code::Code;
use super::mapped::Out;
use super::{Markup, RawNote};

/// Replaces the first use of `separator` outside code.
pub(super) fn run(input: &str, separator: &str, markup: Markup) -> (Out, Vec<RawNote>) {
    let code = match markup {
        Markup::Markdown => Code::markdown(input),
        Markup::Html => Code::none(),
    };
    let mut out = Out::default();
    let mut notes = Vec::new();
    let found = input
        .match_indices(separator)
        .map(|(i, _)| i)
        .find(|&i| !code.contains(i));
    let Some(at) = found else {
        out.copy(input, 0..input.len());
        return (out, notes);
    };
    let end = at + separator.len();
    let line_start = input[..at].rfind('\n').map_or(0, |i| i + 1);
    let rest = &input[end..];
    let line_end = end + rest.find('\n').unwrap_or(rest.len());
    let alone_before = input[line_start..at].trim().is_empty();
    let alone_after = input[end..line_end].trim().is_empty();
    let mut more = String::new();
    if !alone_before {
        more.push_str("\n\n");
    }
    more.push_str("<!-- more -->");
    if !alone_after {
        more.push_str("\n\n");
    }
    notes.push(RawNote::changed(
        at,
        format!(
            "excerpt separator `{}` became `<!-- more -->`",
            separator.escape_debug()
        ),
    ));
    if alone_before {
        out.copy(input, 0..line_start);
    } else {
        out.copy(input, 0..at);
    }
    out.insert(&more, at);
    if alone_after {
        out.copy(input, line_end..input.len());
    } else {
        let skip = end + rest.len() - rest.trim_start_matches([' ', '\t']).len();
        out.copy(input, skip..input.len());
    }
    (out, notes)
}
