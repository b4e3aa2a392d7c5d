//! Reading text files: UTF-8 with the first bad byte located, control
//! characters refused, paths with `/` separators.

use std::path::Path;

use crate::util::error::{Diagnostic, Error, Result};

/// A path with `/` separators, whatever the platform.
pub fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Decodes a file as UTF-8, pointing at the first bad byte otherwise, and
/// refuses control characters (see [`control_characters`]). Content files,
/// templates and `echt.yaml` all come through here.
pub fn decode_utf8(path: &Path, bytes: &[u8]) -> Result<String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => {
            let problems = control_characters(path, s);
            if problems.is_empty() {
                Ok(s.to_string())
            } else {
                Err(Error::new(problems))
            }
        }
        Err(e) => {
            let good = e.valid_up_to();
            let lossy = String::from_utf8_lossy(bytes);
            // Position in the lossy text equals the position in the valid prefix.
            let prefix = String::from_utf8_lossy(&bytes[..good]);
            let (line, column) = crate::util::error::line_column(&prefix, prefix.len());
            Err(Diagnostic::at(
                path,
                &lossy,
                line,
                column,
                format!("the file is not valid UTF-8 (byte 0x{:02X})", bytes[good]),
            )
            .hint("save the file as UTF-8 in your editor (often under \"Save with encoding\")")
            .into())
        }
    }
}

/// Unicode's letters, marks and decimal digits (`[\p{L}\p{M}\p{Nd}]`):
/// what Jekyll keeps of a name in a URL.
pub fn is_letter_mark_or_digit(c: char) -> bool {
    static CLASS: std::sync::LazyLock<Option<regex::Regex>> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"^[\p{L}\p{M}\p{Nd}]$").ok());
    matches_class(&CLASS, c)
}

/// Ruby's `\p{Word}` (alphabetic, marks, decimal digits, connector
/// punctuation): what kramdown and GitHub keep of a heading in its id.
pub fn is_word(c: char) -> bool {
    static CLASS: std::sync::LazyLock<Option<regex::Regex>> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"^[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}]$").ok());
    matches_class(&CLASS, c)
}

fn matches_class(class: &std::sync::LazyLock<Option<regex::Regex>>, c: char) -> bool {
    let mut buf = [0; 4];
    class
        .as_ref()
        .is_some_and(|class| class.is_match(c.encode_utf8(&mut buf)))
}

/// Whether `c` is a control character no text file should hold: C0 except
/// tab, line feed and carriage return, DEL, and C1 (U+0080 to U+009F).
/// They are invisible in most editors, arrive by copying from PDFs and old
/// word processors, and make pages and feeds invalid (XML forbids most of
/// them outright).
pub fn is_control(c: char) -> bool {
    (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || ('\u{7F}'..='\u{9F}').contains(&c)
}

/// `U+0000 (NUL)`: how messages name a control character.
pub fn control_name(c: char) -> String {
    let name = match c {
        '\0' => " (NUL)",
        '\u{8}' => " (backspace)",
        '\u{B}' => " (vertical tab)",
        '\u{C}' => " (form feed)",
        '\u{1B}' => " (escape)",
        '\u{7F}' => " (DEL)",
        '\u{85}' => " (next line)",
        _ => "",
    };
    format!("U+{:04X}{name}", u32::from(c))
}

/// The most control characters reported per file; a file full of them is
/// probably not text at all.
const MAX_CONTROL_REPORTS: usize = 10;

/// Whether `bytes` has a byte that may start a control character: a
/// quick look, a chunk at a time without stopping early (which compiles
/// to SIMD), before the exact one.
fn may_have_controls(bytes: &[u8]) -> bool {
    bytes.chunks(64).any(|chunk| {
        chunk.iter().fold(false, |found, &b| {
            found | (b < 0x20 && b != b'\t' && b != b'\n' && b != b'\r') | (b == 0x7F) | (b == 0xC2)
        })
    })
}

/// A diagnostic for each control character in `text` (up to
/// [`MAX_CONTROL_REPORTS`]), at its line and column.
pub fn control_characters(path: &Path, text: &str) -> Vec<Diagnostic> {
    let bytes = text.as_bytes();
    if !may_have_controls(bytes) {
        return Vec::new();
    }
    // Scanning bytes keeps this as fast as the UTF-8 check: C0 and DEL are
    // single bytes, C1 is 0xC2 followed by 0x80..=0x9F.
    let found = bytes.iter().enumerate().filter(|&(i, &b)| {
        (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
            || b == 0x7F
            || (b == 0xC2 && bytes.get(i + 1).is_some_and(|n| (0x80..=0x9F).contains(n)))
    });
    let mut problems = Vec::new();
    let mut more = 0;
    for (offset, _) in found {
        if problems.len() == MAX_CONTROL_REPORTS {
            more += 1;
            continue;
        }
        let c = text[offset..].chars().next().unwrap_or('\0');
        problems.push(
            Diagnostic::at_offset(
                path,
                text,
                offset,
                c.len_utf8(),
                format!("the file contains the control character {}", control_name(c)),
            )
            .hint("remove it: control characters are invisible in most editors and make pages and feeds invalid (they often come with text copied from PDFs)"),
        );
    }
    if more > 0 {
        if let Some(last) = problems.pop() {
            problems.push(last.note(format!("and {more} more control characters in this file")));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_located() {
        let text = "---\ntitle: a\u{0}b\n---\nÜber\u{7F} \u{85}\tTab\r\n";
        let problems = control_characters(Path::new("content/x.md"), text);
        let found: Vec<(usize, usize, &str)> = problems
            .iter()
            .map(|d| (d.line, d.column, d.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (2, 9, "the file contains the control character U+0000 (NUL)"),
                (4, 5, "the file contains the control character U+007F (DEL)"),
                (
                    4,
                    7,
                    "the file contains the control character U+0085 (next line)"
                ),
            ]
        );
        let shown = problems[0].to_string();
        assert!(
            shown.contains(" 2 | title: a\u{2400}b\n   |         ^\n"),
            "{shown}"
        );
        let many = "\u{1}".repeat(25);
        let problems = control_characters(Path::new("x"), &many);
        assert_eq!(problems.len(), MAX_CONTROL_REPORTS);
        assert_eq!(
            problems[9].note.as_deref(),
            Some("and 15 more control characters in this file")
        );
        assert!(decode_utf8(Path::new("x"), b"a\x1bb").is_err());
        assert!(decode_utf8(Path::new("x"), b"a\tb\r\n\xC2\xA0").is_ok());
    }

    #[test]
    fn invalid_utf8_is_located() {
        let err = decode_utf8(Path::new("content/x.md"), b"---\ntitle: Gr\xFC\xDFe\n---\n")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("content/x.md:2:10"), "{err}");
        assert!(err.contains("0xFC"), "{err}");
    }
}
