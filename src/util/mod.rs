//! The ground every stage stands on: errors with their sources, URLs and
//! the root marker, slugs, the languages echt speaks, escaping, decoding
//! text, fingerprints.
//!
//! Takes nothing from the pipeline and hands on small, pure helpers; it
//! imports no other module of echt.

pub mod error;
pub mod escape;
pub mod fingerprint;
pub mod i18n;
pub mod slug;
pub mod text;
pub mod url;

#[allow(clippy::print_stderr)]
pub fn tick(what: &str) {
    use std::sync::Mutex;
    use std::time::Instant;
    static LAST: Mutex<Option<Instant>> = Mutex::new(None);
    if std::env::var_os("ECHT_TICK").is_none() { return; }
    let mut last = LAST.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let now = Instant::now();
    if let Some(l) = *last { eprintln!("tick {what}: {} ms", (now - l).as_millis()); }
    *last = Some(now);
}
