//! The preview under load: hundreds of open pages, many requests at once
//! and clients that misbehave. Every request is answered in full, and every
//! page still open hears about the next rebuild.
//!
//! The counts keep both processes (this one holds every client socket, the
//! server one per connection: about 550 each) below the common limit of
//! 1024 open files, so the test needs no `ulimit -n` of its own. The burst
//! of 200 connects overflows the server's listen backlog (128, Rust's
//! default); TCP retries those after a second, the slowest part here.

use std::io::{BufReader, Read, Write};
use std::net::TcpStream;

use crate::served::{split_response, wait_for_event, Served};
use crate::support::TestSite;

/// Pages kept open, each listening on `/__echt/events`.
const STREAMS: usize = 300;
/// Threads sending plain requests, and the requests each has open at once.
const THREADS: usize = 8;
const REQUESTS_PER_THREAD: usize = 25;
/// Clients that connect and then send nothing, or half a request.
const IDLE: usize = 20;
/// Clients that leave early: at once, mid-response, or from an event stream.
const QUITTERS: usize = 30;

/// What the load asks for: pages, files of every type, a 404 and the script.
const TARGETS: [&str; 7] = [
    "/",
    "/posts/die-reise/",
    "/style.css",
    "/atom.xml",
    "/posts/die-reise/weg.svg",
    "/gibt/es/nicht/",
    "/__echt/reload.js",
];

#[test]
fn under_load_every_request_is_answered_and_every_page_hears_the_rebuild() {
    // Larger than the socket buffers, so that leaving mid-response is
    // noticed by the server while it writes.
    let big = vec![b'x'; 4 << 20];
    let site = TestSite::fixture("blog").bytes("static/gross.bin", &big);
    let served = Served::start(&site);
    // The answers one at a time, to compare with the answers under load.
    let expected: Vec<(u16, Vec<u8>)> = TARGETS
        .iter()
        .map(|target| {
            let (status, _, body) = served.request("GET", target);
            (status, body)
        })
        .collect();
    assert_eq!(expected[5].0, 404, "{}", TARGETS[5]);

    // Each stream has had its first event, so the server counts it.
    let mut streams: Vec<BufReader<TcpStream>> = (0..STREAMS).map(|_| served.events()).collect();
    let idle: Vec<TcpStream> = (0..IDLE)
        .map(|i| {
            let mut stream = TcpStream::connect(&served.address).unwrap();
            if i % 2 == 1 {
                stream.write_all(b"GET /posts/die-re").unwrap();
            }
            stream
        })
        .collect();

    std::thread::scope(|scope| {
        for thread in 0..THREADS {
            let (served, expected) = (&served, &expected);
            scope.spawn(move || {
                // All of this thread's requests are sent before any is read.
                let open: Vec<(usize, TcpStream)> = (0..REQUESTS_PER_THREAD)
                    .map(|i| {
                        let which = (thread + i) % TARGETS.len();
                        let mut stream = TcpStream::connect(&served.address).unwrap();
                        write!(
                            stream,
                            "GET {} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                            TARGETS[which]
                        )
                        .unwrap();
                        (which, stream)
                    })
                    .collect();
                for (which, mut stream) in open {
                    let mut response = Vec::new();
                    stream.read_to_end(&mut response).unwrap();
                    let (status, _, body) = split_response(&response);
                    let target = TARGETS[which];
                    assert_eq!(status, expected[which].0, "{target}");
                    assert!(body == expected[which].1, "{target}: the body differs");
                }
            });
        }
        scope.spawn(|| {
            for i in 0..QUITTERS {
                let mut stream = TcpStream::connect(&served.address).unwrap();
                match i % 3 {
                    0 => {}
                    1 => {
                        stream
                            .write_all(b"GET /gross.bin HTTP/1.1\r\nHost: x\r\n\r\n")
                            .unwrap();
                        let mut start = [0; 16];
                        stream.read_exact(&mut start).unwrap();
                    }
                    _ => {
                        stream
                            .write_all(b"GET /__echt/events HTTP/1.1\r\nHost: x\r\n\r\n")
                            .unwrap();
                        let mut start = [0; 16];
                        stream.read_exact(&mut start).unwrap();
                    }
                }
            }
        });
    });

    // Some pages were closed meanwhile, and the idle clients gave up.
    streams.truncate(STREAMS - STREAMS / 5);
    drop(idle);
    let path = site.root().join("content/posts/reise/index.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("Angekommen.", "Unter Last angekommen.")).unwrap();
    for stream in &mut streams {
        wait_for_event(stream, "reload");
    }
    assert!(served
        .get("/posts/die-reise/")
        .2
        .contains("Unter Last angekommen."));
    assert!(
        served.request("GET", "/gross.bin").2 == big,
        "a large file whole"
    );
}
