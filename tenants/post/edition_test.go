package post_test

// The workflow has no side doors (the attack report's finding 3): a
// published text changes only through an edition that is reviewed and
// published by someone allowed to; a changed approved text goes back to
// review; nobody approves a text they changed since its submission; a
// force-publisher does not clear "not reviewed" themselves.

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/tenants/post"
)

// edit saves in as key over the item's current version.
func (f *fixture) edit(key, id string, in post.Input) (*post.Post, error) {
	f.tb.Helper()
	cur := f.get(f.m(key).Tenant, id)
	return f.a.Posts.Update(f.ctx, f.tenantOf(key), f.actor(key), id, cur.Version, in)
}

func (f *fixture) refused(t *testing.T, key, id string, in post.TransitionInput) error {
	t.Helper()
	_, err := f.a.Posts.Transition(f.ctx, f.tenantOf(key), f.actor(key), id, in)
	if err == nil {
		t.Fatalf("%s → %s as %s was allowed", id, in.To, key)
	}
	return err
}

func TestEditingAPublishedItemMakesAnEdition(t *testing.T) {
	f := newFixture(t)
	p := f.published("alpha", goodInput("Trung tâm Alpha khai giảng lớp nghề hàn"))
	in := post.InputOf(p)
	in.Title = "Trung tâm Alpha khai giảng lớp nghề hàn khóa hai"
	in.Body = "<p>Nội dung do biên tập viên viết lại, chưa được duyệt.</p>"
	got, err := f.edit("alpha/editor", p.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != post.StatusPublished || got.Title != p.Title || got.Edition == nil || got.Edition.Status != post.StatusDraft {
		t.Fatalf("after the edit: status %s, title %q, edition %+v", got.Status, got.Title, got.Edition)
	}
	live := func() string { return f.public("alpha", "/bai-viet/"+p.Slug).body }
	if b := live(); strings.Contains(b, "viết lại") || strings.Contains(b, "khóa hai") || !strings.Contains(b, p.Title) {
		t.Fatal("the edit reached the public page before review")
	}
	// The editor has no post:publish: neither publishing nor a forced
	// publication works, and a draft edition cannot be approved.
	f.refused(t, "alpha/editor", p.ID, post.TransitionInput{To: post.StatusPublished})
	f.refused(t, "alpha/editor", p.ID, post.TransitionInput{To: post.StatusPublished, Force: true, Note: "Gấp"})
	f.refused(t, "alpha/secretary", p.ID, post.TransitionInput{To: post.StatusApproved})
	f.step("alpha/editor", p.ID, post.TransitionInput{To: post.StatusSubmitted})
	// The one who wrote the edition does not approve it.
	if err := f.refused(t, "alpha/editor", p.ID, post.TransitionInput{To: post.StatusApproved}); !errs.Is(err, errs.KindForbidden) {
		t.Errorf("editor approving their own edition: %v, want 403", err)
	}
	// Approved is not published: the chief publishes.
	f.step("alpha/secretary", p.ID, post.TransitionInput{To: post.StatusApproved})
	if strings.Contains(live(), "viết lại") {
		t.Fatal("an approved edition is live before it is published")
	}
	f.refused(t, "alpha/editor", p.ID, post.TransitionInput{To: post.StatusPublished})
	done := f.step("alpha/chief", p.ID, post.TransitionInput{To: post.StatusPublished})
	if done.Edition != nil || done.Title != in.Title || done.Slug != p.Slug {
		t.Errorf("after publishing the edition: %+v", done)
	}
	if b := live(); !strings.Contains(b, "viết lại") || !strings.Contains(b, "khóa hai") {
		t.Error("the published edition is not on the public page")
	}
	rs, err := post.Revisions(f.ctx, f.db, f.T["alpha"].ID, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if rs[0].Kind != "publish" || rs[0].Title != in.Title || rs[1].Kind != "edition" {
		t.Errorf("newest revisions %s %q, %s; want publish of the new title over the edition", rs[0].Kind, rs[0].Title, rs[1].Kind)
	}
	trs, err := post.Transitions(f.ctx, f.db, f.T["alpha"].ID, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	last := trs[len(trs)-1]
	if !last.Edition || last.From != post.StatusApproved || last.To != post.StatusPublished {
		t.Errorf("last step %+v, want the edition approved → published", last)
	}
}

func TestEditionRules(t *testing.T) {
	f := newFixture(t)
	t.Run("a contributor proposes an edition of their published item", func(t *testing.T) {
		p := f.published("alpha", goodInput("Bài của cộng tác viên đã đăng"))
		in := post.InputOf(p)
		in.Summary = "Sa-pô do cộng tác viên sửa sau khi đăng."
		got, err := f.edit("alpha/contributor", p.ID, in)
		if err != nil || got.Edition == nil || got.Summary != p.Summary {
			t.Fatalf("%v %+v", err, got)
		}
		f.step("alpha/contributor", p.ID, post.TransitionInput{To: post.StatusSubmitted})
		// Submitted: no longer theirs to change.
		if _, err := f.edit("alpha/contributor", p.ID, in); !errs.Is(err, errs.KindForbidden) {
			t.Errorf("contributor editing a submitted edition: %v", err)
		}
		f.step("alpha/editor", p.ID, post.TransitionInput{To: post.StatusReturned, Note: "Ngắn hơn"})
		if _, err := f.edit("alpha/contributor", p.ID, in); err != nil {
			t.Errorf("contributor editing a returned edition: %v", err)
		}
	})
	t.Run("editing an approved edition sends it back to review", func(t *testing.T) {
		p := f.published("alpha", goodInput("Bài có bản sửa đã duyệt"))
		in := post.InputOf(p)
		in.Summary = "Bản sửa thứ nhất."
		if _, err := f.edit("alpha/secretary", p.ID, in); err != nil {
			t.Fatal(err)
		}
		f.step("alpha/secretary", p.ID, post.TransitionInput{To: post.StatusSubmitted})
		f.step("alpha/deputy", p.ID, post.TransitionInput{To: post.StatusApproved})
		in.Summary = "Bản sửa thứ hai, viết sau khi đã duyệt."
		got, err := f.edit("alpha/editor", p.ID, in)
		if err != nil || got.Edition.Status != post.StatusSubmitted {
			t.Fatalf("%v, edition %+v", err, got.Edition)
		}
		if err := f.refused(t, "alpha/chief", p.ID, post.TransitionInput{To: post.StatusPublished}); !errs.Is(err, errs.KindConflict) {
			t.Errorf("publishing the re-opened edition: %v, want 409 not approved", err)
		}
		f.refused(t, "alpha/editor", p.ID, post.TransitionInput{To: post.StatusApproved})
	})
	t.Run("withdrawing the item discards its edition", func(t *testing.T) {
		p := f.published("alpha", goodInput("Bài có bản sửa rồi bị gỡ"))
		in := post.InputOf(p)
		in.Summary = "Bản sửa sẽ bị hủy."
		if _, err := f.edit("alpha/editor", p.ID, in); err != nil {
			t.Fatal(err)
		}
		got := f.step("alpha/chief", p.ID, post.TransitionInput{To: post.StatusWithdrawn, Note: "Sai số liệu"})
		if got.Status != post.StatusWithdrawn || got.Edition != nil {
			t.Errorf("after withdrawal: %s, edition %+v", got.Status, got.Edition)
		}
		if err := post.LoadEdition(f.ctx, f.db, got); err != nil || got.Edition != nil {
			t.Errorf("edition still stored: %v %+v", err, got.Edition)
		}
		// A withdrawn item still shows its text with the notice: it is not
		// edited in place either.
		if _, err := f.edit("alpha/editor", p.ID, in); !errs.Is(err, errs.KindConflict) {
			t.Errorf("editing a withdrawn item: %v, want 409", err)
		}
	})
	t.Run("discarding an edition keeps the live text and the edition's revision", func(t *testing.T) {
		p := f.published("alpha", goodInput("Bài có bản sửa bị hủy"))
		in := post.InputOf(p)
		in.Summary = "Bản sửa không dùng nữa."
		if _, err := f.edit("alpha/editor", p.ID, in); err != nil {
			t.Fatal(err)
		}
		got, err := f.a.Posts.DiscardEdition(f.ctx, f.T["alpha"], f.actor("alpha/editor"), p.ID)
		if err != nil || got.Edition != nil || got.Summary != p.Summary {
			t.Fatalf("%v %+v", err, got)
		}
		rs, _ := post.Revisions(f.ctx, f.db, f.T["alpha"].ID, p.ID)
		if rs[0].Kind != "edition" || rs[0].Summary != in.Summary {
			t.Errorf("newest revision %s %q, want the discarded edition", rs[0].Kind, rs[0].Summary)
		}
		if _, err := f.a.Posts.DiscardEdition(f.ctx, f.T["alpha"], f.actor("alpha/editor"), p.ID); !errs.Is(err, errs.KindConflict) {
			t.Errorf("discarding twice: %v", err)
		}
	})
	t.Run("an edit based on an old version of the edition is a conflict", func(t *testing.T) {
		p := f.published("alpha", goodInput("Bài sửa cùng lúc"))
		in := post.InputOf(p)
		in.Summary = "Người thứ nhất."
		if _, err := f.a.Posts.Update(f.ctx, f.T["alpha"], f.actor("alpha/editor"), p.ID, p.Version, in); err != nil {
			t.Fatal(err)
		}
		in.Summary = "Người thứ hai."
		_, err := f.a.Posts.Update(f.ctx, f.T["alpha"], f.actor("alpha/editor2"), p.ID, p.Version, in)
		var conflict *post.ConflictError
		if !errors.As(err, &conflict) || conflict.Current.Summary != "Người thứ nhất." {
			t.Fatalf("second edit: %v, want a conflict showing the first edition", err)
		}
		if got := f.get("alpha", p.ID); got.Summary != p.Summary {
			t.Errorf("live text changed: %q", got.Summary)
		}
	})
	t.Run("the API shows the live text and the edition beside it", func(t *testing.T) {
		p := f.published("alpha", goodInput("Bài xem qua API có bản sửa"))
		in := post.InputOf(p)
		in.Summary = "Sa-pô của bản sửa."
		if _, err := f.edit("alpha/editor", p.ID, in); err != nil {
			t.Fatal(err)
		}
		v := view(t, f.api(http.MethodGet, itemPath("alpha", p.ID), "alpha/editor", nil), http.StatusOK)
		if v.Summary != p.Summary || v.Status != post.StatusPublished || v.Edition == nil ||
			v.Edition.Summary != in.Summary || v.Edition.Status != post.StatusDraft {
			t.Errorf("API view %+v, edition %+v", v, v.Edition)
		}
	})
}

// TestApprovedTextChangedGoesBackToReview is the attack's second door: an
// editor rewrote an approved item and it was published as rewritten.
func TestApprovedTextChangedGoesBackToReview(t *testing.T) {
	f := newFixture(t)
	for _, st := range []post.Status{post.StatusApproved, post.StatusScheduled} {
		t.Run(string(st), func(t *testing.T) {
			p := f.atState(t, st, "Bài "+string(st)+" bị viết lại")
			in := post.InputOf(p)
			in.Body = "<p>Viết lại sau khi đã duyệt.</p>"
			got, err := f.edit("alpha/editor", p.ID, in)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != post.StatusSubmitted || got.ScheduledAt != nil {
				t.Fatalf("after the edit: %s, scheduled %v; want submitted, no schedule", got.Status, got.ScheduledAt)
			}
			if err := f.refused(t, "alpha/chief", p.ID, post.TransitionInput{To: post.StatusPublished}); !errs.Is(err, errs.KindConflict) {
				t.Errorf("publishing the rewritten item: %v, want 409", err)
			}
			f.refused(t, "alpha/editor", p.ID, post.TransitionInput{To: post.StatusApproved})
			f.step("alpha/secretary", p.ID, post.TransitionInput{To: post.StatusApproved})
		})
	}
}

// TestNobodyApprovesWhatTheyChanged is the third door: an editor rewrote a
// contributor's submitted item and approved it.
func TestNobodyApprovesWhatTheyChanged(t *testing.T) {
	f := newFixture(t)
	for _, key := range []string{"alpha/editor", "alpha/chief"} {
		t.Run(key, func(t *testing.T) {
			p := f.atState(t, post.StatusSubmitted, "Bài chờ duyệt bị "+key+" viết lại")
			in := post.InputOf(p)
			in.Body = "<p>Viết lại khi bài đang chờ duyệt.</p>"
			if _, err := f.edit(key, p.ID, in); err != nil {
				t.Fatal(err)
			}
			if err := f.refused(t, key, p.ID, post.TransitionInput{To: post.StatusApproved}); !errs.Is(err, errs.KindForbidden) {
				t.Errorf("approving after changing it: %v, want 403", err)
			}
			f.step("alpha/secretary", p.ID, post.TransitionInput{To: post.StatusApproved})
		})
	}
	t.Run("a change before the submission does not count", func(t *testing.T) {
		p := f.create("alpha/contributor", goodInput("Bài được biên tập trước khi gửi"))
		in := post.InputOf(p)
		in.Summary = "Biên tập viên sửa bản nháp."
		if _, err := f.edit("alpha/editor", p.ID, in); err != nil {
			t.Fatal(err)
		}
		f.step("alpha/contributor", p.ID, post.TransitionInput{To: post.StatusSubmitted})
		f.step("alpha/editor", p.ID, post.TransitionInput{To: post.StatusApproved})
	})
}

// TestForcePublisherDoesNotClearNotReviewed is the fourth door: the
// editor-in-chief force-published someone's draft and then approved it.
func TestForcePublisherDoesNotClearNotReviewed(t *testing.T) {
	f := newFixture(t)
	for _, second := range []bool{false, true} {
		name := "second reviewer off"
		if second {
			name = "second reviewer always"
		}
		t.Run(name, func(t *testing.T) {
			if err := post.SaveSettings(f.ctx, f.db, &post.Settings{TenantID: f.T["alpha"].ID, AlwaysSecondReviewer: second}, time.Now()); err != nil {
				t.Fatal(err)
			}
			p := f.create("alpha/contributor", goodInput("Bài đăng gấp "+name))
			got := f.step("alpha/chief", p.ID, post.TransitionInput{To: post.StatusPublished, Force: true, Note: "Tin khẩn"})
			if !got.NotReviewed {
				t.Fatal("forced item not marked")
			}
			if err := f.refused(t, "alpha/chief", p.ID, post.TransitionInput{To: post.StatusApproved}); !errs.Is(err, errs.KindForbidden) {
				t.Errorf("force-publisher approving: %v, want 403", err)
			}
			if cur := f.get("alpha", p.ID); !cur.NotReviewed {
				t.Error("the refused approval cleared the mark")
			}
			done := f.step("alpha/deputy", p.ID, post.TransitionInput{To: post.StatusApproved})
			if done.NotReviewed || done.Status != post.StatusPublished {
				t.Errorf("after another reviewer: %+v", done)
			}
		})
	}
}
