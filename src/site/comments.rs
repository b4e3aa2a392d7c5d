//! Each post's comments as a thread: replies nested under what they
//! answer, any depth, in the order they were written.
//!
//! Comment files are read on every load (they are small and few beside
//! the posts), so a new, changed or removed comment is always seen; the
//! post's pages change with them through their contexts' fingerprints.
//! Drafts (comments waiting for review) are kept only when drafts are
//! shown. A `parent` that names no comment of the same post, and replies
//! that lead round in a circle, are errors.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use crate::markdown;
use crate::source::comment::{self, Comment};
use crate::source::config::Config;
use crate::source::content::{CommentFile, Inventory, CONTENT_DIR};
use crate::util::error::Diagnostic;

/// One comment in its thread, with its answers.
#[derive(Debug, Clone)]
pub struct Node {
    pub comment: Arc<Comment>,
    /// The body, sanitised ([`markdown::comment`]).
    pub html: String,
    /// Oldest first.
    pub replies: Vec<Node>,
}

/// A post's comments.
#[derive(Debug, Clone, Default)]
pub struct Thread {
    /// The comments that answer the post itself, oldest first.
    pub roots: Vec<Node>,
    /// Every comment shown, replies included.
    pub count: usize,
}

/// The threads of every post, by the post's path below `content/`, from
/// the comment files of `inventory`; problems go to `errors`.
pub fn threads(
    config: &Config,
    inventory: &Inventory,
    drafts: bool,
    errors: &mut Vec<Diagnostic>,
) -> HashMap<String, Thread> {
    let read: Vec<(usize, Result<Comment, Vec<Diagnostic>>)> = inventory
        .comments
        .par_iter()
        .map(|file| (file.post, read(config, file)))
        .collect();
    let mut by_post: BTreeMap<usize, Vec<Comment>> = BTreeMap::new();
    for (post, result) in read {
        match result {
            Ok(c) => by_post.entry(post).or_default().push(c),
            Err(mut problems) => errors.append(&mut problems),
        }
    }
    let own_host = url::Url::parse(&config.base_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string));
    // Rendering is most of the work: one post per task.
    let made: Vec<(String, Thread, Vec<Diagnostic>)> = by_post
        .into_par_iter()
        .map(|(post, comments)| {
            let mut problems = Vec::new();
            let thread = thread(comments, drafts, own_host.as_deref(), &mut problems);
            (inventory.sources[post].rel.clone(), thread, problems)
        })
        .collect();
    let mut threads = HashMap::new();
    for (rel, thread, mut problems) in made {
        errors.append(&mut problems);
        threads.insert(rel, thread);
    }
    threads
}

fn read(config: &Config, file: &CommentFile) -> Result<Comment, Vec<Diagnostic>> {
    let shown = std::path::Path::new(CONTENT_DIR).join(&file.rel);
    let bytes = std::fs::read(config.root.join(&shown))
        .map_err(|e| vec![Diagnostic::file(&shown, crate::util::error::io_message(&e))])?;
    let mut text = crate::util::text::decode_utf8(&shown, &bytes).map_err(|e| e.diagnostics)?;
    // The marker of internal URLs is echt's alone, as in posts.
    if text.contains(crate::util::url::ROOT) {
        text = text.replace(crate::util::url::ROOT, "");
    }
    comment::parse(&file.rel, &text)
}

/// The thread of one post's `comments`, with drafts if `drafts`; links
/// to `own_host` are their text (see [`markdown::comment`]).
pub fn thread(
    mut comments: Vec<Comment>,
    drafts: bool,
    own_host: Option<&str>,
    errors: &mut Vec<Diagnostic>,
) -> Thread {
    comments.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.id.cmp(&b.id)));
    let ids: HashSet<&str> = comments.iter().map(|c| c.id.as_str()).collect();
    let mut problem = false;
    for c in &comments {
        if let Some(parent) = &c.parent {
            if !ids.contains(parent.as_str()) {
                errors.push(
                    c.diagnostic_at("parent", format!("no comment `{parent}` answers this post"))
                        .hint("`parent` names the id of another comment of the same post; remove it if this comment answers the post"),
                );
                problem = true;
            }
        }
    }
    if problem {
        return Thread::default();
    }
    // A reply to a draft waits with it.
    let shown: Vec<Arc<Comment>> = comments
        .into_iter()
        .filter(|c| drafts || !c.draft)
        .map(Arc::new)
        .collect();
    let mut children: HashMap<Option<&str>, Vec<&Arc<Comment>>> = HashMap::new();
    for c in &shown {
        children.entry(c.parent.as_deref()).or_default().push(c);
    }
    let mut placed = HashSet::new();
    let roots = nodes(None, &children, own_host, &mut placed);
    for c in &shown {
        let waits_for_draft = c
            .parent
            .as_deref()
            .is_some_and(|p| !shown.iter().any(|s| s.id == p));
        if !placed.contains(c.id.as_str()) && !waits_for_draft {
            errors.push(
                c.diagnostic_at("parent", "the replies lead round in a circle")
                    .hint("one comment in the circle must answer the post (no `parent`)"),
            );
        }
    }
    Thread {
        roots,
        count: placed.len(),
    }
}

/// The answers to `parent` (None: the post) and theirs, recorded in
/// `placed`.
fn nodes<'a>(
    parent: Option<&'a str>,
    children: &HashMap<Option<&'a str>, Vec<&'a Arc<Comment>>>,
    own_host: Option<&str>,
    placed: &mut HashSet<&'a str>,
) -> Vec<Node> {
    let Some(list) = children.get(&parent) else {
        return Vec::new();
    };
    let mut nodes = Vec::new();
    for c in list {
        // A circle cannot be reached from the post; a comment is placed
        // once in any case.
        if placed.insert(c.id.as_str()) {
            nodes.push(Node {
                comment: Arc::clone(c),
                html: markdown::comment::render(&c.body, own_host),
                replies: self::nodes(Some(c.id.as_str()), children, own_host, placed),
            });
        }
    }
    nodes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comment(id: &str, parent: Option<&str>, date: &str, draft: bool) -> Comment {
        let parent_line = parent.map_or(String::new(), |p| format!("parent: {p}\n"));
        let text = format!(
            "---\nid: {id}\n{parent_line}author: A\ndate: {date}\ndraft: {draft}\n---\nText {id}\n"
        );
        comment::parse(&format!("posts/a/comments/{id}.md"), &text).expect("parses")
    }

    fn shape(nodes: &[Node]) -> String {
        nodes
            .iter()
            .map(|n| {
                if n.replies.is_empty() {
                    n.comment.id.clone()
                } else {
                    format!("{}({})", n.comment.id, shape(&n.replies))
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn replies_nest_in_order_of_date_then_id() {
        let mut errors = Vec::new();
        let t = thread(
            vec![
                comment("c", Some("a"), "2024-01-03", false),
                comment("b", None, "2024-01-02", false),
                comment("a", None, "2024-01-01", false),
                comment("e", Some("d"), "2024-01-05", false),
                comment("d", Some("c"), "2024-01-04", false),
                comment("f", Some("a"), "2024-01-03", false),
            ],
            false,
            None,
            &mut errors,
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(shape(&t.roots), "a(c(d(e)) f) b");
        assert_eq!(t.count, 6);
    }

    #[test]
    fn drafts_and_their_replies_wait() {
        let all = || {
            vec![
                comment("a", None, "2024-01-01", false),
                comment("b", Some("a"), "2024-01-02", true),
                comment("c", Some("b"), "2024-01-03", false),
            ]
        };
        let mut errors = Vec::new();
        assert_eq!(shape(&thread(all(), false, None, &mut errors).roots), "a");
        assert_eq!(
            shape(&thread(all(), true, None, &mut errors).roots),
            "a(b(c))"
        );
        assert!(errors.is_empty(), "{errors:?}");
    }

    #[test]
    fn a_missing_parent_is_an_error_at_its_key() {
        let mut errors = Vec::new();
        thread(
            vec![comment("a", Some("zz"), "2024-01-01", false)],
            false,
            None,
            &mut errors,
        );
        let shown = errors[0].to_string();
        assert!(shown.contains("no comment `zz`"), "{shown}");
        assert!(shown.contains("a.md:3:9"), "{shown}");
    }

    #[test]
    fn circles_are_errors() {
        let mut errors = Vec::new();
        let t = thread(
            vec![
                comment("a", Some("b"), "2024-01-01", false),
                comment("b", Some("a"), "2024-01-02", false),
                comment("c", None, "2024-01-02", false),
            ],
            false,
            None,
            &mut errors,
        );
        assert_eq!(shape(&t.roots), "c");
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors[0].to_string().contains("circle"));
    }
}
