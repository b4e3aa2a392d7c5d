//! Tracking parameters: the query parameters that analytics, ad and
//! newsletter suites add to links so that the site at the other end learns
//! where each visitor came from. echt removes them from every link it
//! writes, and refuses them in share links echt.yaml names; this is the
//! list, and the README points here. It sits in `util` so that the
//! config's check and the audit share it.
//!
//! A parameter is matched by its name after percent-decoding and without
//! regard to case, so `utm%5Fsource` and `UTM_Source` are found too. The
//! list is deliberately about names that mean tracking wherever they
//! appear; a few names that mean tracking only on one service (`si` on
//! YouTube and Spotify) are matched on that service's hosts alone.

/// Prefixes of whole families of parameters, by suite.
pub const PREFIXES: &[(&str, &str)] = &[
    ("utm_", "Google Analytics and most other suites (UTM)"),
    ("mtm_", "Matomo"),
    ("matomo_", "Matomo"),
    ("pk_", "Piwik / Matomo"),
    ("piwik_", "Piwik"),
    ("hsa_", "HubSpot ads"),
    ("vero_", "Vero"),
    ("oly_", "Olytics"),
];

/// Single parameters, by suite.
pub const NAMES: &[(&str, &str)] = &[
    ("gclid", "Google Ads"),
    ("gclsrc", "Google Ads"),
    ("dclid", "Google Display & Video"),
    ("gbraid", "Google Ads"),
    ("wbraid", "Google Ads"),
    ("gad_source", "Google Ads"),
    ("gad_campaignid", "Google Ads"),
    ("_ga", "Google Analytics"),
    ("_gl", "Google Analytics"),
    ("srsltid", "Google Merchant Center"),
    ("fbclid", "Meta (Facebook)"),
    ("igshid", "Meta (Instagram)"),
    ("igsh", "Meta (Instagram)"),
    ("mibextid", "Meta (Facebook)"),
    ("fb_action_ids", "Meta (Facebook)"),
    ("fb_action_types", "Meta (Facebook)"),
    ("fb_source", "Meta (Facebook)"),
    ("fb_ref", "Meta (Facebook)"),
    ("msclkid", "Microsoft Advertising"),
    ("wt.mc_id", "Microsoft"),
    ("_hsenc", "HubSpot"),
    ("_hsmi", "HubSpot"),
    ("__hssc", "HubSpot"),
    ("__hstc", "HubSpot"),
    ("__hsfp", "HubSpot"),
    ("hsctatracking", "HubSpot"),
    ("mc_cid", "Mailchimp"),
    ("mc_eid", "Mailchimp"),
    ("ck_subscriber_id", "ConvertKit (Kit)"),
    ("_kx", "Klaviyo"),
    ("_ke", "Klaviyo"),
    ("s_kwcid", "Adobe Advertising"),
    ("ef_id", "Adobe Advertising"),
    ("s_cid", "Adobe Analytics"),
    ("mkt_tok", "Adobe Marketo"),
    ("xtor", "AT Internet (Piano)"),
    ("at_medium", "AT Internet (Piano)"),
    ("at_campaign", "AT Internet (Piano)"),
    ("at_platform", "AT Internet (Piano)"),
    ("at_creation", "AT Internet (Piano)"),
    ("at_variant", "AT Internet (Piano)"),
    ("at_send_date", "AT Internet (Piano)"),
    ("at_recipient_id", "AT Internet (Piano)"),
    ("at_recipient_list", "AT Internet (Piano)"),
    ("yclid", "Yandex"),
    ("ysclid", "Yandex"),
    ("_openstat", "Yandex"),
    ("ttclid", "TikTok"),
    ("twclid", "X (Twitter)"),
    ("ref_src", "X (Twitter)"),
    ("li_fat_id", "LinkedIn"),
    ("trk", "LinkedIn"),
    ("trkcampaign", "LinkedIn"),
    ("epik", "Pinterest"),
    ("sccid", "Snapchat"),
    ("rdt_cid", "Reddit"),
    ("irclickid", "Impact"),
    ("irgwc", "Impact"),
    ("ranmid", "Rakuten"),
    ("raneaid", "Rakuten"),
    ("ransiteid", "Rakuten"),
    ("_branch_match_id", "Branch"),
    ("_branch_referrer", "Branch"),
    ("__s", "Drip"),
    ("wickedid", "Wicked Reports"),
    ("rb_clickid", "Rebel"),
];

/// Parameters that track only on some services: (name, hosts).
pub const ON_HOSTS: &[(&str, &[&str])] = &[("si", &["youtube.com", "youtu.be", "spotify.com"])];

/// Whether the parameter `name` (as written in a query) tracks on `host`.
pub fn is_tracking(name: &str, host: &str) -> bool {
    let decoded = crate::util::url::percent_decode_lossy(name).to_ascii_lowercase();
    let name = decoded.as_str();
    PREFIXES.iter().any(|(prefix, _)| name.starts_with(prefix))
        || NAMES.iter().any(|(n, _)| *n == name)
        || ON_HOSTS.iter().any(|(n, hosts)| {
            *n == name
                && hosts
                    .iter()
                    .any(|h| host == *h || host.ends_with(&format!(".{h}")))
        })
}

/// The URL without tracking parameters, and the names of those removed
/// (percent-decoded). The rest is kept exactly as written.
pub fn strip(url: &str, host: &str) -> (String, Vec<String>) {
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
            if is_tracking(name, host) {
                removed.push(crate::util::url::percent_decode_lossy(name));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_names_and_spellings() {
        for name in [
            "utm_source",
            "UTM_Medium",
            "utm%5Fcampaign",
            "mtm_kwd",
            "pk_campaign",
            "gad_source",
            "gclsrc",
            "igsh",
            "mibextid",
            "ck_subscriber_id",
            "_kx",
            "hsa_acc",
            "WT.mc_id",
            "xtor",
            "fbclid",
            "%66bclid",
        ] {
            assert!(is_tracking(name, "shop.example"), "{name}");
        }
        for name in ["id", "page", "q", "tag", "utm", "si", "ref"] {
            assert!(!is_tracking(name, "shop.example"), "{name}");
        }
        assert!(is_tracking("si", "www.youtube.com"));
        assert!(is_tracking("si", "youtu.be"));
    }

    #[test]
    fn stripping_keeps_the_rest_as_written() {
        let (url, removed) = strip(
            "https://shop.example/p?id=4&utm%5Fsource=x&Fbclid=y#teil",
            "shop.example",
        );
        assert_eq!(url, "https://shop.example/p?id=4#teil");
        assert_eq!(removed, ["utm_source", "Fbclid"]);
        let (url, removed) = strip("https://youtu.be/abc?si=xyz&t=10", "youtu.be");
        assert_eq!(url, "https://youtu.be/abc?t=10");
        assert_eq!(removed, ["si"]);
        assert_eq!(
            strip("https://a.example/?x=1", "a.example"),
            ("https://a.example/?x=1".to_string(), Vec::new())
        );
    }
}
