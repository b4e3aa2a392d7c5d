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
//! ([`Loaded::render_changed`], which the preview uses too). A rebuild in
//! which nothing changed at all, as the cache can prove (see
//! [`Unchanged`]), loads nothing and ends there.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use chrono::{DateTime, Datelike, FixedOffset, TimeZone, Utc};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::audit::{self, Facts};
use crate::image;
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
    /// Files rendered (or copied) and audited: all of them, unless the
    /// build cache told which had changed.
    pub rendered: usize,
    /// Whether the build cache proved that nothing the output is made of
    /// changed, so that nothing was loaded, rendered or written.
    pub skipped: bool,
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
            "echt: {} pages ({} posts, {} tags), ",
            s.pages, s.posts, s.tags
        )?;
        if s.pictures > 0 {
            let pictures = if s.pictures == 1 {
                "picture"
            } else {
                "pictures"
            };
            write!(f, "{} {pictures}", s.pictures)?;
            // A skipped build repeats the last one's counts, but made none.
            if !self.skipped {
                write!(f, " ({} made now)", s.pictures_made)?;
            }
            write!(f, ", ")?;
        }
        write!(
            f,
            "{} files in {} ms → {}",
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
    let mut cache = Cache::default();
    cache.images = picture_store(options, &output_folder(options));
    load_cached(options, &mut cache, None)
}

/// The output folder of `options`: `public/` in the site unless `--out`.
fn output_folder(options: &BuildOptions) -> PathBuf {
    options
        .output
        .clone()
        .unwrap_or_else(|| options.root.join("public"))
}

/// Where the pictures made for `output` are kept: in the build cache's
/// folder beside it, unless `--no-cache`.
pub fn picture_store(options: &BuildOptions, output: &Path) -> image::Store {
    image::Store::new((!options.no_cache).then(|| cache::folder(output).join("images")))
}

/// [`load`], reusing what `cache` holds from an earlier load (the preview),
/// and `theme` if it was loaded with the same config and no template or
/// theme file changed since.
pub fn load_cached(
    options: &BuildOptions,
    cache: &mut Cache,
    theme: Option<(Theme, u64)>,
) -> Result<Loaded> {
    let config = config(options)?;
    let theme = theme.filter(|(_, config_print)| *config_print == config_print_of(&config));
    match theme {
        Some((theme, _)) => {
            let loaded = Site::load(config, &selection(options), cache);
            let (site, errors) = loaded?;
            Ok(Loaded {
                site,
                theme,
                errors,
            })
        }
        None => load_with(config, &selection(options), cache),
    }
}

/// What a theme loaded for `config` depends on in it.
pub fn config_print_of(config: &Config) -> u64 {
    fingerprint(format!("{config:?}"))
}

/// What `options` include of the site now.
pub fn selection(options: &BuildOptions) -> Selection {
    selection_at(options, Utc::now())
}

/// What `options` include of the site at `now`.
fn selection_at(options: &BuildOptions, now: DateTime<Utc>) -> Selection {
    Selection {
        drafts: options.drafts,
        future: options.future,
        now: now.fixed_offset(),
    }
}

/// The site's config, with the options' `base_url`.
pub fn config(options: &BuildOptions) -> Result<Config> {
    let mut config = Config::load(&options.root)?;
    if let Some(url) = &options.base_url {
        config.set_base_url(url)?;
    }
    Ok(config)
}

fn load_with(config: Config, selection: &Selection, cache: &mut Cache) -> Result<Loaded> {
    let (theme, loaded) = rayon::join(
        || Theme::load(&config),
        || Site::load(config.clone(), selection, cache),
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
    ///
    /// The facts are moved out of `last`, not copied: after a success it
    /// has none left; after a failure it is as it was.
    pub fn render_changed<S: Sink>(
        &self,
        prepared: &Prepared<'_>,
        prints: Fingerprints,
        mut last: Option<&mut Built>,
        also: &[String],
        out: &S,
    ) -> Result<Changed> {
        let mut plan = prints.plan(last.as_deref().map(|last| &last.prints));
        let (rendered, mut facts) = match last.as_deref_mut() {
            None => (self.render_prepared(prepared, out)?, Facts::new()),
            Some(last) => {
                if !also.is_empty() {
                    let all: HashSet<&String> = prints.files().collect();
                    plan.write
                        .extend(also.iter().filter(|file| all.contains(file)).cloned());
                }
                recheck_links(&mut plan, &last.facts);
                let planned = Planned { out, plan: &plan };
                (
                    self.render_prepared(prepared, &planned)?,
                    std::mem::take(&mut last.facts),
                )
            }
        };
        // Files not rendered again keep what the audit found in them.
        let mut undo = Vec::new();
        for gone in &plan.remove {
            if let Some(was) = facts.remove(gone) {
                undo.push((gone.clone(), Some(was)));
            }
        }
        for (file, f) in rendered.facts {
            let was = facts.insert(file.clone(), f);
            undo.push((file, was));
        }
        match verdict(&facts, self.site.config.page_budget, prepared) {
            Ok(warnings) => Ok(Changed {
                plan,
                built: Built { prints, facts },
                stats: rendered.stats,
                warnings,
            }),
            Err(e) => {
                if let Some(last) = last {
                    for (file, was) in undo.into_iter().rev() {
                        match was {
                            Some(was) => facts.insert(file, was),
                            None => facts.remove(&file),
                        };
                    }
                    last.facts = facts;
                }
                Err(e)
            }
        }
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

/// The build cache's half about sources (see `output::cache`): valid
/// whatever the output folder holds, because every entry is checked
/// against its file's stamp. Rewritten only when many of its entries are
/// out of date, because it holds every source's text and HTML.
///
/// It is stored in [`SOURCE_SHARDS`] files, read and written in
/// parallel: this struct with the first share of the entries, then a
/// [`Cache`] with each other share.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Sources {
    /// Every source parsed and rendered, by stamp.
    cache: Cache,
    /// Each document's fingerprint when this was written, by source, to
    /// tell how many entries later builds had to make anew.
    documents: HashMap<String, u64>,
    /// Sources modified so shortly before or during the build that wrote
    /// this that their stamps prove nothing: every build reads them again.
    racy: Vec<PathBuf>,
}

/// The build cache's half about the output folder: valid only for the
/// output as that build left it, and rewritten by every build that
/// changes it. It is written in two parts: first the [`Head`], then what
/// the build made, the larger part, which only a build that goes on to
/// load the site decodes.
#[derive(Debug)]
struct Outputs {
    head: Head,
    built: Built,
}

/// What a build reads of the outputs' half before it knows whether it
/// has anything to do.
#[derive(Debug, Serialize, Deserialize)]
struct Head {
    /// What lets the next build see that nothing changed; None when that
    /// build could not have told.
    unchanged: Option<Unchanged>,
    /// How the output files looked when the build was done.
    written: Written,
}

impl Outputs {
    /// The outputs' half after a build that carried out `plan` over the
    /// output `written` describes (None: everything was written).
    fn after(
        built: Built,
        written: Option<Written>,
        output: &Path,
        plan: &Plan,
        unchanged: Option<Unchanged>,
    ) -> Outputs {
        let written = match written {
            Some(mut written) => {
                written.forget(&plan.remove);
                written.record(output, &plan.write);
                written
            }
            None => {
                let mut written = Written::default();
                written.record(output, built.prints.files().collect::<Vec<_>>());
                written
            }
        };
        // A file the build cannot vouch for is rendered by the next one.
        let unchanged = unchanged.filter(|_| written.covers(built.prints.files()));
        Outputs {
            head: Head { unchanged, written },
            built,
        }
    }

    fn write(&self, path: &Path, key: &cache::Key) -> Result<()> {
        cache::write_parts(path, key, &[&self.head, &self.built])
    }
}

/// How a build can tell, without loading anything, that it would make
/// exactly the output that the last one left: every file it reads is as
/// it was then ([`input_folders`], echt.yaml, echt itself and the options
/// are in the cache's key), no output file was changed since, and the
/// clock is still in the span in which the site looks the same.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Unchanged {
    /// `cache::stamp_files` of the input folders when the build started.
    inputs: u64,
    /// The build's clock: the site looks the same from then on ...
    from: DateTime<Utc>,
    /// ... until a source's date comes (a post becomes due, a document
    /// stops being in the future) or the year changes (copyright lines).
    until: DateTime<Utc>,
    /// What the build said.
    stats: Stats,
    warnings: Vec<Diagnostic>,
}

impl Unchanged {
    /// The record of a build that started at `from` with `inputs`, of a
    /// site that looks the same `until`; None when the inputs prove
    /// nothing.
    fn new(
        inputs: Option<u64>,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
        stats: Stats,
        warnings: &[Diagnostic],
    ) -> Option<Unchanged> {
        Some(Unchanged {
            inputs: inputs?,
            from,
            until,
            stats,
            warnings: warnings.to_vec(),
        })
    }

    /// Whether a build that starts at `now` with `inputs` would make what
    /// the build this describes made.
    fn holds(&self, inputs: Option<u64>, now: DateTime<Utc>) -> bool {
        inputs == Some(self.inputs) && self.from <= now && now < self.until
    }
}

/// The first moment after `now` at which a site whose sources have the
/// `dates` may look different by the clock alone: the next of those
/// dates, or the next new year (UTC, as the copyright year is taken).
fn same_site_until(
    now: DateTime<Utc>,
    dates: impl Iterator<Item = DateTime<FixedOffset>>,
) -> DateTime<Utc> {
    let new_year = Utc
        .with_ymd_and_hms(now.year().saturating_add(1), 1, 1, 0, 0, 0)
        .single()
        .unwrap_or(now);
    dates
        .map(|date| date.with_timezone(&Utc))
        .filter(|date| *date > now)
        .fold(new_year, DateTime::min)
}

/// The folders below the site root whose files a build reads, besides
/// echt.yaml: sources, copied files and templates.
fn input_folders(config: &Config) -> Vec<PathBuf> {
    let root = &config.root;
    vec![
        root.join(crate::source::content::CONTENT_DIR),
        root.join("static"),
        root.join("templates"),
        root.join("themes").join(&config.theme),
    ]
}

/// The outputs' half of the cache as a build reads it first: its head,
/// not yet checked, and the rest; with the output files that were changed
/// since it was written once they were looked for.
#[derive(Debug)]
struct Recalled {
    head: Head,
    rest: cache::Rest,
    altered: Option<Vec<String>>,
}

/// What a build learns from the head of the outputs' half.
#[derive(Debug)]
enum Recall {
    /// It has nothing to do (see [`Unchanged`]), and this is its report.
    Unchanged(Done),
    /// It loads the site, with what it read.
    Load(std::result::Result<Recalled, Miss>),
}

impl Recalled {
    /// Whether the last build's record may prove that a build that starts
    /// at `now` has nothing to do (the clock is in its span).
    fn may_hold(&self, now: DateTime<Utc>) -> bool {
        let unchanged = self.head.unchanged.as_ref();
        unchanged.is_some_and(|u| u.from <= now && now < u.until)
    }

    /// Whether a build that starts at `now` with `inputs` into `output`
    /// has anything to do.
    fn settle(mut self, inputs: Option<u64>, now: DateTime<Utc>, output: &Path) -> Recall {
        let Some(unchanged) = self.head.unchanged.as_ref() else {
            return Recall::Load(Ok(self));
        };
        if !unchanged.holds(inputs, now) {
            return Recall::Load(Ok(self));
        }
        // Only now is it worth looking at every output file.
        let altered = self.altered.insert(self.head.written.altered(output));
        if !altered.is_empty() {
            return Recall::Load(Ok(self));
        }
        let done = Done {
            stats: unchanged.stats,
            changed: Some(0),
            rendered: 0,
            skipped: true,
            warnings: unchanged.warnings.clone(),
        };
        // The record counts only in a file that is whole.
        match self.rest.check() {
            Ok(()) => Recall::Unchanged(done),
            Err(miss) => Recall::Load(Err(miss)),
        }
    }
}

/// The last build as the cache tells it, for a build that loads the site.
#[derive(Debug)]
struct Last {
    built: Built,
    written: Written,
    altered: Vec<String>,
}

/// The files of the build cache of one output folder.
#[derive(Debug)]
struct CacheFiles {
    /// `sources`, then `sources-1`, `sources-2`, …
    sources: Vec<PathBuf>,
    outputs: PathBuf,
}

/// How many files the sources' half is stored in (see [`Sources`]).
const SOURCE_SHARDS: usize = 4;

impl CacheFiles {
    fn of(output: &Path) -> CacheFiles {
        let folder = cache::folder(output);
        let sources = (0..SOURCE_SHARDS)
            .map(|i| match i {
                0 => folder.join("sources"),
                i => folder.join(format!("sources-{i}")),
            })
            .collect();
        CacheFiles {
            sources,
            outputs: folder.join("outputs"),
        }
    }

    /// The sources' half, read from its files in parallel; a miss if any
    /// of them is missing, damaged or from another build.
    fn read_sources(&self, key: &cache::Key) -> std::result::Result<Sources, Miss> {
        let (first, rest) = self.sources.split_first().ok_or(Miss::Missing)?;
        let (first, rest) = rayon::join(
            || cache::read::<Sources>(first, key),
            || {
                rest.par_iter()
                    .map(|path| cache::read::<Cache>(path, key))
                    .collect::<std::result::Result<Vec<Cache>, Miss>>()
            },
        );
        let mut sources = first?;
        let mut shards = rest?;
        shards.insert(0, std::mem::take(&mut sources.cache));
        sources.cache = Cache::join(shards);
        Ok(sources)
    }
}

/// How many documents may have changed since the sources' cache was
/// written before it is written anew: each of them is parsed and rendered
/// again by every build until then.
fn may_be_out_of_date(documents: usize) -> usize {
    32 + documents / 200
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
    let dirs: Vec<PathBuf> = ["content", "static", "themes"]
        .iter()
        .map(|dir| root.join(dir))
        .collect();
    cache::recent(
        &dirs,
        racy_since(started),
        &crate::source::content::is_ignored,
    )
}

fn racy_since(started: SystemTime) -> SystemTime {
    started.checked_sub(cache::RACY).unwrap_or(started)
}

/// The stamp of a file copied into the output: as the sources' cache
/// stamps it, but different in every build while the file's modification
/// time is too recent to prove anything (see `cache::RACY`), and once more
/// after.
fn copy_stamp(sources: &Cache, path: &Path, started: SystemTime) -> u64 {
    let stamp = sources.stamp(path);
    let racy = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .map_or(true, |t| t >= racy_since(started));
    if racy {
        fingerprint((stamp, started))
    } else {
        stamp
    }
}

/// Reads the head of the outputs' half of the cache for an output folder
/// a build left (`previous`).
fn recall_outputs(
    files: &CacheFiles,
    key: &cache::Key,
    previous: bool,
) -> std::result::Result<Recalled, Miss> {
    if !previous {
        return Err(Miss::Missing);
    }
    let (head, rest) = cache::read_first::<Head>(&files.outputs, key)?;
    Ok(Recalled {
        head,
        rest,
        altered: None,
    })
}

/// Reads the rest of what the build cache has for a build that loads the
/// site into `output`: the sources' half (unless `no_cache`), and what the
/// last build made, from what was `recalled`, with the output files
/// changed since; meanwhile `stamp`s the inputs. Says why a part is
/// damaged.
fn recall(
    files: &CacheFiles,
    key: &cache::Key,
    output: &Path,
    no_cache: bool,
    recalled: std::result::Result<Recalled, Miss>,
    stamp: impl FnOnce() -> cache::Stamps + Send,
    note: &mut Option<String>,
) -> (cache::Stamps, Option<Sources>, Option<Last>) {
    // The sources' half, the large one, is read on this thread: with
    // glibc, other threads allocate from arenas that grow in small steps,
    // one system call each, which made reading it twice as slow.
    let (inputs, sources, last) = std::thread::scope(|scope| {
        let inputs = scope.spawn(stamp);
        let last = scope.spawn(|| {
            let Recalled {
                head,
                rest,
                altered,
            } = recalled?;
            let built = rest.value()?;
            let altered = altered.unwrap_or_else(|| head.written.altered(output));
            Ok(Last {
                built,
                written: head.written,
                altered,
            })
        });
        let sources = if no_cache {
            Err(Miss::Missing)
        } else {
            files.read_sources(key)
        };
        let last = last
            .join()
            .unwrap_or_else(|_| Err(Miss::Damaged("unreadable".into())));
        let stamps = inputs.join().unwrap_or_default();
        (stamps, sources, last)
    });
    for miss in [sources.as_ref().err(), last.as_ref().err()] {
        if let Some(miss @ Miss::Damaged(_)) = miss {
            *note = Some(format!("{miss}; what it held was made anew"));
        }
    }
    (inputs, sources.ok(), last.ok())
}

/// Starts writing the sources' half of the cache anew if there is none or
/// too many of its entries are out of date (see [`may_be_out_of_date`]),
/// each of its files on a thread of its own. It takes `sources` along;
/// otherwise they are freed.
fn renew_sources(
    files: &CacheFiles,
    key: &cache::Key,
    sources: Cache,
    known: Option<Sources>,
    site: &Site,
    started: SystemTime,
) -> Option<Vec<cache::Pending>> {
    let documents = || site.posts.iter().chain(&site.pages);
    let out_of_date = known.as_ref().map_or(usize::MAX, |known| {
        documents()
            .filter(|doc| known.documents.get(&doc.source.rel) != Some(&doc.fingerprint))
            .count()
    });
    drop_later(known);
    if out_of_date <= may_be_out_of_date(site.posts.len() + site.pages.len()) {
        drop_later(sources);
        return None;
    }
    let documents: HashMap<String, u64> = documents()
        .map(|doc| (doc.source.rel.clone(), doc.fingerprint))
        .collect();
    let root = site.config.root.clone();
    let mut shards = sources.split(files.sources.len()).into_iter();
    let first = shards.next().unwrap_or_default();
    let mut pending = vec![cache::write_later(
        files.sources[0].clone(),
        key.clone(),
        move || Sources {
            cache: first,
            documents,
            racy: racy_sources(&root, started),
        },
    )];
    for (path, shard) in files.sources.iter().skip(1).zip(shards) {
        pending.push(cache::write_later(path.clone(), key.clone(), move || shard));
    }
    Some(pending)
}

/// Writes the build cache after a successful build: the sources' half if
/// it was `renewed`, and the outputs' half if the output changed. A cache
/// that cannot be written only makes the next build slower, so this says
/// so and goes on.
fn remember(
    files: &CacheFiles,
    key: &cache::Key,
    renewed: Option<Vec<cache::Pending>>,
    outputs: Option<&Outputs>,
) {
    let mut written: Vec<Result<()>> = renewed
        .into_iter()
        .flatten()
        .map(cache::Pending::commit)
        .collect();
    written.push(outputs.map_or(Ok(()), |o| o.write(&files.outputs, key)));
    for written in written {
        if let Err(e) = written {
            for d in &e.diagnostics {
                eprintln!("note: the build cache was not written: {}", d.message);
            }
        }
    }
}

/// Frees `value` on another thread: freeing a site of 10,000 posts takes
/// longer than an unchanged rebuild of it, and the process is about to
/// end anyway.
fn drop_later<T: Send + 'static>(value: T) {
    let spawned = std::thread::Builder::new().spawn(move || drop(value));
    // Without a thread, the value was dropped with the closure.
    let _ = spawned;
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
    let output = output_folder(options);
    let mut run = Run {
        options,
        // Before any source is looked at (see `racy_sources`).
        started: SystemTime::now(),
        shown: output
            .strip_prefix(&options.root)
            .map_or_else(|_| output.clone(), Path::to_path_buf),
        files: CacheFiles::of(&output),
        output,
        note: None,
    };
    let done = run.build().map_err(|e| {
        if e.footer.is_some() {
            return e;
        }
        let n = e.diagnostics.iter().filter(|d| d.is_error()).count();
        let found = if n == 1 {
            "1 error".to_string()
        } else {
            format!("{n} errors")
        };
        e.with_footer(format!(
            "error: {found}; the build failed; {} was left unchanged",
            run.output.display()
        ))
    })?;
    Ok(Report {
        stats: done.stats,
        changed: done.changed,
        rendered: done.rendered,
        skipped: done.skipped,
        elapsed: start.elapsed(),
        output: run.output,
        warnings: done.warnings,
        note: run.note,
    })
}

/// One `echt build`: where it writes, and its build cache.
struct Run<'a> {
    options: &'a BuildOptions,
    output: PathBuf,
    /// The output folder as messages show it.
    shown: PathBuf,
    files: CacheFiles,
    started: SystemTime,
    /// Why the cache could not be used, if that is worth a note.
    note: Option<String>,
}

/// What a build did, for its [`Report`].
#[derive(Debug)]
struct Done {
    stats: Stats,
    changed: Option<usize>,
    rendered: usize,
    skipped: bool,
    warnings: Vec<Diagnostic>,
}

impl Run<'_> {
    fn build(&mut self) -> Result<Done> {
        let options = self.options;
        let output = &self.output;
        check_output_dir(&options.root, output)?;
        let config = config(options)?;
        let key = cache_key(&config, options, &self.shown);
        let previous = Update::previous_build(output)?;
        let now = DateTime::<Utc>::from(self.started);
        // The inputs are stamped before any of them is read (see
        // `Unchanged`): right away if the last build's record may prove
        // that there is nothing to do, else while the cache is read.
        let folders = input_folders(&config);
        let stamp = || {
            let skip = &crate::source::content::is_ignored;
            cache::stamp_files(&folders, racy_since(self.started), skip)
        };
        let recalled = recall_outputs(&self.files, &key, previous && !options.no_cache);
        let (stamped, recalled) = match recalled {
            Ok(recalled) if recalled.may_hold(now) => {
                let stamps = stamp();
                match recalled.settle(stamps.print, now, output) {
                    Recall::Unchanged(done) => return Ok(done),
                    Recall::Load(recalled) => (Some(stamps), recalled),
                }
            }
            recalled => (None, recalled),
        };
        let (stamps, mut known, last) = recall(
            &self.files,
            &key,
            output,
            options.no_cache,
            recalled,
            || stamped.unwrap_or_else(stamp),
            &mut self.note,
        );
        let mut sources = Cache::default();
        if let Some(known) = &mut known {
            sources = std::mem::take(&mut known.cache);
            sources.touch(&known.racy);
        }
        // The sources are not stamped a second time.
        let inputs = stamps.print;
        sources.stamped(stamps.files);
        sources.images = picture_store(options, output);
        let loaded = load_with(config, &selection_at(options, now), &mut sources)?;
        let render = RenderOptions {
            year: now.year(),
            preview: false,
        };
        let prepared = Prepared::new(&loaded.site, &loaded.theme, &render).shown_as(&self.shown);
        let started = self.started;
        let prints = prepared.fingerprints(&|path| copy_stamp(&sources, path, started));
        let until = same_site_until(now, sources.dates());
        let unchanged = |stats: Stats, warnings: &[Diagnostic]| {
            Unchanged::new(inputs, now, until, stats, warnings)
        };
        let renewed = renew_sources(&self.files, &key, sources, known, &loaded.site, started);

        // Nothing reaches the output folder unless the whole build is fine.
        if !previous {
            let staging = Staging::new(output)?;
            let done = loaded.render_changed(&prepared, prints, None, &[], &staging)?;
            // What the cache knew of an output folder that was removed.
            cache::discard(&self.files.outputs)?;
            staging.commit()?;
            drop(prepared);
            let rendered = done.built.prints.len();
            let unchanged = unchanged(done.stats, &done.warnings);
            let outputs = Outputs::after(done.built, None, output, &done.plan, unchanged);
            remember(&self.files, &key, renewed, Some(&outputs));
            drop_later((loaded, outputs));
            return Ok(Done {
                stats: done.stats,
                changed: None,
                rendered,
                skipped: false,
                warnings: done.warnings,
            });
        }
        let (mut last, also) = match last {
            Some(last) => {
                let also = last.written.unknown(prints.files(), last.altered.clone());
                (Some(last), also)
            }
            None => (None, Vec::new()),
        };
        let compare = Update::compare(output);
        let built = last.as_mut().map(|l| &mut l.built);
        let done = loaded.render_changed(&prepared, prints, built, &also, &compare)?;
        let changes = compare.changes();
        let unchanged_output = done.plan.is_empty() && changes.changed() == 0;
        let last = match last {
            Some(last) if unchanged_output => {
                // The cache describes the output as it is; it is written anew
                // only to let the next build see that nothing changed (this
                // one could not, or it would not have got here).
                drop(prepared);
                let outputs = unchanged(done.stats, &done.warnings).map(|unchanged| Outputs {
                    head: Head {
                        unchanged: Some(unchanged),
                        written: last.written,
                    },
                    built: done.built,
                });
                remember(&self.files, &key, renewed, outputs.as_ref());
                drop_later((loaded, outputs));
                return Ok(Done {
                    stats: done.stats,
                    changed: Some(0),
                    rendered: 0,
                    skipped: false,
                    warnings: done.warnings,
                });
            }
            last => last,
        };
        // Until the output is as this build wants it, the cache knows
        // nothing about it.
        cache::discard(&self.files.outputs)?;
        let part_way = |e: Vec<Diagnostic>| {
            Error::new(e).with_footer(format!(
                "error: writing {} failed part way; fix the problem and build again",
                output.display()
            ))
        };
        // Stale files go first: a path may turn from a file into a folder.
        let removed = match last {
            Some(_) => cache::remove_files(output, &done.plan.remove)?,
            None => changes.remove_stale(output)?,
        };
        changes
            .write_kept(output)
            .map_err(|e| part_way(e.diagnostics))?;
        if changes.needs_second_pass() {
            let redone = prepared.render(&Update::redo(output, &changes));
            if !redone.errors.is_empty() {
                return Err(part_way(redone.errors));
            }
        }
        drop(prepared);
        let rendered = match last {
            Some(_) => done.plan.write.len(),
            None => done.built.prints.len(),
        };
        let unchanged = unchanged(done.stats, &done.warnings);
        let written = last.map(|l| l.written);
        let outputs = Outputs::after(done.built, written, output, &done.plan, unchanged);
        remember(&self.files, &key, renewed, Some(&outputs));
        drop_later((loaded, outputs));
        Ok(Done {
            stats: done.stats,
            changed: Some(changes.changed() + removed),
            rendered,
            skipped: false,
            warnings: done.warnings,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(text).expect("a date")
    }

    #[test]
    fn a_site_looks_the_same_until_its_next_date_or_the_new_year() {
        let now = at("2025-06-01T12:00:00+00:00").with_timezone(&Utc);
        let new_year = at("2026-01-01T00:00:00+00:00").with_timezone(&Utc);
        assert_eq!(same_site_until(now, std::iter::empty()), new_year);
        let dates = [
            at("2025-05-01T00:00:00+00:00"),
            at("2025-06-01T12:00:00+00:00"),
            at("2025-09-01T08:00:00+02:00"),
            at("2025-07-01T00:00:00-05:00"),
            at("2027-01-01T00:00:00+00:00"),
        ];
        // Dates that have come are published already.
        assert_eq!(
            same_site_until(now, dates.into_iter()),
            at("2025-07-01T05:00:00+00:00").with_timezone(&Utc)
        );
    }

    #[test]
    fn a_record_holds_for_the_same_inputs_within_its_span() {
        let from = at("2025-06-01T12:00:00+00:00").with_timezone(&Utc);
        let until = at("2025-06-02T00:00:00+00:00").with_timezone(&Utc);
        let record = Unchanged::new(Some(7), from, until, Stats::default(), &[]);
        let Some(record) = record else {
            panic!("inputs that prove something make a record");
        };
        assert!(record.holds(Some(7), from));
        assert!(record.holds(Some(7), until - chrono::Duration::seconds(1)));
        assert!(!record.holds(Some(7), until), "a post became due");
        assert!(
            !record.holds(Some(7), from - chrono::Duration::seconds(1)),
            "the clock went back"
        );
        assert!(!record.holds(Some(8), from), "an input changed");
        assert!(!record.holds(None, from), "an input is too recent");
        assert!(Unchanged::new(None, from, until, Stats::default(), &[]).is_none());
    }
}
