package app_test

import (
	"context"
	"testing"

	"github.com/trangtin/trangtin/platform/audit"
	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/tenants/post"
)

// TestPublishingKeepsRevisionAndAudit: a publication records its
// transition, a "publish" revision of the text as published and an audit
// event, all in one transaction.
func TestPublishingKeepsRevisionAndAudit(t *testing.T) {
	ctx := context.Background()
	a := opsApp(t, nil)
	so, _ := a.Registry.BySlug("so")
	chief := post.Actor{ID: "chief", Can: func(authz.Permission) bool { return true }}
	p, err := a.Posts.Create(ctx, so, chief, post.Input{Title: "Hội nghị tổng kết năm", Summary: "Sở tổ chức hội nghị tổng kết.",
		Body: "<p>Nội dung.</p>", Fields: []string{"lao-dong-viec-lam"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, to := range []post.Status{post.StatusSubmitted, post.StatusApproved, post.StatusPublished} {
		if _, err := a.Posts.Transition(ctx, so, chief, p.ID, post.TransitionInput{To: to}); err != nil {
			t.Fatal(err)
		}
	}
	revs, err := post.Revisions(ctx, a.DB, so.ID, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(revs) == 0 || revs[0].Kind != "publish" || revs[0].Title != "Hội nghị tổng kết năm" {
		t.Fatalf("latest revision = %+v, want the published text", revs[0])
	}
	id := so.ID
	page, err := audit.List(ctx, a.DB, audit.Filter{TenantID: &id, Action: "post.published"})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 1 || page.Items[0].ActorID != "chief" || page.Items[0].Subject != p.ID {
		t.Fatalf("audit events = %+v", page.Items)
	}
}
