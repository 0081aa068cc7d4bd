package app_test

// The route-table test: every console and API route on the admin app
// declares the permission it needs in its own handler list.

import (
	"net/http"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/google/go-cmp/cmp"

	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/db/dbtest"
)

func TestEveryAdminRouteDeclaresPermission(t *testing.T) {
	a := newIsoApp(t, isoConfig(t), dbtest.New(t))
	routes := a.Admin.GetRoutes(true)

	t.Run("the table is the real one", func(t *testing.T) {
		// A vacuous pass (no routes, or routes from another app) proves
		// nothing: the table must hold the console and the API.
		have := map[string]bool{}
		for _, r := range routes {
			have[r.Method+" "+r.Path] = true
		}
		for _, want := range []string{
			"GET /login", "POST /login", "POST /logout", "GET /",
			"GET /t/:slug", "POST /t/:slug/ban-bien-tap/thanh-vien", "POST /t/:slug/vai-tro/thu-hoi", "GET /t/:slug/nhat-ky",
			"GET /api/v1/me", "GET /api/v1/tenants", "POST /api/v1/tenants",
		} {
			if !have[want] {
				t.Errorf("route %q is not in the admin table", want)
			}
		}
	})

	t.Run("no route lacks a permission", func(t *testing.T) {
		if missing := authz.CheckRoutes(routes); len(missing) != 0 {
			t.Errorf("routes without a declared permission:\n  %s", strings.Join(missing, "\n  "))
		}
	})
}

func TestRouteTableCatchesUndeclaredRoute(t *testing.T) {
	handler := func(c *fiber.Ctx) error { return c.SendString("lộ") }

	t.Run("a route appended to a copy of the table", func(t *testing.T) {
		a := newIsoApp(t, isoConfig(t), dbtest.New(t))
		routes := append([]fiber.Route(nil), a.Admin.GetRoutes(true)...)
		routes = append(routes, fiber.Route{Method: http.MethodPost, Path: "/t/:slug/xoa-het", Handlers: []fiber.Handler{handler}})
		if diff := cmp.Diff([]string{"POST /t/:slug/xoa-het"}, authz.CheckRoutes(routes)); diff != "" {
			t.Errorf("CheckRoutes (-want +got):\n%s", diff)
		}
	})

	t.Run("routes registered on a second app", func(t *testing.T) {
		a := newIsoApp(t, isoConfig(t), dbtest.New(t))
		az := a.Authz
		a.Admin.Get("/t/:slug/khong-kiem-tra", handler)
		// Behind a group middleware only: Use does not count, each route declares its own.
		g := a.Admin.Group("/nhom", az.Require(authz.TenantView, nil))
		g.Get("/bao-cao", handler)
		// The guard as the last handler guards nothing.
		a.Admin.Get("/chi-co-guard", az.Require(authz.BoardManage, nil))
		// Declared routes are not reported.
		a.Admin.Get("/t/:slug/co-kiem-tra", az.Require(authz.TenantView, nil), handler)
		a.Admin.Get("/cong-khai", authz.RequirePublic(), handler)
		a.Admin.Get("/dang-nhap-roi", authz.RequireAuthenticated(), handler)

		want := []string{
			"GET /chi-co-guard", "GET /nhom/bao-cao", "GET /t/:slug/khong-kiem-tra",
			"HEAD /chi-co-guard", "HEAD /nhom/bao-cao", "HEAD /t/:slug/khong-kiem-tra",
		}
		if diff := cmp.Diff(want, authz.CheckRoutes(a.Admin.GetRoutes(true))); diff != "" {
			t.Errorf("CheckRoutes (-want +got):\n%s", diff)
		}
	})

	t.Run("the original app is untouched", func(t *testing.T) {
		a := newIsoApp(t, isoConfig(t), dbtest.New(t))
		if missing := authz.CheckRoutes(a.Admin.GetRoutes(true)); len(missing) != 0 {
			t.Errorf("fresh app has undeclared routes: %v", missing)
		}
	})
}
