package logging

import (
	"testing"
	"time"
)

// TestAppendMillisIsTheLayout holds the hand-written time format to
// AppendFormat's, across zones east and west, half-hour offsets, the
// turn of a year and the edges of the milliseconds.
func TestAppendMillisIsTheLayout(t *testing.T) {
	zones := []*time.Location{time.UTC, time.FixedZone("ICT", 7*3600), time.FixedZone("NST", -(3*3600 + 30*60)),
		time.FixedZone("ACST", 9*3600+30*60), time.FixedZone("odd", 5*3600+45*60+30)}
	if hcm, err := time.LoadLocation("Asia/Ho_Chi_Minh"); err == nil {
		zones = append(zones, hcm)
	}
	times := []time.Time{
		time.Date(2026, 12, 31, 23, 59, 59, 999_999_999, time.UTC),
		time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 3, 5, 7, 8, 9, 1_000_000, time.UTC),
		time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(9999, 12, 31, 12, 0, 0, 999_000_000, time.UTC),
		time.Date(12000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(-5, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Now(),
	}
	for _, z := range zones {
		for _, tm := range times {
			tm = tm.In(z)
			if got, want := string(appendMillis(nil, tm)), tm.Format(millisLayout); got != want {
				t.Errorf("%v in %s: %q, want %q", tm, z, got, want)
			}
		}
	}
}
