package account_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/trangtin/trangtin/platform/account"
	"github.com/trangtin/trangtin/platform/audit"
	"github.com/trangtin/trangtin/platform/errs"
)

func TestTokens(t *testing.T) {
	ctx := context.Background()
	f := setup(t)
	a := f.account(t, "an@x.vn")
	other := f.account(t, "binh@x.vn")

	plain, tok, err := f.svc.CreateToken(ctx, f.db, a.ID, "  Máy chủ   báo cáo ")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(plain, account.TokenPrefix) || len(plain) < len(account.TokenPrefix)+43 {
		t.Errorf("token %q: want tt_ and at least 32 random bytes", plain)
	}
	if tok.Name != "Máy chủ báo cáo" || tok.Hash == plain || strings.Contains(tok.Hash, plain[3:]) || !strings.HasPrefix(plain, tok.Prefix) {
		t.Errorf("token record = %+v", tok)
	}
	_, _, err = f.svc.CreateToken(ctx, f.db, a.ID, " ")
	wantCode(t, err, errs.KindInvalid, "token_name_required")

	got, acc, err := f.svc.TokenFromBearer(ctx, plain)
	if err != nil || got.ID != tok.ID || acc.ID != a.ID {
		t.Fatalf("TokenFromBearer = %v, %v, %v", got, acc, err)
	}
	lastUsed := func() time.Time {
		t.Helper()
		ts, err := account.Tokens(ctx, f.db, a.ID)
		if err != nil || len(ts) != 1 || ts[0].LastUsedAt == nil {
			t.Fatalf("Tokens = %v, %v", ts, err)
		}
		return *ts[0].LastUsedAt
	}
	first := f.clock.Now()
	if !lastUsed().Equal(first) {
		t.Errorf("last used = %v, want %v", lastUsed(), first)
	}
	f.clock.Advance(30 * time.Second)
	if _, _, err := f.svc.TokenFromBearer(ctx, plain); err != nil {
		t.Fatal(err)
	}
	if !lastUsed().Equal(first) {
		t.Error("last used written twice within a minute")
	}
	f.clock.Advance(31 * time.Second)
	if _, _, err := f.svc.TokenFromBearer(ctx, plain); err != nil {
		t.Fatal(err)
	}
	if !lastUsed().Equal(f.clock.Now()) {
		t.Errorf("last used = %v after a minute, want %v", lastUsed(), f.clock.Now())
	}

	for _, bad := range []string{"", "tt_", plain + "x", strings.TrimPrefix(plain, "tt_"), "tt_" + strings.Repeat("A", 43)} {
		_, _, err := f.svc.TokenFromBearer(ctx, bad)
		wantCode(t, err, errs.KindUnauthenticated, "token_invalid")
	}

	wantCode(t, f.svc.RevokeToken(ctx, f.db, other.ID, tok.ID, ""), errs.KindNotFound, "token_not_found")
	if err := f.svc.RevokeToken(ctx, f.db, a.ID, tok.ID, "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	_, _, err = f.svc.TokenFromBearer(ctx, plain)
	wantCode(t, err, errs.KindUnauthenticated, "token_invalid")
	ts, _ := account.Tokens(ctx, f.db, a.ID)
	if len(ts) != 1 || ts[0].RevokedAt == nil {
		t.Errorf("revoked token listed as %+v", ts)
	}
	if n := len(events(t, f.db, audit.ActionTokenCreated)); n != 1 {
		t.Errorf("token.created events = %d", n)
	}
	if ev := events(t, f.db, audit.ActionTokenRevoked); len(ev) != 1 || ev[0].Subject != tok.ID {
		t.Errorf("token.revoked events = %+v", ev)
	}
}

func TestTokenOfDisabledAccount(t *testing.T) {
	ctx := context.Background()
	f := setup(t)
	a := f.account(t, "an@x.vn")
	plain, _, err := f.svc.CreateToken(ctx, f.db, a.ID, "cli")
	if err != nil {
		t.Fatal(err)
	}
	if err := account.SetStatus(ctx, f.db, a.ID, account.StatusDisabled); err != nil {
		t.Fatal(err)
	}
	_, _, err = f.svc.TokenFromBearer(ctx, plain)
	wantCode(t, err, errs.KindUnauthenticated, "token_invalid")
}

func TestCreateTokenInCallersTransaction(t *testing.T) {
	ctx := context.Background()
	f := setup(t)
	a := f.account(t, "an@x.vn")
	tx, err := f.db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	plain, _, err := f.svc.CreateToken(ctx, tx, a.ID, "rolled back")
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.svc.TokenFromBearer(ctx, plain); err == nil {
		t.Error("token of a rolled-back transaction works")
	}
	if n := len(events(t, f.db, audit.ActionTokenCreated)); n != 0 {
		t.Errorf("audit event of a rolled-back token kept (%d)", n)
	}
}
