//! What counts as running code or contacting another host: the rules for
//! one element and its attributes, shared by the HTML reader (elements of
//! the tree html5ever builds), the XML reader (SVG, XHTML, feeds) and the
//! CSS reader. An element is judged by its vocabulary (HTML, SVG, MathML)
//! and name, never by how it was spelled.

use std::borrow::Cow;
use std::ops::Range;

use super::css;
use super::weight::{Candidates, Choice};
use super::{At, Finding, Page, Policy, Target};
use crate::util::error::Severity;

const SCRIPT_HINT: &str = "echt pages work without JavaScript; remove it (a site's own script files can be allowed with `privacy: {allow_scripts: self}` in echt.yaml)";
const HANDLER_HINT: &str = "remove the attribute; echt pages work without JavaScript";
const HOST_HINT: &str = "copy the file into static/ and use it from there, or allow the host with `privacy: {allow_hosts: [...]}` in echt.yaml (the privacy page lists it)";
const FRAME_HINT: &str =
    "link to the page instead of embedding it; an embedded player tracks everyone who opens the post";
const FONT_HINT: &str = "put the font files into static/ and load them from there";
const LINK_HINT: &str =
    "link to a page or file this site has; after renaming a post, add its old URL to `aliases`";
const REDIRECT_HINT: &str = "link to the destination directly";
const UNSURE_HINT: &str =
    "write it so that there is only one way to read it; echt publishes nothing it cannot check";

/// How deep documents inside documents (`srcdoc`, `data:` frames,
/// `data:` stylesheets) are followed before echt gives up.
const MAX_NESTING: usize = 4;

/// A link to a file of this site, to check that it exists.
#[derive(Debug, Clone)]
pub(crate) struct Link {
    pub file: String,
    pub fragment: Option<String>,
    /// The URL as written, and where.
    pub raw: String,
    pub at: At,
}

/// The markup vocabulary an element belongs to (its namespace).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Vocabulary {
    Html,
    Svg,
    MathMl,
    /// Any other XML namespace: inert in browsers.
    Other,
}

/// One attribute of an element.
#[derive(Debug, Clone)]
pub(crate) struct Attr<'a> {
    /// Lower case; attributes in the XLink namespace are `xlink:NAME`
    /// whatever their prefix, those in the XML namespace `xml:NAME`.
    pub name: Cow<'a, str>,
    /// With character references decoded.
    pub value: Cow<'a, str>,
    /// The value as written when known and different from `value`.
    pub raw: Cow<'a, str>,
    pub at: At,
}

impl Attr<'_> {
    /// The value as written in the file, as far as known.
    pub fn written(&self) -> &str {
        if self.raw.is_empty() {
            &self.value
        } else {
            &self.raw
        }
    }

    fn with_value(&self, value: &str) -> Attr<'static> {
        Attr {
            name: Cow::Owned(self.name.to_string()),
            value: Cow::Owned(value.to_string()),
            raw: Cow::Owned(value.to_string()),
            at: self.at.clone(),
        }
    }
}

/// One element as the rules see it.
#[derive(Debug)]
pub(crate) struct Element<'a> {
    pub vocabulary: Vocabulary,
    /// The local name, lower case.
    pub tag: &'a str,
    pub attrs: &'a [Attr<'a>],
    /// Where its start tag is, and its text as written (may be empty).
    pub at: At,
    pub raw: &'a str,
}

/// Collects what one file shows while its elements are read.
#[derive(Debug)]
pub(crate) struct Checker<'a> {
    policy: &'a Policy,
    page: &'a Page,
    /// A file copied as it is: links in it cannot be cleaned.
    copied: bool,
    /// Documents inside documents followed so far.
    depth: usize,
    pub findings: Vec<Finding>,
    pub ids: Vec<String>,
    pub links: Vec<Link>,
    /// Files of the site loaded by this one.
    pub resources: Vec<String>,
    /// The pictures among them, of which a browser loads one file each.
    pub pictures: Vec<Choice>,
    /// The `<source>`s read since the last `<img>`: the next one's picture.
    sources: Vec<Candidates>,
    /// Outbound http(s) links and where they are.
    pub outbound: Vec<(String, At)>,
}

/// `<meta property>` (or `name`) keys whose `content` is a file that
/// link previews (OpenGraph, Twitter cards) fetch and show: the program
/// that makes a preview loads it, and often the reader's app after it, so
/// it must be one of the site's own files.
const PREVIEW_MEDIA: &[&str] = &[
    "og:image",
    "og:image:url",
    "og:image:secure_url",
    "og:video",
    "og:video:url",
    "og:video:secure_url",
    "og:audio",
    "og:audio:url",
    "og:audio:secure_url",
    "twitter:image",
    "twitter:image:src",
    "twitter:player",
    "twitter:player:stream",
];

const PREVIEW_HINT: &str =
    "name a picture of the site itself (echt names the front matter `image`)";

/// `<link rel>` values that load nothing: every other one (stylesheet,
/// icon, preload, preconnect, manifest, search, unknown ones, …) counts
/// as loading.
const NON_LOADING_RELS: &[&str] = &[
    "alternate",
    "archives",
    "author",
    "bookmark",
    "canonical",
    "contents",
    "edit",
    "external",
    "first",
    "help",
    "home",
    "index",
    "last",
    "license",
    "me",
    "next",
    "nofollow",
    "noopener",
    "noreferrer",
    "opener",
    "pingback",
    "prev",
    "previous",
    "privacy-policy",
    "sitemap",
    "start",
    "tag",
    "terms-of-service",
    "up",
    "webmention",
];

/// Hosts that exist to count clicks or pay commissions before sending the
/// reader on.
const REDIRECTORS: &[&str] = &[
    "amzn.to",
    "amzn.eu",
    "a.co",
    "bit.ly",
    "buff.ly",
    "ow.ly",
    "tinyurl.com",
    "t.co",
    "lnkd.in",
    "goo.gl",
    "shorturl.at",
    "rebrand.ly",
    "linksynergy.com",
    "awin1.com",
    "prf.hn",
    "shareasale.com",
    "go.skimresources.com",
    "go.redirectingat.com",
    "anrdoezrs.net",
    "dpbolvw.net",
    "jdoqocy.com",
    "kqzyfj.com",
    "tkqlhce.com",
    "emjcd.com",
    "tradedoubler.com",
    "webmasterplan.com",
    "hop.clickbank.net",
    "doubleclick.net",
    "googleadservices.com",
    "rstyle.me",
    "shopstyle.it",
    "pntrs.com",
    "pjtra.com",
    "sjv.io",
    "ojrq.net",
    "avantlink.com",
    "zanox.com",
    "adcell.de",
    "belboon.de",
    "financeads.net",
    "digistore24.com",
    "refersion.com",
];

fn attr<'x, 'a>(attrs: &'x [Attr<'a>], name: &str) -> Option<&'x Attr<'a>> {
    attrs.iter().find(|a| a.name == name)
}

/// Attributes whose value is a URL (where `javascript:` would run).
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "poster",
    "background",
    "xlink:href",
    "cite",
    "codebase",
    "longdesc",
    "manifest",
    "lowsrc",
    "dynsrc",
    "icon",
    "xml:base",
    "archive",
    "classid",
    "profile",
    "usemap",
    "itemid",
    "itemtype",
];

/// Attributes of HTML elements the rules read besides URL attributes and
/// `on*` handlers; the others (`class`, `alt`, `aria-*`, …) can neither
/// load nor run anything.
const READ: &[&str] = &[
    "srcset",
    "imagesrcset",
    "style",
    "id",
    "name",
    "rel",
    "http-equiv",
    "content",
    // `<meta property="og:image">`: a link preview's picture.
    "property",
    "ping",
    "srcdoc",
    "attributionsrc",
    "charset",
];

/// Whether the rules read the attribute `name` of an HTML element.
pub(crate) fn matters(name: &str) -> bool {
    name.starts_with("on") || URL_ATTRIBUTES.contains(&name) || READ.contains(&name)
}

/// SVG elements that animate another attribute.
const ANIMATIONS: &[&str] = &[
    "set",
    "animate",
    "animatemotion",
    "animatetransform",
    "animatecolor",
];

/// Elements that embed a plugin or a portal: the site's policy blocks
/// them (`object-src 'none'`), and a feed reader has no such policy.
const EMBEDS: &[&str] = &["object", "embed", "applet", "portal", "fencedframe"];

impl<'a> Checker<'a> {
    pub fn new(policy: &'a Policy, page: &'a Page) -> Self {
        Checker {
            policy,
            page,
            copied: false,
            depth: 0,
            findings: Vec::new(),
            ids: Vec::new(),
            links: Vec::new(),
            resources: Vec::new(),
            pictures: Vec::new(),
            sources: Vec::new(),
            outbound: Vec::new(),
        }
    }

    pub fn policy(&self) -> &'a Policy {
        self.policy
    }

    pub fn page(&self) -> &'a Page {
        self.page
    }

    /// A checker for a file copied as it is (links are reported, not
    /// cleaned).
    pub fn copied(mut self) -> Self {
        self.copied = true;
        self
    }

    /// An empty checker for the same document, reading as this one does
    /// (see [`Checker::extend`]).
    pub fn sibling(&self) -> Checker<'a> {
        Checker {
            depth: self.depth,
            copied: self.copied,
            ..Checker::new(self.policy, self.page)
        }
    }

    /// A checker for a document inside this one's.
    fn nested(&self) -> Checker<'a> {
        Checker {
            depth: self.depth + 1,
            copied: self.copied,
            ..Checker::new(self.policy, self.page)
        }
    }

    /// Takes over what a nested document's checker found, pointing at
    /// `at` (the attribute that holds the document).
    fn absorb(&mut self, inner: Checker<'_>, at: &Attr<'_>) {
        for mut finding in inner.findings {
            finding.at = at.at.clone();
            finding.needles.push(at.written().to_string());
            self.findings.push(finding);
        }
    }

    /// Takes over everything `other` collected about the same document,
    /// as if it had read those elements itself.
    pub fn extend(&mut self, other: Checker<'_>) {
        self.findings.extend(other.findings);
        self.ids.extend(other.ids);
        self.links.extend(other.links);
        self.resources.extend(other.resources);
        self.pictures.extend(other.pictures);
        self.outbound.extend(other.outbound);
    }

    pub fn find(
        &mut self,
        severity: Severity,
        message: String,
        hint: &'static str,
        at: At,
        needles: Vec<String>,
    ) {
        self.findings.push(Finding {
            layout: false,
            severity,
            message,
            hint,
            at,
            needles,
        });
    }

    /// Refuses what echt cannot read with certainty (a feed's XML or JSON
    /// it cannot parse or judge): an error at `span`, nothing to look for.
    pub(crate) fn refuse(&mut self, message: String, hint: &'static str, span: Range<usize>) {
        self.find(Severity::Error, message, hint, At::Span(span), Vec::new());
    }

    fn error(&mut self, message: String, hint: &'static str, at: &Attr<'_>) {
        let needles = vec![at.written().to_string(), at.value.to_string()];
        self.find(Severity::Error, message, hint, at.at.clone(), needles);
    }

    /// Checks one element.
    pub fn element(&mut self, el: &Element<'_>) {
        // Findings about a whole element look for its start tag as written,
        // or, where only the tree knows it, for `<name`.
        let whole = Attr {
            name: Cow::Borrowed(""),
            value: start_tag(el.tag),
            raw: Cow::Borrowed(el.raw),
            at: el.at.clone(),
        };
        let tag = el.tag;
        let attrs = el.attrs;
        let foreign_vocabulary = matches!(el.vocabulary, Vocabulary::Svg | Vocabulary::MathMl);
        for a in attrs {
            let name = a.name.as_ref();
            if name.len() > 2 && name.starts_with("on") {
                let message = format!("the `{name}` attribute runs code in the reader's browser");
                let needles = vec![format!("{name}="), name.to_string()];
                self.find(
                    Severity::Error,
                    message,
                    HANDLER_HINT,
                    a.at.clone(),
                    needles,
                );
                continue;
            }
            match name {
                "id" => self.ids.push(a.value.to_string()),
                "name" if tag == "a" => self.ids.push(a.value.to_string()),
                "style" => self.stylesheet(&a.value, &a.at, css::Kind::Declarations, a.written()),
                _ => {}
            }
            if URL_ATTRIBUTES.contains(&name)
                && may_run(&a.value)
                && self.policy.judge(self.page, &a.value) == Target::Script
            {
                self.error(
                    format!(
                        "a `javascript:` URL in `<{tag} {name}>` runs code in the reader's browser"
                    ),
                    HANDLER_HINT,
                    a,
                );
            } else if foreign_vocabulary && name != "style" && a.value.contains('(') {
                // SVG's presentation attributes (fill, mask, cursor, …) are
                // CSS values: `fill="url(https://…#p)"`.
                let declaration = format!("{name}: {}", a.value);
                self.stylesheet(&declaration, &a.at, css::Kind::Declarations, a.written());
            }
            if name == "background" && el.vocabulary == Vocabulary::Html {
                self.resource(&format!("<{tag} background>"), a, &a.value);
            }
            if name == "xml:base" {
                self.base(tag, a);
            }
            // The Attribution Reporting API: the browser registers with
            // every URL listed here.
            if name == "attributionsrc" {
                for url in a.value.split_ascii_whitespace() {
                    self.resource(&format!("<{tag} attributionsrc>"), &a.with_value(url), url);
                }
            }
            // A page or a resource in another encoding than UTF-8 would be
            // read differently by the browser than by the audit.
            if name == "charset" && !is_utf8_label(&a.value) && el.vocabulary == Vocabulary::Html {
                self.error(
                    format!("`<{tag} charset>` names the encoding `{}`; echt reads and writes only UTF-8", a.value.trim()),
                    "remove the attribute, or make it `utf-8`",
                    a,
                );
            }
        }
        match el.vocabulary {
            Vocabulary::Html => self.html_element(tag, attrs, &whole),
            Vocabulary::Svg => self.svg_element(tag, attrs, &whole),
            Vocabulary::MathMl => {
                // Browsers run no MathML `<script>`; the audit fails closed
                // and treats it like the one they do run.
                if tag == "script" {
                    self.script(attrs, &whole);
                }
                if let Some(href) = attr(attrs, "href") {
                    self.link(href);
                }
                if tag == "mglyph" {
                    self.resource_attrs(tag, attrs, &["src"]);
                }
            }
            Vocabulary::Other => {
                if let Some(href) = attr(attrs, "xlink:href") {
                    self.link(href);
                }
                // Atom's `<link href>`.
                if let Some(href) = attr(attrs, "href").filter(|_| tag == "link") {
                    self.feed_link("`<link href>`", href);
                }
            }
        }
    }

    fn html_element(&mut self, tag: &str, attrs: &[Attr<'_>], whole: &Attr<'_>) {
        match tag {
            "script" => self.script(attrs, whole),
            "a" | "area" => {
                if let Some(href) = attr(attrs, "href") {
                    self.link(href);
                }
                if let Some(ping) = attr(attrs, "ping") {
                    self.error(
                        format!(
                            "the `ping` attribute of `<{tag}>` reports every click to `{}`",
                            ping.value.trim()
                        ),
                        HANDLER_HINT,
                        ping,
                    );
                }
            }
            "img" | "image" => {
                let before = self.resources.len();
                self.resource_attrs(tag, attrs, &["src", "lowsrc", "dynsrc"]);
                let src = self.resources.get(before).cloned();
                let mut img = self.srcset(tag, attr(attrs, "srcset"));
                let sources = std::mem::take(&mut self.sources);
                if img.files.is_empty() {
                    img.files.extend(src.map(|file| (file, None)));
                }
                if tag == "img" && (!sources.is_empty() || img.files.len() > 1) {
                    img.sizes = attr(attrs, "sizes").map(|a| a.value.to_string());
                    self.pictures.push(Choice { sources, img });
                }
            }
            "source" => {
                self.resource_attrs(tag, attrs, &["src"]);
                let mut source = self.srcset(tag, attr(attrs, "srcset"));
                if !source.files.is_empty() {
                    source.mime = attr(attrs, "type").map(|a| a.value.to_string());
                    source.media = attr(attrs, "media").is_some();
                    source.sizes = attr(attrs, "sizes").map(|a| a.value.to_string());
                    self.sources.push(source);
                }
            }
            "video" => self.resource_attrs(tag, attrs, &["src", "poster"]),
            "audio" | "track" => self.resource_attrs(tag, attrs, &["src"]),
            "input" => {
                self.resource_attrs(tag, attrs, &["src"]);
                self.form_target(tag, attr(attrs, "formaction"));
            }
            "iframe" | "frame" => {
                if let Some(src) = attr(attrs, "src") {
                    self.frame(tag, src);
                }
                if let Some(srcdoc) = attr(attrs, "srcdoc").filter(|_| tag == "iframe") {
                    self.inner_document(srcdoc, "srcdoc", &srcdoc.value);
                }
            }
            t if EMBEDS.contains(&t) => self.error(
                format!("`<{tag}>` embeds content that the site's Content-Security-Policy blocks"),
                "link to the file instead",
                whole,
            ),
            "link" => {
                let loads = attr(attrs, "rel").is_none_or(|rel| {
                    rel.value
                        .split_ascii_whitespace()
                        .any(|r| !NON_LOADING_RELS.contains(&r.to_ascii_lowercase().as_str()))
                });
                if loads {
                    let stylesheet = attr(attrs, "rel").is_some_and(|rel| {
                        rel.value
                            .split_ascii_whitespace()
                            .any(|r| r.eq_ignore_ascii_case("stylesheet"))
                    });
                    if let Some(href) = attr(attrs, "href") {
                        if stylesheet && is_data(&href.value) {
                            self.inner_document(href, "text/css", &href.value);
                        } else {
                            self.resource("<link href>", href, &href.value);
                        }
                    }
                    self.srcset(tag, attr(attrs, "imagesrcset"));
                } else if let Some(href) = attr(attrs, "href") {
                    self.internal(href);
                }
            }
            "form" => self.form_target(tag, attr(attrs, "action")),
            "button" => self.form_target(tag, attr(attrs, "formaction")),
            "base" => {
                if let Some(href) = attr(attrs, "href") {
                    self.base(tag, href);
                }
            }
            "meta" => {
                self.meta(attrs, whole);
                let content_type = attr(attrs, "http-equiv")
                    .is_some_and(|h| h.value.trim().eq_ignore_ascii_case("content-type"));
                if let Some(content) = attr(attrs, "content").filter(|_| content_type) {
                    let lower = content.value.to_ascii_lowercase();
                    let charset = lower.split_once("charset=").map(|(_, c)| {
                        c.trim_matches(|c: char| c == '"' || c == '\'' || c.is_ascii_whitespace())
                    });
                    if charset.is_some_and(|c| !is_utf8_label(c)) {
                        self.error(
                            "this page says it is not written in UTF-8; echt reads and writes only UTF-8".into(),
                            "remove the `<meta http-equiv=content-type>` element or make its charset `utf-8`",
                            content,
                        );
                    }
                }
            }
            "html" => self.resource_attrs(tag, attrs, &["manifest"]),
            _ => {}
        }
    }

    fn svg_element(&mut self, tag: &str, attrs: &[Attr<'_>], whole: &Attr<'_>) {
        let href = attr(attrs, "href").or_else(|| attr(attrs, "xlink:href"));
        let shown = svg_name(tag);
        match tag {
            "script" => {
                let as_src: Vec<Attr<'_>> = href
                    .map(|h| Attr {
                        name: Cow::Borrowed("src"),
                        ..h.clone()
                    })
                    .into_iter()
                    .collect();
                self.script(&as_src, whole);
            }
            "a" => {
                if let Some(href) = href {
                    self.link(href);
                }
            }
            t if ANIMATIONS.contains(&t) => {
                let target = attr(attrs, "attributename")
                    .map(|a| a.value.trim().to_ascii_lowercase())
                    .unwrap_or_default();
                if target.starts_with("on") {
                    let at = attr(attrs, "attributename").unwrap_or(whole);
                    self.error(
                        format!("`<{shown}>` sets the event handler `{target}`, which runs code in the reader's browser"),
                        HANDLER_HINT,
                        at,
                    );
                } else if target.ends_with("href") || target == "src" {
                    for name in ["to", "from", "by", "values"] {
                        let Some(a) = attr(attrs, name) else { continue };
                        for value in a.value.split(';') {
                            let at = a.with_value(value.trim());
                            self.resource(&format!("<{shown} {name}>"), &at, value);
                        }
                    }
                }
            }
            // Any other SVG element with a URL fetches it (`<image>`,
            // `<use>`, `<feImage>`, gradients and patterns, …); a `data:`
            // document there may fetch in turn.
            _ => {
                if let Some(href) = href {
                    if is_data(&href.value) && tag != "image" && tag != "feimage" {
                        self.inner_document(href, "", &href.value);
                    } else {
                        let what = format!("<{shown} {}>", href.name);
                        self.resource(&what, href, &href.value);
                    }
                }
            }
        }
    }

    /// Where `value` leads if that is another host (allowed ones excepted).
    fn foreign(&self, value: &str) -> Option<String> {
        match self.policy.judge(self.page, value) {
            Target::Foreign(host) => Some(host),
            Target::Other(scheme) if scheme != "not a valid URL" => Some(format!("{scheme}:")),
            _ => None,
        }
    }

    fn base(&mut self, tag: &str, href: &Attr<'_>) {
        if let Some(host) = self.foreign(&href.value) {
            self.error(
                format!("`<{tag} {}>` points to another host, `{host}`: every relative link and image would load from there", href.name),
                "remove it",
                href,
            );
        }
    }

    fn script(&mut self, attrs: &[Attr<'_>], whole: &Attr<'_>) {
        let src = attr(attrs, "src");
        // `search: true` allows echt's search script on the search page,
        // by its exact path; nothing else there and nowhere else.
        if let Some(s) = src.filter(|s| self.policy.is_search_script(self.page, &s.value)) {
            self.internal(s);
            return;
        }
        let own = self.policy.own_scripts
            && src.is_some_and(|s| {
                matches!(
                    self.policy.judge(self.page, &s.value),
                    Target::Site { .. } | Target::OwnHost
                )
            });
        if own {
            if let Some(src) = src {
                self.internal(src);
            }
            return;
        }
        let message = match (src, self.policy.own_scripts) {
            (Some(s), _) => match self.foreign(&s.value) {
                Some(host) => format!("`<script src>` loads code from another host, `{host}`"),
                None => "`<script>` runs code in the reader's browser".to_string(),
            },
            (None, true) => "an inline `<script>` runs code in the reader's browser; only the site's own script files are allowed".to_string(),
            (None, false) if self.page.search => "an inline `<script>` runs code in the reader's browser; the search page runs echt's search script alone".to_string(),
            (None, false) => "`<script>` runs code in the reader's browser".to_string(),
        };
        let at = src.unwrap_or(whole);
        let mut needles = vec![whole.raw.to_string(), "<script".to_string()];
        if let Some(s) = src {
            needles.insert(0, s.written().to_string());
            needles.insert(1, s.value.to_string());
        }
        self.find(
            Severity::Error,
            message,
            SCRIPT_HINT,
            at.at.clone(),
            needles,
        );
    }

    fn meta(&mut self, attrs: &[Attr<'_>], whole: &Attr<'_>) {
        let value = |name: &str| attr(attrs, name).map(|a| a.value.trim().to_ascii_lowercase());
        let content = attr(attrs, "content");
        match value("http-equiv").as_deref() {
            Some("refresh") => {
                if let Some(content) = content {
                    let target = refresh_url(&content.value);
                    // Stricter than the standard's reading: any word of the
                    // content that names another host counts, so that a
                    // refresh written oddly (`ur\u{16}l=…`) cannot hide one.
                    let word = || {
                        content
                            .value
                            .split(|c: char| {
                                c.is_whitespace() || c.is_control() || matches!(c, ';' | ',' | '=')
                            })
                            .map(|w| w.trim_matches(['"', '\'']))
                            .find_map(|w| self.foreign(w))
                    };
                    if let Some(host) = target.and_then(|t| self.foreign(t)).or_else(word) {
                        self.error(
                            format!("`<meta http-equiv=refresh>` sends readers on to another host, `{host}`"),
                            "link to it instead",
                            content,
                        );
                    } else if let Some(t) = target {
                        match self.policy.judge(self.page, t) {
                            Target::Script => self.error(
                                "a `javascript:` URL in `<meta http-equiv=refresh>` runs code in the reader's browser".into(),
                                HANDLER_HINT,
                                content,
                            ),
                            Target::Site { .. } | Target::OwnHost | Target::Allowed(_) => {
                                self.internal(&content.with_value(t));
                            }
                            // An address that is no valid URL (browsers then
                            // stay), `data:`, `mailto:` and other schemes:
                            // echt cannot tell where such a refresh would go.
                            _ => self.error(
                                format!("`<meta http-equiv=refresh>` sends readers on to `{}`, which echt cannot tell is this site", t.trim()),
                                "link to the page instead",
                                content,
                            ),
                        }
                    }
                }
            }
            Some("set-cookie") => self.error(
                "`<meta http-equiv=set-cookie>` sets a cookie".into(),
                "remove it; echt sites set no cookies",
                whole,
            ),
            _ => {}
        }
        let key = value("property").or_else(|| value("name"));
        if let (Some(key), Some(content)) = (key, content) {
            if PREVIEW_MEDIA.contains(&key.as_str()) {
                self.preview_media(&key, content);
            }
        }
        if value("name").as_deref() == Some("referrer") {
            let policy = content.map(|c| c.value.trim().to_ascii_lowercase());
            if policy.as_deref() != Some("no-referrer") {
                let at = content.unwrap_or(whole);
                self.error(
                    format!(
                        "this page sets its own referrer policy `{}`; echt sends `no-referrer`, so other sites do not learn which page a reader came from",
                        policy.unwrap_or_default()
                    ),
                    "remove the `<meta name=\"referrer\">` element",
                    at,
                );
            }
        }
    }

    /// A file a link preview shows (`og:image`, `twitter:image`, …): one
    /// of the site's own, which must exist; another host, even one
    /// `allow_hosts` lets pages load from, is refused (fail-closed: every
    /// preview would fetch it from there).
    fn preview_media(&mut self, key: &str, content: &Attr<'_>) {
        if content.value.trim().is_empty() {
            return;
        }
        match self.policy.judge(self.page, &content.value) {
            Target::Site { .. } => self.internal(content),
            Target::OwnHost => {}
            Target::Foreign(host) | Target::Allowed(host) => self.error(
                format!("`<meta {key}>` names a file on another host, `{host}`, which every link preview would load from there"),
                PREVIEW_HINT,
                content,
            ),
            _ => self.error(
                format!("`<meta {key}>` names `{}`, which is no file of this site", content.value.trim()),
                PREVIEW_HINT,
                content,
            ),
        }
    }

    fn form_target(&mut self, tag: &str, action: Option<&Attr<'_>>) {
        let Some(action) = action else { return };
        if let Some(host) = self.foreign(&action.value) {
            self.error(
                format!(
                    "`<{tag} {}>` sends what readers type to another host, `{host}`",
                    action.name
                ),
                "the site's Content-Security-Policy allows forms to send to the site itself only",
                action,
            );
        }
    }

    fn resource_attrs(&mut self, tag: &str, attrs: &[Attr<'_>], names: &[&str]) {
        for name in names {
            if let Some(a) = attr(attrs, name) {
                self.resource(&format!("<{tag} {name}>"), a, &a.value);
            }
        }
    }

    /// Judges each URL of a `srcset`; returns the candidates that are
    /// files of the site, with their widths.
    fn srcset(&mut self, tag: &str, srcset: Option<&Attr<'_>>) -> Candidates {
        let mut found = Candidates::default();
        let Some(a) = srcset else { return found };
        for (url, descriptors) in srcset_candidates(&a.value) {
            let at = Attr {
                raw: Cow::Owned(url.to_string()),
                ..a.clone()
            };
            let before = self.resources.len();
            self.resource(&format!("<{tag} {}>", a.name), &at, url);
            if let Some(file) = self.resources.get(before) {
                let width = descriptors
                    .strip_suffix('w')
                    .and_then(|w| w.trim().parse().ok());
                found.files.push((file.clone(), width));
            }
        }
        found
    }

    /// A frame's `src`: pages of other hosts are refused, `data:`
    /// documents are read like any other.
    fn frame(&mut self, tag: &str, src: &Attr<'_>) {
        if is_data(&src.value) {
            self.inner_document(src, "", &src.value);
            return;
        }
        match self.policy.judge(self.page, &src.value) {
            Target::Foreign(host) => self.error(
                format!("`<{tag} src>` embeds a page from another host, `{host}`"),
                FRAME_HINT,
                src,
            ),
            Target::Other(scheme) if scheme != "about" => self.error(
                format!("`<{tag} src>` embeds a `{scheme}` URL, which echt cannot check"),
                FRAME_HINT,
                src,
            ),
            _ => self.resource(&format!("<{tag} src>"), src, &src.value),
        }
    }

    /// A document written into an attribute (`srcdoc`) or a `data:` URL:
    /// read as what it is and judged by the same rules; what cannot be
    /// read is refused. `kind` is the MIME type when it is not a `data:`
    /// URL's own.
    fn inner_document(&mut self, at: &Attr<'_>, kind: &str, value: &str) {
        if self.depth >= MAX_NESTING {
            self.error(
                format!(
                    "documents nested more than {MAX_NESTING} deep in `{}`",
                    at.name
                ),
                UNSURE_HINT,
                at,
            );
            return;
        }
        let (mime, text) = if is_data(value) {
            match decode_data_url(value) {
                Some(decoded) => decoded,
                None => {
                    self.error(
                        format!("the `data:` URL in `{}` cannot be read", at.name),
                        UNSURE_HINT,
                        at,
                    );
                    return;
                }
            }
        } else {
            (kind.to_string(), value.to_string())
        };
        let mut inner = self.nested();
        match mime.as_str() {
            "srcdoc" => super::html::judge_srcdoc(&mut inner, &text),
            "text/html" => {
                super::html::judge_document(&mut inner, &text);
            }
            "text/css" => inner.stylesheet(&text, &At::Span(0..0), css::Kind::Stylesheet, ""),
            "image/svg+xml" | "application/xml" | "text/xml" | "application/xhtml+xml" => {
                super::xml::judge(&mut inner, &text, super::xml::Kind::Document);
            }
            m if m.starts_with("image/") || m == "text/plain" => {}
            other => {
                self.error(
                    format!(
                        "a `data:` URL of type `{other}` in `{}`, which echt cannot check",
                        at.name
                    ),
                    UNSURE_HINT,
                    at,
                );
                return;
            }
        }
        self.absorb(inner, at);
    }

    /// A URL in a feed (an Atom `<link href>`, `<uri>`, RSS `<link>`, a
    /// JSON feed's `url`): a feed reader shows it as a link. `what` names
    /// where it is written (`` `<uri>` ``).
    pub fn feed_link(&mut self, what: &str, at: &Attr<'_>) {
        if self.policy.judge(self.page, &at.value) == Target::Script {
            self.error(
                format!("a `javascript:` URL in the feed's {what} runs code in a feed reader"),
                HANDLER_HINT,
                at,
            );
        }
    }

    /// A URL the browser loads by itself.
    pub fn resource(&mut self, what: &str, at: &Attr<'_>, value: &str) {
        let value = value.trim();
        if value.is_empty() {
            return;
        }
        match self.policy.judge(self.page, value) {
            Target::Site { file, fragment } => {
                self.resources.push(file.clone());
                self.links.push(Link {
                    file,
                    fragment,
                    raw: value.to_string(),
                    at: at.at.clone(),
                });
            }
            Target::OwnHost | Target::Allowed(_) | Target::Data => {}
            Target::Script => self.error(
                format!("a `javascript:` URL in `{what}` runs code in the reader's browser"),
                HANDLER_HINT,
                at,
            ),
            Target::Foreign(host) => {
                let needles = vec![at.written().to_string(), value.to_string()];
                // `<img src>` is code; "the web app manifest" is not.
                let what = if what.starts_with('<') {
                    format!("`{what}`")
                } else {
                    what.to_string()
                };
                self.find(
                    Severity::Error,
                    format!("{what} loads from another host, `{host}`, which then learns who reads the page"),
                    HOST_HINT,
                    at.at.clone(),
                    needles,
                );
            }
            Target::Other(kind) => self.error(
                format!("`{what}` loads through a `{kind}` URL, which echt cannot check"),
                HOST_HINT,
                at,
            ),
        }
    }

    /// A link that must lead to a file of the site if it stays inside it.
    fn internal(&mut self, at: &Attr<'_>) {
        if let Target::Site { file, fragment } = self.policy.judge(self.page, &at.value) {
            self.links.push(Link {
                file,
                fragment,
                raw: at.value.to_string(),
                at: at.at.clone(),
            });
        }
    }

    /// A link the reader may follow (`<a href>`, SVG and MathML links):
    /// internal ones must resolve; outbound ones must carry no tracking
    /// parameters (the writer removed them from pages; copied files keep
    /// them, so that is a warning there) and affiliate redirects are
    /// pointed out.
    fn link(&mut self, href: &Attr<'_>) {
        let host = match self.policy.judge(self.page, &href.value) {
            Target::Site { file, fragment } => {
                self.links.push(Link {
                    file,
                    fragment,
                    raw: href.value.to_string(),
                    at: href.at.clone(),
                });
                return;
            }
            // Reported with every other URL attribute.
            Target::Script => return,
            Target::Foreign(host) | Target::Allowed(host) => host,
            _ => return,
        };
        let needles = || vec![href.written().to_string(), href.value.to_string()];
        let (cleaned, left) = super::tracking::strip(href.value.trim(), &host);
        if !left.is_empty() {
            let list = left
                .iter()
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let parameters = if left.len() == 1 {
                "parameter"
            } else {
                "parameters"
            };
            let (severity, message) = if self.copied {
                (
                    Severity::Warning,
                    format!("a link to `{host}` carries the tracking {parameters} {list}; this file is copied as it is, so remove them yourself"),
                )
            } else {
                (
                    Severity::Error,
                    format!("a link to `{host}` still carries the tracking {parameters} {list} after echt cleaned the page"),
                )
            };
            self.find(severity, message, "", href.at.clone(), needles());
        }
        if let Some(redirector) = REDIRECTORS
            .iter()
            .find(|r| host == **r || host.strip_suffix(**r).is_some_and(|sub| sub.ends_with('.')))
        {
            self.find(
                Severity::Warning,
                format!("link through `{redirector}`, a redirect that counts clicks or pays commissions"),
                REDIRECT_HINT,
                href.at.clone(),
                needles(),
            );
        } else if is_amazon(&host) && has_param(&cleaned, "tag") {
            self.find(
                Severity::Warning,
                "link with an Amazon affiliate tag (`tag=`)".to_string(),
                REDIRECT_HINT,
                href.at.clone(),
                needles(),
            );
        }
        if cleaned.starts_with("http://") || cleaned.starts_with("https://") {
            self.outbound.push((cleaned, href.at.clone()));
        }
    }

    /// Every URL in CSS: a stylesheet, `<style>` or a `style` attribute;
    /// `at` is where the text starts in the file (a span) or its line,
    /// `raw` the text as written when it differs (character references).
    pub fn stylesheet(&mut self, text: &str, at: &At, kind: css::Kind, raw: &str) {
        let (references, unsure) = css::references_checked(text, kind);
        for (offset, len, why) in unsure {
            let token = text
                .get(offset..offset + len)
                .unwrap_or_default()
                .to_string();
            let place = Attr {
                name: Cow::Borrowed(""),
                value: Cow::Owned(token.clone()),
                raw: Cow::Owned(token),
                at: within(at, text, offset, len, raw),
            };
            self.error(
                format!("echt cannot tell what this CSS loads: {why}"),
                UNSURE_HINT,
                &place,
            );
        }
        for reference in references {
            let token = text
                .get(reference.offset..reference.offset + reference.len)
                .unwrap_or_default()
                .to_string();
            let what = match reference.usage {
                css::Use::Url => "CSS `url()`",
                css::Use::Import => "CSS `@import`",
                css::Use::FontFace => "`@font-face`",
            };
            let place = Attr {
                name: Cow::Borrowed(""),
                value: Cow::Owned(reference.url.clone()),
                raw: Cow::Owned(token),
                at: within(at, text, reference.offset, reference.len, raw),
            };
            if reference.usage == css::Use::Import && is_data(&reference.url) {
                self.inner_document(&place, "text/css", &reference.url);
                continue;
            }
            match self.policy.judge(self.page, &reference.url) {
                Target::Foreign(host) => {
                    let hint = if reference.usage == css::Use::FontFace {
                        FONT_HINT
                    } else {
                        HOST_HINT
                    };
                    self.error(
                        format!("{what} loads from another host, `{host}`, which then learns who reads the page"),
                        hint,
                        &place,
                    );
                }
                _ => self.resource(what, &place, &reference.url),
            }
        }
    }
}

/// `<name`, without an allocation for the elements of pages and feeds
/// that most often have attributes the rules read.
fn start_tag(tag: &str) -> Cow<'static, str> {
    const COMMON: &[&str] = &[
        "<a",
        "<link",
        "<meta",
        "<img",
        "<li",
        "<h2",
        "<h3",
        "<h1",
        "<h4",
        "<div",
        "<span",
        "<section",
        "<main",
        "<nav",
        "<p",
        "<sup",
        "<ol",
        "<ul",
        "<html",
        "<body",
        "<script",
        "<style",
        "<svg",
        "<use",
        "<image",
        "<source",
        "<iframe",
        "<input",
        "<form",
        // Feeds.
        "<feed",
        "<entry",
        "<content",
        "<summary",
        "<title",
        "<rss",
        "<channel",
        "<item",
        "<category",
        "<guid",
        "<description",
    ];
    COMMON
        .iter()
        .find(|c| &c[1..] == tag)
        .map_or_else(|| Cow::Owned(format!("<{tag}")), |c| Cow::Borrowed(*c))
}

/// Where `len` bytes at `offset` of a CSS `text` are, given where the text
/// starts. Character references in a style attribute shift positions:
/// point at the attribute then.
fn within(at: &At, text: &str, offset: usize, len: usize, raw: &str) -> At {
    match at {
        At::Span(span) if raw.is_empty() || raw == text => {
            At::Span(span.start + offset..span.start + offset + len)
        }
        At::Span(span) => At::Span(span.start..span.start + raw.len()),
        At::Line(line) => {
            let newlines = text.get(..offset).map_or(0, |t| t.matches('\n').count());
            At::Line(line + newlines as u64)
        }
    }
}

/// An SVG element's name as SVG spells it (the rules compare names in
/// lower case).
fn svg_name(tag: &str) -> &str {
    const NAMES: &[&str] = &[
        "altGlyph",
        "animateColor",
        "animateMotion",
        "animateTransform",
        "clipPath",
        "feBlend",
        "feColorMatrix",
        "feComponentTransfer",
        "feComposite",
        "feConvolveMatrix",
        "feDiffuseLighting",
        "feDisplacementMap",
        "feDistantLight",
        "feDropShadow",
        "feFlood",
        "feFuncA",
        "feFuncB",
        "feFuncG",
        "feFuncR",
        "feGaussianBlur",
        "feImage",
        "feMerge",
        "feMergeNode",
        "feMorphology",
        "feOffset",
        "fePointLight",
        "feSpecularLighting",
        "feSpotLight",
        "feTile",
        "feTurbulence",
        "foreignObject",
        "glyphRef",
        "linearGradient",
        "radialGradient",
        "textPath",
    ];
    NAMES
        .iter()
        .find(|name| name.eq_ignore_ascii_case(tag))
        .copied()
        .unwrap_or(tag)
}

/// Whether an encoding label means UTF-8.
fn is_utf8_label(label: &str) -> bool {
    encoding_rs::Encoding::for_label(label.trim().as_bytes()) == Some(encoding_rs::UTF_8)
}

/// A URL as the URL parser reads it: leading and trailing C0 controls and
/// spaces dropped, tabs and line breaks anywhere removed.
pub(crate) fn browser_form(url: &str) -> Cow<'_, str> {
    let trimmed = url.trim_matches(|c: char| c <= ' ');
    if trimmed.contains(['\t', '\n', '\r']) {
        Cow::Owned(
            trimmed
                .chars()
                .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
                .collect(),
        )
    } else {
        Cow::Borrowed(trimmed)
    }
}

/// Whether `url` may be a `javascript:` or `vbscript:` URL: the URL
/// parser takes the scheme from the start of its browser form, so no
/// other URL is one (a cheap test before asking the URL parser).
fn may_run(url: &str) -> bool {
    let form = browser_form(url);
    let starts = |scheme: &str| {
        form.get(..scheme.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(scheme))
    };
    starts("javascript:") || starts("vbscript:")
}

fn is_data(url: &str) -> bool {
    browser_form(url)
        .get(..5)
        .is_some_and(|s| s.eq_ignore_ascii_case("data:"))
}

/// The MIME type (essence, lower case) and text of a `data:` URL, decoded
/// as the Fetch standard says; None if it is not one or not UTF-8 text.
pub(crate) fn decode_data_url(url: &str) -> Option<(String, String)> {
    let form = browser_form(url);
    let parsed = data_url::DataUrl::process(&form).ok()?;
    let mime = parsed.mime_type();
    let essence = format!("{}/{}", mime.type_, mime.subtype).to_ascii_lowercase();
    let charset = mime.get_parameter("charset").map(str::to_ascii_lowercase);
    let (body, _) = parsed.decode_to_vec().ok()?;
    let known = charset.is_none_or(|c| c == "utf-8" || c == "us-ascii" || c == "utf8");
    if essence == "text/css" {
        // A stylesheet names its encoding itself (`@charset`).
        return super::files::decode_css(&body)
            .ok()
            .filter(|_| known)
            .map(|text| (essence, text));
    }
    let text = String::from_utf8(body).ok().filter(|_| known)?;
    Some((essence, text))
}

/// The URL of a `<meta http-equiv=refresh content="5; url=…">`, read the
/// way the HTML standard says (`5 url=x`, `5;x` and `5, 'x'` all count).
pub(crate) fn refresh_url(content: &str) -> Option<&str> {
    let is_space = |c: char| matches!(c, ' ' | '\t' | '\n' | '\x0C' | '\r');
    let rest = content.trim_start_matches(is_space);
    let digits = rest.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
    if digits.len() == rest.len() {
        return None;
    }
    let rest = digits;
    if rest.is_empty() {
        return None;
    }
    if !rest.starts_with([';', ',']) && !rest.starts_with(is_space) {
        return None;
    }
    let rest = rest.trim_start_matches(is_space);
    let rest = rest.strip_prefix([';', ',']).unwrap_or(rest);
    let mut rest = rest.trim_start_matches(is_space);
    if rest.get(..3).is_some_and(|u| u.eq_ignore_ascii_case("url")) {
        let after = rest[3..].trim_start_matches(is_space);
        if let Some(value) = after.strip_prefix('=') {
            rest = value.trim_start_matches(is_space);
        }
    }
    let url = match rest.chars().next() {
        Some(quote @ ('"' | '\'')) => {
            let inner = &rest[1..];
            inner.find(quote).map_or(inner, |end| &inner[..end])
        }
        _ => rest,
    };
    let url = url.trim_end_matches(is_space);
    (!url.is_empty()).then_some(url)
}

/// The candidates of a `srcset`, each its URL and its descriptors as
/// written (`800w`, `2x`, or nothing).
pub(crate) fn srcset_candidates(srcset: &str) -> Vec<(&str, &str)> {
    let mut candidates = Vec::new();
    let mut rest = srcset;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == ',');
        if rest.is_empty() {
            return candidates;
        }
        let end = rest
            .find(|c: char| c.is_ascii_whitespace())
            .unwrap_or(rest.len());
        let url = &rest[..end];
        let trimmed = url.trim_end_matches(',');
        rest = &rest[end..];
        let mut descriptors = "";
        if trimmed.len() == url.len() {
            // Descriptors run to the next comma outside parentheses; the
            // HTML standard knows "in parentheses" but no nesting.
            let mut in_parens = false;
            let mut cut = rest.len();
            for (i, c) in rest.char_indices() {
                match c {
                    '(' => in_parens = true,
                    ')' => in_parens = false,
                    ',' if !in_parens => {
                        cut = i + 1;
                        break;
                    }
                    _ => {}
                }
            }
            descriptors = rest[..cut].trim_end_matches(',').trim();
            rest = &rest[cut..];
        }
        candidates.push((trimmed, descriptors));
    }
}

fn is_amazon(host: &str) -> bool {
    let bare = host.strip_prefix("www.").unwrap_or(host);
    bare.starts_with("amazon.") || bare.starts_with("smile.amazon.")
}

fn has_param(url: &str, name: &str) -> bool {
    query_of(url).is_some_and(|q| {
        q.split('&').any(|pair| {
            pair.split('=')
                .next()
                .is_some_and(|k| k.eq_ignore_ascii_case(name))
        })
    })
}

fn query_of(url: &str) -> Option<&str> {
    let before_fragment = url.split('#').next().unwrap_or(url);
    before_fragment.split_once('?').map(|(_, q)| q)
}

pub(crate) fn broken_link(link: &Link) -> Finding {
    let path = link.file.strip_suffix("index.html").unwrap_or(&link.file);
    let shown = match &link.fragment {
        Some(f) => format!("/{path}#{f}"),
        None => format!("/{path}"),
    };
    Finding {
        layout: false,
        severity: Severity::Error,
        message: format!("link to `{shown}`, which this site does not have"),
        hint: LINK_HINT,
        at: link.at.clone(),
        needles: link_needles(link),
    }
}

pub(crate) fn missing_anchor(link: &Link, other_page: Option<&str>) -> Finding {
    let fragment = link.fragment.clone().unwrap_or_default();
    let message = match other_page {
        Some(file) => format!(
            "link to `#{fragment}` on /{}, which has no element with that id",
            file.strip_suffix("index.html").unwrap_or(file)
        ),
        None => format!("link to `#{fragment}`, but this page has no element with that id"),
    };
    Finding {
        layout: false,
        severity: Severity::Error,
        message,
        hint: "link to a heading's id (shown in the table of contents) or add the id",
        at: link.at.clone(),
        needles: link_needles(link),
    }
}

/// Relative links are written `../../x/` in pages but `x.md` or `/x/` in
/// sources: look for the forms a source would use.
fn link_needles(link: &Link) -> Vec<String> {
    let mut needles = vec![link.raw.clone()];
    let path = link.file.strip_suffix("index.html").unwrap_or(&link.file);
    if let Some(f) = &link.fragment {
        needles.push(format!("/{path}#{f}"));
        needles.push(format!("#{f})"));
        needles.push(format!("#{f}\""));
        needles.push(format!("#{f}"));
    }
    needles.push(format!("/{path}"));
    let last = path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default();
    if !last.is_empty() {
        needles.push(last.to_string());
    }
    needles
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refresh_urls_as_browsers_read_them() {
        for (content, url) in [
            ("0; url=https://a.example/", Some("https://a.example/")),
            ("0;URL='https://a.example/'", Some("https://a.example/")),
            ("0 https://a.example/", Some("https://a.example/")),
            ("0 url=https://a.example/", Some("https://a.example/")),
            ("5, \"x.html\"", Some("x.html")),
            ("1.5 ; url = y", Some("y")),
            ("0", None),
            ("5;", None),
            ("x; url=z", None),
            ("0x url=z", None),
        ] {
            assert_eq!(refresh_url(content), url, "{content}");
        }
    }

    #[test]
    fn data_urls_are_decoded() {
        assert_eq!(
            decode_data_url("data:text/html,%3Cimg%20src=x%3E"),
            Some(("text/html".into(), "<img src=x>".into()))
        );
        assert_eq!(
            decode_data_url("data:text/css;base64,QGltcG9ydCAneCc7"),
            Some(("text/css".into(), "@import 'x';".into()))
        );
        assert_eq!(decode_data_url("data:text/css;charset=koi8-r,x"), None);
    }
}
