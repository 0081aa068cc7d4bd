package quota

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

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

// stateUpcoming is how an open week that has not begun is shown (Shown).
// It is not a state of the contract: the API still says open.
const stateUpcoming State = "upcoming"

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
	case stateUpcoming:
		return "Chưa đến"
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
	case stateUpcoming:
		return "·"
	}
	return "–"
}

// Reasons a week is exempt without an office decision.
const (
	ReasonNotOnboarded = "Chưa tham gia hệ thống"
	ReasonInactive     = "Tạm dừng hoạt động"
	ReasonArchived     = "Đã lưu trữ"
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
	// NotStarted marks an open week that begins after the time it was
	// judged at.
	NotStarted bool `json:"-"`
}

// Shown is the state a table shows: an open week that has not begun is
// "Chưa đến" in grey, not "Đang mở" in amber, which read as a contributor
// falling behind on weeks no one could have sent for yet.
func (ws WeekStanding) Shown() State {
	if ws.State == StateOpen && ws.NotStarted {
		return stateUpcoming
	}
	return ws.State
}

// span is a time a tenant was not active; to is zero while it lasts;
// reason says why (the status and the reason given for it).
type span struct {
	from, to time.Time
	reason   string
}

// calendar holds what judges a parent's weeks besides the items: quota
// history, exemptions and inactive spans.
type calendar struct {
	quotas   map[string][]QuotaChange
	all      map[string]string            // week → reason
	one      map[string]map[string]string // tenant → week → reason
	inactive map[string][]span
}

// loadCalendar reads the calendar of contributors cs of parentID for weeks
// from..to.
func loadCalendar(ctx context.Context, idb bun.IDB, parentID string, cs []contributor, from, to Week) (*calendar, error) {
	cal := &calendar{all: map[string]string{}, one: map[string]map[string]string{}, inactive: map[string][]span{}}
	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	var err error
	if cal.quotas, err = quotaHistoryOf(ctx, idb, ids); err != nil {
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
	if len(ids) > 0 {
		if err := idb.NewSelect().Model(&rows).Where("tenant_id IN (?)", bun.List(ids)).
			Order("tenant_id", "changed_at").Scan(ctx); err != nil {
			return nil, fmt.Errorf("load status history: %w", err)
		}
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
			out = append(out, span{from: h.ChangedAt, reason: inactiveReason(tenancy.Status(h.Status), h.Note)})
			active = false
		case h.Status != string(tenancy.StatusActive):
			// suspended, then archived: the span goes on with the new reason
			out[len(out)-1].reason = inactiveReason(tenancy.Status(h.Status), h.Note)
		case !active:
			out[len(out)-1].to = h.ChangedAt
			active = true
		}
	}
	if c.Status != tenancy.StatusActive && c.Status != tenancy.StatusMerged && active {
		out = append(out, span{from: c.UpdatedAt, reason: inactiveReason(c.Status, "")})
	}
	return out
}

// inactiveReason is the exemption reason of a week while a contributor
// was not active: the status and, when one was given, why.
func inactiveReason(st tenancy.Status, note string) string {
	r := ReasonInactive
	if st == tenancy.StatusArchived {
		r = ReasonArchived
	}
	if note != "" {
		r += ": " + note
	}
	return r
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
	if r := c.away(w); r != "" {
		return exempt(r)
	}
	for _, s := range cal.inactive[c.ID] {
		if s.from.Before(w.End()) && (s.to.IsZero() || s.to.After(w.Start())) {
			return exempt(s.reason)
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
		ws.State, ws.NotStarted = StateOpen, now.Before(w.Start())
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
	q := `SELECT COALESCE(s.contributor_id, s.child_tenant_id) AS child_tenant_id, s.first_sent_at FROM submissions AS s
		WHERE s.parent_tenant_id = ? AND s.first_sent_at >= ? AND s.first_sent_at < ?
		  AND s.origin = 'sent' AND s.counts AND s.state <> 'withdrawn'`
	args := []any{parentID, from.UTC(), to.UTC()}
	if onlyID != "" {
		q += ` AND COALESCE(s.contributor_id, s.child_tenant_id) = ?`
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
