package pagecache

import (
	"fmt"
	"strings"
	"testing"
)

// TestStoreStaysWithinBudget fills a 4 MB cache with 10,000 pages of
// 4–12 KB and checks it never holds more than its budget, keeps the pages
// used most recently, and refuses a page too big for it.
func TestStoreStaysWithinBudget(t *testing.T) {
	const budget = 4 << 20
	s := newStore(budget)
	for i := range 10000 {
		body := []byte(strings.Repeat("x", 4096+(i%9)*1024))
		s.put(&entry{key: fmt.Sprintf("http://t%d.localhost/bai-viet/%d", i%100, i), body: body})
		if i%500 == 0 {
			if used, _ := s.usage(); used > budget {
				t.Fatalf("after %d pages the cache holds %d bytes, over its %d budget", i+1, used, budget)
			}
		}
	}
	used, n := s.usage()
	if used > budget || used < budget/2 {
		t.Errorf("holds %d bytes in %d entries; want close to and not over %d", used, n, budget)
	}
	if s.get([]byte("http://t99.localhost/bai-viet/9999")) == nil {
		t.Error("the page stored last was evicted")
	}
	if s.get([]byte("http://t0.localhost/bai-viet/0")) != nil {
		t.Error("the page stored first survived 10,000 later ones")
	}
	if s.put(&entry{key: "huge", body: make([]byte, budget/shardCount)}) {
		t.Error("a page of a whole shard's budget was stored")
	}
}
