"""A Scrapy spider doing nianbao's discovery on the sample portal, for
bench/crawl-vs-scrapy.sh. Usage: python3 scrapy_spider.py INFO.json [DELAY_SECONDS]

Every request goes to the sample portal's one loopback listener through
Scrapy's HTTP-proxy support (the portal serves virtual hosts by Host), so
nothing leaves 127.0.0.1. Prints one JSON line of measurements.
"""
import json
import re
import resource
import sys
import time
import unicodedata
from urllib.parse import urljoin, urlsplit, parse_qs, quote

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy import signals

REPORT_NOUN = re.compile(r"年度报告|年报|工作报告")
DISCLOSURE = re.compile(r"政府信息公开|政务公开|政务信息公开|信息公开")
DENY = re.compile(r"指南|报表|通知|制度|规定|办法|目录")
YEAR = re.compile(r"(19|20)\d{2}|[〇○零一二三四五六七八九]{4}")
COLUMN = re.compile(r"年报|年度报告")
DATE = re.compile(r"[\[（(]?\s*(19|20)\d{2}\s*[-./年]\s*\d{1,2}\s*[-./月]\s*\d{1,2}\s*日?\s*[\]）)]?")
PAGER_TEXT = re.compile(r"^(下一页|下页|尾页|末页|最后一页|上一页|首页|第?\d{1,4}页?|>|>>|»|›)$")
PAGER_NAME = re.compile(r"^(index|list|default|common_list|[a-z]*list)[_-]?\d+\.[a-z]+$|^\d{1,4}\.[a-z]+$|_\d{1,4}\.[a-z]+$")
INDEX_NAME = re.compile(r"^(index|list1?|list-1|default|common_list)\.[a-z]+$")
ARTICLE = re.compile(r"^(t\d{8}_\d+|article[0-9a-f]{32}|art_\d+_\d+|post_\d+)")
LIST_N = re.compile(r"^list(\d+)\.html?$")
CREATE_TOTAL = re.compile(r"""createPageHTML\(\s*(\d+)\s*,\s*(\d+)\s*,\s*["']([^"']+)["']\s*,\s*["']([^"']+)["']""")
CREATE_CONTAINER = re.compile(r"""createPageHTML\(\s*["'][^"']*["']\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*["']([^"']+)["']\s*,\s*["']([^"']+)["']""")
COUNT_PAGE = re.compile(r"""var\s+countPage\s*=\s*["']?(\d+)""")
SID = re.compile(r"""["']?SID["']?\s*[:=]\s*["']?(\d+)""")
RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S)
NEXTGROUP = re.compile(r"<nextgroup>\s*<!\[CDATA\[(.*?)\]\]>\s*</nextgroup>", re.S)
HREF = re.compile(r"""href\s*=\s*["']([^"']+)["']""")
TOTAL = re.compile(r"""(?i)total_?record["']?\s*[:=]\s*["']?(\d+)""")
PERPAGE = re.compile(r"""(?i)per_?page["']?\s*[:=]\s*["']?(\d+)""")
ATTACH = re.compile(r"\.(pdf|docx?|wps|xlsx?|ofd|rar|zip)$", re.I)


def norm(s):
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", s or "").replace("\u3000", " ")).strip()


def is_report(title):
    t = norm(title)
    return bool(REPORT_NOUN.search(t) and DISCLOSURE.search(t) and not DENY.search(t) and YEAR.search(t))


def link_title(a):
    t = a.attrib.get("title", "").strip()
    if t:
        return norm(t)
    return norm(DATE.sub(" ", norm("".join(a.css("::text").getall()))))


def dirname(path):
    return path[: path.rfind("/") + 1]


class ProxyToPortal:
    """Downloader middleware: every request goes to the portal's listener."""

    addr = None

    def process_request(self, request, spider):
        request.meta["proxy"] = "http://" + ProxyToPortal.addr


class Spider(scrapy.Spider):
    name = "nianbao_bench"

    def __init__(self, info, **kw):
        super().__init__(**kw)
        self.info = info
        self.start_dirs = []
        self.allowed_domains = []
        for p in info["portals"]:
            self.allowed_domains += p["AllowedDomains"]
            for s in p["StartURLs"]:
                u = urlsplit(s)
                self.start_dirs.append(u.netloc + dirname(u.path))
        self.reports = set()
        self.pages = 0

    def start_requests(self):
        for p in self.info["portals"]:
            for s in p["StartURLs"]:
                yield scrapy.Request(s, callback=self.parse_list, cb_kwargs={"start": s})
            if p.get("DepartmentCatalogue"):
                yield scrapy.Request(p["DepartmentCatalogue"], callback=self.parse_list, cb_kwargs={"start": "", "catalogue": True})

    def under_start(self, url):
        u = urlsplit(url)
        return any((u.netloc + u.path).startswith(d) for d in self.start_dirs)

    def parse_list(self, response, start="", catalogue=False):
        self.pages += 1
        final = urlsplit(response.url)
        text = response.text
        for a in response.css("a[href]"):
            href = a.attrib["href"].strip()
            if not href or href.startswith(("#", "javascript:", "mailto:")):
                continue
            url = urljoin(response.url, href).split("#")[0]
            u = urlsplit(url)
            if u.scheme not in ("http", "https"):
                continue
            title = link_title(a)
            name = u.path.rsplit("/", 1)[-1]
            atext = norm("".join(a.css("::text").getall()))
            if is_report(title):
                yield response.follow(url, callback=self.parse_report)
            elif u.netloc == final.netloc and dirname(u.path) == dirname(final.path) and url != response.url and not ARTICLE.match(name) and (
                PAGER_TEXT.match(atext) or PAGER_NAME.search(name) or "page=" in u.query.lower()
            ):
                yield response.follow(url, callback=self.parse_list)
            elif url != response.url and not ARTICLE.match(name) and not ATTACH.search(u.path) and not (
                u.netloc == final.netloc and dirname(final.path).startswith(dirname(u.path)) and len(dirname(u.path)) < len(dirname(final.path))
            ) and (
                ((self.under_start(url) or catalogue) and (u.path.endswith("/") or INDEX_NAME.match(name)))
                or (COLUMN.search(title) and not YEAR.search(title) and not DENY.search(title))
            ):
                yield response.follow(url, callback=self.parse_list, cb_kwargs={"catalogue": bool(re.search(r"部门.*(年报|年度报告)", title))})
        base = final.scheme + "://" + final.netloc + dirname(final.path)
        name = final.path.rsplit("/", 1)[-1]
        m = CREATE_CONTAINER.search(text)
        pages = []
        if m:
            total, cur = int(m.group(1)), int(m.group(2))
            off = 1 if cur == 1 else 0
            pages = [f"{base}{m.group(3)}_{n - 1 + off}.{m.group(4)}" for n in range(2, total + 1)]
        elif CREATE_TOTAL.search(text):
            m = CREATE_TOTAL.search(text)
            pages = [f"{base}{m.group(3)}_{n - 1}.{m.group(4)}" for n in range(2, int(m.group(1)) + 1)]
        elif COUNT_PAGE.search(text):
            ext = name.rsplit(".", 1)[-1] if "." in name else "html"
            pages = [f"{base}index_{n - 1}.{ext}" for n in range(2, int(COUNT_PAGE.search(text).group(1)) + 1)]
        for p in pages:
            yield scrapy.Request(p, callback=self.parse_list)
        if LIST_N.match(name) or "/sitesources/" in final.path:
            yield scrapy.Request(base + "script.json", callback=self.parse_script_json, headers={"X-Requested-With": "XMLHttpRequest", "Referer": response.url})
        if "/gkmlpt/" in final.path and start and "#" in start:
            m = SID.search(text)
            if m:
                cat = start.split("#", 1)[1]
                api = f"{final.scheme}://{final.netloc}/gkmlpt/api/all/{quote(cat)}?page=%d&sid={m.group(1)}"
                yield scrapy.Request(api % 1, callback=self.parse_gkmlpt, cb_kwargs={"api": api, "page": 1})
        yield from self.hanweb(response, text)

    def records(self, response, text):
        """Report links in a Hanweb datastore's records; returns how many records."""
        recs = RECORD.findall(text)
        out = []
        for r in recs:
            for a in scrapy.Selector(text=r).css("a[href]"):
                if is_report(link_title(a)):
                    out.append(scrapy.Request(urljoin(response.url, a.attrib["href"]), callback=self.parse_report))
        return len(recs), out

    def hanweb(self, response, text):
        n, reqs = self.records(response, text)
        yield from reqs
        ng = NEXTGROUP.search(text)
        if not ng or not HREF.search(ng.group(1)):
            return
        proxy = urljoin(response.url, HREF.search(ng.group(1)).group(1).replace("&amp;", "&"))
        pu = urlsplit(proxy)
        q = parse_qs(pu.query)
        per = int(PERPAGE.search(text).group(1)) if PERPAGE.search(text) else 15
        form = {"col": "1", "sourceContentType": "1"}
        for k in ("appid", "webid", "path", "columnid", "unitid", "webname", "permissiontype"):
            form[k] = q.get(k, [""])[0]
        total = int(TOTAL.search(text).group(1)) if TOTAL.search(text) else None
        if total is not None and n >= total:
            return
        yield self.dataproxy(f"{pu.scheme}://{pu.netloc}{pu.path}", form, per, n + 1, response.url, total)

    def dataproxy(self, endpoint, form, per, start, referer, total):
        end = start + 3 * per - 1
        url = f"{endpoint}?startrecord={start}&endrecord={end}&perpage={per}"
        nxt = None if total is not None and end >= total else (endpoint, form, per, end + 1, referer, total)
        return scrapy.FormRequest(url, formdata=form, callback=self.parse_dataproxy, cb_kwargs={"nxt": nxt},
                                  headers={"Referer": referer, "X-Requested-With": "XMLHttpRequest"})

    def parse_dataproxy(self, response, nxt):
        self.pages += 1
        n, reqs = self.records(response, response.text)
        yield from reqs
        if n and nxt:
            yield self.dataproxy(*nxt)

    def parse_script_json(self, response):
        self.pages += 1
        try:
            n = int(json.loads(response.text).get("endPage", 0))
        except ValueError:
            return
        base = response.url[: response.url.rfind("/") + 1]
        for k in range(2, n + 1):
            yield scrapy.Request(f"{base}list{k}.html", callback=self.parse_list)

    def parse_gkmlpt(self, response, api, page):
        self.pages += 1
        data = json.loads(response.text)
        arts = data.get("articles") or []
        for a in arts:
            if is_report(a.get("title", "")):
                yield scrapy.Request(urljoin(response.url, a["url"]), callback=self.parse_report)
                for at in a.get("attachment") or []:
                    yield scrapy.Request(urljoin(response.url, at["url"]), callback=self.parse_file)
        if arts:
            yield scrapy.Request(api % (page + 1), callback=self.parse_gkmlpt, cb_kwargs={"api": api, "page": page + 1})

    def parse_report(self, response):
        self.pages += 1
        self.reports.add(response.url)
        for a in response.css("a[href]"):
            url = urljoin(response.url, a.attrib["href"])
            if ATTACH.search(urlsplit(url).path) or "downfile.jsp" in url:
                yield scrapy.Request(url, callback=self.parse_file)
        for src in response.css("iframe::attr(src), embed::attr(src)").getall():
            url = urljoin(response.url, src)
            f = parse_qs(urlsplit(url).query).get("file")
            if f:
                yield scrapy.Request(urljoin(url, f[0]), callback=self.parse_file)

    def parse_file(self, response):
        self.pages += 1


def main():
    info = json.load(open(sys.argv[1]))
    delay = float(sys.argv[2]) if len(sys.argv) > 2 else 0.0
    ProxyToPortal.addr = info["addr"]
    proc = CrawlerProcess(settings={
        "LOG_LEVEL": "ERROR",
        "ROBOTSTXT_OBEY": True,
        "USER_AGENT": "nianbao-bench-scrapy (+https://github.com/nianbao/nianbao)",
        "CONCURRENT_REQUESTS": 8,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 1,  # the same politeness as nianbao
        "DOWNLOAD_DELAY": delay,
        "RANDOMIZE_DOWNLOAD_DELAY": False,
        "DOWNLOADER_MIDDLEWARES": {"__main__.ProxyToPortal": 1},
        "TELNETCONSOLE_ENABLED": False,
        "HTTPCACHE_ENABLED": False,
        "RETRY_TIMES": 2,
        "HTTPERROR_ALLOW_ALL": False,
    })
    crawler = proc.create_crawler(Spider)
    t = {}
    def opened(spider):
        t.setdefault("start", time.monotonic())

    def closed(spider):
        t.setdefault("end", time.monotonic())

    # Scrapy holds signal handlers weakly: keep these alive in this scope.
    crawler.signals.connect(opened, signal=signals.spider_opened)
    crawler.signals.connect(closed, signal=signals.spider_closed)
    proc.crawl(crawler, info=info)
    proc.start()
    stats = crawler.stats.get_stats()
    secs = t["end"] - t["start"]
    responses = stats.get("downloader/response_count", 0)
    spider = crawler.spider
    missing = len(set(info["reports"]) - spider.reports)
    print(json.dumps({"tool": "scrapy", "pages": responses, "seconds": secs, "pages_per_s": responses / secs,
                      "peak_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                      "reports": len(spider.reports), "reports_missing": missing}))


if __name__ == "__main__":
    main()
