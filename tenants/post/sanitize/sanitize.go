// Package sanitize cleans item bodies: the rich HTML that boards write in the
// console editor or paste from Microsoft Word, LibreOffice and Google Docs.
//
// [Policy.Clean] works in three steps:
//
//  1. The input is parsed as an HTML5 body fragment, the office-suite junk is
//     taken out (conditional comments, list markers, mso-* styles, <o:p>,
//     <span lang> and <font> wrappers, runs of &nbsp;, empty paragraphs),
//     Word's fake lists become real <ul>/<ol>, <b>/<i> become <strong>/<em>,
//     and the tree is rebuilt from an allow-list, nested so that a browser
//     parses the result back into the same tree.
//  2. The serialised tree goes through a bluemonday policy built from the same
//     allow-list. Step 1 already emits nothing that policy would remove; the
//     policy is there as an independent gate, so that a mistake in step 1
//     cannot put a script on a public page.
//  3. Text is NFC-normalised (in step 1, on the tree, because normalising the
//     serialised string could fuse a combining mark with the ">" of a tag).
//
// The output is a fixed point: Clean(Clean(x)) == Clean(x), so that saving an
// unchanged body never records a spurious revision.
//
// Allowed elements: p, br, h2, h3, h4, strong, em, u, s, sub, sup,
// blockquote, ul, ol, li, a, table, caption, thead, tbody, tfoot, tr, th, td,
// figure, figcaption, img and hr. Allowed attributes:
//
//   - a: href (http, https, mailto, tel or relative); links with a host also
//     get rel="noopener noreferrer nofollow" and keep target="_blank" if the
//     author set it; no other target is kept.
//   - img: src (only paths under one of the policy's media prefixes), alt,
//     width, height.
//   - td, th: colspan, rowspan.
//   - p, h2, h3, h4, td, th: class, only "text-center" or "text-right".
//
// Nothing else: no style, id, other classes or event handlers.
package sanitize

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/text/unicode/norm"
)

// Policy cleans item bodies. Build it once with [New]; it is safe for
// concurrent use (bluemonday policies are, once built, and Clean keeps all of
// its working state on the stack).
type Policy struct {
	mediaPrefixes []string
	gate          *bluemonday.Policy
}

// Values of the attributes that the cleaner writes itself; the gate accepts
// exactly these.
const (
	externalRel = "noopener noreferrer nofollow"
	classCenter = "text-center"
	classRight  = "text-right"
)

// New returns a policy that keeps images only when their src is a path on our
// own host starting with one of mediaPrefixes (for example "/media/"). With no
// prefixes, every image is dropped.
//
// New panics if a prefix is not a root-relative path such as "/media/":
// anything else ("//cdn.example/", "https://...", "media/") could let images
// from another host through, and the prefixes are configuration fixed at
// start-up, not user input.
func New(mediaPrefixes []string) *Policy {
	p := &Policy{}
	var srcAlternatives []string
	for _, prefix := range mediaPrefixes {
		if err := checkPrefix(prefix); err != nil {
			panic(fmt.Sprintf("sanitize: media prefix %q: %v", prefix, err))
		}
		p.mediaPrefixes = append(p.mediaPrefixes, prefix)
		srcAlternatives = append(srcAlternatives, regexp.QuoteMeta(prefix))
	}
	p.gate = newGate(srcAlternatives)
	return p
}

func checkPrefix(prefix string) error {
	switch {
	case !strings.HasPrefix(prefix, "/"):
		return fmt.Errorf("must start with /")
	case strings.HasPrefix(prefix, "//"):
		return fmt.Errorf("must not start with // (that names another host)")
	case strings.ContainsAny(prefix, "\\?#%"), hasControl(prefix), strings.Contains(prefix, ".."):
		return fmt.Errorf("must be a plain path")
	}
	u, err := url.Parse(prefix)
	if err != nil || u.String() != prefix {
		return fmt.Errorf("must be a plain, already escaped path")
	}
	return nil
}

// newGate builds the bluemonday policy used as the second gate. It mirrors
// the allow-list that convert applies, element by element, and is built from
// an empty policy rather than UGCPolicy so that nothing is allowed by default.
func newGate(srcAlternatives []string) *bluemonday.Policy {
	g := bluemonday.NewPolicy()
	g.AllowElements(
		"p", "br", "h2", "h3", "h4", "strong", "em", "u", "s", "sub", "sup",
		"blockquote", "ul", "ol", "li", "table", "caption", "thead", "tbody",
		"tfoot", "tr", "th", "td", "figure", "figcaption", "hr",
	)
	g.AllowAttrs("class").Matching(regexp.MustCompile(`^(?:`+classCenter+`|`+classRight+`)$`)).
		OnElements("p", "h2", "h3", "h4", "td", "th")
	g.AllowAttrs("colspan", "rowspan").Matching(regexp.MustCompile(`^[1-9][0-9]{0,2}$`)).OnElements("td", "th")

	// Links. AllowURLSchemes and AllowRelativeURLs also make bluemonday
	// re-parse every href and src; the rel and target requirements are
	// already met by convert, and are repeated here only as a backstop.
	g.AllowURLSchemes("http", "https", "mailto", "tel")
	g.AllowRelativeURLs(true)
	g.AllowAttrs("href").OnElements("a")
	g.AllowAttrs("rel").Matching(regexp.MustCompile(`^` + externalRel + `$`)).OnElements("a")
	g.AllowAttrs("target").Matching(regexp.MustCompile(`^_blank$`)).OnElements("a")
	g.RequireNoFollowOnFullyQualifiedLinks(true)
	g.RequireNoReferrerOnFullyQualifiedLinks(true)

	// Images: with no media prefix no <img> is allowed at all.
	if len(srcAlternatives) > 0 {
		src := regexp.MustCompile(`^(?:` + strings.Join(srcAlternatives, "|") + `)[^\s\\]*$`)
		g.AllowAttrs("src").Matching(src).OnElements("img")
		g.AllowAttrs("alt").OnElements("img")
		g.AllowAttrs("width", "height").Matching(regexp.MustCompile(`^[1-9][0-9]{0,3}$`)).OnElements("img")
	}
	return g
}

// Clean returns the sanitised, normalised form of an item body. It never
// fails: whatever cannot be kept safely is dropped.
func (p *Policy) Clean(body string) string {
	return protectNonStarters(p.gate.Sanitize(p.rebuild(body)))
}

// rebuild is step 1: it parses body, cleans the tree and serialises it.
func (p *Policy) rebuild(body string) string {
	root := parseBody(body)
	if depth(root) > maxDepth {
		// Keep the text of absurdly nested input, not its structure:
		// rebuilding costs more than linear time in the nesting depth, and
		// the output must stay well within what the parser accepts.
		root = textOnly(body)
	}
	fixWordLists(root)
	tree := p.convert(root)
	normalizeFlow(tree, blocksOnly)
	if depth(tree) > maxDepth {
		tree = p.convert(textOnly(body))
		normalizeFlow(tree, blocksOnly)
	}
	var b strings.Builder
	renderChildren(&b, tree)
	return b.String()
}

// maxDepth bounds the nesting of Clean's output. A real body nests a few
// lists and tables at most; the HTML parser refuses more than 512 open
// elements, and the output must stay well within what it accepts.
const maxDepth = 100

// parseBody parses s the way a browser parses the inner HTML of a <body>, and
// returns the nodes under a stand-in <body> element.
func parseBody(s string) *html.Node {
	// Invalid UTF-8 would survive parsing and confuse normalisation; the
	// browser would show U+FFFD for it anyway.
	s = strings.ToValidUTF8(s, "\uFFFD")
	context := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(strings.NewReader(s), context)
	if err != nil {
		// The reader cannot fail: the input nests more than 512 elements.
		return textOnly(s)
	}
	root := newElement("body")
	for _, n := range nodes {
		root.AppendChild(n)
	}
	return root
}

// textOnly returns the text of s, without its markup, under a stand-in
// <body>. It is the fallback for input nested too deeply to parse.
func textOnly(s string) *html.Node {
	root := newElement("body")
	z := html.NewTokenizer(strings.NewReader(strings.ToValidUTF8(s, "\uFFFD")))
	var text strings.Builder
	skipText := false // the next text token is the body of a <script>, <style>...
	for {
		switch z.Next() {
		case html.ErrorToken:
			appendText(root, text.String())
			return root
		case html.TextToken:
			if !skipText {
				text.Write(z.Text())
			}
			skipText = false
		case html.StartTagToken:
			name, _ := z.TagName()
			skipText = isDropped(string(name))
		default:
			skipText = false
			text.WriteByte(' ')
		}
	}
}

// depth returns the number of nested elements below n.
func depth(n *html.Node) int {
	d := 0
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode {
			d = max(d, 1+depth(c))
		}
	}
	return d
}

// protectNonStarters escapes a combining mark that directly follows the ">"
// of a tag. Written raw, the pair would not be NFC ("≯" is ">" plus U+0338),
// and anything that normalised the page later would turn the tag end into
// text. The parsed text is unchanged, so the output stays a fixed point.
func protectNonStarters(s string) string {
	var b strings.Builder
	last := 0
	for i := strings.IndexByte(s, '>'); i >= 0; {
		next := i + 1
		if next < len(s) && s[next] >= utf8.RuneSelf && !norm.NFC.PropertiesString(s[next:]).BoundaryBefore() {
			r, size := utf8.DecodeRuneInString(s[next:])
			if b.Len() == 0 {
				b.Grow(len(s) + 8)
			}
			b.WriteString(s[last:next])
			fmt.Fprintf(&b, "&#x%X;", r)
			last = next + size
		}
		j := strings.IndexByte(s[next:], '>')
		if j < 0 {
			break
		}
		i = next + j
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}
