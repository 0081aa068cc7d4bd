package site

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/platform/web"
)

// PathSections is the console page (after /t/<slug>) where a board lists
// its site's sections and makes, renames, orders and removes its own. It
// is the editorial board's (board:manage: the editor-in-chief, the
// site-admin), since a unit rarely has a site-admin of its own.
const PathSections = "/chuyen-muc"

// SectionsPage is the data of console/sections.
type SectionsPage struct {
	Shell    any
	Tenant   *tenancy.Tenant
	SiteURL  string
	Sections []SectionRow
	// Error and ErrorField tell what a refused form got wrong; Refused
	// names the form ("new", or the id of the section edited or removed)
	// and Typed holds what was typed in it.
	Error, ErrorField string
	Refused           string
	Typed             SectionInput
	MoveTo            string
}

// SectionRow is a section as the console lists it.
type SectionRow struct {
	tenancy.Section
	Own   bool
	Items int
	Kind  string
}

func (h *Console) sectionRoutes(app fiber.Router) {
	az, by := h.Authz, h.bySlug
	app.Get("/t/:slug"+PathSections, az.Require(authz.BoardManage, by), h.sectionsPage)
	app.Post("/t/:slug"+PathSections, az.Require(authz.BoardManage, by), h.createSection)
	app.Post("/t/:slug"+PathSections+"/:id", az.Require(authz.BoardManage, by), h.updateSection)
	app.Post("/t/:slug"+PathSections+"/:id/xoa", az.Require(authz.BoardManage, by), h.removeSection)
	app.Post("/t/:slug"+PathSections+"/:id/len", az.Require(authz.BoardManage, by), h.moveSection(true))
	app.Post("/t/:slug"+PathSections+"/:id/xuong", az.Require(authz.BoardManage, by), h.moveSection(false))
}

// moveSection moves a section of the tenant's own up or down the menu.
func (h *Console) moveSection(up bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		t, err := h.tenant(c)
		if err != nil {
			return err
		}
		back := "/t/" + t.Slug + PathSections
		moved, err := h.Agency.MoveSection(c.UserContext(), t.ID, web.Account(c).AccountID, web.ClientIP(c), c.Params("id"), up)
		if err != nil {
			return formError(c, back, err)
		}
		if !moved {
			return redirectWith(c, back, "ok", "Chuyên mục đã ở đầu hoặc cuối các chuyên mục riêng.")
		}
		return redirectWith(c, back, "ok", "Đã đổi thứ tự chuyên mục trong trình đơn của trang.")
	}
}

func (h *Console) sectionsPage(c *fiber.Ctx) error {
	t, err := h.tenant(c)
	if err != nil {
		return err
	}
	return h.renderSections(c, t, fiber.StatusOK, nil)
}

// renderSections shows the sections page of t; typed, when not nil,
// marks the refused form and puts back what was typed in it.
func (h *Console) renderSections(c *fiber.Ctx, t *tenancy.Tenant, status int, typed func(*SectionsPage)) error {
	ctx := c.UserContext()
	sh, err := h.Shell(c, t, PathSections)
	if err != nil {
		return err
	}
	ss, err := tenancy.Sections(ctx, h.Agency.DB, t.ID)
	if err != nil {
		return err
	}
	counts, err := SectionItemCounts(ctx, h.Agency.DB, t.ID)
	if err != nil {
		return err
	}
	p := SectionsPage{Shell: sh, Tenant: t, SiteURL: web.SiteURL(c, t, h.BaseDomain)}
	for _, s := range ss {
		row := SectionRow{Section: s, Own: Own(s), Items: counts[s.ID]}
		switch {
		case s.Required:
			row.Kind = "Bắt buộc (Nghị định 42/2022)"
		case s.FieldCode != nil:
			row.Kind = "Lĩnh vực của ngành"
		default:
			row.Kind = "Riêng của đơn vị"
		}
		p.Sections = append(p.Sections, row)
	}
	if typed != nil {
		typed(&p)
	}
	return h.Renderer.Render(c, status, "console/sections", p)
}

// sectionRefused answers a sections form the agency rejected: the page
// again (422) with the message and what was typed; other errors go on.
func (h *Console) sectionRefused(c *fiber.Ctx, t *tenancy.Tenant, err error, typed func(*SectionsPage)) error {
	switch errs.KindOf(err) {
	case errs.KindInvalid, errs.KindConflict:
	default:
		return formError(c, "/t/"+t.Slug+PathSections, err)
	}
	_, msg, field := errs.Public(err)
	return h.renderSections(c, t, fiber.StatusUnprocessableEntity, func(p *SectionsPage) {
		p.Error, p.ErrorField = msg, field
		typed(p)
	})
}

func sectionForm(c *fiber.Ctx) SectionInput {
	return SectionInput{Name: c.FormValue("name"), Slug: c.FormValue("slug"), Description: c.FormValue("description")}
}

func (h *Console) createSection(c *fiber.Ctx) error {
	t, err := h.tenant(c)
	if err != nil {
		return err
	}
	in := sectionForm(c)
	s, err := h.Agency.CreateSection(c.UserContext(), t.ID, web.Account(c).AccountID, web.ClientIP(c), in)
	if err != nil {
		return h.sectionRefused(c, t, err, func(p *SectionsPage) { p.Refused, p.Typed = "new", in })
	}
	return redirectWith(c, "/t/"+t.Slug+PathSections, "ok",
		fmt.Sprintf("Đã tạo chuyên mục “%s” (/chuyen-muc/%s): nó có ở trình đơn của trang và trong danh sách chuyên mục khi viết bài.", s.Name, s.Slug))
}

func (h *Console) updateSection(c *fiber.Ctx) error {
	t, err := h.tenant(c)
	if err != nil {
		return err
	}
	id, in := c.Params("id"), sectionForm(c)
	if err := h.Agency.UpdateSection(c.UserContext(), t.ID, web.Account(c).AccountID, web.ClientIP(c), id, in); err != nil {
		return h.sectionRefused(c, t, err, func(p *SectionsPage) { p.Refused, p.Typed = id, in })
	}
	return redirectWith(c, "/t/"+t.Slug+PathSections, "ok", "Đã lưu chuyên mục.")
}

func (h *Console) removeSection(c *fiber.Ctx) error {
	t, err := h.tenant(c)
	if err != nil {
		return err
	}
	id, moveTo := c.Params("id"), c.FormValue("move_to")
	r, err := h.Agency.RemoveSection(c.UserContext(), t.ID, web.Account(c).AccountID, web.ClientIP(c), id, moveTo)
	if err != nil {
		return h.sectionRefused(c, t, err, func(p *SectionsPage) { p.Refused, p.MoveTo = id, moveTo })
	}
	msg := fmt.Sprintf("Đã xóa chuyên mục “%s”.", r.Name)
	if r.To != "" {
		msg = fmt.Sprintf("Đã xóa chuyên mục “%s”; %d bài của nó đã chuyển sang “%s”, và địa chỉ cũ của nó dẫn người đọc sang đó.", r.Name, r.Moved, r.To)
	}
	return redirectWith(c, "/t/"+t.Slug+PathSections, "ok", msg)
}
