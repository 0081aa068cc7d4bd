// Package dbtest gives each test a fresh, migrated database: a new
// PostgreSQL database when TRANGTIN_TEST_DATABASE_URL is set, otherwise an
// embedded SQLite file in the test's temporary directory. Either is removed
// when the test ends.
package dbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/migrations"
	"github.com/trangtin/trangtin/platform/db"
)

// EnvURL names the variable that selects PostgreSQL for tests.
const EnvURL = "TRANGTIN_TEST_DATABASE_URL"

// Dialect names the database the tests run on, for test names and logs.
func Dialect() string {
	if os.Getenv(EnvURL) != "" {
		return "postgres"
	}
	return "sqlite"
}

// New returns a migrated database private to t.
func New(t testing.TB) *bun.DB {
	t.Helper()
	bdb, _ := NewWithOptions(t)
	return bdb
}

// NewWithOptions is New that also returns the options to open the same
// database again (as a second process would).
func NewWithOptions(t testing.TB) (*bun.DB, db.Options) {
	t.Helper()
	ctx := context.Background()
	opts := options(t, true)
	bdb, err := db.Open(ctx, opts)
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	t.Cleanup(func() { _ = bdb.Close() })
	if _, err := migrations.Up(ctx, bdb, 30*time.Second); err != nil {
		t.Fatalf("migrate test database: %v", err)
	}
	return bdb, opts
}

// Options creates an empty database for t (not migrated) and returns how to open it.
func Options(t testing.TB) db.Options {
	t.Helper()
	return options(t, false)
}

// options creates a database for t: a copy of the migrated template when
// migrated is true (PostgreSQL), else an empty one.
func options(t testing.TB, migrated bool) db.Options {
	t.Helper()
	base := os.Getenv(EnvURL)
	if base == "" {
		return db.Options{SQLitePath: filepath.Join(t.TempDir(), "trangtin.db")}
	}
	name := "trangtin_t_" + randomHex(6)
	ctx := context.Background()
	admin, err := db.Open(ctx, db.Options{PostgresURL: base})
	if err != nil {
		t.Fatalf("connect to %s: %v", EnvURL, err)
	}
	create := "CREATE DATABASE " + name
	if migrated {
		tpl, err := template(ctx, admin, base)
		if err != nil {
			_ = admin.Close()
			t.Fatalf("prepare template database: %v", err)
		}
		create += " TEMPLATE " + tpl
	}
	if _, err := admin.ExecContext(ctx, create); err != nil {
		_ = admin.Close()
		t.Fatalf("create test database: %v", err)
	}
	_ = admin.Close()
	t.Cleanup(func() {
		admin, err := db.Open(context.Background(), db.Options{PostgresURL: base})
		if err != nil {
			t.Logf("drop test database %s: %v", name, err)
			return
		}
		defer admin.Close()
		if _, err := admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Logf("drop test database %s: %v", name, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", EnvURL, err)
	}
	u.Path = "/" + name
	return db.Options{PostgresURL: u.String()}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// template returns the name of a migrated template database for the
// current migrations, building it once (under an advisory lock, so parallel
// test binaries build it once between them). Copying a template is much
// faster than migrating every test's database.
func template(ctx context.Context, admin *bun.DB, base string) (string, error) {
	fp, err := migrations.Fingerprint()
	if err != nil {
		return "", err
	}
	tpl := "trangtin_tpl_" + fp
	exists := func() (bool, error) {
		n, err := admin.NewSelect().Table("pg_database").Where("datname = ?", tpl).Count(ctx)
		return n > 0, err
	}
	if ok, err := exists(); err != nil || ok {
		return tpl, err
	}
	conn, err := admin.Conn(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(74201127)"); err != nil {
		return "", err
	}
	defer func() { _, _ = conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock(74201127)") }()
	if ok, err := exists(); err != nil || ok {
		return tpl, err
	}
	build := tpl + "_build"
	if _, err := conn.ExecContext(ctx, "DROP DATABASE IF EXISTS "+build+" WITH (FORCE)"); err != nil {
		return "", err
	}
	if _, err := conn.ExecContext(ctx, "CREATE DATABASE "+build); err != nil {
		return "", err
	}
	u, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	u.Path = "/" + build
	bdb, err := db.Open(ctx, db.Options{PostgresURL: u.String()})
	if err != nil {
		return "", err
	}
	_, err = migrations.Up(ctx, bdb, time.Minute)
	_ = bdb.Close()
	if err != nil {
		return "", err
	}
	if _, err := conn.ExecContext(ctx, "ALTER DATABASE "+build+" RENAME TO "+tpl); err != nil {
		return "", err
	}
	return tpl, nil
}
