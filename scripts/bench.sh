#!/usr/bin/env bash
# Benchmark `niemyet build` on generated sites of 1,000 and 10,000 procedures.
#
#   bash scripts/bench.sh
#
# Builds the release binary, generates the sites with scripts/gen_site.py into
# $BENCH_DIR (default: ${TMPDIR:-/tmp}/niemyet-bench; reused when the generator
# has not changed), then times `niemyet build --root SITE --output SITE/public`
# RUNS times per site (the first run is a warm-up and is not counted) and
# prints a markdown table: median / min / max wall time, median CPU time
# (user + system; steadier than wall time on a busy machine), peak resident
# memory, files written, output and content size, and the wall time of one
# `niemyet check` run for comparison (it validates everything and writes
# nothing). The counted runs are rebuilds: each replaces the previous output.
#
# Uses hyperfine when it is installed, else a plain loop timed with date +%s.%N.
# Environment: BENCH_DIR, SIZES (default "1000 10000"), RUNS (default 5).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_DIR="${BENCH_DIR:-${TMPDIR:-/tmp}/niemyet-bench}"
SIZES="${SIZES:-1000 10000}"
RUNS="${RUNS:-5}"
GEN="$ROOT/scripts/gen_site.py"
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/niemyet"

if (( RUNS < 2 )); then
    echo "RUNS must be at least 2 (the first run is a warm-up)" >&2
    exit 2
fi

echo "==> building the release binary" >&2
(cd "$ROOT" && cargo build --release --quiet)
[[ -x "$BIN" ]] || { echo "no binary at $BIN" >&2; exit 1; }

mkdir -p "$BENCH_DIR"
WORK="$(mktemp -d "$BENCH_DIR/.run.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

if command -v hyperfine >/dev/null 2>&1; then
    TIMER=hyperfine
else
    TIMER=loop
fi
if [[ -x /usr/bin/time ]]; then
    GNU_TIME=/usr/bin/time
else
    GNU_TIME=
fi

now() { date +%s.%N; }
LOAD0=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')

# median / min / max of the numbers on stdin, one per line
stats() {
    sort -g | awk '{ v[NR] = $1 }
        END {
            if (NR == 0) { print "n/a n/a n/a"; exit }
            if (NR % 2) m = v[(NR + 1) / 2]; else m = (v[NR / 2] + v[NR / 2 + 1]) / 2
            printf "%.2f %.2f %.2f\n", m, v[1], v[NR]
        }'
}

fail_build() {  # $1 = site, $2 = stderr file
    echo "" >&2
    echo "!! niemyet build failed on $1:" >&2
    cat "$2" >&2
    exit 1
}

gen_hash="$(sha256sum "$GEN" | cut -d' ' -f1)"
ROWS=()

for n in $SIZES; do
    site="$BENCH_DIR/site-$n"
    if [[ -f "$site/site.toml" && "$(cat "$site/.gen_site.sha256" 2>/dev/null)" == "$gen_hash" ]]; then
        echo "==> reusing $site" >&2
    else
        echo "==> generating $n procedures into $site" >&2
        rm -rf "$site/public"     # output of an older generated site
        python3 "$GEN" "$n" "$site"
        echo "$gen_hash" > "$site/.gen_site.sha256"
    fi

    # check validates (and, as of this writing, renders the whole plan in memory)
    # but writes nothing: the gap to build is mostly file-system work
    t0=$(now)
    "$BIN" check --root "$site" >/dev/null 2>"$WORK/check.err" || fail_build "$site (check)" "$WORK/check.err"
    t1=$(now)
    check_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')

    cmd=("$BIN" build --root "$site" --output "$site/public")
    : > "$WORK/times"
    : > "$WORK/rss"
    : > "$WORK/cpu"
    echo "==> timing build of $n procedures ($RUNS runs, first is warm-up, $TIMER)" >&2
    if [[ $TIMER == hyperfine ]]; then
        printf -v cmdline '%q ' "${cmd[@]}"
        hyperfine --warmup 1 --runs $((RUNS - 1)) --style basic \
            --export-json "$WORK/h.json" "$cmdline" >&2 || fail_build "$site" /dev/null
        python3 -c 'import json,sys
r = json.load(open(sys.argv[1]))["results"][0]
for t in r["times"]: print(t)
print(r["user"] + r["system"], file=open(sys.argv[2], "w"))' "$WORK/h.json" "$WORK/cpu" > "$WORK/times"
        # one more run for the memory figure
        if [[ -n $GNU_TIME ]]; then
            "$GNU_TIME" -f '%M %U %S' -o "$WORK/rss.one" "${cmd[@]}" >/dev/null 2>"$WORK/build.err" || fail_build "$site" "$WORK/build.err"
            tail -n1 "$WORK/rss.one" | cut -d' ' -f1 >> "$WORK/rss"
        fi
    else
        for ((i = 1; i <= RUNS; i++)); do
            t0=$(now)
            if [[ -n $GNU_TIME ]]; then
                "$GNU_TIME" -f '%M %U %S' -o "$WORK/rss.one" "${cmd[@]}" >/dev/null 2>"$WORK/build.err" || fail_build "$site" "$WORK/build.err"
            else
                "${cmd[@]}" >/dev/null 2>"$WORK/build.err" || fail_build "$site" "$WORK/build.err"
            fi
            t1=$(now)
            el=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
            if (( i == 1 )); then
                echo "    run $i: ${el}s (warm-up)" >&2
                continue
            fi
            echo "    run $i: ${el}s" >&2
            echo "$el" >> "$WORK/times"
            if [[ -n $GNU_TIME ]]; then
                tail -n1 "$WORK/rss.one" | awk '{ print $1 }' >> "$WORK/rss"
                tail -n1 "$WORK/rss.one" | awk '{ print $2 + $3 }' >> "$WORK/cpu"
            fi
        done
    fi

    read -r med min max < <(stats < "$WORK/times")
    read -r cpu _ < <(stats < "$WORK/cpu")
    if [[ -s "$WORK/rss" ]]; then
        rss=$(sort -g "$WORK/rss" | tail -n1 | awk '{ printf "%.0f", $1 / 1024 }')
    else
        rss="n/a"
    fi
    files=$(find "$site/public" -type f ! -name .niemyet-manifest | wc -l)
    size=$(du -sh "$site/public" | cut -f1)
    srcsize=$(du -sh "$site/content" | cut -f1)
    ROWS+=("| $n | $((RUNS - 1)) | $med | $min | $max | $cpu | $rss | $files | $size | $srcsize | $check_s |")
done

echo
echo "niemyet build, $(nproc) CPUs, load $LOAD0 -> $(cut -d' ' -f1 /proc/loadavg), $TIMER, $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo '?')$( (cd "$ROOT" && git diff --quiet HEAD -- src 2>/dev/null) || echo ' (+ uncommitted src changes)')"
echo
echo "| procedures | runs | median (s) | min (s) | max (s) | CPU (s) | peak RSS (MB) | files written | output | content | check (s) |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for row in "${ROWS[@]}"; do
    echo "$row"
done
