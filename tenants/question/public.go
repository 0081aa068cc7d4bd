package question

import (
	"context"
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/platform/web"
)

// PublicPath is the page of questions on a tenant's site.
const PublicPath = "/hoi-dap"

// PageSize is the number of answered questions on one page.
const PageSize = 20

// Public serves /hoi-dap on a tenant's site.
type Public struct {
	Service  *Service
	Renderer *web.Renderer
	// Frame gives the site layout's data of a page (SiteFrame when nil).
	Frame func(c *fiber.Ctx, t *tenancy.Tenant) (Frame, error)
}

// Frame is what the site layout needs of a public page (header, menu,
// footer).
type Frame struct {
	Tenant *tenancy.Tenant
	Nav    tenancy.Nav
}

// Routes registers GET and POST /hoi-dap (site.Handler.Extra).
func (h *Public) Routes(r fiber.Router) {
	r.Get(PublicPath, h.page)
	r.Post(PublicPath, h.ask)
}

// Form is what the visitor typed, sent back on a mistake.
type Form struct {
	Name, Contact, Field, Question string
}

// Page is /hoi-dap.
type Page struct {
	Frame
	Items              []Question
	FieldNames         map[string]string
	Fields             []tenancy.Field
	Total, Page, Pages int
	Prev, Next         string
	Form               Form
	Error, ErrorField  string
	Sent               bool
	// Mails: answers are e-mailed to askers who left an address (SMTP is
	// set); the thank-you promises only what will happen.
	Mails bool
}

func (h *Public) build(c *fiber.Ctx, t *tenancy.Tenant) (*Page, error) {
	ctx := c.UserContext()
	fr, err := h.frame(c, t)
	if err != nil {
		return nil, err
	}
	n, _ := strconv.Atoi(c.Query("trang", "1"))
	n = min(max(n, 1), 10000)
	items, total, err := Published(ctx, h.Service.DB, t.ID, PageSize, (n-1)*PageSize)
	if err != nil {
		return nil, err
	}
	p := &Page{Frame: fr, Items: items, Total: total, Page: n, Pages: max((total+PageSize-1)/PageSize, 1), FieldNames: map[string]string{}}
	if p.Fields, err = tenancy.Fields(ctx, h.Service.DB); err != nil {
		return nil, err
	}
	for _, f := range p.Fields {
		p.FieldNames[f.Code] = f.Name
	}
	if n > 1 {
		p.Prev = PublicPath + "?trang=" + strconv.Itoa(n-1)
	}
	if n < p.Pages {
		p.Next = PublicPath + "?trang=" + strconv.Itoa(n+1)
	}
	return p, nil
}

func (h *Public) page(c *fiber.Ctx) error {
	t := web.Tenant(c)
	p, err := h.build(c, t)
	if err != nil {
		return err
	}
	p.Sent, p.Mails = c.Query("da-gui") == "1", h.Service.Send != nil
	return h.Renderer.Render(c, fiber.StatusOK, "site/questions", p)
}

// ask receives the form: a success (or a filled trap) goes back to the
// page with a thank-you (303); a mistake shows the page again with the
// message and what was typed.
func (h *Public) ask(c *fiber.Ctx) error {
	t := web.Tenant(c)
	in := Ask{Name: c.FormValue("ho-ten"), Contact: c.FormValue("lien-he"), Field: c.FormValue("linh-vuc"),
		Question: c.FormValue("cau-hoi"), Trap: c.FormValue("website"), IP: web.ClientIP(c)}
	_, err := h.Service.Receive(c.UserContext(), t, in)
	if err == nil || errors.Is(err, ErrTrap) {
		return c.Redirect(PublicPath+"?da-gui=1#gui-cau-hoi", fiber.StatusSeeOther)
	}
	// The asker sees what to fix on the form: a field in error (422) or
	// too many questions from their address (429).
	status := fiber.StatusUnprocessableEntity
	switch {
	case errs.ReasonOf(err) == errs.ReasonThrottled:
		status = fiber.StatusTooManyRequests
	case errs.KindOf(err) != errs.KindInvalid:
		return err
	}
	p, perr := h.build(c, t)
	if perr != nil {
		return perr
	}
	_, p.Error, p.ErrorField = errs.Public(err)
	p.Form = Form{Name: in.Name, Contact: in.Contact, Field: in.Field, Question: in.Question}
	return h.Renderer.Render(c, status, "site/questions", p)
}

func (h *Public) frame(c *fiber.Ctx, t *tenancy.Tenant) (Frame, error) {
	if h.Frame != nil {
		return h.Frame(c, t)
	}
	return SiteFrame(c.UserContext(), h.Service.DB, t)
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
