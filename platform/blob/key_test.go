package blob

import (
	"errors"
	"strings"
	"testing"

	"github.com/trangtin/trangtin/platform/errs"
)

func TestKey(t *testing.T) {
	const hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	got := Key("0b5e6f2a-1c2d", hash, ".jpg")
	want := "t/0b5e6f2a-1c2d/9f/" + hash + ".jpg"
	if got != want {
		t.Fatalf("Key = %q, want %q", got, want)
	}
	if err := ValidKey(got); err != nil {
		t.Fatal(err)
	}
	if r := Key("x", hash, "-640.webp"); !strings.HasPrefix(r, TenantPrefix("x")) || !strings.HasSuffix(r, hash+"-640.webp") {
		t.Fatalf("rendition key %q", r)
	}
}

func TestValidKey(t *testing.T) {
	good := []string{
		"a", "t/x/ab/abc.jpg", "t/0b5e6f2a-1c2d/9f/abc_def-640.webp", "A.B-C_D/e..f",
		strings.Repeat("a", 200), strings.Repeat("a/", 255) + "bc",
	}
	for _, k := range good {
		if err := ValidKey(k); err != nil {
			t.Errorf("ValidKey(%q) = %v", k, err)
		}
	}
	for _, k := range badKeys {
		err := ValidKey(k)
		if !errors.Is(err, ErrInvalidKey) || !errs.Is(err, errs.KindInvalid) {
			t.Errorf("ValidKey(%q) = %v, want invalid", k, err)
		}
	}
	if e := errs.As(ValidKey("../x")); e == nil || e.Code != "media_key_invalid" || e.Field != "key" {
		t.Fatalf("invalid key error = %#v", e)
	}
}

func TestValidPrefix(t *testing.T) {
	for _, p := range []string{"", "t/", "t/x/", "t/x/a"} {
		if err := validPrefix(p); err != nil {
			t.Errorf("validPrefix(%q) = %v", p, err)
		}
	}
	for _, p := range []string{"/", "../", "t//", "/t/", "t/../"} {
		if err := validPrefix(p); err == nil {
			t.Errorf("validPrefix(%q) accepted", p)
		}
	}
}
