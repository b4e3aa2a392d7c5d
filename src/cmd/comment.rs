//! `echt comment POST [--from FILE]`: a reader's e-mail becomes a comment
//! file beside the post, a draft for the author to read before it shows.
//!
//! The message is read by `import::mail`; this command finds the post,
//! the parent (a comment already written for the same post, found by the
//! message ids the reply names) and a file name no other comment has, and
//! writes the file without ever overwriting one.

use std::fmt;
use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};

use crate::import::mail::{self, comment as file};
use crate::source::config::Config;
use crate::source::content::{CONTENT_DIR, POSTS_DIR};
use crate::util::error::{Diagnostic, Error, Result};

/// The folder of a post's comments, inside its bundle.
pub const COMMENTS_DIR: &str = "comments";

/// What `echt comment` was asked to do.
#[derive(Debug, Clone)]
pub struct CommentOptions {
    /// The site's folder.
    pub root: PathBuf,
    /// The post: its `index.md`, its folder, or its folder's name.
    pub post: String,
    /// The saved message; standard input without it.
    pub from: Option<PathBuf>,
}

/// The comment written, for the summary.
#[derive(Debug, Clone)]
pub struct Added {
    /// The new file (below the site's folder as given).
    pub file: PathBuf,
    pub author: String,
    pub parent: Option<String>,
    pub notes: Vec<String>,
}

/// Reads the message and writes its comment; `now` dates a message that
/// has no date.
pub fn comment(options: &CommentOptions, now: DateTime<FixedOffset>) -> Result<Added> {
    let config = Config::load(&options.root)?;
    let bundle = find_post(&options.root, &options.post)?;
    let (label, bytes) = read_message(options.from.as_deref())?;
    let reply = mail::read(&label, &bytes, config.language)?;
    let comments = bundle.join(COMMENTS_DIR);
    let id = file::id_for(&reply);
    let rel = comments.join(format!("{id}.md"));
    let path = options.root.join(&rel);
    if path.exists() {
        return Err(already(&rel));
    }
    let parent = reply
        .answers
        .iter()
        .map(|answered| file::id_of(answered))
        .find(|parent| {
            *parent != id
                && options
                    .root
                    .join(&comments)
                    .join(format!("{parent}.md"))
                    .is_file()
        });
    let mut notes = reply.notes.clone();
    let author = reply.name.clone().unwrap_or_else(|| {
        let name = file::anonymous(config.language);
        notes.push(format!(
            "the sender gave no name (or only their address): shown as “{name}”; change `author` if they signed their words"
        ));
        name.to_string()
    });
    if !reply.answers.is_empty() && parent.is_none() {
        notes.push("it answers a message that is no comment on this post: a comment of its own, not a reply".into());
    }
    if thread_closed(&options.root.join(&bundle).join("index.md")) {
        notes.push(
            "the post's thread is closed (`comments: false`): the comment shows, but no reply link"
                .into(),
        );
    }
    if reply.message_id.is_none() {
        notes.push("the message has no Message-ID: its id comes from its whole text".into());
    }
    let date = reply.date.unwrap_or_else(|| {
        notes.push("dated now".into());
        now
    });
    let text = file::NewComment {
        id: &id,
        parent: parent.as_deref(),
        author: &author,
        url: None,
        date,
        body: &reply.body,
        draft: true,
    }
    .text();
    write_new(&options.root, &rel, &text)?;
    Ok(Added {
        file: if options.root == Path::new(".") {
            rel
        } else {
            path
        },
        author,
        parent,
        notes,
    })
}

/// Whether the post at `index` says `comments: false` (a post whose front
/// matter cannot be read is left to `echt build` to report).
fn thread_closed(index: &Path) -> bool {
    let Ok(source) = std::fs::read_to_string(index) else {
        return false;
    };
    let Ok(split) = crate::source::frontmatter::split(index, &source) else {
        return false;
    };
    serde_yaml::from_str::<serde_yaml::Value>(split.yaml)
        .is_ok_and(|front| front.get("comments") == Some(&serde_yaml::Value::Bool(false)))
}

/// The message's bytes and the name errors give it.
fn read_message(from: Option<&Path>) -> Result<(PathBuf, Vec<u8>)> {
    if let Some(path) = from {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, &e))?;
        return Ok((path.to_path_buf(), bytes));
    }
    let label = PathBuf::from("<stdin>");
    let mut stdin = std::io::stdin();
    if stdin.is_terminal() {
        return Err(Diagnostic::file(&label, "no message: standard input is the terminal")
            .hint("pass the saved message with --from message.eml, or pipe it in: echt comment POST < message.eml")
            .into());
    }
    let mut bytes = Vec::new();
    stdin
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(&label, &e))?;
    Ok((label, bytes))
}

fn already(rel: &Path) -> Error {
    Diagnostic::file(rel, "this message is already a comment on the post")
        .hint("the same message always becomes the same file; delete the file to import the message again")
        .into()
}

/// Writes `text` to `root/rel`, which must not exist yet.
fn write_new(root: &Path, rel: &Path, text: &str) -> Result<()> {
    let path = root.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, &e))?;
    }
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path);
    match file {
        Ok(mut f) => {
            use std::io::Write;
            f.write_all(text.as_bytes()).map_err(|e| Error::io(rel, &e))
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(already(rel)),
        Err(e) => Err(Error::io(rel, &e)),
    }
}

/// The bundle folder (relative to `root`) of the post `post` names: its
/// `index.md`, its folder (either relative to the site's folder or to the
/// current one), or the folder's name.
fn find_post(root: &Path, post: &str) -> Result<PathBuf> {
    let given = Path::new(post);
    let candidates = [root.join(given), given.to_path_buf()];
    if let Some(inside) = candidates.iter().find_map(|c| inside_posts(root, c)) {
        return post_at(root, &inside);
    }
    if candidates.iter().any(|c| c.exists()) {
        return Err(not_a_post(post));
    }
    let slug = post.trim_end_matches('/');
    let posts = root.join(CONTENT_DIR).join(POSTS_DIR);
    let mut found = Vec::new();
    if !slug.is_empty() && !slug.contains(['/', '\\']) && posts.is_dir() {
        for entry in walkdir::WalkDir::new(&posts)
            .into_iter()
            .filter_map(std::result::Result::ok)
        {
            let name = entry.file_name().to_string_lossy();
            let dir = entry.file_type().is_dir()
                && name == slug
                && entry.path().join("index.md").is_file();
            let single = entry.file_type().is_file() && name == format!("{slug}.md").as_str();
            if (dir || single)
                && !entry
                    .path()
                    .components()
                    .any(|c| c.as_os_str() == COMMENTS_DIR)
            {
                found.extend(inside_posts(root, entry.path()));
            }
        }
    }
    found.sort();
    match found.as_slice() {
        [one] => post_at(root, one),
        [] => Err(Diagnostic::file(
            Path::new(CONTENT_DIR).join(POSTS_DIR),
            format!("there is no post `{post}`"),
        )
        .hint("name the post by its file (content/posts/NAME/index.md), its folder or its folder's name")
        .into()),
        many => Err(Diagnostic::file(
            Path::new(CONTENT_DIR).join(POSTS_DIR),
            format!("`{post}` names {} posts", many.len()),
        )
        .hint(format!(
            "name one by its file: {}",
            many.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
        ))
        .into()),
    }
}

/// `path` relative to the site's folder (`content/posts/…`), if it exists
/// and lies inside `content/posts/`, links resolved.
fn inside_posts(root: &Path, path: &Path) -> Option<PathBuf> {
    let posts = root.join(CONTENT_DIR).join(POSTS_DIR).canonicalize().ok()?;
    let real = path.canonicalize().ok()?;
    let inside = real.strip_prefix(&posts).ok()?;
    Some(Path::new(CONTENT_DIR).join(POSTS_DIR).join(inside))
}

/// The bundle of the post at `rel` (a file or folder inside
/// `content/posts/` that exists, relative to the site's folder).
fn post_at(root: &Path, rel: &Path) -> Result<PathBuf> {
    let posts = Path::new(CONTENT_DIR).join(POSTS_DIR);
    if root.join(rel).is_dir() {
        if rel != posts && root.join(rel).join("index.md").is_file() {
            return Ok(rel.to_path_buf());
        }
        return Err(Diagnostic::file(rel, "this folder is no post: it has no index.md").into());
    }
    let name = rel.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if name == "index.md" {
        return Ok(rel.parent().map(Path::to_path_buf).unwrap_or_default());
    }
    if let Some(stem) = name.strip_suffix(".md") {
        let bundle = rel.with_file_name(stem).join("index.md");
        return Err(Diagnostic::file(rel, "comments belong to a post that is a bundle, and this post is a single file")
            .hint(format!(
                "make it a bundle: move it to {} (pictures it shows can go beside it), then run echt comment again",
                bundle.display()
            ))
            .into());
    }
    Err(Diagnostic::file(rel, "this is no post: a post's folder has an index.md").into())
}

fn not_a_post(post: &str) -> Error {
    Diagnostic::file(
        post,
        "this is not a post of the site: posts are in content/posts/",
    )
    .hint(
        "name the post by its file (content/posts/NAME/index.md), its folder or its folder's name",
    )
    .into()
}

impl fmt::Display for Added {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "echt: wrote {}, a comment by {}",
            self.file.display(),
            self.author
        )?;
        if let Some(parent) = &self.parent {
            write!(f, " in reply to {parent}")?;
        }
        writeln!(f)?;
        for note in &self.notes {
            writeln!(f, "  note: {note}")?;
        }
        writeln!(
            f,
            "next: read it (`echt serve` shows it under the post) and change what needs it; \
             to publish it, delete the line `draft: true`"
        )
    }
}
