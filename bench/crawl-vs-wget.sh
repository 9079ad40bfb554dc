#!/usr/bin/env bash
# CPU cost of crawling: nianbao's crawler against GNU wget --warc-file (which
# also writes a gzipped WARC), on the same loopback sample portal, delays off.
# Prints CPU-seconds (user + system) per HTTP response for each and the ratio.
# Everything stays on 127.0.0.1: wget reaches the portal's virtual hosts
# through its HTTP-proxy support (the portal serves them by Host).
#
#   bash bench/crawl-vs-wget.sh [RUNS]     # default 10 crawls each, fresh archive each time
#
# nianbao's runs are in one process (bench/crawlbench crawl -runs N), wget's
# are N processes: both are summed over all runs and divided by all responses.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}

if ! command -v wget >/dev/null; then
	echo "installing wget (Debian package)…" >&2
	if [ "$(id -u)" = 0 ]; then
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wget >/dev/null
	else
		sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wget >/dev/null
	fi
fi

work=$(mktemp -d)
serve_pid=""
trap '[ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null; rm -rf "$work"' EXIT
go build -o "$work/crawlbench" ./bench/crawlbench
"$work/crawlbench" serve "$work/info.json" &
serve_pid=$!
for _ in $(seq 100); do [ -s "$work/info.json" ] && break; sleep 0.1; done
[ -s "$work/info.json" ] || { echo "sample portal did not start" >&2; exit 1; }

read -r addr domains starts < <(python3 - "$work/info.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
hosts = sorted({h for p in d["portals"] for h in p["AllowedDomains"]})
starts = [u.split("#")[0] for p in d["portals"] for u in p["StartURLs"]]
print(d["addr"], ",".join(hosts), " ".join(starts))
PY
)

echo "== nianbao: $runs crawls in one process"
nb=$("$work/crawlbench" crawl "$work/info.json" -runs "$runs")
echo "$nb"

echo "== wget --warc-file: $runs crawls, one process each"
TIMEFORMAT='%3U %3S'
wget_cpu=0
wget_resp=0
for i in $(seq "$runs"); do
	d="$work/wget$i"
	mkdir -p "$d"
	# shellcheck disable=SC2086
	t=$({ time wget -q -r -l inf -H -D "$domains" -e robots=on -e use_proxy=on -e "http_proxy=http://$addr" \
		--no-warc-keep-log --warc-file="$d/crawl" -P "$d/files" $starts >/dev/null 2>&1 || true; } 2>&1)
	n=$(gzip -dc "$d/crawl.warc.gz" | grep -ac '^WARC-Type: response' || true)
	wget_cpu=$(python3 -c "print($wget_cpu + sum(map(float, '$t'.split())))")
	wget_resp=$((wget_resp + n))
	echo "wget run $i: $n responses, user+sys ${t// /+} s"
	echo "$d/crawl.warc.gz" >>"$work/wget-warcs"
done

python3 - "$nb" "$wget_cpu" "$wget_resp" <<'PY'
import json, sys
n = json.loads(sys.argv[1])
wcpu, wresp = float(sys.argv[2]), int(sys.argv[3])
nper = n["cpu_s"] / n["requests"]
wper = wcpu / wresp
print(f"responses    nianbao {n['requests']:8d}   wget {wresp:8d}")
print(f"CPU s        nianbao {n['cpu_s']:8.3f}   wget {wcpu:8.3f}")
print(f"CPU ms/page  nianbao {1000*nper:8.3f}   wget {1000*wper:8.3f}   ratio nianbao/wget {nper/wper:.2f}")
PY
