#!/usr/bin/env bash
# Search benchmark: niemyet's own search against Pagefind 1.6.0, both over the same built
# site of 10,000 generated procedures, in Debian's chromium driven by playwright-core.
#
#   bash scripts/bench_search/run.sh
#
# 1. builds the release binary (skip with NO_CARGO=1);
# 2. generates the site with scripts/gen_site.py into $BENCH_DIR/site-$N, or reuses it
#    (the folder that scripts/bench.sh also uses) when it holds a site of N procedures
#    from the same generator;
# 3. builds it into $BENCH_DIR/search-$N/out and runs `pagefind --site` over that output
#    (the npm package pagefind@1.6.0, installed here with its binary);
# 4. runs bench.mjs: a gzip static server on 127.0.0.1 and chromium, the query set, the
#    measurements, and prints a markdown table (stdout) plus progress (stderr).
#
# Environment: BENCH_DIR (default ${TMPDIR:-/tmp}/niemyet-bench), N (10000), QUERIES (500),
# SEED (7), CHROMIUM (/usr/bin/chromium), NO_CARGO=1, NO_PAGEFIND=1, NO_EVERYDAY=1, REUSE_PAGEFIND=0
# (index again with Pagefind even when the pages have not changed since the last run;
# by default its index is kept then, which saves 1 to 1.5 minutes). Details of every query go to $BENCH_DIR/search-$N/results.json.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
BENCH_DIR="${BENCH_DIR:-${TMPDIR:-/tmp}/niemyet-bench}"
N="${N:-10000}"
QUERIES="${QUERIES:-500}"
SEED="${SEED:-7}"
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
GEN="$ROOT/scripts/gen_site.py"
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/niemyet"
WORK="$BENCH_DIR/search-$N"
OUT="$WORK/out"

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
export LOAD_BEFORE
T0=$(date +%s)
say() { echo "==> $*" >&2; }

node_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
if (( node_major < 20 )); then
    echo "Node 20 or later is needed (found: $(node --version 2>/dev/null || echo none))" >&2
    exit 1
fi
[[ -x "$CHROMIUM" ]] || { echo "no chromium at $CHROMIUM (apt-get install chromium)" >&2; exit 1; }

if [[ ! -d "$HERE/node_modules/playwright-core" || ! -d "$HERE/node_modules/pagefind" ]]; then
    say "installing playwright-core and pagefind (npm ci in scripts/bench_search)"
    (cd "$HERE" && npm ci --no-audit --no-fund >&2)
fi

if [[ -z "${NO_CARGO:-}" ]]; then
    say "building the release binary"
    (cd "$ROOT" && cargo build --release --quiet)
fi
[[ -x "$BIN" ]] || { echo "no binary at $BIN" >&2; exit 1; }

# The generated site: reuse $BENCH_DIR/site-$N when it is a site of N procedures made by
# this generator (scripts/bench.sh leaves a hash of the generator beside it; a site without
# that hash is taken as is).
gen_hash="$(sha256sum "$GEN" | cut -d' ' -f1)"
site="$BENCH_DIR/site-$N"
reusable() {
    [[ -f "$1/site.toml" ]] && grep -q "^gen_site.py n=$N " "$1/.gen_site" 2>/dev/null &&
        { [[ ! -f "$1/.gen_site.sha256" ]] || [[ "$(cat "$1/.gen_site.sha256")" == "$gen_hash" ]]; }
}
if reusable "$site"; then
    say "reusing $site"
else
    site="$WORK/site"
    if reusable "$site"; then
        say "reusing $site"
    else
        say "generating $N procedures into $site"
        mkdir -p "$WORK"
        rm -rf "$site"
        python3 "$GEN" "$N" "$site" >&2
        echo "$gen_hash" > "$site/.gen_site.sha256"
    fi
fi

# The everyday query set (issue 9): realistic procedures added to the site, and the queries
# people type for them (scripts/everyday/make_queries.py), unless NO_EVERYDAY=1.
EVERYDAY_ARGS=()
if [[ -z "${NO_EVERYDAY:-}" ]]; then
    say "adding the everyday procedures and queries (scripts/everyday/make_queries.py)"
    python3 "$ROOT/scripts/everyday/make_queries.py" "$site" >&2
    EVERYDAY_ARGS=(--everyday "$site/queries.json")
fi

# Build (Pagefind's folder is moved away first: niemyet will not replace an output holding
# files it did not write).
mkdir -p "$WORK"
KEEP="$WORK/pagefind.keep"
rm -rf "$KEEP"
if [[ "${REUSE_PAGEFIND:-1}" != 0 && -d "$OUT/pagefind" ]]; then
    mv "$OUT/pagefind" "$KEEP"
else
    rm -rf "$OUT/pagefind"
fi
say "niemyet build --root $site --output $OUT"
t=$(date +%s.%N)
"$BIN" build --root "$site" --output "$OUT" >&2
build_s=$(awk -v a="$t" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
# What the pages are, to know whether a kept Pagefind index still matches them (a rebuild
# leaves unchanged files alone, so their times stay).
stamp_now="$( (cd "$OUT" && find . -type f -name '*.html' -printf '%P %s %T@\n' | sort | sha256sum | cut -d' ' -f1) )"

if [[ ! -f "$OUT/tim-kiem/index.html" || ! -f "$OUT/assets/search.js" ]]; then
    say "WARNING: the built site has no search page (tim-kiem/index.html and assets/search.js): only Pagefind is measured"
fi

PF_ARGS=()
pf_s="-"
if [[ -n "${NO_PAGEFIND:-}" ]]; then
    PF_ARGS=(--no-pagefind)
    rm -rf "$KEEP"
elif [[ -d "$KEEP" && "$(cat "$WORK/pagefind.stamp" 2>/dev/null)" == "$stamp_now" ]]; then
    say "reusing the Pagefind index of the previous run (the pages are unchanged)"
    mv "$KEEP" "$OUT/pagefind"
else
    rm -rf "$KEEP" "$WORK/pagefind.stamp"
    say "npx pagefind@1.6.0 --site $OUT"
    t=$(date +%s.%N)
    if (cd "$HERE" && npx --yes pagefind@1.6.0 --site "$OUT") > "$WORK/pagefind.log" 2>&1; then
        echo "$stamp_now" > "$WORK/pagefind.stamp"
    else
        echo "!! pagefind failed; its output, verbatim:" >&2
        cat "$WORK/pagefind.log" >&2
        PF_ARGS=(--no-pagefind)
    fi
    pf_s=$(awk -v a="$t" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
    grep -E 'Indexed [0-9]+ (pages|words)|Finished in' "$WORK/pagefind.log" | sed 's/^ */    pagefind: /' >&2 || true
fi

say "measuring in chromium (${QUERIES} queries per engine)"
node "$HERE/bench.mjs" --out "$OUT" --queries "$QUERIES" --seed "$SEED" --chromium "$CHROMIUM" \
    --json "$WORK/results.json" "${PF_ARGS[@]}" "${EVERYDAY_ARGS[@]}"

echo ""
echo "niemyet build: ${build_s} s; pagefind indexing: ${pf_s} s; whole benchmark: $(( $(date +%s) - T0 )) s on $(nproc) cores; load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
