//! Tests of reading exports: the two fixture exports field by field, and
//! broken files located.

use super::*;

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/sites/wordpress")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn classic() -> Export {
    read(Path::new("classic.xml"), &fixture("classic.xml")).unwrap_or_else(|e| panic!("{e}"))
}

fn blocks() -> Export {
    read(Path::new("blocks.xml"), &fixture("blocks.xml")).unwrap_or_else(|e| panic!("{e}"))
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

#[test]
fn site_of_a_self_hosted_blog() {
    let e = classic();
    assert_eq!(e.version, "1.2");
    assert_eq!(
        e.site,
        Site {
            title: "Gartenbuch".into(),
            link: "https://garten.example.org".into(),
            description: "Notizen aus einem kleinen Garten".into(),
            language: "de-DE".into(),
            base_site_url: "https://garten.example.org".into(),
            base_blog_url: "https://garten.example.org".into(),
            authors: vec![Author {
                id: Some(1),
                login: "hanne".into(),
                email: "hanne@garten.example.org".into(),
                display_name: "Hanne Beet".into(),
                first_name: "Hanne".into(),
                last_name: "Beet".into(),
            }],
            categories: vec![
                SiteTerm {
                    slug: "gemuese".into(),
                    name: "Gemüse".into(),
                    parent: String::new(),
                },
                SiteTerm {
                    slug: "wurzelgemüse".into(),
                    name: "Wurzelgemüse".into(),
                    parent: "gemuese".into(),
                },
            ],
            tags: vec![SiteTerm {
                slug: "frühling".into(),
                name: "Frühling".into(),
                parent: String::new(),
            }],
        }
    );
    let kinds: Vec<(u64, &Kind)> = e.items.iter().map(|i| (i.id, &i.kind)).collect();
    assert_eq!(
        kinds,
        [
            (2, &Kind::Page),
            (3, &Kind::Page),
            (10, &Kind::Post),
            (11, &Kind::Post),
            (12, &Kind::Post),
            (13, &Kind::Post),
            (14, &Kind::Post),
            (21, &Kind::Attachment),
            (22, &Kind::Attachment),
            (30, &Kind::NavMenuItem),
        ]
    );
}

#[test]
fn site_of_a_wordpress_com_blog_with_https_namespaces() {
    let e = blocks();
    assert_eq!(e.version, "1.1");
    assert_eq!(e.site.title, "Field Notes & Sketches");
    assert_eq!(e.site.base_site_url, "http://wordpress.com/");
    assert_eq!(e.site.base_blog_url, "https://fieldnotes.example.com");
    assert_eq!(e.site.authors[0].id, None);
    assert_eq!(e.site.authors[0].display_name, "Robin Wren");
    let post = by_id(&e, 40);
    assert_eq!(post.kind, Kind::Post);
    assert_eq!(post.creator, "robin");
    assert!(post.content.starts_with("<!-- wp:paragraph -->\n<p>A walk"));
    assert_eq!(post.content_line, 24);
    // 09:00 local for 14:00 GMT: the blog is five hours behind.
    assert_eq!(post.date, Some(at_("2026-03-01T09:00:00-05:00")));
    let terms: Vec<(&str, &str, &str)> = post
        .terms
        .iter()
        .map(|t| (t.domain.as_str(), t.nicename.as_str(), t.name.as_str()))
        .collect();
    assert_eq!(
        terms,
        [
            ("category", "walks", "Walks"),
            ("post_tag", "birds", "Birds")
        ]
    );
    assert_eq!(post.comments[0].content, "Lovely &amp; quiet.");
    assert_eq!(post.comments[0].kind, CommentKind::Comment);
    assert_eq!(by_id(&e, 41).attached_file(), Some("2026/03/heron.jpg"));
}

#[test]
fn post_fields() {
    let e = classic();
    let post = by_id(&e, 10);
    assert_eq!(post.title, "Die ersten Radieschen");
    assert_eq!(
        post.link,
        "https://garten.example.org/2026/04/die-ersten-radieschen/"
    );
    assert_eq!(post.slug, "die-ersten-radieschen");
    assert_eq!(post.status, Status::Publish);
    assert!(post.sticky);
    assert!(!post.is_protected());
    assert_eq!(post.date, Some(at_("2026-04-12T08:30:00+02:00")));
    assert_eq!(post.excerpt, "Die ersten Radieschen sind da.");
    assert_eq!(post.thumbnail_id(), Some(21));
    assert_eq!(post.content_line, 76);
    assert!(post.content.starts_with("Heute haben wir"));
    assert!(post.content.ends_with("Schreibt uns</a>."));
    let tags: Vec<&str> = post
        .terms_in("post_tag")
        .map(|t| t.nicename.as_str())
        .collect();
    assert_eq!(tags, ["frühling"]);
    let cats: Vec<&str> = post.terms_in("category").map(|t| t.name.as_str()).collect();
    assert_eq!(cats, ["Gemüse"]);
}

#[test]
fn pages_with_parents_and_percent_encoded_slugs() {
    let e = classic();
    let about = by_id(&e, 2);
    assert_eq!(about.slug, "über-uns");
    assert_eq!(about.slug_raw, "%c3%bcber-uns");
    assert_eq!(about.menu_order, 1);
    assert_eq!(about.date, Some(at_("2026-02-02T10:00:00+01:00")));
    let team = by_id(&e, 3);
    assert_eq!(team.parent, 2);
    assert_eq!(by_id(&e, 13).slug, "kürbisse-im-herbst");
}

#[test]
fn statuses_passwords_and_undated_drafts() {
    let e = classic();
    let protected = by_id(&e, 11);
    assert!(protected.is_protected());
    assert_eq!(protected.password, "kohlrabi");
    let draft = by_id(&e, 12);
    assert_eq!(draft.status, Status::Draft);
    assert_eq!(draft.slug, "");
    // No GMT date: the local date stands, read as UTC.
    assert_eq!(draft.date, Some(at_("2026-06-01T18:00:00+00:00")));
    let future = by_id(&e, 13);
    assert_eq!(future.status, Status::Future);
    assert_eq!(future.date, Some(at_("2026-12-24T08:00:00+01:00")));
    assert_eq!(by_id(&e, 14).status, Status::Trash);
    assert_eq!(by_id(&e, 21).status, Status::Other("inherit".into()));
}

#[test]
fn threaded_comments_pending_spam_and_pings() {
    let e = classic();
    let comments = &by_id(&e, 10).comments;
    let summary: Vec<(u64, u64, &Approval, &CommentKind)> = comments
        .iter()
        .map(|c| (c.id, c.parent, &c.approved, &c.kind))
        .collect();
    assert_eq!(
        summary,
        [
            (100, 0, &Approval::Approved, &CommentKind::Comment),
            (101, 100, &Approval::Approved, &CommentKind::Comment),
            (102, 101, &Approval::Pending, &CommentKind::Comment),
            (103, 0, &Approval::Approved, &CommentKind::Pingback),
            (104, 0, &Approval::Approved, &CommentKind::Trackback),
            (105, 0, &Approval::Spam, &CommentKind::Comment),
            (106, 101, &Approval::Approved, &CommentKind::Comment),
            (107, 106, &Approval::Approved, &CommentKind::Comment),
            (108, 107, &Approval::Approved, &CommentKind::Comment),
            (109, 108, &Approval::Approved, &CommentKind::Comment),
        ]
    );
    // Six deep: 109 → 108 → 107 → 106 → 101 → 100.
    let parent = |id: u64| comments.iter().find(|c| c.id == id).map(|c| c.parent);
    let mut depth = 1;
    let mut at = 109;
    while let Some(p) = parent(at).filter(|&p| p != 0) {
        depth += 1;
        at = p;
    }
    assert_eq!((depth, at), (6, 100));
    assert_eq!(comments[9].date, Some(at_("2026-04-16T14:00:00+02:00")));
    let first = &comments[0];
    assert_eq!(first.author, "Jo");
    assert_eq!(first.author_email, "jo@example.net");
    assert_eq!(first.author_url, "https://jo.example.net/");
    assert_eq!(first.author_ip, "192.0.2.7");
    assert_eq!(first.date, Some(at_("2026-04-12T09:15:00+02:00")));
    assert_eq!(first.content, "Wie lange haben sie gebraucht?");
    assert_eq!(first.line, 117);
    assert_eq!(comments[3].content, "[…] wie im Gartenbuch beschrieben […]");
}

#[test]
fn attachments_and_their_size_variants() {
    let e = classic();
    let beet = by_id(&e, 21);
    assert_eq!(
        beet.attachment_url,
        "https://garten.example.org/wp-content/uploads/2026/04/beet.jpg"
    );
    assert_eq!(beet.attached_file(), Some("2026/04/beet.jpg"));
    assert_eq!(beet.parent, 10);
    assert_eq!(beet.excerpt, "Das Beet im April");
    assert_eq!(
        beet.size_files(),
        ["beet.jpg", "beet-300x200.jpg", "beet-150x150.jpg"]
    );
    assert!(by_id(&e, 22).size_files().is_empty());
}

#[test]
fn menu_items() {
    let e = classic();
    assert_eq!(by_id(&e, 10).menu_item(), None);
    assert_eq!(
        by_id(&e, 30).menu_item(),
        Some(MenuItem {
            title: "Über uns".into(),
            menu: "hauptmenue".into(),
            target_kind: "post_type".into(),
            target_id: 2,
            url: String::new(),
            parent: 0,
            order: 1,
        })
    );
}

#[test]
fn wxr_1_0_without_version_element_and_entities_outside_cdata() {
    let source = "<rss xmlns:wp=\"http://wordpress.org/export/1.0/\" \
        xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel>\
        <title>A &amp; B</title><item><title>x</title>\
        <content:encoded>a&nbsp;b &lt;p&gt; &unknown c</content:encoded>\
        <wp:post_id>5</wp:post_id><wp:post_type>post</wp:post_type>\
        <wp:post_date>2007-01-01 12:00:00</wp:post_date>\
        <wp:post_date_gmt>2007-01-01 12:00:00</wp:post_date_gmt></item></channel></rss>";
    let e = read(Path::new("old.xml"), source).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(e.version, "1.0");
    assert_eq!(e.site.title, "A & B");
    assert_eq!(e.items[0].content, "a&nbsp;b <p> &unknown c");
    assert_eq!(e.items[0].date, Some(at_("2007-01-01T12:00:00+00:00")));
}

#[test]
fn offsets_are_read_in_quarter_hours() {
    let half = instant("2026-01-01 00:00:00", date("2026-01-01 05:30:00"));
    assert_eq!(half, Some(at_("2026-01-01T05:30:00+05:30")));
    // A post saved a few seconds after the minute turned.
    let odd = instant("2026-01-01 00:00:00", date("2025-12-31 20:00:03"));
    assert_eq!(odd.map(|d| d.offset().local_minus_utc()), Some(-4 * 3600));
    assert_eq!(instant("0000-00-00 00:00:00", None), None);
}

#[test]
fn broken_exports_are_located() {
    let cases = [
        ("<rss><channel><item></channel></rss>", 1, "not well-formed"),
        ("<rss>\n<channel>\n  <title>x</title>\n", 4, "cut off"),
        ("<html><body/></html>", 1, "not a WordPress export"),
        (
            "<rss><channel></channel></rss>\n</rss>",
            2,
            "not well-formed",
        ),
    ];
    for (source, line, words) in cases {
        let e = read(Path::new("x.xml"), source).map(|_| ()).unwrap_err();
        let text = e.to_string();
        assert!(text.contains(words), "{source:?}: {text}");
        assert_eq!(e.line, line, "{source:?}: {text}");
    }
}

#[test]
fn percent_decoding() {
    assert_eq!(percent_decode("%c3%bcber-uns"), "über-uns");
    assert_eq!(percent_decode("%E2%82%AC"), "€");
    assert_eq!(percent_decode("100%"), "100%");
    assert_eq!(percent_decode("%zz-%c3"), "%zz-%c3");
    assert_eq!(percent_decode("%ff%fe"), "%ff%fe");
}

#[test]
fn never_panics_on_cut_or_garbled_exports() {
    let source = fixture("classic.xml");
    let mut cut = 0;
    while cut < source.len() {
        let end = (0..4)
            .map(|d| cut + d)
            .find(|&e| source.is_char_boundary(e))
            .unwrap_or(source.len());
        let _ = read(Path::new("x.xml"), &source[..end]);
        let garbled = format!("{}<{}", &source[..end], &source[end..]);
        let _ = read(Path::new("x.xml"), &garbled);
        cut += 97;
    }
}
