package transfer

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/blob"
	"github.com/trangtin/trangtin/platform/db/dbtest"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/tenants/post"
)

// expected is what the rows of the tenant copied from old should be once
// imported as the tenant got[tenants][0]: the same rows, owned by the new
// tenant, with the changes import makes and nothing else.
func expected(old, got map[string][]map[string]any, oldID string, accounts map[string]bool) map[string][]map[string]any {
	nt := got["tenants"][0]
	newID := nt["id"].(string)
	want := map[string][]map[string]any{}
	for tb, rows := range old {
		for _, r := range rows {
			c := make(map[string]any, len(r))
			for k, v := range r {
				c[k] = v
			}
			if c["tenant_id"] == oldID {
				c["tenant_id"] = newID
			}
			switch tb {
			case "tenants":
				for _, k := range []string{"id", "slug", "parent_id", "onboarded_at", "created_at", "updated_at"} {
					c[k] = nt[k]
				}
				c["logo_url"] = rewriteLinks(c["logo_url"].(string))
			case "tenant_domains":
				continue
			case "media", "media_renditions":
				c["object_key"] = strings.Replace(c["object_key"].(string), oldID, newID, 1)
			case "posts", "post_revisions":
				c["body"] = rewriteLinks(c["body"].(string))
			case "board_members":
				if acc, ok := c["account_id"].(string); ok && !accounts[acc] {
					c["account_id"] = nil
				}
			}
			want[tb] = append(want[tb], c)
		}
	}
	return want
}

// exportAlpha seeds the fixture and exports alpha.
func exportAlpha(t *testing.T, bdb *bun.DB, store blob.Store) (*fixture, string, *Manifest) {
	t.Helper()
	f := seed(t, bdb, store)
	out := filepath.Join(t.TempDir(), "alpha.tar.gz")
	m, err := Export(context.Background(), bdb, store, ExportOptions{Slug: "alpha", Out: out, BaseDomain: baseDomain})
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	return f, out, m
}

func TestRoundTrip(t *testing.T) {
	ctx := context.Background()
	bdb := dbtest.New(t)
	store := diskStore(t)
	f, out, m := exportAlpha(t, bdb, store)
	before := dump(t, bdb, f.alpha.ID)

	t.Run("archive", func(t *testing.T) {
		names, data := entries(t, out)
		if names[0] != ManifestName {
			t.Fatalf("first entry %q, want %s", names[0], ManifestName)
		}
		var got Manifest
		if err := json.Unmarshal(data[ManifestName], &got); err != nil {
			t.Fatal(err)
		}
		if got.Format != Format || got.Platform.BaseDomain != baseDomain || got.Platform.Dialect != dbtest.Dialect() || got.ExportedAt.IsZero() {
			t.Errorf("manifest header: %+v", got)
		}
		wantView := TenantView{ID: f.alpha.ID, Slug: "alpha", Name: f.alpha.Name, Kind: "unit", Parent: "so", Status: "active",
			HasSite: true, QuotaPerWeek: 1, Domains: []string{"alpha.gov.vn"}, Branding: Branding{ShortName: "TTDVVL Alpha",
				LogoURL: "https://alpha.gov.vn/static/logo.png", Colour: "#0055aa"}}
		if diff := cmp.Diff(wantView, got.Tenant); diff != "" {
			t.Errorf("manifest tenant (-want +got):\n%s", diff)
		}
		if len(got.Objects) != 2 || len(names) != 1+len(got.Files) {
			t.Errorf("%d objects (want the picture and its rendition once), %d entries for %d files", len(got.Objects), len(names), len(got.Files))
		}
		for tb, rows := range before {
			if got.Rows[tb] != len(rows) {
				t.Errorf("manifest rows[%s] = %d, want %d", tb, got.Rows[tb], len(rows))
			}
		}
		for _, o := range got.Objects {
			if !bytes.Equal(data[o.File], f.objects[o.Key]) || o.ContentType != "image/png" {
				t.Errorf("object %s: %d bytes, %q", o.File, len(data[o.File]), o.ContentType)
			}
		}
		// One JSON object per line, the same on both dialects.
		line := strings.SplitN(string(data["data/posts.jsonl"]), "\n", 2)[0]
		var row map[string]any
		if err := json.Unmarshal([]byte(line), &row); err != nil {
			t.Fatal(err)
		}
		if _, ok := row["not_reviewed"].(bool); !ok || row["withdrawn_at"] != nil || !strings.HasSuffix(row["created_at"].(string), "Z") {
			t.Errorf("post row is not dialect-neutral: %s", line)
		}
		if fi, err := os.Stat(out); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("archive mode: %v %v", fi, err)
		}
		left, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".*"))
		if len(left) > 0 {
			t.Errorf("export left %v behind", left)
		}
	})

	res, err := Import(ctx, bdb, store, ImportOptions{In: out, As: "alpha-moi", BaseDomain: baseDomain, AdminHost: adminHost})
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	nt := res.Tenant
	if nt.Slug != "alpha-moi" || nt.ParentSlug != "so" || nt.ID == f.alpha.ID || len(nt.Domains) != 0 || nt.Name != f.alpha.Name {
		t.Errorf("new tenant: %+v", nt)
	}
	if res.Objects != 2 || res.Rows["posts"] != 5 || len(res.SkippedDomains) != 1 || m.Rows["posts"] != 5 {
		t.Errorf("result: %d objects, rows %v, skipped %v", res.Objects, res.Rows, res.SkippedDomains)
	}

	t.Run("same rows under the new tenant", func(t *testing.T) {
		got := dump(t, bdb, nt.ID)
		want := expected(before, got, f.alpha.ID, map[string]bool{f.accountID: true})
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("imported rows (-want +got):\n%s", diff)
		}
		var ps []post.Post
		if err := bdb.NewSelect().Model(&ps).Where("tenant_id = ?", nt.ID).Where("slug = ?", f.itemSlug).Scan(ctx); err != nil || len(ps) != 1 {
			t.Fatalf("item: %v %d", err, len(ps))
		}
		for _, want := range []string{`href="https://alpha-moi.localhost/bai-viet/phien-giao-dich"`, `href="http://alpha-moi.localhost:8080/chuyen-muc/tin-tuc-su-kien?trang=2#dau"`,
			`href="https://so.localhost/bai-viet/chi-dao"`, `href="https://alpha.localhost.example.com/x"`, `src="` + f.imagePath + `"`} {
			if !strings.Contains(ps[0].Body, want) {
				t.Errorf("imported body lacks %s:\n%s", want, ps[0].Body)
			}
		}
	})

	t.Run("objects under the new prefix", func(t *testing.T) {
		if ks := keys(t, store, blob.TenantPrefix(nt.ID)); len(ks) != 2 {
			t.Errorf("new prefix holds %v", ks)
		}
		checkObjects(t, store, f, nt.ID)
	})

	t.Run("scheduled item keeps its publication", func(t *testing.T) {
		n, err := bdb.NewSelect().Table("jobs").Where("tenant_id = ? AND kind = ? AND state = 'pending'", nt.ID, post.JobPublish).Count(ctx)
		if err != nil || n != 1 {
			t.Errorf("publication jobs of the new tenant: %d, %v", n, err)
		}
	})

	t.Run("original untouched", func(t *testing.T) {
		if diff := cmp.Diff(before, dump(t, bdb, f.alpha.ID)); diff != "" {
			t.Errorf("original changed (-before +after):\n%s", diff)
		}
		old, err := tenancy.BySlug(ctx, bdb, "alpha")
		if err != nil || len(old.Domains) != 1 {
			t.Errorf("original: %v %v", old, err)
		}
	})

	t.Run("copies outlive the original's objects", func(t *testing.T) {
		for k := range f.objects {
			if err := store.Delete(ctx, k); err != nil {
				t.Fatal(err)
			}
		}
		checkObjects(t, store, f, nt.ID)
	})
}

// checkObjects checks the new tenant has every object of alpha, byte for
// byte, under its own prefix.
func checkObjects(t *testing.T, store blob.Store, f *fixture, newID string) {
	t.Helper()
	for k, b := range f.objects {
		nk := strings.Replace(k, f.alpha.ID, newID, 1)
		o, err := store.Open(context.Background(), nk)
		if err != nil {
			t.Errorf("open %s: %v", nk, err)
			continue
		}
		got, err := io.ReadAll(o)
		_ = o.Close()
		if err != nil || !bytes.Equal(got, b) {
			t.Errorf("%s: %d bytes (%v), want %d", nk, len(got), err, len(b))
		}
	}
}

// TestAcrossDialects exports from SQLite and imports into PostgreSQL, and
// the other way: the rows arrive as they left.
func TestAcrossDialects(t *testing.T) {
	for _, dir := range []struct {
		name     string
		from, to func(*testing.T) *bun.DB
	}{
		{"sqlite to postgres", sqliteDB, postgresDB},
		{"postgres to sqlite", postgresDB, sqliteDB},
	} {
		t.Run(dir.name, func(t *testing.T) {
			from, to := dir.from(t), dir.to(t)
			fromStore, toStore := diskStore(t), diskStore(t)
			f, out, _ := exportAlpha(t, from, fromStore)
			seedParent(t, to)
			res, err := Import(context.Background(), to, toStore, ImportOptions{In: out, As: "alpha-moi", BaseDomain: baseDomain, AdminHost: adminHost})
			if err != nil {
				t.Fatalf("import: %v", err)
			}
			got := dump(t, to, res.Tenant.ID)
			want := expected(dump(t, from, f.alpha.ID), got, f.alpha.ID, nil)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("imported rows (-want +got):\n%s", diff)
			}
			checkObjects(t, toStore, f, res.Tenant.ID)
		})
	}
}

func TestImportOnAnotherPlatform(t *testing.T) {
	ctx := context.Background()
	src, store := dbtest.New(t), diskStore(t)
	_, out, _ := exportAlpha(t, src, store)

	t.Run("needs a parent when the archive's is absent", func(t *testing.T) {
		bdb := sqliteDB(t)
		_, err := Import(ctx, bdb, diskStore(t), ImportOptions{In: out, BaseDomain: baseDomain})
		if err == nil || !strings.Contains(err.Error(), `parent "so" does not exist here`) {
			t.Errorf("import without parent: %v", err)
		}
	})

	t.Run("keeps slug and parent, takes its free domains", func(t *testing.T) {
		bdb, dst := sqliteDB(t), diskStore(t)
		seedParent(t, bdb)
		res, err := Import(ctx, bdb, dst, ImportOptions{In: out, WithDomains: true, BaseDomain: "tinh.gov.vn", AdminHost: "quantri.tinh.gov.vn"})
		if err != nil {
			t.Fatal(err)
		}
		if res.Tenant.Slug != "alpha" || res.Tenant.ParentSlug != "so" || !cmp.Equal(res.Tenant.Domains, []string{"alpha.gov.vn"}) || len(res.SkippedDomains) != 0 {
			t.Errorf("tenant %+v, skipped %v", res.Tenant, res.SkippedDomains)
		}
		var body string
		if err := bdb.NewSelect().Table("posts").Column("body").Where("tenant_id = ? AND slug = ?", res.Tenant.ID, "hoi-nghi-tong-ket-viec-lam-2026").Scan(ctx, &body); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"https://alpha.tinh.gov.vn/bai-viet/phien-giao-dich", "http://ALPHA.gov.vn:8080/chuyen-muc/"} {
			if !strings.Contains(body, want) {
				t.Errorf("body lacks %s:\n%s", want, body)
			}
		}
	})

	t.Run("domains taken here stay behind", func(t *testing.T) {
		res, err := Import(ctx, src, store, ImportOptions{In: out, As: "alpha-2", WithDomains: true, BaseDomain: baseDomain, AdminHost: adminHost})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Tenant.Domains) != 0 || !cmp.Equal(res.SkippedDomains, []string{"alpha.gov.vn"}) {
			t.Errorf("domains %v, skipped %v", res.Tenant.Domains, res.SkippedDomains)
		}
	})

	t.Run("a department goes to the top when there is none", func(t *testing.T) {
		soOut := filepath.Join(t.TempDir(), "so.tar.gz")
		if _, err := Export(ctx, src, store, ExportOptions{Slug: "so", Out: soOut, BaseDomain: baseDomain}); err != nil {
			t.Fatal(err)
		}
		bdb := sqliteDB(t)
		res, err := Import(ctx, bdb, diskStore(t), ImportOptions{In: soOut, BaseDomain: baseDomain})
		if err != nil || res.Tenant.ParentID != nil || res.Rows["sections"] == 0 {
			t.Fatalf("import department: %v %+v", err, res)
		}
		_, err = Import(ctx, bdb, diskStore(t), ImportOptions{In: soOut, As: "so-2", BaseDomain: baseDomain})
		if err == nil || !strings.Contains(err.Error(), "top department") {
			t.Errorf("second top department: %v", err)
		}
	})
}

// TestRoundTripOnS3 runs export and import against MinIO when the test
// server is configured (TRANGTIN_TEST_S3_ENDPOINT, as platform/blob's
// tests), with the objects streamed from and to the bucket.
func TestRoundTripOnS3(t *testing.T) {
	endpoint := os.Getenv("TRANGTIN_TEST_S3_ENDPOINT")
	if endpoint == "" {
		t.Skip("TRANGTIN_TEST_S3_ENDPOINT is unset")
	}
	ctx := context.Background()
	store, err := blob.NewS3(ctx, blob.S3Options{Endpoint: endpoint, Bucket: "trangtin-test-transfer",
		AccessKey: os.Getenv("TRANGTIN_TEST_S3_ACCESS_KEY"), SecretKey: os.Getenv("TRANGTIN_TEST_S3_SECRET_KEY")})
	if err != nil {
		t.Fatal(err)
	}
	bdb := dbtest.New(t)
	var prefixes []string
	t.Cleanup(func() {
		for _, p := range prefixes {
			for _, k := range keys(t, store, p) {
				_ = store.Delete(context.Background(), k)
			}
		}
	})
	f := seed(t, bdb, store)
	prefixes = append(prefixes, blob.TenantPrefix(f.alpha.ID))
	out := filepath.Join(t.TempDir(), "alpha.tar.gz")
	if _, err := Export(ctx, bdb, store, ExportOptions{Slug: "alpha", Out: out, BaseDomain: baseDomain}); err != nil {
		t.Fatalf("export: %v", err)
	}
	res, err := Import(ctx, bdb, store, ImportOptions{In: out, As: "alpha-moi", BaseDomain: baseDomain, AdminHost: adminHost})
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	prefixes = append(prefixes, blob.TenantPrefix(res.Tenant.ID))
	checkObjects(t, store, f, res.Tenant.ID)
}
