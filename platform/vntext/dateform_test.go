package vntext

import "testing"

func TestDateForm(t *testing.T) {
	for s, want := range map[string]bool{
		"31/02/2024": true, "6/12/2026": true, " 06/12/2026 ": true,
		"2024-02-31": false, "2024.02.31": false, "06/12/26": false, "a6/12/2026": false, "006/12/2026": false, "//2026": false,
	} {
		if got := DateForm(s); got != want {
			t.Errorf("DateForm(%q) = %v, want %v", s, got, want)
		}
	}
}
