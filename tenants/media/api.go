package media

import (
	"bytes"
	"encoding/json"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/platform/vntext"
	"github.com/trangtin/trangtin/platform/web"
)

// API serves the media routes under /api/v1/tenants/:slug/media.
type API struct {
	Service    *Service
	Authz      *authz.Enforcer
	Registry   *tenancy.Registry
	BaseDomain string
}

// Routes registers the API routes; each declares its permission.
//
//	POST   /tenants/:slug/media       media:upload   multipart file, alt, caption, credit → 201
//	GET    /tenants/:slug/media       tenant:view    ?q=&kind=&from=&to=&cursor=
//	GET    /tenants/:slug/media/:id   tenant:view    one media with renditions and usage
//	PATCH  /tenants/:slug/media/:id   media:manage   {"alt", "caption", "credit"}
//	DELETE /tenants/:slug/media/:id   media:manage   204; 409 media_in_use
func (a *API) Routes(r fiber.Router) {
	g := r.Group("/tenants/:slug/media")
	g.Post("/", a.Authz.Require(authz.MediaUpload, a.bySlug), a.upload)
	g.Get("/", a.Authz.Require(authz.TenantView, a.bySlug), a.list)
	g.Get("/:id", a.Authz.Require(authz.TenantView, a.bySlug), a.get)
	g.Patch("/:id", a.Authz.Require(authz.MediaManage, a.bySlug), a.update)
	g.Delete("/:id", a.Authz.Require(authz.MediaManage, a.bySlug), a.remove)
}

func (a *API) bySlug(c *fiber.Ctx) (*tenancy.Tenant, error) { return web.SlugTenant(a.Registry, c) }

// tenant is the :slug tenant the route's guard checked.
func (a *API) tenant(c *fiber.Ctx) *tenancy.Tenant { return authz.Tenant(c) }

// View is the contract's media shape.
type View struct {
	ID          string          `json:"id"`
	URL         string          `json:"url"`
	Path        string          `json:"path"`
	Kind        Kind            `json:"kind"`
	Name        string          `json:"name"`
	ContentType string          `json:"content_type"`
	Size        int64           `json:"size"`
	Width       *int            `json:"width"`
	Height      *int            `json:"height"`
	Alt         string          `json:"alt"`
	Caption     string          `json:"caption"`
	Credit      string          `json:"credit"`
	Renditions  []RenditionView `json:"renditions"`
	Usage       *int            `json:"usage,omitempty"`
	CreatedAt   time.Time       `json:"created_at"`
}

// RenditionView is one rendition in the API.
type RenditionView struct {
	Width  int    `json:"width"`
	Height int    `json:"height"`
	URL    string `json:"url"`
}

// SiteBase is the scheme, host and port of a tenant's public site as seen
// from request c ("" when the tenant has no site): media are served there.
func SiteBase(c *fiber.Ctx, t *tenancy.Tenant, baseDomain string) string {
	return web.SiteURL(c, t, baseDomain)
}

// NewView shapes m for the API with URLs under base (see SiteBase).
func NewView(m *Media, base string) View {
	v := View{ID: m.ID, Path: m.Path(), Kind: m.Kind, Name: m.Name, ContentType: m.ContentType, Size: m.Size,
		Alt: m.Alt, Caption: m.Caption, Credit: m.Credit, Renditions: []RenditionView{}, CreatedAt: m.CreatedAt}
	if base != "" {
		v.URL = base + m.Path()
	}
	if m.Kind != KindDocument {
		w, h := m.Width, m.Height
		v.Width, v.Height = &w, &h
	}
	for _, r := range m.Renditions {
		rv := RenditionView{Width: r.Width, Height: r.Height}
		if base != "" {
			rv.URL = base + m.RenditionPath(r)
		}
		v.Renditions = append(v.Renditions, rv)
	}
	return v
}

func (a *API) upload(c *fiber.Ctx) error {
	t := a.tenant(c)
	m, err := a.Service.addFromRequest(c, t.ID, web.Account(c).AccountID)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(NewView(m, SiteBase(c, t, a.BaseDomain)))
}

func (a *API) list(c *fiber.Ctx) error {
	t := a.tenant(c)
	f := Filter{Query: c.Query("q"), Kind: Kind(c.Query("kind")), Limit: 50}
	if f.Kind != "" && f.Kind != KindImage && f.Kind != KindDocument && f.Kind != KindVideo {
		return errs.Invalid("kind", "media_kind_invalid", "Loại tệp phải là image, document hoặc video")
	}
	var err error
	if f.From, f.To, err = dateRange(c.Query("from"), c.Query("to")); err != nil {
		return err
	}
	f.Offset, _ = strconv.Atoi(c.Query("cursor"))
	ms, err := List(c.UserContext(), a.Service.db, t.ID, f)
	if err != nil {
		return err
	}
	base := SiteBase(c, t, a.BaseDomain)
	items := make([]View, 0, len(ms))
	for _, m := range ms {
		items = append(items, NewView(m, base))
	}
	next := ""
	if len(ms) == f.Limit {
		next = strconv.Itoa(max(f.Offset, 0) + f.Limit)
	}
	return c.JSON(fiber.Map{"items": items, "next": next})
}

// dateRange reads the from/to filter (yyyy-mm-dd or dd/mm/yyyy, Vietnam
// time; to is inclusive).
func dateRange(from, to string) (time.Time, time.Time, error) {
	var f, t time.Time
	if from != "" {
		d, err := vntext.ParseDate(from)
		if err != nil {
			return f, t, errs.Invalid("from", "date_invalid", "Ngày phải có dạng yyyy-mm-dd hoặc dd/mm/yyyy")
		}
		f = d
	}
	if to != "" {
		d, err := vntext.ParseDate(to)
		if err != nil {
			return f, t, errs.Invalid("to", "date_invalid", "Ngày phải có dạng yyyy-mm-dd hoặc dd/mm/yyyy")
		}
		t = d.AddDate(0, 0, 1)
	}
	return f, t, nil
}

func (a *API) get(c *fiber.Ctx) error {
	t := a.tenant(c)
	ctx := c.UserContext()
	m, err := Get(ctx, a.Service.db, t.ID, c.Params("id"))
	if err != nil {
		return err
	}
	use, err := Usage(ctx, a.Service.db, t.ID, []string{m.ID})
	if err != nil {
		return err
	}
	v := NewView(m, SiteBase(c, t, a.BaseDomain))
	n := use[m.ID]
	v.Usage = &n
	return c.JSON(v)
}

// editBody is the JSON of a PATCH; absent fields keep their value.
type editBody struct {
	Alt     *string `json:"alt"`
	Caption *string `json:"caption"`
	Credit  *string `json:"credit"`
}

func (a *API) update(c *fiber.Ctx) error {
	t := a.tenant(c)
	ctx := c.UserContext()
	var b editBody
	dec := json.NewDecoder(bytes.NewReader(c.Body()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return errs.Invalid("body", "json_invalid", "Dữ liệu JSON không hợp lệ")
	}
	m, err := Get(ctx, a.Service.db, t.ID, c.Params("id"))
	if err != nil {
		return err
	}
	e := Edit{Alt: m.Alt, Caption: m.Caption, Credit: m.Credit}
	for dst, src := range map[*string]*string{&e.Alt: b.Alt, &e.Caption: b.Caption, &e.Credit: b.Credit} {
		if src != nil {
			*dst = *src
		}
	}
	m, err = a.Service.Update(ctx, t.ID, m.ID, e)
	if err != nil {
		return err
	}
	return c.JSON(NewView(m, SiteBase(c, t, a.BaseDomain)))
}

func (a *API) remove(c *fiber.Ctx) error {
	t := a.tenant(c)
	if err := a.Service.Delete(c.UserContext(), t.ID, c.Params("id")); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
