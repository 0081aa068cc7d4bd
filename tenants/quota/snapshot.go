package quota

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/audit"
	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/vntext"
)

// ReasonMonthClosed is the reason of the snapshot taken when a month closes.
const ReasonMonthClosed = "Tự động khi kết thúc tháng"

// Snapshot is a stored monthly report. Rows are only ever inserted: the
// package has no update or delete of them.
type Snapshot struct {
	bun.BaseModel `bun:"table:quota_snapshots"`

	ParentTenantID string    `bun:"parent_tenant_id,pk"`
	ID             string    `bun:"id,pk"`
	Month          string    `bun:"month"`
	Reason         string    `bun:"reason"`
	CreatedBy      string    `bun:"created_by"`
	CreatedAt      time.Time `bun:"created_at"`
	Data           string    `bun:"data"`
}

// Report decodes the stored report and marks it as served from s.
func (s *Snapshot) Report() (*Report, error) {
	var r Report
	if err := json.Unmarshal([]byte(s.Data), &r); err != nil {
		return nil, fmt.Errorf("decode snapshot %s: %w", s.ID, err)
	}
	r.Snapshot = &SnapshotInfo{ID: s.ID, CreatedAt: s.CreatedAt, Reason: s.Reason}
	return &r, nil
}

// SaveSnapshot stores r as a new snapshot of its month for parentID. Only a
// closed month can be snapshotted.
func SaveSnapshot(ctx context.Context, idb bun.IDB, parentID string, r *Report, reason, actorID string, now time.Time) (*Snapshot, error) {
	reason = vntext.NFC(strings.TrimSpace(reason))
	if reason == "" {
		return nil, errs.Invalid("reason", "reason_required", "Cần ghi lý do chốt lại số liệu")
	}
	if !r.Closed {
		return nil, errs.Invalid("month", "month_open", "Tháng "+r.Month+" chưa kết thúc, chưa thể chốt số liệu")
	}
	stored := *r
	stored.Snapshot = nil
	b, err := json.Marshal(&stored)
	if err != nil {
		return nil, fmt.Errorf("encode snapshot: %w", err)
	}
	s := &Snapshot{ParentTenantID: parentID, ID: db.NewID(), Month: r.Month, Reason: reason, CreatedBy: actorID,
		CreatedAt: now.UTC(), Data: string(b)}
	err = db.InTx(ctx, idb, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(s).Exec(ctx); err != nil {
			return fmt.Errorf("insert snapshot: %w", err)
		}
		return audit.Record(ctx, tx, audit.Event{TenantID: parentID, ActorID: actorID, Action: "quota.snapshot",
			Subject: r.Month, Detail: map[string]any{"reason": reason, "snapshot": s.ID}})
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// LatestSnapshot is the newest snapshot of parentID's month, nil if none.
func LatestSnapshot(ctx context.Context, idb bun.IDB, parentID, month string) (*Snapshot, error) {
	s := new(Snapshot)
	err := idb.NewSelect().Model(s).Where("parent_tenant_id = ? AND month = ?", parentID, month).
		OrderExpr("created_at DESC, id DESC").Limit(1).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load snapshot: %w", err)
	}
	return s, nil
}

// Snapshots lists parentID's snapshots of a month, newest first, without data.
func Snapshots(ctx context.Context, idb bun.IDB, parentID, month string) ([]Snapshot, error) {
	var out []Snapshot
	err := idb.NewSelect().Model(&out).ExcludeColumn("data").Where("parent_tenant_id = ? AND month = ?", parentID, month).
		OrderExpr("created_at DESC, id DESC").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("list snapshots: %w", err)
	}
	return out, nil
}

// Get is the report the command, the API and the console serve: the latest
// snapshot of a closed month when there is one and live is false, else the
// report computed now.
func Get(ctx context.Context, idb bun.IDB, parentID string, p Period, live bool, now time.Time) (*Report, error) {
	if !live && p.Closed(now) {
		s, err := LatestSnapshot(ctx, idb, parentID, p.Key)
		if err != nil {
			return nil, err
		}
		if s != nil {
			return s.Report()
		}
	}
	return Build(ctx, idb, parentID, p, now)
}

// CloseMonth snapshots parentID's closed month p unless a snapshot exists;
// it reports whether it made one.
func CloseMonth(ctx context.Context, idb bun.IDB, parentID string, p Period, now time.Time) (bool, error) {
	if !p.Closed(now) {
		return false, nil
	}
	s, err := LatestSnapshot(ctx, idb, parentID, p.Key)
	if err != nil || s != nil {
		return false, err
	}
	r, err := Build(ctx, idb, parentID, p, now)
	if err != nil {
		return false, err
	}
	if _, err := SaveSnapshot(ctx, idb, parentID, r, ReasonMonthClosed, "", now); err != nil {
		return false, err
	}
	return true, nil
}
