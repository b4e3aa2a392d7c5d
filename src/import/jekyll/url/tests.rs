//! The URLs of posts as Jekyll 4.3.1 made them, observed in a real build
//! of a test site (date, pretty, none, three custom patterns, ordinal).

use chrono::{NaiveDate, TimeZone};

use super::*;

struct Row {
    rel: &'static str,
    slug: Option<&'static str>,
    categories: &'static [&'static str],
    permalink: Option<&'static str>,
    /// The post's local date (from the file name or the front matter).
    date: (i32, u32, u32),
    urls: [&'static str; 7],
}

const STYLES: [&str; 7] = [
    "date",
    "pretty",
    "none",
    "/:year/:month/:day/:title.html",
    "/:categories/:title/",
    "/:year/:i_month/:i_day/:slug",
    "ordinal",
];

#[rustfmt::skip]
const OBSERVED: &[Row] = &[
    Row { rel: "_posts/2014-07-07-some-title.md", slug: None, categories: &[], permalink: None, date: (2014, 7, 7), urls: ["/2014/07/07/some-title.html", "/2014/07/07/some-title/", "/some-title.html", "/2014/07/07/some-title.html", "/some-title/", "/2014/7/7/some-title", "/2014/188/some-title.html"] },
    Row { rel: "_posts/2015-01-01-Über-Größe.md", slug: None, categories: &[], permalink: None, date: (2015, 1, 1), urls: ["/2015/01/01/%C3%9Cber-Gr%C3%B6%C3%9Fe.html", "/2015/01/01/%C3%9Cber-Gr%C3%B6%C3%9Fe/", "/%C3%9Cber-Gr%C3%B6%C3%9Fe.html", "/2015/01/01/%C3%9Cber-Gr%C3%B6%C3%9Fe.html", "/%C3%9Cber-Gr%C3%B6%C3%9Fe/", "/2015/1/1/%C3%BCber-gr%C3%B6%C3%9Fe", "/2015/001/%C3%9Cber-Gr%C3%B6%C3%9Fe.html"] },
    Row { rel: "_posts/2015-03-01-What-Changed?.md", slug: None, categories: &[], permalink: None, date: (2015, 3, 1), urls: ["/2015/03/01/What-Changed.html", "/2015/03/01/What-Changed/", "/What-Changed.html", "/2015/03/01/What-Changed.html", "/What-Changed/", "/2015/3/1/what-changed", "/2015/060/What-Changed.html"] },
    Row { rel: "_posts/2016-05-05-team-meeting.md", slug: Some("Straße & Co. – Grüße!"), categories: &[], permalink: None, date: (2016, 5, 5), urls: ["/2016/05/05/Stra%C3%9Fe-&-Co.-Gr%C3%BC%C3%9Fe!.html", "/2016/05/05/Stra%C3%9Fe-&-Co.-Gr%C3%BC%C3%9Fe!/", "/Stra%C3%9Fe-&-Co.-Gr%C3%BC%C3%9Fe!.html", "/2016/05/05/Stra%C3%9Fe-&-Co.-Gr%C3%BC%C3%9Fe!.html", "/Stra%C3%9Fe-&-Co.-Gr%C3%BC%C3%9Fe!/", "/2016/5/5/stra%C3%9Fe-co-gr%C3%BC%C3%9Fe", "/2016/126/Stra%C3%9Fe-&-Co.-Gr%C3%BC%C3%9Fe!.html"] },
    Row { rel: "_posts/2016-05-06-team-meeting.md", slug: None, categories: &["Release Notes"], permalink: None, date: (2016, 5, 6), urls: ["/release%20notes/2016/05/06/team-meeting.html", "/release%20notes/2016/05/06/team-meeting/", "/release%20notes/team-meeting.html", "/2016/05/06/team-meeting.html", "/release%20notes/team-meeting/", "/2016/5/6/team-meeting", "/release%20notes/2016/127/team-meeting.html"] },
    Row { rel: "_posts/2016-05-07-cats.md", slug: None, categories: &["Ruby", "C++", "Über uns", "a/b"], permalink: None, date: (2016, 5, 7), urls: ["/ruby/c++/%C3%BCber%20uns/a/b/2016/05/07/cats.html", "/ruby/c++/%C3%BCber%20uns/a/b/2016/05/07/cats/", "/ruby/c++/%C3%BCber%20uns/a/b/cats.html", "/2016/05/07/cats.html", "/ruby/c++/%C3%BCber%20uns/a/b/cats/", "/2016/5/7/cats", "/ruby/c++/%C3%BCber%20uns/a/b/2016/128/cats.html"] },
    Row { rel: "_posts/2016-05-08-cats-string.md", slug: None, categories: &["news", "Updates"], permalink: None, date: (2016, 5, 8), urls: ["/news/updates/2016/05/08/cats-string.html", "/news/updates/2016/05/08/cats-string/", "/news/updates/cats-string.html", "/2016/05/08/cats-string.html", "/news/updates/cats-string/", "/2016/5/8/cats-string", "/news/updates/2016/129/cats-string.html"] },
    Row { rel: "news/_posts/2016-05-09-folder-cat.md", slug: None, categories: &[], permalink: None, date: (2016, 5, 9), urls: ["/news/2016/05/09/folder-cat.html", "/news/2016/05/09/folder-cat/", "/news/folder-cat.html", "/2016/05/09/folder-cat.html", "/news/folder-cat/", "/2016/5/9/folder-cat", "/news/2016/130/folder-cat.html"] },
    Row { rel: "news/_posts/2016-05-10-folder-and-fm.md", slug: None, categories: &["Extra"], permalink: None, date: (2016, 5, 10), urls: ["/news/extra/2016/05/10/folder-and-fm.html", "/news/extra/2016/05/10/folder-and-fm/", "/news/extra/folder-and-fm.html", "/2016/05/10/folder-and-fm.html", "/news/extra/folder-and-fm/", "/2016/5/10/folder-and-fm", "/news/extra/2016/131/folder-and-fm.html"] },
    Row { rel: "_posts/sub/2016-05-11-in-subfolder.md", slug: None, categories: &[], permalink: None, date: (2016, 5, 11), urls: ["/2016/05/11/in-subfolder.html", "/2016/05/11/in-subfolder/", "/in-subfolder.html", "/2016/05/11/in-subfolder.html", "/in-subfolder/", "/2016/5/11/in-subfolder", "/2016/132/in-subfolder.html"] },
    Row { rel: "_posts/2017-01-01-only-date-no-time.md", slug: None, categories: &[], permalink: None, date: (2017, 1, 1), urls: ["/2017/01/01/only-date-no-time.html", "/2017/01/01/only-date-no-time/", "/only-date-no-time.html", "/2017/01/01/only-date-no-time.html", "/only-date-no-time/", "/2017/1/1/only-date-no-time", "/2017/001/only-date-no-time.html"] },
    Row { rel: "_posts/2016-12-31-new-year-minus5.md", slug: None, categories: &[], permalink: None, date: (2017, 1, 1), urls: ["/2017/01/01/new-year-minus5.html", "/2017/01/01/new-year-minus5/", "/new-year-minus5.html", "/2017/01/01/new-year-minus5.html", "/new-year-minus5/", "/2017/1/1/new-year-minus5", "/2017/001/new-year-minus5.html"] },
    Row { rel: "_posts/2017-06-30-utc-late.md", slug: None, categories: &[], permalink: None, date: (2017, 7, 1), urls: ["/2017/07/01/utc-late.html", "/2017/07/01/utc-late/", "/utc-late.html", "/2017/07/01/utc-late.html", "/utc-late/", "/2017/7/1/utc-late", "/2017/182/utc-late.html"] },
    Row { rel: "_posts/2017-06-30-no-offset-late.md", slug: None, categories: &[], permalink: None, date: (2017, 7, 1), urls: ["/2017/07/01/no-offset-late.html", "/2017/07/01/no-offset-late/", "/no-offset-late.html", "/2017/07/01/no-offset-late.html", "/no-offset-late/", "/2017/7/1/no-offset-late", "/2017/182/no-offset-late.html"] },
    Row { rel: "_posts/2018-01-01-🎉-party.md", slug: None, categories: &[], permalink: None, date: (2018, 1, 1), urls: ["/2018/01/01/party.html", "/2018/01/01/party/", "/party.html", "/2018/01/01/party.html", "/party/", "/2018/1/1/party", "/2018/001/party.html"] },
    Row { rel: "_posts/2018-01-02-custom-permalink.md", slug: None, categories: &[], permalink: Some("/custom/:year/:title/"), date: (2018, 1, 2), urls: ["/custom/2018/custom-permalink/", "/custom/2018/custom-permalink/", "/custom/2018/custom-permalink/", "/custom/2018/custom-permalink/", "/custom/2018/custom-permalink/", "/custom/2018/custom-permalink/", "/custom/2018/custom-permalink/"] },
    Row { rel: "_posts/2018-1-2-short-date.md", slug: None, categories: &[], permalink: None, date: (2018, 1, 2), urls: ["/2018/01/02/short-date.html", "/2018/01/02/short-date/", "/short-date.html", "/2018/01/02/short-date.html", "/short-date/", "/2018/1/2/short-date", "/2018/002/short-date.html"] },
    Row { rel: "_posts/2018-01-03-plain-permalink.md", slug: None, categories: &[], permalink: Some("/plain.html"), date: (2018, 1, 3), urls: ["/plain.html", "/plain.html", "/plain.html", "/plain.html", "/plain.html", "/plain.html", "/plain.html"] },
    Row { rel: "_posts/2018-01-04-noext-permalink.md", slug: None, categories: &[], permalink: Some("/noext"), date: (2018, 1, 4), urls: ["/noext", "/noext", "/noext", "/noext", "/noext", "/noext", "/noext"] },
    Row { rel: "_posts/2018-01-05-version-1.2.3.md", slug: None, categories: &[], permalink: None, date: (2018, 1, 5), urls: ["/2018/01/05/version-1.2.3.html", "/2018/01/05/version-1.2.3/", "/version-1.2.3.html", "/2018/01/05/version-1.2.3.html", "/version-1.2.3/", "/2018/1/5/version-1-2-3", "/2018/005/version-1.2.3.html"] },
    Row { rel: "_posts/2018-01-06-trailing-dots...md", slug: None, categories: &[], permalink: None, date: (2018, 1, 6), urls: ["/2018/01/06/trailing-dots.html", "/2018/01/06/trailing-dots/", "/trailing-dots.html", "/2018/01/06/trailing-dots.html", "/trailing-dots/", "/2018/1/6/trailing-dots", "/2018/006/trailing-dots.html"] },
    Row { rel: "_posts/2018-01-07-with space and (parens) & amp's.md", slug: None, categories: &[], permalink: None, date: (2018, 1, 7), urls: ["/2018/01/07/with-space-and-(parens)-&-amp's.html", "/2018/01/07/with-space-and-(parens)-&-amp's/", "/with-space-and-(parens)-&-amp's.html", "/2018/01/07/with-space-and-(parens)-&-amp's.html", "/with-space-and-(parens)-&-amp's/", "/2018/1/7/with-space-and-parens-amp-s", "/2018/007/with-space-and-(parens)-&-amp's.html"] },
    Row { rel: "_posts/2018-01-08-UPPER_under_score.md", slug: None, categories: &[], permalink: None, date: (2018, 1, 8), urls: ["/2018/01/08/UPPER_under_score.html", "/2018/01/08/UPPER_under_score/", "/UPPER_under_score.html", "/2018/01/08/UPPER_under_score.html", "/UPPER_under_score/", "/2018/1/8/upper-under-score", "/2018/008/UPPER_under_score.html"] },
    Row { rel: "_posts/2018-01-10-html-post.html", slug: None, categories: &[], permalink: None, date: (2018, 1, 10), urls: ["/2018/01/10/html-post.html", "/2018/01/10/html-post/", "/html-post.html", "/2018/01/10/html-post.html", "/html-post/", "/2018/1/10/html-post", "/2018/010/html-post.html"] },
    Row { rel: "_posts/2017-06-30-fm-date-differs.md", slug: None, categories: &[], permalink: None, date: (2018, 2, 3), urls: ["/2018/02/03/fm-date-differs.html", "/2018/02/03/fm-date-differs/", "/fm-date-differs.html", "/2018/02/03/fm-date-differs.html", "/fm-date-differs/", "/2018/2/3/fm-date-differs", "/2018/034/fm-date-differs.html"] },
];

fn doc_of(row: &Row) -> Doc {
    let name = post_name(row.rel, "_posts").unwrap_or_else(|| panic!("{}", row.rel));
    let mut categories = name.folder_categories.clone();
    categories.extend(row.categories.iter().map(|c| (*c).to_string()));
    let (y, m, d) = row.date;
    let local = NaiveDate::from_ymd_opt(y, m, d)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .unwrap_or_default();
    let offset = FixedOffset::east_opt(3600).unwrap_or_else(|| unreachable!());
    Doc {
        kind: Kind::Post,
        path: name.path,
        basename: name.basename,
        name: name.name,
        slug: row.slug.map(str::to_string),
        date: offset.from_local_datetime(&local).single(),
        categories,
        permalink: row.permalink.map(str::to_string),
        output_ext: ".html".into(),
    }
}

#[test]
fn every_observed_post_url() {
    for row in OBSERVED {
        let doc = doc_of(row);
        for (style, want) in STYLES.iter().zip(row.urls) {
            let template = doc
                .permalink
                .clone()
                .unwrap_or_else(|| post_template(style));
            let got = jekyll_url(&doc, &template);
            assert_eq!(got.as_deref(), Ok(want), "{} under {style}", row.rel);
        }
    }
}

/// echt's side, with echt's own permalink code: wherever echt can follow
/// the pattern it gives the same path as Jekyll, decoded, except for the
/// posts listed here, which the import gives their own permalink or an
/// alias.
#[test]
fn echt_follows_jekyll_patterns() {
    let mut differ = Vec::new();
    for row in OBSERVED.iter().filter(|r| r.permalink.is_none()) {
        let doc = doc_of(row);
        let file = row.rel.rsplit('/').next().unwrap_or(row.rel);
        let stem = file.rsplit_once('.').map_or(file, |(s, _)| s).to_string();
        let post = EchtPost {
            stem: &stem,
            slug: row.slug,
            date: doc.date,
            categories: &doc.categories,
        };
        for (style, want) in STYLES.iter().zip(row.urls) {
            let Some(setting) = echt_setting(style) else {
                panic!("{style}");
            };
            let echt = echt_post_path(&post, &setting);
            let want = decoded_path(want);
            let want = if want.ends_with('/') || want.ends_with(".html") {
                want
            } else {
                format!("{want}/")
            };
            if echt.as_deref() != Some(want.as_str()) {
                differ.push(format!("{} {style}", row.rel));
            }
        }
    }
    let with_title = [
        "date",
        "pretty",
        "none",
        "/:year/:month/:day/:title.html",
        "/:categories/:title/",
        "ordinal",
    ];
    let mut expected = Vec::new();
    for row in OBSERVED.iter().filter(|r| r.permalink.is_none()) {
        for style in STYLES {
            let categories = style != "/:year/:month/:day/:title.html"
                && style != "/:year/:i_month/:i_day/:slug";
            // A space in a category: echt makes it a hyphen.
            let space = row.categories.iter().any(|c| c.contains(' ')) && categories;
            // echt's `:slug` spells umlauts out (ä → ae) and drops
            // apostrophes; Jekyll's keeps letters and makes `'` a hyphen.
            let slug = style == "/:year/:i_month/:i_day/:slug"
                && ["Über-Größe", "05-team-meeting", "amp's"]
                    .iter()
                    .any(|n| row.rel.contains(n));
            // A date echt does not read from the file name (one digit),
            // trailing dots Jekyll drops from `:title`.
            let name = row.rel.contains("2018-1-2-")
                || (row.rel.contains("trailing-dots") && with_title.contains(&style));
            if space || name || slug {
                expected.push(format!("{} {style}", row.rel));
            }
        }
    }
    assert_eq!(differ, expected);
}

#[test]
fn slugify_modes() {
    let cases = [
        ("Über Größe & Maß", "über-größe-maß", "Über-Größe-&-Maß"),
        (
            "Straße & Co. – Grüße!",
            "straße-co-grüße",
            "Straße-&-Co.-Grüße!",
        ),
        ("🎉 Party time", "party-time", "Party-time"),
        (
            "The _config.yml file",
            "the-config-yml-file",
            "The-_config.yml-file",
        ),
        ("C++ / C# (Vergleich)", "c-c-vergleich", "C++-C-(Vergleich)"),
        ("a--b__c", "a-b-c", "a-b__c"),
        ("ẞ GROSS", "ß-gross", "ẞ-GROSS"),
    ];
    for (text, default, title) in cases {
        assert_eq!(jekyll_slugify(text, Mode::Default, false), default);
        assert_eq!(jekyll_slugify(text, Mode::Pretty, true), title);
    }
}

#[test]
fn escaping_as_jekyll_does() {
    for (raw, escaped) in [
        ("c#", "c%23"),
        ("a b", "a%20b"),
        ("100%", "100%25"),
        ("Über uns", "%C3%9Cber%20uns"),
        ("x&y", "x&y"),
        ("a+b", "a+b"),
        ("[br]", "%5Bbr%5D"),
        ("what?", "what?"),
    ] {
        assert_eq!(escape_path(raw), escaped);
        assert_eq!(unescape(escaped), raw);
    }
}

#[test]
fn pages_and_collections() {
    let page = |path: &str, basename: &str| Doc {
        kind: Kind::Page,
        path: path.into(),
        basename: basename.into(),
        name: basename.into(),
        slug: None,
        date: None,
        categories: Vec::new(),
        permalink: None,
        output_ext: ".html".into(),
    };
    let guide = page("docs", "Guide Ä");
    let t = |style: &str| add_suffix("/:path/:basename", style);
    assert_eq!(
        jekyll_url(&guide, &t("date")).as_deref(),
        Ok("/docs/Guide%20%C3%84.html")
    );
    assert_eq!(
        jekyll_url(&guide, &t("pretty")).as_deref(),
        Ok("/docs/Guide%20%C3%84/")
    );
    assert_eq!(
        jekyll_url(&guide, &t("/:year/:month/:day/:title.html")).as_deref(),
        Ok("/docs/Guide%20%C3%84")
    );
    assert_eq!(
        jekyll_url(&page("", "about"), &t("none")).as_deref(),
        Ok("/about.html")
    );
    let recipe = Doc {
        kind: Kind::Collection("recipes".into()),
        path: "Apfel Strudel".into(),
        ..page("", "Apfel Strudel")
    };
    let c = |style: &str| add_suffix("/:collection/:path", style);
    assert_eq!(
        jekyll_url(&recipe, &c("date")).as_deref(),
        Ok("/recipes/Apfel%20Strudel.html")
    );
    assert_eq!(
        jekyll_url(&recipe, &c("pretty")).as_deref(),
        Ok("/recipes/Apfel%20Strudel/")
    );
    let note = Doc {
        kind: Kind::Collection("notes".into()),
        name: "Über Note".into(),
        ..page("", "Über Note")
    };
    assert_eq!(
        jekyll_url(&note, "/notes/:name/").as_deref(),
        Ok("/notes/%C3%BCber-note/")
    );
    assert_eq!(
        jekyll_url(&page("", "x"), "/:year/").map_err(|e| e.0),
        Err("year".to_string())
    );
}

#[test]
fn files_behind_urls() {
    assert_eq!(file_of("/a/b/"), ("a/b/index.html".to_string(), true));
    assert_eq!(
        file_of("/a/%C3%9Cber.html"),
        ("a/Über.html".to_string(), true)
    );
    assert_eq!(file_of("/noext"), ("noext.html".to_string(), false));
    assert_eq!(file_of("/feed.xml"), ("feed.xml".to_string(), true));
}

#[test]
fn echt_settings_for_jekyll_settings() {
    assert_eq!(echt_setting("date").as_deref(), Some("date"));
    assert_eq!(
        echt_setting("/:year/:month/:day/:title:output_ext").as_deref(),
        Some("/:year/:month/:day/:title.html")
    );
    assert_eq!(
        echt_setting("/:year/:i_month/:i_day/:slug").as_deref(),
        Some("/:year/:i_month/:i_day/:slug/")
    );
    assert_eq!(echt_setting("/:year/:short_month/:title/"), None);
    assert_eq!(echt_setting("weekdate"), None);
    assert_eq!(echt_page_path("über uns.md", None), "ueber-uns/");
    assert_eq!(echt_page_path("docs/index.md", None), "docs/");
    assert_eq!(echt_page_path("a/b.md", Some("C D")), "a/c-d/");
}
