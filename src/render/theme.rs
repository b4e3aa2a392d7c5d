//! Themes: tera templates and static files, and errors that name the line.
//!
//! A theme lives in `themes/<name>/` (`templates/*.html`, `static/`); a
//! site's own `templates/` overrides single templates by name. The default
//! theme is also compiled into the binary, so `echt` works on its own.
//! Tera reports syntax errors with a position but render errors without
//! one; [`Theme::render_error`] finds the line of the failing expression.
//!
//! Templates that include, extend or import themselves (directly or through
//! others), and macros that call themselves, would render until the stack
//! overflows and kill the process; they are refused when the theme loads,
//! from tera's parsed templates (see [`cycles`]).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tera::Tera;

use crate::source::config::{Config, CONFIG_FILE};
use crate::source::content::walk_files;
use crate::util::error::Origin;
use crate::util::error::{Diagnostic, Error, Result};
use crate::util::escape;
use crate::util::fingerprint::fingerprint;
use crate::util::text::decode_utf8;

mod cycles;

/// The default theme, compiled in (paths below `themes/default/`).
pub const DEFAULT_THEME: &[(&str, &[u8])] = &[
    (
        "templates/404.html",
        include_bytes!("../../themes/default/templates/404.html"),
    ),
    (
        "templates/archive.html",
        include_bytes!("../../themes/default/templates/archive.html"),
    ),
    (
        "templates/author.html",
        include_bytes!("../../themes/default/templates/author.html"),
    ),
    (
        "templates/base.html",
        include_bytes!("../../themes/default/templates/base.html"),
    ),
    (
        "templates/index.html",
        include_bytes!("../../themes/default/templates/index.html"),
    ),
    (
        "templates/macros.html",
        include_bytes!("../../themes/default/templates/macros.html"),
    ),
    (
        "templates/page.html",
        include_bytes!("../../themes/default/templates/page.html"),
    ),
    (
        "templates/privacy.html",
        include_bytes!("../../themes/default/templates/privacy.html"),
    ),
    (
        "templates/post.html",
        include_bytes!("../../themes/default/templates/post.html"),
    ),
    (
        "templates/search.html",
        include_bytes!("../../themes/default/templates/search.html"),
    ),
    (
        "templates/series.html",
        include_bytes!("../../themes/default/templates/series.html"),
    ),
    (
        "templates/series_index.html",
        include_bytes!("../../themes/default/templates/series_index.html"),
    ),
    (
        "templates/tag.html",
        include_bytes!("../../themes/default/templates/tag.html"),
    ),
    (
        "templates/tags.html",
        include_bytes!("../../themes/default/templates/tags.html"),
    ),
    (
        "static/favicon.svg",
        include_bytes!("../../themes/default/static/favicon.svg"),
    ),
    (
        "static/style.css",
        include_bytes!("../../themes/default/static/style.css"),
    ),
];

/// Templates of pages added after themes were written: a theme without
/// one gets the default theme's.
const FALLBACK_TEMPLATES: [&str; 3] = ["privacy.html", "author.html", "search.html"];

/// Where a static file of the theme comes from.
#[derive(Debug, Clone)]
pub enum StaticFile {
    OnDisk(PathBuf),
    Embedded(&'static [u8]),
}

/// Loaded, parsed templates and the theme's static files.
#[derive(Debug)]
pub struct Theme {
    pub tera: Tera,
    /// Template name → (file shown in messages, source text).
    sources: BTreeMap<String, (PathBuf, String)>,
    /// Path below the site root → file.
    pub static_files: Vec<(String, StaticFile)>,
}

impl Theme {
    pub fn load(config: &Config) -> Result<Theme> {
        let root = &config.root;
        let theme_dir = root.join("themes").join(&config.theme);
        let mut sources = BTreeMap::new();
        let mut static_files = Vec::new();
        let mut errors = Vec::new();

        if theme_dir.is_dir() {
            read_dir_files(
                root,
                &theme_dir.join("templates"),
                &mut errors,
                |name, shown, text| {
                    if name.ends_with(".html") || name.ends_with(".xml") || name.ends_with(".txt") {
                        sources.insert(name, (shown, text));
                    }
                },
            );
            let (files, mut problems) = walk_files(root, &theme_dir.join("static"));
            errors.append(&mut problems);
            for (rel, path) in files {
                static_files.push((rel, StaticFile::OnDisk(path)));
            }
        } else if config.theme == "default" {
            for (path, bytes) in DEFAULT_THEME {
                if let Some(name) = path.strip_prefix("templates/") {
                    let shown = PathBuf::from(format!("(built-in default theme)/templates/{name}"));
                    let text = String::from_utf8_lossy(bytes).into_owned();
                    sources.insert(name.to_string(), (shown, text));
                } else if let Some(rel) = path.strip_prefix("static/") {
                    static_files.push((rel.to_string(), StaticFile::Embedded(bytes)));
                }
            }
        } else {
            let available = available_themes(root);
            let source = std::fs::read_to_string(root.join(CONFIG_FILE)).unwrap_or_default();
            return Err(crate::source::yaml::key_diagnostic(
                Path::new(CONFIG_FILE),
                &source,
                "theme",
                0,
                format!(
                    "the theme `{}` does not exist: there is no folder themes/{}/",
                    config.theme, config.theme
                ),
            )
            .hint(format!("available themes: {}", available.join(", ")))
            .into());
        }
        // Themes written before the privacy, author or search pages existed get
        // the default one.
        for template in FALLBACK_TEMPLATES {
            if sources.contains_key(template) {
                continue;
            }
            if let Some((_, bytes)) = DEFAULT_THEME
                .iter()
                .find(|(path, _)| path.strip_prefix("templates/") == Some(template))
            {
                let shown = PathBuf::from(format!("(built-in default theme)/templates/{template}"));
                sources.insert(
                    template.to_string(),
                    (shown, String::from_utf8_lossy(bytes).into_owned()),
                );
            }
        }
        // The site's own templates win over the theme's.
        read_dir_files(
            root,
            &root.join("templates"),
            &mut errors,
            |name, shown, text| {
                sources.insert(name, (shown, text));
            },
        );
        if !errors.is_empty() {
            return Err(Error::new(errors));
        }

        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_escape_fn(escape_html);
        let all = sources
            .iter()
            .map(|(name, (_, text))| (name.as_str(), text.as_str()));
        let mut cycles = cycles::find(&sources);
        if !cycles.is_empty() {
            // Not even tera may see these: its own check of `extends`
            // finds only cycles through the template it starts from and
            // overflows the stack on the others. Each template alone is
            // still checked for syntax errors.
            cycles.extend(parse_errors(&sources));
            return Err(Error::new(cycles));
        }
        if let Err(e) = tera.add_raw_templates(all) {
            return Err(Error::new(syntax_errors(&sources, &e)));
        }
        Ok(Theme {
            tera,
            sources,
            static_files,
        })
    }

    /// For each template, a fingerprint of its text and of every template
    /// it uses. A template counts as used when its name appears quoted in
    /// the text (`{% extends "base.html" %}`, `{% import "macros.html" as
    /// m %}`, `{% include "x.html" %}`), followed through those in turn: a
    /// name mentioned elsewhere only makes the fingerprint change more
    /// often, never less.
    pub fn fingerprints(&self) -> HashMap<&str, u64> {
        self.sources
            .keys()
            .map(|name| {
                let texts: Vec<(&str, &str)> = self
                    .used_by(name)
                    .into_iter()
                    .map(|n| (n, self.sources[n].1.as_str()))
                    .collect();
                (name.as_str(), fingerprint(texts))
            })
            .collect()
    }

    /// `name` and every template it uses, directly or not (see
    /// [`Theme::fingerprints`]).
    fn used_by<'s>(&'s self, name: &'s str) -> BTreeSet<&'s str> {
        let uses = |text: &str, name: &str| {
            text.contains(&format!("\"{name}\"")) || text.contains(&format!("'{name}'"))
        };
        let mut used = BTreeSet::new();
        if !self.sources.contains_key(name) {
            return used;
        }
        used.insert(name);
        let mut todo = vec![name];
        while let Some(current) = todo.pop() {
            let text = &self.sources[current].1;
            for other in self.sources.keys() {
                if uses(text, other) && used.insert(other.as_str()) {
                    todo.push(other.as_str());
                }
            }
        }
        used
    }

    /// The sources a page rendered with `template` is made of, for the
    /// audit to locate what it finds: the template first.
    pub fn origins(&self, template: &str) -> Vec<Origin> {
        let mut names: Vec<&str> = self.used_by(template).into_iter().collect();
        names.sort_by_key(|n| *n != template);
        names
            .into_iter()
            .map(|n| Origin {
                shown: self.sources[n].0.clone(),
                text: Arc::from(self.sources[n].1.as_str()),
            })
            .collect()
    }

    /// Turns a tera render error into a diagnostic at the failing line.
    pub fn render_error(&self, template: &str, err: &tera::Error, page: &str) -> Diagnostic {
        let chain = error_chain(err);
        // The innermost message says what failed; tera names the expression in backticks.
        let message = chain.last().cloned().unwrap_or_default();
        let needle = message.split('`').nth(1).map(str::to_string);
        let mut candidates: Vec<&str> = vec![template];
        candidates.extend(
            self.sources
                .keys()
                .map(String::as_str)
                .filter(|n| *n != template),
        );
        if let Some(needle) = needle.filter(|n| !n.is_empty()) {
            for name in candidates {
                let Some((shown, text)) = self.sources.get(name) else {
                    continue;
                };
                if let Some(offset) = find_in_tags(text, &needle) {
                    return Diagnostic::at_offset(
                        shown,
                        text,
                        offset,
                        needle.len(),
                        clean(&message),
                    )
                    .hint(format!("while rendering {page} with template {template}"));
                }
            }
        }
        let shown = self
            .sources
            .get(template)
            .map_or_else(|| PathBuf::from(template), |(p, _)| p.clone());
        Diagnostic::file(shown, clean(&message)).hint(format!("while rendering {page}"))
    }
}

/// Escapes `& < > " '` (tera's default also escapes `/`, which makes URLs unreadable).
fn escape_html(input: &str) -> String {
    escape::html(input)
}

fn clean(message: &str) -> String {
    message.trim().replace('\n', " ")
}

/// The offset of `needle` inside a `{{ }}` or `{% %}` tag of `text`.
fn find_in_tags(text: &str, needle: &str) -> Option<usize> {
    let inside_tag = |at: usize| {
        let before = &text[..at];
        let open = before.rfind("{{").max(before.rfind("{%"));
        let close = before.rfind("}}").max(before.rfind("%}"));
        open > close
    };
    text.match_indices(needle)
        .map(|(i, _)| i)
        .find(|&at| inside_tag(at))
        .or_else(|| text.find(needle))
}

fn error_chain(err: &tera::Error) -> Vec<String> {
    let mut chain = vec![err.to_string()];
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        chain.push(s.to_string());
        source = s.source();
    }
    chain
}

/// Finds which templates fail to parse, each with its line and column;
/// `combined` is tera's error for all of them, said if none fails alone.
fn syntax_errors(
    sources: &BTreeMap<String, (PathBuf, String)>,
    combined: &tera::Error,
) -> Vec<Diagnostic> {
    let mut errors = parse_errors(sources);
    if errors.is_empty() {
        let chain = error_chain(combined);
        errors.push(Diagnostic::file("templates", chain.join(": ")));
    }
    errors
}

/// The templates that fail to parse on their own, each at its line and
/// column.
fn parse_errors(sources: &BTreeMap<String, (PathBuf, String)>) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for (name, (shown, text)) in sources {
        let mut single = Tera::default();
        let Err(e) = single.add_raw_template(name, text) else {
            continue;
        };
        let chain = error_chain(&e);
        if !chain[0].starts_with("Failed to parse") {
            continue; // e.g. a missing parent: only meaningful with all templates
        }
        let detail = chain.get(1).cloned().unwrap_or_default();
        let position = detail
            .lines()
            .find_map(|l| l.trim().strip_prefix("--> "))
            .and_then(|p| {
                let (line, column) = p.split_once(':')?;
                Some((line.trim().parse().ok()?, column.trim().parse().ok()?))
            });
        let expected = detail
            .lines()
            .find_map(|l| l.trim().strip_prefix("= "))
            .unwrap_or("syntax error")
            .to_string();
        let message = format!("template syntax error: {expected}");
        errors.push(match position {
            Some((line, column)) => Diagnostic::at(shown, text, line, column, message),
            None => Diagnostic::file(shown, message),
        }
        .hint("tera syntax: {{ variable }}, {% if x %}…{% endif %}, {% for x in list %}…{% endfor %}"));
    }
    errors
}

/// Reads every file below `dir` as text; `found(name, shown_path, text)`.
fn read_dir_files(
    root: &Path,
    dir: &Path,
    errors: &mut Vec<Diagnostic>,
    mut found: impl FnMut(String, PathBuf, String),
) {
    let (files, mut problems) = walk_files(root, dir);
    errors.append(&mut problems);
    for (name, path) in files {
        let shown = path
            .strip_prefix(root)
            .map_or_else(|_| path.clone(), Path::to_path_buf);
        match std::fs::read(&path) {
            Ok(bytes) => match decode_utf8(&shown, &bytes) {
                Ok(text) => found(name, shown, text),
                Err(mut e) => errors.append(&mut e.diagnostics),
            },
            Err(e) => errors.push(Diagnostic::file(shown, crate::util::error::io_message(&e))),
        }
    }
}

fn available_themes(root: &Path) -> Vec<String> {
    let mut names = vec!["default".to_string()];
    if let Ok(entries) = std::fs::read_dir(root.join("themes")) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if e.path().is_dir() && !names.contains(&name) {
                names.push(name);
            }
        }
    }
    names.sort();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_theme_matches_the_theme_folder() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let on_disk: Vec<String> = ["templates", "static"]
            .iter()
            .flat_map(|sub| {
                walk_files(&dir, &dir.join(sub))
                    .0
                    .into_iter()
                    .map(move |(rel, _)| format!("{sub}/{rel}"))
            })
            .collect();
        let mut embedded: Vec<String> = DEFAULT_THEME
            .iter()
            .map(|(p, _)| (*p).to_string())
            .collect();
        let mut on_disk_sorted = on_disk.clone();
        on_disk_sorted.sort();
        embedded.sort();
        assert_eq!(
            embedded, on_disk_sorted,
            "update DEFAULT_THEME in src/theme.rs"
        );
    }

    #[test]
    fn finds_expressions_inside_tags() {
        let text = "<p>page.title</p>\n{{ page.title | upper }}";
        assert_eq!(find_in_tags(text, "page.title"), Some(21));
    }
}
