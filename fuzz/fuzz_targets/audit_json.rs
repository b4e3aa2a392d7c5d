//! A JSON feed (`feed.json`) through echt's audit. No panic, and fail
//! closed: when the audit reports no error, an independent reading with
//! serde_json's untyped values (see `echt_fuzz::json`) finds no key JSON
//! Feed 1.1 does not name, no URL a feed reader loads from another host,
//! no link that runs code, and nothing in an item's `content_html` that
//! the HTML oracle objects to.
//!
//! An HTML parse error in an item counts as the refusal it is (the
//! `audit_html` target looks past parse errors; see below why this one
//! cannot). An input that starts with `{` is the whole feed. Any other input is the
//! `content_html` of the one item of a small feed, so that the fuzzer
//! spends its time on HTML inside JSON strings, escapes included.

#![no_main]

use echt::audit;
use echt_fuzz::site;
use libfuzzer_sys::fuzz_target;

const FILE: &str = "feed.json";

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let feed = feed(input);
    let cx = site::context();
    let facts = audit::feed(&cx, FILE, &feed, &Vec::new);
    let (errors, broken_links) = site::errors(&facts);
    // Unlike a page's, an item's HTML with a parse error is the end of it:
    // the oracle reads it inside a page, where what follows may close a
    // tag the item leaves open, as in a reader that shows it that way.
    if !errors.is_empty() || broken_links.iter().any(|e| site::is_parse_error(e)) {
        return;
    }
    let mut problems = Vec::new();
    echt_fuzz::json::check(&feed, &site::url_of(FILE), &mut problems);
    let problems = echt_fuzz::unknown(problems);
    if !problems.is_empty() {
        panic!(
            "the audit passed a JSON feed that a reader would act on:\n{}\n--- broken links it found ---\n{}\n--- feed ---\n{feed}",
            problems.join("\n"),
            broken_links.join("\n")
        );
    }
});

/// The feed an input stands for.
fn feed(input: &str) -> String {
    if input.trim_start().starts_with('{') {
        return input.to_string();
    }
    let html = serde_json::to_string(input).unwrap_or_else(|e| panic!("{e}"));
    format!(
        "{{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":\"Fuzz\",\"home_page_url\":\"https://blog.example/\",\"feed_url\":\"https://blog.example/feed.json\",\"items\":[{{\"id\":\"https://blog.example/posts/a/\",\"url\":\"https://blog.example/posts/a/\",\"title\":\"A\",\"content_html\":{html},\"date_published\":\"2024-03-11T09:00:00+01:00\"}}]}}"
    )
}
