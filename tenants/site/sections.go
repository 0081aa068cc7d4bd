package site

import (
	"context"
	"slices"
	"sync"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/tenancy"
)

// sectionMemoTenants bounds how many tenants' sections a process keeps
// (about 3 KB each); past it the memo starts afresh.
const sectionMemoTenants = 2048

// sectionMemo keeps each tenant's sections for the content generation
// they were read at. Every page reads them for its navigation; a change to
// a section bumps the tenant's generation in its own transaction (the
// page cache's triggers), so a memo entry is never used past the change
// that made it old — on this replica at once, on the others within the
// generations' poll, as for cached pages. A publication bumps the
// generation too: the first page rendered after it reads the sections
// again and the other pages of the tenant reuse them.
type sectionMemo struct {
	mu       sync.Mutex
	byTenant map[string]sectionsAt
}

type sectionsAt struct {
	generation int64
	sections   []tenancy.Section
}

// sections returns a tenant's sections (a copy the caller may change),
// from the memo when generation names the tenant's current generation.
func (m *sectionMemo) sections(ctx context.Context, idb bun.IDB, tenantID string,
	generation func(context.Context, string) (int64, error)) ([]tenancy.Section, error) {
	if generation == nil {
		return tenancy.Sections(ctx, idb, tenantID)
	}
	// The generation is read before the sections: a change committed in
	// between is stored under the older generation, and the next read
	// (seeing the newer one) loads again. Never the other way round.
	gen, err := generation(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	at, ok := m.byTenant[tenantID]
	m.mu.Unlock()
	if ok && at.generation == gen {
		return slices.Clone(at.sections), nil
	}
	ss, err := tenancy.Sections(ctx, idb, tenantID)
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	if m.byTenant == nil || len(m.byTenant) >= sectionMemoTenants {
		m.byTenant = map[string]sectionsAt{}
	}
	m.byTenant[tenantID] = sectionsAt{generation: gen, sections: slices.Clone(ss)}
	m.mu.Unlock()
	return ss, nil
}
