//! Where a value was written, found by serde_yaml itself.
//!
//! serde_yaml keeps no positions in a `Value`, but every error it returns
//! carries the position of the node being read when the error arose. So to
//! find a node, the text is read once more by a visitor that fails exactly
//! at that node: the error's position is the node's. This is done only for
//! problems being reported, and it cannot disagree with how serde_yaml read
//! the text the first time.

use std::cell::RefCell;
use std::collections::HashSet;
use std::fmt;

use serde::de::value::{EnumAccessDeserializer, MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{
    DeserializeSeed, Deserializer, EnumAccess, IgnoredAny, MapAccess, SeqAccess, VariantAccess,
    Visitor,
};
use serde::Deserialize;
use serde_yaml::Value;

/// One step on the way to a node: a key of a map or an index in a list.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    Key(Value),
    Index(usize),
}

impl Step {
    pub fn key(key: &str) -> Step {
        Step::Key(Value::String(key.to_string()))
    }
}

/// A position in the YAML text: 1-based line and column (in characters)
/// and the byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Located {
    pub line: usize,
    pub column: usize,
    pub offset: usize,
}

/// A key written twice in one map.
#[derive(Debug, Clone, PartialEq)]
pub struct Duplicate {
    pub key: Value,
    pub first: Option<Located>,
    pub second: Located,
}

/// Where the node at `path` starts: its first character (a quote, `[`, the
/// first key of a block map, the first `-` of a block list).
pub fn node(source: &str, path: &[Step]) -> Option<Located> {
    let state = RefCell::new(State {
        mode: Mode::Node,
        maps: 0,
        found: None,
    });
    run(source, &state, Some(path))
}

/// The first key (in the order of the text) that repeats a key of its map,
/// and where that map has it first.
pub fn duplicate(source: &str) -> Option<Duplicate> {
    let state = RefCell::new(State {
        mode: Mode::Repeated,
        maps: 0,
        found: None,
    });
    let second = run(source, &state, None)?;
    let (map, key) = state.into_inner().found?;
    let state = RefCell::new(State {
        mode: Mode::First {
            map,
            key: key.clone(),
        },
        maps: 0,
        found: None,
    });
    let first = run(source, &state, None);
    Some(Duplicate { key, first, second })
}

fn run(source: &str, state: &RefCell<State>, target: Option<&[Step]>) -> Option<Located> {
    let walk = Walk { state, target };
    match walk.deserialize(serde_yaml::Deserializer::from_str(source)) {
        Err(e) if e.to_string().contains(FOUND) => e.location().map(|l| Located {
            line: l.line(),
            column: l.column(),
            offset: l.index(),
        }),
        _ => None,
    }
}

/// The text of the error that marks the node looked for (serde_yaml puts
/// the path of the node before it).
const FOUND: &str = "echt: found";

#[derive(Debug)]
enum Mode {
    /// Stop at the node the walk's target path leads to.
    Node,
    /// Stop at a key its map has already had.
    Repeated,
    /// Stop at `key` in the `map`-th map of the text.
    First { map: usize, key: Value },
}

#[derive(Debug)]
struct State {
    mode: Mode,
    /// Maps entered so far, in the order of the text.
    maps: usize,
    /// With [`Mode::Repeated`]: the map and the key that repeats.
    found: Option<(usize, Value)>,
}

/// Reads any node; `target` is the rest of the way to the node looked for
/// if this node is on it.
#[derive(Clone, Copy)]
struct Walk<'a, 'p> {
    state: &'a RefCell<State>,
    target: Option<&'p [Step]>,
}

impl Walk<'_, '_> {
    /// Whether this node is the one looked for.
    fn is_target(&self) -> bool {
        self.target.is_some_and(<[Step]>::is_empty)
    }

    fn leaf<E: serde::de::Error>(self) -> Result<(), E> {
        if self.is_target() {
            Err(E::custom(FOUND))
        } else {
            Ok(())
        }
    }

    fn child(self, step: &Step) -> Self {
        let target = match self.target {
            Some([first, rest @ ..]) if first == step => Some(rest),
            _ => None,
        };
        Walk {
            state: self.state,
            target,
        }
    }
}

impl<'de> DeserializeSeed<'de> for Walk<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Walk<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("YAML")
    }

    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<(), E> {
        self.leaf()
    }

    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<(), E> {
        self.leaf()
    }

    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<(), E> {
        self.leaf()
    }

    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<(), E> {
        self.leaf()
    }

    fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<(), E> {
        self.leaf()
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        self.leaf()
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<(), E> {
        self.leaf()
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        self.deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.leaf()?;
        let mut index = 0;
        while seq
            .next_element_seed(self.child(&Step::Index(index)))?
            .is_some()
        {
            index += 1;
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.leaf()?;
        let id = {
            let mut state = self.state.borrow_mut();
            state.maps += 1;
            state.maps
        };
        let mut seen = HashSet::new();
        loop {
            let key = Key {
                state: self.state,
                map: id,
                seen: &mut seen,
            };
            let Some(key) = map.next_key_seed(key)? else {
                return Ok(());
            };
            map.next_value_seed(self.child(&Step::Key(key)))?;
        }
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        // A tagged node (`!tag value`): the tag, then the value.
        self.leaf()?;
        let (IgnoredAny, variant) = data.variant()?;
        variant.newtype_variant_seed(Walk {
            state: self.state,
            target: None,
        })
    }
}

/// Reads a key as a `Value` (as serde_yaml's maps do) and checks it.
struct Key<'a, 's> {
    state: &'a RefCell<State>,
    map: usize,
    seen: &'s mut HashSet<Value>,
}

impl Key<'_, '_> {
    /// Fails while this key's node is being read, so that the error
    /// carries its position.
    fn check<E: serde::de::Error>(self, key: Value) -> Result<Value, E> {
        let mut state = self.state.borrow_mut();
        match &state.mode {
            Mode::Node => Ok(key),
            Mode::Repeated => {
                if self.seen.insert(key.clone()) {
                    Ok(key)
                } else {
                    state.found = Some((self.map, key));
                    Err(E::custom(FOUND))
                }
            }
            Mode::First { map, key: wanted } => {
                if *map == self.map && *wanted == key {
                    Err(E::custom(FOUND))
                } else {
                    Ok(key)
                }
            }
        }
    }
}

impl<'de> DeserializeSeed<'de> for Key<'_, '_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Key<'_, '_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a YAML key")
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Value, E> {
        self.check(Value::Bool(v))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Value, E> {
        self.check(Value::Number(v.into()))
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Value, E> {
        self.check(Value::Number(v.into()))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Value, E> {
        self.check(Value::Number(v.into()))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Value, E> {
        self.check(Value::String(v.to_string()))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Value, E> {
        self.check(Value::Null)
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Value, E> {
        self.check(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        let value = Value::deserialize(d)?;
        self.check(value)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Value, A::Error> {
        let value = Value::deserialize(SeqAccessDeserializer::new(seq))?;
        self.check(value)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Value, A::Error> {
        let value = Value::deserialize(MapAccessDeserializer::new(map))?;
        self.check(value)
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        let value = Value::deserialize(EnumAccessDeserializer::new(data))?;
        self.check(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: usize, column: usize) -> (usize, usize) {
        (line, column)
    }

    fn pos(found: Option<Located>) -> Option<(usize, usize)> {
        found.map(|l| (l.line, l.column))
    }

    #[test]
    fn nodes_are_found_by_their_path() {
        let src =
            "title: Hallo\ntags: [a, \"C++\", 3.10]\nauthor:\n  name: Erika\nlist:\n  - x\n  - y\n";
        assert_eq!(pos(node(src, &[Step::key("title")])), Some(at(1, 8)));
        assert_eq!(
            pos(node(src, &[Step::key("tags"), Step::Index(1)])),
            Some(at(2, 11))
        );
        assert_eq!(
            pos(node(src, &[Step::key("tags"), Step::Index(2)])),
            Some(at(2, 18))
        );
        assert_eq!(
            pos(node(src, &[Step::key("author"), Step::key("name")])),
            Some(at(4, 9))
        );
        assert_eq!(
            pos(node(src, &[Step::key("list"), Step::Index(1)])),
            Some(at(7, 5))
        );
        assert_eq!(pos(node(src, &[Step::key("fehlt")])), None);
        assert_eq!(pos(node(src, &[Step::key("tags"), Step::Index(7)])), None);
        let found = node(src, &[Step::key("tags"), Step::Index(1)]);
        assert_eq!(found.map(|l| &src[l.offset..l.offset + 5]), Some("\"C++\""));
    }

    #[test]
    fn the_second_of_two_equal_keys_is_found_with_the_first() {
        let src = "title: a\ndate: 2024-01-01\n\"title\": b\n";
        let d = duplicate(src).unwrap();
        assert_eq!(d.key, Value::String("title".into()));
        assert_eq!(
            (pos(d.first), (d.second.line, d.second.column)),
            (Some(at(1, 1)), at(3, 1))
        );
        // Nested, and in a flow map.
        let d = duplicate("x:\n  a: 1\n  b: 2\n  a: 3\n").unwrap();
        assert_eq!(
            (pos(d.first), (d.second.line, d.second.column)),
            (Some(at(2, 3)), at(4, 3))
        );
        let d = duplicate("x: {a: 1, b: 2, a: 3}\n").unwrap();
        assert_eq!(
            (pos(d.first), (d.second.line, d.second.column)),
            (Some(at(1, 5)), at(1, 17))
        );
        // Equal keys in different maps are fine.
        assert_eq!(duplicate("a: {x: 1}\nb: {x: 1}\n"), None);
        // 1 and "1" are different keys, as in serde_yaml.
        assert_eq!(duplicate("1: a\n\"1\": b\n"), None);
    }
}
