//! `echt check`: the whole build and its audit, writing nothing. It shows
//! what `echt build` would refuse or warn about, how heavy the pages are,
//! and, with `--external`, which outbound links no longer answer.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{Datelike, Utc};

use crate::audit::{self, Facts};
use crate::cmd::build::{load, verdict, BuildOptions};
use crate::cmd::external;
use crate::output::Sink;
use crate::render::{Prepared, RenderOptions};
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
        writeln!(f, "Page weight (with stylesheets, images and fonts):")?;
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
        if self.external > 0 {
            writeln!(f, "{} outbound links answer.", self.external)?;
        }
        write!(
            f,
            "echt: no scripts, no cookies, nothing loaded from other hosts, no broken links"
        )
    }
}
