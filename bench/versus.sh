#!/usr/bin/env bash
# echt versus Hugo: the same posts, built side by side (issue 10).
#
# For each N, bench/corpus.py generates the echt site once (the corpus of
# bench/run.sh); the same posts are then copied into a Hugo site whose
# configuration and layouts are bench/hugo/ (see its config.yaml: posts,
# home and tag lists paginated 10 per page, tag index, archive, RSS and Atom
# feeds of the site and of every tag, sitemap, 404 page). The only change to
# the copies is the summary marker: echt reads `<!-- more -->`, Hugo only
# `<!--more-->`.
#
# What it measures, per N, echt and Hugo alternating (echt, Hugo, echt,
# Hugo, ...) so that machine noise hits both, RUNS times each:
#   fresh    a full build into an empty output folder (the output folder and
#            echt's build cache beside it, and
#            for Hugo its resources/ and cache folders, are deleted before
#            each timed build, untimed);
#   rebuild  a build into the previous output with nothing changed;
#   edit     a paragraph is appended to one post (a different post each run,
#            the same post in both sites, untimed), then each tool builds
#            into its previous output.
# Each timed build runs under GNU /usr/bin/time, which gives its peak
# resident memory (%M) and CPU time (%U + %S); the wall time is taken around
# it. Before the timed builds, one untimed build of each tool fills the
# outputs, warms the caches and gives the page counts.
#
# The report is a Markdown table per case: median, min and max wall time of
# each tool, the ratio of the medians (Hugo / echt; above 1 means echt is
# faster), the largest peak RSS of each tool over the case's runs, and a
# second table with the median CPU time. Below it: pages written by each
# (HTML files; for Hugo less its alias redirects /page/1/), feeds, output size.
#
# If Hugo is not installed (apt-get install hugo), the script says so and
# times echt alone.
#
# Usage:   bench/versus.sh [N...]            (default: 1000 10000)
#          RUNS=3 bench/versus.sh 10000      (RUNS defaults to 5)
#          HUGO=/path/to/hugo bench/versus.sh
#          BUILD=0 bench/versus.sh           (use target/release/echt as it is)
#          KEEP=1 bench/versus.sh            (keep the generated sites and outputs)
#          CODE=1 bench/versus.sh 10000      (2-3 code blocks in every post: corpus.py --code;
#                                             both tools highlight them)
# Needs:   cargo, python3, GNU time (apt-get install time); hugo optional.
# Where:   under $TMPDIR, else /dev/shm (tmpfs, so the disk stays out of the
#          numbers), else /tmp; the file system type is printed.

set -euo pipefail

RUNS="${RUNS:-5}"
KEEP="${KEEP:-0}"
CODE="${CODE:-0}"
CORPUS_ARGS=()
[[ "$CODE" == 1 ]] && CORPUS_ARGS=(--code)
BUILD="${BUILD:-1}"
HUGO="${HUGO:-hugo}"
if [[ $# -eq 0 ]]; then
    set -- 1000 10000
fi
for n in "$@"; do
    [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "versus.sh: N must be a positive number, got '$n'" >&2; exit 2; }
done
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || { echo "versus.sh: RUNS must be a positive number, got '$RUNS'" >&2; exit 2; }

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$BENCH_DIR/.." && pwd)"
BIN="$REPO/target/release/echt"

log() { printf '%s\n' "$*" >&2; }
die() { log "versus.sh: $*"; exit 1; }

# GNU time is what gives the peak memory; without it the comparison is half.
if ! /usr/bin/time -f %M -o /dev/null true 2>/dev/null; then
    die "GNU /usr/bin/time is needed for the peak memory (apt-get install time)"
fi

HAVE_HUGO=0
HUGO_VERSION="not installed"
if command -v "$HUGO" >/dev/null 2>&1; then
    HAVE_HUGO=1
    HUGO_VERSION="$("$HUGO" version | head -n1)"
else
    log "versus.sh: '$HUGO' not found, timing echt alone (apt-get install hugo, or HUGO=/path/to/hugo)"
fi

if [[ -n "${TMPDIR:-}" ]]; then
    base="$TMPDIR"
elif [[ -d /dev/shm && -w /dev/shm ]]; then
    base=/dev/shm
else
    base=/tmp
fi
WORK="$(mktemp -d "$base/echt-versus.XXXXXX")"
FS="$(stat -f -c %T "$WORK")"
cleanup() {
    if [[ "$KEEP" != 1 ]]; then
        # The bulky sites and outputs; the logs and raw timings stay.
        rm -rf "$WORK"/echt-site-* "$WORK"/hugo-site-* "$WORK"/out-* "$WORK"/cache-* "$WORK"/.out-*.echt.cache
    fi
}
trap cleanup EXIT

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

if [[ "$BUILD" == 1 ]]; then
    log "== building echt (release)"
    (cd "$REPO" && cargo build --release --quiet)
fi
[[ -x "$BIN" ]] || die "$BIN not found (build it, or run without BUILD=0)"

log "== work folder: $WORK ($FS)"
[[ "$FS" == tmpfs ]] || log "versus.sh: $WORK is not on tmpfs; fresh builds will include disk writes (TMPDIR=/dev/shm)"
log "== $(nproc 2>/dev/null || echo '?') CPUs; RUNS=$RUNS; $HUGO_VERSION"
# Other work on the machine slows both tools' wall times (CPU times suffer
# less); the load averages at the start and the end go into the report.
LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"

# One line per timed build: N, case, tool, run, wall seconds, peak RSS in KB,
# CPU seconds (user + sys).
RESULTS="$WORK/results.tsv"
: >"$RESULTS"
# One line per N and tool: N, tool, pages, feeds, output MB, the tool's own summary.
PAGES="$WORK/pages.tsv"
: >"$PAGES"

# timed N CASE TOOL RUN COMMAND...: runs COMMAND once under /usr/bin/time and
# appends its wall time, peak RSS and CPU time to $RESULTS.
timed() {
    local n="$1" case="$2" tool="$3" run="$4"
    shift 4
    local t0 t1 stats="$WORK/time-$tool.txt"
    t0="$(now_ns)"
    if ! /usr/bin/time -f '%M %U %S' -o "$stats" "$@" >"$WORK/last-$tool.out" 2>"$WORK/last-$tool.err"; then
        log "versus.sh: $tool build failed ($case, N=$n, run $run):"
        cat "$WORK/last-$tool.err" >&2
        exit 1
    fi
    t1="$(now_ns)"
    local rss user sys
    read -r rss user sys < <(tail -n1 "$stats")
    python3 -c "print('\t'.join(['$n', '$case', '$tool', '$run', str(($t1 - $t0) / 1e9), '$rss', str($user + $sys)]))" >>"$RESULTS"
    log "   $case $tool run $run: $(tail -n1 "$RESULTS" | cut -f5 | cut -c1-5) s, $((rss / 1024)) MB"
}

for n in "$@"; do
    esite="$WORK/echt-site-$n"
    hsite="$WORK/hugo-site-$n"
    eout="$WORK/out-echt-$n"
    # echt's build cache sits beside its output folder (ARCHITECTURE.md).
    ecache="$WORK/.out-echt-$n.echt.cache"
    hout="$WORK/out-hugo-$n"
    hcache="$WORK/cache-hugo-$n"

    # --- The sites (untimed). ---
    log "== N=$n: generating the corpus"
    python3 "$BENCH_DIR/corpus.py" "${CORPUS_ARGS[@]}" "$n" "$esite" >&2
    if [[ $HAVE_HUGO == 1 ]]; then
        log "== N=$n: mirroring the posts into a Hugo site"
        mkdir -p "$hsite/content"
        cp "$BENCH_DIR/hugo/config.yaml" "$hsite/"
        cp -R "$BENCH_DIR/hugo/layouts" "$BENCH_DIR/hugo/static" "$hsite/"
        cp -R "$esite/content/posts" "$hsite/content/"
        find "$hsite/content" -name '*.md' -exec sed -i 's/^<!-- more -->$/<!--more-->/' {} +
    fi
    # The posts, by path below content/posts/ (the same in both sites), for the edits.
    mapfile -t posts < <(cd "$esite/content/posts" && find . -name '*.md' | sort)

    # The timed commands. Hugo: no --gc, no --minify; --cacheDir keeps its
    # file cache in the work folder, where the fresh case can delete it.
    echt_cmd=("$BIN" build --root "$esite" --output "$eout")
    hugo_cmd=("$HUGO" --quiet --source "$hsite" --destination "$hout" --cacheDir "$hcache")
    # The outputs that the edit case checks.
    outs=("$eout")
    if [[ $HAVE_HUGO == 1 ]]; then
        outs+=("$hout")
    fi

    # --- Warm-up: one untimed build each; page counts from it. ---
    log "== N=$n: warm-up builds"
    "${echt_cmd[@]}" >"$WORK/warmup-echt-$n.out" 2>&1 \
        || { cat "$WORK/warmup-echt-$n.out" >&2; die "echt build failed on the $n-post corpus"; }
    summary="$(grep -m1 '^echt: ' "$WORK/warmup-echt-$n.out" || true)"
    log "   $summary"
    printf '%s\techt\t%s\t%s\t%s\t%s\n' "$n" \
        "$(find "$eout" -type f -name '*.html' | wc -l)" \
        "$(find "$eout" -type f \( -name 'atom.xml' -o -name 'rss.xml' \) | wc -l)" \
        "$(du -sm "$eout" | cut -f1)" "$summary" >>"$PAGES"
    if [[ $HAVE_HUGO == 1 ]]; then
        # Without --quiet, for Hugo's own summary table.
        "$HUGO" --source "$hsite" --destination "$hout" --cacheDir "$hcache" >"$WORK/warmup-hugo-$n.out" 2>&1 \
            || { cat "$WORK/warmup-hugo-$n.out" >&2; die "hugo failed on the $n-post corpus"; }
        hpages="$(awk -F'|' '$1 ~ /^ *Pages *$/ {gsub(/ /, "", $2); print $2}' "$WORK/warmup-hugo-$n.out")"
        hpaginator="$(awk -F'|' '$1 ~ /^ *Paginator pages *$/ {gsub(/ /, "", $2); print $2}' "$WORK/warmup-hugo-$n.out")"
        haliases="$(awk -F'|' '$1 ~ /^ *Aliases *$/ {gsub(/ /, "", $2); print $2}' "$WORK/warmup-hugo-$n.out")"
        summary="hugo: Pages ${hpages:-?}, Paginator pages ${hpaginator:-?}, Aliases ${haliases:-?}"
        log "   $summary"
        # HTML pages less the alias files (redirects from /page/1/ to the list's first page).
        printf '%s\thugo\t%s\t%s\t%s\t%s\n' "$n" \
            "$(($(find "$hout" -type f -name '*.html' | wc -l) - ${haliases:-0}))" \
            "$(find "$hout" -type f \( -name 'atom.xml' -o -name 'rss.xml' \) | wc -l)" \
            "$(du -sm "$hout" | cut -f1)" "$summary" >>"$PAGES"
    fi

    # --- Fresh builds: empty output (and Hugo's caches) before each. ---
    log "== N=$n: $RUNS fresh builds each"
    for ((i = 1; i <= RUNS; i++)); do
        rm -rf "$eout" "$ecache"
        timed "$n" fresh echt "$i" "${echt_cmd[@]}"
        if [[ $HAVE_HUGO == 1 ]]; then
            rm -rf "$hout" "$hsite/resources" "$hcache"
            timed "$n" fresh hugo "$i" "${hugo_cmd[@]}"
        fi
    done

    # --- Unchanged rebuilds: into the previous output, nothing changed. ---
    log "== N=$n: $RUNS unchanged rebuilds each"
    for ((i = 1; i <= RUNS; i++)); do
        timed "$n" rebuild echt "$i" "${echt_cmd[@]}"
        if [[ $HAVE_HUGO == 1 ]]; then
            timed "$n" rebuild hugo "$i" "${hugo_cmd[@]}"
        fi
    done

    # --- One-post edits: append a paragraph to one post, then rebuild. ---
    log "== N=$n: $RUNS one-post edit rebuilds each"
    for ((i = 1; i <= RUNS; i++)); do
        # Posts spread evenly over the corpus, a different one each run.
        post="${posts[$(((i - 1) * n / RUNS + n / (2 * RUNS)))]}"
        paragraph="Nachtrag $i von versus.sh: Dieser Absatz wurde angehängt, damit genau dieser Beitrag neu gebaut werden muss."
        printf '\n%s\n' "$paragraph" >>"$esite/content/posts/$post"
        timed "$n" edit echt "$i" "${echt_cmd[@]}"
        if [[ $HAVE_HUGO == 1 ]]; then
            printf '\n%s\n' "$paragraph" >>"$hsite/content/posts/$post"
            timed "$n" edit hugo "$i" "${hugo_cmd[@]}"
        fi
        # The edit must show in every output, or the case measured nothing.
        slug="$(basename "$post" .md)"
        for out in "${outs[@]}"; do
            grep -q "Nachtrag $i von versus.sh" "$out/posts/$slug/index.html" \
                || die "the edit of $post is missing from $out/posts/$slug/index.html"
        done
    done
done

# --- The report. ---
echo
echo "echt vs Hugo, RUNS=$RUNS, $(nproc 2>/dev/null || echo '?') CPUs, $FS ($WORK), $(date -u +%Y-%m-%d)"
echo "echt: $("$BIN" --version 2>/dev/null || echo "$BIN"); Hugo: $HUGO_VERSION"
echo "load average (1, 5, 15 min) at the start: $LOAD_START; at the end: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
echo
python3 - "$RESULTS" "$PAGES" <<'EOF'
import collections, statistics, sys

runs = collections.defaultdict(list)  # (n, case, tool) -> [(wall s, rss KB, cpu s)]
order = []
for line in open(sys.argv[1], encoding="utf-8"):
    n, case, tool, _run, wall, rss, cpu = line.rstrip("\n").split("\t")
    key = (int(n), case)
    if key not in order:
        order.append(key)
    runs[(int(n), case, tool)].append((float(wall), int(rss), float(cpu)))

LABEL = {"fresh": "fresh build", "rebuild": "unchanged rebuild", "edit": "one-post edit"}

def ms(s):
    return f"{s * 1000:.0f} ms"

def cell(n, case, tool):
    r = runs.get((n, case, tool))
    if not r:
        return None
    wall = [w for w, _, _ in r]
    return {
        "median": statistics.median(wall),
        "range": f"{ms(min(wall))} – {ms(max(wall))}",
        "rss": f"{max(m for _, m, _ in r) / 1024:.0f} MB",
        "cpu": statistics.median(c for _, _, c in r),
    }

print("| posts | case | echt median | echt min – max | Hugo median | Hugo min – max | Hugo / echt | echt peak RSS | Hugo peak RSS |")
print("|------:|:-----|------------:|---------------:|------------:|---------------:|------------:|--------------:|--------------:|")
for n, case in order:
    e, h = cell(n, case, "echt"), cell(n, case, "hugo")
    if h:
        hugo = [ms(h["median"]), h["range"], f"{h['median'] / e['median']:.2f}×", h["rss"]]
    else:
        hugo = ["–", "–", "–", "–"]
    print(f"| {n} | {LABEL[case]} | {ms(e['median'])} | {e['range']} | {hugo[0]} | {hugo[1]} | {hugo[2]} | {e['rss']} | {hugo[3]} |")

print()
print("CPU time (user + sys), median; both tools use every core:")
print()
print("| posts | case | echt CPU | Hugo CPU |")
print("|------:|:-----|---------:|---------:|")
for n, case in order:
    e, h = cell(n, case, "echt"), cell(n, case, "hugo")
    print(f"| {n} | {LABEL[case]} | {ms(e['cpu'])} | {ms(h['cpu']) if h else '–'} |")

print()
print("Output of the warm-up build (pages = HTML files written, for Hugo less its")
print("alias redirects; feeds = rss.xml and atom.xml files):")
print()
print("| posts | tool | pages | feeds | output | own summary |")
print("|------:|:-----|------:|------:|-------:|:------------|")
for line in open(sys.argv[2], encoding="utf-8"):
    n, tool, pages, feeds, mb, summary = line.rstrip("\n").split("\t", 5)
    print(f"| {n} | {tool} | {pages} | {feeds} | {mb} MB | {summary} |")
EOF
echo
echo "Raw timings: $RESULTS"
