//! Templates and macros that use themselves, found before anything renders.
//!
//! Tera renders `{% include %}`, `{% extends %}`, `{% import %}` and macro
//! calls by recursion, without a depth limit: a template that includes
//! itself, two that include (or extend, or import) each other, or a macro
//! that calls itself overflows the stack and kills `echt build` and `echt
//! serve` alike. So the theme is refused when it loads.
//!
//! What uses what is read from tera's own parse of each template (its
//! `ast`), so comments, `{% raw %}` blocks and strings cannot fool it.
//! Tera keeps no positions, so the tag that closes a cycle is then found in
//! the text by a scan of its `{% %}` and `{{ }}` tags that skips comments
//! and raw blocks. Recursive macros are refused outright, even those that
//! would stop: whether they stop depends on the data, and a blog theme
//! does not need them.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::PathBuf;

use tera::ast::{Expr, ExprVal, Node};

use crate::util::error::Diagnostic;

/// A template, or a macro of a template.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Unit {
    Template(String),
    Macro { template: String, name: String },
}

impl Unit {
    fn template(&self) -> &str {
        match self {
            Unit::Template(t) | Unit::Macro { template: t, .. } => t,
        }
    }

    fn shown(&self) -> String {
        match self {
            Unit::Template(t) => format!("`{t}`"),
            Unit::Macro { template, name } => format!("the macro `{name}` of `{template}`"),
        }
    }
}

/// How one unit uses another.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Use {
    Extends,
    Include,
    Import,
    /// `namespace::name(…)`.
    Call {
        namespace: String,
        name: String,
    },
}

impl Use {
    fn verb(&self) -> &'static str {
        match self {
            Use::Extends => "extends",
            Use::Include => "includes",
            Use::Import => "imports",
            Use::Call { .. } => "calls",
        }
    }
}

#[derive(Debug, Clone)]
struct Edge {
    to: Unit,
    how: Use,
}

/// Every cycle among the templates of `sources` (name → shown path, text),
/// each as an error at the tag that closes it.
pub fn find(sources: &BTreeMap<String, (PathBuf, String)>) -> Vec<Diagnostic> {
    let parsed: BTreeMap<&str, tera::Template> = sources
        .iter()
        .filter_map(|(name, (_, text))| {
            // Templates tera cannot parse are reported as syntax errors.
            tera::Template::new(name, None, text)
                .ok()
                .map(|t| (name.as_str(), t))
        })
        .collect();
    let graph = graph(&parsed);
    let mut found: Vec<Vec<(Unit, Edge)>> = Vec::new();
    let mut done: BTreeSet<Unit> = BTreeSet::new();
    for start in graph.keys() {
        let mut path: Vec<(Unit, Edge)> = Vec::new();
        visit(start, &graph, &mut path, &mut done, &mut found);
    }
    found
        .into_iter()
        .map(|cycle| diagnostic(sources, &cycle))
        .collect()
}

/// Depth first from `unit`; `path` holds the edges taken to reach it.
fn visit(
    unit: &Unit,
    graph: &BTreeMap<Unit, Vec<Edge>>,
    path: &mut Vec<(Unit, Edge)>,
    done: &mut BTreeSet<Unit>,
    found: &mut Vec<Vec<(Unit, Edge)>>,
) {
    if done.contains(unit) {
        return;
    }
    for edge in graph.get(unit).into_iter().flatten() {
        let on_path = path.iter().position(|(from, _)| *from == edge.to);
        if edge.to == *unit || on_path.is_some() {
            // The cycle: from where `edge.to` was left, around to `edge`.
            let mut cycle: Vec<(Unit, Edge)> = path[on_path.unwrap_or(path.len())..].to_vec();
            cycle.push((unit.clone(), edge.clone()));
            found.push(cycle);
            continue;
        }
        path.push((unit.clone(), edge.clone()));
        visit(&edge.to, graph, path, done, found);
        path.pop();
    }
    done.insert(unit.clone());
}

/// What each template and macro uses, as far as it exists.
fn graph(parsed: &BTreeMap<&str, tera::Template>) -> BTreeMap<Unit, Vec<Edge>> {
    let mut graph: BTreeMap<Unit, Vec<Edge>> = BTreeMap::new();
    for (&name, template) in parsed {
        let mut uses = Vec::new();
        if let Some(parent) = &template.parent {
            uses.push(Edge {
                to: Unit::Template(parent.clone()),
                how: Use::Extends,
            });
        }
        for (file, _) in &template.imported_macro_files {
            uses.push(Edge {
                to: Unit::Template(file.clone()),
                how: Use::Import,
            });
        }
        body_uses(&template.ast, &mut uses);
        graph.insert(Unit::Template(name.to_string()), uses);
        for (macro_name, definition) in &template.macros {
            let mut uses = Vec::new();
            for default in definition.args.values().flatten() {
                expr_uses(default, &mut uses);
            }
            body_uses(&definition.body, &mut uses);
            graph.insert(
                Unit::Macro {
                    template: name.to_string(),
                    name: macro_name.clone(),
                },
                uses,
            );
        }
    }
    // Calls name a namespace: `self` or an import of the calling template.
    let resolve = |template: &str, namespace: &str| -> Option<String> {
        if namespace == "self" {
            return Some(template.to_string());
        }
        parsed
            .get(template)?
            .imported_macro_files
            .iter()
            .find(|(_, ns)| ns == namespace)
            .map(|(file, _)| file.clone())
    };
    let exists = |unit: &Unit| match unit {
        Unit::Template(t) => parsed.contains_key(t.as_str()),
        Unit::Macro { template, name } => parsed
            .get(template.as_str())
            .is_some_and(|t| t.macros.contains_key(name)),
    };
    let units: Vec<Unit> = graph.keys().cloned().collect();
    for unit in units {
        let template = unit.template().to_string();
        if let Some(edges) = graph.get_mut(&unit) {
            for edge in edges.iter_mut() {
                if let Use::Call { namespace, name } = &edge.how {
                    if let Some(file) = resolve(&template, namespace) {
                        edge.to = Unit::Macro {
                            template: file,
                            name: name.clone(),
                        };
                    }
                }
            }
            // Missing templates and macros fail when rendering, with a
            // message of their own; they close no cycle.
            edges.retain(|e| exists(&e.to));
        }
    }
    graph
}

/// Uses in the nodes of a template or macro body. Macro definitions are
/// units of their own, so their bodies are skipped here.
fn body_uses(nodes: &[Node], uses: &mut Vec<Edge>) {
    for node in nodes {
        match node {
            Node::Include(_, names, _) => {
                for name in names {
                    uses.push(Edge {
                        to: Unit::Template(name.clone()),
                        how: Use::Include,
                    });
                }
            }
            Node::VariableBlock(_, expr) => expr_uses(expr, uses),
            Node::Set(_, set) => expr_uses(&set.value, uses),
            Node::FilterSection(_, section, _) => {
                section
                    .filter
                    .args
                    .values()
                    .for_each(|e| expr_uses(e, uses));
                body_uses(&section.body, uses);
            }
            Node::Block(_, block, _) => body_uses(&block.body, uses),
            Node::Forloop(_, forloop, _) => {
                expr_uses(&forloop.container, uses);
                body_uses(&forloop.body, uses);
                if let Some(empty) = &forloop.empty_body {
                    body_uses(empty, uses);
                }
            }
            Node::If(branches, _) => {
                for (_, condition, body) in &branches.conditions {
                    expr_uses(condition, uses);
                    body_uses(body, uses);
                }
                if let Some((_, body)) = &branches.otherwise {
                    body_uses(body, uses);
                }
            }
            Node::MacroDefinition(..)
            | Node::Extends(..)
            | Node::ImportMacro(..)
            | Node::Super
            | Node::Text(_)
            | Node::Raw(..)
            | Node::Break(_)
            | Node::Continue(_)
            | Node::Comment(..) => {}
        }
    }
}

/// Macro calls anywhere in an expression, its filters' arguments included.
/// The target is resolved later; `to` holds a placeholder until then.
fn expr_uses(expr: &Expr, uses: &mut Vec<Edge>) {
    for filter in &expr.filters {
        filter.args.values().for_each(|e| expr_uses(e, uses));
    }
    val_uses(&expr.val, uses);
}

fn val_uses(val: &ExprVal, uses: &mut Vec<Edge>) {
    match val {
        ExprVal::MacroCall(call) => {
            uses.push(Edge {
                to: Unit::Template(String::new()),
                how: Use::Call {
                    namespace: call.namespace.clone(),
                    name: call.name.clone(),
                },
            });
            call.args.values().for_each(|e| expr_uses(e, uses));
        }
        ExprVal::FunctionCall(call) => call.args.values().for_each(|e| expr_uses(e, uses)),
        ExprVal::Math(m) => {
            expr_uses(&m.lhs, uses);
            expr_uses(&m.rhs, uses);
        }
        ExprVal::Logic(l) => {
            expr_uses(&l.lhs, uses);
            expr_uses(&l.rhs, uses);
        }
        ExprVal::In(i) => {
            expr_uses(&i.lhs, uses);
            expr_uses(&i.rhs, uses);
        }
        ExprVal::Test(test) => test.args.iter().for_each(|e| expr_uses(e, uses)),
        ExprVal::Array(items) => items.iter().for_each(|e| expr_uses(e, uses)),
        ExprVal::StringConcat(concat) => concat.values.iter().for_each(|v| val_uses(v, uses)),
        ExprVal::String(_)
        | ExprVal::Int(_)
        | ExprVal::Float(_)
        | ExprVal::Bool(_)
        | ExprVal::Ident(_) => {}
    }
}

/// The error for one cycle, at the tag of its last use. The circle is
/// told so that it closes in a file of the site's own where it can: the
/// built-in theme is not the author's to edit.
fn diagnostic(sources: &BTreeMap<String, (PathBuf, String)>, cycle: &[(Unit, Edge)]) -> Diagnostic {
    let built_in = |unit: &Unit| {
        sources
            .get(unit.template())
            .is_none_or(|(shown, _)| shown.starts_with("(built-in default theme)"))
    };
    let mut cycle = cycle.to_vec();
    if let Some(last) = cycle.iter().rposition(|(from, _)| !built_in(from)) {
        let len = cycle.len();
        cycle.rotate_left((last + 1) % len);
    }
    let cycle = cycle.as_slice();
    let steps: Vec<String> = cycle
        .iter()
        .map(|(from, edge)| format!("{} {} {}", from.shown(), edge.how.verb(), edge.to.shown()))
        .collect();
    let macros_only = cycle.iter().all(|(from, edge)| {
        matches!(from, Unit::Macro { .. }) && matches!(edge.to, Unit::Macro { .. })
    });
    let message = match cycle {
        [(from, edge)] if macros_only => format!("{} calls itself", from.shown()),
        [(from, edge)] => format!(
            "{} {} itself, so rendering it never ends",
            from.shown(),
            edge.how.verb()
        ),
        _ if macros_only => format!("macros call each other in a circle: {}", steps.join(", ")),
        _ => format!(
            "templates use each other in a circle, so rendering them never ends: {}",
            steps.join(", ")
        ),
    };
    let hint = if cycle
        .iter()
        .any(|(from, _)| matches!(from, Unit::Macro { .. }))
    {
        "echt refuses recursive macros: whether one ever stops depends on the data, and a blog theme does not need them; write nested lists out level by level (see the default theme's `toc`)"
    } else {
        "a template may not include, extend or import itself, directly or through others; remove one of these uses"
    };
    let Some((from, edge)) = cycle.last() else {
        return Diagnostic::file("templates", message).hint(hint);
    };
    let Some((shown, text)) = sources.get(from.template()) else {
        return Diagnostic::file("templates", message).hint(hint);
    };
    let within = match from {
        Unit::Macro { name, .. } => Some(name.as_str()),
        Unit::Template(_) => None,
    };
    match locate(text, within, edge) {
        Some(range) => Diagnostic::at_offset(shown, text, range.start, range.len(), message),
        None => Diagnostic::file(shown, message),
    }
    .hint(hint)
}

/// A `{% %}` or `{{ }}` tag: its whole text, and the part inside.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Tag {
    whole: Range<usize>,
    inner: Range<usize>,
    statement: bool,
}

/// Every tag of a template, skipping `{# comments #}` and what lies between
/// `{% raw %}` and `{% endraw %}`.
fn tags(text: &str) -> Vec<Tag> {
    let mut out = Vec::new();
    let mut at = 0;
    let mut raw = false;
    while let Some(open) = text[at..].find('{').map(|i| at + i) {
        let rest = &text[open..];
        let (close, statement) = if rest.starts_with("{#") {
            at = text[open..].find("#}").map_or(text.len(), |i| open + i + 2);
            continue;
        } else if rest.starts_with("{%") {
            ("%}", true)
        } else if rest.starts_with("{{") && !raw {
            ("}}", false)
        } else {
            at = open + 1;
            continue;
        };
        let Some(end) = tag_end(text, open + 2, close) else {
            break;
        };
        let inner = open + 2..end;
        let body = text[inner.clone()].trim_matches(|c: char| c == '-' || c.is_whitespace());
        let word = body.split_whitespace().next().unwrap_or_default();
        at = end + 2;
        if raw {
            raw = !(statement && word == "endraw");
            continue;
        }
        if statement && word == "raw" {
            raw = true;
            continue;
        }
        out.push(Tag {
            whole: open..end + 2,
            inner,
            statement,
        });
    }
    out
}

/// Where `close` ends a tag whose inside starts at `from`, past any quoted
/// string (tera's strings: `"…"`, `'…'`, `` `…` ``).
fn tag_end(text: &str, from: usize, close: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            q @ (b'"' | b'\'' | b'`') => {
                i = text[i + 1..].find(char::from(q)).map(|e| i + 1 + e + 1)?;
            }
            _ if text[i..].starts_with(close) => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// `text` with every quoted string blanked out, so that a search finds
/// only code.
fn code_only(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut quote: Option<char> = None;
    for c in text.chars() {
        match quote {
            Some(q) if c == q => {
                quote = None;
                out.push(c);
            }
            Some(_) => out.extend(std::iter::repeat_n(' ', c.len_utf8())),
            None => {
                if matches!(c, '"' | '\'' | '`') {
                    quote = Some(c);
                }
                out.push(c);
            }
        }
    }
    out
}

/// The bytes of the tag (or the call in it) that makes `edge`, inside the
/// macro `within` or outside every macro.
fn locate(text: &str, within: Option<&str>, edge: &Edge) -> Option<Range<usize>> {
    let mut current: Option<String> = None;
    for tag in tags(text) {
        let inner = &text[tag.inner.clone()];
        let body = inner.trim_matches(|c: char| c == '-' || c.is_whitespace());
        let mut words = body.split_whitespace();
        let word = words.next().unwrap_or_default();
        if tag.statement && word == "macro" {
            let name = words.next().unwrap_or_default();
            current = Some(name.split('(').next().unwrap_or_default().to_string());
            continue;
        }
        if tag.statement && word == "endmacro" {
            current = None;
            continue;
        }
        if current.as_deref() != within {
            continue;
        }
        let quoted = |name: &str| {
            body.contains(&format!("\"{name}\"")) || body.contains(&format!("'{name}'"))
        };
        let target = edge.to.template();
        match &edge.how {
            Use::Extends if tag.statement && word == "extends" && quoted(target) => {
                return Some(tag.whole)
            }
            Use::Include if tag.statement && word == "include" && quoted(target) => {
                return Some(tag.whole)
            }
            Use::Import if tag.statement && word == "import" && quoted(target) => {
                return Some(tag.whole)
            }
            Use::Call { namespace, name } => {
                let call = format!("{namespace}::{name}");
                let code = code_only(inner);
                let found = code.match_indices(&call).map(|(i, _)| i).find(|&i| {
                    let before = code[..i].chars().next_back();
                    let after = code[i + call.len()..].trim_start().chars().next();
                    !before.is_some_and(|c| c.is_alphanumeric() || c == '_') && after == Some('(')
                });
                if let Some(i) = found {
                    let start = tag.inner.start + i;
                    return Some(start..start + call.len());
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(templates: &[(&str, &str)]) -> Vec<String> {
        let sources: BTreeMap<String, (PathBuf, String)> = templates
            .iter()
            .map(|(name, text)| {
                (
                    (*name).to_string(),
                    (
                        PathBuf::from(format!("templates/{name}")),
                        (*text).to_string(),
                    ),
                )
            })
            .collect();
        find(&sources)
            .iter()
            .map(|d| format!("{}:{}:{} {}", d.path.display(), d.line, d.column, d.message))
            .collect()
    }

    #[test]
    fn a_template_including_itself() {
        let found = check(&[(
            "a.html",
            "<p>\n{# {% include \"a.html\" %} #}\n{% include \"a.html\" %}</p>",
        )]);
        assert_eq!(
            found,
            ["templates/a.html:3:1 `a.html` includes itself, so rendering it never ends"]
        );
    }

    #[test]
    fn templates_in_a_circle() {
        let found = check(&[
            ("a.html", "{% include \"b.html\" %}"),
            ("b.html", "{% extends \"c.html\" %}"),
            (
                "c.html",
                "x\n{% if y %}{% include \"a.html\" ignore missing %}{% endif %}",
            ),
            ("d.html", "{% import \"e.html\" as e %}"),
            ("e.html", "{% import \"d.html\" as d %}"),
        ]);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(
            found[0],
            "templates/c.html:2:11 templates use each other in a circle, so rendering them never ends: `a.html` includes `b.html`, `b.html` extends `c.html`, `c.html` includes `a.html`"
        );
        assert!(found[1].starts_with("templates/e.html:1:1 "), "{found:?}");
    }

    #[test]
    fn macros_calling_themselves() {
        let macros = "{% macro a(n) %}{% raw %}{{ self::a(n=1) }}{% endraw %}{{ \"self::a(\" }}{{ self::b(n=n) }}{% endmacro a %}\n{% macro b(n) %}{% if n %}{{ self::a(n=n - 1) }}{% endif %}{% endmacro b %}\n{% macro c(items) %}{% for i in items %}{{ self::c(items=i) }}{% endfor %}{% endmacro c %}";
        let found = check(&[
            ("m.html", macros),
            ("page.html", "{% import \"m.html\" as m %}{{ m::a(n=3) }}"),
        ]);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found.contains(&"templates/m.html:2:30 macros call each other in a circle: the macro `a` of `m.html` calls the macro `b` of `m.html`, the macro `b` of `m.html` calls the macro `a` of `m.html`".to_string()),
            "{found:?}"
        );
        assert!(
            found.iter().any(|f| f.starts_with("templates/m.html:3:")
                && f.ends_with("the macro `c` of `m.html` calls itself")),
            "{found:?}"
        );
    }

    #[test]
    fn the_default_theme_has_no_cycles() {
        let sources: BTreeMap<String, (PathBuf, String)> = crate::render::theme::DEFAULT_THEME
            .iter()
            .filter_map(|(path, bytes)| {
                let name = path.strip_prefix("templates/")?;
                Some((
                    name.to_string(),
                    (
                        PathBuf::from(path),
                        String::from_utf8_lossy(bytes).into_owned(),
                    ),
                ))
            })
            .collect();
        assert_eq!(find(&sources), Vec::new());
    }
}
