//! The headers echt writes for nginx, on the wire: the sample blog, built
//! and served by a real nginx that includes the generated `_nginx.conf`,
//! answers every request (a missing page too) with exactly the headers of
//! the generated `_headers`, and keeps both files to itself. The search
//! page alone gets the policy that lets echt's search script run, from
//! nginx as from `_headers`. With a site's
//! own snippet merged in, a `location` with `add_header`s of its own (where
//! nginx forgets inherited ones) still sends echt's headers: nginx itself
//! is the judge of the merged file.
//!
//! nginx is the one from `$NGINX`, or `nginx` on the PATH, or
//! /usr/sbin/nginx. It runs as one process in the foreground with every
//! file it writes in a temporary folder, so it needs no privileges and
//! touches nothing else, as root or not.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

use crate::sample::build_sample;
use crate::served::split_response;
use crate::support::TestSite;

#[test]
#[ignore = "needs nginx"]
fn nginx_sends_the_generated_headers_on_every_response() {
    let out = build_sample();
    let public = out.path().join("public");
    let rules = headers_file(&public.join("_headers"));
    let promised = promised(&rules, "/");
    let policy = header(&promised, "Content-Security-Policy").expect("a policy");
    assert!(policy.contains("script-src 'none'"), "{policy}");
    assert!(policy.contains("frame-ancestors"), "{policy}");
    assert_eq!(header(&promised, "Referrer-Policy"), Some("no-referrer"));
    assert!(header(&promised, "Permissions-Policy").is_some());
    let search = self::promised(&rules, "/suche/");
    let relaxed = header(&search, "Content-Security-Policy").expect("a policy");
    assert!(
        relaxed.contains("script-src 'self'; connect-src 'self'"),
        "{relaxed}"
    );
    assert_eq!(search.len(), promised.len());

    let nginx = Nginx::start(&public);
    for (target, status) in [
        ("/", 200),
        ("/posts/was-mich-dieser-blog-kostet/", 200),
        ("/style.css", 200),
        ("/suche/", 200),
        ("/suche/index.html", 200),
        ("/search-index/search.js", 200),
        ("/search-index/meta.json", 200),
        ("/gibt-es-nicht/", 404),
        ("/suche/gibt-es-nicht", 404),
        // The server's own files stay on the server.
        ("/_headers", 404),
        ("/_nginx.conf", 404),
    ] {
        let (got, sent, body) = nginx.get(target);
        assert_eq!(got, status, "{target}:\n{sent:?}\n{body}");
        // A path no file answers has no rule in `_headers` for its
        // policy (the 404 page carries its own); nginx sends the strict
        // one there.
        let expected = if status == 404 {
            let mut all = self::promised(&rules, "/");
            all.retain(|(name, _)| name != "Content-Security-Policy");
            all.push(("Content-Security-Policy".into(), policy.to_string()));
            all
        } else {
            self::promised(&rules, target)
        };
        assert_eq!(expected.len(), promised.len(), "{target}");
        assert_sends(&sent, &expected, target);
        assert!(!body.contains("Written by echt"), "{target}: {body}");
    }
    // The missing page is the site's own 404 page.
    let (_, _, body) = nginx.get("/gibt-es-nicht/");
    assert_eq!(
        body,
        std::fs::read_to_string(public.join("404.html")).unwrap()
    );
}

#[test]
#[ignore = "needs nginx"]
fn a_sites_own_location_with_add_header_still_sends_echts_headers() {
    let site = TestSite::sample()
        .file(
            "static/_nginx.conf",
            "# Bilder und Stile lange cachen\nlocation /posts/ {\n    add_header X-Eigen \"ja\" always;\n    add_header Referrer-Policy \"origin\" always;\n}\nlocation = /style.css {\n    add_header Cache-Control \"max-age=60\";\n    if ($arg_v) { add_header X-Version $arg_v; }\n}\n",
        )
        .file(
            "static/_headers",
            "/*\n  X-Frame-Options: DENY\n  Referrer-Policy: origin\n/posts/*\n  Cache-Control: max-age=300\n",
        )
        .file("static/_redirects", "/alt/ /posts/ 301\n");
    let built = site.build().ok();
    let public = built.public.clone();
    let text = std::fs::read_to_string(public.join("_headers")).unwrap();
    let rules = headers_file(&public.join("_headers"));
    let promised = promised(&rules, "/posts/");
    assert_eq!(promised.len(), 5, "{text}");
    // The site's own lines survive next to echt's rule; the one that would
    // weaken echt's Referrer-Policy does not.
    assert!(text.contains("\n/*\n  X-Frame-Options: DENY\n"), "{text}");
    assert!(
        text.contains("\n/posts/*\n  Cache-Control: max-age=300\n"),
        "{text}"
    );
    assert!(!text.contains("\n  Referrer-Policy: origin"), "{text}");

    let nginx = Nginx::start(&public);
    let own = |sent: &[(String, String)], name: &str| -> Vec<String> {
        sent.iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
            .collect()
    };
    for (target, status, extra) in [
        ("/", 200, None),
        (
            "/posts/was-mich-dieser-blog-kostet/",
            200,
            Some(("X-Eigen", "ja")),
        ),
        // Answered by the site's 404 page, at the server level.
        ("/posts/gibt-es-nicht/", 404, None),
        ("/style.css", 200, Some(("Cache-Control", "max-age=60"))),
        ("/style.css?v=7", 200, Some(("X-Version", "7"))),
        ("/_redirects", 404, None),
    ] {
        let (got, sent, body) = nginx.get(target);
        assert_eq!(got, status, "{target}:\n{sent:?}\n{body}");
        let path = target.split('?').next().unwrap_or(target);
        let promised = match self::promised(&rules, path) {
            // The missing page: the strict policy, as for the rest.
            found if found.len() < promised.len() => promised.clone(),
            found => found,
        };
        assert_sends(&sent, &promised, target);
        if let Some((name, value)) = extra {
            assert_eq!(own(&sent, name), [value], "{target}: {sent:?}");
        }
    }
}

/// Asserts that a response carries each promised header exactly once,
/// with the promised value.
#[track_caller]
fn assert_sends(sent: &[(String, String)], promised: &[(String, String)], target: &str) {
    for (name, value) in promised {
        let values: Vec<&str> = sent
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect();
        assert_eq!(values, [value.as_str()], "{target}: {name}");
    }
}

/// echt's rules in a `_headers` file (before any of the site's own):
/// each path with its headers, in order; the rule for every path first.
fn headers_file(path: &Path) -> Vec<(String, Vec<(String, String)>)> {
    let text = std::fs::read_to_string(path).unwrap();
    let echt = text
        .split("\n# The site's own rules")
        .next()
        .unwrap_or_default();
    let mut rules: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for line in echt
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        match line.strip_prefix("  ") {
            Some(header) => {
                let (name, value) = header.split_once(": ").expect("name: value");
                let rule = rules.last_mut().expect("a header of a rule");
                rule.1.push((name.to_string(), value.to_string()));
            }
            None => rules.push((line.to_string(), Vec::new())),
        }
    }
    assert_eq!(
        rules.first().map(|r| r.0.as_str()),
        Some("/*"),
        "echt's rule first:\n{text}"
    );
    assert!(rules.iter().all(|r| !r.1.is_empty()), "{text}");
    rules
}

/// The headers a host that merges every matching rule (Netlify,
/// Cloudflare Pages) sends for `path`: each header at most once.
fn promised(rules: &[(String, Vec<(String, String)>)], path: &str) -> Vec<(String, String)> {
    let mut headers: Vec<(String, String)> = Vec::new();
    for (rule, set) in rules {
        let matches = match rule.strip_suffix('*') {
            Some(prefix) => path.starts_with(prefix),
            None => rule == path,
        };
        if matches {
            for (name, value) in set {
                assert!(
                    headers.iter().all(|(n, _)| n != name),
                    "{path}: two rules set {name}"
                );
                headers.push((name.clone(), value.clone()));
            }
        }
    }
    headers
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// nginx serving `public` on a free loopback port, killed when dropped.
pub(crate) struct Nginx {
    child: Child,
    address: String,
    dir: TempDir,
}

impl Nginx {
    pub(crate) fn start(public: &Path) -> Nginx {
        let dir = tempfile::tempdir().unwrap();
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let address = format!("127.0.0.1:{port}");
        let here = dir.path().display();
        let public = public.display();
        // One process and no `user`: nothing switches users, so a root
        // nginx reads the temporary folder as well as anyone's does.
        let conf = format!(
            r#"daemon off;
master_process off;
pid "{here}/nginx.pid";
error_log "{here}/error.log";
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path "{here}/client_body";
    proxy_temp_path "{here}/proxy";
    fastcgi_temp_path "{here}/fastcgi";
    uwsgi_temp_path "{here}/uwsgi";
    scgi_temp_path "{here}/scgi";
    types {{ text/html html; text/css css; image/svg+xml svg; image/png png; application/xml xml; }}
    default_type application/octet-stream;
    server {{
        listen {address};
        root "{public}";
        error_page 404 /404.html;
        include "{public}/_nginx.conf";
    }}
}}
"#
        );
        let conf_path = dir.path().join("nginx.conf");
        std::fs::write(&conf_path, conf).unwrap();
        let program = nginx_path();
        let child = Command::new(&program)
            // -e: the log before the configuration is read, not /var/log.
            .arg("-e")
            .arg(dir.path().join("error.log"))
            .arg("-p")
            .arg(dir.path())
            .arg("-c")
            .arg(&conf_path)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("start {}: {e}", program.display()));
        let mut nginx = Nginx {
            child,
            address,
            dir,
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(&nginx.address).is_err() {
            if let Ok(Some(status)) = nginx.child.try_wait() {
                panic!("nginx quit ({status}):\n{}", nginx.log());
            }
            assert!(
                Instant::now() < deadline,
                "nginx did not answer:\n{}",
                nginx.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        nginx
    }

    /// GET `target`: the status, the headers in order, and the body.
    pub(crate) fn get(&self, target: &str) -> (u16, Vec<(String, String)>, String) {
        let mut stream = TcpStream::connect(&self.address).expect("connect");
        write!(
            stream,
            "GET {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.address
        )
        .unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).unwrap();
        let (status, head, body) = split_response(&response);
        let headers = head
            .lines()
            .skip(1)
            .map(|line| {
                let (name, value) = line.split_once(':').expect("a header");
                (name.to_string(), value.trim().to_string())
            })
            .collect();
        (status, headers, String::from_utf8_lossy(body).into_owned())
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("error.log")).unwrap_or_default()
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `$NGINX`, or `nginx` on the PATH, or /usr/sbin/nginx (which a user's
/// PATH may not include).
fn nginx_path() -> PathBuf {
    if let Some(path) = std::env::var_os("NGINX").filter(|p| !p.is_empty()) {
        return PathBuf::from(path);
    }
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .chain([PathBuf::from("/usr/sbin")])
        .map(|dir| dir.join("nginx"))
        .find(|path| path.is_file())
        .unwrap_or_else(|| panic!("needs nginx: install it (apt-get install nginx) or set NGINX"))
}
