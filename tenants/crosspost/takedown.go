package crosspost

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/tenants/post"
)

// takeDown withdraws a copy inside the caller's transaction because its
// original was withdrawn: a public copy becomes withdrawn with the notice,
// one not yet public becomes unpublished (never shown with a notice it
// never needed). The step is recorded like any workflow step and the item
// hooks run, so copies of the copy follow.
func (s *Service) takeDown(ctx context.Context, tx bun.Tx, p *post.Post, actorID, notice string) error {
	from := p.Status
	switch from {
	case post.StatusWithdrawn, post.StatusUnpublished:
		return nil
	case post.StatusPublished:
		p.Status = post.StatusWithdrawn
	default:
		p.Status = post.StatusUnpublished
	}
	now := s.now()
	p.WithdrawReason, p.WithdrawnAt, p.ScheduledAt, p.UpdatedAt, p.UpdatedBy = notice, &now, nil, now, actorID
	_, err := tx.NewUpdate().Model(p).Column("status", "withdraw_reason", "withdrawn_at", "scheduled_at", "updated_at", "updated_by").
		Where("tenant_id = ? AND id = ?", p.TenantID, p.ID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("take down copy: %w", err)
	}
	tr := &post.Transition{TenantID: p.TenantID, ID: db.NewID(), PostID: p.ID, From: from, To: p.Status, ActorID: actorID, Note: notice, CreatedAt: now}
	if _, err := tx.NewInsert().Model(tr).Exec(ctx); err != nil {
		return fmt.Errorf("record transition: %w", err)
	}
	// Off the site, a pending edition has nothing left to replace.
	if err := post.DropEdition(ctx, tx, p); err != nil {
		return err
	}
	for _, fn := range s.Posts.AfterWrite {
		if err := fn(ctx, tx, p, "status:"+string(p.Status)); err != nil {
			return err
		}
	}
	return nil
}

// latestRevision is the number of an item's newest revision of its live
// text, leaving out attempted texts and pending editions (0 if
// none); "conflict" revisions hold text that was never saved.
func latestRevision(ctx context.Context, idb bun.IDB, tenantID, postID string) (int, error) {
	var n int
	err := idb.NewSelect().Model((*post.Revision)(nil)).ColumnExpr("COALESCE(MAX(number), 0)").
		Where("tenant_id = ? AND post_id = ? AND kind NOT IN (?)", tenantID, postID, bun.List([]string{"conflict", "edition"})).Scan(ctx, &n)
	if err != nil {
		return 0, fmt.Errorf("latest revision: %w", err)
	}
	return n, nil
}
