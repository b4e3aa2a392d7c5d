#!/usr/bin/env bash
# Where the time of a fresh `echt build` goes, stage by stage.
#
# Runs one fresh build of a generated corpus (bench/corpus.py, N posts,
# default 1000) under valgrind's callgrind on one thread and prints, per
# stage, the instructions of the functions that stage runs (inclusive, so
# everything they call) and their share of the whole build. Instruction
# counts are exact and do not depend on what else the machine is doing,
# which makes them the right measure on a busy 2-core machine; wall times
# are bench/run.sh's and bench/versus.sh's business.
#
# The stages are echt's folders (ARCHITECTURE.md). Rendering, auditing and
# writing alternate file by file, so they are told apart by the function
# each file passes through (`render_file`, `audit_file`, `write_file`).
#
# Usage:   bench/stages.sh [N]            (default 1000; 10000 takes minutes)
#          CODE=1 bench/stages.sh 1000    (2-3 code blocks in every post: corpus.py --code)
# Needs:   cargo, python3, valgrind (callgrind_annotate).

set -euo pipefail

N="${1:-1000}"
[[ "$N" =~ ^[1-9][0-9]*$ ]] || { echo "stages.sh: N must be a positive number, got '$N'" >&2; exit 2; }
command -v valgrind >/dev/null || { echo "stages.sh: needs valgrind (apt-get install valgrind)" >&2; exit 2; }

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$BENCH_DIR/.." && pwd)"
BIN="$REPO/target/release/echt"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/echt-stages.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

(cd "$REPO" && cargo build --release --quiet)
CORPUS_ARGS=()
[[ "${CODE:-0}" == 1 ]] && CORPUS_ARGS=(--code)
python3 "$BENCH_DIR/corpus.py" "${CORPUS_ARGS[@]}" "$N" "$WORK/site" >/dev/null
# One thread: the counts then add up along one call tree.
RAYON_NUM_THREADS=1 valgrind --tool=callgrind --callgrind-out-file="$WORK/cg.out" \
    "$BIN" build --root "$WORK/site" --output "$WORK/out" >"$WORK/build.log" 2>&1
callgrind_annotate --inclusive=yes --threshold=100 "$WORK/cg.out" >"$WORK/inclusive.txt" 2>/dev/null

python3 - "$WORK/inclusive.txt" "$N" <<'EOF'
import re, sys
text = open(sys.argv[1]).read()
total = int(re.search(r"([\d,]+) \(100\.0+%\)\s+PROGRAM TOTALS", text).group(1).replace(",", ""))

def inclusive(symbol):
    """Instructions of the first line naming exactly this function."""
    m = re.search(r"^\s*([\d,]+) \([^)]*\)\s+\?\?\?:" + re.escape(symbol) + r" \[", text, re.M)
    return int(m.group(1).replace(",", "")) if m else 0

rows = [
    ("source + site + markdown", "load: read, front matter, URLs, Markdown", "echt::site::Site::load"),
    ("", "of which Markdown", "echt::markdown::render"),
    ("", "of which highlighting code", "echt::markdown::highlight::write"),
    ("render", "theme: templates loaded and checked", "echt::render::theme::Theme::load"),
    ("render", "the output list and its owners", "echt::render::outputs::Outputs::new"),
    ("render", "render: tera and feed text, per file", "echt::render::Prepared::render_file"),
    ("", "of which tera", "tera::tera::Tera::render"),
    ("", "of which feeds", "echt::render::feed::Feed::render"),
    ("audit", "audit: the verdict on every file", "echt::render::Prepared::audit_file"),
    ("", "of which the plain reading of pages", "echt::audit::plain::read"),
    ("", "of which html5ever's parse of pages", "echt::audit::tree::document"),
    ("", "of which the byte scan of pages", "echt::audit::scan::read"),
    ("", "of which rules on plainly read pages and feed entries", "echt::audit::html::walk_plain"),
    ("", "of which rules on html5ever's tree", "echt::audit::html::walk"),
    ("", "of which feeds", "echt::audit::feed"),
    ("audit", "conclude: anchors, page weights", "echt::audit::conclude"),
    ("output", "write into the output folder", "echt::render::write_file"),
    ("output", "write the build cache", "echt::output::cache::write_file"),
]
print(f"Fresh build of {sys.argv[2]} posts: {total / 1e9:.2f} G instructions\n")
print("| stage | step | instructions | share |")
print("|---|---|--:|--:|")
for stage, step, symbol in rows:
    n = inclusive(symbol)
    print(f"| {stage} | {step} | {n / 1e6:,.0f} M | {100 * n / total:.1f} % |")
EOF
