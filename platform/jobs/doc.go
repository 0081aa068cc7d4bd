// Package jobs is the platform's durable background job system: an
// outbox-style table (jobs) written in the caller's own transaction, and a
// Worker that every process runs to claim and execute due jobs. Scheduled
// publishing, media renditions and quota reminders all go through it.
//
// # Why a table and not a queue service or River
//
// A job must commit or roll back together with the change that caused it (a
// post scheduled for 09:00 and its publish job; an upload row and its
// renditions job), which an external queue cannot do without a second
// outbox anyway. River would give the same semantics on PostgreSQL, but it
// brings its own versioned schema and migrator per driver (pgx and SQLite)
// alongside our embedded migrations, its own driver layer next to bun, and
// a young SQLite driver; the embedded single-file default must keep working
// with the pure-Go driver. Our needs (hundreds of jobs a day, latency of a
// second) are met by one table, one claim statement per dialect and a few
// hundred lines we test on both dialects.
//
// # Enqueueing
//
// [Enqueue] takes a bun.IDB — pass the transaction that makes the change, so
// the job exists exactly when the change does. A [Job.UniqueKey] makes
// enqueueing idempotent: a second Enqueue with the same key is a no-op that
// reports created=false (INSERT … ON CONFLICT DO NOTHING against a unique
// index). A key is permanent while its job is pending, running, done or
// failed; only [Cancel] releases it. So a key must name the occurrence, not
// just the object: "reminder:<tenant>:<iso-week>:<slot>",
// "publish:<post>:<scheduled-at>". [Cancel] and [Reschedule] act on pending
// jobs only; [Retry] puts a failed job back in the queue.
//
// # Claiming exactly once
//
// A worker claims due jobs in one statement that flips them to running,
// stamps locked_by and a lease (locked_until), increments attempts and
// returns them:
//
//   - PostgreSQL: UPDATE … WHERE id IN (a materialised SELECT … ORDER BY
//     run_at LIMIT n FOR UPDATE SKIP LOCKED) RETURNING. Rows another
//     replica is claiming are skipped, rows it has just claimed no longer
//     match when their lock is released (the WHERE is re-checked on the new
//     row version), so no two replicas get the same job.
//   - SQLite: one writer at a time; an UPDATE … WHERE id IN (SELECT … LIMIT
//     n) RETURNING takes the write lock before it reads (busy_timeout makes
//     other writers queue), so the statement is atomic against other
//     connections and processes on the same file.
//
// A job is claimable when it is pending and run_at has come, or when it is
// running but its lease expired: its process was killed. While a handler
// runs, the worker extends the lease every Lease/3 (heartbeat). Every write
// a worker makes after the claim — heartbeat, done, retry, failed — is
// fenced by (locked_by, attempts): a worker whose lease was taken over can
// no longer change the job, and its handler's context is cancelled.
//
// # Handlers must be idempotent
//
// Claiming is exactly once, but a handler can still run more than once: a
// process killed mid-run leaves the job running, and after the lease expires
// another worker runs it again. A handler must therefore check its own
// state (publish only a post that is still scheduled and approved; skip a
// rendition whose object exists) or finish the job inside its own
// transaction with [Job.CompleteTx]: the job is marked done in the same
// transaction as the handler's database changes, so either both happen or
// neither, and a worker that lost its lease cannot commit. Effects outside
// the database (an e-mail) are at least once in the window between the
// effect and the commit; make that window small, one recipient per job.
//
// # Failures
//
// A handler error (or panic, which is recovered) puts the job back to
// pending with exponential backoff, until MaxAttempts; then it is failed
// with last_error. [Permanent] fails it at once. A graceful shutdown that
// cancels a running handler puts its job back without spending an attempt.
// A job whose lease expires more often than MaxAttempts (it kills its
// process) is failed without running again.
package jobs
