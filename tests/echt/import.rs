//! `echt import jekyll`: the two fixture Jekyll sites (a German team blog
//! with date permalinks, an English project blog with collections, a
//! baseurl, categories in URLs and `pretty` permalinks) are imported, the
//! result builds with no error, every URL the old site had answers, every
//! link and anchor of the new site resolves, and the import is
//! deterministic, refuses a non-empty destination and leaves the source
//! alone. With `JEKYLL` (or `jekyll` on the PATH), real Jekyll builds both
//! fixtures and every page it writes must answer in echt's build.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use regex::Regex;

use crate::support::echt;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/sites")
        .join(name)
}

/// Imports a fixture into `dest`; returns the summary printed.
fn import(name: &str, dest: &Path) -> String {
    let out = echt(
        &[
            "import",
            "jekyll",
            &fixture(name).to_string_lossy(),
            &dest.to_string_lossy(),
        ],
        Path::new(env!("CARGO_MANIFEST_DIR")),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "import of {name} failed:\n{stderr}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Imports and builds a fixture; returns the temp folder (the site is
/// `site/`, its output `site/public/`).
fn imported_and_built(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    import(name, &site);
    let out = echt(&["build", "--root", &site.to_string_lossy()], dir.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "the import of {name} does not build:\n{stderr}\n{}",
        std::fs::read_to_string(site.join("IMPORT.md")).unwrap_or_default()
    );
    assert!(!stderr.contains("error"), "{stderr}");
    dir
}

/// Every file below `root`, relative, with its bytes.
pub(crate) fn tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(root).unwrap();
            (
                rel.to_string_lossy().replace('\\', "/"),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn decode(url: &str) -> String {
    let bytes = url.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&url[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

/// The file a server finds for `path` (decoded, below the root): the file,
/// `index.html` in the folder, or (extensionless) `path.html`.
fn served(public: &Path, path: &str) -> Option<PathBuf> {
    let path = path.trim_start_matches('/');
    let candidates = if path.is_empty() || path.ends_with('/') {
        vec![format!("{path}index.html")]
    } else {
        vec![
            path.to_string(),
            format!("{path}.html"),
            format!("{path}/index.html"),
        ]
    };
    candidates
        .into_iter()
        .map(|c| public.join(c))
        .find(|p| p.is_file())
}

/// Follows `url` (as Jekyll linked it, without baseurl) through echt's
/// redirect pages to the page that answers; returns its text.
pub(crate) fn answer(public: &Path, url: &str) -> Result<String, String> {
    let refresh = Regex::new(r#"http-equiv="refresh" content="0; url=([^"]+)""#).unwrap();
    let mut path = decode(url);
    for _ in 0..4 {
        let file = served(public, &path).ok_or_else(|| format!("{url}: nothing at {path}"))?;
        let text = String::from_utf8_lossy(&std::fs::read(&file).unwrap()).into_owned();
        let Some(target) = refresh.captures(&text).map(|c| c[1].replace("&amp;", "&")) else {
            return Ok(text);
        };
        let dir = file.parent().unwrap().strip_prefix(public).unwrap();
        path = normalize(&dir.join(decode(&target)).to_string_lossy());
    }
    Err(format!("{url}: too many redirects"))
}

/// `a/b/../c/` → `a/c/`.
fn normalize(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            ".." => {
                out.pop();
            }
            "." | "" => {}
            s => out.push(s),
        }
    }
    let mut joined = out.join("/");
    if path.ends_with('/') && !joined.is_empty() {
        joined.push('/');
    }
    joined
}

/// Every old URL answers, with the text of the right page.
fn assert_old_urls(public: &Path, urls: &[(&str, &str)]) {
    let mut problems = Vec::new();
    for (url, text) in urls {
        match answer(public, url) {
            Ok(page) if page.contains(text) => {}
            Ok(_) => problems.push(format!("{url}: the page does not show `{text}`")),
            Err(e) => problems.push(e),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Every link and anchor into the site in every page of `public`
/// resolves; links from the root start with the site's `base` path.
pub(crate) fn assert_links_resolve(public: &Path, base: &str) {
    let attr = Regex::new(r#"(?:href|src)="([^"]*)""#).unwrap();
    let mut problems = Vec::new();
    for (rel, bytes) in tree(public) {
        if !rel.ends_with(".html") {
            continue;
        }
        let text = String::from_utf8_lossy(&bytes);
        let dir = Path::new(&rel).parent().unwrap().to_path_buf();
        for link in attr
            .captures_iter(&text)
            .map(|c| c[1].replace("&amp;", "&"))
        {
            if link.contains("://") || link.starts_with("mailto:") || link.starts_with("//") {
                continue;
            }
            let (path, fragment) = link.split_once('#').unwrap_or((&link, ""));
            let path = path.split('?').next().unwrap();
            let target = if path.is_empty() {
                Some(public.join(&rel))
            } else if let Some(rooted) = path.strip_prefix('/') {
                let below = format!("/{rooted}");
                let Some(below) = below.strip_prefix(base) else {
                    problems.push(format!("{rel}: link outside the site {link}"));
                    continue;
                };
                served(public, &decode(below))
            } else {
                served(
                    public,
                    &normalize(&dir.join(decode(path)).to_string_lossy()),
                )
            };
            let Some(target) = target else {
                problems.push(format!("{rel}: link to {link}"));
                continue;
            };
            if !fragment.is_empty() && target.extension().is_some_and(|e| e == "html") {
                let page = std::fs::read_to_string(&target).unwrap();
                if !page.contains(&format!("id=\"{}\"", decode(fragment))) {
                    problems.push(format!("{rel}: anchor {link}"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

fn report(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("site/IMPORT.md")).unwrap()
}

/// Every page the German team blog had under Jekyll (with the text that
/// shows it is the right one), and its files.
const TEAM_URLS: &[(&str, &str)] = &[
    ("/", "Werkbank"),
    ("/2019/01/14/teamtreffen.html", "Im Januar"),
    ("/2019/02/04/warum-wir-bloggen.html", "Aufschreiben"),
    ("/2019/03/11/Was-ist-neu.html", "neue Oberfläche"),
    ("/2019/04/01/Fragen-&-Antworten.html", "häufigsten"),
    (
        "/2019/05/20/%C3%9Cber-Gr%C3%B6%C3%9Fe-und-Ma%C3%9F.html",
        "Daumen",
    ),
    ("/2019/06/17/teamtreffen.html", "diesmal draußen"),
    // The date without an offset is UTC: after midnight in Berlin.
    ("/2019/07/09/server-umzug.html", "elf Minuten"),
    ("/2019/09/02/video-vom-vortrag.html", "Vortrag"),
    ("/2019/10/21/code-review-leitfaden.html", "Gespräch"),
    ("/2019/11/25/tweet-der-woche.html", "an der Wand"),
    ("/2020/01/13/backups-mit-restic.html", "restic"),
    ("/ueber-uns", "kleines Team"),
    ("/impressum", "Musterweg"),
    ("/archive", "Teamtreffen"),
    ("/404.html", "Seite nicht gefunden"),
    ("/img/werkbank.png", "PNG"),
    ("/img/2019/teamfoto.png", "PNG"),
    ("/img/diagramm.png", "PNG"),
    ("/files/leitfaden-code-review.pdf", "%PDF"),
    ("/CNAME", "werkbank.example.de"),
    ("/assets/fonts/werkbank-sans.woff2", "wOF2"),
];

/// The same for the English project blog (paths below its baseurl).
const PROJECT_URLS: &[(&str, &str)] = &[
    ("/", "Tidepool"),
    ("/news/2020/11/02/hello-tidepool/", "embedded time-series"),
    // jekyll-redirect-from's page of `redirect_from`.
    ("/announcing-tidepool/", "embedded time-series"),
    (
        "/community%20call/2020/12/07/community-call/",
        "Twelve people",
    ),
    ("/engineering/2021/01/11/storage-format/", "chain of blocks"),
    ("/engineering/2021/02/08/benchmarks/", "four-year-old"),
    ("/release/2021/03/02/Tidepool-1.0/", "Checksums"),
    ("/community/2021/04/12/talk-video/", "recording"),
    ("/engineering/release/2021/05/03/queries/", "query language"),
    ("/community/2021/06/14/contributor-guide/", "from scratch"),
    ("/release/2021/08/30/security-release/", "malformed"),
    ("/news/2021/10/04/new-website/", "one address"),
    ("/news/2021/12/20/year-in-review/", "forty-one"),
    ("/about/", "volunteers"),
    ("/docs/", "documentation lives"),
    ("/guides/getting-started/", "package manager"),
    ("/guides/contributing/", "Patches are welcome"),
    ("/releases/1.0/", "storage format is frozen"),
    ("/releases/1.1/", "Adds the query language"),
    ("/tags/", "release"),
    ("/categories/", "release"),
    ("/page2/", "Tidepool"),
    ("/page4/", "Tidepool"),
    ("/feed.xml", "Tidepool"),
    ("/sitemap.xml", "urlset"),
    ("/images/logo.png", "PNG"),
    ("/images/2021/benchmark.png", "PNG"),
    // A file of a collection, published below the collection's name.
    ("/guides/pipeline.png", "PNG"),
    (
        "/downloads/tidepool-1.0-checksums.txt",
        "tidepool-1.0.tar.gz",
    ),
    ("/keybase.txt", "admin"),
    ("/favicon.png", "PNG"),
];

#[test]
fn team_blog_keeps_every_url_and_builds() {
    let dir = imported_and_built("jekyll-team");
    let public = dir.path().join("site/public");
    assert_old_urls(&public, TEAM_URLS);
    assert_links_resolve(&public, "");
    // The draft and the unpublished post are drafts, not published.
    let posts = dir.path().join("site/content/posts");
    for draft in ["ideen-fuer-2020.md", "2020-02-10-zwischenstand.md"] {
        let text = std::fs::read_to_string(posts.join(draft)).unwrap();
        assert!(text.contains("\ndraft: true\n"), "{draft}:\n{text}");
    }
    assert!(answer(&public, "/2020/02/10/zwischenstand.html").is_err());
}

#[test]
fn team_blog_report_names_places_in_the_old_files() {
    let dir = tempfile::tempdir().unwrap();
    let summary = import("jekyll-team", &dir.path().join("site"));
    assert!(
        summary.contains("imported 13 posts (2 drafts)"),
        "{summary}"
    );
    let report = report(dir.path());
    for expected in [
        // Front matter and configuration, placed at their keys.
        "`_posts/2020-02-10-zwischenstand.md:5:1`: `published: false`: `draft: true`",
        "`_config.yml:36:1`: `google_analytics` has no equivalent",
        "`technik/_posts/2020-01-13-backups-mit-restic.md:1:1`: front matter from `defaults:` in _config.yml: `layout`, `author`",
        "`_posts/2019-07-08-server-umzug.md:5:1`: `date: 2019-07-08 22:30:00` read as Jekyll reads it: 2019-07-09T00:30:00+02:00",
        "`archive.html:1:1`: a page that lists posts",
        "`assets/fonts/werkbank-sans.woff2`: a file of the old theme that a post or page links to",
        "`google5f3a9c2e7b1d4a60.html:1:1`: not an HTML page",
        "| `/2019/05/20/%C3%9Cber-Gr%C3%B6%C3%9Fe-und-Ma%C3%9F.html` | kept |",
        "| `/ueber-uns` | alias → `/ueber-uns/` |",
        // The body's notes, placed below the front matter: the embed
        // on line 9 of the file, the highlight block on line 22.
        "`_posts/2019-09-02-video-vom-vortrag.md:9:",
        "`_posts/2019-03-11-Was-ist-neu?.md:22:",
    ] {
        assert!(report.contains(expected), "missing `{expected}` in\n{report}");
    }
    assert!(!report.contains("_layouts/default.html`: not"), "{report}");
}

#[test]
fn project_blog_keeps_every_url_and_builds() {
    let dir = imported_and_built("jekyll-project");
    let public = dir.path().join("site/public");
    assert_old_urls(&public, PROJECT_URLS);
    assert_links_resolve(&public, "/project");
    let yaml = std::fs::read_to_string(dir.path().join("site/echt.yaml")).unwrap();
    for expected in [
        "base_url: https://tidepool.example.org/project/",
        "permalink: pretty",
        "posts_per_page: 3",
        "- from: /page2/\n  to: /page/2/\n",
    ] {
        assert!(yaml.contains(expected), "missing `{expected}` in\n{yaml}");
    }
    let post = std::fs::read_to_string(
        dir.path()
            .join("site/content/posts/2021-12-20-year-in-review.md"),
    )
    .unwrap();
    assert!(
        post.contains("author: Ines Okafor and Theo Lindqvist"),
        "{post}"
    );
    let report = report(dir.path());
    assert!(
        report.contains("`_config.yml:24:1`: `twitter_username`"),
        "{report}"
    );
    assert!(
        report.contains("many feed readers do not follow"),
        "{report}"
    );
}

#[test]
fn a_second_import_gives_the_same_files() {
    for name in ["jekyll-team", "jekyll-project"] {
        let dir = tempfile::tempdir().unwrap();
        import(name, &dir.path().join("one"));
        import(name, &dir.path().join("two"));
        let one = tree(&dir.path().join("one"));
        let two = tree(&dir.path().join("two"));
        assert!(one.len() > 20, "{name}: {:?}", one.keys());
        assert_eq!(
            one.keys().collect::<Vec<_>>(),
            two.keys().collect::<Vec<_>>()
        );
        for (file, bytes) in &one {
            assert!(two[file] == *bytes, "{name}: {file} differs");
        }
    }
}

#[test]
fn the_source_is_never_changed() {
    for name in ["jekyll-team", "jekyll-project"] {
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("old");
        crate::support::copy_tree(&fixture(name), &source);
        let before = tree(&source);
        let out = echt(&["import", "jekyll", "old", "new"], dir.path());
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(before, tree(&source), "{name}");
    }
}

#[test]
fn a_destination_with_files_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("new");
    std::fs::create_dir_all(&dest).unwrap();
    std::fs::write(dest.join("notes.txt"), "mine").unwrap();
    let source = fixture("jekyll-team");
    let out = echt(
        &["import", "jekyll", &source.to_string_lossy(), "new"],
        dir.path(),
    );
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("the destination is not empty"), "{stderr}");
    assert_eq!(tree(&dest).len(), 1);
}

#[test]
fn a_destination_inside_the_source_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("old");
    crate::support::copy_tree(&fixture("jekyll-team"), &source);
    let before = tree(&source);
    let out = echt(&["import", "jekyll", "old", "old/neu"], dir.path());
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("inside the Jekyll site"), "{stderr}");
    assert_eq!(before, tree(&source));
}

#[test]
fn broken_front_matter_is_located_and_the_rest_imported() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("old");
    crate::support::copy_tree(&fixture("jekyll-project"), &source);
    std::fs::write(
        source.join("_posts/2021-12-21-broken.md"),
        "---\ntitle: Broken\ntags: [one, two\n---\nText.\n",
    )
    .unwrap();
    let out = echt(&["import", "jekyll", "old", "new"], dir.path());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("1 files not read"), "{stdout}");
    assert!(stdout.contains("_posts/2021-12-21-broken.md:"), "{stdout}");
    // On stderr as echt shows errors: where, and what to do.
    let stderr = String::from_utf8_lossy(&out.stderr);
    for expected in [
        "--> _posts/2021-12-21-broken.md:4:1",
        "starts at line 3, column 7",
        "needs its closing `]`",
        "kept as it was in needs-review/",
    ] {
        assert!(stderr.contains(expected), "{stderr}");
    }
    let kept = dir
        .path()
        .join("new/needs-review/_posts/2021-12-21-broken.md");
    assert!(kept.is_file());
    assert!(!dir
        .path()
        .join("new/content/posts/2021-12-21-broken.md")
        .exists());
    let out = echt(&["build", "--root", "new"], dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `$JEKYLL`, or `jekyll` on the PATH.
fn jekyll() -> PathBuf {
    std::env::var_os("JEKYLL")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("jekyll"))
}

#[test]
#[ignore = "needs jekyll"]
fn every_page_real_jekyll_writes_answers_in_echt() {
    for name in ["jekyll-team", "jekyll-project"] {
        let dir = imported_and_built(name);
        let old = dir.path().join("old");
        crate::support::copy_tree(&fixture(name), &old);
        let out = Command::new(jekyll())
            .args(["build", "-q", "-s", ".", "-d", "_site"])
            .current_dir(&old)
            .output()
            .unwrap_or_else(|e| panic!("needs jekyll (apt-get install jekyll) or set JEKYLL: {e}"));
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let public = dir.path().join("site/public");
        let mut missing = Vec::new();
        let mut count = 0;
        for (file, _) in tree(&old.join("_site")) {
            if !(file.ends_with(".html") || file.ends_with(".xml")) {
                continue;
            }
            count += 1;
            // echt refuses Google's verification file (not a page), the
            // report says so.
            if file.starts_with("google") {
                continue;
            }
            // Jekyll's URL of `x.html` is `/x` when its permalink has no
            // extension; a server finds either.
            if let Err(e) = answer(&public, &format!("/{file}")) {
                missing.push(e);
            }
        }
        assert!(count > 15, "{name}: only {count} pages");
        assert!(missing.is_empty(), "{name}:\n{}", missing.join("\n"));
    }
}

#[test]
fn a_folder_that_is_not_a_jekyll_site_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("old")).unwrap();
    let out = echt(&["import", "jekyll", "old", "new"], dir.path());
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("_config.yml"), "{stderr}");
    assert!(
        stderr.contains("the folder that holds _config.yml"),
        "{stderr}"
    );
    assert!(!dir.path().join("new").exists());
}

#[test]
#[ignore = "needs java + vnu-jar (set VNU_JAR)"]
fn imported_sites_have_zero_html_errors() {
    for name in ["jekyll-team", "jekyll-project"] {
        let dir = imported_and_built(name);
        crate::validate::assert_valid(&dir.path().join("site/public"));
    }
}
