//! The two realistic fixture blogs (`tests/sites/wp-garten`, a German
//! self-hosted classic-editor blog, and `tests/sites/wp-fieldnotes`, an
//! English WordPress.com block-editor blog) read whole: counts per kind,
//! status and comment state, the six-deep thread, dates across the
//! daylight-saving change and a month boundary, percent-encoded slugs, and
//! their `uploads/` folders consistent with the exports (every file the
//! exports name is there, except the ones meant to be reported missing).

use super::*;
use crate::import::wordpress::uploads::{original, upload_path};
use std::collections::HashMap;
use std::path::PathBuf;

fn site_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/sites")
        .join(name)
}

fn load(name: &str) -> Export {
    let path = site_dir(name).join("export.xml");
    let source =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    read(&path, &source).unwrap_or_else(|e| panic!("{e}"))
}

fn garten() -> Export {
    load("wp-garten")
}

fn fieldnotes() -> Export {
    load("wp-fieldnotes")
}

fn by_id(export: &Export, id: u64) -> &Item {
    export
        .items
        .iter()
        .find(|i| i.id == id)
        .unwrap_or_else(|| panic!("no item {id}"))
}

fn at_(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

/// The ids of the items of one kind and status.
fn ids(export: &Export, kind: &Kind, status: &Status) -> Vec<u64> {
    export
        .items
        .iter()
        .filter(|i| &i.kind == kind && &i.status == status)
        .map(|i| i.id)
        .collect()
}

/// How many comments of the whole export are in each state and of each
/// kind: (approved, pending, spam, trash, pingbacks, trackbacks).
fn comment_counts(export: &Export) -> (usize, usize, usize, usize, usize, usize) {
    let all: Vec<&Comment> = export.items.iter().flat_map(|i| &i.comments).collect();
    let count = |f: &dyn Fn(&Comment) -> bool| all.iter().filter(|c| f(c)).count();
    (
        count(&|c| c.approved == Approval::Approved),
        count(&|c| c.approved == Approval::Pending),
        count(&|c| c.approved == Approval::Spam),
        count(&|c| c.approved == Approval::Trash),
        count(&|c| c.kind == CommentKind::Pingback),
        count(&|c| c.kind == CommentKind::Trackback),
    )
}

/// How deep `id` sits in its thread (1 for a comment on the post itself),
/// following `parent` within the item's comments.
fn depth(item: &Item, id: u64) -> usize {
    let parents: HashMap<u64, u64> = item.comments.iter().map(|c| (c.id, c.parent)).collect();
    let mut depth = 0;
    let mut at = id;
    while at != 0 {
        depth += 1;
        assert!(depth <= item.comments.len(), "a loop in the thread at {id}");
        at = *parents
            .get(&at)
            .unwrap_or_else(|| panic!("comment {at} has no entry"));
    }
    depth
}

#[test]
fn garten_items_per_kind_and_status() {
    let e = garten();
    assert_eq!(e.version, "1.2");
    assert_eq!(e.site.link, "https://garten.example.org");
    assert_eq!(e.site.language, "de-DE");
    assert_eq!(e.items.len(), 36);
    assert_eq!(
        ids(&e, &Kind::Post, &Status::Publish),
        [9, 10, 11, 12, 13, 14, 15, 16, 17, 18]
    );
    assert_eq!(ids(&e, &Kind::Post, &Status::Draft), [20]);
    assert_eq!(ids(&e, &Kind::Post, &Status::Pending), [21]);
    assert_eq!(ids(&e, &Kind::Post, &Status::Private), [22]);
    assert_eq!(ids(&e, &Kind::Post, &Status::Future), [23]);
    assert_eq!(ids(&e, &Kind::Post, &Status::Trash), [24]);
    assert_eq!(ids(&e, &Kind::Page, &Status::Publish), [30, 31, 32, 33, 34]);
    let inherit = Status::Other("inherit".into());
    assert_eq!(
        ids(&e, &Kind::Attachment, &inherit),
        [101, 102, 103, 105, 106, 107, 108, 109, 110, 111]
    );
    assert_eq!(
        ids(&e, &Kind::NavMenuItem, &Status::Publish),
        [200, 201, 202, 203, 204, 205]
    );
    let sticky: Vec<u64> = e.items.iter().filter(|i| i.sticky).map(|i| i.id).collect();
    assert_eq!(sticky, [9]);
    let protected: Vec<u64> = e
        .items
        .iter()
        .filter(|i| i.is_protected())
        .map(|i| i.id)
        .collect();
    assert_eq!(protected, [18]);
    let logins: Vec<&str> = e.site.authors.iter().map(|a| a.login.as_str()).collect();
    assert_eq!(logins, ["marlene", "tobias"]);
    assert_eq!(by_id(&e, 13).creator, "tobias");
}

#[test]
fn garten_slugs_terms_and_dates() {
    let e = garten();
    let beans = by_id(&e, 11);
    assert_eq!(beans.slug, "grüne-bohnen");
    assert_eq!(beans.slug_raw, "gr%c3%bcne-bohnen");
    assert_eq!(
        beans.link,
        "https://garten.example.org/2025/04/gr%c3%bcne-bohnen/"
    );
    assert_eq!(by_id(&e, 17).slug, "äpfel-einlagern");
    let cats: Vec<&str> = beans
        .terms_in("category")
        .map(|t| t.nicename.as_str())
        .collect();
    assert_eq!(cats, ["hülsenfrüchte"]);
    let nested = e
        .site
        .categories
        .iter()
        .find(|c| c.slug == "hülsenfrüchte")
        .unwrap_or_else(|| panic!("no nested category"));
    assert_eq!(nested.parent, "gemuese");
    assert!(e.site.tags.iter().any(|t| t.slug == "schädlinge"));
    // Half past midnight on 1 May in Berlin is still 30 April in GMT.
    let may = by_id(&e, 12);
    assert_eq!(may.date, Some(at_("2025-05-01T00:30:00+02:00")));
    assert_eq!(
        may.date.map(|d| d.naive_utc().to_string()).as_deref(),
        Some("2025-04-30 22:30:00")
    );
    assert_eq!(
        may.link,
        "https://garten.example.org/2025/05/kompost-im-mai/"
    );
    assert!(may.excerpt.starts_with("Warum unser Komposthaufen"));
    // Winter and summer time, and the day the clocks went back.
    assert_eq!(by_id(&e, 9).date, Some(at_("2025-03-02T11:20:00+01:00")));
    assert_eq!(by_id(&e, 10).date, Some(at_("2025-04-06T10:15:00+02:00")));
    assert_eq!(by_id(&e, 16).date, Some(at_("2025-10-26T11:00:00+01:00")));
    let thumbs: Vec<(u64, Option<u64>)> = [9, 10, 11, 17]
        .iter()
        .map(|&id| (id, by_id(&e, id).thumbnail_id()))
        .collect();
    assert_eq!(
        thumbs,
        [
            (9, Some(109)),
            (10, Some(101)),
            (11, Some(103)),
            (17, Some(110))
        ]
    );
}

#[test]
fn garten_pages_and_menu() {
    let e = garten();
    assert_eq!(by_id(&e, 32).parent, 31);
    assert_eq!(by_id(&e, 31).parent, 30);
    assert_eq!(by_id(&e, 30).parent, 0);
    assert_eq!(
        by_id(&e, 32).link,
        "https://garten.example.org/ueber-uns/team/anna/"
    );
    assert_eq!(
        by_id(&e, 33).meta("_wp_page_template"),
        Some("templates/volle-breite.php")
    );
    let menu: Vec<MenuItem> = e.items.iter().filter_map(Item::menu_item).collect();
    let summary: Vec<(&str, u64, u64, i64)> = menu
        .iter()
        .map(|m| (m.target_kind.as_str(), m.target_id, m.parent, m.order))
        .collect();
    assert_eq!(
        summary,
        [
            ("post_type", 30, 0, 1),
            ("post_type", 31, 200, 2),
            ("post_type", 33, 0, 3),
            ("taxonomy", 3, 0, 4),
            ("custom", 204, 0, 5),
            ("post_type", 34, 0, 6),
        ]
    );
    assert!(menu.iter().all(|m| m.menu == "hauptmenue"));
    assert_eq!(menu[4].url, "https://saatgut.example.com/tauschboerse/");
}

#[test]
fn garten_comments() {
    let e = garten();
    let per_item: Vec<(u64, usize)> = e
        .items
        .iter()
        .filter(|i| !i.comments.is_empty())
        .map(|i| (i.id, i.comments.len()))
        .collect();
    assert_eq!(per_item, [(10, 11), (11, 3), (12, 2), (13, 1)]);
    // (approved, pending, spam, trash, pingbacks, trackbacks)
    assert_eq!(comment_counts(&e), (13, 2, 1, 1, 2, 1));
    let post = by_id(&e, 10);
    assert_eq!(depth(post, 1006), 6);
    let deepest = post.comments.iter().map(|c| depth(post, c.id)).max();
    assert_eq!(deepest, Some(6));
    let by_author: Vec<u64> = post
        .comments
        .iter()
        .filter(|c| c.author == "Marlene Ackermann" && c.approved == Approval::Approved)
        .map(|c| c.id)
        .collect();
    assert_eq!(by_author, [1002, 1005]);
    let html = post
        .comments
        .iter()
        .find(|c| c.id == 1007)
        .unwrap_or_else(|| panic!("no comment 1007"));
    assert!(html.content.contains("<script>"), "{}", html.content);
    assert_eq!(html.author, "Bernd Ölschläger");
    // Every comment has an IP address, and every one that is not a ping
    // an e-mail address: what the importer must drop.
    let all: Vec<&Comment> = e.items.iter().flat_map(|i| &i.comments).collect();
    assert!(all.iter().all(|c| !c.author_ip.is_empty()));
    assert!(all
        .iter()
        .filter(|c| c.kind == CommentKind::Comment)
        .all(|c| c.author_email.contains('@')));
    assert!(all.iter().any(|c| c.author_ip.starts_with("2001:db8:")));
}

#[test]
fn fieldnotes_items_blocks_and_comments() {
    let e = fieldnotes();
    assert_eq!(e.version, "1.2");
    assert_eq!(e.site.base_site_url, "http://wordpress.com/");
    assert_eq!(e.items.len(), 14);
    assert_eq!(ids(&e, &Kind::Post, &Status::Publish), [40, 41, 42, 43]);
    assert_eq!(ids(&e, &Kind::Page, &Status::Publish), [60, 61]);
    assert_eq!(by_id(&e, 61).parent, 60);
    let inherit = Status::Other("inherit".into());
    assert_eq!(
        ids(&e, &Kind::Attachment, &inherit),
        [50, 51, 52, 53, 54, 55, 56, 57]
    );
    // London: GMT in March, summer time from the end of March; the last
    // post is 1 June locally and 31 May in GMT.
    assert_eq!(by_id(&e, 40).date, Some(at_("2025-03-14T07:50:00+00:00")));
    assert_eq!(by_id(&e, 43).date, Some(at_("2025-06-01T00:20:00+01:00")));
    let all: String = e.items.iter().map(|i| i.content.as_str()).collect();
    for block in [
        "paragraph",
        "heading",
        "list",
        "quote",
        "pullquote",
        "image",
        "gallery",
        "code",
        "preformatted",
        "verse",
        "table",
        "separator",
        "columns",
        "embed",
        "file",
        "audio",
        "video",
        "buttons",
        "shortcode",
    ] {
        assert!(
            all.contains(&format!("<!-- wp:{block} "))
                || all.contains(&format!("<!-- wp:{block} -->")),
            "{block}"
        );
    }
    for provider in ["youtube", "vimeo", "twitter"] {
        assert!(
            all.contains(&format!("is-provider-{provider}")),
            "{provider}"
        );
    }
    assert!(all.contains("<li>Waders<!-- wp:list"), "a nested list");
    let post = by_id(&e, 40);
    assert_eq!(post.comments.len(), 6);
    assert_eq!(by_id(&e, 41).comments.len(), 1);
    assert_eq!(depth(post, 303), 3);
    // (approved, pending, spam, trash, pingbacks, trackbacks)
    assert_eq!(comment_counts(&e), (6, 1, 0, 0, 1, 0));
}

/// Every upload an export names, as an attachment or in content, with the
/// size variants of its metadata; each must be in `uploads/` unless it is
/// in `missing`, and those must not be.
fn check_uploads(name: &str, hosts: &[&str], missing: &[&str]) {
    let e = load(name);
    let root = site_dir(name).join("uploads");
    let mut named: Vec<String> = Vec::new();
    for item in e.items.iter().filter(|i| i.kind == Kind::Attachment) {
        let file = item
            .attached_file()
            .unwrap_or_else(|| panic!("attachment {} has no file", item.id));
        named.push(file.to_string());
        let dir = file.rsplit_once('/').map_or("", |(d, _)| d);
        for size in item.size_files() {
            named.push(format!("{dir}/{size}"));
        }
    }
    for word in e
        .items
        .iter()
        .flat_map(|i| i.content.split(['"', ' ', '\n', '[', ']']))
    {
        if let Some(path) = upload_path(word, hosts) {
            named.push(path);
        }
    }
    named.sort();
    named.dedup();
    for path in &named {
        let gone = missing.contains(&original(path).as_str());
        assert_eq!(root.join(path).is_file(), !gone, "{name}: {path}");
    }
    for m in missing {
        assert!(named.iter().any(|n| n == m), "{name}: {m} is not named");
    }
}

#[test]
fn uploads_match_the_exports() {
    check_uploads(
        "wp-garten",
        &["garten.example.org"],
        &["2025/06/giesskanne.jpg", "2025/07/beet-zeitraffer.mp4"],
    );
    check_uploads(
        "wp-fieldnotes",
        &["fieldnotes.example.com"],
        &["2025/04/waves.mp4"],
    );
    let tagged = site_dir("wp-garten").join("uploads/2025/03/gartentor.jpg");
    let bytes = std::fs::read(&tagged).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        bytes.windows(4).any(|w| w == b"Exif"),
        "the GPS-tagged photo has no EXIF"
    );
}
