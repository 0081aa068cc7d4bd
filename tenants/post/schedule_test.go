package post_test

// Scheduled publishing: durable across a restart, exactly once with two
// processes, and never for an item that is no longer scheduled at its time.

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/tenants/app"
	"github.com/trangtin/trangtin/tenants/post"
)

// runWorker runs a's job worker until the test ends.
func runWorker(t *testing.T, a *app.App) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = a.Jobs.Run(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
}

// openAgain opens the fixture's database a second time, as another process would.
func (f *fixture) openAgain(t *testing.T) *bun.DB {
	t.Helper()
	bdb, err := db.Open(f.ctx, f.opts)
	if err != nil {
		t.Fatalf("open the database again: %v", err)
	}
	t.Cleanup(func() { _ = bdb.Close() })
	return bdb
}

// waitFor polls cond every 50 ms until it holds or the deadline passes.
func waitFor(deadline time.Time, cond func() bool) bool {
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func statusIn(t *testing.T, idb bun.IDB, tenantID, id string) *post.Post {
	t.Helper()
	p, err := post.Get(context.Background(), idb, tenantID, id)
	if err != nil {
		t.Fatalf("get %s: %v", id, err)
	}
	return p
}

// publishedTransitions counts an item's transitions to published.
func publishedTransitions(t *testing.T, idb bun.IDB, tenantID, id string) []post.Transition {
	t.Helper()
	ts, err := post.Transitions(context.Background(), idb, tenantID, id)
	if err != nil {
		t.Fatal(err)
	}
	var out []post.Transition
	for _, x := range ts {
		if x.To == post.StatusPublished {
			out = append(out, x)
		}
	}
	return out
}

func TestScheduledPublishSurvivesRestart(t *testing.T) {
	f := newFixture(t)
	alpha := f.T["alpha"]
	const title = "Lễ trao bằng tốt nghiệp cho học viên khóa hàn điện"
	p := f.approved("alpha", goodInput(title))
	// A time as Go makes it, with nanoseconds, 2 s ahead.
	at := time.Now().Add(2 * time.Second)
	got := f.step("alpha/chief", p.ID, post.TransitionInput{To: post.StatusScheduled, At: &at})
	if got.Status != post.StatusScheduled {
		t.Fatalf("status %s", got.Status)
	}

	// The process ends without ever running its worker ...
	_ = f.a.DB.Close()
	f.a = nil
	// ... and a new one starts on the same database.
	bdb := f.openAgain(t)
	a2 := f.newApp(bdb)
	if s := statusIn(t, bdb, alpha.ID, p.ID); s.Status != post.StatusScheduled || s.ScheduledAt == nil {
		t.Fatalf("after the restart: %s at %v", s.Status, s.ScheduledAt)
	}
	if pg := fetch(t, a2, http.MethodGet, "alpha.localhost", "/bai-viet/"+p.Slug, "", nil); pg.status != http.StatusNotFound {
		t.Errorf("public before its time: %d", pg.status)
	}
	runWorker(t, a2)

	var s *post.Post
	ok := waitFor(at.Add(5*time.Second), func() bool {
		s = statusIn(t, bdb, alpha.ID, p.ID)
		return s.Status == post.StatusPublished
	})
	if !ok {
		t.Fatalf("not published 5 s after its time: status %s, scheduled_at %v", s.Status, s.ScheduledAt)
	}
	t.Run("at its time, not before", func(t *testing.T) {
		if s.PublishedAt == nil || s.PublishedAt.Before(at.Truncate(time.Millisecond)) {
			t.Errorf("published at %v, scheduled for %v", s.PublishedAt, at)
		}
		if s.ScheduledAt != nil {
			t.Errorf("scheduled_at kept: %v", s.ScheduledAt)
		}
	})
	t.Run("recorded once, by the system", func(t *testing.T) {
		ts := publishedTransitions(t, bdb, alpha.ID, p.ID)
		if len(ts) != 1 || ts[0].From != post.StatusScheduled || ts[0].ActorID != "system" {
			t.Errorf("transitions to published: %+v", ts)
		}
	})
	t.Run("on the public site", func(t *testing.T) {
		pg := fetch(t, a2, http.MethodGet, "alpha.localhost", "/bai-viet/"+p.Slug, "", nil)
		if pg.status != http.StatusOK || !strings.Contains(pg.body, title) {
			t.Errorf("public page %d", pg.status)
		}
		if pg := fetch(t, a2, http.MethodGet, "alpha.localhost", "/", "", nil); !strings.Contains(pg.body, title) {
			t.Error("not on the home page")
		}
	})
}

func TestScheduledPublishTwoProcesses(t *testing.T) {
	f := newFixture(t)
	alpha := f.T["alpha"]
	// Process B on its own connection pool.
	bdbB := f.openAgain(t)
	aB := f.newApp(bdbB)
	if err := aB.Authz.Reload(f.ctx); err != nil {
		t.Fatal(err)
	}

	// Several items for the same second, scheduled through the API as a
	// client would (RFC 3339, whole seconds), half through each process.
	at := time.Now().Add(3 * time.Second).Truncate(time.Second)
	const n = 6
	var items []*post.Post
	for i := 0; i < n; i++ {
		p := f.approved("alpha", goodInput("Bài hẹn giờ đăng cùng lúc số "+strings.Repeat("I", i+1)))
		a := f.a
		if i%2 == 1 {
			a = aB
		}
		r := fetch(t, a, http.MethodPost, adminHost, itemPath("alpha", p.ID)+"/transitions", f.m("alpha/chief").Token,
			map[string]any{"to": "scheduled", "at": at.In(time.FixedZone("ICT", 7*3600)).Format(time.RFC3339)})
		if v := view(t, r, http.StatusOK); v.Status != post.StatusScheduled || v.ScheduledAt == nil || !v.ScheduledAt.Equal(at) {
			t.Fatalf("scheduled: %s at %v, want %v", v.Status, v.ScheduledAt, at)
		}
		items = append(items, p)
	}
	runWorker(t, f.a)
	runWorker(t, aB)

	first := map[string]time.Time{}
	ok := waitFor(at.Add(5*time.Second), func() bool {
		for _, p := range items {
			s := statusIn(t, f.db, alpha.ID, p.ID)
			if s.Status != post.StatusPublished {
				return false
			}
			first[p.ID] = *s.PublishedAt
		}
		return true
	})
	if !ok {
		for _, p := range items {
			s := statusIn(t, f.db, alpha.ID, p.ID)
			t.Errorf("%s: %s (scheduled %v)", p.ID, s.Status, s.ScheduledAt)
		}
		t.FailNow()
	}
	// Give both workers a few more polls to do anything twice.
	time.Sleep(2500 * time.Millisecond)
	for i, p := range items {
		s := statusIn(t, bdbB, alpha.ID, p.ID)
		if ts := publishedTransitions(t, f.db, alpha.ID, p.ID); len(ts) != 1 {
			t.Errorf("item %d: %d transitions to published: %+v", i, len(ts), ts)
		}
		if s.Status != post.StatusPublished || s.PublishedAt == nil || !s.PublishedAt.Equal(first[p.ID]) {
			t.Errorf("item %d: published_at moved from %v to %v", i, first[p.ID], s.PublishedAt)
		}
		if s.PublishedAt.Before(at) {
			t.Errorf("item %d published at %v, before its time %v", i, s.PublishedAt, at)
		}
	}
	var jobs []struct {
		State    string `bun:"state"`
		Attempts int    `bun:"attempts"`
		LockedBy string `bun:"locked_by"`
	}
	if err := f.db.NewSelect().Table("jobs").Column("state", "attempts", "locked_by").Where("kind = ?", post.JobPublish).Scan(f.ctx, &jobs); err != nil {
		t.Fatal(err)
	}
	if len(jobs) != n {
		t.Errorf("%d publish jobs, want %d", len(jobs), n)
	}
	workers := map[string]int{}
	for _, j := range jobs {
		if j.State != "done" || j.Attempts != 1 {
			t.Errorf("job %+v, want done after one attempt", j)
		}
		workers[j.LockedBy]++
	}
	t.Logf("jobs run per worker: %v", workers)
}

func TestScheduledItemChangedBeforeItsTime(t *testing.T) {
	f := newFixture(t)
	alpha := f.T["alpha"]
	t1 := time.Now().Add(2 * time.Second)
	t2 := t1.Add(2 * time.Second)
	sched := func(title string, at time.Time) *post.Post {
		p := f.approved("alpha", goodInput(title))
		return f.step("alpha/chief", p.ID, post.TransitionInput{To: post.StatusScheduled, At: &at})
	}
	returned := sched("Bài hẹn giờ bị trả lại trước giờ đăng", t1)
	f.step("alpha/editor", returned.ID, post.TransitionInput{To: post.StatusReturned, Note: "Chưa đủ thông tin"})
	reapproved := sched("Bài hẹn giờ bị trả lại rồi duyệt lại", t1)
	f.step("alpha/editor", reapproved.ID, post.TransitionInput{To: post.StatusReturned, Note: "Sửa số liệu"})
	f.step("alpha/contributor", reapproved.ID, post.TransitionInput{To: post.StatusSubmitted})
	f.step("alpha/editor", reapproved.ID, post.TransitionInput{To: post.StatusApproved})
	moved := sched("Bài hẹn giờ được dời sang giờ sau", t1)
	f.step("alpha/chief", moved.ID, post.TransitionInput{To: post.StatusScheduled, At: &t2})
	early := sched("Bài hẹn giờ được đăng ngay", t1)
	f.step("alpha/chief", early.ID, post.TransitionInput{To: post.StatusPublished})
	early = f.get("alpha", early.ID)
	if time.Now().After(t1) {
		t.Fatal("setting up took longer than the schedule: raise the delay")
	}
	runWorker(t, f.a)

	jobsDone := func() bool {
		n, err := f.db.NewSelect().Table("jobs").Where("kind = ? AND state IN ('pending', 'running')", post.JobPublish).Count(f.ctx)
		return err == nil && n == 0
	}
	t.Run("the moved item waits for its new time", func(t *testing.T) {
		waitFor(t1.Add(time.Second), func() bool { return false })
		if s := statusIn(t, f.db, alpha.ID, moved.ID); s.Status != post.StatusScheduled {
			t.Errorf("a second after its old time: %s", s.Status)
		}
	})
	if !waitFor(t2.Add(5*time.Second), jobsDone) {
		t.Fatal("publish jobs still pending 5 s after the last time")
	}
	notes, err := post.Notifications(f.ctx, f.db, alpha.ID, f.m("alpha/chief").ID, 50)
	if err != nil {
		t.Fatal(err)
	}
	missed := func(title string) int {
		n := 0
		for _, x := range notes {
			if x.Kind == "schedule_missed" && strings.Contains(x.Message, title) {
				n++
				if x.AccountID != nil {
					t.Errorf("notification to one account %s, want the board", *x.AccountID)
				}
			}
		}
		return n
	}
	t.Run("returned before its time: not published, board told", func(t *testing.T) {
		s := statusIn(t, f.db, alpha.ID, returned.ID)
		if s.Status != post.StatusReturned || s.PublishedAt != nil || len(publishedTransitions(t, f.db, alpha.ID, returned.ID)) != 0 {
			t.Errorf("status %s published_at %v", s.Status, s.PublishedAt)
		}
		if n := missed(returned.Title); n != 1 {
			t.Errorf("%d schedule_missed notifications, want 1", n)
		}
		if pg := f.public("alpha", "/bai-viet/"+returned.Slug); pg.status != http.StatusNotFound {
			t.Errorf("public page %d", pg.status)
		}
		rows, err := f.db.NewSelect().Table("notifications").Where("tenant_id = ? AND kind = 'schedule_missed'", alpha.ID).Count(f.ctx)
		if err != nil || rows == 0 {
			t.Errorf("notifications rows: %d %v", rows, err)
		}
	})
	t.Run("returned and approved again, not rescheduled: not published, board told", func(t *testing.T) {
		s := statusIn(t, f.db, alpha.ID, reapproved.ID)
		if s.Status != post.StatusApproved || s.PublishedAt != nil {
			t.Errorf("status %s published_at %v", s.Status, s.PublishedAt)
		}
		if n := missed(reapproved.Title); n != 1 {
			t.Errorf("%d schedule_missed notifications, want 1", n)
		}
	})
	t.Run("moved to a later time: published at the later time only", func(t *testing.T) {
		s := statusIn(t, f.db, alpha.ID, moved.ID)
		if s.Status != post.StatusPublished || s.PublishedAt == nil || s.PublishedAt.Before(t2.Truncate(time.Millisecond)) {
			t.Errorf("status %s published at %v, want at or after %v", s.Status, s.PublishedAt, t2)
		}
		if ts := publishedTransitions(t, f.db, alpha.ID, moved.ID); len(ts) != 1 {
			t.Errorf("%d transitions to published", len(ts))
		}
		if n := missed(moved.Title); n != 0 {
			t.Errorf("%d schedule_missed notifications for an item that was published on time", n)
		}
	})
	t.Run("published by hand before its time: the job changes nothing", func(t *testing.T) {
		s := statusIn(t, f.db, alpha.ID, early.ID)
		if s.Status != post.StatusPublished || !s.PublishedAt.Equal(*early.PublishedAt) {
			t.Errorf("status %s published at %v, was %v", s.Status, s.PublishedAt, early.PublishedAt)
		}
		if ts := publishedTransitions(t, f.db, alpha.ID, early.ID); len(ts) != 1 {
			t.Errorf("%d transitions to published", len(ts))
		}
		if n := missed(early.Title); n != 0 {
			t.Logf("NOTE: %d schedule_missed notification(s) for an item published early by hand", n)
		}
	})
}

// TestPublishDueIsIdempotent runs the handler twice for one occurrence, as
// a worker that lost its lease would.
func TestPublishDueIsIdempotent(t *testing.T) {
	f := newFixture(t)
	alpha := f.T["alpha"]
	p := f.approved("alpha", goodInput("Bài chạy tác vụ hai lần"))
	at := time.Now().Add(time.Hour).Truncate(time.Second)
	f.step("alpha/chief", p.ID, post.TransitionInput{To: post.StatusScheduled, At: &at})
	var wg sync.WaitGroup
	errc := make(chan error, 4)
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); errc <- f.a.Posts.PublishDue(f.ctx, alpha.ID, p.ID, at) }()
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		if err != nil {
			t.Errorf("PublishDue: %v", err)
		}
	}
	s := statusIn(t, f.db, alpha.ID, p.ID)
	if s.Status != post.StatusPublished {
		t.Fatalf("status %s", s.Status)
	}
	if ts := publishedTransitions(t, f.db, alpha.ID, p.ID); len(ts) != 1 {
		t.Errorf("%d transitions to published", len(ts))
	}
	if err := f.a.Posts.PublishDue(f.ctx, alpha.ID, p.ID, at); err != nil {
		t.Fatal(err)
	}
	if s2 := statusIn(t, f.db, alpha.ID, p.ID); !s2.PublishedAt.Equal(*s.PublishedAt) {
		t.Errorf("published_at moved on a second run: %v → %v", s.PublishedAt, s2.PublishedAt)
	}
	if err := f.a.Posts.PublishDue(f.ctx, alpha.ID, "no-such-item", at); err != nil {
		t.Errorf("a job for a deleted item: %v", err)
	}
}
