use super::*;
use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Condvar, Mutex};

/// What a test server saw.
#[derive(Default)]
struct Seen {
    /// Connections accepted, whatever came of them.
    connections: AtomicUsize,
    /// Requests per path.
    requests: Mutex<HashMap<String, usize>>,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
    /// Wakes the `/gate/` requests when another request arrives.
    arrived: Condvar,
    gate: Mutex<()>,
    /// Path → `Location` of a redirect the test set up.
    redirects: Mutex<HashMap<String, String>>,
}

/// A small HTTP/1.1 server on a loopback port, one thread per connection,
/// one request per connection. It answers by path:
///
/// - `/file/NAME` 200 with [`body_of`]`(NAME)`
/// - `/gone` 404, `/deleted` 410, `/broken` 500
/// - `/hang` reads the request and never answers
/// - `/trickle` sends its headers and 10 of 1000 bytes, then nothing
/// - `/big` 5000 bytes; `/big-unsized` the same without `Content-Length`
/// - `/cut` promises 1000 bytes, sends 500 and hangs up; `/flaky` does
///   that the first time and sends all 1000 after
/// - `/gate/NAME` waits (at most 20 s) until two requests were in flight at
///   once, then answers like `/file/NAME`
/// - `/loop` redirects to itself; paths given to [`Server::redirect`]
///   redirect where they were told
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

    fn redirect(&self, path: &str, location: &str) {
        let mut redirects = self.seen.redirects.lock().unwrap();
        redirects.insert(path.to_string(), location.to_string());
    }

    fn requests(&self, path: &str) -> usize {
        let requests = self.seen.requests.lock().unwrap();
        requests.get(path).copied().unwrap_or(0)
    }

    fn all_requests(&self) -> usize {
        self.seen.requests.lock().unwrap().values().sum()
    }

    fn connections(&self) -> usize {
        self.seen.connections.load(Ordering::SeqCst)
    }

    fn max_in_flight(&self) -> usize {
        self.seen.max_in_flight.load(Ordering::SeqCst)
    }
}

fn body_of(name: &str) -> String {
    format!("the bytes of {name}, a picture of beetroot\n")
}

/// Reads a request's head; its path.
fn read_head(reader: &mut BufReader<TcpStream>) -> Option<String> {
    let mut request_line = String::new();
    reader.read_line(&mut request_line).ok()?;
    loop {
        let mut header = String::new();
        match reader.read_line(&mut header) {
            Ok(0) | Err(_) => return None,
            Ok(_) if header == "\r\n" => break,
            Ok(_) => {}
        }
    }
    request_line.split_whitespace().nth(1).map(str::to_string)
}

fn answer(stream: TcpStream, seen: &Seen) {
    let mut reader = BufReader::new(stream);
    let Some(path) = read_head(&mut reader) else {
        return;
    };
    let count = {
        let mut requests = seen.requests.lock().unwrap();
        let count = requests.entry(path.clone()).or_insert(0);
        *count += 1;
        *count
    };
    let now = seen.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    seen.max_in_flight.fetch_max(now, Ordering::SeqCst);
    {
        // Under the gate's lock, so a waiter cannot miss it between its
        // check and its wait.
        let _gate = seen.gate.lock().unwrap();
        seen.arrived.notify_all();
    }
    let location = seen.redirects.lock().unwrap().get(&path).cloned();

    let full = |body: String| (200, None, Some(body.len()), body, None);
    // (status, Location, Content-Length, body sent, then hang up or hang)
    let (status, location, length, body, then): (u16, _, _, String, Option<bool>) =
        match path.as_str() {
            _ if location.is_some() => (302, location, Some(0), String::new(), None),
            "/loop" => (302, Some("/loop".to_string()), Some(0), String::new(), None),
            "/gone" => (404, None, Some(4), "gone".to_string(), None),
            "/deleted" => (410, None, Some(4), "gone".to_string(), None),
            "/broken" => (500, None, Some(4), "oops".to_string(), None),
            "/hang" => (0, None, None, String::new(), Some(false)),
            "/trickle" => (200, None, Some(1000), "x".repeat(10), Some(false)),
            "/big" => full("b".repeat(5000)),
            "/big-unsized" => (200, None, None, "b".repeat(5000), None),
            "/cut" => (200, None, Some(1000), "c".repeat(500), Some(true)),
            "/flaky" if count == 1 => (200, None, Some(1000), "f".repeat(500), Some(true)),
            "/flaky" => full("f".repeat(1000)),
            _ => match path.strip_prefix("/file/") {
                Some(name) => full(body_of(name)),
                None => match path.strip_prefix("/gate/") {
                    Some(name) => {
                        wait_for_company(seen);
                        full(body_of(name))
                    }
                    None => (404, None, Some(0), String::new(), None),
                },
            },
        };
    // Leave before answering, so the client's next request cannot overlap
    // this one in the count.
    seen.in_flight.fetch_sub(1, Ordering::SeqCst);

    let mut stream = reader.get_ref().try_clone().unwrap();
    if status != 0 {
        let mut head = format!("HTTP/1.1 {status} Test\r\nConnection: close\r\n");
        if let Some(length) = length {
            head.push_str(&format!("Content-Length: {length}\r\n"));
        }
        if let Some(location) = location {
            head.push_str(&format!("Location: {location}\r\n"));
        }
        head.push_str("\r\n");
        // The client may have hung up already.
        let _ = stream.write_all(head.as_bytes());
        let _ = stream.write_all(body.as_bytes());
        let _ = stream.flush();
    }
    match then {
        // Keep the connection open until the client gives up.
        Some(false) => {
            let _ = io::copy(&mut reader, &mut io::sink());
        }
        // Hang up at once, without a graceful end.
        Some(true) => {
            let _ = stream.shutdown(std::net::Shutdown::Both);
        }
        None => {}
    }
}

/// Waits until two requests were in flight at once (or 20 s passed, for a
/// client that never sends two).
fn wait_for_company(seen: &Seen) {
    let guard = seen.gate.lock().unwrap();
    let _ = seen
        .arrived
        .wait_timeout_while(guard, Duration::from_secs(20), |_| {
            seen.max_in_flight.load(Ordering::SeqCst) < 2
        });
}

/// Generous limits: only the tests of a limit make it small.
fn options(dir: &Path) -> Options {
    Options {
        dir: dir.to_path_buf(),
        hosts: vec!["127.0.0.1".to_string()],
        timeout: Duration::from_secs(60),
        threads: 4,
        max_bytes: 1 << 20,
    }
}

/// [`fetch_all`] bypassing any proxy of the environment: the servers are on
/// loopback.
fn fetch(list: &[Fetch], options: &Options) -> Vec<Outcome> {
    fetch_all_via(list, options, None, &|_, _| {})
}

fn entry(url: String, to: &str) -> Fetch {
    Fetch {
        url,
        to: to.to_string(),
    }
}

/// The files below `dir`, relative, sorted.
fn files(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let Ok(entries) = fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else {
                let relative = path.strip_prefix(dir).unwrap();
                found.push(relative.to_string_lossy().into_owned());
            }
        }
    }
    found.sort();
    found
}

fn failed_with(outcome: &Outcome, words: &str) -> bool {
    matches!(outcome, Outcome::Failed(reason) if reason.contains(words))
}

fn refused_with(outcome: &Outcome, words: &str) -> bool {
    matches!(outcome, Outcome::Refused(reason) if reason.contains(words))
}

#[test]
fn a_file_is_stored_under_its_path() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let list = [entry(server.url("/file/beet.jpg"), "2026/04/beet.jpg")];
    let outcomes = fetch(&list, &options(dir.path()));
    let body = body_of("beet.jpg");
    assert_eq!(
        outcomes,
        [Outcome::Fetched {
            bytes: body.len() as u64
        }]
    );
    assert_eq!(files(dir.path()), ["2026/04/beet.jpg"]);
    let stored = fs::read_to_string(dir.path().join("2026/04/beet.jpg")).unwrap();
    assert_eq!(stored, body);
}

#[test]
fn missing_files_and_server_errors_store_nothing() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let list = [
        entry(server.url("/gone"), "a.jpg"),
        entry(server.url("/deleted"), "b.jpg"),
        entry(server.url("/broken"), "c.jpg"),
    ];
    let outcomes = fetch(&list, &options(dir.path()));
    assert_eq!(outcomes[0], Outcome::Missing { status: 404 });
    assert_eq!(outcomes[1], Outcome::Missing { status: 410 });
    assert!(failed_with(&outcomes[2], "HTTP status 500"), "{outcomes:?}");
    assert!(files(dir.path()).is_empty(), "{:?}", files(dir.path()));
}

#[test]
fn a_second_run_requests_nothing_it_already_has() {
    let server = Server::start();
    server.redirect("/old/c.jpg", "/file/c.jpg");
    let dir = tempfile::tempdir().unwrap();
    let list = [
        entry(server.url("/file/a.jpg"), "a.jpg"),
        entry(server.url("/file/b.jpg"), "2025/b.jpg"),
        entry(server.url("/old/c.jpg"), "2025/c.jpg"),
        entry(server.url("/gone"), "d.jpg"),
    ];
    let first = fetch(&list, &options(dir.path()));
    assert!(
        first[..3]
            .iter()
            .all(|o| matches!(o, Outcome::Fetched { .. })),
        "{first:?}"
    );
    assert_eq!(first[3], Outcome::Missing { status: 404 });
    let requests = server.all_requests();
    assert_eq!(requests, 5);

    let second = fetch(&list, &options(dir.path()));
    assert_eq!(second[..3], [const { Outcome::AlreadyThere }; 3]);
    // What was missing is asked again; nothing else is.
    assert_eq!(second[3], Outcome::Missing { status: 404 });
    assert_eq!(server.all_requests(), requests + 1);
    assert_eq!(server.requests("/gone"), 2);
}

#[test]
fn another_host_is_never_contacted() {
    let blog = Server::start();
    let other = Server::start();
    let elsewhere = format!("http://localhost:{}/file/x.jpg", other.addr.port());
    blog.redirect("/away", &elsewhere);
    blog.redirect(
        "/away-by-ip",
        &other.url("/file/y.jpg").replace("127.0.0.1", "[::1]"),
    );
    let dir = tempfile::tempdir().unwrap();
    let list = [
        entry(elsewhere.clone(), "direct.jpg"),
        entry(blog.url("/away"), "redirected.jpg"),
        entry(blog.url("/away-by-ip"), "by-ip.jpg"),
        entry("http://evil.example/x.jpg".to_string(), "evil.jpg"),
    ];
    let outcomes = fetch(&list, &options(dir.path()));
    assert!(refused_with(&outcomes[0], "localhost"), "{outcomes:?}");
    assert!(refused_with(&outcomes[1], "redirects to"), "{outcomes:?}");
    assert!(refused_with(&outcomes[1], "localhost"), "{outcomes:?}");
    assert!(refused_with(&outcomes[2], "[::1]"), "{outcomes:?}");
    assert!(refused_with(&outcomes[3], "evil.example"), "{outcomes:?}");
    assert_eq!(other.connections(), 0);
    assert_eq!(blog.requests("/away"), 1);
    assert_eq!(blog.requests("/away-by-ip"), 1);
    assert!(files(dir.path()).is_empty());
}

#[test]
fn redirects_on_the_same_host_are_followed() {
    let server = Server::start();
    server.redirect("/relative", "/file/moved.jpg");
    server.redirect("/absolute", &server.url("/relative"));
    let dir = tempfile::tempdir().unwrap();
    let list = [entry(server.url("/absolute"), "moved.jpg")];
    let outcomes = fetch(&list, &options(dir.path()));
    let body = body_of("moved.jpg");
    assert_eq!(
        outcomes,
        [Outcome::Fetched {
            bytes: body.len() as u64
        }]
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("moved.jpg")).unwrap(),
        body
    );
    for path in ["/absolute", "/relative", "/file/moved.jpg"] {
        assert_eq!(server.requests(path), 1, "{path}");
    }
}

#[test]
fn a_redirect_loop_ends() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let outcomes = fetch(
        &[entry(server.url("/loop"), "loop.jpg")],
        &options(dir.path()),
    );
    assert_eq!(
        outcomes,
        [Outcome::Failed("more than 5 redirects".to_string())]
    );
    assert_eq!(server.requests("/loop"), 1 + MAX_REDIRECTS);
}

#[test]
fn a_server_that_does_not_answer_times_out() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let options = Options {
        timeout: Duration::from_millis(400),
        ..options(dir.path())
    };
    let list = [
        entry(server.url("/hang"), "hang.jpg"),
        entry(server.url("/trickle"), "trickle.jpg"),
    ];
    let start = Instant::now();
    let outcomes = fetch(&list, &options);
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "{:?}",
        start.elapsed()
    );
    for outcome in &outcomes {
        assert!(
            failed_with(outcome, "timed out after 400 ms"),
            "{outcomes:?}"
        );
    }
    assert!(files(dir.path()).is_empty(), "{:?}", files(dir.path()));
}

#[test]
fn a_file_larger_than_the_limit_is_refused_and_not_kept() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let options = Options {
        max_bytes: 4999,
        ..options(dir.path())
    };
    let list = [
        entry(server.url("/big"), "big.jpg"),
        entry(server.url("/big-unsized"), "unsized.jpg"),
    ];
    let outcomes = fetch(&list, &options);
    for outcome in &outcomes {
        assert!(
            refused_with(outcome, "larger than 4999 bytes"),
            "{outcomes:?}"
        );
    }
    assert!(files(dir.path()).is_empty(), "{:?}", files(dir.path()));

    // Exactly the limit is fine.
    let options = Options {
        max_bytes: 5000,
        ..options
    };
    let outcomes = fetch(&list, &options);
    assert_eq!(outcomes, [const { Outcome::Fetched { bytes: 5000 } }; 2]);
}

#[test]
fn a_connection_closed_mid_body_leaves_no_file_and_is_fetched_next_time() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let list = [
        entry(server.url("/cut"), "cut.jpg"),
        entry(server.url("/flaky"), "flaky.jpg"),
    ];
    let outcomes = fetch(&list, &options(dir.path()));
    for outcome in &outcomes {
        assert!(matches!(outcome, Outcome::Failed(_)), "{outcomes:?}");
    }
    assert!(files(dir.path()).is_empty(), "{:?}", files(dir.path()));

    let outcomes = fetch(&list, &options(dir.path()));
    assert!(matches!(outcomes[0], Outcome::Failed(_)), "{outcomes:?}");
    assert_eq!(outcomes[1], Outcome::Fetched { bytes: 1000 });
    assert_eq!(files(dir.path()), ["flaky.jpg"]);
    assert_eq!(
        fs::read(dir.path().join("flaky.jpg")).unwrap(),
        vec![b'f'; 1000]
    );
}

#[test]
fn a_part_file_left_by_an_interrupted_run_is_overwritten() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("2026")).unwrap();
    fs::write(dir.path().join("2026/a.jpg.part"), "x".repeat(10_000)).unwrap();
    let list = [entry(server.url("/file/a.jpg"), "2026/a.jpg")];
    let outcomes = fetch(&list, &options(dir.path()));
    assert!(
        matches!(outcomes[0], Outcome::Fetched { .. }),
        "{outcomes:?}"
    );
    assert_eq!(files(dir.path()), ["2026/a.jpg"]);
    assert_eq!(
        fs::read_to_string(dir.path().join("2026/a.jpg")).unwrap(),
        body_of("a.jpg")
    );
}

#[test]
fn paths_outside_the_folder_are_refused_without_a_request() {
    let server = Server::start();
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("media");
    let bad = [
        "",
        "/tmp/x.jpg",
        "../x.jpg",
        "a/../../x.jpg",
        "a/../x.jpg",
        "./x.jpg",
        "a/./x.jpg",
        "a//",
        "x.jpg.part",
    ];
    let list: Vec<Fetch> = bad
        .iter()
        .map(|to| entry(server.url("/file/x.jpg"), to))
        .collect();
    let outcomes = fetch(&list, &options(&dir));
    for (to, outcome) in bad.iter().zip(&outcomes) {
        assert!(
            matches!(outcome, Outcome::Refused(_)),
            "{to:?}: {outcome:?}"
        );
    }
    assert_eq!(server.connections(), 0);
    assert!(files(root.path()).is_empty(), "{:?}", files(root.path()));
}

#[test]
fn addresses_that_are_not_http_are_refused_without_a_request() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let port = server.addr.port();
    let list = [
        entry(format!("ftp://127.0.0.1:{port}/x.jpg"), "a.jpg"),
        entry("file:///etc/hostname".to_string(), "b.jpg"),
        entry("not an address".to_string(), "c.jpg"),
        entry(format!("//127.0.0.1:{port}/file/x.jpg"), "d.jpg"),
    ];
    let outcomes = fetch(&list, &options(dir.path()));
    assert!(refused_with(&outcomes[0], "not an http(s) address"));
    assert!(refused_with(&outcomes[1], "not an http(s) address"));
    assert!(refused_with(&outcomes[2], "invalid address"));
    assert!(refused_with(&outcomes[3], "invalid address"));
    assert_eq!(server.connections(), 0);
}

#[test]
fn the_same_file_twice_is_fetched_once() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let a = server.url("/file/a.jpg");
    let list = [
        entry(a.clone(), "a.jpg"),
        entry(server.url("/file/b.jpg"), "a.jpg"),
        entry(a.clone(), "a.jpg"),
        entry(a.clone(), "copy/a.jpg"),
    ];
    let calls = Mutex::new(Vec::new());
    let record = |done, total| calls.lock().unwrap().push((done, total));
    let outcomes = fetch_all_via(&list, &options(dir.path()), None, &record);
    let fetched = Outcome::Fetched {
        bytes: body_of("a.jpg").len() as u64,
    };
    assert_eq!(outcomes[0], fetched);
    assert!(
        refused_with(&outcomes[1], "already fetched from"),
        "{outcomes:?}"
    );
    assert_eq!(outcomes[2], fetched);
    assert_eq!(outcomes[3], fetched);
    assert_eq!(server.requests("/file/a.jpg"), 2);
    assert_eq!(server.requests("/file/b.jpg"), 0);

    let calls = calls.into_inner().unwrap();
    assert_eq!(calls.first(), Some(&(1, 4)));
    assert_eq!(calls.last(), Some(&(4, 4)));
    assert!(calls.windows(2).all(|w| w[0].0 < w[1].0), "{calls:?}");
}

#[test]
fn a_copy_of_a_file_already_there_is_already_there() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.jpg"), "kept").unwrap();
    let a = server.url("/file/a.jpg");
    let list = [entry(a.clone(), "a.jpg"), entry(a, "a.jpg")];
    let calls = Mutex::new(Vec::new());
    let record = |done, total| calls.lock().unwrap().push((done, total));
    let outcomes = fetch_all_via(&list, &options(dir.path()), None, &record);
    assert_eq!(outcomes, [const { Outcome::AlreadyThere }; 2]);
    assert_eq!(server.connections(), 0);
    assert_eq!(calls.into_inner().unwrap(), [(2, 2)]);
    assert_eq!(
        fs::read_to_string(dir.path().join("a.jpg")).unwrap(),
        "kept"
    );
}

#[test]
fn files_are_fetched_in_parallel() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let list: Vec<Fetch> = (0..8)
        .map(|i| entry(server.url(&format!("/gate/{i}.jpg")), &format!("{i}.jpg")))
        .collect();
    let outcomes = fetch(&list, &options(dir.path()));
    assert!(
        outcomes
            .iter()
            .all(|o| matches!(o, Outcome::Fetched { .. })),
        "{outcomes:?}"
    );
    assert_eq!(files(dir.path()).len(), 8);
    let max = server.max_in_flight();
    assert!((2..=4).contains(&max), "{max} requests at once");
}

#[test]
fn one_thread_fetches_one_file_at_a_time() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let list: Vec<Fetch> = (0..6)
        .map(|i| entry(server.url(&format!("/file/{i}.jpg")), &format!("{i}.jpg")))
        .collect();
    let options = Options {
        threads: 1,
        ..options(dir.path())
    };
    let outcomes = fetch(&list, &options);
    assert!(
        outcomes
            .iter()
            .all(|o| matches!(o, Outcome::Fetched { .. })),
        "{outcomes:?}"
    );
    assert_eq!(server.all_requests(), 6);
    assert_eq!(server.max_in_flight(), 1);
}

#[test]
fn a_closed_port_fails() {
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let dir = tempfile::tempdir().unwrap();
    let list = [entry(format!("http://127.0.0.1:{port}/a.jpg"), "a.jpg")];
    let outcomes = fetch(&list, &options(dir.path()));
    assert_eq!(
        outcomes,
        [Outcome::Failed("connection refused".to_string())]
    );
    assert!(files(dir.path()).is_empty());
}

#[test]
fn nothing_to_fetch_is_no_work() {
    let dir = tempfile::tempdir().unwrap();
    let calls = Mutex::new(Vec::new());
    let record = |done, total| calls.lock().unwrap().push((done, total));
    assert_eq!(fetch_all(&[], &options(dir.path()), &record), []);
    assert_eq!(calls.into_inner().unwrap(), [(0, 0)]);
}

#[test]
fn hosts_are_compared_as_a_url_writes_them() {
    let hosts = Hosts::new(&[
        "Garten.Example.ORG".to_string(),
        "bücher.example".to_string(),
        "not a host/".to_string(),
    ]);
    for allowed in [
        "http://garten.example.org/a.jpg",
        "https://GARTEN.example.org:8443/a.jpg",
        "http://garten.example.org./a.jpg",
        "http://xn--bcher-kva.example/a.jpg",
        "http://BÜCHER.example/a.jpg",
    ] {
        assert!(hosts.check(allowed).is_ok(), "{allowed}");
    }
    for refused in [
        "http://garten.example.org.evil.example/a.jpg",
        "http://evil.example/garten.example.org/a.jpg",
        "http://evil.example/?garten.example.org",
        "http://garten.example.org@evil.example/a.jpg",
        "http://example.org/a.jpg",
        "http://sub.garten.example.org/a.jpg",
        "http://not a host/",
    ] {
        assert!(
            matches!(hosts.check(refused), Err(Outcome::Refused(_))),
            "{refused}"
        );
    }
}

#[test]
fn redirects_stay_on_the_host_and_never_go_back_to_http() {
    let hosts = Hosts::new(&["garten.example.org".to_string()]);
    let http = Url::parse("http://garten.example.org/a.jpg").unwrap();
    let https = Url::parse("https://garten.example.org/a.jpg").unwrap();
    let hop = |from: &Url, to: &str| next_hop(from, Some(to), &hosts).map(String::from);
    assert_eq!(
        hop(&http, "https://garten.example.org/a.jpg"),
        Ok("https://garten.example.org/a.jpg".to_string())
    );
    assert_eq!(
        hop(&https, "/b.jpg"),
        Ok("https://garten.example.org/b.jpg".to_string())
    );
    assert_eq!(
        hop(&https, "c.jpg?x=1"),
        Ok("https://garten.example.org/c.jpg?x=1".to_string())
    );
    assert!(refused_with(
        &hop(&https, "http://garten.example.org/a.jpg").unwrap_err(),
        "from https to http"
    ));
    assert!(refused_with(
        &hop(&https, "//cdn.example/a.jpg").unwrap_err(),
        "cdn.example"
    ));
    assert!(refused_with(
        &hop(&http, "javascript:alert(1)").unwrap_err(),
        "not an http(s) address"
    ));
    assert!(failed_with(
        &next_hop(&http, None, &hosts).unwrap_err(),
        "redirect without a target"
    ));
}
