package escape_test

import (
	"bytes"
	"html/template"
	"strings"
	"testing"

	"github.com/trangtin/trangtin/platform/escape"
)

// contexts are the places each function stands for, as template text
// around one value, and the function's output in the same text.
var contexts = []struct {
	name, text string
	typed      bool // the value is given to the template as a template.URL
	write      func(*strings.Builder, string)
}{
	{"text", `<p>{{.}}</p>`, false, escape.HTML},
	{"attr", `<img alt="{{.}}">`, false, escape.HTML},
	{"url", `<a href="{{.}}">`, true, func(b *strings.Builder, s string) { escape.URL(b, template.URL(s)) }},
	{"href", `<a href="{{.}}">`, false, escape.Href},
	{"url-part", `<a href="/chuyen-muc/{{.}}">`, false, func(b *strings.Builder, s string) { escape.URL(b, template.URL(s)) }},
}

var samples = []string{
	"", "Lao động – việc làm", `"'<>&+`, "<script>alert(1)</script>", "nul\x00byte", "bad \xff\xfe\xc3",
	"\ufdd0 \uffff \ufffd", "&amp;", "tab\tnl\ncr\r", "Tie\u0302\u0301ng", "/a b?q=a+b&c=d#x", "100%-ok/%41%zz%4",
	"javascript:alert(1)", "JavaScript:x", " javascript:x", "httpſ://x", "HTTPS://x", "mailto:a@b", "/x:y", "data:text/html,x",
	"//evil.example/", "?a:b", "#x:y", "http:", ":x", "\x00javascript:x",
	"https://user@example.com:8080/p;x=1,2/*[]!$@~._-?%", "\x7f\x01", "{}|\\^`()",
}

func check(t *testing.T, s string) {
	t.Helper()
	for _, c := range contexts {
		tpl := template.Must(template.New("").Parse(c.text))
		var want bytes.Buffer
		var data any = s
		if c.typed {
			data = template.URL(s)
		}
		if err := tpl.Execute(&want, data); err != nil {
			t.Fatal(err)
		}
		var got strings.Builder
		before, after, _ := strings.Cut(c.text, "{{.}}")
		got.WriteString(before)
		c.write(&got, s)
		got.WriteString(after)
		if got.String() != want.String() {
			t.Errorf("%s: %q\n got: %q\nwant: %q", c.name, s, got.String(), want.String())
		}
	}
}

// TestAsTemplate holds each function to html/template in its context.
func TestAsTemplate(t *testing.T) {
	for _, s := range samples {
		check(t, s)
	}
	for c := range 256 {
		check(t, "a"+string(rune(c))+string([]byte{byte(c)})+"%"+string([]byte{byte(c)}))
	}
}

// FuzzAsTemplate is TestAsTemplate on arbitrary values.
func FuzzAsTemplate(f *testing.F) {
	for _, s := range samples {
		f.Add(s)
	}
	f.Fuzz(check)
}

// BenchmarkURL escapes an item's address, as every card's link does.
func BenchmarkURL(b *testing.B) {
	u := template.URL("/bai-viet/so-lao-dong-thuong-binh-va-xa-hoi-to-chuc-hoi-nghi-tong-ket-cong-tac-nam-2026")
	var sb strings.Builder
	b.SetBytes(int64(len(u)))
	for i := 0; b.Loop(); i++ {
		// A page's builder is grown once to the page's size; so is this
		// one, every thousand addresses.
		if i%1000 == 0 {
			sb = strings.Builder{}
			sb.Grow(1000 * len(u))
		}
		escape.URL(&sb, u)
	}
}
