//! The security headers echt promises: the Content-Security-Policy every
//! page carries in a `<meta>` element, and the same policy (plus what only
//! headers can say) for real web servers: a `_headers` file, which Netlify
//! and Cloudflare Pages read, and an nginx snippet to `include`.

use std::borrow::Cow;

use crate::config::Config;

/// The files written next to the site, by path below the output folder.
pub const HEADERS_FILE: &str = "_headers";
pub const NGINX_FILE: &str = "_nginx.conf";

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

/// The `_headers` file: every path gets the headers.
pub fn headers_file(config: &Config) -> String {
    let mut out = String::from("# Written by echt: the same policy every page carries, for Netlify and Cloudflare Pages.\n/*\n");
    for (name, value) in headers(config) {
        out.push_str(&format!("  {name}: {value}\n"));
    }
    out
}

/// An nginx snippet for the `server` (or `location`) block serving the
/// site: `include /path/to/public/_nginx.conf;`. nginx drops inherited
/// `add_header`s in a block that has its own, so include it in each.
pub fn nginx_file(config: &Config) -> String {
    let mut out = String::from(
        "# Written by echt: include this in the server block that serves the site.\n# nginx forgets these in any block with add_header of its own: include it there too.\n",
    );
    for (name, value) in headers(config) {
        out.push_str(&format!("add_header {name} \"{value}\" always;\n"));
    }
    out.push_str("location ~ /_(headers|nginx\\.conf)$ { return 404; }\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
