package tenancy

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/db"
)

// Version is a tenant as it was from ValidFrom until the next version:
// one row of tenant_history, written by every lifecycle change (Op) with
// who made it and why. Reports read versions to show a contributor under
// the name and the parent it had at the time.
type Version struct {
	bun.BaseModel `bun:"table:tenant_history"`

	TenantID     string    `bun:"tenant_id,pk"`
	ID           string    `bun:"id,pk"`
	ValidFrom    time.Time `bun:"valid_from"`
	Op           string    `bun:"op"`
	Slug         string    `bun:"slug"`
	Name         string    `bun:"name"`
	NameEN       string    `bun:"name_en"`
	Kind         Kind      `bun:"kind"`
	ParentID     *string   `bun:"parent_id"`
	Status       Status    `bun:"status"`
	MergedIntoID *string   `bun:"merged_into_id"`
	Reason       string    `bun:"reason"`
	ActorID      string    `bun:"actor_id"`
}

// ParentIs reports whether the version's parent is parentID.
func (v *Version) ParentIs(parentID string) bool { return v.ParentID != nil && *v.ParentID == parentID }

// RecordVersion writes t as it now is to its history, valid from at,
// inside the caller's transaction (the one that changed t).
func RecordVersion(ctx context.Context, idb bun.IDB, t *Tenant, op string, at time.Time, actorID, reason string) error {
	v := &Version{TenantID: t.ID, ID: db.NewID(), ValidFrom: at.UTC(), Op: op, Slug: t.Slug, Name: t.Name,
		NameEN: t.NameEN, Kind: t.Kind, ParentID: t.ParentID, Status: t.Status, MergedIntoID: t.MergedIntoID,
		Reason: reason, ActorID: actorID}
	if _, err := idb.NewInsert().Model(v).Exec(ctx); err != nil {
		return fmt.Errorf("record tenant history of %s: %w", t.Slug, err)
	}
	return nil
}

// Versions loads the history of tenants, oldest first per tenant. A tenant
// without any recorded version (written before history was kept, or
// loaded by a tool that bypassed it) gets one synthesised from its row,
// valid since it was onboarded.
func Versions(ctx context.Context, idb bun.IDB, tenantIDs []string) (map[string][]Version, error) {
	out := map[string][]Version{}
	if len(tenantIDs) == 0 {
		return out, nil
	}
	var rows []Version
	if err := idb.NewSelect().Model(&rows).Where("tenant_id IN (?)", bun.List(tenantIDs)).
		Order("tenant_id", "valid_from", "id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("load tenant history: %w", err)
	}
	for _, v := range rows {
		out[v.TenantID] = append(out[v.TenantID], v)
	}
	var bare []string
	for _, id := range tenantIDs {
		if len(out[id]) == 0 {
			bare = append(bare, id)
		}
	}
	if len(bare) > 0 {
		var ts []Tenant
		if err := idb.NewSelect().Model(&ts).Where("id IN (?)", bun.List(bare)).Scan(ctx); err != nil {
			return nil, fmt.Errorf("load tenants without history: %w", err)
		}
		for _, t := range ts {
			out[t.ID] = []Version{{TenantID: t.ID, ID: t.ID, ValidFrom: t.OnboardedAt, Op: "baseline", Slug: t.Slug,
				Name: t.Name, NameEN: t.NameEN, Kind: t.Kind, ParentID: t.ParentID, Status: t.Status, MergedIntoID: t.MergedIntoID}}
		}
	}
	return out, nil
}

// ChildrenBetween lists the tenants that were children of parentID at
// some time in [from, to): their current children and every tenant with a
// version under parentID that was still in force at from or began before
// to. A tenant's first version counts as in force since always (as At
// has it), so a tenant whose onboarding date was set back is not lost.
// Sorted by id.
func ChildrenBetween(ctx context.Context, idb bun.IDB, parentID string, from, to time.Time) ([]string, error) {
	var ids []string
	err := idb.NewRaw(`SELECT id FROM tenants WHERE parent_id = ?
		UNION SELECT h.tenant_id FROM tenant_history AS h
		WHERE h.parent_id = ?
		  AND (h.valid_from < ? OR NOT EXISTS (SELECT 1 FROM tenant_history AS e
		      WHERE e.tenant_id = h.tenant_id AND e.valid_from < h.valid_from))
		  AND NOT EXISTS (SELECT 1 FROM tenant_history AS n
		      WHERE n.tenant_id = h.tenant_id AND n.valid_from <= ? AND n.valid_from > h.valid_from)`,
		parentID, parentID, to.UTC(), from.UTC()).Scan(ctx, &ids)
	if err != nil {
		return nil, fmt.Errorf("list children of %s: %w", parentID, err)
	}
	sort.Strings(ids)
	return ids, nil
}

// At is the version in force at instant at: the last one valid from at or
// before it; the first when at precedes them all. vs must be ordered.
func At(vs []Version, at time.Time) *Version {
	if len(vs) == 0 {
		return nil
	}
	cur := &vs[0]
	for i := range vs {
		if vs[i].ValidFrom.After(at) {
			break
		}
		cur = &vs[i]
	}
	return cur
}
