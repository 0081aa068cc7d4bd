package logging_test

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/trangtin/trangtin/platform/logging"
)

// lockedBuffer is what the terminal sees.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func TestInfoWaitsWarningDoesNot(t *testing.T) {
	out := &lockedBuffer{}
	w := logging.NewWriter(out, time.Hour)
	defer w.Close()
	log := logging.New("json", w)
	log.Info("request", "path", "/")
	if got := out.String(); got != "" {
		t.Fatalf("an information record reached the output before a flush: %q", got)
	}
	log.Warn("database slow", "ms", 900)
	got := out.String()
	if !strings.Contains(got, `"msg":"request"`) || !strings.Contains(got, `"msg":"database slow"`) {
		t.Fatalf("after a warning the output holds %q, want both records", got)
	}
	if strings.Index(got, `"msg":"request"`) > strings.Index(got, `"msg":"database slow"`) {
		t.Errorf("records out of order: %q", got)
	}
}

func TestFlushedOnIntervalAndClose(t *testing.T) {
	out := &lockedBuffer{}
	w := logging.NewWriter(out, 20*time.Millisecond)
	log := logging.New("text", w)
	log.Info("first")
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(out.String(), "msg=first") {
		if time.Now().After(deadline) {
			t.Fatal("an information record was never written out by the interval flush")
		}
		time.Sleep(5 * time.Millisecond)
	}
	w2 := logging.NewWriter(out, time.Hour)
	logging.New("text", w2).Info("last words")
	if err := w2.Close(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "msg=\"last words\"") {
		t.Errorf("Close did not write out the buffer: %q", out.String())
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestLinesStayWhole writes from many goroutines through a full buffer:
// every line reaches the output whole, none is lost.
func TestLinesStayWhole(t *testing.T) {
	out := &lockedBuffer{}
	w := logging.NewWriter(out, time.Millisecond)
	log := logging.New("json", w)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 500 {
				log.Info("request", "goroutine", g, "i", i, "path", strings.Repeat("x", 100))
			}
		}()
	}
	wg.Wait()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 4000 {
		t.Fatalf("%d lines, want 4000", len(lines))
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, "{") || !strings.HasSuffix(l, "}") {
			t.Fatalf("a line was cut: %q", l)
		}
	}
}
