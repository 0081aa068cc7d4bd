package quota

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/tenancy"
)

// Row is one contributor's standing over a run of weeks.
type Row struct {
	ID           string         `json:"-"`
	Slug         string         `json:"slug"`
	Name         string         `json:"name"`
	Kind         tenancy.Kind   `json:"kind"`
	QuotaPerWeek int            `json:"quota_per_week"`
	Weeks        []WeekStanding `json:"weeks"`
	Tally
}

// Tally counts weeks by state and the items counted in them.
type Tally struct {
	Met     int `json:"weeks_met"`
	Missed  int `json:"weeks_missed"`
	Exempt  int `json:"weeks_exempt"`
	Open    int `json:"weeks_open"`
	Counted int `json:"counted"`
	// Compliance is Met ÷ (Met + Missed); nil when no week was judged.
	Compliance *float64 `json:"compliance"`
}

// add counts one week.
func (t *Tally) add(ws WeekStanding) {
	t.Counted += ws.Counted
	switch ws.State {
	case StateMet:
		t.Met++
	case StateMissed:
		t.Missed++
	case StateExempt:
		t.Exempt++
	case StateOpen:
		t.Open++
	}
	t.Compliance = rate(t.Met, t.Met+t.Missed)
}

// merge adds another tally.
func (t *Tally) merge(o Tally) {
	t.Met += o.Met
	t.Missed += o.Missed
	t.Exempt += o.Exempt
	t.Open += o.Open
	t.Counted += o.Counted
	t.Compliance = rate(t.Met, t.Met+t.Missed)
}

// rate is n ÷ d rounded to four places, nil when d is 0.
func rate(n, d int) *float64 {
	if d == 0 {
		return nil
	}
	r := float64(int(float64(n)/float64(d)*10000+0.5)) / 10000
	return &r
}

// Grid is every contributor of parentID × weeks (in order, contiguous),
// judged at now.
func Grid(ctx context.Context, idb bun.IDB, parentID string, weeks []Week, now time.Time) ([]Row, error) {
	return grid(ctx, idb, parentID, "", weeks, now, nil)
}

// grid judges the children of parentID (one when onlyID is set) in weeks.
// counts (child → week → items counted) is read from the database when nil.
func grid(ctx context.Context, idb bun.IDB, parentID, onlyID string, weeks []Week, now time.Time, counts map[string]map[string]int) ([]Row, error) {
	if len(weeks) == 0 {
		return nil, nil
	}
	from, to := weeks[0].Start(), weeks[len(weeks)-1].End()
	cs, err := loadContributors(ctx, idb, parentID, onlyID, from, to)
	if err != nil {
		return nil, err
	}
	cal, err := loadCalendar(ctx, idb, parentID, cs, weeks[0], weeks[len(weeks)-1])
	if err != nil {
		return nil, err
	}
	if counts == nil {
		if counts, err = countWeeks(ctx, idb, parentID, onlyID, from, to); err != nil {
			return nil, err
		}
	}
	if err := addSendsElsewhere(ctx, idb, parentID, cs, from, to, counts); err != nil {
		return nil, err
	}
	rows := make([]Row, 0, len(cs))
	last := weeks[len(weeks)-1]
	for _, c := range cs {
		r := Row{ID: c.ID, Slug: c.Slug, Name: c.Name, Kind: c.Kind, QuotaPerWeek: quotaIn(cal.quotas[c.ID], last, c.QuotaPerWeek)}
		for _, w := range weeks {
			ws := cal.judge(c, w, counts[c.ID][w.String()], now)
			r.Weeks = append(r.Weeks, ws)
			r.add(ws)
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// Standing is one contributor's standing in each week from..to
// (inclusive), judged at now. The contributor must be a child of parentID.
func Standing(ctx context.Context, idb bun.IDB, parentID, contributorID string, from, to Week, now time.Time) ([]WeekStanding, error) {
	if to.Before(from) {
		return nil, nil
	}
	var weeks []Week
	for w := from; !to.Before(w); w = w.Next() {
		weeks = append(weeks, w)
	}
	rows, err := grid(ctx, idb, parentID, contributorID, weeks, now, nil)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, nil
	}
	return rows[0].Weeks, nil
}

// Current is a contributor's standing in the running week, for its
// console dashboard.
type Current struct {
	TenantSlug string
	TenantName string
	ParentName string
	Week       Week
	WeekStanding
	// Left is the time until the week ends.
	Left time.Duration
}

// DaysLeft is the whole days left in the week (0 on its last day).
func (c *Current) DaysLeft() int { return int(c.Left / (24 * time.Hour)) }

// Text is the one line of the dashboard: "Tuần này: đã gửi 0/1 — còn 2 ngày".
func (c *Current) Text() string {
	head := fmt.Sprintf("Tuần này: đã gửi %d/%d", c.Counted, c.Quota)
	switch {
	case c.State == StateExempt:
		return fmt.Sprintf("Tuần này: được miễn chỉ tiêu (%s), đã gửi %d", c.Reason, c.Counted)
	case c.State == StateMet:
		return head + " — đã đạt chỉ tiêu"
	case c.DaysLeft() == 0:
		return head + " — hôm nay là ngày cuối tuần"
	}
	return fmt.Sprintf("%s — còn %d ngày", head, c.DaysLeft())
}

// CurrentStanding is tenant t's standing toward its parent in the week of
// now; nil when t has no parent (the department itself).
func CurrentStanding(ctx context.Context, idb bun.IDB, t *tenancy.Tenant, now time.Time) (*Current, error) {
	if t == nil || t.ParentID == nil {
		return nil, nil
	}
	w := WeekOf(now)
	st, err := Standing(ctx, idb, *t.ParentID, t.ID, w, w, now)
	if err != nil || len(st) == 0 {
		return nil, err
	}
	var parent string
	if err := idb.NewSelect().Table("tenants").Column("name").Where("id = ?", *t.ParentID).Scan(ctx, &parent); err != nil {
		return nil, fmt.Errorf("load parent name: %w", err)
	}
	return &Current{TenantSlug: t.Slug, TenantName: t.Name, ParentName: parent, Week: w, WeekStanding: st[0],
		Left: w.End().Sub(now)}, nil
}
