package jobs_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/db/dbtest"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/jobs"
)

// clock is a settable time source for Options.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Now().UTC().Truncate(time.Second)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func quiet() *slog.Logger { return slog.New(slog.DiscardHandler) }

func enqueue(t *testing.T, idb bun.IDB, j jobs.Job) string {
	t.Helper()
	id, created, err := jobs.Enqueue(context.Background(), idb, j)
	if err != nil {
		t.Fatalf("enqueue: %v", err)
	}
	if !created {
		t.Fatalf("enqueue %+v: not created", j)
	}
	return id
}

func get(t *testing.T, idb bun.IDB, ref string) *jobs.Job {
	t.Helper()
	j, err := jobs.Get(context.Background(), idb, ref)
	if err != nil {
		t.Fatalf("get %s: %v", ref, err)
	}
	return j
}

func runOnce(t *testing.T, w *jobs.Worker) int {
	t.Helper()
	n, err := w.RunOnce(context.Background())
	if err != nil {
		t.Fatalf("run once: %v", err)
	}
	return n
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", within, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

type publishPayload struct {
	PostID string `json:"post_id"`
}

func TestEnqueueRunDone(t *testing.T) {
	ctx := context.Background()
	bdb := dbtest.New(t)
	id := enqueue(t, bdb, jobs.Job{Kind: "posts.publish", TenantID: "t1", Payload: publishPayload{PostID: "p1"}})

	var results []error
	w := jobs.NewWorker(bdb, quiet(), jobs.Options{
		ID:       "w1",
		OnResult: func(kind string, err error) { results = append(results, err) },
	})
	var seen *jobs.Job
	var payload publishPayload
	w.Handle("posts.publish", func(ctx context.Context, j *jobs.Job) error {
		seen = j
		return j.Decode(&payload)
	})
	if n := runOnce(t, w); n != 1 {
		t.Fatalf("RunOnce ran %d, want 1", n)
	}
	if seen == nil || seen.ID != id || seen.TenantID != "t1" || seen.Attempts != 1 || seen.LockedBy != "w1" {
		t.Fatalf("handler saw %+v", seen)
	}
	if payload.PostID != "p1" {
		t.Fatalf("payload = %+v", payload)
	}
	if len(results) != 1 || results[0] != nil {
		t.Fatalf("OnResult calls = %v", results)
	}
	j := get(t, bdb, id)
	if j.State != jobs.StateDone || j.Attempts != 1 || j.FinishedAt.IsZero() || !j.LockedUntil.IsZero() {
		t.Fatalf("after run: %+v", j)
	}
	if n := runOnce(t, w); n != 0 {
		t.Fatalf("second RunOnce ran %d, want 0", n)
	}
	stats, err := w.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if stats[jobs.StateDone] != 1 || stats[jobs.StatePending] != 0 || len(stats) != len(jobs.States()) {
		t.Fatalf("stats = %v", stats)
	}
}

func TestEnqueueValidates(t *testing.T) {
	bdb := dbtest.New(t)
	_, _, err := jobs.Enqueue(context.Background(), bdb, jobs.Job{})
	if !errs.Is(err, errs.KindInvalid) {
		t.Fatalf("enqueue without kind: %v", err)
	}
	_, _, err = jobs.Enqueue(context.Background(), bdb, jobs.Job{Kind: "x", Payload: func() {}})
	if err == nil {
		t.Fatal("enqueue with unencodable payload succeeded")
	}
}

func TestUniqueKeyDedupe(t *testing.T) {
	ctx := context.Background()
	bdb := dbtest.New(t)
	key := "reminder:t1:2026-W48:thu-09"
	j := jobs.Job{Kind: "quota.remind", TenantID: "t1", UniqueKey: key}
	id1 := enqueue(t, bdb, j)
	id2, created, err := jobs.Enqueue(ctx, bdb, j)
	if err != nil || created || id2 != id1 {
		t.Fatalf("second enqueue = %q, %v, %v; want %q, false, nil", id2, created, err, id1)
	}
	// Still a no-op once the job is done: a reminder is never sent twice.
	w := jobs.NewWorker(bdb, quiet(), jobs.Options{})
	w.Handle("quota.remind", func(context.Context, *jobs.Job) error { return nil })
	runOnce(t, w)
	if _, created, err := jobs.Enqueue(ctx, bdb, j); err != nil || created {
		t.Fatalf("enqueue after done: created=%v err=%v", created, err)
	}
	// Inside a transaction too.
	err = db.InTx(ctx, bdb, func(ctx context.Context, tx bun.Tx) error {
		_, created, err := jobs.Enqueue(ctx, tx, j)
		if created {
			return errors.New("created in tx")
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	stats, _ := jobs.Stats(ctx, bdb)
	if stats[jobs.StateDone] != 1 || stats[jobs.StatePending] != 0 {
		t.Fatalf("stats = %v", stats)
	}
}

func TestCancelReleasesKey(t *testing.T) {
	ctx := context.Background()
	bdb := dbtest.New(t)
	key := "publish:p1:2026-12-01T02:00:00Z"
	id1 := enqueue(t, bdb, jobs.Job{Kind: "posts.publish", UniqueKey: key, RunAt: time.Now().Add(time.Hour)})
	ok, err := jobs.Cancel(ctx, bdb, key)
	if err != nil || !ok {
		t.Fatalf("cancel = %v, %v", ok, err)
	}
	if ok, _ := jobs.Cancel(ctx, bdb, id1); ok {
		t.Fatal("cancelled twice")
	}
	if j := get(t, bdb, id1); j.State != jobs.StateCancelled || j.FinishedAt.IsZero() {
		t.Fatalf("cancelled job: %+v", j)
	}
	id2 := enqueue(t, bdb, jobs.Job{Kind: "posts.publish", UniqueKey: key})
	if id2 == id1 {
		t.Fatal("re-enqueue returned the cancelled job")
	}
	if j := get(t, bdb, key); j.ID != id2 || j.State != jobs.StatePending {
		t.Fatalf("get by key after re-enqueue: %+v", j)
	}
	if _, err := jobs.Get(ctx, bdb, "nope"); !errs.Is(err, errs.KindNotFound) {
		t.Fatalf("get unknown: %v", err)
	}
}

func TestFutureJobNotRunEarlyAndReschedule(t *testing.T) {
	ctx := context.Background()
	bdb := dbtest.New(t)
	c := newClock()
	w := jobs.NewWorker(bdb, quiet(), jobs.Options{Now: c.Now})
	var ran atomic.Int32
	w.Handle("posts.publish", func(context.Context, *jobs.Job) error { ran.Add(1); return nil })

	at := c.Now().Add(time.Hour)
	id := enqueue(t, bdb, jobs.Job{Kind: "posts.publish", RunAt: at, UniqueKey: "publish:p1"})
	if n := runOnce(t, w); n != 0 {
		t.Fatalf("ran %d jobs an hour early", n)
	}
	c.Add(time.Hour - time.Millisecond)
	if n := runOnce(t, w); n != 0 {
		t.Fatalf("ran %d jobs a millisecond early", n)
	}
	c.Add(time.Millisecond)
	// Moved before it ran: nothing at the old time.
	ok, err := jobs.Reschedule(ctx, bdb, "publish:p1", at.Add(2*time.Hour))
	if err != nil || !ok {
		t.Fatalf("reschedule = %v, %v", ok, err)
	}
	if n := runOnce(t, w); n != 0 {
		t.Fatalf("ran %d jobs at the old time", n)
	}
	if j := get(t, bdb, id); !j.RunAt.Equal(at.Add(2 * time.Hour)) {
		t.Fatalf("run_at = %v, want %v", j.RunAt, at.Add(2*time.Hour))
	}
	c.Add(2 * time.Hour)
	if n := runOnce(t, w); n != 1 || ran.Load() != 1 {
		t.Fatalf("at the new time ran %d (handler %d), want 1", n, ran.Load())
	}
	if ok, _ := jobs.Reschedule(ctx, bdb, id, c.Now()); ok {
		t.Fatal("rescheduled a done job")
	}
}

func TestRetryWithBackoffThenFailed(t *testing.T) {
	ctx := context.Background()
	bdb := dbtest.New(t)
	c := newClock()
	var errsSeen atomic.Int32
	w := jobs.NewWorker(bdb, quiet(), jobs.Options{
		Now:      c.Now,
		Backoff:  func(attempt int) time.Duration { return time.Duration(attempt) * time.Minute },
		OnResult: func(kind string, err error) { errsSeen.Add(1) },
	})
	w.Handle("media.renditions", func(ctx context.Context, j *jobs.Job) error {
		return fmt.Errorf("object store down (attempt %d)", j.Attempts)
	})
	id := enqueue(t, bdb, jobs.Job{Kind: "media.renditions", RunAt: c.Now(), MaxAttempts: 3})
	start := c.Now()

	if n := runOnce(t, w); n != 1 {
		t.Fatalf("first run: %d", n)
	}
	j := get(t, bdb, id)
	if j.State != jobs.StatePending || j.Attempts != 1 || !j.RunAt.Equal(start.Add(time.Minute)) ||
		!strings.Contains(j.LastError, "attempt 1") || !j.LockedUntil.IsZero() {
		t.Fatalf("after first failure: %+v", j)
	}
	if n := runOnce(t, w); n != 0 {
		t.Fatalf("retried %d before the backoff", n)
	}
	c.Add(time.Minute)
	if n := runOnce(t, w); n != 1 {
		t.Fatalf("second run: %d", n)
	}
	j = get(t, bdb, id)
	if j.State != jobs.StatePending || j.Attempts != 2 || !j.RunAt.Equal(start.Add(3*time.Minute)) {
		t.Fatalf("after second failure: %+v (want run_at %v)", j, start.Add(3*time.Minute))
	}
	c.Add(time.Minute)
	if n := runOnce(t, w); n != 0 {
		t.Fatalf("retried %d before the doubled backoff", n)
	}
	c.Add(time.Minute)
	if n := runOnce(t, w); n != 1 {
		t.Fatalf("third run: %d", n)
	}
	j = get(t, bdb, id)
	if j.State != jobs.StateFailed || j.Attempts != 3 || !strings.Contains(j.LastError, "attempt 3") || j.FinishedAt.IsZero() {
		t.Fatalf("after last failure: %+v", j)
	}
	c.Add(time.Hour)
	if n := runOnce(t, w); n != 0 {
		t.Fatalf("failed job ran again: %d", n)
	}
	if errsSeen.Load() != 3 {
		t.Fatalf("OnResult called %d times, want 3", errsSeen.Load())
	}
	// An operator can put it back.
	if ok, err := jobs.Retry(ctx, bdb, id); err != nil || !ok {
		t.Fatalf("retry = %v, %v", ok, err)
	}
	if j := get(t, bdb, id); j.State != jobs.StatePending || j.Attempts != 0 {
		t.Fatalf("after Retry: %+v", j)
	}
}

func TestDefaultBackoffGrowsAndIsCapped(t *testing.T) {
	prev := time.Duration(0)
	for a := 1; a <= 8; a++ {
		d := jobs.DefaultBackoff(a)
		if d <= prev {
			t.Fatalf("backoff(%d) = %v, not above backoff(%d) = %v", a, d, a-1, prev)
		}
		prev = d
	}
	for _, a := range []int{12, 13, 50, 1000} {
		if d := jobs.DefaultBackoff(a); d < time.Hour || d > time.Hour+6*time.Minute {
			t.Fatalf("backoff(%d) = %v, want about an hour", a, d)
		}
	}
}

func TestPanicIsRecovered(t *testing.T) {
	bdb := dbtest.New(t)
	w := jobs.NewWorker(bdb, quiet(), jobs.Options{})
	w.Handle("boom", func(context.Context, *jobs.Job) error { panic("boom at the printer") })
	var ok atomic.Bool
	w.Handle("fine", func(context.Context, *jobs.Job) error { ok.Store(true); return nil })
	id := enqueue(t, bdb, jobs.Job{Kind: "boom", MaxAttempts: 1})
	enqueue(t, bdb, jobs.Job{Kind: "fine"})
	if n := runOnce(t, w); n != 2 {
		t.Fatalf("ran %d, want 2", n)
	}
	j := get(t, bdb, id)
	if j.State != jobs.StateFailed || !strings.Contains(j.LastError, "panic: boom at the printer") {
		t.Fatalf("panicking job: %+v", j)
	}
	if !ok.Load() {
		t.Fatal("the other job did not run")
	}
}

func TestPermanentErrorFailsAtOnce(t *testing.T) {
	bdb := dbtest.New(t)
	w := jobs.NewWorker(bdb, quiet(), jobs.Options{})
	w.Handle("posts.publish", func(context.Context, *jobs.Job) error {
		return jobs.Permanent(errors.New("post no longer exists"))
	})
	id := enqueue(t, bdb, jobs.Job{Kind: "posts.publish"})
	runOnce(t, w)
	if j := get(t, bdb, id); j.State != jobs.StateFailed || j.Attempts != 1 || j.LastError != "post no longer exists" {
		t.Fatalf("after permanent error: %+v", j)
	}
}

func TestOnlyRegisteredKindsAreClaimed(t *testing.T) {
	bdb := dbtest.New(t)
	id := enqueue(t, bdb, jobs.Job{Kind: "from.newer.release"})
	w := jobs.NewWorker(bdb, quiet(), jobs.Options{})
	if n := runOnce(t, w); n != 0 {
		t.Fatalf("worker without handlers ran %d", n)
	}
	w.Handle("mine", func(context.Context, *jobs.Job) error { return nil })
	if n := runOnce(t, w); n != 0 {
		t.Fatalf("ran %d jobs of another kind", n)
	}
	if j := get(t, bdb, id); j.State != jobs.StatePending || j.Attempts != 0 {
		t.Fatalf("foreign job touched: %+v", j)
	}
}

func TestEnqueueInRolledBackTransactionLeavesNoJob(t *testing.T) {
	ctx := context.Background()
	bdb := dbtest.New(t)
	rollback := errors.New("the schedule failed validation")
	err := db.InTx(ctx, bdb, func(ctx context.Context, tx bun.Tx) error {
		if _, _, err := jobs.Enqueue(ctx, tx, jobs.Job{Kind: "posts.publish", UniqueKey: "publish:p1"}); err != nil {
			return err
		}
		return rollback
	})
	if !errors.Is(err, rollback) {
		t.Fatalf("InTx = %v", err)
	}
	if _, err := jobs.Get(ctx, bdb, "publish:p1"); !errs.Is(err, errs.KindNotFound) {
		t.Fatalf("job after rollback: %v", err)
	}
	stats, err := jobs.Stats(ctx, bdb)
	if err != nil {
		t.Fatal(err)
	}
	for s, n := range stats {
		if n != 0 {
			t.Fatalf("%d %s jobs after rollback", n, s)
		}
	}
	// Committed: the job is there, and its key was not burnt by the rollback.
	err = db.InTx(ctx, bdb, func(ctx context.Context, tx bun.Tx) error {
		_, created, err := jobs.Enqueue(ctx, tx, jobs.Job{Kind: "posts.publish", UniqueKey: "publish:p1"})
		if err == nil && !created {
			err = errors.New("not created")
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	get(t, bdb, "publish:p1")
}

// TestTwoProcessesRunEveryJobExactlyOnce runs two workers on two separate
// connection pools to the same database (two processes) over 200 jobs.
func TestTwoProcessesRunEveryJobExactlyOnce(t *testing.T) {
	ctx := context.Background()
	bdb, opts := dbtest.NewWithOptions(t)
	other, err := db.Open(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()

	const total = 200
	want := map[string]bool{}
	err = db.InTx(ctx, bdb, func(ctx context.Context, tx bun.Tx) error {
		for i := range total {
			id, _, err := jobs.Enqueue(ctx, tx, jobs.Job{Kind: "count", Payload: map[string]int{"i": i}})
			if err != nil {
				return err
			}
			want[id] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	var mu sync.Mutex
	runs := map[string]int{}
	byWorker := map[string]int{}
	handler := func(name string) jobs.Handler {
		return func(ctx context.Context, j *jobs.Job) error {
			mu.Lock()
			runs[j.ID]++
			byWorker[name]++
			mu.Unlock()
			time.Sleep(time.Millisecond)
			return nil
		}
	}
	runCtx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for name, conn := range map[string]*bun.DB{"a": bdb, "b": other} {
		w := jobs.NewWorker(conn, quiet(), jobs.Options{ID: name, Concurrency: 4, PollInterval: 10 * time.Millisecond})
		w.Handle("count", handler(name))
		wg.Go(func() { _ = w.Run(runCtx) })
	}
	waitFor(t, 60*time.Second, "all jobs done", func() bool {
		stats, err := jobs.Stats(ctx, bdb)
		return err == nil && stats[jobs.StateDone] == total
	})
	stop()
	wg.Wait()

	mu.Lock()
	defer mu.Unlock()
	for id, n := range runs {
		if !want[id] {
			t.Errorf("ran unknown job %s", id)
		}
		if n != 1 {
			t.Errorf("job %s ran %d times", id, n)
		}
	}
	if len(runs) != total {
		t.Errorf("%d distinct jobs ran, want %d", len(runs), total)
	}
	t.Logf("%s: worker a ran %d, worker b ran %d", dbtest.Dialect(), byWorker["a"], byWorker["b"])
	stats, err := jobs.Stats(ctx, bdb)
	if err != nil {
		t.Fatal(err)
	}
	if stats[jobs.StateDone] != total || stats[jobs.StateRunning] != 0 || stats[jobs.StatePending] != 0 {
		t.Fatalf("stats = %v", stats)
	}
}

// TestExpiredLeaseIsReclaimed simulates a process killed mid-run: its
// connection pool is closed under a running handler so it can write
// nothing more; once the lease has expired another worker runs the job.
func TestExpiredLeaseIsReclaimed(t *testing.T) {
	ctx := context.Background()
	bdb, opts := dbtest.NewWithOptions(t)
	doomed, err := db.Open(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	id := enqueue(t, bdb, jobs.Job{Kind: "quota.remind", UniqueKey: "reminder:t1:2026-W48:thu"})

	started := make(chan struct{})
	a := jobs.NewWorker(doomed, quiet(), jobs.Options{ID: "doomed", Lease: time.Minute})
	a.Handle("quota.remind", func(ctx context.Context, j *jobs.Job) error {
		close(started)
		<-ctx.Done()
		return ctx.Err()
	})
	runCtx, kill := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); _ = a.Run(runCtx) }()
	<-started
	_ = doomed.Close() // the process dies: nothing it does reaches the database
	kill()
	<-done

	j := get(t, bdb, id)
	if j.State != jobs.StateRunning || j.LockedBy != "doomed" || j.Attempts != 1 {
		t.Fatalf("after the kill: %+v", j)
	}
	var saw *jobs.Job
	b := jobs.NewWorker(bdb, quiet(), jobs.Options{ID: "survivor"})
	b.Handle("quota.remind", func(ctx context.Context, j *jobs.Job) error { saw = j; return nil })
	if n := runOnce(t, b); n != 0 {
		t.Fatalf("took over %d jobs whose lease still holds", n)
	}
	if _, err := bdb.ExecContext(ctx, "UPDATE jobs SET locked_until = ? WHERE id = ?",
		time.Now().UTC().Add(-time.Second), id); err != nil {
		t.Fatal(err)
	}
	if n := runOnce(t, b); n != 1 {
		t.Fatalf("after the lease expired ran %d, want 1", n)
	}
	if saw.Attempts != 2 || !strings.Contains(saw.LastError, "lease of doomed expired") {
		t.Fatalf("handler saw %+v", saw)
	}
	if j := get(t, bdb, id); j.State != jobs.StateDone || j.LockedBy != "survivor" || j.Attempts != 2 {
		t.Fatalf("after take-over: %+v", j)
	}
}

// TestStaleWorkerCannotOverwrite: a worker that lost its lease (it was slow,
// not dead) cannot record a result or complete the job in its transaction.
func TestStaleWorkerCannotOverwrite(t *testing.T) {
	ctx := context.Background()
	bdb := dbtest.New(t)
	id := enqueue(t, bdb, jobs.Job{Kind: "posts.publish"})

	started := make(chan struct{})
	resume := make(chan struct{})
	completeErr := make(chan error, 1)
	slow := jobs.NewWorker(bdb, quiet(), jobs.Options{ID: "slow", Lease: time.Minute})
	slow.Handle("posts.publish", func(ctx context.Context, j *jobs.Job) error {
		close(started)
		<-resume
		err := db.InTx(ctx, bdb, func(ctx context.Context, tx bun.Tx) error { return j.CompleteTx(ctx, tx) })
		completeErr <- err
		return errors.New("late failure that must not be recorded")
	})
	slowDone := make(chan int)
	go func() { n, _ := slow.RunOnce(ctx); slowDone <- n }()
	<-started
	if _, err := bdb.ExecContext(ctx, "UPDATE jobs SET locked_until = ? WHERE id = ?",
		time.Now().UTC().Add(-time.Second), id); err != nil {
		t.Fatal(err)
	}
	fast := jobs.NewWorker(bdb, quiet(), jobs.Options{ID: "fast"})
	fast.Handle("posts.publish", func(ctx context.Context, j *jobs.Job) error {
		return db.InTx(ctx, bdb, func(ctx context.Context, tx bun.Tx) error { return j.CompleteTx(ctx, tx) })
	})
	if n := runOnce(t, fast); n != 1 {
		t.Fatalf("fast worker ran %d", n)
	}
	close(resume)
	if err := <-completeErr; !errors.Is(err, jobs.ErrLeaseLost) {
		t.Fatalf("stale CompleteTx = %v, want ErrLeaseLost", err)
	}
	<-slowDone
	j := get(t, bdb, id)
	if j.State != jobs.StateDone || j.LockedBy != "fast" || j.Attempts != 2 || j.LastError == "late failure that must not be recorded" {
		t.Fatalf("after the stale worker finished: %+v", j)
	}
}

func TestHeartbeatKeepsLease(t *testing.T) {
	ctx := context.Background()
	bdb := dbtest.New(t)
	id := enqueue(t, bdb, jobs.Job{Kind: "media.renditions"})
	const lease = 300 * time.Millisecond
	long := jobs.NewWorker(bdb, quiet(), jobs.Options{ID: "long", Lease: lease})
	started := make(chan struct{})
	long.Handle("media.renditions", func(ctx context.Context, j *jobs.Job) error {
		close(started)
		select {
		case <-time.After(4 * lease):
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
	done := make(chan int)
	go func() { n, _ := long.RunOnce(ctx); done <- n }()
	<-started
	time.Sleep(2 * lease) // past the first lease
	other := jobs.NewWorker(bdb, quiet(), jobs.Options{ID: "other"})
	other.Handle("media.renditions", func(context.Context, *jobs.Job) error { return nil })
	if n := runOnce(t, other); n != 0 {
		t.Fatalf("took over a job whose lease is being extended (%d)", n)
	}
	if j := get(t, bdb, id); !j.LockedUntil.After(time.Now()) {
		t.Fatalf("lease not extended: locked_until %v", j.LockedUntil)
	}
	<-done
	if j := get(t, bdb, id); j.State != jobs.StateDone || j.Attempts != 1 || j.LockedBy != "long" {
		t.Fatalf("after the long run: %+v", j)
	}
}

func TestLostLeaseCancelsHandler(t *testing.T) {
	ctx := context.Background()
	bdb := dbtest.New(t)
	id := enqueue(t, bdb, jobs.Job{Kind: "media.renditions"})
	w := jobs.NewWorker(bdb, quiet(), jobs.Options{ID: "w", Lease: 150 * time.Millisecond})
	started := make(chan struct{})
	cause := make(chan error, 1)
	w.Handle("media.renditions", func(ctx context.Context, j *jobs.Job) error {
		close(started)
		select {
		case <-ctx.Done():
			cause <- context.Cause(ctx)
		case <-time.After(10 * time.Second):
			cause <- errors.New("handler was not cancelled")
		}
		return ctx.Err()
	})
	done := make(chan struct{})
	go func() { defer close(done); _, _ = w.RunOnce(ctx) }()
	<-started
	// Another worker took it over behind this one's back.
	if _, err := bdb.ExecContext(ctx, "UPDATE jobs SET locked_by = 'thief' WHERE id = ?", id); err != nil {
		t.Fatal(err)
	}
	if err := <-cause; !errors.Is(err, jobs.ErrLeaseLost) {
		t.Fatalf("handler's context cause = %v", err)
	}
	<-done
	if j := get(t, bdb, id); j.State != jobs.StateRunning || j.LockedBy != "thief" || j.Attempts != 1 {
		t.Fatalf("the thief's job was changed: %+v", j)
	}
}

func TestShutdownPutsRunningJobBack(t *testing.T) {
	ctx := context.Background()
	bdb := dbtest.New(t)
	id := enqueue(t, bdb, jobs.Job{Kind: "posts.publish"})
	w := jobs.NewWorker(bdb, quiet(), jobs.Options{ID: "w"})
	started := make(chan struct{})
	var calls atomic.Int32
	w.Handle("posts.publish", func(ctx context.Context, j *jobs.Job) error {
		if calls.Add(1) > 1 {
			return nil
		}
		close(started)
		<-ctx.Done()
		return ctx.Err()
	})
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error)
	go func() { done <- w.Run(runCtx) }()
	<-started
	stop()
	if err := <-done; err != nil {
		t.Fatalf("Run = %v", err)
	}
	if j := get(t, bdb, id); j.State != jobs.StatePending || j.Attempts != 0 || !j.LockedUntil.IsZero() {
		t.Fatalf("after shutdown: %+v", j)
	}
	if n := runOnce(t, w); n != 1 {
		t.Fatalf("after restart ran %d", n)
	}
	if j := get(t, bdb, id); j.State != jobs.StateDone || j.Attempts != 1 {
		t.Fatalf("after restart: %+v", j)
	}
}

func TestShutdownGraceLetsHandlersFinish(t *testing.T) {
	ctx := context.Background()
	bdb := dbtest.New(t)
	id := enqueue(t, bdb, jobs.Job{Kind: "posts.publish"})
	w := jobs.NewWorker(bdb, quiet(), jobs.Options{ShutdownGrace: 5 * time.Second})
	started := make(chan struct{})
	w.Handle("posts.publish", func(ctx context.Context, j *jobs.Job) error {
		close(started)
		select {
		case <-time.After(100 * time.Millisecond):
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error)
	go func() { done <- w.Run(runCtx) }()
	<-started
	stop()
	<-done
	if j := get(t, bdb, id); j.State != jobs.StateDone {
		t.Fatalf("after graceful shutdown: %+v", j)
	}
}

func TestNotifyWakesIdleWorker(t *testing.T) {
	ctx := context.Background()
	bdb := dbtest.New(t)
	w := jobs.NewWorker(bdb, quiet(), jobs.Options{PollInterval: time.Hour})
	ran := make(chan struct{})
	w.Handle("posts.publish", func(context.Context, *jobs.Job) error { close(ran); return nil })
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); _ = w.Run(runCtx) }()
	defer func() { stop(); <-done }()
	time.Sleep(100 * time.Millisecond) // the first claim has found nothing; next poll in an hour
	enqueue(t, bdb, jobs.Job{Kind: "posts.publish"})
	w.Notify()
	select {
	case <-ran:
	case <-time.After(5 * time.Second):
		t.Fatal("Notify did not wake the worker")
	}
}

func TestJobThatKeepsKillingItsProcessIsFailed(t *testing.T) {
	ctx := context.Background()
	bdb := dbtest.New(t)
	id := enqueue(t, bdb, jobs.Job{Kind: "media.renditions", MaxAttempts: 2})
	// Its second run also died with its process.
	if _, err := bdb.ExecContext(ctx, `UPDATE jobs SET state = 'running', attempts = 2, locked_by = 'dead',
		locked_until = ? WHERE id = ?`, time.Now().UTC().Add(-time.Second), id); err != nil {
		t.Fatal(err)
	}
	w := jobs.NewWorker(bdb, quiet(), jobs.Options{})
	var ran atomic.Bool
	w.Handle("media.renditions", func(context.Context, *jobs.Job) error { ran.Store(true); return nil })
	runOnce(t, w)
	if ran.Load() {
		t.Fatal("ran a job past its attempts")
	}
	if j := get(t, bdb, id); j.State != jobs.StateFailed || !strings.Contains(j.LastError, "never finished") {
		t.Fatalf("crash-looping job: %+v", j)
	}
}

func TestPruneForgetsOldFinishedJobs(t *testing.T) {
	ctx := context.Background()
	bdb := dbtest.New(t)
	enqueue(t, bdb, jobs.Job{Kind: "x", UniqueKey: "k1"})
	failing := enqueue(t, bdb, jobs.Job{Kind: "y", MaxAttempts: 1})
	pending := enqueue(t, bdb, jobs.Job{Kind: "z", RunAt: time.Now().Add(time.Hour)})
	w := jobs.NewWorker(bdb, quiet(), jobs.Options{})
	w.Handle("x", func(context.Context, *jobs.Job) error { return nil })
	w.Handle("y", func(context.Context, *jobs.Job) error { return errors.New("no") })
	runOnce(t, w)
	if n, err := jobs.Prune(ctx, bdb, time.Now().Add(-time.Hour)); err != nil || n != 0 {
		t.Fatalf("prune of old jobs = %d, %v; want 0", n, err)
	}
	if n, err := jobs.Prune(ctx, bdb, time.Now().Add(time.Minute)); err != nil || n != 1 {
		t.Fatalf("prune = %d, %v; want 1", n, err)
	}
	get(t, bdb, failing)
	get(t, bdb, pending)
	if _, created, _ := jobs.Enqueue(ctx, bdb, jobs.Job{Kind: "x", UniqueKey: "k1"}); !created {
		t.Fatal("pruned key still blocks")
	}
}
