//! The export's comments as comment files beside their post: approved
//! ones published, pending ones as drafts for the author's review, spam
//! and trash left out, pingbacks and trackbacks counted. No e-mail or IP
//! address is ever written; a name that is an address is replaced.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::import::comment::{anonymous, NewComment};
use crate::import::report::{Level, Report};
use crate::import::wordpress::content::{convert_comment, Options};
use crate::import::wordpress::plan::{title, NewDoc, EXPORT};
use crate::import::wordpress::wxr::{Approval, Comment, CommentKind, Item};
use crate::util::i18n::Language;

/// Where comments of pages go: echt shows threads under posts only.
const PAGE_COMMENTS: &str = "needs-review";

/// The comment files of one post or page, paths relative to DEST.
pub fn files(
    item: &Item,
    doc: &NewDoc,
    language: Language,
    report: &mut Report,
) -> Vec<(PathBuf, Vec<u8>)> {
    let kept: HashMap<u64, &Comment> = item
        .comments
        .iter()
        .filter(|c| is_reader_comment(c) && kept(c))
        .map(|c| (c.id, c))
        .collect();
    let parents: HashMap<u64, u64> = item.comments.iter().map(|c| (c.id, c.parent)).collect();
    let folder = if doc.post {
        Path::new("content").join(&doc.dir).join("comments")
    } else {
        Path::new(PAGE_COMMENTS).join(&doc.dir).join("comments")
    };
    let mut out = Vec::new();
    for comment in &item.comments {
        if !is_reader_comment(comment) {
            report.counts.pings += 1;
            continue;
        }
        match comment.approved {
            Approval::Approved | Approval::Pending => {}
            Approval::Spam | Approval::Trash | Approval::Other(_) => {
                report.add(
                    Level::Changed,
                    EXPORT,
                    comment.line,
                    1,
                    format!(
                        "a comment on “{}” was spam or in the trash: left out",
                        title(item)
                    ),
                );
                continue;
            }
        }
        let draft = comment.approved == Approval::Pending;
        let parent = parent(comment, &kept, &parents, draft);
        if parent.is_none() && comment.parent != 0 {
            report.add(Level::Changed, EXPORT, comment.line, 1, "the comment it answers is not published: it answers the nearest published one, or the post".into());
        }
        let author = author(comment, language, report);
        let url = website(&comment.author_url);
        let Some(date) = comment.date.or(item.date) else {
            report.add(
                Level::Review,
                EXPORT,
                comment.line,
                1,
                "a comment without a date: left out".into(),
            );
            continue;
        };
        let converted = convert_comment(
            &comment.content,
            &Options {
                language: language.code(),
            },
        );
        for note in converted.notes {
            let line = comment.line + note.line - 1;
            report.add(note.kind.into(), EXPORT, line, note.column, note.message);
        }
        let id = format!("wp-{}", comment.id);
        let parent_id = parent.map(|p| format!("wp-{p}"));
        let text = NewComment {
            id: &id,
            parent: parent_id.as_deref(),
            author: &author,
            url: url.as_deref(),
            date,
            body: &converted.text,
            draft,
        }
        .text();
        out.push((folder.join(format!("{id}.md")), text.into_bytes()));
        report.counts.comments += 1;
        if draft {
            report.counts.comments_waiting += 1;
            report.add(Level::Review, EXPORT, comment.line, 1, format!("a comment by {author} on “{}” was waiting for approval: it is a draft (`draft: true` in `{}`); remove that line to publish it", title(item), folder.join(format!("{id}.md")).display()));
        }
    }
    if !doc.post && !out.is_empty() {
        report.add(Level::Review, EXPORT, item.line, 1, format!("the page “{}” had comments, and echt shows comments under posts only: they are kept in {}", title(item), folder.display()));
        report.counts.comments -= out.len();
    }
    out
}

fn is_reader_comment(comment: &Comment) -> bool {
    match &comment.kind {
        CommentKind::Comment => true,
        CommentKind::Pingback | CommentKind::Trackback => false,
        CommentKind::Other(kind) => kind.is_empty() || kind == "comment",
    }
}

fn kept(comment: &Comment) -> bool {
    matches!(comment.approved, Approval::Approved | Approval::Pending)
}

/// The comment it answers: its own parent when that is kept (a published
/// comment only under a published one), else the nearest kept ancestor.
fn parent(
    comment: &Comment,
    kept: &HashMap<u64, &Comment>,
    parents: &HashMap<u64, u64>,
    draft: bool,
) -> Option<u64> {
    let mut at = comment.parent;
    let mut steps = 0;
    while at != 0 && steps <= parents.len() {
        if let Some(c) = kept.get(&at) {
            if draft || c.approved == Approval::Approved {
                return Some(at);
            }
        }
        at = parents.get(&at).copied().unwrap_or(0);
        steps += 1;
    }
    None
}

/// The name shown: as written, unless empty or an address.
fn author(comment: &Comment, language: Language, report: &mut Report) -> String {
    let name = htmlize::unescape(comment.author.trim()).into_owned();
    let name: String = name.chars().filter(|c| !c.is_control()).collect();
    if name.is_empty() || name.contains('@') {
        let shown = anonymous(language).to_string();
        report.add(
            Level::Changed,
            EXPORT,
            comment.line,
            1,
            format!("a comment's name was empty or an e-mail address: shown as “{shown}”"),
        );
        return shown;
    }
    name
}

/// The reader's website, when it is a plain web address.
fn website(written: &str) -> Option<String> {
    let u = url::Url::parse(written.trim()).ok()?;
    let plain = matches!(u.scheme(), "http" | "https")
        && u.username().is_empty()
        && u.password().is_none()
        && u.host_str().is_some();
    plain.then(|| u.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn websites_are_plain_web_addresses() {
        assert_eq!(
            website(" https://jana.example.org "),
            Some("https://jana.example.org/".into())
        );
        assert_eq!(
            website("http://a.example/x?y=1"),
            Some("http://a.example/x?y=1".into())
        );
        assert_eq!(website("javascript:alert(1)"), None);
        assert_eq!(website("https://u:p@a.example/"), None);
        assert_eq!(website("mailto:a@b.example"), None);
        assert_eq!(website(""), None);
    }
}
