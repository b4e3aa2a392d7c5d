//! YAML helpers shared by `echt.yaml` and front matter: turning serde_yaml
//! errors into located diagnostics, finding the line of a top-level key, and
//! converting values for templates.

use std::path::Path;

use crate::error::Diagnostic;

/// A diagnostic for a serde_yaml error in `source`, which starts `shift`
/// lines into the file.
pub fn diagnostic(path: &Path, source: &str, err: &serde_yaml::Error, shift: usize) -> Diagnostic {
    let message = without_positions(&err.to_string(), shift);
    let d = match err.location() {
        Some(loc) => Diagnostic::at(path, source, loc.line(), loc.column(), message),
        None => Diagnostic::file(path, message),
    };
    let d = if d.message.starts_with("unknown field") {
        d.hint("check the spelling of the key; the valid keys are listed above")
    } else if d.message.contains("mapping values are not allowed") {
        d.hint("put values that contain `: ` in quotes, e.g. title: \"Frage: Warum?\"")
    } else if d.message.contains("flow sequence") {
        d.hint("a list in brackets needs its closing `]`, e.g. tags: [Vertrauen, Arbeit]")
    } else if d
        .source_line
        .as_deref()
        .is_some_and(|l| l.starts_with('\t') || l.contains(":\t"))
    {
        d.hint("YAML does not allow tabs for indentation; indent with spaces")
    } else if d
        .message
        .contains("found character that cannot start any token")
    {
        d.hint("values starting with `@`, `` ` `` or `%` must be quoted")
    } else {
        d
    };
    d.shifted(shift)
}

/// serde_yaml says "… at line 4 column 1, while parsing … at line 3 column
/// 7". The first position is shown in the frame; later ones stay in the
/// text, counted in lines of the whole file.
fn without_positions(text: &str, shift: usize) -> String {
    let mut out = String::new();
    let mut rest = text;
    let mut first = true;
    while let Some(i) = rest.find(" at line ") {
        out.push_str(&rest[..i]);
        let after = &rest[i + " at line ".len()..];
        let line_digits = after
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(after.len());
        let line: usize = after[..line_digits].parse().unwrap_or(0);
        let after_line = &after[line_digits..];
        let Some(col_part) = after_line.strip_prefix(" column ") else {
            out.push_str(" at line ");
            rest = after;
            continue;
        };
        let col_digits = col_part
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(col_part.len());
        if !first {
            out.push_str(&format!(
                " that starts at line {}, column {}",
                line + shift,
                &col_part[..col_digits]
            ));
        }
        first = false;
        rest = col_part[col_digits..].trim_start_matches(',');
    }
    out.push_str(rest);
    out
}

/// A diagnostic pointing at the value of top-level `key` in `source` (or at
/// the key's line start if it has no value, or line 1 if it is missing).
pub fn key_diagnostic(
    path: &Path,
    source: &str,
    key: &str,
    shift: usize,
    message: impl Into<String>,
) -> Diagnostic {
    match find_key(source, key) {
        Some((line, column, width)) => Diagnostic::at(path, source, line, column, message)
            .width(width)
            .shifted(shift),
        None => Diagnostic::at(path, source, 1, 1, message).shifted(shift),
    }
}

/// Line, column and width of the value of a top-level `key:` line.
fn find_key(source: &str, key: &str) -> Option<(usize, usize, usize)> {
    for (i, line) in source.lines().enumerate() {
        let Some(rest) = line.strip_prefix(key) else {
            continue;
        };
        let rest_trimmed = rest.trim_start();
        let Some(value) = rest_trimmed.strip_prefix(':') else {
            continue;
        };
        let key_and_colon = line.len() - value.len();
        let value_start = key_and_colon + (value.len() - value.trim_start().len());
        let value_text = line[value_start..].trim_end();
        let column = line[..value_start].chars().count() + 1;
        if value_text.is_empty() {
            return Some((i + 1, 1, key.chars().count()));
        }
        return Some((i + 1, column, value_text.chars().count()));
    }
    None
}

/// Converts YAML to JSON for tera, which speaks serde_json.
pub fn to_json(value: &serde_yaml::Value) -> serde_json::Value {
    use serde_json::Value as J;
    use serde_yaml::Value as Y;
    match value {
        Y::Null => J::Null,
        Y::Bool(b) => J::Bool(*b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                J::from(i)
            } else if let Some(u) = n.as_u64() {
                J::from(u)
            } else {
                n.as_f64().map_or(J::Null, J::from)
            }
        }
        Y::String(s) => J::String(s.clone()),
        Y::Sequence(items) => J::Array(items.iter().map(to_json).collect()),
        Y::Mapping(map) => J::Object(
            map.iter()
                .map(|(k, v)| (scalar_string(k).unwrap_or_default(), to_json(v)))
                .collect(),
        ),
        Y::Tagged(tagged) => to_json(&tagged.value),
    }
}

/// The text of a scalar (string, number, bool); None for lists and maps.
pub fn scalar_string(value: &serde_yaml::Value) -> Option<String> {
    match value {
        serde_yaml::Value::String(s) => Some(s.clone()),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        serde_yaml::Value::Bool(b) => Some(b.to_string()),
        serde_yaml::Value::Tagged(t) => scalar_string(&t.value),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_leave_the_message() {
        assert_eq!(
            without_positions("did not find expected ',' or ']' at line 4 column 1, while parsing a flow sequence at line 3 column 7", 1),
            "did not find expected ',' or ']' while parsing a flow sequence that starts at line 4, column 7"
        );
        assert_eq!(
            without_positions("unknown field `x` at line 2 column 3", 0),
            "unknown field `x`"
        );
    }

    #[test]
    fn finds_the_value_of_a_key() {
        let src = "title: Hallo\ndate:   2024-13-01\ntags:\n  - a\n";
        assert_eq!(find_key(src, "date"), Some((2, 9, 10)));
        assert_eq!(find_key(src, "tags"), Some((3, 1, 4)));
        assert_eq!(find_key(src, "slug"), None);
        // A key that merely starts like another is not that key.
        assert_eq!(find_key("dated: x\n", "date"), None);
    }
}
