//! What a build hands to the host that serves it: the server files
//! (`_headers`, `_redirects`, `_nginx.conf`) merged with a site's own, never
//! replaced by them, and refusing every way they could send readers to
//! another host; tag pages that link only feeds that exist; an output
//! folder that is a folder; and themes whose templates use themselves,
//! refused with an error instead of crashing the build.

use crate::support::{post, TestSite, CONFIG};

/// Asserts that `stderr` has a diagnostic whose first line starts with
/// `headline` and whose `-->` line is `at`.
#[track_caller]
fn assert_reported(stderr: &str, headline: &str, at: &str) {
    let arrow = format!("  --> {at}");
    let found = stderr.split("\n\n").any(|block| {
        let mut lines = block.lines();
        lines.next().is_some_and(|l| l.starts_with(headline)) && lines.next() == Some(&*arrow)
    });
    assert!(found, "no `{headline}` at {at} in:\n{stderr}");
}

fn site_with(rel: &str, text: &str) -> TestSite {
    TestSite::new()
        .post("a.md", &post("A", "2024-01-01", "Text."))
        .file(rel, text)
}

/// The headers of the first rule of a `_headers` file: echt's.
fn first_rule(headers: &str) -> Vec<&str> {
    headers
        .lines()
        .skip_while(|l| *l != "/*")
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .map(str::trim)
        .collect()
}

#[test]
fn a_sites_own_headers_are_merged_and_echts_win() {
    let own = "# Eigene Regeln\n/*\n  X-Frame-Options: DENY\n  Referrer-Policy: origin\n  ! Permissions-Policy\n  ! X-Robots-Tag\n/bilder/*\n  Cache-Control: max-age=31536000\n";
    let site = site_with("static/_headers", own);
    let built = site.build().ok();
    let stderr = built.stderr();
    assert_reported(
        &stderr,
        "warning: this line sets `Referrer-Policy`, one of echt's security headers; it is left out and echt's value is sent",
        "static/_headers:4:3",
    );
    assert_reported(
        &stderr,
        "warning: this line detaches `Permissions-Policy`, one of echt's security headers",
        "static/_headers:5:5",
    );
    assert!(
        stderr.contains("echt sends `Referrer-Policy: no-referrer`"),
        "{stderr}"
    );
    assert!(!stderr.contains("error"), "{stderr}");

    let headers = built.page("_headers");
    // echt's rule comes first, whole.
    let echt = first_rule(&headers);
    assert_eq!(echt.len(), 5, "{headers}");
    assert!(echt[0].starts_with("Content-Security-Policy: default-src 'self'"));
    assert!(echt.contains(&"Referrer-Policy: no-referrer"), "{headers}");
    // The site's lines survive next to it, except those changing echt's.
    for kept in [
        "\n/*\n  X-Frame-Options: DENY\n",
        "\n  ! X-Robots-Tag\n/bilder/*\n  Cache-Control: max-age=31536000\n",
        "# Eigene Regeln\n",
    ] {
        assert!(headers.contains(kept), "missing {kept:?} in:\n{headers}");
    }
    let active: Vec<&str> = headers
        .lines()
        .filter(|l| l.starts_with("  "))
        .map(str::trim)
        .collect();
    assert!(!active.contains(&"Referrer-Policy: origin"), "{headers}");
    assert!(!active.contains(&"! Permissions-Policy"), "{headers}");
    assert_eq!(
        active
            .iter()
            .filter(|l| l.starts_with("Referrer-Policy"))
            .count(),
        1
    );
}

#[test]
fn a_sites_nginx_blocks_with_add_header_get_echts_headers_too() {
    let own = "location /bilder/ {\n    add_header Cache-Control \"max-age=31536000\";\n    add_header referrer-policy origin;\n}\nlocation /ohne/ { root /srv; }\n";
    let site = site_with("static/_nginx.conf", own);
    let built = site.build().ok();
    assert_reported(
        &built.stderr(),
        "warning: this line sets `referrer-policy`, one of echt's security headers",
        "static/_nginx.conf:3:16",
    );
    let nginx = built.page("_nginx.conf");
    let block = &nginx[nginx.find("location /bilder/ {").unwrap()..];
    let block = &block[..block.find("\n}").unwrap()];
    for name in [
        "Content-Security-Policy",
        "Referrer-Policy",
        "Permissions-Policy",
        "X-Content-Type-Options",
        "Cross-Origin-Opener-Policy",
    ] {
        assert_eq!(
            block.matches(&format!("add_header {name} \"")).count(),
            1,
            "{name} in:\n{block}"
        );
    }
    assert!(block.contains("add_header Cache-Control \"max-age=31536000\";"));
    assert!(
        !block.contains("add_header referrer-policy origin;"),
        "{block}"
    );
    // A block without add_header inherits echt's from the server block.
    assert!(nginx.contains("location /ohne/ { root /srv; }"), "{nginx}");
    // echt's own lines stay at the top, for the server block.
    assert!(nginx.starts_with("# Written by echt"), "{nginx}");
    assert!(nginx.contains("\nadd_header Referrer-Policy \"no-referrer\" always;\n"));
    assert!(nginx.contains("_(headers|redirects|nginx\\.conf)$ { return 404; }"));
}

#[test]
fn a_broken_nginx_snippet_is_an_error_where_it_breaks() {
    let err = site_with(
        "static/_nginx.conf",
        "location / {\n    add_header X-A \"b;\n}\n",
    )
    .build()
    .fails();
    assert_reported(
        &err,
        "error: the nginx snippet cannot be read: this quoted string is never closed",
        "static/_nginx.conf:2:20",
    );
}

#[test]
fn server_files_that_send_readers_elsewhere_fail_the_build_in_one_run() {
    let site = site_with(
        "static/_redirects",
        "# Umzüge\n/alt/ /neu/ 301\n/blog/* https://medium.example/@lena/:splat 301!\n/api/* https://api.example/:splat 200\n/store id=:id /posts/:id 301\n/heim https://example.org/ 302\n",
    )
    .file(
        "static/_headers",
        "/*\n  Link: <https://fonts.example/a.woff2>; rel=preload; as=font\n  Link: <https://example.net/>; rel=canonical\n  Set-Cookie: id=1\n/alt/*\n  Refresh: 0; url=https://weg.example/\n  Location: /neu/\n  Content-Security-Policy-Report-Only: default-src 'self'; report-uri https://reports.example/r\n  Report-To: {\"group\":\"g\",\"max_age\":1,\"endpoints\":[{\"url\":\"https://reports.example/x\"}]}\n  NEL: {\"report_to\":\"g\",\"max_age\":1}\n",
    )
    .file(
        "content/_nginx.conf",
        "location = /alt { return 301 https://old.example/; }\nlocation = /selbst { return 301 $scheme://$host/neu/; }\nlocation /p/ { proxy_pass http://127.0.0.1:8080; }\nerror_page 500 https://status.example/;\nrewrite ^/r/(.*)$ $scheme://$arg_h/$1 permanent;\nlocation /a/ { add_header Location \"https://weg.example/\"; }\nuserid on;\n",
    );
    let err = site.build().fails();
    let hint = "allow the host with `privacy: {allow_redirects: [...]}`";
    for (headline, at) in [
        ("error: this rule sends readers to another host, `medium.example`", "static/_redirects:3:9"),
        ("error: this rule fetches pages from another host, `api.example`, on readers' behalf (a proxy)", "static/_redirects:4:8"),
        ("error: `Link: rel=preload` makes readers' browsers contact another host, `fonts.example`", "static/_headers:2:10"),
        ("error: `Set-Cookie` sets a cookie", "static/_headers:4:15"),
        ("error: `Refresh` sends readers' browsers to another host, `weg.example`", "static/_headers:6:19"),
        ("error: `report-uri` has readers' browsers send reports to another host, `reports.example`", "static/_headers:8:71"),
        ("error: `Report-To` has readers' browsers send reports to another host, `reports.example`", "static/_headers:9:60"),
        ("error: `NEL` has readers' browsers report network errors to the group `g`", "static/_headers:10:8"),
        ("error: `return` sends readers to another host, `old.example`", "content/_nginx.conf:1:30"),
        ("error: `proxy_pass` hands readers' requests to another host, `127.0.0.1`", "content/_nginx.conf:3:27"),
        ("error: `error_page` sends readers to another host, `status.example`", "content/_nginx.conf:4:16"),
        ("error: `rewrite` sends readers to a host nginx picks at run time, `$arg_h`", "content/_nginx.conf:5:29"),
        ("error: `Location` sends readers' browsers to another host, `weg.example`", "content/_nginx.conf:6:37"),
        ("error: `userid` sets a cookie", "content/_nginx.conf:7:1"),
    ] {
        assert_reported(&err, headline, at);
    }
    assert!(err.contains(hint), "{err}");
    assert!(
        err.contains("\nerror: 14 errors; the build failed"),
        "{err}"
    );

    // Allowed hosts pass (and are listed on the privacy page); cookies and
    // hosts picked at run time never do.
    let config = format!(
        "{CONFIG}privacy:\n  allow_redirects: [medium.example, api.example, fonts.example, weg.example, \"*.reports.example\", reports.example, old.example, 127.0.0.1, status.example]\n"
    );
    let site = site.file("echt.yaml", &config);
    let err = site.build().fails();
    assert!(err.contains("\nerror: 3 errors; the build failed"), "{err}");
    assert!(err.contains("`Set-Cookie` sets a cookie"), "{err}");
    assert!(err.contains("`userid` sets a cookie"), "{err}");
    assert!(err.contains("`$arg_h`"), "{err}");
    // NEL reports to a group whose endpoint is now allowed.
    assert!(!err.contains("the group `g`"), "{err}");

    let site = site
        .file("static/_headers", "/*\n  Link: <https://fonts.example/a.woff2>; rel=preload; as=font\n  Report-To: {\"group\":\"g\",\"max_age\":1,\"endpoints\":[{\"url\":\"https://reports.example/x\"}]}\n  NEL: {\"report_to\":\"g\",\"max_age\":1}\n")
        .file(
            "content/_nginx.conf",
            "location = /alt { return 301 https://old.example/; }\nlocation /p/ { proxy_pass http://127.0.0.1:8080; }\n",
        );
    let built = site.build().ok();
    let redirects = built.page("_redirects");
    assert!(
        redirects.starts_with("# Umzüge\n/alt/ /neu/ 301\n"),
        "{redirects}"
    );
    let privacy = built.page("datenschutz/");
    for host in ["medium.example", "*.reports.example", "127.0.0.1"] {
        assert!(
            privacy.contains(&format!("<code>{host}</code>")),
            "{privacy}"
        );
    }
}

#[test]
fn an_existing_file_is_refused_as_the_output_folder() {
    let site = TestSite::new()
        .post("a.md", &post("A", "2024-01-01", "Text."))
        .file("notizen.txt", "bleibt, wie es ist\n");
    let file = site.root().join("notizen.txt");
    let err = site
        .build_with(&["--output", &file.to_string_lossy()])
        .fails();
    assert!(
        err.contains("the output folder is a file, not a folder"),
        "{err}"
    );
    assert!(err.contains("notizen.txt"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "bleibt, wie es ist\n"
    );
    // Nor below a file: nothing is created on the way.
    let below = file.join("public");
    let err = site
        .build_with(&["--output", &below.to_string_lossy()])
        .fails();
    assert!(err.contains("which is a file"), "{err}");
    assert!(file.is_file());
    site.assert_no_leftovers();
}

#[test]
fn without_tag_feeds_tag_pages_link_no_feeds() {
    let site = TestSite::new()
        .file(
            "echt.yaml",
            &format!("{}feed:\n  tags: false\n", crate::support::CONFIG),
        )
        .post(
            "a.md",
            "---\ntitle: A\ndate: 2024-01-01\ntags: [Vertrauen]\n---\nText.\n",
        );
    let built = site.build().ok();
    assert!(!built.exists("tags/vertrauen/atom.xml"));
    assert!(!built.exists("tags/vertrauen/rss.xml"));
    assert!(!built.exists("tags/vertrauen/feed.json"));
    let tag = built.page("tags/vertrauen/");
    assert!(!tag.contains("vertrauen/atom.xml"), "{tag}");
    assert!(!tag.contains("vertrauen/rss.xml"), "{tag}");
    // The site's own feeds are still linked.
    assert!(tag.contains("href=\"../../atom.xml\""), "{tag}");

    // With tag feeds (the default) the tag page links both.
    let site = site.file("echt.yaml", crate::support::CONFIG);
    let built = site.build().ok();
    let tag = built.page("tags/vertrauen/");
    assert!(built.exists("tags/vertrauen/atom.xml"));
    assert_eq!(tag.matches("vertrauen/atom.xml\"").count(), 2, "{tag}");
    assert_eq!(tag.matches("vertrauen/rss.xml\"").count(), 2, "{tag}");
    assert_eq!(tag.matches("vertrauen/feed.json\"").count(), 2, "{tag}");
}

#[test]
fn templates_and_macros_that_use_themselves_fail_the_build_cleanly() {
    let page = "---\ntitle: Seite\n---\nText.\n";
    for (templates, headline, at) in [
        (
            vec![("templates/page.html", "<main>\n{% include \"page.html\" %}</main>\n")],
            "error: `page.html` includes itself, so rendering it never ends",
            "templates/page.html:2:1",
        ),
        (
            vec![
                ("templates/page.html", "{% extends \"base.html\" %}\n{% block content %}{% include \"teil.html\" %}{% endblock content %}\n"),
                ("templates/teil.html", "<div>{% include \"page.html\" %}</div>\n"),
            ],
            "error: templates use each other in a circle, so rendering them never ends: `page.html` includes `teil.html`, `teil.html` includes `page.html`",
            "templates/teil.html:1:6",
        ),
        (
            // The built-in page.html extends base.html: a circle through
            // the default theme, told where the site can change it.
            vec![("templates/base.html", "{% extends \"page.html\" %}\n")],
            "error: templates use each other in a circle, so rendering them never ends: `page.html` extends `base.html`, `base.html` extends `page.html`",
            "templates/base.html:1:1",
        ),
        (
            vec![
                ("templates/a.html", "{% import \"b.html\" as b %}\n"),
                ("templates/b.html", "{% import \"a.html\" as a %}\n"),
            ],
            "error: templates use each other in a circle, so rendering them never ends: `a.html` imports `b.html`, `b.html` imports `a.html`",
            "templates/b.html:1:1",
        ),
        (
            vec![
                ("templates/macros.html", "{% macro liste(items) %}<ul>{% for i in items %}<li>{{ self::liste(items=i.kinder) }}</li>{% endfor %}</ul>{% endmacro liste %}\n"),
                ("templates/page.html", "{% import \"macros.html\" as m %}{{ m::liste(items=[]) }}\n"),
            ],
            "error: the macro `liste` of `macros.html` calls itself",
            "templates/macros.html:1:56",
        ),
    ] {
        let mut site = TestSite::new().file("content/seite.md", page);
        for (rel, text) in &templates {
            site = site.file(rel, text);
        }
        let built = site.build();
        // An error exit, not a crash (a signal has no exit code).
        assert_eq!(built.out.status.code(), Some(1), "{}", built.stderr());
        let err = built.fails();
        assert_reported(&err, headline, at);
        assert!(!err.contains("overflow"), "{err}");
        if headline.contains("macro") {
            assert!(err.contains("echt refuses recursive macros"), "{err}");
        }
    }
}

/// The `<dl>` after the heading with `id` on a page.
fn list_after<'a>(page: &'a str, id: &str) -> &'a str {
    let start = page.find(&format!("id=\"{id}\"")).unwrap();
    let rest = &page[start..];
    let list = rest.find("<dl").unwrap();
    &rest[list..list + rest[list..].find("</dl>").unwrap()]
}

#[test]
fn the_privacy_page_keeps_what_pages_carry_apart_from_what_servers_send() {
    for (language, page, own, server) in [
        (
            "de",
            "datenschutz/",
            "regeln-jeder-seite",
            "regeln-des-servers",
        ),
        (
            "en",
            "privacy/",
            "rules-of-every-page",
            "rules-of-the-server",
        ),
    ] {
        let config = CONFIG.replace("language: de", &format!("language: {language}"));
        let site = TestSite::new()
            .file("echt.yaml", &config)
            .post("a.md", &post("A", "2024-01-01", "Text."));
        let built = site.build().ok();
        let privacy = built.page(page);
        // (a) What every page has in its own head: exactly what the audit
        // puts there, so without frame-ancestors (a <meta> cannot carry it).
        let head_policy = {
            let home = built.page("");
            let marker = "<meta http-equiv=\"Content-Security-Policy\" content=\"";
            let start = home.find(marker).unwrap() + marker.len();
            home[start..start + home[start..].find('"').unwrap()].replace('\'', "&#39;")
        };
        let carried = list_after(&privacy, own);
        assert!(carried.contains(&head_policy), "{language}: {carried}");
        assert!(carried.contains("<code>no-referrer</code>"), "{carried}");
        for header_only in [
            "frame-ancestors",
            "Permissions-Policy",
            "X-Content-Type-Options",
            "Cross-Origin-Opener-Policy",
        ] {
            assert!(
                !carried.contains(header_only),
                "{language}: {header_only} in {carried}"
            );
        }
        // (b) What only the server headers give, and where they apply.
        let sent = list_after(&privacy, server);
        for header_only in [
            "frame-ancestors &#39;self&#39;",
            "Permissions-Policy",
            "X-Content-Type-Options",
            "Cross-Origin-Opener-Policy",
        ] {
            assert!(
                sent.contains(header_only),
                "{language}: no {header_only} in {sent}"
            );
        }
        let section = &privacy[privacy.find(&format!("id=\"{server}\"")).unwrap()..];
        for host in [
            "Netlify",
            "Cloudflare Pages",
            "nginx",
            "<code>_headers</code>",
        ] {
            assert!(section.contains(host), "{language}: {host} in {section}");
        }
        // Every server rule really is in the _headers echt writes.
        let headers = built.page("_headers");
        for name in [
            "Permissions-Policy",
            "X-Content-Type-Options",
            "Cross-Origin-Opener-Policy",
        ] {
            assert!(headers.contains(&format!("  {name}: ")), "{headers}");
        }
    }
}

#[test]
fn a_redirects_file_that_cannot_be_read_fails_the_build_saying_why() {
    // echt writes no `_redirects` of its own: a site's that is not text
    // must not vanish from the output without a word.
    let site = TestSite::new()
        .post("a.md", &post("A", "2024-01-01", "Text."))
        .bytes("static/_redirects", b"/alt/ /neu/ 301\n/\xFF /x 301\n");
    let err = site.build().fails();
    assert!(err.contains("static/_redirects"), "{err}");
    assert!(err.contains("not valid UTF-8"), "{err}");
}
