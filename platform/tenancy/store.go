package tenancy

import (
	"context"
	"fmt"
	"sort"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/db"
)

// GenerationTenants names the change counter bumped by every tenant change.
const GenerationTenants = "tenants"

// BumpGeneration increments a change counter inside the caller's
// transaction, so other processes reload exactly when the change commits.
func BumpGeneration(ctx context.Context, idb bun.IDB, name string) error {
	_, err := idb.NewUpdate().Table("platform_state").
		Set("generation = generation + 1").
		Where("name = ?", name).
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("bump %s generation: %w", name, err)
	}
	return nil
}

// Generation reads a change counter.
func Generation(ctx context.Context, idb bun.IDB, name string) (int64, error) {
	var g int64
	err := idb.NewSelect().Table("platform_state").Column("generation").
		Where("name = ?", name).Scan(ctx, &g)
	if err != nil {
		return 0, fmt.Errorf("read %s generation: %w", name, err)
	}
	return g, nil
}

// BySlug loads one tenant with its domains.
func BySlug(ctx context.Context, idb bun.IDB, slug string) (*Tenant, error) {
	t := new(Tenant)
	err := idb.NewSelect().Model(t).Where("slug = ?", slug).Scan(ctx)
	if err != nil {
		return nil, db.NotFound(err, "load tenant "+slug, "tenant_not_found", "Không tìm thấy đơn vị "+slug)
	}
	if err := fill(ctx, idb, []*Tenant{t}); err != nil {
		return nil, err
	}
	return t, nil
}

// ByID loads one tenant with its domains.
func ByID(ctx context.Context, idb bun.IDB, id string) (*Tenant, error) {
	t := new(Tenant)
	err := idb.NewSelect().Model(t).Where("id = ?", id).Scan(ctx)
	if err != nil {
		return nil, db.NotFound(err, "load tenant", "tenant_not_found", "Không tìm thấy đơn vị")
	}
	if err := fill(ctx, idb, []*Tenant{t}); err != nil {
		return nil, err
	}
	return t, nil
}

// List returns every tenant, the tree in order (parents before children,
// siblings by name), with domains and parent slugs filled.
func List(ctx context.Context, idb bun.IDB) ([]*Tenant, error) {
	var ts []*Tenant
	if err := idb.NewSelect().Model(&ts).Order("name").Scan(ctx); err != nil {
		return nil, fmt.Errorf("list tenants: %w", err)
	}
	if err := fill(ctx, idb, ts); err != nil {
		return nil, err
	}
	return treeOrder(ts), nil
}

func fill(ctx context.Context, idb bun.IDB, ts []*Tenant) error {
	if len(ts) == 0 {
		return nil
	}
	byID := make(map[string]*Tenant, len(ts))
	ids := make([]string, 0, len(ts))
	for _, t := range ts {
		byID[t.ID] = t
		ids = append(ids, t.ID)
		t.Domains = nil
	}
	var doms []Domain
	q := idb.NewSelect().Model(&doms).Order("tenant_id", "domain")
	if len(ts) < 500 {
		q = q.Where("tenant_id IN (?)", bun.List(ids))
	}
	if err := q.Scan(ctx); err != nil {
		return fmt.Errorf("load tenant domains: %w", err)
	}
	for _, d := range doms {
		if t, ok := byID[d.TenantID]; ok {
			t.Domains = append(t.Domains, d.Domain)
		}
	}
	slugs := map[string]string{}
	var missing []string
	for _, t := range ts {
		for _, id := range []*string{t.ParentID, t.MergedIntoID} {
			if id == nil {
				continue
			}
			if p, ok := byID[*id]; ok {
				slugs[p.ID] = p.Slug
			} else {
				missing = append(missing, *id)
			}
		}
	}
	if len(missing) > 0 {
		var others []Tenant
		if err := idb.NewSelect().Model(&others).Column("id", "slug").
			Where("id IN (?)", bun.List(missing)).Scan(ctx); err != nil {
			return fmt.Errorf("load parent slugs: %w", err)
		}
		for _, p := range others {
			slugs[p.ID] = p.Slug
		}
	}
	for _, t := range ts {
		if t.ParentID != nil {
			t.ParentSlug = slugs[*t.ParentID]
		}
		if t.MergedIntoID != nil {
			t.MergedIntoSlug = slugs[*t.MergedIntoID]
		}
	}
	return nil
}

// treeOrder sorts tenants depth-first: each parent followed by its children.
func treeOrder(ts []*Tenant) []*Tenant {
	children := map[string][]*Tenant{}
	present := map[string]bool{}
	for _, t := range ts {
		present[t.ID] = true
	}
	var roots []*Tenant
	for _, t := range ts {
		if t.ParentID == nil || !present[*t.ParentID] {
			roots = append(roots, t)
			continue
		}
		children[*t.ParentID] = append(children[*t.ParentID], t)
	}
	kindRank := map[Kind]int{KindDepartment: 0, KindOffice: 1, KindUnit: 2, KindUnion: 3}
	less := func(list []*Tenant) {
		sort.SliceStable(list, func(i, j int) bool {
			if kindRank[list[i].Kind] != kindRank[list[j].Kind] {
				return kindRank[list[i].Kind] < kindRank[list[j].Kind]
			}
			return list[i].Name < list[j].Name
		})
	}
	less(roots)
	out := make([]*Tenant, 0, len(ts))
	var walk func(t *Tenant)
	walk = func(t *Tenant) {
		out = append(out, t)
		kids := children[t.ID]
		less(kids)
		for _, k := range kids {
			walk(k)
		}
	}
	for _, r := range roots {
		walk(r)
	}
	return out
}

// Sections lists a tenant's sections in display order.
func Sections(ctx context.Context, idb bun.IDB, tenantID string) ([]Section, error) {
	var ss []Section
	// Every public page reads its sections: a fixed statement (db.Select).
	err := db.Select(ctx, idb, &ss, "SELECT tenant_id, id, slug, name, description, position, field_code, required, created_at"+
		" FROM sections WHERE tenant_id = ? ORDER BY position, slug", tenantID)
	if err != nil {
		return nil, fmt.Errorf("list sections: %w", err)
	}
	return ss, nil
}

// SectionBySlug loads one section of a tenant.
func SectionBySlug(ctx context.Context, idb bun.IDB, tenantID, slug string) (*Section, error) {
	s := new(Section)
	err := idb.NewSelect().Model(s).Where("tenant_id = ? AND slug = ?", tenantID, slug).Scan(ctx)
	if err != nil {
		return nil, db.NotFound(err, "load section", "section_not_found", "Không tìm thấy chuyên mục")
	}
	return s, nil
}

// Fields lists the sector's fields in order.
func Fields(ctx context.Context, idb bun.IDB) ([]Field, error) {
	var fs []Field
	if err := db.Select(ctx, idb, &fs, "SELECT code, name, position FROM sector_fields ORDER BY position"); err != nil {
		return nil, fmt.Errorf("list fields: %w", err)
	}
	return fs, nil
}

// OrganisationOf is the id of the top-level tenant above id (itself when
// it has no parent), read from the database.
func OrganisationOf(ctx context.Context, idb bun.IDB, id string) (string, error) {
	cur := id
	for range 64 {
		var rows []struct {
			P *string `bun:"parent_id"`
		}
		if err := idb.NewSelect().Table("tenants").Column("parent_id").Where("id = ?", cur).Scan(ctx, &rows); err != nil {
			return "", fmt.Errorf("walk to the organisation: %w", err)
		}
		if len(rows) == 0 || rows[0].P == nil {
			return cur, nil
		}
		cur = *rows[0].P
	}
	return cur, nil
}
