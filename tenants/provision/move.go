package provision

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
)

// Move puts the tenant under the parent named parentSlug from now on, in
// one audited transaction: the new parent must be able to take it (not
// the tenant itself or one of its descendants, not an office or union, not
// archived or merged). Its history gets a version, so reports before the
// move keep it under the old parent; the OnMove hooks withdraw what it
// still had pending at the old parent.
func (p *Provisioner) Move(ctx context.Context, tenantID, parentSlug string, c Change) (*tenancy.Tenant, error) {
	c, err := c.clean()
	if err != nil {
		return nil, err
	}
	parentSlug = strings.TrimSpace(parentSlug)
	if parentSlug == "" {
		return nil, errs.Invalid("parent", "parent_required", "Cần chọn đơn vị cha mới")
	}
	return p.changeTenant(ctx, tenantID, func(ctx context.Context, tx bun.Tx, t *tenancy.Tenant) error {
		to, err := loadParent(ctx, tx, parentSlug)
		if err != nil {
			return err
		}
		if t.ParentID != nil && *t.ParentID == to.ID {
			return errs.Invalid("parent", "same_parent", fmt.Sprintf("Đơn vị %q đã trực thuộc %q", t.Slug, to.Slug))
		}
		if to.ID == t.ID {
			return errs.Invalid("parent", "parent_loop", "Đơn vị không thể là đơn vị cha của chính mình")
		}
		if err := CheckNoLoop(ctx, tx, t.ID, to.ID); errs.Is(err, errs.KindInvalid) {
			return errs.Invalid("parent", "parent_descendant",
				fmt.Sprintf("Không thể chuyển %q vào %q: %q là đơn vị cấp dưới của %q", t.Slug, to.Slug, to.Slug, t.Slug))
		} else if err != nil {
			return err
		}
		return p.move(ctx, tx, t, to, p.now(), c)
	})
}

// move re-parents t under to inside tx (checks done), records it and runs
// the hooks.
func (p *Provisioner) move(ctx context.Context, tx bun.Tx, t, to *tenancy.Tenant, at time.Time, c Change) error {
	var from *tenancy.Tenant
	if t.ParentID != nil {
		var err error
		if from, err = tenancy.ByID(ctx, tx, *t.ParentID); err != nil {
			return err
		}
	}
	t.ParentID, t.ParentSlug, t.UpdatedAt = &to.ID, to.Slug, at
	// A governing body that was the old parent (the default Create gives)
	// follows the move; one the tenant's profile named otherwise stays.
	if t.GoverningBody == "" || (from != nil && t.GoverningBody == from.Name) {
		t.GoverningBody = to.Name
	}
	if _, err := tx.NewUpdate().Model(t).Column("parent_id", "governing_body", "updated_at").WherePK().Exec(ctx); err != nil {
		return fmt.Errorf("move %s: %w", t.Slug, err)
	}
	detail := map[string]any{"to": to.Slug}
	if from != nil {
		detail["from"] = from.Slug
	}
	if err := record(ctx, tx, t, OpMove, at, c, detail); err != nil {
		return err
	}
	m := &Move{Tenant: t, From: from, To: to, At: at, Change: c}
	for _, h := range p.Lifecycle.OnMove {
		if err := h(ctx, tx, m); err != nil {
			return err
		}
	}
	return nil
}
