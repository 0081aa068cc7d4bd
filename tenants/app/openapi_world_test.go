package app_test

// A world for the API description's tests and the API of what the console
// does: a department ("so") with two units ("alpha", "beta"), one account
// per role that matters, each with an API token, and the request helper
// that validates every answer against the description.

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"

	"github.com/trangtin/trangtin/platform/account"
	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/config"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/tenants/api"
	"github.com/trangtin/trangtin/tenants/app"
	"github.com/trangtin/trangtin/tenants/apptest"
	"github.com/trangtin/trangtin/tenants/provision"
)

// oaWorld is one database with the organisation, its accounts and an app.
type oaWorld struct {
	t        *testing.T
	a        *app.App
	tenants  map[string]*tenancy.Tenant
	accounts map[string]*account.Account
	tokens   map[string]string
	// check validates requests and answers against the description.
	check validator.Validator
	// badRequest is set while sendBad sends a request the description refuses.
	badRequest bool
}

// oaPeople: key → tenant slug ("" for a platform role) and role.
var oaPeople = []struct{ key, tenant, role string }{
	{"tbSo", "so", authz.RoleEditorInChief},
	{"tbAlpha", "alpha", authz.RoleEditorInChief},
	{"qtAlpha", "alpha", authz.RoleSiteAdmin},
	{"btvAlpha", "alpha", authz.RoleEditor},
	{"ctvAlpha", "alpha", authz.RoleContributor},
	{"tbBeta", "beta", authz.RoleEditorInChief},
	{"qtBeta", "beta", authz.RoleSiteAdmin},
	{"vp", "", authz.RoleOfficeStaff},
	{"admin", "", authz.RolePlatformAdmin},
	// hoa has no role: the description's examples grant and revoke hers.
	{"hoa", "", ""},
}

func oaEmail(key string) string {
	if key == "hoa" {
		return "hoa.nt@ttdvvl.gov.vn"
	}
	return strings.ToLower(key) + "@oa.gov.vn"
}

func newOAWorld(t *testing.T, adjust ...func(*config.Config)) *oaWorld {
	t.Helper()
	people := make([]apptest.Person, 0, len(oaPeople))
	for _, pp := range oaPeople {
		people = append(people, apptest.Person{Key: pp.key, Email: oaEmail(pp.key), Name: "Người " + pp.key, Tenant: pp.tenant, Role: pp.role})
	}
	world := apptest.New(t, apptest.Options{
		Org: []provision.Input{
			{Slug: "so", Name: "Sở Lao động Thử nghiệm", Kind: tenancy.KindDepartment},
			{Slug: "alpha", Name: "Trung tâm Alpha", Kind: tenancy.KindUnit, Parent: "so"},
			{Slug: "beta", Name: "Trung tâm Beta", Kind: tenancy.KindUnit, Parent: "so"},
		},
		People: people,
		Config: func(cfg *config.Config) {
			for _, fn := range adjust {
				fn(cfg)
			}
		},
	})
	w := &oaWorld{t: t, a: world.App, tenants: world.Tenants, accounts: world.Accounts, tokens: world.Tokens("oa")}
	doc, err := libopenapi.NewDocument(api.DescriptionSource())
	if err != nil {
		t.Fatal(err)
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	w.check = v
	return w
}

// oaReply is one answer, its body read.
type oaReply struct {
	status int
	header http.Header
	body   []byte
}

func (r oaReply) String() string {
	b := string(r.body)
	if len(b) > 1200 {
		b = b[:1200] + "…"
	}
	return http.StatusText(r.status) + " " + b
}

// decode reads the JSON body into v.
func (r oaReply) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r, err)
	}
}

// errorCode is the code of an {"error"} body.
func (r oaReply) errorCode() string {
	var e struct{ Error struct{ Code string } }
	_ = json.Unmarshal(r.body, &e)
	return e.Error.Code
}

// send makes one request as who ("" for nobody) with a JSON body (nil for
// none), validates the request and the answer against the description
// (failing the test on a mismatch) and returns the answer.
func (w *oaWorld) send(who, method, target string, body any) oaReply {
	w.t.Helper()
	var raw []byte
	ct := ""
	if body != nil {
		var err error
		if raw, err = json.Marshal(body); err != nil {
			w.t.Fatal(err)
		}
		ct = "application/json"
	}
	return w.sendRaw(who, method, target, ct, raw)
}

// sendBad is send for a request the description itself refuses (bad
// input on purpose): only the answer is validated.
func (w *oaWorld) sendBad(who, method, target string, body any) oaReply {
	w.t.Helper()
	raw, err := json.Marshal(body)
	if err != nil {
		w.t.Fatal(err)
	}
	w.badRequest = true
	defer func() { w.badRequest = false }()
	return w.sendRaw(who, method, target, "application/json", raw)
}

// sendRaw is send with a body of any content type.
func (w *oaWorld) sendRaw(who, method, target, contentType string, raw []byte) oaReply {
	w.t.Helper()
	mk := func() *http.Request {
		var rd io.Reader
		if raw != nil {
			rd = bytes.NewReader(raw)
		}
		r := httptest.NewRequest(method, target, rd)
		r.Host, r.RequestURI = "admin.localhost", ""
		if contentType != "" {
			r.Header.Set("Content-Type", contentType)
		}
		if who != "" {
			r.Header.Set("Authorization", "Bearer "+w.tokens[who])
		}
		return r
	}
	res, err := w.a.HTTP.Test(mk(), -1)
	if err != nil {
		w.t.Fatalf("%s %s: %v", method, target, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		w.t.Fatal(err)
	}
	out := oaReply{status: res.StatusCode, header: res.Header, body: b}
	res.Body = io.NopCloser(bytes.NewReader(b))
	validate := w.check.ValidateHttpRequestResponse
	if w.badRequest {
		validate = w.check.ValidateHttpResponse
	}
	if ok, errs := validate(mk(), res); !ok {
		for _, e := range errs {
			w.t.Errorf("%s %s as %q: %s: %s", method, target, who, e.Message, e.Reason)
			for _, s := range e.SchemaValidationErrors {
				w.t.Errorf("    %s at %s", s.Reason, s.FieldPath)
			}
		}
		w.t.Logf("answer: %s", out)
	}
	return out
}

// must is send that fails the test on another status.
func (w *oaWorld) must(want int, who, method, target string, body any) oaReply {
	w.t.Helper()
	r := w.send(who, method, target, body)
	if r.status != want {
		w.t.Fatalf("%s %s as %s: %d, want %d: %s", method, target, who, r.status, want, r)
	}
	return r
}

// oaItem is what the tests read of an item.
type oaItem struct {
	ID, Slug, Title, Status string
	Version                 int
}

// published writes and publishes an item as the tenant's editor-in-chief.
func (w *oaWorld) published(who, slug, title string) oaItem {
	w.t.Helper()
	var it oaItem
	w.must(201, who, "POST", "/api/v1/tenants/"+slug+"/posts", map[string]any{"title": title, "summary": "Sa-pô của bài.",
		"body": "<p>Nội dung bài viết về công tác trẻ em của đơn vị.</p>", "fields": []string{"tre-em"}}).decode(w.t, &it)
	for _, to := range []string{"submitted", "approved", "published"} {
		w.must(200, who, "POST", "/api/v1/tenants/"+slug+"/posts/"+it.ID+"/transitions", map[string]string{"to": to}).decode(w.t, &it)
	}
	return it
}

// sent publishes an item and sends it to the parent; it returns the submission id.
func (w *oaWorld) sent(who, slug, title string) string {
	w.t.Helper()
	it := w.published(who, slug, title)
	var sub struct{ ID string }
	w.must(201, who, "POST", "/api/v1/tenants/"+slug+"/posts/"+it.ID+"/send", nil).decode(w.t, &sub)
	return sub.ID
}

// smallJPEG is a w×h picture to upload.
func smallJPEG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x * 3), uint8(y * 5), 120, 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// auditActions lists the audit actions recorded in a tenant ("" for all), oldest first.
func (w *oaWorld) auditActions(tenantSlug string) []string {
	w.t.Helper()
	q := w.a.DB.NewSelect().Table("audit_events").Column("action").OrderExpr("created_at, id")
	if tenantSlug != "" {
		q = q.Where("tenant_id = ?", w.tenants[tenantSlug].ID)
	}
	var out []string
	if err := q.Scan(context.Background(), &out); err != nil {
		w.t.Fatal(err)
	}
	return out
}
