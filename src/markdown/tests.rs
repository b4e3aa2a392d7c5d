//! Unit tests of the Markdown stage: whole documents through `render`.

use super::*;

fn render_with(
    body: &str,
    language: Language,
    links: &HashMap<String, String>,
) -> Result<Rendered, Vec<Diagnostic>> {
    let links = Links::new(links);
    let source = format!("---\ntitle: t\n---\n{body}");
    let input = Input {
        path: Path::new("content/posts/a.md"),
        source: &source,
        body_offset: 16,
        page_path: "posts/a/",
        source_dir: "posts",
        links: &links,
        language,
    };
    render(&input)
}

fn de(body: &str) -> Rendered {
    render_with(body, Language::De, &HashMap::new()).unwrap()
}

#[test]
fn german_quotes() {
    let r = de("Sie sagte \"Hallo\" und 'so' geht's.\n");
    assert!(r.html.contains("„Hallo“"), "{}", r.html);
    assert!(r.html.contains("‚so‘"), "{}", r.html);
    assert!(r.html.contains("geht’s"), "{}", r.html);
    let en = render_with("\"Hi\"\n", Language::En, &HashMap::new()).unwrap();
    assert!(en.html.contains("“Hi”"), "{}", en.html);
}

#[test]
fn headings_get_stable_unique_ids() {
    let r = de("## Über uns\n\n## Über uns\n\n### Tiefer {#eigene-id}\n");
    assert!(r.html.contains("<h2 id=\"ueber-uns\">"), "{}", r.html);
    assert!(r.html.contains("<h2 id=\"ueber-uns-2\">"), "{}", r.html);
    assert!(r.html.contains("<h3 id=\"eigene-id\">"), "{}", r.html);
    assert!(
        r.html.contains("href=\"\u{E000}posts/a/#ueber-uns\""),
        "{}",
        r.html
    );
    assert_eq!(r.toc.len(), 2);
    assert_eq!(r.toc[1].children[0].id, "eigene-id");
}

#[test]
fn summary_stops_at_more_marker() {
    let r = de("Erster Absatz.\n\nZweiter.\n\n<!-- more -->\n\nRest.\n");
    assert_eq!(r.summary, "<p>Erster Absatz.</p>\n<p>Zweiter.</p>\n");
    assert!(r.has_more);
    assert!(!r.html.contains("more"), "{}", r.html);
    let r = de("Eins <!--more--> zwei.\n\nRest.\n");
    assert!(r.summary.starts_with("<p>Eins"), "{}", r.summary);
    assert!(r.has_more);
}

#[test]
fn more_marker_inside_raw_html_keeps_tags_balanced() {
    let r =
        de("Intro.\n\n<figure>\n<img src=\"x.jpg\" alt=\"\">\n</figure>\n<!-- more -->\n\nRest.\n");
    assert!(r.summary.contains("</figure>"), "{}", r.summary);
    assert!(!r.summary.contains("Rest"), "{}", r.summary);
    assert!(r.has_more);
}

#[test]
fn summary_defaults_to_first_paragraph() {
    let r = de("## Titel\n\nErster Absatz.\n\nZweiter.\n");
    assert_eq!(r.summary, "<h2>Titel</h2>\n<p>Erster Absatz.</p>\n");
    assert_eq!(r.summary_text, "Titel Erster Absatz.");
    let short = de("Nur ein Absatz.\n");
    assert!(!short.has_more);
}

#[test]
fn heading_ids_never_repeat_and_explicit_ids_stay() {
    let r = de(
        "## Dup\n\n## Dup\n\n## Dup-2\n\n## Eigen {#dup}\n\n## Fn 1\n\nText[^a].\n\n[^a]: Note.\n",
    );
    let ids: Vec<&str> = r
        .html
        .match_indices(" id=\"")
        .map(|(i, _)| {
            let rest = &r.html[i + 5..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect();
    assert_eq!(
        ids,
        ["dup-2", "dup-3", "dup-2-2", "dup", "fn-1-2", "fnref-1", "fn-1"]
    );
}

#[test]
fn footnote_labels_ignore_case_and_unused_or_repeated_definitions_are_dropped() {
    let r = de("Text[^A].\n\n[^a]: Erste.\n[^a]: Doppelt.\n[^b]: Unbenutzt.\n");
    assert!(
        r.html.contains("href=\"\u{E000}posts/a/#fn-1\""),
        "{}",
        r.html
    );
    assert_eq!(r.html.matches("<li id=").count(), 1, "{}", r.html);
    assert!(
        !r.html.contains("Unbenutzt") && !r.html.contains("Doppelt"),
        "{}",
        r.html
    );
}

#[test]
fn footnotes_in_headings_and_footnotes_are_linked() {
    let r = de("## Titel[^x]\n\nText[^y].\n\n[^x]: Eins.\n[^y]: Zwei, siehe[^x].\n");
    assert!(
        r.html.contains(
            "Titel<sup class=\"footnote-ref\"><a href=\"\u{E000}posts/a/#fn-1\">1</a></sup>"
        ),
        "{}",
        r.html
    );
    assert!(
        r.html.contains(
            "Zwei, siehe<sup class=\"footnote-ref\"><a href=\"\u{E000}posts/a/#fn-1\">1</a></sup>"
        ),
        "{}",
        r.html
    );
}

#[test]
fn footnotes_are_collected_at_the_end() {
    let r = de("Text[^a] und mehr[^b].\n\n[^b]: Zweite.\n[^a]: Erste.\n\nSchluss.\n");
    assert!(
        r.html
            .contains("<a href=\"\u{E000}posts/a/#fn-1\" id=\"fnref-1\">1</a>"),
        "{}",
        r.html
    );
    let list = &r.html[r.html.find("<section class=\"footnotes\"").unwrap()..];
    assert!(list.find("fn-1").unwrap() < list.find("fn-2").unwrap());
    assert!(list.contains("Erste."), "{list}");
    assert!(r.html.find("Schluss").unwrap() < r.html.find("footnotes").unwrap());
    assert!(!r.summary.contains("id="), "{}", r.summary);
}

#[test]
fn links_to_markdown_files_become_urls() {
    let links = HashMap::from([
        ("posts/b.md".to_string(), "posts/b/".to_string()),
        ("ueber-mich.md".to_string(), "ueber-mich/".to_string()),
    ]);
    let r = render_with(
        "[B](b.md#teil) [Ich](../ueber-mich.md) [x](https://example.org/a.md)\n",
        Language::De,
        &links,
    )
    .unwrap();
    assert!(
        r.html.contains("href=\"\u{E000}posts/b/#teil\""),
        "{}",
        r.html
    );
    assert!(
        r.html.contains("href=\"\u{E000}ueber-mich/\""),
        "{}",
        r.html
    );
    assert!(
        r.html.contains("href=\"https://example.org/a.md\""),
        "{}",
        r.html
    );
    let errors =
        render_with("Text\n\nSiehe [dort](fehlt.md).\n", Language::De, &links).unwrap_err();
    let msg = errors[0].to_string();
    assert!(msg.contains("content/posts/a.md:6:7"), "{msg}");
    assert!(msg.contains("link to `fehlt.md`"), "{msg}");
}

#[test]
fn links_find_files_in_any_unicode_form_and_with_escapes() {
    // The link map's keys are NFC; the file was NFD on disk.
    let links = HashMap::from([
        ("posts/Über.md".to_string(), "posts/ueber/".to_string()),
        (
            "posts/mein beitrag.md".to_string(),
            "posts/mein-beitrag/".to_string(),
        ),
        (
            "posts/a/Grüße 1.png".to_string(),
            "posts/a/Grüße 1.png".to_string(),
        ),
    ]);
    let r = render_with(
        "[nfc](Über.md) [nfd](U\u{308}ber.md#teil) [leer](mein%20beitrag.md?x=1#a) [bild](a/Gr%C3%BC%C3%9Fe%201.png) [roh](%zz.png)\n",
        Language::De,
        &links,
    )
    .unwrap();
    for href in [
        "href=\"\u{E000}posts/ueber/\"",
        "href=\"\u{E000}posts/ueber/#teil\"",
        "href=\"\u{E000}posts/mein-beitrag/?x=1#a\"",
        "href=\"\u{E000}posts/a/Gr%C3%BC%C3%9Fe%201.png\"",
        "href=\"\u{E000}posts/a/%zz.png\"",
    ] {
        assert!(r.html.contains(href), "{href} in {}", r.html);
    }
    assert_eq!(percent_decode("a%20b%C3%BC"), Some("a bü".to_string()));
    assert_eq!(percent_decode("100%"), Some("100%".to_string()));
    assert_eq!(percent_decode("%FF"), None);
    assert_eq!(percent_decode("ohne"), None);
}

#[test]
fn many_equal_headings_and_footnotes() {
    let mut body = String::new();
    for i in 0..3000 {
        body.push_str(&format!("## Notiz\n\nText[^{i}].\n\n"));
    }
    body.push_str("## Notiz-2\n\n");
    for i in 0..3000 {
        body.push_str(&format!("[^{i}]: Fußnote {i}.\n"));
    }
    let r = de(&body);
    let ids: Vec<&str> = r.toc.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(&ids[..3], ["notiz", "notiz-2", "notiz-3"]);
    assert_eq!(ids[2999], "notiz-3000");
    // Generated before, so this one steps aside.
    assert_eq!(ids[3000], "notiz-2-2");
    assert_eq!(r.html.matches("<li id=\"fn-").count(), 3000);
    assert!(
        r.html.contains("<li id=\"fn-3000\"><p>Fußnote 2999."),
        "{}",
        &r.html[r.html.len() - 300..]
    );
}

#[test]
fn many_broken_links_are_all_located() {
    let body = "[a](fehlt.md) ".repeat(5000);
    let errors = render_with(&body, Language::De, &HashMap::new()).unwrap_err();
    assert_eq!(errors.len(), 5000);
    assert_eq!((errors[4999].line, errors[4999].column), (4, 4999 * 14 + 1));
    assert_eq!(
        errors[4999].source_line.as_ref().map(|l| l.chars().count()),
        Some(100)
    );
}

#[test]
fn tables_use_classes_not_styles() {
    let r = de("| a | b |\n|:--|--:|\n| 1 | 2 |\n");
    assert!(
        r.html.contains("<th class=\"align-left\">a</th>"),
        "{}",
        r.html
    );
    assert!(
        r.html.contains("<td class=\"align-right\">2</td>"),
        "{}",
        r.html
    );
    assert!(!r.html.contains("style="), "{}", r.html);
}

#[test]
fn images_are_lazy_and_keep_alt_text() {
    let r = de("![Ein *Bild*](bild.png \"Titel\")\n");
    assert!(r.html.contains("<img src=\"\u{E000}posts/a/bild.png\" alt=\"Ein Bild\" title=\"Titel\" loading=\"lazy\" decoding=\"async\">"), "{}", r.html);
}

#[test]
fn task_lists() {
    let r = de("- [x] erledigt\n- [ ] offen\n");
    assert!(r.html.contains("<ul class=\"task-list\">"), "{}", r.html);
    assert!(
        r.html
            .contains("<li class=\"task\"><input type=\"checkbox\" disabled checked> erledigt"),
        "{}",
        r.html
    );
}

#[test]
fn truncation_keeps_words_whole() {
    assert_eq!(truncate_words("eins zwei drei", 9), "eins zwei…");
    assert_eq!(truncate_words("kurz", 9), "kurz");
}

#[test]
fn words_are_counted() {
    assert_eq!(de("Eins zwei drei — vier.\n").words, 4);
}
