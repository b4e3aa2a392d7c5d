//! Arbitrary text as a post's Markdown, rendered with an empty map of
//! links between posts, in German or English and with each way of making
//! heading ids (the first byte decides).
//! No panic; the output is UTF-8.

#![no_main]

use std::collections::HashMap;
use std::path::Path;

use echt::source::config::HeadingIds;
use echt::util::i18n::Language;
use echt::markdown::{self, Input, Links};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let Ok(source) = std::str::from_utf8(rest) else {
        return;
    };
    let language = if first & 1 == 0 {
        Language::De
    } else {
        Language::En
    };
    let heading_ids = match (first >> 1) & 3 {
        0 => HeadingIds::Echt,
        1 => HeadingIds::Kramdown,
        2 => HeadingIds::KramdownClassic,
        _ => HeadingIds::Github,
    };
    // Where the body starts: after front matter, if the text has some.
    let body_offset =
        echt::source::frontmatter::split(Path::new("x.md"), source).map_or(0, |split| split.body_offset);
    let map = HashMap::new();
    let links = Links::new(&map);
    let input = Input {
        path: Path::new("content/posts/x.md"),
        source,
        body_offset,
        page_path: "posts/x/",
        source_dir: "posts",
        links: &links,
        language,
        heading_ids,
    };
    match markdown::render(&input) {
        Ok(rendered) => {
            for text in [&rendered.html, &rendered.summary, &rendered.summary_text] {
                assert!(std::str::from_utf8(text.as_bytes()).is_ok());
            }
        }
        Err(errors) => {
            for e in errors {
                let _ = e.to_string();
            }
        }
    }
    if let Ok((html, text)) = markdown::render_summary(&input) {
        assert!(std::str::from_utf8(html.as_bytes()).is_ok());
        assert!(std::str::from_utf8(text.as_bytes()).is_ok());
    }
});
