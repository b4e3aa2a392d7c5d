//! Errors people can act on.
//!
//! Every problem with a user's site becomes a [`Diagnostic`]: the file, the
//! line and column, the offending source line with a caret under it, and a
//! hint. A build collects all of them before it gives up, so ten broken posts
//! take one run to find, not ten. [`Error`] is that collection.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a problem is. Only errors fail a build; warnings and notes are
/// printed and the build goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file, relative to the site root where possible.
    pub path: PathBuf,
    /// 1-based line and column (in characters); 0 when unknown.
    pub line: usize,
    pub column: usize,
    /// The text of the offending line, without its line break.
    pub source_line: Option<String>,
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
        let source_line = source
            .lines()
            .nth(line.saturating_sub(1))
            .map(|l| l.trim_end_matches('\r').to_string());
        Diagnostic {
            line,
            column: column.max(1),
            source_line,
            ..Diagnostic::file(path, message)
        }
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
            let (text, indent, width) = window(text, self.column, self.width);
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

/// The part of `line` shown in a frame, the caret's indent and its width.
/// A long line (minified, or a whole file without line breaks) is cut to
/// about [`WINDOW`] characters around `column` with `…` where it was cut, so
/// that a problem in a 5 MB line prints one line, not 5 MB. Columns count
/// characters.
fn window(line: &str, column: usize, width: usize) -> (String, usize, usize) {
    let at = column.saturating_sub(1);
    let count = line.chars().count();
    if count <= MAX_SHOWN {
        return (line.chars().map(visible).collect(), at, width);
    }
    let mut start = at.saturating_sub(BEFORE);
    let end = (start + WINDOW).min(count);
    if end - start < WINDOW {
        start = end.saturating_sub(WINDOW);
    }
    let mut shown = String::with_capacity(WINDOW + 2);
    if start > 0 {
        shown.push('…');
    }
    shown.extend(line.chars().skip(start).take(end - start).map(visible));
    if end < count {
        shown.push('…');
    }
    let indent = at.saturating_sub(start) + usize::from(start > 0);
    // A caret running past the window ends at its `…`.
    let width = width
        .min(end.saturating_sub(at) + usize::from(end < count))
        .max(1);
    (shown, indent, width)
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
    fn offsets_count_characters_not_bytes() {
        let src = "Über\nÄrger und mehr";
        assert_eq!(line_column(src, src.find("und").unwrap_or(0)), (2, 7));
        let d = Diagnostic::at_offset("x.md", src, src.find("und").unwrap_or(0), 3, "m");
        assert_eq!((d.line, d.column, d.width), (2, 7, 3));
    }
}
