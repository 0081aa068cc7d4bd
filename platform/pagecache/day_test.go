package pagecache_test

import (
	"sync"
	"testing"
	"time"
)

// TestPageNotServedOnALaterDay: a page can change with the date alone (a
// document's expiry day passes, with no write to bump a generation), so
// a page rendered before midnight in Vietnam is rendered again after it,
// and not before.
func TestPageNotServedOnALaterDay(t *testing.T) {
	var mu sync.Mutex
	// 23:59 in Vietnam (UTC+7) on 10/03/2027.
	clock := time.Date(2027, 3, 10, 16, 59, 0, 0, time.UTC)
	xcache := outerApp(t, "<p>Văn bản còn hiệu lực</p>", func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return clock
	})
	if got := xcache(); got != "MISS" {
		t.Fatalf("first request: X-Cache %q", got)
	}
	if got := xcache(); got != "HIT" {
		t.Fatalf("same day: X-Cache %q, want HIT", got)
	}
	mu.Lock()
	clock = clock.Add(2 * time.Minute) // 00:01 on 11/03/2027 in Vietnam
	mu.Unlock()
	if got := xcache(); got != "MISS" {
		t.Errorf("after midnight in Vietnam: X-Cache %q, want MISS (a render for the new day)", got)
	}
	if got := xcache(); got != "HIT" {
		t.Errorf("the new day's page: X-Cache %q, want HIT", got)
	}
}
