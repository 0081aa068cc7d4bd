// Package db opens the platform's database with bun: PostgreSQL through pgx's
// database/sql driver when a URL is configured, otherwise the embedded SQLite
// file through the pure-Go modernc driver (so CGO_ENABLED=0 builds work). It
// also maps driver errors to errs kinds, so stores never inspect driver types.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	_ "modernc.org/sqlite" // registers the pure-Go "sqlite" database/sql driver

	"github.com/trangtin/trangtin/platform/errs"
)

// Options selects and tunes the database.
type Options struct {
	// PostgresURL selects PostgreSQL when not empty.
	PostgresURL string
	// SQLitePath is the embedded database file, used when PostgresURL is empty.
	SQLitePath string
	// Limits bounds how long PostgreSQL lets one session wait (zero values
	// keep the server's defaults). SQLite has its busy timeout instead.
	Limits Limits
}

// Limits are PostgreSQL's per-session bounds on waiting, set on every
// connection of the pool when it opens (TRANGTIN_DB_*): no statement runs
// longer than StatementTimeout, none waits for a lock longer than
// LockTimeout, and a transaction left idle longer than IdleInTxTimeout is
// ended by the server (its locks freed) even if this process never comes
// back to it. Zero leaves a limit off.
type Limits struct {
	StatementTimeout time.Duration
	LockTimeout      time.Duration
	IdleInTxTimeout  time.Duration
}

// params are the limits as PostgreSQL run-time parameters (milliseconds).
func (l Limits) params() map[string]string {
	out := map[string]string{}
	for name, d := range map[string]time.Duration{
		"statement_timeout": l.StatementTimeout, "lock_timeout": l.LockTimeout,
		"idle_in_transaction_session_timeout": l.IdleInTxTimeout,
	} {
		if d > 0 {
			out[name] = strconv.FormatInt(max(d.Milliseconds(), 1), 10)
		}
	}
	return out
}

// Open connects and pings. The caller closes the returned DB.
func Open(ctx context.Context, opts Options) (*bun.DB, error) {
	if opts.PostgresURL != "" {
		return openPostgres(ctx, opts.PostgresURL, opts.Limits)
	}
	return openSQLite(ctx, opts.SQLitePath)
}

// PostgresPool is the size of the PostgreSQL connection pool of a process.
const PostgresPool = 20

func openPostgres(ctx context.Context, url string, limits Limits) (*bun.DB, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	for k, v := range limits.params() {
		cfg.RuntimeParams[k] = v
	}
	sqldb := stdlib.OpenDB(*cfg)
	sqldb.SetMaxOpenConns(PostgresPool)
	// As many idle as open: with fewer, the end of every burst closed the
	// surplus, and the next burst paid a new server process and a new
	// preparation of each statement on it (35 closed in three 2 s bursts
	// of wrk -c64 on the home, go_sql_max_idle_closed_total). Idle ones
	// still close after five minutes.
	sqldb.SetMaxIdleConns(PostgresPool)
	sqldb.SetConnMaxIdleTime(5 * time.Minute)
	bdb := bun.NewDB(sqldb, pgdialect.New())
	if err := ping(ctx, bdb); err != nil {
		_ = bdb.Close()
		return nil, fmt.Errorf("connect postgres: %w", err)
	}
	return bdb, nil
}

// SQLiteDSN is the connection string for the embedded database: WAL so
// readers never wait for the writer, foreign keys on, a busy timeout so
// concurrent writers queue instead of failing, and BEGIN IMMEDIATE so a
// transaction takes the write lock up front rather than failing on upgrade.
//
// Reads go through a memory map of the file (SQLiteMmapSize): a page is
// read where the kernel caches it instead of copied into each
// connection's own cache first. The uncached home page, which reads about
// a hundred rows, served 8 to 15 % more requests a second with it (bench/README.md,
// stop 26); a larger per-connection cache (cache_size) changed nothing.
func SQLiteDSN(path string) string {
	return "file:" + path + "?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)" +
		"&_pragma=busy_timeout(15000)&_pragma=synchronous(NORMAL)" +
		"&_pragma=mmap_size(" + strconv.Itoa(SQLiteMmapSize) + ")&_txlock=immediate"
}

// SQLiteMmapSize bounds the memory map of the embedded database: the
// first 256 MB of the file, years of a Department's items, are read
// through it, the rest as usual. The mapped pages are the kernel's file
// cache, shared by the connections, not the process's heap.
const SQLiteMmapSize = 256 << 20

// SQLitePool is the size of the SQLite connection pool of a process.
const SQLitePool = 8

func openSQLite(ctx context.Context, path string) (*bun.DB, error) {
	if path == "" {
		return nil, errors.New("open sqlite: no path")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("open sqlite: create data dir: %w", err)
	}
	sqldb, err := sql.Open("sqlite", SQLiteDSN(path))
	if err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	sqldb.SetMaxOpenConns(SQLitePool)
	sqldb.SetMaxIdleConns(8)
	sqldb.SetConnMaxIdleTime(0)
	bdb := bun.NewDB(sqldb, sqlitedialect.New())
	if err := ping(ctx, bdb); err != nil {
		_ = bdb.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	return bdb, nil
}

func ping(ctx context.Context, bdb *bun.DB) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	return bdb.PingContext(ctx)
}

// IsPostgres reports whether idb talks to PostgreSQL.
func IsPostgres(idb bun.IDB) bool { return idb.Dialect().Name() == dialect.PG }

// InTx runs fn in a transaction, committing when fn returns nil.
func InTx(ctx context.Context, bdb bun.IDB, fn func(ctx context.Context, tx bun.Tx) error) error {
	return bdb.RunInTx(ctx, nil, fn)
}

// IsUniqueViolation reports whether err is a unique-constraint failure on either dialect.
func IsUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "23505"
	}
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// NotFound maps sql.ErrNoRows to an errs NotFound with the given code and
// message and wraps any other error with op.
func NotFound(err error, op, code, message string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return errs.NotFound(code, message)
	}
	return fmt.Errorf("%s: %w", op, err)
}

// Ready checks the database answers within the context's deadline.
func Ready(ctx context.Context, bdb *bun.DB) error {
	var one int
	if err := bdb.NewRaw("SELECT 1").Scan(ctx, &one); err != nil {
		return errs.Unavailable("database_unavailable", "Cơ sở dữ liệu không phản hồi", err)
	}
	return nil
}

// PoolAlive fails when no connection of bdb's pool came free within wait
// while every one was in use: the pool is wedged (connections leaked or
// stuck), and this process can no longer serve. A database that is down
// or slow to connect is not this check's business (that is Ready): the
// pool then has connections to spare, and PoolAlive passes.
func PoolAlive(ctx context.Context, bdb *bun.DB, wait time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	conn, err := bdb.DB.Conn(ctx)
	if err == nil {
		return conn.Close()
	}
	st := bdb.DB.Stats()
	if ctx.Err() != nil && st.MaxOpenConnections > 0 && st.InUse >= st.MaxOpenConnections {
		return fmt.Errorf("connection pool exhausted: %d of %d in use, %d waiting since start: %w", st.InUse, st.MaxOpenConnections, st.WaitCount, err)
	}
	return nil
}

// NewID returns a new identifier: a UUIDv7 string, so ids sort by creation
// time and stay unique across processes and imported archives.
func NewID() string { return uuid.Must(uuid.NewV7()).String() }
