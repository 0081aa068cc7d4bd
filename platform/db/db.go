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
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
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
}

// Open connects and pings. The caller closes the returned DB.
func Open(ctx context.Context, opts Options) (*bun.DB, error) {
	if opts.PostgresURL != "" {
		return openPostgres(ctx, opts.PostgresURL)
	}
	return openSQLite(ctx, opts.SQLitePath)
}

func openPostgres(ctx context.Context, url string) (*bun.DB, error) {
	sqldb, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	sqldb.SetMaxOpenConns(20)
	sqldb.SetMaxIdleConns(10)
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
func SQLiteDSN(path string) string {
	return "file:" + path + "?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)" +
		"&_pragma=busy_timeout(15000)&_pragma=synchronous(NORMAL)&_txlock=immediate"
}

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
	sqldb.SetMaxOpenConns(8)
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

// NewID returns a new identifier: a UUIDv7 string, so ids sort by creation
// time and stay unique across processes and imported archives.
func NewID() string { return uuid.Must(uuid.NewV7()).String() }
