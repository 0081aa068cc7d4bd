package post_test

// The acceptance of the items issue, through the whole HTTP application
// with bearer tokens, as a client of the contract's API would see it.

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/trangtin/trangtin/tenants/post"
	"github.com/trangtin/trangtin/tenants/post/lint"
	"github.com/trangtin/trangtin/tenants/site"
)

const postsPath = "/api/v1/tenants/"

// api calls the API on the admin host as member key ("" for no token).
func (f *fixture) api(method, path, key string, body any) page {
	f.tb.Helper()
	tok := ""
	if key != "" {
		tok = f.m(key).Token
	}
	return fetch(f.tb, f.a, method, adminHost, path, tok, body)
}

func itemPath(slug, id string) string { return postsPath + slug + "/posts/" + id }

// view decodes an item answer, failing unless the status is want.
func view(t *testing.T, r page, want int) post.View {
	t.Helper()
	if r.status != want {
		t.Fatalf("status %d, want %d; body: %s", r.status, want, r.body)
	}
	var v post.View
	if err := json.Unmarshal([]byte(r.body), &v); err != nil {
		t.Fatalf("decode item: %v in %s", err, r.body)
	}
	return v
}

// apiError is the contract's error shape, plus the lint findings of a
// refused submission.
type apiError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Field   string `json:"field"`
	} `json:"error"`
	Lint []lint.Finding `json:"lint"`
}

// refused checks an error answer's status and code and returns it.
func refused(t *testing.T, r page, status int, code string) apiError {
	t.Helper()
	var e apiError
	if err := json.Unmarshal([]byte(r.body), &e); err != nil {
		t.Fatalf("status %d, body not the error shape: %s", r.status, r.body)
	}
	if r.status != status || (code != "" && e.Error.Code != code) {
		t.Fatalf("got %d %q, want %d %q; body: %s", r.status, e.Error.Code, status, code, r.body)
	}
	if e.Error.Message == "" {
		t.Errorf("error without a message: %s", r.body)
	}
	return e
}

func (f *fixture) transition(slug, id, key string, body map[string]any) page {
	f.tb.Helper()
	return f.api(http.MethodPost, itemPath(slug, id)+"/transitions", key, body)
}

// must stops a scenario when one of its steps failed: later steps depend on it.
func must(t *testing.T, ok bool) {
	t.Helper()
	if !ok {
		t.FailNow()
	}
}

// listing is a list answer.
type listing struct {
	Items []post.View `json:"items"`
	Next  string      `json:"next"`
}

func (f *fixture) list(t *testing.T, slug, key, query string) listing {
	t.Helper()
	r := f.api(http.MethodGet, postsPath+slug+"/posts"+query, key, nil)
	if r.status != http.StatusOK {
		t.Fatalf("list %s: %d %s", query, r.status, r.body)
	}
	var l listing
	if err := json.Unmarshal([]byte(r.body), &l); err != nil {
		t.Fatal(err)
	}
	return l
}

func ids(vs []post.View) []string {
	out := make([]string, 0, len(vs))
	for _, v := range vs {
		out = append(out, v.ID)
	}
	return out
}

// publicPaths are the pages of a site that list or show items.
func publicPaths(slug, section string) []string {
	return []string{"/", "/chuyen-muc/" + section, "/bai-viet/" + slug, "/feed.xml", "/sitemap.xml"}
}

func TestAPIWorkflow(t *testing.T) {
	f := newFixture(t)
	const capsTitle = "TRUNG TÂM ALPHA KHAI GIẢNG LỚP NGHỀ MAY CÔNG NGHIỆP"
	const title = "Trung tâm Alpha khai giảng lớp nghề may công nghiệp"
	const summary = "Bốn mươi học viên là lao động nông thôn theo học lớp may miễn phí."
	var it post.View

	must(t, t.Run("without a token: 401", func(t *testing.T) {
		refused(t, f.api(http.MethodPost, postsPath+"alpha/posts", "", map[string]any{"title": title}), http.StatusUnauthorized, "")
		r := fetch(t, f.a, http.MethodGet, adminHost, postsPath+"alpha/posts", "tt_not-a-token", nil)
		refused(t, r, http.StatusUnauthorized, "")
	}))
	must(t, t.Run("contributor creates a draft", func(t *testing.T) {
		it = view(t, f.api(http.MethodPost, postsPath+"alpha/posts", "alpha/contributor", map[string]any{
			"title": capsTitle, "summary": "", "body": "<p>Lớp học khai giảng sáng thứ hai.</p>", "type": "news",
			"fields": []string{"giao-duc-nghe-nghiep"},
		}), http.StatusCreated)
		if it.ID == "" || it.Status != post.StatusDraft || it.Version != 1 || it.Section != post.DefaultSection {
			t.Errorf("new item: id %q status %s version %d section %q", it.ID, it.Status, it.Version, it.Section)
		}
		if it.URL != "" || it.PublishedAt != nil {
			t.Errorf("a draft has a public url %q / published_at %v", it.URL, it.PublishedAt)
		}
		errs := ruleIDs(it.Lint, lint.Error)
		if !slices.Contains(errs, "title-all-caps") || !slices.Contains(errs, "summary-missing") {
			t.Errorf("lint errors of the new draft: %v", errs)
		}
	}))
	must(t, t.Run("submitting with lint errors is refused 422 with the findings", func(t *testing.T) {
		e := refused(t, f.transition("alpha", it.ID, "alpha/contributor", map[string]any{"to": "submitted"}), http.StatusUnprocessableEntity, "lint_errors")
		got := ruleIDs(e.Lint, "")
		if !slices.Contains(got, "title-all-caps") || !slices.Contains(got, "summary-missing") {
			t.Errorf("findings in the refusal: %v", got)
		}
		for _, x := range e.Lint {
			if x.Severity != lint.Error || x.Message == "" || x.Part == "" {
				t.Errorf("finding in the refusal: %+v", x)
			}
		}
		if v := view(t, f.api(http.MethodGet, itemPath("alpha", it.ID), "alpha/contributor", nil), http.StatusOK); v.Status != post.StatusDraft {
			t.Errorf("status after the refusal: %s", v.Status)
		}
	}))
	must(t, t.Run("fixing the text without fields: submit refused", func(t *testing.T) {
		it = view(t, f.api(http.MethodPatch, itemPath("alpha", it.ID), "alpha/contributor", map[string]any{
			"version": it.Version, "title": title, "summary": summary, "fields": []string{},
		}), http.StatusOK)
		if it.Version != 2 || it.Title != title || len(ruleIDs(it.Lint, lint.Error)) != 0 {
			t.Fatalf("after edit: version %d title %q lint errors %v", it.Version, it.Title, ruleIDs(it.Lint, lint.Error))
		}
		e := refused(t, f.transition("alpha", it.ID, "alpha/contributor", map[string]any{"to": "submitted"}), http.StatusBadRequest, "fields_required")
		if e.Error.Field != "fields" {
			t.Errorf("field %q", e.Error.Field)
		}
	}))
	must(t, t.Run("with fields the contributor submits", func(t *testing.T) {
		it = view(t, f.api(http.MethodPatch, itemPath("alpha", it.ID), "alpha/contributor", map[string]any{
			"version": it.Version, "fields": []string{"giao-duc-nghe-nghiep", "lao-dong-viec-lam"},
		}), http.StatusOK)
		if !slices.Equal(it.Fields, []string{"giao-duc-nghe-nghiep", "lao-dong-viec-lam"}) || it.Title != title {
			t.Errorf("after adding fields: %v %q", it.Fields, it.Title)
		}
		it = view(t, f.transition("alpha", it.ID, "alpha/contributor", map[string]any{"to": "submitted"}), http.StatusOK)
		if it.Status != post.StatusSubmitted {
			t.Errorf("status %s", it.Status)
		}
	}))
	must(t, t.Run("the contributor can no longer edit it", func(t *testing.T) {
		refused(t, f.api(http.MethodPatch, itemPath("alpha", it.ID), "alpha/contributor", map[string]any{"version": it.Version, "title": "Sửa lén"}), http.StatusForbidden, "")
	}))
	must(t, t.Run("the contributor may neither approve nor publish", func(t *testing.T) {
		refused(t, f.transition("alpha", it.ID, "alpha/contributor", map[string]any{"to": "approved"}), http.StatusForbidden, "")
		refused(t, f.transition("alpha", it.ID, "alpha/contributor", map[string]any{"to": "published"}), http.StatusForbidden, "")
		refused(t, f.transition("alpha", it.ID, "alpha/contributor", map[string]any{"to": "published", "force": true, "note": "Gấp"}), http.StatusForbidden, "")
	}))
	must(t, t.Run("an editor returns it, only with a note", func(t *testing.T) {
		e := refused(t, f.transition("alpha", it.ID, "alpha/editor", map[string]any{"to": "returned"}), http.StatusBadRequest, "note_required")
		if e.Error.Field != "note" {
			t.Errorf("field %q", e.Error.Field)
		}
		refused(t, f.transition("alpha", it.ID, "alpha/editor", map[string]any{"to": "returned", "note": "   "}), http.StatusBadRequest, "note_required")
		it = view(t, f.transition("alpha", it.ID, "alpha/editor", map[string]any{"to": "returned", "note": "Bổ sung số học viên nữ"}), http.StatusOK)
		if it.Status != post.StatusReturned {
			t.Errorf("status %s", it.Status)
		}
	}))
	must(t, t.Run("the contributor edits and resubmits", func(t *testing.T) {
		it = view(t, f.api(http.MethodPatch, itemPath("alpha", it.ID), "alpha/contributor", map[string]any{
			"version": it.Version, "body": "<p>Lớp học khai giảng sáng thứ hai, trong đó có 25 học viên nữ.</p>",
		}), http.StatusOK)
		it = view(t, f.transition("alpha", it.ID, "alpha/contributor", map[string]any{"to": "submitted"}), http.StatusOK)
		if it.Status != post.StatusSubmitted || !strings.Contains(it.Body, "25 học viên nữ") {
			t.Errorf("status %s body %q", it.Status, it.Body)
		}
	}))
	must(t, t.Run("the editor approves", func(t *testing.T) {
		it = view(t, f.transition("alpha", it.ID, "alpha/editor", map[string]any{"to": "approved"}), http.StatusOK)
		if it.Status != post.StatusApproved || it.URL != "" {
			t.Errorf("status %s url %q", it.Status, it.URL)
		}
	}))
	must(t, t.Run("the editor may not publish", func(t *testing.T) {
		refused(t, f.transition("alpha", it.ID, "alpha/editor", map[string]any{"to": "published"}), http.StatusForbidden, "")
		refused(t, f.transition("alpha", it.ID, "alpha/contributor", map[string]any{"to": "published"}), http.StatusForbidden, "")
	}))
	must(t, t.Run("not yet public", func(t *testing.T) {
		for _, p := range publicPaths(it.Slug, post.DefaultSection) {
			if pg := f.public("alpha", p); strings.Contains(pg.body, title) {
				t.Errorf("approved item shown on %s", p)
			}
		}
	}))
	must(t, t.Run("the editor-in-chief publishes", func(t *testing.T) {
		it = view(t, f.transition("alpha", it.ID, "alpha/chief", map[string]any{"to": "published"}), http.StatusOK)
		if it.Status != post.StatusPublished || it.PublishedAt == nil || it.NotReviewed {
			t.Errorf("status %s published_at %v not_reviewed %v", it.Status, it.PublishedAt, it.NotReviewed)
		}
		if want := "http://alpha.gov.vn/bai-viet/" + it.Slug; it.URL != want {
			t.Errorf("url %q, want %q", it.URL, want)
		}
	}))
	t.Run("the workflow is recorded", func(t *testing.T) {
		ts, err := post.Transitions(f.ctx, f.db, f.T["alpha"].ID, it.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := []struct{ from, to, actor, note string }{
			{"draft", "submitted", "alpha/contributor", ""},
			{"submitted", "returned", "alpha/editor", "Bổ sung số học viên nữ"},
			{"returned", "submitted", "alpha/contributor", ""},
			{"submitted", "approved", "alpha/editor", ""},
			{"approved", "published", "alpha/chief", ""},
		}
		if len(ts) != len(want) {
			t.Fatalf("%d transitions, want %d: %+v", len(ts), len(want), ts)
		}
		for i, w := range want {
			x := ts[i]
			if string(x.From) != w.from || string(x.To) != w.to || x.ActorID != f.m(w.actor).ID || x.Note != w.note || x.CreatedAt.IsZero() {
				t.Errorf("transition %d = %s→%s by %s %q, want %s→%s by %s %q", i, x.From, x.To, x.ActorID, x.Note, w.from, w.to, w.actor, w.note)
			}
		}
	})
	t.Run("on its tenant's site", func(t *testing.T) {
		for _, host := range []string{"alpha.localhost", "alpha.gov.vn"} {
			for _, p := range publicPaths(it.Slug, post.DefaultSection) {
				pg := fetch(t, f.a, http.MethodGet, host, p, "", nil)
				want := title
				if p == "/sitemap.xml" {
					want = "/bai-viet/" + it.Slug + "</loc>"
				}
				if pg.status != http.StatusOK || !strings.Contains(pg.body, want) {
					t.Errorf("%s%s: %d, shows %q: %v", host, p, pg.status, want, strings.Contains(pg.body, want))
				}
			}
			for _, p := range []string{"/search?q=may+công+nghiệp"} {
				// Search marks the matched words: compare the text without them.
				pg := fetch(t, f.a, http.MethodGet, host, p, "", nil)
				if !strings.Contains(strings.NewReplacer("<mark>", "", "</mark>", "").Replace(pg.body), title) {
					t.Errorf("%s%s does not list the item (%d)", host, p, pg.status)
				}
			}
		}
		pg := f.public("alpha", "/bai-viet/"+it.Slug)
		for _, want := range []string{summary, "25 học viên nữ", "Giáo dục nghề nghiệp"} {
			if !strings.Contains(pg.body, want) {
				t.Errorf("item page lacks %q", want)
			}
		}
	})
	t.Run("on no other tenant's site", func(t *testing.T) {
		for _, host := range []string{"beta.localhost", "so.localhost", "epsilon.localhost", "nowhere.localhost", adminHost} {
			for _, p := range append(publicPaths(it.Slug, post.DefaultSection), "/search?q=may+công+nghiệp", "/chuyen-muc/giao-duc-nghe-nghiep") {
				pg := fetch(t, f.a, http.MethodGet, host, p, "", nil)
				if strings.Contains(pg.body, title) || strings.Contains(pg.body, it.Slug) {
					t.Errorf("%s%s (%d) shows the alpha item", host, p, pg.status)
				}
			}
			pg := fetch(t, f.a, http.MethodGet, host, "/bai-viet/"+it.Slug, "", nil)
			switch {
			case host == adminHost && pg.status == http.StatusOK:
				t.Errorf("the admin host serves the item page")
			case host != adminHost && pg.status != http.StatusNotFound:
				t.Errorf("%s/bai-viet/<alpha slug>: %d, want 404", host, pg.status)
			}
		}
	})
}

func TestAPISecondPairOfEyes(t *testing.T) {
	f := newFixture(t)
	n := 0
	submitted := func(t *testing.T, key string) post.View {
		t.Helper()
		n++
		v := view(t, f.api(http.MethodPost, postsPath+"alpha/posts", key, map[string]any{
			"title": "Bài tự viết về bảo trợ xã hội số " + strings.Repeat("I", n), "summary": goodSummary, "body": goodBody, "fields": []string{"bao-tro-xa-hoi"},
		}), http.StatusCreated)
		return view(t, f.transition("alpha", v.ID, key, map[string]any{"to": "submitted"}), http.StatusOK)
	}
	approve := func(id, key string) page { return f.transition("alpha", id, key, map[string]any{"to": "approved"}) }

	t.Run("an editor may not approve their own item; another editor may", func(t *testing.T) {
		v := submitted(t, "alpha/editor")
		refused(t, approve(v.ID, "alpha/editor"), http.StatusForbidden, "transition_forbidden")
		if got := view(t, approve(v.ID, "alpha/editor2"), http.StatusOK); got.Status != post.StatusApproved {
			t.Errorf("status %s", got.Status)
		}
	})
	t.Run("a secretary may not approve their own item", func(t *testing.T) {
		v := submitted(t, "alpha/secretary")
		refused(t, approve(v.ID, "alpha/secretary"), http.StatusForbidden, "")
	})
	t.Run("the editor-in-chief may approve their own item", func(t *testing.T) {
		v := submitted(t, "alpha/chief")
		if got := view(t, approve(v.ID, "alpha/chief"), http.StatusOK); got.Status != post.StatusApproved {
			t.Errorf("status %s", got.Status)
		}
	})
	t.Run("a deputy may approve their own item", func(t *testing.T) {
		v := submitted(t, "alpha/deputy")
		view(t, approve(v.ID, "alpha/deputy"), http.StatusOK)
	})
	t.Run("with always_second_reviewer nobody approves their own item", func(t *testing.T) {
		if err := post.SaveSettings(f.ctx, f.db, &post.Settings{TenantID: f.T["alpha"].ID, AlwaysSecondReviewer: true}, time.Now()); err != nil {
			t.Fatal(err)
		}
		s, err := post.SettingsOf(f.ctx, f.db, f.T["alpha"].ID)
		if err != nil || !s.AlwaysSecondReviewer {
			t.Fatalf("settings not saved: %+v %v", s, err)
		}
		for _, key := range []string{"alpha/chief", "alpha/deputy", "alpha/editor"} {
			v := submitted(t, key)
			refused(t, approve(v.ID, key), http.StatusForbidden, "")
			if got := view(t, approve(v.ID, "alpha/editor2"), http.StatusOK); got.Status != post.StatusApproved {
				t.Errorf("%s's item approved by another: %s", key, got.Status)
			}
		}
	})
	t.Run("the setting is per tenant", func(t *testing.T) {
		v := view(t, f.api(http.MethodPost, postsPath+"beta/posts", "beta/chief", map[string]any{
			"title": "Trường Beta tuyển sinh khóa mới", "summary": goodSummary, "body": goodBody, "fields": []string{"giao-duc-nghe-nghiep"},
		}), http.StatusCreated)
		view(t, f.transition("beta", v.ID, "beta/chief", map[string]any{"to": "submitted"}), http.StatusOK)
		view(t, f.transition("beta", v.ID, "beta/chief", map[string]any{"to": "approved"}), http.StatusOK)
	})
}

func TestAPIVersionConflict(t *testing.T) {
	f := newFixture(t)
	v := view(t, f.api(http.MethodPost, postsPath+"alpha/posts", "alpha/contributor", map[string]any{
		"title": "Bản gốc của tin", "summary": goodSummary, "body": goodBody, "fields": []string{goodField},
	}), http.StatusCreated)
	var theirs post.View
	t.Run("the first edit from version 1 wins", func(t *testing.T) {
		theirs = view(t, f.api(http.MethodPatch, itemPath("alpha", v.ID), "alpha/editor", map[string]any{
			"version": 1, "title": "Bản do biên tập viên sửa", "body": "<p>Nội dung của biên tập viên.</p>",
		}), http.StatusOK)
		if theirs.Version != 2 {
			t.Errorf("version %d", theirs.Version)
		}
	})
	t.Run("a second edit from version 1 gets 409 and both texts are kept", func(t *testing.T) {
		r := f.api(http.MethodPatch, itemPath("alpha", v.ID), "alpha/contributor", map[string]any{
			"version": 1, "title": "Bản do cộng tác viên sửa", "body": "<p>Nội dung của cộng tác viên.</p>",
		})
		e := refused(t, r, http.StatusConflict, "version_conflict")
		if e.Error.Field != "version" {
			t.Errorf("field %q", e.Error.Field)
		}
		var body struct {
			Current        post.View `json:"current"`
			KeptAsRevision int       `json:"kept_as_revision"`
		}
		if err := json.Unmarshal([]byte(r.body), &body); err != nil {
			t.Fatal(err)
		}
		if body.Current.Title != "Bản do biên tập viên sửa" || body.Current.Version != 2 {
			t.Errorf("current in the answer: %q v%d", body.Current.Title, body.Current.Version)
		}
		cur := view(t, f.api(http.MethodGet, itemPath("alpha", v.ID), "alpha/contributor", nil), http.StatusOK)
		if cur.Title != "Bản do biên tập viên sửa" || cur.Version != 2 || !strings.Contains(cur.Body, "biên tập viên") {
			t.Errorf("the stored item was overwritten: %q v%d %q", cur.Title, cur.Version, cur.Body)
		}
		revs, err := post.Revisions(f.ctx, f.db, f.T["alpha"].ID, v.ID)
		if err != nil {
			t.Fatal(err)
		}
		var conflict *post.Revision
		for i := range revs {
			if revs[i].Kind == "conflict" {
				conflict = &revs[i]
			}
		}
		if conflict == nil {
			t.Fatalf("no conflict revision among %d", len(revs))
		}
		if conflict.Number != body.KeptAsRevision || conflict.Title != "Bản do cộng tác viên sửa" ||
			!strings.Contains(conflict.Body, "cộng tác viên") || conflict.BasedOn != 1 || conflict.ActorID != f.m("alpha/contributor").ID {
			t.Errorf("conflict revision: %+v (answer named %d)", *conflict, body.KeptAsRevision)
		}
		// The API lists it too.
		rr := f.api(http.MethodGet, itemPath("alpha", v.ID)+"/revisions", "alpha/contributor", nil)
		if rr.status != http.StatusOK || !strings.Contains(rr.body, `"kind":"conflict"`) || !strings.Contains(rr.body, "Bản do cộng tác viên sửa") {
			t.Errorf("revisions API: %d %s", rr.status, rr.body)
		}
	})
	t.Run("a version from the future is a conflict too", func(t *testing.T) {
		refused(t, f.api(http.MethodPatch, itemPath("alpha", v.ID), "alpha/editor", map[string]any{"version": 99, "title": "Tương lai"}), http.StatusConflict, "version_conflict")
	})
	t.Run("an edit without version is refused", func(t *testing.T) {
		refused(t, f.api(http.MethodPatch, itemPath("alpha", v.ID), "alpha/editor", map[string]any{"title": "Không phiên bản"}), http.StatusBadRequest, "version_required")
	})
	t.Run("an edit from the current version succeeds", func(t *testing.T) {
		got := view(t, f.api(http.MethodPatch, itemPath("alpha", v.ID), "alpha/contributor", map[string]any{"version": 2, "title": "Bản hợp nhất của tin"}), http.StatusOK)
		if got.Version != 3 || got.Title != "Bản hợp nhất của tin" || !strings.Contains(got.Body, "biên tập viên") {
			t.Errorf("after merge: v%d %q %q", got.Version, got.Title, got.Body)
		}
	})
}

func TestAPIListFilter(t *testing.T) {
	f := newFixture(t)
	draft := f.create("alpha/contributor", goodInput("Bản nháp để lọc"))
	sub := f.create("alpha/contributor", goodInput("Bài chờ duyệt để lọc"))
	f.step("alpha/contributor", sub.ID, post.TransitionInput{To: post.StatusSubmitted})
	pub := f.published("alpha", goodInput("Bài đã đăng để lọc"))
	other := f.create("beta/contributor", goodInput("Bài của Beta không được lọc ra"))

	cases := []struct {
		name, query string
		want        []string
	}{
		{"all", "", []string{pub.ID, sub.ID, draft.ID}},
		{"drafts", "?status=draft", []string{draft.ID}},
		{"submitted", "?status=submitted", []string{sub.ID}},
		{"published", "?status=published", []string{pub.ID}},
		{"two states", "?status=draft,submitted", []string{sub.ID, draft.ID}},
		{"archived means unpublished", "?status=archived", []string{}},
		{"no match", "?status=approved", []string{}},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			l := f.list(t, "alpha", "alpha/editor", tt.query)
			got := ids(l.Items)
			slices.Sort(got)
			want := slices.Clone(tt.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("ids %v, want %v", got, want)
			}
			if slices.Contains(got, other.ID) {
				t.Error("beta's item in alpha's list")
			}
			if l.Next != "" {
				t.Errorf("next %q for a short list", l.Next)
			}
			for _, v := range l.Items {
				if tt.query != "" && !strings.Contains(tt.query, string(v.Status)) {
					t.Errorf("item in state %s listed for %s", v.Status, tt.query)
				}
			}
		})
	}
	t.Run("a contributor sees the list of their tenant", func(t *testing.T) {
		if l := f.list(t, "alpha", "alpha/contributor", "?status=published"); len(l.Items) != 1 || l.Items[0].URL == "" {
			t.Errorf("items %+v", l.Items)
		}
	})
	t.Run("an unknown status is refused", func(t *testing.T) {
		refused(t, f.api(http.MethodGet, postsPath+"alpha/posts?status=bogus", "alpha/editor", nil), http.StatusBadRequest, "status_invalid")
	})
}

func TestAPITenantIsolation(t *testing.T) {
	f := newFixture(t)
	draft := f.create("alpha/contributor", goodInput("Bản nháp bí mật của Alpha"))
	pub := f.published("alpha", goodInput("Bài đã đăng của Alpha"))
	for _, it := range []*post.Post{draft, pub} {
		for _, key := range []string{"beta/contributor", "beta/chief"} {
			t.Run(string(it.Status)+" item, "+key, func(t *testing.T) {
				checks := []struct {
					name, method, path string
					body               any
				}{
					{"item", http.MethodGet, itemPath("alpha", it.ID), nil},
					{"list", http.MethodGet, postsPath + "alpha/posts", nil},
					{"list by status", http.MethodGet, postsPath + "alpha/posts?status=draft", nil},
					{"transitions", http.MethodPost, itemPath("alpha", it.ID) + "/transitions", map[string]any{"to": "unpublished", "note": "x"}},
					{"edit", http.MethodPatch, itemPath("alpha", it.ID), map[string]any{"version": it.Version, "title": "Sửa chéo"}},
					{"revisions", http.MethodGet, itemPath("alpha", it.ID) + "/revisions", nil},
					{"create", http.MethodPost, postsPath + "alpha/posts", map[string]any{"title": "Viết chéo"}},
					{"item through own tenant", http.MethodGet, itemPath("beta", it.ID), nil},
					{"transitions through own tenant", http.MethodPost, itemPath("beta", it.ID) + "/transitions", map[string]any{"to": "unpublished", "note": "x"}},
					{"edit through own tenant", http.MethodPatch, itemPath("beta", it.ID), map[string]any{"version": it.Version, "title": "Sửa chéo"}},
					{"revisions through own tenant", http.MethodGet, itemPath("beta", it.ID) + "/revisions", nil},
				}
				for _, c := range checks {
					r := f.api(c.method, c.path, key, c.body)
					if r.status != http.StatusNotFound {
						t.Errorf("%s: %d, want 404; %s", c.name, r.status, r.body)
					}
					if strings.Contains(r.body, it.Title) || strings.Contains(r.body, nameAlpha) {
						t.Errorf("%s: the answer reveals the item: %s", c.name, r.body)
					}
				}
			})
		}
	}
	t.Run("nothing changed", func(t *testing.T) {
		if got := f.get("alpha", pub.ID); got.Status != post.StatusPublished || got.Title != "Bài đã đăng của Alpha" {
			t.Errorf("published item now %s %q", got.Status, got.Title)
		}
		if got := f.get("alpha", draft.ID); got.Version != 1 {
			t.Errorf("draft now at version %d", got.Version)
		}
		if l := f.list(t, "beta", "beta/chief", ""); len(l.Items) != 0 {
			t.Errorf("beta lists %d items", len(l.Items))
		}
	})
	t.Run("an unknown tenant is 404", func(t *testing.T) {
		refused(t, f.api(http.MethodGet, postsPath+"khong-co/posts", "alpha/chief", nil), http.StatusNotFound, "")
	})
}

func TestAPIForcePublish(t *testing.T) {
	f := newFixture(t)
	v := view(t, f.api(http.MethodPost, postsPath+"alpha/posts", "alpha/contributor", map[string]any{
		"title": "Thông báo khẩn về chi trả trợ cấp", "summary": goodSummary, "body": goodBody, "fields": []string{"nguoi-co-cong"},
	}), http.StatusCreated)
	force := func(key, note string) page {
		return f.transition("alpha", v.ID, key, map[string]any{"to": "published", "force": true, "note": note})
	}
	t.Run("an unapproved item is not published without force", func(t *testing.T) {
		refused(t, f.transition("alpha", v.ID, "alpha/chief", map[string]any{"to": "published"}), http.StatusConflict, "not_approved")
	})
	t.Run("an editor may not force-publish", func(t *testing.T) {
		refused(t, force("alpha/editor", "Cần đăng ngay"), http.StatusForbidden, "")
	})
	t.Run("force-publish needs a note", func(t *testing.T) {
		refused(t, force("alpha/chief", ""), http.StatusBadRequest, "note_required")
		refused(t, force("alpha/chief", "  \n "), http.StatusBadRequest, "note_required")
	})
	t.Run("with a note it publishes, flagged not reviewed", func(t *testing.T) {
		got := view(t, force("alpha/chief", "Thông báo cần đến người dân trước 17 giờ"), http.StatusOK)
		if got.Status != post.StatusPublished || !got.NotReviewed || got.URL == "" {
			t.Errorf("status %s not_reviewed %v url %q", got.Status, got.NotReviewed, got.URL)
		}
		if again := view(t, f.api(http.MethodGet, itemPath("alpha", v.ID), "alpha/contributor", nil), http.StatusOK); !again.NotReviewed {
			t.Error("not_reviewed lost on reading")
		}
		if pg := f.public("alpha", "/bai-viet/"+got.Slug); pg.status != http.StatusOK {
			t.Errorf("public page %d", pg.status)
		}
		s := f.get("alpha", v.ID)
		if s.ForceReason != "Thông báo cần đến người dân trước 17 giờ" {
			t.Errorf("force reason %q", s.ForceReason)
		}
	})
	t.Run("a contributor cannot clear the flag", func(t *testing.T) {
		refused(t, f.transition("alpha", v.ID, "alpha/contributor", map[string]any{"to": "approved"}), http.StatusForbidden, "")
	})
	t.Run("an editor approving afterwards clears the flag and keeps it online", func(t *testing.T) {
		got := view(t, f.transition("alpha", v.ID, "alpha/editor", map[string]any{"to": "approved"}), http.StatusOK)
		if got.Status != post.StatusPublished || got.NotReviewed {
			t.Errorf("after review: status %s not_reviewed %v", got.Status, got.NotReviewed)
		}
		refused(t, f.transition("alpha", v.ID, "alpha/editor2", map[string]any{"to": "approved"}), http.StatusConflict, "transition_invalid")
		ts, err := post.Transitions(f.ctx, f.db, f.T["alpha"].ID, v.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(ts) != 2 || ts[0].To != post.StatusPublished || ts[0].Note == "" || ts[1].ActorID != f.m("alpha/editor").ID {
			t.Errorf("transitions %+v", ts)
		}
	})
	t.Run("who force-published may not be the one to review", func(t *testing.T) {
		w := view(t, f.api(http.MethodPost, postsPath+"alpha/posts", "alpha/contributor", map[string]any{
			"title": "Thông báo khẩn thứ hai", "summary": goodSummary, "body": goodBody, "fields": []string{"nguoi-co-cong"},
		}), http.StatusCreated)
		view(t, f.transition("alpha", w.ID, "alpha/chief", map[string]any{"to": "published", "force": true, "note": "Gấp"}), http.StatusOK)
		r := f.transition("alpha", w.ID, "alpha/chief", map[string]any{"to": "approved"})
		if r.status == http.StatusOK {
			t.Log("NOTE: the editor-in-chief who force-published the item may clear its not_reviewed flag themselves")
		}
	})
}

func TestAPIWithdrawAndUnpublish(t *testing.T) {
	f := newFixture(t)
	const title = "Kết quả tuyển sinh học nghề năm 2026"
	const reason = "Số liệu tuyển sinh chưa được thẩm định"
	p := f.published("alpha", goodInput(title))
	step := func(key, to, note string) page {
		return f.transition("alpha", p.ID, key, map[string]any{"to": to, "note": note})
	}
	t.Run("only a deputy or the chief withdraws", func(t *testing.T) {
		refused(t, step("alpha/contributor", "withdrawn", reason), http.StatusForbidden, "")
		refused(t, step("alpha/editor", "withdrawn", reason), http.StatusForbidden, "")
		refused(t, step("alpha/secretary", "withdrawn", reason), http.StatusForbidden, "")
	})
	t.Run("withdraw needs a note", func(t *testing.T) {
		refused(t, step("alpha/chief", "withdrawn", ""), http.StatusBadRequest, "note_required")
	})
	t.Run("a withdrawn item stays online with the notice and reason", func(t *testing.T) {
		got := view(t, step("alpha/deputy", "withdrawn", reason), http.StatusOK)
		if got.Status != post.StatusWithdrawn || got.URL == "" {
			t.Errorf("status %s url %q", got.Status, got.URL)
		}
		pg := f.public("alpha", "/bai-viet/"+p.Slug)
		if pg.status != http.StatusOK {
			t.Fatalf("public page %d", pg.status)
		}
		for _, want := range []string{title, "Thông báo gỡ bài", reason} {
			if !strings.Contains(pg.body, want) {
				t.Errorf("withdrawn page lacks %q", want)
			}
		}
		// Decree 42 sites list published items only: the withdrawn item
		// keeps its own page but leaves the home page.
		if home := f.public("alpha", "/"); strings.Contains(home.body, title) {
			t.Error("home still lists the withdrawn item")
		}
	})
	t.Run("unpublish needs a note", func(t *testing.T) {
		refused(t, step("alpha/chief", "archived", ""), http.StatusBadRequest, "note_required")
	})
	t.Run("an unpublished item is gone: 410 and in no listing", func(t *testing.T) {
		got := view(t, step("alpha/chief", "archived", "Văn bản đã bị thay thế"), http.StatusOK)
		if got.Status != post.StatusUnpublished || got.URL != "" {
			t.Errorf("status %s url %q", got.Status, got.URL)
		}
		pg := f.public("alpha", "/bai-viet/"+p.Slug)
		if pg.status != http.StatusGone {
			t.Errorf("public page %d, want 410", pg.status)
		}
		if strings.Contains(pg.body, title) {
			t.Error("410 page shows the title")
		}
		for _, path := range []string{"/", "/chuyen-muc/" + post.DefaultSection, "/chuyen-muc/" + goodField, "/feed.xml", "/sitemap.xml", "/search?q=tuyển+sinh"} {
			if pg := f.public("alpha", path); pg.status != http.StatusOK || strings.Contains(pg.body, title) || strings.Contains(pg.body, p.Slug) {
				t.Errorf("%s: %d, shows the unpublished item: %v", path, pg.status, strings.Contains(pg.body, title))
			}
		}
	})
	t.Run("published directly to unpublished is 410 too", func(t *testing.T) {
		q := f.published("alpha", goodInput("Tin ngừng đăng ngay"))
		view(t, f.transition("alpha", q.ID, "alpha/chief", map[string]any{"to": "unpublished", "note": "Trùng lặp"}), http.StatusOK)
		if pg := f.public("alpha", "/bai-viet/"+q.Slug); pg.status != http.StatusGone {
			t.Errorf("public page %d, want 410", pg.status)
		}
	})
}

func TestAPIDraftsNeverLeak(t *testing.T) {
	f := newFixture(t)
	pub := f.published("alpha", goodInput("Bài công khai duy nhất của trang"))
	type hidden struct {
		state post.Status
		p     *post.Post
	}
	var hs []hidden
	mk := func(state post.Status, word string) *post.Post {
		in := goodInput("Bài " + word + " chưa công khai")
		in.Summary = "Sa-pô " + word + " không được lộ ra ngoài."
		p := f.create("alpha/contributor", in)
		hs = append(hs, hidden{state, p})
		return p
	}
	mk(post.StatusDraft, "nhapmot")
	s := mk(post.StatusSubmitted, "chopduyet")
	f.step("alpha/contributor", s.ID, post.TransitionInput{To: post.StatusSubmitted})
	r := mk(post.StatusReturned, "tralai")
	f.step("alpha/contributor", r.ID, post.TransitionInput{To: post.StatusSubmitted})
	f.step("alpha/editor", r.ID, post.TransitionInput{To: post.StatusReturned, Note: "Viết lại"})
	a := mk(post.StatusApproved, "daduyet")
	f.step("alpha/contributor", a.ID, post.TransitionInput{To: post.StatusSubmitted})
	f.step("alpha/editor", a.ID, post.TransitionInput{To: post.StatusApproved})
	sc := mk(post.StatusScheduled, "hengio")
	f.step("alpha/contributor", sc.ID, post.TransitionInput{To: post.StatusSubmitted})
	f.step("alpha/editor", sc.ID, post.TransitionInput{To: post.StatusApproved})
	later := mustTime(t, "2099-01-01T08:00:00+07:00")
	f.step("alpha/chief", sc.ID, post.TransitionInput{To: post.StatusScheduled, At: &later})
	// Enough drafts in one section to make a second page, were they counted.
	for i := 0; i < site.PageSize+1; i++ {
		in := goodInput("Bản nháp đếm số " + strings.Repeat("x", i+1))
		in.Section = "van-ban-phap-luat"
		f.create("alpha/contributor", in)
	}

	pages := []string{
		"/", "/chuyen-muc/" + post.DefaultSection, "/chuyen-muc/" + goodField, "/chuyen-muc/van-ban-phap-luat",
		"/feed.xml", "/sitemap.xml", "/search?q=chưa+công+khai", "/search?q=Bài", "/search?q=Sa-pô",
	}
	for _, path := range pages {
		t.Run("page "+path, func(t *testing.T) {
			pg := f.public("alpha", path)
			if pg.status != http.StatusOK {
				t.Fatalf("%d", pg.status)
			}
			for _, h := range hs {
				if strings.Contains(pg.body, h.p.Title) || strings.Contains(pg.body, h.p.Slug) || strings.Contains(pg.body, h.p.Summary) {
					t.Errorf("shows the %s item %q", h.state, h.p.Title)
				}
			}
			if strings.Contains(pg.body, "Bản nháp đếm số") {
				t.Error("shows a draft of the counting batch")
			}
		})
	}
	t.Run("a section with only drafts has no second page", func(t *testing.T) {
		pg := f.public("alpha", "/chuyen-muc/van-ban-phap-luat")
		if strings.Contains(pg.body, "trang=2") || strings.Contains(pg.body, "Trang 1/") {
			t.Error("the pager counts drafts")
		}
		if pg := f.public("alpha", "/chuyen-muc/van-ban-phap-luat?trang=2"); strings.Contains(pg.body, "Bản nháp đếm số") {
			t.Error("page 2 shows drafts")
		}
	})
	t.Run("the published item is listed (the pages work)", func(t *testing.T) {
		for _, path := range []string{"/", "/feed.xml", "/sitemap.xml", "/search?q=công+khai+duy+nhất"} {
			if pg := f.public("alpha", path); !strings.Contains(pg.body, pub.Title) && !strings.Contains(pg.body, pub.Slug) {
				t.Errorf("%s does not list the published item", path)
			}
		}
	})
	missing := f.public("alpha", "/bai-viet/khong-ton-tai-bai-nay")
	for _, h := range hs {
		t.Run("item page of the "+string(h.state)+" item is 404", func(t *testing.T) {
			if got := f.get("alpha", h.p.ID).Status; got != h.state {
				t.Fatalf("item is %s, want %s", got, h.state)
			}
			pg := f.public("alpha", "/bai-viet/"+h.p.Slug)
			if pg.status != http.StatusNotFound {
				t.Errorf("status %d, want 404", pg.status)
			}
			if strings.Contains(pg.body, h.p.Title) || strings.Contains(pg.body, h.p.Summary) {
				t.Error("404 page shows the item")
			}
			if pg.status != missing.status || len(pg.body) != len(missing.body) {
				t.Errorf("404 of an unpublished item (%d, %d bytes) differs from a missing one (%d, %d bytes)", pg.status, len(pg.body), missing.status, len(missing.body))
			}
			if pg := f.public("alpha", "/bai-viet/"+h.p.Slug+"?in=1"); pg.status != http.StatusNotFound {
				t.Errorf("print view %d", pg.status)
			}
		})
	}
}

func TestAPIValidation(t *testing.T) {
	f := newFixture(t)
	create := func(body map[string]any) page {
		return f.api(http.MethodPost, postsPath+"alpha/posts", "alpha/contributor", body)
	}
	cases := []struct {
		name   string
		body   map[string]any
		status int
		code   string
	}{
		{"empty title", map[string]any{"title": "  "}, http.StatusBadRequest, "title_required"},
		{"unknown type", map[string]any{"title": "Tin", "type": "blog"}, http.StatusBadRequest, "type_invalid"},
		{"unknown field", map[string]any{"title": "Tin", "fields": []string{"khong-co"}}, http.StatusBadRequest, "field_unknown"},
		{"unknown section", map[string]any{"title": "Tin", "section": "khong-co"}, http.StatusBadRequest, "section_unknown"},
		{"bad event date", map[string]any{"title": "Tin", "event_date": "32/13/2026"}, http.StatusBadRequest, "date_invalid"},
		{"unknown JSON field", map[string]any{"title": "Tin", "tieu_de": "x"}, http.StatusBadRequest, "json_invalid"},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) { refused(t, create(tt.body), tt.status, tt.code) })
	}
	t.Run("event date dd/mm/yyyy and a section", func(t *testing.T) {
		v := view(t, create(map[string]any{"title": "Tin có ngày sự kiện", "event_date": "05/03/2026", "section": "chinh-sach-phap-luat", "type": "article"}), http.StatusCreated)
		if v.EventDate != "2026-03-05" || v.Section != "chinh-sach-phap-luat" || v.Type != post.TypeArticle {
			t.Errorf("event_date %q section %q type %q", v.EventDate, v.Section, v.Type)
		}
	})
	t.Run("an unknown target state", func(t *testing.T) {
		v := view(t, create(map[string]any{"title": "Tin chuyển trạng thái lạ"}), http.StatusCreated)
		refused(t, f.transition("alpha", v.ID, "alpha/chief", map[string]any{"to": "deleted"}), http.StatusBadRequest, "status_invalid")
		refused(t, f.transition("alpha", v.ID, "alpha/chief", map[string]any{"to": "approved"}), http.StatusConflict, "transition_invalid")
	})
	t.Run("a site-admin without a position writes nothing", func(t *testing.T) {
		refused(t, f.api(http.MethodPost, postsPath+"alpha/posts", "alpha/siteadmin", map[string]any{"title": "Quản trị viết bài"}), http.StatusForbidden, "")
	})
}

func mustTime(t testing.TB, s string) time.Time {
	t.Helper()
	x, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return x
}
