#!/usr/bin/env bash
# Scale benchmark of issue 10 (BENCHMARKS.md): niemyet and Hugo on the same
# generated procedures, 1,000, 10,000 and 100,000 of them, in one run.
#
#   apt-get install -y hyperfine hugo
#   BENCH_DIR=/some/scratch bash scripts/bench_scale.sh
#
# For each size: scripts/gen_site.py makes the site (reused when the generator
# has not changed); scripts/bench_scale/hugo_site.py lays the same files out
# for Hugo. Then, with /usr/bin/time: niemyet and Hugo each build into an
# empty folder, interleaved, RUNS times (once at 100,000): median wall time,
# median CPU time (user + system), largest peak resident memory, output bytes
# and files, and the heaviest list page, gzip'd. With hyperfine, in one run
# (HRUNS times each, twice at 100,000): `niemyet check`, a build with nothing changed and a
# build after one procedure file was edited (hyperfine's --prepare edits it
# before each run), and their ratio to `check`; then one more one-file build
# under /usr/bin/time, for its peak memory. Then `cp -r` of niemyet's
# output: the disk's floor for writing it. Last, a one-file build as CI makes
# it, under /usr/bin/time: the site copied (every file with new times, as a
# fresh checkout gives them), the output and its cache copied through
# `tar --posix` (their times kept to the nanosecond, their inodes new, as
# actions/cache, which archives with `tar --posix`, restores them),
# then the same procedure file edited. Prints markdown tables.
#
# No output is removed before a build or a copy is timed: each is moved into
# a folder of its own under $BENCH_DIR/set-aside, which is emptied once every
# figure is taken. On ext4 without a journal (this machine's disk), making
# files within minutes of removing many costs several times as much (the
# kernel passes over every recently removed inode: recently_deleted() in
# fs/ext4/ialloc.c). For the same reason, start the script about ten minutes
# after its last run, or anything else, removed many files on the same disk.
# BENCHMARKS.md ("Outputs set aside, not removed, before a build is timed")
# gives the measurements.
#
# Environment: BENCH_DIR (default ${TMPDIR:-/tmp}/niemyet-bench-scale),
# SIZES (default "1000 10000 100000"), RUNS (default 3), HRUNS (default 5),
# HUGO_UP_TO (default 100000): the largest size Hugo builds (its build of
# 100,000 needs more than 22 GB of memory).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_DIR="${BENCH_DIR:-${TMPDIR:-/tmp}/niemyet-bench-scale}"
SIZES="${SIZES:-1000 10000 100000}"
RUNS="${RUNS:-3}"
HRUNS="${HRUNS:-5}"
HUGO_UP_TO="${HUGO_UP_TO:-100000}"
GEN="$ROOT/scripts/gen_site.py"
TO_HUGO="$ROOT/scripts/bench_scale/hugo_site.py"
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/niemyet"

for tool in hyperfine hugo /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install -y hyperfine hugo time)" >&2; exit 2; }
done
echo "==> building the release binary" >&2
(cd "$ROOT" && cargo build --release --quiet)
mkdir -p "$BENCH_DIR"
LOAD0=$(cut -d' ' -f1 /proc/loadavg)
gen_hash="$(cat "$GEN" "$TO_HUGO" | sha256sum | cut -d' ' -f1)"
SET_ASIDE="$BENCH_DIR/set-aside"
mkdir -p "$SET_ASIDE"

# set_aside PATH...: moves what is at each PATH into a new folder under
# $SET_ASIDE (a rename: nothing is removed until every figure is taken).
set_aside() {
    local into
    into=$(mktemp -d "$SET_ASIDE/XXXXXX")
    for path in "$@"; do
        if [[ -e $path ]]; then mv "$path" "$into/"; fi
    done
}

# run LABEL CMD...: one run under /usr/bin/time, appended to $RESULTS as
# "LABEL wall cpu peak_kb"; a run that fails (Hugo killed for want of memory
# at 100,000, for one) is appended as "LABEL-failed ..." and the rest goes on.
run() {
    local label=$1; shift
    if ! /usr/bin/time -f '%e %U %S %M' -o "$BENCH_DIR/time.one" "$@" >/dev/null 2>"$BENCH_DIR/run.err"; then
        echo "!! $label failed: $(head -n1 "$BENCH_DIR/time.one")" >&2
        cat "$BENCH_DIR/run.err" >&2
        label="$label-failed"
    fi
    tail -n1 "$BENCH_DIR/time.one" | awk -v l="$label" '{ printf "%s %s %.2f %s\n", l, $1, $2 + $3, $4 }' >> "$RESULTS"
}

# median COLUMN LABEL: the median of a column of $RESULTS for LABEL.
median() {
    awk -v l="$2" -v c="$1" '$1 == l { print $c }' "$RESULTS" | sort -g | awk '{ v[NR] = $1 }
        END { if (NR % 2) m = v[(NR + 1) / 2]; else m = (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.2f", m }'
}
peak_mb() {
    awk -v l="$1" '$1 == l { print $4 }' "$RESULTS" | sort -g | tail -n1 | awk '{ printf "%.0f", $1 / 1024 }'
}

# heaviest_list DIR PAGES_WORD: the largest list page of an output, gzip'd, in KB.
heaviest_list() {
    python3 - "$1" "$2" <<'EOF'
import gzip, os, sys
out, pages = sys.argv[1], sys.argv[2]
lists = ("muc-do", "buu-chinh", "linh-vuc", "co-quan")
best = 0
for folder, _, files in os.walk(out):
    if "index.html" not in files:
        continue
    rel = os.path.relpath(folder, out).split(os.sep)
    is_list = rel[0] in lists or (rel[0] in ("thu-tuc", "tin-tuc") and (len(rel) == 1 or rel[1] == pages))
    if is_list:
        with open(os.path.join(folder, "index.html"), "rb") as f:
            best = max(best, len(gzip.compress(f.read(), 6)))
print("%.1f" % (best / 1024))
EOF
}

BUILD_ROWS=()
REBUILD_ROWS=()
for n in $SIZES; do
    site="$BENCH_DIR/site-$n"
    hsite="$BENCH_DIR/hugo-$n"
    out="$BENCH_DIR/out-$n"
    hout="$BENCH_DIR/hugo-out-$n"
    RESULTS="$BENCH_DIR/results-$n"
    : > "$RESULTS"
    if [[ -f "$site/site.toml" && "$(cat "$BENCH_DIR/.gen-$n" 2>/dev/null)" == "$gen_hash" ]]; then
        echo "==> reusing $site and $hsite" >&2
    else
        echo "==> generating $n procedures" >&2
        python3 "$GEN" "$n" "$site" >&2
        python3 "$TO_HUGO" "$site" "$hsite"
        echo "$gen_hash" > "$BENCH_DIR/.gen-$n"
    fi
    runs=$RUNS
    hruns=$HRUNS
    if (( n >= 100000 )); then runs=1; hruns=2; fi
    echo "==> $n: clean builds, niemyet and Hugo interleaved, $runs run(s) each" >&2
    for ((i = 1; i <= runs; i++)); do
        set_aside "$out" "$BENCH_DIR/.out-$n.niemyet-cache"
        run niemyet "$BIN" build --root "$site" --output "$out"
        if (( n <= HUGO_UP_TO )); then
            set_aside "$hout"
            run hugo hugo --quiet --source "$hsite" --destination "$hout"
        fi
    done
    tools=niemyet
    if (( n <= HUGO_UP_TO )); then tools="niemyet hugo"; fi
    for tool in $tools; do
        if [[ $tool == niemyet ]]; then dir=$out; pages=trang; else dir=$hout; pages=page; fi
        if grep -q "^$tool-failed " "$RESULTS"; then
            BUILD_ROWS+=("| $n | $tool | failed after $(median 2 $tool-failed) s | $(median 3 $tool-failed) | $(peak_mb $tool-failed) | | | |")
            continue
        fi
        bytes=$(du -sb "$dir" | awk '{ printf "%.0f", $1 / 1e6 }')
        files=$(find "$dir" -type f ! -name .niemyet-manifest | wc -l)
        BUILD_ROWS+=("| $n | $tool | $(median 2 $tool) | $(median 3 $tool) | $(peak_mb $tool) | $bytes | $files | $(heaviest_list "$dir" $pages) |")
    done

    echo "==> $n: check, rebuilds (hyperfine, $hruns runs each)" >&2
    edited="$(find "$site/content/procedures" -name '*.md' | sort | sed -n 100p)"
    cp "$edited" "$BENCH_DIR/edited-$n.orig"
    edit="printf '\nMột câu sửa lúc %s.\n' \$(date +%s%N) >> '$edited'"
    hyperfine -N --style basic --runs "$hruns" --export-json "$BENCH_DIR/rebuild-$n.json" \
        -n check --prepare true "$BIN check --root $site" \
        -n unchanged --prepare true "$BIN build --root $site --output $out" \
        -n one-file --prepare "$edit" "$BIN build --root $site --output $out" >&2
    eval "$edit"
    run one-file "$BIN" build --root "$site" --output "$out"
    cp "$BENCH_DIR/edited-$n.orig" "$edited"
    "$BIN" build --root "$site" --output "$out" >/dev/null
    set_aside "$BENCH_DIR/copy-$n"
    t0=$(date +%s.%N); cp -r "$out" "$BENCH_DIR/copy-$n"; sync; t1=$(date +%s.%N)
    set_aside "$BENCH_DIR/copy-$n"
    ci="$BENCH_DIR/ci-$n"
    set_aside "$ci"
    mkdir -p "$ci"
    cp -r "$site" "$ci/site"
    (cd "$BENCH_DIR" && tar --posix -cf - "out-$n" ".out-$n.niemyet-cache") | tar xf - -C "$ci"
    # hyperfine's edit, made to the copy's file.
    eval "${edit//"$site"/"$ci/site"}"
    run ci "$BIN" build --root "$ci/site" --output "$ci/out-$n"
    set_aside "$ci"
    row=$(python3 - "$BENCH_DIR/rebuild-$n.json" "$t0" "$t1" "$(peak_mb one-file)" "$(median 2 ci)" <<'EOF'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
med = lambda k: r[k]["median"]
cpu = lambda k: r[k]["user"] + r[k]["system"]
ci = float(sys.argv[5])
print("| %.2f (%.2f) | %.2f (%.2f) | %.2f (%.2f) | %.2f | %.2f | %s | %.2f | %.2f |" % (
    med("check"), cpu("check"), med("unchanged"), cpu("unchanged"), med("one-file"), cpu("one-file"),
    med("one-file") / med("check"), float(sys.argv[3]) - float(sys.argv[2]), sys.argv[4], ci, ci / med("check")))
EOF
)
    REBUILD_ROWS+=("| $n $row")
done

echo
echo "$(nproc) CPUs, load $LOAD0 at the start and $(cut -d' ' -f1 /proc/loadavg) at the end; niemyet $(cd "$ROOT" && git rev-parse --short HEAD), $(hugo version | cut -d' ' -f1-2)"
echo
echo "Clean build into an empty folder (median of the runs; CPU = user + system; peak = largest resident memory):"
echo
echo "| procedures | tool | wall (s) | CPU (s) | peak memory (MB) | output (MB) | files | heaviest list page, gzip (KB) |"
echo "|---:|---|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${BUILD_ROWS[@]}"
echo
echo "niemyet, one hyperfine run (median wall, with mean CPU in brackets, in seconds):"
echo
echo "| procedures | check | build, nothing changed | build, one file edited | one-file build / check | cp -r of the output | one-file build, peak memory (MB) | one-file build as in CI | as in CI / check |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${REBUILD_ROWS[@]}"
echo "==> removing the outputs set aside" >&2
rm -rf "$SET_ASIDE"
