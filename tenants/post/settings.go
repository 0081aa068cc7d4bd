package post

import (
	"context"
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/audit"
	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/web"
)

// MaxRepublishDelayMin is the longest minimum delay, in minutes, a tenant
// may ask between a press article and its republication (one week).
const MaxRepublishDelayMin = 7 * 24 * 60

// ActionSettingsChanged is the audit action of a change of a tenant's settings.
const ActionSettingsChanged = "settings.changed"

// SettingsInput changes a tenant's editorial settings; a nil field keeps
// its current value.
type SettingsInput struct {
	MFARequired          *bool `json:"mfa_required"`
	AlwaysSecondReviewer *bool `json:"always_second_reviewer"`
	RepublishDelayMin    *int  `json:"republish_delay_min"`
}

// UpdateSettings changes a tenant's editorial settings in one transaction
// with its audit event; the console's form and the API both call it.
func (s *Service) UpdateSettings(ctx context.Context, tenantID, actorID, ip string, in SettingsInput) (*Settings, error) {
	if d := in.RepublishDelayMin; d != nil && (*d < 0 || *d > MaxRepublishDelayMin) {
		return nil, errs.Invalid("republish_delay_min", "republish_delay_range",
			fmt.Sprintf("Thời gian chờ đăng lại phải là số phút từ 0 đến %d", MaxRepublishDelayMin))
	}
	var out *Settings
	err := db.InTx(ctx, s.DB, func(ctx context.Context, tx bun.Tx) error {
		cur, err := SettingsOf(ctx, tx, tenantID)
		if err != nil {
			return err
		}
		if in.MFARequired != nil {
			cur.MFARequired = *in.MFARequired
		}
		if in.AlwaysSecondReviewer != nil {
			cur.AlwaysSecondReviewer = *in.AlwaysSecondReviewer
		}
		if in.RepublishDelayMin != nil {
			cur.RepublishDelayMin = *in.RepublishDelayMin
		}
		if err := SaveSettings(ctx, tx, cur, s.now()); err != nil {
			return err
		}
		out = cur
		return s.Audit.Record(ctx, tx, audit.Event{TenantID: tenantID, ActorID: actorID, Action: ActionSettingsChanged, IP: ip,
			Detail: map[string]any{"mfa_required": cur.MFARequired, "always_second_reviewer": cur.AlwaysSecondReviewer,
				"republish_delay_min": cur.RepublishDelayMin}})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// SettingsView is the API's tenant settings.
type SettingsView struct {
	MFARequired          bool       `json:"mfa_required"`
	AlwaysSecondReviewer bool       `json:"always_second_reviewer"`
	RepublishDelayMin    int        `json:"republish_delay_min"`
	UpdatedAt            *time.Time `json:"updated_at"`
}

func viewSettings(s *Settings) SettingsView {
	v := SettingsView{MFARequired: s.MFARequired, AlwaysSecondReviewer: s.AlwaysSecondReviewer, RepublishDelayMin: s.RepublishDelayMin}
	if !s.UpdatedAt.IsZero() {
		v.UpdatedAt = &s.UpdatedAt
	}
	return v
}

func (a *API) settings(c *fiber.Ctx) error {
	s, err := SettingsOf(c.UserContext(), a.Service.DB, a.tenant(c).ID)
	if err != nil {
		return err
	}
	return c.JSON(viewSettings(s))
}

func (a *API) updateSettings(c *fiber.Ctx) error {
	var in SettingsInput
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	s, err := a.Service.UpdateSettings(c.UserContext(), a.tenant(c).ID, web.Account(c).AccountID, web.ClientIP(c), in)
	if err != nil {
		return err
	}
	return c.JSON(viewSettings(s))
}
