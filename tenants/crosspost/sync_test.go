package crosspost_test

import (
	"context"
	"strings"
	"testing"

	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/tenants/crosspost"
	"github.com/trangtin/trangtin/tenants/post"
)

// accepted sends a published item of slug to so and accepts it.
func (w *world) accepted(slug, title, body string, publish bool) (*post.Post, *crosspost.Submission, *post.Post) {
	w.t.Helper()
	orig := w.published(slug, title, body)
	sub := w.send(slug, orig.ID, "")
	sub, cp, err := w.xp.Accept(context.Background(), w.tn("so"), all("so"), sub.ID, crosspost.AcceptInput{Publish: publish})
	if err != nil {
		w.t.Fatalf("accept: %v", err)
	}
	return orig, sub, cp
}

func TestSourceChangedThenUpdate(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	orig, sub, cp := w.accepted("alpha", "Tập huấn an toàn lao động", cleanBody, true)
	// Filing changes (fields) do not mark the copy.
	orig, err := w.posts.Update(ctx, w.tn("alpha"), all("bt"), orig.ID, orig.Version, post.Input{
		Title: orig.Title, Summary: orig.Summary, Body: orig.Body, Fields: []string{"tre-em", "giam-ngheo"},
	})
	if err != nil {
		t.Fatal(err)
	}
	orig = w.publishEdition("alpha", orig.ID)
	if w.get("so", cp.ID).SourceChanged {
		t.Fatal("a change of fields marked the copy")
	}
	orig, err = w.posts.Update(ctx, w.tn("alpha"), all("bt"), orig.ID, orig.Version, post.Input{
		Title: orig.Title, Summary: orig.Summary, Body: "<p>Hơn 300 công nhân được tập huấn an toàn lao động.</p>", Fields: orig.Fields,
	})
	if err != nil {
		t.Fatal(err)
	}
	if w.get("so", cp.ID).SourceChanged {
		t.Fatal("an edition not yet published marked the copy")
	}
	orig = w.publishEdition("alpha", orig.ID)
	got := w.get("so", cp.ID)
	if !got.SourceChanged || got.Body != cp.Body || got.Version != cp.Version {
		t.Fatalf("copy after the original's edit: changed=%v body=%q version %d", got.SourceChanged, got.Body, got.Version)
	}
	if !strings.Contains(w.notifications("so"), "đã thay đổi") {
		t.Error("so's board was not told of the change")
	}
	d, err := w.xp.Diff(ctx, w.tn("so"), cp.ID)
	if err != nil {
		t.Fatal(err)
	}
	var added, removed string
	for _, p := range d.Body {
		if p.Added() {
			added += p.Text
		}
		if p.Removed() {
			removed += p.Text
		}
	}
	if !d.Changed || !strings.Contains(added, "Hơn 300") || !strings.Contains(removed, "Hội nghị tổng kết") {
		t.Errorf("diff +%q -%q", added, removed)
	}
	up, err := w.xp.UpdateFromSource(ctx, w.tn("so"), all("so"), cp.ID)
	if err != nil {
		t.Fatal(err)
	}
	got = w.get("so", cp.ID)
	// The copy is published: the source's text waits as its edition, and
	// the mark is cleared (the board took the change).
	if got.SourceChanged || got.Body != cp.Body || up.Edition == nil || up.Edition.Body != orig.Body ||
		got.Version != cp.Version+1 || up.OriginRevision <= sub.OriginRevision {
		t.Errorf("copy after update: changed=%v version %d body %q rev %d", got.SourceChanged, got.Version, got.Body, got.OriginRevision)
	}
	if got = w.publishEdition("so", cp.ID); got.Body != orig.Body || got.SourceChanged {
		t.Errorf("copy after its edition was published: changed=%v body %q", got.SourceChanged, got.Body)
	}
	if h := w.history(sub); h[len(h)-1] != "source_updated" {
		t.Errorf("history %v", h)
	}
}

func TestWithdrawOriginalTakesCopyDown(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	orig, sub, cp := w.accepted("alpha", "Tin sẽ bị gỡ", cleanBody, true)
	draftOrig, _, draftCopy := w.accepted("alpha", "Tin nhận làm nháp", cleanBody, false)
	// The withdrawal and the copy's take-down are one transaction: when
	// Transition returns, the copy is down.
	w.step("alpha", orig.ID, post.StatusWithdrawn, "Thông tin chưa chính xác")
	got := w.get("so", cp.ID)
	if got.Status != post.StatusWithdrawn || got.WithdrawReason != crosspost.WithdrawNotice || got.WithdrawnAt == nil {
		t.Fatalf("copy %s %q", got.Status, got.WithdrawReason)
	}
	s, err := crosspost.Get(ctx, w.db, sub.ParentTenantID, sub.ID)
	if err != nil || s.State != crosspost.StateWithdrawn {
		t.Fatalf("submission %+v %v", s, err)
	}
	if !strings.Contains(w.notifications("so"), "gỡ tự động") {
		t.Errorf("so was not told:\n%s", w.notifications("so"))
	}
	// A copy not yet public is unpublished, never shown with a notice.
	w.step("alpha", draftOrig.ID, post.StatusUnpublished, "Ngừng đăng")
	if got := w.get("so", draftCopy.ID); got.Status != post.StatusUnpublished {
		t.Errorf("draft copy %s", got.Status)
	}
	// A pending submission is withdrawn with its item.
	pending := w.published("beta", "Đang chờ", cleanBody)
	ps := w.send("beta", pending.ID, "")
	w.step("beta", pending.ID, post.StatusWithdrawn, "Gỡ")
	if s, _ := crosspost.Get(ctx, w.db, ps.ParentTenantID, ps.ID); s.State != crosspost.StateWithdrawn {
		t.Errorf("pending submission %s", s.State)
	}
	_, _, err = w.xp.Accept(ctx, w.tn("so"), all("so"), ps.ID, crosspost.AcceptInput{})
	wantCode(t, err, "not_pending")
}

func TestWithdrawalFollowsCopiesOfCopies(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	orig := w.published("con", "Tin hai tầng", cleanBody)
	sub := w.send("con", orig.ID, "")
	_, mid, err := w.xp.Accept(ctx, w.tn("alpha"), all("alpha"), sub.ID, crosspost.AcceptInput{Publish: true})
	if err != nil {
		t.Fatal(err)
	}
	top := w.send("alpha", mid.ID, "")
	if top.Counts {
		t.Error("a copy sent on counts for the quota")
	}
	_, cp, err := w.xp.Accept(ctx, w.tn("so"), all("so"), top.ID, crosspost.AcceptInput{Publish: true})
	if err != nil {
		t.Fatal(err)
	}
	w.step("con", orig.ID, post.StatusWithdrawn, "Gỡ")
	if a, s := w.get("alpha", mid.ID), w.get("so", cp.ID); a.Status != post.StatusWithdrawn || s.Status != post.StatusWithdrawn {
		t.Errorf("alpha's copy %s, so's copy %s", a.Status, s.Status)
	}
}

func TestMediaIsCopiedNotLinked(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	alpha, so := w.tn("alpha").ID, w.tn("so").ID
	pic := "/media/" + alpha + "/anh-hoi-nghi.jpg"
	w.media.put(pic)
	body := `<p>Toàn cảnh hội nghị tổng kết công tác năm của đơn vị.</p><figure><img src="` + pic + `" alt="Hội nghị"><figcaption>Toàn cảnh hội nghị</figcaption></figure>`
	_, _, cp := w.accepted("alpha", "Tin có ảnh", body, true)
	if strings.Contains(cp.Body, "/media/"+alpha+"/") || !strings.Contains(cp.Body, "/media/"+so+"/anh-hoi-nghi.jpg") {
		t.Fatalf("copy body links the sender's media: %s", cp.Body)
	}
	// The unit deletes its picture: the copy still has its own.
	w.media.remove(pic)
	if !w.media.has("/media/" + so + "/anh-hoi-nghi.jpg") {
		t.Error("the parent's copy of the picture went with the original")
	}
	// Without a media copier an item with pictures is not copied at all.
	w.xp.CopyMedia = nil
	orig := w.published("beta", "Tin có ảnh khác", body)
	sub := w.send("beta", orig.ID, "")
	_, _, err := w.xp.Accept(ctx, w.tn("so"), all("so"), sub.ID, crosspost.AcceptInput{})
	if errs.KindOf(err) != errs.KindUnavailable {
		t.Fatalf("accept without media copying: %v", err)
	}
	if s, _ := crosspost.Get(ctx, w.db, sub.ParentTenantID, sub.ID); s.State != crosspost.StateSent {
		t.Errorf("failed accept left the submission %s", s.State)
	}
}

func TestWordDiff(t *testing.T) {
	parts := crosspost.WordDiff("một hai ba", "một bốn ba năm")
	var got string
	for _, p := range parts {
		got += p.Op + "[" + p.Text + "]"
	}
	if want := "=[một ]-[hai]+[bốn]=[ ba]+[ năm]"; got != want {
		t.Errorf("diff %s", got)
	}
	if p := crosspost.WordDiff("x", "x"); len(p) != 1 || p[0].Op != "=" {
		t.Errorf("equal texts %v", p)
	}
}

func TestAcceptCopiesWhatWasSent(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	orig := w.published("alpha", "Tin gửi đi", cleanBody)
	// A stale edit is kept as a "conflict" revision: text never saved,
	// never sent.
	stale := orig.Version + 5
	_, err := w.posts.Update(ctx, w.tn("alpha"), all("bt"), orig.ID, stale, post.Input{
		Title: orig.Title, Summary: orig.Summary, Body: "<p>Bản xung đột chưa lưu.</p>", Fields: orig.Fields,
	})
	if err == nil {
		t.Fatal("a stale edit was saved")
	}
	sub := w.send("alpha", orig.ID, "")
	// Edited after sending: the board accepts what was sent, marked changed.
	cur := w.get("alpha", orig.ID)
	if _, err := w.posts.Update(ctx, w.tn("alpha"), all("bt"), orig.ID, cur.Version, post.Input{
		Title: orig.Title, Summary: orig.Summary, Body: "<p>Sửa sau khi gửi.</p>", Fields: orig.Fields,
	}); err != nil {
		t.Fatal(err)
	}
	w.publishEdition("alpha", orig.ID)
	_, cp, err := w.xp.Accept(ctx, w.tn("so"), all("so"), sub.ID, crosspost.AcceptInput{})
	if err != nil {
		t.Fatal(err)
	}
	if cp.Body != orig.Body || !cp.SourceChanged {
		t.Errorf("copy body %q changed=%v, want the text sent, marked changed", cp.Body, cp.SourceChanged)
	}
}
