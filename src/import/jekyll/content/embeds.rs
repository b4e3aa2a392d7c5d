//! Third-party embeds written into posts (iframes, tweets, toots, gists,
//! CodePens, scripts, images from other hosts) become plain links to the
//! content on its own site: echt's audit refuses anything a page would load
//! from another host, and any script.

use super::code::Code;
use super::html::{self, Tag};
use super::mapped::Out;
use super::words::{What, Words};
use super::{Markup, RawNote, Site};
use crate::util::escape;

/// `<a href="URL">TEXT</a>`.
pub(super) fn link_html(url: &str, text: &str) -> String {
    format!(
        "<a href=\"{}\">{}</a>",
        escape::html(url),
        escape::html(text)
    )
}

/// The embed step over one text.
pub(super) fn run(
    input: &str,
    markup: Markup,
    words: Words,
    site: &dyn Site,
) -> (Out, Vec<RawNote>) {
    let code = match markup {
        Markup::Markdown => Code::rendered(input),
        Markup::Html => Code::none(),
    };
    let mut step = Step {
        input,
        index: html::Index::new(input),
        markup,
        words,
        site,
        out: Out::default(),
        notes: Vec::new(),
        copied: 0,
    };
    let bytes = input.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let next = if code.contains(i) {
            None
        } else if b == b'<' {
            match html::start_tag(input, i) {
                Some(tag) => step.element(&tag).or_else(|| step.handlers(&tag)),
                None => step.broken(i),
            }
        } else if b == b'!' && markup == Markup::Markdown && bytes.get(i + 1) == Some(&b'[') {
            step.image(i)
        } else {
            None
        };
        i = next.unwrap_or(i + 1);
        while !input.is_char_boundary(i) {
            i += 1;
        }
    }
    step.out.copy(input, step.copied..input.len());
    (step.out, step.notes)
}

struct Step<'a> {
    input: &'a str,
    index: html::Index<'a>,
    markup: Markup,
    words: Words,
    site: &'a dyn Site,
    out: Out,
    notes: Vec<RawNote>,
    /// Input before this is in `out`.
    copied: usize,
}

/// What replaces an embed.
struct Link {
    url: String,
    text: String,
    provider: String,
}

impl Step<'_> {
    /// Replaces `range` of the input by `text`.
    fn replace(&mut self, range: std::ops::Range<usize>, text: &str) {
        self.out.copy(self.input, self.copied..range.start);
        self.out.insert(text, range.start);
        self.copied = range.end;
    }

    /// Whether `range` has its line(s) to itself.
    fn own_lines(&self, range: &std::ops::Range<usize>) -> bool {
        let before = &self.input[..range.start];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let after = &self.input[range.end..];
        let line_end = after.find('\n').unwrap_or(after.len());
        before[line_start..].trim().is_empty() && after[..line_end].trim().is_empty()
    }

    fn replace_with_link(
        &mut self,
        range: std::ops::Range<usize>,
        link: &Link,
        html_text: Option<&str>,
    ) {
        let a = match html_text {
            Some(text) => format!("<a href=\"{}\">{text}</a>", escape::html(&link.url)),
            None => link_html(&link.url, &link.text),
        };
        self.notes.push(RawNote::changed(
            range.start,
            format!("{} embed became a link to {}", link.provider, link.url),
        ));
        self.replace(range, &a);
    }

    /// The element that starts with `tag`, to its end tag (or the start
    /// tag alone, when none follows).
    fn whole(&mut self, tag: &Tag<'_>) -> std::ops::Range<usize> {
        let close = self.index.close(tag.end, &tag.name);
        tag.start..close.map_or(tag.end, |c| c.end)
    }

    /// Handles the element starting with `tag`; where to go on, when it
    /// was one that matters.
    fn element(&mut self, tag: &Tag<'_>) -> Option<usize> {
        let input = self.input;
        match tag.name.as_str() {
            "iframe" => {
                let src = html::url(tag.attr("src")?);
                let url = external(&src)?;
                let range = self.whole(tag);
                let link = iframe_link(&url, tag.attr("title"), self.words);
                self.replace_with_link(range.clone(), &link, None);
                Some(range.end)
            }
            "script" => {
                let range = self.whole(tag);
                Some(self.script(tag, range))
            }
            "blockquote" if tag.has_class("twitter-tweet") || tag.has_class("mastodon-embed") => {
                let range = self.index.close(tag.end, "blockquote")?;
                self.post(tag, range)
            }
            "p" | "div" if tag.has_class("codepen") => {
                let range = self.whole(tag);
                let link = codepen(tag, &input[tag.end..range.end], self.words)?;
                self.replace_with_link(range.clone(), &link, None);
                Some(range.end)
            }
            "img" => self.img(tag),
            "a" => self.md_link(tag),
            "video" | "audio" | "embed" | "object" | "source" => {
                let src = html::url(tag.attr("src").or_else(|| tag.attr("data"))?);
                let url = external(&src)?;
                let range = if matches!(tag.name.as_str(), "embed" | "source") {
                    tag.start..tag.end
                } else {
                    self.whole(tag)
                };
                let what = if tag.name == "audio" {
                    What::Audio
                } else {
                    What::Video
                };
                let host = host(&url).to_string();
                let link = Link {
                    text: self.words.on(what, &host),
                    url,
                    provider: host,
                };
                self.replace_with_link(range.clone(), &link, None);
                Some(range.end)
            }
            _ => None,
        }
    }

    /// An HTML link to a Markdown file (as `{% post_url %}` in an `href`
    /// leaves it): echt resolves those only in Markdown links.
    fn md_link(&mut self, tag: &Tag<'_>) -> Option<usize> {
        let href = tag.attr("href")?;
        let path = href.split(['#', '?']).next().unwrap_or(href);
        if !path.ends_with(".md") || href.contains(':') || href.starts_with('/') {
            return None;
        }
        let close = self.index.close(tag.end, "a")?;
        let inner = &self.input[tag.end..close.start];
        let plain = !inner.contains(['<', '[', ']']) && !inner.contains("\n\n");
        if self.markup == Markup::Html || !plain || tag.attrs.len() > 1 {
            let message = format!(
                "HTML link to `{href}`: echt turns `.md` files into addresses only in Markdown links; write it as [text]({href})"
            );
            self.notes.push(RawNote::review(tag.start, message));
            return None;
        }
        let message = format!("HTML link to `{href}` became a Markdown link, which echt resolves");
        self.notes.push(RawNote::changed(tag.start, message));
        self.replace(
            tag.start..close.end,
            &format!("[{inner}]({})", html::url(href)),
        );
        Some(close.end)
    }

    /// Event handler attributes (`onclick`) and `javascript:` links run
    /// code: they are removed from the tag.
    fn handlers(&mut self, tag: &Tag<'_>) -> Option<usize> {
        let code = |(name, value, _): &&(String, &str, std::ops::Range<usize>)| {
            let script_url = matches!(name.as_str(), "href" | "src" | "action" | "formaction")
                && value
                    .trim_start()
                    .to_ascii_lowercase()
                    .starts_with("javascript:");
            (name.len() > 2 && name.starts_with("on")) || script_url
        };
        let bad: Vec<_> = tag.attrs.iter().filter(code).collect();
        if bad.is_empty() {
            return None;
        }
        let names: Vec<&str> = bad.iter().map(|a| a.0.as_str()).collect();
        let message = format!(
            "attribute {} removed from <{}>: it ran code, which echt pages do without",
            names.join(", "),
            tag.name
        );
        self.notes.push(RawNote::review(tag.start, message));
        for (_, _, range) in bad {
            let start = self.input[..range.start]
                .trim_end_matches([' ', '\t'])
                .len();
            self.replace(start.max(self.copied)..range.end, "");
        }
        Some(tag.end)
    }

    /// A `<script` or `<iframe` that does not read as a tag (an open
    /// quote, no `>`): its `<` is escaped, so that no browser reads it as one.
    fn broken(&mut self, at: usize) -> Option<usize> {
        let head = self.input.get(at + 1..at + 7)?.to_ascii_lowercase();
        if head != "script" && head != "iframe" {
            return None;
        }
        self.notes.push(RawNote::review(
            at,
            format!("unfinished <{head}> tag kept as visible text"),
        ));
        self.replace(at..at + 1, "&lt;");
        Some(at + 1)
    }

    fn script(&mut self, tag: &Tag<'_>, range: std::ops::Range<usize>) -> usize {
        let src = tag.attr("src").map(html::url).unwrap_or_default();
        let host = host(&src).to_string();
        let path = src.split(['?', '#']).next().unwrap_or("");
        let own_lines = self.own_lines(&range);
        let mut range = range;
        if own_lines {
            // The whole line goes with it.
            if let Some(n) = self.input[range.end..].find('\n') {
                range.end += n + 1;
            }
            let line_start = self.input[..range.start].rfind('\n').map_or(0, |i| i + 1);
            range.start = line_start.max(self.copied);
        }
        if host == "gist.github.com" {
            let link = gist(&src, path, self.words);
            let a = link_html(&link.url, &link.text);
            // A link alone on its line is a paragraph (a `<p>` there would
            // start an HTML block, which could take in what follows).
            let a = if own_lines { format!("{a}\n") } else { a };
            let message = format!("GitHub Gist embed became a link to {}", link.url);
            self.notes.push(RawNote::changed(tag.start, message));
            self.replace(range.clone(), &a);
            return range.end;
        }
        let dropped = if host == "platform.twitter.com" {
            Some("Twitter's script")
        } else if path.ends_with("/embed.js") {
            Some("Mastodon's embed script")
        } else if host.ends_with("codepen.io") && path.ends_with("/ei.js") {
            Some("CodePen's script")
        } else {
            None
        };
        if let Some(what) = dropped {
            let message = format!("{what} removed ({src}): echt publishes no scripts");
            self.notes.push(RawNote::changed(tag.start, message));
            self.replace(range.clone(), "");
        } else {
            let message = "script kept as visible text: echt publishes no scripts; remove it or replace it with a link";
            self.notes
                .push(RawNote::review(tag.start, message.to_string()));
            let text = escape::html(&self.input[range.clone()]);
            self.replace(range.clone(), &text);
        }
        range.end
    }

    /// A tweet or toot: its text, author and address.
    fn post(&mut self, tag: &Tag<'_>, close: std::ops::Range<usize>) -> Option<usize> {
        let inner = &self.input[tag.end..close.start];
        let lower = inner.to_ascii_lowercase();
        let mastodon = tag.has_class("mastodon-embed");
        let hrefs: Vec<String> = find_all(inner, &lower, "<a")
            .filter_map(|at| html::start_tag(inner, at))
            .filter_map(|a| a.attr("href").map(html::url))
            .collect();
        let url = match tag.attr("data-embed-url") {
            Some(u) if mastodon => html::url(u).trim_end_matches("/embed").to_string(),
            _ if mastodon => hrefs.first()?.clone(),
            _ => hrefs.last()?.clone(),
        };
        let p_end = lower.find("</p>").unwrap_or(inner.len());
        let text = html::text(&inner[..p_end]);
        let author = if mastodon {
            String::new()
        } else {
            let last_a = lower.rfind("<a").unwrap_or(inner.len()).max(p_end);
            let after_p = inner.get(p_end..last_a).unwrap_or("");
            html::text(after_p)
                .trim_start_matches("&mdash;")
                .trim_start_matches(['—', '-', ' '])
                .trim()
                .to_string()
        };
        let provider = if mastodon { "Mastodon" } else { "Twitter" };
        let words = self.words.post_by(&author, provider);
        let a = format!(
            "<a href=\"{}\">{}</a>",
            escape::html(&url),
            escape::html(&words)
        );
        let html = format!("<blockquote><p>{text}</p><p>— {a}</p></blockquote>");
        self.notes.push(RawNote::changed(
            tag.start,
            format!("{provider} embed became a quote with a link to {url}"),
        ));
        self.replace(tag.start..close.end, &html);
        Some(close.end)
    }

    fn img(&mut self, tag: &Tag<'_>) -> Option<usize> {
        let (_, value, _) = tag.attrs.iter().find(|a| a.0 == "src")?;
        let src = html::url(value);
        let start = html::offset_in(self.input, value);
        if let (Some(local), Some(start)) = (localize(&src, self.site), start) {
            self.notes.push(RawNote::changed(
                tag.start,
                format!("image address {src} became {local}"),
            ));
            self.replace(start..start + value.len(), &escape::html(&local));
            return Some(tag.end);
        }
        let url = external(&src)?;
        let alt = tag.attr("alt").filter(|a| !a.trim().is_empty());
        let text = alt.map_or_else(|| file_name(&url), |a| a.trim().to_string());
        let a = format!("<a href=\"{}\">{}</a>", escape::html(&url), text);
        self.notes.push(RawNote::review(
            tag.start,
            format!("image from another host became a link to it: download {url} into static/ to show it"),
        ));
        self.replace(tag.start..tag.end, &a);
        Some(tag.end)
    }

    /// `![alt](url "title")` from another host.
    fn image(&mut self, at: usize) -> Option<usize> {
        let MdImage { alt, dest, end } = md_image(self.input, at)?;
        if let Some(local) = localize(dest.1, self.site) {
            self.notes.push(RawNote::changed(
                at,
                format!("image address {} became {local}", dest.1),
            ));
            self.replace(dest.0.clone(), &local);
            return Some(end);
        }
        let url = external(dest.1)?;
        let text = if alt.trim().is_empty() {
            file_name(&url)
        } else {
            alt.to_string()
        };
        let in_link = at > 0 && self.input.as_bytes()[at - 1] == b'[';
        let (replacement, what) = if in_link {
            (text, format!("image from another host inside a link replaced by its text: download {url} into static/ to show it"))
        } else {
            (format!("[{text}]({url})"), format!("image from another host became a link to it: download {url} into static/ to show it"))
        };
        self.notes.push(RawNote::review(at, what));
        self.replace(at..end, &replacement);
        Some(end)
    }
}

/// The gist a `<script src="https://gist.github.com/USER/ID.js?file=F">`
/// shows.
fn gist(src: &str, path: &str, words: Words) -> Link {
    let url = path.trim_end_matches(".js").to_string();
    let file = src
        .split("file=")
        .nth(1)
        .map(|f| f.split('&').next().unwrap_or(f));
    let id = url.rsplit('/').next().unwrap_or("");
    let text = titled(words.on(What::Code, "GitHub Gist"), file.unwrap_or(id));
    Link {
        url,
        text,
        provider: "GitHub Gist".into(),
    }
}

/// The pen a `<p class="codepen" data-user data-slug-hash>` shows.
fn codepen(tag: &Tag<'_>, inner: &str, words: Words) -> Option<Link> {
    let user = tag.attr("data-user")?;
    let hash = tag.attr("data-slug-hash")?;
    let title = tag
        .attr("data-pen-title")
        .map(str::to_string)
        .unwrap_or_else(|| html::text(inner.split("</").next().unwrap_or("")));
    Some(Link {
        url: format!("https://codepen.io/{user}/pen/{hash}"),
        text: titled(words.on(What::Code, "CodePen"), &title),
        provider: "CodePen".into(),
    })
}

fn titled(words: String, title: &str) -> String {
    let title = title.trim();
    if title.is_empty() {
        words
    } else {
        format!("{words}: {title}")
    }
}

fn find_all<'a>(text: &'a str, lower: &'a str, what: &'a str) -> impl Iterator<Item = usize> + 'a {
    let _ = text;
    lower.match_indices(what).map(|(i, _)| i)
}

/// The URL with a scheme, when it points to another host.
fn external(url: &str) -> Option<String> {
    let url = url.trim();
    if let Some(rest) = url.strip_prefix("//") {
        return Some(format!("https://{rest}"));
    }
    let (scheme, _) = url.split_once("://")?;
    matches!(scheme.to_ascii_lowercase().as_str(), "http" | "https").then(|| url.to_string())
}

fn host(url: &str) -> &str {
    let rest = url.split_once("//").map_or("", |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    host.rsplit('@').next().unwrap_or(host)
}

/// An address on the old site itself, as a site-relative path.
fn localize(url: &str, site: &dyn Site) -> Option<String> {
    let own = site.url();
    let strip = |u: &str| u.split_once("//").map(|(_, r)| r.to_string());
    let own = strip(own).filter(|o| !o.is_empty())?;
    let rest = strip(url)?;
    let rest = rest.strip_prefix(own.as_str())?;
    let rest = match site.baseurl() {
        "" => rest,
        base => rest.strip_prefix(base).unwrap_or(rest),
    };
    match rest.chars().next() {
        None => Some("/".into()),
        Some('/') => Some(rest.to_string()),
        _ => None,
    }
}

fn file_name(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    path.rsplit('/')
        .find(|s| !s.is_empty())
        .unwrap_or(path)
        .to_string()
}

/// The parts of `![alt](dest "title")`.
struct MdImage<'i> {
    alt: &'i str,
    /// The destination's range and text.
    dest: (std::ops::Range<usize>, &'i str),
    /// Just past the `)`.
    end: usize,
}

/// The image written at `at`.
fn md_image(input: &str, at: usize) -> Option<MdImage<'_>> {
    let bytes = input.as_bytes();
    let mut i = at + 2;
    let mut depth = 0usize;
    let alt_start = i;
    loop {
        match *bytes.get(i)? {
            b'\\' => i += 1,
            b'[' => depth += 1,
            b']' if depth == 0 => break,
            b']' => depth -= 1,
            b'\n' if bytes.get(i + 1) == Some(&b'\n') => return None,
            _ => {}
        }
        i += 1;
    }
    let alt = &input[alt_start..i];
    if bytes.get(i + 1) != Some(&b'(') {
        return None;
    }
    i += 2;
    while bytes.get(i).is_some_and(|b| *b == b' ') {
        i += 1;
    }
    let (dest_start, dest_end) = if bytes.get(i) == Some(&b'<') {
        let close = input[i..].find('>')? + i;
        (i + 1, close)
    } else {
        let s = i;
        let mut parens = 0usize;
        while let Some(&b) = bytes.get(i) {
            match b {
                b'(' => parens += 1,
                b')' if parens == 0 => break,
                b')' => parens -= 1,
                _ if b.is_ascii_whitespace() => break,
                _ => {}
            }
            i += 1;
        }
        (s, i)
    };
    let close = input[dest_end..].find(')')? + dest_end;
    let between = &input[dest_end..close];
    if between.contains("\n\n") {
        return None;
    }
    Some(MdImage {
        alt,
        dest: (dest_start..dest_end, &input[dest_start..dest_end]),
        end: close + 1,
    })
}

/// The link that replaces an iframe, by the host it loads from.
fn iframe_link(src: &str, title: Option<&str>, words: Words) -> Link {
    let h = host(src).to_ascii_lowercase();
    let h = h.strip_prefix("www.").unwrap_or(&h);
    let path = src.split_once(host(src)).map_or("", |(_, p)| p);
    let path_only = path.split(['?', '#']).next().unwrap_or("");
    let segs: Vec<&str> = path_only.split('/').filter(|s| !s.is_empty()).collect();
    let target = player(h, &segs, src).unwrap_or_else(|| other_frame(h, &segs, src));
    Link {
        url: target.url.unwrap_or_else(|| src.to_string()),
        text: titled(words.on(target.what, &target.provider), title.unwrap_or("")),
        provider: target.provider,
    }
}

/// What an iframe shows and, where known, the page of it on its own site.
struct Target {
    what: What,
    provider: String,
    url: Option<String>,
}

fn target(what: What, provider: &str, url: Option<String>) -> Target {
    Target {
        what,
        provider: provider.to_string(),
        url,
    }
}

/// A query parameter of a URL.
fn query<'u>(url: &'u str, key: &str) -> Option<&'u str> {
    let (_, q) = url.split_once('?')?;
    q.split(['&', '#'])
        .find_map(|kv| kv.strip_prefix(key).and_then(|v| v.strip_prefix('=')))
}

/// Video, audio and code players.
fn player(h: &str, segs: &[&str], src: &str) -> Option<Target> {
    Some(match h {
        "youtube.com" | "youtube-nocookie.com" | "m.youtube.com" => {
            let url = match segs {
                ["embed", "videoseries"] => {
                    query(src, "list").map(|l| format!("https://www.youtube.com/playlist?list={l}"))
                }
                ["embed", id, ..] => Some(format!("https://www.youtube.com/watch?v={id}")),
                _ => None,
            };
            target(What::Video, "YouTube", url)
        }
        "player.vimeo.com" => {
            let url = match segs {
                ["video", id, ..] => Some(format!("https://vimeo.com/{id}")),
                _ => None,
            };
            target(What::Video, "Vimeo", url)
        }
        "codepen.io" => {
            let url = match segs {
                [user, "embed", "preview", id, ..] | [user, "embed", id, ..] => {
                    Some(format!("https://codepen.io/{user}/pen/{id}"))
                }
                _ => None,
            };
            target(What::Code, "CodePen", url)
        }
        "w.soundcloud.com" => target(What::Audio, "SoundCloud", None),
        "open.spotify.com" => {
            let url = (segs.first() == Some(&"embed"))
                .then(|| format!("https://open.spotify.com/{}", segs[1..].join("/")));
            target(What::Audio, "Spotify", url)
        }
        _ => return None,
    })
}

/// Slides, maps, toots and anything else.
fn other_frame(h: &str, segs: &[&str], src: &str) -> Target {
    if h == "slideshare.net" {
        return target(What::Slides, "SlideShare", None);
    }
    if h == "openstreetmap.org" {
        let url = query(src, "marker").and_then(|m| {
            let m = m.replace("%2C", ",");
            let (lat, lon) = m.split_once(',')?;
            Some(format!(
                "https://www.openstreetmap.org/?mlat={lat}&mlon={lon}"
            ))
        });
        return target(What::Map, "OpenStreetMap", url);
    }
    if h == "google.com" && segs.first() == Some(&"maps") || h.starts_with("maps.google.") {
        return target(What::Map, "Google Maps", None);
    }
    if segs.last() == Some(&"embed") && segs.iter().any(|s| s.starts_with('@')) {
        let url = src.split(['?', '#']).next().unwrap_or(src);
        let url = url.trim_end_matches("/embed").to_string();
        return target(What::Post, &format!("Mastodon ({h})"), Some(url));
    }
    target(What::Page, h, None)
}
