//! Related posts: for each post, the few others that share its rarest
//! tags, computed at build time, so readers find more without a
//! recommendation service watching them.
//!
//! **Score.** A post `q` is related to `p` by the sum, over the tags they
//! share, of each tag's weight `w(t) = ln(1 + N / df(t))`, where `N` is
//! the number of posts and `df(t)` the number of posts with tag `t`: a
//! tag on few posts says much about them, one on every post little (its
//! weight falls towards ln 2, never to zero, so on a small blog a tag that
//! most posts carry still relates them). Weights are fixed-point integers
//! (2^16 per unit), so sums are exact and the same in every order, on
//! every machine. Posts that share no tag are not related: the list can
//! be shorter than `related.count`, or empty. Excluded are the post itself
//! and the other parts of its series, which the series box links already.
//! **Ties** go to the newer post, then to the smaller URL: the order of
//! `Site::posts`, so the smaller index wins.
//!
//! **Time.** Each post walks only the posting lists of its own tags, and
//! of each at most [`WINDOW`] entries: the posts nearest to it in time
//! (posting lists are in date order). A tag on no more than `WINDOW`
//! posts is walked whole, so the result is exact for them; a tag on more
//! is so common that its weight is low, and only its posts close in time
//! are candidates through it (they can still be found through a rarer
//! tag). The work is thus at most posts × tags per post × `WINDOW`, linear
//! in the number of posts, and the top `count` are kept in a bounded
//! list. Posts are computed in parallel, each into its own result.

use rayon::prelude::*;

use super::{Document, Tag};

/// How many posts of one tag a post looks at, at most: those nearest to
/// it in time.
pub const WINDOW: usize = 400;

/// Fixed-point unit of a weight.
const UNIT: f64 = 65536.0;

/// For each post of `posts` (newest first, with their `tags` and `series`
/// set), the indices of at most `count` related posts, best first.
pub fn related(posts: &[Document], tags: &[Tag], count: usize) -> Vec<Vec<usize>> {
    if count == 0 {
        return vec![Vec::new(); posts.len()];
    }
    let weights = weights(posts.len(), tags);
    // Read for every candidate: a dense list, not a field of each
    // document scattered over memory (that made the stage ten times
    // slower at 10,000 posts).
    let series: Vec<Option<usize>> = posts.iter().map(|p| p.series).collect();
    let around = Around {
        posts,
        tags,
        weights: &weights,
        series: &series,
    };
    (0..posts.len())
        .into_par_iter()
        .map_init(
            || Scores::new(posts.len()),
            |scores, p| scores.top(&around, p, count),
        )
        .collect()
}

/// Each tag's weight, `ln(1 + N / df)` in units of 1/65536.
fn weights(posts: usize, tags: &[Tag]) -> Vec<u64> {
    tags.iter()
        .map(|tag| {
            let df = tag.posts.len().max(1) as f64;
            // At most ln(1 + 2^64), far below what overflows a sum.
            ((1.0 + posts as f64 / df).ln() * UNIT).round() as u64
        })
        .collect()
}

/// What every post's list is computed from.
struct Around<'a> {
    posts: &'a [Document],
    tags: &'a [Tag],
    weights: &'a [u64],
    /// Each post's series.
    series: &'a [Option<usize>],
}

/// A post's candidates and their scores, kept between posts of one thread
/// so that each post costs what it touches, not the size of the site.
struct Scores {
    score: Vec<u64>,
    touched: Vec<usize>,
}

impl Scores {
    fn new(posts: usize) -> Self {
        Scores {
            score: vec![0; posts],
            touched: Vec::new(),
        }
    }

    /// The best `count` posts related to post `p`.
    fn top(&mut self, around: &Around<'_>, p: usize, count: usize) -> Vec<usize> {
        let own = around.series[p];
        for &t in &around.posts[p].tags {
            let weight = around.weights[t];
            for &q in near(&around.tags[t].posts, p) {
                if q == p || (own.is_some() && around.series[q] == own) {
                    continue;
                }
                if self.score[q] == 0 {
                    self.touched.push(q);
                }
                self.score[q] += weight;
            }
        }
        let mut best: Vec<(u64, usize)> = Vec::with_capacity(count + 1);
        for q in self.touched.drain(..) {
            let candidate = (std::mem::take(&mut self.score[q]), q);
            // Higher score first, then the smaller index (newer, then URL).
            let at = best.partition_point(|&(s, i)| {
                (s, std::cmp::Reverse(i)) > (candidate.0, std::cmp::Reverse(q))
            });
            if at < count {
                best.insert(at, candidate);
                best.truncate(count);
            }
        }
        best.into_iter().map(|(_, q)| q).collect()
    }
}

/// The at most [`WINDOW`] entries of `list` (ascending post indices)
/// nearest to post `p`: a window around where `p` is (or would be).
fn near(list: &[usize], p: usize) -> &[usize] {
    if list.len() <= WINDOW {
        return list;
    }
    let at = list.partition_point(|&q| q < p);
    let start = at.saturating_sub(WINDOW / 2).min(list.len() - WINDOW);
    &list[start..start + WINDOW]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::tests::post_with;

    /// Posts (newest first, one day apart) with their tags and series set
    /// as a load sets them.
    fn site(posts: &[(&str, &[&str], Option<&str>)]) -> (Vec<Document>, Vec<Tag>) {
        let (mut docs, tags) = site_dated(posts);
        let mut errors = Vec::new();
        crate::site::series::collect(&mut docs, crate::util::i18n::Language::De, &mut errors);
        assert!(errors.is_empty());
        (docs, tags)
    }

    fn named(posts: &[Document], related: &[usize]) -> Vec<String> {
        related
            .iter()
            .map(|&q| posts[q].path.trim_end_matches('/').to_string())
            .collect()
    }

    #[test]
    fn rare_shared_tags_weigh_more_than_common_ones() {
        let (posts, tags) = site(&[
            ("a", &["garten", "tomaten"], None),
            ("b", &["garten"], None),
            ("c", &["garten"], None),
            ("d", &["tomaten"], None),
            ("e", &["garten"], None),
            ("f", &["reisen"], None),
        ]);
        let related = related(&posts, &tags, 3);
        // `tomaten` (2 posts) outweighs `garten` (4 posts); the three
        // `garten` posts tie, and the newer go first.
        assert_eq!(named(&posts, &related[0]), ["d", "b", "c"]);
        assert_eq!(named(&posts, &related[3]), ["a"]);
        // No shared tag, no filler.
        assert!(related[5].is_empty());
        let w = weights(6, &tags);
        let garten = tags.iter().position(|t| t.name == "garten").unwrap_or(0);
        let tomaten = tags.iter().position(|t| t.name == "tomaten").unwrap_or(0);
        assert_eq!(w[garten], ((1.0f64 + 6.0 / 4.0).ln() * UNIT).round() as u64);
        assert!(w[tomaten] > w[garten]);
    }

    #[test]
    fn two_shared_tags_beat_one_and_ties_go_to_the_newer_then_the_url() {
        let (posts, tags) = site(&[
            ("a", &["x", "y"], None),
            ("c", &["x"], None),
            ("b", &["x"], None),
            ("d", &["x", "y"], None),
            ("z", &["x"], None),
        ]);
        let related = related(&posts, &tags, 2);
        assert_eq!(named(&posts, &related[0]), ["d", "c"]);
        // Same date: the smaller URL first.
        let (same, tags) = {
            let mut docs = vec![
                post_with("n", "2024-01-02", &["x"], None),
                post_with("m", "2024-01-01", &["x"], None),
                post_with("l", "2024-01-01", &["x"], None),
            ];
            crate::site::order(&mut docs, &mut []);
            let (tags, _) = crate::site::collect_tags(&mut docs);
            (docs, tags)
        };
        assert_eq!(named(&same, &related_of(&same, &tags, 0)), ["l", "m"]);
    }

    fn related_of(posts: &[Document], tags: &[Tag], p: usize) -> Vec<usize> {
        related(posts, tags, 5).swap_remove(p)
    }

    #[test]
    fn a_series_does_not_relate_its_own_parts() {
        let (posts, tags) = site(&[
            ("a", &["garten"], Some("Jahr")),
            ("b", &["garten"], Some("Jahr")),
            ("c", &["garten"], None),
        ]);
        let related = related(&posts, &tags, 3);
        assert_eq!(named(&posts, &related[0]), ["c"]);
        assert_eq!(named(&posts, &related[2]), ["a", "b"]);
    }

    #[test]
    fn count_zero_is_off_and_count_bounds_the_list() {
        let (posts, tags) = site(&[
            ("a", &["x"], None),
            ("b", &["x"], None),
            ("c", &["x"], None),
            ("d", &["x"], None),
        ]);
        assert!(related(&posts, &tags, 0).iter().all(Vec::is_empty));
        assert_eq!(named(&posts, &related(&posts, &tags, 1)[3]), ["a"]);
        assert_eq!(related(&posts, &tags, 10)[3].len(), 3);
    }

    #[test]
    fn the_same_posts_give_the_same_lists() {
        let names: Vec<String> = (0..60).map(|i| format!("p{i:02}")).collect();
        let all_tags = ["a", "b", "c", "d", "e", "f", "g"];
        let spec: Vec<(&str, Vec<&str>)> = names
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let tags = (0..3)
                    .map(|k| all_tags[(i * (k + 2) + k) % all_tags.len()])
                    .collect();
                (n.as_str(), tags)
            })
            .collect();
        let args: Vec<(&str, &[&str], Option<&str>)> =
            spec.iter().map(|(n, t)| (*n, t.as_slice(), None)).collect();
        let (posts, tags) = site(&args);
        let first = related(&posts, &tags, 3);
        for _ in 0..5 {
            assert_eq!(related(&posts, &tags, 3), first);
        }
        // Every list is best first.
        let w = weights(posts.len(), &tags);
        let score = |p: usize, q: usize| -> u64 {
            posts[p]
                .tags
                .iter()
                .filter(|t| posts[q].tags.contains(t))
                .map(|&t| w[t])
                .sum()
        };
        for (p, list) in first.iter().enumerate() {
            let scores: Vec<u64> = list.iter().map(|&q| score(p, q)).collect();
            assert!(scores.windows(2).all(|s| s[0] >= s[1]), "{p}: {scores:?}");
            assert!(!list.contains(&p));
        }
    }

    #[test]
    fn a_common_tag_is_walked_only_near_the_post() {
        let list: Vec<usize> = (0..10 * WINDOW).map(|i| i * 2).collect();
        let window = near(&list, 2 * 5 * WINDOW);
        assert_eq!(window.len(), WINDOW);
        assert!(window.contains(&(2 * 5 * WINDOW)));
        assert_eq!(window[0], 2 * (5 * WINDOW - WINDOW / 2));
        // At either end the window stays full.
        assert_eq!(near(&list, 0), &list[..WINDOW]);
        assert_eq!(near(&list, usize::MAX), &list[list.len() - WINDOW..]);
        let short: Vec<usize> = (0..WINDOW).collect();
        assert_eq!(near(&short, 3), &short[..]);
        // A site whose one tag is on every post still finds the nearest.
        let names: Vec<String> = (0..WINDOW + 100).map(|i| format!("p{i:04}")).collect();
        let args: Vec<(&str, &[&str], Option<&str>)> = names
            .iter()
            .map(|n| (n.as_str(), &["x"][..], None))
            .collect();
        let (posts, tags) = site_dated(&args);
        let related = related(&posts, &tags, 2);
        // All tie; the newest of the window win, not the newest of all
        // (0 and 1), which are too far away in time.
        assert_eq!(related[WINDOW + 99], [100, 101]);
        assert_eq!(related[0], [1, 2]);
    }

    /// Posts (newest first, one day apart) with their tags set.
    fn site_dated(posts: &[(&str, &[&str], Option<&str>)]) -> (Vec<Document>, Vec<Tag>) {
        let start = chrono::NaiveDate::from_ymd_opt(2030, 1, 1).unwrap();
        let mut docs: Vec<Document> = posts
            .iter()
            .enumerate()
            .map(|(i, (name, tags, series))| {
                let day = start - chrono::Days::new(i as u64);
                post_with(name, &day.to_string(), tags, *series)
            })
            .collect();
        let (tags, problems) = crate::site::collect_tags(&mut docs);
        assert!(problems.is_empty());
        (docs, tags)
    }
}
