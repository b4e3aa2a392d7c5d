//! Fingerprints: what the preview, the build cache and the audit's link
//! facts compare to know whether something changed.
//!
//! XXH3 rather than std's SipHash: fingerprints hash every page's data on
//! every preview rebuild, where SipHash alone took an eighth of the time,
//! and they need no protection against chosen inputs (nobody attacks their
//! own site's cache), only good mixing. Unlike `DefaultHasher`, XXH3's
//! output is specified, so a fingerprint stored by one echt can be read
//! by the next (as long as the hashed types keep their `Hash`).
//!
//! Files on disk are told apart by their metadata ([`FileStamp`]).

use std::hash::{Hash, Hasher};

use xxhash_rust::xxh3::Xxh3Default;

/// A hash of `value`, the same in every run of echt.
pub fn fingerprint(value: impl Hash) -> u64 {
    let mut hasher = Xxh3Default::new();
    value.hash(&mut hasher);
    hasher.finish()
}

/// What a file's metadata says about its contents: its size and
/// modification time, and on Unix its change time and inode, which no
/// program can set back: a file rewritten at the same size and dated back
/// to its old modification time, or replaced by another, still shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FileStamp {
    size: u64,
    modified: Option<std::time::SystemTime>,
    /// Seconds and nanoseconds of the change time, device and inode.
    changed: (i64, i64, u64, u64),
}

impl FileStamp {
    pub fn of(meta: &std::fs::Metadata) -> FileStamp {
        #[cfg(unix)]
        let changed = {
            use std::os::unix::fs::MetadataExt;
            (meta.ctime(), meta.ctime_nsec(), meta.dev(), meta.ino())
        };
        #[cfg(not(unix))]
        let changed = (0, 0, 0, 0);
        FileStamp {
            size: meta.len(),
            modified: meta.modified().ok(),
            changed,
        }
    }

    /// The modification time, if the system has one.
    pub fn modified(&self) -> Option<std::time::SystemTime> {
        self.modified
    }
}

/// Whether a file (as `symlink_metadata` describes it) can be changed
/// under another path than its own: a symbolic link, or a file with more
/// than one name. The preview's watcher reports a change under the path
/// that was written to.
pub fn linked(meta: &std::fs::Metadata) -> bool {
    #[cfg(unix)]
    let names = std::os::unix::fs::MetadataExt::nlink(meta);
    #[cfg(not(unix))]
    let names = 1;
    meta.file_type().is_symlink() || names > 1
}

#[cfg(test)]
mod tests {
    use super::fingerprint;

    const PINNED: u64 = 9_864_516_981_851_431_666;

    #[test]
    fn fingerprints_are_stable_and_tell_values_apart() {
        // Pinned: a stored fingerprint must mean the same in the next run.
        assert_eq!(fingerprint("echt"), PINNED);
        assert_eq!(fingerprint("echt"), fingerprint(String::from("echt")));
        assert_ne!(fingerprint(("a", "bc")), fingerprint(("ab", "c")));
        assert_ne!(fingerprint(1_u64), fingerprint(2_u64));
    }
}
