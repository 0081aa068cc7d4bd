package quota

import (
	"context"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
)

// Service changes what the Department Office manages — weekly quotas,
// exempt weeks, report snapshots — for the console's forms and the API
// alike, so both check, record and refuse the same way. Each change is one
// transaction with its audit event (see the store functions).
type Service struct {
	DB       *bun.DB
	Registry *tenancy.Registry
	// Now is the clock (default time.Now).
	Now func() time.Time
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// contributor resolves a slug to a child of parent.
func (s *Service) contributor(parent *tenancy.Tenant, slug string) (*tenancy.Tenant, error) {
	t, ok := s.Registry.BySlug(strings.TrimSpace(slug))
	if !ok || t.ParentID == nil || *t.ParentID != parent.ID {
		return nil, errs.Invalid("tenant", "tenant_unknown", "Chưa chọn phòng, đơn vị")
	}
	return t, nil
}

// QuotaRequest changes a contributor's weekly quota from a week on.
type QuotaRequest struct {
	// Tenant is the contributor's slug (a child of the parent).
	Tenant string
	Quota  int
	// From is the first week ("2026-W45") the quota applies to.
	From    string
	Reason  string
	ActorID string
}

// ContributorQuota is a contributor with the quota in force now and the
// history of its changes.
type ContributorQuota struct {
	Slug         string       `json:"tenant"`
	Name         string       `json:"name"`
	Kind         tenancy.Kind `json:"kind"`
	QuotaPerWeek int          `json:"quota_per_week"`
	History      []QuotaStep  `json:"history"`
}

// QuotaStep is one change of a contributor's quota; From is empty for
// the quota it held before its first recorded change.
type QuotaStep struct {
	From         string    `json:"from"`
	QuotaPerWeek int       `json:"quota_per_week"`
	Reason       string    `json:"reason"`
	ChangedBy    string    `json:"changed_by"`
	CreatedAt    time.Time `json:"created_at"`
}

// Contributors lists parent's contributors with their quota and its history.
func (s *Service) Contributors(ctx context.Context, parent *tenancy.Tenant) ([]ContributorQuota, error) {
	now := s.now()
	rows, err := Grid(ctx, s.DB, parent.ID, []Week{WeekOf(now)}, now)
	if err != nil {
		return nil, err
	}
	hist, err := quotaHistory(ctx, s.DB, parent.ID, "")
	if err != nil {
		return nil, err
	}
	out := make([]ContributorQuota, 0, len(rows))
	for _, r := range rows {
		cq := ContributorQuota{Slug: r.Slug, Name: r.Name, Kind: r.Kind, QuotaPerWeek: r.Weeks[0].Quota, History: []QuotaStep{}}
		for _, ch := range hist[r.ID] {
			from := ch.EffectiveWeek
			if from == baselineWeek {
				from = ""
			}
			cq.History = append(cq.History, QuotaStep{From: from, QuotaPerWeek: ch.Quota, Reason: ch.Reason, ChangedBy: ch.ChangedBy, CreatedAt: ch.CreatedAt})
		}
		out = append(out, cq)
	}
	return out, nil
}

// SetQuota records a contributor's new weekly quota (see SetQuota) and
// refreshes the tenant registry, which shows the quota in force.
func (s *Service) SetQuota(ctx context.Context, parent *tenancy.Tenant, in QuotaRequest) (*ContributorQuota, error) {
	t, err := s.contributor(parent, in.Tenant)
	if err != nil {
		return nil, err
	}
	w, err := ParseWeek(in.From)
	if e := errs.As(err); e != nil {
		return nil, errs.Invalid("from", e.Code, e.Message)
	}
	err = SetQuota(ctx, s.DB, parent.ID, QuotaInput{TenantID: t.ID, Quota: in.Quota, From: w, Reason: in.Reason, ActorID: in.ActorID}, s.now())
	if err != nil {
		return nil, err
	}
	if err := s.Registry.Refresh(ctx); err != nil {
		return nil, err
	}
	all, err := s.Contributors(ctx, parent)
	if err != nil {
		return nil, err
	}
	for i := range all {
		if all[i].Slug == t.Slug {
			return &all[i], nil
		}
	}
	return nil, errs.NotFound("tenant_not_found", "Không tìm thấy đơn vị")
}

// ExemptionRequest marks a week exempt; Tenant empty means every contributor.
type ExemptionRequest struct {
	Tenant  string
	Week    string
	Reason  string
	ActorID string
}

// AddExemption marks a week exempt for parent's contributors or one of them.
func (s *Service) AddExemption(ctx context.Context, parent *tenancy.Tenant, in ExemptionRequest) (*Exemption, error) {
	req := ExemptionInput{Reason: in.Reason, ActorID: in.ActorID}
	if strings.TrimSpace(in.Tenant) != "" {
		t, err := s.contributor(parent, in.Tenant)
		if err != nil {
			return nil, err
		}
		req.TenantID = t.ID
	}
	w, err := ParseWeek(in.Week)
	if err != nil {
		return nil, err
	}
	req.Week = w
	return AddExemption(ctx, s.DB, parent.ID, req, s.now())
}

// RemoveExemption deletes one of parent's exemptions; another parent's is NotFound.
func (s *Service) RemoveExemption(ctx context.Context, parent *tenancy.Tenant, id, actorID string) error {
	return RemoveExemption(ctx, s.DB, parent.ID, id, actorID)
}

// Snapshot computes parent's closed month now and stores it as a new
// snapshot with a reason (see SaveSnapshot).
func (s *Service) Snapshot(ctx context.Context, parent *tenancy.Tenant, month, reason, actorID string) (*Snapshot, error) {
	p, err := ParseMonth(month)
	if err != nil {
		return nil, err
	}
	r, err := Build(ctx, s.DB, parent.ID, p, s.now())
	if err != nil {
		return nil, err
	}
	return SaveSnapshot(ctx, s.DB, parent.ID, r, reason, actorID, s.now())
}
