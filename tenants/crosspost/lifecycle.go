package crosspost

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/tenants/post"
)

// WithdrawPending withdraws, inside the caller's transaction, what child
// still has pending at parentID (sent and waiting, or returned for a
// re-send that would go to that parent): a tenant that moves or merges no
// longer answers to it. Each submission records the note; the child's
// board and the parent's are told. It returns how many were withdrawn.
func WithdrawPending(ctx context.Context, tx bun.Tx, childID, parentID, actorID, note string, at time.Time) (int, error) {
	var subs []Submission
	if err := tx.NewSelect().Model(&subs).
		Where("parent_tenant_id = ? AND child_tenant_id = ? AND state IN (?)", parentID, childID, bun.List([]State{StateSent, StateReturned})).
		Order("first_sent_at").Scan(ctx); err != nil {
		return 0, fmt.Errorf("list pending submissions: %w", err)
	}
	for i := range subs {
		sub := &subs[i]
		sub.State, sub.UpdatedAt = StateWithdrawn, at
		if err := save(ctx, tx, sub); err != nil {
			return 0, err
		}
		if err := record(ctx, tx, sub, "withdrawn", actorID, note, at); err != nil {
			return 0, err
		}
	}
	if len(subs) == 0 {
		return 0, nil
	}
	msg := fmt.Sprintf("%d bài đang chờ xử lý đã được rút khỏi hộp thư của đơn vị cấp trên cũ: %s", len(subs), note)
	if err := post.Notify(ctx, tx, childID, "", "submissions_withdrawn", msg, "/t/"+slugOf(ctx, tx, childID)+PathSent); err != nil {
		return 0, err
	}
	msg = fmt.Sprintf("%d bài gửi lên đã được rút khỏi hộp thư: %s", len(subs), note)
	return len(subs), post.Notify(ctx, tx, parentID, "", "submissions_withdrawn", msg, "/t/"+slugOf(ctx, tx, parentID)+PathInbox)
}

// MergeSubmissions carries tenant from's submissions to tenant into,
// inside a merge's transaction, after the items moved (post.MergeItems):
// each keeps counting for from in the quota (contributor_id), pending ones
// are withdrawn first unless into answers to the same parent, and copies
// anywhere that cite one of from's items as their original cite into, so
// their "Nguồn:" link still finds it.
func MergeSubmissions(ctx context.Context, tx bun.Tx, from, into string, fromParent, intoParent *string, actorID, note string, at time.Time) error {
	if fromParent != nil && (intoParent == nil || *intoParent != *fromParent) {
		if _, err := WithdrawPending(ctx, tx, from, *fromParent, actorID, note, at); err != nil {
			return err
		}
	}
	if _, err := tx.NewRaw(`UPDATE submissions SET contributor_id = COALESCE(contributor_id, child_tenant_id), child_tenant_id = ?
		WHERE child_tenant_id = ?`, into, from).Exec(ctx); err != nil {
		return fmt.Errorf("merge submissions: %w", err)
	}
	if _, err := tx.NewRaw(`UPDATE posts SET origin_tenant_id = ? WHERE origin_tenant_id = ?`, into, from).Exec(ctx); err != nil {
		return fmt.Errorf("merge submissions: provenance: %w", err)
	}
	return nil
}

// slugOf is a tenant's slug for a console link ("" if it cannot be read).
func slugOf(ctx context.Context, idb bun.IDB, tenantID string) string {
	var s string
	_ = idb.NewSelect().Table("tenants").Column("slug").Where("id = ?", tenantID).Scan(ctx, &s)
	return s
}
