package document

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
	"github.com/trangtin/trangtin/platform/web"
	"github.com/trangtin/trangtin/tenants/media"
	"github.com/trangtin/trangtin/tenants/post"
)

// PageSize is the number of documents on one page of /van-ban.
const PageSize = 20

// Frame is what the site layout needs of a public page (header, menu,
// footer). Public pages of this package get it from one function, Site.
type Frame struct {
	Tenant *tenancy.Tenant
	Nav    tenancy.Nav
}

// SiteFrame builds the layout data of a public page of tenant t: the
// site's header and menu (tenants/site's layout, sections marked
// required). The one place this package depends on the site's layout.
func SiteFrame(ctx context.Context, idb bun.IDB, t *tenancy.Tenant) (Frame, error) {
	ss, err := tenancy.Sections(ctx, idb, t.ID)
	if err != nil {
		return Frame{}, err
	}
	f := Frame{Tenant: t}
	for _, s := range ss {
		if s.Required {
			f.Nav = append(f.Nav, s)
		}
	}
	return f, nil
}

// Public serves /van-ban and /van-ban/{slug} on a tenant's site.
type Public struct {
	DB       bun.IDB
	Renderer *web.Renderer
	// Frame gives the layout data of a page (SiteFrame when nil).
	Frame func(c *fiber.Ctx, t *tenancy.Tenant) (Frame, error)
}

// Routes registers the public routes (site.Handler.Extra).
func (h *Public) Routes(r fiber.Router) {
	r.Get("/van-ban", h.list)
	r.Get("/van-ban/:slug", h.item)
}

func (h *Public) frame(c *fiber.Ctx, t *tenancy.Tenant) (Frame, error) {
	if h.Frame != nil {
		return h.Frame(c, t)
	}
	return SiteFrame(c.UserContext(), h.DB, t)
}

// Option is one choice of a filter.
type Option struct {
	Value, Label string
	Selected     bool
}

// ListPage is /van-ban.
type ListPage struct {
	Frame
	Rows                          []Row
	Total, Page, Pages            int
	Prev, Next                    string
	Query                         string
	Kinds, Issuers, Fields, Years []Option
	Filtered                      bool
}

func (h *Public) list(c *fiber.Ctx) error {
	ctx, t := c.UserContext(), web.Tenant(c)
	fr, err := h.frame(c, t)
	if err != nil {
		return err
	}
	f := Filter{Query: truncate(c.Query("q"), 200), Kind: Kind(c.Query("loai")), Issuer: truncate(c.Query("co-quan"), 200),
		Field: truncate(c.Query("linh-vuc"), 60), Limit: PageSize}
	f.Year, _ = strconv.Atoi(c.Query("nam"))
	page, _ := strconv.Atoi(c.Query("trang", "1"))
	page = min(max(page, 1), 10000)
	f.Offset = (page - 1) * PageSize
	rows, total, err := List(ctx, h.DB, t.ID, f)
	if err != nil {
		return err
	}
	p := &ListPage{Frame: fr, Rows: rows, Total: total, Page: page, Pages: max((total+PageSize-1)/PageSize, 1), Query: f.Query,
		Filtered: f.Query != "" || f.Kind != "" || f.Issuer != "" || f.Field != "" || f.Year > 0}
	if err := h.options(ctx, t, f, p); err != nil {
		return err
	}
	link := func(n int) string {
		v := url.Values{}
		for k, x := range map[string]string{"q": f.Query, "loai": string(f.Kind), "co-quan": f.Issuer, "linh-vuc": f.Field} {
			if x != "" {
				v.Set(k, x)
			}
		}
		if f.Year > 0 {
			v.Set("nam", strconv.Itoa(f.Year))
		}
		v.Set("trang", strconv.Itoa(n))
		return "/van-ban?" + v.Encode()
	}
	if page > 1 {
		p.Prev = link(page - 1)
	}
	if page < p.Pages {
		p.Next = link(page + 1)
	}
	return h.Renderer.Render(c, fiber.StatusOK, "site/documents", p)
}

// options fills the filters' choices, marking the selected ones.
func (h *Public) options(ctx context.Context, t *tenancy.Tenant, f Filter, p *ListPage) error {
	for _, k := range Kinds {
		p.Kinds = append(p.Kinds, Option{string(k.Code), k.Name, k.Code == f.Kind})
	}
	issuers, err := Issuers(ctx, h.DB, t.ID)
	if err != nil {
		return err
	}
	for _, i := range issuers {
		p.Issuers = append(p.Issuers, Option{i, i, i == f.Issuer})
	}
	fields, err := tenancy.Fields(ctx, h.DB)
	if err != nil {
		return err
	}
	for _, x := range fields {
		p.Fields = append(p.Fields, Option{x.Code, x.Name, x.Code == f.Field})
	}
	for y := time.Now().Year(); y >= 2000; y-- {
		p.Years = append(p.Years, Option{strconv.Itoa(y), strconv.Itoa(y), y == f.Year})
	}
	return nil
}

func truncate(s string, n int) string {
	s = strings.TrimSpace(s)
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}

// File is one attachment as the page links it.
type File struct {
	URL, Name, Type string
	Size            string
}

// ItemPage is /van-ban/{slug}.
type ItemPage struct {
	Frame
	Post      *post.Post
	Meta      *Meta
	KindLabel string
	Expired   bool
	Body      template.HTML
	Files     []File
	Fields    []tenancy.Field
}

func (h *Public) item(c *fiber.Ctx) error {
	ctx, t := c.UserContext(), web.Tenant(c)
	it, err := post.BySlug(ctx, h.DB, t.ID, c.Params("slug"))
	switch {
	case err != nil:
		return err
	case it.Status == post.StatusUnpublished:
		return errs.Gone("post_gone", "Văn bản đã ngừng đăng")
	case !it.Status.Public() || it.Type != post.TypeDocument:
		return errs.NotFound("document_not_found", "Không tìm thấy văn bản")
	}
	m, err := Get(ctx, h.DB, t.ID, it.ID)
	if err != nil {
		return err
	}
	if m == nil {
		m = &Meta{Kind: "khac"}
	}
	fr, err := h.frame(c, t)
	if err != nil {
		return err
	}
	p := &ItemPage{Frame: fr, Post: it, Meta: m, KindLabel: m.Kind.Label(), Expired: m.ExpiredAt(time.Now()),
		Body: template.HTML(it.Body)} // #nosec: body is sanitised on save
	if p.Files, err = files(ctx, h.DB, t.ID, it.ID); err != nil {
		return err
	}
	all, err := tenancy.Fields(ctx, h.DB)
	if err != nil {
		return err
	}
	for _, f := range all {
		for _, code := range it.Fields {
			if f.Code == code {
				p.Fields = append(p.Fields, f)
			}
		}
	}
	return h.Renderer.Render(c, fiber.StatusOK, "site/document", p)
}

// files lists a document's attachments with their public addresses.
func files(ctx context.Context, idb bun.IDB, tenantID, postID string) ([]File, error) {
	ids, err := AttachmentIDs(ctx, idb, tenantID, postID)
	if err != nil {
		return nil, err
	}
	var out []File
	for _, id := range ids {
		m, err := media.Get(ctx, idb, tenantID, id)
		if errs.Is(err, errs.KindNotFound) {
			continue // removed from the library since
		}
		if err != nil {
			return nil, err
		}
		out = append(out, File{URL: m.Path(), Name: m.DownloadName(), Type: strings.ToUpper(m.Ext()), Size: size(m.Size)})
	}
	return out, nil
}

func size(n int64) string {
	switch {
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
	case n >= 1<<10:
		return strconv.FormatInt(n>>10, 10) + " KB"
	}
	return strconv.FormatInt(n, 10) + " B"
}
