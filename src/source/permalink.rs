//! Permalink patterns: where a post's page goes.
//!
//! A blog that moves keeps its URLs only if echt can place each post where
//! the old generator did: `/2014/07/07/some-title.html` as well as
//! `/posts/some-title/`. A pattern (`permalink:` in echt.yaml, or in a
//! document's front matter) is checked once, when it is read, and expanded
//! for each document from its date, slug, file name and categories. The
//! placeholders and the named styles are Jekyll's, so an imported blog's
//! pattern can be kept as it was written.

use chrono::{DateTime, Datelike, FixedOffset};
use serde::{Deserialize, Serialize};

/// echt's own pattern, used when echt.yaml sets none.
pub const DEFAULT: &str = "/posts/:slug/";

/// Jekyll's named styles and the patterns they stand for.
const STYLES: [(&str, &str); 4] = [
    ("date", "/:categories/:year/:month/:day/:title.html"),
    ("pretty", "/:categories/:year/:month/:day/:title/"),
    ("ordinal", "/:categories/:year/:y_day/:title.html"),
    ("none", "/:categories/:title.html"),
];

/// The hint for every pattern problem.
pub const HINT: &str = "write e.g. `/posts/:slug/`, `/:year/:month/:day/:title.html` or one of date, pretty, ordinal, none";

/// A checked pattern.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Permalink {
    parts: Vec<Part>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
enum Placeholder {
    Year,
    Month,
    Day,
    IMonth,
    IDay,
    YDay,
    Slug,
    Title,
    Categories,
}

const PLACEHOLDERS: [(&str, Placeholder); 9] = [
    ("year", Placeholder::Year),
    ("month", Placeholder::Month),
    ("day", Placeholder::Day),
    ("i_month", Placeholder::IMonth),
    ("i_day", Placeholder::IDay),
    ("y_day", Placeholder::YDay),
    ("slug", Placeholder::Slug),
    ("title", Placeholder::Title),
    ("categories", Placeholder::Categories),
];

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
enum Part {
    Text(String),
    Value(Placeholder),
}

/// What a pattern is expanded with, for one document.
#[derive(Debug, Clone, Copy)]
pub struct Values<'a> {
    pub date: Option<DateTime<FixedOffset>>,
    /// echt's slug: `slug:` or the file name, made lowercase ASCII.
    pub slug: &'a str,
    /// `slug:` or the file name (without its date), as written.
    pub name: &'a str,
    pub categories: &'a [String],
}

impl Permalink {
    /// Reads a pattern or a named style; Err says what is wrong.
    pub fn parse(written: &str) -> Result<Permalink, String> {
        let written = written.trim();
        let pattern = STYLES
            .iter()
            .find(|(name, _)| *name == written)
            .map_or(written, |(_, pattern)| pattern);
        if !(pattern.ends_with('/') || pattern.ends_with(".html")) {
            return Err(format!(
                "the permalink `{written}` ends in neither `/` (a folder) nor `.html` (a file)"
            ));
        }
        if let Some(bad) = pattern.chars().find(|c| !allowed_in_pattern(*c)) {
            let shown = if bad.is_whitespace() {
                "a space".to_string()
            } else {
                format!("`{}`", bad.escape_default())
            };
            return Err(format!(
                "the permalink `{written}` has {shown}, which a URL path cannot hold as it is"
            ));
        }
        let parts = parts(pattern)?;
        let literal_dots = parts.iter().any(|part| match part {
            Part::Text(text) => text.split('/').any(|s| s == "." || s == ".."),
            Part::Value(_) => false,
        });
        if literal_dots {
            return Err(format!(
                "the permalink `{written}` has a `.` or `..` folder"
            ));
        }
        Ok(Permalink { parts })
    }

    /// Whether expanding needs a date.
    pub fn needs_date(&self) -> bool {
        self.parts.iter().any(|part| {
            matches!(
                part,
                Part::Value(
                    Placeholder::Year
                        | Placeholder::Month
                        | Placeholder::Day
                        | Placeholder::IMonth
                        | Placeholder::IDay
                        | Placeholder::YDay
                )
            )
        })
    }

    /// The document's path below the site root: `posts/a/` (a folder,
    /// whose page is its index.html) or `2014/07/07/a.html` (a file).
    /// The folder of empty `:categories` disappears; an empty name stays
    /// an empty segment (`posts//`), which the site refuses as nameless.
    pub fn expand(&self, values: &Values<'_>) -> String {
        let mut url = String::new();
        let mut no_folder = false;
        for part in &self.parts {
            match part {
                Part::Text(text) if no_folder && url.ends_with('/') => {
                    url.push_str(text.strip_prefix('/').unwrap_or(text));
                }
                Part::Text(text) => url.push_str(text),
                Part::Value(placeholder) => push_value(&mut url, *placeholder, values),
            }
            no_folder =
                *part == Part::Value(Placeholder::Categories) && values.categories.is_empty();
        }
        match url.strip_prefix('/') {
            Some(path) => path.to_string(),
            None => url,
        }
    }
}

impl Default for Permalink {
    fn default() -> Self {
        Permalink {
            parts: vec![
                Part::Text("/posts/".to_string()),
                Part::Value(Placeholder::Slug),
                Part::Text("/".to_string()),
            ],
        }
    }
}

/// Characters a pattern may hold: those a URL path can carry as they are
/// (letters of any script included), so that a document's path is also
/// its file's path. `%`, `?` and `#` would make the two differ.
fn allowed_in_pattern(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || "/-._~!$&'()*+,;=:@".contains(c)
    } else {
        !c.is_whitespace() && !c.is_control()
    }
}

/// The pattern split into text and placeholders. A name is read as far as
/// it goes (`[a-z_]`); an unknown name ending in `_` gives its `_` back, so
/// `:month_:day` works as in Jekyll.
fn parts(pattern: &str) -> Result<Vec<Part>, String> {
    let mut parts = Vec::new();
    let mut text = String::new();
    let mut rest = pattern;
    while let Some(colon) = rest.find(':') {
        text.push_str(&rest[..colon]);
        let after = &rest[colon + 1..];
        let len = after
            .find(|c: char| !(c.is_ascii_lowercase() || c == '_'))
            .unwrap_or(after.len());
        let mut name = &after[..len];
        let found = loop {
            if let Some((_, p)) = PLACEHOLDERS.iter().find(|(n, _)| *n == name) {
                break Some(*p);
            }
            match name.strip_suffix('_') {
                Some(shorter) => name = shorter,
                None => break None,
            }
        };
        match found {
            Some(placeholder) => {
                if !text.is_empty() {
                    parts.push(Part::Text(std::mem::take(&mut text)));
                }
                parts.push(Part::Value(placeholder));
                rest = &after[name.len()..];
            }
            None if name.is_empty() => {
                text.push(':');
                rest = after;
            }
            None => {
                let known: Vec<String> =
                    PLACEHOLDERS.iter().map(|(n, _)| format!(":{n}")).collect();
                return Err(format!(
                    "the permalink has `:{name}`, which echt does not know (it knows {})",
                    known.join(", ")
                ));
            }
        }
    }
    text.push_str(rest);
    if !text.is_empty() {
        parts.push(Part::Text(text));
    }
    Ok(parts)
}

fn push_value(url: &mut String, placeholder: Placeholder, values: &Values<'_>) {
    use std::fmt::Write;
    let date = values.date;
    // Writing to a String cannot fail.
    let _ = match (placeholder, date) {
        (Placeholder::Year, Some(d)) => write!(url, "{:04}", d.year()),
        (Placeholder::Month, Some(d)) => write!(url, "{:02}", d.month()),
        (Placeholder::Day, Some(d)) => write!(url, "{:02}", d.day()),
        (Placeholder::IMonth, Some(d)) => write!(url, "{}", d.month()),
        (Placeholder::IDay, Some(d)) => write!(url, "{}", d.day()),
        (Placeholder::YDay, Some(d)) => write!(url, "{:03}", d.ordinal()),
        (Placeholder::Slug, _) => write!(url, "{}", values.slug),
        (Placeholder::Title, _) => write!(url, "{}", title(values.name)),
        (Placeholder::Categories, _) => write!(url, "{}", categories(values.categories)),
        // A pattern with a date is refused for documents without one
        // before it is expanded.
        (_, None) => Ok(()),
    };
}

/// `:title`: the name with every run of characters other than letters,
/// marks, digits and `._~!$&'()+,;=@` made one hyphen, one hyphen trimmed
/// at each end, case kept. This is Jekyll's "pretty" slug, so that old
/// URLs can be kept.
pub fn title(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut run = false;
    for c in name.chars() {
        if keeps(c) {
            if run {
                out.push('-');
                run = false;
            }
            out.push(c);
        } else {
            run = true;
        }
    }
    if run {
        out.push('-');
    }
    let out = out.strip_prefix('-').unwrap_or(&out);
    out.strip_suffix('-').unwrap_or(out).to_string()
}

/// Whether `:title` keeps `c` as it is.
fn keeps(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || "._~!$&'()+,;=@".contains(c)
    } else {
        crate::util::text::is_letter_mark_or_digit(c)
    }
}

/// `:categories`: each category in lower case, one folder each (`a/b` is
/// two); characters a URL path cannot hold as they are become hyphens.
fn categories(categories: &[String]) -> String {
    let mut seen: Vec<String> = Vec::new();
    for category in categories {
        let lower: String = category
            .chars()
            .flat_map(char::to_lowercase)
            .map(|c| {
                if allowed_in_pattern(c) && c != ':' {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        if !seen.contains(&lower) {
            seen.push(lower);
        }
    }
    seen.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, m: u32, d: u32) -> Option<DateTime<FixedOffset>> {
        FixedOffset::east_opt(3600).and_then(|tz| tz.with_ymd_and_hms(y, m, d, 9, 30, 0).single())
    }

    fn expand(pattern: &str, name: &str, categories: &[&str]) -> String {
        let categories: Vec<String> = categories.iter().map(ToString::to_string).collect();
        let values = Values {
            date: at(2014, 7, 7),
            slug: &crate::util::slug::slugify(name),
            name,
            categories: &categories,
        };
        match Permalink::parse(pattern) {
            Ok(p) => p.expand(&values),
            Err(e) => format!("error: {e}"),
        }
    }

    #[test]
    fn named_styles_as_jekyll_writes_them() {
        assert_eq!(
            expand("date", "some-title", &[]),
            "2014/07/07/some-title.html"
        );
        assert_eq!(
            expand("pretty", "some-title", &[]),
            "2014/07/07/some-title/"
        );
        assert_eq!(
            expand("ordinal", "some-title", &[]),
            "2014/188/some-title.html"
        );
        assert_eq!(expand("none", "some-title", &[]), "some-title.html");
        assert_eq!(
            expand("date", "x", &["Release", "news"]),
            "release/news/2014/07/07/x.html"
        );
    }

    #[test]
    fn the_default_is_echts_own() {
        assert_eq!(expand(DEFAULT, "Über Größe", &[]), "posts/ueber-groesse/");
        let default = Permalink::default();
        assert_eq!(Permalink::parse(DEFAULT), Ok(default));
    }

    #[test]
    fn every_placeholder() {
        assert_eq!(
            expand("/:year/:i_month/:i_day/:slug/", "x", &[]),
            "2014/7/7/x/"
        );
        assert_eq!(expand("/:month_:day/:title/", "x", &[]), "07_07/x/");
        assert_eq!(
            expand("/blog/:y_day-:title.html", "x", &[]),
            "blog/188-x.html"
        );
    }

    #[test]
    fn titles_keep_case_and_letters_like_jekyll() {
        // From Jekyll 4.3's `slugify(mode: "pretty", cased: true)`.
        for (name, want) in [
            ("Über Größe & Maß", "Über-Größe-&-Maß"),
            ("What changed?", "What-changed"),
            ("Straße & Co. – Grüße!", "Straße-&-Co.-Grüße!"),
            ("🎉 Party time", "Party-time"),
            ("The _config.yml file", "The-_config.yml-file"),
            ("C++ / C# (Vergleich)", "C++-C-(Vergleich)"),
            ("version-1.2.3", "version-1.2.3"),
            ("a--b__c", "a-b__c"),
            (
                "with space and (parens) & amp's",
                "with-space-and-(parens)-&-amp's",
            ),
            ("UPPER_under_score", "UPPER_under_score"),
        ] {
            assert_eq!(title(name), want, "{name}");
        }
    }

    #[test]
    fn categories_are_lower_case_folders() {
        assert_eq!(
            expand("/:categories/:title/", "x", &["Ruby", "C++", "a/b", "ruby"]),
            "ruby/c++/a/b/x/"
        );
        assert_eq!(
            expand("/:categories/:title/", "x", &["Release Notes"]),
            "release-notes/x/"
        );
        assert_eq!(
            expand("/:categories/:title/", "x", &["c#", "100%", "was?"]),
            "c-/100-/was-/x/"
        );
    }

    #[test]
    fn bad_patterns_are_refused() {
        for (pattern, part) in [
            ("/:year/:slug", "ends in neither"),
            ("/:yaer/:slug/", "`:yaer`"),
            ("/a b/:slug/", "a space"),
            ("/:slug?x/", "`?`"),
            ("/../:slug/", "`..`"),
            ("/%C3%BC/:slug/", "`%`"),
        ] {
            let got = Permalink::parse(pattern).err().unwrap_or_default();
            assert!(got.contains(part), "{pattern}: {got}");
        }
    }

    #[test]
    fn dates_are_needed_only_by_date_placeholders() {
        let needs = |p: &str| Permalink::parse(p).map(|p| p.needs_date());
        assert_eq!(needs("date"), Ok(true));
        assert_eq!(needs("/:categories/:title/"), Ok(false));
        assert_eq!(needs(DEFAULT), Ok(false));
    }
}
