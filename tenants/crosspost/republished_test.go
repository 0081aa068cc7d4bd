package crosspost_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/trangtin/trangtin/platform/web"
	"github.com/trangtin/trangtin/tenants/crosspost"
	"github.com/trangtin/trangtin/tenants/post"
)

func (w *world) agreement(slug, outlet, signed, expires string) string {
	w.t.Helper()
	a, err := w.xp.AddAgreement(context.Background(), w.tn(slug), all("tk"), crosspost.AgreementInput{
		Outlet: outlet, Reference: "TT-" + signed + "-" + outlet, SignedOn: signed, ExpiresOn: expires, Scope: "Đăng lại tin bài"})
	if err != nil {
		w.t.Fatalf("agreement: %v", err)
	}
	return a.ID
}

func republishedInput(agreement string) post.Input {
	return post.Input{Title: "Chính sách mới về bảo hiểm thất nghiệp", Summary: "Từ tháng tới, người lao động được hỗ trợ thêm.",
		Body: cleanBody, Type: post.TypeRepublished, Fields: []string{"tien-luong-bhxh"},
		Source: &post.SourceInput{Outlet: "Báo Lao Động", URL: "https://laodong.vn/bai-goc-123.ldo", Author: "Minh Anh",
			PublishedAt: ago(3 * time.Hour), AgreementID: agreement}}
}

func TestRepublishedCreation(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	valid := w.agreement("alpha", "Báo Lao Động", "01/01/2024", "")
	expired := w.agreement("alpha", "Báo Lao Động", "01/01/2020", "31/12/2020")
	other := w.agreement("alpha", "Báo Nhân Dân", "01/01/2024", "")
	bad := func(edit func(in *post.Input), code string) {
		t.Helper()
		in := republishedInput(valid)
		src := *in.Source
		in.Source = &src
		edit(&in)
		_, err := w.posts.Create(ctx, w.tn("alpha"), all("a"), in)
		wantCode(t, err, code)
	}
	bad(func(in *post.Input) { in.Source = nil }, "source_required")
	bad(func(in *post.Input) { in.Source.URL = "javascript:alert(1)" }, "source_url_invalid")
	bad(func(in *post.Input) { in.Source.URL = "laodong.vn/x" }, "source_url_invalid")
	bad(func(in *post.Input) { in.Source.PublishedAt = nil }, "source_time_required")
	bad(func(in *post.Input) { in.Source.AgreementID = "" }, "agreement_required")
	bad(func(in *post.Input) { in.Source.AgreementID = "khong-co" }, "agreement_unknown")
	bad(func(in *post.Input) { in.Source.AgreementID = expired }, "agreement_expired")
	bad(func(in *post.Input) { in.Source.AgreementID = other }, "agreement_outlet_mismatch")
	// Another tenant's agreement is not in this tenant's register.
	bad(func(in *post.Input) {
		in.Source.AgreementID = w.agreement("beta", "Báo Lao Động", "01/01/2024", "")
	}, "agreement_unknown")
	p, err := w.posts.Create(ctx, w.tn("alpha"), all("a"), republishedInput(valid))
	if err != nil {
		t.Fatal(err)
	}
	if p.ContentFingerprint != post.Fingerprint(p) || p.SourceOutlet != "Báo Lao Động" || *p.AgreementID != valid {
		t.Errorf("republished item %+v", p)
	}
	if _, err := w.xp.AddAgreement(ctx, w.tn("alpha"), all("x"), crosspost.AgreementInput{
		Outlet: "Báo Lao Động", Reference: "TT-01/01/2024-Báo Lao Động", SignedOn: "2024-02-01"}); err == nil {
		t.Error("a duplicate agreement reference was accepted")
	}
}

func TestRepublishedIsLocked(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	p, err := w.posts.Create(ctx, w.tn("alpha"), all("a"), republishedInput(w.agreement("alpha", "Báo Lao Động", "01/01/2024", "")))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		edit func(in *post.Input)
	}{
		{"title", func(in *post.Input) { in.Title += " (cập nhật)" }},
		{"summary", func(in *post.Input) { in.Summary = "Khác" }},
		{"body cut", func(in *post.Input) { in.Body = "<p>Rút gọn.</p>" }},
		{"picture added", func(in *post.Input) { in.Body += `<p><img src="/media/x/anh.jpg" alt="Ảnh"></p>` }},
		{"byline", func(in *post.Input) { in.Byline = "Người khác" }},
		{"type", func(in *post.Input) { in.Type = post.TypeNews }},
		{"source", func(in *post.Input) { in.Source = &post.SourceInput{URL: "https://khac.vn/x"} }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			// Every role, even one holding every permission.
			in := post.InputOf(p)
			tt.edit(&in)
			_, err := w.posts.Update(ctx, w.tn("alpha"), all("truong-ban"), p.ID, p.Version, in)
			wantCode(t, err, "republished_locked")
			if web.Status(err) != 422 {
				t.Errorf("status %d, want 422", web.Status(err))
			}
		})
	}
	// Filing may change.
	in := post.InputOf(p)
	in.Fields, in.Section = []string{"tien-luong-bhxh", "lao-dong-viec-lam"}, "chinh-sach-phap-luat"
	if p, err = w.posts.Update(ctx, w.tn("alpha"), all("a"), p.ID, p.Version, in); err != nil {
		t.Fatalf("filing change: %v", err)
	}
	// A revision with other text (legacy data) cannot be restored over it.
	if _, err := w.db.NewInsert().Model(&post.Revision{TenantID: p.TenantID, PostID: p.ID, Number: 99, Kind: "save",
		Title: "Tiêu đề đã sửa", Summary: p.Summary, Body: p.Body, Type: p.Type, CreatedAt: time.Now()}).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	_, err = w.posts.Restore(ctx, w.tn("alpha"), all("a"), p.ID, 99)
	wantCode(t, err, "republished_locked")
	// Turning a news item into a republished one is not an edit either.
	n := w.draft("alpha", "Tin thường", cleanBody)
	in = post.InputOf(n)
	in.Type = post.TypeRepublished
	_, err = w.posts.Update(ctx, w.tn("alpha"), all("a"), n.ID, n.Version, in)
	wantCode(t, err, "republished_create_only")
}

func TestRepublishedPublication(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	ag := w.agreement("alpha", "Báo Lao Động", "01/01/2024", "")
	in := republishedInput(ag)
	in.Source.PublishedAt = ago(30 * time.Minute)
	p, err := w.posts.Create(ctx, w.tn("alpha"), all("a"), in)
	if err != nil {
		t.Fatal(err)
	}
	w.step("alpha", p.ID, post.StatusSubmitted, "")
	w.step("alpha", p.ID, post.StatusApproved, "")
	publish := func() error {
		_, err := w.posts.Transition(ctx, w.tn("alpha"), all("tb"), p.ID, post.TransitionInput{To: post.StatusPublished})
		return err
	}
	// ND 147/2024: the tenant asks for an hour after the original.
	if err := post.SaveSettings(ctx, w.db, &post.Settings{TenantID: w.tn("alpha").ID, RepublishDelayMin: 60}, time.Now()); err != nil {
		t.Fatal(err)
	}
	err = publish()
	wantCode(t, err, "republish_too_early")
	if web.Status(err) != 422 {
		t.Errorf("too early answers %d", web.Status(err))
	}
	if err := post.SaveSettings(ctx, w.db, &post.Settings{TenantID: w.tn("alpha").ID, RepublishDelayMin: 10}, time.Now()); err != nil {
		t.Fatal(err)
	}
	// The agreement expired yesterday.
	yesterday := post.Day(time.Now().AddDate(0, 0, -1))
	if _, err := w.db.NewUpdate().Model((*post.Agreement)(nil)).Set("expires_on = ?", yesterday).
		Where("tenant_id = ? AND id = ?", w.tn("alpha").ID, ag).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	err = publish()
	wantCode(t, err, "agreement_expired")
	if web.Status(err) != 422 || !strings.Contains(err.Error(), "hết hiệu lực") {
		t.Errorf("expired agreement: %d %v", web.Status(err), err)
	}
	if _, err := w.db.NewUpdate().Model((*post.Agreement)(nil)).Set("expires_on = NULL").
		Where("tenant_id = ? AND id = ?", w.tn("alpha").ID, ag).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if err := publish(); err != nil {
		t.Fatalf("publish: %v", err)
	}
	// Tampering behind the service's back breaks the fingerprint.
	if _, err := w.db.NewUpdate().Model((*post.Post)(nil)).Set("title = ?", "Tiêu đề bị sửa lén").
		Where("tenant_id = ? AND id = ?", p.TenantID, p.ID).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := post.PublicAttribution(ctx, w.db, w.get("alpha", p.ID)); err == nil || web.Status(err) != 500 {
		t.Errorf("tampered item renders: %v", err)
	}
}

func TestRepublishedCrossPosting(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	p, err := w.posts.Create(ctx, w.tn("alpha"), all("a"), republishedInput(w.agreement("alpha", "Báo Lao Động", "01/01/2024", "")))
	if err != nil {
		t.Fatal(err)
	}
	w.step("alpha", p.ID, post.StatusSubmitted, "")
	w.step("alpha", p.ID, post.StatusApproved, "")
	w.step("alpha", p.ID, post.StatusPublished, "")
	sub := w.send("alpha", p.ID, "")
	if sub.Counts {
		t.Error("a republished item counts for the quota")
	}
	_, _, err = w.xp.Accept(ctx, w.tn("so"), all("so"), sub.ID, crosspost.AcceptInput{Publish: true})
	wantCode(t, err, "agreement_required")
	w.agreement("so", "báo lao động", "01/06/2024", "")
	_, cp, err := w.xp.Accept(ctx, w.tn("so"), all("so"), sub.ID, crosspost.AcceptInput{Publish: true})
	if err != nil {
		t.Fatal(err)
	}
	if cp.Type != post.TypeRepublished || cp.SourceURL != p.SourceURL || cp.Title != p.Title || cp.ContentFingerprint == "" {
		t.Fatalf("copy %+v", cp)
	}
	in := post.InputOf(cp)
	in.Title = "Sửa ở Sở"
	_, err = w.posts.Update(ctx, w.tn("so"), all("so"), cp.ID, cp.Version, in)
	wantCode(t, err, "republished_locked")
	attr, err := post.PublicAttribution(ctx, w.db, cp)
	if err != nil || attr.Outlet != "Báo Lao Động" || attr.FromName != "Trung tâm Alpha" {
		t.Errorf("attribution %+v %v", attr, err)
	}
}
