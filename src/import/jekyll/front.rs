//! A Jekyll document's front matter in echt's keys, and its date read the
//! way Jekyll reads it: YAML timestamps without an offset are UTC, quoted
//! dates and bare dates are the site's local time, and the result is
//! written with an explicit offset in the site's time zone.

use std::sync::LazyLock;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use regex::Regex;
use serde_yaml::{Mapping, Value};

use crate::source::yaml;

/// A front matter value as written on its line: quoted or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub text: String,
    pub quoted: bool,
}

/// The value of the top-level `key:` line in `yaml`, as written.
pub fn written(yaml: &str, key: &str) -> Option<Written> {
    let line = yaml.lines().find(|line| {
        line.strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with(':'))
    })?;
    let rest = line[key.len()..].trim_start().strip_prefix(':')?.trim();
    let quoted = rest.starts_with('"') || rest.starts_with('\'');
    let text = if quoted {
        rest.trim_matches(|c| c == '"' || c == '\'').to_string()
    } else {
        rest.split(" #").next().unwrap_or(rest).trim().to_string()
    };
    Some(Written { text, quoted })
}

static PSYCH_TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt]|\s+)(\d{1,2}):(\d\d):(\d\d)(?:\.\d*)?(?:\s*(Z|[-+]\d{1,2}(?::?\d\d)?))?$",
    )
    .unwrap_or_else(|_| unreachable!("a fixed pattern"))
});
static PSYCH_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{4})-(\d{1,2})-(\d{1,2})$").unwrap_or_else(|_| unreachable!("a fixed pattern"))
});
static LOOSE_TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt]|\s+)(\d{1,2}):(\d\d)(?::(\d\d))?(?:\.\d*)?)?(?:\s*(Z|[-+]\d{1,2}(?::?\d\d)?))?$",
    )
    .unwrap_or_else(|_| unreachable!("a fixed pattern"))
});

/// The date of a `date:` value as Jekyll reads it, in the site's zone;
/// None when it is not a date Jekyll would read.
pub fn read_date(written: &Written, zone: Tz) -> Option<DateTime<FixedOffset>> {
    let text = written.text.trim();
    if !written.quoted {
        if let Some(caps) = PSYCH_TIME.captures(text) {
            // A YAML timestamp: an offset if it has one, else UTC.
            let naive = naive_of(&caps, [1, 2, 3, 4, 5, 6])?;
            let offset = match caps.get(7) {
                Some(zone) => offset_of(zone.as_str())?,
                None => FixedOffset::east_opt(0)?,
            };
            let instant = offset.from_local_datetime(&naive).single()?;
            return Some(instant.with_timezone(&zone).fixed_offset());
        }
        if let Some(caps) = PSYCH_DATE.captures(text) {
            let naive = naive_of(&caps, [1, 2, 3, 0, 0, 0])?;
            return local(naive, zone);
        }
    }
    // A string: Ruby's Time.parse, in the site's zone unless it says.
    let caps = LOOSE_TIME.captures(text)?;
    let naive = naive_of(&caps, [1, 2, 3, 4, 5, 6])?;
    match caps.get(7) {
        Some(offset) => {
            let instant = offset_of(offset.as_str())?
                .from_local_datetime(&naive)
                .single()?;
            Some(instant.with_timezone(&zone).fixed_offset())
        }
        None => local(naive, zone),
    }
}

/// Local midnight (or time) of `naive` in `zone`; a time skipped by a
/// clock change moves to the next hour.
pub fn local(naive: NaiveDateTime, zone: Tz) -> Option<DateTime<FixedOffset>> {
    let result = zone.from_local_datetime(&naive);
    result
        .earliest()
        .or_else(|| {
            zone.from_local_datetime(&(naive + chrono::Duration::hours(1)))
                .earliest()
        })
        .map(|d| d.fixed_offset())
}

/// The midnight of a file name's date in `zone`.
pub fn file_date(date: (i32, u32, u32), zone: Tz) -> Option<DateTime<FixedOffset>> {
    let day = NaiveDate::from_ymd_opt(date.0, date.1, date.2)?;
    local(day.and_time(NaiveTime::MIN), zone)
}

/// A file's modification time in `zone`, for drafts without any date.
pub fn instant(time: std::time::SystemTime, zone: Tz) -> DateTime<FixedOffset> {
    let utc: DateTime<Utc> = time.into();
    utc.with_timezone(&zone).fixed_offset()
}

fn naive_of(caps: &regex::Captures<'_>, groups: [usize; 6]) -> Option<NaiveDateTime> {
    let n = |i: usize| -> Option<u32> {
        if i == 0 {
            return Some(0);
        }
        caps.get(i).map_or(Some(0), |m| m.as_str().parse().ok())
    };
    let year = i32::try_from(n(groups[0])?).ok()?;
    let date = NaiveDate::from_ymd_opt(year, n(groups[1])?, n(groups[2])?)?;
    let time = NaiveTime::from_hms_opt(n(groups[3])?, n(groups[4])?, n(groups[5])?)?;
    Some(date.and_time(time))
}

fn offset_of(text: &str) -> Option<FixedOffset> {
    if text == "Z" {
        return FixedOffset::east_opt(0);
    }
    let sign = if text.starts_with('-') { -1 } else { 1 };
    let digits: String = text[1..].chars().filter(char::is_ascii_digit).collect();
    let (hours, minutes) = match digits.len() {
        1 | 2 => (digits.parse::<i32>().ok()?, 0),
        3 => (
            digits[..1].parse::<i32>().ok()?,
            digits[1..].parse::<i32>().ok()?,
        ),
        4 => (
            digits[..2].parse::<i32>().ok()?,
            digits[2..].parse::<i32>().ok()?,
        ),
        _ => return None,
    };
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))
}

pub use crate::import::format_date;

/// Jekyll's title for a file without one: the slug's words, capitalised.
pub fn titleize(slug: &str) -> String {
    slug.split('-')
        .filter(|w| !w.is_empty())
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_uppercase().chain(chars).collect::<String>()
            })
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Jekyll's categories or tags of a front matter value: a string is split
/// at whitespace, a list taken as it is.
pub fn word_list(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Sequence(items)) => items.iter().filter_map(yaml::scalar_string).collect(),
        Some(v) => yaml::scalar_string(v)
            .map(|s| s.split_whitespace().map(str::to_string).collect())
            .unwrap_or_default(),
        None => Vec::new(),
    }
}

/// Jekyll's categories of a document: the folders above `_posts`, then
/// `category:` (one, as written) or `categories:`; each once.
pub fn categories(folders: &[String], front: &Mapping) -> Vec<String> {
    let mut all: Vec<String> = folders.to_vec();
    match front.get("category").and_then(yaml::scalar_string) {
        Some(one) => all.push(one),
        None => all.extend(word_list(front.get("categories"))),
    }
    let mut seen = Vec::new();
    for c in all {
        if !seen.contains(&c) {
            seen.push(c);
        }
    }
    seen
}

/// The text of a key if it is a scalar.
pub fn text(front: &Mapping, key: &str) -> Option<String> {
    front
        .get(key)
        .and_then(yaml::scalar_string)
        .filter(|s| !s.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn berlin(text: &str, quoted: bool) -> Option<String> {
        let written = Written {
            text: text.into(),
            quoted,
        };
        read_date(&written, chrono_tz::Europe::Berlin).map(|d| format_date(&d))
    }

    /// The table of dates observed in a real Jekyll 4.3.1 build with
    /// `timezone: Europe/Berlin`.
    #[test]
    fn dates_as_jekyll_reads_them() {
        let cases = [
            (
                "2016-12-31 23:30:00 -0500",
                false,
                "2017-01-01T05:30:00+01:00",
            ),
            (
                "2017-06-30 23:30:00 +0000",
                false,
                "2017-07-01T01:30:00+02:00",
            ),
            ("2017-06-30 23:59:59", false, "2017-07-01T01:59:59+02:00"),
            ("2017-06-30 23:59:59", true, "2017-06-30T23:59:59+02:00"),
            ("2017-06-30", false, "2017-06-30T00:00:00+02:00"),
            (
                "2017-06-30 23:30:00 +02:00",
                false,
                "2017-06-30T23:30:00+02:00",
            ),
            ("2017-06-30T23:30:00Z", false, "2017-07-01T01:30:00+02:00"),
        ];
        for (text, quoted, want) in cases {
            assert_eq!(berlin(text, quoted).as_deref(), Some(want), "{text}");
        }
        assert_eq!(berlin("someday", false), None);
        let zone = chrono_tz::Europe::Berlin;
        assert_eq!(
            file_date((2017, 1, 1), zone)
                .map(|d| format_date(&d))
                .as_deref(),
            Some("2017-01-01T00:00:00+01:00")
        );
    }

    #[test]
    fn values_as_written() {
        let yaml = "title: x\ndate: \"2017-06-30 23:59:59\"\nupdated: 2017-07-01 # later\n";
        assert_eq!(
            written(yaml, "date"),
            Some(Written {
                text: "2017-06-30 23:59:59".into(),
                quoted: true
            })
        );
        assert_eq!(
            written(yaml, "updated").map(|w| w.text).as_deref(),
            Some("2017-07-01")
        );
    }

    #[test]
    fn categories_from_folders_and_front_matter() {
        let front: Mapping = serde_yaml::from_str("categories: news Updates\n").unwrap_or_default();
        assert_eq!(
            categories(&["news".into()], &front),
            vec!["news", "Updates"]
        );
        let one: Mapping = serde_yaml::from_str("category: Release Notes\n").unwrap_or_default();
        assert_eq!(categories(&[], &one), vec!["Release Notes"]);
        assert_eq!(titleize("what-changed"), "What Changed");
    }
}
