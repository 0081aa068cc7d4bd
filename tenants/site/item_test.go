package site_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/trangtin/trangtin/tenants/crosspost"
	"github.com/trangtin/trangtin/tenants/post"
)

// TestItemPageInOneStatement: an uncached item page reads the item, its
// fields, its featured picture and its original's status in one
// statement, and shows each of them; a picture of another tenant named as
// featured shows nothing.
func TestItemPageInOneStatement(t *testing.T) {
	f := newFixture(t)
	so, _ := f.a.Registry.BySlug("so")
	f.picture(f.alpha, "anh-alpha-1")
	f.picture(so, "anh-so-1")
	orig := f.draft(f.alpha, input("Alpha trao học bổng cho học sinh nghèo", "tin-tuc-su-kien", "tre-em", "lao-dong-viec-lam"))
	if _, err := f.a.DB.NewUpdate().Table("posts").Set("featured_media_id = ?", "anh-alpha-1").
		Where("tenant_id = ? AND id = ?", f.alpha.ID, orig.ID).Exec(f.ctx); err != nil {
		t.Fatal(err)
	}
	f.move(f.alpha, orig, post.TransitionInput{To: post.StatusSubmitted})
	f.move(f.alpha, orig, post.TransitionInput{To: post.StatusApproved})
	orig = f.move(f.alpha, orig, post.TransitionInput{To: post.StatusPublished})
	src := f.publish(f.alpha, input("Alpha khai giảng lớp nghề may", "tin-tuc-su-kien"))
	_, cp, err := f.a.Crosspost.Pull(f.ctx, so, f.boss, crosspost.PullInput{Tenant: f.alpha.Slug, Post: src.ID, Publish: true})
	if err != nil {
		t.Fatalf("pull: %v", err)
	}

	qc := &queryCounter{}
	f.a.Prepared.AddQueryHook(qc)
	signedIn := map[string]string{"Authorization": "Bearer x"}
	item := func(host, slug string) page {
		t.Helper()
		pg := f.do(http.MethodGet, host, "/bai-viet/"+slug, signedIn)
		if pg.status != http.StatusOK {
			t.Fatalf("%s/bai-viet/%s: %d", host, slug, pg.status)
		}
		return pg
	}
	item("alpha.localhost", orig.Slug) // the sections, once per generation
	qc.reset()
	pg := item("alpha.localhost", orig.Slug)
	if n := qc.n.Load(); n != 1 {
		t.Errorf("the item page ran %d statements, want 1:\n%s", n, qc)
	}
	if !strings.Contains(pg.body, `srcset="/media/anh-alpha-1/r/320.jpg 320w, /media/anh-alpha-1/r/800.jpg 800w, /media/anh-alpha-1/anh.jpg 1600w"`) {
		t.Error("the item page lacks its featured picture with its renditions")
	}
	fields := between(pg.body, `<p class="fields">`, "</p>")
	if want := `<a href="/chuyen-muc/lao-dong-viec-lam">Lao động – Việc làm</a>, <a href="/chuyen-muc/tre-em">Trẻ em</a>`; !strings.Contains(fields, want) {
		t.Errorf("fields %q, want them named in the sector's order: %s", fields, want)
	}

	// The copy on the Department's site names the unit and links to the
	// original while it is published there.
	if body := item("so.localhost", cp.Slug).body; !strings.Contains(body, `Nguồn: <a href="/nguon/`+cp.Slug+`">`+f.alpha.Name+`</a>`) {
		t.Errorf("the copy does not link to its published original:\n%s", between(body, `<aside class="attribution"`, "</aside>"))
	}
	f.move(f.alpha, src, post.TransitionInput{To: post.StatusUnpublished, Note: "Ngừng đăng để cập nhật số liệu"})
	if body := item("so.localhost", cp.Slug).body; !strings.Contains(body, "Nguồn: "+f.alpha.Name) || strings.Contains(body, `href="/nguon/`) {
		t.Errorf("the copy of an unpublished original still links to it, or no longer names the unit:\n%s", between(body, `<aside class="attribution"`, "</aside>"))
	}

	// Another tenant's picture is not the item's, whatever its row says.
	if _, err := f.a.DB.NewUpdate().Table("posts").Set("featured_media_id = ?", "anh-so-1").
		Where("tenant_id = ? AND id = ?", f.alpha.ID, orig.ID).Exec(f.ctx); err != nil {
		t.Fatal(err)
	}
	if body := item("alpha.localhost", orig.Slug).body; strings.Contains(body, "anh-so-1") {
		t.Error("an item page shows another tenant's picture")
	}
}
