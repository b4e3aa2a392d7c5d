//! `echt serve`: the local preview while the author writes.
//!
//! Builds the site into memory (never into `public/`), serves it on
//! loopback, watches the sources and rebuilds after every save, then tells
//! open pages over Server-Sent Events to reload. Drafts and future posts
//! are shown by default, marked as such. The pieces: [`http`] (which file a
//! request may see), [`store`] (the in-memory site), [`server`] (sockets and
//! the event stream) and [`watch`] (file events to batches).
//!
//! A rebuild reads, parses and renders only the sources a save touched
//! (`site::Cache`) and renders only the output files whose fingerprints
//! changed (`plan`); the rest of the last good snapshot is carried over.
//! When a save touched nothing but files in `content/` that were there
//! before, `content/` is not walked again, only the touched files are
//! stamped, and the theme is kept. The new snapshot is published before
//! the last one is freed.

#[cfg(test)]
mod rebuilds;

pub mod http;
pub mod server;
pub mod store;
pub mod watch;

use std::collections::HashSet;
use std::net::{IpAddr, TcpListener};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use chrono::{Datelike, Utc};
use notify::Watcher;

use crate::cmd::build::{self, BuildOptions, Built, Loaded};
use crate::output::plan::{Fingerprints, Plan};
use crate::render::theme::Theme;
use crate::render::{Layout, Prepared, RenderOptions};
use crate::site::{Cache, DocumentAt, Site};
use crate::source::content::CONTENT_DIR;
use crate::util::error::{Diagnostic, Error, Result};
use server::{Change, Failure, State};
use store::{MemorySink, Snapshot};
use watch::Batch;

/// The `echt serve` options.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
    /// Show drafts and future posts (the default).
    pub drafts: bool,
    /// Open the preview in the default browser once it is ready.
    pub open: bool,
}

/// Builds the site into memory again and again, each time rendering only
/// the files whose fingerprints changed since the last good build (see
/// `plan`) and carrying the rest over from that build.
#[derive(Debug, Default)]
pub struct Rebuilder {
    /// Parsed and rendered sources.
    cache: Cache,
    /// The theme of the last load; kept while only `content/` changes.
    theme: Option<KeptTheme>,
    last: Option<LastGood>,
    /// The model of the last good build, to find the pages of files that
    /// break later, and to patch (see `site::Site::patch`).
    site: Option<Site>,
    /// Whether the last rebuild was good: then `cache` describes `site`.
    patchable: bool,
}

/// A theme, with the fingerprint of the config it was loaded for.
type KeptTheme = (Theme, u64);

/// The last good build.
#[derive(Debug)]
struct LastGood {
    snapshot: Arc<Snapshot>,
    /// Its fingerprints and what the audit learned about each file.
    built: Built,
    /// The fingerprint of what all its pages share.
    shared: u64,
    /// Its files and their owners.
    layout: Arc<Layout>,
}

/// The outcome of a good rebuild.
#[derive(Debug)]
pub struct Rebuilt {
    pub snapshot: Arc<Snapshot>,
    /// What changed since the last good build.
    pub plan: Plan,
    /// Files the site has in all.
    pub files: usize,
    /// The audit's warnings and notes about the whole site.
    pub warnings: Vec<Diagnostic>,
    /// Whether the last good site was patched rather than loaded again
    /// (see `site::Site::patch`).
    pub patched: bool,
}

impl Rebuilder {
    /// Rebuilds after the changes of `batch`. On failure the last good
    /// build stays the base for the next attempt.
    pub fn rebuild(&mut self, options: &BuildOptions, batch: &Batch) -> Result<Rebuilt> {
        self.rebuild_then(options, batch, |_| {})
    }

    /// [`Rebuilder::rebuild`], calling `publish` with the new build before
    /// anything of the last one is freed (which takes a while for a large
    /// site).
    pub fn rebuild_then(
        &mut self,
        options: &BuildOptions,
        batch: &Batch,
        publish: impl FnOnce(&Rebuilt),
    ) -> Result<Rebuilt> {
        let patchable = std::mem::take(&mut self.patchable);
        if batch.lost {
            self.cache.forget_walk();
        }
        self.cache.touch(&batch.paths);
        // The theme is made of templates, theme files and echt.yaml.
        let theme = self.theme.take().filter(|_| {
            !batch.lost && batch.only_below(&options.root, &options.root.join(CONTENT_DIR))
        });
        let edited = match &theme {
            Some((_, config)) if patchable => self.patch(options, *config),
            _ => None,
        };
        match (edited, theme, self.site.take()) {
            (Some(edited), Some((theme, _)), Some(site)) => {
                let errors = Vec::new();
                let loaded = Loaded {
                    site,
                    theme,
                    errors,
                };
                self.render(loaded, Some(&edited), publish)
            }
            (_, theme, site) => {
                self.site = site;
                self.load_and_render(options, theme, publish)
            }
        }
    }

    /// Loads the site (reusing what the cache holds) and renders it.
    fn load_and_render(
        &mut self,
        options: &BuildOptions,
        theme: Option<KeptTheme>,
        publish: impl FnOnce(&Rebuilt),
    ) -> Result<Rebuilt> {
        if self.cache.images.dir.is_none() {
            // The preview shares the pictures `echt build` made.
            let public = options.root.join("public");
            let building = BuildOptions {
                no_cache: false,
                ..options.clone()
            };
            self.cache.images = build::picture_store(&building, &public);
        }
        let loaded = build::load_cached(options, &mut self.cache, theme)?;
        self.render(loaded, None, publish)
    }

    /// Patches the last good site with the edits since (see
    /// `site::Site::patch`) if its config, whose fingerprint is `config`,
    /// did not change; returns the documents edited.
    fn patch(&mut self, options: &BuildOptions, config: u64) -> Option<Vec<DocumentAt>> {
        let site = self.site.as_mut()?;
        let now = build::config(options).ok()?;
        if build::config_print_of(&now) != config || build::config_print_of(&site.config) != config
        {
            return None;
        }
        site.patch(&build::selection(options), &mut self.cache)
    }

    /// Renders `loaded` (whose `edited` documents alone changed, if it
    /// was patched) and keeps it for the next rebuild.
    fn render(
        &mut self,
        loaded: Loaded,
        edited: Option<&[DocumentAt]>,
        publish: impl FnOnce(&Rebuilt),
    ) -> Result<Rebuilt> {
        let rendered = render(&self.cache, self.last.as_mut(), &loaded, edited, publish);
        let config = build::config_print_of(&loaded.site.config);
        let Loaded { site, theme, .. } = loaded;
        self.theme = Some((theme, config));
        // After a failed load, the pages of the last good site show its
        // errors; a patched site is that site.
        if rendered.is_ok() || edited.is_some() {
            self.site = Some(site);
        }
        let (rendered, last) = rendered?;
        self.last = Some(last);
        self.patchable = true;
        Ok(rendered)
    }

    /// How the preview shows a failed build: in place of the pages of the
    /// broken sources, or of every page when a problem is not in content/.
    pub fn failure(&self, error: &Error) -> Failure {
        let in_content = error
            .diagnostics
            .iter()
            .all(|d| d.path.starts_with(crate::source::content::CONTENT_DIR));
        let pages = in_content.then(|| {
            let Some(site) = &self.site else {
                return HashSet::new();
            };
            site.posts
                .iter()
                .chain(&site.pages)
                .filter(|doc| {
                    let path = doc.source.display_path();
                    error.diagnostics.iter().any(|d| d.path == path)
                })
                .map(|doc| crate::render::page_file(doc.path.clone()))
                .collect()
        });
        Failure {
            report: error.to_string(),
            pages,
        }
    }
}

/// Renders what changed since the `last` good build into a new snapshot,
/// and has it published before the rendering's own data is freed. When
/// only the `edited` documents changed (see `site::Site::patch`), only the
/// fingerprints that can have changed are taken anew.
fn render(
    cache: &Cache,
    last: Option<&mut LastGood>,
    loaded: &Loaded,
    edited: Option<&[DocumentAt]>,
    publish: impl FnOnce(&Rebuilt),
) -> Result<(Rebuilt, LastGood)> {
    let render = RenderOptions {
        year: Utc::now().year(),
        preview: true,
    };
    let (site, theme) = (&loaded.site, &loaded.theme);
    let prepared = match (edited, last.as_deref()) {
        (Some(_), Some(last)) => Prepared::with_layout(site, theme, last.layout.clone(), &render),
        _ => Prepared::new(site, theme, &render),
    };
    let stamp = |path: &std::path::Path| cache.stamp(path);
    let shared = prepared.shared_print();
    let patched = match (edited, last.as_deref()) {
        (Some(edited), Some(last)) if last.shared == shared => {
            patched_prints(&prepared, &last.built.prints, edited, &stamp)
        }
        _ => None,
    };
    let prints = patched.unwrap_or_else(|| prepared.fingerprints(&stamp));
    let (sink, last) = match last {
        Some(last) => (
            MemorySink::from(last.snapshot.as_ref()),
            Some(&mut last.built),
        ),
        None => (MemorySink::default(), None),
    };
    let done = loaded.render_changed(&prepared, prints, last, &[], &sink)?;
    let mut snapshot = sink.into_snapshot();
    snapshot.remove(&done.plan.remove);
    let files = done.built.prints.len();
    let rebuilt = Rebuilt {
        snapshot: Arc::new(snapshot),
        plan: done.plan,
        files,
        warnings: done.warnings,
        patched: edited.is_some(),
    };
    publish(&rebuilt);
    let last = LastGood {
        snapshot: rebuilt.snapshot.clone(),
        built: done.built,
        shared,
        layout: prepared.layout(),
    };
    Ok((rebuilt, last))
}

/// The fingerprints of a patched site: those of the `last` build, with the
/// ones that can have changed taken anew; None if the site does not have
/// the same files.
fn patched_prints(
    prepared: &Prepared<'_>,
    last: &Fingerprints,
    edited: &[DocumentAt],
    stamp: &(dyn Fn(&std::path::Path) -> u64 + Sync),
) -> Option<Fingerprints> {
    if prepared.file_count() != last.len() {
        return None;
    }
    let mut prints = last.clone();
    for (file, print) in prepared.fingerprints_after_patch(edited, stamp) {
        if !prints.replace(file, print) {
            return None;
        }
    }
    // Every test that patches checks the patch against the whole.
    debug_assert_eq!(
        prints,
        prepared.fingerprints(stamp),
        "a patch missed a change"
    );
    Some(prints)
}

/// A running preview: its address and its state.
#[derive(Debug)]
pub struct Preview {
    pub url: String,
    pub state: Arc<State>,
    build: BuildOptions,
    rebuilder: Mutex<Rebuilder>,
    /// The warnings last printed, so a rebuild repeats them only when
    /// they change.
    warned: Mutex<Vec<Diagnostic>>,
}

impl Preview {
    /// Binds the port and makes the first build (errors are shown in pages).
    pub fn start(options: &ServeOptions) -> Result<(Preview, TcpListener)> {
        let listener = TcpListener::bind((options.bind, options.port)).map_err(|e| {
            Error::from(
                Diagnostic::file(
                    format!("{}:{}", options.bind, options.port),
                    format!("cannot listen: {e}"),
                )
                .hint("is another preview running? choose another port with --port"),
            )
        })?;
        let address = listener
            .local_addr()
            .map_err(|e| Error::from(Diagnostic::file("socket", e.to_string())))?;
        let url = match address.ip() {
            IpAddr::V6(ip) => format!("http://[{ip}]:{}/", address.port()),
            IpAddr::V4(ip) => format!("http://{ip}:{}/", address.port()),
        };
        // The watcher reports absolute paths; so must the sources' paths be.
        let root = std::fs::canonicalize(&options.root).map_err(|e| {
            Error::from(Diagnostic::file(
                &options.root,
                crate::util::error::io_message(&e),
            ))
        })?;
        let build = BuildOptions {
            root,
            output: None,
            drafts: options.drafts,
            future: options.drafts,
            base_url: Some(url.clone()),
            no_cache: true,
        };
        let preview = Preview {
            url,
            state: Arc::new(State::default()),
            build,
            rebuilder: Mutex::new(Rebuilder::default()),
            warned: Mutex::default(),
        };
        preview.rebuild(&Batch::default());
        Ok((preview, listener))
    }

    /// Rebuilds after the changes of `batch`, and publishes; on failure
    /// keeps the last good site and shows the errors. Returns a line for
    /// the terminal.
    pub fn rebuild(&self, batch: &Batch) -> String {
        let start = Instant::now();
        let mut rebuilder = self
            .rebuilder
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut published = start.elapsed();
        let publish = |rebuilt: &Rebuilt| {
            let change = if rebuilt.plan.is_empty() {
                Change::Nothing
            } else if rebuilt.plan.only_stylesheets() {
                Change::Css
            } else {
                Change::Page
            };
            self.state.publish(rebuilt.snapshot.clone(), change);
            published = start.elapsed();
        };
        // A bug in echt must not end the preview: the last good site stays
        // and the next save starts afresh.
        let attempt = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            rebuilder.rebuild_then(&self.build, batch, publish)
        }));
        let outcome = attempt.unwrap_or_else(|panic| {
            *rebuilder = Rebuilder::default();
            let why = panic
                .downcast_ref::<&str>()
                .map(ToString::to_string)
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(Error::from(
                Diagnostic::file(
                    &self.build.root,
                    format!("echt failed inside while rebuilding: {why}"),
                )
                .hint("this is a bug in echt; the preview keeps the last good site"),
            ))
        });
        match outcome {
            Ok(rebuilt) => {
                let written = rebuilt.plan.write.len() + rebuilt.plan.remove.len();
                let mut warned = self
                    .warned
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                if *warned != rebuilt.warnings {
                    for warning in &rebuilt.warnings {
                        eprint!("{warning}");
                    }
                    *warned = rebuilt.warnings;
                }
                format!(
                    "echt: rebuilt in {} ms ({written} of {} files changed)",
                    published.as_millis(),
                    rebuilt.files
                )
            }
            Err(e) => {
                eprint!("{e}");
                self.state.fail(rebuilder.failure(&e));
                format!(
                    "echt: the build failed after {} ms",
                    start.elapsed().as_millis()
                )
            }
        }
    }

    /// Starts watching the sources; [`Watching::run`] then rebuilds after
    /// every burst of changes. Watching starts before the preview is
    /// announced, so no save after the announcement is missed.
    pub fn watch(&self) -> Result<Watching<'_>> {
        let (tx, rx) = std::sync::mpsc::channel();
        let mut watcher = notify::recommended_watcher(tx).map_err(|e| {
            Error::from(Diagnostic::file(
                &self.build.root,
                format!("cannot watch: {e}"),
            ))
        })?;
        let mut watching = std::collections::HashSet::new();
        for (path, recursive) in watch::watched_paths(&self.build.root) {
            let mode = if recursive {
                notify::RecursiveMode::Recursive
            } else {
                notify::RecursiveMode::NonRecursive
            };
            watcher
                .watch(&path, mode)
                .map_err(|e| Error::from(Diagnostic::file(&path, format!("cannot watch: {e}"))))?;
            watching.insert(path);
        }
        Ok(Watching {
            preview: self,
            watcher,
            events: rx,
            watching,
        })
    }
}

/// A preview whose sources are being watched.
pub struct Watching<'p> {
    preview: &'p Preview,
    watcher: notify::RecommendedWatcher,
    events: std::sync::mpsc::Receiver<notify::Result<notify::Event>>,
    watching: std::collections::HashSet<PathBuf>,
}

impl std::fmt::Debug for Watching<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watching")
            .field("watching", &self.watching)
            .finish_non_exhaustive()
    }
}

impl Watching<'_> {
    /// Rebuilds after every burst of changes, until the watcher stops.
    pub fn run(mut self) {
        let root = self.preview.build.root.clone();
        while let Some(batch) = watch::next_batch(&root, &self.events) {
            if !batch.matters(&root) {
                continue;
            }
            // A folder created after start (static/, templates/) is watched
            // too; watching a folder again would drop events meanwhile. A
            // deleted folder lost its watch; once created again, it gets a
            // new one (and this rebuild reads what is already in it).
            self.watching.retain(|path| path.exists());
            for (path, recursive) in watch::watched_paths(&root) {
                if recursive
                    && !self.watching.contains(&path)
                    && self
                        .watcher
                        .watch(&path, notify::RecursiveMode::Recursive)
                        .is_ok()
                {
                    self.watching.insert(path);
                }
            }
            say(&self.preview.rebuild(&batch));
        }
    }
}

/// `echt serve`: start, serve, watch.
pub fn serve(options: &ServeOptions) -> Result<()> {
    if !options.bind.is_loopback() {
        eprintln!(
            "warning: serving on {}: other machines on the network can read your drafts",
            options.bind
        );
    }
    let (preview, listener) = Preview::start(options)?;
    let state = preview.state.clone();
    std::thread::Builder::new()
        .name("echt-server".into())
        .spawn(move || server::run(listener, state))
        .map_err(|e| Error::from(Diagnostic::file("thread", e.to_string())))?;
    let watching = preview.watch()?;
    say(&format!(
        "echt: previewing {} at {}",
        options.root.display(),
        preview.url
    ));
    if options.open {
        open_browser(&preview.url);
    }
    watching.run();
    Ok(())
}

/// Asks the desktop to open `url`; a machine without one just says so.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    let started = std::process::Command::new(opener)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if started.is_err() {
        eprintln!("echt: could not start {opener}; open {url} yourself");
    }
}

/// Prints a status line; a closed terminal must not stop the server.
fn say(line: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}
