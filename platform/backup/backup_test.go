package backup

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/trangtin/trangtin/platform/db"
)

func TestBackupWhileWritingThenRestore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	bdb, err := db.Open(ctx, db.Options{SQLitePath: filepath.Join(dir, "trangtin.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer bdb.Close()
	if _, err := bdb.ExecContext(ctx, "CREATE TABLE items (id INTEGER PRIMARY KEY, title TEXT NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 100; i++ {
		if _, err := bdb.ExecContext(ctx, "INSERT INTO items (title) VALUES (?)", "Tin số"); err != nil {
			t.Fatal(err)
		}
	}
	media := filepath.Join(dir, "media")
	picture := bytes.Repeat([]byte{0xff, 0xd8, 0x42}, 50_000)
	if err := os.MkdirAll(filepath.Join(media, "t", "abc"), 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(media, "t", "abc", "pic.jpg"), picture, 0o600); err != nil {
		t.Fatal(err)
	}
	// A writer keeps inserting while the snapshot is taken.
	var wg sync.WaitGroup
	var written atomic.Int64
	stop := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := bdb.ExecContext(ctx, "INSERT INTO items (title) VALUES (?)", "Tin mới"); err == nil {
				written.Add(1)
			}
		}
	}()
	archive := filepath.Join(t.TempDir(), "b.tar.gz")
	m, err := Create(ctx, bdb, media, archive)
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatalf("backup while writing: %v", err)
	}
	if len(m.Files) != 2 {
		t.Fatalf("manifest files = %v", m.Files)
	}

	target := filepath.Join(t.TempDir(), "restored")
	if _, err := Restore(archive, target); err != nil {
		t.Fatalf("restore: %v", err)
	}
	got, err := os.ReadFile(filepath.Join(target, "media", "t", "abc", "pic.jpg"))
	if err != nil || !bytes.Equal(got, picture) {
		t.Fatalf("restored picture differs (err %v)", err)
	}
	rdb, err := db.Open(ctx, db.Options{SQLitePath: filepath.Join(target, "trangtin.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	var n int64
	if err := rdb.NewRaw("SELECT count(*) FROM items").Scan(ctx, &n); err != nil {
		t.Fatal(err)
	}
	if n < 100 || n > 100+written.Load() {
		t.Fatalf("restored %d rows; had 100 before the backup and %d written during it", n, written.Load())
	}
	var res string
	if err := rdb.NewRaw("PRAGMA integrity_check").Scan(ctx, &res); err != nil || res != "ok" {
		t.Fatalf("integrity_check = %q, %v", res, err)
	}
}

func TestRestoreRefusesNonEmptyDirAndDamagedArchives(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	bdb, err := db.Open(ctx, db.Options{SQLitePath: filepath.Join(dir, "trangtin.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer bdb.Close()
	archive := filepath.Join(t.TempDir(), "b.tar.gz")
	if _, err := Create(ctx, bdb, filepath.Join(dir, "media"), archive); err != nil {
		t.Fatal(err)
	}
	t.Run("non-empty data dir", func(t *testing.T) {
		target := t.TempDir()
		if err := os.WriteFile(filepath.Join(target, "keep"), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := Restore(archive, target); !errors.Is(err, ErrNotEmpty) {
			t.Fatalf("err = %v, want ErrNotEmpty", err)
		}
	})
	t.Run("damaged archive", func(t *testing.T) {
		b, err := os.ReadFile(archive)
		if err != nil {
			t.Fatal(err)
		}
		bad := filepath.Join(t.TempDir(), "bad.tar.gz")
		if err := os.WriteFile(bad, b[:len(b)/2], 0o600); err != nil {
			t.Fatal(err)
		}
		target := filepath.Join(t.TempDir(), "x")
		if _, err := Restore(bad, target); err == nil {
			t.Fatal("a truncated archive was restored")
		}
		if _, err := os.Stat(filepath.Join(target, "trangtin.db")); err == nil {
			t.Fatal("a failed restore left a database in place")
		}
	})
	t.Run("not an archive", func(t *testing.T) {
		bad := filepath.Join(t.TempDir(), "x.tar.gz")
		_ = os.WriteFile(bad, []byte("hello"), 0o600)
		if _, err := Restore(bad, filepath.Join(t.TempDir(), "y")); err == nil {
			t.Fatal("garbage was restored")
		}
	})
}
