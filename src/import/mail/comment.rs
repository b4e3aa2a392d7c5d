//! The comment file a reply becomes (the format every part of echt reads:
//! `id`, `parent`, `author`, `date`, `draft`, and the Markdown body).
//!
//! A comment's id is `m-` and a hash of its message's `Message-ID`, so
//! that the same message always becomes the same file, and a reply's
//! parent is found from its `In-Reply-To` and `References` by hashing the
//! ids there the same way: the thread is kept without writing any message
//! id down, in the site or beside it. Message ids can name the sender's
//! host or machine; hashes tell nothing.

pub use crate::import::comment::{anonymous, NewComment};
use crate::import::mail::Reply;

/// The comment id of the message with this `Message-ID`.
pub fn id_of(message_id: &str) -> String {
    id_from_hash(xxhash_rust::xxh3::xxh3_64(message_id.as_bytes()))
}

/// The comment id of `reply`: from its `Message-ID`, or from the whole
/// message where it has none.
pub fn id_for(reply: &Reply) -> String {
    reply
        .message_id
        .as_deref()
        .map_or_else(|| id_from_hash(reply.digest), id_of)
}

/// Eight hex digits: plenty for the comments of one post, and short
/// enough to read in a file name.
fn id_from_hash(hash: u64) -> String {
    format!("m-{:08x}", hash >> 32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_short_and_in_the_format() {
        let id = id_of("20260312142200.4711@mail.example.org");
        assert_eq!(id, id_of("20260312142200.4711@mail.example.org"));
        assert_ne!(id, id_of("20260312142200.4712@mail.example.org"));
        assert_eq!(id.len(), 10);
        assert!(id.starts_with("m-"));
        assert!(id[2..]
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
    }
}
