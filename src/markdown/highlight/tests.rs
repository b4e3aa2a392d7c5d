//! Unit tests of highlighting: the language table against the grammars,
//! console sessions, line numbers, escaping, and the default theme's
//! colours against WCAG AA.

use std::collections::BTreeSet;

use super::*;

/// A small sample of every language the issue names, with the names
/// Rouge and Pygments give it (and a spelling in capitals).
const SAMPLES: &[(&[&str], &str)] = &[
    (
        &["haskell", "hs", "Haskell"],
        "main :: IO ()\nmain = putStrLn \"hallo\" -- grüßen\n",
    ),
    (
        &["clojure", "clj", "cljs"],
        "(defn greet [name] (str \"Hallo, \" name)) ; grüßen\n",
    ),
    (
        &["scheme", "scm", "racket", "rkt"],
        "(define (square x) (* x x)) ; quadriert\n(display \"fertig\")\n",
    ),
    (
        &["elixir", "ex", "exs"],
        "defmodule Greeter do\n  def hello(name), do: \"Hallo #{name}\" # grüßt\nend\n",
    ),
    (
        &["erlang", "erl"],
        "-module(greet).\nhello() -> io:format(\"hallo~n\"). % grüßt\n",
    ),
    (
        &["scala"],
        "object Main { def main(args: Array[String]): Unit = println(\"hallo\") }\n",
    ),
    (
        &["fsharp", "f#", "fs", "F#"],
        "let square x = x * x // quadriert\nprintfn \"%d\" (square 3)\n",
    ),
    (
        &["ocaml", "ml"],
        "let square x = x * x (* quadriert *)\nlet () = print_endline \"hallo\"\n",
    ),
    (
        &["rust", "rs"],
        "fn main() {\n    let n = 42; // die Antwort\n    println!(\"{n}\");\n}\n",
    ),
    (
        &["go", "golang"],
        "package main\n\nfunc main() { fmt.Println(\"hallo\") } // grüßt\n",
    ),
    (
        &["java"],
        "public class A { public static void main(String[] a) { System.out.println(\"hallo\"); } }\n",
    ),
    (
        &["kotlin", "kt"],
        "fun main() { val x = 42; println(\"hallo $x\") }\n",
    ),
    (&["c", "h"], "int main(void) { return 0; } /* fertig */\n"),
    (
        &["cpp", "c++", "C++"],
        "#include <vector>\nint main() { std::vector<int> v; return 0; }\n",
    ),
    (
        &["csharp", "c#", "cs"],
        "public class A { static void Main() { Console.WriteLine(\"hallo\"); } }\n",
    ),
    (
        &["python", "py", "python3", "py3", "PYTHON"],
        "def f(x):\n    return \"hallo\"  # grüßt\n",
    ),
    (
        &["ruby", "rb"],
        "def hallo(name)\n  puts \"Hallo #{name}\" # grüßt\nend\n",
    ),
    (&["php"], "<?php echo \"hallo\"; // grüßt\n"),
    (&["php"], "$gruss = \"hallo\";\necho strtoupper($gruss);\n"),
    (
        &["javascript", "js"],
        "const n = 42; // die Antwort\nfunction f() { return \"x\"; }\n",
    ),
    (
        &["typescript", "ts"],
        "const n: number = 42; // die Antwort\ninterface P { title: string }\n",
    ),
    (
        &["shell", "bash", "sh", "zsh", "ksh"],
        "for f in *.md; do echo \"$f\"; done # alle\n",
    ),
    (
        &["console", "shell-session", "shell_session", "terminal"],
        "$ echo \"hallo\"\nhallo\n",
    ),
    (
        &["sql"],
        "SELECT title FROM posts WHERE id = 42; -- einer\n",
    ),
    (&["html"], "<p class=\"x\">Hallo</p> <!-- Gruß -->\n"),
    (&["css"], "body { color: #333; margin: 0 } /* Grund */\n"),
    (
        &["xml"],
        "<?xml version=\"1.0\"?>\n<feed xmlns=\"urn:x\"><title>t</title></feed>\n",
    ),
    (&["yaml", "yml"], "title: Hallo\ncount: 3 # drei\n"),
    (&["toml"], "[package]\nname = \"echt\"\nversion = 1\n"),
    (&["json"], "{\"a\": 1, \"b\": \"x\", \"c\": true}\n"),
    (
        &["diff", "patch", "udiff"],
        "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-alt\n+neu\n",
    ),
    (
        &["dockerfile", "docker", "Dockerfile"],
        "FROM debian:12\nRUN apt-get update # zuerst\n",
    ),
    (
        &["make", "makefile", "mf", "bsdmake", "gnumake", "Makefile"],
        "all: build\n\nbuild:\n\tcargo build --release # bauen\n",
    ),
    (
        &["nix", "nixos"],
        "{ pkgs ? import <nixpkgs> {} }:\npkgs.mkShell { buildInputs = [ pkgs.cargo ]; } # Hülle\n",
    ),
];

fn block(written: &str, numbered: bool) -> Block<'_> {
    Block {
        written,
        language: resolve(written),
        numbered,
    }
}

/// The classes of the spans in `html`.
fn classes(html: &str) -> BTreeSet<&str> {
    html.split("<span class=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect()
}

#[test]
fn every_language_of_the_issue_is_highlighted_by_each_of_its_names() {
    for (names, sample) in SAMPLES {
        for name in *names {
            assert!(resolve(name).is_some(), "`{name}` is not known");
            let html = write(&block(name, false), sample);
            let found = classes(&html);
            assert!(
                found.len() >= 2,
                "`{name}` gave the classes {found:?}:\n{html}"
            );
            assert!(!html.contains("style="), "{html}");
        }
    }
}

#[test]
fn every_grammar_the_table_names_exists() {
    for (alias, language) in ALIASES {
        if let Language::Grammar(name) = language {
            assert!(
                SYNTAXES.find_syntax_by_name(name).is_some(),
                "`{alias}` names the missing grammar `{name}`"
            );
        }
        assert_eq!(
            *alias,
            alias.to_ascii_lowercase(),
            "table keys are lower case"
        );
    }
}

#[test]
fn names_where_rouge_pygments_or_the_grammars_disagree() {
    let grammar = |name: &str| match resolve(name) {
        Some(Language::Grammar(g)) => g,
        other => panic!("`{name}` is {other:?}"),
    };
    assert_eq!(grammar("fs"), "F#");
    assert_eq!(grammar("ex"), "Elixir");
    assert_eq!(grammar("ml"), "OCaml");
    assert_eq!(grammar("h"), "C");
    assert_eq!(grammar("golang"), "Go");
    assert_eq!(grammar("python3"), "Python");
    assert_eq!(grammar("DOCKERFILE"), "Dockerfile");
    assert_eq!(grammar("scheme"), "Racket");
    // A name outside the table that a grammar claims.
    assert_eq!(grammar("lua"), "Lua");
    for plain in ["text", "plaintext", "Text", "txt"] {
        assert_eq!(resolve(plain), Some(Language::Plain), "{plain}");
    }
    for console in ["console", "shell-session", "terminal", "Console"] {
        assert_eq!(resolve(console), Some(Language::Console), "{console}");
    }
    assert_eq!(resolve("klingon"), None);
    assert_eq!(resolve(""), None);
}

#[test]
fn plain_text_has_no_spans() {
    let html = write(&block("text", false), "fn main() { \"x\" }\n");
    assert_eq!(
        html,
        "<pre tabindex=\"0\"><code class=\"language-text\">fn main() { \"x\" }\n</code></pre>\n"
    );
    let unknown = write(&block("klingon", false), "qapla'\n");
    assert_eq!(
        unknown,
        "<pre tabindex=\"0\"><code class=\"language-klingon\">qapla'\n</code></pre>\n"
    );
}

#[test]
fn code_stays_text() {
    let code = "<script>alert(\"&\")</script>\n";
    for name in ["html", "js", "text", "console", "klingon", "rust"] {
        let html = write(&block(name, false), code);
        assert!(!html.contains("<script"), "{name}: {html}");
        assert!(!html.contains("</script"), "{name}: {html}");
        assert!(html.contains("&lt;"), "{name}: {html}");
        assert!(html.contains("&amp;"), "{name}: {html}");
        // Only the spans echt writes are tags.
        let tags: Vec<&str> = html
            .split('<')
            .skip(1)
            .map(|t| t.split(['>', ' ']).next().unwrap_or(""))
            .collect();
        assert!(
            tags.iter()
                .all(|t| ["pre", "code", "span", "/span", "/code", "/pre"].contains(t)),
            "{name}: {tags:?}"
        );
    }
}

#[test]
fn info_strings() {
    assert_eq!(info("ruby"), ("ruby", false));
    assert_eq!(info("ruby linenos"), ("ruby", true));
    assert_eq!(info("  python   linenos=table "), ("python", true));
    assert_eq!(info("{.rust}"), (".rust", false));
    assert_eq!(info(""), ("", false));
}

#[test]
fn numbered_lines_are_spans_without_numbers() {
    let code = "a = 1\nb = \"zwei\nund drei\"\n";
    let html = write(&block("ruby", true), code);
    assert!(
        html.starts_with("<pre tabindex=\"0\" class=\"hl-lines\"><code class=\"language-ruby\">"),
        "{html}"
    );
    assert_eq!(
        html.matches("<span class=\"hl-line\">").count(),
        3,
        "{html}"
    );
    // No digit but the code's own: the numbers come from the stylesheet.
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).count();
    let after_pre = html.replacen("tabindex=\"0\"", "", 1);
    assert_eq!(digits(&after_pre), digits(code), "{html}");
    // A string over two lines is closed and opened again at the line
    // break, so that every line span holds whole tags.
    for line in html.lines().take(3) {
        assert_eq!(
            line.matches("<span").count(),
            line.matches("</span>").count(),
            "{line}"
        );
    }
    let plain = write(&block("text", true), "x\ny");
    assert!(
        plain.contains("<span class=\"hl-line\">x</span>\n<span class=\"hl-line\">y</span></code>"),
        "{plain}"
    );
}

#[test]
fn console_prompts_commands_and_output() {
    let session = "$ ls -la /tmp\ntotal 0\nuser@host:~$ echo \"hallo\" | \\\n    tr a-z A-Z\nHALLO\n# apt-get install -y git\n";
    let html = write(&block("console", false), session);
    let lines: Vec<&str> = html.lines().collect();
    assert!(
        lines[0].contains("<span class=\"hl-p\">$ </span>"),
        "{html}"
    );
    assert!(classes(lines[0]).len() >= 2, "{html}");
    assert_eq!(lines[1], "total 0", "output stays plain: {html}");
    assert!(
        lines[2].contains("<span class=\"hl-p\">user@host:~$ </span>"),
        "{html}"
    );
    assert!(lines[2].contains("hl-s"), "{html}");
    // The continued command is still shell.
    assert!(lines[3].contains("<span"), "{html}");
    assert_eq!(lines[4], "HALLO");
    assert!(
        lines[5].contains("<span class=\"hl-p\"># </span>"),
        "{html}"
    );
}

#[test]
fn prompts() {
    assert_eq!(prompt_end("$ ls"), Some(2));
    assert_eq!(prompt_end("$"), Some(1));
    assert_eq!(prompt_end("# make install"), Some(2));
    assert_eq!(prompt_end("% cc a.c"), Some(2));
    assert_eq!(prompt_end("user@host:~$ ls"), Some(13));
    assert_eq!(prompt_end("[root@box /]# ls"), Some(14));
    assert_eq!(prompt_end("total 0"), None);
    assert_eq!(prompt_end("50% done"), None);
    assert_eq!(prompt_end("a$b"), None);
    assert_eq!(prompt_end("> quoted"), None);
    assert_eq!(prompt_end(""), None);
}

#[test]
fn a_block_without_a_final_line_break() {
    let html = write(&block("rust", false), "let x = 1;");
    assert!(html.ends_with("</span>;</code></pre>\n"), "{html}");
}

// ---- The default theme's colours ----

const STYLE: &str = include_str!("../../../themes/default/static/style.css");

/// `#rrggbb` as relative luminance (WCAG 2).
fn luminance(hex: &str) -> f64 {
    let hex = hex.trim_start_matches('#');
    assert_eq!(hex.len(), 6, "{hex}");
    let channel = |i: usize| {
        let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).expect("hex")) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4)
}

fn contrast(a: &str, b: &str) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// The values of a custom property, light scheme first.
fn property(name: &str) -> Vec<&str> {
    STYLE
        .lines()
        .filter_map(|line| line.trim().strip_prefix(name))
        .filter_map(|rest| rest.strip_prefix(':'))
        .map(|value| value.trim().trim_end_matches(';').trim())
        .collect()
}

/// (class, colour) of each rule.
type Rules = Vec<(String, String)>;

/// The token colours of the highlighting section, light ones and dark
/// ones.
fn token_colors() -> (Rules, Rules) {
    let section = STYLE
        .split("/* ---------- Highlighted code")
        .nth(1)
        .expect("the stylesheet has a highlighting section");
    let (light, dark) = section
        .split_once("@media (prefers-color-scheme: dark)")
        .expect("a dark scheme for highlighting");
    let dark = dark.split("\n}").next().unwrap_or("");
    let rules = |text: &str| -> Rules {
        text.lines()
            .filter_map(|line| {
                let line = line.trim();
                let class = line.strip_prefix('.')?.split([' ', '{']).next()?;
                let color = line.split("color:").nth(1)?.split(';').next()?.trim();
                class
                    .starts_with("hl-")
                    .then(|| (class.to_string(), color.to_string()))
            })
            .collect()
    };
    (rules(light), rules(dark))
}

#[test]
fn every_token_colour_meets_wcag_aa_in_both_schemes() {
    let backgrounds = property("--bg-soft");
    let muted = property("--muted");
    assert!(
        backgrounds.len() >= 2 && muted.len() >= 2,
        "{backgrounds:?}"
    );
    let (light, dark) = token_colors();
    let mut expected: BTreeSet<&str> = CLASSES.iter().map(|(class, _)| *class).collect();
    expected.insert(PROMPT);
    for (scheme, rules, background, muted) in [
        ("light", &light, backgrounds[0], muted[0]),
        ("dark", &dark, backgrounds[1], muted[1]),
    ] {
        let found: BTreeSet<&str> = rules.iter().map(|(c, _)| c.as_str()).collect();
        assert_eq!(found, expected, "{scheme}: every class has a colour");
        for (class, color) in rules {
            let ratio = contrast(color, background);
            assert!(
                ratio >= 4.5,
                "{scheme}: .{class} {color} on {background} is {ratio:.2}:1"
            );
        }
        // The line numbers are muted text.
        assert!(contrast(muted, background) >= 4.5, "{scheme}: line numbers");
    }
}

#[test]
fn contrast_is_computed_as_wcag_says() {
    assert!((contrast("#000000", "#ffffff") - 21.0).abs() < 1e-9);
    assert!((contrast("#777777", "#ffffff") - 4.48).abs() < 0.01);
}

#[test]
fn every_class_has_selectors_that_parse() {
    // A selector that did not parse would leave its class out of the
    // theme without a word.
    for (class, selectors) in CLASSES {
        assert!(
            selectors.parse::<ScopeSelectors>().is_ok(),
            "{class}: {selectors}"
        );
    }
    assert_eq!(THEME.scopes.len(), CLASSES.len());
}
