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

// Reasons a week is exempt because the contributor did not answer to the
// report's parent that week (see contributor.away).
const (
	ReasonNotYetChild = "Chưa trực thuộc"
	ReasonMovedTo     = "Đã chuyển sang trực thuộc"
	ReasonMergedInto  = "Đã hợp nhất vào"
)

// contributor is a tenant that answered to the report's parent at some
// time in the period, as the rules need it: Name is the name it had then
// (its last under the parent in the period); versions is its history.
type contributor struct {
	ID           string         `bun:"id"`
	Slug         string         `bun:"slug"`
	Name         string         `bun:"name"`
	Kind         tenancy.Kind   `bun:"kind"`
	Status       tenancy.Status `bun:"status"`
	QuotaPerWeek int            `bun:"quota_per_week"`
	OnboardedAt  time.Time      `bun:"onboarded_at"`
	UpdatedAt    time.Time      `bun:"updated_at"`

	parentID string
	versions []tenancy.Version
	// names of other tenants (new parents, merge targets) for reasons
	names map[string]string
}

// at is the contributor's version in force in the last instant of week w:
// a week belongs to the parent the contributor answers to when it ends,
// so the week of a move counts for the new parent.
func (c *contributor) at(w Week) *tenancy.Version {
	return tenancy.At(c.versions, w.End().Add(-time.Nanosecond))
}

// away is why week w is not the report parent's to judge ("" when it is):
// the contributor answered to another parent then, or had been merged.
func (c *contributor) away(w Week) string {
	v := c.at(w)
	switch {
	case v == nil:
		return ""
	case v.Status == tenancy.StatusMerged && v.MergedIntoID != nil:
		return ReasonMergedInto + " " + c.names[*v.MergedIntoID]
	case v.ParentIs(c.parentID):
		return ""
	case c.wasUnderBefore(v):
		if v.ParentID != nil {
			return ReasonMovedTo + " " + c.names[*v.ParentID]
		}
		return ReasonMovedTo + " cấp cao nhất"
	}
	return ReasonNotYetChild + " " + c.names[c.parentID]
}

// wasUnderBefore reports whether a version before v had the report's
// parent (v is then a move away from it, not a time before the contributor
// came).
func (c *contributor) wasUnderBefore(v *tenancy.Version) bool {
	for i := range c.versions {
		if c.versions[i].ID == v.ID {
			return false
		}
		if c.versions[i].ParentIs(c.parentID) {
			return true
		}
	}
	return false
}

// inactiveThrough reports whether the contributor was archived or merged
// for the whole of [from, to) (nothing to judge unless it sent something).
func (c *contributor) inactiveThrough(from, to time.Time) bool {
	gone := func(v *tenancy.Version) bool {
		return v != nil && (v.Status == tenancy.StatusArchived || v.Status == tenancy.StatusMerged)
	}
	if !gone(tenancy.At(c.versions, from)) {
		return false
	}
	for i := range c.versions {
		if v := &c.versions[i]; v.ValidFrom.After(from) && v.ValidFrom.Before(to) && !gone(v) {
			return false
		}
	}
	return true
}

// loadContributors lists the tenants that answered to parentID at some
// time in [from, to) (only onlyID when set), each under the name it had
// then. Tenants archived or merged for the whole period are left out
// unless they sent something in it. Sorted by Vietnamese name.
func loadContributors(ctx context.Context, idb bun.IDB, parentID, onlyID string, from, to time.Time) ([]contributor, error) {
	ids, err := tenancy.ChildrenBetween(ctx, idb, parentID, from, to)
	if err != nil {
		return nil, err
	}
	if onlyID != "" {
		ids = filterIDs(ids, onlyID)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	var cs []contributor
	if err := idb.NewRaw(`SELECT id, slug, name, kind, status, quota_per_week, onboarded_at, updated_at
		FROM tenants WHERE id IN (?)`, bun.List(ids)).Scan(ctx, &cs); err != nil {
		return nil, fmt.Errorf("load contributors: %w", err)
	}
	versions, err := tenancy.Versions(ctx, idb, ids)
	if err != nil {
		return nil, err
	}
	names, err := historyNames(ctx, idb, parentID, versions)
	if err != nil {
		return nil, err
	}
	senders, err := sendersBetween(ctx, idb, parentID, from, to)
	if err != nil {
		return nil, err
	}
	out := cs[:0]
	for _, c := range cs {
		c.parentID, c.versions, c.names = parentID, versions[c.ID], names
		if c.inactiveThrough(from, to) && !senders[c.ID] {
			continue
		}
		if v := lastUnder(c.versions, parentID, from, to); v != nil {
			c.Name = v.Name
		}
		out = append(out, c)
	}
	sortByName(out)
	return out, nil
}

// lastUnder is the last version under parentID in force at some time in
// [from, to): the name the contributor had then.
func lastUnder(vs []tenancy.Version, parentID string, from, to time.Time) *tenancy.Version {
	var out *tenancy.Version
	for i := range vs {
		end := to
		if i+1 < len(vs) && vs[i+1].ValidFrom.Before(to) {
			end = vs[i+1].ValidFrom
		}
		// the first version holds since always, as tenancy.At has it
		if vs[i].ParentIs(parentID) && (i == 0 || vs[i].ValidFrom.Before(to)) && end.After(from) {
			out = &vs[i]
		}
	}
	return out
}

// historyNames names every tenant the versions point to (parents, merge
// targets) and the report's parent, as they are called now.
func historyNames(ctx context.Context, idb bun.IDB, parentID string, versions map[string][]tenancy.Version) (map[string]string, error) {
	ids := []string{parentID}
	for _, vs := range versions {
		for _, v := range vs {
			if v.ParentID != nil {
				ids = append(ids, *v.ParentID)
			}
			if v.MergedIntoID != nil {
				ids = append(ids, *v.MergedIntoID)
			}
		}
	}
	var rows []struct {
		ID   string `bun:"id"`
		Name string `bun:"name"`
	}
	if err := idb.NewSelect().Table("tenants").Column("id", "name").Where("id IN (?)", bun.List(ids)).Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("load tenant names: %w", err)
	}
	out := make(map[string]string, len(rows))
	for _, r := range rows {
		out[r.ID] = r.Name
	}
	return out, nil
}

// sendersBetween lists the contributors with a submission to parentID
// first sent in [from, to).
func sendersBetween(ctx context.Context, idb bun.IDB, parentID string, from, to time.Time) (map[string]bool, error) {
	var ids []string
	err := idb.NewRaw(`SELECT DISTINCT COALESCE(contributor_id, child_tenant_id) FROM submissions
		WHERE parent_tenant_id = ? AND first_sent_at >= ? AND first_sent_at < ?`, parentID, from.UTC(), to.UTC()).Scan(ctx, &ids)
	if err != nil {
		return nil, fmt.Errorf("load senders: %w", err)
	}
	out := make(map[string]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}

func filterIDs(ids []string, only string) []string {
	for _, id := range ids {
		if id == only {
			return []string{only}
		}
	}
	return nil
}

func sortByName(cs []contributor) {
	col := collate.New(language.Vietnamese)
	sort.SliceStable(cs, func(i, j int) bool {
		if c := col.CompareString(cs[i].Name, cs[j].Name); c != 0 {
			return c < 0
		}
		return cs[i].Slug < cs[j].Slug
	})
}

// moved reports whether the contributor answered to another parent (or
// none) at some time: its weeks may then count sends to that parent.
func (c *contributor) moved() bool {
	for i := range c.versions {
		if !c.versions[i].ParentIs(c.parentID) {
			return true
		}
	}
	return false
}

// addSendsElsewhere adds to counts, for contributors that moved, what they
// sent in [from, to) to other parents, in the weeks this parent judges
// (the week of a move counts for the new parent, whichever parent the
// week's items went to).
func addSendsElsewhere(ctx context.Context, idb bun.IDB, parentID string, cs []contributor, from, to time.Time, counts map[string]map[string]int) error {
	var ids []string
	byID := map[string]*contributor{}
	for i := range cs {
		if cs[i].moved() {
			ids = append(ids, cs[i].ID)
			byID[cs[i].ID] = &cs[i]
		}
	}
	if len(ids) == 0 {
		return nil
	}
	var rows []struct {
		ChildID     string    `bun:"child_tenant_id"`
		FirstSentAt time.Time `bun:"first_sent_at"`
	}
	err := idb.NewRaw(`SELECT COALESCE(s.contributor_id, s.child_tenant_id) AS child_tenant_id, s.first_sent_at FROM submissions AS s
		WHERE (s.child_tenant_id IN (?) OR s.contributor_id IN (?)) AND s.parent_tenant_id <> ?
		  AND s.first_sent_at >= ? AND s.first_sent_at < ?
		  AND s.origin = 'sent' AND s.counts AND s.state <> 'withdrawn'`,
		bun.List(ids), bun.List(ids), parentID, from.UTC(), to.UTC()).Scan(ctx, &rows)
	if err != nil {
		return fmt.Errorf("count sends elsewhere: %w", err)
	}
	for _, r := range rows {
		c, ok := byID[r.ChildID]
		w := WeekOf(r.FirstSentAt)
		if !ok || c.away(w) != "" {
			continue
		}
		if counts[r.ChildID] == nil {
			counts[r.ChildID] = map[string]int{}
		}
		counts[r.ChildID][w.String()]++
	}
	return nil
}
