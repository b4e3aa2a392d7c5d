//! Tests of the conversion of WordPress content: exact text before and
//! after, and every note with its kind and place.

use super::*;

/// The attachments of the fixture exports; files found for `beet.jpg`
/// (and its size variants) and `amsel.mp3`, not for the others.
struct TestMedia;

impl Media for TestMedia {
    fn attachment(&self, id: u64) -> Option<Attachment> {
        let (url, caption, title) = match id {
            21 => (
                "https://garten.example.org/wp-content/uploads/2026/04/beet.jpg",
                "Das Beet im April",
                "beet",
            ),
            22 => (
                "https://garten.example.org/wp-content/uploads/2026/04/korb.jpg",
                "",
                "korb",
            ),
            _ => return None,
        };
        Some(Attachment {
            url: url.into(),
            caption: caption.into(),
            title: title.into(),
        })
    }
    fn attached(&self) -> Vec<u64> {
        vec![21, 22]
    }
    fn local(&self, url: &str) -> Option<String> {
        let name = url.rsplit('/').next()?;
        match name {
            "beet.jpg" | "beet-300x200.jpg" | "beet-150x150.jpg" => Some("beet.jpg".into()),
            "amsel.mp3" => Some("amsel.mp3".into()),
            "heron.jpg" | "heron-1024x683.jpg" => Some("heron.jpg".into()),
            "route.pdf" => Some("route.pdf".into()),
            "wren.mp3" => Some("wren.mp3".into()),
            _ => None,
        }
    }
}

fn de(content: &str) -> Converted {
    convert(content, &Options { language: "de" }, &TestMedia)
}

fn en(content: &str) -> Converted {
    convert(content, &Options { language: "en" }, &TestMedia)
}

fn fixture_content(name: &str, id: u64) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/sites/wordpress")
        .join(name);
    let source = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
    let export =
        crate::import::wordpress::wxr::read(&path, &source).unwrap_or_else(|e| panic!("{e}"));
    export
        .items
        .into_iter()
        .find(|i| i.id == id)
        .map(|i| i.content)
        .unwrap_or_default()
}

fn places(c: &Converted) -> Vec<(NoteKind, usize, usize)> {
    c.notes.iter().map(|n| (n.kind, n.line, n.column)).collect()
}

const CLASSIC_AFTER: &str = r#"Heute haben wir die ersten Radieschen geerntet.\
Sie waren *klein*, aber scharf.

<figure>
<img src="beet.jpg" alt="Das Beet im April" width="300" height="200" class="size-medium wp-image-21" />
<figcaption>Das Beet im April</figcaption>
</figure>

Die ganze Ernte:

<figure class="gallery">
<img src="beet.jpg" alt="Das Beet im April">
<a href="https://garten.example.org/wp-content/uploads/2026/04/korb.jpg">korb</a>
</figure>

```
Reihe 1: Radieschen

Reihe 2: Salat
```

[Video auf YouTube](https://www.youtube.com/watch?v=radies1)

<audio controls src="amsel.mp3"></audio>

\[contact-form-7 id="5" title="Kontakt"\]

Fragen? [Schreibt uns](https://garten.example.org/%c3%bcber-uns/).
"#;

/// The classic post of the fixture export, before and after.
#[test]
fn classic_post_before_and_after() {
    let c = de(&fixture_content("classic.xml", 10));
    assert_eq!(c.text, CLASSIC_AFTER);
    assert!(!c.blocks);
    use NoteKind::{Changed, Review};
    assert_eq!(
        places(&c),
        [
            (Changed, 4, 1),
            (Changed, 4, 1),
            (Changed, 8, 1),
            (Changed, 8, 1),
            (Review, 8, 1),
            (Changed, 16, 1),
            (Changed, 18, 1),
            (Changed, 18, 1),
            (Review, 20, 1),
        ]
    );
    let messages: Vec<&str> = c.notes.iter().map(|n| n.message.as_str()).collect();
    assert_eq!(messages[0], "[caption] became a figure with its caption");
    assert_eq!(messages[2], "[gallery] became a gallery of 2 images");
    assert_eq!(
        messages[8],
        "shortcode [contact-form-7] is not known to the import: kept as text"
    );
}

const BLOCKS_AFTER: &str = r#"A walk along the **river**, with [notes](https://fieldnotes.example.com/about/).

### Birds seen

- Heron
- Kingfisher

> Look up more often.
>
> — A neighbour

> The bridge hums in the wind.
>
> — Me

<figure class="wp-block-image size-large"><img src="heron.jpg" alt="A heron" class="wp-image-41"/><figcaption class="wp-element-caption">Grey heron at dawn</figcaption></figure>

<figure class="wp-block-gallery has-nested-images columns-default">
<figure class="wp-block-image"><img src="heron.jpg" alt="Heron" class="wp-image-41"/></figure>
</figure>

```rust
fn main() {
    println!("<hi>");
}
```

```
  a
    b
```

<pre class="wp-block-verse">Slow water,
  slower light.</pre>

<figure class="wp-block-table"><table><thead><tr><th>Bird</th><th class="has-text-align-right" data-align="right">Count</th></tr></thead><tbody><tr><td>Heron</td><td class="has-text-align-right" data-align="right">2</td></tr></tbody></table></figure>

---

Left side.

Right side.

[The bridge in a storm](https://www.youtube.com/watch?v=brdg01)

[The route](route.pdf)

<figure class="wp-block-audio"><audio controls src="wren.mp3"></audio><figcaption class="wp-element-caption">A wren</figcaption></figure>

<figure class="wp-block-video"><a href="https://videos.files.example.net/v/river.mp4">river.mp4</a></figure>

[All walks](https://fieldnotes.example.com/walks/)

<div class="wp-block-jetpack-map">A map</div>
"#;

/// The block post of the fixture export (every block the issue names),
/// before and after.
#[test]
fn block_post_before_and_after() {
    let c = en(&fixture_content("blocks.xml", 40));
    assert_eq!(c.text, BLOCKS_AFTER);
    assert!(c.blocks);
    use NoteKind::{Changed, Review};
    assert_eq!(
        places(&c),
        [
            (Changed, 26, 1),
            (Changed, 30, 43),
            (Changed, 35, 32),
            (Changed, 63, 1),
            (Changed, 81, 1),
            (Changed, 87, 1),
            (Changed, 87, 1),
            (Changed, 92, 32),
            (Review, 96, 32),
            (Review, 105, 1),
        ]
    );
}

#[test]
fn paragraphs_and_line_breaks_of_classic_content() {
    assert_eq!(en("One\ntwo\n\n\nThree").text, "One\\\ntwo\n\nThree\n");
    assert_eq!(
        en("Text\n<ul>\n<li>a</li>\n</ul>\nMore").text,
        "Text\n\n- a\n\nMore\n"
    );
    assert_eq!(
        en("<pre>a\n\n  b</pre>\nafter").text,
        "```\na\n\n  b\n```\n\nafter\n"
    );
    assert_eq!(
        en("<blockquote>Said\n\nand said</blockquote>").text,
        "> Said\n>\n> and said\n"
    );
    assert_eq!(en("  indented\n    more").text, "indented\\\nmore\n");
    assert_eq!(en("").text, "");
    assert_eq!(en("\n\n").text, "");
}

#[test]
fn text_that_would_be_markdown_stays_text() {
    assert_eq!(
        en("2*3*4 is not _emphasis_\n# not a heading\n1. not a list").text,
        "2\\*3\\*4 is not \\_emphasis\\_\\\n\\# not a heading\\\n1\\. not a list\n"
    );
    assert_eq!(
        en("a [link] and `tick` and &amp; and <b>bold</b>").text,
        "a \\[link\\] and \\`tick\\` and &amp; and **bold**\n"
    );
}

#[test]
fn more_and_nextpage() {
    let c = en("Intro\n\n<!--more-->\n\nRest\n\n<!--nextpage-->\n\nPage two");
    assert_eq!(c.text, "Intro\n\n<!-- more -->\n\nRest\n\nPage two\n");
    assert_eq!(places(&c), [(NoteKind::Review, 7, 1)]);
}

#[test]
fn more_block_and_heading_anchors() {
    let c = en("<!-- wp:paragraph -->\n<p>Intro</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:more -->\n<!--more-->\n<!-- /wp:more -->\n\n<!-- wp:heading -->\n<h2 class=\"wp-block-heading\" id=\"weiter-geht-s\">Weiter</h2>\n<!-- /wp:heading -->\n\n<p id=\"kept\">Anchor</p>");
    assert_eq!(
        c.text,
        "Intro\n\n<!-- more -->\n\n## Weiter {#weiter-geht-s}\n\n<p id=\"kept\">Anchor</p>\n"
    );
    assert!(c.notes.is_empty(), "{:?}", c.notes);
    let html = rendered(&c.text);
    assert!(html.contains("id=\"weiter-geht-s\""), "{html}");
}

#[test]
fn comments_get_paragraphs_but_no_shortcodes() {
    let c = convert_comment(
        "Schön!\nWirklich.\n\n[gallery] bleibt, <a href=\"https://example.net/\">Link</a> auch.\n\n<iframe src=\"https://www.youtube.com/embed/k\"></iframe>",
        &Options { language: "de" },
    );
    assert_eq!(
        c.text,
        "Schön!\\\nWirklich.\n\n\\[gallery\\] bleibt, [Link](https://example.net/) auch.\n\n<a href=\"https://www.youtube.com/watch?v=k\">Video auf YouTube</a>\n"
    );
    assert_eq!(places(&c), [(NoteKind::Changed, 6, 1)]);
}

#[test]
fn block_comments_are_removed() {
    let c = en("<!-- wp:paragraph {\"align\":\"center\"} -->\n<p class=\"has-text-align-center\">Hi</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:separator /-->\n\n<!-- wp:latest-posts {\"postsToShow\":3} /-->");
    assert_eq!(c.text, "<p class=\"has-text-align-center\">Hi</p>\n");
    assert_eq!(places(&c), [(NoteKind::Review, 7, 1)]);
    assert!(c.notes[0].message.contains("latest-posts"));
    // Not JSON: removed all the same.
    let c = en("<!-- wp:heading {level:2 -->\n<h2>T</h2>\n<!-- /wp:heading -->");
    assert_eq!(c.text, "## T\n");
    // A comment that is no block stays.
    assert_eq!(
        en("<!-- wp:paragraph -->\n<p>a</p>\n<!-- /wp:paragraph -->\n<!-- note -->").text,
        "a\n\n<!-- note -->\n"
    );
}

#[test]
fn code_blocks_take_their_language() {
    let c = en("<!-- wp:code -->\n<pre class=\"wp-block-code\"><code class=\"language-python\">print(\"a &amp; b\")\n```</code></pre>\n<!-- /wp:code -->");
    assert_eq!(c.text, "````python\nprint(\"a & b\")\n```\n````\n");
    let c = en("<!-- wp:syntaxhighlighter/code {\"language\":\"bash\"} -->\n<pre class=\"wp-block-syntaxhighlighter-code\">ls -l</pre>\n<!-- /wp:syntaxhighlighter/code -->");
    assert_eq!(c.text, "```\nls -l\n```\n");
    assert_eq!(places(&c), [(NoteKind::Review, 1, 1)]);
}

#[test]
fn captions_become_figures() {
    let c = en("[caption id=\"attachment_21\" width=\"300\"]<a href=\"https://garten.example.org/wp-content/uploads/2026/04/beet.jpg\"><img src=\"https://garten.example.org/wp-content/uploads/2026/04/beet-150x150.jpg\" alt=\"\" /></a> Beds <em>in</em> April[/caption]");
    assert_eq!(
        c.text,
        "<figure>\n<a href=\"beet.jpg\"><img src=\"beet.jpg\" alt=\"\" /></a>\n<figcaption>Beds <em>in</em> April</figcaption>\n</figure>\n"
    );
    // WordPress before 3.4 wrote the caption as an attribute.
    let c = en("[caption caption=\"Old style\"]<img src=\"/x.png\">[/caption]");
    assert_eq!(
        c.text,
        "<figure>\n<img src=\"/x.png\">\n<figcaption>Old style</figcaption>\n</figure>\n"
    );
}

#[test]
fn galleries_show_their_images() {
    let c = en("[gallery]");
    assert_eq!(c.text, "<figure class=\"gallery\">\n<img src=\"beet.jpg\" alt=\"Das Beet im April\">\n<a href=\"https://garten.example.org/wp-content/uploads/2026/04/korb.jpg\">korb</a>\n</figure>\n");
    let c = en("Before\n\n[gallery ids=\"21, 99\" link=\"file\"]");
    assert_eq!(
        c.text,
        "Before\n\n<figure class=\"gallery\">\n<img src=\"beet.jpg\" alt=\"Das Beet im April\">\n</figure>\n"
    );
    assert_eq!(
        places(&c),
        [
            (NoteKind::Review, 3, 1),
            (NoteKind::Changed, 3, 1),
            (NoteKind::Changed, 3, 1)
        ]
    );
    assert!(c.notes.iter().any(|n| n.message.contains("attachment 99")));
}

#[test]
fn embeds_and_players() {
    assert_eq!(
        en("[embed]https://vimeo.com/1234[/embed]").text,
        "[Video on Vimeo](https://vimeo.com/1234)\n"
    );
    assert_eq!(
        en("[youtube=https://www.youtube.com/watch?v=x1&amp;w=500]").text,
        "[Video on YouTube](https://www.youtube.com/watch?v=x1)\n"
    );
    assert_eq!(
        en("[embed]https://example.net/talk[/embed]").text,
        "[https://example.net/talk](https://example.net/talk)\n"
    );
    let c = en("[video mp4=\"https://cdn.example.net/a.mp4\"][/video]");
    assert_eq!(c.text, "[a.mp4](https://cdn.example.net/a.mp4)\n");
    assert_eq!(
        places(&c),
        [(NoteKind::Changed, 1, 1), (NoteKind::Review, 1, 1)]
    );
    assert_eq!(
        en("[audio src=\"https://garten.example.org/wp-content/uploads/2026/04/amsel.mp3\"]").text,
        "<audio controls src=\"amsel.mp3\"></audio>\n"
    );
}

#[test]
fn iframes_and_scripts_become_links() {
    let c = en("<iframe src=\"https://www.youtube.com/embed/abc\" width=\"560\"></iframe>\n\n<script src=\"https://tracker.example.net/t.js\"></script>");
    let lower = c.text.to_ascii_lowercase();
    assert!(
        !lower.contains("<iframe") && !lower.contains("<script"),
        "{}",
        c.text
    );
    assert!(
        c.text.contains("https://www.youtube.com/watch?v=abc"),
        "{}",
        c.text
    );
}

#[test]
fn shortcodes_in_code_and_escaped_ones_stay_text() {
    assert_eq!(
        en("Write [[gallery]] to show one.\n\n<pre>[gallery ids=\"1\"]</pre>").text,
        "Write \\[gallery\\] to show one.\n\n```\n[gallery ids=\"1\"]\n```\n"
    );
    let c = en("a [note] b [x-note foo=\"1\"] c");
    assert_eq!(c.text, "a \\[note\\] b \\[x-note foo=\"1\"\\] c\n");
    assert_eq!(places(&c), [(NoteKind::Review, 1, 12)]);
}

#[test]
fn notes_are_placed_with_umlauts_and_crlf() {
    let c = de("Grüße\r\n\r\nÄpfel [unbekannt a=\"1\"]");
    assert_eq!(places(&c), [(NoteKind::Review, 3, 7)]);
}

/// Pieces of WordPress content, and pieces that break things.
const PIECES: &[&str] = &[
    "Text ",
    "ä ",
    "\n",
    "\n\n",
    "\r\n",
    "<p>",
    "</p>",
    "<em>",
    "</em>",
    "<strong>x</strong>",
    "<a href=\"https://example.org/?a=1&amp;b\">l</a>",
    "<!-- wp:paragraph -->",
    "<!-- /wp:paragraph -->",
    "<!-- wp:image {\"id\":21} -->",
    "<!-- /wp:image -->",
    "<!-- wp:spacer /-->",
    "<!-- wp:embed {\"url\":\"https://www.youtube.com/watch?v=q\",\"providerNameSlug\":\"youtube\"} -->",
    "<!-- /wp:embed -->",
    "<!-- wp:code -->",
    "<!-- /wp:code -->",
    "<!-- wp:",
    "<!--",
    "-->",
    "<!--more-->",
    "[caption]",
    "[/caption]",
    "[caption id=\"a\" caption=\"c\"]<img src=\"https://garten.example.org/wp-content/uploads/2026/04/beet.jpg\">",
    "[gallery ids=\"21,22\"]",
    "[gallery]",
    "[embed]https://vimeo.com/1[/embed]",
    "[embed]",
    "[/embed]",
    "[youtube https://youtu.be/z]",
    "[youtube=https://youtu.be/z]",
    "[audio src=\"https://garten.example.org/wp-content/uploads/2026/04/amsel.mp3\"]",
    "[video mp4=\"https://cdn.example.net/v.mp4\"][/video]",
    "[contact-form id=\"1\"]",
    "[",
    "]",
    "[[",
    "]]",
    "<pre>",
    "</pre>",
    "<code>",
    "</code>",
    "<pre class=\"wp-block-code\"><code class=\"language-rust\">",
    "<ul><li>",
    "</li></ul>",
    "<blockquote>",
    "</blockquote>",
    "<div class=\"wp-block-columns\">",
    "</div>",
    "<figure>",
    "</figure>",
    "<iframe src=\"https://www.youtube.com/embed/x\"></iframe>",
    "<script src=\"https://tracker.example.net/t.js\"></script>",
    "<script>alert(1)</script>",
    "<img src=\"https://other.example.net/p.jpg\" alt=\"p\">",
    "<img src=\"https://garten.example.org/wp-content/uploads/2026/04/beet-300x200.jpg\" srcset=\"a 1x, b 2x\">",
    "<",
    ">",
    "\"",
    "*",
    "#",
    "1. ",
    "`",
    "&nbsp;",
    "<br>",
    "<br />",
    "<h2>",
    "</h2>",
    "<table><tr><td>1</td></tr></table>",
    "<hr>",
    "    ",
];

/// Many odd combinations: the conversion never panics, every note points
/// into the content, no block comment or known shortcode survives where
/// nothing could hide it, and nothing loads from another host or runs
/// once echt has rendered the text.
#[test]
fn never_panics_and_leaves_nothing_active() {
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for round in 0..4000 {
        let len = (next() % 20) as usize;
        let mut content = String::new();
        for _ in 0..len {
            content.push_str(PIECES[(next() % PIECES.len() as u64) as usize]);
        }
        let c = if round % 2 == 0 {
            de(&content)
        } else {
            en(&content)
        };
        let normal = content.replace("\r\n", "\n");
        let lines = normal.split('\n').count();
        for n in &c.notes {
            assert!(n.line >= 1 && n.line <= lines, "{n:?} in {content:?}");
            let line = normal.split('\n').nth(n.line - 1).unwrap_or("");
            assert!(
                n.column >= 1 && n.column <= line.chars().count() + 1,
                "{n:?} in {content:?}"
            );
        }
        let html = rendered(&c.text).to_ascii_lowercase();
        assert!(
            !html.contains("<script") && !html.contains("<iframe") && !loads_remote(&html),
            "{content:?}\n→ {:?}\n→ {html}",
            c.text
        );
    }
}

/// Whole block and shortcode pieces, in any order, with text between:
/// no `<!-- wp:` and no known `[shortcode` stays.
#[test]
fn no_block_comment_or_known_shortcode_survives() {
    const WHOLE: &[&str] = &[
        "<!-- wp:paragraph -->\n<p>a *b*</p>\n<!-- /wp:paragraph -->",
        "<!-- wp:spacer {\"height\":\"10px\"} /-->",
        "<!-- wp:embed {\"url\":\"https://vimeo.com/2\",\"providerNameSlug\":\"vimeo\"} -->\n<figure><div>\nhttps://vimeo.com/2\n</div></figure>\n<!-- /wp:embed -->",
        "<!-- wp:code -->\n<pre class=\"wp-block-code\"><code>x</code></pre>\n<!-- /wp:code -->",
        "<!-- wp:group -->\n<div class=\"wp-block-group\"><!-- wp:paragraph -->\n<p>in</p>\n<!-- /wp:paragraph --></div>\n<!-- /wp:group -->",
        "<!-- wp:acme/widget {\"a\":1} -->\n<div>w</div>\n<!-- /wp:acme/widget -->",
        "[caption id=\"1\"]<img src=\"/a.png\"> Cap[/caption]",
        "[gallery ids=\"21\"]",
        "[gallery]",
        "[embed]https://vimeo.com/1[/embed]",
        "[youtube https://youtu.be/z]",
        "[youtube=https://youtu.be/z]",
        "[audio mp3=\"https://garten.example.org/wp-content/uploads/2026/04/amsel.mp3\"][/audio]",
        "[video src=\"https://cdn.example.net/v.mp4\"]",
        "Some text with ä.",
        "Line\nbreak",
        "<blockquote>q</blockquote>",
    ];
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..1000 {
        let len = 1 + (next() % 8) as usize;
        let mut content = String::new();
        for _ in 0..len {
            content.push_str(WHOLE[(next() % WHOLE.len() as u64) as usize]);
            content.push_str(["\n\n", "\n", " "][(next() % 3) as usize]);
        }
        let c = en(&content);
        assert!(
            !c.text.contains("<!-- wp:") && !c.text.contains("<!-- /wp:"),
            "{content:?}\n→ {}",
            c.text
        );
        let plain = c.text.replace('\\', "");
        for name in shortcodes::KNOWN {
            assert!(
                !plain.contains(&format!("[{name} "))
                    && !plain.contains(&format!("[{name}]"))
                    && !plain.contains(&format!("[{name}=")),
                "{content:?}\n→ {}",
                c.text
            );
        }
    }
}

/// The HTML echt's Markdown renderer makes of `text` (empty when it
/// refuses the text).
fn rendered(text: &str) -> String {
    use crate::markdown::{render, Input, Links};
    use crate::util::i18n::Language;
    use std::collections::HashMap;
    use std::path::Path;

    let map = HashMap::new();
    let links = Links::new(&map);
    let source = format!("---\ntitle: t\n---\n{text}");
    let input = Input {
        path: Path::new("content/posts/a/index.md"),
        source: &source,
        body_offset: 16,
        page_path: "posts/a/",
        source_dir: "posts/a",
        links: &links,
        language: Language::En,
        heading_ids: crate::source::config::HeadingIds::Kramdown,
    };
    render(&input).map(|r| r.html).unwrap_or_default()
}

/// The converted fixture posts, rendered by echt and put into a page,
/// pass echt's audit: no error but links to files this test's site does
/// not have (the importer copies those).
#[test]
fn converted_posts_pass_the_audit() {
    use crate::import::audited::audit_errors;

    for (name, id) in [("classic.xml", 10), ("blocks.xml", 40)] {
        let c = en(&fixture_content(name, id));
        let html = rendered(&c.text);
        assert!(!html.is_empty(), "echt refused\n{}", c.text);
        let (errors, page) = audit_errors(&html, "https://example.org/", "en");
        assert!(
            errors.is_empty(),
            "{}\n--- converted ---\n{}\n--- page ---\n{page}",
            errors.join("\n"),
            c.text
        );
    }
    let blocks = rendered(&en(&fixture_content("blocks.xml", 40)).text);
    for expected in [
        "<h3",
        "<strong>river</strong>",
        "<li>Heron</li>",
        "<blockquote>",
        "<hr",
        "<table>",
        "<figcaption class=\"wp-element-caption\">Grey heron at dawn</figcaption>",
        "<a href=\"https://fieldnotes.example.com/walks/\">All walks</a>",
    ] {
        assert!(blocks.contains(expected), "{expected} in {blocks}");
    }
    let classic = rendered(&de(&fixture_content("classic.xml", 10)).text);
    for expected in [
        "geerntet.<br",
        "<em>klein</em>",
        "<audio controls src=\"amsel.mp3\"></audio>",
        "<figcaption>Das Beet im April</figcaption>",
    ] {
        assert!(classic.contains(expected), "{expected} in {classic}");
    }
}

/// Whether an element of `html` loads something from an address with a
/// host (`src`, `srcset`, `poster`, `data`).
fn loads_remote(html: &str) -> bool {
    html.match_indices('<').any(|(at, _)| {
        crate::import::html::start_tag(html, at).is_some_and(|tag| {
            tag.attrs.iter().any(|(name, value, _)| {
                matches!(name.as_str(), "src" | "srcset" | "poster" | "data")
                    && (value.contains("//") || value.contains(':'))
            })
        })
    })
}

/// A `[gallery]` without ids shows the post's images, not its other
/// attachments (WordPress leaves a PDF out too).
#[test]
fn a_gallery_shows_only_images() {
    struct Mixed;
    impl Media for Mixed {
        fn attachment(&self, id: u64) -> Option<Attachment> {
            let url = match id {
                1 => "https://garten.example.org/wp-content/uploads/2025/06/tonne.jpg",
                2 => "https://garten.example.org/wp-content/uploads/2025/06/giessplan.pdf",
                _ => return None,
            };
            Some(Attachment {
                url: url.into(),
                caption: String::new(),
                title: format!("t{id}"),
            })
        }
        fn attached(&self) -> Vec<u64> {
            vec![1, 2]
        }
        fn local(&self, url: &str) -> Option<String> {
            url.rsplit('/').next().map(str::to_string)
        }
    }
    let c = convert("[gallery]\n", &Options { language: "de" }, &Mixed);
    assert!(c.text.contains("<img src=\"tonne.jpg\""), "{}", c.text);
    assert!(!c.text.contains("giessplan"), "{}", c.text);
}

#[test]
fn a_youtube_shortcode_links_the_video_without_the_player_size() {
    let c = en("[youtube https://www.youtube.com/watch?v=abc&w=640&h=360]\n\n[youtube https://youtu.be/xyz&w=320]\n");
    assert!(
        c.text.contains("(https://www.youtube.com/watch?v=abc)")
            || c.text
                .contains("href=\"https://www.youtube.com/watch?v=abc\""),
        "{}",
        c.text
    );
    assert!(c.text.contains("https://youtu.be/xyz"), "{}", c.text);
    assert!(
        !c.text.contains("w=640") && !c.text.contains("w=320"),
        "{}",
        c.text
    );
}
