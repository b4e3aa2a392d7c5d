//! Arbitrary text as the body of a Jekyll post, converted by the import
//! (`import::jekyll::content::convert`) against a small fixed old site.
//! The first byte picks German or English, Markdown or HTML and whether an
//! excerpt separator is set. No panic; every note points into the body
//! (line and column); converting is the same twice; and the HTML echt's
//! Markdown renderer makes of converted Markdown has no `<script` element
//! (scripts only appear escaped, as code or text).

#![no_main]

use echt::import::jekyll::content::{convert, Markup, Options, Site};
use echt_fuzz::import::{has_script, rendered};
use libfuzzer_sys::fuzz_target;

struct OldSite;

impl Site for OldSite {
    fn post_url(&self, name: &str) -> Option<String> {
        (name == "2014-07-07-a").then(|| "2014-07-07-a.md".to_string())
    }
    fn link(&self, path: &str) -> Option<String> {
        (path == "about.md").then(|| "../about.md".to_string())
    }
    fn include(&self, name: &str) -> Option<String> {
        match name {
            "note.html" => Some("<p>{{ include.text }}</p>".to_string()),
            "self.html" => Some("{% include self.html %}".to_string()),
            _ => None,
        }
    }
    fn baseurl(&self) -> &str {
        "/blog"
    }
    fn url(&self) -> &str {
        "https://example.org"
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let Ok(body) = std::str::from_utf8(rest) else {
        return;
    };
    let options = Options {
        markup: if first & 2 == 0 { Markup::Markdown } else { Markup::Html },
        excerpt_separator: (first & 4 != 0).then_some("<!--more-->"),
        language: if first & 1 == 0 { "de" } else { "en" },
    };
    let converted = convert(body, &options, &OldSite);
    let lines: Vec<&str> = body.split('\n').collect();
    for note in &converted.notes {
        assert!(note.line >= 1 && note.line <= lines.len(), "{note:?}");
        let chars = lines[note.line - 1].chars().count();
        assert!(note.column >= 1 && note.column <= chars + 1, "{note:?}");
    }
    assert_eq!(convert(body, &options, &OldSite), converted);
    if options.markup == Markup::Markdown {
        let html = rendered(&converted.text);
        assert!(
            !has_script(&html),
            "active HTML left\n--- converted ---\n{}\n--- rendered ---\n{html}",
            converted.text
        );
    }
});
