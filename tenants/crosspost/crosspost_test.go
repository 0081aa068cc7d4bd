package crosspost_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/web"
	"github.com/trangtin/trangtin/tenants/crosspost"
	"github.com/trangtin/trangtin/tenants/post"
)

const cleanBody = "<p>Hội nghị tổng kết công tác năm đã diễn ra tại hội trường của đơn vị.</p>"

func TestSendAcceptPublish(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	orig := w.published("alpha", "Tổng kết công tác năm", cleanBody)
	sub := w.send("alpha", orig.ID, "Kính gửi Ban Biên tập")
	if sub.State != crosspost.StateSent || !sub.Counts || sub.ParentTenantID != w.tn("so").ID || sub.OriginRevision < 1 {
		t.Fatalf("submission %+v", sub)
	}
	if got := w.inbox("so", crosspost.Filter{}); len(got) != 1 || got[0].ID != sub.ID {
		t.Fatalf("so's inbox %+v", got)
	}
	if !strings.Contains(w.notifications("so"), "Tổng kết công tác năm") {
		t.Error("so's board was not told")
	}
	_, err := w.xp.Send(ctx, w.tn("alpha"), all("x"), orig.ID, "")
	wantCode(t, err, "already_sent")

	sub, cp, err := w.xp.Accept(ctx, w.tn("so"), all("truong-ban-so"), sub.ID, crosspost.AcceptInput{Publish: true, Note: "Tốt"})
	if err != nil {
		t.Fatal(err)
	}
	if sub.State != crosspost.StateAccepted || sub.AcceptedPostID == nil || *sub.AcceptedPostID != cp.ID || sub.DecidedAt == nil {
		t.Fatalf("accepted submission %+v", sub)
	}
	cp = w.get("so", cp.ID)
	if cp.Status != post.StatusPublished || cp.Title != orig.Title || *cp.OriginTenantID != w.tn("alpha").ID ||
		*cp.OriginPostID != orig.ID || cp.OriginRevision != sub.OriginRevision || cp.SourceChanged {
		t.Fatalf("copy %+v", cp)
	}
	if w.get("alpha", orig.ID).Status != post.StatusPublished {
		t.Error("the original changed")
	}
	attr, err := post.PublicAttribution(ctx, w.db, cp)
	if err != nil || attr == nil || attr.FromName != "Trung tâm Alpha" || attr.FromURL != post.OriginPath(cp) {
		t.Errorf("attribution %+v, %v", attr, err)
	}
	if !strings.Contains(w.notifications("alpha"), "đã nhận bài") {
		t.Errorf("alpha was not told:\n%s", w.notifications("alpha"))
	}
	if got := w.history(sub); !slices.Equal(got, []string{"sent", "accepted"}) {
		t.Errorf("history %v", got)
	}
	_, _, err = w.xp.Accept(ctx, w.tn("so"), all("x"), sub.ID, crosspost.AcceptInput{})
	wantCode(t, err, "not_pending")
}

func TestReturnEditResendIsOneSubmission(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	orig := w.published("alpha", "Ngày hội việc làm", cleanBody)
	first := w.send("alpha", orig.ID, "")
	_, err := w.xp.Return(ctx, w.tn("so"), all("so"), first.ID, "  ")
	wantCode(t, err, "note_required")
	if _, err := w.xp.Return(ctx, w.tn("so"), all("so"), first.ID, "Bổ sung ảnh và số liệu"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(w.notifications("alpha"), "Bổ sung ảnh và số liệu") {
		t.Error("the return note did not reach alpha")
	}
	if _, err := w.posts.Update(ctx, w.tn("alpha"), all("bt"), orig.ID, orig.Version, post.Input{
		Title: orig.Title, Summary: orig.Summary, Body: cleanBody + "<p>Có 1.200 người lao động tham gia.</p>", Fields: orig.Fields,
	}); err != nil {
		t.Fatal(err)
	}
	// The item is published: what is sent is its live text, so the edit
	// goes through the unit's own review first.
	w.publishEdition("alpha", orig.ID)
	time.Sleep(5 * time.Millisecond)
	again := w.send("alpha", orig.ID, "Đã bổ sung")
	if again.ID != first.ID || !again.FirstSentAt.Equal(first.FirstSentAt) || !again.SentAt.After(first.SentAt) ||
		again.OriginRevision <= first.OriginRevision || again.DecidedAt != nil {
		t.Fatalf("re-send %+v\nfirst %+v", again, first)
	}
	_, cp, err := w.xp.Accept(ctx, w.tn("so"), all("so"), again.ID, crosspost.AcceptInput{})
	if err != nil {
		t.Fatal(err)
	}
	if cp.Status != post.StatusDraft || !strings.Contains(cp.Body, "1.200 người") {
		t.Errorf("copy %s %q", cp.Status, cp.Body)
	}
	if n := len(w.inbox("so", crosspost.Filter{})); n != 1 {
		t.Errorf("%d submissions, want one", n)
	}
	if got := w.history(again); !slices.Equal(got, []string{"sent", "returned", "resent", "accepted"}) {
		t.Errorf("history %v", got)
	}
}

func TestRefuse(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	sub := w.send("alpha", w.published("alpha", "Tin trùng", cleanBody).ID, "")
	for _, tt := range []struct {
		reason crosspost.Reason
		note   string
		code   string
	}{{"", "x", "reason_invalid"}, {"boring", "x", "reason_invalid"}, {crosspost.ReasonDuplicate, "", "note_required"}} {
		_, err := w.xp.Refuse(ctx, w.tn("so"), all("so"), sub.ID, tt.reason, tt.note)
		wantCode(t, err, tt.code)
	}
	got, err := w.xp.Refuse(ctx, w.tn("so"), all("so"), sub.ID, crosspost.ReasonDuplicate, "Đã đăng tin này")
	if err != nil || got.State != crosspost.StateRefused || *got.RefuseReason != "duplicate" {
		t.Fatalf("%+v %v", got, err)
	}
	_, err = w.xp.Send(ctx, w.tn("alpha"), all("x"), sub.PostID, "")
	wantCode(t, err, "already_refused")
}

func TestWhatCanBeSent(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	_, err := w.xp.Send(ctx, w.tn("so"), all("x"), w.draft("so", "Bài của Sở", cleanBody).ID, "")
	wantCode(t, err, "no_parent")
	if web.Status(err) != 422 {
		t.Errorf("no parent answers %d, want 422", web.Status(err))
	}
	_, err = w.xp.Send(ctx, w.tn("alpha"), all("x"), w.draft("alpha", "Bản nháp", cleanBody).ID, "")
	wantCode(t, err, "not_approved")
	// An office has no site: its drafts go up as they are, by their author
	// or an editor.
	d := w.draft("gamma", "Bản nháp của phòng", cleanBody)
	_, err = w.xp.Send(ctx, w.tn("gamma"), only("someone-else", authz.PostSubmitParent), d.ID, "")
	wantCode(t, err, "forbidden")
	if sub := w.send("gamma", d.ID, ""); sub.State != crosspost.StateSent {
		t.Errorf("office draft: %+v", sub)
	}
	_, err = w.xp.Send(ctx, w.tn("alpha"), only("x", authz.PostCreate), w.published("alpha", "Không quyền", cleanBody).ID, "")
	wantCode(t, err, "forbidden")
	// The unit of a unit sends to its own parent; the grandparent's inbox
	// does not show it.
	sub := w.send("con", w.published("con", "Tin của cơ sở con", cleanBody).ID, "")
	if sub.ParentTenantID != w.tn("alpha").ID || len(w.inbox("alpha", crosspost.Filter{})) != 1 {
		t.Errorf("con's item went to %s", sub.ParentTenantID)
	}
	for _, s := range w.inbox("so", crosspost.Filter{}) {
		if s.ChildTenantID == w.tn("con").ID {
			t.Error("so's inbox shows a grandchild's submission")
		}
	}
}

func TestInboxFilters(t *testing.T) {
	w := newWorld(t)
	a := w.send("alpha", w.published("alpha", "Tin Alpha", cleanBody).ID, "")
	w.send("beta", w.published("beta", "Tin Beta", cleanBody).ID, "")
	week := func(tm time.Time) string {
		y, n := tm.In(time.FixedZone("ICT", 7*3600)).ISOWeek()
		return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC).Format("2006") + "-W" + twoDigits(n)
	}
	for _, tt := range []struct {
		name string
		f    crosspost.Filter
		want int
	}{
		{"all", crosspost.Filter{}, 2},
		{"sender", crosspost.Filter{Sender: w.tn("alpha").ID}, 1},
		{"field", crosspost.Filter{Field: "tre-em"}, 2},
		{"other field", crosspost.Filter{Field: "giam-ngheo"}, 0},
		{"type", crosspost.Filter{Type: post.TypeNews}, 2},
		{"state", crosspost.Filter{State: crosspost.StateAccepted}, 0},
		{"this week", crosspost.Filter{Week: week(a.FirstSentAt)}, 2},
		{"another week", crosspost.Filter{Week: week(a.FirstSentAt.AddDate(0, 0, -7))}, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := w.inbox("so", tt.f); len(got) != tt.want {
				t.Errorf("%d submissions, want %d", len(got), tt.want)
			}
		})
	}
}

func twoDigits(n int) string { return string(rune('0'+n/10)) + string(rune('0'+n%10)) }

func TestWeekStart(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"2026-W01", "2025-12-28T17:00:00Z"}, {"2024-W53", ""}, {"2020-W53", "2020-12-27T17:00:00Z"},
		{"2026-W00", ""}, {"2026-48", ""}, {"26-W48", ""}, {"2026-W48", "2026-11-22T17:00:00Z"},
	} {
		got, err := crosspost.WeekStart(tt.in)
		if tt.want == "" {
			if err == nil {
				t.Errorf("%s: %v, want an error", tt.in, got)
			}
			continue
		}
		if err != nil || got.Format(time.RFC3339) != tt.want {
			t.Errorf("%s: %v %v, want %s", tt.in, got, err, tt.want)
		}
	}
}

func TestPull(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	orig := w.published("alpha", "Tin được lấy", cleanBody)
	cs, err := w.xp.Candidates(ctx, w.tn("so"), crosspost.CandidateFilter{Query: "được lấy"})
	if err != nil || len(cs) != 1 || cs[0].Post.ID != orig.ID || cs[0].Taken != nil {
		t.Fatalf("candidates %+v %v", cs, err)
	}
	sub, cp, err := w.xp.Pull(ctx, w.tn("so"), all("so"), crosspost.PullInput{Tenant: "alpha", Post: orig.ID, Publish: true})
	if err != nil {
		t.Fatal(err)
	}
	if sub.Origin != crosspost.OriginPulled || sub.State != crosspost.StateAccepted || sub.Counts || cp.Status != post.StatusPublished {
		t.Fatalf("pulled %+v, copy %s", sub, cp.Status)
	}
	_, _, err = w.xp.Pull(ctx, w.tn("so"), all("so"), crosspost.PullInput{Tenant: "alpha", Post: orig.ID})
	wantCode(t, err, "already_accepted")
	_, err = w.xp.Send(ctx, w.tn("alpha"), all("x"), orig.ID, "")
	wantCode(t, err, "already_accepted")
	// Only descendants, only published items.
	other := w.published("beta", "Tin của Beta", cleanBody)
	_, _, err = w.xp.Pull(ctx, w.tn("alpha"), all("alpha"), crosspost.PullInput{Tenant: "beta", Post: other.ID})
	wantCode(t, err, "post_not_found")
	_, _, err = w.xp.Pull(ctx, w.tn("so"), all("so"), crosspost.PullInput{Tenant: "beta", Post: w.draft("beta", "Nháp", cleanBody).ID})
	wantCode(t, err, "post_not_found")
	_, _, err = w.xp.Pull(ctx, w.tn("so"), only("so", authz.InboxView), crosspost.PullInput{Tenant: "beta", Post: other.ID})
	wantCode(t, err, "forbidden")
	// A grandparent pulls a grandchild's item.
	g := w.published("con", "Tin của cơ sở con", cleanBody)
	if _, _, err := w.xp.Pull(ctx, w.tn("so"), all("so"), crosspost.PullInput{Tenant: "con", Post: g.ID}); err != nil {
		t.Errorf("grandparent pull: %v", err)
	}
}
