package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/google/go-cmp/cmp"
	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/config"
	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/db/dbtest"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/tenants/app"
	"github.com/trangtin/trangtin/tenants/apptest"
	"github.com/trangtin/trangtin/tenants/provision"
)

// The organisation every test serves. Names are distinct enough that one
// never contains another.
const (
	nameDept    = "Sở Lao động Thử nghiệm"
	nameAlpha   = "Trung tâm Alpha Hà Tĩnh"
	nameBeta    = "Trường Beta Nghệ An"
	nameOffice  = "Văn phòng Gamma"
	nameSusp    = "Trung tâm Delta Tạm dừng"
	nameNoSite  = "Đơn vị Epsilon Không trang"
	slugOnlyFor = "rieng-beta" // a section only beta has
)

var allNames = []string{nameDept, nameAlpha, nameBeta, nameOffice, nameSusp, nameNoSite}

// discard keeps test output quiet; tests that read logs make their own.
func discard() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// baseConfig is what the binary loads with no settings, with the data dir
// in the test's temporary directory.
func baseConfig(t *testing.T) config.Config {
	t.Helper()
	cfg, err := config.Load(func(string) string { return "" }, nil, nil)
	if err != nil {
		t.Fatalf("load default config: %v", err)
	}
	cfg.DataDir = t.TempDir()
	return cfg
}

// org is the organisation every test serves, onboarded through the same
// provisioner as the CLI; prepareOrg then suspends delta and gives beta a
// section of its own.
var org = []provision.Input{
	{Slug: "so", Name: nameDept, Kind: tenancy.KindDepartment},
	{Slug: "alpha", Name: nameAlpha, Kind: tenancy.KindUnit, Parent: "so", Domains: []string{"alpha.gov.vn"}},
	{Slug: "beta", Name: nameBeta, Kind: tenancy.KindUnit, Parent: "so", Domains: []string{"beta.gov.vn"}},
	{Slug: "gamma", Name: nameOffice, Kind: tenancy.KindOffice, Parent: "so"},
	{Slug: "delta", Name: nameSusp, Kind: tenancy.KindUnit, Parent: "so", Domains: []string{"delta.gov.vn"}},
	{Slug: "epsilon", Name: nameNoSite, Kind: tenancy.KindUnit, Parent: "so", NoSite: true},
}

func prepareOrg(ctx context.Context, bdb *bun.DB) error {
	return db.InTx(ctx, bdb, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewUpdate().Table("tenants").Set("status = ?", tenancy.StatusSuspended).Where("slug = ?", "delta").Exec(ctx); err != nil {
			return err
		}
		beta, err := tenancy.BySlug(ctx, tx, "beta")
		if err != nil {
			return err
		}
		s := &tenancy.Section{TenantID: beta.ID, ID: db.NewID(), Slug: slugOnlyFor, Name: "Chuyên mục riêng Beta", Position: 500, CreatedAt: beta.CreatedAt}
		if _, err := tx.NewInsert().Model(s).Exec(ctx); err != nil {
			return err
		}
		return tenancy.BumpGeneration(ctx, tx, tenancy.GenerationTenants)
	})
}

// orgWorld builds the platform exactly as `trangtin serve` does over the
// organisation (apptest), on own when it is not nil.
func orgWorld(t *testing.T, own *bun.DB, mutate func(*config.Config), log *slog.Logger, opts ...app.Option) *apptest.World {
	t.Helper()
	return apptest.New(t, apptest.Options{Org: org, Before: prepareOrg, Config: mutate, DB: own, Log: log, AppOptions: opts})
}

// newApp is orgWorld's app, on a fresh database.
func newApp(t *testing.T, mutate func(*config.Config)) *app.App {
	t.Helper()
	return orgWorld(t, nil, mutate, nil).App
}

type response struct {
	status int
	header http.Header
	body   string
}

func get(t *testing.T, a *app.App, host, path string, headers ...string) response {
	t.Helper()
	// The request line carries only the path, so the Host header is what
	// the server sees (an absolute request URI would override it).
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Host = host
	req.RequestURI = ""
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := a.HTTP.Test(req, -1)
	if err != nil {
		t.Fatalf("GET %s%s: %v", host, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{status: res.StatusCode, header: res.Header, body: string(b)}
}

// shows checks the page names want and no other tenant of the organisation.
func shows(t *testing.T, r response, want string) {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("status %d, want 200; body:\n%s", r.status, r.body)
	}
	if !strings.Contains(r.body, want) {
		t.Errorf("page does not show %q", want)
	}
	for _, other := range allNames {
		// The Department's pages link to its units' sites by name.
		if want == nameDept {
			break
		}
		if other != want && other != nameDept && strings.Contains(r.body, other) {
			t.Errorf("page of %q shows another tenant's name %q", want, other)
		}
	}
}

// namesNoTenant checks an error page names no tenant (nor its slug).
func namesNoTenant(t *testing.T, r response) {
	t.Helper()
	for _, n := range append(allNames, "alpha", "beta", "gamma", "delta", "epsilon") {
		if strings.Contains(r.body, n) {
			t.Errorf("error page names %q:\n%s", n, r.body)
		}
	}
}

func TestHostRouting(t *testing.T) {
	a := newApp(t, nil)
	tests := []struct {
		name, host, want string
	}{
		{"registered domain", "alpha.gov.vn", nameAlpha},
		{"other registered domain", "beta.gov.vn", nameBeta},
		{"subdomain", "alpha.localhost", nameAlpha},
		{"other subdomain", "beta.localhost", nameBeta},
		{"subdomain with port", "beta.localhost:8080", nameBeta},
		{"registered domain with port", "alpha.gov.vn:8080", nameAlpha},
		{"upper case subdomain", "ALPHA.LOCALHOST:8080", nameAlpha},
		{"upper case domain", "Beta.Gov.VN", nameBeta},
		{"trailing dot", "alpha.localhost.", nameAlpha},
		{"department", "so.localhost", nameDept},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := get(t, a, tt.host, "/")
			shows(t, r, tt.want)
			if !strings.Contains(r.header.Get("Content-Type"), "text/html") {
				t.Errorf("Content-Type %q", r.header.Get("Content-Type"))
			}
			if !strings.Contains(r.body, `<html lang="vi">`) {
				t.Error(`page lacks <html lang="vi">`)
			}
		})
	}
}

func TestHostsWithoutSite(t *testing.T) {
	a := newApp(t, nil)
	tests := []struct {
		name, host, path string
		want             int
	}{
		{"unknown subdomain", "khong-co.localhost", "/", http.StatusNotFound},
		{"unknown domain", "example.com", "/", http.StatusNotFound},
		{"unknown host section page", "khong-co.localhost", "/chuyen-muc/lien-he", http.StatusNotFound},
		{"unknown host sitemap", "khong-co.localhost", "/sitemap.xml", http.StatusNotFound},
		{"sub-sub-domain of a tenant", "www.alpha.localhost", "/", http.StatusNotFound},
		{"base domain itself", "localhost:8080", "/", http.StatusNotFound},
		{"IP address", "127.0.0.1:8080", "/", http.StatusNotFound},
		{"office without site", "gamma.localhost", "/", http.StatusNotFound},
		{"office without site section page", "gamma.localhost", "/chuyen-muc/lien-he", http.StatusNotFound},
		{"unit created with --no-site", "epsilon.localhost", "/", http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := get(t, a, tt.host, tt.path)
			if r.status != tt.want {
				t.Fatalf("status %d, want %d; body:\n%s", r.status, tt.want, r.body)
			}
			namesNoTenant(t, r)
			if !strings.Contains(r.body, `<html lang="vi">`) {
				t.Errorf("error page is not a Vietnamese HTML page:\n%s", r.body)
			}
		})
	}
}

// remoteIP is the peer address app.Test connections come from.
func remoteIP(t *testing.T) string {
	t.Helper()
	probe := fiber.New()
	probe.Get("/", func(c *fiber.Ctx) error { return c.SendString(c.Context().RemoteIP().String()) })
	res, err := probe.Test(httptest.NewRequest(http.MethodGet, "/", nil), -1)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	if _, err := netip.ParseAddr(string(b)); err != nil {
		t.Fatalf("probe answered %q, not an address", b)
	}
	return string(b)
}

func TestForwardedHost(t *testing.T) {
	t.Run("untrusted client", func(t *testing.T) {
		a := newApp(t, nil)
		tests := []struct {
			name, host, forwarded string
			wantStatus            int
			want                  string
		}{
			{"spoofed host on a tenant's host", "alpha.localhost", "beta.localhost", 200, nameAlpha},
			{"spoofed registered domain", "alpha.gov.vn", "beta.gov.vn", 200, nameAlpha},
			{"spoofed admin host", "alpha.localhost", "admin.localhost", 200, nameAlpha},
			{"spoofed host on an unknown host", "khong-co.localhost", "beta.localhost", 404, ""},
			{"spoofed host on a suspended tenant", "delta.localhost", "beta.localhost", 503, nameSusp},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := get(t, a, tt.host, "/", "X-Forwarded-Host", tt.forwarded, "X-Forwarded-Proto", "https")
				if r.status != tt.wantStatus {
					t.Fatalf("status %d, want %d", r.status, tt.wantStatus)
				}
				switch {
				case tt.wantStatus == http.StatusServiceUnavailable:
					// the suspended tenant's own notice, naming it and no other
					if !strings.Contains(r.body, tt.want) || strings.Contains(r.body, nameBeta) {
						t.Errorf("suspended notice of the wrong tenant:\n%s", r.body)
					}
				case tt.want != "":
					shows(t, r, tt.want)
				default:
					namesNoTenant(t, r)
				}
			})
		}
	})

	t.Run("trusted proxy", func(t *testing.T) {
		peer := netip.MustParseAddr(remoteIP(t))
		a := newApp(t, func(c *config.Config) {
			c.TrustedProxies = []netip.Prefix{netip.PrefixFrom(peer, peer.BitLen())}
		})
		r := get(t, a, "alpha.localhost", "/", "X-Forwarded-Host", "beta.localhost")
		shows(t, r, nameBeta)
		r = get(t, a, "internal-upstream:8080", "/", "X-Forwarded-Host", "Alpha.Gov.VN:443")
		shows(t, r, nameAlpha)
		r = get(t, a, "alpha.localhost", "/", "X-Forwarded-Host", "khong-co.localhost")
		if r.status != http.StatusNotFound {
			t.Errorf("forwarded unknown host: status %d, want 404", r.status)
		}
		// Without the header the Host header is used.
		shows(t, get(t, a, "alpha.localhost", "/"), nameAlpha)
		// The scheme a trusted proxy reports reaches absolute URLs.
		r = get(t, a, "alpha.localhost", "/robots.txt", "X-Forwarded-Proto", "https")
		if !strings.Contains(r.body, "https://alpha.localhost/sitemap.xml") {
			t.Errorf("robots.txt behind a TLS proxy:\n%s", r.body)
		}
	})

	t.Run("proxy trusted but client not in the list", func(t *testing.T) {
		a := newApp(t, func(c *config.Config) {
			c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
		})
		shows(t, get(t, a, "alpha.localhost", "/", "X-Forwarded-Host", "beta.localhost"), nameAlpha)
	})
}

func TestProbes(t *testing.T) {
	a := newApp(t, nil)
	for _, host := range []string{"alpha.localhost", "khong-co.localhost", "admin.localhost", "delta.localhost", "gamma.localhost", "10.1.2.3:8080"} {
		t.Run("healthz on "+host, func(t *testing.T) {
			r := get(t, a, host, "/healthz")
			if r.status != http.StatusOK {
				t.Fatalf("status %d, body %s", r.status, r.body)
			}
			if !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
				t.Errorf("Content-Type %q", r.header.Get("Content-Type"))
			}
			var body map[string]any
			if err := json.Unmarshal([]byte(r.body), &body); err != nil {
				t.Fatalf("body %q is not JSON: %v", r.body, err)
			}
			if body["status"] != "ok" {
				t.Errorf("body %v", body)
			}
		})
	}
	t.Run("readyz", func(t *testing.T) {
		r := get(t, a, "alpha.localhost", "/readyz")
		if r.status != http.StatusOK {
			t.Fatalf("status %d, body %s", r.status, r.body)
		}
		var body struct {
			Status string            `json:"status"`
			Checks map[string]string `json:"checks"`
		}
		if err := json.Unmarshal([]byte(r.body), &body); err != nil {
			t.Fatalf("body %q is not JSON: %v", r.body, err)
		}
		if body.Status != "ok" || body.Checks["database"] != "ok" || body.Checks["media"] != "ok" {
			t.Errorf("readyz body %s", r.body)
		}
	})
}

func TestReadyzReportsDatabaseDown(t *testing.T) {
	ctx := context.Background()
	cfg := baseConfig(t)
	_, opts := dbtest.NewWithOptions(t)
	own, err := db.Open(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.New(ctx, cfg, own, discard())
	if err != nil {
		t.Fatal(err)
	}
	_ = own.Close()
	r := get(t, a, "khong-co.localhost", "/readyz")
	if r.status != http.StatusServiceUnavailable {
		t.Fatalf("status %d, want 503; body %s", r.status, r.body)
	}
	var body struct {
		Status string            `json:"status"`
		Checks map[string]string `json:"checks"`
	}
	if err := json.Unmarshal([]byte(r.body), &body); err != nil {
		t.Fatalf("body %q is not JSON: %v", r.body, err)
	}
	if body.Checks["database"] != "down" {
		t.Errorf("body %s, want database down", r.body)
	}
	if strings.Contains(strings.ToLower(r.body), "closed") || strings.Contains(r.body, "sql") {
		t.Errorf("readyz leaks the internal error: %s", r.body)
	}
	// Liveness does not depend on the database.
	if r := get(t, a, "x", "/healthz"); r.status != http.StatusOK {
		t.Errorf("healthz status %d with the database down", r.status)
	}
}

func TestSectionPages(t *testing.T) {
	a := newApp(t, nil)
	tests := []struct {
		name, host, path string
		want             int
		shows            string
	}{
		{"required section", "alpha.localhost", "/chuyen-muc/tin-tuc-su-kien", 200, "Tin tức"},
		{"contact page", "alpha.localhost", "/lien-he", 200, "Liên hệ"},
		{"old contact section moved", "alpha.localhost", "/chuyen-muc/lien-he", 301, ""},
		{"field section", "alpha.localhost", "/chuyen-muc/tre-em", 200, "Trẻ em"},
		{"unknown section", "alpha.localhost", "/chuyen-muc/khong-co", 404, ""},
		{"another tenant's section", "alpha.localhost", "/chuyen-muc/" + slugOnlyFor, 404, ""},
		{"own extra section", "beta.localhost", "/chuyen-muc/" + slugOnlyFor, 200, "Chuyên mục riêng Beta"},
		{"unknown page", "alpha.localhost", "/khong-co-trang-nay", 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := get(t, a, tt.host, tt.path)
			if r.status != tt.want {
				t.Fatalf("status %d, want %d", r.status, tt.want)
			}
			if tt.shows != "" && !strings.Contains(r.body, tt.shows) {
				t.Errorf("page lacks %q", tt.shows)
			}
			if tt.want == 404 && strings.Contains(r.body, "Chuyên mục riêng Beta") {
				t.Error("404 page shows beta's section")
			}
		})
	}
	t.Run("home lists the tenant's sections", func(t *testing.T) {
		r := get(t, a, "beta.localhost", "/")
		for _, s := range []string{"/gioi-thieu", "/lien-he", "/chuyen-muc/tre-em", "/chuyen-muc/" + slugOnlyFor} {
			if !strings.Contains(r.body, `href="`+s+`"`) {
				t.Errorf("beta's home lacks a link to %s", s)
			}
		}
		if r := get(t, a, "alpha.localhost", "/"); strings.Contains(r.body, slugOnlyFor) {
			t.Error("alpha's home links to beta's own section")
		}
	})
}

func TestRobotsSitemapFeed(t *testing.T) {
	a := newApp(t, nil)

	t.Run("robots.txt", func(t *testing.T) {
		r := get(t, a, "alpha.localhost", "/robots.txt")
		if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/plain") {
			t.Fatalf("status %d Content-Type %q", r.status, r.header.Get("Content-Type"))
		}
		if !strings.Contains(r.body, "User-agent: *") || !strings.Contains(r.body, "Sitemap: http://alpha.localhost/sitemap.xml") {
			t.Errorf("robots.txt:\n%s", r.body)
		}
	})

	t.Run("sitemap.xml", func(t *testing.T) {
		r := get(t, a, "beta.gov.vn", "/sitemap.xml")
		if r.status != 200 || !strings.Contains(r.header.Get("Content-Type"), "xml") {
			t.Fatalf("status %d Content-Type %q", r.status, r.header.Get("Content-Type"))
		}
		var sm struct {
			XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
			URLs    []struct {
				Loc string `xml:"loc"`
			} `xml:"url"`
		}
		if err := xml.Unmarshal([]byte(r.body), &sm); err != nil {
			t.Fatalf("sitemap is not valid XML: %v\n%s", err, r.body)
		}
		locs := map[string]bool{}
		for _, u := range sm.URLs {
			locs[u.Loc] = true
			if !strings.HasPrefix(u.Loc, "http://beta.gov.vn/") {
				t.Errorf("sitemap of beta.gov.vn lists %q", u.Loc)
			}
		}
		for _, want := range []string{"http://beta.gov.vn/", "http://beta.gov.vn/lien-he", "http://beta.gov.vn/gioi-thieu",
			"http://beta.gov.vn/chuyen-muc/tre-em", "http://beta.gov.vn/chuyen-muc/" + slugOnlyFor} {
			if !locs[want] {
				t.Errorf("sitemap lacks %s", want)
			}
		}
		// Every default section of the contract is listed (about and
		// contact as their own pages, above).
		for _, slug := range []string{"tin-tuc-su-kien", "van-ban-chi-dao-dieu-hanh", "van-ban-phap-luat",
			"thu-tuc-hanh-chinh", "chinh-sach-phap-luat", "chien-luoc-ke-hoach", "cong-khai-tai-chinh-thong-ke",
			"tiep-can-thong-tin", "lao-dong-viec-lam", "phong-chong-te-nan"} {
			if !locs["http://beta.gov.vn/chuyen-muc/"+slug] {
				t.Errorf("sitemap lacks section %s", slug)
			}
		}
		// Alpha's sitemap does not list beta's own section.
		if r := get(t, a, "alpha.localhost", "/sitemap.xml"); strings.Contains(r.body, slugOnlyFor) {
			t.Errorf("alpha's sitemap lists beta's section:\n%s", r.body)
		}
	})

	t.Run("feed.xml", func(t *testing.T) {
		r := get(t, a, "alpha.localhost", "/feed.xml")
		if r.status != 200 || !strings.Contains(r.header.Get("Content-Type"), "xml") {
			t.Fatalf("status %d Content-Type %q", r.status, r.header.Get("Content-Type"))
		}
		dec := xml.NewDecoder(strings.NewReader(r.body))
		for {
			_, err := dec.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("feed is not well-formed XML: %v\n%s", err, r.body)
			}
		}
		var rss struct {
			XMLName xml.Name `xml:"rss"`
			Version string   `xml:"version,attr"`
			Channel struct {
				Title    string `xml:"title"`
				Link     string `xml:"link"`
				Language string `xml:"language"`
			} `xml:"channel"`
		}
		if err := xml.Unmarshal([]byte(r.body), &rss); err != nil {
			t.Fatal(err)
		}
		want := struct{ Version, Title, Link, Language string }{"2.0", nameAlpha, "http://alpha.localhost/", "vi"}
		got := struct{ Version, Title, Link, Language string }{rss.Version, rss.Channel.Title, rss.Channel.Link, rss.Channel.Language}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("feed channel (-want +got):\n%s", diff)
		}
		if strings.Contains(r.body, nameBeta) {
			t.Error("alpha's feed names beta")
		}
	})
}

// TestAbsoluteURLsKeepThePort: `make run` serves on :8080, so the sitemap
// and robots.txt of http://alpha.localhost:8080 must point at that port.
func TestAbsoluteURLsKeepThePort(t *testing.T) {
	a := newApp(t, nil)
	r := get(t, a, "alpha.localhost:8080", "/robots.txt")
	if !strings.Contains(r.body, "Sitemap: http://alpha.localhost:8080/sitemap.xml") {
		t.Errorf("robots.txt on alpha.localhost:8080 points elsewhere:\n%s", r.body)
	}
	r = get(t, a, "alpha.localhost:8080", "/sitemap.xml")
	if !strings.Contains(r.body, "<loc>http://alpha.localhost:8080/chuyen-muc/tin-tuc-su-kien</loc>") {
		t.Errorf("sitemap on alpha.localhost:8080 lists URLs without the port:\n%s", r.body)
	}
}

func TestStaticFiles(t *testing.T) {
	a := newApp(t, nil)
	hash := a.Renderer.StaticHash("site.css")
	if hash == "" {
		t.Fatal("no hash for site.css")
	}
	const long = "public, max-age=31536000, immutable"
	tests := []struct {
		name, host, path string
		wantStatus       int
		wantCache        string // "" = must not be the long cache
	}{
		{"current hash is cached for a year", "alpha.localhost", "/static/site.css?v=" + hash, 200, long},
		{"on any host", "khong-co.localhost", "/static/site.css?v=" + hash, 200, long},
		{"on the admin host", "admin.localhost", "/static/console.css?v=" + a.Renderer.StaticHash("console.css"), 200, long},
		{"stale hash is cached briefly", "alpha.localhost", "/static/site.css?v=000000000000", 200, ""},
		{"no hash is cached briefly", "alpha.localhost", "/static/site.css", 200, ""},
		{"missing file", "alpha.localhost", "/static/khong-co.css", 404, ""},
		{"path escape", "alpha.localhost", "/static/../templates.go", 404, ""},
		{"encoded path escape", "alpha.localhost", "/static/%2e%2e/templates.go", 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := get(t, a, tt.host, tt.path)
			if r.status != tt.wantStatus {
				t.Fatalf("status %d, want %d", r.status, tt.wantStatus)
			}
			cc := r.header.Get("Cache-Control")
			if tt.wantCache != "" && cc != tt.wantCache {
				t.Errorf("Cache-Control %q, want %q", cc, tt.wantCache)
			}
			if tt.wantCache == "" && strings.Contains(cc, "immutable") {
				t.Errorf("Cache-Control %q for a URL without the current hash", cc)
			}
			if tt.wantStatus == 200 && !strings.HasPrefix(r.header.Get("Content-Type"), "text/css") {
				t.Errorf("Content-Type %q", r.header.Get("Content-Type"))
			}
			if strings.Contains(r.body, "package templates") {
				t.Error("served a Go source file")
			}
		})
	}
	t.Run("pages link the hashed URL", func(t *testing.T) {
		r := get(t, a, "alpha.localhost", "/")
		if !strings.Contains(r.body, `href="/static/site.css?v=`+hash+`"`) {
			t.Errorf("home page does not link /static/site.css?v=%s", hash)
		}
	})
}

func TestAdminHost(t *testing.T) {
	t.Run("console answers", func(t *testing.T) {
		a := newApp(t, nil)
		for _, host := range []string{"admin.localhost", "ADMIN.localhost:8080"} {
			r := get(t, a, host, "/")
			if r.status >= 400 {
				t.Fatalf("%s: status %d, body:\n%s", host, r.status, r.body)
			}
			if r.status == http.StatusOK && !strings.Contains(r.body, "Quản trị") {
				t.Errorf("%s: not the console:\n%s", host, r.body)
			}
			if loc := r.header.Get("Location"); r.status != http.StatusOK && !strings.Contains(loc, "login") {
				t.Errorf("%s: status %d to %q, want the console or its login", host, r.status, loc)
			}
			namesNoTenant(t, r)
		}
	})
	t.Run("admin allow list refuses other networks", func(t *testing.T) {
		a := newApp(t, func(c *config.Config) { c.AdminAllow = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")} })
		r := get(t, a, "admin.localhost", "/")
		if r.status != http.StatusForbidden {
			t.Fatalf("status %d, want 403", r.status)
		}
		if strings.Contains(r.body, "Bảng điều khiển") {
			t.Error("403 page shows the console")
		}
		// Public sites are not restricted.
		shows(t, get(t, a, "alpha.localhost", "/"), nameAlpha)
		// Nor the probes.
		if r := get(t, a, "admin.localhost", "/healthz"); r.status != 200 {
			t.Errorf("healthz on the admin host: %d", r.status)
		}
	})
	t.Run("admin allow list admits the client", func(t *testing.T) {
		peer := netip.MustParseAddr(remoteIP(t))
		a := newApp(t, func(c *config.Config) { c.AdminAllow = []netip.Prefix{netip.PrefixFrom(peer, peer.BitLen())} })
		// Whatever the console answers, the allow list does not refuse.
		if r := get(t, a, "admin.localhost", "/"); r.status == http.StatusForbidden {
			t.Fatalf("status %d for an allowed client", r.status)
		}
	})
	t.Run("spoofed X-Forwarded-For does not pass the allow list", func(t *testing.T) {
		a := newApp(t, func(c *config.Config) { c.AdminAllow = []netip.Prefix{netip.MustParsePrefix("10.1.2.3/32")} })
		if r := get(t, a, "admin.localhost", "/", "X-Forwarded-For", "10.1.2.3"); r.status != http.StatusForbidden {
			t.Fatalf("status %d, want 403 (untrusted client claimed an allowed address)", r.status)
		}
	})
	t.Run("X-Forwarded-For from a trusted proxy is believed", func(t *testing.T) {
		peer := netip.MustParseAddr(remoteIP(t))
		a := newApp(t, func(c *config.Config) {
			c.TrustedProxies = []netip.Prefix{netip.PrefixFrom(peer, peer.BitLen())}
			c.AdminAllow = []netip.Prefix{netip.MustParsePrefix("10.1.2.3/32")}
		})
		if r := get(t, a, "admin.localhost", "/", "X-Forwarded-For", "10.1.2.3"); r.status == http.StatusForbidden {
			t.Errorf("allowed client through a trusted proxy: status %d", r.status)
		}
		if r := get(t, a, "admin.localhost", "/", "X-Forwarded-For", "10.9.9.9"); r.status != http.StatusForbidden {
			t.Errorf("other client through a trusted proxy: status %d, want 403", r.status)
		}
		// The left-most entry is the client's own claim; only the entry the
		// trusted proxy appended counts.
		if r := get(t, a, "admin.localhost", "/", "X-Forwarded-For", "10.1.2.3, 10.9.9.9"); r.status != http.StatusForbidden {
			t.Errorf("client-supplied left-most entry believed: status %d, want 403", r.status)
		}
	})
}

func TestRequestID(t *testing.T) {
	a := newApp(t, nil)
	r1 := get(t, a, "alpha.localhost", "/")
	r2 := get(t, a, "khong-co.localhost", "/")
	id1, id2 := r1.header.Get("X-Request-ID"), r2.header.Get("X-Request-ID")
	if id1 == "" || id2 == "" || id1 == id2 {
		t.Errorf("request ids %q and %q, want two distinct ids", id1, id2)
	}
	// The log's and the error page's id: 16 lower-case hex digits, as
	// support reads them out.
	for _, id := range []string{id1, id2} {
		if len(id) != 16 || strings.Trim(id, "0123456789abcdef") != "" {
			t.Errorf("request id %q, want 16 lower-case hex digits", id)
		}
	}
	if !strings.Contains(r2.body, id2) {
		t.Error("the 404 page does not show its request id")
	}
}

func TestErrorsAreLoggedWithoutLeaking(t *testing.T) {
	// The registry and the site share the database; closing it makes the
	// home page fail with a driver error that must reach the log only.
	_, opts := dbtest.NewWithOptions(t)
	own, err := db.Open(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	a := orgWorld(t, own, nil, slog.New(slog.NewTextHandler(&logs, nil))).App
	_ = own.Close()
	r := get(t, a, "alpha.localhost", "/")
	if r.status != http.StatusInternalServerError && r.status != http.StatusServiceUnavailable {
		t.Fatalf("status %d, want 500 or 503", r.status)
	}
	if strings.Contains(r.body, "sql") || strings.Contains(r.body, "closed") {
		t.Errorf("error page leaks the internal error:\n%s", r.body)
	}
	if !strings.Contains(r.body, `<html lang="vi">`) {
		t.Errorf("error page is not the Vietnamese page:\n%s", r.body)
	}
	out := logs.String()
	if n := strings.Count(out, "request failed"); n != 1 {
		t.Errorf("5xx logged %d times, want once:\n%s", n, out)
	}
	for _, want := range []string{"request_id=" + r.header.Get("X-Request-ID"), "host=alpha.localhost", "tenant=alpha", "closed"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
}
