package site

import (
	"context"
	"slices"
	"sync"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/tenancy"
)

// frameMemoTenants bounds how many tenants' frames a process keeps (about
// 3 KB each); past it the memo starts afresh.
const frameMemoTenants = 2048

// frameMemo keeps, per tenant, what every page of its site reads besides
// its content: the sections (for the navigation) and the order of the
// home's blocks, at the content generation they were read at. A change to
// a section or to the site's settings bumps the tenant's generation in
// its own transaction (the page cache's triggers), so a memo entry is
// never used past the change that made it old — on this replica at once,
// on the others within the generations' poll, as for cached pages. A
// publication bumps the generation too: the first page rendered after it
// reads them again and the other pages of the tenant reuse them.
type frameMemo struct {
	mu       sync.Mutex
	byTenant map[string]frameAt
}

// frameAt is one tenant's memo entry.
type frameAt struct {
	generation int64
	sections   []tenancy.Section
	blockOrder []string
}

// loadFrame reads a tenant's frame from the database: two small queries.
func loadFrame(ctx context.Context, idb bun.IDB, tenantID string) (frameAt, error) {
	ss, err := tenancy.Sections(ctx, idb, tenantID)
	if err != nil {
		return frameAt{}, err
	}
	order, err := blockOrder(ctx, idb, tenantID)
	if err != nil {
		return frameAt{}, err
	}
	return frameAt{sections: ss, blockOrder: order}, nil
}

// frame returns a tenant's sections (a copy the caller may change) and its
// block order (shared: do not modify), from the memo when generation names
// the tenant's current generation.
func (m *frameMemo) frame(ctx context.Context, idb bun.IDB, tenantID string,
	generation func(context.Context, string) (int64, error)) ([]tenancy.Section, []string, error) {
	if generation == nil {
		at, err := loadFrame(ctx, idb, tenantID)
		return at.sections, at.blockOrder, err
	}
	// The generation is read before the frame: a change committed in
	// between is stored under the older generation, and the next read
	// (seeing the newer one) loads again. Never the other way round.
	gen, err := generation(ctx, tenantID)
	if err != nil {
		return nil, nil, err
	}
	m.mu.Lock()
	at, ok := m.byTenant[tenantID]
	m.mu.Unlock()
	if ok && at.generation == gen {
		return slices.Clone(at.sections), at.blockOrder, nil
	}
	at, err = loadFrame(ctx, idb, tenantID)
	if err != nil {
		return nil, nil, err
	}
	at.generation = gen
	m.mu.Lock()
	if m.byTenant == nil || len(m.byTenant) >= frameMemoTenants {
		m.byTenant = map[string]frameAt{}
	}
	m.byTenant[tenantID] = frameAt{generation: gen, sections: slices.Clone(at.sections), blockOrder: at.blockOrder}
	m.mu.Unlock()
	return at.sections, at.blockOrder, nil
}
