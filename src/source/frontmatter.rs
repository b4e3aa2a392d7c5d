//! Front matter: the YAML block between `---` lines at the top of a post.
//!
//! Parsing is lenient where authors are (Jekyll dates without a colon in the
//! offset, tags as a list or a comma-separated string, scalars for strings)
//! and strict where mistakes would be silent (an empty title, a date that is
//! not a date, a wrongly typed field). Every problem is reported at the line
//! of its key, all of them at once. Unknown keys reach templates as `extra`.

use std::path::Path;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use serde_yaml::Value;

use crate::source::yaml;
use crate::util::error::Diagnostic;
use crate::util::i18n::Language;

/// A Markdown file cut into its front matter and body.
#[derive(Debug)]
pub struct Split<'a> {
    pub yaml: &'a str,
    /// Lines before the YAML text (the opening `---`).
    pub yaml_shift: usize,
    pub body: &'a str,
    /// Byte offset and line count of the body within the file.
    pub body_offset: usize,
    pub body_shift: usize,
}

/// Cuts `source` at its `---` fences.
pub fn split<'a>(path: &Path, source: &'a str) -> Result<Split<'a>, Diagnostic> {
    let first_line_end = source.find('\n').unwrap_or(source.len());
    // Classic Mac files end lines with a lone CR: to everything that reads
    // lines by LF (here, and the positions in messages) the whole file is
    // one line. CRLF (also mixed with LF) is fine.
    if let Some(cr) = source[..first_line_end].find('\r') {
        if source.as_bytes().get(cr + 1) != Some(&b'\n') {
            let first_line = &source[..cr];
            return Err(Diagnostic::at(
                path,
                first_line,
                1,
                first_line.chars().count() + 1,
                "the file uses CR-only line endings",
            )
            .hint("save the file with LF (or CRLF) line endings; editors call this \"line endings\" or \"end of line sequence\" (choose LF, Unix)"));
        }
    }
    if source[..first_line_end].trim_end() != "---" {
        return Err(Diagnostic::at(
            path,
            source,
            1,
            1,
            "the file does not start with front matter",
        )
        .hint("begin the file with a line `---`, then `title: ...` and `date: ...`, then `---`"));
    }
    let yaml_start = (first_line_end + 1).min(source.len());
    let mut offset = yaml_start;
    for (line, l) in (2..).zip(source[yaml_start..].split_inclusive('\n')) {
        let fence = l.trim_end();
        if fence == "---" || fence == "..." {
            let body_offset = offset + l.len();
            return Ok(Split {
                yaml: &source[yaml_start..offset],
                yaml_shift: 1,
                body: &source[body_offset..],
                body_offset,
                body_shift: line,
            });
        }
        offset += l.len();
    }
    Err(Diagnostic::at(path, source, 1, 1, "the front matter is never closed").width(3).hint(
        "add a line `---` after the last front matter line; did you forget the closing `---`?",
    ))
}

/// Who wrote a post, when it is not the site's author.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Author {
    pub name: String,
    pub url: Option<String>,
}

/// The checked front matter of one file.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct FrontMatter {
    pub title: String,
    pub date: Option<DateTime<FixedOffset>>,
    pub updated: Option<DateTime<FixedOffset>>,
    pub tags: Vec<String>,
    pub categories: Vec<String>,
    pub draft: bool,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub slug: Option<String>,
    pub aliases: Vec<String>,
    pub author: Option<Author>,
    pub image: Option<String>,
    pub image_alt: Option<String>,
    pub image_credit: Option<String>,
    pub lang: Option<Language>,
    /// For pages: `main` (header navigation) or `footer`.
    pub menu: Option<String>,
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// The fields that hold text (or lists of text): a number or true/false
/// written there is kept as written. Other keys go to templates as `extra`,
/// with YAML's types.
const TEXT_KEYS: &[&str] = &[
    "title",
    "description",
    "summary",
    "slug",
    "image",
    "image_alt",
    "image_credit",
    "menu",
    "lang",
    "date",
    "updated",
    "author",
    "tags",
    "categories",
    "aliases",
];

/// The hint shown for every date problem.
pub const DATE_HINT: &str =
    "write dates as 2024-03-11, 2024-03-11T09:30:00+01:00 or \"2024-03-11 09:30:00 +0100\"";

/// Parses the YAML of `split`, reporting every problem.
pub fn parse(path: &Path, split: &Split<'_>) -> Result<FrontMatter, Vec<Diagnostic>> {
    let shift = split.yaml_shift;
    let value: Value = yaml::parse(path, split.yaml, shift).map_err(|d| vec![d])?;
    let mut errors = yaml::escaped_controls(path, split.yaml, &value, shift);
    // Text fields keep what the author wrote, even where YAML reads a
    // number or true/false (`title: 3.10`, `tags: [2024]`).
    let is_text = |key: &Value, v: &Value| {
        key.as_str().is_some_and(|k| TEXT_KEYS.contains(&k)) && yaml::has_number_or_bool(v)
    };
    let written = match &value {
        Value::Mapping(map) if map.iter().any(|(k, v)| is_text(k, v)) => {
            yaml::written(split.yaml, &value)
        }
        _ => None,
    };
    let map = match value {
        Value::Mapping(map) => map,
        Value::Null => serde_yaml::Mapping::new(),
        _ => {
            return Err(vec![Diagnostic::at(
                path,
                split.yaml,
                1,
                1,
                "front matter must be a list of `key: value` lines",
            )
            .shifted(shift)
            .hint("write e.g. `title: Mein Beitrag` on its own line")])
        }
    };

    let mut fm = FrontMatter::default();
    let mut title = None;
    for (key_value, value) in &map {
        let Some(key) = yaml::scalar_string(key_value) else {
            continue;
        };
        let at = |message: String| yaml::key_diagnostic(path, split.yaml, &key, shift, message);
        let value = if is_text(key_value, value) {
            match written
                .as_ref()
                .and_then(Value::as_mapping)
                .and_then(|w| w.get(key_value))
            {
                Some(written) => written,
                None => {
                    // Not expected: the second reading of the same text
                    // failed. Better refuse than publish 3.1 for 3.10.
                    errors.push(
                        at(format!("`{key}` reads as a number or true/false in YAML")).hint(
                            format!("put it in quotes to keep it as written, e.g. {key}: \"3.10\""),
                        ),
                    );
                    continue;
                }
            }
        } else {
            value
        };
        let text = |errors: &mut Vec<Diagnostic>| -> Option<String> {
            match value {
                Value::Null => None,
                v => match yaml::scalar_string(v) {
                    Some(s) => Some(s),
                    None => {
                        errors.push(at(format!("`{key}` must be text, not a list or map")));
                        None
                    }
                },
            }
        };
        match key.as_str() {
            "title" => title = Some(text(&mut errors).unwrap_or_default()),
            "date" | "updated" => {
                let parsed = match value {
                    Value::Null => None,
                    v => {
                        let written = yaml::scalar_string(v);
                        match written.as_deref().map(parse_date) {
                            Some(Ok(d)) => Some(d),
                            Some(Err(DateProblem::OutOfRange)) => {
                                let shown = written.unwrap_or_default();
                                errors.push(at(out_of_range(&shown, &key)).hint(RANGE_HINT));
                                None
                            }
                            Some(Err(DateProblem::Invalid)) | None => {
                                let shown = written.unwrap_or_else(|| "…".into());
                                errors.push(
                                    at(format!("invalid date `{shown}` in `{key}`"))
                                        .hint(DATE_HINT),
                                );
                                None
                            }
                        }
                    }
                };
                if key == "date" {
                    fm.date = parsed
                } else {
                    fm.updated = parsed
                }
            }
            "tags" | "categories" => match string_list(value) {
                Some(list) => {
                    if key == "tags" {
                        fm.tags = list
                    } else {
                        fm.categories = list
                    }
                }
                None => errors.push(
                    at(format!("`{key}` must be a list of words"))
                        .hint(format!("write `{key}: [Vertrauen, Arbeit]`")),
                ),
            },
            "aliases" => match string_list(value) {
                Some(list) => fm.aliases = list,
                None => errors.push(
                    at("`aliases` must be a list of old URLs".into())
                        .hint("write `aliases: [\"/2019/03/alter-name/\"]`"),
                ),
            },
            "draft" => match value {
                Value::Bool(b) => fm.draft = *b,
                Value::Null => {}
                _ => errors.push(at("`draft` must be true or false".into())),
            },
            "summary" => fm.summary = text(&mut errors),
            "description" => fm.description = text(&mut errors),
            "slug" => fm.slug = text(&mut errors),
            "image" => fm.image = text(&mut errors),
            "image_alt" => fm.image_alt = text(&mut errors),
            "image_credit" => fm.image_credit = text(&mut errors),
            "menu" => fm.menu = text(&mut errors),
            "lang" => {
                if let Some(code) = text(&mut errors) {
                    match Language::from_code(&code) {
                        Some(l) => fm.lang = Some(l),
                        None => errors.push(
                            at(format!("unsupported language `{code}`")).hint("use `de` or `en`"),
                        ),
                    }
                }
            }
            "author" => match value {
                Value::Mapping(m) => {
                    let get = |k: &str| m.get(k).and_then(yaml::scalar_string);
                    match get("name") {
                        Some(name) => {
                            fm.author = Some(Author {
                                name,
                                url: get("url"),
                            })
                        }
                        None => errors.push(at("`author` needs a `name`".into())),
                    }
                }
                Value::Null => {}
                v => match yaml::scalar_string(v) {
                    Some(name) => fm.author = Some(Author { name, url: None }),
                    None => errors.push(at("`author` must be a name".into())),
                },
            },
            _ => {
                fm.extra.insert(key.clone(), yaml::to_json(value));
            }
        }
    }

    match title {
        Some(t) if !t.trim().is_empty() => fm.title = t.trim().to_string(),
        Some(_) => errors.push(
            yaml::key_diagnostic(path, split.yaml, "title", shift, "the title is empty")
                .hint("write the post's title after `title:`"),
        ),
        None => errors.push(
            Diagnostic::at(path, split.yaml, 1, 1, "the front matter has no `title`")
                .shifted(shift)
                .hint("add a line like `title: Mein Beitrag` between the `---` lines"),
        ),
    }
    if errors.is_empty() {
        Ok(fm)
    } else {
        Err(errors)
    }
}

/// A list of strings, from a YAML list or a comma-separated string.
fn string_list(value: &Value) -> Option<Vec<String>> {
    Some(
        list_items(value)?
            .into_iter()
            .map(|(text, _)| text)
            .collect(),
    )
}

/// The items of a list field, trimmed and without empty ones, each with its
/// index in the YAML list (None when they come from one comma-separated
/// string).
fn list_items(value: &Value) -> Option<Vec<(String, Option<usize>)>> {
    let items: Vec<(String, Option<usize>)> = match value {
        Value::Null => Vec::new(),
        Value::Sequence(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| yaml::scalar_string(item).map(|s| (s, Some(i))))
            .collect::<Option<_>>()?,
        v => yaml::scalar_string(v)?
            .split(',')
            .map(|s| (s.to_string(), None))
            .collect(),
    };
    Some(
        items
            .into_iter()
            .map(|(s, i)| (s.trim().to_string(), i))
            .filter(|(s, _)| !s.is_empty())
            .collect(),
    )
}

/// A problem with the `index`-th item of the list field `key` (as in
/// [`FrontMatter::tags`]) of the file `text`, shown where that item is
/// written. Reads the front matter again: for reporting only.
pub fn list_item_diagnostic(
    path: &Path,
    text: &str,
    key: &str,
    index: usize,
    message: impl Into<String>,
) -> Diagnostic {
    let message = message.into();
    let Ok(split) = split(path, text) else {
        return Diagnostic::file(path, message);
    };
    let (yaml, shift) = (split.yaml, split.yaml_shift);
    let fallback = || yaml::key_diagnostic(path, yaml, key, shift, message.clone());
    let Ok(value) = serde_yaml::from_str::<Value>(yaml) else {
        return fallback();
    };
    let Some(field) = value.get(key) else {
        return fallback();
    };
    let written;
    let field = if yaml::has_number_or_bool(field) {
        written = yaml::written(yaml, &value);
        match written.as_ref().and_then(|w| w.get(key)) {
            Some(w) => w,
            None => field,
        }
    } else {
        field
    };
    let Some((item, list_index)) = list_items(field).and_then(|items| items.into_iter().nth(index))
    else {
        return fallback();
    };
    let mut steps = vec![yaml::locate::Step::key(key)];
    if let Some(i) = list_index {
        steps.push(yaml::locate::Step::Index(i));
    }
    let Some(node) = yaml::locate::node(yaml, &steps) else {
        return fallback();
    };
    // The item itself where it is written literally on the node's line
    // (always, unless it is quoted with escapes or spans lines); else the
    // whole node. Items of a comma-separated string are counted there.
    let width = yaml::written_width(yaml, node.offset);
    let written = yaml[node.offset..]
        .char_indices()
        .nth(width)
        .map_or(&yaml[node.offset..], |(end, _)| {
            &yaml[node.offset..node.offset + end]
        });
    let quoted = written.len() >= 2
        && ((written.starts_with('"') && written.ends_with('"'))
            || (written.starts_with('\'') && written.ends_with('\'')));
    let (inner, skip) = if quoted {
        (&written[1..written.len() - 1], 1)
    } else {
        (written, 0)
    };
    // A list item is one piece, commas and all.
    let separator = if list_index.is_some() { '\n' } else { ',' };
    let mut pieces = Vec::new();
    let mut start = 0;
    for piece in inner.split(separator) {
        let trimmed = piece.trim();
        if !trimmed.is_empty() {
            let lead = piece.len() - piece.trim_start().len();
            pieces.push((start + lead, trimmed));
        }
        start += piece.len() + 1;
    }
    let nth = if list_index.is_some() {
        0
    } else {
        index_in_string(&field_items(field), index)
    };
    match pieces.get(nth) {
        Some(&(at, text)) if text == item => {
            Diagnostic::at_offset(path, yaml, node.offset + skip + at, item.len(), message)
        }
        _ => Diagnostic::at(path, yaml, node.line, node.column, message).width(width),
    }
    .shifted(shift)
}

/// The list items of `field` with where they come from.
fn field_items(field: &Value) -> Vec<(String, Option<usize>)> {
    list_items(field).unwrap_or_default()
}

/// Which of the items of a comma-separated string the `index`-th list item
/// is (they are all from that one string).
fn index_in_string(items: &[(String, Option<usize>)], index: usize) -> usize {
    items
        .iter()
        .take(index)
        .filter(|(_, i)| i.is_none())
        .count()
}

/// The years a date may have. Every date ends up in the feeds: RFC 2822
/// (RSS) knows only years from 1900 on, and both RFC 2822 and RFC 3339
/// (Atom, sitemap) have four digits for the year. chrono reads signed and
/// longer years (`-001-01-01`) but panics when asked to write them as RFC
/// 2822, so such dates must never get past the front matter.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=9999;

/// The hint shown for dates outside [`YEARS`].
pub const RANGE_HINT: &str =
    "feeds can carry dates from the year 1900 to 9999 only; write e.g. 2024-03-11";

/// Why a date was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateProblem {
    /// Not a date in a spelling echt knows (or no such day).
    Invalid,
    /// A real date that feeds cannot carry: outside [`YEARS`].
    OutOfRange,
}

/// The message for a date outside [`YEARS`] written after `key`.
fn out_of_range(shown: &str, key: &str) -> String {
    format!(
        "the date `{shown}` in `{key}` is outside the years {} to {}",
        YEARS.start(),
        YEARS.end()
    )
}

/// Whether `date` can be written as RFC 3339 and RFC 2822, in its own
/// offset and in UTC (a feed may show either): a year in [`YEARS`] and an
/// offset of whole minutes (RFC 2822 has no seconds in offsets).
pub fn is_writable(date: &DateTime<FixedOffset>) -> bool {
    use chrono::Datelike;
    YEARS.contains(&date.year())
        && YEARS.contains(&date.naive_utc().year())
        && date.offset().local_minus_utc() % 60 == 0
}

/// Parses the date spellings authors use: `2024-03-11`, RFC 3339, and the
/// Jekyll form `2024-03-11 09:30[:00] [+0100]`. Dates without an offset are
/// taken as UTC. Only dates every feed can carry are accepted.
pub fn parse_date(text: &str) -> Result<DateTime<FixedOffset>, DateProblem> {
    let date = read_date(text).ok_or(DateProblem::Invalid)?;
    if is_writable(&date) {
        Ok(date)
    } else {
        Err(DateProblem::OutOfRange)
    }
}

fn read_date(text: &str) -> Option<DateTime<FixedOffset>> {
    let text = text.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(text) {
        return Some(d);
    }
    let date = NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d").ok()?;
    let rest = text[10..].trim_start_matches(['T', ' ', 't']);
    if rest.is_empty() {
        return utc()
            .from_local_datetime(&date.and_time(NaiveTime::MIN))
            .single();
    }
    // Split the time from an optional offset (`Z`, `UTC`, `+0100`, `+01:00`, `+01`).
    let time_end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.'))
        .unwrap_or(rest.len());
    let (time_text, offset_text) = rest.split_at(time_end);
    let time = ["%H:%M:%S%.f", "%H:%M"]
        .iter()
        .find_map(|f| NaiveTime::parse_from_str(time_text, f).ok())?;
    let offset = parse_offset(offset_text.trim())?;
    offset
        .from_local_datetime(&NaiveDateTime::new(date, time))
        .single()
}

fn utc() -> FixedOffset {
    FixedOffset::east_opt(0).unwrap_or_else(|| unreachable!("0 is a valid offset"))
}

fn parse_offset(text: &str) -> Option<FixedOffset> {
    if text.is_empty() || text.eq_ignore_ascii_case("z") || text.eq_ignore_ascii_case("utc") {
        return Some(utc());
    }
    let (sign, digits) = match text.as_bytes().first()? {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => return None,
    };
    let digits: String = digits.chars().filter(|c| *c != ':').collect();
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let (hours, minutes) = match digits.len() {
        2 => (digits.parse::<i32>().ok()?, 0),
        4 => (
            digits[..2].parse::<i32>().ok()?,
            digits[2..].parse::<i32>().ok()?,
        ),
        _ => return None,
    };
    if hours > 23 || minutes > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))
}

/// The date and the rest of a Jekyll file name: `2024-03-11-titel` →
/// (2024-03-11, `titel`). A real day that feeds cannot carry (`0999-01-01`)
/// is still split off, so that the caller can refuse it by name.
pub fn date_from_file_name(stem: &str) -> Option<(FileDate, &str)> {
    let written = stem.get(..10)?;
    let rest = stem.get(10..)?.strip_prefix('-')?;
    let date = NaiveDate::parse_from_str(written, "%Y-%m-%d").ok()?;
    let date = utc()
        .from_local_datetime(&date.and_time(NaiveTime::MIN))
        .single()?;
    let date = if is_writable(&date) {
        Ok(date)
    } else {
        Err(FileDateError {
            written: written.to_string(),
        })
    };
    Some((date, rest))
}

/// The date of a Jekyll file name, or why it cannot be used.
pub type FileDate = Result<DateTime<FixedOffset>, FileDateError>;

/// A file name date outside [`YEARS`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileDateError {
    pub written: String,
}

impl FileDateError {
    /// The problem, for the file at `path` (a file name has no line).
    pub fn diagnostic(&self, path: &Path) -> Diagnostic {
        Diagnostic::file(
            path,
            format!(
                "the date `{}` in the file name is outside the years {} to {}",
                self.written,
                YEARS.start(),
                YEARS.end()
            ),
        )
        .hint("feeds can carry dates from the year 1900 to 9999 only; rename the file (e.g. 2024-03-11-titel.md), or set `date:` in its front matter")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fm(src: &str) -> Result<FrontMatter, String> {
        let path = Path::new("content/posts/a.md");
        let s = split(path, src).map_err(|d| d.to_string())?;
        parse(path, &s).map_err(|ds| {
            ds.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        })
    }

    #[test]
    fn date_spellings() {
        let cases = [
            ("2024-03-11", "2024-03-11T00:00:00+00:00"),
            ("2024-03-11T09:30:00+01:00", "2024-03-11T09:30:00+01:00"),
            ("2024-03-11T09:30:00Z", "2024-03-11T09:30:00+00:00"),
            ("2016-10-06 11:10:38 -0700", "2016-10-06T11:10:38-07:00"),
            ("2016-10-06 11:10 +02:00", "2016-10-06T11:10:00+02:00"),
            ("2016-10-06 11:10:38", "2016-10-06T11:10:38+00:00"),
            (
                "2016-10-06T11:10:38.250+0100",
                "2016-10-06T11:10:38.250+01:00",
            ),
        ];
        for (input, want) in cases {
            assert_eq!(
                parse_date(input).map(|d| d.to_rfc3339()).as_deref(),
                Ok(want),
                "{input}"
            );
        }
        for bad in [
            "2024-13-01",
            "11.03.2024",
            "2024-02-30",
            "2024-03-11 25:00",
            "2024-03-11 10:00 +2500",
            "heute",
        ] {
            assert_eq!(parse_date(bad), Err(DateProblem::Invalid), "{bad}");
        }
    }

    #[test]
    fn dates_feeds_cannot_carry_are_refused() {
        for far in [
            "-001-01-01",
            "0000-01-01",
            "0999-12-31",
            "1899-12-31",
            "1899-12-31T23:59:59Z",
            // In its own offset 9999, in UTC already the year 10000.
            "9999-12-31T23:00:00-05:00",
            // In its own offset 1900, in UTC still 1899.
            "1900-01-01T00:30:00+01:00",
        ] {
            assert_eq!(parse_date(far), Err(DateProblem::OutOfRange), "{far}");
        }
        // chrono reads no five-digit years from RFC 3339 text.
        assert_eq!(
            parse_date("+10000-01-01T00:00:00Z"),
            Err(DateProblem::Invalid)
        );
        for near in [
            "1900-01-01",
            "9999-12-31",
            "9999-12-31T23:59:59Z",
            "2016-12-31T23:59:60Z",
        ] {
            let d = parse_date(near).unwrap_or_else(|e| panic!("{near}: {e:?}"));
            // Neither writer may panic on an accepted date.
            let _ = (d.to_rfc2822(), d.to_rfc3339());
            let utc = d.with_timezone(&chrono::Utc);
            let _ = (utc.to_rfc2822(), utc.to_rfc3339());
        }
    }

    #[test]
    fn far_dates_are_located_and_name_the_range() {
        let err =
            fm("---\ntitle: Alt\ndate: \"-001-01-01\"\nupdated: 0999-01-01\n---\n").unwrap_err();
        assert!(
            err.contains("error: the date `-001-01-01` in `date` is outside the years 1900 to 9999\n  --> content/posts/a.md:3:7\n"),
            "{err}"
        );
        assert!(
            err.contains("error: the date `0999-01-01` in `updated` is outside the years 1900 to 9999\n  --> content/posts/a.md:4:10\n"),
            "{err}"
        );
    }

    #[test]
    fn jekyll_file_names() {
        let (d, rest) = date_from_file_name("2014-03-11-hans-und-peter").unwrap();
        assert_eq!(
            (d.unwrap().to_rfc3339().as_str(), rest),
            ("2014-03-11T00:00:00+00:00", "hans-und-peter")
        );
        assert!(date_from_file_name("hans-und-peter").is_none());
        let (d, rest) = date_from_file_name("0999-01-01-alt").unwrap();
        assert_eq!(
            (d, rest),
            (
                Err(FileDateError {
                    written: "0999-01-01".into()
                }),
                "alt"
            )
        );
        let (d, _) = date_from_file_name("-001-01-01-alt").unwrap();
        assert!(d.is_err());
    }

    #[test]
    fn fields_are_read() {
        let f = fm("---\ntitle: Hallo\ndate: '2024-03-11'\ntags: Vertrauen, Arbeit\ndraft: true\nlayout: post\n---\nText\n").unwrap();
        assert_eq!(f.title, "Hallo");
        assert_eq!(f.tags, ["Vertrauen", "Arbeit"]);
        assert!(f.draft);
        assert_eq!(f.extra.get("layout"), Some(&serde_json::json!("post")));
    }

    #[test]
    fn text_fields_keep_numbers_as_written() {
        let f = fm("---\ntitle: 3.10\nslug: 010\ndescription: 1e3\nsummary: true\ntags: [2024, 3.10, Text]\ncategories: 1.0, 2.50\naliases: [2019]\nauthor: {name: 1.50, url: 0x10}\nmenu: 007\nimage_alt: 1_000\nversion: 3.10\n---\n").unwrap();
        assert_eq!(f.title, "3.10");
        assert_eq!(f.slug.as_deref(), Some("010"));
        assert_eq!(f.description.as_deref(), Some("1e3"));
        assert_eq!(f.summary.as_deref(), Some("true"));
        assert_eq!(f.tags, ["2024", "3.10", "Text"]);
        assert_eq!(f.categories, ["1.0", "2.50"]);
        assert_eq!(f.aliases, ["2019"]);
        let author = f.author.unwrap();
        assert_eq!(
            (author.name.as_str(), author.url.as_deref()),
            ("1.50", Some("0x10"))
        );
        assert_eq!(f.menu.as_deref(), Some("007"));
        assert_eq!(f.image_alt.as_deref(), Some("1_000"));
        // Other keys keep YAML's types for templates.
        assert_eq!(f.extra.get("version"), Some(&serde_json::json!(3.1)));
    }

    #[test]
    fn list_items_are_shown_where_written() {
        let path = Path::new("content/posts/a.md");
        let shown = |text: &str, index: usize| {
            let d = list_item_diagnostic(path, text, "tags", index, "m");
            (d.line, d.column, d.width)
        };
        let text = "---\ntitle: t\ntags: [C++, C, \"🎉\", 3.10]\n---\n";
        assert_eq!(shown(text, 0), (3, 8, 3));
        assert_eq!(shown(text, 1), (3, 13, 1));
        assert_eq!(shown(text, 2), (3, 17, 1));
        assert_eq!(shown(text, 3), (3, 21, 4));
        let text = "---\ntitle: t\ntags:\n  - a\n  -  \"\"\n  - \"C++\"\n---\n";
        assert_eq!(shown(text, 1), (6, 6, 3));
        let text = "---\ntitle: t\ntags: C++, C ,  D\n---\n";
        assert_eq!(shown(text, 0), (3, 7, 3));
        assert_eq!(shown(text, 1), (3, 12, 1));
        assert_eq!(shown(text, 2), (3, 17, 1));
    }

    #[test]
    fn all_problems_are_reported_at_their_lines() {
        let err = fm("---\ntitle: \"\"\ndate: 2024-13-45\ndraft: vielleicht\n---\n").unwrap_err();
        assert!(err.contains("content/posts/a.md:2:8"), "{err}");
        assert!(err.contains("invalid date `2024-13-45` in `date`"), "{err}");
        assert!(err.contains("content/posts/a.md:3:7"), "{err}");
        assert!(err.contains("content/posts/a.md:4:8"), "{err}");
    }

    #[test]
    fn malformed_yaml_is_located() {
        let err = fm("---\ntitle: Hallo\ntags: [a, b\n---\n").unwrap_err();
        assert!(err.contains("content/posts/a.md:"), "{err}");
        let err = fm("---\ntitle: Frage: warum?\n---\n").unwrap_err();
        assert!(err.contains("content/posts/a.md:2:"), "{err}");
        assert!(err.contains("hint:"), "{err}");
    }

    #[test]
    fn line_endings() {
        let err = fm("---\rtitle: Alt\rdate: 2001-01-01\r---\rText\r").unwrap_err();
        assert_eq!(
            err,
            "error: the file uses CR-only line endings\n  --> content/posts/a.md:1:4\n   |\n 1 | ---\n   |    ^\n  = hint: save the file with LF (or CRLF) line endings; editors call this \"line endings\" or \"end of line sequence\" (choose LF, Unix)\n"
        );
        // Also when the file does not start with front matter.
        assert!(fm("Text\rmehr\r")
            .unwrap_err()
            .contains("CR-only line endings"));
        // CRLF, also mixed with LF, is fine.
        let f = fm("---\r\ntitle: Neu\r\ndate: 2001-01-01\n---\r\nText\r\n").unwrap();
        assert_eq!(f.title, "Neu");
    }

    #[test]
    fn missing_fences() {
        assert!(fm("title: x\n")
            .unwrap_err()
            .contains("does not start with front matter"));
        assert!(fm("---\ntitle: x\n").unwrap_err().contains("never closed"));
    }
}
