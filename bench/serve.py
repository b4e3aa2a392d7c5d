#!/usr/bin/env python3
"""echt serve latency benchmark: how long a save takes to reach the browser.

What it measures: on generated sites of N posts (bench/corpus.py), with
`echt serve --root SITE --port 0` running and one Server-Sent Events stream
open on /__echt/events (as an open browser tab has), the time from the start
of writing an edited source file to

  event:  the `reload` event arriving on the open event stream, and
  served: a GET (sent after that event) of the changed page returning the
          new text (a unique marker), i.e. what the reloaded tab would see.

Cases, each its own row:

  post edit      write-in-place of one post: a marker paragraph is appended
                 to the end of its body (the summary stays the same, so only
                 that post's page has to change); a different post each run,
                 chosen deterministically. One untimed warm-up edit first.
  new post       a new file in content/posts/, dated today (so it lands on
                 the first index page and shifts the pagination of its tags);
                 served = its /posts/<slug>/ page shows the marker.
  template edit  templates/post.html, a site override of the default theme's
                 post.html, rewritten with a new HTML comment inside the
                 content block (every post page changes); served = one post
                 page shows it. The override (and the templates/ folder) is
                 created once, untimed, before the timed edits.

Per N and case it reports median, p90 (nearest rank), min and max of both
latencies, the median of the server's own "echt: rebuilt in N ms" lines, and
per N the first full build (process start to the "previewing" line). Runs are
at least --gap ms apart (after the page was served) so that separate saves
stay separate batches (the server merges events less than 40 ms apart, or
10 ms once a write in place was closed).
Anything odd is listed under the table: extra or missing events or rebuilds,
a page still old after its `reload` event, `css` instead of `reload`.

Usage:   python3 bench/serve.py [N ...]           (default: 1000 10000)
         RUNS=5 python3 bench/serve.py 10000      (post edits per N, default 20)
         python3 bench/serve.py --help            (all flags)
Env:     RUNS, OTHER_RUNS (new-post and template runs, default 3), KEEP=1
         (keep the work folder), BUILD=0 (do not run cargo build), ECHT_BIN
         (binary to run), TIMEOUT (seconds, default 30), GAP_MS (default 150),
         SAVE=rename (save via a temporary file renamed over the old one, as
         "atomic save" editors do; default: write in place).
Work folder: --tmpdir DIR, else $TMPDIR, else /dev/shm if it exists, else
         /tmp (tmpfs keeps disk noise out of the numbers; the file system in
         use is printed).
Exit:    0 when all runs completed, 1 when a run failed or timed out (no
         event or no new page within TIMEOUT), 2 for bad arguments, 3 with
         --check-targets when a target was missed.
Targets: post edit served within 100 ms (1,000 posts) and 300 ms (10,000
         posts), median, on a 2-core machine.
Needs:   python3 (standard library only), cargo unless BUILD=0.
"""

import argparse
import datetime as dt
import http.client
import json
import os
import queue
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(BENCH_DIR)
CORPUS = os.path.join(BENCH_DIR, "corpus.py")
THEME_POST = os.path.join(REPO, "themes", "default", "templates", "post.html")

# Median `served` latency of a one-post edit, in ms, by number of posts.
TARGETS_MS = {1000: 100, 10000: 300}

READY_RE = re.compile(r"^echt: previewing .* at (http://\S+?)/?\s*$")
REBUILT_RE = re.compile(r"^echt: rebuilt in (\d+) ms\b")
DATE_PREFIX_RE = re.compile(r"^\d{4}-\d{2}-\d{2}-(.+)$")

now = time.perf_counter


class BenchError(Exception):
    """A run that did not complete: reported, and the exit code is 1."""


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def load_average():
    """The 1-minute load average, to spot a busy machine (None if unknown)."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return None


def env_int(name, default):
    value = os.environ.get(name, "")
    if value == "":
        return default
    if not value.isdigit():
        sys.exit(f"serve.py: {name} must be a number, got {value!r}")
    return int(value)


def positive(text):
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a positive number, got {text!r}")
    return int(text)


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="bench/serve.py",
        description="Latency of `echt serve`: from saving a file to the reload "
        "event and to the new page being served.",
    )
    p.add_argument("sizes", nargs="*", type=positive, metavar="N",
                   help="posts per generated site (default: 1000 10000)")
    p.add_argument("--runs", type=positive, default=env_int("RUNS", 20),
                   help="timed one-post edits per N (env RUNS, default 20)")
    p.add_argument("--other-runs", type=int, default=env_int("OTHER_RUNS", 3),
                   help="timed new-post and template edits per N, 0 skips them "
                   "(env OTHER_RUNS, default 3)")
    p.add_argument("--keep", action="store_true", default=os.environ.get("KEEP") == "1",
                   help="keep the work folder with the generated sites (env KEEP=1)")
    p.add_argument("--no-build", action="store_true", default=os.environ.get("BUILD") == "0",
                   help="do not run `cargo build --release` (env BUILD=0)")
    p.add_argument("--bin", default=os.environ.get("ECHT_BIN") or None,
                   help="run this echt binary instead of target/release/echt "
                   "(implies --no-build; env ECHT_BIN)")
    p.add_argument("--tmpdir", default=None,
                   help="where to put the work folder (default $TMPDIR, else /dev/shm "
                   "if it exists, else /tmp)")
    p.add_argument("--timeout", type=positive, default=env_int("TIMEOUT", 30),
                   help="seconds to wait for an event, a page or the first build "
                   "before failing (env TIMEOUT, default 30)")
    p.add_argument("--gap", type=int, default=env_int("GAP_MS", 150),
                   help="ms of quiet between runs (env GAP_MS, default 150)")
    p.add_argument("--settle", type=float, default=1.0,
                   help="seconds to wait after the preview is ready before the first "
                   "edit (default 1.0)")
    p.add_argument("--no-drafts", action="store_true",
                   help="pass --no-drafts to echt serve (the corpus has no drafts "
                   "and no future posts, so this changes little)")
    p.add_argument("--save", choices=("inplace", "rename"), default=os.environ.get("SAVE", "inplace"),
                   help="how files are saved: overwritten in place (default) or written "
                   "to a temporary file and renamed over the old one (env SAVE)")
    p.add_argument("--json", metavar="FILE",
                   help="also write every run's raw timings to FILE")
    p.add_argument("--check-targets", action="store_true",
                   help="exit 3 if a post-edit median misses its target")
    args = p.parse_args(argv)
    if not args.sizes:
        args.sizes = [1000, 10000]
    if args.save not in ("inplace", "rename"):
        p.error("--save (env SAVE) must be inplace or rename")
    if args.other_runs < 0:
        p.error("--other-runs must be 0 or more")
    if args.gap < 0:
        p.error("--gap must be 0 or more")
    if args.bin:
        args.bin = os.path.abspath(args.bin)
        args.no_build = True
    else:
        args.bin = os.path.join(REPO, "target", "release", "echt")
    return args


# ---------------------------------------------------------------- utilities


def work_parent(flag):
    if flag:
        return flag
    if os.environ.get("TMPDIR"):
        return os.environ["TMPDIR"]
    if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK):
        return "/dev/shm"
    return tempfile.gettempdir()


def filesystem_of(path):
    """'tmpfs on /dev/shm' from /proc/mounts (Linux), else 'unknown'."""
    path = os.path.realpath(path)
    best = None
    try:
        with open("/proc/mounts", encoding="utf-8", errors="replace") as f:
            for line in f:
                parts = line.split()
                if len(parts) < 3:
                    continue
                mount = parts[1].replace("\\040", " ")
                inside = path == mount or path.startswith(mount.rstrip("/") + "/")
                if inside and (best is None or len(mount) > len(best[0])):
                    best = (mount, parts[2])
    except OSError:
        pass
    if best is None:
        return "unknown file system"
    return f"{best[1]} on {best[0]}"


def ms(seconds):
    return seconds * 1000.0


def p90(values):
    """Nearest-rank 90th percentile."""
    s = sorted(values)
    k = max(1, -(-9 * len(s) // 10))  # ceil(0.9 * n)
    return s[k - 1]


def fmt_ms(value):
    if value is None:
        return "–"
    return f"{value:.0f} ms" if value >= 10 else f"{value:.1f} ms"


def write_in_place(path, data):
    """Overwrites the file itself (same inode), as many editors do by default."""
    with open(path, "r+b" if os.path.exists(path) else "wb") as f:
        f.write(data)
        f.truncate()


def write_by_rename(path, data):
    """Writes a hidden temporary file next to it and renames it over the file
    (the "atomic save" of many editors; the temporary name is ignored by echt)."""
    folder, name = os.path.split(path)
    tmp = os.path.join(folder, f".{name}.echtbench.tmp")
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def save(args, path, data):
    if args.save == "rename":
        write_by_rename(path, data)
    else:
        write_in_place(path, data)


def http_get(port, path, timeout):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Cache-Control": "no-cache"})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def url_slug(text):
    """echt's slug for the ASCII file names of the corpus (verified by GET)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def post_url(site, path):
    stem = os.path.splitext(os.path.basename(path))[0]
    m = DATE_PREFIX_RE.match(stem)
    if m:
        stem = m.group(1)
    return f"/posts/{url_slug(stem)}/"


# ------------------------------------------------------------ the server


class Server:
    """`echt serve` as a child process; reads its stdout and stderr."""

    def __init__(self, binary, site, no_drafts):
        cmd = [binary, "serve", "--root", site, "--port", "0"]
        if no_drafts:
            cmd.append("--no-drafts")
        self.cmd = cmd
        self.t_start = now()
        self.proc = subprocess.Popen(
            cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True, encoding="utf-8", errors="replace",
            bufsize=1,
        )
        self.lock = threading.Lock()
        self.ready = threading.Event()
        self.url = None
        self.port = None
        self.t_ready = None
        self.rebuilds = []  # (arrival time, ms)
        self.stderr_lines = []
        self.other_lines = []
        threading.Thread(target=self._stdout, daemon=True).start()
        threading.Thread(target=self._stderr, daemon=True).start()

    def _stdout(self):
        for line in self.proc.stdout:
            t = now()
            line = line.rstrip("\n")
            m = REBUILT_RE.match(line)
            if m:
                with self.lock:
                    self.rebuilds.append((t, int(m.group(1))))
                continue
            m = READY_RE.match(line)
            if m and self.url is None:
                self.url = m.group(1)
                self.port = int(self.url.rsplit(":", 1)[1].split("/")[0])
                self.t_ready = t
                self.ready.set()
                continue
            with self.lock:
                self.other_lines.append(line)
            log(f"   server stdout: {line}")
        self.ready.set()  # wake a waiter if the server died before the line

    def _stderr(self):
        for line in self.proc.stderr:
            line = line.rstrip("\n")
            with self.lock:
                self.stderr_lines.append(line)
            log(f"   server stderr: {line}")

    def wait_ready(self, timeout):
        if not self.ready.wait(timeout) or self.url is None:
            code = self.proc.poll()
            why = f"exited with {code}" if code is not None else f"not ready after {timeout} s"
            raise BenchError(f"echt serve {why}; stderr: {self.stderr_tail()}")
        return self.t_ready - self.t_start

    def rebuilds_since(self, t):
        with self.lock:
            return [(tt, m) for tt, m in self.rebuilds if tt >= t]

    def stderr_tail(self, n=15):
        with self.lock:
            lines = self.stderr_lines[-n:]
        return "\n".join(lines) if lines else "(empty)"

    def check_alive(self):
        code = self.proc.poll()
        if code is not None:
            raise BenchError(f"echt serve exited with {code}; stderr: {self.stderr_tail()}")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class Event:
    __slots__ = ("t", "name", "data")

    def __init__(self, t, name, data):
        self.t, self.name, self.data = t, name, data

    def __repr__(self):
        return f"{self.name}:{self.data}"


class EventStream:
    """One open /__echt/events stream; a thread timestamps events on arrival."""

    CLOSED = object()

    def __init__(self, port, timeout):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock.sendall(
            f"GET /__echt/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            "Accept: text/event-stream\r\nCache-Control: no-cache\r\n\r\n".encode()
        )
        self.sock.settimeout(None)
        self.queue = queue.Queue()
        self.status_line = None
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        buf = b""
        head_done = False
        name, data = None, []
        try:
            while True:
                chunk = self.sock.recv(65536)
                if not chunk:
                    break
                t = now()
                buf += chunk
                if not head_done:
                    end = buf.find(b"\r\n\r\n")
                    if end < 0:
                        continue
                    self.status_line = buf[:end].split(b"\r\n", 1)[0].decode("latin-1")
                    buf = buf[end + 4:]
                    head_done = True
                while b"\n" in buf:
                    raw, buf = buf.split(b"\n", 1)
                    line = raw.rstrip(b"\r").decode("utf-8", "replace")
                    if line == "":
                        if name is not None or data:
                            self.queue.put(Event(t, name or "message", "\n".join(data)))
                        name, data = None, []
                    elif line.startswith(":"):
                        continue
                    else:
                        field, _, value = line.partition(":")
                        if value.startswith(" "):
                            value = value[1:]
                        if field == "event":
                            name = value
                        elif field == "data":
                            data.append(value)
        except OSError:
            pass
        self.queue.put(self.CLOSED)

    def next(self, timeout):
        """The next event, or None after `timeout` seconds."""
        try:
            item = self.queue.get(timeout=max(timeout, 0))
        except queue.Empty:
            return None
        if item is self.CLOSED:
            self.queue.put(self.CLOSED)
            raise BenchError("the event stream was closed by the server")
        return item

    def drain(self):
        items = []
        while True:
            try:
                item = self.queue.get_nowait()
            except queue.Empty:
                return items
            if item is self.CLOSED:
                self.queue.put(self.CLOSED)
                return items
            items.append(item)

    def close(self):
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()


# ---------------------------------------------------------- one edit


class Session:
    """A running preview of one site, with its event stream and bookkeeping."""

    def __init__(self, args, server, stream):
        self.args = args
        self.server = server
        self.stream = stream
        self.notes = []
        self.last_build = None

    def note(self, text):
        self.notes.append(text)
        log(f"   note: {text}")

    def quiet(self, label):
        """Events that arrived while nothing was being edited."""
        late = self.stream.drain()
        for ev in late:
            self._track_build(ev)
        if late:
            self.note(f"{label}: {len(late)} event(s) arrived between runs: {late}")
        return late

    def _track_build(self, ev):
        if ev.name in ("build", "reload", "css") and ev.data.isdigit():
            n = int(ev.data)
            if self.last_build is not None and ev.name != "build" and n != self.last_build + 1:
                self.note(f"build number jumped from {self.last_build} to {n}")
            self.last_build = n

    def measure(self, label, write, page, marker):
        """Writes, waits for the reload event, then GETs `page` until it holds
        `marker`. Returns the run's timings (seconds since the write)."""
        args = self.args
        self.quiet(label)
        self.server.check_alive()
        t_write = now()
        write()
        t_written = now()
        deadline = t_write + args.timeout
        events = []
        while True:
            ev = self.stream.next(deadline - now())
            if ev is None:
                self.server.check_alive()
                raise BenchError(
                    f"{label}: no reload event within {args.timeout} s "
                    f"(events seen: {events or 'none'})"
                )
            events.append(ev)
            self._track_build(ev)
            if ev.data == "error":
                raise BenchError(
                    f"{label}: the rebuild failed; server stderr:\n{self.server.stderr_tail()}"
                )
            if ev.name == "reload":
                break
            if ev.name == "css":
                self.note(f"{label}: got `css` instead of `reload` for a page change")
                break
        t_event = ev.t
        stale = 0
        while True:
            status, body = http_get(self.server.port, page, args.timeout)
            t = now()
            if status == 200 and marker.encode() in body:
                t_served = t
                break
            stale += 1
            if t > deadline:
                raise BenchError(
                    f"{label}: {page} still without the new text {args.timeout} s after "
                    f"the write (last status {status})"
                )
            time.sleep(0.002)
        if stale:
            self.note(
                f"{label}: {page} was still old (or missing) {stale} time(s) after its "
                "reload event"
            )
        # Quiet time, so the next save is a separate batch; then count what
        # else this save caused.
        time.sleep(args.gap / 1000)
        extra = self.stream.drain()
        for e in extra:
            self._track_build(e)
        if extra:
            self.note(f"{label}: {len(extra)} extra event(s) after the first: {extra}")
        rebuilds = self.server.rebuilds_since(t_write)
        if len(rebuilds) != 1:
            self.note(
                f"{label}: {len(rebuilds)} `rebuilt in` lines for one save "
                f"({[m for _, m in rebuilds]})"
            )
        return {
            "label": label,
            "write_ms": ms(t_written - t_write),
            "event_ms": ms(t_event - t_write),
            "served_ms": ms(t_served - t_write),
            "stale_gets": stale,
            "events": [repr(e) for e in events + extra],
            "rebuilt_ms": [m for _, m in rebuilds],
        }


def summarize(n, case, runs):
    ev = [r["event_ms"] for r in runs]
    sv = [r["served_ms"] for r in runs]
    rb = [r["rebuilt_ms"][0] for r in runs if r["rebuilt_ms"]]
    return {
        "posts": n,
        "case": case,
        "runs": len(runs),
        "event": [statistics.median(ev), p90(ev), min(ev), max(ev)],
        "served": [statistics.median(sv), p90(sv), min(sv), max(sv)],
        "rebuilt": statistics.median(rb) if rb else None,
    }


# --------------------------------------------------------- the cases


def post_files(site):
    root = os.path.join(site, "content", "posts")
    found = []
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            if name.endswith((".md", ".markdown")) and not name.startswith("."):
                found.append(os.path.join(folder, name))
    return found


def bench_site(args, n, site, nonce, result):
    """Starts the preview of `site` and runs all cases; fills `result`."""
    log(f"== N={n}: starting echt serve")
    server = Server(args.bin, site, args.no_drafts)
    stream = None
    try:
        first = server.wait_ready(max(args.timeout, 120))
        result["first_build_s"] = first
        log(f"   ready at {server.url}/ after {first:.2f} s (process start to first line)")
        stream = EventStream(server.port, args.timeout)
        hello = stream.next(args.timeout)
        if hello is None or hello.name != "build":
            raise BenchError(
                f"the event stream did not start with `build` (got {hello!r}, "
                f"status {stream.status_line!r})"
            )
        session = Session(args, server, stream)
        session.last_build = int(hello.data) if hello.data.isdigit() else None
        time.sleep(args.settle)
        session.quiet("settle")
        result["notes"] = session.notes

        # One-post edits: a different post each run (cycling if RUNS > N).
        posts = post_files(site)
        if not posts:
            raise BenchError(f"no posts in {site}")
        rng = random.Random(f"echt-serve-bench-{n}")
        count = min(args.runs + 1, len(posts))
        chosen = rng.sample(posts, count)
        picks = [chosen[i % count] for i in range(args.runs + 1)]
        originals = {}
        for path in chosen:
            with open(path, "rb") as f:
                originals[path] = f.read()
            url = post_url(site, path)
            status, _ = http_get(server.port, url, args.timeout)
            if status != 200:
                raise BenchError(f"{path} is not served at {url} (status {status})")
        log(f"== N={n}: post edit, 1 warm-up + {args.runs} timed runs")
        runs = []
        for i, path in enumerate(picks):
            marker = f"echtbench{nonce}p{i}"
            data = originals[path].rstrip(b"\n") + (
                f"\n\nMesspunkt {marker} gesetzt.\n".encode()
            )
            r = session.measure(
                f"post edit {i}" if i else "post edit warm-up",
                lambda p=path, d=data: save(args, p, d),
                post_url(site, path), marker,
            )
            r["file"] = os.path.relpath(path, site)
            if i == 0:
                result["warmup"] = r
                log(f"   warm-up: event {r['event_ms']:.0f} ms, served {r['served_ms']:.0f} ms")
                continue
            runs.append(r)
            log(f"   run {i}: event {r['event_ms']:.0f} ms, served {r['served_ms']:.0f} ms, "
                f"rebuilt {r['rebuilt_ms']} ({r['file']})")
        result["cases"]["post edit"] = runs

        if args.other_runs == 0:
            return
        # New posts, dated today: top of the index, first page of their tags.
        log(f"== N={n}: new post, {args.other_runs} timed runs")
        today = dt.date.today().isoformat()
        runs = []
        for i in range(args.other_runs):
            marker = f"echtbench{nonce}n{i}"
            name = f"echtbench-neu-{nonce}-{i + 1}"
            path = os.path.join(site, "content", "posts", name + ".md")
            text = (
                "---\n"
                f'title: "Neuer Beitrag {i + 1}"\n'
                f"date: {today}\n"
                "tags: [Vertrauen, Arbeit]\n"
                "---\n\n"
                "Ein neuer Beitrag, frisch geschrieben, damit der Benchmark etwas zu tun hat.\n\n"
                f"Messpunkt {marker} gesetzt.\n"
            )
            r = session.measure(
                f"new post {i + 1}",
                lambda p=path, d=text.encode(): save(args, p, d),
                post_url(site, path), marker,
            )
            runs.append(r)
            log(f"   run {i + 1}: event {r['event_ms']:.0f} ms, served {r['served_ms']:.0f} ms, "
                f"rebuilt {r['rebuilt_ms']}")
        result["cases"]["new post"] = runs

        # Template edits: a site override of post.html, changed each run.
        log(f"== N={n}: template edit, creating templates/post.html (untimed), "
            f"then {args.other_runs} timed runs")
        with open(THEME_POST, encoding="utf-8") as f:
            theme_post = f.read()
        if "{% block content %}" not in theme_post:
            raise BenchError(f"{THEME_POST} has no `{{% block content %}}` to mark")
        page = post_url(site, chosen[0])
        template = os.path.join(site, "templates", "post.html")

        def template_text(marker):
            return theme_post.replace(
                "{% block content %}", f"{{% block content %}}\n<!-- echtbench {marker} -->", 1
            ).encode()

        def create(marker):
            os.makedirs(os.path.dirname(template), exist_ok=True)
            save(args, template, template_text(marker))

        marker = f"echtbench{nonce}t0"
        r = session.measure("template created", lambda: create(marker), page, marker)
        result["template_created"] = r
        log(f"   created: event {r['event_ms']:.0f} ms, served {r['served_ms']:.0f} ms, "
            f"rebuilt {r['rebuilt_ms']}")
        runs = []
        for i in range(args.other_runs):
            marker = f"echtbench{nonce}t{i + 1}"
            r = session.measure(
                f"template edit {i + 1}",
                lambda d=template_text(marker): save(args, template, d),
                page, marker,
            )
            runs.append(r)
            log(f"   run {i + 1}: event {r['event_ms']:.0f} ms, served {r['served_ms']:.0f} ms, "
                f"rebuilt {r['rebuilt_ms']}")
        result["cases"]["template edit"] = runs
    finally:
        if stream is not None:
            stream.close()
        server.stop()


# ------------------------------------------------------------------ main


def main(argv):
    args = parse_args(argv)

    # SIGTERM and SIGHUP clean up like Ctrl-C.
    def stop(signum, _frame):
        raise SystemExit(128 + signum)

    for sig in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if sig is not None:
            signal.signal(sig, stop)

    if not args.no_build:
        log("== building echt (release)")
        done = subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO)
        if done.returncode != 0:
            log("serve.py: cargo build failed")
            return 1
    if not os.access(args.bin, os.X_OK):
        log(f"serve.py: no echt binary at {args.bin} (build it, or pass --bin)")
        return 1

    parent = work_parent(args.tmpdir)
    os.makedirs(parent, exist_ok=True)
    work = tempfile.mkdtemp(prefix="echt-serve-bench.", dir=parent)
    fs = filesystem_of(work)
    cpus = os.cpu_count() or "?"
    nonce = os.urandom(3).hex()
    log(f"== work folder: {work} ({fs})")
    log(f"== {cpus} CPUs; RUNS={args.runs}, OTHER_RUNS={args.other_runs}, save {args.save}, gap {args.gap} ms, "
        f"timeout {args.timeout} s; binary {args.bin}")

    results = []
    failed = False
    try:
        for n in args.sizes:
            site = os.path.join(work, f"site-{n}")
            result = {"posts": n, "cases": {}, "notes": [], "error": None,
                      "load_before": load_average()}
            results.append(result)
            log(f"== N={n}: generating corpus")
            t0 = now()
            gen = subprocess.run([sys.executable, CORPUS, str(n), site],
                                 stdout=subprocess.PIPE, text=True)
            result["corpus_s"] = now() - t0
            if gen.returncode != 0:
                result["error"] = "corpus.py failed"
                failed = True
                continue
            log(f"   {gen.stdout.strip()} ({result['corpus_s']:.1f} s)")
            try:
                bench_site(args, n, site, nonce, result)
            except BenchError as e:
                result["error"] = str(e)
                failed = True
                log(f"serve.py: N={n} FAILED: {e}")
            result["load_after"] = load_average()
            log("   load average (1 min) before/after: " + "/".join(
                "?" if x is None else f"{x:.1f}"
                for x in (result["load_before"], result["load_after"])))
            if not args.keep:
                shutil.rmtree(site, ignore_errors=True)
    finally:
        if args.keep:
            log(f"== kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    # ---- report
    rows = []
    for result in results:
        for case in ("post edit", "new post", "template edit"):
            runs = result["cases"].get(case)
            if runs:
                rows.append(summarize(result["posts"], case, runs))
        result["summary"] = [r for r in rows if r["posts"] == result["posts"]]

    print()
    print(f"echt serve latency, {cpus} CPUs, work folder on {fs}, RUNS={args.runs} "
          f"(+1 warm-up), OTHER_RUNS={args.other_runs}, save {args.save}, gap {args.gap} ms, "
          f"{dt.date.today().isoformat()}")
    print()
    print("Milliseconds from the start of the write to the `reload` event (event) and to "
          "a GET returning the new text (served); rebuilt = median of the server's "
          "`rebuilt in` lines.")
    print()
    if not rows:
        print("(no completed runs)")
    print("| posts | case | runs | event median | event p90 | event min | event max "
          "| served median | served p90 | served min | served max | rebuilt |")
    print("|------:|:-----|-----:|------:|------:|------:|------:"
          "|------:|------:|------:|------:|------:|")
    for r in rows:
        e, s = r["event"], r["served"]
        print(f"| {r['posts']} | {r['case']} | {r['runs']} | "
              + " | ".join(fmt_ms(x) for x in e) + " | "
              + " | ".join(fmt_ms(x) for x in s) + f" | {fmt_ms(r['rebuilt'])} |")
    print()
    print("| posts | first build (start → ready) | corpus generation | load avg before/after "
          "| target (post edit, served median) |")
    print("|------:|------:|------:|:------:|:------|")
    missed = False
    for result in results:
        n = result["posts"]
        first = result.get("first_build_s")
        first = f"{first * 1000:.0f} ms" if first is not None else "–"
        target = TARGETS_MS.get(n)
        post = next((r for r in rows if r["posts"] == n and r["case"] == "post edit"), None)
        if result["error"] and post is None:
            verdict = "FAILED"
        elif target is None:
            verdict = "none for this N"
        elif post is None:
            verdict = "–"
        elif post["served"][0] < target:
            verdict = f"< {target} ms: met"
        else:
            verdict = f"< {target} ms: missed"
            missed = True
        load = "/".join("?" if x is None else f"{x:.1f}"
                        for x in (result.get("load_before"), result.get("load_after")))
        print(f"| {n} | {first} | {result.get('corpus_s', 0):.1f} s | {load} | {verdict} |")
    problems = [(r["posts"], note) for r in results for note in r["notes"]]
    errors = [(r["posts"], r["error"]) for r in results if r["error"]]
    if problems or errors:
        print()
        print("Notes:")
        for n, text in errors:
            print(f"- N={n}: FAILED: {text}")
        for n, text in problems:
            print(f"- N={n}: {text}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"cpus": cpus, "filesystem": fs, "args": vars(args),
                       "results": results}, f, indent=1)
        log(f"== raw timings: {args.json}")
    if failed:
        return 1
    if args.check_targets and missed:
        return 3
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        sys.exit(130)
