#!/usr/bin/env bash
# Build time of one hostile 1 MB procedure file per shape (issue 11, point 1).
#
#   bash scripts/bench_hostile.sh            # every shape
#   SHAPES="div_nest heading_run" bash scripts/bench_hostile.sh
#
# Builds the release binary, then for each shape writes a site of one
# procedure whose body is about 1 MB of that shape into a temporary folder and
# times one `niemyet build` on it with /usr/bin/time. Prints one line per
# shape: its name, the file's size, the wall time, the CPU time (user +
# system; steadier on a busy machine), the exit status and the first line of
# the tool's diagnostics. The target is ≤ 1 s for
# every shape; a shape slower than TIMEOUT seconds (default 20) is stopped
# and printed as such.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/niemyet"
TIMEOUT="${TIMEOUT:-20}"
ALL="div_nest ul_li_nest md_list_nest quote_nest unclosed_tags stars underscores brackets backticks \
word combining headings_same headings_distinct wide_table links site_links_one_line nest_200_repeated \
inline_html"
SHAPES="${SHAPES:-$ALL}"

echo "==> building the release binary" >&2
(cd "$ROOT" && cargo build --release --quiet)

WORK="$(mktemp -d "${TMPDIR:-/tmp}/niemyet-hostile.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

for shape in $SHAPES; do
    site="$WORK/$shape"
    mkdir -p "$site/content/procedures"
    cat > "$site/site.toml" <<'TOML'
title = "Hostile"
base_url = "https://example.gov.vn"
language = "vi"
description = "Benchmark"

[organization]
name = "Chi cục"

[[service_levels]]
id = "4"
name = "Mức độ 4"
description = "Trực tuyến"
TOML
    python3 - "$shape" "$site/content/procedures/x.md" <<'PY'
import sys
shape, path = sys.argv[1], sys.argv[2]
MB = 1_000_000
def fill(unit):
    return unit * (MB // len(unit.encode()))
bodies = {
    "div_nest": lambda: fill("<div>"),
    "ul_li_nest": lambda: fill("<ul><li>"),
    "md_list_nest": lambda: fill("1. "),
    "quote_nest": lambda: fill(">"),
    "unclosed_tags": lambda: fill("<b><i><span><a href='x'>"),
    "stars": lambda: fill("*"),
    "underscores": lambda: fill("_"),
    "brackets": lambda: fill("["),
    "backticks": lambda: fill("`"),
    "word": lambda: fill("a"),
    "combining": lambda: "a" + fill("\u0301"),
    "headings_same": lambda: "## Mục\n\n" * 30000 + fill("x")[: MB - 30000 * 10],
    "headings_distinct": lambda: "".join(f"## Mục {i}\n\n" for i in range(30000)),
    "wide_table": lambda: "|" + "a|" * 30000 + "\n|" + "-|" * 30000 + "\n" + ("|" + "b|" * 30000 + "\n") * 5,
    "links": lambda: "".join(f"[liên kết {i}](https://example.vn/{i}) " for i in range(30000)),
    "site_links_one_line": lambda: "".join(f"[{i}](/thu-tuc/khong-co-{i}/) " for i in range(30000)),
    "nest_200_repeated": lambda: fill("<div>" * 190 + "x" + "</div>" * 190 + "\n"),
    "inline_html": lambda: fill("a <b>x</b> "),
}
body = bodies[shape]()
with open(path, "w", encoding="utf-8") as f:
    f.write('+++\ntitle = "Thủ tục thử"\ncode = "1.000001"\nfield = "Lĩnh vực"\n'
            'agency = "Sở"\nservice_level = 4\npostal = "both"\n+++\n')
    f.write(body)
PY
    size=$(stat -c %s "$site/content/procedures/x.md")
    set +e
    /usr/bin/time -o "$WORK/time" -f '%e %U %S' \
        timeout "$TIMEOUT" "$BIN" build --root "$site" --output "$site/public" > "$WORK/out" 2>&1
    status=$?
    set -e
    read -r wall user sys < <(tail -1 "$WORK/time")
    first="$(grep -m1 -E 'error|warning' "$WORK/out" | cut -c1-100 || true)"
    if (( status == 124 )); then
        printf '%-20s %8d bytes  > %ss (stopped)\n' "$shape" "$size" "$TIMEOUT"
    else
        printf '%-20s %8d bytes  wall %5.2f s  cpu %5.2f s  exit %d  %s\n' \
            "$shape" "$size" "$wall" "$(echo "$user + $sys" | bc)" "$status" "$first"
    fi
done
