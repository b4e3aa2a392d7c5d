//! A copied file, read as far as the audit needs it, and published
//! without the metadata of a picture.
//!
//! Every file's start is read: an image is known by its bytes, not its
//! name. Documents and stylesheets are read whole, files of unknown kind
//! when their start looks like a document, and images always: a JPEG,
//! PNG, WebP or GIF is published through `util::image_meta::clean`
//! (EXIF, XMP, IPTC, comments, text, thumbnails and appended data
//! removed; a turned orientation kept), unless `privacy.keep_metadata`
//! names it, and the audit then reads what is published. A damaged
//! picture is an error, not a copy. Everything else is copied by the
//! sink.

use std::borrow::Cow;
use std::path::Path;

use super::Copying;
use crate::audit;
use crate::source::config::Config;
use crate::util::error::{io_message, Diagnostic};
use crate::util::image_meta;

/// The copied file `from`, published as `to`, as far as the audit needs
/// it (see `audit::files`), pictures without their metadata.
pub(super) fn read<'f>(
    from: &'f Path,
    to: &str,
    config: &Config,
) -> Result<Copying<'f>, Diagnostic> {
    let unreadable = |e: std::io::Error| Diagnostic::file(from, io_message(&e));
    let size = std::fs::metadata(from).map_err(unreadable)?.len();
    let limit = audit::files::needs_reading(to);
    let mut bytes = read_start(from, limit).map_err(unreadable)?;
    let whole = limit.is_none() || audit::files::needs_all(to, &bytes);
    if whole && limit.is_some() && (bytes.len() as u64) < size {
        bytes = std::fs::read(from).map_err(unreadable)?;
    }
    let shown = from.strip_prefix(&config.root).unwrap_or(from);
    if whole && !config.privacy.keeps_metadata(shown) {
        let cleaned = image_meta::clean(&bytes).map_err(|damaged| {
            Diagnostic::file(
                shown,
                format!(
                    "/{to} cannot be published without its metadata: it is a damaged {} file (at byte {}: {})",
                    damaged.format, damaged.offset, damaged.problem
                ),
            )
            .hint(format!(
                "open it in an image program and save it again; to publish it as it is, metadata and all, allow it in echt.yaml: `privacy: {{keep_metadata: [{}]}}`",
                shown.display()
            ))
        })?;
        if let Cow::Owned(clean) = cleaned.bytes {
            bytes = clean;
        }
    }
    Ok(Copying::Read {
        from,
        size: if whole { bytes.len() as u64 } else { size },
        bytes,
        whole,
    })
}

/// The first `limit` bytes of a file, or all of them.
fn read_start(path: &Path, limit: Option<usize>) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    match limit {
        None => std::fs::read(path),
        Some(limit) => {
            let mut bytes = Vec::with_capacity(limit);
            std::fs::File::open(path)?
                .take(limit as u64)
                .read_to_end(&mut bytes)?;
            Ok(bytes)
        }
    }
}
