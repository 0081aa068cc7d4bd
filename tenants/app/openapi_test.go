package app_test

// The API description against the running app: every /api/v1 route is
// described and every description is served (TestOpenAPIMatchesRoutes),
// and each operation's example request, sent to a test app, is accepted
// and answered as the description says (TestOpenAPIExamples), on the
// dialect of the run (make test runs SQLite, then PostgreSQL).

import (
	"bytes"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/go-cmp/cmp"

	"github.com/trangtin/trangtin/platform/db/dbtest"
	"github.com/trangtin/trangtin/tenants/api"
	"github.com/trangtin/trangtin/tenants/apptest"
)

func TestOpenAPIMatchesRoutes(t *testing.T) {
	a := newIsoApp(t, isoConfig(t), dbtest.New(t))
	d, err := api.LoadDescription()
	if err != nil {
		t.Fatal(err)
	}
	routes := a.Admin.GetRoutes(true)
	t.Run("every route described, every description served", func(t *testing.T) {
		undoc, unreg := d.CheckRoutes(routes)
		for _, r := range undoc {
			t.Errorf("route %s has no description in tenants/api/openapi.yaml", r)
		}
		for _, r := range unreg {
			t.Errorf("described operation %s is not registered", r)
		}
		if n := len(d.Operations()); n < 50 {
			t.Errorf("only %d operations described", n)
		}
	})
	t.Run("a route added without a description is reported", func(t *testing.T) {
		handler := func(c *fiber.Ctx) error { return c.SendStatus(204) }
		a := newIsoApp(t, isoConfig(t), dbtest.New(t))
		a.Admin.Post("/api/v1/tenants/:slug/xoa-het", handler)
		undoc, unreg := d.CheckRoutes(a.Admin.GetRoutes(true))
		if diff := cmp.Diff([]string{"POST /api/v1/tenants/:slug/xoa-het"}, undoc); diff != "" || len(unreg) != 0 {
			t.Errorf("undocumented (-want +got):\n%s\nunregistered: %v", diff, unreg)
		}
	})
}

func TestOpenAPIServedWithoutSigningIn(t *testing.T) {
	w := newOAWorld(t)
	r := w.must(200, "", "GET", "/api/v1/openapi.json", nil)
	var doc struct {
		OpenAPI string         `json:"openapi"`
		Paths   map[string]any `json:"paths"`
	}
	r.decode(t, &doc)
	if doc.OpenAPI != "3.1.0" || doc.Paths["/api/v1/tenants/{slug}/board/members/{id}"] == nil {
		t.Errorf("openapi %q with %d paths", doc.OpenAPI, len(doc.Paths))
	}
	// The reference page, rendered by the binary: every operation, no outside script or style.
	req := httptest.NewRequest("GET", api.DocsPath, nil)
	req.Host, req.RequestURI = "admin.localhost", ""
	res, err := w.a.HTTP.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	_, _ = b.ReadFrom(res.Body)
	page := b.String()
	if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("GET %s: %d %s", api.DocsPath, res.StatusCode, res.Header.Get("Content-Type"))
	}
	d, _ := api.LoadDescription()
	for _, o := range d.Operations() {
		if !strings.Contains(page, "</span> "+o.Path+"</code>") {
			t.Errorf("reference page lacks %s %s", o.Method, o.Path)
		}
	}
	// The console links to it where API tokens are made.
	browser := newVisitor(t, w.a)
	browser.login(oaEmail("ctvAlpha"), apptest.Password)
	if r := browser.do(http.MethodGet, "/tai-khoan", nil); !strings.Contains(r.body, `href="`+api.DocsPath+`"`) {
		t.Errorf("the account page does not link the reference: %s", r)
	}
	for _, s := range []string{"<script", "http://", "https://cdn", `id="schema-Member"`, "one of: truong-ban, pho-ban"} {
		if got := strings.Contains(page, s); got != (s == `id="schema-Member"` || s == "one of: truong-ban, pho-ban") {
			t.Errorf("reference page contains %q: %v", s, got)
		}
	}
}

// oaStep is one example request of the scenario.
type oaStep struct {
	who, op string
	// params fill the path's {name}s; query is appended as is.
	params map[string]string
	query  string
	// body changes the description's example (ids only exist at run
	// time); nil sends the example as written.
	body func(ex map[string]any) any
	// then reads the answer (ids for later steps).
	then func(r oaReply)
}

// TestOpenAPIExamples sends each described operation's example to a test
// app, in an order where each finds what it needs, and validates request
// and answer against the description. Every operation must be covered: a
// new route needs its example step here.
func TestOpenAPIExamples(t *testing.T) {
	w := newOAWorld(t)
	d, err := api.LoadDescription()
	if err != nil {
		t.Fatal(err)
	}
	examples := map[string]map[string]any{}
	for _, o := range d.Operations() {
		if rb := o.Op.RequestBody; rb != nil && rb.Content != nil {
			if mt := rb.Content.GetOrZero("application/json"); mt != nil && mt.Example != nil {
				var v map[string]any
				if err := mt.Example.Decode(&v); err != nil {
					t.Fatalf("%s %s: example: %v", o.Method, o.Path, err)
				}
				examples[o.Method+" "+o.Path] = v
			}
		}
	}
	ids := map[string]string{}
	save := func(name, field string) func(r oaReply) {
		return func(r oaReply) {
			var v map[string]any
			r.decode(t, &v)
			s, _ := v[field].(string)
			if s == "" {
				t.Fatalf("no %s in %s", field, r)
			}
			ids[name] = s
		}
	}
	set := func(kv ...string) func(ex map[string]any) any {
		return func(ex map[string]any) any {
			out := maps.Clone(ex)
			for i := 0; i+1 < len(kv); i += 2 {
				v := kv[i+1]
				if strings.HasPrefix(v, "$") {
					v = ids[v[1:]]
				}
				out[kv[i]] = v
			}
			return out
		}
	}
	alpha := map[string]string{"slug": "alpha"}
	const freshSlug = "trung-tam-cong-tac-xa-hoi-2" // onboarded by the POST /api/v1/tenants example
	fresh := map[string]string{"slug": freshSlug}
	with := func(slug, idName string) map[string]string {
		return map[string]string{"slug": slug, "id": "$" + idName}
	}
	month := time.Now().In(time.FixedZone("ICT", 7*3600)).Format("2006-01")
	steps := []oaStep{
		{who: "", op: "GET /api/v1/openapi.json"},
		{who: "ctvAlpha", op: "GET /api/v1/me"},
		{who: "ctvAlpha", op: "GET /api/v1/tenants"},
		{who: "admin", op: "POST /api/v1/tenants", body: set("parent", "so")},
		// The new tenant's lifecycle: domains, move, suspend, resume, archive, merge.
		{who: "admin", op: "POST /api/v1/tenants/{slug}/domains", params: fresh},
		{who: "admin", op: "DELETE /api/v1/tenants/{slug}/domains/{domain}", params: map[string]string{"slug": freshSlug, "domain": "ttctxh2.thanhhoa.gov.vn"}, query: "?reason=Tr%E1%BA%A3%20l%E1%BA%A1i"},
		{who: "admin", op: "POST /api/v1/tenants/{slug}/move", params: fresh, body: set("parent", "alpha")},
		{who: "admin", op: "POST /api/v1/tenants/{slug}/suspend", params: fresh},
		{who: "admin", op: "POST /api/v1/tenants/{slug}/resume", params: fresh},
		{who: "admin", op: "POST /api/v1/tenants/{slug}/archive", params: fresh},
		{who: "admin", op: "POST /api/v1/tenants/{slug}/resume", params: fresh},
		{who: "admin", op: "POST /api/v1/tenants/{slug}/merge", params: fresh, body: set("into", "beta")},
		{who: "admin", op: "GET /api/v1/tenants/{slug}/history", params: fresh},
		{who: "qtAlpha", op: "PATCH /api/v1/tenants/{slug}", params: alpha},
		{who: "ctvAlpha", op: "GET /api/v1/tenants/{slug}", params: alpha},
		// Items: write, read, edit, submit, approve, publish.
		{who: "tbAlpha", op: "POST /api/v1/tenants/{slug}/posts", params: alpha, then: save("item", "id")},
		{who: "tbAlpha", op: "GET /api/v1/tenants/{slug}/posts", params: alpha, query: "?status=draft&field=lao-dong-viec-lam"},
		{who: "tbAlpha", op: "GET /api/v1/tenants/{slug}/posts/{id}", params: with("alpha", "item")},
		{who: "tbAlpha", op: "PATCH /api/v1/tenants/{slug}/posts/{id}", params: with("alpha", "item")},
		{who: "tbAlpha", op: "POST /api/v1/tenants/{slug}/posts/{id}/transitions", params: with("alpha", "item")},
		{who: "tbAlpha", op: "POST /api/v1/tenants/{slug}/posts/{id}/transitions", params: with("alpha", "item"), body: set("to", "approved", "note", "")},
		{who: "tbAlpha", op: "POST /api/v1/tenants/{slug}/posts/{id}/transitions", params: with("alpha", "item"), body: set("to", "published", "note", "")},
		{who: "tbAlpha", op: "GET /api/v1/tenants/{slug}/posts/{id}/revisions", params: with("alpha", "item")},
		// Cross-posting: send, the inbox, the three decisions, pulling, the copy's source.
		{who: "tbAlpha", op: "POST /api/v1/tenants/{slug}/posts/{id}/send", params: with("alpha", "item"), then: save("sub", "id")},
		{who: "tbAlpha", op: "GET /api/v1/tenants/{slug}/submissions", params: alpha},
		{who: "tbSo", op: "GET /api/v1/tenants/{slug}/inbox", params: map[string]string{"slug": "so"}, query: "?state=sent"},
		{who: "tbSo", op: "GET /api/v1/tenants/{slug}/inbox/{id}", params: with("so", "sub")},
		{who: "tbSo", op: "POST /api/v1/tenants/{slug}/inbox/{id}/accept", params: with("so", "sub"), then: func(r oaReply) {
			var v struct {
				AcceptedPost struct{ ID string } `json:"accepted_post"`
			}
			r.decode(t, &v)
			ids["copy"] = v.AcceptedPost.ID
			ids["sub2"] = w.sent("tbAlpha", "alpha", "Tập huấn an toàn lao động cho người lao động")
			ids["sub3"] = w.sent("tbAlpha", "alpha", "Hội nghị tổng kết công tác bảo trợ xã hội")
			ids["free"] = w.published("tbAlpha", "alpha", "Trao học bổng cho học sinh nghèo vượt khó").ID
			// The original changes after the copy was taken: its source shows it.
			var it oaItem
			w.must(200, "tbAlpha", "GET", "/api/v1/tenants/alpha/posts/"+ids["item"], nil).decode(t, &it)
			w.must(200, "tbAlpha", "PATCH", "/api/v1/tenants/alpha/posts/"+ids["item"], map[string]any{"version": it.Version, "summary": "Sa-pô đã sửa sau khi Sở nhận bài."})
		}},
		{who: "tbSo", op: "POST /api/v1/tenants/{slug}/inbox/{id}/return", params: with("so", "sub2")},
		{who: "tbSo", op: "POST /api/v1/tenants/{slug}/inbox/{id}/refuse", params: with("so", "sub3")},
		{who: "tbSo", op: "GET /api/v1/tenants/{slug}/pull", params: map[string]string{"slug": "so"}},
		{who: "tbSo", op: "POST /api/v1/tenants/{slug}/pull", params: map[string]string{"slug": "so"}, body: set("tenant", "alpha", "post", "$free")},
		{who: "tbSo", op: "GET /api/v1/tenants/{slug}/posts/{id}/source", params: with("so", "copy")},
		{who: "tbSo", op: "POST /api/v1/tenants/{slug}/posts/{id}/source/update", params: with("so", "copy")},
		// The edit of the published original waits as its edition; drop it.
		{who: "tbAlpha", op: "DELETE /api/v1/tenants/{slug}/posts/{id}/edition", params: with("alpha", "item")},
		// A document: an item of type document with its metadata.
		{who: "tbAlpha", op: "POST /api/v1/tenants/{slug}/posts", params: alpha, body: func(ex map[string]any) any {
			out := maps.Clone(ex)
			out["type"], out["section"] = "document", "van-ban-chi-dao-dieu-hanh"
			out["document"] = map[string]any{"number": "125/KH-SLĐTBXH", "kind": "ke-hoach", "issuer": "Sở Lao động Thử nghiệm", "issued_on": "2026-11-20"}
			return out
		}, then: func(r oaReply) {
			if !strings.Contains(string(r.body), `"kind":"ke-hoach"`) {
				t.Errorf("the document's metadata is not in the answer: %s", r)
			}
			// Two citizens ask on the site: one is answered, one rejected.
			ids["q1"] = askOnSite(t, w.a, "alpha", "Chị Lan", "lan@example.vn", "Hồ sơ trợ cấp thất nghiệp gồm những gì?")
			ids["q2"] = askOnSite(t, w.a, "alpha", "Anh Hùng", "0912345678", "Cho tôi hỏi về giá vé xem bóng đá.")
		}},
		{who: "tbAlpha", op: "GET /api/v1/tenants/{slug}/questions", params: alpha, query: "?state=new"},
		{who: "tbAlpha", op: "POST /api/v1/tenants/{slug}/questions/{id}/answer", params: with("alpha", "q1")},
		{who: "tbAlpha", op: "POST /api/v1/tenants/{slug}/questions/{id}/reject", params: with("alpha", "q2")},
		// The register of agreements.
		{who: "tbAlpha", op: "POST /api/v1/tenants/{slug}/agreements", params: alpha, then: save("agreement", "id")},
		{who: "tbAlpha", op: "GET /api/v1/tenants/{slug}/agreements", params: alpha},
		{who: "tbAlpha", op: "GET /api/v1/tenants/{slug}/agreements/{id}", params: with("alpha", "agreement")},
		{who: "tbAlpha", op: "PATCH /api/v1/tenants/{slug}/agreements/{id}", params: with("alpha", "agreement")},
		{who: "tbAlpha", op: "POST /api/v1/tenants/{slug}/agreements/{id}/expire", params: with("alpha", "agreement")},
		// Media (the upload is multipart: see below).
		{who: "tbAlpha", op: "POST /api/v1/tenants/{slug}/media", params: alpha, then: save("media", "id")},
		{who: "tbAlpha", op: "GET /api/v1/tenants/{slug}/media", params: alpha, query: "?kind=image"},
		{who: "tbAlpha", op: "GET /api/v1/tenants/{slug}/media/{id}", params: with("alpha", "media")},
		{who: "tbAlpha", op: "PATCH /api/v1/tenants/{slug}/media/{id}", params: with("alpha", "media")},
		{who: "tbAlpha", op: "DELETE /api/v1/tenants/{slug}/media/{id}", params: with("alpha", "media")},
		// The board and its roles.
		{who: "tbAlpha", op: "PUT /api/v1/tenants/{slug}/board/decision", params: alpha},
		{who: "tbAlpha", op: "POST /api/v1/tenants/{slug}/board/members", params: alpha, then: save("member", "id")},
		{who: "tbAlpha", op: "PUT /api/v1/tenants/{slug}/board/members/{id}", params: with("alpha", "member")},
		{who: "tbAlpha", op: "GET /api/v1/tenants/{slug}/board", params: alpha},
		{who: "tbAlpha", op: "DELETE /api/v1/tenants/{slug}/board/members/{id}", params: with("alpha", "member")},
		{who: "qtAlpha", op: "POST /api/v1/tenants/{slug}/roles", params: alpha},
		{who: "qtAlpha", op: "GET /api/v1/tenants/{slug}/roles", params: alpha},
		{who: "qtAlpha", op: "POST /api/v1/tenants/{slug}/roles/revoke", params: alpha},
		// Settings.
		{who: "qtAlpha", op: "PATCH /api/v1/tenants/{slug}/settings", params: alpha},
		{who: "ctvAlpha", op: "GET /api/v1/tenants/{slug}/settings", params: alpha},
		// Quota: own standing, the report, quotas, exempt weeks, snapshots.
		{who: "tbAlpha", op: "GET /api/v1/tenants/{slug}/quota", params: alpha},
		{who: "vp", op: "GET /api/v1/reports/quota", query: "?parent=so&month=" + month},
		{who: "vp", op: "GET /api/v1/reports/quota", query: "?parent=so&format=xlsx&month=" + month},
		{who: "vp", op: "POST /api/v1/reports/quota/quotas", query: "?parent=so", body: set("tenant", "alpha")},
		{who: "vp", op: "GET /api/v1/reports/quota/quotas", query: "?parent=so"},
		{who: "vp", op: "POST /api/v1/reports/quota/exemptions", query: "?parent=so", then: save("exemption", "id")},
		{who: "vp", op: "GET /api/v1/reports/quota/exemptions", query: "?parent=so&from=2027-W01"},
		{who: "vp", op: "DELETE /api/v1/reports/quota/exemptions/{id}", params: map[string]string{"id": "$exemption"}, query: "?parent=so"},
		{who: "vp", op: "POST /api/v1/reports/quota/snapshots", query: "?parent=so"},
		{who: "vp", op: "GET /api/v1/reports/quota/snapshots", query: "?parent=so&month=2026-11"},
	}
	covered := map[string]bool{}
	for i, s := range steps {
		method, path, _ := strings.Cut(s.op, " ")
		target := path
		for k, v := range s.params {
			if strings.HasPrefix(v, "$") {
				v = ids[v[1:]]
			}
			target = strings.ReplaceAll(target, "{"+k+"}", v)
		}
		target += s.query
		var r oaReply
		switch ex, ok := examples[s.op]; {
		case s.op == "POST /api/v1/tenants/{slug}/media":
			ct, body := multipartBody("phien-giao-dich.jpg", smallJPEG(t, 64, 48), map[string]string{"alt": "Người lao động tại phiên giao dịch việc làm"})
			r = w.sendRaw(s.who, method, target, ct, body)
		case s.body != nil:
			r = w.send(s.who, method, target, s.body(ex))
		case ok:
			r = w.send(s.who, method, target, ex)
		default:
			r = w.send(s.who, method, target, nil)
		}
		if r.status < 200 || r.status > 299 {
			t.Fatalf("step %d, %s as %s: %s", i, target, s.who, r)
		}
		covered[s.op] = true
		if s.then != nil {
			s.then(r)
		}
	}
	var missing []string
	for _, o := range d.Operations() {
		if !covered[o.Method+" "+o.Path] {
			missing = append(missing, o.Method+" "+o.Path)
		}
	}
	slices.Sort(missing)
	if len(missing) > 0 {
		t.Errorf("operations without an example step in TestOpenAPIExamples:\n  %s", strings.Join(missing, "\n  "))
	}
}
