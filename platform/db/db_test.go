package db_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/migrations"
	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/db/dbtest"
)

func TestMigrationsApplyAndAreIdempotent(t *testing.T) {
	ctx := context.Background()
	bdb, _ := dbtest.NewWithOptions(t)
	pending, err := migrations.Pending(ctx, bdb)
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) != 0 {
		t.Fatalf("after Up, pending = %v", pending)
	}
	applied, err := migrations.Up(ctx, bdb, 0)
	if err != nil {
		t.Fatalf("second Up: %v", err)
	}
	if len(applied) != 0 {
		t.Fatalf("second Up applied %v again", applied)
	}
	var n int
	if err := bdb.NewRaw("SELECT count(*) FROM sector_fields").Scan(ctx, &n); err != nil {
		t.Fatal(err)
	}
	if n != 10 {
		t.Fatalf("sector fields = %d, want 10", n)
	}
}

func TestUniqueViolationIsRecognised(t *testing.T) {
	ctx := context.Background()
	bdb := dbtest.New(t)
	_, err := bdb.ExecContext(ctx, "INSERT INTO sector_fields (code, name, position) VALUES ('tre-em', 'x', 99)")
	if err == nil {
		t.Fatal("duplicate insert succeeded")
	}
	if !db.IsUniqueViolation(err) {
		t.Fatalf("IsUniqueViolation(%v) = false on %s", err, dbtest.Dialect())
	}
}

// TestBurstKeepsItsConnections: a burst that uses every connection of the
// pool leaves them open for the next one. A pool keeping fewer idle than
// it opens closed the rest after each burst, and the next burst paid a new
// PostgreSQL server process and a new preparation of every statement.
func TestBurstKeepsItsConnections(t *testing.T) {
	bdb := ownPool(t)
	size := bdb.DB.Stats().MaxOpenConnections
	for range 3 {
		for _, c := range everyConnection(t, bdb) {
			if err := c.Close(); err != nil {
				t.Fatal(err)
			}
		}
	}
	st := bdb.DB.Stats()
	if st.MaxIdleClosed != 0 || st.Idle != size {
		t.Errorf("after three bursts of %d connections: %d closed as surplus idle, %d kept idle", size, st.MaxIdleClosed, st.Idle)
	}
}

// TestSQLiteConnectionsSettings: every connection of the embedded
// database's pool has the settings of db.SQLiteDSN (they are per
// connection): WAL, foreign keys, and reads through the memory map.
func TestSQLiteConnectionsSettings(t *testing.T) {
	if dbtest.Dialect() != "sqlite" {
		t.Skip("SQLite settings")
	}
	ctx := context.Background()
	conns := everyConnection(t, ownPool(t))
	for _, c := range conns {
		defer c.Close()
	}
	for i, c := range conns {
		var mode string
		var fk, mmap int64
		for _, q := range []struct {
			pragma string
			dest   any
		}{{"journal_mode", &mode}, {"foreign_keys", &fk}, {"mmap_size", &mmap}} {
			if err := c.QueryRowContext(ctx, "PRAGMA "+q.pragma).Scan(q.dest); err != nil {
				t.Fatalf("connection %d: PRAGMA %s: %v", i, q.pragma, err)
			}
		}
		if mode != "wal" || fk != 1 || mmap != db.SQLiteMmapSize {
			t.Errorf("connection %d: journal_mode %q, foreign_keys %d, mmap_size %d; want wal, 1, %d", i, mode, fk, mmap, db.SQLiteMmapSize)
		}
	}
}

// ownPool opens a pool of its own on the test's database, as a process
// does (db.Open), closed when the test ends.
func ownPool(t *testing.T) *bun.DB {
	t.Helper()
	_, opts := dbtest.NewWithOptions(t)
	bdb, err := db.Open(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = bdb.Close() })
	return bdb
}

// everyConnection takes every connection the pool may open; the caller
// closes them.
func everyConnection(t *testing.T, bdb *bun.DB) []*sql.Conn {
	t.Helper()
	conns := make([]*sql.Conn, bdb.DB.Stats().MaxOpenConnections)
	for i := range conns {
		var err error
		if conns[i], err = bdb.DB.Conn(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	return conns
}
