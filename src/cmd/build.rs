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

use crate::audit::{self, Facts};
use crate::output::{check_output_dir, Sink, Staging, Update};
use crate::render::theme::Theme;
use crate::render::{render_site, Prepared, RenderOptions, Stats};
use crate::site::{Cache, Selection, Site};
use crate::source::config::Config;
use crate::util::error::{Diagnostic, Error, Result};

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
    /// The audit's warnings and notes (a build with errors fails).
    pub warnings: Vec<Diagnostic>,
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

/// A site loaded and checked, with its theme, ready to render; `errors`
/// are the problems of sources that could not be used.
#[derive(Debug)]
pub struct Loaded {
    pub site: Site,
    pub theme: Theme,
    pub errors: Vec<Diagnostic>,
}

/// Reads config, theme and content for `options`, gathering every problem.
pub fn load(options: &BuildOptions) -> Result<Loaded> {
    load_cached(options, &mut Cache::default())
}

/// [`load`], reusing what `cache` holds from an earlier load (the preview).
pub fn load_cached(options: &BuildOptions, cache: &mut Cache) -> Result<Loaded> {
    let mut config = Config::load(&options.root)?;
    if let Some(url) = &options.base_url {
        config.set_base_url(url)?;
    }
    let selection = Selection {
        drafts: options.drafts,
        future: options.future,
        now: Utc::now().fixed_offset(),
    };
    let (theme, loaded) = rayon::join(
        || Theme::load(&config),
        || Site::load(config.clone(), &selection, cache),
    );
    let (site, mut errors) = loaded?;
    match theme {
        Ok(theme) => Ok(Loaded {
            site,
            theme,
            errors,
        }),
        Err(mut e) => {
            errors.append(&mut e.diagnostics);
            Err(Error::new(errors))
        }
    }
}

/// A site rendered and audited file by file.
#[derive(Debug)]
pub struct Rendered {
    pub stats: Stats,
    pub facts: Facts,
}

impl Loaded {
    /// Renders every page into `out`. Renders even when sources had errors,
    /// so template errors are found in the same run; fails with all of them.
    pub fn render(&self, out: &dyn Sink, options: &RenderOptions) -> Result<Rendered> {
        self.render_prepared(&Prepared::new(&self.site, &self.theme, options), out)
    }

    /// [`Loaded::render`] with a site already prepared from this one.
    pub fn render_prepared(&self, prepared: &Prepared<'_>, out: &dyn Sink) -> Result<Rendered> {
        let rendering = prepared.render(out);
        let mut errors = self.errors.clone();
        errors.extend(rendering.errors);
        if errors.is_empty() {
            return Ok(Rendered {
                stats: rendering.stats,
                facts: rendering.facts,
            });
        }
        // What the audit found in the pages that did render counts too.
        errors.extend(
            audit::conclude(&rendering.facts, self.site.config.page_budget, prepared)
                .into_iter()
                .filter(Diagnostic::is_error),
        );
        Err(Error::new(errors))
    }
}

/// The audit's verdict on a whole site: Err with every problem if any is
/// an error, else the warnings and notes.
pub fn verdict(facts: &Facts, budget: u64, locate: &dyn audit::Locate) -> Result<Vec<Diagnostic>> {
    let problems = audit::conclude(facts, budget, locate);
    if problems.iter().any(Diagnostic::is_error) {
        Err(Error::new(problems))
    } else {
        Ok(problems)
    }
}

pub fn build(options: &BuildOptions) -> Result<Report> {
    let start = Instant::now();
    let output = options
        .output
        .clone()
        .unwrap_or_else(|| options.root.join("public"));
    let kept = || format!("the build failed; {} was left unchanged", output.display());
    let shown = output
        .strip_prefix(&options.root)
        .map_or_else(|_| output.clone(), std::path::Path::to_path_buf);
    let run = || -> Result<(Stats, Option<usize>, Vec<Diagnostic>)> {
        check_output_dir(&options.root, &output)?;
        let loaded = load(options)?;
        let render = RenderOptions {
            year: Utc::now().year(),
            preview: false,
        };
        let budget = loaded.site.config.page_budget;
        let prepared = Prepared::new(&loaded.site, &loaded.theme, &render).shown_as(&shown);
        // Nothing reaches the output folder unless the whole build is fine.
        if Update::previous_build(&output)? {
            let compare = Update::compare(&output);
            let rendered = loaded.render_prepared(&prepared, &compare)?;
            let warnings = verdict(&rendered.facts, budget, &prepared)?;
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
                let redone = render_site(
                    &loaded.site,
                    &loaded.theme,
                    &Update::redo(&output, &changes),
                    &render,
                );
                if !redone.errors.is_empty() {
                    return Err(part_way(redone.errors));
                }
            }
            Ok((rendered.stats, Some(changes.changed() + removed), warnings))
        } else {
            let staging = Staging::new(&output)?;
            let rendered = loaded.render_prepared(&prepared, &staging)?;
            let warnings = verdict(&rendered.facts, budget, &prepared)?;
            staging.commit()?;
            Ok((rendered.stats, None, warnings))
        }
    };
    let (stats, changed, warnings) = run().map_err(|e| {
        if e.footer.is_some() {
            return e;
        }
        let n = e.diagnostics.iter().filter(|d| d.is_error()).count();
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
        warnings,
    })
}
