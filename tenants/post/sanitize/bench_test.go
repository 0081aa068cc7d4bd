package sanitize

import (
	"strings"
	"testing"
)

// wordPaste50K returns a Word clipboard document of at least 50 KB: the
// fixture's head (styles, conditional comments) and its fragment repeated,
// as a long report pasted in one go.
func wordPaste50K(tb testing.TB) string {
	doc := readFixture(tb, "word-paste.html")
	start := strings.Index(doc, "<!--StartFragment-->")
	end := strings.Index(doc, "<!--EndFragment-->")
	if start < 0 || end < 0 {
		tb.Fatal("fixture has no fragment markers")
	}
	head, fragment, tail := doc[:start], doc[start:end], doc[end:]
	var b strings.Builder
	b.WriteString(head)
	for b.Len() < 50*1024 {
		b.WriteString(fragment)
	}
	b.WriteString(tail)
	return b.String()
}

func BenchmarkClean(b *testing.B) {
	p := New(testMedia)
	in := wordPaste50K(b)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		p.Clean(in)
	}
}

// BenchmarkCleanClean measures saving a body that is already clean, the
// common case once an item exists.
func BenchmarkCleanClean(b *testing.B) {
	p := New(testMedia)
	in := p.Clean(wordPaste50K(b))
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		p.Clean(in)
	}
}

func BenchmarkPlainText(b *testing.B) {
	in := New(testMedia).Clean(wordPaste50K(b))
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		PlainText(in)
	}
}

func TestWordPaste50KIsClean(t *testing.T) {
	p := New(testMedia)
	in := wordPaste50K(t)
	out := p.Clean(in)
	if len(in) < 50*1024 {
		t.Fatalf("benchmark input is %d bytes", len(in))
	}
	for _, problem := range checkOutput(out) {
		t.Error(problem)
	}
	if p.Clean(out) != out {
		t.Error("not idempotent on the 50 KB paste")
	}
	// The repeated fragments are separate lists, tables and paragraphs; the
	// count shows nothing was merged or lost.
	n := strings.Count(in, "<!--StartFragment-->")
	if got := strings.Count(out, "<table>"); got != n {
		t.Errorf("%d tables, want %d", got, n)
	}
}
