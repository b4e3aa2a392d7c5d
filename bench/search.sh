#!/usr/bin/env bash
# What `search: true` costs: build time and index size on a generated blog.
#
# Generates the corpus of bench/corpus.py (N posts, default 10000) once,
# then builds it RUNS times (default 5) from scratch (output folder and
# build cache removed before each build) with search off and RUNS times
# with search on, alternating, and prints the median, min and max wall
# time of each, the peak RSS of the last build of each, and the index:
# files, bytes raw and gzip -9 (what a host sends compressed), the largest
# shard of terms gzip, and what one reader downloads for a first query
# (the script, meta.json, one median shard and one list of documents,
# gzip).
#
# Usage:   bench/search.sh [N]            (RUNS=5 by default)
#          RUNS=3 bench/search.sh 10000
#          BUILD=0 bench/search.sh         (the release binary as it is)
# Needs:   cargo, python3, gzip, bc; /usr/bin/time for the peak RSS.

set -euo pipefail

N="${1:-10000}"
RUNS="${RUNS:-5}"
BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$BENCH_DIR/.." && pwd)"
BIN="$REPO/target/release/echt"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/echt-search.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# BUILD=0 uses the release binary as it is.
if [[ "${BUILD:-1}" == 1 ]]; then (cd "$REPO" && cargo build --release --quiet); fi
python3 "$BENCH_DIR/corpus.py" "$N" "$WORK/off" >/dev/null
cp -r "$WORK/off" "$WORK/on"
printf 'search: true\n' >> "$WORK/on/echt.yaml"

# One build from scratch; prints seconds and peak RSS in KB.
build() {
    local site="$1" out="$WORK/out-$(basename "$1")"
    rm -rf "$out" "$WORK/.out-$(basename "$1").echt.cache"
    local start end rss=0
    start=$(date +%s%N)
    if [[ -x /usr/bin/time ]]; then
        rss=$(/usr/bin/time -f %M "$BIN" build --root "$site" --output "$out" 2>&1 >/dev/null | tail -1)
    else
        "$BIN" build --root "$site" --output "$out" >/dev/null
    fi
    end=$(date +%s%N)
    echo "$(( (end - start) / 1000000 )) $rss"
}

declare -a off on
for _ in $(seq "$RUNS"); do
    off+=("$(build "$WORK/off")")
    on+=("$(build "$WORK/on")")
done

stats() {
    printf '%s\n' "$@" | awk '{print $1}' | sort -n | awk '
        { v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
        printf "%.2f | %.2f | %.2f", m / 1000, v[1] / 1000, v[NR] / 1000 }'
}
rss() { printf '%s\n' "$@" | tail -1 | awk '{printf "%d", $2 / 1024}'; }

echo "echt build of $N posts (bench/corpus.py), fresh each time, RUNS=$RUNS, $(nproc) CPUs, $(date -u +%Y-%m-%d)"
echo
echo "| search | median s | min s | max s | peak RSS MB |"
echo "|---|---|---|---|---|"
echo "| off | $(stats "${off[@]}") | $(rss "${off[@]}") |"
echo "| on | $(stats "${on[@]}") | $(rss "${on[@]}") |"

index="$WORK/out-on/search-index"
gz() { gzip -9 -c "$1" | wc -c; }
raw=0; zipped=0; files=0; largest=0
declare -a shards
for f in "$index"/*; do
    size=$(stat -c %s "$f"); z=$(gz "$f")
    raw=$((raw + size)); zipped=$((zipped + z)); files=$((files + 1))
    case "$(basename "$f")" in
        terms-*) shards+=("$z"); (( z > largest )) && largest=$z ;;
    esac
done
median_shard=$(printf '%s\n' "${shards[@]}" | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}')
first=$(( $(gz "$index/search.js") + $(gz "$index/meta.json") + median_shard + $(gz "$index/docs-0.json") ))
echo
echo "| index | files | raw KB | gzip KB | largest shard gzip KB | median shard gzip KB | first query gzip KB |"
echo "|---|---|---|---|---|---|---|"
printf '| search-index/ | %d | %d | %d | %.1f | %.1f | %.1f |\n' "$files" $((raw / 1024)) $((zipped / 1024)) \
    "$(echo "$largest / 1024" | bc -l)" "$(echo "$median_shard / 1024" | bc -l)" "$(echo "$first / 1024" | bc -l)"
