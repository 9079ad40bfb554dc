package crawler

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"

	"github.com/nianbao/nianbao/archive"
)

// challengeMarkers are strings of WAF challenge and block pages (加速乐/创宇盾,
// 瑞数, 阿里云盾, 网站卫士, 天融信, 云防护, 安全狗, D盾). The crawler recognises
// them to stop and back off; it never tries to solve one.
var challengeMarkers = []string{
	"__jsl_clearance", "__jsluid", "acw_sc__v2", "$_ts", "wzwschallenge", "WZWS", "TWAF_",
	"enable JavaScript", "enable javascript", "Enable JavaScript", "document.cookie",
	"云防护", "安全狗", "拦截", "当前访问疑似黑客攻击", "D盾", "stopattack",
}

// challengeStatuses are the statuses WAFs answer with.
var challengeStatuses = map[int]bool{202: true, 403: true, 405: true, 412: true, 422: true, 429: true, 521: true}

// challenge returns a description when the response is a WAF challenge or
// block page, else "". decoded is the UTF-8 body.
func challenge(status int, decoded []byte) string {
	marker := ""
	head := decoded[:min(len(decoded), 16<<10)]
	for _, m := range challengeMarkers {
		if bytes.Contains(head, []byte(m)) {
			marker = m
			break
		}
	}
	switch {
	case challengeStatuses[status] && (len(decoded) < 3<<10 || marker != ""):
		if marker == "" {
			return fmt.Sprintf("HTTP %d with a %d-byte body", status, len(decoded))
		}
		return fmt.Sprintf("HTTP %d challenge (%s)", status, marker)
	case status == 200 && marker != "" && len(decoded) < 4<<10:
		return fmt.Sprintf("HTTP 200 challenge page (%s)", marker)
	case status == 200 && len(decoded) < 4<<10 && bytes.Contains(head, []byte("http-equiv=\"refresh\"")) && bytes.Contains(head, []byte("<script")):
		return "HTTP 200 meta-refresh script stub"
	}
	return ""
}

var soft404Markers = []string{"页面不存在", "页面未找到", "找不到", "您访问的页面", "您所访问的页面", "404 Not Found", "Page Not Found", "页面已删除"}

// soft404 returns a description when a 200 page says it does not exist.
func soft404(status int, decoded []byte) string {
	if status != 200 || len(decoded) > 12<<10 {
		return ""
	}
	for _, m := range soft404Markers {
		if bytes.Contains(decoded, []byte(m)) {
			return "soft 404 (" + m + ")"
		}
	}
	return ""
}

// homeRedirect reports a redirect that lands on the site's home page from a
// deeper path: the way many portals answer a missing column.
func homeRedirect(hops []*archive.Response) bool {
	if len(hops) < 2 {
		return false
	}
	from, err1 := url.Parse(hops[0].URL)
	to, err2 := url.Parse(hops[len(hops)-1].URL)
	if err1 != nil || err2 != nil {
		return false
	}
	isHome := func(p string) bool {
		p = strings.TrimSuffix(p, "/")
		return p == "" || p == "/index.html" || p == "/index.htm" || p == "/index.shtml" || p == "/index.jsp"
	}
	return isHome(to.Path) && !isHome(from.Path)
}
