package post

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// Items waiting for publication: approved, by an editor, and now waiting
// for someone holding post:publish. They are new items in state approved
// and published items whose pending edition is approved. A scheduled item
// does not wait (its job publishes it at its time): its state is scheduled,
// and an approved row carrying a schedule time is left out as well.

// AwaitingPublication lists a tenant's approved items waiting for
// publication (at most 200 new items, and their approved editions).
func AwaitingPublication(ctx context.Context, idb bun.IDB, tenantID string) ([]*Post, error) {
	ps, err := List(ctx, idb, tenantID, Filter{Statuses: []Status{StatusApproved}, Limit: 200})
	if err != nil {
		return nil, err
	}
	out := ps[:0]
	for _, p := range ps {
		if p.ScheduledAt == nil {
			out = append(out, p)
		}
	}
	eds, err := WithEditions(ctx, idb, tenantID, StatusApproved)
	if err != nil {
		return nil, err
	}
	return append(out, eds...), nil
}

// CountAwaitingPublication counts what AwaitingPublication lists, without
// its limit.
func CountAwaitingPublication(ctx context.Context, idb bun.IDB, tenantID string) (int, error) {
	n, err := idb.NewSelect().Model((*Post)(nil)).Where("p.tenant_id = ?", tenantID).
		Where("p.status = ?", StatusApproved).Where("p.scheduled_at IS NULL").Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("count approved posts: %w", err)
	}
	m, err := idb.NewSelect().Model((*Edition)(nil)).Where("tenant_id = ? AND status = ?", tenantID, StatusApproved).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("count approved editions: %w", err)
	}
	return int(n + m), nil
}

// Items waiting for review: submitted items, published items whose edition
// was submitted, and items published before anyone reviewed them ("Đăng
// khi chưa duyệt": public, and checked by nobody until someone other than
// the one who published them approves them).

// PublishedUnreviewed lists a tenant's items published without review
// (at most 200), newest change first.
func PublishedUnreviewed(ctx context.Context, idb bun.IDB, tenantID string) ([]*Post, error) {
	return List(ctx, idb, tenantID, Filter{Statuses: []Status{StatusPublished}, NotReviewed: true, Limit: 200})
}

// ReviewCounts is how much waits for a tenant's reviewers.
type ReviewCounts struct {
	// Submitted counts submitted items and submitted editions.
	Submitted int
	// Unreviewed counts items published without review.
	Unreviewed int
}

// CountAwaitingReview counts what the review queue lists, without its
// limits.
func CountAwaitingReview(ctx context.Context, idb bun.IDB, tenantID string) (ReviewCounts, error) {
	var rc ReviewCounts
	n, err := idb.NewSelect().Model((*Post)(nil)).Where("p.tenant_id = ? AND p.status = ?", tenantID, StatusSubmitted).Count(ctx)
	if err != nil {
		return rc, fmt.Errorf("count submitted posts: %w", err)
	}
	m, err := idb.NewSelect().Model((*Edition)(nil)).Where("tenant_id = ? AND status = ?", tenantID, StatusSubmitted).Count(ctx)
	if err != nil {
		return rc, fmt.Errorf("count submitted editions: %w", err)
	}
	u, err := idb.NewSelect().Model((*Post)(nil)).Where("p.tenant_id = ? AND p.status = ? AND p.not_reviewed = ?", tenantID, StatusPublished, true).Count(ctx)
	if err != nil {
		return rc, fmt.Errorf("count unreviewed posts: %w", err)
	}
	rc.Submitted, rc.Unreviewed = int(n+m), int(u)
	return rc, nil
}
