//! Fetching a blog's own files over the network, for an import that is
//! told to (`echt import wordpress … --download`).
//!
//! An imported post must not load its images from the old blog: that would
//! be a third-party load on every page view, and the pictures would vanish
//! with the old host. So media are made local, never hot-linked. The old
//! host is the only one this module contacts: every address, and every hop
//! of a redirect (followed here, one at a time, never by the HTTP client),
//! is checked against the hosts the caller names before a request is made;
//! anything else is refused without a connection.
//!
//! It knows nothing of WordPress: it takes a list of addresses and the
//! relative paths to store them under, and answers one [`Outcome`] each. A
//! fixed pool of threads works through the list, each file has one time
//! budget (connecting, redirects, body) and a size limit, and the body goes
//! straight to disk. A download is written to `<path>.part` and renamed
//! only when complete, so a file under its real name is always whole: the
//! next run skips it without a request and fetches everything else again.

use std::collections::HashMap;
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use ureq::Agent;
use url::Url;

/// Redirects followed for one file before giving up.
pub const MAX_REDIRECTS: usize = 5;

/// What a download is called until it is complete.
const PART: &str = ".part";

const USER_AGENT: &str = concat!("echt/", env!("CARGO_PKG_VERSION"), " import");

/// One file to fetch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetch {
    /// An `http` or `https` address on one of [`Options::hosts`].
    pub url: String,
    /// Where to store it: a relative path under [`Options::dir`] with `/`
    /// between its parts (`2026/04/beet.jpg`); absolute paths, `..`, `.`
    /// and names ending in `.part` are refused.
    pub to: String,
}

/// How to fetch.
#[derive(Debug, Clone)]
pub struct Options {
    /// The folder the files are stored in (created as needed).
    pub dir: PathBuf,
    /// The only hosts contacted, e.g. `garten.example.org` (any port; case
    /// and international names are normalised as in a URL).
    pub hosts: Vec<String>,
    /// For each file, the whole exchange: connecting, redirects, body.
    pub timeout: Duration,
    /// Files fetched at once (0 counts as 1).
    pub threads: usize,
    /// The largest file accepted, in bytes (after any content decoding).
    pub max_bytes: u64,
}

/// What became of one [`Fetch`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Downloaded and stored under its path.
    Fetched { bytes: u64 },
    /// A file was already stored under its path (by an earlier run); no
    /// request was made.
    AlreadyThere,
    /// The host says the file does not exist (404, 410).
    Missing { status: u16 },
    /// Not attempted or given up for a reason of policy: another host, a
    /// redirect off the allowed hosts, not http(s), a path outside the
    /// folder, a file larger than the limit.
    Refused(String),
    /// Attempted and failed: timeout, refused connection, a server error, a
    /// connection closed early, a file that could not be written.
    Failed(String),
}

/// Fetches every file that is not already in [`Options::dir`], in parallel;
/// returns the outcomes in the order of `list`.
///
/// Entries with the same `to` (the same file) are fetched once and share
/// the outcome; the same `to` with another `url` is refused. `progress` is
/// called on the calling thread with (entries done, `list.len()`): once
/// before the first request, then as each file finishes.
///
/// Requests go through the proxy named by the usual environment variables
/// (`HTTPS_PROXY`, `NO_PROXY`, …), as ureq does by default; the proxy is
/// the user's own way out, and it is asked only for the allowed hosts.
pub fn fetch_all(
    list: &[Fetch],
    options: &Options,
    progress: &dyn Fn(usize, usize),
) -> Vec<Outcome> {
    fetch_all_via(list, options, ureq::Proxy::try_from_env(), progress)
}

/// [`fetch_all`] through the given proxy, or directly with `None`.
fn fetch_all_via(
    list: &[Fetch],
    options: &Options,
    proxy: Option<ureq::Proxy>,
    progress: &dyn Fn(usize, usize),
) -> Vec<Outcome> {
    let hosts = Hosts::new(&options.hosts);
    let plans = plan(list, options, &hosts);
    let mut jobs: Vec<&Job> = Vec::new();
    let mut weight: Vec<usize> = Vec::new();
    let mut job_of_entry: Vec<Option<usize>> = vec![None; list.len()];
    let mut done = 0;
    for (entry, plan) in plans.iter().enumerate() {
        match plan {
            Plan::Decided(_) => done += 1,
            Plan::Job(job) => {
                job_of_entry[entry] = Some(jobs.len());
                jobs.push(job);
                weight.push(1);
            }
            Plan::Same(first) => {
                if let Some(Some(job)) = job_of_entry.get(*first).copied() {
                    job_of_entry[entry] = Some(job);
                    weight[job] += 1;
                } else {
                    done += 1;
                }
            }
        }
    }
    progress(done, list.len());

    let answers = run(&jobs, options, &hosts, proxy, |job| {
        done += weight[job];
        progress(done, list.len());
    });

    let mut outcomes: Vec<Outcome> = Vec::with_capacity(list.len());
    for (entry, plan) in plans.into_iter().enumerate() {
        let outcome = match (plan, job_of_entry[entry]) {
            (Plan::Decided(outcome), _) => outcome,
            (_, Some(job)) => answers[job].clone(),
            // A copy of an entry that was decided without a job.
            (Plan::Same(first), None) => outcomes[first].clone(),
            (Plan::Job(_), None) => Outcome::Failed("not attempted".to_string()),
        };
        outcomes.push(outcome);
    }
    outcomes
}

/// A file to request: the checked address, where it goes.
#[derive(Debug)]
struct Job {
    url: Url,
    path: PathBuf,
    part: PathBuf,
}

/// What to do with one entry of the list.
#[derive(Debug)]
enum Plan {
    /// Decided without the network.
    Decided(Outcome),
    /// To be fetched.
    Job(Job),
    /// The same file as the entry at this earlier index.
    Same(usize),
}

/// Decides what can be decided without the network, in list order.
fn plan(list: &[Fetch], options: &Options, hosts: &Hosts) -> Vec<Plan> {
    let mut first_of: HashMap<PathBuf, usize> = HashMap::new();
    list.iter()
        .enumerate()
        .map(|(entry, fetch)| {
            let relative = match relative_path(&fetch.to) {
                Ok(relative) => relative,
                Err(refused) => return Plan::Decided(refused),
            };
            if let Some(&first) = first_of.get(&relative) {
                return if list[first].url == fetch.url {
                    Plan::Same(first)
                } else {
                    Plan::Decided(Outcome::Refused(format!(
                        "{} is already fetched from {}",
                        fetch.to, list[first].url
                    )))
                };
            }
            first_of.insert(relative.clone(), entry);
            let url = match hosts.check(&fetch.url) {
                Ok(url) => url,
                Err(refused) => return Plan::Decided(refused),
            };
            let path = options.dir.join(&relative);
            if path.is_file() {
                return Plan::Decided(Outcome::AlreadyThere);
            }
            let mut part = path.clone().into_os_string();
            part.push(PART);
            Plan::Job(Job {
                url,
                path,
                part: part.into(),
            })
        })
        .collect()
}

/// `to` as a path of plain names, or why it is refused.
fn relative_path(to: &str) -> Result<PathBuf, Outcome> {
    let refuse = |why: &str| Outcome::Refused(format!("{to:?} {why}"));
    if to.is_empty() {
        return Err(refuse("is no file name"));
    }
    if to.ends_with('/') {
        return Err(refuse("names a folder"));
    }
    if to.ends_with(PART) {
        return Err(refuse("ends in .part, which marks unfinished downloads"));
    }
    let mut path = PathBuf::new();
    for component in Path::new(to).components() {
        match component {
            Component::Normal(name) => path.push(name),
            _ => return Err(refuse("is not a plain relative path")),
        }
    }
    // `components` drops a `.` in the middle silently; refuse it too.
    if to.split('/').any(|part| part == ".") {
        return Err(refuse("is not a plain relative path"));
    }
    Ok(path)
}

/// The hosts that may be contacted.
#[derive(Debug)]
struct Hosts(Vec<String>);

impl Hosts {
    fn new(hosts: &[String]) -> Hosts {
        let normal = hosts
            .iter()
            .filter_map(|host| {
                let host = host.trim().trim_end_matches('.');
                // Lower case, punycode, IP addresses as a URL writes them.
                let url = Url::parse(&format!("http://{host}/")).ok()?;
                (url.port().is_none() && url.path() == "/")
                    .then(|| url.host_str().map(str::to_string))
                    .flatten()
            })
            .collect();
        Hosts(normal)
    }

    /// `url` parsed, if it is http(s) on an allowed host.
    fn check(&self, url: &str) -> Result<Url, Outcome> {
        let parsed =
            Url::parse(url).map_err(|e| Outcome::Refused(format!("invalid address {url}: {e}")))?;
        self.check_url(parsed)
    }

    fn check_url(&self, url: Url) -> Result<Url, Outcome> {
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Outcome::Refused(format!("not an http(s) address: {url}")));
        }
        let host = url.host_str().unwrap_or_default();
        let host = host.trim_end_matches('.');
        if !self.0.iter().any(|allowed| allowed == host) {
            return Err(Outcome::Refused(format!(
                "{url} is on {host}, not on the blog's own host"
            )));
        }
        Ok(url)
    }
}

/// Fetches the jobs with a pool of threads; `finished` is called on this
/// thread with each job's index as it finishes. Answers in job order.
fn run(
    jobs: &[&Job],
    options: &Options,
    hosts: &Hosts,
    proxy: Option<ureq::Proxy>,
    mut finished: impl FnMut(usize),
) -> Vec<Outcome> {
    let mut answers: Vec<Option<Outcome>> = vec![None; jobs.len()];
    let workers = options.threads.max(1).min(jobs.len());
    if workers == 0 {
        return Vec::new();
    }
    let agent = agent(options.timeout, proxy);
    let next = AtomicUsize::new(0);
    thread::scope(|scope| {
        let (sender, receiver) = mpsc::channel();
        for _ in 0..workers {
            let sender = sender.clone();
            let (agent, next) = (&agent, &next);
            scope.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(job) = jobs.get(i) else { break };
                let outcome = fetch_one(agent, hosts, job, options);
                if sender.send((i, outcome)).is_err() {
                    break;
                }
            });
        }
        drop(sender);
        for (i, outcome) in receiver {
            answers[i] = Some(outcome);
            finished(i);
        }
    });
    answers
        .into_iter()
        .map(|answer| answer.unwrap_or_else(|| Outcome::Failed("not attempted".to_string())))
        .collect()
}

fn agent(timeout: Duration, proxy: Option<ureq::Proxy>) -> Agent {
    Agent::config_builder()
        .proxy(proxy)
        .timeout_global(Some(timeout))
        // Every hop is checked here before it is requested.
        .max_redirects(0)
        // Error statuses are answers (Missing, Failed), not errors.
        .http_status_as_error(false)
        .user_agent(USER_AGENT)
        .build()
        .new_agent()
}

/// Requests one file, following redirects on allowed hosts, and stores it.
fn fetch_one(agent: &Agent, hosts: &Hosts, job: &Job, options: &Options) -> Outcome {
    let deadline = Instant::now() + options.timeout;
    let mut url = job.url.clone();
    for _ in 0..=MAX_REDIRECTS {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Outcome::Failed(timed_out(options.timeout));
        }
        let request = agent
            .get(url.as_str())
            .config()
            .timeout_global(Some(left))
            .build();
        let response = match request.call() {
            Ok(response) => response,
            Err(e) => return failure(e, options.timeout),
        };
        let status = response.status().as_u16();
        match status {
            200 => return store(response, job, options),
            301 | 302 | 303 | 307 | 308 => {
                let location = response
                    .headers()
                    .get("location")
                    .and_then(|value| value.to_str().ok());
                url = match next_hop(&url, location, hosts) {
                    Ok(next) => next,
                    Err(outcome) => return outcome,
                };
            }
            404 | 410 => return Outcome::Missing { status },
            _ => return Outcome::Failed(format!("HTTP status {status} for {url}")),
        }
    }
    Outcome::Failed(format!("more than {MAX_REDIRECTS} redirects"))
}

/// Where a redirect from `from` leads, if it may be followed: http(s) on an
/// allowed host, never from https back to http.
fn next_hop(from: &Url, location: Option<&str>, hosts: &Hosts) -> Result<Url, Outcome> {
    let Some(location) = location else {
        return Err(Outcome::Failed(format!(
            "redirect without a target at {from}"
        )));
    };
    let next = from
        .join(location)
        .map_err(|e| Outcome::Failed(format!("redirect to an invalid address {location}: {e}")))?;
    let refused = |why: String| Outcome::Refused(format!("{from} redirects to {next}: {why}"));
    if from.scheme() == "https" && next.scheme() == "http" {
        return Err(refused("from https to http".to_string()));
    }
    match hosts.check_url(next.clone()) {
        Ok(next) => Ok(next),
        Err(Outcome::Refused(why)) => Err(refused(why)),
        Err(other) => Err(other),
    }
}

/// Streams the body of `response` to the job's `.part` file and renames it
/// when it is complete; removes the `.part` file on any failure.
fn store(mut response: ureq::http::Response<ureq::Body>, job: &Job, options: &Options) -> Outcome {
    if let Some(length) = response.body().content_length() {
        if length > options.max_bytes {
            return too_large(&job.url, options.max_bytes);
        }
    }
    if let Some(parent) = job.path.parent() {
        if let Err(e) = fs::create_dir_all(parent) {
            return Outcome::Failed(format!("cannot create {}: {e}", parent.display()));
        }
    }
    let mut body = response.body_mut().as_reader();
    let outcome = match File::create(&job.part) {
        Ok(file) => write_part(&mut body, file, job, options),
        Err(e) => Err(Outcome::Failed(format!(
            "cannot write {}: {e}",
            job.part.display()
        ))),
    };
    let renamed = outcome.and_then(|bytes| match fs::rename(&job.part, &job.path) {
        Ok(()) => Ok(bytes),
        Err(e) => Err(Outcome::Failed(format!(
            "cannot rename {} to {}: {e}",
            job.part.display(),
            job.path.display()
        ))),
    });
    match renamed {
        Ok(bytes) => Outcome::Fetched { bytes },
        Err(outcome) => {
            // Best effort: a leftover `.part` is overwritten next time.
            let _ = fs::remove_file(&job.part);
            outcome
        }
    }
}

/// Copies `body` into `file`, at most `max_bytes`; the number of bytes.
fn write_part(
    body: &mut impl Read,
    mut file: File,
    job: &Job,
    options: &Options,
) -> Result<u64, Outcome> {
    let write_failed =
        |e: io::Error| Outcome::Failed(format!("cannot write {}: {e}", job.part.display()));
    let mut buffer = vec![0u8; 64 * 1024];
    let mut total: u64 = 0;
    loop {
        let read = match body.read(&mut buffer) {
            Ok(0) => break,
            Ok(read) => read,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(failure(ureq::Error::from(e), options.timeout)),
        };
        total += read as u64;
        if total > options.max_bytes {
            return Err(too_large(&job.url, options.max_bytes));
        }
        file.write_all(&buffer[..read]).map_err(write_failed)?;
    }
    // Whole on disk before it takes its real name.
    file.sync_all().map_err(write_failed)?;
    Ok(total)
}

fn too_large(url: &Url, max_bytes: u64) -> Outcome {
    Outcome::Refused(format!("{url} is larger than {max_bytes} bytes"))
}

/// A short reason for a request that failed.
fn failure(error: ureq::Error, timeout: Duration) -> Outcome {
    let reason = match error {
        ureq::Error::Timeout(_) => timed_out(timeout),
        ureq::Error::HostNotFound => "no such host".to_string(),
        ureq::Error::Io(e) => match e.kind() {
            io::ErrorKind::ConnectionRefused => "connection refused".to_string(),
            io::ErrorKind::ConnectionReset | io::ErrorKind::ConnectionAborted => {
                "connection reset".to_string()
            }
            io::ErrorKind::UnexpectedEof => "connection closed early".to_string(),
            io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => timed_out(timeout),
            _ => e.to_string(),
        },
        ureq::Error::Tls(e) => format!("TLS error: {e}"),
        ureq::Error::Protocol(e) => format!("bad HTTP answer: {e}"),
        other => other.to_string(),
    };
    Outcome::Failed(reason)
}

fn timed_out(timeout: Duration) -> String {
    format!("timed out after {} ms", timeout.as_millis())
}

#[cfg(test)]
mod tests;
