package quota

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/uptrace/bun"
)

// item is one submission to the parent with what the report needs of the
// item and of the parent's copy.
type item struct {
	ID           string     `bun:"id"`
	ChildID      string     `bun:"child_tenant_id"`
	Origin       string     `bun:"origin"`
	State        string     `bun:"state"`
	PostType     string     `bun:"post_type"`
	Counts       bool       `bun:"counts"`
	FirstSentAt  time.Time  `bun:"first_sent_at"`
	SentAt       time.Time  `bun:"sent_at"`
	DecidedAt    *time.Time `bun:"decided_at"`
	EventDate    *time.Time `bun:"event_date"`
	LintErrors   int        `bun:"lint_errors"`
	LintWarnings int        `bun:"lint_warnings"`
	// PublishedAt is when the parent's copy was first published.
	PublishedAt *time.Time `bun:"copy_published_at"`
}

// counted reports whether the item counts for the quota.
func (it *item) counted() bool { return it.Origin == "sent" && it.Counts && it.State != "withdrawn" }

func loadItems(ctx context.Context, idb bun.IDB, parentID string, from, to time.Time) ([]item, error) {
	var out []item
	if err := idb.NewRaw(itemsSQL().For(idb), parentID, from.UTC(), to.UTC()).Scan(ctx, &out); err != nil {
		return nil, fmt.Errorf("load report items: %w", err)
	}
	return out, nil
}

// fieldCounts counts the counted items per child and field of the sector.
func fieldCounts(ctx context.Context, idb bun.IDB, parentID string, from, to time.Time) (map[string]map[string]int, error) {
	var rows []struct {
		ChildID string `bun:"child_tenant_id"`
		Field   string `bun:"field_code"`
		N       int    `bun:"n"`
	}
	if err := idb.NewRaw(fieldsSQL().For(idb), parentID, from.UTC(), to.UTC()).Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("count items per field: %w", err)
	}
	out := map[string]map[string]int{}
	for _, r := range rows {
		if out[r.ChildID] == nil {
			out[r.ChildID] = map[string]int{}
		}
		out[r.ChildID][r.Field] = r.N
	}
	return out, nil
}

// Department is the parent site's own activity in the period: its items
// first published then, by type, field and source.
type Department struct {
	Published int            `json:"published"`
	ByType    map[string]int `json:"by_type"`
	ByField   map[string]int `json:"by_field"`
	// BySource: own, accepted (sent by a contributor), pulled, republished.
	BySource map[string]int `json:"by_source"`
}

// Sources lists the sources of the Department's items in display order.
func Sources() []string { return []string{"own", "accepted", "pulled", "republished"} }

// SourceLabel names a source in Vietnamese.
func SourceLabel(s string) string {
	switch s {
	case "own":
		return "Tự viết"
	case "accepted":
		return "Đơn vị gửi, được duyệt"
	case "pulled":
		return "Sở lấy từ trang đơn vị"
	case "republished":
		return "Đăng lại từ báo chí"
	}
	return s
}

func loadDepartment(ctx context.Context, idb bun.IDB, parentID string, from, to time.Time) (Department, error) {
	d := Department{ByType: map[string]int{}, ByField: map[string]int{}, BySource: map[string]int{}}
	for _, s := range Sources() {
		d.BySource[s] = 0
	}
	var rows []struct {
		Type   string `bun:"type"`
		Origin string `bun:"origin"`
		N      int    `bun:"n"`
	}
	err := idb.NewRaw(departmentSQL().For(idb), parentID, from.UTC(), to.UTC()).Scan(ctx, &rows)
	if err != nil {
		return d, fmt.Errorf("count department items: %w", err)
	}
	for _, r := range rows {
		d.Published += r.N
		d.ByType[r.Type] += r.N
		switch {
		case r.Origin == "pulled":
			d.BySource["pulled"] += r.N
		case r.Origin == "sent":
			d.BySource["accepted"] += r.N
		case r.Type == "republished":
			d.BySource["republished"] += r.N
		default:
			d.BySource["own"] += r.N
		}
	}
	var fields []struct {
		Field string `bun:"field_code"`
		N     int    `bun:"n"`
	}
	err = idb.NewRaw(`SELECT f.field_code, COUNT(*) AS n
		FROM posts AS p
		JOIN post_fields AS f ON f.tenant_id = p.tenant_id AND f.post_id = p.id
		WHERE p.tenant_id = ? AND p.first_published_at >= ? AND p.first_published_at < ?
		GROUP BY f.field_code`, parentID, from.UTC(), to.UTC()).Scan(ctx, &fields)
	if err != nil {
		return d, fmt.Errorf("count department items per field: %w", err)
	}
	for _, f := range fields {
		d.ByField[f.Field] = f.N
	}
	return d, nil
}

// Listed is one item of a list in the report or the drill-down.
type Listed struct {
	Contributor  string     `json:"contributor"`
	SubmissionID string     `json:"submission_id"`
	PostID       string     `json:"post_id"`
	Title        string     `json:"title"`
	Type         string     `json:"type"`
	Origin       string     `json:"origin"`
	State        string     `json:"state"`
	Counts       bool       `json:"counts"`
	FirstSentAt  time.Time  `json:"first_sent_at"`
	DecidedAt    *time.Time `json:"decided_at,omitempty"`
	RefuseReason string     `json:"refuse_reason,omitempty"`
	PublishedAt  *time.Time `json:"published_at,omitempty"`
	LintErrors   int        `json:"lint_errors"`
	LintWarnings int        `json:"lint_warnings"`
}

// listQuery selects Listed rows; callers add conditions and an order.
const listQuery = `SELECT t.slug AS contributor, s.id AS submission_id, s.post_id, p.title, s.post_type AS type, s.origin,
       s.state, s.counts, s.first_sent_at, s.decided_at, COALESCE(s.refuse_reason, '') AS refuse_reason,
       c.first_published_at AS published_at, p.lint_errors, p.lint_warnings
FROM submissions AS s
JOIN tenants AS t ON t.id = COALESCE(s.contributor_id, s.child_tenant_id)
JOIN posts AS p ON p.tenant_id = s.child_tenant_id AND p.id = s.post_id
LEFT JOIN posts AS c ON c.tenant_id = s.parent_tenant_id AND c.id = s.accepted_post_id
WHERE s.parent_tenant_id = ? AND s.first_sent_at >= ? AND s.first_sent_at < ?`

// maxListed bounds the findings listed in a report.
const maxListed = 200

// Items lists every submission of contributorID to parentID first sent in
// [from, to): the drill-down of a contributor-week.
func Items(ctx context.Context, idb bun.IDB, parentID, contributorID string, from, to time.Time) ([]Listed, error) {
	var out []Listed
	err := idb.NewRaw(listQuery+` AND COALESCE(s.contributor_id, s.child_tenant_id) = ? ORDER BY s.first_sent_at, s.id`,
		parentID, from.UTC(), to.UTC(), contributorID).Scan(ctx, &out)
	if err != nil {
		return nil, fmt.Errorf("list items: %w", err)
	}
	return out, nil
}

// listed reads the submissions ids of parentID as Listed rows, in the
// order of ids.
func listed(ctx context.Context, idb bun.IDB, parentID string, from, to time.Time, ids []string) ([]Listed, error) {
	out := []Listed{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []Listed
	err := idb.NewRaw(listQuery+` AND s.id IN (?)`, parentID, from.UTC(), to.UTC(), bun.List(ids)).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("list items: %w", err)
	}
	byID := make(map[string]Listed, len(rows))
	for _, r := range rows {
		byID[r.SubmissionID] = r
	}
	for _, id := range ids {
		if r, ok := byID[id]; ok {
			out = append(out, r)
		}
	}
	return out, nil
}

// pulledAndFindings picks from the period's items the ones the parent
// pulled (by time) and the counted ones with presentation findings (worst
// first, at most maxListed), and reads them as Listed rows.
func pulledAndFindings(ctx context.Context, idb bun.IDB, parentID string, from, to time.Time, items []item) (pulled, found []Listed, err error) {
	var pulledIDs []string
	var bad []*item
	for i := range items {
		it := &items[i]
		switch {
		case it.Origin == "pulled":
			pulledIDs = append(pulledIDs, it.ID)
		case it.counted() && it.LintErrors+it.LintWarnings > 0:
			bad = append(bad, it)
		}
	}
	sort.SliceStable(bad, func(i, j int) bool {
		a, b := bad[i], bad[j]
		switch {
		case a.LintErrors != b.LintErrors:
			return a.LintErrors > b.LintErrors
		case a.LintWarnings != b.LintWarnings:
			return a.LintWarnings > b.LintWarnings
		case !a.FirstSentAt.Equal(b.FirstSentAt):
			return a.FirstSentAt.Before(b.FirstSentAt)
		}
		return a.ID < b.ID
	})
	sort.SliceStable(pulledIDs, func(i, j int) bool { return pulledIDs[i] < pulledIDs[j] })
	var badIDs []string
	for _, it := range bad[:min(len(bad), maxListed)] {
		badIDs = append(badIDs, it.ID)
	}
	if pulled, err = listed(ctx, idb, parentID, from, to, pulledIDs); err != nil {
		return nil, nil, err
	}
	sort.SliceStable(pulled, func(i, j int) bool { return pulled[i].FirstSentAt.Before(pulled[j].FirstSentAt) })
	found, err = listed(ctx, idb, parentID, from, to, badIDs)
	return pulled, found, err
}
