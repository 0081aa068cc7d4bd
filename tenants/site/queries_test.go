package site_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/tenants/site"
)

// queryCounter counts the statements that reach the database.
type queryCounter struct {
	n   atomic.Int64
	mu  sync.Mutex
	log []string
}

func (q *queryCounter) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context {
	return ctx
}

func (q *queryCounter) AfterQuery(_ context.Context, ev *bun.QueryEvent) {
	q.n.Add(1)
	q.mu.Lock()
	q.log = append(q.log, time.Since(ev.StartTime).String()+" "+ev.Query)
	q.mu.Unlock()
}

func (q *queryCounter) reset() {
	q.n.Store(0)
	q.mu.Lock()
	q.log = nil
	q.mu.Unlock()
}

func (q *queryCounter) String() string {
	q.mu.Lock()
	defer q.mu.Unlock()
	return strings.Join(q.log, "\n")
}

// TestPublicPagesQueryCount bounds the statements an uncached render of
// each public page runs, whatever the number of sections and items: a
// query per block or per card would break it.
func TestPublicPagesQueryCount(t *testing.T) {
	f := newFixture(t)
	var slug string
	for i := range 12 {
		for _, sec := range []string{"tin-tuc-su-kien", "chinh-sach-phap-luat", "chien-luoc-ke-hoach"} {
			slug = f.publish(f.alpha, input(fmt.Sprintf("Bài %s số %d", sec, i), sec, "lao-dong-viec-lam", "tre-em")).Slug
		}
	}
	qc := &queryCounter{}
	f.a.Prepared.AddQueryHook(qc)
	for _, c := range []struct {
		path string
		max  int64
	}{
		{"/", site.HomeQueries}, // a constant number, whatever the content
		// The same content generation: the sections and the block order
		// come from the memo.
		{"/", site.HomeQueries - 2},
		{"/chuyen-muc/tin-tuc-su-kien", 3},
		{"/chuyen-muc/tre-em?trang=1", 3},
		// The item with its fields, picture and original (itemRow); the
		// sections are the memo's already.
		{"/bai-viet/" + slug, 1},
		{"/feed.xml", 1},
		{"/sitemap.xml", 2},
	} {
		qc.reset()
		// A signed-in request is never served from the cache: this is the
		// render path.
		pg := f.do(http.MethodGet, "alpha.localhost", c.path, map[string]string{"Authorization": "Bearer x"})
		if pg.status != http.StatusOK {
			t.Fatalf("%s: %d", c.path, pg.status)
		}
		if n := qc.n.Load(); n > c.max {
			t.Errorf("%s ran %d queries, want at most %d:\n%s", c.path, n, c.max, qc)
		} else {
			t.Logf("%s: %d queries\n%s", c.path, n, qc)
		}
	}
}

// TestPageCacheRendersOncePerBurst: thirty readers of a page nobody has
// read yet cost one render.
func TestPageCacheRendersOncePerBurst(t *testing.T) {
	f := newFixture(t)
	for i := range 5 {
		f.publish(f.alpha, input(fmt.Sprintf("Tin số %d", i), "tin-tuc-su-kien"))
	}
	qc := &queryCounter{}
	f.a.Prepared.AddQueryHook(qc)
	f.do(http.MethodGet, "alpha.localhost", "/chuyen-muc/tin-tuc-su-kien", map[string]string{"Authorization": "Bearer x"})
	one := qc.n.Load()
	qc.reset()
	var wg sync.WaitGroup
	var hits atomic.Int64
	for range 30 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if pg := f.get("alpha.localhost", "/chuyen-muc/tin-tuc-su-kien"); pg.status == http.StatusOK {
				hits.Add(1)
			}
		}()
	}
	wg.Wait()
	if hits.Load() != 30 {
		t.Fatalf("%d of 30 answered 200", hits.Load())
	}
	// One render plus at most a reload of the generations.
	if n := qc.n.Load(); n > one+2 {
		t.Errorf("30 concurrent readers ran %d queries; one render runs about %d", n, one)
	}
}

// BenchmarkUncachedPages renders the home, a section and an item on the
// render path (a signed-in request is never served from the cache).
func BenchmarkUncachedPages(b *testing.B) {
	f := newFixture(b)
	var slug string
	for i := range 10 {
		for _, sec := range []string{"tin-tuc-su-kien", "chinh-sach-phap-luat", "chien-luoc-ke-hoach"} {
			slug = f.publish(f.alpha, input(fmt.Sprintf("Bài %s số %d", sec, i), sec, "lao-dong-viec-lam", "tre-em")).Slug
		}
	}
	for _, path := range []string{"/", "/chuyen-muc/tin-tuc-su-kien", "/bai-viet/" + slug} {
		b.Run(path, func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				if pg := f.do(http.MethodGet, "alpha.localhost", path, map[string]string{"Authorization": "Bearer x"}); pg.status != http.StatusOK {
					b.Fatal(pg.status)
				}
			}
		})
	}
}
