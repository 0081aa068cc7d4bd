// Package logging builds the process's structured logger. Records are
// written whole into a buffer that is flushed a few times a second, when it
// fills, at every warning or error, and on Close: the access log line of
// every request then costs a copy instead of a write to the terminal or the
// container runtime's pipe, which under a burst of cached pages was as
// expensive as serving the page itself.
package logging

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"time"
)

// DefaultInterval is how long an information record may wait in the buffer.
const DefaultInterval = 200 * time.Millisecond

// bufferSize is when the buffer is written out before its interval.
const bufferSize = 64 << 10

// Writer buffers whole records for w.
type Writer struct {
	mu   sync.Mutex
	w    io.Writer
	buf  []byte
	err  error
	stop chan struct{}
	done chan struct{}
}

// NewWriter starts a Writer that flushes to w every interval; Close stops it.
func NewWriter(w io.Writer, interval time.Duration) *Writer {
	if interval <= 0 {
		interval = DefaultInterval
	}
	bw := &Writer{w: w, buf: make([]byte, 0, bufferSize), stop: make(chan struct{}), done: make(chan struct{})}
	go bw.loop(interval)
	return bw
}

func (bw *Writer) loop(interval time.Duration) {
	defer close(bw.done)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			_ = bw.Flush()
		case <-bw.stop:
			return
		}
	}
}

// Write takes one record (slog handlers write each record with one call),
// so a flush never cuts a line in two.
func (bw *Writer) Write(p []byte) (int, error) {
	bw.mu.Lock()
	defer bw.mu.Unlock()
	if len(bw.buf)+len(p) > bufferSize {
		bw.flushLocked()
	}
	if len(p) >= bufferSize {
		// Larger than the whole buffer: straight through.
		if _, err := bw.w.Write(p); err != nil {
			bw.err = err
		}
		return len(p), nil
	}
	bw.buf = append(bw.buf, p...)
	return len(p), nil
}

// Flush writes out what is buffered; it returns the first write error seen
// since the previous Flush.
func (bw *Writer) Flush() error {
	bw.mu.Lock()
	defer bw.mu.Unlock()
	bw.flushLocked()
	err := bw.err
	bw.err = nil
	return err
}

func (bw *Writer) flushLocked() {
	if len(bw.buf) == 0 {
		return
	}
	if _, err := bw.w.Write(bw.buf); err != nil && bw.err == nil {
		bw.err = err
	}
	bw.buf = bw.buf[:0]
}

// Close stops the flushing and writes out what is left.
func (bw *Writer) Close() error {
	select {
	case <-bw.stop:
	default:
		close(bw.stop)
	}
	<-bw.done
	return bw.Flush()
}

// New returns a logger writing text or JSON ("json") records of level info
// and above to bw; a warning or an error is written out at once, so what
// explains a failure is never waiting in the buffer when the process dies.
func New(format string, bw *Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: slog.LevelInfo}
	var h slog.Handler
	if format == "json" {
		h = slog.NewJSONHandler(bw, opts)
	} else {
		h = slog.NewTextHandler(bw, opts)
	}
	return slog.New(flushing{Handler: h, w: bw})
}

// flushing flushes the buffer after every record at warning or above.
type flushing struct {
	slog.Handler
	w *Writer
}

func (f flushing) Handle(ctx context.Context, r slog.Record) error {
	err := f.Handler.Handle(ctx, r)
	if r.Level >= slog.LevelWarn {
		if ferr := f.w.Flush(); err == nil {
			err = ferr
		}
	}
	return err
}

func (f flushing) WithAttrs(attrs []slog.Attr) slog.Handler {
	return flushing{Handler: f.Handler.WithAttrs(attrs), w: f.w}
}

func (f flushing) WithGroup(name string) slog.Handler {
	return flushing{Handler: f.Handler.WithGroup(name), w: f.w}
}
