// Package console is the editorial console on the admin host: login with
// a second factor, the dashboard of the tenants an account belongs to, a
// tenant switcher, the editorial board and its roles, account settings and
// the audit log. Pages are server-rendered Vietnamese HTML that works
// without JavaScript; every route declares its permission (authz.Require),
// and every form carries the CSRF token.
package console

import (
	"context"
	"html/template"
	"sort"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/account"
	"github.com/trangtin/trangtin/platform/audit"
	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/platform/web"
	"github.com/trangtin/trangtin/tenants/board"
	"github.com/trangtin/trangtin/tenants/post"
	"github.com/trangtin/trangtin/tenants/provision"
)

// Handler serves the console pages.
type Handler struct {
	DB       *bun.DB
	Renderer *web.Renderer
	Accounts *account.Service
	Authz    *authz.Enforcer
	Audit    *audit.Log
	Registry *tenancy.Registry
	// Posts changes a tenant's item settings (the item pages are
	// post.Console's).
	Posts *post.Service
	// Board changes the editorial board and its roles (the API calls it too).
	Board *board.Service
	// MFARequired holds every account with a role to a second factor
	// (the platform's TRANGTIN_MFA_REQUIRED); tenants may require it too.
	MFARequired bool
	// Menu lets later features add entries to a tenant's menu.
	Menu []MenuEntry
	// Dashboard lets later features add lines to the dashboard for the
	// tenants the account works in (the quota standing of this week).
	Dashboard []func(ctx context.Context, tenants []*tenancy.Tenant) ([]template.HTML, error)
	// Extra lets later features register their own console routes; each
	// must declare its permission like the routes here.
	Extra []func(app fiber.Router)
	// Provisioner onboards and changes tenants (/don-vi), the same calls as
	// the command line and the API.
	Provisioner *provision.Provisioner
	// LastSent gives, per tenant id, when the tenant last sent an item to
	// its parent (the tree of /don-vi); nil shows none.
	LastSent func(ctx context.Context, tenantIDs []string) (map[string]time.Time, error)
	// Work lets later features add pending work to the dashboard of an
	// account (inbox counts, items the parent returned, the organisation's
	// week); each line links to the work.
	Work []func(ctx context.Context, accountID string) ([]Task, error)
}

// Task is one line of pending work on the dashboard.
type Task struct {
	Text, URL, LinkText string
	// Note is the words that came with the work (a return note).
	Note string
}

// MenuEntry is a tenant menu item shown when the account holds Perm there.
type MenuEntry struct {
	Label string
	Path  string // appended to /t/<slug>
	Perm  authz.Permission
}

// Shell is what the console layout needs on every page.
type Shell struct {
	Account *account.Account
	Tenants []TenantLink
	Current string
	Menu    []MenuItem
	Flash   *Flash
}

// TenantLink is a tenant in the switcher.
type TenantLink struct{ Slug, Name string }

// MenuItem is one entry of the tenant menu.
type MenuItem struct {
	Label, URL string
	Active     bool
}

// Flash is a one-time message after a redirect.
type Flash = web.Flash

// BySlug resolves the :slug route parameter to its tenant for authz guards.
func (h *Handler) BySlug(c *fiber.Ctx) (*tenancy.Tenant, error) { return web.SlugTenant(h.Registry, c) }

// tenant is the :slug tenant the route's guard checked.
func (h *Handler) tenant(c *fiber.Ctx) (*tenancy.Tenant, error) {
	if t := authz.Tenant(c); t != nil {
		return t, nil
	}
	return nil, errs.NotFound("tenant_not_found", "Không tìm thấy đơn vị")
}

// visibleTenants lists the tenants an account may open: all of them for a
// platform role that reads every tenant, else those it holds a role in or
// reaches through its organisation (office staff).
func (h *Handler) visibleTenants(accountID string) []*tenancy.Tenant {
	all := h.Registry.All()
	var out []*tenancy.Tenant
	if h.Authz.Allowed(accountID, authz.PlatformDomain, authz.TenantView) {
		return all
	}
	for _, t := range all {
		if h.Authz.Member(accountID, t.ID) {
			out = append(out, t)
		}
	}
	return out
}

// shell builds the layout data for the signed-in account.
func (h *Handler) shell(c *fiber.Ctx, current *tenancy.Tenant, active string) (*Shell, error) {
	p := web.Account(c)
	if p == nil {
		return &Shell{}, nil
	}
	a, err := account.ByID(c.UserContext(), h.DB, p.AccountID)
	if err != nil {
		return nil, err
	}
	s := &Shell{Account: a, Flash: web.TakeFlash(c)}
	if h.Provisioner != nil && h.Authz.Allowed(p.AccountID, authz.PlatformDomain, authz.TenantManage) {
		s.Menu = append(s.Menu, MenuItem{Label: "Quản lý đơn vị", URL: DonViPath, Active: active == DonViPath})
	}
	for _, t := range h.visibleTenants(p.AccountID) {
		s.Tenants = append(s.Tenants, TenantLink{Slug: t.Slug, Name: t.Name})
	}
	if current != nil {
		s.Current = current.Slug
		base := "/t/" + current.Slug
		items := append([]MenuEntry{
			{"Tổng quan", "", authz.TenantView},
			{"Bài viết", "/bai-viet", authz.TenantView},
			{"Chờ duyệt", "/cho-duyet", authz.PostReview},
			{"Ban Biên tập", "/ban-bien-tap", authz.BoardView},
			{"Phân quyền", "/vai-tro", authz.BoardManage},
			{"Nhật ký", "/nhat-ky", authz.AuditView},
		}, h.Menu...)
		for _, m := range items {
			if h.Authz.Allowed(p.AccountID, current.ID, m.Perm) {
				s.Menu = append(s.Menu, MenuItem{Label: m.Label, URL: base + m.Path, Active: m.Path == active})
			}
		}
	}
	return s, nil
}

// render renders a console page with the shell filled in.
func (h *Handler) render(c *fiber.Ctx, status int, page string, data any) error {
	return h.Renderer.Render(c, status, page, data)
}

// errorText is the message of an error to show on a form.
func errorText(err error) string {
	_, msg, _ := errs.Public(err)
	return msg
}

// userErrorStatus is the HTTP status of a user's mistake shown on its
// page (invalid input, a state conflict, a refused step), 0 otherwise.
func userErrorStatus(err error) int {
	switch errs.KindOf(err) {
	case errs.KindInvalid:
		return fiber.StatusUnprocessableEntity
	case errs.KindConflict:
		return fiber.StatusConflict
	case errs.KindForbidden:
		return fiber.StatusForbidden
	}
	return 0
}

// redirectWith sends the browser to path with a flash
// (web.RedirectWithFlash).
func redirectWith(c *fiber.Ctx, path, kind, text string) error {
	return web.RedirectWithFlash(c, path, kind, text)
}

func sortedRoles(roles []string) []string {
	out := append([]string(nil), roles...)
	sort.Strings(out)
	return out
}

// Shell builds the layout data for pages other packages render in the
// console (items, media library, inbox, quota).
func (h *Handler) Shell(c *fiber.Ctx, t *tenancy.Tenant, active string) (*Shell, error) {
	return h.shell(c, t, active)
}

// Layout is Shell as a web.ShellFunc, for the features below the console
// (post, media, crosspost) that render console pages: the one layout builder.
func (h *Handler) Layout(c *fiber.Ctx, t *tenancy.Tenant, active string) (any, error) {
	return h.shell(c, t, active)
}
