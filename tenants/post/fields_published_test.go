package post_test

// post_fields carries its item's publication time while the item is
// published, for the fields' home blocks and section pages (migration
// 20261206100000). Triggers keep that copy; these tests change items in
// every way the platform does, and by hand, and check it after each.

import (
	"testing"

	"github.com/trangtin/trangtin/tenants/post"
)

// staleFieldTimes counts the rows of post_fields of tenantID whose copy of
// the publication time is not what their item says now.
func (f *fixture) staleFieldTimes(t *testing.T, tenantID string) int {
	t.Helper()
	var n int
	err := f.db.NewRaw(`SELECT count(*) FROM post_fields pf JOIN posts p ON p.tenant_id = pf.tenant_id AND p.id = pf.post_id
		WHERE pf.tenant_id = ? AND ((p.status = 'published' AND (pf.published_at IS NULL OR pf.published_at <> p.published_at))
			OR (p.status <> 'published' AND pf.published_at IS NOT NULL))`, tenantID).Scan(f.ctx, &n)
	if err != nil {
		t.Fatalf("compare post_fields with posts: %v", err)
	}
	return n
}

// fieldTimes counts the rows of post_fields of item id that hold a time.
func (f *fixture) fieldTimes(t *testing.T, tenantID, id string) int {
	t.Helper()
	var n int
	err := f.db.NewRaw("SELECT count(*) FROM post_fields WHERE tenant_id = ? AND post_id = ? AND published_at IS NOT NULL",
		tenantID, id).Scan(f.ctx, &n)
	if err != nil {
		t.Fatalf("count post_fields times: %v", err)
	}
	return n
}

func TestFieldsCarryThePublicationTime(t *testing.T) {
	f := newFixture(t)
	tenantID := f.T["alpha"].ID
	check := func(t *testing.T, id string, wantTimes int) {
		t.Helper()
		if n := f.staleFieldTimes(t, tenantID); n != 0 {
			t.Errorf("%d row(s) of post_fields disagree with their item", n)
		}
		if n := f.fieldTimes(t, tenantID, id); n != wantTimes {
			t.Errorf("item's fields with a time: %d, want %d", n, wantTimes)
		}
	}

	draft := f.create("alpha/contributor", goodInput("Tập huấn an toàn lao động cho doanh nghiệp"))
	t.Run("a draft's fields have no time", func(t *testing.T) { check(t, draft.ID, 0) })

	p := f.published("alpha", goodInput("Hội nghị tổng kết công tác giảm nghèo năm 2026"))
	t.Run("publication gives the item's fields its time", func(t *testing.T) { check(t, p.ID, 1) })

	t.Run("a field added to a published item gets the time at once", func(t *testing.T) {
		in := goodInput(p.Title)
		in.Fields = append(in.Fields, "giam-ngheo")
		if _, err := f.edit("alpha/editor", p.ID, in); err != nil {
			t.Fatalf("edit: %v", err)
		}
		f.publishEdition("alpha", p.ID, "alpha/editor")
		check(t, p.ID, 2)
	})

	t.Run("a time changed by hand follows into the fields", func(t *testing.T) {
		if _, err := f.db.NewRaw("UPDATE posts SET published_at = ? WHERE tenant_id = ? AND id = ?",
			f.get("alpha", p.ID).PublishedAt.AddDate(0, 0, -3), tenantID, p.ID).Exec(f.ctx); err != nil {
			t.Fatal(err)
		}
		check(t, p.ID, 2)
	})

	t.Run("a copy written by hand is put back", func(t *testing.T) {
		if _, err := f.db.NewRaw("UPDATE post_fields SET published_at = NULL WHERE tenant_id = ? AND post_id = ?",
			tenantID, p.ID).Exec(f.ctx); err != nil {
			t.Fatal(err)
		}
		check(t, p.ID, 2)
	})

	t.Run("withdrawal takes the time away", func(t *testing.T) {
		f.step("alpha/chief", p.ID, post.TransitionInput{To: post.StatusWithdrawn, Note: "Số liệu chưa được thẩm định"})
		check(t, p.ID, 0)
	})
}
