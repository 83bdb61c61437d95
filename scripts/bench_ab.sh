#!/usr/bin/env bash
# A/B benchmark of two niemyet binaries on one site (BENCHMARKS.md): the
# four runs CI cares about, the two binaries interleaved so that both see the
# same machine, each run under /usr/bin/time.
#
#   python3 scripts/gen_site.py 10000 SITE
#   bash scripts/bench_ab.sh OLD_BINARY NEW_BINARY SITE [RUNS]
#
# For each of RUNS rounds (default 5), OLD then NEW:
#   check        `niemyet check --root SITE`
#   unchanged    `niemyet build` over its own previous output, nothing changed
#   one file     `niemyet build` after a sentence is appended to the 100th
#                procedure file (sorted by path)
#   clean        `niemyet build` into an empty folder (its cache removed too)
# Each binary works on its own copy of the site (the edits go to the copies). Prints, per run kind
# and binary, the median wall and CPU (user + system) seconds and the largest
# peak resident memory, then NEW/OLD of the medians, and each binary's
# one-file build over its check. The load average at the start and the end is
# printed too: on a shared machine, read the ratios.
set -euo pipefail

OLD=$(realpath "$1")
NEW=$(realpath "$2")
SITE=$(realpath "$3")
RUNS=${4:-5}
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (apt-get install -y time)" >&2; exit 2; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/niemyet-ab.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
# Each binary gets its own copy of the site and its own output, edited alike.
for side in old new; do
    cp -r "$SITE" "$WORK/site-$side"
done
EDITED="$(cd "$SITE" && find content/procedures -name '*.md' | sort | sed -n 100p)"
RESULTS="$WORK/results"
LOAD0=$(cut -d' ' -f1 /proc/loadavg)

# run KIND SIDE ARGS...: one run of SIDE's binary under /usr/bin/time,
# appended to $RESULTS.
run() {
    local kind=$1 side=$2; shift 2
    local bin=$OLD
    [ "$side" = new ] && bin=$NEW
    /usr/bin/time -f '%e %U %S %M' -o "$WORK/time" "$bin" "$@" >/dev/null 2>"$WORK/err" \
        || { cat "$WORK/err" >&2; exit 1; }
    awk -v k="$kind" -v s="$side" '{ printf "%s %s %s %.2f %s\n", k, s, $1, $2 + $3, $4 }' "$WORK/time" >> "$RESULTS"
}

"$OLD" build --root "$WORK/site-old" --output "$WORK/out-old" >/dev/null
"$NEW" build --root "$WORK/site-new" --output "$WORK/out-new" >/dev/null
for round in $(seq "$RUNS"); do
    for side in old new; do
        run check "$side" check --root "$WORK/site-$side"
        run unchanged "$side" build --root "$WORK/site-$side" --output "$WORK/out-$side"
        echo "Thêm một câu ở vòng $round." >> "$WORK/site-$side/$EDITED"
        run one-file "$side" build --root "$WORK/site-$side" --output "$WORK/out-$side"
        rm -rf "$WORK/clean" "$WORK/.clean.niemyet-cache"
        run clean "$side" build --root "$WORK/site-$side" --output "$WORK/clean"
    done
done
echo "load average: $LOAD0 at the start, $(cut -d' ' -f1 /proc/loadavg) at the end; $RUNS runs each"
python3 - "$RESULTS" <<'EOF'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
old, new = "old", "new"
kinds = ["check", "unchanged", "one-file", "clean"]
def med(kind, binary, column):
    return statistics.median(float(r[column]) for r in rows if r[0] == kind and r[1] == binary)
def peak(kind, binary):
    return max(int(r[4]) for r in rows if r[0] == kind and r[1] == binary) // 1024
print("| run | old wall (s) | old CPU (s) | old peak (MB) | new wall (s) | new CPU (s) | new peak (MB) | new/old wall | new/old CPU |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for k in kinds:
    ow, oc, nw, nc = med(k, old, 2), med(k, old, 3), med(k, new, 2), med(k, new, 3)
    print(f"| {k} | {ow:.2f} | {oc:.2f} | {peak(k, old)} | {nw:.2f} | {nc:.2f} | {peak(k, new)} | {nw / ow:.2f} | {nc / oc:.2f} |")
for name, b in (("old", old), ("new", new)):
    print(f"{name}: one-file build / check = {med('one-file', b, 2) / med('check', b, 2):.2f} by wall time, "
          f"{med('one-file', b, 3) / med('check', b, 3):.2f} by CPU time")
EOF
