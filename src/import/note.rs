//! The notes a text conversion makes, and the placing of each in the text
//! the author wrote: every step of a conversion notes where it changed
//! something in its own input, and the maps of the steps before lead that
//! back to the original, however many steps came before.

use crate::import::mapped::{Lines, Map, Out};

/// One line of the report, placed in the text that was converted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// 1-based, in the text given to the conversion.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    pub kind: NoteKind,
    pub message: String,
}

/// Whether a note records a change or asks for the author's eye.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteKind {
    /// Converted; listed so that every change can be reviewed.
    Changed,
    /// Could not be converted (or only partly): kept visible as text.
    Review,
}

/// A note placed in the input of the step that made it.
#[derive(Debug, Clone)]
pub(crate) struct RawNote {
    pub(crate) at: usize,
    pub(crate) kind: NoteKind,
    pub(crate) message: String,
}

impl RawNote {
    pub(crate) fn changed(at: usize, message: String) -> Self {
        Self {
            at,
            kind: NoteKind::Changed,
            message,
        }
    }

    pub(crate) fn review(at: usize, message: String) -> Self {
        Self {
            at,
            kind: NoteKind::Review,
            message,
        }
    }
}

/// The steps done so far: the way back to the original, and the notes.
#[derive(Debug)]
pub(crate) struct Steps<'b> {
    lines: Lines<'b>,
    /// One map per step, each from its output to its input.
    maps: Vec<Map>,
    pub(crate) notes: Vec<Note>,
}

impl<'b> Steps<'b> {
    pub(crate) fn new(original: &'b str) -> Self {
        Self {
            lines: Lines::new(original),
            maps: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// Places a step's notes in the original and keeps its map.
    pub(crate) fn take(&mut self, out: Out, notes: Vec<RawNote>) -> String {
        for raw in notes {
            let at = self.maps.iter().rev().fold(raw.at, |at, map| map.back(at));
            let (line, column) = self.lines.place(at);
            let note = Note {
                line,
                column,
                kind: raw.kind,
                message: raw.message,
            };
            // A step that runs again says again what it left alone.
            if !self.notes.contains(&note) {
                self.notes.push(note);
            }
        }
        let (text, map) = out.finish();
        self.maps.push(map);
        text
    }

    /// The notes, in the order of their places.
    pub(crate) fn finish(self) -> Vec<Note> {
        let mut notes = self.notes;
        notes.sort_by_key(|n| (n.line, n.column));
        notes
    }
}
