package blob

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trangtin/trangtin/platform/errs"
)

func diskFixture(t *testing.T) fixture {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "media")
	d, err := NewDisk(dir)
	if err != nil {
		t.Fatalf("NewDisk: %v", err)
	}
	return fixture{store: d, leftovers: func(t *testing.T) []string { return tempFiles(t, dir) }}
}

// tempFiles lists the temporary files under dir.
func tempFiles(t *testing.T, dir string) []string {
	t.Helper()
	var found []string
	err := filepath.WalkDir(dir, func(p string, de fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.HasPrefix(de.Name(), ".tmp-") {
			found = append(found, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

func TestDiskConformance(t *testing.T) { testStore(t, diskFixture) }

func TestDiskLayout(t *testing.T) {
	f := diskFixture(t)
	d := f.store.(*Disk)
	data := []byte("%PDF-1.7 ...")
	key := keyFor("0b5e6f2a-tenant", data, ".pdf")
	put(t, d, key, data, "application/pdf")
	got, err := os.ReadFile(filepath.Join(d.Dir(), filepath.FromSlash(key)))
	if err != nil || string(got) != string(data) {
		t.Fatalf("object file: %q, %v", got, err)
	}
	entries, err := os.ReadDir(filepath.Dir(filepath.Join(d.Dir(), filepath.FromSlash(key))))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	base := key[strings.LastIndexByte(key, '/')+1:]
	if len(names) != 2 || names[0] != "."+base+".meta" || names[1] != base {
		t.Fatalf("directory holds %v, want the object and its sidecar", names)
	}
}

// A file without a sidecar (copied in by hand, or a crash between the two
// renames of Put) is still served, typed by its extension.
func TestDiskWithoutSidecar(t *testing.T) {
	f := diskFixture(t)
	d := f.store.(*Disk)
	key := "t/x/ab/abc.png"
	put(t, d, key, []byte("png bytes"), "image/png")
	if err := os.Remove(filepath.Join(d.Dir(), "t/x/ab/.abc.png.meta")); err != nil {
		t.Fatal(err)
	}
	info, err := d.Stat(t.Context(), key)
	if err != nil || info.ContentType != "image/png" || info.ETag == "" || info.Size != 9 {
		t.Fatalf("Stat without sidecar = %+v, %v", info, err)
	}
	if err := d.Delete(t.Context(), key); err != nil {
		t.Fatal(err)
	}
	assertGone(t, d, key)
}

// Symbolic links planted in the directory never lead outside it.
func TestDiskSymlinksStayInside(t *testing.T) {
	f := diskFixture(t)
	d := f.store.(*Disk)
	outside := t.TempDir()
	secret := filepath.Join(outside, "secret.txt")
	if err := os.WriteFile(secret, []byte("outside"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(d.Dir(), "t", "x"), 0o750); err != nil {
		t.Fatal(err)
	}
	// A link as the object, and a link as a directory of the key.
	if err := os.Symlink(secret, filepath.Join(d.Dir(), "t", "x", "file.txt")); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	if err := os.Symlink(outside, filepath.Join(d.Dir(), "t", "out")); err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	for _, key := range []string{"t/x/file.txt", "t/out/secret.txt"} {
		if _, err := d.Stat(ctx, key); err == nil {
			t.Fatalf("Stat(%s) followed a link outside", key)
		}
		if o, err := d.Open(ctx, key); err == nil {
			o.Close()
			t.Fatalf("Open(%s) followed a link outside", key)
		}
	}
	if _, err := d.Put(ctx, "t/out/new.txt", strings.NewReader("x"), 1, "text/plain"); err == nil {
		t.Fatal("Put wrote through a link outside")
	}
	if _, err := os.Stat(filepath.Join(outside, "new.txt")); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("a file appeared outside: %v", err)
	}
	if err := d.List(ctx, "", func(in Info) error { return errors.New("listed " + in.Key) }); err != nil {
		t.Fatal(err)
	}
	if err := d.Delete(ctx, "t/out/secret.txt"); err == nil {
		if _, err := os.Stat(secret); err != nil {
			t.Fatal("Delete removed a file outside")
		}
	}
	if got, err := os.ReadFile(secret); err != nil || string(got) != "outside" {
		t.Fatalf("the outside file changed: %q, %v", got, err)
	}
	assertClean(t, f)
}

func TestDiskUnavailable(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "media")
	d, err := NewDisk(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := d.Ready(t.Context()); !IsUnavailable(err) {
		t.Fatalf("Ready without the directory = %v, want unavailable", err)
	}
	_, err = d.Put(t.Context(), "t/x/a.txt", strings.NewReader("a"), 1, "text/plain")
	if !IsUnavailable(err) {
		t.Fatalf("Put without the directory = %v, want unavailable", err)
	}
	if e := errs.As(err); e == nil || e.Code != "media_store_unavailable" {
		t.Fatalf("unavailable error = %#v", e)
	}
	// Back again: the same store works.
	if err := os.MkdirAll(dir, 0o750); err != nil {
		t.Fatal(err)
	}
	if err := d.Ready(t.Context()); err != nil {
		t.Fatal(err)
	}
	put(t, d, "t/x/a.txt", []byte("a"), "text/plain")
}

func TestNewDiskRefusesEmpty(t *testing.T) {
	if _, err := NewDisk(""); err == nil {
		t.Fatal("NewDisk(\"\") worked")
	}
}
