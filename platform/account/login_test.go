package account_test

import (
	"context"
	"testing"
	"time"

	"github.com/trangtin/trangtin/platform/account"
	"github.com/trangtin/trangtin/platform/audit"
	"github.com/trangtin/trangtin/platform/errs"
)

func TestLoginGivesAFreshSessionEachTime(t *testing.T) {
	ctx := context.Background()
	f := setup(t)
	a := f.account(t, "an@x.vn")
	first, second := f.login(t, "AN@x.vn"), f.login(t, "an@x.vn")
	if first == "" || first == second {
		t.Fatalf("two logins gave tokens %q and %q", first, second)
	}
	for _, tok := range []string{first, second} {
		ss, got, err := f.svc.SessionFromToken(ctx, tok)
		if err != nil || got.ID != a.ID || ss.Pending {
			t.Fatalf("session of %q: %+v %v", tok, ss, err)
		}
		if ss.ID == tok || len(ss.ID) != 64 {
			t.Errorf("session id %q is not the hash of the token", ss.ID)
		}
		if ss.IP != "192.0.2.1" || ss.UserAgent != "test" {
			t.Errorf("session ip/ua = %q/%q", ss.IP, ss.UserAgent)
		}
	}
	if err := f.svc.Logout(ctx, first); err != nil {
		t.Fatal(err)
	}
	_, _, err := f.svc.SessionFromToken(ctx, first)
	wantCode(t, err, errs.KindUnauthenticated, "session_invalid")
	if _, _, err := f.svc.SessionFromToken(ctx, second); err != nil {
		t.Errorf("second session ended by the first one's logout: %v", err)
	}
	// The raw token never reaches the database.
	n, err := f.db.NewSelect().TableExpr("account_sessions").Where("id = ? OR id = ?", first, second).Count(ctx)
	if err != nil || n != 0 {
		t.Errorf("raw token stored: n=%d err=%v", n, err)
	}
}

func TestUnknownEmailAndWrongPasswordAnswerAlike(t *testing.T) {
	ctx := context.Background()
	f := setup(t)
	f.account(t, "an@x.vn")
	_, _, unknown := f.svc.Login(ctx, "nobody@x.vn", testPassword, "192.0.2.1", "")
	_, _, wrong := f.svc.Login(ctx, "an@x.vn", "wrong-password-1", "192.0.2.1", "")
	wantCode(t, unknown, errs.KindUnauthenticated, account.CodeLoginFailed)
	wantCode(t, wrong, errs.KindUnauthenticated, account.CodeLoginFailed)
	if unknown.Error() != wrong.Error() {
		t.Errorf("answers differ: %q vs %q", unknown, wrong)
	}
	if _, msg, _ := errs.Public(wrong); msg != "Email hoặc mật khẩu không đúng" {
		t.Errorf("message = %q", msg)
	}
	_, _, err := f.svc.Login(ctx, "", "", "", "")
	wantCode(t, err, errs.KindInvalid, "login_missing")
}

func TestLoginThrottledPerAccount(t *testing.T) {
	ctx := context.Background()
	f := setup(t)
	f.account(t, "an@x.vn")
	// Failures at 0, 10, …, 90 s; the eleventh attempt comes at 100 s.
	for range account.MaxFailuresPerAccount {
		_, _, err := f.svc.Login(ctx, "an@x.vn", "wrong-password-1", "192.0.2.1", "")
		wantCode(t, err, errs.KindUnauthenticated, account.CodeLoginFailed)
		f.clock.Advance(10 * time.Second)
	}
	// The eleventh attempt, with the right password, is still refused.
	_, _, err := f.svc.Login(ctx, "an@x.vn", testPassword, "192.0.2.1", "")
	wantCode(t, err, errs.KindForbidden, account.CodeLoginThrottled)
	if _, msg, _ := errs.Public(err); msg != "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 14 phút." {
		t.Errorf("message = %q", msg)
	}
	// From another address too: the limit is the account's.
	_, _, err = f.svc.Login(ctx, "AN@x.vn", testPassword, "198.51.100.7", "")
	wantCode(t, err, errs.KindForbidden, account.CodeLoginThrottled)
	// Another account from the same address is not affected.
	f.account(t, "binh@x.vn")
	f.login(t, "binh@x.vn")

	// The window slides: one second before the first failure is 15
	// minutes old the account is still locked; at 15 minutes it is not.
	f.clock.Advance(account.ThrottleWindow - 101*time.Second)
	_, _, err = f.svc.Login(ctx, "an@x.vn", testPassword, "192.0.2.1", "")
	wantCode(t, err, errs.KindForbidden, account.CodeLoginThrottled)
	f.clock.Advance(time.Second)
	if tok, _, err := f.svc.Login(ctx, "an@x.vn", testPassword, "192.0.2.1", ""); err != nil || tok == "" {
		t.Fatalf("after the window: %v", err)
	}
	// A success clears the account's count.
	for range account.MaxFailuresPerAccount - 1 {
		_, _, _ = f.svc.Login(ctx, "an@x.vn", "wrong-password-1", "192.0.2.1", "")
	}
	f.login(t, "an@x.vn")

	refused := 0
	for _, e := range events(t, f.db, audit.ActionLoginFailure) {
		if e.Detail["reason"] == "throttled" {
			refused++
		}
	}
	if refused != 3 {
		t.Errorf("throttled attempts audited = %d, want 3", refused)
	}
}

func TestLoginThrottledPerAddress(t *testing.T) {
	ctx := context.Background()
	f := setup(t)
	f.account(t, "an@x.vn")
	for i := range account.MaxFailuresPerIP {
		email := []string{"a1@x.vn", "a2@x.vn", "a3@x.vn", "a4@x.vn"}[i%4]
		_, _, err := f.svc.Login(ctx, email, "wrong-password-1", "203.0.113.9", "")
		wantCode(t, err, errs.KindUnauthenticated, account.CodeLoginFailed)
	}
	_, _, err := f.svc.Login(ctx, "an@x.vn", testPassword, "203.0.113.9", "")
	wantCode(t, err, errs.KindForbidden, account.CodeLoginThrottled)
	if _, _, err := f.svc.Login(ctx, "an@x.vn", testPassword, "192.0.2.1", ""); err != nil {
		t.Errorf("other address refused: %v", err)
	}
	f.clock.Advance(account.ThrottleWindow)
	if _, _, err := f.svc.Login(ctx, "an@x.vn", testPassword, "203.0.113.9", ""); err != nil {
		t.Errorf("after the window: %v", err)
	}
}

func TestDisabledAccount(t *testing.T) {
	ctx := context.Background()
	f := setup(t)
	a := f.account(t, "an@x.vn")
	tok := f.login(t, "an@x.vn")
	if err := account.SetStatus(ctx, f.db, a.ID, account.StatusDisabled); err != nil {
		t.Fatal(err)
	}
	_, _, err := f.svc.SessionFromToken(ctx, tok)
	wantCode(t, err, errs.KindUnauthenticated, "session_invalid")
	_, _, err = f.svc.Login(ctx, "an@x.vn", testPassword, "", "")
	wantCode(t, err, errs.KindForbidden, account.CodeAccountDisabled)
	_, _, err = f.svc.Login(ctx, "an@x.vn", "wrong-password-1", "", "")
	wantCode(t, err, errs.KindUnauthenticated, account.CodeLoginFailed)
}

func TestLoginIsAudited(t *testing.T) {
	ctx := context.Background()
	f := setup(t)
	a := f.account(t, "an@x.vn")
	f.login(t, "an@x.vn")
	_, _, _ = f.svc.Login(ctx, "an@x.vn", "wrong-password-1", "192.0.2.1", "")
	_, _, _ = f.svc.Login(ctx, "ghost@x.vn", "wrong-password-1", "192.0.2.2", "")
	tenant := "tenant-a"
	if err := audit.New(f.clock.Now).Record(ctx, f.db, audit.Event{TenantID: tenant, ActorID: a.ID, Action: audit.ActionRoleGranted, Subject: "editor"}); err != nil {
		t.Fatal(err)
	}

	ok := events(t, f.db, audit.ActionLoginSuccess)
	if len(ok) != 1 || ok[0].ActorID != a.ID || ok[0].IP != "192.0.2.1" || ok[0].Subject != "an@x.vn" || ok[0].TenantID != "" {
		t.Errorf("login.success events = %+v", ok)
	}
	failed := events(t, f.db, audit.ActionLoginFailure)
	if len(failed) != 2 {
		t.Fatalf("login.failure events = %+v", failed)
	}
	// Newest first: the unknown email has no actor.
	if failed[0].ActorID != "" || failed[0].Subject != "ghost@x.vn" || failed[0].Detail["reason"] != "unknown_email" {
		t.Errorf("unknown email event = %+v", failed[0])
	}
	if failed[1].ActorID != a.ID || failed[1].Detail["reason"] != "wrong_password" {
		t.Errorf("wrong password event = %+v", failed[1])
	}
	page, err := audit.List(ctx, f.db, audit.Filter{TenantID: &tenant})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 1 || page.Items[0].Action != audit.ActionRoleGranted {
		t.Errorf("tenant's audit log = %+v (logins are platform-wide)", page.Items)
	}
}

func TestLoginUpgradesOldHashes(t *testing.T) {
	ctx := context.Background()
	f := setup(t)
	old := account.TestParams()
	old.Time = 2
	a, err := account.CreateWithParams(ctx, f.db, old, "an@x.vn", "An", testPassword)
	if err != nil {
		t.Fatal(err)
	}
	f.login(t, "an@x.vn")
	got, _ := account.ByID(ctx, f.db, a.ID)
	if got.PasswordHash == a.PasswordHash || account.NeedsRehash(got.PasswordHash, f.svc.Params()) {
		t.Errorf("hash not upgraded: %q", got.PasswordHash)
	}
}
