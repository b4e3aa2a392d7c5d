//! `share` in echt.yaml: the links under each post that let a reader pass
//! it on. Each is a plain link made when the site is built, so nothing is
//! sent anywhere until the reader clicks one: no button, picture or
//! script of another site, no counter. Checked once here: https only, a
//! host, only the placeholders echt fills in, and no tracking parameter
//! (the list of `util::tracking`) in a share address the author writes.

use serde_yaml::Value;

use super::Problem;
use crate::util::tracking;
use crate::util::url::encode_component;

/// The share links a site gets when echt.yaml says nothing: e-mail and
/// the address to copy, which need no other site.
pub const DEFAULT: [Share; 2] = [Share::Email, Share::Link];

/// How to write `share` entries, for hints.
const HINT: &str = "write `email`, `link`, `mastodon: HOST`, `misskey: HOST`, `friendica: HOST` or `{name: NAME, url: \"https://…?u={url}&t={title}\"}`";

/// One share link under each post.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Share {
    /// `mailto:` with the post's title as subject and its URL as body.
    Email,
    /// The post's address shown as text to copy.
    Link,
    /// The compose page of a fediverse server the author names.
    Fediverse { software: Fediverse, host: String },
    /// Another site: its name and its share address, `{url}` and
    /// `{title}` filled in percent-encoded.
    Site { name: String, template: String },
}

/// Fediverse software whose servers open a filled-in compose form at a
/// fixed address (each also serves its forks).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fediverse {
    /// `/share?text=` (Mastodon 2.x and later, Hometown, glitch-soc).
    Mastodon,
    /// `/share?text=` (Misskey and its forks: Sharkey, Firefish, Iceshrimp).
    Misskey,
    /// `/compose?body=`.
    Friendica,
}

const SOFTWARE: [(&str, Fediverse); 3] = [
    ("mastodon", Fediverse::Mastodon),
    ("misskey", Fediverse::Misskey),
    ("friendica", Fediverse::Friendica),
];

impl Fediverse {
    /// The name readers know it by.
    pub fn name(self) -> &'static str {
        match self {
            Fediverse::Mastodon => "Mastodon",
            Fediverse::Misskey => "Misskey",
            Fediverse::Friendica => "Friendica",
        }
    }

    /// The path and query parameter of the compose form that takes text.
    fn endpoint(self) -> &'static str {
        match self {
            Fediverse::Mastodon | Fediverse::Misskey => "share?text=",
            Fediverse::Friendica => "compose?body=",
        }
    }
}

impl Share {
    /// Where the link goes for a post titled `title` at the absolute URL
    /// `url`: every value percent-encoded as a URL component (RFC 3986;
    /// for `mailto:` as RFC 6068 asks, UTF-8 and `%20` for spaces).
    pub fn href(&self, title: &str, url: &str) -> String {
        match self {
            Share::Email => format!(
                "mailto:?subject={}&body={}",
                encode_component(title),
                encode_component(url)
            ),
            Share::Link => url.to_string(),
            Share::Fediverse { software, host } => format!(
                "https://{host}/{}{}",
                software.endpoint(),
                encode_component(&format!("{title} {url}"))
            ),
            Share::Site { template, .. } => template
                .replace("{url}", &encode_component(url))
                .replace("{title}", &encode_component(title)),
        }
    }
}

/// `share`: the list as written, [`DEFAULT`] when it is not set.
pub(super) fn share(raw: Option<Vec<Value>>) -> Result<Vec<Share>, Vec<Problem>> {
    let Some(entries) = raw else {
        return Ok(DEFAULT.to_vec());
    };
    let mut shares = Vec::new();
    let mut problems = Vec::new();
    for entry in &entries {
        match entry_of(entry) {
            Ok(share) if shares.contains(&share) => problems.push(
                Problem::at_text(
                    "share",
                    "share",
                    &written(entry),
                    "this share link is listed twice",
                )
                .hint("list each share link once"),
            ),
            Ok(share) => shares.push(share),
            Err(problem) => problems.push(problem),
        }
    }
    if problems.is_empty() {
        Ok(shares)
    } else {
        Err(problems)
    }
}

/// The text of an entry as it is likely written, to find it in echt.yaml.
fn written(entry: &Value) -> String {
    match entry {
        Value::String(s) => s.clone(),
        Value::Mapping(map) => map
            .iter()
            .find_map(|(_, v)| v.as_str().map(str::to_string))
            .unwrap_or_default(),
        _ => String::new(),
    }
}

fn entry_of(entry: &Value) -> Result<Share, Problem> {
    match entry {
        Value::String(s) => match s.trim() {
            "email" => Ok(Share::Email),
            "link" => Ok(Share::Link),
            other => Err(Problem::at_text(
                "share",
                "share",
                s,
                format!("echt does not know the share link `{other}`"),
            )
            .hint(HINT)),
        },
        Value::Mapping(map) => {
            let keys: Vec<&str> = map.keys().filter_map(Value::as_str).collect();
            let text = |key: &str| map.get(key).and_then(Value::as_str);
            match keys.as_slice() {
                [one] if SOFTWARE.iter().any(|(name, _)| name == one) => fediverse(one, text(one)),
                keys if keys.contains(&"name") || keys.contains(&"url") => {
                    site(map, text("name"), text("url"))
                }
                _ => Err(Problem::at_key("share", "not a share link echt knows").hint(HINT)),
            }
        }
        _ => Err(Problem::at_key("share", "not a share link echt knows").hint(HINT)),
    }
}

/// `mastodon: social.example`: a server's host name.
fn fediverse(key: &str, host: Option<&str>) -> Result<Share, Problem> {
    let (key, software) = SOFTWARE
        .iter()
        .find(|(name, _)| *name == key)
        .copied()
        .unwrap_or(("share", Fediverse::Mastodon));
    let Some(written) = host else {
        return Err(
            Problem::at_key("share", format!("`{key}` needs the server's host name"))
                .hint("e.g. `mastodon: social.example`"),
        );
    };
    let bare = written
        .trim()
        .strip_prefix("https://")
        .unwrap_or(written.trim())
        .trim_end_matches('/');
    let parsed = url::Url::parse(&format!("https://{bare}/"))
        .ok()
        .filter(|u| {
            u.path() == "/"
                && u.query().is_none()
                && u.fragment().is_none()
                && u.username().is_empty()
                && u.password().is_none()
                && u.domain().is_some_and(|d| d.contains('.'))
        });
    match parsed.and_then(|u| u.host_str().map(str::to_string)) {
        Some(host) => Ok(Share::Fediverse {
            software,
            host: match parsed_port(bare) {
                Some(port) => format!("{host}:{port}"),
                None => host,
            },
        }),
        None => Err(Problem::at_text(
            "share",
            key,
            written,
            format!("`{written}` is not the host name of a server"),
        )
        .hint("write the server's name alone, e.g. `mastodon: social.example`")),
    }
}

/// The port written after a host (`social.example:8443`), if any.
fn parsed_port(bare: &str) -> Option<u16> {
    url::Url::parse(&format!("https://{bare}/")).ok()?.port()
}

/// `{name: Beispielnetz, url: "https://…?u={url}&t={title}"}`.
fn site(
    map: &serde_yaml::Mapping,
    name: Option<&str>,
    url: Option<&str>,
) -> Result<Share, Problem> {
    if let Some(unknown) = map
        .keys()
        .filter_map(Value::as_str)
        .find(|k| !matches!(*k, "name" | "url"))
    {
        return Err(Problem::at_text(
            "share",
            "share",
            unknown,
            format!("unknown field `{unknown}`, expected `name` or `url`"),
        ));
    }
    let (Some(name), Some(template)) = (name, url) else {
        return Err(Problem::at_key(
            "share",
            "a share link of another site needs both `name` and `url`",
        )
        .hint(HINT));
    };
    let name = name.trim();
    if name.is_empty() || name.chars().any(char::is_control) {
        return Err(
            Problem::at_text("share", "name", name, "the name of a share link is empty")
                .hint("name the site as readers know it, e.g. `name: Beispielnetz`"),
        );
    }
    let template = template.trim();
    check_template(template).map_err(|(message, hint)| {
        Problem::at_text("share", "url", template, message).hint(hint)
    })?;
    Ok(Share::Site {
        name: name.to_string(),
        template: template.to_string(),
    })
}

/// `{url}` at least once, `{title}` perhaps, and no other braces.
fn check_placeholders(template: &str) -> Result<(), (String, &'static str)> {
    let mut rest = template;
    let mut has_url = false;
    while let Some(open) = rest.find(['{', '}']) {
        let after = &rest[open..];
        let placeholder = after
            .strip_prefix('{')
            .and_then(|a| a.find('}').map(|close| &a[..close]));
        match placeholder {
            Some("url") => has_url = true,
            Some("title") => {}
            Some(other) => {
                return Err((
                    format!("echt does not know the placeholder `{{{other}}}`"),
                    "a share address takes `{url}` and `{title}`",
                ))
            }
            None => {
                return Err((
                    "a brace that opens or closes no placeholder".to_string(),
                    "a share address takes `{url}` and `{title}`",
                ))
            }
        }
        rest = &after[placeholder.map_or(1, |p| p.len() + 2)..];
    }
    if !has_url {
        return Err((
            "this share address leaves out the post's `{url}`".to_string(),
            "put `{url}` where the site wants the address, e.g. `?u={url}`",
        ));
    }
    Ok(())
}

/// A share address: https, a host, `{url}` (and perhaps `{title}`) and no
/// other placeholder, no tracking parameter. The message and hint of what
/// is wrong.
fn check_template(template: &str) -> Result<(), (String, &'static str)> {
    check_placeholders(template)?;
    let filled = template.replace("{url}", "u").replace("{title}", "t");
    let parsed = url::Url::parse(&filled).map_err(|e| {
        (
            format!("not a URL: {e}"),
            "write the full address, e.g. `https://example.net/share?u={url}`",
        )
    })?;
    if parsed.scheme() != "https" {
        return Err((
            format!("a share address must use https, not `{}`", parsed.scheme()),
            "readers' titles and addresses should not travel unencrypted",
        ));
    }
    let Some(host) = parsed.host_str().filter(|h| !h.is_empty()) else {
        return Err((
            "this share address has no host".to_string(),
            "write the full address, e.g. `https://example.net/share?u={url}`",
        ));
    };
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err((
            "this share address carries a user name or password".to_string(),
            "remove it",
        ));
    }
    let tracking = tracking_parameters(&parsed, host);
    if !tracking.is_empty() {
        return Err((
            format!(
                "this share address carries the tracking parameter{} {}",
                if tracking.len() == 1 { "" } else { "s" },
                tracking.join(", ")
            ),
            "remove it: a share link must not tell the other site where its readers came from",
        ));
    }
    Ok(())
}

/// The tracking parameters in the query and fragment of `parsed`, shown
/// percent-decoded in backticks.
fn tracking_parameters(parsed: &url::Url, host: &str) -> Vec<String> {
    parsed
        .query()
        .into_iter()
        .chain(parsed.fragment())
        .flat_map(|q| q.split('&'))
        .filter_map(|pair| pair.split('=').next())
        .filter(|name| tracking::is_tracking(name, host))
        .map(|name| format!("`{}`", crate::util::url::percent_decode_lossy(name)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TITLE: &str = "Größe & Maß: 100% „echt“?";
    const URL: &str = "https://lena.example.org/posts/gr%C3%B6%C3%9Fe/";

    #[test]
    fn mailto_is_encoded_as_rfc_6068_asks() {
        assert_eq!(
            Share::Email.href(TITLE, URL),
            "mailto:?subject=Gr%C3%B6%C3%9Fe%20%26%20Ma%C3%9F%3A%20100%25%20%E2%80%9Eecht%E2%80%9C%3F&body=https%3A%2F%2Flena.example.org%2Fposts%2Fgr%25C3%25B6%25C3%259Fe%2F"
        );
    }

    #[test]
    fn fediverse_servers_get_title_and_url_as_text() {
        let mastodon = Share::Fediverse {
            software: Fediverse::Mastodon,
            host: "social.example".into(),
        };
        assert_eq!(
            mastodon.href("Zwei Wörter", "https://e.org/a/"),
            "https://social.example/share?text=Zwei%20W%C3%B6rter%20https%3A%2F%2Fe.org%2Fa%2F"
        );
        let friendica = Share::Fediverse {
            software: Fediverse::Friendica,
            host: "f.example:8443".into(),
        };
        assert_eq!(
            friendica.href("T", "https://e.org/a/"),
            "https://f.example:8443/compose?body=T%20https%3A%2F%2Fe.org%2Fa%2F"
        );
    }

    #[test]
    fn site_templates_are_filled_in_encoded() {
        let site = Share::Site {
            name: "Beispielnetz".into(),
            template: "https://example.net/share?u={url}&t={title}".into(),
        };
        assert_eq!(
            site.href("a&b=c", "https://e.org/a/?x=1#y"),
            "https://example.net/share?u=https%3A%2F%2Fe.org%2Fa%2F%3Fx%3D1%23y&t=a%26b%3Dc"
        );
    }

    fn parsed(yaml: &str) -> Result<Vec<Share>, Vec<String>> {
        let raw: Vec<Value> = serde_yaml::from_str(yaml).unwrap_or_default();
        share(Some(raw)).map_err(|problems| problems.into_iter().map(|p| p.message).collect())
    }

    #[test]
    fn entries_are_read() {
        assert_eq!(share(None), Ok(DEFAULT.to_vec()));
        assert_eq!(parsed("[]"), Ok(vec![]));
        assert_eq!(
            parsed(
                "[email, link, {mastodon: Social.Example}, {misskey: 'https://mk.example/'}, {name: Netz, url: 'https://example.net/s?u={url}'}]"
            ),
            Ok(vec![
                Share::Email,
                Share::Link,
                Share::Fediverse {
                    software: Fediverse::Mastodon,
                    host: "social.example".into()
                },
                Share::Fediverse {
                    software: Fediverse::Misskey,
                    host: "mk.example".into()
                },
                Share::Site {
                    name: "Netz".into(),
                    template: "https://example.net/s?u={url}".into()
                },
            ])
        );
    }

    #[test]
    fn wrong_entries_are_refused() {
        let refused = |yaml: &str, message: &str| {
            let got = parsed(yaml);
            assert!(
                got.as_ref()
                    .is_err_and(|m| m.iter().any(|m| m.contains(message))),
                "{yaml}: {got:?}"
            );
        };
        refused("[fax]", "echt does not know the share link `fax`");
        refused("[email, email]", "listed twice");
        refused(
            "[{mastodon: 'http://social.example/x'}]",
            "is not the host name",
        );
        refused("[{mastodon: localhost}]", "is not the host name");
        refused("[{mastodon: null}]", "needs the server's host name");
        refused(
            "[{name: N, url: 'http://e.net/?u={url}'}]",
            "must use https",
        );
        refused("[{name: N, url: 'https:///?u={url}'}]", "empty host");
        refused(
            "[{name: N, url: 'mailto:a@e.net?body={url}'}]",
            "must use https",
        );
        refused(
            "[{name: N, url: 'https://e.net/?u={link}'}]",
            "placeholder `{link}`",
        );
        refused("[{name: N, url: 'https://e.net/?u={url'}]", "a brace");
        refused("[{name: N, url: 'https://e.net/?t={title}'}]", "leaves out");
        refused("[{name: N}]", "needs both");
        refused(
            "[{name: N, url: 'https://e.net/?u={url}', icon: x}]",
            "unknown field `icon`",
        );
        refused(
            "[{name: N, url: 'https://e.net/?u={url}&utm_source=blog&UTM%5FMedium=x'}]",
            "tracking parameters `utm_source`, `UTM_Medium`",
        );
        refused(
            "[{name: N, url: 'https://e.net/?u={url}&fbclid=1'}]",
            "tracking parameter `fbclid`",
        );
        refused(
            "[{name: '  ', url: 'https://e.net/?u={url}'}]",
            "name of a share link is empty",
        );
        refused("[3]", "not a share link");
    }
}
