package crosspost

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// LastSent gives, per child tenant, when it last sent an item to its
// parent (withdrawn sends count: they were sent); a tenant that never sent
// is absent.
func LastSent(ctx context.Context, idb bun.IDB, childIDs []string) (map[string]time.Time, error) {
	out := make(map[string]time.Time, len(childIDs))
	for _, id := range childIDs {
		var sub Submission
		err := idb.NewSelect().Model(&sub).Column("sent_at").Where("child_tenant_id = ?", id).
			Order("sent_at DESC").Limit(1).Scan(ctx)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("last send of %s: %w", id, err)
		}
		out[id] = sub.SentAt
	}
	return out, nil
}

// Waiting counts the items waiting for a decision in a parent's inbox.
func Waiting(ctx context.Context, idb bun.IDB, parentID string) (int, error) {
	n, err := idb.NewSelect().Model((*Submission)(nil)).Where("parent_tenant_id = ? AND state = ?", parentID, StateSent).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("count inbox: %w", err)
	}
	return int(n), nil
}

// ReturnedTo lists the child tenant's sends the parent returned and that
// were not sent again, newest first.
func ReturnedTo(ctx context.Context, idb bun.IDB, childID string, limit int) ([]Submission, error) {
	var subs []Submission
	err := idb.NewSelect().Model(&subs).Where("child_tenant_id = ? AND state = ?", childID, StateReturned).
		Order("decided_at DESC").Limit(int64(limit)).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("returned sends: %w", err)
	}
	return subs, nil
}
