//! A copied stylesheet (`static/x.css`) through echt's audit. No panic,
//! and fail closed: when the audit reports no error, an independent walk
//! over cssparser's tokens (see `echt_fuzz::css`) finds no URL in a
//! loading position that leads to another host or runs code.

#![no_main]

use echt_fuzz::{css, site};
use libfuzzer_sys::fuzz_target;

const FILE: &str = "x.css";

/// The stylesheet's text as a browser decodes it: by its byte order mark,
/// else its `@charset` rule at the very start, else as UTF-8 (the page's
/// encoding), with replacement characters for what does not decode.
fn decode(bytes: &[u8]) -> String {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return encoding
            .decode_without_bom_handling(&bytes[bom..])
            .0
            .into_owned();
    }
    let mut encoding = encoding_rs::UTF_8;
    if let Some(rest) = bytes.strip_prefix(b"@charset \"") {
        if let Some(end) = rest.iter().position(|&b| b == b'"') {
            if rest.get(end + 1) == Some(&b';') {
                if let Some(named) = encoding_rs::Encoding::for_label(&rest[..end]) {
                    encoding = if named == encoding_rs::UTF_16BE || named == encoding_rs::UTF_16LE {
                        encoding_rs::UTF_8
                    } else {
                        named
                    };
                }
            }
        }
    }
    encoding.decode_without_bom_handling(bytes).0.into_owned()
}

fuzz_target!(|data: &[u8]| {
    if !site::passes_copied(FILE, data) {
        return;
    }
    let text = decode(data);
    let mut problems = Vec::new();
    css::check(
        &text,
        css::Kind::Stylesheet,
        &site::url_of(FILE),
        0,
        &mut problems,
    );
    let problems = echt_fuzz::unknown(problems);
    if !problems.is_empty() {
        panic!(
            "the audit passed a stylesheet that loads from another host or runs code:\n{}\n--- file ---\n{text}",
            problems.join("\n")
        );
    }
});
