//! Fingerprints: what the preview, the build cache and the audit's link
//! facts compare to know whether something changed.

use std::hash::{DefaultHasher, Hash, Hasher};

/// A hash of `value`, stable within one run of echt.
pub fn fingerprint(value: impl Hash) -> u64 {
    let mut hasher = DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}
