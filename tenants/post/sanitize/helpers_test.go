package sanitize

import (
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/text/unicode/norm"
)

var testMedia = []string{"/media/", "/uploads/"}

// allowedAttrs is the output allow-list, written out independently of the
// code under test.
var allowedAttrs = map[string][]string{
	"p": {"class"}, "h2": {"class"}, "h3": {"class"}, "h4": {"class"},
	"td": {"colspan", "rowspan", "class"}, "th": {"colspan", "rowspan", "class"},
	"a":   {"href", "rel", "target"},
	"img": {"src", "alt", "width", "height"},
	"br":  nil, "strong": nil, "em": nil, "u": nil, "s": nil, "sub": nil,
	"sup": nil, "blockquote": nil, "ul": nil, "ol": nil, "li": nil,
	"table": nil, "thead": nil, "tbody": nil, "tfoot": nil, "tr": nil,
	"caption": nil, "figure": nil, "figcaption": nil, "hr": nil,
}

var eventAttr = regexp.MustCompile(`(?i)^on[a-z]+$`)

// checkOutput returns the ways in which out breaks the output contract.
func checkOutput(out string) []string {
	var problems []string
	lower := strings.ToLower(out)
	for _, bad := range []string{"<script", "<style", "<iframe", "<object", "<embed", "<svg", "<math", "<!--"} {
		if strings.Contains(lower, bad) {
			problems = append(problems, "contains "+bad)
		}
	}
	// Attribute names as a tokenizer sees them, independently of the tree.
	z := html.NewTokenizer(strings.NewReader(out))
	for z.Next() != html.ErrorToken {
		tok := z.Token()
		for _, a := range tok.Attr {
			if eventAttr.MatchString(a.Key) || a.Key == "style" {
				problems = append(problems, "has a "+a.Key+" attribute")
			}
		}
	}
	if !norm.NFC.IsNormalString(out) {
		problems = append(problems, "is not NFC")
	}
	root := parseBody(out)
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.CommentNode, html.DoctypeNode:
			problems = append(problems, "has a comment or doctype")
		case html.ElementNode:
			keys, ok := allowedAttrs[n.Data]
			if !ok || n.Namespace != "" {
				problems = append(problems, fmt.Sprintf("element <%s> not allowed", n.Data))
			}
			for _, a := range n.Attr {
				if !contains(keys, a.Key) || a.Namespace != "" {
					problems = append(problems, fmt.Sprintf("attribute %s on <%s> not allowed", a.Key, n.Data))
				}
				val := strings.ToLower(strings.Join(strings.FieldsFunc(a.Val, func(r rune) bool { return r <= ' ' }), ""))
				if strings.Contains(val, "javascript:") || strings.Contains(val, "vbscript:") || strings.HasPrefix(val, "data:") {
					problems = append(problems, fmt.Sprintf("%s=%q", a.Key, a.Val))
				}
				if a.Key == "class" && a.Val != "text-center" && a.Val != "text-right" {
					problems = append(problems, "class "+a.Val)
				}
			}
			switch n.Data {
			case "img":
				src := attr(n, "src")
				if !strings.HasPrefix(src, "/media/") && !strings.HasPrefix(src, "/uploads/") {
					problems = append(problems, "img src "+src)
				}
			case "a":
				u, err := url.Parse(attr(n, "href"))
				if err != nil || attr(n, "href") == "" {
					problems = append(problems, "a without a valid href")
				} else if u.Host != "" && attr(n, "rel") != "noopener noreferrer nofollow" {
					problems = append(problems, "external link without rel")
				}
				if t := attr(n, "target"); hasAttr(n, "target") && (t != "_blank" || u == nil || u.Host == "") {
					problems = append(problems, "target "+t)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for c := root.FirstChild; c != nil; c = c.NextSibling {
		walk(c)
	}
	return problems
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func readFixture(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var fixtures = []string{"word-paste.html", "gdocs-paste.html", "libreoffice-paste.html"}

// attackVectors are inputs that must lose their active content.
var attackVectors = []string{
	`<script>alert(1)</script><p>x</p>`,
	`<SCRIPT SRC=//evil.example/x.js></SCRIPT>`,
	`<scr<script>ipt>alert(1)</script>`,
	`<p>a<script>document.write('<p>x</p>')</script>b</p>`,
	`<img src=x onerror=alert(1)>`,
	`<img src="/media/a.jpg" onerror="alert(1)" onload="alert(2)">`,
	`<IMG SRC="javascript:alert('XSS');">`,
	`<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">`,
	`<img src="https://evil.example/media/x.png">`,
	`<img src="//evil.example/media/x.png">`,
	`<img src="/\evil.example/x.png">`,
	`<img src="/media/../admin/logout">`,
	`<img src="/media/%2e%2e/admin/logout">`,
	`<p onclick="alert(1)">click</p>`,
	`<p ONCLICK=alert(1) onmouseover = alert(2)>x</p>`,
	`<a href="javascript:alert(1)">x</a>`,
	`<a href="JaVaScRiPt:alert(1)">x</a>`,
	`<a href=" javascript:alert(1)">x</a>`,
	`<a href="jav&#x09;ascript:alert(1)">x</a>`,
	`<a href="jav&#x0A;ascript:alert(1)">x</a>`,
	`<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>`,
	`<a href="javascript&colon;alert(1)">x</a>`,
	`<a href="java&#0000script:alert(1)">x</a>`,
	`<a href="vbscript:msgbox(1)">x</a>`,
	`<a href="VBScript:msgbox(1)">x</a>`,
	`<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>`,
	`<a href="https://example.org/" onclick="alert(1)">x</a>`,
	`<iframe src="https://evil.example/"></iframe><p>after</p>`,
	`<object data="x.swf"><param name=a value=b><embed src="x.swf"></object>`,
	`<style>body{background:url(javascript:alert(1))}</style><p>x</p>`,
	`<p style="background:url(javascript:alert(1))">x</p>`,
	`<svg onload=alert(1)><circle r=1 /></svg>`,
	`<svg><script>alert(1)</script></svg>`,
	`<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`,
	`<noscript><p title="</noscript><img src=x onerror=alert(1)>">`,
	`<form action="javascript:alert(1)"><button formaction="javascript:alert(1)">x</button></form>`,
	`<details open ontoggle=alert(1)>x</details>`,
	`<a href="https://example.org/" target="_top">x</a>`,
	`<base href="javascript:alert(1)//"><a href="/x">x</a>`,
	`<meta http-equiv="refresh" content="0;url=javascript:alert(1)">`,
	`<p id="x" class="evil" title="t" data-x="1" lang="vi">x</p>`,
	`<!--<img src=x onerror=alert(1)>-->`,
	`<![CDATA[<script>alert(1)</script>]]>`,
	`<table background="javascript:alert(1)"><tr><td onclick="alert(1)">x</td></tr></table>`,
	`<a href="https://user:pass@example.org/">x</a>`,
	"<p>\u0338 onmouseover=alert(1) x=</p>",
}
