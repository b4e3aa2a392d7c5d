//! `echt build`: the pipeline from sources to a finished site, end to end.
//!
//! config → content and site model → theme → render → output. A first
//! build writes into a staging folder and swaps it into place; a rebuild
//! compares with the previous output and rewrites only what changed (see
//! `output`). Problems from every stage are gathered so one run shows them
//! all; the previous output survives any of them.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::{Datelike, Utc};

use crate::config::Config;
use crate::error::{Diagnostic, Error, Result};
use crate::output::{check_output_dir, Staging, Update};
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
    /// Files written or removed; None when the output folder was new.
    pub changed: Option<usize>,
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
        )?;
        match self.changed {
            Some(0) => write!(f, " (unchanged)"),
            Some(n) => write!(f, " ({n} changed)"),
            None => Ok(()),
        }
    }
}

pub fn build(options: &BuildOptions) -> Result<Report> {
    let start = Instant::now();
    let output = options
        .output
        .clone()
        .unwrap_or_else(|| options.root.join("public"));
    let kept = || format!("the build failed; {} was left unchanged", output.display());
    let run = || -> Result<(Stats, Option<usize>)> {
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
        // the same run. Nothing reaches the output folder unless all is well.
        let year = Utc::now().year();
        let finish = |rendered: std::result::Result<Stats, Vec<Diagnostic>>,
                      mut errors: Vec<Diagnostic>| {
            match rendered {
                Ok(stats) if errors.is_empty() => Ok(stats),
                Ok(_) => Err(Error::new(errors)),
                Err(mut render_errors) => {
                    errors.append(&mut render_errors);
                    Err(Error::new(errors))
                }
            }
        };
        if Update::previous_build(&output)? {
            let compare = Update::compare(&output);
            let stats = finish(render_site(&site, &theme, &compare, year), errors)?;
            let changes = compare.changes();
            let part_way = |e: Vec<Diagnostic>| {
                Error::new(e).with_footer(format!(
                    "error: writing {} failed part way; fix the problem and build again",
                    output.display()
                ))
            };
            // Stale files go first: a path may turn from a file into a folder.
            let removed = changes.remove_stale(&output)?;
            changes
                .write_kept(&output)
                .map_err(|e| part_way(e.diagnostics))?;
            if changes.needs_second_pass() {
                render_site(&site, &theme, &Update::redo(&output, &changes), year)
                    .map_err(part_way)?;
            }
            Ok((stats, Some(changes.changed() + removed)))
        } else {
            let staging = Staging::new(&output)?;
            let stats = finish(render_site(&site, &theme, &staging, year), errors)?;
            staging.commit()?;
            Ok((stats, None))
        }
    };
    let (stats, changed) = run().map_err(|e| {
        if e.footer.is_some() {
            return e;
        }
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
        changed,
        elapsed: start.elapsed(),
        output,
    })
}
