package logging

import (
	"context"
	"log/slog"
	"net/netip"
	"strconv"
	"sync"
	"time"
)

// Request is one access log record. ID, Method and Path are the request's
// own bytes, read only while Log runs, and IP is written without a string
// between: making strings of them was four of a cached page's nine
// allocations.
type Request struct {
	ID, Method, Path []byte
	Host             string
	Status           int
	DurationMS       int64
	IP               netip.Addr
	Tenant           string // "" when the request named none
	// End is when the answer was ready, the record's time (now when
	// zero): the caller that timed the request has read the clock.
	End time.Time
}

// Access writes one "request" record per request. The record is the one
// slog would write for the same attributes, byte for byte; it is encoded
// here because slog's generic path costs as much as answering a cached
// page. A value that would need escaping or quoting goes through slog.
type Access struct {
	log  *slog.Logger
	w    *Writer // nil: always through log
	json bool
	pool sync.Pool
}

// NewAccess returns the access log of log; with w (the Writer log writes
// to) and the log's format, plain records skip slog.
func NewAccess(log *slog.Logger, format string, w *Writer) *Access {
	return &Access{log: log, w: w, json: format == "json", pool: sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}}
}

// Log writes r.
func (a *Access) Log(ctx context.Context, r Request) {
	if a.w == nil || !a.log.Enabled(ctx, slog.LevelInfo) || !plain(r.ID) || !plain(r.Method) || !plain(r.Host) ||
		!plain(r.Path) || !r.IP.IsValid() || r.IP.Zone() != "" || (r.Tenant != "" && !plain(r.Tenant)) {
		a.slow(ctx, r)
		return
	}
	bp := a.pool.Get().(*[]byte)
	b := (*bp)[:0]
	now := r.End
	if now.IsZero() {
		now = time.Now()
	}
	if a.json {
		b = append(b, `{"time":"`...)
		b = now.AppendFormat(b, time.RFC3339Nano)
		b = append(b, `","level":"INFO","msg":"request"`...)
		b = jsonString(b, "request_id", r.ID)
		b = jsonString(b, "method", r.Method)
		b = jsonString(b, "host", r.Host)
		b = jsonString(b, "path", r.Path)
		b = append(b, `,"status":`...)
		b = strconv.AppendInt(b, int64(r.Status), 10)
		b = append(b, `,"duration_ms":`...)
		b = strconv.AppendInt(b, r.DurationMS, 10)
		b = append(b, `,"ip":"`...)
		b = r.IP.AppendTo(b)
		b = append(b, '"')
		if r.Tenant != "" {
			b = jsonString(b, "tenant", r.Tenant)
		}
		b = append(b, "}\n"...)
	} else {
		b = append(b, "time="...)
		b = appendMillis(b, now)
		b = append(b, " level=INFO msg=request request_id="...)
		b = append(b, r.ID...)
		b = append(b, " method="...)
		b = append(b, r.Method...)
		b = append(b, " host="...)
		b = append(b, r.Host...)
		b = append(b, " path="...)
		b = append(b, r.Path...)
		b = append(b, " status="...)
		b = strconv.AppendInt(b, int64(r.Status), 10)
		b = append(b, " duration_ms="...)
		b = strconv.AppendInt(b, r.DurationMS, 10)
		b = append(b, " ip="...)
		b = r.IP.AppendTo(b)
		if r.Tenant != "" {
			b = append(b, " tenant="...)
			b = append(b, r.Tenant...)
		}
		b = append(b, '\n')
	}
	_, _ = a.w.Write(b)
	*bp = b
	a.pool.Put(bp)
}

func (a *Access) slow(ctx context.Context, r Request) {
	attrs := [8]slog.Attr{
		slog.String("request_id", string(r.ID)), slog.String("method", string(r.Method)), slog.String("host", r.Host),
		slog.String("path", string(r.Path)), slog.Int("status", r.Status), slog.Int64("duration_ms", r.DurationMS),
		slog.String("ip", ip(r.IP)),
	}
	n := 7
	if r.Tenant != "" {
		attrs[n] = slog.String("tenant", r.Tenant)
		n++
	}
	a.log.LogAttrs(ctx, slog.LevelInfo, "request", attrs[:n]...)
}

// ip is addr as text, "" for none.
func ip(addr netip.Addr) string {
	if !addr.IsValid() {
		return ""
	}
	return addr.String()
}

// plain reports whether s is written as it is by both of slog's handlers:
// not empty, printable ASCII without space, quote, backslash or '='.
func plain[T string | []byte](s T) bool {
	if len(s) == 0 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || c == '"' || c == '\\' || c == '=' {
			return false
		}
	}
	return true
}

func jsonString[T string | []byte](b []byte, key string, value T) []byte {
	b = append(b, `,"`...)
	b = append(b, key...)
	b = append(b, `":"`...)
	b = append(b, value...)
	return append(b, '"')
}

// millisLayout is the text handler's time format: RFC 3339 with
// milliseconds (the JSON handler writes RFC 3339 with nanoseconds).
const millisLayout = "2006-01-02T15:04:05.000Z07:00"

// appendMillis appends t in millisLayout. It is written out because every
// request's record has one, and AppendFormat's walk through the layout
// was a third of the record's cost.
func appendMillis(b []byte, t time.Time) []byte {
	y, mo, d := t.Date()
	if y < 0 || y > 9999 {
		return t.AppendFormat(b, millisLayout)
	}
	h, mi, s := t.Clock()
	b = appendDigits(b, y, 4)
	b = append(b, '-')
	b = appendDigits(b, int(mo), 2)
	b = append(b, '-')
	b = appendDigits(b, d, 2)
	b = append(b, 'T')
	b = appendDigits(b, h, 2)
	b = append(b, ':')
	b = appendDigits(b, mi, 2)
	b = append(b, ':')
	b = appendDigits(b, s, 2)
	b = append(b, '.')
	b = appendDigits(b, t.Nanosecond()/1e6, 3)
	_, off := t.Zone()
	if off == 0 {
		return append(b, 'Z')
	}
	sign := byte('+')
	if off < 0 {
		sign, off = '-', -off
	}
	b = append(b, sign)
	b = appendDigits(b, off/3600, 2)
	b = append(b, ':')
	return appendDigits(b, off%3600/60, 2)
}

// appendDigits appends n (≥ 0) in exactly width decimal digits.
func appendDigits(b []byte, n, width int) []byte {
	var buf [4]byte
	for i := width - 1; i >= 0; i-- {
		buf[i] = byte('0' + n%10)
		n /= 10
	}
	return append(b, buf[:width]...)
}
