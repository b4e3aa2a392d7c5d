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
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Author {
    pub name: String,
    pub url: Option<String>,
    /// Written as a bare string (`author: max`): a key of echt.yaml's
    /// `authors` or a name, which the site stage tells apart. A map
    /// (`{name: …, url: …}`) is always a guest of its own.
    #[serde(default)]
    pub bare: bool,
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
    /// Where this document goes, overriding echt.yaml's pattern.
    pub permalink: Option<crate::source::permalink::Permalink>,
    /// `author`: one person, or several (`author: [lena, max]`) for a
    /// post written together; empty for the site's author.
    pub authors: Vec<Author>,
    pub image: Option<String>,
    pub image_alt: Option<String>,
    pub image_credit: Option<String>,
    pub lang: Option<Language>,
    /// For pages: `main` (header navigation) or `footer`.
    pub menu: Option<String>,
    /// For pages in a menu: lower comes first (`weight: 1`); pages
    /// without one follow, by path.
    pub weight: Option<i64>,
    /// `comments: false`: the thread is closed (its comments are still
    /// shown, without a way to reply).
    pub comments_closed: bool,
    /// The series the post belongs to (`series: Name`); see `site::series`.
    pub series: Option<String>,
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
    "permalink",
    "series",
];

/// The hint shown for every date problem.
pub const DATE_HINT: &str =
    "write dates as 2024-03-11, 2024-03-11T09:30:00+01:00 or \"2024-03-11 09:30:00 +0100\"";

/// Parses the YAML of `split`, reporting every problem.
pub fn parse(path: &Path, split: &Split<'_>) -> Result<FrontMatter, Vec<Diagnostic>> {
    let value: Value = yaml::parse(path, split.yaml, split.yaml_shift).map_err(|d| vec![d])?;
    let mut errors = yaml::escaped_controls(path, split.yaml, &value, split.yaml_shift);
    let written = text_as_written(split.yaml, &value);
    let fields = fields(path, split, value).map_err(|d| vec![d])?;
    let mut fm = FrontMatter::default();
    let mut title = None;
    for (key_value, value) in &fields {
        let Some(key) = yaml::scalar_string(key_value) else {
            continue;
        };
        let read = as_written(&key, key_value, value, written.as_ref())
            .and_then(|value| read_field(&mut fm, &mut title, &key, value));
        if let Err(problem) = read {
            errors.push(problem.at(path, split, &key));
        }
    }
    match checked_title(path, split, title) {
        Ok(title) => fm.title = title,
        Err(e) => errors.push(e),
    }
    if errors.is_empty() {
        Ok(fm)
    } else {
        Err(errors)
    }
}

/// What is wrong with a field's value, before it is shown at its key.
#[derive(Debug, PartialEq, Eq)]
struct Problem {
    message: String,
    hint: Option<String>,
}

impl Problem {
    fn new(message: impl Into<String>) -> Self {
        Problem {
            message: message.into(),
            hint: None,
        }
    }

    fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The problem shown at the line of `key`.
    fn at(self, path: &Path, split: &Split<'_>, key: &str) -> Diagnostic {
        let located = yaml::key_diagnostic(path, split.yaml, key, split.yaml_shift, self.message);
        match self.hint {
            Some(hint) => located.hint(hint),
            None => located,
        }
    }
}

/// Whether the field `key` is a text field whose value YAML reads (in
/// part) as a number or true/false (`title: 3.10`, `tags: [2024]`).
fn keeps_text(key: &Value, value: &Value) -> bool {
    key.as_str().is_some_and(|k| TEXT_KEYS.contains(&k)) && yaml::has_number_or_bool(value)
}

/// The front matter read again with every scalar as written, when a text
/// field needs it: text fields keep what the author wrote. Almost always
/// None, and then the YAML is read only once.
fn text_as_written(yaml: &str, value: &Value) -> Option<Value> {
    match value {
        Value::Mapping(map) if map.iter().any(|(k, v)| keeps_text(k, v)) => {
            yaml::written(yaml, value)
        }
        _ => None,
    }
}

/// The `key: value` pairs of the front matter (none when it is empty).
fn fields(path: &Path, split: &Split<'_>, value: Value) -> Result<serde_yaml::Mapping, Diagnostic> {
    match value {
        Value::Mapping(map) => Ok(map),
        Value::Null => Ok(serde_yaml::Mapping::new()),
        _ => Err(Diagnostic::at(
            path,
            split.yaml,
            1,
            1,
            "front matter must be a list of `key: value` lines",
        )
        .shifted(split.yaml_shift)
        .hint("write e.g. `title: Mein Beitrag` on its own line")),
    }
}

/// The value to read for the field `key`: as YAML reads it, or for a text
/// field holding a number or true/false, as written (from `written`).
fn as_written<'v>(
    key: &str,
    key_value: &Value,
    value: &'v Value,
    written: Option<&'v Value>,
) -> Result<&'v Value, Problem> {
    if !keeps_text(key_value, value) {
        return Ok(value);
    }
    // Not expected: the second reading of the same text failed. Better
    // refuse than publish 3.1 for 3.10.
    written
        .and_then(Value::as_mapping)
        .and_then(|w| w.get(key_value))
        .ok_or_else(|| {
            Problem::new(format!("`{key}` reads as a number or true/false in YAML")).hint(format!(
                "put it in quotes to keep it as written, e.g. {key}: \"3.10\""
            ))
        })
}

/// Reads the field `key` into `fm`, the title into `title` (it is checked
/// once all fields are read). Keys echt does not know go to templates as
/// `extra`, with YAML's types.
fn read_field(
    fm: &mut FrontMatter,
    title: &mut Option<String>,
    key: &str,
    value: &Value,
) -> Result<(), Problem> {
    match key {
        "title" => {
            // A title that is not text is given, but empty.
            let given = title.insert(String::new());
            *given = text(key, value)?.unwrap_or_default();
        }
        "date" => fm.date = date(key, value)?,
        "updated" => fm.updated = date(key, value)?,
        "tags" => fm.tags = words(key, value)?,
        "categories" => fm.categories = words(key, value)?,
        "aliases" => fm.aliases = aliases(value)?,
        "permalink" => fm.permalink = permalink(key, value)?,
        "draft" => {
            if let Some(draft) = draft(value)? {
                fm.draft = draft;
            }
        }
        "weight" => {
            match value {
                Value::Number(n) if n.as_i64().is_some() => fm.weight = n.as_i64(),
                Value::Null => {}
                _ => return Err(Problem::new("`weight` must be a whole number").hint(
                    "write `weight: 1` for the first page of the menu, `weight: 2` for the next",
                )),
            }
        }
        "comments" => match value {
            Value::Bool(open) => fm.comments_closed = !open,
            Value::Null => {}
            _ => {
                return Err(Problem::new("`comments` must be true or false")
                    .hint("write `comments: false` to close the thread under this post"))
            }
        },
        "summary" => fm.summary = text(key, value)?,
        "description" => fm.description = text(key, value)?,
        "slug" => fm.slug = text(key, value)?,
        "image" => fm.image = text(key, value)?,
        "image_alt" => fm.image_alt = text(key, value)?,
        "image_credit" => fm.image_credit = text(key, value)?,
        "menu" => fm.menu = text(key, value)?,
        "series" => fm.series = Some(series(value)?),
        "lang" => {
            if let Some(language) = language(key, value)? {
                fm.lang = Some(language);
            }
        }
        "author" => fm.authors = authors(value)?,
        _ => {
            fm.extra.insert(key.to_string(), yaml::to_json(value));
        }
    }
    Ok(())
}

/// A text field: None when empty (`~`).
fn text(key: &str, value: &Value) -> Result<Option<String>, Problem> {
    match value {
        Value::Null => Ok(None),
        v => yaml::scalar_string(v)
            .map(Some)
            .ok_or_else(|| Problem::new(format!("`{key}` must be text, not a list or map"))),
    }
}

/// `series`: the name of a series, not empty.
fn series(value: &Value) -> Result<String, Problem> {
    match value {
        Value::Sequence(_) | Value::Mapping(_) | Value::Tagged(_) => {
            Err(Problem::new("`series` must be the name of one series")
                .hint("write e.g. `series: Ein Jahr im Garten`"))
        }
        v => match yaml::scalar_string(v) {
            Some(name) if !name.trim().is_empty() => Ok(name.trim().to_string()),
            _ => Err(Problem::new("`series` is empty")
                .hint("name the series, e.g. `series: Ein Jahr im Garten`, or leave the key out")),
        },
    }
}

/// A date field (`date`, `updated`), in a spelling [`parse_date`] knows.
fn date(key: &str, value: &Value) -> Result<Option<DateTime<FixedOffset>>, Problem> {
    if value.is_null() {
        return Ok(None);
    }
    let written = yaml::scalar_string(value);
    match written.as_deref().map(parse_date) {
        Some(Ok(date)) => Ok(Some(date)),
        Some(Err(DateProblem::OutOfRange)) => {
            let shown = written.unwrap_or_default();
            Err(Problem::new(out_of_range(&shown, key)).hint(RANGE_HINT))
        }
        Some(Err(DateProblem::Invalid)) | None => {
            let shown = written.unwrap_or_else(|| "…".into());
            Err(Problem::new(format!("invalid date `{shown}` in `{key}`")).hint(DATE_HINT))
        }
    }
}

/// `permalink`: a pattern, as in echt.yaml.
fn permalink(
    key: &str,
    value: &Value,
) -> Result<Option<crate::source::permalink::Permalink>, Problem> {
    let Some(written) = text(key, value)? else {
        return Ok(None);
    };
    crate::source::permalink::Permalink::parse(&written)
        .map(Some)
        .map_err(|why| Problem::new(why).hint(crate::source::permalink::HINT))
}

/// `tags` or `categories`: a list, or words separated by commas.
fn words(key: &str, value: &Value) -> Result<Vec<String>, Problem> {
    string_list(value).ok_or_else(|| {
        Problem::new(format!("`{key}` must be a list of words"))
            .hint(format!("write `{key}: [Vertrauen, Arbeit]`"))
    })
}

/// `aliases`: the old URLs of a post.
fn aliases(value: &Value) -> Result<Vec<String>, Problem> {
    string_list(value).ok_or_else(|| {
        Problem::new("`aliases` must be a list of old URLs")
            .hint("write `aliases: [\"/2019/03/alter-name/\"]`")
    })
}

/// `draft`: true or false; None when empty.
fn draft(value: &Value) -> Result<Option<bool>, Problem> {
    match value {
        Value::Bool(draft) => Ok(Some(*draft)),
        Value::Null => Ok(None),
        _ => Err(Problem::new("`draft` must be true or false")),
    }
}

/// `lang`: a language echt has words for; None when empty.
fn language(key: &str, value: &Value) -> Result<Option<Language>, Problem> {
    let Some(code) = text(key, value)? else {
        return Ok(None);
    };
    match Language::from_code(&code) {
        Some(language) => Ok(Some(language)),
        None => {
            Err(Problem::new(format!("unsupported language `{code}`")).hint("use `de` or `en`"))
        }
    }
}

/// `author`: a name (or a key of echt.yaml's `authors`), a map with
/// `name` and `url`, or a list of these; empty when not set.
fn authors(value: &Value) -> Result<Vec<Author>, Problem> {
    match value {
        Value::Sequence(items) => items
            .iter()
            .map(|item| match item {
                Value::Sequence(_) => {
                    Err(Problem::new("`author` must be a name or a list of names"))
                }
                item => author(item)?.ok_or_else(|| Problem::new("`author` has an empty entry")),
            })
            .collect(),
        value => Ok(author(value)?.into_iter().collect()),
    }
}

/// One `author`: a name, or a map with `name` and `url`; None when empty.
fn author(value: &Value) -> Result<Option<Author>, Problem> {
    match value {
        Value::Mapping(m) => {
            let get = |k: &str| m.get(k).and_then(yaml::scalar_string);
            match get("name") {
                Some(name) => Ok(Some(Author {
                    name,
                    url: get("url"),
                    bare: false,
                })),
                None => Err(Problem::new("`author` needs a `name`")),
            }
        }
        Value::Null => Ok(None),
        v => match yaml::scalar_string(v) {
            Some(name) => Ok(Some(Author {
                name,
                url: None,
                bare: true,
            })),
            None => Err(Problem::new("`author` must be a name")),
        },
    }
}

/// The title, trimmed: every file needs one that is not empty.
fn checked_title(
    path: &Path,
    split: &Split<'_>,
    title: Option<String>,
) -> Result<String, Diagnostic> {
    match title {
        Some(t) if !t.trim().is_empty() => Ok(t.trim().to_string()),
        Some(_) => Err(yaml::key_diagnostic(
            path,
            split.yaml,
            "title",
            split.yaml_shift,
            "the title is empty",
        )
        .hint("write the post's title after `title:`")),
        None => Err(
            Diagnostic::at(path, split.yaml, 1, 1, "the front matter has no `title`")
                .shifted(split.yaml_shift)
                .hint("add a line like `title: Mein Beitrag` between the `---` lines"),
        ),
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
    fn series_is_one_name() {
        let f = fm("---\ntitle: Teil 2\nseries: \" Ein Jahr im Garten \"\n---\n").unwrap();
        assert_eq!(f.series.as_deref(), Some("Ein Jahr im Garten"));
        assert_eq!(fm("---\ntitle: T\n---\n").unwrap().series, None);
        let f = fm("---\ntitle: T\nseries: 2024\n---\n").unwrap();
        assert_eq!(f.series.as_deref(), Some("2024"));
        for (value, message) in [
            ("[Garten, Haus]", "`series` must be the name of one series"),
            ("{name: Garten}", "`series` must be the name of one series"),
            ("\"  \"", "`series` is empty"),
            ("", "`series` is empty"),
        ] {
            let e = fm(&format!("---\ntitle: T\nseries: {value}\n---\n")).unwrap_err();
            assert!(e.contains(message), "{value}: {e}");
            assert!(e.contains("a.md:3:"), "{value}: {e}");
        }
    }

    #[test]
    fn weight_orders_menus() {
        let f = fm("---\ntitle: Team\nmenu: main\nweight: -2\n---\n").unwrap();
        assert_eq!(f.weight, Some(-2));
        assert_eq!(fm("---\ntitle: Team\n---\n").unwrap().weight, None);
        let e = fm("---\ntitle: Team\nweight: zwei\n---\n").unwrap_err();
        assert!(e.contains("`weight` must be a whole number"), "{e}");
        assert!(e.contains("a.md:3:"), "{e}");
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
        let author = &f.authors[0];
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

    /// A YAML value, as a field holds it.
    fn v(yaml: &str) -> Value {
        serde_yaml::from_str(yaml).expect("valid YAML")
    }

    fn problem(message: &str, hint: Option<&str>) -> Problem {
        Problem {
            message: message.into(),
            hint: hint.map(Into::into),
        }
    }

    #[test]
    fn text_fields() {
        assert_eq!(
            text("slug", &v("hallo-welt")),
            Ok(Some("hallo-welt".into()))
        );
        assert_eq!(text("slug", &v("'010'")), Ok(Some("010".into())));
        assert_eq!(text("slug", &v("~")), Ok(None));
        assert_eq!(text("menu", &v("!footer unten")), Ok(Some("unten".into())));
        for not_text in ["[a, b]", "{a: b}"] {
            assert_eq!(
                text("description", &v(not_text)),
                Err(problem(
                    "`description` must be text, not a list or map",
                    None
                )),
                "{not_text}"
            );
        }
    }

    #[test]
    fn date_fields() {
        let read = |yaml: &str| date("updated", &v(yaml)).map(|d| d.map(|d| d.to_rfc3339()));
        assert_eq!(
            read("2024-03-11"),
            Ok(Some("2024-03-11T00:00:00+00:00".into()))
        );
        assert_eq!(
            read("2016-10-06 11:10:38 -0700"),
            Ok(Some("2016-10-06T11:10:38-07:00".into()))
        );
        assert_eq!(read("~"), Ok(None));
        assert_eq!(
            read("2024-13-45"),
            Err(problem(
                "invalid date `2024-13-45` in `updated`",
                Some(DATE_HINT)
            ))
        );
        assert_eq!(
            read("[2024-03-11]"),
            Err(problem("invalid date `…` in `updated`", Some(DATE_HINT)))
        );
        assert_eq!(
            read("0999-01-01"),
            Err(problem(
                "the date `0999-01-01` in `updated` is outside the years 1900 to 9999",
                Some(RANGE_HINT)
            ))
        );
    }

    #[test]
    fn tags_and_categories_are_lists_or_commas() {
        assert_eq!(
            words("tags", &v("Vertrauen, Arbeit")),
            Ok(vec!["Vertrauen".into(), "Arbeit".into()])
        );
        assert_eq!(
            words("tags", &v("[' Vertrauen ', '', Arbeit, 2024]")),
            Ok(vec!["Vertrauen".into(), "Arbeit".into(), "2024".into()])
        );
        assert_eq!(words("categories", &v("~")), Ok(Vec::new()));
        assert_eq!(
            words("categories", &v("Notizen")),
            Ok(vec!["Notizen".into()])
        );
        for not_words in ["{a: b}", "[[a]]", "[a, {b: c}]"] {
            assert_eq!(
                words("categories", &v(not_words)),
                Err(problem(
                    "`categories` must be a list of words",
                    Some("write `categories: [Vertrauen, Arbeit]`")
                )),
                "{not_words}"
            );
        }
    }

    #[test]
    fn aliases_are_a_list() {
        assert_eq!(
            aliases(&v("['/2019/03/alt/', /alt.html]")),
            Ok(vec!["/2019/03/alt/".into(), "/alt.html".into()])
        );
        assert_eq!(aliases(&v("/alt/")), Ok(vec!["/alt/".into()]));
        assert_eq!(
            aliases(&v("{alt: neu}")),
            Err(problem(
                "`aliases` must be a list of old URLs",
                Some("write `aliases: [\"/2019/03/alter-name/\"]`")
            ))
        );
    }

    #[test]
    fn draft_is_true_or_false() {
        assert_eq!(draft(&v("true")), Ok(Some(true)));
        assert_eq!(draft(&v("false")), Ok(Some(false)));
        assert_eq!(draft(&v("~")), Ok(None));
        for not_bool in ["ja", "'true'", "1", "[true]"] {
            assert_eq!(
                draft(&v(not_bool)),
                Err(problem("`draft` must be true or false", None)),
                "{not_bool}"
            );
        }
    }

    #[test]
    fn lang_is_a_known_language() {
        assert_eq!(language("lang", &v("de")), Ok(Some(Language::De)));
        assert_eq!(language("lang", &v("en")), Ok(Some(Language::En)));
        assert_eq!(language("lang", &v("~")), Ok(None));
        assert_eq!(
            language("lang", &v("fr")),
            Err(problem(
                "unsupported language `fr`",
                Some("use `de` or `en`")
            ))
        );
        assert_eq!(
            language("lang", &v("[de]")),
            Err(problem("`lang` must be text, not a list or map", None))
        );
    }

    #[test]
    fn author_is_a_name_or_a_map() {
        let read = |yaml: &str| {
            authors(&v(yaml)).map(|a| {
                a.into_iter()
                    .map(|a| (a.name, a.url, a.bare))
                    .collect::<Vec<_>>()
            })
        };
        assert_eq!(
            read("Lena Vogt"),
            Ok(vec![("Lena Vogt".into(), None, true)])
        );
        assert_eq!(
            read("{name: Lena, url: 'https://lena.example.org/'}"),
            Ok(vec![(
                "Lena".into(),
                Some("https://lena.example.org/".into()),
                false
            )])
        );
        assert_eq!(read("~"), Ok(vec![]));
        assert_eq!(
            read("{url: 'https://lena.example.org/'}"),
            Err(problem("`author` needs a `name`", None))
        );
        // Several people wrote it together.
        assert_eq!(
            read("[lena, {name: Gast}]"),
            Ok(vec![
                ("lena".into(), None, true),
                ("Gast".into(), None, false)
            ])
        );
        assert_eq!(
            read("[[Lena]]"),
            Err(problem("`author` must be a name or a list of names", None))
        );
        assert_eq!(
            read("[lena, ~]"),
            Err(problem("`author` has an empty entry", None))
        );
        assert_eq!(
            read("{name: [Lena]}"),
            Err(problem("`author` needs a `name`", None))
        );
    }

    #[test]
    fn unknown_keys_go_to_templates_with_their_types() {
        let mut fm = FrontMatter::default();
        let mut title = None;
        for (key, value) in [
            ("layout", "post"),
            ("version", "3.10"),
            ("toc", "true"),
            ("links", "[a, 1]"),
        ] {
            assert_eq!(read_field(&mut fm, &mut title, key, &v(value)), Ok(()));
        }
        assert_eq!(
            serde_json::Value::Object(fm.extra),
            serde_json::json!({"layout": "post", "version": 3.1, "toc": true, "links": ["a", 1]})
        );
        assert_eq!(title, None);
    }

    #[test]
    fn a_title_that_is_not_text_is_given_but_empty() {
        let mut fm = FrontMatter::default();
        let mut title = None;
        assert_eq!(
            read_field(&mut fm, &mut title, "title", &v("[a]")),
            Err(problem("`title` must be text, not a list or map", None))
        );
        assert_eq!(title.as_deref(), Some(""));
        let err = fm_err("---\ntitle: [a]\n---\n");
        assert_eq!(
            err,
            "error: `title` must be text, not a list or map\n  --> content/posts/a.md:2:8\n   |\n 2 | title: [a]\n   |        ^^^\nerror: the title is empty\n  --> content/posts/a.md:2:8\n   |\n 2 | title: [a]\n   |        ^^^\n  = hint: write the post's title after `title:`\n"
        );
    }

    /// The problems of `src`'s front matter, as printed.
    fn fm_err(src: &str) -> String {
        let path = Path::new("content/posts/a.md");
        let s = split(path, src).expect("fences");
        parse(path, &s)
            .err()
            .unwrap_or_default()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn the_title_is_trimmed_and_required() {
        assert_eq!(fm("---\ntitle: '  Hallo  '\n---\n").unwrap().title, "Hallo");
        assert_eq!(
            fm_err("---\ndate: 2024-03-11\n---\n"),
            "error: the front matter has no `title`\n  --> content/posts/a.md:2:1\n   |\n 2 | date: 2024-03-11\n   | ^\n  = hint: add a line like `title: Mein Beitrag` between the `---` lines\n"
        );
        assert!(fm_err("---\ntitle: '   '\n---\n")
            .starts_with("error: the title is empty\n  --> content/posts/a.md:2:8\n"));
        // Empty front matter has fields, just none.
        assert!(fm_err("---\n---\n").starts_with("error: the front matter has no `title`\n"));
    }

    #[test]
    fn front_matter_is_a_map() {
        assert_eq!(
            fm_err("---\n- title\n- date\n---\n"),
            "error: front matter must be a list of `key: value` lines\n  --> content/posts/a.md:2:1\n   |\n 2 | - title\n   | ^\n  = hint: write e.g. `title: Mein Beitrag` on its own line\n"
        );
    }

    #[test]
    fn text_as_written_only_when_a_text_field_needs_it() {
        let yaml = "title: Hallo\nversion: 3.10\ndraft: true\n";
        assert_eq!(text_as_written(yaml, &v(yaml)), None);
        let yaml = "title: 3.10\n";
        let written = text_as_written(yaml, &v(yaml));
        assert_eq!(written, Some(v("title: '3.10'")));
        let key = v("title");
        let value = v("3.10");
        assert_eq!(
            as_written("title", &key, &value, written.as_ref()),
            Ok(&v("'3.10'"))
        );
        // Never the number YAML reads.
        assert_eq!(
            as_written("title", &key, &value, None),
            Err(problem(
                "`title` reads as a number or true/false in YAML",
                Some("put it in quotes to keep it as written, e.g. title: \"3.10\"")
            ))
        );
        let other = v("version");
        assert_eq!(as_written("version", &other, &value, None), Ok(&value));
    }
}
