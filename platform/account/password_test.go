package account_test

import (
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/trangtin/trangtin/platform/account"
	"github.com/trangtin/trangtin/platform/errs"
)

func TestHashAndVerify(t *testing.T) {
	p := account.TestParams()
	h1, err := account.HashPassword(testPassword, p)
	if err != nil {
		t.Fatal(err)
	}
	h2, _ := account.HashPassword(testPassword, p)
	if !strings.HasPrefix(h1, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Errorf("hash %q is not a PHC argon2id string with its parameters", h1)
	}
	if h1 == h2 {
		t.Error("two hashes of one password are equal: no per-hash salt")
	}
	tests := []struct {
		name     string
		password string
		want     bool
	}{
		{"right", testPassword, true},
		{"right, decomposed diacritics", norm.NFD.String(testPassword), true},
		{"wrong", testPassword + "x", false},
		{"empty", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ok, err := account.VerifyPassword(tc.password, h1)
			if err != nil || ok != tc.want {
				t.Fatalf("VerifyPassword = %v, %v; want %v", ok, err, tc.want)
			}
		})
	}
	for _, bad := range []string{"", "plain", "$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaA",
		strings.Replace(h1, "m=64,", "m=99999999,", 1)} {
		if _, err := account.VerifyPassword("x", bad); err == nil {
			t.Errorf("VerifyPassword accepted hash %q", bad)
		}
	}
	if account.NeedsRehash(h1, p) {
		t.Error("NeedsRehash with the same parameters")
	}
	if !account.NeedsRehash(h1, account.DefaultParams()) {
		t.Error("no rehash for other parameters")
	}
}

func TestDefaultParams(t *testing.T) {
	h, err := account.HashPassword(testPassword, account.DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=1,p=2$") {
		t.Errorf("default hash = %q", h)
	}
	if ok, err := account.VerifyPassword(testPassword, h); !ok || err != nil {
		t.Errorf("verify default hash: %v %v", ok, err)
	}
}

func TestPasswordPolicy(t *testing.T) {
	tests := []struct {
		name, password, code string
	}{
		{"ok", "mây-trắng-bay-xa", ""},
		{"ten Vietnamese characters", "đường-xa-ạ", ""},
		{"too short", "ngan-9ky", "password_too_short"},
		{"nine characters", "123456789", "password_too_short"},
		{"too long", strings.Repeat("a", account.MaxPasswordLen+1), "password_too_long"},
		{"contains the email's local part", "XY-nguyenvanan-2026", "password_contains_email"},
		{"common", "Password123", "password_common"},
		{"common digits", "1234567890", "password_common"},
		{"common Vietnamese", "matkhau@123", "password_common"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := account.CheckPasswordPolicy(tc.password, "NguyenVanAn@molisa.gov.vn")
			if tc.code == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			wantCode(t, err, errs.KindInvalid, tc.code)
			if e := errs.As(err); e.Field != "password" || e.Message == "" {
				t.Errorf("error %+v lacks field or message", e)
			}
		})
	}
	err := account.CheckPasswordPolicy("short", "a@b.vn")
	if _, msg, _ := errs.Public(err); msg != "Mật khẩu phải có ít nhất 10 ký tự" {
		t.Errorf("message = %q", msg)
	}
}
