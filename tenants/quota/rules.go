package quota

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/uptrace/bun"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/trangtin/trangtin/platform/tenancy"
)

// State is how a contributor stands in one week.
type State string

// The week states of the contract.
const (
	StateMet    State = "met"
	StateMissed State = "missed"
	StateOpen   State = "open"
	StateExempt State = "exempt"
)

// Label is the state in Vietnamese, shown beside its colour.
func (s State) Label() string {
	switch s {
	case StateMet:
		return "Đạt"
	case StateMissed:
		return "Thiếu"
	case StateOpen:
		return "Đang mở"
	case StateExempt:
		return "Miễn"
	}
	return string(s)
}

// Symbol is the state's sign in tables: ✓, ✗, … or –.
func (s State) Symbol() string {
	switch s {
	case StateMet:
		return "✓"
	case StateMissed:
		return "✗"
	case StateOpen:
		return "…"
	}
	return "–"
}

// Reasons a week is exempt without an office decision.
const (
	ReasonNotOnboarded = "Chưa tham gia hệ thống"
	ReasonInactive     = "Tạm dừng hoạt động"
	ReasonNoQuota      = "Không giao chỉ tiêu"
)

// WeekStanding is one contributor-week: the items counted, the state, the
// quota in force and, for an exempt week, why.
type WeekStanding struct {
	Week    string `json:"week"`
	Counted int    `json:"counted"`
	State   State  `json:"state"`
	Quota   int    `json:"quota"`
	Reason  string `json:"reason,omitempty"`
}

// contributor is a child tenant as the rules need it.
type contributor struct {
	ID           string         `bun:"id"`
	Slug         string         `bun:"slug"`
	Name         string         `bun:"name"`
	Kind         tenancy.Kind   `bun:"kind"`
	Status       tenancy.Status `bun:"status"`
	QuotaPerWeek int            `bun:"quota_per_week"`
	OnboardedAt  time.Time      `bun:"onboarded_at"`
	UpdatedAt    time.Time      `bun:"updated_at"`
}

// loadContributors lists the children of parentID that the period [from,
// to) judges: every child not archived, and archived ones that sent
// something in the period; only onlyID when set. Sorted by Vietnamese name.
func loadContributors(ctx context.Context, idb bun.IDB, parentID, onlyID string, from, to time.Time) ([]contributor, error) {
	var cs []contributor
	q := `SELECT t.id, t.slug, t.name, t.kind, t.status, t.quota_per_week, t.onboarded_at, t.updated_at
		FROM tenants AS t
		WHERE t.parent_id = ?
		  AND (t.status <> 'archived' OR EXISTS (SELECT 1 FROM submissions AS s
		       WHERE s.parent_tenant_id = t.parent_id AND s.child_tenant_id = t.id
		         AND s.first_sent_at >= ? AND s.first_sent_at < ?))`
	args := []any{parentID, from.UTC(), to.UTC()}
	if onlyID != "" {
		q += ` AND t.id = ?`
		args = append(args, onlyID)
	}
	if err := idb.NewRaw(q, args...).Scan(ctx, &cs); err != nil {
		return nil, fmt.Errorf("load contributors: %w", err)
	}
	col := collate.New(language.Vietnamese)
	sort.SliceStable(cs, func(i, j int) bool {
		if c := col.CompareString(cs[i].Name, cs[j].Name); c != 0 {
			return c < 0
		}
		return cs[i].Slug < cs[j].Slug
	})
	return cs, nil
}

// span is a time a tenant was not active; to is zero while it lasts.
type span struct{ from, to time.Time }

// calendar holds what judges a parent's weeks besides the items: quota
// history, exemptions and inactive spans.
type calendar struct {
	quotas   map[string][]QuotaChange
	all      map[string]string            // week → reason
	one      map[string]map[string]string // tenant → week → reason
	inactive map[string][]span
}

// loadCalendar reads the calendar of parentID's children for weeks from..to.
func loadCalendar(ctx context.Context, idb bun.IDB, parentID, onlyID string, cs []contributor, from, to Week) (*calendar, error) {
	cal := &calendar{all: map[string]string{}, one: map[string]map[string]string{}, inactive: map[string][]span{}}
	var err error
	if cal.quotas, err = quotaHistory(ctx, idb, parentID, onlyID); err != nil {
		return nil, err
	}
	ex, err := Exemptions(ctx, idb, parentID, from, to)
	if err != nil {
		return nil, err
	}
	for _, e := range ex {
		if e.TenantID == nil {
			cal.all[e.Week] = e.Reason
			continue
		}
		if cal.one[*e.TenantID] == nil {
			cal.one[*e.TenantID] = map[string]string{}
		}
		cal.one[*e.TenantID][e.Week] = e.Reason
	}
	var rows []StatusChange
	q := idb.NewSelect().Model(&rows).Where("tenant_id IN (SELECT id FROM tenants WHERE parent_id = ?)", parentID).
		Order("tenant_id", "changed_at")
	if onlyID != "" {
		q = q.Where("tenant_id = ?", onlyID)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("load status history: %w", err)
	}
	byTenant := map[string][]StatusChange{}
	for _, r := range rows {
		byTenant[r.TenantID] = append(byTenant[r.TenantID], r)
	}
	for _, c := range cs {
		cal.inactive[c.ID] = inactiveSpans(c, byTenant[c.ID])
	}
	return cal, nil
}

// inactiveSpans turns a tenant's status history into the spans it was not
// active. A tenant not active now whose history does not say so (changed
// before the history was kept) counts as inactive since its updated_at.
func inactiveSpans(c contributor, hist []StatusChange) []span {
	var out []span
	active := true
	for _, h := range hist {
		switch {
		case h.Status != string(tenancy.StatusActive) && active:
			out = append(out, span{from: h.ChangedAt})
			active = false
		case h.Status == string(tenancy.StatusActive) && !active:
			out[len(out)-1].to = h.ChangedAt
			active = true
		}
	}
	if c.Status != tenancy.StatusActive && active {
		out = append(out, span{from: c.UpdatedAt})
	}
	return out
}

// judge is the standing of contributor c in week w with counted items.
func (cal *calendar) judge(c contributor, w Week, counted int, now time.Time) WeekStanding {
	key := w.String()
	ws := WeekStanding{Week: key, Counted: counted, Quota: quotaIn(cal.quotas[c.ID], w, c.QuotaPerWeek)}
	exempt := func(reason string) WeekStanding { ws.State, ws.Reason = StateExempt, reason; return ws }
	if r, ok := cal.all[key]; ok {
		return exempt(r)
	}
	if r, ok := cal.one[c.ID][key]; ok {
		return exempt(r)
	}
	if c.OnboardedAt.After(w.Start()) {
		return exempt(ReasonNotOnboarded)
	}
	for _, s := range cal.inactive[c.ID] {
		if s.from.Before(w.End()) && (s.to.IsZero() || s.to.After(w.Start())) {
			return exempt(ReasonInactive)
		}
	}
	switch {
	case ws.Quota == 0:
		return exempt(ReasonNoQuota)
	case counted >= ws.Quota:
		ws.State = StateMet
	case !now.Before(w.End()):
		ws.State = StateMissed
	default:
		ws.State = StateOpen
	}
	return ws
}

// countWeeks counts the items that count, per child and week, first sent
// to parentID in [from, to) (one child when onlyID is set).
func countWeeks(ctx context.Context, idb bun.IDB, parentID, onlyID string, from, to time.Time) (map[string]map[string]int, error) {
	var rows []struct {
		ChildID     string    `bun:"child_tenant_id"`
		FirstSentAt time.Time `bun:"first_sent_at"`
	}
	q := `SELECT s.child_tenant_id, s.first_sent_at FROM submissions AS s
		WHERE s.parent_tenant_id = ? AND s.first_sent_at >= ? AND s.first_sent_at < ?
		  AND s.origin = 'sent' AND s.counts AND s.state <> 'withdrawn'`
	args := []any{parentID, from.UTC(), to.UTC()}
	if onlyID != "" {
		q += ` AND s.child_tenant_id = ?`
		args = append(args, onlyID)
	}
	if err := idb.NewRaw(q, args...).Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("count items per week: %w", err)
	}
	out := map[string]map[string]int{}
	for _, r := range rows {
		if out[r.ChildID] == nil {
			out[r.ChildID] = map[string]int{}
		}
		out[r.ChildID][WeekOf(r.FirstSentAt).String()]++
	}
	return out, nil
}
