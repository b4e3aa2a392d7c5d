//! Checking outbound links over the network (`echt check --external`).
//!
//! Building a site never needs the network; this module is the one place
//! that asks other servers whether the pages a post links to still exist.
//! It is kept apart so the build stays offline and deterministic, and so the
//! caller sees only a plain answer per URL: [`Outcome::Ok`], an error status,
//! or a short reason why there was no answer.
//!
//! Each distinct URL (fragment removed) is requested once: `HEAD` first, then
//! `GET` for servers that refuse `HEAD`. A fixed pool of threads works through
//! the URLs so a slow server delays one worker, never the whole check, and
//! every request has a time limit so a server that never answers cannot hang
//! the command.

use std::collections::HashMap;
use std::io::{self, Read};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use ureq::Agent;

/// Redirects followed before giving up.
const MAX_REDIRECTS: u32 = 5;

/// Statuses some servers give to `HEAD` although `GET` would work.
const RETRY_WITH_GET: [u16; 3] = [400, 405, 501];

/// How much of a `GET` body is read before hanging up: the status already
/// decided the outcome, and a large page should not cost its full download.
const BODY_PEEK: u64 = 4 * 1024;

const USER_AGENT: &str = concat!("echt/", env!("CARGO_PKG_VERSION"), " link check");

/// How to check.
#[derive(Debug, Clone)]
pub struct Options {
    /// Per request (connect + response), e.g. 10 s.
    pub timeout: Duration,
    /// At most this many requests at once (>= 1; 0 is treated as 1).
    pub concurrency: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            timeout: Duration::from_secs(10),
            concurrency: 8,
        }
    }
}

/// What one URL gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// 2xx (after following redirects).
    Ok,
    /// The server answered with an error status (4xx/5xx) after redirects.
    Status(u16),
    /// No answer: timeout, DNS failure, refused connection, TLS error, too
    /// many redirects; a short human-readable reason, e.g. "timed out after
    /// 10 s", "connection refused", "no such host".
    Failed(String),
}

/// Checks every URL, each once (duplicates are checked once and share the
/// outcome); returns outcomes in the order of `urls`.
///
/// Requests go through the proxy named by the usual environment variables
/// (`HTTPS_PROXY`, `NO_PROXY`, ...), as ureq does by default.
pub fn check(urls: &[String], options: &Options) -> Vec<Outcome> {
    check_via(urls, options, ureq::Proxy::try_from_env())
}

/// [`check`] through the given proxy, or directly with `None`.
fn check_via(urls: &[String], options: &Options, proxy: Option<ureq::Proxy>) -> Vec<Outcome> {
    // Decide without the network what can be decided, and give every
    // distinct request an index into `unique`.
    let mut unique: Vec<String> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let plans: Vec<Result<usize, Outcome>> = urls
        .iter()
        .map(|url| {
            let target = request_target(url)?;
            let next = unique.len();
            let i = *index.entry(target.clone()).or_insert(next);
            if i == next {
                unique.push(target);
            }
            Ok(i)
        })
        .collect();

    let answers = check_unique(&unique, options, proxy);
    plans
        .into_iter()
        .map(|plan| match plan {
            Ok(i) => answers[i].clone(),
            Err(outcome) => outcome,
        })
        .collect()
}

/// The URL to request for a link: parsed, http(s) only, fragment removed.
fn request_target(url: &str) -> Result<String, Outcome> {
    let mut parsed =
        url::Url::parse(url).map_err(|e| Outcome::Failed(format!("invalid URL: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(Outcome::Failed("not an http(s) URL".to_string()));
    }
    parsed.set_fragment(None);
    Ok(parsed.into())
}

/// Requests each URL with a pool of workers; the answers are in the order
/// of `urls`.
fn check_unique(urls: &[String], options: &Options, proxy: Option<ureq::Proxy>) -> Vec<Outcome> {
    let workers = options.concurrency.max(1).min(urls.len());
    if workers == 0 {
        return Vec::new();
    }
    let agent = agent(options.timeout, proxy);
    let next = AtomicUsize::new(0);

    let mut answers: Vec<(usize, Outcome)> = thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(url) = urls.get(i) else { break };
                        done.push((i, check_one(&agent, url, options.timeout)));
                    }
                    done
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|handle| {
                handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    // Every index was taken by exactly one worker.
    answers.sort_by_key(|(i, _)| *i);
    answers.into_iter().map(|(_, outcome)| outcome).collect()
}

fn agent(timeout: Duration, proxy: Option<ureq::Proxy>) -> Agent {
    Agent::config_builder()
        .proxy(proxy)
        // One budget for the whole exchange: connecting, redirects, answer.
        .timeout_global(Some(timeout))
        // Error statuses are answers to report, not failures to explain.
        .http_status_as_error(false)
        .max_redirects(MAX_REDIRECTS)
        .user_agent(USER_AGENT)
        .build()
        .new_agent()
}

fn check_one(agent: &Agent, url: &str, timeout: Duration) -> Outcome {
    match agent.head(url).call() {
        Ok(response) if RETRY_WITH_GET.contains(&response.status().as_u16()) => {
            check_with_get(agent, url, timeout)
        }
        Ok(response) => status(response.status().as_u16()),
        Err(e) => failure(e, timeout),
    }
}

fn check_with_get(agent: &Agent, url: &str, timeout: Duration) -> Outcome {
    match agent.get(url).call() {
        Ok(mut response) => {
            // The status line is the answer; a body that breaks off or is
            // slow does not change it.
            let mut peek = response.body_mut().as_reader().take(BODY_PEEK);
            let _ = io::copy(&mut peek, &mut io::sink());
            status(response.status().as_u16())
        }
        Err(e) => failure(e, timeout),
    }
}

fn status(code: u16) -> Outcome {
    if (200..300).contains(&code) {
        Outcome::Ok
    } else {
        Outcome::Status(code)
    }
}

/// A short reason for a request that got no answer.
fn failure(error: ureq::Error, timeout: Duration) -> Outcome {
    let reason = match error {
        // Not expected with `http_status_as_error(false)`, but it is an answer.
        ureq::Error::StatusCode(code) => return status(code),
        ureq::Error::Timeout(_) => timed_out(timeout),
        ureq::Error::HostNotFound => "no such host".to_string(),
        ureq::Error::TooManyRedirects => format!("more than {MAX_REDIRECTS} redirects"),
        ureq::Error::Io(e) => io_reason(&e, timeout),
        ureq::Error::Tls(e) => format!("TLS error: {e}"),
        ureq::Error::Rustls(e) => format!("TLS error: {e}"),
        ureq::Error::Protocol(e) => format!("bad HTTP answer: {e}"),
        ureq::Error::BadUri(e) => format!("invalid URL: {e}"),
        other => other.to_string(),
    };
    Outcome::Failed(reason)
}

fn io_reason(e: &io::Error, timeout: Duration) -> String {
    match e.kind() {
        io::ErrorKind::ConnectionRefused => "connection refused".to_string(),
        io::ErrorKind::ConnectionReset | io::ErrorKind::ConnectionAborted => {
            "connection reset".to_string()
        }
        io::ErrorKind::UnexpectedEof => "connection closed without an answer".to_string(),
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => timed_out(timeout),
        io::ErrorKind::HostUnreachable => "host unreachable".to_string(),
        io::ErrorKind::NetworkUnreachable => "network unreachable".to_string(),
        // The standard library reports a failed DNS lookup with an
        // uncategorised error; its message is the only thing to go by.
        _ if e.to_string().contains("failed to lookup address") => "no such host".to_string(),
        _ => e.to_string(),
    }
}

fn timed_out(timeout: Duration) -> String {
    let limit = if timeout.subsec_millis() == 0 && timeout.as_secs() > 0 {
        format!("{} s", timeout.as_secs())
    } else {
        format!("{} ms", timeout.as_millis())
    };
    format!("timed out after {limit}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufRead, BufReader, Write};
    use std::net::{SocketAddr, TcpListener, TcpStream};
    use std::sync::{Arc, Mutex};
    use std::time::Instant;

    /// What the test server saw.
    #[derive(Default)]
    struct Seen {
        /// Connections accepted.
        connections: AtomicUsize,
        /// Requests, as "METHOD /path".
        requests: Mutex<Vec<String>>,
        /// The last `User-Agent` header.
        user_agent: Mutex<Option<String>>,
        in_flight: AtomicUsize,
        max_in_flight: AtomicUsize,
    }

    /// A small HTTP/1.1 server on a loopback port, one thread per
    /// connection, one request per connection. It answers by path:
    ///
    /// - `/ok` 200, `/missing` 404
    /// - `/no-head` 405 to `HEAD`, 200 with a large body to `GET`
    /// - `/r1` 301 → `/r2` 302 → `/ok`; `/loop` redirects to itself
    /// - `/hang` reads the request and never answers
    /// - `/slow/...` answers 200 after 100 ms
    struct Server {
        addr: SocketAddr,
        seen: Arc<Seen>,
    }

    impl Server {
        fn start() -> Server {
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            let addr = listener.local_addr().unwrap();
            let seen = Arc::new(Seen::default());
            let shared = Arc::clone(&seen);
            thread::spawn(move || {
                for stream in listener.incoming().flatten() {
                    shared.connections.fetch_add(1, Ordering::SeqCst);
                    let seen = Arc::clone(&shared);
                    thread::spawn(move || answer(stream, &seen));
                }
            });
            Server { addr, seen }
        }

        fn url(&self, path: &str) -> String {
            format!("http://{}{path}", self.addr)
        }

        fn requests(&self) -> Vec<String> {
            self.seen.requests.lock().unwrap().clone()
        }
    }

    fn answer(stream: TcpStream, seen: &Seen) {
        let mut reader = BufReader::new(stream);
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).is_err() {
            return;
        }
        loop {
            let mut header = String::new();
            match reader.read_line(&mut header) {
                Ok(0) | Err(_) => return,
                Ok(_) if header == "\r\n" => break,
                Ok(_) => {
                    if let Some((name, value)) = header.split_once(':') {
                        if name.eq_ignore_ascii_case("user-agent") {
                            *seen.user_agent.lock().unwrap() = Some(value.trim().to_string());
                        }
                    }
                }
            }
        }
        let mut parts = request_line.split_whitespace();
        let method = parts.next().unwrap_or("").to_string();
        let path = parts.next().unwrap_or("").to_string();
        seen.requests
            .lock()
            .unwrap()
            .push(format!("{method} {path}"));

        let now = seen.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        seen.max_in_flight.fetch_max(now, Ordering::SeqCst);
        let (code, location, body) = match (method.as_str(), path.as_str()) {
            (_, "/ok") => (200, None, "fine".to_string()),
            ("HEAD", "/no-head") => (405, None, String::new()),
            (_, "/no-head") => (200, None, "x".repeat(1 << 20)),
            (_, "/r1") => (301, Some("/r2"), String::new()),
            (_, "/r2") => (302, Some("/ok"), String::new()),
            (_, "/loop") => (302, Some("/loop"), String::new()),
            (_, "/hang") => {
                seen.in_flight.fetch_sub(1, Ordering::SeqCst);
                // Keep the connection open until the client gives up.
                let _ = io::copy(&mut reader, &mut io::sink());
                return;
            }
            (_, slow) if slow.starts_with("/slow/") => {
                thread::sleep(Duration::from_millis(100));
                (200, None, "slow".to_string())
            }
            _ => (404, None, "not here".to_string()),
        };
        // Leave before answering, so the client cannot start its next
        // request while this one still counts.
        seen.in_flight.fetch_sub(1, Ordering::SeqCst);

        let mut head = format!(
            "HTTP/1.1 {code} Test\r\nContent-Length: {}\r\nConnection: close\r\n",
            body.len()
        );
        if let Some(location) = location {
            head.push_str(&format!("Location: {location}\r\n"));
        }
        head.push_str("\r\n");
        let mut stream = reader.into_inner();
        // The client may hang up early (it reads only part of big bodies).
        let _ = stream.write_all(head.as_bytes());
        if method != "HEAD" {
            let _ = stream.write_all(body.as_bytes());
        }
    }

    /// [`check`] bypassing any proxy set in the environment: the test
    /// server is on loopback.
    fn check_direct(urls: &[String], options: &Options) -> Vec<Outcome> {
        check_via(urls, options, None)
    }

    fn check_one_url(url: &str, options: &Options) -> Outcome {
        let outcomes = check_direct(&[url.to_string()], options);
        assert_eq!(outcomes.len(), 1);
        outcomes.into_iter().next().unwrap()
    }

    #[test]
    fn success_is_ok() {
        let server = Server::start();
        assert_eq!(
            check_one_url(&server.url("/ok"), &Options::default()),
            Outcome::Ok
        );
        assert_eq!(server.requests(), ["HEAD /ok"]);
        let user_agent = server.seen.user_agent.lock().unwrap().clone();
        assert_eq!(user_agent.as_deref(), Some(USER_AGENT));
    }

    #[test]
    fn not_found_is_a_status() {
        let server = Server::start();
        assert_eq!(
            check_one_url(&server.url("/missing"), &Options::default()),
            Outcome::Status(404)
        );
    }

    #[test]
    fn head_refused_retries_with_get() {
        let server = Server::start();
        assert_eq!(
            check_one_url(&server.url("/no-head"), &Options::default()),
            Outcome::Ok
        );
        assert_eq!(server.requests(), ["HEAD /no-head", "GET /no-head"]);
    }

    #[test]
    fn redirect_chain_is_followed() {
        let server = Server::start();
        assert_eq!(
            check_one_url(&server.url("/r1"), &Options::default()),
            Outcome::Ok
        );
        assert_eq!(server.requests(), ["HEAD /r1", "HEAD /r2", "HEAD /ok"]);
    }

    #[test]
    fn redirect_loop_fails() {
        let server = Server::start();
        assert_eq!(
            check_one_url(&server.url("/loop"), &Options::default()),
            Outcome::Failed("more than 5 redirects".to_string())
        );
        assert_eq!(server.requests().len(), 1 + MAX_REDIRECTS as usize);
    }

    #[test]
    fn server_that_never_answers_times_out() {
        let server = Server::start();
        let options = Options {
            timeout: Duration::from_millis(300),
            ..Options::default()
        };
        let start = Instant::now();
        let outcome = check_one_url(&server.url("/hang"), &options);
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "took {:?}",
            start.elapsed()
        );
        match outcome {
            Outcome::Failed(reason) => {
                assert!(reason.contains("timed out"), "{reason}");
                assert!(reason.contains("300 ms"), "{reason}");
            }
            other => panic!("expected a timeout, got {other:?}"),
        }
    }

    #[test]
    fn closed_port_is_refused() {
        let port = {
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            listener.local_addr().unwrap().port()
        };
        let outcome = check_one_url(&format!("http://127.0.0.1:{port}/"), &Options::default());
        assert_eq!(outcome, Outcome::Failed("connection refused".to_string()));
    }

    #[test]
    fn duplicates_and_fragments_are_requested_once() {
        let server = Server::start();
        let urls = [
            server.url("/ok"),
            server.url("/missing"),
            server.url("/ok#intro"),
            server.url("/ok#end"),
            server.url("/missing"),
        ];
        let outcomes = check_direct(&urls, &Options::default());
        assert_eq!(
            outcomes,
            [
                Outcome::Ok,
                Outcome::Status(404),
                Outcome::Ok,
                Outcome::Ok,
                Outcome::Status(404),
            ]
        );
        let mut requests = server.requests();
        requests.sort();
        assert_eq!(requests, ["HEAD /missing", "HEAD /ok"]);
    }

    #[test]
    fn concurrency_limits_requests_in_flight() {
        let server = Server::start();
        let urls: Vec<String> = (0..8).map(|i| server.url(&format!("/slow/{i}"))).collect();
        let options = Options {
            concurrency: 2,
            ..Options::default()
        };
        let outcomes = check_direct(&urls, &options);
        assert!(outcomes.iter().all(|o| *o == Outcome::Ok), "{outcomes:?}");
        assert_eq!(server.requests().len(), 8);
        let max = server.seen.max_in_flight.load(Ordering::SeqCst);
        assert!((1..=2).contains(&max), "{max} requests at once");
    }

    #[test]
    fn other_schemes_fail_without_network() {
        let server = Server::start();
        let port = server.addr.port();
        let urls = [
            format!("ftp://127.0.0.1:{port}/file"),
            "mailto:someone@example.com".to_string(),
            "not a url".to_string(),
        ];
        let outcomes = check(&urls, &Options::default());
        let not_http = Outcome::Failed("not an http(s) URL".to_string());
        assert_eq!(outcomes[0], not_http);
        assert_eq!(outcomes[1], not_http);
        assert!(
            matches!(&outcomes[2], Outcome::Failed(reason) if reason.starts_with("invalid URL")),
            "{:?}",
            outcomes[2]
        );
        assert_eq!(server.seen.connections.load(Ordering::SeqCst), 0);
    }

    #[test]
    fn no_urls_no_work() {
        assert_eq!(check(&[], &Options::default()), []);
    }

    #[test]
    fn timeouts_read_naturally() {
        assert_eq!(timed_out(Duration::from_secs(10)), "timed out after 10 s");
        assert_eq!(
            timed_out(Duration::from_millis(300)),
            "timed out after 300 ms"
        );
        assert_eq!(
            timed_out(Duration::from_millis(1500)),
            "timed out after 1500 ms"
        );
    }
}
