#!/usr/bin/env bash
# Lighthouse (npm lighthouse 12.2.3, in scripts/lighthouse/) on the demo site's home page
# and one procedure page, served on 127.0.0.1, in Debian's chromium. Prints the four
# scores (performance, accessibility, best-practices, seo) of each page and every audit
# that did not pass. Not part of CI.
#
#   bash scripts/lighthouse.sh [PATH...]       (default: / /thu-tuc/cong-bo-hop-chuan-tu-danh-gia/)
#
# Environment: CHROME_PATH (default /usr/bin/chromium), NO_CARGO=1 (use the release binary
# as it is), REPORT_DIR (default ${TMPDIR:-/tmp}/niemyet-lighthouse: JSON and HTML reports).
# Lighthouse 13 needs Node.js 22; 12.2.3 is the newest that runs on Node.js 20.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
LH="$HERE/lighthouse"
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/niemyet"
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
REPORT_DIR="${REPORT_DIR:-${TMPDIR:-/tmp}/niemyet-lighthouse}"

[[ -x "$CHROME_PATH" ]] || { echo "no chromium at $CHROME_PATH (apt-get install chromium)" >&2; exit 1; }
if [[ ! -d "$LH/node_modules/lighthouse" ]]; then
    echo "==> npm ci in scripts/lighthouse" >&2
    (cd "$LH" && npm ci --no-audit --no-fund --loglevel=error >&2)
fi
if [[ -z "${NO_CARGO:-}" ]]; then
    echo "==> cargo build --release" >&2
    (cd "$ROOT" && cargo build --release --quiet)
fi
[[ -x "$BIN" ]] || { echo "no binary at $BIN" >&2; exit 1; }

if [[ $# -eq 0 ]]; then
    set -- / /thu-tuc/cong-bo-hop-chuan-tu-danh-gia/
fi
node "$LH/run.mjs" --bin "$BIN" --root "$ROOT" --report-dir "$REPORT_DIR" "$@"
