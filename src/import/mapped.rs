//! Text built from pieces of an input, remembering where each piece came
//! from, so that a note about the output of one step can be placed in the
//! body the author wrote, however many steps came before.

use std::ops::Range;

/// Where a run of output starts and where it came from.
#[derive(Debug, Clone, Copy)]
struct Anchor {
    out: usize,
    src: usize,
    /// Copied text maps byte by byte; inserted text maps to one place.
    copied: bool,
}

/// Output text under construction.
#[derive(Debug, Default)]
pub(crate) struct Out {
    pub(crate) text: String,
    anchors: Vec<Anchor>,
}

/// The finished way back from an output offset to its input offset.
#[derive(Debug, Default, Clone)]
pub(crate) struct Map {
    anchors: Vec<Anchor>,
}

impl Out {
    /// Copies `input[range]` as it is.
    pub(crate) fn copy(&mut self, input: &str, range: Range<usize>) {
        if range.start >= range.end {
            return;
        }
        self.anchors.push(Anchor {
            out: self.text.len(),
            src: range.start,
            copied: true,
        });
        self.text.push_str(&input[range]);
    }

    /// Writes new text that stands for the input at `at`.
    pub(crate) fn insert(&mut self, text: &str, at: usize) {
        if text.is_empty() {
            return;
        }
        self.anchors.push(Anchor {
            out: self.text.len(),
            src: at,
            copied: false,
        });
        self.text.push_str(text);
    }

    /// Cuts the output back to `len` bytes (a character boundary).
    pub(crate) fn truncate(&mut self, len: usize) {
        if len >= self.text.len() || !self.text.is_char_boundary(len) {
            return;
        }
        self.text.truncate(len);
        self.anchors.retain(|a| a.out < len);
    }

    /// Removes trailing whitespace, line breaks included (Liquid's `{%-`).
    pub(crate) fn trim_end(&mut self) {
        let len = self.text.trim_end().len();
        self.truncate(len);
    }

    /// Whether the output is at the start of a line.
    pub(crate) fn at_line_start(&self) -> bool {
        self.text.is_empty() || self.text.ends_with('\n')
    }

    pub(crate) fn finish(self) -> (String, Map) {
        (
            self.text,
            Map {
                anchors: self.anchors,
            },
        )
    }
}

impl Map {
    /// The input offset that output offset `at` stands for.
    pub(crate) fn back(&self, at: usize) -> usize {
        let i = self.anchors.partition_point(|a| a.out <= at);
        match i.checked_sub(1).and_then(|i| self.anchors.get(i)) {
            Some(a) if a.copied => a.src + (at - a.out),
            Some(a) => a.src,
            None => 0,
        }
    }
}

/// Where the lines of a text start, to place offsets by line and column.
#[derive(Debug)]
pub(crate) struct Lines<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> Lines<'t> {
    pub(crate) fn new(text: &'t str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self { text, starts }
    }

    /// 1-based line and column (in characters) of byte offset `at`.
    pub(crate) fn place(&self, at: usize) -> (usize, usize) {
        let mut at = at.min(self.text.len());
        while !self.text.is_char_boundary(at) {
            at -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= at);
        let start = self.starts[line.saturating_sub(1)];
        (line, self.text[start..at].chars().count() + 1)
    }
}
