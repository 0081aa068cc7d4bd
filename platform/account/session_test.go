package account_test

import (
	"context"
	"testing"
	"time"

	"github.com/trangtin/trangtin/platform/account"
	"github.com/trangtin/trangtin/platform/audit"
	"github.com/trangtin/trangtin/platform/errs"
)

func TestSessionIdleTimeout(t *testing.T) {
	ctx := context.Background()
	f := setup(t)
	f.account(t, "an@x.vn")
	tok := f.login(t, "an@x.vn")
	// Use keeps it alive...
	for range 3 {
		f.clock.Advance(account.IdleTimeout - time.Minute)
		if _, _, err := f.svc.SessionFromToken(ctx, tok); err != nil {
			t.Fatalf("used session ended: %v", err)
		}
	}
	// ...idleness ends it.
	f.clock.Advance(account.IdleTimeout)
	_, _, err := f.svc.SessionFromToken(ctx, tok)
	wantCode(t, err, errs.KindUnauthenticated, "session_invalid")
}

func TestSessionAbsoluteExpiry(t *testing.T) {
	ctx := context.Background()
	f := setup(t)
	f.account(t, "an@x.vn")
	tok := f.login(t, "an@x.vn")
	step := time.Hour
	for elapsed := step; elapsed < account.SessionLifetime; elapsed += step {
		f.clock.Advance(step)
		if _, _, err := f.svc.SessionFromToken(ctx, tok); err != nil {
			t.Fatalf("session ended after %v: %v", elapsed, err)
		}
	}
	f.clock.Advance(step) // 12 h after login, though used an hour ago
	_, _, err := f.svc.SessionFromToken(ctx, tok)
	wantCode(t, err, errs.KindUnauthenticated, "session_invalid")
}

func TestSessionLastSeenWrittenAtMostOnceAMinute(t *testing.T) {
	ctx := context.Background()
	f := setup(t)
	f.account(t, "an@x.vn")
	tok := f.login(t, "an@x.vn")
	start := f.clock.Now()
	f.clock.Advance(30 * time.Second)
	ss, _, err := f.svc.SessionFromToken(ctx, tok)
	if err != nil || !ss.LastSeenAt.Equal(start) {
		t.Fatalf("last seen after 30 s = %v, %v", ss.LastSeenAt, err)
	}
	f.clock.Advance(31 * time.Second)
	if ss, _, err = f.svc.SessionFromToken(ctx, tok); err != nil || !ss.LastSeenAt.Equal(f.clock.Now()) {
		t.Fatalf("last seen after 61 s = %v, %v", ss.LastSeenAt, err)
	}
}

func TestLogoutEverywhere(t *testing.T) {
	ctx := context.Background()
	f := setup(t)
	a := f.account(t, "an@x.vn")
	f.account(t, "binh@x.vn")
	mine := []string{f.login(t, "an@x.vn"), f.login(t, "an@x.vn"), f.login(t, "an@x.vn")}
	theirs := f.login(t, "binh@x.vn")
	live, err := f.svc.Sessions(ctx, a.ID)
	if err != nil || len(live) != 3 {
		t.Fatalf("sessions = %d, %v", len(live), err)
	}
	if err := f.svc.RevokeSession(ctx, a.ID, live[0].ID); err != nil {
		t.Fatal(err)
	}
	wantCode(t, f.svc.RevokeSession(ctx, "someone-else", live[1].ID), errs.KindNotFound, "session_not_found")
	if err := f.svc.LogoutEverywhere(ctx, a.ID, false); err != nil {
		t.Fatal(err)
	}
	for _, tok := range mine {
		if _, _, err := f.svc.SessionFromToken(ctx, tok); err == nil {
			t.Error("a session survived logout everywhere")
		}
	}
	if _, _, err := f.svc.SessionFromToken(ctx, theirs); err != nil {
		t.Errorf("another account's session ended: %v", err)
	}
	ev := events(t, f.db, audit.ActionLogoutEverywhere)
	if len(ev) != 1 || ev[0].ActorID != a.ID || ev[0].Detail["sessions"] != float64(2) {
		t.Errorf("logout.everywhere events = %+v", ev)
	}
	if err := f.svc.Logout(ctx, "no-such-token"); err != nil {
		t.Errorf("logout of an unknown token: %v", err)
	}
}

func TestPrune(t *testing.T) {
	ctx := context.Background()
	f := setup(t)
	f.account(t, "an@x.vn")
	f.login(t, "an@x.vn")
	_, _, _ = f.svc.Login(ctx, "an@x.vn", "wrong-password-1", "192.0.2.1", "")
	f.clock.Advance(31 * 24 * time.Hour)
	f.login(t, "an@x.vn")
	if err := f.svc.Prune(ctx); err != nil {
		t.Fatal(err)
	}
	for table, want := range map[string]int64{"account_sessions": 1, "login_failures": 0} {
		n, err := f.db.NewSelect().TableExpr(table).Count(ctx)
		if err != nil || n != want {
			t.Errorf("%s rows = %d, %v; want %d", table, n, err, want)
		}
	}
}
