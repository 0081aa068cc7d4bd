package authz

import (
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/db/dbtest"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/platform/web"
)

func TestRequire(t *testing.T) {
	bdb := dbtest.New(t)
	e := newEnforcer(t, bdb)
	slugs := map[string]string{"a": newTenant(t, bdb, "a"), "b": newTenant(t, bdb, "b")}
	a := slugs["a"]
	contributor, chief, office := db.NewID(), db.NewID(), db.NewID()
	grant(t, e, bdb, contributor, a, RoleContributor)
	grant(t, e, bdb, chief, a, RoleEditorInChief)
	grant(t, e, bdb, office, PlatformDomain, RoleOfficeStaff)

	bySlug := func(c *fiber.Ctx) (*tenancy.Tenant, error) {
		id, ok := slugs[c.Params("slug")]
		if !ok {
			return nil, errs.NotFound("tenant_not_found", "Không tìm thấy đơn vị")
		}
		return &tenancy.Tenant{ID: id, Slug: c.Params("slug")}, nil
	}
	// Not Immutable on purpose: c.Get and c.Params then alias buffers that
	// fasthttp reuses, and the guard must not keep them (the memo did once).
	app := fiber.New(fiber.Config{ErrorHandler: web.ErrorHandler(nil, quietLog())})
	app.Use(func(c *fiber.Ctx) error {
		if id := c.Get("X-Account"); id != "" {
			web.SetAccount(c, &web.Principal{AccountID: id})
		}
		return c.Next()
	})
	// The handler answers the tenant it was handed: the one the guard
	// checked, never re-read from the path.
	ok := func(c *fiber.Ctx) error {
		if t := Tenant(c); t != nil && (t.ID != TenantID(c) || t.Slug != c.Params("slug")) {
			return c.Status(500).SendString("the guard's tenant is not the route's")
		}
		return c.SendString(TenantID(c))
	}
	app.Post("/api/v1/tenants/:slug/posts", e.Require(PostCreate, bySlug), ok)
	app.Post("/api/v1/tenants/:slug/posts/:id/publish", e.Require(PostPublish, bySlug), ok)
	app.Get("/api/v1/tenants/:slug/quota", e.Require(QuotaViewOwn, bySlug), ok)
	app.Post("/api/v1/tenants", e.Require(TenantOnboard, nil), ok)
	app.Get("/api/v1/reports/quota", e.Require(ReportView, nil), ok)
	app.Get("/api/v1/me", RequireAuthenticated(), ok)
	app.Get("/login", RequirePublic(), ok)
	app.Get("/open", e.Require(Public, nil), ok)

	cases := []struct {
		name, method, path, account string
		status                      int
		body                        string
	}{
		{"anonymous", "POST", "/api/v1/tenants/a/posts", "", 401, ""},
		{"contributor creates", "POST", "/api/v1/tenants/a/posts", contributor, 200, a},
		{"contributor publishes", "POST", "/api/v1/tenants/a/posts/1/publish", contributor, 403, ""},
		{"chief publishes", "POST", "/api/v1/tenants/a/posts/1/publish", chief, 200, a},
		{"contributor in another tenant", "POST", "/api/v1/tenants/b/posts", contributor, 404, ""},
		{"chief in another tenant", "POST", "/api/v1/tenants/b/posts/1/publish", chief, 404, ""},
		{"unknown tenant", "POST", "/api/v1/tenants/zz/posts", contributor, 404, ""},
		{"unknown account", "POST", "/api/v1/tenants/a/posts", db.NewID(), 404, ""},
		{"office reads quota anywhere", "GET", "/api/v1/tenants/b/quota", office, 200, slugs["b"]},
		{"office cannot post", "POST", "/api/v1/tenants/b/posts", office, 403, ""},
		{"platform-wide forbidden", "POST", "/api/v1/tenants", chief, 403, ""},
		{"platform-wide anonymous", "POST", "/api/v1/tenants", "", 401, ""},
		{"platform-wide allowed", "GET", "/api/v1/reports/quota", office, 200, PlatformDomain},
		{"board member on a platform report", "GET", "/api/v1/reports/quota", chief, 403, ""},
		{"me anonymous", "GET", "/api/v1/me", "", 401, ""},
		{"me", "GET", "/api/v1/me", contributor, 200, ""},
		{"public", "GET", "/login", "", 200, ""},
		{"public via Require", "GET", "/open", "", 200, ""},
	}
	for _, c := range cases {
		req := httptest.NewRequest(c.method, c.path, nil)
		req.Header.Set("Accept", "application/json")
		if c.account != "" {
			req.Header.Set("X-Account", c.account)
		}
		resp, err := app.Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 512)
		n, _ := resp.Body.Read(buf)
		_ = resp.Body.Close()
		if resp.StatusCode != c.status {
			t.Errorf("%s: %s %s = %d, want %d (%s)", c.name, c.method, c.path, resp.StatusCode, c.status, buf[:n])
			continue
		}
		if c.status == 200 && string(buf[:n]) != c.body {
			t.Errorf("%s: body %q, want %q", c.name, buf[:n], c.body)
		}
	}

	// Check answers like the guard, for handlers.
	if err := e.Check(contributor, a, PostPublish); !errs.Is(err, errs.KindForbidden) {
		t.Errorf("Check forbidden: %v", err)
	}
	if err := e.Check(contributor, slugs["b"], PostCreate); !errs.Is(err, errs.KindNotFound) {
		t.Errorf("Check not found: %v", err)
	}
	if err := e.Check("", a, PostCreate); !errs.Is(err, errs.KindUnauthenticated) {
		t.Errorf("Check anonymous: %v", err)
	}
	if err := e.Check(chief, a, PostPublish); err != nil {
		t.Errorf("Check allowed: %v", err)
	}
}

func TestRequireUndeclaredPermissionPanics(t *testing.T) {
	e := &Enforcer{}
	defer func() {
		if recover() == nil {
			t.Error("Require with an undeclared permission did not panic")
		}
	}()
	e.Require(Permission("post:creat"), nil)
}

func TestCheckRoutes(t *testing.T) {
	e := &Enforcer{} // guards are only built, never run
	h := func(c *fiber.Ctx) error { return nil }
	app := fiber.New()
	app.Use(func(c *fiber.Ctx) error { return c.Next() })
	app.Get("/login", RequirePublic(), h)
	app.Get("/api/v1/me", RequireAuthenticated(), h)
	app.Post("/api/v1/tenants", e.Require(TenantOnboard, nil), h)
	app.Get("/api/v1/tenants/:slug/posts", e.Require(TenantView, func(*fiber.Ctx) (*tenancy.Tenant, error) { return nil, nil }), h)
	api := app.Group("/api/v1/tenants/:slug", e.Require(TenantView, nil)) // group guards do not count
	api.Patch("/posts/:id", e.Require(PostEditOwn, nil), h)
	api.Delete("/posts/:id", h)                      // undeclared
	app.Post("/late", h, e.Require(PostCreate, nil)) // guard after the handler
	app.Put("/only-guard", e.Require(PostCreate, nil))
	app.Get("/forgotten", h) // undeclared, GET and HEAD

	got := CheckRoutes(app.GetRoutes(true))
	want := []string{
		"DELETE /api/v1/tenants/:slug/posts/:id",
		"GET /forgotten",
		"HEAD /forgotten",
		"POST /late",
		"PUT /only-guard",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("CheckRoutes = %q\nwant %q", got, want)
	}

	// Every guard shares one code pointer, whatever it captured.
	g1 := handlerCode(e.Require(PostCreate, nil))
	g2 := handlerCode((&Enforcer{}).Require(BoardManage, func(*fiber.Ctx) (*tenancy.Tenant, error) { return &tenancy.Tenant{ID: "x"}, nil }))
	if g1 != g2 || g1 == 0 || g1 == handlerCode(h) {
		t.Errorf("guard code pointers %x %x", g1, g2)
	}
}
