//! For the importers' tests: converted text, rendered by echt, put into a
//! page at `posts/a/index.html` and through echt's audit. What an import
//! writes must pass the audit the build runs.

use std::collections::HashSet;
use std::path::Path;

use crate::audit::{self, Context, Policy};
use crate::source::config::Config;
use crate::util::error::Severity;
use crate::util::url::ROOT;

/// The audit's errors for `html` (a post's rendered body) on a page of a
/// site at `base_url` in `language`, leaving out links to files the test
/// site does not have (the importer copies those); with the page, for
/// the message of a failing test.
pub(crate) fn audit_errors(html: &str, base_url: &str, language: &str) -> (Vec<String>, String) {
    let config = Config::parse(
        Path::new("/site"),
        &format!("title: T\nbase_url: {base_url}\nlanguage: {language}\n"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let policy = Policy::new(&config);
    let files: HashSet<String> = ["posts/a/index.html".to_string()].into();
    let cx = Context::new(&policy, &files, Path::new("public"));
    let html = html.replace(ROOT, "../../");
    let page = format!("<!doctype html>\n<html lang=\"{language}\">\n<head>\n<meta charset=\"utf-8\">\n<title>T</title>\n</head>\n<body>\n{html}\n</body>\n</html>\n");
    let (_, facts) = audit::page(&cx, "posts/a/index.html", &page, &Vec::new);
    let errors = facts
        .problems
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(ToString::to_string)
        .filter(|m| {
            !m.lines()
                .next()
                .unwrap_or("")
                .ends_with("which this site does not have")
        })
        .collect();
    (errors, page)
}
