package charset

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

func gbk(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDecode(t *testing.T) {
	const text = "<title>牧野区2021年政府信息公开工作年度报告</title>"
	longComment := "<!--" + strings.Repeat("x", 2000) + "-->"
	tests := []struct {
		name, ct    string
		body        []byte
		wantCharset string
	}{
		{"utf8 plain", "", []byte("<html><head>" + text + "</head></html>"), "utf-8"},
		{"header gbk", "text/html; charset=GBK", gbk(t, "<html>"+text+"</html>"), "gb18030"},
		{"meta gb2312 only", "text/html", gbk(t, `<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">`+text+"</head></html>"), "gb18030"},
		{"meta past 1024 bytes", "text/html", gbk(t, "<html><head>"+longComment+`<meta charset="gbk">`+text+"</head></html>"), "gb18030"},
		{"header lies utf-8 over gbk", "text/html; charset=utf-8", gbk(t, "<html><head>"+text+"</head></html>"), "gb18030"},
		{"nothing declared gbk", "", gbk(t, "<html><head>"+text+"</head></html>"), "gb18030"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, cs := Decode(tc.body, tc.ct)
			if cs != tc.wantCharset {
				t.Errorf("Decode charset = %q; want %q", cs, tc.wantCharset)
			}
			if !strings.Contains(string(out), "牧野区2021年政府信息公开工作年度报告") {
				t.Errorf("Decode text = %.80q; want the title intact", out)
			}
		})
	}
}

func TestFromMeta(t *testing.T) {
	script := "<script>var s = '" + strings.Repeat("y", 1500) + "';</script>"
	tests := []struct {
		name, body, want string
	}{
		{"meta charset", `<html><head><meta charset="utf-8"><title>x</title></head><body></body></html>`, "utf-8"},
		{"http-equiv content", `<html><head><META HTTP-EQUIV="Content-Type" CONTENT="text/html; CHARSET=GB2312"></head></html>`, "GB2312"},
		{"meta past 1024 bytes", "<html><head>" + script + `<meta http-equiv="Content-Type" content="text/html; charset=gbk"></head><body></body></html>`, "gbk"},
		{"single quotes and spaces", `<head><meta charset = ' gb18030 '></head>`, "gb18030"},
		{"meta without charset, then one with", `<head><meta name="keywords" content="x"><meta charset=gbk></head>`, "gbk"},
		{"charset attribute without value", `<head><meta charset><meta charset="big5"></head>`, "big5"},
		{"meta in the body is not the page's", `<html><head><title>x</title></head><body><p>` + script + `<meta charset="gbk"></p></body></html>`, ""},
		{"no head, meta before body", `<meta charset="gbk"><body><p>x</p></body>`, "gbk"},
		{"no head, meta after body", `<body><p>x</p><meta charset="gbk"></body>`, ""},
		{"nothing declared", `<html><head><title>x</title></head></html>`, ""},
		{"truncated tag", `<head><meta charset=`, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := FromMeta([]byte(tc.body)); got != tc.want {
				t.Errorf("FromMeta = %q; want %q", got, tc.want)
			}
		})
	}
}

// TestDetectOverride: bytes that contradict the declared charset are
// decoded as what they are, and the override is reported.
func TestDetectOverride(t *testing.T) {
	const text = "牧野区2021年政府信息公开工作年度报告"
	page := `<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"><title>` + text + `</title></head></html>`
	utf16 := func(order string) []byte {
		var out []byte
		if order == "le" {
			out = []byte{0xff, 0xfe}
		} else {
			out = []byte{0xfe, 0xff}
		}
		for _, r := range page { // BMP only
			if order == "le" {
				out = append(out, byte(r), byte(r>>8))
			} else {
				out = append(out, byte(r>>8), byte(r))
			}
		}
		return out
	}
	tests := []struct {
		name, ct   string
		body       []byte
		charset    string
		overridden bool
	}{
		{"utf-8 under a stale gb2312 meta", "", []byte(page), "utf-8", true},
		{"utf-8 under a gbk header", "text/html; charset=gbk", []byte(page), "utf-8", true},
		{"utf-16le with BOM under a gb2312 meta", "", utf16("le"), "utf-16le", true},
		{"utf-16be with BOM under a gb2312 meta", "", utf16("be"), "utf-16be", true},
		{"gbk as declared", "", gbk(t, page), "gb18030", false},
		{"header lies utf-8 over gbk", "text/html; charset=utf-8", gbk(t, page), "gb18030", true},
		{"ascii under gbk is no override", "", []byte(`<meta charset="gbk"><p>2021</p>`), "gb18030", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := Detect(tc.body, tc.ct)
			if r.Charset != tc.charset || r.Overridden != tc.overridden {
				t.Errorf("Detect = %q overridden=%v (declared %q); want %q overridden=%v", r.Charset, r.Overridden, r.Declared, tc.charset, tc.overridden)
			}
			if !strings.Contains(string(r.Body), "2021") {
				t.Errorf("decoded body lost its text: %q", r.Body)
			}
			if len(tc.body) > 100 && !strings.Contains(string(r.Body), text) {
				t.Errorf("decoded body %q does not hold %q", r.Body, text)
			}
		})
	}
}
