package site_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/trangtin/trangtin/platform/account"
	"github.com/trangtin/trangtin/platform/config"
	"github.com/trangtin/trangtin/platform/db/dbtest"
	"github.com/trangtin/trangtin/tenants/app"
)

// BenchmarkDemoPages renders the demo Department's public pages with the
// page cache off: the shape (sections, fields, units' copies, pictures)
// the uncached render path is measured on (issue 13).
func BenchmarkDemoPages(b *testing.B) {
	ctx := context.Background()
	cfg, err := config.Load(func(string) string { return "" }, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	cfg.DataDir, cfg.PageCache = b.TempDir(), 0
	bdb := dbtest.New(b)
	a, err := app.New(ctx, cfg, bdb, slog.New(slog.NewTextHandler(io.Discard, nil)), app.WithAccountOptions(account.WithParams(account.TestParams())))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := app.NewDemoSeederFor(a, account.TestParams()).Run(ctx); err != nil {
		b.Fatal(err)
	}
	// The demo's pictures get their renditions from a job, as on a
	// server: without them the pages have no srcset and the pictures'
	// share of a page is understated.
	if _, err := a.Jobs.RunOnce(ctx); err != nil {
		b.Fatal(err)
	}
	const host = "so-ldtbxh.localhost"
	get := func(b *testing.B, path string) string {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Host = host
		res, err := a.HTTP.Test(req, -1)
		if err != nil {
			b.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusOK {
			b.Fatalf("%s: %d", path, res.StatusCode)
		}
		return string(body)
	}
	home := get(b, "/")
	if !strings.Contains(home, "srcset=") {
		b.Fatal("the demo's home has no srcset: its renditions were not made")
	}
	item := regexp.MustCompile(`/bai-viet/[^"?]+`).FindString(home)
	for _, c := range []struct{ name, path string }{
		{"home", "/"}, {"item", item}, {"section", "/chuyen-muc/tin-tuc-su-kien"}, {"feed", "/feed.xml"},
		{"search", "/search?q=lao+dong"},
	} {
		path := c.path
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				get(b, path)
			}
		})
	}
}
