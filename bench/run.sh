#!/usr/bin/env bash
# echt build benchmark.
#
# What it measures: the wall time of `echt build` on generated sites of N
# posts (bench/corpus.py: ~4 KB German Markdown per post, 45 tags with a
# Zipf-like spread, posts_per_page 10, feed limit 20, built-in default theme),
# i.e. parsing, Markdown rendering, templates, tag pages with pagination,
# Atom/RSS feeds and writing the output. By default every timed build goes
# into the output of the previous one, as a normal rebuild of public/ does
# (with nothing changed, the build cache lets echt stop early); FRESH=1
# deletes the output folder and the build cache beside it before each timed
# build (not timed) to measure full builds from scratch.
#
# Per N it reports: median, min and max wall time over RUNS builds (after one
# untimed warm-up build), the peak resident memory (max RSS) of the warm-up
# build via `/usr/bin/time -f %M`, the page count from echt's summary line,
# and how long generating the corpus took.
#
# Usage:   bench/run.sh [N...]          (default: 1000 10000)
#          RUNS=10 bench/run.sh 10000   (RUNS defaults to 5)
#          FRESH=1 bench/run.sh         (full builds into an empty output folder)
#          KEEP=1 bench/run.sh          (keep the generated sites and outputs)
# Needs:   cargo, python3; optional: hyperfine (used for timing if present,
#          its JSON goes to the work folder), /usr/bin/time (apt-get install time).
# Target:  10,000 posts in under 1.5 s on a 2-core machine, peak RSS < 250 MB.

set -euo pipefail

RUNS="${RUNS:-5}"
KEEP="${KEEP:-0}"
FRESH="${FRESH:-0}"
if [[ $# -eq 0 ]]; then
    set -- 1000 10000
fi
for n in "$@"; do
    [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: N must be a positive number, got '$n'" >&2; exit 2; }
done
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: RUNS must be a positive number, got '$RUNS'" >&2; exit 2; }

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$BENCH_DIR/.." && pwd)"
BIN="$REPO/target/release/echt"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/echt-bench.XXXXXX")"

cleanup() {
    if [[ "$KEEP" != 1 ]]; then
        # Only the bulky sites and outputs; logs and JSON results stay.
        rm -rf "$WORK"/site-* "$WORK"/out-* "$WORK"/.out-*.echt.cache
    fi
}
trap cleanup EXIT

log() { printf '%s\n' "$*" >&2; }

# Nanoseconds since the epoch: GNU date if it knows %N, else python3.
now_ns() {
    local t
    t="$(date +%s%N)"
    if [[ "$t" =~ ^[0-9]+$ ]]; then
        printf '%s\n' "$t"
    else
        python3 -c 'import time; print(time.time_ns())'
    fi
}

# "median min max" in milliseconds of the seconds given on stdin, one a line.
stats_ms() {
    python3 -c '
import statistics, sys
t = [float(x) * 1000 for x in sys.stdin.read().split()]
print(f"{statistics.median(t):.0f} {min(t):.0f} {max(t):.0f}")'
}

HAVE_TIME=0
if [[ -x /usr/bin/time ]] && /usr/bin/time -f %M true >/dev/null 2>&1; then
    HAVE_TIME=1
else
    log "run.sh: /usr/bin/time (GNU) not found; peak memory is not measured (apt-get install time)"
fi
HAVE_HYPERFINE=0
if command -v hyperfine >/dev/null 2>&1; then
    HAVE_HYPERFINE=1
fi

log "== building echt (release)"
(cd "$REPO" && cargo build --release --quiet)

log "== work folder: $WORK"
log "== $(nproc 2>/dev/null || echo '?') CPUs; RUNS=$RUNS; timing with $([[ $HAVE_HYPERFINE == 1 ]] && echo hyperfine || echo 'date/python')"

ROWS=()
FAILED=0
for n in "$@"; do
    site="$WORK/site-$n"
    out="$WORK/out-$n"
    # The build cache beside the output folder (output::cache::folder).
    cache="$WORK/.out-$n.echt.cache"

    log "== N=$n: generating corpus"
    t0="$(now_ns)"
    python3 "$BENCH_DIR/corpus.py" "$n" "$site" >&2
    t1="$(now_ns)"
    gen_s="$(python3 -c "print(f'{($t1 - $t0) / 1e9:.1f}')")"
    size_mb="$(du -sm "$site/content" | cut -f1)"

    log "== N=$n: warm-up build"
    rss_file="$WORK/rss-$n.txt"
    warm=(build --root "$site" --output "$out")
    set +e
    if [[ $HAVE_TIME == 1 ]]; then
        /usr/bin/time -f %M -o "$rss_file" "$BIN" "${warm[@]}" >"$WORK/warmup-$n.out" 2>"$WORK/warmup-$n.err"
    else
        "$BIN" "${warm[@]}" >"$WORK/warmup-$n.out" 2>"$WORK/warmup-$n.err"
    fi
    status=$?
    set -e
    if [[ $status -ne 0 ]]; then
        log "run.sh: echt build failed on the $n-post corpus (exit $status):"
        cat "$WORK/warmup-$n.err" >&2
        ROWS+=("| $n | build failed (exit $status) | | | | | $gen_s s |")
        FAILED=1
        continue
    fi
    summary="$(grep -m1 '^echt: ' "$WORK/warmup-$n.out" || true)"
    log "   $summary"
    pages="$(sed -nE 's/^echt: ([0-9]+) pages.*/\1/p' <<<"$summary")"
    rss="n/a"
    if [[ $HAVE_TIME == 1 ]]; then
        rss="$(( $(tail -n1 "$rss_file") / 1024 )) MB"
    fi

    log "== N=$n: $RUNS timed builds"
    if [[ $HAVE_HYPERFINE == 1 ]]; then
        json="$WORK/hyperfine-$n.json"
        prepare=()
        if [[ "$FRESH" == 1 ]]; then
            prepare=(--prepare "rm -rf $(printf '%q %q' "$out" "$cache")")
        fi
        hyperfine --runs "$RUNS" --warmup 0 --export-json "$json" "${prepare[@]}" \
            --command-name "echt build ($n posts)" \
            "$(printf '%q ' "$BIN" "${warm[@]}")" >&2
        read -r med min max < <(python3 -c '
import json, sys
for t in json.load(open(sys.argv[1]))["results"][0]["times"]:
    print(t)' "$json" | stats_ms)
    else
        times="$WORK/times-$n.txt"
        : >"$times"
        for ((i = 1; i <= RUNS; i++)); do
            if [[ "$FRESH" == 1 ]]; then rm -rf "$out" "$cache"; fi
            t0="$(now_ns)"
            "$BIN" "${warm[@]}" >/dev/null
            t1="$(now_ns)"
            python3 -c "print(($t1 - $t0) / 1e9)" >>"$times"
            log "   run $i: $(tail -n1 "$times") s"
        done
        read -r med min max < <(stats_ms <"$times")
    fi
    ROWS+=("| $n | ${pages:-?} | $med ms | $min ms | $max ms | $rss | $gen_s s ($size_mb MB) |")
done

echo
echo "echt build, RUNS=$RUNS, $([[ $FRESH == 1 ]] && echo 'fresh output' || echo 'rebuild into previous output'), $(nproc 2>/dev/null || echo '?') CPUs, $(date -u +%Y-%m-%d)"
echo
echo "| posts | pages | median | min | max | peak RSS | corpus generation |"
echo "|------:|------:|-------:|----:|----:|---------:|------------------:|"
printf '%s\n' "${ROWS[@]}"
echo
echo "Logs and results: $WORK"
exit "$FAILED"
