//! The security headers echt promises: the Content-Security-Policy every
//! page carries in a `<meta>` element, and the same policy (plus what only
//! headers can say) for real web servers: a `_headers` file, which Netlify
//! and Cloudflare Pages read, and an nginx snippet to `include`.
//!
//! A site may bring its own `_headers`, `_redirects` and `_nginx.conf`
//! (in `static/`, its theme's `static/` or `content/`). They are merged
//! with echt's, never swapped for them: echt's security headers always win
//! (a site line that sets or detaches one is left out, with a warning),
//! nginx blocks with `add_header`s of their own get echt's too (nginx
//! forgets inherited ones there), and anything that sends readers or their
//! browsers to another host (a redirect, a proxy, a `Link` preload, a
//! reporting endpoint, a cookie) is an error unless the host is allowed in
//! `privacy.allow_redirects`.

mod nginx;

use std::borrow::Cow;
use std::collections::HashSet;
use std::ops::Range;
use std::path::Path;

use crate::source::config::Config;
use crate::util::error::{Diagnostic, Severity};

/// The files written next to the site, by path below the output folder.
pub const HEADERS_FILE: &str = "_headers";
pub const NGINX_FILE: &str = "_nginx.conf";
/// Netlify's (and Cloudflare Pages') redirect rules; echt writes one only
/// when the site brings it.
pub const REDIRECTS_FILE: &str = "_redirects";
/// Every file a host reads that a site may bring its own of.
pub const HOST_FILES: [&str; 3] = [HEADERS_FILE, REDIRECTS_FILE, NGINX_FILE];

/// Features a blog never needs; denying them keeps embedded content (if
/// any host is allowed) from asking for them.
const PERMISSIONS_POLICY: &str = "accelerometer=(), autoplay=(), camera=(), display-capture=(), encrypted-media=(), fullscreen=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), picture-in-picture=(), publickey-credentials-get=(), screen-wake-lock=(), sync-xhr=(), usb=(), xr-spatial-tracking=(), interest-cohort=(), browsing-topics=()";

/// The Content-Security-Policy of a site: its own files only, plus the
/// allowed hosts; scripts only when the site allows its own. `header`
/// adds what a `<meta>` element cannot carry (`frame-ancestors`).
pub fn content_security_policy(allow_hosts: &[String], own_scripts: bool, header: bool) -> String {
    let hosts: String = allow_hosts.iter().map(|h| format!(" {h}")).collect();
    let scripts = if own_scripts { "'self'" } else { "'none'" };
    let mut policy = format!(
        "default-src 'self'{hosts}; img-src 'self' data:{hosts}; font-src 'self' data:{hosts}; style-src 'self' 'unsafe-inline'{hosts}; script-src {scripts}; object-src 'none'; base-uri 'self'; form-action 'self'"
    );
    if header {
        policy.push_str("; frame-ancestors 'self'");
    }
    policy
}

/// The search page's policy (`search: true`): echt's script from the
/// site itself may run and fetch the index from the site itself, and may
/// not hand text to the DOM as HTML (Trusted Types, where browsers know
/// them). Every other page keeps [`content_security_policy`].
pub fn search_policy(allow_hosts: &[String], header: bool) -> String {
    content_security_policy(allow_hosts, false, header).replacen(
        "script-src 'none'",
        "script-src 'self'; connect-src 'self'; require-trusted-types-for 'script'; trusted-types 'none'",
        1,
    )
}

/// The preview's variant: the live-reload script is the site's own.
pub fn preview_policy(policy: &str) -> String {
    policy.replacen("script-src 'none'", "script-src 'self'", 1)
}

/// A page as the preview serves it: its Content-Security-Policy `<meta>`
/// (the one echt put first in the head) lets the live-reload script run.
pub fn preview_page(html: &str) -> Cow<'_, str> {
    const START: &str = "<meta http-equiv=\"Content-Security-Policy\" content=\"";
    let Some(start) = html.find(START).map(|i| i + START.len()) else {
        return Cow::Borrowed(html);
    };
    let Some(end) = html[start..].find('"').map(|i| start + i) else {
        return Cow::Borrowed(html);
    };
    let policy = preview_policy(&html[start..end]);
    Cow::Owned(format!("{}{policy}{}", &html[..start], &html[end..]))
}

/// Every header echt sends, as (name, value).
pub fn headers(config: &Config) -> Vec<(&'static str, String)> {
    let privacy = &config.privacy;
    vec![
        (
            "Content-Security-Policy",
            content_security_policy(&privacy.allow_hosts, privacy.own_scripts, true),
        ),
        ("Referrer-Policy", "no-referrer".into()),
        ("Permissions-Policy", PERMISSIONS_POLICY.into()),
        ("X-Content-Type-Options", "nosniff".into()),
        ("Cross-Origin-Opener-Policy", "same-origin".into()),
    ]
}

/// Where a site with `search: true` has its search page, for the host
/// files: the one page whose policy lets a script run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchPaths {
    /// The page's path below the site root: `suche/`.
    pub page: String,
    /// Every other entry of the output's top folder: `posts/` for a
    /// folder, `index.html` for a file.
    pub others: Vec<String>,
}

/// The `_headers` file: every path gets the headers. With a search page,
/// the Content-Security-Policy is given per path instead: Netlify and
/// Cloudflare Pages send the headers of every rule that matches a path
/// (Cloudflare joins two policies into one header, and browsers then
/// enforce both), so no rule whose policy forbids scripts may match the
/// search page. Its rules name the page exactly; every other entry of the
/// site's top folder gets the strict one. A path no file answers (a 404)
/// then has no policy header, but the 404 page carries its own `<meta>`.
pub fn headers_file(config: &Config, search: Option<&SearchPaths>) -> String {
    let mut out = String::from("# Written by echt: the same policy every page carries, for Netlify and Cloudflare Pages.\n/*\n");
    for (name, value) in headers(config) {
        if search.is_none() || name != "Content-Security-Policy" {
            out.push_str(&format!("  {name}: {value}\n"));
        }
    }
    let Some(search) = search else {
        return out;
    };
    let privacy = &config.privacy;
    let strict = content_security_policy(&privacy.allow_hosts, privacy.own_scripts, true);
    let relaxed = search_policy(&privacy.allow_hosts, true);
    let base = config.base_path();
    out.push_str("# The search page alone lets echt's search script run: no rule for another path matches it.\n");
    for path in [search.page.clone(), format!("{}index.html", search.page)] {
        out.push_str(&format!(
            "{base}{path}\n  Content-Security-Policy: {relaxed}\n"
        ));
    }
    out.push_str(&format!("{base}\n  Content-Security-Policy: {strict}\n"));
    for other in &search.others {
        let pattern = if other.ends_with('/') {
            format!("{other}*")
        } else {
            other.clone()
        };
        out.push_str(&format!(
            "{base}{pattern}\n  Content-Security-Policy: {strict}\n"
        ));
    }
    out
}

/// An nginx snippet for the `server` (or `location`) block serving the
/// site: `include /path/to/public/_nginx.conf;`. nginx drops inherited
/// `add_header`s in a block that has its own, so include it in each.
pub fn nginx_file(config: &Config, search: Option<&SearchPaths>) -> String {
    let mut out = String::from(
        "# Written by echt: include this in the server block that serves the site.\n# nginx forgets these in any block with add_header of its own: include it there too.\n",
    );
    for (name, value) in headers(config) {
        out.push_str(&format!("add_header {name} {} always;\n", quote(&value)));
    }
    out.push_str("location ~ /_(headers|redirects|nginx\\.conf)$ { return 404; }\n");
    if let Some(search) = search {
        // The page's own location sends only its own add_headers: all of
        // echt's, with the policy that lets the search script run.
        out.push_str("# The search page alone lets echt's search script run.\n");
        let base = config.base_path();
        let relaxed = search_policy(&config.privacy.allow_hosts, true);
        for path in [search.page.clone(), format!("{}index.html", search.page)] {
            out.push_str(&format!("location = {base}{path} {{\n"));
            for (name, value) in headers(config) {
                let value = if name == "Content-Security-Policy" {
                    relaxed.clone()
                } else {
                    value
                };
                out.push_str(&format!(
                    "    add_header {name} {} always;\n",
                    quote(&value)
                ));
            }
            out.push_str("}\n");
        }
    }
    out
}

/// A site's own version of a host file.
#[derive(Debug, Clone, Copy)]
pub struct Own<'a> {
    /// How the file is named in messages: `static/_headers`.
    pub shown: &'a Path,
    pub text: &'a str,
}

/// A host file as echt writes it, and what merging it found.
#[derive(Debug, Clone, Default)]
pub struct HostFile {
    pub text: String,
    /// Errors (another host) and warnings (a line left out), located in
    /// the site's own file.
    pub problems: Vec<Diagnostic>,
}

/// The host file `file` (one of [`HOST_FILES`]) of a site, merged with the
/// site's `own` version; None when there is nothing to write (no
/// `_redirects` of the site's own).
pub fn host_file(
    config: &Config,
    file: &str,
    own: Option<Own<'_>>,
    search: Option<&SearchPaths>,
) -> Option<HostFile> {
    let reach = Reach::new(config);
    match (file, own) {
        (HEADERS_FILE, own) => Some(merge_headers(config, &reach, own, search)),
        (NGINX_FILE, own) => Some(merge_nginx(config, &reach, own, search)),
        (REDIRECTS_FILE, Some(own)) => Some(audit_redirects(&reach, own)),
        _ => None,
    }
}

const REDIRECT_HINT: &str = "allow the host with `privacy: {allow_redirects: [...]}` in echt.yaml (the privacy page lists it), or leave the rule out";

/// Where URLs in host files lead: the site's own host, an allowed one, or
/// another.
struct Reach<'a> {
    config: &'a Config,
    site: Option<url::Url>,
    /// echt's header names, lower case.
    echt: Vec<String>,
}

impl<'a> Reach<'a> {
    fn new(config: &'a Config) -> Self {
        Reach {
            config,
            site: url::Url::parse(&config.base_url).ok(),
            echt: headers(config)
                .iter()
                .map(|(name, _)| name.to_ascii_lowercase())
                .collect(),
        }
    }

    fn is_echt(&self, name: &str) -> bool {
        self.echt
            .iter()
            .any(|n| n.eq_ignore_ascii_case(name.trim()))
    }

    /// echt's value of the header `name`.
    fn echt_value(&self, name: &str) -> String {
        headers(self.config)
            .into_iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name.trim()))
            .map(|(n, v)| format!("{n}: {v}"))
            .unwrap_or_default()
    }

    /// The other host `target` leads to, unless it is the site's own or
    /// allowed; a relative target is the site's own.
    fn foreign(&self, target: &str) -> Option<String> {
        let target = target.trim();
        let parsed = match &self.site {
            Some(site) => site.join(target),
            None => url::Url::parse(target),
        };
        let Ok(url) = parsed else {
            // Not a URL a browser could follow, unless it names a host.
            return target.contains("//").then(|| target.to_string());
        };
        let host = url.host_str()?.to_ascii_lowercase();
        let own = self
            .site
            .as_ref()
            .and_then(url::Url::host_str)
            .is_some_and(|h| h.eq_ignore_ascii_case(&host));
        (!own && !self.config.privacy.allows_redirect(&host)).then_some(host)
    }
}

/// One problem in a line or word of a host file: bytes of the value.
struct Finding {
    range: Range<usize>,
    message: String,
    hint: &'static str,
}

/// Link relations that make a browser fetch or connect to the target.
const FETCHING_RELS: [&str; 11] = [
    "preload",
    "modulepreload",
    "prefetch",
    "preconnect",
    "dns-prefetch",
    "prerender",
    "stylesheet",
    "icon",
    "apple-touch-icon",
    "manifest",
    "compression-dictionary",
];

/// Every `http://` or `https://` URL written in `value`, with its bytes.
fn urls_in(value: &str) -> Vec<(Range<usize>, &str)> {
    let lower = value.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = lower[from..].find("http").map(|i| from + i) {
        let rest = &lower[i..];
        if rest.starts_with("http://") || rest.starts_with("https://") {
            let end = value[i..]
                .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ',' | '>' | ';'))
                .map_or(value.len(), |e| i + e);
            out.push((i..end, &value[i..end]));
            from = end;
        } else {
            from = i + 4;
        }
    }
    out
}

/// Reporting groups that only ever report to the site's own or allowed
/// hosts, as defined by the `Report-To` and `Reporting-Endpoints` headers
/// of one file.
fn report_groups<'h>(
    reach: &Reach<'_>,
    headers: impl Iterator<Item = (&'h str, &'h str)>,
) -> HashSet<String> {
    let mut groups = HashSet::new();
    let clean = |value: &str| {
        urls_in(value)
            .iter()
            .all(|(_, url)| reach.foreign(url).is_none())
    };
    for (name, value) in headers {
        if name.eq_ignore_ascii_case("report-to") {
            let Ok(serde_json::Value::Array(objects)) =
                serde_json::from_str::<serde_json::Value>(&format!("[{value}]"))
            else {
                continue;
            };
            for object in objects {
                let group = object
                    .get("group")
                    .and_then(serde_json::Value::as_str)
                    .unwrap_or("default");
                if clean(&object.to_string()) {
                    groups.insert(group.to_string());
                }
            }
        } else if name.eq_ignore_ascii_case("reporting-endpoints") {
            for member in value.split(',') {
                if let Some((group, url)) = member.split_once('=') {
                    if clean(url) {
                        groups.insert(group.trim().to_string());
                    }
                }
            }
        }
    }
    groups
}

/// What is wrong with the header `name: value` (not one of echt's), given
/// the reporting `groups` its file defines.
fn check_header(
    reach: &Reach<'_>,
    name: &str,
    value: &str,
    groups: &HashSet<String>,
) -> Vec<Finding> {
    let lower = name.trim().to_ascii_lowercase();
    let mut out = Vec::new();
    // URLs to judge, with what following them would do.
    let mut targets: Vec<(Range<usize>, String)> = Vec::new();
    let mut foreign_at = |range: Range<usize>, what: String| targets.push((range, what));
    match lower.as_str() {
        "set-cookie" => {
            return vec![Finding {
                range: 0..value.len(),
                message:
                    "`Set-Cookie` sets a cookie, which recognises readers; echt sites set none"
                        .into(),
                hint: "remove the line",
            }]
        }
        "location" => {
            let start = value.len() - value.trim_start().len();
            foreign_at(
                start..value.trim_end().len(),
                "`Location` sends readers' browsers to".into(),
            );
        }
        "refresh" => {
            // Read as browsers read it: `0; url=x`, `0 x` and `0, 'x'`.
            if let Some(target) = super::rules::refresh_url(value) {
                let start = value.rfind(target).unwrap_or(0);
                foreign_at(
                    start..start + target.len(),
                    "`Refresh` sends readers' browsers to".into(),
                );
            }
        }
        "speculation-rules" => {
            return vec![Finding {
                range: 0..value.len(),
                message: "`Speculation-Rules` makes browsers fetch rules that prefetch and prerender pages, which echt cannot check".into(),
                hint: "remove the line",
            }]
        }
        "link" => {
            // `<url>; rel=preload; as=font, <url2>; rel=canonical`
            let mut at = 0;
            while let Some(open) = value[at..].find('<').map(|i| at + i) {
                let Some(close) = value[open..].find('>').map(|i| open + i) else {
                    break;
                };
                let params_end = value[close..].find('<').map_or(value.len(), |i| close + i);
                let params = value[close + 1..params_end].to_ascii_lowercase();
                let rels: Vec<&str> = params
                    .split(';')
                    .filter_map(|p| p.trim().strip_prefix("rel"))
                    .filter_map(|p| p.trim_start().strip_prefix('='))
                    .flat_map(|r| {
                        r.trim()
                            .trim_end_matches(',')
                            .trim_matches('"')
                            .split_whitespace()
                    })
                    .collect();
                if let Some(rel) = rels.iter().find(|r| FETCHING_RELS.contains(r)) {
                    foreign_at(
                        open + 1..close,
                        format!("`Link: rel={rel}` makes readers' browsers contact"),
                    );
                }
                at = params_end;
            }
        }
        "content-security-policy" | "content-security-policy-report-only" => {
            let mut at = 0;
            for directive in value.split(';') {
                let trimmed = directive.trim_start();
                let start = at + directive.len() - trimmed.len();
                let mut words = trimmed.split_ascii_whitespace();
                let kind = words.next().unwrap_or_default().to_ascii_lowercase();
                if kind == "report-uri" {
                    let mut offset = start + kind.len();
                    for word in words {
                        let i = offset + value[offset..].find(word).unwrap_or(0);
                        foreign_at(
                            i..i + word.len(),
                            "`report-uri` has readers' browsers send reports to".into(),
                        );
                        offset = i + word.len();
                    }
                } else if kind == "report-to" {
                    for group in words {
                        if !groups.contains(group) {
                            let i = value[start..].find(group).map_or(start, |i| start + i);
                            out.push(Finding {
                                range: i..i + group.len(),
                                message: format!("`report-to` has readers' browsers send reports to the group `{group}`, which no `Report-To` or `Reporting-Endpoints` of this file sends to the site's own or an allowed host"),
                                hint: "define the group in this file with an endpoint on the site's own host, or leave `report-to` out",
                            });
                        }
                    }
                }
                at += directive.len() + 1;
            }
        }
        "report-to" | "reporting-endpoints" => {
            for (range, _) in urls_in(value) {
                foreign_at(
                    range,
                    format!("`{}` has readers' browsers send reports to", name.trim()),
                );
            }
        }
        "nel" => {
            let group = serde_json::from_str::<serde_json::Value>(value)
                .ok()
                .and_then(|v| {
                    v.get("report_to")
                        .and_then(|g| g.as_str().map(str::to_string))
                });
            if let Some(group) = group.filter(|g| !groups.contains(g)) {
                out.push(Finding {
                    range: 0..value.len(),
                    message: format!("`NEL` has readers' browsers report network errors to the group `{group}`, which no `Report-To` of this file sends to the site's own or an allowed host"),
                    hint: "leave `NEL` out, or define its group in this file with an endpoint on the site's own host",
                });
            }
        }
        _ => {}
    }
    for (range, what) in targets {
        if let Some(host) = reach.foreign(&value[range.clone()]) {
            out.push(Finding {
                range,
                message: format!("{what} another host, `{host}`"),
                hint: REDIRECT_HINT,
            });
        }
    }
    out
}

fn diagnostic(own: Own<'_>, offset: usize, len: usize, message: impl Into<String>) -> Diagnostic {
    Diagnostic::at_offset(own.shown, own.text, offset, len, message)
}

/// One line of a `_headers` file.
enum HeaderLine<'t> {
    /// A comment, a blank line or a path.
    Other,
    /// `  Name: value`, with the byte offsets of name and value.
    Set {
        name: (usize, &'t str),
        value: (usize, &'t str),
    },
    /// `  ! Name` (Cloudflare Pages): removes a header.
    Detach { name: (usize, &'t str) },
}

/// Splits a `_headers` file into lines, each with its offset and meaning;
/// malformed lines are reported.
fn header_lines<'t>(
    own: Own<'t>,
    problems: &mut Vec<Diagnostic>,
) -> Vec<(usize, &'t str, HeaderLine<'t>)> {
    let mut out = Vec::new();
    let mut offset = 0;
    let mut in_rule = false;
    for raw in own.text.split_inclusive('\n') {
        let start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let at = start + indent;
        let meaning = if trimmed.is_empty() || trimmed.starts_with('#') {
            HeaderLine::Other
        } else if indent == 0 {
            if !(trimmed.starts_with('/') || trimmed.contains("://")) {
                problems.push(
                    diagnostic(own, at, trimmed.len(), "neither a path nor an indented header")
                        .hint("a rule is a path such as `/*` on a line of its own, then indented `Name: value` lines"),
                );
            }
            in_rule = true;
            HeaderLine::Other
        } else if !in_rule {
            problems.push(
                diagnostic(own, at, trimmed.len(), "a header before any path")
                    .hint("start the rule with the path it applies to, such as `/*`, on a line of its own"),
            );
            HeaderLine::Other
        } else if let Some(rest) = trimmed.strip_prefix('!') {
            let name = rest.trim();
            HeaderLine::Detach {
                name: (at + 1 + (rest.len() - rest.trim_start().len()), name),
            }
        } else if let Some((name, value)) = trimmed.split_once(':').filter(|(n, _)| {
            !n.is_empty()
                && n.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        }) {
            let value_trimmed = value.trim();
            let value_at = at + name.len() + 1 + (value.len() - value.trim_start().len());
            HeaderLine::Set {
                name: (at, name),
                value: (value_at, value_trimmed),
            }
        } else {
            problems.push(
                diagnostic(own, at, trimmed.len(), "not a `Name: value` header")
                    .hint("write headers as `  Name: value`, indented below their path"),
            );
            HeaderLine::Other
        };
        out.push((start, line, meaning));
    }
    out
}

/// echt's `_headers`, then the site's rules without the lines that would
/// change echt's headers.
fn merge_headers(
    config: &Config,
    reach: &Reach<'_>,
    own: Option<Own<'_>>,
    search: Option<&SearchPaths>,
) -> HostFile {
    let mut text = headers_file(config, search);
    let Some(own) = own else {
        return HostFile {
            text,
            problems: Vec::new(),
        };
    };
    let mut problems = Vec::new();
    let lines = header_lines(own, &mut problems);
    let groups = report_groups(
        reach,
        lines.iter().filter_map(|(_, _, l)| match l {
            HeaderLine::Set { name, value } => Some((name.1, value.1)),
            _ => None,
        }),
    );
    text.push_str(&format!(
        "\n# The site's own rules, from {}. echt's headers above win: lines that would set or detach one of them are left out.\n",
        own.shown.display()
    ));
    for (_, line, meaning) in &lines {
        let dropped = match meaning {
            HeaderLine::Set { name, value } => {
                if reach.is_echt(name.1) {
                    Some((name, "sets"))
                } else {
                    for f in check_header(reach, name.1, value.1, &groups) {
                        problems.push(
                            diagnostic(own, value.0 + f.range.start, f.range.len(), f.message)
                                .hint(f.hint),
                        );
                    }
                    None
                }
            }
            HeaderLine::Detach { name } => reach.is_echt(name.1).then_some((name, "detaches")),
            HeaderLine::Other => None,
        };
        match dropped {
            Some(((at, name), verb)) => {
                problems.push(
                    diagnostic(own, *at, name.len(), format!("this line {verb} `{name}`, one of echt's security headers; it is left out and echt's value is sent"))
                        .severity(Severity::Warning)
                        .hint(format!("echt sends `{}` on every path; remove the line", reach.echt_value(name))),
                );
                text.push_str(&format!(
                    "# left out by echt, which sends its own: {}\n",
                    line.trim()
                ));
            }
            None => {
                text.push_str(line);
                text.push('\n');
            }
        }
    }
    HostFile { text, problems }
}

/// The site's `_redirects` as it is, once every rule that leads to another
/// host has been found allowed.
fn audit_redirects(reach: &Reach<'_>, own: Own<'_>) -> HostFile {
    let mut problems = Vec::new();
    let mut offset = 0;
    for raw in own.text.split_inclusive('\n') {
        let start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        // `from [query=:param …] to [status][!] [conditions…]`
        let words = words_at(line);
        let target = words
            .iter()
            .skip(1)
            .position(|(_, w)| w.starts_with('/') || w.contains("://") || !w.contains('='))
            .map(|i| i + 1);
        let Some(target) = target else {
            problems.push(
                diagnostic(
                    own,
                    start + words[0].0,
                    words[0].1.len(),
                    "a redirect rule without a target",
                )
                .hint("write `from to [status]`, e.g. `/alt/ /neu/ 301`"),
            );
            continue;
        };
        let (at, to) = words[target];
        if let Some(host) = reach.foreign(to) {
            let proxy = words
                .get(target + 1)
                .is_some_and(|(_, status)| status.trim_end_matches('!') == "200");
            let message = if proxy {
                format!("this rule fetches pages from another host, `{host}`, on readers' behalf (a proxy), which then learns who reads the site")
            } else {
                format!("this rule sends readers to another host, `{host}`")
            };
            problems.push(diagnostic(own, start + at, to.len(), message).hint(REDIRECT_HINT));
        }
    }
    HostFile {
        text: own.text.to_string(),
        problems,
    }
}

/// The words of a line split at whitespace, each with its byte offset.
fn words_at(line: &str) -> Vec<(usize, &str)> {
    let mut words = Vec::new();
    let mut start = None;
    for (i, c) in line.char_indices().chain([(line.len(), ' ')]) {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                words.push((s, &line[s..i]));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    words
}

/// Where an nginx URL leads; `Err` with the variable when nginx decides
/// the host at run time.
fn nginx_target(reach: &Reach<'_>, raw: &str) -> Result<Option<String>, String> {
    let url = raw
        .strip_prefix("$scheme")
        .map_or_else(|| raw.to_string(), |rest| format!("https{rest}"));
    if let Some((_, rest)) = url.split_once("://") {
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let name = host.split(':').next().unwrap_or_default();
        // The request's own host: the site's.
        if matches!(name, "$host" | "$http_host" | "$server_name") {
            return Ok(None);
        }
        if host.contains('$') {
            return Err(host.to_string());
        }
    }
    Ok(reach.foreign(&url))
}

/// echt's nginx snippet, then the site's, with echt's headers repeated in
/// every block of the site's that has `add_header`s of its own.
fn merge_nginx(
    config: &Config,
    reach: &Reach<'_>,
    own: Option<Own<'_>>,
    search: Option<&SearchPaths>,
) -> HostFile {
    let mut text = nginx_file(config, search);
    let Some(own) = own else {
        return HostFile {
            text,
            problems: Vec::new(),
        };
    };
    let directives = match nginx::parse(own.text) {
        Ok(d) => d,
        Err(e) => {
            let problem = diagnostic(
                own,
                e.offset,
                1,
                format!("the nginx snippet cannot be read: {}", e.message),
            )
            .hint("nginx would refuse it too: directives end with `;`, blocks are `name { … }`");
            return HostFile {
                text,
                problems: vec![problem],
            };
        }
    };
    let mut headers_set = Vec::new();
    collect_add_headers(&directives, &mut headers_set);
    let groups = report_groups(
        reach,
        headers_set.iter().map(|(n, v)| (n.as_str(), v.as_str())),
    );
    let mut merge = NginxMerge {
        reach,
        own,
        groups,
        echt: headers(config),
        edits: Vec::new(),
        problems: Vec::new(),
    };
    merge.walk(&directives);
    let NginxMerge {
        mut edits,
        problems,
        ..
    } = merge;
    edits.sort_by_key(|(range, _)| (range.start, range.end));
    text.push_str(&format!(
        "\n# The site's own directives, from {}. echt's headers above win, and are repeated in each block with add_header of its own.\n",
        own.shown.display()
    ));
    let mut at = 0;
    for (range, replacement) in edits {
        text.push_str(&own.text[at..range.start]);
        text.push_str(&replacement);
        at = range.end;
    }
    text.push_str(&own.text[at..]);
    if !text.ends_with('\n') {
        text.push('\n');
    }
    HostFile { text, problems }
}

fn collect_add_headers(directives: &[nginx::Directive], out: &mut Vec<(String, String)>) {
    for d in directives {
        if d.name.text == "add_header" && d.args.len() >= 2 {
            out.push((d.args[0].text.clone(), d.args[1].text.clone()));
        }
        if let Some(block) = &d.block {
            collect_add_headers(&block.directives, out);
        }
    }
}

struct NginxMerge<'r, 'c, 'o> {
    reach: &'r Reach<'c>,
    own: Own<'o>,
    groups: HashSet<String>,
    echt: Vec<(&'static str, String)>,
    /// Replacements of bytes of the site's snippet.
    edits: Vec<(Range<usize>, String)>,
    problems: Vec<Diagnostic>,
}

impl NginxMerge<'_, '_, '_> {
    /// Checks every directive; a block with `add_header`s of its own gets
    /// echt's too (the snippet's top level shares the server block's).
    fn walk(&mut self, directives: &[nginx::Directive]) {
        for d in directives {
            self.directive(d);
            if let Some(block) = &d.block {
                if block.directives.iter().any(|d| d.name.text == "add_header") {
                    self.repeat_echt_headers(block.open);
                }
                self.walk(&block.directives);
            }
        }
    }

    /// echt's `add_header`s right after the `{` at `open`.
    fn repeat_echt_headers(&mut self, open: usize) {
        let line_start = self.own.text[..open].rfind('\n').map_or(0, |i| i + 1);
        let indent: String = self.own.text[line_start..]
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .collect();
        let mut lines = format!("\n{indent}    # echt's headers: nginx forgets the ones above in a block with add_header of its own");
        for (name, value) in &self.echt {
            lines.push_str(&format!(
                "\n{indent}    add_header {name} {} always;",
                quote(value)
            ));
        }
        self.edits.push((open + 1..open + 1, lines));
    }

    fn problem(&mut self, word: &nginx::Word, needle: &str, message: String, hint: &str) {
        let raw = &self.own.text[word.span.clone()];
        let (at, len) = match raw.find(needle).filter(|_| !needle.is_empty()) {
            Some(i) => (word.span.start + i, needle.len()),
            None => (word.span.start, word.span.len()),
        };
        self.problems
            .push(diagnostic(self.own, at, len, message).hint(hint));
    }

    /// Reports a URL of `directive` that leads to another host.
    fn target(&mut self, directive: &str, word: &nginx::Word, verb: &str) {
        match nginx_target(self.reach, &word.text) {
            Ok(None) => {}
            Ok(Some(host)) => self.problem(
                word,
                &word.text.clone(),
                format!("`{directive}` {verb} another host, `{host}`"),
                REDIRECT_HINT,
            ),
            Err(variable) => self.problem(
                word,
                &variable,
                format!("`{directive}` {verb} a host nginx picks at run time, `{variable}`"),
                "write the host out (echt checks it), or use `$host` for the site's own",
            ),
        }
    }

    fn directive(&mut self, d: &nginx::Directive) {
        let args = &d.args;
        match d.name.text.as_str() {
            "add_header" if !args.is_empty() => {
                let name = &args[0];
                if self.reach.is_echt(&name.text) {
                    self.problems.push(
                        diagnostic(self.own, name.span.start, name.span.len(), format!("this line sets `{}`, one of echt's security headers; it is left out and echt's value is sent", name.text))
                            .severity(Severity::Warning)
                            .hint(format!("echt sends `{}` in every block; remove the line", self.reach.echt_value(&name.text))),
                    );
                    self.edits.push((
                        d.span.clone(),
                        format!("# left out by echt, which sends its own {}\n", name.text),
                    ));
                } else if let Some(value) = args.get(1) {
                    for f in check_header(self.reach, &name.text, &value.text, &self.groups) {
                        let needle = value.text[f.range.clone()].to_string();
                        self.problem(value, &needle, f.message, f.hint);
                    }
                }
            }
            "return" => {
                let target = match args.as_slice() {
                    [url] if url.text.parse::<u16>().is_err() => Some(url),
                    [code, url]
                        if matches!(code.text.as_str(), "301" | "302" | "303" | "307" | "308") =>
                    {
                        Some(url)
                    }
                    _ => None,
                };
                if let Some(url) = target {
                    self.target("return", url, "sends readers to");
                }
            }
            "rewrite" => {
                if let Some(to) = args.get(1) {
                    let t = to.text.to_ascii_lowercase();
                    if t.starts_with("http://")
                        || t.starts_with("https://")
                        || t.starts_with("$scheme")
                    {
                        self.target("rewrite", to, "sends readers to");
                    }
                }
            }
            "error_page" => {
                if let Some(to) = args
                    .last()
                    .filter(|w| w.text.contains("://") || w.text.starts_with("$scheme"))
                {
                    self.target("error_page", to, "sends readers to");
                }
            }
            "proxy_pass" | "grpc_pass" => {
                if let Some(to) = args.first().filter(|w| !w.text.starts_with("unix:")) {
                    let name = d.name.text.clone();
                    self.target(&name, to, "hands readers' requests to");
                }
            }
            "fastcgi_pass" | "uwsgi_pass" | "scgi_pass" | "memcached_pass" => {
                if let Some(to) = args.first().filter(|w| !w.text.starts_with("unix:")) {
                    let as_url = nginx::Word {
                        text: format!("http://{}", to.text),
                        span: to.span.clone(),
                    };
                    let name = d.name.text.clone();
                    self.target(&name, &as_url, "hands readers' requests to");
                }
            }
            "userid"
                if args
                    .first()
                    .is_some_and(|a| a.text == "on" || a.text == "v1") =>
            {
                let word = d.name.clone();
                self.problem(
                    &word,
                    "userid",
                    "`userid` sets a cookie that recognises readers; echt sites set none".into(),
                    "remove the line",
                );
            }
            _ => {}
        }
    }
}

/// A value as an nginx quoted string.
fn quote(value: &str) -> String {
    format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(extra: &str) -> Config {
        Config::parse(
            Path::new("/site"),
            &format!("title: T\nbase_url: https://lena.example.org/blog/\n{extra}"),
        )
        .expect("a valid config")
    }

    #[test]
    fn the_search_page_alone_gets_the_relaxed_policy_below_the_base_path() {
        let c = config("search: true\n");
        let search = SearchPaths {
            page: "suche/".into(),
            others: vec!["index.html".into(), "posts/".into()],
        };
        let headers = headers_file(&c, Some(&search));
        let strict = content_security_policy(&[], false, true);
        let relaxed = search_policy(&[], true);
        assert!(relaxed.contains("script-src 'self'; connect-src 'self'"));
        assert!(!relaxed.contains("'none'; connect"));
        for (rule, policy) in [
            ("/blog/suche/", &relaxed),
            ("/blog/suche/index.html", &relaxed),
            ("/blog/", &strict),
            ("/blog/index.html", &strict),
            ("/blog/posts/*", &strict),
        ] {
            let wanted = format!("\n{rule}\n  Content-Security-Policy: {policy}\n");
            assert!(headers.contains(&wanted), "{wanted}\n{headers}");
        }
        // The rule for every path has no policy: hosts would merge it in.
        let every = headers.split("\n/blog/").next().unwrap_or_default();
        assert!(!every.contains("Content-Security-Policy"), "{every}");
        assert_eq!(headers.matches("Content-Security-Policy").count(), 5);
        let nginx = nginx_file(&c, Some(&search));
        assert!(
            nginx.contains("location = /blog/suche/ {\n    add_header Content-Security-Policy \""),
            "{nginx}"
        );
        assert_eq!(
            nginx.matches("add_header Referrer-Policy").count(),
            3,
            "{nginx}"
        );
        // Without a search page, nothing changes.
        assert!(headers_file(&c, None).contains("/*\n  Content-Security-Policy: "));
        assert!(!nginx_file(&c, None).contains("location ="));
    }

    fn messages(file: &str, text: &str, extra: &str) -> Vec<String> {
        let own = Own {
            shown: Path::new("static/x"),
            text,
        };
        host_file(&config(extra), file, Some(own), None)
            .map(|f| f.problems.iter().map(|d| d.message.clone()).collect())
            .unwrap_or_default()
    }

    #[test]
    fn only_other_hosts_count() {
        let c = config("privacy:\n  allow_redirects: ['*.example.net']\n");
        let reach = Reach::new(&c);
        for own in [
            "/neu/",
            "neu/",
            "https://lena.example.org/x",
            "HTTPS://LENA.example.org",
            "https://media.example.net/",
        ] {
            assert_eq!(reach.foreign(own), None, "{own}");
        }
        assert_eq!(
            reach.foreign("//evil.example/x"),
            Some("evil.example".into())
        );
        assert_eq!(
            reach.foreign("https://lena.example.org.evil.example/"),
            Some("lena.example.org.evil.example".into())
        );
        assert_eq!(
            reach.foreign("https://example.net/"),
            Some("example.net".into())
        );
    }

    #[test]
    fn headers_that_contact_hosts() {
        let found = messages(
            HEADERS_FILE,
            "/*\n  Link: </a.css>; rel=stylesheet, <https://x.example/f.woff2>; rel=\"preload\"; as=font\n  Link: <https://y.example/>; rel=\"canonical alternate\"\n  Reporting-Endpoints: default=\"https://r.example/\", own=\"/reports\"\n  Content-Security-Policy-Report-Only: default-src 'self'; report-to own\n  NEL: {\"report_to\": \"default\", \"max_age\": 5}\n",
            "",
        );
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(found[0].contains("rel=preload") && found[0].contains("`x.example`"));
        assert!(found[1].contains("`Reporting-Endpoints`") && found[1].contains("`r.example`"));
        assert!(found[2].contains("`NEL`") && found[2].contains("`default`"));
    }

    #[test]
    fn redirect_rules_skip_query_matches() {
        let found = messages(
            REDIRECTS_FILE,
            "/store id=:id /posts/:id 301\n/a  https://b.example/  302!  Country=de\n/c\n",
            "",
        );
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].contains("`b.example`"), "{found:?}");
        assert!(found[1].contains("without a target"), "{found:?}");
    }

    #[test]
    fn nginx_headers_are_repeated_only_where_needed() {
        let c = config("");
        let own = Own {
            shown: Path::new("static/_nginx.conf"),
            text:
                "add_header X-Top 1;\nlocation /a/ {\n  location /a/b/ { add_header X-B 2; }\n}\n",
        };
        let merged = host_file(&c, NGINX_FILE, Some(own), None).expect("always written");
        assert!(merged.problems.is_empty(), "{:?}", merged.problems);
        let text = merged.text;
        // echt's five at the top, five again in /a/b/ only.
        assert_eq!(
            text.matches("add_header Referrer-Policy").count(),
            2,
            "{text}"
        );
        let inner = &text[text.find("location /a/b/ {").expect("kept")..];
        assert!(
            inner.contains("add_header Referrer-Policy \"no-referrer\" always;"),
            "{text}"
        );
        assert!(
            text.contains("\nadd_header X-Top 1;\nlocation /a/ {\n  location"),
            "{text}"
        );
    }

    #[test]
    fn policy_allows_hosts_and_own_scripts() {
        let strict = content_security_policy(&[], false, false);
        assert!(strict.starts_with("default-src 'self'; "), "{strict}");
        assert!(strict
            .contains("script-src 'none'; object-src 'none'; base-uri 'self'; form-action 'self'"));
        assert!(!strict.contains("frame-ancestors"));
        let open = content_security_policy(&["media.example.net".into()], true, true);
        assert!(
            open.contains("default-src 'self' media.example.net;"),
            "{open}"
        );
        assert!(open.contains("script-src 'self';"), "{open}");
        assert!(open.ends_with("frame-ancestors 'self'"), "{open}");
        assert_eq!(
            preview_policy(&strict).matches("script-src 'self'").count(),
            1
        );
    }
}
