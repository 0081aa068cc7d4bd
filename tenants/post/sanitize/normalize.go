package sanitize

import (
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/text/unicode/norm"
)

// The output content model, which normalizeFlow enforces on the converted
// tree:
//
//   - the body and <blockquote> hold blocks only (p, h2-h4, ul, ol,
//     blockquote, table, figure, hr); loose text is wrapped in <p>;
//   - <li>, <td>, <th> and <figure> hold text and blocks side by side;
//   - <p>, <h2>-<h4>, <caption> and <figcaption> hold text and inline
//     elements only; a block found inside one is lifted out of it;
//   - inline elements (strong, em, u, s, sub, sup, a) never hold blocks,
//     never nest in themselves, and are never empty;
//   - lists hold <li> only, tables hold sections, rows and cells only;
//   - spacing is single spaces, with none at the edges of a block.
//
// Besides being tidy, this is what makes Clean a fixed point: an HTML parser
// restructures some nestings (a <table> in a <p>, an <li> in an <li>...), and
// a tree that follows these rules is parsed back exactly as it was written.

// flowKind says what a flow container may hold.
type flowKind int

const (
	blocksOnly flowKind = iota // the body, <blockquote>
	mixed                      // <li>, <td>, <th>
	figureFlow                 // <figure>: mixed, plus <figcaption>
)

func isBlock(n *html.Node) bool {
	if n.Type != html.ElementNode {
		return false
	}
	switch n.Data {
	case "p", "h2", "h3", "h4", "ul", "ol", "li", "blockquote", "table",
		"thead", "tbody", "tfoot", "tr", "td", "th", "caption", "figure",
		"figcaption", "hr", "div":
		return true
	}
	return false
}

// isPhrasingBlock reports the blocks that hold inline content only.
func isPhrasingBlock(n *html.Node) bool {
	if n.Type != html.ElementNode {
		return false
	}
	switch n.Data {
	case "p", "h2", "h3", "h4", "figcaption":
		return true
	}
	return false
}

// inlineBit identifies the formatting elements, as a bit set so that
// dropRedundant can track which of them are open.
func inlineBit(tag string) uint {
	switch tag {
	case "strong":
		return 1
	case "em":
		return 1 << 1
	case "u":
		return 1 << 2
	case "s":
		return 1 << 3
	case "sub":
		return 1 << 4
	case "sup":
		return 1 << 5
	case "a":
		return 1 << 6
	}
	return 0
}

func isInline(n *html.Node) bool {
	return n.Type == html.ElementNode && inlineBit(n.Data) != 0
}

func hasBlockDescendant(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if isBlock(c) || hasBlockDescendant(c) {
			return true
		}
	}
	return false
}

// normalizeFlow rebuilds the content of the flow container c.
func normalizeFlow(c *html.Node, kind flowKind) {
	// Flatten the content into a sequence of blocks and inline nodes; nil
	// marks a paragraph break left by a dissolved <div>.
	var items []*html.Node
	for _, k := range detachChildren(c) {
		items = flatten(items, k, kind)
	}

	// Group it into blocks and runs of inline content. Runs with nothing to
	// show (spaces, line breaks) are the source's formatting and go.
	type piece struct {
		block *html.Node
		stray bool // block is a <ul> made for <li>s found outside a list
		run   []*html.Node
	}
	var pieces []piece
	var run []*html.Node
	flush := func() {
		if slices.ContainsFunc(run, hasContent) {
			pieces = append(pieces, piece{run: run})
		}
		run = nil
	}
	for _, it := range items {
		switch {
		case it == nil:
			flush()
		case isElement(it, "li"):
			flush()
			if n := len(pieces); n > 0 && pieces[n-1].stray {
				pieces[n-1].block.AppendChild(it)
				continue
			}
			ul := newElement("ul")
			ul.AppendChild(it)
			pieces = append(pieces, piece{block: ul, stray: true})
		case isBlock(it):
			flush()
			pieces = append(pieces, piece{block: it})
		default:
			run = append(run, it)
		}
	}
	flush()

	// Blocks first: whether they survive decides what the runs become.
	kept := pieces[:0]
	for _, pc := range pieces {
		if pc.block != nil {
			normalizeBlock(pc.block)
			if emptyBlock(pc.block) {
				continue
			}
		}
		kept = append(kept, pc)
	}

	// Where blocks are required, every run becomes a paragraph. In an item
	// or a cell a single run stays bare ("<li>text<ul>...</ul></li>"), but
	// several runs, or a run beside paragraphs, are paragraphs too.
	runs, paragraphs := 0, false
	for _, pc := range kept {
		if pc.block == nil {
			runs++
			continue
		}
		switch pc.block.Data {
		case "p", "h2", "h3", "h4", "blockquote":
			paragraphs = true
		}
	}
	wrapRuns := kind == blocksOnly || runs > 1 || paragraphs
	for _, pc := range kept {
		if pc.block != nil {
			c.AppendChild(pc.block)
			continue
		}
		p := newElement("p")
		for _, n := range pc.run {
			p.AppendChild(n)
		}
		normalizePhrasing(p)
		if p.FirstChild == nil {
			continue
		}
		if wrapRuns {
			c.AppendChild(p)
		} else {
			moveChildren(c, p)
		}
	}
	if kind != blocksOnly {
		liftLoneParagraph(c)
	}
}

// flatten appends to items the flow content of n: n itself, or, when n
// cannot stay where it is, its pieces.
func flatten(items []*html.Node, n *html.Node, kind flowKind) []*html.Node {
	if n.Type != html.ElementNode {
		return append(items, n)
	}
	switch n.Data {
	case "div", "thead", "tbody", "tfoot", "tr", "td", "th", "caption":
		// The stand-in for dissolved containers, and table parts found
		// outside a table.
		return dissolve(items, n, kind)
	case "figcaption":
		if kind != figureFlow {
			rename(n, "p")
		}
	case "figure":
		// A figure whose image was not ours has nothing to caption.
		if findNode(n, func(x *html.Node) bool { return isElement(x, "img") }) == nil {
			return dissolve(items, n, kind)
		}
	}
	if (isPhrasingBlock(n) || isInline(n)) && hasBlockDescendant(n) {
		for _, piece := range liftBlocks(n) {
			items = flatten(items, piece, kind)
		}
		return items
	}
	return append(items, n)
}

func dissolve(items []*html.Node, n *html.Node, kind flowKind) []*html.Node {
	items = append(items, nil)
	for _, c := range detachChildren(n) {
		items = flatten(items, c, kind)
	}
	return append(items, nil)
}

// liftBlocks splits n (a paragraph, heading or inline element) around the
// blocks nested in it: the inline content stays in shallow copies of n, the
// blocks come out between them, in order. An inline element's formatting is
// carried into the blocks that hold text, so that "<strong><p>x</p></strong>"
// becomes "<p><strong>x</strong></p>" rather than losing the bold.
func liftBlocks(n *html.Node) []*html.Node {
	var out []*html.Node
	var cur *html.Node
	for _, c := range detachChildren(n) {
		parts := []*html.Node{c}
		if !isBlock(c) && c.Type == html.ElementNode && hasBlockDescendant(c) {
			parts = liftBlocks(c)
		}
		for _, part := range parts {
			if isBlock(part) {
				if cur != nil {
					out = append(out, cur)
					cur = nil
				}
				if isInline(n) {
					pushFormatting(part, n)
				}
				out = append(out, part)
				continue
			}
			if cur == nil {
				cur = shallowClone(n)
			}
			cur.AppendChild(part)
		}
	}
	if cur != nil {
		out = append(out, cur)
	}
	return out
}

// pushFormatting wraps the content of block b in a copy of the inline
// element f. Lists, tables and rules do not take it.
func pushFormatting(b, f *html.Node) {
	switch b.Data {
	case "p", "h2", "h3", "h4", "figcaption", "div", "blockquote", "li":
		w := shallowClone(f)
		moveChildren(w, b)
		b.AppendChild(w)
	}
}

func normalizeBlock(b *html.Node) {
	switch b.Data {
	case "p", "h2", "h3", "h4", "figcaption":
		normalizePhrasing(b)
	case "ul", "ol":
		normalizeList(b)
	case "blockquote":
		normalizeFlow(b, blocksOnly)
	case "table":
		normalizeTable(b)
	case "figure":
		normalizeFlow(b, figureFlow)
	}
}

func emptyBlock(b *html.Node) bool {
	switch b.Data {
	case "hr":
		return false
	case "table":
		// A caption alone is not a table.
		for c := b.FirstChild; c != nil; c = c.NextSibling {
			if !isElement(c, "caption") {
				return false
			}
		}
		return true
	}
	return b.FirstChild == nil
}

// liftLoneParagraph turns "<li><p>x</p></li>" into "<li>x</li>": Word,
// LibreOffice and Google Docs put a paragraph in every item and cell. An item
// may also hold nested lists next to its paragraph. A centred or
// right-aligned paragraph passes its alignment to its cell.
func liftLoneParagraph(c *html.Node) {
	var p *html.Node
	for k := c.FirstChild; k != nil; k = k.NextSibling {
		switch {
		case isElement(k, "p") && p == nil:
			p = k
		case (isElement(k, "ul") || isElement(k, "ol")) && isElement(c, "li"):
		default:
			return
		}
	}
	if p == nil {
		return
	}
	if class := attr(p, "class"); class != "" {
		if !(isElement(c, "td") || isElement(c, "th")) || hasAttr(c, "class") {
			return
		}
		setAttr(c, "class", class)
	}
	unwrap(p)
}

// normalizeList keeps only <li> children in a list. A list nested directly
// in a list (as Google Docs writes them) moves into the preceding item; other
// loose content becomes an item of its own.
func normalizeList(l *html.Node) {
	var prev, loose *html.Node
	for _, k := range detachChildren(l) {
		switch {
		case isElement(k, "li"):
			l.AppendChild(k)
			prev, loose = k, nil
		case k.Type == html.TextNode && strings.TrimFunc(k.Data, isSpace) == "":
			if loose != nil {
				loose.AppendChild(k)
			}
		case (isElement(k, "ul") || isElement(k, "ol")) && prev != nil && loose == nil:
			prev.AppendChild(k)
		default:
			if loose == nil {
				loose = newElement("li")
				l.AppendChild(loose)
				prev = loose
			}
			loose.AppendChild(k)
		}
	}
	for li := l.FirstChild; li != nil; {
		next := li.NextSibling
		normalizeFlow(li, mixed)
		if li.FirstChild == nil {
			l.RemoveChild(li)
		}
		li = next
	}
}

// normalizeTable keeps captions and row groups in a table, rows in row
// groups and cells in rows. The parser has already put every row in a row
// group; rows found directly in the table are grouped all the same.
func normalizeTable(t *html.Node) {
	var strays *html.Node
	for _, k := range detachChildren(t) {
		switch {
		case isElement(k, "caption"), isElement(k, "thead"), isElement(k, "tbody"), isElement(k, "tfoot"):
			t.AppendChild(k)
			strays = nil
		case isElement(k, "tr"):
			if strays == nil {
				strays = newElement("tbody")
				t.AppendChild(strays)
			}
			strays.AppendChild(k)
		}
	}
	for k := t.FirstChild; k != nil; {
		next := k.NextSibling
		if isElement(k, "caption") {
			inlineOnly(k)
			normalizePhrasing(k)
		} else {
			normalizeRowGroup(k)
		}
		if k.FirstChild == nil {
			t.RemoveChild(k)
		}
		k = next
	}
}

func normalizeRowGroup(g *html.Node) {
	for _, row := range detachChildren(g) {
		if !isElement(row, "tr") {
			continue
		}
		for _, cell := range detachChildren(row) {
			if isElement(cell, "td") || isElement(cell, "th") {
				normalizeFlow(cell, mixed)
				row.AppendChild(cell)
			}
		}
		if row.FirstChild != nil {
			g.AppendChild(row)
		}
	}
}

// inlineOnly flattens the blocks inside el (a caption, which cannot lift
// them out of the table) into inline content separated by line breaks.
func inlineOnly(el *html.Node) {
	breakNext := false
	for _, k := range detachChildren(el) {
		if isBlock(k) {
			inlineOnly(k)
			if el.FirstChild != nil {
				el.AppendChild(newElement("br"))
			}
			moveChildren(el, k)
			breakNext = true
			continue
		}
		if k.Type == html.ElementNode && hasBlockDescendant(k) {
			inlineOnly(k)
		}
		if breakNext {
			el.AppendChild(newElement("br"))
			breakNext = false
		}
		el.AppendChild(k)
	}
}

// normalizePhrasing tidies the inline content of el.
func normalizePhrasing(el *html.Node) {
	dropRedundant(el, 0)
	// Spacing is decided on whole text nodes, so that "&nbsp;" and
	// "&nbsp;" from two removed wrappers count as the run they are.
	joinTexts(el)
	spaceLeaves(collectLeaves(nil, el))
	pruneEmpty(el)
	mergeAdjacent(el)
	nfcText(el)
}

// dropRedundant unwraps formatting elements nested in an element of the same
// kind (Word's <b><span style='font-weight:bold'>, a link inside a link).
func dropRedundant(n *html.Node, open uint) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == html.ElementNode {
			bit := inlineBit(c.Data)
			dropRedundant(c, open|bit)
			// An underline inside a link is the link's own look (Google
			// Docs writes one on every link).
			if open&bit != 0 || (c.Data == "u" && open&inlineBit("a") != 0) {
				unwrap(c)
			}
		}
		c = next
	}
}

// collectLeaves appends the text nodes, line breaks and images below n, in
// document order.
func collectLeaves(leaves []*html.Node, n *html.Node) []*html.Node {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c.Type == html.TextNode, isElement(c, "br"), isElement(c, "img"):
			leaves = append(leaves, c)
		case c.Type == html.ElementNode:
			leaves = collectLeaves(leaves, c)
		}
	}
	return leaves
}

// spaceLeaves makes the spacing of a run of inline content regular: runs of
// spaces become one space (a lone no-break space between two words is kept:
// it was typed on purpose, as in "số&nbsp;15"), there are no spaces at the
// start or end or around line breaks, and no line breaks at the start or end.
func spaceLeaves(leaves []*html.Node) {
	afterSpace := true // the start of the run counts as a space
	for _, lf := range leaves {
		switch {
		case lf.Type == html.TextNode:
			s := collapseSpaces(lf.Data)
			if afterSpace {
				s = strings.TrimLeftFunc(s, isSpace)
			}
			lf.Data = s
			if s != "" {
				r, _ := utf8.DecodeLastRuneInString(s)
				afterSpace = isSpace(r)
			}
		case isElement(lf, "br"):
			afterSpace = true
		default:
			afterSpace = false
		}
	}
	atEnd := true
	for i := len(leaves) - 1; i >= 0; i-- {
		lf := leaves[i]
		switch {
		case lf.Type == html.TextNode:
			if atEnd {
				lf.Data = strings.TrimRightFunc(lf.Data, isSpace)
			}
			if lf.Data != "" {
				atEnd = false
			}
		case isElement(lf, "br"):
			atEnd = true
		default:
			atEnd = false
		}
	}
	first, last := -1, -1
	for i, lf := range leaves {
		if (lf.Type == html.TextNode && lf.Data != "") || isElement(lf, "img") {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	for i, lf := range leaves {
		if (lf.Type == html.TextNode && lf.Data == "") || (isElement(lf, "br") && (first < 0 || i < first || i > last)) {
			lf.Parent.RemoveChild(lf)
		}
	}
}

// collapseSpaces replaces each run of spacing characters with one space, or
// keeps it when it is a single no-break space.
func collapseSpaces(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isSpace(r) {
			b.WriteString(s[i : i+size])
			i += size
			continue
		}
		j, count := i, 0
		for j < len(s) {
			r2, size2 := utf8.DecodeRuneInString(s[j:])
			if !isSpace(r2) {
				break
			}
			j += size2
			count++
		}
		if count == 1 && r == '\u00a0' {
			b.WriteString("\u00a0")
		} else {
			b.WriteByte(' ')
		}
		i = j
	}
	return b.String()
}

// pruneEmpty removes formatting elements left with no content.
func pruneEmpty(n *html.Node) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if isInline(c) {
			pruneEmpty(c)
			if c.FirstChild == nil {
				n.RemoveChild(c)
			}
		}
		c = next
	}
}

// mergeAdjacent joins adjacent text nodes, and adjacent formatting elements
// that are the same (Word splits a bold phrase into one <b> per run).
func mergeAdjacent(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode {
			joinText(c)
			continue
		}
		if isInline(c) {
			for next := c.NextSibling; next != nil && isInline(next) && next.Data == c.Data && slices.Equal(c.Attr, next.Attr); next = c.NextSibling {
				moveChildren(c, next)
				n.RemoveChild(next)
			}
		}
		mergeAdjacent(c)
	}
}

func nfcText(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode {
			c.Data = norm.NFC.String(c.Data)
		} else {
			nfcText(c)
		}
	}
}

// hasContent reports whether n shows anything: text other than spacing, or
// an image.
func hasContent(n *html.Node) bool {
	switch {
	case n.Type == html.TextNode:
		return strings.TrimFunc(n.Data, isSpace) != ""
	case isElement(n, "img"):
		return true
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if hasContent(c) {
			return true
		}
	}
	return false
}
