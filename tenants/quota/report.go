package quota

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/platform/vntext"
)

// Report is the monthly quota report. Its first three keys are the
// contract's; the rest are additions. It round-trips through JSON, so a
// snapshot renders in every format exactly as the live report did.
type Report struct {
	Month        string              `json:"month"`
	Weeks        []string            `json:"weeks"`
	Contributors []ContributorReport `json:"contributors"`

	Parent      Ref           `json:"parent"`
	Period      PeriodInfo    `json:"period"`
	GeneratedAt time.Time     `json:"generated_at"`
	Closed      bool          `json:"closed"`
	Snapshot    *SnapshotInfo `json:"snapshot,omitempty"`
	Totals      Totals        `json:"totals"`
	Timeliness  Timeliness    `json:"timeliness"`
	// FieldList is every field of the sector with the items that covered
	// it; UncoveredFields the codes no contributor covered.
	FieldList       []FieldInfo     `json:"field_list"`
	UncoveredFields []string        `json:"uncovered_fields"`
	Department      Department      `json:"department"`
	Pulled          []Listed        `json:"pulled"`
	Findings        []Listed        `json:"findings"`
	Exemptions      []ExemptionInfo `json:"exemptions"`
}

// Ref names a tenant.
type Ref struct {
	Slug string `json:"slug"`
	Name string `json:"name"`
}

// PeriodInfo is the span the report covers.
type PeriodInfo struct {
	From  time.Time `json:"from"`
	To    time.Time `json:"to"`
	Label string    `json:"label"`
}

// SnapshotInfo says which snapshot a report was served from.
type SnapshotInfo struct {
	ID        string    `json:"id"`
	CreatedAt time.Time `json:"created_at"`
	Reason    string    `json:"reason"`
}

// FieldInfo is a field of the sector and the contributors' items in it.
type FieldInfo struct {
	Code  string `json:"code"`
	Name  string `json:"name"`
	Items int    `json:"items"`
}

// ExemptionInfo is an exempt week of the period.
type ExemptionInfo struct {
	Week        string `json:"week"`
	Contributor string `json:"contributor"` // slug; "" for everyone
	Reason      string `json:"reason"`
}

// Counts are the item figures of a contributor or of all of them.
type Counts struct {
	Sent      int `json:"sent"`
	Accepted  int `json:"accepted"`
	Returned  int `json:"returned"`
	Refused   int `json:"refused"`
	Published int `json:"published"`
	InDepth   int `json:"in_depth"`
	// Pending were sent and wait for a decision.
	Pending int `json:"pending"`
	// NotCounted were sent but never count (republished press items).
	NotCounted int `json:"not_counted"`
	// Pulled were pulled by the parent from the contributor's site.
	Pulled int `json:"pulled"`
}

func (c *Counts) merge(o Counts) {
	c.Sent += o.Sent
	c.Accepted += o.Accepted
	c.Returned += o.Returned
	c.Refused += o.Refused
	c.Published += o.Published
	c.InDepth += o.InDepth
	c.Pending += o.Pending
	c.NotCounted += o.NotCounted
	c.Pulled += o.Pulled
}

// FindingTally sums the presentation findings of a contributor's items.
type FindingTally struct {
	Items    int `json:"items"`
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
}

// ContributorReport is one contributor's line of the report.
type ContributorReport struct {
	Slug         string         `json:"slug"`
	Name         string         `json:"name"`
	Kind         tenancy.Kind   `json:"kind"`
	QuotaPerWeek int            `json:"quota_per_week"`
	Weeks        []WeekStanding `json:"weeks"`
	Counts
	Fields map[string]int `json:"fields"`
	Tally
	Timeliness Timeliness   `json:"timeliness"`
	Findings   FindingTally `json:"findings"`
}

// Totals sums every contributor.
type Totals struct {
	Contributors int `json:"contributors"`
	Counts
	Tally
	Findings FindingTally `json:"findings"`
}

// Measure is the median and the worst of a set of delays.
type Measure struct {
	N      int      `json:"n"`
	Median *float64 `json:"median"`
	Worst  *float64 `json:"worst"`
}

// Timeliness: event→sent and event→published on the parent in calendar
// days (Vietnam dates), sent→decision in hours.
type Timeliness struct {
	EventToSent      Measure `json:"event_to_sent_days"`
	SentToDecision   Measure `json:"sent_to_decision_hours"`
	EventToPublished Measure `json:"event_to_published_days"`
}

// delays collects values for a Timeliness.
type delays struct{ eventSent, sentDecision, eventPublished []float64 }

func (d *delays) timeliness() Timeliness {
	return Timeliness{EventToSent: measure(d.eventSent), SentToDecision: measure(d.sentDecision),
		EventToPublished: measure(d.eventPublished)}
}

func measure(v []float64) Measure {
	m := Measure{N: len(v)}
	if len(v) == 0 {
		return m
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	med := s[len(s)/2]
	if len(s)%2 == 0 {
		med = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	med, worst := round1(med), round1(s[len(s)-1])
	m.Median, m.Worst = &med, &worst
	return m
}

func round1(f float64) float64 { return math.Round(f*10) / 10 }

// days is the number of calendar days from the event's date to t's date in
// Vietnam time (an event date is stored as midnight UTC of its day).
func days(event, t time.Time) float64 {
	ev := time.Date(event.Year(), event.Month(), event.Day(), 0, 0, 0, 0, time.UTC)
	tv := t.In(vntext.Location())
	day := time.Date(tv.Year(), tv.Month(), tv.Day(), 0, 0, 0, 0, time.UTC)
	return math.Round(day.Sub(ev).Hours() / 24)
}

// Build computes the report of parentID for period, live, at now. On
// PostgreSQL, given the database, it reads one consistent snapshot (a
// read-only repeatable-read transaction, so every figure describes the same
// instant) with JIT compilation off: the report's queries are many short
// index probes whose estimated cost would trigger JIT, which only adds
// compile time. On SQLite the queries run as they are (a transaction there
// would take the write lock).
func Build(ctx context.Context, idb bun.IDB, parentID string, p Period, now time.Time) (*Report, error) {
	bdb, ok := idb.(*bun.DB)
	if !ok || !db.IsPostgres(idb) {
		return build(ctx, idb, parentID, p, now)
	}
	var r *Report
	err := bdb.RunInTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.ExecContext(ctx, "SET LOCAL jit = off"); err != nil {
			return fmt.Errorf("report transaction: %w", err)
		}
		var err error
		r, err = build(ctx, tx, parentID, p, now)
		return err
	})
	return r, err
}

func build(ctx context.Context, idb bun.IDB, parentID string, p Period, now time.Time) (*Report, error) {
	var parent tenancy.Tenant
	if err := idb.NewSelect().Model(&parent).Where("id = ?", parentID).Scan(ctx); err != nil {
		return nil, fmt.Errorf("load parent: %w", err)
	}
	from, to := p.From(), p.To()
	name, err := nameThen(ctx, idb, &parent, to, now)
	if err != nil {
		return nil, err
	}
	r := &Report{Month: p.Key, Weeks: p.WeekKeys(), Contributors: []ContributorReport{},
		Parent: Ref{Slug: parent.Slug, Name: name}, Period: PeriodInfo{From: from, To: to, Label: p.Label()},
		GeneratedAt: now.UTC().Truncate(time.Second), Closed: p.Closed(now), UncoveredFields: []string{}, Exemptions: []ExemptionInfo{}}
	items, err := loadItems(ctx, idb, parentID, from, to)
	if err != nil {
		return nil, err
	}
	counts := map[string]map[string]int{}
	for i := range items {
		if it := &items[i]; it.counted() {
			if counts[it.ChildID] == nil {
				counts[it.ChildID] = map[string]int{}
			}
			counts[it.ChildID][WeekOf(it.FirstSentAt).String()]++
		}
	}
	rows, err := grid(ctx, idb, parentID, "", p.Weeks, now, counts)
	if err != nil {
		return nil, err
	}
	fields, err := fieldCounts(ctx, idb, parentID, from, to)
	if err != nil {
		return nil, err
	}
	sector, err := tenancy.Fields(ctx, idb)
	if err != nil {
		return nil, err
	}
	index := map[string]int{}
	byID := make([]delays, len(rows))
	for i, row := range rows {
		index[row.ID] = i
		c := ContributorReport{Slug: row.Slug, Name: row.Name, Kind: row.Kind, QuotaPerWeek: row.QuotaPerWeek,
			Weeks: row.Weeks, Tally: row.Tally, Fields: map[string]int{}}
		for _, f := range sector {
			c.Fields[f.Code] = fields[row.ID][f.Code]
		}
		r.Contributors = append(r.Contributors, c)
	}
	for i := range items {
		it := &items[i]
		ci, ok := index[it.ChildID]
		if !ok {
			continue
		}
		tally(&r.Contributors[ci], &byID[ci], it)
	}
	var all delays
	r.Totals.Contributors = len(r.Contributors)
	for i := range r.Contributors {
		c := &r.Contributors[i]
		c.Timeliness = byID[i].timeliness()
		all.eventSent = append(all.eventSent, byID[i].eventSent...)
		all.sentDecision = append(all.sentDecision, byID[i].sentDecision...)
		all.eventPublished = append(all.eventPublished, byID[i].eventPublished...)
		r.Totals.Counts.merge(c.Counts)
		r.Totals.Tally.merge(c.Tally)
		r.Totals.Findings.Items += c.Findings.Items
		r.Totals.Findings.Errors += c.Findings.Errors
		r.Totals.Findings.Warnings += c.Findings.Warnings
	}
	r.Timeliness = all.timeliness()
	for _, f := range sector {
		fi := FieldInfo{Code: f.Code, Name: f.Name}
		for _, c := range r.Contributors {
			fi.Items += c.Fields[f.Code]
		}
		if fi.Items == 0 {
			r.UncoveredFields = append(r.UncoveredFields, f.Code)
		}
		r.FieldList = append(r.FieldList, fi)
	}
	if r.Department, err = loadDepartment(ctx, idb, parentID, from, to); err != nil {
		return nil, err
	}
	if r.Pulled, r.Findings, err = pulledAndFindings(ctx, idb, parentID, from, to, items); err != nil {
		return nil, err
	}
	ex, err := Exemptions(ctx, idb, parentID, p.Weeks[0], p.Weeks[len(p.Weeks)-1])
	if err != nil {
		return nil, err
	}
	for _, e := range ex {
		ei := ExemptionInfo{Week: e.Week, Reason: e.Reason}
		if e.TenantID != nil {
			for _, row := range rows {
				if row.ID == *e.TenantID {
					ei.Contributor = row.Slug
				}
			}
		}
		r.Exemptions = append(r.Exemptions, ei)
	}
	return r, nil
}

// tally adds one submission to its contributor's figures.
func tally(c *ContributorReport, d *delays, it *item) {
	switch {
	case it.Origin == "pulled":
		c.Pulled++
		return
	case it.State == "withdrawn":
		return
	case !it.Counts:
		c.NotCounted++
		return
	}
	c.Sent++
	switch it.State {
	case "accepted":
		c.Accepted++
		if it.PublishedAt != nil {
			c.Published++
		}
	case "returned":
		c.Returned++
	case "refused":
		c.Refused++
	default:
		c.Pending++
	}
	if it.PostType == "in-depth" {
		c.InDepth++
	}
	if it.LintErrors+it.LintWarnings > 0 {
		c.Findings.Items++
		c.Findings.Errors += it.LintErrors
		c.Findings.Warnings += it.LintWarnings
	}
	if it.EventDate != nil {
		d.eventSent = append(d.eventSent, days(*it.EventDate, it.FirstSentAt))
	}
	if it.DecidedAt != nil && it.State != "sent" && !it.DecidedAt.Before(it.SentAt) {
		d.sentDecision = append(d.sentDecision, round1(it.DecidedAt.Sub(it.SentAt).Hours()))
	}
	if it.EventDate != nil && it.PublishedAt != nil && it.State == "accepted" {
		d.eventPublished = append(d.eventPublished, days(*it.EventDate, *it.PublishedAt))
	}
}

// nameThen is the name t had at the end of a period ending at to (or now,
// when the period still runs): a report keeps the names of its time.
func nameThen(ctx context.Context, idb bun.IDB, t *tenancy.Tenant, to, now time.Time) (string, error) {
	if now.Before(to) {
		to = now
	}
	vs, err := tenancy.Versions(ctx, idb, []string{t.ID})
	if err != nil {
		return "", err
	}
	if v := tenancy.At(vs[t.ID], to.Add(-time.Nanosecond)); v != nil {
		return v.Name, nil
	}
	return t.Name, nil
}
