//! A reader's comment, from Markdown to HTML that can carry nothing but
//! text formatting.
//!
//! A comment is someone else's words, so it is treated as hostile: raw
//! HTML in it is shown as text (never as markup), images become their alt
//! text, and the HTML pulldown-cmark writes then goes through ammonia, a
//! sanitiser that parses with html5ever and keeps only what its allowlist
//! names: paragraphs, line breaks, emphasis, code, quotes, lists and links
//! to `http`/`https` addresses, which get `rel="nofollow ugc noopener"`.
//! Relative links, and links to the site's own host, are their text
//! alone: they would point into the site from text its author did not
//! write, and one to a page the site does not have (an imported comment
//! that names the old blog's address) would fail the build's link check.
//!
//! Stage 3. Takes a comment's Markdown body; hands on its safe HTML.

use std::collections::HashSet;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// The `rel` of every link in a comment.
pub const LINK_REL: &str = "nofollow ugc noopener";

/// The only elements a comment may contain.
const TAGS: &[&str] = &[
    "p",
    "br",
    "em",
    "strong",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
];

/// The comment's Markdown `body` as sanitised HTML; links to `own_host`
/// (the site's) are their text alone.
pub fn render(body: &str, own_host: Option<&str>) -> String {
    let events = safe_events(
        Parser::new_ext(body, Options::ENABLE_STRIKETHROUGH),
        own_host,
    );
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    sanitiser().clean(&html).to_string()
}

/// The events of a comment with raw HTML turned into text and images into
/// their alt text, before the sanitiser sees anything.
fn safe_events<'a>(parser: Parser<'a>, own_host: Option<&str>) -> Vec<Event<'a>> {
    let mut events = Vec::new();
    let mut in_image = 0usize;
    // For each open link, whether it is kept.
    let mut links: Vec<bool> = Vec::new();
    for event in parser {
        match event {
            // A link to anything but a web address is its text alone (an
            // `<a>` without `href` is not valid HTML).
            Event::Start(Tag::Link { ref dest_url, .. }) if in_image == 0 => {
                let keep = is_web_address(dest_url, own_host);
                links.push(keep);
                if keep {
                    events.push(event);
                }
            }
            Event::End(TagEnd::Link) if in_image == 0 => {
                if links.pop().unwrap_or(false) {
                    events.push(event);
                }
            }
            Event::Start(Tag::Image { .. }) => in_image += 1,
            Event::End(TagEnd::Image) => in_image = in_image.saturating_sub(1),
            // An HTML block is a paragraph of its text.
            Event::Start(Tag::HtmlBlock) => events.push(Event::Start(Tag::Paragraph)),
            Event::End(TagEnd::HtmlBlock) => events.push(Event::End(TagEnd::Paragraph)),
            Event::Html(text) | Event::InlineHtml(text) => events.push(Event::Text(text)),
            // Alt text stays as text; nothing inside an image is markup.
            Event::Text(text) | Event::Code(text) if in_image > 0 => {
                events.push(Event::Text(text));
            }
            _ if in_image > 0 => {}
            other => events.push(other),
        }
    }
    events
}

/// Whether `dest` is an absolute http(s) address of another host than
/// `own_host`, as the sanitiser reads it.
fn is_web_address(dest: &str, own_host: Option<&str>) -> bool {
    url::Url::parse(dest.trim()).is_ok_and(|u| {
        matches!(u.scheme(), "http" | "https")
            && u.host_str()
                .is_some_and(|host| !own_host.is_some_and(|own| own.eq_ignore_ascii_case(host)))
    })
}

/// ammonia, allowing text formatting and http(s) links only.
fn sanitiser() -> ammonia::Builder<'static> {
    let mut builder = ammonia::Builder::empty();
    builder
        .tags(TAGS.iter().copied().collect())
        .clean_content_tags(["script", "style"].into_iter().collect())
        .tag_attributes(
            [("a", ["href"].into_iter().collect::<HashSet<_>>())]
                .into_iter()
                .collect(),
        )
        .url_schemes(["http", "https"].into_iter().collect())
        .url_relative(ammonia::UrlRelative::Deny)
        .link_rel(Some(LINK_REL))
        .strip_comments(true);
    builder
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every element name in `html`.
    fn tags(html: &str) -> Vec<String> {
        html.split('<')
            .skip(1)
            .map(|t| {
                t.trim_start_matches('/')
                    .split(|c: char| !c.is_ascii_alphanumeric())
                    .next()
                    .unwrap_or_default()
                    .to_ascii_lowercase()
            })
            .collect()
    }

    fn assert_only_allowed(input: &str, html: &str) {
        for tag in tags(html) {
            assert!(
                TAGS.contains(&tag.as_str()),
                "{input:?} gave <{tag}>: {html}"
            );
        }
        let lower = html.to_ascii_lowercase();
        for bad in [
            "javascript:",
            "data:",
            "onerror",
            "onclick",
            "onload",
            "src=",
            "style=",
        ] {
            // Shown as text it is harmless; inside a tag it is not.
            for tag in lower.split('<').skip(1) {
                let inside = tag.split('>').next().unwrap_or_default();
                assert!(!inside.contains(bad), "{input:?} kept {bad}: {html}");
            }
        }
    }

    #[test]
    fn hostile_input_keeps_no_markup() {
        let hostile = [
            "<script>alert(1)</script>",
            "<img src=//x onerror=alert(1)>",
            "<iframe src=\"https://tracker.example/\"></iframe>",
            "[klick](javascript:alert(1))",
            "[klick](JaVaScRiPt:alert(1))",
            "[klick](java&#115;cript:alert(1))",
            "[klick](data:text/html;base64,PHNjcmlwdD4=)",
            "![Bild](https://tracker.example/pixel.gif)",
            "![Bild *mit* `code`](https://tracker.example/a.png \"t\")",
            "<a href=\"https://example.org\" onclick=\"x()\">a</a>",
            "<p style=\"background:url(//x)\">p</p>",
            "&lt;script&gt;alert(1)&lt;/script&gt;",
            "<svg><script>alert(1)</script></svg>",
            "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
            "<!-- <script>x</script> -->",
            "<<script>script>alert(1)<</script>/script>",
            "[a](//tracker.example/)",
            "[a](/intern/)",
            "<form action=\"https://x.example/\"><input name=a></form>",
            "<details open ontoggle=alert(1)>",
            "```html\n<script>alert(1)</script>\n```",
            "<https://example.org/?a=<script>>",
            "[a]: javascript:alert(1)\n\n[x][a]",
        ];
        for input in hostile {
            let html = render(input, None);
            assert_only_allowed(input, &html);
            assert!(!html.contains("<script"), "{input:?}: {html}");
        }
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        assert_eq!(
            render("<script>alert(1)</script>", None),
            "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"
        );
        assert_eq!(
            render("Ein <b>fetter</b> Versuch", None),
            "<p>Ein &lt;b&gt;fetter&lt;/b&gt; Versuch</p>\n"
        );
    }

    #[test]
    fn images_become_their_alt_text() {
        assert_eq!(
            render("Sieh: ![ein Pixel](https://tracker.example/p.gif)", None),
            "<p>Sieh: ein Pixel</p>\n"
        );
    }

    #[test]
    fn links_keep_http_and_get_rel() {
        assert_eq!(
            render("[mein Blog](https://example.org/blog)", None),
            "<p><a href=\"https://example.org/blog\" rel=\"nofollow ugc noopener\">mein Blog</a></p>\n"
        );
        assert_eq!(
            render("<https://example.org/>", None),
            "<p><a href=\"https://example.org/\" rel=\"nofollow ugc noopener\">https://example.org/</a></p>\n"
        );
        assert_eq!(render("[x](javascript:alert(1))", None), "<p>x</p>\n");
        assert_eq!(render("[x](/admin/)", None), "<p>x</p>\n");
        assert_eq!(render("[x](mailto:a@example.org)", None), "<p>x</p>\n");
        // The site's own address: text, so that no reader's link can
        // point at a page the site does not have.
        let own = Some("blog.example.org");
        assert_eq!(
            render("[alt](https://BLOG.example.org/?p=12)", own),
            "<p>alt</p>\n"
        );
        assert!(render("[x](https://example.org/)", own).contains("href"));
    }

    #[test]
    fn text_formatting_survives() {
        let html = render(
            "*kursiv* **fett** `code`\n\n> Zitat\n\n- eins\n- zwei\n\n1. a\n",
            None,
        );
        assert_eq!(
            tags(&html)
                .into_iter()
                .filter(|t| !t.is_empty())
                .collect::<Vec<_>>(),
            [
                "p",
                "em",
                "em",
                "strong",
                "strong",
                "code",
                "code",
                "p",
                "blockquote",
                "p",
                "p",
                "blockquote",
                "ul",
                "li",
                "li",
                "li",
                "li",
                "ul",
                "ol",
                "li",
                "li",
                "ol"
            ]
        );
    }
}
