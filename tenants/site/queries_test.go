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

	"github.com/trangtin/trangtin/tenants/post"
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
	// A document past its expiry day, the newest item: listings mark it
	// with the expiry they read with the items, not in a statement of
	// their own.
	publishExpiredDocument(t, f, "Quyết định đã hết hiệu lực")
	const expired = `<p class="expired">Hết hiệu lực</p>`
	// Those writes bumped the content generations, which the next page
	// would read again: read them now, out of the pages' count.
	if _, err := f.a.Generations.Of(f.ctx, f.alpha.ID); err != nil {
		t.Fatal(err)
	}
	qc := &queryCounter{}
	f.a.Prepared.AddQueryHook(qc)
	for _, c := range []struct {
		path    string
		max     int64
		expired int // how many times the document is marked expired
	}{
		// A constant number, whatever the content. The latest items, its
		// section's block and its field's block show the document (not
		// as the lead: TestExpiredDocumentDoesNotLead).
		{"/", site.HomeQueries, 3},
		// The same content generation: the sections and the block order
		// come from the memo, and these items have no pictures. The
		// latest items and the blocks are left, the document's expiry
		// read with them.
		{"/", site.HomeQueries - 4, 3},
		// The count and the page of items.
		{"/chuyen-muc/tin-tuc-su-kien", 2, 1},
		{"/chuyen-muc/tre-em?trang=1", 2, 0},
		{"/search?q=quyet+dinh", 2, 1},
		// The item with its fields, picture and original (itemRow); the
		// sections are the memo's already.
		{"/bai-viet/" + slug, 1, 0},
		{"/feed.xml", 1, 0},
		{"/sitemap.xml", 2, 0},
	} {
		qc.reset()
		// A signed-in request is never served from the cache: this is the
		// render path.
		pg := f.do(http.MethodGet, "alpha.localhost", c.path, map[string]string{"Authorization": "Bearer x"})
		if pg.status != http.StatusOK {
			t.Fatalf("%s: %d", c.path, pg.status)
		}
		if n := strings.Count(pg.body, expired); n != c.expired {
			t.Errorf("%s marks %d items expired, want %d", c.path, n, c.expired)
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

// TestExpiredDocumentDoesNotLead: the newest item of a site is a document
// past its validity; the home leads with the newest item that is not, and
// lists the document among the latest, marked.
func TestExpiredDocumentDoesNotLead(t *testing.T) {
	f := newFixture(t)
	f.publish(f.alpha, input("Phiên giao dịch việc làm tháng mười hai", "tin-tuc-su-kien"))
	publishExpiredDocument(t, f, "Quyết định đã hết hiệu lực")
	pg := f.do(http.MethodGet, "alpha.localhost", "/", map[string]string{"Authorization": "Bearer x"})
	lead, rest, ok := strings.Cut(pg.body, "</article>")
	if pg.status != http.StatusOK || !ok || !strings.Contains(lead, `class="lead-item"`) {
		t.Fatalf("home: %d, no lead:\n%s", pg.status, pg.body)
	}
	if !strings.Contains(lead, "Phiên giao dịch việc làm tháng mười hai") || strings.Contains(lead, "Quyết định đã hết hiệu lực") {
		t.Errorf("the lead is not the newest item in force:\n%s", lead)
	}
	if !strings.Contains(rest, "Quyết định đã hết hiệu lực") {
		t.Error("the expired document left the latest items")
	}
}

// publishExpiredDocument publishes in alpha a document whose expiry day
// (31/12/2025) has passed, the newest item.
func publishExpiredDocument(t *testing.T, f *fixture, title string) {
	t.Helper()
	doc := f.publish(f.alpha, input(title, "tin-tuc-su-kien"))
	if _, err := f.a.DB.NewRaw("UPDATE posts SET type = ? WHERE tenant_id = ? AND id = ?", post.TypeDocument, f.alpha.ID, doc.ID).Exec(f.ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := f.a.DB.NewRaw("INSERT INTO post_documents (tenant_id, post_id, kind, expires_on) VALUES (?, ?, 'quyet-dinh', ?)",
		f.alpha.ID, doc.ID, time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)).Exec(f.ctx); err != nil {
		t.Fatal(err)
	}
}
