//! The words of an HTML-only message, read with the tree a browser builds
//! (html5ever, through the audit's arena), never with patterns over tags.
//!
//! Paragraphs, line breaks and list items become Markdown's; links keep
//! their address in brackets after their words; everything a reader does
//! not see (head, scripts, styles, templates) is left out, and so is the
//! message being answered: `<blockquote>` (Apple Mail, Thunderbird,
//! Gmail), Gmail's and Thunderbird's quote and signature blocks, and all
//! that follows Outlook's reply header.

use html5ever::{local_name, Attribute};

use crate::audit::tree::{self, Kind, Tree};

/// The visible words of `markup`, one paragraph per block, or `None` when
/// it nests deeper than browsers show (the parser would take quadratic time).
pub fn text(markup: &str) -> Option<String> {
    if tree::too_deep(markup).is_some() {
        return None;
    }
    let tree = tree::document(
        markup,
        tree::Options {
            scripting: false,
            exact_errors: false,
            srcdoc: false,
        },
    );
    let mut out = Out::default();
    walk(&tree, &mut out);
    Some(out.finish())
}

/// What to do on leaving an element.
#[derive(Debug, Clone, Copy)]
enum Step {
    Enter(tree::Id),
    Leave {
        block: Break,
        link: Option<tree::Id>,
        pre: bool,
    },
}

/// A break between pieces of text: none, a line, or a paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Break {
    None,
    Line,
    Paragraph,
}

/// Depth-first, with a stack of its own: a message's nesting is the
/// sender's to choose.
fn walk(tree: &Tree, out: &mut Out) {
    let mut stack = vec![Step::Enter(0)];
    while let Some(step) = stack.pop() {
        match step {
            Step::Leave { block, link, pre } => {
                if pre {
                    out.pre = out.pre.saturating_sub(1);
                }
                if let Some(link) = link {
                    out.link_end(tree, link);
                }
                out.brk(block);
            }
            Step::Enter(id) => {
                let node = &tree.nodes[id];
                let (name, attrs) = match &node.kind {
                    Kind::Text(text) => {
                        out.text(text, out.pre > 0);
                        continue;
                    }
                    Kind::Document => ("", &[][..]),
                    Kind::Element { name, attrs, .. } => (&*name.local, attrs.as_slice()),
                    Kind::Fragment | Kind::Other => continue,
                };
                if ends_reply(attrs) {
                    // Outlook: everything after its reply header is the old message.
                    stack.clear();
                    continue;
                }
                if hidden(name, attrs) {
                    continue;
                }
                let block = block(name);
                out.brk(block);
                match name {
                    "br" => out.brk(Break::Line),
                    "li" => out.push_raw("- "),
                    "pre" => out.pre += 1,
                    _ => {}
                }
                let link = (node.is_html(&local_name!("a")) && href(attrs).is_some()).then(|| {
                    out.link_start();
                    id
                });
                stack.push(Step::Leave {
                    block,
                    link,
                    pre: name == "pre",
                });
                let children: Vec<_> = tree.children(id).collect();
                stack.extend(children.into_iter().rev().map(Step::Enter));
            }
        }
    }
}

/// Elements whose content the reader does not see, or that hold the
/// message being answered.
fn hidden(name: &str, attrs: &[Attribute]) -> bool {
    matches!(
        name,
        "head"
            | "script"
            | "style"
            | "template"
            | "title"
            | "noscript"
            | "blockquote"
            | "img"
            | "svg"
            | "math"
    ) || attr(attrs, "class").is_some_and(|class| {
        class.split_ascii_whitespace().any(|c| {
            matches!(
                c,
                "gmail_quote"
                    | "gmail_attr"
                    | "gmail_signature"
                    | "moz-cite-prefix"
                    | "moz-signature"
                    | "protonmail_quote"
            )
        })
    }) || attr(attrs, "hidden").is_some()
}

/// Outlook's reply header (`divRplyFwdMsg`, `appendonsend`) and the
/// `<hr>` before it.
fn ends_reply(attrs: &[Attribute]) -> bool {
    attr(attrs, "id").is_some_and(|id| matches!(id, "divRplyFwdMsg" | "appendonsend"))
}

fn block(name: &str) -> Break {
    match name {
        "p" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "ul" | "ol" | "dl" | "table" | "pre"
        | "hr" | "address" | "figure" | "section" | "article" | "header" | "footer" | "body" => {
            Break::Paragraph
        }
        "div" | "li" | "tr" | "dt" | "dd" | "center" | "main" | "nav" | "aside" | "caption" => {
            Break::Line
        }
        _ => Break::None,
    }
}

fn attr<'a>(attrs: &'a [Attribute], name: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|a| a.name.ns.is_empty() && &*a.name.local == name)
        .map(|a| a.value.as_ref())
}

/// A link's address, if it is one a comment may show (http or https).
fn href(attrs: &[Attribute]) -> Option<&str> {
    attr(attrs, "href").map(str::trim).filter(|h| {
        let lower = h.to_ascii_lowercase();
        lower.starts_with("https://") || lower.starts_with("http://")
    })
}

/// The text being written, with the break still owed before the next words.
#[derive(Debug, Default)]
struct Out {
    text: String,
    owed: Option<Break>,
    /// Inside `<pre>`: spaces and line breaks kept.
    pre: usize,
    /// Where each open link's words start in `text`.
    links: Vec<usize>,
}

impl Out {
    fn brk(&mut self, b: Break) {
        if b != Break::None && !self.text.is_empty() {
            self.owed = Some(self.owed.map_or(b, |o| o.max(b)));
        }
    }

    fn pay(&mut self) {
        match self.owed.take() {
            Some(Break::Paragraph) => self.text.push_str("\n\n"),
            Some(Break::Line) => self.text.push('\n'),
            _ => {}
        }
    }

    fn push_raw(&mut self, s: &str) {
        self.pay();
        self.text.push_str(s);
    }

    fn text(&mut self, t: &str, pre: bool) {
        if pre {
            for (n, line) in t.split('\n').enumerate() {
                if n > 0 {
                    self.brk(Break::Line);
                }
                if !line.is_empty() {
                    self.push_raw(line);
                }
            }
            return;
        }
        // White space as a browser shows it: any run is one space.
        let words = t.split_ascii_whitespace().collect::<Vec<_>>().join(" ");
        if t.starts_with(|c: char| c.is_ascii_whitespace()) {
            self.space();
        }
        if !words.is_empty() {
            self.push_raw(&words);
            if t.ends_with(|c: char| c.is_ascii_whitespace()) {
                self.space();
            }
        }
    }

    /// One space between words, never at the start of a line.
    fn space(&mut self) {
        if self.owed.is_none() && !self.text.is_empty() && !self.text.ends_with([' ', '\n']) {
            self.text.push(' ');
        }
    }

    fn link_start(&mut self) {
        self.links.push(self.text.len());
    }

    /// After a link's words, its address in brackets, unless the words are
    /// the address.
    fn link_end(&mut self, tree: &Tree, id: tree::Id) {
        let start = self.links.pop().unwrap_or(self.text.len());
        let Kind::Element { attrs, .. } = &tree.nodes[id].kind else {
            return;
        };
        let Some(href) = href(attrs) else {
            return;
        };
        let words = self.text.get(start..).unwrap_or("").trim();
        let bare = |s: &str| {
            s.trim_end_matches('/')
                .trim_start_matches("https://")
                .trim_start_matches("http://")
                .to_ascii_lowercase()
        };
        if words.is_empty() {
            self.push_raw(href);
        } else if bare(words) != bare(href) {
            let had_space = self.text.ends_with(' ');
            let trimmed = self.text.trim_end().len();
            self.text.truncate(trimmed);
            self.text.push_str(" (");
            self.text.push_str(href);
            self.text.push(')');
            if had_space {
                self.text.push(' ');
            }
        }
    }

    fn finish(self) -> String {
        let lines: Vec<&str> = self.text.lines().map(str::trim_end).collect();
        let mut out = lines.join("\n").trim().to_string();
        out.push('\n');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(markup: &str) -> String {
        text(markup).unwrap_or_default()
    }

    #[test]
    fn paragraphs_breaks_and_entities() {
        assert_eq!(
            t("<html><head><title>x</title><style>p{}</style></head><body><p>Hallo&nbsp;Jonas,</p><p>das  ist<br>schön &amp; gut.</p></body></html>"),
            "Hallo\u{a0}Jonas,\n\ndas ist\nschön & gut.\n"
        );
    }

    #[test]
    fn quotes_and_signatures_of_mail_programs_are_left_out() {
        let gmail = "<div dir=\"ltr\">Toller Beitrag!</div><br><div class=\"gmail_quote\"><div class=\"gmail_attr\">Am Do., 12. März 2026 schrieb Jonas:</div><blockquote class=\"gmail_quote\">Alt</blockquote></div>";
        assert_eq!(t(gmail), "Toller Beitrag!\n");
        let thunderbird = "<p>Sehr gut.</p><div class=\"moz-cite-prefix\">Am 12.03.26 um 14:22 schrieb Jonas:</div><blockquote type=\"cite\"><p>Alt</p></blockquote><div class=\"moz-signature\">-- <br>Mira</div>";
        assert_eq!(t(thunderbird), "Sehr gut.\n");
        let outlook = "<div>Agreed.</div><hr style=\"display:inline-block\"><div id=\"divRplyFwdMsg\"><b>From:</b> Jonas</div><div>Old message</div>";
        assert_eq!(t(outlook), "Agreed.\n");
    }

    #[test]
    fn links_keep_their_address_and_lists_their_items() {
        assert_eq!(
            t("<p>Siehe <a href=\"https://example.net/brot\">mein Rezept</a>, oder <a href=\"https://example.net\">example.net</a>.</p><ul><li>eins</li><li>zwei</li></ul><p><a href=\"javascript:alert(1)\">nein</a></p>"),
            "Siehe mein Rezept (https://example.net/brot), oder example.net.\n\n- eins\n- zwei\n\nnein\n"
        );
    }

    #[test]
    fn preformatted_text_keeps_its_lines_and_scripts_are_no_text() {
        assert_eq!(
            t("<pre>a  b\nc</pre><script>alert(1)</script>"),
            "a  b\nc\n"
        );
    }

    #[test]
    fn nesting_deeper_than_browsers_show_is_refused() {
        assert_eq!(text(&"<span>".repeat(tree::MAX_DEPTH + 5)), None);
        let deep = format!("{}Wort", "<div>".repeat(400));
        assert_eq!(t(&deep), "Wort\n");
    }
}
