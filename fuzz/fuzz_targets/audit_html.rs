//! A page through echt's audit. No panic, and fail closed: when the audit
//! reports no error, an independent reader of the page it publishes (see
//! `echt_fuzz::html`) finds nothing that runs code or loads from another
//! host, and auditing that page again reports no error either.
//!
//! An input that starts with a doctype is the whole page. Any other input
//! is the body of a page around it: without a doctype every page has a
//! parse error, which the audit refuses, so that is all the fuzzer could
//! learn from it.

#![no_main]

use echt::audit;
use echt_fuzz::site;
use libfuzzer_sys::fuzz_target;

/// The page the input is: below the root, so relative URLs climb.
const FILE: &str = "posts/a/index.html";

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let html = echt_fuzz::page(input);
    let html = html.as_ref();
    let cx = site::context();
    let (published, facts) = audit::page(&cx, FILE, html, &Vec::new);
    let (errors, broken_links) = site::errors(&facts);
    if !errors.is_empty() {
        return;
    }
    let mut problems = Vec::new();
    echt_fuzz::html::check(&published, &site::url_of(FILE), 0, &mut problems);
    let problems = echt_fuzz::unknown(problems);
    if !problems.is_empty() {
        panic!(
            "the audit passed a page that runs code or loads from another host:\n{}\n--- broken links it found ---\n{}\n--- published page ---\n{published}",
            problems.join("\n"),
            broken_links.join("\n")
        );
    }
    let (_, again) = audit::page(&cx, FILE, &published, &Vec::new);
    let (errors, _) = site::errors(&again);
    if !errors.is_empty() {
        panic!(
            "the audit refuses the page it published itself:\n{}\n--- published page ---\n{published}",
            errors.join("\n")
        );
    }
});
