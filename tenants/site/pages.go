package site

import (
	"github.com/gofiber/fiber/v2"

	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/i18n"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/platform/web"
	"github.com/trangtin/trangtin/tenants/media"
)

// The agency's own pages (contract: "Public site").
const (
	PathAbout        = "/gioi-thieu"
	PathOrganisation = "/co-cau-to-chuc"
	PathContact      = "/lien-he"
	PathEnglish      = "/en"
	// PathParent answers a redirect to the site of the tenant's parent,
	// so every page's footer can link up to its Department.
	PathParent = "/co-quan-chu-quan"
)

// AgencyView is the data of the about, organisation, contact and English
// pages.
type AgencyView struct {
	Settings *Settings
	About    []string
	AboutEN  []string
	Leaders  []*Leader
	// Missing is what Decree 42 still asks of the profile.
	Missing []tenancy.Requirement
}

func (h *Handler) agencyRoutes(app fiber.Router) {
	app.Get(PathAbout, h.agencyPage("site/about", false, false))
	app.Get(PathOrganisation, h.agencyPage("site/organisation", true, true))
	app.Get(PathContact, h.agencyPage("site/contact", false, false))
	app.Get(PathEnglish, h.english)
	app.Get(PathParent, h.parent)
	// The sections these pages replace keep their addresses as redirects.
	app.Get("/chuyen-muc/gioi-thieu", movedTo(PathAbout))
	app.Get("/chuyen-muc/lien-he", movedTo(PathContact))
}

func movedTo(path string) fiber.Handler {
	return func(c *fiber.Ctx) error { return c.Redirect(path, fiber.StatusMovedPermanently) }
}

// agency loads the page data of the agency pages: settings and, when
// leaders is set, the leaders with their photos.
func (h *Handler) agency(c *fiber.Ctx, leaders bool) (*Page, error) {
	ctx, t := c.UserContext(), web.Tenant(c)
	p, err := h.page(c, t)
	if err != nil {
		return nil, err
	}
	s, err := SettingsOf(ctx, h.DB, t.ID)
	if err != nil {
		return nil, err
	}
	en := s.AboutEN
	if en == "" {
		en = t.AboutEN // the profile's English text (contract: about_en)
	}
	v := &AgencyView{Settings: s, About: Paragraphs(s.About), AboutEN: Paragraphs(en), Missing: t.Missing()}
	if leaders {
		if v.Leaders, err = Leaders(ctx, h.DB, t.ID); err != nil {
			return nil, err
		}
		var ids []string
		for _, l := range v.Leaders {
			if l.PhotoMediaID != nil {
				ids = append(ids, *l.PhotoMediaID)
			}
		}
		ims, err := media.Images(ctx, h.DB, t.ID, ids)
		if err != nil {
			return nil, err
		}
		for _, l := range v.Leaders {
			if l.PhotoMediaID != nil {
				if im := ims[*l.PhotoMediaID]; im != nil {
					cp := *im
					cp.Sizes = "160px"
					l.Photo = &cp
				}
			}
		}
	}
	p.Agency = v
	return p, nil
}

func (h *Handler) agencyPage(tmpl string, leaders, allUnits bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p, err := h.agency(c, leaders)
		if err != nil {
			return err
		}
		if allUnits {
			h.units(c, p, 0)
		}
		return h.Renderer.Render(c, fiber.StatusOK, tmpl, p)
	}
}

// english is the organisation in English, in an English page.
func (h *Handler) english(c *fiber.Ctx) error {
	p, err := h.agency(c, true)
	if err != nil {
		return err
	}
	web.SetLang(c, i18n.EN)
	return h.Renderer.Render(c, fiber.StatusOK, "site/english", p)
}

// parent sends the visitor to the site of the tenant's parent.
func (h *Handler) parent(c *fiber.Ctx) error {
	p := &Page{Tenant: web.Tenant(c)}
	h.family(c, p)
	if p.Parent == nil {
		return errs.NotFound("parent_not_found", "Đơn vị không có cơ quan cấp trên có trang thông tin")
	}
	return c.Redirect(p.Parent.URL, fiber.StatusFound)
}

// favicon answers /favicon.ico with the tenant's logo, else the platform's
// icon.
func (h *Handler) favicon(c *fiber.Ctx) error {
	if t := web.Tenant(c); t != nil && t.LogoURL != "" {
		return c.Redirect(t.LogoURL, fiber.StatusFound)
	}
	return c.Redirect("/static/favicon.svg", fiber.StatusFound)
}
