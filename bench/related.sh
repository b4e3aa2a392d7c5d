#!/usr/bin/env bash
# Related posts: what they cost a fresh build.
#
# What it measures: full builds (output folder and build cache removed
# before each, not timed) of one generated site (bench/corpus.py: N posts,
# 1-4 of 45 tags each with a Zipf-like spread, so the biggest tags have
# thousands of posts) with `related: {count: 3}` (the default) and with
# `related: {count: 0}` (off), alternating on/off so that a change in the
# machine's load hits both alike. Per setting: median, min and max of wall
# time and of CPU time (user + system of the build, from the kernel's
# accounting of children), and the ratio of the medians (on / off).
#
# Usage:   bench/related.sh [N]            (default 10000)
#          RUNS=7 bench/related.sh 10000   (RUNS defaults to 5)
#          KEEP=1 bench/related.sh         (keep the site and outputs)
# Needs:   cargo, python3. (hyperfine is not needed.)
# Target:  on / off not measurably above 1.

set -euo pipefail

RUNS="${RUNS:-5}"
KEEP="${KEEP:-0}"
N="${1:-10000}"
[[ "$N" =~ ^[1-9][0-9]*$ ]] || { echo "related.sh: N must be a positive number, got '$N'" >&2; exit 2; }
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || { echo "related.sh: RUNS must be a positive number, got '$RUNS'" >&2; exit 2; }

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$BENCH_DIR/.." && pwd)"
BIN="$REPO/target/release/echt"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/echt-related.XXXXXX")"

cleanup() {
    if [[ "$KEEP" != 1 ]]; then
        rm -rf "$WORK"/site-* "$WORK"/out-* "$WORK"/.out-*.echt.cache
    fi
}
trap cleanup EXIT

log() { printf '%s\n' "$*" >&2; }

log "== building echt (release)"
(cd "$REPO" && cargo build --release --quiet)

site="$WORK/site-$N"
log "== N=$N: generating corpus in $WORK"
python3 "$BENCH_DIR/corpus.py" "$N" "$site" >&2
base_config="$(cat "$site/echt.yaml")"

python3 - "$BIN" "$site" "$WORK" "$RUNS" "$base_config" <<'PY'
import os, resource, statistics, subprocess, sys, time, shutil

binary, site, work, runs, base = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
settings = {"on": 3, "off": 0}
out = os.path.join(work, "out-related")
cache = os.path.join(work, ".out-related.echt.cache")
times = {name: {"wall": [], "cpu": []} for name in settings}
pages = {}

def build(name):
    with open(os.path.join(site, "echt.yaml"), "w") as f:
        f.write(base + f"\nrelated:\n  count: {settings[name]}\n")
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run([binary, "build", "--root", site, "--output", out],
                          capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"echt build failed ({name}):\n{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    pages[name] = done.stdout.strip().splitlines()[0] if done.stdout.strip() else "?"
    return wall, cpu

# One warm-up of each (file cache, picture store), not counted.
for name in settings:
    build(name)
for i in range(runs):
    for name in (("on", "off") if i % 2 == 0 else ("off", "on")):
        wall, cpu = build(name)
        times[name]["wall"].append(wall)
        times[name]["cpu"].append(cpu)
        print(f"   run {i + 1} {name}: wall {wall:.2f} s, cpu {cpu:.2f} s", file=sys.stderr)

def ms(values):
    return f"{statistics.median(values) * 1000:.0f} ms | {min(values) * 1000:.0f} | {max(values) * 1000:.0f}"

print()
print(f"echt build, fresh, related posts on (count 3) and off (count 0), RUNS={runs}, "
      f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}, {time.strftime('%Y-%m-%d', time.gmtime())}")
for name in settings:
    print(f"  {name}: {pages[name]}")
print()
print("| related | wall median | min | max | CPU median | min | max |")
print("|---|--:|--:|--:|--:|--:|--:|")
for name in settings:
    t = times[name]
    print(f"| {name} | {ms(t['wall'])} | {ms(t['cpu'])} |")
ratio = lambda kind: statistics.median(times["on"][kind]) / statistics.median(times["off"][kind])
print()
print(f"on / off: wall {ratio('wall'):.3f}, CPU {ratio('cpu'):.3f}")
PY
