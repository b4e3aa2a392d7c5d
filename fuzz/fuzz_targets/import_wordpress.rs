//! Arbitrary text as the `content:encoded` of a WordPress post (classic or
//! block content) or as a comment, converted by the import
//! (`import::wordpress::content`) with a fixed set of attachments, one of
//! them found beside the post. The first byte picks German or English and
//! post or comment. No panic; every note points into the content (line
//! and column); converting is the same twice; and the HTML echt's
//! Markdown renderer makes of the result has no `<script` element.

#![no_main]

use echt::import::wordpress::content::{convert, convert_comment, Attachment, Media, Options};
use echt_fuzz::import::{has_script, rendered};
use libfuzzer_sys::fuzz_target;

const UPLOADS: &str = "https://blog.example/wp-content/uploads/2026/04/";

struct Files;

impl Media for Files {
    fn attachment(&self, id: u64) -> Option<Attachment> {
        let name = match id {
            1 => "beet.jpg",
            2 => "korb.jpg",
            3 => "plan.pdf",
            _ => return None,
        };
        Some(Attachment {
            url: format!("{UPLOADS}{name}"),
            caption: "Ein <em>Bild</em>".into(),
            title: name.into(),
        })
    }
    fn attached(&self) -> Vec<u64> {
        vec![1, 2, 3]
    }
    fn local(&self, url: &str) -> Option<String> {
        let name = url.strip_prefix(UPLOADS)?;
        (name == "beet.jpg" || name == "beet-300x200.jpg").then(|| "beet.jpg".to_string())
    }
    fn own(&self, url: &str) -> bool {
        url.starts_with("https://blog.example/")
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let Ok(content) = std::str::from_utf8(rest) else {
        return;
    };
    let options = Options {
        language: if first & 1 == 0 { "de" } else { "en" },
    };
    let comment = first & 2 != 0;
    let run = || {
        if comment {
            convert_comment(content, &options)
        } else {
            convert(content, &options, &Files)
        }
    };
    let converted = run();
    let lines: Vec<&str> = content.split('\n').collect();
    for note in &converted.notes {
        assert!(note.line >= 1 && note.line <= lines.len(), "{note:?}");
        let chars = lines[note.line - 1].chars().count();
        assert!(note.column >= 1 && note.column <= chars + 1, "{note:?}");
    }
    assert_eq!(run(), converted);
    let html = rendered(&converted.text);
    assert!(
        !has_script(&html),
        "active HTML left\n--- converted ---\n{}\n--- rendered ---\n{html}",
        converted.text
    );
});
