package media

import (
	"html"
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/platform/web"
)

// pageSize is the number of media on a library page.
const pageSize = 48

// LibraryPage is the media library of a tenant.
type LibraryPage struct {
	Shell     any
	Tenant    *tenancy.Tenant
	Items     []LibraryItem
	Query     string
	Kind      string
	From, To  string
	Kinds     []Kind
	CanUpload bool
	Notice    string
	Error     string
	// Alt, Caption and Credit refill the upload form after a refusal.
	Alt, Caption, Credit string
	MaxSize              string
	Page                 int
	Prev, Next           string
}

// LibraryItem is one tile of the grid.
type LibraryItem struct {
	Media  *Media
	Thumb  string
	SrcSet string
	Usage  int
	URL    string
}

func (h *Console) library(c *fiber.Ctx) error {
	return h.renderLibrary(c, h.tenant(c), fiber.StatusOK, "", nil)
}

// renderLibrary shows the library with an optional error and the upload
// form refilled from form.
func (h *Console) renderLibrary(c *fiber.Ctx, t *tenancy.Tenant, status int, errText string, form *uploadForm) error {
	ctx := c.UserContext()
	sh, err := h.shell(c, t)
	if err != nil {
		return err
	}
	p := LibraryPage{Shell: sh, Tenant: t, Query: c.Query("q"), Kind: c.Query("loai"), From: c.Query("tu"), To: c.Query("den"),
		Kinds: Kinds(), CanUpload: h.can(c, t, authz.MediaUpload), Notice: notice(c.Query("ok")), Error: errText,
		MaxSize: megabytes(h.Service.MaxBytes())}
	if form != nil {
		p.Alt, p.Caption, p.Credit = form.alt, form.caption, form.credit
	}
	f := Filter{Query: p.Query, Kind: Kind(p.Kind), Limit: pageSize}
	if f.From, f.To, err = dateRange(p.From, p.To); err != nil && p.Error == "" {
		p.Error = "Ngày lọc phải có dạng dd/mm/yyyy"
	}
	p.Page, _ = strconv.Atoi(c.Query("trang"))
	p.Page = max(p.Page, 1)
	f.Offset = (p.Page - 1) * pageSize
	ms, err := List(ctx, h.Service.db, t.ID, f)
	if err != nil {
		return err
	}
	ids := make([]string, len(ms))
	for i, m := range ms {
		ids[i] = m.ID
	}
	use, err := Usage(ctx, h.Service.db, t.ID, ids)
	if err != nil {
		return err
	}
	for _, m := range ms {
		src, set := thumb(t, m)
		p.Items = append(p.Items, LibraryItem{Media: m, Thumb: src, SrcSet: set, Usage: use[m.ID],
			URL: "/t/" + t.Slug + LibraryPath + "/" + m.ID})
	}
	page := func(n int) string {
		v := url.Values{"q": {p.Query}, "loai": {p.Kind}, "tu": {p.From}, "den": {p.To}, "trang": {strconv.Itoa(n)}}
		return "?" + v.Encode()
	}
	if p.Page > 1 {
		p.Prev = page(p.Page - 1)
	}
	if len(ms) == pageSize {
		p.Next = page(p.Page + 1)
	}
	return h.Renderer.Render(c, status, "console/media", p)
}

func (h *Console) upload(c *fiber.Ctx) error {
	t := h.tenant(c)
	ctx := c.UserContext()
	u, err := h.Service.readUpload(ctx, c, t.ID)
	if err == nil {
		defer u.sp.remove()
		var m *Media
		m, err = h.Service.commit(ctx, u.sp, Input{TenantID: t.ID, ActorID: web.Account(c).AccountID,
			Name: u.name, Alt: u.alt, Caption: u.caption, Credit: u.credit})
		if err == nil {
			return c.Redirect("/t/"+t.Slug+LibraryPath+"/"+m.ID+"?ok=tai-len", fiber.StatusSeeOther)
		}
	}
	status, msg, ok := refusal(err)
	if !ok {
		return err
	}
	return h.renderLibrary(c, t, status, msg, u)
}

// DetailPage is one media in the console.
type DetailPage struct {
	Shell      any
	Tenant     *tenancy.Tenant
	Media      *Media
	Preview    string
	SrcSet     string
	FileURL    string
	PublicURL  string
	Renditions []RenditionView
	Users      []User
	Snippet    string
	CanManage  bool
	Notice     string
	Error      string
}

func (h *Console) detail(c *fiber.Ctx) error {
	return h.renderDetail(c, h.tenant(c), fiber.StatusOK, "")
}

func (h *Console) renderDetail(c *fiber.Ctx, t *tenancy.Tenant, status int, errText string) error {
	ctx := c.UserContext()
	m, err := Get(ctx, h.Service.db, t.ID, c.Params("id"))
	if err != nil {
		return err
	}
	sh, err := h.shell(c, t)
	if err != nil {
		return err
	}
	users, err := Users(ctx, h.Service.db, t.ID, m.ID)
	if err != nil {
		return err
	}
	p := DetailPage{Shell: sh, Tenant: t, Media: m, FileURL: fileURL(t, m, m.FileName()), Users: users,
		CanManage: h.can(c, t, authz.MediaManage), Notice: notice(c.Query("ok")), Error: errText}
	p.Preview, p.SrcSet = thumb(t, m)
	if base := SiteBase(c, t, h.BaseDomain); base != "" {
		p.PublicURL = base + m.Path()
	}
	for _, r := range m.Renditions {
		p.Renditions = append(p.Renditions, RenditionView{Width: r.Width, Height: r.Height,
			URL: fileURL(t, m, "r/"+strconv.Itoa(r.Width)+"."+r.Format)})
	}
	if m.Kind == KindImage {
		p.Snippet = `<img src="` + m.Path() + `" alt="` + html.EscapeString(m.Alt) + `">`
	} else {
		p.Snippet = `<a href="` + m.Path() + `">` + html.EscapeString(m.Name) + `</a>`
	}
	return h.Renderer.Render(c, status, "console/media_item", p)
}

func (h *Console) save(c *fiber.Ctx) error {
	t := h.tenant(c)
	_, err := h.Service.Update(c.UserContext(), t.ID, c.Params("id"),
		Edit{Alt: c.FormValue("alt"), Caption: c.FormValue("caption"), Credit: c.FormValue("credit")})
	if err != nil {
		status, msg, ok := refusal(err)
		if !ok {
			return err
		}
		return h.renderDetail(c, t, status, msg)
	}
	return c.Redirect("/t/"+t.Slug+LibraryPath+"/"+c.Params("id")+"?ok=luu", fiber.StatusSeeOther)
}

func (h *Console) remove(c *fiber.Ctx) error {
	t := h.tenant(c)
	if err := h.Service.Delete(c.UserContext(), t.ID, c.Params("id")); err != nil {
		status, msg, ok := refusal(err)
		if !ok || status == fiber.StatusNotFound {
			return err
		}
		return h.renderDetail(c, t, status, msg)
	}
	return c.Redirect("/t/"+t.Slug+LibraryPath+"?ok=xoa", fiber.StatusSeeOther)
}
