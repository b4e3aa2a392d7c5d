//! Readers' comments as files: threads under posts, counts on lists, the
//! reply link, the comments feed, drafts, closed threads, located errors,
//! rebuilds that notice a comment, and that no address leaks.

use crate::support::{snapshot, TestSite};

const REPLY_TO: &str = "post@hinterhof.example.org";

#[test]
fn a_thread_six_deep_is_nested_under_its_post() {
    let site = TestSite::fixture("comments");
    let built = site.build().ok();
    let page = built.page("posts/gartenbank/");
    assert_eq!(page.matches("<li class=\"comment\"").count(), 7, "{page}");
    assert_eq!(page.matches("<ol class=\"comment-replies\"").count(), 5);
    // Reading order: date, then id; k-7 answers the post after k-1's thread.
    let order: Vec<usize> = (1..=7)
        .map(|i| page.find(&format!("id=\"comment-k-{i}\"")).unwrap())
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    // The sixth level sits inside five lists of replies.
    let before_k6 = &page[..order[5]];
    let open = before_k6.matches("<ol class=\"comment-replies\"").count();
    let closed = before_k6.matches("</ol>").count();
    assert_eq!(open - closed, 5);
    assert!(page.contains("<span class=\"comment-initials\" aria-hidden=\"true\">JH</span>"));
    assert!(page.contains(
        "<h2 id=\"comments-title\">Kommentare <span class=\"comment-count\">(7)</span></h2>"
    ));
    // The author's link and a link in a text, both marked as the reader's.
    assert!(page.contains("<a href=\"https://jonas.example.net/\" rel=\"nofollow ugc noopener"));
    assert!(page.contains("<a href=\"https://lena.example.org/bank\" rel=\"nofollow ugc noopener"));
}

#[test]
fn nothing_a_reader_wrote_becomes_markup_or_a_load() {
    let site = TestSite::fixture("comments");
    let built = site.build().ok();
    let page = built.page("posts/gartenbank/");
    assert!(page.contains("&lt;script&gt;alert(\"Kuchen\")&lt;/script&gt;"));
    assert!(
        !page.contains("tracker.example"),
        "the image's address is gone"
    );
    assert!(page.contains("<p>Kuchenbild</p>"));
    assert!(!page.contains("javascript:"));
    assert!(!page.contains("<img"), "no avatars, no images");
}

#[test]
fn no_address_but_the_reply_address_is_published() {
    let site = TestSite::fixture("comments");
    let built = site.build_with(&["--drafts"]).ok();
    for file in built.files() {
        let bytes = std::fs::read(built.public.join(&file)).unwrap();
        let text = String::from_utf8_lossy(&bytes).replace(REPLY_TO, "");
        // `name@host`, also percent-encoded or as a character reference
        // (`@media` in a stylesheet is no address).
        for at in ["@", "%40", "&#64;", "&#x40;"] {
            for (i, _) in text.match_indices(at) {
                let before = text[..i].chars().next_back();
                assert!(
                    !before.is_some_and(|c| c.is_alphanumeric() || "._-+".contains(c)),
                    "{file} shows an address: {}",
                    &text[i.saturating_sub(30)..(i + 30).min(text.len())]
                );
            }
        }
    }
}

#[test]
fn drafts_wait_for_review() {
    let site = TestSite::fixture("comments");
    let built = site.build().ok();
    let page = built.page("posts/gartenbank/");
    assert!(!page.contains("comment-k-8"));
    assert!(!page.contains("wartet noch"));
    let drafts = site.build_with(&["--drafts"]).ok();
    let page = drafts.page("posts/gartenbank/");
    assert!(page.contains("id=\"comment-k-8\""));
    assert!(page.contains("Wartet auf Freigabe"));
    assert!(page.contains("(8)"));
}

#[test]
fn lists_show_how_many_comments_a_post_has() {
    let site = TestSite::fixture("comments");
    let built = site.build().ok();
    for list in ["", "tags/holz/"] {
        let page = built.page(list);
        assert!(
            page.contains("#comments\">7 Kommentare</a>"),
            "{list}: {page}"
        );
    }
    let home = built.page("");
    assert!(home.contains("#comments\">1 Kommentar</a>"));
    // A post nobody answered shows no count.
    assert_eq!(home.matches("class=\"comment-count\"").count(), 2);
}

#[test]
fn the_reply_link_names_the_post_and_a_closed_thread_has_none() {
    let site = TestSite::fixture("comments");
    let built = site.build().ok();
    let page = built.page("posts/gartenbank/");
    assert!(page.contains(
        "<a href=\"mailto:post@hinterhof.example.org?subject=Re%3A%20Eine%20Bank%20f%C3%BCr%20den%20Garten\">Per E-Mail antworten</a>"
    ));
    let closed = built.page("posts/zaun/");
    assert!(
        closed.contains("Sieht gut aus!"),
        "closed threads keep their comments"
    );
    // The share links' `mailto:` has no address; the reply link is gone.
    assert!(!closed.contains("class=\"comment-reply\""));
    assert!(!closed.contains("mailto:post@"));
    assert!(closed.contains("Die Kommentare zu diesem Beitrag sind geschlossen."));
    let quiet = built.page("posts/alt/");
    assert!(quiet.contains("Per E-Mail antworten"));
    assert!(!quiet.contains("comment-thread"));
}

#[test]
fn without_an_address_there_is_no_reply_link() {
    let site = TestSite::fixture("comments");
    let config = std::fs::read_to_string(site.root().join("echt.yaml")).unwrap();
    let config = config.replace("comments:\n  email: \"post@hinterhof.example.org\"\n", "");
    let site = site.file("echt.yaml", &config);
    let built = site.build().ok();
    let page = built.page("posts/gartenbank/");
    assert!(!page.contains("class=\"comment-reply\""), "{page}");
    assert!(!page.contains("mailto:post@"), "{page}");
    assert!(!built.page("posts/alt/").contains("id=\"comments\""));
}

#[test]
fn each_post_with_comments_has_a_comments_feed() {
    let site = TestSite::fixture("comments");
    let built = site.build().ok();
    let feed = built.page("posts/gartenbank/comments.xml");
    assert_eq!(feed.matches("<entry>").count(), 7);
    assert!(feed.contains(
        "<link href=\"https://hinterhof.example.org/posts/gartenbank/comments.xml\" rel=\"self\""
    ));
    assert!(feed.contains("<id>https://hinterhof.example.org/posts/gartenbank/#comment-k-7</id>"));
    // Newest first.
    assert!(feed.find("#comment-k-7").unwrap() < feed.find("#comment-k-1").unwrap());
    assert!(!feed.contains("k-8"));
    assert!(built
        .page("posts/gartenbank/")
        .contains("href=\"../../posts/gartenbank/comments.xml\""));
}

#[test]
fn the_comments_feed_sits_beside_an_html_permalink() {
    let site = TestSite::fixture("comments");
    let config = std::fs::read_to_string(site.root().join("echt.yaml")).unwrap();
    let site = site.file(
        "echt.yaml",
        &format!("{config}permalink: \"/:year/:slug.html\"\n"),
    );
    let built = site.build().ok();
    assert!(built.exists("2024/gartenbank.html"));
    let feed = built.page("2024/gartenbank.comments.xml");
    assert!(feed.contains("https://hinterhof.example.org/2024/gartenbank.html#comment-k-1"));
}

#[test]
fn comment_files_are_never_posts_pages_or_copied_files() {
    let site = TestSite::fixture("comments").file(
        "content/posts/gartenbank/comments/notiz.txt",
        "nur für mich",
    );
    let built = site.build().ok();
    let files = built.files();
    assert!(
        !files
            .iter()
            .any(|f| f.contains("comments/") || f.contains("k-1")),
        "{files:?}"
    );
}

#[test]
fn problems_are_located_in_the_comment_file() {
    let site = TestSite::fixture("comments")
        .file(
            "content/posts/gartenbank/comments/k-9.md",
            "---\nid: k-9\nparent: k-99\nauthor: Anna\ndate: 2024-05-08\n---\nHallo\n",
        )
        .file(
            "content/posts/gartenbank/comments/k-10.md",
            "---\nid: k-10\nauthor: Anna\nemail: anna@example.org\ndate: 2024-05-08\n---\nHallo\n",
        );
    let err = site.build().fails();
    assert!(err.contains("no comment `k-99` answers this post"), "{err}");
    assert!(
        err.contains("content/posts/gartenbank/comments/k-9.md:3:9"),
        "{err}"
    );
    assert!(err.contains("unknown key `email` in a comment"), "{err}");
    assert!(
        err.contains("content/posts/gartenbank/comments/k-10.md:4:"),
        "{err}"
    );
}

#[test]
fn a_rebuild_notices_new_changed_and_removed_comments() {
    let site = TestSite::fixture("comments");
    site.build().ok();
    let comment = "content/posts/alt/comments/a-1.md";
    let steps: [(&str, Option<&str>); 3] = [
        (
            "new",
            Some("---\nid: a-1\nauthor: Anna\ndate: 2024-03-02\n---\nErster!\n"),
        ),
        (
            "changed",
            Some("---\nid: a-1\nauthor: Anna\ndate: 2024-03-02\n---\nZweiter Gedanke.\n"),
        ),
        ("removed", None),
    ];
    for (step, text) in steps {
        let path = site.root().join(comment);
        match text {
            Some(text) => {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, text).unwrap();
            }
            None => std::fs::remove_file(&path).unwrap(),
        }
        let cached = site.build().ok();
        let page = cached.page("posts/alt/");
        match text {
            Some(text) => {
                let body = text.rsplit("---\n").next().unwrap().trim();
                assert!(page.contains(body), "{step}: {page}");
            }
            None => assert!(!page.contains("comment-thread"), "{step}"),
        }
        let cached = snapshot(&cached.public);
        let clean = site.build_with(&["--no-cache"]).ok();
        assert!(
            cached == snapshot(&clean.public),
            "{step}: cached differs from clean"
        );
    }
}

/// The thread on a phone-sized window: nothing sticks out sideways, each
/// level of replies is visibly further in, and the sixth level still has
/// most of the width for its text.
#[test]
#[ignore = "needs chromium"]
fn the_thread_reads_well_on_a_phone() {
    let site = TestSite::fixture("comments");
    let ids: Vec<String> = (1..=6).map(|i| format!("k-{i}")).collect();
    assert_thread_reads_on_a_phone(&site, "posts/gartenbank/", &ids);
}

/// The thread at `path` of `site` in a phone-sized Chromium: the comments
/// `ids` (a chain of replies) each further in, nothing wider than the
/// screen, the deepest with room to read, no image (no avatars), and only
/// the site's own requests.
pub(crate) fn assert_thread_reads_on_a_phone(site: &TestSite, path: &str, ids: &[String]) {
    use crate::chromium::Chromium;
    use serde_json::json;

    let served = crate::served::Served::start(site);
    let mut browser = Chromium::start();
    let page = browser.tab();
    browser.call(
        Some(&page),
        "Emulation.setDeviceMetricsOverride",
        json!({"width": 360, "height": 740, "deviceScaleFactor": 2, "mobile": true}),
    );
    browser.navigate(&page, &format!("{}{path}", served.url()));
    let last = ids.last().expect("a chain of comments");
    browser.wait_until(
        &page,
        "the thread",
        &format!(
            "document.readyState === 'complete' && !!document.getElementById('comment-{last}')"
        ),
    );
    let list = serde_json::to_string(ids).expect("ids as JSON");
    let facts = browser.evaluate(
        &page,
        &format!("JSON.stringify({{
            scroll: document.documentElement.scrollWidth,
            width: window.innerWidth,
            lefts: {list}.map(i => document.querySelector('#comment-' + i + ' > .comment-body').getBoundingClientRect().left),
            deepest: document.querySelector('#comment-{last} .comment-text').getBoundingClientRect().width,
            wider: [...document.querySelectorAll('.comment-body')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5).length,
            images: [...document.querySelectorAll('.comments img')].length
        }})"),
    );
    let facts: serde_json::Value = serde_json::from_str(facts.as_str().unwrap()).unwrap();
    let width = facts["width"].as_f64().unwrap();
    assert_eq!(width, 360.0, "{facts}");
    assert!(
        facts["scroll"].as_f64().unwrap() <= width,
        "the page scrolls sideways: {facts}"
    );
    assert_eq!(facts["wider"], 0, "{facts}");
    let lefts: Vec<f64> = facts["lefts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_f64().unwrap())
        .collect();
    assert!(
        lefts.windows(2).all(|w| w[1] > w[0]),
        "each level is further in: {lefts:?}"
    );
    assert!(
        facts["deepest"].as_f64().unwrap() > width * 0.55,
        "the sixth level has room to read: {facts}"
    );
    assert_eq!(facts["images"], 0, "no avatars");
    browser.assert_only_requests_to(&served.url());
}

#[test]
#[ignore = "needs java + vnu-jar (set VNU_JAR)"]
fn comment_threads_have_zero_html_errors() {
    let site = TestSite::fixture("comments");
    let built = site.build_with(&["--drafts"]).ok();
    crate::validate::assert_valid(&built.public);
}

#[test]
fn the_privacy_page_says_how_comments_are_handled() {
    let site = TestSite::fixture("comments");
    let built = site.build().ok();
    let privacy = built.page("datenschutz/");
    assert!(privacy.contains("<h2 id=\"kommentare\">Kommentare</h2>"));
    assert!(privacy.contains("E-Mail-Adressen und IP-Adressen werden nie veröffentlicht."));
    assert!(privacy.contains("Keine Profilbilder von anderen Diensten"));
    assert!(privacy.contains(&format!("<a href=\"mailto:{REPLY_TO}\">{REPLY_TO}</a>")));
    // A site without comments says nothing about them.
    let plain = TestSite::new().post("a.md", &crate::support::post("A", "2024-01-01", "Text."));
    let plain = plain.build().ok();
    assert!(!plain.page("datenschutz/").contains("id=\"kommentare\""));
}

#[test]
fn an_english_site_speaks_english_about_comments() {
    let site = TestSite::fixture("comments");
    let config = std::fs::read_to_string(site.root().join("echt.yaml")).unwrap();
    let site = site.file("echt.yaml", &config.replace("language: de", "language: en"));
    let built = site.build().ok();
    let page = built.page("posts/gartenbank/");
    assert!(page.contains(">Reply by e-mail</a>"));
    assert!(page.contains("<h2 id=\"comments-title\">Comments"));
    assert!(built.page("").contains("#comments\">7 comments</a>"));
    assert!(built
        .page("posts/zaun/")
        .contains("Comments on this post are closed."));
    assert!(built
        .page("privacy/")
        .contains("E-mail addresses and IP addresses are never published."));
}

#[test]
fn echts_url_marker_in_a_comment_is_dropped() {
    // U+E000 marks internal URLs in echt's own output; a reader's text
    // must not be able to make one.
    let site = TestSite::fixture("comments").file(
        "content/posts/alt/comments/a-1.md",
        "---\nid: a-1\nauthor: Anna\ndate: 2024-03-02\n---\nSiehe \u{E000}geheim/ und [x](\u{E000}posts/zaun/).\n",
    );
    let built = site.build().ok();
    let page = built.page("posts/alt/");
    assert!(page.contains("Siehe geheim/ und x."), "{page}");
    assert!(!page.contains("../../geheim"), "{page}");
}
