//! A copied SVG file (`static/x.svg`) through echt's audit. No panic, and
//! fail closed: when the audit reports no error, an independent XML
//! reader (see `echt_fuzz::xml`) finds nothing that runs code or loads
//! from another host.
//!
//! An input that starts like an XML document (`<?`, `<!` or `<svg`) is the
//! whole file; any other is the content of an `<svg>` element with the
//! namespaces of SVG, XLink and XHTML declared.

#![no_main]

use echt_fuzz::site;
use libfuzzer_sys::fuzz_target;

const FILE: &str = "x.svg";

fuzz_target!(|input: &[u8]| {
    let data = echt_fuzz::svg(input);
    let data = data.as_ref();
    if !site::passes_copied(FILE, data) {
        return;
    }
    // The audit passed it, so it is UTF-8 (a byte order mark aside).
    let bytes = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    let Ok(text) = std::str::from_utf8(bytes) else {
        panic!("the audit passed an SVG file that is not UTF-8: {data:?}");
    };
    let mut problems = Vec::new();
    echt_fuzz::xml::check(text, &site::url_of(FILE), 0, &mut problems);
    let problems = echt_fuzz::unknown(problems);
    if !problems.is_empty() {
        panic!(
            "the audit passed an SVG file that runs code or loads from another host:\n{}\n--- file ---\n{text}",
            problems.join("\n")
        );
    }
});
