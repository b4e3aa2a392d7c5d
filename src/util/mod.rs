//! The ground every stage stands on: errors with their sources, URLs and
//! the root marker, slugs, the languages echt speaks, escaping, decoding
//! text, fingerprints, metadata taken out of images.
//!
//! Takes nothing from the pipeline and hands on small, pure helpers; it
//! imports no other module of echt.

pub mod error;
pub mod escape;
pub mod fingerprint;
pub mod i18n;
pub mod image_meta;
pub mod slug;
pub mod text;
pub mod tracking;
pub mod url;
