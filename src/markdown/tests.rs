//! Unit tests of the Markdown stage: whole documents through `render`,
//! and the pure parts on their own.

use pulldown_cmark::{Alignment, CowStr, HeadingLevel};

use super::constructs::{self, Anchor, Table};
use super::*;
use crate::util::url::ROOT;

fn render_with(
    body: &str,
    language: Language,
    links: &HashMap<String, String>,
) -> Result<Rendered, Vec<Diagnostic>> {
    render_linked(body, language, &Links::new(links))
}

/// `body` as the post `content/posts/a.md` at `/posts/a/`.
fn render_linked(
    body: &str,
    language: Language,
    links: &Links<'_>,
) -> Result<Rendered, Vec<Diagnostic>> {
    let source = format!("---\ntitle: t\n---\n{body}");
    let input = Input {
        path: Path::new("content/posts/a.md"),
        source: &source,
        body_offset: 16,
        page_path: "posts/a/",
        source_dir: "posts",
        links,
        language,
        heading_ids: crate::source::config::HeadingIds::Echt,
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
    // Footnote 1 is referred to only from a heading and a footnote, which
    // carry no ids: its entry has no link back to a reference.
    assert!(
        r.html.contains("<li id=\"fn-1\"><p>Eins.</p></li>"),
        "{}",
        r.html
    );
    assert!(r.html.contains("#fnref-2\""), "{}", r.html);
    assert!(!r.html.contains("#fnref-1\""), "{}", r.html);
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
    assert_eq!(
        crate::util::url::percent_decode("a%20b%C3%BC"),
        Some("a bü".to_string())
    );
    assert_eq!(
        crate::util::url::percent_decode("100%"),
        Some("100%".to_string())
    );
    assert_eq!(crate::util::url::percent_decode("%FF"), None);
    assert_eq!(crate::util::url::percent_decode("ohne"), None);
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
            .contains("<li class=\"task\"><span class=\"task-mark task-done\" role=\"img\" aria-label=\"erledigt\"></span> erledigt"),
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
    // As many as the runs between whitespace that hold a letter or digit.
    for text in [
        "",
        "  ",
        "a",
        " — ",
        "Straße\u{a0}und\u{2003}Weg\u{b}x\u{85}y",
        "٣ 🙂 …a ✓b -- 1",
        "Eins,zwei  drei\n\tvier",
    ] {
        let expected = text
            .split_whitespace()
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .count();
        assert_eq!(super::count_words(text), expected, "{text:?}");
    }
}

// The pure parts on their own: the markup of each construct, the writer's
// handling of what it leaves to pulldown-cmark, quotes, links, the summary.

/// The events of `body` (German, no front matter) as `render` sees them.
fn parsed(body: &str) -> Vec<Spanned<'_>> {
    // The events borrow from the input's links too: these live on.
    let map: &'static HashMap<String, String> = Box::leak(Box::default());
    let links: &'static Links<'static> = Box::leak(Box::new(Links::new(map)));
    let input = Input {
        path: Path::new("content/posts/a.md"),
        source: body,
        body_offset: 0,
        page_path: "posts/a/",
        source_dir: "posts",
        links,
        language: Language::De,
        heading_ids: crate::source::config::HeadingIds::Echt,
    };
    events(&input).expect("no broken links").0
}

/// What a link to `dest` in `content/posts/a.md` becomes; Err has the
/// message.
fn resolved(dest: &str) -> Result<Option<String>, String> {
    let map = HashMap::from([
        ("posts/b.md".to_string(), "posts/b/".to_string()),
        (
            "posts/a/bild.png".to_string(),
            "posts/a/bild.png".to_string(),
        ),
    ]);
    let links = Links::new(&map);
    let input = Input {
        path: Path::new("content/posts/a.md"),
        source: "",
        body_offset: 0,
        page_path: "posts/a/",
        source_dir: "posts",
        links: &links,
        language: Language::De,
        heading_ids: crate::source::config::HeadingIds::Echt,
    };
    rewrite_url(&input, dest).map_err(|(message, _)| message)
}

fn anchor<'a>(id: &'a str, title: &'a str) -> Anchor<'a> {
    Anchor {
        page_path: "posts/a/",
        id,
        title,
        label: "Link zu diesem Abschnitt",
    }
}

#[test]
fn heading_markup_with_and_without_its_anchor() {
    let classes: [CowStr<'_>; 2] = ["breit".into(), "x\"y".into()];
    assert_eq!(
        constructs::heading(HeadingLevel::H2, &classes, "A <em>b</em>", Some(&anchor("a&b", "A <b>"))),
        "<h2 id=\"a&amp;b\" class=\"breit x&quot;y\">A <em>b</em> <a class=\"anchor\" \
         href=\"\u{E000}posts/a/#a&amp;b\" aria-label=\"Link zu diesem Abschnitt: A &lt;b&gt;\">#</a></h2>\n"
    );
    assert_eq!(
        constructs::heading(HeadingLevel::H3, &classes, "Text", None),
        "<h3 class=\"breit x&quot;y\">Text</h3>\n"
    );
    assert_eq!(
        constructs::heading(HeadingLevel::H6, &[], "Text", None),
        "<h6>Text</h6>\n"
    );
}

#[test]
fn image_markup_escapes_every_attribute() {
    assert_eq!(
        constructs::image("\u{E000}a b.png?x=1&y=\"2\"", "", "Ein <Bild>"),
        "<img src=\"\u{E000}a b.png?x=1&amp;y=&quot;2&quot;\" alt=\"Ein &lt;Bild&gt;\" \
         loading=\"lazy\" decoding=\"async\">"
    );
    assert_eq!(
        constructs::image("b.png", "Rock 'n' Roll", ""),
        "<img src=\"b.png\" alt=\"\" title=\"Rock &#39;n&#39; Roll\" loading=\"lazy\" decoding=\"async\">"
    );
}

#[test]
fn footnote_reference_ids_count_the_references() {
    let page = "posts/a/";
    assert_eq!(
        constructs::footnote_reference(page, 3, Some(1)),
        "<sup class=\"footnote-ref\"><a href=\"\u{E000}posts/a/#fn-3\" id=\"fnref-3\">3</a></sup>"
    );
    assert_eq!(
        constructs::footnote_reference(page, 3, Some(2)),
        "<sup class=\"footnote-ref\"><a href=\"\u{E000}posts/a/#fn-3\" id=\"fnref-3-2\">3</a></sup>"
    );
    assert_eq!(
        constructs::footnote_reference(page, 3, None),
        "<sup class=\"footnote-ref\"><a href=\"\u{E000}posts/a/#fn-3\">3</a></sup>"
    );
}

#[test]
fn footnote_list_puts_the_back_link_into_the_last_paragraph() {
    let notes = std::collections::BTreeMap::from([
        (
            2,
            "<pre tabindex=\"0\"><code>x\n</code></pre>\n".to_string(),
        ),
        (1, "<p>Eins.</p>\n<p>Zwei.</p>\n".to_string()),
    ]);
    let strings = crate::util::i18n::strings(Language::En);
    let back = |n: usize| {
        format!(
            " <a class=\"footnote-back\" href=\"\u{E000}posts/a/#fnref-{n}\" aria-label=\"Back to the text\">↩</a>"
        )
    };
    assert_eq!(
        constructs::footnote_list("posts/a/", strings, &notes, &|_| true),
        format!(
            "<section class=\"footnotes\" aria-label=\"Footnotes\">\n<ol>\n\
             <li id=\"fn-1\"><p>Eins.</p>\n<p>Zwei.{}</p></li>\n\
             <li id=\"fn-2\"><pre tabindex=\"0\"><code>x\n</code></pre>{}</li>\n\
             </ol>\n</section>\n",
            back(1),
            back(2)
        )
    );
}

#[test]
fn table_events_become_classes_per_column() {
    let mut table = Table::default();
    let html = |table: &mut Table, event: Event<'_>| match table.event(&event) {
        Some(Event::Html(html)) => Some(html.to_string()),
        Some(other) => panic!("{other:?}"),
        None => None,
    };
    let aligned = vec![Alignment::Center, Alignment::None];
    let expected = [
        (
            Event::Start(Tag::Table(aligned)),
            "<div class=\"table-wrap\">\n<table>\n",
        ),
        (Event::Start(Tag::TableHead), "<thead>\n<tr>"),
        (Event::Start(Tag::TableCell), "<th class=\"align-center\">"),
        (Event::End(TagEnd::TableCell), "</th>"),
        (Event::Start(Tag::TableCell), "<th>"),
        (Event::End(TagEnd::TableCell), "</th>"),
        (Event::End(TagEnd::TableHead), "</tr>\n</thead>\n<tbody>\n"),
        (Event::Start(Tag::TableRow), "<tr>"),
        (Event::Start(Tag::TableCell), "<td class=\"align-center\">"),
        (Event::End(TagEnd::TableCell), "</td>"),
        (Event::Start(Tag::TableCell), "<td>"),
        (Event::End(TagEnd::TableCell), "</td>"),
        // More cells than columns (pulldown-cmark drops them; no class).
        (Event::Start(Tag::TableCell), "<td>"),
        (Event::End(TagEnd::TableCell), "</td>"),
        (Event::End(TagEnd::TableRow), "</tr>\n"),
        (Event::Start(Tag::TableRow), "<tr>"),
        (Event::Start(Tag::TableCell), "<td class=\"align-center\">"),
        (Event::End(TagEnd::TableCell), "</td>"),
        (Event::End(TagEnd::TableRow), "</tr>\n"),
        (Event::End(TagEnd::Table), "</tbody>\n</table>\n</div>\n"),
    ];
    for (event, markup) in expected {
        assert_eq!(
            html(&mut table, event.clone()).as_deref(),
            Some(markup),
            "{event:?}"
        );
    }
    assert_eq!(html(&mut table, Event::Text("a".into())), None);
    assert_eq!(html(&mut table, Event::Start(Tag::Paragraph)), None);
}

#[test]
fn task_list_events_become_classes_and_marks_that_say_their_state() {
    let list = |start: Option<u64>, done: Option<bool>| -> Vec<Spanned<'static>> {
        let mut events = vec![
            (Event::Start(Tag::List(start)), 0..0),
            (Event::Start(Tag::Item), 0..0),
        ];
        if let Some(done) = done {
            events.push((Event::TaskListMarker(done), 0..0));
        }
        events.push((Event::Text("a".into()), 0..0));
        events.push((Event::End(TagEnd::Item), 0..0));
        events.push((Event::End(TagEnd::List(start.is_some())), 0..0));
        events
    };
    let en = crate::util::i18n::strings(crate::util::i18n::Language::En);
    let html = |events: &[Spanned<'_>], i: usize| match constructs::task_list(events, i, en) {
        Some(Event::Html(h) | Event::InlineHtml(h)) => Some(h.to_string()),
        Some(other) => panic!("{other:?}"),
        None => None,
    };
    let tasks = list(None, Some(true));
    assert_eq!(
        html(&tasks, 0).as_deref(),
        Some("<ul class=\"task-list\">\n")
    );
    assert_eq!(html(&tasks, 1).as_deref(), Some("<li class=\"task\">"));
    assert_eq!(
        html(&tasks, 2).as_deref(),
        Some("<span class=\"task-mark task-done\" role=\"img\" aria-label=\"done\"></span> ")
    );
    assert!(matches!(
        constructs::task_list(&tasks, 2, en),
        Some(Event::InlineHtml(_))
    ));
    for i in 3..tasks.len() {
        assert_eq!(html(&tasks, i), None);
    }
    let open = list(Some(1), Some(false));
    assert_eq!(
        html(&open, 0).as_deref(),
        Some("<ol class=\"task-list\">\n")
    );
    assert_eq!(
        html(&open, 2).as_deref(),
        Some("<span class=\"task-mark\" role=\"img\" aria-label=\"to do\"></span> ")
    );
    let later = list(Some(7), Some(false));
    assert_eq!(
        html(&later, 0).as_deref(),
        Some("<ol class=\"task-list\" start=\"7\">\n")
    );
    let plain = list(None, None);
    assert_eq!(html(&plain, 0), None);
    assert_eq!(html(&plain, 1), None);
    assert_eq!(html(&plain, 99), None);
}

#[test]
fn german_quotes_tell_the_apostrophe_from_the_closing_quote() {
    let mut q = QuoteState::default();
    assert_eq!(q.german("\u{201C}", "Hallo"), Some("\u{201E}"));
    assert_eq!(q.german("\u{201D}", " sagte"), Some("\u{201C}"));
    // Nothing open: an apostrophe, whatever follows.
    assert_eq!(q.german("\u{2019}", "s"), None);
    assert_eq!(q.german("\u{2019}", " "), None);
    assert_eq!(q.german("\u{2018}", "so"), Some("\u{201A}"));
    // Open, but a letter follows: still an apostrophe (geht’s).
    assert_eq!(q.german("\u{2019}", "s weiter"), None);
    assert_eq!(q.german("\u{2019}", "."), Some("\u{2018}"));
    assert_eq!(q.german("\u{2019}", "."), None);
    assert_eq!(q.german("\"", ""), None);
}

#[test]
fn quotes_in_code_stay_as_written() {
    let r = de("`\"roh\"` und ```'auch'```\n\n```\n\"Block\"\n```\n");
    assert!(r.html.contains("<code>\"roh\"</code>"), "{}", r.html);
    assert!(r.html.contains("<code>'auch'</code>"), "{}", r.html);
    assert!(r.html.contains("<code>\"Block\"\n</code>"), "{}", r.html);
}

#[test]
fn link_urls_by_kind() {
    let root = |path: &str| Ok(Some(format!("{ROOT}{path}")));
    // Left as written: other schemes, protocol-relative, empty, beyond the root.
    for dest in [
        "https://example.org/b.md",
        "mailto:a@b.de",
        "//example.org/x",
        "",
        "../../../x.png",
    ] {
        assert_eq!(resolved(dest), Ok(None), "{dest}");
    }
    assert_eq!(resolved("#teil"), root("posts/a/#teil"));
    assert_eq!(resolved("/tags/"), root("tags/"));
    assert_eq!(resolved("b.md"), root("posts/b/"));
    assert_eq!(resolved("b.md?x=1#teil"), root("posts/b/?x=1#teil"));
    assert_eq!(resolved("./b.md"), root("posts/b/"));
    // A bundle's file goes where the file goes; others are relative to the page.
    assert_eq!(resolved("a/bild.png"), root("posts/a/bild.png"));
    assert_eq!(resolved("anderes.png"), root("posts/a/anderes.png"));
    assert_eq!(resolved("../x.png#y"), root("posts/x.png#y"));
    let missing = resolved("c.md").unwrap_err();
    assert!(missing.contains("link to `c.md`"), "{missing}");
    for dest in ["javascript:alert(1)", " Java\tScript:x", "VBScript:x"] {
        let code = resolved(dest).unwrap_err();
        assert!(code.contains("runs code"), "{dest}: {code}");
    }
}

#[test]
fn summary_ends_after_the_first_paragraph_or_at_the_marker() {
    let summary = |body: &str| {
        let events = parsed(body);
        let (end, more) = summary_end(&events);
        let covered = events[..end].iter().map(|(_, r)| r.end).max().unwrap_or(0);
        (body[..covered].trim_end().to_string(), more)
    };
    let s = |text: &str, more: bool| (text.to_string(), more);
    assert_eq!(summary("Eins.\n\nZwei.\n"), s("Eins.", true));
    assert_eq!(summary("Eins.\n"), s("Eins.", false));
    assert_eq!(
        summary("## Titel\n\nEins.\n\nZwei.\n"),
        s("## Titel\n\nEins.", true)
    );
    // No paragraph at the top: the first block.
    assert_eq!(
        summary("```\ncode\n```\n\n- a\n"),
        s("```\ncode\n```", true)
    );
    // A marker of its own ends the summary before it, wherever that is.
    assert_eq!(
        summary("Eins.\n\nZwei.\n\n<!-- more -->\n\nDrei.\n"),
        s("Eins.\n\nZwei.", true)
    );
    assert_eq!(summary("Eins.\n\n<!-- MORE -->\n"), s("Eins.", false));
    // Inside a block: after that block, so no tag stays open.
    assert_eq!(
        summary("- a <!-- more --> b\n- c\n\nD.\n"),
        s("- a <!-- more --> b\n- c", true)
    );
    // A footnote's text is more: only the page lists it.
    assert_eq!(summary("Eins[^a].\n\n[^a]: Fuß.\n"), s("Eins[^a].", true));
    assert_eq!(summary(""), s("", false));
}

#[test]
fn plain_text_leaves_out_footnotes_and_markup() {
    let events = parsed("Eins *zwei* `drei`[^a]  \nvier.\n\n[^a]: Fuß.\n\n> fünf\n");
    assert_eq!(plain_text(&events), "Eins zwei drei vier. fünf");
}

#[test]
fn code_blocks_and_raw_html_pass_through() {
    let r = de("```\nfn main() { \"<x>\" }\n```\n\n<div class=\"roh\">\n<b>fett</b>\n</div>\n\nText mit <kbd>Strg</kbd>.\n");
    assert!(
        r.html
            .contains("<pre tabindex=\"0\"><code>fn main() { \"&lt;x&gt;\" }\n</code></pre>\n"),
        "{}",
        r.html
    );
    assert!(
        r.html
            .contains("<div class=\"roh\">\n<b>fett</b>\n</div>\n"),
        "{}",
        r.html
    );
    assert!(
        r.html.contains("<p>Text mit <kbd>Strg</kbd>.</p>"),
        "{}",
        r.html
    );
}

#[test]
fn the_more_marker_is_left_out_of_page_and_summary() {
    let r = de("Eins <!-- more --> zwei.\n\n<!--more-->\n\n<!-- anderes -->\n\nDrei.\n");
    assert_eq!(r.html.matches("more").count(), 0, "{}", r.html);
    assert!(r.html.contains("<!-- anderes -->"), "{}", r.html);
    assert_eq!(r.summary, "<p>Eins  zwei.</p>\n");
}

#[test]
fn the_summary_has_no_ids_and_no_footnote_list() {
    let r = de("## Titel {.k}\n\nText[^a] und[^a].\n\n<!-- more -->\n\n[^a]: Fuß.\n");
    assert_eq!(
        r.summary,
        "<h2 class=\"k\">Titel</h2>\n<p>Text<sup class=\"footnote-ref\"><a href=\"\u{E000}posts/a/#fn-1\">1</a></sup> \
         und<sup class=\"footnote-ref\"><a href=\"\u{E000}posts/a/#fn-1\">1</a></sup>.</p>\n"
    );
    assert!(r.html.contains("id=\"fnref-1\""), "{}", r.html);
    assert!(r.html.contains("id=\"fnref-1-2\""), "{}", r.html);
    assert!(
        r.html.contains("<h2 id=\"titel\" class=\"k\">"),
        "{}",
        r.html
    );
    let (summary, text) = {
        let map = HashMap::new();
        let links = Links::new(&map);
        let input = Input {
            path: Path::new("content/posts/a.md"),
            source: "## Titel\n\nText[^a].\n\n[^a]: Fuß.\n",
            body_offset: 0,
            page_path: "posts/a/",
            source_dir: "posts",
            links: &links,
            language: Language::En,
            heading_ids: crate::source::config::HeadingIds::Echt,
        };
        render_summary(&input).unwrap()
    };
    assert!(
        !summary.contains("id=") && !summary.contains("Fuß"),
        "{summary}"
    );
    assert_eq!(text, "Titel Text.");
}

#[test]
fn headings_inside_footnotes_are_plain_and_not_in_the_toc() {
    let r = de("Text[^a].\n\n[^a]: Fuß.\n\n    ## Innen {#eigen .k}\n\n## !!!\n");
    assert!(r.html.contains("<h2>Innen</h2>"), "{}", r.html);
    // A heading without letters gets the language's word for a section.
    assert!(r.html.contains("<h2 id=\"abschnitt\">"), "{}", r.html);
    let ids: Vec<&str> = r.toc.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["abschnitt"]);
}

#[test]
fn the_root_marker_survives_in_link_urls() {
    let r = de("[Teil](#teil) ![Bild](bild.png)\n");
    assert!(!r.html.contains("%EE%80%80"), "{}", r.html);
    assert!(
        r.html.contains("<a href=\"\u{E000}posts/a/#teil\">"),
        "{}",
        r.html
    );
    assert!(
        r.html.contains("src=\"\u{E000}posts/a/bild.png\""),
        "{}",
        r.html
    );
}

#[test]
fn code_blocks_with_a_language_are_highlighted() {
    let r = de("Vorher.\n\n```rust\nfn main() { \"<x>\" }\n```\n\n- Liste\n\n  ```sh linenos\n  echo hallo\n  ```\n");
    assert!(
        r.html.contains("<pre tabindex=\"0\"><code class=\"language-rust\"><span class=\"hl-k\">fn</span> <span class=\"hl-f\">main</span>() { <span class=\"hl-s\">\"&lt;x&gt;\"</span> }\n</code></pre>\n"),
        "{}",
        r.html
    );
    assert!(
        r.html.contains("<pre tabindex=\"0\" class=\"hl-lines\"><code class=\"language-sh\"><span class=\"hl-line\"><span class=\"hl-f\">echo</span> hallo</span>\n</code></pre>"),
        "{}",
        r.html
    );
    assert!(r.notes.is_empty(), "{:?}", r.notes);
}

#[test]
fn an_unknown_language_is_noted_where_it_is_written() {
    // In the summary too, and written there as on the page; noted once.
    let r = de("```Klingonisch\nqapla'\n```\n\nText.\n\n```text\nroh\n```\n");
    assert!(
        r.summary.contains(
            "<pre tabindex=\"0\"><code class=\"language-Klingonisch\">qapla'\n</code></pre>"
        ),
        "{}",
        r.summary
    );
    assert_eq!(r.notes.len(), 1, "{:?}", r.notes);
    let note = &r.notes[0];
    assert_eq!(note.severity, crate::util::error::Severity::Note);
    assert_eq!(note.path, Path::new("content/posts/a.md"));
    // The body starts on line 4 (after three lines of front matter).
    assert_eq!((note.line, note.column, note.width), (4, 4, 11));
    assert!(note.message.contains("`Klingonisch`"), "{}", note.message);
}

/// Raw HTML's `src` and `href` naming a file of the site are resolved as
/// Markdown's are (a bundle's image shows in the summary on a list page);
/// anything else stays as written for the audit.
#[test]
fn raw_html_urls_resolve_like_markdown_links() {
    let map = HashMap::from([
        (
            "posts/a/beet.jpg".to_string(),
            "2025/04/a/beet.jpg".to_string(),
        ),
        ("posts/b.md".to_string(), "posts/b/".to_string()),
    ]);
    let body = "<figure><img src=\"a/beet.jpg\" alt=\"Beet\" width=\"300\"><figcaption>Beet</figcaption></figure>\n\nText mit <a href='/archiv/'>Archiv</a>, <a HREF=\"#teil\">Teil</a>, <a href=\"b.md\">B</a>, <a href=\"https://example.net/x.jpg\">fremd</a>, <a href=\"javascript:alert(1)\">nein</a>.\n\n<!-- <img src=\"a/beet.jpg\"> -->\n\n```html\n<img src=\"a/beet.jpg\">\n```\n";
    let r = render_with(body, Language::De, &map).unwrap_or_else(|e| panic!("{e:?}"));
    for expected in [
        "<img src=\"\u{E000}2025/04/a/beet.jpg\" alt=\"Beet\" width=\"300\">",
        "<a href='/archiv/'>Archiv</a>",
        "<a HREF=\"#teil\">Teil</a>",
        "<a href=\"\u{E000}posts/b/\">B</a>",
        "<a href=\"https://example.net/x.jpg\">fremd</a>",
        "<a href=\"javascript:alert(1)\">nein</a>",
        "<!-- <img src=\"a/beet.jpg\"> -->",
        "<span class=\"hl-s\">\"a/beet.jpg\"</span>",
    ] {
        assert!(r.html.contains(expected), "{expected}\n{}", r.html);
    }
    assert!(
        r.summary.contains("\u{E000}2025/04/a/beet.jpg"),
        "{}",
        r.summary
    );
}

/// A picture of `width`×`height` at `site_path`, made in `widths` as JPEG
/// and WebP.
fn photo(site_path: &str, width: u32, height: u32, widths: &[u32]) -> crate::image::Picture {
    use crate::image::{ImageFormat, Picture, Version};
    let stem = site_path.trim_end_matches(".jpg");
    let version = |w: u32, format: ImageFormat, ext: &str| Version {
        site_path: format!("{stem}-{w}w.{ext}"),
        width: w,
        height: height * w / width,
        format,
        len: u64::from(w) * 100,
    };
    let mut versions: Vec<Version> = widths
        .iter()
        .map(|w| version(*w, ImageFormat::Jpeg, "jpg"))
        .collect();
    versions.extend(
        widths
            .iter()
            .map(|w| version(*w, ImageFormat::Webp, "webp")),
    );
    Picture {
        width,
        height,
        original: Version {
            site_path: site_path.to_string(),
            width,
            height,
            format: ImageFormat::Jpeg,
            len: 5_000_000,
        },
        versions,
        had_location: false,
        key: 7,
    }
}

fn render_pictures(
    body: &str,
    images: &crate::image::Images,
) -> Result<(Rendered, LookedUp), Vec<Diagnostic>> {
    let map = HashMap::from([
        ("posts/foto.jpg".to_string(), "posts/a/foto.jpg".to_string()),
        (
            "posts/kaputt.jpg".to_string(),
            "posts/a/kaputt.jpg".to_string(),
        ),
        (
            "posts/notiz.txt".to_string(),
            "posts/a/notiz.txt".to_string(),
        ),
    ]);
    let config = crate::source::config::ImageConfig::default();
    let links = Links::new(&map).with_pictures(images, &config);
    let rendered = render_linked(body, Language::De, &links)?;
    Ok((rendered, links.into_looked_up()))
}

fn site_images() -> crate::image::Images {
    use std::sync::Arc;
    crate::image::Images::from_pictures([
        (
            "posts/a/foto.jpg".to_string(),
            Ok(Arc::new(photo(
                "posts/a/foto.jpg",
                4000,
                3000,
                &[480, 800, 1200, 1600],
            ))),
        ),
        (
            "posts/a/kaputt.jpg".to_string(),
            Err(crate::image::Unusable {
                message: "is cut off after 1,204 bytes".into(),
                hint: None,
            }),
        ),
    ])
}

#[test]
fn a_plain_image_becomes_a_responsive_picture() {
    let (r, looked_up) =
        render_pictures("![Der Hafen am Morgen](foto.jpg)\n", &site_images()).unwrap();
    let html = &r.html;
    let url = |name: &str| format!("{ROOT}posts/a/{name}");
    assert!(
        html.starts_with("<p><picture><source type=\"image/webp\""),
        "{html}"
    );
    assert!(
        html.contains(&format!(
            "srcset=\"{} 480w, {} 800w, {} 1200w, {} 1600w\"",
            url("foto-480w.webp"),
            url("foto-800w.webp"),
            url("foto-1200w.webp"),
            url("foto-1600w.webp")
        )),
        "{html}"
    );
    assert!(
        html.contains(&format!("<img src=\"{}\"", url("foto-1600w.jpg"))),
        "{html}"
    );
    assert!(
        html.contains(&format!("{} 480w", url("foto-480w.jpg"))),
        "{html}"
    );
    assert!(
        html.contains("sizes=\"(min-width: 42rem) 38rem, 100vw\""),
        "{html}"
    );
    assert!(
        html.contains("width=\"4000\" height=\"3000\" alt=\"Der Hafen am Morgen\""),
        "{html}"
    );
    // The first picture near the top is on the first screen: not lazy.
    assert!(!html.contains("loading=\"lazy\""), "{html}");
    assert!(html.contains("decoding=\"async\"></picture>"), "{html}");
    assert_eq!(looked_up.pictures.len(), 2, "checked, then written");
    assert!(looked_up
        .pictures
        .iter()
        .all(|(p, _)| p == "posts/a/foto.jpg"));
    // Further down, or in a summary, it waits for the reader.
    let long = format!("{}\n\n![Später](foto.jpg)\n", "Ein Satz. ".repeat(60));
    let (r, _) = render_pictures(&long, &site_images()).unwrap();
    assert!(r.html.contains("loading=\"lazy\""), "{}", r.html);
    let (r, _) = render_pictures("![Oben](foto.jpg)\n", &site_images()).unwrap();
    assert!(r.summary.contains("loading=\"lazy\""), "{}", r.summary);
}

#[test]
fn an_image_asks_for_a_width_or_to_be_shown_as_it_is() {
    let (r, _) = render_pictures("![Klein](foto.jpg#width=400)\n", &site_images()).unwrap();
    assert!(r.html.contains("sizes=\"400px\""), "{}", r.html);
    assert!(
        r.html.contains("width=\"400\" height=\"300\""),
        "{}",
        r.html
    );
    let (r, _) = render_pictures("![Ganz](foto.jpg#as-is \"Titel\")\n", &site_images()).unwrap();
    assert_eq!(
        r.html,
        format!("<p><img src=\"{ROOT}posts/a/foto.jpg\" width=\"4000\" height=\"3000\" alt=\"Ganz\" title=\"Titel\" decoding=\"async\"></p>\n")
    );
    // Another fragment stays in the URL; the picture is still responsive.
    let (r, _) = render_pictures("![x](foto.jpg#oben)\n", &site_images()).unwrap();
    assert!(r.html.contains("<picture>"), "{}", r.html);
}

#[test]
fn a_picture_that_cannot_be_shown_is_an_error_at_the_image() {
    let errors = render_pictures(
        "Text.\n\n![Kaputt](kaputt.jpg)\n\n![Zu breit](foto.jpg#width=0)\n\n![Notiz](notiz.txt#width=300)\n",
        &site_images(),
    )
    .unwrap_err();
    let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(errors.len(), 3, "{shown:#?}");
    assert!(
        shown[0]
            .contains("the picture `kaputt.jpg` cannot be shown: it is cut off after 1,204 bytes"),
        "{}",
        shown[0]
    );
    assert!(shown[0].contains("content/posts/a.md:6:1"), "{}", shown[0]);
    assert!(
        shown[1].contains("`#width=0` is not a width from 1 to 8192 pixels"),
        "{}",
        shown[1]
    );
    assert!(
        shown[2].contains("`#width=300` asks for a size, but `notiz.txt` is not a picture"),
        "{}",
        shown[2]
    );
}

#[test]
fn without_the_sites_pictures_an_image_stays_an_img() {
    let r = de("![Alt](foto.jpg#width=300)\n");
    assert!(r.html.contains("<img src=\""), "{}", r.html);
    assert!(!r.html.contains("<picture>"), "{}", r.html);
}
