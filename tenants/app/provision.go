package app

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/config"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/tenants/board"
	"github.com/trangtin/trangtin/tenants/crosspost"
	"github.com/trangtin/trangtin/tenants/media"
	"github.com/trangtin/trangtin/tenants/post"
	"github.com/trangtin/trangtin/tenants/provision"
	"github.com/trangtin/trangtin/tenants/question"
	"github.com/trangtin/trangtin/tenants/quota"
	"github.com/trangtin/trangtin/tenants/site"
)

// NewProvisioner is the one place the onboarding and lifecycle steps of
// every feature are attached, so the command line, the API, the console
// and the demo change tenants identically.
func NewProvisioner(cfg config.Config, bdb *bun.DB) *provision.Provisioner {
	return &provision.Provisioner{DB: bdb, BaseDomain: cfg.BaseDomain, AdminHost: cfg.AdminHost, Lifecycle: lifecycle()}
}

// lifecycle lists what each feature does when a tenant moves, merges or
// changes status. The merge steps run in this order: items are copied
// before the submissions that refer to them are re-keyed, and the
// originals go last.
func lifecycle() provision.Lifecycle {
	return provision.Lifecycle{
		OnMove: []func(context.Context, bun.Tx, *provision.Move) error{withdrawAtOldParent},
		OnMerge: []func(context.Context, bun.Tx, *provision.Merge) error{
			mergeItems,
			func(ctx context.Context, tx bun.Tx, m *provision.Merge) error {
				return crosspost.MergeSubmissions(ctx, tx, m.From.ID, m.Into.ID, m.From.ParentID, m.Into.ParentID,
					m.ActorID, mergeNote(m), m.At)
			},
			func(ctx context.Context, tx bun.Tx, m *provision.Merge) error {
				return media.MergeRows(ctx, tx, m.From.ID, m.Into.ID)
			},
			func(ctx context.Context, tx bun.Tx, m *provision.Merge) error {
				return board.MergeHistory(ctx, tx, m.From.ID, m.Into.ID)
			},
			func(ctx context.Context, tx bun.Tx, m *provision.Merge) error {
				return question.MergeRows(ctx, tx, m.From.ID, m.Into.ID)
			},
			func(ctx context.Context, tx bun.Tx, m *provision.Merge) error {
				return post.DropMergedItems(ctx, tx, m.From.ID)
			},
		},
		OnStatus:  []func(context.Context, bun.Tx, *tenancy.Tenant, tenancy.Status, time.Time, provision.Change) error{recordStatus},
		ItemPaths: site.ItemPaths,
	}
}

func mergeItems(ctx context.Context, tx bun.Tx, m *provision.Merge) error {
	renamed, err := post.MergeItems(ctx, tx, m.From.ID, m.Into.ID, m.Sections)
	for old, nu := range renamed {
		m.Renamed[old] = nu
	}
	return err
}

// withdrawAtOldParent withdraws what a moved tenant still had pending at
// its old parent, telling both.
func withdrawAtOldParent(ctx context.Context, tx bun.Tx, m *provision.Move) error {
	if m.From == nil {
		return nil
	}
	note := "Đơn vị " + m.Tenant.Name + " đã chuyển sang trực thuộc " + m.To.Name
	if m.Reason != "" {
		note += " (" + m.Reason + ")"
	}
	_, err := crosspost.WithdrawPending(ctx, tx, m.Tenant.ID, m.From.ID, m.ActorID, note, m.At)
	return err
}

func mergeNote(m *provision.Merge) string {
	note := "Đơn vị " + m.From.Name + " đã hợp nhất vào " + m.Into.Name
	if m.Reason != "" {
		note += " (" + m.Reason + ")"
	}
	return note
}

// recordStatus keeps the quota's history of statuses, so weeks while a
// contributor was suspended or archived are exempt with the reason.
func recordStatus(ctx context.Context, tx bun.Tx, t *tenancy.Tenant, _ tenancy.Status, at time.Time, c provision.Change) error {
	return quota.RecordStatus(ctx, tx, t.ID, t.Status, at, c.ActorID, c.Reason)
}
