//! The blog's uploads: where an address in a post points under
//! `wp-content/uploads` (the blog's own host, WordPress.com's file host,
//! or Jetpack's image CDN), the original behind a size variant
//! (`-300x200.jpg`, `-scaled.jpg`), and the export's attachments as the
//! content conversion asks for them. Finding the files themselves (in a
//! copy of the uploads, or by download) is the importer's part.

use std::collections::HashMap;

use super::content::{Attachment, Media};
use super::wxr::{Export, Item, Kind};

/// The path under `wp-content/uploads` an address points at
/// (`2026/04/beet-300x200.jpg`), when it is one of the blog's uploads:
/// on one of `hosts` (the blog's own, without scheme), on
/// `*.files.wordpress.com`, or through Jetpack's `i0.wp.com`.
pub fn upload_path(url: &str, hosts: &[&str]) -> Option<String> {
    let url = url.split(['?', '#']).next().unwrap_or(url);
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .or_else(|| url.strip_prefix("//"))?;
    let (host, path) = rest.split_once('/')?;
    let host = host.to_ascii_lowercase();
    if host.ends_with(".files.wordpress.com") {
        return Some(path.to_string()).filter(|p| !p.is_empty());
    }
    let (host, path) = match host.strip_suffix(".wp.com") {
        Some(cdn) if cdn.len() == 2 && cdn.starts_with('i') => {
            let (inner_host, inner) = path.split_once('/')?;
            (inner_host.to_ascii_lowercase(), inner)
        }
        _ => (host, path),
    };
    let own = |h: &str| {
        let h = h.trim_end_matches('/');
        let h = h.split_once("://").map_or(h, |(_, r)| r);
        let h = h.split('/').next().unwrap_or(h);
        h.eq_ignore_ascii_case(&host)
            || h.strip_prefix("www.")
                .is_some_and(|bare| bare.eq_ignore_ascii_case(&host))
            || host
                .strip_prefix("www.")
                .is_some_and(|bare| bare.eq_ignore_ascii_case(h))
    };
    if !hosts.iter().any(|h| own(h)) {
        return None;
    }
    let at = path.find("wp-content/uploads/")?;
    let inner = &path[at + "wp-content/uploads/".len()..];
    (!inner.is_empty()).then(|| inner.to_string())
}

/// The original of a size variant: `beet-300x200.jpg` → `beet.jpg`,
/// `big-scaled.jpg` and `big-rotated.jpg` → `big.jpg`; other paths as
/// they are.
pub fn original(path: &str) -> String {
    let (dir, name) = path.rsplit_once('/').map_or(("", path), |(d, n)| (d, n));
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    let stem = stem
        .strip_suffix("-scaled")
        .or_else(|| stem.strip_suffix("-rotated"))
        .unwrap_or_else(|| strip_size(stem));
    let name = if ext.is_empty() {
        stem.to_string()
    } else {
        format!("{stem}.{ext}")
    };
    if dir.is_empty() {
        name
    } else {
        format!("{dir}/{name}")
    }
}

/// `beet-300x200` → `beet`.
fn strip_size(stem: &str) -> &str {
    let Some((base, size)) = stem.rsplit_once('-') else {
        return stem;
    };
    let Some((w, h)) = size.split_once('x') else {
        return stem;
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if digits(w) && digits(h) && !base.is_empty() {
        base
    } else {
        stem
    }
}

/// The export's attachments by id and by the post they were uploaded to.
#[derive(Debug)]
pub struct Attachments<'e> {
    by_id: HashMap<u64, &'e Item>,
    by_parent: HashMap<u64, Vec<&'e Item>>,
}

impl<'e> Attachments<'e> {
    pub fn new(export: &'e Export) -> Self {
        let mut by_id = HashMap::new();
        let mut by_parent: HashMap<u64, Vec<&Item>> = HashMap::new();
        for item in export.items.iter().filter(|i| i.kind == Kind::Attachment) {
            by_id.insert(item.id, item);
            by_parent.entry(item.parent).or_default().push(item);
        }
        for list in by_parent.values_mut() {
            list.sort_by_key(|i| (i.menu_order, i.id));
        }
        Self { by_id, by_parent }
    }

    /// The attachment with `id`, as the conversion needs it.
    pub fn get(&self, id: u64) -> Option<Attachment> {
        let item = self.by_id.get(&id)?;
        Some(Attachment {
            url: item.attachment_url.clone(),
            caption: item.excerpt.trim().to_string(),
            title: item.title.clone(),
        })
    }

    /// The ids of the attachments uploaded to `post`, in gallery order.
    pub fn of(&self, post: u64) -> Vec<u64> {
        self.by_parent
            .get(&post)
            .map(|l| l.iter().map(|i| i.id).collect())
            .unwrap_or_default()
    }
}

/// [`Media`] for one post: the export's attachments, and the files found
/// as `local` says.
pub struct PostMedia<'a> {
    pub attachments: &'a Attachments<'a>,
    pub post: u64,
    /// Where the file at an address is in the new site, relative to the
    /// post; None when it was not found.
    pub local: &'a dyn Fn(&str) -> Option<String>,
    /// The hosts of the blog's own files.
    pub hosts: &'a [&'a str],
}

impl std::fmt::Debug for PostMedia<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostMedia")
            .field("attachments", &self.attachments)
            .field("post", &self.post)
            .finish_non_exhaustive()
    }
}

impl Media for PostMedia<'_> {
    fn attachment(&self, id: u64) -> Option<Attachment> {
        self.attachments.get(id)
    }
    fn attached(&self) -> Vec<u64> {
        self.attachments.of(self.post)
    }
    fn local(&self, url: &str) -> Option<String> {
        (self.local)(url)
    }
    fn own(&self, url: &str) -> bool {
        upload_path(url, self.hosts).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn upload_paths_on_every_host() {
        let hosts = ["https://garten.example.org", "garten.example.org"];
        let cases = [
            (
                "https://garten.example.org/wp-content/uploads/2026/04/beet-300x200.jpg?w=300",
                Some("2026/04/beet-300x200.jpg"),
            ),
            (
                "http://www.garten.example.org/wp-content/uploads/a.pdf",
                Some("a.pdf"),
            ),
            (
                "//garten.example.org/blog/wp-content/uploads/2026/x.mp3",
                Some("2026/x.mp3"),
            ),
            (
                "https://fieldnotes.files.wordpress.com/2026/03/heron.jpg",
                Some("2026/03/heron.jpg"),
            ),
            (
                "https://i0.wp.com/garten.example.org/wp-content/uploads/2026/04/beet.jpg?resize=300",
                Some("2026/04/beet.jpg"),
            ),
            ("https://other.example.net/wp-content/uploads/x.jpg", None),
            ("https://garten.example.org/2026/04/a-post/", None),
            ("/wp-content/uploads/x.jpg", None),
            ("https://garten.example.org/wp-content/uploads/", None),
        ];
        for (url, expected) in cases {
            assert_eq!(upload_path(url, &hosts).as_deref(), expected, "{url}");
        }
    }

    #[test]
    fn originals_of_size_variants() {
        assert_eq!(original("2026/04/beet-300x200.jpg"), "2026/04/beet.jpg");
        assert_eq!(original("beet-150x150.jpg"), "beet.jpg");
        assert_eq!(original("2026/04/big-scaled.jpeg"), "2026/04/big.jpeg");
        assert_eq!(original("photo-rotated.png"), "photo.png");
        assert_eq!(original("2026/04/a-b.jpg"), "2026/04/a-b.jpg");
        assert_eq!(original("1024x768.jpg"), "1024x768.jpg");
        assert_eq!(original("-300x200.jpg"), "-300x200.jpg");
        assert_eq!(original("noext-10x10"), "noext");
    }

    #[test]
    fn attachments_of_the_export() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sites/wordpress/classic.xml");
        let source = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
        let export =
            crate::import::wordpress::wxr::read(&path, &source).unwrap_or_else(|e| panic!("{e}"));
        let attachments = Attachments::new(&export);
        assert_eq!(attachments.of(10), [21, 22]);
        assert!(attachments.of(11).is_empty());
        assert_eq!(
            attachments.get(21),
            Some(Attachment {
                url: "https://garten.example.org/wp-content/uploads/2026/04/beet.jpg".into(),
                caption: "Das Beet im April".into(),
                title: "beet".into(),
            })
        );
        assert_eq!(attachments.get(10), None);
        let local = |url: &str| {
            upload_path(url, &["garten.example.org"])
                .map(|p| original(&p))
                .filter(|p| p == "2026/04/beet.jpg")
                .map(|_| "beet.jpg".to_string())
        };
        let media = PostMedia {
            attachments: &attachments,
            post: 10,
            local: &local,
            hosts: &["garten.example.org"],
        };
        let content = export
            .items
            .iter()
            .find(|i| i.id == 10)
            .map(|i| i.content.clone())
            .unwrap_or_default();
        let c = crate::import::wordpress::content::convert(
            &content,
            &crate::import::wordpress::content::Options { language: "de" },
            &media,
        );
        assert!(
            c.text
                .contains("<img src=\"beet.jpg\" alt=\"Das Beet im April\" width=\"300\""),
            "{}",
            c.text
        );
        // Not found, and the old host is gone once the new site stands
        // at its address: the words stay, no link.
        assert!(c.text.contains("\namsel.mp3\n"), "{}", c.text);
        assert!(!c.text.contains("wp-content/uploads"), "{}", c.text);
    }
}
