package app_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/trangtin/trangtin/platform/config"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/tenants/app"
	"github.com/trangtin/trangtin/tenants/apptest"
	"github.com/trangtin/trangtin/tenants/provision"
)

// opsApp is the platform over a Department alone (apptest).
func opsApp(t *testing.T, mutate func(*config.Config)) *app.App {
	t.Helper()
	return apptest.New(t, apptest.Options{Config: mutate,
		Org: []provision.Input{{Slug: "so", Name: "Sở Thử nghiệm", Kind: tenancy.KindDepartment}}}).App
}

func fetch(t *testing.T, a *app.App, host, path string, header ...string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Host = host
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := a.HTTP.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestSecurityHeaders(t *testing.T) {
	a := opsApp(t, func(c *config.Config) {
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("0.0.0.0/32")}
	})
	site := fetch(t, a, "so.localhost", "/")
	console := fetch(t, a, "admin.localhost", "/login")
	for name, res := range map[string]*http.Response{"site": site, "console": console} {
		t.Run(name, func(t *testing.T) {
			csp := res.Header.Get("Content-Security-Policy")
			for _, want := range []string{"default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors"} {
				if !strings.Contains(csp, want) {
					t.Errorf("CSP %q lacks %q", csp, want)
				}
			}
			if res.Header.Get("Referrer-Policy") == "" || res.Header.Get("Permissions-Policy") == "" || res.Header.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("headers = %v", res.Header)
			}
			if res.Header.Get("Strict-Transport-Security") != "" {
				t.Error("HSTS sent over plain HTTP")
			}
		})
	}
	csp := console.Header.Get("Content-Security-Policy")
	if strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("console CSP is not strict: %q", csp)
	}
	if console.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("console pages are cacheable: %q", console.Header.Get("Cache-Control"))
	}
	tls := fetch(t, a, "so.localhost", "/", "X-Forwarded-Proto", "https")
	if !strings.Contains(tls.Header.Get("Strict-Transport-Security"), "max-age=") {
		t.Error("no HSTS behind a trusted TLS proxy")
	}
}

func TestMetricsOnTheirOwnListener(t *testing.T) {
	a := opsApp(t, nil)
	fetch(t, a, "so.localhost", "/")
	fetch(t, a, "so.localhost", "/chuyen-muc/tin-tuc-su-kien")
	fetch(t, a, "so.localhost", "/chuyen-muc/khong-co")
	if res := fetch(t, a, "so.localhost", "/metrics"); res.StatusCode != http.StatusNotFound {
		t.Fatalf("/metrics on the public port = %d", res.StatusCode)
	}
	if res := fetch(t, a, "admin.localhost", "/metrics"); res.StatusCode == http.StatusOK {
		t.Fatal("/metrics answered on the admin host")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { _ = a.Metrics.Serve(ctx, ln, slog.New(slog.NewTextHandler(io.Discard, nil))) }()
	var text string
	for i := 0; i < 50; i++ {
		res, err := http.Get("http://" + ln.Addr().String() + "/metrics")
		if err == nil {
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			text = string(b)
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, want := range []string{
		`trangtin_http_requests_total{app="site",method="GET",route="/chuyen-muc/:slug",status="200"} 1`,
		`trangtin_http_requests_total{app="site",method="GET",route="/chuyen-muc/:slug",status="404"} 1`,
		"trangtin_http_request_duration_seconds_bucket",
		`trangtin_jobs_queue{state="pending"}`,
		`go_sql_max_open_connections{db_name="trangtin"}`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(text, "so.localhost") || strings.Contains(text, `tenant=`) {
		t.Error("metrics carry a tenant or host label")
	}
}
