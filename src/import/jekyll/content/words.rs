//! The few words the conversion writes itself (the text of a link that
//! replaces an embed), in the language of the text.

/// The words of one language; German or, for anything else, English.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Words {
    german: bool,
}

/// What an embed showed, which names the link that replaces it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum What {
    Video,
    Audio,
    Map,
    Slides,
    Code,
    Post,
    Page,
}

impl Words {
    pub(crate) fn new(language: &str) -> Self {
        let code = language.split(['-', '_']).next().unwrap_or("");
        Self {
            german: code.eq_ignore_ascii_case("de"),
        }
    }

    /// "Video auf YouTube", "Post on Mastodon", …
    pub(crate) fn on(self, what: What, provider: &str) -> String {
        let noun = match (what, self.german) {
            (What::Video, _) => "Video",
            (What::Audio, _) => "Audio",
            (What::Map, true) => "Karte",
            (What::Map, false) => "Map",
            (What::Slides, true) => "Folien",
            (What::Slides, false) => "Slides",
            (What::Code, _) => "Code",
            (What::Post, true) => "Beitrag",
            (What::Post, false) => "Post",
            (What::Page, true) => "Eingebettete Seite",
            (What::Page, false) => "Embedded page",
        };
        let on = match (what, self.german) {
            (What::Page, true) => "von",
            (What::Page, false) => "from",
            (_, true) => "auf",
            (_, false) => "on",
        };
        format!("{noun} {on} {provider}")
    }

    /// "Beitrag von NAME auf Twitter" / "Post by NAME on Twitter".
    pub(crate) fn post_by(self, author: &str, provider: &str) -> String {
        if author.is_empty() {
            return self.on(What::Post, provider);
        }
        if self.german {
            format!("Beitrag von {author} auf {provider}")
        } else {
            format!("Post by {author} on {provider}")
        }
    }
}
