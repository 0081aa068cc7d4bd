// Package escape writes values into HTML as html/template writes them, so
// that markup built in Go for speed (a list is one template action rather
// than a few per element, each a reflect call into an escaper: issue 13)
// stays byte for byte what the template it replaced printed. Each function
// names the template context it stands for; tests hold every caller to the
// template it replaced.
package escape

import (
	"html/template"
	"strings"
)

// HTML writes s as html/template writes a string in text or in a quoted
// attribute value (htmlEscaper, attrEscaper: its htmlReplacementTable).
// Only ASCII bytes are replaced, so going byte by byte is the same as its
// rune by rune: a UTF-8 sequence, valid or not, has no byte below 0x80 but
// its first, and passes through.
func HTML(b *strings.Builder, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		if esc := htmlEscapes[s[i]]; esc != "" {
			b.WriteString(s[last:i])
			b.WriteString(esc)
			last = i + 1
		}
	}
	b.WriteString(s[last:])
}

var htmlEscapes = [256]string{
	0:    "\uFFFD",
	'"':  "&#34;",
	'&':  "&amp;",
	'\'': "&#39;",
	'+':  "&#43;",
	'<':  "&lt;",
	'>':  "&gt;",
}

// URL writes a template.URL as html/template writes one in a quoted href,
// or a string anywhere in an href but at its start: normalised
// (urlNormalizer: a byte outside RFC 3986's unreserved and reserved
// characters, or a % not starting an escape, becomes %xx), then escaped
// for the attribute (attrEscaper: & and + of the normalised address).
func URL(b *strings.Builder, u template.URL) {
	const hex = "0123456789abcdef"
	s := string(u)
	last := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if urlKept[c] {
			continue
		}
		var esc string
		switch {
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			continue
		case c == '&':
			esc = "&amp;"
		case c == '+':
			esc = "&#43;"
		}
		b.WriteString(s[last:i])
		if esc != "" {
			b.WriteString(esc)
		} else {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
		last = i + 1
	}
	b.WriteString(s[last:])
}

// urlKept marks the bytes URL writes as they are: letters, digits and
// "!#$*,/:;=?@[]-._~". A table, not a search of that string per byte: an
// address is mostly such bytes (BenchmarkURL).
var urlKept = func() (t [256]bool) {
	for c := range 256 {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			strings.IndexByte("!#$*,/:;=?@[]-._~", byte(c)) >= 0
	}
	return t
}()

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// Href writes a string as html/template writes one that a quoted href
// starts with: an address with a scheme other than http, https or mailto
// (javascript:, data:) is replaced by "#ZgotmplZ" (urlFilter), then it is
// written as URL. A template.URL skips the filter: give it to URL.
func Href(b *strings.Builder, s string) {
	if !isSafeURL(s) {
		s = "#ZgotmplZ"
	}
	URL(b, template.URL(s)) // #nosec G203 -- filtered above as html/template would
}

// isSafeURL is html/template's: EqualFold, not ASCII case folding, so
// "httpſ:" (long s) passes there and must here.
func isSafeURL(s string) bool {
	if protocol, _, ok := strings.Cut(s, ":"); ok && !strings.Contains(protocol, "/") {
		if !strings.EqualFold(protocol, "http") && !strings.EqualFold(protocol, "https") && !strings.EqualFold(protocol, "mailto") {
			return false
		}
	}
	return true
}
