package db

import "testing"

func TestNumberPlaceholders(t *testing.T) {
	for in, want := range map[string]string{
		"SELECT 1":                              "SELECT 1",
		"a = ? AND b IN (?, ?)":                 "a = $1 AND b IN ($2, $3)",
		"x <> '?' AND \"we?ird\" = ? AND y = ?": "x <> '?' AND \"we?ird\" = $1 AND y = $2",
		"s = 'it''s ?' AND t = ?":               "s = 'it''s ?' AND t = $1",
	} {
		if got := NumberPlaceholders(in); got != want {
			t.Errorf("%q → %q, want %q", in, got, want)
		}
	}
}
