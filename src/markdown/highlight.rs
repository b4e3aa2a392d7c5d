//! Code blocks highlighted at build time, with CSS classes only.
//!
//! A fenced block whose info string names a language is highlighted while
//! its document is rendered, so readers get coloured code without any
//! JavaScript. The page's Content-Security-Policy forbids `style`
//! attributes, so every token is a `<span>` with one short class from a
//! small semantic set (`hl-k` keyword, `hl-s` string, …, see [`CLASSES`]):
//! a hand-written light and dark stylesheet covers every language, and a
//! page stays about half the size of one with syntect's nested scope spans.
//!
//! The grammars are syntect's Sublime syntaxes with two-face's additions
//! (bat's set), loaded once per process on first use and shared by every
//! rendering thread. Language names are resolved by echt's own table
//! ([`ALIASES`]), case-insensitively, before the grammars are asked: it
//! holds the names and aliases Rouge (Jekyll) and Pygments use, and settles
//! where they disagree or the grammars' own names mislead (`fs` is F#, not
//! GLSL; `ex` is Elixir, not Vim script). Console sessions are split here:
//! prompt lines get a prompt class and their command is highlighted as
//! shell, output lines stay plain.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::LazyLock;

use syntect::highlighting::{
    Color, HighlightState, Highlighter, RangedHighlightIterator, ScopeSelectors, StyleModifier,
    Theme, ThemeItem, ThemeSettings,
};
use syntect::parsing::{ParseState, ScopeStack, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

/// The classes a token can get, with the scopes (Sublime scope selectors)
/// that give it. The most specific selector that matches a token's scopes
/// decides, as in an editor's theme.
pub const CLASSES: &[(&str, &str)] = &[
    ("hl-c", "comment, punctuation.definition.comment"),
    (
        "hl-k",
        "keyword - keyword.operator, keyword.operator.word, storage, variable.language, \
         constant.language.boolean",
    ),
    (
        "hl-s",
        "string, constant.other.symbol, constant.character.quoted, markup.raw",
    ),
    (
        "hl-n",
        "constant.numeric, constant.language, constant.character, constant.other.placeholder, \
         string.regexp, variable.other.constant",
    ),
    (
        "hl-f",
        "entity.name.function, support.function, variable.function, meta.function-call.identifier, \
         support.macro, entity.name.macro",
    ),
    (
        "hl-t",
        "entity.name, support.type, support.class, entity.other.inherited-class, \
         storage.type.class.python, meta.mapping.key string, meta.annotation, \
         entity.name.tag.yaml, entity.name.tag.toml, entity.name.table.toml",
    ),
    (
        "hl-v",
        "variable.parameter, variable.other.readwrite.shell, variable.other.normal.shell, \
         punctuation.definition.variable, variable.other.member.elixir, source.php variable.other",
    ),
    ("hl-a", "entity.other.attribute-name"),
    ("hl-g", "entity.name.tag"),
    (
        "hl-h",
        "markup.heading, meta.diff.header, meta.diff.range, meta.diff.index, punctuation.definition.range.diff",
    ),
    ("hl-i", "markup.inserted"),
    ("hl-d", "markup.deleted"),
];

/// The class of a console session's prompt.
pub const PROMPT: &str = "hl-p";

/// The class of a line when the block has line numbers.
pub const LINE: &str = "hl-line";

/// The class of a `<pre>` whose lines are numbered.
pub const NUMBERED: &str = "hl-lines";

/// What a language name in an info string stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    /// Plain text: no spans (`text`, `plaintext`, `txt`).
    Plain,
    /// A console session: prompts, commands as shell, plain output.
    Console,
    /// A grammar, by its name in the syntax set.
    Grammar(&'static str),
}

/// echt's table of language names (lower case) to what they stand for:
/// the names and aliases of Rouge and Pygments for every common language,
/// and where the two (or the grammars) disagree, the reading a blog means.
pub const ALIASES: &[(&str, Language)] = &[
    // Plain text.
    ("text", Language::Plain),
    ("plaintext", Language::Plain),
    ("plain", Language::Plain),
    ("txt", Language::Plain),
    ("none", Language::Plain),
    ("nohighlight", Language::Plain),
    ("output", Language::Plain),
    // Console sessions (Rouge: console, terminal, shell_session,
    // shell-session; Pygments: console, shell-session).
    ("console", Language::Console),
    ("terminal", Language::Console),
    ("shell-session", Language::Console),
    ("shell_session", Language::Console),
    ("shellsession", Language::Console),
    ("sh-session", Language::Console),
    ("bash-session", Language::Console),
    // Shells.
    ("shell", Language::Grammar("Bourne Again Shell (bash)")),
    ("bash", Language::Grammar("Bourne Again Shell (bash)")),
    ("sh", Language::Grammar("Bourne Again Shell (bash)")),
    ("zsh", Language::Grammar("Bourne Again Shell (bash)")),
    ("ksh", Language::Grammar("Bourne Again Shell (bash)")),
    (
        "shell-script",
        Language::Grammar("Bourne Again Shell (bash)"),
    ),
    ("fish", Language::Grammar("Fish")),
    ("powershell", Language::Grammar("PowerShell")),
    ("ps1", Language::Grammar("PowerShell")),
    ("pwsh", Language::Grammar("PowerShell")),
    ("bat", Language::Grammar("Batch File")),
    ("batch", Language::Grammar("Batch File")),
    // Functional languages.
    ("haskell", Language::Grammar("Haskell")),
    ("hs", Language::Grammar("Haskell")),
    ("clojure", Language::Grammar("Clojure")),
    ("clj", Language::Grammar("Clojure")),
    ("cljs", Language::Grammar("Clojure")),
    ("cljc", Language::Grammar("Clojure")),
    ("edn", Language::Grammar("Clojure")),
    // No Scheme grammar exists in the set: Racket's is the closest.
    ("scheme", Language::Grammar("Racket")),
    ("scm", Language::Grammar("Racket")),
    ("racket", Language::Grammar("Racket")),
    ("rkt", Language::Grammar("Racket")),
    ("lisp", Language::Grammar("Lisp")),
    ("common-lisp", Language::Grammar("Lisp")),
    ("cl", Language::Grammar("Lisp")),
    ("elisp", Language::Grammar("Lisp")),
    ("emacs-lisp", Language::Grammar("Lisp")),
    ("elixir", Language::Grammar("Elixir")),
    // Rouge reads `ex` as Vim script, Pygments as Elixir; on a blog it
    // is Elixir.
    ("ex", Language::Grammar("Elixir")),
    ("exs", Language::Grammar("Elixir")),
    ("iex", Language::Grammar("Elixir")),
    ("erlang", Language::Grammar("Erlang")),
    ("erl", Language::Grammar("Erlang")),
    ("scala", Language::Grammar("Scala")),
    ("sbt", Language::Grammar("Scala")),
    ("fsharp", Language::Grammar("F#")),
    ("f#", Language::Grammar("F#")),
    // The grammars read `fs` as GLSL.
    ("fs", Language::Grammar("F#")),
    ("fsx", Language::Grammar("F#")),
    ("fsi", Language::Grammar("F#")),
    ("ocaml", Language::Grammar("OCaml")),
    // Rouge reads `ml` as Standard ML; the files are OCaml's.
    ("ml", Language::Grammar("OCaml")),
    ("mli", Language::Grammar("OCaml")),
    ("sml", Language::Grammar("SML")),
    ("elm", Language::Grammar("Elm")),
    ("purescript", Language::Grammar("PureScript")),
    ("purs", Language::Grammar("PureScript")),
    ("idris", Language::Grammar("Idris")),
    // Systems and application languages.
    ("rust", Language::Grammar("Rust")),
    ("rs", Language::Grammar("Rust")),
    ("go", Language::Grammar("Go")),
    ("golang", Language::Grammar("Go")),
    ("java", Language::Grammar("Java")),
    ("kotlin", Language::Grammar("Kotlin")),
    ("kt", Language::Grammar("Kotlin")),
    ("kts", Language::Grammar("Kotlin")),
    ("groovy", Language::Grammar("Groovy")),
    ("gradle", Language::Grammar("Groovy")),
    ("c", Language::Grammar("C")),
    // The grammars read `h` as Objective-C.
    ("h", Language::Grammar("C")),
    ("cpp", Language::Grammar("C++")),
    ("c++", Language::Grammar("C++")),
    ("cxx", Language::Grammar("C++")),
    ("cc", Language::Grammar("C++")),
    ("hpp", Language::Grammar("C++")),
    ("hh", Language::Grammar("C++")),
    ("hxx", Language::Grammar("C++")),
    ("arduino", Language::Grammar("C++")),
    ("objective-c", Language::Grammar("Objective-C")),
    ("objc", Language::Grammar("Objective-C")),
    ("csharp", Language::Grammar("C#")),
    ("c#", Language::Grammar("C#")),
    ("cs", Language::Grammar("C#")),
    ("d", Language::Grammar("D")),
    ("zig", Language::Grammar("Zig")),
    ("nim", Language::Grammar("Nim")),
    ("swift", Language::Grammar("Swift")),
    ("dart", Language::Grammar("Dart")),
    ("julia", Language::Grammar("Julia")),
    ("jl", Language::Grammar("Julia")),
    ("lua", Language::Grammar("Lua")),
    ("perl", Language::Grammar("Perl")),
    ("pl", Language::Grammar("Perl")),
    ("r", Language::Grammar("R")),
    ("matlab", Language::Grammar("MATLAB")),
    ("pascal", Language::Grammar("Pascal")),
    ("delphi", Language::Grammar("Pascal")),
    ("fortran", Language::Grammar("Fortran (Modern)")),
    ("tcl", Language::Grammar("Tcl")),
    ("awk", Language::Grammar("AWK")),
    ("crystal", Language::Grammar("Crystal")),
    ("solidity", Language::Grammar("Solidity")),
    ("python", Language::Grammar("Python")),
    ("py", Language::Grammar("Python")),
    ("python3", Language::Grammar("Python")),
    ("py3", Language::Grammar("Python")),
    ("python2", Language::Grammar("Python")),
    ("pycon", Language::Grammar("Python")),
    ("ruby", Language::Grammar("Ruby")),
    ("rb", Language::Grammar("Ruby")),
    ("irb", Language::Grammar("Ruby")),
    ("gemspec", Language::Grammar("Ruby")),
    ("rake", Language::Grammar("Ruby")),
    ("erb", Language::Grammar("HTML (Rails)")),
    ("haml", Language::Grammar("Ruby Haml")),
    ("slim", Language::Grammar("Ruby Slim")),
    // `PHP` wants `<?php`; code without it is read as PHP source (see
    // `grammar_for`).
    ("php", Language::Grammar("PHP")),
    ("php3", Language::Grammar("PHP")),
    ("php4", Language::Grammar("PHP")),
    ("php5", Language::Grammar("PHP")),
    ("php7", Language::Grammar("PHP")),
    ("php8", Language::Grammar("PHP")),
    ("javascript", Language::Grammar("JavaScript")),
    ("js", Language::Grammar("JavaScript")),
    ("mjs", Language::Grammar("JavaScript")),
    ("cjs", Language::Grammar("JavaScript")),
    ("node", Language::Grammar("JavaScript")),
    ("ecmascript", Language::Grammar("JavaScript")),
    ("jsx", Language::Grammar("JavaScript (Babel)")),
    ("typescript", Language::Grammar("TypeScript")),
    ("ts", Language::Grammar("TypeScript")),
    ("tsx", Language::Grammar("TypeScriptReact")),
    ("coffeescript", Language::Grammar("CoffeeScript")),
    ("coffee", Language::Grammar("CoffeeScript")),
    ("vue", Language::Grammar("Vue Component")),
    ("svelte", Language::Grammar("Svelte")),
    // Data, markup, styles.
    ("sql", Language::Grammar("SQL")),
    ("mysql", Language::Grammar("SQL")),
    ("postgresql", Language::Grammar("SQL")),
    ("postgres", Language::Grammar("SQL")),
    ("psql", Language::Grammar("SQL")),
    ("plpgsql", Language::Grammar("SQL")),
    ("plsql", Language::Grammar("SQL")),
    ("sqlite", Language::Grammar("SQL")),
    ("tsql", Language::Grammar("SQL")),
    ("html", Language::Grammar("HTML")),
    ("htm", Language::Grammar("HTML")),
    ("xhtml", Language::Grammar("HTML")),
    ("html5", Language::Grammar("HTML")),
    ("css", Language::Grammar("CSS")),
    ("scss", Language::Grammar("SCSS")),
    ("sass", Language::Grammar("Sass")),
    ("less", Language::Grammar("Less")),
    ("stylus", Language::Grammar("Stylus")),
    ("xml", Language::Grammar("XML")),
    ("xsd", Language::Grammar("XML")),
    ("xsl", Language::Grammar("XML")),
    ("xslt", Language::Grammar("XML")),
    ("svg", Language::Grammar("XML")),
    ("rss", Language::Grammar("XML")),
    ("atom", Language::Grammar("XML")),
    ("plist", Language::Grammar("XML")),
    ("wsdl", Language::Grammar("XML")),
    ("yaml", Language::Grammar("YAML")),
    ("yml", Language::Grammar("YAML")),
    ("toml", Language::Grammar("TOML")),
    ("json", Language::Grammar("JSON")),
    ("jsonc", Language::Grammar("JSON")),
    ("json5", Language::Grammar("JSON")),
    ("jsonl", Language::Grammar("JSON")),
    ("geojson", Language::Grammar("JSON")),
    ("ini", Language::Grammar("INI")),
    ("cfg", Language::Grammar("INI")),
    ("dosini", Language::Grammar("INI")),
    ("properties", Language::Grammar("Java Properties")),
    ("env", Language::Grammar("DotENV")),
    ("dotenv", Language::Grammar("DotENV")),
    ("csv", Language::Grammar("Comma Separated Values")),
    ("markdown", Language::Grammar("Markdown")),
    ("md", Language::Grammar("Markdown")),
    ("mkd", Language::Grammar("Markdown")),
    ("latex", Language::Grammar("LaTeX")),
    ("tex", Language::Grammar("LaTeX")),
    ("bibtex", Language::Grammar("BibTeX")),
    ("rst", Language::Grammar("reStructuredText")),
    ("restructuredtext", Language::Grammar("reStructuredText")),
    ("asciidoc", Language::Grammar("AsciiDoc (Asciidoctor)")),
    ("adoc", Language::Grammar("AsciiDoc (Asciidoctor)")),
    ("graphql", Language::Grammar("GraphQL")),
    ("gql", Language::Grammar("GraphQL")),
    ("protobuf", Language::Grammar("Protocol Buffer")),
    ("proto", Language::Grammar("Protocol Buffer")),
    ("dot", Language::Grammar("Graphviz (DOT)")),
    ("graphviz", Language::Grammar("Graphviz (DOT)")),
    ("regex", Language::Grammar("Regular Expression")),
    ("http", Language::Grammar("HTTP Request and Response")),
    ("jinja", Language::Grammar("Jinja2")),
    ("jinja2", Language::Grammar("Jinja2")),
    ("twig", Language::Grammar("HTML (Twig)")),
    ("jq", Language::Grammar("JQ")),
    // Tools and their files.
    ("diff", Language::Grammar("Diff")),
    ("patch", Language::Grammar("Diff")),
    ("udiff", Language::Grammar("Diff")),
    ("docker", Language::Grammar("Dockerfile")),
    ("dockerfile", Language::Grammar("Dockerfile")),
    ("containerfile", Language::Grammar("Dockerfile")),
    ("make", Language::Grammar("Makefile")),
    ("makefile", Language::Grammar("Makefile")),
    ("mf", Language::Grammar("Makefile")),
    ("mk", Language::Grammar("Makefile")),
    ("gnumake", Language::Grammar("Makefile")),
    ("bsdmake", Language::Grammar("Makefile")),
    ("cmake", Language::Grammar("CMake")),
    ("nix", Language::Grammar("Nix")),
    ("nixos", Language::Grammar("Nix")),
    ("nginx", Language::Grammar("nginx")),
    ("apache", Language::Grammar("Apache Conf")),
    ("apacheconf", Language::Grammar("Apache Conf")),
    ("terraform", Language::Grammar("Terraform")),
    ("tf", Language::Grammar("Terraform")),
    ("hcl", Language::Grammar("Terraform")),
    ("crontab", Language::Grammar("Crontab")),
    ("vim", Language::Grammar("VimL")),
    ("viml", Language::Grammar("VimL")),
    ("vimscript", Language::Grammar("VimL")),
    ("gitignore", Language::Grammar("Git Ignore")),
    ("gitconfig", Language::Grammar("Git Config")),
    ("ssh-config", Language::Grammar("SSH Config")),
    ("asm", Language::Grammar("x86_64 Assembly")),
    ("nasm", Language::Grammar("x86_64 Assembly")),
    ("llvm", Language::Grammar("LLVM")),
    ("glsl", Language::Grammar("GLSL")),
    ("wgsl", Language::Grammar("WGSL")),
    ("verilog", Language::Grammar("Verilog")),
    ("vhdl", Language::Grammar("VHDL")),
    ("typst", Language::Grammar("Typst")),
];

/// The grammars, loaded on first use.
static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(two_face::syntax::extra_newlines);

/// [`ALIASES`] by name.
static BY_NAME: LazyLock<HashMap<&'static str, Language>> =
    LazyLock::new(|| ALIASES.iter().copied().collect());

/// Matches tokens against [`THEME`]; made once, like the grammars.
static HIGHLIGHTER: LazyLock<Highlighter<'static>> = LazyLock::new(|| Highlighter::new(&THEME));

/// The theme that gives each token the index of its class in [`CLASSES`],
/// plus one, as its foreground's red (0 for no class): syntect's own
/// selector matching decides, and the colours live in the stylesheet.
static THEME: LazyLock<Theme> = LazyLock::new(|| Theme {
    settings: ThemeSettings {
        foreground: Some(class_color(0)),
        ..ThemeSettings::default()
    },
    scopes: CLASSES
        .iter()
        .enumerate()
        .filter_map(|(i, (_, selectors))| {
            let scope = selectors.parse::<ScopeSelectors>().ok()?;
            Some(ThemeItem {
                scope,
                style: StyleModifier {
                    foreground: Some(class_color(i + 1)),
                    ..StyleModifier::default()
                },
            })
        })
        .collect(),
    ..Theme::default()
});

fn class_color(index: usize) -> Color {
    Color {
        r: u8::try_from(index).unwrap_or(0),
        g: 0,
        b: 0,
        a: 0xff,
    }
}

/// What a code block's language name stands for; None when echt knows no
/// grammar by that name.
pub fn resolve(name: &str) -> Option<Language> {
    let lower = name.to_ascii_lowercase();
    if let Some(language) = BY_NAME.get(lower.as_str()) {
        return Some(*language);
    }
    // Names outside the table that a grammar claims (an extension such as
    // `lua`, or its own name).
    let syntaxes: &'static SyntaxSet = &SYNTAXES;
    syntaxes
        .find_syntax_by_token(&lower)
        .map(|syntax| Language::Grammar(syntax.name.as_str()))
}

/// The grammar to read `code` with, for a grammar of [`ALIASES`].
fn grammar_for(name: &str, code: &str) -> Option<&'static SyntaxReference> {
    let name = if name == "PHP" && !code.contains("<?") {
        "PHP Source"
    } else {
        name
    };
    SYNTAXES.find_syntax_by_name(name)
}

/// A code block to write: its language as the author wrote it, what that
/// stands for (None: unknown, written plain) and whether its lines are
/// numbered.
#[derive(Debug)]
pub struct Block<'a> {
    pub written: &'a str,
    pub language: Option<Language>,
    pub numbered: bool,
}

/// A fenced block's info string split into the language as written and
/// whether it asks for line numbers (`ruby linenos`). Attributes in braces
/// (`{.class}`) and other words are ignored.
pub fn info(info: &str) -> (&str, bool) {
    let mut words = info.split_whitespace();
    let language = words
        .next()
        .map(|w| w.trim_start_matches('{').trim_end_matches('}'))
        .unwrap_or("");
    let numbered = words.any(|w| w == "linenos" || w.starts_with("linenos="));
    (language, numbered)
}

/// How every code block starts: a reader who cannot use a mouse or touch
/// scrolls a long line by focusing the block (axe's
/// `scrollable-region-focusable`), so each block is in the tab order.
pub const PRE: &str = "<pre tabindex=\"0\"";

/// The whole `<pre><code>` of a block, ending in a line break.
// Never inlined, so that a profile shows it (`bench/stages.sh`).
#[inline(never)]
pub fn write(block: &Block<'_>, code: &str) -> String {
    let mut html = String::with_capacity(code.len() * 3 + 64);
    html.push_str(PRE);
    if block.numbered {
        let _ = write!(html, " class=\"{NUMBERED}\"");
    }
    html.push_str("><code");
    if !block.written.is_empty() {
        html.push_str(" class=\"language-");
        html.push_str(&crate::util::escape::html(block.written));
        html.push('"');
    }
    html.push('>');
    let mut lines = Lines {
        html,
        numbered: block.numbered,
    };
    match block.language {
        Some(Language::Grammar(name)) => match grammar_for(name, code) {
            Some(syntax) => highlight(&mut lines, syntax, code),
            None => plain(&mut lines, code),
        },
        Some(Language::Console) => console(&mut lines, code),
        Some(Language::Plain) | None => plain(&mut lines, code),
    }
    let mut html = lines.html;
    html.push_str("</code></pre>\n");
    html
}

/// The lines of a block being written: each is wrapped in a span when the
/// block's lines are numbered (the numbers come from a CSS counter, so
/// they are neither copied nor part of the text).
struct Lines {
    html: String,
    numbered: bool,
}

impl Lines {
    fn start(&mut self) {
        if self.numbered {
            let _ = write!(self.html, "<span class=\"{LINE}\">");
        }
    }

    /// Ends a line; `newline` says whether the source line ended in one.
    fn end(&mut self, newline: bool) {
        if self.numbered {
            self.html.push_str("</span>");
        }
        if newline {
            self.html.push('\n');
        }
    }

    /// Text with `class` (or none).
    fn token(&mut self, class: Option<&str>, text: &str) {
        if text.is_empty() {
            return;
        }
        match class {
            Some(class) => {
                let _ = write!(self.html, "<span class=\"{class}\">");
                crate::util::escape::push_html_text(&mut self.html, text);
                self.html.push_str("</span>");
            }
            None => crate::util::escape::push_html_text(&mut self.html, text),
        }
    }
}

fn plain(lines: &mut Lines, code: &str) {
    for line in LinesWithEndings::from(code) {
        let (text, newline) = split_newline(line);
        lines.start();
        lines.token(None, text);
        lines.end(newline);
    }
}

fn split_newline(line: &str) -> (&str, bool) {
    match line.strip_suffix('\n') {
        Some(text) => (text.strip_suffix('\r').unwrap_or(text), true),
        None => (line, false),
    }
}

/// One grammar's reading of a block, line by line, kept across lines.
struct Reader {
    parse: ParseState,
    state: HighlightState,
}

impl Reader {
    fn new(syntax: &SyntaxReference) -> Self {
        Reader {
            parse: ParseState::new(syntax),
            state: HighlightState::new(&HIGHLIGHTER, ScopeStack::new()),
        }
    }

    /// Writes the tokens of `line` (without its line break); a line the
    /// grammar cannot read (a regex error) is written plain, and so is
    /// the rest of the block.
    fn line(&mut self, lines: &mut Lines, line: &str) -> bool {
        let Ok(ops) = self.parse.parse_line(line, &SYNTAXES) else {
            return false;
        };
        let mut pending: (Option<&str>, String) = (None, String::new());
        // Spaces after the pending text: inside its span only if the next
        // token shares its class.
        let mut spaces = String::new();
        for (style, text, _) in
            RangedHighlightIterator::new(&mut self.state, &ops, line, &HIGHLIGHTER)
        {
            let text = text.trim_end_matches(['\n', '\r']);
            if text.trim().is_empty() {
                spaces.push_str(text);
                continue;
            }
            let class = class_of(style.foreground);
            if class != pending.0 {
                lines.token(pending.0, &pending.1);
                lines.token(None, &spaces);
                pending = (class, String::new());
            } else {
                pending.1.push_str(&spaces);
            }
            spaces.clear();
            pending.1.push_str(text);
        }
        lines.token(pending.0, &pending.1);
        lines.token(None, &spaces);
        true
    }
}

fn class_of(color: Color) -> Option<&'static str> {
    let index = usize::from(color.r).checked_sub(1)?;
    CLASSES.get(index).map(|(class, _)| *class)
}

fn highlight(lines: &mut Lines, syntax: &SyntaxReference, code: &str) {
    let mut reader = Reader::new(syntax);
    let mut readable = true;
    for line in LinesWithEndings::from(code) {
        let (text, newline) = split_newline(line);
        lines.start();
        if readable {
            // The grammars of the `newlines` set want the line break.
            let with_break = if newline { line } else { text };
            readable = reader.line(lines, with_break);
            if !readable {
                lines.token(None, text);
            }
        } else {
            lines.token(None, text);
        }
        lines.end(newline);
    }
}

/// A console session: a line that starts with a prompt (`$ `, `# `, `% `,
/// `user@host:~$ `) has its command highlighted as shell, and so have the
/// lines that continue it (after a trailing `\`); every other line is
/// output and stays plain.
fn console(lines: &mut Lines, code: &str) {
    let Some(shell) = SYNTAXES.find_syntax_by_name("Bourne Again Shell (bash)") else {
        return plain(lines, code);
    };
    let mut reader = Reader::new(shell);
    let mut continued = false;
    for line in LinesWithEndings::from(code) {
        let (text, newline) = split_newline(line);
        lines.start();
        let command = if continued {
            Some(text)
        } else {
            prompt_end(text).map(|end| {
                lines.token(Some(PROMPT), &text[..end]);
                &text[end..]
            })
        };
        match command {
            Some(command) => {
                let mut with_break = command.to_string();
                with_break.push('\n');
                if !reader.line(lines, &with_break) {
                    lines.token(None, command);
                }
                continued = command.ends_with('\\');
            }
            None => lines.token(None, text),
        }
        lines.end(newline);
    }
}

/// Where the prompt of a console line ends (after the space that follows
/// `$`, `#` or `%`), if the line starts with one: the sigil alone, or
/// after a word such as `user@host:~` or `[root@box /]`.
pub fn prompt_end(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let sigil = |b: u8| matches!(b, b'$' | b'#' | b'%' | b'>');
    // The sigil alone (`$`), or followed by a space.
    let ends_at = |i: usize| sigil(bytes[i]) && (i + 1 == bytes.len() || bytes[i + 1] == b' ');
    if bytes.is_empty() {
        return None;
    }
    if bytes[0] != b'>' && ends_at(0) {
        return Some((2).min(bytes.len()));
    }
    // A prompt word: no spaces except inside brackets, ending in the
    // sigil, and naming a user, a host or a path.
    let mut depth = 0usize;
    for (i, &b) in bytes.iter().enumerate().take(80) {
        match b {
            b'[' | b'(' => depth += 1,
            b']' | b')' => depth = depth.saturating_sub(1),
            b' ' if depth == 0 => return None,
            _ => {}
        }
        if i > 0 && depth == 0 && ends_at(i) {
            let word = &line[..i];
            let looks_like_prompt = word.contains(['@', ':', '~', '/', ']']) || word.ends_with(')');
            return looks_like_prompt.then_some((i + 2).min(bytes.len()));
        }
    }
    None
}

#[cfg(test)]
mod tests;
