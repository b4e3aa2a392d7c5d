//! The report of an import: every change, everything that needs the
//! author's eye, and where each old URL now answers. Sorted, without
//! times, so that two imports of one site give the same report.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::import::note::NoteKind;
use crate::util::error::Diagnostic;

/// How much an item asks of the author.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// A file that could not be read; it is not part of the new site.
    Error,
    /// Kept visible, or guessed: look at it.
    Review,
    /// Converted; listed so that every change can be checked.
    Changed,
}

impl From<NoteKind> for Level {
    fn from(kind: NoteKind) -> Self {
        match kind {
            NoteKind::Changed => Level::Changed,
            NoteKind::Review => Level::Review,
        }
    }
}

/// One line of the report, placed in the old site's file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Item {
    pub level: Level,
    /// Relative to the old site's root; empty for the site as a whole.
    pub file: String,
    /// 1-based; 0 for the whole file.
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl Item {
    fn place(&self) -> String {
        match (self.file.is_empty(), self.line) {
            (true, _) => "(site)".to_string(),
            (false, 0) => self.file.clone(),
            (false, line) => format!("{}:{line}:{}", self.file, self.column.max(1)),
        }
    }
}

/// Where one old URL answers in the new site.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct UrlRow {
    /// The old URL, percent-encoded as the old site linked it (without its base path).
    pub old: String,
    /// How it answers: `kept`, `permalink`, `alias → …`, `redirect → …`.
    pub how: String,
    /// The old site's file it came from.
    pub from: String,
}

/// Counts for the summary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub posts: usize,
    pub drafts: usize,
    pub pages: usize,
    pub collection_documents: usize,
    pub static_files: usize,
    pub left_behind: usize,
    /// Readers' comments written as files, and of those the ones waiting
    /// for the author's review.
    pub comments: usize,
    pub comments_waiting: usize,
    /// Pingbacks and trackbacks (not carried over).
    pub pings: usize,
    /// Media files placed beside their posts, and those not found.
    pub media: usize,
    pub media_missing: usize,
}

/// The whole report.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// The generator moved from (`Jekyll`, `WordPress`).
    pub source: &'static str,
    /// How places in the old site are given, for the report's head.
    pub places: &'static str,
    pub counts: Counts,
    pub items: BTreeSet<Item>,
    pub urls: BTreeSet<UrlRow>,
    /// Old site files not carried over, with why.
    pub left: BTreeSet<(String, String)>,
    /// The files that could not be read, located with their source line,
    /// to be shown as echt shows every error.
    pub problems: Vec<Diagnostic>,
}

impl Report {
    pub fn new(source: &'static str, places: &'static str) -> Self {
        Self {
            source,
            places,
            ..Self::default()
        }
    }

    pub fn add(&mut self, level: Level, file: &str, line: usize, column: usize, message: String) {
        self.items.insert(Item {
            level,
            file: file.to_string(),
            line,
            column,
            message,
        });
    }

    pub fn count(&self, level: Level) -> usize {
        self.items.iter().filter(|i| i.level == level).count()
    }

    /// The summary printed at the end of an import.
    pub fn summary(&self, dest: &str) -> String {
        let c = &self.counts;
        let collection = if c.collection_documents > 0 {
            format!(", {} collection documents", c.collection_documents)
        } else {
            String::new()
        };
        let mut out = format!(
            "echt: imported {} posts ({} drafts), {} pages{collection}, {} files into {dest}\n",
            c.posts, c.drafts, c.pages, c.static_files
        );
        if c.comments + c.pings + c.media + c.media_missing > 0 {
            let _ = writeln!(
                out,
                "      {} comments ({} waiting for review), {} pingbacks and trackbacks left out; {} media files, {} not found",
                c.comments, c.comments_waiting, c.pings, c.media, c.media_missing
            );
        }
        let _ = writeln!(
            out,
            "      {} old URLs keep answering; {} changes, {} to review, {} files not read, {} files left behind",
            self.urls.len(),
            self.count(Level::Changed),
            self.count(Level::Review),
            self.count(Level::Error),
            c.left_behind
        );
        let attention: Vec<&Item> = self
            .items
            .iter()
            .filter(|i| i.level != Level::Changed)
            .collect();
        for item in attention.iter().take(12) {
            let _ = writeln!(out, "  {}: {}", item.place(), item.message);
        }
        if attention.len() > 12 {
            let _ = writeln!(out, "  … and {} more", attention.len() - 12);
        }
        let _ = writeln!(out, "      the full report is in {dest}/IMPORT.md");
        out
    }

    /// IMPORT.md.
    pub fn markdown(&self) -> String {
        let mut out = format!("# Import from {}\n\n", self.source);
        let _ = writeln!(out, "{}\n", self.places);
        let c = &self.counts;
        let _ = writeln!(
            out,
            "- posts: {} (of which drafts: {})\n- pages: {}\n- collection documents: {}\n- files copied to static/: {}\n- files left behind: {}\n- old URLs that keep answering: {}",
            c.posts, c.drafts, c.pages, c.collection_documents, c.static_files, c.left_behind, self.urls.len()
        );
        let _ = writeln!(
            out,
            "- comments: {} (of which waiting for review: {})\n- pingbacks and trackbacks left out: {}\n- media files: {} (not found: {})\n",
            c.comments, c.comments_waiting, c.pings, c.media, c.media_missing
        );
        let sections = [
            (Level::Error, "Files that could not be read", "They are copied as they were into `needs-review/` (outside `content/`, so echt does not build them); fix them and move them into `content/`."),
            (Level::Review, "Needs your eye", "Kept visible as text, guessed, or not carried over."),
            (Level::Changed, "Changes", "Everything the import converted."),
        ];
        for (level, title, intro) in sections {
            let items: Vec<&Item> = self.items.iter().filter(|i| i.level == level).collect();
            let _ = writeln!(out, "## {title} ({})\n\n{intro}\n", items.len());
            for item in items {
                let _ = writeln!(out, "- `{}`: {}", item.place(), item.message);
            }
            out.push('\n');
        }
        let _ = writeln!(out, "## Old URLs ({})\n", self.urls.len());
        out.push_str("Every URL the old site had, and how it answers now.\n\n| old URL | answers | from |\n|---|---|---|\n");
        for row in &self.urls {
            let _ = writeln!(out, "| `{}` | {} | `{}` |", row.old, row.how, row.from);
        }
        let _ = writeln!(out, "\n## Left behind ({})\n", self.left.len());
        out.push_str("The old site's files that are not part of the new one.\n\n");
        for (file, why) in &self.left {
            let _ = writeln!(out, "- `{file}`: {why}");
        }
        out
    }
}
