//! Series: posts that an author wrote as parts of one story
//! (`series: Name` in their front matter).
//!
//! A series exists so that readers can go on with it: each part shows its
//! place ("Teil 2 von 4") and links to the others, and the series has a
//! page of its own. Parts are numbered by date, oldest first, equal dates
//! by URL; there is no `series_part:` to override that, because a number
//! written by hand can contradict the dates readers see, and two parts
//! could claim the same number. A series with a single post is still a
//! series (its author announced more): it gets its page and its box.
//! Like tags, a series counts the posts the build publishes: drafts and
//! future posts are parts only in the preview that shows them.

use std::collections::HashMap;

use crate::source::frontmatter;
use crate::source::yaml;
use crate::util::error::Diagnostic;
use crate::util::i18n::{self, Language};
use crate::util::slug::slugify;

use super::Document;

/// One series of posts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Series {
    /// As the first part (newest first) spells it.
    pub name: String,
    pub slug: String,
    /// Indices into `Site::posts`, oldest first (equal dates by URL).
    pub posts: Vec<usize>,
}

impl Series {
    /// The series' page below the site root: `serien/ein-jahr-im-garten/`.
    pub fn path(&self, language: Language) -> String {
        format!("{}{}/", i18n::series_path(language), self.slug)
    }

    /// Which part (1-based) the post at `post` is.
    pub fn part(&self, post: usize) -> Option<usize> {
        self.posts.iter().position(|&p| p == post).map(|i| i + 1)
    }
}

/// The series of `posts` (newest first), sorted by slug, with each post's
/// `series` set; names that cannot have a page of their own (no letters or
/// digits, or sharing a page with another spelling) are problems in
/// `errors`, located at the `series` key of the post that wrote them.
/// Series pages are in the site's `language`.
pub fn collect(
    posts: &mut [Document],
    language: Language,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Series> {
    let mut by_slug: HashMap<String, Series> = HashMap::new();
    for (i, post) in posts.iter().enumerate() {
        let Some(name) = post.front.series.as_deref() else {
            continue;
        };
        let slug = slugify(name);
        if slug.is_empty() {
            errors.push(at_series_key(
                post,
                format!("the series `{name}` has no letters or digits for its page's URL"),
            ));
            continue;
        }
        let series = by_slug.entry(slug.clone()).or_insert_with(|| Series {
            name: name.to_string(),
            slug,
            posts: Vec::new(),
        });
        if series.name != name {
            errors.push(
                at_series_key(
                    post,
                    format!(
                        "the series `{name}` and `{}` would share the page /{}",
                        series.name,
                        series.path(language)
                    ),
                )
                .hint(format!(
                    "write `series: {}` as the other parts do",
                    series.name
                )),
            );
            continue;
        }
        series.posts.push(i);
    }
    let mut all: Vec<Series> = by_slug.into_values().collect();
    all.sort_by(|a, b| a.slug.cmp(&b.slug));
    for (s, series) in all.iter_mut().enumerate() {
        // Newest first → oldest first; equal dates by URL.
        series.posts.sort_by(|&a, &b| {
            let (a, b) = (&posts[a], &posts[b]);
            a.date.cmp(&b.date).then_with(|| a.path.cmp(&b.path))
        });
        for &p in &series.posts {
            posts[p].series = Some(s);
        }
    }
    all
}

/// `message` at the `series` key of `post`'s front matter.
fn at_series_key(post: &Document, message: String) -> Diagnostic {
    let path = post.source.display_path();
    match frontmatter::split(&path, &post.text) {
        Ok(split) => yaml::key_diagnostic(&path, split.yaml, "series", split.yaml_shift, message),
        Err(_) => Diagnostic::file(path, message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::tests::post_with;

    fn names(series: &[Series], posts: &[Document]) -> Vec<(String, Vec<String>)> {
        series
            .iter()
            .map(|s| {
                let parts = s.posts.iter().map(|&p| posts[p].path.clone()).collect();
                (s.name.clone(), parts)
            })
            .collect()
    }

    #[test]
    fn parts_are_ordered_by_date_then_url() {
        // Newest first, as the site orders posts.
        let mut posts = vec![
            post_with("d", "2024-04-01", &[], Some("Garten")),
            post_with("b", "2024-02-01", &[], Some("Garten")),
            post_with("c", "2024-02-01", &[], Some("Garten")),
            post_with("x", "2024-01-15", &[], None),
            post_with("a", "2024-01-01", &[], Some("Garten")),
            post_with("e", "2023-01-01", &[], Some("Über Bücher")),
        ];
        let mut errors = Vec::new();
        let series = collect(&mut posts, Language::De, &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            names(&series, &posts),
            [
                (
                    "Garten".to_string(),
                    vec!["a/".into(), "b/".into(), "c/".into(), "d/".into()]
                ),
                ("Über Bücher".to_string(), vec!["e/".into()]),
            ]
        );
        assert_eq!(series[1].slug, "ueber-buecher");
        assert_eq!(series[1].path(Language::De), "serien/ueber-buecher/");
        assert_eq!(series[0].path(Language::En), "series/garten/");
        assert_eq!(posts[2].series, Some(0));
        assert_eq!(series[0].part(2), Some(3));
        assert_eq!(posts[3].series, None);
        assert_eq!(posts[5].series, Some(1));
    }

    #[test]
    fn names_sharing_a_page_are_refused_where_written() {
        let mut posts = vec![
            post_with("b", "2024-02-01", &[], Some("Über Bücher")),
            post_with("a", "2024-01-01", &[], Some("Ueber Buecher")),
            post_with("c", "2023-01-01", &[], Some("!!")),
        ];
        let mut errors = Vec::new();
        let series = collect(&mut posts, Language::De, &mut errors);
        assert_eq!(series.len(), 1);
        assert_eq!(series[0].posts, [0]);
        let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(shown.len(), 2, "{shown:?}");
        assert!(
            shown[0].contains("the series `Ueber Buecher` and `Über Bücher` would share the page /serien/ueber-buecher/"),
            "{shown:?}"
        );
        assert!(shown[0].contains("content/posts/a.md:3:9"), "{shown:?}");
        assert!(
            shown[1].contains("`!!` has no letters or digits"),
            "{shown:?}"
        );
    }
}
