//! `echt import jekyll SRC DEST`: a Jekyll site (the folder with
//! `_config.yml`) into an echt site whose every old URL keeps answering.
//!
//! The import reads the old site ([`read`]), decides what becomes of each
//! document and URL ([`plan`]), converts each text ([`content`], asking
//! [`links`] about the rest of the site), and writes echt.yaml, `content/`,
//! `static/` and IMPORT.md, the report ([`crate::import::report`]). It never writes into
//! SRC and refuses a DEST that is not empty; it writes the same files for
//! the same site every time.

pub mod config;
pub mod content;
pub mod front;
pub mod links;
pub mod plan;
pub mod read;
pub mod site_config;
pub mod url;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::import::jekyll::content::{convert, Options};
use crate::import::jekyll::read::{DocKind, Left, OldSite};
use crate::import::report::{Level, Report};
use crate::util::error::{Diagnostic, Error, Result};

/// The folder, inside DEST, for files that could not be read.
pub const NEEDS_REVIEW: &str = "needs-review";

/// Imports the Jekyll site at `source` into the new folder `dest`.
pub fn import(source: &Path, dest: &Path) -> Result<Report> {
    crate::import::refuse_non_empty(dest)?;
    refuse_inside(source, dest)?;
    let site = read::read(source)?;
    let mut report = Report::new(
        "Jekyll",
        "Places are given in the old site's files as `file:line:column`, lines counted from the top of the file (front matter included).",
    );
    let plan = plan::plan(&site, &mut report);
    let echt_yaml = site_config::echt_yaml(&site, &plan, &mut report);
    let index = links::Index::new(&site, &plan);
    let mut linked_theme = BTreeSet::new();
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    for doc in &plan.docs {
        let old = &site.docs[doc.old];
        let lookup = index.from(&doc.rel);
        let options = Options {
            markup: doc.markup,
            excerpt_separator: doc.excerpt_separator.as_deref(),
            language: plan.language.code(),
        };
        let converted = convert(&old.body, &options, &lookup);
        for note in converted.notes {
            let line = note.line + old.body_shift;
            report.add(note.kind.into(), &old.rel, line, note.column, note.message);
        }
        linked_theme.extend(lookup.linked_theme.into_inner());
        linked_theme.extend(index.theme_files_in(&converted.text));
        let front = serde_yaml::to_string(&serde_yaml::Value::Mapping(doc.front.clone()))
            .unwrap_or_default();
        let text = format!("---\n{front}---\n{}", converted.text);
        files.push((Path::new("content").join(&doc.rel), text.into_bytes()));
        count(&mut report, &old.kind, &doc.front);
    }
    copy_files(&site, &linked_theme, &mut files, &mut report)?;
    for (rel, problem) in &site.broken {
        report.add(
            Level::Error,
            rel,
            problem.line,
            problem.column,
            problem.message.clone(),
        );
        let kept = if rel == config::CONFIG_FILE {
            "the import went on with Jekyll's defaults".to_string()
        } else {
            files.push((Path::new(NEEDS_REVIEW).join(rel), read_old(&site, rel)?));
            format!(
                "the file is kept as it was in {NEEDS_REVIEW}/, the rest of the site is imported"
            )
        };
        report.problems.push(problem.clone().note(kept));
    }
    server_redirects(&site, &plan, &mut files, &mut report);
    files.push((PathBuf::from("echt.yaml"), echt_yaml.into_bytes()));
    files.push((PathBuf::from("IMPORT.md"), report.markdown().into_bytes()));
    crate::import::write_all(dest, &files)?;
    Ok(report)
}

fn count(report: &mut Report, kind: &DocKind, front: &serde_yaml::Mapping) {
    let c = &mut report.counts;
    match kind {
        DocKind::Post | DocKind::Draft => {
            c.posts += 1;
            if front.get("draft") == Some(&serde_yaml::Value::Bool(true)) {
                c.drafts += 1;
            }
        }
        DocKind::Page => c.pages += 1,
        DocKind::Collection(_) => c.collection_documents += 1,
    }
}

/// Static files to static/, theme files only when linked; the rest is
/// listed as left behind.
fn copy_files(
    site: &OldSite,
    linked_theme: &BTreeSet<String>,
    files: &mut Vec<(PathBuf, Vec<u8>)>,
    report: &mut Report,
) -> Result<()> {
    for rel in &site.statics {
        let bytes = read_old(site, rel)?;
        if is_html_file(rel) && !is_html_page(&bytes) {
            report.add(Level::Review, rel, 1, 1, format!("not an HTML page (a verification file?), which echt's audit refuses: kept in {NEEDS_REVIEW}/; verify the site another way (DNS record or a `<meta>` in a template)"));
            files.push((Path::new(NEEDS_REVIEW).join(rel), bytes));
            continue;
        }
        if rel.starts_with('.') || rel.contains("/.") {
            let why = "echt does not publish files whose names start with a dot: kept in static/, serve it through the host's settings";
            report.add(Level::Review, rel, 0, 0, why.into());
            files.push((Path::new("static").join(rel), bytes));
            continue;
        }
        let published = site.published_path(rel);
        files.push((Path::new("static").join(&published), bytes));
        report.counts.static_files += 1;
        report.urls.insert(crate::import::report::UrlRow {
            old: format!("/{}", url::escape_path(&published)),
            how: "kept (static/)".into(),
            from: rel.clone(),
        });
    }
    for rel in &site.theme_files {
        if linked_theme.contains(rel) {
            files.push((Path::new("static").join(rel), read_old(site, rel)?));
            report.counts.static_files += 1;
            report.add(
                Level::Review,
                rel,
                0,
                0,
                "a file of the old theme that a post or page links to: copied to static/".into(),
            );
        } else {
            report.left.insert((
                rel.clone(),
                "the old theme (echt's theme replaces it)".into(),
            ));
        }
    }
    for (rel, why) in &site.left {
        let why = match why {
            Left::Machinery => "Jekyll's machinery or build output".to_string(),
            Left::Theme => "the old theme (echt's theme replaces it)".to_string(),
            Left::Unpublished(why) => format!("not published by Jekyll either: {why}"),
        };
        report.left.insert((rel.clone(), why));
    }
    report.counts.left_behind = report.left.len();
    Ok(())
}

/// Feeds that moved (`/feed.xml` → `/atom.xml`) also get a real 301 in
/// `static/_redirects` (Netlify, Cloudflare Pages): feed readers follow
/// those, not echt's HTML redirect pages.
fn server_redirects(
    site: &OldSite,
    plan: &plan::Plan,
    files: &mut Vec<(PathBuf, Vec<u8>)>,
    report: &mut Report,
) {
    let base = &site.config.baseurl;
    let lines: String = plan
        .redirects
        .iter()
        .filter(|(from, _)| from.ends_with(".xml"))
        .map(|(from, to)| format!("{base}{from} {base}{to} 301\n"))
        .collect();
    if lines.is_empty() {
        return;
    }
    if site.statics.iter().any(|s| s == "_redirects") {
        report.add(
            Level::Review,
            "_redirects",
            0,
            0,
            format!("the site has its own _redirects: add the feeds' lines to it:\n{lines}"),
        );
        return;
    }
    files.push((PathBuf::from("static/_redirects"), lines.into_bytes()));
    report.add(Level::Changed, "", 0, 0, "static/_redirects sends the old feeds to echt's with a 301 on hosts that read it (Netlify, Cloudflare Pages)".into());
}

fn is_html_file(rel: &str) -> bool {
    matches!(read::extension(rel).as_str(), "html" | "htm")
}

/// Whether a copied HTML file starts as a page does (`<!doctype html>`).
fn is_html_page(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes);
    let start = text.trim_start_matches('\u{feff}').trim_start();
    start
        .get(..9)
        .is_some_and(|s| s.eq_ignore_ascii_case("<!doctype"))
}

fn read_old(site: &OldSite, rel: &str) -> Result<Vec<u8>> {
    let path = site.root.join(rel);
    std::fs::read(&path).map_err(|e| Error::io(&path, &e))
}

/// DEST inside SRC would change the old site (and a later Jekyll build
/// of it would publish the new one).
fn refuse_inside(source: &Path, dest: &Path) -> Result<()> {
    let source = source.canonicalize().map_err(|e| Error::io(source, &e))?;
    let existing = dest
        .ancestors()
        .find(|a| a.exists())
        .unwrap_or(Path::new("."));
    let existing = existing
        .canonicalize()
        .map_err(|e| Error::io(existing, &e))?;
    if existing.starts_with(&source) {
        return Err(Error::from(
            Diagnostic::file(dest, "the destination is inside the Jekyll site")
                .hint("import into a folder outside the old site, which stays as it is"),
        ));
    }
    Ok(())
}
