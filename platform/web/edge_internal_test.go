package web

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/trangtin/trangtin/platform/errs"
)

func TestRouteMatches(t *testing.T) {
	r := Route("POST /t/:slug/thu-vien")
	for _, tt := range []struct {
		method, path string
		want         bool
	}{
		{"POST", "/t/anh-dao/thu-vien", true},
		{"post", "/t/anh-dao/thu-vien/", true},
		{"GET", "/t/anh-dao/thu-vien", false},
		{"POST", "/t//thu-vien", false},
		{"POST", "/t/anh-dao/thu-vien/abc", false},
		{"POST", "/t/anh-dao/bai-viet", false},
	} {
		if got := r.matches(tt.method, tt.path); got != tt.want {
			t.Errorf("%s %s: %v, want %v", tt.method, tt.path, got, tt.want)
		}
	}
}

func TestCheckText(t *testing.T) {
	for _, tt := range []struct {
		s         string
		multiline bool
		code      string
	}{
		{"Sở Lao động", false, ""},
		{"a\tb", false, ""},
		{"a\nb", true, ""},
		{"a\r\nb", true, ""},
		{"a\nb", false, "control_character"},
		{"a\x00b", true, "control_character"},
		{"a\x7fb", true, "control_character"},
		{"a\u0085b", true, "control_character"},
		{"a\xffb", true, "invalid_utf8"},
	} {
		err := CheckText("f", tt.s, tt.multiline)
		got := ""
		if e := errs.As(err); e != nil {
			got = e.Code
		}
		if got != tt.code {
			t.Errorf("CheckText(%q, %v) = %q, want %q", tt.s, tt.multiline, got, tt.code)
		}
	}
}

type sqlState string

func (s sqlState) Error() string    { return "pg " + string(s) }
func (s sqlState) SQLState() string { return string(s) }

type liteCode int

func (c liteCode) Error() string { return fmt.Sprintf("sqlite %d", int(c)) }
func (c liteCode) Code() int     { return int(c) }

func TestUnavailable(t *testing.T) {
	for _, tt := range []struct {
		err  error
		want bool
	}{
		{fmt.Errorf("list posts: %w", context.DeadlineExceeded), true},
		{fmt.Errorf("x: %w", sqlState("55P03")), true}, // lock_not_available
		{fmt.Errorf("x: %w", sqlState("57014")), true}, // statement timeout
		{fmt.Errorf("x: %w", sqlState("08006")), true},
		{fmt.Errorf("x: %w", sqlState("23505")), false}, // unique violation: a bug if unclassified
		{fmt.Errorf("x: %w", liteCode(5)), true},        // SQLITE_BUSY
		{fmt.Errorf("x: %w", liteCode(517)), true},      // SQLITE_BUSY_SNAPSHOT
		{fmt.Errorf("x: %w", liteCode(19)), false},      // constraint
		{errors.New("sql: database is closed"), true},
		{errors.New("nil pointer"), false},
	} {
		if got := Unavailable(tt.err); got != tt.want {
			t.Errorf("Unavailable(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}
