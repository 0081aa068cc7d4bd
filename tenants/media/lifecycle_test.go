package media

import (
	"bytes"
	"context"
	"errors"
	"image"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/blob"
	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/errs"
)

func TestDuplicateContentSharesObject(t *testing.T) {
	eachStore(t, func(t *testing.T, store blob.Store) {
		e := newEnv(t, store, Options{})
		ctx := context.Background()
		data := jpegWithGPS(t, 400, 300, 1)
		m1, err := e.upload("a.jpg", data, "Lần một")
		if err != nil {
			t.Fatal(err)
		}
		m2, err := e.upload("b.jpg", data, "Lần hai")
		if err != nil {
			t.Fatal(err)
		}
		if m1.ID == m2.ID || m1.ObjectKey != m2.ObjectKey || m2.Alt != "Lần hai" {
			t.Fatalf("rows %+v / %+v", m1, m2)
		}
		e.runJobs()
		if n := len(e.objects(e.a)); n != 2 { // original + the 320 rendition, shared
			t.Errorf("%d objects, want 2: %v", n, e.objects(e.a))
		}
		if err := e.svc.Delete(ctx, e.a, m1.ID); err != nil {
			t.Fatal(err)
		}
		if n := len(e.objects(e.a)); n != 2 {
			t.Errorf("deleting one row removed a shared object: %v", e.objects(e.a))
		}
		if err := e.svc.Delete(ctx, e.a, m2.ID); err != nil {
			t.Fatal(err)
		}
		if keys := e.objects(e.a); len(keys) != 0 || e.rows() != 0 {
			t.Errorf("left after deleting both: %v, %d rows", keys, e.rows())
		}
	})
}

func TestQuota(t *testing.T) {
	e := newEnv(t, storeCases()[0].make(t), Options{})
	first := pdfFile()
	e.svc.opts.Quota = int64(len(first)) + 10
	if _, err := e.upload("a.pdf", first, ""); err != nil {
		t.Fatal(err)
	}
	_, err := e.upload("b.pdf", append(pdfFile(), "% second\n"...), "")
	refused(t, err, 422, "media_quota_exceeded")
	if _, err := e.upload("a-again.pdf", first, ""); err != nil {
		t.Errorf("the same content again costs nothing, yet: %v", err)
	}
	if _, err := e.svc.Upload(context.Background(), e.b, e.actor, "b.pdf", bytes.NewReader(append(pdfFile(), "% b\n"...)), "", ""); err != nil {
		t.Errorf("tenant B has its own quota: %v", err)
	}
}

func TestDeleteUsedMedia(t *testing.T) {
	eachStore(t, func(t *testing.T, store blob.Store) {
		e := newEnv(t, store, Options{})
		ctx := context.Background()
		m, err := e.upload("a.jpg", plainJPEG(t, 700, 400), "Ảnh")
		if err != nil {
			t.Fatal(err)
		}
		e.runJobs()
		e.addPost("Hội nghị tổng kết năm", "published", `<p><img src="`+m.Path()+`" alt="Ảnh"></p>`, nil)
		e.addPost("Tuyển sinh học nghề", "scheduled", "", &m.ID)
		e.addPost("Bản nháp chưa gửi", "draft", "", &m.ID)
		use, err := Usage(ctx, e.db, e.a, []string{m.ID})
		if err != nil || use[m.ID] != 3 {
			t.Errorf("usage %v, %v; want 3", use, err)
		}
		err = e.svc.Delete(ctx, e.a, m.ID)
		refused(t, err, 409, "media_in_use")
		_, msg, _ := errs.Public(err)
		if !strings.Contains(msg, "Hội nghị tổng kết năm") || !strings.Contains(msg, "Tuyển sinh học nghề") || strings.Contains(msg, "Bản nháp") {
			t.Errorf("message %q must name the published and scheduled items only", msg)
		}
		if len(e.objects(e.a)) != 3 {
			t.Errorf("a refused deletion removed objects")
		}
		if _, err := e.db.ExecContext(ctx, "UPDATE posts SET status = 'draft'"); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.Delete(ctx, e.a, m.ID); err != nil {
			t.Fatalf("delete unused: %v", err)
		}
		if keys := e.objects(e.a); len(keys) != 0 || e.rows() != 0 {
			t.Errorf("left: %v, %d rows", keys, e.rows())
		}
		if err := e.svc.Delete(ctx, e.b, m.ID); !errs.Is(err, errs.KindNotFound) {
			t.Errorf("tenant B deletes A's media: %v", err)
		}
	})
}

func TestReconcile(t *testing.T) {
	eachStore(t, func(t *testing.T, store blob.Store) {
		e := newEnv(t, store, Options{})
		ctx := context.Background()
		kept, err := e.upload("kept.jpg", plainJPEG(t, 100, 100), "Giữ lại")
		if err != nil {
			t.Fatal(err)
		}
		lost, err := e.upload("lost.pdf", pdfFile(), "")
		if err != nil {
			t.Fatal(err)
		}
		if err := store.Delete(ctx, lost.ObjectKey); err != nil {
			t.Fatal(err)
		}
		orphan := blob.Key(e.a, strings.Repeat("ab", 32), ".jpg")
		if _, err := store.Put(ctx, orphan, strings.NewReader("orphan"), 6, "image/jpeg"); err != nil {
			t.Fatal(err)
		}
		rep, err := e.svc.Reconcile(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Removed) != 0 {
			t.Errorf("a fresh orphan was removed: %v", rep.Removed)
		}
		if !slices.Equal(rep.Missing, []string{lost.ObjectKey}) {
			t.Errorf("missing %v, want [%s]", rep.Missing, lost.ObjectKey)
		}
		later := New(e.db, store, quiet(), Options{Now: func() time.Time { return time.Now().Add(OrphanAge + time.Minute) }})
		rep, err = later.Reconcile(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(rep.Removed, []string{orphan}) {
			t.Errorf("removed %v, want [%s]", rep.Removed, orphan)
		}
		if keys := e.objects(e.a); !slices.Equal(keys, []string{kept.ObjectKey}) {
			t.Errorf("objects after reconciling: %v", keys)
		}
	})
}

func TestReconcileJobSchedulesNextHour(t *testing.T) {
	e := newEnv(t, storeCases()[0].make(t), Options{})
	ctx := context.Background()
	if err := e.svc.ScheduleReconcile(ctx, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.ScheduleReconcile(ctx, time.Now()); err != nil { // a second process
		t.Fatal(err)
	}
	e.runJobs()
	var keys []string
	if err := e.db.NewRaw("SELECT unique_key FROM jobs WHERE kind = ? ORDER BY unique_key", JobReconcile).Scan(ctx, &keys); err != nil {
		t.Fatal(err)
	}
	next := "media.reconcile:" + time.Now().UTC().Truncate(time.Hour).Add(time.Hour).Format("2006-01-02T15")
	if len(keys) != 2 || keys[1] != next {
		t.Errorf("reconcile jobs %v; want this hour's and %s", keys, next)
	}
}

// failingStore is a store whose writes fail as an outage would.
type failingStore struct{ blob.Store }

func (failingStore) Put(context.Context, string, io.Reader, int64, string) (blob.Info, error) {
	return blob.Info{}, errs.Unavailable("media_store_unavailable", "Kho lưu trữ tệp không phản hồi", errors.New("connection refused"))
}

func TestStoreOutageAndFailedCommit(t *testing.T) {
	disk := storeCases()[0].make(t)
	e := newEnv(t, failingStore{disk}, Options{})
	_, err := e.upload("a.jpg", plainJPEG(t, 20, 20), "Ảnh")
	refused(t, err, 503, "media_store_unavailable")
	if e.rows() != 0 {
		t.Error("row written without its object")
	}
	// A commit that fails (no such tenant: the foreign key refuses the
	// row) takes its object away again.
	e.svc.store = disk
	_, err = e.svc.Upload(context.Background(), "no-such-tenant", e.actor, "a.pdf", bytes.NewReader(pdfFile()), "", "")
	if err == nil {
		t.Fatal("row committed for an unknown tenant")
	}
	var keys []string
	_ = disk.List(context.Background(), "", func(in blob.Info) error { keys = append(keys, in.Key); return nil })
	if len(keys) != 0 {
		t.Errorf("objects left after the failed commit: %v", keys)
	}
}

func TestUpdate(t *testing.T) {
	e := newEnv(t, storeCases()[0].make(t), Options{})
	ctx := context.Background()
	m, err := e.upload("a.jpg", plainJPEG(t, 20, 20), "Cũ")
	if err != nil {
		t.Fatal(err)
	}
	m, err = e.svc.Update(ctx, e.a, m.ID, Edit{Alt: " Mới\x00 ", Caption: "Chú thích", Credit: "Nguyễn Văn A"})
	if err != nil || m.Alt != "Mới" || m.Caption != "Chú thích" || m.Credit != "Nguyễn Văn A" {
		t.Fatalf("update: %+v, %v", m, err)
	}
	_, err = e.svc.Update(ctx, e.a, m.ID, Edit{Alt: ""})
	refused(t, err, 400, "media_alt_required")
	if _, err := e.svc.Update(ctx, e.b, m.ID, Edit{Alt: "x"}); !errs.Is(err, errs.KindNotFound) {
		t.Errorf("tenant B edits A's media: %v", err)
	}
	ms, err := List(ctx, e.db, e.a, Filter{Query: "chú THÍCH"})
	if err != nil || len(ms) != 1 {
		t.Errorf("search by caption: %d, %v", len(ms), err)
	}
	if ms, _ := List(ctx, e.db, e.a, Filter{Kind: KindDocument}); len(ms) != 0 {
		t.Errorf("kind filter: %d", len(ms))
	}
}

func TestDemoImage(t *testing.T) {
	a, err := DemoImage(1, "Hội nghị")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := DemoImage(1, "Hội nghị")
	c, _ := DemoImage(2, "Hội nghị")
	if !bytes.Equal(a, b) || bytes.Equal(a, c) {
		t.Error("DemoImage is not deterministic per seed and title")
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(a))
	if err != nil || format != "jpeg" || cfg.Width < 1280 {
		t.Errorf("demo image %v %s %v", cfg, format, err)
	}
	e := newEnv(t, storeCases()[0].make(t), Options{})
	if _, err := e.svc.Upload(context.Background(), e.a, e.actor, "demo.jpg", bytes.NewReader(a), "Ảnh minh họa", ""); err != nil {
		t.Errorf("demo image refused: %v", err)
	}
}

// TestMergeRowsKeepsObjects: after a merge the rows live in the receiving
// tenant with their ids and keys, the objects stay under the merged
// tenant's prefix, and the reconciler keeps them (and still finds the
// orphans there).
func TestMergeRowsKeepsObjects(t *testing.T) {
	eachStore(t, func(t *testing.T, store blob.Store) {
		e := newEnv(t, store, Options{})
		ctx := context.Background()
		m, err := e.upload("anh.jpg", plainJPEG(t, 800, 600), "Ảnh")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.worker.RunOnce(ctx); err != nil { // renditions
			t.Fatal(err)
		}
		orphan := blob.Key(e.a, strings.Repeat("cd", 32), ".jpg")
		if _, err := store.Put(ctx, orphan, strings.NewReader("orphan"), 6, "image/jpeg"); err != nil {
			t.Fatal(err)
		}
		renditions := func(tenant string) int {
			n, err := e.db.NewSelect().Table("media_renditions").Where("tenant_id = ?", tenant).Count(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return int(n)
		}
		made := renditions(e.a)
		if made == 0 {
			t.Fatal("no renditions to move")
		}
		err = db.InTx(ctx, e.db, func(ctx context.Context, tx bun.Tx) error {
			if err := MergeRows(ctx, tx, e.a, e.b); err != nil {
				return err
			}
			_, err := tx.NewUpdate().Table("tenants").Set("status = 'merged'").Set("merged_into_id = ?", e.b).Where("id = ?", e.a).Exec(ctx)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		moved, err := Get(ctx, e.db, e.b, m.ID)
		if err != nil || moved.ObjectKey != m.ObjectKey || renditions(e.b) != made || renditions(e.a) != 0 {
			t.Fatalf("after the merge: %+v %v; renditions %d → %d", moved, err, made, renditions(e.b))
		}
		if _, err := Get(ctx, e.db, e.a, m.ID); !errs.Is(err, errs.KindNotFound) {
			t.Errorf("the merged tenant still has the media: %v", err)
		}
		later := New(e.db, store, quiet(), Options{Now: func() time.Time { return time.Now().Add(OrphanAge + time.Minute) }})
		rep, err := later.Reconcile(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(rep.Removed, []string{orphan}) || len(rep.Missing) != 0 {
			t.Errorf("reconcile after a merge: removed %v missing %v", rep.Removed, rep.Missing)
		}
		if _, err := store.Stat(ctx, m.ObjectKey); err != nil {
			t.Errorf("the merged media's object is gone: %v", err)
		}
	})
}
