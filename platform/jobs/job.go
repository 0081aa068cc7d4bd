package jobs

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/errs"
)

// State is where a job is in its life.
type State string

// The states of a job.
const (
	// StatePending waits for its run_at (or for a retry after an error).
	StatePending State = "pending"
	// StateRunning is claimed by a worker holding a lease.
	StateRunning State = "running"
	// StateDone finished successfully.
	StateDone State = "done"
	// StateFailed spent its attempts or returned a Permanent error.
	StateFailed State = "failed"
	// StateCancelled was cancelled while pending; its unique key is free again.
	StateCancelled State = "cancelled"
)

// States lists every state, in life order.
func States() []State {
	return []State{StatePending, StateRunning, StateDone, StateFailed, StateCancelled}
}

// DefaultMaxAttempts is used when a Job does not set MaxAttempts.
const DefaultMaxAttempts = 10

// maxErrorLen bounds last_error (a panic's stack can be long).
const maxErrorLen = 4000

// ErrLeaseLost means this worker's claim on a job is over: its lease expired
// and another worker took the job, or the job was changed behind its back.
var ErrLeaseLost = errors.New("jobs: lease lost, another worker owns the job")

// Job is a unit of background work. The first six fields are what a caller
// sets for Enqueue; the rest are filled when a job is read or handed to a
// handler.
type Job struct {
	// Kind selects the handler, e.g. "posts.publish".
	Kind string
	// TenantID is the tenant the job works for; empty for platform-wide jobs.
	TenantID string
	// Payload is the job's input. Enqueue stores it as JSON; a handler gets
	// it back as json.RawMessage and reads it with Decode.
	Payload any
	// RunAt is when the job becomes due; zero means now.
	RunAt time.Time
	// UniqueKey, when set, makes Enqueue a no-op if a job with this key exists
	// (in any state but cancelled).
	UniqueKey string
	// MaxAttempts bounds the runs; zero means DefaultMaxAttempts.
	MaxAttempts int

	// ID is the job's identifier (a UUIDv7).
	ID string
	// State is the job's state when it was read.
	State State
	// Attempts counts the runs started, this one included for a handler.
	Attempts int
	// LastError is the error of the last failed run.
	LastError string
	// LockedBy names the worker that claimed the job last.
	LockedBy string
	// LockedUntil is the end of the current lease (zero when not running).
	LockedUntil time.Time
	// CreatedAt is when the job was enqueued.
	CreatedAt time.Time
	// FinishedAt is when the job became done, failed or cancelled.
	FinishedAt time.Time

	// run is set on jobs handed to a handler, for CompleteTx.
	run *runState
}

// runState is a claimed job's link to its worker.
type runState struct {
	now       func() time.Time
	completed atomic.Bool // CompleteTx succeeded
}

// Decode unmarshals the job's payload into v.
func (j *Job) Decode(v any) error {
	var raw []byte
	switch p := j.Payload.(type) {
	case json.RawMessage:
		raw = p
	case []byte:
		raw = p
	case nil:
		raw = []byte("null")
	default:
		b, err := json.Marshal(p)
		if err != nil {
			return fmt.Errorf("decode job %s payload: %w", j.ID, err)
		}
		raw = b
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("decode job %s payload: %w", j.ID, err)
	}
	return nil
}

// CompleteTx marks the job done inside the handler's own transaction idb, so
// the job's completion commits or rolls back with the handler's changes.
// It returns ErrLeaseLost when this worker no longer owns the job (roll the
// transaction back then). Only valid on a job handed to a handler.
func (j *Job) CompleteTx(ctx context.Context, idb bun.IDB) error {
	if j.run == nil || j.LockedBy == "" {
		return errors.New("jobs: CompleteTx on a job not handed out by a worker")
	}
	res, err := idb.ExecContext(ctx, `UPDATE jobs SET state = 'done', locked_until = NULL, finished_at = ?
		WHERE id = ? AND state = 'running' AND locked_by = ? AND attempts = ?`,
		utc(j.run.now()), j.ID, j.LockedBy, j.Attempts)
	if err != nil {
		return fmt.Errorf("complete job %s: %w", j.ID, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("complete job %s: %w", j.ID, err)
	} else if n == 0 {
		return fmt.Errorf("complete job %s: %w", j.ID, ErrLeaseLost)
	}
	j.run.completed.Store(true)
	return nil
}

// permanentError marks a handler error that must not be retried.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// Permanent wraps err so the job fails at once instead of being retried
// (bad payload, the object it works on is gone). Permanent(nil) is nil.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &permanentError{err: err}
}

// IsPermanent reports whether err was wrapped by Permanent.
func IsPermanent(err error) bool {
	var p *permanentError
	return errors.As(err, &p)
}

// Enqueue inserts j in idb — normally the transaction that makes the change
// the job follows from. It returns the job's id and created=true, or, when a
// job with j.UniqueKey already exists, that job's id and created=false
// (the id is empty if the existing job is not yet visible to idb).
func Enqueue(ctx context.Context, idb bun.IDB, j Job) (id string, created bool, err error) {
	if strings.TrimSpace(j.Kind) == "" {
		return "", false, errs.Invalid("kind", "job_kind_required", "Thiếu loại tác vụ")
	}
	payload := []byte("{}")
	if j.Payload != nil {
		if payload, err = json.Marshal(j.Payload); err != nil {
			return "", false, fmt.Errorf("enqueue %s: encode payload: %w", j.Kind, err)
		}
	}
	maxAttempts := j.MaxAttempts
	if maxAttempts <= 0 {
		maxAttempts = DefaultMaxAttempts
	}
	now := utc(time.Now())
	runAt := now
	if !j.RunAt.IsZero() {
		runAt = utc(j.RunAt)
	}
	id = db.NewID()
	res, err := idb.ExecContext(ctx, `INSERT INTO jobs
		(id, tenant_id, kind, payload, unique_key, run_at, state, attempts, max_attempts, last_error, created_at)
		VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, '', ?)
		ON CONFLICT (unique_key) WHERE state <> 'cancelled' DO NOTHING`,
		id, nullString(j.TenantID), j.Kind, string(payload), nullString(j.UniqueKey), runAt, maxAttempts, now)
	if err != nil {
		return "", false, fmt.Errorf("enqueue %s: %w", j.Kind, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return "", false, fmt.Errorf("enqueue %s: %w", j.Kind, err)
	}
	if n == 1 {
		return id, true, nil
	}
	var existing string
	err = idb.NewRaw(`SELECT id FROM jobs WHERE unique_key = ? AND state <> 'cancelled'`, j.UniqueKey).Scan(ctx, &existing)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", false, fmt.Errorf("enqueue %s: find existing job: %w", j.Kind, err)
	}
	return existing, false, nil
}

// Cancel cancels the pending job whose id or unique key is ref, releasing
// its unique key. It reports whether a job was cancelled: false when there
// is none pending (already running, finished or unknown). A running job
// cannot be cancelled; its handler must check its own state.
func Cancel(ctx context.Context, idb bun.IDB, ref string) (bool, error) {
	res, err := idb.ExecContext(ctx, `UPDATE jobs SET state = 'cancelled', finished_at = ?, locked_by = NULL, locked_until = NULL
		WHERE state = 'pending' AND (id = ? OR unique_key = ?)`, utc(time.Now()), ref, ref)
	if err != nil {
		return false, fmt.Errorf("cancel job %s: %w", ref, err)
	}
	return affected(res, "cancel job "+ref)
}

// Reschedule moves the pending job whose id or unique key is ref to runAt.
// It reports false when there is no such pending job.
func Reschedule(ctx context.Context, idb bun.IDB, ref string, runAt time.Time) (bool, error) {
	res, err := idb.ExecContext(ctx, `UPDATE jobs SET run_at = ? WHERE state = 'pending' AND (id = ? OR unique_key = ?)`,
		utc(runAt), ref, ref)
	if err != nil {
		return false, fmt.Errorf("reschedule job %s: %w", ref, err)
	}
	return affected(res, "reschedule job "+ref)
}

// Retry puts the failed job whose id or unique key is ref back in the queue,
// due now, with its attempts reset. It reports false when there is no such
// failed job.
func Retry(ctx context.Context, idb bun.IDB, ref string) (bool, error) {
	res, err := idb.ExecContext(ctx, `UPDATE jobs SET state = 'pending', attempts = 0, run_at = ?, finished_at = NULL,
		locked_by = NULL, locked_until = NULL
		WHERE state = 'failed' AND (id = ? OR unique_key = ?)`, utc(time.Now()), ref, ref)
	if err != nil {
		return false, fmt.Errorf("retry job %s: %w", ref, err)
	}
	return affected(res, "retry job "+ref)
}

// Get reads the job whose id or unique key is ref; for a key, the live job
// is preferred over cancelled ones. It returns an errs NotFound when none.
func Get(ctx context.Context, idb bun.IDB, ref string) (*Job, error) {
	var rows []jobRow
	err := idb.NewRaw(`SELECT `+columns+` FROM jobs WHERE id = ? OR unique_key = ?
		ORDER BY CASE WHEN state = 'cancelled' THEN 1 ELSE 0 END, created_at DESC LIMIT 1`, ref, ref).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("get job %s: %w", ref, err)
	}
	if len(rows) == 0 {
		return nil, errs.NotFound("job_not_found", "Không tìm thấy tác vụ")
	}
	return rows[0].job(), nil
}

// Stats counts jobs by state (every state present, zero included): the
// queue depth for metrics and the admin dashboard.
func Stats(ctx context.Context, idb bun.IDB) (map[State]int, error) {
	var rows []struct {
		State string `bun:"state"`
		N     int    `bun:"n"`
	}
	if err := idb.NewRaw(`SELECT state, count(*) AS n FROM jobs GROUP BY state`).Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("job stats: %w", err)
	}
	out := make(map[State]int, len(States()))
	for _, s := range States() {
		out[s] = 0
	}
	for _, r := range rows {
		out[State(r.State)] = r.N
	}
	return out, nil
}

// Prune deletes done and cancelled jobs finished before before and returns
// how many. Pruning forgets their unique keys: keep finished jobs for longer
// than any caller may enqueue the same key again (reminders use a week's
// key, so a few months is safe). Failed jobs are kept for inspection.
func Prune(ctx context.Context, idb bun.IDB, before time.Time) (int64, error) {
	res, err := idb.ExecContext(ctx, `DELETE FROM jobs WHERE state IN ('done', 'cancelled') AND finished_at < ?`, utc(before))
	if err != nil {
		return 0, fmt.Errorf("prune jobs: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("prune jobs: %w", err)
	}
	return n, nil
}

// columns is the select list of jobRow.
const columns = `id, tenant_id, kind, payload, unique_key, run_at, state, attempts, max_attempts,
	last_error, locked_by, locked_until, created_at, finished_at`

// jobRow is a jobs row as scanned (NULLs read as zero values).
type jobRow struct {
	ID          string    `bun:"id"`
	TenantID    string    `bun:"tenant_id"`
	Kind        string    `bun:"kind"`
	Payload     string    `bun:"payload"`
	UniqueKey   string    `bun:"unique_key"`
	RunAt       time.Time `bun:"run_at"`
	State       string    `bun:"state"`
	Attempts    int       `bun:"attempts"`
	MaxAttempts int       `bun:"max_attempts"`
	LastError   string    `bun:"last_error"`
	LockedBy    string    `bun:"locked_by"`
	LockedUntil time.Time `bun:"locked_until"`
	CreatedAt   time.Time `bun:"created_at"`
	FinishedAt  time.Time `bun:"finished_at"`
}

func (r *jobRow) job() *Job {
	return &Job{
		ID:          r.ID,
		Kind:        r.Kind,
		TenantID:    r.TenantID,
		Payload:     json.RawMessage(r.Payload),
		RunAt:       r.RunAt.UTC(),
		UniqueKey:   r.UniqueKey,
		MaxAttempts: r.MaxAttempts,
		State:       State(r.State),
		Attempts:    r.Attempts,
		LastError:   r.LastError,
		LockedBy:    r.LockedBy,
		LockedUntil: utcOrZero(r.LockedUntil),
		CreatedAt:   r.CreatedAt.UTC(),
		FinishedAt:  utcOrZero(r.FinishedAt),
	}
}

// utc normalises t for storage: UTC (so SQLite's text times compare as
// strings) and microseconds (PostgreSQL's precision).
func utc(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

func utcOrZero(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC()
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func affected(res sql.Result, op string) (bool, error) {
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("%s: %w", op, err)
	}
	return n > 0, nil
}

func truncateError(s string) string {
	if len(s) <= maxErrorLen {
		return s
	}
	// Cut on a rune boundary.
	cut := maxErrorLen
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
