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
