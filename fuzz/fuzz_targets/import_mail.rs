//! Arbitrary bytes as a reader's e-mail through `import::mail::read` (the
//! first byte picks German or English), and the comment file made of it.
//! No panic; whatever is accepted has words, no control characters, no
//! e-mail address in the name or the text, a name that is no address, the
//! same result when read again, and a comment file whose front matter is
//! YAML with the keys of the format.

#![no_main]

use std::path::Path;

use echt::import::mail::{self, comment};
use echt::util::i18n::Language;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&first, message)) = data.split_first() else {
        return;
    };
    let language = if first & 1 == 0 { Language::De } else { Language::En };
    let path = Path::new("message.eml");
    let reply = match mail::read(path, message, language) {
        Ok(reply) => reply,
        Err(e) => {
            let _ = e.to_string();
            return;
        }
    };
    assert!(!reply.body.trim().is_empty(), "accepted without words");
    assert!(
        !reply.body.chars().any(echt::util::text::is_control),
        "a control character in {:?}",
        reply.body
    );
    for text in [Some(reply.body.as_str()), reply.name.as_deref()].into_iter().flatten() {
        assert!(!has_address(text), "an address in {text:?}");
    }
    assert!(reply.name.as_deref().is_none_or(|n| !n.contains('@')));
    assert_eq!(mail::read(path, message, language).ok().as_ref(), Some(&reply));
    let id = comment::id_for(&reply);
    let author = reply.name.clone().unwrap_or_else(|| comment::anonymous(language).into());
    let date = reply
        .date
        .unwrap_or_else(|| chrono::DateTime::parse_from_rfc3339("2026-01-01T00:00:00+00:00").unwrap());
    let text = comment::NewComment {
        id: &id,
        parent: None,
        author: &author,
        url: None,
        date,
        body: &reply.body,
        draft: true,
    }
    .text();
    let front = text
        .strip_prefix("---\n")
        .and_then(|rest| rest.split_once("\n---\n"))
        .expect("front matter fences")
        .0;
    let yaml: serde_yaml::Mapping = serde_yaml::from_str(front).expect("front matter is YAML");
    assert_eq!(yaml.get("author").and_then(|a| a.as_str()), Some(author.as_str()));
    assert_eq!(yaml.get("id").and_then(|a| a.as_str()), Some(id.as_str()));
    assert_eq!(yaml.len(), 4);
});

/// `x@host.tld` in its plainest form (ASCII letters and digits around
/// the `@` and the first dot): every such text is an address, whatever
/// else counts as one.
fn has_address(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().any(|(i, &b)| {
        if b != b'@' || i == 0 || !bytes[i - 1].is_ascii_alphanumeric() {
            return false;
        }
        let host = bytes[i + 1..].iter().take_while(|c| c.is_ascii_alphanumeric()).count();
        host > 0
            && bytes.get(i + 1 + host) == Some(&b'.')
            && bytes.get(i + 2 + host).is_some_and(u8::is_ascii_alphanumeric)
    })
}
