package pagecache

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"

	"github.com/uptrace/bun"
)

// Generations mirrors the content_generations table: per tenant, a counter
// the database bumps on every change to what its public pages show.
type Generations struct {
	db   bun.IDB
	log  *slog.Logger
	gens atomic.Pointer[genSnapshot]
	// dirty counts writes seen by this process; seen is the value of dirty
	// when the last reload began. A lookup reloads while they differ.
	dirty atomic.Uint64
	seen  atomic.Uint64
	mu    sync.Mutex
}

// reloadTimeout bounds one reload of the generations.
const reloadTimeout = 2 * time.Second

type genSnapshot struct {
	count, sum int64
	byTenant   map[string]int64
}

// NewGenerations returns generations read from idb; call Refresh before use.
func NewGenerations(idb bun.IDB, log *slog.Logger) *Generations {
	g := &Generations{db: idb, log: log}
	g.gens.Store(&genSnapshot{count: -1, byTenant: map[string]int64{}})
	g.dirty.Store(1)
	return g
}

// Of returns the current generation of a tenant, reloading first when this
// process wrote since the last reload.
func (g *Generations) Of(ctx context.Context, tenantID string) (int64, error) {
	if g.dirty.Load() != g.seen.Load() {
		if err := g.reload(ctx); err != nil {
			return 0, err
		}
	}
	return g.gens.Load().byTenant[tenantID], nil
}

// Current is the generation of a tenant as last read, and false when this
// process wrote since (Of would reload first): the page cache's Front then
// leaves the request to its middleware, so that a slow reload is waited
// for once per request, there.
func (g *Generations) Current(tenantID string) (int64, bool) {
	if g.dirty.Load() != g.seen.Load() {
		return 0, false
	}
	return g.gens.Load().byTenant[tenantID], true
}

// reload refreshes once per burst of writes: concurrent callers wait for
// the reload in progress instead of starting their own.
func (g *Generations) reload(ctx context.Context) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	d := g.dirty.Load()
	if d == g.seen.Load() {
		return nil
	}
	// The cache runs before the request deadline: a database that hangs
	// must not hold every lookup behind this lock.
	ctx, cancel := context.WithTimeout(ctx, reloadTimeout)
	defer cancel()
	if err := g.Refresh(ctx); err != nil {
		return err
	}
	g.seen.Store(d)
	return nil
}

// Refresh reloads the generations when their count or sum moved (every
// bump raises the sum, so an unchanged pair means nothing changed).
func (g *Generations) Refresh(ctx context.Context) error {
	var count, sum int64
	err := g.db.NewSelect().Table("content_generations").
		ColumnExpr("COUNT(*), COALESCE(SUM(generation), 0)").Scan(ctx, &count, &sum)
	if err != nil {
		return fmt.Errorf("read content generations: %w", err)
	}
	old := g.gens.Load()
	if old.count == count && old.sum == sum {
		return nil
	}
	var rows []struct {
		TenantID   string `bun:"tenant_id"`
		Generation int64  `bun:"generation"`
	}
	if err := g.db.NewSelect().Table("content_generations").Column("tenant_id", "generation").Scan(ctx, &rows); err != nil {
		return fmt.Errorf("load content generations: %w", err)
	}
	snap := &genSnapshot{byTenant: make(map[string]int64, len(rows))}
	for _, r := range rows {
		snap.byTenant[r.TenantID] = r.Generation
		snap.count++
		snap.sum += r.Generation
	}
	g.gens.Store(snap)
	return nil
}

// Run polls every interval until ctx ends, so changes committed by other
// processes are seen within one interval.
func (g *Generations) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			g.dirty.Add(1)
			if err := g.reload(ctx); err != nil && ctx.Err() == nil {
				g.log.Warn("refresh content generations", "err", err)
			}
		}
	}
}

// BeforeQuery implements bun.QueryHook.
func (g *Generations) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context {
	return ctx
}

// AfterQuery implements bun.QueryHook: any statement but a read, and every
// COMMIT, may have bumped a generation, so the next lookup reloads. A write
// inside a transaction marks dirty before it commits; its COMMIT marks
// again, so a reload that ran in between is not the last word.
// The statement's text decides, not ev.Operation(): a raw query reports
// SELECT whatever it does.
func (g *Generations) AfterQuery(_ context.Context, ev *bun.QueryEvent) {
	q := strings.TrimLeftFunc(ev.Query, unicode.IsSpace)
	if i := strings.IndexFunc(q, unicode.IsSpace); i > 0 {
		q = q[:i]
	}
	switch strings.ToUpper(q) {
	case "SELECT", "BEGIN", "ROLLBACK", "SAVEPOINT", "RELEASE", "SHOW", "EXPLAIN":
		return
	}
	g.dirty.Add(1)
}
