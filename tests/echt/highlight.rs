//! Code blocks are highlighted while the site builds: classes only (the
//! pages' policy allows no `style`), the code stays text, line numbers
//! come from the stylesheet, and an unknown language is a note that a
//! cached build reports again.

use crate::support::TestSite;

/// The `<pre>…</pre>` blocks of a page, after their `tabindex` (every
/// block is focusable, so that a keyboard scrolls a long line).
fn blocks(page: &str) -> Vec<&str> {
    page.split("<pre")
        .skip(1)
        .map(|rest| {
            let rest = rest
                .strip_prefix(" tabindex=\"0\"")
                .unwrap_or_else(|| panic!("a code block that is not focusable: <pre{rest}"));
            rest.split("</pre>").next().unwrap()
        })
        .collect()
}

#[test]
fn code_blocks_are_highlighted_with_classes_only() {
    let site = TestSite::fixture("code");
    let built = site.build().ok();
    let page = built.page("posts/sicherung/");
    let found = blocks(&page);
    assert_eq!(found.len(), 5, "{page}");

    // A console session: prompts, commands as shell, output plain.
    assert!(
        found[0].starts_with("><code class=\"language-console\"><span class=\"hl-p\">$ </span>"),
        "{}",
        found[0]
    );
    assert!(found[0].contains("\nsende 1.204 Dateien\n"), "{}", found[0]);
    assert!(
        found[0].contains("<span class=\"hl-p\">jonas@werkbank:~$ </span>"),
        "{}",
        found[0]
    );
    // Numbered lines: one span per line, no numbers in the text.
    assert!(
        found[1].starts_with(" class=\"hl-lines\"><code class=\"language-bash\">"),
        "{}",
        found[1]
    );
    assert_eq!(found[1].matches("<span class=\"hl-line\">").count(), 6);
    assert!(found[1].contains("<span class=\"hl-c\"># Nur was sich geändert hat"));
    // HTML in a code block is text, highlighted.
    assert!(found[2].contains("&lt;"), "{}", found[2]);
    assert!(!found[2].contains("<script"), "{}", found[2]);
    assert!(
        found[2].contains("<span class=\"hl-g\">script</span>"),
        "{}",
        found[2]
    );
    // Plain text and an unknown language: no spans.
    assert!(!found[3].contains("<span"), "{}", found[3]);
    assert!(found[4].starts_with("><code class=\"language-werkbank-konfig\">ablage = keller"));

    let other = built.page("posts/zaehler/");
    let found = blocks(&other);
    assert!(
        found[0].contains("<span class=\"hl-k\">fn</span>"),
        "{}",
        found[0]
    );
    assert!(
        found[0].contains("<span class=\"hl-c\">/// Zählt"),
        "{}",
        found[0]
    );
    // `Python3` as Pygments names it.
    assert!(
        found[1].starts_with("><code class=\"language-Python3\">"),
        "{}",
        found[1]
    );
    assert!(
        found[1].contains("<span class=\"hl-k\">def</span>"),
        "{}",
        found[1]
    );

    // The summary on the home page shows the session too.
    assert!(built.page("").contains("<span class=\"hl-p\">$ </span>"));
    for file in built.files().iter().filter(|f| f.ends_with(".html")) {
        assert!(!built.page(file).contains("style="), "{file}");
    }
    // The stylesheet has the colours.
    let css = built.page("style.css");
    assert!(css.contains(".hl-k {") && css.contains("counter(hl-line)"));
}

#[test]
fn an_unknown_language_is_a_note_that_cached_builds_repeat() {
    let site = TestSite::fixture("code");
    let note = "note: no highlighting for the unknown language `werkbank-konfig`";
    let at = "content/posts/sicherung.md:46:4";
    let said = |built: &crate::support::Built| {
        let out = format!("{}{}", built.stdout(), built.stderr());
        out.contains(note) && out.contains(at)
    };
    let first = site.build().ok();
    assert!(said(&first), "{}{}", first.stdout(), first.stderr());
    // Nothing changed: the build stops early and says it again.
    let unchanged = site.build().ok();
    assert!(unchanged.stdout().contains("(unchanged)"));
    assert!(said(&unchanged), "{}", unchanged.stderr());
    // Another post changed: the cached build renders only that and still
    // reports the note of the post it carried over.
    std::fs::write(
        site.root().join("content/posts/zaehler.md"),
        "---\ntitle: \"Wörter zählen in Rust und Python\"\ndate: 2024-04-10\n---\nNur noch Text.\n",
    )
    .unwrap();
    let cached = site.build().ok();
    assert!(!cached.stdout().contains("(unchanged)"));
    assert!(said(&cached), "{}", cached.stderr());
    // One note: `text` is no unknown language.
    let out = format!("{}{}", cached.stdout(), cached.stderr());
    assert_eq!(out.matches("unknown language").count(), 1, "{out}");
}
