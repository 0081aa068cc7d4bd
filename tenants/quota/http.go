package quota

import (
	"bytes"
	"slices"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/platform/web"
	"github.com/trangtin/trangtin/tenants/console"
)

// Handler serves the quota's API and console pages.
//
// Permissions: the report (API and console) needs ReportView in the parent
// tenant or on the platform (office staff, platform admins, and the
// parent's secretaries, deputies, editors-in-chief and site-admins); the
// Office's grid and its drill-down also need QuotaViewAll on the platform
// or the editor-in-chief role in the parent; changing quotas, exemptions
// and snapshots needs QuotaManage (office staff, platform admins); a
// contributor's own standing needs QuotaViewOwn in it. The parent is named
// by ?cap-tren= (console) or ?parent= (API), by default the top department.
type Handler struct {
	DB       *bun.DB
	Authz    *authz.Enforcer
	Registry *tenancy.Registry
	Renderer *web.Renderer
	// Shell builds the console layout's data; nil uses a minimal one.
	Shell func(c *fiber.Ctx, t *tenancy.Tenant, active string) (*console.Shell, error)
	// Letter fills the printable report's header and signature.
	Letter LetterOptions
	// Now is the clock (default time.Now).
	Now func() time.Time
}

func (h *Handler) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

// APIRoutes registers the API under /api/v1.
func (h *Handler) APIRoutes(r fiber.Router) {
	r.Get("/reports/quota", h.Authz.Require(authz.ReportView, h.parent), h.apiReport)
	r.Get("/reports/quota/snapshots", h.Authz.Require(authz.ReportView, h.parent), h.apiSnapshots)
	r.Post("/reports/quota/snapshots", h.Authz.Require(authz.QuotaManage, h.parent), h.apiSnapshot)
	r.Get("/reports/quota/quotas", h.Authz.Require(authz.QuotaManage, h.parent), h.apiQuotas)
	r.Post("/reports/quota/quotas", h.Authz.Require(authz.QuotaManage, h.parent), h.apiSetQuota)
	r.Get("/reports/quota/exemptions", h.Authz.Require(authz.QuotaManage, h.parent), h.apiExemptions)
	r.Post("/reports/quota/exemptions", h.Authz.Require(authz.QuotaManage, h.parent), h.apiAddExemption)
	r.Delete("/reports/quota/exemptions/:id", h.Authz.Require(authz.QuotaManage, h.parent), h.apiRemoveExemption)
	r.Get("/tenants/:slug/quota", h.Authz.Require(authz.QuotaViewOwn, h.bySlug), h.apiOwn)
}

// parent names the report's parent: ?parent= or ?cap-tren= (a slug),
// else the first organisation (top-level tenant) whose report the account
// may read: office staff land on their own organisation.
func (h *Handler) parent(c *fiber.Ctx) (*tenancy.Tenant, error) {
	slug := c.Query("parent", c.Query("cap-tren"))
	if slug != "" {
		t, ok := h.Registry.BySlug(slug)
		if !ok {
			return nil, errs.NotFound("tenant_not_found", "Không tìm thấy đơn vị")
		}
		return t, nil
	}
	var first *tenancy.Tenant
	for _, t := range h.Registry.All() {
		if t.ParentID != nil || t.Status == tenancy.StatusMerged {
			continue
		}
		if first == nil {
			first = t
		}
		if p := web.Account(c); p != nil && h.Authz.Allowed(p.AccountID, t.ID, authz.ReportView) {
			return t, nil
		}
	}
	if first != nil {
		return first, nil
	}
	return nil, errs.NotFound("tenant_not_found", "Chưa có Sở trên hệ thống")
}

func (h *Handler) bySlug(c *fiber.Ctx) (*tenancy.Tenant, error) { return web.SlugTenant(h.Registry, c) }

// canViewAll: the Office's grid is for QuotaViewAll in the parent (office
// staff of its organisation or of the platform, platform admins) and the
// parent's editor-in-chief.
func (h *Handler) canViewAll(accountID, parentID string) bool {
	return h.Authz.Allowed(accountID, parentID, authz.QuotaViewAll) ||
		slices.Contains(h.Authz.Roles(accountID, parentID), authz.RoleEditorInChief)
}

func (h *Handler) requireViewAll(c *fiber.Ctx, parentID string) error {
	if !h.canViewAll(web.Account(c).AccountID, parentID) {
		return errs.Forbidden("forbidden", "Chỉ Văn phòng Sở và Trưởng ban biên tập xem được bảng theo dõi chỉ tiêu")
	}
	return nil
}

// apiReport answers GET /api/v1/reports/quota?month=YYYY-MM[&format=][&live=1].
func (h *Handler) apiReport(c *fiber.Ctx) error {
	p, err := ParseMonth(c.Query("month"))
	if err != nil {
		return err
	}
	f, err := ParseFormat(c.Query("format"))
	if err != nil {
		return err
	}
	live, _ := strconv.ParseBool(c.Query("live", "false"))
	return h.sendReport(c, p, f, live)
}

// sendReport writes the report of the request's parent in format f.
func (h *Handler) sendReport(c *fiber.Ctx, p Period, f Format, live bool) error {
	parent, err := h.parent(c)
	if err != nil {
		return err
	}
	r, err := Get(c.UserContext(), h.DB, parent.ID, p, live, h.now())
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	opts := h.Letter
	opts.Hint = "Dùng lệnh In của trình duyệt (Ctrl+P), khổ A4, để in báo cáo. Dòng này không được in."
	if h.Renderer != nil {
		// The console's CSP (style-src 'self') refuses an inline <style>.
		opts.Stylesheet = "/static/report.css?v=" + h.Renderer.StaticHash("report.css")
	}
	if err := Write(&buf, r, f, opts); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, f.ContentType())
	c.Set(fiber.HeaderCacheControl, "no-store")
	if f == FormatCSV || f == FormatXLSX {
		c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+FileName(r, f)+`"`)
	}
	return c.Send(buf.Bytes())
}

// OwnView is a contributor's standing: the running week and the weeks
// before it.
type OwnView struct {
	Tenant  string         `json:"tenant"`
	Parent  string         `json:"parent"`
	Current *WeekStanding  `json:"current"`
	Weeks   []WeekStanding `json:"weeks"`
}

// ownWeeks is how many weeks the own standing shows.
const ownWeeks = 8

func (h *Handler) own(c *fiber.Ctx) (*tenancy.Tenant, *OwnView, error) {
	t, ok := h.Registry.BySlug(c.Params("slug"))
	if !ok {
		return nil, nil, errs.NotFound("tenant_not_found", "Không tìm thấy đơn vị")
	}
	v := &OwnView{Tenant: t.Slug, Weeks: []WeekStanding{}}
	if t.ParentID == nil {
		return t, v, nil
	}
	if p, ok := h.Registry.ByID(*t.ParentID); ok {
		v.Parent = p.Slug
	}
	now := h.now()
	to := WeekOf(now)
	from := to
	for range ownWeeks - 1 {
		from = from.Prev()
	}
	st, err := Standing(c.UserContext(), h.DB, *t.ParentID, t.ID, from, to, now)
	if err != nil {
		return nil, nil, err
	}
	if len(st) > 0 {
		v.Current = &st[len(st)-1]
		v.Weeks = st
	}
	return t, v, nil
}

// apiOwn answers GET /api/v1/tenants/{slug}/quota.
func (h *Handler) apiOwn(c *fiber.Ctx) error {
	_, v, err := h.own(c)
	if err != nil {
		return err
	}
	return c.JSON(v)
}
