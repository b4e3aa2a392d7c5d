//! `echt check`: the whole build and its audit, writing nothing. It shows
//! what `echt build` would refuse or warn about, how heavy the pages are,
//! and, with `--external`, which outbound links no longer answer.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{Datelike, Utc};

use crate::audit::weight::{Candidates, Choice, PHONE};
use crate::audit::{self, Facts};
use crate::cmd::build::{load, verdict, BuildOptions};
use crate::cmd::external;
use crate::image::{ImageFormat, Picture, Version};
use crate::markdown::picture;
use crate::output::Sink;
use crate::render::{Prepared, RenderOptions};
use crate::site::Site;
use crate::source::config::ImageConfig;
use crate::util::error::{Diagnostic, Error, Result, Severity};

/// What `echt check` found besides errors (which make it fail).
#[derive(Debug)]
pub struct Checked {
    pub warnings: Vec<Diagnostic>,
    /// Every HTML page with its weight in bytes, heaviest first.
    pub weights: Vec<(String, u64)>,
    pub budget: u64,
    /// Outbound links checked (with `--external`).
    pub external: usize,
    pub pictures: Savings,
}

/// What responsive pictures save a reader on a phone.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Savings {
    /// Pictures of `content/` that are published.
    pub pictures: usize,
    /// Their files as the author wrote them.
    pub written: u64,
    /// What a phone loads of them: of each, the file it chooses.
    pub phone: u64,
}

impl Savings {
    /// The savings of the pictures of `site`.
    fn of(site: &Site) -> Savings {
        let config = &site.config.images;
        let mut savings = Savings::default();
        for (original, picture) in site.images.pictures() {
            let (Ok(picture), Some(file)) = (picture, site.picture_files.get(original)) else {
                continue;
            };
            let Ok(meta) = std::fs::metadata(site.config.root.join(file)) else {
                continue;
            };
            savings.pictures += 1;
            savings.written += meta.len();
            savings.phone += phone_file(picture, config).len;
        }
        savings
    }
}

/// The file of `picture` a phone loads from what its pages offer (see
/// `audit::weight`).
fn phone_file<'p>(picture: &'p Picture, config: &ImageConfig) -> &'p Version {
    let (own, others) = picture::offered(picture, config);
    let candidates = |format: Option<ImageFormat>, versions: &[&Version]| Candidates {
        mime: format.map(|f| f.mime().to_string()),
        media: false,
        sizes: Some(config.sizes.clone()),
        files: versions
            .iter()
            .map(|v| (v.site_path.clone(), Some(v.width)))
            .collect(),
    };
    let choice = Choice {
        sources: others
            .iter()
            .map(|(format, versions)| candidates(Some(*format), versions))
            .collect(),
        img: candidates(None, &own),
    };
    let chosen = choice.chosen(PHONE);
    own.iter()
        .chain(others.iter().flat_map(|(_, v)| v))
        .find(|v| Some(v.site_path.as_str()) == chosen)
        .copied()
        .unwrap_or(&picture.original)
}

/// A sink that keeps nothing: the audit sees every file on its way.
struct Discard;

impl Sink for Discard {
    fn write(&self, _rel: &str, _bytes: &[u8]) -> std::result::Result<(), Diagnostic> {
        Ok(())
    }
    fn copy(&self, _from: &Path, _rel: &str) -> std::result::Result<(), Diagnostic> {
        Ok(())
    }
}

/// Builds and audits the site without writing it; `external` also checks
/// every outbound link over the network.
pub fn check(options: &BuildOptions, external: Option<&external::Options>) -> Result<Checked> {
    let loaded = load(options)?;
    let render = RenderOptions {
        year: Utc::now().year(),
        preview: false,
    };
    let mut prepared = Prepared::new(&loaded.site, &loaded.theme, &render);
    if external.is_some() {
        prepared = prepared.with_outbound_links();
    }
    let rendered = loaded.render_prepared(&prepared, &Discard)?;
    let budget = loaded.site.config.page_budget;
    let mut warnings = verdict(&rendered.facts, budget, &prepared)?;
    let mut checked = 0;
    if let Some(network) = external {
        let broken = check_outbound(&rendered.facts, network);
        checked = broken.1;
        if !broken.0.is_empty() {
            let mut all = warnings;
            all.extend(broken.0);
            return Err(Error::new(all));
        }
    }
    let mut weights = audit::weights(&rendered.facts);
    weights.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    warnings.sort_by_key(|d| d.severity);
    Ok(Checked {
        warnings,
        weights,
        budget,
        external: checked,
        pictures: Savings::of(&loaded.site),
    })
}

/// Errors for outbound links that fail, each located where it was first
/// found; and how many distinct links were checked.
fn check_outbound(facts: &Facts, options: &external::Options) -> (Vec<Diagnostic>, usize) {
    let mut first: BTreeMap<&str, &Diagnostic> = BTreeMap::new();
    for file in facts.values() {
        for (url, at) in &file.outbound {
            first.entry(url.as_str()).or_insert(at);
        }
    }
    let urls: Vec<String> = first.keys().map(|u| (*u).to_string()).collect();
    let outcomes = external::check(&urls, options);
    let broken = urls
        .iter()
        .zip(outcomes)
        .filter_map(|(url, outcome)| {
            let why = match outcome {
                external::Outcome::Ok => return None,
                external::Outcome::Status(code) => format!("answers {code}"),
                external::Outcome::Failed(reason) => reason,
            };
            let at = first.get(url.as_str())?;
            let mut d = (*at).clone();
            d.message = format!("outbound link to {url} fails: {why}");
            d.severity = Severity::Error;
            Some(d.hint("fix or remove the link, or link to an archived copy"))
        })
        .collect();
    (broken, urls.len())
}

impl std::fmt::Display for Checked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let pages = self.weights.len();
        writeln!(
            f,
            "Page weight on a phone (with stylesheets, images and fonts):"
        )?;
        for (file, bytes) in self.weights.iter().take(10) {
            let page = file.strip_suffix("index.html").unwrap_or(file);
            writeln!(f, "  {:>8}  /{page}", audit::kilobytes(*bytes))?;
        }
        if let Some((_, median)) = self.weights.get(pages / 2) {
            writeln!(
                f,
                "  median {} over {pages} pages; budget {}",
                audit::kilobytes(*median),
                audit::kilobytes(self.budget)
            )?;
        }
        let Savings {
            pictures,
            written,
            phone,
        } = self.pictures;
        if pictures > 0 {
            let saved = 100 - (phone * 100).div_ceil(written.max(1)).min(100);
            writeln!(
                f,
                "Pictures: {pictures}, {} as written; a phone loads {} of them ({saved} % less)",
                audit::kilobytes(written),
                audit::kilobytes(phone)
            )?;
        }
        if self.external > 0 {
            writeln!(f, "{} outbound links answer.", self.external)?;
        }
        write!(
            f,
            "echt: no scripts, no cookies, nothing loaded from other hosts, no broken links"
        )
    }
}
