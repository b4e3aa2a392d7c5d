//! The share links under a post, from echt.yaml's `share`: each a plain
//! link whose address is made at build time, with a text that says where
//! it goes. Nothing is sent anywhere until a reader clicks; the audit
//! gives the outbound ones `rel="noopener noreferrer"` like every other.

use serde::Serialize;

use crate::source::config::Share;
use crate::util::i18n::Strings;

/// One share link (`share[]` of `post.html`).
#[derive(Debug, Serialize, Hash)]
pub(super) struct ShareLink {
    /// `email`, `link`, `fediverse` or `site`: for the theme's classes.
    kind: &'static str,
    /// Where the link goes: `mailto:`, the post itself, another site.
    url: String,
    /// The link's text: "Per E-Mail teilen", "Teilen auf Mastodon
    /// (social.example)"; for `link`, the post's address itself.
    text: String,
    /// What stands before the link's text ("Link zum Kopieren:"), or
    /// null.
    label: Option<&'static str>,
}

/// The share links of the post titled `title` at the absolute `url`.
pub(super) fn links(shares: &[Share], title: &str, url: &str, t: &Strings) -> Vec<ShareLink> {
    shares
        .iter()
        .map(|share| {
            let (kind, text, label) = match share {
                Share::Email => ("email", t.share_email.to_string(), None),
                Share::Link => ("link", url.to_string(), Some(t.share_link)),
                Share::Fediverse { software, host } => (
                    "fediverse",
                    format!("{} {} ({host})", t.share_on, software.name()),
                    None,
                ),
                Share::Site { name, .. } => ("site", format!("{} {name}", t.share_on), None),
            };
            ShareLink {
                kind,
                url: share.href(title, url),
                text,
                label,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::config::Fediverse;
    use crate::util::i18n::{strings, Language};

    #[test]
    fn texts_say_where_each_link_goes() {
        let shares = [
            Share::Email,
            Share::Link,
            Share::Fediverse {
                software: Fediverse::Mastodon,
                host: "social.example".into(),
            },
            Share::Site {
                name: "Beispielnetz".into(),
                template: "https://example.net/s?u={url}".into(),
            },
        ];
        let url = "https://e.org/posts/a/";
        let de = links(&shares, "Titel", url, strings(Language::De));
        let texts: Vec<&str> = de.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Per E-Mail teilen",
                url,
                "Teilen auf Mastodon (social.example)",
                "Teilen auf Beispielnetz"
            ]
        );
        assert_eq!(de[1].url, url);
        assert_eq!(de[1].label, Some("Link zum Kopieren:"));
        assert_eq!(
            de[3].url,
            "https://example.net/s?u=https%3A%2F%2Fe.org%2Fposts%2Fa%2F"
        );
        let en = links(&shares, "Titel", url, strings(Language::En));
        assert_eq!(en[0].text, "Share by e-mail");
        assert_eq!(en[2].text, "Share on Mastodon (social.example)");
    }
}
