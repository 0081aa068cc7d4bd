// Package site renders the public website of the tenant a request's host
// names: home, section pages, item pages, search, robots.txt, sitemap and
// feed. Every query is scoped by that tenant's id, and only public items
// (published, or withdrawn with their notice) are ever read: drafts never
// leak through listings, counts or slugs.
package site

import (
	"context"
	"html/template"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/platform/vntext"
	"github.com/trangtin/trangtin/platform/web"
	"github.com/trangtin/trangtin/tenants/board"
	"github.com/trangtin/trangtin/tenants/media"
	"github.com/trangtin/trangtin/tenants/post"
)

// PageSize is the number of items on a section or search page.
const PageSize = 20

// Handler serves the public pages.
type Handler struct {
	DB       bun.IDB
	Renderer *web.Renderer
	// Registry gives the tenant tree: the child units a site links to and
	// the Department a unit's site links up to. Without it those links are
	// left out.
	Registry *tenancy.Registry
	// Extra lets later features add routes (board page, media) without
	// this package importing them.
	Extra []func(r fiber.Router)
	// ExpiredOn tells whether a document whose expiry day is expiresOn
	// no longer has effect today (document.Meta.ExpiredAt), so every
	// listing marks it "Hết hiệu lực"; nil leaves documents unmarked.
	ExpiredOn func(expiresOn time.Time) bool
	// Generation is a tenant's current content generation
	// (pagecache.Generations.Of): the sections every page shows, and the
	// home's block order, are read once per generation (frameMemo). Nil
	// reads them on every page.
	Generation func(ctx context.Context, tenantID string) (int64, error)
	memo       frameMemo
	covers     coverHints
}

// Routes registers the public routes on app.
func (h *Handler) Routes(app fiber.Router) {
	app.Get("/", h.home)
	app.Get("/favicon.ico", h.favicon)
	h.agencyRoutes(app)
	app.Get("/chuyen-muc/:slug", h.section)
	app.Get("/bai-viet/:slug", h.item)
	app.Get("/search", h.search)
	app.Get("/ban-bien-tap", h.board)
	app.Get("/robots.txt", h.robots)
	app.Get("/sitemap.xml", h.sitemap)
	app.Get("/feed.xml", h.feed)
	for _, fn := range h.Extra {
		fn(app)
	}
}

// Teaser is an item as listed on home, section and search pages.
type Teaser struct {
	Title, Summary, Section, Type string
	// URL is the item's address, built by the platform from its slug
	// (Slugify's letters, digits and hyphens), so html/template need not
	// filter it as it would an address from user input.
	URL         template.URL
	PublishedAt time.Time
	// Date (dd/mm/yyyy) and ISODate (RFC 3339) are PublishedAt as a card
	// shows it, formatted here once rather than by a template function
	// call per card (a home page has about a hundred cards).
	Date, ISODate string
	Withdrawn     bool
	// Image is the item's cover (its featured picture, else the first
	// picture of its body), nil when it has none; ImageAttrs are its img
	// attributes but alt (media.Image.Attrs).
	Image      *media.Image
	ImageAttrs template.HTMLAttr
	// From names the unit an accepted copy came from (Department home).
	From string
	// TitleHTML and SummaryHTML mark the searched words (search page).
	TitleHTML, SummaryHTML template.HTML
	// Expired marks a document past its expiry day ("Hết hiệu lực").
	Expired bool
	// id is the item's, which orders items published at the same time.
	id        string
	cover     string
	expiresOn *time.Time
}

// dated sets the card's publication time and its two printed forms.
func (t *Teaser) dated(at time.Time) {
	t.PublishedAt = at
	t.Date, t.ISODate = vntext.Date(at), vntext.ISODate(at)
}

// Block is a section with its latest items on the home page.
type Block struct {
	Section tenancy.Section
	Items   Teasers
}

// Lead is the block's newest item, shown as a card with its picture.
func (b Block) Lead() Teasers {
	return b.Items[:min(1, len(b.Items))]
}

// More are the block's other items, shown as headlines.
func (b Block) More() Teasers {
	return b.Items[min(1, len(b.Items)):]
}

// Page is the data every public page has.
type Page struct {
	Tenant   *tenancy.Tenant
	Nav      tenancy.Nav
	Sections Sections
	Section  *tenancy.Section
	// Lead is the home page's first item, shown large with its picture.
	Lead   *Teaser
	Latest Teasers
	Blocks Blocks
	// FromUnits are the latest items the Department accepted from its
	// units (crosspost copies), on the Department's home page.
	FromUnits Teasers
	Items     Teasers
	Query     string
	Pager     Pager
	Item      *ItemView
	// Search is the search page's state (count, filters).
	Search *SearchView
	// Agency is the about/organisation/contact/English pages' data.
	Agency *AgencyView
	// Units are the tenant's child units with a site (at most UnitLinks
	// but on the organisation page), UnitsTotal how many there are;
	// Parent is the Department a unit's site links up to.
	Units      SiteLinks
	UnitsTotal int
	Parent     *SiteLink
	// blockOrder is the order of the home's blocks the tenant chose
	// (section slugs; shared, do not modify).
	blockOrder []string
}

// SiteLink is a link to another tenant's site.
type SiteLink struct {
	Name, URL string
}

// Pager links numbered pages.
type Pager struct {
	Page, Pages int
	Prev, Next  string
}

// ItemView is a public item page.
type ItemView struct {
	Post        *post.Post
	Body        template.HTML
	Section     *tenancy.Section
	Fields      []tenancy.Field
	URL         string
	Print       bool
	TypeLabel   string
	PublishedAt time.Time
	// Source is the item's provenance for the attribution block: the
	// tenant a copy came from, the press source of a republished item.
	Source *post.Attribution
	// Featured is the featured image as a <figure> with srcset.
	Featured template.HTML
	// PrintedAt is when the print view was made (its footer says so).
	PrintedAt time.Time
}

// URL is the public address of an item (a document's is under /van-ban).
func URL(p *post.Post) string { return itemURL(p.Type, p.Slug) }

// itemURL is the public address of an item of type typ with slug.
func itemURL(typ post.Type, slug string) string {
	if typ == post.TypeDocument {
		return "/van-ban/" + slug
	}
	return "/bai-viet/" + slug
}

// Frame is the data the public layout needs around any page of tenant t:
// the tenant (its profile fills the footer), the navigation, the sections,
// the Department a unit's site links up to and the units a Department's
// site links down to. Public pages of other packages (documents,
// questions) may build their data on it: the layout reads .Data.Tenant
// and .Data.Nav. It costs two queries on the first page of each content
// generation of the tenant, none after (frameMemo).
func (h *Handler) Frame(c *fiber.Ctx, t *tenancy.Tenant) (*Page, error) {
	ss, order, err := h.memo.frame(c.UserContext(), h.DB, t.ID, h.Generation)
	if err != nil {
		return nil, err
	}
	p := &Page{Tenant: t, Sections: ss, blockOrder: order}
	// The menu: the sections every site must have, then the tenant's own
	// (a field's section is reached from the home's blocks and search).
	for _, s := range ss {
		if s.Required || Own(s) {
			p.Nav = append(p.Nav, s)
		}
	}
	h.family(c, p)
	return p, nil
}

// sectionBySlug is the page's section with slug, nil when none (the
// sections are already loaded for the navigation: no second query).
func (p *Page) sectionBySlug(slug string) *tenancy.Section {
	for i := range p.Sections {
		if p.Sections[i].Slug == slug {
			return &p.Sections[i]
		}
	}
	return nil
}

func (h *Handler) page(c *fiber.Ctx, t *tenancy.Tenant) (*Page, error) { return h.Frame(c, t) }

// UnitLinks is how many child units' sites a page links to by name; the
// organisation page links to all of them. A Department has 15–25 units,
// but one page must not grow with thousands.
const UnitLinks = 40

// family fills the links up to the parent and down to the child units
// that have a serving site, from the registry (no query).
func (h *Handler) family(c *fiber.Ctx, p *Page) {
	if h.Registry == nil {
		return
	}
	t := p.Tenant
	if t.ParentID != nil {
		if par, ok := h.Registry.ByID(*t.ParentID); ok && par.Serving() {
			p.Parent = &SiteLink{Name: par.Name, URL: h.siteURL(c, par)}
		}
	}
	h.units(c, p, UnitLinks)
}

// units fills p.Units with up to limit links (0: all) and counts them all.
func (h *Handler) units(c *fiber.Ctx, p *Page, limit int) {
	p.Units, p.UnitsTotal = nil, 0
	if h.Registry == nil {
		return
	}
	units := h.Registry.ServingChildren(p.Tenant.ID)
	p.UnitsTotal = len(units)
	if limit > 0 && len(units) > limit {
		units = units[:limit]
	}
	if len(units) > 0 {
		p.Units = make([]SiteLink, 0, len(units))
	}
	for _, x := range units {
		p.Units = append(p.Units, SiteLink{Name: x.Name, URL: h.siteURL(c, x)})
	}
}

// siteURL is the address of another tenant's site home, on the scheme and
// port of the current request.
func (h *Handler) siteURL(c *fiber.Ctx, t *tenancy.Tenant) string {
	scheme := "http://"
	if web.Secure(c) {
		scheme = "https://"
	}
	port := ""
	hp := web.HostPort(c)
	if i := strings.LastIndexByte(hp, ':'); i >= 0 && !strings.HasSuffix(hp, "]") {
		if p := hp[i+1:]; p != "80" && p != "443" {
			port = ":" + p
		}
	}
	return scheme + h.Registry.PrimaryHost(t) + port + "/"
}

// markExpired marks the documents among lists that are past their expiry
// day, read with the items (expiryColumn).
func (h *Handler) markExpired(lists ...[]Teaser) {
	if h.ExpiredOn == nil {
		return
	}
	for _, l := range lists {
		for i := range l {
			l[i].Expired = l[i].expiresOn != nil && h.ExpiredOn(*l[i].expiresOn)
		}
	}
}

func teasers(ps []*post.Post, sections []tenancy.Section) []Teaser {
	return teasersNamed(ps, sectionNames(sections))
}

// sectionNames maps section ids to names, for a page that makes several
// lists of teasers (the home's blocks) to build once.
func sectionNames(sections []tenancy.Section) map[string]string {
	names := make(map[string]string, len(sections))
	for _, s := range sections {
		names[s.ID] = s.Name
	}
	return names
}

// teasersNamed is teasers with the section names already mapped.
func teasersNamed(ps []*post.Post, names map[string]string) []Teaser {
	out := make([]Teaser, 0, len(ps))
	for _, p := range ps {
		t := Teaser{Title: p.Title, Summary: p.Summary, URL: template.URL(URL(p)), Type: p.Type.Label(), Withdrawn: p.Status == post.StatusWithdrawn, id: p.ID, cover: coverOf(p),
			expiresOn: p.DocumentExpiresOn}
		if p.PublishedAt != nil {
			t.dated(*p.PublishedAt)
		}
		if p.SectionID != nil {
			t.Section = names[*p.SectionID]
		}
		out = append(out, t)
	}
	return out
}

func pageNumber(c *fiber.Ctx) int {
	n, err := strconv.Atoi(c.Query("trang", "1"))
	if err != nil || n < 1 || n > 10000 {
		return 1
	}
	return n
}

func pager(base string, page, total int) Pager {
	pages := (total + PageSize - 1) / PageSize
	if pages < 1 {
		pages = 1
	}
	pg := Pager{Page: page, Pages: pages}
	if page > 1 {
		pg.Prev = base + strconv.Itoa(page-1)
	}
	if page < pages {
		pg.Next = base + strconv.Itoa(page+1)
	}
	return pg
}

func (h *Handler) section(c *fiber.Ctx) error {
	ctx, t := c.UserContext(), web.Tenant(c)
	p, err := h.page(c, t)
	if err != nil {
		return err
	}
	s := p.sectionBySlug(c.Params("slug"))
	if s == nil {
		// A removed section's readers are sent on to the section that
		// took its items (RemoveSection).
		to, err := movedSection(ctx, h.DB, t.ID, c.Params("slug"))
		if err != nil {
			return err
		}
		if to != "" {
			return c.Redirect("/chuyen-muc/"+url.PathEscape(to), fiber.StatusMovedPermanently)
		}
		return errs.NotFound("section_not_found", "Không tìm thấy chuyên mục")
	}
	p.Section = s
	n := pageNumber(c)
	// A field's section lists every item of that field, whatever section
	// the item was filed in; other sections list their own items.
	f := listing{SectionID: s.ID, Limit: PageSize, Offset: (n - 1) * PageSize}
	if s.FieldCode != nil {
		f.SectionID, f.Field = "", *s.FieldCode
	}
	total, err := countPublished(ctx, h.DB, t.ID, f)
	if err != nil {
		return err
	}
	ps, err := published(ctx, h.DB, t.ID, f)
	if err != nil {
		return err
	}
	p.Items = teasers(ps, p.Sections)
	p.Pager = pager("/chuyen-muc/"+s.Slug+"?trang=", n, total)
	h.markExpired(p.Items)
	return h.Renderer.Render(c, fiber.StatusOK, "site/section", p)
}

func (h *Handler) item(c *fiber.Ctx) error {
	ctx, t := c.UserContext(), web.Tenant(c)
	row, err := loadItem(ctx, h.DB, t.ID, c.Params("slug"))
	if err != nil {
		return err
	}
	it := &row.Post
	switch {
	case it.Status == post.StatusUnpublished:
		return errs.Gone("post_gone", "Bài viết đã ngừng đăng")
	case !it.Status.Public():
		return errs.NotFound("post_not_found", "Không tìm thấy bài viết")
	case it.Type == post.TypeDocument:
		return c.Redirect(URL(it), fiber.StatusMovedPermanently)
	}
	p, err := h.page(c, t)
	if err != nil {
		return err
	}
	v := &ItemView{Post: it, Body: template.HTML(it.Body), URL: baseURL(c) + URL(it), Print: c.Query("in") == "1", TypeLabel: it.Type.Label(), PrintedAt: time.Now(), Fields: row.Fields()} // #nosec: body is sanitised on save
	if it.PublishedAt != nil {
		v.PublishedAt = *it.PublishedAt
	}
	if im := row.Featured.Image(t.ID); im != nil {
		if fig, err := im.HTML(); err == nil {
			v.Featured = fig
		}
	}
	// A republished item whose locked text fails its fingerprint is not
	// shown: the error is logged and the reader gets the error page.
	if h.Registry != nil {
		v.Source, err = post.PublicAttributionKnown(it, h.Registry.ByID, row.OriginStatus)
	} else {
		v.Source, err = post.PublicAttribution(ctx, h.DB, it)
	}
	if err != nil {
		return err
	}
	for i := range p.Sections {
		if it.SectionID != nil && p.Sections[i].ID == *it.SectionID {
			v.Section = &p.Sections[i]
		}
	}
	p.Item = v
	return h.Renderer.Render(c, fiber.StatusOK, "site/item", p)
}

func (h *Handler) board(c *fiber.Ctx) error {
	ctx, t := c.UserContext(), web.Tenant(c)
	p, err := h.page(c, t)
	if err != nil {
		return err
	}
	b, err := board.PublicView(ctx, h.DB, t.ID)
	if err != nil {
		return err
	}
	return h.Renderer.Render(c, fiber.StatusOK, "site/board", board.PageData{Tenant: t, Nav: p.Nav, Board: b})
}

// ItemPaths lists every public path of an item with slug on its site, so
// an item that takes a new slug (in a merge) keeps each of its addresses:
// the item page, the link of a copy to its original, and the page of a
// document (the contract's /van-ban/{slug}). A public page named by an
// item's slug belongs in this list.
func ItemPaths(slug string) []string {
	return []string{"/bai-viet/" + slug, "/nguon/" + slug, "/van-ban/" + slug}
}
