#!/bin/sh
# bench/extract-vs-pandas.sh [N] — time `nianbao parse --json` against
# pandas.read_html (lxml) on the same HTML pages, each page N times (default
# 20), and print pages/s for both and their ratio.
#
# Pages: ../shared/corpus/*.html when present, else extract/testdata/*.html.
# pandas only splits tables into cells; nianbao also maps every cell to the
# codebook, reads metadata and sections. pandas is a floor, not a peer.
# Installs python3-pandas and python3-lxml from Debian when missing.
set -eu
n=${1:-20}
cd "$(dirname "$0")/.."

# Debian's packages live in the system interpreter, not in a pyenv one.
py3=${PYTHON:-python3}
[ -x /usr/bin/python3 ] && [ -z "${PYTHON:-}" ] && py3=/usr/bin/python3
if ! $py3 -c 'import pandas, lxml' 2>/dev/null; then
	echo "installing python3-pandas python3-lxml (apt-get)" >&2
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-pandas python3-lxml >&2
fi

pages=$(ls ../shared/corpus/*.html 2>/dev/null || true)
[ -n "$pages" ] || pages=$(ls extract/testdata/*.html)
npages=$(echo "$pages" | wc -l)

bin=${TMPDIR:-/tmp}/nianbao-bench-bin
go build -o "$bin" ./cmd/nianbao

# The same file list, N times over, for one process of each tool: both
# pay their start-up once.
args=""
i=0
while [ "$i" -lt "$n" ]; do
	args="$args $pages"
	i=$((i + 1))
done
total=$((npages * n))

now() { date +%s.%N; }

# Warm the page cache and check both tools accept the pages.
"$bin" parse --json $pages >/dev/null

t0=$(now)
"$bin" parse --json $args >/dev/null
t1=$(now)

py=$(mktemp)
cat >"$py" <<'PYEOF'
import io, sys, time
t_import = time.time()
import pandas as pd
t_start = time.time()
tables = 0
for path in sys.argv[1:]:
    with open(path, "rb") as f:
        text = f.read().decode("utf-8", "replace")
    try:
        tables += len(pd.read_html(io.StringIO(text), flavor="lxml"))
    except ValueError:  # no tables
        pass
t_end = time.time()
print(f"{t_end - t_start:.6f} {t_start - t_import:.6f} {tables}")
PYEOF
$py3 "$py" $pages >/dev/null
t2=$(now)
out=$($py3 "$py" $args)
t3=$(now)
rm -f "$py"

set -- $out
awk -v n="$total" -v t0="$t0" -v t1="$t1" -v t2="$t2" -v t3="$t3" \
	-v pyin="$1" -v imp="$2" -v tables="$3" -v pages="$npages" -v reps="$n" -v cores="$(nproc)" 'BEGIN {
	go = t1 - t0
	pyw = t3 - t2
	printf "pages: %d distinct x %d repeats = %d parses; cores: %s\n", pages, reps, n, cores
	printf "nianbao parse --json : %8.3f s  %8.1f pages/s  (whole process)\n", go, n / go
	printf "pandas.read_html     : %8.3f s  %8.1f pages/s  (whole process; %.3f s of it importing pandas)\n", pyw, n / pyw, imp
	printf "pandas, parsing only : %8.3f s  %8.1f pages/s  (%d tables)\n", pyin, n / pyin, tables
	printf "ratio nianbao/pandas : %.2fx (whole process), %.2fx (pandas parsing only)\n", pyw / go, pyin / go
}'
