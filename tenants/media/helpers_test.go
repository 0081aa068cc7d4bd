package media

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/blob"
	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/db/dbtest"
	"github.com/trangtin/trangtin/platform/jobs"
	"github.com/trangtin/trangtin/platform/tenancy"
)

// storeCase names a way to make a fresh object store.
type storeCase struct {
	name string
	make func(t *testing.T) blob.Store
}

// storeCases are the stores every service test runs against: the disk
// store always, MinIO when TRANGTIN_TEST_S3_ENDPOINT is set (and in CI,
// where it must be).
func storeCases() []storeCase {
	return []storeCase{
		{"disk", func(t *testing.T) blob.Store {
			d, err := blob.NewDisk(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			return d
		}},
		{"minio", func(t *testing.T) blob.Store {
			endpoint := os.Getenv("TRANGTIN_TEST_S3_ENDPOINT")
			if endpoint == "" {
				if os.Getenv("CI") == "true" {
					t.Fatal("TRANGTIN_TEST_S3_ENDPOINT is unset: CI must run the media tests against MinIO (scripts/minio.sh start)")
				}
				t.Skip("TRANGTIN_TEST_S3_ENDPOINT is unset; start MinIO with scripts/minio.sh start && eval \"$(scripts/minio.sh env)\"")
			}
			s, err := blob.NewS3(t.Context(), blob.S3Options{
				Endpoint: endpoint, AccessKey: os.Getenv("TRANGTIN_TEST_S3_ACCESS_KEY"),
				SecretKey: os.Getenv("TRANGTIN_TEST_S3_SECRET_KEY"), Bucket: "media-test-" + randomHex(6),
			})
			if err != nil {
				t.Fatalf("NewS3: %v", err)
			}
			t.Cleanup(func() { emptyStore(s) })
			return s
		}},
	}
}

// eachStore runs fn as a subtest per store.
func eachStore(t *testing.T, fn func(t *testing.T, store blob.Store)) {
	for _, sc := range storeCases() {
		t.Run(sc.name, func(t *testing.T) { fn(t, sc.make(t)) })
	}
}

// emptyStore deletes every object of a test bucket.
func emptyStore(s blob.Store) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var keys []string
	_ = s.List(ctx, "", func(in blob.Info) error { keys = append(keys, in.Key); return nil })
	for _, k := range keys {
		_ = s.Delete(ctx, k)
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// env is a database with tenants A and B and a service over a store.
type env struct {
	t      testing.TB
	db     *bun.DB
	store  blob.Store
	svc    *Service
	worker *jobs.Worker
	a, b   string // tenant ids
	actor  string
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func newEnv(t testing.TB, store blob.Store, o Options) *env {
	t.Helper()
	e := &env{t: t, db: dbtest.New(t), store: store, actor: db.NewID()}
	now := time.Now().UTC()
	for _, slug := range []string{"anh-dao", "bach-duong"} {
		tn := &tenancy.Tenant{ID: db.NewID(), Slug: slug + "-" + randomHex(3), Name: slug, Kind: tenancy.KindUnit,
			Status: tenancy.StatusActive, HasSite: true, OnboardedAt: now, CreatedAt: now, UpdatedAt: now}
		if _, err := e.db.NewInsert().Model(tn).Exec(context.Background()); err != nil {
			t.Fatalf("insert tenant: %v", err)
		}
		if e.a == "" {
			e.a = tn.ID
		} else {
			e.b = tn.ID
		}
	}
	e.svc = New(e.db, store, quiet(), o)
	e.worker = jobs.NewWorker(e.db, quiet(), jobs.Options{})
	e.svc.Register(e.worker)
	return e
}

// upload adds a file to tenant A.
func (e *env) upload(name string, data []byte, alt string) (*Media, error) {
	return e.svc.Upload(context.Background(), e.a, e.actor, name, strings.NewReader(string(data)), alt, "")
}

// runJobs runs every due job.
func (e *env) runJobs() {
	e.t.Helper()
	if _, err := e.worker.RunOnce(context.Background()); err != nil {
		e.t.Fatalf("run jobs: %v", err)
	}
}

// objects lists the keys under a tenant's prefix.
func (e *env) objects(tenantID string) []string {
	e.t.Helper()
	var keys []string
	err := e.store.List(context.Background(), blob.TenantPrefix(tenantID), func(in blob.Info) error {
		keys = append(keys, in.Key)
		return nil
	})
	if err != nil {
		e.t.Fatalf("list objects: %v", err)
	}
	return keys
}

// rows counts the media and rendition rows of every tenant.
func (e *env) rows() int {
	e.t.Helper()
	var n int
	if err := e.db.NewRaw("SELECT (SELECT COUNT(*) FROM media) + (SELECT COUNT(*) FROM media_renditions)").Scan(context.Background(), &n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// read returns an object's bytes.
func (e *env) read(key string) []byte {
	e.t.Helper()
	o, err := e.store.Open(context.Background(), key)
	if err != nil {
		e.t.Fatalf("open %s: %v", key, err)
	}
	defer o.Close()
	b, err := io.ReadAll(o)
	if err != nil {
		e.t.Fatal(err)
	}
	return b
}

// addPost inserts an item of tenant A using media in its body or as its
// featured image.
func (e *env) addPost(title, status, body string, featured *string) {
	e.t.Helper()
	now := time.Now().UTC()
	_, err := e.db.ExecContext(context.Background(), `INSERT INTO posts (tenant_id, id, slug, title, body, type, status, author_id,
		featured_media_id, created_at, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, 'news', ?, ?, ?, ?, ?, ?)`,
		e.a, db.NewID(), "bai-"+randomHex(4), title, body, status, e.actor, featured, now, now, e.actor)
	if err != nil {
		e.t.Fatalf("insert post: %v", err)
	}
}
