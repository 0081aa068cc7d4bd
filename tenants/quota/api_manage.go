package quota

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/trangtin/trangtin/platform/web"
)

// The API of what the Office manages (quotas, exempt weeks, snapshots):
// the same Service calls as the console's forms. The parent is named by
// ?parent= like the report's.

func (h *Handler) apiQuotas(c *fiber.Ctx) error {
	parent, err := h.parent(c)
	if err != nil {
		return err
	}
	items, err := h.service().Contributors(c.UserContext(), parent)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": items, "next": ""})
}

type quotaBody struct {
	Tenant       string `json:"tenant"`
	QuotaPerWeek *int   `json:"quota_per_week"`
	From         string `json:"from"`
	Reason       string `json:"reason"`
}

func (h *Handler) apiSetQuota(c *fiber.Ctx) error {
	parent, err := h.parent(c)
	if err != nil {
		return err
	}
	var b quotaBody
	if err := web.DecodeJSON(c, &b); err != nil {
		return err
	}
	q := -1 // a missing quota is out of range, as an empty form field
	if b.QuotaPerWeek != nil {
		q = *b.QuotaPerWeek
	}
	cq, err := h.service().SetQuota(c.UserContext(), parent, QuotaRequest{Tenant: b.Tenant, Quota: q, From: b.From,
		Reason: b.Reason, ActorID: web.Account(c).AccountID})
	if err != nil {
		return err
	}
	return c.JSON(cq)
}

// ExemptionView is the API's exempt week; Tenant is nil when it exempts
// every contributor.
type ExemptionView struct {
	ID        string    `json:"id"`
	Week      string    `json:"week"`
	Tenant    *string   `json:"tenant"`
	Reason    string    `json:"reason"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

func (h *Handler) viewExemption(e *Exemption) ExemptionView {
	v := ExemptionView{ID: e.ID, Week: e.Week, Reason: e.Reason, CreatedBy: e.CreatedBy, CreatedAt: e.CreatedAt}
	if e.TenantID != nil {
		if t, ok := h.Registry.ByID(*e.TenantID); ok {
			v.Tenant = &t.Slug
		}
	}
	return v
}

func (h *Handler) apiExemptions(c *fiber.Ctx) error {
	parent, err := h.parent(c)
	if err != nil {
		return err
	}
	var from, to Week
	if s := c.Query("from"); s != "" {
		if from, err = ParseWeek(s); err != nil {
			return err
		}
	}
	if s := c.Query("to"); s != "" {
		if to, err = ParseWeek(s); err != nil {
			return err
		}
	}
	ex, err := Exemptions(c.UserContext(), h.DB, parent.ID, from, to)
	if err != nil {
		return err
	}
	items := make([]ExemptionView, 0, len(ex))
	for i := range ex {
		items = append(items, h.viewExemption(&ex[i]))
	}
	return c.JSON(fiber.Map{"items": items, "next": ""})
}

type exemptionBody struct {
	Tenant string `json:"tenant"`
	Week   string `json:"week"`
	Reason string `json:"reason"`
}

func (h *Handler) apiAddExemption(c *fiber.Ctx) error {
	parent, err := h.parent(c)
	if err != nil {
		return err
	}
	var b exemptionBody
	if err := web.DecodeJSON(c, &b); err != nil {
		return err
	}
	e, err := h.service().AddExemption(c.UserContext(), parent, ExemptionRequest{Tenant: b.Tenant, Week: b.Week,
		Reason: b.Reason, ActorID: web.Account(c).AccountID})
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(h.viewExemption(e))
}

func (h *Handler) apiRemoveExemption(c *fiber.Ctx) error {
	parent, err := h.parent(c)
	if err != nil {
		return err
	}
	if err := h.service().RemoveExemption(c.UserContext(), parent, c.Params("id"), web.Account(c).AccountID); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// SnapshotView is the API's snapshot of a monthly report (without its data:
// GET /api/v1/reports/quota serves the latest).
type SnapshotView struct {
	ID        string    `json:"id"`
	Month     string    `json:"month"`
	Reason    string    `json:"reason"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

func viewSnapshot(s *Snapshot) SnapshotView {
	return SnapshotView{ID: s.ID, Month: s.Month, Reason: s.Reason, CreatedBy: s.CreatedBy, CreatedAt: s.CreatedAt}
}

func (h *Handler) apiSnapshots(c *fiber.Ctx) error {
	parent, err := h.parent(c)
	if err != nil {
		return err
	}
	p, err := ParseMonth(c.Query("month"))
	if err != nil {
		return err
	}
	ss, err := Snapshots(c.UserContext(), h.DB, parent.ID, p.Key)
	if err != nil {
		return err
	}
	items := make([]SnapshotView, 0, len(ss))
	for i := range ss {
		items = append(items, viewSnapshot(&ss[i]))
	}
	return c.JSON(fiber.Map{"items": items, "next": ""})
}

type snapshotBody struct {
	Month  string `json:"month"`
	Reason string `json:"reason"`
}

// apiSnapshot answers POST /api/v1/reports/quota/snapshots {month, reason}.
func (h *Handler) apiSnapshot(c *fiber.Ctx) error {
	parent, err := h.parent(c)
	if err != nil {
		return err
	}
	var b snapshotBody
	if err := web.DecodeJSON(c, &b); err != nil {
		return err
	}
	s, err := h.service().Snapshot(c.UserContext(), parent, b.Month, b.Reason, web.Account(c).AccountID)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(viewSnapshot(s))
}
