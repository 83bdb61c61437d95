#!/usr/bin/env bash
# Runs every fuzz target in turn, one at a time and at the lowest CPU
# priority, for the seconds given per target (default 600), and prints each
# target's run time, executions and findings from libFuzzer's last report.
#
#   bash fuzz/run_all.sh 600
#   TARGETS="procedure slugs" bash fuzz/run_all.sh 60
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
SECONDS_EACH="${1:-600}"
TARGETS="${TARGETS:-procedure front_matter slugs site_toml request_path}"
mkdir -p logs
for target in $TARGETS; do
    mkdir -p "corpus/$target"
    start=$(date +%s)
    nice -n 19 cargo +nightly fuzz run "$target" "corpus/$target" -- \
        -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        > "logs/$target.log" 2>&1
    status=$?
    end=$(date +%s)
    runs=$(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "logs/$target.log" | grep -o '[0-9]*$')
    echo "$target: $((end - start)) s, ${runs:-?} executions, exit $status, artifacts: $(ls "artifacts/$target" 2>/dev/null | wc -l)"
done
