package audit_test

import (
	"context"
	"testing"
	"time"

	"github.com/trangtin/trangtin/platform/audit"
	"github.com/trangtin/trangtin/platform/db/dbtest"
	"github.com/trangtin/trangtin/platform/errs"
)

func TestRecordAndListByTenant(t *testing.T) {
	ctx := context.Background()
	bdb := dbtest.New(t)
	base := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	clock := base
	log := audit.New(func() time.Time { return clock })

	events := []audit.Event{
		{TenantID: "tenant-a", ActorID: "acc-1", Action: audit.ActionBoardChanged, Subject: "member-1", IP: "10.0.0.1",
			Detail: map[string]any{"position": "Trưởng ban"}},
		{TenantID: "tenant-b", ActorID: "acc-2", Action: audit.ActionRoleGranted, Subject: "editor"},
		{ActorID: "acc-1", Action: audit.ActionLoginSuccess, Subject: "a@example.vn", IP: "10.0.0.1"},
		{TenantID: "tenant-a", ActorID: "acc-1", Action: audit.ActionRoleRevoked, Subject: "contributor"},
	}
	for i, e := range events {
		clock = base.Add(time.Duration(i) * time.Minute)
		if err := log.Record(ctx, bdb, e); err != nil {
			t.Fatalf("record %d: %v", i, err)
		}
	}

	tenantA, platformOnly := "tenant-a", ""
	tests := []struct {
		name    string
		filter  audit.Filter
		actions []string
	}{
		{"all for platform admins", audit.Filter{},
			[]string{audit.ActionRoleRevoked, audit.ActionLoginSuccess, audit.ActionRoleGranted, audit.ActionBoardChanged}},
		{"one tenant", audit.Filter{TenantID: &tenantA},
			[]string{audit.ActionRoleRevoked, audit.ActionBoardChanged}},
		{"platform-wide only", audit.Filter{TenantID: &platformOnly},
			[]string{audit.ActionLoginSuccess}},
		{"one actor", audit.Filter{ActorID: "acc-2"},
			[]string{audit.ActionRoleGranted}},
		{"one action", audit.Filter{Action: audit.ActionLoginSuccess},
			[]string{audit.ActionLoginSuccess}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			page, err := log.List(ctx, bdb, tc.filter)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range page.Items {
				got = append(got, e.Action)
				if tc.filter.TenantID != nil && e.TenantID != *tc.filter.TenantID {
					t.Errorf("event of tenant %q in list of %q", e.TenantID, *tc.filter.TenantID)
				}
			}
			if len(got) != len(tc.actions) {
				t.Fatalf("actions = %v, want %v", got, tc.actions)
			}
			for i := range got {
				if got[i] != tc.actions[i] {
					t.Fatalf("actions = %v, want %v", got, tc.actions)
				}
			}
			if page.Next != "" {
				t.Errorf("next = %q on a single page", page.Next)
			}
		})
	}

	page, err := audit.List(ctx, bdb, audit.Filter{TenantID: &tenantA, Limit: 1, Before: ""})
	if err != nil {
		t.Fatal(err)
	}
	board := page.Items[0]
	if page.Next == "" || board.Action != audit.ActionRoleRevoked {
		t.Fatalf("first page = %+v", page)
	}
	page, err = audit.List(ctx, bdb, audit.Filter{TenantID: &tenantA, Limit: 1, Before: page.Next})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 1 || page.Next != "" {
		t.Fatalf("second page = %+v", page)
	}
	got := page.Items[0]
	if got.Action != audit.ActionBoardChanged || got.ActorID != "acc-1" || got.Subject != "member-1" ||
		got.IP != "10.0.0.1" || got.Detail["position"] != "Trưởng ban" || !got.CreatedAt.Equal(base) || got.ID == "" {
		t.Fatalf("event read back = %+v", got)
	}
}

func TestSameTimePagination(t *testing.T) {
	ctx := context.Background()
	bdb := dbtest.New(t)
	at := time.Date(2026, 11, 27, 8, 0, 0, 123456000, time.UTC)
	for range 5 {
		if err := audit.Record(ctx, bdb, audit.Event{Action: audit.ActionLoginFailure, CreatedAt: at}); err != nil {
			t.Fatal(err)
		}
	}
	seen := map[string]bool{}
	before := ""
	for range 5 {
		page, err := audit.List(ctx, bdb, audit.Filter{Limit: 2, Before: before})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range page.Items {
			if seen[e.ID] {
				t.Fatalf("event %s listed twice", e.ID)
			}
			seen[e.ID] = true
		}
		if page.Next == "" {
			break
		}
		before = page.Next
	}
	if len(seen) != 5 {
		t.Fatalf("listed %d events over the pages, want 5", len(seen))
	}
}

func TestBadInput(t *testing.T) {
	ctx := context.Background()
	bdb := dbtest.New(t)
	if err := audit.Record(ctx, bdb, audit.Event{}); err == nil {
		t.Error("event without action recorded")
	}
	_, err := audit.List(ctx, bdb, audit.Filter{Before: "not a cursor"})
	if !errs.Is(err, errs.KindInvalid) {
		t.Errorf("bad cursor: %v, want invalid", err)
	}
}
