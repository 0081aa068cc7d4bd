package quota

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/audit"
	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/platform/vntext"
)

// MaxQuota is the largest weekly quota (as provisioning allows).
const MaxQuota = 50

// baselineWeek keys the quota a tenant had before its first recorded change.
const baselineWeek = "0000-W00"

// QuotaChange is one entry of a contributor's quota history: from
// EffectiveWeek on, the quota is Quota.
type QuotaChange struct {
	bun.BaseModel `bun:"table:quota_history"`

	TenantID      string    `bun:"tenant_id,pk"`
	ID            string    `bun:"id,pk"`
	EffectiveWeek string    `bun:"effective_week"`
	Quota         int       `bun:"quota"`
	Reason        string    `bun:"reason"`
	ChangedBy     string    `bun:"changed_by"`
	CreatedAt     time.Time `bun:"created_at"`
}

// Exemption marks a week exempt for every contributor of a parent
// (TenantID nil) or for one.
type Exemption struct {
	bun.BaseModel `bun:"table:quota_exemptions"`

	ParentTenantID string    `bun:"parent_tenant_id,pk"`
	ID             string    `bun:"id,pk"`
	TenantID       *string   `bun:"tenant_id"`
	Week           string    `bun:"week"`
	Reason         string    `bun:"reason"`
	CreatedBy      string    `bun:"created_by"`
	CreatedAt      time.Time `bun:"created_at"`
}

// StatusChange is one change of a tenant's status.
type StatusChange struct {
	bun.BaseModel `bun:"table:tenant_status_history"`

	TenantID  string    `bun:"tenant_id,pk"`
	ID        string    `bun:"id,pk"`
	Status    string    `bun:"status"`
	ChangedAt time.Time `bun:"changed_at"`
	ChangedBy string    `bun:"changed_by"`
	Note      string    `bun:"note"`
}

// child loads a child tenant of parentID, or NotFound.
func child(ctx context.Context, idb bun.IDB, parentID, tenantID string) (*tenancy.Tenant, error) {
	t := new(tenancy.Tenant)
	err := idb.NewSelect().Model(t).Where("id = ? AND parent_id = ?", tenantID, parentID).Scan(ctx)
	if err != nil {
		return nil, db.NotFound(err, "load contributor", "tenant_not_found", "Không tìm thấy đơn vị")
	}
	return t, nil
}

// QuotaInput is a change of a contributor's weekly quota.
type QuotaInput struct {
	TenantID string
	Quota    int
	// From is the first week the new quota applies to.
	From    Week
	Reason  string
	ActorID string
}

// SetQuota records a new weekly quota for a child of parentID from in.From
// on, keeping the history, and sets tenants.quota_per_week to the quota in
// force at now. The first change also records the quota held until then.
func SetQuota(ctx context.Context, idb bun.IDB, parentID string, in QuotaInput, now time.Time) error {
	if in.Quota < 0 || in.Quota > MaxQuota {
		return errs.Invalid("quota_per_week", "quota_range", fmt.Sprintf("Chỉ tiêu tuần phải từ 0 đến %d", MaxQuota))
	}
	if in.From.Year == 0 {
		return errs.Invalid("week", "week_required", "Chưa chọn tuần áp dụng")
	}
	return db.InTx(ctx, idb, func(ctx context.Context, tx bun.Tx) error {
		t, err := child(ctx, tx, parentID, in.TenantID)
		if err != nil {
			return err
		}
		n, err := tx.NewSelect().Model((*QuotaChange)(nil)).Where("tenant_id = ?", t.ID).Count(ctx)
		if err != nil {
			return fmt.Errorf("count quota history: %w", err)
		}
		rows := []*QuotaChange{}
		if n == 0 {
			rows = append(rows, &QuotaChange{TenantID: t.ID, ID: db.NewID(), EffectiveWeek: baselineWeek,
				Quota: t.QuotaPerWeek, Reason: "Chỉ tiêu trước lần thay đổi đầu tiên", CreatedAt: now.UTC()})
		}
		rows = append(rows, &QuotaChange{TenantID: t.ID, ID: db.NewID(), EffectiveWeek: in.From.String(), Quota: in.Quota,
			Reason: vntext.NFC(strings.TrimSpace(in.Reason)), ChangedBy: in.ActorID, CreatedAt: now.UTC().Add(time.Microsecond)})
		if _, err := tx.NewInsert().Model(&rows).Exec(ctx); err != nil {
			return fmt.Errorf("insert quota history: %w", err)
		}
		hist, err := quotaHistory(ctx, tx, parentID, t.ID)
		if err != nil {
			return err
		}
		current := quotaIn(hist[t.ID], WeekOf(now), in.Quota)
		if _, err := tx.NewUpdate().Table("tenants").Set("quota_per_week = ?", current).Set("updated_at = ?", now.UTC()).
			Where("id = ? AND parent_id = ?", t.ID, parentID).Exec(ctx); err != nil {
			return fmt.Errorf("update quota: %w", err)
		}
		if err := tenancy.BumpGeneration(ctx, tx, tenancy.GenerationTenants); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{TenantID: t.ID, ActorID: in.ActorID, Action: "quota.set", Subject: t.Slug,
			Detail: map[string]any{"quota": in.Quota, "from": in.From.String(), "reason": in.Reason}})
	})
}

// quotaHistory loads the quota history of the children of parentID (one
// child when tenantID is set), ordered for quotaIn.
func quotaHistory(ctx context.Context, idb bun.IDB, parentID, tenantID string) (map[string][]QuotaChange, error) {
	var rows []QuotaChange
	q := idb.NewSelect().Model(&rows).
		Where("tenant_id IN (SELECT id FROM tenants WHERE parent_id = ?)", parentID).
		Order("tenant_id", "effective_week", "created_at")
	if tenantID != "" {
		q = q.Where("tenant_id = ?", tenantID)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("load quota history: %w", err)
	}
	out := map[string][]QuotaChange{}
	for _, r := range rows {
		out[r.TenantID] = append(out[r.TenantID], r)
	}
	return out, nil
}

// quotaHistoryOf loads the quota history of tenants ids, ordered for
// quotaIn.
func quotaHistoryOf(ctx context.Context, idb bun.IDB, ids []string) (map[string][]QuotaChange, error) {
	out := map[string][]QuotaChange{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []QuotaChange
	if err := idb.NewSelect().Model(&rows).Where("tenant_id IN (?)", bun.List(ids)).
		Order("tenant_id", "effective_week", "created_at").Scan(ctx); err != nil {
		return nil, fmt.Errorf("load quota history: %w", err)
	}
	for _, r := range rows {
		out[r.TenantID] = append(out[r.TenantID], r)
	}
	return out, nil
}

// quotaIn is the quota in force in week w: the latest change effective at
// or before w, else def (the tenant's quota_per_week: no history yet).
func quotaIn(hist []QuotaChange, w Week, def int) int {
	key := w.String()
	q := def
	for _, h := range hist {
		if h.EffectiveWeek > key {
			break
		}
		q = h.Quota
	}
	return q
}

// QuotaHistory lists a child's quota changes, oldest first.
func QuotaHistory(ctx context.Context, idb bun.IDB, parentID, tenantID string) ([]QuotaChange, error) {
	h, err := quotaHistory(ctx, idb, parentID, tenantID)
	return h[tenantID], err
}

// ExemptionInput marks a week exempt; TenantID empty means every contributor.
type ExemptionInput struct {
	TenantID string
	Week     Week
	Reason   string
	ActorID  string
}

// AddExemption marks a week exempt for the children of parentID (or one).
func AddExemption(ctx context.Context, idb bun.IDB, parentID string, in ExemptionInput, now time.Time) (*Exemption, error) {
	reason := vntext.NFC(strings.TrimSpace(in.Reason))
	if reason == "" {
		return nil, errs.Invalid("reason", "reason_required", "Cần ghi lý do miễn chỉ tiêu")
	}
	if in.Week.Year == 0 {
		return nil, errs.Invalid("week", "week_required", "Chưa chọn tuần")
	}
	e := &Exemption{ParentTenantID: parentID, ID: db.NewID(), Week: in.Week.String(), Reason: reason,
		CreatedBy: in.ActorID, CreatedAt: now.UTC()}
	subject := "*"
	err := db.InTx(ctx, idb, func(ctx context.Context, tx bun.Tx) error {
		if in.TenantID != "" {
			t, err := child(ctx, tx, parentID, in.TenantID)
			if err != nil {
				return err
			}
			e.TenantID, subject = &t.ID, t.Slug
		}
		if _, err := tx.NewInsert().Model(e).Exec(ctx); err != nil {
			if db.IsUniqueViolation(err) {
				return errs.Conflict("exemption_exists", "Tuần này đã được miễn")
			}
			return fmt.Errorf("insert exemption: %w", err)
		}
		return audit.Record(ctx, tx, audit.Event{TenantID: parentID, ActorID: in.ActorID, Action: "quota.exempt",
			Subject: subject, Detail: map[string]any{"week": e.Week, "reason": reason}})
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// RemoveExemption deletes an exemption of parentID.
func RemoveExemption(ctx context.Context, idb bun.IDB, parentID, id, actorID string) error {
	return db.InTx(ctx, idb, func(ctx context.Context, tx bun.Tx) error {
		var e Exemption
		if err := tx.NewSelect().Model(&e).Where("parent_tenant_id = ? AND id = ?", parentID, id).Scan(ctx); err != nil {
			return db.NotFound(err, "load exemption", "exemption_not_found", "Không tìm thấy tuần miễn")
		}
		if _, err := tx.NewDelete().Model(&e).WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("delete exemption: %w", err)
		}
		return audit.Record(ctx, tx, audit.Event{TenantID: parentID, ActorID: actorID, Action: "quota.exempt_removed",
			Subject: e.Week, Detail: map[string]any{"week": e.Week, "reason": e.Reason}})
	})
}

// Exemptions lists the exemptions of parentID from week from to week to
// (inclusive; zero weeks leave that end open), by week.
func Exemptions(ctx context.Context, idb bun.IDB, parentID string, from, to Week) ([]Exemption, error) {
	var out []Exemption
	q := idb.NewSelect().Model(&out).Where("parent_tenant_id = ?", parentID).Order("week", "created_at")
	if from.Year != 0 {
		q = q.Where("week >= ?", from.String())
	}
	if to.Year != 0 {
		q = q.Where("week <= ?", to.String())
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("list exemptions: %w", err)
	}
	return out, nil
}

// RecordStatus writes a change of a tenant's status to its history. Call
// it in the transaction that changes tenants.status (suspend, resume,
// archive), so weeks while a contributor was not active are exempt.
func RecordStatus(ctx context.Context, idb bun.IDB, tenantID string, status tenancy.Status, at time.Time, actorID, note string) error {
	c := &StatusChange{TenantID: tenantID, ID: db.NewID(), Status: string(status), ChangedAt: at.UTC(), ChangedBy: actorID, Note: note}
	if _, err := idb.NewInsert().Model(c).Exec(ctx); err != nil {
		return fmt.Errorf("record tenant status: %w", err)
	}
	return nil
}
