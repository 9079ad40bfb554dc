package hostid_test

import (
	"net/url"
	"testing"

	"github.com/nianbao/nianbao/internal/hostid"
)

func TestOf(t *testing.T) {
	cases := []struct{ in, want string }{
		{"http://h.test/", "h.test"},
		{"http://h.test:80/", "h.test"},
		{"http://H.Test:80/x", "h.test"},
		{"https://h.test:443/", "h.test"},
		{"https://h.test:80/", "h.test:80"},
		{"http://h.test:443/", "h.test:443"},
		{"http://h.test:8080/", "h.test:8080"},
		{"http://h.test.:8080/", "h.test:8080"},
		{"http://127.0.0.1:38211/col/", "127.0.0.1:38211"},
		{"http://[::1]:8080/", "[::1]:8080"},
		{"http://[::1]/", "[::1]"},
		{"/relative", ""},
	}
	for _, tc := range cases {
		if got := hostid.OfURL(tc.in); got != tc.want {
			t.Errorf("OfURL(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

func TestParseAllowed(t *testing.T) {
	cases := []struct {
		in, want string
		bad      bool
	}{
		{in: "www.xxmyq.gov.cn", want: "www.xxmyq.gov.cn"},
		{in: " WWW.Xxmyq.gov.cn ", want: "www.xxmyq.gov.cn"},
		{in: "127.0.0.1:8080", want: "127.0.0.1:8080"},
		{in: "h.test:80", want: "h.test:80"},
		{in: "[::1]:8080", want: "[::1]:8080"},
		{in: "[::1]", want: "[::1]"},
		{in: "", bad: true},
		{in: "http://h.test", bad: true},
		{in: "h.test/col", bad: true},
		{in: "*.h.test", bad: true},
		{in: "h.test:0", bad: true},
		{in: "h.test:http", bad: true},
		{in: "h.test:99999", bad: true},
	}
	for _, tc := range cases {
		got, err := hostid.ParseAllowed(tc.in)
		if (err != nil) != tc.bad || got != tc.want {
			t.Errorf("ParseAllowed(%q) = %q, %v; want %q, error %v", tc.in, got, err, tc.want, tc.bad)
		}
	}
}

func TestSetAllows(t *testing.T) {
	s, err := hostid.NewSet([]string{"a.test", "b.test:8080", "c.test:80"})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		in   string
		want bool
	}{
		{"http://a.test/", true},
		{"http://A.TEST:80/", true},
		{"https://a.test/", true},
		{"https://a.test:443/", true},
		{"http://a.test:8080/", false},
		{"http://b.test:8080/", true},
		{"http://b.test/", false},
		{"http://c.test/", true},
		{"http://c.test:80/", true},
		{"https://c.test/", false},
		{"ftp://a.test/", false},
		{"http://user@a.test/", false},
		{"http://evil.test/", false},
	}
	for _, tc := range cases {
		u, _ := url.Parse(tc.in)
		if got := s.Allows(u); got != tc.want {
			t.Errorf("Allows(%q) = %v; want %v", tc.in, got, tc.want)
		}
	}
}
