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
