package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"runtime/debug"
	"slices"
	"sync"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/db"
)

// Handler runs one job. It returns nil when the job is done; an error
// retries it later (see Permanent). ctx is cancelled when the worker stops
// or loses the job's lease. A handler may run more than once for the same
// job (see the package documentation): it must be idempotent.
type Handler func(ctx context.Context, j *Job) error

// Options tune a Worker. Zero values take the defaults noted.
type Options struct {
	// Concurrency is how many jobs run at once in this process (default 4).
	Concurrency int
	// PollInterval is how often the worker looks for due jobs when idle
	// (default 1s). Notify wakes it earlier.
	PollInterval time.Duration
	// Lease is how long a claim holds without a heartbeat (default 1m): a job
	// of a killed process runs again after at most this long. The heartbeat
	// extends it every Lease/3 while the handler runs.
	Lease time.Duration
	// ID names this worker in locked_by (default host:pid:random).
	ID string
	// Now is the clock (default time.Now); tests inject their own.
	Now func() time.Time
	// Backoff is the delay before retry number attempt+1 after attempt
	// failed (default DefaultBackoff).
	Backoff func(attempt int) time.Duration
	// ShutdownGrace is how long Run lets running handlers finish after its
	// context ends before cancelling theirs (default 0: cancel at once; the
	// cancelled jobs go back to pending without spending an attempt).
	ShutdownGrace time.Duration
	// OnResult, when set, is called after every run with the job's kind and
	// the handler's error (nil on success), for metrics.
	OnResult func(kind string, err error)
}

// writeTimeout bounds the worker's own statements (claim, heartbeat,
// result), which run even while the worker is stopping.
const writeTimeout = 30 * time.Second

// DefaultBackoff waits 10s after the first failure, doubling each time up to
// an hour, plus up to 10% jitter so failed jobs do not retry in lockstep.
func DefaultBackoff(attempt int) time.Duration {
	d := time.Hour
	if attempt < 1 {
		attempt = 1
	}
	if attempt <= 12 {
		d = min(10*time.Second<<(attempt-1), time.Hour)
	}
	return d + rand.N(d/10+1)
}

// Worker claims due jobs from the jobs table and runs their handlers. Every
// process runs one; register handlers with Handle before Run.
type Worker struct {
	db   *bun.DB
	log  *slog.Logger
	opts Options
	wake chan struct{}

	mu       sync.RWMutex
	handlers map[string]Handler
}

// NewWorker returns a worker on bdb. log may be nil (slog.Default).
func NewWorker(bdb *bun.DB, log *slog.Logger, opts Options) *Worker {
	if log == nil {
		log = slog.Default()
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = 4
	}
	if opts.PollInterval <= 0 {
		opts.PollInterval = time.Second
	}
	if opts.Lease <= 0 {
		opts.Lease = time.Minute
	}
	if opts.ID == "" {
		host, _ := os.Hostname()
		id := db.NewID()
		opts.ID = fmt.Sprintf("%s:%d:%s", host, os.Getpid(), id[len(id)-8:])
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Backoff == nil {
		opts.Backoff = DefaultBackoff
	}
	return &Worker{
		db:       bdb,
		log:      log.With("worker", opts.ID),
		opts:     opts,
		wake:     make(chan struct{}, 1),
		handlers: map[string]Handler{},
	}
}

// ID is the worker's name as written to locked_by.
func (w *Worker) ID() string { return w.opts.ID }

// Handle registers fn for jobs of kind. Registering a kind twice panics.
// Only kinds with a handler are claimed, so a process running older code
// leaves newer kinds to the processes that know them.
func (w *Worker) Handle(kind string, fn Handler) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, dup := w.handlers[kind]; dup {
		panic("jobs: handler for " + kind + " registered twice")
	}
	w.handlers[kind] = fn
}

// Notify wakes the worker to look for due jobs now instead of at the next
// poll — call it after committing a transaction that enqueued a job due now.
// Workers in other processes still find it at their next poll.
func (w *Worker) Notify() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Stats counts this worker's database's jobs by state; see Stats.
func (w *Worker) Stats(ctx context.Context) (map[State]int, error) { return Stats(ctx, w.db) }

// Run claims and runs due jobs until ctx ends, then waits for the running
// handlers (cancelling their contexts after Options.ShutdownGrace) and
// returns nil. Claim errors (database down) are logged and retried.
func (w *Worker) Run(ctx context.Context) error {
	jobsCtx, stopJobs := context.WithCancel(context.WithoutCancel(ctx))
	defer stopJobs()
	stopping := func() bool { return ctx.Err() != nil }

	conc := w.opts.Concurrency
	finished := make(chan struct{}, conc) // one send per started job; inflight <= conc
	var wg sync.WaitGroup
	inflight := 0
	more := true // the queue may hold due jobs: claim before waiting
	poll := time.NewTimer(w.opts.PollInterval)
	defer poll.Stop()
	w.log.Info("job worker started", "concurrency", conc, "kinds", w.kinds())
	for {
		if more && inflight < conc && ctx.Err() == nil {
			want := conc - inflight
			claimed, err := w.claim(ctx, want)
			if err != nil {
				w.log.Error("claim jobs", "err", err)
			}
			for _, j := range claimed {
				inflight++
				wg.Go(func() {
					defer func() { finished <- struct{}{} }()
					w.execute(jobsCtx, stopping, j)
				})
			}
			more = err == nil && len(claimed) == want
		}
		select {
		case <-ctx.Done():
			w.drain(&wg, stopJobs)
			w.log.Info("job worker stopped")
			return nil
		case <-finished:
			inflight--
		case <-w.wake:
			more = true
		case <-poll.C:
			more = true
			poll.Reset(w.opts.PollInterval)
		}
	}
}

// drain waits for running handlers, cancelling them after the grace period.
func (w *Worker) drain(wg *sync.WaitGroup, stopJobs context.CancelFunc) {
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	if w.opts.ShutdownGrace > 0 {
		t := time.NewTimer(w.opts.ShutdownGrace)
		defer t.Stop()
		select {
		case <-done:
			return
		case <-t.C:
		}
	}
	stopJobs()
	<-done
}

// RunOnce runs every job due now — batches of up to Concurrency, until a
// claim finds none — and returns how many runs it made. For tests and
// commands; a retried job is due again only after its backoff. If ctx ends,
// running handlers are cancelled and their jobs put back.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	stopping := func() bool { return ctx.Err() != nil }
	total := 0
	for ctx.Err() == nil {
		claimed, err := w.claim(ctx, w.opts.Concurrency)
		if err != nil {
			return total, err
		}
		if len(claimed) == 0 {
			return total, nil
		}
		var wg sync.WaitGroup
		for _, j := range claimed {
			wg.Go(func() { w.execute(ctx, stopping, j) })
		}
		wg.Wait()
		total += len(claimed)
	}
	return total, ctx.Err()
}

func (w *Worker) kinds() []string {
	w.mu.RLock()
	defer w.mu.RUnlock()
	kinds := make([]string, 0, len(w.handlers))
	for k := range w.handlers {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	return kinds
}

func (w *Worker) handler(kind string) Handler {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return w.handlers[kind]
}

// claimSelect picks due jobs: pending ones whose time has come, and running
// ones whose lease expired. Arguments: kinds, now, now, limit.
const claimSelect = `SELECT id FROM jobs
	WHERE kind IN (?)
	  AND ((state = 'pending' AND run_at <= ?) OR (state = 'running' AND locked_until < ?))
	ORDER BY run_at, id
	LIMIT ?`

// claimSet takes the picked jobs. Arguments: worker id, lease end. The old
// values in CASE note a lease taken over from a dead worker.
const claimSet = `UPDATE jobs SET state = 'running', locked_by = ?, locked_until = ?, attempts = attempts + 1,
	last_error = CASE WHEN state = 'running' THEN 'lease of ' || locked_by || ' expired' ELSE last_error END`

// claim atomically takes up to limit due jobs for this worker.
func (w *Worker) claim(ctx context.Context, limit int) ([]*Job, error) {
	kinds := w.kinds()
	if len(kinds) == 0 || limit <= 0 {
		return nil, nil
	}
	// Not cancelled with ctx: a claim that commits must return its rows, or
	// the jobs would wait for their lease to expire.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), writeTimeout)
	defer cancel()
	now := utc(w.opts.Now())
	until := now.Add(w.opts.Lease)
	var (
		q    string
		args []any
	)
	if db.IsPostgres(w.db) {
		// FOR UPDATE SKIP LOCKED: concurrent claimers skip each other's rows;
		// MATERIALIZED: the pick runs once, whatever the plan.
		q = `WITH due AS MATERIALIZED (` + claimSelect + ` FOR UPDATE SKIP LOCKED) ` +
			claimSet + ` WHERE id IN (SELECT id FROM due) RETURNING ` + columns
		args = []any{bun.List(kinds), now, now, limit, w.opts.ID, until}
	} else {
		// SQLite: the UPDATE takes the database's single write lock before it
		// reads, so the pick and the take are one atomic step.
		q = claimSet + ` WHERE id IN (` + claimSelect + `) RETURNING ` + columns
		args = []any{w.opts.ID, until, bun.List(kinds), now, now, limit}
	}
	var rows []jobRow
	if err := w.db.NewRaw(q, args...).Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("claim jobs: %w", err)
	}
	out := make([]*Job, len(rows))
	for i := range rows {
		j := rows[i].job()
		j.run = &runState{now: w.opts.Now}
		out[i] = j
	}
	return out, nil
}

// execute runs one claimed job and records its result.
func (w *Worker) execute(jobsCtx context.Context, stopping func() bool, j *Job) {
	log := w.log.With("job", j.ID, "kind", j.Kind, "attempt", j.Attempts)
	if j.TenantID != "" {
		log = log.With("tenant", j.TenantID)
	}
	if j.Attempts > j.MaxAttempts {
		// Only a lease taken over gets here: the job's runs keep dying with
		// their process. Do not run it again.
		err := fmt.Errorf("gave up after %d runs that never finished (%s)", j.Attempts-1, j.LastError)
		w.record(jobsCtx, log, j, err, false)
		return
	}
	ctx, cancel := context.WithCancelCause(jobsCtx)
	defer cancel(nil)
	hbStop := make(chan struct{})
	hbDone := make(chan struct{})
	go func() {
		defer close(hbDone)
		w.heartbeat(ctx, log, j, cancel, hbStop)
	}()

	start := time.Now()
	err := call(ctx, w.handler(j.Kind), j)
	close(hbStop)
	<-hbDone
	log = log.With("duration", time.Since(start))

	if errors.Is(context.Cause(ctx), ErrLeaseLost) {
		log.Warn("job lease lost while running; its result is discarded", "err", err)
		w.result(j.Kind, ErrLeaseLost)
		return
	}
	released := err != nil && ctx.Err() != nil && stopping()
	w.record(jobsCtx, log, j, err, released)
}

// call runs fn, turning a panic into an error.
func call(ctx context.Context, fn Handler, j *Job) (err error) {
	if fn == nil {
		return Permanent(fmt.Errorf("no handler for kind %q", j.Kind))
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v\n%s", r, debug.Stack())
		}
	}()
	return fn(ctx, j)
}

// heartbeat extends the job's lease every Lease/3 until stop closes. When the
// lease turns out to be lost it cancels the handler's context.
func (w *Worker) heartbeat(ctx context.Context, log *slog.Logger, j *Job, cancel context.CancelCauseFunc, stop <-chan struct{}) {
	t := time.NewTicker(max(w.opts.Lease/3, time.Millisecond))
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-ctx.Done():
			return
		case <-t.C:
		}
		wctx, wcancel := context.WithTimeout(context.WithoutCancel(ctx), writeTimeout)
		res, err := w.db.ExecContext(wctx, `UPDATE jobs SET locked_until = ?
			WHERE id = ? AND state = 'running' AND locked_by = ? AND attempts = ?`,
			utc(w.opts.Now()).Add(w.opts.Lease), j.ID, j.LockedBy, j.Attempts)
		wcancel()
		if err != nil {
			// Keep going: the handler may finish before the lease ends, and
			// fencing protects the job if it does not.
			log.Warn("extend job lease", "err", err)
			continue
		}
		if n, err := res.RowsAffected(); err == nil && n == 0 {
			cancel(ErrLeaseLost)
			return
		}
	}
}

// record writes a run's outcome, fenced by (locked_by, attempts): done on
// success; back to pending when released by a shutdown (the attempt is not
// counted) or for a retry after backoff; failed when attempts are spent or
// the error is Permanent.
func (w *Worker) record(jobsCtx context.Context, log *slog.Logger, j *Job, runErr error, released bool) {
	defer w.result(j.Kind, runErr)
	ctx, cancel := context.WithTimeout(context.WithoutCancel(jobsCtx), writeTimeout)
	defer cancel()
	now := utc(w.opts.Now())
	const fence = ` WHERE id = ? AND state = 'running' AND locked_by = ? AND attempts = ?`
	var (
		q    string
		args []any
	)
	switch {
	case runErr == nil:
		q = `UPDATE jobs SET state = 'done', locked_until = NULL, finished_at = ?` + fence
		args = []any{now}
	case released:
		q = `UPDATE jobs SET state = 'pending', attempts = attempts - 1, locked_until = NULL` + fence
	case IsPermanent(runErr) || j.Attempts >= j.MaxAttempts:
		q = `UPDATE jobs SET state = 'failed', last_error = ?, locked_until = NULL, finished_at = ?` + fence
		args = []any{truncateError(runErr.Error()), now}
	default:
		q = `UPDATE jobs SET state = 'pending', run_at = ?, last_error = ?, locked_until = NULL` + fence
		args = []any{now.Add(w.opts.Backoff(j.Attempts)), truncateError(runErr.Error())}
	}
	args = append(args, j.ID, j.LockedBy, j.Attempts)
	res, err := w.db.ExecContext(ctx, q, args...)
	if err != nil {
		// The job stays running; it runs again once its lease expires.
		log.Error("record job result", "err", err, "run_err", runErr)
		return
	}
	n, err := res.RowsAffected()
	if err != nil {
		log.Error("record job result", "err", err, "run_err", runErr)
		return
	}
	switch {
	case n == 0 && runErr == nil && j.run.completed.Load():
		log.Debug("job completed in its handler's transaction")
	case n == 0:
		log.Warn("job lease lost before its result was recorded; result discarded", "run_err", runErr)
	case runErr == nil:
		log.Debug("job done")
	case released:
		log.Info("job put back at shutdown", "err", runErr)
	case IsPermanent(runErr) || j.Attempts >= j.MaxAttempts:
		log.Error("job failed", "err", runErr)
	default:
		log.Warn("job will be retried", "err", runErr, "retry_at", args[0])
	}
}

func (w *Worker) result(kind string, err error) {
	if w.opts.OnResult != nil {
		w.opts.OnResult(kind, err)
	}
}
