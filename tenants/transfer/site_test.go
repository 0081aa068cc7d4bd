package transfer

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/trangtin/trangtin/platform/account"
	"github.com/trangtin/trangtin/platform/blob"
	"github.com/trangtin/trangtin/platform/config"
	"github.com/trangtin/trangtin/platform/db/dbtest"
	"github.com/trangtin/trangtin/tenants/app"
)

// teaserTitle finds the items a page lists.
var teaserTitle = regexp.MustCompile(`<a href="/bai-viet/[^"]+">([^<]+)</a>`)

// TestImportedSiteShowsTheSameItems serves the original and the imported
// tenant through the assembled platform: the same items on the home page,
// the same item page, and the same picture.
func TestImportedSiteShowsTheSameItems(t *testing.T) {
	ctx := context.Background()
	cfg, err := config.Load(func(string) string { return "" }, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg.DataDir = t.TempDir()
	bdb := dbtest.New(t)
	store, err := blob.NewDisk(cfg.MediaDir())
	if err != nil {
		t.Fatal(err)
	}
	f := seed(t, bdb, store)
	out := filepath.Join(t.TempDir(), "alpha.tar.gz")
	if _, err := Export(ctx, bdb, store, ExportOptions{Slug: "alpha", Out: out, BaseDomain: cfg.BaseDomain}); err != nil {
		t.Fatal(err)
	}
	if _, err := Import(ctx, bdb, store, ImportOptions{In: out, As: "alpha-moi", BaseDomain: cfg.BaseDomain, AdminHost: cfg.AdminHost}); err != nil {
		t.Fatal(err)
	}
	a, err := app.New(ctx, cfg, bdb, slog.New(slog.NewTextHandler(io.Discard, nil)),
		app.WithAccountOptions(account.WithParams(account.TestParams())))
	if err != nil {
		t.Fatal(err)
	}
	get := func(host, path string) (int, string) {
		t.Helper()
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Host = host
		req.RequestURI = ""
		res, err := a.HTTP.Test(req, -1)
		if err != nil {
			t.Fatalf("GET %s%s: %v", host, path, err)
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		return res.StatusCode, string(b)
	}
	titles := func(host, path string) []string {
		t.Helper()
		status, body := get(host, path)
		if status != http.StatusOK {
			t.Fatalf("GET %s%s: %d", host, path, status)
		}
		var out []string
		for _, m := range teaserTitle.FindAllStringSubmatch(body, -1) {
			out = append(out, m[1])
		}
		return out
	}
	const oldHost, newHost = "alpha.localhost", "alpha-moi.localhost"

	t.Run("home", func(t *testing.T) {
		old, got := titles(oldHost, "/"), titles(newHost, "/")
		if !slices.Equal(old, got) {
			t.Errorf("home lists\n%q\non the original and\n%q\non the copy", old, got)
		}
		for _, title := range f.published {
			if !slices.Contains(got, title) {
				t.Errorf("copy's home lacks %q", title)
			}
		}
		if slices.Contains(got, f.draft) {
			t.Errorf("copy's home shows the draft")
		}
	})

	t.Run("section", func(t *testing.T) {
		old, got := titles(oldHost, "/chuyen-muc/tin-tuc-su-kien"), titles(newHost, "/chuyen-muc/tin-tuc-su-kien")
		if len(got) == 0 || !slices.Equal(old, got) {
			t.Errorf("section lists %q on the original, %q on the copy", old, got)
		}
	})

	t.Run("item", func(t *testing.T) {
		path := "/bai-viet/" + f.itemSlug
		_, old := get(oldHost, path)
		status, got := get(newHost, path)
		if status != http.StatusOK {
			t.Fatalf("item on the copy: %d", status)
		}
		for _, want := range []string{f.published[1], `src="` + f.imagePath + `"`, "https://alpha-moi.localhost/bai-viet/phien-giao-dich"} {
			if !strings.Contains(got, want) {
				t.Errorf("item on the copy lacks %q", want)
			}
		}
		if !strings.Contains(old, "https://alpha.localhost/bai-viet/phien-giao-dich") {
			t.Errorf("the original's item changed")
		}
	})

	t.Run("picture", func(t *testing.T) {
		status, old := get(oldHost, f.imagePath)
		if status == http.StatusNotFound {
			t.Skip("no public /media/ route on this platform yet")
		}
		pic := string(f.objects[keyOfPicture(f)])
		status2, got := get(newHost, f.imagePath)
		if status != http.StatusOK || status2 != http.StatusOK || old != pic || got != pic {
			t.Errorf("picture: %d (%d bytes) on the original, %d (%d bytes) on the copy, want %d bytes", status, len(old), status2, len(got), len(pic))
		}
		small := "/media/" + f.mediaID + "/r/320.png"
		if status, got := get(newHost, small); status != http.StatusOK || got != string(f.objects[strings.TrimSuffix(keyOfPicture(f), ".png")+"-320.png"]) {
			t.Errorf("the copy's rendition: %d, %d bytes", status, len(got))
		}
		for k := range f.objects {
			if err := store.Delete(ctx, k); err != nil {
				t.Fatal(err)
			}
		}
		if status, got := get(newHost, f.imagePath); status != http.StatusOK || got != pic {
			t.Errorf("the copy's picture after deleting the original's objects: %d", status)
		}
	})
}

// keyOfPicture is the key of the fixture's picture (not its rendition).
func keyOfPicture(f *fixture) string {
	for k := range f.objects {
		if strings.HasSuffix(k, ".png") && !strings.HasSuffix(k, "-320.png") {
			return k
		}
	}
	return ""
}
