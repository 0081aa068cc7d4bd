package site

import (
	"html"
	"html/template"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/gofiber/fiber/v2"

	"github.com/trangtin/trangtin/platform/vntext"
	"github.com/trangtin/trangtin/platform/web"
	"github.com/trangtin/trangtin/tenants/post"
)

// SearchView is the state of the search page: the count of results, the
// filters chosen and the ones offered.
type SearchView struct {
	Total   int
	Section string // slug of the section filter
	Year    int
	Years   []int
	Type    post.Type
	Types   []post.Type
}

// search answers /search?q=&chuyen-muc=&loai=&nam=&trang=: published items whose
// title or summary holds the words (with or without diacritics), their
// count, paging, and the words marked in each result.
func (h *Handler) search(c *fiber.Ctx) error {
	ctx, t := c.UserContext(), web.Tenant(c)
	p, err := h.page(c, t)
	if err != nil {
		return err
	}
	p.Query = strings.TrimSpace(c.Query("q"))
	if len([]rune(p.Query)) > 200 {
		p.Query = string([]rune(p.Query)[:200])
	}
	sv := &SearchView{Section: c.Query("chuyen-muc"), Types: post.Types}
	if ty := post.Type(c.Query("loai")); ty.Valid() {
		sv.Type = ty
	}
	now := time.Now().In(vntext.Location())
	for y := now.Year(); y >= now.Year()-9; y-- {
		sv.Years = append(sv.Years, y)
	}
	p.Search = sv
	if p.Query == "" {
		return h.Renderer.Render(c, fiber.StatusOK, "site/search", p)
	}
	n := pageNumber(c)
	f := listing{Query: p.Query, Type: sv.Type, Limit: PageSize, Offset: (n - 1) * PageSize}
	if sv.Section != "" {
		found := false
		for _, s := range p.Sections {
			if s.Slug == sv.Section {
				found = true
				if s.FieldCode != nil {
					f.Field = *s.FieldCode
				} else {
					f.SectionID = s.ID
				}
			}
		}
		if !found {
			sv.Section = ""
		}
	}
	if y, err := strconv.Atoi(c.Query("nam")); err == nil && y >= 1990 && y <= now.Year()+1 {
		sv.Year = y
		f.From = time.Date(y, 1, 1, 0, 0, 0, 0, vntext.Location())
		f.To = f.From.AddDate(1, 0, 0)
	}
	if sv.Total, err = countPublished(ctx, h.DB, t.ID, f); err != nil {
		return err
	}
	ps, err := published(ctx, h.DB, t.ID, f)
	if err != nil {
		return err
	}
	p.Items = teasers(ps, p.Sections)
	for i := range p.Items {
		p.Items[i].TitleHTML = Highlight(p.Items[i].Title, p.Query)
		p.Items[i].SummaryHTML = Highlight(p.Items[i].Summary, p.Query)
	}
	q := url.Values{"q": {p.Query}}
	if sv.Section != "" {
		q.Set("chuyen-muc", sv.Section)
	}
	if sv.Type != "" {
		q.Set("loai", string(sv.Type))
	}
	if sv.Year != 0 {
		q.Set("nam", strconv.Itoa(sv.Year))
	}
	h.markExpired(p.Items)
	p.Pager = pager("/search?"+strings.ReplaceAll(q.Encode(), "+", "%20")+"&trang=", n, sv.Total)
	return h.Renderer.Render(c, fiber.StatusOK, "site/search", p)
}

// Highlight escapes text and wraps in <mark> every place where the query
// (or, when it has several, each of its words of two letters or more)
// occurs, ignoring case and diacritics as search does.
func Highlight(text, query string) template.HTML {
	rs := []rune(text)
	folded := make([]string, len(rs))
	for i, r := range rs {
		folded[i] = vntext.FoldRune(r)
	}
	// Each rune folds to one rune or none (a lone combining mark): the
	// folded text keeps an index back to the original runes.
	var ft []rune
	var back []int
	for i, f := range folded {
		for _, r := range f {
			ft = append(ft, r)
			back = append(back, i)
		}
	}
	marked := make([]bool, len(rs))
	// Each term keeps its typed form: a word typed with its diacritics
	// ("giáo") marks only that word, not every word that folds alike
	// ("giao dịch"); one typed without them marks them all.
	type term struct{ folded, typed string }
	lower := strings.ToLower(vntext.NFC(strings.TrimSpace(query)))
	terms := []term{{vntext.Fold(lower), lower}}
	if ws := strings.Fields(lower); len(ws) > 1 {
		terms = terms[:0]
		for _, w := range ws {
			if len([]rune(w)) >= 2 {
				terms = append(terms, term{vntext.Fold(w), w})
			}
		}
	}
	for _, tm := range terms {
		tr := []rune(tm.folded)
		if len(tr) == 0 {
			continue
		}
		exact := tm.typed != tm.folded
		for i := 0; i+len(tr) <= len(ft); i++ {
			if string(ft[i:i+len(tr)]) != tm.folded {
				continue
			}
			from, to := back[i], back[i+len(tr)-1]
			if exact && strings.ToLower(string(rs[from:to+1])) != tm.typed {
				continue
			}
			for j := from; j <= to; j++ {
				marked[j] = true
			}
		}
	}
	// Words marked side by side read as one mark: the spaces between
	// them are marked too.
	for i := 0; i < len(rs); i++ {
		if marked[i] || i == 0 || !marked[i-1] || !unicode.IsSpace(rs[i]) {
			continue
		}
		j := i
		for j < len(rs) && unicode.IsSpace(rs[j]) {
			j++
		}
		if j < len(rs) && marked[j] {
			for k := i; k < j; k++ {
				marked[k] = true
			}
		}
		i = j - 1
	}
	var b strings.Builder
	open := false
	for i, r := range rs {
		if marked[i] != open {
			if marked[i] {
				b.WriteString("<mark>")
			} else {
				b.WriteString("</mark>")
			}
			open = marked[i]
		}
		b.WriteString(html.EscapeString(string(r)))
	}
	if open {
		b.WriteString("</mark>")
	}
	return template.HTML(b.String()) // #nosec G203 -- every rune is escaped above
}
