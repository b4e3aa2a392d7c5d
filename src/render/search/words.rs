//! Words as the search index and the search script see them: split at
//! anything that is not a letter or digit, lowercased, stemmed in the
//! site's language (Snowball 3 through `pagefind_stem`: "Häuser" and
//! "Haeuser" become `haus`, "Kunden" `kund`), then folded so that spelling
//! without umlauts or ß meets spelling with them (`ä` → `a`, `ß` → `ss`,
//! accents dropped).
//!
//! The script does not stem: it folds the reader's words the same way and
//! finds the stems a word begins with or that begin with it (`Query`, the
//! reference the script follows), so "Häuser" finds a post that says only
//! "Haus".

use std::borrow::Cow;

use pagefind_stem::{Algorithm, Stemmer};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::util::i18n::Language;

/// The longest ending the script drops from a reader's word to meet a
/// stem (German `-ungen` after `-ung` is kept by the stemmer: 5 is the
/// most Snowball removes in one go).
pub const MAX_ENDING: usize = 5;
/// The shortest stem a reader's longer word is matched to.
pub const MIN_STEM: usize = 3;

/// Makes index terms of words in one language.
pub struct Terms {
    stemmer: Stemmer,
}

impl Terms {
    pub fn new(language: Language) -> Self {
        let algorithm = match language {
            Language::De => Algorithm::German,
            Language::En => Algorithm::English,
        };
        Terms {
            stemmer: Stemmer::create(algorithm),
        }
    }

    /// The index term of one word (already split out by [`words`]).
    pub fn term(&self, word: &str) -> String {
        let lower = word.to_lowercase();
        fold(&self.stemmer.stem(&lower))
    }
}

/// The words of `text`: runs of letters and digits.
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// `text` lowercased with umlauts, ß and accents folded: "Straße" and
/// "Strasse" both become `strasse`, "Häuser" `hauser`, "Café" `cafe`.
pub fn fold(text: &str) -> String {
    let lower: Cow<'_, str> = if text.chars().any(char::is_uppercase) {
        Cow::Owned(text.to_lowercase())
    } else {
        Cow::Borrowed(text)
    };
    if lower.is_ascii() {
        return lower.into_owned();
    }
    let mut out = String::with_capacity(lower.len());
    for c in lower.chars() {
        match c {
            'ß' => out.push_str("ss"),
            'æ' => out.push_str("ae"),
            'œ' => out.push_str("oe"),
            'ø' => out.push('o'),
            c if c.is_ascii() => out.push(c),
            c => out.extend(std::iter::once(c).nfd().filter(|c| !is_combining_mark(*c))),
        }
    }
    out
}

#[cfg(test)]
/// The spellings of a reader's word the script looks up: folded, and in
/// German also with `ae`, `oe`, `ue` read as umlauts ("Haeuser").
pub fn query_forms(word: &str, language: Language) -> Vec<String> {
    let folded = fold(word);
    let mut forms = vec![folded.clone()];
    if language == Language::De {
        let mut plain = String::with_capacity(folded.len());
        let mut chars = folded.chars().peekable();
        let mut previous = ' ';
        while let Some(c) = chars.next() {
            let umlaut = matches!(c, 'a' | 'o') || (c == 'u' && previous != 'q');
            if umlaut && chars.peek() == Some(&'e') {
                chars.next();
            }
            plain.push(c);
            previous = c;
        }
        if plain != folded {
            forms.push(plain);
        }
    }
    forms
}

/// The shard key of a term or a reader's folded word: its first two
/// characters (every term that starts with a word of two or more
/// characters, and every term such a word starts with, shares them).
pub fn key(term: &str) -> &str {
    let end = term.char_indices().nth(2).map_or(term.len(), |(i, _)| i);
    &term[..end]
}

#[cfg(test)]
/// Whether the index term `stem` matches the reader's folded word `word`:
/// it starts with the word, or is the longest stem the word starts with
/// that leaves an ending a stemmer removes (`longest` says so).
pub fn matches_forward(stem: &str, word: &str) -> bool {
    if word.chars().count() < 2 {
        stem == word
    } else {
        stem.starts_with(word)
    }
}

#[cfg(test)]
/// Whether `stem` begins the reader's `word` and leaves at most an ending.
pub fn begins(stem: &str, word: &str) -> bool {
    let (s, w) = (stem.chars().count(), word.chars().count());
    s >= MIN_STEM && s < w && w - s <= MAX_ENDING && word.starts_with(stem)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn umlauts_and_sharp_s_fold_both_ways() {
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("Strasse"), "strasse");
        assert_eq!(fold("Häuser"), "hauser");
        assert_eq!(fold("ÖL"), "ol");
        assert_eq!(fold("Café"), "cafe");
        assert_eq!(fold("Übermut"), "ubermut");
    }

    #[test]
    fn german_terms_meet_across_forms_and_spellings() {
        let t = Terms::new(Language::De);
        for (a, b) in [
            ("Häuser", "Haus"),
            ("Haeuser", "Haus"),
            ("Hauser", "Haus"),
            ("Kunden", "Kunde"),
            ("Bücher", "Buch"),
            ("Buecher", "Buch"),
            ("Straße", "Strasse"),
            ("Fahrräder", "Fahrrad"),
            ("Vertrauens", "Vertrauen"),
        ] {
            assert_eq!(t.term(a), t.term(b), "{a} ~ {b}");
        }
        assert_eq!(t.term("Häuser"), "haus");
        assert_ne!(t.term("Haus"), t.term("Hase"));
    }

    #[test]
    fn english_terms_are_stemmed_in_english() {
        let t = Terms::new(Language::En);
        assert_eq!(t.term("Houses"), t.term("house"));
        assert_eq!(t.term("running"), t.term("runs"));
        // The German stemmer would leave these apart or join others.
        assert_ne!(t.term("running"), "running");
    }

    #[test]
    fn words_split_at_anything_but_letters_and_digits() {
        let found: Vec<&str> = words("Ein Haus, zwei Häuser – 3-mal: ok?").collect();
        assert_eq!(found, ["Ein", "Haus", "zwei", "Häuser", "3", "mal", "ok"]);
    }

    #[test]
    fn readers_spellings_of_umlauts() {
        assert_eq!(query_forms("Haeuser", Language::De), ["haeuser", "hauser"]);
        assert_eq!(query_forms("Häuser", Language::De), ["hauser"]);
        // `qu` is no umlaut.
        assert_eq!(query_forms("Quelle", Language::De), ["quelle"]);
        assert_eq!(query_forms("Haeuser", Language::En), ["haeuser"]);
    }

    #[test]
    fn a_word_meets_the_stems_it_begins_and_that_begin_it() {
        assert!(matches_forward("haustur", "haus"));
        assert!(matches_forward("haus", "ha"));
        assert!(!matches_forward("haus", "h"));
        assert!(matches_forward("h", "h"));
        assert!(begins("haus", "hauser"));
        assert!(begins("kund", "kunden"));
        assert!(!begins("ha", "hauser"), "too short a stem");
        assert!(!begins("haus", "hausmeisterin"), "too long an ending");
        assert!(!begins("haus", "haus"), "the same word matches forward");
        assert_eq!(key("haus"), "ha");
        assert_eq!(key("ä"), "ä");
        assert_eq!(key("über"), "üb");
    }
}
