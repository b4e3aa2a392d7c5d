//! `echt build`: the pipeline from sources to a finished site, end to end.
//!
//! config → content and site model → theme → render and write into a
//! staging folder → swap into place. Problems from every stage are gathered
//! so one run shows them all; the previous output survives any failure.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::{Datelike, Utc};

use crate::config::Config;
use crate::error::{Error, Result};
use crate::output::{check_output_dir, Staging};
use crate::render::{render_site, Stats};
use crate::site::{Selection, Site};
use crate::theme::Theme;

/// What to build, and how (the `echt build` options).
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Defaults to `public/` in the site root.
    pub output: Option<PathBuf>,
    pub drafts: bool,
    pub future: bool,
    pub base_url: Option<String>,
}

/// What a successful build did.
#[derive(Debug)]
pub struct Report {
    pub stats: Stats,
    pub elapsed: Duration,
    pub output: PathBuf,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = &self.stats;
        write!(
            f,
            "echt: {} pages ({} posts, {} tags) and {} files in {} ms → {}",
            s.pages,
            s.posts,
            s.tags,
            s.files,
            self.elapsed.as_millis(),
            self.output.display()
        )
    }
}

pub fn build(options: &BuildOptions) -> Result<Report> {
    let start = Instant::now();
    let output = options
        .output
        .clone()
        .unwrap_or_else(|| options.root.join("public"));
    let kept = || format!("the build failed; {} was left unchanged", output.display());
    let run = || -> Result<Stats> {
        let mut config = Config::load(&options.root)?;
        if let Some(url) = &options.base_url {
            config.set_base_url(url)?;
        }
        check_output_dir(&options.root, &output)?;
        let selection = Selection {
            drafts: options.drafts,
            future: options.future,
            now: Utc::now().fixed_offset(),
        };
        let (theme, loaded) = rayon::join(
            || Theme::load(&config),
            || Site::load(config.clone(), &selection),
        );
        let (site, mut errors) = loaded?;
        let theme = match theme {
            Ok(theme) => theme,
            Err(mut e) => {
                errors.append(&mut e.diagnostics);
                return Err(Error::new(errors));
            }
        };
        // Render even when sources had errors: template errors are found in
        // the same run. The staging folder is thrown away unless all is well.
        let staging = Staging::new(&output)?;
        let rendered = render_site(&site, &theme, &staging, Utc::now().year());
        let stats = match rendered {
            Ok(stats) if errors.is_empty() => stats,
            Ok(_) => return Err(Error::new(errors)),
            Err(mut render_errors) => {
                errors.append(&mut render_errors);
                return Err(Error::new(errors));
            }
        };
        staging.commit()?;
        Ok(stats)
    };
    let stats = run().map_err(|e| {
        let n = e.diagnostics.len();
        let found = if n == 1 {
            "1 error".to_string()
        } else {
            format!("{n} errors")
        };
        e.with_footer(format!("error: {found}; {}", kept()))
    })?;
    Ok(Report {
        stats,
        elapsed: start.elapsed(),
        output,
    })
}
