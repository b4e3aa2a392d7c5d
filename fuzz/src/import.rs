//! What the import targets ask of converted text: echt's Markdown renderer
//! makes it HTML (as the post `content/posts/a.md`, with the old site's
//! post and page in place), and no `<script` element may be in that HTML:
//! a script in an imported post only ever appears escaped, as code or
//! text.

use std::collections::HashMap;
use std::path::Path;

use echt::markdown::{self, Input, Links};
use echt::util::i18n::Language;

/// The converted text through echt's Markdown renderer, lower-cased;
/// empty when echt refuses it (a broken link).
pub fn rendered(text: &str) -> String {
    let map = HashMap::from([
        ("about.md".to_string(), "about/".to_string()),
        ("posts/2014-07-07-a.md".to_string(), "posts/a/".to_string()),
        ("posts/a/beet.jpg".to_string(), "posts/a/beet.jpg".to_string()),
    ]);
    let links = Links::new(&map);
    let source = format!("---\ntitle: t\n---\n{text}");
    let input = Input {
        path: Path::new("content/posts/a.md"),
        source: &source,
        body_offset: 16,
        page_path: "posts/a/",
        source_dir: "posts",
        links: &links,
        language: Language::De,
        heading_ids: echt::source::config::HeadingIds::Kramdown,
    };
    markdown::render(&input)
        .map(|r| r.html.to_ascii_lowercase())
        .unwrap_or_default()
}

/// Whether lower-cased HTML has a `<script` element start.
pub fn has_script(html: &str) -> bool {
    html.match_indices("<script").any(|(at, _)| {
        html[at + 7..]
            .chars()
            .next()
            .is_none_or(|c| c.is_ascii_whitespace() || c == '>' || c == '/')
    })
}
