// Package memtest measures how much a piece of work grows the Go heap, for
// tests that hold memory to a stated bound (a measure, not a timing).
package memtest

import (
	"runtime"
	"sync"
	"time"
)

// PeakGrowth runs fn and returns the largest growth of the heap (bytes
// allocated and not yet freed, HeapAlloc) over its level before fn, sampled
// every millisecond while fn runs. Garbage counts until collected, so a
// bound proven here holds for what fn makes the process hold, whatever the
// collector's pace.
func PeakGrowth(fn func()) uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	var (
		mu   sync.Mutex
		peak = base
	)
	done := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			mu.Lock()
			peak = max(peak, m.HeapAlloc)
			mu.Unlock()
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	fn()
	close(done)
	<-sampled
	mu.Lock()
	defer mu.Unlock()
	if peak < base {
		return 0
	}
	return peak - base
}

// MB writes a byte count for a test message: "12.3 MB".
func MB(n uint64) float64 { return float64(n) / (1 << 20) }
