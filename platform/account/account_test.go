package account_test

import (
	"context"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/trangtin/trangtin/platform/account"
	"github.com/trangtin/trangtin/platform/errs"
)

func TestCreateAndLoad(t *testing.T) {
	ctx := context.Background()
	f := setup(t)
	nfd := norm.NFD.String("Trần Thị Bình")
	a, err := account.CreateWithParams(ctx, f.db, account.TestParams(), "  Binh.Tran@SoLDTBXH.gov.vn ", "  "+nfd+"  ", testPassword)
	if err != nil {
		t.Fatal(err)
	}
	if a.Email != "binh.tran@soldtbxh.gov.vn" || a.Name != "Trần Thị Bình" || !norm.NFC.IsNormalString(a.Name) {
		t.Errorf("stored email %q name %q", a.Email, a.Name)
	}
	if a.Status != account.StatusActive || a.PasswordHash == "" || a.MFAEnabled() {
		t.Errorf("new account = %+v", a)
	}
	byEmail, err := account.ByEmail(ctx, f.db, "BINH.TRAN@soldtbxh.gov.vn")
	if err != nil || byEmail.ID != a.ID {
		t.Fatalf("ByEmail = %v, %v", byEmail, err)
	}
	byID, err := account.ByID(ctx, f.db, a.ID)
	if err != nil || byID.Email != a.Email {
		t.Fatalf("ByID = %v, %v", byID, err)
	}
	_, err = account.ByID(ctx, f.db, "nope")
	wantCode(t, err, errs.KindNotFound, "account_not_found")

	_, err = account.CreateWithParams(ctx, f.db, account.TestParams(), "binh.tran@SOLDTBXH.gov.vn", "Khác", testPassword)
	wantCode(t, err, errs.KindConflict, "email_taken")

	bad := []struct{ name, email, fullName, password, code string }{
		{"bad email", "not-an-email", "A", testPassword, "email_invalid"},
		{"display name", "An <an@x.vn>", "A", testPassword, "email_invalid"},
		{"non-ASCII email", "ân@x.vn", "A", testPassword, "email_invalid"},
		{"no name", "c@x.vn", "   ", testPassword, "name_required"},
		{"weak password", "d@x.vn", "D", "short", "password_too_short"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			_, err := account.CreateWithParams(ctx, f.db, account.TestParams(), tc.email, tc.fullName, tc.password)
			wantCode(t, err, errs.KindInvalid, tc.code)
		})
	}
}

func TestProfileStatusAndPassword(t *testing.T) {
	ctx := context.Background()
	f := setup(t)
	a := f.account(t, "binhminh@x.vn")
	if err := account.UpdateProfile(ctx, f.db, a.ID, "Nguyễn  Văn   An", "0912 345 678"); err != nil {
		t.Fatal(err)
	}
	err := account.UpdateProfile(ctx, f.db, a.ID, "An", "gọi tôi")
	wantCode(t, err, errs.KindInvalid, "phone_invalid")
	got, _ := account.ByID(ctx, f.db, a.ID)
	if got.Name != "Nguyễn Văn An" || got.Phone != "0912 345 678" {
		t.Errorf("profile = %q %q", got.Name, got.Phone)
	}

	const next = "hoa-sen-trong-đầm"
	wantCode(t, account.SetPasswordWithParams(ctx, f.db, account.TestParams(), a.ID, "xx-BinhMinh-xx"),
		errs.KindInvalid, "password_contains_email")
	if err := account.SetPasswordWithParams(ctx, f.db, account.TestParams(), a.ID, next); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.svc.Login(ctx, "binhminh@x.vn", testPassword, "", ""); err == nil {
		t.Error("old password still logs in")
	}
	if _, _, err := f.svc.Login(ctx, "binhminh@x.vn", next, "", ""); err != nil {
		t.Errorf("new password: %v", err)
	}

	if err := account.SetStatus(ctx, f.db, a.ID, account.StatusDisabled); err != nil {
		t.Fatal(err)
	}
	wantCode(t, account.SetStatus(ctx, f.db, a.ID, "gone"), errs.KindInvalid, "status_invalid")
	wantCode(t, account.SetStatus(ctx, f.db, "nope", account.StatusActive), errs.KindNotFound, "account_not_found")
	list, err := account.List(ctx, f.db)
	if err != nil || len(list) != 1 || list[0].Status != account.StatusDisabled {
		t.Fatalf("List = %v, %v", list, err)
	}
	if !account.MFARequired(list[0], true) || account.MFARequired(list[0], false) {
		t.Error("MFARequired ignores the policy or the account")
	}
}

func TestChangePasswordEndsOtherSessions(t *testing.T) {
	ctx := context.Background()
	f := setup(t)
	a := f.account(t, "binhminh@x.vn")
	keep, other := f.login(t, "binhminh@x.vn"), f.login(t, "binhminh@x.vn")
	ss, _, err := f.svc.SessionFromToken(ctx, keep)
	if err != nil {
		t.Fatal(err)
	}
	err = f.svc.ChangePassword(ctx, a.ID, "wrong-password-x", "hoa-sen-trong-đầm", ss.ID, "192.0.2.1")
	wantCode(t, err, errs.KindInvalid, "password_wrong")
	if err := f.svc.ChangePassword(ctx, a.ID, testPassword, "hoa-sen-trong-đầm", ss.ID, "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.svc.SessionFromToken(ctx, keep); err != nil {
		t.Errorf("current session ended: %v", err)
	}
	if _, _, err := f.svc.SessionFromToken(ctx, other); err == nil {
		t.Error("other session survived the password change")
	}
	if len(events(t, f.db, "password.changed")) != 1 {
		t.Error("password change not audited")
	}
}
