package authz

import (
	"context"
	"reflect"
	"sort"
	"testing"

	"github.com/casbin/casbin/v2/model"

	"github.com/trangtin/trangtin/platform/db/dbtest"
	"github.com/trangtin/trangtin/platform/tenancy"
)

func newModel(t *testing.T) model.Model {
	t.Helper()
	m, err := model.NewModelFromString(modelText)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func sorted(rows [][]string) [][]string {
	out := append([][]string(nil), rows...)
	sort.Slice(out, func(i, j int) bool {
		for k := range out[i] {
			if out[i][k] != out[j][k] {
				return out[i][k] < out[j][k]
			}
		}
		return false
	})
	return out
}

func policy(m model.Model, sec string) [][]string { return sorted(m[sec][sec].Policy) }

func TestAdapterRoundTrip(t *testing.T) {
	ctx := context.Background()
	bdb := dbtest.New(t)
	a := NewAdapter(bdb)
	gen := func() int64 {
		g, err := tenancy.Generation(ctx, bdb, GenerationPolicy)
		if err != nil {
			t.Fatal(err)
		}
		return g
	}

	// The migration's seed loads.
	m := newModel(t)
	if err := a.LoadPolicy(m); err != nil {
		t.Fatalf("load: %v", err)
	}
	seeded := policy(m, "p")
	if len(seeded) != 118 {
		t.Fatalf("seeded rules = %d, want 118", len(seeded))
	}
	if n := len(m["g"]["g"].Policy); n != 0 {
		t.Fatalf("assignments on a fresh database = %d", n)
	}

	// Auto-save operations, each bumping the generation.
	g0 := gen()
	steps := []struct {
		name string
		run  func() error
	}{
		{"add g", func() error { return a.AddPolicy("g", "g", []string{"acc-1", RoleEditor, "t1"}) }},
		{"add g again", func() error { return a.AddPolicy("g", "g", []string{"acc-1", RoleEditor, "t1"}) }},
		{"add g 2", func() error { return a.AddPolicy("g", "g", []string{"acc-1", RoleContributor, "t2"}) }},
		{"add g 3", func() error { return a.AddPolicy("g", "g", []string{"acc-2", RoleContributor, "t2"}) }},
		{"add p", func() error { return a.AddPolicy("p", "p", []string{"tester", "*", "post:create"}) }},
		{"remove p", func() error { return a.RemovePolicy("p", "p", []string{"tester", "*", "post:create"}) }},
		{"remove filtered", func() error { return a.RemoveFilteredPolicy("g", "g", 1, RoleContributor, "t2") }},
	}
	for i, s := range steps {
		if err := s.run(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if g := gen(); g != g0+int64(i)+1 {
			t.Fatalf("%s: generation %d, want %d", s.name, g, g0+int64(i)+1)
		}
	}
	m = newModel(t)
	if err := a.LoadPolicy(m); err != nil {
		t.Fatalf("load: %v", err)
	}
	if got, want := policy(m, "g"), [][]string{{"acc-1", RoleEditor, "t1"}}; !reflect.DeepEqual(got, want) {
		t.Fatalf("assignments = %v, want %v", got, want)
	}
	if got := policy(m, "p"); !reflect.DeepEqual(got, seeded) {
		t.Fatalf("rules changed: %d rows", len(got))
	}

	// SavePolicy replaces everything; loading gives back what was saved.
	saved := newModel(t)
	for _, r := range [][]string{{RoleEditor, "*", "post:review"}, {RoleContributor, "*", "post:create"}} {
		if err := saved.AddPolicy("p", "p", r); err != nil {
			t.Fatal(err)
		}
	}
	for _, r := range [][]string{{"acc-3", RoleEditor, "t9"}, {"acc-4", RoleOfficeStaff, PlatformDomain}} {
		if err := saved.AddPolicy("g", "g", r); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.SavePolicy(saved); err != nil {
		t.Fatalf("save: %v", err)
	}
	back := newModel(t)
	if err := a.LoadPolicy(back); err != nil {
		t.Fatalf("load: %v", err)
	}
	for _, sec := range []string{"p", "g"} {
		if got, want := policy(back, sec), policy(saved, sec); !reflect.DeepEqual(got, want) {
			t.Errorf("%s after save = %v, want %v", sec, got, want)
		}
	}

	// Misuse is refused.
	if err := a.AddPolicy("g", "g2", []string{"a", "b", "c"}); err == nil {
		t.Error("unsupported ptype accepted")
	}
	if err := a.AddPolicy("g", "g", []string{"a", "b"}); err == nil {
		t.Error("short rule accepted")
	}
	if err := a.RemoveFilteredPolicy("g", "g", 0); err == nil {
		t.Error("remove without filter accepted")
	}
	if err := a.RemoveFilteredPolicy("g", "g", 2, "x", "y"); err == nil {
		t.Error("filter out of range accepted")
	}
}

// TestAdapterInCallerTx: a write inside a transaction that rolls back
// leaves neither the rule nor the generation bump.
func TestAdapterInCallerTx(t *testing.T) {
	ctx := context.Background()
	bdb := dbtest.New(t)
	g0, _ := tenancy.Generation(ctx, bdb, GenerationPolicy)
	tx, err := bdb.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := NewAdapter(tx).AddPolicy("g", "g", []string{"acc", RoleEditor, "t"}); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	m := newModel(t)
	if err := NewAdapter(bdb).LoadPolicy(m); err != nil {
		t.Fatal(err)
	}
	if n := len(m["g"]["g"].Policy); n != 0 {
		t.Errorf("rolled-back assignment visible: %d", n)
	}
	if g, _ := tenancy.Generation(ctx, bdb, GenerationPolicy); g != g0 {
		t.Errorf("generation moved by a rolled-back write: %d → %d", g0, g)
	}
}
