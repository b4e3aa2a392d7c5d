//! The index built from small sites, and looked up the way the script
//! looks it up (`find` is the script's `find` and `search`, in Rust).

use std::collections::BTreeMap;

use serde_json::Value;

use super::words::{begins, fold, matches_forward, query_forms};
use super::*;
use crate::render::fixture::{self, config, post};
use crate::util::i18n::Language;

/// The documents (by title) a reader's `query` finds in `index`, ranked
/// as the script ranks them.
fn find(index: &Index, query: &str) -> Vec<String> {
    let meta: Value = serde_json::from_str(&index.meta).expect("meta");
    let shards = meta["shards"].as_u64().expect("shards") as usize;
    let language = match meta["language"].as_str() {
        Some("en") => Language::En,
        _ => Language::De,
    };
    let mut hits: Option<BTreeMap<u64, u64>> = None;
    for word in words::words(query) {
        let mut found: BTreeMap<u64, u64> = BTreeMap::new();
        for form in query_forms(word, language) {
            let terms: BTreeMap<String, Vec<u64>> =
                serde_json::from_str(index.text(Part::Terms(shard(&form, shards)))).expect("terms");
            let mut add = |postings: &[u64]| {
                let mut value = 0;
                for step in postings {
                    value += step;
                    let slot = found.entry(value >> 1).or_insert(0);
                    *slot = (*slot).max(value & 1);
                }
            };
            let mut longest: Option<&String> = None;
            for (term, postings) in &terms {
                if matches_forward(term, &form) {
                    add(postings);
                } else if begins(term, &form)
                    && longest.is_none_or(|l| term.chars().count() > l.chars().count())
                {
                    longest = Some(term);
                }
            }
            if let Some(term) = longest {
                add(&terms[term]);
            }
        }
        hits = Some(match hits {
            None => found,
            Some(hits) => hits
                .into_iter()
                .filter_map(|(doc, score)| found.get(&doc).map(|s| (doc, score + s)))
                .collect(),
        });
    }
    let mut ranked: Vec<(u64, u64)> = hits.unwrap_or_default().into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked
        .into_iter()
        .map(|(doc, _)| {
            let chunk: Value =
                serde_json::from_str(index.text(Part::Docs(doc as usize / CHUNK))).expect("docs");
            chunk[doc as usize % CHUNK]["title"]
                .as_str()
                .expect("a title")
                .to_string()
        })
        .collect()
}

fn german_site() -> fixture::Fixture {
    fixture::load(&[
        ("echt.yaml", &config("search: true\n")),
        (
            "content/posts/haus.md",
            &post(
                "title: Ein Haus am See\ndate: 2024-05-01\ntags: [Wohnen]",
                "Wir haben lange gesucht. Das **Haus** steht an der Straße zum Wasser.",
            ),
        ),
        (
            "content/posts/kunden.md",
            &post(
                "title: Was Kunden wollen\ndate: 2024-04-01",
                "Ein Kunde fragte nach Büchern &amp; Fahrrädern. <span>Vertrauen</span> wächst langsam.",
            ),
        ),
        (
            "content/posts/garten.md",
            &post(
                "title: Gartenjahr\ndate: 2024-03-01\ntags: [Garten]\ndescription: Beete, Bäume und ein Haus für Igel.",
                "Die Bäume blühen. Die Strasse ist gesperrt.",
            ),
        ),
        ("content/ueber.md", &post("title: Über mich", "Ich schreibe über Häuser.")),
    ])
}

#[test]
fn haeuser_finds_haus_in_every_spelling() {
    let f = german_site();
    let index = build(&f.site);
    for query in ["Häuser", "Haeuser", "Hauser", "häuser", "HAUS", "Haus"] {
        let found = find(&index, query);
        // The post whose title has the word comes first.
        assert_eq!(
            found,
            ["Ein Haus am See", "Gartenjahr", "Über mich"],
            "{query}"
        );
    }
}

#[test]
fn umlauts_and_sharp_s_meet_both_ways() {
    let f = german_site();
    let index = build(&f.site);
    for query in ["Straße", "Strasse", "STRASSE"] {
        assert_eq!(
            find(&index, query),
            ["Ein Haus am See", "Gartenjahr"],
            "{query}"
        );
    }
    assert_eq!(find(&index, "Bäume"), ["Gartenjahr"]);
    assert_eq!(find(&index, "Baum"), ["Gartenjahr"]);
    assert_eq!(find(&index, "Buch"), ["Was Kunden wollen"]);
    assert_eq!(find(&index, "Fahrrad"), ["Was Kunden wollen"]);
    assert_eq!(find(&index, "Kunden"), ["Was Kunden wollen"]);
    assert_eq!(
        find(&index, "vertrauensvoll").len(),
        0,
        "too long an ending"
    );
    assert_eq!(find(&index, "Vertrauens"), ["Was Kunden wollen"]);
}

#[test]
fn every_word_must_be_found_and_prefixes_count() {
    let f = german_site();
    let index = build(&f.site);
    assert_eq!(find(&index, "Haus Wasser"), ["Ein Haus am See"]);
    assert_eq!(find(&index, "Haus Fahrrad"), Vec::<String>::new());
    // Typing: a word's start finds the words it begins.
    assert_eq!(find(&index, "Gart"), ["Gartenjahr"]);
    // Tags are searched, as titles are.
    assert_eq!(find(&index, "wohnen"), ["Ein Haus am See"]);
    // Markup and entities are not words.
    assert!(find(&index, "span").is_empty());
    assert!(find(&index, "amp").is_empty());
}

#[test]
fn the_index_is_json_in_the_documented_shape() {
    let f = german_site();
    let index = build(&f.site);
    let meta: Value = serde_json::from_str(&index.meta).expect("meta");
    assert_eq!(meta["version"], 1);
    assert_eq!(meta["language"], "de");
    assert_eq!(meta["docs"], 4);
    assert_eq!(meta["shards"], 1);
    assert_eq!(meta["chunk"], CHUNK);
    let docs: Value = serde_json::from_str(&index.docs[0]).expect("docs");
    let first = &docs[0];
    assert_eq!(first["url"], "../posts/haus/");
    assert_eq!(first["title"], "Ein Haus am See");
    assert_eq!(first["date"], "1. Mai 2024");
    assert_eq!(first["datetime"], "2024-05-01");
    assert_eq!(docs[2]["summary"], "Beete, Bäume und ein Haus für Igel.");
    // A page has no date.
    assert!(docs[3].get("date").is_none());
    let terms: BTreeMap<String, Vec<u64>> = serde_json::from_str(&index.terms[0]).expect("terms");
    // `haus` is in the title of post 0 (2×0+1), the description of post 2
    // (4, 3 after 1) and the text of the page (6, 2 after 4).
    assert_eq!(terms["haus"], [1, 3, 2]);
    assert!(terms.keys().all(|t| *t == fold(t)), "terms are folded");
}

#[test]
fn the_files_depend_only_on_how_many_documents() {
    assert_eq!(shard_count(0), 1);
    assert_eq!(shard_count(79), 1);
    assert_eq!(shard_count(80), 2);
    assert_eq!(shard_count(10_000), 256);
    assert_eq!(shard_count(1_000_000), MAX_SHARDS);
    let parts = parts(120);
    assert_eq!(
        parts.iter().filter(|p| matches!(p, Part::Terms(_))).count(),
        4
    );
    assert_eq!(
        parts.iter().filter(|p| matches!(p, Part::Docs(_))).count(),
        3
    );
    assert_eq!(Part::Terms(3).file(), "search-index/terms-3.json");
    // Words that begin alike share a shard, whatever follows.
    assert_eq!(shard("haus", 64), shard("hauser", 64));
    assert_eq!(shard("ha", 64), shard("hammer", 64));
}

#[test]
fn english_sites_stem_in_english() {
    let f = fixture::load(&[
        (
            "echt.yaml",
            &config("search: true\n").replace("language: de", "language: en"),
        ),
        (
            "content/posts/a.md",
            &post(
                "title: Moving house\ndate: 2024-05-01",
                "The houses were running late.",
            ),
        ),
    ]);
    let index = build(&f.site);
    assert_eq!(find(&index, "house"), ["Moving house"]);
    assert_eq!(find(&index, "runs"), ["Moving house"]);
    assert_eq!(find(&index, "moved"), ["Moving house"]);
}

#[test]
fn text_of_html_leaves_out_tags_and_decodes_entities() {
    assert_eq!(
        text_of("<p>Haus &amp; <a href=\"x\">Hof</a></p>")
            .split_whitespace()
            .collect::<Vec<_>>(),
        ["Haus", "&", "Hof"]
    );
}
