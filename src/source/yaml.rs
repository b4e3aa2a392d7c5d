//! YAML helpers shared by `echt.yaml` and front matter: reading YAML
//! safely, turning serde_yaml errors into located diagnostics, finding the
//! line of a top-level key, and converting values for templates.
//!
//! serde_yaml (with libyaml below it) is fast on ordinary text but has two
//! costs that grow faster than the text: libyaml's scanner is quadratic in
//! the depth of unclosed `[`/`{` (see [`nesting`]), and every alias (`*a`)
//! copies its anchor's whole value, so 70 KB of aliases to a long list
//! became 100 million values and 50 seconds. [`parse`] refuses both before
//! serde_yaml sees the text.

use std::cell::Cell;
use std::path::Path;

use serde::de::{DeserializeOwned, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::util::error::Diagnostic;

pub mod locate;
mod nesting;

/// Reads `source` (which starts `shift` lines into the file at `path`) as
/// YAML into `T`, refusing text that would take serde_yaml long to read.
pub fn parse<T: DeserializeOwned>(
    path: &Path,
    source: &str,
    shift: usize,
) -> Result<T, Diagnostic> {
    if let Some(offset) = nesting::too_deep(source) {
        return Err(Diagnostic::at_offset(
            path,
            source,
            offset,
            1,
            format!(
                "lists and maps are nested more than {} levels deep here",
                nesting::MAX_FLOW_DEPTH
            ),
        )
        .hint("look for a stray `[` or `{`; text that starts with one must be put in quotes, e.g. title: \"[Entwurf] Mein Beitrag\"")
        .shifted(shift));
    }
    if let Some(key) = aliases_expand_too_far(source) {
        let message = format!(
            "the aliases (`*name`) here make the YAML hold more than {} values",
            alias_budget(source)
        );
        let d = match key {
            Some(key) => key_diagnostic(path, source, &key, shift, message),
            None => Diagnostic::at(path, source, 1, 1, message).shifted(shift),
        };
        return Err(d.hint(
            "each alias copies everything its anchor (`&name`) holds; write the values out, or use fewer aliases",
        ));
    }
    serde_yaml::from_str(source).map_err(|e| diagnostic(path, source, &e, shift))
}

/// `value` (read from `source`) with every number and `true`/`false` as the
/// text it was written as: `3.10` stays "3.10", not 3.1; `1e3` stays "1e3",
/// not 1000; `010` stays "010". For fields meant as text.
///
/// serde_yaml hands the written text of a scalar to whoever asks for a
/// string (`deserialize_str`), but a `Value` asks for "anything" and gets
/// the number. So the text is read a second time, asking for a string
/// exactly where the first reading found a number or a bool: the same
/// reader on the same text, so no guessing about what was written. None if
/// that fails, which it should not.
pub fn written(source: &str, value: &serde_yaml::Value) -> Option<serde_yaml::Value> {
    written::Written(value)
        .deserialize(serde_yaml::Deserializer::from_str(source))
        .ok()
}

/// Whether `value` holds a number or a bool anywhere (what [`written`]
/// changes).
pub fn has_number_or_bool(value: &serde_yaml::Value) -> bool {
    use serde_yaml::Value;
    match value {
        Value::Number(_) | Value::Bool(_) => true,
        Value::Sequence(items) => items.iter().any(has_number_or_bool),
        Value::Mapping(map) => map.values().any(has_number_or_bool),
        Value::Tagged(tagged) => has_number_or_bool(&tagged.value),
        Value::Null | Value::String(_) => false,
    }
}

mod written {
    use std::fmt;

    use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
    use serde::Deserialize;
    use serde_yaml::{Mapping, Value};

    /// Reads a node again, knowing what it was the first time.
    pub struct Written<'v>(pub &'v Value);

    impl<'de> DeserializeSeed<'de> for Written<'_> {
        type Value = Value;

        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
            match self.0 {
                Value::Number(_) | Value::Bool(_) => d.deserialize_str(Text),
                Value::Tagged(tagged)
                    if matches!(tagged.value, Value::Number(_) | Value::Bool(_)) =>
                {
                    d.deserialize_str(Text)
                }
                Value::Sequence(items) if items.iter().any(super::has_number_or_bool) => {
                    d.deserialize_seq(Items(items))
                }
                Value::Mapping(map) if map.values().any(super::has_number_or_bool) => {
                    d.deserialize_map(Entries(map))
                }
                _ => Value::deserialize(d),
            }
        }
    }

    /// A scalar's text, as written (unescaped if it was quoted).
    struct Text;

    impl Visitor<'_> for Text {
        type Value = Value;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a scalar")
        }

        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Value, E> {
            Ok(Value::String(v.to_string()))
        }
    }

    struct Items<'v>(&'v [Value]);

    impl<'de> Visitor<'de> for Items<'_> {
        type Value = Value;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a list")
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
            let mut out = Vec::with_capacity(self.0.len());
            for item in self.0 {
                match seq.next_element_seed(Written(item))? {
                    Some(v) => out.push(v),
                    None => return Err(serde::de::Error::custom("the list got shorter")),
                }
            }
            Ok(Value::Sequence(out))
        }
    }

    struct Entries<'v>(&'v Mapping);

    impl<'de> Visitor<'de> for Entries<'_> {
        type Value = Value;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a map")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
            let mut out = Mapping::with_capacity(self.0.len());
            while let Some(key) = map.next_key::<Value>()? {
                let first = self
                    .0
                    .get(&key)
                    .ok_or_else(|| serde::de::Error::custom("a key changed"))?;
                let value = map.next_value_seed(Written(first))?;
                out.insert(key, value);
            }
            Ok(Value::Mapping(out))
        }
    }
}

/// Control characters that YAML escapes put into `value` (`"a\u0000b"`,
/// `"\x1b"`, also in lists, maps and keys), each located at the value that
/// holds it. Raw control characters are refused when the file is read
/// ([`crate::util::text::decode_utf8`]); these would otherwise slip through.
pub fn escaped_controls(
    path: &Path,
    source: &str,
    value: &serde_yaml::Value,
    shift: usize,
) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    find_controls(value, &mut Vec::new(), &mut found);
    found
        .into_iter()
        .take(10)
        .map(|(steps, c)| {
            let shown = shown_path(&steps);
            let message = format!(
                "`{shown}` contains the control character {}",
                crate::util::text::control_name(c)
            );
            let d = match locate::node(source, &steps) {
                Some(at) => Diagnostic::at(path, source, at.line, at.column, message)
                    .width(written_width(source, at.offset)),
                None => Diagnostic::at(path, source, 1, 1, message),
            };
            d.hint("remove the escape that writes it (such as `\\0`, `\\x1b` or `\\u0000`): control characters make pages and feeds invalid")
                .shifted(shift)
        })
        .collect()
}

/// How many characters the scalar written at `offset` takes on its line: a
/// quoted one up to its closing quote, a plain one up to the end of the line
/// (or of its flow list item).
pub fn written_width(source: &str, offset: usize) -> usize {
    let rest = source.get(offset..).unwrap_or_default();
    let line = rest.split(['\n', '\r']).next().unwrap_or_default();
    let mut chars = line.char_indices();
    let end = match chars.next() {
        Some((_, '"')) => {
            let mut escaped = false;
            chars
                .find(|&(_, c)| {
                    let close = c == '"' && !escaped;
                    escaped = c == '\\' && !escaped;
                    close
                })
                .map_or(line.len(), |(i, _)| i + 1)
        }
        Some((_, '\'')) => {
            let bytes = line.as_bytes();
            let mut i = 1;
            loop {
                match bytes.get(i) {
                    None => break line.len(),
                    Some(b'\'') if bytes.get(i + 1) == Some(&b'\'') => i += 2,
                    Some(b'\'') => break i + 1,
                    Some(_) => i += 1,
                }
            }
        }
        Some(_) => {
            let in_flow = source[..offset]
                .rfind(['[', '{', ','])
                .is_some_and(|i| !source[i..offset].contains('\n'));
            let stop = if in_flow {
                line.find([',', ']', '}']).unwrap_or(line.len())
            } else {
                line.find(" #").unwrap_or(line.len())
            };
            line[..stop].trim_end().len()
        }
        None => 0,
    };
    line[..end.min(line.len())].chars().count()
}

/// Reads `source` as YAML and returns [`escaped_controls`] of it; for
/// callers that read the text into their own types.
pub fn check_escapes(path: &Path, source: &str, shift: usize) -> Vec<Diagnostic> {
    match serde_yaml::from_str::<serde_yaml::Value>(source) {
        Ok(value) => escaped_controls(path, source, &value, shift),
        Err(_) => Vec::new(),
    }
}

/// Collects the path to every string (or map with a key) holding a control
/// character, with the first such character.
fn find_controls(
    value: &serde_yaml::Value,
    steps: &mut Vec<locate::Step>,
    found: &mut Vec<(Vec<locate::Step>, char)>,
) {
    use serde_yaml::Value;
    let control = |s: &str| s.chars().find(|c| crate::util::text::is_control(*c));
    match value {
        Value::String(s) => {
            if let Some(c) = control(s) {
                found.push((steps.clone(), c));
            }
        }
        Value::Sequence(items) => {
            for (i, item) in items.iter().enumerate() {
                steps.push(locate::Step::Index(i));
                find_controls(item, steps, found);
                steps.pop();
            }
        }
        Value::Mapping(map) => {
            for (key, item) in map {
                // A key is shown at its map.
                let mut in_key = Vec::new();
                find_controls(key, &mut Vec::new(), &mut in_key);
                if let Some((_, c)) = in_key.first() {
                    found.push((steps.clone(), *c));
                }
                steps.push(locate::Step::Key(key.clone()));
                find_controls(item, steps, found);
                steps.pop();
            }
        }
        // A tagged value is shown as a whole.
        Value::Tagged(tagged) => {
            let mut inside = Vec::new();
            find_controls(&tagged.value, &mut Vec::new(), &mut inside);
            if let Some((_, c)) = inside.first() {
                found.push((steps.clone(), *c));
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// `tags[2]`, `author.name`: a path as authors would write it.
fn shown_path(steps: &[locate::Step]) -> String {
    let mut shown = String::new();
    for step in steps {
        match step {
            locate::Step::Index(i) => shown.push_str(&format!("[{i}]")),
            locate::Step::Key(key) => {
                if !shown.is_empty() {
                    shown.push('.');
                }
                shown.push_str(&scalar_string(key).unwrap_or_else(|| "…".into()));
            }
        }
    }
    if shown.is_empty() {
        shown.push_str("the YAML");
    }
    shown
}

/// How many values (scalars, lists, maps) aliases may make `source` hold in
/// all: its own, which are fewer than its bytes, and as many again.
fn alias_budget(source: &str) -> usize {
    2 * source.len() + 10_000
}

/// Whether the aliases in `source` expand it beyond [`alias_budget`]; with
/// the top-level key whose value does, if there is one. Counting stops at
/// the budget, so it costs no more than reading text of that size. Text
/// serde_yaml cannot read passes: [`parse`] reports its errors.
fn aliases_expand_too_far(source: &str) -> Option<Option<String>> {
    if !(source.contains('&') && source.contains('*')) {
        return None;
    }
    let left = Cell::new(alias_budget(source));
    let key = std::cell::RefCell::new(None);
    let top = Top {
        left: &left,
        key: &key,
    };
    match top.deserialize(serde_yaml::Deserializer::from_str(source)) {
        Err(_) if left.get() == 0 => Some(key.into_inner()),
        _ => None,
    }
}

/// Counts the values of a document, remembering the top-level key whose
/// value is being counted.
struct Top<'a> {
    left: &'a Cell<usize>,
    key: &'a std::cell::RefCell<Option<String>>,
}

impl<'de> DeserializeSeed<'de> for Top<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Top<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("YAML")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        // Keys count too: `? *a` would be a way around the budget.
        while map
            .next_key_seed(KeyName {
                left: self.left,
                key: self.key,
            })?
            .is_some()
        {
            map.next_value_seed(Count(self.left))?;
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        Count(self.left).visit_seq(seq)
    }

    fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        Count(self.left).visit_enum(data)
    }
}

/// Counts a top-level key and remembers it, if it is a scalar.
struct KeyName<'a> {
    left: &'a Cell<usize>,
    key: &'a std::cell::RefCell<Option<String>>,
}

impl KeyName<'_> {
    fn name<E: serde::de::Error>(self, name: Option<String>) -> Result<(), E> {
        *self.key.borrow_mut() = name;
        Count(self.left).tick()
    }
}

impl<'de> DeserializeSeed<'de> for KeyName<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for KeyName<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<(), E> {
        self.name(Some(v.to_string()))
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<(), E> {
        self.name(Some(v.to_string()))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<(), E> {
        self.name(Some(v.to_string()))
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<(), E> {
        self.name(Some(v.to_string()))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<(), E> {
        self.name(Some(v.to_string()))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        self.name(None)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        *self.key.borrow_mut() = None;
        Count(self.left).visit_seq(seq)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        *self.key.borrow_mut() = None;
        Count(self.left).visit_map(map)
    }

    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        *self.key.borrow_mut() = None;
        Count(self.left).visit_enum(data)
    }
}

/// Counts values against a budget, failing when it runs out.
#[derive(Clone, Copy)]
struct Count<'a>(&'a Cell<usize>);

impl Count<'_> {
    fn tick<E: serde::de::Error>(self) -> Result<(), E> {
        match self.0.get() {
            0 => Err(E::custom("too many values")),
            n => {
                self.0.set(n - 1);
                Ok(())
            }
        }
    }
}

impl<'de> DeserializeSeed<'de> for Count<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Count<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a YAML value")
    }

    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<(), E> {
        self.tick()
    }

    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<(), E> {
        self.tick()
    }

    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<(), E> {
        self.tick()
    }

    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<(), E> {
        self.tick()
    }

    fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<(), E> {
        self.tick()
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        self.tick()
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<(), E> {
        self.tick()
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        self.deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.tick()?;
        while seq.next_element_seed(self)?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.tick()?;
        while map.next_key_seed(self)?.is_some() {
            map.next_value_seed(self)?;
        }
        Ok(())
    }

    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        use serde::de::VariantAccess;
        self.tick()?;
        let ((), variant) = data.variant_seed(self)?;
        variant.newtype_variant_seed(self)
    }
}

/// A diagnostic for a serde_yaml error in `source`, which starts `shift`
/// lines into the file.
pub fn diagnostic(path: &Path, source: &str, err: &serde_yaml::Error, shift: usize) -> Diagnostic {
    let message = without_positions(&err.to_string(), shift);
    if message.contains("duplicate entry") || message.contains("duplicate field") {
        if let Some(d) = duplicate_diagnostic(path, source, &message, shift) {
            return d;
        }
    }
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
    } else if d.message.contains(" as u128") || d.message.contains(" as i128") {
        d.hint("YAML reads this as a number too long to hold; put it in quotes to keep it as text, e.g. slug: \"12345678901234567890\"")
    } else if d.message.contains("recursion limit exceeded") {
        d.hint("lists and maps may nest at most 128 levels deep; look for a stray `-`, `[` or `{`")
    } else {
        d
    };
    d.shifted(shift)
}

/// serde_yaml reports a repeated key at the start of its map; this points at
/// the key that repeats, and says where it was first.
fn duplicate_diagnostic(
    path: &Path,
    source: &str,
    message: &str,
    shift: usize,
) -> Option<Diagnostic> {
    let found = locate::duplicate(source)?;
    let key = scalar_string(&found.key).unwrap_or_else(|| "…".to_string());
    // serde_yaml puts the path of a nested map first: "author: duplicate …".
    let within = message
        .split_once(": duplicate")
        .map(|(within, _)| format!(" in `{within}`"))
        .unwrap_or_default();
    let written = &source[found.second.offset.min(source.len())..];
    let width = key.chars().count()
        + if written.starts_with(['"', '\'']) {
            2
        } else {
            0
        };
    let first = match found.first {
        Some(first) => format!("the first `{key}` is at line {}; ", first.line + shift),
        None => String::new(),
    };
    Some(
        Diagnostic::at(
            path,
            source,
            found.second.line,
            found.second.column,
            format!("the key `{key}` appears twice{within}"),
        )
        .width(width)
        .hint(format!(
            "{first}YAML keeps only one value per key, so remove one of the two"
        ))
        .shifted(shift),
    )
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

    fn parsed(source: &str) -> Result<serde_yaml::Value, String> {
        parse(Path::new("content/posts/a.md"), source, 1).map_err(|d| d.to_string())
    }

    #[test]
    fn runaway_nesting_fails_fast_and_located() {
        let source = format!("title: Hallo\ntags: {}\n", "[".repeat(100_000));
        let start = std::time::Instant::now();
        let err = parsed(&source).unwrap_err();
        // Well under 100 ms when measured alone; generous for busy machines
        // (serde_yaml took 25 s).
        assert!(start.elapsed() < std::time::Duration::from_secs(1));
        assert!(
            err.starts_with("error: lists and maps are nested more than 128 levels deep here\n  --> content/posts/a.md:3:135\n"),
            "{err}"
        );
        // Brackets in quotes and block scalars are text.
        let many = "[".repeat(100_000);
        let fine = format!("title: \"{many}\"\ntext: |\n  {many}\n");
        let value = parsed(&fine).unwrap();
        assert_eq!(value["title"].as_str().map(str::len), Some(100_000));
    }

    #[test]
    fn aliases_may_not_multiply_the_text() {
        let list = format!("a: &a [{}]\n", "x, ".repeat(10_000));
        let source = format!("title: t\n{list}b: [{}]\n", "*a, ".repeat(10_000));
        let start = std::time::Instant::now();
        let err = parsed(&source).unwrap_err();
        // serde_yaml took 50 s (optimised) to expand this.
        assert!(start.elapsed() < std::time::Duration::from_secs(10));
        assert!(
            err.contains("the aliases (`*name`) here make the YAML hold more than"),
            "{err}"
        );
        assert!(err.contains("--> content/posts/a.md:4:4\n"), "{err}");
        // Keys count too.
        let source = format!(
            "{list}? *a\n: 1\n? [*a, *a, *a]\n: 2\n{}",
            (0..3000)
                .map(|i| format!("? [*a, {i}]\n: x\n"))
                .collect::<String>()
        );
        let err = parsed(&source).unwrap_err();
        assert!(err.contains("make the YAML hold more than"), "{err}");
        // Aliases used as they are meant to be are fine.
        let value = parsed("base: &b {a: 1, b: 2}\nx: *b\ny: *b\n").unwrap();
        assert_eq!(value["y"]["b"].as_u64(), Some(2));
    }

    #[test]
    fn a_repeated_key_is_shown_where_it_repeats() {
        let err = parsed("title: Eins\ndate: 2024-01-01\ntitle: Zwei\n").unwrap_err();
        assert_eq!(
            err,
            "error: the key `title` appears twice\n  --> content/posts/a.md:4:1\n   |\n 4 | title: Zwei\n   | ^^^^^\n  = hint: the first `title` is at line 2; YAML keeps only one value per key, so remove one of the two\n"
        );
        let err = parsed("title: x\nauthor:\n  name: A\n  \"name\": B\n").unwrap_err();
        assert!(
            err.starts_with("error: the key `name` appears twice in `author`\n  --> content/posts/a.md:5:3\n   |\n 5 |   \"name\": B\n   |   ^^^^^^\n"),
            "{err}"
        );
    }

    #[test]
    fn escaped_control_characters_are_found_where_written() {
        let source = "title: \"a\\u0000b\"\ntags: [ok, \"\\x1b[31m\"]\nextra:\n  farbe: \"rot\\x7f\"\nfine: \"tab\\there\\r\\n\"\n";
        let value: serde_yaml::Value = serde_yaml::from_str(source).unwrap();
        let found: Vec<String> =
            escaped_controls(Path::new("content/posts/a.md"), source, &value, 1)
                .iter()
                .map(|d| format!("{}:{}:{} {}", d.line, d.column, d.width, d.message))
                .collect();
        assert_eq!(
            found,
            [
                "2:8:10 `title` contains the control character U+0000 (NUL)",
                "3:12:10 `tags[1]` contains the control character U+001B (escape)",
                "5:10:9 `extra.farbe` contains the control character U+007F (DEL)",
            ]
        );
    }

    #[test]
    fn numbers_and_bools_keep_their_written_form() {
        let source = "title: 3.10\nslug: 010\nn: 1e3\ntags: [2024, 3.10, true, Text, \"4.50\"]\nauthor: {name: 0x1F, n: ~}\nx: !zahl 1.50\nhex: 0o17\ninf: .inf\n";
        let value: serde_yaml::Value = serde_yaml::from_str(source).unwrap();
        assert_eq!(value["title"].as_f64(), Some(3.1));
        let w = written(source, &value).unwrap();
        let text = |v: &serde_yaml::Value| v.as_str().map(str::to_string);
        assert_eq!(text(&w["title"]).as_deref(), Some("3.10"));
        assert_eq!(text(&w["slug"]).as_deref(), Some("010"));
        assert_eq!(text(&w["n"]).as_deref(), Some("1e3"));
        let tags: Vec<Option<String>> = w["tags"].as_sequence().unwrap().iter().map(text).collect();
        assert_eq!(
            tags,
            [
                Some("2024"),
                Some("3.10"),
                Some("true"),
                Some("Text"),
                Some("4.50")
            ]
            .map(|s| s.map(str::to_string))
        );
        assert_eq!(text(&w["author"]["name"]).as_deref(), Some("0x1F"));
        assert!(w["author"]["n"].is_null());
        assert_eq!(text(&w["x"]).as_deref(), Some("1.50"));
        assert_eq!(text(&w["hex"]).as_deref(), Some("0o17"));
        assert_eq!(text(&w["inf"]).as_deref(), Some(".inf"));
        // Through aliases too.
        let source = "a: &z 1.50\nb: *z\n";
        let value: serde_yaml::Value = serde_yaml::from_str(source).unwrap();
        let w = written(source, &value).unwrap();
        assert_eq!(text(&w["b"]).as_deref(), Some("1.50"));
    }

    #[test]
    fn widths_of_written_scalars() {
        let width = |s: &str, at: &str| written_width(s, s.find(at).unwrap_or(0));
        assert_eq!(width("t: \"a\\\"b\" # x\n", "\""), 6);
        assert_eq!(width("t: 'it''s' # x\n", "'"), 7);
        assert_eq!(width("t: [C, C++ , \"D\"]\n", "C++"), 3);
        assert_eq!(width("t: Hallo Welt # x\n", "Hallo"), 10);
        assert_eq!(width("t: Hallo, Welt\r\n", "Hallo"), 11);
        assert_eq!(width("t: \"offen\n", "\""), 6);
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Config {
        title: String,
        extra: Option<serde_yaml::Mapping>,
    }

    #[test]
    fn a_repeated_field_of_a_struct_is_shown_where_it_repeats() {
        let source = "title: Blog\nextra:\n  a: 1\ntitle: Noch einer\n";
        let err = serde_yaml::from_str::<Config>(source).unwrap_err();
        let d = diagnostic(Path::new("echt.yaml"), source, &err, 0);
        assert_eq!((d.line, d.column, d.width), (4, 1, 5), "{d}");
        assert_eq!(d.message, "the key `title` appears twice");
        let source = "title: Blog\nextra:\n  a: 1\n  b: 2\n  a: 3\n";
        let err = serde_yaml::from_str::<Config>(source).unwrap_err();
        let d = diagnostic(Path::new("echt.yaml"), source, &err, 0);
        assert_eq!((d.line, d.column), (5, 3), "{d}");
        assert_eq!(d.message, "the key `a` appears twice in `extra`");
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
