package account_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/trangtin/trangtin/platform/account"
	"github.com/trangtin/trangtin/platform/audit"
	"github.com/trangtin/trangtin/platform/errs"
)

func TestTOTPEnrolmentAndLogin(t *testing.T) {
	ctx := context.Background()
	f := setup(t)
	a := f.account(t, "an@x.vn")

	wantCode(t, f.svc.ConfirmEnrolment(ctx, a.ID, "123456", ""), errs.KindConflict, "mfa_not_enrolling")
	en, err := f.svc.BeginEnrolment(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if en.Secret == "" || !strings.HasPrefix(en.URL, "otpauth://totp/") || !strings.Contains(en.URL, "secret="+en.Secret) {
		t.Errorf("enrolment secret %q url %q", en.Secret, en.URL)
	}
	raw, ok := strings.CutPrefix(en.QRCode, "data:image/png;base64,")
	if !ok {
		t.Fatalf("QR code is not a PNG data URL: %.40q", en.QRCode)
	}
	pngBytes, err := base64.StdEncoding.DecodeString(raw)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := png.Decode(bytes.NewReader(pngBytes)); err != nil {
		t.Fatalf("QR code PNG: %v", err)
	}
	if len(en.RecoveryCodes) != account.RecoveryCodeCount {
		t.Fatalf("recovery codes = %v", en.RecoveryCodes)
	}
	var stored string
	if err := f.db.NewSelect().TableExpr("accounts").Column("totp_secret").Where("id = ?", a.ID).Scan(ctx, &stored); err != nil {
		t.Fatal(err)
	}
	if stored == "" || strings.Contains(stored, en.Secret) {
		t.Errorf("TOTP secret stored in clear: %q", stored)
	}
	n, err := f.db.NewSelect().TableExpr("account_recovery_codes").Where("code_hash = ?", en.RecoveryCodes[0]).Count(ctx)
	if err != nil || n != 0 {
		t.Errorf("recovery code stored in clear (n=%d, %v)", n, err)
	}
	// Not on yet: login needs no second factor.
	f.login(t, "an@x.vn")

	wantCode(t, f.svc.ConfirmEnrolment(ctx, a.ID, "000000", "192.0.2.1"), errs.KindInvalid, "mfa_code_invalid")
	code := totpCode(t, en.Secret, f.clock.Now())
	if err := f.svc.ConfirmEnrolment(ctx, a.ID, code, "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.BeginEnrolment(ctx, a.ID)
	wantCode(t, err, errs.KindConflict, "mfa_already_enabled")
	if got := events(t, f.db, audit.ActionMFAEnabled); len(got) != 1 || got[0].ActorID != a.ID {
		t.Errorf("mfa.enabled events = %+v", got)
	}

	pending, needsMFA, err := f.svc.Login(ctx, "an@x.vn", testPassword, "192.0.2.1", "ua")
	if err != nil || !needsMFA {
		t.Fatalf("login with second factor: needsMFA=%v err=%v", needsMFA, err)
	}
	ss, _, err := f.svc.SessionFromToken(ctx, pending)
	if err != nil || !ss.Pending || ss.MFAPassed {
		t.Fatalf("pending session = %+v, %v", ss, err)
	}
	// The code that confirmed the enrolment was used in this step: refused.
	_, err = f.svc.CompleteMFA(ctx, pending, code, "192.0.2.1", "ua")
	wantCode(t, err, errs.KindInvalid, "mfa_code_invalid")

	f.clock.Advance(30 * time.Second)
	code = totpCode(t, en.Secret, f.clock.Now())
	full, err := f.svc.CompleteMFA(ctx, pending, code, "192.0.2.1", "ua")
	if err != nil {
		t.Fatal(err)
	}
	if full == pending {
		t.Error("CompleteMFA kept the pending session id")
	}
	ss, _, err = f.svc.SessionFromToken(ctx, full)
	if err != nil || ss.Pending || !ss.MFAPassed {
		t.Fatalf("full session = %+v, %v", ss, err)
	}
	_, _, err = f.svc.SessionFromToken(ctx, pending)
	wantCode(t, err, errs.KindUnauthenticated, "session_invalid")

	// The same code twice in its step: refused, even directly.
	wantCode(t, f.svc.VerifySecondFactor(ctx, a.ID, code, ""), errs.KindInvalid, "mfa_code_invalid")
	// A code of an earlier step, still inside the skew: refused too.
	f.clock.Advance(30 * time.Second)
	wantCode(t, f.svc.VerifySecondFactor(ctx, a.ID, code, ""), errs.KindInvalid, "mfa_code_invalid")
	if err := f.svc.VerifySecondFactor(ctx, a.ID, totpCode(t, en.Secret, f.clock.Now()), ""); err != nil {
		t.Errorf("next step's code: %v", err)
	}
	// One step of clock drift either way is accepted.
	f.clock.Advance(30 * time.Second)
	if err := f.svc.VerifySecondFactor(ctx, a.ID, totpCode(t, en.Secret, f.clock.Now().Add(30*time.Second)), ""); err != nil {
		t.Errorf("code of the next step: %v", err)
	}

	login := successes(t, f)
	if login != 2 {
		t.Errorf("login.success events = %d, want 2 (the pending login is not one)", login)
	}
}

func successes(t *testing.T, f *fixture) int {
	t.Helper()
	return len(events(t, f.db, audit.ActionLoginSuccess))
}

func TestRecoveryCodesWorkOnce(t *testing.T) {
	ctx := context.Background()
	f := setup(t)
	a := f.account(t, "an@x.vn")
	en := enrol(t, f, a.ID)

	pending, _, err := f.svc.Login(ctx, "an@x.vn", testPassword, "192.0.2.1", "")
	if err != nil {
		t.Fatal(err)
	}
	// Typed in lower case without dashes: still the code.
	typed := strings.ToLower(strings.ReplaceAll(en.RecoveryCodes[3], "-", ""))
	if _, err := f.svc.CompleteMFA(ctx, pending, typed, "192.0.2.1", ""); err != nil {
		t.Fatalf("recovery code: %v", err)
	}
	pending, _, _ = f.svc.Login(ctx, "an@x.vn", testPassword, "192.0.2.1", "")
	_, err = f.svc.CompleteMFA(ctx, pending, en.RecoveryCodes[3], "192.0.2.1", "")
	wantCode(t, err, errs.KindInvalid, "mfa_code_invalid")
	if left, err := f.svc.RecoveryCodesLeft(ctx, a.ID); err != nil || left != account.RecoveryCodeCount-1 {
		t.Errorf("codes left = %d, %v", left, err)
	}
	if got := events(t, f.db, audit.ActionMFARecoveryUsed); len(got) != 1 {
		t.Errorf("mfa.recovery_used events = %d", len(got))
	}
	wantCode(t, f.svc.VerifySecondFactor(ctx, a.ID, "AAAA-BBBB-CCCC-DDDD", ""), errs.KindInvalid, "mfa_code_invalid")
}

func TestWrongSecondFactorCountsTowardsThrottle(t *testing.T) {
	ctx := context.Background()
	f := setup(t)
	a := f.account(t, "an@x.vn")
	enrol(t, f, a.ID)
	pending, _, err := f.svc.Login(ctx, "an@x.vn", testPassword, "192.0.2.1", "")
	if err != nil {
		t.Fatal(err)
	}
	for range account.MaxFailuresPerAccount {
		_, err := f.svc.CompleteMFA(ctx, pending, "000000", "192.0.2.1", "")
		wantCode(t, err, errs.KindInvalid, "mfa_code_invalid")
	}
	_, err = f.svc.CompleteMFA(ctx, pending, "000000", "192.0.2.1", "")
	wantCode(t, err, errs.KindForbidden, account.CodeLoginThrottled)
}

func TestDisableMFA(t *testing.T) {
	ctx := context.Background()
	f := setup(t)
	a := f.account(t, "an@x.vn")
	enrol(t, f, a.ID)
	admin := f.account(t, "admin@x.vn")
	if err := f.svc.DisableMFA(ctx, a.ID, admin.ID, "192.0.2.5"); err != nil {
		t.Fatal(err)
	}
	got, _ := account.ByID(ctx, f.db, a.ID)
	if got.MFAEnabled() || got.TOTPSecret != "" {
		t.Errorf("after disable: %+v", got)
	}
	if left, _ := f.svc.RecoveryCodesLeft(ctx, a.ID); left != 0 {
		t.Errorf("recovery codes left = %d", left)
	}
	f.login(t, "an@x.vn") // no second factor asked
	ev := events(t, f.db, audit.ActionMFADisabled)
	if len(ev) != 1 || ev[0].ActorID != admin.ID || ev[0].Subject != "an@x.vn" || ev[0].IP != "192.0.2.5" {
		t.Errorf("mfa.disabled events = %+v", ev)
	}
	wantCode(t, f.svc.VerifySecondFactor(ctx, a.ID, "123456", ""), errs.KindConflict, "mfa_not_enabled")
	// Enrolling again works.
	enrol(t, f, a.ID)
}

func TestPendingSessionExpires(t *testing.T) {
	ctx := context.Background()
	f := setup(t)
	a := f.account(t, "an@x.vn")
	en := enrol(t, f, a.ID)
	pending, _, err := f.svc.Login(ctx, "an@x.vn", testPassword, "", "")
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(account.PendingLifetime)
	_, err = f.svc.CompleteMFA(ctx, pending, totpCode(t, en.Secret, f.clock.Now()), "", "")
	wantCode(t, err, errs.KindUnauthenticated, "session_invalid")
	full := f.loginMFA(t, "an@x.vn", en.Secret)
	_, err = f.svc.CompleteMFA(ctx, full, "123456", "", "")
	wantCode(t, err, errs.KindConflict, "mfa_not_pending")
}

// enrol sets up and confirms a second factor and moves the clock past the
// confirming code's step.
func enrol(t *testing.T, f *fixture, accountID string) *account.Enrolment {
	t.Helper()
	ctx := context.Background()
	en, err := f.svc.BeginEnrolment(ctx, accountID)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.ConfirmEnrolment(ctx, accountID, totpCode(t, en.Secret, f.clock.Now()), ""); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(30 * time.Second)
	return en
}

func (f *fixture) loginMFA(t *testing.T, email, secret string) string {
	t.Helper()
	ctx := context.Background()
	pending, needs, err := f.svc.Login(ctx, email, testPassword, "", "")
	if err != nil || !needs {
		t.Fatalf("login: %v %v", needs, err)
	}
	full, err := f.svc.CompleteMFA(ctx, pending, totpCode(t, secret, f.clock.Now()), "", "")
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(30 * time.Second)
	return full
}

func totpCode(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	code, err := totp.GenerateCode(secret, at)
	if err != nil {
		t.Fatal(err)
	}
	return code
}
