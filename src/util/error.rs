//! Errors people can act on.
//!
//! Every problem with a user's site becomes a [`Diagnostic`]: the file, the
//! line and column, the offending source line with a caret under it, and a
//! hint. A build collects all of them before it gives up, so ten broken posts
//! take one run to find, not ten. [`Error`] is that collection.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How bad a problem is. Only errors fail a build; warnings and notes are
/// printed and the build goes on.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
pub enum Severity {
    /// Something echt did on the author's behalf (a tracking parameter
    /// removed from a link).
    Note,
    /// Worth a look, not wrong (an affiliate link, a heavy page).
    Warning,
    #[default]
    Error,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One problem, located as precisely as we know.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file, relative to the site root where possible.
    pub path: PathBuf,
    /// 1-based line and column (in characters); 0 when unknown.
    pub line: usize,
    pub column: usize,
    /// The text of the offending line, without its line break. Of a long
    /// line only the part a frame shows is kept (see `shown_from`).
    pub source_line: Option<String>,
    /// How many characters of the line come before `source_line`, and how
    /// many the whole line has (0: `source_line` is the whole line). A
    /// problem on a 5 MB line keeps about 100 characters of it, not 5 MB.
    pub shown_from: usize,
    pub line_chars: usize,
    /// How many characters the caret underlines (at least one).
    pub width: usize,
    pub message: String,
    pub hint: Option<String>,
    /// Where else it matters, e.g. the page a template problem showed on.
    pub note: Option<String>,
}

impl Diagnostic {
    /// A problem with a whole file (no position inside it).
    pub fn file(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            line: 0,
            column: 0,
            source_line: None,
            shown_from: 0,
            line_chars: 0,
            width: 1,
            message: message.into(),
            hint: None,
            note: None,
        }
    }

    /// A problem at a 1-based line and column of `source`.
    pub fn at(
        path: impl Into<PathBuf>,
        source: &str,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        let text = source.lines().nth(line.saturating_sub(1)).map(|text| {
            let text = text.trim_end_matches('\r');
            LineText {
                text,
                chars: text.chars().count(),
                at: None,
            }
        });
        Diagnostic::on_line(path, text, line, column, message)
    }

    /// A problem at a 1-based line and column of `line_text`.
    fn on_line(
        path: impl Into<PathBuf>,
        line_text: Option<LineText<'_>>,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        let column = column.max(1);
        let mut d = Diagnostic {
            line,
            column,
            ..Diagnostic::file(path, message)
        };
        let Some(LineText { text, chars, at }) = line_text else {
            return d;
        };
        if chars <= MAX_SHOWN {
            d.source_line = Some(text.to_string());
            return d;
        }
        // Keep only what a frame shows, found from the column's byte offset
        // where it is known (walking a few characters, not the line).
        let (start, end) = window_range(chars, column - 1);
        let (from, to) = match at {
            Some(at) => {
                let before = text[..at]
                    .char_indices()
                    .rev()
                    .nth((column - 1 - start).saturating_sub(1))
                    .map_or(0, |(i, _)| i);
                let before = if column - 1 == start { at } else { before };
                let after = text[at..]
                    .char_indices()
                    .nth(end.saturating_sub(column - 1))
                    .map_or(text.len(), |(i, _)| at + i);
                (before, after)
            }
            None => {
                let mut indices = text.char_indices().map(|(i, _)| i).skip(start);
                let from = indices.next().unwrap_or(text.len());
                let to = indices.nth(end - start - 1).unwrap_or(text.len());
                (from, to)
            }
        };
        d.source_line = Some(text[from..to].to_string());
        d.shown_from = start;
        d.line_chars = chars;
        d
    }

    /// A problem at a byte offset of the text `lines` indexes, underlining
    /// `len` bytes: for many problems in one text (see [`Lines`]).
    pub fn at_offset_in(
        path: impl Into<PathBuf>,
        lines: &Lines<'_>,
        offset: usize,
        len: usize,
        message: impl Into<String>,
    ) -> Self {
        let source = lines.source;
        let offset = floor_char_boundary(source, offset.min(source.len()));
        let (line, column) = lines.line_column(offset);
        let line_text = lines.line_text(line, offset);
        let line_end = line_text
            .as_ref()
            .map_or(source.len(), |l| lines.starts[line - 1] + l.text.len());
        let end = floor_char_boundary(source, (offset + len).min(line_end).max(offset));
        let width = source[offset..end].chars().count();
        Diagnostic::on_line(path, line_text, line, column, message).width(width)
    }

    /// A problem at a byte offset of `source`, underlining `len` bytes.
    pub fn at_offset(
        path: impl Into<PathBuf>,
        source: &str,
        offset: usize,
        len: usize,
        message: impl Into<String>,
    ) -> Self {
        let (line, column) = line_column(source, offset);
        let end = floor_char_boundary(source, (offset + len).min(source.len()));
        let start = floor_char_boundary(source, offset.min(source.len()));
        let line_end = source[start..]
            .find('\n')
            .map_or(source.len(), |i| start + i);
        let width = source[start..end.min(line_end)].chars().count();
        Diagnostic::at(path, source, line, column, message).width(width)
    }

    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }

    pub fn width(mut self, width: usize) -> Self {
        self.width = width.max(1);
        self
    }

    /// Moves the position down by `lines`: for text that was cut out of a
    /// larger file (front matter, a Markdown body).
    pub fn shifted(mut self, lines: usize) -> Self {
        if self.line > 0 {
            self.line += lines;
        }
        self
    }

    /// Replaces the path, e.g. to make an absolute path relative to the site.
    pub fn with_path(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = path.into();
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}: {}", self.severity.label(), self.message)?;
        let path = self.path.display();
        if self.line == 0 {
            writeln!(f, "  --> {path}")?;
        } else {
            writeln!(f, "  --> {path}:{}:{}", self.line, self.column)?;
        }
        if let Some(text) = &self.source_line {
            let number = self.line.to_string();
            let pad = " ".repeat(number.len());
            let (text, indent, width) = self.frame(text);
            writeln!(f, " {pad} |")?;
            writeln!(f, " {number} | {text}")?;
            writeln!(f, " {pad} | {}{}", " ".repeat(indent), "^".repeat(width))?;
        }
        if let Some(hint) = &self.hint {
            writeln!(f, "  = hint: {hint}")?;
        }
        if let Some(note) = &self.note {
            writeln!(f, "  = note: {note}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostic {}

/// Lines longer than this many characters are shown cut to a window.
const MAX_SHOWN: usize = 120;
/// The window's size, and how much of it goes before the column.
const WINDOW: usize = 100;
const BEFORE: usize = 40;

impl Diagnostic {
    /// The part of the line shown in the frame, the caret's indent and its
    /// width. A long line (minified, or a whole file without line breaks)
    /// is cut to about [`WINDOW`] characters around the column with `…`
    /// where it was cut. Columns count characters.
    fn frame(&self, text: &str) -> (String, usize, usize) {
        let at = self.column.saturating_sub(1);
        let count = if self.line_chars == 0 {
            text.chars().count()
        } else {
            self.line_chars
        };
        if count <= MAX_SHOWN {
            return (text.chars().map(visible).collect(), at, self.width);
        }
        let (start, end) = window_range(count, at);
        let mut shown = String::with_capacity(WINDOW + 2);
        if start > 0 {
            shown.push('…');
        }
        shown.extend(
            text.chars()
                .skip(start.saturating_sub(self.shown_from))
                .take(end - start)
                .map(visible),
        );
        if end < count {
            shown.push('…');
        }
        let indent = at.saturating_sub(start) + usize::from(start > 0);
        // A caret running past the window ends at its `…`.
        let width = self
            .width
            .min(end.saturating_sub(at) + usize::from(end < count))
            .max(1);
        (shown, indent, width)
    }
}

/// The characters `[start, end)` of a line of `count` characters that a
/// frame shows for a problem at character `at`.
fn window_range(count: usize, at: usize) -> (usize, usize) {
    let mut start = at.saturating_sub(BEFORE);
    let end = (start + WINDOW).min(count);
    if end - start < WINDOW {
        start = end.saturating_sub(WINDOW);
    }
    (start, end)
}

/// The lines of a text, to locate many offsets in it: finding a line is a
/// binary search, and counting the column continues from the last offset
/// when offsets come in order on one line. Locating each of thousands of
/// problems in a large file from its start would take time quadratic in
/// their number.
#[derive(Debug)]
pub struct Lines<'a> {
    source: &'a str,
    /// Byte offset where each line starts.
    starts: Vec<usize>,
    /// The last offset located: (offset, line, column).
    last: std::cell::Cell<(usize, usize, usize)>,
    /// The last line whose characters were counted, and their number.
    chars: std::cell::Cell<Option<(usize, usize)>>,
}

impl<'a> Lines<'a> {
    pub fn new(source: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(source.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Lines {
            source,
            starts,
            last: std::cell::Cell::new((0, 1, 1)),
            chars: std::cell::Cell::new(None),
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(self.source, offset.min(self.source.len()));
        let line = self.starts.partition_point(|&s| s <= offset);
        let line_start = self.starts[line - 1];
        let (last_offset, last_line, last_column) = self.last.get();
        let column = if last_line == line && last_offset <= offset && last_offset >= line_start {
            last_column + self.source[last_offset..offset].chars().count()
        } else {
            self.source[line_start..offset].chars().count() + 1
        };
        self.last.set((offset, line, column));
        (line, column)
    }

    /// The text of 1-based line `line`, without its line break.
    pub fn line(&self, line: usize) -> Option<&'a str> {
        let start = *self.starts.get(line.checked_sub(1)?)?;
        let end = self
            .starts
            .get(line)
            .map_or(self.source.len(), |next| next - 1);
        Some(self.source[start..end].trim_end_matches('\r'))
    }

    /// Line `line` for a problem at byte `offset` of the text; its length
    /// in characters is counted once per line.
    fn line_text(&self, line: usize, offset: usize) -> Option<LineText<'a>> {
        let text = self.line(line)?;
        let chars = match self.chars.get() {
            Some((l, chars)) if l == line => chars,
            _ => {
                let chars = text.chars().count();
                self.chars.set(Some((line, chars)));
                chars
            }
        };
        let at = offset
            .checked_sub(self.starts[line - 1])
            .filter(|&at| at <= text.len());
        Some(LineText { text, chars, at })
    }
}

/// A line of text with its length in characters and, where known, the byte
/// offset of the problem's column in it.
#[derive(Debug, Clone, Copy)]
struct LineText<'t> {
    text: &'t str,
    chars: usize,
    at: Option<usize>,
}

/// A character as it is shown in the frame: one column wide and never a
/// control character, which a terminal would act on (or not show), moving
/// the caret off its place. Tabs become spaces; other C0 characters and DEL
/// their pictures (␀, ␍, ␡); C1 characters the replacement character.
fn visible(c: char) -> char {
    match c {
        '\t' => ' ',
        '\0'..='\u{1F}' => char::from_u32(0x2400 + u32::from(c)).unwrap_or('\u{FFFD}'),
        '\u{7F}' => '\u{2421}',
        '\u{80}'..='\u{9F}' => '\u{FFFD}',
        c => c,
    }
}
/// A source an output file is made of, as it was read for this build: where
/// the audit locates what it found in a page (the post, the template,
/// echt.yaml). Kept from the load rather than read again, so a location
/// always points into the text that was rendered.
#[derive(Debug, Clone)]
pub struct Origin {
    /// The path shown in messages: `content/posts/a.md`.
    pub shown: PathBuf,
    pub text: Arc<str>,
}

/// Everything that went wrong in one command, in the order it was found.
#[derive(Debug, thiserror::Error)]
pub struct Error {
    pub diagnostics: Vec<Diagnostic>,
    /// A closing line, e.g. that the previous output was kept.
    pub footer: Option<String>,
}

impl Error {
    pub fn new(diagnostics: Vec<Diagnostic>) -> Self {
        Error {
            diagnostics,
            footer: None,
        }
    }

    pub fn with_footer(mut self, footer: impl Into<String>) -> Self {
        self.footer = Some(footer.into());
        self
    }

    /// An input/output failure on `path`.
    pub fn io(path: &Path, err: &std::io::Error) -> Self {
        Diagnostic::file(path, io_message(err)).into()
    }
}

/// Describes an I/O error without the "(os error 2)" noise.
pub fn io_message(err: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match err.kind() {
        ErrorKind::NotFound => "no such file or directory".to_string(),
        ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => err.to_string(),
    }
}

impl From<Diagnostic> for Error {
    fn from(d: Diagnostic) -> Self {
        Error::new(vec![d])
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        if let Some(footer) = &self.footer {
            writeln!(f, "\n{footer}")?;
        }
        Ok(())
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// 1-based line and column (in characters) of a byte offset.
pub fn line_column(source: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(source, offset.min(source.len()));
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_points_at_the_column() {
        let src = "---\ntitle: Hallo\ndate: 2024-13-45\n---\n";
        let d = Diagnostic::at("content/posts/a.md", src, 3, 7, "invalid date `2024-13-45`")
            .width(10)
            .hint("write dates as YYYY-MM-DD");
        assert_eq!(
            d.to_string(),
            "error: invalid date `2024-13-45`\n  --> content/posts/a.md:3:7\n   |\n 3 | date: 2024-13-45\n   |       ^^^^^^^^^^\n  = hint: write dates as YYYY-MM-DD\n"
        );
    }

    #[test]
    fn long_lines_are_cut_to_a_window_around_the_column() {
        let long = format!("{}FEHLER{}", "ä".repeat(5_000_000), "ö".repeat(1000));
        let d = Diagnostic::at("x.md", &long, 1, 5_000_001, "m").width(6);
        let shown = d.to_string();
        let lines: Vec<&str> = shown.lines().collect();
        assert_eq!(
            lines[3],
            format!(" 1 | …{}FEHLER{}…", "ä".repeat(40), "ö".repeat(54))
        );
        assert_eq!(lines[4], format!("   | {}^^^^^^", " ".repeat(41)));
        // At the start and at the end of a long line.
        let long = "x".repeat(1000);
        let d = Diagnostic::at("x.md", &long, 1, 1, "m").width(3);
        let lines: Vec<String> = d.to_string().lines().map(str::to_string).collect();
        assert_eq!(lines[3], format!(" 1 | {}…", "x".repeat(100)));
        assert_eq!(lines[4], "   | ^^^");
        let d = Diagnostic::at("x.md", &long, 1, 1000, "m").width(1);
        let lines: Vec<String> = d.to_string().lines().map(str::to_string).collect();
        assert_eq!(lines[3], format!(" 1 | …{}", "x".repeat(100)));
        assert_eq!(lines[4], format!("   | {}^", " ".repeat(100)));
        // A caret wider than the window stops at its end.
        let d = Diagnostic::at("x.md", &long, 1, 500, "m").width(900);
        let lines: Vec<String> = d.to_string().lines().map(str::to_string).collect();
        assert_eq!(
            lines[4],
            format!("   | {}{}", " ".repeat(41), "^".repeat(61))
        );
        // Lines up to the limit are shown whole, as always.
        let line = "y".repeat(120);
        let d = Diagnostic::at("x.md", &line, 1, 120, "m");
        assert!(d.to_string().contains(&format!(" 1 | {line}\n")));
    }

    #[test]
    fn many_offsets_in_one_text() {
        let src = "Über\nÄrger und mehr\n\nletzte";
        let lines = Lines::new(src);
        for (needle, want) in [
            ("Über", (1, 1)),
            ("und", (2, 7)),
            ("mehr", (2, 11)),
            ("letzte", (4, 1)),
        ] {
            let offset = src.find(needle).unwrap_or(0);
            assert_eq!(lines.line_column(offset), want, "{needle}");
            assert_eq!(
                lines.line_column(offset),
                line_column(src, offset),
                "{needle}"
            );
        }
        // Out of order, too.
        assert_eq!(lines.line_column(src.find("und").unwrap_or(0)), (2, 7));
        assert_eq!(lines.line(2), Some("Ärger und mehr"));
        assert_eq!(lines.line(3), Some(""));
        assert_eq!(lines.line(4), Some("letzte"));
        assert_eq!(lines.line(5), None);
        let at = src.find("mehr").unwrap_or(0);
        let d = Diagnostic::at_offset_in("x.md", &lines, at, 4, "m");
        assert_eq!(d, Diagnostic::at_offset("x.md", src, at, 4, "m"));
    }

    #[test]
    fn of_long_lines_a_window_is_kept() {
        let long = format!("{}FEHLER{}", "ä".repeat(100_000), "ö".repeat(1000));
        let d = Diagnostic::at("x.md", &long, 1, 100_001, "m").width(6);
        assert_eq!(d.source_line.as_ref().map(|l| l.chars().count()), Some(100));
        assert_eq!((d.shown_from, d.line_chars), (99_960, 101_006));
        let lines = Lines::new(&long);
        let e = Diagnostic::at_offset_in("x.md", &lines, long.find("FEHLER").unwrap_or(0), 6, "m");
        assert_eq!(d, e);
        // Both ways of cutting agree everywhere on the line, and in
        // another line after it.
        let text = format!("kurz\n{long}\r\nweiter");
        let lines = Lines::new(&text);
        let first = text.find('ä').unwrap_or(0);
        for chars in [
            0, 1, 39, 40, 41, 99, 100, 101, 50_000, 100_005, 101_004, 101_005, 101_006,
        ] {
            let offset = first
                + text[first..]
                    .char_indices()
                    .nth(chars)
                    .map_or(long.len(), |(i, _)| i);
            let by_offset = Diagnostic::at_offset_in("x.md", &lines, offset, 1, "m");
            let (line, column) = line_column(&text, offset);
            assert_eq!(
                (by_offset.line, by_offset.column),
                (line, column),
                "{chars}"
            );
            let by_column = Diagnostic::at("x.md", &text, line, column, "m").width(by_offset.width);
            assert_eq!(by_offset, by_column, "{chars}");
            assert_eq!(
                by_offset.source_line.as_ref().map(|l| l.chars().count()),
                Some(100),
                "{chars}"
            );
        }
        // A column past the end of a long line: the caret after its end.
        let d = Diagnostic::at("x.md", &long, 1, 101_010, "m");
        let shown = d.to_string();
        let caret = shown.lines().nth(4).unwrap_or_default();
        assert_eq!(caret, format!("   | {}^", " ".repeat(104)), "{shown}");
    }

    #[test]
    fn offsets_count_characters_not_bytes() {
        let src = "Über\nÄrger und mehr";
        assert_eq!(line_column(src, src.find("und").unwrap_or(0)), (2, 7));
        let d = Diagnostic::at_offset("x.md", src, src.find("und").unwrap_or(0), 3, "m");
        assert_eq!((d.line, d.column, d.width), (2, 7, 3));
    }
}
