package console

import (
	"github.com/gofiber/fiber/v2"

	"github.com/trangtin/trangtin/platform/audit"
	"github.com/trangtin/trangtin/platform/tenancy"
)

// AuditPage lists audit events.
type AuditPage struct {
	Shell  *Shell
	Tenant *tenancy.Tenant
	Events []audit.Event
	Next   string
}

func (h *Handler) tenantAudit(c *fiber.Ctx) error {
	t, err := h.tenant(c)
	if err != nil {
		return err
	}
	sh, err := h.shell(c, t, "/nhat-ky")
	if err != nil {
		return err
	}
	id := t.ID
	page, err := h.Audit.List(c.UserContext(), h.DB, audit.Filter{TenantID: &id, Limit: 100, Before: c.Query("truoc")})
	if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "console/audit", AuditPage{Shell: sh, Tenant: t, Events: page.Items, Next: page.Next})
}

func (h *Handler) platformAudit(c *fiber.Ctx) error {
	sh, err := h.shell(c, nil, "")
	if err != nil {
		return err
	}
	page, err := h.Audit.List(c.UserContext(), h.DB, audit.Filter{Limit: 100, Before: c.Query("truoc")})
	if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "console/audit", AuditPage{Shell: sh, Events: page.Items, Next: page.Next})
}
