package pagecache_test

import (
	"strings"
	"testing"
)

// BenchmarkHit is a cached 30 KB page through the whole outer application
// (request id, access log, security headers, the cache), without a
// network: what a hit costs this process.
func BenchmarkHit(b *testing.B) {
	page := strings.Repeat("<p>Nội dung trang chủ của đơn vị.</p>\n", 800)
	get := outerApp(b, page, nil)
	if got := get(); got != "MISS" {
		b.Fatalf("first request: X-Cache %q", got)
	}
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if got := get(); got != "HIT" {
				b.Errorf("X-Cache %q", got)
				return
			}
		}
	})
}
