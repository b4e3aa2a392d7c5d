//! `echt build`: the pipeline from sources to a finished site, end to end.
//!
//! config → content and site model → theme → render → output. A first
//! build writes into a staging folder and swaps it into place; a rebuild
//! compares with the previous output and rewrites only what changed (see
//! `output`). Problems from every stage are gathered so one run shows them
//! all; the previous output survives any of them.
//!
//! A rebuild starts from the build cache beside the output folder
//! (`output::cache`) when there is a good one: sources whose stamps did
//! not change are neither read nor rendered again, and only the output
//! files whose fingerprints changed are rendered and audited
//! ([`Loaded::render_changed`], which the preview uses too).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use chrono::{Datelike, Utc};
use serde::{Deserialize, Serialize};

use crate::audit::{self, Facts};
use crate::output::cache::{self, Miss, Written};
use crate::output::plan::{Fingerprints, Plan, Planned};
use crate::output::{check_output_dir, Sink, Staging, Update};
use crate::render::theme::Theme;
use crate::render::{Prepared, RenderOptions, Stats};
use crate::site::{Cache, Selection, Site};
use crate::source::config::Config;
use crate::util::error::{Diagnostic, Error, Result};
use crate::util::fingerprint::fingerprint;

/// What to build, and how (the `echt build` options).
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Defaults to `public/` in the site root.
    pub output: Option<PathBuf>,
    pub drafts: bool,
    pub future: bool,
    pub base_url: Option<String>,
    /// Build everything, ignoring the build cache (a new one is written).
    pub no_cache: bool,
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
    /// Why the build cache could not be used, if that is worth a note.
    pub note: Option<String>,
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
    load_with(config(options)?, options, cache)
}

/// The site's config, with the options' `base_url`.
fn config(options: &BuildOptions) -> Result<Config> {
    let mut config = Config::load(&options.root)?;
    if let Some(url) = &options.base_url {
        config.set_base_url(url)?;
    }
    Ok(config)
}

fn load_with(config: Config, options: &BuildOptions, cache: &mut Cache) -> Result<Loaded> {
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

/// The last good build, as far as the next one builds on it: what each
/// output file was made of, and what the audit found in it.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(bound(deserialize = "Facts: Deserialize<'de>"))]
pub struct Built {
    pub prints: Fingerprints,
    pub facts: Facts,
}

/// What [`Loaded::render_changed`] did.
#[derive(Debug)]
pub struct Changed {
    /// The files rendered and removed since the last good build.
    pub plan: Plan,
    /// This build, for the next one.
    pub built: Built,
    pub stats: Stats,
    /// The audit's warnings and notes about the whole site.
    pub warnings: Vec<Diagnostic>,
}

impl Loaded {
    /// Renders into `out` the files whose fingerprints (`prints`, made
    /// from `prepared`) differ from those of the `last` good build, and
    /// the files `also` names (every file when there is no last build);
    /// the audit's facts of the others are carried over, and the verdict
    /// is on all of them. `out` keeps what it has of the other files.
    pub fn render_changed<S: Sink>(
        &self,
        prepared: &Prepared<'_>,
        prints: Fingerprints,
        last: Option<&Built>,
        also: &[String],
        out: &S,
    ) -> Result<Changed> {
        let mut plan = prints.plan(last.map(|last| &last.prints));
        let (rendered, mut facts) = match last {
            None => (self.render_prepared(prepared, out)?, Facts::new()),
            Some(last) => {
                if !also.is_empty() {
                    let all = prints.plan(None).write;
                    plan.write
                        .extend(also.iter().filter(|file| all.contains(*file)).cloned());
                }
                recheck_links(&mut plan, &last.facts);
                let planned = Planned { out, plan: &plan };
                (self.render_prepared(prepared, &planned)?, last.facts.clone())
            }
        };
        // Files not rendered again keep what the audit found in them.
        for gone in &plan.remove {
            facts.remove(gone);
        }
        facts.extend(rendered.facts);
        let warnings = verdict(&facts, self.site.config.page_budget, prepared)?;
        Ok(Changed {
            plan,
            built: Built { prints, facts },
            stats: rendered.stats,
            warnings,
        })
    }
}

/// Adds the pages that link to a file the plan removes: unchanged
/// themselves, they now have a broken link the audit must report.
fn recheck_links(plan: &mut Plan, facts: &Facts) {
    if plan.remove.is_empty() {
        return;
    }
    let removed: HashSet<u64> = plan.remove.iter().map(fingerprint).collect();
    for (file, f) in facts {
        if f.links.iter().any(|l| removed.contains(l)) && !plan.remove.contains(file) {
            plan.write.insert(file.clone());
        }
    }
}

/// What the build cache holds (see `output::cache`).
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(bound(deserialize = "Built: Deserialize<'de>"))]
struct Remembered {
    /// Every source parsed and rendered, by stamp.
    sources: Cache,
    built: Built,
    /// How the output files looked when this build was done.
    written: Written,
    /// Sources modified so shortly before or during the build that their
    /// stamps prove nothing: the next build reads them again.
    racy: Vec<PathBuf>,
}

/// What a build cache is only good for: this echt, this config (with the
/// options' `base_url`) and these options.
fn cache_key(config: &Config, options: &BuildOptions, shown: &Path) -> cache::Key {
    cache::Key::new(fingerprint((
        format!("{config:?}"),
        options.drafts,
        options.future,
        shown,
    )))
}

/// The files of the site that the next build could take for unchanged
/// although they changed after this one read them (see `cache::RACY`).
fn racy_sources(root: &Path, started: SystemTime) -> Vec<PathBuf> {
    let since = started.checked_sub(cache::RACY).unwrap_or(started);
    let dirs: Vec<PathBuf> = ["content", "static", "themes"]
        .iter()
        .map(|dir| root.join(dir))
        .collect();
    cache::recent(&dirs, since, &crate::source::content::is_ignored)
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
    // Before any source is looked at (see `racy_sources`).
    let started = SystemTime::now();
    let output = options
        .output
        .clone()
        .unwrap_or_else(|| options.root.join("public"));
    let kept = || format!("the build failed; {} was left unchanged", output.display());
    let shown = output
        .strip_prefix(&options.root)
        .map_or_else(|_| output.clone(), std::path::Path::to_path_buf);
    let cache_file = cache::path(&output);
    let mut note = None;
    let mut run = || -> Result<(Stats, Option<usize>, Vec<Diagnostic>)> {
        check_output_dir(&options.root, &output)?;
        let config = config(options)?;
        let key = cache_key(&config, options, &shown);
        let previous = Update::previous_build(&output)?;
        let mut remembered = None;
        if previous && !options.no_cache {
            match cache::load::<Remembered>(&cache_file, &key) {
                Ok(found) => remembered = Some(found),
                Err(miss @ Miss::Damaged(_)) => {
                    note = Some(format!("{miss}; everything was built anew"));
                }
                Err(Miss::Missing | Miss::Stale) => {}
            }
        }
        let mut sources = Cache::default();
        if let Some(remembered) = &mut remembered {
            sources = std::mem::take(&mut remembered.sources);
            sources.touch(&remembered.racy);
        }
        let loaded = load_with(config, options, &mut sources)?;
        let render = RenderOptions {
            year: Utc::now().year(),
            preview: false,
        };
        let prepared = Prepared::new(&loaded.site, &loaded.theme, &render).shown_as(&shown);
        let prints = prepared.fingerprints(&|path| sources.stamp(path));
        // Nothing reaches the output folder unless the whole build is fine.
        if !previous {
            let staging = Staging::new(&output)?;
            let done = loaded.render_changed(&prepared, prints, None, &[], &staging)?;
            // A cache left beside an output folder that was removed.
            cache::discard(&cache_file)?;
            staging.commit()?;
            let mut written = Written::default();
            written.record(&output, &done.built.prints.plan(None).write);
            let remembered = Remembered {
                sources,
                built: done.built,
                written,
                racy: racy_sources(&loaded.site.config.root, started),
            };
            keep(&cache_file, &key, &remembered);
            return Ok((done.stats, None, done.warnings));
        }
        let last = remembered.as_ref();
        let altered = last.map(|r| r.written.altered(&output)).unwrap_or_default();
        let compare = Update::compare(&output);
        let done = loaded.render_changed(
            &prepared,
            prints,
            last.map(|r| &r.built),
            &altered,
            &compare,
        )?;
        let changes = compare.changes();
        let unchanged = last.is_some_and(|r| r.racy.is_empty())
            && altered.is_empty()
            && done.plan.is_empty()
            && changes.changed() == 0;
        if unchanged {
            // The cache describes this build as it is.
            return Ok((done.stats, Some(0), done.warnings));
        }
        // The output is about to change: until it is done, no cache.
        cache::discard(&cache_file)?;
        let part_way = |e: Vec<Diagnostic>| {
            Error::new(e).with_footer(format!(
                "error: writing {} failed part way; fix the problem and build again",
                output.display()
            ))
        };
        // Stale files go first: a path may turn from a file into a folder.
        let removed = match last {
            Some(_) => cache::remove_files(&output, &done.plan.remove)?,
            None => changes.remove_stale(&output)?,
        };
        changes
            .write_kept(&output)
            .map_err(|e| part_way(e.diagnostics))?;
        if changes.needs_second_pass() {
            let redone = prepared.render(&Update::redo(&output, &changes));
            if !redone.errors.is_empty() {
                return Err(part_way(redone.errors));
            }
        }
        let mut written = remembered
            .map(|r| r.written)
            .filter(|_| !options.no_cache)
            .unwrap_or_default();
        written.forget(&done.plan.remove);
        if written.is_empty() {
            written.record(&output, &done.built.prints.plan(None).write);
        } else {
            written.record(&output, &done.plan.write);
        }
        let remembered = Remembered {
            sources,
            built: done.built,
            written,
            racy: racy_sources(&loaded.site.config.root, started),
        };
        keep(&cache_file, &key, &remembered);
        Ok((done.stats, Some(changes.changed() + removed), done.warnings))
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
        note,
    })
}

/// Writes the build cache; a cache that cannot be written only makes the
/// next build slower, so this says so and goes on.
fn keep(file: &Path, key: &cache::Key, remembered: &Remembered) {
    if let Err(e) = cache::save(file, key, remembered) {
        for d in &e.diagnostics {
            eprintln!("note: no build cache was written: {}", d.message);
        }
    }
}
