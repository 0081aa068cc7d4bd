package db_test

import (
	"context"
	"testing"

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
