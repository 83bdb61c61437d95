#!/usr/bin/env bash
# Benchmark `niemyet import` on a 2,000-row annex (target: at most 2 s).
#
#   bash scripts/bench_import.sh
#
# The 2,000-row sheet is made by the tool itself: scripts/gen_site.py writes
# a site of N procedures (default 2000), `niemyet export` writes its
# catalogue as an annex (.xlsx: title rows, two-row header, a section row per
# field, marks). Then three imports are timed, RUNS times each (default 5,
# each on a fresh copy prepared outside the timing), and the median, min
# and max wall times, the median CPU time (user + system; steadier than wall
# time on a busy machine) and the peak memory are printed:
#
#   new        the annex into a site without procedures: N files written
#   unchanged  the annex into the site it came from: nothing to write
#   changed    a CSV of the annex with every processing time changed, into
#              the site: N files edited in place
#
# Environment: BENCH_DIR (default ${TMPDIR:-/tmp}/niemyet-bench-import), N, RUNS.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_DIR="${BENCH_DIR:-${TMPDIR:-/tmp}/niemyet-bench-import}"
N="${N:-2000}"
RUNS="${RUNS:-5}"
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/niemyet"

echo "==> building the release binary" >&2
(cd "$ROOT" && cargo build --release --quiet)

site="$BENCH_DIR/site-$N"
rm -rf "$BENCH_DIR"
mkdir -p "$BENCH_DIR"
trap 'rm -rf "$BENCH_DIR"/run-*' EXIT
echo "==> generating $N procedures and their annex" >&2
python3 "$ROOT/scripts/gen_site.py" "$N" "$site" >/dev/null
"$BIN" export "$BENCH_DIR/annex.xlsx" --root "$site" >/dev/null
"$BIN" export "$BENCH_DIR/annex.csv" --root "$site" >/dev/null
# every procedure row (it starts with its number, then its code) gets another processing time
python3 - "$BENCH_DIR/annex.csv" "$BENCH_DIR/changed.csv" <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig")))
for row in rows:
    if len(row) > 8 and row[0].isdigit():
        row[8] = "99 ngày làm việc"
csv.writer(open(sys.argv[2], "w", encoding="utf-8", newline="")).writerows(rows)
EOF

empty="$BENCH_DIR/empty"
mkdir -p "$empty/content"
cp "$site/site.toml" "$empty/"

now() { date +%s.%N; }
stats() {
    sort -g | awk '{ v[NR] = $1 } END {
        if (NR % 2) m = v[(NR + 1) / 2]; else m = (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%.3f %.3f %.3f\n", m, v[1], v[NR] }'
}

# $1 = name, $2 = site to copy for each run, $3 = table, $4 = what the plan must say.
# The copies are made before the timing and removed only at the end: ext4
# skips the inodes of files deleted in the last minute when it makes new
# ones, so deleting thousands of files just before a run would slow its
# file creation down, which no import in real use meets.
bench() {
    local name=$1 from=$2 table=$3 expect=$4 times="$BENCH_DIR/times" rss="$BENCH_DIR/rss" cpu="$BENCH_DIR/cpu"
    : > "$times"
    : > "$rss"
    : > "$cpu"
    for ((i = 1; i <= RUNS; i++)); do
        cp -r "$from" "$BENCH_DIR/run-$name-$i"
    done
    sync
    for ((i = 1; i <= RUNS; i++)); do
        local t0 t1
        t0=$(now)
        /usr/bin/time -f '%M %U %S' -o "$BENCH_DIR/rss.one" \
            "$BIN" import "$table" --root "$BENCH_DIR/run-$name-$i" >"$BENCH_DIR/out" 2>"$BENCH_DIR/err"
        t1=$(now)
        grep -q "$expect" "$BENCH_DIR/out" || { echo "!! $name: the plan does not say '$expect':" >&2; head -3 "$BENCH_DIR/out" "$BENCH_DIR/err" >&2; exit 1; }
        awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }' >> "$times"
        awk '{ print $1 }' "$BENCH_DIR/rss.one" >> "$rss"
        awk '{ print $2 + $3 }' "$BENCH_DIR/rss.one" >> "$cpu"
    done
    read -r med min max < <(stats < "$times")
    read -r cpu_med _ < <(stats < "$cpu")
    local plan
    plan=$(head -1 "$BENCH_DIR/out" | sed 's/^.*: //')
    echo "| $name | $plan | $RUNS | $med | $min | $max | $cpu_med | $(sort -g "$rss" | tail -1 | awk '{ printf "%.0f", $1 / 1024 }') |"
}

echo "==> timing ($RUNS runs each)" >&2
echo
echo "niemyet import, $N rows, $(nproc) CPUs, load $(cut -d' ' -f1 /proc/loadavg), $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo '?')"
echo
echo "| import | plan | runs | median (s) | min (s) | max (s) | CPU (s) | peak RSS (MB) |"
echo "|---|---|---:|---:|---:|---:|---:|---:|"
bench new "$empty" "$BENCH_DIR/annex.xlsx" "thêm $N,"
bench unchanged "$site" "$BENCH_DIR/annex.xlsx" "giữ nguyên $N,"
bench changed "$site" "$BENCH_DIR/changed.csv" "sửa $N,"
