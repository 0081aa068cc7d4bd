package site

import (
	"context"
	"fmt"
	"html/template"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/platform/vntext"
	"github.com/trangtin/trangtin/platform/web"
	"github.com/trangtin/trangtin/tenants/media"
	"github.com/trangtin/trangtin/tenants/provision"
)

// PathConsole is the console page (after /t/<slug>) where a board edits
// its agency pages: the Decree 42 profile, functions and duties, leaders
// and the order of the home page's blocks.
const PathConsole = "/trang-thong-tin"

// ShellFunc builds the console layout's data for a page of tenant t.
type ShellFunc func(c *fiber.Ctx, t *tenancy.Tenant, active string) (any, error)

// Console serves the agency page editor.
type Console struct {
	Agency      *Agency
	Provisioner *provision.Provisioner
	Authz       *authz.Enforcer
	Registry    *tenancy.Registry
	Renderer    *web.Renderer
	Shell       ShellFunc
	// BaseDomain makes the links to the tenant's public site.
	BaseDomain string
}

// ConsolePage is the data of console/site_pages.
type ConsolePage struct {
	Shell    any
	Tenant   *tenancy.Tenant
	Profile  tenancy.Profile
	Missing  []tenancy.Requirement
	Settings *Settings
	Leaders  []*Leader
	Sections []OrderedSection
	// LicenceDate is the profile's licence date as the form writes it,
	// dd/mm/yyyy (Profile keeps the API's yyyy-mm-dd).
	LicenceDate string
	// Error and ErrorField tell what a refused save got wrong; the form
	// then shows what was typed (Leader for the leader form), not what
	// was stored.
	Error, ErrorField string
	Leader            LeaderInput
	LeaderRefused     bool
	// Images are the library's newest pictures, offered by name for the
	// logo and a leader's photo instead of an id to type; LogoKept is set
	// when the current logo is older than those (the form then keeps it).
	Images   []ImageOption
	LogoKept bool
}

// ImageOption is a picture of the library a form offers.
type ImageOption struct {
	ID, Label string
	Logo      bool // the site's logo now
}

// keepLogo is the logo form's value for "no change" when the current logo
// is not among the offered pictures.
const keepLogo = "giu-nguyen"

// OrderedSection is a section with its place among the home page blocks.
type OrderedSection struct {
	Slug, Name string
	Place      int
}

// Routes registers the editor; each route declares its permission.
func (h *Console) Routes(app fiber.Router) {
	az, by := h.Authz, h.bySlug
	app.Get("/t/:slug"+PathConsole, az.Require(authz.TenantSettings, by), h.form)
	app.Post("/t/:slug"+PathConsole, az.Require(authz.TenantSettings, by), h.save)
	app.Post("/t/:slug"+PathConsole+"/logo", az.Require(authz.TenantSettings, by), h.setLogo)
	app.Post("/t/:slug"+PathConsole+"/lanh-dao", az.Require(authz.TenantSettings, by), h.addLeader)
	app.Post("/t/:slug"+PathConsole+"/lanh-dao/:id/xoa", az.Require(authz.TenantSettings, by), h.removeLeader)
	h.sectionRoutes(app)
}

func (h *Console) bySlug(c *fiber.Ctx) (*tenancy.Tenant, error) { return web.SlugTenant(h.Registry, c) }

// tenant is the :slug tenant the route's guard checked.
func (h *Console) tenant(c *fiber.Ctx) (*tenancy.Tenant, error) {
	if t := authz.Tenant(c); t != nil {
		return t, nil
	}
	return nil, errs.NotFound("tenant_not_found", "Không tìm thấy đơn vị")
}

func (h *Console) form(c *fiber.Ctx) error {
	t, err := h.tenant(c)
	if err != nil {
		return err
	}
	return h.render(c, t, fiber.StatusOK, nil)
}

// render shows the agency page editor of t; typed, when not nil, puts
// what a refused form held back in place of the stored values.
func (h *Console) render(c *fiber.Ctx, t *tenancy.Tenant, status int, typed func(*ConsolePage)) error {
	ctx := c.UserContext()
	// The registry's copy may be a moment old after a save: read the row.
	if fresh, err := tenancy.ByID(ctx, h.Agency.DB, t.ID); err == nil {
		t = fresh
	}
	sh, err := h.Shell(c, t, PathConsole)
	if err != nil {
		return err
	}
	s, err := SettingsOf(ctx, h.Agency.DB, t.ID)
	if err != nil {
		return err
	}
	ls, err := Leaders(ctx, h.Agency.DB, t.ID)
	if err != nil {
		return err
	}
	ss, err := tenancy.Sections(ctx, h.Agency.DB, t.ID)
	if err != nil {
		return err
	}
	p := ConsolePage{Shell: sh, Tenant: t, Profile: t.Profile(), Missing: t.Missing(), Settings: s, Leaders: ls}
	if t.LicenceDate != nil {
		p.LicenceDate = vntext.Date(*t.LicenceDate)
	}
	for i, sec := range orderSections(ss, s.Order()) {
		p.Sections = append(p.Sections, OrderedSection{Slug: sec.Slug, Name: sec.Name, Place: i + 1})
	}
	ims, err := media.List(ctx, h.Agency.DB, t.ID, media.Filter{Kind: media.KindImage, Limit: 200})
	if err != nil {
		return err
	}
	p.LogoKept = t.LogoURL != ""
	for _, m := range ims {
		o := ImageOption{ID: m.ID, Label: m.Name, Logo: t.LogoURL != "" && media.NewImage(m).Src == t.LogoURL}
		if m.Alt != "" {
			o.Label += " – " + m.Alt
		}
		p.LogoKept = p.LogoKept && !o.Logo
		p.Images = append(p.Images, o)
	}
	if typed != nil {
		typed(&p)
	}
	return h.Renderer.Render(c, status, "console/site_pages", p)
}

// refused answers a form the agency rejected: the editor again, with the
// message and what was typed (422); other errors go on as they are.
func (h *Console) refused(c *fiber.Ctx, t *tenancy.Tenant, err error, typed func(*ConsolePage)) error {
	switch errs.KindOf(err) {
	case errs.KindInvalid, errs.KindConflict:
	default:
		return formError(c, "/t/"+t.Slug+PathConsole, err)
	}
	_, msg, field := errs.Public(err)
	return h.render(c, t, fiber.StatusUnprocessableEntity, func(p *ConsolePage) {
		p.Error, p.ErrorField = msg, field
		typed(p)
	})
}

func (h *Console) save(c *fiber.Ctx) error {
	ctx := c.UserContext()
	t, err := h.tenant(c)
	if err != nil {
		return err
	}
	back := "/t/" + t.Slug + PathConsole
	actor, ip := web.Account(c).AccountID, web.ClientIP(c)
	field := func(k string) *string { v := c.FormValue(k); return &v }
	patch := provision.ProfilePatch{NameEN: field("name_en"), Profile: &provision.ProfileInput{
		GoverningBody: field("governing_body"), ResponsiblePerson: field("responsible_person"),
		ResponsibleTitle: field("responsible_title"), Licence: field("licence"), LicenceDate: field("licence_date"),
		Address: field("address"), Phone: field("phone"), Fax: field("fax"), Email: field("email"),
		Hotline: field("hotline"), AddressEN: field("address_en"), AboutEN: field("about_en"),
	}}
	// What was typed, should the save be refused.
	typed := func(p *ConsolePage) {
		in := patch.Profile
		p.Profile.GoverningBody, p.Profile.ResponsiblePerson, p.Profile.ResponsibleTitle = *in.GoverningBody, *in.ResponsiblePerson, *in.ResponsibleTitle
		p.Profile.Licence, p.LicenceDate, p.Profile.Address = *in.Licence, *in.LicenceDate, *in.Address
		p.Profile.Phone, p.Profile.Fax, p.Profile.Email, p.Profile.Hotline = *in.Phone, *in.Fax, *in.Email, *in.Hotline
		p.Profile.AddressEN, p.Profile.AboutEN = *in.AddressEN, *in.AboutEN
		named := *p.Tenant
		named.NameEN = *patch.NameEN
		p.Tenant = &named
		settings := *p.Settings
		settings.About = c.FormValue("about")
		p.Settings = &settings
		for i := range p.Sections {
			if n, err := strconv.Atoi(strings.TrimSpace(c.FormValue("place_" + p.Sections[i].Slug))); err == nil {
				p.Sections[i].Place = n
			}
		}
	}
	if _, err := h.Provisioner.UpdateProfile(ctx, t.ID, actor, ip, patch); err != nil {
		return h.refused(c, t, err, typed)
	}
	// The footer of every page reads the registry: show the change now.
	if err := h.Registry.Refresh(ctx); err != nil {
		return err
	}
	ss, err := tenancy.Sections(ctx, h.Agency.DB, t.ID)
	if err != nil {
		return err
	}
	type placed struct {
		slug  string
		place int
	}
	var order []placed
	for i, s := range ss {
		n, err := strconv.Atoi(strings.TrimSpace(c.FormValue("place_" + s.Slug)))
		if err != nil {
			n = 1000 + i
		}
		order = append(order, placed{s.Slug, n})
	}
	// A stable insertion sort: the board's numbers, ties in section order.
	for i := 1; i < len(order); i++ {
		for j := i; j > 0 && order[j].place < order[j-1].place; j-- {
			order[j], order[j-1] = order[j-1], order[j]
		}
	}
	slugs := make([]string, len(order))
	for i, o := range order {
		slugs[i] = o.slug
	}
	in := SettingsInput{About: field("about"), BlockOrder: slugs}
	if _, err := h.Agency.SaveSettings(ctx, t.ID, actor, ip, in); err != nil {
		return h.refused(c, t, err, typed)
	}
	return redirectWith(c, back, "ok", "Đã lưu trang thông tin của đơn vị.")
}

func (h *Console) addLeader(c *fiber.Ctx) error {
	t, err := h.tenant(c)
	if err != nil {
		return err
	}
	back := "/t/" + t.Slug + PathConsole
	pos, _ := strconv.Atoi(c.FormValue("position"))
	in := LeaderInput{Name: c.FormValue("name"), Title: c.FormValue("title"), TitleEN: c.FormValue("title_en"),
		Phone: c.FormValue("phone"), Email: c.FormValue("email"), PhotoMediaID: c.FormValue("photo_media_id"), Position: pos}
	if _, err := h.Agency.AddLeader(c.UserContext(), t.ID, web.Account(c).AccountID, web.ClientIP(c), in); err != nil {
		return h.refused(c, t, err, func(p *ConsolePage) { p.Leader, p.LeaderRefused = in, true })
	}
	return redirectWith(c, back, "ok", "Đã thêm lãnh đạo.")
}

func (h *Console) setLogo(c *fiber.Ctx) error {
	t, err := h.tenant(c)
	if err != nil {
		return err
	}
	back := "/t/" + t.Slug + PathConsole
	if c.FormValue("logo_media_id") == keepLogo {
		return redirectWith(c, back, "ok", "Biểu trưng không thay đổi.")
	}
	if err := h.Agency.SetLogo(c.UserContext(), t.ID, web.Account(c).AccountID, web.ClientIP(c), c.FormValue("logo_media_id")); err != nil {
		return formError(c, back, err)
	}
	if err := h.Registry.Refresh(c.UserContext()); err != nil {
		return err
	}
	return redirectWith(c, back, "ok", "Đã cập nhật biểu trưng của trang.")
}

func (h *Console) removeLeader(c *fiber.Ctx) error {
	t, err := h.tenant(c)
	if err != nil {
		return err
	}
	back := "/t/" + t.Slug + PathConsole
	if err := h.Agency.RemoveLeader(c.UserContext(), t.ID, web.Account(c).AccountID, web.ClientIP(c), c.Params("id")); err != nil {
		return formError(c, back, err)
	}
	return redirectWith(c, back, "ok", "Đã xóa lãnh đạo.")
}

func redirectWith(c *fiber.Ctx, path, kind, text string) error {
	return web.RedirectWithFlash(c, path, kind, text)
}

func formError(c *fiber.Ctx, back string, err error) error {
	switch errs.KindOf(err) {
	case errs.KindInvalid, errs.KindConflict, errs.KindNotFound:
		_, msg, _ := errs.Public(err)
		return redirectWith(c, back, "error", msg)
	}
	return err
}

// checklistTemplate is the Decree 42 checklist on the console's dashboard.
var checklistTemplate = template.Must(template.New("checklist").Parse(
	`<div class="checklist" role="note"><p><strong>{{.T.Name}}</strong>: trang thông tin còn thiếu theo Nghị định 42/2022:</p>` +
		`<ul>{{range .Missing}}<li data-field="{{.Field}}">{{.Label}}</li>{{end}}</ul>` +
		`<p><a href="/t/{{.T.Slug}}/trang-thong-tin">Cập nhật trang thông tin</a></p></div>`))

// Checklists lists, for each tenant of ts with a site, what Decree 42
// still needs from its profile (for the console's dashboard).
func Checklists(_ context.Context, ts []*tenancy.Tenant) ([]template.HTML, error) {
	var out []template.HTML
	for _, t := range ts {
		missing := t.Missing()
		if len(missing) == 0 {
			continue
		}
		var b strings.Builder
		if err := checklistTemplate.Execute(&b, map[string]any{"T": t, "Missing": missing}); err != nil {
			return nil, fmt.Errorf("render checklist: %w", err)
		}
		out = append(out, template.HTML(b.String())) // #nosec G203 -- produced by html/template
	}
	return out, nil
}
