//! Arbitrary bytes as a content file: UTF-8 decoding, the `---` fences and
//! the front matter's YAML, with every diagnostic shown. No panic, and
//! quick (run with libFuzzer's `-timeout`).

#![no_main]

use std::path::Path;

use echt::source::frontmatter;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = Path::new("posts/2024-03-11-x.md");
    let text = match echt::util::text::decode_utf8(path, data) {
        Ok(text) => text,
        Err(e) => {
            let _ = e.to_string();
            return;
        }
    };
    match frontmatter::split(path, &text) {
        Ok(split) => match frontmatter::parse(path, &split) {
            Ok(fm) => {
                let _ = fm.title.len();
            }
            Err(errors) => {
                for e in errors {
                    let _ = e.to_string();
                }
            }
        },
        Err(e) => {
            let _ = e.to_string();
        }
    }
    // The date formats authors use, on the first line and the file name.
    let first = text.lines().next().unwrap_or_default();
    let _ = frontmatter::parse_date(first);
    let _ = frontmatter::date_from_file_name(first);
});
