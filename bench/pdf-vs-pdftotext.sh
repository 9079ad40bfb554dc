#!/bin/bash
# bench/pdf-vs-pdftotext.sh [N] — PDF pages per CPU-second: `nianbao parse
# --json` (PDFium on wazero: characters with boxes, ruling lines, the table
# grid rebuilt, cells mapped to the codebook) against `pdftotext -layout`
# (poppler: text only, no tables) on the same PDFs, each N times (default
# 10), and the ratio nianbao / pdftotext (goal: at least 0.5).
#
# PDFs: ../shared/corpus/*.pdf when present, and extract/testdata/attach/*.pdf.
# CPU time is user+sys of the process tree (bash's `times`), so the other
# people on a shared machine do not count. nianbao reads all files in one
# process (one PDFium instance, the compiled module cached on disk); pdftotext
# runs once per file, as it is used. Installs poppler-utils when missing.
set -eu
n=${1:-10}
cd "$(dirname "$0")/.."

if ! command -v pdftotext >/dev/null || ! command -v pdfinfo >/dev/null; then
	echo "installing poppler-utils (apt-get)" >&2
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >&2
fi

files=$(ls ../shared/corpus/*.pdf 2>/dev/null || true)
files="$files $(ls extract/testdata/attach/*.pdf | grep -v scan)"
pages=0
for f in $files; do
	p=$(pdfinfo "$f" | awk '/^Pages:/ {print $2}')
	pages=$((pages + p))
done

bin=${TMPDIR:-/tmp}/nianbao-bench-bin
go build -o "$bin" ./cmd/nianbao
args=""
for i in $(seq "$n"); do args="$args $files"; done

tf=$(mktemp)
trap 'rm -f "$tf"' EXIT
# cpu prints the CPU seconds (user+sys) of this shell's children so far;
# `times` must run in this shell, not in a $(…) subshell.
cpu() {
	awk 'NR == 2 {
		split($1, u, "m"); split($2, s, "m")
		sub("s", "", u[2]); sub("s", "", s[2])
		printf "%.3f", u[1] * 60 + u[2] + s[1] * 60 + s[2] }' "$tf"
}

"$bin" parse --json $files >/dev/null # warm: compile PDFium once into the cache
times >"$tf"; c0=$(cpu)
"$bin" parse --json $args >/dev/null
times >"$tf"; c1=$(cpu)
for i in $(seq "$n"); do
	for f in $files; do pdftotext -layout "$f" - >/dev/null; done
done
times >"$tf"; c2=$(cpu)

cells=$("$bin" parse --json $files | grep -o '"table":' | wc -l)
awk -v n="$n" -v pages="$pages" -v files="$(echo $files | wc -w)" -v c0="$c0" -v c1="$c1" -v c2="$c2" -v cells="$cells" 'BEGIN {
	nb = c1 - c0; pt = c2 - c1; total = pages * n
	printf "PDFs: %d files, %d pages, x %d = %d pages; nianbao reads %d cells per round\n", files, pages, n, total, cells
	printf "nianbao parse --json : %7.3f CPU-s  %8.1f pages/CPU-s  (tables and cells)\n", nb, total / nb
	printf "pdftotext -layout    : %7.3f CPU-s  %8.1f pages/CPU-s  (text only)\n", pt, total / pt
	printf "ratio nianbao/pdftotext: %.2fx (goal >= 0.5x)\n", (total / nb) / (total / pt)
}'
