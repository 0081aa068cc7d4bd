package logging_test

import (
	"context"
	"net/netip"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/trangtin/trangtin/platform/logging"
)

var timeField = regexp.MustCompile(`time=\S+|"time":"[^"]+"`)

// TestAccessLineIsSlogs writes the same records through the fast encoder
// and through slog: the lines must be the same but for the time, so log
// collectors see one format whichever path wrote a line.
func TestAccessLineIsSlogs(t *testing.T) {
	records := []logging.Request{
		{ID: []byte("b535945b3202f0c7"), Method: []byte("GET"), Host: "so-ldtbxh.localhost", Path: []byte("/bai-viet/tin-moi"), Status: 200, DurationMS: 3, IP: netip.MustParseAddr("127.0.0.1"), Tenant: "so-ldtbxh"},
		{ID: []byte("00000000000000aa"), Method: []byte("HEAD"), Host: "admin.localhost", Path: []byte("/"), Status: 304, DurationMS: 0, IP: netip.MustParseAddr("::1")},
		// These need escaping or quoting: slog writes them.
		{ID: []byte("x"), Method: []byte("GET"), Host: "a.localhost", Path: []byte("/tìm kiếm"), Status: 404, IP: netip.MustParseAddr("10.0.0.1"), Tenant: "a"},
		{ID: []byte("x"), Method: []byte("GET"), Host: "a.localhost", Path: []byte(`/a"b\c=d`), Status: 400, IP: netip.MustParseAddr("10.0.0.1")},
		{ID: []byte(""), Method: []byte("GET"), Host: "", Path: []byte("/\x01"), Status: 400, IP: netip.MustParseAddr("10.0.0.1")},
	}
	for _, format := range []string{"json", "text"} {
		fastOut, slowOut := &lockedBuffer{}, &lockedBuffer{}
		fw, sw := logging.NewWriter(fastOut, time.Hour), logging.NewWriter(slowOut, time.Hour)
		fast := logging.NewAccess(logging.New(format, fw), format, fw)
		slow := logging.NewAccess(logging.New(format, sw), format, nil)
		for _, r := range records {
			fast.Log(context.Background(), r)
			slow.Log(context.Background(), r)
		}
		if err := fw.Close(); err != nil {
			t.Fatal(err)
		}
		if err := sw.Close(); err != nil {
			t.Fatal(err)
		}
		got := timeField.ReplaceAllString(fastOut.String(), "TIME")
		want := timeField.ReplaceAllString(slowOut.String(), "TIME")
		if got != want {
			t.Errorf("%s: the fast lines differ from slog's\n got: %s\nwant: %s", format, got, want)
		}
		if n := strings.Count(got, "\n"); n != len(records) {
			t.Errorf("%s: %d lines for %d records", format, n, len(records))
		}
		fastTimes, slowTimes := timeShape(fastOut.String(), format), timeShape(slowOut.String(), format)
		if len(fastTimes) != len(records) || strings.Join(fastTimes, " ") != strings.Join(slowTimes, " ") {
			t.Errorf("%s: time fields shaped %v, slog's %v", format, fastTimes, slowTimes)
		}
	}
}

// timeShape is each time field with its digits masked: slog writes JSON
// times with nanoseconds (trailing zeros dropped, so any fraction is one
// shape) and text times with exactly three digits of milliseconds.
func timeShape(out, format string) []string {
	var shapes []string
	for _, f := range timeField.FindAllString(out, -1) {
		f = regexp.MustCompile(`\.\d+`).ReplaceAllStringFunc(f, func(frac string) string {
			if format == "json" {
				return ".frac"
			}
			return frac[:1] + strings.Repeat("m", len(frac)-1)
		})
		shapes = append(shapes, regexp.MustCompile(`\d`).ReplaceAllString(f, "d"))
	}
	return shapes
}

func BenchmarkAccess(b *testing.B) {
	w := logging.NewWriter(discard{}, time.Hour)
	defer w.Close()
	a := logging.NewAccess(logging.New("json", w), "json", w)
	r := logging.Request{ID: []byte("b535945b3202f0c7"), Method: []byte("GET"), Host: "so-ldtbxh.localhost", Path: []byte("/bai-viet/tin-moi"), Status: 200, DurationMS: 3, IP: netip.MustParseAddr("127.0.0.1"), Tenant: "so-ldtbxh"}
	b.ReportAllocs()
	for b.Loop() {
		a.Log(context.Background(), r)
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
