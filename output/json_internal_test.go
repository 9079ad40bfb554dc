package output

import (
	"encoding/json"
	"testing"
)

// TestJSONStringsAsMarshal: the fast path for plain strings prints exactly
// what encoding/json prints, for every kind of character it escapes.
func TestJSONStringsAsMarshal(t *testing.T) {
	for _, s := range []string{
		"", "新乡市牧野区人民政府", "denominator below 30: rank suppressed", `say "hi"`, `a\b`,
		"<b>", "a&b", "tab\there", "line\nbreak", "\x00", "\u2028", "\u2029", "\u2027", "bad \xff utf8",
		"e\u0301", "😀", "0101",
	} {
		want, _ := json.Marshal(s)
		if got := jsonValue(s, false); got != string(want) {
			t.Errorf("jsonValue(%q) = %s; want %s", s, got, want)
		}
	}
}

func FuzzJSONStringsAsMarshal(f *testing.F) {
	f.Add("新乡 <a> \"x\"")
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := jsonValue(s, false); got != string(want) {
			t.Errorf("jsonValue(%q) = %s; want %s", s, got, want)
		}
	})
}
