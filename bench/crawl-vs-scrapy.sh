#!/usr/bin/env bash
# Crawl the sample portal with nianbao's crawler and with a Scrapy spider
# doing the same discovery, side by side; then check nianbao's politeness
# bound with delays on. Everything stays on 127.0.0.1.
#
#   bash bench/crawl-vs-scrapy.sh [RUNS] [DELAY]     # defaults: 3 runs, 200ms
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
delay=${2:-200ms}

# Debian's Scrapy lives in the system Python, whatever python3 is first on PATH.
py=/usr/bin/python3
if ! $py -c 'import scrapy' 2>/dev/null; then
	echo "installing python3-scrapy (Debian package)…" >&2
	if [ "$(id -u)" = 0 ]; then
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-scrapy >/dev/null
	else
		sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-scrapy >/dev/null
	fi
fi

work=$(mktemp -d)
trap 'kill "$serve_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
go build -o "$work/crawlbench" ./bench/crawlbench
"$work/crawlbench" serve "$work/info.json" &
serve_pid=$!
for _ in $(seq 100); do [ -s "$work/info.json" ] && break; sleep 0.1; done
[ -s "$work/info.json" ] || { echo "sample portal did not start" >&2; exit 1; }

echo "== delays off: throughput and memory (nianbao: $runs fresh-archive runs in one process, aggregate; scrapy: one run per process, best of $runs)"
nb=$("$work/crawlbench" crawl "$work/info.json" -runs "$runs")
echo "nianbao: $nb"
best=""
for _ in $(seq "$runs"); do
	s=$($py bench/scrapy_spider.py "$work/info.json" 0)
	echo "scrapy:  $s"
	best=$($py - "$best" "$s" <<'PY'
import json, sys
a = json.loads(sys.argv[1]) if sys.argv[1] else None
b = json.loads(sys.argv[2])
print(json.dumps(b if a is None or b["pages_per_s"] > a["pages_per_s"] else a))
PY
)
done
$py - "$nb" "$best" <<'PY'
import json, sys
n, s = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(f"pages/s      nianbao {n['pages_per_s']:8.1f}   scrapy {s['pages_per_s']:8.1f}   ratio {n['pages_per_s']/s['pages_per_s']:.2f}")
print(f"peak RSS MiB nianbao {n['peak_rss_kb']/1024:8.1f}   scrapy {s['peak_rss_kb']/1024:8.1f}   ratio {n['peak_rss_kb']/s['peak_rss_kb']:.2f}")
print(f"reports      nianbao {n['reports']:8d}   scrapy {s['reports']:8d}   (missing: {n['reports_missing']} / {s['reports_missing']})")
PY

echo "== delays on ($delay per host): total time against the politeness bound"
nd=$("$work/crawlbench" polite -delay "$delay")
echo "nianbao: $nd"
$py - "$nd" <<'PY'
import json, sys
n = json.loads(sys.argv[1])
print(f"busiest host {n['busiest_host']}: {n['busiest_requests']} requests, bound {n['bound_s']:.2f}s, took {n['seconds']:.2f}s, "
      f"ratio {n['ratio']:.3f} ({'ok' if n['ratio'] < 1.1 else 'OVER 1.1'})")
PY
