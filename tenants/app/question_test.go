package app_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/trangtin/trangtin/tenants/app"
	"github.com/trangtin/trangtin/tenants/question"
)

// askOnSite sends the /hoi-dap form of tenant slug's site as a visitor
// and returns the id of the question it queued.
func askOnSite(t testing.TB, a *app.App, slug, name, contact, text string) string {
	t.Helper()
	v := newVisitor(t, a)
	v.host = slug + ".localhost"
	r := v.do(http.MethodPost, "/hoi-dap", url.Values{"ho-ten": {name}, "lien-he": {contact}, "cau-hoi": {text}, "website": {""}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("ask on %s: %s", slug, r)
	}
	tn, ok := a.Registry.BySlug(slug)
	if !ok {
		t.Fatalf("no tenant %s", slug)
	}
	qs, err := question.List(context.Background(), a.DB, tn.ID, question.StateNew, 1, 0)
	if err != nil || len(qs) == 0 || qs[0].Question != text {
		t.Fatalf("the question is not queued: %v %v", qs, err)
	}
	return qs[0].ID
}
