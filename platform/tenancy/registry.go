package tenancy

import (
	"context"
	"log/slog"
	"strings"
	"sync/atomic"
	"time"

	"github.com/uptrace/bun"
)

// Registry maps request hosts to tenants from an in-memory snapshot of the
// tenant table. The snapshot is rebuilt whenever the tenants change counter
// moves, which every process polls cheaply; so a tenant created, renamed or
// suspended by another process is served (or goes dark) within one poll
// interval, and an unknown host never costs a database query.
type Registry struct {
	db         bun.IDB
	baseDomain string
	snap       atomic.Pointer[snapshot]
	log        *slog.Logger
}

type snapshot struct {
	generation int64
	bySlug     map[string]*Tenant
	byDomain   map[string]*Tenant
	byID       map[string]*Tenant
	ordered    []*Tenant
	// servingChildren are each tenant's child tenants that serve a site,
	// in tree order: a Department's pages link to those sites and count
	// them. Filtering them per page cost 13 % of an uncached item page's
	// CPU among 10,000 units (each check reads another tenant's record).
	servingChildren map[string][]*Tenant
	// Old slugs and removed domains, and per tenant the paths that moved.
	aliasSlug   map[string]*Tenant
	aliasDomain map[string]*Tenant
	paths       map[string]map[string]string
}

// NewRegistry returns a registry for tenants under baseDomain. Call Refresh
// (or Run) before resolving.
func NewRegistry(idb bun.IDB, baseDomain string, log *slog.Logger) *Registry {
	r := &Registry{db: idb, baseDomain: strings.ToLower(baseDomain), log: log}
	r.snap.Store(&snapshot{generation: -1})
	return r
}

// Refresh reloads the snapshot if the tenants changed since the last load.
func (r *Registry) Refresh(ctx context.Context) error {
	gen, err := Generation(ctx, r.db, GenerationTenants)
	if err != nil {
		return err
	}
	if gen == r.snap.Load().generation {
		return nil
	}
	ts, err := List(ctx, r.db)
	if err != nil {
		return err
	}
	red, err := loadRedirects(ctx, r.db)
	if err != nil {
		return err
	}
	r.snap.Store(build(gen, ts, red))
	return nil
}

func build(gen int64, ts []*Tenant, red *redirects) *snapshot {
	s := &snapshot{
		generation:      gen,
		bySlug:          make(map[string]*Tenant, len(ts)),
		byDomain:        make(map[string]*Tenant, len(ts)),
		byID:            make(map[string]*Tenant, len(ts)),
		ordered:         ts,
		servingChildren: map[string][]*Tenant{},
	}
	for _, t := range ts {
		s.bySlug[t.Slug] = t
		s.byID[t.ID] = t
		if t.ParentID != nil && t.Serving() {
			s.servingChildren[*t.ParentID] = append(s.servingChildren[*t.ParentID], t)
		}
		for _, d := range t.Domains {
			s.byDomain[d] = t
		}
	}
	s.aliasSlug, s.aliasDomain, s.paths = map[string]*Tenant{}, map[string]*Tenant{}, map[string]map[string]string{}
	if red == nil {
		return s
	}
	for _, a := range red.aliases {
		t, ok := s.byID[a.TenantID]
		switch {
		case !ok:
		case a.Kind == AliasSlug:
			s.aliasSlug[a.Name] = t
		case a.Kind == AliasDomain:
			s.aliasDomain[a.Name] = t
		}
	}
	for _, p := range red.paths {
		if s.paths[p.TenantID] == nil {
			s.paths[p.TenantID] = map[string]string{}
		}
		s.paths[p.TenantID][p.FromPath] = p.ToPath
	}
	return s
}

// Run refreshes every interval until ctx ends; errors are logged, and the
// last good snapshot keeps serving meanwhile.
func (r *Registry) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := r.Refresh(ctx); err != nil && ctx.Err() == nil {
				r.log.Warn("refresh tenant registry", "err", err)
			}
		}
	}
}

// Resolve returns the tenant a host names: one of its registered domains or
// <slug>.<base domain>. The port is ignored, case does not matter. The
// returned tenant is shared and must not be modified.
func (r *Registry) Resolve(host string) (*Tenant, bool) {
	h := NormalizeHost(host)
	if h == "" {
		return nil, false
	}
	s := r.snap.Load()
	if t, ok := s.byDomain[h]; ok {
		return t, true
	}
	if slug, ok := strings.CutSuffix(h, "."+r.baseDomain); ok && !strings.Contains(slug, ".") {
		t, ok := s.bySlug[slug]
		return t, ok
	}
	return nil, false
}

// maxHops bounds how many merges a redirect follows (a loop in the data
// must not hang a request).
const maxHops = 16

// Moved tells where a request to host and path belongs now, when host no
// longer serves it: an old slug, a removed domain, or a host of a merged
// tenant (whose path redirects apply, merge after merge). It returns the
// tenant that serves the address now and the path there, so a chain of
// changes (A renamed to B, B merged into C) answers with one redirect.
func (r *Registry) Moved(host, path string) (*Tenant, string, bool) {
	s := r.snap.Load()
	h := NormalizeHost(host)
	t, live := s.byDomain[h]
	slug, underBase := strings.CutSuffix(h, "."+r.baseDomain)
	underBase = underBase && !strings.Contains(slug, ".")
	if !live && underBase {
		t, live = s.bySlug[slug]
	}
	if !live {
		t = s.aliasDomain[h]
		if t == nil && underBase {
			t = s.aliasSlug[slug]
		}
		if t == nil {
			return nil, "", false
		}
	}
	moved := !live
	for hop := 0; t.Status == StatusMerged && t.MergedIntoID != nil && hop < maxHops; hop++ {
		if to, ok := s.paths[t.ID][path]; ok {
			path = to
		}
		next, ok := s.byID[*t.MergedIntoID]
		if !ok {
			return nil, "", false
		}
		t, moved = next, true
	}
	if !moved || t.Status == StatusMerged {
		return nil, "", false
	}
	return t, path, true
}

// Closed is Tenant.Closed for a tenant of the snapshot (nil when unknown).
func (r *Registry) Closed(tenantID string) error {
	if t, ok := r.ByID(tenantID); ok {
		return t.Closed()
	}
	return nil
}

// PrimaryHost is the host links and redirects to t use.
func (r *Registry) PrimaryHost(t *Tenant) string { return t.PrimaryHost(r.baseDomain) }

// BaseDomain is the domain under which tenants get <slug>.<base> hosts.
func (r *Registry) BaseDomain() string { return r.baseDomain }

// Organisation is the id of the top-level tenant above tenantID (itself
// when it has no parent), "" for an unknown tenant.
func (r *Registry) Organisation(tenantID string) string {
	s := r.snap.Load()
	t, ok := s.byID[tenantID]
	for hop := 0; ok && t.ParentID != nil && hop < 64; hop++ {
		p, found := s.byID[*t.ParentID]
		if !found {
			break
		}
		t = p
	}
	if !ok {
		return ""
	}
	return t.ID
}

// BySlug returns a tenant from the snapshot.
func (r *Registry) BySlug(slug string) (*Tenant, bool) {
	t, ok := r.snap.Load().bySlug[slug]
	return t, ok
}

// ByID returns a tenant from the snapshot.
func (r *Registry) ByID(id string) (*Tenant, bool) {
	t, ok := r.snap.Load().byID[id]
	return t, ok
}

// Generation is the tenants change counter the snapshot was built from
// (a cache of anything derived from tenants keys on it).
func (r *Registry) Generation() int64 { return r.snap.Load().generation }

// Count is the number of tenants in the snapshot.
func (r *Registry) Count() int { return len(r.snap.Load().bySlug) }

// NormalizeHost lower-cases a Host header value and strips its port and a
// trailing dot. IPv6 literals keep their brackets off.
func NormalizeHost(host string) string {
	h := strings.TrimSpace(host)
	if strings.HasPrefix(h, "[") {
		if end := strings.IndexByte(h, ']'); end > 0 {
			return strings.ToLower(h[1:end])
		}
		return ""
	}
	if i := strings.LastIndexByte(h, ':'); i >= 0 {
		h = h[:i]
	}
	return strings.ToLower(strings.TrimSuffix(h, "."))
}

// ServingChildren returns the tenants whose parent is id and that serve a
// site, in tree order (shared: do not modify).
func (r *Registry) ServingChildren(id string) []*Tenant {
	return r.snap.Load().servingChildren[id]
}

// All returns every tenant of the snapshot in tree order.
func (r *Registry) All() []*Tenant { return r.snap.Load().ordered }
