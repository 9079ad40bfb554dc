#!/bin/bash
# bench/pdf-vs-pdftotext.sh [N] — PDF pages per CPU-second: `nianbao parse
# --json` (the pure-Go PDF reader, PDFium on wazero for a file it refuses:
# characters with boxes, ruling lines, the table grid rebuilt, cells mapped
# to the codebook) against `pdftotext -layout`
# (poppler: text only, no tables) on the same PDFs, each N times (default
# 10), and the ratio nianbao / pdftotext (goal: at least 0.5), in three
# trials (each tool's least CPU time counts).
#
# PDFs: ../shared/corpus/*.pdf when present, and extract/testdata/attach/*.pdf.
# CPU time is user+sys of the process tree (bash's `times`), so the other
# people on a shared machine do not count. nianbao reads all files in one
# process (PDFium, if a file needs it, from the module cached on disk); pdftotext
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

"$bin" parse --json $files >/dev/null # warm: the disk cache (and PDFium's, if a file needs it)
# Three trials, each tool in turn, keeping each tool's least CPU time: a
# busy moment on a shared machine inflates whichever tool it falls on
# (the per-trial ratios are printed too).
nbs="" pts=""
for trial in 1 2 3; do
	times >"$tf"; c0=$(cpu)
	"$bin" parse --json $args >/dev/null
	times >"$tf"; c1=$(cpu)
	for i in $(seq "$n"); do
		for f in $files; do pdftotext -layout "$f" - >/dev/null; done
	done
	times >"$tf"; c2=$(cpu)
	nbs="$nbs $(awk -v a="$c0" -v b="$c1" 'BEGIN { printf "%.3f", b - a }')"
	pts="$pts $(awk -v a="$c1" -v b="$c2" 'BEGIN { printf "%.3f", b - a }')"
done

cells=$("$bin" parse --json $files | grep -o '"table":' | wc -l)
awk -v n="$n" -v pages="$pages" -v files="$(echo $files | wc -w)" -v nbs="$nbs" -v pts="$pts" -v cells="$cells" 'BEGIN {
	total = pages * n
	k = split(nbs, a, " "); split(pts, b, " ")
	nb = a[1]; pt = b[1]; trials = ""
	for (i = 1; i <= k; i++) {
		if (a[i] < nb) nb = a[i]
		if (b[i] < pt) pt = b[i]
		trials = trials sprintf(" %.2fx", b[i] / a[i])
	}
	printf "PDFs: %d files, %d pages, x %d = %d pages; nianbao reads %d cells per round\n", files, pages, n, total, cells
	printf "nianbao parse --json : %7.3f CPU-s  %8.1f pages/CPU-s  (tables and cells; least of %d trials)\n", nb, total / nb, k
	printf "pdftotext -layout    : %7.3f CPU-s  %8.1f pages/CPU-s  (text only; least of %d trials)\n", pt, total / pt, k
	printf "ratio per trial:%s\n", trials
	printf "ratio nianbao/pdftotext: %.2fx (goal >= 0.5x)\n", (total / nb) / (total / pt)
}'
