//! The reader's own words: the message they answer, quoted by their mail
//! program, and their signature are not part of the comment.
//!
//! Mail programs quote in a few ways: `>` before each line, introduced by
//! an attribution line ("On … Anna wrote:", "Am … schrieb Anna:", wrapped
//! over two or three lines by some), or, in Outlook, a header block
//! ("-----Original Message-----", or "From:" … "Sent:") after which the
//! whole old message follows unmarked. A signature starts at the line
//! "-- "; "Sent from my iPhone" and its kin end a message too.

/// A text without what the reader quoted, and what was removed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Own {
    pub text: String,
    quoted_lines: usize,
    attributions: usize,
    signature: bool,
    old_message: bool,
    sent_from: bool,
}

impl Own {
    /// What was removed, for the author to know.
    pub fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        if self.quoted_lines > 0 || self.attributions > 0 {
            let mut note = format!(
                "quoted text removed ({} line{} quoted with `>`",
                self.quoted_lines,
                plural(self.quoted_lines)
            );
            if self.attributions > 0 {
                note.push_str(" and the line introducing it, “… wrote:”");
            }
            note.push(')');
            notes.push(note);
        }
        if self.old_message {
            notes.push("the old message below the reply (Outlook style) removed".into());
        }
        if self.signature {
            notes.push("the signature (after `-- `) removed".into());
        }
        if self.sent_from {
            notes.push("the mail program's “Sent from …” line removed".into());
        }
        notes
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The reader's own words in `text` (with `\n` line ends).
pub fn own_words(text: &str) -> Own {
    let all: Vec<&str> = text.lines().collect();
    let mut own = Own::default();
    let end = match cut(&all) {
        Some((at, Cut::Signature)) => {
            own.signature = true;
            at
        }
        Some((at, Cut::OldMessage)) => {
            own.old_message = true;
            at
        }
        None => all.len(),
    };
    let lines = &all[..end];
    let mut keep = vec![true; lines.len()];
    // Where a quote was taken out, the words around it stay paragraphs.
    let mut gap = vec![false; lines.len()];
    let mut i = 0;
    while i < lines.len() {
        if !is_quoted(lines[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < lines.len() && (is_quoted(lines[i]) || lines[i].trim().is_empty()) {
            if is_quoted(lines[i]) {
                own.quoted_lines += 1;
            }
            keep[i] = false;
            i += 1;
        }
        if drop_attribution(lines, start, &mut keep) {
            own.attributions += 1;
        }
        if i < lines.len() {
            gap[i] = true;
        }
    }
    // An attribution with nothing after it: the quote was in HTML.
    if drop_attribution(lines, lines.len(), &mut keep) {
        own.attributions += 1;
    }
    let mut kept: Vec<&str> = Vec::new();
    for (n, line) in lines.iter().enumerate() {
        if gap[n] {
            kept.push("");
        }
        if keep[n] {
            kept.push(line.trim_end());
        }
    }
    trim_end(&mut kept, &mut own);
    own.text = join(&kept);
    own
}

/// Where the rest of the text is no longer the reader's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cut {
    Signature,
    OldMessage,
}

fn cut(lines: &[&str]) -> Option<(usize, Cut)> {
    for (i, line) in lines.iter().enumerate() {
        if line.trim_end() == "--" {
            return Some((i, Cut::Signature));
        }
        if is_original_separator(line) {
            return Some((i, Cut::OldMessage));
        }
        if header_block_at(lines, i) {
            return Some((i, Cut::OldMessage));
        }
    }
    None
}

/// "-----Original Message-----", "-------- Ursprüngliche Nachricht --------" and kin.
fn is_original_separator(line: &str) -> bool {
    let t = line.trim();
    if !(t.starts_with("--") && t.ends_with("--")) {
        return false;
    }
    let words = t
        .trim_matches(|c: char| c == '-' || c.is_whitespace())
        .to_lowercase();
    [
        "original message",
        "ursprüngliche nachricht",
        "original-nachricht",
        "forwarded message",
        "weitergeleitete nachricht",
    ]
    .contains(&words.as_str())
}

/// An Outlook header block: "From:"/"Von:" and, within four lines,
/// "Sent:"/"Gesendet:"/"Date:"/"Datum:".
fn header_block_at(lines: &[&str], i: usize) -> bool {
    let starts = |line: &str, names: &[&str]| {
        let t = line.trim_start().trim_start_matches('*').to_lowercase();
        names.iter().any(|n| t.starts_with(n))
    };
    starts(lines[i], &["from:", "von:"])
        && lines
            .iter()
            .skip(i + 1)
            .take(4)
            .any(|l| starts(l, &["sent:", "gesendet:", "date:", "datum:"]))
}

fn is_quoted(line: &str) -> bool {
    line.trim_start().starts_with('>')
}

/// Removes the attribution line (or the two or three lines it was wrapped
/// into) that ends just before line `before`, blank lines between allowed.
fn drop_attribution(lines: &[&str], before: usize, keep: &mut [bool]) -> bool {
    let Some(last) = (0..before)
        .rev()
        .find(|&n| keep[n] && !lines[n].trim().is_empty())
    else {
        return false;
    };
    if !(0..before)
        .skip(last + 1)
        .all(|n| lines[n].trim().is_empty() || !keep[n])
    {
        return false;
    }
    // The longest block that reads as one: a line that is only the end
    // of a wrapped attribution ("blog@example.org> wrote:") must not hide
    // its start. A line that ends a sentence is no part of one.
    for count in (1..=3).rev() {
        let Some(first) = (last + 1).checked_sub(count) else {
            continue;
        };
        let block = &lines[first..=last];
        let wrapped = block[..count - 1].iter().all(|l| {
            !l.trim().is_empty() && !l.trim_end().ends_with(['.', '!', '?']) && !is_quoted(l)
        });
        if !wrapped || !keep[first..=last].iter().all(|k| *k) {
            continue;
        }
        let joined = block.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" ");
        if starts_attribution(block[0]) && is_attribution(&joined) {
            keep[first..=last].iter_mut().for_each(|k| *k = false);
            return true;
        }
    }
    false
}

/// Words an attribution names its verb with.
const WROTE: [&str; 5] = ["wrote", "schrieb", "a écrit", "escribió", "scritto"];

/// Whether an attribution can start with `line`: "On …", "Am …", or a
/// name before the verb (not a line that is the verb alone, the end of a
/// wrapped one).
fn starts_attribution(line: &str) -> bool {
    let t = line.trim().to_lowercase();
    ["on ", "am ", "le ", "el ", "il "]
        .iter()
        .any(|p| t.starts_with(p))
        || WROTE.iter().any(|w| t.find(w).is_some_and(|at| at > 0))
}

/// "On Mon, 12 Mar 2026 at 14:22, Anna <…> wrote:", "Am 12.03.2026 um
/// 14:22 schrieb Anna:", "Anna schrieb am 12.03.2026:", "Le … a écrit :".
fn is_attribution(text: &str) -> bool {
    let t = text.trim().to_lowercase();
    t.ends_with(':') && t.chars().count() < 300 && WROTE.iter().any(|w| t.contains(w))
}

/// Drops blank lines, separator lines and a "Sent from my …" line at the end.
fn trim_end(lines: &mut Vec<&str>, own: &mut Own) {
    loop {
        let Some(last) = lines.last().map(|l| l.trim()) else {
            return;
        };
        let separator =
            last.chars().count() >= 3 && last.chars().all(|c| matches!(c, '_' | '-' | '=' | '*'));
        if last.is_empty() || separator {
            lines.pop();
        } else if is_sent_from(last) {
            own.sent_from = true;
            lines.pop();
        } else {
            return;
        }
    }
}

fn is_sent_from(line: &str) -> bool {
    let t = line.to_lowercase();
    t.chars().count() < 80
        && (t.starts_with("sent from my ")
            || t.starts_with("sent from mail for")
            || t.starts_with("get outlook for")
            || t.starts_with("gesendet von meinem ")
            || t.starts_with("von meinem ") && t.ends_with("gesendet"))
}

/// The lines with runs of blank lines made one, and none at either end.
fn join(lines: &[&str]) -> String {
    let mut out = String::new();
    let mut blank = false;
    for line in lines {
        if line.trim().is_empty() {
            blank = !out.is_empty();
            continue;
        }
        if blank {
            out.push('\n');
            blank = false;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> String {
        own_words(text).text
    }

    #[test]
    fn thunderbird_german_bottom_quote_and_signature() {
        let text = "Danke für den Text!\n\nAm 12.03.2026 um 14:22 schrieb Jonas Weber:\n> Heute geht es um Brot.\n> Sauerteig braucht Zeit.\n\n-- \nMira Olsen\nwww.example.net\n";
        let own = own_words(text);
        assert_eq!(own.text, "Danke für den Text!\n");
        assert_eq!(own.quoted_lines, 2);
        assert_eq!(own.attributions, 1);
        assert!(own.signature);
    }

    #[test]
    fn gmail_english_attribution_wrapped_over_two_lines() {
        let text = "Lovely post.\n\nOn Thu, 12 Mar 2026 at 14:22, Jonas Weber <\nblog@example.org> wrote:\n\n> Today: bread.\n";
        assert_eq!(words(text), "Lovely post.\n");
    }

    #[test]
    fn interleaved_answers_stay_separate_paragraphs() {
        let text = "Jonas schrieb am 12.03.26:\n> Erste Frage?\nMeine erste Antwort.\n> Zweite Frage?\nMeine zweite Antwort.\n";
        assert_eq!(
            words(text),
            "Meine erste Antwort.\n\nMeine zweite Antwort.\n"
        );
    }

    #[test]
    fn outlook_header_block_ends_the_reply() {
        let de = "Sehr schön geschrieben.\n\n________________________________\nVon: Jonas Weber\nGesendet: Donnerstag, 12. März 2026 14:22\nAn: Mira\nBetreff: Brot\n\nHeute geht es um Brot.\n";
        assert_eq!(words(de), "Sehr schön geschrieben.\n");
        let en = "Agreed.\n\n-----Original Message-----\nFrom: Jonas\nSent: Thursday\n\nOld text\n";
        let own = own_words(en);
        assert_eq!(own.text, "Agreed.\n");
        assert!(own.old_message);
    }

    #[test]
    fn apple_mail_quote_and_sent_from_line() {
        let text = "Yes!\n\nSent from my iPhone\n\n> On 12. Mar 2026, at 14:22, Jonas <j@example.org> wrote:\n> \n> Bread.\n";
        let own = own_words(text);
        assert_eq!(own.text, "Yes!\n");
        assert!(own.sent_from);
        assert_eq!(
            own_words("Gern.\n\nVon meinem iPad gesendet\n").text,
            "Gern.\n"
        );
    }

    #[test]
    fn a_dash_line_that_is_no_signature_separator_stays() {
        assert_eq!(
            words("Eins -- zwei\n---- \nDrei\n"),
            "Eins -- zwei\n---- \nDrei\n".replace("---- \n", "----\n")
        );
    }

    #[test]
    fn only_quotes_leave_nothing() {
        assert_eq!(words("On Monday Jonas wrote:\n> Hi\n"), "");
    }
}
