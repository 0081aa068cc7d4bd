package provision

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
)

// Suspend closes the tenant for now: its site answers 503 with a notice,
// its board's console is read-only, its weeks owe no quota.
func (p *Provisioner) Suspend(ctx context.Context, tenantID string, c Change) (*tenancy.Tenant, error) {
	return p.setStatus(ctx, tenantID, tenancy.StatusSuspended, OpSuspend, c)
}

// Resume reopens a suspended or archived tenant.
func (p *Provisioner) Resume(ctx context.Context, tenantID string, c Change) (*tenancy.Tenant, error) {
	return p.setStatus(ctx, tenantID, tenancy.StatusActive, OpResume, c)
}

// Archive keeps the tenant's site readable, with a banner, and takes no new
// items; it owes no quota from then on.
func (p *Provisioner) Archive(ctx context.Context, tenantID string, c Change) (*tenancy.Tenant, error) {
	return p.setStatus(ctx, tenantID, tenancy.StatusArchived, OpArchive, c)
}

// setStatus changes the tenant's status in one audited transaction with a
// history version and the OnStatus hooks. Setting the status it already
// has changes nothing (a retried command is safe); a merged tenant's
// status never changes again.
func (p *Provisioner) setStatus(ctx context.Context, tenantID string, to tenancy.Status, op string, c Change) (*tenancy.Tenant, error) {
	c, err := c.clean()
	if err != nil {
		return nil, err
	}
	return p.changeTenant(ctx, tenantID, func(ctx context.Context, tx bun.Tx, t *tenancy.Tenant) error {
		from := t.Status
		if from == to {
			return nil
		}
		if to == tenancy.StatusArchived {
			if err := checkNoLiveChildren(ctx, tx, t); err != nil {
				return err
			}
		}
		now := p.now()
		t.Status, t.UpdatedAt = to, now
		if _, err := tx.NewUpdate().Model(t).Column("status", "updated_at").WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("set status of %s: %w", t.Slug, err)
		}
		if err := record(ctx, tx, t, op, now, c, map[string]any{"from": string(from), "to": string(to)}); err != nil {
			return err
		}
		for _, h := range p.Lifecycle.OnStatus {
			if err := h(ctx, tx, t, from, now, c); err != nil {
				return err
			}
		}
		return nil
	})
}

// checkNoLiveChildren refuses to archive a tenant whose children are
// neither archived nor merged: an archived parent could not take their
// sends.
func checkNoLiveChildren(ctx context.Context, idb bun.IDB, t *tenancy.Tenant) error {
	n, err := idb.NewSelect().Model((*tenancy.Tenant)(nil)).
		Where("parent_id = ? AND status IN (?)", t.ID, bun.List([]tenancy.Status{tenancy.StatusActive, tenancy.StatusSuspended})).Count(ctx)
	if err != nil {
		return fmt.Errorf("count children: %w", err)
	}
	if n > 0 {
		return errs.Invalid("slug", "has_children",
			fmt.Sprintf("Đơn vị %q còn %d đơn vị trực thuộc đang hoạt động; hãy chuyển hoặc lưu trữ các đơn vị đó trước", t.Slug, n))
	}
	return nil
}
