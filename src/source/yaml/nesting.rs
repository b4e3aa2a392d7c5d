//! How deeply flow collections (`[…]`, `{…}`) nest, found before serde_yaml
//! reads the text.
//!
//! libyaml's scanner keeps one entry per open flow collection and walks all
//! of them for every token it reads, so text with many unclosed `[` costs
//! time quadratic in their number: 100,000 of them took 25 seconds before
//! serde_yaml reported "recursion limit exceeded" (which it does only after
//! the whole text was scanned). Block collections cost nothing extra.
//!
//! This scanner follows libyaml's rules for where a token starts (comments,
//! quoted, plain and block scalars, tags, the indentation that ends a plain
//! or block scalar) just far enough to count real flow collections only:
//! brackets inside quotes, block scalars, comments and plain text do not
//! count. It reads each character once. It never stops at a mistake libyaml
//! would stop at, so it may count a little more than libyaml in broken text,
//! never less in valid text.

/// The deepest flow nesting accepted. serde_yaml refuses more than 128
/// levels of any nesting, so valid text never comes near it.
pub const MAX_FLOW_DEPTH: usize = 128;

/// The byte offset of the first `[` or `{` that opens more than
/// [`MAX_FLOW_DEPTH`] flow collections, if any.
pub fn too_deep(source: &str) -> Option<usize> {
    // Most texts have a handful of brackets: nothing to scan.
    let brackets = source.bytes().filter(|b| matches!(b, b'[' | b'{')).count();
    if brackets <= MAX_FLOW_DEPTH {
        return None;
    }
    Scanner::new(source).run()
}

/// A simple key: the start of a token that may turn out to be a mapping key
/// once a `:` follows. Only the block level's key matters here (it decides
/// the indentation of a block mapping).
#[derive(Debug, Clone, Copy)]
struct Key {
    column: isize,
    line: usize,
    offset: usize,
}

#[derive(Debug)]
struct Scanner<'a> {
    text: &'a [u8],
    pos: usize,
    /// In characters since the line start, as libyaml counts.
    column: isize,
    line: usize,
    flow: usize,
    indent: isize,
    indents: Vec<isize>,
    simple_key_allowed: bool,
    key: Option<Key>,
}

impl<'a> Scanner<'a> {
    fn new(source: &'a str) -> Self {
        Scanner {
            text: source.as_bytes(),
            pos: 0,
            column: 0,
            line: 0,
            flow: 0,
            indent: -1,
            indents: Vec::new(),
            simple_key_allowed: true,
            key: None,
        }
    }

    fn at(&self, ahead: usize) -> u8 {
        self.text.get(self.pos + ahead).copied().unwrap_or(0)
    }

    fn is_eof(&self) -> bool {
        self.pos >= self.text.len()
    }

    /// The length of the line break at `pos + ahead`, 0 if there is none.
    /// libyaml also breaks lines at NEL, LS and PS.
    fn break_len(&self, ahead: usize) -> usize {
        let i = self.pos + ahead;
        match self.text.get(i..).unwrap_or_default() {
            [b'\r', b'\n', ..] => 2,
            [b'\r' | b'\n', ..] => 1,
            [0xC2, 0x85, ..] => 2,
            [0xE2, 0x80, 0xA8 | 0xA9, ..] => 3,
            _ => 0,
        }
    }

    fn is_break(&self, ahead: usize) -> bool {
        self.break_len(ahead) > 0
    }

    fn is_blank(&self, ahead: usize) -> bool {
        matches!(self.at(ahead), b' ' | b'\t')
    }

    /// Blank, line break or end of text (libyaml also ends at NUL).
    fn is_blankz(&self, ahead: usize) -> bool {
        self.is_blank(ahead) || self.is_break(ahead) || self.at(ahead) == 0
    }

    /// Moves past one character (not a line break).
    fn skip(&mut self) {
        let width = match self.at(0) {
            b if b < 0x80 => 1,
            b if b >= 0xF0 => 4,
            b if b >= 0xE0 => 3,
            _ => 2,
        };
        self.pos = (self.pos + width).min(self.text.len());
        self.column += 1;
    }

    /// Moves past a line break.
    fn skip_line(&mut self) {
        let len = self.break_len(0);
        if len > 0 {
            self.pos += len;
            self.column = 0;
            self.line += 1;
        }
    }

    fn skip_to_break(&mut self) {
        while !self.is_eof() && !self.is_break(0) {
            self.skip();
        }
    }

    fn roll_indent(&mut self, column: isize) {
        if self.flow == 0 && self.indent < column {
            self.indents.push(self.indent);
            self.indent = column;
        }
    }

    fn unroll_indent(&mut self, column: isize) {
        if self.flow == 0 {
            while self.indent > column {
                self.indent = self.indents.pop().unwrap_or(-1);
            }
        }
    }

    fn save_simple_key(&mut self) {
        if self.simple_key_allowed && self.flow == 0 {
            self.key = Some(Key {
                column: self.column,
                line: self.line,
                offset: self.pos,
            });
        }
    }

    fn remove_simple_key(&mut self) {
        if self.flow == 0 {
            self.key = None;
        }
    }

    fn run(mut self) -> Option<usize> {
        loop {
            self.skip_to_token();
            // A key candidate lasts one line and at most 1024 bytes.
            if self
                .key
                .is_some_and(|k| k.line < self.line || k.offset + 1024 < self.pos)
            {
                self.key = None;
            }
            self.unroll_indent(self.column);
            if self.is_eof() {
                return None;
            }
            let c = self.at(0);
            let next_blankz = self.is_blankz(1);
            let document_marker = self.column == 0
                && (self.text[self.pos..].starts_with(b"---")
                    || self.text[self.pos..].starts_with(b"..."))
                && self.is_blankz(3);
            match c {
                b'%' if self.column == 0 => {
                    self.unroll_indent(-1);
                    self.remove_simple_key();
                    self.simple_key_allowed = false;
                    self.skip_to_break();
                }
                _ if document_marker => {
                    self.unroll_indent(-1);
                    self.remove_simple_key();
                    self.simple_key_allowed = false;
                    self.skip();
                    self.skip();
                    self.skip();
                }
                b'[' | b'{' => {
                    self.save_simple_key();
                    self.flow += 1;
                    if self.flow > MAX_FLOW_DEPTH {
                        return Some(self.pos);
                    }
                    self.simple_key_allowed = true;
                    self.skip();
                }
                b']' | b'}' => {
                    self.remove_simple_key();
                    self.flow = self.flow.saturating_sub(1);
                    self.simple_key_allowed = false;
                    self.skip();
                }
                b',' => {
                    self.remove_simple_key();
                    self.simple_key_allowed = true;
                    self.skip();
                }
                b'-' if next_blankz => {
                    self.roll_indent(self.column);
                    self.remove_simple_key();
                    self.simple_key_allowed = true;
                    self.skip();
                }
                b'?' if self.flow > 0 || next_blankz => {
                    self.roll_indent(self.column);
                    self.remove_simple_key();
                    self.simple_key_allowed = self.flow == 0;
                    self.skip();
                }
                b':' if self.flow > 0 || next_blankz => {
                    if self.flow > 0 {
                        self.simple_key_allowed = false;
                    } else if let Some(key) = self.key.take() {
                        self.roll_indent(key.column);
                        self.simple_key_allowed = false;
                    } else {
                        self.roll_indent(self.column);
                        self.simple_key_allowed = true;
                    }
                    self.skip();
                }
                b'*' | b'&' => {
                    self.save_simple_key();
                    self.simple_key_allowed = false;
                    self.skip();
                    while self.at(0).is_ascii_alphanumeric() || matches!(self.at(0), b'_' | b'-') {
                        self.skip();
                    }
                }
                b'!' => {
                    self.save_simple_key();
                    self.simple_key_allowed = false;
                    self.tag();
                }
                b'|' | b'>' if self.flow == 0 => {
                    self.remove_simple_key();
                    self.simple_key_allowed = true;
                    self.block_scalar();
                }
                b'\'' | b'"' => {
                    self.save_simple_key();
                    self.simple_key_allowed = false;
                    self.quoted_scalar(c == b'\'');
                }
                b'@' | b'`' | b'%' | b'#' | 0 => {
                    // libyaml stops here ("cannot start any token"); going
                    // on can only count more.
                    self.skip();
                }
                _ => {
                    self.save_simple_key();
                    self.simple_key_allowed = false;
                    self.plain_scalar();
                }
            }
        }
    }

    /// Skips blanks, comments and line breaks before a token.
    fn skip_to_token(&mut self) {
        loop {
            if self.column == 0 && self.text[self.pos..].starts_with("\u{FEFF}".as_bytes()) {
                self.skip();
            }
            while self.at(0) == b' '
                || ((self.flow > 0 || !self.simple_key_allowed) && self.at(0) == b'\t')
            {
                self.skip();
            }
            if self.at(0) == b'#' {
                self.skip_to_break();
            }
            if !self.is_break(0) {
                return;
            }
            self.skip_line();
            if self.flow == 0 {
                self.simple_key_allowed = true;
            }
        }
    }

    /// `!tag`, `!!str`, `!<verbatim>`: a tag ends at a blank (or a `,` in a
    /// flow collection); libyaml refuses anything else after it.
    fn tag(&mut self) {
        self.skip();
        if self.at(0) == b'<' {
            while !self.is_blankz(0) && self.at(0) != b'>' {
                self.skip();
            }
        }
        while !(self.is_blankz(0) || (self.flow > 0 && self.at(0) == b',')) {
            self.skip();
        }
    }

    /// `|` or `>`: the header, then every line indented at least as deep as
    /// the first one with text (and deeper than the block it belongs to).
    fn block_scalar(&mut self) {
        self.skip();
        let mut increment = 0;
        for _ in 0..2 {
            match self.at(0) {
                b'+' | b'-' => self.skip(),
                d @ b'1'..=b'9' => {
                    increment = isize::from(d - b'0');
                    self.skip();
                }
                _ => {}
            }
        }
        // The rest of the header line (a comment; anything else is an
        // error to libyaml) is not content.
        self.skip_to_break();
        self.skip_line();
        let mut indent = if increment == 0 {
            0
        } else if self.indent >= 0 {
            self.indent + increment
        } else {
            increment
        };
        self.block_scalar_breaks(&mut indent);
        while self.column == indent && !self.is_eof() {
            self.skip_to_break();
            if self.is_eof() {
                return;
            }
            self.skip_line();
            self.block_scalar_breaks(&mut indent);
        }
    }

    /// Skips the indentation and empty lines of a block scalar; settles its
    /// indentation when it was not given.
    fn block_scalar_breaks(&mut self, indent: &mut isize) {
        let mut max_indent = 0;
        loop {
            while (*indent == 0 || self.column < *indent) && self.at(0) == b' ' {
                self.skip();
            }
            max_indent = max_indent.max(self.column);
            if !self.is_break(0) {
                break;
            }
            self.skip_line();
        }
        if *indent == 0 {
            *indent = max_indent.max(self.indent + 1).max(1);
        }
    }

    /// `'…'` (with `''` inside) or `"…"` (with `\` escapes), over any
    /// number of lines.
    fn quoted_scalar(&mut self, single: bool) {
        let quote = if single { b'\'' } else { b'"' };
        self.skip();
        while !self.is_eof() {
            let c = self.at(0);
            if single && c == b'\'' && self.at(1) == b'\'' {
                self.skip();
                self.skip();
            } else if c == quote {
                self.skip();
                return;
            } else if !single && c == b'\\' {
                self.skip();
                if self.is_break(0) {
                    self.skip_line();
                } else if !self.is_eof() {
                    self.skip();
                }
            } else if self.is_break(0) {
                self.skip_line();
            } else {
                self.skip();
            }
        }
    }

    /// Text without quotes. It ends at `: `, at ` #`, at a flow indicator
    /// inside a flow collection, at a document marker, or at a line that is
    /// not indented deeper than the block it belongs to.
    fn plain_scalar(&mut self) {
        let indent = self.indent + 1;
        let mut leading_blanks = false;
        loop {
            let document_marker = self.column == 0
                && (self.text[self.pos..].starts_with(b"---")
                    || self.text[self.pos..].starts_with(b"..."))
                && self.is_blankz(3);
            if document_marker || self.at(0) == b'#' {
                break;
            }
            while !self.is_blankz(0) {
                let c = self.at(0);
                // In a flow collection libyaml refuses `:` before a flow
                // indicator; ending the text there counts no less.
                let value = c == b':'
                    && (self.is_blankz(1)
                        || (self.flow > 0
                            && matches!(self.at(1), b',' | b'?' | b'[' | b']' | b'{' | b'}')));
                if value || (self.flow > 0 && matches!(c, b',' | b'[' | b']' | b'{' | b'}')) {
                    break;
                }
                self.skip();
            }
            if !(self.is_blank(0) || self.is_break(0)) {
                break;
            }
            while self.is_blank(0) || self.is_break(0) {
                if self.is_blank(0) {
                    self.skip();
                } else {
                    self.skip_line();
                    leading_blanks = true;
                }
            }
            if self.flow == 0 && self.column < indent {
                break;
            }
        }
        if leading_blanks {
            self.simple_key_allowed = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth_error(source: &str) -> Option<usize> {
        Scanner::new(source).run()
    }

    #[test]
    fn runaway_brackets_are_found_where_they_get_too_deep() {
        let text = format!("title: x\ntags: {}", "[".repeat(100_000));
        let at = text.find('[').unwrap_or(0) + MAX_FLOW_DEPTH;
        assert_eq!(too_deep(&text), Some(at));
        let text = format!("x: {}", "{a: ".repeat(200));
        assert!(too_deep(&text).is_some());
        let text = format!("x:\n{}", "[\n".repeat(200));
        assert!(too_deep(&text).is_some());
        // Exactly the limit is fine (serde_yaml decides about it).
        let text = format!("x: {}", "[".repeat(MAX_FLOW_DEPTH));
        assert_eq!(depth_error(&text), None);
    }

    #[test]
    fn brackets_that_are_text_do_not_count() {
        let many = "[{".repeat(1000);
        for text in [
            format!("title: \"{many}\"\n"),
            format!("title: '{many}'' {many}'\n"),
            format!("title: \"\\\"{many}\"\n"),
            format!("title: Ein {many}\n"),
            format!("title: Ein\n  {many}\n  und mehr\n"),
            format!("# {many}\ntitle: x # {many}\n"),
            format!("text: |\n  {many}\n\n  {many}\ntitle: x\n"),
            format!("text: >-\n   a\n   {many}\ntitle: x\n"),
            format!("list:\n  - |\n    {many}\n  - b\n"),
            format!("- a: |2\n     {many}\n"),
            format!("tags: [a, \"{many}\", '{many}']\n"),
            format!("x: !{many}\n"),
            format!("url: https://example.org/{many}\n"),
        ] {
            assert_eq!(depth_error(&text), None, "{text}");
        }
    }

    #[test]
    fn brackets_after_text_ends_do_count() {
        let many = "[".repeat(200);
        for text in [
            format!("title: x\ntags: {many}"),
            format!("text: |\n  inside\nx: {many}"),
            format!("title: \"q\"\nx: {many}"),
            format!("a:\n  b: plain\n  c: {many}"),
            format!("- a\n- {many}"),
            format!("x: [a, b]\ny: {many}"),
            format!("x: &anker {many}"),
            format!("x: !!seq {many}"),
        ] {
            assert!(depth_error(&text).is_some(), "{text}");
        }
    }

    #[test]
    fn scanning_is_linear() {
        // 100 KB of brackets, deep and shallow: a few milliseconds even
        // without optimisations (the bound is generous for busy machines).
        let deep = "[".repeat(100_000);
        let flat = "[a], ".repeat(20_000);
        let quoted = format!("t: \"{}\"", "[".repeat(100_000));
        let start = std::time::Instant::now();
        assert!(too_deep(&deep).is_some());
        assert_eq!(too_deep(&format!("x: [{flat}]")), None);
        assert_eq!(too_deep(&quoted), None);
        assert!(start.elapsed() < std::time::Duration::from_secs(1));
    }
}
