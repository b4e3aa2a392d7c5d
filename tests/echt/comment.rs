//! `echt comment`: a reader's e-mail (from a file or standard input)
//! becomes a draft comment beside its post, and the sender's address is
//! written nowhere.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::support::{echt, TestSite};

fn mail(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/mail")
        .join(name)
}

fn comment(site: &TestSite, args: &[&str]) -> Output {
    let root = site.root().to_string_lossy().into_owned();
    let mut all = vec!["comment"];
    all.extend_from_slice(args);
    all.extend(["--root", root.as_str()]);
    echt(&all, site.root())
}

/// Runs `echt comment ARGS` in the site's folder with `input` on stdin.
fn comment_stdin(site: &TestSite, args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_echt"))
        .arg("comment")
        .args(args)
        .current_dir(site.root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[track_caller]
fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "stdout: {}\nstderr: {}",
        text(&out.stdout),
        text(&out.stderr)
    );
    text(&out.stdout)
}

#[track_caller]
fn fails(out: &Output) -> String {
    assert!(!out.status.success(), "stdout: {}", text(&out.stdout));
    text(&out.stderr)
}

/// The comment files of the post `sauerteig`: (file stem, text).
fn comments(site: &TestSite) -> Vec<(String, String)> {
    let dir = site.root().join("content/posts/sauerteig/comments");
    let mut found: Vec<_> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .map(|e| {
                    let path = e.unwrap().path();
                    let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
                    (stem, std::fs::read_to_string(&path).unwrap())
                })
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found
}

/// Front matter of a comment file as YAML.
fn front(text: &str) -> serde_yaml::Mapping {
    let front = text
        .strip_prefix("---\n")
        .and_then(|rest| rest.split_once("\n---\n"))
        .unwrap()
        .0;
    serde_yaml::from_str(front).unwrap()
}

/// Every file below `dir` whose bytes contain `needle` (case-insensitive).
fn files_containing(dir: &Path, needle: &str) -> Vec<PathBuf> {
    let needle = needle.to_lowercase();
    walk(dir)
        .into_iter()
        .filter(|p| {
            String::from_utf8_lossy(&std::fs::read(p).unwrap())
                .to_lowercase()
                .contains(&needle)
        })
        .collect()
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

#[test]
fn a_message_from_a_file_becomes_a_draft_comment_without_the_address() {
    let site = TestSite::fixture("mail-replies");
    let first = mail("first.eml");
    let out = ok(&comment(
        &site,
        &["sauerteig", "--from", first.to_str().unwrap()],
    ));
    let all = comments(&site);
    assert_eq!(all.len(), 1, "{all:?}");
    let (id, file) = &all[0];
    assert!(id.starts_with("m-") && id.len() == 10, "{id}");
    assert!(
        out.contains(&format!("content/posts/sauerteig/comments/{id}.md")),
        "{out}"
    );
    assert!(out.contains("a comment by Mira Olsén"), "{out}");
    assert!(out.contains("draft: true"), "{out}");
    let fm = front(file);
    let keys: Vec<_> = fm.keys().map(|k| k.as_str().unwrap()).collect();
    assert_eq!(keys, ["id", "author", "date", "draft"]);
    assert_eq!(fm["id"].as_str(), Some(id.as_str()));
    assert_eq!(fm["author"].as_str(), Some("Mira Olsén"));
    assert_eq!(fm["date"].as_str(), Some("2026-03-12T14:22:05+01:00"));
    assert_eq!(fm["draft"].as_bool(), Some(true));
    // The plain text part, its soft line break joined, the signature gone.
    assert!(
        file.ends_with("---\n\nHallo Jonas,\n\nbei mir hat der Teig am zweiten Tag schon Blasen geworfen – ist das normal? Schreib mir gern an [E-Mail-Adresse entfernt].\n\nViele Grüße\nMira\n"),
        "{file}"
    );
    assert!(out.contains("signature"), "{out}");
    assert!(out.contains("1 e-mail address removed"), "{out}");
    // Neither the address nor its local part is anywhere in the site.
    for needle in ["mira.o-1987@post.example", "mira.o-1987", "post.example"] {
        assert_eq!(
            files_containing(site.root(), needle),
            Vec::<PathBuf>::new(),
            "{needle}"
        );
    }
}

#[test]
fn a_reply_from_standard_input_finds_its_parent_by_in_reply_to() {
    let site = TestSite::fixture("mail-replies");
    let first = mail("first.eml");
    ok(&comment(
        &site,
        &[
            "content/posts/sauerteig/",
            "--from",
            first.to_str().unwrap(),
        ],
    ));
    let parent = comments(&site)[0].0.clone();
    let reply = std::fs::read(mail("reply.eml")).unwrap();
    let out = ok(&comment_stdin(
        &site,
        &["content/posts/sauerteig/index.md"],
        &reply,
    ));
    assert!(out.contains(&format!("in reply to {parent}")), "{out}");
    let all = comments(&site);
    assert_eq!(all.len(), 2);
    let (id, file) = all.iter().find(|(id, _)| *id != parent).unwrap();
    let fm = front(file);
    assert_eq!(fm["id"].as_str(), Some(id.as_str()));
    assert_eq!(fm["parent"].as_str(), Some(parent.as_str()));
    assert_eq!(fm["author"].as_str(), Some("Jonas Weber"));
    assert!(
        file.ends_with("---\n\nJa, das ist ein gutes Zeichen: die Hefen sind wach.\n"),
        "{file}"
    );
    for needle in [
        "mira.o-1987",
        "post.example",
        "blog@brot.example",
        "Am 12.03.2026",
    ] {
        assert_eq!(
            files_containing(site.root(), needle),
            Vec::<PathBuf>::new(),
            "{needle}"
        );
    }
}

#[test]
fn the_same_message_twice_is_refused_and_the_file_kept() {
    let site = TestSite::fixture("mail-replies");
    let first = mail("first.eml");
    let from = first.to_str().unwrap();
    ok(&comment(&site, &["sauerteig", "--from", from]));
    let before = comments(&site);
    let err = fails(&comment(&site, &["sauerteig", "--from", from]));
    assert!(
        err.contains("this message is already a comment on the post"),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "content/posts/sauerteig/comments/{}.md",
            before[0].0
        )),
        "{err}"
    );
    assert_eq!(comments(&site), before);
}

#[test]
fn html_only_and_anonymous_messages() {
    let site = TestSite::fixture("mail-replies");
    let html = mail("html-only.eml");
    let out = ok(&comment(
        &site,
        &["sauerteig", "--from", html.to_str().unwrap()],
    ));
    assert!(out.contains("its words were taken from its HTML"), "{out}");
    let anonymous = std::fs::read(mail("anonymous.eml")).unwrap();
    let out = ok(&comment_stdin(&site, &["sauerteig"], &anonymous));
    assert!(
        out.contains("the attachment `brot.jpg` was left out"),
        "{out}"
    );
    assert!(out.contains("shown as “Leserin”"), "{out}");
    let all = comments(&site);
    let bodies: Vec<_> = all
        .iter()
        .map(|(_, f)| f.split_once("\n---\n\n").unwrap().1)
        .collect();
    assert!(
        bodies.contains(&"Schön geschrieben! Mein Brot klebt aber.\n"),
        "{bodies:?}"
    );
    assert!(
        bodies.contains(&"Liebe Grüße aus Köln!\nDer Sauerteig ist gelungen.\n"),
        "{bodies:?}"
    );
    let authors: Vec<_> = all
        .iter()
        .map(|(_, f)| front(f)["author"].as_str().unwrap().to_string())
        .collect();
    assert!(authors.contains(&"Ada B.".to_string()), "{authors:?}");
    assert!(authors.contains(&"Leserin".to_string()), "{authors:?}");
    for needle in [
        "ada-b.42",
        "mailbox.example",
        "kurt.77x",
        "anon.example",
        "brot.jpg",
    ] {
        assert_eq!(
            files_containing(site.root(), needle),
            Vec::<PathBuf>::new(),
            "{needle}"
        );
    }
}

#[test]
fn a_closed_thread_is_noted() {
    let site = TestSite::fixture("mail-replies");
    let index = site.root().join("content/posts/sauerteig/index.md");
    let post = std::fs::read_to_string(&index).unwrap();
    let site = site.file(
        "content/posts/sauerteig/index.md",
        &post.replace("tags: [Brot]\n", "tags: [Brot]\ncomments: false\n"),
    );
    let first = mail("first.eml");
    let out = ok(&comment(
        &site,
        &["sauerteig", "--from", first.to_str().unwrap()],
    ));
    assert!(out.contains("the post's thread is closed"), "{out}");
    assert_eq!(comments(&site).len(), 1);
}

#[test]
fn an_english_site_names_an_anonymous_reader_in_english() {
    let site = TestSite::fixture("mail-replies");
    let config = std::fs::read_to_string(site.root().join("echt.yaml")).unwrap();
    let site = site.file("echt.yaml", &config.replace("language: de", "language: en"));
    let anonymous = mail("anonymous.eml");
    let out = ok(&comment(
        &site,
        &["sauerteig", "--from", anonymous.to_str().unwrap()],
    ));
    assert!(out.contains("shown as “A reader”"), "{out}");
    assert_eq!(
        front(&comments(&site)[0].1)["author"].as_str(),
        Some("A reader")
    );
}

#[test]
fn errors_name_the_post_or_the_message() {
    let site = TestSite::fixture("mail-replies");
    let first = mail("first.eml");
    let from = first.to_str().unwrap();
    let err = fails(&comment(&site, &["einzeln", "--from", from]));
    assert!(err.contains("this post is a single file"), "{err}");
    assert!(err.contains("--> content/posts/einzeln.md"), "{err}");
    assert!(
        err.contains("move it to content/posts/einzeln/index.md"),
        "{err}"
    );
    let err = fails(&comment(
        &site,
        &["content/posts/einzeln.md", "--from", from],
    ));
    assert!(err.contains("this post is a single file"), "{err}");
    let err = fails(&comment(&site, &["roggen", "--from", from]));
    assert!(err.contains("there is no post `roggen`"), "{err}");
    let err = fails(&comment(&site, &["sauerteig", "--from", "fehlt.eml"]));
    assert!(err.contains("--> fehlt.eml"), "{err}");
    let site = site.file("notiz.txt", "Nur eine Notiz, keine Mail.\n");
    let err = fails(&comment(&site, &["sauerteig", "--from", "notiz.txt"]));
    assert!(err.contains("this is not an e-mail message"), "{err}");
    assert!(err.contains("--> notiz.txt"), "{err}");
    let err = fails(&comment_stdin(&site, &["sauerteig"], b""));
    assert!(err.contains("--> <stdin>"), "{err}");
    assert_eq!(comments(&site), []);
    let err = fails(&comment(&site, &["echt.yaml", "--from", from]));
    assert!(err.contains("this is not a post of the site"), "{err}");
}

#[test]
fn a_comment_from_a_message_is_shown_under_its_post_once_published() {
    let site = TestSite::fixture("mail-replies");
    let first = mail("first.eml");
    let reply = mail("reply.eml");
    ok(&comment(
        &site,
        &["sauerteig", "--from", first.to_str().unwrap()],
    ));
    ok(&comment(
        &site,
        &["sauerteig", "--from", reply.to_str().unwrap()],
    ));
    // Drafts wait for review: not in a plain build, shown with --drafts.
    let page = site.build().ok().page("posts/sauerteig/");
    assert!(!page.contains("Mira Olsén"), "{page}");
    let page = site.build_with(&["--drafts"]).ok().page("posts/sauerteig/");
    assert!(page.contains("Mira Olsén"), "{page}");
    assert!(page.contains("Blasen geworfen"), "{page}");
    assert_eq!(
        files_containing(&site.root().join("public"), "mira.o-1987"),
        Vec::<PathBuf>::new()
    );
}
