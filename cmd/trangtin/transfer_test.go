package main

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/account"
	"github.com/trangtin/trangtin/platform/config"
	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/tenants/app"
)

const demoUnit = "trung-tam-dich-vu-viec-lam"

// platform assembles the platform over the CLI's database and media, as
// `trangtin serve` would.
func (c *cli) platform(t *testing.T) *app.App {
	t.Helper()
	ctx := context.Background()
	cfg, err := config.Load(c.getenv, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	bdb, err := db.Open(ctx, db.Options{PostgresURL: cfg.DatabaseURL, SQLitePath: cfg.SQLitePath()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = bdb.Close() })
	a, err := app.New(ctx, cfg, bdb, slog.New(slog.NewTextHandler(io.Discard, nil)),
		app.WithAccountOptions(account.WithParams(account.TestParams())))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// addPicture uploads a picture to the demo unit through the media library,
// makes its renditions, and puts it in the unit's latest published item.
func addPicture(t *testing.T, a *app.App) {
	t.Helper()
	ctx := context.Background()
	unit, err := tenancy.BySlug(ctx, a.DB, demoUnit)
	if err != nil {
		t.Fatal(err)
	}
	img := image.NewRGBA(image.Rect(0, 0, 1200, 800))
	for x := range 1200 {
		for y := range 800 {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 90, 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	svc, err := app.NewMediaService(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	m, err := svc.Upload(ctx, unit.ID, "demo", "phien-giao-dich.png", &buf, "Phiên giao dịch việc làm", "Người lao động tìm việc")
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		if _, err := a.Jobs.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
	}
	var id, body string
	err = a.DB.NewSelect().Table("posts").Column("id", "body").Where("tenant_id = ? AND status = 'published'", unit.ID).
		Order("published_at DESC").Limit(1).Scan(ctx, &id, &body)
	if err != nil {
		t.Fatal(err)
	}
	body += `<figure><img src="` + m.Path() + `" alt="Phiên giao dịch việc làm"><figcaption>Người lao động tìm việc</figcaption></figure>`
	err = db.InTx(ctx, a.DB, func(ctx context.Context, tx bun.Tx) error {
		_, err := tx.NewUpdate().Table("posts").Set("body = ?, featured_media_id = ?", body, m.ID).Where("tenant_id = ? AND id = ?", unit.ID, id).Exec(ctx)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

var (
	itemLink  = regexp.MustCompile(`<a href="(/bai-viet/[^"]+)">([^<]+)</a>`)
	mediaSrc  = regexp.MustCompile(`src="(/media/[^"]+)"`)
	pageTitle = regexp.MustCompile(`<h1[^>]*>([^<]+)</h1>`)
)

// page fetches host+path from the platform.
func page(t *testing.T, a *app.App, host, path string) (int, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Host = host
	req.RequestURI = ""
	res, err := a.HTTP.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, string(b)
}

func matches(re *regexp.Regexp, s string, group int) []string {
	var out []string
	for _, m := range re.FindAllStringSubmatch(s, -1) {
		out = append(out, m[group])
	}
	return out
}

// TestExportImportDemoUnit is the acceptance of the issue: export a demo
// unit, import it under a new slug, and its pages show the same items and
// images.
func TestExportImportDemoUnit(t *testing.T) {
	c := newCLI(t)
	c.must(t, "demo")
	addPicture(t, c.platform(t))
	archive := filepath.Join(t.TempDir(), "ttdvvl.tar.gz")
	out := c.must(t, "export", "--tenant", demoUnit, "--out", archive)
	if !strings.Contains(out, "exported "+demoUnit+" to "+archive) || strings.Contains(out, " 0 items") || strings.Contains(out, " 0 media files") {
		t.Errorf("export output:\n%s", out)
	}
	out = c.must(t, "import", "--in", archive, "--as", "trung-tam-moi")
	for _, want := range []string{"trung-tam-moi", "trung-tam-moi.localhost", "imported from " + demoUnit} {
		if !strings.Contains(out, want) {
			t.Errorf("import output lacks %q:\n%s", want, out)
		}
	}

	var list []tenantView
	if err := json.Unmarshal([]byte(c.must(t, "tenant", "list", "--json")), &list); err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(list, func(v tenantView) bool { return v.Slug == demoUnit })
	j := slices.IndexFunc(list, func(v tenantView) bool { return v.Slug == "trung-tam-moi" })
	if i < 0 || j < 0 {
		t.Fatalf("tenant list lacks the original or the copy: %+v", list)
	}
	want := list[i]
	want.Slug, want.Domains = "trung-tam-moi", []string{}
	if got := list[j]; !equalView(got, want) {
		t.Errorf("copy listed as %+v, want %+v", got, want)
	}

	a := c.platform(t)
	const oldHost, newHost = demoUnit + ".localhost", "trung-tam-moi.localhost"
	_, home := page(t, a, oldHost, "/")
	_, copyHome := page(t, a, newHost, "/")
	items := matches(itemLink, home, 1)
	if len(items) == 0 || !slices.Equal(matches(itemLink, home, 2), matches(itemLink, copyHome, 2)) {
		t.Fatalf("home pages list different items:\n%q\n%q", matches(itemLink, home, 2), matches(itemLink, copyHome, 2))
	}
	pictures := 0
	for _, path := range items {
		s1, p1 := page(t, a, oldHost, path)
		s2, p2 := page(t, a, newHost, path)
		if s1 != http.StatusOK || s2 != http.StatusOK || !slices.Equal(matches(pageTitle, p1, 1), matches(pageTitle, p2, 1)) {
			t.Errorf("%s: %d %q on the original, %d %q on the copy", path, s1, matches(pageTitle, p1, 1), s2, matches(pageTitle, p2, 1))
		}
		srcs := matches(mediaSrc, p1, 1)
		if !slices.Equal(srcs, matches(mediaSrc, p2, 1)) {
			t.Errorf("%s: pictures %q on the original, %q on the copy", path, srcs, matches(mediaSrc, p2, 1))
		}
		for _, src := range srcs {
			s1, b1 := page(t, a, oldHost, src)
			s2, b2 := page(t, a, newHost, src)
			if s1 != http.StatusOK || s2 != http.StatusOK || b1 != b2 || len(b1) == 0 {
				t.Errorf("%s: %d (%d bytes) on the original, %d (%d bytes) on the copy", src, s1, len(b1), s2, len(b2))
			}
			pictures++
		}
	}
	t.Logf("compared %d item pages and %d pictures", len(items), pictures)
	if pictures == 0 {
		t.Error("no picture was compared")
	}
}

func equalView(a, b tenantView) bool {
	return a.Slug == b.Slug && a.Name == b.Name && a.Kind == b.Kind && a.Parent == b.Parent && a.Status == b.Status &&
		slices.Equal(a.Domains, b.Domains) && a.HasSite == b.HasSite && a.QuotaPerWeek == b.QuotaPerWeek
}

// TestTransferBadInput checks each mistake gets one clear line and
// changes nothing.
func TestTransferBadInput(t *testing.T) {
	c := newCLI(t)
	c.must(t, "tenant", "create", "--slug", "so", "--name", "Sở Lao động", "--kind", "department")
	c.must(t, "tenant", "create", "--slug", "alpha", "--name", "Trung tâm Alpha", "--kind", "unit", "--parent", "so")
	dir := t.TempDir()
	archive := filepath.Join(dir, "alpha.tar.gz")
	c.must(t, "export", "--tenant", "alpha", "--out", archive)
	junk := filepath.Join(dir, "junk.tar.gz")
	if err := os.WriteFile(junk, []byte("không phải tệp nén"), 0o600); err != nil {
		t.Fatal(err)
	}
	before := c.must(t, "tenant", "list", "--json")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"export", "--tenant", "khong-co", "--out", filepath.Join(dir, "x.tar.gz")}, `export: no tenant "khong-co"`},
		{[]string{"export", "--out", filepath.Join(dir, "x.tar.gz")}, "export: --tenant S is required"},
		{[]string{"export", "--tenant", "alpha"}, "export: --out FILE is required"},
		{[]string{"export", "--tenant", "alpha", "--out", filepath.Join(dir, "no-dir", "x.tar.gz")}, "export: cannot write next to"},
		{[]string{"import"}, "import: --in FILE is required"},
		{[]string{"import", "--in", filepath.Join(dir, "none.tar.gz")}, "import: no file "},
		{[]string{"import", "--in", junk}, "import: damaged archive junk.tar.gz"},
		{[]string{"import", "--in", archive}, `import: slug "alpha" is taken: choose another with --as`},
		{[]string{"import", "--in", archive, "--as", "beta", "--parent", "khong-co"}, `import: unknown parent "khong-co"`},
		{[]string{"import", "--in", archive, "--as", "Beta!"}, "import: slug: "},
		{[]string{"import", "--in", archive, "extra"}, `import: unexpected argument "extra"`},
	} {
		_, _, err := c.run(tc.args...)
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) || oneLine(err) != err.Error() {
			t.Errorf("trangtin %s: %v, want one line starting %q", strings.Join(tc.args, " "), err, tc.want)
		}
	}
	if after := c.must(t, "tenant", "list", "--json"); after != before {
		t.Errorf("bad input changed the tenants:\n%s\n%s", before, after)
	}
}
