package api

import (
	"context"
	"net/url"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/platform/web"
	"github.com/trangtin/trangtin/tenants/provision"
)

// lifecycleRoutes registers the tenant lifecycle of the contract (move,
// merge, suspend, resume, archive) and the domains, for accounts that
// manage tenants (platform admins), and the tenant's history for anyone
// who sees the tenant. Each answers the tenant as it is after the change.
func (h *Handler) lifecycleRoutes(r fiber.Router) {
	manage := func() fiber.Handler { return h.Authz.Require(authz.TenantManage, h.bySlug) }
	r.Get("/tenants/:slug/history", h.Authz.Require(authz.TenantView, h.bySlug), h.history)
	r.Post("/tenants/:slug/move", manage(), h.move)
	r.Post("/tenants/:slug/merge", manage(), h.merge)
	r.Post("/tenants/:slug/suspend", manage(), h.status(h.Provisioner.Suspend))
	r.Post("/tenants/:slug/resume", manage(), h.status(h.Provisioner.Resume))
	r.Post("/tenants/:slug/archive", manage(), h.status(h.Provisioner.Archive))
	r.Post("/tenants/:slug/domains", manage(), h.addDomain)
	r.Delete("/tenants/:slug/domains/:domain", manage(), h.removeDomain)
}

// LifecycleInput is the body of the lifecycle routes: the field the
// operation needs and, always, why.
type LifecycleInput struct {
	Parent string `json:"parent"`
	Into   string `json:"into"`
	Domain string `json:"domain"`
	Reason string `json:"reason"`
}

// input reads the body (an empty one is allowed: resume needs nothing)
// and who acts.
func (h *Handler) input(c *fiber.Ctx) (LifecycleInput, provision.Change, error) {
	var in LifecycleInput
	if len(c.Body()) > 0 {
		if err := web.DecodeJSON(c, &in); err != nil {
			return in, provision.Change{}, err
		}
	}
	return in, provision.Change{ActorID: web.Account(c).AccountID, IP: web.ClientIP(c), Reason: in.Reason}, nil
}

// answer reloads the registry (this process serves the change at once;
// the others within a second) and answers the tenant.
func (h *Handler) answer(c *fiber.Ctx, t *tenancy.Tenant, err error) error {
	if err != nil {
		return err
	}
	if err := h.Registry.Refresh(c.UserContext()); err != nil {
		return err
	}
	return c.JSON(t.Detail())
}

func (h *Handler) move(c *fiber.Ctx) error {
	in, ch, err := h.input(c)
	if err != nil {
		return err
	}
	t, err := h.Provisioner.Move(c.UserContext(), authz.TenantID(c), in.Parent, ch)
	return h.answer(c, t, err)
}

func (h *Handler) merge(c *fiber.Ctx) error {
	in, ch, err := h.input(c)
	if err != nil {
		return err
	}
	t, err := h.Provisioner.Merge(c.UserContext(), authz.TenantID(c), in.Into, ch)
	return h.answer(c, t, err)
}

type statusFunc func(ctx context.Context, tenantID string, c provision.Change) (*tenancy.Tenant, error)

func (h *Handler) status(fn statusFunc) fiber.Handler {
	return func(c *fiber.Ctx) error {
		_, ch, err := h.input(c)
		if err != nil {
			return err
		}
		t, err := fn(c.UserContext(), authz.TenantID(c), ch)
		return h.answer(c, t, err)
	}
}

func (h *Handler) addDomain(c *fiber.Ctx) error {
	in, ch, err := h.input(c)
	if err != nil {
		return err
	}
	t, err := h.Provisioner.AddDomain(c.UserContext(), authz.TenantID(c), in.Domain, ch)
	if err == nil {
		c.Status(fiber.StatusCreated)
	}
	return h.answer(c, t, err)
}

// removeDomain answers DELETE …/domains/{domain}?reason=.
func (h *Handler) removeDomain(c *fiber.Ctx) error {
	d, err := url.PathUnescape(c.Params("domain"))
	if err != nil {
		d = c.Params("domain")
	}
	ch := provision.Change{ActorID: web.Account(c).AccountID, IP: web.ClientIP(c), Reason: c.Query("reason")}
	t, err := h.Provisioner.RemoveDomain(c.UserContext(), authz.TenantID(c), d, ch)
	return h.answer(c, t, err)
}

// HistoryEntry is one version of a tenant as the API shows it.
type HistoryEntry struct {
	Op     string         `json:"op"`
	At     time.Time      `json:"at"`
	Slug   string         `json:"slug"`
	Name   string         `json:"name"`
	Parent string         `json:"parent"`
	Status tenancy.Status `json:"status"`
	Reason string         `json:"reason"`
	Actor  string         `json:"actor"`
}

// history answers GET /api/v1/tenants/{slug}/history: every version of
// the tenant, oldest first.
func (h *Handler) history(c *fiber.Ctx) error {
	id := authz.TenantID(c)
	vs, err := tenancy.Versions(c.UserContext(), h.DB, []string{id})
	if err != nil {
		return err
	}
	out := List[HistoryEntry]{Items: []HistoryEntry{}}
	for _, v := range vs[id] {
		e := HistoryEntry{Op: v.Op, At: v.ValidFrom, Slug: v.Slug, Name: v.Name, Status: v.Status, Reason: v.Reason, Actor: v.ActorID}
		if v.ParentID != nil {
			if p, ok := h.Registry.ByID(*v.ParentID); ok {
				e.Parent = p.Slug
			}
		}
		out.Items = append(out.Items, e)
	}
	return c.JSON(out)
}
