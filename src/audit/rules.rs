//! What counts as running code or contacting another host: the rules for
//! one element and its attributes, shared by the HTML and the XML (SVG,
//! feed) readers, and for the URLs in CSS.

use std::ops::Range;

use super::css;
use super::{Finding, Page, Policy, Target};
use crate::error::Severity;

const SCRIPT_HINT: &str = "echt pages work without JavaScript; remove it (a site's own script files can be allowed with `privacy: {allow_scripts: self}` in echt.yaml)";
const HANDLER_HINT: &str = "remove the attribute; echt pages work without JavaScript";
const HOST_HINT: &str = "copy the file into static/ and use it from there, or allow the host with `privacy: {allow_hosts: [...]}` in echt.yaml (the privacy page lists it)";
const FRAME_HINT: &str =
    "link to the page instead of embedding it; an embedded player tracks everyone who opens the post";
const FONT_HINT: &str = "put the font files into static/ and load them from there";
const LINK_HINT: &str =
    "link to a page or file this site has; after renaming a post, add its old URL to `aliases`";
const REDIRECT_HINT: &str = "link to the destination directly";

/// A link to a file of this site, to check that it exists.
#[derive(Debug, Clone)]
pub(crate) struct Link {
    pub file: String,
    pub fragment: Option<String>,
    /// The URL as written, and where.
    pub raw: String,
    pub span: Range<usize>,
}

/// One attribute of an element.
#[derive(Debug, Clone)]
pub(crate) struct Attr {
    /// Lower case.
    pub name: String,
    /// With character references decoded.
    pub value: String,
    /// The value as written when that differs from `value` (else empty),
    /// and where (the whole tag when unknown).
    pub raw: String,
    pub span: Range<usize>,
}

impl Attr {
    /// The value as written in the file.
    pub fn written(&self) -> &str {
        if self.raw.is_empty() {
            &self.value
        } else {
            &self.raw
        }
    }
}

/// Changes the HTML writer makes to an `<a>` or `<area>`.
#[derive(Debug, Default)]
pub(crate) struct Changes {
    /// The href without tracking parameters.
    pub href: Option<String>,
    /// The rel with `noopener noreferrer` added.
    pub rel: Option<String>,
}

/// Collects what one file shows while its elements are read.
#[derive(Debug)]
pub(crate) struct Checker<'a> {
    policy: &'a Policy,
    page: &'a Page,
    pub findings: Vec<Finding>,
    pub ids: Vec<String>,
    pub links: Vec<Link>,
    /// Files of the site loaded by this one.
    pub resources: Vec<String>,
    /// Outbound http(s) links and where they are.
    pub outbound: Vec<(String, Range<usize>)>,
}

/// `<link rel>` values that load nothing: every other one (stylesheet,
/// icon, preload, preconnect, manifest, …) counts as loading.
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
    "search",
    "sitemap",
    "start",
    "tag",
    "terms-of-service",
    "up",
    "webmention",
];

/// Query parameters that exist to track who clicked where.
const TRACKING_PARAMS: &[&str] = &[
    "fbclid",
    "gclid",
    "dclid",
    "gbraid",
    "wbraid",
    "msclkid",
    "mc_eid",
    "mc_cid",
    "igshid",
    "yclid",
    "twclid",
    "ttclid",
    "li_fat_id",
    "_hsenc",
    "_hsmi",
    "mkt_tok",
    "oly_enc_id",
    "oly_anon_id",
    "vero_id",
    "rb_clickid",
    "s_cid",
    "_ga",
    "_gl",
    "srsltid",
    "epik",
    "ref_src",
    "wickedid",
    "trk",
    "at_medium",
    "at_campaign",
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

fn attr<'x>(attrs: &'x [Attr], name: &str) -> Option<&'x Attr> {
    attrs.iter().find(|a| a.name == name)
}

impl<'a> Checker<'a> {
    pub fn new(policy: &'a Policy, page: &'a Page) -> Self {
        Checker {
            policy,
            page,
            findings: Vec::new(),
            ids: Vec::new(),
            links: Vec::new(),
            resources: Vec::new(),
            outbound: Vec::new(),
        }
    }

    /// The policy and the file being read.
    pub fn context(&self) -> (&'a Policy, &'a Page) {
        (self.policy, self.page)
    }

    fn find(
        &mut self,
        severity: Severity,
        message: String,
        hint: &'static str,
        span: Range<usize>,
        needles: Vec<String>,
    ) {
        self.findings.push(Finding {
            severity,
            message,
            hint,
            span,
            needles,
        });
    }

    fn error(&mut self, message: String, hint: &'static str, at: &Attr) {
        let needles = vec![at.written().to_string(), at.value.clone()];
        self.find(Severity::Error, message, hint, at.span.clone(), needles);
    }

    /// Checks one element; `tag` is lower case, `span` its start tag and
    /// `tag_text` the start tag as written.
    pub fn element(
        &mut self,
        tag: &str,
        attrs: &[Attr],
        span: Range<usize>,
        tag_text: &str,
    ) -> Changes {
        let whole = Attr {
            name: String::new(),
            value: String::new(),
            raw: tag_text.to_string(),
            span: span.clone(),
        };
        for a in attrs {
            if a.name.len() > 2 && a.name.starts_with("on") {
                let message = format!(
                    "the `{}` attribute runs code in the reader's browser",
                    a.name
                );
                let needles = vec![format!("{}=", a.name), a.name.clone()];
                self.find(
                    Severity::Error,
                    message,
                    HANDLER_HINT,
                    a.span.clone(),
                    needles,
                );
            } else if a.name == "id" || (a.name == "name" && tag == "a") {
                self.ids.push(a.value.clone());
            } else if a.name == "style" {
                let offset = a.span.start;
                self.declarations(&a.value, offset, a.written());
            } else if is_url_attribute(tag, &a.name)
                && a.value.contains(':')
                && self.policy.judge(self.page, &a.value) == Target::Script
            {
                self.error(
                    format!(
                        "a `javascript:` URL in `<{tag} {}>` runs code in the reader's browser",
                        a.name
                    ),
                    HANDLER_HINT,
                    a,
                );
            }
        }
        let mut changes = Changes::default();
        match tag {
            "script" => self.script(attrs, &whole),
            "a" | "area" => {
                if let Some(href) = attr(attrs, "href") {
                    changes = self.outbound_link(tag, href, attr(attrs, "rel"));
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
                self.resource_attrs(tag, attrs, &["src", "href", "xlink:href"]);
                self.srcset(tag, attr(attrs, "srcset"));
            }
            "source" => {
                self.resource_attrs(tag, attrs, &["src"]);
                self.srcset(tag, attr(attrs, "srcset"));
            }
            "video" => self.resource_attrs(tag, attrs, &["src", "poster"]),
            "audio" | "track" | "input" => self.resource_attrs(tag, attrs, &["src"]),
            "iframe" | "frame" => {
                if let Some(src) = attr(attrs, "src") {
                    if let Some(host) = self.foreign(&src.value) {
                        self.error(
                            format!("`<{tag} src>` embeds a page from another host, `{host}`"),
                            FRAME_HINT,
                            src,
                        );
                    }
                }
            }
            "object" | "embed" | "applet" | "portal" => self.error(
                format!("`<{tag}>` embeds content that the site's Content-Security-Policy blocks"),
                "link to the file instead",
                &whole,
            ),
            "link" => {
                let loads = attr(attrs, "rel").is_some_and(|rel| {
                    rel.value
                        .split_ascii_whitespace()
                        .any(|r| !NON_LOADING_RELS.contains(&r.to_ascii_lowercase().as_str()))
                });
                if loads {
                    self.resource_attrs(tag, attrs, &["href"]);
                    self.srcset(tag, attr(attrs, "imagesrcset"));
                } else if let Some(href) = attr(attrs, "href") {
                    self.internal(href);
                }
            }
            "form" => self.form_target(tag, attr(attrs, "action")),
            "button" => self.form_target(tag, attr(attrs, "formaction")),
            "base" => {
                if let Some(href) = attr(attrs, "href") {
                    if let Some(host) = self.foreign(&href.value) {
                        self.error(
                            format!("`<base href>` points to another host, `{host}`: every relative link and image would load from there"),
                            "remove the `<base>` element",
                            href,
                        );
                    }
                }
            }
            "meta" => self.meta(attrs, &whole),
            "body" | "table" | "td" | "th" => self.resource_attrs(tag, attrs, &["background"]),
            "use" | "feimage" => self.resource_attrs(tag, attrs, &["href", "xlink:href"]),
            "html" => self.resource_attrs(tag, attrs, &["manifest"]),
            _ => {}
        }
        changes
    }

    /// Where `value` leads if that is another host (allowed ones excepted).
    fn foreign(&self, value: &str) -> Option<String> {
        match self.policy.judge(self.page, value) {
            Target::Foreign(host) => Some(host),
            Target::Other(scheme) if scheme != "not a valid URL" => Some(format!("{scheme}:")),
            _ => None,
        }
    }

    fn script(&mut self, attrs: &[Attr], whole: &Attr) {
        let src = attr(attrs, "src");
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
            (None, false) => "`<script>` runs code in the reader's browser".to_string(),
        };
        let at = src.unwrap_or(whole);
        let mut needles = vec![whole.raw.clone(), "<script".to_string()];
        if let Some(s) = src {
            needles.insert(1, s.value.clone());
        }
        self.find(
            Severity::Error,
            message,
            SCRIPT_HINT,
            at.span.clone(),
            needles,
        );
    }

    fn meta(&mut self, attrs: &[Attr], whole: &Attr) {
        let value = |name: &str| attr(attrs, name).map(|a| a.value.trim().to_ascii_lowercase());
        let content = attr(attrs, "content");
        match value("http-equiv").as_deref() {
            Some("refresh") => {
                if let Some(content) = content {
                    let target = refresh_url(&content.value);
                    if let Some(host) = target.and_then(|t| self.foreign(t)) {
                        self.error(
                            format!("`<meta http-equiv=refresh>` sends readers on to another host, `{host}`"),
                            "link to it instead",
                            content,
                        );
                    } else if let Some(t) = target.map(str::to_string) {
                        let at = Attr {
                            value: t,
                            ..content.clone()
                        };
                        self.internal(&at);
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

    fn form_target(&mut self, tag: &str, action: Option<&Attr>) {
        let Some(action) = action else { return };
        if let Some(host) = self.foreign(&action.value) {
            self.error(
                format!("`<{tag}>` sends what readers type to another host, `{host}`"),
                "the site's Content-Security-Policy allows forms to send to the site itself only",
                action,
            );
        }
    }

    fn resource_attrs(&mut self, tag: &str, attrs: &[Attr], names: &[&str]) {
        for name in names {
            if let Some(a) = attr(attrs, name) {
                let value = a.value.clone();
                self.resource(&format!("<{tag} {name}>"), a, &value);
            }
        }
    }

    fn srcset(&mut self, tag: &str, srcset: Option<&Attr>) {
        let Some(a) = srcset else { return };
        for url in srcset_urls(&a.value) {
            let at = Attr {
                raw: url.to_string(),
                ..a.clone()
            };
            self.resource(&format!("<{tag} {}>", a.name), &at, url);
        }
    }

    /// A URL the browser loads by itself.
    fn resource(&mut self, what: &str, at: &Attr, value: &str) {
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
                    span: at.span.clone(),
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
                self.find(
                    Severity::Error,
                    format!("`{what}` loads from another host, `{host}`, which then learns who reads the page"),
                    HOST_HINT,
                    at.span.clone(),
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
    fn internal(&mut self, at: &Attr) {
        if let Target::Site { file, fragment } = self.policy.judge(self.page, &at.value) {
            self.links.push(Link {
                file,
                fragment,
                raw: at.value.clone(),
                span: at.span.clone(),
            });
        }
    }

    /// `<a href>`: internal ones must resolve; outbound ones lose their
    /// tracking parameters and get `rel="noopener noreferrer"`.
    fn outbound_link(&mut self, tag: &str, href: &Attr, rel: Option<&Attr>) -> Changes {
        let host = match self.policy.judge(self.page, &href.value) {
            Target::Site { file, fragment } => {
                self.links.push(Link {
                    file,
                    fragment,
                    raw: href.value.clone(),
                    span: href.span.clone(),
                });
                return Changes::default();
            }
            Target::Foreign(host) | Target::Allowed(host) => host,
            _ => return Changes::default(),
        };
        let mut changes = Changes::default();
        let (cleaned, removed) = strip_tracking(href.value.trim());
        if !removed.is_empty() {
            let list = removed
                .iter()
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join(", ");
            self.find(
                Severity::Note,
                format!(
                    "removed the tracking parameter{} {list} from a link to `{host}`",
                    if removed.len() == 1 { "" } else { "s" }
                ),
                "",
                href.span.clone(),
                vec![href.written().to_string(), href.value.clone()],
            );
            changes.href = Some(cleaned.clone());
        }
        if let Some(redirector) = REDIRECTORS
            .iter()
            .find(|r| host == **r || host.ends_with(&format!(".{r}")))
        {
            self.find(
                Severity::Warning,
                format!("link through `{redirector}`, a redirect that counts clicks or pays commissions"),
                REDIRECT_HINT,
                href.span.clone(),
                vec![href.written().to_string(), href.value.clone()],
            );
        } else if is_amazon(&host) && has_param(&cleaned, "tag") {
            self.find(
                Severity::Warning,
                "link with an Amazon affiliate tag (`tag=`)".to_string(),
                REDIRECT_HINT,
                href.span.clone(),
                vec![href.written().to_string(), href.value.clone()],
            );
        }
        if tag == "a" || tag == "area" {
            let current = rel.map_or("", |r| r.value.as_str());
            let mut tokens: Vec<&str> = current.split_ascii_whitespace().collect();
            for needed in ["noopener", "noreferrer"] {
                if !tokens.iter().any(|t| t.eq_ignore_ascii_case(needed)) {
                    tokens.push(needed);
                }
            }
            let new = tokens.join(" ");
            if new != current {
                changes.rel = Some(new);
            }
        }
        if cleaned.starts_with("http://") || cleaned.starts_with("https://") {
            self.outbound.push((cleaned, href.span.clone()));
        }
        changes
    }

    /// The declarations of a `style` attribute.
    fn declarations(&mut self, text: &str, offset: usize, raw: &str) {
        self.stylesheet(text, offset, css::Kind::Declarations, raw);
    }

    /// Every URL in CSS; `offset` is where the text starts in the file.
    pub fn stylesheet(&mut self, text: &str, offset: usize, kind: css::Kind, raw: &str) {
        for reference in css::references(text, kind) {
            let token = text
                .get(reference.offset..reference.offset + reference.len)
                .unwrap_or_default()
                .to_string();
            // Character references in a style attribute shift positions:
            // point at the attribute then.
            let span = if raw.is_empty() || raw == text {
                offset + reference.offset..offset + reference.offset + reference.len
            } else {
                offset..offset + raw.len()
            };
            let what = match reference.usage {
                css::Use::Url => "CSS `url()`",
                css::Use::Import => "CSS `@import`",
                css::Use::FontFace => "`@font-face`",
            };
            let at = Attr {
                name: String::new(),
                value: reference.url.clone(),
                raw: token,
                span,
            };
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
                        &at,
                    );
                }
                _ => self.resource(what, &at, &reference.url),
            }
        }
    }
}

/// Attributes whose value is a URL (where `javascript:` would run).
fn is_url_attribute(tag: &str, name: &str) -> bool {
    matches!(
        name,
        "href"
            | "src"
            | "action"
            | "formaction"
            | "data"
            | "poster"
            | "background"
            | "xlink:href"
            | "cite"
            | "codebase"
            | "longdesc"
            | "manifest"
            | "lowsrc"
            | "dynsrc"
            | "icon"
            | "srcdoc"
    ) || (matches!(tag, "animate" | "set") && matches!(name, "to" | "from" | "values"))
}

/// The URL of a `<meta http-equiv=refresh content="5; url=…">`.
fn refresh_url(content: &str) -> Option<&str> {
    let after = content.split_once([';', ','])?.1.trim_start();
    let rest = match after.get(..3) {
        Some(u) if u.eq_ignore_ascii_case("url") => after[3..].trim_start(),
        _ => after,
    };
    let rest = rest.strip_prefix('=').map_or(rest, str::trim_start);
    let rest = rest.trim_matches(|c| c == '"' || c == '\'');
    (!rest.trim().is_empty()).then(|| rest.trim())
}

/// The URLs of a `srcset`: candidates are separated by commas, each a URL
/// and optional descriptors (`2x`, `800w`).
pub(crate) fn srcset_urls(srcset: &str) -> Vec<&str> {
    let mut urls = Vec::new();
    let mut rest = srcset;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == ',');
        if rest.is_empty() {
            return urls;
        }
        let end = rest
            .find(|c: char| c.is_ascii_whitespace())
            .unwrap_or(rest.len());
        let url = &rest[..end];
        let trimmed = url.trim_end_matches(',');
        urls.push(trimmed);
        rest = &rest[end..];
        if trimmed.len() == url.len() {
            // Descriptors run to the next comma outside parentheses.
            let mut depth = 0usize;
            let mut cut = rest.len();
            for (i, c) in rest.char_indices() {
                match c {
                    '(' => depth += 1,
                    ')' => depth = depth.saturating_sub(1),
                    ',' if depth == 0 => {
                        cut = i + 1;
                        break;
                    }
                    _ => {}
                }
            }
            rest = &rest[cut..];
        }
    }
}

fn is_tracking(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.starts_with("utm_") || TRACKING_PARAMS.contains(&lower.as_str())
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

/// The URL without tracking parameters, and the names of those removed.
/// The rest is kept exactly as written.
pub(crate) fn strip_tracking(url: &str) -> (String, Vec<String>) {
    let (before_fragment, fragment) = match url.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (url, None),
    };
    let Some((path, query)) = before_fragment.split_once('?') else {
        return (url.to_string(), Vec::new());
    };
    let mut removed = Vec::new();
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| {
            let name = pair.split('=').next().unwrap_or_default();
            if is_tracking(name) {
                removed.push(name.to_string());
                false
            } else {
                !pair.is_empty()
            }
        })
        .collect();
    if removed.is_empty() {
        return (url.to_string(), removed);
    }
    let mut cleaned = path.to_string();
    if !kept.is_empty() {
        cleaned.push('?');
        cleaned.push_str(&kept.join("&"));
    }
    if let Some(f) = fragment {
        cleaned.push('#');
        cleaned.push_str(f);
    }
    (cleaned, removed)
}

pub(crate) fn broken_link(link: &Link) -> Finding {
    let path = link.file.strip_suffix("index.html").unwrap_or(&link.file);
    let shown = match &link.fragment {
        Some(f) => format!("/{path}#{f}"),
        None => format!("/{path}"),
    };
    Finding {
        severity: Severity::Error,
        message: format!("link to `{shown}`, which this site does not have"),
        hint: LINK_HINT,
        span: link.span.clone(),
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
        severity: Severity::Error,
        message,
        hint: "link to a heading's id (shown in the table of contents) or add the id",
        span: link.span.clone(),
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
