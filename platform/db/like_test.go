package db_test

import (
	"testing"

	"github.com/trangtin/trangtin/platform/db"
)

func TestContains(t *testing.T) {
	for in, want := range map[string]string{
		"lao động": "%lao động%",
		"50%_giảm": `%50\%\_giảm%`,
		`a\b`:      `%a\\b%`,
		"":         "%%",
	} {
		if got := db.Contains(in); got != want {
			t.Errorf("Contains(%q) = %q, want %q", in, got, want)
		}
	}
}
