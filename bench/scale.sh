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
out=$(mktemp)
/usr/bin/time -v "$bin" -n "$n" -db "$db" 2>"$log" >"$out" || { cat "$out"; cat "$log" >&2; exit 1; }
cat "$out"
rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log")
wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$log")
echo
echo "peak memory: $((rss / 1024)) MiB; wall time: $wall"
rm -f "$log"

# The ceiling: the cells of the same N agencies through the same Appender
# loop, in the same batches, into a fresh file, and nothing else
# (BenchmarkAppendCells) — right after the load, on this machine.
echo
load=$(sed -n 's/^| load (LoadReports, Appender) | [0-9]* | [0-9]* | [^|]* | \([0-9]*\) |.*/\1/p' "$out")
go test -run '^$' -bench 'BenchmarkAppendCells$' -benchtime 1x -timeout 60m ./warehouse -args -ceiling.agencies="$n" |
awk -v load="$load" '/cells\/s/ { for (i = 1; i <= NF; i++) if ($(i+1) == "cells/s") a = $i }
END {
    printf "Appender alone (cells only, same N and batches): %.0f cells/s\n", a
    printf "LoadReports (reports, sections, agencies, cells, fact tables): %.0f cells/s = %.0f%% of the Appender alone\n", load, 100 * load / a
}'
rm -f "$out"
