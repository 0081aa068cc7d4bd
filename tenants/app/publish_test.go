package app_test

// An item published through the API, as the assembled platform serves it:
// on its tenant's hosts and on no other, and scheduled items published by
// the workers the binary runs.

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/tenants/app"
	"github.com/trangtin/trangtin/tenants/apptest"
)

// boardWorld builds the organisation with a contributor, an editor and an
// editor-in-chief in tenant slug, and returns the app and their API tokens
// keyed by role.
func boardWorld(t *testing.T, slug string) (*app.App, map[string]string) {
	t.Helper()
	var people []apptest.Person
	for _, role := range []string{authz.RoleContributor, authz.RoleEditor, authz.RoleEditorInChief} {
		people = append(people, apptest.Person{Key: role, Email: role + "." + slug + "@example.gov.vn",
			Name: "Thành viên " + role, Tenant: slug, Role: role})
	}
	w := apptest.New(t, apptest.Options{Org: org, Before: prepareOrg, People: people})
	return w.App, w.Tokens("t")
}

type item struct {
	ID          string     `json:"id"`
	Slug        string     `json:"slug"`
	Status      string     `json:"status"`
	URL         string     `json:"url"`
	ScheduledAt *time.Time `json:"scheduled_at"`
}

// call sends a JSON API request to host and decodes an item answer.
func call(t *testing.T, a *app.App, host, method, path, token string, body any, want int) item {
	t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(method, path, bytes.NewReader(b))
	req.Host = host
	req.RequestURI = ""
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := a.HTTP.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		t.Fatalf("%s %s: %d, want %d: %s", method, path, res.StatusCode, want, raw)
	}
	var it item
	if err := json.Unmarshal(raw, &it); err != nil {
		t.Fatalf("decode %s: %v", raw, err)
	}
	return it
}

// approvedItem writes an item in alpha through the API and takes it to approved.
func approvedItem(t *testing.T, a *app.App, toks map[string]string, title string) item {
	t.Helper()
	const api = "/api/v1/tenants/alpha/posts"
	it := call(t, a, "admin.localhost", http.MethodPost, api, toks[authz.RoleContributor], map[string]any{
		"title": title, "summary": "Tóm tắt của bài viết thử nghiệm.", "body": "<p>Nội dung bài viết thử nghiệm.</p>",
		"fields": []string{"lao-dong-viec-lam"},
	}, http.StatusCreated)
	call(t, a, "admin.localhost", http.MethodPost, api+"/"+it.ID+"/transitions", toks[authz.RoleContributor], map[string]any{"to": "submitted"}, http.StatusOK)
	return call(t, a, "admin.localhost", http.MethodPost, api+"/"+it.ID+"/transitions", toks[authz.RoleEditor], map[string]any{"to": "approved"}, http.StatusOK)
}

func TestPublishedItemIsServedOnItsSiteOnly(t *testing.T) {
	a, toks := boardWorld(t, "alpha")
	const title = "Trung tâm Alpha giới thiệu việc làm cho 300 lao động"
	it := approvedItem(t, a, toks, title)
	it = call(t, a, "admin.localhost:8080", http.MethodPost, "/api/v1/tenants/alpha/posts/"+it.ID+"/transitions", toks[authz.RoleEditorInChief],
		map[string]any{"to": "published"}, http.StatusOK)
	if it.Status != "published" {
		t.Fatalf("status %s", it.Status)
	}

	t.Run("the API's url is the item on the tenant's domain", func(t *testing.T) {
		u, err := url.Parse(it.URL)
		if err != nil || u.Host != "alpha.gov.vn:8080" || u.Path != "/bai-viet/"+it.Slug {
			t.Fatalf("url %q", it.URL)
		}
		r := get(t, a, u.Host, u.Path)
		shows(t, r, nameAlpha)
		if !strings.Contains(r.body, title) {
			t.Error("the url does not show the item")
		}
	})
	t.Run("on every host of its tenant", func(t *testing.T) {
		for _, host := range []string{"alpha.gov.vn", "alpha.localhost", "ALPHA.LOCALHOST:8080"} {
			for _, path := range []string{"/", "/bai-viet/" + it.Slug, "/chuyen-muc/tin-tuc-su-kien", "/feed.xml", "/search?q=giới+thiệu+việc+làm"} {
				r := get(t, a, host, path)
				r.body = strings.NewReplacer("<mark>", "", "</mark>", "").Replace(r.body) // search marks the words
				if r.status != http.StatusOK || !strings.Contains(r.body, title) {
					t.Errorf("%s%s: %d, shows the item: %v", host, path, r.status, strings.Contains(r.body, title))
				}
			}
		}
	})
	t.Run("on no other host", func(t *testing.T) {
		hosts := []string{
			"beta.gov.vn", "beta.localhost", "so.localhost", "gamma.localhost", "delta.gov.vn", "delta.localhost",
			"epsilon.localhost", "unknown.localhost", "example.com", "admin.localhost",
		}
		for _, host := range hosts {
			for _, path := range []string{"/", "/bai-viet/" + it.Slug, "/bai-viet/" + it.Slug + "?in=1", "/chuyen-muc/tin-tuc-su-kien", "/feed.xml", "/sitemap.xml", "/search?q=giới+thiệu+việc+làm"} {
				r := get(t, a, host, path)
				if strings.Contains(r.body, title) || strings.Contains(r.body, it.Slug) {
					t.Errorf("%s%s (%d) shows alpha's item", host, path, r.status)
				}
				if strings.HasPrefix(path, "/bai-viet/") && r.status == http.StatusOK {
					t.Errorf("%s%s: 200", host, path)
				}
			}
		}
	})
}

func TestRunWorkersPublishesScheduledItems(t *testing.T) {
	a, toks := boardWorld(t, "alpha")
	const title = "Bài hẹn giờ do tiến trình nền đăng"
	it := approvedItem(t, a, toks, title)
	at := time.Now().Add(2 * time.Second).Truncate(time.Second).Add(time.Second)
	it = call(t, a, "admin.localhost", http.MethodPost, "/api/v1/tenants/alpha/posts/"+it.ID+"/transitions", toks[authz.RoleEditorInChief],
		map[string]any{"to": "scheduled", "at": at.Format(time.RFC3339)}, http.StatusOK)
	if it.Status != "scheduled" || it.ScheduledAt == nil || !it.ScheduledAt.Equal(at) {
		t.Fatalf("scheduled: %s at %v, want %v", it.Status, it.ScheduledAt, at)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); a.RunWorkers(ctx) }()
	defer func() { cancel(); <-done }()

	if r := get(t, a, "alpha.localhost", "/bai-viet/"+it.Slug); r.status != http.StatusNotFound {
		t.Errorf("before its time: %d", r.status)
	}
	deadline := at.Add(5 * time.Second)
	for {
		r := get(t, a, "alpha.localhost", "/bai-viet/"+it.Slug)
		if r.status == http.StatusOK {
			if time.Now().Before(at) {
				t.Errorf("public at %v, before its time %v", time.Now(), at)
			}
			if !strings.Contains(r.body, title) {
				t.Error("page lacks the title")
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("not public 5 s after its time: %d", r.status)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
