// Package api serves the platform part of the JSON API on the admin host:
// the caller (/api/v1/me) and tenants (/api/v1/tenants). Feature packages
// register their own API routes; all of them share the conventions set
// here: Bearer token or session + CSRF, 401/403/404 as the contract says,
// {"error": {...}} bodies from web.ErrorHandler, lists as {"items","next"}.
package api

import (
	"sort"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/account"
	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/platform/web"
	"github.com/trangtin/trangtin/tenants/provision"
)

// Handler serves /api/v1/me and /api/v1/tenants.
type Handler struct {
	DB          *bun.DB
	Authz       *authz.Enforcer
	Registry    *tenancy.Registry
	Provisioner *provision.Provisioner
	// Description is served at /api/v1/openapi.json and rendered at /api/docs.
	Description *Description
	Renderer    *web.Renderer
}

// Routes registers the routes under /api/v1.
func (h *Handler) Routes(r fiber.Router) {
	r.Get("/openapi.json", authz.RequirePublic(), h.openapi)
	r.Get("/me", authz.RequireAuthenticated(), h.me)
	r.Get("/tenants", authz.RequireAuthenticated(), h.tenants)
	r.Post("/tenants", h.Authz.Require(authz.TenantOnboard, nil), h.createTenant)
	r.Get("/tenants/:slug", h.Authz.Require(authz.TenantView, h.bySlug), h.tenant)
	r.Patch("/tenants/:slug", h.Authz.Require(authz.TenantSettings, h.bySlug), h.patchTenant)
	h.lifecycleRoutes(r)
}

func (h *Handler) bySlug(c *fiber.Ctx) (*tenancy.Tenant, error) { return web.SlugTenant(h.Registry, c) }

// List is the contract's list envelope.
type List[T any] struct {
	Items []T    `json:"items"`
	Next  string `json:"next"`
}

// Me is the contract's account shape.
type Me struct {
	ID            string       `json:"id"`
	Email         string       `json:"email"`
	Name          string       `json:"name"`
	PlatformRoles []string     `json:"platform_roles"`
	Tenants       []Membership `json:"tenants"`
}

// Membership is a tenant with the caller's roles in it.
type Membership struct {
	Slug  string   `json:"slug"`
	Name  string   `json:"name"`
	Roles []string `json:"roles"`
}

func (h *Handler) me(c *fiber.Ctx) error {
	p := web.Account(c)
	a, err := account.ByID(c.UserContext(), h.DB, p.AccountID)
	if err != nil {
		return err
	}
	out := Me{ID: a.ID, Email: a.Email, Name: a.Name, PlatformRoles: []string{}, Tenants: []Membership{}}
	for domain, roles := range h.Authz.Assignments(a.ID) {
		roles = append([]string(nil), roles...)
		sort.Strings(roles)
		if domain == authz.PlatformDomain {
			out.PlatformRoles = roles
			continue
		}
		if t, ok := h.Registry.ByID(domain); ok {
			out.Tenants = append(out.Tenants, Membership{Slug: t.Slug, Name: t.Name, Roles: roles})
		}
	}
	sort.Slice(out.Tenants, func(i, j int) bool { return out.Tenants[i].Slug < out.Tenants[j].Slug })
	return c.JSON(out)
}

func (h *Handler) tenants(c *fiber.Ctx) error {
	p := web.Account(c)
	all := h.Authz.Allowed(p.AccountID, authz.PlatformDomain, authz.TenantView)
	out := List[tenancy.View]{Items: []tenancy.View{}}
	for _, t := range h.Registry.All() {
		if all || h.Authz.Member(p.AccountID, t.ID) {
			out.Items = append(out.Items, t.View())
		}
	}
	return c.JSON(out)
}

// TenantInput is the body of POST /api/v1/tenants: the fields of
// `trangtin tenant create`.
type TenantInput struct {
	Slug         string       `json:"slug"`
	Name         string       `json:"name"`
	Kind         tenancy.Kind `json:"kind"`
	Parent       string       `json:"parent"`
	Domains      []string     `json:"domains"`
	NoSite       bool         `json:"no_site"`
	QuotaPerWeek *int         `json:"quota_per_week"`
}

func (h *Handler) createTenant(c *fiber.Ctx) error {
	var in TenantInput
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	t, err := h.Provisioner.Create(c.UserContext(), provision.Input{
		Slug: in.Slug, Name: in.Name, Kind: in.Kind, Parent: in.Parent,
		Domains: in.Domains, NoSite: in.NoSite, Quota: in.QuotaPerWeek, ActorID: web.Account(c).AccountID,
	})
	if err != nil {
		return err
	}
	if err := h.Registry.Refresh(c.UserContext()); err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(t.View())
}

// tenant answers GET /api/v1/tenants/{slug}: the tenant with its profile
// and what Decree 42 still needs from it.
func (h *Handler) tenant(c *fiber.Ctx) error {
	t, err := tenancy.ByID(c.UserContext(), h.DB, authz.TenantID(c))
	if err != nil {
		return err
	}
	t.ParentSlug = h.parentSlug(t)
	return c.JSON(t.Detail())
}

// patchTenant answers PATCH /api/v1/tenants/{slug}: name, English name and
// profile (site-admin of the tenant or platform-admin); a new slug only
// from accounts that manage tenants (platform admins).
func (h *Handler) patchTenant(c *fiber.Ctx) error {
	var in provision.ProfilePatch
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	if in.Slug != nil {
		if err := h.Authz.Check(web.Account(c).AccountID, authz.PlatformDomain, authz.TenantManage); err != nil {
			return err
		}
	}
	t, err := h.Provisioner.UpdateProfile(c.UserContext(), authz.TenantID(c), web.Account(c).AccountID, web.ClientIP(c), in)
	if err != nil {
		return err
	}
	if err := h.Registry.Refresh(c.UserContext()); err != nil {
		return err
	}
	t.ParentSlug = h.parentSlug(t)
	return c.JSON(t.Detail())
}

func (h *Handler) parentSlug(t *tenancy.Tenant) string {
	if t.ParentID == nil {
		return ""
	}
	if p, ok := h.Registry.ByID(*t.ParentID); ok {
		return p.Slug
	}
	return ""
}
