//! The privacy audit: proof, on every build, that the site keeps echt's
//! promise.
//!
//! Every emitted HTML page is parsed on its way to the output by html5ever
//! into the tree a browser builds (after lol_html rewrote it, where it
//! needs rewriting), every stylesheet and `<style>` goes through a real
//! CSS tokenizer (cssparser), every SVG and feed through an XML parser
//! (quick-xml). Anything that would make a reader's browser run code or
//! contact another host is an error: scripts, event handlers, `javascript:`
//! URLs, and resources (images, frames, fonts, stylesheets, forms, …) from
//! hosts the site has not allowed in `privacy.allow_hosts`. The same pass
//! rewrites what it can fix on its own: tracking parameters leave outbound
//! links (a note), external links get `rel="noopener noreferrer"`, and every
//! page gets a strict Content-Security-Policy and `no-referrer`.
//!
//! Each page's findings are located in the file they came from (a post, a
//! template) by looking for the offending text there, since the output is
//! made of those sources; what cannot be found is shown in the output file.
//! Per-file [`FileFacts`] (size, ids, links, resources) are then
//! [`conclude`]d for the whole site: links to anchors on other pages, and
//! page weights against the budget.
//!
//! Stage 6. Takes finished files (bytes, with the sources they were made
//! of); hands on verdicts, the rewritten pages and their facts. It knows
//! nothing of templates or the site model.

pub mod css;
pub mod files;
pub mod headers;
mod html;
mod json;
pub mod location;
mod plain;
mod rules;
mod scan;
mod search;
pub use crate::util::tracking;
pub(crate) mod tree;
pub mod weight;
mod xml;

use std::cell::OnceCell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::source::config::Config;
use crate::util::error::{Diagnostic, Origin, Severity};
use crate::util::i18n;

pub use files::copied;
pub use html::clean_fragment;

/// What a site allows, decided once from its config.
#[derive(Debug)]
pub struct Policy {
    site: url::Url,
    /// The base URL's path: `/` or `/blog/`.
    base_path: String,
    allow_hosts: Vec<String>,
    own_scripts: bool,
    /// Files published with their metadata (`privacy.keep_metadata`),
    /// below the site root.
    keep_metadata: Vec<String>,
    /// The `<meta>` elements every page starts its `<head>` with.
    head: String,
    /// With `search: true`: the search page, the one page that may run a
    /// script (echt's own, at one path), and its `<meta>`s.
    search: Option<SearchPage>,
}

/// The exception `search: true` makes, and nothing more.
#[derive(Debug)]
struct SearchPage {
    /// The page's file: `suche/index.html`.
    file: String,
    /// The one script it may run: `search-index/search.js`.
    script: &'static str,
    head: String,
}

/// Where a URL leads, as far as privacy is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    /// A file of this site (`posts/a/index.html`), and the fragment.
    Site {
        file: String,
        fragment: Option<String>,
    },
    /// The site's own host, outside the site's folder.
    OwnHost,
    /// A host in `privacy.allow_hosts`.
    Allowed(String),
    /// Another host.
    Foreign(String),
    /// `data:`, which loads nothing.
    Data,
    /// `javascript:` or `vbscript:`.
    Script,
    /// `mailto:`, `tel:` and other schemes; or not a URL at all.
    Other(String),
}

impl Policy {
    pub fn new(config: &Config) -> Policy {
        // The config checked that base_url is an absolute http(s) URL; a
        // host the URL parser still refuses leaves only relative URLs ours.
        let site = url::Url::parse(&config.base_url).unwrap_or_else(|_| {
            url::Url::parse("http://localhost/").expect("a constant, valid URL")
        });
        let scripts = config.privacy.own_scripts;
        let hosts = &config.privacy.allow_hosts;
        let head = |policy: String| {
            format!(
                "\n<meta http-equiv=\"Content-Security-Policy\" content=\"{policy}\">\n<meta name=\"referrer\" content=\"no-referrer\">"
            )
        };
        let search = config.search.then(|| SearchPage {
            file: format!("{}index.html", i18n::search_path(config.language)),
            script: i18n::SEARCH_SCRIPT,
            head: head(headers::search_policy(hosts, false)),
        });
        let head = head(headers::content_security_policy(hosts, scripts, false));
        Policy {
            base_path: config.base_path().to_string(),
            site,
            allow_hosts: hosts.clone(),
            own_scripts: scripts,
            keep_metadata: config.privacy.keep_metadata.clone(),
            head,
            search,
        }
    }

    /// The `<meta>` elements echt puts at the start of every `<head>`
    /// (the search page's allow its script).
    pub fn head(&self) -> &str {
        &self.head
    }

    /// The `<meta>`s of `page`.
    pub(crate) fn head_of(&self, page: &Page) -> &str {
        match &self.search {
            Some(search) if page.search => &search.head,
            _ => &self.head,
        }
    }

    /// Whether `src` on `page` is the one script `search: true` allows
    /// there: echt's search script, on the search page.
    pub(crate) fn is_search_script(&self, page: &Page, src: &str) -> bool {
        let Some(search) = self.search.as_ref().filter(|_| page.search) else {
            return false;
        };
        matches!(
            self.judge(page, src),
            Target::Site { file, fragment: None } if file == search.script
        )
    }

    /// Whether the copied file `source` (as shown: below the site root)
    /// is published with its metadata.
    pub(crate) fn keeps_metadata(&self, source: &Path) -> bool {
        self.keep_metadata
            .iter()
            .any(|kept| Path::new(kept) == source)
    }

    fn allows(&self, host: &str) -> bool {
        self.allow_hosts.iter().any(|allowed| {
            allowed
                .strip_prefix("*.")
                .map_or(host == allowed, |domain| {
                    host.strip_suffix(domain)
                        .is_some_and(|sub| sub.ends_with('.') && sub.len() > 1)
                })
        })
    }

    /// Where `raw` (an attribute value with entities decoded) leads from
    /// `page`, read the way a browser reads it: surrounding spaces and
    /// control characters dropped, tabs and line breaks inside removed,
    /// backslashes as slashes, schemes in any case.
    pub(crate) fn judge(&self, page: &Page, raw: &str) -> Target {
        if let Some(target) = self.judge_plain(page, raw).or_else(|| self.judge_own(raw)) {
            return target;
        }
        self.judge_parsed(page, raw)
    }

    /// [`Policy::judge`] by the URL parser.
    fn judge_parsed(&self, page: &Page, raw: &str) -> Target {
        // `https:host/x` is relative to an https page but leads to `host`
        // from an http page or from disk: take it as the absolute URL.
        let form = rules::browser_form(raw);
        let absolute = form.split_once(':').is_some_and(|(scheme, _)| {
            scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")
        });
        let parsed = if absolute {
            url::Url::parse(&form)
        } else {
            page.url.join(raw)
        };
        let Ok(url) = parsed else {
            return Target::Other("not a valid URL".into());
        };
        match url.scheme() {
            "javascript" | "vbscript" => Target::Script,
            "data" => Target::Data,
            "http" | "https" => {
                let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
                let own = self
                    .site
                    .host_str()
                    .is_some_and(|h| h.eq_ignore_ascii_case(&host))
                    && url.port_or_known_default() == self.site.port_or_known_default();
                if own {
                    match url.path().strip_prefix(&self.base_path) {
                        Some(rest) => Target::Site {
                            file: file_of(rest.to_string()),
                            fragment: url.fragment().map(percent_decode),
                        },
                        None if url.path() == self.base_path.trim_end_matches('/') => {
                            Target::Site {
                                file: "index.html".into(),
                                fragment: url.fragment().map(percent_decode),
                            }
                        }
                        None => Target::OwnHost,
                    }
                } else if self.allows(&host) {
                    Target::Allowed(host)
                } else {
                    Target::Foreign(host)
                }
            }
            scheme @ ("mailto" | "tel" | "sms" | "about" | "geo" | "xmpp" | "matrix") => {
                Target::Other(scheme.into())
            }
            _ => match url.host_str() {
                Some(host) if !host.is_empty() => Target::Foreign(host.to_ascii_lowercase()),
                _ => Target::Other(url.scheme().into()),
            },
        }
    }

    /// The host a link to another host (allowed or not) leads to, the
    /// links lol_html's pass cleans; None for every other URL, without a
    /// URL parser for the plain paths most links are.
    pub(crate) fn outbound_host(&self, page: &Page, raw: &str) -> Option<String> {
        if is_plain(raw) {
            return None;
        }
        match self.judge(page, raw) {
            Target::Foreign(host) | Target::Allowed(host) => Some(host),
            _ => None,
        }
    }

    /// A link to this site's base URL written out (`https://host/base/`,
    /// as feeds and canonical links write them), in characters the URL
    /// parser keeps as they are: the path after the base URL is the path
    /// below the site root, without a URL parser.
    fn judge_own(&self, raw: &str) -> Option<Target> {
        let site = self.site.as_str();
        let rest = raw.strip_prefix(site).filter(|_| site.ends_with('/'))?;
        let (before_fragment, fragment) = match rest.split_once('#') {
            Some((path, fragment)) => (path, Some(fragment)),
            None => (rest, None),
        };
        let (path, query) = match before_fragment.split_once('?') {
            Some((path, query)) => (path, Some(query)),
            None => (before_fragment, None),
        };
        let kept =
            |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_' | b'~' | b'%');
        let plain_path = path.bytes().all(|c| kept(c) || c == b'/')
            && !path.starts_with('/')
            && !path.contains("//")
            && path
                .split('/')
                .all(|segment| segment != "." && segment != "..")
            // `%2e` is a dot to the URL parser's `..`.
            && !path
                .as_bytes()
                .windows(3)
                .any(|w| w.eq_ignore_ascii_case(b"%2e"));
        let plain_rest = query.into_iter().chain(fragment).all(|text| {
            text.bytes()
                .all(|c| kept(c) || matches!(c, b'/' | b'?' | b'=' | b'&' | b'+'))
        });
        (plain_path && plain_rest).then(|| Target::Site {
            file: file_of(path.to_string()),
            fragment: fragment.map(percent_decode),
        })
    }

    /// The common case without a URL parser: a plain relative or
    /// root-relative path. None for anything a browser could read
    /// differently.
    fn judge_plain(&self, page: &Page, raw: &str) -> Option<Target> {
        if !is_plain(raw) {
            return None;
        }
        // Byte loops: these strings are short, and most links are these.
        let (before_fragment, fragment) = match raw.bytes().position(|b| b == b'#') {
            Some(i) => (&raw[..i], Some(percent_decode(&raw[i + 1..]))),
            None => (raw, None),
        };
        let path = before_fragment
            .bytes()
            .position(|b| b == b'?')
            .map_or(before_fragment, |i| &before_fragment[..i]);
        let below_root = if path.starts_with('/') {
            match path.strip_prefix(self.base_path.as_str()) {
                Some(rest) => rest.to_string(),
                None if self.base_path.strip_suffix('/') == Some(path) => String::new(),
                None => return Some(Target::OwnHost),
            }
        } else if path.is_empty() {
            return Some(Target::Site {
                file: page.file.clone(),
                fragment,
            });
        } else {
            below(&page.dir, path)
        };
        Some(Target::Site {
            file: file_of(below_root),
            fragment,
        })
    }
}

/// The path below the site root that the relative `path` (not empty, no
/// query or fragment) leads to from the folder `dir`, as `util::url::join`
/// reads it (`.` and `..` resolved, empty segments dropped), a folder
/// keeping its slash; climbing above the root leads to the root, where a
/// browser stays. One string, built in place.
fn below(dir: &str, path: &str) -> String {
    let mut out = String::with_capacity(dir.len() + path.len() + "index.html".len());
    if dir.ends_with('/') && !dir.starts_with('/') && !dir.contains("//") {
        out.push_str(dir);
    } else {
        for segment in segments(dir).filter(|s| !s.is_empty()) {
            out.push_str(segment);
            out.push('/');
        }
    }
    for segment in segments(path) {
        match segment {
            "" | "." => {}
            ".." => {
                if out.is_empty() {
                    return out;
                }
                out.pop();
                let parent = out.bytes().rposition(|b| b == b'/').map_or(0, |i| i + 1);
                out.truncate(parent);
            }
            s => {
                out.push_str(s);
                out.push('/');
            }
        }
    }
    let folder = path.ends_with('/')
        || path.ends_with("/.")
        || path.ends_with("/..")
        || path == "."
        || path == "..";
    if !folder {
        out.pop();
    }
    out
}

/// The parts of `path` between slashes, as `split('/')` gives them.
fn segments(path: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(path);
    std::iter::from_fn(move || {
        let text = rest?;
        match text.bytes().position(|b| b == b'/') {
            Some(i) => {
                rest = Some(&text[i + 1..]);
                Some(&text[..i])
            }
            None => {
                rest = None;
                Some(text)
            }
        }
    })
}

/// A relative or root-relative path that every browser reads the same
/// way: no scheme, no host, nothing a URL parser would drop or change.
fn is_plain(raw: &str) -> bool {
    /// The bytes a plain path may hold: no controls or spaces, no `\\`,
    /// `:`, `&` or DEL.
    const KEPT: [bool; 256] = {
        let mut kept = [true; 256];
        let mut b = 0;
        while b <= b' ' {
            kept[b as usize] = false;
            b += 1;
        }
        kept[b'\\' as usize] = false;
        kept[b':' as usize] = false;
        kept[b'&' as usize] = false;
        kept[0x7f] = false;
        kept
    };
    !raw.is_empty() && !raw.starts_with("//") && raw.bytes().all(|b| KEPT[usize::from(b)])
}

/// The output file a path below the site root (percent-encoded) is
/// served from.
fn file_of(path: String) -> String {
    let mut file = if path.contains('%') {
        percent_decode(&path)
    } else {
        path
    };
    if file.is_empty() || file.ends_with('/') {
        file.push_str("index.html");
    }
    file
}

/// `%C3%A4` → `ä`; invalid sequences stay as they are.
pub(crate) fn percent_decode(text: &str) -> String {
    crate::util::url::percent_decode_lossy(text)
}

/// An output file being examined: where it is, to resolve its URLs.
#[derive(Debug)]
pub(crate) struct Page {
    /// Below the output folder: `posts/a/index.html`.
    pub file: String,
    /// Its folder below the site root: `posts/a/`.
    dir: String,
    url: url::Url,
    /// The search page of a site with `search: true`.
    search: bool,
}

impl Page {
    pub(crate) fn new(policy: &Policy, file: &str) -> Page {
        let dir = file.rfind('/').map_or("", |i| &file[..=i]).to_string();
        let url = policy
            .site
            .join(&dir)
            .unwrap_or_else(|_| policy.site.clone());
        Page {
            search: policy.search.as_ref().is_some_and(|s| s.file == file),
            file: file.to_string(),
            dir,
            url,
        }
    }
}

/// Where in the examined text something was found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) enum At {
    /// These bytes.
    Span(Range<usize>),
    /// This 1-based line (all the HTML parser tells).
    Line(u64),
}

/// One problem found in an output file, before it is located in a source.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Finding {
    pub(crate) severity: Severity,
    pub(crate) message: String,
    #[serde(deserialize_with = "crate::output::cache::static_str")]
    pub(crate) hint: &'static str,
    pub(crate) at: At,
    /// About the page's structure (where its head ends), which templates
    /// decide: looked for in them before the documents the page shows.
    pub(crate) layout: bool,
    /// What to look for in the sources, best first: the text as written
    /// in the output, then the decoded value.
    pub(crate) needles: Vec<String>,
}

/// Finds a finding of `file` in `origins`, the sources it was made of.
pub fn locate_in(origins: Vec<Origin>, file: &str, finding: &Finding) -> Option<Diagnostic> {
    Sources::new(origins).in_sources(file, finding)
}

/// What the audit learned about one output file.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
#[serde(bound(deserialize = "Anchor: serde::Deserialize<'de>"))]
pub struct FileFacts {
    pub size: u64,
    /// Errors, warnings and notes, located.
    pub problems: Vec<Diagnostic>,
    /// The ids a link's `#fragment` can point to (HTML only).
    pub ids: HashSet<String>,
    /// Links to an anchor on another page, checked once every page is
    /// known; located only if the anchor is missing.
    pub anchors: Vec<Anchor>,
    /// Files of the site this one loads (stylesheets, images, fonts).
    pub resources: Vec<String>,
    /// Its pictures, of which a browser loads one file each.
    #[serde(default)]
    pub pictures: Vec<weight::Choice>,
    /// Every file of the site this one links to or loads, hashed with
    /// `plan::fingerprint`: the preview checks a page again when one of
    /// them goes away.
    pub links: Vec<u64>,
    /// Outbound `http(s)` links, for `echt check --external`, with where
    /// they were found.
    pub outbound: Vec<(String, Diagnostic)>,
}

/// A link to an anchor on another page.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(bound(deserialize = "Finding: serde::Deserialize<'de>"))]
pub struct Anchor {
    /// The page linked to, below the output folder, and the id.
    pub target: String,
    pub fragment: String,
    /// What to report if the id is missing: located in the sources only
    /// then (most anchors exist, and locating costs a search), else here
    /// in the output file.
    finding: Finding,
    fallback: Diagnostic,
}

/// Locates a finding in the sources an output file was made of, for
/// problems that only the whole site reveals (an anchor missing on
/// another page).
pub trait Locate {
    fn locate(&self, file: &str, finding: &Finding) -> Option<Diagnostic>;
}

/// Every output file's facts, by path below the output folder. Shared, so
/// the preview can carry unchanged files' facts from one build to the next.
pub type Facts = BTreeMap<String, Arc<FileFacts>>;

/// Everything an output file needs besides its text to be audited.
#[derive(Debug)]
pub struct Context<'a> {
    pub policy: &'a Policy,
    /// Every file the site emits, for broken-link checks.
    pub files: &'a HashSet<String>,
    /// How output files are shown in messages: `public`.
    pub output: &'a Path,
    /// Whether to keep outbound links, located (for `echt check --external`).
    pub outbound: bool,
    /// What the HTML of feed entries showed, by its exact text as written
    /// (escaped) in the feed: a post is carried by several feeds and judged
    /// once, and unescaped only then.
    pub fragments: Fragments,
    /// The same for the `content_html` of JSON feeds, by the JSON string
    /// as written: kept apart, since the same bytes mean other HTML there.
    pub json_fragments: Fragments,
}

/// See [`Context::fragments`].
#[derive(Debug, Default)]
pub struct Fragments(
    std::sync::Mutex<HashMap<String, Arc<Vec<Finding>>, std::hash::BuildHasherDefault<WordHasher>>>,
);

/// A hasher for the long texts of feed entries, eight bytes a step (the
/// map compares the texts themselves, so a collision costs only time; the
/// texts are the site's own).
#[derive(Debug, Default)]
struct WordHasher(u64);

impl std::hash::Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let word = chunk.try_into().map_or(0, u64::from_le_bytes);
            self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x517c_c1b7_2722_0a95);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl Fragments {
    /// The findings in the HTML written (escaped) as `written` in a feed,
    /// if the same text was judged before.
    pub(crate) fn get(&self, written: &str) -> Option<Arc<Vec<Finding>>> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(written)
            .cloned()
    }

    /// Keeps what was found in the HTML written as `written`.
    pub(crate) fn insert(&self, written: &str, found: Vec<Finding>) -> Arc<Vec<Finding>> {
        let found = Arc::new(found);
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(written.to_string(), found.clone());
        found
    }
}

impl<'a> Context<'a> {
    /// A context for auditing the files of a site.
    pub fn new(policy: &'a Policy, files: &'a HashSet<String>, output: &'a Path) -> Self {
        Context {
            policy,
            files,
            output,
            outbound: false,
            fragments: Fragments::default(),
            json_fragments: Fragments::default(),
        }
    }

    fn shown(&self, file: &str) -> PathBuf {
        self.output.join(file)
    }
}

/// For the fuzzer: whether the audit reads `text` without html5ever, as
/// a page or as a feed entry's fragment (Ok(true)), or leaves it to
/// html5ever both ways (Ok(false)); Err, saying how, if a plain reading
/// differs from html5ever's, which must never be.
#[doc(hidden)]
pub fn plain_reading_agrees(text: &str) -> Result<bool, String> {
    let options = tree::Options {
        scripting: false,
        exact_errors: false,
        srcdoc: false,
    };
    let mut read = false;
    if let Some(plain) = plain::read(text) {
        plain::agrees(&plain, &tree::document(text, options))?;
        read = true;
    }
    if let Some(plain) = plain::read_fragment(text) {
        plain::agrees(&plain, &tree::fragment(text, options))
            .map_err(|e| format!("as a fragment: {e}"))?;
        read = true;
    }
    Ok(read)
}

/// Audits and rewrites one HTML page; `origins` are the sources it is made
/// of (its templates, the posts it shows), read only if something is wrong.
pub fn page(
    cx: &Context<'_>,
    file: &str,
    html: &str,
    origins: &dyn Fn() -> Vec<Origin>,
) -> (String, FileFacts) {
    let page = Page::new(cx.policy, file);
    let audited = html::audit_page(cx.policy, &page, html);
    let checker = audited.checker;
    let mut facts = FileFacts {
        size: audited.html.len() as u64,
        ids: checker.ids.iter().cloned().collect(),
        resources: checker.resources.clone(),
        pictures: checker.pictures.clone(),
        ..FileFacts::default()
    };
    let mut links: Vec<u64> = checker
        .links
        .iter()
        .map(|l| crate::util::fingerprint::fingerprint(&l.file))
        .collect();
    links.sort_unstable();
    links.dedup();
    facts.links = links;
    let mut findings = checker.findings;
    let mut anchors = Vec::new();
    for link in &checker.links {
        let exists = cx.files.contains(&link.file)
            || cx.files.contains(&format!("{}/index.html", link.file));
        match &link.fragment {
            _ if !exists => findings.push(rules::broken_link(link)),
            Some(fragment) if is_top(fragment) => {}
            Some(fragment) if link.file == file && !facts.ids.contains(fragment) => {
                findings.push(rules::missing_anchor(link, None));
            }
            Some(_) if link.file == file => {}
            Some(fragment) if link.file.ends_with(".html") => anchors.push((
                link.file.clone(),
                fragment.clone(),
                rules::missing_anchor(link, Some(&link.file)),
            )),
            _ => {}
        }
    }
    if !findings.is_empty() || !audited.notes.is_empty() {
        let sources = Sources::new(origins());
        facts.problems = findings
            .iter()
            .map(|f| sources.locate(cx, file, &audited.html, f))
            .chain(
                audited
                    .notes
                    .iter()
                    .map(|f| sources.locate(cx, file, html, f)),
            )
            .collect();
    }
    if !anchors.is_empty() {
        let lines = LineIndex::new(&audited.html);
        let shown = cx.shown(file);
        facts.anchors = anchors
            .into_iter()
            .map(|(target, fragment, finding)| {
                let fallback = lines.diagnostic(&shown, &audited.html, &finding);
                Anchor {
                    target,
                    fragment,
                    finding,
                    fallback,
                }
            })
            .collect();
    }
    if cx.outbound && !checker.outbound.is_empty() {
        let sources = Sources::new(origins());
        facts.outbound = checker
            .outbound
            .iter()
            .map(|(url, at)| {
                let finding = Finding {
                    layout: false,
                    severity: Severity::Error,
                    message: url.clone(),
                    hint: "",
                    at: at.clone(),
                    needles: vec![url.clone()],
                };
                (
                    url.clone(),
                    sources.locate(cx, file, &audited.html, &finding),
                )
            })
            .collect();
    }
    (audited.html, facts)
}

/// `#top` and an empty fragment scroll to the top without an element.
fn is_top(fragment: &str) -> bool {
    fragment.is_empty() || fragment.eq_ignore_ascii_case("top")
}

/// Audits a feed or other XML file echt writes: the XML (or, for a
/// `.json` file, the JSON feed), and the HTML of every entry; `origins`
/// are the posts it carries.
pub fn feed(
    cx: &Context<'_>,
    file: &str,
    text: &str,
    origins: &dyn Fn() -> Vec<Origin>,
) -> FileFacts {
    let page = Page::new(cx.policy, file);
    let mut checker = rules::Checker::new(cx.policy, &page);
    if file.ends_with(".json") {
        json::judge(&mut checker, text, &cx.json_fragments);
    } else {
        xml::judge(&mut checker, text, xml::Kind::Feed(&cx.fragments));
    }
    let sources = if checker.findings.is_empty() {
        Sources::new(Vec::new())
    } else {
        Sources::new(origins())
    };
    FileFacts {
        size: text.len() as u64,
        problems: checker
            .findings
            .iter()
            .map(|f| sources.locate(cx, file, text, f))
            .collect(),
        ..FileFacts::default()
    }
}

/// Audits one JSON file of the search index (`search: true`): its shape,
/// and that every document it lists is a page of the site.
pub fn search_index(cx: &Context<'_>, file: &str, text: &str) -> FileFacts {
    let page = Page::new(cx.policy, file);
    let mut checker = rules::Checker::new(cx.policy, &page);
    search::judge(&mut checker, file, text);
    let mut findings = checker.findings;
    for link in &checker.links {
        let exists = cx.files.contains(&link.file)
            || cx.files.contains(&format!("{}/index.html", link.file));
        if !exists {
            findings.push(rules::broken_link(link));
        }
    }
    let sources = Sources::new(Vec::new());
    FileFacts {
        size: text.len() as u64,
        problems: findings
            .iter()
            .map(|f| sources.locate(cx, file, text, f))
            .collect(),
        ..FileFacts::default()
    }
}

/// Findings of a copied file are located in the file itself.
fn in_source(
    cx: &Context<'_>,
    text: &str,
    source: &Path,
    checker: rules::Checker<'_>,
    size: u64,
    broken: Severity,
) -> FileFacts {
    let mut findings = checker.findings;
    for link in &checker.links {
        let exists = cx.files.contains(&link.file)
            || cx.files.contains(&format!("{}/index.html", link.file));
        if !exists {
            let mut finding = rules::broken_link(link);
            finding.severity = broken;
            findings.push(finding);
        }
    }
    FileFacts {
        size,
        problems: findings
            .iter()
            .map(|f| finding_at(source, text, f))
            .collect(),
        ids: checker.ids.into_iter().collect(),
        resources: checker.resources,
        ..FileFacts::default()
    }
}

/// A diagnostic at the place `f` names in `text` (the file at `path`).
fn finding_at(path: &Path, text: &str, f: &Finding) -> Diagnostic {
    LineIndex::new(text).diagnostic(path, text, f)
}

/// Where each line of a text starts, to turn the lines the HTML parser
/// names into places without scanning the text again for each.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { starts }
    }

    /// A diagnostic at the place `f` names in `text` (the file at `path`).
    fn diagnostic(&self, path: &Path, text: &str, f: &Finding) -> Diagnostic {
        let span = match &f.at {
            At::Span(span) => span.clone(),
            At::Line(line) => self.line_span(text, *line, &f.needles),
        };
        let mut d = Diagnostic::at_offset(path, text, span.start, span.len(), &f.message)
            .severity(f.severity);
        if !f.hint.is_empty() {
            d = d.hint(f.hint);
        }
        d
    }

    /// Where on `line` (or the few lines before it, since the HTML parser
    /// names the line a tag ends on) the first of `needles` is; else the
    /// line's start.
    fn line_span(&self, text: &str, line: u64, needles: &[String]) -> Range<usize> {
        let index = |n: u64| usize::try_from(n.saturating_sub(1)).unwrap_or(usize::MAX);
        let Some(&start) = self.starts.get(index(line)) else {
            return 0..0;
        };
        let window_start = self
            .starts
            .get(index(line.saturating_sub(8).max(1)))
            .copied()
            .unwrap_or(0);
        let end = self
            .starts
            .get(index(line) + 1)
            .map_or(text.len(), |next| next - 1);
        let Some(window) = text.get(window_start..end) else {
            return start..start;
        };
        for needle in needles.iter().filter(|n| !n.is_empty()) {
            if let Some(i) = window.rfind(needle.as_str()) {
                return window_start + i..window_start + i + needle.len();
            }
        }
        start..start
    }
}

/// The sources of one output file, prepared once for locating any number
/// of findings: which parts of Markdown are quoted code, and the text in
/// lower case, are worked out at most once per source.
struct Sources {
    origins: Vec<Origin>,
    markup: Vec<OnceCell<Option<Vec<Range<usize>>>>>,
    lower: Vec<OnceCell<String>>,
}

impl Sources {
    fn new(origins: Vec<Origin>) -> Self {
        let n = origins.len();
        Sources {
            origins,
            markup: (0..n).map(|_| OnceCell::new()).collect(),
            lower: (0..n).map(|_| OnceCell::new()).collect(),
        }
    }

    /// Finds where a finding came from: the first source that contains
    /// one of its needles outside quoted code, else the examined file.
    fn locate(&self, cx: &Context<'_>, file: &str, text: &str, f: &Finding) -> Diagnostic {
        self.in_sources(file, f)
            .unwrap_or_else(|| finding_at(&cx.shown(file), text, f))
    }

    /// The place in the sources a finding of `file` came from, if any.
    fn in_sources(&self, file: &str, f: &Finding) -> Option<Diagnostic> {
        let page_url = format!("/{}", file.strip_suffix("index.html").unwrap_or(file));
        let mut order: Vec<usize> = (0..self.origins.len()).collect();
        if f.layout {
            order.sort_by_key(|&i| is_markdown_origin(&self.origins[i]));
        }
        for needle in f.needles.iter().filter(|n| n.len() >= 2) {
            for (i, origin) in order.iter().map(|&i| (i, &self.origins[i])) {
                if let Some(offset) = self.find(i, needle) {
                    let mut d = Diagnostic::at_offset(
                        &origin.shown,
                        &origin.text,
                        offset,
                        needle.len(),
                        &f.message,
                    )
                    .severity(f.severity)
                    .note(format!("on {page_url}"));
                    if !f.hint.is_empty() {
                        d = d.hint(f.hint);
                    }
                    return Some(d);
                }
            }
        }
        None
    }

    /// The first byte offset of `needle` in source `i` where that source
    /// writes markup: as written, else ignoring case.
    fn find(&self, i: usize, needle: &str) -> Option<usize> {
        let text = &self.origins[i].text;
        let markup = self.markup[i].get_or_init(|| markup_ranges(&self.origins[i]));
        let outside = |at: &usize| {
            markup
                .as_ref()
                .is_none_or(|ranges| ranges.iter().any(|r| r.contains(at)))
        };
        let exact = text.match_indices(needle).map(|(i, _)| i).find(outside);
        exact.or_else(|| {
            let lower = self.lower[i].get_or_init(|| text.to_ascii_lowercase());
            let needle = needle.to_ascii_lowercase();
            let found = lower.match_indices(&needle).map(|(i, _)| i).find(outside);
            found
        })
    }
}

/// Where a Markdown source writes markup, the only places a finding can
/// come from: its front matter (values templates show), raw HTML, the
/// destinations of links and images, and heading attributes. Text, code
/// spans and code blocks are shown, never run, so a post that only
/// mentions a URL is not blamed for a template that loads it. None for
/// other sources (templates, echt.yaml), which are markup throughout.
fn markup_ranges(origin: &Origin) -> Option<Vec<Range<usize>>> {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    let markdown = origin
        .shown
        .extension()
        .is_some_and(|e| e == "md" || e == "markdown");
    if !markdown {
        return outside_template_comments(&origin.text);
    }
    let text = &origin.text;
    let body = crate::source::frontmatter::split(&origin.shown, text).map_or(0, |s| s.body_offset);
    let mut ranges = Vec::new();
    ranges.push(0..body);
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_HEADING_ATTRIBUTES;
    // Raw HTML inside a paragraph (or heading, table cell, list item) makes
    // the text around it part of that markup too: `<style>` text, say.
    let mut blocks: Vec<Range<usize>> = Vec::new();
    let mut inline_html: Vec<usize> = Vec::new();
    for (event, range) in Parser::new_ext(&text[body..], options).into_offset_iter() {
        let range = body + range.start..body + range.end;
        match event {
            Event::Html(_)
            | Event::Start(Tag::Link { .. } | Tag::Image { .. } | Tag::Heading { .. }) => {
                ranges.push(range);
            }
            Event::InlineHtml(_) => {
                inline_html.push(range.start);
                ranges.push(range);
            }
            Event::Start(Tag::Paragraph | Tag::TableCell | Tag::Item) => blocks.push(range),
            _ => {}
        }
    }
    ranges.extend(
        blocks
            .into_iter()
            .filter(|block| inline_html.iter().any(|at| block.contains(at))),
    );
    Some(ranges)
}

fn is_markdown_origin(origin: &Origin) -> bool {
    origin
        .shown
        .extension()
        .is_some_and(|e| e == "md" || e == "markdown")
}

/// A template's text except its `{# comments #}`, which write nothing;
/// None when it has none.
fn outside_template_comments(text: &str) -> Option<Vec<Range<usize>>> {
    if !text.contains("{#") {
        return None;
    }
    let mut ranges = Vec::new();
    let mut at = 0;
    while let Some(open) = text[at..].find("{#").map(|i| at + i) {
        ranges.push(at..open);
        at = text[open..].find("#}").map_or(text.len(), |i| open + i + 2);
    }
    ranges.push(at..text.len());
    Some(ranges)
}

/// The whole site's verdict from every file's facts: every problem once
/// (with how many pages showed it), anchors on other pages, page weights.
pub fn conclude(facts: &Facts, budget: u64, locate: &dyn Locate) -> Vec<Diagnostic> {
    let mut seen: HashMap<(Severity, PathBuf, usize, usize, String), usize> = HashMap::new();
    let mut problems: Vec<(Diagnostic, usize)> = Vec::new();
    let mut add = |d: &Diagnostic| {
        let key = (
            d.severity,
            d.path.clone(),
            d.line,
            d.column,
            d.message.clone(),
        );
        match seen.get(&key) {
            Some(&i) => problems[i].1 += 1,
            None => {
                seen.insert(key, problems.len());
                problems.push((d.clone(), 1));
            }
        }
    };
    for (path, file) in facts {
        file.problems.iter().for_each(&mut add);
        for anchor in &file.anchors {
            if facts
                .get(&anchor.target)
                .is_some_and(|t| !t.ids.contains(&anchor.fragment))
            {
                let located = locate.locate(path, &anchor.finding);
                add(located.as_ref().unwrap_or(&anchor.fallback));
            }
        }
    }
    for (file, weight) in weights(facts) {
        if weight > budget {
            add(&Diagnostic::file(
                format!("/{}", file.strip_suffix("index.html").unwrap_or(&file)),
                format!(
                    "on a phone, this page weighs {} with its stylesheets and images, more than the budget of {}",
                    kilobytes(weight),
                    kilobytes(budget)
                ),
            )
            .severity(Severity::Warning)
            .hint("make images smaller, or raise `page_budget` in echt.yaml"));
        }
    }
    let mut out: Vec<Diagnostic> = problems
        .into_iter()
        .map(|(mut d, pages)| {
            if pages > 1 {
                if let Some(note) = &d.note {
                    let others = pages - 1;
                    let files = if others == 1 { "file" } else { "files" };
                    d.note = Some(format!("{note} and in {others} other {files}"));
                }
            }
            d
        })
        .collect();
    // Errors last, right above the summary line.
    out.sort_by_key(|d| d.severity);
    out
}

pub fn kilobytes(bytes: u64) -> String {
    format!("{} KB", bytes.div_ceil(1024))
}

pub use weight::weights;

#[cfg(test)]
mod tests;
