#!/bin/sh
# bench/scale.sh N — load N synthetic agencies × 10 years into a fresh DuckDB
# file, load them again (nothing may double), and time every canned query.
# Prints load throughput (cells/s), file size, each query's time, and the
# peak memory measured by /usr/bin/time -v.
set -eu
n=${1:-1000}
cd "$(dirname "$0")/.."
db=${SCALE_DB:-${TMPDIR:-/tmp}/nianbao-scale-$n.duckdb}
bin=${TMPDIR:-/tmp}/nianbao-scale-bin
go build -o "$bin" ./bench/scale
log=$(mktemp)
/usr/bin/time -v "$bin" -n "$n" -db "$db" 2>"$log" || { cat "$log" >&2; exit 1; }
rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log")
wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$log")
echo
echo "peak memory: $((rss / 1024)) MiB; wall time: $wall"
rm -f "$log"

# The ceiling: the same Appender loop alone (BenchmarkAppendCells: cells
# only, one transaction, nothing else) against the whole LoadReports, on
# the same 100 agencies × 10 years, one after the other on this machine.
echo
go test -run '^$' -bench 'BenchmarkAppendCells$|BenchmarkLoadReports$' -benchtime 5x ./warehouse |
awk '/cells\/s/ { for (i = 1; i <= NF; i++) if ($(i+1) == "cells/s") rate[$1] = $i }
END {
    for (k in rate) { if (k ~ /AppendCells/) a = rate[k]; if (k ~ /LoadReports/) l = rate[k] }
    printf "Appender alone (cells only, one transaction): %.0f cells/s\n", a
    printf "LoadReports (reports, sections, agencies, cells, fact tables): %.0f cells/s = %.0f%% of the Appender alone\n", l, 100 * l / a
}'
