package app_test

// One stalled transaction must not take a PostgreSQL replica down (the
// attack report's finding 2): a transaction holds the row of one tenant's
// item while twenty-five writers pile up behind it and give up. Other
// tenants' pages and the API keep answering while they wait, the
// abandoned writers are cancelled and never commit, and a writer that does
// wait gets 503 with Retry-After once the lock timeout passes.

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/db/dbtest"
	"github.com/trangtin/trangtin/tenants/app"
	"github.com/trangtin/trangtin/tenants/post"
)

// stallWorld is the isolation organisation served over a real socket by an
// app on its own pool with the given PostgreSQL limits.
type stallWorld struct {
	*isoWorld
	addr string
	item *post.Post
}

func newStallWorld(t *testing.T, limits db.Limits) *stallWorld {
	t.Helper()
	if dbtest.Dialect() != "postgres" {
		t.Skip("the stalled-lock scenario is PostgreSQL's (SQLite has one writer and its busy timeout)")
	}
	w := buildIsoWorld(t, isoBuild{limits: &limits, appOptions: []app.Option{app.WithProbeTimings(time.Second, 50*time.Millisecond)}})
	s := &stallWorld{isoWorld: w, addr: serveOn(t, w.a)}
	r := w.api("btvA").doJSON(http.MethodPost, "/api/v1/tenants/"+isoSlugA+"/posts", map[string]any{"title": "Tin sẽ bị khóa"})
	var v post.View
	if r.status != http.StatusCreated || json.Unmarshal([]byte(r.body), &v) != nil {
		t.Fatalf("create the item: %s", r)
	}
	s.item = &post.Post{ID: v.ID, Version: v.Version}
	return s
}

// lockItem holds the item's row in a transaction of its own until the
// returned func is called, as a stuck writer would.
func (s *stallWorld) lockItem(t *testing.T) (release func()) {
	t.Helper()
	ctx := context.Background()
	tx, err := s.bdb.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.NewSelect().Table("posts").Column("id").
		Where("tenant_id = ? AND id = ?", s.tenants[isoSlugA].ID, s.item.ID).For("UPDATE").Exec(ctx); err != nil {
		t.Fatal(err)
	}
	return func() { _ = tx.Rollback() }
}

// patch sends an edit of the item; it gives up after wait (0: never).
func (s *stallWorld) patch(title string, wait time.Duration) (int, http.Header, error) {
	body := `{"version":1,"title":"` + title + `"}`
	req, _ := http.NewRequest(http.MethodPatch, "http://"+s.addr+"/api/v1/tenants/"+isoSlugA+"/posts/"+s.item.ID, strings.NewReader(body))
	req.Host = isoAdminHost
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+s.tokens["btvA"])
	client := &http.Client{Timeout: wait, Transport: &http.Transport{DisableKeepAlives: true}}
	res, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, res.Body)
	return res.StatusCode, res.Header, nil
}

// get answers a GET on the socket, giving up after 10 s.
func (s *stallWorld) get(host, path, token string) (int, time.Duration) {
	req, _ := http.NewRequest(http.MethodGet, "http://"+s.addr+path, nil)
	req.Host = host
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	start := time.Now()
	res, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		return 0, time.Since(start)
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, res.Body)
	return res.StatusCode, time.Since(start)
}

// committed reports the item's version and revisions as stored.
func (s *stallWorld) committed(t *testing.T) (int, int) {
	t.Helper()
	ctx := context.Background()
	p, err := post.Get(ctx, s.bdb, s.tenants[isoSlugA].ID, s.item.ID)
	if err != nil {
		t.Fatal(err)
	}
	n, err := s.bdb.NewSelect().Model((*post.Revision)(nil)).Where("tenant_id = ? AND post_id = ?", p.TenantID, p.ID).Count(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return p.Version, int(n)
}

func TestStalledWriterDoesNotTakeTheReplicaDown(t *testing.T) {
	// No lock timeout: what ends the abandoned writers here is their
	// clients going away, not the database.
	s := newStallWorld(t, db.Limits{})
	version, revisions := s.committed(t)
	release := s.lockItem(t)
	released := false
	defer func() {
		if !released {
			release()
		}
	}()

	const writers = 25 // more than the pool's 20 connections
	var wg sync.WaitGroup
	for range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if status, _, err := s.patch("Sửa bị bỏ dở", 700*time.Millisecond); err == nil {
				t.Errorf("an edit behind the lock answered %d before the lock was released", status)
			}
		}()
	}
	time.Sleep(300 * time.Millisecond) // the writers are queued behind the lock

	// While they wait, other tenants' pages and the API answer.
	for _, tc := range []struct{ host, path, token string }{
		{"bachduong.gov.vn", "/", ""},
		{"bachduong.gov.vn", "/search?q=tin", ""},
		{isoAdminHost, "/api/v1/me", s.tokens["btvB"]},
		{"x", "/healthz", ""},
	} {
		status, took := s.get(tc.host, tc.path, tc.token)
		t.Logf("%s%s while the writers are stuck: %d in %s", tc.host, tc.path, status, took.Round(time.Millisecond))
		if status != http.StatusOK {
			t.Errorf("%s%s while a writer of another tenant is stuck: status %d after %s", tc.host, tc.path, status, took)
		}
	}
	wg.Wait() // every writer gave up
	// The server notices the closed sockets and cancels their work.
	time.Sleep(500 * time.Millisecond)
	release()
	released = true
	// Nothing the abandoned writers did may commit once the lock is free.
	time.Sleep(time.Second)
	if v, n := s.committed(t); v != version || n != revisions {
		t.Errorf("after the abandoned edits: version %d → %d, revisions %d → %d; want nothing committed", version, v, revisions, n)
	}
	// And the next edit goes through at once.
	if status, _, err := s.patch("Sửa sau khi hết khóa", 10*time.Second); err != nil || status != http.StatusOK {
		t.Errorf("edit after the stall: %d %v", status, err)
	}
}

func TestLockTimeoutAnswers503(t *testing.T) {
	s := newStallWorld(t, db.Limits{LockTimeout: 300 * time.Millisecond, StatementTimeout: 5 * time.Second, IdleInTxTimeout: 5 * time.Second})
	version, revisions := s.committed(t)
	release := s.lockItem(t)
	status, header, err := s.patch("Sửa phải chờ khóa", 10*time.Second)
	release()
	if err != nil || status != http.StatusServiceUnavailable || header.Get("Retry-After") == "" {
		t.Errorf("edit behind a lock held past the lock timeout: %d %v, Retry-After %q; want 503 with Retry-After", status, err, header.Get("Retry-After"))
	}
	if v, n := s.committed(t); v != version || n != revisions {
		t.Errorf("the refused edit committed: version %d → %d, revisions %d → %d", version, v, revisions, n)
	}
}

func TestIdleTransactionIsEndedByTheServer(t *testing.T) {
	s := newStallWorld(t, db.Limits{IdleInTxTimeout: 300 * time.Millisecond})
	ctx := context.Background()
	// A session of the serving pool that opens a transaction, takes the
	// row and then never comes back (a half-open client, a bug).
	err := s.a.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewSelect().Table("posts").Column("id").Where("id = ?", s.item.ID).For("UPDATE").Exec(ctx); err != nil {
			return err
		}
		time.Sleep(time.Second)
		_, err := tx.NewSelect().ColumnExpr("1").Exec(ctx)
		return err
	})
	if err == nil {
		t.Fatal("a transaction idle past the idle timeout survived")
	}
	// The lock went with it: an edit goes through.
	if status, _, err := s.patch("Sửa sau phiên bị đóng", 10*time.Second); err != nil || status != http.StatusOK {
		t.Errorf("edit after the idle transaction was ended: %d %v", status, err)
	}
}
