package media

// media.rendition_list carries a picture's renditions for the pages'
// srcsets (migration 20261207100000). Triggers keep it; these tests change
// renditions in every way the platform does, and by hand, and check the
// column and what Images reads after each.

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/blob"
	"github.com/trangtin/trangtin/platform/db"
)

// renditionList is what the column should hold for a picture: its
// renditions' "WIDTH FORMAT" pairs, smallest first, read from the rows.
func (e *env) renditionList(tenantID, mediaID string) string {
	e.t.Helper()
	var rs []Rendition
	err := e.db.NewSelect().Model(&rs).Where("tenant_id = ? AND media_id = ?", tenantID, mediaID).
		Order("width", "format").Scan(context.Background())
	if err != nil {
		e.t.Fatalf("read renditions: %v", err)
	}
	pairs := make([]string, 0, len(rs))
	for _, r := range rs {
		pairs = append(pairs, strconv.Itoa(r.Width)+" "+r.Format)
	}
	return strings.Join(pairs, ",")
}

// storedList is the column as stored.
func (e *env) storedList(tenantID, mediaID string) string {
	e.t.Helper()
	var s string
	err := e.db.NewRaw("SELECT rendition_list FROM media WHERE tenant_id = ? AND id = ?", tenantID, mediaID).Scan(context.Background(), &s)
	if err != nil {
		e.t.Fatalf("read rendition_list: %v", err)
	}
	return s
}

// imageWidths are the rendition widths Images gives a page.
func (e *env) imageWidths(tenantID, mediaID string) []int {
	e.t.Helper()
	ims, err := Images(context.Background(), e.db, tenantID, []string{mediaID})
	if err != nil || ims[mediaID] == nil {
		e.t.Fatalf("Images: %v, %v", ims, err)
	}
	var ws []int
	for part := range strings.SplitSeq(string(ims[mediaID].SrcSet), ", ") {
		if i := strings.Index(part, "/r/"); i >= 0 {
			w, _, _ := strings.Cut(part[i+3:], ".")
			n, _ := strconv.Atoi(w)
			ws = append(ws, n)
		}
	}
	return ws
}

func TestRenditionListFollowsRenditions(t *testing.T) {
	// The list is the database's: the disk store is enough.
	func(store blob.Store) {
		e := newEnv(t, store, Options{})
		ctx := context.Background()
		check := func(t *testing.T, tenantID, mediaID string) string {
			t.Helper()
			want, got := e.renditionList(tenantID, mediaID), e.storedList(tenantID, mediaID)
			if got != want {
				t.Errorf("rendition_list = %q, the renditions say %q", got, want)
			}
			return got
		}
		m, err := e.upload("bia.jpg", plainJPEG(t, 1600, 1000), "Bìa")
		if err != nil {
			t.Fatal(err)
		}
		t.Run("a new picture has none", func(t *testing.T) {
			if got := check(t, e.a, m.ID); got != "" {
				t.Errorf("before the job: %q", got)
			}
			if ws := e.imageWidths(e.a, m.ID); len(ws) != 0 {
				t.Errorf("srcset renditions before the job: %v", ws)
			}
		})
		e.runJobs()
		t.Run("the renditions job fills it, smallest first", func(t *testing.T) {
			got := check(t, e.a, m.ID)
			if !strings.HasPrefix(got, "320 ") || strings.Count(got, ",") < 2 {
				t.Errorf("after the job: %q, want three or more renditions from 320", got)
			}
			ws := e.imageWidths(e.a, m.ID)
			if len(ws) != strings.Count(got, ",")+1 || ws[0] != 320 {
				t.Errorf("srcset renditions %v, list %q", ws, got)
			}
		})
		t.Run("a value written by hand is recomputed", func(t *testing.T) {
			if _, err := e.db.NewRaw("UPDATE media SET rendition_list = '9999 gif' WHERE tenant_id = ? AND id = ?", e.a, m.ID).Exec(ctx); err != nil {
				t.Fatal(err)
			}
			if got := check(t, e.a, m.ID); strings.Contains(got, "9999") {
				t.Errorf("kept the hand-written value: %q", got)
			}
		})
		t.Run("a rendition deleted by hand leaves the list", func(t *testing.T) {
			if _, err := e.db.NewRaw("DELETE FROM media_renditions WHERE tenant_id = ? AND media_id = ? AND width = 320", e.a, m.ID).Exec(ctx); err != nil {
				t.Fatal(err)
			}
			if got := check(t, e.a, m.ID); strings.Contains(got, "320 ") {
				t.Errorf("still lists the deleted rendition: %q", got)
			}
		})
		t.Run("a merge carries the list to the receiving tenant", func(t *testing.T) {
			before := e.storedList(e.a, m.ID)
			err := db.InTx(ctx, e.db, func(ctx context.Context, tx bun.Tx) error { return MergeRows(ctx, tx, e.a, e.b) })
			if err != nil {
				t.Fatal(err)
			}
			if got := check(t, e.b, m.ID); got != before || got == "" {
				t.Errorf("after the merge: %q, before %q", got, before)
			}
		})
	}(storeCases()[0].make(t))
}
