package app_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/tenants/app"
	"github.com/trangtin/trangtin/tenants/quota"
)

// TestRedirectChains: redirects are data that follows later changes: a
// chain of renames and merges answers one 301 to where the address lives
// now, keeping the path and the query.
func TestRedirectChains(t *testing.T) {
	w := newRoWorld(t)
	it := w.item("tbBeta", "beta", "Bản tin tháng", "<p>Nội dung bản tin của Bình Minh.</p>", "", false)
	w.must(200, "admin", "PATCH", "/tenants/beta", map[string]string{"slug": "binh-minh"}, nil)
	w.must(200, "admin", "PATCH", "/tenants/binh-minh", map[string]string{"slug": "bm"}, nil)
	w.must(200, "admin", "DELETE", "/tenants/bm/domains/beta.gov.vn?reason=Het+han", nil, nil)
	w.must(201, "admin", "POST", "/tenants/gamma/domains", map[string]string{"domain": "camthanh.gov.vn", "reason": "Tên miền riêng"}, nil)
	w.must(200, "admin", "POST", "/tenants/bm/merge", map[string]string{"into": "gamma"}, nil)
	w.must(200, "admin", "PATCH", "/tenants/gamma", map[string]string{"slug": "cam-thanh"}, nil)
	w.refresh()
	want := "http://camthanh.gov.vn/bai-viet/" + it.Slug + "?in=1"
	for _, host := range []string{"beta.localhost", "binh-minh.localhost", "bm.localhost", "beta.gov.vn"} {
		r := get(t, w.a, host, "/bai-viet/"+it.Slug+"?in=1")
		if r.status != http.StatusMovedPermanently || r.header.Get("Location") != want {
			t.Errorf("%s: %d Location %q, want one 301 to %s", host, r.status, r.header.Get("Location"), want)
		}
	}
	if r, _ := w.follow("beta.localhost", "/bai-viet/"+it.Slug); !strings.Contains(r.body, "Nội dung bản tin của Bình Minh") {
		t.Errorf("the chain does not reach the item: %d", r.status)
	}
	if r := get(t, w.a, "gamma.localhost", "/"); r.status != http.StatusMovedPermanently || r.header.Get("Location") != "http://camthanh.gov.vn/" {
		t.Errorf("old slug of the receiving tenant: %d %q", r.status, r.header.Get("Location"))
	}
	if r := get(t, w.a, "khong-co.localhost", "/"); r.status != http.StatusNotFound {
		t.Errorf("unknown host: %d", r.status)
	}
	var hist struct {
		Items []struct{ Op, Slug, Reason string }
	}
	w.must(200, "admin", "GET", "/tenants/bm/history", nil, &hist)
	var ops []string
	for _, h := range hist.Items {
		ops = append(ops, h.Op+" "+h.Slug)
	}
	if got := strings.Join(ops, ", "); got != "create beta, set-slug binh-minh, set-slug bm, domain-remove bm, merge bm" {
		t.Errorf("history: %s", got)
	}
}

// TestArchivedSite: an archived site stays readable with a banner, takes
// no form posts and no new items, and owes no quota from then on.
func TestArchivedSite(t *testing.T) {
	w := newRoWorld(t)
	it := w.item("tbDelta", "delta", "Lưu trữ Đông Sơn", "<p>Nội dung lưu trữ của Đông Sơn.</p>", "", false)
	w.must(200, "admin", "POST", "/tenants/delta/archive", map[string]string{"reason": "Giải thể theo Quyết định 9"}, nil)
	w.refresh()
	page := get(t, w.a, "delta.localhost", "/bai-viet/"+it.Slug)
	if page.status != 200 || !strings.Contains(page.body, "Nội dung lưu trữ của Đông Sơn") || !strings.Contains(page.body, `class="archived-banner"`) {
		t.Errorf("archived page: %d\n%s", page.status, page.body)
	}
	if r := get(t, w.a, "gamma.localhost", "/"); strings.Contains(r.body, "archived-banner") {
		t.Error("an active site shows the archive banner")
	}
	req := newSiteRequest(http.MethodPost, "delta.localhost", "/search")
	if res, err := w.a.HTTP.Test(req, -1); err != nil || res.StatusCode != http.StatusConflict {
		t.Errorf("a form post to an archived site: %v %v", res.StatusCode, err)
	}
	for _, who := range []string{"tbDelta", "admin"} {
		if s, raw := w.call(who, "POST", "/tenants/delta/posts", map[string]any{"title": "Bài mới", "body": "<p>x</p>"}); s != 409 || !strings.Contains(string(raw), "tenant_archived") {
			t.Errorf("%s wrote a new item in an archived tenant: %d %s", who, s, raw)
		}
	}
	st, err := quota.Standing(context.Background(), w.bdb, w.tenants["so"].ID, w.tenants["delta"].ID, quota.WeekOf(time.Now()), quota.WeekOf(time.Now()).Next(), time.Now())
	if err != nil || len(st) != 2 {
		t.Fatalf("standing: %v %v", st, err)
	}
	for _, ws := range st {
		if ws.State != quota.StateExempt || ws.Reason != "Đã lưu trữ: Giải thể theo Quyết định 9" {
			t.Errorf("week %s of an archived unit: %s %q", ws.Week, ws.State, ws.Reason)
		}
	}
}

// TestLifecycleAPIRejects: every bad request is a 4xx with a code, and only
// platform admins reorganise.
func TestLifecycleAPIRejects(t *testing.T) {
	w := newRoWorld(t)
	w.must(201, "admin", "POST", "/tenants", map[string]any{"slug": "dv-con", "name": "Cơ sở con Cẩm Thành", "kind": "unit", "parent": "gamma"}, nil)
	w.must(200, "admin", "POST", "/tenants/beta/merge", map[string]string{"into": "gamma"}, nil)
	w.refresh()
	for _, c := range []struct {
		name, who, method, path string
		body                    any
		status                  int
		code                    string
	}{
		{"move under own descendant", "admin", "POST", "/tenants/gamma/move", map[string]string{"parent": "dv-con"}, 400, "parent_descendant"},
		{"merge into itself", "admin", "POST", "/tenants/gamma/merge", map[string]string{"into": "gamma"}, 400, "merge_self"},
		{"merge into a child", "admin", "POST", "/tenants/gamma/merge", map[string]string{"into": "dv-con"}, 400, "merge_into_descendant"},
		{"slug already taken", "admin", "PATCH", "/tenants/gamma", map[string]string{"slug": "delta"}, 409, "slug_taken"},
		{"slug of a merged tenant", "admin", "PATCH", "/tenants/gamma", map[string]string{"slug": "beta"}, 409, "slug_taken"},
		{"domain already taken", "admin", "POST", "/tenants/gamma/domains", map[string]string{"domain": "alpha.gov.vn"}, 409, "domain_taken"},
		{"suspending a merged tenant", "admin", "POST", "/tenants/beta/suspend", map[string]string{"reason": "x"}, 409, "tenant_merged"},
		{"unknown field", "admin", "POST", "/tenants/gamma/move", map[string]string{"parnet": "so"}, 400, "json_invalid"},
		{"missing parent", "admin", "POST", "/tenants/gamma/move", map[string]string{}, 400, "parent_required"},
		{"unknown tenant", "admin", "POST", "/tenants/khong-co/suspend", nil, 404, "tenant_not_found"},
		{"site admin may not move", "qtAlpha", "POST", "/tenants/alpha/move", map[string]string{"parent": "so"}, 403, "forbidden"},
		{"site admin may not change the slug", "qtAlpha", "PATCH", "/tenants/alpha", map[string]string{"slug": "an-phu"}, 403, "forbidden"},
		{"editor may not suspend", "tbAlpha", "POST", "/tenants/alpha/suspend", nil, 403, "forbidden"},
		{"another tenant is not found", "tbAlpha", "POST", "/tenants/gamma/archive", nil, 404, "not_found"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, raw := w.call(c.who, c.method, c.path, c.body)
			if s != c.status || !strings.Contains(string(raw), `"code":"`+c.code+`"`) {
				t.Errorf("%d %s, want %d %s", s, raw, c.status, c.code)
			}
		})
	}
	if tn := w.tenant("gamma"); tn.Status != "active" || tn.ParentSlug != "so" {
		t.Errorf("a refused request changed gamma: %+v", tn)
	}
}

// TestLifecycleReachesSecondProcess: another replica serves a change made
// by the first one once its registry polls the tenants change counter.
func TestLifecycleReachesSecondProcess(t *testing.T) {
	w := newRoWorld(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	bdb2, err := db.Open(ctx, w.opts)
	if err != nil {
		t.Fatal(err)
	}
	defer bdb2.Close()
	a2, err := app.New(ctx, w.cfg, bdb2, discard())
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { defer close(done); a2.Registry.Run(ctx, 100*time.Millisecond) }()
	defer func() { cancel(); <-done }()
	if r := get(t, a2, "delta.localhost", "/"); r.status != 200 {
		t.Fatalf("before: %d", r.status)
	}
	w.must(200, "admin", "POST", "/tenants/delta/suspend", map[string]string{"reason": "Bảo trì"}, nil)
	deadline := time.Now().Add(10 * time.Second)
	for get(t, a2, "delta.localhost", "/").status != http.StatusServiceUnavailable {
		if time.Now().After(deadline) {
			t.Fatal("the second process never saw the suspension")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// newSiteRequest is a request to a public host with no body.
func newSiteRequest(method, host, path string) *http.Request {
	r := httptest.NewRequest(method, path, nil)
	r.Host, r.RequestURI = host, ""
	return r
}

// TestMergeCarriesSchedules: an item scheduled in the merged tenant is
// published on time in the receiving one.
func TestMergeCarriesSchedules(t *testing.T) {
	w := newRoWorld(t)
	var it xpItem
	w.must(201, "tbBeta", "POST", "/tenants/beta/posts", map[string]any{"title": "Lịch hẹn đăng", "summary": "Sa-pô.",
		"body": "<p>Nội dung hẹn giờ.</p>", "fields": []string{"tre-em"}}, &it)
	at := time.Now().Add(2 * time.Hour).UTC().Truncate(time.Second)
	for _, step := range []map[string]string{{"to": "submitted"}, {"to": "approved"}, {"to": "scheduled", "at": at.Format(time.RFC3339)}} {
		w.must(200, "tbBeta", "POST", "/tenants/beta/posts/"+it.ID+"/transitions", step, nil)
	}
	w.must(200, "admin", "POST", "/tenants/beta/merge", map[string]string{"into": "gamma"}, nil)
	var jobs []struct {
		TenantID string `bun:"tenant_id"`
		State    string `bun:"state"`
	}
	if err := w.bdb.NewRaw("SELECT tenant_id, state FROM jobs WHERE kind = 'post.publish' ORDER BY created_at").Scan(w.ctx, &jobs); err != nil {
		t.Fatal(err)
	}
	if len(jobs) != 2 || jobs[0].State != "cancelled" || jobs[1].TenantID != w.tenants["gamma"].ID || jobs[1].State != "pending" {
		t.Errorf("publication jobs after the merge: %+v", jobs)
	}
	if err := w.a.Posts.PublishDue(w.ctx, w.tenants["gamma"].ID, it.ID, at); err != nil {
		t.Fatal(err)
	}
	w.refresh()
	if r := get(t, w.a, "gamma.localhost", "/bai-viet/"+it.Slug); r.status != 200 || !strings.Contains(r.body, "Nội dung hẹn giờ.") {
		t.Errorf("the scheduled item is not published in the receiving tenant: %d", r.status)
	}
}
