//! `echt import wordpress EXPORT DEST [--media DIR] [--download]`: a
//! WordPress export (WXR) into an echt site whose every old URL keeps
//! answering, with the conversation under the posts.
//!
//! The import reads the export ([`wxr`]), decides what becomes of each
//! item and URL ([`plan`], [`urls`]), converts each text ([`content`]),
//! puts the media each post shows beside it ([`files`], [`uploads`]),
//! writes the comments as files ([`comments`]), echt.yaml
//! ([`site_config`]), the host files for the redirects a static file
//! cannot make, and IMPORT.md, the report. It refuses a DEST that is not
//! empty and writes the same files for the same export every time.

pub mod comments;
pub mod content;
pub mod files;
pub mod plan;
pub mod site_config;
pub mod uploads;
pub mod urls;
pub mod wxr;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::import::download::{self, Fetch, Outcome};
use crate::import::report::{Level, Report};
use crate::util::error::{Diagnostic, Error, Result};
use content::Converted;
use files::{Finder, Library};
use plan::{NewDoc, Plan, EXPORT};
use uploads::{Attachments, PostMedia};
use wxr::{Export, Item};

/// How the media are found.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// A copy of the blog's `wp-content/uploads`.
    pub media: Option<PathBuf>,
    /// Fetch what is not in `media` from the blog's own host.
    pub download: bool,
}

/// Imports the export at `export_path` into the new folder `dest`.
pub fn import(export_path: &Path, dest: &Path, options: &Options) -> Result<Report> {
    crate::import::refuse_non_empty(dest)?;
    let source = std::fs::read(export_path).map_err(|e| Error::io(export_path, &e))?;
    let source = String::from_utf8(source).map_err(|_| {
        Error::from(
            Diagnostic::file(export_path, "the export is not UTF-8 text")
                .hint("export the blog again from Tools → Export; WordPress writes UTF-8"),
        )
    })?;
    let export = wxr::read(export_path, &source).map_err(Error::from)?;
    let mut report = Report::new(
        "WordPress",
        "Places are given as `export:line:column` in the export file; an item's place is its `<item>`, a comment's its `<wp:comment>`.",
    );
    let plan = plan::plan(&export, &mut report);
    let attachments = Attachments::new(&export);
    let hosts = media_hosts(&export, &plan);
    let mut library = Library::default();
    if let Some(media) = &options.media {
        if !media.is_dir() {
            return Err(Error::from(
                Diagnostic::file(media, "`--media` is not a folder")
                    .hint("give it a copy of the blog's wp-content/uploads folder"),
            ));
        }
        library.dirs.push(media.clone());
    }
    if options.download {
        let dir = download_dir(export_path);
        download(
            &export,
            &plan,
            &attachments,
            &library,
            &hosts,
            &dir,
            &mut report,
        );
        library.dirs.push(dir);
    }
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    for doc in &plan.docs {
        files.extend(doc_files(
            &export,
            &plan,
            doc,
            &attachments,
            &library,
            &hosts,
            &mut report,
        )?);
    }
    let redirects = urls::redirects(&export, &plan, &mut report);
    let echt_yaml = site_config::echt_yaml(&export, &plan, &redirects, &mut report);
    let base = plan.base_path.clone();
    files.push((
        "static/_redirects".into(),
        urls::netlify(&redirects, &base).into_bytes(),
    ));
    files.push((
        "static/_nginx.conf".into(),
        urls::nginx(&redirects, &base).into_bytes(),
    ));
    files.push(("echt.yaml".into(), echt_yaml.into_bytes()));
    files.push(("IMPORT.md".into(), report.markdown().into_bytes()));
    crate::import::write_all(dest, &files)?;
    Ok(report)
}

/// The files of one post or page: its text, its media and its comments.
fn doc_files(
    export: &Export,
    plan: &Plan,
    doc: &NewDoc,
    attachments: &Attachments<'_>,
    library: &Library,
    hosts: &[String],
    report: &mut Report,
) -> Result<Vec<(PathBuf, Vec<u8>)>> {
    let item = &export.items[doc.item];
    let finder = Finder::new(library, hosts);
    let converted = convert(item, attachments, &finder, plan);
    for note in converted.notes {
        let line = item.content_line + note.line - 1;
        report.add(note.kind.into(), EXPORT, line, note.column, note.message);
    }
    let mut front = doc.front.clone();
    featured_image(item, attachments, &finder, &mut front);
    let dir = Path::new("content").join(&doc.dir);
    let yaml = serde_yaml::to_string(&serde_yaml::Value::Mapping(front)).unwrap_or_default();
    let mut out = vec![(
        dir.join("index.md"),
        format!("---\n{yaml}---\n{}", converted.text).into_bytes(),
    )];
    out.extend(files::bundle_files(
        &finder.bundle.borrow(),
        &dir,
        item.line,
        report,
    )?);
    out.extend(comments::files(item, doc, plan.language, report));
    Ok(out)
}

fn convert(
    item: &Item,
    attachments: &Attachments<'_>,
    finder: &Finder<'_>,
    plan: &Plan,
) -> Converted {
    let local = |url: &str| finder.local(url);
    let hosts: Vec<&str> = finder.hosts.iter().map(String::as_str).collect();
    let media = PostMedia {
        attachments,
        post: item.id,
        local: &local,
        hosts: &hosts,
    };
    content::convert(
        &item.content,
        &content::Options {
            language: plan.language.code(),
        },
        &media,
    )
}

/// The featured image (`_thumbnail_id`) as the post's `image:`.
fn featured_image(
    item: &Item,
    attachments: &Attachments<'_>,
    finder: &Finder<'_>,
    front: &mut serde_yaml::Mapping,
) {
    let Some(attachment) = item.thumbnail_id().and_then(|id| attachments.get(id)) else {
        return;
    };
    if let Some(name) = finder.local(&attachment.url) {
        front.insert("image".into(), name.into());
        let alt = if attachment.caption.is_empty() {
            attachment.title
        } else {
            crate::import::html::text(&attachment.caption)
        };
        front.insert(
            "image_alt".into(),
            htmlize::unescape(&alt).into_owned().into(),
        );
    }
}

/// The hosts the blog's files live on: its own, and WordPress.com's file
/// host for a blog there.
fn media_hosts(export: &Export, plan: &Plan) -> Vec<String> {
    let mut hosts = plan.hosts.clone();
    for item in &export.items {
        if let Some(host) = url::Url::parse(&item.attachment_url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
        {
            if host.ends_with(".files.wordpress.com") && !hosts.contains(&host) {
                hosts.push(host);
            }
        }
    }
    hosts
}

/// Where `--download` keeps what it fetched: beside the export, so that
/// a second run fetches only what the first did not.
pub fn download_dir(export_path: &Path) -> PathBuf {
    let stem = export_path
        .file_stem()
        .map_or_else(|| "export".into(), |s| s.to_string_lossy().into_owned());
    export_path
        .parent()
        .unwrap_or(Path::new("."))
        .join(format!("{stem}-uploads"))
}

/// Fetches the files the posts show that the library lacks, from the
/// blog's own host only.
fn download(
    export: &Export,
    plan: &Plan,
    attachments: &Attachments<'_>,
    library: &Library,
    hosts: &[String],
    dir: &Path,
    report: &mut Report,
) {
    let mut wanted: BTreeMap<String, String> = BTreeMap::new();
    for doc in &plan.docs {
        let item = &export.items[doc.item];
        let finder = Finder::new(library, hosts);
        let _ = convert(item, attachments, &finder, plan);
        let mut front = serde_yaml::Mapping::new();
        featured_image(item, attachments, &finder, &mut front);
        for url in &finder.bundle.borrow().missing {
            if let Some((to, from)) = original_url(url, hosts) {
                wanted.entry(to).or_insert(from);
            }
        }
    }
    let list: Vec<Fetch> = wanted
        .into_iter()
        .map(|(to, url)| Fetch { url, to })
        .collect();
    let options = download::Options {
        dir: dir.to_path_buf(),
        // The download checks names; any port on them is the blog's.
        hosts: hosts
            .iter()
            .map(|h| {
                h.rsplit_once(':')
                    .map_or(h.as_str(), |(name, _)| name)
                    .to_string()
            })
            .collect(),
        timeout: Duration::from_secs(60),
        threads: 4,
        max_bytes: 512 * 1024 * 1024,
    };
    let outcomes = download::fetch_all(&list, &options, &|done, total| {
        eprint!("\recht: fetching the blog's files: {done}/{total}");
    });
    if !list.is_empty() {
        eprintln!();
    }
    for (fetch, outcome) in list.iter().zip(outcomes) {
        let problem = match outcome {
            Outcome::Fetched { .. } | Outcome::AlreadyThere => continue,
            Outcome::Missing { status } => format!("the old host answered {status}"),
            Outcome::Refused(why) | Outcome::Failed(why) => why,
        };
        report.add(
            Level::Review,
            EXPORT,
            0,
            0,
            format!("{} could not be fetched: {problem}", fetch.url),
        );
    }
}

/// The upload path of the original behind `url` and the address to fetch
/// it from on the blog's own host (Jetpack's image CDN bypassed).
fn original_url(url: &str, hosts: &[String]) -> Option<(String, String)> {
    let host_list: Vec<&str> = hosts.iter().map(String::as_str).collect();
    let upload = uploads::upload_path(url, &host_list)?;
    let upload = crate::util::url::percent_decode_lossy(&upload);
    let original = uploads::original(&upload);
    let bare = url.split(['?', '#']).next().unwrap_or(url);
    let parsed = url::Url::parse(if bare.starts_with("//") {
        return original_url(&format!("https:{bare}"), hosts);
    } else {
        bare
    })
    .ok()?;
    let host = parsed.host_str()?.to_ascii_lowercase();
    let (origin, path) = if host.len() == 9 && host.ends_with(".wp.com") {
        // Jetpack's CDN: the file is on the blog's own host.
        let inner = parsed.path().trim_start_matches('/');
        let (h, p) = inner.split_once('/')?;
        (
            format!("https://{}", h.to_ascii_lowercase()),
            format!("/{p}"),
        )
    } else {
        let port = parsed.port().map(|p| format!(":{p}")).unwrap_or_default();
        (
            format!("{}://{host}{port}", parsed.scheme()),
            parsed.path().to_string(),
        )
    };
    let prefix_len = path.len().checked_sub(encoded_len(&upload, &path))?;
    let prefix = &path[..prefix_len];
    let encoded_original: String = original
        .split('/')
        .map(crate::import::jekyll::url::escape_path)
        .collect::<Vec<_>>()
        .join("/");
    Some((original, format!("{origin}{prefix}{encoded_original}")))
}

/// How long `upload` is at the end of `path` as written there.
fn encoded_len(upload: &str, path: &str) -> usize {
    let segments = upload.split('/').count();
    path.rsplitn(segments + 1, '/')
        .take(segments)
        .map(|s| s.len() + 1)
        .sum::<usize>()
        .saturating_sub(1)
}
