package transfer

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/trangtin/trangtin/platform/db/dbtest"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/tenants/provision"
)

func TestExportRefuses(t *testing.T) {
	ctx := context.Background()
	bdb, store := dbtest.New(t), diskStore(t)
	f := seed(t, bdb, store)
	dir := t.TempDir()

	_, err := Export(ctx, bdb, store, ExportOptions{Slug: "khong-co", Out: filepath.Join(dir, "x.tar.gz")})
	if !errs.Is(err, errs.KindNotFound) || !strings.Contains(err.Error(), `no tenant "khong-co"`) {
		t.Errorf("unknown tenant: %v", err)
	}
	// A missing object fails the export and leaves no archive, and keeps
	// an older one with the same name as it was.
	out := filepath.Join(dir, "alpha.tar.gz")
	if err := os.WriteFile(out, []byte("older archive"), 0o600); err != nil {
		t.Fatal(err)
	}
	for k := range f.objects {
		if err := store.Delete(ctx, k); err != nil {
			t.Fatal(err)
		}
	}
	_, err = Export(ctx, bdb, store, ExportOptions{Slug: "alpha", Out: out})
	if err == nil || !strings.Contains(err.Error(), "missing from the media store") {
		t.Errorf("missing object: %v", err)
	}
	if b, _ := os.ReadFile(out); string(b) != "older archive" {
		t.Errorf("a failed export replaced the file: %q", b)
	}
	if left, _ := os.ReadDir(dir); len(left) != 1 {
		t.Errorf("a failed export left files behind: %v", left)
	}
}

// TestImportRefuses checks every refusal is one clear line and leaves the
// platform as it was: no tenant, no rows, no objects.
func TestImportRefuses(t *testing.T) {
	ctx := context.Background()
	bdb, store := dbtest.New(t), diskStore(t)
	f, out, _ := exportAlpha(t, bdb, store)
	if _, err := provisioner(bdb).Create(ctx, provision.Input{Slug: "van-phong", Name: "Văn phòng Sở", Kind: tenancy.KindOffice, Parent: "so"}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	file := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	flipped := filepath.Join(dir, "flipped.tar.gz")
	tamper(t, out, flipped, false, func(name string, b []byte) []byte {
		if name == "data/posts.jsonl" {
			b = bytes.Replace(b, []byte("Hội nghị"), []byte("Hội thảo"), 1)
		}
		return b
	}, nil)
	// These pass the checksums and fail inside the transaction, after the
	// objects were stored: those must go again.
	newer := filepath.Join(dir, "newer.tar.gz")
	tamper(t, out, newer, true, func(name string, b []byte) []byte {
		if name == "data/posts.jsonl" {
			b = bytes.ReplaceAll(b, []byte(`{"agreement_id"`), []byte(`{"a_new_column":1,"agreement_id"`))
		}
		return b
	}, nil)
	dup := filepath.Join(dir, "dup.tar.gz")
	tamper(t, out, dup, true, func(name string, b []byte) []byte {
		if name == "data/post_revisions.jsonl" {
			first := b[:bytes.IndexByte(b, '\n')+1]
			b = append(append([]byte{}, first...), b...)
		}
		return b
	}, func(m *Manifest) { m.Rows["post_revisions"]++ })

	cases := []struct {
		name string
		opts ImportOptions
		want string
	}{
		{"slug taken", ImportOptions{In: out}, `slug "alpha" is taken: choose another with --as`},
		{"bad slug", ImportOptions{In: out, As: "Alpha Mới"}, "slug: "},
		{"admin host", ImportOptions{In: out, As: "admin2", AdminHost: "admin2.localhost"}, "admin host"},
		{"unknown parent", ImportOptions{In: out, As: "alpha-moi", Parent: "khong-co"}, `unknown parent "khong-co"`},
		{"parent without children", ImportOptions{In: out, As: "alpha-moi", Parent: "van-phong"}, "cannot have children"},
		{"missing file", ImportOptions{In: filepath.Join(dir, "none.tar.gz")}, "no file "},
		{"not an archive", ImportOptions{In: file("text.tar.gz", []byte("xin chào"))}, "damaged archive text.tar.gz: not a gzip'd tar"},
		{"truncated", ImportOptions{In: file("cut.tar.gz", raw[:len(raw)*2/3]), As: "alpha-moi"}, "damaged archive cut.tar.gz"},
		{"checksum", ImportOptions{In: flipped, As: "alpha-moi"}, "checksum mismatch for data/posts.jsonl"},
		{"newer platform", ImportOptions{In: newer, As: "alpha-moi"}, "column posts.a_new_column is unknown here"},
		{"failing transaction", ImportOptions{In: dup, As: "alpha-moi"}, "write post_revisions"},
	}
	tenantsBefore, _ := tenancy.List(ctx, bdb)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.opts.BaseDomain = baseDomain
			_, err := Import(ctx, bdb, store, c.opts)
			if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("error %v, want one line with %q", err, c.want)
			}
			after, _ := tenancy.List(ctx, bdb)
			if len(after) != len(tenantsBefore) {
				t.Errorf("%d tenants after a refused import, want %d", len(after), len(tenantsBefore))
			}
			got := keys(t, store, "t/")
			want := make([]string, 0, len(f.objects))
			for k := range f.objects {
				want = append(want, k)
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("objects after a refused import: %v, want only alpha's %v", got, want)
			}
		})
	}
}
