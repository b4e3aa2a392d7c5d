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
        "[Video on YouTube](https://www.youtube.com/watch?v=x1&w=500)\n"
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
