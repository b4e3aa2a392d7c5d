//! The fixed site the audit targets run in: its config (see
//! [`crate::CONFIG`]), policy and the files it has.

use std::collections::HashSet;
use std::path::Path;
use std::sync::LazyLock;

use echt::audit::{Context, FileFacts, Policy};
use echt::source::config::Config;
use echt::util::error::Severity;

static POLICY: LazyLock<Policy> = LazyLock::new(|| {
    let config = Config::parse(Path::new("/site"), crate::CONFIG)
        .unwrap_or_else(|e| panic!("the fuzz config is wrong: {e}"));
    Policy::new(&config)
});

/// The files the site emits, which internal links may lead to.
pub const FILES: &[&str] = &[
    "index.html",
    "posts/a/index.html",
    "posts/b/index.html",
    "about/index.html",
    "style.css",
    "img/a.png",
    "img/b.svg",
    "fonts/a.woff2",
    "x.svg",
    "x.css",
    "atom.xml",
    "rss.xml",
    "favicon.svg",
    "archiv/index.html",
    "tags/index.html",
    "ueber-mich/index.html",
    "impressum/index.html",
    "datenschutz/index.html",
];

static FILE_SET: LazyLock<HashSet<String>> =
    LazyLock::new(|| FILES.iter().map(|f| f.to_string()).collect());

/// The audit context every target uses.
pub fn context() -> Context<'static> {
    Context {
        outbound: true,
        ..Context::new(&POLICY, &FILE_SET, Path::new("public"))
    }
}

/// The URL of `file` below the site's root, for the oracles.
pub fn url_of(file: &str) -> url::Url {
    let root =
        url::Url::parse(&format!("https://{}/", crate::OWN_HOST)).unwrap_or_else(|e| panic!("{e}"));
    root.join(file).unwrap_or_else(|e| panic!("{e}"))
}

/// Whether the audit passes `data` as the copied file `static/<file>`
/// (errors that say nothing about privacy aside, see [`errors`]).
pub fn passes_copied(file: &str, data: &[u8]) -> bool {
    let cx = context();
    let shown = Path::new("static").join(file);
    let facts = echt::audit::copied(&cx, file, data, data.len() as u64, &shown);
    errors(&facts).0.is_empty()
}

/// The errors among a file's problems, shown, except links to files or
/// anchors the fixed site does not have and HTML parse errors: those say
/// nothing about privacy (the oracles take every URL of the site as
/// harmless and read the same tree), and leaving them out lets the fuzzer
/// check the oracles on many more inputs; a parse error must not hide
/// what the audit would otherwise find. They are returned apart, to be
/// shown when an oracle finds something.
pub fn errors(facts: &FileFacts) -> (Vec<String>, Vec<String>) {
    facts
        .problems
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(ToString::to_string)
        .partition(|d| !is_broken_link(d))
}

fn is_broken_link(shown: &str) -> bool {
    let message = shown.lines().next().unwrap_or_default();
    let broken = message.starts_with("error: link to `")
        && (message.ends_with("which this site does not have")
            || message.ends_with("has no element with that id"));
    broken || is_parse_error(shown)
}

/// Whether a shown error is an HTML parse error.
pub fn is_parse_error(shown: &str) -> bool {
    shown.starts_with("error: echt cannot be sure how browsers read this HTML")
}
